/*
 * backup: sqlite3_backup from the process's connection into a new file,
 * a few hundred pages a step so writers are never held up for long.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backup.h"
#include "db.h"

#define PAGES_PER_STEP	512

int
backup_to(const char *path, char *err, size_t errlen)
{
	sqlite3		*src = db_handle(), *dst = NULL;
	sqlite3_backup	*b;
	sqlite3_stmt	*st = NULL;
	char		 tmp[4096];
	int		 rc;

	if (src == NULL) {
		snprintf(err, errlen, "the database is not open");
		return -1;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
		snprintf(err, errlen, "backup path too long");
		return -1;
	}
	unlink(tmp);
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot create %s: %s", tmp,
		    dst != NULL ? sqlite3_errmsg(dst) : "out of memory");
		goto fail;
	}
	if ((b = sqlite3_backup_init(dst, "main", src, "main")) == NULL) {
		snprintf(err, errlen, "backup of %s: %s", path,
		    sqlite3_errmsg(dst));
		goto fail;
	}
	do {
		rc = sqlite3_backup_step(b, PAGES_PER_STEP);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			usleep(20000);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "backup to %s: %s", tmp,
		    sqlite3_errstr(rc));
		goto fail;
	}
	if (sqlite3_prepare_v2(dst, "PRAGMA integrity_check", -1, &st,
	    NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
		snprintf(err, errlen, "the copy %s fails integrity_check: %s",
		    tmp, st != NULL && sqlite3_column_text(st, 0) != NULL ?
		    (const char *)sqlite3_column_text(st, 0) :
		    sqlite3_errmsg(dst));
		goto fail;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_close(dst) != SQLITE_OK) {
		snprintf(err, errlen, "closing %s failed", tmp);
		dst = NULL;
		goto fail;
	}
	dst = NULL;
	if (rename(tmp, path) != 0) {
		snprintf(err, errlen, "rename %s to %s: %s", tmp, path,
		    strerror(errno));
		goto fail;
	}
	return 0;
fail:
	sqlite3_finalize(st);
	if (dst != NULL)
		sqlite3_close(dst);
	unlink(tmp);
	return -1;
}

/* gazette-YYYYMMDD.db */
static int
is_nightly(const struct dirent *d)
{
	const char	*n = d->d_name;

	if (strlen(n) != 19 || strncmp(n, "gazette-", 8) != 0 ||
	    strcmp(n + 16, ".db") != 0)
		return 0;
	for (int i = 8; i < 16; i++)
		if (!isdigit((unsigned char)n[i]))
			return 0;
	return 1;
}

int
backup_rotate(const char *dir, int keep, char *err, size_t errlen)
{
	struct dirent	**list;
	char		 path[4096];
	int		 n, deleted = 0;

	if ((n = scandir(dir, &list, is_nightly, alphasort)) < 0) {
		snprintf(err, errlen, "cannot read %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		if (i < n - keep) {
			snprintf(path, sizeof(path), "%s/%s", dir,
			    list[i]->d_name);
			if (unlink(path) == 0)
				deleted++;
		}
		free(list[i]);
	}
	free(list);
	return deleted;
}
