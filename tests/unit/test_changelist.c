/*
 * test_changelist: the changelist query engine of app/core/model.c
 * (model_query_parse, model_list, model_count_capped) and
 * db_stmt_built() under it, on a migrated database with the site's
 * models: keyset walks in every order across NULLs and ties, filters,
 * search with LIKE's wildcards escaped, refused parameters and cursors,
 * capped counts, SQL that holds no input, and the articles' query plan.
 */
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "core/model.h"
#include "fixture.h"
#include "site/site.h"

Suite	*changelist_suite(void);

#define NARTICLES	23

static struct fixture_db fdb;
static struct req *r;

/*
 * 23 articles: publish_at NULL for every fourth (drafts never
 * published), else 1000 + i % 5 (many ties); status by i % 3; created_at
 * the same for all (a column of ties only).  Three titles hold LIKE's
 * wildcards and its escape.  Five tags whose names differ in case only
 * in their order (the column is COLLATE NOCASE).
 */
static void
setup(void)
{
	ck_assert_int_eq(model_register_all(site_models), 0);
	fixture_db_open(&fdb);
	r = fixture_req();
	fixture_sql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
	    "SELECT i + 1 FROM n WHERE i < ?1) "
	    "INSERT INTO articles (id, slug, title, body, status, publish_at, "
	    "comments_open, created_at, updated_at) "
	    "SELECT i, 'a-' || i, 'Title ' || i, 'body ' || i, "
	    "CASE i % 3 WHEN 0 THEN 'draft' WHEN 1 THEN 'published' "
	    "ELSE 'scheduled' END, "
	    "CASE WHEN i % 4 = 0 THEN NULL ELSE 1000 + i % 5 END, "
	    "i % 2, 7, 100 - i FROM n", 1, (long long)NARTICLES);
	fixture_sql("UPDATE articles SET title = 'Fifty % off' WHERE id = 5",
	    0);
	fixture_sql("UPDATE articles SET title = 'under_score' WHERE id = 7",
	    0);
	fixture_sql("UPDATE articles SET title = 'back\\slash' WHERE id = 9",
	    0);
	fixture_sql("INSERT INTO tags (slug, name) VALUES ('b', 'beta'), "
	    "('a2', 'Alpha'), ('c', 'gamma'), ('d', 'Delta'), ('e', 'epsilon')",
	    0);
}

static void
teardown(void)
{
	fixture_reqs_free();
	fixture_db_close(&fdb);
}

/*
 * Parse the query of key, value pairs (NULL-terminated) for model name
 * into q; returns what model_query_parse() returns.
 */
static int
parse(struct model_query *q, const char *name, ...)
{
	struct param	 pv[16];
	struct params	 p = { pv, 0, NELEM(pv) };
	const char	*k;
	va_list		 ap;

	va_start(ap, name);
	while ((k = va_arg(ap, const char *)) != NULL) {
		ck_assert_uint_lt(p.n, NELEM(pv));
		pv[p.n].key = k;
		pv[p.n].value = va_arg(ap, const char *);
		pv[p.n].value_len = strlen(pv[p.n].value);
		p.n++;
	}
	va_end(ap);
	r->error_detail = NULL;
	return model_query_parse(r, model_find(name), &p, q);
}

/* The ids of sql's rows (a literal of the test), joined with ','. */
static char *
ids_of(const char *sql)
{
	sqlite3_stmt	*st;
	char		*out;

	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(), sql, -1, &st, NULL),
	    SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	out = arena_strdup(r->arena, sqlite3_column_text(st, 0) != NULL ?
	    (const char *)sqlite3_column_text(st, 0) : "");
	sqlite3_finalize(st);
	return out;
}

/* What ORDER BY model_order_by(o) gives for model m, as "3,1,2". */
static char *
expected_order(const struct model *m, const char *o)
{
	char	 sql[512];

	snprintf(sql, sizeof(sql), "SELECT group_concat(id) FROM "
	    "(SELECT id FROM %s ORDER BY %s)", m->table,
	    model_order_by(r, m, o));
	return ids_of(sql);
}

/*
 * Walk model name in order o, page rows at a time, following the
 * cursors; return the ids seen, "3,1,2", checking no page is empty and
 * no id comes twice.
 */
