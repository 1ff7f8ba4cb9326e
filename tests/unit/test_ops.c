/*
 * test_ops: the pure parts of app/site/ops.c (the secret's strength,
 * Set-Cookie attributes, JSON values checked against a field) and the
 * raw rows of app/core/model.c that dumpdata and loaddata move: a scan
 * in pk pages with extra columns and id lists, and an upsert that
 * inserts, updates, replaces join rows and refuses unknown names.
 */
#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/http.h"
#include "core/model.h"
#include "fixture.h"
#include "site/ops.h"
#include "site/site.h"

Suite	*ops_suite(void);

static const char *why;

#define JUDGE(s)	ops_secret_judge((const unsigned char *)(s), \
			    strlen(s), &why)

START_TEST(test_ops_secret_random_base64_is_fine)
{
	ck_assert_int_eq(JUDGE("q3J0Vd1cX9o8eWm2ZbK7tLr5uNf4Hs6GyPa1Cx0vQjE=\n"),
	    0);
}
END_TEST

START_TEST(test_ops_secret_short_is_an_error)
{
	ck_assert_int_eq(JUDGE("abcdefghijklmnopqrstuvwxyz01234\n"), 2);
	ck_assert(strstr(why, "32 bytes") != NULL);
}
END_TEST

START_TEST(test_ops_secret_low_entropy_is_an_error)
{
	ck_assert_int_eq(JUDGE("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), 2);
	ck_assert_int_eq(JUDGE("abababababababababababababababababababab"), 2);
	ck_assert(strstr(why, "entropy") != NULL);
}
END_TEST

START_TEST(test_ops_secret_example_phrase_is_a_warning)
{
	ck_assert_int_eq(JUDGE("integration-test-secret-0123456789abcdef\n"),
	    1);
	ck_assert_int_eq(JUDGE("please-ChangeMe-now-QWERTY-0123456789abcdefg"),
	    1);
	ck_assert_int_eq(JUDGE("my-example-key-QWERTYUIOP-0123456789abcdefg"),
	    1);
}
END_TEST

START_TEST(test_ops_entropy_bounds)
{
	ck_assert(ops_entropy((const unsigned char *)"", 0) == 0);
	ck_assert(ops_entropy((const unsigned char *)"aaaa", 4) == 0);
	ck_assert(ops_entropy((const unsigned char *)"abcd", 4) == 2);
}
END_TEST

START_TEST(test_ops_cookie_attributes)
{
	const char	*sc = "gazette_csrf=ab; Path=/; SameSite=Lax; "
			    "HttpOnly; Max-Age=10";
	char		*v;

	ck_assert(ops_cookie_has(sc, "HttpOnly", NULL));
	ck_assert(ops_cookie_has(sc, "httponly", NULL));
	ck_assert(!ops_cookie_has(sc, "Secure", NULL));
	ck_assert(ops_cookie_has(sc, "SameSite", &v));
	ck_assert_str_eq(v, "Lax");
	free(v);
	ck_assert(ops_cookie_has(sc, "HttpOnly", &v));
	ck_assert_ptr_null(v);
	/* A value that looks like an attribute is not one. */
	ck_assert(!ops_cookie_has("n=Secure; Path=/", "Secure", NULL));
	ck_assert(!ops_cookie_has("n=v", "Path", NULL));
	ck_assert(ops_cookie_has("n=v;Secure", "Secure", NULL));
}
END_TEST

static const struct model_field *
field(const char *model, const char *name)
{
	const struct model_field *f;

	ck_assert_int_eq(model_register_all(site_models), 0);
	f = model_field(model_find(model), name);
	ck_assert_ptr_nonnull(f);
	return f;
}

/* ops_value_from_json on JSON text j for model.name: the message. */
static const char *
conv(const char *model, const char *name, const char *j,
    struct model_raw *x)
{
	static struct buf	 ids;
	static json_t		*v;
	json_error_t		 e;

	json_decref(v);
	buf_free(&ids);
	buf_init(&ids);
	v = json_loads(j, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
	ck_assert_ptr_nonnull(v);
	return ops_value_from_json(name != NULL ? field(model, name) : NULL,
	    v, x, &ids);
}

START_TEST(test_ops_json_values_by_type)
{
	struct model_raw x;

	ck_assert_ptr_null(conv("article", "title", "\"Hi\"", &x));
	ck_assert_int_eq(x.type, SQLITE_TEXT);
	ck_assert_str_eq(x.s, "Hi");
	ck_assert_str_eq(conv("article", "title", "3", &x),
	    "must be a string");
	ck_assert_ptr_null(conv("article", "publish_at", "1700000000", &x));
	ck_assert_int_eq(x.i, 1700000000);
	ck_assert_ptr_null(conv("article", "publish_at", "null", &x));
	ck_assert_int_eq(x.type, SQLITE_NULL);
	ck_assert_ptr_nonnull(conv("article", "publish_at",
	    "\"2024-01-01\"", &x));
	ck_assert_ptr_null(conv("article", "comments_open", "false", &x));
	ck_assert_int_eq(x.type, SQLITE_INTEGER);
	ck_assert_int_eq(x.i, 0);
	ck_assert_ptr_nonnull(conv("article", "comments_open", "2", &x));
	ck_assert_str_eq(conv("article", "status", "\"gone\"", &x),
	    "is not one of its choices");
	ck_assert_ptr_null(conv("article", "status", "\"draft\"", &x));
	ck_assert_str_eq(conv("article", "title", "null", &x), "is required");
	ck_assert_ptr_null(conv("article", "tags", "[3, 7]", &x));
	ck_assert_str_eq(x.s, "3,7");
	ck_assert_ptr_null(conv("article", "tags", "[]", &x));
	ck_assert_str_eq(x.s, "");
	ck_assert_ptr_nonnull(conv("article", "tags", "[0]", &x));
	ck_assert_ptr_nonnull(conv("article", "tags", "\"3\"", &x));
	ck_assert_ptr_nonnull(conv("article", "author_id", "-1", &x));
	ck_assert_ptr_nonnull(conv("user", "username", "\"a b\"", &x));
	ck_assert_ptr_null(conv("article", NULL, "\"<p>x</p>\"", &x));
	ck_assert_ptr_nonnull(conv("article", NULL, "[1]", &x));
	ck_assert_ptr_nonnull(conv("article", "title", "\"a\\u0000b\"", &x));
}
END_TEST

START_TEST(test_ops_value_too_long_is_refused)
{
	struct model_raw x;
	char		 j[400];

	memset(j, 'a', sizeof(j) - 1);
	j[0] = '"';
	j[302] = '"';
	j[303] = '\0';		/* 301 characters: title max is 300 */
	ck_assert_str_eq(conv("article", "title", j, &x), "is too long");
	j[301] = '"';
	j[302] = '\0';
	ck_assert_ptr_null(conv("article", "title", j, &x));
}
END_TEST

/* ---- raw rows on a database ---------------------------------------------- */

static struct fixture_db fdb;
static struct req	 rq;

static void
db_setup(void)
{
	fixture_req_open(&fdb, &rq, true, &fixture_wide_limits);
	ck_assert_int_eq(model_register_all(site_models), 0);
}

static void
db_teardown(void)
{
	fixture_req_close(&fdb, &rq);
}

struct seen {
	int64_t		 pks[16];
	char		 tags[16][32];
	char		 html[16][32];
	int		 n;
};

static int
collect(void *arg, int64_t pk, const struct model_raw *v, size_t n)
{
	struct seen *s = arg;

	ck_assert_int_lt(s->n, 16);
	s->pks[s->n] = pk;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].name, "tags") == 0)
			snprintf(s->tags[s->n], 32, "%s", v[i].s);
		if (strcmp(v[i].name, "body_html") == 0)
			snprintf(s->html[s->n], 32, "%s", v[i].s);
	}
	s->n++;
	return 0;
}

