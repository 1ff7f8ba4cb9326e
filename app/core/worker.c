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
#include "metrics.h"
#include "migrate.h"
#include "render.h"
#include "util.h"
#include "worker.h"

#define MAX_LOOPS	64
#define LEASE_GRACE	2	/* seconds past the handler's alarm */
#define RESTART_US	1000000
#define BATCH_TARGET_US	20000	/* handler time a batch holds, about */

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
 * The jobs a loop holds: claimed in one transaction, run one after the
 * other, recorded in one (which claims the next batch).  The strings are
 * copied out of the request arena, which is reset after each job.
 */
struct batch {
	struct job_result res[JOBS_BATCH_MAX];
	char		*kind[JOBS_BATCH_MAX];	/* malloc'd copies */
	char		*payload[JOBS_BATCH_MAX];
	char		 err[JOBS_BATCH_MAX][512];
	int64_t		 lease_until[JOBS_BATCH_MAX];
	int64_t		 dur_us[JOBS_BATCH_MAX];
	int		 n;
	int		 recorded;	/* res[0..recorded-1] are committed */
};

/*
 * Take js[0..n-1], just claimed with lease_until, into b (emptied
 * first): each starts as JOB_RELEASE, what it stays if it is not run.
 */
static void
batch_take(struct batch *b, const struct job *js, int n, int64_t lease_until)
{
	for (int i = 0; i < b->n; i++) {
		free(b->kind[i]);
		free(b->payload[i]);
	}
	b->n = n;
	b->recorded = 0;
	for (int i = 0; i < n; i++) {
		struct job_result *x = &b->res[i];

		x->job = js[i];
		b->kind[i] = xstrdup(js[i].kind);
		b->payload[i] = xstrdup(js[i].payload);
		x->job.kind = b->kind[i];
		x->job.payload = b->payload[i];
		x->rc = JOB_RELEASE;
		x->err = NULL;
		x->outcome = NULL;
		b->err[i][0] = '\0';
		b->lease_until[i] = lease_until;
		b->dur_us[i] = 0;
	}
}

