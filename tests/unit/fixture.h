/*
 * fixture: what the unit suites share.  One suite per core module, each
 * in tests/unit/test_<module>.c, all run by main.c in one binary.  The
 * helpers here build requests from FastCGI-style environments, temporary
 * directories and files, and a freshly migrated database.  The binary runs
 * from tests/unit, so the repository's sql/, templates/ and static/ are
 * at ../../.
 */
#ifndef GAZETTE_TEST_FIXTURE_H
#define GAZETTE_TEST_FIXTURE_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/config.h"
#include "core/http.h"
#include "core/util.h"		/* NELEM */

#define FIXTURE_ROOT	"../.."

/* The suites, one per module (test_<module>.c). */
Suite	*arena_suite(void);
Suite	*buf_suite(void);
Suite	*config_suite(void);
Suite	*db_suite(void);
Suite	*http_suite(void);
Suite	*log_suite(void);
Suite	*migrate_suite(void);
Suite	*render_suite(void);
Suite	*router_suite(void);
Suite	*util_suite(void);

/*
 * Small limits, so every limit can be hit with a short literal:
 * body 64, URI 256, 8 parameters, keys 16, values 32, headers 256,
 * cookie 64.
 */
extern const struct http_limits fixture_limits;

/*
 * Parse a request on r from the environment strings that follow (NAME=value,
 * terminated by NULL) and body (NULL for none).  The strings are copied
 * into r's arena, so they live as long as the request.  Returns what
 * http_parse() returns.
 */
int	 fixture_http(struct req *r, const char *body, ...)
	    __attribute__((sentinel));

/* GET uri (with its query) and nothing else. */
int	 fixture_get(struct req *r, const char *uri);

/*
 * main() brackets the run: fixture_begin() makes the run's base
 * directory under $TMPDIR (or /tmp), fixture_end() removes it with
 * whatever failed tests left in it.
 */
void	 fixture_begin(void);
void	 fixture_end(void);

/*
 * A new empty directory under the run's base, malloc'ed; remove it and
 * everything in it, and free the name, with fixture_rmtree().
 */
char	*fixture_tmpdir(void);
void	 fixture_rmtree(char *dir);

/* Write text to dir/name (created or truncated); remove dir/name. */
void	 fixture_write(const char *dir, const char *name, const char *text);
void	 fixture_unlink(const char *dir, const char *name);

/* Does the NUL-terminated haystack contain needle? */
bool	 fixture_has(const char *haystack, const char *needle);

/*
 * A database in a temp directory with every migration of ../../sql
 * applied, opened with db_open().  fixture_db_close() closes it and
 * removes the directory; it is safe to call twice.
 */
struct fixture_db {
	char		*dir;
	struct config	 cfg;
};

void	 fixture_db_open(struct fixture_db *f);
void	 fixture_db_close(struct fixture_db *f);

/*
 * The fixture of a suite whose cases run on one request over a fresh
 * database: fixture_db_open(f), or fixture_accounts_open(f) if
 * accounts, then req_init(r, limits).  fixture_req_close() undoes both:
 * render_reset(r), req_free(r), fixture_db_close(f).
 */
void	 fixture_req_open(struct fixture_db *f, struct req *r, bool accounts,
	    const struct http_limits *limits);
void	 fixture_req_close(struct fixture_db *f, struct req *r);

/*
 * A new request (fixture_wide_limits) from a pool of FIXTURE_REQS, for
 * cases that need several (a POST, then a GET with the cookie it set).
 * Fails the test when the pool is spent.  fixture_reqs_free() frees
 * every one handed out (render_reset, req_free): call it from the
 * teardown.
 */
#define FIXTURE_REQS	24
struct req *fixture_req(void);
void	 fixture_reqs_free(void);

/*
 * Insert a published article (published a long time ago) through r.
 * Returns its id; fails the test if the insert fails.
 */
long long fixture_article(struct req *r, const char *slug, const char *title,
	    const char *body_html);

/*
 * Limits wide enough for real cookies, tokens and forms (43-character
 * session ids and CSRF tokens): body 4096, URI 1024, 32 parameters,
 * keys 64, values 1024, headers 4096, cookie 1024.
 */
extern const struct http_limits fixture_wide_limits;

/*
 * Parse a request on r: method, uri, body (NULL for none), then pairs of
 * a header name and its value, terminated by a NULL name.  A name like
 * "Origin" or "X-CSRF-Token" becomes HTTP_ORIGIN, HTTP_X_CSRF_TOKEN
 * (Content-Type: CONTENT_TYPE); an upper-case name without '-' (HTTPS,
 * REMOTE_ADDR) is a FastCGI parameter taken as is.  A pair whose value
 * is NULL is left out, so tables of optional headers read plainly.
 * Defaults for what is not named at all: REMOTE_ADDR=192.0.2.1, and for
 * a body, Content-Type application/x-www-form-urlencoded.  The strings
 * are copied into r's arena.  Returns what http_parse() returns.
 */
int	 fixture_request(struct req *r, const char *method, const char *uri,
	    const char *body, ...) __attribute__((sentinel));

/*
 * The value of the last Set-Cookie header for name in r's response (in
 * r's arena), or NULL if there is none; *header, if not NULL, gets that
 * header's whole value with its attributes.
 */
const char *fixture_set_cookie(struct req *r, const char *name,
	    const char **header);

/* How many Set-Cookie headers for name r's response holds. */
int	 fixture_count_set_cookie(const struct req *r, const char *name);

/*
 * fixture_db_open() plus what the account modules need: a 40-byte
 * secret in f->dir/secret (mode 0600, f->cfg.secret_file), argon2id at
 * libsodium's minimum limits (fast, also under valgrind), then
 * auth_init(), session_init() and csrf_init() on f->cfg, whose site_url
 * stays the default http://127.0.0.1:8080.
 */
void	 fixture_accounts_open(struct fixture_db *f);

/* The password of every fixture_user(). */
#define FIXTURE_PASSWORD	"correct horse battery staple"

/*
 * Create an active user through auth_user_create() with the email
 * <username>@example.org, the display name "<username> Test" and
 * FIXTURE_PASSWORD, in the seeded group named group (NULL: none).
 * Returns its id; fails the test if anything fails.
 */
long long fixture_user(struct req *r, const char *username,
	    const char *group);

/*
 * Run one statement on the fixture database with ?1 .. ?n bound to the
 * n long long values that follow; returns the first column of the first
 * row, or 0 if there is none.  Fails the test on an error.  For setting
 * up and inspecting rows the code under test does not expose.
 */
long long fixture_sql(const char *sql, int n, ...);

#endif
