/*
 * jobs: the durable job queue, a table of the site's database (0011).
 * A job is enqueued inside the caller's write transaction, so it commits
 * or rolls back with the change that caused it.  Workers (core/worker)
 * claim due jobs under a lease (in batches, when they are fast: one
 * commit for many), run the handler of their kind, and record the
 * outcome: done, a retry after an exponential
 * backoff with jitter, or dead after max_attempts.  A job whose worker
 * died is requeued once its lease has passed.  Delivery is therefore at
 * least once: a handler must tolerate being run again after a crash
 * between its own commit and the job's.  Kinds and periodic jobs are
 * tables the site registers (app/site/jobs.c); core knows no kind.
 */
#ifndef GAZETTE_JOBS_H
#define GAZETTE_JOBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct req;
struct config;

/* What a handler returns. */
#define JOB_OK		 0	/* done */
#define JOB_RETRY	-1	/* failed this time: retry with backoff */
#define JOB_FAIL	-2	/* failed for good: dead at once */

#define JOBS_MAX_ATTEMPTS	5	/* when neither kind nor caller says */
#define JOBS_BACKOFF_CAP	3600	/* seconds: no retry waits longer */

/*
 * A kind of job: the site's table of these, ended by a NULL name, is
 * passed to jobs_register().  The handler runs with a request of its own
 * (r->user is NULL, the arena is reset after each job) and no transaction
 * open; it opens and commits its own.  It returns JOB_OK, JOB_RETRY or
 * JOB_FAIL, with a one-line reason in err for the last two.  payload is
 * the job's JSON text, valid during the call.
 */
struct job_kind {
	const char	*name;		/* "mail.send", "article.published" */
	int		(*handler)(struct req *r, const char *payload,
			    char *err, size_t errlen);
	int		 max_attempts;	/* 0: JOBS_MAX_ATTEMPTS */
	int		 timeout;	/* seconds a run may take (the lease);
					 * 0: config job_lease_seconds */
};

/*
 * A job the worker enqueues every interval seconds, with the unique key
 * "periodic:NAME:PERIOD" (PERIOD = now / interval), so each period runs
 * once however many workers run.  kind must be a registered kind.
 */
struct job_periodic {
	const char	*kind;		/* NULL ends the table */
	int64_t		 interval;	/* seconds */
};

/* The job running in this process, for handlers that need its identity. */
struct job {
	int64_t		 id;
	const char	*kind;
	const char	*payload;
	int		 attempt;	/* 1 on the first run */
	int		 max_attempts;
};

/*
 * Register the site's kinds and periodic jobs (both static tables, kept
 * by pointer; periodic may be NULL).  0, or -1 after logging a duplicate
 * kind or a periodic job of an unknown kind.
 */
int	 jobs_register(const struct job_kind *kinds,
	    const struct job_periodic *periodic);

/* The registered kind named name, or NULL. */
const struct job_kind *jobs_kind_find(const char *name);

/* The registered periodic jobs (never NULL; ends with a NULL kind). */
const struct job_periodic *jobs_periodic(void);

/*
 * Enqueue a job of kind with payload_json (NULL: "{}"; must be valid
 * JSON) due at run_at (Unix seconds; 0: now), max_attempts (0: the
 * kind's, else JOBS_MAX_ATTEMPTS) and unique_key (NULL: none).  Must be
 * called inside the caller's write transaction (db_begin_write), whose
 * commit or rollback decides the job too.  Returns the new job's id, 0
 * if a job with unique_key is already queued, running or failed (nothing
 * is added), or -1 with r failed (an unknown kind is a bug: r fails).
 */
int64_t	 jobs_enqueue(struct req *r, const char *kind,
	    const char *payload_json, int64_t run_at, int max_attempts,
	    const char *unique_key);

/* Has any job, in any state, ever held unique_key (and not been purged)?
 * 1, 0, or -1 if r failed. */
int	 jobs_key_seen(struct req *r, const char *unique_key);

/*
 * Seconds to wait before retry number attempt (1: after the first
 * failure): base * 2^(attempt-1), capped at JOBS_BACKOFF_CAP, with
 * "equal jitter": uniformly in [d/2, d] chosen by rnd.  Pure.
 */
int64_t	 jobs_backoff(int attempt, uint32_t rnd, int64_t base);

/*
 * Claim the next due job (state queued or failed, run_at <= now, oldest
 * run_at first) for worker `who` in one write transaction: it becomes
 * running with attempts + 1 and lease_until = now + lease.  Fills *j
 * (strings in r's arena).  1 if claimed, 0 if nothing is due, -1 if r
 * failed.  Two workers never claim the same job.  (jobs_claim_batch()
 * of one; so are jobs_finish() and jobs_release() jobs_finish_batch().)
 */
int	 jobs_claim(struct req *r, const char *who, int64_t now,
	    int64_t lease, struct job *j);

