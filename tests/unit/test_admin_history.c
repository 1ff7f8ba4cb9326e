/*
 * test_admin_history: the history's values (app/core/admin.c):
 * admin_diff, admin_snapshot, admin_version and admin_revert_values over
 * the site's models, their JSON read back with jansson, and
 * model_id_next, which walks the many-to-many values they hold.  No
 * database: test_admin_rows.c has the same on stored rows.
 */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "core/admin.h"
#include "core/arena.h"
#include "core/model.h"
#include "core/util.h"
#include "fixture.h"
#include "fixture_admin.h"
#include "site/site.h"

Suite	*admin_history_suite(void);

static struct req *r;

/* Only the registry and a request (an arena): no database. */
static void
registry_setup(void)
{
	ck_assert_int_eq(model_register_all(site_models), 0);
	r = fixture_req();
}

static void
registry_teardown(void)
{
	fixture_reqs_free();
}

/* ---- admin_diff ---------------------------------------------------------- */

START_TEST(test_diff_lists_only_changed_fields)
{
	const struct model *m = model_find("tag");
	const char	**before = fixture_vals(r, "tag", "name", "News",
			    "slug", "news", "description", "All the news.",
			    END);
	const char	**after = fixture_vals(r, "tag", "name", "News",
			    "slug", "latest", "description", "All the news.",
			    END);
	json_t		*a;

	a = fixture_json(admin_diff(r, m, before, after));
	ck_assert(json_is_array(a));
	ck_assert_uint_eq(json_array_size(a), 1);
	fixture_assert_change(a, "slug", "Slug", "news", "latest");
	json_decref(a);

	/* Two of three: both, in field order. */
	after = fixture_vals(r, "tag", "name", "Old news", "slug", "news",
	    "description", "", END);
	a = fixture_json(admin_diff(r, m, before, after));
	ck_assert_uint_eq(json_array_size(a), 2);
	ck_assert_str_eq(fixture_jstr(json_array_get(a, 0), "field"), "name");
	ck_assert_str_eq(fixture_jstr(json_array_get(a, 1), "field"),
	    "description");
	fixture_assert_change(a, "name", "Name", "News", "Old news");
	fixture_assert_change(a, "description", "Description",
	    "All the news.", "");
	ck_assert_ptr_null(fixture_diff_entry(a, "slug"));
	json_decref(a);
}
END_TEST

START_TEST(test_diff_of_an_add_lists_non_empty_fields_against_empty)
{
	const struct model *m = model_find("article");
	const char	**after = fixture_vals(r, "article", "title", "Hello",
			    "slug", "hello", "status", "draft", "kind",
			    "article", "tags", "3,7", "comments_open", "0",
			    END);
	json_t		*a;

	a = fixture_json(admin_diff(r, m, NULL, after));
	ck_assert_uint_eq(json_array_size(a), 6);
	fixture_assert_change(a, "title", "Title", "", "Hello");
	fixture_assert_change(a, "slug", "Slug", "", "hello");
	fixture_assert_change(a, "status", "Status", "", "draft");
	fixture_assert_change(a, "kind", "Kind", "", "article");
	fixture_assert_change(a, "tags", "Tags", "", "3,7");
	fixture_assert_change(a, "comments_open", "Comments open", "", "0");
	ck_assert_ptr_null(fixture_diff_entry(a, "body"));
	ck_assert_ptr_null(fixture_diff_entry(a, "publish_at"));
	json_decref(a);
}
END_TEST

START_TEST(test_diff_is_null_when_nothing_differs)
{
	const struct model *m = model_find("tag");

	/* Equal strings at different addresses. */
	ck_assert_ptr_null(admin_diff(r, m,
	    fixture_vals(r, "tag", "name", "News", "slug", "news", END),
	    fixture_vals(r, "tag", "name", "News", "slug", "news", END)));
	/* An add of nothing. */
	ck_assert_ptr_null(admin_diff(r, m, NULL, fixture_vals(r, "tag", END)));
	/* A case change is a change. */
	ck_assert_ptr_nonnull(admin_diff(r, m,
	    fixture_vals(r, "tag", "name", "News", END),
	    fixture_vals(r, "tag", "name", "news", END)));
}
END_TEST

