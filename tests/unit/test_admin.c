/*
 * test_admin: the admin engine under its pages (app/core/admin.c and the
 * rows section of app/core/model.c).  History: admin_diff, admin_snapshot,
 * admin_version and admin_revert_values over the site's models, their
 * JSON read back with jansson; the rows they are computed from, on a
 * migrated database: model_row_write and model_row_get (timestamps, join
 * rows, NULLs, booleans, date-times), a full change and revert cycle,
 * model_row_taken, model_row_exists, model_row_delete,
 * model_count_refs and model_id_next; and the checks admin_register
 * makes of a registry.  All values enter through core/form.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/admin.h"
#include "core/arena.h"
#include "core/form.h"
#include "core/http.h"
#include "core/model.h"
#include "core/util.h"
#include "fixture.h"
#include "site/site.h"

Suite	*admin_suite(void);

/* Ends the name, value pairs of vals() and save(). */
#define END	((const char *)NULL)

static struct fixture_db fdb;
static struct req *r;

static const char **vals(const char *, ...) __attribute__((sentinel));
static int64_t	 save(const char *, int64_t, ...) __attribute__((sentinel));

/* ---- helpers ------------------------------------------------------------- */

/*
 * Values of model name as model_row_get() gives them: "" for every
 * stored field, NULL for virtual ones, then the name, value pairs that
 * follow (NULL-terminated) put over them (a virtual field too).
 */
