/*
 * 014_headers: the security headers on every kind of answer gazette
 * gives through nginx (pages, forms, redirects, 403, 404, 405, 429),
 * "Cache-Control: private, no-store" wherever a page is personal, and
 * which cookies are set where: none for an anonymous reader, only the
 * CSRF cookie for a form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define PW		"Correct-Horse-42-battery"
#define LOGIN		"/accounts/login/"
#define PROFILE		"/accounts/profile/"
#define NO_STORE	"private, no-store"

/* Every header that must be on every answer from gazette, once. */
static void
check_security_headers(const struct resp *r, const char *what)
{
	const char	*csp = resp_header(r, "Content-Security-Policy");

	if (!CHECK(r->status > 0, "%s answered (%s)", what, r->error))
		return;
	CHECK_STR(resp_header(r, "X-Frame-Options"), "DENY",
	    "X-Frame-Options of %s", what);
	CHECK_INT(resp_header_count(r, "X-Frame-Options"), 1,
	    "X-Frame-Options headers on %s", what);
	CHECK_STR(resp_header(r, "X-Content-Type-Options"), "nosniff",
	    "X-Content-Type-Options of %s", what);
	CHECK_INT(resp_header_count(r, "X-Content-Type-Options"), 1,
	    "X-Content-Type-Options headers on %s", what);
	CHECK_STR(resp_header(r, "Referrer-Policy"), "same-origin",
	    "Referrer-Policy of %s", what);
	CHECK_STR(resp_header(r, "Cross-Origin-Opener-Policy"), "same-origin",
	    "Cross-Origin-Opener-Policy of %s", what);
	CHECK_INT(resp_header_count(r, "Content-Security-Policy"), 1,
	    "Content-Security-Policy headers on %s", what);
	CHECK_CONTAINS(csp, "default-src 'self'", "CSP of %s", what);
	CHECK_CONTAINS(csp, "frame-ancestors 'none'", "CSP of %s", what);
	CHECK(csp != NULL && strstr(csp, "unsafe-inline") == NULL &&
	    strstr(csp, "unsafe-eval") == NULL, "no unsafe-inline or "
	    "unsafe-eval in the CSP of %s: %s", what, csp != NULL ? csp :
	    "(none)");
	CHECK(resp_header(r, "Strict-Transport-Security") == NULL,
	    "no HSTS over plain HTTP on %s", what);
}

static void
check_no_store(const struct resp *r, const char *what)
{
	CHECK_STR(resp_header(r, "Cache-Control"), NO_STORE,
	    "Cache-Control of %s", what);
}

/* Log in a new browser as "reader"; the answer to the POST in r. */
static bool
login(struct site *s, struct browser *c, struct resp *r)
{
	browser_init(c, s, true);
	browser_login(c, "reader", PW, NULL, false, r);
	return CHECK_STATUS(r, 303, "POST", LOGIN " (reader)");
}

/* The first article's path, malloc'd, or NULL. */
static char *
an_article(struct site *s)
{
	struct resp	 r = { 0 };
	char		**v, *a = NULL;
	size_t		 n;

	if (http_get(s, "/", &r) == 200 &&
	    (n = html_hrefs(r.body, "/articles/", &v)) > 0) {
		a = strdup(v[0]);
		html_hrefs_free(v, n);
	}
	resp_free(&r);
	return a;
}

static void
test_anonymous_pages(struct site *s)
{
	struct resp	 r = { 0 };
	char		*art = an_article(s);

	http_get(s, "/", &r);
	CHECK_STATUS(&r, 200, "GET", "/");
	check_security_headers(&r, "the home page");
	CHECK_INT(resp_set_cookie_count(&r, NULL), 0, "cookies set by the "
	    "home page for an anonymous reader");
	CHECK(resp_header(&r, "Cache-Control") == NULL ||
	    strstr(resp_header(&r, "Cache-Control"), "no-store") == NULL,
	    "the anonymous home page may be cached");
	REQUIRE(art != NULL, "an article on the home page");
	http_get(s, art, &r);
	CHECK_STATUS(&r, 200, "GET", art);
	check_security_headers(&r, "an article");
	CHECK_INT(resp_set_cookie_count(&r, NULL), 0, "cookies set by an "
	    "article page for an anonymous reader");
	http_get(s, "/no-such-page/", &r);
	CHECK_STATUS(&r, 404, "GET", "/no-such-page/");
	check_security_headers(&r, "a 404");
	CHECK_INT(resp_set_cookie_count(&r, NULL), 0, "cookies set by a 404");
	http_get(s, "/accounts/logout/", &r);
	CHECK_STATUS(&r, 405, "GET", "/accounts/logout/");
	check_security_headers(&r, "a 405");
	http_get(s, PROFILE, &r);
	CHECK_STATUS(&r, 302, "GET", PROFILE " (anonymous)");
	check_security_headers(&r, "the 302 to the login page");
	http_get(s, "/healthz", &r);
	check_security_headers(&r, "/healthz");
	free(art);
	resp_free(&r);
}

