/*
 * test_comment: app/site/comment.c.  The moderation rules one by one
 * (comment_classify is pure: each case changes one input of a candidate
 * that would otherwise be approved), threads and their depth limit
 * (comment_thread, pure), the form's checks and their messages, the
 * pending cookie's MAC, and on a fresh database the queries behind a
 * reply's parent, duplicates and "previously approved".  The Markdown
 * preview of held comments is tested in test_markdown_links.c, and
 * posting (comment_submit) in test_comment_submit.c; their cases run in
 * this suite.
 */
#include <ClearSilver.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/auth.h"
#include "core/db.h"
#include "core/http.h"
#include "site/comment.h"
#include "fixture.h"

Suite	*comment_suite(void);
TCase	*markdown_links_tcase(void);
TCase	*comment_submit_tcase(void);

/* ---- comment_classify ---------------------------------------------------- */

/* Rules under which the candidate below is approved: none hold it. */
static struct comment_rules
rules(void)
{
	struct comment_rules	 ru = {
		.moderation = "none",
		.max_links = 2,
		.hold_keys = "",
		.spam_keys = "",
		.min_seconds = 2,
	};

	return ru;
}

static struct comment_candidate
candidate(void)
{
	struct comment_candidate c = {
		.name = "Ann Reader",
		.email = "ann@example.com",
		.website = "https://ann.example/",
		.body = "A fine article.",
		.body_html = "<p>A fine article.</p>\n",
		.ip = "192.0.2.7",
		.user_agent = "Mozilla/5.0 (X11; Linux x86_64)",
		.honeypot_filled = false,
		.shown_seconds = 30,
		.trusted = false,
		.previously_approved = false,
	};

	return c;
}

/* What each classify case starts from (classify_setup()) and changes. */
static struct comment_rules	 ru;
static struct comment_candidate	 cand;

static void
classify_setup(void)
{
	ru = rules();
	cand = candidate();
}

/* Classify cand under ru and check both the state and the rule. */
static void
expect(const char *state, const char *rule)
{
	const char	*why = NULL;
	const char	*got = comment_classify(&ru, &cand, &why);

	ck_assert_str_eq(got, state);
	ck_assert_ptr_nonnull(why);
	ck_assert_str_eq(why, rule);
}

START_TEST(test_classify_clean_comment_is_approved_without_moderation)
{
	expect("approved", "no_moderation");
}
END_TEST

START_TEST(test_classify_filled_honeypot_is_spam)
{
	cand.honeypot_filled = true;
	expect("spam", "honeypot");
	cand.trusted = true;		/* bots are bots */
	expect("spam", "honeypot");
}
END_TEST

START_TEST(test_classify_form_sent_too_fast_is_spam)
{
	cand.shown_seconds = 0;
	expect("spam", "too_fast");
	cand.shown_seconds = 1;
	expect("spam", "too_fast");
	cand.shown_seconds = 2;		/* exactly the minimum: fine */
	expect("approved", "no_moderation");
}
END_TEST

START_TEST(test_classify_unknown_time_or_zero_minimum_skips_the_time_rule)
{
	cand.shown_seconds = -1;		/* logged-in users */
	expect("approved", "no_moderation");
	ru.min_seconds = 0;
	cand.shown_seconds = 0;
	expect("approved", "no_moderation");
}
END_TEST

/* The fields of a candidate that keys are looked for in. */
#define FIELDS	6

/* Field i (0 .. FIELDS - 1) of c: body, name, email, website, ip, agent. */
static const char **
field(struct comment_candidate *c, int i)
{
	const char	**v[FIELDS] = { &c->body, &c->name, &c->email,
	    &c->website, &c->ip, &c->user_agent };

	return v[i];
}

START_TEST(test_classify_spam_key_in_each_field_is_spam)
{
	/* keys[i], and a value of field i with it in another case. */
	static const char *const keys[FIELDS] = { "viagra", "Spammer",
	    "@bad.example", "cheap-pills.example", "198.51.100.9",
	    "EvilBot/2.0" };
	static const char *const values[FIELDS] = { "Buy VIAGRA now",
	    "the spammer", "x@BAD.example", "http://cheap-pills.example/",
	    "198.51.100.9", "evilbot/2.0 (+http://x)" };

	for (int i = 0; i < FIELDS; i++) {
		cand = candidate();
		ru.spam_keys = keys[i];
		expect("approved", "no_moderation");
		*field(&cand, i) = values[i];
		expect("spam", "spam_key");
	}
}
END_TEST

