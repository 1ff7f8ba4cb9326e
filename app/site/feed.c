/*
 * feed: the Atom feeds (RFC 4287): /feed/ (the newest public articles),
 * /tags/{slug}/feed/, /authors/{username}/feed/ and
 * /articles/{slug}/feed/ (an article's approved comments), and the XML
 * escaping they share with the sitemaps.  Articles come from
 * article_list_public(); the comments query is here because a feed
 * wants the newest approved ones and nothing of the thread.  Ids are tag
 * URIs made of the host, the creation date and the row id, so they
 * survive edits and slug changes.  No XML library: the escaping below is
 * all the XML needs (see feed.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/db.h"
#include "core/http.h"
#include "core/router.h"
#include "core/settings.h"
#include "core/util.h"
#include "article.h"
#include "feed.h"
#include "site.h"

#define FEED_ENTRIES	20
/* The date of the tag URIs of feeds that have no creation date of
 * their own (the site's, a tag's, an author's).  Never change it: it is
 * part of every such feed's id. */
#define FEED_ID_DATE	"2026"
#define ATOM_TYPE	"application/atom+xml; charset=utf-8"

/* ---- XML ---------------------------------------------------------------- */

/*
 * The length (1..4) of the well-formed UTF-8 sequence at s (n > 0
 * bytes), with its code point in *cp; 0 if s does not start one
 * (a stray continuation byte, an overlong form, a surrogate, above
 * U+10FFFF, or cut short).
 */
static size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t	 c = s[0], min;
	size_t		 len;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

void
feed_xml_escape(struct buf *b, const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	const unsigned char	*end = p + n, *run = p;
	uint32_t		 cp;
	size_t			 len;

	/* Copy runs of plain text at once; stop at what needs a change. */
	while (p < end) {
		const char	*rep = NULL;

		if (*p >= 0x20 && *p < 0x80 && *p != '&' && *p != '<' &&
		    *p != '>' && *p != '"' && *p != '\'') {
			p++;
			continue;
		}
		len = utf8_decode(p, (size_t)(end - p), &cp);
		if (len > 1 && cp != 0xfffe && cp != 0xffff) {
			p += len;
			continue;
		}
		buf_append(b, run, (size_t)(p - run));
		switch (len == 0 ? 0xfffd : cp) {
		case '&':	rep = "&amp;"; break;
		case '<':	rep = "&lt;"; break;
		case '>':	rep = "&gt;"; break;
		case '"':	rep = "&quot;"; break;
		case '\'':	rep = "&#39;"; break;
		case '\t':	rep = "\t"; break;
		case '\n':	rep = "\n"; break;
		case '\r':	rep = "\r"; break;
		case 0xfffd:	rep = "\xef\xbf\xbd"; break;
		default:	break;	/* other controls, U+FFFE/F: dropped */
		}
		if (rep != NULL)
			buf_puts(b, rep);
		p += len == 0 ? 1 : len;
		run = p;
	}
	buf_append(b, run, (size_t)(p - run));
}

void
feed_xml_puts(struct buf *b, const char *s)
{
	feed_xml_escape(b, s, strlen(s));
}

