/*
 * 019_moderation: the admin's comment moderation queue and commenter
 * bans, through nginx, as staff use them: a moderator (staff, in the
 * Moderators group) sees a held comment with everything about it,
 * approves it and it shows on the article; bulk spam, then emptying the
 * spam (comment.delete: a superuser, after a confirmation page); who is
 * kept out (anonymous to the login page, a reader and staff without
 * comment permissions 403, on GET and on direct POSTs); bans by email,
 * address and account refuse the next comment with a message until
 * lifted; hiding a banned commenter's comments; the ban form's errors;
 * a bad status is 400.  Every change lands in the admin history.
 *
 * Articles come from the test-only POST /__test/articles/, rules from
 * POST /__test/settings/; the database is read with the sqlite3 command.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

#define PW		"Correct-Horse-42-battery"
#define QUEUE		"/admin/moderation/"
#define BANS		"/admin/bans/"
#define BANNED_MSG	"You are not allowed to comment."

/* ---- helpers ------------------------------------------------------------- */

static long long
make_article(struct site *s, const char *slug)
{
	char		*at = str_printf("%lld", (long long)time(NULL) - 3600);
	char		*title = str_printf("Moderated %s", slug);
	long long	 id;

	id = site_save_article(s, "title", title, "slug", slug, "body",
	    "Some *text* to comment on.", "status", "published", "publish_at",
	    at, "comments_open", "1", (char *)NULL);
	free(title);
	free(at);
	return id;
}

/* One value the sqlite3 command prints for query (a format), as a number. */
static long long
sql_int(const struct site *s, const char *fmt, long long a)
{
	char		*q = str_printf(fmt, a);
	char		*v = site_sql(s, q);
	long long	 n = atoll(v);

	free(q);
	free(v);
	return n;
}

static char *
comment_status(const struct site *s, long long id)
{
	char	*q = str_printf("SELECT status FROM comments WHERE id = %lld",
	    id);
	char	*v = site_sql(s, q);

	free(q);
	return v;
}

/*
 * Post a comment as c (a guest unless c is logged in) on the article
 * slug: GET it for the form's token, then POST.  The status; r keeps
 * the answer.
 */
static int
post_comment(struct browser *c, const char *slug, const char *name,
    const char *email, const char *body, struct resp *r)
{
	char	*page = str_printf("/articles/%s/", slug);
	char	*to = str_printf("/articles/%s/comments/", slug);
	int	 st;

	st = browser_post_form(c, to, page, r, "name", name, "email", email,
	    "body", body, (char *)NULL);
	free(to);
	free(page);
	return st;
}

/* post_comment() expecting the 303 to the new comment: its id, or 0. */
static long long
comment_ok(struct browser *c, const char *slug, const char *name,
    const char *email, const char *body)
{
	struct resp	 r = { 0 };
	const char	*loc, *p;
	long long	 id = 0;

	post_comment(c, slug, name, email, body, &r);
	if (CHECK_STATUS(&r, 303, "POST", "a comment") &&
	    (loc = resp_header(&r, "Location")) != NULL &&
	    (p = strstr(loc, "#comment-")) != NULL)
		id = atoll(p + 9);
	CHECK(id > 0, "the comment %s was stored", body);
	resp_free(&r);
	return id;
}

/* Is comment id on the public article page (for a new visitor)? */
static bool
public_has(struct site *s, const char *slug, long long id)
{
	struct resp	 r = { 0 };
	char		*path = str_printf("/articles/%s/", slug);
	char		*anchor = str_printf("id=\"comment-%lld\"", id);
	bool		 yes;

	http_get(s, path, &r);
	yes = r.status == 200 && strstr(r.body, anchor) != NULL;
	free(anchor);
	free(path);
	resp_free(&r);
	return yes;
}

