/*
 * util: allocation that aborts on failure, clocks, UTF-8 validation and
 * counting, trimming, strict integer parsing and date formatting.
 * Nothing here keeps state.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "util.h"

static void
oom(size_t n)
{
	fprintf(stderr, "level=fatal msg=\"out of memory\" bytes=%zu\n", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n == 0 ? 1 : n)) == NULL)
		oom(n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void	*p;

	if (size != 0 && nmemb > SIZE_MAX / size)
		oom(SIZE_MAX);
	if ((p = calloc(nmemb == 0 ? 1 : nmemb, size == 0 ? 1 : size)) == NULL)
		oom(nmemb * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void	*q;

	if ((q = realloc(p, n == 0 ? 1 : n)) == NULL)
		oom(n);
	return q;
}

char *
xstrdup(const char *s)
{
	size_t	 n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

static int64_t
clock_us(clockid_t id)
{
	struct timespec	 ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t
util_mono_us(void)
{
	return clock_us(CLOCK_MONOTONIC);
}

int64_t
util_wall_us(void)
{
	return clock_us(CLOCK_REALTIME);
}

bool
util_is_utf8(const char *str, size_t len)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 i = 0;

	while (i < len) {
		unsigned char	 c = s[i];
		size_t		 need;
		uint32_t	 cp, min;

		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			need = 1; cp = c & 0x1f; min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			need = 2; cp = c & 0x0f; min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			need = 3; cp = c & 0x07; min = 0x10000;
		} else
			return false;
		if (len - i <= need)
			return false;
		for (size_t k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += need + 1;
	}
	return true;
}

size_t
util_utf8_chars(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

const char *
util_trim(const char *s, size_t *n)
{
	size_t	 len = *n;

	if (s == NULL) {
		*n = 0;
		return "";
	}
	while (len > 0 && is_blank(*s)) {
		s++;
		len--;
	}
	while (len > 0 && is_blank(s[len - 1]))
		len--;
	*n = len;
	return s;
}

char *
util_strtrim(struct arena *a, const char *s)
{
	size_t		 n = s != NULL ? strlen(s) : 0;
	const char	*t = util_trim(s, &n);

	return arena_strndup(a, t, n);
}

int
util_parse_int(const char *s, long long min, long long max, long long *out)
{
	char		*end;
	long long	 v;

	if (s == NULL || *s == '\0')
		return -1;
	if (!(*s >= '0' && *s <= '9') && !(*s == '-' && min < 0))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/*
 * Civil date from days since 1970-01-01 (Howard Hinnant's algorithm):
 * formatting dates by hand is ten times cheaper than gmtime_r plus
 * snprintf or strftime, and a page of twenty articles formats forty.
 */
static void
civil(int64_t t, int *y, int *m, int *d, int *secs)
{
	int64_t	 days = t / 86400, rem = t % 86400;
	int64_t	 era, doe, yoe, doy, mp;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	days += 719468;
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
	*secs = (int)rem;
}

/* Write v as exactly width digits at p; returns p + width. */
static char *
digits(char *p, int v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

void
util_date_human(int64_t t, char *dst, size_t n)
{
	static const char *const months[] = { "January", "February",
	    "March", "April", "May", "June", "July", "August", "September",
	    "October", "November", "December" };
	char	 tmp[32], *p = tmp;
	int	 y, m, d, s;
	size_t	 len;

	civil(t, &y, &m, &d, &s);
	if (y < 0 || y > 9999) {
		snprintf(dst, n, "?");
		return;
	}
	p = d >= 10 ? digits(p, d, 2) : digits(p, d, 1);
	*p++ = ' ';
	len = strlen(months[m - 1]);
	memcpy(p, months[m - 1], len);
	p += len;
	*p++ = ' ';
	p = digits(p, y, 4);
	*p = '\0';
	snprintf(dst, n, "%s", tmp);
}

void
util_date_iso(int64_t t, char *dst, size_t n)
{
	char	 tmp[24], *p = tmp;
	int	 y, m, d, s;

	civil(t, &y, &m, &d, &s);
	if (y < 0 || y > 9999 || n < sizeof("2026-11-27T09:30:00Z")) {
		snprintf(dst, n, "?");
		return;
	}
	p = digits(p, y, 4);
	*p++ = '-';
	p = digits(p, m, 2);
	*p++ = '-';
	p = digits(p, d, 2);
	*p++ = 'T';
	p = digits(p, s / 3600, 2);
	*p++ = ':';
	p = digits(p, s / 60 % 60, 2);
	*p++ = ':';
	p = digits(p, s % 60, 2);
	*p++ = 'Z';
	*p = '\0';
	memcpy(dst, tmp, (size_t)(p - tmp) + 1);
}