char *
feed_date(int64_t t, char *dst)
{
	/* 9999-12-31T23:59:59Z, the last second RFC 3339 can write. */
	static const int64_t	 max = 253402300799LL;
	time_t			 tt;
	struct tm		 tm;

	tt = (time_t)(t < 0 ? 0 : t > max ? max : t);
	gmtime_r(&tt, &tm);
	strftime(dst, FEED_DATE_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return dst;
}

const char *
feed_abs_url(struct req *r, const char *path)
{
	const struct config	*c = config_current();
	const char		*base = c != NULL ? c->site_url : "";
	size_t			 n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	return arena_printf(r->arena, "%.*s%s", (int)n, base, path);
}

/* ---- Atom ---------------------------------------------------------------- */

/*
 * The host of site_url, lower-case, for tag URIs (RFC 4151): no scheme,
 * user, port or path.  "localhost" if there is none.
 */
static const char *
feed_host(struct req *r)
{
	const struct config	*c = config_current();
	const char		*s = c != NULL ? c->site_url : "", *p, *e;
	char			*h;

	if ((p = strstr(s, "://")) != NULL)
		s = p + 3;
	e = s + strcspn(s, "/?#");
	if ((p = memchr(s, '@', (size_t)(e - s))) != NULL)
		s = p + 1;
	if (*s == '[') {		/* [::1]:8080 */
		if ((p = memchr(s, ']', (size_t)(e - s))) != NULL)
			e = p + 1;
	} else if ((p = memchr(s, ':', (size_t)(e - s))) != NULL)
		e = p;
	if (e == s)
		return "localhost";
	h = arena_strndup(r->arena, s, (size_t)(e - s));
	for (char *q = h; *q != '\0'; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	return h;
}

/* tag:HOST,YYYY-MM-DD:what/ID with the date of created (UTC). */
static const char *
feed_tag_uri(struct req *r, int64_t created, const char *what, int64_t id)
{
	char	 d[FEED_DATE_SIZE];

	feed_date(created, d);
	d[10] = '\0';
	return arena_printf(r->arena, "tag:%s,%s:%s/%" PRId64, feed_host(r),
	    d, what, id);
}

static void
x_elem(struct buf *b, const char *name, const char *text)
{
	buf_printf(b, "<%s>", name);
	feed_xml_puts(b, text);
	buf_printf(b, "</%s>\n", name);
}

static void
x_date(struct buf *b, const char *name, int64_t t)
{
	char	 d[FEED_DATE_SIZE];

	buf_printf(b, "<%s>%s</%s>\n", name, feed_date(t, d), name);
}

static void
x_link(struct buf *b, const char *rel, const char *type, const char *href)
{
	buf_printf(b, "<link rel=\"%s\" type=\"%s\" href=\"", rel, type);
	feed_xml_puts(b, href);
	buf_puts(b, "\"/>\n");
}

/* What the head of a feed says. */
struct feed_head {
	const char	*title;
	const char	*subtitle;	/* NULL: none */
	const char	*id;
	const char	*self;		/* absolute URLs */
	const char	*alternate;
	int64_t		 updated;
};

/* The site's name as the admin's settings (or the file) have it. */
static const char *
site_name(struct req *r)
{
	return settings_site(r)->name;
}

static void
feed_begin(struct req *r, const struct feed_head *h)
{
	struct buf		*b = &r->out;

	r->content_type = ATOM_TYPE;
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">\n");
	x_elem(b, "title", h->title);
	if (h->subtitle != NULL && *h->subtitle != '\0')
		x_elem(b, "subtitle", h->subtitle);
	x_elem(b, "id", h->id);
	x_link(b, "self", "application/atom+xml", h->self);
	x_link(b, "alternate", "text/html", h->alternate);
	x_date(b, "updated", h->updated);
	buf_puts(b, "<author><name>");
	feed_xml_puts(b, site_name(r));
	buf_puts(b, "</name></author>\n<generator>Gazette</generator>\n");
}

static int
feed_end(struct req *r)
{
	buf_puts(&r->out, "</feed>\n");
	return req_failed(r) ? HTTP_500 : HTTP_200;
}

/* When an entry last changed: a scheduled article is new when due. */
static int64_t
article_updated(const struct article *a)
{
	return a->updated_at > a->publish_at ? a->updated_at : a->publish_at;
}

/* The <updated> of a feed of n entries whose newest change is newest:
 * for an empty feed, when the site's content last changed. */
static int64_t
feed_updated(struct req *r, int n, int64_t newest)
{
	int64_t	 lm = 0;

	if (n > 0)
		return newest;
	(void)content_validator(r, &lm);
	return lm;
}

static void
feed_article_entry(struct req *r, const struct article *a)
{
	struct buf	*b = &r->out;
	const char	*url = feed_abs_url(r, router_url(r, "article_show",
	    a->slug));

	buf_puts(b, "<entry>\n");
	x_elem(b, "title", a->title);
	x_link(b, "alternate", "text/html", url);
	x_elem(b, "id", feed_tag_uri(r, a->created_at, "article", a->id));
	x_date(b, "published", a->publish_at);
	x_date(b, "updated", article_updated(a));
	if (a->author_name != NULL && *a->author_name != '\0') {
		buf_puts(b, "<author><name>");
		feed_xml_puts(b, a->author_name);
		buf_puts(b, "</name>");
		if (a->author_username != NULL && *a->author_username != '\0') {
			buf_puts(b, "<uri>");
			feed_xml_puts(b, feed_abs_url(r, router_url(r,
			    "author_show", a->author_username)));
			buf_puts(b, "</uri>");
		}
		buf_puts(b, "</author>\n");
	}
	for (size_t i = 0; i < a->ntags; i++) {
		buf_puts(b, "<category term=\"");
		feed_xml_puts(b, a->tags[i].slug);
		buf_puts(b, "\" label=\"");
		feed_xml_puts(b, a->tags[i].name);
		buf_puts(b, "\"/>\n");
	}
	if (a->excerpt != NULL && *a->excerpt != '\0')
		x_elem(b, "summary", a->excerpt);
	/* The HTML as text (type="html"); its relative links resolve
	 * against the article's own URL. */
	buf_puts(b, "<content type=\"html\" xml:base=\"");
	feed_xml_puts(b, url);
	buf_puts(b, "\">");
	feed_xml_puts(b, a->body_html != NULL ? a->body_html : "");
	buf_puts(b, "</content>\n</entry>\n");
}

/*
 * The feed of the FEED_ENTRIES newest public articles f selects, with
 * head h (whose updated is filled here).  Returns the status.
 */
static int
feed_articles(struct req *r, struct feed_head *h,
    const struct article_filter *f)
{
	struct article	 items[FEED_ENTRIES];
	int64_t		 newest = 0;
	int		 n, more;

	if ((n = article_list_public(r, f, NULL, items, FEED_ENTRIES,
	    &more)) < 0)
		return HTTP_500;
	for (int i = 0; i < n; i++)
		if (article_updated(&items[i]) > newest)
			newest = article_updated(&items[i]);
	h->updated = feed_updated(r, n, newest);
	feed_begin(r, h);
	for (int i = 0; i < n; i++)
		feed_article_entry(r, &items[i]);
	return feed_end(r);
}


/*
 * GET /feed/  Atom: the FEED_ENTRIES newest public articles, full
 * content.  Public, conditional (304).
 */
int
page_feed(struct req *r)
{
	struct article_filter	 f = { .with_body = true, .with_tags = true };
	struct feed_head	 h = { 0 };

	if (content_cache(r, "feed"))
		return r->cache_status;
	h.title = site_name(r);
	h.subtitle = settings_site(r)->description;
	h.id = arena_printf(r->arena, "tag:%s,%s:feed", feed_host(r),
	    FEED_ID_DATE);
	h.self = feed_abs_url(r, router_url(r, "feed"));
	h.alternate = feed_abs_url(r, router_url(r, "article_list"));
	return feed_articles(r, &h, &f);
}

/*
 * GET /tags/{slug}/feed/  Atom: the newest public articles with the tag.
 * 404 if there is no such tag.
 */
int
page_tag_feed(struct req *r)
{
	struct article_filter	 f = { .with_body = true, .with_tags = true };
	struct feed_head	 h = { 0 };
	struct tag		*t;

	if ((t = tag_by_slug(r, req_param(r, "slug"))) == NULL)
		return req_failed(r) ? HTTP_500 : HTTP_404;
	if (content_cache(r, arena_printf(r->arena, "feed:tag:%" PRId64,
	    t->id)))
		return r->cache_status;
	f.tag_id = t->id;
	h.title = arena_printf(r->arena, "%s: %s", site_name(r), t->name);
	h.subtitle = t->description;
	h.id = arena_printf(r->arena, "tag:%s,%s:tag/%" PRId64 "/feed",
	    feed_host(r), FEED_ID_DATE, t->id);
	h.self = feed_abs_url(r, router_url(r, "tag_feed", t->slug));
	h.alternate = feed_abs_url(r, router_url(r, "tag_show", t->slug));
	return feed_articles(r, &h, &f);
}

/*
 * GET /authors/{username}/feed/  Atom: the author's newest public
 * articles.  404 unless the username is an author (author_by_username).
 */
int
page_author_feed(struct req *r)
{
	struct article_filter	 f = { .with_body = true, .with_tags = true };
	struct feed_head	 h = { 0 };
	struct author		*au;

	if ((au = author_by_username(r, req_param(r, "username"))) == NULL)
		return req_failed(r) ? HTTP_500 : HTTP_404;
	if (content_cache(r, arena_printf(r->arena, "feed:author:%" PRId64,
	    au->id)))
		return r->cache_status;
	f.author_id = au->id;
	h.title = arena_printf(r->arena, "%s: %s", site_name(r),
	    au->display_name);
	h.id = arena_printf(r->arena, "tag:%s,%s:author/%" PRId64 "/feed",
	    feed_host(r), FEED_ID_DATE, au->id);
	h.self = feed_abs_url(r, router_url(r, "author_feed", au->username));
	h.alternate = feed_abs_url(r, router_url(r, "author_show",
	    au->username));
	return feed_articles(r, &h, &f);
}

/* One approved comment as a feed shows it. */
struct feed_comment {
	int64_t		 id;
	const char	*author;	/* the name given; never the email */
	const char	*body_html;
	int64_t		 created_at;
	int64_t		 updated_at;
};

/* When a comment last changed (edits move updated_at). */
static int64_t
comment_updated(const struct feed_comment *c)
{
	return c->updated_at > c->created_at ? c->updated_at : c->created_at;
}

/*
 * The newest approved comments of article_id, at most max, newest
 * first, into out.  Returns the count, or -1 (r failed).
 */
static int
feed_comments(struct req *r, int64_t article_id, struct feed_comment *out,
    int max)
{
	static const char sql[] =
	    "SELECT id, author_name, body_html, created_at, updated_at"
	    "  FROM comments"
	    " WHERE article_id = ?1 AND status = 'approved'"
	    " ORDER BY id DESC LIMIT ?2";
	sqlite3_stmt	*st;
	int		 n = 0;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, article_id);
	db_bind_int64(r, st, 2, max);
	while (n < max && db_step(r, st) == SQLITE_ROW) {
		struct feed_comment	*c = &out[n++];

		c->id = sqlite3_column_int64(st, 0);
		c->author = db_col_strdup(r, st, 1);
		c->body_html = db_col_strdup(r, st, 2);
		c->created_at = sqlite3_column_int64(st, 3);
		c->updated_at = sqlite3_column_int64(st, 4);
	}
	db_done(r, st);
	return req_failed(r) ? -1 : n;
}

