/*
 * test_jobs: app/core/jobs.c on a fresh database: the backoff schedule's
 * bounds, enqueue inside the caller's transaction (and gone with its
 * rollback), unique keys, claiming in run_at order and never twice (also
 * from concurrent processes), outcomes (done, retry, dead, lost), lease
 * expiry recovery, periodic scheduling, the admin's retry and delete,
 * and the site's trash purge.  Time is passed in, never waited for.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/config.h"
#include "core/db.h"
#include "core/http.h"
#include "core/jobs.h"
#include "core/render.h"
#include "site/article.h"
#include "site/site.h"
#include "fixture.h"

Suite	*jobs_suite(void);

#define WHO	"test:1"
#define OTHER	"test:2"
#define LEASE	30

static struct fixture_db	 fdb;
static struct req		 r;

static int
ok_handler(struct req *rq, const char *payload, char *err, size_t errlen)
{
	(void)rq;
	(void)payload;
	(void)err;
	(void)errlen;
	return JOB_OK;
}

static const struct job_kind test_kinds[] = {
	{ "t.ok", ok_handler, 0, 0 },
	{ "t.three", ok_handler, 3, 0 },
	{ NULL, NULL, 0, 0 }
};

static const struct job_periodic test_periodic[] = {
	{ "t.ok", 60 },
	{ NULL, 0 }
};

static void
setup(void)
{
	fixture_db_open(&fdb);
	req_init(&r, &fixture_limits);
	ck_assert_int_eq(jobs_register(test_kinds, test_periodic), 0);
}

static void
teardown(void)
{
	render_reset(&r);
	req_free(&r);
	fixture_db_close(&fdb);
}

/* Enqueue one job in a transaction of its own; its id (0: duplicate). */
static int64_t
enqueue(const char *kind, int64_t run_at, int max_attempts,
    const char *key)
{
	int64_t	 id;

	ck_assert_int_eq(db_begin_write(&r), 0);
	id = jobs_enqueue(&r, kind, "{\"n\": 1}", run_at, max_attempts, key);
	ck_assert_int_eq(db_commit(&r), 0);
	ck_assert(!req_failed(&r));
	return id;
}

static long long
job_int(const char *col_sql, int64_t id)
{
	return fixture_sql(col_sql, 1, (long long)id);
}

/* Is job id in state?  (the state column compared in SQL) */
static bool
job_in_state(int64_t id, const char *state)
{
	char	 sql[200];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM jobs WHERE id = ?1"
	    " AND state = '%s'", state);
	return fixture_sql(sql, 1, (long long)id) == 1;
}

START_TEST(test_jobs_backoff_grows_within_jitter_bounds_and_caps)
{
	static const uint32_t rnds[] = { 0, 1, 7, 12345, 0x7fffffffu,
	    UINT32_MAX };

	for (int attempt = 1; attempt <= 20; attempt++) {
		int64_t	 d = 10;

		for (int i = 1; i < attempt && d < JOBS_BACKOFF_CAP; i++)
			d *= 2;
		if (d > JOBS_BACKOFF_CAP)
			d = JOBS_BACKOFF_CAP;
		for (size_t k = 0; k < NELEM(rnds); k++) {
			int64_t	 b = jobs_backoff(attempt, rnds[k], 10);

			ck_assert_int_ge(b, d - d / 2);
			ck_assert_int_le(b, d);
			ck_assert_int_le(b, JOBS_BACKOFF_CAP);
		}
	}
	ck_assert_int_eq(jobs_backoff(1, 0, 10), 5);
	ck_assert_int_eq(jobs_backoff(2, 0, 10), 10);
	ck_assert_int_eq(jobs_backoff(3, 0, 10), 20);
	ck_assert_int_eq(jobs_backoff(64, UINT32_MAX, 10) <= 3600, 1);
	ck_assert_int_eq(jobs_backoff(1, 0, 0), 1);	/* base at least 1 */
}
END_TEST

START_TEST(test_jobs_backoff_jitter_spreads_retries)
{
	int64_t	 lo = INT64_MAX, hi = 0;

	for (uint32_t rnd = 0; rnd < 1000; rnd++) {
		int64_t	 b = jobs_backoff(4, rnd * 2654435761u, 10);

		lo = b < lo ? b : lo;
		hi = b > hi ? b : hi;
	}
	ck_assert_int_eq(lo, 40);
	ck_assert_int_eq(hi, 80);
}
END_TEST

START_TEST(test_jobs_enqueue_rolled_back_with_its_change)
{
	int64_t	 id;

	ck_assert_int_eq(db_begin_write(&r), 0);
	ck_assert_int_eq(db_exec(&r, "INSERT INTO tags (slug, name)"
	    " VALUES ('news', 'News')"), 0);
	id = jobs_enqueue(&r, "t.ok", NULL, 0, 0, NULL);
	ck_assert_int_gt(id, 0);
	db_rollback(&r);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM tags", 0), 0);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM jobs", 0), 0);

	ck_assert_int_eq(db_begin_write(&r), 0);
	ck_assert_int_eq(db_exec(&r, "INSERT INTO tags (slug, name)"
	    " VALUES ('news', 'News')"), 0);
	ck_assert_int_gt(jobs_enqueue(&r, "t.ok", NULL, 0, 0, NULL), 0);
	ck_assert_int_eq(db_commit(&r), 0);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM tags", 0), 1);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM jobs", 0), 1);
}
END_TEST

