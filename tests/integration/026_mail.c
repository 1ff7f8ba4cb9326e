/*
 * 026_mail: mail goes out through the job queue.  Nothing reaches the
 * outbox until `gazette worker --once` runs; then the password reset,
 * the signup verification, the "comment awaiting moderation" mail to
 * moderators and the "someone replied" mail each appear once, as
 * well-formed MIME (Python's email package parses them: Date,
 * Message-ID, MIME-Version, multipart/alternative with a text and an
 * HTML part).  The verification link works; the unsubscribe link works
 * without logging in (GET asks, POST does it), and is in the reply
 * mail's List-Unsubscribe header too, whose one-click POST works with no
 * cookies and no CSRF token (RFC 8058).  A comment and its
 * notification commit together or not at all (SQLite triggers make
 * either half fail).  sendtestemail writes to the outbox, and, against
 * a small SMTP sink in Python, delivers over SMTP; a 550 is final, a
 * 451 is retried.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define PW	"Correct-Horse-42-battery"
#define RESET	"/accounts/reset/"

/* Python's email package on the file at path: "ok" when well formed,
 * else what is wrong.  The subject and recipient follow on lines 2-3. */
static const char check_py[] =
    "import email, email.policy, sys\n"
    "m = email.message_from_binary_file(open(sys.argv[1], 'rb'),"
    " policy=email.policy.default)\n"
    "bad = [h for h in ('Date', 'Message-ID', 'MIME-Version', 'From',"
    " 'To', 'Subject') if m[h] is None]\n"
    "if m.get_content_type() != 'multipart/alternative':\n"
    "    bad.append('type ' + m.get_content_type())\n"
    "parts = [p.get_content_type() for p in m.iter_parts()]\n"
    "if parts != ['text/plain', 'text/html']:\n"
    "    bad.append('parts ' + ','.join(parts))\n"
    "if m['Date'] is not None and m['Date'].datetime is None:\n"
    "    bad.append('Date unparsed')\n"
    "print('ok' if not bad else 'bad: ' + ' '.join(bad))\n"
    "print(m['Subject'])\n"
    "print(m['To'])\n";

/* The check of the newest mail in the outbox: its well-formedness, its
 * recipient; its text (malloc'd) or NULL. */
static char *
newest_mail(struct site *s, const char *to, const char *subject_has)
{
	char			*dir = str_printf("%s/outbox", s->dir);
	char			*path = dir_last(dir, ".eml"), *text = NULL;
	char			*argv[] = { "/usr/bin/python3", "-c",
	    (char *)check_py, path, NULL };
	struct cmd_result	 r;

	free(dir);
	if (!CHECK(path != NULL, "a mail in the outbox"))
		return NULL;
	cmd_run(argv, 20000, &r);
	CHECK(strncmp(r.out, "ok\n", 3) == 0, "well-formed mail (%s): %s",
	    path, r.out);
	CHECK_CONTAINS(r.out, to, "the recipient");
	CHECK_CONTAINS(r.out, subject_has, "the subject");
	cmd_free(&r);
	text = mail_body_text(path);
	free(path);
	return text;
}

/* The site path of the first link in text starting with prefix (after
 * the site URL), malloc'd, or NULL. */
static char *
link_in(const char *text, const char *prefix)
{
	const char	*p = text != NULL ? strstr(text, prefix) : NULL;
	size_t		 n;

	if (p == NULL)
		return NULL;
	n = strcspn(p, " \r\n\"<");
	return strndup(p, n);
}

static char *
sql1(struct site *s, const char *fmt, const char *arg)
{
	char	*q = str_printf(fmt, arg), *v = site_sql(s, q);

	free(q);
	return v;
}

/* Queued mail.send jobs. */
static int
queued_mails(struct site *s)
{
	char	*v = site_sql(s, "SELECT count(*) FROM jobs WHERE kind = "
	    "'mail.send' AND state = 'queued'");
	int	 n = atoi(v);

	free(v);
	return n;
}

/* ---- cases ---------------------------------------------------------------- */

