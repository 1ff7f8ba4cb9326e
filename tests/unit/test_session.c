/*
 * test_session: app/core/session.c on a fresh database: the session
 * cookie's attributes, what the table stores, loading in a later request,
 * fixation (a new id at every start), two-factor pending sessions and
 * their upgrade, logout here and elsewhere, expiry, inactive users, flash
 * messages across requests, and what session_export puts in the HDF.
 * Each "request" is its own struct req, as in the worker loop; cookies
 * go from one to the next by hand.
 */
#include <ClearSilver.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/auth.h"
#include "core/db.h"
#include "core/http.h"
#include "core/render.h"
#include "core/session.h"
#include "fixture.h"

Suite	*session_suite(void);

#define FLASH	"gazette_flash"

static struct fixture_db	 fdb;
static struct req		 reqs[24];
static size_t			 nreqs;
static long long		 alice;

/* A new request: GET / with the Cookie header given (NULL: none). */
static struct req *
request(const char *cookie, bool https)
{
	struct req	*r;

	ck_assert_uint_lt(nreqs, NELEM(reqs));
	r = &reqs[nreqs++];
	req_init(r, &fixture_wide_limits);
	ck_assert_int_eq(fixture_request(r, "GET", "/", NULL,
	    "Cookie", cookie, "User-Agent", "Mozilla/5.0 (X11; Linux x86_64) "
	    "Firefox/128.0", "HTTPS", https ? "on" : NULL, (char *)NULL), 0);
	return r;
}

/* A request carrying the session cookie value c. */
static struct req *
with_session(const char *c)
{
	char	 cookie[256];

	snprintf(cookie, sizeof(cookie), SESSION_COOKIE "=%s", c);
	return request(cookie, false);
}

static void
setup(void)
{
	struct req	*r;

	fixture_accounts_open(&fdb);
	nreqs = 0;
	r = request(NULL, false);
	alice = fixture_user(r, "alice", NULL);
}

static void
teardown(void)
{
	db_fault_set(0, 0);
	for (size_t i = 0; i < nreqs; i++) {
		render_reset(&reqs[i]);
		req_free(&reqs[i]);
	}
	nreqs = 0;
	fixture_db_close(&fdb);
}

static struct user *
user(struct req *r, long long id)
{
	struct user	*u = auth_user_by_id(r, id);

	ck_assert_ptr_nonnull(u);
	return u;
}

/* Log user id in on a new request; the session cookie's value. */
static const char *
login(long long id, bool remember, bool mfa_pending)
{
	struct req	*r = request(NULL, false);
	const char	*c;

	ck_assert_int_eq(session_start(r, user(r, id), remember, mfa_pending),
	    0);
	ck_assert(!req_failed(r));
	ck_assert_ptr_nonnull(c = fixture_set_cookie(r, SESSION_COOKIE, NULL));
	return c;
}

/* Rows whose id_hash is the SHA-256 of cookie c. */
static int
rows_for(const char *c)
{
	unsigned char	 h[32];
	sqlite3_stmt	*st;
	int		 n = -1;

	crypto_hash_sha256(h, (const unsigned char *)c, strlen(c));
	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(),
	    "SELECT count(*) FROM sessions WHERE id_hash = ?1", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_blob(st, 1, h, 32, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Make the session of cookie c expire a second ago. */
static void
expire(const char *c)
{
	unsigned char	 h[32];
	sqlite3_stmt	*st;

	crypto_hash_sha256(h, (const unsigned char *)c, strlen(c));
	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(),
	    "UPDATE sessions SET expires_at = ?2 WHERE id_hash = ?1", -1, &st,
	    NULL), SQLITE_OK);
	sqlite3_bind_blob(st, 1, h, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL) - 1);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	ck_assert_int_eq(sqlite3_changes(db_handle()), 1);
}

static long long
sessions(void)
{
	return fixture_sql("SELECT count(*) FROM sessions", 0);
}

