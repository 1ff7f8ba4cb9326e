/*
 * migrate: the schema's history as numbered SQL files in one directory
 * (NNNN_name.sql), applied in order, each in its own transaction, and
 * recorded in schema_migrations with a SHA-256 checksum.  A recorded file
 * that changed since it was applied is refused with its name: history is
 * never edited, a new file is added instead.
 */
#ifndef GAZETTE_MIGRATE_H
#define GAZETTE_MIGRATE_H

#include <stddef.h>
#include <stdio.h>

/*
 * Apply every pending migration from dir to the open database, printing
 * one line per file applied to out (may be NULL).  Returns the number
 * applied (0: already up to date), or -1 with a message in err.
 */
int	 migrate_apply(const char *dir, FILE *out, char *err, size_t errlen);

/*
 * Print each migration with [X] applied or [ ] pending to out.
 * Returns 0, or -1 with a message in err.
 */
int	 migrate_list(const char *dir, FILE *out, char *err, size_t errlen);

/*
 * Count pending migrations (and check applied ones for edits).  Returns
 * the count, or -1 with a message in err.  *first gets the first pending
 * file name (static storage) when the count is positive.
 */
int	 migrate_pending(const char *dir, const char **first, char *err,
	    size_t errlen);

#endif
