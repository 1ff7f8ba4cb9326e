/*
 * 009_accounts: accounts as a visitor meets them, through nginx: sign
 * up (and every reason a signup is refused), the session cookie (flags,
 * lifetime, a new value at every login, gone at logout), log in and out,
 * where "next" may send you, password change and "log out everywhere
 * else" ending the other sessions, the display name in the header,
 * signup switched off, and the account commands (createsuperuser,
 * changepassword, clearsessions).
 *
 * Every visitor is a browser with a loopback address of its own: nginx
 * allows one address a burst of 6 requests to /accounts/login/, then 10
 * a minute, so no browser here logs in more than three times.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define PW		"Correct-Horse-42-battery"
#define PW2		"Violet-Staple-77-lantern"
#define LOGIN		"/accounts/login/"
#define SIGNUP		"/accounts/signup/"
#define PROFILE		"/accounts/profile/"
#define LOGIN_NEXT_PROFILE "/accounts/login/?next=%2Faccounts%2Fprofile%2F"
#define BAD_LOGIN	"Please enter a correct username and password"
#define WELCOME		"Welcome!"

/* The browser's session cookie, malloc'd ("" if it has none). */
static char *
session_of(const struct browser *c)
{
	const char	*v = browser_cookie(c, "gazette_session");

	return strdup(v != NULL ? v : "");
}

/* Every gazette_session value seen in this run: none may come twice. */
static char	*seen[64];
static int	 nseen;

static bool
seen_before(const char *v)
{
	for (int i = 0; i < nseen; i++)
		if (strcmp(seen[i], v) == 0)
			return true;
	return false;
}

static void
remember_value(const char *v)
{
	if (v != NULL && *v != '\0' && nseen < 64 && !seen_before(v))
		seen[nseen++] = strdup(v);
}

/*
 * The gazette_session cookie r sets must be new (never seen in this
 * run), 43 base64url characters, HttpOnly, SameSite=Lax, Path=/, no
 * Secure (plain HTTP: nginx passes HTTPS=on only over TLS, so Secure is
 * for the unit tests), and have a Max-Age only when persistent.
 */
static void
check_new_session_cookie(const struct resp *r, bool persistent,
    const char *what)
{
	const char	*sc = resp_set_cookie(r, "gazette_session");
	char		*v, *a;

	if (!CHECK(sc != NULL, "%s sets gazette_session", what))
		return;
	v = cookie_value(sc);
	CHECK_INT(strlen(v), 43, "length of the gazette_session value (%s)",
	    what);
	CHECK(!seen_before(v), "%s: the session cookie value is new (%s)",
	    what, v);
	remember_value(v);
	free(v);
	a = cookie_attr(sc, "HttpOnly");
	CHECK(a != NULL, "%s: HttpOnly in %s", what, sc);
	free(a);
	a = cookie_attr(sc, "SameSite");
	CHECK_STR(a, "Lax", "%s: SameSite of the session cookie", what);
	free(a);
	a = cookie_attr(sc, "Path");
	CHECK_STR(a, "/", "%s: Path of the session cookie", what);
	free(a);
	a = cookie_attr(sc, "Secure");
	CHECK(a == NULL, "%s: no Secure over plain HTTP in %s", what, sc);
	free(a);
	a = cookie_attr(sc, "Max-Age");
	if (persistent)
		CHECK_STR(a, "1209600", "%s: Max-Age of a remembered session "
		    "(14 days)", what);
	else
		CHECK(a == NULL, "%s: no Max-Age (a browser-session cookie) "
		    "in %s", what, sc);
	free(a);
}

/* r clears gazette_session: empty value, Max-Age=0. */
static void
check_session_cleared(const struct resp *r, const char *what)
{
	const char	*sc = resp_set_cookie(r, "gazette_session");
	char		*v, *a;

	if (!CHECK(sc != NULL, "%s sets gazette_session", what))
		return;
	v = cookie_value(sc);
	a = cookie_attr(sc, "Max-Age");
	CHECK_STR(v, "", "%s: the session cookie is emptied", what);
	CHECK_STR(a, "0", "%s: Max-Age of the cleared cookie", what);
	free(v);
	free(a);
}

/* A new browser with its own address, signed up as username; true if the
 * signup answered 303. */
