/*
 * test_db: app/core/db.c on a fresh database (temp dir, every migration
 * of sql/ applied): statement cache, surplus SQL, binding, sticky errors,
 * the fault hook (503 for BUSY, 500 otherwise), transactions, ping.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/http.h"
#include "site/article.h"
#include "fixture.h"

static struct fixture_db	 fdb;
static struct req		 r;

static void
setup(void)
{
	fixture_db_open(&fdb);
	req_init(&r, &fixture_limits);
}

static void
teardown(void)
{
	db_fault_set(0, 0);
	db_rollback(&r);
	req_free(&r);
	fixture_db_close(&fdb);
}

/* How many articles have this slug (a fresh request, so r's state does
 * not interfere). */
static int
count_slug(const char *slug)
{
	static const char sql[] =
	    "SELECT count(*) FROM articles WHERE slug = ?1";
	struct req	 q;
	sqlite3_stmt	*st;
	int		 n = -1;

	req_init(&q, &fixture_limits);
	if ((st = db_stmt(&q, sql)) != NULL) {
		db_bind_text(&q, st, 1, slug);
		if (db_step(&q, st) == SQLITE_ROW)
			n = sqlite3_column_int(st, 0);
		db_done(&q, st);
	}
	req_free(&q);
	return n;
}

static int
insert_draft(struct req *q, const char *slug)
{
	static const char sql[] =
	    "INSERT INTO articles (slug, title, status, created_at,"
	    "    updated_at) VALUES (?1, 'Draft', 'draft', 1, 1)";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = db_stmt(q, sql)) == NULL)
		return SQLITE_ABORT;
	db_bind_text(q, st, 1, slug);
	rc = db_step(q, st);
	db_done(q, st);
	return rc;
}

START_TEST(test_db_open_applies_pragmas)
{
	sqlite3_stmt	*st;

	ck_assert_ptr_nonnull(db_handle());
	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(), "PRAGMA journal_mode",
	    -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(), "PRAGMA foreign_keys",
	    -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
}
END_TEST

START_TEST(test_db_open_missing_file_without_create_fails)
{
	struct config	 c;
	char		 err[1024], dbpath[4200];

	ck_assert_int_eq(config_load(&c, NULL, err, sizeof(err)), 0);
	snprintf(dbpath, sizeof(dbpath), "%s/absent.db", fdb.dir);
	free(c.database);
	c.database = strdup(dbpath);
	ck_assert_int_eq(db_open(&c, false, err, sizeof(err)), -1);
	ck_assert_msg(fixture_has(err, "absent.db"), "%s", err);
	ck_assert_ptr_null(db_handle());
	config_free(&c);
}
END_TEST

START_TEST(test_db_stmt_caches_by_literal)
{
	static const char sql[] = "SELECT 1";
	static const char same_text[] = "SELECT 1";
	sqlite3_stmt	*a = db_stmt(&r, sql);
	sqlite3_stmt	*b = db_stmt(&r, sql);
	sqlite3_stmt	*c = db_stmt(&r, same_text);

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_eq(a, b);
	ck_assert_ptr_ne(a, c);		/* the address is the key */
	ck_assert_int_eq(db_step(&r, a), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(a, 0), 1);
	db_done(&r, a);
	ck_assert(!req_failed(&r));
}
END_TEST

/* Statements alive on the connection. */
static int
live_statements(void)
{
	int		 n = 0;
	sqlite3_stmt	*st = NULL;

	while ((st = sqlite3_next_stmt(db_handle(), st)) != NULL)
		n++;
	return n;
}

/*
 * Past the cache's capacity (3/4 of its 256 slots), db_stmt prepares a
 * new statement on every call and nobody finalises it: a worker that
 * asks for such a statement once per request grows without bound, and
 * db_close()'s sqlite3_close() then fails (unfinalised statements).
 */
