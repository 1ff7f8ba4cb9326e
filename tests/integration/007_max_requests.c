/*
 * 007_max_requests: a worker that has served max_requests exits and is
 * replaced ("worker recycled"), and no request is lost on the way, even
 * with a single worker.
 */
#include <stdio.h>

#include "harness.h"

#define MAX_REQUESTS	20
#define REQUESTS	100

static void
test_recycling_loses_no_request(struct site *s)
{
	struct resp	 r = { 0 };
	pid_t		 first, now;
	int		 ok = 0, served, recycled;

	REQUIRE(site_wait_workers(s, 1, NULL, 0, &first, 5000),
	    "one worker at the start");
	for (int i = 0; i < REQUESTS; i++)
		if (http_get(s, "/", &r) == 200)
			ok++;
		else
			CHECK_STATUS(&r, 200, "GET", "/ (max_requests 20)");
	resp_free(&r);
	CHECK_INT(ok, REQUESTS, "GET / answered 200 with max_requests = %d",
	    MAX_REQUESTS);

	/* Every request the workers logged counts, the start-up health
	 * checks too (logged at debug level, hence log_level = debug): one
	 * recycling per MAX_REQUESTS of them.  A worker logs just after it
	 * answers, so the last line may lag: wait for it. */
	for (int i = 0; i < 50; i++) {
		if ((served = site_log_count(s, " status=", "path=")) >
		    REQUESTS)
			break;
		msleep(20);
	}
	/* The master logs a recycling when it reaps the worker, just after
	 * the last answer: give it a moment. */
	for (int i = 0; i < 100; i++) {
		recycled = site_log_count(s, "msg=\"worker recycled\"", NULL);
		if (recycled >= served / MAX_REQUESTS)
			break;
		msleep(20);
	}
	harness_note("%d requests served, %d recyclings", served, recycled);
	CHECK(served >= REQUESTS, "gazette logged the %d requests (%d)",
	    REQUESTS, served);
	CHECK_INT(recycled, served / MAX_REQUESTS, "\"worker recycled\" "
	    "lines for %d requests", served);
	CHECK_INT(site_log_count(s, "worker died", NULL), 0,
	    "\"worker died\" lines");
	CHECK(site_wait_workers(s, 1, &first, 1, &now, 2000),
	    "one worker at the end, not the first one (%d)", (int)first);
	CHECK_LOG_CLEAN(s);
}

int
main(void)
{
	struct site		 s;
	struct site_opts	 o = { .workers = 1, .articles = 25,
	    .max_requests = MAX_REQUESTS,
	    .extra_ini = "[log]\nlog_level = debug\n" };

	harness_init("007_max_requests");
	if (site_start(&s, &o) == 0) {
		RUN(test_recycling_loses_no_request, &s);
		CHECK_INT(site_stop(&s), 0, "gazette's exit status after "
		    "SIGTERM");
	}
	return harness_finish();
}
