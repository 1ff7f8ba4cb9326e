/*
 * test_moderation: app/site/moderation.c.  The pure rules of bans (which
 * commenter a ban names, when it applies: not lifted, not yet expired,
 * to the second), and on a fresh database the lookup every posted
 * comment goes through (moderation_ban_find) and the pending count of
 * the admin's badge.  The pages are tested through nginx in
 * tests/integration/019_moderation.c.
 */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "core/db.h"
#include "core/http.h"
#include "site/comment.h"
#include "site/site.h"
#include "fixture.h"

Suite	*moderation_suite(void);

static struct comment_ban
ban(enum comment_ban_kind kind, const char *value, int64_t user_id)
{
	struct comment_ban b;

	memset(&b, 0, sizeof(b));
	b.id = 1;
	b.kind = kind;
	b.value = value;
	b.user_id = user_id;
	b.reason = "";
	b.created_at = 1000;
	return b;
}

/* ---- pure ---------------------------------------------------------------- */

START_TEST(test_ban_kind_names_round_trip)
{
	for (int k = 0; k < BAN__MAX; k++)
		ck_assert_int_eq(moderation_ban_kind(moderation_ban_kind_name(
		    (enum comment_ban_kind)k)), k);
	ck_assert_int_eq(moderation_ban_kind("planet"), BAN__MAX);
	ck_assert_int_eq(moderation_ban_kind("EMAIL"), BAN__MAX);
	ck_assert_int_eq(moderation_ban_kind(""), BAN__MAX);
	ck_assert_int_eq(moderation_ban_kind(NULL), BAN__MAX);
	ck_assert_str_eq(moderation_ban_kind_name(BAN__MAX), "");
}
END_TEST

START_TEST(test_ban_without_expiry_applies_until_lifted)
{
	struct comment_ban b = ban(BAN_EMAIL, "a@example.com", 0);

	ck_assert(moderation_ban_is_active(&b, 1000));
	ck_assert(moderation_ban_is_active(&b, INT64_MAX));
	b.lifted_at = 2000;
	ck_assert(!moderation_ban_is_active(&b, 1500));
	ck_assert(!moderation_ban_is_active(&b, 3000));
}
END_TEST

START_TEST(test_ban_expires_at_its_second)
{
	struct comment_ban b = ban(BAN_IP, "192.0.2.1", 0);

	b.expires_at = 5000;
	ck_assert(moderation_ban_is_active(&b, 4999));
	ck_assert(!moderation_ban_is_active(&b, 5000));
	ck_assert(!moderation_ban_is_active(&b, 5001));
	b.lifted_at = 3000;
	ck_assert(!moderation_ban_is_active(&b, 4000));
}
END_TEST

START_TEST(test_email_ban_matches_in_any_case)
{
	struct comment_ban b = ban(BAN_EMAIL, "Troll@Example.com", 0);

	ck_assert(moderation_ban_matches(&b, 0, "troll@example.com", "x"));
	ck_assert(moderation_ban_matches(&b, 7, "TROLL@EXAMPLE.COM", NULL));
	ck_assert(!moderation_ban_matches(&b, 0, "troll@example.co", NULL));
	ck_assert(!moderation_ban_matches(&b, 0, "", "Troll@Example.com"));
	ck_assert(!moderation_ban_matches(&b, 0, NULL, NULL));
}
END_TEST

START_TEST(test_ip_ban_matches_the_address_only)
{
	struct comment_ban b = ban(BAN_IP, "2001:db8::1", 0);

	ck_assert(moderation_ban_matches(&b, 0, "a@example.com",
	    "2001:db8::1"));
	ck_assert(moderation_ban_matches(&b, 0, NULL, "2001:DB8::1"));
	ck_assert(!moderation_ban_matches(&b, 0, "2001:db8::1",
	    "2001:db8::2"));
	ck_assert(!moderation_ban_matches(&b, 0, NULL, ""));
}
END_TEST

START_TEST(test_user_ban_matches_that_account_only)
{
	struct comment_ban b = ban(BAN_USER, "bob", 42);

	ck_assert(moderation_ban_matches(&b, 42, NULL, NULL));
	ck_assert(!moderation_ban_matches(&b, 43, "bob", "bob"));
	/* A guest who types the username is not the account. */
	ck_assert(!moderation_ban_matches(&b, 0, "bob", "bob"));
}
END_TEST

/* ---- on a database ------------------------------------------------------- */

static struct fixture_db	 dbf;
static struct req		 req;

static void
db_setup(void)
{
	fixture_req_open(&dbf, &req, true, &fixture_wide_limits);
}

