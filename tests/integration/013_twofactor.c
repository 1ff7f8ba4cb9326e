/*
 * 013_twofactor: TOTP two-factor authentication as a user goes through
 * it, through nginx: enrolment (the key, the QR code, a first code, ten
 * recovery codes), the login's second step (no session before the code,
 * a code good once, recovery codes good once), and turning it off (only
 * with the password).  Codes are computed here with core/totp.c.
 *
 * The code that turns 2FA on uses step T (now); the logins use the code
 * of step T+1, which the server takes within its one-step drift and
 * which is newer than T, so nothing waits for the clock; only a start
 * within 3 s of a step boundary waits for the next step.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "core/totp.h"

#define PW		"Correct-Horse-42-battery"
#define LOGIN		"/accounts/login/"
#define CODE		"/accounts/login/code/"
#define TWOFA		"/accounts/2fa/"
#define QR		"/accounts/2fa/qr.svg"
#define PROFILE		"/accounts/profile/"
#define NOT_VALID	"That code is not valid."

static struct {
	char	 secret[TOTP_SECRET_LEN + 1];
	char	 recovery[TOTP_RECOVERY_N][16];
	int	 nrecovery;
	time_t	 t_enable;	/* the time whose code turned 2FA on */
	char	 login_code[8];	/* the code of the step after that */
	bool	 on;
} tf;

/* The code step: GET the form (it must be there), POST code. */
static int
send_code(struct browser *c, const char *code, struct resp *r)
{
	char	*tok = browser_form_value(c, CODE, "csrf_token");
	int	 st;

	CHECK(tok != NULL, "the code form is there for a pending login");
	st = browser_post_token(c, CODE, tok, r, "code", code, (char *)NULL);
	free(tok);
	return st;
}

/* POST to /accounts/2fa/ with the page's token and these fields. */
static int
post_2fa(struct browser *c, const char *action, const char *k1,
    const char *v1, const char *k2, const char *v2, struct resp *r)
{
	return browser_post_form(c, TWOFA, NULL, r, "action", action, k1, v1,
	    k2, v2, (char *)NULL);
}

/* A new browser logged in as name through the password step only. */
static void
password_step(struct site *s, struct browser *c, const char *name,
    struct resp *r)
{
	browser_init(c, s, true);
	browser_login(c, name, PW, NULL, false, r);
}

/* A six-digit code that is none of the secret's for t-1 .. t+2 steps. */
static void
wrong_code(const char *secret, char out[7])
{
	char	 near[4][7];
	time_t	 now = time(NULL);

	for (int i = 0; i < 4; i++)
		totp_code(secret, now + (i - 1) * TOTP_PERIOD, near[i]);
	for (int n = 123456; ; n++) {
		bool	 clash = false;

		snprintf(out, 7, "%06d", n % 1000000);
		for (int i = 0; i < 4; i++)
			clash |= strcmp(out, near[i]) == 0;
		if (!clash)
			return;
	}
}