START_TEST(test_classify_keys_are_lines_trimmed_and_blank_ones_skipped)
{
	/* Blank and space-only lines match nothing (not everything). */
	ru.spam_keys = "\n   \n\t\r\n";
	expect("approved", "no_moderation");
	ru.spam_keys = "first\r\n   fine article  \r\nlast";
	expect("spam", "spam_key");
	ru.spam_keys = "fine  article";		/* inner spaces count */
	expect("approved", "no_moderation");
}
END_TEST

START_TEST(test_classify_max_links_holds_at_the_limit)
{
	ru.max_links = 3;
	cand.body_html = "<p><a href=\"https://a.example/\" rel=\"nofollow "
	    "ugc\">a</a> <a href=\"https://b.example/\" rel=\"nofollow ugc\">b"
	    "</a></p>";
	expect("approved", "no_moderation");	/* N - 1 */
	cand.body_html = "<p><a href=\"https://a.example/\">a</a> "
	    "<a href=\"x\">b</a> <a href=\"y\">c</a></p>";
	expect("pending", "max_links");		/* N */
	ru.max_links = 0;			/* no limit */
	expect("approved", "no_moderation");
}
END_TEST

START_TEST(test_classify_hold_key_in_each_field_holds)
{
	static const char *const values[FIELDS] = { "The Casino is open",
	    "casino fan", "casino@example.com", "https://casino.example/",
	    "casino", "CasinoCrawler" };

	ru.hold_keys = "casino";
	for (int i = 0; i < FIELDS; i++) {
		cand = candidate();
		*field(&cand, i) = values[i];
		expect("pending", "hold_key");
	}
}
END_TEST

START_TEST(test_classify_spam_key_outranks_every_hold)
{
	ru.hold_keys = "fine";
	ru.spam_keys = "article";
	ru.moderation = "all";
	ru.max_links = 1;
	cand.body_html = "<p><a href=\"x\">l</a></p>";
	expect("spam", "spam_key");
}
END_TEST

START_TEST(test_classify_moderation_all_holds_everyone_but_staff)
{
	ru.moderation = "all";
	cand.previously_approved = true;
	expect("pending", "moderation_all");
	cand.trusted = true;
	expect("approved", "trusted");
}
END_TEST

START_TEST(test_classify_previously_approved_commenter_is_approved)
{
	ru.moderation = "previously_approved";
	expect("pending", "first_comment");
	cand.previously_approved = true;
	expect("approved", "previously_approved");
	/* The holds still apply to a known commenter. */
	ru.hold_keys = "fine";
	expect("pending", "hold_key");
}
END_TEST

START_TEST(test_classify_unknown_moderation_value_is_the_default)
{
	ru.moderation = "sometimes";
	expect("pending", "first_comment");
	ru.moderation = NULL;
	cand.previously_approved = true;
	expect("approved", "previously_approved");
}
END_TEST

START_TEST(test_classify_trusted_staff_skip_keys_and_holds)
{
	cand.trusted = true;
	cand.shown_seconds = -1;
	ru.moderation = "previously_approved";
	ru.hold_keys = "fine";
	ru.spam_keys = "article";
	expect("approved", "trusted");
}
END_TEST

/* ---- comment_thread -------------------------------------------------------- */

/* v[i] gets id i + 1 and parent parents[i] (0: top level). */
static void
make_thread(struct comment *v, const int64_t *parents, size_t n)
{
	memset(v, 0, n * sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		v[i].id = (int64_t)i + 1;
		v[i].parent_id = parents[i];
	}
}