static int64_t
upsert_article(int64_t pk, const char *title, const char *slug,
    const char *tags)
{
	struct model_raw v[] = {
		{ .name = "title", .type = SQLITE_TEXT, .s = title },
		{ .name = "slug", .type = SQLITE_TEXT, .s = slug },
		{ .name = "created_at", .type = SQLITE_INTEGER, .i = 1 },
		{ .name = "updated_at", .type = SQLITE_INTEGER, .i = 2 },
		{ .name = "body_html", .type = SQLITE_TEXT, .s = "<p>x</p>" },
		{ .name = "tags", .type = SQLITE_TEXT, .s = tags },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		model_raw_column(model_find("article"), v[i].name,
		    &v[i].field);
	return model_raw_upsert(&rq, model_find("article"), pk, v,
	    sizeof(v) / sizeof(v[0]));
}

START_TEST(test_ops_raw_upsert_then_scan_in_pages)
{
	const struct model	*m = model_find("article");
	struct seen		 s = { .n = 0 };
	static const char sql_tag[] =
	    "INSERT INTO tags (id, slug, name) VALUES (?1, ?2, ?2)";
	sqlite3_stmt		*st;

	ck_assert_int_eq(db_begin_write(&rq), 0);
	for (int i = 1; i <= 3; i++) {
		char	 slug[8] = { 't', (char)('0' + i), '\0' };

		st = db_stmt(&rq, sql_tag);
		db_bind_int64(&rq, st, 1, i);
		db_bind_text(&rq, st, 2, slug);
		ck_assert_int_eq(db_step(&rq, st), SQLITE_DONE);
		db_done(&rq, st);
	}
	ck_assert_int_eq(upsert_article(5, "Five", "five", "1,3"), 0);
	ck_assert_int_eq(upsert_article(9, "Nine", "nine", ""), 0);
	ck_assert_int_eq(upsert_article(12, "Twelve", "twelve", "2"), 0);
	/* An update of the same pk: values and join rows replaced. */
	ck_assert_int_eq(upsert_article(5, "Five again", "five", "2"), 0);
	ck_assert_int_eq(db_commit(&rq), 0);
	ck_assert_int_eq(model_raw_count(&rq, m), 3);

	ck_assert_int_eq(model_raw_scan(&rq, m, 0, 2, collect, &s), 2);
	ck_assert_int_eq(model_raw_scan(&rq, m, s.pks[1], 2, collect, &s), 1);
	ck_assert_int_eq(s.n, 3);
	ck_assert_int_eq(s.pks[0], 5);
	ck_assert_int_eq(s.pks[1], 9);
	ck_assert_int_eq(s.pks[2], 12);
	ck_assert_str_eq(s.tags[0], "2");
	ck_assert_str_eq(s.tags[1], "");
	ck_assert_str_eq(s.html[2], "<p>x</p>");
	ck_assert(!req_failed(&rq));
}
END_TEST

START_TEST(test_ops_raw_upsert_refuses_unknown_and_virtual_names)
{
	const struct model	*u = model_find("user");
	const struct model_field *f;
	struct model_raw	 v = { .name = "password1",
				    .type = SQLITE_TEXT, .s = "x" };

	ck_assert_ptr_null(model_raw_column(u, "password1", &f));
	ck_assert_ptr_null(model_raw_column(u, "totp_secret", &f));
	ck_assert_str_eq(model_raw_column(u, "password", &f), "password");
	ck_assert_ptr_null(f);
	ck_assert_int_eq(model_raw_upsert(&rq, u, 1, &v, 1), -1);
	ck_assert_ptr_nonnull(rq.error_detail);
	ck_assert(strstr(rq.error_detail, "password1") != NULL);
	ck_assert(!req_failed(&rq));
}
END_TEST

Suite *
ops_suite(void)
{
	Suite	*s = suite_create("ops");
	TCase	*tc = tcase_create("pure");
	TCase	*db = tcase_create("rows");

	tcase_add_test(tc, test_ops_secret_random_base64_is_fine);
	tcase_add_test(tc, test_ops_secret_short_is_an_error);
	tcase_add_test(tc, test_ops_secret_low_entropy_is_an_error);
	tcase_add_test(tc, test_ops_secret_example_phrase_is_a_warning);
	tcase_add_test(tc, test_ops_entropy_bounds);
	tcase_add_test(tc, test_ops_cookie_attributes);
	tcase_add_test(tc, test_ops_json_values_by_type);
	tcase_add_test(tc, test_ops_value_too_long_is_refused);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(db, db_setup, db_teardown);
	tcase_add_test(db, test_ops_raw_upsert_then_scan_in_pages);
	tcase_add_test(db, test_ops_raw_upsert_refuses_unknown_and_virtual_names);
	suite_add_tcase(s, db);
	return s;
}