START_TEST(test_diff_never_lists_virtual_fields)
{
	const struct model *m = model_find("user");
	const char	**before = fixture_vals(r, "user", "username", "alice",
			    "email", "alice@example.org", END);
	const char	**after = fixture_vals(r, "user", "username", "alice2",
			    "email", "alice@example.org",
			    "password1", "hunter22", "password2", "hunter22",
			    END);
	const char	*s;
	json_t		*a;

	s = admin_diff(r, m, before, after);
	ck_assert(!fixture_has(s, "hunter22"));
	a = fixture_json(s);
	ck_assert_uint_eq(json_array_size(a), 1);
	fixture_assert_change(a, "username", "Username", "alice", "alice2");
	ck_assert_ptr_null(fixture_diff_entry(a, "password1"));
	ck_assert_ptr_null(fixture_diff_entry(a, "password2"));
	json_decref(a);

	/* Only the passwords differ: nothing to record. */
	after = fixture_vals(r, "user", "username", "alice", "email",
	    "alice@example.org", "password1", "x", "password2", "y", END);
	ck_assert_ptr_null(admin_diff(r, m, before, after));
	/* An add with passwords: not in it either. */
	s = admin_diff(r, m, NULL, after);
	ck_assert(!fixture_has(s, "password"));
}
END_TEST

START_TEST(test_diff_values_survive_quotes_newlines_and_unicode)
{
	const struct model *m = model_find("tag");
	static const char *const odd[] = {
		"say \"hi\" \\ 'there'",
		"line one\nline two\r\n\ttabbed",
		"Caf\u00e9 \u2014 \u201cquoted\u201d \u65e5\u672c\u8a9e "
		    "\xf0\x9f\x93\xb0",
		"</script><b>&amp;</b>",
		"\x01\x1f control",
	};

	for (size_t i = 0; i < NELEM(odd); i++) {
		const char	*other = odd[(i + 1) % NELEM(odd)];
		json_t		*a = fixture_json(admin_diff(r, m,
				    fixture_vals(r, "tag", "description",
				    odd[i], END),
				    fixture_vals(r, "tag", "description",
				    other, "name", odd[i], END)));

		ck_assert_uint_eq(json_array_size(a), 2);
		fixture_assert_change(a, "description", "Description", odd[i],
		    other);
		fixture_assert_change(a, "name", "Name", "", odd[i]);
		json_decref(a);
	}
}
END_TEST

/* ---- admin_snapshot and admin_revert_values -------------------------------- */

START_TEST(test_snapshot_holds_every_stored_field_and_no_virtual_one)
{
	const struct model *m = model_find("user");
	const char	**v = fixture_vals(r, "user", "username", "bob",
			    "email", "bob@example.org", "display_name",
			    "Bob \"B\"\nSmith", "is_active", "1",
			    "groups", "1,3", "date_joined", "2024-03-05T10:20",
			    "password1", "secret-1", "password2", "secret-1",
			    END);
	const char	*s = admin_snapshot(r, m, v);
	size_t		 nstored = 0;
	json_t		*o;

	ck_assert(!fixture_has(s, "secret-1"));
	o = fixture_json(s);
	ck_assert(json_is_object(o));
	for (size_t i = 0; m->fields[i].name != NULL; i++) {
		const char	*got = fixture_jstr(o, m->fields[i].name);

		if (m->fields[i].flags & MF_VIRTUAL) {
			ck_assert_msg(json_object_get(o, m->fields[i].name) ==
			    NULL, "%s in the snapshot", m->fields[i].name);
			continue;
		}
		nstored++;
		ck_assert_msg(got != NULL, "%s missing", m->fields[i].name);
		ck_assert_str_eq(got, v[i]);
	}
	ck_assert_uint_eq(json_object_size(o), nstored);
	ck_assert_uint_eq(nstored, model_nfields(m) - 2);
	json_decref(o);
}
END_TEST

START_TEST(test_revert_values_puts_a_snapshot_back)
{
	const struct model *m = model_find("article");
	const char	**v1 = fixture_vals(r, "article",
			    "title", "First \"one\"", "slug", "first",
			    "status", "draft", "kind", "article",
			    "body", "Body\nwith lines", "tags", "2,5",
			    "comments_open", "1",
			    "created_at", "2024-03-05T10:20", END);
	const char	**v2 = fixture_vals(r, "article", "title", "Second",
			    "slug", "second", "status", "published",
			    "kind", "page", "body", "", "tags", "",
			    "comments_open", "0",
			    "publish_at", "2024-04-01T00:00",
			    "created_at", "2024-03-05T10:20", END);
	const char	**nv;

	nv = admin_revert_values(r, m, v2, admin_snapshot(r, m, v1), false);
	ck_assert_ptr_nonnull(nv);
	fixture_assert_same_values(m, nv, v1);
	ck_assert_ptr_null(nv[model_nfields(m)]);

	/* A snapshot of some fields: the others stay current; unknown and
	 * non-string members are ignored. */
	nv = admin_revert_values(r, m, v2, "{\"title\":\"Third\","
	    "\"nope\":\"x\",\"slug\":5,\"body\":null}", false);
	ck_assert_ptr_nonnull(nv);
	ck_assert_str_eq(nv[fixture_idx(m, "title")], "Third");
	ck_assert_str_eq(nv[fixture_idx(m, "slug")], "second");
	ck_assert_str_eq(nv[fixture_idx(m, "body")], "");
	ck_assert_str_eq(nv[fixture_idx(m, "status")], "published");
	/* current itself is not changed. */
	ck_assert_str_eq(v2[fixture_idx(m, "title")], "Second");
}
END_TEST

