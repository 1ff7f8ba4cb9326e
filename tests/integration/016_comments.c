/*
 * 016_comments: comments under an article, through nginx, as browsers
 * post them: a guest's comment held and shown only to its own browser
 * ("awaiting moderation", no clickable link), every validation error
 * beside its field with what was typed kept, each moderation rule
 * (honeypot, too fast, spam and hold keys, many links, hold all, the
 * previously approved commenter), duplicates, the flood limit (429),
 * logged-in commenters, replies nesting up to the depth limit, the
 * moderation buttons (and who may use them), closed comments, the
 * remember-me cookie and the approved-only counts.
 *
 * Articles come from the test-only POST /__test/articles/ and rules are
 * switched with POST /__test/settings/; what the database holds is read
 * with the sqlite3 command.  Each case uses browsers with addresses of
 * their own, so the flood limit of one never stops another, and emails
 * of its own, so "previously approved" never carries over.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

#define PW		"Correct-Horse-42-battery"
#define AWAITING	"Your comment is awaiting moderation."

/* ---- helpers ------------------------------------------------------------- */

/* A comment form as a browser fills it in; NULL fields are not sent. */
struct cform {
	const char	*name;
	const char	*email;
	const char	*website;
	const char	*body;
	const char	*parent;
	const char	*remember;
	const char	*subject;	/* the honeypot */
};

/*
 * A published article (publish_at age seconds ago) with this slug,
 * comments open or not.  Its id, or 0 after a failed check.
 */
static long long
make_article(struct site *s, const char *slug, bool open, long age)
{
	char		*at = str_printf("%lld", (long long)time(NULL) - age);
	char		*title = str_printf("Comments on %s", slug);
	long long	 id;

	id = site_save_article(s, "title", title, "slug", slug, "body",
	    "Some *text* to comment on.", "status", "published", "publish_at",
	    at, "comments_open", open ? "1" : "0", (char *)NULL);
	free(title);
	free(at);
	return id;
}

/* The rules as each case starts: the defaults, but no minimum time and a
 * flood limit that no case reaches by accident. */
static void
default_rules(struct site *s)
{
	site_settings(s, "comment_moderation", "previously_approved",
	    "comment_max_links", "2", "comment_hold_keys", "",
	    "comment_spam_keys", "", "comment_max_depth", "3",
	    "comment_close_days", "0", "comment_min_seconds", "0",
	    "comment_flood_limit", "50", "comment_flood_window", "60",
	    "comment_guests", "1", (char *)NULL);
}

/* A column of comment id, as text (malloc'd). */
static char *
comment_col(const struct site *s, long long id, const char *col)
{
	char	*q = str_printf("SELECT %s FROM comments WHERE id = %lld", col,
	    id);
	char	*v = site_sql(s, q);

	free(q);
	return v;
}

/* Check comment id's status and held_by. */
static void
check_state(const struct site *s, long long id, const char *status,
    const char *held_by)
{
	char	*st = comment_col(s, id, "status");
	char	*hb = comment_col(s, id, "held_by");

	CHECK_STR(st, status, "status of comment %lld", id);
	if (held_by != NULL)
		CHECK_STR(hb, held_by, "held_by of comment %lld", id);
	free(st);
	free(hb);
}

static char *
article_path(const char *slug)
{
	return str_printf("/articles/%s/", slug);
}

static char *
post_path(const char *slug)
{
	return str_printf("/articles/%s/comments/", slug);
}

/* Send f as the article's comment form does, with the csrf_token tok
 * (NULL: sent empty).  The status. */
static int
send_comment(struct browser *c, const char *slug, const char *tok,
    const struct cform *f, struct resp *r)
{
	char	*to = post_path(slug);
	int	 st;

	st = browser_post_token(c, to, tok, r, "name", f->name, "email",
	    f->email, "website", f->website, "body", f->body, "parent",
	    f->parent, "remember", f->remember, "subject", f->subject,
	    (char *)NULL);
	free(to);
	return st;
}

/* Show the article to c for the form's csrf_token, then send f.  The
 * status of the POST. */
static int
post_comment(struct browser *c, const char *slug, const struct cform *f,
    struct resp *r)
{
	char	*path = article_path(slug);
	char	*tok = browser_form_value(c, path, "csrf_token");
	int	 st;

	st = send_comment(c, slug, tok, f, r);
	free(tok);
	free(path);
	return st;
}

/* The comment id in a 303's Location ("...?c=ID#comment-ID"), or 0. */
static long long
posted_id(const struct resp *r)
{
	const char	*loc = resp_header(r, "Location");
	const char	*p = loc != NULL ? strstr(loc, "#comment-") : NULL;

	return p != NULL ? atoll(p + 9) : 0;
}

/* Post f and expect the 303 to the new comment; its id, or 0. */
static long long
post_ok(struct browser *c, const char *slug, const struct cform *f,
    const char *what)
{
	struct resp	 r = { 0 };
	long long	 id = 0;
	char		*path = article_path(slug), *want;

	post_comment(c, slug, f, &r);
	if (CHECK_STATUS(&r, 303, "POST", what)) {
		id = posted_id(&r);
		want = str_printf("%s?c=%lld#comment-%lld", path, id, id);
		CHECK_STR(resp_header(&r, "Location"), want, "%s: Location",
		    what);
		free(want);
	}
	CHECK(id > 0, "%s: a comment id", what);
	free(path);
	resp_free(&r);
	return id;
}