static char *
walk(const char *name, const char *o, int rows)
{
	struct model_query q;
	struct model_page page;
	static const char *const cols[] = { "slug", NULL };
	const char	*cursor = NULL;
	char		*out = arena_strdup(r->arena, "");
	int		 pages = 0;

	do {
		if (cursor == NULL)
			ck_assert_int_eq(parse(&q, name, "o", o, NULL), 0);
		else
			ck_assert_int_eq(parse(&q, name, "o", o, "cursor",
			    cursor, NULL), 0);
		q.limit = rows;
		ck_assert_int_eq(model_list(r, &q, cols, &page), 0);
		ck_assert_msg(page.n > 0 || pages == 0, "empty page %d", pages);
		ck_assert_uint_le(page.n, (size_t)rows);
		for (size_t i = 0; i < page.n; i++) {
			char	 needle[32];

			snprintf(needle, sizeof(needle), ",%lld,",
			    (long long)page.rows[i].pk);
			ck_assert_msg(!fixture_has(arena_printf(r->arena,
			    ",%s,", out), needle), "%s o=%s: id %lld twice",
			    name, o, (long long)page.rows[i].pk);
			out = arena_printf(r->arena, "%s%s%lld", out,
			    *out != '\0' ? "," : "",
			    (long long)page.rows[i].pk);
		}
		ck_assert(page.more == (page.next != NULL));
		cursor = page.next;
		ck_assert_int_lt(++pages, 100);
	} while (cursor != NULL);
	ck_assert(!req_failed(r));
	return out;
}

START_TEST(test_changelist_walks_every_row_once_in_every_order)
{
	static const char *const orders[] = {
		"-publish_at", "publish_at", "title", "-title", "status",
		"-status", "created_at", "-created_at", "-updated_at", "slug",
	};
	static const int sizes[] = { 1, 2, 3, 5, 7, 22, 23, 24, 500 };

	for (size_t i = 0; i < NELEM(orders); i++)
		for (size_t k = 0; k < NELEM(sizes); k++)
			ck_assert_str_eq(walk("article", orders[i], sizes[k]),
			    expected_order(model_find("article"), orders[i]));
}
END_TEST

START_TEST(test_changelist_walks_nocase_column_in_its_collation)
{
	static const char *const orders[] = { "name", "-name", "slug" };

	for (size_t i = 0; i < NELEM(orders); i++)
		for (int size = 1; size <= 6; size++)
			ck_assert_str_eq(walk("tag", orders[i], size),
			    expected_order(model_find("tag"), orders[i]));
	/* Alpha, beta, Delta, epsilon, gamma: case does not order. */
	ck_assert_str_eq(walk("tag", "name", 2),
	    ids_of("SELECT group_concat(id) FROM (SELECT id FROM tags "
	    "ORDER BY lower(name))"));
}
END_TEST

START_TEST(test_changelist_null_sort_values_first_ascending_last_descending)
{
	struct model_query q;
	struct model_page page;
	static const char *const cols[] = { "publish_at", "title", NULL };

	ck_assert_int_eq(parse(&q, "article", "o", "publish_at", NULL), 0);
	q.limit = 5;
	ck_assert_int_eq(model_list(r, &q, cols, &page), 0);
	ck_assert_uint_eq(page.n, 5);
	for (size_t i = 0; i < 5; i++)	/* ids 4, 8, 12, 16, 20 */
		ck_assert_ptr_null(page.rows[i].values[0]);
	ck_assert_int_eq(page.rows[0].pk, 4);
	ck_assert_str_eq(page.rows[0].values[1], "Title 4");
	ck_assert(page.more);
	ck_assert_str_eq(page.next, "v1.publish_at.n.20");

	ck_assert_int_eq(parse(&q, "article", NULL), 0);	/* -publish_at */
	q.limit = NARTICLES;
	ck_assert_int_eq(model_list(r, &q, cols, &page), 0);
	ck_assert_uint_eq(page.n, NARTICLES);
	ck_assert(!page.more);
	ck_assert_ptr_null(page.next);
	ck_assert_str_eq(page.rows[0].values[0], "1004");
	ck_assert_ptr_null(page.rows[NARTICLES - 1].values[0]);
	ck_assert_int_eq(page.rows[NARTICLES - 1].pk, 4);
}
END_TEST

