/*
 * test_metrics: app/core/metrics.c, the counters every worker shares:
 * the hourly ring (rollover across hours on an injected clock) and the
 * Prometheus exposition (label escaping, cumulative histogram buckets
 * with _sum and _count, route "none", jobs by kind and outcome, who may
 * scrape, the queue gauges), each with increments from many processes at
 * once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/metrics.h"
#include "core/router.h"
#include "fixture.h"

Suite	*metrics_suite(void);

static int64_t	 fake_now;

static int64_t
fake_clock(void)
{
	return fake_now;
}

static void
setup(void)
{
	ck_assert_int_eq(metrics_init(), 0);
	metrics_clear();
	fake_now = 1800000000;		/* 2027-01-15 08:00:00 UTC */
	metrics_clock_set(fake_clock);
}

static void
teardown(void)
{
	metrics_clear();
	metrics_clock_set(NULL);
}

START_TEST(test_metrics_init_is_idempotent)
{
	metrics_record(200, 10);
	ck_assert_int_eq(metrics_init(), 0);	/* a reload keeps counts */
	{
		struct metrics_hour	 h[1];

		ck_assert_uint_eq(metrics_hourly(h, 1), 1);
		ck_assert_uint_eq(h[0].requests, 1);
	}
}
END_TEST

START_TEST(test_metrics_counts_by_status_class)
{
	struct metrics_hour	 h[2];

	metrics_record(200, 100);
	metrics_record(304, 100);
	metrics_record(404, 100);
	metrics_record(403, 100);
	metrics_record(500, 100);
	metrics_record(503, -5);		/* a negative duration adds 0 */
	ck_assert_uint_eq(metrics_hourly(h, 2), 2);
	ck_assert_int_eq(h[1].start, 1800000000);
	ck_assert_int_eq(h[0].start, 1800000000 - 3600);
	ck_assert_uint_eq(h[1].requests, 6);
	ck_assert_uint_eq(h[1].errors, 2);
	ck_assert_uint_eq(h[1].client_errors, 2);
	ck_assert_uint_eq(h[1].duration_us, 500);
	ck_assert_uint_eq(h[0].requests, 0);
}
END_TEST

START_TEST(test_metrics_rolls_over_to_the_next_hour)
{
	struct metrics_hour	 h[3];

	fake_now = 1800000000 + 3599;		/* the hour's last second */
	metrics_record(200, 1);
	metrics_record(500, 1);
	fake_now += 1;				/* next hour */
	metrics_record(200, 1);
	ck_assert_uint_eq(metrics_hourly(h, 3), 3);
	ck_assert_int_eq(h[0].start, 1800000000 - 3600);
	ck_assert_uint_eq(h[0].requests, 0);
	ck_assert_int_eq(h[1].start, 1800000000);
	ck_assert_uint_eq(h[1].requests, 2);
	ck_assert_uint_eq(h[1].errors, 1);
	ck_assert_int_eq(h[2].start, 1800000000 + 3600);
	ck_assert_uint_eq(h[2].requests, 1);
	ck_assert_uint_eq(h[2].errors, 0);
}
END_TEST

START_TEST(test_metrics_reuses_a_slot_after_the_ring_wraps)
{
	struct metrics_hour	 h[METRICS_HOURS];

	metrics_record(500, 1);
	metrics_record(200, 1);
	/* The same ring slot, METRICS_HOURS later: starts at 0 again. */
	fake_now += (int64_t)METRICS_HOURS * 3600;
	metrics_record(200, 1);
	ck_assert_uint_eq(metrics_hourly(h, METRICS_HOURS), METRICS_HOURS);
	ck_assert_uint_eq(h[METRICS_HOURS - 1].requests, 1);
	ck_assert_uint_eq(h[METRICS_HOURS - 1].errors, 0);
	for (size_t i = 0; i + 1 < METRICS_HOURS; i++)
		ck_assert_uint_eq(h[i].requests, 0);
	/* And an hour that passed with no traffic reads 0, not old counts. */
	fake_now += 3600 * 5;
	ck_assert_uint_eq(metrics_hourly(h, 6), 6);
	ck_assert_uint_eq(h[0].requests, 1);
	for (size_t i = 1; i < 6; i++)
		ck_assert_uint_eq(h[i].requests, 0);
}
END_TEST

