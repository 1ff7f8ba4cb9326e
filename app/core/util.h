/*
 * util: process-wide helpers that every module needs: allocation that
 * never fails quietly, monotonic and wall clocks, small string checks
 * and trimming.  Owns no state.
 */
#ifndef GAZETTE_UTIL_H
#define GAZETTE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

struct arena;

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
 * Characters (code points) of the NUL-terminated UTF-8 s: the bytes
 * that do not continue a sequence.  Exact for valid UTF-8 (see
 * util_is_utf8()), which is what limits in characters are counted on.
 */
size_t	 util_utf8_chars(const char *s);

/*
 * Blanks (space, tab, CR, LF) cut from both ends of the *n bytes at s:
 * returns where the rest starts and sets *n to its length.  Copies
 * nothing; s NULL gives "" and 0.
 */
const char *util_trim(const char *s, size_t *n);

/*
 * s (NUL-terminated; NULL: "") without blanks at either end, as
 * util_trim(), copied into a: valid until the next arena_reset().
 * What a form field is checked and stored as.
 */
char	*util_strtrim(struct arena *a, const char *s);

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