/* A signed-up account made staff, and put in group (NULL: none). */
static void
make_staff(struct site *s, const char *username, const char *group)
{
	struct browser	 c;
	char		*q;

	browser_init_signed_up(&c, s, username, PW);
	browser_free(&c);
	q = str_printf("UPDATE users SET is_staff = 1 WHERE username = '%s'",
	    username);
	free(site_sql(s, q));
	free(q);
	if (group != NULL) {
		q = str_printf("INSERT INTO user_groups (user_id, group_id)"
		    " SELECT u.id, g.id FROM users u, groups g"
		    " WHERE u.username = '%s' AND g.name = '%s'", username,
		    group);
		free(site_sql(s, q));
		free(q);
	}
}

/* POST to the queue as c: status, action and the ids (up to 3, 0 ends). */
static int
queue_post(struct browser *c, const char *status, const char *action,
    long long a, long long b, struct resp *r)
{
	char	*ia = a > 0 ? str_printf("%lld", a) : NULL;
	char	*ib = b > 0 ? str_printf("%lld", b) : NULL;
	int	 st;

	/* The token from a page c may see: the profile has the logout form. */
	st = browser_post_form(c, QUEUE, "/accounts/profile/", r, "status",
	    status, "action", action, "ids", ia, "ids", ib, (char *)NULL);
	free(ia);
	free(ib);
	return st;
}

/* POST the ban form as c; the status. */
static int
ban_post(struct browser *c, const char *kind, const char *value,
    const char *days, const char *hide, struct resp *r)
{
	return browser_post_form(c, BANS, "/accounts/profile/", r, "kind",
	    kind, "value", value, "reason", "Testing bans", "days", days,
	    "hide_comments", hide, (char *)NULL);
}

/* The id of the active ban of kind and value, or 0. */
static long long
ban_id(const struct site *s, const char *kind, const char *value)
{
	char		*q = str_printf("SELECT id FROM comment_bans"
	    " WHERE kind = '%s' AND value = '%s' AND lifted_at IS NULL", kind,
	    value);
	char		*v = site_sql(s, q);
	long long	 id = atoll(v);

	free(q);
	free(v);
	return id;
}

static int
lift(struct browser *c, long long id, struct resp *r)
{
	char	*to = str_printf("/admin/bans/%lld/lift/", id);
	int	 st = browser_post_form(c, to, "/accounts/profile/", r,
	    "x", "1", (char *)NULL);

	free(to);
	return st;
}

/* ---- the queue ----------------------------------------------------------- */

