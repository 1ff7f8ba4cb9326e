/*
 * test_comment_submit: comment_submit() in app/site/comment.c, the one
 * path by which the site's form and the API post a comment, on a fresh
 * database with templates and routes (its mails are rendered and queued
 * as jobs).  Each refusal, each field's message, the state the rules
 * choose, and the comment and its mail jobs committing together or not
 * at all.  Its TCase runs in the comment suite (test_comment.c).
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/auth.h"
#include "core/config.h"
#include "core/db.h"
#include "core/http.h"
#include "core/jobs.h"
#include "core/render.h"
#include "core/router.h"
#include "core/settings.h"
#include "site/article.h"
#include "site/comment.h"
#include "site/site.h"
#include "fixture.h"

TCase	*comment_submit_tcase(void);

static struct fixture_db	 fdb;

static void
setup(void)
{
	char	 err[1024];

	fixture_accounts_open(&fdb);
	free(fdb.cfg.templates);
	fdb.cfg.templates = strdup(FIXTURE_ROOT "/templates");
	ck_assert_msg(render_init(&fdb.cfg, err, sizeof(err)) == 0, "%s", err);
	config_set_current(&fdb.cfg);
	ck_assert_int_eq(router_init(site_routes), 0);
	ck_assert_int_eq(jobs_register(site_job_kinds, site_job_periodic), 0);
}

static void
teardown(void)
{
	db_fault_set(0, 0);
	fixture_reqs_free();
	render_shutdown();
	config_set_current(NULL);
	fixture_db_close(&fdb);
}

/* A POST from addr with a User-Agent, as comment_submit() sees one. */
static struct req *
poster(const char *addr)
{
	struct req	*r = fixture_req();

	ck_assert_int_eq(fixture_request(r, "POST", "/articles/a/comments/",
	    "", "REMOTE_ADDR", addr, "User-Agent", "TestAgent/1.0",
	    (char *)NULL), 0);
	return r;
}

/* The article "a" (published long ago, comments open), through r. */
static struct article *
article(struct req *r)
{
	struct article	*a;
	long long	 id;

	id = fixture_sql("SELECT id FROM articles WHERE slug = 'a'", 0);
	if (id == 0)
		id = fixture_article(r, "a", "A", "<p>a</p>");
	ck_assert_ptr_nonnull(a = article_by_id(r, id));
	return a;
}

static struct comment_form
guest(const char *name, const char *email, const char *body)
{
	struct comment_form	 f;

	memset(&f, 0, sizeof(f));
	f.name = name;
	f.email = email;
	f.website = "";
	f.body = body;
	return f;
}

/* A user of group (NULL: none), staff when staff, read back. */
static struct user *
member(struct req *r, const char *name, const char *group, bool staff)
{
	long long	 id = fixture_user(r, name, group);
	struct user	*u;

	if (staff)
		fixture_sql("UPDATE users SET is_staff = 1 WHERE id = ?1", 1,
		    id);
	ck_assert_ptr_nonnull(u = auth_user_by_id(r, id));
	return u;
}

/* comment_submit() of f on "a" by u (NULL: a guest); its outcome. */
static enum comment_outcome
submit_as(struct req *r, const struct user *u, struct comment_form *f,
    struct comment_result *res)
{
	struct comment_input	 in;

	memset(&in, 0, sizeof(in));
	in.article = article(r);
	in.user = u;
	in.shown_seconds = -1;
	ck_assert_int_eq(comment_submit(r, &in, f, res), 0);
	ck_assert(!req_failed(r));
	ck_assert(!db_in_tx());
	return res->outcome;
}

static void
set(struct req *r, const char *key, const char *value)
{
	ck_assert_int_eq(settings_set(r, key, value), 0);
}

static long long
comments_n(void)
{
	return fixture_sql("SELECT count(*) FROM comments", 0);
}

static long long
jobs_n(void)
{
	return fixture_sql("SELECT count(*) FROM jobs", 0);
}

START_TEST(test_submit_stores_a_valid_guest_comment_held_at_first)
{
	struct req		*r = poster("192.0.2.7");
	struct comment_form	 f = guest("Ann", "ann@example.com", "Hello.");
	struct comment_result	 res;
	struct comment		*c;

	f.website = "https://ann.example/";
	f.notify = true;
	ck_assert_int_eq(submit_as(r, NULL, &f, &res), COMMENT_STORED);
	ck_assert_int_gt(res.comment.id, 0);
	ck_assert_str_eq(res.comment.status, "pending");
	ck_assert_str_eq(res.comment.held_by, "first_comment");
	ck_assert_ptr_null(f.body_error);
	c = comment_by_id(r, res.comment.id);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->author_name, "Ann");
	ck_assert_str_eq(c->author_email, "ann@example.com");
	ck_assert_str_eq(c->author_url, "https://ann.example/");
	ck_assert_str_eq(c->body_html, "<p>Hello.</p>\n");
	ck_assert_str_eq(c->ip, "192.0.2.7");
	ck_assert_str_eq(c->user_agent, "TestAgent/1.0");
	ck_assert_str_eq(c->status, "pending");
	ck_assert(c->notify);
	ck_assert_int_eq(c->user_id, 0);
}
END_TEST

