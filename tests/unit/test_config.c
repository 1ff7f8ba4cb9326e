/*
 * test_config: app/core/config.c: defaults, INI files, errors that name
 * the place and the fix, environment overrides.  Each test writes its
 * INI file into a fresh temp directory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "fixture.h"

static char		*dir;
static char		 path[4096];
static char		 err[1024];
static struct config	 c;

static void
setup(void)
{
	dir = fixture_tmpdir();
	snprintf(path, sizeof(path), "%s/gazette.ini", dir);
	err[0] = '\0';
	memset(&c, 0, sizeof(c));
}

static void
teardown(void)
{
	unsetenv("GAZETTE_WORKERS");
	unsetenv("GAZETTE_SITE_NAME");
	unsetenv("GAZETTE_STATIC");
	config_free(&c);
	fixture_rmtree(dir);
	dir = NULL;
}

/* Write text as the INI file and load it. */
static int
load(const char *text)
{
	fixture_write(dir, "gazette.ini", text);
	return config_load(&c, path, err, sizeof(err));
}

START_TEST(test_config_defaults_without_file)
{
	ck_assert_int_eq(config_load(&c, NULL, err, sizeof(err)), 0);
	ck_assert_ptr_null(c.path);
	ck_assert_str_eq(c.socket, "var/gazette.sock");
	ck_assert_int_eq(c.socket_mode, 0660);
	ck_assert_int_eq(c.workers, 0);
	ck_assert_int_eq(c.max_requests, 0);
	ck_assert_int_eq(c.shutdown_timeout, 10);
	ck_assert_str_eq(c.templates, "templates");
	ck_assert_str_eq(c.static_dir, "static");
	ck_assert_str_eq(c.sql_dir, "sql");
	ck_assert_str_eq(c.database, "var/gazette.db");
	ck_assert_str_eq(c.synchronous, "full");
	ck_assert_int_eq(c.busy_timeout, 5000);
	ck_assert_str_eq(c.site_name, "Gazette");
	ck_assert_str_eq(c.site_url, "http://127.0.0.1:8080");
	ck_assert_int_eq(c.max_body, 1048576);
	ck_assert_int_eq(c.max_uri, 4096);
	ck_assert_int_eq(c.max_params, 256);
	ck_assert_int_eq(c.max_key, 256);
	ck_assert_int_eq(c.max_value, 65536);
	ck_assert_int_eq(c.max_headers, 16384);
	ck_assert_int_eq(c.max_cookie, 4096);
	ck_assert_str_eq(c.log_level, "info");
}
END_TEST

START_TEST(test_config_reads_sections)
{
	ck_assert_msg(load(
	    "; a comment\n"
	    "[server]\n"
	    "workers = 4\n"
	    "socket_mode = 0600\n"
	    "\n"
	    "[paths]\n"
	    "templates = /srv/t\n"
	    "static = /srv/s\n"
	    "[database]\n"
	    "database = /srv/db/g.db\n"
	    "synchronous = normal\n"
	    "[site]\n"
	    "site_name = The Daily Test\n"
	    "[limits]\n"
	    "max_body = 2048\n"
	    "[log]\n"
	    "log_level = debug\n") == 0, "%s", err);
	ck_assert_str_eq(c.path, path);
	ck_assert_int_eq(c.workers, 4);
	ck_assert_int_eq(c.socket_mode, 0600);
	ck_assert_str_eq(c.templates, "/srv/t");
	ck_assert_str_eq(c.static_dir, "/srv/s");
	ck_assert_str_eq(c.database, "/srv/db/g.db");
	ck_assert_str_eq(c.synchronous, "normal");
	ck_assert_str_eq(c.site_name, "The Daily Test");
	ck_assert_int_eq(c.max_body, 2048);
	ck_assert_str_eq(c.log_level, "debug");
	/* What the file does not set keeps its default. */
	ck_assert_str_eq(c.socket, "var/gazette.sock");
	ck_assert_int_eq(c.max_uri, 4096);
}
END_TEST

START_TEST(test_config_unknown_key_is_named_with_line)
{
	ck_assert_int_eq(load("[server]\nworkers = 2\nbogus_key = 1\n"), -1);
	ck_assert_msg(fixture_has(err, "bogus_key"), "%s", err);
	ck_assert_msg(fixture_has(err, path), "%s", err);
	ck_assert_msg(fixture_has(err, ":3:"), "%s", err);
}
END_TEST