/* The ids model_list() gives for the query pairs that follow. */
static char *
list_ids(const char *name, ...)
{
	struct model_query q;
	struct model_page page;
	struct param	 pv[8];
	struct params	 p = { pv, 0, NELEM(pv) };
	const char	*k;
	char		*out = arena_strdup(r->arena, "");
	va_list		 ap;

	va_start(ap, name);
	while ((k = va_arg(ap, const char *)) != NULL) {
		pv[p.n].key = k;
		pv[p.n].value = va_arg(ap, const char *);
		pv[p.n].value_len = strlen(pv[p.n].value);
		p.n++;
	}
	va_end(ap);
	ck_assert_int_eq(model_query_parse(r, model_find(name), &p, &q), 0);
	q.limit = MODEL_PAGE_MAX;
	ck_assert_int_eq(model_list(r, &q, NULL, &page), 0);
	for (size_t i = 0; i < page.n; i++)
		out = arena_printf(r->arena, "%s%s%lld", out,
		    i > 0 ? "," : "", (long long)page.rows[i].pk);
	return out;
}

START_TEST(test_changelist_filters_narrow_by_each_type)
{
	ck_assert_str_eq(list_ids("article", "status", "draft", NULL),
	    ids_of("SELECT group_concat(id) FROM (SELECT id FROM articles "
	    "WHERE status = 'draft' ORDER BY publish_at DESC, id DESC)"));
	ck_assert_str_eq(list_ids("article", "status", "draft",
	    "comments_open", "1", "o", "title", NULL),
	    ids_of("SELECT group_concat(id) FROM (SELECT id FROM articles "
	    "WHERE status = 'draft' AND comments_open = 1 "
	    "ORDER BY title, id)"));
	ck_assert_str_eq(list_ids("article", "comments_open", "0", "o",
	    "slug", NULL), ids_of("SELECT group_concat(id) FROM (SELECT id "
	    "FROM articles WHERE comments_open = 0 ORDER BY slug, id)"));
	/* 1970-01-01T00:16:41 is 1001: ids 1, 6, 11, 21 (16 is NULL). */
	ck_assert_str_eq(list_ids("article", "publish_at",
	    "1970-01-01T00:16:41", "o", "publish_at", NULL), "1,6,11,21");
	ck_assert_str_eq(list_ids("article", "author_id", "1", NULL), "");
}
END_TEST

START_TEST(test_changelist_search_needs_every_word_in_some_column)
{
	/* "Title 1": "title" in title, "1" in title, slug or body. */
	ck_assert_str_eq(list_ids("article", "q", "  title   1 ", "o",
	    "slug", NULL), ids_of("SELECT group_concat(id) FROM (SELECT id "
	    "FROM articles WHERE (title LIKE '%title%' OR slug LIKE "
	    "'%title%' OR body LIKE '%title%') AND (title LIKE '%1%' OR slug "
	    "LIKE '%1%' OR body LIKE '%1%') ORDER BY slug, id)"));
	ck_assert_str_eq(list_ids("article", "q", "under", NULL), "7");
	ck_assert_str_eq(list_ids("article", "q", "body 21", NULL), "21");
	ck_assert_str_eq(list_ids("article", "q", "nothing-like-this", NULL),
	    "");
	/* Blank: no search at all. */
	ck_assert_str_eq(list_ids("article", "q", "   ", "o", "slug", NULL),
	    expected_order(model_find("article"), "slug"));
	ck_assert_str_eq(list_ids("tag", "q", "ALPHA", NULL),
	    ids_of("SELECT id FROM tags WHERE name = 'Alpha'"));
}
END_TEST

START_TEST(test_changelist_search_escapes_like_wildcards)
{
	ck_assert_str_eq(list_ids("article", "q", "%", NULL), "5");
	ck_assert_str_eq(list_ids("article", "q", "_", NULL), "7");
	ck_assert_str_eq(list_ids("article", "q", "\\", NULL), "9");
	ck_assert_str_eq(list_ids("article", "q", "Fifty%off", NULL), "");
	ck_assert_str_eq(list_ids("article", "q", "under_", NULL), "7");
	ck_assert_str_eq(list_ids("article", "q", "%_\\", NULL), "");
}
END_TEST