static bool
new_user(struct site *s, struct browser *c, const char *username)
{
	struct resp	 r = { 0 };
	char		*email = str_printf("%s@example.com", username);
	bool		 ok;

	browser_init(c, s, true);
	browser_signup(c, username, email, PW, PW, &r);
	ok = CHECK_STATUS(&r, 303, "POST", SIGNUP);
	remember_value(browser_cookie(c, "gazette_session"));
	resp_free(&r);
	free(email);
	return ok;
}

/* GET PROFILE must answer 302 to the login page (what = whose). */
static void
check_logged_out(struct browser *c, const char *what)
{
	struct resp	 r = { 0 };
	char		*p = str_printf("%s (%s)", PROFILE, what);

	browser_get(c, PROFILE, &r);
	if (CHECK_STATUS(&r, 302, "GET", p))
		CHECK_STR(resp_header(&r, "Location"), LOGIN_NEXT_PROFILE,
		    "%s: where GET %s sends", what, PROFILE);
	free(p);
	resp_free(&r);
}

/* ---- sign up, log out, log in -------------------------------------------- */

static void
test_signup_logs_in_and_welcomes_once(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };

	browser_init(&c, s, true);
	browser_get(&c, SIGNUP, &r);
	REQUIRE_STATUS(&r, 200, "GET", SIGNUP);
	CHECK_CONTAINS(r.body, "name=\"username\"", "signup form");
	CHECK_CONTAINS(r.body, "name=\"email\"", "signup form");
	CHECK_CONTAINS(r.body, "name=\"password1\"", "signup form");
	CHECK_CONTAINS(r.body, "name=\"password2\"", "signup form");
	CHECK_CONTAINS(r.body, "name=\"csrf_token\"", "signup form");
	browser_signup(&c, "alice", "alice@example.com", PW, PW, &r);
	if (CHECK_STATUS(&r, 303, "POST", SIGNUP)) {
		CHECK_STR(resp_header(&r, "Location"), "/",
		    "where a new account goes");
		check_new_session_cookie(&r, false, "signup");
	}
	/* The flash: on the next page, once. */
	browser_get(&c, "/", &r);
	CHECK_STATUS(&r, 200, "GET", "/ after signup");
	CHECK_INT(resp_count(&r, WELCOME), 1, "\"Welcome!\" on the page after "
	    "signup");
	CHECK_CONTAINS(r.body, "Signed in as <span class=\"user-nav__name\">"
	    "alice</span>", "header after signup");
	browser_get(&c, "/", &r);
	CHECK_INT(resp_count(&r, WELCOME), 0, "\"Welcome!\" on the page after "
	    "that");
	CHECK_CONTAINS(r.body, "Signed in as", "still logged in");
	CHECK(browser_logged_in(&c), "the new account's profile answers 200");
	resp_free(&r);
	browser_free(&c);
}

static void
test_logout_clears_the_cookie_and_ends_the_session(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	char		*old = NULL, *hdr = NULL;
	const char	*h[2];

	REQUIRE(new_user(s, &c, "bob"), "signup bob");
	old = session_of(&c);
	browser_logout(&c, &r);
	if (CHECK_STATUS(&r, 303, "POST", "/accounts/logout/")) {
		CHECK_STR(resp_header(&r, "Location"), "/",
		    "where logout goes");
		check_session_cleared(&r, "logout");
	}
	CHECK(browser_cookie(&c, "gazette_session") == NULL,
	    "the browser drops the session cookie");
	browser_get(&c, "/", &r);
	CHECK_CONTAINS(r.body, "You have been logged out.", "flash after "
	    "logout");
	CHECK_NOT_CONTAINS(r.body, "Signed in as", "header after logout");
	CHECK_CONTAINS(r.body, "href=\"/accounts/login/\"", "header after "
	    "logout links the login page");
	/* The old value, sent by hand, is dead. */
	hdr = str_printf("Cookie: gazette_session=%s", old);
	h[0] = hdr;
	h[1] = NULL;
	http_request(s, "GET", PROFILE, h, NULL, 0, &r);
	if (CHECK_STATUS(&r, 302, "GET", PROFILE " with the old cookie")) {
		CHECK_STR(resp_header(&r, "Location"), LOGIN_NEXT_PROFILE,
		    "where the old cookie is sent");
		check_session_cleared(&r, "a request with a dead session "
		    "cookie");
	}
	free(hdr);
	free(old);
	resp_free(&r);
	browser_free(&c);
}

