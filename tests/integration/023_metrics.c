/*
 * 023_metrics: /metrics, /readyz and JSON logs through nginx.  From
 * 127.0.0.1 /metrics answers in Prometheus text format that promtool
 * accepts and counts the requests made; from another address (127.0.0.2,
 * what nginx passes as REMOTE_ADDR for it) it is refused without the
 * configured token and served with it.  /readyz is 200 "ok", and 503
 * naming the migration while one is pending.  The site logs JSON lines,
 * and probes and scrapes leave no info line.  A killed worker shows as a
 * restart.  Jobs a `gazette worker` runs are counted by kind and
 * outcome.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define TOKEN		"metrics-token-for-the-023-test"
#define OTHER_ADDR	"127.0.0.2"

static char	 sql_dir[256];

/* The promtool binary, or NULL. */
static const char *
promtool(void)
{
	static const char *const paths[] = { "/usr/bin/promtool",
	    "/usr/local/bin/promtool" };

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

/*
 * The value of the sample series (name with its labels, as written) in
 * an exposition body, or -1 if there is no such line.
 */
static double
sample(const char *body, const char *series)
{
	size_t		 n = strlen(series);
	const char	*p = body;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, series, n) == 0 && p[n] == ' ')
			return strtod(p + n + 1, NULL);
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return -1;
}

/* GET /metrics from 127.0.0.1 into r; true if it answered 200. */
static bool
scrape(struct site *s, struct resp *r)
{
	resp_free(r);
	return CHECK_GET(s, "/metrics", 200, r);
}

/* promtool check metrics accepts body: one check. */
static void
check_promtool(const char *body, const char *what)
{
	const char		*tool = promtool();
	char			*argv[] = { (char *)tool, (char *)"check",
	    (char *)"metrics", NULL };
	struct cmd_result	 c;
	int			 st;

	if (!CHECK(tool != NULL, "promtool is installed (Debian's prometheus "
	    "package; make deps installs it)"))
		return;
	CHECK(strlen(body) < 60000, "exposition fits promtool's stdin here");
	st = cmd_run_input(argv, body, 20000, &c);
	if (getenv("T023_DUMP") != NULL)
		harness_note("%s", body);
	CHECK_INT(st, 0, "promtool check metrics on %s (stdout: %.500s stderr: %.500s)",
	    what, c.out, c.err);
	cmd_free(&c);
}