static const char **
vals(const char *name, ...)
{
	const struct model *m = model_find(name);
	const struct model_field *f;
	const char	**v, *k;
	size_t		 n;
	va_list		 ap;

	ck_assert_ptr_nonnull(m);
	n = model_nfields(m);
	v = arena_zalloc(r->arena, (n + 1) * sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = (m->fields[i].flags & MF_VIRTUAL) ? NULL : "";
	va_start(ap, name);
	while ((k = va_arg(ap, const char *)) != NULL) {
		f = model_field(m, k);
		ck_assert_msg(f != NULL, "%s has no field %s", name, k);
		v[f - m->fields] = arena_strdup(r->arena,
		    va_arg(ap, const char *));
	}
	va_end(ap);
	return v;
}

/* The index of field name of m. */
static size_t
idx(const struct model *m, const char *name)
{
	const struct model_field *f = model_field(m, name);

	ck_assert_msg(f != NULL, "%s has no field %s", m->name, name);
	return (size_t)(f - m->fields);
}

/* Parse s, which must be JSON. */
static json_t *
parse_json(const char *s)
{
	json_error_t	 err;
	json_t		*j;

	ck_assert_ptr_nonnull(s);
	j = json_loads(s, 0, &err);
	ck_assert_msg(j != NULL, "not JSON (%s): %s", err.text, s);
	return j;
}

/* The entry of diff array a for field, or NULL. */
static json_t *
diff_entry(json_t *a, const char *field)
{
	size_t	 i;
	json_t	*e;

	json_array_foreach(a, i, e) {
		const char	*f = json_string_value(json_object_get(e,
		    "field"));

		if (f != NULL && strcmp(f, field) == 0)
			return e;
	}
	return NULL;
}

static const char *
jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Check that diff array a has the entry field: label, old -> new. */
static void
assert_change(json_t *a, const char *field, const char *label,
    const char *old, const char *new)
{
	json_t	*e = diff_entry(a, field);

	ck_assert_msg(e != NULL, "no change of %s", field);
	ck_assert_uint_eq(json_object_size(e), 4);
	ck_assert_str_eq(jstr(e, "label"), label);
	ck_assert_str_eq(jstr(e, "old"), old);
	ck_assert_str_eq(jstr(e, "new"), new);
}

/* Are the n values of a and b the same (NULL only as NULL)? */
static void
assert_same_values(const struct model *m, const char *const *a,
    const char *const *b)
{
	for (size_t i = 0; m->fields[i].name != NULL; i++) {
		if (a[i] == NULL || b[i] == NULL) {
			ck_assert_msg(a[i] == b[i], "%s: %s vs %s",
			    m->fields[i].name, a[i] != NULL ? a[i] : "NULL",
			    b[i] != NULL ? b[i] : "NULL");
			continue;
		}
		ck_assert_msg(strcmp(a[i], b[i]) == 0, "%s: \"%s\" vs \"%s\"",
		    m->fields[i].name, a[i], b[i]);
	}
}

/*
 * A validated form for model name: row id's values (id 0: the
 * defaults), then the name, value pairs that follow (NULL-terminated).
 */
static void
form_of(struct form *f, const char *name, int64_t id, va_list ap)
{
	const struct model *m = model_find(name);
	const char	**cur, *k;

	ck_assert_ptr_nonnull(m);
	form_init(r, m, f);
	if (id != 0) {
		ck_assert_int_eq(model_row_get(r, m, id, &cur), 1);
		for (size_t i = 0; i < f->n; i++)
			if (cur[i] != NULL)
				ck_assert_int_eq(form_set(r, f,
				    m->fields[i].name, cur[i]), 0);
	}
	while ((k = va_arg(ap, const char *)) != NULL)
		ck_assert_int_eq(form_set(r, f, k, va_arg(ap, const char *)),
		    0);
	if (!form_validate(r, f))
		for (size_t i = 0; i < f->n; i++)
			ck_assert_msg(f->fields[i].error == NULL, "%s: %s",
			    f->fields[i].field->name, f->fields[i].error);
	ck_assert_ptr_null(f->error);
}

/*
 * Save row id (0: a new one) of model name through a validated form
 * with every editable field written, the pairs that follow over row
 * id's values.  Returns the row's id.
 */
static int64_t
save(const char *name, int64_t id, ...)
{
	struct form	 f;
	bool		 write[MODEL_FIELDS_MAX];
	int64_t		 nid;
	va_list		 ap;

	va_start(ap, id);
	form_of(&f, name, id, ap);
	va_end(ap);
	for (size_t i = 0; i < f.n; i++)
		write[i] = model_field_is_editable(f.fields[i].field);
	nid = model_row_write(r, model_find(name), id, &f, write);
	ck_assert_msg(nid > 0, "model_row_write %s %lld: %lld", name,
	    (long long)id, (long long)nid);
	if (id != 0)
		ck_assert_int_eq(nid, id);
	return nid;
}

/* Save only field fname of row id of model name (the others unwritten). */
static void
save_only(const char *name, int64_t id, const char *fname,
    const char *value)
{
	const struct model *m = model_find(name);
	struct form	 f;
	bool		 write[MODEL_FIELDS_MAX];

	form_init(r, m, &f);
	ck_assert_int_eq(form_set(r, &f, fname, value), 0);
	(void)form_validate(r, &f);
	ck_assert_ptr_null(form_error(&f, fname));
	for (size_t i = 0; i < f.n; i++)
		write[i] = strcmp(m->fields[i].name, fname) == 0;
	ck_assert_int_eq(model_row_write(r, m, id, &f, write), id);
}

/* Field fname of row id of model name, as model_row_get() reads it. */
static const char *
get(const char *name, int64_t id, const char *fname)
{
	const struct model *m = model_find(name);
	const char	**v;

	ck_assert_int_eq(model_row_get(r, m, id, &v), 1);
	return v[idx(m, fname)];
}

/* ---- fixtures ------------------------------------------------------------ */

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

static void
db_setup(void)
{
	ck_assert_int_eq(model_register_all(site_models), 0);
	fixture_db_open(&fdb);
	r = fixture_req();
}

static void
db_teardown(void)
{
	fixture_reqs_free();
	fixture_db_close(&fdb);
}

/* Whatever a test registered, the site's registries again. */
static void
register_teardown(void)
{
	ck_assert_int_eq(model_register_all(site_models), 0);
	ck_assert_int_eq(admin_register(site_admin_models,
	    site_admin_page_table), 0);
	fixture_reqs_free();
}

/* ---- admin_diff ---------------------------------------------------------- */

START_TEST(test_diff_lists_only_changed_fields)
{
	const struct model *m = model_find("tag");
	const char	**before = vals("tag", "name", "News", "slug", "news",
			    "description", "All the news.", END);
	const char	**after = vals("tag", "name", "News", "slug", "latest",
			    "description", "All the news.", END);
	json_t		*a;

	a = parse_json(admin_diff(r, m, before, after));
	ck_assert(json_is_array(a));
	ck_assert_uint_eq(json_array_size(a), 1);
	assert_change(a, "slug", "Slug", "news", "latest");
	json_decref(a);

	/* Two of three: both, in field order. */
	after = vals("tag", "name", "Old news", "slug", "news",
	    "description", "", END);
	a = parse_json(admin_diff(r, m, before, after));
	ck_assert_uint_eq(json_array_size(a), 2);
	ck_assert_str_eq(jstr(json_array_get(a, 0), "field"), "name");
	ck_assert_str_eq(jstr(json_array_get(a, 1), "field"), "description");
	assert_change(a, "name", "Name", "News", "Old news");
	assert_change(a, "description", "Description", "All the news.", "");
	ck_assert_ptr_null(diff_entry(a, "slug"));
	json_decref(a);
}
END_TEST

START_TEST(test_diff_of_an_add_lists_non_empty_fields_against_empty)
{
	const struct model *m = model_find("article");
	const char	**after = vals("article", "title", "Hello",
			    "slug", "hello", "status", "draft", "kind", "article",
			    "tags", "3,7", "comments_open", "0", END);
	json_t		*a;

	a = parse_json(admin_diff(r, m, NULL, after));
	ck_assert_uint_eq(json_array_size(a), 6);
	assert_change(a, "title", "Title", "", "Hello");
	assert_change(a, "slug", "Slug", "", "hello");
	assert_change(a, "status", "Status", "", "draft");
	assert_change(a, "kind", "Kind", "", "article");
	assert_change(a, "tags", "Tags", "", "3,7");
	assert_change(a, "comments_open", "Comments open", "", "0");
	ck_assert_ptr_null(diff_entry(a, "body"));
	ck_assert_ptr_null(diff_entry(a, "publish_at"));
	json_decref(a);
}
END_TEST

START_TEST(test_diff_is_null_when_nothing_differs)
{
	const struct model *m = model_find("tag");

	/* Equal strings at different addresses. */
	ck_assert_ptr_null(admin_diff(r, m,
	    vals("tag", "name", "News", "slug", "news", END),
	    vals("tag", "name", "News", "slug", "news", END)));
	/* An add of nothing. */
	ck_assert_ptr_null(admin_diff(r, m, NULL, vals("tag", END)));
	/* A case change is a change. */
	ck_assert_ptr_nonnull(admin_diff(r, m,
	    vals("tag", "name", "News", END),
	    vals("tag", "name", "news", END)));
}
END_TEST

START_TEST(test_diff_never_lists_virtual_fields)
{
	const struct model *m = model_find("user");
	const char	**before = vals("user", "username", "alice",
			    "email", "alice@example.org", END);
	const char	**after = vals("user", "username", "alice2",
			    "email", "alice@example.org",
			    "password1", "hunter22", "password2", "hunter22",
			    END);
	const char	*s;
	json_t		*a;

	s = admin_diff(r, m, before, after);
	ck_assert(!fixture_has(s, "hunter22"));
	a = parse_json(s);
	ck_assert_uint_eq(json_array_size(a), 1);
	assert_change(a, "username", "Username", "alice", "alice2");
	ck_assert_ptr_null(diff_entry(a, "password1"));
	ck_assert_ptr_null(diff_entry(a, "password2"));
	json_decref(a);

	/* Only the passwords differ: nothing to record. */
	after = vals("user", "username", "alice", "email",
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
		json_t		*a = parse_json(admin_diff(r, m,
				    vals("tag", "description", odd[i], END),
				    vals("tag", "description", other,
				    "name", odd[i], END)));

		ck_assert_uint_eq(json_array_size(a), 2);
		assert_change(a, "description", "Description", odd[i],
		    other);
		assert_change(a, "name", "Name", "", odd[i]);
		json_decref(a);
	}
}
END_TEST

/* ---- admin_snapshot and admin_revert_values -------------------------------- */

START_TEST(test_snapshot_holds_every_stored_field_and_no_virtual_one)
{
	const struct model *m = model_find("user");
	const char	**v = vals("user", "username", "bob",
			    "email", "bob@example.org", "display_name",
			    "Bob \"B\"\nSmith", "is_active", "1",
			    "groups", "1,3", "date_joined", "2024-03-05T10:20",
			    "password1", "secret-1", "password2", "secret-1",
			    END);
	const char	*s = admin_snapshot(r, m, v);
	size_t		 nstored = 0;
	json_t		*o;

	ck_assert(!fixture_has(s, "secret-1"));
	o = parse_json(s);
	ck_assert(json_is_object(o));
	for (size_t i = 0; m->fields[i].name != NULL; i++) {
		const char	*got = jstr(o, m->fields[i].name);

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
	const char	**v1 = vals("article", "title", "First \"one\"",
			    "slug", "first", "status", "draft", "kind", "article",
			    "body", "Body\nwith lines", "tags", "2,5",
			    "comments_open", "1", "created_at", "2024-03-05T10:20",
			    END);
	const char	**v2 = vals("article", "title", "Second",
			    "slug", "second", "status", "published",
			    "kind", "page", "body", "", "tags", "",
			    "comments_open", "0", "publish_at", "2024-04-01T00:00",
			    "created_at", "2024-03-05T10:20", END);
	const char	**nv;

	nv = admin_revert_values(r, m, v2, admin_snapshot(r, m, v1), false);
	ck_assert_ptr_nonnull(nv);
	assert_same_values(m, nv, v1);
	ck_assert_ptr_null(nv[model_nfields(m)]);

	/* A snapshot of some fields: the others stay current; unknown and
	 * non-string members are ignored. */
	nv = admin_revert_values(r, m, v2, "{\"title\":\"Third\","
	    "\"nope\":\"x\",\"slug\":5,\"body\":null}", false);
	ck_assert_ptr_nonnull(nv);
	ck_assert_str_eq(nv[idx(m, "title")], "Third");
	ck_assert_str_eq(nv[idx(m, "slug")], "second");
	ck_assert_str_eq(nv[idx(m, "body")], "");
	ck_assert_str_eq(nv[idx(m, "status")], "published");
	/* current itself is not changed. */
	ck_assert_str_eq(v2[idx(m, "title")], "Second");
}
END_TEST

START_TEST(test_revert_values_never_sets_virtual_fields)
{
	const struct model *m = model_find("user");
	const char	**cur = vals("user", "username", "carol", END);
	const char	**nv;

	nv = admin_revert_values(r, m, cur, "{\"username\":\"dave\","
	    "\"password1\":\"pw\",\"password2\":\"pw\"}", false);
	ck_assert_ptr_nonnull(nv);
	ck_assert_str_eq(nv[idx(m, "username")], "dave");
	ck_assert_ptr_null(nv[idx(m, "password1")]);
	ck_assert_ptr_null(nv[idx(m, "password2")]);

	nv = admin_revert_values(r, m, cur, "[{\"field\":\"password1\","
	    "\"label\":\"Password\",\"old\":\"pw\",\"new\":\"\"},"
	    "{\"field\":\"username\",\"label\":\"Username\",\"old\":\"erin\","
	    "\"new\":\"carol\"}]", true);
	ck_assert_ptr_nonnull(nv);
	ck_assert_str_eq(nv[idx(m, "username")], "erin");
	ck_assert_ptr_null(nv[idx(m, "password1")]);
}
END_TEST

START_TEST(test_revert_values_undo_restores_only_the_diffs_fields)
{
	const struct model *m = model_find("tag");
	const char	**v1 = vals("tag", "name", "News", "slug", "news",
			    "description", "one", END);
	const char	**v2 = vals("tag", "name", "Latest", "slug", "news",
			    "description", "two", END);
	/* After the change being undone, another one changed the slug. */
	const char	**v3 = vals("tag", "name", "Latest", "slug", "latest",
			    "description", "two", END);
	const char	*diff = admin_diff(r, m, v1, v2);
	const char	**nv;

	nv = admin_revert_values(r, m, v3, diff, true);
	ck_assert_ptr_nonnull(nv);
	assert_same_values(m, nv,
	    vals("tag", "name", "News", "slug", "latest", "description",
	    "one", END));

	/* Unknown fields and entries without a string "old" are ignored. */
	nv = admin_revert_values(r, m, v3, "[{\"field\":\"nope\",\"old\":\"x\"},"
	    "{\"field\":\"slug\"},{\"field\":\"name\",\"old\":7},"
	    "{\"field\":\"description\",\"old\":\"back\"}]", true);
	ck_assert_ptr_nonnull(nv);
	assert_same_values(m, nv,
	    vals("tag", "name", "Latest", "slug", "latest", "description",
	    "back", END));
}
END_TEST

START_TEST(test_revert_values_refuses_malformed_json_and_wrong_shapes)
{
	const struct model *m = model_find("tag");
	const char	**cur = vals("tag", "name", "News", END);
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
	assert_same_values(m, admin_revert_values(r, m, cur, "{}", false),
	    cur);
	assert_same_values(m, admin_revert_values(r, m, cur, "[]", true),
	    cur);
}
END_TEST

/* ---- admin_version ------------------------------------------------------- */

START_TEST(test_version_same_values_same_version)
{
	const struct model *m = model_find("user");
	const char	*a = admin_version(r, m, vals("user", "username", "al",
			    "email", "al@example.org", "groups", "1,2", END));
	const char	*b = admin_version(r, m, vals("user", "username", "al",
			    "email", "al@example.org", "groups", "1,2", END));

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
		const char	**v = vals(m->name, END), **w;
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

	ck_assert_str_ne(admin_version(r, m, vals("tag", "name", "ab",
	    "slug", "c", END)), admin_version(r, m, vals("tag", "name", "a",
	    "slug", "bc", END)));
	ck_assert_str_ne(admin_version(r, m, vals("tag", "name", "",
	    "slug", "x", END)), admin_version(r, m, vals("tag", "name", "x",
	    "slug", "", END)));
}
END_TEST

/*
 * A row's version, from model_row_get() (virtual fields NULL), does not
 * change with what is not a stored field: passwords, two-factor state.
 */
START_TEST(test_version_does_not_depend_on_virtual_fields)
{
	const struct model *m = model_find("user");
	const char	**v, *base;
	int64_t		 uid;

	uid = fixture_sql("INSERT INTO users (username, email, date_joined) "
	    "VALUES ('ivy', 'ivy@example.org', 100) RETURNING id", 0);
	ck_assert_int_eq(model_row_get(r, m, uid, &v), 1);
	ck_assert_ptr_null(v[idx(m, "password1")]);
	ck_assert_ptr_null(v[idx(m, "password2")]);
	base = admin_version(r, m, v);
	fixture_sql("UPDATE users SET password = 'argon2id$x', "
	    "totp_secret = 'ABC', totp_enabled = 1 WHERE id = ?1", 1,
	    (long long)uid);
	ck_assert_int_eq(model_row_get(r, m, uid, &v), 1);
	ck_assert_str_eq(admin_version(r, m, v), base);
	/* The same values built by hand: the same version. */
	ck_assert_str_eq(admin_version(r, m, vals("user", "username", "ivy",
	    "email", "ivy@example.org", "is_active", "1", "is_staff", "0",
	    "is_superuser", "0", "date_joined", "1970-01-01T00:01:40",
	    END)), base);
	/* A stored field does change it. */
	fixture_sql("UPDATE users SET last_login = 200 WHERE id = ?1", 1,
	    (long long)uid);
	ck_assert_int_eq(model_row_get(r, m, uid, &v), 1);
	ck_assert_str_ne(admin_version(r, m, v), base);
}
END_TEST

/* ---- rows: a full revert cycle ------------------------------------------- */

START_TEST(test_revert_cycle_restores_the_first_version)
{
	const struct model *m = model_find("tag");
	const char	**v1, **v2, **v3, **nv, *snap1, *diff;
	struct form	 f;
	bool		 write[MODEL_FIELDS_MAX];
	int64_t		 id;
	json_t		*a;

	id = save("tag", 0, "name", "News \u2014 \"daily\"", "slug", "news",
	    "description", "Line one\nLine two", END);
	ck_assert_int_eq(model_row_get(r, m, id, &v1), 1);
	ck_assert_str_eq(v1[idx(m, "name")], "News \u2014 \"daily\"");
	snap1 = admin_snapshot(r, m, v1);

	save("tag", id, "name", "Latest", "slug", "latest", END);
	ck_assert_int_eq(model_row_get(r, m, id, &v2), 1);
	ck_assert_str_ne(admin_version(r, m, v1), admin_version(r, m, v2));
	diff = admin_diff(r, m, v1, v2);
	a = parse_json(diff);
	ck_assert_uint_eq(json_array_size(a), 2);
	assert_change(a, "name", "Name", "News \u2014 \"daily\"", "Latest");
	assert_change(a, "slug", "Slug", "news", "latest");
	json_decref(a);

	/* Revert to the first version, through a form as the page does. */
	nv = admin_revert_values(r, m, v2, snap1, false);
	ck_assert_ptr_nonnull(nv);
	form_init(r, m, &f);
	for (size_t i = 0; i < f.n; i++) {
		ck_assert_int_eq(form_set(r, &f, m->fields[i].name, nv[i]), 0);
		write[i] = model_field_is_editable(&m->fields[i]);
	}
	ck_assert(form_validate(r, &f));
	ck_assert_int_eq(model_row_write(r, m, id, &f, write), id);
	ck_assert_int_eq(model_row_get(r, m, id, &v3), 1);
	assert_same_values(m, v3, v1);
	ck_assert_str_eq(admin_version(r, m, v3), admin_version(r, m, v1));
	ck_assert_ptr_null(admin_diff(r, m, v1, v3));

	/* Undo the change instead: the same row again. */
	save("tag", id, "name", "Latest", "slug", "latest", END);
	ck_assert_int_eq(model_row_get(r, m, id, &v2), 1);
	nv = admin_revert_values(r, m, v2, diff, true);
	ck_assert_ptr_nonnull(nv);
	save("tag", id, "name", nv[idx(m, "name")], "slug",
	    nv[idx(m, "slug")], "description", nv[idx(m, "description")],
	    END);
	ck_assert_int_eq(model_row_get(r, m, id, &v3), 1);
	assert_same_values(m, v3, v1);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM tags", 0), 1);
}
END_TEST

/* ---- rows: model_row_write and model_row_get ------------------------------ */

START_TEST(test_row_write_article_insert_sets_timestamps)
{
	int64_t		 t0 = util_wall_us() / 1000000, t1, id;
	long long	 created, updated;
	char		 dt[32];

	id = save("article", 0, "title", "Generic", "slug", "generic",
	    "status", "draft", "kind", "article", "body", "Some *text*.",
	    END);
	t1 = util_wall_us() / 1000000;
	created = fixture_sql("SELECT created_at FROM articles WHERE id = ?1",
	    1, (long long)id);
	updated = fixture_sql("SELECT updated_at FROM articles WHERE id = ?1",
	    1, (long long)id);
	ck_assert_int_ge(created, t0);
	ck_assert_int_le(created, t1);
	ck_assert_int_eq(updated, created);
	form_format_datetime(created, dt, sizeof(dt));
	ck_assert_str_eq(get("article", id, "created_at"), dt);
	ck_assert_str_eq(get("article", id, "updated_at"), dt);
	ck_assert_str_eq(get("article", id, "title"), "Generic");
	ck_assert_str_eq(get("article", id, "status"), "draft");
	ck_assert_str_eq(get("article", id, "comments_open"), "1");

	/* An update: updated_at takes the time, created_at stays. */
	fixture_sql("UPDATE articles SET created_at = 5, updated_at = 5 "
	    "WHERE id = ?1", 1, (long long)id);
	save("article", id, "title", "Generic, again", END);
	ck_assert_int_eq(fixture_sql("SELECT created_at FROM articles "
	    "WHERE id = ?1", 1, (long long)id), 5);
	ck_assert_int_ge(fixture_sql("SELECT updated_at FROM articles "
	    "WHERE id = ?1", 1, (long long)id), t0);
	ck_assert_str_eq(get("article", id, "title"), "Generic, again");
}
END_TEST

START_TEST(test_row_write_many_to_many_reads_back_ascending)
{
	int64_t		 id, uid;

	fixture_sql("INSERT INTO tags (id, slug, name) VALUES (3, 't3', 'T3'), "
	    "(7, 't7', 'T7'), (10, 't10', 'T10'), (12, 't12', 'T12')", 0);
	id = save("article", 0, "title", "Tagged", "slug", "tagged",
	    "tags", "10,3,7", END);
	ck_assert_str_eq(get("article", id, "tags"), "3,7,10");
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM article_tags "
	    "WHERE article_id = ?1", 1, (long long)id), 3);

	/* Replaced, not added to. */
	save("article", id, "tags", "12,7", END);
	ck_assert_str_eq(get("article", id, "tags"), "7,12");
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM article_tags", 0),
	    2);
	save("article", id, "tags", "", END);
	ck_assert_str_eq(get("article", id, "tags"), "");
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM article_tags", 0),
	    0);

	/* A user's groups, written alone (no UPDATE of the user's row). */
	uid = fixture_sql("INSERT INTO users (username, email, date_joined) "
	    "VALUES ('gina', 'gina@example.org', 100) RETURNING id", 0);
	ck_assert_str_eq(get("user", uid, "groups"), "");
	save_only("user", uid, "groups", "3,1");
	ck_assert_str_eq(get("user", uid, "groups"), "1,3");
	save_only("user", uid, "groups", "2");
	ck_assert_str_eq(get("user", uid, "groups"), "2");
	ck_assert_str_eq(get("user", uid, "username"), "gina");
	ck_assert_str_eq(get("user", uid, "date_joined"), "1970-01-01T00:01:40");
}
END_TEST

