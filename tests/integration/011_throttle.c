/*
 * 011_throttle: failed logins and reset requests are counted and, past
 * the limit, refused with 429, Retry-After and a page that says when to
 * try again, through nginx.  Per account (any address, even with the
 * right password), per address (any username), the block lifts after
 * Retry-After and a good login clears the count; password reset requests
 * are limited per email (5 an hour, account_pages.c).  Also nginx's own
 * limit on /accounts/login/.
 *
 * Two sites with a 10-second window (the least throttle_window allows):
 * A counts 3 failures per account (and 1000 per address), B 5 per
 * address.  One wait of about 10 s.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define PW		"Correct-Horse-42-battery"
#define BAD_PW		"Wrong-Horse-42-battery"
#define LOGIN		"/accounts/login/"
#define RESET		"/accounts/reset/"
#define BAD_LOGIN	"Please enter a correct username and password"

/* POST the login form with the browser's anonymous token. */
static int
post_login(struct browser *c, const char *token, const char *user,
    const char *pw, struct resp *r)
{
	return browser_post_token(c, LOGIN, token, r, "username", user,
	    "password", pw, (char *)NULL);
}

/*
 * r is gazette's 429: Retry-After a whole number of seconds in 1..max,
 * the error page with detail and "Try again in", no session cookie.
 * Returns Retry-After (0 if the check failed).
 */
static long
check_429(const struct resp *r, const char *detail, long max,
    const char *what)
{
	const char	*ra;
	char		*end = NULL;
	long		 n = 0;

	if (!CHECK_STATUS(r, 429, "POST", what))
		return 0;
	ra = resp_header(r, "Retry-After");
	if (CHECK(ra != NULL, "%s: a Retry-After header", what)) {
		n = strtol(ra, &end, 10);
		CHECK(end != ra && *end == '\0' && n >= 1 && n <= max,
		    "%s: Retry-After is a number of seconds in 1..%ld (got "
		    "\"%s\")", what, max, ra);
	}
	CHECK_CONTAINS(r->body, "<h1>429 Too Many Requests</h1>",
	    "%s: the 429 page", what);
	CHECK_CONTAINS(r->body, detail, "%s: why", what);
	CHECK_CONTAINS(r->body, "Try again in", "%s: when to try again",
	    what);
	CHECK(resp_set_cookie(r, "gazette_session") == NULL,
	    "%s: no session cookie", what);
	return n > 0 && (end == NULL || *end == '\0') ? n : 0;
}

/* Make the user name (name@example.com, password PW). */
static void
create_user(struct site *s, const char *name)
{
	CHECK_INT(site_create_user(s, name, NULL, PW), 0, "createsuperuser %s",
	    name);
}

/* Site A: login_fails_account = 3, throttle_window = 10. */
static void
test_failures_per_account_block_then_lift(struct site *s)
{
	struct browser	 a, b, c;
	struct resp	 r = { 0 };
	char		*ta, *tc;
	long		 wait;
	long long	 since;

	create_user(s, "tina");
	browser_init(&a, s, true);
	ta = browser_form_value(&a, LOGIN, "csrf_token");
	REQUIRE(ta != NULL, "a login form");
	for (int i = 1; i <= 2; i++) {
		post_login(&a, ta, "tina", BAD_PW, &r);
		if (CHECK_STATUS(&r, 200, "POST", LOGIN " (wrong password)"))
			CHECK_CONTAINS(r.body, BAD_LOGIN, "failure %d", i);
	}
	/* The third failure reaches the limit: refused as a plain failure
	 * or already with the 429. */
	post_login(&a, ta, "tina", BAD_PW, &r);
	CHECK(r.status == 200 || r.status == 429, "third wrong password: 200 "
	    "or 429 (got %d)", r.status);
	harness_note("the third failure answers %d", r.status);
	/* Now even the right password is refused, from anywhere. */
	post_login(&a, ta, "tina", PW, &r);
	wait = check_429(&r, "Too many failed logins.", 10, LOGIN " (right "
	    "password, blocked)");
	CHECK_CONTAINS(r.body, "Try again in a minute.", "a 10-second block "
	    "says a minute");
	browser_init(&b, s, true);
	browser_login(&b, "tina", PW, NULL, false, &r);
	since = now_ms();
	{
		long	 w = check_429(&r, "Too many failed logins.", 10,
		    LOGIN " (right password, blocked, another address)");

		if (w > 0)
			wait = w;
	}
	REQUIRE(wait > 0, "a Retry-After to wait for");
	/* After Retry-After seconds, the right password works. */
	msleep((int)(wait * 1000 - (now_ms() - since)) + 300);
	post_login(&a, ta, "tina", PW, &r);
	if (CHECK_STATUS(&r, 303, "POST", LOGIN " after Retry-After"))
		CHECK(resp_set_cookie(&r, "gazette_session") != NULL,
		    "logged in after the block");
	/* The count and the strikes were cleared: three more failures block
	 * for the first window again (10 s), not a doubled one. */
	browser_init(&c, s, true);
	tc = browser_form_value(&c, LOGIN, "csrf_token");
	for (int i = 1; i <= 2; i++) {
		post_login(&c, tc, "tina", BAD_PW, &r);
		CHECK_STATUS(&r, 200, "POST", LOGIN " (wrong, after the "
		    "clear)");
	}
	post_login(&c, tc, "tina", BAD_PW, &r);
	if (r.status == 200)
		post_login(&c, tc, "tina", BAD_PW, &r);
	check_429(&r, "Too many failed logins.", 10, LOGIN " (blocked again "
	    "after a clear: not a doubled wait)");
	free(ta);
	free(tc);
	resp_free(&r);
	browser_free(&a);
	browser_free(&b);
	browser_free(&c);
}

