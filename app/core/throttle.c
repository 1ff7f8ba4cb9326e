/*
 * throttle: counting failures per key in the throttle table.  Every hit
 * is one upsert; a blocked key costs one lookup to refuse.
 */
#include <stdio.h>
#include <time.h>

#include "db.h"
#include "http.h"
#include "render.h"
#include "throttle.h"

#define MAX_WAIT	86400

int64_t
throttle_wait(struct req *r, const char *key)
{
	static const char sql[] =
	    "SELECT blocked_until FROM throttle WHERE key = ?1";
	sqlite3_stmt	*st;
	int64_t		 until = 0, now = (int64_t)time(NULL);

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_text(r, st, 1, key);
	if (db_step(r, st) == SQLITE_ROW)
		until = sqlite3_column_int64(st, 0);
	db_done(r, st);
	if (req_failed(r))
		return -1;
	return until > now ? until - now : 0;
}

int64_t
throttle_hit(struct req *r, const char *key, long limit, long window)
{
	/* A new window starts when the old one has passed; a block sets
	 * blocked_until, grows strikes and restarts the count. */
	static const char sql[] =
	    "INSERT INTO throttle (key, count, window_start) VALUES (?1, 1, ?2)"
	    " ON CONFLICT (key) DO UPDATE SET"
	    "   count = CASE WHEN window_start <= ?2 - ?3 THEN 1"
	    "                ELSE count + 1 END,"
	    "   window_start = CASE WHEN window_start <= ?2 - ?3 THEN ?2"
	    "                       ELSE window_start END"
	    " RETURNING count, strikes";
	static const char sql_block[] =
	    "UPDATE throttle SET blocked_until = ?2, strikes = strikes + 1,"
	    "   count = 0, window_start = ?3"
	    " WHERE key = ?1";
	sqlite3_stmt	*st;
	int64_t		 now = (int64_t)time(NULL), wait = 0;
	long		 count = 0, strikes = 0;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_text(r, st, 1, key);
	db_bind_int64(r, st, 2, now);
	db_bind_int64(r, st, 3, window);
	if (db_step(r, st) == SQLITE_ROW) {
		count = (long)sqlite3_column_int64(st, 0);
		strikes = (long)sqlite3_column_int64(st, 1);
	}
	db_done(r, st);
	if (req_failed(r))
		return -1;
	if (count < limit)
		return 0;
	wait = window;
	for (long i = 0; i < strikes && wait < MAX_WAIT; i++)
		wait *= 2;
	if (wait > MAX_WAIT)
		wait = MAX_WAIT;
	if ((st = db_stmt(r, sql_block)) == NULL)
		return -1;
	db_bind_text(r, st, 1, key);
	db_bind_int64(r, st, 2, now + wait);
	db_bind_int64(r, st, 3, now);
	db_step(r, st);
	db_done(r, st);
	return req_failed(r) ? -1 : wait;
}

int
throttle_clear(struct req *r, const char *key)
{
	static const char sql[] = "DELETE FROM throttle WHERE key = ?1";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_text(r, st, 1, key);
	rc = db_step(r, st);
	db_done(r, st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
throttle_refuse(struct req *r, int64_t wait)
{
	char	 s[32];
	int64_t	 minutes = (wait + 59) / 60;

	snprintf(s, sizeof(s), "%lld", (long long)wait);
	http_set_header(r, "Retry-After", s);
	render_set(r, "Error.retry_after_text", minutes <= 1 ?
	    "Try again in a minute." : arena_printf(r->arena,
	    "Try again in %lld minutes.", (long long)minutes));
	return 429;
}