static void
test_moderator_approves_from_the_queue(struct site *s)
{
	struct browser	 g, mod;
	struct resp	 r = { 0 };
	long long	 id;
	char		*st, *row;

	browser_init(&g, s, true);
	id = comment_ok(&g, "queue", "Quentin Queue", "quentin@example.com",
	    "A first thought, held for moderation.");
	REQUIRE(id > 0, "a held comment");
	CHECK(!public_has(s, "queue", id), "held: not public yet");

	REQUIRE(browser_init_logged_in(&mod, s, "mod", PW), "mod logs in");
	browser_get(&mod, QUEUE, &r);
	REQUIRE_STATUS(&r, 200, "GET", QUEUE " as the moderator");
	CHECK_CONTAINS(r.body, "<title>Moderation queue", "its title");
	CHECK_CONTAINS(r.body, "A first thought, held for moderation.",
	    "the comment's body");
	row = str_printf("<tr id=\"comment-%lld\">", id);
	CHECK_CONTAINS(r.body, row, "its row");
	free(row);
	CHECK_CONTAINS(r.body, "Quentin Queue", "the author");
	CHECK_CONTAINS(r.body, "quentin@example.com", "the email");
	CHECK_CONTAINS(r.body, "IP address: 127.0.0.", "the address");
	CHECK_CONTAINS(r.body, "a first comment", "the rule that held it");
	CHECK_CONTAINS(r.body, "Moderated queue", "the article's title");
	CHECK_CONTAINS(r.body, "href=\"/admin/article/", "the article's admin "
	    "link");
	CHECK_CONTAINS(r.body, "href=\"/admin/bans/?kind=email&amp;value="
	    "quentin%40example.com\"", "the Ban link prefills the form");
	CHECK_CONTAINS(r.body, "name=\"ids\"", "checkboxes");
	CHECK_CONTAINS(r.body, "Select all on this page", "select all "
	    "without a script");
	CHECK_CONTAINS(r.body, "aria-current=\"true\">Pending", "the pending "
	    "tab is the default");
	CHECK_NOT_CONTAINS(r.body, "Empty spam", "no empty button for a "
	    "moderator");

	browser_get(&mod, QUEUE "?all=1", &r);
	CHECK_CONTAINS(r.body, " checked>", "?all=1 ticks the boxes");

	queue_post(&mod, "pending", "approve", id, 0, &r);
	REQUIRE_STATUS(&r, 303, "POST", QUEUE " approve");
	CHECK_STR(resp_header(&r, "Location"), QUEUE "?status=pending",
	    "back to the tab");
	st = comment_status(s, id);
	CHECK_STR(st, "approved", "approved in the database");
	free(st);
	CHECK(public_has(s, "queue", id), "approved: on the article page");
	CHECK_INT(sql_int(s, "SELECT count(*) FROM admin_log WHERE model = "
	    "'comment' AND object_id = %lld AND action = 'change' AND changes "
	    "LIKE '%%\"old\": \"pending\", \"new\": \"approved\"%%'", id), 1,
	    "the approval is in the history with old and new");
	browser_get(&mod, QUEUE, &r);
	CHECK_CONTAINS(r.body, "1 comment was approved.", "the message after "
	    "the redirect");
	browser_get(&mod, QUEUE, &r);
	CHECK_NOT_CONTAINS(r.body, "1 comment was approved.", "shown once");
	CHECK_CONTAINS(r.body, "No pending comments.", "the queue is empty");
	browser_get(&mod, QUEUE "?status=approved", &r);
	CHECK_CONTAINS(r.body, "A first thought", "in the approved tab");
	browser_free(&g);
	browser_free(&mod);
	resp_free(&r);
}