/*
 * Site A: the count is the account's, whichever name it is given by:
 * three failures as "tess" or "tess@example.com" block the account.
 */
static void
test_failures_count_per_account_by_any_name(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	char		*tok;
	const char	*names[] = { "tess", "tess@example.com", "TESS" };

	create_user(s, "tess");
	browser_init(&c, s, true);
	tok = browser_form_value(&c, RESET, "csrf_token");
	REQUIRE(tok != NULL, "a token");
	for (int i = 0; i < 3; i++) {
		post_login(&c, tok, names[i], BAD_PW, &r);
		CHECK(r.status == 200 || r.status == 429, "wrong password as "
		    "%s: 200 or 429 (got %d)", names[i], r.status);
	}
	post_login(&c, tok, "tess@example.com", PW, &r);
	check_429(&r, "Too many failed logins.", 10, LOGIN " (right password "
	    "after 3 failures as tess, tess@example.com, TESS)");
	free(tok);
	resp_free(&r);
	browser_free(&c);
}

/* Site B: login_fails_address = 5. */
static void
test_failures_per_address_block(struct site *s)
{
	struct browser	 e, f;
	struct resp	 r = { 0 };
	char		*te;

	create_user(s, "uma");
	browser_init(&e, s, true);
	/* The anonymous token from the reset form: nginx allows an address
	 * 6 quick requests to /accounts/login/, and all six go to POSTs. */
	te = browser_form_value(&e, RESET, "csrf_token");
	REQUIRE(te != NULL, "a token");
	for (int i = 1; i <= 4; i++) {
		char	*u = str_printf("ghost%d", i);

		post_login(&e, te, u, BAD_PW, &r);
		CHECK_STATUS(&r, 200, "POST", LOGIN " (unknown user, one per "
		    "name)");
		free(u);
	}
	post_login(&e, te, "ghost5", BAD_PW, &r);
	CHECK(r.status == 200 || r.status == 429, "fifth failure from one "
	    "address: 200 or 429 (got %d)", r.status);
	post_login(&e, te, "uma", PW, &r);
	check_429(&r, "Too many failed logins.", 10, LOGIN " (right password "
	    "of another user, address blocked)");
	/* Another address is not blocked. */
	browser_init(&f, s, true);
	browser_login(&f, "uma", PW, NULL, false, &r);
	CHECK_STATUS(&r, 303, "POST", LOGIN " from another address");
	free(te);
	resp_free(&r);
	browser_free(&e);
	browser_free(&f);
}

/* Site A: 5 reset requests per email an hour; the sixth is refused. */
static void
test_reset_requests_per_email_are_limited(struct site *s)
{
	struct browser	 g, h;
	struct resp	 r = { 0 };
	char		*tg;
	int		 before, after;

	create_user(s, "vera");
	create_user(s, "wren");
	before = site_outbox_count(s);
	browser_init(&g, s, true);
	tg = browser_form_value(&g, RESET, "csrf_token");
	REQUIRE(tg != NULL, "the reset form");
	for (int i = 1; i <= 5; i++) {
		browser_post_token(&g, RESET, tg, &r, "email",
		    "vera@example.com", (char *)NULL);
		if (!CHECK_STATUS(&r, 303, "POST", RESET))
			harness_note("reset request %d of 5", i);
	}
	after = site_outbox_count(s);
	CHECK_INT(after - before, 5, "mails for 5 reset requests");
	browser_post_token(&g, RESET, tg, &r, "email", "vera@example.com",
	    (char *)NULL);
	check_429(&r, "Too many password reset requests.", 3600, RESET
	    " (sixth for one email)");
	CHECK_INT(site_outbox_count(s), after, "no mail for the refused "
	    "request");
	/* From another address: still this email's limit. */
	browser_init(&h, s, true);
	browser_post_form(&h, RESET, NULL, &r, "email", "VERA@example.com",
	    (char *)NULL);
	check_429(&r, "Too many password reset requests.", 3600, RESET
	    " (the same email in other case, another address)");
	/* Another email from the first address is fine. */
	browser_post_token(&g, RESET, tg, &r, "email", "wren@example.com",
	    (char *)NULL);
	CHECK_STATUS(&r, 303, "POST", RESET " (another email)");
	CHECK_INT(site_outbox_count(s), after + 1, "a mail for the other "
	    "email");
	free(tg);
	resp_free(&r);
	browser_free(&g);
	browser_free(&h);
}

