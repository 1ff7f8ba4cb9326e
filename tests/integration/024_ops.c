/*
 * 024_ops: the operator's commands on a live site.  A backup taken
 * while a thread keeps saving articles through nginx restores (into a
 * second site) to a database that passes integrity_check and holds
 * every row committed before the backup began; dumpdata of the site
 * loaded into a fresh one gives the same rows; check --deploy sees the
 * security headers and cookie flags nginx passes on, warns about plain
 * http, and fails for a world-readable database or secret; stats
 * counts; every --help exits 0 and bad arguments exit 2.
 */
#include <sys/stat.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static char		 tmp[256];	/* backups and dumps */
static struct site	 fresh;		/* restore target */
static struct site	 blank;		/* loaddata target */

/* What `sqlite3 path query` prints, malloc'd ("" on failure). */
static char *
sql_at(const char *path, const char *query)
{
	char			*argv[] = { "sqlite3", (char *)path,
				    (char *)query, NULL };
	struct cmd_result	 r;
	char			*out;
	size_t			 n;

	cmd_run(argv, 20000, &r);
	out = strdup(r.out);
	n = strlen(out);
	while (n > 0 && out[n - 1] == '\n')
		out[--n] = '\0';
	cmd_free(&r);
	return out;
}

static void
test_every_help_exits_0(struct site *s)
{
	static const char *const cmds[] = { "check", "backup", "restore",
	    "dumpdata", "loaddata", "stats" };
	struct cmd_result	 r;

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		CHECK_INT(site_gazette(s, &r, cmds[i], "--help", (char *)NULL),
		    0, "%s --help", cmds[i]);
		CHECK_CONTAINS(r.out, cmds[i], "%s --help names it", cmds[i]);
		cmd_free(&r);
	}
	CHECK_INT(site_gazette(s, &r, "--help", (char *)NULL), 0, "--help");
	CHECK_CONTAINS(r.out, "dumpdata", "the command list has dumpdata");
	cmd_free(&r);
}

static void
test_bad_arguments_exit_2(struct site *s)
{
	struct cmd_result	 r;

	CHECK_INT(site_gazette(s, &r, "backup", (char *)NULL), 2,
	    "backup without FILE");
	CHECK_CONTAINS(r.err, "FILE", "the message says what is missing");
	cmd_free(&r);
	CHECK_INT(site_gazette(s, &r, "backup", "a", "b", (char *)NULL), 2,
	    "backup with two files");
	cmd_free(&r);
	CHECK_INT(site_gazette(s, &r, "restore", (char *)NULL), 2,
	    "restore without FILE");
	cmd_free(&r);
	CHECK_INT(site_gazette(s, &r, "loaddata", (char *)NULL), 2,
	    "loaddata without FILE");
	cmd_free(&r);
	CHECK_INT(site_gazette(s, &r, "stats", "extra", (char *)NULL), 2,
	    "stats with an argument");
	cmd_free(&r);
	CHECK_INT(site_gazette(s, &r, "dumpdata", "--bogus", (char *)NULL), 2,
	    "dumpdata --bogus");
	CHECK_CONTAINS(r.err, "--bogus", "the message names the option");
	cmd_free(&r);
	CHECK_INT(site_gazette(s, &r, "dumpdata", "nosuchmodel", (char *)NULL),
	    2, "dumpdata of an unknown model");
	CHECK_CONTAINS(r.err, "unknown model nosuchmodel", "named");
	CHECK_CONTAINS(r.err, "article", "the models are listed");
	cmd_free(&r);
	CHECK_INT(site_gazette(s, &r, "check", "--url", "http://x",
	    (char *)NULL), 2, "--url without --deploy");
	cmd_free(&r);
	CHECK_INT(site_gazette(s, &r, "check", "--deploy", "--url", "ftp://x",
	    (char *)NULL), 2, "--url that is not http");
	cmd_free(&r);
}

