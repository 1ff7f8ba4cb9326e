/*
 * harness: what every integration scenario needs.  A scenario starts a
 * whole site (a temp dir with gazette.ini, a migrated and seeded
 * database, `gazette serve` and a private nginx on a free loopback port),
 * talks HTTP to it through nginx, checks what comes back, and stops it.
 * Children are started by fork+exec and only ever signalled by the PIDs
 * kept here; an atexit handler and PR_SET_PDEATHSIG make sure nothing
 * outlives the test binary, whichever way it ends.
 *
 * Environment: GAZETTE_BIN (the gazette binary, absolute), GAZETTE_ROOT
 * (the repository: templates/, static/, sql/, nginx/dev.conf.in),
 * NGINX (optional, default nginx from PATH, else /usr/sbin/nginx),
 * HARNESS_VERBOSE=1 prints a line for every passing check too,
 * HARNESS_KEEP=1 keeps the temp dirs for a look afterwards.
 *
 * A scenario reads like this:
 *
 *	static void
 *	test_home_page_is_200(struct site *s)
 *	{
 *		struct resp	 r = { 0 };
 *
 *		http_get(s, "/", &r);
 *		CHECK_STATUS(&r, 200, "GET", "/");
 *		resp_free(&r);
 *	}
 *
 *	int
 *	main(void)
 *	{
 *		struct site		 s;
 *		struct site_opts	 o = { .workers = 2, .articles = 45 };
 *
 *		harness_init("001_pages");
 *		if (site_start(&s, &o) == 0) {
 *			RUN(test_home_page_is_200, &s);
 *			CHECK_INT(site_stop(&s), 0, "gazette's exit status");
 *		}
 *		return harness_finish();
 *	}
 */
#ifndef GAZETTE_HARNESS_H
#define GAZETTE_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* ---- the run ------------------------------------------------------------ */

/*
 * Start a run named name (the closing line says it): read the
 * environment, init libcurl, install the cleanup.  Exits 1 when
 * GAZETTE_BIN or GAZETTE_ROOT is missing.  Call first, from main().
 */
void	 harness_init(const char *name);

/*
 * Stop every site still running, print "NAME: N passed, M failed" and
 * return the exit status for main(): 0 only if nothing failed and at
 * least one check ran.
 */
int	 harness_finish(void);

/* GAZETTE_BIN and GAZETTE_ROOT, valid for the whole run. */
const char *harness_bin(void);
const char *harness_root(void);

/* ---- checks -------------------------------------------------------------- */

/*
 * Each check counts one pass or one failure.  A failure prints
 * "FAIL FILE:LINE: MESSAGE" (FILE without its directory) and marks the
 * current RUN() case failed; the test goes on.  The REQUIRE variants
 * also return from the calling void function when they fail, for the
 * checks the rest of a case depends on.  All are thread-safe.
 * Every macro returns (as an expression) whether the check passed.
 */
#define CHECK(cond, ...) \
	harness_check(__FILE__, __LINE__, (cond) ? 1 : 0, __VA_ARGS__)
#define CHECK_INT(got, want, ...) \
	harness_check_int(__FILE__, __LINE__, (long long)(got), \
	    (long long)(want), __VA_ARGS__)
#define CHECK_STR(got, want, ...) \
	harness_check_str(__FILE__, __LINE__, (got), (want), __VA_ARGS__)
/* hay contains needle (hay may be NULL: that fails). */
#define CHECK_CONTAINS(hay, needle, ...) \
	harness_check_contains(__FILE__, __LINE__, (hay), (needle), true, \
	    __VA_ARGS__)
#define CHECK_NOT_CONTAINS(hay, needle, ...) \
	harness_check_contains(__FILE__, __LINE__, (hay), (needle), false, \
	    __VA_ARGS__)
/* "expected 404, got 200 for GET /x", plus the transport error or the
 * start of the body on failure. */
#define CHECK_STATUS(resp, want, method, path) \
	harness_check_status(__FILE__, __LINE__, (resp), (want), (method), \
	    (path))

#define REQUIRE(cond, ...) \
	do { if (!CHECK(cond, __VA_ARGS__)) return; } while (0)