/* Site B: 10 signups an hour from one address (account_pages.c). */
static void
test_signups_per_address_are_limited(struct site *s)
{
	struct browser	 c, d;
	struct resp	 r = { 0 };
	char		*tok;
	int		 made = 0;

	browser_init(&c, s, true);
	tok = browser_form_value(&c, "/accounts/signup/", "csrf_token");
	REQUIRE(tok != NULL, "the signup form");
	for (int i = 1; i <= 10; i++) {
		char	*name = str_printf("maker%d", i);
		char	*email = str_printf("maker%d@example.com", i);

		/* Each signup logs in: post with the anonymous token from a
		 * jar without the new session. */
		browser_set_cookie(&c, "gazette_session", NULL);
		browser_post_token(&c, "/accounts/signup/", tok, &r,
		    "username", name, "email", email, "password1", PW,
		    "password2", PW, (char *)NULL);
		made += r.status == 303;
		free(name);
		free(email);
	}
	CHECK_INT(made, 10, "signups from one address");
	browser_set_cookie(&c, "gazette_session", NULL);
	browser_post_token(&c, "/accounts/signup/", tok, &r, "username",
	    "maker11", "email", "maker11@example.com", "password1", PW,
	    "password2", PW, (char *)NULL);
	check_429(&r, "Too many accounts were created from your address.",
	    3600, "/accounts/signup/ (the eleventh from one address)");
	free(tok);
	/* Another address may. */
	browser_init(&d, s, true);
	browser_signup(&d, "maker11", "maker11@example.com", PW, PW, &r);
	CHECK_STATUS(&r, 303, "POST", "/accounts/signup/ (another address)");
	resp_free(&r);
	browser_free(&c);
	browser_free(&d);
}

/* nginx: limit_req on /accounts/login/, 10 a minute, burst 5. */
static void
test_nginx_limits_the_login_url(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	int		 ok = 0, limited = 0, other = 0;

	browser_init(&c, s, true);
	for (int i = 0; i < 9; i++) {
		browser_get(&c, LOGIN, &r);
		if (r.status == 200)
			ok++;
		else if (r.status == 429)
			limited++;
		else
			other++;
	}
	CHECK(ok >= 6 && limited >= 1 && other == 0, "9 quick GET %s from one "
	    "address: 6 or more 200s, then 429s (got %d, %d, %d other)", LOGIN,
	    ok, limited, other);
	/* Other pages are not limited. */
	for (int i = 0; i < 9; i++) {
		browser_get(&c, RESET, &r);
		if (!CHECK_STATUS(&r, 200, "GET", RESET " (not limited)"))
			break;
	}
	resp_free(&r);
	browser_free(&c);
}

int
main(void)
{
	struct site		 a, b;
	struct site_opts	 oa = { .workers = 2, .extra_ini =
	    "[accounts]\nthrottle_window = 10\nlogin_fails_account = 3\n"
	    "login_fails_address = 1000\n" };
	struct site_opts	 ob = { .workers = 1, .extra_ini =
	    "[accounts]\nthrottle_window = 10\nlogin_fails_address = 5\n" };

	harness_init("011_throttle");
	if (site_start(&a, &oa) == 0 && site_start(&b, &ob) == 0) {
		RUN(test_failures_per_address_block, &b);
		RUN(test_signups_per_address_are_limited, &b);
		RUN(test_reset_requests_per_email_are_limited, &a);
		RUN(test_nginx_limits_the_login_url, &a);
		RUN(test_failures_count_per_account_by_any_name, &a);
		RUN(test_failures_per_account_block_then_lift, &a);
		CHECK_LOG_CLEAN(&a);
		CHECK_LOG_CLEAN(&b);
		CHECK_INT(site_stop(&a), 0, "gazette's exit status (site A)");
		CHECK_INT(site_stop(&b), 0, "gazette's exit status (site B)");
	}
	return harness_finish();
}
