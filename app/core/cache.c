/*
 * cache: validators and conditional GETs for public pages.  The ETag is
 * weak (W/"..."): the bytes may differ (a CSRF-free form's timestamp)
 * while the page means the same.  It folds in the day, so a page that
 * carries a time-limited form token is never revalidated for longer than
 * that token lives, and the deploy generation, so a reload with new
 * templates invalidates every cached page.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cache.h"
#include "config.h"
#include "http.h"
#include "util.h"

static long	 max_age = 60;
static int64_t	 generation;

void
cache_init(const struct config *c)
{
	max_age = c->cache_max_age;
	generation = (int64_t)time(NULL);
}

const char *
cache_etag(struct req *r, const char *seed)
{
	unsigned char	 h[12];
	char		 hex[sizeof(h) * 2 + 1];
	const char	*data;

	data = arena_printf(r->arena, "%s\n%" PRId64 "\n%" PRId64, seed,
	    generation, (int64_t)time(NULL) / 86400);
	crypto_generichash(h, sizeof(h), (const unsigned char *)data,
	    strlen(data), NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	return arena_printf(r->arena, "W/\"%s\"", hex);
}

/*
 * RFC 9110 13.1.2: If-None-Match is "*" or a list of entity tags, and
 * compares weakly: W/"x" matches "x" and W/"x".
 */
bool
cache_etag_matches(const char *inm, const char *etag)
{
	const char	*want = etag, *p = inm;
	size_t		 n;

	if (inm == NULL)
		return false;
	if (strncmp(want, "W/", 2) == 0)
		want += 2;
	n = strlen(want);
	while (*p != '\0') {
		p += strspn(p, " \t,");
		if (*p == '*')
			return true;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (*p != '"')
			return false;	/* malformed: no match */
		if (strncmp(p, want, n) == 0 &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' ' ||
		    p[n] == '\t'))
			return true;
		if ((p = strchr(p + 1, '"')) == NULL)
			return false;
		p++;
	}
	return false;
}

static const char	 days[][4] = { "Sun", "Mon", "Tue", "Wed", "Thu",
			    "Fri", "Sat" };
static const char	 months[][4] = { "Jan", "Feb", "Mar", "Apr", "May",
			    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

const char *
cache_http_date(struct req *r, int64_t t)
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	if (gmtime_r(&tt, &tm) == NULL)
		return "Thu, 01 Jan 1970 00:00:00 GMT";
	return arena_printf(r->arena, "%s, %02d %s %04d %02d:%02d:%02d GMT",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int64_t
cache_parse_http_date(const char *s)
{
	char		 wd[4], mon[4];
	int		 d, y, hh, mm, ss, used = 0;
	struct tm	 tm;

	if (s == NULL || strlen(s) != 29 ||
	    sscanf(s, "%3s, %2d %3s %4d %2d:%2d:%2d GMT%n", wd, &d, mon, &y,
	    &hh, &mm, &ss, &used) != 7 || used != 29)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_mon = -1;
	for (int i = 0; i < 12; i++)
		if (strcmp(mon, months[i]) == 0)
			tm.tm_mon = i;
	if (tm.tm_mon < 0 || d < 1 || d > 31 || y < 1970 || hh > 23 ||
	    mm > 59 || ss > 60)
		return -1;
	tm.tm_mday = d;
	tm.tm_year = y - 1900;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	return (int64_t)timegm(&tm);
}

bool
cache_public(struct req *r, const char *seed, int64_t last_modified)
{
	const char	*etag, *inm, *ims;
	int64_t		 since;

	if (r->user != NULL || r->private_page)
		return false;
	if (last_modified < generation)
		last_modified = generation;
	etag = cache_etag(r, seed);
	http_set_header(r, "ETag", etag);
	http_set_header(r, "Last-Modified", cache_http_date(r,
	    last_modified));
	http_set_header(r, "Cache-Control", arena_printf(r->arena,
	    "public, max-age=%ld", max_age));
	http_set_header(r, "Vary", "Cookie");
	if (r->method != M_GET && r->method != M_HEAD)
		return false;
	if ((inm = req_header(r, "If-None-Match")) != NULL)
		return cache_etag_matches(inm, etag);
	if ((ims = req_header(r, "If-Modified-Since")) != NULL &&
	    (since = cache_parse_http_date(ims)) >= 0)
		return last_modified <= since;
	return false;
}