static void
test_logout_by_get_is_405(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };

	REQUIRE(new_user(s, &c, "bert"), "signup bert");
	browser_get(&c, "/accounts/logout/", &r);
	if (CHECK_STATUS(&r, 405, "GET", "/accounts/logout/"))
		CHECK_STR(resp_header(&r, "Allow"), "POST",
		    "Allow of /accounts/logout/");
	CHECK(browser_logged_in(&c), "still logged in after GET "
	    "/accounts/logout/");
	resp_free(&r);
	browser_free(&c);
}

static void
test_login_gives_a_new_cookie_every_time(struct site *s)
{
	struct browser	 c, f, m;
	struct resp	 r = { 0 };
	char		*before;
	static const char forged[] =
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

	REQUIRE(new_user(s, &c, "carol"), "signup carol");
	browser_logout(&c, &r);
	CHECK_STATUS(&r, 303, "POST", "/accounts/logout/");
	/* Log in again: a value never seen, a browser-session cookie. */
	browser_login(&c, "carol", PW, NULL, false, &r);
	if (CHECK_STATUS(&r, 303, "POST", LOGIN)) {
		CHECK_STR(resp_header(&r, "Location"), "/",
		    "where login goes without next");
		check_new_session_cookie(&r, false, "login");
	}
	CHECK(browser_logged_in(&c), "carol's new session works");
	/* Logging in again while logged in: new value, old one dead. */
	before = session_of(&c);
	browser_login(&c, "carol", PW, NULL, false, &r);
	if (CHECK_STATUS(&r, 303, "POST", LOGIN " (logged in already)"))
		check_new_session_cookie(&r, false, "login over a session");
	CHECK(!site_session_works(s, before), "the session before the second "
	    "login is gone");
	free(before);
	/* A session id the visitor brought is never taken on. */
	browser_init(&f, s, true);
	browser_set_cookie(&f, "gazette_session", forged);
	remember_value(forged);
	browser_login(&f, "carol", PW, NULL, false, &r);
	if (CHECK_STATUS(&r, 303, "POST", LOGIN " (with a forged cookie)"))
		check_new_session_cookie(&r, false, "login with a forged "
		    "session cookie");
	CHECK(strcmp(browser_cookie(&f, "gazette_session") != NULL ?
	    browser_cookie(&f, "gazette_session") : forged, forged) != 0,
	    "the forged session id was replaced");
	/* "Remember me": a persistent cookie. */
	browser_init(&m, s, true);
	browser_login(&m, "carol", PW, NULL, true, &r);
	if (CHECK_STATUS(&r, 303, "POST", LOGIN " (remember)"))
		check_new_session_cookie(&r, true, "login with remember");
	CHECK(browser_logged_in(&m), "the remembered session works");
	CHECK(browser_logged_in(&c), "an earlier session of carol still works");
	resp_free(&r);
	browser_free(&c);
	browser_free(&f);
	browser_free(&m);
}

static void
test_wrong_password_is_refused_on_the_form(struct site *s)
{
	struct browser	 c, x;
	struct resp	 r = { 0 };
	char		*v;

	REQUIRE(new_user(s, &c, "dave"), "signup dave");
	browser_init(&x, s, true);
	browser_login(&x, "dave", "Wrong-Horse-42-battery", NULL, false, &r);
	if (CHECK_STATUS(&r, 200, "POST", LOGIN " (wrong password)")) {
		CHECK_CONTAINS(r.body, BAD_LOGIN, "login page after a wrong "
		    "password");
		v = html_input_value(r.body, "username");
		CHECK_STR(v, "dave", "the username field keeps what was typed");
		free(v);
		CHECK_NOT_CONTAINS(r.body, "Wrong-Horse-42-battery",
		    "the password is never sent back");
	}
	CHECK(resp_set_cookie(&r, "gazette_session") == NULL,
	    "no session cookie for a wrong password");
	CHECK(!browser_logged_in(&x), "not logged in after a wrong password");
	/* Unknown user: the same message. */
	browser_login(&x, "nobody-here", PW, NULL, false, &r);
	if (CHECK_STATUS(&r, 200, "POST", LOGIN " (unknown user)"))
		CHECK_CONTAINS(r.body, BAD_LOGIN, "login page for an unknown "
		    "user");
	/* By email, in any case. */
	browser_login(&x, "Dave@Example.com", PW, NULL, false, &r);
	if (CHECK_STATUS(&r, 303, "POST", LOGIN " (by email)"))
		check_new_session_cookie(&r, false, "login by email");
	browser_get(&x, "/", &r);
	CHECK_CONTAINS(r.body, "Signed in as <span class=\"user-nav__name\">"
	    "dave</span>", "header after logging in by email");
	resp_free(&r);
	browser_free(&c);
	browser_free(&x);
}

