/*
 * cache: validators and conditional GETs for public pages.  The ETag is
 * weak (W/"..."): the bytes may differ (a CSRF-free form's timestamp)
 * while the page means the same.  It folds in the day, so a page that
 * carries a time-limited form token is never revalidated for longer than
 * that token lives, and the deploy generation, so a reload with new
 * templates invalidates every cached page.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cache.h"
#include "config.h"
#include "csrf.h"
#include "http.h"
#include "util.h"

#define PAGES_MAX	256	/* pages kept, whatever their size */
#define TOKENS_MAX	4	/* form tokens patched in one page */

/* A page kept in memory: what a worker rendered for key at etag. */
struct page {
	char		*key;		/* the URI as sent, NULL: free slot */
	uint64_t	 hash;		/* of key */
	char		*etag;
	char		*content_type;
	char		*body;
	size_t		 len;
	char		*scope;		/* of its form token, or NULL */
	size_t		 tokens[TOKENS_MAX];	/* where the token is */
	size_t		 ntokens;
	uint64_t	 used;		/* tick of the last use */
};

static long	 max_age = 60;
static int64_t	 generation;
static size_t	 max_bytes;
static struct page pages[PAGES_MAX];
static size_t	 bytes;
static uint64_t	 tick;

void
cache_init(const struct config *c)
{
	max_age = c->cache_max_age;
	generation = (int64_t)time(NULL);
	max_bytes = (size_t)c->page_cache * 1024;
	cache_clear();
}

static void
page_drop(struct page *p)
{
	bytes -= p->len;
	free(p->key);
	free(p->etag);
	free(p->content_type);
	free(p->body);
	free(p->scope);
	memset(p, 0, sizeof(*p));
}

void
cache_clear(void)
{
	for (size_t i = 0; i < PAGES_MAX; i++)
		if (pages[i].key != NULL)
			page_drop(&pages[i]);
	bytes = 0;
}

/* FNV-1a: a cheap first comparison before strcmp. */
static uint64_t
key_hash(const char *s)
{
	uint64_t	 h = 14695981039346656037ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static struct page *
page_find(const char *key, uint64_t h)
{
	for (size_t i = 0; i < PAGES_MAX; i++)
		if (pages[i].key != NULL && pages[i].hash == h &&
		    strcmp(pages[i].key, key) == 0)
			return &pages[i];
	return NULL;
}

/*
 * May this request be answered from memory, or kept?  Anonymous, no
 * cookie at all (a session, a flash message, a comment of one's own or a
 * remembered name all come as cookies), GET or HEAD.
 */
static bool
cacheable(const struct req *r)
{
	return max_bytes > 0 && (r->method == M_GET || r->method == M_HEAD) &&
	    r->cookies.n == 0 && req_env(r, "HTTP_COOKIE") == NULL &&
	    r->user == NULL && !r->private_page;
}

static const char *
request_key(struct req *r)
{
	return *r->query != '\0' ? arena_printf(r->arena, "%s?%s",
	    r->raw_path, r->query) : r->raw_path;
}

/* Answer r from p: its body, with each form token signed anew. */
static bool
page_serve(struct req *r, struct page *p)
{
	const char	*tok = NULL;
	size_t		 n = 0;

	if (p->scope != NULL) {
		tok = csrf_form_token(r, p->scope);
		n = strlen(tok);
		for (size_t i = 0; i < p->ntokens; i++)
			if (p->tokens[i] + n > p->len)
				return false;
	}
	buf_reset(&r->out);
	buf_append(&r->out, p->body, p->len);
	for (size_t i = 0; i < p->ntokens; i++)
		memcpy(r->out.ptr + p->tokens[i], tok, n);
	r->content_type = arena_strdup(r->arena, p->content_type);
	p->used = ++tick;
	return true;
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
	struct page	*p;
	int64_t		 since;

	r->cache_status = 0;
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
	r->cache_status = HTTP_304;
	if ((inm = req_header(r, "If-None-Match")) != NULL) {
		if (cache_etag_matches(inm, etag))
			return true;
	} else if ((ims = req_header(r, "If-Modified-Since")) != NULL &&
	    (since = cache_parse_http_date(ims)) >= 0 &&
	    last_modified <= since)
		return true;
	r->cache_status = 0;
	if (!cacheable(r))
		return false;
	r->cache_key = request_key(r);
	r->cache_etag = etag;
	if ((p = page_find(r->cache_key, key_hash(r->cache_key))) != NULL &&
	    strcmp(p->etag, etag) == 0 && page_serve(r, p)) {
		r->cache_status = HTTP_200;
		r->cache_key = NULL;
		return true;
	}
	return false;
}

/* Only the headers cache_public() set, which a hit sets again. */
static bool
plain_headers(const struct req *r)
{
	static const char *const mine[] = { "ETag", "Last-Modified",
	    "Cache-Control", "Vary" };

	for (size_t i = 0; i < r->nresp; i++) {
		bool ok = false;

		for (size_t j = 0; j < NELEM(mine); j++)
			if (strcasecmp(r->resp_headers[i].name, mine[j]) == 0)
				ok = true;
		if (!ok)
			return false;
	}
	return true;
}

/* The least recently used page, to make room. */
static struct page *
page_victim(void)
{
	struct page	*v = NULL;

	for (size_t i = 0; i < PAGES_MAX; i++)
		if (pages[i].key != NULL && (v == NULL ||
		    pages[i].used < v->used))
			v = &pages[i];
	return v;
}

static struct page *
page_slot(const char *key, uint64_t h, size_t len)
{
	struct page	*p;

	if ((p = page_find(key, h)) != NULL)
		page_drop(p);
	while (bytes + len > max_bytes && (p = page_victim()) != NULL)
		page_drop(p);
	for (size_t i = 0; i < PAGES_MAX; i++)
		if (pages[i].key == NULL)
			return &pages[i];
	page_drop(p = page_victim());
	return p;
}

void
cache_store(struct req *r, int status)
{
	struct page	*p;
	uint64_t	 h;
	const char	*at;

	if (r->cache_key == NULL || status != HTTP_200 || r->failed ||
	    r->out.len == 0 || r->out.len > max_bytes || !cacheable(r) ||
	    !plain_headers(r))
		return;
	h = key_hash(r->cache_key);
	p = page_slot(r->cache_key, h, r->out.len);
	p->key = xstrdup(r->cache_key);
	p->hash = h;
	p->etag = xstrdup(r->cache_etag);
	p->content_type = xstrdup(r->content_type);
	p->body = xmalloc(r->out.len);
	memcpy(p->body, r->out.ptr, r->out.len);
	p->len = r->out.len;
	bytes += p->len;
	p->used = ++tick;
	if (r->form_token == NULL)
		return;
	p->scope = xstrdup(r->form_scope);
	for (at = p->body; p->ntokens < TOKENS_MAX &&
	    (at = memmem(at, p->len - (size_t)(at - p->body), r->form_token,
	    strlen(r->form_token))) != NULL; at++)
		p->tokens[p->ntokens++] = (size_t)(at - p->body);
}
