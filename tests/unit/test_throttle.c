/*
 * test_throttle: app/core/throttle.c on a fresh database: counting up to
 * the limit, blocking, the doubling of each further block (capped at a
 * day), a new window, clearing, independent keys, and the 429 answer.
 * Time never passes here: a window "passes" by moving window_start back
 * in the table.
 */
#include <ClearSilver.h>
#include <string.h>

#include "core/db.h"
#include "core/http.h"
#include "core/render.h"
#include "core/throttle.h"
#include "fixture.h"

Suite	*throttle_suite(void);

#define KEY	"login:user:alice"
#define LIMIT	3
#define WINDOW	60

static struct fixture_db	 fdb;
static struct req		 r;

static void
setup(void)
{
	fixture_db_open(&fdb);
	req_init(&r, &fixture_limits);
}

static void
teardown(void)
{
	render_reset(&r);
	req_free(&r);
	fixture_db_close(&fdb);
}

/* Hit key n times; the last hit's result. */
static int64_t
hits(const char *key, int n, long limit, long window)
{
	int64_t	 w = -1;

	for (int i = 0; i < n; i++)
		w = throttle_hit(&r, key, limit, window);
	return w;
}

/* Move KEY's window back by secs, as if that much time had passed. */
static void
age_window(long long secs)
{
	fixture_sql("UPDATE throttle SET window_start = window_start - ?1"
	    " WHERE key = 'login:user:alice'", 1, secs);
}

/* KEY's count in the table. */
static long long
count_of_key(void)
{
	return fixture_sql("SELECT count FROM throttle"
	    " WHERE key = 'login:user:alice'", 0);
}

START_TEST(test_throttle_below_limit_does_not_block)
{
	ck_assert_int_eq(hits(KEY, LIMIT - 1, LIMIT, WINDOW), 0);
	ck_assert_int_eq(throttle_wait(&r, KEY), 0);
	ck_assert_int_eq(count_of_key(), LIMIT - 1);
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_throttle_unknown_key_has_no_wait)
{
	ck_assert_int_eq(throttle_wait(&r, "login:user:nobody"), 0);
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_throttle_reaching_limit_blocks_for_the_window)
{
	int64_t	 w;

	ck_assert_int_eq(hits(KEY, LIMIT - 1, LIMIT, WINDOW), 0);
	ck_assert_int_eq(throttle_hit(&r, KEY, LIMIT, WINDOW), WINDOW);
	w = throttle_wait(&r, KEY);
	ck_assert_msg(w > 0 && w <= WINDOW, "wait %lld", (long long)w);
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_throttle_each_block_doubles_the_next)
{
	int64_t	 w;

	ck_assert_int_eq(hits(KEY, LIMIT, LIMIT, WINDOW), WINDOW);
	ck_assert_int_eq(hits(KEY, LIMIT, LIMIT, WINDOW), 2 * WINDOW);
	ck_assert_int_eq(hits(KEY, LIMIT, LIMIT, WINDOW), 4 * WINDOW);
	w = throttle_wait(&r, KEY);
	ck_assert_msg(w > 2 * WINDOW && w <= 4 * WINDOW, "wait %lld",
	    (long long)w);
	ck_assert_int_eq(fixture_sql("SELECT strikes FROM throttle"
	    " WHERE key = 'login:user:alice'", 0), 3);
}
END_TEST

START_TEST(test_throttle_block_is_capped_at_a_day)
{
	int64_t	 w;

	ck_assert_int_eq(hits(KEY, LIMIT, LIMIT, WINDOW), WINDOW);
	fixture_sql("UPDATE throttle SET strikes = 40"
	    " WHERE key = 'login:user:alice'", 0);
	ck_assert_int_eq(hits(KEY, LIMIT, LIMIT, WINDOW), 86400);
	w = throttle_wait(&r, KEY);
	ck_assert_msg(w > 86400 - 60 && w <= 86400, "wait %lld", (long long)w);
	/* A window longer than a day is capped too. */
	ck_assert_int_eq(hits("other", 1, 1, 200000), 86400);
}
END_TEST

