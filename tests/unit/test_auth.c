/*
 * test_auth: app/core/auth.c on a fresh database with the seeded groups
 * (Editors, Authors, Moderators): the secret file's checks, username and
 * email rules, creating and finding users (case-insensitively), password
 * checks and rehashing, permissions direct and through groups, the
 * object-level rule, and password reset tokens.  Passwords are hashed at
 * libsodium's minimum limits (fixture_accounts_open).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/auth.h"
#include "core/config.h"
#include "core/db.h"
#include "core/http.h"
#include "core/password.h"
#include "core/render.h"
#include "fixture.h"

Suite	*auth_suite(void);

#define LONG_SECRET	"0123456789abcdef0123456789abcdef0123456789"

static struct fixture_db	 fdb;
static struct req		 r;

static void
setup(void)
{
	fixture_accounts_open(&fdb);
	req_init(&r, &fixture_wide_limits);
}

static void
teardown(void)
{
	render_reset(&r);
	req_free(&r);
	fixture_db_close(&fdb);
}

/* auth_init() on a copy of the fixture's config with secret file name. */
static int
init_with_secret(const char *name, char *err, size_t errlen)
{
	struct config	 c = fdb.cfg;
	char		 path[4096];

	snprintf(path, sizeof(path), "%s/%s", fdb.dir, name);
	c.secret_file = path;
	err[0] = '\0';
	return auth_init(&c, err, errlen);
}

static void
write_secret(const char *name, const char *text, mode_t mode)
{
	char	 path[4096];

	fixture_write(fdb.dir, name, text);
	snprintf(path, sizeof(path), "%s/%s", fdb.dir, name);
	ck_assert_int_eq(chmod(path, mode), 0);
}

/* ---- the secret file ---------------------------------------------- */

START_TEST(test_auth_init_refuses_missing_secret_naming_file_and_fix)
{
	char	 err[1024];

	ck_assert_int_eq(init_with_secret("absent-secret", err, sizeof(err)),
	    -1);
	ck_assert_msg(fixture_has(err, "/absent-secret"), "%s", err);
	ck_assert_msg(fixture_has(err, "head -c 32 /dev/urandom"), "%s", err);
	ck_assert_msg(fixture_has(err, "chmod 0600"), "%s", err);
}
END_TEST

START_TEST(test_auth_init_refuses_short_secret_naming_file_and_fix)
{
	char	 err[1024];

	/* 31 bytes, and trailing blanks do not count. */
	write_secret("short", "0123456789abcdef0123456789abcde  \n\n", 0600);
	ck_assert_int_eq(init_with_secret("short", err, sizeof(err)), -1);
	ck_assert_msg(fixture_has(err, "/short"), "%s", err);
	ck_assert_msg(fixture_has(err, "too short"), "%s", err);
	ck_assert_msg(fixture_has(err, "head -c 32 /dev/urandom"), "%s", err);
}
END_TEST

START_TEST(test_auth_init_accepts_exactly_32_bytes)
{
	char	 err[1024];

	write_secret("s32", "0123456789abcdef0123456789abcdef\n", 0600);
	ck_assert_msg(init_with_secret("s32", err, sizeof(err)) == 0, "%s",
	    err);
}
END_TEST

START_TEST(test_auth_init_refuses_world_readable_secret_naming_fix)
{
	char	 err[1024];

	write_secret("open", LONG_SECRET "\n", 0644);
	ck_assert_int_eq(init_with_secret("open", err, sizeof(err)), -1);
	ck_assert_msg(fixture_has(err, "/open"), "%s", err);
	ck_assert_msg(fixture_has(err, "readable by everyone"), "%s", err);
	ck_assert_msg(fixture_has(err, "chmod 0600"), "%s", err);
}
END_TEST

START_TEST(test_auth_init_accepts_private_secret)
{
	char	 err[1024];

	write_secret("good", LONG_SECRET "\n", 0600);
	ck_assert_msg(init_with_secret("good", err, sizeof(err)) == 0, "%s",
	    err);
	ck_assert_str_eq(err, "");
}
END_TEST

START_TEST(test_auth_mac_depends_on_the_secret)
{
	char	 a[65], b[65], c[65], err[1024];

	auth_mac_hex("data", a);
	auth_mac_hex("data", b);
	ck_assert_str_eq(a, b);
	ck_assert_int_eq(strlen(a), 64);
	write_secret("other", "another secret, also long enough to use\n",
	    0600);
	ck_assert_msg(init_with_secret("other", err, sizeof(err)) == 0, "%s",
	    err);
	auth_mac_hex("data", c);
	ck_assert_str_ne(a, c);
}
END_TEST

