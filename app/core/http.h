/*
 * http: the request and the response.  A request arrives as FastCGI
 * parameters plus a body; http validates everything (percent-encoding,
 * UTF-8, NUL bytes, sizes and counts against the configured limits)
 * before any handler runs, and the rest of the code sees only this API.
 * The response is buffered (status, headers, body) and written once by
 * http_finish(), so a late failure can still become a clean error page.
 * All request memory lives in r->arena and dies with req_reset().
 */
#ifndef GAZETTE_HTTP_H
#define GAZETTE_HTTP_H

/* The Content-Security-Policy of every response (r->csp may replace it). */
#define HTTP_CSP	"default-src 'self'; frame-ancestors 'none'; " \
			"base-uri 'self'; form-action 'self'"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"

struct route;
struct hdf_s;
struct config;
struct user;
struct session;

/* Methods as bits, so a route can allow several. */
enum method {
	M_GET = 1 << 0,
	M_HEAD = 1 << 1,
	M_POST = 1 << 2,
	M_PUT = 1 << 3,
	M_PATCH = 1 << 4,
	M_DELETE = 1 << 5,
	M_OPTIONS = 1 << 6,
	M_OTHER = 1 << 7
};

/* Statuses handlers return; the reason phrases live in http.c. */
enum {
	HTTP_200 = 200, HTTP_301 = 301, HTTP_302 = 302, HTTP_303 = 303,
	HTTP_304 = 304, HTTP_400 = 400, HTTP_403 = 403, HTTP_404 = 404,
	HTTP_405 = 405, HTTP_413 = 413, HTTP_414 = 414, HTTP_500 = 500,
	HTTP_503 = 503
};

struct param {
	const char	*key;
	const char	*value;
	size_t		 value_len;	/* values may be long; keys are short */
};

struct params {
	struct param	*v;
	size_t		 n;
	size_t		 cap;
};

/* Limits applied while parsing, copied from the configuration. */
struct http_limits {
	size_t	 max_body;
	size_t	 max_upload;	/* a multipart body: a file and the fields */
	size_t	 max_uri;
	size_t	 max_params;
	size_t	 max_key;
	size_t	 max_value;
	size_t	 max_headers;
	size_t	 max_cookie;
	long	 hsts_seconds;	/* Strict-Transport-Security when HTTPS */
};

struct header {
	const char	*name;
	const char	*value;
};

/*
 * A file of a multipart/form-data body, as the client sent it: nothing
 * here is trusted (the name and type are what the browser says; look at
 * data).  Strings are UTF-8 in the arena; data points into r->body.
 */
struct upload {
	const char	*name;		/* the form field */
	const char	*filename;	/* as sent, may be "" or a path */
	const char	*content_type;	/* as sent, or NULL */
	const char	*data;		/* not NUL-terminated */
	size_t		 len;
};

struct req {
	struct arena	 arena_store;
	struct arena	*arena;		/* == &arena_store */
	const struct http_limits *limits;

	/* The request, valid after http_parse(). */
	char		**env;		/* FastCGI parameters, NAME=value */
	enum method	 method;
	const char	*method_name;
	const char	*path;		/* decoded and normalised, starts '/' */
	const char	*raw_path;	/* as sent, before '?' */
	const char	*query;		/* raw query string, "" if none */
	struct params	 query_params;
	struct params	 form;		/* urlencoded or multipart POST body */
	struct upload	*uploads;	/* the files of a multipart body */
	size_t		 nuploads;
	struct params	 cookies;
	struct params	 route_params;	/* from the route pattern */
	const char	*body;		/* raw body, NUL-terminated */
	size_t		 body_len;
	const char	*request_id;	/* from nginx's $request_id, or made */
	const char	*remote_addr;
	bool		 is_https;
	int64_t		 start_us;	/* monotonic */
	const struct route *route;	/* matched route, or NULL */
	struct user	*user;		/* logged-in user, or NULL (session) */
	struct session	*session;	/* its session, or NULL */
	const char	*csrf_token;	/* for forms, once asked for (csrf) */
	bool		 private_page;	/* shows account data: no caching */
	bool		 own_error_body; /* a >= 400 answer keeps the handler's
					 * body (plain-text probes), no error page */
	const char	*error_detail;	/* for 400 pages: what was wrong */
	/* HTTP caching (cache.c, csrf.c). */
	int		 cache_status;	/* cache_public(): 304, or 200 */
	const char	*cache_key;	/* to keep this answer in memory */
	const char	*cache_etag;
	const char	*form_token;	/* csrf_form_token() on this page */
	const char	*form_scope;

	/* The response, built by handlers. */
	struct header	*resp_headers;
	size_t		 nresp, capresp;
	const char	*content_type;	/* default text/html; charset=utf-8 */
	struct buf	 out;		/* body; kept across requests */
	const char	*allow;		/* Allow header for a 405 */
	/* The Content-Security-Policy of this response instead of the
	 * site's (HTTP_CSP); NULL: the site's.  For the one page that needs
	 * more (/api/docs/); build on HTTP_CSP, never weaken script-src. */
	const char	*csp;
	struct hdf_s	*hdf;		/* render data, created lazily */