START_TEST(test_row_write_empty_numbers_become_null)
{
	int64_t		 id, uid;

	uid = fixture_sql("INSERT INTO users (username, email, date_joined) "
	    "VALUES ('hal', 'hal@example.org', 100) RETURNING id", 0);
	id = save("article", 0, "title", "Nulls", "slug", "nulls",
	    "publish_at", "", "author_id", "", END);
	ck_assert_int_eq(fixture_sql("SELECT publish_at IS NULL AND "
	    "author_id IS NULL FROM articles WHERE id = ?1", 1,
	    (long long)id), 1);
	ck_assert_str_eq(get("article", id, "publish_at"), "");
	ck_assert_str_eq(get("article", id, "author_id"), "");

	/* Set, then emptied again by an update. */
	save("article", id, "publish_at", "2024-03-05T10:20", "author_id",
	    arena_printf(r->arena, "%lld", (long long)uid), END);
	ck_assert_int_eq(fixture_sql("SELECT publish_at FROM articles "
	    "WHERE id = ?1", 1, (long long)id), 1709634000);
	ck_assert_int_eq(fixture_sql("SELECT author_id FROM articles "
	    "WHERE id = ?1", 1, (long long)id), uid);
	save("article", id, "publish_at", "", "author_id", "", END);
	ck_assert_int_eq(fixture_sql("SELECT publish_at IS NULL AND "
	    "author_id IS NULL FROM articles WHERE id = ?1", 1,
	    (long long)id), 1);
	ck_assert_str_eq(get("article", id, "publish_at"), "");
	ck_assert_str_eq(get("article", id, "author_id"), "");
	/* Text fields emptied stay "" (NOT NULL columns). */
	save("article", id, "excerpt", "", "body", "", END);
	ck_assert_int_eq(fixture_sql("SELECT excerpt = '' AND body = '' "
	    "FROM articles WHERE id = ?1", 1, (long long)id), 1);
}
END_TEST