START_TEST(test_thread_puts_replies_under_parents_in_id_order)
{
	/* 1 { 2 { 4 }, 3 }, 5 */
	static const int64_t	 parents[] = { 0, 1, 1, 2, 0 };
	struct comment		 v[5];
	int			 first;

	make_thread(v, parents, NELEM(parents));
	first = comment_thread(v, NELEM(v), 3);
	ck_assert_int_eq(first, 0);
	ck_assert_int_eq(v[0].next, 4);
	ck_assert_int_eq(v[4].next, -1);
	ck_assert_int_eq(v[0].child, 1);
	ck_assert_int_eq(v[1].next, 2);
	ck_assert_int_eq(v[2].next, -1);
	ck_assert_int_eq(v[1].child, 3);
	ck_assert_int_eq(v[3].up, 1);
	ck_assert_int_eq(v[3].level, 2);
	ck_assert_int_eq(v[2].level, 1);
	ck_assert_int_eq(v[4].level, 0);
	ck_assert_int_eq(v[4].up, -1);
}
END_TEST

START_TEST(test_thread_replies_past_the_limit_stay_at_the_last_level)
{
	/* A chain 1 <- 2 <- 3 <- 4 <- 5 with max depth 3. */
	static const int64_t	 parents[] = { 0, 1, 2, 3, 4 };
	struct comment		 v[5];

	make_thread(v, parents, NELEM(parents));
	ck_assert_int_eq(comment_thread(v, NELEM(v), 3), 0);
	ck_assert_int_eq(v[2].level, 2);
	ck_assert_int_eq(v[3].level, 2);
	ck_assert_int_eq(v[4].level, 2);
	/* 4 and 5 go beside 3, under 2, in id order. */
	ck_assert_int_eq(v[3].up, 1);
	ck_assert_int_eq(v[4].up, 1);
	ck_assert_int_eq(v[1].child, 2);
	ck_assert_int_eq(v[2].next, 3);
	ck_assert_int_eq(v[3].next, 4);
	ck_assert_int_eq(v[2].child, -1);
}
END_TEST

START_TEST(test_thread_max_depth_one_is_flat)
{
	static const int64_t	 parents[] = { 0, 1, 2 };
	struct comment		 v[3];

	make_thread(v, parents, NELEM(parents));
	ck_assert_int_eq(comment_thread(v, NELEM(v), 1), 0);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(v[i].level, 0);
		ck_assert_int_eq(v[i].up, -1);
		ck_assert_int_eq(v[i].child, -1);
	}
	ck_assert_int_eq(v[0].next, 1);
	ck_assert_int_eq(v[1].next, 2);
}
END_TEST

START_TEST(test_thread_orphans_go_to_the_top_level)
{
	/* 2's parent (99) is not shown; 3 answers 2. */
	static const int64_t	 parents[] = { 0, 99, 2 };
	struct comment		 v[3];

	make_thread(v, parents, NELEM(parents));
	ck_assert_int_eq(comment_thread(v, NELEM(v), 3), 0);
	ck_assert_int_eq(v[1].up, -1);
	ck_assert_int_eq(v[1].level, 0);
	ck_assert_int_eq(v[0].next, 1);
	ck_assert_int_eq(v[2].up, 1);
	ck_assert_int_eq(v[2].level, 1);
}
END_TEST

START_TEST(test_thread_of_nothing_is_empty)
{
	ck_assert_int_eq(comment_thread(NULL, 0, 3), -1);
}
END_TEST

/* ---- the form ---------------------------------------------------------------- */

static struct comment_form
form(const char *name, const char *email, const char *website,
    const char *body)
{
	struct comment_form	 f;

	memset(&f, 0, sizeof(f));
	f.name = name;
	f.email = email;
	f.website = website;
	f.body = body;
	return f;
}

/* n copies of the UTF-8 character s, malloc'd. */
static char *
repeat(const char *s, size_t n)
{
	size_t	 len = strlen(s);
	char	*v = malloc(len * n + 1);

	ck_assert_ptr_nonnull(v);
	for (size_t i = 0; i < n; i++)
		memcpy(v + i * len, s, len);
	v[len * n] = '\0';
	return v;
}

START_TEST(test_form_check_a_guest_needs_name_email_and_body)
{
	struct comment_form	 f = form("", "", "", "");

	ck_assert(!comment_form_check(&f, true));
	ck_assert_str_eq(f.name_error, "Please enter your name.");
	ck_assert_str_eq(f.email_error, "Please enter your email address.");
	ck_assert_ptr_null(f.website_error);
	ck_assert_str_eq(f.body_error, "Please type your comment.");
	f = form("Ann", "ann@example.com", "", "Hello");
	ck_assert(comment_form_check(&f, true));
}
END_TEST

