/*
 * metrics: request counters shared by every worker.  The master maps
 * them (shared, anonymous memory) before it forks, so all workers of
 * all generations add to the same counters with C11 atomics and no lock.
 * For now: a ring of the last METRICS_HOURS hourly buckets of requests,
 * 4xx and 5xx answers and their total duration, read by the admin's
 * dashboard.  (Issue 6 grows this into Prometheus metrics.)  Hours are
 * UTC, aligned on the hour.
 */
#ifndef GAZETTE_METRICS_H
#define GAZETTE_METRICS_H

#include <stddef.h>
#include <stdint.h>

#define METRICS_HOURS	48

struct metrics_hour {
	int64_t		 start;		/* Unix time the hour began */
	uint64_t	 requests;	/* every answer */
	uint64_t	 errors;	/* status >= 500 */
	uint64_t	 client_errors;	/* 400 <= status < 500 */
	uint64_t	 duration_us;	/* sum over the hour's requests */
};

/*
 * Map the shared counters; call in the master before forking.  A second
 * call (a reload) keeps the counters.  0, or -1 if mmap() failed (then
 * metrics_record() does nothing and the counters read as 0).
 */
int	 metrics_init(void);

/* Count one finished request with its status and duration: lock-free,
 * safe from any number of processes at once. */
void	 metrics_record(int status, int64_t duration_us);

/*
 * The last n hours (n is capped at METRICS_HOURS) into out, oldest first,
 * the current hour last; hours with no requests read as 0.  Returns how
 * many were written.
 */
size_t	 metrics_hourly(struct metrics_hour *out, size_t n);

#ifdef GAZETTE_TEST
/* Replace the clock (Unix seconds); NULL restores the real one. */
void	 metrics_clock_set(int64_t (*now)(void));
/* Zero every counter (tests that run without fork share the map). */
void	 metrics_clear(void);
#endif

#endif