/* Does cookie c load a session (and which user) in a new request? */
static struct req *
load(const char *c)
{
	struct req	*r = with_session(c);

	session_load(r);
	ck_assert(!req_failed(r));
	return r;
}

static const char *
hdf_value(struct req *r, const char *name)
{
	return r->hdf != NULL ? hdf_get_value((HDF *)r->hdf, name, NULL) :
	    NULL;
}

/* Is the cookie name deleted by r's response (empty, Max-Age=0)? */
static bool
clears(struct req *r, const char *name)
{
	const char	*h, *v = fixture_set_cookie(r, name, &h);

	return v != NULL && *v == '\0' && fixture_has(h, "; Max-Age=0");
}

/* ---- starting and loading ------------------------------------------ */

START_TEST(test_session_start_sets_httponly_lax_browser_cookie)
{
	struct req	*r = request(NULL, false);
	const char	*h, *c;

	ck_assert_int_eq(session_start(r, user(r, alice), false, false), 0);
	ck_assert_ptr_nonnull(c = fixture_set_cookie(r, SESSION_COOKIE, &h));
	ck_assert_int_eq(strlen(c), 43);
	ck_assert_uint_eq(strspn(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_"), 43);
	ck_assert_msg(fixture_has(h, "; HttpOnly"), "%s", h);
	ck_assert_msg(fixture_has(h, "; SameSite=Lax"), "%s", h);
	ck_assert_msg(fixture_has(h, "; Path=/"), "%s", h);
	ck_assert_msg(!fixture_has(h, "Max-Age"), "%s", h);
	ck_assert_msg(!fixture_has(h, "Secure"), "%s", h);
	ck_assert_int_eq(fixture_count_set_cookie(r, SESSION_COOKIE), 1);
	ck_assert_int_eq(r->user->id, alice);
	ck_assert_ptr_nonnull(r->session);
}
END_TEST

START_TEST(test_session_start_remember_sets_max_age)
{
	struct req	*r = request(NULL, false);
	const char	*h;

	ck_assert_int_eq(session_start(r, user(r, alice), true, false), 0);
	fixture_set_cookie(r, SESSION_COOKIE, &h);
	ck_assert_msg(fixture_has(h, "; Max-Age=1209600"), "%s", h);
	ck_assert_msg(fixture_has(h, "; HttpOnly"), "%s", h);
	ck_assert_int_eq(fixture_sql("SELECT expires_at - created_at"
	    " FROM sessions", 0), 14 * 86400);
	ck_assert_int_eq(fixture_sql("SELECT remember FROM sessions", 0), 1);
}
END_TEST

START_TEST(test_session_start_browser_session_ends_server_side)
{
	struct req	*r = request(NULL, false);

	ck_assert_int_eq(session_start(r, user(r, alice), false, false), 0);
	ck_assert_int_eq(fixture_sql("SELECT expires_at - created_at"
	    " FROM sessions", 0), 12 * 3600);
}
END_TEST

START_TEST(test_session_start_secure_only_over_https)
{
	struct req	*r = request(NULL, true);
	const char	*h;

	ck_assert_int_eq(session_start(r, user(r, alice), true, false), 0);
	fixture_set_cookie(r, SESSION_COOKIE, &h);
	ck_assert_msg(fixture_has(h, "; Secure"), "%s", h);
	r = request(NULL, false);
	ck_assert_int_eq(session_start(r, user(r, alice), true, false), 0);
	fixture_set_cookie(r, SESSION_COOKIE, &h);
	ck_assert_msg(!fixture_has(h, "Secure"), "%s", h);
}
END_TEST

START_TEST(test_session_start_stores_sha256_not_cookie)
{
	const char	*c = login(alice, false, false);
	unsigned char	 h[32];
	sqlite3_stmt	*st;

	crypto_hash_sha256(h, (const unsigned char *)c, strlen(c));
	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(),
	    "SELECT id_hash, csrf_secret, user_id, ip, user_agent"
	    "  FROM sessions", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_bytes(st, 0), 32);
	ck_assert_int_eq(memcmp(sqlite3_column_blob(st, 0), h, 32), 0);
	ck_assert_str_ne((const char *)sqlite3_column_text(st, 1), c);
	ck_assert_int_eq(sqlite3_column_int64(st, 2), alice);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 3), "192.0.2.1");
	ck_assert(fixture_has((const char *)sqlite3_column_text(st, 4),
	    "Firefox"));
	ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	/* The cookie's text is nowhere in the table. */
	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(),
	    "SELECT count(*) FROM sessions WHERE instr(CAST(id_hash AS TEXT)"
	    " || csrf_secret || user_agent || ip, ?1) > 0", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, c, -1, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), 0);
	sqlite3_finalize(st);
	ck_assert_int_eq(rows_for(c), 1);
}
END_TEST

