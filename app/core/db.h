/*
 * db: the one SQLite connection of this process, opened after fork, with
 * the pragmas of ARCHITECTURE (WAL, foreign keys, synchronous, busy
 * timeout).  Statements are string literals, prepared once and cached by
 * their address; values are always bound.  The one exception, SQL built
 * at run time from model metadata for the admin's lists, goes through
 * db_stmt_built() from core/model alone.  Errors are sticky on the
 * request: the first one is logged with its SQL and decides the answer
 * (SQLITE_BUSY past the timeout: 503; anything else: 500).  Nothing
 * outside db, migrate and the site's query modules touches SQLite.
 */
#ifndef GAZETTE_DB_H
#define GAZETTE_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct req;
struct config;

/*
 * Open (creating if asked) the database of the configuration.  Returns
 * 0, or -1 with a message in err naming the file and the fix.
 */
int	 db_open(const struct config *c, bool create, char *err,
	    size_t errlen);

/* Finalise cached statements and close; safe to call when closed. */
void	 db_close(void);

/* The raw handle, for migrate and backup only.  NULL when closed. */
sqlite3	*db_handle(void);

/*
 * The cached statement for sql, which must be a string literal or a
 * static array (its address is the cache key).  NULL on error (r failed).
 */
sqlite3_stmt *db_stmt(struct req *r, const char *sql);

/*
 * The ONE way to run SQL assembled at run time: a statement prepared for
 * this call (sqlite3_prepare_v3, not cached) from sql, which must be built
 * only from static model metadata (table and column names of struct model,
 * keywords, ?N placeholders), never from input; every value is bound.
 * tests/lint-sql.sh allows it only in app/core/model.c.  Surplus text
 * after the first statement is refused.  Returns the statement, to be
 * finalised with db_built_done(), or NULL with r failed.
 */
sqlite3_stmt *db_stmt_built(struct req *r, const char *sql);

/* Finalise a statement of db_stmt_built(); st may be NULL. */
void	 db_built_done(struct req *r, sqlite3_stmt *st);

void	 db_bind_text(struct req *r, sqlite3_stmt *st, int i, const char *s);
void	 db_bind_int64(struct req *r, sqlite3_stmt *st, int i, int64_t v);
void	 db_bind_null(struct req *r, sqlite3_stmt *st, int i);

/*
 * Step st: SQLITE_ROW or SQLITE_DONE; any other result fails r (logged
 * with the SQL) and is returned as is.  A statement of a failed request is
 * not stepped (SQLITE_ABORT).
 */
int	 db_step(struct req *r, sqlite3_stmt *st);

/*
 * Step st whose SQL runs something the user typed (an FTS5 MATCH
 * expression): SQLITE_ERROR is returned without failing r, so the caller
 * can answer "no results"; everything else is as db_step().
 */
int	 db_step_soft(struct req *r, sqlite3_stmt *st);
/* Reset st and clear its bindings for the next use. */
void	 db_done(struct req *r, sqlite3_stmt *st);

/* Column i as an arena copy ("" for NULL), valid until the request ends. */
char	*db_col_strdup(struct req *r, sqlite3_stmt *st, int i);

/* Run sql (a literal, no results) once: 0 or -1 (r failed). */
int	 db_exec(struct req *r, const char *sql);

/* Run the write sql (a literal) with ?1 = id and ?2 = the time now: the
 * rows it changed, or -1 (r failed). */
int	 db_write_id_now(struct req *r, const char *sql, int64_t id);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK.  0 or -1 (r failed). */
int	 db_begin_write(struct req *r);
int	 db_commit(struct req *r);
void	 db_rollback(struct req *r);
bool	 db_in_tx(void);

/* Is the database reachable (a trivial query succeeds)? */
bool	 db_ping(struct req *r);

#ifdef GAZETTE_TEST
/* Fault injection for tests: make the n-th next db_step fail with rc. */
void	 db_fault_set(int n, int rc);
#endif

#endif