START_TEST(test_jobs_enqueue_outside_a_transaction_fails)
{
	ck_assert_int_eq(jobs_enqueue(&r, "t.ok", NULL, 0, 0, NULL), -1);
	ck_assert(req_failed(&r));
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM jobs", 0), 0);
}
END_TEST

START_TEST(test_jobs_enqueue_unknown_kind_fails)
{
	ck_assert_int_eq(db_begin_write(&r), 0);
	ck_assert_int_eq(jobs_enqueue(&r, "t.nope", NULL, 0, 0, NULL), -1);
	ck_assert(req_failed(&r));
	db_rollback(&r);
}
END_TEST

START_TEST(test_jobs_enqueue_takes_the_kinds_max_attempts)
{
	int64_t	 a = enqueue("t.three", 0, 0, NULL);
	int64_t	 b = enqueue("t.ok", 0, 0, NULL);
	int64_t	 c = enqueue("t.ok", 0, 9, NULL);

	ck_assert_int_eq(job_int("SELECT max_attempts FROM jobs WHERE id = ?1",
	    a), 3);
	ck_assert_int_eq(job_int("SELECT max_attempts FROM jobs WHERE id = ?1",
	    b), JOBS_MAX_ATTEMPTS);
	ck_assert_int_eq(job_int("SELECT max_attempts FROM jobs WHERE id = ?1",
	    c), 9);
}
END_TEST

START_TEST(test_jobs_unique_key_deduplicates_unfinished_jobs)
{
	struct job	 j;
	int64_t		 a, b;

	a = enqueue("t.ok", 0, 0, "mail:42");
	ck_assert_int_gt(a, 0);
	ck_assert_int_eq(enqueue("t.ok", 0, 0, "mail:42"), 0);
	ck_assert_int_gt(enqueue("t.ok", 0, 0, "mail:43"), 0);
	ck_assert_int_gt(enqueue("t.ok", 0, 0, NULL), 0);
	ck_assert_int_gt(enqueue("t.ok", 0, 0, NULL), 0);	/* NULL: none */
	/* Running: still a duplicate.  Done: the key is free again. */
	ck_assert_int_eq(jobs_claim(&r, WHO, (int64_t)time(NULL), LEASE, &j),
	    1);
	ck_assert_int_eq(j.id, a);
	ck_assert_int_eq(enqueue("t.ok", 0, 0, "mail:42"), 0);
	ck_assert_str_eq(jobs_finish(&r, WHO, &j, JOB_OK, "", 1001, 10),
	    "done");
	ck_assert_int_eq(jobs_key_seen(&r, "mail:42"), 1);
	ck_assert_int_eq(jobs_key_seen(&r, "mail:44"), 0);
	b = enqueue("t.ok", 0, 0, "mail:42");
	ck_assert_int_gt(b, a);
}
END_TEST

START_TEST(test_jobs_claim_follows_run_at_and_skips_future_jobs)
{
	struct job	 j;
	int64_t		 late = enqueue("t.ok", 300, 0, NULL);
	int64_t		 early = enqueue("t.ok", 100, 0, NULL);
	int64_t		 mid = enqueue("t.ok", 200, 0, NULL);
	int64_t		 future = enqueue("t.ok", 5000, 0, NULL);

	ck_assert_int_eq(jobs_claim(&r, WHO, 1000, LEASE, &j), 1);
	ck_assert_int_eq(j.id, early);
	ck_assert_int_eq(j.attempt, 1);
	ck_assert_str_eq(j.kind, "t.ok");
	ck_assert_str_eq(j.payload, "{\"n\": 1}");
	ck_assert_int_eq(jobs_claim(&r, WHO, 1000, LEASE, &j), 1);
	ck_assert_int_eq(j.id, mid);
	ck_assert_int_eq(jobs_claim(&r, OTHER, 1000, LEASE, &j), 1);
	ck_assert_int_eq(j.id, late);
	ck_assert_int_eq(jobs_claim(&r, WHO, 1000, LEASE, &j), 0);
	ck_assert(job_in_state(future, "queued"));
	ck_assert(job_in_state(late, "running"));
	ck_assert_int_eq(job_int("SELECT lease_until FROM jobs WHERE id = ?1",
	    late), 1000 + LEASE);
	ck_assert_int_eq(jobs_claim(&r, WHO, 5000, LEASE, &j), 1);
	ck_assert_int_eq(j.id, future);
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_jobs_retry_waits_for_backoff_then_dies)
{
	struct job	 j;
	const char	*s;
	int64_t		 id = enqueue("t.three", 100, 0, NULL), at;

	for (int attempt = 1; attempt <= 3; attempt++) {
		int64_t	 now = 1000 * attempt;

		ck_assert_int_eq(jobs_claim(&r, WHO, now, LEASE, &j), 1);
		ck_assert_int_eq(j.id, id);
		ck_assert_int_eq(j.attempt, attempt);
		s = jobs_finish(&r, WHO, &j, JOB_RETRY, "smtp: 451", now, 10);
		if (attempt < 3) {
			ck_assert_str_eq(s, "failed");
			at = job_int("SELECT run_at FROM jobs WHERE id = ?1", id);
			ck_assert_int_ge(at - now, jobs_backoff(attempt, 0, 10));
			ck_assert_int_le(at - now, (int64_t)10 << (attempt - 1));
			/* Not before its time. */
			ck_assert_int_eq(jobs_claim(&r, WHO, at - 1, LEASE, &j),
			    0);
		} else
			ck_assert_str_eq(s, "dead");
	}
	ck_assert(job_in_state(id, "dead"));
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM jobs WHERE"
	    " last_error = 'smtp: 451' AND finished_at = 3000", 0), 1);
	ck_assert_int_eq(jobs_claim(&r, WHO, 99999, LEASE, &j), 0);
}
END_TEST