static void
test_metrics_from_loopback_parse_and_count(struct site *s)
{
	static const char	 series[] = "gazette_http_requests_total"
	    "{route=\"article_list\",method=\"GET\",status=\"2xx\"}";
	struct resp		 r = { 0 };
	double			 before, after = -1;

	REQUIRE(CHECK_GET(s, "/", 200, &r), "home page");
	/* A worker counts a request just after it has answered it, so a
	 * scrape right after an answer may come before its count: poll. */
	for (int i = 0; i < 50; i++) {
		REQUIRE(scrape(s, &r), "first scrape");
		if (sample(r.body, series) >= 1)
			break;
		msleep(20);
	}
	CHECK_STR(resp_header(&r, "Content-Type"),
	    "text/plain; version=0.0.4; charset=utf-8", "its Content-Type");
	CHECK_STR(resp_header(&r, "Cache-Control"), "no-store",
	    "its Cache-Control");
	check_promtool(r.body, "a scrape from 127.0.0.1");
	before = sample(r.body, series);
	CHECK(before >= 1, "the home page was counted (%s = %g)", series,
	    before);
	CHECK_CONTAINS(r.body, "# TYPE gazette_http_request_duration_seconds "
	    "histogram", "the duration histogram");
	CHECK(sample(r.body, "gazette_http_request_duration_seconds_count"
	    "{route=\"article_list\"}") >= 1, "home page durations counted");
	CHECK(sample(r.body, "gazette_http_request_duration_seconds_bucket"
	    "{route=\"article_list\",le=\"+Inf\"}") == sample(r.body,
	    "gazette_http_request_duration_seconds_count"
	    "{route=\"article_list\"}"), "+Inf bucket equals _count");
	CHECK(sample(r.body, "gazette_db_step_seconds_count") > 0,
	    "SQLite steps timed");
	CHECK(sample(r.body, "gazette_db_busy_retries_total") >= 0,
	    "busy retries exposed");
	CHECK_INT((long long)sample(r.body, "gazette_workers"), 2,
	    "workers alive");
	CHECK(sample(r.body, "gazette_process_resident_memory_bytes"
	    "{process=\"master\"}") > 0, "the master's memory");
	CHECK_CONTAINS(r.body, "gazette_process_resident_memory_bytes"
	    "{process=\"worker\",slot=\"0\"} ", "worker 0's memory");
	/* The job queue's gauges (the jobs table of 0011). */
	CHECK(sample(r.body, "gazette_jobs_queued") >= 0, "queue depth");

	/* One more home page: counted once.  The worker that served it
	 * counts after it answered, so allow it a moment. */
	REQUIRE(CHECK_GET(s, "/", 200, &r), "home page again");
	for (int i = 0; i < 50; i++) {
		if (!scrape(s, &r))
			break;
		if ((after = sample(r.body, series)) > before)
			break;
		msleep(20);
	}
	CHECK(after == before + 1, "one more home page counted once (%g, "
	    "then %g)", before, after);
	CHECK(sample(r.body, "gazette_http_requests_total{route=\"metrics\","
	    "method=\"GET\",status=\"2xx\"}") >= 1, "scrapes counted too");

	/* An unknown path counts as route "none". */
	REQUIRE(CHECK_GET(s, "/no/such/page/", 404, &r), "an unknown page");
	for (int i = 0; i < 50; i++) {
		if (!scrape(s, &r) || sample(r.body, "gazette_http_requests_total"
		    "{route=\"none\",method=\"GET\",status=\"4xx\"}") >= 1)
			break;
		msleep(20);
	}
	CHECK(sample(r.body, "gazette_http_requests_total{route=\"none\","
	    "method=\"GET\",status=\"4xx\"}") >= 1, "the 404 as route none");
	resp_free(&r);
}

/*
 * Jobs run by `gazette worker` (another process tree than the site's,
 * sharing the counters through DATABASE-metrics) show in /metrics by
 * kind and outcome.
 */
static void
test_metrics_count_the_workers_jobs(struct site *s)
{
	static const char	 done[] = "gazette_jobs_total"
	    "{kind=\"test.noop\",outcome=\"done\"}";
	static const char	 dead[] = "gazette_jobs_total"
	    "{kind=\"test.fail\",outcome=\"dead\"}";
	struct resp		 r = { 0 };
	struct cmd_result	 c;
	char			*n;
	int			 rc;

	site_post_form(s, "/__test/jobs/", &r, "kind", "test.noop", "count",
	    "40", (char *)NULL);
	REQUIRE(CHECK_STATUS(&r, 200, "POST", "/__test/jobs/ test.noop"),
	    "40 test.noop jobs enqueued");
	resp_free(&r);
	site_post_form(s, "/__test/jobs/", &r, "kind", "test.fail",
	    "max_attempts", "1", (char *)NULL);
	REQUIRE(CHECK_STATUS(&r, 200, "POST", "/__test/jobs/ test.fail"),
	    "a failing job enqueued");
	resp_free(&r);
	/* --once: run what is due, then exit. */
	/* Run it first: c.err is filled by the call, so it must not be an
	 * argument evaluated beside it. */
	rc = site_gazette(s, &c, "worker", "--once", (char *)NULL);
	CHECK_INT(rc, 0, "gazette worker --once (stderr: %.500s)", c.err);
	cmd_free(&c);
	n = site_sql(s, "SELECT count(*) FROM jobs WHERE kind = 'test.noop'"
	    " AND state = 'done'");
	CHECK_STR(n, "40", "test.noop jobs done");
	free(n);
	REQUIRE(scrape(s, &r), "a scrape after the jobs");
	CHECK(sample(r.body, done) == 40, "%s = %g, want 40", done,
	    sample(r.body, done));
	CHECK(sample(r.body, dead) == 1, "%s = %g, want 1", dead,
	    sample(r.body, dead));
	CHECK_INT((long long)sample(r.body, "gazette_jobs_queued"), 0,
	    "queue depth after the run");
	check_promtool(r.body, "a scrape with job counts");
	resp_free(&r);
}