/* ---- usernames and emails ----------------------------------------- */

START_TEST(test_auth_username_rules)
{
	char	 name[200];

	ck_assert_ptr_null(auth_username_error("alice"));
	ck_assert_ptr_null(auth_username_error("Alice_99"));
	ck_assert_ptr_null(auth_username_error("a@b.c+d-e_f"));
	ck_assert_ptr_null(auth_username_error("@.+-_"));
	memset(name, 'a', 150);
	name[150] = '\0';
	ck_assert_ptr_null(auth_username_error(name));
	name[150] = 'a';
	name[151] = '\0';
	ck_assert_str_eq(auth_username_error(name),
	    "Ensure this value has at most 150 characters.");
	ck_assert_str_eq(auth_username_error(""), "This field is required.");
	ck_assert_ptr_nonnull(auth_username_error("alice smith"));
	ck_assert_ptr_nonnull(auth_username_error(" alice"));
	ck_assert_ptr_nonnull(auth_username_error("jos\xc3\xa9"));
	ck_assert_ptr_nonnull(auth_username_error("\xe5\xbc\xa0\xe4\xb8\x89"));
	ck_assert_ptr_nonnull(auth_username_error("a/b"));
	ck_assert_ptr_nonnull(auth_username_error("a<b>"));
	ck_assert_ptr_nonnull(auth_username_error("a'b"));
	ck_assert(fixture_has(auth_username_error("a b"), "@/./+/-/_"));
}
END_TEST

START_TEST(test_auth_email_rules)
{
	static const char *const good[] = {
		"a@b.co", "alice.smith+tag@mail.example.org", "x_y-z@b-c.d.e",
		"jos\xc3\xa9@example.org",
	};
	static const char *const bad[] = {
		"ab", "@b.co", "a@", "a@b@c.co", "a@bco", "a@.co", "a@b.co.",
		"a b@c.co", "a@b .co", "a<b@c.co", "a@b.co>", "\"a\"@b.co",
		"a,b@c.co", "a;b@c.co", "a:b@c.co", "a(b)@c.co", "a\\b@c.co",
		"a@[1.2.3.4]", "a\t@b.co", "a\n@b.co", "\xff@b.co",
		"a@b.c\xc3",
	};
	char	 longest[300];

	for (size_t i = 0; i < NELEM(good); i++)
		ck_assert_msg(auth_email_error(good[i]) == NULL, "%s refused",
		    good[i]);
	for (size_t i = 0; i < NELEM(bad); i++)
		ck_assert_msg(auth_email_error(bad[i]) != NULL &&
		    strcmp(auth_email_error(bad[i]),
		    "Enter a valid email address.") == 0, "%s accepted", bad[i]);
	ck_assert_str_eq(auth_email_error(""), "This field is required.");
	/* 254 bytes is the most: 248 + "@b.com" = 254. */
	memset(longest, 'a', 248);
	strcpy(longest + 248, "@b.com");
	ck_assert_ptr_null(auth_email_error(longest));
	memset(longest, 'a', 249);
	strcpy(longest + 249, "@b.com");
	ck_assert_ptr_nonnull(auth_email_error(longest));
}
END_TEST

/* ---- users ---------------------------------------------------------- */

static long long
user_id_of(const struct user *u)
{
	return u != NULL ? (long long)u->id : -1;
}

START_TEST(test_auth_user_create_stores_hashed_password)
{
	const char	*taken = "x";
	int64_t		 id;
	struct user	*u;

	id = auth_user_create(&r, "alice", "alice@example.org", "Alice A.",
	    FIXTURE_PASSWORD, false, false, &taken);
	ck_assert_int_gt(id, 0);
	ck_assert_ptr_null(taken);
	ck_assert_ptr_nonnull(u = auth_user_by_id(&r, id));
	ck_assert_str_eq(u->username, "alice");
	ck_assert_str_eq(u->email, "alice@example.org");
	ck_assert_str_eq(u->display_name, "Alice A.");
	ck_assert_int_eq(strncmp(u->password, "$argon2id$", 10), 0);
	ck_assert(password_verify(u->password, FIXTURE_PASSWORD));
	ck_assert(u->is_active);
	ck_assert(!u->is_staff);
	ck_assert(!u->is_superuser);
	ck_assert_int_eq(u->last_login, 0);
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_auth_user_create_superuser_is_staff)
{
	const char	*taken;
	int64_t		 id;
	struct user	*u;

	id = auth_user_create(&r, "root", "root@example.org", NULL,
	    FIXTURE_PASSWORD, false, true, &taken);
	ck_assert_int_gt(id, 0);
	u = auth_user_by_id(&r, id);
	ck_assert(u->is_superuser);
	ck_assert(u->is_staff);
	ck_assert_str_eq(u->display_name, "");
}
END_TEST