/*
 * Post f as c to the guest article, expecting the 303 (what names the
 * post); the value of its Set-Cookie header for cookie, in r, or NULL
 * after a failed check.  Two checks.
 */
static const char *
posted_cookie(struct browser *c, const struct cform *f, const char *cookie,
    const char *what, struct resp *r)
{
	const char	*sc;

	post_comment(c, "guest", f, r);
	if (!CHECK_STATUS(r, 303, "POST", what))
		return NULL;
	sc = resp_set_cookie(r, cookie);
	CHECK(sc != NULL, "%s: Set-Cookie %s", what, cookie);
	return sc;
}

/* post_ok(), then check the new comment's status and held_by (NULL: any,
 * as check_state()).  Its id, or 0. */
static long long
post_classified(struct browser *c, const char *slug, const struct cform *f,
    const char *what, const char *status, const char *held_by)
{
	long long	 id = post_ok(c, slug, f, what);

	check_state(c->site, id, status, held_by);
	return id;
}

/* GET the article as c into r; the status. */
static int
show(struct browser *c, const char *slug, struct resp *r)
{
	char	*path = article_path(slug);
	int	 st = browser_get(c, path, r);

	free(path);
	return st;
}

/* Does c see comment id on the article? */
static bool
sees(struct browser *c, const char *slug, long long id)
{
	struct resp	 r = { 0 };
	char		*anchor = str_printf("id=\"comment-%lld\"", id);
	bool		 yes;

	show(c, slug, &r);
	yes = r.status == 200 && strstr(r.body, anchor) != NULL;
	free(anchor);
	resp_free(&r);
	return yes;
}

/* The <article> of comment id in html, malloc'd, or NULL. */
static char *
comment_html(const char *html, long long id)
{
	char	*start = str_printf("<article id=\"comment-%lld\"", id);
	char	*v = str_between(html, start, "</article>");

	free(start);
	return v;
}

/* How many <ol> are open at the comment id's <article>: its nesting. */
static int
nesting(const char *html, long long id)
{
	char		*anchor = str_printf("id=\"comment-%lld\"", id);
	const char	*at = strstr(html, anchor), *p;
	int		 depth = 0;

	free(anchor);
	if (at == NULL)
		return -1;
	for (p = html; p < at; p++) {
		if (strncmp(p, "<ol", 3) == 0)
			depth++;
		else if (strncmp(p, "</ol>", 5) == 0)
			depth--;
	}
	return depth;
}

/* Moderate comment id with action as c (its page's token); the status. */
static int
moderate(struct browser *c, const char *slug, long long id,
    const char *action, struct resp *r)
{
	char	*path = article_path(slug);
	char	*to = str_printf("/comments/%lld/moderate/", id);
	int	 st;

	st = browser_post_form(c, to, path, r, "action", action, (char *)NULL);
	free(to);
	free(path);
	return st;
}

/* ---- a guest's comment ---------------------------------------------------- */

static void
test_guest_comment_is_shown_only_to_its_browser(struct site *s)
{
	struct browser	 a, b;
	struct resp	 r = { 0 };
	struct cform	 f = { .name = "Ann Guest", .email = "ann@example.com",
	    .website = "https://ann.example/", .body = "Hello, see "
	    "[my site](https://spam.example/) please." };
	char		*html, *v;
	long long	 id;

	default_rules(s);
	browser_init(&a, s, true);
	browser_init(&b, s, true);
	show(&a, "guest", &r);
	REQUIRE_STATUS(&r, 200, "GET", "/articles/guest/");
	CHECK_CONTAINS(r.body, "<h2 id=\"respond-title\">Leave a reply</h2>",
	    "the form's heading");
	CHECK_CONTAINS(r.body, "Your email address will not be published. "
	    "Required fields are marked *", "the form's sentence");
	CHECK_CONTAINS(r.body, "No comments yet", "the heading without "
	    "comments");
	for (const char *const *n = (const char *const[]){ "name", "email",
	    "website", "body", "remember", "csrf_token", NULL }; *n; n++) {
		char *nm = str_printf("name=\"%s\"", *n);

		CHECK_CONTAINS(r.body, nm, "the form has the field %s", *n);
		free(nm);
	}
	CHECK_CONTAINS(r.body, "<label for=\"comment-form-subject\">Leave "
	    "this field empty</label>", "the honeypot says to leave it");
	CHECK_CONTAINS(r.body, "tabindex=\"-1\" autocomplete=\"off\"",
	    "the honeypot is out of the tab order");
	CHECK(resp_set_cookie(&r, "gazette_csrf") == NULL, "the page sets no "
	    "cookie for a guest (cacheable)");
	CHECK_CONTAINS(resp_header(&r, "Cache-Control"), "public", "a "
	    "guest's page with the form is public");

	id = post_ok(&a, "guest", &f, "a guest's comment");
	REQUIRE(id > 0, "posted");
	check_state(s, id, "pending", "first_comment");
	REQUIRE(show(&a, "guest", &r) == 200, "the article again");
	/* The cookie that lets this browser see it. */
	CHECK(browser_cookie(&a, "gazette_pending") != NULL, "the pending "
	    "cookie is in the browser");
	html = comment_html(r.body, id);
	REQUIRE(html != NULL, "its own browser sees the pending comment");
	CHECK_CONTAINS(html, AWAITING, "marked as awaiting moderation");
	CHECK_CONTAINS(html, "my site", "the link text stays");
	CHECK_NOT_CONTAINS(html, "https://spam.example/", "no link while "
	    "held");
	CHECK_NOT_CONTAINS(html, "href=\"https://ann.example/\"", "no link "
	    "to the author's site while held");
	CHECK_NOT_CONTAINS(r.body, "ann@example.com", "the email is never "
	    "shown");
	free(html);
	CHECK(strstr(resp_header(&r, "Cache-Control") != NULL ?
	    resp_header(&r, "Cache-Control") : "", "public") == NULL,
	    "the page with a pending comment is not public");
	CHECK_CONTAINS(r.body, "No comments yet", "a held comment does not "
	    "count");
	CHECK(!sees(&b, "guest", id), "another browser does not see it");
	/* The cookie's flags. */
	browser_set_cookie(&a, "gazette_pending", NULL);
	CHECK(!sees(&a, "guest", id), "without the cookie it is gone");
	/* A forged cookie shows nothing. */
	v = str_printf("%lld-%064d", id, 0);
	browser_set_cookie(&b, "gazette_pending", v);
	CHECK(!sees(&b, "guest", id), "a forged pending cookie shows nothing");
	free(v);
	resp_free(&r);
	browser_free(&a);
	browser_free(&b);
}

