/*
 * 005_sigterm_drain: SIGTERM drains.  A request in flight when the
 * master gets SIGTERM still gets its answer; the master then exits 0
 * within shutdown_timeout and removes its socket.  A request that
 * outlasts shutdown_timeout does not hold the shutdown up.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

struct inflight {
	struct site	*s;
	const char	*path;
	struct resp	 r;
};

static void *
inflight_main(void *arg)
{
	struct inflight	*f = arg;

	http_get(f->s, f->path, &f->r);
	return NULL;
}

static void
test_sigterm_lets_request_finish(struct site *s)
{
	struct inflight	 f = { s, "/__test/sleep/1500/", { 0 } };
	struct resp	 r = { 0 };
	pthread_t	 th;
	long long	 t_term, t_exit;
	int		 st;

	REQUIRE(pthread_create(&th, NULL, inflight_main, &f) == 0,
	    "start the slow request");
	msleep(300);
	t_term = now_ms();
	CHECK(site_signal(s, SIGTERM) == 0, "SIGTERM to the master");
	st = site_wait_gazette(s, 5000 + 2000);
	t_exit = now_ms();
	pthread_join(th, NULL);

	if (CHECK_STATUS(&f.r, 200, "GET", f.path))
		CHECK_STR(f.r.body, "slept\n", "body of the drained request");
	CHECK_INT(st, 0, "the master's exit status after SIGTERM");
	CHECK(t_exit - t_term <= 5000, "the master exited within "
	    "shutdown_timeout (5 s): took %lld ms", t_exit - t_term);
	CHECK(access(s->socket, F_OK) != 0, "the socket %s is gone",
	    s->socket);
	CHECK_INT(site_log_count(s, "msg=\"shutting down\"", "signal=TERM"),
	    1, "\"shutting down\" lines");
	CHECK_INT(site_log_count(s, "msg=\"stopped\"", NULL), 1,
	    "\"stopped\" lines");
	CHECK_INT(site_log_count(s, "shutdown timeout", NULL), 0,
	    "\"shutdown timeout\" lines");
	CHECK_INT(site_log_count(s, "path=/__test/sleep/1500/", "status=200"),
	    1, "the drained request logged with status=200");
	/* nginx is still up; gazette is not: 502 at once, no queueing. */
	http_get(s, "/healthz", &r);
	CHECK_STATUS(&r, 502, "GET", "/healthz after gazette stopped");
	resp_free(&r);
	resp_free(&f.r);
	CHECK_LOG_CLEAN(s);
}

static void
test_shutdown_timeout_bounds_the_drain(struct site *s)
{
	struct inflight	 f = { s, "/__test/sleep/4000/", { 0 } };
	pthread_t	 th;
	long long	 t_term, t_exit;
	int		 st;

	REQUIRE(pthread_create(&th, NULL, inflight_main, &f) == 0,
	    "start the slow request");
	msleep(300);
	t_term = now_ms();
	CHECK(site_signal(s, SIGTERM) == 0, "SIGTERM to the master");
	st = site_wait_gazette(s, 4000);
	t_exit = now_ms();
	pthread_join(th, NULL);

	CHECK_INT(st, 0, "the master's exit status after SIGTERM");
	/* shutdown_timeout = 1: out after one to two seconds (the master
	 * looks at the deadline at least once a second), not after the
	 * 3.7 s the request still had to go. */
	CHECK(t_exit - t_term < 3200, "the master exited soon after "
	    "shutdown_timeout (1 s): took %lld ms", t_exit - t_term);
	CHECK_INT(site_log_count(s, "shutdown timeout", NULL), 1,
	    "\"shutdown timeout\" lines");
	CHECK(f.r.status != 200, "the request cut off by the timeout did "
	    "not get a 200 (got %d)", f.r.status);
	CHECK(access(s->socket, F_OK) != 0, "the socket %s is gone",
	    s->socket);
	resp_free(&f.r);
	CHECK_LOG_CLEAN(s);
}

int
main(void)
{
	struct site		 s;
	struct site_opts	 o = { .workers = 2, .shutdown_timeout = 5 };

	harness_init("005_sigterm_drain");
	if (site_start(&s, &o) == 0) {
		RUN(test_sigterm_lets_request_finish, &s);
		CHECK_INT(site_stop(&s), 0, "gazette's exit status");
	}
	o.shutdown_timeout = 1;
	if (site_start(&s, &o) == 0) {
		RUN(test_shutdown_timeout_bounds_the_drain, &s);
		CHECK_INT(site_stop(&s), 0, "gazette's exit status");
	}
	return harness_finish();
}
