/*
 * jobs: the queue's SQL and rules (enqueue, claim, finish, lease recovery,
 * periodic scheduling, the admin's view).  The loop that runs jobs and
 * the `gazette worker` processes live in core/worker; the kinds and
 * their handlers in the site.  Every write here runs inside a write
 * transaction: the caller's (enqueue, admin actions) or one of its own
 * (claim, finish, recover, schedule).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "db.h"
#include "http.h"
#include "jobs.h"
#include "log.h"
#include "render.h"
#include "util.h"

static const struct job_kind	 no_kinds[] = { { NULL, NULL, 0, 0 } };
static const struct job_periodic no_periodic[] = { { NULL, 0 } };
static const struct job_kind	*kinds = no_kinds;
static const struct job_periodic *periodic = no_periodic;
static const struct job		*current;

static const char *const states[] = {
	"queued", "running", "failed", "done", "dead", NULL
};

int
jobs_register(const struct job_kind *k, const struct job_periodic *p)
{
	for (size_t i = 0; k[i].name != NULL; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(k[i].name, k[j].name) == 0) {
				log_msg(LOG_ERROR, "msg=\"job kind registered "
				    "twice\" kind=%s", k[i].name);
				return -1;
			}
	kinds = k;
	for (size_t i = 0; p != NULL && p[i].kind != NULL; i++)
		if (jobs_kind_find(p[i].kind) == NULL || p[i].interval < 1) {
			log_msg(LOG_ERROR, "msg=\"periodic job of an unknown "
			    "kind or without interval\" kind=%s", p[i].kind);
			kinds = no_kinds;
			return -1;
		}
	periodic = p != NULL ? p : no_periodic;
	return 0;
}

const struct job_kind *
jobs_kind_find(const char *name)
{
	for (size_t i = 0; kinds[i].name != NULL; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	return NULL;
}

const struct job_periodic *
jobs_periodic(void)
{
	return periodic;
}

const struct job *
jobs_current(void)
{
	return current;
}

void
jobs_set_current(const struct job *j)
{
	current = j;
}

bool
jobs_is_state(const char *state)
{
	for (size_t i = 0; state != NULL && states[i] != NULL; i++)
		if (strcmp(states[i], state) == 0)
			return true;
	return false;
}

int64_t
jobs_enqueue(struct req *r, const char *kind, const char *payload_json,
    int64_t run_at, int max_attempts, const char *unique_key)
{
	/*
	 * DO NOTHING without a target covers every uniqueness constraint,
	 * the partial index jobs_unique_open among them: a duplicate key
	 * among unfinished jobs adds nothing, and changes() says so.
	 */
	static const char sql[] =
	    "INSERT INTO jobs (kind, payload, run_at, max_attempts,"
	    "    unique_key, state, created_at, updated_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, 'queued', ?6, ?6)"
	    " ON CONFLICT DO NOTHING";
	const struct job_kind	*k;
	sqlite3_stmt		*st;
	int64_t			 now = (int64_t)time(NULL), id = -1;

	if (!db_in_tx()) {
		req_fail(r, 500, "jobs_enqueue(%s) outside a write transaction",
		    kind);
		return -1;
	}
	if ((k = jobs_kind_find(kind)) == NULL) {
		req_fail(r, 500, "jobs_enqueue: unknown job kind %s", kind);
		return -1;
	}
	if (max_attempts <= 0)
		max_attempts = k->max_attempts > 0 ? k->max_attempts :
		    JOBS_MAX_ATTEMPTS;
	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_text(r, st, 1, kind);
	db_bind_text(r, st, 2, payload_json != NULL ? payload_json : "{}");
	db_bind_int64(r, st, 3, run_at > 0 ? run_at : now);
	db_bind_int64(r, st, 4, max_attempts);
	if (unique_key != NULL)
		db_bind_text(r, st, 5, unique_key);
	else
		db_bind_null(r, st, 5);
	db_bind_int64(r, st, 6, now);
	if (db_step(r, st) == SQLITE_DONE)
		id = sqlite3_changes(db_handle()) == 0 ? 0 :
		    sqlite3_last_insert_rowid(db_handle());
	db_done(r, st);
	return id;
}

