/*
 * worker: `gazette worker`'s loop and processes (see worker.h).
 *
 * Why processes and not threads: a job runs with a struct req, the
 * per-process database connection and statement cache, and ClearSilver
 * (mail templates), none of which is shared between threads; a crash or
 * a runaway handler then takes one process, whose job the lease brings
 * back.  Signals are blocked all the time and taken with sigtimedwait()
 * while idle, so a SIGTERM can never cut a handler short: the job in
 * hand finishes and is recorded, then the loop exits.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "jobs.h"
#include "log.h"
#include "migrate.h"
#include "render.h"
#include "util.h"
#include "worker.h"

#define MAX_LOOPS	64
#define LEASE_GRACE	2	/* seconds past the handler's alarm */
#define RESTART_US	1000000

/*
 * A handler past its timeout: its lease is about to end and another
 * worker may take the job, so this process must not go on running it.
 * Only async-signal-safe calls here.
 */
static void
on_alarm(int sig)
{
	static const char msg[] = "level=error msg=\"job timed out: worker "
	    "exits, the lease brings the job back\"\n";

	(void)sig;
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(70);
	_exit(70);
}

static void
on_chld(int sig)
{
	(void)sig;
}

/* Wait up to ms for SIGTERM or SIGINT (blocked): true if one came. */
static bool
wait_stop(const sigset_t *set, long ms)
{
	struct timespec	 ts = { ms / 1000, (ms % 1000) * 1000000L };
	int		 sig;

	do
		sig = sigtimedwait(set, NULL, &ts);
	while (sig < 0 && errno == EINTR);
	return sig == SIGTERM || sig == SIGINT;
}

/* Is SIGTERM or SIGINT pending (without taking it)? */
static bool
stop_pending(void)
{
	sigset_t	 p;

	sigpending(&p);
	return sigismember(&p, SIGTERM) || sigismember(&p, SIGINT);
}

/* Run j: the handler's rc, with its reason in err. */
static int
run_job(struct req *r, const struct job *j, const struct job_kind *k,
    long lease, char *err, size_t errlen)
{
	int	 rc;

	*err = '\0';
	if (k == NULL) {
		/* Perhaps a newer worker knows it (a deploy under way):
		 * retry, and the job is dead only after max_attempts. */
		snprintf(err, errlen, "this worker has no handler for the "
		    "kind %s", j->kind);
		return JOB_RETRY;
	}
	jobs_set_current(j);
	alarm((unsigned)lease);
	rc = k->handler(r, j->payload, err, errlen);
	alarm(0);
	jobs_set_current(NULL);
	if (db_in_tx()) {
		db_rollback(r);
		if (rc == JOB_OK) {
			snprintf(err, errlen, "the handler left a transaction "
			    "open");
			rc = JOB_RETRY;
		}
	}
	if (req_failed(r)) {
		if (*err == '\0' || rc == JOB_OK)
			snprintf(err, errlen, "database error (see the log "
			    "line above)");
		if (rc == JOB_OK)
			rc = JOB_RETRY;
	}
	if (rc != JOB_OK && rc != JOB_FAIL)
		rc = JOB_RETRY;
	return rc;
}

/*
 * Copy the claimed job's strings out of the request arena (reset between
 * jobs): the kind into kind, the payload into *payload (malloc'd, the
 * previous one freed).
 */
static void
job_keep(struct job *j, char *kind, size_t kindlen, char **payload)
{
	snprintf(kind, kindlen, "%s", j->kind);
	free(*payload);
	*payload = xstrdup(j->payload);
	j->kind = kind;
	j->payload = *payload;
}

/* The one log line of a job run. */
static void
log_job(const struct job *j, const char *outcome, int rc, const char *err,
    int64_t dur_us)
{
	char	 qkind[160], qerr[600];

	if (rc == JOB_OK)
		log_msg(LOG_INFO, "msg=\"job\" kind=%s id=%" PRId64
		    " attempt=%d outcome=%s dur_ms=%lld",
		    log_quote(qkind, sizeof(qkind), j->kind), j->id,
		    j->attempt, outcome, (long long)(dur_us / 1000));
	else
		log_msg(LOG_WARN, "msg=\"job\" kind=%s id=%" PRId64
		    " attempt=%d outcome=%s dur_ms=%lld error=%s",
		    log_quote(qkind, sizeof(qkind), j->kind), j->id,
		    j->attempt, outcome, (long long)(dur_us / 1000),
		    log_quote(qerr, sizeof(qerr), err));
}