START_TEST(test_metrics_hourly_caps_n)
{
	struct metrics_hour	 h[METRICS_HOURS + 10];

	ck_assert_uint_eq(metrics_hourly(h, METRICS_HOURS + 10),
	    METRICS_HOURS);
	ck_assert_uint_eq(metrics_hourly(h, 0), 0);
}
END_TEST

#define CHILDREN	8
#define PER_CHILD	20000

START_TEST(test_metrics_counts_from_concurrent_processes)
{
	struct metrics_hour	 h[2];
	pid_t			 pid[CHILDREN];

	for (int i = 0; i < CHILDREN; i++) {
		ck_assert_int_ge(pid[i] = fork(), 0);
		if (pid[i] == 0) {
			/* Half the children cross into the next hour halfway. */
			for (int k = 0; k < PER_CHILD; k++) {
				if (i % 2 == 1 && k == PER_CHILD / 2)
					fake_now += 3600;
				metrics_record(k % 10 == 0 ? 500 : 200, 3);
			}
			_exit(0);
		}
	}
	for (int i = 0; i < CHILDREN; i++) {
		int	 st;

		ck_assert_int_eq(waitpid(pid[i], &st, 0), pid[i]);
		ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	fake_now += 3600;
	ck_assert_uint_eq(metrics_hourly(h, 2), 2);
	ck_assert_uint_eq(h[0].requests + h[1].requests,
	    (uint64_t)CHILDREN * PER_CHILD);
	ck_assert_uint_eq(h[1].requests, CHILDREN / 2 * PER_CHILD / 2);
	ck_assert_uint_eq(h[0].errors + h[1].errors,
	    (uint64_t)CHILDREN * PER_CHILD / 10);
	ck_assert_uint_eq(h[0].duration_us + h[1].duration_us,
	    (uint64_t)CHILDREN * PER_CHILD * 3);
}
END_TEST

/* ---- Prometheus ---------------------------------------------------------- */

static int
h_nop(struct req *r)
{
	(void)r;
	return HTTP_200;
}

static const struct route prom_routes[] = {
	{ "home", M_GET, "/", h_nop, NULL, 0 },
	{ "article", M_GET | M_POST, "/a/{slug}/", h_nop, NULL, 0 },
	{ "we\"ird\\name", M_GET, "/w/", h_nop, NULL, 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};

static struct buf	 out;

static void
prom_setup(void)
{
	ck_assert_int_eq(router_init(prom_routes), 0);
	metrics_unmap();		/* size for these routes */
	ck_assert_int_eq(metrics_init(), 0);
	metrics_clear();
	buf_init(&out);
}

static void
prom_teardown(void)
{
	buf_free(&out);
	metrics_unmap();
}

/* The exposition now, in out. */
static const char *
expose(void)
{
	buf_reset(&out);
	metrics_write(&out);
	return out.ptr != NULL ? out.ptr : "";
}

/* The value of series (name{labels} as written) in text; -1 if absent. */
static double
sample(const char *text, const char *series)
{
	size_t		 n = strlen(series);
	const char	*p = text;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, series, n) == 0 && p[n] == ' ')
			return strtod(p + n + 1, NULL);
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return -1;
}

/* Does a occur in t, and before the first b? */
static bool
in_order(const char *t, const char *a, const char *b)
{
	const char	*pa = strstr(t, a), *pb = strstr(t, b);

	return pa != NULL && pb != NULL && pa < pb;
}

START_TEST(test_metrics_label_escape_escapes_backslash_quote_newline)
{
	metrics_label_escape(&out, "a\\b\"c\nd e");
	ck_assert_str_eq(out.ptr, "a\\\\b\\\"c\\nd e");
}
END_TEST

