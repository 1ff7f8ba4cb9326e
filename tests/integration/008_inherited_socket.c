/*
 * 008_inherited_socket: `gazette serve` takes a listening socket it did
 * not bind, as spawn-fcgi passes it (fd 0) and as systemd socket
 * activation does (fd 3 with LISTEN_FDS and LISTEN_PID), serves through
 * nginx on it, and stops cleanly.
 */
#include <stdio.h>
#include <unistd.h>

#include "harness.h"

static void
test_serves_on_inherited_socket(struct site *s, const char *logged)
{
	struct resp	 r = { 0 };

	CHECK_INT(http_get(s, "/healthz", &r), 200, "GET /healthz");
	CHECK_INT(http_get(s, "/", &r), 200, "GET /");
	CHECK_CONTAINS(r.body, "<article", "the home page lists articles");
	resp_free(&r);
	CHECK_INT(site_log_count(s, logged, NULL), 1, "log says %s", logged);
	CHECK_LOG_CLEAN(s);
}

static void
test_fd0(struct site *s)
{
	test_serves_on_inherited_socket(s, "using inherited socket");
}

static void
test_systemd(struct site *s)
{
	test_serves_on_inherited_socket(s, "using socket from systemd");
}

int
main(void)
{
	struct site		 s;
	struct site_opts	 fd0 = { .workers = 2, .articles = 5,
	    .inherit = SITE_FD0 };
	struct site_opts	 sd = { .workers = 2, .articles = 5,
	    .inherit = SITE_SYSTEMD };

	harness_init("008_inherited_socket");
	if (site_start(&s, &fd0) == 0) {
		RUN(test_fd0, &s);
		CHECK_INT(site_stop(&s), 0, "exit status after SIGTERM (fd 0)");
	}
	if (site_start(&s, &sd) == 0) {
		RUN(test_systemd, &s);
		CHECK_INT(site_stop(&s), 0, "exit status after SIGTERM (fd 3)");
	}
	return harness_finish();
}