static void
test_pending_cookie_flags(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	struct cform	 f = { .name = "Flag", .email = "flag@example.com",
	    .body = "Cookie flags." };
	const char	*sc;
	char		*v;

	default_rules(s);
	browser_init(&c, s, true);
	if ((sc = posted_cookie(&c, &f, "gazette_pending", "a guest's comment",
	    &r)) == NULL)
		goto out;
	CHECK_COOKIE_ATTR(sc, "HttpOnly", NULL);
	CHECK_COOKIE_ATTR(sc, "SameSite", "Lax");
	v = cookie_attr(sc, "Max-Age");
	CHECK(v != NULL && atol(v) >= 86400, "kept a few days (%s)", v);
	free(v);
	CHECK(resp_set_cookie(&r, "gazette_commenter") == NULL, "no remember "
	    "cookie unless ticked");
out:
	resp_free(&r);
	browser_free(&c);
}

/* ---- validation ------------------------------------------------------------ */

static void
check_field_error(const char *body, const char *field, const char *msg)
{
	char	*err = str_printf("<p class=\"field__error\" id=\"comment-form-"
	    "%s-error\"><span class=\"visually-hidden\">Error: </span>%s</p>",
	    field, msg);
	char	*desc = str_printf("aria-describedby=\"%scomment-form-%s-error\""
	    " aria-invalid=\"true\"", strcmp(field, "body") == 0 ?
	    "comment-form-body-help " : "", field);

	CHECK_CONTAINS(body, err, "the error beside %s", field);
	CHECK_CONTAINS(body, desc, "%s names its error", field);
	free(err);
	free(desc);
}

/*
 * Post f as c to the guest article: the form must come back (200) with
 * msg beside field (check_field_error()).  Whether it came back; the
 * page is in r.
 */
static bool
post_refused(struct browser *c, const struct cform *f, const char *field,
    const char *msg, struct resp *r)
{
	post_comment(c, "guest", f, r);
	if (!CHECK_STATUS(r, 200, "POST, refused on", field))
		return false;
	check_field_error(r->body, field, msg);
	return true;
}

static void
test_every_error_beside_its_field_with_values_kept(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	struct cform	 f = { .name = "", .email = "not-an-email",
	    .website = "ftp://files.example/", .body = "   " };
	char		 longname[102], *longbody = NULL;

	default_rules(s);
	browser_init(&c, s, true);
	post_comment(&c, "guest", &f, &r);
	REQUIRE_STATUS(&r, 200, "POST", "an empty form");
	CHECK_CONTAINS(r.body, "<div class=\"form-summary\" role=\"alert\">",
	    "an error summary on top");
	CHECK_CONTAINS(r.body, "<a href=\"#comment-form-email\">Email: ",
	    "the summary links to the field");
	check_field_error(r.body, "name", "Please enter your name.");
	check_field_error(r.body, "email", "Enter a valid email address.");
	check_field_error(r.body, "website", "Enter a web address that starts "
	    "with http:// or https://, or leave this field empty.");
	check_field_error(r.body, "body", "Please type your comment.");
	CHECK_CONTAINS(r.body, "value=\"not-an-email\"", "the email typed is "
	    "kept");
	CHECK_CONTAINS(r.body, "value=\"ftp://files.example/\"", "the website "
	    "typed is kept");
	CHECK_CONTAINS(r.body, "<h1>Comments on guest</h1>", "on the article "
	    "page");
	CHECK_NOT_CONTAINS(resp_header(&r, "Cache-Control"), "public", "the "
	    "form with errors is private");
	{
		struct cform	 again = { .name = "", .body = "x" };
		char		*tok = browser_form_value(&c, "/articles/guest/",
		    "csrf_token"), *back;

		/* The form comes back with the token it was sent with, not
		 * a new one: the time since it was first shown runs on. */
		msleep(1100);
		send_comment(&c, "guest", tok, &again, &r);
		back = html_input_value(r.body, "csrf_token");
		CHECK_STR(back, tok, "the form's token comes back as sent");
		free(back);
		free(tok);
	}
	/* Too long, and the body kept with its markup escaped. */
	memset(longname, 'n', 101);
	longname[101] = '\0';
	f.name = longname;
	f.email = "long@example.com";
	f.website = "https://ok.example/";
	f.body = "<b>bold</b> & kept";
	if (!post_refused(&c, &f, "name", "Your name must be at most 100 "
	    "characters.", &r))
		goto out;
	CHECK_CONTAINS(r.body, "&lt;b&gt;bold&lt;/b&gt; &amp; kept</textarea>",
	    "the comment typed is kept, escaped");
	CHECK_CONTAINS(r.body, "value=\"long@example.com\"", "the email kept");
	CHECK_NOT_CONTAINS(r.body, "comment-form-email-error", "no error on "
	    "a good email");

	longbody = malloc(10002);
	memset(longbody, 'b', 10001);
	longbody[10001] = '\0';
	f.name = "Long";
	f.body = longbody;
	if (!post_refused(&c, &f, "body", "Your comment is too long: at most "
	    "10,000 characters.", &r))
		goto out;

	f.body = "A website that is not one.";
	f.website = "http://";
	post_refused(&c, &f, "website", "Enter a valid web address, such as "
	    "https://example.com/.", &r);
out:
	free(longbody);
	resp_free(&r);
	browser_free(&c);
}

