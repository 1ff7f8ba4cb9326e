/*
 * db: connection, pragmas, statement cache, sticky errors.  The cache is
 * an open-addressing table keyed by the SQL text's address: statements
 * are literals, so the address is stable and hashing it is free.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "util.h"

/*
 * The statement cache: open addressing keyed by the SQL text's address,
 * grown (never evicted) at three quarters full.  Statements are literals,
 * so their number is bounded by the program text.
 */
struct slot {
	const char	*sql;
	sqlite3_stmt	*st;
};

static struct {
	sqlite3		*h;
	struct slot	*cache;
	size_t		 cap;		/* power of two, or 0 */
	size_t		 ncached;
	int		 busy_ms;	/* give up after waiting this long */
#ifdef GAZETTE_TEST
	int		 fault_n, fault_rc;
#endif
} db;

static size_t
slot_of(const char *sql, size_t cap)
{
	return (size_t)(((uintptr_t)sql >> 3) * 0x9e3779b97f4a7c15ULL >> 17) &
	    (cap - 1);
}

/* Insert into a table known to have room and not to hold sql. */
static void
cache_put(struct slot *t, size_t cap, const char *sql, sqlite3_stmt *st)
{
	size_t	 i = slot_of(sql, cap);

	while (t[i].sql != NULL)
		i = (i + 1) & (cap - 1);
	t[i].sql = sql;
	t[i].st = st;
}

static void
cache_grow(void)
{
	size_t		 ncap = db.cap == 0 ? 64 : db.cap * 2;
	struct slot	*t = xcalloc(ncap, sizeof(*t));

	for (size_t i = 0; i < db.cap; i++)
		if (db.cache[i].sql != NULL)
			cache_put(t, ncap, db.cache[i].sql, db.cache[i].st);
	free(db.cache);
	db.cache = t;
	db.cap = ncap;
}

/*
 * The busy handler: SQLite's own busy_timeout schedule (sleep 1, 2, 5,
 * 10 ... 100 ms between retries until busy_ms have passed), plus a count
 * of every retry for metrics.  Returns 0 to give up (SQLITE_BUSY then).
 */
static int
on_busy(void *arg, int count)
{
	static const int	 delays[] = { 1, 2, 5, 10, 15, 20, 25, 25, 25,
	    50, 50, 100 };
	const int		 n = (int)NELEM(delays);
	int			 delay, prior;

	(void)arg;
	if (count < n) {
		delay = delays[count];
		prior = 0;
		for (int i = 0; i < count; i++)
			prior += delays[i];
	} else {
		delay = delays[n - 1];
		prior = 0;
		for (int i = 0; i < n; i++)
			prior += delays[i];
		prior += delay * (count - n);
	}
	if (prior + delay > db.busy_ms) {
		delay = db.busy_ms - prior;
		if (delay <= 0)
			return 0;
	}
	metrics_db_busy();
	sqlite3_sleep(delay);
	return 1;
}

static int
status_for(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? 503 : 500;
}

static void
fail(struct req *r, int rc, const char *what, const char *sql)
{
	req_fail(r, status_for(rc), "sqlite %s: %s (%d) sql=%.200s", what,
	    db.h != NULL ? sqlite3_errmsg(db.h) : sqlite3_errstr(rc), rc,
	    sql != NULL ? sql : "-");
}

int
db_open(const struct config *c, bool create, char *err, size_t errlen)
{
	char	 pragma[128];
	char	*msg = NULL;
	int	 flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE :
	    0) | SQLITE_OPEN_NOMUTEX;
	int	 rc;

	db_close();
	if ((rc = sqlite3_open_v2(c->database, &db.h, flags, NULL)) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "cannot open database %s: %s (%s)",
		    c->database, db.h != NULL ? sqlite3_errmsg(db.h) :
		    sqlite3_errstr(rc), create ? "check the directory exists "
		    "and is writable" : "run 'gazette migrate' to create it, "
		    "or fix 'database' in the config");
		db_close();
		return -1;
	}
	sqlite3_extended_result_codes(db.h, 1);
	db.busy_ms = (int)c->busy_timeout;
	sqlite3_busy_handler(db.h, on_busy, NULL);
	snprintf(pragma, sizeof(pragma), "PRAGMA journal_mode=WAL; "
	    "PRAGMA foreign_keys=ON; PRAGMA synchronous=%s;",
	    strcmp(c->synchronous, "normal") == 0 ? "NORMAL" : "FULL");
	if (sqlite3_exec(db.h, pragma, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "database %s is not usable: %s (is it a "
		    "SQLite database, and is its directory writable?)",
		    c->database, msg != NULL ? msg : "?");
		sqlite3_free(msg);
		db_close();
		return -1;
	}
	return 0;
}