START_TEST(test_session_start_without_remote_addr_still_starts)
{
	struct req	*r;

	/* REMOTE_ADDR is a FastCGI parameter that may be missing (a bare
	 * unix socket): a login must not fail on that. */
	ck_assert_uint_lt(nreqs, NELEM(reqs));
	r = &reqs[nreqs++];
	req_init(r, &fixture_wide_limits);
	ck_assert_int_eq(fixture_request(r, "GET", "/", NULL,
	    "REMOTE_ADDR", NULL, (char *)NULL), 0);
	ck_assert_int_eq(session_start(r, user(r, alice), false, false), 0);
	ck_assert(!req_failed(r));
	ck_assert_int_eq(sessions(), 1);
	ck_assert_int_eq(fixture_sql("SELECT ip = '-' FROM sessions", 0), 1);
}
END_TEST

START_TEST(test_session_load_with_cookie_sets_user)
{
	const char	*c = login(alice, false, false);
	struct req	*r = load(c);

	ck_assert_ptr_nonnull(r->session);
	ck_assert_ptr_nonnull(r->user);
	ck_assert_int_eq(r->user->id, alice);
	ck_assert_str_eq(r->user->username, "alice");
	ck_assert(!r->session->mfa_pending);
	ck_assert_int_eq(fixture_count_set_cookie(r, SESSION_COOKIE), 0);
}
END_TEST

START_TEST(test_session_load_without_cookie_makes_no_query)
{
	struct req	*r = request("other=1", false);

	db_fault_set(1, SQLITE_IOERR);		/* any query fails r */
	session_load(r);
	ck_assert(!req_failed(r));
	ck_assert_ptr_null(r->session);
	ck_assert_ptr_null(r->user);
	ck_assert_int_eq(fixture_count_set_cookie(r, SESSION_COOKIE), 0);
}
END_TEST

START_TEST(test_session_load_wrong_length_cookie_cleared_without_query)
{
	static const char *const bad[] = {
		"", "abc",
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",	/* 42 */
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",	/* 44 */
	};

	for (size_t i = 0; i < NELEM(bad); i++) {
		struct req	*r = with_session(bad[i]);

		db_fault_set(1, SQLITE_IOERR);
		session_load(r);
		ck_assert_msg(!req_failed(r), "queried for \"%s\"", bad[i]);
		ck_assert_ptr_null(r->session);
		ck_assert_msg(clears(r, SESSION_COOKIE), "kept \"%s\"", bad[i]);
	}
}
END_TEST