	/* Sticky failure: the first runtime error decides the answer. */
	int		 failed;	/* 0, or 500 / 503 */
	size_t		 bytes_sent;
};

/* Set up r for a worker's lifetime (arena, buffers); limits are kept. */
void	 req_init(struct req *r, const struct http_limits *limits);

/*
 * Drop everything of the current request; keep memory for the next.
 * The render data (r->hdf) is render's: call render_reset() first.
 */
void	 req_reset(struct req *r);

/* Release all memory of r. */
void	 req_free(struct req *r);

/* Fill limits from the configuration. */
void	 http_limits_from_config(struct http_limits *l,
	    const struct config *c);

/*
 * Parse a request from FastCGI parameters env (NAME=value strings,
 * NULL-terminated) and its body (body_len bytes, may be NULL when 0).
 * Returns 0, or the HTTP status to answer (400, 413, 414) with
 * r->error_detail saying why.  env and body must outlive the request.
 */
int	 http_parse(struct req *r, char **env, const char *body,
	    size_t body_len);

/*
 * The largest body accepted with Content-Type ct: max_upload for
 * multipart/form-data (when larger), else max_body.  server.c reads no
 * more than this.
 */
size_t	 http_body_limit(const struct http_limits *l, const char *ct);

/*
 * The parsers behind http_parse, exposed for unit tests and fuzzing.
 * Each returns 0 or an HTTP status (400, 414) and appends into *out.
 */
int	 http_parse_path(struct req *r, const char *raw, size_t len,
	    const char **path);
int	 http_parse_urlencoded(struct req *r, const char *s, size_t len,
	    struct params *out);
int	 http_parse_cookies(struct req *r, const char *s, struct params *out);

/* A FastCGI parameter (e.g. "HTTP_HOST"), or NULL. */
const char *req_env(const struct req *r, const char *name);

/* A request header by its HTTP name ("User-Agent"), or NULL. */
const char *req_header(struct req *r, const char *name);

/* First value of a query, form or route parameter, or NULL. */
const char *req_query(const struct req *r, const char *key);
const char *req_form(const struct req *r, const char *key);
const char *req_param(const struct req *r, const char *key);
const char *req_cookie(const struct req *r, const char *key);

/* The first file sent in form field name, or NULL. */
const struct upload *req_upload(const struct req *r, const char *name);

/* The value of a parameter list, or NULL (for any struct params). */
const char *params_get(const struct params *p, const char *key);

/*
 * The query parameter key as an integer clamped to [min, max]; def
 * when it is absent or not a number (harmless parameters are clamped,
 * not refused).
 */
long	 req_int(const struct req *r, const char *key, long def, long min,
	    long max);

/*
 * Record a runtime failure (status 500 or 503) once; later calls keep
 * the first.  The message goes to the log with the request id, never
 * to the client.
 */
void	 req_fail(struct req *r, int status, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
bool	 req_failed(const struct req *r);

/* Response headers.  Values are copied into the arena. */
void	 http_set_header(struct req *r, const char *name, const char *value);
const char *http_get_header(const struct req *r, const char *name);

/* Add a header even if one of that name exists (Set-Cookie). */
void	 http_add_header(struct req *r, const char *name, const char *value);

enum cookie_flags {
	COOKIE_HTTPONLY = 1 << 0,	/* scripts cannot read it */
	COOKIE_PERSIST = 1 << 1		/* Max-Age=max_age, else a browser-
					 * session cookie */
};

/*
 * Set-Cookie name=value with Path=/, SameSite=Lax, Secure when the
 * request came over HTTPS, and the flags.  max_age 0 with value ""
 * deletes the cookie.  value must be a cookie-safe token (base64url).
 */
void	 http_set_cookie(struct req *r, const char *name, const char *value,
	    long max_age, unsigned flags);

/* Remove Set-Cookie headers already queued for the cookie name. */
void	 http_drop_cookie(struct req *r, const char *name);

/* Set Location and return status (301, 302, 303) for the handler. */
int	 http_redirect(struct req *r, int status, const char *location);

/* "OK", "Not Found", ... for a status; "Unknown" if none. */
const char *http_reason(int status);

/*
 * Serialise the response (Status line, headers, security headers,
 * Content-Length, and the body unless the method is HEAD) into out.
 */
void	 http_serialize(struct req *r, int status, struct buf *out);

/* Method name to enum (M_OTHER if unknown). */
enum method http_method_parse(const char *name);

/* Percent-encode s for a path segment or a query value into the arena. */
const char *http_url_encode(struct req *r, const char *s);

/*
 * Percent-encode a normalised path (from http_parse_path) for a Location
 * header: '/' stays, anything that is not a safe path character (a
 * backslash included) is encoded.  The result never starts with "//".
 */
const char *http_path_encode(struct req *r, const char *path);

#endif
