/*
 * 010_csrf: what the CSRF check refuses and what it lets through, on the
 * login form and the logout button, through nginx.  Refused: no token, a
 * wrong one, another visitor's, the anonymous token once logged in, a
 * foreign Origin or Sec-Fetch-Site even with the right token, no CSRF
 * cookie.  Accepted: the right token as the form field or as the
 * X-CSRF-Token header, with a same-origin Origin or Sec-Fetch-Site too.
 * A refusal is a 403 page that says why.
 *
 * nginx lets one address send a burst of 6 requests to /accounts/login/:
 * each case takes fresh browsers (each with its own address).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define PW		"Correct-Horse-42-battery"
#define LOGIN		"/accounts/login/"
#define LOGOUT		"/accounts/logout/"
#define CTYPE		"Content-Type: application/x-www-form-urlencoded"
#define A_TOKEN		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

/* The login form for a new browser: its token (also its gazette_csrf). */
static char *
login_token(struct browser *c)
{
	return browser_form_value(c, LOGIN, "csrf_token");
}

/*
 * POST the login form as user with token (NULL: no csrf_token field)
 * and the extra header h (NULL: none).  The status.
 */
static int
post_login(struct browser *c, const char *token, const char *h,
    struct resp *r)
{
	const char	*hdr[] = { CTYPE, h, NULL };
	char		*form = form_encode("csrf_token", token, "username",
	    "csrfuser", "password", PW, (char *)NULL);
	int		 st;

	st = browser_request(c, "POST", LOGIN, hdr, form, strlen(form), r);
	free(form);
	return st;
}

/* r is the 403 page naming reason; no session came of it. */
static void
check_refused(const struct resp *r, const char *reason, const char *what)
{
	if (!CHECK_STATUS(r, 403, "POST", what))
		return;
	CHECK_CONTAINS(r->body, "<h1>403 Forbidden</h1>", "%s: the 403 page",
	    what);
	CHECK_CONTAINS(r->body, reason, "%s: the reason on the page", what);
	CHECK_CONTAINS(r->body, "Reload the page and send the form again.",
	    "%s: what to do", what);
	CHECK(resp_set_cookie(r, "gazette_session") == NULL,
	    "%s: no session cookie", what);
}

/* A logged-in browser (as csrfuser); its session's token. */
static char *
logged_in_browser(struct site *s, struct browser *c)
{
	if (!browser_init_logged_in(c, s, "csrfuser", PW))
		return NULL;
	return browser_form_value(c, "/", "csrf_token");
}

static void
test_the_login_form_token_is_the_csrf_cookie(struct site *s)
{
	struct browser	 c;
	char		*tok;

	browser_init(&c, s, true);
	tok = login_token(&c);
	REQUIRE(tok != NULL, "the login form has a csrf_token");
	CHECK_INT(strlen(tok), 43, "length of the token");
	CHECK_STR(browser_cookie(&c, "gazette_csrf"), tok, "the gazette_csrf "
	    "cookie");
	free(tok);
	browser_free(&c);
}

static void
test_missing_token_is_403(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	char		*tok;

	browser_init(&c, s, true);
	tok = login_token(&c);
	post_login(&c, NULL, NULL, &r);
	check_refused(&r, "the CSRF token is missing", LOGIN " without a "
	    "token");
	post_login(&c, "", NULL, &r);
	check_refused(&r, "the CSRF token is missing", LOGIN " with an empty "
	    "token");
	free(tok);
	resp_free(&r);
	browser_free(&c);
}

static void
test_wrong_token_is_403(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	char		*tok, *bad;

	browser_init(&c, s, true);
	tok = login_token(&c);
	REQUIRE(tok != NULL && strlen(tok) == 43, "a token");
	post_login(&c, A_TOKEN, NULL, &r);
	check_refused(&r, "the CSRF token is incorrect", LOGIN " with a "
	    "wrong token");
	/* One character off. */
	bad = strdup(tok);
	bad[42] = bad[42] == 'A' ? 'B' : 'A';
	post_login(&c, bad, NULL, &r);
	check_refused(&r, "the CSRF token is incorrect", LOGIN " with a token "
	    "one character off");
	/* Longer. */
	free(bad);
	bad = str_printf("%sA", tok);
	post_login(&c, bad, NULL, &r);
	check_refused(&r, "the CSRF token is incorrect", LOGIN " with a "
	    "longer token");
	free(bad);
	free(tok);
	resp_free(&r);
	browser_free(&c);
}