static void
test_a_reply_to_a_hidden_comment_is_refused(struct site *s)
{
	struct browser	 a, b;
	struct resp	 r = { 0 };
	struct cform	 f = { .name = "Held", .email = "held@example.com",
	    .body = "A held one." };
	char		 parent[32];
	long long	 id;

	default_rules(s);
	browser_init(&a, s, true);
	browser_init(&b, s, true);
	id = post_ok(&a, "guest", &f, "a held comment");
	snprintf(parent, sizeof(parent), "%lld", id);
	f.parent = parent;
	f.name = "Other";
	f.email = "other@example.com";
	f.body = "Replying to what I cannot see.";
	post_comment(&b, "guest", &f, &r);
	CHECK_STATUS(&r, 200, "POST", "a reply to another's held comment");
	CHECK_CONTAINS(r.body, "The comment you replied to is no longer "
	    "available.", "the form says why");
	CHECK_CONTAINS(r.body, "Replying to what I cannot see.</textarea>",
	    "the comment is kept");
	/* Its own browser may answer its held comment. */
	f.name = "Held";
	f.email = "held@example.com";
	f.body = "And a follow-up.";
	CHECK(post_ok(&a, "guest", &f, "a reply to one's own held comment") >
	    0, "posted");
	resp_free(&r);
	browser_free(&a);
	browser_free(&b);
}

/* ---- the rules ----------------------------------------------------------- */

static void
test_honeypot_is_spam(struct site *s)
{
	struct browser	 bot, other;
	struct cform	 f = { .name = "Bot", .email = "bot@example.com",
	    .body = "Buy things.", .subject = "Great offer" };
	long long	 id;

	default_rules(s);
	browser_init(&bot, s, true);
	browser_init(&other, s, true);
	id = post_classified(&bot, "guest", &f,
	    "a filled honeypot (answered as pending)", "spam", "honeypot");
	CHECK(!sees(&other, "guest", id), "nobody else sees spam");
	browser_free(&bot);
	browser_free(&other);
}

static void
test_posting_too_fast_is_spam(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	struct cform	 f = { .name = "Quick", .email = "quick@example.com",
	    .body = "First, at once." };
	char		*tok;

	default_rules(s);
	site_settings(s, "comment_min_seconds", "2", (char *)NULL);
	browser_init(&c, s, true);
	post_classified(&c, "guest", &f, "a form sent at once", "spam",
	    "too_fast");

	/* The same browser, a fresh page, two seconds of reading. */
	tok = browser_form_value(&c, "/articles/guest/", "csrf_token");
	msleep(2100);
	f.body = "Second, after reading.";
	send_comment(&c, "guest", tok, &f, &r);
	if (CHECK_STATUS(&r, 303, "POST", "a form sent after 2 s"))
		check_state(s, posted_id(&r), "pending", "first_comment");
	free(tok);
	default_rules(s);
	resp_free(&r);
	browser_free(&c);
}

static void
test_max_links_holds_at_the_limit(struct site *s)
{
	struct browser	 c, other;
	struct cform	 f = { .name = "Linker", .email = "links@example.com",
	    .body = "One link: https://one.example/" };
	long long	 id;

	default_rules(s);
	site_settings(s, "comment_moderation", "none", "comment_max_links", "2",
	    (char *)NULL);
	browser_init(&c, s, true);
	browser_init(&other, s, true);
	id = post_classified(&c, "rules", &f, "one link (limit 2)", "approved",
	    "no_moderation");
	CHECK(sees(&other, "rules", id), "an approved comment is public");
	f.body = "Two links: https://one.example/ and [two](https://two.example/)";
	id = post_classified(&c, "rules", &f, "two links (limit 2)", "pending",
	    "max_links");
	CHECK(!sees(&other, "rules", id), "a held comment is not public");
	default_rules(s);
	browser_free(&c);
	browser_free(&other);
}

static void
test_hold_key_holds(struct site *s)
{
	struct browser	 c;
	struct cform	 f = { .name = "Keyed", .email = "keyed@example.com",
	    .body = "Come to the CaSiNo tonight." };

	default_rules(s);
	site_settings(s, "comment_moderation", "none", "comment_hold_keys",
	    "poker\n  casino  \n", (char *)NULL);
	browser_init(&c, s, true);
	post_classified(&c, "rules", &f, "a hold word in the body", "pending",
	    "hold_key");
	f.body = "Nothing to see.";
	f.website = "https://poker.example/";
	post_classified(&c, "rules", &f, "a hold word in the website",
	    "pending", "hold_key");
	f.body = "Clean words only.";
	f.website = NULL;
	post_classified(&c, "rules", &f, "no hold word", "approved",
	    "no_moderation");
	default_rules(s);
	browser_free(&c);
}