/* Sign up with these and expect 200 with msg on the form, what was typed
 * kept (username and email) and the password never sent back. */
static void
check_signup_refused(struct browser *c, const char *username,
    const char *email, const char *pw1, const char *pw2, const char *msg)
{
	struct resp	 r = { 0 };
	char		*v;

	browser_signup(c, username, email, pw1, pw2, &r);
	if (!CHECK_STATUS(&r, 200, "POST", SIGNUP)) {
		harness_note("  (expected \"%s\" for %s / %s)", msg, username,
		    email);
		resp_free(&r);
		return;
	}
	CHECK_CONTAINS(r.body, msg, "signup form for %s / %s", username,
	    email);
	CHECK_CONTAINS(r.body, "class=\"field__error\"", "the error is at a "
	    "field (%s)", msg);
	v = html_input_value(r.body, "username");
	CHECK_STR(v, username, "the username field keeps what was typed");
	free(v);
	v = html_input_value(r.body, "email");
	CHECK_STR(v, email, "the email field keeps what was typed");
	free(v);
	v = html_input_value(r.body, "password1");
	CHECK_STR(v, "", "password1 is sent back empty");
	free(v);
	v = html_input_value(r.body, "password2");
	CHECK_STR(v, "", "password2 is sent back empty");
	free(v);
	CHECK_NOT_CONTAINS(r.body, pw1, "the password is never sent back");
	CHECK(resp_set_cookie(&r, "gazette_session") == NULL,
	    "no session for a refused signup (%s)", msg);
	resp_free(&r);
}

static void
test_signup_refusals_say_why(struct site *s)
{
	struct browser	 e, c;

	REQUIRE(new_user(s, &e, "erin"), "signup erin");
	browser_init(&c, s, true);
	check_signup_refused(&c, "ERIN", "other@example.com", PW, PW,
	    "A user with that username already exists.");
	check_signup_refused(&c, "erin2", "erin@example.com", PW, PW,
	    "A user with that email address already exists.");
	check_signup_refused(&c, "erin3", "ERIN@example.COM", PW, PW,
	    "A user with that email address already exists.");
	check_signup_refused(&c, "fred", "fred@example.com", "Ab-3x", "Ab-3x",
	    "This password is too short");
	check_signup_refused(&c, "fred", "fred@example.com", "password123",
	    "password123", "This password is too common");
	check_signup_refused(&c, "fred", "fred@example.com", "4829301746582",
	    "4829301746582", "This password is entirely numeric");
	check_signup_refused(&c, "frankenstein", "fred@example.com",
	    "frankenstein1", "frankenstein1",
	    "This password is too similar to your username");
	check_signup_refused(&c, "fred", "fred@example.com", PW, PW2,
	    "The two password fields didn\xe2\x80\x99t match.");
	check_signup_refused(&c, "bad name!", "fred@example.com", PW, PW,
	    "Enter a valid username.");
	check_signup_refused(&c, "fred", "not-an-email", PW, PW,
	    "Enter a valid email address.");
	CHECK(!browser_logged_in(&c), "no refused signup logged the visitor "
	    "in");
	/* And the name is still free. */
	{
		struct resp	 r = { 0 };

		browser_signup(&c, "fred", "fred@example.com", PW, PW, &r);
		CHECK_STATUS(&r, 303, "POST", SIGNUP " (fred, all good)");
		resp_free(&r);
	}
	browser_free(&e);
	browser_free(&c);
}

/* ---- next ------------------------------------------------------------- */

