/*
 * cache: HTTP caching of public pages.  A page that shows the same bytes
 * to every anonymous visitor calls cache_public() with a validator seed
 * made from the data it shows (the site's content version, the article's
 * id, ...) and the time that data last changed.  For anonymous visitors
 * it sets a weak ETag (a hash of the seed, this deploy's templates and
 * the day), Last-Modified, Cache-Control: public, max-age=N and Vary:
 * Cookie, and says whether the request's If-None-Match (or, without it,
 * If-Modified-Since) already holds this version: then the handler
 * answers 304 without rendering.  Pages of logged-in visitors, or marked
 * r->private_page, get none of it (http makes them private, no-store).
 *
 * Each worker also keeps the pages it rendered for anonymous visitors
 * who send no cookie at all (page_cache KB, least recently used out
 * first), by URI and ETag: the same URI with the same ETag is the same
 * page, so it is answered from memory.  A form token on such a page
 * (csrf_form_token) is signed afresh for each answer, so its time stays
 * the time the visitor was shown the form.
 */
#ifndef GAZETTE_CACHE_H
#define GAZETTE_CACHE_H

#include <stdbool.h>
#include <stdint.h>

struct req;
struct config;

/* Per-process: max-age from the configuration; the deploy generation
 * (templates may have changed) becomes now.  Call at start and reload. */
void	 cache_init(const struct config *c);

/*
 * Mark the response public and conditional as above.  Returns true when
 * the handler is done and should return r->cache_status: 304, or 200
 * with the page from memory in r->out (the headers are set either way);
 * false for a full answer, and always false for private pages.
 */
bool	 cache_public(struct req *r, const char *seed, int64_t last_modified);

/*
 * After the handler: keep the page in memory if cache_public() found the
 * request fit and the answer is a plain 200 (no cookie set, no other
 * header, still public).  The server calls it for every request.
 */
void	 cache_store(struct req *r, int status);

/* Forget every kept page (tests; a reload starts empty anyway). */
void	 cache_clear(void);

/* The parts, exposed for unit tests. */
const char *cache_etag(struct req *r, const char *seed);
bool	 cache_etag_matches(const char *if_none_match, const char *etag);
/* IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") <-> Unix time; parse
 * returns -1 for anything else. */
const char *cache_http_date(struct req *r, int64_t t);
int64_t	 cache_parse_http_date(const char *s);

#endif