/*
 * One worker loop: claim, run, record, until told to stop (or, with
 * once, until nothing is due).  Returns the process's exit status.
 */
static int
worker_loop(const struct config *cfg, bool once)
{
	struct http_limits	 limits;
	struct req		 r;
	struct sigaction	 sa;
	sigset_t		 stopset;
	struct job		 j, next;
	char			 who[128], host[64], err[512], kind[128];
	char			 qkind[160], *payload = NULL;
	int64_t			 next_maint = 0;
	bool			 have = false;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&stopset);
	sigaddset(&stopset, SIGTERM);
	sigaddset(&stopset, SIGINT);
	sigprocmask(SIG_BLOCK, &stopset, NULL);

	if (db_open(cfg, false, err, sizeof(err)) != 0) {
		log_msg(LOG_ERROR, "msg=\"worker cannot start: %s\"", err);
		return 2;
	}
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	snprintf(who, sizeof(who), "%s:%d", host, (int)getpid());
	http_limits_from_config(&limits, cfg);
	req_init(&r, &limits);
	log_msg(LOG_INFO, "msg=\"worker started\" worker=%s", who);

	while (!stop_pending()) {
		const struct job_kind	*k;
		const char		*outcome;
		int64_t			 now = (int64_t)time(NULL), t0;
		long			 lease = cfg->job_lease_seconds;
		int			 rc;

		req_reset(&r);
		if (now >= next_maint) {
			int	 n;

			if ((n = jobs_recover(&r, now)) > 0)
				log_msg(LOG_WARN, "msg=\"jobs requeued after "
				    "their lease expired\" count=%d", n);
			req_reset(&r);
			jobs_schedule(&r, now);
			req_reset(&r);
			next_maint = now + 1;
		}
		if (!have) {
			memset(&j, 0, sizeof(j));
			if ((rc = jobs_claim(&r, who, now, lease + LEASE_GRACE,
			    &j)) <= 0) {
				/* rc < 0: logged by db (busy, I/O). */
				if ((rc == 0 && once) ||
				    wait_stop(&stopset, cfg->job_poll_ms))
					break;
				continue;
			}
			job_keep(&j, kind, sizeof(kind), &payload);
		}
		have = false;
		if ((k = jobs_kind_find(j.kind)) != NULL && k->timeout > 0 &&
		    k->timeout != lease) {
			/* The claim leased the default; this kind's differs. */
			lease = k->timeout;
			jobs_lease(&r, who, &j, (int64_t)time(NULL) + lease +
			    LEASE_GRACE);
		}
		if (stop_pending()) {
			/* Told to stop between the claim and the run. */
			have = true;
			break;
		}
		t0 = util_mono_us();
		rc = run_job(&r, &j, k, lease, err, sizeof(err));
		/* The handler's arena and failure go; j lives outside. */
		req_reset(&r);
		/*
		 * Record the outcome and, unless told to stop, claim the next
		 * due job in the same transaction: one commit a job.
		 */
		if (stop_pending())
			outcome = jobs_finish(&r, who, &j, rc, err,
			    (int64_t)time(NULL), cfg->job_backoff_base);
		else {
			int	 claimed;

			outcome = jobs_finish_claim(&r, who, &j, rc, err,
			    (int64_t)time(NULL), cfg->job_backoff_base,
			    cfg->job_lease_seconds + LEASE_GRACE, &next,
			    &claimed);
			have = claimed == 1;
		}
		if (outcome == NULL) {
			log_msg(LOG_ERROR, "msg=\"cannot record a job's "
			    "outcome; its lease will bring it back\" id=%"
			    PRId64, j.id);
			outcome = "unrecorded";
		}
		log_job(&j, outcome, rc, err, util_mono_us() - t0);
		if (have) {
			j = next;
			job_keep(&j, kind, sizeof(kind), &payload);
		}
	}
	if (have) {
		/* Claimed and not run: back to the queue, attempt uncounted. */
		req_reset(&r);
		jobs_release(&r, who, &j);
		log_msg(LOG_INFO, "msg=\"job\" kind=%s id=%" PRId64
		    " attempt=%d outcome=released dur_ms=0",
		    log_quote(qkind, sizeof(qkind), kind), j.id, j.attempt);
	}
	free(payload);
	log_msg(LOG_INFO, "msg=\"worker stopped\" worker=%s", who);
	req_free(&r);
	db_close();
	return 0;
}

