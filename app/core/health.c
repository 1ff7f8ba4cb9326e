/*
 * health: readiness checks.  Each check talks to SQLite through the raw
 * handle, not db_stmt(), so a failure is a line of the answer and not
 * the request's sticky error (which would turn it into the 500 page).
 */
#include <libgen.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>

#include "buf.h"
#include "config.h"
#include "db.h"
#include "health.h"
#include "http.h"
#include "migrate.h"

static int
check_database(struct buf *out)
{
	sqlite3	*h = db_handle();
	char	*msg = NULL;
	int	 rc;

	if (h == NULL) {
		buf_puts(out, "database: not open\n");
		return 1;
	}
	rc = sqlite3_exec(h, "SELECT count(*) FROM sqlite_schema", NULL, NULL,
	    &msg);
	if (rc != SQLITE_OK) {
		buf_printf(out, "database: %s\n", msg != NULL ? msg :
		    sqlite3_errstr(rc));
		sqlite3_free(msg);
		return 1;
	}
	return 0;
}

static int
check_migrations(const struct config *cfg, struct buf *out)
{
	const char	*first = NULL;
	char		 err[512];
	int		 n;

	if (db_handle() == NULL)
		return 0;		/* said under database */
	if ((n = migrate_pending(cfg->sql_dir, &first, err,
	    sizeof(err))) < 0) {
		buf_printf(out, "migrations: %s\n", err);
		return 1;
	}
	if (n > 0) {
		buf_printf(out, "migrations: %d pending, first %s (run "
		    "'gazette migrate')\n", n, first);
		return 1;
	}
	return 0;
}

static int
check_disk(const struct config *cfg, struct buf *out)
{
	char			 path[PATH_MAX];
	const char		*dir;
	struct statvfs		 vfs;
	unsigned long long	 free_mb;

	snprintf(path, sizeof(path), "%s", cfg->database);
	dir = dirname(path);
	if (statvfs(dir, &vfs) != 0) {
		buf_printf(out, "disk: cannot stat %s\n", dir);
		return 1;
	}
	free_mb = (unsigned long long)vfs.f_bavail * vfs.f_frsize /
	    (1024 * 1024);
	if (free_mb < (unsigned long long)cfg->readyz_min_free_mb) {
		buf_printf(out, "disk: %llu MB free in %s, under "
		    "readyz_min_free_mb = %ld\n", free_mb, dir,
		    cfg->readyz_min_free_mb);
		return 1;
	}
	return 0;
}

int
health_ready(const struct config *cfg, struct buf *out)
{
	return check_database(out) + check_migrations(cfg, out) +
	    check_disk(cfg, out);
}

int
health_page_ready(struct req *r)
{
	const struct config	*cfg = config_current();

	r->content_type = "text/plain; charset=utf-8";
	http_set_header(r, "Cache-Control", "no-store");
	if (cfg == NULL) {
		buf_puts(&r->out, "config: none\n");
		r->own_error_body = true;
		return HTTP_503;
	}
	if (health_ready(cfg, &r->out) == 0) {
		buf_puts(&r->out, "ok\n");
		return HTTP_200;
	}
	r->own_error_body = true;
	return HTTP_503;
}