static void
test_the_login_form_sets_only_the_csrf_cookie(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	const char	*sc;
	char		*v;

	browser_init(&c, s, true);
	browser_get(&c, LOGIN, &r);
	REQUIRE_STATUS(&r, 200, "GET", LOGIN);
	check_security_headers(&r, "the login page");
	check_no_store(&r, "the login form");
	CHECK_INT(resp_set_cookie_count(&r, NULL), 1, "cookies set by the "
	    "login form");
	sc = resp_set_cookie(&r, "gazette_csrf");
	if (CHECK(sc != NULL, "the login form sets gazette_csrf")) {
		v = cookie_value(sc);
		CHECK_INT(strlen(v), 43, "length of the gazette_csrf value");
		free(v);
		v = cookie_attr(sc, "HttpOnly");
		CHECK(v != NULL, "gazette_csrf is HttpOnly: %s", sc);
		free(v);
		v = cookie_attr(sc, "SameSite");
		CHECK_STR(v, "Lax", "SameSite of gazette_csrf");
		free(v);
		v = cookie_attr(sc, "Path");
		CHECK_STR(v, "/", "Path of gazette_csrf");
		free(v);
	}
	/* Once the browser has it, it is not set again. */
	browser_get(&c, LOGIN, &r);
	CHECK_INT(resp_set_cookie_count(&r, NULL), 0, "cookies set by the "
	    "login form the second time");
	check_no_store(&r, "the login form (second time)");
	/* The other account forms are personal too. */
	browser_get(&c, "/accounts/signup/", &r);
	check_security_headers(&r, "the signup page");
	check_no_store(&r, "the signup form");
	browser_get(&c, "/accounts/reset/", &r);
	check_no_store(&r, "the password reset form");
	resp_free(&r);
	browser_free(&c);
}

static void
test_refusals_carry_the_headers(struct site *s)
{
	struct browser	 c, d;
	struct resp	 r = { 0 };
	char		*tok, *form;

	/* 403: a POST without its token. */
	browser_init(&c, s, true);
	tok = browser_form_value(&c, LOGIN, "csrf_token");
	browser_post(&c, LOGIN, "username=reader&password=x", &r);
	CHECK_STATUS(&r, 403, "POST", LOGIN " without a token");
	check_security_headers(&r, "a 403 (CSRF)");
	free(tok);
	/* 429: five failures for one account (the default limit).  The
	 * token from the reset form: nginx allows an address 6 quick
	 * requests to the login URL, and gazette's 429 must come first. */
	browser_init(&d, s, true);
	tok = browser_form_value(&d, "/accounts/reset/", "csrf_token");
	form = form_encode("csrf_token", tok != NULL ? tok : "", "username",
	    "ghost", "password", "Wrong-Horse-42-battery", (char *)NULL);
	for (int i = 0; i < 5 && r.status != 429; i++)
		browser_post(&d, LOGIN, form, &r);
	if (CHECK_STATUS(&r, 429, "POST", LOGIN " (fifth failure)")) {
		CHECK_CONTAINS(r.body, "Too many failed logins.", "gazette's "
		    "429 page");
		check_security_headers(&r, "a 429");
		CHECK(resp_header(&r, "Retry-After") != NULL, "Retry-After "
		    "on the 429");
	}
	free(tok);
	free(form);
	resp_free(&r);
	browser_free(&c);
	browser_free(&d);
}

static void
test_logged_in_pages_are_not_stored(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	char		*art = an_article(s);

	if (login(s, &c, &r)) {
		check_security_headers(&r, "the 303 after login");
		check_no_store(&r, "the 303 after login");
	}
	browser_get(&c, "/", &r);
	CHECK_STATUS(&r, 200, "GET", "/ (logged in)");
	check_security_headers(&r, "the home page (logged in)");
	check_no_store(&r, "the home page for a logged-in reader");
	if (art != NULL) {
		browser_get(&c, art, &r);
		check_no_store(&r, "an article for a logged-in reader");
	}
	browser_get(&c, PROFILE, &r);
	CHECK_STATUS(&r, 200, "GET", PROFILE);
	check_security_headers(&r, "the profile");
	check_no_store(&r, "the profile");
	browser_get(&c, "/accounts/password/", &r);
	check_no_store(&r, "the password change form");
	browser_get(&c, "/accounts/2fa/", &r);
	check_no_store(&r, "the 2FA page");
	browser_get(&c, "/no-such-page/", &r);
	CHECK_STATUS(&r, 404, "GET", "/no-such-page/ (logged in)");
	check_security_headers(&r, "a 404 (logged in)");
	check_no_store(&r, "a 404 for a logged-in reader");
	free(art);
	resp_free(&r);
	browser_free(&c);
}

int
main(void)
{
	struct site		 s;
	struct site_opts	 o = { .workers = 2, .articles = 3 };

	harness_init("014_headers");
	if (site_start(&s, &o) == 0) {
		CHECK_INT(site_create_user(&s, "reader", "reader@example.com",
		    PW), 0, "createsuperuser reader");
		RUN(test_anonymous_pages, &s);
		RUN(test_the_login_form_sets_only_the_csrf_cookie, &s);
		RUN(test_refusals_carry_the_headers, &s);
		RUN(test_logged_in_pages_are_not_stored, &s);
		CHECK_LOG_CLEAN(&s);
		CHECK_INT(site_stop(&s), 0, "gazette's exit status");
	}
	return harness_finish();
}
