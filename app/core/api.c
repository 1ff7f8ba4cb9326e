/*
 * api: tokens and the one dispatcher of the JSON API.  The order of the
 * checks is the policy: CORS preflight, no token in the URL (400), the
 * Bearer token (401), the rate limit (429), the scope (403), the body's
 * media type (415), its syntax and field names (400); then the handler.
 * The resources and their object-level checks are the site's.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "arena.h"
#include "auth.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "model.h"
#include "ratelimit.h"
#include "render.h"
#include "router.h"
#include "util.h"

static const struct api_endpoint	*endpoints;

/* ---- tokens ------------------------------------------------------------ */

void
api_token_generate(char out[API_TOKEN_LEN + 1])
{
	unsigned char	 raw[32];

	randombytes_buf(raw, sizeof(raw));
	memcpy(out, API_TOKEN_PREFIX, 3);
	sodium_bin2base64(out + 3, API_TOKEN_LEN + 1 - 3, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

bool
api_token_is_wellformed(const char *s)
{
	if (s == NULL || strncmp(s, API_TOKEN_PREFIX, 3) != 0 ||
	    strlen(s) != API_TOKEN_LEN)
		return false;
	for (const char *p = s + 3; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return false;
	return true;
}

void
api_token_hash(const char *token, char out[65])
{
	char	 data[API_TOKEN_LEN + 16];

	snprintf(data, sizeof(data), "api-token\n%s", token);
	auth_mac_hex(data, out);
	sodium_memzero(data, sizeof(data));
}

const char *
api_scopes_parse(const char *s)
{
	if (s == NULL)
		return NULL;
	if (strcmp(s, "read") == 0)
		return "read";
	if (strcmp(s, "read,write") == 0 || strcmp(s, "write,read") == 0 ||
	    strcmp(s, "write") == 0)
		return "read,write";
	return NULL;
}

int64_t
api_token_create(struct req *r, int64_t user_id, const char *name,
    const char *scopes, int64_t expires_at, const char **token)
{
	static const char sql[] =
	    "INSERT INTO api_tokens (user_id, name, prefix, hash, scopes,"
	    " created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	char		 tok[API_TOKEN_LEN + 1], hash[65];
	sqlite3_stmt	*st;
	int64_t		 id = -1;

	api_token_generate(tok);
	api_token_hash(tok, hash);
	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, user_id);
	db_bind_text(r, st, 2, name);
	db_bind_text(r, st, 3, arena_printf(r->arena, "%.*s", API_TOKEN_SHOWN,
	    tok));
	db_bind_text(r, st, 4, hash);
	db_bind_text(r, st, 5, scopes);
	db_bind_int64(r, st, 6, util_wall_us() / 1000000);
	if (expires_at > 0)
		db_bind_int64(r, st, 7, expires_at);
	else
		db_bind_null(r, st, 7);
	if (db_step(r, st) == SQLITE_DONE) {
		id = sqlite3_last_insert_rowid(db_handle());
		*token = arena_strdup(r->arena, tok);
	}
	db_done(r, st);
	sodium_memzero(tok, sizeof(tok));
	return id;
}

int
api_token_revoke(struct req *r, int64_t id, int64_t user_id)
{
	static const char sql[] =
	    "UPDATE api_tokens SET revoked_at = ?3 WHERE id = ?1"
	    " AND (?2 = 0 OR user_id = ?2) AND revoked_at IS NULL";
	sqlite3_stmt	*st;
	int		 n;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, id);
	db_bind_int64(r, st, 2, user_id);
	db_bind_int64(r, st, 3, util_wall_us() / 1000000);
	n = db_step(r, st) == SQLITE_DONE ? sqlite3_changes(db_handle()) : -1;
	db_done(r, st);
	return n;
}

static void
set_date(struct req *r, const char *name, sqlite3_stmt *st, int col)
{
	char	 buf[64];

	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return;
	util_date_human(sqlite3_column_int64(st, col), buf, sizeof(buf));
	render_set(r, name, buf);
}

int
api_token_export(struct req *r, int64_t user_id, const char *prefix,
    const char *revoke_route)
{
	static const char sql[] =
	    "SELECT t.id, t.name, t.prefix, t.scopes, t.created_at,"
	    " t.last_used_at, t.expires_at, t.revoked_at, u.username"
	    "  FROM api_tokens t JOIN users u ON u.id = t.user_id"
	    " WHERE ?1 = 0 OR t.user_id = ?1"
	    " ORDER BY t.id DESC LIMIT 500";
	sqlite3_stmt	*st;
	const char	*state;
	int64_t		 now = util_wall_us() / 1000000;
	int		 n = 0;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, user_id);
	while (db_step(r, st) == SQLITE_ROW) {
		const char *p = arena_printf(r->arena, "%s.%d", prefix, n++);

		render_set_int(r, arena_printf(r->arena, "%s.id", p),
		    sqlite3_column_int64(st, 0));
		render_set(r, arena_printf(r->arena, "%s.name", p),
		    db_col_strdup(r, st, 1));
		render_set(r, arena_printf(r->arena, "%s.prefix", p),
		    db_col_strdup(r, st, 2));
		render_set(r, arena_printf(r->arena, "%s.scopes", p),
		    db_col_strdup(r, st, 3));
		set_date(r, arena_printf(r->arena, "%s.created", p), st, 4);
		set_date(r, arena_printf(r->arena, "%s.last_used", p), st, 5);
		set_date(r, arena_printf(r->arena, "%s.expires", p), st, 6);
		render_set(r, arena_printf(r->arena, "%s.username", p),
		    db_col_strdup(r, st, 8));
		state = sqlite3_column_type(st, 7) != SQLITE_NULL ? "revoked" :
		    sqlite3_column_type(st, 6) != SQLITE_NULL &&
		    sqlite3_column_int64(st, 6) <= now ? "expired" : "active";
		render_set(r, arena_printf(r->arena, "%s.state", p), state);
		if (revoke_route != NULL && strcmp(state, "active") == 0)
			render_set(r, arena_printf(r->arena, "%s.revoke_url", p),
			    router_url(r, revoke_route, arena_printf(r->arena,
			    "%lld", (long long)sqlite3_column_int64(st, 0))));
	}
	db_done(r, st);
	return req_failed(r) ? -1 : n;
}

