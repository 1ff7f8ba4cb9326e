/*
 * http: request parsing with hard limits, and response serialisation.
 * Hand-written rather than ClearSilver's CGI kit: the kit accepts bad
 * percent-encoding and invalid UTF-8 and keeps global state, while every
 * byte here is checked once, into the request's arena, and fuzzed.
 * It knows nothing of FastCGI streams: server.c feeds it parameters and
 * the body, and writes out what http_serialize() produced.
 */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "http.h"
#include "log.h"
#include "multipart.h"
#include "util.h"

#define REQ_ARENA_CHUNK	(64 * 1024)

static const struct {
	int		 status;
	const char	*reason;
} reasons[] = {
	{ 200, "OK" }, { 201, "Created" }, { 204, "No Content" },
	{ 301, "Moved Permanently" }, { 302, "Found" }, { 303, "See Other" },
	{ 304, "Not Modified" }, { 400, "Bad Request" },
	{ 401, "Unauthorized" }, { 403, "Forbidden" }, { 404, "Not Found" },
	{ 405, "Method Not Allowed" }, { 409, "Conflict" },
	{ 410, "Gone" }, { 412, "Precondition Failed" },
	{ 413, "Content Too Large" }, { 414, "URI Too Long" },
	{ 415, "Unsupported Media Type" }, { 429, "Too Many Requests" },
	{ 500, "Internal Server Error" }, { 502, "Bad Gateway" },
	{ 503, "Service Unavailable" },
};

static const struct {
	const char	*name;
	enum method	 m;
} methods[] = {
	{ "GET", M_GET }, { "HEAD", M_HEAD }, { "POST", M_POST },
	{ "PUT", M_PUT }, { "PATCH", M_PATCH }, { "DELETE", M_DELETE },
	{ "OPTIONS", M_OPTIONS },
};

void
req_init(struct req *r, const struct http_limits *limits)
{
	memset(r, 0, sizeof(*r));
	arena_init(&r->arena_store, REQ_ARENA_CHUNK);
	r->arena = &r->arena_store;
	r->limits = limits;
	buf_init(&r->out);
	req_reset(r);
}

void
req_reset(struct req *r)
{
	struct arena		 a = r->arena_store;
	struct buf		 out = r->out;
	const struct http_limits *limits = r->limits;

	arena_reset(&a);
	buf_reset(&out);
	memset(r, 0, sizeof(*r));
	r->arena_store = a;
	r->arena = &r->arena_store;
	r->out = out;
	r->limits = limits;
	r->path = r->raw_path = "/";
	r->query = "";
	r->method_name = "GET";
	r->method = M_GET;
	r->request_id = "-";
	r->remote_addr = "-";
	r->content_type = "text/html; charset=utf-8";
	r->start_us = util_mono_us();
}

void
req_free(struct req *r)
{
	arena_free(&r->arena_store);
	buf_free(&r->out);
}

void
http_limits_from_config(struct http_limits *l, const struct config *c)
{
	l->max_body = (size_t)c->max_body;
	/* One file of media_max_bytes plus what an ordinary form may send. */
	l->max_upload = (size_t)c->media_max_bytes + (size_t)c->max_body;
	l->max_uri = (size_t)c->max_uri;
	l->max_params = (size_t)c->max_params;
	l->max_key = (size_t)c->max_key;
	l->max_value = (size_t)c->max_value;
	l->max_headers = (size_t)c->max_headers;
	l->max_cookie = (size_t)c->max_cookie;
	l->hsts_seconds = c->hsts_seconds;
}

const char *
req_env(const struct req *r, const char *name)
{
	size_t	 n = strlen(name);

	if (r->env == NULL)
		return NULL;
	for (char **e = r->env; *e != NULL; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

const char *
req_header(struct req *r, const char *name)
{
	char	 key[128];
	size_t	 i, j = 0;

	if (strcasecmp(name, "Content-Type") != 0 &&
	    strcasecmp(name, "Content-Length") != 0) {
		memcpy(key, "HTTP_", 5);
		j = 5;
	}
	for (i = 0; name[i] != '\0' && j + 1 < sizeof(key); i++, j++)
		key[j] = name[i] == '-' ? '_' :
		    (char)toupper((unsigned char)name[i]);
	key[j] = '\0';
	return req_env(r, key);
}

const char *
params_get(const struct params *p, const char *key)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].key, key) == 0)
			return p->v[i].value;
	return NULL;
}