START_TEST(test_submit_takes_a_users_name_and_email_from_the_account)
{
	struct req		*r = poster("192.0.2.7");
	struct user		*u = member(r, "reader", NULL, false);
	struct comment_form	 f = guest("Ignored", "ignored@example.com",
	    "Mine.");
	struct comment_result	 res;
	struct comment		*c;

	ck_assert_int_eq(submit_as(r, u, &f, &res), COMMENT_STORED);
	c = comment_by_id(r, res.comment.id);
	ck_assert_int_eq(c->user_id, u->id);
	ck_assert_str_eq(c->author_name, "reader Test");
	ck_assert_str_eq(c->author_email, "reader@example.org");
	ck_assert_str_eq(c->author_url, "");
}
END_TEST

START_TEST(test_submit_reports_each_field_error_and_stores_nothing)
{
	struct req		*r = poster("192.0.2.7");
	struct comment_form	 f = guest("", "", "");
	struct comment_result	 res;
	struct comment_input	 in;

	f.website = "ftp://x";
	ck_assert_int_eq(submit_as(r, NULL, &f, &res), COMMENT_INVALID);
	ck_assert_str_eq(f.name_error, "Please enter your name.");
	ck_assert_str_eq(f.email_error, "Please enter your email address.");
	ck_assert_str_eq(f.website_error, "Enter a web address that starts "
	    "with http:// or https://, or leave this field empty.");
	ck_assert_str_eq(f.body_error, "Please type your comment.");
	ck_assert_ptr_null(f.parent_error);

	/* A parent that is not an approved comment of the article. */
	f = guest("Ann", "ann@example.com", "A reply.");
	f.parent = 999999;
	ck_assert_int_eq(submit_as(r, NULL, &f, &res), COMMENT_INVALID);
	ck_assert_str_eq(f.parent_error, COMMENT_MSG_NO_PARENT);
	ck_assert_ptr_null(f.body_error);

	/* Errors of a second call are its own. */
	f = guest("Ann", "not-an-address", "Hi");
	ck_assert_int_eq(submit_as(r, NULL, &f, &res), COMMENT_INVALID);
	ck_assert_ptr_nonnull(f.email_error);
	ck_assert_ptr_null(f.parent_error);

	/* A user's name and email are not looked at; the body is. */
	f = guest("", "", "");
	ck_assert_int_eq(submit_as(r, member(r, "u1", NULL, false), &f, &res),
	    COMMENT_INVALID);
	ck_assert_ptr_null(f.name_error);
	ck_assert_ptr_null(f.email_error);
	ck_assert_str_eq(f.body_error, "Please type your comment.");

	/* The adapter's own errors (the API's JSON types) refuse it too. */
	f = guest("Ann", "ann@example.com", "Fine words.");
	memset(&in, 0, sizeof(in));
	in.article = article(r);
	in.shown_seconds = -1;
	in.invalid = true;
	ck_assert_int_eq(comment_submit(r, &in, &f, &res), 0);
	ck_assert_int_eq(res.outcome, COMMENT_INVALID);
	ck_assert_ptr_null(f.body_error);
	ck_assert_int_eq(comments_n(), 0);
	ck_assert_int_eq(jobs_n(), 0);
}
END_TEST

START_TEST(test_submit_refuses_closed_draft_and_guests_when_members_only)
{
	struct req		*r = poster("192.0.2.7");
	struct comment_form	 f = guest("Ann", "ann@example.com", "Hi.");
	struct comment_result	 res;
	long long		 id = article(r)->id;

	fixture_sql("UPDATE articles SET comments_open = 0 WHERE id = ?1", 1,
	    id);
	ck_assert_int_eq(submit_as(r, NULL, &f, &res), COMMENT_CLOSED);
	fixture_sql("UPDATE articles SET comments_open = 1, status = 'draft'"
	    " WHERE id = ?1", 1, id);
	ck_assert_int_eq(submit_as(r, NULL, &f, &res), COMMENT_NOT_FOUND);
	fixture_sql("UPDATE articles SET status = 'published' WHERE id = ?1",
	    1, id);
	set(r, "comment_guests", "0");
	ck_assert_int_eq(submit_as(r, NULL, &f, &res), COMMENT_LOGIN);
	ck_assert_int_eq(submit_as(r, member(r, "u1", NULL, false), &f, &res),
	    COMMENT_STORED);
	ck_assert_int_eq(comments_n(), 1);
}
END_TEST