/*
 * The live token whose hash is hash: its user id, id and scopes, or 0 if
 * unknown, expired or revoked.  Marks it used (once a minute at most,
 * so reads do not write every time).
 */
static int64_t
token_lookup(struct req *r, const char *token, int64_t *id, bool *write)
{
	static const char sql[] =
	    "SELECT id, user_id, scopes, last_used_at FROM api_tokens"
	    " WHERE hash = ?1 AND revoked_at IS NULL"
	    "   AND (expires_at IS NULL OR expires_at > ?2)";
	static const char sql_used[] =
	    "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1";
	char		 hash[65];
	sqlite3_stmt	*st;
	int64_t		 user = 0, used = 0, now = util_wall_us() / 1000000;

	api_token_hash(token, hash);
	if ((st = db_stmt(r, sql)) == NULL)
		return 0;
	db_bind_text(r, st, 1, hash);
	db_bind_int64(r, st, 2, now);
	if (db_step(r, st) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		user = sqlite3_column_int64(st, 1);
		*write = strcmp((const char *)sqlite3_column_text(st, 2),
		    "read,write") == 0;
		used = sqlite3_column_int64(st, 3);
	}
	db_done(r, st);
	if (user != 0 && used < now - 60 && (st = db_stmt(r, sql_used)) !=
	    NULL) {
		db_bind_int64(r, st, 1, *id);
		db_bind_int64(r, st, 2, now);
		db_step(r, st);
		db_done(r, st);
	}
	return user;
}

/* ---- responses --------------------------------------------------------- */

bool
api_is_request(const struct req *r)
{
	const char	*p = r->path != NULL ? r->path : r->raw_path;

	if (p == NULL)
		p = req_env(r, "DOCUMENT_URI");
	return p != NULL && strncmp(p, "/api/", 5) == 0;
}