START_TEST(test_changelist_refuses_unknown_sort_filter_and_parameter)
{
	struct model_query q;
	static const char *const bad[][2] = {
		{ "o", "nope" }, { "o", "body" }, { "o", "tags" },
		{ "o", "title;DROP TABLE articles" }, { "o", "--title" },
		{ "title", "x" },		/* a field, not filterable */
		{ "body_html", "x" },		/* a column, not a field */
		{ "zzz", "1" }, { "p", "2" }, { "page", "2" }, { "", "" },
		{ "status", "bogus" },		/* not a choice */
		{ "status", "" },		/* empty */
		{ "author_id", "abc" }, { "author_id", "0" },
		{ "comments_open", "yes" }, { "comments_open", "2" },
		{ "publish_at", "yesterday" },
		{ "status=draft", "x" },
	};

	for (size_t i = 0; i < NELEM(bad); i++) {
		ck_assert_msg(parse(&q, "article", bad[i][0], bad[i][1],
		    NULL) == 400, "%s=%s accepted", bad[i][0], bad[i][1]);
		ck_assert_ptr_nonnull(r->error_detail);
	}
	/* A name twice, even a good one. */
	ck_assert_int_eq(parse(&q, "article", "o", "title", "o", "slug",
	    NULL), 400);
	ck_assert_int_eq(parse(&q, "article", "status", "draft", "status",
	    "published", NULL), 400);
	/* Users' passwords are not fields. */
	ck_assert_int_eq(parse(&q, "tag", "q", "x", NULL), 0);
	ck_assert_int_eq(parse(&q, "group", "q", "x", NULL), 0);
	ck_assert_int_eq(parse(&q, "user", "password", "x", NULL), 400);
	ck_assert_int_eq(parse(&q, "user", "o", "password", NULL), 400);
	ck_assert_int_eq(parse(&q, "article", "q", "a b c d e f g h i",
	    NULL), 400);
	ck_assert_ptr_nonnull(r->error_detail);
	ck_assert(!req_failed(r));
}
END_TEST