static void
test_metrics_from_elsewhere_needs_the_token(struct site *s)
{
	const char *const	 good[] = { "Authorization: Bearer " TOKEN,
	    NULL };
	const char *const	 bad[] = { "Authorization: Bearer " TOKEN "x",
	    NULL };
	const char *const	 basic[] = { "Authorization: Basic "
	    "bWV0cmljczp4", NULL };
	struct resp		 r = { 0 };

	http_request_from(s, OTHER_ADDR, "GET", "/metrics", NULL, NULL, 0, &r);
	CHECK_STATUS(&r, 403, "GET", "/metrics from " OTHER_ADDR
	    " without a token");
	CHECK_NOT_CONTAINS(r.body, "gazette_http_requests_total",
	    "the refusal's body");
	resp_free(&r);

	http_request_from(s, OTHER_ADDR, "GET", "/metrics", bad, NULL, 0, &r);
	CHECK_STATUS(&r, 403, "GET", "/metrics with a wrong token");
	resp_free(&r);

	http_request_from(s, OTHER_ADDR, "GET", "/metrics", basic, NULL, 0,
	    &r);
	CHECK_STATUS(&r, 403, "GET", "/metrics with Basic credentials");
	resp_free(&r);

	http_request_from(s, OTHER_ADDR, "GET", "/metrics?token=" TOKEN, NULL,
	    NULL, 0, &r);
	CHECK_STATUS(&r, 403, "GET", "/metrics with the token in the query");
	resp_free(&r);

	http_request_from(s, OTHER_ADDR, "GET", "/metrics", good, NULL, 0, &r);
	if (CHECK_STATUS(&r, 200, "GET", "/metrics with the token")) {
		CHECK_CONTAINS(r.body, "# TYPE gazette_http_requests_total "
		    "counter", "the exposition");
		check_promtool(r.body, "a scrape with the token");
	}
	resp_free(&r);
}

static void
test_readyz_is_ok(struct site *s)
{
	struct resp	 r = { 0 };

	if (CHECK_GET(s, "/readyz", 200, &r)) {
		CHECK_STR(r.body, "ok\n", "/readyz body");
		CHECK_STR(resp_header(&r, "Cache-Control"), "no-store",
		    "/readyz Cache-Control");
	}
	resp_free(&r);
	if (CHECK_GET(s, "/healthz", 200, &r))
		CHECK_STR(resp_header(&r, "Cache-Control"), "no-store",
		    "/healthz Cache-Control");
	resp_free(&r);
}

static void
test_readyz_is_503_while_a_migration_is_pending(struct site *s)
{
	static const char	 sql[] = "CREATE TABLE t023(x);\n";
	struct resp		 r = { 0 };
	char			 path[512];

	snprintf(path, sizeof(path), "%s/9999_pending.sql", sql_dir);
	REQUIRE(file_write(path, sql, sizeof(sql) - 1, false) == 0,
	    "write %s", path);
	http_get(s, "/readyz", &r);
	if (CHECK_STATUS(&r, 503, "GET", "/readyz with a pending migration")) {
		CHECK_CONTAINS(r.body, "migrations: 1 pending, first "
		    "9999_pending.sql", "the reason");
		CHECK_NOT_CONTAINS(r.body, "ok", "no ok in the body");
		CHECK_NOT_CONTAINS(r.body, "<html", "plain text, not a page");
		CHECK_STR(resp_header(&r, "Cache-Control"), "no-store",
		    "503 Cache-Control");
	}
	resp_free(&r);
	/* The worker still serves pages; /healthz is only about liveness. */
	CHECK_GET(s, "/healthz", 200, &r);
	resp_free(&r);

	REQUIRE(unlink(path) == 0, "remove %s", path);
	CHECK_GET(s, "/readyz", 200, &r);
	resp_free(&r);
}

