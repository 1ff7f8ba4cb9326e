/*
 * 012_reset: "forgot your password" end to end, through nginx and the
 * mail outbox: the same answer whether or not the email has an account
 * (and a mail only when it has), a link that works once, dies when the
 * password changes another way and when tampered with, and a reset that
 * ends every session of the user and swaps the passwords.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define PW		"Correct-Horse-42-battery"
#define PW2		"Violet-Staple-77-lantern"
#define PW3		"Amber-Kettle-19-meadow"
#define LOGIN		"/accounts/login/"
#define RESET		"/accounts/reset/"
#define SENT		"/accounts/reset/sent/"
#define BAD_LOGIN	"Please enter a correct username and password"
#define UNSUCCESSFUL	"Password reset unsuccessful"
#define LINK_PREFIX	"http://127.0.0.1/accounts/reset/"

static char	*outbox;

/* Does html have an <input name="NAME">? */
static bool
has_input(const char *html, const char *name)
{
	char	*v = html_input_value(html, name);

	free(v);
	return v != NULL;
}

/* A user made by signing up in a new browser (left logged in). */
static bool
new_user(struct site *s, struct browser *c, const char *name)
{
	struct resp	 r = { 0 };
	char		*email = str_printf("%s@example.com", name);
	bool		 ok;

	browser_init(c, s, true);
	browser_signup(c, name, email, PW, PW, &r);
	ok = CHECK_STATUS(&r, 303, "POST", "/accounts/signup/");
	free(email);
	resp_free(&r);
	return ok;
}

/* Ask for a reset of email from a new anonymous browser; r gets the
 * answer to the POST. */
static void
ask_reset(struct site *s, const char *email, struct resp *r)
{
	struct browser	 c;

	browser_init(&c, s, true);
	browser_post_form(&c, RESET, NULL, r, "email", email, (char *)NULL);
	browser_free(&c);
}

/*
 * Ask for a reset of email: 303 to SENT and exactly one new mail, to
 * the account's address to, with the link.  Returns the link's path
 * (malloc'd) or NULL.
 */
static char *
reset_link(struct site *s, const char *email, const char *to)
{
	struct resp	 r = { 0 };
	int		 before = site_outbox_count(s);
	char		*path, *text, *link = NULL, *raw;
	const char	*p;

	ask_reset(s, email, &r);
	if (CHECK_STATUS(&r, 303, "POST", RESET))
		CHECK_STR(resp_header(&r, "Location"), SENT, "where a reset "
		    "request goes");
	resp_free(&r);
	if (!CHECK_INT(site_outbox_count(s), before + 1, "new mails in "
	    "the outbox for %s", email))
		return NULL;
	path = dir_last(outbox, ".eml");
	if (!CHECK(path != NULL, "the newest mail"))
		return NULL;
	raw = file_read(path, NULL);
	text = mail_body_text(path);
	if (CHECK(raw != NULL && text != NULL, "read %s", path)) {
		char	*hdr = str_printf("\nTo: %s\r\n", to);

		CHECK_CONTAINS(raw, hdr, "the mail's To header");
		CHECK_CONTAINS(raw, "\nSubject: Password reset on ", "the "
		    "mail's Subject");
		free(hdr);
		if (CHECK_CONTAINS(text, LINK_PREFIX, "the mail has the "
		    "link")) {
			p = strstr(text, LINK_PREFIX) + strlen(LINK_PREFIX) -
			    strlen(RESET);
			link = strndup(p, strcspn(p, " \r\n"));
		}
	}
	free(raw);
	free(text);
	free(path);
	if (link != NULL)
		CHECK(strlen(link) > strlen(RESET) + 64 &&
		    link[strlen(link) - 1] == '/', "the link's path %s",
		    link);
	return link;
}

/* GET link must show the "unsuccessful" page, and POSTing to it too. */
static void
check_link_dead(struct site *s, const char *link, const char *what)
{
	struct browser	 c;
	struct resp	 r = { 0 };

	browser_init(&c, s, true);
	browser_get(&c, link, &r);
	if (CHECK_STATUS(&r, 200, "GET", link)) {
		CHECK_CONTAINS(r.body, UNSUCCESSFUL, "%s", what);
		CHECK(!has_input(r.body, "new_password1"),
		    "%s: no password form", what);
	}
	browser_post_form(&c, link, RESET, &r, "new_password1", PW3,
	    "new_password2", PW3, (char *)NULL);
	if (CHECK_STATUS(&r, 200, "POST", link))
		CHECK_CONTAINS(r.body, UNSUCCESSFUL, "%s (POST)", what);
	resp_free(&r);
	browser_free(&c);
}

