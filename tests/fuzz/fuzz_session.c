/*
 * fuzz_session: the session cookie, the CSRF check, the CSRF token and
 * flash messages on hostile POST requests, against a real database (a
 * temp dir, migrated once per process, removed at exit).
 *
 * The input is split at '\n' into up to seven fields, each optional:
 *	Cookie header, form body, Origin, Sec-Fetch-Site, X-CSRF-Token,
 *	Referer, flags ('s': over HTTPS; a digit: which flash to queue).
 * So that the fuzzer gets past a random 43-character id, "$S" in any
 * field stands for the cookie of a real session, "$P" for a session
 * awaiting its second factor, "$I" for a session of a user deactivated
 * since, "$E" for an expired session, and "$T" / "$Q" for the CSRF
 * secrets of the first two.
 *
 * Invariants (a failure aborts, which libFuzzer reports as a crash):
 *   - no crash, no ASan or UBSan report;
 *   - a session is loaded only from a cookie that was issued and is
 *     still good (not expired, not the deactivated user's); a user only
 *     from the full session;
 *   - csrf_check passes only with the exact token (the session's secret,
 *     or without a session the gazette_csrf cookie) and a request origin
 *     that is the site's or the request's own;
 *   - csrf_token gives a 43-character token, the session's if any;
 *   - the flash cookie set holds only known codes, at most four.
 *
 * Needs the database and the account modules, so it links all of
 * app/core and the libraries (see the Makefile's fuzz_session rule).
 */
#include <errno.h>
#include <ftw.h>
#include <strings.h>
#include <unistd.h>

#include "core/auth.h"
#include "core/config.h"
#include "core/csrf.h"
#include "core/db.h"
#include "core/migrate.h"
#include "core/render.h"
#include "core/session.h"
#include "fuzz.h"

#define SITE		"http://127.0.0.1:8080"
#define HOST		"127.0.0.1:8080"
#define NFIELDS		7

static struct config	 cfg;
static char		 dir[64];
static char		 sess_full[64], sess_pending[64], sess_inactive[64];
static char		 sess_expired[64];
static char		 secret_full[64], secret_pending[64];
static int64_t		 uid_full;

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
cleanup(void)
{
	db_close();
	if (dir[0] != '\0')
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	config_free(&cfg);
}

static void
die(const char *what, const char *err)
{
	fprintf(stderr, "fuzz_session: %s: %s\n", what, err);
	exit(1);
}

/* A session for a new user; its cookie and CSRF secret into the bufs. */
static int64_t
start(const char *name, bool mfa_pending, char cookie[64], char secret[64])
{
	struct req	 r;
	const char	*taken, *sc;
	struct user	*u;
	int64_t		 id;
	char		 email[64];

	req_init(&r, &fuzz_limits);
	snprintf(email, sizeof(email), "%s@example.org", name);
	id = auth_user_create(&r, name, email, "", "fuzz password 1234",
	    false, false, &taken);
	FUZZ_CHECK(id > 0);
	FUZZ_CHECK((u = auth_user_by_id(&r, id)) != NULL);
	FUZZ_CHECK(session_start(&r, u, false, mfa_pending) == 0);
	FUZZ_CHECK(!req_failed(&r));
	for (size_t i = 0; i < r.nresp; i++)
		if (strncmp(r.resp_headers[i].value, SESSION_COOKIE "=",
		    sizeof(SESSION_COOKIE)) == 0) {
			sc = r.resp_headers[i].value + sizeof(SESSION_COOKIE);
			snprintf(cookie, 64, "%.*s", (int)strcspn(sc, ";"), sc);
		}
	FUZZ_CHECK(strlen(cookie) == 43);
	if (secret != NULL)
		snprintf(secret, 64, "%s", r.session->csrf_secret);
	req_free(&r);
	return id;
}