/*
 * GET /articles/{slug}/feed/  Atom: the FEED_ENTRIES newest approved
 * comments of a public article: the commenter's name, never the email.
 * 404 if no public article has that slug.
 */
int
page_comment_feed(struct req *r)
{
	struct feed_comment	 items[FEED_ENTRIES];
	struct feed_head	 h = { 0 };
	struct article		*a;
	struct buf		*b = &r->out;
	const char		*url;
	int64_t			 newest = 0;
	int			 n;

	if ((a = article_by_slug(r, req_param(r, "slug"))) == NULL)
		return req_failed(r) ? HTTP_500 : HTTP_404;
	if (content_cache(r, arena_printf(r->arena, "feed:comments:%" PRId64,
	    a->id)))
		return r->cache_status;
	if ((n = feed_comments(r, a->id, items, FEED_ENTRIES)) < 0)
		return HTTP_500;
	url = feed_abs_url(r, router_url(r, "article_show", a->slug));
	for (int i = 0; i < n; i++)
		if (comment_updated(&items[i]) > newest)
			newest = comment_updated(&items[i]);
	h.title = arena_printf(r->arena, "Comments on \xe2\x80\x9c%s\xe2\x80\x9d",
	    a->title);
	h.id = arena_printf(r->arena, "%s/comments",
	    feed_tag_uri(r, a->created_at, "article", a->id));
	h.self = feed_abs_url(r, router_url(r, "article_feed", a->slug));
	h.alternate = url;
	h.updated = feed_updated(r, n, newest);
	feed_begin(r, &h);
	for (int i = 0; i < n; i++) {
		const struct feed_comment *c = &items[i];
		const char	*name = *c->author != '\0' ? c->author :
		    "Anonymous";

		buf_puts(b, "<entry>\n");
		x_elem(b, "title", arena_printf(r->arena, "Comment by %s",
		    name));
		x_link(b, "alternate", "text/html", arena_printf(r->arena,
		    "%s#comment-%" PRId64, url, c->id));
		x_elem(b, "id", feed_tag_uri(r, c->created_at, "comment",
		    c->id));
		x_date(b, "published", c->created_at);
		x_date(b, "updated", comment_updated(c));
		buf_puts(b, "<author><name>");
		feed_xml_puts(b, name);
		buf_puts(b, "</name></author>\n<content type=\"html\" "
		    "xml:base=\"");
		feed_xml_puts(b, url);
		buf_puts(b, "\">");
		feed_xml_puts(b, c->body_html);
		buf_puts(b, "</content>\n</entry>\n");
	}
	return feed_end(r);
}