static void
test_spam_key_is_spam(struct site *s)
{
	struct browser	 c, d;
	struct cform	 f = { .name = "Spammer", .email = "x@spam.example",
	    .body = "Innocent words." };
	char		*key;

	default_rules(s);
	site_settings(s, "comment_moderation", "none", "comment_spam_keys",
	    "@spam.example", (char *)NULL);
	browser_init(&c, s, true);
	post_classified(&c, "rules", &f, "a spam address", "spam", "spam_key");
	/* An address (the browser's own) as a key. */
	browser_init(&d, s, true);
	key = str_printf("%s\n", d.addr);
	site_settings(s, "comment_spam_keys", key, (char *)NULL);
	f.email = "fine@example.com";
	f.body = "From a listed address.";
	post_classified(&d, "rules", &f, "a spam IP", "spam", "spam_key");
	free(key);
	default_rules(s);
	browser_free(&c);
	browser_free(&d);
}

static void
test_moderation_all_and_previously_approved(struct site *s)
{
	struct browser	 c, mod, other;
	struct resp	 r = { 0 };
	struct cform	 f = { .name = "Regular", .email = "regular@example.com",
	    .body = "My first words here." };
	long long	 first, third;

	default_rules(s);
	browser_init(&c, s, true);
	browser_init(&other, s, true);
	first = post_classified(&c, "rules", &f, "a first comment", "pending",
	    "first_comment");
	f.body = "Still waiting for the first.";
	post_classified(&c, "rules", &f, "a second before approval", "pending",
	    "first_comment");

	REQUIRE(browser_init_logged_in(&mod, s, "moderator", PW),
	    "the moderator logs in");
	moderate(&mod, "rules", first, "approve", &r);
	CHECK_STATUS(&r, 303, "POST", "approve the first");
	check_state(s, first, "approved", NULL);
	CHECK(sees(&other, "rules", first), "approved: public");

	f.body = "Now I am known.";
	f.name = "Another name, same address";
	third = post_classified(&c, "rules", &f, "a comment after one approved",
	    "approved", "previously_approved");
	CHECK(sees(&other, "rules", third), "public at once");

	site_settings(s, "comment_moderation", "all", (char *)NULL);
	f.body = "Held like everyone's.";
	post_classified(&c, "rules", &f, "moderation all", "pending",
	    "moderation_all");
	default_rules(s);
	resp_free(&r);
	browser_free(&c);
	browser_free(&mod);
	browser_free(&other);
}

static void
test_duplicate_is_refused(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	struct cform	 f = { .name = "Echo", .email = "echo@example.com",
	    .body = "I said this once." };

	default_rules(s);
	browser_init(&c, s, true);
	post_ok(&c, "rules", &f, "the first time");
	post_comment(&c, "rules", &f, &r);
	CHECK_STATUS(&r, 200, "POST", "the same again");
	CHECK_CONTAINS(r.body, "Duplicate comment detected; it looks as "
	    "though you’ve already said that!", "the form says so");
	CHECK_CONTAINS(r.body, "I said this once.</textarea>", "the comment "
	    "is kept in the form");
	CHECK_INT(resp_set_cookie_count(&r, "gazette_pending"), 0, "nothing "
	    "new to see");
	resp_free(&r);
	browser_free(&c);
}

static void
test_flood_is_429(struct site *s)
{
	struct browser	 c, d;
	struct resp	 r = { 0 };
	struct cform	 f = { .name = "Flood", .email = "flood@example.com",
	    .body = "One." };
	const char	*ra;

	default_rules(s);
	site_settings(s, "comment_flood_limit", "2", "comment_flood_window",
	    "60", (char *)NULL);
	browser_init(&c, s, true);
	post_ok(&c, "rules", &f, "comment 1 of 2");
	f.body = "Two.";
	post_ok(&c, "rules", &f, "comment 2 of 2");
	f.body = "Three.";
	post_comment(&c, "rules", &f, &r);
	CHECK_STATUS(&r, 429, "POST", "comment 3 of 2");
	ra = resp_header(&r, "Retry-After");
	CHECK(ra != NULL && atol(ra) > 0 && atol(ra) <= 60, "Retry-After "
	    "(%s)", ra != NULL ? ra : "none");
	CHECK_CONTAINS(r.body, "You are posting comments too quickly. Slow "
	    "down.", "the message");
	/* Another address is not held back. */
	browser_init(&d, s, true);
	f.email = "calm@example.com";
	post_ok(&d, "rules", &f, "another address");
	default_rules(s);
	resp_free(&r);
	browser_free(&c);
	browser_free(&d);
}

/* ---- users, replies, moderation -------------------------------------------- */