static void
test_missing_and_bad_files_are_errors(struct site *s)
{
	struct cmd_result	 r;
	char			*p = str_printf("%s/junk.db", tmp);

	CHECK_INT(site_gazette(s, &r, "restore", "/nonexistent/x.db",
	    (char *)NULL), 1, "restore of a missing file");
	CHECK_CONTAINS(r.err, "No such file", "says why");
	cmd_free(&r);
	file_write(p, "not a database at all, just text\n", 33, false);
	CHECK_INT(site_gazette(s, &r, "restore", p, (char *)NULL), 1,
	    "restore of a text file");
	CHECK_CONTAINS(r.err, "not", "says it is not a database");
	cmd_free(&r);
	CHECK_INT(site_gazette(s, &r, "loaddata", p, (char *)NULL), 1,
	    "loaddata of a text file");
	CHECK_CONTAINS(r.err, "not a JSON array", "says why");
	cmd_free(&r);
	CHECK_INT(site_gazette(s, &r, "backup", "/nonexistent/dir/x.db",
	    (char *)NULL), 1, "backup into a missing directory");
	CHECK_CONTAINS(r.err, "cannot create", "says why");
	cmd_free(&r);
	free(p);
}

static void
test_stats_prints_counts(struct site *s)
{
	struct cmd_result	 r;
	char			*n = site_sql(s, "SELECT count(*) FROM articles");
	char			*line = str_printf("articles     %s", n);

	CHECK_INT(site_gazette(s, &r, "stats", (char *)NULL), 0, "stats");
	CHECK_CONTAINS(r.out, line, "the article count");
	CHECK_CONTAINS(r.out, "WAL", "the WAL size");
	CHECK_CONTAINS(r.out, "page size", "the page size");
	CHECK_CONTAINS(r.out, "active", "sessions");
	CHECK_CONTAINS(r.out, "Jobs:", "the queue, or its absence");
	cmd_free(&r);
	free(line);
	free(n);
}

struct writer {
	struct site	*s;
	atomic_int	 stop;
	atomic_int	 saved;
};

static void *
writer_main(void *arg)
{
	struct writer	*w = arg;
	char		 title[64];

	while (!atomic_load(&w->stop)) {
		snprintf(title, sizeof(title), "Under load %d",
		    atomic_load(&w->saved));
		if (site_save_article(w->s, "title", title, "body", "Text.",
		    "status", "published", (char *)NULL) == 0)
			break;
		atomic_fetch_add(&w->saved, 1);
	}
	return NULL;
}

static void
test_backup_under_write_load_restores_every_committed_row(struct site *s)
{
	struct writer		 w = { .s = s };
	struct cmd_result	 r;
	pthread_t		 th;
	char			*path = str_printf("%s/backup.db", tmp);
	char			*before, *q, *got, *want, *ic;
	long long		 max_before;
	int			 st;

	REQUIRE(pthread_create(&th, NULL, writer_main, &w) == 0, "writer");
	while (atomic_load(&w.saved) < 5)
		msleep(10);
	before = site_sql(s, "SELECT max(id) FROM articles");
	max_before = atoll(before);
	st = site_gazette(s, &r, "backup", path, (char *)NULL);
	msleep(200);
	atomic_store(&w.stop, 1);
	pthread_join(th, NULL);
	CHECK_INT(st, 0, "backup under load: %s", r.err);
	CHECK_CONTAINS(r.out, "integrity_check ok", "the copy was checked");
	CHECK_CONTAINS(r.out, "articles", "row counts are printed");
	cmd_free(&r);
	harness_note("%d articles saved during the run; max id %lld before "
	    "the backup", atomic_load(&w.saved), max_before);
	CHECK(atomic_load(&w.saved) > 5, "the writer kept writing");

	ic = sql_at(path, "PRAGMA integrity_check");
	CHECK_STR(ic, "ok", "the backup passes integrity_check");
	free(ic);
	q = str_printf("SELECT count(*), sum(length(title)) FROM articles "
	    "WHERE id <= %lld", max_before);
	want = site_sql(s, q);
	got = sql_at(path, q);
	CHECK_STR(got, want, "every article committed before the backup");
	free(got);

	CHECK_INT(site_gazette(s, &r, "backup", path, (char *)NULL), 1,
	    "a second backup to the same file");
	CHECK_CONTAINS(r.err, "--force", "names the fix");
	cmd_free(&r);
	CHECK_INT(site_gazette(s, &r, "backup", "--force", path,
	    (char *)NULL), 0, "--force replaces it");
	cmd_free(&r);

	CHECK_INT(site_gazette(s, &r, "restore", path, (char *)NULL), 1,
	    "restore while the server runs");
	CHECK_CONTAINS(r.err, "stop the service", "says to stop it");
	cmd_free(&r);

	/* Into a second site, stopped: it becomes the backup. */
	if (site_start(&fresh, &(struct site_opts){ .no_serve = true }) == 0) {
		st = site_gazette(&fresh, &r, "restore", path,
		    (char *)NULL);
		CHECK_INT(st, 0, "restore: %s", r.err);
		CHECK_CONTAINS(r.out, "Restored", "says so");
		cmd_free(&r);
		ic = site_sql(&fresh, "PRAGMA integrity_check");
		CHECK_STR(ic, "ok", "the restored database passes");
		free(ic);
		got = site_sql(&fresh, q);
		CHECK_STR(got, want, "every committed article is restored");
		free(got);
		got = str_printf("%s.before-restore", fresh.database);
		CHECK(access(got, R_OK) == 0, "the old database was kept");
		free(got);
		site_stop(&fresh);
	}
	free(want);
	free(q);
	free(before);
	free(path);
}