START_TEST(test_db_stmt_does_not_leak_past_cache_capacity)
{
	static char	 texts[300][32];
	sqlite3_stmt	*first[300], *again[10];
	int		 before, after;

	for (int i = 0; i < 300; i++) {
		snprintf(texts[i], sizeof(texts[i]), "SELECT %d", i);
		first[i] = db_stmt(&r, texts[i]);
		db_done(&r, first[i]);
	}
	before = live_statements();
	for (int k = 0; k < 10; k++) {
		again[k] = db_stmt(&r, texts[299]);
		db_step(&r, again[k]);
		db_done(&r, again[k]);
	}
	after = live_statements();
	/*
	 * Finalise what the cache does not own (a statement it owns comes
	 * back for its literal), so db_close() can close the connection
	 * and valgrind reports only the failure above, not its fallout.
	 */
	for (int i = 0; i < 300; i++) {
		sqlite3_stmt	*st = db_stmt(&r, texts[i]);

		if (st != first[i]) {
			sqlite3_finalize(st);
			sqlite3_finalize(first[i]);
		}
	}
	for (int k = 0; k < 10; k++)
		if (again[k] != first[299])
			sqlite3_finalize(again[k]);
	ck_assert(!req_failed(&r));
	ck_assert_msg(after == before, "10 more calls for one literal left "
	    "%d statements alive, %d before", after, before);
}
END_TEST

START_TEST(test_db_stmt_rejects_surplus_sql)
{
	static const char sql[] = "SELECT 1; DELETE FROM articles";

	ck_assert_ptr_null(db_stmt(&r, sql));
	ck_assert_int_eq(r.failed, HTTP_500);
}
END_TEST

START_TEST(test_db_stmt_allows_trailing_semicolon_and_space)
{
	static const char sql[] = "SELECT 2;  \n\t;";

	ck_assert_ptr_nonnull(db_stmt(&r, sql));
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_db_stmt_syntax_error_fails_request)
{
	static const char sql[] = "SELEKT nothing";

	ck_assert_ptr_null(db_stmt(&r, sql));
	ck_assert_int_eq(r.failed, HTTP_500);
}
END_TEST

/*
 * db.h: db_stmt returns "NULL on error (r failed)".  An empty statement
 * prepares to no statement at all; returning NULL without failing r lets
 * a caller take it for "no row".
 */
START_TEST(test_db_stmt_empty_sql_fails_request)
{
	static const char sql[] = "  ";
	sqlite3_stmt	*st = db_stmt(&r, sql);

	ck_assert_msg(st == NULL ? req_failed(&r) : !req_failed(&r),
	    "db_stmt(\"  \") returned %p and r.failed is %d", (void *)st,
	    r.failed);
}
END_TEST

START_TEST(test_db_binding_a_quote_is_safe)
{
	struct article	*a;

	fixture_article(&r, "o-brien-wins", "O'Brien wins", "<p>Yes.</p>");
	fixture_article(&r, "x", "Just x", "<p>x</p>");
	ck_assert_ptr_nonnull(a = article_by_slug(&r, "o-brien-wins"));
	ck_assert_str_eq(a->title, "O'Brien wins");
	ck_assert_ptr_null(article_by_slug(&r, "x' OR '1'='1"));
	ck_assert_ptr_null(article_by_slug(&r, "x' --"));
	ck_assert_ptr_null(article_by_slug(&r, "'; DROP TABLE articles; --"));
	ck_assert(!req_failed(&r));
	ck_assert_int_eq(count_slug("x"), 1);
}
END_TEST

START_TEST(test_db_quoted_slug_is_stored_verbatim)
{
	fixture_article(&r, "it's", "Quote 'n' \"double\"", "");
	ck_assert_ptr_nonnull(article_by_slug(&r, "it's"));
	ck_assert_str_eq(article_by_slug(&r, "it's")->title,
	    "Quote 'n' \"double\"");
}
END_TEST

START_TEST(test_db_col_strdup_copies_into_arena)
{
	static const char sql[] = "SELECT 'text', NULL, 42";
	sqlite3_stmt	*st = db_stmt(&r, sql);
	char		*s, *n, *i;

	ck_assert_int_eq(db_step(&r, st), SQLITE_ROW);
	s = db_col_strdup(&r, st, 0);
	n = db_col_strdup(&r, st, 1);
	i = db_col_strdup(&r, st, 2);
	db_done(&r, st);
	ck_assert_str_eq(s, "text");	/* still valid after the reset */
	ck_assert_str_eq(n, "");
	ck_assert_str_eq(i, "42");
}
END_TEST