START_TEST(test_auth_user_create_refuses_username_in_other_case)
{
	const char	*taken = NULL;

	fixture_user(&r, "Alice", NULL);
	ck_assert_int_eq(auth_user_create(&r, "alice", "other@example.org",
	    "", FIXTURE_PASSWORD, false, false, &taken), 0);
	ck_assert_ptr_nonnull(taken);
	ck_assert_str_eq(taken, "username");
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM users", 0), 1);
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_auth_user_create_refuses_email_in_other_case)
{
	const char	*taken = NULL;

	fixture_user(&r, "alice", NULL);	/* alice@example.org */
	ck_assert_int_eq(auth_user_create(&r, "bob", "ALICE@Example.ORG",
	    "", FIXTURE_PASSWORD, false, false, &taken), 0);
	ck_assert_ptr_nonnull(taken);
	ck_assert_str_eq(taken, "email");
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM users", 0), 1);
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_auth_user_by_login_finds_username_any_case)
{
	long long	 id = fixture_user(&r, "Alice", NULL);
	struct user	*u;

	ck_assert_ptr_nonnull(u = auth_user_by_login(&r, "alice"));
	ck_assert_int_eq(u->id, id);
	ck_assert_ptr_nonnull(u = auth_user_by_login(&r, "ALICE"));
	ck_assert_int_eq(u->id, id);
	ck_assert_str_eq(u->username, "Alice");
	ck_assert_ptr_null(auth_user_by_login(&r, "alic"));
	ck_assert_ptr_null(auth_user_by_login(&r, "alice "));
	ck_assert_ptr_null(auth_user_by_login(&r, ""));
}
END_TEST

START_TEST(test_auth_user_by_login_finds_email_any_case)
{
	long long	 id = fixture_user(&r, "alice", NULL);
	struct user	*u;

	ck_assert_ptr_nonnull(u = auth_user_by_login(&r, "alice@example.org"));
	ck_assert_int_eq(u->id, id);
	ck_assert_ptr_nonnull(u = auth_user_by_login(&r, "Alice@EXAMPLE.org"));
	ck_assert_int_eq(u->id, id);
	ck_assert_ptr_null(auth_user_by_login(&r, "alice@example.com"));
}
END_TEST

START_TEST(test_auth_user_by_login_prefers_username_over_email)
{
	const char	*taken;
	int64_t		 named, mailed;
	struct user	*u;

	/* "bob@example.org" is one user's name and another's email. */
	mailed = auth_user_create(&r, "robert", "bob@example.org", "",
	    FIXTURE_PASSWORD, false, false, &taken);
	named = auth_user_create(&r, "bob@example.org", "b2@example.org", "",
	    FIXTURE_PASSWORD, false, false, &taken);
	ck_assert_int_gt(mailed, 0);
	ck_assert_int_gt(named, 0);
	ck_assert_ptr_nonnull(u = auth_user_by_login(&r, "BOB@example.org"));
	ck_assert_int_eq(u->id, named);
}
END_TEST

START_TEST(test_auth_user_by_id_unknown_is_null)
{
	long long	 id = fixture_user(&r, "alice", NULL);

	ck_assert_int_eq(user_id_of(auth_user_by_id(&r, id)), id);
	ck_assert_ptr_null(auth_user_by_id(&r, id + 1));
	ck_assert_ptr_null(auth_user_by_id(&r, 0));
	ck_assert(!req_failed(&r));
}
END_TEST

/* ---- passwords ------------------------------------------------------ */