static void
test_reset_mail_waits_for_the_worker(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	char		*dir = str_printf("%s/outbox", s->dir), *text, *link;
	int		 before;

	REQUIRE(browser_init_signed_up(&c, s, "rita", PW), "signup rita");
	before = site_outbox_count(s);
	browser_post_form(&c, RESET, RESET, &r, "email", "rita@example.com",
	    (char *)NULL);
	CHECK_STATUS(&r, 303, "POST", RESET);
	CHECK_INT(dir_count(dir, ".eml"), before, "no mail before the worker");
	CHECK_INT(queued_mails(s), 1, "one mail.send job queued");
	CHECK_INT(site_outbox_count(s), before + 1, "one mail after worker "
	    "--once");
	CHECK_INT(queued_mails(s), 0, "the job is done");
	text = newest_mail(s, "rita@example.com", "Password reset");
	link = link_in(text, "/accounts/reset/");
	CHECK(link != NULL, "a reset link in the mail");
	free(link);
	free(text);
	free(dir);
	resp_free(&r);
	browser_free(&c);
}

static void
test_signup_verification_link(struct site *s)
{
	struct browser	 c, anon;
	struct resp	 r = { 0 };
	char		*text, *link, *v, *bad;
	int		 before = site_outbox_count(s);

	REQUIRE(browser_init_signed_up(&c, s, "nova", PW), "signup nova "
	    "(verification off)");
	CHECK_INT(site_outbox_count(s), before, "no mail when "
	    "signup_verify_email is off");
	browser_free(&c);
	site_settings(s, "signup_verify_email", "1", (char *)NULL);
	REQUIRE(browser_init_signed_up(&c, s, "vera", PW), "signup vera");
	CHECK_INT(site_outbox_count(s), before + 1, "a verification mail");
	text = newest_mail(s, "vera@example.com", "Confirm your email");
	link = link_in(text, "/accounts/verify/");
	REQUIRE(link != NULL, "a verification link");
	v = sql1(s, "SELECT coalesce(email_verified_at, 'null') FROM users "
	    "WHERE username = '%s'", "vera");
	CHECK_STR(v, "null", "not verified before the link");
	free(v);
	browser_init(&anon, s, true);
	bad = strdup(link);
	bad[strlen(bad) - 3] = bad[strlen(bad) - 3] == 'a' ? 'b' : 'a';
	browser_get(&anon, bad, &r);
	CHECK_STATUS(&r, 200, "GET", "a tampered verification link");
	CHECK_CONTAINS(r.body, "invalid or has expired", "says so");
	browser_get(&anon, link, &r);
	CHECK_STATUS(&r, 200, "GET", "the verification link");
	CHECK_CONTAINS(r.body, "your email address is confirmed", "confirmed");
	v = sql1(s, "SELECT email_verified_at IS NOT NULL FROM users "
	    "WHERE username = '%s'", "vera");
	CHECK_STR(v, "1", "email_verified_at is set");
	free(v);
	site_settings(s, "signup_verify_email", "0", (char *)NULL);
	free(bad);
	free(link);
	free(text);
	resp_free(&r);
	browser_free(&anon);
	browser_free(&c);
}

/* Show the article to c, post a comment; the new id (0: not 303). */
static long long
comment(struct browser *c, const char *body, const char *email,
    const char *parent, const char *notify, struct resp *r)
{
	char		*tok = browser_form_value(c, "/articles/mailed/",
	    "csrf_token");
	const char	*loc, *p;

	browser_post_token(c, "/articles/mailed/comments/", tok, r, "name",
	    "Guest", "email", email, "body", body, "parent", parent,
	    "notify", notify, (char *)NULL);
	free(tok);
	loc = r->status == 303 ? resp_header(r, "Location") : NULL;
	p = loc != NULL ? strstr(loc, "#comment-") : NULL;
	return p != NULL ? atoll(p + 9) : 0;
}

/* Approve comment id as mod (a moderator) does, from the article page. */
static void
approve(struct browser *mod, long long id, struct resp *r)
{
	char	*mp = str_printf("/comments/%lld/moderate/", id);

	browser_post_form(mod, mp, "/articles/mailed/", r, "action",
	    "approve", (char *)NULL);
	CHECK_STATUS(r, 303, "POST", mp);
	free(mp);
}

/* Python's email package on the file at path: header name's value,
 * unfolded, or "" if it has none. */
