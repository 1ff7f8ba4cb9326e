/*
 * settings: one primary-key lookup a read, through the statement cache;
 * no per-worker copy, so every worker sees a change at once.
 */
#include "db.h"
#include "http.h"
#include "settings.h"
#include "util.h"

const char *
settings_get(struct req *r, const char *key, const char *def)
{
	static const char sql[] = "SELECT value FROM settings WHERE key = ?1";
	sqlite3_stmt	*st;
	const char	*v = def;

	if ((st = db_stmt(r, sql)) == NULL)
		return def;
	db_bind_text(r, st, 1, key);
	if (db_step(r, st) == SQLITE_ROW)
		v = db_col_strdup(r, st, 0);
	db_done(r, st);
	return v;
}

long
settings_int(struct req *r, const char *key, long def, long min, long max)
{
	const char	*v = settings_get(r, key, NULL);
	long long	 n;

	if (v == NULL || util_parse_int(v, min, max, &n) != 0)
		return def;
	return (long)n;
}

int
settings_set(struct req *r, const char *key, const char *value)
{
	static const char sql[] =
	    "INSERT INTO settings (key, value) VALUES (?1, ?2)"
	    " ON CONFLICT (key) DO UPDATE SET value = excluded.value";
	sqlite3_stmt	*st;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_text(r, st, 1, key);
	db_bind_text(r, st, 2, value);
	db_step(r, st);
	db_done(r, st);
	return req_failed(r) ? -1 : 0;
}