START_TEST(test_auth_check_password_right_password_logs_in)
{
	long long	 id = fixture_user(&r, "alice", NULL);
	struct user	*u;

	ck_assert_ptr_nonnull(u = auth_check_password(&r, "alice",
	    FIXTURE_PASSWORD));
	ck_assert_int_eq(u->id, id);
	ck_assert_ptr_nonnull(u = auth_check_password(&r, "ALICE@example.org",
	    FIXTURE_PASSWORD));
	ck_assert_int_eq(u->id, id);
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_auth_check_password_wrong_password_is_null)
{
	fixture_user(&r, "alice", NULL);
	ck_assert_ptr_null(auth_check_password(&r, "alice", "wrong password"));
	ck_assert_ptr_null(auth_check_password(&r, "alice",
	    "Correct horse battery staple"));
	ck_assert_ptr_null(auth_check_password(&r, "alice", ""));
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_auth_check_password_inactive_user_is_null)
{
	long long	 id = fixture_user(&r, "alice", NULL);

	fixture_sql("UPDATE users SET is_active = 0 WHERE id = ?1", 1, id);
	ck_assert_ptr_null(auth_check_password(&r, "alice", FIXTURE_PASSWORD));
}
END_TEST

START_TEST(test_auth_check_password_unknown_user_is_null)
{
	fixture_user(&r, "alice", NULL);
	ck_assert_ptr_null(auth_check_password(&r, "mallory",
	    FIXTURE_PASSWORD));
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_auth_check_password_unusable_password_is_null)
{
	long long	 id = fixture_user(&r, "alice", NULL);

	fixture_sql("UPDATE users SET password = '' WHERE id = ?1", 1, id);
	ck_assert_ptr_null(auth_check_password(&r, "alice", ""));
	ck_assert_ptr_null(auth_check_password(&r, "alice", FIXTURE_PASSWORD));
}
END_TEST

START_TEST(test_auth_check_password_rehashes_when_policy_changes)
{
	long long	 id = fixture_user(&r, "alice", NULL);
	struct user	*u = auth_user_by_id(&r, id);
	struct config	 c = fdb.cfg;

	ck_assert_msg(fixture_has(u->password, ",t=1,"), "%s", u->password);
	c.password_ops = 2;
	auth_init_policy(&c);
	ck_assert_ptr_nonnull(u = auth_check_password(&r, "alice",
	    FIXTURE_PASSWORD));
	ck_assert_msg(fixture_has(u->password, ",t=2,"), "%s", u->password);
	u = auth_user_by_id(&r, id);		/* what is stored */
	ck_assert_msg(fixture_has(u->password, ",t=2,"), "%s", u->password);
	ck_assert(password_verify(u->password, FIXTURE_PASSWORD));
	ck_assert_ptr_nonnull(auth_check_password(&r, "alice",
	    FIXTURE_PASSWORD));
	auth_init_policy(&fdb.cfg);
}
END_TEST

START_TEST(test_auth_check_password_keeps_hash_under_same_policy)
{
	long long	 id = fixture_user(&r, "alice", NULL);
	const char	*before = auth_user_by_id(&r, id)->password;

	ck_assert_ptr_nonnull(auth_check_password(&r, "alice",
	    FIXTURE_PASSWORD));
	ck_assert_str_eq(auth_user_by_id(&r, id)->password, before);
}
END_TEST

START_TEST(test_auth_set_password_replaces_password)
{
	long long	 id = fixture_user(&r, "alice", NULL);

	ck_assert_int_eq(auth_set_password(&r, id, "a new passphrase 42"), 0);
	ck_assert_ptr_null(auth_check_password(&r, "alice", FIXTURE_PASSWORD));
	ck_assert_ptr_nonnull(auth_check_password(&r, "alice",
	    "a new passphrase 42"));
}
END_TEST

START_TEST(test_auth_touch_login_records_now)
{
	long long	 id = fixture_user(&r, "alice", NULL);
	int64_t		 before = (int64_t)time(NULL);
	struct user	*u;

	ck_assert_int_eq(auth_touch_login(&r, id), 0);
	u = auth_user_by_id(&r, id);
	ck_assert_int_ge(u->last_login, before);
	ck_assert_int_le(u->last_login, (int64_t)time(NULL));
}
END_TEST

/* ---- permissions ---------------------------------------------------- */

static struct user *
user(long long id)
{
	struct user	*u = auth_user_by_id(&r, id);

	ck_assert_ptr_nonnull(u);
	return u;
}

START_TEST(test_auth_has_perm_superuser_has_all)
{
	long long	 id = fixture_user(&r, "root", NULL);

	fixture_sql("UPDATE users SET is_superuser = 1 WHERE id = ?1", 1, id);
	ck_assert(auth_has_perm(&r, user(id), "article.change"));
	ck_assert(auth_has_perm(&r, user(id), "user.delete"));
	ck_assert(auth_has_perm(&r, user(id), "group.change"));
}
END_TEST