/* Run sql with ?1 bound to id (setting up what the API cannot). */
static void
exec_id(const char *sql, int64_t id)
{
	sqlite3_stmt	*st;

	if (sqlite3_prepare_v2(db_handle(), sql, -1, &st, NULL) != SQLITE_OK)
		die(sql, sqlite3_errmsg(db_handle()));
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		die(sql, sqlite3_errmsg(db_handle()));
	sqlite3_finalize(st);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const sql_dirs[] = { "sql", "../../sql", "../sql" };
	char		 err[1024], path[256];
	struct stat	 st;
	const char	*tmp = getenv("TMPDIR");
	const char	*sql = NULL;
	FILE		*f;

	fuzz_setup(argc, argv, "fuzz_session");
	for (size_t i = 0; i < NELEM(sql_dirs) && sql == NULL; i++)
		if (stat(sql_dirs[i], &st) == 0 && S_ISDIR(st.st_mode))
			sql = sql_dirs[i];
	if (sql == NULL)
		die("migrations", "run from the repository root (no sql/)");
	snprintf(dir, sizeof(dir), "%s/gazette-fuzz-XXXXXX",
	    tmp != NULL && *tmp != '\0' && strlen(tmp) < 32 ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		die(dir, strerror(errno));
	atexit(cleanup);

	if (config_load(&cfg, NULL, err, sizeof(err)) != 0)
		die("config", err);
	free(cfg.database);
	snprintf(path, sizeof(path), "%s/gazette.db", dir);
	cfg.database = strdup(path);
	free(cfg.secret_file);
	snprintf(path, sizeof(path), "%s/secret", dir);
	cfg.secret_file = strdup(path);
	if ((f = fopen(path, "w")) == NULL || chmod(path, 0600) != 0)
		die(path, strerror(errno));
	fputs("fuzz-secret-0123456789abcdefghijklmnopqrstuvwxyz\n", f);
	fclose(f);
	cfg.password_ops = 1;
	cfg.password_mem = 8192;

	if (db_open(&cfg, true, err, sizeof(err)) != 0)
		die("db_open", err);
	if (migrate_apply(sql, NULL, err, sizeof(err)) < 1)
		die("migrate", err);
	if (auth_init(&cfg, err, sizeof(err)) != 0)
		die("auth_init", err);
	session_init(&cfg);
	csrf_init(&cfg, auth_mac_hex);

	uid_full = start("alice", false, sess_full, secret_full);
	start("bob", true, sess_pending, secret_pending);
	exec_id("UPDATE users SET is_active = 0 WHERE id = ?1",
	    start("carol", false, sess_inactive, NULL));
	exec_id("UPDATE sessions SET expires_at = 1000 WHERE user_id = ?1",
	    start("dave", false, sess_expired, NULL));
	return 0;
}

/* Replace the $S $P $I $E $T $Q placeholders in [s, s+n) into a new string. */
static char *
expand(const char *s, size_t n)
{
	struct buf	 b;
	char		*out;

	buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		const char *sub = NULL;

		if (s[i] == '$' && i + 1 < n)
			switch (s[i + 1]) {
			case 'S': sub = sess_full; break;
			case 'P': sub = sess_pending; break;
			case 'I': sub = sess_inactive; break;
			case 'E': sub = sess_expired; break;
			case 'T': sub = secret_full; break;
			case 'Q': sub = secret_pending; break;
			default: break;
			}
		if (sub != NULL) {
			buf_puts(&b, sub);
			i++;
		} else if (s[i] != '\0')
			buf_putc(&b, s[i]);
	}
	out = strdup(b.ptr != NULL ? b.ptr : "");
	buf_free(&b);
	FUZZ_CHECK(out != NULL);
	return out;
}

/* Is url's origin (scheme://host[:port]) exactly o, case aside? */
static bool
origin_is(const char *url, const char *o)
{
	size_t	 n = strlen(o);

	return strncasecmp(url, o, n) == 0 &&
	    (url[n] == '\0' || url[n] == '/' || url[n] == '?' || url[n] == '#');
}

/* The cookie's value in r's response, or NULL. */
static const char *
set_cookie(struct req *r, const char *name, char *buf, size_t len)
{
	size_t		 n = strlen(name);
	const char	*v = NULL;

	for (size_t i = 0; i < r->nresp; i++)
		if (strcasecmp(r->resp_headers[i].name, "Set-Cookie") == 0 &&
		    strncmp(r->resp_headers[i].value, name, n) == 0 &&
		    r->resp_headers[i].value[n] == '=')
			v = r->resp_headers[i].value + n + 1;
	if (v == NULL)
		return NULL;
	snprintf(buf, len, "%.*s", (int)strcspn(v, ";"), v);
	return buf;
}

