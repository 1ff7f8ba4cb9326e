/*
 * 006_pending_migrations: the schema guard and the command line.  On a
 * copy of sql/: a new migration file makes `serve` (and `seed`) refuse
 * with the fix named, `migrate` applies it, and editing an applied file
 * is refused by name.  Before that, the CLI's usage errors all exit 2
 * with a message.  No nginx here: only the gazette binary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static char	 sql_dir[256];

/* `gazette --config INI serve`, killed after 5 s if it does not exit. */
static int
serve(const struct site *s, struct cmd_result *r)
{
	char	*argv[] = { (char *)harness_bin(), (char *)"--config",
	    (char *)s->ini, (char *)"serve", NULL };

	return cmd_run(argv, 5000, r);
}

/* How many lines s has (a last line without '\n' counts). */
static int
count_lines(const char *s)
{
	int	 n = 0;

	for (; *s != '\0'; s++)
		if (*s == '\n' || s[1] == '\0')
			n++;
	return n;
}

static void
test_serve_refuses_pending_migration(struct site *s)
{
	static const char	 sql[] = "CREATE TABLE t(x);\n";
	struct cmd_result	 r;
	char			 path[512];
	int			 st;

	snprintf(path, sizeof(path), "%s/9999_test.sql", sql_dir);
	REQUIRE(file_write(path, sql, sizeof(sql) - 1, false) == 0,
	    "write %s", path);

	st = serve(s, &r);
	CHECK_INT(st, 2, "exit status of serve with a pending migration "
	    "(stderr: %.300s)", r.err);
	CHECK_CONTAINS(r.err, "run 'gazette migrate'", "serve's stderr");
	CHECK_CONTAINS(r.err, "9999_test.sql", "serve's stderr");
	CHECK(access(s->socket, F_OK) != 0, "serve left no socket behind");
	cmd_free(&r);

	CHECK_INT(site_gazette(s, &r, "seed", "--articles", "3", (char *)NULL),
	    2, "exit status of seed with a pending migration");
	CHECK_CONTAINS(r.err, "run 'gazette migrate'", "seed's stderr");
	cmd_free(&r);

	CHECK_INT(site_gazette(s, &r, "migrate", "--list", (char *)NULL), 0,
	    "exit status of migrate --list");
	CHECK_CONTAINS(r.out, "[X] 0001_initial.sql", "migrate --list");
	CHECK_CONTAINS(r.out, "[ ] 9999_test.sql", "migrate --list");
	cmd_free(&r);
}

static void
test_migrate_applies_new_file(struct site *s)
{
	struct cmd_result	 r;
	int			 st;

	st = site_gazette(s, &r, "migrate", (char *)NULL);
	CHECK_INT(st, 0, "exit status of migrate (stderr: %.300s)", r.err);
	CHECK_CONTAINS(r.out, "Applied 9999_test.sql", "migrate's output");
	CHECK_NOT_CONTAINS(r.out, "0001_initial.sql", "migrate's output");
	cmd_free(&r);

	CHECK_INT(site_gazette(s, &r, "migrate", "--list", (char *)NULL), 0,
	    "exit status of migrate --list");
	CHECK_CONTAINS(r.out, "[X] 0001_initial.sql", "migrate --list");
	CHECK_CONTAINS(r.out, "[X] 9999_test.sql", "migrate --list");
	cmd_free(&r);

	CHECK_INT(site_gazette(s, &r, "migrate", (char *)NULL), 0,
	    "exit status of a second migrate");
	CHECK_CONTAINS(r.out, "No migrations to apply", "second migrate");
	cmd_free(&r);

	st = site_gazette(s, &r, "seed", "--articles", "3", (char *)NULL);
	CHECK_INT(st, 0, "exit status of seed once migrated (stderr: %.300s)",
	    r.err);
	cmd_free(&r);
}

static void
test_edited_migration_is_refused(struct site *s)
{
	static const char	 comment[] = "\n-- edited after it was "
	    "applied\n";
	struct cmd_result	 r;
	char			 path[512];
	int			 st;

	snprintf(path, sizeof(path), "%s/0001_initial.sql", sql_dir);
	REQUIRE(file_write(path, comment, sizeof(comment) - 1, true) == 0,
	    "append to %s", path);

	st = site_gazette(s, &r, "migrate", (char *)NULL);
	CHECK(st != 0 && st != -1, "migrate exits non-zero after 0001 was "
	    "edited (got %d)", st);
	CHECK_CONTAINS(r.err, "0001_initial.sql", "migrate's stderr");
	CHECK_CONTAINS(r.err, "edited", "migrate's stderr");
	cmd_free(&r);

	st = site_gazette(s, &r, "migrate", "--list", (char *)NULL);
	CHECK(st != 0 && st != -1, "migrate --list exits non-zero after 0001 "
	    "was edited (got %d)", st);
	CHECK_CONTAINS(r.err, "0001_initial.sql", "migrate --list's stderr");
	cmd_free(&r);

	CHECK_INT(serve(s, &r), 2, "exit status of serve with an edited "
	    "migration");
	CHECK_CONTAINS(r.err, "0001_initial.sql", "serve's stderr");
	cmd_free(&r);
}