static void
test_another_visitors_token_is_403(struct site *s)
{
	struct browser	 a, b;
	struct resp	 r = { 0 };
	char		*ta, *tb;

	browser_init(&a, s, true);
	browser_init(&b, s, true);
	ta = login_token(&a);
	tb = login_token(&b);
	REQUIRE(ta != NULL && tb != NULL, "two tokens");
	CHECK(strcmp(ta, tb) != 0, "two visitors have different tokens");
	post_login(&a, tb, NULL, &r);
	check_refused(&r, "the CSRF token is incorrect", LOGIN " with another "
	    "visitor's token");
	/* A token is good only with the cookie it came with. */
	free(ta);
	free(tb);
	resp_free(&r);
	browser_free(&a);
	browser_free(&b);
}

static void
test_no_csrf_cookie_is_403(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	char		*tok;

	browser_init(&c, s, true);
	tok = login_token(&c);
	browser_set_cookie(&c, "gazette_csrf", NULL);
	post_login(&c, tok, NULL, &r);
	check_refused(&r, "the CSRF cookie is missing", LOGIN " without the "
	    "gazette_csrf cookie");
	free(tok);
	resp_free(&r);
	browser_free(&c);
}

static void
test_foreign_origin_is_403_even_with_the_token(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	char		*tok;

	browser_init(&c, s, true);
	tok = login_token(&c);
	post_login(&c, tok, "Origin: https://evil.example", &r);
	check_refused(&r, "the request came from another site (Origin)",
	    LOGIN " from Origin https://evil.example");
	post_login(&c, tok, "Origin: null", &r);
	check_refused(&r, "the request came from another site (Origin)",
	    LOGIN " from Origin null");
	post_login(&c, tok, "Sec-Fetch-Site: cross-site", &r);
	check_refused(&r, "the request came from another site "
	    "(Sec-Fetch-Site)", LOGIN " with Sec-Fetch-Site: cross-site");
	post_login(&c, tok, "Sec-Fetch-Site: same-site", &r);
	check_refused(&r, "the request came from another site "
	    "(Sec-Fetch-Site)", LOGIN " with Sec-Fetch-Site: same-site");
	CHECK(!browser_logged_in(&c), "none of it logged in");
	free(tok);
	resp_free(&r);
	browser_free(&c);
}

static void
test_right_token_in_the_form_logs_in(struct site *s)
{
	struct browser	 c, o, f;
	struct resp	 r = { 0 };
	char		*tok, *origin;

	browser_init(&c, s, true);
	tok = login_token(&c);
	post_login(&c, tok, NULL, &r);
	if (CHECK_STATUS(&r, 303, "POST", LOGIN " with the right token"))
		CHECK(resp_set_cookie(&r, "gazette_session") != NULL,
		    "a session cookie");
	CHECK(browser_logged_in(&c), "logged in with the right token");
	free(tok);
	/*
	 * With this site's own Origin: the harness's site_url,
	 * http://127.0.0.1.  (A browser at http://127.0.0.1:PORT would send
	 * the port too, and be refused: site_url has no port here, and
	 * Debian's fastcgi_params passes HTTP_HOST as $host, without the
	 * port, so the request's own origin has none either.)
	 */
	browser_init(&o, s, true);
	tok = login_token(&o);
	origin = str_printf("Origin: http://127.0.0.1");
	post_login(&o, tok, origin, &r);
	CHECK_STATUS(&r, 303, "POST", LOGIN " with the site's Origin");
	free(origin);
	free(tok);
	/* Sec-Fetch-Site: same-origin. */
	browser_init(&f, s, true);
	tok = login_token(&f);
	post_login(&f, tok, "Sec-Fetch-Site: same-origin", &r);
	CHECK_STATUS(&r, 303, "POST", LOGIN " with Sec-Fetch-Site: "
	    "same-origin");
	free(tok);
	resp_free(&r);
	browser_free(&c);
	browser_free(&o);
	browser_free(&f);
}

static void
test_right_token_in_the_header_logs_in(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	char		*tok, *h;

	browser_init(&c, s, true);
	tok = login_token(&c);
	h = str_printf("X-CSRF-Token: %s", tok != NULL ? tok : "");
	post_login(&c, NULL, h, &r);
	CHECK_STATUS(&r, 303, "POST", LOGIN " with X-CSRF-Token");
	CHECK(browser_logged_in(&c), "logged in with the token in "
	    "X-CSRF-Token");
	free(h);
	/* A wrong header token is refused like a wrong field. */
	{
		struct browser	 d;

		browser_init(&d, s, true);
		free(tok);
		tok = login_token(&d);
		post_login(&d, NULL, "X-CSRF-Token: " A_TOKEN, &r);
		check_refused(&r, "the CSRF token is incorrect", LOGIN
		    " with a wrong X-CSRF-Token");
		browser_free(&d);
	}
	free(tok);
	resp_free(&r);
	browser_free(&c);
}

