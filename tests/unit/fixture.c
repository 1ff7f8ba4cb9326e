/*
 * fixture: shared helpers of the unit suites (see fixture.h).  Failures
 * of the helpers themselves are test failures (ck_abort_msg), never
 * silent.
 */
#include <ctype.h>
#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/auth.h"
#include "core/csrf.h"
#include "core/db.h"
#include "core/migrate.h"
#include "core/render.h"
#include "core/session.h"
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

void
fixture_req_open(struct fixture_db *f, struct req *r, bool accounts,
    const struct http_limits *limits)
{
	if (accounts)
		fixture_accounts_open(f);
	else
		fixture_db_open(f);
	req_init(r, limits);
}

void
fixture_req_close(struct fixture_db *f, struct req *r)
{
	render_reset(r);
	req_free(r);
	fixture_db_close(f);
}

static struct req	 pool[FIXTURE_REQS];
static size_t		 npool;

struct req *
fixture_req(void)
{
	struct req	*r;

	ck_assert_msg(npool < NELEM(pool), "fixture_req: all %zu in use",
	    NELEM(pool));
	r = &pool[npool++];
	req_init(r, &fixture_wide_limits);
	return r;
}

void
fixture_reqs_free(void)
{
	for (size_t i = 0; i < npool; i++) {
		render_reset(&pool[i]);
		req_free(&pool[i]);
	}
	npool = 0;
}

