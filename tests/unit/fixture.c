/*
 * fixture: shared helpers of the unit suites (see fixture.h).  Failures
 * of the helpers themselves are test failures (ck_abort_msg), never
 * silent.
 */
#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/db.h"
#include "core/migrate.h"
#include "core/util.h"
#include "fixture.h"

const struct http_limits fixture_limits = {
	.max_body = 64,
	.max_uri = 256,
	.max_params = 8,
	.max_key = 16,
	.max_value = 32,
	.max_headers = 256,
	.max_cookie = 64,
	.hsts_seconds = 31536000,
};

int
fixture_http(struct req *r, const char *body, ...)
{
	va_list		 ap;
	const char	*s;
	char		**env;
	size_t		 n = 0, i = 0;

	va_start(ap, body);
	while (va_arg(ap, const char *) != NULL)
		n++;
	va_end(ap);
	env = arena_alloc(r->arena, (n + 1) * sizeof(*env));
	va_start(ap, body);
	while ((s = va_arg(ap, const char *)) != NULL)
		env[i++] = arena_strdup(r->arena, s);
	va_end(ap);
	env[i] = NULL;
	return http_parse(r, env, body != NULL ? arena_strdup(r->arena, body) :
	    NULL, body != NULL ? strlen(body) : 0);
}

int
fixture_get(struct req *r, const char *uri)
{
	return fixture_http(r, NULL, "REQUEST_METHOD=GET",
	    arena_printf(r->arena, "REQUEST_URI=%s", uri), (char *)NULL);
}

/*
 * Every temp dir of a run lives under one base directory, which main()
 * makes before and removes after the run: a test that fails in a forked
 * child exits at once, without its teardown, and leaves its dirs there.
 */
static char	*base_dir;

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
rm_tree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void
fixture_begin(void)
{
	const char	*tmp = getenv("TMPDIR");

	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	if (asprintf(&base_dir, "%s/gazette-unit-XXXXXX", tmp) < 0)
		abort();
	if (mkdtemp(base_dir) == NULL) {
		fprintf(stderr, "mkdtemp %s: %s\n", base_dir, strerror(errno));
		exit(EXIT_FAILURE);
	}
}

void
fixture_end(void)
{
	if (base_dir != NULL)
		rm_tree(base_dir);
	free(base_dir);
	base_dir = NULL;
}

char *
fixture_tmpdir(void)
{
	char	*dir;

	if (base_dir == NULL)
		ck_abort_msg("fixture_begin() was not called");
	if (asprintf(&dir, "%s/t-XXXXXX", base_dir) < 0)
		abort();
	if (mkdtemp(dir) == NULL)
		ck_abort_msg("mkdtemp %s: %s", dir, strerror(errno));
	return dir;
}

void
fixture_rmtree(char *dir)
{
	if (dir == NULL)
		return;
	rm_tree(dir);
	free(dir);
}

void
fixture_write(const char *dir, const char *name, const char *text)
{
	char	 path[4096];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		ck_abort_msg("cannot write %s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
}

void
fixture_unlink(const char *dir, const char *name)
{
	char	 path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (unlink(path) != 0)
		ck_abort_msg("cannot remove %s: %s", path, strerror(errno));
}

bool
fixture_has(const char *haystack, const char *needle)
{
	return haystack != NULL && strstr(haystack, needle) != NULL;
}

void
fixture_db_open(struct fixture_db *f)
{
	char	 err[1024];
	int	 n;

	memset(f, 0, sizeof(*f));
	if (config_load(&f->cfg, NULL, err, sizeof(err)) != 0)
		ck_abort_msg("config_load: %s", err);
	f->dir = fixture_tmpdir();
	free(f->cfg.database);
	if (asprintf(&f->cfg.database, "%s/gazette.db", f->dir) < 0)
		abort();
	if (db_open(&f->cfg, true, err, sizeof(err)) != 0)
		ck_abort_msg("db_open: %s", err);
	if ((n = migrate_apply(FIXTURE_ROOT "/sql", NULL, err, sizeof(err))) < 1)
		ck_abort_msg("migrate_apply: %d: %s", n, err);
}

void
fixture_db_close(struct fixture_db *f)
{
	db_close();
	config_free(&f->cfg);
	fixture_rmtree(f->dir);
	f->dir = NULL;
}

long long
fixture_article(struct req *r, const char *slug, const char *title,
    const char *body_html)
{
	static const char sql[] =
	    "INSERT INTO articles (slug, title, excerpt, body_html, status,"
	    "    published_at, created_at, updated_at)"
	    " VALUES (?1, ?2, 'An excerpt.', ?3, 'published', 1000000000,"
	    "    1000000000, 1000000000)";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = db_stmt(r, sql)) == NULL)
		ck_abort_msg("fixture_article: prepare failed");
	db_bind_text(r, st, 1, slug);
	db_bind_text(r, st, 2, title);
	db_bind_text(r, st, 3, body_html);
	rc = db_step(r, st);
	db_done(r, st);
	ck_assert_msg(rc == SQLITE_DONE && !req_failed(r),
	    "fixture_article %s: rc %d", slug, rc);
	return (long long)sqlite3_last_insert_rowid(db_handle());
}