static void
test_bulk_spam_then_empty_spam(struct site *s)
{
	struct browser	 g, mod, boss;
	struct resp	 r = { 0 };
	long long	 a, b;
	char		*st;

	browser_init(&g, s, true);
	a = comment_ok(&g, "queue", "Sam Spam", "sam@example.com",
	    "Buy cheap things one.");
	b = comment_ok(&g, "queue", "Sam Spam", "sam@example.com",
	    "Buy cheap things two.");
	REQUIRE(a > 0 && b > 0, "two held comments");
	REQUIRE(browser_init_logged_in(&mod, s, "mod", PW), "mod logs in");
	queue_post(&mod, "pending", "spam", a, b, &r);
	REQUIRE_STATUS(&r, 303, "POST", QUEUE " spam, two ids");
	st = comment_status(s, a);
	CHECK_STR(st, "spam", "the first is spam");
	free(st);
	st = comment_status(s, b);
	CHECK_STR(st, "spam", "the second is spam");
	free(st);
	browser_get(&mod, QUEUE, &r);
	CHECK_CONTAINS(r.body, "2 comments were marked as spam.",
	    "the message");

	/* A moderator has no comment.delete. */
	browser_post_form(&mod, QUEUE, "/accounts/profile/", &r, "status",
	    "spam", "action", "empty", "confirm", "yes", (char *)NULL);
	CHECK_STATUS(&r, 403, "POST", QUEUE " empty, as a moderator");
	CHECK_INT(sql_int(s, "SELECT count(*) FROM comments WHERE status = "
	    "'spam' AND id >= %lld", a), 2, "nothing deleted");

	REQUIRE(browser_init_logged_in(&boss, s, "boss", PW), "boss logs in");
	browser_get(&boss, QUEUE "?status=spam", &r);
	REQUIRE_STATUS(&r, 200, "GET", QUEUE "?status=spam");
	CHECK_CONTAINS(r.body, "Buy cheap things two.", "the spam tab lists "
	    "it");
	CHECK_CONTAINS(r.body, "?status=spam&amp;empty=1\">Empty spam",
	    "the Empty spam button");
	browser_get(&boss, QUEUE "?status=spam&empty=1", &r);
	REQUIRE_STATUS(&r, 200, "GET", "the confirmation page");
	CHECK_CONTAINS(r.body, "Yes, delete them permanently", "it asks");
	/* Without confirm=yes: the same question, nothing deleted. */
	browser_post_form(&boss, QUEUE, "/accounts/profile/", &r, "status",
	    "spam", "action", "empty", (char *)NULL);
	CHECK_STATUS(&r, 200, "POST", QUEUE " empty without confirm");
	CHECK_CONTAINS(r.body, "Yes, delete them permanently", "asked again");
	CHECK_INT(sql_int(s, "SELECT count(*) FROM comments WHERE status = "
	    "'spam' AND id >= %lld", a), 2, "still there");
	browser_post_form(&boss, QUEUE, "/accounts/profile/", &r, "status",
	    "spam", "action", "empty", "confirm", "yes", (char *)NULL);
	REQUIRE_STATUS(&r, 303, "POST", QUEUE " empty, confirmed");
	CHECK_STR(resp_header(&r, "Location"), QUEUE "?status=spam",
	    "back to the spam tab");
	CHECK_INT(sql_int(s, "SELECT count(*) FROM comments WHERE status = "
	    "'spam' AND %lld > 0", a), 0, "the spam is gone");
	CHECK_INT(sql_int(s, "SELECT count(*) FROM comments WHERE id IN "
	    "(%lld, 0)", a), 0, "the first is deleted");
	CHECK_INT(sql_int(s, "SELECT count(*) FROM admin_log WHERE model = "
	    "'comment' AND action = 'delete' AND object_id >= %lld", a), 2,
	    "each deletion is in the history");
	browser_get(&boss, QUEUE "?status=spam", &r);
	CHECK_CONTAINS(r.body, "deleted permanently.", "the message");
	CHECK_CONTAINS(r.body, "No spam comments.", "the spam tab is empty");
	browser_free(&g);
	browser_free(&mod);
	browser_free(&boss);
	resp_free(&r);
}

static void
test_who_is_kept_out(struct site *s)
{
	struct browser	 reader, staffer, anon, g;
	struct resp	 r = { 0 };
	long long	 id;
	char		*st;

	browser_init(&g, s, true);
	id = comment_ok(&g, "queue", "Kept Pending", "kept@example.com",
	    "Nobody may touch this.");
	browser_init(&anon, s, true);
	browser_get(&anon, QUEUE, &r);
	CHECK_STATUS(&r, 302, "GET", QUEUE " anonymous");
	CHECK_STR(resp_header(&r, "Location"), "/accounts/login/?next="
	    "%2Fadmin%2Fmoderation%2F", "to the login page with next");
	browser_get(&anon, BANS, &r);
	CHECK_STATUS(&r, 302, "GET", BANS " anonymous");

	REQUIRE(browser_init_logged_in(&reader, s, "reader", PW),
	    "reader logs in");
	browser_get(&reader, QUEUE, &r);
	CHECK_STATUS(&r, 403, "GET", QUEUE " as a reader");
	queue_post(&reader, "pending", "approve", id, 0, &r);
	CHECK_STATUS(&r, 403, "POST", QUEUE " as a reader");

	REQUIRE(browser_init_logged_in(&staffer, s, "staffer", PW),
	    "staffer logs in");
	browser_get(&staffer, QUEUE, &r);
	CHECK_STATUS(&r, 403, "GET", QUEUE " as staff without comment "
	    "permissions");
	queue_post(&staffer, "pending", "approve", id, 0, &r);
	CHECK_STATUS(&r, 403, "POST", QUEUE " as staff without comment "
	    "permissions");
	browser_get(&staffer, BANS, &r);
	CHECK_STATUS(&r, 403, "GET", BANS " as staff without comment "
	    "permissions");
	ban_post(&staffer, "email", "kept@example.com", "", NULL, &r);
	CHECK_STATUS(&r, 403, "POST", BANS " as staff without comment "
	    "permissions");
	CHECK_INT(sql_int(s, "SELECT count(*) FROM comment_bans WHERE %lld",
	    1), 0, "no ban made");
	st = comment_status(s, id);
	CHECK_STR(st, "pending", "the comment is untouched");
	free(st);
	browser_free(&g);
	browser_free(&anon);
	browser_free(&reader);
	browser_free(&staffer);
	resp_free(&r);
}

