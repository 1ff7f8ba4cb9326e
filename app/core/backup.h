/*
 * backup: online copies of the live database with SQLite's backup API
 * (readers and writers go on meanwhile), checked with integrity_check
 * before they take their final name, and the rotation of nightly ones.
 * Used by the nightly backup job; `gazette backup FILE` can share it.
 */
#ifndef GAZETTE_BACKUP_H
#define GAZETTE_BACKUP_H

#include <stddef.h>

/*
 * Copy this process's open database (db_open) to path: written to
 * path.tmp, integrity-checked, then renamed over path.  0, or -1 with
 * the reason in err (path.tmp removed).
 */
int	 backup_to(const char *path, char *err, size_t errlen);

/*
 * In dir, keep the newest `keep` files named gazette-YYYYMMDD.db (by
 * name, which sorts by date) and delete the older ones.  The count
 * deleted, or -1 with err set.
 */
int	 backup_rotate(const char *dir, int keep, char *err, size_t errlen);

#endif