START_TEST(test_jobs_permanent_failure_is_dead_at_once)
{
	struct job	 j;
	int64_t		 id = enqueue("t.ok", 0, 0, NULL);

	ck_assert_int_eq(jobs_claim(&r, WHO, (int64_t)time(NULL), LEASE, &j),
	    1);
	ck_assert_str_eq(jobs_finish(&r, WHO, &j, JOB_FAIL, "bad payload",
	    (int64_t)time(NULL), 10), "dead");
	ck_assert(job_in_state(id, "dead"));
	ck_assert_int_eq(jobs_dead_count(&r), 1);
}
END_TEST

START_TEST(test_jobs_lease_expiry_requeues_a_dead_workers_job)
{
	struct job	 j, again;
	int64_t		 id = enqueue("t.ok", 100, 0, NULL);

	ck_assert_int_eq(jobs_claim(&r, WHO, 1000, LEASE, &j), 1);
	/* Within the lease: nobody else gets it, nothing is recovered. */
	ck_assert_int_eq(jobs_recover(&r, 1000 + LEASE), 0);
	ck_assert_int_eq(jobs_claim(&r, OTHER, 1000 + LEASE, LEASE, &again),
	    0);
	/* Past it: back to queued, the lost run counted. */
	ck_assert_int_eq(jobs_recover(&r, 1000 + LEASE + 1), 1);
	ck_assert(job_in_state(id, "queued"));
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM jobs WHERE"
	    " locked_by IS NULL AND lease_until IS NULL AND last_error LIKE"
	    " 'lease expired: worker test:1 %'", 0), 1);
	ck_assert_int_eq(jobs_claim(&r, OTHER, 1000 + LEASE + 1, LEASE,
	    &again), 1);
	ck_assert_int_eq(again.id, id);
	ck_assert_int_eq(again.attempt, 2);
	/* The first worker, back from the dead, cannot record its run. */
	ck_assert_str_eq(jobs_finish(&r, WHO, &j, JOB_OK, "", 1100, 10),
	    "lost");
	ck_assert(job_in_state(id, "running"));
	ck_assert_str_eq(jobs_finish(&r, OTHER, &again, JOB_OK, "", 1100, 10),
	    "done");
}
END_TEST

START_TEST(test_jobs_lease_expiry_on_the_last_attempt_is_dead)
{
	struct job	 j;
	int64_t		 id = enqueue("t.ok", 100, 1, NULL);

	ck_assert_int_eq(jobs_claim(&r, WHO, 1000, LEASE, &j), 1);
	ck_assert_int_eq(jobs_recover(&r, 2000), 1);
	ck_assert(job_in_state(id, "dead"));
}
END_TEST

START_TEST(test_jobs_release_puts_back_without_an_attempt)
{
	struct job	 j;
	int64_t		 id = enqueue("t.ok", 100, 0, NULL);

	ck_assert_int_eq(jobs_claim(&r, WHO, 1000, LEASE, &j), 1);
	ck_assert_int_eq(jobs_release(&r, WHO, &j), 0);
	ck_assert(job_in_state(id, "queued"));
	ck_assert_int_eq(job_int("SELECT attempts FROM jobs WHERE id = ?1",
	    id), 0);
}
END_TEST

START_TEST(test_jobs_finish_batch_of_one_records_and_takes_the_next)
{
	struct job		 j, next;
	struct job_result	 x;
	int64_t			 a = enqueue("t.ok", 100, 0, NULL);
	int64_t			 b = enqueue("t.ok", 200, 0, NULL);

	ck_assert_int_eq(jobs_claim(&r, WHO, 1000, LEASE, &j), 1);
	x = (struct job_result){ .job = j, .rc = JOB_OK };
	ck_assert_int_eq(jobs_finish_batch(&r, WHO, &x, 1, 1000, 10, LEASE,
	    &next, 1), 1);
	ck_assert_str_eq(x.outcome, "done");
	ck_assert_int_eq(next.id, b);
	ck_assert(job_in_state(a, "done"));
	ck_assert(job_in_state(b, "running"));
	x = (struct job_result){ .job = next, .rc = JOB_RETRY, .err = "x" };
	ck_assert_int_eq(jobs_finish_batch(&r, WHO, &x, 1, 1000, 10, LEASE,
	    &j, 1), 0);			/* b waits for its backoff */
	ck_assert_str_eq(x.outcome, "failed");
}
END_TEST