START_TEST(test_session_load_unknown_cookie_is_cleared)
{
	struct req	*r;

	login(alice, false, false);
	r = load("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	ck_assert_ptr_null(r->session);
	ck_assert_ptr_null(r->user);
	ck_assert(clears(r, SESSION_COOKIE));
}
END_TEST

START_TEST(test_session_load_refreshes_last_seen_at_most_each_minute)
{
	const char	*c = login(alice, false, false);
	long long	 now = (long long)time(NULL);

	fixture_sql("UPDATE sessions SET last_seen = ?1", 1, now - 10);
	load(c);
	ck_assert_int_eq(fixture_sql("SELECT last_seen FROM sessions", 0),
	    now - 10);
	fixture_sql("UPDATE sessions SET last_seen = ?1", 1, now - 120);
	load(c);
	ck_assert_int_ge(fixture_sql("SELECT last_seen FROM sessions", 0), now);
}
END_TEST

/* ---- fixation, two factors, logout --------------------------------- */

START_TEST(test_session_start_twice_replaces_row)
{
	struct req	*r = request(NULL, false);
	const char	*c1, *c2, *secret1;

	ck_assert_int_eq(session_start(r, user(r, alice), false, false), 0);
	c1 = fixture_set_cookie(r, SESSION_COOKIE, NULL);
	secret1 = r->session->csrf_secret;
	ck_assert_int_eq(session_start(r, user(r, alice), false, false), 0);
	c2 = fixture_set_cookie(r, SESSION_COOKIE, NULL);
	ck_assert_str_ne(c1, c2);
	ck_assert_str_ne(secret1, r->session->csrf_secret);
	ck_assert_int_eq(sessions(), 1);
	ck_assert_int_eq(rows_for(c1), 0);
	ck_assert_int_eq(rows_for(c2), 1);
	ck_assert_ptr_null(load(c1)->user);
	ck_assert_ptr_nonnull(load(c2)->user);
}
END_TEST

START_TEST(test_session_start_on_loaded_session_replaces_it)
{
	const char	*c1 = login(alice, false, false);
	struct req	*r = load(c1);
	const char	*c2;

	ck_assert_ptr_nonnull(r->session);
	ck_assert_int_eq(session_start(r, r->user, true, false), 0);
	c2 = fixture_set_cookie(r, SESSION_COOKIE, NULL);
	ck_assert_str_ne(c1, c2);
	ck_assert_int_eq(sessions(), 1);
	ck_assert_ptr_null(load(c1)->session);
	ck_assert_ptr_nonnull(load(c2)->user);
}
END_TEST

START_TEST(test_session_mfa_pending_loads_session_not_user)
{
	struct req	*r = request(NULL, false);
	const char	*c, *h;

	ck_assert_int_eq(session_start(r, user(r, alice), true, true), 0);
	ck_assert_ptr_null(r->user);
	c = fixture_set_cookie(r, SESSION_COOKIE, &h);
	ck_assert_msg(!fixture_has(h, "Max-Age"), "%s", h);
	ck_assert_int_eq(fixture_sql("SELECT expires_at - created_at"
	    " FROM sessions", 0), 600);
	r = load(c);
	ck_assert_ptr_nonnull(r->session);
	ck_assert(r->session->mfa_pending);
	ck_assert_int_eq(r->session->user_id, alice);
	ck_assert_ptr_null(r->user);
}
END_TEST

START_TEST(test_session_upgrade_issues_new_id_and_sets_user)
{
	const char	*pending = login(alice, true, true);
	struct req	*r = load(pending);
	const char	*c, *h;

	ck_assert_int_eq(session_upgrade(r), 0);
	ck_assert_ptr_nonnull(r->user);
	ck_assert_int_eq(r->user->id, alice);
	ck_assert(!r->session->mfa_pending);
	c = fixture_set_cookie(r, SESSION_COOKIE, &h);
	ck_assert_str_ne(c, pending);
	ck_assert_msg(fixture_has(h, "Max-Age=1209600"), "%s", h);
	ck_assert_int_eq(sessions(), 1);
	ck_assert_ptr_null(load(pending)->session);
	r = load(c);
	ck_assert_ptr_nonnull(r->user);
	ck_assert_int_eq(r->user->id, alice);
	ck_assert_int_eq(fixture_sql("SELECT mfa_pending FROM sessions", 0), 0);
}
END_TEST

START_TEST(test_session_upgrade_refuses_user_deactivated_meanwhile)
{
	const char	*pending = login(alice, false, true);
	struct req	*r = load(pending);

	/* An inactive user cannot log in (auth.h): not with a code either. */
	fixture_sql("UPDATE users SET is_active = 0 WHERE id = ?1", 1, alice);
	ck_assert_int_eq(session_upgrade(r), -1);
	ck_assert_ptr_null(r->user);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM sessions"
	    " WHERE mfa_pending = 0", 0), 0);
}
END_TEST