/* Set a new password through link from a new browser; the response. */
static int
use_link(struct site *s, struct browser *c, const char *link,
    const char *p1, const char *p2, struct resp *r)
{
	char	*tok;
	int	 st;

	browser_init(c, s, true);
	browser_get(c, link, r);
	if (!CHECK_STATUS(r, 200, "GET", link))
		return r->status;
	CHECK_CONTAINS(r->body, "Set a new password", "the page the link "
	    "opens");
	tok = html_input_value(r->body, "csrf_token");
	CHECK(has_input(r->body, "new_password1"),
	    "the link's page has the password form");
	st = browser_post_token(c, link, tok, r, "new_password1", p1,
	    "new_password2", p2, (char *)NULL);
	free(tok);
	return st;
}

static void
test_unknown_email_gets_the_same_answer_and_no_mail(struct site *s)
{
	struct browser	 u;
	struct resp	 known = { 0 }, unknown = { 0 }, r = { 0 };
	int		 before;

	REQUIRE(new_user(s, &u, "uma"), "signup uma");
	before = site_outbox_count(s);
	ask_reset(s, "uma@example.com", &known);
	if (CHECK_STATUS(&known, 303, "POST", RESET " (known email)"))
		CHECK_STR(resp_header(&known, "Location"), SENT, "where a reset "
		    "request goes");
	CHECK_INT(site_outbox_count(s), before + 1, "one mail for a known "
	    "email");
	before = site_outbox_count(s);
	ask_reset(s, "nobody@example.com", &unknown);
	CHECK_STATUS(&unknown, 303, "POST", RESET " (unknown email)");
	CHECK_STR(resp_header(&unknown, "Location"), resp_header(&known,
	    "Location"), "the same redirect for an unknown email");
	CHECK_STR(unknown.body, known.body, "the same body");
	CHECK_INT(site_outbox_count(s), before, "no mail for an unknown "
	    "email");
	http_get(s, SENT, &r);
	if (CHECK_STATUS(&r, 200, "GET", SENT))
		CHECK_CONTAINS(r.body, "Check your email", "the sent page");
	/* An invalid address is a form error, not a redirect. */
	ask_reset(s, "not-an-email", &r);
	if (CHECK_STATUS(&r, 200, "POST", RESET " (invalid address)"))
		CHECK_CONTAINS(r.body, "Enter a valid email address.",
		    "the reset form");
	resp_free(&known);
	resp_free(&unknown);
	resp_free(&r);
	browser_free(&u);
}

static void
test_the_link_works_once_and_ends_every_session(struct site *s)
{
	struct browser	 a, b, c, x;
	struct resp	 r = { 0 };
	char		*link;

	REQUIRE(new_user(s, &a, "vic"), "signup vic");
	browser_init(&b, s, true);
	browser_login(&b, "vic", PW, NULL, false, &r);
	REQUIRE_STATUS(&r, 303, "POST", LOGIN " (vic, second browser)");
	link = reset_link(s, "vic@example.com", "vic@example.com");
	REQUIRE(link != NULL, "a reset link");
	/* A weak password is refused on the link's page, the link lives. */
	use_link(s, &c, link, "password123", "password123", &r);
	if (CHECK_STATUS(&r, 200, "POST", link))
		CHECK_CONTAINS(r.body, "This password is too common",
		    "the new password form");
	browser_free(&c);
	use_link(s, &c, link, PW2, PW3, &r);
	if (CHECK_STATUS(&r, 200, "POST", link))
		CHECK_CONTAINS(r.body, "The two password fields "
		    "didn\xe2\x80\x99t match.", "the new password form");
	browser_free(&c);
	CHECK(browser_logged_in(&a) && browser_logged_in(&b), "vic's sessions "
	    "live until the reset");
	/* Now for real. */
	use_link(s, &c, link, PW2, PW2, &r);
	if (CHECK_STATUS(&r, 303, "POST", link))
		CHECK_STR(resp_header(&r, "Location"), LOGIN, "where a reset "
		    "goes");
	browser_get(&c, LOGIN, &r);
	CHECK_CONTAINS(r.body, "Your password has been set. You may go ahead "
	    "and log in now.", "the flash on the login page");
	CHECK(!browser_logged_in(&c), "the reset did not log in");
	browser_free(&c);
	/* Every session of vic ended. */
	CHECK(!browser_logged_in(&a), "vic's signup session ended by the "
	    "reset");
	CHECK(!browser_logged_in(&b), "vic's other session ended by the reset");
	/* Once only. */
	check_link_dead(s, link, "the link a second time");
	/* Old password out, new in. */
	browser_init(&x, s, true);
	browser_login(&x, "vic", PW, NULL, false, &r);
	if (CHECK_STATUS(&r, 200, "POST", LOGIN " (old password)"))
		CHECK_CONTAINS(r.body, BAD_LOGIN, "the old password fails");
	browser_login(&x, "vic", PW2, NULL, false, &r);
	CHECK_STATUS(&r, 303, "POST", LOGIN " (new password)");
	free(link);
	resp_free(&r);
	browser_free(&a);
	browser_free(&b);
	browser_free(&x);
}