START_TEST(test_jobs_claim_batch_takes_fresh_due_jobs_in_order)
{
	struct job	 js[JOBS_BATCH_MAX];
	int64_t		 id[5];

	for (int i = 0; i < 5; i++)
		id[i] = enqueue("t.ok", 100 * (i + 1), 0, NULL);
	enqueue("t.ok", 9000, 0, NULL);			/* not due */
	ck_assert_int_eq(jobs_claim_batch(&r, WHO, 1000, LEASE, js, 3), 3);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(js[i].id, id[i]);
		ck_assert_int_eq(js[i].attempt, 1);
		ck_assert_str_eq(js[i].kind, "t.ok");
		ck_assert(job_in_state(id[i], "running"));
		ck_assert_int_eq(job_int("SELECT lease_until FROM jobs"
		    " WHERE id = ?1", id[i]), 1000 + LEASE);
	}
	ck_assert_int_eq(jobs_claim_batch(&r, OTHER, 1000, LEASE, js,
	    JOBS_BATCH_MAX), 2);
	ck_assert_int_eq(js[0].id, id[3]);
	ck_assert_int_eq(js[1].id, id[4]);
	ck_assert_int_eq(jobs_claim_batch(&r, WHO, 1000, LEASE, js,
	    JOBS_BATCH_MAX), 0);
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_jobs_claim_batch_runs_a_job_tried_before_alone)
{
	struct job	 js[JOBS_BATCH_MAX];
	int64_t		 a = enqueue("t.ok", 100, 0, NULL);
	int64_t		 b = enqueue("t.ok", 1500, 0, NULL);
	int64_t		 c = enqueue("t.ok", 1600, 0, NULL);

	/* a's worker dies: back after its lease (due then, before b and c),
	 * one attempt spent. */
	ck_assert_int_eq(jobs_claim(&r, WHO, 1000, LEASE, &js[0]), 1);
	ck_assert_int_eq(jobs_recover(&r, 1000 + LEASE + 1), 1);
	ck_assert_int_eq(jobs_claim_batch(&r, OTHER, 2000, LEASE, js,
	    JOBS_BATCH_MAX), 1);
	ck_assert_int_eq(js[0].id, a);
	ck_assert_int_eq(js[0].attempt, 2);
	ck_assert(job_in_state(b, "queued"));
	/* The fresh ones go together. */
	ck_assert_int_eq(jobs_claim_batch(&r, OTHER, 2000, LEASE, js,
	    JOBS_BATCH_MAX), 2);
	ck_assert_int_eq(js[0].id, b);
	ck_assert_int_eq(js[1].id, c);
}
END_TEST

START_TEST(test_jobs_finish_batch_records_each_outcome_and_claims_the_next)
{
	struct job		 js[JOBS_BATCH_MAX], next[JOBS_BATCH_MAX];
	struct job_result	 res[4];
	int64_t			 id[5];
	static const int	 rcs[4] = { JOB_OK, JOB_RETRY, JOB_FAIL,
	    JOB_RELEASE };

	for (int i = 0; i < 5; i++)
		id[i] = enqueue("t.ok", 100 + i, 0, NULL);
	ck_assert_int_eq(jobs_claim_batch(&r, WHO, 1000, LEASE, js, 4), 4);
	for (int i = 0; i < 4; i++) {
		res[i].job = js[i];
		res[i].rc = rcs[i];
		res[i].err = i == 0 ? NULL : "smtp: 451";
		res[i].outcome = NULL;
	}
	/* The released job and the fifth are claimed in the same commit. */
	ck_assert_int_eq(jobs_finish_batch(&r, WHO, res, 4, 1000, 10, LEASE,
	    next, JOBS_BATCH_MAX), 2);
	ck_assert_str_eq(res[0].outcome, "done");
	ck_assert_str_eq(res[1].outcome, "failed");
	ck_assert_str_eq(res[2].outcome, "dead");
	ck_assert_str_eq(res[3].outcome, "released");
	ck_assert(job_in_state(id[0], "done"));
	ck_assert(job_in_state(id[1], "failed"));
	ck_assert(job_in_state(id[2], "dead"));
	ck_assert_int_eq(next[0].id, id[3]);
	ck_assert_int_eq(next[0].attempt, 1);	/* the release gave it back */
	ck_assert_int_eq(next[1].id, id[4]);
	ck_assert_int_eq(job_int("SELECT count(*) FROM jobs WHERE id = ?1"
	    " AND last_error = 'smtp: 451' AND run_at > 1000", id[1]), 1);
	/* Told to stop: everything goes back, nothing claimed. */
	for (int i = 0; i < 2; i++) {
		res[i].job = next[i];
		res[i].rc = JOB_RELEASE;
	}
	ck_assert_int_eq(jobs_finish_batch(&r, WHO, res, 2, 1001, 10, LEASE,
	    js, 0), 0);
	ck_assert(job_in_state(id[3], "queued"));
	ck_assert(job_in_state(id[4], "queued"));
	ck_assert_int_eq(job_int("SELECT attempts FROM jobs WHERE id = ?1",
	    id[4]), 0);
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_jobs_finish_batch_reports_jobs_taken_back_as_lost)
{
	struct job		 js[JOBS_BATCH_MAX], again;
	struct job_result	 res[2];

	enqueue("t.ok", 100, 0, NULL);
	enqueue("t.ok", 200, 0, NULL);
	ck_assert_int_eq(jobs_claim_batch(&r, WHO, 1000, LEASE, js, 2), 2);
	/* Past the lease, another worker takes them back and runs one. */
	ck_assert_int_eq(jobs_recover(&r, 1000 + LEASE + 1), 2);
	ck_assert_int_eq(jobs_claim(&r, OTHER, 1000 + LEASE + 1, LEASE,
	    &again), 1);
	for (int i = 0; i < 2; i++) {
		res[i].job = js[i];
		res[i].rc = i == 0 ? JOB_OK : JOB_RELEASE;
		res[i].err = NULL;
	}
	ck_assert_int_eq(jobs_finish_batch(&r, WHO, res, 2, 1100, 10, LEASE,
	    js, 0), 0);
	ck_assert_str_eq(res[0].outcome, "lost");
	ck_assert_str_eq(res[1].outcome, "lost");
	ck_assert(job_in_state(again.id, "running"));
	ck_assert_int_eq(job_int("SELECT count(*) FROM jobs WHERE state ="
	    " 'done' AND id > ?1", 0), 0);
}
END_TEST