START_TEST(test_auth_staff_without_required_2fa_has_no_permission)
{
	struct config	 cfg;
	char		 err[256];
	long long	 id = fixture_user(&r, "ed", "Editors");

	fixture_sql("UPDATE users SET is_staff = 1 WHERE id = ?1", 1, id);
	ck_assert(auth_has_perm(&r, user(id), "article.change"));
	ck_assert_int_eq(config_load(&cfg, NULL, err, sizeof(err)), 0);
	cfg.require_2fa_staff = 1;
	config_set_current(&cfg);
	ck_assert(!auth_staff_ready(user(id)));
	ck_assert(!auth_has_perm(&r, user(id), "article.change"));
	fixture_sql("UPDATE users SET totp_enabled = 1 WHERE id = ?1", 1, id);
	ck_assert(auth_staff_ready(user(id)));
	ck_assert(auth_has_perm(&r, user(id), "article.change"));
	config_set_current(NULL);
	config_free(&cfg);
}
END_TEST

START_TEST(test_auth_has_perm_plain_user_has_none)
{
	long long	 id = fixture_user(&r, "alice", NULL);
	long long	 bob = fixture_user(&r, "bob", "Editors");

	/* Others' grants, direct or through groups, are not alice's. */
	fixture_sql("INSERT INTO user_permissions (user_id, permission_id)"
	    " SELECT ?1, id FROM permissions WHERE codename = 'article.view'",
	    1, bob);

	ck_assert(!auth_has_perm(&r, user(id), "article.view"));
	ck_assert(!auth_has_perm(&r, user(id), "article.change"));
	ck_assert(!auth_has_perm(&r, NULL, "article.view"));
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_auth_has_perm_direct_grant)
{
	long long	 id = fixture_user(&r, "alice", NULL);

	fixture_sql("INSERT INTO user_permissions (user_id, permission_id)"
	    " SELECT ?1, id FROM permissions WHERE codename = 'user.view'",
	    1, id);
	ck_assert(auth_has_perm(&r, user(id), "user.view"));
	ck_assert(!auth_has_perm(&r, user(id), "user.change"));
}
END_TEST

START_TEST(test_auth_has_perm_through_group)
{
	long long	 ed = fixture_user(&r, "ed", "Editors");
	long long	 mo = fixture_user(&r, "mo", "Moderators");

	ck_assert(auth_has_perm(&r, user(ed), "article.change"));
	ck_assert(auth_has_perm(&r, user(ed), "article.edit_others"));
	ck_assert(auth_has_perm(&r, user(ed), "comment.delete"));
	ck_assert(!auth_has_perm(&r, user(ed), "user.change"));
	ck_assert(auth_has_perm(&r, user(mo), "comment.change"));
	ck_assert(!auth_has_perm(&r, user(mo), "comment.delete"));
	ck_assert(!auth_has_perm(&r, user(mo), "article.change"));
}
END_TEST

START_TEST(test_auth_has_perm_inactive_user_has_none)
{
	long long	 ed = fixture_user(&r, "ed", "Editors");
	long long	 root = fixture_user(&r, "root", NULL);

	fixture_sql("UPDATE users SET is_active = 0 WHERE id IN (?1, ?2)", 2,
	    ed, root);
	fixture_sql("UPDATE users SET is_superuser = 1 WHERE id = ?1", 1,
	    root);
	ck_assert(!auth_has_perm(&r, user(ed), "article.change"));
	ck_assert(!auth_has_perm(&r, user(root), "article.change"));
}
END_TEST

START_TEST(test_auth_has_perm_unknown_perm_is_refused)
{
	long long	 ed = fixture_user(&r, "ed", "Editors");

	ck_assert(!auth_has_perm(&r, user(ed), "article.publish_everywhere"));
	ck_assert(!auth_has_perm(&r, user(ed), ""));
	ck_assert(!auth_has_perm(&r, user(ed), "article.%"));
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_auth_route_may_checks_request_user)
{
	long long	 ed = fixture_user(&r, "ed", "Editors");

	ck_assert(!auth_route_may(&r, "article.change"));
	r.user = user(ed);
	ck_assert(auth_route_may(&r, "article.change"));
	ck_assert(!auth_route_may(&r, "user.change"));
}
END_TEST

START_TEST(test_auth_may_change_own_author_only_own)
{
	long long	 au = fixture_user(&r, "au", "Authors");
	long long	 other = fixture_user(&r, "other", "Authors");

	ck_assert(auth_may_change_own(&r, user(au), "article.change", au));
	ck_assert(!auth_may_change_own(&r, user(au), "article.change", other));
	ck_assert(auth_may_change_own(&r, user(au), "article.delete", au));
	ck_assert(!auth_may_change_own(&r, user(au), "article.delete", other));
}
END_TEST

