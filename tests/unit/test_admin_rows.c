/*
 * test_admin_rows: the rows the admin's history is computed from, on a
 * migrated database (the rows section of app/core/model.c):
 * model_row_write and model_row_get (timestamps, join rows, NULLs,
 * booleans, date-times), a full change and revert cycle, a row's
 * version, model_row_taken, model_row_exists, model_row_delete and
 * model_count_refs.  All values enter through core/form.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "core/admin.h"
#include "core/arena.h"
#include "core/form.h"
#include "core/http.h"
#include "core/model.h"
#include "core/util.h"
#include "fixture.h"
#include "fixture_admin.h"
#include "site/site.h"

Suite	*admin_rows_suite(void);

static struct fixture_db fdb;
static struct req *r;

static int64_t	 save(const char *, int64_t, ...) __attribute__((sentinel));

/* ---- helpers ------------------------------------------------------------- */

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
	return v[fixture_idx(m, fname)];
}

/* ---- fixtures ------------------------------------------------------------ */

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
	ck_assert_ptr_null(v[fixture_idx(m, "password1")]);
	ck_assert_ptr_null(v[fixture_idx(m, "password2")]);
	base = admin_version(r, m, v);
	fixture_sql("UPDATE users SET password = 'argon2id$x', "
	    "totp_secret = 'ABC', totp_enabled = 1 WHERE id = ?1", 1,
	    (long long)uid);
	ck_assert_int_eq(model_row_get(r, m, uid, &v), 1);
	ck_assert_str_eq(admin_version(r, m, v), base);
	/* The same values built by hand: the same version. */
	ck_assert_str_eq(admin_version(r, m, fixture_vals(r, "user",
	    "username", "ivy", "email", "ivy@example.org",
	    "is_active", "1", "is_staff", "0",
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
	ck_assert_str_eq(v1[fixture_idx(m, "name")], "News \u2014 \"daily\"");
	snap1 = admin_snapshot(r, m, v1);

	save("tag", id, "name", "Latest", "slug", "latest", END);
	ck_assert_int_eq(model_row_get(r, m, id, &v2), 1);
	ck_assert_str_ne(admin_version(r, m, v1), admin_version(r, m, v2));
	diff = admin_diff(r, m, v1, v2);
	a = fixture_json(diff);
	ck_assert_uint_eq(json_array_size(a), 2);
	fixture_assert_change(a, "name", "Name", "News \u2014 \"daily\"",
	    "Latest");
	fixture_assert_change(a, "slug", "Slug", "news", "latest");
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
	fixture_assert_same_values(m, v3, v1);
	ck_assert_str_eq(admin_version(r, m, v3), admin_version(r, m, v1));
	ck_assert_ptr_null(admin_diff(r, m, v1, v3));

	/* Undo the change instead: the same row again. */
	save("tag", id, "name", "Latest", "slug", "latest", END);
	ck_assert_int_eq(model_row_get(r, m, id, &v2), 1);
	nv = admin_revert_values(r, m, v2, diff, true);
	ck_assert_ptr_nonnull(nv);
	save("tag", id, "name", nv[fixture_idx(m, "name")],
	    "slug", nv[fixture_idx(m, "slug")],
	    "description", nv[fixture_idx(m, "description")], END);
	ck_assert_int_eq(model_row_get(r, m, id, &v3), 1);
	fixture_assert_same_values(m, v3, v1);
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
	return model_row_taken(r, m, &f.fields[fixture_idx(m, fname)], id);
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

Suite *
admin_rows_suite(void)
{
	Suite	*s = suite_create("admin_rows");
	TCase	*rows = tcase_create("rows");

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
	return s;
}