int
jobs_key_seen(struct req *r, const char *unique_key)
{
	static const char sql[] =
	    "SELECT 1 FROM jobs INDEXED BY jobs_unique_key"
	    " WHERE unique_key = ?1 AND unique_key IS NOT NULL LIMIT 1";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_text(r, st, 1, unique_key);
	rc = db_step(r, st);
	db_done(r, st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int64_t
jobs_backoff(int attempt, uint32_t rnd, int64_t base)
{
	int64_t	 d = base < 1 ? 1 : base;

	for (int i = 1; i < attempt && d < JOBS_BACKOFF_CAP; i++)
		d *= 2;
	if (d > JOBS_BACKOFF_CAP)
		d = JOBS_BACKOFF_CAP;
	/* Equal jitter: half fixed, half random, so retries of jobs that
	 * failed together spread out but never come sooner than d/2. */
	return d - d / 2 + (int64_t)(rnd % (uint32_t)(d / 2 + 1));
}

/* Fill j from a claim's RETURNING row: id, kind, payload, attempts,
 * max_attempts. */
static void
job_from_row(struct req *r, sqlite3_stmt *st, struct job *j)
{
	j->id = sqlite3_column_int64(st, 0);
	j->kind = db_col_strdup(r, st, 1);
	j->payload = db_col_strdup(r, st, 2);
	j->attempt = sqlite3_column_int(st, 3);
	j->max_attempts = sqlite3_column_int(st, 4);
}

/*
 * Claim up to max due jobs for who inside the caller's write transaction
 * (only never-tried ones, attempts = 0, when fresh), oldest run_at first,
 * into js: the count, or -1.  One UPDATE ... RETURNING inside BEGIN
 * IMMEDIATE: the write lock is taken before the subquery reads, so two
 * workers cannot pick the same row.  INDEXED BY: the partial index holds
 * only claimable jobs, in run_at order (the planner would rather sort).
 */
static int
claim_rows_tx(struct req *r, const char *who, int64_t now, int64_t lease,
    bool fresh, struct job *js, int max)
{
	static const char sql[] =
	    "UPDATE jobs SET state = 'running', attempts = attempts + 1,"
	    "    locked_by = ?1, lease_until = ?2 + ?3, updated_at = ?2"
	    " WHERE id IN (SELECT id FROM jobs INDEXED BY jobs_ready"
	    "    WHERE state IN ('queued', 'failed') AND run_at <= ?2"
	    "    AND (?5 = 0 OR attempts = 0) ORDER BY run_at, id LIMIT ?4)"
	    " RETURNING id, kind, payload, attempts, max_attempts";
	sqlite3_stmt	*st;
	int		 rc, n = 0;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_text(r, st, 1, who);
	db_bind_int64(r, st, 2, now);
	db_bind_int64(r, st, 3, lease);
	db_bind_int64(r, st, 4, max);
	db_bind_int64(r, st, 5, fresh);
	/* RETURNING: every row is written by the first step; read to the
	 * end so that the statement completes. */
	while ((rc = db_step(r, st)) == SQLITE_ROW)
		if (n < max)
			job_from_row(r, st, &js[n++]);
	db_done(r, st);
	return rc == SQLITE_DONE ? n : -1;
}

static int
job_cmp_id(const void *a, const void *b)
{
	const struct job	*x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* The claim of jobs_claim_batch() inside the caller's write transaction. */
static int
claim_batch_tx(struct req *r, const char *who, int64_t now, int64_t lease,
    struct job *js, int max)
{
	int	 got, more;

	if (max < 1)
		return 0;
	if (max > JOBS_BATCH_MAX)
		max = JOBS_BATCH_MAX;
	if ((got = claim_rows_tx(r, who, now, lease, false, js, 1)) <= 0)
		return got;
	/* A job tried before runs alone (see jobs.h). */
	if (js[0].attempt != 1 || max == 1)
		return 1;
	if ((more = claim_rows_tx(r, who, now, lease, true, js + 1,
	    max - 1)) < 0)
		return -1;
	/* RETURNING gives no order: run them in id order. */
	qsort(js + 1, (size_t)more, sizeof(*js), job_cmp_id);
	return 1 + more;
}

int
jobs_claim_batch(struct req *r, const char *who, int64_t now, int64_t lease,
    struct job *js, int max)
{
	int	 got;

	if (db_begin_write(r) != 0)
		return -1;
	if ((got = claim_batch_tx(r, who, now, lease, js, max)) < 0 ||
	    db_commit(r) != 0) {
		db_rollback(r);
		return -1;
	}
	return got;
}

int
jobs_claim(struct req *r, const char *who, int64_t now, int64_t lease,
    struct job *j)
{
	return jobs_claim_batch(r, who, now, lease, j, 1);
}

/* The update of jobs_finish() inside the caller's write transaction. */
static const char *
finish_tx(struct req *r, const char *who, const struct job *j, int rc,
    const char *err, int64_t now, int64_t backoff_base)
{
	static const char sql_done[] =
	    "UPDATE jobs SET state = 'done', locked_by = NULL,"
	    "    lease_until = NULL, updated_at = ?3, finished_at = ?3"
	    " WHERE id = ?1 AND state = 'running' AND locked_by = ?2";
	static const char sql_fail[] =
	    "UPDATE jobs SET state = ?4, run_at = ?5, last_error = ?6,"
	    "    locked_by = NULL, lease_until = NULL, updated_at = ?3,"
	    "    finished_at = CASE ?4 WHEN 'dead' THEN ?3 END"
	    " WHERE id = ?1 AND state = 'running' AND locked_by = ?2";
	const char	*state;
	sqlite3_stmt	*st;
	int64_t		 run_at = now;
	int		 changed = -1;

	if (rc == JOB_OK)
		state = "done";
	else if (rc == JOB_FAIL || j->attempt >= j->max_attempts)
		state = "dead";
	else {
		state = "failed";
		run_at = now + jobs_backoff(j->attempt,
		    (uint32_t)util_mono_us() ^ (uint32_t)j->id * 2654435761u,
		    backoff_base);
	}
	if (rc == JOB_OK)
		st = db_stmt(r, sql_done);
	else
		st = db_stmt(r, sql_fail);
	if (st == NULL)
		return NULL;
	db_bind_int64(r, st, 1, j->id);
	db_bind_text(r, st, 2, who);
	db_bind_int64(r, st, 3, now);
	if (rc != JOB_OK) {
		db_bind_text(r, st, 4, state);
		db_bind_int64(r, st, 5, run_at);
		db_bind_text(r, st, 6, err != NULL && *err != '\0' ? err :
		    "failed (the handler gave no reason)");
	}
	if (db_step(r, st) == SQLITE_DONE)
		changed = sqlite3_changes(db_handle());
	db_done(r, st);
	if (changed < 0)
		return NULL;
	return changed == 0 ? "lost" : state;
}

const char *
jobs_finish(struct req *r, const char *who, const struct job *j, int rc,
    const char *err, int64_t now, int64_t backoff_base)
{
	struct job_result x = { .job = *j, .rc = rc, .err = err };

	if (jobs_finish_batch(r, who, &x, 1, now, backoff_base, 0, NULL,
	    0) < 0)
		return NULL;
	return x.outcome;
}

/* The release of jobs_release() inside the caller's write transaction:
 * 1 released, 0 no longer who's, -1. */
static int
release_tx(struct req *r, const char *who, const struct job *j, int64_t now)
{
	static const char sql[] =
	    "UPDATE jobs SET state = 'queued', attempts = attempts - 1,"
	    "    locked_by = NULL, lease_until = NULL, updated_at = ?3"
	    " WHERE id = ?1 AND state = 'running' AND locked_by = ?2";
	sqlite3_stmt	*st;
	int		 n = -1;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, j->id);
	db_bind_text(r, st, 2, who);
	db_bind_int64(r, st, 3, now);
	if (db_step(r, st) == SQLITE_DONE)
		n = sqlite3_changes(db_handle());
	db_done(r, st);
	return n;
}

int
jobs_finish_batch(struct req *r, const char *who, struct job_result *res,
    int n, int64_t now, int64_t backoff_base, int64_t lease,
    struct job *next, int max)
{
	int	 got = 0;

	for (int i = 0; i < n; i++)
		res[i].outcome = NULL;
	if (db_begin_write(r) != 0)
		return -1;
	for (int i = 0; i < n && !req_failed(r); i++) {
		struct job_result *x = &res[i];

		if (x->rc == JOB_RELEASE) {
			int	 k = release_tx(r, who, &x->job, now);

			x->outcome = k < 0 ? NULL : k == 0 ? "lost" :
			    "released";
		} else
			x->outcome = finish_tx(r, who, &x->job, x->rc,
			    x->err, now, backoff_base);
		if (x->outcome == NULL)
			break;
	}
	if (req_failed(r) || (max > 0 && (got = claim_batch_tx(r, who, now,
	    lease, next, max)) < 0) || db_commit(r) != 0) {
		db_rollback(r);
		for (int i = 0; i < n; i++)
			res[i].outcome = NULL;
		return -1;
	}
	return got;
}

int
jobs_lease(struct req *r, const char *who, const struct job *j, int64_t until)
{
	static const char sql[] =
	    "UPDATE jobs SET lease_until = ?3"
	    " WHERE id = ?1 AND state = 'running' AND locked_by = ?2";
	sqlite3_stmt	*st;
	int		 n = -1;

	if (db_begin_write(r) != 0 || (st = db_stmt(r, sql)) == NULL) {
		db_rollback(r);
		return -1;
	}
	db_bind_int64(r, st, 1, j->id);
	db_bind_text(r, st, 2, who);
	db_bind_int64(r, st, 3, until);
	if (db_step(r, st) == SQLITE_DONE)
		n = sqlite3_changes(db_handle());
	db_done(r, st);
	if (n < 0 || db_commit(r) != 0) {
		db_rollback(r);
		return -1;
	}
	return n > 0;
}

int
jobs_release(struct req *r, const char *who, const struct job *j)
{
	struct job_result x = { .job = *j, .rc = JOB_RELEASE };

	return jobs_finish_batch(r, who, &x, 1, (int64_t)time(NULL), 1, 0,
	    NULL, 0) < 0 ? -1 : 0;
}

int
jobs_recover(struct req *r, int64_t now)
{
	/*
	 * The lost run counts as an attempt: a job that kills its worker
	 * every time must end dead, not loop.
	 */
	static const char sql[] =
	    "UPDATE jobs INDEXED BY jobs_lease"
	    "   SET state = CASE WHEN attempts >= max_attempts"
	    "       THEN 'dead' ELSE 'queued' END,"
	    "    finished_at = CASE WHEN attempts >= max_attempts"
	    "       THEN ?1 END,"
	    "    last_error = 'lease expired: worker ' || coalesce(locked_by,"
	    "       '?') || ' stopped or timed out',"
	    "    run_at = ?1, locked_by = NULL, lease_until = NULL,"
	    "    updated_at = ?1"
	    " WHERE state = 'running' AND lease_until < ?1";
	sqlite3_stmt	*st;
	int		 n = -1;

	if (db_begin_write(r) != 0 || (st = db_stmt(r, sql)) == NULL) {
		db_rollback(r);
		return -1;
	}
	db_bind_int64(r, st, 1, now);
	if (db_step(r, st) == SQLITE_DONE)
		n = sqlite3_changes(db_handle());
	db_done(r, st);
	if (n < 0 || db_commit(r) != 0) {
		db_rollback(r);
		return -1;
	}
	return n;
}

int
jobs_schedule(struct req *r, int64_t now)
{
	static const char sql_get[] =
	    "SELECT next_at FROM job_schedule WHERE name = ?1";
	static const char sql_put[] =
	    "INSERT INTO job_schedule (name, next_at) VALUES (?1, ?2)"
	    " ON CONFLICT (name) DO UPDATE SET next_at = excluded.next_at";
	sqlite3_stmt	*st;
	int		 n = 0;

	if (periodic[0].kind == NULL)
		return 0;
	if (db_begin_write(r) != 0)
		return -1;
	for (size_t i = 0; periodic[i].kind != NULL && !req_failed(r); i++) {
		const struct job_periodic *p = &periodic[i];
		int64_t	 next = 0, period = now / p->interval;
		int	 rc;

		if ((st = db_stmt(r, sql_get)) == NULL)
			break;
		db_bind_text(r, st, 1, p->kind);
		if ((rc = db_step(r, st)) == SQLITE_ROW)
			next = sqlite3_column_int64(st, 0);
		db_done(r, st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			break;
		if (next > now)
			continue;
		if (jobs_enqueue(r, p->kind, NULL, now, 0, arena_printf(
		    r->arena, "periodic:%s:%" PRId64, p->kind, period)) > 0)
			n++;
		if ((st = db_stmt(r, sql_put)) == NULL)
			break;
		db_bind_text(r, st, 1, p->kind);
		db_bind_int64(r, st, 2, (period + 1) * p->interval);
		db_step(r, st);
		db_done(r, st);
	}
	if (req_failed(r) || db_commit(r) != 0) {
		db_rollback(r);
		return -1;
	}
	return n;
}

int
jobs_purge_done(struct req *r, int64_t before)
{
	static const char sql[] =
	    "DELETE FROM jobs WHERE state = 'done' AND finished_at < ?1";
	sqlite3_stmt	*st;
	int		 n = -1;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, before);
	if (db_step(r, st) == SQLITE_DONE)
		n = sqlite3_changes(db_handle());
	db_done(r, st);
	return n;
}

/* ---- the admin ---------------------------------------------------------- */

int
jobs_export(struct req *r, const char *state, int limit)
{
	static const char sql_counts[] =
	    "SELECT state, count(*) FROM jobs GROUP BY state";
	static const char sql_list[] =
	    "SELECT id, kind, payload, attempts, max_attempts,"
	    "    coalesce(last_error, ''), run_at, updated_at, state,"
	    "    coalesce(locked_by, '')"
	    "  FROM jobs WHERE state = ?1 ORDER BY id DESC LIMIT ?2";
	sqlite3_stmt	*st;
	int		 n = 0;

	for (size_t i = 0; states[i] != NULL; i++)
		render_set_int(r, arena_printf(r->arena, "Jobs.counts.%s",
		    states[i]), 0);
	if ((st = db_stmt(r, sql_counts)) == NULL)
		return -1;
	while (db_step(r, st) == SQLITE_ROW)
		render_set_int(r, arena_printf(r->arena, "Jobs.counts.%s",
		    db_col_strdup(r, st, 0)), sqlite3_column_int64(st, 1));
	db_done(r, st);
	if ((st = db_stmt(r, sql_list)) == NULL)
		return -1;
	db_bind_text(r, st, 1, state);
	db_bind_int64(r, st, 2, limit);
	while (db_step(r, st) == SQLITE_ROW) {
		struct render_node *nd = render_node(r, "Jobs.list.%d", n++);

		render_node_set(r, nd, "id", db_col_strdup(r, st, 0));
		render_node_set(r, nd, "kind", db_col_strdup(r, st, 1));
		render_node_set(r, nd, "payload", db_col_strdup(r, st, 2));
		render_node_set(r, nd, "attempts", db_col_strdup(r, st, 3));
		render_node_set(r, nd, "max_attempts", db_col_strdup(r, st, 4));
		render_node_set(r, nd, "last_error", db_col_strdup(r, st, 5));
		render_node_set_date(r, nd, "run_at",
		    sqlite3_column_int64(st, 6));
		render_node_set_date(r, nd, "updated",
		    sqlite3_column_int64(st, 7));
		render_node_set(r, nd, "state", db_col_strdup(r, st, 8));
		render_node_set(r, nd, "locked_by", db_col_strdup(r, st, 9));
	}
	db_done(r, st);
	return req_failed(r) ? -1 : n;
}

int64_t
jobs_dead_count(struct req *r)
{
	static const char sql[] =
	    "SELECT count(*) FROM (SELECT 1 FROM jobs"
	    "  WHERE state = 'dead' LIMIT 1000)";
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	if (db_step(r, st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	db_done(r, st);
	return n;
}

int
jobs_retry_dead(struct req *r, int64_t id)
{
	/* A unique key already back in the queue wins: this one stays dead
	 * (the conflict is not an error). */
	static const char sql[] =
	    "UPDATE OR IGNORE jobs SET state = 'queued', attempts = 0,"
	    "    run_at = ?2, finished_at = NULL, updated_at = ?2"
	    " WHERE id = ?1 AND state = 'dead'";

	return db_write_id_now(r, sql, id);
}

int
jobs_delete_dead(struct req *r, int64_t id)
{
	static const char sql[] =
	    "DELETE FROM jobs WHERE id = ?1 AND state = 'dead' AND ?2 > 0";

	return db_write_id_now(r, sql, id);
}