START_TEST(test_metrics_counts_requests_by_route_method_and_class)
{
	const char	*t;

	metrics_record_request(0, M_GET, 200, 1000);
	metrics_record_request(0, M_GET, 304, 1000);
	metrics_record_request(1, M_POST, 403, 1000);
	metrics_record_request(1, M_HEAD, 500, 1000);
	metrics_record_request(-1, M_GET, 404, 1000);	/* no route */
	metrics_record_request(99, M_OTHER, 404, 1000);	/* out of range */
	t = expose();
	ck_assert(fixture_has(t, "# TYPE gazette_http_requests_total "
	    "counter\n"));
	ck_assert(sample(t, "gazette_http_requests_total{route=\"home\","
	    "method=\"GET\",status=\"2xx\"}") == 1);
	ck_assert(sample(t, "gazette_http_requests_total{route=\"home\","
	    "method=\"GET\",status=\"3xx\"}") == 1);
	ck_assert(sample(t, "gazette_http_requests_total{route=\"article\","
	    "method=\"POST\",status=\"4xx\"}") == 1);
	ck_assert(sample(t, "gazette_http_requests_total{route=\"article\","
	    "method=\"HEAD\",status=\"5xx\"}") == 1);
	ck_assert(sample(t, "gazette_http_requests_total{route=\"none\","
	    "method=\"GET\",status=\"4xx\"}") == 1);
	ck_assert(sample(t, "gazette_http_requests_total{route=\"none\","
	    "method=\"OTHER\",status=\"4xx\"}") == 1);
	/* Series that never happened are not written. */
	ck_assert(!fixture_has(t, "status=\"1xx\""));
	/* The hourly view counts them too. */
	{
		struct metrics_hour	 h[1];

		metrics_hourly(h, 1);
		ck_assert_uint_eq(h[0].requests, 6);
	}
}
END_TEST

START_TEST(test_metrics_route_names_are_escaped_in_labels)
{
	metrics_record_request(2, M_GET, 200, 10);
	ck_assert(sample(expose(), "gazette_http_requests_total"
	    "{route=\"we\\\"ird\\\\name\",method=\"GET\",status=\"2xx\"}") == 1);
}
END_TEST

START_TEST(test_metrics_histogram_buckets_are_cumulative_with_sum_and_count)
{
	const char	*t;

	metrics_record_request(0, M_GET, 200, 3000);	/* 3 ms */
	metrics_record_request(0, M_GET, 200, 5000);	/* on the 5 ms bound */
	metrics_record_request(0, M_GET, 200, 7000);	/* 7 ms */
	metrics_record_request(0, M_GET, 200, 2000000);	/* 2 s */
	metrics_record_request(0, M_GET, 200, 20000000); /* 20 s: over all */
	t = expose();
	ck_assert(fixture_has(t, "# TYPE gazette_http_request_duration_seconds"
	    " histogram\n"));
#define B(le)	sample(t, "gazette_http_request_duration_seconds_bucket" \
	    "{route=\"home\",le=\"" le "\"}")
	ck_assert(B("0.005") == 2);		/* le is inclusive */
	ck_assert(B("0.01") == 3);
	ck_assert(B("0.025") == 3);
	ck_assert(B("1") == 3);
	ck_assert(B("2.5") == 4);
	ck_assert(B("10") == 4);
	ck_assert(B("+Inf") == 5);
#undef B
	ck_assert(sample(t, "gazette_http_request_duration_seconds_count"
	    "{route=\"home\"}") == 5);
	ck_assert(fixture_has(t, "gazette_http_request_duration_seconds_sum"
	    "{route=\"home\"} 22.015000\n"));
	/* Buckets in order, +Inf last, then _sum, then _count. */
	ck_assert(in_order(t, "le=\"0.005\"", "le=\"10\""));
	ck_assert(in_order(t, "le=\"10\"", "le=\"+Inf\""));
	ck_assert(in_order(t, "le=\"+Inf\"",
	    "gazette_http_request_duration_seconds_sum"));
	ck_assert(in_order(t, "gazette_http_request_duration_seconds_sum",
	    "gazette_http_request_duration_seconds_count"));
	/* A route with no requests has no histogram. */
	ck_assert(!fixture_has(t, "{route=\"article\",le="));
}
END_TEST