static void
test_enrolment_shows_the_key_and_the_qr_code(struct site *s)
{
	struct browser	 a;
	struct resp	 r = { 0 };
	char		*spaced, *hidden, *img;
	size_t		 j = 0;
	const char	*sc;

	browser_init(&a, s, true);
	browser_signup(&a, "xena", "xena@example.com", PW, PW, &r);
	REQUIRE_STATUS(&r, 303, "POST", "/accounts/signup/");
	browser_get(&a, TWOFA, &r);
	REQUIRE_STATUS(&r, 200, "GET", TWOFA);
	CHECK_CONTAINS(r.body, "Two-factor authentication is <strong>off"
	    "</strong>", "the 2FA page before enrolment");
	spaced = str_between(r.body, "<code class=\"totp-secret\">", "</code>");
	REQUIRE(spaced != NULL, "the key is shown in a <code>");
	for (size_t i = 0; spaced[i] != '\0'; i++)
		if (spaced[i] != ' ')
			tf.secret[j < TOTP_SECRET_LEN ? j++ : j] = spaced[i];
	tf.secret[j] = '\0';
	CHECK_INT(strlen(tf.secret), TOTP_SECRET_LEN, "length of the key "
	    "without spaces (%s)", spaced);
	CHECK(strlen(spaced) == TOTP_SECRET_LEN + TOTP_SECRET_LEN / 4 - 1 &&
	    spaced[4] == ' ' && spaced[9] == ' ', "the key is in groups of "
	    "4: \"%s\"", spaced);
	hidden = html_input_value(r.body, "secret");
	CHECK_STR(hidden, tf.secret, "the form's hidden secret");
	CHECK(strspn(tf.secret, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") ==
	    TOTP_SECRET_LEN, "the key is base32: %s", tf.secret);
	{
		char	 c[7];

		CHECK_INT(totp_code(tf.secret, time(NULL), c), 0, "the key "
		    "decodes");
	}
	CHECK_CONTAINS(r.body, "otpauth://totp/", "the otpauth link");
	img = str_between(r.body, "<img class=\"qr\" src=\"", "\"");
	CHECK_STR(img, QR, "the QR code image");
	/* Reloading shows the same pending key. */
	browser_get(&a, TWOFA, &r);
	{
		char	*again = html_input_value(r.body, "secret");

		CHECK_STR(again, tf.secret, "the pending key on reload");
		free(again);
	}
	browser_get(&a, QR, &r);
	if (CHECK_STATUS(&r, 200, "GET", QR)) {
		CHECK_STR(resp_header(&r, "Content-Type"), "image/svg+xml",
		    "Content-Type of the QR code");
		CHECK(r.body != NULL && strncmp(r.body, "<svg", 4) == 0,
		    "the QR code starts with <svg");
		CHECK_CONTAINS(r.body, "</svg>", "the QR code is whole");
		sc = resp_header(&r, "Cache-Control");
		CHECK_STR(sc, "private, no-store", "Cache-Control of the QR "
		    "code");
	}
	/* Not for anyone else. */
	http_get(s, QR, &r);
	CHECK_STATUS(&r, 302, "GET", QR " (anonymous)");
	free(spaced);
	free(hidden);
	free(img);
	resp_free(&r);
	browser_free(&a);
}

static void
test_enabling_needs_a_right_code(struct site *s)
{
	struct browser	 a, other;
	struct resp	 r = { 0 };
	char		 bad[7], now_code[7], *shown = NULL, *live = NULL;
	const char	*p;
	int		 sec;

	REQUIRE(tf.secret[0] != '\0', "a key from the enrolment page");
	password_step(s, &a, "xena", &r);
	REQUIRE_STATUS(&r, 303, "POST", LOGIN " (xena, 2FA off)");
	CHECK_STR(resp_header(&r, "Location"), "/", "no code step while 2FA "
	    "is off");
	password_step(s, &other, "xena", &r);
	REQUIRE_STATUS(&r, 303, "POST", LOGIN " (xena, second browser)");
	wrong_code(tf.secret, bad);
	post_2fa(&a, "enable", "secret", tf.secret, "code", bad, &r);
	if (CHECK_STATUS(&r, 200, "POST", TWOFA " (enable, wrong code)")) {
		CHECK_CONTAINS(r.body, NOT_VALID, "the error for a wrong code");
		CHECK_CONTAINS(r.body, "<strong>off</strong>", "2FA is still "
		    "off");
		CHECK_NOT_CONTAINS(r.body, "recovery-codes", "no recovery "
		    "codes");
	}
	/* A key of the visitor's own choosing is not taken: the form's
	 * hidden secret is only for show, the stored one counts. */
	{
		static const char mine[] = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
		char		 c[7];

		totp_code(mine, time(NULL), c);
		post_2fa(&a, "enable", "secret", mine, "code", c, &r);
		if (CHECK_STATUS(&r, 200, "POST", TWOFA " (enable, own key)")) {
			CHECK_CONTAINS(r.body, NOT_VALID, "a code for another "
			    "key");
			CHECK_CONTAINS(r.body, "<strong>off</strong>", "2FA is "
			    "still off");
		}
	}
	/* Away from a step boundary. */
	if ((sec = (int)(time(NULL) % TOTP_PERIOD)) >= TOTP_PERIOD - 3) {
		harness_note("waiting %d s for the next TOTP step",
		    TOTP_PERIOD - sec);
		msleep((TOTP_PERIOD - sec) * 1000 + 100);
	}
	tf.t_enable = time(NULL);
	totp_code(tf.secret, tf.t_enable, now_code);
	totp_code(tf.secret, tf.t_enable + TOTP_PERIOD, tf.login_code);
	post_2fa(&a, "enable", "secret", tf.secret, "code", now_code, &r);
	REQUIRE_STATUS(&r, 200, "POST", TWOFA " (enable, right code)");
	CHECK_CONTAINS(r.body, "Two-factor authentication is <strong>on"
	    "</strong>", "the 2FA page after enabling");
	CHECK_CONTAINS(r.body, "Save your recovery codes", "the recovery "
	    "codes are shown");
	CHECK(resp_set_cookie(&r, "gazette_session") != NULL, "a new session "
	    "id when 2FA goes on");
	shown = html_input_value(r.body, "csrf_token");
	/* Ten codes "xxxxx-xxxxx", all different. */
	tf.nrecovery = 0;
	for (p = strstr(r.body, "<ul class=\"recovery-codes\">");
	    p != NULL && (p = strstr(p, "<li><code>")) != NULL; ) {
		p += strlen("<li><code>");
		if (tf.nrecovery < TOTP_RECOVERY_N)
			snprintf(tf.recovery[tf.nrecovery], 16, "%.*s",
			    (int)strcspn(p, "<"), p);
		tf.nrecovery++;
	}
	CHECK_INT(tf.nrecovery, TOTP_RECOVERY_N, "recovery codes shown");
	for (int i = 0; i < tf.nrecovery && i < TOTP_RECOVERY_N; i++) {
		const char	*c = tf.recovery[i];

		CHECK(strlen(c) == TOTP_RECOVERY_LEN && c[5] == '-',
		    "recovery code \"%s\" is xxxxx-xxxxx", c);
		for (int k = 0; k < i; k++)
			CHECK(strcmp(c, tf.recovery[k]) != 0, "recovery codes "
			    "%d and %d differ", k, i);
	}
	tf.on = true;
	/* The codes are not shown again; the QR code is gone. */
	browser_get(&a, TWOFA, &r);
	if (CHECK_STATUS(&r, 200, "GET", TWOFA " (2FA on)")) {
		CHECK_CONTAINS(r.body, "Two-factor authentication is on.",
		    "the flash after enabling");
		CHECK_NOT_CONTAINS(r.body, "recovery-codes", "the recovery "
		    "codes are shown once only");
		CHECK_NOT_CONTAINS(r.body, tf.secret, "the key is not shown "
		    "once on");
		CHECK_CONTAINS(r.body, "You have 10 recovery codes left.",
		    "the count of recovery codes");
		/* The forms on the page after enabling carried the new
		 * session's token. */
		live = html_input_value(r.body, "csrf_token");
		CHECK(shown != NULL && live != NULL && strcmp(shown, live) == 0,
		    "the page after enabling has the new session's token "
		    "(%s, %s)", shown != NULL ? shown : "none",
		    live != NULL ? live : "none");
	}
	free(shown);
	free(live);
	browser_get(&a, QR, &r);
	CHECK_STATUS(&r, 404, "GET", QR " (2FA on)");
	CHECK(browser_logged_in(&a), "this browser stays logged in");
	CHECK(!browser_logged_in(&other), "the other session ended when 2FA "
	    "went on");
	resp_free(&r);
	browser_free(&a);
	browser_free(&other);
}

static void
test_login_asks_for_the_code(struct site *s)
{
	struct browser	 c, d, e;
	struct resp	 r = { 0 };
	char		 bad[7], *pending;

	REQUIRE(tf.on, "2FA is on");
	/* Password step: not logged in yet. */
	password_step(s, &c, "xena", &r);
	REQUIRE_STATUS(&r, 303, "POST", LOGIN " (xena, 2FA on)");
	CHECK_STR(resp_header(&r, "Location"), CODE, "the password step "
	    "sends to the code step");
	CHECK(resp_set_cookie(&r, "gazette_session") != NULL, "a pending "
	    "session cookie");
	pending = strdup(browser_cookie(&c, "gazette_session") != NULL ?
	    browser_cookie(&c, "gazette_session") : "");
	CHECK(!browser_logged_in(&c), "the profile wants a login before the "
	    "code");
	browser_get(&c, "/", &r);
	CHECK_NOT_CONTAINS(r.body, "Signed in as", "nobody is signed in "
	    "before the code");
	/* The code step, by hand, without a pending login: back to login. */
	http_get(s, CODE, &r);
	if (CHECK_STATUS(&r, 303, "GET", CODE " (no pending login)"))
		CHECK_STR(resp_header(&r, "Location"), LOGIN, "where the code "
		    "step sends strangers");
	/* A wrong code. */
	wrong_code(tf.secret, bad);
	send_code(&c, bad, &r);
	if (CHECK_STATUS(&r, 200, "POST", CODE " (wrong code)"))
		CHECK_CONTAINS(r.body, NOT_VALID, "the error for a wrong code");
	CHECK(!browser_logged_in(&c), "not logged in after a wrong code");
	/* The right one (the step after the enabling one). */
	send_code(&c, tf.login_code, &r);
	if (CHECK_STATUS(&r, 303, "POST", CODE " (right code)")) {
		CHECK_STR(resp_header(&r, "Location"), "/", "where the code "
		    "step sends");
		CHECK(resp_set_cookie(&r, "gazette_session") != NULL, "a new "
		    "session id after the code");
	}
	CHECK(browser_cookie(&c, "gazette_session") != NULL &&
	    strcmp(browser_cookie(&c, "gazette_session"), pending) != 0,
	    "the session id after the code is not the pending one");
	CHECK(browser_logged_in(&c), "logged in after the code");
	CHECK(!site_session_works(s, pending), "the pending session id is "
	    "dead");
	free(pending);
	/* The same code again, in a new login: refused. */
	password_step(s, &d, "xena", &r);
	CHECK_STATUS(&r, 303, "POST", LOGIN " (xena again)");
	send_code(&d, tf.login_code, &r);
	if (CHECK_STATUS(&r, 200, "POST", CODE " (the same code again)"))
		CHECK_CONTAINS(r.body, NOT_VALID, "a used code");
	CHECK(!browser_logged_in(&d), "not logged in with a used code");
	/* A recovery code: once. */
	REQUIRE(tf.nrecovery == TOTP_RECOVERY_N, "recovery codes");
	send_code(&d, tf.recovery[0], &r);
	CHECK_STATUS(&r, 303, "POST", CODE " (recovery code)");
	browser_get(&d, "/", &r);
	CHECK_CONTAINS(r.body, "You used a recovery code.", "the flash after "
	    "a recovery code");
	CHECK(browser_logged_in(&d), "logged in with a recovery code");
	password_step(s, &e, "xena", &r);
	CHECK_STATUS(&r, 303, "POST", LOGIN " (xena, third)");
	send_code(&e, tf.recovery[0], &r);
	if (CHECK_STATUS(&r, 200, "POST", CODE " (the recovery code again)"))
		CHECK_CONTAINS(r.body, NOT_VALID, "a used recovery code");
	CHECK(!browser_logged_in(&e), "not logged in with a used recovery "
	    "code");
	/* Another one, typed in capitals without the dash: fine. */
	{
		char	 typed[16];
		size_t	 k = 0;

		for (const char *p = tf.recovery[1]; *p != '\0'; p++)
			if (*p != '-')
				typed[k++] = (char)toupper((unsigned char)*p);
		typed[k] = '\0';
		send_code(&e, typed, &r);
		CHECK_STATUS(&r, 303, "POST", CODE " (recovery code in "
		    "capitals, no dash)");
		CHECK(browser_logged_in(&e), "logged in with the second "
		    "recovery code");
	}
	browser_get(&e, TWOFA, &r);
	CHECK_CONTAINS(r.body, "You have 8 recovery codes left.", "the count "
	    "after two were used");
	resp_free(&r);
	browser_free(&c);
	browser_free(&d);
	browser_free(&e);
}

static void
test_next_and_remember_survive_the_code_step(struct site *s)
{
	struct browser	 c, d;
	struct resp	 r = { 0 };
	const char	*sc;
	char		*next, *age;

	REQUIRE(tf.on && tf.nrecovery == TOTP_RECOVERY_N, "2FA is on");
	browser_init(&c, s, true);
	browser_login(&c, "xena", PW, "/articles/x/", true, &r);
	REQUIRE_STATUS(&r, 303, "POST", LOGIN " (remember, next)");
	CHECK_STR(resp_header(&r, "Location"), CODE "?next=%2Farticles%2Fx%2F",
	    "the code step gets next along");
	/* Pending: a browser-session cookie whatever "remember" says. */
	sc = resp_set_cookie(&r, "gazette_session");
	age = cookie_attr(sc, "Max-Age");
	CHECK(sc != NULL && age == NULL, "the pending session cookie has no "
	    "Max-Age: %s", sc != NULL ? sc : "(none)");
	free(age);
	next = browser_form_value(&c, CODE "?next=%2Farticles%2Fx%2F", "next");
	CHECK_STR(next, "/articles/x/", "the code form carries next");
	free(next);
	browser_post_form(&c, CODE, NULL, &r, "code", tf.recovery[3], "next",
	    "/articles/x/", (char *)NULL);
	if (CHECK_STATUS(&r, 303, "POST", CODE " (with next)")) {
		CHECK_STR(resp_header(&r, "Location"), "/articles/x/",
		    "where the code step sends with next");
		sc = resp_set_cookie(&r, "gazette_session");
		age = cookie_attr(sc, "Max-Age");
		CHECK_STR(age, "1209600", "the remembered session's Max-Age "
		    "once the code is in");
		free(age);
	}
	/* A next off this site is dropped at the code step too. */
	browser_init(&d, s, true);
	browser_login(&d, "xena", PW, NULL, false, &r);
	CHECK_STATUS(&r, 303, "POST", LOGIN " (xena)");
	browser_post_form(&d, CODE, NULL, &r, "code", tf.recovery[4], "next",
	    "//evil.example", (char *)NULL);
	if (CHECK_STATUS(&r, 303, "POST", CODE " (next=//evil.example)"))
		CHECK_STR(resp_header(&r, "Location"), "/", "where the code "
		    "step sends for next=//evil.example");
	resp_free(&r);
	browser_free(&c);
	browser_free(&d);
}

static void
test_disabling_needs_the_password(struct site *s)
{
	struct browser	 a, b;
	struct resp	 r = { 0 };

	REQUIRE(tf.on, "2FA is on");
	/* Log in with a recovery code (the TOTP steps are used up). */
	password_step(s, &a, "xena", &r);
	REQUIRE_STATUS(&r, 303, "POST", LOGIN " (xena)");
	send_code(&a, tf.recovery[2], &r);
	REQUIRE_STATUS(&r, 303, "POST", CODE " (recovery code)");
	post_2fa(&a, "disable", "password", "Wrong-Horse-42-battery", NULL,
	    NULL, &r);
	if (CHECK_STATUS(&r, 200, "POST", TWOFA " (disable, wrong password)")) {
		CHECK_CONTAINS(r.body, "Your password was entered incorrectly.",
		    "the error for a wrong password");
		CHECK_CONTAINS(r.body, "<strong>on</strong>", "2FA is still "
		    "on");
	}
	post_2fa(&a, "disable", NULL, NULL, NULL, NULL, &r);
	if (CHECK_STATUS(&r, 200, "POST", TWOFA " (disable, no password)"))
		CHECK_CONTAINS(r.body, "<strong>on</strong>", "2FA is still "
		    "on");
	/* The right password turns it off. */
	post_2fa(&a, "disable", "password", PW, NULL, NULL, &r);
	if (CHECK_STATUS(&r, 303, "POST", TWOFA " (disable)"))
		CHECK_STR(resp_header(&r, "Location"), PROFILE, "where turning "
		    "2FA off goes");
	browser_get(&a, PROFILE, &r);
	CHECK_CONTAINS(r.body, "Two-factor authentication is off.", "the flash "
	    "after disabling");
	tf.on = false;
	/* The password alone logs in now, and codes are not asked for. */
	password_step(s, &b, "xena", &r);
	if (CHECK_STATUS(&r, 303, "POST", LOGIN " (xena, 2FA off again)"))
		CHECK_STR(resp_header(&r, "Location"), "/", "no code step");
	CHECK(browser_logged_in(&b), "logged in with the password alone");
	/* A new enrolment gets a new key. */
	browser_get(&b, TWOFA, &r);
	{
		char	*again = html_input_value(r.body, "secret");

		CHECK(again != NULL && strcmp(again, tf.secret) != 0, "a new "
		    "key after turning 2FA off and on");
		free(again);
	}
	browser_get(&b, QR, &r);
	CHECK_STATUS(&r, 200, "GET", QR " (2FA off again)");
	resp_free(&r);
	browser_free(&a);
	browser_free(&b);
}

int
main(void)
{
	struct site		 s;
	struct site_opts	 o = { .workers = 2 };

	harness_init("013_twofactor");
	if (site_start(&s, &o) == 0) {
		RUN(test_enrolment_shows_the_key_and_the_qr_code, &s);
		RUN(test_enabling_needs_a_right_code, &s);
		RUN(test_login_asks_for_the_code, &s);
		RUN(test_next_and_remember_survive_the_code_step, &s);
		RUN(test_disabling_needs_the_password, &s);
		CHECK_LOG_CLEAN(&s);
		CHECK_INT(site_stop(&s), 0, "gazette's exit status");
	}
	return harness_finish();
}