static void
test_a_password_change_kills_the_link(struct site *s)
{
	struct browser	 a;
	struct resp	 r = { 0 };
	char		*link;

	REQUIRE(new_user(s, &a, "wes"), "signup wes");
	link = reset_link(s, "wes@example.com", "wes@example.com");
	REQUIRE(link != NULL, "a reset link");
	browser_post_form(&a, "/accounts/password/", NULL, &r,
	    "old_password", PW, "new_password1", PW2, "new_password2", PW2,
	    (char *)NULL);
	CHECK_STATUS(&r, 303, "POST", "/accounts/password/");
	check_link_dead(s, link, "the link after a password change");
	/* The password is the changed one, not the link's. */
	{
		struct browser	 x;

		browser_init(&x, s, true);
		browser_login(&x, "wes", PW2, NULL, false, &r);
		CHECK_STATUS(&r, 303, "POST", LOGIN " (the changed password)");
		browser_free(&x);
	}
	free(link);
	resp_free(&r);
	browser_free(&a);
}

static void
test_a_tampered_link_is_refused(struct site *s)
{
	struct browser	 a, c;
	struct resp	 r = { 0 };
	char		*link, *bad, *dash, *last;
	size_t		 n;

	REQUIRE(new_user(s, &a, "xia"), "signup xia");
	link = reset_link(s, "xia@example.com", "xia@example.com");
	REQUIRE(link != NULL, "a reset link");
	n = strlen(link);
	/* The MAC, one hex digit changed. */
	bad = strdup(link);
	bad[n - 2] = bad[n - 2] == '0' ? '1' : '0';
	check_link_dead(s, bad, "a link with its MAC changed");
	free(bad);
	/* Another user id ("ID-TS-MAC"). */
	last = link + strlen(RESET);
	dash = strchr(last, '-');
	REQUIRE(dash != NULL, "the token has the form ID-TS-MAC: %s", last);
	bad = str_printf("%s1%s", RESET, dash);
	if (strcmp(bad, link) == 0) {
		free(bad);
		bad = str_printf("%s2%s", RESET, dash);
	}
	check_link_dead(s, bad, "a link with another user id");
	free(bad);
	/* Another time. */
	{
		char	*d2 = strchr(dash + 1, '-');

		REQUIRE(d2 != NULL, "the token has a time");
		bad = str_printf("%.*s%lld%s", (int)(dash + 1 - link), link,
		    strtoll(dash + 1, NULL, 10) - 1, d2);
		check_link_dead(s, bad, "a link with its time changed");
		free(bad);
	}
	check_link_dead(s, RESET "garbage/", "a link that is not a token");
	/* The real one still works: the checks above were not luck. */
	use_link(s, &c, link, PW2, PW2, &r);
	CHECK_STATUS(&r, 303, "POST", link);
	free(link);
	resp_free(&r);
	browser_free(&a);
	browser_free(&c);
}

static void
test_using_a_link_kills_the_older_ones(struct site *s)
{
	struct browser	 a, c;
	struct resp	 r = { 0 };
	char		*l1, *l2;

	/* Asking twice gives two links (the same one within a second): the
	 * newer one works, and the older one dies with the change. */
	REQUIRE(new_user(s, &a, "yan"), "signup yan");
	l1 = reset_link(s, "yan@example.com", "yan@example.com");
	l2 = reset_link(s, "YAN@example.com", "yan@example.com");
	REQUIRE(l1 != NULL && l2 != NULL, "two links");
	use_link(s, &c, l2, PW2, PW2, &r);
	CHECK_STATUS(&r, 303, "POST", l2);
	browser_free(&c);
	check_link_dead(s, l1, "the first link after the second was used");
	free(l1);
	free(l2);
	resp_free(&r);
	browser_free(&a);
}

int
main(void)
{
	struct site		 s;
	struct site_opts	 o = { .workers = 2 };

	harness_init("012_reset");
	if (site_start(&s, &o) == 0) {
		outbox = str_printf("%s/outbox", s.dir);
		RUN(test_unknown_email_gets_the_same_answer_and_no_mail, &s);
		RUN(test_the_link_works_once_and_ends_every_session, &s);
		RUN(test_a_password_change_kills_the_link, &s);
		RUN(test_a_tampered_link_is_refused, &s);
		RUN(test_using_a_link_kills_the_older_ones, &s);
		CHECK_LOG_CLEAN(&s);
		CHECK_INT(site_stop(&s), 0, "gazette's exit status");
		free(outbox);
	}
	return harness_finish();
}
