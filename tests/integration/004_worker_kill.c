/*
 * 004_worker_kill: a worker killed with SIGKILL is noticed, logged and
 * replaced, and the site keeps answering meanwhile.
 */
#include <signal.h>
#include <stdio.h>

#include "harness.h"

#define WORKERS	2

static void
test_killed_worker_is_logged_and_replaced(struct site *s)
{
	pid_t		 before[WORKERS], after[WORKERS], victim;
	struct resp	 r = { 0 };
	char		 who[64];
	int		 ok = 0;

	REQUIRE(site_wait_workers(s, WORKERS, NULL, 0, before, 5000),
	    "the master has %d workers", WORKERS);
	/* Past the master's quick-death window (1 s), so this is an
	 * ordinary death, replaced at once rather than after a backoff. */
	msleep(1200);
	victim = before[0];
	REQUIRE(kill(victim, SIGKILL) == 0, "kill -9 worker %d", (int)victim);

	/* Sequential requests right away: the other worker (and then the
	 * replacement) must take them all. */
	for (int i = 0; i < 50; i++)
		if (http_get(s, "/", &r) == 200)
			ok++;
		else
			CHECK_STATUS(&r, 200, "GET", "/ after the kill");
	CHECK_INT(ok, 50, "GET / answered 200 after the kill");
	resp_free(&r);

	CHECK(site_wait_workers(s, WORKERS, &victim, 1, after, 2000),
	    "the master is back to %d workers, without %d, within 2 s",
	    WORKERS, (int)victim);
	snprintf(who, sizeof(who), "worker=%d ", (int)victim);
	CHECK_INT(site_log_count(s, "msg=\"worker died\"", who), 1,
	    "\"worker died\" lines for %d", (int)victim);
	CHECK_INT(site_log_count(s, "msg=\"worker died\"", "signal=9"), 1,
	    "\"worker died\" lines with signal=9");
	CHECK_INT(site_log_count(s, "msg=\"worker died\"", NULL), 1,
	    "\"worker died\" lines in all");
	CHECK_INT(site_log_count(s, "backing off", NULL), 0,
	    "\"backing off\" lines for a worker that lived over a second");
}

static void
test_all_workers_killed_are_replaced(struct site *s)
{
	pid_t		 before[WORKERS], after[WORKERS];
	struct resp	 r = { 0 };
	int		 died;

	/* With no worker left the requests wait in the socket's backlog
	 * until the replacements accept them.  One of the two is young:
	 * that one comes back after the master's backoff. */
	REQUIRE(site_wait_workers(s, WORKERS, NULL, 0, before, 2000),
	    "%d workers", WORKERS);
	died = site_log_count(s, "msg=\"worker died\"", NULL);
	for (int i = 0; i < WORKERS; i++)
		CHECK(kill(before[i], SIGKILL) == 0, "kill -9 worker %d",
		    (int)before[i]);
	for (int i = 0; i < 20; i++) {
		http_get(s, "/healthz", &r);
		CHECK_STATUS(&r, 200, "GET", "/healthz, all workers killed");
	}
	resp_free(&r);
	CHECK(site_wait_workers(s, WORKERS, before, WORKERS, after, 3000),
	    "the master is back to %d new workers", WORKERS);
	CHECK_INT(site_log_count(s, "msg=\"worker died\"", NULL) - died,
	    WORKERS, "new \"worker died\" lines");
	CHECK_LOG_CLEAN(s);
}

int
main(void)
{
	struct site		 s;
	struct site_opts	 o = { .workers = WORKERS, .articles = 25 };

	harness_init("004_worker_kill");
	if (site_start(&s, &o) == 0) {
		RUN(test_killed_worker_is_logged_and_replaced, &s);
		RUN(test_all_workers_killed_are_replaced, &s);
		CHECK_INT(site_stop(&s), 0, "gazette's exit status after "
		    "SIGTERM");
	}
	return harness_finish();
}