/* Fork one loop; its pid, or -1. */
static pid_t
spawn_loop(const struct config *cfg, bool once)
{
	pid_t	 pid;

	if ((pid = fork()) < 0) {
		log_msg(LOG_ERROR, "msg=\"fork: %s\"", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		_exit(worker_loop(cfg, once));
	}
	return pid;
}

/* Are the migrations applied?  0, or -1 after logging the fix. */
static int
check_ready(const struct config *cfg)
{
	char		 err[512];
	const char	*first = NULL;
	int		 n;

	if (db_open(cfg, false, err, sizeof(err)) != 0) {
		log_msg(LOG_ERROR, "msg=\"%s\"", err);
		return -1;
	}
	n = migrate_pending(cfg->sql_dir, &first, err, sizeof(err));
	db_close();
	if (n != 0) {
		if (n < 0)
			log_msg(LOG_ERROR, "msg=\"%s\"", err);
		else
			log_msg(LOG_ERROR, "msg=\"%d migration(s) pending, "
			    "first %s: run 'gazette migrate' first\"", n, first);
		return -1;
	}
	return 0;
}

int
worker_run(struct config *cfg, int concurrency, bool once)
{
	pid_t			 pids[MAX_LOOPS];
	int64_t			 restart_at[MAX_LOOPS];
	struct sigaction	 sa;
	sigset_t		 set;
	char			 err[512];
	bool			 stopping = false;
	int64_t			 deadline = 0;
	int			 alive = 0;

	/* From the start: a SIGTERM during start-up is a request to stop,
	 * taken at the first wait, not a kill. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (check_ready(cfg) != 0)
		return 2;
	/* What handlers may need: templates (mail), the secret (links). */
	config_set_current(cfg);
	if (render_init(cfg, err, sizeof(err)) != 0 ||
	    auth_init(cfg, err, sizeof(err)) != 0) {
		log_msg(LOG_ERROR, "msg=\"%s\"", err);
		return 2;
	}
	if (concurrency <= 1) {
		int	 rc = worker_loop(cfg, once);

		render_shutdown();
		return rc;
	}
	if (concurrency > MAX_LOOPS)
		concurrency = MAX_LOOPS;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_chld;
	sigaction(SIGCHLD, &sa, NULL);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (int i = 0; i < concurrency; i++) {
		restart_at[i] = 0;
		if ((pids[i] = spawn_loop(cfg, once)) > 0)
			alive++;
	}
	log_msg(LOG_INFO, "msg=\"worker master started\" concurrency=%d",
	    concurrency);

	while (alive > 0 || (!stopping && !once)) {
		struct timespec	 ts = { 0, 200000000L };
		int64_t		 now = util_mono_us();
		int		 sig, status;
		pid_t		 pid;

		for (int i = 0; i < concurrency && !stopping; i++)
			if (pids[i] == 0 && restart_at[i] != 0 &&
			    restart_at[i] <= now) {
				restart_at[i] = 0;
				if ((pids[i] = spawn_loop(cfg, once)) > 0)
					alive++;
				else
					pids[i] = 0;
			}
		if (stopping && now >= deadline) {
			log_msg(LOG_WARN, "msg=\"shutdown timeout: killing %d "
			    "worker loop(s)\"", alive);
			for (int i = 0; i < concurrency; i++)
				if (pids[i] > 0)
					kill(pids[i], SIGKILL);
			deadline = now + 5000000;
		}
		sig = sigtimedwait(&set, NULL, &ts);
		if ((sig == SIGTERM || sig == SIGINT) && !stopping) {
			stopping = true;
			deadline = now + cfg->shutdown_timeout * 1000000;
			log_msg(LOG_INFO, "msg=\"worker master stopping\" "
			    "loops=%d", alive);
			for (int i = 0; i < concurrency; i++)
				if (pids[i] > 0)
					kill(pids[i], SIGTERM);
		}
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			for (int i = 0; i < concurrency; i++) {
				if (pids[i] != pid)
					continue;
				pids[i] = 0;
				alive--;
				if (stopping || (WIFEXITED(status) &&
				    WEXITSTATUS(status) == 0))
					break;
				log_msg(LOG_ERROR, "msg=\"worker loop died\" "
				    "pid=%d status=%d", (int)pid, status);
				restart_at[i] = util_mono_us() + RESTART_US;
				break;
			}
		if (once && !stopping && alive == 0)
			break;
	}
	render_shutdown();
	log_msg(LOG_INFO, "msg=\"worker master stopped\"");
	return 0;
}
