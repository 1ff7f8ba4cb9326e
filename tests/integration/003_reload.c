/*
 * 003_reload: SIGHUP reloads without losing a request.  Two client
 * threads keep GET / and GET /__test/sleep/200/ going (one each) for about four
 * seconds while the master gets SIGHUP four times; every answer must be
 * a 200 with the right body, the log must say "reloaded" four times,
 * and the workers afterwards must all be new processes.  A reload also
 * re-reads the config (site name, worker count), and a broken config
 * is refused while the running one keeps serving.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define WORKERS		2
#define RELOADS		4
#define RELOAD_EVERY_MS	700
#define RUN_MS		4000
#define MAX_ERRORS	10

struct client {
	struct site	*s;
	int		 id;
	atomic_bool	*stop;
	long long	 t0;
	int		 requests, sleeps, failures;
	char		 errors[MAX_ERRORS][512];
};

static void *
client_main(void *arg)
{
	struct client	*c = arg;
	struct resp	 r = { 0 };

	/* Client 0 keeps GET / going, client 1 the slow requests. */
	while (!atomic_load(c->stop)) {
		bool		 slow = c->id == 1;
		const char	*path = slow ? "/__test/sleep/200/" : "/";
		bool		 ok;

		http_get(c->s, path, &r);
		ok = r.status == 200 && r.body != NULL && (slow ?
		    strcmp(r.body, "slept\n") == 0 :
		    strstr(r.body, "<article") != NULL);
		c->requests++;
		c->sleeps += slow;
		if (!ok) {
			if (c->failures < MAX_ERRORS)
				snprintf(c->errors[c->failures],
				    sizeof(c->errors[0]), "client %d at %lld "
				    "ms: GET %s -> %d %s %.60s", c->id,
				    now_ms() - c->t0, path, r.status, r.error,
				    r.body != NULL ? r.body : "");
			c->failures++;
		}
	}
	resp_free(&r);
	return NULL;
}

static void
test_reload_under_load_loses_nothing(struct site *s)
{
	pid_t		 before[WORKERS], after[WORKERS];
	struct client	 c[2];
	pthread_t	 th[2];
	atomic_bool	 stop = false;
	long long	 t0;
	int		 requests = 0, sleeps = 0, failures = 0;

	REQUIRE(site_wait_workers(s, WORKERS, NULL, 0, before, 5000),
	    "the master has %d workers at the start", WORKERS);
	t0 = now_ms();
	for (int i = 0; i < 2; i++) {
		memset(&c[i], 0, sizeof(c[i]));
		c[i].s = s;
		c[i].id = i;
		c[i].stop = &stop;
		c[i].t0 = t0;
		REQUIRE(pthread_create(&th[i], NULL, client_main, &c[i]) == 0,
		    "start client thread %d", i);
	}
	msleep(300);
	for (int i = 0; i < RELOADS; i++) {
		CHECK(site_signal(s, SIGHUP) == 0, "SIGHUP %d to the master",
		    i + 1);
		msleep(RELOAD_EVERY_MS);
	}
	if (now_ms() - t0 < RUN_MS)
		msleep((int)(RUN_MS - (now_ms() - t0)));
	atomic_store(&stop, true);
	for (int i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		requests += c[i].requests;
		sleeps += c[i].sleeps;
		failures += c[i].failures;
		for (int k = 0; k < c[i].failures && k < MAX_ERRORS; k++)
			harness_note("%s", c[i].errors[k]);
	}
	harness_note("%d requests (%d slow) in %lld ms across %d reloads",
	    requests, sleeps, now_ms() - t0, RELOADS);
	CHECK_INT(failures, 0, "requests that did not get their 200 during "
	    "the reloads (of %d)", requests);
	CHECK(requests >= 20, "the clients kept busy (%d requests)",
	    requests);
	CHECK(sleeps >= 8, "slow requests were in flight (%d)", sleeps);
	CHECK_INT(site_log_count(s, "msg=\"reloaded\"", NULL), RELOADS,
	    "\"reloaded\" lines in gazette.log");
	CHECK_INT(site_log_count(s, "msg=\"reloaded\"", "generation=5"), 1,
	    "a reloaded line with generation=5");

	/* The old generations drain and exit; only new workers remain. */
	CHECK(site_wait_workers(s, WORKERS, before, WORKERS, after, 3000),
	    "after the reloads the master has %d workers, none of them "
	    "from before (before: %d %d)", WORKERS, (int)before[0],
	    (int)before[1]);
}