/* The one log line of a job run (or release). */
static void
log_job(const struct job *j, const char *outcome, int rc, const char *err,
    int64_t dur_us)
{
	char	 qkind[160], qerr[600];

	if (rc == JOB_OK || rc == JOB_RELEASE)
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

/* The name /metrics counts a recorded outcome under (NULL: not a run). */
static const char *
metric_outcome(const char *outcome)
{
	if (outcome == NULL || strcmp(outcome, "lost") == 0)
		return "lost";		/* unrecorded, or taken back */
	if (strcmp(outcome, "failed") == 0)
		return "retry";
	if (strcmp(outcome, "released") == 0)
		return NULL;
	return outcome;			/* done, dead */
}

static void	 batch_report(struct batch *, int, int, bool);

/*
 * Record the outcomes of the jobs of b run so far (res[recorded..upto-1])
 * in a transaction of their own.  Done before the next job runs when a
 * handler wrote to the database: a crash later in the batch must not
 * bring back, to run again, a job whose changes are committed.  That
 * keeps the window in which a job can run twice (between the handler's
 * commit and its job's) as narrow as without batches; jobs that write
 * nothing share one commit.
 */
static void
batch_flush(struct req *r, const struct config *cfg, const char *who,
    struct batch *b, int upto)
{
	int	 n = upto - b->recorded, got;

	if (n <= 0)
		return;
	req_reset(r);
	got = jobs_finish_batch(r, who, b->res + b->recorded, n,
	    (int64_t)time(NULL), cfg->job_backoff_base, 0, NULL, 0);
	if (got < 0)
		log_msg(LOG_ERROR, "msg=\"cannot record the outcome of %d "
		    "job(s); their leases will bring them back\" first_id=%"
		    PRId64, n, b->res[b->recorded].job.id);
	batch_report(b, b->recorded, upto, got >= 0);
	b->recorded = upto;
	req_reset(r);
}

/*
 * Run the jobs of b in order until told to stop, or until the next one
 * could outlast a lease: its own, or that of a job already run and not
 * yet recorded (whose outcome must be committed while it is still this
 * worker's).  A job not run stays JOB_RELEASE.  Only the first job of a
 * batch may have its lease moved (a kind whose timeout is longer than
 * the default lease): the others are released and claimed again with a
 * fresh lease.  Returns the handlers' time in all; *ran, how many ran.
 */
static int64_t
batch_run(struct req *r, const struct config *cfg, const char *who,
    struct batch *b, int *ran)
{
	int64_t	 horizon = INT64_MAX, total = 0;

	*ran = 0;
	for (int i = 0; i < b->n; i++) {
		struct job_result	*x = &b->res[i];
		const struct job_kind	*k = jobs_kind_find(x->job.kind);
		long			 lease = cfg->job_lease_seconds;
		int64_t			 now, limit, t0, changes;

		if (k != NULL && k->timeout > 0)
			lease = k->timeout;
		if (stop_pending())
			break;		/* told to stop: the rest go back */
		now = (int64_t)time(NULL);
		limit = b->lease_until[i] < horizon ? b->lease_until[i] :
		    horizon;
		if (now + lease + LEASE_GRACE > limit) {
			if (i > 0)
				break;
			/* The claim leased the default; this kind needs
			 * longer.  0 (taken back) or -1: not run. */
			if (jobs_lease(r, who, &x->job, now + lease +
			    LEASE_GRACE) != 1) {
				req_reset(r);
				break;
			}
			req_reset(r);
			b->lease_until[i] = now + lease + LEASE_GRACE;
		}
		t0 = util_mono_us();
		changes = sqlite3_total_changes64(db_handle());
		x->rc = run_job(r, &x->job, k, lease, b->err[i],
		    sizeof(b->err[i]));
		x->err = b->err[i];
		b->dur_us[i] = util_mono_us() - t0;
		total += b->dur_us[i];
		(*ran)++;
		if (b->lease_until[i] < horizon)
			horizon = b->lease_until[i];
		/* The handler's arena and failure go; b lives outside. */
		req_reset(r);
		if (i + 1 < b->n && sqlite3_total_changes64(db_handle()) !=
		    changes) {
			batch_flush(r, cfg, who, b, i + 1);
			horizon = INT64_MAX;	/* nothing run is unrecorded */
		}
	}
	return total;
}

/* Log and count the jobs b->res[from..to-1] after jobs_finish_batch()
 * (ok: it committed). */
static void
batch_report(struct batch *b, int from, int to, bool ok)
{
	for (int i = from; i < to; i++) {
		struct job_result	*x = &b->res[i];
		const char		*outcome = x->outcome, *m;

		if (!ok) {
			if (x->rc == JOB_RELEASE)
				continue;	/* never ran: nothing to say */
			outcome = "unrecorded";
		}
		log_job(&x->job, outcome, x->rc, x->err, b->dur_us[i]);
		if (x->rc != JOB_RELEASE &&
		    (m = metric_outcome(ok ? outcome : NULL)) != NULL)
			metrics_job(x->job.kind, m);
	}
}

/*
 * The batch size for handlers that took avg_us each: about
 * BATCH_TARGET_US of work, so that slow jobs go one at a time (and other
 * loops get their share) while fast ones share a commit; at most most
 * (config job_batch).
 */
static int
batch_size(int64_t avg_us, long most)
{
	int64_t	 n = BATCH_TARGET_US / (avg_us > 0 ? avg_us : 1);

	if (most > JOBS_BATCH_MAX)
		most = JOBS_BATCH_MAX;
	return n < 1 ? 1 : n > most ? (int)most : (int)n;
}

/*
 * One worker loop: claim, run, record, until told to stop (or, with
 * once, until nothing is due).  Returns the process's exit status.
 */
static int
worker_loop(const struct config *cfg, bool once)
{
	static struct batch	 b;
	struct http_limits	 limits;
	struct req		 r;
	struct sigaction	 sa;
	sigset_t		 stopset;
	struct job		 next[JOBS_BATCH_MAX];
	char			 who[128], host[64], err[512];
	int64_t			 next_maint = 0, avg_us = -1;
	int64_t			 lease = cfg->job_lease_seconds + LEASE_GRACE;
	int			 size = 1;

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
		int64_t	 now = (int64_t)time(NULL), spent;
		int	 got, ran;

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
		if (b.n == 0) {
			if ((got = jobs_claim_batch(&r, who, now, lease, next,
			    size)) <= 0) {
				/* got < 0: logged by db (busy, I/O). */
				if ((got == 0 && once) ||
				    wait_stop(&stopset, cfg->job_poll_ms))
					break;
				continue;
			}
			batch_take(&b, next, got, now + lease);
		}
		spent = batch_run(&r, cfg, who, &b, &ran);
		if (ran > 0) {
			/* A moving average of the handlers' time. */
			spent /= ran;
			avg_us = avg_us < 0 ? spent : (3 * avg_us + spent) / 4;
			size = batch_size(avg_us, cfg->job_batch);
		}
		req_reset(&r);
		/*
		 * Record the outcomes and, unless told to stop, claim the
		 * next batch in the same transaction: one commit a batch.
		 */
		now = (int64_t)time(NULL);
		got = jobs_finish_batch(&r, who, b.res + b.recorded,
		    b.n - b.recorded, now, cfg->job_backoff_base, lease, next,
		    stop_pending() ? 0 : size);
		if (got < 0)
			log_msg(LOG_ERROR, "msg=\"cannot record the outcome "
			    "of %d job(s); their leases will bring them "
			    "back\" first_id=%" PRId64, b.n - b.recorded,
			    b.res[b.recorded].job.id);
		batch_report(&b, b.recorded, b.n, got >= 0);
		batch_take(&b, next, got > 0 ? got : 0, now + lease);
	}
	if (b.n > 0) {
		/* Claimed and not run: back to the queue, attempts uncounted. */
		req_reset(&r);
		if (jobs_finish_batch(&r, who, b.res + b.recorded,
		    b.n - b.recorded, (int64_t)time(NULL),
		    cfg->job_backoff_base, lease, next, 0) >= 0)
			batch_report(&b, b.recorded, b.n, true);
		batch_take(&b, next, 0, 0);
	}
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
	/* The job counters /metrics shows, shared with `gazette serve`. */
	snprintf(err, sizeof(err), "%s-metrics", cfg->database);
	metrics_jobs_share(err);
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
