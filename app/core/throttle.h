/*
 * throttle: failure counters in SQLite, shared by every worker and kept
 * across restarts.  A key ("login:user:alice") that reaches its limit
 * within the window is blocked for the window, then for twice as long
 * at each further block (capped at a day), so repeated guessing slows
 * down geometrically.  A success clears the key.
 */
#ifndef GAZETTE_THROTTLE_H
#define GAZETTE_THROTTLE_H

#include <stdint.h>

struct req;

/* Seconds until key is unblocked, 0 if it is not blocked, -1 on error. */
int64_t	 throttle_wait(struct req *r, const char *key);

/*
 * Count one failure (or attempt) for key.  When the count reaches limit
 * within window seconds, block the key; returns the seconds to wait
 * then, 0 otherwise, -1 on error.
 */
int64_t	 throttle_hit(struct req *r, const char *key, long limit,
	    long window);

/* Forget key (a successful login).  0 or -1. */
int	 throttle_clear(struct req *r, const char *key);

/*
 * Answer 429 Too Many Requests with Retry-After and a page saying when
 * to try again.  Returns 429 for the handler to return.
 */
int	 throttle_refuse(struct req *r, int64_t wait);

#endif