START_TEST(test_form_check_a_user_needs_only_the_body)
{
	struct comment_form	 f = form("", "", "", "Hello");

	ck_assert(comment_form_check(&f, false));
	f.body = "";
	ck_assert(!comment_form_check(&f, false));
	ck_assert_ptr_null(f.name_error);
	ck_assert_ptr_null(f.email_error);
	ck_assert_str_eq(f.body_error, "Please type your comment.");
}
END_TEST

START_TEST(test_form_check_email_uses_the_account_rule)
{
	struct comment_form	 f = form("Ann", "not-an-email", "", "Hi");

	ck_assert(!comment_form_check(&f, true));
	ck_assert_str_eq(f.email_error, auth_email_error("not-an-email"));
}
END_TEST

START_TEST(test_form_check_name_counts_characters)
{
	char			*ok = repeat("é", 100), *bad = repeat("é", 101);
	struct comment_form	 f = form(ok, "a@example.com", "", "Hi");

	ck_assert(comment_form_check(&f, true));
	f = form(bad, "a@example.com", "", "Hi");
	ck_assert(!comment_form_check(&f, true));
	ck_assert_str_eq(f.name_error, "Your name must be at most 100 "
	    "characters.");
	f = form("Ann\nSmith", "a@example.com", "", "Hi");
	ck_assert(!comment_form_check(&f, true));
	ck_assert_str_eq(f.name_error, "This field cannot contain line "
	    "breaks or control characters.");
	free(ok);
	free(bad);
}
END_TEST

START_TEST(test_form_check_website_must_be_http_or_https)
{
	static const char *const good[] = { "http://example.com",
	    "https://example.com/a?b=c#d", "HTTPS://EXAMPLE.COM/" };
	static const char *const bad_scheme[] = { "example.com",
	    "ftp://example.com/", "javascript:alert(1)", "//example.com/",
	    "mailto:a@example.com" };
	static const char *const bad_url[] = { "http://", "https:///path",
	    "http://exa mple.com/", "http://example.com/\"onclick" };
	struct comment_form	 f;
	char			*longurl;

	for (size_t i = 0; i < NELEM(good); i++) {
		f = form("Ann", "a@example.com", good[i], "Hi");
		ck_assert_msg(comment_form_check(&f, true), "%s", good[i]);
	}
	for (size_t i = 0; i < NELEM(bad_scheme); i++) {
		f = form("Ann", "a@example.com", bad_scheme[i], "Hi");
		ck_assert_msg(!comment_form_check(&f, true), "%s",
		    bad_scheme[i]);
		ck_assert_str_eq(f.website_error, "Enter a web address that "
		    "starts with http:// or https://, or leave this field "
		    "empty.");
	}
	for (size_t i = 0; i < NELEM(bad_url); i++) {
		f = form("Ann", "a@example.com", bad_url[i], "Hi");
		ck_assert_msg(!comment_form_check(&f, true), "%s", bad_url[i]);
		ck_assert_str_eq(f.website_error, "Enter a valid web address, "
		    "such as https://example.com/.");
	}
	longurl = repeat("a", 201);
	memcpy(longurl, "https://", 8);
	f = form("Ann", "a@example.com", longurl, "Hi");
	ck_assert(!comment_form_check(&f, true));
	ck_assert_str_eq(f.website_error, "Your website address must be at "
	    "most 200 characters.");
	longurl[200] = '\0';
	f = form("Ann", "a@example.com", longurl, "Hi");
	ck_assert(comment_form_check(&f, true));
	free(longurl);
}
END_TEST

START_TEST(test_form_check_body_counts_characters)
{
	char			*ok = repeat("ü", COMMENT_BODY_MAX);
	char			*bad = repeat("a", COMMENT_BODY_MAX + 1);
	struct comment_form	 f = form("Ann", "a@example.com", "", ok);

	ck_assert(comment_form_check(&f, true));
	f = form("Ann", "a@example.com", "", bad);
	ck_assert(!comment_form_check(&f, true));
	ck_assert_str_eq(f.body_error, "Your comment is too long: at most "
	    "10,000 characters.");
	free(ok);
	free(bad);
}
END_TEST