START_TEST(test_session_upgrade_without_session_fails)
{
	struct req	*r = request(NULL, false);

	ck_assert_int_eq(session_upgrade(r), -1);
	ck_assert_ptr_null(r->user);
	ck_assert_int_eq(sessions(), 0);
}
END_TEST

START_TEST(test_session_end_deletes_row_and_clears_cookie)
{
	const char	*c = login(alice, true, false);
	struct req	*r = load(c);

	ck_assert_int_eq(session_end(r), 0);
	ck_assert_ptr_null(r->session);
	ck_assert_ptr_null(r->user);
	ck_assert(clears(r, SESSION_COOKIE));
	ck_assert_int_eq(sessions(), 0);
	ck_assert_ptr_null(load(c)->session);
}
END_TEST

START_TEST(test_session_end_others_keeps_current)
{
	long long	 bob;
	const char	*c1, *c2, *c3, *cb;
	struct req	*r = request(NULL, false);

	bob = fixture_user(r, "bob", NULL);
	c1 = login(alice, false, false);
	c2 = login(alice, true, false);
	c3 = login(alice, false, false);
	cb = login(bob, false, false);
	r = load(c2);
	ck_assert_int_eq(session_end_others(r, alice), 2);
	ck_assert_ptr_null(load(c1)->session);
	ck_assert_ptr_null(load(c3)->session);
	ck_assert_ptr_nonnull(load(c2)->user);
	ck_assert_ptr_nonnull(load(cb)->user);
	ck_assert_int_eq(sessions(), 2);
}
END_TEST

START_TEST(test_session_expired_does_not_load_and_is_cleared)
{
	const char	*c = login(alice, true, false);
	struct req	*r;

	expire(c);
	r = load(c);
	ck_assert_ptr_null(r->session);
	ck_assert_ptr_null(r->user);
	ck_assert(clears(r, SESSION_COOKIE));
}
END_TEST

START_TEST(test_session_inactive_user_does_not_load)
{
	const char	*c = login(alice, false, false);
	struct req	*r;

	fixture_sql("UPDATE users SET is_active = 0 WHERE id = ?1", 1, alice);
	r = load(c);
	ck_assert_ptr_null(r->session);
	ck_assert_ptr_null(r->user);
	ck_assert(clears(r, SESSION_COOKIE));
}
END_TEST

START_TEST(test_session_clear_expired_counts)
{
	struct req	*r = request(NULL, false);
	const char	*c1 = login(alice, false, false);
	const char	*c2 = login(alice, true, false);
	const char	*c3 = login(alice, false, false);

	expire(c1);
	expire(c2);
	ck_assert_int_eq(session_clear_expired(r), 2);
	ck_assert_int_eq(sessions(), 1);
	ck_assert_int_eq(rows_for(c3), 1);
	ck_assert_int_eq(session_clear_expired(r), 0);
	ck_assert_ptr_nonnull(load(c3)->user);
}
END_TEST

/* ---- flash messages ------------------------------------------------- */

START_TEST(test_session_flash_shows_once_in_next_request)
{
	struct req	*r = request(NULL, false);
	const char	*v, *h;

	session_flash(r, FLASH_LOGGED_IN);
	ck_assert_ptr_nonnull(v = fixture_set_cookie(r, FLASH, &h));
	ck_assert_str_eq(v, "in");
	ck_assert_msg(fixture_has(h, "; HttpOnly"), "%s", h);
	r = request(arena_printf(r->arena, FLASH "=%s", v), false);
	session_export(r);
	ck_assert_str_eq(hdf_value(r, "Flash.0.text"), "You are now logged in.");
	ck_assert_str_eq(hdf_value(r, "Flash.0.kind"), "success");
	ck_assert_ptr_null(hdf_value(r, "Flash.1.text"));
	ck_assert(clears(r, FLASH));
	ck_assert_int_eq(fixture_count_set_cookie(r, FLASH), 1);
	ck_assert(r->private_page);
}
END_TEST

