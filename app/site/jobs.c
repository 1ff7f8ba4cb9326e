/*
 * jobs (site): the site's job kinds and periodic jobs, the tables core's
 * queue and worker read (jobs_register() in main).  Another module adds
 * a kind by adding a row to site_job_kinds with its handler (core/mail's
 * "mail.send" is one).  Handlers follow
 * core/jobs.h: own transaction, JOB_OK / JOB_RETRY / JOB_FAIL with err.
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/backup.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/db.h"
#include "core/http.h"
#include "core/jobs.h"
#include "core/log.h"
#include "core/mail.h"
#include "core/session.h"
#include "core/util.h"
#include "article.h"
#include "site.h"

#define DONE_KEEP_DAYS	7	/* done jobs are purged after this */
#define DUE_WINDOW	86400	/* articles.due looks back this far */
#define DUE_BATCH	200

/* Commit when n >= 0 (JOB_OK); else, or if the commit fails, roll back:
 * JOB_RETRY with err set. */
static int
commit_or_retry(struct req *r, int n, const char *what, char *err,
    size_t errlen)
{
	if (n < 0 || db_commit(r) != 0) {
		db_rollback(r);
		snprintf(err, errlen, "%s failed (see the log line above)",
		    what);
		return JOB_RETRY;
	}
	return JOB_OK;
}

/*
 * sessions.clear: expired sessions and throttle records, and done jobs
 * older than a week (hourly).
 */
static int
job_sessions_clear(struct req *r, const char *payload, char *err,
    size_t errlen)
{
	int	 n, k = 0;

	(void)payload;
	if (db_begin_write(r) != 0)
		return commit_or_retry(r, -1, "begin", err, errlen);
	if ((n = session_clear_expired(r)) >= 0)
		k = jobs_purge_done(r, (int64_t)time(NULL) -
		    DONE_KEEP_DAYS * 86400);
	if (commit_or_retry(r, n < 0 ? n : k, "sessions.clear", err,
	    errlen) != JOB_OK)
		return JOB_RETRY;
	log_msg(LOG_INFO, "msg=\"expired sessions cleared\" sessions=%d "
	    "done_jobs=%d", n, k);
	return JOB_OK;
}

/*
 * trash.purge: articles and comments in the trash untouched for
 * trash_days are deleted for good, each in the admin history (daily).
 * A batch per run; a full batch enqueues the next run at once.
 */
static int
job_trash_purge(struct req *r, const char *payload, char *err, size_t errlen)
{
	const struct config *cfg = config_current();
	int64_t		 before = (int64_t)time(NULL) -
	    (int64_t)(cfg != NULL ? cfg->trash_days : 30) * 86400;
	int		 a, c = -1;

	(void)payload;
	if (db_begin_write(r) != 0)
		return commit_or_retry(r, -1, "begin", err, errlen);
	if ((a = article_purge_trash(r, before)) >= 0)
		c = moderation_purge_trash(r, before);
	if (commit_or_retry(r, c, "trash.purge", err, errlen) != JOB_OK)
		return JOB_RETRY;
	log_msg(LOG_INFO, "msg=\"trash purged\" articles=%d comments=%d "
	    "before=%" PRId64, a, c, before);
	return JOB_OK;
}

/*
 * articles.due: every article that became public (a scheduled one whose
 * publish_at passed, or one published now) gets one "article.published"
 * job, once: the unique key names the article and its publish_at, and a
 * key seen before (even done) is not enqueued again (every minute).
 */
static int
job_articles_due(struct req *r, const char *payload, char *err,
    size_t errlen)
{
	int64_t	 ids[DUE_BATCH], at[DUE_BATCH], now = (int64_t)time(NULL);
	int	 n, added = 0;

	(void)payload;
	if ((n = article_came_due(r, now - DUE_WINDOW, now, ids, at,
	    DUE_BATCH)) < 0 || db_begin_write(r) != 0)
		return commit_or_retry(r, -1, "articles.due", err, errlen);
	for (int i = 0; i < n && !req_failed(r); i++) {
		const char	*key = arena_printf(r->arena, "article.published:"
		    "%" PRId64 ":%" PRId64, ids[i], at[i]);

		if (jobs_key_seen(r, key) != 0)
			continue;
		if (jobs_enqueue(r, "article.published", arena_printf(r->arena,
		    "{\"article_id\": %" PRId64 ", \"publish_at\": %" PRId64
		    "}", ids[i], at[i]), 0, 0, key) > 0)
			added++;
	}
	if (commit_or_retry(r, req_failed(r) ? -1 : 0, "articles.due", err,
	    errlen) != JOB_OK)
		return JOB_RETRY;
	if (added > 0)
		log_msg(LOG_INFO, "msg=\"articles came due\" count=%d", added);
	return JOB_OK;
}

/*
 * article.published: the hook of an article's publication (payload
 * {"article_id", "publish_at"}).  It only logs for now; mail to
 * subscribers plugs in here.
 */
static int
job_article_published(struct req *r, const char *payload, char *err,
    size_t errlen)
{
	json_t		*j;
	json_error_t	 je;
	json_int_t	 id;

	(void)r;
	if ((j = json_loads(payload, 0, &je)) == NULL ||
	    !json_is_integer(json_object_get(j, "article_id"))) {
		snprintf(err, errlen, "payload needs an integer article_id");
		json_decref(j);
		return JOB_FAIL;
	}
	id = json_integer_value(json_object_get(j, "article_id"));
	json_decref(j);
	log_msg(LOG_INFO, "msg=\"article published\" article=%" JSON_INTEGER_FORMAT,
	    id);
	return JOB_OK;
}