static void
test_logged_in_user_comments_without_name_or_email(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	struct cform	 f = { .body = "Written as a member." };
	char		*uid, *name;
	long long	 id;

	default_rules(s);
	REQUIRE(browser_init_logged_in(&c, s, "reader", PW), "reader logs in");
	show(&c, "guest", &r);
	REQUIRE_STATUS(&r, 200, "GET", "the article, logged in");
	CHECK_CONTAINS(r.body, "Logged in as <a href=\"/accounts/profile/\">"
	    "reader</a>.", "who is commenting");
	CHECK_NOT_CONTAINS(r.body, "name=\"name\"", "no name field");
	CHECK_NOT_CONTAINS(r.body, "name=\"email\"", "no email field");
	CHECK_NOT_CONTAINS(r.body, "name=\"remember\"", "no remember box");
	id = post_ok(&c, "guest", &f, "a member's comment");
	uid = comment_col(s, id, "user_id IS NOT NULL");
	CHECK_STR(uid, "1", "stored under the account");
	name = comment_col(s, id, "author_name");
	CHECK_STR(name, "reader", "under the account's name");
	check_state(s, id, "pending", "first_comment");
	CHECK(sees(&c, "guest", id), "the member sees the held comment");
	free(uid);
	free(name);
	resp_free(&r);
	browser_free(&c);
}

static void
test_replies_nest_up_to_the_depth_limit(struct site *s)
{
	struct browser	 c, other;
	struct resp	 r = { 0 };
	struct cform	 f = { .name = "Threader", .email = "thread@example.com",
	    .body = "Top." };
	char		 p[32], *html, *v, *want;
	long long	 top, r1, r2, r3;

	default_rules(s);
	site_settings(s, "comment_moderation", "none", (char *)NULL);
	browser_init(&c, s, true);
	browser_init(&other, s, true);
	top = post_ok(&c, "thread", &f, "the top comment");

	/* ?replytocom= makes the form a reply. */
	v = str_printf("/articles/thread/?replytocom=%lld", top);
	browser_get(&c, v, &r);
	REQUIRE_STATUS(&r, 200, "GET", v);
	CHECK_CONTAINS(r.body, "Replying to <a href=\"#comment-", "replying "
	    "to whom");
	CHECK_CONTAINS(r.body, "Threader</a> — <a href=\"/articles/thread/"
	    "#respond\">Cancel reply</a>", "and the way back");
	html = html_input_value(r.body, "parent");
	snprintf(p, sizeof(p), "%lld", top);
	CHECK_STR(html, p, "the hidden parent");
	free(html);
	f.parent = p;
	f.body = "Reply one.";
	r1 = post_ok(&c, "thread", &f, "a reply to the top");
	snprintf(p, sizeof(p), "%lld", r1);
	f.body = "Reply two.";
	r2 = post_ok(&c, "thread", &f, "a reply to the reply");
	snprintf(p, sizeof(p), "%lld", r2);
	f.body = "Reply three, past the limit.";
	r3 = post_ok(&c, "thread", &f, "a reply at the deepest level");

	v = comment_col(s, r3, "parent_id || '/' || depth");
	want = str_printf("%lld/2", r1);
	CHECK_STR(v, want, "past the limit it goes beside its parent");
	free(v);
	free(want);

	show(&other, "thread", &r);
	REQUIRE_STATUS(&r, 200, "GET", "/articles/thread/");
	CHECK_INT(nesting(r.body, top), 1, "the top comment's nesting");
	CHECK_INT(nesting(r.body, r1), 2, "a reply nests under it");
	CHECK_INT(nesting(r.body, r2), 3, "its reply nests deeper");
	CHECK_INT(nesting(r.body, r3), 3, "no deeper than three");
	CHECK_CONTAINS(r.body, "4 Comments", "the heading counts them");
	want = str_printf("?replytocom=%lld#respond", r1);
	CHECK_CONTAINS(r.body, want, "a reply link at level 2");
	free(want);
	want = str_printf("?replytocom=%lld#respond", r2);
	CHECK_NOT_CONTAINS(r.body, want, "no reply link at the deepest level");
	free(want);
	CHECK_CONTAINS(r.body, "aria-label=\"Reply to Threader\">Reply</a>",
	    "reply links say to whom");
	default_rules(s);
	resp_free(&r);
	browser_free(&c);
	browser_free(&other);
}