static char *
mail_header(const char *path, const char *name)
{
	static const char py[] =
	    "import email, email.policy, sys\n"
	    "m = email.message_from_binary_file(open(sys.argv[1], 'rb'),"
	    " policy=email.policy.default)\n"
	    "print(m.get(sys.argv[2], ''), end='')\n";
	char			*argv[] = { "/usr/bin/python3", "-c", (char *)py,
	    (char *)path, (char *)name, NULL };
	struct cmd_result	 r;
	char			*v;

	cmd_run(argv, 20000, &r);
	v = strdup(r.out);
	cmd_free(&r);
	return v;
}

static void
test_held_comment_mails_the_moderators(struct site *s)
{
	struct browser	 g;
	struct resp	 r = { 0 };
	char		*text;
	int		 before = site_outbox_count(s);
	long long	 id;

	browser_init(&g, s, true);
	id = comment(&g, "Held for the moderators.", "held@example.com", NULL,
	    NULL, &r);
	CHECK(id > 0, "a held comment");
	CHECK_INT(site_outbox_count(s), before + 1, "one mail: one moderator");
	text = newest_mail(s, "boss@example.com", "Please moderate");
	CHECK_CONTAINS(text, "Held for the moderators.", "the comment's text");
	CHECK_CONTAINS(text, "/admin/moderation/", "the moderation link");
	free(text);
	resp_free(&r);
	browser_free(&g);
}

static void
test_reply_mail_and_unsubscribe_without_login(struct site *s)
{
	struct browser	 a, b, mod, anon;
	struct resp	 r = { 0 };
	char		*parent, *text, *link, *v, *tok;
	long long	 ida, idb;
	int		 before;

	browser_init(&a, s, true);
	browser_init(&b, s, true);
	ida = comment(&a, "Tell me about replies.", "ann@example.com", NULL,
	    "1", &r);
	REQUIRE(ida > 0, "ann's comment");
	v = sql1(s, "SELECT notify FROM comments WHERE id = %s",
	    (parent = str_printf("%lld", ida)));
	CHECK_STR(v, "1", "comments.notify stored");
	free(v);
	REQUIRE(browser_init_logged_in(&mod, s, "boss", PW), "boss logs in");
	approve(&mod, ida, &r);
	idb = comment(&b, "A reply to Ann.", "bob@example.com", parent, NULL,
	    &r);
	REQUIRE(idb > 0, "bob's reply (held)");
	before = site_outbox_count(s);
	approve(&mod, idb, &r);
	CHECK_INT(site_outbox_count(s), before + 1, "the reply mail");
	text = newest_mail(s, "ann@example.com", "New reply");
	CHECK_CONTAINS(text, "A reply to Ann.", "the reply's text");
	link = link_in(text, "/comments/unsubscribe/");
	REQUIRE(link != NULL, "an unsubscribe link");

	browser_init(&anon, s, true);
	browser_get(&anon, link, &r);
	CHECK_STATUS(&r, 200, "GET", "the unsubscribe link, logged out");
	CHECK_CONTAINS(r.body, "Stop receiving mails", "it asks first");
	v = sql1(s, "SELECT notify FROM comments WHERE id = %s", parent);
	CHECK_STR(v, "1", "a GET unsubscribes nobody (prefetchers)");
	free(v);
	tok = html_input_value(r.body, "csrf_token");
	browser_post_token(&anon, link, tok, &r, (char *)NULL);
	CHECK_STATUS(&r, 200, "POST", "unsubscribe");
	CHECK_CONTAINS(r.body, "you will no longer receive", "done");
	v = sql1(s, "SELECT notify FROM comments WHERE id = %s", parent);
	CHECK_STR(v, "0", "notify cleared");
	free(v);
	link[strlen(link) - 2] = link[strlen(link) - 2] == '0' ? '1' : '0';
	browser_get(&anon, link, &r);
	CHECK_STATUS(&r, 404, "GET", "a tampered unsubscribe link");
	free(tok);
	free(link);
	free(text);
	free(parent);
	resp_free(&r);
	browser_free(&anon);
	browser_free(&mod);
	browser_free(&b);
	browser_free(&a);
}

/*
 * The reply mail says how to unsubscribe in its headers too (RFC 2369,
 * RFC 8058), and the mail provider's one-click POST to that URL, with
 * no cookie, no CSRF token and no Origin, unsubscribes: the next reply
 * sends no mail.
 */