START_TEST(test_session_flash_two_in_one_request_queue)
{
	struct req	*r = request(NULL, false);
	const char	*v;

	session_flash(r, FLASH_LOGGED_IN);
	session_flash(r, FLASH_PASSWORD_CHANGED);
	ck_assert_int_eq(fixture_count_set_cookie(r, FLASH), 1);
	ck_assert_str_eq(v = fixture_set_cookie(r, FLASH, NULL), "in.pw");
	r = request(arena_printf(r->arena, FLASH "=%s", v), false);
	session_export(r);
	ck_assert_str_eq(hdf_value(r, "Flash.0.text"), "You are now logged in.");
	ck_assert_str_eq(hdf_value(r, "Flash.1.text"),
	    "Your password was changed.");
	ck_assert_str_eq(hdf_value(r, "Flash.1.kind"), "success");
}
END_TEST

START_TEST(test_session_flash_queues_after_waiting_cookie)
{
	struct req	*r = request(FLASH "=out", false);

	session_flash(r, FLASH_LOGGED_IN);
	ck_assert_str_eq(fixture_set_cookie(r, FLASH, NULL), "out.in");
}
END_TEST

START_TEST(test_session_export_ignores_unknown_flash_codes)
{
	struct req	*r = request(FLASH "=in.<script>.xx", false);

	session_export(r);
	ck_assert_str_eq(hdf_value(r, "Flash.0.text"), "You are now logged in.");
	ck_assert_ptr_null(hdf_value(r, "Flash.1.text"));
	ck_assert_ptr_null(hdf_value(r, "Flash.1.kind"));
	ck_assert(clears(r, FLASH));
}
END_TEST

START_TEST(test_session_flash_requeues_only_known_codes)
{
	struct req	*r = request(FLASH "=in.<script>.xx", false);
	const char	*v;

	/* http_set_cookie takes cookie-safe tokens only, and the flash
	 * cookie holds codes of the fixed table: the client's text must not
	 * come back in a Set-Cookie. */
	session_flash(r, FLASH_PASSWORD_CHANGED);
	v = fixture_set_cookie(r, FLASH, NULL);
	ck_assert_ptr_nonnull(v);
	ck_assert_msg(strcmp(v, "in.pw") == 0, "Set-Cookie " FLASH "=%s", v);
}
END_TEST

/* ---- export --------------------------------------------------------- */

START_TEST(test_session_export_sets_user_and_csrf_for_logged_in)
{
	const char	*c = login(alice, false, false);
	struct req	*r = load(c);

	session_export(r);
	ck_assert_str_eq(hdf_value(r, "User.is_authenticated"), "1");
	ck_assert_str_eq(hdf_value(r, "User.username"), "alice");
	ck_assert_str_eq(hdf_value(r, "User.display_name"), "alice Test");
	ck_assert_ptr_null(hdf_value(r, "User.is_staff"));
	ck_assert_str_eq(hdf_value(r, "CSRF.token"), r->session->csrf_secret);
	ck_assert_int_eq(strlen(hdf_value(r, "CSRF.token")), 43);
	ck_assert(r->private_page);
	/* The session's secret serves: no CSRF cookie for a logged-in user. */
	ck_assert_int_eq(fixture_count_set_cookie(r, "gazette_csrf"), 0);
}
END_TEST

START_TEST(test_session_export_marks_staff)
{
	const char	*c;
	struct req	*r;

	fixture_sql("UPDATE users SET is_staff = 1 WHERE id = ?1", 1, alice);
	c = login(alice, false, false);
	r = load(c);
	session_export(r);
	ck_assert_str_eq(hdf_value(r, "User.is_staff"), "1");
}
END_TEST