long long
fixture_article(struct req *r, const char *slug, const char *title,
    const char *body_html)
{
	static const char sql[] =
	    "INSERT INTO articles (slug, title, excerpt, body_html, status,"
	    "    publish_at, created_at, updated_at)"
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

const struct http_limits fixture_wide_limits = {
	.max_body = 4096,
	.max_uri = 1024,
	.max_params = 32,
	.max_key = 64,
	.max_value = 1024,
	.max_headers = 4096,
	.max_cookie = 1024,
	.hsts_seconds = 31536000,
};

/* "X-CSRF-Token" -> "HTTP_X_CSRF_TOKEN"; "HTTPS" stays; into r's arena. */
static const char *
env_name(struct req *r, const char *name)
{
	char	*s;
	size_t	 i, n = strlen(name);
	bool	 raw = strchr(name, '-') == NULL;

	for (i = 0; i < n && raw; i++)
		if (islower((unsigned char)name[i]))
			raw = false;
	if (raw)
		return name;
	if (strcasecmp(name, "Content-Type") == 0)
		return "CONTENT_TYPE";
	s = arena_printf(r->arena, "HTTP_%s", name);
	for (i = 5; s[i] != '\0'; i++)
		s[i] = s[i] == '-' ? '_' : (char)toupper((unsigned char)s[i]);
	return s;
}

int
fixture_request(struct req *r, const char *method, const char *uri,
    const char *body, ...)
{
	va_list		 ap;
	const char	*name, *value, *e;
	char		**env;
	size_t		 n = 0, i = 0;
	bool		 has_addr = false, has_type = false;

	va_start(ap, body);
	while (va_arg(ap, const char *) != NULL) {
		(void)va_arg(ap, const char *);
		n++;
	}
	va_end(ap);
	env = arena_alloc(r->arena, (n + 5) * sizeof(*env));
	env[i++] = arena_printf(r->arena, "REQUEST_METHOD=%s", method);
	env[i++] = arena_printf(r->arena, "REQUEST_URI=%s", uri);
	va_start(ap, body);
	while ((name = va_arg(ap, const char *)) != NULL) {
		value = va_arg(ap, const char *);
		e = env_name(r, name);
		has_addr |= strcmp(e, "REMOTE_ADDR") == 0;
		has_type |= strcmp(e, "CONTENT_TYPE") == 0;
		if (value != NULL)
			env[i++] = arena_printf(r->arena, "%s=%s", e, value);
	}
	va_end(ap);
	if (!has_addr)
		env[i++] = arena_strdup(r->arena, "REMOTE_ADDR=192.0.2.1");
	if (!has_type && body != NULL)
		env[i++] = arena_strdup(r->arena,
		    "CONTENT_TYPE=application/x-www-form-urlencoded");
	env[i] = NULL;
	return http_parse(r, env, body != NULL ? arena_strdup(r->arena, body) :
	    NULL, body != NULL ? strlen(body) : 0);
}

const char *
fixture_set_cookie(struct req *r, const char *name, const char **header)
{
	size_t		 n = strlen(name);
	const char	*v = NULL;

	for (size_t i = 0; i < r->nresp; i++)
		if (strcasecmp(r->resp_headers[i].name, "Set-Cookie") == 0 &&
		    strncmp(r->resp_headers[i].value, name, n) == 0 &&
		    r->resp_headers[i].value[n] == '=')
			v = r->resp_headers[i].value;
	if (header != NULL)
		*header = v;
	if (v == NULL)
		return NULL;
	v += n + 1;
	return arena_strndup(r->arena, v, strcspn(v, ";"));
}

int
fixture_count_set_cookie(const struct req *r, const char *name)
{
	size_t	 n = strlen(name);
	int	 count = 0;

	for (size_t i = 0; i < r->nresp; i++)
		if (strcasecmp(r->resp_headers[i].name, "Set-Cookie") == 0 &&
		    strncmp(r->resp_headers[i].value, name, n) == 0 &&
		    r->resp_headers[i].value[n] == '=')
			count++;
	return count;
}

void
fixture_accounts_open(struct fixture_db *f)
{
	char	 err[1024];

	fixture_db_open(f);
	fixture_write(f->dir, "secret",
	    "fixture-secret-0123456789abcdefghijklmn\n");
	free(f->cfg.secret_file);
	if (asprintf(&f->cfg.secret_file, "%s/secret", f->dir) < 0)
		abort();
	if (chmod(f->cfg.secret_file, 0600) != 0)
		ck_abort_msg("chmod %s: %s", f->cfg.secret_file,
		    strerror(errno));
	f->cfg.password_ops = 1;
	f->cfg.password_mem = 8192;
	if (auth_init(&f->cfg, err, sizeof(err)) != 0)
		ck_abort_msg("auth_init: %s", err);
	session_init(&f->cfg);
	csrf_init(&f->cfg, auth_mac_hex);
}

long long
fixture_user(struct req *r, const char *username, const char *group)
{
	static const char sql[] =
	    "INSERT INTO user_groups (user_id, group_id)"
	    " SELECT ?1, id FROM groups WHERE name = ?2";
	const char	*taken = NULL;
	sqlite3_stmt	*st;
	int64_t		 id;

	id = auth_user_create(r, username, arena_printf(r->arena,
	    "%s@example.org", username), arena_printf(r->arena, "%s Test",
	    username), FIXTURE_PASSWORD, false, false, &taken);
	ck_assert_msg(id > 0 && !req_failed(r), "fixture_user %s: %lld (%s)",
	    username, (long long)id, taken != NULL ? taken : "");
	if (group == NULL)
		return (long long)id;
	if ((st = db_stmt(r, sql)) == NULL)
		ck_abort_msg("fixture_user: prepare failed");
	db_bind_int64(r, st, 1, id);
	db_bind_text(r, st, 2, group);
	ck_assert_int_eq(db_step(r, st), SQLITE_DONE);
	db_done(r, st);
	ck_assert_msg(sqlite3_changes(db_handle()) == 1,
	    "fixture_user: no group %s", group);
	return (long long)id;
}

long long
fixture_sql(const char *sql, int n, ...)
{
	sqlite3_stmt	*st;
	va_list		 ap;
	long long	 v = 0;
	int		 rc;

	if (sqlite3_prepare_v2(db_handle(), sql, -1, &st, NULL) != SQLITE_OK)
		ck_abort_msg("fixture_sql: %s: %s", sql,
		    sqlite3_errmsg(db_handle()));
	va_start(ap, n);
	for (int i = 1; i <= n; i++)
		sqlite3_bind_int64(st, i, va_arg(ap, long long));
	va_end(ap);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE) {
		char	 msg[512];

		snprintf(msg, sizeof(msg), "%s", sqlite3_errmsg(db_handle()));
		sqlite3_finalize(st);
		ck_abort_msg("fixture_sql: %s: %s", sql, msg);
	}
	sqlite3_finalize(st);
	return v;
}