START_TEST(test_jobs_lease_says_whether_the_job_is_still_ours)
{
	struct job	 j;

	enqueue("t.ok", 100, 0, NULL);
	ck_assert_int_eq(jobs_claim(&r, WHO, 1000, LEASE, &j), 1);
	ck_assert_int_eq(jobs_lease(&r, WHO, &j, 5000), 1);
	ck_assert_int_eq(job_int("SELECT lease_until FROM jobs WHERE id = ?1",
	    j.id), 5000);
	ck_assert_int_eq(jobs_lease(&r, OTHER, &j, 6000), 0);
	ck_assert_int_eq(jobs_recover(&r, 5001), 1);
	ck_assert_int_eq(jobs_lease(&r, WHO, &j, 9000), 0);
}
END_TEST

/*
 * The ids that procs children claimed of jobs 1..jobs, written to fd
 * until they exit: each at most once (checked), and every child exited
 * 0.  Returns how many ids came.
 */
static int
read_claims(int fd, int jobs, int procs)
{
	unsigned char	*seen = calloc((size_t)jobs + 1, 1);
	int64_t		 id;
	int		 total = 0;

	ck_assert_ptr_nonnull(seen);
	while (read(fd, &id, sizeof(id)) == (ssize_t)sizeof(id)) {
		ck_assert_int_ge(id, 1);
		ck_assert_int_le(id, jobs);
		ck_assert_msg(seen[id] == 0, "job %" PRId64 " claimed twice", id);
		seen[id] = 1;
		total++;
	}
	close(fd);
	free(seen);
	for (int p = 0; p < procs; p++) {
		int	 st;

		wait(&st);
		ck_assert(WIFEXITED(st));
		ck_assert_int_eq(WEXITSTATUS(st), 0);
	}
	return total;
}

/* Batches claimed by PROCS processes at once, each recording its batch
 * and claiming the next in one transaction: no id may come twice, and
 * every job ends done, attempts 1. */
START_TEST(test_jobs_concurrent_batches_never_share_a_job)
{
	enum { JOBS = 500, PROCS = 4 };
	int	 fds[2];
	char	 err[256];

	ck_assert_int_eq(db_begin_write(&r), 0);
	for (int i = 0; i < JOBS; i++)
		ck_assert_int_gt(jobs_enqueue(&r, "t.ok", NULL, 100, 0, NULL),
		    0);
	ck_assert_int_eq(db_commit(&r), 0);
	ck_assert_int_eq(pipe(fds), 0);
	db_close();
	for (int p = 0; p < PROCS; p++) {
		if (fork() != 0)
			continue;
		struct req		 cr;
		struct job		 js[JOBS_BATCH_MAX];
		struct job_result	 res[JOBS_BATCH_MAX];
		char			 who[32];
		int			 n, had;

		close(fds[0]);
		if (db_open(&fdb.cfg, false, err, sizeof(err)) != 0)
			_exit(3);
		req_init(&cr, &fixture_limits);
		snprintf(who, sizeof(who), "proc:%d", p);
		n = jobs_claim_batch(&cr, who, 1000, LEASE, js, 7);
		while (n > 0) {
			for (int i = 0; i < n; i++) {
				if (write(fds[1], &js[i].id, sizeof(js[i].id))
				    != (ssize_t)sizeof(js[i].id))
					_exit(4);
				res[i].job = js[i];
				res[i].rc = JOB_OK;
				res[i].err = NULL;
			}
			req_reset(&cr);
			had = n;
			n = jobs_finish_batch(&cr, who, res, had, 1000, 10,
			    LEASE, js, 7);
			for (int i = 0; n >= 0 && i < had; i++)
				if (strcmp(res[i].outcome, "done") != 0)
					_exit(6);
		}
		_exit(n < 0 || req_failed(&cr) ? 5 : 0);
	}
	close(fds[1]);
	ck_assert_int_eq(read_claims(fds[0], JOBS, PROCS), JOBS);
	ck_assert_int_eq(db_open(&fdb.cfg, false, err, sizeof(err)), 0);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM jobs"
	    " WHERE state = 'done' AND attempts = 1", 0), JOBS);
}
END_TEST

/* Claim everything due from `procs` processes at once; each claimed id
 * is written to the pipe.  No id may come twice. */