/* Wait up to 3 s for the count of lines with a in the log to reach n. */
static bool
wait_log(struct site *s, const char *a, int n)
{
	for (int i = 0; i < 150; i++) {
		if (site_log_count(s, a, NULL) >= n)
			return true;
		msleep(20);
	}
	return false;
}

static void
test_reload_rereads_the_config(struct site *s)
{
	static const char	 more[] = "\n[site]\nsite_name = Reloaded "
	    "Name 003\n[server]\nworkers = 3\n";
	struct resp		 r = { 0 };
	pid_t			 before[WORKERS], three[3], same[3];
	pid_t			 back[WORKERS];
	char			*orig;
	size_t			 len;
	int			 reloads;

	REQUIRE(site_wait_workers(s, WORKERS, NULL, 0, before, 3000),
	    "%d workers before", WORKERS);
	REQUIRE((orig = file_read(s->ini, &len)) != NULL, "read %s", s->ini);
	reloads = site_log_count(s, "msg=\"reloaded\"", NULL);

	/* A new site name and a third worker. */
	CHECK(file_write(s->ini, more, sizeof(more) - 1, true) == 0,
	    "append to %s", s->ini);
	CHECK(site_signal(s, SIGHUP) == 0, "SIGHUP");
	CHECK(wait_log(s, "msg=\"reloaded\"", reloads + 1),
	    "the master logged \"reloaded\"");
	CHECK(site_wait_workers(s, 3, before, WORKERS, three, 3000),
	    "3 new workers after raising [server] workers to 3");
	http_get(s, "/", &r);
	if (CHECK_STATUS(&r, 200, "GET", "/ after the reload"))
		CHECK_CONTAINS(r.body, "Reloaded Name 003",
		    "GET / after changing site_name");

	/* A broken config is refused; the running one stays. */
	CHECK(file_write(s->ini, "no_such_key = 1\n", 16, true) == 0,
	    "append an unknown key to %s", s->ini);
	CHECK(site_signal(s, SIGHUP) == 0, "SIGHUP");
	CHECK(wait_log(s, "reload refused", 1),
	    "the master logged \"reload refused\"");
	CHECK_INT(site_log_count(s, "reload refused", "no_such_key"), 1,
	    "\"reload refused\" lines naming the key");
	CHECK(site_wait_workers(s, 3, NULL, 0, same, 1000) &&
	    memcmp(same, three, sizeof(three)) == 0,
	    "the same 3 workers after the refused reload");
	http_get(s, "/", &r);
	if (CHECK_STATUS(&r, 200, "GET", "/ after the refused reload"))
		CHECK_CONTAINS(r.body, "Reloaded Name 003",
		    "GET / after the refused reload");

	/* Back to the original. */
	CHECK(file_write(s->ini, orig, len, false) == 0, "restore %s",
	    s->ini);
	CHECK(site_signal(s, SIGHUP) == 0, "SIGHUP");
	CHECK(wait_log(s, "msg=\"reloaded\"", reloads + 2),
	    "the master logged \"reloaded\" again");
	CHECK(site_wait_workers(s, WORKERS, three, 3, back, 3000),
	    "back to %d new workers", WORKERS);
	http_get(s, "/", &r);
	if (CHECK_STATUS(&r, 200, "GET", "/ after restoring the config"))
		CHECK_NOT_CONTAINS(r.body, "Reloaded Name 003",
		    "GET / after restoring the config");
	free(orig);
	resp_free(&r);
}

static void
test_site_serves_after_reloads(struct site *s)
{
	struct resp	 r = { 0 };

	for (int i = 0; i < 5; i++) {
		http_get(s, "/", &r);
		CHECK_STATUS(&r, 200, "GET", "/ after the reloads");
	}
	resp_free(&r);
	site_check_log(s);
}

int
main(void)
{
	struct site		 s;
	struct site_opts	 o = { .workers = WORKERS, .articles = 25 };

	harness_init("003_reload");
	if (site_start(&s, &o) == 0) {
		RUN(test_reload_under_load_loses_nothing, &s);
		RUN(test_reload_rereads_the_config, &s);
		RUN(test_site_serves_after_reloads, &s);
		CHECK_INT(site_stop(&s), 0, "gazette's exit status after "
		    "SIGTERM");
	}
	return harness_finish();
}
