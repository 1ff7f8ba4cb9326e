/*
 * feed: Atom feeds (RFC 4287) of public articles (the site, a tag, an
 * author) and of an article's approved comments, and the small XML
 * writer they and the sitemaps share.  The XML is written by hand: the
 * stack has no XML library, and all a feed needs is text escaped for
 * XML 1.0, which feed_xml_escape() does (unit-tested and fuzzed).
 */
#ifndef GAZETTE_FEED_H
#define GAZETTE_FEED_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct req;

/*
 * Append s[0..n) to b escaped for XML 1.0 text and attribute values
 * (and so for HTML too): & < > " ' become entities; control characters
 * XML does not allow (all below 0x20 but tab, LF, CR) and U+FFFE, U+FFFF
 * are dropped; each byte that does not start a well-formed UTF-8
 * sequence becomes U+FFFD.  The output is always well-formed UTF-8.
 */
void	 feed_xml_escape(struct buf *b, const char *s, size_t n);
/* feed_xml_escape() of the NUL-terminated s. */
void	 feed_xml_puts(struct buf *b, const char *s);

/*
 * Unix time t as an RFC 3339 UTC date-time ("2026-11-27T09:30:00Z",
 * FEED_DATE_SIZE bytes with the NUL), as Atom's <updated> and the
 * sitemaps' <lastmod> want it.  A time before 1970 or after 9999 is
 * clamped to those ends.  Returns dst.
 */
#define FEED_DATE_SIZE	21
char	*feed_date(int64_t t, char *dst);

/*
 * The absolute URL of path (from router_url): the configured site_url,
 * without its trailing slashes, then path.  In the request arena.
 */
const char *feed_abs_url(struct req *r, const char *path);

#endif