START_TEST(test_auth_may_change_own_editor_may_change_others)
{
	long long	 ed = fixture_user(&r, "ed", "Editors");
	long long	 au = fixture_user(&r, "au", "Authors");

	ck_assert(auth_may_change_own(&r, user(ed), "article.change", au));
	ck_assert(auth_may_change_own(&r, user(ed), "article.change", ed));
}
END_TEST

START_TEST(test_auth_may_change_own_needs_the_permission)
{
	long long	 mo = fixture_user(&r, "mo", "Moderators");
	long long	 plain = fixture_user(&r, "plain", NULL);

	ck_assert(!auth_may_change_own(&r, user(mo), "article.change", mo));
	ck_assert(!auth_may_change_own(&r, user(plain), "article.change",
	    plain));
	ck_assert(!auth_may_change_own(&r, NULL, "article.change", 0));
}
END_TEST

START_TEST(test_auth_may_change_own_superuser_any)
{
	long long	 root = fixture_user(&r, "root", NULL);
	long long	 au = fixture_user(&r, "au", "Authors");

	fixture_sql("UPDATE users SET is_superuser = 1 WHERE id = ?1", 1,
	    root);
	ck_assert(auth_may_change_own(&r, user(root), "article.change", au));
}
END_TEST

/* ---- reset tokens --------------------------------------------------- */

/*
 * A token for u made at time ts.  This mirrors reset_mac() in auth.c
 * (the only way to get a token from another second without waiting):
 * if that format changes, change it here too.
 */
static const char *
token_at(const struct user *u, int64_t ts)
{
	char	 data[1024], mac[65];

	snprintf(data, sizeof(data), "reset\n%" PRId64 "\n%s\n%" PRId64
	    "\n%s\n%" PRId64, u->id, u->password, u->last_login, u->email, ts);
	auth_mac_hex(data, mac);
	return arena_printf(r.arena, "%" PRId64 "-%" PRId64 "-%s", u->id, ts,
	    mac);
}

START_TEST(test_auth_reset_token_fresh_checks)
{
	long long	 id = fixture_user(&r, "alice", NULL);
	const char	*t = auth_reset_token(&r, user(id));
	struct user	*u;

	ck_assert_ptr_nonnull(u = auth_reset_check(&r, t, 3600));
	ck_assert_int_eq(u->id, id);
	/* It is the same token as a hand-made one for now (format pinned). */
	ck_assert_ptr_nonnull(auth_reset_check(&r, token_at(user(id),
	    (int64_t)time(NULL)), 3600));
}
END_TEST

START_TEST(test_auth_reset_token_tampered_mac_is_null)
{
	long long	 id = fixture_user(&r, "alice", NULL);
	char		*t = arena_strdup(r.arena, auth_reset_token(&r,
	    user(id)));
	char		*last = t + strlen(t) - 1;

	*last = *last == '0' ? '1' : '0';
	ck_assert_ptr_null(auth_reset_check(&r, t, 3600));
	/* Upper-case hex is another MAC, too. */
	t = arena_strdup(r.arena, auth_reset_token(&r, user(id)));
	for (char *p = strrchr(t, '-'); *p != '\0'; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 'a' + 'A');
	ck_assert_ptr_null(auth_reset_check(&r, t, 3600));
}
END_TEST

START_TEST(test_auth_reset_token_tampered_id_is_null)
{
	long long	 alice = fixture_user(&r, "alice", NULL);
	long long	 bob = fixture_user(&r, "bob", NULL);
	const char	*t = auth_reset_token(&r, user(alice));
	const char	*rest = strchr(t, '-');

	ck_assert_ptr_nonnull(auth_reset_check(&r, t, 3600));
	ck_assert_ptr_null(auth_reset_check(&r, arena_printf(r.arena,
	    "%lld%s", bob, rest), 3600));
}
END_TEST

START_TEST(test_auth_reset_token_tampered_time_is_null)
{
	long long	 id = fixture_user(&r, "alice", NULL);
	const char	*t = auth_reset_token(&r, user(id));
	const char	*mac = strrchr(t, '-');
	long long	 ts = strtoll(strchr(t, '-') + 1, NULL, 10);

	ck_assert_ptr_nonnull(auth_reset_check(&r, t, 3600));
	ck_assert_ptr_null(auth_reset_check(&r, arena_printf(r.arena,
	    "%lld-%lld%s", id, ts + 1, mac), 3600));
	ck_assert_ptr_null(auth_reset_check(&r, arena_printf(r.arena,
	    "%lld-%lld%s", id, ts - 1, mac), 3600));
}
END_TEST