static void
test_moderator_buttons_approve_spam_trash(struct site *s)
{
	struct browser	 g, mod, user, anon;
	struct resp	 r = { 0 };
	struct cform	 f = { .name = "Pat", .email = "pat@example.com",
	    .body = "Moderate me." };
	char		*html, *want;
	long long	 id, id2;

	default_rules(s);
	browser_init(&g, s, true);
	browser_init(&anon, s, true);
	id = post_ok(&g, "moderated", &f, "a comment to moderate");
	f.body = "And me.";
	id2 = post_ok(&g, "moderated", &f, "another");

	REQUIRE(browser_init_logged_in(&mod, s, "moderator", PW),
	    "the moderator logs in");
	show(&mod, "moderated", &r);
	REQUIRE_STATUS(&r, 200, "GET", "the article, as moderator");
	html = comment_html(r.body, id);
	REQUIRE(html != NULL, "the moderator sees the held comment");
	want = str_printf("action=\"/comments/%lld/moderate/\"", id);
	CHECK_CONTAINS(html, want, "its moderation form");
	CHECK_CONTAINS(html, "value=\"approve\"", "an Approve button");
	CHECK_CONTAINS(html, "value=\"spam\"", "a Spam button");
	CHECK_CONTAINS(html, "value=\"trash\"", "a Trash button");
	CHECK_CONTAINS(html, "Awaiting moderation: a first comment.", "why "
	    "it is held");
	free(want);
	free(html);

	moderate(&mod, "moderated", id, "approve", &r);
	CHECK_STATUS(&r, 303, "POST", "approve");
	want = str_printf("/articles/moderated/?c=%lld#comment-%lld", id, id);
	CHECK_STR(resp_header(&r, "Location"), want, "back at the comment");
	free(want);
	want = str_printf("%s", resp_header(&r, "Location") != NULL ?
	    resp_header(&r, "Location") : "/");
	want[strcspn(want, "#")] = '\0';
	browser_get(&mod, want, &r);
	CHECK_CONTAINS(r.body, "<li class=\"flash flash--success\">Comment "
	    "approved.</li>", "the flash message");
	free(want);
	CHECK(sees(&anon, "moderated", id), "approved: public");

	moderate(&mod, "moderated", id, "spam", &r);
	CHECK_STATUS(&r, 303, "POST", "spam");
	CHECK_STR(resp_header(&r, "Location"), "/articles/moderated/"
	    "#comments", "back at the comments");
	check_state(s, id, "spam", NULL);
	CHECK(!sees(&anon, "moderated", id), "spam: hidden");

	moderate(&mod, "moderated", id2, "trash", &r);
	CHECK_STATUS(&r, 303, "POST", "trash");
	check_state(s, id2, "trash", NULL);
	CHECK(!sees(&mod, "moderated", id2), "trash: hidden even from staff");

	moderate(&mod, "moderated", id, "publish", &r);
	CHECK_STATUS(&r, 400, "POST", "an unknown action");
	moderate(&mod, "moderated", id + 100000, "approve", &r);
	CHECK_STATUS(&r, 404, "POST", "moderate a comment that is not there");
	/* Without the token: the CSRF check. */
	browser_post(&mod, "/comments/1/moderate/", "action=approve", &r);
	CHECK_STATUS(&r, 403, "POST", "moderate without a token");

	/* A member without the permission: 403; a guest: to the login. */
	REQUIRE(browser_init_logged_in(&user, s, "reader", PW),
	    "reader logs in");
	moderate(&user, "moderated", id, "approve", &r);
	CHECK_STATUS(&r, 403, "POST", "approve as a reader");
	check_state(s, id, "spam", NULL);
	show(&user, "moderated", &r);
	CHECK_NOT_CONTAINS(r.body, "/moderate/", "no buttons for readers");
	moderate(&anon, "moderated", id, "approve", &r);
	CHECK(r.status == 403 || r.status == 302 || r.status == 303,
	    "a guest cannot moderate (%d)", r.status);
	check_state(s, id, "spam", NULL);
	resp_free(&r);
	browser_free(&g);
	browser_free(&mod);
	browser_free(&user);
	browser_free(&anon);
}

/* ---- closed, guests off, remember, counts ------------------------------------ */

static void
test_closed_comments_are_403(struct site *s)
{
	struct browser	 c, m;
	struct resp	 r = { 0 };
	struct cform	 f = { .name = "Late", .email = "late@example.com",
	    .body = "Too late?" };

	default_rules(s);
	browser_init(&c, s, true);
	show(&c, "closed", &r);
	REQUIRE_STATUS(&r, 200, "GET", "/articles/closed/");
	CHECK_CONTAINS(r.body, "Comments are closed.", "the page says so");
	CHECK_NOT_CONTAINS(r.body, "name=\"body\"", "no form");
	REQUIRE(browser_init_logged_in(&m, s, "reader", PW), "reader logs in");
	post_comment(&m, "closed", &f, &r);
	CHECK_STATUS(&r, 403, "POST", "a comment on a closed article");
	CHECK_CONTAINS(r.body, "Comments are closed.", "the 403 says why");
	/* By age: open, published 10 days ago, closing after 5. */
	show(&c, "old", &r);
	CHECK_NOT_CONTAINS(r.body, "Comments are closed.", "open while "
	    "close_days is 0");
	site_settings(s, "comment_close_days", "5", (char *)NULL);
	show(&c, "old", &r);
	CHECK_CONTAINS(r.body, "Comments are closed.", "closed after 5 days");
	post_comment(&m, "old", &f, &r);
	CHECK_STATUS(&r, 403, "POST", "a comment after 5 days");
	CHECK_CONTAINS(r.body, "Comments are closed.", "the 403 says why");
	default_rules(s);
	resp_free(&r);
	browser_free(&c);
	browser_free(&m);
}

static void
test_guests_may_be_turned_away(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	struct cform	 f = { .name = "Guest", .email = "away@example.com",
	    .body = "May I?" };
	char		*tok;

	default_rules(s);
	browser_init(&c, s, true);
	tok = browser_form_value(&c, "/articles/guest/", "csrf_token");
	site_settings(s, "comment_guests", "0", (char *)NULL);
	show(&c, "guest", &r);
	CHECK_CONTAINS(r.body, "<a href=\"/accounts/login/?next=%2Farticles"
	    "%2Fguest%2F\">Log in to leave a comment</a>", "a login link");
	CHECK_NOT_CONTAINS(r.body, "name=\"body\"", "no form");
	send_comment(&c, "guest", tok, &f, &r);
	CHECK_STATUS(&r, 403, "POST", "a guest when guests may not");
	CHECK_CONTAINS(r.body, "You must be logged in to post a comment.",
	    "the 403 says why");
	free(tok);
	default_rules(s);
	resp_free(&r);
	browser_free(&c);
}