static void
test_bad_status_and_action_are_400(struct site *s)
{
	struct browser	 mod;
	struct resp	 r = { 0 };

	REQUIRE(browser_init_logged_in(&mod, s, "mod", PW), "mod logs in");
	browser_get(&mod, QUEUE "?status=bogus", &r);
	CHECK_STATUS(&r, 400, "GET", QUEUE "?status=bogus");
	CHECK_CONTAINS(r.body, "The status must be pending, approved, spam or "
	    "trash.", "says why");
	queue_post(&mod, "pending", "explode", 1, 0, &r);
	CHECK_STATUS(&r, 400, "POST", QUEUE " action=explode");
	browser_post_form(&mod, QUEUE, "/accounts/profile/", &r, "status",
	    "pending", "action", "approve", "ids", "x1", (char *)NULL);
	CHECK_STATUS(&r, 400, "POST", QUEUE " ids=x1");
	browser_free(&mod);
	resp_free(&r);
}

/* ---- bans ---------------------------------------------------------------- */

static void
test_email_ban_refuses_until_lifted(struct site *s)
{
	struct browser	 g, mod;
	struct resp	 r = { 0 };
	long long	 id, before;

	browser_init(&g, s, true);
	REQUIRE(browser_init_logged_in(&mod, s, "mod", PW), "mod logs in");
	browser_get(&mod, BANS "?kind=email&value=troll%40example.com", &r);
	REQUIRE_STATUS(&r, 200, "GET", BANS " prefilled");
	CHECK_CONTAINS(r.body, "value=\"troll@example.com\"", "the value is "
	    "prefilled");
	CHECK_CONTAINS(r.body, "<option value=\"email\" selected>", "the kind "
	    "is prefilled");
	ban_post(&mod, "email", "Troll@Example.com", "30", NULL, &r);
	REQUIRE_STATUS(&r, 303, "POST", BANS " an email");
	CHECK_INT(sql_int(s, "SELECT count(*) FROM admin_log WHERE model = "
	    "'comment_ban' AND action = 'add' AND %lld", 1), 1, "the ban is "
	    "in the history");
	browser_get(&mod, BANS, &r);
	CHECK_CONTAINS(r.body, "was banned.", "the message");
	CHECK_CONTAINS(r.body, "Troll@Example.com", "listed as active");

	before = sql_int(s, "SELECT count(*) FROM comments WHERE %lld", 1);
	post_comment(&g, "bans", "Troll", "troll@example.com", "I am back.",
	    &r);
	CHECK_STATUS(&r, 200, "POST", "a comment from a banned email");
	CHECK_CONTAINS(r.body, BANNED_MSG, "told so");
	CHECK_CONTAINS(r.body, "I am back.", "what was typed is kept");
	CHECK_INT(sql_int(s, "SELECT count(*) FROM comments WHERE %lld", 1),
	    before, "nothing stored");

	ban_post(&mod, "email", "troll@example.com", "", NULL, &r);
	CHECK_STATUS(&r, 200, "POST", BANS " the same email again");
	CHECK_CONTAINS(r.body, "This commenter is already banned.", "refused");

	id = ban_id(s, "email", "Troll@Example.com");
	REQUIRE(id > 0, "the ban's id");
	lift(&mod, id, &r);
	REQUIRE_STATUS(&r, 303, "POST", "lift the ban");
	browser_get(&mod, BANS, &r);
	CHECK_CONTAINS(r.body, "was lifted.", "the message");
	CHECK_CONTAINS(r.body, "Lifted <time", "in the past bans");
	CHECK_CONTAINS(r.body, " by mod", "with who lifted it");
	comment_ok(&g, "bans", "Troll", "troll@example.com", "I am back.");
	lift(&mod, 999999, &r);
	CHECK_STATUS(&r, 404, "POST", "lift a ban that does not exist");
	browser_free(&g);
	browser_free(&mod);
	resp_free(&r);
}