/* ---- with a database: the form, the cookies, the queries ------------------- */

static struct fixture_db	 fdb;

static void
db_setup(void)
{
	fixture_accounts_open(&fdb);
}

static void
db_teardown(void)
{
	fixture_reqs_free();
	fixture_db_close(&fdb);
}

/* A POST to the comment form with body and the Cookie header cookie. */
static struct req *
request(const char *body, const char *cookie)
{
	struct req	*r = fixture_req();

	ck_assert_int_eq(fixture_request(r, "POST", "/articles/a/comments/",
	    body != NULL ? body : "", "Cookie", cookie, (char *)NULL), 0);
	return r;
}

/* "ID-MAC" for id, as the site signs it. */
static char *
entry(long long id)
{
	char	 data[64], mac[65], *v;

	snprintf(data, sizeof(data), "pending\n%lld", id);
	auth_mac_hex(data, mac);
	ck_assert_int_ne(asprintf(&v, "%lld-%s", id, mac), -1);
	return v;
}

/* A request (as request()) whose pending cookie holds the entries
 * ("ID-MAC.ID-MAC...") that fmt formats. */
static struct req *
with_pending(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static struct req *
with_pending(const char *fmt, ...)
{
	struct req	*r;
	va_list		 ap;
	char		*v, *cookie;

	va_start(ap, fmt);
	ck_assert_int_ne(vasprintf(&v, fmt, ap), -1);
	va_end(ap);
	ck_assert_int_ne(asprintf(&cookie, COMMENT_PENDING_COOKIE "=%s", v),
	    -1);
	r = request(NULL, cookie);
	free(cookie);
	free(v);
	return r;
}

START_TEST(test_form_read_trims_and_takes_a_positive_parent)
{
	struct req		*r = request("name=%20%20Ann%20&email=a%40x.org"
	    "&website=&body=%0A%20Hi%20there%0A%0A&parent=12&remember=1", NULL);
	struct comment_form	 f;

	comment_form_read(r, &f);
	ck_assert_str_eq(f.name, "Ann");
	ck_assert_str_eq(f.email, "a@x.org");
	ck_assert_str_eq(f.website, "");
	ck_assert_str_eq(f.body, "Hi there");
	ck_assert_int_eq(f.parent, 12);
	ck_assert(f.remember);
	ck_assert_ptr_null(f.body_error);
	r = request("body=x&parent=-3", NULL);
	comment_form_read(r, &f);
	ck_assert_int_eq(f.parent, 0);
	ck_assert(!f.remember);
	ck_assert_str_eq(f.name, "");
	r = request("body=x&parent=12abc", NULL);
	comment_form_read(r, &f);
	ck_assert_int_eq(f.parent, 0);
}
END_TEST

START_TEST(test_pending_cookie_accepts_its_own_mac)
{
	char		*e1 = entry(7), *e2 = entry(12);
	int64_t		 ids[COMMENT_PENDING_MAX];
	struct req	*r = with_pending("%s.%s", e1, e2);

	ck_assert_uint_eq(comment_pending_ids(r, ids, NELEM(ids)), 2);
	ck_assert_int_eq(ids[0], 7);
	ck_assert_int_eq(ids[1], 12);
	ck_assert(comment_visitor_is_personal(r));
	ck_assert(r->private_page);
	free(e1);
	free(e2);
}
END_TEST

START_TEST(test_pending_cookie_refuses_forged_entries)
{
	char		*good = entry(7), *other;
	int64_t		 ids[COMMENT_PENDING_MAX];
	struct req	*r;

	/* 8 with 7's MAC; 7 with a flipped digit; junk; a short MAC. */
	other = strdup(good);
	other[0] = '8';
	r = with_pending("%s.junk.7-abc.-%s", other, good + 2);
	ck_assert_uint_eq(comment_pending_ids(r, ids, NELEM(ids)), 0);
	ck_assert(!comment_visitor_is_personal(r));
	ck_assert(!r->private_page);
	good[strlen(good) - 1] = good[strlen(good) - 1] == '0' ? '1' : '0';
	r = with_pending("%s", good);
	ck_assert_uint_eq(comment_pending_ids(r, ids, NELEM(ids)), 0);
	free(other);
	free(good);
}
END_TEST

START_TEST(test_pending_add_keeps_the_newest_ten)
{
	struct req	*r;
	struct buf	 b;
	const char	*v;
	int64_t		 ids[COMMENT_PENDING_MAX];
	char		*e;

	/* A cookie of 1..10, then 11 added: 2..11 remain. */
	buf_init(&b);
	for (int i = 1; i <= 10; i++) {
		e = entry(i);
		buf_printf(&b, "%s%s", i > 1 ? "." : "", e);
		free(e);
	}
	r = with_pending("%s", b.ptr);
	comment_pending_add(r, 11);
	v = fixture_set_cookie(r, COMMENT_PENDING_COOKIE, NULL);
	ck_assert_ptr_nonnull(v);
	r = with_pending("%s", v);
	ck_assert_uint_eq(comment_pending_ids(r, ids, NELEM(ids)), 10);
	ck_assert_int_eq(ids[0], 2);
	ck_assert_int_eq(ids[9], 11);
	buf_free(&b);
}
END_TEST

START_TEST(test_remember_cookie_set_when_ticked_dropped_when_not)
{
	struct req		*r = request(NULL, NULL);
	struct comment_form	 f = form("Ann Smith", "ann@example.com",
	    "https://a.example/?x=1&y=2", "Hi");
	const char		*hdr = NULL, *v;

	f.remember = true;
	comment_remember(r, &f);
	v = fixture_set_cookie(r, COMMENT_AUTHOR_COOKIE, &hdr);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v, "name=Ann%20Smith&email=ann%40example.com"
	    "&website=https%3A%2F%2Fa.example%2F%3Fx%3D1%26y%3D2");
	ck_assert(fixture_has(hdr, "HttpOnly"));
	ck_assert(fixture_has(hdr, "Max-Age=31536000"));
	/* Unticked, with the cookie in the browser: deleted. */
	r = request(NULL, COMMENT_AUTHOR_COOKIE "=name=Ann");
	f.remember = false;
	comment_remember(r, &f);
	ck_assert_ptr_nonnull(fixture_set_cookie(r, COMMENT_AUTHOR_COOKIE,
	    &hdr));
	ck_assert(fixture_has(hdr, "Max-Age=0"));
	/* Unticked, without one: nothing to say. */
	r = request(NULL, NULL);
	comment_remember(r, &f);
	ck_assert_int_eq(fixture_count_set_cookie(r, COMMENT_AUTHOR_COOKIE),
	    0);
}
END_TEST