START_TEST(test_config_key_in_wrong_section_is_refused)
{
	ck_assert_int_eq(load("[server]\ndatabase = x.db\n"), -1);
	ck_assert_msg(fixture_has(err, "database"), "%s", err);
	ck_assert_msg(fixture_has(err, "[database]"), "%s", err);
	ck_assert_msg(fixture_has(err, "[server]"), "%s", err);
	ck_assert_msg(fixture_has(err, ":2:"), "%s", err);
}
END_TEST

START_TEST(test_config_bad_integer_names_the_range)
{
	ck_assert_int_eq(load("[server]\nworkers = many\n"), -1);
	ck_assert_msg(fixture_has(err, "workers"), "%s", err);
	ck_assert_msg(fixture_has(err, "0 to 256"), "%s", err);
	ck_assert_msg(fixture_has(err, "many"), "%s", err);
	config_free(&c);
	ck_assert_int_eq(load("[server]\nworkers = 257\n"), -1);
	ck_assert_msg(fixture_has(err, "0 to 256"), "%s", err);
	config_free(&c);
	ck_assert_int_eq(load("[limits]\nmax_body = 10\n"), -1);
	ck_assert_msg(fixture_has(err, "1024 to 1073741824"), "%s", err);
	config_free(&c);
	ck_assert_int_eq(load("[server]\nworkers = -1\n"), -1);
	config_free(&c);
	ck_assert_int_eq(load("[server]\nworkers = 3x\n"), -1);
}
END_TEST

START_TEST(test_config_bad_enum_and_mode_values_are_refused)
{
	ck_assert_int_eq(load("[database]\nsynchronous = off\n"), -1);
	ck_assert_msg(fixture_has(err, "full or normal"), "%s", err);
	config_free(&c);
	ck_assert_int_eq(load("[log]\nlog_level = loud\n"), -1);
	ck_assert_msg(fixture_has(err, "log_level"), "%s", err);
	config_free(&c);
	ck_assert_int_eq(load("[server]\nsocket_mode = 0999\n"), -1);
	ck_assert_msg(fixture_has(err, "octal"), "%s", err);
	config_free(&c);
	ck_assert_int_eq(load("[server]\nsocket_mode = 01777\n"), -1);
	config_free(&c);
	ck_assert_int_eq(load("[site]\nsite_name =\n"), -1);
	ck_assert_msg(fixture_has(err, "must not be empty"), "%s", err);
}
END_TEST

START_TEST(test_config_log_format_and_metrics_keys)
{
	ck_assert_int_eq(config_load(&c, NULL, err, sizeof(err)), 0);
	ck_assert_str_eq(c.log_format, "logfmt");
	ck_assert_str_eq(c.metrics_token, "");
	ck_assert_int_eq(c.readyz_min_free_mb, 100);
	config_free(&c);
	ck_assert_int_eq(load("[log]\nlog_format = json\n[metrics]\n"
	    "metrics_token = 0123456789abcdefXYZ\nreadyz_min_free_mb = 0\n"),
	    0);
	ck_assert_str_eq(c.log_format, "json");
	ck_assert_str_eq(c.metrics_token, "0123456789abcdefXYZ");
	ck_assert_int_eq(c.readyz_min_free_mb, 0);
	config_free(&c);
	ck_assert_int_eq(load("[log]\nlog_format = xml\n"), -1);
	ck_assert_msg(fixture_has(err, "logfmt or json"), "%s", err);
	config_free(&c);
	ck_assert_int_eq(load("[metrics]\nmetrics_token = short\n"), -1);
	ck_assert_msg(fixture_has(err, "at least 16"), "%s", err);
	config_free(&c);
	/* Empty: no token (loopback only). */
	ck_assert_int_eq(load("[metrics]\nmetrics_token =\n"), 0);
	ck_assert_str_eq(c.metrics_token, "");
}
END_TEST

START_TEST(test_config_dump_hides_the_metrics_token)
{
	char	 out[8192];
	FILE	*f;
	size_t	 n;
	int	 saved;

	ck_assert_int_eq(load("[metrics]\nmetrics_token = "
	    "0123456789abcdef-SECRET\n"), 0);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	ck_assert_ptr_nonnull(f = tmpfile());
	dup2(fileno(f), STDOUT_FILENO);
	config_dump(&c);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	fclose(f);
	ck_assert_msg(fixture_has(out, "metrics_token = (set, not shown)"),
	    "%s", out);
	ck_assert(!fixture_has(out, "SECRET"));
}
END_TEST

