/*
 * test_ratelimit: app/core/ratelimit.c, the API's request counters in
 * shared memory: counts within a window, a new window starting over,
 * keys apart, increments from many processes at once, and the answer
 * when the table is not there.
 */
#include <sys/wait.h>
#include <unistd.h>

#include "core/ratelimit.h"
#include "fixture.h"

Suite	*ratelimit_suite(void);

static void
setup(void)
{
	ck_assert_int_eq(ratelimit_init(), 0);
}

static void
teardown(void)
{
	ratelimit_shutdown();
}

START_TEST(test_ratelimit_counts_within_a_window)
{
	ck_assert_int_eq(ratelimit_hit("api:token:1", 1800000000), 1);
	ck_assert_int_eq(ratelimit_hit("api:token:1", 1800000000), 2);
	ck_assert_int_eq(ratelimit_hit("api:token:1", 1800000000), 3);
}
END_TEST

START_TEST(test_ratelimit_starts_over_in_a_new_window)
{
	ck_assert_int_eq(ratelimit_hit("api:addr:192.0.2.1", 1800000000), 1);
	ck_assert_int_eq(ratelimit_hit("api:addr:192.0.2.1", 1800000000), 2);
	ck_assert_int_eq(ratelimit_hit("api:addr:192.0.2.1", 1800000060), 1);
}
END_TEST

START_TEST(test_ratelimit_keeps_keys_apart)
{
	int64_t	 a = 0, b = 0;

	for (int i = 0; i < 5; i++)
		a = ratelimit_hit("api:token:7", 1800000000);
	b = ratelimit_hit("api:token:8", 1800000000);
	ck_assert_int_eq(a, 5);
	/* 1, unless the two keys share a slot (1 in RATELIMIT_SLOTS). */
	ck_assert(b == 1 || b == 6);
}
END_TEST

START_TEST(test_ratelimit_counts_every_process)
{
	enum { PROCS = 6, HITS = 5000 };
	pid_t	 pid[PROCS];
	int	 st;

	for (int i = 0; i < PROCS; i++) {
		ck_assert_int_ge(pid[i] = fork(), 0);
		if (pid[i] == 0) {
			for (int k = 0; k < HITS; k++)
				ratelimit_hit("api:token:42", 1800000000);
			_exit(0);
		}
	}
	for (int i = 0; i < PROCS; i++) {
		ck_assert_int_eq(waitpid(pid[i], &st, 0), pid[i]);
		ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	ck_assert_int_eq(ratelimit_hit("api:token:42", 1800000000),
	    PROCS * HITS + 1);
}
END_TEST

START_TEST(test_ratelimit_without_a_table_says_so)
{
	ratelimit_shutdown();
	ck_assert(!ratelimit_ready());
	ck_assert_int_eq(ratelimit_hit("api:token:1", 1800000000), -1);
}
END_TEST

Suite *
ratelimit_suite(void)
{
	Suite	*s = suite_create("ratelimit");
	TCase	*tc = tcase_create("ratelimit");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_ratelimit_counts_within_a_window);
	tcase_add_test(tc, test_ratelimit_starts_over_in_a_new_window);
	tcase_add_test(tc, test_ratelimit_keeps_keys_apart);
	tcase_add_test(tc, test_ratelimit_counts_every_process);
	tcase_add_test(tc, test_ratelimit_without_a_table_says_so);
	suite_add_tcase(s, tc);
	return s;
}