START_TEST(test_changelist_refuses_forged_cursor)
{
	struct model_query q;
	static const char *const bad_date[] = {
		"v1", "v1.", "v2.-publish_at.i1001.3", "x",
		"v1.publish_at.i1001.3",	/* made for another order */
		"v1.title.i1001.3", "v1.-publish_at.i1001",
		"v1.-publish_at.i1001.0", "v1.-publish_at.i1001.-3",
		"v1.-publish_at.i1001.3x", "v1.-publish_at.i.3",
		"v1.-publish_at.ix.3", "v1.-publish_at.i1.5.3",
		"v1.-publish_at.t31.3",		/* text for an integer */
		"v1.-publish_at..3", "v1.-publish_at.N.3",
		"v1.-publish_at.nx.3", "v1.-publish_at.i99999999999999999999.3",
		"v1.-publish_at.i1001.3; DROP TABLE articles",
		"v1.-publish_at.i1001.3.",
	};
	static const char *const bad_title[] = {
		"v1.title.t4.3",		/* odd hex */
		"v1.title.tzz.3", "v1.title.t4A.3",	/* upper case */
		"v1.title.t00.3",		/* NUL */
		"v1.title.tff.3",		/* not UTF-8 */
		"v1.title.i5.3",		/* integer for text */
	};
	char		 huge[MODEL_CURSOR_MAX + 16];

	for (size_t i = 0; i < NELEM(bad_date); i++) {
		ck_assert_msg(parse(&q, "article", "cursor", bad_date[i],
		    NULL) == 400, "cursor %s accepted", bad_date[i]);
		ck_assert_ptr_nonnull(r->error_detail);
	}
	for (size_t i = 0; i < NELEM(bad_title); i++)
		ck_assert_msg(parse(&q, "article", "o", "title", "cursor",
		    bad_title[i], NULL) == 400, "cursor %s accepted",
		    bad_title[i]);
	/* A NULL position is well-formed for any order but the pk's. */
	ck_assert_int_eq(parse(&q, "tag", "o", "slug", "cursor",
	    "v1.slug.n.1", NULL), 0);
	memset(huge, 'a', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	memcpy(huge, "v1.title.t", 10);
	ck_assert_int_eq(parse(&q, "article", "o", "title", "cursor", huge,
	    NULL), 400);
	/* Well-formed ones are accepted: they are only positions. */
	ck_assert_int_eq(parse(&q, "article", "cursor",
	    "v1.-publish_at.i-5.3", NULL), 0);
	ck_assert(q.after.set && q.after.is_num && q.after.num == -5);
	ck_assert_int_eq(parse(&q, "article", "o", "title", "cursor",
	    "v1.title.t4869.3", NULL), 0);
	ck_assert_str_eq(q.after.text, "Hi");
	ck_assert_int_eq(parse(&q, "article", "cursor", "", NULL), 0);
	ck_assert(!q.after.set);
}
END_TEST

START_TEST(test_changelist_count_capped_says_more_past_the_cap)
{
	struct model_query q;
	bool		 more;

	ck_assert_int_eq(parse(&q, "article", NULL), 0);
	ck_assert_int_eq(model_count_capped(r, &q, 5, &more), 5);
	ck_assert(more);
	ck_assert(fixture_has(model_test_last_sql(false), "LIMIT ?"));
	ck_assert_int_eq(model_count_capped(r, &q, NARTICLES, &more),
	    NARTICLES);
	ck_assert(!more);
	ck_assert_int_eq(model_count_capped(r, &q, 1000, &more), NARTICLES);
	ck_assert(!more);
	ck_assert_int_eq(model_count_capped(r, &q, 0, &more), 0);
	ck_assert(more);
	ck_assert_int_eq(parse(&q, "article", "status", "draft", "q", "title",
	    NULL), 0);
	ck_assert_int_eq(model_count_capped(r, &q, 100, &more),
	    fixture_sql("SELECT count(*) FROM articles WHERE status = 'draft' "
	    "AND title LIKE '%title%'", 0));
	ck_assert(!more);
	ck_assert(!req_failed(r));
}
END_TEST

START_TEST(test_changelist_sql_holds_no_input_text)
{
	struct model_query q;
	struct model_page page;
	const char	*sql, *x;

	ck_assert_int_eq(parse(&q, "article", "q", "needle'x", "status",
	    "scheduled", "o", "title", "cursor", "v1.title.t4869.3", NULL),
	    0);
	ck_assert_int_eq(model_list(r, &q, NULL, &page), 0);
	sql = model_test_last_sql(false);
	x = model_test_last_sql(true);
	ck_assert_ptr_nonnull(sql);
	ck_assert_msg(!fixture_has(sql, "needle") &&
	    !fixture_has(sql, "scheduled") && !fixture_has(sql, "'Hi'"),
	    "input in SQL: %s", sql);
	ck_assert(fixture_has(sql, "title LIKE ?"));
	ck_assert(fixture_has(sql, "ESCAPE '\\'"));
	ck_assert(fixture_has(sql, "(title, id) > (?"));
	/* Bound, the values are there. */
	ck_assert_msg(fixture_has(x, "'%needle''x%'") &&
	    fixture_has(x, "'scheduled'") && fixture_has(x, "'Hi'"),
	    "not bound: %s", x);

	ck_assert_int_eq(parse(&q, "article", "q", "needle", NULL), 0);
	ck_assert(model_count_capped(r, &q, 10, &(bool){ false }) == 0);
	ck_assert(!fixture_has(model_test_last_sql(false), "needle"));
	ck_assert(fixture_has(model_test_last_sql(true), "needle"));
}
END_TEST

START_TEST(test_changelist_columns_and_page_size)
{
	struct model_query q;
	struct model_page page;
	static const char *const bad[] = { "tags", NULL };
	static const char *const hidden[] = { "password", NULL };
	static const char *const cols[] = { "title", "status", "author_id",
	    NULL };

	ck_assert_int_eq(parse(&q, "article", "o", "slug", NULL), 0);
	q.limit = 0;			/* clamped to 1 */
	ck_assert_int_eq(model_list(r, &q, cols, &page), 0);
	ck_assert_uint_eq(page.n, 1);
	ck_assert_str_eq(page.rows[0].values[0], "Title 1");
	ck_assert_str_eq(page.rows[0].values[1], "published");
	ck_assert_ptr_null(page.rows[0].values[2]);
	q.limit = 100000;		/* clamped to MODEL_PAGE_MAX */
	ck_assert_int_eq(model_list(r, &q, cols, &page), 0);
	ck_assert_uint_eq(page.n, NARTICLES);
	ck_assert_int_eq(model_list(r, &q, bad, &page), -1);
	ck_assert(req_failed(r));
	r = fixture_req();
	ck_assert_int_eq(parse(&q, "user", NULL), 0);
	ck_assert_int_eq(model_list(r, &q, hidden, &page), -1);
}
END_TEST

/* The EXPLAIN QUERY PLAN details of sql, joined with "; ". */
static char *
plan_of(const char *sql)
{
	sqlite3_stmt	*st;
	char		*out = arena_strdup(r->arena, "");
	char		*eqp = arena_printf(r->arena, "EXPLAIN QUERY PLAN %s",
	    sql);

	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(), eqp, -1, &st, NULL),
	    SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		out = arena_printf(r->arena, "%s%s; ", out,
		    (const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	return out;
}

/* The plan of the last statement of a page of articles after cursor. */
static char *
article_plan(const char *filter, const char *value, const char *cursor)
{
	struct model_query q;
	struct model_page page;

	if (filter != NULL)
		ck_assert_int_eq(parse(&q, "article", filter, value, "cursor",
		    cursor, NULL), 0);
	else
		ck_assert_int_eq(parse(&q, "article", "cursor", cursor, NULL),
		    0);
	q.limit = 2;
	ck_assert_int_eq(model_list(r, &q, NULL, &page), 0);
	return plan_of(model_test_last_sql(false));
}

START_TEST(test_changelist_article_default_order_uses_an_index)
{
	const char	*p;

	/*
	 * Filtered by status, the default order (-publish_at) walks
	 * articles_public (status, publish_at DESC, id DESC): a seek, no
	 * sort, however deep the cursor.
	 */
	p = article_plan("status", "published", "v1.-publish_at.i1003.8");
	ck_assert_msg(fixture_has(p, "INDEX articles_public") &&
	    !fixture_has(p, "TEMP B-TREE"), "plan: %s", p);
	p = article_plan("status", "published", "v1.-publish_at.n.8");
	ck_assert_msg(fixture_has(p, "INDEX articles_public") &&
	    !fixture_has(p, "TEMP B-TREE"), "plan: %s", p);
	/*
	 * Unfiltered, articles_admin_publish (publish_at DESC, id DESC,
	 * from 0005) serves the same SQL: a walk with no sort.
	 */
	p = article_plan(NULL, NULL, "v1.-publish_at.i1003.8");
	ck_assert_msg(fixture_has(p, "articles_admin_publish") &&
	    !fixture_has(p, "TEMP B-TREE"), "plan: %s", p);
	p = article_plan(NULL, NULL, "v1.-publish_at.n.8");
	ck_assert_msg(fixture_has(p, "articles_admin_publish") &&
	    !fixture_has(p, "TEMP B-TREE"), "plan: %s", p);
}
END_TEST

START_TEST(test_changelist_db_stmt_built_refuses_surplus_sql)
{
	sqlite3_stmt	*st;

	st = db_stmt_built(r, "SELECT 1; ");
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(db_step(r, st), SQLITE_ROW);
	db_built_done(r, st);
	ck_assert_ptr_null(db_stmt_built(r, "SELECT 1; SELECT 2"));
	ck_assert(req_failed(r));
	r = fixture_req();
	ck_assert_ptr_null(db_stmt_built(r, "SELECT nope FROM nowhere"));
	ck_assert(req_failed(r));
}
END_TEST

START_TEST(test_changelist_tag_perms_granted_to_editors)
{
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM permissions "
	    "WHERE codename IN ('tag.view', 'tag.add', 'tag.change', "
	    "'tag.delete')", 0), 4);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM group_permissions "
	    "gp JOIN groups g ON g.id = gp.group_id JOIN permissions p "
	    "ON p.id = gp.permission_id WHERE p.codename LIKE 'tag.%' "
	    "AND g.name = 'Editors'", 0), 4);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM group_permissions "
	    "gp JOIN groups g ON g.id = gp.group_id JOIN permissions p "
	    "ON p.id = gp.permission_id WHERE p.codename LIKE 'tag.%' "
	    "AND g.name <> 'Editors'", 0), 0);
}
END_TEST