static void
test_dumpdata_loaddata_round_trip(struct site *s)
{
	static const char *const qs[] = {
		"SELECT count(*), sum(length(title)), sum(length(body_html)),"
		" sum(publish_at), group_concat(status) FROM articles",
		"SELECT count(*), group_concat(article_id || ':' || tag_id)"
		" FROM (SELECT * FROM article_tags ORDER BY 1, 2)",
		"SELECT count(*), group_concat(name) FROM tags",
		"SELECT count(*), sum(length(body)), group_concat(status),"
		" sum(length(body_html)), sum(coalesce(parent_id, 0))"
		" FROM comments",
		"SELECT sum(comment_count) FROM articles",
		"SELECT count(*), group_concat(username), group_concat(password)"
		" FROM users",
	};
	struct cmd_result	 r;
	char			*path = str_printf("%s/dump.json", tmp);
	char			*bad = str_printf("%s/bad.json", tmp);
	char			*a, *b;
	int			 st;

	st = site_gazette(s, &r, "dumpdata", "--output", path,
	    (char *)NULL);
	CHECK_INT(st, 0, "dumpdata: %s", r.err);
	cmd_free(&r);
	CHECK_INT(site_gazette(s, &r, "dumpdata", "tag", (char *)NULL), 0,
	    "dumpdata tag");
	CHECK_CONTAINS(r.out, "{\"model\":\"tag\",\"pk\":1,", "a tag");
	CHECK_NOT_CONTAINS(r.out, "\"article\"", "only tags");
	cmd_free(&r);
	if (site_start(&blank, &(struct site_opts){ .no_serve = true }) != 0)
		goto out;
	st = site_gazette(&blank, &r, "loaddata", path, (char *)NULL);
	CHECK_INT(st, 0,
	    "loaddata: %s", r.err);
	CHECK_CONTAINS(r.out, "Installed", "says how many");
	cmd_free(&r);
	for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		a = site_sql(s, qs[i]);
		b = site_sql(&blank, qs[i]);
		CHECK_STR(b, a, "same rows: %s", qs[i]);
		free(a);
		free(b);
	}
	file_write(bad, "[{\"model\":\"article\",\"pk\":1,\"fields\":"
	    "{\"titel\":\"x\"}}]", 51, false);
	CHECK_INT(site_gazette(&blank, &r, "loaddata", bad, (char *)NULL), 1,
	    "an unknown field");
	CHECK_CONTAINS(r.err, "object 1", "names the object");
	CHECK_CONTAINS(r.err, "titel", "and the field");
	cmd_free(&r);
	site_stop(&blank);