/* Insert a comment straight into the table through r; its id. */
static long long
put(struct req *r, long long article, long long parent, int depth,
    const char *status, const char *email, const char *body)
{
	struct comment	 c;
	int64_t		 id;

	memset(&c, 0, sizeof(c));
	c.article_id = article;
	c.parent_id = parent;
	c.depth = depth;
	c.author_name = "Someone";
	c.author_email = email;
	c.author_url = "";
	c.body = body;
	c.body_html = "<p>x</p>";
	c.status = status;
	c.held_by = "test";
	c.ip = "192.0.2.1";
	c.user_agent = "";
	id = comment_insert(r, &c);
	ck_assert_int_gt(id, 0);
	return (long long)id;
}

START_TEST(test_reply_parent_must_be_approved_or_this_browsers)
{
	struct req	*r = request(NULL, NULL);
	struct comment	*p;
	long long	 a = fixture_article(r, "a", "A", "<p>a</p>");
	long long	 b = fixture_article(r, "b", "B", "<p>b</p>");
	long long	 ok = put(r, a, 0, 0, "approved", "x@example.com", "1");
	long long	 held = put(r, a, 0, 0, "pending", "y@example.com", "2");
	long long	 spam = put(r, a, 0, 0, "spam", "z@example.com", "3");
	char		*e;

	(void)b;
	ck_assert(comment_reply_parent(r, a, ok, 3, &p));
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->id, ok);
	ck_assert(!comment_reply_parent(r, b, ok, 3, &p));	/* other article */
	ck_assert(!comment_reply_parent(r, a, held, 3, &p));
	ck_assert(!comment_reply_parent(r, a, spam, 3, &p));
	ck_assert(!comment_reply_parent(r, a, 999999, 3, &p));
	/* This browser's own held comment may be answered. */
	e = entry(held);
	r = with_pending("%s", e);
	ck_assert(comment_reply_parent(r, a, held, 3, &p));
	ck_assert_int_eq(p->id, held);
	/* Even with a signed id, spam is not answered. */
	free(e);
	e = entry(spam);
	r = with_pending("%s", e);
	ck_assert(!comment_reply_parent(r, a, spam, 3, &p));
	ck_assert(!req_failed(r));
	free(e);
}
END_TEST