static void
check_next(struct site *s, const char *next, const char *want)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	char		*enc = url_encode(next), *page, *kept;

	browser_init(&c, s, true);
	/* The form carries a safe next along, and only a safe one. */
	page = str_printf("%s?next=%s", LOGIN, enc);
	kept = browser_form_value(&c, page, "next");
	if (strcmp(want, "/") == 0)
		CHECK(kept == NULL, "the login form drops next=%s", next);
	else
		CHECK_STR(kept, next, "the login form keeps next");
	free(kept);
	free(page);
	/* Posted as is (a crafted form): the same answer. */
	browser_login(&c, "jack", PW, next, false, &r);
	if (CHECK_STATUS(&r, 303, "POST", LOGIN " with next"))
		CHECK_STR(resp_header(&r, "Location"), want,
		    "where login sends for next=%s", next);
	free(enc);
	resp_free(&r);
	browser_free(&c);
}

static void
test_next_stays_on_this_site(struct site *s)
{
	struct browser	 j;

	REQUIRE(new_user(s, &j, "jack"), "signup jack");
	check_next(s, "//evil.example", "/");
	check_next(s, "https://evil.example", "/");
	check_next(s, "/\\evil.example", "/");
	check_next(s, "/articles/x/", "/articles/x/");
	browser_free(&j);
}

/* ---- password change, other sessions ------------------------------------- */

static int
change_password(struct browser *c, const char *old, const char *p1,
    const char *p2, struct resp *r)
{
	return browser_post_form(c, "/accounts/password/", NULL, r,
	    "old_password", old, "new_password1", p1, "new_password2", p2,
	    (char *)NULL);
}

static void
test_password_change_ends_the_other_sessions(struct site *s)
{
	struct browser	 a, b, x;
	struct resp	 r = { 0 };
	char		*before;

	REQUIRE(new_user(s, &a, "gina"), "signup gina");
	browser_init(&b, s, true);
	browser_login(&b, "gina", PW, NULL, false, &r);
	REQUIRE_STATUS(&r, 303, "POST", LOGIN " (gina, second browser)");
	/* Wrong old password. */
	change_password(&a, "Not-The-Old-One-99", PW2, PW2, &r);
	if (CHECK_STATUS(&r, 200, "POST", "/accounts/password/ (wrong old)"))
		CHECK_CONTAINS(r.body, "Your old password was entered "
		    "incorrectly", "password change form");
	CHECK_NOT_CONTAINS(r.body, PW2, "passwords are never sent back");
	CHECK(browser_logged_in(&b), "a failed change ends no session");
	/* A weak new one. */
	change_password(&a, PW, "gina", "gina", &r);
	if (CHECK_STATUS(&r, 200, "POST", "/accounts/password/ (weak)"))
		CHECK_CONTAINS(r.body, "This password is too short",
		    "password change form");
	/* Right. */
	before = session_of(&a);
	change_password(&a, PW, PW2, PW2, &r);
	if (CHECK_STATUS(&r, 303, "POST", "/accounts/password/")) {
		CHECK_STR(resp_header(&r, "Location"), PROFILE,
		    "where a password change goes");
		check_new_session_cookie(&r, false, "password change");
	}
	browser_get(&a, PROFILE, &r);
	if (CHECK_STATUS(&r, 200, "GET", PROFILE " (after the change)"))
		CHECK_CONTAINS(r.body, "Your password was changed.",
		    "flash after a password change");
	check_logged_out(&b, "the other browser after the change");
	CHECK(!site_session_works(s, before), "this browser's old session id "
	    "is dead");
	free(before);
	/* Old password out, new in. */
	browser_init(&x, s, true);
	browser_login(&x, "gina", PW, NULL, false, &r);
	if (CHECK_STATUS(&r, 200, "POST", LOGIN " (old password)"))
		CHECK_CONTAINS(r.body, BAD_LOGIN, "the old password fails");
	browser_login(&x, "gina", PW2, NULL, false, &r);
	CHECK_STATUS(&r, 303, "POST", LOGIN " (new password)");
	resp_free(&r);
	browser_free(&a);
	browser_free(&b);
	browser_free(&x);
}