START_TEST(test_row_get_datetime_in_form_format)
{
	int64_t		 id;

	id = save("article", 0, "title", "Dates", "slug", "dates",
	    "publish_at", "2024-03-05 10:20:30", END);
	ck_assert_int_eq(fixture_sql("SELECT publish_at FROM articles "
	    "WHERE id = ?1", 1, (long long)id), 1709634030);
	ck_assert_str_eq(get("article", id, "publish_at"),
	    "2024-03-05T10:20:30");
	save("article", id, "publish_at", "2024-02-29T23:59", END);
	ck_assert_str_eq(get("article", id, "publish_at"),
	    "2024-02-29T23:59");
	/* What it reads back is what a form takes again unchanged. */
	save("article", id, END);
	ck_assert_str_eq(get("article", id, "publish_at"),
	    "2024-02-29T23:59");
}
END_TEST

START_TEST(test_row_get_booleans_read_as_0_or_1)
{
	int64_t		 id;

	id = save("article", 0, "title", "Bools", "slug", "bools",
	    "comments_open", "0", END);
	ck_assert_int_eq(fixture_sql("SELECT comments_open FROM articles "
	    "WHERE id = ?1", 1, (long long)id), 0);
	ck_assert_str_eq(get("article", id, "comments_open"), "0");
	save("article", id, "comments_open", "1", END);
	ck_assert_int_eq(fixture_sql("SELECT comments_open FROM articles "
	    "WHERE id = ?1", 1, (long long)id), 1);
	ck_assert_str_eq(get("article", id, "comments_open"), "1");
	/* Any other number stored is true. */
	fixture_sql("UPDATE articles SET comments_open = 7 WHERE id = ?1", 1,
	    (long long)id);
	ck_assert_str_eq(get("article", id, "comments_open"), "1");
}
END_TEST

