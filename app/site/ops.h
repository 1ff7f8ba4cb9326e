/*
 * ops: the operator's commands behind `gazette check --deploy`, backup,
 * restore, dumpdata, loaddata and stats (Django's manage.py, Ghost's
 * doctor, Fossil's security audit and backup).  Each runs on the
 * configuration's database through core/db and core/model; main.c only
 * parses their options.  They print to the FILE given and return an
 * exit status: 0 done, 1 failed or found an ERROR (the message names
 * the fix), 2 a usage error.
 */
#ifndef GAZETTE_OPS_H
#define GAZETTE_OPS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct config;
struct model_field;
struct model_raw;

/* What check --deploy found: one line each, then a verdict. */
struct ops_tally {
	int	 ok;
	int	 warnings;
	int	 errors;
};

/*
 * The deployment audit: build and log settings, the secret file, TLS,
 * HSTS, sign-up and comment settings, file permissions of the database,
 * its directory and the secret; then, unless url is "" (--offline), GET
 * url/ and url/accounts/login/ with libcurl to confirm the security
 * headers and cookie flags reach the client.  url NULL: site_url.
 * Prints "OK", "WARNING" or "ERROR" lines with the fix to out and adds
 * them to *t.  The database must be open.
 */
void	 ops_check_deploy(const struct config *c, const char *url, FILE *out,
	    struct ops_tally *t);

/*
 * How strong a secret is: 0 fine, 1 doubtful (a test or example
 * phrase: a warning), 2 weak (too short or too little entropy: an
 * error), with the reason in *why (static).  Bits are estimated as the
 * byte string's Shannon entropy per byte times its length, after
 * trailing white space is dropped.
 */
int	 ops_secret_judge(const unsigned char *s, size_t n, const char **why);

/* The Shannon entropy of s in bits per byte (0 for n 0). */
double	 ops_entropy(const unsigned char *s, size_t n);

/*
 * Does the Set-Cookie value sc carry attribute name (HttpOnly, Secure,
 * SameSite), case-insensitively, as an attribute and not in the value?
 * With value non-NULL, *value gets the attribute's value (malloc'd,
 * or NULL without one; the caller frees).
 */
bool	 ops_cookie_has(const char *sc, const char *name, char **value);

/*
 * Online backup of the open database to path (SQLite's backup API in
 * small steps inside one read transaction, so writers keep working and
 * the copy is one consistent snapshot), then integrity_check on the
 * copy, then an atomic move into place; refuses an existing path
 * unless force.  Prints the size and the rows of each model.
 */
int	 ops_backup(const struct config *c, const char *path, bool force,
	    FILE *out);

/*
 * Replace the database with the Gazette database at path: checked
 * (integrity_check, schema_migrations present, no migration this
 * binary lacks), refused while a server answers on the configured
 * socket unless force, the current database first backed up to
 * DATABASE.before-restore, then copied in with the backup API (one
 * write transaction: readers see the old or the new database).
 */
int	 ops_restore(const struct config *c, const char *path, bool force,
	    FILE *out);

/*
 * Write the rows of the named models (all registered ones if n is 0)
 * as a JSON array of {"model", "pk", "fields"} objects to out, one
 * object a line, streamed in pages of pk order inside one read
 * transaction.  Datetimes are Unix seconds, booleans true/false,
 * many-to-many fields id arrays.  A progress line on stderr when
 * progress.  An unknown model is a usage error.
 */
int	 ops_dumpdata(const struct config *c, char *const *models, size_t n,
	    FILE *out, bool progress);

/*
 * Load what dumpdata wrote from path ("-": standard input), object by
 * object, in one write transaction with foreign keys checked at commit:
 * each object upserted by pk after its model and fields are checked
 * against the metadata.  Any error names the object's index and rolls
 * everything back.
 */
int	 ops_loaddata(const struct config *c, const char *path, FILE *out,
	    bool progress);

/*
 * Turn JSON value v of field f (NULL for an extra column) into *x
 * (name left alone): type and choice checked, text within f->max
 * characters, f->check passed.  Strings point into v, an M2M id list
 * into ids (cleared first, malloc'd by the caller's buf).  NULL, or a
 * static message of what is wrong.
 */
struct buf;
const char *ops_value_from_json(const struct model_field *f, json_t *v,
	    struct model_raw *x, struct buf *ids);

/* Counts per model, database and WAL sizes, pages, sessions, jobs. */
int	 ops_stats(const struct config *c, FILE *out);

#endif