START_TEST(test_jobs_concurrent_claims_never_share_a_job)
{
	enum { JOBS = 300, PROCS = 4 };
	int	 fds[2];
	char	 err[256];

	ck_assert_int_eq(db_begin_write(&r), 0);
	for (int i = 0; i < JOBS; i++)
		ck_assert_int_gt(jobs_enqueue(&r, "t.ok", NULL, 100, 0, NULL),
		    0);
	ck_assert_int_eq(db_commit(&r), 0);
	ck_assert_int_eq(pipe(fds), 0);
	db_close();
	for (int p = 0; p < PROCS; p++) {
		if (fork() != 0)
			continue;
		struct req	 cr;
		struct job	 j;
		char		 who[32];

		close(fds[0]);
		if (db_open(&fdb.cfg, false, err, sizeof(err)) != 0)
			_exit(3);
		req_init(&cr, &fixture_limits);
		snprintf(who, sizeof(who), "proc:%d", p);
		while (jobs_claim(&cr, who, 1000, LEASE, &j) == 1) {
			if (write(fds[1], &j.id, sizeof(j.id)) !=
			    (ssize_t)sizeof(j.id))
				_exit(4);
			req_reset(&cr);
		}
		_exit(req_failed(&cr) ? 5 : 0);
	}
	close(fds[1]);
	ck_assert_int_eq(read_claims(fds[0], JOBS, PROCS), JOBS);
	ck_assert_int_eq(db_open(&fdb.cfg, false, err, sizeof(err)), 0);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM jobs"
	    " WHERE state = 'running' AND attempts = 1", 0), JOBS);
}
END_TEST

START_TEST(test_jobs_schedule_enqueues_once_per_period)
{
	ck_assert_int_eq(jobs_schedule(&r, 6000), 1);
	ck_assert_int_eq(jobs_schedule(&r, 6000), 0);
	ck_assert_int_eq(jobs_schedule(&r, 6059), 0);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM jobs WHERE"
	    " unique_key = 'periodic:t.ok:100'", 0), 1);
	ck_assert_int_eq(jobs_schedule(&r, 6060), 1);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM jobs WHERE"
	    " unique_key = 'periodic:t.ok:101'", 0), 1);
	ck_assert_int_eq(fixture_sql("SELECT next_at FROM job_schedule"
	    " WHERE name = 't.ok'", 0), 6120);
}
END_TEST

START_TEST(test_jobs_register_refuses_periodic_of_unknown_kind)
{
	static const struct job_periodic bad[] = {
		{ "t.nope", 60 }, { NULL, 0 }
	};

	ck_assert_int_eq(jobs_register(test_kinds, bad), -1);
	ck_assert_ptr_null(jobs_kind_find("t.ok"));
}
END_TEST

START_TEST(test_jobs_admin_retries_and_deletes_dead_jobs_only)
{
	struct job	 j;
	int64_t		 dead = enqueue("t.ok", 100, 1, NULL);
	int64_t		 queued = enqueue("t.ok", (int64_t)time(NULL) + 100000,
	    0, NULL);

	ck_assert_int_eq(jobs_claim(&r, WHO, 1000, LEASE, &j), 1);
	ck_assert_str_eq(jobs_finish(&r, WHO, &j, JOB_RETRY, "x", 1000, 10),
	    "dead");
	ck_assert_int_eq(db_begin_write(&r), 0);
	ck_assert_int_eq(jobs_retry_dead(&r, queued), 0);
	ck_assert_int_eq(jobs_delete_dead(&r, queued), 0);
	ck_assert_int_eq(jobs_retry_dead(&r, dead), 1);
	ck_assert_int_eq(db_commit(&r), 0);
	ck_assert(job_in_state(dead, "queued"));
	ck_assert_int_eq(job_int("SELECT attempts FROM jobs WHERE id = ?1",
	    dead), 0);
	ck_assert_int_eq(jobs_claim(&r, WHO, (int64_t)time(NULL), LEASE, &j),
	    1);
	ck_assert_str_eq(jobs_finish(&r, WHO, &j, JOB_FAIL, "x", 1000, 10),
	    "dead");
	ck_assert_int_eq(db_begin_write(&r), 0);
	ck_assert_int_eq(jobs_delete_dead(&r, dead), 1);
	ck_assert_int_eq(db_commit(&r), 0);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM jobs", 0), 1);
}
END_TEST

START_TEST(test_jobs_export_counts_states_and_lists_one)
{
	struct job	 j;

	enqueue("t.ok", 100, 1, NULL);
	enqueue("t.ok", 5000, 0, NULL);
	enqueue("t.ok", 5000, 0, NULL);
	ck_assert_int_eq(jobs_claim(&r, WHO, 1000, LEASE, &j), 1);
	jobs_finish(&r, WHO, &j, JOB_RETRY, "<b>boom</b>", 1000, 10);
	ck_assert_int_eq(jobs_export(&r, "dead", 10), 1);
	ck_assert_str_eq(render_get(&r, "Jobs.counts.dead"), "1");
	ck_assert_str_eq(render_get(&r, "Jobs.counts.queued"), "2");
	ck_assert_str_eq(render_get(&r, "Jobs.counts.done"), "0");
	ck_assert_str_eq(render_get(&r, "Jobs.list.0.last_error"),
	    "<b>boom</b>");
	ck_assert_str_eq(render_get(&r, "Jobs.list.0.payload"), "{\"n\": 1}");
	ck_assert(jobs_is_state("failed"));
	ck_assert(!jobs_is_state("x' OR 1"));
}
END_TEST