static void
test_log_out_everywhere_else(struct site *s)
{
	struct browser	 a, b;
	struct resp	 r = { 0 };
	char		*tok;

	REQUIRE(new_user(s, &a, "hank"), "signup hank");
	browser_init(&b, s, true);
	browser_login(&b, "hank", PW, NULL, false, &r);
	REQUIRE_STATUS(&r, 303, "POST", LOGIN " (hank, second browser)");
	browser_get(&a, PROFILE, &r);
	CHECK_STATUS(&r, 200, "GET", PROFILE);
	CHECK_CONTAINS(r.body, "Log out everywhere else", "profile with two "
	    "sessions");
	CHECK_CONTAINS(r.body, "This browser", "profile marks this session");
	tok = html_input_value(r.body, "csrf_token");
	browser_post_token(&a, "/accounts/profile/sessions/", tok, &r,
	    (char *)NULL);
	if (CHECK_STATUS(&r, 303, "POST", "/accounts/profile/sessions/"))
		CHECK_STR(resp_header(&r, "Location"), PROFILE,
		    "where \"log out everywhere else\" goes");
	browser_get(&a, PROFILE, &r);
	if (CHECK_STATUS(&r, 200, "GET", PROFILE " (this browser after)")) {
		CHECK_CONTAINS(r.body, "You have been logged out everywhere "
		    "else.", "flash");
		CHECK_CONTAINS(r.body, "You're not logged in anywhere else.",
		    "profile with one session");
	}
	check_logged_out(&b, "the other browser");
	free(tok);
	resp_free(&r);
	browser_free(&a);
	browser_free(&b);
}

static void
test_display_name_shows_in_the_header(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };

	REQUIRE(new_user(s, &c, "ivy"), "signup ivy");
	browser_post_form(&c, PROFILE, NULL, &r, "display_name",
	    "Ivy <Writer> & Co", "email", "ivy@example.com", (char *)NULL);
	if (CHECK_STATUS(&r, 303, "POST", PROFILE))
		CHECK_STR(resp_header(&r, "Location"), PROFILE,
		    "where a profile update goes");
	browser_get(&c, "/", &r);
	CHECK_CONTAINS(r.body, "Signed in as <span class=\"user-nav__name\">"
	    "Ivy &lt;Writer&gt; &amp; Co</span>", "header with the display "
	    "name (escaped)");
	CHECK_NOT_CONTAINS(r.body, "<Writer>", "the display name is escaped");
	resp_free(&r);
	browser_free(&c);
}

/* ---- signup off ------------------------------------------------------- */

static void
test_signup_off_hides_it(struct site *s)
{
	struct resp	 r = { 0 };
	char		**v;
	size_t		 n;
	const char	*pages[] = { "/", LOGIN };

	http_get(s, SIGNUP, &r);
	CHECK_STATUS(&r, 404, "GET", SIGNUP " (signup = off)");
	for (size_t i = 0; i < 2; i++) {
		http_get(s, pages[i], &r);
		if (!CHECK_STATUS(&r, 200, "GET", pages[i]))
			continue;
		n = html_hrefs(r.body, SIGNUP, &v);
		CHECK_INT(n, 0, "links to %s on %s with signup off", SIGNUP,
		    pages[i]);
		html_hrefs_free(v, n);
		CHECK_NOT_CONTAINS(r.body, "Sign up", "%s with signup off",
		    pages[i]);
	}
	resp_free(&r);
}

static void
test_signup_on_links_it(struct site *s)
{
	struct resp	 r = { 0 };
	char		**v;
	size_t		 n;

	http_get(s, LOGIN, &r);
	n = html_hrefs(r.body != NULL ? r.body : "", SIGNUP, &v);
	CHECK(n > 0, "the login page links %s when signup is on", SIGNUP);
	html_hrefs_free(v, n);
	resp_free(&r);
}

/* ---- commands --------------------------------------------------------- */

