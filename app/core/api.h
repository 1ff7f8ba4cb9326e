/*
 * api: the JSON API's engine (/api/v1/).  Tokens (mint, hash, look up,
 * revoke), and one dispatcher that every API route goes through: CORS,
 * the Bearer token (never in a URL; cookies only for safe methods), the
 * per-token rate limit shared by all workers (the throttle table), the
 * scope, the body's media type, JSON syntax and field names — all before
 * the resource's handler runs.  Errors are application/problem+json
 * (RFC 9457).  The resources themselves are the site's (app/site/api.c):
 * it registers a table of endpoints with api_register().
 */
#ifndef GAZETTE_API_H
#define GAZETTE_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct req;
struct user;
struct json_t;

/* "gz_" and 43 base64url characters: 32 random bytes. */
#define API_TOKEN_PREFIX	"gz_"
#define API_TOKEN_LEN		46
#define API_TOKEN_SHOWN		10	/* characters kept for display */
#define API_TOKEN_NAME_MAX	100
#define API_PAGE_SIZE		20

/* ---- tokens ------------------------------------------------------------ */

/* Fill out with a new random token (NUL-terminated). */
void	 api_token_generate(char out[API_TOKEN_LEN + 1]);

/* Is s shaped like a token ("gz_" + 43 base64url characters)? */
bool	 api_token_is_wellformed(const char *s);

/* The stored form of token: keyed BLAKE2b with the site secret, hex. */
void	 api_token_hash(const char *token, char out[65]);

/* "read" or "read,write" (also "write", normalised): the stored form,
 * or NULL when s is not a valid scope list. */
const char *api_scopes_parse(const char *s);

/*
 * Mint a token for user_id with name, scopes (as api_scopes_parse()
 * returns) and expires_at (0: never); *token gets the secret, in the
 * arena, to be shown once.  Returns the token's id, or -1 (r failed).
 */
int64_t	 api_token_create(struct req *r, int64_t user_id, const char *name,
	    const char *scopes, int64_t expires_at, const char **token);

/*
 * Revoke token id, if it belongs to user_id (0: anybody's; for
 * superusers).  Returns 1 if revoked, 0 if no such live token, -1.
 */
int	 api_token_revoke(struct req *r, int64_t id, int64_t user_id);

/*
 * Export the tokens of user_id (0: everybody's, with their usernames) to
 * HDF under prefix: prefix.N.id, .name, .prefix, .scopes, .created,
 * .last_used, .expires, .username, .state ("active", "expired",
 * "revoked"), and .revoke_url (live tokens, when revoke_route, a route
 * with one {id} hole, is not NULL).  Returns the count, or -1.
 */
int	 api_token_export(struct req *r, int64_t user_id, const char *prefix,
	    const char *revoke_route);

/* ---- the dispatcher ---------------------------------------------------- */

/* What the dispatcher established for a handler. */
struct api_call {
	struct user	*user;		/* token's or (GET) session's; NULL */
	int64_t		 token_id;	/* 0: no token */
	bool		 may_write;	/* a token with the write scope */
	struct json_t	*body;		/* the JSON object sent (POST/PATCH) */
};

typedef int	(*api_handler)(struct req *, struct api_call *);

/*
 * One endpoint: the route it answers (by name) and one method (unsafe
 * methods need the "write" scope), the body's fields (anything else is
 * refused with 400), the model whose metadata types those fields in the
 * OpenAPI document, the status of success, and what the document says
 * of it.
 *
 * A field's type in the document: NULL takes the JSON Schema of the
 * model's field of that name; text starting with '{' is a JSON Schema
 * itself ("{\"type\":\"string\",\"enum\":[...]}"); anything else is
 * one JSON Schema type or several joined by '|' ("integer|null").
 */
struct api_field {
	const char	*name;		/* NULL ends */
	const char	*type;		/* see above */
};

struct api_endpoint {
	const char	*route;		/* NULL ends the table */
	unsigned	 method;	/* M_GET, M_POST ... */
	api_handler	 handler;
	const struct api_field *fields;	/* POST/PATCH body fields */
	const char *const *required;	/* of those, the required ones */
	const struct api_field *query;	/* query parameters (GET) */
	const char	*model;		/* "article"; NULL: untyped */
	int		 ok;		/* 200, 201, 204 */
	const char	*tag;		/* the group in the docs: "articles" */
	const char	*summary;
	/* The answer: an object of these fields (all always present), or
	 * (list) {items: [...], next, prev}; NULL: not described. */
	const struct api_field *repr;
	bool		 list;
	/* Answers besides the ones every endpoint of its kind may give
	 * (400, 401, 429; 404 with path parameters; 403, 413, 415 with a
	 * body; 403 for unsafe methods; 412 for PATCH and DELETE): "304",
	 * "403 409". */
	const char	*errors;
	/* Headers of the success besides RateLimit-* (and Link on lists),
	 * from components.headers: "ETag Location". */
	const char	*headers;
};

/* Install the endpoint table (static, for the process's life). */
void	 api_register(const struct api_endpoint *table);
const struct api_endpoint *api_endpoints(void);

/*
 * The route handler of every API route (ROUTE_CSRF_EXEMPT): finds the
 * endpoint of r->route and r->method and runs it after the checks above.
 * Returns the status; the body is JSON or problem+json.
 */
int	 api_dispatch(struct req *r);

/*
 * GET /api/openapi.json  an OpenAPI 3.1 document made from the endpoint
 * table, the route table (paths, path parameters) and model metadata
 * (field types, limits, choices, help), so it cannot drift from the
 * code.  Public; cached by the client for a minute.
 */
int	 api_page_openapi(struct req *r);

/* The OpenAPI document as JSON (the caller decrefs), for tests. */
struct json_t *api_openapi(struct req *r);

/* Is r an API request (its path under /api/)? */
bool	 api_is_request(const struct req *r);

/*
 * Write json (stolen: decref'd here) as the response body with status.
 * Returns status.
 */
int	 api_json(struct req *r, int status, struct json_t *json);

/*
 * Answer status as problem+json with detail (may be NULL: the reason).
 * errors (stolen, may be NULL) is an array of {"field", "message"}.
 * Returns status.
 */
int	 api_problem(struct req *r, int status, const char *detail,
	    struct json_t *errors);

/* Add {"field": field, "message": msg} to *errors (created if NULL). */
void	 api_field_error(struct json_t **errors, const char *field,
	    const char *msg);

/*
 * The error page of an API request that failed outside a handler (413
 * before parsing, 404, 405, 500): problem+json instead of HTML.
 */
int	 api_render_error(struct req *r, int status);

/* The body as problem+json for status, for unit tests: malloc'd. */
char	*api_problem_text(int status, const char *detail,
	    const char *instance, struct json_t *errors);

/* ISO 8601 UTC of t into the arena; NULL for 0. */
const char *api_time(struct req *r, int64_t t);

/*
 * ETag handling for a representation whose version is version (a hex
 * digest): sets ETag "version".  api_not_modified: true when
 * If-None-Match matches (answer 304).  api_precondition_failed: true
 * when If-Match is given and does not match (answer 412).
 */
void	 api_etag(struct req *r, const char *version);
bool	 api_not_modified(struct req *r, const char *version);
bool	 api_precondition_failed(struct req *r, const char *version);

/*
 * Set Link: <url>; rel="next" (and prev) for a page; urls may be NULL.
 */
void	 api_links(struct req *r, const char *next, const char *prev);

/* The absolute URL of path on this site (site_url + path), arena. */
const char *api_url(struct req *r, const char *path);

#endif