START_TEST(test_revert_values_never_sets_virtual_fields)
{
	const struct model *m = model_find("user");
	const char	**cur = fixture_vals(r, "user", "username", "carol",
			    END);
	const char	**nv;

	nv = admin_revert_values(r, m, cur, "{\"username\":\"dave\","
	    "\"password1\":\"pw\",\"password2\":\"pw\"}", false);
	ck_assert_ptr_nonnull(nv);
	ck_assert_str_eq(nv[fixture_idx(m, "username")], "dave");
	ck_assert_ptr_null(nv[fixture_idx(m, "password1")]);
	ck_assert_ptr_null(nv[fixture_idx(m, "password2")]);

	nv = admin_revert_values(r, m, cur, "[{\"field\":\"password1\","
	    "\"label\":\"Password\",\"old\":\"pw\",\"new\":\"\"},"
	    "{\"field\":\"username\",\"label\":\"Username\",\"old\":\"erin\","
	    "\"new\":\"carol\"}]", true);
	ck_assert_ptr_nonnull(nv);
	ck_assert_str_eq(nv[fixture_idx(m, "username")], "erin");
	ck_assert_ptr_null(nv[fixture_idx(m, "password1")]);
}
END_TEST

START_TEST(test_revert_values_undo_restores_only_the_diffs_fields)
{
	const struct model *m = model_find("tag");
	const char	**v1 = fixture_vals(r, "tag", "name", "News",
			    "slug", "news", "description", "one", END);
	const char	**v2 = fixture_vals(r, "tag", "name", "Latest",
			    "slug", "news", "description", "two", END);
	/* After the change being undone, another one changed the slug. */
	const char	**v3 = fixture_vals(r, "tag", "name", "Latest",
			    "slug", "latest", "description", "two", END);
	const char	*diff = admin_diff(r, m, v1, v2);
	const char	**nv;

	nv = admin_revert_values(r, m, v3, diff, true);
	ck_assert_ptr_nonnull(nv);
	fixture_assert_same_values(m, nv,
	    fixture_vals(r, "tag", "name", "News", "slug", "latest",
	    "description", "one", END));

	/* Unknown fields and entries without a string "old" are ignored. */
	nv = admin_revert_values(r, m, v3, "[{\"field\":\"nope\",\"old\":\"x\"},"
	    "{\"field\":\"slug\"},{\"field\":\"name\",\"old\":7},"
	    "{\"field\":\"description\",\"old\":\"back\"}]", true);
	ck_assert_ptr_nonnull(nv);
	fixture_assert_same_values(m, nv,
	    fixture_vals(r, "tag", "name", "Latest", "slug", "latest",
	    "description", "back", END));
}
END_TEST

START_TEST(test_revert_values_refuses_malformed_json_and_wrong_shapes)
{
	const struct model *m = model_find("tag");
	const char	**cur = fixture_vals(r, "tag", "name", "News", END);
	static const char *const bad[] = {
		"", "{", "[", "not json", "{\"name\":\"x\"", "[{}",
		"{\"name\":\"x\"} trailing", "\"a string\"", "42", "null",
		"true",
	};
	const char	*snap = admin_snapshot(r, m, cur);
	const char	*diff = admin_diff(r, m, NULL, cur);

	for (size_t i = 0; i < NELEM(bad); i++) {
		ck_assert_msg(admin_revert_values(r, m, cur, bad[i], false) ==
		    NULL, "snapshot %s taken", bad[i]);
		ck_assert_msg(admin_revert_values(r, m, cur, bad[i], true) ==
		    NULL, "diff %s taken", bad[i]);
	}
	/* A diff is no snapshot, a snapshot no diff. */
	ck_assert_ptr_null(admin_revert_values(r, m, cur, diff, false));
	ck_assert_ptr_null(admin_revert_values(r, m, cur, snap, true));
	ck_assert_ptr_null(admin_revert_values(r, m, cur, "[]", false));
	ck_assert_ptr_null(admin_revert_values(r, m, cur, "{}", true));
	/* The right shapes, empty: nothing put back. */
	fixture_assert_same_values(m, admin_revert_values(r, m, cur, "{}",
	    false), cur);
	fixture_assert_same_values(m, admin_revert_values(r, m, cur, "[]",
	    true), cur);
}
END_TEST

/* ---- admin_version ------------------------------------------------------- */