START_TEST(test_throttle_passed_window_restarts_the_count)
{
	ck_assert_int_eq(hits(KEY, LIMIT - 1, LIMIT, WINDOW), 0);
	age_window(WINDOW + 1);
	ck_assert_int_eq(throttle_hit(&r, KEY, LIMIT, WINDOW), 0);
	ck_assert_int_eq(count_of_key(), 1);
	ck_assert_int_eq(hits(KEY, LIMIT - 2, LIMIT, WINDOW), 0);
	ck_assert_int_eq(throttle_wait(&r, KEY), 0);
	ck_assert_int_eq(throttle_hit(&r, KEY, LIMIT, WINDOW), WINDOW);
}
END_TEST

START_TEST(test_throttle_window_not_yet_passed_keeps_counting)
{
	ck_assert_int_eq(hits(KEY, LIMIT - 1, LIMIT, WINDOW), 0);
	age_window(WINDOW - 5);
	ck_assert_int_eq(throttle_hit(&r, KEY, LIMIT, WINDOW), WINDOW);
}
END_TEST

START_TEST(test_throttle_clear_forgets_count_and_strikes)
{
	ck_assert_int_eq(hits(KEY, LIMIT, LIMIT, WINDOW), WINDOW);
	ck_assert_int_eq(throttle_clear(&r, KEY), 0);
	ck_assert_int_eq(throttle_wait(&r, KEY), 0);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM throttle", 0), 0);
	ck_assert_int_eq(hits(KEY, LIMIT - 1, LIMIT, WINDOW), 0);
	/* The next block is a first block again, not a doubled one. */
	ck_assert_int_eq(throttle_hit(&r, KEY, LIMIT, WINDOW), WINDOW);
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_throttle_keys_are_independent)
{
	ck_assert_int_eq(hits(KEY, LIMIT, LIMIT, WINDOW), WINDOW);
	ck_assert_int_eq(throttle_wait(&r, "login:user:bob"), 0);
	ck_assert_int_eq(hits("login:user:bob", LIMIT - 1, LIMIT, WINDOW), 0);
	ck_assert_int_eq(throttle_wait(&r, "login:user:bob"), 0);
	ck_assert_int_eq(throttle_clear(&r, "login:user:bob"), 0);
	ck_assert_int_gt(throttle_wait(&r, KEY), 0);
}
END_TEST

START_TEST(test_throttle_refuse_sets_retry_after_and_returns_429)
{
	HDF	*h;

	ck_assert_int_eq(throttle_refuse(&r, 120), 429);
	ck_assert_str_eq(http_get_header(&r, "Retry-After"), "120");
	h = (HDF *)r.hdf;
	ck_assert_ptr_nonnull(h);
	ck_assert_str_eq(hdf_get_value(h, "Error.retry_after_text", ""),
	    "Try again in 2 minutes.");
}
END_TEST

START_TEST(test_throttle_refuse_under_a_minute_says_a_minute)
{
	ck_assert_int_eq(throttle_refuse(&r, 30), 429);
	ck_assert_str_eq(http_get_header(&r, "Retry-After"), "30");
	ck_assert_str_eq(hdf_get_value((HDF *)r.hdf,
	    "Error.retry_after_text", ""), "Try again in a minute.");
}
END_TEST

Suite *
throttle_suite(void)
{
	Suite	*s = suite_create("throttle");
	TCase	*tc = tcase_create("throttle");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_throttle_below_limit_does_not_block);
	tcase_add_test(tc, test_throttle_unknown_key_has_no_wait);
	tcase_add_test(tc, test_throttle_reaching_limit_blocks_for_the_window);
	tcase_add_test(tc, test_throttle_each_block_doubles_the_next);
	tcase_add_test(tc, test_throttle_block_is_capped_at_a_day);
	tcase_add_test(tc, test_throttle_passed_window_restarts_the_count);
	tcase_add_test(tc, test_throttle_window_not_yet_passed_keeps_counting);
	tcase_add_test(tc, test_throttle_clear_forgets_count_and_strikes);
	tcase_add_test(tc, test_throttle_keys_are_independent);
	tcase_add_test(tc,
	    test_throttle_refuse_sets_retry_after_and_returns_429);
	tcase_add_test(tc, test_throttle_refuse_under_a_minute_says_a_minute);
	suite_add_tcase(s, tc);
	return s;
}