static void
test_reply_mail_has_one_click_list_unsubscribe(struct site *s)
{
	static const char *const form[] = {
		"Content-Type: application/x-www-form-urlencoded", NULL };
	static const char	 click[] = "List-Unsubscribe=One-Click";
	struct browser	 a, b, c, mod;
	struct resp	 r = { 0 };
	char		*dir = str_printf("%s/outbox", s->dir), *path = NULL;
	char		*parent = NULL, *text, *link, *lu = NULL, *lup = NULL;
	char		*want = NULL, *bad, *v;
	long long	 ida, idb, idc;
	int		 before;

	browser_init(&a, s, true);
	browser_init(&b, s, true);
	browser_init(&c, s, true);
	REQUIRE(browser_init_logged_in(&mod, s, "boss", PW), "boss logs in");
	ida = comment(&a, "One click, please.", "olive@example.com", NULL,
	    "1", &r);
	REQUIRE(ida > 0, "olive's comment");
	approve(&mod, ida, &r);
	parent = str_printf("%lld", ida);
	idb = comment(&b, "A reply to Olive.", "pete@example.com", parent,
	    NULL, &r);
	REQUIRE(idb > 0, "pete's reply (held)");
	before = site_outbox_count(s);
	approve(&mod, idb, &r);
	CHECK_INT(site_outbox_count(s), before + 1, "the reply mail");
	path = dir_last(dir, ".eml");
	text = newest_mail(s, "olive@example.com", "New reply");
	link = link_in(text, "/comments/unsubscribe/");
	REQUIRE(path != NULL && link != NULL, "a mail with a link");
	lu = mail_header(path, "List-Unsubscribe");
	lup = mail_header(path, "List-Unsubscribe-Post");
	want = str_printf("%s>", link);
	CHECK(strncmp(lu, "<http", 5) == 0 && strlen(lu) > strlen(want) &&
	    strcmp(lu + strlen(lu) - strlen(want), want) == 0,
	    "List-Unsubscribe is <URL> of the link in the text: [%s]", lu);
	CHECK_STR(lup, "List-Unsubscribe=One-Click", "List-Unsubscribe-Post");

	/* As a mail provider sends it: no cookie, token or Origin. */
	bad = strdup(link);
	bad[strlen(bad) - 2] = bad[strlen(bad) - 2] == '0' ? '1' : '0';
	http_request(s, "POST", bad, form, click, strlen(click), &r);
	CHECK_STATUS(&r, 404, "POST", "one click with a tampered token");
	free(bad);
	v = sql1(s, "SELECT notify FROM comments WHERE id = %s", parent);
	CHECK_STR(v, "1", "a tampered token unsubscribes nobody");
	free(v);
	http_request(s, "POST", link, form, click, strlen(click), &r);
	CHECK_STATUS(&r, 200, "POST", "one click, without cookies");
	CHECK_CONTAINS(r.body, "you will no longer receive", "done");
	v = sql1(s, "SELECT notify FROM comments WHERE id = %s", parent);
	CHECK_STR(v, "0", "notify cleared by the one-click POST");
	free(v);

	idc = comment(&c, "Another reply to Olive.", "quinn@example.com",
	    parent, NULL, &r);
	REQUIRE(idc > 0, "quinn's reply (held)");
	before = site_outbox_count(s);
	approve(&mod, idc, &r);
	CHECK_INT(site_outbox_count(s), before, "no mail after unsubscribing");
	free(want);
	free(lup);
	free(lu);
	free(link);
	free(text);
	free(path);
	free(parent);
	free(dir);
	resp_free(&r);
	browser_free(&mod);
	browser_free(&c);
	browser_free(&b);
	browser_free(&a);
}