START_TEST(test_db_unknown_bind_index_fails_request)
{
	static const char sql[] = "SELECT ?1";
	sqlite3_stmt	*st = db_stmt(&r, sql);

	db_bind_text(&r, st, 2, "x");
	ck_assert_int_eq(r.failed, HTTP_500);
	db_done(&r, st);
}
END_TEST

START_TEST(test_db_errors_are_sticky)
{
	static const char bad[] = "SELECT * FROM no_such_table";
	static const char good[] = "SELECT 1";
	sqlite3_stmt	*st;

	/* A good statement prepared before the failure ... */
	ck_assert_ptr_nonnull(st = db_stmt(&r, good));
	ck_assert_ptr_null(db_stmt(&r, bad));
	ck_assert_int_eq(r.failed, HTTP_500);
	/* ... is not stepped after it, and nothing new is prepared. */
	ck_assert_int_eq(db_step(&r, st), SQLITE_ABORT);
	db_done(&r, st);
	ck_assert_ptr_null(db_stmt(&r, good));
	ck_assert_int_eq(db_exec(&r, "SELECT 1"), -1);
	ck_assert(!db_ping(&r));
	ck_assert_int_eq(r.failed, HTTP_500);
}
END_TEST

START_TEST(test_db_constraint_failure_fails_request_with_500)
{
	ck_assert_int_eq(insert_draft(&r, "dup"), SQLITE_DONE);
	ck_assert_int_ne(insert_draft(&r, "dup"), SQLITE_DONE);
	ck_assert_int_eq(r.failed, HTTP_500);
	ck_assert_int_eq(count_slug("dup"), 1);
}
END_TEST

START_TEST(test_db_fault_busy_fails_request_with_503)
{
	static const char sql[] = "SELECT 1";
	sqlite3_stmt	*st = db_stmt(&r, sql);

	db_fault_set(1, SQLITE_BUSY);
	ck_assert_int_eq(db_step(&r, st), SQLITE_BUSY);
	db_done(&r, st);
	ck_assert_int_eq(r.failed, HTTP_503);
}
END_TEST

START_TEST(test_db_fault_other_fails_request_with_500)
{
	static const char sql[] = "SELECT 1";
	sqlite3_stmt	*st = db_stmt(&r, sql);

	db_fault_set(1, SQLITE_IOERR);
	ck_assert_int_eq(db_step(&r, st), SQLITE_IOERR);
	db_done(&r, st);
	ck_assert_int_eq(r.failed, HTTP_500);
}
END_TEST

START_TEST(test_db_fault_hits_the_nth_step)
{
	static const char sql[] = "SELECT 1";
	sqlite3_stmt	*st = db_stmt(&r, sql);

	db_fault_set(2, SQLITE_BUSY);
	ck_assert_int_eq(db_step(&r, st), SQLITE_ROW);
	db_done(&r, st);
	ck_assert(!req_failed(&r));
	ck_assert_int_eq(db_step(&r, st), SQLITE_BUSY);
	db_done(&r, st);
	ck_assert_int_eq(r.failed, HTTP_503);
	/* Once only: the next request is served. */
	req_reset(&r);
	ck_assert_int_eq(db_step(&r, st), SQLITE_ROW);
	db_done(&r, st);
}
END_TEST

START_TEST(test_db_fault_in_article_lookup_is_not_found_plus_failure)
{
	fixture_article(&r, "there", "There", "");
	db_fault_set(1, SQLITE_BUSY);
	ck_assert_ptr_null(article_by_slug(&r, "there"));
	ck_assert_int_eq(r.failed, HTTP_503);
}
END_TEST