START_TEST(test_reply_parent_past_the_depth_climbs_to_room)
{
	struct req	*r = request(NULL, NULL);
	struct comment	*p;
	long long	 a = fixture_article(r, "a", "A", "<p>a</p>");
	long long	 c0 = put(r, a, 0, 0, "approved", "x@example.com", "0");
	long long	 c1 = put(r, a, c0, 1, "approved", "x@example.com", "1");
	long long	 c2 = put(r, a, c1, 2, "approved", "x@example.com", "2");

	ck_assert(comment_reply_parent(r, a, c1, 3, &p));
	ck_assert_int_eq(p->id, c1);		/* the reply: level 2 */
	ck_assert(comment_reply_parent(r, a, c2, 3, &p));
	ck_assert_int_eq(p->id, c1);		/* beside c2 */
	ck_assert(comment_reply_parent(r, a, c2, 2, &p));
	ck_assert_int_eq(p->id, c0);		/* the limit went down */
	ck_assert(comment_reply_parent(r, a, c2, 1, &p));
	ck_assert_ptr_null(p);			/* no threads: top level */
}
END_TEST

START_TEST(test_duplicate_and_previously_approved_queries)
{
	struct req	*r = request(NULL, NULL);
	long long	 a = fixture_article(r, "a", "A", "<p>a</p>");
	long long	 b = fixture_article(r, "b", "B", "<p>b</p>");
	long long	 t, uid;

	put(r, a, 0, 0, "pending", "Dup@Example.com", "Same words");
	ck_assert(comment_is_duplicate(r, a, 0, "dup@example.com",
	    "Same words"));
	ck_assert(!comment_is_duplicate(r, a, 0, "dup@example.com",
	    "Other words"));
	ck_assert(!comment_is_duplicate(r, b, 0, "dup@example.com",
	    "Same words"));
	ck_assert(!comment_is_duplicate(r, a, 0, "else@example.com",
	    "Same words"));
	/* A trashed comment may be said again. */
	t = put(r, a, 0, 0, "trash", "t@example.com", "Trashed");
	ck_assert(!comment_is_duplicate(r, a, 0, "t@example.com", "Trashed"));

	ck_assert(!comment_has_approved(r, 0, "dup@example.com"));
	put(r, b, 0, 0, "approved", "dup@example.com", "Fine");
	ck_assert(comment_has_approved(r, 0, "DUP@example.com"));
	ck_assert(!comment_has_approved(r, 0, ""));
	ck_assert(!comment_has_approved(r, 42, "dup@example.com"));
	/* A member's approved comment counts for the member only. */
	uid = fixture_user(r, "member", NULL);
	t = put(r, b, 0, 0, "approved", "member@example.org", "Mine");
	fixture_sql("UPDATE comments SET user_id = ?1 WHERE id = ?2", 2, uid,
	    t);
	ck_assert(comment_has_approved(r, uid, "member@example.org"));
	ck_assert(!comment_has_approved(r, 0, "member@example.org"));
	ck_assert(!req_failed(r));
}
END_TEST

START_TEST(test_set_status_moves_the_approved_count)
{
	struct req	*r = request(NULL, NULL);
	long long	 a = fixture_article(r, "a", "A", "<p>a</p>");
	long long	 id = put(r, a, 0, 0, "pending", "x@example.com", "n");
	struct comment	*c;

	ck_assert_int_eq(fixture_sql("SELECT comment_count FROM articles"
	    " WHERE id = ?1", 1, a), 0);
	ck_assert_int_eq(comment_set_status(r, id, "approved"), 0);
	ck_assert_int_eq(fixture_sql("SELECT comment_count FROM articles"
	    " WHERE id = ?1", 1, a), 1);
	ck_assert_int_eq(comment_set_status(r, id, "spam"), 0);
	ck_assert_int_eq(fixture_sql("SELECT comment_count FROM articles"
	    " WHERE id = ?1", 1, a), 0);
	c = comment_by_id(r, id);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->status, "spam");
	ck_assert_str_eq(c->article_slug, "a");
	ck_assert_ptr_null(comment_by_id(r, id + 1));
}
END_TEST