START_TEST(test_session_export_anonymous_sets_no_user_and_no_cookie)
{
	struct req	*r = request(NULL, false);

	session_load(r);
	session_export(r);
	ck_assert_ptr_null(hdf_value(r, "User.is_authenticated"));
	ck_assert_ptr_null(hdf_value(r, "CSRF.token"));
	ck_assert_uint_eq(r->nresp, 0);		/* public pages stay cookie-free */
	ck_assert(!r->private_page);
}
END_TEST

START_TEST(test_session_export_list_marks_current)
{
	const char	*c;
	struct req	*r;

	login(alice, false, false);
	c = login(alice, false, false);
	login(alice, false, true);		/* pending: not listed */
	r = load(c);
	ck_assert_int_eq(session_export_list(r, alice), 0);
	ck_assert_ptr_nonnull(hdf_value(r, "Sessions.0.device"));
	ck_assert_ptr_nonnull(hdf_value(r, "Sessions.1.device"));
	ck_assert_ptr_null(hdf_value(r, "Sessions.2.device"));
	ck_assert_str_eq(hdf_value(r, "Sessions.0.device"), "Firefox on Linux");
	ck_assert_str_eq(hdf_value(r, "Sessions.others"), "1");
	ck_assert((hdf_value(r, "Sessions.0.is_current") != NULL) !=
	    (hdf_value(r, "Sessions.1.is_current") != NULL));
}
END_TEST

Suite *
session_suite(void)
{
	Suite	*s = suite_create("session");
	TCase	*tc;

	tc = tcase_create("start_load");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_session_start_sets_httponly_lax_browser_cookie);
	tcase_add_test(tc, test_session_start_remember_sets_max_age);
	tcase_add_test(tc, test_session_start_browser_session_ends_server_side);
	tcase_add_test(tc, test_session_start_secure_only_over_https);
	tcase_add_test(tc, test_session_start_stores_sha256_not_cookie);
	tcase_add_test(tc, test_session_start_without_remote_addr_still_starts);
	tcase_add_test(tc, test_session_load_with_cookie_sets_user);
	tcase_add_test(tc, test_session_load_without_cookie_makes_no_query);
	tcase_add_test(tc,
	    test_session_load_wrong_length_cookie_cleared_without_query);
	tcase_add_test(tc, test_session_load_unknown_cookie_is_cleared);
	tcase_add_test(tc,
	    test_session_load_refreshes_last_seen_at_most_each_minute);
	suite_add_tcase(s, tc);

	tc = tcase_create("lifecycle");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_session_start_twice_replaces_row);
	tcase_add_test(tc, test_session_start_on_loaded_session_replaces_it);
	tcase_add_test(tc, test_session_mfa_pending_loads_session_not_user);
	tcase_add_test(tc, test_session_upgrade_issues_new_id_and_sets_user);
	tcase_add_test(tc,
	    test_session_upgrade_refuses_user_deactivated_meanwhile);
	tcase_add_test(tc, test_session_upgrade_without_session_fails);
	tcase_add_test(tc, test_session_end_deletes_row_and_clears_cookie);
	tcase_add_test(tc, test_session_end_others_keeps_current);
	tcase_add_test(tc, test_session_expired_does_not_load_and_is_cleared);
	tcase_add_test(tc, test_session_inactive_user_does_not_load);
	tcase_add_test(tc, test_session_clear_expired_counts);
	suite_add_tcase(s, tc);

	tc = tcase_create("flash_export");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_session_flash_shows_once_in_next_request);
	tcase_add_test(tc, test_session_flash_two_in_one_request_queue);
	tcase_add_test(tc, test_session_flash_queues_after_waiting_cookie);
	tcase_add_test(tc, test_session_export_ignores_unknown_flash_codes);
	tcase_add_test(tc, test_session_flash_requeues_only_known_codes);
	tcase_add_test(tc, test_session_export_sets_user_and_csrf_for_logged_in);
	tcase_add_test(tc, test_session_export_marks_staff);
	tcase_add_test(tc,
	    test_session_export_anonymous_sets_no_user_and_no_cookie);
	tcase_add_test(tc, test_session_export_list_marks_current);
	suite_add_tcase(s, tc);
	return s;
}