static void
test_comment_and_its_mail_commit_together(struct site *s)
{
	struct browser	 g, h;
	struct resp	 r = { 0 };
	char		*v;
	int		 jobs_before;

	v = site_sql(s, "SELECT count(*) FROM jobs WHERE kind = 'mail.send'");
	jobs_before = atoi(v);
	free(v);
	/* The mail cannot be enqueued: the comment is not stored. */
	free(site_sql(s, "CREATE TRIGGER no_mail BEFORE INSERT ON jobs"
	    " WHEN NEW.kind = 'mail.send'"
	    " BEGIN SELECT RAISE(ABORT, 'test: no mail'); END"));
	browser_init(&g, s, true);
	comment(&g, "Rolled back with its mail.", "roll@example.com", NULL,
	    NULL, &r);
	CHECK_STATUS(&r, 500, "POST", "a comment whose mail fails");
	v = site_sql(s, "SELECT count(*) FROM comments WHERE body = "
	    "'Rolled back with its mail.'");
	CHECK_STR(v, "0", "no comment without its mail");
	free(v);
	free(site_sql(s, "DROP TRIGGER no_mail"));
	/* The comment's transaction fails after the enqueue: no mail. */
	free(site_sql(s, "CREATE TRIGGER no_throttle BEFORE INSERT ON"
	    " throttle BEGIN SELECT RAISE(ABORT, 'test: late failure'); END"));
	browser_init(&h, s, true);
	comment(&h, "Rolled back after its mail.", "late@example.com", NULL,
	    NULL, &r);
	CHECK_STATUS(&r, 500, "POST", "a comment whose transaction fails "
	    "late");
	free(site_sql(s, "DROP TRIGGER no_throttle"));
	v = site_sql(s, "SELECT count(*) FROM comments WHERE body = "
	    "'Rolled back after its mail.'");
	CHECK_STR(v, "0", "no comment");
	free(v);
	v = site_sql(s, "SELECT count(*) FROM jobs WHERE kind = 'mail.send'");
	CHECK_INT(atoi(v), jobs_before, "no mail job from either");
	free(v);
	resp_free(&r);
	browser_free(&h);
	browser_free(&g);
}

static void
test_sendtestemail_to_the_outbox(struct site *s)
{
	struct cmd_result	 r;
	int			 before = site_outbox_count(s);

	CHECK_INT(site_gazette(s, &r, "sendtestemail", "ops@example.com",
	    (char *)NULL), 0, "sendtestemail");
	CHECK_CONTAINS(r.out, "into the outbox", "says where it went");
	cmd_free(&r);
	CHECK_INT(site_outbox_count(s), before + 1, "the test mail");
	free(newest_mail(s, "ops@example.com", "Test email"));
	CHECK_INT(site_gazette(s, &r, "sendtestemail", (char *)NULL), 2,
	    "sendtestemail without ADDRESS");
	cmd_free(&r);
}

/* ---- SMTP against a Python sink ------------------------------------------- */

/*
 * A one-connection-at-a-time SMTP server: argv[1] the port file it
 * writes its port to, argv[2] the reply to RCPT ("250", "550", "451"),
 * argv[3] the file each message's DATA is appended to.
 */
static const char sink_py[] =
    "import socket, sys\n"
    "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(5)\n"
    "open(sys.argv[1], 'w').write(str(s.getsockname()[1]))\n"
    "while True:\n"
    "    c, _ = s.accept(); f = c.makefile('rwb')\n"
    "    def say(t): f.write(t.encode() + b'\\r\\n'); f.flush()\n"
    "    say('220 sink'); data = False; body = []\n"
    "    for line in f:\n"
    "        l = line.decode('latin-1').rstrip('\\r\\n')\n"
    "        if data:\n"
    "            if l == '.':\n"
    "                data = False\n"
    "                open(sys.argv[3], 'a').write('\\n'.join(body) + '\\n')\n"
    "                say('250 queued')\n"
    "            else: body.append(l)\n"
    "            continue\n"
    "        v = l[:4].upper()\n"
    "        if v in ('EHLO', 'HELO'): say('250 sink')\n"
    "        elif v == 'MAIL': say('250 ok')\n"
    "        elif v == 'RCPT': say(sys.argv[2] + ' rcpt')\n"
    "        elif v == 'DATA': say('354 go'); data = True\n"
    "        elif v == 'QUIT': say('221 bye'); break\n"
    "        else: say('250 ok')\n"
    "    c.close()\n";