Suite *
comment_suite(void)
{
	Suite	*s = suite_create("comment");
	TCase	*rules_tc = tcase_create("classify");
	TCase	*thread_tc = tcase_create("thread");
	TCase	*form_tc = tcase_create("form");
	TCase	*db_tc = tcase_create("db");

	tcase_add_checked_fixture(rules_tc, classify_setup, NULL);
	tcase_add_test(rules_tc,
	    test_classify_clean_comment_is_approved_without_moderation);
	tcase_add_test(rules_tc, test_classify_filled_honeypot_is_spam);
	tcase_add_test(rules_tc, test_classify_form_sent_too_fast_is_spam);
	tcase_add_test(rules_tc,
	    test_classify_unknown_time_or_zero_minimum_skips_the_time_rule);
	tcase_add_test(rules_tc, test_classify_spam_key_in_each_field_is_spam);
	tcase_add_test(rules_tc,
	    test_classify_keys_are_lines_trimmed_and_blank_ones_skipped);
	tcase_add_test(rules_tc, test_classify_max_links_holds_at_the_limit);
	tcase_add_test(rules_tc, test_classify_hold_key_in_each_field_holds);
	tcase_add_test(rules_tc, test_classify_spam_key_outranks_every_hold);
	tcase_add_test(rules_tc,
	    test_classify_moderation_all_holds_everyone_but_staff);
	tcase_add_test(rules_tc,
	    test_classify_previously_approved_commenter_is_approved);
	tcase_add_test(rules_tc,
	    test_classify_unknown_moderation_value_is_the_default);
	tcase_add_test(rules_tc, test_classify_trusted_staff_skip_keys_and_holds);
	suite_add_tcase(s, rules_tc);

	tcase_add_test(thread_tc,
	    test_thread_puts_replies_under_parents_in_id_order);
	tcase_add_test(thread_tc,
	    test_thread_replies_past_the_limit_stay_at_the_last_level);
	tcase_add_test(thread_tc, test_thread_max_depth_one_is_flat);
	tcase_add_test(thread_tc, test_thread_orphans_go_to_the_top_level);
	tcase_add_test(thread_tc, test_thread_of_nothing_is_empty);
	suite_add_tcase(s, thread_tc);

	tcase_add_test(form_tc, test_form_check_a_guest_needs_name_email_and_body);
	tcase_add_test(form_tc, test_form_check_a_user_needs_only_the_body);
	tcase_add_test(form_tc, test_form_check_email_uses_the_account_rule);
	tcase_add_test(form_tc, test_form_check_name_counts_characters);
	tcase_add_test(form_tc, test_form_check_website_must_be_http_or_https);
	tcase_add_test(form_tc, test_form_check_body_counts_characters);
	suite_add_tcase(s, form_tc);

	tcase_add_checked_fixture(db_tc, db_setup, db_teardown);
	tcase_add_test(db_tc, test_form_read_trims_and_takes_a_positive_parent);
	tcase_add_test(db_tc, test_pending_cookie_accepts_its_own_mac);
	tcase_add_test(db_tc, test_pending_cookie_refuses_forged_entries);
	tcase_add_test(db_tc, test_pending_add_keeps_the_newest_ten);
	tcase_add_test(db_tc,
	    test_remember_cookie_set_when_ticked_dropped_when_not);
	tcase_add_test(db_tc, test_reply_parent_must_be_approved_or_this_browsers);
	tcase_add_test(db_tc, test_reply_parent_past_the_depth_climbs_to_room);
	tcase_add_test(db_tc, test_duplicate_and_previously_approved_queries);
	tcase_add_test(db_tc, test_set_status_moves_the_approved_count);
	suite_add_tcase(s, db_tc);

	suite_add_tcase(s, markdown_links_tcase());
	suite_add_tcase(s, comment_submit_tcase());
	return s;
}