START_TEST(test_metrics_db_counters_and_step_histogram)
{
	const char	*t;

	metrics_db_busy();
	metrics_db_busy();
	metrics_db_step(50);		/* 0.05 ms */
	metrics_db_step(2000);		/* 2 ms */
	metrics_db_step(-3);		/* counts as 0 */
	t = expose();
	ck_assert(sample(t, "gazette_db_busy_retries_total") == 2);
	ck_assert(sample(t, "gazette_db_step_seconds_bucket{le=\"0.0001\"}")
	    == 2);
	ck_assert(sample(t, "gazette_db_step_seconds_bucket{le=\"0.005\"}")
	    == 3);
	ck_assert(sample(t, "gazette_db_step_seconds_bucket{le=\"+Inf\"}")
	    == 3);
	ck_assert(sample(t, "gazette_db_step_seconds_count") == 3);
	ck_assert(fixture_has(t, "gazette_db_step_seconds_sum 0.002050\n"));
}
END_TEST

START_TEST(test_metrics_job_counts_by_kind_and_outcome)
{
	const char	*t;

	metrics_job("mail", "done");
	metrics_job("mail", "done");
	metrics_job("mail", "retry");
	metrics_job("backup", "dead");
	metrics_job("we\"ird", "done");
	metrics_job(NULL, "");
	t = expose();
	ck_assert(sample(t, "gazette_jobs_total{kind=\"mail\","
	    "outcome=\"done\"}") == 2);
	ck_assert(sample(t, "gazette_jobs_total{kind=\"mail\","
	    "outcome=\"retry\"}") == 1);
	ck_assert(sample(t, "gazette_jobs_total{kind=\"backup\","
	    "outcome=\"dead\"}") == 1);
	ck_assert(sample(t, "gazette_jobs_total{kind=\"we\\\"ird\","
	    "outcome=\"done\"}") == 1);
	ck_assert(sample(t, "gazette_jobs_total{kind=\"none\","
	    "outcome=\"none\"}") == 1);
}
END_TEST

/*
 * Counters in a file shared by two process trees: a process that maps
 * the file on its own (as `gazette worker` does beside `serve`) adds to
 * the counts this one shows; a file of another size is started afresh.
 */
