/*
 * util: process-wide helpers that every module needs: allocation that
 * never fails quietly, monotonic and wall clocks, small string checks.
 * Owns no state.
 */
#ifndef GAZETTE_UTIL_H
#define GAZETTE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Allocate or abort: OOM and size overflow are bugs, not input errors. */
void	*xmalloc(size_t n);
void	*xcalloc(size_t nmemb, size_t size);
void	*xrealloc(void *p, size_t n);
char	*xstrdup(const char *s);

/* Microseconds: monotonic (durations) and wall clock (timestamps). */
int64_t	 util_mono_us(void);
int64_t	 util_wall_us(void);

/*
 * Is [s, s+len) well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF)?  NUL bytes count as invalid.
 */
bool	 util_is_utf8(const char *s, size_t len);

/*
 * Parse a whole decimal integer in [min, max]; no sign unless min < 0,
 * no spaces, no trailing text.  Returns 0 and sets *out, or -1.
 */
int	 util_parse_int(const char *s, long long min, long long max,
	    long long *out);

/* Format t (Unix seconds, UTC) as "27 November 2026" / ISO 8601. */
void	 util_date_human(int64_t t, char *dst, size_t n);
void	 util_date_iso(int64_t t, char *dst, size_t n);

#endif