static void
test_ip_and_account_bans(struct site *s)
{
	struct browser	 g, mod, reader;
	struct resp	 r = { 0 };

	browser_init(&g, s, true);
	REQUIRE(browser_init_logged_in(&mod, s, "mod", PW), "mod logs in");
	ban_post(&mod, "ip", g.addr, "", NULL, &r);
	REQUIRE_STATUS(&r, 303, "POST", BANS " an address");
	post_comment(&g, "bans", "Ivan", "ivan@example.com", "From my "
	    "address.", &r);
	CHECK_STATUS(&r, 200, "POST", "a comment from a banned address");
	CHECK_CONTAINS(r.body, BANNED_MSG, "told so");

	REQUIRE(browser_init_logged_in(&reader, s, "reader", PW),
	    "reader logs in");
	comment_ok(&reader, "bans", NULL, NULL, "A member speaks.");
	ban_post(&mod, "user", "reader", "1", NULL, &r);
	REQUIRE_STATUS(&r, 303, "POST", BANS " an account");
	post_comment(&reader, "bans", NULL, NULL, "A member speaks again.",
	    &r);
	CHECK_STATUS(&r, 200, "POST", "a comment from a banned account");
	CHECK_CONTAINS(r.body, BANNED_MSG, "told so");
	/* An expired ban does not apply. */
	free(site_sql(s, "UPDATE comment_bans SET expires_at = 1"
	    " WHERE kind = 'user'"));
	comment_ok(&reader, "bans", NULL, NULL, "Expired, I speak again.");
	browser_get(&mod, BANS, &r);
	CHECK_CONTAINS(r.body, "Expired <time", "the expired ban is history");
	browser_free(&g);
	browser_free(&mod);
	browser_free(&reader);
	resp_free(&r);
}

static void
test_ban_hides_previous_comments(struct site *s)
{
	struct browser	 g, mod;
	struct resp	 r = { 0 };
	long long	 a, b;
	char		*st;

	browser_init(&g, s, true);
	site_settings(s, "comment_moderation", "none", (char *)NULL);
	a = comment_ok(&g, "bans", "Hidden", "hide@example.com", "One.");
	b = comment_ok(&g, "bans", "Hidden", "hide@example.com", "Two.");
	site_settings(s, "comment_moderation", "previously_approved",
	    (char *)NULL);
	CHECK(public_has(s, "bans", a), "the first is public");
	REQUIRE(browser_init_logged_in(&mod, s, "mod", PW), "mod logs in");
	ban_post(&mod, "email", "hide@example.com", "", "1", &r);
	REQUIRE_STATUS(&r, 303, "POST", BANS " with hide_comments");
	st = comment_status(s, a);
	CHECK_STR(st, "trash", "the first is in the trash");
	free(st);
	st = comment_status(s, b);
	CHECK_STR(st, "trash", "the second is in the trash");
	free(st);
	CHECK(!public_has(s, "bans", a), "no longer public");
	CHECK_INT(sql_int(s, "SELECT count(*) FROM admin_log WHERE model = "
	    "'comment' AND action = 'trash' AND object_id >= %lld", a), 2,
	    "each move is in the history");
	browser_get(&mod, BANS, &r);
	CHECK_CONTAINS(r.body, "2 comments were moved to the trash.",
	    "the message");
	browser_free(&g);
	browser_free(&mod);
	resp_free(&r);
}