START_TEST(test_metrics_job_counts_shared_through_a_file)
{
	char		 dir[] = "/tmp/gazette-metrics-XXXXXX", path[64];
	const char	*t;
	pid_t		 pid;
	int		 st;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/db-metrics", dir);
	ck_assert_int_eq(metrics_jobs_share(path), 0);
	metrics_job("mail", "done");
	if ((pid = fork()) == 0) {
		/* Another tree: its own map of the file, nothing inherited. */
		metrics_unmap();
		_exit(metrics_jobs_share(path) == 0 ?
		    (metrics_job("mail", "done"), metrics_job("mail", "lost"),
		    0) : 1);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	t = expose();
	ck_assert(sample(t, "gazette_jobs_total{kind=\"mail\","
	    "outcome=\"done\"}") == 2);
	ck_assert(sample(t, "gazette_jobs_total{kind=\"mail\","
	    "outcome=\"lost\"}") == 1);
	/* Mapped again later (a restart): the counts are still there. */
	metrics_unmap();
	ck_assert_int_eq(metrics_init(), 0);
	ck_assert_int_eq(metrics_jobs_share(path), 0);
	ck_assert(sample(expose(), "gazette_jobs_total{kind=\"mail\","
	    "outcome=\"done\"}") == 2);
	metrics_unmap();
	ck_assert_int_eq(truncate(path, 100), 0);	/* another layout */
	ck_assert_int_eq(metrics_init(), 0);
	ck_assert_int_eq(metrics_jobs_share(path), 0);
	ck_assert(sample(expose(), "gazette_jobs_total{kind=\"mail\","
	    "outcome=\"done\"}") == -1);
	metrics_job("mail", "done");
	ck_assert(sample(expose(), "gazette_jobs_total{kind=\"mail\","
	    "outcome=\"done\"}") == 1);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(test_metrics_job_table_full_counts_as_other)
{
	char	 kind[32];

	for (int i = 0; i < METRICS_JOB_PAIRS + 5; i++) {
		snprintf(kind, sizeof(kind), "kind%d", i);
		metrics_job(kind, "done");
	}
	/* Full: the pairs past METRICS_JOB_PAIRS (and "other", which found
	 * no room either) are not counted; none is written twice, and none
	 * overwrites another. */
	{
		const char	*t = expose();
		int		 lines = 0;

		for (const char *p = t; (p = strstr(p, "\ngazette_jobs_total{"))
		    != NULL; p++)
			lines++;
		ck_assert_int_eq(lines, METRICS_JOB_PAIRS);
		ck_assert(sample(t, "gazette_jobs_total{kind=\"kind0\","
		    "outcome=\"done\"}") == 1);
	}
}
END_TEST

START_TEST(test_metrics_workers_restarts_and_memory)
{
	const char	*t;

	metrics_master_set(getpid());
	metrics_worker_set(0, getpid());
	metrics_worker_set(3, getpid());
	metrics_worker_set(3, 0);		/* reaped */
	metrics_worker_set(METRICS_PROCS, getpid());	/* out of range */
	metrics_worker_restart(true);
	metrics_worker_restart(false);
	metrics_worker_restart(false);
	t = expose();
	ck_assert(sample(t, "gazette_workers") == 1);
	ck_assert(sample(t, "gazette_worker_restarts_total{reason=\"died\"}")
	    == 1);
	ck_assert(sample(t, "gazette_worker_restarts_total"
	    "{reason=\"recycled\"}") == 2);
	ck_assert(sample(t, "gazette_process_resident_memory_bytes"
	    "{process=\"master\"}") > 0);
	ck_assert(sample(t, "gazette_process_resident_memory_bytes"
	    "{process=\"worker\",slot=\"0\"}") > 0);
	ck_assert(!fixture_has(t, "slot=\"3\""));
}
END_TEST

START_TEST(test_metrics_every_family_has_help_and_type)
{
	const char	*t;
	int		 help = 0, type = 0;

	metrics_record_request(0, M_GET, 200, 1);
	t = expose();
	for (const char *p = t; (p = strstr(p, "# HELP ")) != NULL; p++)
		help++;
	for (const char *p = t; (p = strstr(p, "# TYPE ")) != NULL; p++)
		type++;
	ck_assert_int_eq(help, type);
	ck_assert_int_ge(type, 8);
	/* Every line ends with a newline, the last one too. */
	ck_assert_int_eq(t[strlen(t) - 1], '\n');
	ck_assert(!fixture_has(t, "\n\n"));
}
END_TEST

#define PCHILDREN	6
#define PPER_CHILD	5000

START_TEST(test_metrics_prometheus_counts_from_concurrent_processes)
{
	pid_t		 pid[PCHILDREN];
	const char	*t;

	for (int i = 0; i < PCHILDREN; i++) {
		ck_assert_int_ge(pid[i] = fork(), 0);
		if (pid[i] == 0) {
			char	 kind[16];

			for (int k = 0; k < PPER_CHILD; k++) {
				metrics_record_request(k % 2, M_GET,
				    k % 10 == 0 ? 500 : 200, 7000);
				metrics_db_step(10);
				/* New pairs claimed by many at once. */
				snprintf(kind, sizeof(kind), "k%d", k % 8);
				metrics_job(kind, "done");
			}
			_exit(0);
		}
	}
	for (int i = 0; i < PCHILDREN; i++) {
		int	 st;

		ck_assert_int_eq(waitpid(pid[i], &st, 0), pid[i]);
		ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	t = expose();
	ck_assert(sample(t, "gazette_http_requests_total{route=\"home\","
	    "method=\"GET\",status=\"2xx\"}") == PCHILDREN * PPER_CHILD / 2 -
	    PCHILDREN * PPER_CHILD / 10);
	ck_assert(sample(t, "gazette_http_requests_total{route=\"home\","
	    "method=\"GET\",status=\"5xx\"}") == PCHILDREN * PPER_CHILD / 10);
	ck_assert(sample(t, "gazette_http_request_duration_seconds_count"
	    "{route=\"article\"}") == PCHILDREN * PPER_CHILD / 2);
	ck_assert(sample(t, "gazette_db_step_seconds_count") ==
	    PCHILDREN * PPER_CHILD);
	for (int k = 0; k < 8; k++) {
		char	 series[96];
		int	 n = 0;

		snprintf(series, sizeof(series), "gazette_jobs_total{kind=\"k%d\","
		    "outcome=\"done\"}", k);
		ck_assert(sample(t, series) == PCHILDREN * PPER_CHILD / 8);
		for (const char *p = t; (p = strstr(p, series)) != NULL; p++)
			n++;
		ck_assert_int_eq(n, 1);		/* one slot per pair */
	}
}
END_TEST

START_TEST(test_metrics_may_scrape_loopback_or_token)
{
	static const char	 tok[] = "0123456789abcdef-token";

	ck_assert_int_eq(metrics_may_scrape("127.0.0.1", NULL, NULL), 200);
	ck_assert_int_eq(metrics_may_scrape("::1", NULL, ""), 200);
	ck_assert_int_eq(metrics_may_scrape("::ffff:127.0.0.1", NULL, NULL),
	    200);
	/* Another address, even another loopback one: no token, no page. */
	ck_assert_int_eq(metrics_may_scrape("127.0.0.2", NULL, NULL), 404);
	ck_assert_int_eq(metrics_may_scrape("192.0.2.1", "Bearer x", ""), 404);
	ck_assert_int_eq(metrics_may_scrape("-", NULL, NULL), 404);
	ck_assert_int_eq(metrics_may_scrape(NULL, NULL, NULL), 404);
	/* With a token configured. */
	ck_assert_int_eq(metrics_may_scrape("192.0.2.1", NULL, tok), 403);
	ck_assert_int_eq(metrics_may_scrape("192.0.2.1", "Bearer "
	    "0123456789abcdef-token", tok), 200);
	ck_assert_int_eq(metrics_may_scrape("192.0.2.1", "bearer "
	    "0123456789abcdef-token", tok), 200);
	ck_assert_int_eq(metrics_may_scrape("192.0.2.1", "Bearer "
	    "0123456789abcdef-toke", tok), 403);
	ck_assert_int_eq(metrics_may_scrape("192.0.2.1", "Bearer "
	    "0123456789abcdef-tokenx", tok), 403);
	ck_assert_int_eq(metrics_may_scrape("192.0.2.1", "Bearer ", tok), 403);
	ck_assert_int_eq(metrics_may_scrape("192.0.2.1",
	    "0123456789abcdef-token", tok), 403);
	ck_assert_int_eq(metrics_may_scrape("192.0.2.1", "Basic "
	    "0123456789abcdef-token", tok), 403);
	ck_assert_int_eq(metrics_may_scrape("127.0.0.1", NULL, tok), 200);
}
END_TEST

/* ---- the page, over a database ------------------------------------------- */

static struct fixture_db	 pf;
static struct req		 pr;

static void
page_setup(void)
{
	prom_setup();
	fixture_req_open(&pf, &pr, false, &fixture_wide_limits);
	config_set_current(&pf.cfg);
}

static void
page_teardown(void)
{
	config_set_current(NULL);
	fixture_req_close(&pf, &pr);
	prom_teardown();
}

START_TEST(test_metrics_page_serves_loopback)
{
	ck_assert_int_eq(fixture_request(&pr, "GET", "/metrics", NULL,
	    "REMOTE_ADDR", "127.0.0.1", NULL), 0);
	ck_assert_int_eq(metrics_page(&pr), 200);
	ck_assert_str_eq(pr.content_type,
	    "text/plain; version=0.0.4; charset=utf-8");
	ck_assert(fixture_has(pr.out.ptr, "# TYPE gazette_workers gauge"));
	/* The migrated schema has the queue (0011), empty here. */
	ck_assert(sample(pr.out.ptr, "gazette_jobs_queued") == 0);
	ck_assert(!req_failed(&pr));
}
END_TEST

START_TEST(test_metrics_page_refuses_others)
{
	ck_assert_int_eq(fixture_request(&pr, "GET", "/metrics", NULL,
	    "REMOTE_ADDR", "192.0.2.7", NULL), 0);
	ck_assert_int_eq(metrics_page(&pr), 404);
	ck_assert_uint_eq(pr.out.len, 0);
}
END_TEST

START_TEST(test_metrics_page_reads_queue_gauges)
{
	long long	 now = (long long)time(NULL);

	fixture_sql("INSERT INTO jobs (kind, state, run_at, created_at,"
	    " updated_at) VALUES ('mail', 'queued', ?1, ?1, ?1)", 1, now - 30);
	fixture_sql("INSERT INTO jobs (kind, state, run_at, created_at,"
	    " updated_at) VALUES ('mail', 'failed', ?1, ?1, ?1)", 1, now - 5);
	fixture_sql("INSERT INTO jobs (kind, state, run_at, created_at,"
	    " updated_at) VALUES ('mail', 'queued', ?1, ?2, ?2)", 2,
	    now + 3600, now - 999);
	fixture_sql("INSERT INTO jobs (kind, state, run_at, created_at,"
	    " updated_at) VALUES ('mail', 'done', ?1, ?1, ?1)", 1, now - 5000);
	ck_assert_int_eq(fixture_request(&pr, "GET", "/metrics", NULL,
	    "REMOTE_ADDR", "::1", NULL), 0);
	ck_assert_int_eq(metrics_page(&pr), 200);
	ck_assert(sample(pr.out.ptr, "gazette_jobs_queued") == 3);
	/* The oldest due job waited 30 s (a future one is not late). */
	{
		double	 age = sample(pr.out.ptr,
		    "gazette_jobs_oldest_queued_age_seconds");

		ck_assert(age >= 30 && age <= 32);
	}
	ck_assert(!req_failed(&pr));
}
END_TEST

Suite *
metrics_suite(void)
{
	Suite	*s = suite_create("metrics");
	TCase	*tc = tcase_create("metrics");
	TCase	*tp = tcase_create("prometheus");
	TCase	*tg = tcase_create("page");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_metrics_init_is_idempotent);
	tcase_add_test(tc, test_metrics_counts_by_status_class);
	tcase_add_test(tc, test_metrics_rolls_over_to_the_next_hour);
	tcase_add_test(tc, test_metrics_reuses_a_slot_after_the_ring_wraps);
	tcase_add_test(tc, test_metrics_hourly_caps_n);
	tcase_add_test(tc, test_metrics_counts_from_concurrent_processes);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(tp, prom_setup, prom_teardown);
	tcase_add_test(tp, test_metrics_label_escape_escapes_backslash_quote_newline);
	tcase_add_test(tp, test_metrics_counts_requests_by_route_method_and_class);
	tcase_add_test(tp, test_metrics_route_names_are_escaped_in_labels);
	tcase_add_test(tp, test_metrics_histogram_buckets_are_cumulative_with_sum_and_count);
	tcase_add_test(tp, test_metrics_db_counters_and_step_histogram);
	tcase_add_test(tp, test_metrics_job_counts_by_kind_and_outcome);
	tcase_add_test(tp, test_metrics_job_table_full_counts_as_other);
	tcase_add_test(tp, test_metrics_job_counts_shared_through_a_file);
	tcase_add_test(tp, test_metrics_workers_restarts_and_memory);
	tcase_add_test(tp, test_metrics_every_family_has_help_and_type);
	tcase_add_test(tp, test_metrics_prometheus_counts_from_concurrent_processes);
	tcase_add_test(tp, test_metrics_may_scrape_loopback_or_token);
	suite_add_tcase(s, tp);

	tcase_add_checked_fixture(tg, page_setup, page_teardown);
	tcase_add_test(tg, test_metrics_page_serves_loopback);
	tcase_add_test(tg, test_metrics_page_refuses_others);
	tcase_add_test(tg, test_metrics_page_reads_queue_gauges);
	suite_add_tcase(s, tg);
	return s;
}
