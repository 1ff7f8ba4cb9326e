/*
 * migrate: reads sql/NNNN_*.sql, compares with schema_migrations, applies
 * what is pending.  Files are small and read whole.  The bookkeeping table
 * is created here, outside the numbered files, so that 0001 can be
 * checksummed like every other file.
 */
#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "migrate.h"
#include "util.h"

struct mfile {
	char	 name[256];
	char	*sql;
	char	 sum[crypto_hash_sha256_BYTES * 2 + 1];
	bool	 applied;
};

struct mset {
	struct mfile	*v;
	size_t		 n;
};

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct mfile *)a)->name,
	    ((const struct mfile *)b)->name);
}

/* NNNN_something.sql with four digits and a non-empty name. */
static bool
is_migration_name(const char *s)
{
	size_t	 n = strlen(s);

	return n > 9 && n < 200 && s[0] >= '0' && s[0] <= '9' &&
	    s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9' &&
	    s[3] >= '0' && s[3] <= '9' && s[4] == '_' &&
	    strcmp(s + n - 4, ".sql") == 0;
}

static char *
read_file(const char *path, size_t *len)
{
	FILE	*f;
	char	*p = NULL;
	size_t	 cap = 0, n = 0, k;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	do {
		if (cap - n < 4096) {
			cap = cap == 0 ? 8192 : cap * 2;
			p = xrealloc(p, cap + 1);
		}
		k = fread(p + n, 1, cap - n, f);
		n += k;
	} while (k > 0);
	if (ferror(f)) {
		fclose(f);
		free(p);
		return NULL;
	}
	fclose(f);
	p[n] = '\0';
	*len = n;
	return p;
}

static void
mset_free(struct mset *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].sql);
	free(m->v);
	m->v = NULL;
	m->n = 0;
}

static int
ensure_table(char *err, size_t errlen)
{
	char	*msg = NULL;

	if (sqlite3_exec(db_handle(), "CREATE TABLE IF NOT EXISTS "
	    "schema_migrations (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, "
	    "applied_at INTEGER NOT NULL)", NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "cannot create schema_migrations: %s",
		    msg != NULL ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/*
 * Read dir's migrations, sorted, with checksums and applied flags; refuse
 * edited history and applied files that vanished.
 */
static int
mset_load(struct mset *m, const char *dir, char *err, size_t errlen)
{
	DIR		*d;
	struct dirent	*de;
	sqlite3_stmt	*st = NULL;
	size_t		 cap = 0;

	memset(m, 0, sizeof(*m));
	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errlen, "cannot read migrations directory %s: "
		    "%s (set sql = DIR in the config)", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		char		 path[4096];
		unsigned char	 h[crypto_hash_sha256_BYTES];
		struct mfile	*f;
		size_t		 len;

		if (!is_migration_name(de->d_name))
			continue;
		if (m->n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			m->v = xrealloc(m->v, cap * sizeof(*m->v));
		}
		f = &m->v[m->n];
		memset(f, 0, sizeof(*f));
		snprintf(f->name, sizeof(f->name), "%s", de->d_name);
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((f->sql = read_file(path, &len)) == NULL) {
			snprintf(err, errlen, "cannot read %s: %s", path,
			    strerror(errno));
			closedir(d);
			mset_free(m);
			return -1;
		}
		m->n++;
		crypto_hash_sha256(h, (unsigned char *)f->sql, len);
		sodium_bin2hex(f->sum, sizeof(f->sum), h, sizeof(h));
	}
	closedir(d);
	if (m->n > 0)
		qsort(m->v, m->n, sizeof(*m->v), cmp_name);
	if (ensure_table(err, errlen) != 0) {
		mset_free(m);
		return -1;
	}
	if (sqlite3_prepare_v2(db_handle(), "SELECT name, checksum FROM "
	    "schema_migrations ORDER BY name", -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot read schema_migrations: %s",
		    sqlite3_errmsg(db_handle()));
		mset_free(m);
		return -1;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char	*name = (const char *)sqlite3_column_text(st, 0);
		const char	*sum = (const char *)sqlite3_column_text(st, 1);
		struct mfile	*f = NULL;

		for (size_t i = 0; i < m->n && f == NULL; i++)
			if (strcmp(m->v[i].name, name) == 0)
				f = &m->v[i];
		if (f == NULL) {
			snprintf(err, errlen, "migration %s was applied but is "
			    "missing from %s: restore the file", name, dir);
			goto fail;
		}
		if (strcmp(f->sum, sum) != 0) {
			snprintf(err, errlen, "migration %s/%s was edited after "
			    "it was applied: restore it and put the change in a "
			    "new migration file", dir, name);
			goto fail;
		}
		f->applied = true;
	}
	sqlite3_finalize(st);
	return 0;
fail:
	sqlite3_finalize(st);
	mset_free(m);
	return -1;
}

int
migrate_pending(const char *dir, const char **first, char *err,
    size_t errlen)
{
	static char	 name[256];
	struct mset	 m;
	int		 n = 0;

	if (mset_load(&m, dir, err, errlen) != 0)
		return -1;
	for (size_t i = 0; i < m.n; i++)
		if (!m.v[i].applied && n++ == 0) {
			snprintf(name, sizeof(name), "%s", m.v[i].name);
			*first = name;
		}
	mset_free(&m);
	return n;
}

int
migrate_list(const char *dir, FILE *out, char *err, size_t errlen)
{
	struct mset	 m;

	if (mset_load(&m, dir, err, errlen) != 0)
		return -1;
	for (size_t i = 0; i < m.n; i++)
		fprintf(out, "[%c] %s\n", m.v[i].applied ? 'X' : ' ',
		    m.v[i].name);
	mset_free(&m);
	return 0;
}

int
migrate_apply(const char *dir, FILE *out, char *err, size_t errlen)
{
	struct mset	 m;
	sqlite3		*h = db_handle();
	int		 applied = 0;

	if (mset_load(&m, dir, err, errlen) != 0)
		return -1;
	for (size_t i = 0; i < m.n; i++) {
		struct mfile	*f = &m.v[i];
		sqlite3_stmt	*st = NULL;
		char		*msg = NULL;

		if (f->applied)
			continue;
		if (sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, &msg) !=
		    SQLITE_OK || sqlite3_exec(h, f->sql, NULL, NULL, &msg) !=
		    SQLITE_OK) {
			snprintf(err, errlen, "migration %s failed: %s "
			    "(nothing of it was applied)", f->name,
			    msg != NULL ? msg : sqlite3_errmsg(h));
			sqlite3_free(msg);
			goto fail;
		}
		if (sqlite3_prepare_v2(h, "INSERT INTO schema_migrations "
		    "(name, checksum, applied_at) VALUES (?1, ?2, ?3)", -1,
		    &st, NULL) != SQLITE_OK) {
			snprintf(err, errlen, "cannot record %s: %s", f->name,
			    sqlite3_errmsg(h));
			goto fail;
		}
		sqlite3_bind_text(st, 1, f->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, f->sum, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
		if (sqlite3_step(st) != SQLITE_DONE ||
		    sqlite3_exec(h, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
			snprintf(err, errlen, "cannot record %s: %s", f->name,
			    msg != NULL ? msg : sqlite3_errmsg(h));
			sqlite3_free(msg);
			sqlite3_finalize(st);
			goto fail;
		}
		sqlite3_finalize(st);
		applied++;
		if (out != NULL)
			fprintf(out, "Applied %s\n", f->name);
	}
	mset_free(&m);
	return applied;
fail:
	if (!sqlite3_get_autocommit(h))
		sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
	mset_free(&m);
	return -1;
}