START_TEST(test_db_commit_keeps_writes)
{
	ck_assert(!db_in_tx());
	ck_assert_int_eq(db_begin_write(&r), 0);
	ck_assert(db_in_tx());
	ck_assert_int_eq(insert_draft(&r, "kept"), SQLITE_DONE);
	ck_assert_int_eq(db_commit(&r), 0);
	ck_assert(!db_in_tx());
	ck_assert_int_eq(count_slug("kept"), 1);
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_db_rollback_drops_writes)
{
	ck_assert_int_eq(db_begin_write(&r), 0);
	ck_assert_int_eq(insert_draft(&r, "dropped"), SQLITE_DONE);
	db_rollback(&r);
	ck_assert(!db_in_tx());
	ck_assert_int_eq(count_slug("dropped"), 0);
	/* Rolling back outside a transaction is harmless. */
	db_rollback(&r);
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_db_nested_begin_fails_request)
{
	ck_assert_int_eq(db_begin_write(&r), 0);
	ck_assert_int_eq(db_begin_write(&r), -1);
	ck_assert_int_eq(r.failed, HTTP_500);
	db_rollback(&r);
	ck_assert(!db_in_tx());
}
END_TEST

START_TEST(test_db_commit_without_begin_fails_request)
{
	ck_assert_int_eq(db_commit(&r), -1);
	ck_assert_int_eq(r.failed, HTTP_500);
}
END_TEST

START_TEST(test_db_failed_request_then_rollback_leaves_nothing)
{
	ck_assert_int_eq(db_begin_write(&r), 0);
	ck_assert_int_eq(insert_draft(&r, "half"), SQLITE_DONE);
	db_fault_set(1, SQLITE_IOERR);
	ck_assert_int_ne(insert_draft(&r, "other-half"), SQLITE_DONE);
	ck_assert(req_failed(&r));
	ck_assert_int_eq(db_commit(&r), -1);	/* sticky: no commit */
	ck_assert(db_in_tx());
	db_rollback(&r);
	ck_assert_int_eq(count_slug("half"), 0);
}
END_TEST

START_TEST(test_db_ping_reports_reachability)
{
	ck_assert(db_ping(&r));
	ck_assert(!req_failed(&r));
	db_close();
	ck_assert_ptr_null(db_handle());
	ck_assert(!db_ping(&r));
	ck_assert_int_eq(r.failed, HTTP_500);
	db_close();			/* closing twice is safe */
}
END_TEST

Suite *
db_suite(void)
{
	Suite	*s = suite_create("db");
	TCase	*tc = tcase_create("db");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_db_open_applies_pragmas);
	tcase_add_test(tc, test_db_open_missing_file_without_create_fails);
	tcase_add_test(tc, test_db_stmt_caches_by_literal);
	tcase_add_test(tc, test_db_stmt_does_not_leak_past_cache_capacity);
	tcase_add_test(tc, test_db_stmt_rejects_surplus_sql);
	tcase_add_test(tc, test_db_stmt_allows_trailing_semicolon_and_space);
	tcase_add_test(tc, test_db_stmt_syntax_error_fails_request);
	tcase_add_test(tc, test_db_stmt_empty_sql_fails_request);
	tcase_add_test(tc, test_db_binding_a_quote_is_safe);
	tcase_add_test(tc, test_db_quoted_slug_is_stored_verbatim);
	tcase_add_test(tc, test_db_col_strdup_copies_into_arena);
	tcase_add_test(tc, test_db_unknown_bind_index_fails_request);
	tcase_add_test(tc, test_db_errors_are_sticky);
	tcase_add_test(tc, test_db_constraint_failure_fails_request_with_500);
	tcase_add_test(tc, test_db_fault_busy_fails_request_with_503);
	tcase_add_test(tc, test_db_fault_other_fails_request_with_500);
	tcase_add_test(tc, test_db_fault_hits_the_nth_step);
	tcase_add_test(tc,
	    test_db_fault_in_article_lookup_is_not_found_plus_failure);
	tcase_add_test(tc, test_db_commit_keeps_writes);
	tcase_add_test(tc, test_db_rollback_drops_writes);
	tcase_add_test(tc, test_db_nested_begin_fails_request);
	tcase_add_test(tc, test_db_commit_without_begin_fails_request);
	tcase_add_test(tc, test_db_failed_request_then_rollback_leaves_nothing);
	tcase_add_test(tc, test_db_ping_reports_reachability);
	suite_add_tcase(s, tc);
	return s;
}