START_TEST(test_auth_reset_token_garbage_is_null)
{
	static const char *const garbage[] = {
		"", "-", "--", "1", "1-2", "1-2-3", "abc-def-ghi",
		"1--0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"-1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"1-x-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"99999999999999999999999-1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"1-1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0",
		"1-1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",
	};

	fixture_user(&r, "alice", NULL);
	for (size_t i = 0; i < NELEM(garbage); i++)
		ck_assert_msg(auth_reset_check(&r, garbage[i], 3600) == NULL,
		    "%s accepted", garbage[i]);
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_auth_reset_token_expired_is_null)
{
	long long	 id = fixture_user(&r, "alice", NULL);
	int64_t		 now = (int64_t)time(NULL);

	ck_assert_ptr_null(auth_reset_check(&r, auth_reset_token(&r,
	    user(id)), -1));
	/* Made 100 s ago: inside a 200 s timeout, outside a 50 s or 0 s one. */
	ck_assert_ptr_nonnull(auth_reset_check(&r, token_at(user(id),
	    now - 100), 200));
	ck_assert_ptr_null(auth_reset_check(&r, token_at(user(id),
	    now - 100), 50));
	ck_assert_ptr_null(auth_reset_check(&r, token_at(user(id),
	    now - 100), 0));
}
END_TEST

START_TEST(test_auth_reset_token_from_the_future_is_null)
{
	long long	 id = fixture_user(&r, "alice", NULL);

	ck_assert_ptr_null(auth_reset_check(&r, token_at(user(id),
	    (int64_t)time(NULL) + 3600), 86400));
}
END_TEST

START_TEST(test_auth_reset_token_dies_with_password_change)
{
	long long	 id = fixture_user(&r, "alice", NULL);
	const char	*t = auth_reset_token(&r, user(id));

	ck_assert_ptr_nonnull(auth_reset_check(&r, t, 3600));
	ck_assert_int_eq(auth_set_password(&r, id, "a new passphrase 42"), 0);
	ck_assert_ptr_null(auth_reset_check(&r, t, 3600));
}
END_TEST

START_TEST(test_auth_reset_token_dies_with_login)
{
	long long	 id = fixture_user(&r, "alice", NULL);
	const char	*t;

	fixture_sql("UPDATE users SET last_login = 1000 WHERE id = ?1", 1, id);
	t = auth_reset_token(&r, user(id));
	ck_assert_ptr_nonnull(auth_reset_check(&r, t, 3600));
	ck_assert_int_eq(auth_touch_login(&r, id), 0);
	ck_assert_ptr_null(auth_reset_check(&r, t, 3600));
}
END_TEST

START_TEST(test_auth_reset_token_dies_with_email_change)
{
	long long	 id = fixture_user(&r, "alice", NULL);
	const char	*t = auth_reset_token(&r, user(id));

	fixture_sql("UPDATE users SET email = 'new@example.org' WHERE id = ?1",
	    1, id);
	ck_assert_ptr_null(auth_reset_check(&r, t, 3600));
}
END_TEST

START_TEST(test_auth_reset_token_inactive_user_is_null)
{
	long long	 id = fixture_user(&r, "alice", NULL);
	const char	*t = auth_reset_token(&r, user(id));

	fixture_sql("UPDATE users SET is_active = 0 WHERE id = ?1", 1, id);
	ck_assert_ptr_null(auth_reset_check(&r, t, 3600));
}
END_TEST