Suite *
changelist_suite(void)
{
	Suite	*s = suite_create("changelist");
	TCase	*tc = tcase_create("changelist");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_changelist_walks_every_row_once_in_every_order);
	tcase_add_test(tc,
	    test_changelist_walks_nocase_column_in_its_collation);
	tcase_add_test(tc,
	    test_changelist_null_sort_values_first_ascending_last_descending);
	tcase_add_test(tc, test_changelist_filters_narrow_by_each_type);
	tcase_add_test(tc,
	    test_changelist_search_needs_every_word_in_some_column);
	tcase_add_test(tc, test_changelist_search_escapes_like_wildcards);
	tcase_add_test(tc,
	    test_changelist_refuses_unknown_sort_filter_and_parameter);
	tcase_add_test(tc, test_changelist_refuses_forged_cursor);
	tcase_add_test(tc, test_changelist_count_capped_says_more_past_the_cap);
	tcase_add_test(tc, test_changelist_sql_holds_no_input_text);
	tcase_add_test(tc, test_changelist_columns_and_page_size);
	tcase_add_test(tc, test_changelist_article_default_order_uses_an_index);
	tcase_add_test(tc, test_changelist_db_stmt_built_refuses_surplus_sql);
	tcase_add_test(tc, test_changelist_tag_perms_granted_to_editors);
	suite_add_tcase(s, tc);
	return s;
}