START_TEST(test_submit_refuses_a_banned_email_user_or_address)
{
	struct req		*r = poster("192.0.2.7");
	struct user		*u = member(r, "banned", NULL, false);
	struct comment_form	 f = guest("Bo", "BANNED@example.com", "Hi.");
	struct comment_result	 res;

	fixture_sql("INSERT INTO comment_bans (kind, value, created_at)"
	    " VALUES ('email', 'banned@example.com', 1)", 0);
	ck_assert_int_eq(submit_as(r, NULL, &f, &res), COMMENT_BANNED);
	fixture_sql("INSERT INTO comment_bans (kind, value, user_id,"
	    " created_at) VALUES ('user', 'banned', ?1, 1)", 1, (long long)u->id);
	f = guest("", "", "Hi.");
	ck_assert_int_eq(submit_as(r, u, &f, &res), COMMENT_BANNED);
	fixture_sql("INSERT INTO comment_bans (kind, value, created_at)"
	    " VALUES ('ip', '192.0.2.99', 1)", 0);
	r = poster("192.0.2.99");
	f = guest("Cy", "cy@example.com", "Hi.");
	ck_assert_int_eq(submit_as(r, NULL, &f, &res), COMMENT_BANNED);
	/* A lifted ban stops no one. */
	fixture_sql("UPDATE comment_bans SET lifted_at = 1", 0);
	ck_assert_int_eq(submit_as(r, NULL, &f, &res), COMMENT_STORED);
	ck_assert_int_eq(comments_n(), 1);
}
END_TEST

START_TEST(test_submit_refuses_a_duplicate_and_a_flood)
{
	struct req		*r = poster("192.0.2.7");
	struct comment_form	 f = guest("Ann", "ann@example.com", "Once.");
	struct comment_result	 res;

	set(r, "comment_flood_limit", "2");
	ck_assert_int_eq(submit_as(r, NULL, &f, &res), COMMENT_STORED);
	f = guest("Ann", "ANN@example.com", "Once.");
	ck_assert_int_eq(submit_as(r, NULL, &f, &res), COMMENT_DUPLICATE);
	f = guest("Ann", "ann@example.com", "Twice.");
	ck_assert_int_eq(submit_as(r, NULL, &f, &res), COMMENT_STORED);
	f = guest("Ann", "ann@example.com", "Thrice.");
	ck_assert_int_eq(submit_as(r, NULL, &f, &res), COMMENT_FLOOD);
	ck_assert_int_gt(res.retry_after, 0);
	ck_assert_int_eq(comments_n(), 2);
	/* Moderators are not flood-checked. */
	f = guest("", "", "Staff words.");
	ck_assert_int_eq(submit_as(r, member(r, "mod", "Moderators", true),
	    &f, &res), COMMENT_STORED);
}
END_TEST

START_TEST(test_submit_chooses_the_state_by_the_rules)
{
	struct req		*r = poster("192.0.2.7");
	struct comment_form	 f;
	struct comment_result	 res;
	struct comment_input	 in;

	set(r, "comment_flood_limit", "0");
	/* A moderator: approved, whatever the setting. */
	set(r, "comment_moderation", "all");
	f = guest("", "", "From staff.");
	submit_as(r, member(r, "mod", "Moderators", true), &f, &res);
	ck_assert_str_eq(res.comment.status, "approved");
	ck_assert_str_eq(res.comment.held_by, "trusted");
	f = guest("Ann", "ann@example.com", "All are held.");
	submit_as(r, NULL, &f, &res);
	ck_assert_str_eq(res.comment.status, "pending");
	ck_assert_str_eq(res.comment.held_by, "moderation_all");
	set(r, "comment_moderation", "previously_approved");
	ck_assert_int_eq(comment_set_status(r, res.comment.id, "approved"), 0);
	f = guest("Ann", "ann@example.com", "Known now.");
	submit_as(r, NULL, &f, &res);
	ck_assert_str_eq(res.comment.status, "approved");
	ck_assert_str_eq(res.comment.held_by, "previously_approved");
	/* The agent of the request counts for the keys. */
	set(r, "comment_spam_keys", "testagent");
	f = guest("Ann", "ann@example.com", "Again.");
	submit_as(r, NULL, &f, &res);
	ck_assert_str_eq(res.comment.status, "spam");
	ck_assert_str_eq(res.comment.held_by, "spam_key");
	set(r, "comment_spam_keys", "");
	/* What only a form tells: the honeypot, the time since shown. */
	memset(&in, 0, sizeof(in));
	in.article = article(r);
	in.shown_seconds = -1;
	in.honeypot_filled = true;
	f = guest("Ann", "ann@example.com", "Bot words.");
	ck_assert_int_eq(comment_submit(r, &in, &f, &res), 0);
	ck_assert_str_eq(res.comment.held_by, "honeypot");
	in.honeypot_filled = false;
	in.shown_seconds = 0;
	f = guest("Ann", "ann@example.com", "Fast words.");
	ck_assert_int_eq(comment_submit(r, &in, &f, &res), 0);
	ck_assert_str_eq(res.comment.status, "spam");
	ck_assert_str_eq(res.comment.held_by, "too_fast");
}
END_TEST