START_TEST(test_auth_reset_token_unknown_user_is_null)
{
	long long	 id = fixture_user(&r, "alice", NULL);
	const char	*t = auth_reset_token(&r, user(id));

	fixture_sql("DELETE FROM users WHERE id = ?1", 1, id);
	ck_assert_ptr_null(auth_reset_check(&r, t, 3600));
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_auth_reset_token_other_secret_is_null)
{
	long long	 id = fixture_user(&r, "alice", NULL);
	const char	*t = auth_reset_token(&r, user(id));
	char		 err[1024];

	write_secret("rotated", "a rotated secret of more than 32 bytes\n",
	    0600);
	ck_assert_msg(init_with_secret("rotated", err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_ptr_null(auth_reset_check(&r, t, 3600));
}
END_TEST

Suite *
auth_suite(void)
{
	Suite	*s = suite_create("auth");
	TCase	*tc;

	tc = tcase_create("secret");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc,
	    test_auth_init_refuses_missing_secret_naming_file_and_fix);
	tcase_add_test(tc,
	    test_auth_init_refuses_short_secret_naming_file_and_fix);
	tcase_add_test(tc, test_auth_init_accepts_exactly_32_bytes);
	tcase_add_test(tc,
	    test_auth_init_refuses_world_readable_secret_naming_fix);
	tcase_add_test(tc, test_auth_init_accepts_private_secret);
	tcase_add_test(tc, test_auth_mac_depends_on_the_secret);
	suite_add_tcase(s, tc);

	tc = tcase_create("validate");
	tcase_add_test(tc, test_auth_username_rules);
	tcase_add_test(tc, test_auth_email_rules);
	suite_add_tcase(s, tc);

	tc = tcase_create("users");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_auth_user_create_stores_hashed_password);
	tcase_add_test(tc, test_auth_user_create_superuser_is_staff);
	tcase_add_test(tc, test_auth_user_create_refuses_username_in_other_case);
	tcase_add_test(tc, test_auth_user_create_refuses_email_in_other_case);
	tcase_add_test(tc, test_auth_user_by_login_finds_username_any_case);
	tcase_add_test(tc, test_auth_user_by_login_finds_email_any_case);
	tcase_add_test(tc, test_auth_user_by_login_prefers_username_over_email);
	tcase_add_test(tc, test_auth_user_by_id_unknown_is_null);
	suite_add_tcase(s, tc);

	tc = tcase_create("password");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_auth_check_password_right_password_logs_in);
	tcase_add_test(tc, test_auth_check_password_wrong_password_is_null);
	tcase_add_test(tc, test_auth_check_password_inactive_user_is_null);
	tcase_add_test(tc, test_auth_check_password_unknown_user_is_null);
	tcase_add_test(tc, test_auth_check_password_unusable_password_is_null);
	tcase_add_test(tc,
	    test_auth_check_password_rehashes_when_policy_changes);
	tcase_add_test(tc,
	    test_auth_check_password_keeps_hash_under_same_policy);
	tcase_add_test(tc, test_auth_set_password_replaces_password);
	tcase_add_test(tc, test_auth_touch_login_records_now);
	suite_add_tcase(s, tc);

	tc = tcase_create("perms");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_auth_has_perm_superuser_has_all);
	tcase_add_test(tc, test_auth_staff_without_required_2fa_has_no_permission);
	tcase_add_test(tc, test_auth_has_perm_plain_user_has_none);
	tcase_add_test(tc, test_auth_has_perm_direct_grant);
	tcase_add_test(tc, test_auth_has_perm_through_group);
	tcase_add_test(tc, test_auth_has_perm_inactive_user_has_none);
	tcase_add_test(tc, test_auth_has_perm_unknown_perm_is_refused);
	tcase_add_test(tc, test_auth_route_may_checks_request_user);
	tcase_add_test(tc, test_auth_may_change_own_author_only_own);
	tcase_add_test(tc, test_auth_may_change_own_editor_may_change_others);
	tcase_add_test(tc, test_auth_may_change_own_needs_the_permission);
	tcase_add_test(tc, test_auth_may_change_own_superuser_any);
	suite_add_tcase(s, tc);

	tc = tcase_create("reset");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_auth_reset_token_fresh_checks);
	tcase_add_test(tc, test_auth_reset_token_tampered_mac_is_null);
	tcase_add_test(tc, test_auth_reset_token_tampered_id_is_null);
	tcase_add_test(tc, test_auth_reset_token_tampered_time_is_null);
	tcase_add_test(tc, test_auth_reset_token_garbage_is_null);
	tcase_add_test(tc, test_auth_reset_token_expired_is_null);
	tcase_add_test(tc, test_auth_reset_token_from_the_future_is_null);
	tcase_add_test(tc, test_auth_reset_token_dies_with_password_change);
	tcase_add_test(tc, test_auth_reset_token_dies_with_login);
	tcase_add_test(tc, test_auth_reset_token_dies_with_email_change);
	tcase_add_test(tc, test_auth_reset_token_inactive_user_is_null);
	tcase_add_test(tc, test_auth_reset_token_unknown_user_is_null);
	tcase_add_test(tc, test_auth_reset_token_other_secret_is_null);
	suite_add_tcase(s, tc);
	return s;
}