START_TEST(test_jobs_purge_done_keeps_recent_and_unfinished)
{
	struct job	 j;

	enqueue("t.ok", 100, 0, NULL);
	enqueue("t.ok", 100, 0, NULL);
	enqueue("t.ok", 100, 0, NULL);
	ck_assert_int_eq(jobs_claim(&r, WHO, 1000, LEASE, &j), 1);
	jobs_finish(&r, WHO, &j, JOB_OK, "", 1000, 10);
	ck_assert_int_eq(jobs_claim(&r, WHO, 1000, LEASE, &j), 1);
	jobs_finish(&r, WHO, &j, JOB_OK, "", 9000, 10);
	ck_assert_int_eq(jobs_purge_done(&r, 5000), 1);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM jobs", 0), 2);
}
END_TEST

START_TEST(test_jobs_trash_purge_deletes_old_trash_and_logs_it)
{
	long long	 old, recent, live;

	old = fixture_article(&r, "old", "Old", "<p>x</p>");
	recent = fixture_article(&r, "recent", "Recent", "<p>x</p>");
	live = fixture_article(&r, "live", "Live", "<p>x</p>");
	fixture_sql("UPDATE articles SET status = 'trash', updated_at = 100"
	    " WHERE id = ?1", 1, old);
	fixture_sql("UPDATE articles SET status = 'trash', updated_at = 9000"
	    " WHERE id = ?1", 1, recent);
	fixture_sql("INSERT INTO comments (article_id, depth, author_name,"
	    " body, body_html, status, created_at, updated_at)"
	    " VALUES (?1, 0, 'a', 'b', 'b', 'approved', 100, 100)", 1, old);
	ck_assert_int_eq(db_begin_write(&r), 0);
	ck_assert_int_eq(article_purge_trash(&r, 5000), 1);
	ck_assert_int_eq(db_commit(&r), 0);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM articles WHERE"
	    " id = ?1", 1, old), 0);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM comments", 0), 0);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM articles WHERE"
	    " id IN (?1, ?2)", 2, recent, live), 2);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM admin_log WHERE"
	    " model = 'article' AND object_id = ?1 AND action = 'delete'", 1,
	    old), 1);
}
END_TEST

/* Run the site kind `kind` once as the worker would: claim, handler,
 * finish.  The handler's rc. */
static int
run_site_kind(const char *kind)
{
	const struct job_kind	*k = jobs_kind_find(kind);
	struct job		 j;
	char			 err[256] = "";
	int			 rc;

	ck_assert_ptr_nonnull(k);
	ck_assert_int_gt(enqueue(kind, 1, 0, NULL), 0);	/* first in line */
	ck_assert_int_eq(jobs_claim(&r, WHO, (int64_t)time(NULL) + 1, LEASE,
	    &j), 1);
	ck_assert_str_eq(j.kind, kind);
	jobs_set_current(&j);
	rc = k->handler(&r, j.payload, err, sizeof(err));
	jobs_set_current(NULL);
	ck_assert_msg(rc == JOB_OK, "%s: %s", kind, err);
	ck_assert(!db_in_tx());
	ck_assert_str_eq(jobs_finish(&r, WHO, &j, rc, err, (int64_t)time(NULL),
	    10), "done");
	return rc;
}

START_TEST(test_jobs_site_article_due_is_announced_once)
{
	int64_t	 now = (int64_t)time(NULL);
	long long a;

	ck_assert_int_eq(jobs_register(site_job_kinds, site_job_periodic), 0);
	a = fixture_article(&r, "soon", "Soon", "<p>x</p>");
	fixture_article(&r, "old", "Old", "<p>x</p>");	/* long public */
	fixture_sql("UPDATE articles SET publish_at = ?1 WHERE id = ?2", 2,
	    (long long)now - 30, a);
	run_site_kind("articles.due");
	run_site_kind("articles.due");
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM jobs WHERE kind ="
	    " 'article.published'", 0), 1);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM jobs WHERE kind ="
	    " 'article.published' AND json_extract(payload, '$.article_id')"
	    " = ?1", 1, a), 1);
	/* Announced once even after that job is done. */
	fixture_sql("UPDATE jobs SET state = 'done', finished_at = 1"
	    " WHERE kind = 'article.published'", 0);
	run_site_kind("articles.due");
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM jobs WHERE kind ="
	    " 'article.published'", 0), 1);
}
END_TEST