START_TEST(test_version_same_values_same_version)
{
	const struct model *m = model_find("user");
	const char	*a = admin_version(r, m, fixture_vals(r, "user",
			    "username", "al", "email", "al@example.org",
			    "groups", "1,2", END));
	const char	*b = admin_version(r, m, fixture_vals(r, "user",
			    "username", "al", "email", "al@example.org",
			    "groups", "1,2", END));

	ck_assert_str_eq(a, b);
	ck_assert_uint_eq(strlen(a), 32);
	ck_assert_uint_eq(strspn(a, "0123456789abcdef"), 32);
}
END_TEST

START_TEST(test_version_changes_with_any_field)
{
	const struct model *const *ms = model_all();

	for (size_t k = 0; ms[k] != NULL; k++) {
		const struct model *m = ms[k];
		size_t		 n = model_nfields(m);
		const char	**v = fixture_vals(r, m->name, END), **w;
		const char	*base;

		for (size_t i = 0; i < n; i++)
			if (v[i] != NULL)
				v[i] = arena_printf(r->arena, "v%zu", i);
		base = admin_version(r, m, v);
		for (size_t i = 0; i < n; i++) {
			if (v[i] == NULL)
				continue;
			w = arena_zalloc(r->arena, (n + 1) * sizeof(*w));
			memcpy(w, v, n * sizeof(*w));
			w[i] = arena_printf(r->arena, "%sx", v[i]);
			ck_assert_msg(strcmp(admin_version(r, m, w), base) != 0,
			    "%s.%s: same version", m->name, m->fields[i].name);
			w[i] = "";
			ck_assert_msg(strcmp(admin_version(r, m, w), base) != 0,
			    "%s.%s emptied: same version", m->name,
			    m->fields[i].name);
		}
	}
}
END_TEST

/* Moving text from one field to the next is a change too. */
START_TEST(test_version_keeps_field_boundaries)
{
	const struct model *m = model_find("tag");

	ck_assert_str_ne(admin_version(r, m, fixture_vals(r, "tag",
	    "name", "ab", "slug", "c", END)), admin_version(r, m,
	    fixture_vals(r, "tag", "name", "a", "slug", "bc", END)));
	ck_assert_str_ne(admin_version(r, m, fixture_vals(r, "tag",
	    "name", "", "slug", "x", END)), admin_version(r, m,
	    fixture_vals(r, "tag", "name", "x", "slug", "", END)));
}
END_TEST

/* ---- model_id_next -------------------------------------------------------- */

/* The ids model_id_next() walks in s, joined with ' '. */
static const char *
walk(const char *s)
{
	const char	*p = s, *out = "";
	long long	 id;

	while ((p = model_id_next(p, &id)) != NULL)
		out = arena_printf(r->arena, "%s%s%lld", out, *out ? " " : "",
		    id);
	return out;
}

START_TEST(test_id_next_walks_an_id_list)
{
	ck_assert_str_eq(walk("3,7,10"), "3 7 10");
	ck_assert_str_eq(walk("42"), "42");
	ck_assert_str_eq(walk(""), "");
	ck_assert_str_eq(walk("3,,4"), "3");
	ck_assert_str_eq(walk("x"), "");
	ck_assert_str_eq(walk("3,x,4"), "3");
	ck_assert_str_eq(walk("0"), "");
	ck_assert_str_eq(walk("-1"), "");
	ck_assert_str_eq(walk(",3"), "");
	ck_assert_str_eq(walk("3,"), "3");
	ck_assert_str_eq(walk("99999999999999999999999999999999,1"), "");
	ck_assert_ptr_null(model_id_next(NULL, &(long long){ 0 }));
}
END_TEST

Suite *
admin_history_suite(void)
{
	Suite	*s = suite_create("admin_history");
	TCase	*history = tcase_create("history");

	tcase_add_checked_fixture(history, registry_setup, registry_teardown);
	tcase_add_test(history, test_diff_lists_only_changed_fields);
	tcase_add_test(history,
	    test_diff_of_an_add_lists_non_empty_fields_against_empty);
	tcase_add_test(history, test_diff_is_null_when_nothing_differs);
	tcase_add_test(history, test_diff_never_lists_virtual_fields);
	tcase_add_test(history,
	    test_diff_values_survive_quotes_newlines_and_unicode);
	tcase_add_test(history,
	    test_snapshot_holds_every_stored_field_and_no_virtual_one);
	tcase_add_test(history, test_revert_values_puts_a_snapshot_back);
	tcase_add_test(history, test_revert_values_never_sets_virtual_fields);
	tcase_add_test(history,
	    test_revert_values_undo_restores_only_the_diffs_fields);
	tcase_add_test(history,
	    test_revert_values_refuses_malformed_json_and_wrong_shapes);
	tcase_add_test(history, test_version_same_values_same_version);
	tcase_add_test(history, test_version_changes_with_any_field);
	tcase_add_test(history, test_version_keeps_field_boundaries);
	tcase_add_test(history, test_id_next_walks_an_id_list);
	suite_add_tcase(s, history);
	return s;
}