START_TEST(test_submit_queues_the_held_notice_and_the_reply_notice)
{
	struct req		*r = poster("192.0.2.7");
	struct comment_form	 f = guest("Ann", "ann@example.com", "Held.");
	struct comment_result	 res;
	int64_t			 parent;

	member(r, "mod", "Moderators", true);
	ck_assert_int_eq(submit_as(r, NULL, &f, &res), COMMENT_STORED);
	ck_assert_str_eq(res.comment.status, "pending");
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM jobs"
	    " WHERE kind = 'mail.send'", 0), 1);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM jobs"
	    " WHERE payload LIKE '%mod@example.org%'", 0), 1);

	/* An approved reply to an author who asked: a mail to them. */
	set(r, "comment_moderation", "none");
	ck_assert_int_eq(comment_set_status(r, res.comment.id, "approved"), 0);
	fixture_sql("UPDATE comments SET notify = 1", 0);
	parent = res.comment.id;
	f = guest("Bo", "bo@example.com", "A reply.");
	f.parent = parent;
	ck_assert_int_eq(submit_as(r, NULL, &f, &res), COMMENT_STORED);
	ck_assert_int_eq(res.comment.parent_id, parent);
	ck_assert_int_eq(res.comment.depth, 1);
	ck_assert_int_eq(jobs_n(), 2);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM jobs"
	    " WHERE payload LIKE '%ann@example.com%'", 0), 1);
}
END_TEST

/*
 * A failure at each database step in turn: before the commit, nothing
 * of the comment stays (no row, no job, no flood count, no open
 * transaction); the first run that does not fail stores both.
 */
START_TEST(test_submit_commits_the_comment_and_its_jobs_or_neither)
{
	struct req		*r = poster("192.0.2.7");
	struct comment_form	 f;
	struct comment_result	 res;
	struct comment_input	 in;
	int			 n, rc = -1;

	member(r, "mod", "Moderators", true);
	memset(&in, 0, sizeof(in));
	in.article = article(r);
	in.shown_seconds = -1;
	for (n = 1; n < 200 && rc != 0; n++) {
		r->failed = 0;
		f = guest("Ann", "ann@example.com", "Held.");
		db_fault_set(n, SQLITE_IOERR);
		rc = comment_submit(r, &in, &f, &res);
		db_fault_set(0, 0);
		ck_assert(!db_in_tx());
		if (rc == 0)
			break;
		ck_assert(req_failed(r));
		ck_assert_int_eq(comments_n(), 0);
		ck_assert_int_eq(jobs_n(), 0);
		ck_assert_int_eq(fixture_sql("SELECT count(*) FROM throttle",
		    0), 0);
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_gt(n, 8);		/* the loop did reach the commit */
	ck_assert_int_eq(res.outcome, COMMENT_STORED);
	ck_assert_int_eq(comments_n(), 1);
	ck_assert_int_eq(jobs_n(), 1);
}
END_TEST

TCase *
comment_submit_tcase(void)
{
	TCase	*tc = tcase_create("submit");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_submit_stores_a_valid_guest_comment_held_at_first);
	tcase_add_test(tc,
	    test_submit_takes_a_users_name_and_email_from_the_account);
	tcase_add_test(tc,
	    test_submit_reports_each_field_error_and_stores_nothing);
	tcase_add_test(tc,
	    test_submit_refuses_closed_draft_and_guests_when_members_only);
	tcase_add_test(tc, test_submit_refuses_a_banned_email_user_or_address);
	tcase_add_test(tc, test_submit_refuses_a_duplicate_and_a_flood);
	tcase_add_test(tc, test_submit_chooses_the_state_by_the_rules);
	tcase_add_test(tc,
	    test_submit_queues_the_held_notice_and_the_reply_notice);
	tcase_add_test(tc,
	    test_submit_commits_the_comment_and_its_jobs_or_neither);
	return tc;
}