START_TEST(test_row_get_of_no_row_is_0)
{
	const char	**v;

	ck_assert_int_eq(model_row_get(r, model_find("tag"), 42, &v), 0);
	ck_assert_int_eq(model_row_get(r, model_find("article"), 1, &v), 0);
}
END_TEST

/* ---- rows: taken, exists, delete, refs ------------------------------------ */

/* Is value taken in field fname of a tag other than id? */
static int
taken(const char *fname, const char *value, int64_t id)
{
	const struct model *m = model_find("tag");
	struct form	 f;

	form_init(r, m, &f);
	ck_assert_int_eq(form_set(r, &f, fname, value), 0);
	return model_row_taken(r, m, &f.fields[idx(m, fname)], id);
}

START_TEST(test_row_taken_by_another_row_only)
{
	int64_t		 a, b;

	a = save("tag", 0, "name", "News", "slug", "news", END);
	b = save("tag", 0, "name", "Sport", "slug", "sport", END);
	ck_assert_int_eq(taken("name", "News", b), 1);
	ck_assert_int_eq(taken("name", "News", a), 0);
	ck_assert_int_eq(taken("name", "News", 0), 1);	/* a new row */
	ck_assert_int_eq(taken("name", "Weather", 0), 0);
	ck_assert_int_eq(taken("slug", "sport", a), 1);
	ck_assert_int_eq(taken("slug", "sport", b), 0);
}
END_TEST