int
api_json(struct req *r, int status, json_t *json)
{
	char	*s;

	r->content_type = "application/json";
	buf_reset(&r->out);
	if (json == NULL)
		return status;
	s = json_dumps(json, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(json);
	if (s == NULL) {
		req_fail(r, 500, "json_dumps failed");
		return HTTP_500;
	}
	buf_puts(&r->out, s);
	buf_puts(&r->out, "\n");
	free(s);
	return status;
}

char *
api_problem_text(int status, const char *detail, const char *instance,
    json_t *errors)
{
	json_t	*o = json_object();
	char	*s;

	json_object_set_new(o, "type", json_string("about:blank"));
	json_object_set_new(o, "title", json_string(http_reason(status)));
	json_object_set_new(o, "status", json_integer(status));
	json_object_set_new(o, "detail", json_string(detail != NULL ?
	    detail : http_reason(status)));
	if (instance != NULL)
		json_object_set_new(o, "instance", json_string(instance));
	if (errors != NULL)
		json_object_set_new(o, "errors", errors);
	s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(o);
	return s;
}

int
api_problem(struct req *r, int status, const char *detail, json_t *errors)
{
	char	*s;

	s = api_problem_text(status, detail, r->raw_path, errors);
	r->content_type = "application/problem+json";
	buf_reset(&r->out);
	if (s != NULL) {
		buf_puts(&r->out, s);
		buf_puts(&r->out, "\n");
		free(s);
	}
	return status;
}

void
api_field_error(json_t **errors, const char *field, const char *msg)
{
	json_t	*e = json_object();

	if (*errors == NULL)
		*errors = json_array();
	json_object_set_new(e, "field", json_string(field));
	json_object_set_new(e, "message", json_string(msg));
	json_array_append_new(*errors, e);
}

int
api_render_error(struct req *r, int status)
{
	int	 failed = r->failed;
	size_t	 k = 0;

	/* Keep only what the client needs from the handler's headers. */
	for (size_t i = 0; i < r->nresp; i++) {
		const char *n = r->resp_headers[i].name;

		if (strcasecmp(n, "Retry-After") == 0 ||
		    strncasecmp(n, "RateLimit-", 10) == 0 ||
		    strncasecmp(n, "Access-Control-", 15) == 0 ||
		    strcasecmp(n, "Vary") == 0 ||
		    strcasecmp(n, "WWW-Authenticate") == 0)
			r->resp_headers[k++] = r->resp_headers[i];
	}
	r->nresp = k;
	if (status == HTTP_503 && http_get_header(r, "Retry-After") == NULL)
		http_set_header(r, "Retry-After", "5");
	api_problem(r, status, status < 500 ? r->error_detail : NULL, NULL);
	r->failed = failed;
	return status;
}

const char *
api_time(struct req *r, int64_t t)
{
	char	 buf[32];

	if (t == 0)
		return NULL;
	util_date_iso(t, buf, sizeof(buf));
	return arena_strdup(r->arena, buf);
}

/* Does the header value list (If-None-Match) name etag, or "*"? */
static bool
etag_listed(const char *list, const char *etag)
{
	size_t	 n = strlen(etag);

	for (const char *p = list; p != NULL && *p != '\0'; ) {
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (*p == '*')
			return true;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (strncmp(p, etag, n) == 0 && (p[n] == '\0' ||
		    p[n] == ',' || p[n] == ' '))
			return true;
		p = strchr(p, ',');
	}
	return false;
}

void
api_etag(struct req *r, const char *version)
{
	http_set_header(r, "ETag", arena_printf(r->arena, "\"%s\"",
	    version));
}

bool
api_not_modified(struct req *r, const char *version)
{
	const char	*h = req_header(r, "If-None-Match");

	return h != NULL && etag_listed(h, arena_printf(r->arena, "\"%s\"",
	    version));
}

bool
api_precondition_failed(struct req *r, const char *version)
{
	const char	*h = req_header(r, "If-Match");
	const char	*etag = arena_printf(r->arena, "\"%s\"", version);

	if (h == NULL)
		return false;
	/* If-Match uses the strong comparison: a weak tag never matches. */
	for (const char *p = h; *p != '\0'; ) {
		size_t	 n = strlen(etag);

		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (*p == '*')
			return false;
		if (strncmp(p, etag, n) == 0 && (p[n] == '\0' ||
		    p[n] == ',' || p[n] == ' '))
			return false;
		if ((p = strchr(p, ',')) == NULL)
			break;
	}
	return true;
}

void
api_links(struct req *r, const char *next, const char *prev)
{
	if (next != NULL)
		http_add_header(r, "Link", arena_printf(r->arena,
		    "<%s>; rel=\"next\"", next));
	if (prev != NULL)
		http_add_header(r, "Link", arena_printf(r->arena,
		    "<%s>; rel=\"prev\"", prev));
}

const char *
api_url(struct req *r, const char *path)
{
	const struct config	*c = config_current();
	const char		*base = c != NULL ? c->site_url : "";
	size_t			 n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	return arena_printf(r->arena, "%.*s%s", (int)n, base, path);
}

/* ---- the dispatcher ---------------------------------------------------- */

void
api_register(const struct api_endpoint *table)
{
	endpoints = table;
}

const struct api_endpoint *
api_endpoints(void)
{
	return endpoints;
}

/* Is origin one of the configured CORS origins? */
static bool
cors_allowed(const char *origin)
{
	const struct config	*c = config_current();
	const char		*p;
	size_t			 n = strlen(origin);

	if (c == NULL || c->api_cors_origins == NULL ||
	    strcmp(c->api_cors_origins, "none") == 0)
		return false;
	for (p = c->api_cors_origins; *p != '\0'; ) {
		size_t	 k;

		while (*p == ' ' || *p == ',')
			p++;
		k = strcspn(p, " ,");
		if (k == n && k > 0 && strncmp(p, origin, n) == 0)
			return true;
		p += k;
	}
	return false;
}

static const char *
methods_list(struct req *r, unsigned m)
{
	return arena_printf(r->arena, "%s%s%s%s%sOPTIONS",
	    (m & M_GET) ? "GET, HEAD, " : "", (m & M_POST) ? "POST, " : "",
	    (m & M_PUT) ? "PUT, " : "", (m & M_PATCH) ? "PATCH, " : "",
	    (m & M_DELETE) ? "DELETE, " : "");
}

/*
 * The fixed-window rate limit of key: count this request in the current
 * minute (core/ratelimit's shared memory when a master set it up, else
 * the throttle table; shared by all workers either way) and set the
 * RateLimit-* headers.  Returns the seconds to wait when over the limit,
 * 0 when allowed, -1 on error.
 */
static int64_t
rate_limit(struct req *r, const char *key)
{
	static const char sql[] =
	    "INSERT INTO throttle (key, count, window_start) VALUES (?1, 1, ?2)"
	    " ON CONFLICT (key) DO UPDATE SET"
	    "  count = CASE WHEN window_start = ?2 THEN count + 1 ELSE 1 END,"
	    "  window_start = ?2"
	    " RETURNING count";
	const struct config	*c = config_current();
	long			 limit = c != NULL ? c->api_rate_limit : 600;
	int64_t			 now = util_wall_us() / 1000000;
	int64_t			 start = now - now % 60, count = 0, reset;
	sqlite3_stmt		*st;

	/* Served by a master: its shared table, no write per request.
	 * Otherwise (tests, a lone worker) the throttle table. */
	if (ratelimit_ready())
		count = ratelimit_hit(key, start);
	else {
		if ((st = db_stmt(r, sql)) == NULL)
			return -1;
		db_bind_text(r, st, 1, key);
		db_bind_int64(r, st, 2, start);
		if (db_step(r, st) == SQLITE_ROW)
			count = sqlite3_column_int64(st, 0);
		db_done(r, st);
		if (req_failed(r))
			return -1;
	}
	reset = start + 60 - now;
	http_set_header(r, "RateLimit-Limit", arena_printf(r->arena, "%ld",
	    limit));
	http_set_header(r, "RateLimit-Remaining", arena_printf(r->arena,
	    "%lld", (long long)(count >= limit ? 0 : limit - count)));
	http_set_header(r, "RateLimit-Reset", arena_printf(r->arena, "%lld",
	    (long long)reset));
	return count > limit ? reset : 0;
}

/* Does the query string carry anything that looks like a token? */
static bool
token_in_url(const struct req *r)
{
	for (size_t i = 0; i < r->query_params.n; i++) {
		const struct param *p = &r->query_params.v[i];

		if (strcmp(p->key, "access_token") == 0 ||
		    strcmp(p->key, "token") == 0 ||
		    strncmp(p->value, API_TOKEN_PREFIX, 3) == 0)
			return true;
	}
	return false;
}

static int
unauthorized(struct req *r, const char *error, const char *detail)
{
	http_set_header(r, "WWW-Authenticate", error != NULL ?
	    arena_printf(r->arena, "Bearer realm=\"api\", error=\"%s\"",
	    error) : "Bearer realm=\"api\"");
	return api_problem(r, 401, detail, NULL);
}

/* Check the body of a POST/PATCH: media type, syntax, field names. */
static int
parse_body(struct req *r, const struct api_endpoint *e, struct api_call *c)
{
	const char	*ct = req_env(r, "CONTENT_TYPE");
	json_error_t	 jerr;
	json_t		*unknown = NULL;
	const char	*key;
	json_t		*v;
	size_t		 n;

	n = ct != NULL ? strcspn(ct, "; ") : 0;
	if (ct == NULL || n != strlen("application/json") ||
	    strncasecmp(ct, "application/json", n) != 0)
		return api_problem(r, 415, "The body must be JSON, sent as "
		    "Content-Type: application/json.", NULL);
	c->body = json_loadb(r->body != NULL ? r->body : "", r->body_len,
	    JSON_REJECT_DUPLICATES, &jerr);
	if (c->body == NULL)
		return api_problem(r, 400, arena_printf(r->arena, "The body "
		    "is not valid JSON: %s (line %d, column %d).", jerr.text,
		    jerr.line, jerr.column), NULL);
	if (!json_is_object(c->body))
		return api_problem(r, 400, "The body must be a JSON object.",
		    NULL);
	json_object_foreach(c->body, key, v) {
		bool	 known = false;

		for (size_t i = 0; e->fields != NULL &&
		    e->fields[i].name != NULL; i++)
			if (strcmp(e->fields[i].name, key) == 0)
				known = true;
		if (!known)
			api_field_error(&unknown, key, "Unknown field.");
	}
	if (unknown != NULL)
		return api_problem(r, 400, "The body has fields this endpoint "
		    "does not take.", unknown);
	return 0;
}

int
api_dispatch(struct req *r)
{
	const struct api_endpoint	*e = NULL;
	const char			*origin = req_header(r, "Origin");
	const char			*authz;
	struct api_call			 c;
	unsigned			 m = r->method == M_HEAD ? M_GET :
					    r->method, all = 0;
	int64_t				 wait;
	int				 status;

	memset(&c, 0, sizeof(c));
	r->private_page = true;
	http_set_header(r, "Cache-Control", "private, no-cache");
	for (const struct api_endpoint *p = endpoints; p != NULL &&
	    p->route != NULL; p++)
		if (strcmp(p->route, r->route->name) == 0) {
			all |= p->method;
			if (p->method == m)
				e = p;
		}
	if (origin != NULL && cors_allowed(origin)) {
		http_set_header(r, "Access-Control-Allow-Origin", origin);
		http_set_header(r, "Access-Control-Expose-Headers", "ETag, "
		    "Link, Location, Retry-After, RateLimit-Limit, "
		    "RateLimit-Remaining, RateLimit-Reset");
		http_add_header(r, "Vary", "Origin");
		if (r->method == M_OPTIONS) {
			http_set_header(r, "Access-Control-Allow-Methods",
			    methods_list(r, all));
			http_set_header(r, "Access-Control-Allow-Headers",
			    "Authorization, Content-Type, If-Match, "
			    "If-None-Match");
			http_set_header(r, "Access-Control-Max-Age", "600");
		}
	} else if (origin != NULL)
		http_add_header(r, "Vary", "Origin");
	if (r->method == M_OPTIONS) {
		http_set_header(r, "Allow", methods_list(r, all));
		buf_reset(&r->out);
		return 204;
	}
	if (e == NULL) {
		r->allow = methods_list(r, all);	/* Allow: http_serialize */
		return api_problem(r, HTTP_405, NULL, NULL);
	}
	if (token_in_url(r))
		return api_problem(r, HTTP_400, "tokens are not accepted in "
		    "URLs; send Authorization: Bearer TOKEN", NULL);

	/* Who: a Bearer token, or (safe methods only) the session. */
	if ((authz = req_header(r, "Authorization")) != NULL) {
		const char	*tok = authz;
		int64_t		 uid;

		r->user = NULL;
		if (strncasecmp(tok, "Bearer ", 7) != 0)
			return unauthorized(r, "invalid_request", "Use "
			    "Authorization: Bearer TOKEN.");
		tok += 7;
		while (*tok == ' ')
			tok++;
		if (!api_token_is_wellformed(tok) || (uid = token_lookup(r,
		    tok, &c.token_id, &c.may_write)) == 0 ||
		    (c.user = auth_user_by_id(r, uid)) == NULL ||
		    !c.user->is_active) {
			if (req_failed(r))
				return HTTP_500;
			return unauthorized(r, "invalid_token", "The token is "
			    "unknown, expired or revoked.");
		}
		r->user = c.user;
	} else if (m == M_GET)
		c.user = r->user;	/* cookies are fine for reading */
	else {
		r->user = NULL;		/* never for writing: no CSRF here */
		return unauthorized(r, NULL, "This method needs an API token: "
		    "Authorization: Bearer TOKEN.");
	}

	wait = rate_limit(r, c.token_id != 0 ? arena_printf(r->arena,
	    "api:token:%lld", (long long)c.token_id) : arena_printf(r->arena,
	    "api:addr:%s", r->remote_addr != NULL ? r->remote_addr : ""));
	if (wait < 0)
		return HTTP_500;
	if (wait > 0) {
		http_set_header(r, "Retry-After", arena_printf(r->arena,
		    "%lld", (long long)wait));
		return api_problem(r, 429, "Too many requests for this token; "
		    "see Retry-After.", NULL);
	}
	if (m != M_GET && !c.may_write) {
		http_set_header(r, "WWW-Authenticate", "Bearer realm=\"api\", "
		    "error=\"insufficient_scope\", scope=\"write\"");
		return api_problem(r, HTTP_403, "This token may only read "
		    "(scope \"read\").", NULL);
	}
	if ((m == M_POST || m == M_PATCH || m == M_PUT) &&
	    (status = parse_body(r, e, &c)) != 0) {
		json_decref(c.body);
		return status;
	}
	status = e->handler(r, &c);
	json_decref(c.body);
	return status;
}

/* ---- the OpenAPI document ---------------------------------------------- */

/* The JSON Schema of model field f (NULL: anything). */
static json_t *
field_schema(const struct model_field *f)
{
	json_t	*o = json_object();

	if (f == NULL)
		return o;
	switch (f->type) {
	case MODEL_INTEGER:
	case MODEL_FOREIGN_KEY:
		json_object_set_new(o, "type", json_string("integer"));
		if (f->type == MODEL_INTEGER && f->max > f->min) {
			json_object_set_new(o, "minimum", json_integer(f->min));
			json_object_set_new(o, "maximum", json_integer(f->max));
		}
		break;
	case MODEL_BOOLEAN:
		json_object_set_new(o, "type", json_string("boolean"));
		break;
	case MODEL_MANY_TO_MANY:
		json_object_set_new(o, "type", json_string("array"));
		json_object_set_new(o, "items", json_pack("{s:s}", "type",
		    "string"));
		json_object_set_new(o, "description", json_string("names"));
		break;
	case MODEL_CHOICE: {
		json_t *e = json_array();

		for (const struct model_choice *c = f->choices; c != NULL &&
		    c->value != NULL; c++)
			json_array_append_new(e, json_string(c->value));
		json_object_set_new(o, "type", json_string("string"));
		json_object_set_new(o, "enum", e);
		break;
	}
	case MODEL_DATETIME:
		json_object_set_new(o, "type", json_pack("[s,s]", "string",
		    "null"));
		json_object_set_new(o, "format", json_string("date-time"));
		break;
	default:
		json_object_set_new(o, "type", json_string("string"));
		if (f->type == MODEL_EMAIL)
			json_object_set_new(o, "format", json_string("email"));
		else if (f->type == MODEL_URL)
			json_object_set_new(o, "format", json_string("uri"));
		if (f->max > 0)
			json_object_set_new(o, "maxLength",
			    json_integer(f->max));
		break;
	}
	if (f->label != NULL)
		json_object_set_new(o, "title", json_string(f->label));
	if (f->help != NULL)
		json_object_set_new(o, "description", json_string(f->help));
	return o;
}

/*
 * The schema of api_field f (the model's field of its name, a JSON
 * Schema text, or "type|type"), or NULL when its JSON text is broken.
 */
static json_t *
api_field_schema(const struct model *m, const struct api_field *f)
{
	json_t		*types;
	const char	*p;

	if (f->type == NULL)
		return field_schema(m != NULL ? model_field(m, f->name) : NULL);
	if (f->type[0] == '{')
		return json_loads(f->type, 0, NULL);
	if (strchr(f->type, '|') == NULL)
		return json_pack("{s:s}", "type", f->type);
	types = json_array();
	for (p = f->type; *p != '\0'; ) {
		size_t	 n = strcspn(p, "|");

		json_array_append_new(types, json_stringn(p, n));
		p += n + (p[n] == '|');
	}
	return json_pack("{s:o}", "type", types);
}

/*
 * The object schema of fields, closed either way: a request body (other
 * fields are refused; required ones as listed) or an answer (every field
 * present, and no other: a field added to an answer and not to its table
 * fails the contract test, tests/e2e/api_contract.test.mjs).
 */
static json_t *
object_schema(const struct model *m, const struct api_field *fields,
    const char *const *required, bool body)
{
	json_t	*o = json_object(), *props = json_object();
	json_t	*req = json_array();

	json_object_set_new(o, "type", json_string("object"));
	for (size_t i = 0; fields != NULL && fields[i].name != NULL; i++) {
		json_t *fs = api_field_schema(m, &fields[i]);

		json_object_set_new(props, fields[i].name, fs != NULL ? fs :
		    json_object());
		if (!body)
			json_array_append_new(req, json_string(fields[i].name));
	}
	for (size_t i = 0; body && required != NULL && required[i] != NULL;
	    i++)
		json_array_append_new(req, json_string(required[i]));
	json_object_set_new(o, "properties", props);
	if (json_array_size(req) > 0)
		json_object_set_new(o, "required", req);
	else
		json_decref(req);
	json_object_set_new(o, "additionalProperties", json_false());
	return o;
}

/* "/api/v1/articles/{id:int}" -> "/api/v1/articles/{id}" and its
 * parameters. */
static const char *
openapi_path(struct req *r, const char *pattern, json_t *params)
{
	struct buf	 b;
	const char	*p, *s;

	buf_init(&b);
	for (p = pattern; *p != '\0'; p++) {
		const char	*end;
		size_t		 n;
		bool		 is_int;

		if (*p != '{' || (end = strchr(p, '}')) == NULL) {
			buf_putc(&b, *p);
			continue;
		}
		n = strcspn(p + 1, ":}");
		is_int = p[1 + n] == ':';
		buf_printf(&b, "{%.*s}", (int)n, p + 1);
		json_array_append_new(params, is_int ?
		    json_pack("{s:s%,s:s,s:b,s:{s:s,s:i}}", "name", p + 1, n,
		    "in", "path", "required", 1, "schema", "type", "integer",
		    "minimum", 1) :
		    json_pack("{s:s%,s:s,s:b,s:{s:s,s:i}}", "name", p + 1, n,
		    "in", "path", "required", 1, "schema", "type", "string",
		    "minLength", 1));
		p = end;
	}
	s = arena_strdup(r->arena, b.ptr != NULL ? b.ptr : "");
	buf_free(&b);
	return s;
}

static const char *
method_key(unsigned m)
{
	switch (m) {
	case M_POST:	return "post";
	case M_PUT:	return "put";
	case M_PATCH:	return "patch";
	case M_DELETE:	return "delete";
	default:	return "get";
	}
}

/* The error answers, shared by the operations (components.responses). */
static const struct {
	int		 status;
	const char	*name;
	const char	*description;
} problems[] = {
	{ 400, "BadRequest", "The request is wrong: a bad parameter, a body "
	  "that is not a JSON object, unknown or invalid fields (listed in "
	  "errors), or a token in the URL." },
	{ 401, "Unauthorized", "No valid token: missing (for writing), "
	  "unknown, expired or revoked. See WWW-Authenticate." },
	{ 403, "Forbidden", "The token's scope or the user's permissions "
	  "do not allow this." },
	{ 404, "NotFound", "No such object, or not one this user may see." },
	{ 409, "Conflict", "The same thing was sent already." },
	{ 412, "PreconditionFailed", "If-Match does not match the current "
	  "ETag: get the object again." },
	{ 413, "ContentTooLarge", "The body is larger than the site "
	  "accepts." },
	{ 415, "UnsupportedMediaType", "The body is not sent as "
	  "Content-Type: application/json." },
	{ 429, "TooManyRequests", "Over the rate limit; see Retry-After." },
};

/* A reference to the shared answer of status (one of problems[]). */
static json_t *
problem_ref(struct req *r, int status)
{
	for (size_t i = 0; i < NELEM(problems); i++)
		if (problems[i].status == status)
			return json_pack("{s:s}", "$ref", arena_printf(r->arena,
			    "#/components/responses/%s", problems[i].name));
	return NULL;
}

/* components: the Problem schema, the shared answers, the headers. */
static json_t *
openapi_components(void)
{
	json_t	*responses = json_object(), *schemas, *headers;

	schemas = json_pack("{s:{s:s,s:s,s:[s,s,s,s],s:{"
	    "s:{s:s,s:s},s:{s:s},s:{s:s,s:i,s:i},s:{s:s},s:{s:s},"
	    "s:{s:s,s:s,s:{s:s,s:[s,s],s:{s:{s:s},s:{s:s}}}}}}}",
	    "Problem", "description", "An error, as RFC 9457 "
	    "application/problem+json.", "type", "object", "required",
	    "type", "title", "status", "detail", "properties",
	    "type", "type", "string", "format", "uri-reference",
	    "title", "type", "string",
	    "status", "type", "integer", "minimum", 400, "maximum", 599,
	    "detail", "type", "string",
	    "instance", "type", "string",
	    "errors", "description", "The fields that were refused, and why.",
	    "type", "array", "items", "type", "object", "required", "field",
	    "message", "properties", "field", "type", "string", "message",
	    "type", "string");
	for (size_t i = 0; i < NELEM(problems); i++)
		json_object_set_new(responses, problems[i].name, json_pack(
		    "{s:s,s:{s:{s:{s:s}}}}", "description",
		    problems[i].description, "content",
		    "application/problem+json", "schema", "$ref",
		    "#/components/schemas/Problem"));
	json_object_set_new(responses, "Error", json_pack(
	    "{s:s,s:{s:{s:{s:s}}}}", "description", "The server failed "
	    "(500) or is busy (503, with Retry-After).", "content",
	    "application/problem+json", "schema", "$ref",
	    "#/components/schemas/Problem"));
	headers = json_pack("{s:{s:s,s:b,s:{s:s}},s:{s:s,s:b,s:{s:s}},"
	    "s:{s:s,s:b,s:{s:s}},s:{s:s,s:b,s:{s:s}},s:{s:s,s:b,s:{s:s}},"
	    "s:{s:s,s:{s:s}}}",
	    "RateLimit-Limit", "description", "Requests allowed a minute.",
	    "required", 1, "schema", "type", "integer",
	    "RateLimit-Remaining", "description", "Requests left in this "
	    "minute.", "required", 1, "schema", "type", "integer",
	    "RateLimit-Reset", "description", "Seconds until the minute "
	    "ends.", "required", 1, "schema", "type", "integer",
	    "ETag", "description", "The version of the object, for "
	    "If-None-Match and If-Match.", "required", 1,
	    "schema", "type", "string",
	    "Location", "description", "The URL of the new object.",
	    "required", 1, "schema", "type", "string",
	    "Link", "description", "The next and previous pages "
	    "(rel=\"next\", rel=\"prev\").", "schema", "type", "string");
	return json_pack("{s:o,s:o,s:o,s:{s:{s:s,s:s,s:s}}}", "schemas",
	    schemas, "responses", responses, "headers", headers,
	    "securitySchemes", "bearer", "type", "http", "scheme", "bearer",
	    "description", "An API token from the profile page or `gazette "
	    "createtoken`: scope read, or read,write for unsafe methods.");
}

/* Does the space-separated status list have status? */
static bool
status_listed(const char *list, int status)
{
	char	 s[8];

	snprintf(s, sizeof(s), "%d", status);
	for (const char *p = list != NULL ? list : ""; *p != '\0'; ) {
		size_t	 n = strcspn(p, " ");

		if (n == strlen(s) && strncmp(p, s, n) == 0)
			return true;
		p += n;
		while (*p == ' ')
			p++;
	}
	return false;
}

/* The answers of endpoint e (see struct api_endpoint's errors). */
static json_t *
openapi_responses(struct req *r, const struct api_endpoint *e,
    const struct model *m, bool has_params)
{
	json_t	*resp = json_object(), *ok, *hdrs;
	bool	 unsafe = e->method != M_GET;
	bool	 body = e->fields != NULL;
	int	 errs[] = { 400, 401, 403, 404, 409, 412, 413, 415, 429 };

	hdrs = json_pack("{s:{s:s},s:{s:s},s:{s:s}}", "RateLimit-Limit",
	    "$ref", "#/components/headers/RateLimit-Limit",
	    "RateLimit-Remaining", "$ref",
	    "#/components/headers/RateLimit-Remaining", "RateLimit-Reset",
	    "$ref", "#/components/headers/RateLimit-Reset");
	if (e->list)
		json_object_set_new(hdrs, "Link", json_pack("{s:s}", "$ref",
		    "#/components/headers/Link"));
	for (const char *p = e->headers != NULL ? e->headers : "";
	    *p != '\0'; ) {
		size_t	 n = strcspn(p, " ");

		json_object_set_new(hdrs, arena_printf(r->arena, "%.*s",
		    (int)n, p), json_pack("{s:s}", "$ref", arena_printf(
		    r->arena, "#/components/headers/%.*s", (int)n, p)));
		p += n;
		while (*p == ' ')
			p++;
	}
	ok = json_pack("{s:s,s:o}", "description", http_reason(e->ok),
	    "headers", hdrs);
	if (e->repr != NULL) {
		json_t *schema = object_schema(m, e->repr, NULL, false);

		if (e->list)
			schema = json_pack("{s:s,s:[s],s:{s:{s:s,s:o},"
			    "s:{s:[s,s],s:s},s:{s:[s,s],s:s}}}",
			    "type", "object", "required", "items",
			    "properties", "items", "type", "array",
			    "items", schema,
			    "next", "type", "string", "null", "format", "uri",
			    "prev", "type", "string", "null", "format", "uri");
		json_object_set_new(ok, "content", json_pack(
		    "{s:{s:o}}", "application/json", "schema", schema));
	}
	json_object_set_new(resp, arena_printf(r->arena, "%d", e->ok), ok);
	if (status_listed(e->errors, 304))
		json_object_set_new(resp, "304", json_pack("{s:s}",
		    "description", "Not modified: If-None-Match has the "
		    "current ETag."));
	for (size_t i = 0; i < NELEM(errs); i++) {
		int	 st = errs[i];
		bool	 on = st == 400 || st == 401 || st == 429 ||
		    (st == 404 && has_params) ||
		    (st == 403 && unsafe) ||
		    ((st == 413 || st == 415) && body) ||
		    (st == 412 && (e->method == M_PATCH ||
		    e->method == M_DELETE)) ||
		    status_listed(e->errors, st);

		if (on)
			json_object_set_new(resp, arena_printf(r->arena, "%d",
			    st), problem_ref(r, st));
	}
	json_object_set_new(resp, "default", json_pack("{s:s}", "$ref",
	    "#/components/responses/Error"));
	return resp;
}

json_t *
api_openapi(struct req *r)
{
	json_t			*doc, *paths = json_object(), *tags;
	const struct route	*rt;

	tags = json_array();
	for (const struct api_endpoint *e = endpoints; e != NULL &&
	    e->route != NULL; e++) {
		const struct model *m = e->model != NULL ?
		    model_find(e->model) : NULL;
		json_t	*params = json_array(), *op, *item;
		const char *path;
		bool	 has_params;

		for (rt = router_table(); rt != NULL && rt->name != NULL; rt++)
			if (strcmp(rt->name, e->route) == 0)
				break;
		if (rt == NULL || rt->name == NULL) {
			json_decref(params);
			continue;
		}
		path = openapi_path(r, rt->pattern, params);
		has_params = json_array_size(params) > 0;
		for (size_t i = 0; e->query != NULL && e->query[i].name !=
		    NULL; i++) {
			json_t *qs = api_field_schema(m, &e->query[i]);
			json_t *desc = qs != NULL ? json_object_get(qs,
			    "description") : NULL;
			json_t *p = json_pack("{s:s,s:s,s:b}", "name",
			    e->query[i].name, "in", "query", "required", 0);

			if (desc != NULL)
				json_object_set(p, "description", desc);
			json_object_del(qs, "description");
			json_object_set_new(p, "schema", qs != NULL ? qs :
			    json_object());
			json_array_append_new(params, p);
		}
		if ((item = json_object_get(paths, path)) == NULL) {
			item = json_object();
			json_object_set_new(paths, path, item);
		}
		op = json_object();
		if (e->tag != NULL) {
			bool seen = false;
			size_t i;
			json_t *t;

			json_object_set_new(op, "tags", json_pack("[s]",
			    e->tag));
			json_array_foreach(tags, i, t)
				seen |= strcmp(json_string_value(json_object_get(
				    t, "name")), e->tag) == 0;
			if (!seen)
				json_array_append_new(tags, json_pack("{s:s}",
				    "name", e->tag));
		}
		json_object_set_new(op, "summary", json_string(e->summary));
		json_object_set_new(op, "operationId", json_string(
		    arena_printf(r->arena, "%s_%s", method_key(e->method),
		    e->route + (strncmp(e->route, "api_", 4) == 0 ? 4 : 0))));
		if (json_array_size(params) > 0)
			json_object_set_new(op, "parameters", params);
		else
			json_decref(params);
		json_object_set_new(op, "security", e->method == M_GET ?
		    json_pack("[{},{s:[]}]", "bearer") :
		    json_pack("[{s:[]}]", "bearer"));
		if (e->fields != NULL)
			json_object_set_new(op, "requestBody", json_pack(
			    "{s:b,s:{s:{s:o}}}", "required", 1, "content",
			    "application/json", "schema",
			    object_schema(m, e->fields, e->required, true)));
		json_object_set_new(op, "responses", openapi_responses(r, e, m,
		    has_params));
		json_object_set_new(item, method_key(e->method), op);
	}
	doc = json_pack("{s:s,s:{s:s,s:s,s:s},s:[{s:s}],s:o,s:o,s:o}",
	    "openapi", "3.1.0", "info", "title", "Gazette API",
	    "version", "1", "description", "Generated from Gazette's route "
	    "table and model metadata. Errors are application/problem+json "
	    "(RFC 9457). Every answer carries RateLimit-Limit, "
	    "RateLimit-Remaining and RateLimit-Reset.", "servers", "url",
	    api_url(r, ""), "tags", tags, "paths", paths, "components",
	    openapi_components());
	return doc;
}

int
api_page_openapi(struct req *r)
{
	json_t	*doc = api_openapi(r);

	if (doc == NULL) {
		req_fail(r, 500, "api_openapi: json_pack failed");
		return HTTP_500;
	}
	http_set_header(r, "Cache-Control", "public, max-age=60");
	http_set_header(r, "Access-Control-Allow-Origin", "*");
	return api_json(r, HTTP_200, doc);
}