static void
test_ban_form_errors_beside_fields(struct site *s)
{
	struct browser	 mod;
	struct resp	 r = { 0 };

	REQUIRE(browser_init_logged_in(&mod, s, "mod", PW), "mod logs in");
	ban_post(&mod, "ip", "not-an-address", "", NULL, &r);
	REQUIRE_STATUS(&r, 200, "POST", BANS " a bad address");
	CHECK_CONTAINS(r.body, "Enter a valid IPv4 or IPv6 address.",
	    "the address error");
	CHECK_CONTAINS(r.body, "aria-invalid=\"true\"", "marked invalid");
	CHECK_CONTAINS(r.body, "value=\"not-an-address\"", "kept");
	ban_post(&mod, "user", "nobody-at-all", "0", NULL, &r);
	CHECK_STATUS(&r, 200, "POST", BANS " an unknown account");
	CHECK_CONTAINS(r.body, "There is no account with this username.",
	    "the account error");
	CHECK_CONTAINS(r.body, "Enter a whole number of days from 1 to 3650",
	    "the days error");
	ban_post(&mod, "email", "no-at-sign", "3651", NULL, &r);
	CHECK_STATUS(&r, 200, "POST", BANS " a bad email");
	CHECK_CONTAINS(r.body, "Enter a whole number of days", "3651 days");
	ban_post(&mod, "planet", "x", "", NULL, &r);
	CHECK_STATUS(&r, 200, "POST", BANS " a bad kind");
	CHECK_CONTAINS(r.body, "Choose what to ban", "the kind error");
	ban_post(&mod, "email", "", "", NULL, &r);
	CHECK_CONTAINS(r.body, "This field is required.", "empty value");
	CHECK_INT(sql_int(s, "SELECT count(*) FROM comment_bans WHERE value IN"
	    " ('not-an-address', 'nobody-at-all', 'no-at-sign', 'x') AND %lld",
	    1), 0, "nothing stored");
	browser_free(&mod);
	resp_free(&r);
}

int
main(void)
{
	struct site		 s;
	struct site_opts	 o = { .workers = 2 };

	harness_init("019_moderation");
	if (site_start(&s, &o) == 0) {
		CHECK_INT(site_create_user(&s, "boss", NULL, PW), 0,
		    "createsuperuser boss");
		make_staff(&s, "mod", "Moderators");
		make_staff(&s, "staffer", NULL);
		{
			struct browser	 c;

			browser_init_signed_up(&c, &s, "reader", PW);
			browser_free(&c);
		}
		site_settings(&s, "comment_moderation", "previously_approved",
		    "comment_min_seconds", "0", "comment_flood_limit", "100",
		    (char *)NULL);
		make_article(&s, "queue");
		make_article(&s, "bans");
		RUN(test_moderator_approves_from_the_queue, &s);
		RUN(test_bulk_spam_then_empty_spam, &s);
		RUN(test_who_is_kept_out, &s);
		RUN(test_bad_status_and_action_are_400, &s);
		RUN(test_email_ban_refuses_until_lifted, &s);
		RUN(test_ip_and_account_bans, &s);
		RUN(test_ban_hides_previous_comments, &s);
		RUN(test_ban_form_errors_beside_fields, &s);
		CHECK_LOG_CLEAN(&s);
		CHECK_INT(site_stop(&s), 0, "gazette's exit status");
	}
	return harness_finish();
}