const char *
req_query(const struct req *r, const char *key)
{
	return params_get(&r->query_params, key);
}

const char *
req_form(const struct req *r, const char *key)
{
	return params_get(&r->form, key);
}

const char *
req_param(const struct req *r, const char *key)
{
	return params_get(&r->route_params, key);
}

const char *
req_cookie(const struct req *r, const char *key)
{
	return params_get(&r->cookies, key);
}

const struct upload *
req_upload(const struct req *r, const char *name)
{
	for (size_t i = 0; i < r->nuploads; i++)
		if (strcmp(r->uploads[i].name, name) == 0)
			return &r->uploads[i];
	return NULL;
}

long
req_int(const struct req *r, const char *key, long def, long min, long max)
{
	const char	*s = req_query(r, key);
	long long	 v;

	if (s == NULL)
		return def;
	if (util_parse_int(s, LLONG_MIN, LLONG_MAX, &v) != 0) {
		/* All digits but too big for long long: clamp too. */
		const char *p = *s == '-' ? s + 1 : s;

		if (*p == '\0' || strspn(p, "0123456789") != strlen(p))
			return def;
		return *s == '-' ? min : max;
	}
	return v < min ? min : v > max ? max : (long)v;
}

void
req_fail(struct req *r, int status, const char *fmt, ...)
{
	char	 msg[1024], q[1100];
	va_list	 ap;

	if (r->failed)
		return;
	r->failed = status;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_msg(LOG_ERROR, "rid=%s status=%d msg=%s", r->request_id, status,
	    log_quote(q, sizeof(q), msg));
}

bool
req_failed(const struct req *r)
{
	return r->failed != 0;
}

