/*
 * test_health: app/core/health.c, the readiness checks over a fresh
 * database: all pass; a pending migration and too little disk each give
 * their line; the page answers 200 "ok" or 503 with the lines as its own
 * plain-text body.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/health.h"
#include "fixture.h"

Suite	*health_suite(void);

static struct fixture_db	 f;
static struct req		 r;
static struct buf		 out;
static char			*sqldir;

static void
setup(void)
{
	fixture_req_open(&f, &r, false, &fixture_wide_limits);
	free(f.cfg.sql_dir);
	f.cfg.sql_dir = xstrdup(FIXTURE_ROOT "/sql");
	f.cfg.readyz_min_free_mb = 0;
	config_set_current(&f.cfg);
	buf_init(&out);
	sqldir = NULL;
}

static void
teardown(void)
{
	config_set_current(NULL);
	buf_free(&out);
	fixture_req_close(&f, &r);
	if (sqldir != NULL)
		fixture_rmtree(sqldir);
}

/* A copy of ../../sql with one more migration, as f's sql_dir. */
static void
pending_migration(void)
{
	struct dirent	*de;
	DIR		*d;
	char		 from[4096];

	sqldir = fixture_tmpdir();
	ck_assert_ptr_nonnull(d = opendir(FIXTURE_ROOT "/sql"));
	while ((de = readdir(d)) != NULL) {
		size_t	 n = strlen(de->d_name);
		char	*text;
		FILE	*in;
		long	 len;

		if (n < 5 || strcmp(de->d_name + n - 4, ".sql") != 0)
			continue;
		snprintf(from, sizeof(from), FIXTURE_ROOT "/sql/%s",
		    de->d_name);
		ck_assert_ptr_nonnull(in = fopen(from, "r"));
		fseek(in, 0, SEEK_END);
		len = ftell(in);
		rewind(in);
		text = xmalloc((size_t)len + 1);
		ck_assert_uint_eq(fread(text, 1, (size_t)len, in), (size_t)len);
		text[len] = '\0';
		fclose(in);
		fixture_write(sqldir, de->d_name, text);
		free(text);
	}
	closedir(d);
	fixture_write(sqldir, "9999_later.sql", "CREATE TABLE later(x);\n");
	free(f.cfg.sql_dir);
	f.cfg.sql_dir = xstrdup(sqldir);
}

START_TEST(test_health_ready_when_all_checks_pass)
{
	ck_assert_int_eq(health_ready(&f.cfg, &out), 0);
	ck_assert_uint_eq(out.len, 0);
	ck_assert_int_eq(fixture_request(&r, "GET", "/readyz", NULL, NULL),
	    0);
	ck_assert_int_eq(health_page_ready(&r), 200);
	ck_assert_str_eq(r.out.ptr, "ok\n");
	ck_assert_str_eq(r.content_type, "text/plain; charset=utf-8");
	ck_assert(!r.own_error_body);
}
END_TEST

START_TEST(test_health_pending_migration_is_named)
{
	pending_migration();
	ck_assert_int_eq(health_ready(&f.cfg, &out), 1);
	ck_assert_msg(fixture_has(out.ptr, "migrations: 1 pending, first "
	    "9999_later.sql"), "%s", out.ptr);
	ck_assert_int_eq(fixture_request(&r, "GET", "/readyz", NULL, NULL),
	    0);
	ck_assert_int_eq(health_page_ready(&r), 503);
	ck_assert(r.own_error_body);
	ck_assert(fixture_has(r.out.ptr, "migrations: 1 pending"));
	ck_assert(!fixture_has(r.out.ptr, "ok"));
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_health_disk_below_threshold)
{
	f.cfg.readyz_min_free_mb = 1L << 30;		/* a petabyte */
	ck_assert_int_eq(health_ready(&f.cfg, &out), 1);
	ck_assert_msg(fixture_has(out.ptr, "disk: ") &&
	    fixture_has(out.ptr, "readyz_min_free_mb = 1073741824"), "%s",
	    out.ptr);
	ck_assert_msg(fixture_has(out.ptr, f.dir), "%s", out.ptr);
}
END_TEST

START_TEST(test_health_every_failure_has_its_line)
{
	pending_migration();
	f.cfg.readyz_min_free_mb = 1L << 30;
	ck_assert_int_eq(health_ready(&f.cfg, &out), 2);
	ck_assert(fixture_has(out.ptr, "migrations: "));
	ck_assert(fixture_has(out.ptr, "disk: "));
}
END_TEST

START_TEST(test_health_missing_sql_dir_is_a_failure)
{
	free(f.cfg.sql_dir);
	f.cfg.sql_dir = xstrdup("/nonexistent/sql");
	ck_assert_int_eq(health_ready(&f.cfg, &out), 1);
	ck_assert_msg(fixture_has(out.ptr, "migrations: "), "%s", out.ptr);
}
END_TEST

Suite *
health_suite(void)
{
	Suite	*s = suite_create("health");
	TCase	*tc = tcase_create("health");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_health_ready_when_all_checks_pass);
	tcase_add_test(tc, test_health_pending_migration_is_named);
	tcase_add_test(tc, test_health_disk_below_threshold);
	tcase_add_test(tc, test_health_every_failure_has_its_line);
	tcase_add_test(tc, test_health_missing_sql_dir_is_a_failure);
	suite_add_tcase(s, tc);
	return s;
}