START_TEST(test_config_env_overrides_file)
{
	ck_assert_int_eq(setenv("GAZETTE_WORKERS", "7", 1), 0);
	ck_assert_int_eq(setenv("GAZETTE_SITE_NAME", "From Env", 1), 0);
	ck_assert_int_eq(setenv("GAZETTE_STATIC", "/env/static", 1), 0);
	ck_assert_msg(load("[server]\nworkers = 3\n[site]\nsite_name = File\n")
	    == 0, "%s", err);
	ck_assert_int_eq(c.workers, 7);
	ck_assert_str_eq(c.site_name, "From Env");
	ck_assert_str_eq(c.static_dir, "/env/static");
	config_free(&c);
	/* Without a file, too. */
	ck_assert_int_eq(config_load(&c, NULL, err, sizeof(err)), 0);
	ck_assert_int_eq(c.workers, 7);
}
END_TEST

START_TEST(test_config_bad_env_value_names_the_variable)
{
	ck_assert_int_eq(setenv("GAZETTE_WORKERS", "lots", 1), 0);
	ck_assert_int_eq(config_load(&c, NULL, err, sizeof(err)), -1);
	ck_assert_msg(fixture_has(err, "GAZETTE_WORKERS"), "%s", err);
	ck_assert_msg(fixture_has(err, "0 to 256"), "%s", err);
}
END_TEST

START_TEST(test_config_missing_file_is_an_error)
{
	char	 missing[4200];

	snprintf(missing, sizeof(missing), "%s/nope.ini", dir);
	ck_assert_int_eq(config_load(&c, missing, err, sizeof(err)), -1);
	ck_assert_msg(fixture_has(err, missing), "%s", err);
	ck_assert_msg(fixture_has(err, "cannot read"), "%s", err);
}
END_TEST

START_TEST(test_config_malformed_line_is_an_error)
{
	ck_assert_int_eq(load("[server]\nworkers = 2\nthis is not ini\n"), -1);
	ck_assert_msg(fixture_has(err, ":3:"), "%s", err);
	ck_assert_msg(fixture_has(err, "malformed"), "%s", err);
	config_free(&c);
	ck_assert_int_eq(load("[server\nworkers = 2\n"), -1);
	ck_assert_msg(fixture_has(err, ":1:"), "%s", err);
}
END_TEST

START_TEST(test_config_first_error_wins)
{
	ck_assert_int_eq(load("[server]\nworkers = x\nalso_bad = 1\n"), -1);
	ck_assert_msg(fixture_has(err, ":2:"), "%s", err);
	ck_assert_msg(fixture_has(err, "workers"), "%s", err);
	ck_assert_msg(!fixture_has(err, "also_bad"), "%s", err);
}
END_TEST

START_TEST(test_config_repeated_key_keeps_the_last)
{
	ck_assert_msg(load("[site]\nsite_name = One\nsite_name = Two\n") == 0,
	    "%s", err);
	ck_assert_str_eq(c.site_name, "Two");
}
END_TEST

START_TEST(test_config_workers_explicit_or_twice_the_cores)
{
	long	 cores = sysconf(_SC_NPROCESSORS_ONLN);

	ck_assert_int_eq(config_load(&c, NULL, err, sizeof(err)), 0);
	ck_assert_int_eq(config_workers(&c), cores < 1 ? 2 : 2 * cores);
	c.workers = 3;
	ck_assert_int_eq(config_workers(&c), 3);
}
END_TEST

START_TEST(test_config_free_twice_is_harmless)
{
	ck_assert_int_eq(config_load(&c, NULL, err, sizeof(err)), 0);
	config_free(&c);
	config_free(&c);
	ck_assert_ptr_null(c.socket);
}
END_TEST

Suite *
config_suite(void)
{
	Suite	*s = suite_create("config");
	TCase	*tc = tcase_create("config");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_config_defaults_without_file);
	tcase_add_test(tc, test_config_reads_sections);
	tcase_add_test(tc, test_config_unknown_key_is_named_with_line);
	tcase_add_test(tc, test_config_key_in_wrong_section_is_refused);
	tcase_add_test(tc, test_config_bad_integer_names_the_range);
	tcase_add_test(tc, test_config_bad_enum_and_mode_values_are_refused);
	tcase_add_test(tc, test_config_env_overrides_file);
	tcase_add_test(tc, test_config_bad_env_value_names_the_variable);
	tcase_add_test(tc, test_config_missing_file_is_an_error);
	tcase_add_test(tc, test_config_malformed_line_is_an_error);
	tcase_add_test(tc, test_config_first_error_wins);
	tcase_add_test(tc, test_config_repeated_key_keeps_the_last);
	tcase_add_test(tc, test_config_workers_explicit_or_twice_the_cores);
	tcase_add_test(tc, test_config_free_twice_is_harmless);
	tcase_add_test(tc, test_config_log_format_and_metrics_keys);
	tcase_add_test(tc, test_config_dump_hides_the_metrics_token);
	suite_add_tcase(s, tc);
	return s;
}