START_TEST(test_row_taken_compares_with_the_columns_collation)
{
	int64_t		 a, b;

	a = save("tag", 0, "name", "News", "slug", "news", END);
	b = save("tag", 0, "name", "Sport", "slug", "sport", END);
	/* tags.name is COLLATE NOCASE. */
	ck_assert_int_eq(taken("name", "news", b), 1);
	ck_assert_int_eq(taken("name", "NEWS", b), 1);
	ck_assert_int_eq(taken("name", "nEwS", a), 0);
	/* tags.slug is not. */
	ck_assert_int_eq(taken("slug", "NEWS", b), 0);
	ck_assert_int_eq(taken("slug", "news", b), 1);
}
END_TEST

START_TEST(test_row_exists_and_delete)
{
	const struct model *m = model_find("article");
	int64_t		 id, other;

	fixture_sql("INSERT INTO tags (id, slug, name) VALUES (1, 'a', 'A')",
	    0);
	id = save("article", 0, "title", "Doomed", "slug", "doomed",
	    "tags", "1", END);
	other = save("article", 0, "title", "Kept", "slug", "kept", "tags",
	    "1", END);
	ck_assert_int_eq(model_row_exists(r, m, id), 1);
	ck_assert_int_eq(model_row_exists(r, m, 999), 0);
	ck_assert_str_eq(model_row_str(r, m, id), "Doomed");
	ck_assert_int_eq(model_row_delete(r, m, id), 0);
	ck_assert_int_eq(model_row_exists(r, m, id), 0);
	ck_assert_ptr_null(model_row_str(r, m, id));
	ck_assert_int_eq(model_row_exists(r, m, other), 1);
	/* Its join rows went with it; the other's stayed. */
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM article_tags", 0),
	    1);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM tags", 0), 1);
	/* Deleting what is not there is no error. */
	ck_assert_int_eq(model_row_delete(r, m, id), 0);
}
END_TEST

