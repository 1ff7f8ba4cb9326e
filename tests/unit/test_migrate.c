/*
 * test_migrate: app/core/migrate.c against a temp sql directory written
 * here, on an empty database in another temp directory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/db.h"
#include "core/migrate.h"
#include "fixture.h"

static char		*dbdir, *sqldir;
static struct config	 cfg;
static char		 err[2048];

static void
setup(void)
{
	char	 e[1024];

	ck_assert_int_eq(config_load(&cfg, NULL, e, sizeof(e)), 0);
	dbdir = fixture_tmpdir();
	sqldir = fixture_tmpdir();
	free(cfg.database);
	if (asprintf(&cfg.database, "%s/m.db", dbdir) < 0)
		abort();
	ck_assert_msg(db_open(&cfg, true, e, sizeof(e)) == 0, "%s", e);
	err[0] = '\0';
	fixture_write(sqldir, "0001_first.sql",
	    "CREATE TABLE t1 (a INTEGER);\n");
	fixture_write(sqldir, "0002_second.sql",
	    "CREATE TABLE t2 (b TEXT);\nINSERT INTO t2 VALUES ('x');\n");
}

static void
teardown(void)
{
	db_close();
	config_free(&cfg);
	fixture_rmtree(dbdir);
	fixture_rmtree(sqldir);
	dbdir = sqldir = NULL;
}

/* Does table name exist? */
static bool
has_table(const char *name)
{
	sqlite3_stmt	*st;
	bool		 found;

	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(), "SELECT 1 FROM "
	    "sqlite_schema WHERE type = 'table' AND name = ?1", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

static int
applied_count(void)
{
	sqlite3_stmt	*st;
	int		 n = -1;

	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(), "SELECT count(*) "
	    "FROM schema_migrations", -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* migrate_list's output, malloc'ed. */
static char *
list(int *rc)
{
	char	*text = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(f);
	*rc = migrate_list(sqldir, f, err, sizeof(err));
	fclose(f);
	return text;
}

START_TEST(test_migrate_applies_in_order)
{
	char	*text = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&text, &len);

	/* 0003 needs the tables of 0001 and 0002. */
	fixture_write(sqldir, "0003_third.sql",
	    "INSERT INTO t1 SELECT count(*) FROM t2;\n");
	ck_assert_int_eq(migrate_apply(sqldir, f, err, sizeof(err)), 3);
	fclose(f);
	ck_assert_str_eq(text, "Applied 0001_first.sql\nApplied "
	    "0002_second.sql\nApplied 0003_third.sql\n");
	free(text);
	ck_assert(has_table("t1"));
	ck_assert(has_table("t2"));
	ck_assert_int_eq(applied_count(), 3);
}
END_TEST

START_TEST(test_migrate_order_is_by_name_not_directory)
{
	/* Written last, named first: must still run first. */
	fixture_write(sqldir, "0000_zero.sql", "CREATE TABLE t0 (z);\n");
	fixture_write(sqldir, "0003_uses_t0.sql",
	    "INSERT INTO t0 VALUES (1);\n");
	ck_assert_msg(migrate_apply(sqldir, NULL, err, sizeof(err)) == 4,
	    "%s", err);
}
END_TEST

START_TEST(test_migrate_second_run_applies_nothing)
{
	ck_assert_int_eq(migrate_apply(sqldir, NULL, err, sizeof(err)), 2);
	ck_assert_int_eq(migrate_apply(sqldir, NULL, err, sizeof(err)), 0);
	ck_assert_int_eq(applied_count(), 2);
	/* A new file is picked up alone. */
	fixture_write(sqldir, "0003_more.sql", "CREATE TABLE t3 (c);\n");
	ck_assert_int_eq(migrate_apply(sqldir, NULL, err, sizeof(err)), 1);
	ck_assert(has_table("t3"));
}
END_TEST

START_TEST(test_migrate_ignores_other_files)
{
	fixture_write(sqldir, "README", "not sql");
	fixture_write(sqldir, "notes.sql", "garbage;");
	fixture_write(sqldir, "001_short.sql", "garbage;");
	fixture_write(sqldir, "0004_draft.sql.bak", "garbage;");
	fixture_write(sqldir, "0005_.sq", "garbage;");
	ck_assert_msg(migrate_apply(sqldir, NULL, err, sizeof(err)) == 2,
	    "%s", err);
}
END_TEST

START_TEST(test_migrate_list_marks_applied_and_pending)
{
	char	*text;
	int	 rc;

	text = list(&rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(text, "[ ] 0001_first.sql\n[ ] 0002_second.sql\n");
	free(text);
	fixture_unlink(sqldir, "0002_second.sql");
	ck_assert_int_eq(migrate_apply(sqldir, NULL, err, sizeof(err)), 1);
	fixture_write(sqldir, "0002_second.sql", "CREATE TABLE t2 (b);\n");
	text = list(&rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(text, "[X] 0001_first.sql\n[ ] 0002_second.sql\n");
	free(text);
}
END_TEST

START_TEST(test_migrate_pending_counts_and_names_first)
{
	const char	*first = NULL;

	ck_assert_int_eq(migrate_pending(sqldir, &first, err, sizeof(err)), 2);
	ck_assert_ptr_nonnull(first);
	ck_assert_str_eq(first, "0001_first.sql");
	ck_assert_int_eq(migrate_apply(sqldir, NULL, err, sizeof(err)), 2);
	fixture_write(sqldir, "0003_c.sql", "CREATE TABLE t3 (c);\n");
	fixture_write(sqldir, "0004_d.sql", "CREATE TABLE t4 (d);\n");
	ck_assert_int_eq(migrate_pending(sqldir, &first, err, sizeof(err)), 2);
	ck_assert_str_eq(first, "0003_c.sql");
	ck_assert_int_eq(migrate_apply(sqldir, NULL, err, sizeof(err)), 2);
	first = NULL;
	ck_assert_int_eq(migrate_pending(sqldir, &first, err, sizeof(err)), 0);
	ck_assert_ptr_null(first);
}
END_TEST

START_TEST(test_migrate_refuses_edited_applied_file)
{
	const char	*first;
	int		 rc;
	char		*text;

	ck_assert_int_eq(migrate_apply(sqldir, NULL, err, sizeof(err)), 2);
	fixture_write(sqldir, "0001_first.sql",
	    "CREATE TABLE t1 (a INTEGER, extra TEXT);\n");
	ck_assert_int_eq(migrate_apply(sqldir, NULL, err, sizeof(err)), -1);
	ck_assert_msg(fixture_has(err, "0001_first.sql"), "%s", err);
	ck_assert_msg(fixture_has(err, "edited"), "%s", err);
	err[0] = '\0';
	ck_assert_int_eq(migrate_pending(sqldir, &first, err, sizeof(err)), -1);
	ck_assert_msg(fixture_has(err, "0001_first.sql"), "%s", err);
	text = list(&rc);
	ck_assert_int_eq(rc, -1);
	free(text);
}
END_TEST

START_TEST(test_migrate_refuses_vanished_applied_file)
{
	ck_assert_int_eq(migrate_apply(sqldir, NULL, err, sizeof(err)), 2);
	fixture_unlink(sqldir, "0002_second.sql");
	fixture_write(sqldir, "0003_new.sql", "CREATE TABLE t3 (c);\n");
	ck_assert_int_eq(migrate_apply(sqldir, NULL, err, sizeof(err)), -1);
	ck_assert_msg(fixture_has(err, "0002_second.sql"), "%s", err);
	ck_assert_msg(fixture_has(err, "missing"), "%s", err);
	ck_assert(!has_table("t3"));
}
END_TEST

START_TEST(test_migrate_failing_file_leaves_nothing_applied)
{
	/* The first statement succeeds, the second fails: neither stays. */
	fixture_write(sqldir, "0003_broken.sql",
	    "CREATE TABLE t3 (c);\nINSERT INTO no_such_table VALUES (1);\n");
	fixture_write(sqldir, "0004_after.sql", "CREATE TABLE t4 (d);\n");
	ck_assert_int_eq(migrate_apply(sqldir, NULL, err, sizeof(err)), -1);
	ck_assert_msg(fixture_has(err, "0003_broken.sql"), "%s", err);
	ck_assert_msg(fixture_has(err, "no_such_table"), "%s", err);
	ck_assert(!has_table("t3"));
	ck_assert(!has_table("t4"));
	ck_assert_int_eq(applied_count(), 2);	/* 0001 and 0002 stay */
	ck_assert(!db_in_tx());
	/* Fixed, it applies. */
	fixture_write(sqldir, "0003_broken.sql", "CREATE TABLE t3 (c);\n");
	ck_assert_int_eq(migrate_apply(sqldir, NULL, err, sizeof(err)), 2);
}
END_TEST

START_TEST(test_migrate_syntax_error_names_the_file)
{
	fixture_write(sqldir, "0001_first.sql", "CREATE TABEL oops;\n");
	ck_assert_int_eq(migrate_apply(sqldir, NULL, err, sizeof(err)), -1);
	ck_assert_msg(fixture_has(err, "0001_first.sql"), "%s", err);
	ck_assert_int_eq(applied_count(), 0);
}
END_TEST

START_TEST(test_migrate_missing_directory_is_an_error)
{
	char	 missing[4200];

	snprintf(missing, sizeof(missing), "%s/nope", sqldir);
	ck_assert_int_eq(migrate_apply(missing, NULL, err, sizeof(err)), -1);
	ck_assert_msg(fixture_has(err, missing), "%s", err);
}
END_TEST

START_TEST(test_migrate_empty_directory_applies_nothing)
{
	const char	*first = NULL;

	fixture_unlink(sqldir, "0001_first.sql");
	fixture_unlink(sqldir, "0002_second.sql");
	ck_assert_int_eq(migrate_apply(sqldir, NULL, err, sizeof(err)), 0);
	ck_assert_int_eq(migrate_pending(sqldir, &first, err, sizeof(err)), 0);
}
END_TEST

START_TEST(test_migrate_repository_sql_applies_cleanly)
{
	ck_assert_msg(migrate_apply(FIXTURE_ROOT "/sql", NULL, err,
	    sizeof(err)) >= 1, "%s", err);
	ck_assert(has_table("articles"));
	ck_assert_int_eq(migrate_apply(FIXTURE_ROOT "/sql", NULL, err,
	    sizeof(err)), 0);
}
END_TEST

Suite *
migrate_suite(void)
{
	Suite	*s = suite_create("migrate");
	TCase	*tc = tcase_create("migrate");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_migrate_applies_in_order);
	tcase_add_test(tc, test_migrate_order_is_by_name_not_directory);
	tcase_add_test(tc, test_migrate_second_run_applies_nothing);
	tcase_add_test(tc, test_migrate_ignores_other_files);
	tcase_add_test(tc, test_migrate_list_marks_applied_and_pending);
	tcase_add_test(tc, test_migrate_pending_counts_and_names_first);
	tcase_add_test(tc, test_migrate_refuses_edited_applied_file);
	tcase_add_test(tc, test_migrate_refuses_vanished_applied_file);
	tcase_add_test(tc, test_migrate_failing_file_leaves_nothing_applied);
	tcase_add_test(tc, test_migrate_syntax_error_names_the_file);
	tcase_add_test(tc, test_migrate_missing_directory_is_an_error);
	tcase_add_test(tc, test_migrate_empty_directory_applies_nothing);
	tcase_add_test(tc, test_migrate_repository_sql_applies_cleanly);
	suite_add_tcase(s, tc);
	return s;
}