static void
test_remember_cookie_only_when_ticked(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	struct cform	 f = { .name = "Rémy Memo", .email = "remy@example.com",
	    .website = "https://remy.example/a?b=c", .body = "Remember me.",
	    .remember = "1" };
	const char	*sc;

	default_rules(s);
	browser_init(&c, s, true);
	if ((sc = posted_cookie(&c, &f, "gazette_commenter", "with remember "
	    "ticked", &r)) == NULL)
		goto out;
	CHECK_COOKIE_ATTR(sc, "Max-Age", "31536000");	/* a year */
	CHECK_COOKIE_ATTR(sc, "HttpOnly", NULL);
	show(&c, "guest", &r);
	CHECK_CONTAINS(r.body, "value=\"Rémy Memo\"", "the name prefilled");
	CHECK_CONTAINS(r.body, "value=\"remy@example.com\"", "the email "
	    "prefilled");
	CHECK_CONTAINS(r.body, "value=\"https://remy.example/a?b=c\"", "the "
	    "website prefilled");
	CHECK_CONTAINS(r.body, "value=\"1\" checked", "the box stays ticked");

	f.remember = NULL;
	f.body = "Forget me.";
	if ((sc = posted_cookie(&c, &f, "gazette_commenter", "with remember "
	    "unticked", &r)) == NULL)
		goto out;
	CHECK_COOKIE_ATTR(sc, "Max-Age", "0");		/* dropped */
	show(&c, "guest", &r);
	CHECK_NOT_CONTAINS(r.body, "value=\"remy@example.com\"", "not "
	    "prefilled any more");
out:
	resp_free(&r);
	browser_free(&c);
}

static void
test_counts_show_approved_comments_only(struct site *s)
{
	struct browser	 c, other;
	struct resp	 r = { 0 };
	struct cform	 f = { .name = "Counter", .email = "count@example.com",
	    .body = "Counted." };
	char		*item, *n;

	default_rules(s);
	site_settings(s, "comment_moderation", "none", (char *)NULL);
	browser_init(&c, s, true);
	browser_init(&other, s, true);
	post_ok(&c, "counted", &f, "an approved comment");
	site_settings(s, "comment_moderation", "all", (char *)NULL);
	f.body = "Held, not counted.";
	post_ok(&c, "counted", &f, "a held comment");
	n = site_sql(s,
	    "SELECT comment_count FROM articles WHERE slug = 'counted'");
	CHECK_STR(n, "1", "the article's count");
	free(n);
	browser_get(&other, "/", &r);
	REQUIRE_STATUS(&r, 200, "GET", "/");
	item = str_between(r.body, "href=\"/articles/counted/\"", "</article>");
	CHECK(item != NULL && strstr(item, "1 comment") != NULL &&
	    strstr(item, "2 comments") == NULL, "the home page counts the "
	    "approved one only");
	free(item);
	show(&c, "counted", &r);
	CHECK_CONTAINS(r.body, "One comment", "the article's heading counts "
	    "the approved one");
	default_rules(s);
	resp_free(&r);
	browser_free(&c);
	browser_free(&other);
}

static void
test_unknown_article_is_404(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };

	REQUIRE(browser_init_logged_in(&c, s, "reader", PW), "reader logs in");
	browser_post_form(&c, "/articles/no-such-article/comments/", "/", &r,
	    "body", "Hello?", (char *)NULL);
	CHECK_STATUS(&r, 404, "POST", "a comment on no article");
	resp_free(&r);
	browser_free(&c);
}

int
main(void)
{
	struct site		 s;
	struct site_opts	 o = { .workers = 2 };

	harness_init("016_comments");
	if (site_start(&s, &o) == 0) {
		CHECK_INT(site_create_user(&s, "moderator", NULL, PW), 0,
		    "createsuperuser moderator");
		{
			struct browser	 c;

			browser_init_signed_up(&c, &s, "reader", PW);
			browser_free(&c);
		}
		make_article(&s, "guest", true, 3600);
		make_article(&s, "rules", true, 3600);
		make_article(&s, "thread", true, 3600);
		make_article(&s, "moderated", true, 3600);
		make_article(&s, "closed", false, 3600);
		make_article(&s, "old", true, 10 * 86400);
		make_article(&s, "counted", true, 60);
		RUN(test_guest_comment_is_shown_only_to_its_browser, &s);
		RUN(test_pending_cookie_flags, &s);
		RUN(test_every_error_beside_its_field_with_values_kept, &s);
		RUN(test_a_reply_to_a_hidden_comment_is_refused, &s);
		RUN(test_honeypot_is_spam, &s);
		RUN(test_posting_too_fast_is_spam, &s);
		RUN(test_max_links_holds_at_the_limit, &s);
		RUN(test_hold_key_holds, &s);
		RUN(test_spam_key_is_spam, &s);
		RUN(test_moderation_all_and_previously_approved, &s);
		RUN(test_duplicate_is_refused, &s);
		RUN(test_flood_is_429, &s);
		RUN(test_logged_in_user_comments_without_name_or_email, &s);
		RUN(test_replies_nest_up_to_the_depth_limit, &s);
		RUN(test_moderator_buttons_approve_spam_trash, &s);
		RUN(test_closed_comments_are_403, &s);
		RUN(test_guests_may_be_turned_away, &s);
		RUN(test_remember_cookie_only_when_ticked, &s);
		RUN(test_counts_show_approved_comments_only, &s);
		RUN(test_unknown_article_is_404, &s);
		CHECK_LOG_CLEAN(&s);
		CHECK_INT(site_stop(&s), 0, "gazette's exit status");
	}
	return harness_finish();
}