void
db_close(void)
{
	for (size_t i = 0; i < db.cap; i++)
		if (db.cache[i].st != NULL)
			sqlite3_finalize(db.cache[i].st);
	free(db.cache);
	db.cache = NULL;
	db.cap = db.ncached = 0;
	if (db.h != NULL)
		sqlite3_close(db.h);
	db.h = NULL;
}

sqlite3 *
db_handle(void)
{
	return db.h;
}

/*
 * Prepare the one statement in sql; flags for sqlite3_prepare_v3.  NULL
 * with r failed if the database is closed, the SQL is wrong, empty, or
 * has surplus text after the first statement (a bug, as Fossil says).
 */
static sqlite3_stmt *
prepare(struct req *r, const char *sql, unsigned flags, const char *who)
{
	sqlite3_stmt	*st;
	const char	*tail = NULL;
	int		 rc;

	if (db.h == NULL) {
		req_fail(r, 500, "%s: database is not open", who);
		return NULL;
	}
	if ((rc = sqlite3_prepare_v3(db.h, sql, -1, flags, &st, &tail)) !=
	    SQLITE_OK) {
		fail(r, rc, "prepare", sql);
		return NULL;
	}
	if (st == NULL) {
		req_fail(r, 500, "%s: no statement in SQL: %.100s", who, sql);
		return NULL;
	}
	if (tail != NULL && strspn(tail, " \t\r\n;") != strlen(tail)) {
		sqlite3_finalize(st);
		req_fail(r, 500, "%s: surplus SQL text: %.100s", who, tail);
		return NULL;
	}
	return st;
}

sqlite3_stmt *
db_stmt(struct req *r, const char *sql)
{
	sqlite3_stmt	*st;

	if (r->failed)
		return NULL;
	if (db.cap > 0)
		for (size_t i = slot_of(sql, db.cap); db.cache[i].sql != NULL;
		    i = (i + 1) & (db.cap - 1))
			if (db.cache[i].sql == sql)
				return db.cache[i].st;
	if ((st = prepare(r, sql, SQLITE_PREPARE_PERSISTENT, "db_stmt")) ==
	    NULL)
		return NULL;
	if (db.ncached + 1 > db.cap * 3 / 4)
		cache_grow();
	cache_put(db.cache, db.cap, sql, st);
	db.ncached++;
	return st;
}

sqlite3_stmt *
db_stmt_built(struct req *r, const char *sql)
{
	if (r->failed)
		return NULL;
	/* Not persistent: built SQL varies, so it is not worth caching. */
	return prepare(r, sql, 0, "db_stmt_built");
}

void
db_built_done(struct req *r, sqlite3_stmt *st)
{
	(void)r;
	sqlite3_finalize(st);		/* a no-op for NULL */
}

void
db_bind_text(struct req *r, sqlite3_stmt *st, int i, const char *s)
{
	int	 rc;

	if (st == NULL || r->failed)
		return;
	if ((rc = sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT)) !=
	    SQLITE_OK)
		fail(r, rc, "bind", sqlite3_sql(st));
}

void
db_bind_int64(struct req *r, sqlite3_stmt *st, int i, int64_t v)
{
	int	 rc;

	if (st == NULL || r->failed)
		return;
	if ((rc = sqlite3_bind_int64(st, i, v)) != SQLITE_OK)
		fail(r, rc, "bind", sqlite3_sql(st));
}