static void
db_teardown(void)
{
	fixture_req_close(&dbf, &req);
}

/* A ban row: kind, value, user_id, expires_at and lifted_at (0: NULL). */
static void
add_ban(const char *kind_sql, long long user_id, long long expires,
    long long lifted)
{
	fixture_sql(kind_sql, 3, user_id, expires, lifted);
}

#define BAN_ROW(kind, value) \
	"INSERT INTO comment_bans (kind, value, user_id, created_at," \
	" expires_at, lifted_at) VALUES ('" kind "', '" value "'," \
	" nullif(?1, 0), 1, nullif(?2, 0), nullif(?3, 0))"

START_TEST(test_find_by_email_address_and_account)
{
	struct req		*r = &req;
	struct comment_ban	*b;
	long long		 uid = fixture_user(r, "bob", NULL);

	ck_assert_ptr_null(moderation_ban_find(r, uid, "a@example.com",
	    "192.0.2.1"));
	add_ban(BAN_ROW("email", "A@Example.com"), 0, 0, 0);
	b = moderation_ban_find(r, 0, "a@example.com", "192.0.2.9");
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(b->kind, BAN_EMAIL);
	ck_assert_str_eq(b->value, "A@Example.com");
	ck_assert_ptr_null(moderation_ban_find(r, 0, "b@example.com",
	    "192.0.2.9"));

	add_ban(BAN_ROW("ip", "2001:db8::1"), 0, 0, 0);
	/* The posting address is compared as inet_ntop writes it. */
	b = moderation_ban_find(r, 0, NULL, "2001:db8:0:0::0001");
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(b->kind, BAN_IP);

	add_ban(BAN_ROW("user", "bob"), uid, 0, 0);
	b = moderation_ban_find(r, uid, "", "");
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(b->kind, BAN_USER);
	ck_assert_ptr_null(moderation_ban_find(r, uid + 1, "", ""));
	ck_assert(!req_failed(r));
}
END_TEST

START_TEST(test_find_skips_lifted_and_expired_bans)
{
	struct req		*r = &req;
	long long		 now = (long long)time(NULL);
	struct comment_ban	*b;

	add_ban(BAN_ROW("email", "x@example.com"), 0, 0, now - 10);
	add_ban(BAN_ROW("email", "x@example.com"), 0, now - 1, 0);
	ck_assert_ptr_null(moderation_ban_find(r, 0, "x@example.com", NULL));
	add_ban(BAN_ROW("email", "x@example.com"), 0, now + 3600, 0);
	b = moderation_ban_find(r, 0, "x@example.com", NULL);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(b->expires_at, now + 3600);
	ck_assert(!req_failed(r));
}
END_TEST

START_TEST(test_pending_count_counts_pending_only)
{
	struct req	*r = &req;
	long long	 a = fixture_article(r, "held", "Held", "<p>x</p>");
	static const char ins[] =
	    "INSERT INTO comments (article_id, author_name, body, body_html,"
	    " status, created_at, updated_at)"
	    " VALUES (?1, 'n', 'b', '<p>b</p>',"
	    " CASE ?2 WHEN 0 THEN 'pending' WHEN 1 THEN 'approved'"
	    " ELSE 'spam' END, 1, 1)";

	ck_assert_int_eq(moderation_pending_count(r), 0);
	fixture_sql(ins, 2, a, 0LL);
	fixture_sql(ins, 2, a, 0LL);
	fixture_sql(ins, 2, a, 1LL);
	fixture_sql(ins, 2, a, 2LL);
	ck_assert_int_eq(moderation_pending_count(r), 2);
	ck_assert(!req_failed(r));
}
END_TEST

Suite *
moderation_suite(void)
{
	Suite	*s = suite_create("moderation");
	TCase	*pure = tcase_create("bans");
	TCase	*db = tcase_create("db");

	tcase_add_test(pure, test_ban_kind_names_round_trip);
	tcase_add_test(pure, test_ban_without_expiry_applies_until_lifted);
	tcase_add_test(pure, test_ban_expires_at_its_second);
	tcase_add_test(pure, test_email_ban_matches_in_any_case);
	tcase_add_test(pure, test_ip_ban_matches_the_address_only);
	tcase_add_test(pure, test_user_ban_matches_that_account_only);
	suite_add_tcase(s, pure);
	tcase_add_checked_fixture(db, db_setup, db_teardown);
	tcase_add_test(db, test_find_by_email_address_and_account);
	tcase_add_test(db, test_find_skips_lifted_and_expired_bans);
	tcase_add_test(db, test_pending_count_counts_pending_only);
	suite_add_tcase(s, db);
	return s;
}