/*
 * backup.nightly: when backup_dir is set, an online backup to
 * backup_dir/gazette-YYYYMMDD.db (UTC date), checked with
 * integrity_check, keeping the newest backup_keep (daily).
 */
static int
job_backup_nightly(struct req *r, const char *payload, char *err,
    size_t errlen)
{
	const struct config *cfg = config_current();
	time_t		 now = time(NULL);
	struct tm	 tm;
	char		 path[4096];
	int		 n;

	(void)r;
	(void)payload;
	if (cfg == NULL || cfg->backup_dir == NULL || *cfg->backup_dir == '\0')
		return JOB_OK;
	if (mkdir(cfg->backup_dir, 0750) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create backup_dir %s: %s",
		    cfg->backup_dir, strerror(errno));
		return JOB_RETRY;
	}
	gmtime_r(&now, &tm);
	snprintf(path, sizeof(path), "%s/gazette-%04d%02d%02d.db",
	    cfg->backup_dir, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	if (backup_to(path, err, errlen) != 0)
		return JOB_RETRY;
	if ((n = backup_rotate(cfg->backup_dir, (int)cfg->backup_keep, err,
	    errlen)) < 0)
		return JOB_RETRY;
	log_msg(LOG_INFO, "msg=\"backup written\" path=%s rotated=%d", path, n);
	return JOB_OK;
}

/*
 * noop: does nothing and succeeds.  For benchmarks (`make bench` times
 * the worker on it) and health checks of the queue: enqueue one, see it
 * done.
 */
static int
job_noop(struct req *r, const char *payload, char *err, size_t errlen)
{
	(void)r;
	(void)payload;
	(void)err;
	(void)errlen;
	return JOB_OK;
}

#ifdef GAZETTE_TEST
/*
 * Test builds only.  test.sleep {"ms": N, "fail": 0|1}: records its run
 * in test_job_runs (job_id, attempt: UNIQUE, pid, started_at and
 * finished_at) around a sleep, so tests can see every run and catch a
 * job run twice.  test.fail: always fails (retry).  test.noop: nothing.
 */
static int
test_record(struct req *r, const char *sql, const struct job *j)
{
	sqlite3_stmt	*st;

	if (db_begin_write(r) != 0 || (st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, j->id);
	db_bind_int64(r, st, 2, j->attempt);
	db_bind_int64(r, st, 3, (int64_t)getpid());
	db_bind_int64(r, st, 4, util_wall_us() / 1000);
	db_step(r, st);
	db_done(r, st);
	return db_commit(r);
}

static int
job_test_sleep(struct req *r, const char *payload, char *err, size_t errlen)
{
	const struct job *j = jobs_current();
	json_t		*p;
	json_error_t	 je;
	long long	 ms = 0;

	if ((p = json_loads(payload, 0, &je)) != NULL)
		ms = json_integer_value(json_object_get(p, "ms"));
	json_decref(p);
	if (db_begin_write(r) != 0 || db_exec(r, "CREATE TABLE IF NOT EXISTS "
	    "test_job_runs (job_id INTEGER NOT NULL, attempt INTEGER NOT NULL,"
	    " pid INTEGER NOT NULL, started_ms INTEGER NOT NULL,"
	    " finished_ms INTEGER, UNIQUE (job_id, attempt))") != 0 ||
	    db_commit(r) != 0)
		return JOB_RETRY;
	if (test_record(r, "INSERT INTO test_job_runs (job_id, attempt, pid,"
	    " started_ms) VALUES (?1, ?2, ?3, ?4)", j) != 0) {
		snprintf(err, errlen, "could not record the start");
		return JOB_RETRY;
	}
	if (ms > 0)
		usleep((useconds_t)(ms > 60000 ? 60000 : ms) * 1000);
	if (test_record(r, "UPDATE test_job_runs SET finished_ms = ?4"
	    " WHERE job_id = ?1 AND attempt = ?2 AND pid = ?3", j) != 0) {
		snprintf(err, errlen, "could not record the end");
		return JOB_RETRY;
	}
	return JOB_OK;
}

static int
job_test_fail(struct req *r, const char *payload, char *err, size_t errlen)
{
	(void)r;
	(void)payload;
	snprintf(err, errlen, "test.fail fails \"as asked\"");
	return JOB_RETRY;
}

static int
job_test_noop(struct req *r, const char *payload, char *err, size_t errlen)
{
	(void)r;
	(void)payload;
	(void)err;
	(void)errlen;
	return JOB_OK;
}
#endif

static const struct job_kind kinds[] = {
	{ "sessions.clear",	job_sessions_clear,	3, 0 },
	{ "trash.purge",	job_trash_purge,	3, 0 },
	{ "articles.due",	job_articles_due,	3, 0 },
	{ "article.published",	job_article_published,	0, 0 },
	{ "backup.nightly",	job_backup_nightly,	3, 3600 },
	/* 8 attempts: retries over about 20 minutes (10 s base). */
	{ "mail.send",		mail_job_send,		8, 0 },
	{ "noop",		job_noop,		0, 0 },
#ifdef GAZETTE_TEST
	{ "test.sleep",		job_test_sleep,		0, 0 },
	{ "test.fail",		job_test_fail,		3, 0 },
	{ "test.noop",		job_test_noop,		0, 0 },
#endif
	{ NULL, NULL, 0, 0 }
};

static const struct job_periodic periodic[] = {
	{ "sessions.clear",	3600 },
	{ "trash.purge",	86400 },
	{ "articles.due",	60 },
	{ "backup.nightly",	86400 },
	{ NULL, 0 }
};

const struct job_kind *const site_job_kinds = kinds;
const struct job_periodic *const site_job_periodic = periodic;