static void
test_the_token_changes_at_login(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	char		*anon, *tok, *form, *h;
	const char	*hdr[3] = { CTYPE, NULL, NULL };

	browser_init(&c, s, true);
	anon = login_token(&c);
	REQUIRE(anon != NULL, "an anonymous token");
	post_login(&c, anon, NULL, &r);
	REQUIRE_STATUS(&r, 303, "POST", LOGIN);
	tok = browser_form_value(&c, "/", "csrf_token");
	REQUIRE(tok != NULL, "the logged-in page has a token (logout form)");
	CHECK(strcmp(tok, anon) != 0, "the token changed at login");
	CHECK_STR(browser_cookie(&c, "gazette_csrf"), anon, "the anonymous "
	    "cookie is still in the browser");
	/* The anonymous token (with its cookie still there) is refused. */
	form = form_encode("csrf_token", anon, (char *)NULL);
	browser_post(&c, LOGOUT, form, &r);
	check_refused(&r, "the CSRF token is incorrect", LOGOUT " with the "
	    "pre-login token");
	free(form);
	h = str_printf("X-CSRF-Token: %s", anon);
	hdr[1] = h;
	browser_request(&c, "POST", LOGOUT, hdr, "", 0, &r);
	check_refused(&r, "the CSRF token is incorrect", LOGOUT " with the "
	    "pre-login token in X-CSRF-Token");
	free(h);
	CHECK(browser_logged_in(&c), "still logged in after the refused "
	    "logouts");
	/* Another logged-in user's token is refused too. */
	{
		struct browser	 o;
		char		*other = logged_in_browser(s, &o);

		if (CHECK(other != NULL, "a second session")) {
			CHECK(strcmp(other, tok) != 0, "two sessions have "
			    "different tokens");
			form = form_encode("csrf_token", other, (char *)NULL);
			browser_post(&c, LOGOUT, form, &r);
			check_refused(&r, "the CSRF token is incorrect", LOGOUT
			    " with another session's token");
			free(form);
		}
		free(other);
		browser_free(&o);
	}
	/* The session's token works. */
	form = form_encode("csrf_token", tok, (char *)NULL);
	browser_post(&c, LOGOUT, form, &r);
	CHECK_STATUS(&r, 303, "POST", LOGOUT " with the session's token");
	CHECK(!browser_logged_in(&c), "logged out");
	free(form);
	free(tok);
	free(anon);
	resp_free(&r);
	browser_free(&c);
}

static void
test_logged_in_post_with_the_header_token(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	char		*tok = logged_in_browser(s, &c), *h;
	const char	*hdr[2] = { NULL, NULL };

	REQUIRE(tok != NULL, "logged in");
	h = str_printf("X-CSRF-Token: %s", tok);
	hdr[0] = h;
	browser_request(&c, "POST", LOGOUT, hdr, "", 0, &r);
	CHECK_STATUS(&r, 303, "POST", LOGOUT " with X-CSRF-Token");
	CHECK(!browser_logged_in(&c), "logged out by the header token");
	free(h);
	free(tok);
	resp_free(&r);
	browser_free(&c);
}

int
main(void)
{
	struct site		 s;
	struct site_opts	 o = { .workers = 2 };

	harness_init("010_csrf");
	if (site_start(&s, &o) == 0) {
		CHECK_INT(site_create_user(&s, "csrfuser", "csrf@example.com",
		    PW), 0, "createsuperuser csrfuser");
		RUN(test_the_login_form_token_is_the_csrf_cookie, &s);
		RUN(test_missing_token_is_403, &s);
		RUN(test_wrong_token_is_403, &s);
		RUN(test_another_visitors_token_is_403, &s);
		RUN(test_no_csrf_cookie_is_403, &s);
		RUN(test_foreign_origin_is_403_even_with_the_token, &s);
		RUN(test_right_token_in_the_form_logs_in, &s);
		RUN(test_right_token_in_the_header_logs_in, &s);
		RUN(test_the_token_changes_at_login, &s);
		RUN(test_logged_in_post_with_the_header_token, &s);
		CHECK_LOG_CLEAN(&s);
		CHECK_INT(site_stop(&s), 0, "gazette's exit status");
	}
	return harness_finish();
}