static void
check_request(struct req *r, const char *origin, const char *fetch,
    const char *referer, int flash)
{
	const char	*cookie = req_cookie(r, SESSION_COOKIE);
	const char	*reason = NULL, *given, *expected, *t, *fl;
	char		 mine[64], buf[256];
	bool		 ok;

	/* The session: only from an issued cookie. */
	session_load(r);
	FUZZ_CHECK(!req_failed(r));
	if (r->session != NULL) {
		FUZZ_CHECK(cookie != NULL);
		FUZZ_CHECK(strcmp(cookie, sess_full) == 0 ||
		    strcmp(cookie, sess_pending) == 0);
	}
	if (r->user != NULL) {
		FUZZ_CHECK(r->session != NULL);
		FUZZ_CHECK(strcmp(cookie, sess_full) == 0);
		FUZZ_CHECK(r->user->id == uid_full);
	}
	if (cookie != NULL && strcmp(cookie, sess_pending) == 0)
		FUZZ_CHECK(r->user == NULL);

	/* The CSRF check: the exact token, from this site. */
	ok = csrf_check(r, &reason);
	FUZZ_CHECK(ok || reason != NULL);
	if (ok) {
		if ((given = req_form(r, CSRF_FIELD)) == NULL)
			given = req_header(r, CSRF_HEADER);
		if (r->session != NULL)
			expected = strcmp(cookie, sess_full) == 0 ?
			    secret_full : secret_pending;
		else
			expected = req_cookie(r, CSRF_COOKIE);
		FUZZ_CHECK(given != NULL && expected != NULL);
		FUZZ_CHECK(strlen(given) == 43);
		FUZZ_CHECK(strcmp(given, expected) == 0);
		snprintf(mine, sizeof(mine), "%s://" HOST, r->is_https ?
		    "https" : "http");
		if (origin != NULL)
			FUZZ_CHECK(origin_is(origin, SITE) ||
			    origin_is(origin, mine));
		else if (fetch != NULL)
			FUZZ_CHECK(strcmp(fetch, "same-origin") == 0 ||
			    strcmp(fetch, "none") == 0);
		else if (r->is_https)
			FUZZ_CHECK(referer != NULL &&
			    (origin_is(referer, SITE) ||
			    origin_is(referer, mine)));
	}

	/* The token for forms. */
	t = csrf_token(r);
	FUZZ_CHECK(t != NULL && strlen(t) == 43);
	if (r->session != NULL)
		FUZZ_CHECK(strcmp(t, strcmp(cookie, sess_full) == 0 ?
		    secret_full : secret_pending) == 0);

	/* Flash messages: known codes only, at most four. */
	if (flash >= 0 && flash < FLASH__MAX) {
		size_t	 n = 0;

		session_flash(r, (enum flash)flash);
		fl = set_cookie(r, "gazette_flash", buf, sizeof(buf));
		FUZZ_CHECK(fl != NULL && *fl != '\0');
		FUZZ_CHECK(strspn(fl, "abcdefghijklmnopqrstuvwxyz0123456789.") ==
		    strlen(fl));
		FUZZ_CHECK(fl[0] != '.' && fl[strlen(fl) - 1] != '.');
		FUZZ_CHECK(strstr(fl, "..") == NULL);
		for (const char *p = fl; *p != '\0'; p++)
			n += *p == '.';
		FUZZ_CHECK(n < 4);
	}
	session_export(r);
	FUZZ_CHECK(!req_failed(r));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*f[NFIELDS] = { NULL };
	char		*field[NFIELDS] = { NULL };
	char		*env[16];
	const char	*p = (const char *)data, *end = p + size;
	struct req	 r;
	size_t		 nf = 0, ne = 0;
	int		 flash = -1;
	bool		 https = false;

	while (nf < NFIELDS && p <= end) {
		const char	*nl = memchr(p, '\n', (size_t)(end - p));
		size_t		 n = nl != NULL ? (size_t)(nl - p) :
		    (size_t)(end - p);

		field[nf] = expand(p, n);
		f[nf] = field[nf];
		nf++;
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	if (f[6] != NULL) {
		https = strchr(f[6], 's') != NULL;
		for (const char *q = f[6]; *q != '\0'; q++)
			if (*q >= '0' && *q <= '9')
				flash = *q - '0';
	}

	req_init(&r, &fuzz_limits);
	env[ne++] = (char *)"REQUEST_METHOD=POST";
	env[ne++] = (char *)"REQUEST_URI=/accounts/login/";
	env[ne++] = (char *)"CONTENT_TYPE=application/x-www-form-urlencoded";
	env[ne++] = (char *)"HTTP_HOST=" HOST;
	env[ne++] = (char *)"REMOTE_ADDR=192.0.2.1";
	if (https)
		env[ne++] = (char *)"HTTPS=on";
#define ENV(i, name) do {						\
	if (f[i] != NULL && (i != 0 || *f[i] != '\0'))			\
		env[ne++] = arena_printf(r.arena, name "=%s", f[i]);	\
} while (0)
	ENV(0, "HTTP_COOKIE");
	ENV(2, "HTTP_ORIGIN");
	ENV(3, "HTTP_SEC_FETCH_SITE");
	ENV(4, "HTTP_X_CSRF_TOKEN");
	ENV(5, "HTTP_REFERER");
#undef ENV
	env[ne] = NULL;

	if (http_parse(&r, env, f[1] != NULL ? f[1] : NULL,
	    f[1] != NULL ? strlen(f[1]) : 0) == 0)
		check_request(&r, req_header(&r, "Origin"),
		    req_header(&r, "Sec-Fetch-Site"), req_header(&r, "Referer"),
		    flash);
	render_reset(&r);
	req_free(&r);
	for (size_t i = 0; i < nf; i++)
		free(field[i]);
	return 0;
}