void
db_bind_null(struct req *r, sqlite3_stmt *st, int i)
{
	int	 rc;

	if (st == NULL || r->failed)
		return;
	if ((rc = sqlite3_bind_null(st, i)) != SQLITE_OK)
		fail(r, rc, "bind", sqlite3_sql(st));
}

#ifdef GAZETTE_TEST
void
db_fault_set(int n, int rc)
{
	db.fault_n = n;
	db.fault_rc = rc;
}
#endif

int
db_step(struct req *r, sqlite3_stmt *st)
{
	int64_t	 t0;
	int	 rc;

	if (st == NULL || r->failed)
		return SQLITE_ABORT;
#ifdef GAZETTE_TEST
	if (db.fault_n > 0 && --db.fault_n == 0) {
		fail(r, db.fault_rc, "step (injected)", sqlite3_sql(st));
		return db.fault_rc;
	}
#endif
	t0 = util_mono_us();
	rc = sqlite3_step(st);
	metrics_db_step(util_mono_us() - t0);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc;
	fail(r, rc, "step", sqlite3_sql(st));
	sqlite3_reset(st);
	return rc;
}

int
db_step_soft(struct req *r, sqlite3_stmt *st)
{
	int64_t	 t0;
	int	 rc;

	if (st == NULL || r->failed)
		return SQLITE_ABORT;
	t0 = util_mono_us();
	rc = sqlite3_step(st);
	metrics_db_step(util_mono_us() - t0);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc;
	if (rc == SQLITE_ERROR) {
		char q[200];

		log_msg(LOG_DEBUG, "rid=%s msg=\"query refused\" error=%s",
		    r->request_id, log_quote(q, sizeof(q), sqlite3_errmsg(db.h)));
		sqlite3_reset(st);
		return rc;
	}
	fail(r, rc, "step", sqlite3_sql(st));
	sqlite3_reset(st);
	return rc;
}

void
db_done(struct req *r, sqlite3_stmt *st)
{
	(void)r;
	if (st == NULL)
		return;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

char *
db_col_strdup(struct req *r, sqlite3_stmt *st, int i)
{
	const unsigned char	*s = sqlite3_column_text(st, i);
	int			 n = sqlite3_column_bytes(st, i);

	return arena_strndup(r->arena, s != NULL ? (const char *)s : "",
	    s != NULL ? (size_t)n : 0);
}

int
db_exec(struct req *r, const char *sql)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	while ((rc = db_step(r, st)) == SQLITE_ROW)
		;
	db_done(r, st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
db_write_id_now(struct req *r, const char *sql, int64_t id)
{
	sqlite3_stmt	*st;
	int		 n = -1;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, id);
	db_bind_int64(r, st, 2, (int64_t)time(NULL));
	if (db_step(r, st) == SQLITE_DONE)
		n = sqlite3_changes(db.h);
	db_done(r, st);
	return req_failed(r) ? -1 : n;
}

int
db_begin_write(struct req *r)
{
	return db_exec(r, "BEGIN IMMEDIATE");
}

int
db_commit(struct req *r)
{
	return db_exec(r, "COMMIT");
}

void
db_rollback(struct req *r)
{
	if (db.h != NULL && !sqlite3_get_autocommit(db.h)) {
		int rc = sqlite3_exec(db.h, "ROLLBACK", NULL, NULL, NULL);

		if (rc != SQLITE_OK)
			log_msg(LOG_ERROR, "rid=%s msg=\"rollback failed\" "
			    "rc=%d", r->request_id, rc);
	}
}

bool
db_in_tx(void)
{
	return db.h != NULL && !sqlite3_get_autocommit(db.h);
}

bool
db_ping(struct req *r)
{
	static const char	 sql[] = "SELECT count(*) FROM sqlite_schema";
	sqlite3_stmt		*st;
	bool			 ok;

	if ((st = db_stmt(r, sql)) == NULL)
		return false;
	ok = db_step(r, st) == SQLITE_ROW;
	db_done(r, st);
	return ok;
}