START_TEST(test_count_refs_is_capped)
{
	bool		 more = true;

	fixture_sql("INSERT INTO tags (id, slug, name) VALUES (1, 'a', 'A'), "
	    "(2, 'b', 'B')", 0);
	fixture_sql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
	    "SELECT i + 1 FROM n WHERE i < 5) "
	    "INSERT INTO articles (id, slug, title, created_at, updated_at) "
	    "SELECT i, 's-' || i, 'T ' || i, 1, 1 FROM n", 0);
	fixture_sql("INSERT INTO article_tags (article_id, tag_id) "
	    "SELECT id, 1 FROM articles", 0);
	ck_assert_int_eq(model_count_refs(r, "article_tags", "tag_id", 1, 2,
	    &more), 2);
	ck_assert(more);
	ck_assert_int_eq(model_count_refs(r, "article_tags", "tag_id", 1, 4,
	    &more), 4);
	ck_assert(more);
	ck_assert_int_eq(model_count_refs(r, "article_tags", "tag_id", 1, 5,
	    &more), 5);
	ck_assert(!more);
	ck_assert_int_eq(model_count_refs(r, "article_tags", "tag_id", 1,
	    ADMIN_RELATED_CAP, &more), 5);
	ck_assert(!more);
	more = true;
	ck_assert_int_eq(model_count_refs(r, "article_tags", "tag_id", 2, 2,
	    &more), 0);
	ck_assert(!more);
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

/* ---- admin_register ------------------------------------------------------- */

START_TEST(test_register_accepts_the_site_tables)
{
	size_t	 n = 0;

	ck_assert_int_eq(admin_register(site_admin_models,
	    site_admin_page_table), 0);
	for (const struct admin_model *const *a = admin_models(); *a != NULL;
	    a++)
		n++;
	ck_assert_uint_eq(n, 5);
	ck_assert_ptr_eq(admin_model_find("tag"), site_admin_models[1]);
	ck_assert_ptr_null(admin_model_find("permission"));
	ck_assert_ptr_null(admin_model_find(NULL));
	ck_assert_ptr_eq(admin_pages(), site_admin_page_table);
}
END_TEST

/* Register the one entry am (with no pages): what admin_register says. */
static int
register_one(const struct admin_model *am)
{
	const struct admin_model *const models[] = { am, NULL };

	return admin_register(models, NULL);
}

static int
run_none(struct req *rr, const struct admin_model *am, const int64_t *ids,
    size_t n)
{
	(void)rr;
	(void)am;
	(void)ids;
	return (int)n;
}

START_TEST(test_register_refuses_an_unknown_model)
{
	const struct admin_model am = { .model = "gadget", .group = "X" };

	ck_assert_int_eq(register_one(&am), -1);
	ck_assert_ptr_null(admin_model_find("gadget"));
}
END_TEST

START_TEST(test_register_refuses_an_unknown_list_display_field)
{
	static const char *const good[] = { "name", "slug", NULL };
	static const char *const bad[] = { "name", "colour", NULL };
	const struct admin_model ok = { .model = "tag", .group = "X",
	    .list_display = good };
	const struct admin_model am = { .model = "tag", .group = "X",
	    .list_display = bad };

	ck_assert_int_eq(register_one(&ok), 0);
	ck_assert_int_eq(register_one(&am), -1);
}
END_TEST

START_TEST(test_register_refuses_a_list_filter_not_filterable)
{
	static const char *const good[] = { "status", "kind", NULL };
	static const char *const bad[] = { "status", "title", NULL };
	static const char *const missing[] = { "nope", NULL };
	const struct admin_model ok = { .model = "article", .group = "X",
	    .list_filter = good };
	const struct admin_model am = { .model = "article", .group = "X",
	    .list_filter = bad };
	const struct admin_model am2 = { .model = "article", .group = "X",
	    .list_filter = missing };

	ck_assert_int_eq(register_one(&ok), 0);
	ck_assert_int_eq(register_one(&am), -1);
	ck_assert_int_eq(register_one(&am2), -1);
}
END_TEST