static void
params_add(struct req *r, struct params *p, const char *key,
    const char *value, size_t value_len)
{
	if (p->n == p->cap) {
		size_t		 cap = p->cap == 0 ? 8 : p->cap * 2;
		struct param	*v = arena_alloc(r->arena, cap * sizeof(*v));

		if (p->n > 0)
			memcpy(v, p->v, p->n * sizeof(*v));
		p->v = v;
		p->cap = cap;
	}
	p->v[p->n].key = key;
	p->v[p->n].value = value;
	p->v[p->n].value_len = value_len;
	p->n++;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Percent-decode [s, s+len) into a new arena string; '+' is a space when
 * plus is set (query strings and forms).  Returns NULL if the encoding is
 * broken or the result is not UTF-8 (NUL included); *outlen gets the
 * decoded length.
 */
static char *
url_decode(struct req *r, const char *s, size_t len, bool plus,
    size_t *outlen)
{
	char	*d = arena_alloc(r->arena, len + 1);
	size_t	 i, j = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '%') {
			int hi, lo;

			if (len - i < 3 || (hi = hexval(s[i + 1])) < 0 ||
			    (lo = hexval(s[i + 2])) < 0)
				return NULL;
			d[j++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (s[i] == '+' && plus)
			d[j++] = ' ';
		else
			d[j++] = s[i];
	}
	d[j] = '\0';
	if (!util_is_utf8(d, j))
		return NULL;
	*outlen = j;
	return d;
}

int
http_parse_urlencoded(struct req *r, const char *s, size_t len,
    struct params *out)
{
	const char	*end = s + len, *p = s;

	while (p < end) {
		const char	*amp = memchr(p, '&', (size_t)(end - p));
		const char	*pe = amp != NULL ? amp : end;
		const char	*eq = memchr(p, '=', (size_t)(pe - p));
		const char	*ke = eq != NULL ? eq : pe;
		char		*key, *value;
		size_t		 klen, vlen = 0;

		if (pe == p) {			/* "a=1&&b=2": skip empties */
			p = pe + 1;
			continue;
		}
		if (r->query_params.n + r->form.n + 1 > r->limits->max_params) {
			r->error_detail = "Too many parameters.";
			return HTTP_400;
		}
		if ((size_t)(ke - p) > r->limits->max_key * 3 ||
		    (key = url_decode(r, p, (size_t)(ke - p), true,
		    &klen)) == NULL) {
			r->error_detail = (size_t)(ke - p) >
			    r->limits->max_key * 3 ? "A parameter name is too "
			    "long." : "A parameter name is not valid "
			    "percent-encoded UTF-8.";
			return HTTP_400;
		}
		if (klen > r->limits->max_key) {
			r->error_detail = "A parameter name is too long.";
			return HTTP_400;
		}
		if (eq != NULL) {
			if ((value = url_decode(r, eq + 1,
			    (size_t)(pe - eq - 1), true, &vlen)) == NULL) {
				r->error_detail = "A parameter value is not "
				    "valid percent-encoded UTF-8.";
				return HTTP_400;
			}
		} else
			value = arena_strdup(r->arena, "");
		if (vlen > r->limits->max_value) {
			r->error_detail = "A parameter value is too long.";
			return HTTP_400;
		}
		params_add(r, out, key, value, vlen);
		p = pe + 1;
	}
	return 0;
}

int
http_parse_path(struct req *r, const char *raw, size_t len,
    const char **path)
{
	char	*d, *out;
	size_t	 dlen, i, o = 0;
	bool	 dir = true;

	if (len == 0 || raw[0] != '/') {
		r->error_detail = "The path must start with '/'.";
		return HTTP_400;
	}
	if ((d = url_decode(r, raw, len, false, &dlen)) == NULL) {
		r->error_detail = "The path is not valid percent-encoded "
		    "UTF-8.";
		return HTTP_400;
	}
	/*
	 * Normalise segment by segment: "//" and "/./" collapse, "/../"
	 * removes the previous segment and may not climb above the root.
	 */
	out = arena_alloc(r->arena, dlen + 2);
	out[o++] = '/';
	for (i = 0; i < dlen; ) {
		size_t	 start, seglen;

		while (i < dlen && d[i] == '/')
			i++;
		start = i;
		while (i < dlen && d[i] != '/')
			i++;
		seglen = i - start;
		if (seglen == 0)
			continue;
		if (seglen == 1 && d[start] == '.') {
			dir = true;
			continue;
		}
		if (seglen == 2 && d[start] == '.' && d[start + 1] == '.') {
			if (o == 1) {
				r->error_detail = "The path climbs above the "
				    "root.";
				return HTTP_400;
			}
			o--;			/* drop the '/' we stand on */
			while (o > 0 && out[o - 1] != '/')
				o--;
			dir = true;
			continue;
		}
		memcpy(out + o, d + start, seglen);
		o += seglen;
		out[o++] = '/';
		dir = false;
	}
	/* "/a" stays "/a", "/a/" and "/a/." and "/a/b/.." end in '/'. */
	if (o > 1 && !dir && d[dlen - 1] != '/')
		o--;
	out[o] = '\0';
	*path = out;
	return 0;
}

int
http_parse_cookies(struct req *r, const char *s, struct params *out)
{
	size_t	 count = 0;

	if (strlen(s) > r->limits->max_cookie) {
		r->error_detail = "The Cookie header is too large.";
		return HTTP_400;
	}
	while (*s != '\0') {
		const char	*end = strchr(s, ';');
		const char	*pe = end != NULL ? end : s + strlen(s);
		const char	*eq, *ks, *ke, *vs, *ve;

		ks = s;
		while (ks < pe && (*ks == ' ' || *ks == '\t'))
			ks++;
		eq = memchr(ks, '=', (size_t)(pe - ks));
		if (eq != NULL && eq > ks) {
			ke = eq;
			while (ke > ks && (ke[-1] == ' ' || ke[-1] == '\t'))
				ke--;
			vs = eq + 1;
			ve = pe;
			while (vs < ve && (*vs == ' ' || *vs == '\t'))
				vs++;
			while (ve > vs && (ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
				vs++;
				ve--;
			}
			/* A cookie that is not clean UTF-8 is ignored, not fatal:
			 * another site on the same domain may have set it. */
			if (ke > ks && util_is_utf8(ks, (size_t)(ke - ks)) &&
			    util_is_utf8(vs, (size_t)(ve - vs))) {
				if (++count > r->limits->max_params) {
					r->error_detail = "Too many cookies.";
					return HTTP_400;
				}
				params_add(r, out, arena_strndup(r->arena, ks,
				    (size_t)(ke - ks)), arena_strndup(r->arena,
				    vs, (size_t)(ve - vs)), (size_t)(ve - vs));
			}
		}
		if (end == NULL)
			break;
		s = end + 1;
	}
	return 0;
}

enum method
http_method_parse(const char *name)
{
	for (size_t i = 0; i < NELEM(methods); i++)
		if (strcmp(methods[i].name, name) == 0)
			return methods[i].m;
	return M_OTHER;
}

static bool
is_form_type(const char *ct)
{
	static const char	 form[] = "application/x-www-form-urlencoded";
	size_t			 n = sizeof(form) - 1;

	return ct != NULL && strncasecmp(ct, form, n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static bool
is_multipart_type(const char *ct)
{
	static const char	 mp[] = "multipart/form-data";
	size_t			 n = sizeof(mp) - 1;

	while (ct != NULL && (*ct == ' ' || *ct == '\t'))
		ct++;
	return ct != NULL && strncasecmp(ct, mp, n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ' || ct[n] == '\t');
}

size_t
http_body_limit(const struct http_limits *l, const char *ct)
{
	if (is_multipart_type(ct) && l->max_upload > l->max_body)
		return l->max_upload;
	return l->max_body;
}

static void
upload_add(struct req *r, const struct multipart_part *p)
{
	struct upload	*u;

	if ((r->nuploads & (r->nuploads - 1)) == 0) {	/* 0, 1, 2, 4 ... */
		u = arena_alloc(r->arena, (r->nuploads == 0 ? 1 :
		    r->nuploads * 2) * sizeof(*u));
		if (r->nuploads > 0)
			memcpy(u, r->uploads, r->nuploads * sizeof(*u));
		r->uploads = u;
	}
	u = &r->uploads[r->nuploads++];
	u->name = p->name;
	u->filename = p->filename;
	u->content_type = p->content_type;
	u->data = p->data;
	u->len = p->len;
}

/*
 * A multipart/form-data body: text fields into r->form under the same
 * limits as an urlencoded form (so the router's CSRF check finds
 * csrf_token), files into r->uploads.  Returns 0 or 400.
 */
static int
parse_multipart(struct req *r, const char *ct)
{
	const struct http_limits *l = r->limits;
	struct multipart_part	*parts;
	const char		*boundary, *err;
	size_t			 n;

	if ((boundary = multipart_boundary(r->arena, ct)) == NULL) {
		r->error_detail = "The multipart boundary is missing or not "
		    "valid.";
		return HTTP_400;
	}
	if (multipart_parse(r->arena, r->body, r->body_len, boundary,
	    l->max_params, l->max_headers, &parts, &n, &err) != 0) {
		r->error_detail = err;
		return HTTP_400;
	}
	for (size_t i = 0; i < n; i++) {
		const struct multipart_part *p = &parts[i];

		if (r->query_params.n + r->form.n + r->nuploads + 1 >
		    l->max_params) {
			r->error_detail = "Too many parameters.";
			return HTTP_400;
		}
		if (strlen(p->name) > l->max_key) {
			r->error_detail = "A parameter name is too long.";
			return HTTP_400;
		}
		if (!util_is_utf8(p->name, strlen(p->name)) ||
		    (p->filename != NULL &&
		    !util_is_utf8(p->filename, strlen(p->filename))) ||
		    (p->content_type != NULL && !util_is_utf8(p->content_type,
		    strlen(p->content_type)))) {
			r->error_detail = "A part's name, file name or type "
			    "is not valid UTF-8.";
			return HTTP_400;
		}
		if (p->filename != NULL) {
			upload_add(r, p);
			continue;
		}
		if (p->len > l->max_value) {
			r->error_detail = "A parameter value is too long.";
			return HTTP_400;
		}
		if (!util_is_utf8(p->data, p->len)) {
			r->error_detail = "A parameter value is not valid "
			    "UTF-8.";
			return HTTP_400;
		}
		params_add(r, &r->form, p->name, arena_strndup(r->arena,
		    p->data, p->len), p->len);
	}
	return 0;
}

int
http_parse(struct req *r, char **env, const char *body, size_t body_len)
{
	const char	*uri, *q, *v;
	size_t		 hdrbytes = 0;
	int		 rc;

	r->env = env;
	/* What the log line needs is copied: it is written after the
	 * FastCGI parameters are freed. */
	if ((v = req_env(r, "REQUEST_ID")) != NULL && *v != '\0' &&
	    strlen(v) <= 64)
		r->request_id = arena_strdup(r->arena, v);
	else {
		static unsigned long	 seq;

		r->request_id = arena_printf(r->arena, "%x-%lx",
		    (unsigned)getpid(), ++seq);
	}
	if ((v = req_env(r, "REMOTE_ADDR")) != NULL)
		r->remote_addr = arena_strndup(r->arena, v, strnlen(v, 64));
	r->is_https = (v = req_env(r, "HTTPS")) != NULL &&
	    strcasecmp(v, "on") == 0;
	if ((v = req_env(r, "REQUEST_METHOD")) != NULL) {
		r->method_name = arena_strndup(r->arena, v, strnlen(v, 16));
		r->method = http_method_parse(v);
	}
	r->body = body != NULL ? body : "";
	r->body_len = body_len;

	for (char **e = env; *e != NULL; e++)
		if (strncmp(*e, "HTTP_", 5) == 0)
			hdrbytes += strlen(*e);
	if (hdrbytes > r->limits->max_headers) {
		r->error_detail = "The request headers are too large.";
		return HTTP_400;
	}
	if ((uri = req_env(r, "REQUEST_URI")) == NULL || *uri == '\0') {
		r->error_detail = "The request has no URI.";
		return HTTP_400;
	}
	if (strlen(uri) > r->limits->max_uri) {
		r->error_detail = "The address is too long.";
		return HTTP_414;
	}
	if ((q = strchr(uri, '?')) != NULL) {
		r->raw_path = arena_strndup(r->arena, uri, (size_t)(q - uri));
		r->query = q + 1;
	} else
		r->raw_path = arena_strdup(r->arena, uri);
	if ((rc = http_parse_path(r, r->raw_path, strlen(r->raw_path),
	    &r->path)) != 0)
		return rc;
	if ((rc = http_parse_urlencoded(r, r->query, strlen(r->query),
	    &r->query_params)) != 0)
		return rc;
	if ((v = req_env(r, "HTTP_COOKIE")) != NULL &&
	    (rc = http_parse_cookies(r, v, &r->cookies)) != 0)
		return rc;
	v = req_env(r, "CONTENT_TYPE");
	if (body_len > http_body_limit(r->limits, v)) {
		r->error_detail = "The request body is too large.";
		return HTTP_413;
	}
	if (body_len > 0 && (r->method & (M_POST | M_PUT | M_PATCH))) {
		if (is_form_type(v))
			return http_parse_urlencoded(r, r->body, body_len,
			    &r->form);
		if (is_multipart_type(v))
			return parse_multipart(r, v);
	}
	return 0;
}

void
http_set_header(struct req *r, const char *name, const char *value)
{
	for (size_t i = 0; i < r->nresp; i++)
		if (strcasecmp(r->resp_headers[i].name, name) == 0) {
			r->resp_headers[i].value = arena_strdup(r->arena, value);
			return;
		}
	http_add_header(r, name, value);
}

void
http_add_header(struct req *r, const char *name, const char *value)
{
	if (r->nresp == r->capresp) {
		size_t		 cap = r->capresp == 0 ? 8 : r->capresp * 2;
		struct header	*h = arena_alloc(r->arena, cap * sizeof(*h));

		if (r->nresp > 0)
			memcpy(h, r->resp_headers, r->nresp * sizeof(*h));
		r->resp_headers = h;
		r->capresp = cap;
	}
	r->resp_headers[r->nresp].name = name;
	r->resp_headers[r->nresp].value = arena_strdup(r->arena, value);
	r->nresp++;
}

void
http_set_cookie(struct req *r, const char *name, const char *value,
    long max_age, unsigned flags)
{
	http_add_header(r, "Set-Cookie", arena_printf(r->arena,
	    "%s=%s; Path=/; SameSite=Lax%s%s%s", name, value,
	    (flags & COOKIE_HTTPONLY) ? "; HttpOnly" : "",
	    r->is_https ? "; Secure" : "",
	    max_age == 0 ? "; Max-Age=0" : (flags & COOKIE_PERSIST) ?
	    arena_printf(r->arena, "; Max-Age=%ld", max_age) : ""));
}

void
http_drop_cookie(struct req *r, const char *name)
{
	size_t	 n = strlen(name), k = 0;

	for (size_t i = 0; i < r->nresp; i++) {
		const struct header *h = &r->resp_headers[i];

		if (strcasecmp(h->name, "Set-Cookie") == 0 &&
		    strncmp(h->value, name, n) == 0 && h->value[n] == '=')
			continue;
		r->resp_headers[k++] = *h;
	}
	r->nresp = k;
}

const char *
http_get_header(const struct req *r, const char *name)
{
	for (size_t i = 0; i < r->nresp; i++)
		if (strcasecmp(r->resp_headers[i].name, name) == 0)
			return r->resp_headers[i].value;
	return NULL;
}

int
http_redirect(struct req *r, int status, const char *location)
{
	http_set_header(r, "Location", location);
	buf_reset(&r->out);
	return status;
}

const char *
http_reason(int status)
{
	for (size_t i = 0; i < NELEM(reasons); i++)
		if (reasons[i].status == status)
			return reasons[i].reason;
	return "Unknown";
}

/* A header value must not smuggle a line break into the response. */
static void
put_header(struct buf *out, const char *name, const char *value)
{
	buf_puts(out, name);
	buf_puts(out, ": ");
	for (const char *p = value; *p != '\0'; p++)
		buf_putc(out, *p == '\r' || *p == '\n' ? ' ' : *p);
	buf_puts(out, "\r\n");
}

void
http_serialize(struct req *r, int status, struct buf *out)
{
	bool	 has_body = status >= 200 && status != 204 && status != 304;

	buf_printf(out, "Status: %d %s\r\n", status, http_reason(status));
	if (has_body) {
		put_header(out, "Content-Type", r->content_type);
		buf_printf(out, "Content-Length: %zu\r\n", r->out.len);
	}
	/* Security headers on every response (ARCHITECTURE). */
	put_header(out, "X-Content-Type-Options", "nosniff");
	put_header(out, "X-Frame-Options", "DENY");
	put_header(out, "Referrer-Policy", "same-origin");
	put_header(out, "Cross-Origin-Opener-Policy", "same-origin");
	put_header(out, "Content-Security-Policy", r->csp != NULL ? r->csp :
	    HTTP_CSP);
	if (r->is_https && r->limits != NULL && r->limits->hsts_seconds > 0)
		buf_printf(out, "Strict-Transport-Security: max-age=%ld\r\n",
		    r->limits->hsts_seconds);
	if ((r->private_page || r->user != NULL) &&
	    http_get_header(r, "Cache-Control") == NULL)
		put_header(out, "Cache-Control", "private, no-store");
	if (status == HTTP_405 && r->allow != NULL)
		put_header(out, "Allow", r->allow);
	for (size_t i = 0; i < r->nresp; i++)
		put_header(out, r->resp_headers[i].name,
		    r->resp_headers[i].value);
	buf_puts(out, "\r\n");
	if (has_body && r->method != M_HEAD)
		buf_append(out, r->out.ptr != NULL ? r->out.ptr : "",
		    r->out.len);
}

/* Encode s into the arena, keeping alphanumerics and the bytes in keep. */
static const char *
encode(struct req *r, const char *s, const char *keep)
{
	static const char	 hex[] = "0123456789ABCDEF";
	size_t			 n = strlen(s), j = 0;
	char			*d = arena_alloc(r->arena, n * 3 + 1);

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x80 && isalnum(c)) || (c != 0 && strchr(keep, c)))
			d[j++] = (char)c;
		else {
			d[j++] = '%';
			d[j++] = hex[c >> 4];
			d[j++] = hex[c & 15];
		}
	}
	d[j] = '\0';
	return d;
}

const char *
http_url_encode(struct req *r, const char *s)
{
	return encode(r, s, "-_.~");
}

const char *
http_path_encode(struct req *r, const char *path)
{
	/* A normalised path has no "//", so neither has the result. */
	return encode(r, path, "-_.~/!$&'()*+,;=:@");
}
