/*
 * settings: one primary-key lookup a read, through the statement cache;
 * no per-worker copy, so every worker sees a change at once.  The
 * exception is settings_site(), which every page and every logged-in
 * request needs: a per-worker copy, checked against SQLite's data
 * version (moved by any other connection's commit) once a request.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "http.h"
#include "settings.h"
#include "util.h"

/*
 * The rows as last read; the file's values are applied on every look
 * (site_resolve), so a configuration set later is seen at once.
 */
static struct {
	bool		 loaded;	/* rows are the table's committed view */
	const sqlite3	*db;		/* ... through this connection */
	int64_t		 version;	/* at this PRAGMA data_version */
	int64_t		 checked_us;	/* r->start_us of the last look */
	char		*name;		/* xstrdup'd row values, or NULL */
	char		*description;
	int		 signup;	/* 0, 1, or -1: no (valid) row */
	int		 require_2fa_staff;
	struct settings_site cur;
} site = { .signup = -1, .require_2fa_staff = -1 };

/* site.cur from the rows over the configuration file (or defaults). */
static const struct settings_site *
site_resolve(void)
{
	const struct config *c = config_current();

	site.cur.name = site.name != NULL ? site.name : c != NULL &&
	    c->site_name != NULL ? c->site_name : "Gazette";
	site.cur.description = site.description != NULL ? site.description :
	    c != NULL && c->site_description != NULL ? c->site_description :
	    "";
	site.cur.signup = site.signup >= 0 ? site.signup == 1 :
	    c == NULL || c->signup != 0;
	site.cur.require_2fa_staff = site.require_2fa_staff >= 0 ?
	    site.require_2fa_staff == 1 : c != NULL && c->require_2fa_staff != 0;
	return &site.cur;
}

/* "0" or "1" as 0 or 1, anything else -1 (the file's value). */
static int
flag(const char *v)
{
	long long	 n;

	return util_parse_int(v, 0, 1, &n) == 0 ? (int)n : -1;
}

/* Read the four rows.  0, or -1 (r failed). */
static int
site_reload(struct req *r)
{
	static const char sql[] =
	    "SELECT key, value FROM settings WHERE key IN (?1, ?2, ?3, ?4)";
	sqlite3_stmt	*st;
	const char	*k, *v;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_text(r, st, 1, "site_name");
	db_bind_text(r, st, 2, "site_description");
	db_bind_text(r, st, 3, "signup");
	db_bind_text(r, st, 4, "require_2fa_staff");
	free(site.name);
	free(site.description);
	site.name = site.description = NULL;
	site.signup = site.require_2fa_staff = -1;
	while (db_step(r, st) == SQLITE_ROW) {
		k = (const char *)sqlite3_column_text(st, 0);
		v = (const char *)sqlite3_column_text(st, 1);
		if (k == NULL || v == NULL)
			continue;
		/* An empty name would leave the header blank: the file's. */
		if (strcmp(k, "site_name") == 0 && *v != '\0')
			site.name = xstrdup(v);
		else if (strcmp(k, "site_description") == 0)
			site.description = xstrdup(v);
		else if (strcmp(k, "signup") == 0)
			site.signup = flag(v);
		else if (strcmp(k, "require_2fa_staff") == 0)
			site.require_2fa_staff = flag(v);
	}
	db_done(r, st);
	return req_failed(r) ? -1 : 0;
}

const struct settings_site *
settings_site(struct req *r)
{
	static const char sql[] = "PRAGMA data_version";
	sqlite3_stmt	*st;
	int64_t		 version = -1;

	if (db_handle() == NULL || r->failed)
		return site_resolve();
	if (site.loaded && site.db == db_handle() &&
	    site.checked_us == r->start_us)
		return site_resolve();
	if ((st = db_stmt(r, sql)) == NULL)
		return site_resolve();
	if (db_step(r, st) == SQLITE_ROW)
		version = sqlite3_column_int64(st, 0);
	db_done(r, st);
	if (version < 0)
		return site_resolve();
	if (site.loaded && site.db == db_handle() && site.version == version) {
		site.checked_us = r->start_us;
		return site_resolve();
	}
	site.loaded = false;
	if (site_reload(r) != 0)
		return site_resolve();
	/*
	 * Inside a write transaction the rows may be this connection's
	 * uncommitted writes, which a rollback takes back without moving
	 * the data version: use them, but look again next time.
	 */
	site.loaded = !db_in_tx();
	site.db = db_handle();
	site.version = version;
	site.checked_us = r->start_us;
	return site_resolve();
}

const struct settings_site *
settings_site_last(void)
{
	return site_resolve();
}

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
	/* This connection's own commits leave the data version as it is. */
	site.loaded = false;
	return req_failed(r) ? -1 : 0;
}