START_TEST(test_register_refuses_a_trash_value_not_a_choice)
{
	const struct admin_model ok = { .model = "article", .group = "X",
	    .trash_field = "status", .trash_value = "trash" };
	const struct admin_model am = { .model = "article", .group = "X",
	    .trash_field = "status", .trash_value = "bin" };
	const struct admin_model am2 = { .model = "article", .group = "X",
	    .trash_field = "title", .trash_value = "trash" };
	const struct admin_model am3 = { .model = "article", .group = "X",
	    .trash_field = "status" };

	ck_assert_int_eq(register_one(&ok), 0);
	ck_assert_int_eq(register_one(&am), -1);
	ck_assert_int_eq(register_one(&am2), -1);	/* not a choice field */
	ck_assert_int_eq(register_one(&am3), -1);	/* no value */
}
END_TEST

START_TEST(test_register_refuses_an_action_with_a_bad_perm)
{
	static const struct admin_action good[] = {
		{ "touch", "Touch", "change", run_none },
		{ NULL, NULL, NULL, NULL }
	};
	static const struct admin_action bad[] = {
		{ "touch", "Touch", "publish", run_none },
		{ NULL, NULL, NULL, NULL }
	};
	static const struct admin_action noperm[] = {
		{ "touch", "Touch", NULL, run_none },
		{ NULL, NULL, NULL, NULL }
	};
	const struct admin_model ok = { .model = "tag", .group = "X",
	    .actions = good };
	const struct admin_model am = { .model = "tag", .group = "X",
	    .actions = bad };
	const struct admin_model am2 = { .model = "tag", .group = "X",
	    .actions = noperm };

	ck_assert_int_eq(register_one(&ok), 0);
	ck_assert_int_eq(register_one(&am), -1);
	ck_assert_int_eq(register_one(&am2), -1);
}
END_TEST

START_TEST(test_register_refuses_the_same_model_twice)
{
	const struct admin_model a = { .model = "tag", .group = "X" };
	const struct admin_model b = { .model = "tag", .group = "Y" };
	const struct admin_model c = { .model = "group", .group = "Y" };
	const struct admin_model *const twice[] = { &a, &c, &b, NULL };
	const struct admin_model *const once[] = { &a, &c, NULL };

	ck_assert_int_eq(admin_register(once, NULL), 0);
	ck_assert_int_eq(admin_register(twice, NULL), -1);
}
END_TEST

static const struct model_field log_fields[] = {
	{ .name = "name", .label = "Name", .type = MODEL_TEXT,
	  .flags = MF_EDITABLE | MF_SORTABLE },
	{ .name = NULL }
};
static const struct model log_model = {
	.name = "log", .table = "logs", .verbose = "log",
	.verbose_plural = "logs", .fields = log_fields, .pk = "id",
	.ordering = "name", .str_field = "name", .perm = "log"
};
static const struct model logbook_model = {
	.name = "logbook", .table = "logs", .verbose = "logbook",
	.verbose_plural = "logbooks", .fields = log_fields, .pk = "id",
	.ordering = "name", .str_field = "name", .perm = "logbook"
};

START_TEST(test_register_refuses_a_model_named_like_an_admin_page)
{
	const struct model *const models[] = {
		&log_model, &logbook_model, NULL
	};
	const struct admin_model log_admin = { .model = "log", .group = "X" };
	const struct admin_model logbook_admin = { .model = "logbook",
	    .group = "X" };

	ck_assert_int_eq(model_register_all(models), 0);
	ck_assert_int_eq(register_one(&logbook_admin), 0);
	ck_assert_int_eq(register_one(&log_admin), -1);
}
END_TEST

Suite *
admin_suite(void)
{
	Suite	*s = suite_create("admin");
	TCase	*history = tcase_create("history");
	TCase	*rows = tcase_create("rows");
	TCase	*reg = tcase_create("register");

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

	tcase_add_checked_fixture(rows, db_setup, db_teardown);
	tcase_set_timeout(rows, 60);
	tcase_add_test(rows, test_revert_cycle_restores_the_first_version);
	tcase_add_test(rows, test_version_does_not_depend_on_virtual_fields);
	tcase_add_test(rows, test_row_write_article_insert_sets_timestamps);
	tcase_add_test(rows, test_row_write_many_to_many_reads_back_ascending);
	tcase_add_test(rows, test_row_write_empty_numbers_become_null);
	tcase_add_test(rows, test_row_get_datetime_in_form_format);
	tcase_add_test(rows, test_row_get_booleans_read_as_0_or_1);
	tcase_add_test(rows, test_row_get_of_no_row_is_0);
	tcase_add_test(rows, test_row_taken_by_another_row_only);
	tcase_add_test(rows, test_row_taken_compares_with_the_columns_collation);
	tcase_add_test(rows, test_row_exists_and_delete);
	tcase_add_test(rows, test_count_refs_is_capped);
	suite_add_tcase(s, rows);

	tcase_add_checked_fixture(reg, registry_setup, register_teardown);
	tcase_add_test(reg, test_register_accepts_the_site_tables);
	tcase_add_test(reg, test_register_refuses_an_unknown_model);
	tcase_add_test(reg, test_register_refuses_an_unknown_list_display_field);
	tcase_add_test(reg, test_register_refuses_a_list_filter_not_filterable);
	tcase_add_test(reg, test_register_refuses_a_trash_value_not_a_choice);
	tcase_add_test(reg, test_register_refuses_an_action_with_a_bad_perm);
	tcase_add_test(reg, test_register_refuses_the_same_model_twice);
	tcase_add_test(reg,
	    test_register_refuses_a_model_named_like_an_admin_page);
	suite_add_tcase(s, reg);
	return s;
}