/*
 * Record the end of a run of j claimed by who: rc is the handler's
 * (JOB_OK, JOB_RETRY, JOB_FAIL), err its reason.  A retry is due after
 * jobs_backoff(); past max_attempts, or with JOB_FAIL, the job is dead.
 * Returns the new state ("done", "failed", "dead"), or "lost" if the job
 * is no longer this worker's (its lease passed and it was taken back),
 * or NULL if r failed.
 */
const char *jobs_finish(struct req *r, const char *who, const struct job *j,
	    int rc, const char *err, int64_t now, int64_t backoff_base);

/* ---- batches: one commit for many jobs ---------------------------------- */

#define JOBS_BATCH_MAX	32	/* jobs claimed in one transaction, at most */
#define JOB_RELEASE	 1	/* a job_result's rc: claimed, not run */

/*
 * A claimed job and what became of it, for jobs_finish_batch().  rc is
 * the handler's (JOB_OK, JOB_RETRY, JOB_FAIL) or JOB_RELEASE for a job
 * the worker did not run (it goes back to queued, its attempt uncounted,
 * as jobs_release()); err the reason of a failure (NULL: none).
 * jobs_finish_batch() sets outcome: "done", "failed", "dead", "released"
 * or "lost" (no longer this worker's: its lease passed and it was taken
 * back), a static string.
 */
struct job_result {
	struct job	 job;
	int		 rc;
	const char	*err;
	const char	*outcome;
};

/*
 * Claim up to max (1 to JOBS_BATCH_MAX) due jobs for who in one write
 * transaction, as jobs_claim() claims one: the first is the next due job
 * as jobs_claim() picks it; only when that one has never been tried
 * (attempt 1 now) do others join it, and then only jobs never tried
 * either (attempts 0), oldest run_at first.  So a job whose last run was
 * lost (its worker died, perhaps because of it) or that failed runs
 * alone, and costs no other job an attempt if it kills its worker
 * again.  All get lease_until = now + lease.  Fills js[0..n-1] in claim
 * order (strings in r's arena).  Returns n (0: nothing is due), or -1 if
 * r failed (nothing claimed).
 */
int	 jobs_claim_batch(struct req *r, const char *who, int64_t now,
	    int64_t lease, struct job *js, int max);

/*
 * In one write transaction: record res[0..n-1] (as jobs_finish() each,
 * or jobs_release() for JOB_RELEASE), setting each one's outcome; then,
 * if max > 0, claim up to max more as jobs_claim_batch() into next.  One
 * commit (one fsync) for the whole batch and the next claim.  Returns
 * the number claimed (0 to max), or -1 if r failed: then nothing was
 * recorded or claimed, every outcome is NULL, and the leases will bring
 * the jobs back.
 */
int	 jobs_finish_batch(struct req *r, const char *who,
	    struct job_result *res, int n, int64_t now, int64_t backoff_base,
	    int64_t lease, struct job *next, int max);

/* Move the lease of j, claimed by who, to until.  1, 0 if j is no
 * longer who's (its lease passed and it was taken back), or -1. */
int	 jobs_lease(struct req *r, const char *who, const struct job *j,
	    int64_t until);

/*
 * Put j, claimed by who and not run, back to queued without counting the
 * attempt (a worker told to stop before it ran it).  0 or -1.
 */
int	 jobs_release(struct req *r, const char *who, const struct job *j);

/*
 * Requeue running jobs whose lease ended before now (their worker died):
 * back to queued, or dead if that was their last attempt.  The count, or
 * -1 if r failed.
 */
int	 jobs_recover(struct req *r, int64_t now);

/*
 * Enqueue the periodic jobs whose period has come (job_schedule), each
 * once per period among all workers.  The count enqueued, or -1.
 */
int	 jobs_schedule(struct req *r, int64_t now);

/* Delete done jobs finished before `before`.  The count, or -1. */
int	 jobs_purge_done(struct req *r, int64_t before);

/* The job running in this process, or NULL between jobs. */
const struct job *jobs_current(void);
void	 jobs_set_current(const struct job *j);

/* ---- the admin (superusers) --------------------------------------------- */

/*
 * Counts by state into the HDF (Jobs.counts.STATE), then the jobs of
 * state (newest first, at most limit) as Jobs.list.N.{id, kind, payload,
 * attempts, max_attempts, last_error, run_at, run_at_iso, updated, state,
 * locked_by}.  The number listed, or -1.
 */
int	 jobs_export(struct req *r, const char *state, int limit);

/* Dead jobs, counted to 1,000 at most (the admin's badge); -1. */
int64_t	 jobs_dead_count(struct req *r);

/* Is state one of the five?  */
bool	 jobs_is_state(const char *state);

/* Dead job id back to queued (attempts 0, due now).  1, 0 (not dead or
 * absent), -1.  In the caller's write transaction. */
int	 jobs_retry_dead(struct req *r, int64_t id);

/* Delete dead job id.  1, 0 (not dead or absent), -1.  In the caller's
 * write transaction. */
int	 jobs_delete_dead(struct req *r, int64_t id);

#endif
