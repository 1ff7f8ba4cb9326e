/*
 * ratelimit: fixed-window request counters shared by the master's
 * workers without a database write: a table in shared memory, mapped by
 * the master before it forks, counted with atomics.  Keys are hashed
 * (SipHash with a key drawn at start, so no client can aim at another's
 * slot) into RATELIMIT_SLOTS slots; two keys in one slot share its
 * count, which can only make the limit stricter, never looser.
 */
#ifndef GAZETTE_RATELIMIT_H
#define GAZETTE_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#define RATELIMIT_SLOTS	16384

/*
 * Map the table (master, before forking; again on reload: kept).  0, or
 * -1 (logged) when it cannot: ratelimit_ready() is then false and the
 * caller counts another way.
 */
int	 ratelimit_init(void);

/* Is the shared table there (ratelimit_init() succeeded here or in the
 * process that forked this one)? */
bool	 ratelimit_ready(void);

/*
 * Count one request of key in the window that starts at window (Unix
 * seconds; the caller's fixed window, e.g. the minute).  Returns the
 * count in that window including this one (1 when a new window starts),
 * or -1 if the table is not ready.
 */
int64_t	 ratelimit_hit(const char *key, int64_t window);

#ifdef GAZETTE_TEST
/* Unmap the table (tests only, to test both paths). */
void	 ratelimit_shutdown(void);
#endif

#endif
