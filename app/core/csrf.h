/*
 * csrf: protection of every unsafe method (POST, PUT, PATCH, DELETE)
 * before the handler runs, unless the route is exempt.  Two checks, both
 * must pass: the request comes from this site (Origin; else
 * Sec-Fetch-Site; else, over HTTPS, Referer), and it carries the token
 * (form field csrf_token or header X-CSRF-Token) that matches the
 * visitor's secret, compared in constant time.  Logged-in users' secret
 * lives in their session (so it rotates at login); anonymous visitors
 * get it in the gazette_csrf cookie when a page with a form asks for it.
 */
#ifndef GAZETTE_CSRF_H
#define GAZETTE_CSRF_H

#include <stdbool.h>
#include <stdint.h>

struct req;
struct config;

#define CSRF_COOKIE	"gazette_csrf"
#define CSRF_FIELD	"csrf_token"
#define CSRF_HEADER	"X-CSRF-Token"

/*
 * Per-process: the site origin from site_url, and the keyed MAC that
 * signs form tokens (auth_mac_hex; NULL: form tokens are refused, for
 * programs without the site secret).  Call before forking.
 */
void	 csrf_init(const struct config *c,
	    void (*mac)(const char *data, char out[65]));

/*
 * The token for forms on this page, also set in the HDF as CSRF.token;
 * for anonymous visitors without one, a new secret and its cookie.
 */
const char *csrf_token(struct req *r);

/*
 * Check an unsafe request.  true if it may proceed; false with *reason
 * (for the log and the 403 page) if not.
 */
bool	 csrf_check(struct req *r, const char **reason);

/*
 * A token for a form shown on a page that is the same for every
 * anonymous visitor (so it may be cached publicly): "<time>-<mac>", the
 * MAC (keyed with the site secret) covering scope, the path the form
 * posts to, and the time it was made.  Set as CSRF.form_token too.
 * Routes flagged ROUTE_CSRF_FORM accept it from anonymous visitors in
 * place of their secret, for CSRF_FORM_MAX_AGE seconds; the Origin
 * checks apply as ever.
 */
#define CSRF_FORM_MAX_AGE	(3 * 86400)
const char *csrf_form_token(struct req *r, const char *scope);

/*
 * Is token a csrf_form_token() for scope, made no more than max_age
 * seconds ago (and not in the future)?  *issued (if not NULL) gets the
 * time it was made, even when it is too old; 0 when the token is not one
 * of ours at all.
 */
bool	 csrf_form_token_check(const char *token, const char *scope,
	    int64_t max_age, int64_t *issued);

/* A new random secret (base64url of 32 bytes) in the arena. */
const char *csrf_new_secret(struct req *r);

#endif
