/*
 * test_metrics: app/core/metrics.c, the hourly counters every worker
 * shares: rollover across hours on an injected clock, and increments
 * from many processes at once.
 */
#include <sys/wait.h>
#include <unistd.h>

#include "core/metrics.h"
#include "fixture.h"

Suite	*metrics_suite(void);

static int64_t	 fake_now;

static int64_t
fake_clock(void)
{
	return fake_now;
}

static void
setup(void)
{
	ck_assert_int_eq(metrics_init(), 0);
	metrics_clear();
	fake_now = 1800000000;		/* 2027-01-15 08:00:00 UTC */
	metrics_clock_set(fake_clock);
}

static void
teardown(void)
{
	metrics_clear();
	metrics_clock_set(NULL);
}

START_TEST(test_metrics_init_is_idempotent)
{
	metrics_record(200, 10);
	ck_assert_int_eq(metrics_init(), 0);	/* a reload keeps counts */
	{
		struct metrics_hour	 h[1];

		ck_assert_uint_eq(metrics_hourly(h, 1), 1);
		ck_assert_uint_eq(h[0].requests, 1);
	}
}
END_TEST

START_TEST(test_metrics_counts_by_status_class)
{
	struct metrics_hour	 h[2];

	metrics_record(200, 100);
	metrics_record(304, 100);
	metrics_record(404, 100);
	metrics_record(403, 100);
	metrics_record(500, 100);
	metrics_record(503, -5);		/* a negative duration adds 0 */
	ck_assert_uint_eq(metrics_hourly(h, 2), 2);
	ck_assert_int_eq(h[1].start, 1800000000);
	ck_assert_int_eq(h[0].start, 1800000000 - 3600);
	ck_assert_uint_eq(h[1].requests, 6);
	ck_assert_uint_eq(h[1].errors, 2);
	ck_assert_uint_eq(h[1].client_errors, 2);
	ck_assert_uint_eq(h[1].duration_us, 500);
	ck_assert_uint_eq(h[0].requests, 0);
}
END_TEST

START_TEST(test_metrics_rolls_over_to_the_next_hour)
{
	struct metrics_hour	 h[3];

	fake_now = 1800000000 + 3599;		/* the hour's last second */
	metrics_record(200, 1);
	metrics_record(500, 1);
	fake_now += 1;				/* next hour */
	metrics_record(200, 1);
	ck_assert_uint_eq(metrics_hourly(h, 3), 3);
	ck_assert_int_eq(h[0].start, 1800000000 - 3600);
	ck_assert_uint_eq(h[0].requests, 0);
	ck_assert_int_eq(h[1].start, 1800000000);
	ck_assert_uint_eq(h[1].requests, 2);
	ck_assert_uint_eq(h[1].errors, 1);
	ck_assert_int_eq(h[2].start, 1800000000 + 3600);
	ck_assert_uint_eq(h[2].requests, 1);
	ck_assert_uint_eq(h[2].errors, 0);
}
END_TEST

START_TEST(test_metrics_reuses_a_slot_after_the_ring_wraps)
{
	struct metrics_hour	 h[METRICS_HOURS];

	metrics_record(500, 1);
	metrics_record(200, 1);
	/* The same ring slot, METRICS_HOURS later: starts at 0 again. */
	fake_now += (int64_t)METRICS_HOURS * 3600;
	metrics_record(200, 1);
	ck_assert_uint_eq(metrics_hourly(h, METRICS_HOURS), METRICS_HOURS);
	ck_assert_uint_eq(h[METRICS_HOURS - 1].requests, 1);
	ck_assert_uint_eq(h[METRICS_HOURS - 1].errors, 0);
	for (size_t i = 0; i + 1 < METRICS_HOURS; i++)
		ck_assert_uint_eq(h[i].requests, 0);
	/* And an hour that passed with no traffic reads 0, not old counts. */
	fake_now += 3600 * 5;
	ck_assert_uint_eq(metrics_hourly(h, 6), 6);
	ck_assert_uint_eq(h[0].requests, 1);
	for (size_t i = 1; i < 6; i++)
		ck_assert_uint_eq(h[i].requests, 0);
}
END_TEST

START_TEST(test_metrics_hourly_caps_n)
{
	struct metrics_hour	 h[METRICS_HOURS + 10];

	ck_assert_uint_eq(metrics_hourly(h, METRICS_HOURS + 10),
	    METRICS_HOURS);
	ck_assert_uint_eq(metrics_hourly(h, 0), 0);
}
END_TEST

#define CHILDREN	8
#define PER_CHILD	20000

START_TEST(test_metrics_counts_from_concurrent_processes)
{
	struct metrics_hour	 h[2];
	pid_t			 pid[CHILDREN];

	for (int i = 0; i < CHILDREN; i++) {
		ck_assert_int_ge(pid[i] = fork(), 0);
		if (pid[i] == 0) {
			/* Half the children cross into the next hour halfway. */
			for (int k = 0; k < PER_CHILD; k++) {
				if (i % 2 == 1 && k == PER_CHILD / 2)
					fake_now += 3600;
				metrics_record(k % 10 == 0 ? 500 : 200, 3);
			}
			_exit(0);
		}
	}
	for (int i = 0; i < CHILDREN; i++) {
		int	 st;

		ck_assert_int_eq(waitpid(pid[i], &st, 0), pid[i]);
		ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	fake_now += 3600;
	ck_assert_uint_eq(metrics_hourly(h, 2), 2);
	ck_assert_uint_eq(h[0].requests + h[1].requests,
	    (uint64_t)CHILDREN * PER_CHILD);
	ck_assert_uint_eq(h[1].requests, CHILDREN / 2 * PER_CHILD / 2);
	ck_assert_uint_eq(h[0].errors + h[1].errors,
	    (uint64_t)CHILDREN * PER_CHILD / 10);
	ck_assert_uint_eq(h[0].duration_us + h[1].duration_us,
	    (uint64_t)CHILDREN * PER_CHILD * 3);
}
END_TEST

Suite *
metrics_suite(void)
{
	Suite	*s = suite_create("metrics");
	TCase	*tc = tcase_create("metrics");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_metrics_init_is_idempotent);
	tcase_add_test(tc, test_metrics_counts_by_status_class);
	tcase_add_test(tc, test_metrics_rolls_over_to_the_next_hour);
	tcase_add_test(tc, test_metrics_reuses_a_slot_after_the_ring_wraps);
	tcase_add_test(tc, test_metrics_hourly_caps_n);
	tcase_add_test(tc, test_metrics_counts_from_concurrent_processes);
	suite_add_tcase(s, tc);
	return s;
}