static void
test_logs_are_json_and_probes_quiet(struct site *s)
{
	char	*log;
	size_t	 lines = 0, bad = 0;

	msleep(200);		/* the last request's line */
	log = file_read(s->log, NULL);
	REQUIRE(log != NULL, "read %s", s->log);
	for (char *p = log, *e; *p != '\0'; p = e + 1) {
		if ((e = strchr(p, '\n')) == NULL)
			break;
		if (e == p)
			continue;
		lines++;
		if (strncmp(p, "{\"time\":\"", 9) != 0 || e[-1] != '}') {
			if (bad++ == 0)
				harness_note("not a JSON line: %.*s",
				    (int)(e - p), p);
		}
	}
	CHECK(lines > 0, "gazette.log has lines");
	CHECK_INT(bad, 0, "lines of gazette.log that are not JSON objects");
	CHECK(site_log_count(s, "\"path\":\"/\"", "\"status\":200") > 0,
	    "the home page's request line, as JSON");
	CHECK(site_log_count(s, "\"level\":\"info\"", "\"dur_us\":") > 0,
	    "numbers stay numbers");
	CHECK_INT(site_log_count(s, "\"path\":\"/readyz\"", "\"status\":200"),
	    0, "info lines for /readyz");
	CHECK_INT(site_log_count(s, "\"path\":\"/metrics\"", "\"status\":200"),
	    0, "info lines for /metrics");
	CHECK(site_log_count(s, "\"path\":\"/readyz\"", "\"status\":503") > 0,
	    "a failing probe is logged");
	free(log);
}

static void
test_killed_worker_counts_as_restart(struct site *s)
{
	struct resp	 r = { 0 };
	pid_t		 pids[2], now[2];
	double		 died = -1;

	REQUIRE(site_workers(s, pids, 2) == 2, "two workers");
	REQUIRE(kill(pids[0], SIGKILL) == 0, "kill -9 worker %d",
	    (int)pids[0]);
	REQUIRE(site_wait_workers(s, 2, pids, 1, now, 10000),
	    "the worker restarted");
	for (int i = 0; i < 50; i++) {
		if (!scrape(s, &r))
			break;
		if ((died = sample(r.body, "gazette_worker_restarts_total"
		    "{reason=\"died\"}")) >= 1 &&
		    sample(r.body, "gazette_workers") == 2)
			break;
		msleep(50);
	}
	CHECK(died == 1, "one restart after a death (%g)", died);
	CHECK_INT((long long)sample(r.body, "gazette_workers"), 2,
	    "workers alive again");
	resp_free(&r);
	CHECK_LOG_CLEAN(s);
}

int
main(void)
{
	struct site		 s;
	struct site_opts	 o = { .workers = 2, .articles = 3,
	    .sql_dir = sql_dir, .extra_ini = "[log]\nlog_format = json\n"
	    "[metrics]\nmetrics_token = " TOKEN "\n" };

	harness_init("023_metrics");
	if (harness_tempdir(sql_dir, sizeof(sql_dir)) != 0 ||
	    !CHECK(harness_copy_sql(sql_dir) > 0, "copy %s/sql/*.sql to %s",
	    harness_root(), sql_dir))
		return harness_finish();
	if (site_start(&s, &o) == 0) {
		RUN(test_metrics_from_loopback_parse_and_count, &s);
		RUN(test_metrics_count_the_workers_jobs, &s);
		RUN(test_metrics_from_elsewhere_needs_the_token, &s);
		RUN(test_readyz_is_ok, &s);
		RUN(test_readyz_is_503_while_a_migration_is_pending, &s);
		RUN(test_logs_are_json_and_probes_quiet, &s);
		RUN(test_killed_worker_counts_as_restart, &s);
		CHECK_INT(site_stop(&s), 0, "gazette's exit status");
	}
	return harness_finish();
}