static void
test_createsuperuser(struct site *s)
{
	struct cmd_result	 c;
	struct browser		 x;
	struct resp		 r = { 0 };

	site_gazette_input(s, PW "\n", &c, "createsuperuser", "--username",
	    "root", "--email", "root@example.com", "--password-stdin",
	    (char *)NULL);
	CHECK_INT(c.status, 0, "createsuperuser root (stderr: %s)", c.err);
	CHECK_CONTAINS(c.out, "Superuser root created.", "createsuperuser "
	    "output");
	cmd_free(&c);
	browser_init(&x, s, true);
	browser_login(&x, "root", PW, NULL, false, &r);
	CHECK_STATUS(&r, 303, "POST", LOGIN " (the superuser)");
	browser_get(&x, "/", &r);
	CHECK_CONTAINS(r.body, "Signed in as", "the superuser is logged in");
	resp_free(&r);
	browser_free(&x);

	site_gazette_input(s, PW "\n", &c, "createsuperuser", "--username",
	    "ROOT", "--email", "root2@example.com", "--password-stdin",
	    (char *)NULL);
	CHECK_INT(c.status, 1, "createsuperuser with a taken username");
	CHECK_CONTAINS(c.err, "username is already taken", "its message");
	cmd_free(&c);

	site_gazette_input(s, "password123\n", &c, "createsuperuser",
	    "--username", "root3", "--email", "root3@example.com",
	    "--password-stdin", (char *)NULL);
	CHECK_INT(c.status, 1, "createsuperuser with a weak password");
	CHECK_CONTAINS(c.err, "This password is too common", "its message");
	cmd_free(&c);

	site_gazette_input(s, "short\n", &c, "createsuperuser",
	    "--username", "root4", "--email", "root4@example.com",
	    "--password-stdin", (char *)NULL);
	CHECK_INT(c.status, 1, "createsuperuser with a short password");
	CHECK_CONTAINS(c.err, "This password is too short", "its message");
	cmd_free(&c);

	/* A config whose database does not exist: a usage error, 2. */
	{
		char	*ini = file_read(s->ini, NULL), *p, *other, *missing;
		char	*argv[] = { (char *)harness_bin(), (char *)"--config",
		    NULL, (char *)"createsuperuser", (char *)"--username",
		    (char *)"root5", (char *)"--email",
		    (char *)"root5@example.com", (char *)"--password-stdin",
		    NULL };

		REQUIRE(ini != NULL, "read %s", s->ini);
		REQUIRE((p = strstr(ini, s->database)) != NULL, "the ini "
		    "names the database");
		missing = str_printf("%s/no-such-dir/gazette.db", s->dir);
		other = str_printf("%.*s%s%s", (int)(p - ini), ini, missing,
		    p + strlen(s->database));
		free(ini);
		ini = str_printf("%s/missing-db.ini", s->dir);
		REQUIRE(file_write(ini, other, strlen(other), false) == 0,
		    "write %s", ini);
		argv[2] = ini;
		cmd_run_input(argv, PW "\n", 20000, &c);
		CHECK_INT(c.status, 2, "createsuperuser with a missing "
		    "database (stderr: %s)", c.err);
		CHECK(access(missing, F_OK) != 0, "no database was created");
		cmd_free(&c);
		free(missing);
		free(other);
		free(ini);
	}
}

static void
test_changepassword_ends_sessions(struct site *s)
{
	struct cmd_result	 c;
	struct browser		 a, b, x;
	struct resp		 r = { 0 };

	REQUIRE(new_user(s, &a, "kate"), "signup kate");
	browser_init(&b, s, true);
	browser_login(&b, "kate", PW, NULL, false, &r);
	REQUIRE_STATUS(&r, 303, "POST", LOGIN " (kate)");
	site_gazette_input(s, "password\n", &c, "changepassword",
	    "--password-stdin", "kate", (char *)NULL);
	CHECK_INT(c.status, 1, "changepassword to a weak password");
	CHECK_CONTAINS(c.err, "This password is too common", "its message");
	cmd_free(&c);
	CHECK(browser_logged_in(&a), "a refused changepassword ends no "
	    "session");
	site_gazette_input(s, PW2 "\n", &c, "changepassword",
	    "--password-stdin", "kate", (char *)NULL);
	CHECK_INT(c.status, 0, "changepassword kate (stderr: %s)", c.err);
	CHECK_CONTAINS(c.out, "Password changed for kate; 2 session(s) ended.",
	    "changepassword output");
	cmd_free(&c);
	check_logged_out(&a, "kate's first browser after changepassword");
	check_logged_out(&b, "kate's second browser after changepassword");
	browser_init(&x, s, true);
	browser_login(&x, "kate", PW, NULL, false, &r);
	CHECK_STATUS(&r, 200, "POST", LOGIN " (kate, old password)");
	browser_login(&x, "kate", PW2, NULL, false, &r);
	CHECK_STATUS(&r, 303, "POST", LOGIN " (kate, new password)");
	site_gazette_input(s, PW "\n", &c, "changepassword",
	    "--password-stdin", "nobody-at-all", (char *)NULL);
	CHECK_INT(c.status, 1, "changepassword for an unknown user");
	CHECK_CONTAINS(c.err, "no user named nobody-at-all", "its message");
	cmd_free(&c);
	resp_free(&r);
	browser_free(&a);
	browser_free(&b);
	browser_free(&x);
}

