/*
 * csrf: origin and token checks for unsafe methods.  The token is the
 * visitor's secret itself (double submit against the session or the
 * gazette_csrf cookie), which the Origin check makes safe: another site
 * can neither read the secret nor send a same-origin request.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "config.h"
#include "csrf.h"
#include "http.h"
#include "log.h"
#include "render.h"
#include "router.h"
#include "session.h"
#include "util.h"

static char	 site_origin[512];
static void	(*sign)(const char *, char[65]);

void
csrf_init(const struct config *c, void (*mac)(const char *, char[65]))
{
	sign = mac;
	const char	*u = c->site_url, *p;
	size_t		 n;

	/* scheme://host[:port], without path or trailing slash. */
	p = strstr(u, "://");
	n = p != NULL ? (size_t)(p + 3 - u) + strcspn(p + 3, "/") : strlen(u);
	snprintf(site_origin, sizeof(site_origin), "%.*s", (int)n, u);
}

const char *
csrf_new_secret(struct req *r)
{
	unsigned char	 raw[32];
	char		*out = arena_alloc(r->arena, 45);

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, 45, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

static bool
is_token(const char *s)
{
	return s != NULL && strlen(s) == 43 &&
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") == 43;
}

const char *
csrf_token(struct req *r)
{
	const char	*t;

	if (r->csrf_token != NULL)
		return r->csrf_token;
	if (r->session != NULL)
		t = r->session->csrf_secret;
	else if (is_token(t = req_cookie(r, CSRF_COOKIE)))
		;
	else {
		t = csrf_new_secret(r);
		http_set_cookie(r, CSRF_COOKIE, t, 0 + 365L * 86400,
		    COOKIE_HTTPONLY | COOKIE_PERSIST);
	}
	r->csrf_token = t;
	render_set(r, "CSRF.token", t);
	return t;
}

static void
form_mac(const char *scope, int64_t t, char out[65])
{
	char	 data[1200];

	snprintf(data, sizeof(data), "csrf-form\n%s\n%" PRId64, scope, t);
	if (sign != NULL) {
		sign(data, out);
		return;
	}
	/* No key: a MAC no token can match (hex never has an 'x'). */
	memset(out, 'x', 64);
	out[64] = '\0';
}

const char *
csrf_form_token(struct req *r, const char *scope)
{
	int64_t		 t = (int64_t)time(NULL);
	char		 mac[65];
	const char	*tok;

	form_mac(scope, t, mac);
	tok = arena_printf(r->arena, "%" PRId64 "-%s", t, mac);
	render_set(r, "CSRF.form_token", tok);
	r->form_token = tok;
	r->form_scope = arena_strdup(r->arena, scope);
	return tok;
}

bool
csrf_form_token_check(const char *token, const char *scope,
    int64_t max_age, int64_t *issued)
{
	const char	*dash;
	char		 mac[65], num[24];
	long long	 t;
	int64_t		 now = (int64_t)time(NULL);
	size_t		 n;

	if (issued != NULL)
		*issued = 0;
	if (sign == NULL || token == NULL || (dash = strchr(token, '-')) == NULL ||
	    (n = (size_t)(dash - token)) == 0 || n >= sizeof(num) ||
	    strlen(dash + 1) != 64)
		return false;
	memcpy(num, token, n);
	num[n] = '\0';
	if (util_parse_int(num, 1, INT64_MAX, &t) != 0)
		return false;
	form_mac(scope, t, mac);
	if (sodium_memcmp(mac, dash + 1, 64) != 0)
		return false;
	if (issued != NULL)
		*issued = t;
	return t <= now + 60 && now - t <= max_age;
}

/* scheme://host of this request as the browser addressed it. */
static const char *
request_origin(struct req *r)
{
	const char	*host = req_header(r, "Host");
	const char	*port = req_env(r, "SERVER_PORT");
	const char	*close;

	if (host == NULL)
		return NULL;
	/*
	 * Debian's fastcgi_params passes HTTP_HOST as nginx's $host, which
	 * has no port: put back SERVER_PORT unless it is the default one.
	 */
	close = strrchr(host, ']');
	if (strchr(close != NULL ? close : host, ':') == NULL &&
	    port != NULL && strcmp(port, r->is_https ? "443" : "80") != 0)
		return arena_printf(r->arena, "%s://%s:%s", r->is_https ?
		    "https" : "http", host, port);
	return arena_printf(r->arena, "%s://%s", r->is_https ? "https" :
	    "http", host);
}

/* Is the URL's origin (scheme://host[:port]) this site's? */
static bool
same_origin(struct req *r, const char *url)
{
	const char	*p = strstr(url, "://");
	const char	*mine = request_origin(r);
	size_t		 n;

	if (p == NULL)
		return false;
	n = (size_t)(p + 3 - url) + strcspn(p + 3, "/?#");
	return (strlen(site_origin) == n &&
	    strncasecmp(url, site_origin, n) == 0) ||
	    (mine != NULL && strlen(mine) == n &&
	    strncasecmp(url, mine, n) == 0);
}

bool
csrf_check(struct req *r, const char **reason)
{
	const char	*origin = req_header(r, "Origin");
	const char	*fetch = req_header(r, "Sec-Fetch-Site");
	const char	*given, *expected;

	if (origin != NULL) {
		if (!same_origin(r, origin)) {
			*reason = "the request came from another site (Origin)";
			return false;
		}
	} else if (fetch != NULL) {
		if (strcmp(fetch, "same-origin") != 0 &&
		    strcmp(fetch, "none") != 0) {
			*reason = "the request came from another site "
			    "(Sec-Fetch-Site)";
			return false;
		}
	} else if (r->is_https) {
		const char *ref = req_header(r, "Referer");

		if (ref == NULL || !same_origin(r, ref)) {
			*reason = "the Referer is missing or from another site";
			return false;
		}
	}
	if ((given = req_form(r, CSRF_FIELD)) == NULL)
		given = req_header(r, CSRF_HEADER);
	if (r->session != NULL)
		expected = r->session->csrf_secret;
	else
		expected = req_cookie(r, CSRF_COOKIE);
	if (given == NULL || *given == '\0') {
		*reason = "the CSRF token is missing";
		return false;
	}
	if (r->session == NULL && r->route != NULL &&
	    (r->route->flags & ROUTE_CSRF_FORM) && strchr(given, '-') != NULL &&
	    strlen(given) > 64 + 1) {
		int64_t issued;

		if (csrf_form_token_check(given, r->path, CSRF_FORM_MAX_AGE,
		    &issued))
			return true;
		*reason = issued != 0 ? "the form has expired" :
		    "the CSRF token is incorrect";
		return false;
	}
	if (!is_token(expected)) {
		*reason = "the CSRF cookie is missing";
		return false;
	}
	if (strlen(given) != 43 || sodium_memcmp(given, expected, 43) != 0) {
		*reason = "the CSRF token is incorrect";
		return false;
	}
	return true;
}