#define REQUIRE_STATUS(resp, want, method, path) \
	do { if (!CHECK_STATUS(resp, want, method, path)) return; } while (0)

/*
 * Run one named case: fn(s), then "ok   fn" or "FAIL fn" with the
 * number of its failed checks.  Cases should be named for the behaviour
 * they check (test_unknown_slug_is_404).
 */
#define RUN(fn, site)	harness_run(#fn, (fn), (site))

struct site;
void	 harness_run(const char *name, void (*fn)(struct site *),
	    struct site *s);
bool	 harness_check(const char *file, int line, int ok, const char *fmt,
	    ...) __attribute__((format(printf, 4, 5)));
bool	 harness_check_int(const char *file, int line, long long got,
	    long long want, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
bool	 harness_check_str(const char *file, int line, const char *got,
	    const char *want, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
bool	 harness_check_contains(const char *file, int line, const char *hay,
	    const char *needle, bool want, const char *fmt, ...)
	    __attribute__((format(printf, 6, 7)));
struct resp;
bool	 harness_check_status(const char *file, int line,
	    const struct resp *r, int want, const char *method,
	    const char *path);

/* Print a note (indented, prefixed "#") that is not a check. */
void	 harness_note(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));

/* ---- a site -------------------------------------------------------------- */

/* What site_start() sets up.  Zero is a sensible default for every field. */
struct site_opts {
	int		 workers;	/* [server] workers; 0: 2 */
	int		 articles;	/* `seed --articles N`; 0: no seed */
	int		 max_requests;	/* 0: never recycle (the default) */
	int		 shutdown_timeout; /* seconds; 0: gazette's default */
	const char	*sql_dir;	/* [paths] sql; NULL: ROOT/sql */
	const char	*extra_ini;	/* appended to gazette.ini as is, e.g.
					 * "[site]\nsite_name = X\n" */
	bool		 no_serve;	/* config, migrate, seed; no
					 * processes */
	int		 inherit;	/* SITE_OWN_SOCKET: gazette binds;
					 * SITE_FD0: the harness binds and
					 * passes it as fd 0 (spawn-fcgi);
					 * SITE_SYSTEMD: as fd 3 with
					 * LISTEN_FDS/LISTEN_PID (systemd) */
};

enum { SITE_OWN_SOCKET, SITE_FD0, SITE_SYSTEMD };

struct site {
	char	 dir[256];		/* the temp dir, removed by site_stop */
	char	 ini[300];		/* DIR/gazette.ini */
	char	 socket[300];		/* DIR/gazette.sock */
	char	 database[300];		/* DIR/gazette.db */
	char	 log[300];		/* DIR/gazette.log: serve's stderr */
	char	 nginx_log[300];	/* DIR/log/nginx-error.log */
	int	 port;			/* nginx on 127.0.0.1:port */
	pid_t	 gazette_pid;		/* master; 0 when not running */
	pid_t	 nginx_pid;		/* nginx master; 0 when not running */
	int	 gazette_status;	/* site_wait_gazette()'s; -1: unknown */
	bool	 active;		/* between site_start and site_stop */
};

/*
 * Set up and start a site as described by o (NULL: all defaults): temp
 * dir, gazette.ini, migrate, seed, then (unless o->no_serve) `gazette
 * serve` with stderr to s->log and nginx, and wait until GET /healthz
 * answers 200 (10 s at most).  Returns 0, or -1 after counting a failed
 * check and printing why (with the tails of both logs); everything
 * started is stopped again then.  *s must stay valid until site_stop().
 */
int	 site_start(struct site *s, const struct site_opts *o);

/*
 * Stop the site: SIGQUIT to nginx and SIGTERM to gazette (by PID), wait
 * up to 15 s each, then SIGKILL.  Removes the temp dir (unless
 * HARNESS_KEEP=1).  Returns gazette's exit status as site_wait_gazette()
 * reports it (0 after a clean shutdown), or 0 when it was not serving.
 * Safe to call twice.
 */
int	 site_stop(struct site *s);

/* Send sig to the gazette master.  Returns kill(2)'s result. */
int	 site_signal(struct site *s, int sig);

/*
 * Wait up to timeout_ms for the gazette master to exit.  Returns its
 * exit code, 128 + the signal if a signal ended it, or -1 if it is
 * still running after the timeout.  Remembered in s->gazette_status.
 */
int	 site_wait_gazette(struct site *s, int timeout_ms);

/*
 * The PIDs of the master's live (not zombie) children, the workers,
 * from /proc/MASTER/task/MASTER/children, into pids (at most max),
 * sorted.  Returns how many there are, or -1 if the master is gone.
 */
int	 site_workers(const struct site *s, pid_t *pids, int max);

/*
 * Poll until the master has exactly n workers, none of which is in
 * not[0..nnot) (may be NULL), for at most timeout_ms.  Returns true if
 * that happened; the PIDs then are in pids (room for n).
 */
bool	 site_wait_workers(const struct site *s, int n, const pid_t *not,
	    int nnot, pid_t *pids, int timeout_ms);

/*
 * The number of lines in s->log that contain a, and b too unless b is
 * NULL.  Returns -1 if the log cannot be read.
 */
int	 site_log_count(const struct site *s, const char *a, const char *b);

/* Check that s->log has no sanitizer report (ASan, UBSan, LSan). */
#define CHECK_LOG_CLEAN(s)	harness_check_log_clean(__FILE__, __LINE__, (s))
bool	 harness_check_log_clean(const char *file, int line,
	    const struct site *s);

/*
 * The case most scenarios end with: no "worker died" line in s->log, and
 * no sanitizer report in it (CHECK_LOG_CLEAN).  Two checks.  A case of
 * its own, RUN(site_check_log, &s), or the end of one.
 */
void	 site_check_log(struct site *s);

/* Print the last lines of gazette.log and nginx-error.log. */
void	 site_dump_logs(const struct site *s);

/* ---- commands ------------------------------------------------------------ */

struct cmd_result {
	int	 status;	/* exit code, 128 + signal, or -1 if it was
				 * killed after the timeout */
	char	*out;		/* stdout, NUL-terminated, never NULL */
	char	*err;		/* stderr, NUL-terminated, never NULL */
};

/*
 * Run argv (argv[0] a path) to completion with its output captured,
 * killing it after timeout_ms.  Returns r->status.  Free with
 * cmd_free().
 */
int	 cmd_run(char *const argv[], int timeout_ms, struct cmd_result *r);

/*
 * cmd_run() with input (NUL-terminated, under 64 KiB; NULL: /dev/null)
 * on the command's standard input, then end of file.  Like cmd_run(),
 * from one thread at a time.
 */
int	 cmd_run_input(char *const argv[], const char *input, int timeout_ms,
	    struct cmd_result *r);

/*
 * Start a helper process (a test's own server) in the background: argv
 * (argv[0] a path) with stdin from /dev/null and stdout and stderr
 * appended to the file log (NULL: /dev/null).  It gets SIGTERM if the
 * test binary dies.  Returns its PID, or -1.  Stop it with proc_stop().
 */
pid_t	 proc_start(char *const argv[], const char *log);

/*
 * SIGTERM to pid (from proc_start), wait up to 15 s, then SIGKILL; it
 * is reaped.  Returns its exit code, 128 + the signal that ended it, or
 * -1 (it had to be killed, or pid <= 0).
 */
int	 proc_stop(pid_t pid);

/*
 * Wait up to timeout_ms for the file at path to hold a number > 0 (a
 * port a helper writes once it listens); the number, or 0 on timeout.
 */
long	 file_wait_number(const char *path, int timeout_ms);

/*
 * Run `GAZETTE_BIN --config s->ini ARGS...` (NULL-terminated), at most
 * 20 s.  Returns the exit status.
 */
int	 site_gazette(const struct site *s, struct cmd_result *r, ...)
	    __attribute__((sentinel));

/* site_gazette() with input on standard input (see cmd_run_input()):
 * site_gazette_input(s, "pw\n", &r, "changepassword", "--password-stdin",
 * "alice", NULL). */
int	 site_gazette_input(const struct site *s, const char *input,
	    struct cmd_result *r, ...) __attribute__((sentinel));
void	 cmd_free(struct cmd_result *r);

/*
 * What `sqlite3 s->database query` prints (one value, say), without its
 * trailing line breaks; malloc'd, never NULL ("" if it printed nothing).
 * Waits up to 5 s for a lock the site holds.  When sqlite3 fails, its
 * stderr is printed as a note.  Counts no check.  For what no page
 * shows: site_sql(s, "SELECT status FROM comments WHERE id = 7").
 */
char	*site_sql(const struct site *s, const char *query);

/* ---- HTTP ---------------------------------------------------------------- */

/* One response.  Start from { 0 }; reusable; free with resp_free(). */
struct resp {
	int	 status;	/* 0 or -1 until a status line was read */
	char	 status_line[128];	/* "HTTP/1.1 200 OK", no CRLF */
	char	**hname;	/* headers in order, as sent */
	char	**hvalue;
	size_t	 nheaders;
	char	*body;		/* NUL-terminated (may also contain NULs) */
	size_t	 len;
	char	 error[256];	/* transport error, "" if none */
};

/*
 * Send one request through nginx: method, path (sent as written, no
 * normalisation), extra headers ("Name: value", NULL-terminated array,
 * or NULL) and a body (NULL for none).  HEAD reads no body.  Redirects
 * are not followed; a request times out after 15 s.  Returns the status,
 * or -1 with resp->error set.  Thread-safe.
 */
int	 http_request(const struct site *s, const char *method,
	    const char *path, const char *const headers[], const char *body,
	    size_t len, struct resp *resp);

/* http_request() from the local address source ("127.0.0.5"; NULL or
 * "": the default), as another visitor would come. */
int	 http_request_from(const struct site *s, const char *source,
	    const char *method, const char *path, const char *const headers[],
	    const char *body, size_t len, struct resp *resp);

/* GET path. */
int	 http_get(const struct site *s, const char *path, struct resp *resp);

/* GET path with If-None-Match: etag, as a browser revalidates its copy.
 * Returns the status (304 while etag is current). */
int	 http_get_if_none_match(const struct site *s, const char *path,
	    const char *etag, struct resp *resp);

/*
 * http_get() path into resp, then CHECK_STATUS(resp, want, "GET", path).
 * Returns whether the status was want; the body is left in resp.
 * if (CHECK_GET(s, "/about/", 200, &r)) CHECK_CONTAINS(r.body, ...).
 */
#define CHECK_GET(s, path, want, resp) \
	harness_check_get(__FILE__, __LINE__, (s), (path), (want), (resp))
bool	 harness_check_get(const char *file, int line, const struct site *s,
	    const char *path, int want, struct resp *resp);

/*
 * Send raw bytes to nginx on a new TCP connection, read until the peer
 * closes (send "Connection: close"), and parse the reply into resp
 * (the body is everything after the header block, as received).  For
 * requests libcurl will not send as written, and to see exactly what
 * comes back.  Returns the status, or -1 with resp->error set.
 */
int	 http_raw(const struct site *s, const char *bytes, size_t len,
	    struct resp *resp);

/* The first value of header name (case-insensitive), or NULL. */
const char *resp_header(const struct resp *resp, const char *name);

/* How many times header name occurs. */
int	 resp_header_count(const struct resp *resp, const char *name);

/* How many times needle occurs in the body. */
int	 resp_count(const struct resp *resp, const char *needle);

void	 resp_free(struct resp *resp);

/* ---- browsers ------------------------------------------------------------ */

/*
 * A browser is one visitor: a cookie jar (what the site set, sent back on
 * every request) and, if asked for, a loopback source address of its own
 * (127.0.0.2, 127.0.0.3, ... one per browser in the run), so that limits
 * per address (nginx's limit_req, the site's throttles) count each
 * browser apart.  Cookies are kept by name only (one site, Path=/); a
 * Set-Cookie with Max-Age <= 0 deletes; Expires, Domain and Secure are
 * not looked at.  Not thread-safe: one browser per thread.  Free with
 * browser_free().
 */
struct browser {
	const struct site *site;
	char		 addr[32];	/* source address; "": the default */
	char		**cname;	/* the jar */
	char		**cvalue;
	size_t		 ncookies;
};

void	 browser_init(struct browser *c, const struct site *s, bool own_addr);
void	 browser_free(struct browser *c);

/* The value of cookie name in the jar, or NULL. */
const char *browser_cookie(const struct browser *c, const char *name);

/* Put name=value in the jar by hand (value NULL: take it out). */
void	 browser_set_cookie(struct browser *c, const char *name,
	    const char *value);

/* Apply the Set-Cookie headers of r to the jar. */
void	 browser_take_cookies(struct browser *c, const struct resp *r);

/*
 * http_request() with the jar's cookies in a Cookie header (before
 * headers, which should not have one), from the browser's address; the
 * response's cookies go into the jar.  Redirects are not followed.
 */
int	 browser_request(struct browser *c, const char *method,
	    const char *path, const char *const headers[], const char *body,
	    size_t len, struct resp *resp);
int	 browser_get(struct browser *c, const char *path, struct resp *resp);

/* POST form (application/x-www-form-urlencoded, see form_encode()). */
int	 browser_post(struct browser *c, const char *path, const char *form,
	    struct resp *resp);

/*
 * GET path and return the value of its <input name="NAME">, as
 * html_input_value(); NULL unless the page answered 200 and has one.
 * For a form's hidden fields: browser_form_value(c, "/x/", "csrf_token").
 */
char	*browser_form_value(struct browser *c, const char *path,
	    const char *name);

/*
 * POST path a form as the site's forms send it: csrf_token=TOKEN first
 * (token NULL: the field is sent empty), then the name, value pairs
 * after resp as form_encode() takes them (NULL-terminated after a name;
 * a NULL value leaves its pair out).  Returns the status, as
 * browser_post().
 * browser_post_token(c, "/x/", tok, &r, "email", e, (char *)NULL).
 */
int	 browser_post_token(struct browser *c, const char *path,
	    const char *token, struct resp *resp, ...)
	    __attribute__((sentinel));

/*
 * Fill in and send a form: GET token_from (NULL: path) for its
 * csrf_token (as browser_form_value(); none there: sent empty), then
 * browser_post_token() to path with the pairs after resp.  Two requests
 * in all.  Returns the status of the POST.
 * browser_post_form(c, "/accounts/password/", NULL, &r, "old_password",
 * old, "new_password1", p, "new_password2", p, (char *)NULL).
 */
int	 browser_post_form(struct browser *c, const char *path,
	    const char *token_from, struct resp *resp, ...)
	    __attribute__((sentinel));

/*
 * POST path as a browser sends a form with enctype="multipart/form-data":
 * csrf_token=TOKEN first (token NULL: sent empty), then the text fields
 * from the name, value pairs after resp (NULL-terminated after a name; a
 * NULL value leaves its pair out), then the file: field, its filename
 * and Content-Type as given, and len bytes of data.  Returns the status,
 * as browser_request().
 * browser_post_file(c, "/admin/media/", tok, "file", "a.png",
 * "image/png", png, sizeof(png), &r, "alt", "A dot", (char *)NULL).
 */
int	 browser_post_file(struct browser *c, const char *path,
	    const char *token, const char *field, const char *filename,
	    const char *content_type, const void *data, size_t len,
	    struct resp *resp, ...) __attribute__((sentinel));

/* ---- accounts ------------------------------------------------------------ */

/*
 * Make a user with `gazette createsuperuser --username USERNAME --email
 * EMAIL --password-stdin` (email NULL: USERNAME@example.com), password
 * on its standard input.  Returns the command's exit status (0: made);
 * when it is not 0 its stderr is printed as a note.  Counts no check:
 * CHECK_INT(site_create_user(s, "u", NULL, PW), 0, "createsuperuser u").
 */
int	 site_create_user(const struct site *s, const char *username,
	    const char *email, const char *password);

/*
 * Sign up as a visitor does: GET /accounts/signup/ for the token, POST
 * username, email, password1, password2.  An account made logs the
 * browser in.  Returns the status of the POST: 303 when the account was
 * made, 200 when refused on the form.
 */
int	 browser_signup(struct browser *c, const char *username,
	    const char *email, const char *password1, const char *password2,
	    struct resp *resp);

/*
 * Log in as a visitor does: GET /accounts/login/ for the token, POST
 * username (login: a username or an email), password, remember=1 if
 * remember, and next unless it is NULL (as typed, the login form's own
 * next is not looked at).  Returns the status of the POST: 303 when
 * logged in (or sent on to the code step), 200 when refused on the form.
 */
int	 browser_login(struct browser *c, const char *login,
	    const char *password, const char *next, bool remember,
	    struct resp *resp);

/*
 * Log out as the header's button does: GET / for the page's csrf_token,
 * POST it to /accounts/logout/.  Returns the status of the POST (303).
 */
int	 browser_logout(struct browser *c, struct resp *resp);

/* Does the browser's session work: does GET /accounts/profile/ answer
 * 200 (and not the redirect to the login page)? */
bool	 browser_logged_in(struct browser *c);

/*
 * Does the session id session (a gazette_session value; NULL: none)
 * work on its own: browser_logged_in() for a new browser (the default
 * address) with only that cookie.  For checking an old id is dead.
 */
bool	 site_session_works(const struct site *s, const char *session);

/*
 * browser_init(c, s, true), then browser_signup() as username with the
 * email USERNAME@example.com and password twice.  One check: that the
 * signup answered 303 (the account made, the browser logged in).
 * Returns whether it did; free c with browser_free() either way.
 */
bool	 browser_init_signed_up(struct browser *c, const struct site *s,
	    const char *username, const char *password);

/*
 * browser_init(c, s, true), then browser_login() as login (not
 * remembered, no next).  One check: that the login answered 303.
 * Returns whether it did; free c with browser_free() either way.
 */
bool	 browser_init_logged_in(struct browser *c, const struct site *s,
	    const char *login, const char *password);

/* ---- the test-only endpoints --------------------------------------------- */

/*
 * POST path a form of the name, value pairs from name on, as
 * form_encode() takes them (NULL-terminated after a name; a NULL value
 * leaves its pair out), with no cookies, from the default address.
 * Returns the status, as http_request().  For the test-only endpoints of
 * a GAZETTE_TEST build, which take no CSRF token:
 * site_post_form(s, "/__test/articles/", &r, "status", "draft", NULL).
 */
int	 site_post_form(const struct site *s, const char *path,
	    struct resp *resp, const char *name, ...)
	    __attribute__((sentinel));

/*
 * Save an article through POST /__test/articles/ with the name, value
 * pairs from name on (as site_post_form(): title, slug, body, excerpt,
 * status, publish_at, tags, author, kind, comments_open; id to update
 * one).  One check: that the site answered 200 with the id ("<id>\n").
 * Returns the id, or 0 after that check failed (its message has the
 * form and the answer).
 */
long long site_save_article(const struct site *s, const char *name, ...)
	    __attribute__((sentinel));

/*
 * Set site settings through POST /__test/settings/ from the key, value
 * pairs from name on (as site_post_form()).  One check: that the site
 * answered 200.
 * site_settings(s, "comment_moderation", "none", (char *)NULL).
 */
void	 site_settings(const struct site *s, const char *name, ...)
	    __attribute__((sentinel));

/* ---- cookies, forms, markup ---------------------------------------------- */

/* The (last) Set-Cookie header of r that sets name, or NULL. */
const char *resp_set_cookie(const struct resp *r, const char *name);

/* How many Set-Cookie headers r has for name (NULL: for any name). */
int	 resp_set_cookie_count(const struct resp *r, const char *name);

/* The value in a Set-Cookie header value ("n=VALUE; ..."), malloc'd, or
 * NULL (set_cookie NULL or without '='). */
char	*cookie_value(const char *set_cookie);

/*
 * Attribute name (case-insensitive) of a Set-Cookie header value:
 * malloc'd, "" for a flag such as HttpOnly, or NULL if absent.
 * cookie_attr(v, "Max-Age") gives "1209600".
 */
char	*cookie_attr(const char *set_cookie, const char *name);

/*
 * Attribute attr of the Set-Cookie header value set_cookie (as
 * cookie_attr()) is want; want NULL: it is there at all (a flag such as
 * HttpOnly).  One check; a NULL set_cookie fails it.
 * CHECK_COOKIE_ATTR(resp_set_cookie(&r, "n"), "SameSite", "Lax").
 */
#define CHECK_COOKIE_ATTR(set_cookie, attr, want) \
	harness_check_cookie_attr(__FILE__, __LINE__, (set_cookie), (attr), \
	    (want))
bool	 harness_check_cookie_attr(const char *file, int line,
	    const char *set_cookie, const char *attr, const char *want);

/* s percent-encoded: all but A-Z a-z 0-9 - _ . ~ as %XX.  malloc'd. */
char	*url_encode(const char *s);

/*
 * An application/x-www-form-urlencoded body from name, value pairs,
 * NULL-terminated after a name; a pair whose value is NULL is left out.
 * malloc'd.  form_encode("username", "a", "password", "b c", NULL) gives
 * "username=a&password=b%20c".
 */
char	*form_encode(const char *name, ...) __attribute__((sentinel));

/*
 * The value attribute of the first <input ...> in html with
 * name="NAME" (quoted as the site's templates write it), with &amp;
 * &lt; &gt; &quot; &#39; decoded, malloc'd; "" if the input has no
 * value; NULL if there is no such input.
 */
char	*html_input_value(const char *html, const char *name);

/* ---- files --------------------------------------------------------------- */

/* Files in dir whose names end in suffix, dot files not counted; 0 if
 * dir does not exist, -1 if it cannot be read. */
int	 dir_count(const char *dir, const char *suffix);

/*
 * The path (malloc'd) of the file in dir ending in suffix whose name
 * sorts last, or NULL.  The outbox names its .eml files by time, so this
 * is the newest mail: dir_last(outbox, ".eml").
 */
char	*dir_last(const char *dir, const char *suffix);

/*
 * Mail goes out by the job queue: run `gazette worker --once` (delivers
 * every due "mail.send" job into the outbox), then the number of .eml
 * files in s->dir/outbox, as dir_count().
 */
int	 site_outbox_count(const struct site *s);

/* Quoted-printable decoded (soft line breaks joined, =XX), malloc'd. */
char	*qp_decode(const char *s);

/*
 * The body of the mail in the file at path: everything after the header
 * block, quoted-printable decoded if the mail (or a part of it) says it
 * uses it; a multipart mail's boundaries and part headers are left in.
 * malloc'd, or NULL if the file cannot be read.
 */
char	*mail_body_text(const char *path);

/* ---- small things -------------------------------------------------------- */

/* Sleep ms milliseconds. */
void	 msleep(int ms);

/* Monotonic milliseconds. */
long long now_ms(void);

/*
 * Every href="PREFIX..." value in html (in order, deduplicated), as
 * malloc'd strings in *out (free each, then the array).  Returns how
 * many.  Enough for the site's own markup, not a general HTML parser.
 */
size_t	 html_hrefs(const char *html, const char *prefix, char ***out);

/* Free what html_hrefs() returned. */
void	 html_hrefs_free(char **v, size_t n);

/*
 * The text between the first occurrence of start and the next end after
 * it, malloc'd, or NULL if either is missing.
 */
char	*str_between(const char *s, const char *start, const char *end);

/* A malloc'd formatted string (aborts on OOM). */
char	*str_printf(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));

/*
 * Make a new temp dir under /tmp into out (size n), removed again by
 * harness_finish() (kept with HARNESS_KEEP=1).  Returns 0 or -1.
 */
int	 harness_tempdir(char *out, size_t n);

/*
 * The whole file at path, malloc'd and NUL-terminated (it may contain
 * NULs too: *len, if not NULL, gets its length), or NULL with errno.
 */
char	*file_read(const char *path, size_t *len);

/* Copy the file from to the file to (created or truncated). */
int	 file_copy(const char *from, const char *to);

/*
 * Copy the migrations, ROOT/sql/ *.sql, into the directory dst (for a
 * site whose [paths] sql a test changes).  The number copied, or -1.
 */
int	 harness_copy_sql(const char *dst);

/* Write len bytes of data to path (created or truncated), or append. */
int	 file_write(const char *path, const char *data, size_t len,
	    bool append);

#endif