static void
test_clearsessions_counts(struct site *s)
{
	struct cmd_result	 c;
	struct browser		 a;
	int			 n = -1;
	char			 tail[64] = "";

	REQUIRE(new_user(s, &a, "liam"), "signup liam");
	site_gazette(s, &c, "clearsessions", (char *)NULL);
	CHECK_INT(c.status, 0, "clearsessions (stderr: %s)", c.err);
	CHECK(sscanf(c.out, "Deleted %d expired session(s%63[^\n]", &n,
	    tail) == 2 && n >= 0 && strcmp(tail, ").") == 0,
	    "clearsessions prints a count: \"%s\"", c.out);
	cmd_free(&c);
	CHECK(browser_logged_in(&a), "clearsessions leaves live sessions "
	    "alone");
	/* With the sqlite3 shell, expire liam's session: it goes. */
	if (access("/usr/bin/sqlite3", X_OK) == 0) {
		char	*sql = str_printf("PRAGMA busy_timeout = 5000; "
		    "UPDATE sessions SET expires_at = 1 WHERE user_id = "
		    "(SELECT id FROM users WHERE username = 'liam');");
		char	*argv[] = { (char *)"/usr/bin/sqlite3", s->database,
		    sql, NULL };

		cmd_run(argv, 20000, &c);
		CHECK_INT(c.status, 0, "sqlite3 expiring liam's session (%s)",
		    c.err);
		cmd_free(&c);
		free(sql);
		site_gazette(s, &c, "clearsessions", (char *)NULL);
		CHECK_INT(c.status, 0, "clearsessions");
		CHECK_CONTAINS(c.out, "Deleted 1 expired session(s).",
		    "clearsessions with one expired session");
		cmd_free(&c);
		CHECK(!site_session_works(s, browser_cookie(&a,
		    "gazette_session")), "the cleared session is gone");
	} else
		harness_note("no /usr/bin/sqlite3: clearsessions checked with "
		    "no expired session only");
	browser_free(&a);
}

int
main(void)
{
	struct site		 s, off;
	struct site_opts	 o = { .workers = 2, .articles = 2 };
	struct site_opts	 oo = { .workers = 1,
	    .extra_ini = "[accounts]\nsignup = off\n" };

	harness_init("009_accounts");
	if (site_start(&s, &o) == 0) {
		RUN(test_signup_logs_in_and_welcomes_once, &s);
		RUN(test_logout_clears_the_cookie_and_ends_the_session, &s);
		RUN(test_logout_by_get_is_405, &s);
		RUN(test_login_gives_a_new_cookie_every_time, &s);
		RUN(test_wrong_password_is_refused_on_the_form, &s);
		RUN(test_signup_refusals_say_why, &s);
		RUN(test_next_stays_on_this_site, &s);
		RUN(test_password_change_ends_the_other_sessions, &s);
		RUN(test_log_out_everywhere_else, &s);
		RUN(test_display_name_shows_in_the_header, &s);
		RUN(test_signup_on_links_it, &s);
		RUN(test_createsuperuser, &s);
		RUN(test_changepassword_ends_sessions, &s);
		RUN(test_clearsessions_counts, &s);
		CHECK_LOG_CLEAN(&s);
		CHECK_INT(site_stop(&s), 0, "gazette's exit status");
	}
	if (site_start(&off, &oo) == 0) {
		RUN(test_signup_off_hides_it, &off);
		CHECK_LOG_CLEAN(&off);
		CHECK_INT(site_stop(&off), 0, "gazette's exit status");
	}
	for (int i = 0; i < nseen; i++)
		free(seen[i]);
	return harness_finish();
}