/* Start the sink; its pid, with *port set, or -1. */
static pid_t
sink_start(struct site *s, const char *reply, int *port)
{
	char	*pf = str_printf("%s/sink.port", s->dir);
	char	*mf = str_printf("%s/sink.mbox", s->dir);
	char	*argv[] = { "/usr/bin/python3", "-c", (char *)sink_py, pf,
	    (char *)reply, mf, NULL };
	pid_t	 pid;

	unlink(pf);
	pid = proc_start(argv, NULL);
	*port = pid > 0 ? (int)file_wait_number(pf, 5000) : 0;
	if (pid > 0 && *port == 0)
		proc_stop(pid);
	free(pf);
	free(mf);
	return *port > 0 ? pid : -1;
}

static void
test_smtp_delivery_and_errors(struct site *s)
{
	struct cmd_result	 r;
	char			*port, *mbox, *v;
	pid_t			 pid;
	int			 p;

	REQUIRE((pid = sink_start(s, "250", &p)) > 0, "the SMTP sink starts");
	port = str_printf("%d", p);
	setenv("GAZETTE_SMTP_HOST", "127.0.0.1", 1);
	setenv("GAZETTE_SMTP_PORT", port, 1);
	setenv("GAZETTE_SMTP_TLS", "none", 1);
	CHECK_INT(site_gazette(s, &r, "sendtestemail", "smtp@example.com",
	    (char *)NULL), 0, "sendtestemail over SMTP");
	CHECK_CONTAINS(r.out, "over smtp://127.0.0.1:", "says where");
	cmd_free(&r);
	mbox = str_printf("%s/sink.mbox", s->dir);
	v = file_read(mbox, NULL);
	CHECK_CONTAINS(v, "To: smtp@example.com", "the sink got the mail");
	CHECK_CONTAINS(v, "Subject: Test email from Gazette", "its subject");
	free(v);
	proc_stop(pid);

	REQUIRE((pid = sink_start(s, "550", &p)) > 0, "a refusing sink");
	free(port);
	port = str_printf("%d", p);
	setenv("GAZETTE_SMTP_PORT", port, 1);
	CHECK_INT(site_gazette(s, &r, "sendtestemail", "no@example.com",
	    (char *)NULL), 1, "sendtestemail refused");
	CHECK_CONTAINS(r.err, "permanent", "a 550 is permanent");
	cmd_free(&r);
	proc_stop(pid);

	REQUIRE((pid = sink_start(s, "451", &p)) > 0, "a busy sink");
	free(port);
	port = str_printf("%d", p);
	setenv("GAZETTE_SMTP_PORT", port, 1);
	CHECK_INT(site_gazette(s, &r, "sendtestemail", "later@example.com",
	    (char *)NULL), 1, "sendtestemail deferred");
	CHECK(strstr(r.err, "permanent") == NULL, "a 451 is not permanent: %s",
	    r.err);
	cmd_free(&r);
	proc_stop(pid);
	unsetenv("GAZETTE_SMTP_HOST");
	unsetenv("GAZETTE_SMTP_PORT");
	unsetenv("GAZETTE_SMTP_TLS");
	free(port);
	free(mbox);
}

int
main(void)
{
	struct site	 s;

	harness_init("026_mail");
	if (site_start(&s, &(struct site_opts){ .workers = 2 }) == 0) {
		CHECK_INT(site_create_user(&s, "boss", NULL, PW), 0,
		    "createsuperuser boss");
		site_settings(&s, "comment_moderation", "previously_approved",
		    "comment_min_seconds", "0", "comment_flood_limit", "50",
		    (char *)NULL);
		site_save_article(&s, "title", "Mailed", "slug", "mailed",
		    "body", "Comment on me.", "status", "published",
		    "comments_open", "1", (char *)NULL);
		RUN(test_reset_mail_waits_for_the_worker, &s);
		RUN(test_signup_verification_link, &s);
		RUN(test_held_comment_mails_the_moderators, &s);
		RUN(test_reply_mail_and_unsubscribe_without_login, &s);
		RUN(test_reply_mail_has_one_click_list_unsubscribe, &s);
		RUN(test_comment_and_its_mail_commit_together, &s);
		RUN(test_sendtestemail_to_the_outbox, &s);
		RUN(test_smtp_delivery_and_errors, &s);
		CHECK_LOG_CLEAN(&s);
		CHECK_INT(site_stop(&s), 0, "gazette's exit status");
	}
	return harness_finish();
}
