/*
 * metrics: hourly request counters in memory shared by the master and
 * every worker.  Each counter is one 64-bit word: the hour it belongs to
 * in the top 24 bits, the count in the low 40.  An update is one
 * compare-and-swap that either adds to the current hour or, when the
 * word still holds an older hour of the same ring slot, starts it over
 * at the new hour.  So rollover needs no lock and no "who clears the
 * bucket" race: a word of a past hour simply reads as 0.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "log.h"
#include "metrics.h"

#define COUNT_BITS	40
#define COUNT_MAX	((UINT64_C(1) << COUNT_BITS) - 1)
#define TAG_MASK	((UINT64_C(1) << (64 - COUNT_BITS)) - 1)

enum counter {
	C_REQUESTS,
	C_ERRORS,
	C_CLIENT_ERRORS,
	C_DURATION,
	C__MAX
};

struct slot {
	_Atomic uint64_t	 c[C__MAX];
};

static struct slot	*ring;		/* METRICS_HOURS slots, shared */

static int64_t
real_now(void)
{
	return (int64_t)time(NULL);
}

static int64_t	(*clock_now)(void) = real_now;

int
metrics_init(void)
{
	void	*p;

	if (ring != NULL)
		return 0;
	p = mmap(NULL, sizeof(struct slot) * METRICS_HOURS,
	    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		log_msg(LOG_ERROR, "msg=\"metrics: mmap failed; counting "
		    "nothing\"");
		return -1;
	}
	ring = p;		/* zero-filled by the kernel */
	return 0;
}

/* Add n to the word w for hour tag; the count saturates at COUNT_MAX. */
static void
add(_Atomic uint64_t *w, uint64_t tag, uint64_t n)
{
	uint64_t	 old, count, next;

	old = atomic_load_explicit(w, memory_order_relaxed);
	do {
		count = (old >> COUNT_BITS) == tag ? old & COUNT_MAX : 0;
		count = n > COUNT_MAX - count ? COUNT_MAX : count + n;
		next = (tag << COUNT_BITS) | count;
	} while (!atomic_compare_exchange_weak_explicit(w, &old, next,
	    memory_order_relaxed, memory_order_relaxed));
}

static uint64_t
get(_Atomic uint64_t *w, uint64_t tag)
{
	uint64_t	 v = atomic_load_explicit(w, memory_order_relaxed);

	return (v >> COUNT_BITS) == tag ? v & COUNT_MAX : 0;
}

void
metrics_record(int status, int64_t duration_us)
{
	int64_t		 hour;
	uint64_t	 tag;
	struct slot	*s;

	if (ring == NULL)
		return;
	hour = clock_now() / 3600;
	tag = (uint64_t)hour & TAG_MASK;
	s = &ring[hour % METRICS_HOURS];
	add(&s->c[C_REQUESTS], tag, 1);
	if (status >= 500)
		add(&s->c[C_ERRORS], tag, 1);
	else if (status >= 400)
		add(&s->c[C_CLIENT_ERRORS], tag, 1);
	if (duration_us > 0)
		add(&s->c[C_DURATION], tag, (uint64_t)duration_us);
}

size_t
metrics_hourly(struct metrics_hour *out, size_t n)
{
	int64_t	 now_hour = clock_now() / 3600;

	if (n > METRICS_HOURS)
		n = METRICS_HOURS;
	for (size_t i = 0; i < n; i++) {
		int64_t		 hour = now_hour - (int64_t)(n - 1 - i);
		uint64_t	 tag = (uint64_t)hour & TAG_MASK;
		struct slot	*s;

		memset(&out[i], 0, sizeof(out[i]));
		out[i].start = hour * 3600;
		if (ring == NULL || hour < 0)
			continue;
		s = &ring[hour % METRICS_HOURS];
		out[i].requests = get(&s->c[C_REQUESTS], tag);
		out[i].errors = get(&s->c[C_ERRORS], tag);
		out[i].client_errors = get(&s->c[C_CLIENT_ERRORS], tag);
		out[i].duration_us = get(&s->c[C_DURATION], tag);
	}
	return n;
}

#ifdef GAZETTE_TEST
void
metrics_clock_set(int64_t (*now)(void))
{
	clock_now = now != NULL ? now : real_now;
}

void
metrics_clear(void)
{
	if (ring == NULL)
		return;
	for (size_t i = 0; i < METRICS_HOURS; i++)
		for (size_t j = 0; j < C__MAX; j++)
			atomic_store(&ring[i].c[j], 0);
}
#endif