START_TEST(test_jobs_site_backup_copies_checks_and_rotates)
{
	char	*dir = fixture_tmpdir(), path[512];

	ck_assert_int_eq(jobs_register(site_job_kinds, site_job_periodic), 0);
	fixture_article(&r, "kept", "Kept", "<p>x</p>");
	free(fdb.cfg.backup_dir);
	fdb.cfg.backup_dir = strdup(dir);
	fdb.cfg.backup_keep = 2;
	config_set_current(&fdb.cfg);
	fixture_write(dir, "gazette-20200101.db", "old");
	fixture_write(dir, "gazette-20200102.db", "old");
	fixture_write(dir, "notes.txt", "not a backup");
	run_site_kind("backup.nightly");
	config_set_current(NULL);
	ck_assert_int_eq(access(strcat(strcpy(path, dir),
	    "/gazette-20200101.db"), F_OK), -1);
	ck_assert_int_eq(access(strcat(strcpy(path, dir),
	    "/gazette-20200102.db"), F_OK), 0);
	ck_assert_int_eq(access(strcat(strcpy(path, dir), "/notes.txt"), F_OK),
	    0);
	{
		time_t		 t = time(NULL);
		struct tm	 tm;
		sqlite3		*db;
		sqlite3_stmt	*st;

		gmtime_r(&t, &tm);
		snprintf(path, sizeof(path), "%s/gazette-%04d%02d%02d.db", dir,
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
		ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
		    NULL), SQLITE_OK);
		ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM"
		    " articles WHERE slug = 'kept'", -1, &st, NULL), SQLITE_OK);
		ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
		ck_assert_int_eq(sqlite3_column_int(st, 0), 1);
		sqlite3_finalize(st);
		sqlite3_close(db);
	}
	fixture_rmtree(dir);
}
END_TEST

START_TEST(test_jobs_site_trash_purge_takes_old_comments_too)
{
	long long	 a = fixture_article(&r, "a", "A", "<p>x</p>");

	ck_assert_int_eq(jobs_register(site_job_kinds, site_job_periodic), 0);
	config_set_current(&fdb.cfg);
	fixture_sql("INSERT INTO comments (article_id, depth, author_name,"
	    " body, body_html, status, created_at, updated_at)"
	    " VALUES (?1, 0, 'old', 'b', 'b', 'trash', 100, 100)", 1, a);
	fixture_sql("INSERT INTO comments (article_id, depth, author_name,"
	    " body, body_html, status, created_at, updated_at)"
	    " VALUES (?1, 0, 'new', 'b', 'b', 'trash', ?2, ?2)", 2, a,
	    (long long)time(NULL));
	fixture_sql("INSERT INTO comments (article_id, depth, author_name,"
	    " body, body_html, status, created_at, updated_at)"
	    " VALUES (?1, 0, 'ok', 'b', 'b', 'approved', 100, 100)", 1, a);
	run_site_kind("trash.purge");
	config_set_current(NULL);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM comments", 0), 2);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM comments WHERE"
	    " author_name = 'old'", 0), 0);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM admin_log WHERE"
	    " model = 'comment' AND action = 'delete'", 0), 1);
}
END_TEST

Suite *
jobs_suite(void)
{
	Suite	*s = suite_create("jobs");
	TCase	*tc = tcase_create("jobs");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_jobs_backoff_grows_within_jitter_bounds_and_caps);
	tcase_add_test(tc, test_jobs_backoff_jitter_spreads_retries);
	tcase_add_test(tc, test_jobs_enqueue_rolled_back_with_its_change);
	tcase_add_test(tc, test_jobs_enqueue_outside_a_transaction_fails);
	tcase_add_test(tc, test_jobs_enqueue_unknown_kind_fails);
	tcase_add_test(tc, test_jobs_enqueue_takes_the_kinds_max_attempts);
	tcase_add_test(tc, test_jobs_unique_key_deduplicates_unfinished_jobs);
	tcase_add_test(tc,
	    test_jobs_claim_follows_run_at_and_skips_future_jobs);
	tcase_add_test(tc, test_jobs_retry_waits_for_backoff_then_dies);
	tcase_add_test(tc, test_jobs_permanent_failure_is_dead_at_once);
	tcase_add_test(tc, test_jobs_lease_expiry_requeues_a_dead_workers_job);
	tcase_add_test(tc, test_jobs_lease_expiry_on_the_last_attempt_is_dead);
	tcase_add_test(tc, test_jobs_release_puts_back_without_an_attempt);
	tcase_add_test(tc, test_jobs_finish_batch_of_one_records_and_takes_the_next);
	tcase_add_test(tc, test_jobs_concurrent_claims_never_share_a_job);
	tcase_add_test(tc, test_jobs_claim_batch_takes_fresh_due_jobs_in_order);
	tcase_add_test(tc, test_jobs_claim_batch_runs_a_job_tried_before_alone);
	tcase_add_test(tc,
	    test_jobs_finish_batch_records_each_outcome_and_claims_the_next);
	tcase_add_test(tc,
	    test_jobs_finish_batch_reports_jobs_taken_back_as_lost);
	tcase_add_test(tc, test_jobs_lease_says_whether_the_job_is_still_ours);
	tcase_add_test(tc, test_jobs_concurrent_batches_never_share_a_job);
	tcase_add_test(tc, test_jobs_schedule_enqueues_once_per_period);
	tcase_add_test(tc,
	    test_jobs_register_refuses_periodic_of_unknown_kind);
	tcase_add_test(tc,
	    test_jobs_admin_retries_and_deletes_dead_jobs_only);
	tcase_add_test(tc, test_jobs_export_counts_states_and_lists_one);
	tcase_add_test(tc, test_jobs_purge_done_keeps_recent_and_unfinished);
	tcase_add_test(tc,
	    test_jobs_trash_purge_deletes_old_trash_and_logs_it);
	tcase_add_test(tc, test_jobs_site_article_due_is_announced_once);
	tcase_add_test(tc, test_jobs_site_backup_copies_checks_and_rotates);
	tcase_add_test(tc, test_jobs_site_trash_purge_takes_old_comments_too);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