out:
	free(bad);
	free(path);
}

/* chmod the database files to mode. */
static void
db_chmod(const struct site *s, mode_t mode)
{
	char	*p;

	chmod(s->database, mode);
	p = str_printf("%s-wal", s->database);
	chmod(p, mode);
	free(p);
	p = str_printf("%s-shm", s->database);
	chmod(p, mode);
	free(p);
}

static void
test_check_deploy_sees_headers_and_modes(struct site *s)
{
	struct cmd_result	 r;
	char			*url = str_printf("http://127.0.0.1:%d", s->port);
	char			*secret = str_printf("%s/secret", s->dir);
	char			*line;
	int			 st;

	db_chmod(s, 0640);
	st = site_gazette(s, &r, "check", "--deploy", "--url", url,
	    (char *)NULL);
	CHECK_INT(st, 0, "check --deploy on a sound site: %s", r.out);
	line = str_printf("OK      %s/: X-Frame-Options: DENY", url);
	CHECK_CONTAINS(r.out, line, "X-Frame-Options reaches the client");
	free(line);
	CHECK_CONTAINS(r.out, "Content-Security-Policy: default-src", "CSP");
	CHECK_CONTAINS(r.out, "X-Content-Type-Options: nosniff", "nosniff");
	CHECK_CONTAINS(r.out, "Referrer-Policy: same-origin", "Referrer");
	CHECK_CONTAINS(r.out, "WARNING " , "warnings for plain http");
	CHECK_CONTAINS(r.out, "no HSTS (plain http)", "HSTS");
	CHECK_CONTAINS(r.out, "gazette_csrf is HttpOnly", "cookie flags");
	CHECK_CONTAINS(r.out, "gazette_csrf is SameSite=Lax", "SameSite");
	CHECK_CONTAINS(r.out, "gazette_csrf is not Secure (plain http)",
	    "Secure is only a warning over http");
	CHECK_CONTAINS(r.out, "test phrase", "the test secret is doubted");
	cmd_free(&r);

	db_chmod(s, 0644);
	CHECK_INT(site_gazette(s, &r, "check", "--deploy", "--offline",
	    (char *)NULL), 1, "a world-readable database");
	CHECK_CONTAINS(r.out, "readable by everyone", "says why");
	CHECK_NOT_CONTAINS(r.out, "GET ", "--offline requests nothing");
	cmd_free(&r);
	db_chmod(s, 0640);

	chmod(secret, 0644);
	CHECK_INT(site_gazette(s, &r, "check", "--deploy", "--offline",
	    (char *)NULL), 1, "a world-readable secret");
	CHECK_CONTAINS(r.out, "secret file", "names the secret");
	cmd_free(&r);
	chmod(secret, 0600);

	site_settings(s, "comment_moderation", "none", (char *)NULL);
	CHECK_INT(site_gazette(s, &r, "check", "--deploy", "--offline",
	    (char *)NULL), 0, "unmoderated guests are a warning");
	CHECK_CONTAINS(r.out, "published unmoderated", "says so");
	cmd_free(&r);
	site_settings(s, "comment_moderation", "previously_approved",
	    (char *)NULL);
	free(secret);
	free(url);
}

int
main(void)
{
	struct site		 s;
	struct site_opts	 o = { .workers = 2, .articles = 200 };

	harness_init("024_ops");
	if (harness_tempdir(tmp, sizeof(tmp)) != 0)
		return 1;
	if (site_start(&s, &o) == 0) {
		RUN(test_every_help_exits_0, &s);
		RUN(test_bad_arguments_exit_2, &s);
		RUN(test_missing_and_bad_files_are_errors, &s);
		RUN(test_stats_prints_counts, &s);
		RUN(test_backup_under_write_load_restores_every_committed_row,
		    &s);
		RUN(test_dumpdata_loaddata_round_trip, &s);
		RUN(test_check_deploy_sees_headers_and_modes, &s);
		RUN(site_check_log, &s);
		CHECK_INT(site_stop(&s), 0, "gazette's exit status");
	}
	return harness_finish();
}