static void
test_cli_usage_errors_exit_2(struct site *s)
{
	char			*nosuch[] = { (char *)harness_bin(),
	    (char *)"nosuchcmd", NULL };
	char			*noconf[] = { (char *)harness_bin(),
	    (char *)"--config", (char *)"/nonexistent", (char *)"migrate",
	    NULL };
	char			*version[] = { (char *)harness_bin(),
	    (char *)"--version", NULL };
	char			*none[] = { (char *)harness_bin(), NULL };
	char			*badopt[] = { (char *)harness_bin(),
	    (char *)"--frobnicate", (char *)"migrate", NULL };
	char			 ini[512];
	char			*badkey[] = { (char *)harness_bin(),
	    (char *)"--config", ini, (char *)"migrate", NULL };
	static const char	 bad_ini[] = "[server]\nworkers = 2\n"
	    "no_such_key = 1\n";
	struct cmd_result	 r;

	CHECK_INT(cmd_run(nosuch, 10000, &r), 2, "gazette nosuchcmd");
	CHECK_CONTAINS(r.err, "nosuchcmd", "gazette nosuchcmd's stderr");
	cmd_free(&r);

	CHECK_INT(cmd_run(noconf, 10000, &r), 2,
	    "gazette --config /nonexistent migrate");
	CHECK_CONTAINS(r.err, "/nonexistent", "its stderr");
	CHECK_INT(count_lines(r.err), 1, "lines on its stderr (\"%.200s\")",
	    r.err);
	cmd_free(&r);

	snprintf(ini, sizeof(ini), "%s/unknown-key.ini", s->dir);
	REQUIRE(file_write(ini, bad_ini, sizeof(bad_ini) - 1, false) == 0,
	    "write %s", ini);
	CHECK_INT(cmd_run(badkey, 10000, &r), 2,
	    "migrate with a config that has an unknown key");
	CHECK_CONTAINS(r.err, "no_such_key", "its stderr");
	CHECK_CONTAINS(r.err, "unknown-key.ini", "its stderr");
	cmd_free(&r);

	CHECK_INT(site_gazette(s, &r, "seed", "--articles", "abc",
	    (char *)NULL), 2, "gazette seed --articles abc");
	CHECK_CONTAINS(r.err, "--articles", "its stderr");
	cmd_free(&r);

	CHECK_INT(site_gazette(s, &r, "migrate", "--bogus", (char *)NULL), 2,
	    "gazette migrate --bogus");
	cmd_free(&r);

	CHECK_INT(cmd_run(badopt, 10000, &r), 2, "gazette --frobnicate "
	    "migrate");
	cmd_free(&r);

	CHECK_INT(cmd_run(none, 10000, &r), 2, "gazette without a command");
	CHECK_CONTAINS(r.err, "usage:", "its stderr");
	cmd_free(&r);

	CHECK_INT(cmd_run(version, 10000, &r), 0, "gazette --version");
	CHECK(strncmp(r.out, "gazette ", 8) == 0, "--version prints "
	    "\"gazette VERSION\" (got \"%.60s\")", r.out);
	cmd_free(&r);
}

int
main(void)
{
	struct site		 s;
	struct site_opts	 o = { .sql_dir = sql_dir, .no_serve = true };

	harness_init("006_pending_migrations");
	if (harness_tempdir(sql_dir, sizeof(sql_dir)) != 0 ||
	    !CHECK(harness_copy_sql(sql_dir) > 0, "copy %s/sql/*.sql to %s",
	    harness_root(), sql_dir))
		return harness_finish();
	if (site_start(&s, &o) == 0) {
		/* The CLI first, while the database is in order: each usage
		 * error must be the reason for its exit status. */
		RUN(test_cli_usage_errors_exit_2, &s);
		RUN(test_serve_refuses_pending_migration, &s);
		RUN(test_migrate_applies_new_file, &s);
		RUN(test_edited_migration_is_refused, &s);
		site_stop(&s);
	}
	return harness_finish();
}
