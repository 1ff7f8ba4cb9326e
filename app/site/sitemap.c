/*
 * sitemap: /sitemap.xml, /sitemaps/{n}/ and /robots.txt.  The sitemap
 * lists every public URL a crawler should know, each with its lastmod:
 * the home page (the last change to an article it shows), public
 * articles and static pages (their last change), tags and authors with
 * public articles (when the newest of those appeared).  Past config
 * sitemap_urls URLs it becomes an index of parts.  The queries are here,
 * not in article.c, because they walk whole id ranges in rowid order
 * with aggregates no page needs.
 *
 * Parts are id ranges, so a part is found without OFFSET and never
 * holds more than sitemap_urls URLs however rows come and go:
 *   section SITE      the home page (first part) and tags, by tag id,
 *                     sitemap_urls - 1 ids a part (room for the home);
 *   section ARTICLES  articles and pages, by article id, sitemap_urls
 *                     ids a part;
 *   section AUTHORS   authors, by user id, sitemap_urls ids a part.
 * Parts are numbered from 1 through the sections in that order; a part
 * whose range holds no public URL is left out of the index and is 404.
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
#include "core/util.h"
#include "article.h"
#include "feed.h"
#include "site.h"

#define XML_TYPE	"application/xml; charset=utf-8"
#define SITEMAP_NS	"http://www.sitemaps.org/schemas/sitemap/0.9"
#define HOME_SHOWS	20	/* articles on the home page */
#define SM_PARTS_MAX	16000	/* per section: 48,000 in all */

enum sm_section { SM_SITE, SM_ARTICLES, SM_AUTHORS, SM__MAX };

/* Where the parts are: the ids a part covers and how many parts each
 * section has (from the highest id of its table). */
struct sm_layout {
	int64_t	 limit;			/* URLs a file holds at most */
	int64_t	 span[SM__MAX];		/* ids a part covers */
	int64_t	 parts[SM__MAX];
};

/* One part of the index: how many URLs, and their newest lastmod. */
struct sm_part {
	int64_t	 urls;
	int64_t	 lastmod;
};

static int64_t
sm_limit(void)
{
	const struct config	*c = config_current();

	return c != NULL && c->sitemap_urls >= 10 ? c->sitemap_urls : 50000;
}

static int
sm_layout(struct req *r, struct sm_layout *lay)
{
	static const char sql[] =
	    "SELECT (SELECT coalesce(max(id), 0) FROM tags),"
	    "       (SELECT coalesce(max(id), 0) FROM articles),"
	    "       (SELECT coalesce(max(id), 0) FROM users)";
	sqlite3_stmt	*st;
	int64_t		 max[SM__MAX] = { 0 };

	memset(lay, 0, sizeof(*lay));
	lay->limit = sm_limit();
	lay->span[SM_SITE] = lay->limit - 1;
	lay->span[SM_ARTICLES] = lay->limit;
	lay->span[SM_AUTHORS] = lay->limit;
	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	if (db_step(r, st) == SQLITE_ROW)
		for (int i = 0; i < SM__MAX; i++)
			max[i] = sqlite3_column_int64(st, i);
	db_done(r, st);
	for (int i = 0; i < SM__MAX; i++) {
		lay->parts[i] = (max[i] + lay->span[i] - 1) / lay->span[i];
		/* An index holds at most 50,000 sitemaps (the protocol's
		 * limit); only ids far out of sequence could need more. */
		if (lay->parts[i] > SM_PARTS_MAX)
			lay->parts[i] = SM_PARTS_MAX;
	}
	if (lay->parts[SM_SITE] == 0)
		lay->parts[SM_SITE] = 1;	/* the home page */
	return req_failed(r) ? -1 : 0;
}

/* Part n (from 1) as a section and the ids (lo, hi] it covers; false
 * if there is no such part. */
static bool
sm_locate(const struct sm_layout *lay, int64_t n, enum sm_section *sec,
    int64_t *lo, int64_t *hi)
{
	if (n < 1)
		return false;
	for (int i = 0; i < SM__MAX; i++) {
		if (n <= lay->parts[i]) {
			*sec = (enum sm_section)i;
			*lo = (n - 1) * lay->span[i];
			*hi = n * lay->span[i];
			return true;
		}
		n -= lay->parts[i];
	}
	return false;
}

/* The XML declaration and the opening tag of the root element root. */
static void
sm_begin(struct req *r, const char *root)
{
	r->content_type = XML_TYPE;
	buf_printf(&r->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<%s xmlns=\"" SITEMAP_NS "\">\n", root);
}

/* An entry (elem: "url" of a urlset, "sitemap" of an index) for path,
 * with its lastmod unless that is 0. */
static void
sm_entry(struct req *r, const char *elem, const char *path, int64_t lastmod)
{
	char	 d[FEED_DATE_SIZE];

	buf_printf(&r->out, "<%s><loc>", elem);
	feed_xml_puts(&r->out, feed_abs_url(r, path));
	buf_puts(&r->out, "</loc>");
	if (lastmod > 0)
		buf_printf(&r->out, "<lastmod>%s</lastmod>",
		    feed_date(lastmod, d));
	buf_printf(&r->out, "</%s>\n", elem);
}

/* When what the home page shows last changed; 0 if it shows nothing. */
static int64_t
sm_home_lastmod(struct req *r, int64_t now)
{
	static const char sql[] =
	    "SELECT max(max(publish_at, updated_at)) FROM ("
	    "  SELECT publish_at, updated_at FROM articles"
	    "   WHERE status = 'published' AND publish_at <= ?1"
	    "     AND kind = 'article'"
	    "   ORDER BY publish_at DESC, id DESC LIMIT ?2)";
	sqlite3_stmt	*st;
	int64_t		 t = 0;

	if ((st = db_stmt(r, sql)) == NULL)
		return 0;
	db_bind_int64(r, st, 1, now);
	db_bind_int64(r, st, 2, HOME_SHOWS);
	if (db_step(r, st) == SQLITE_ROW)
		t = sqlite3_column_int64(st, 0);
	db_done(r, st);
	return t;
}

/*
 * The statement listing the public URLs of sec with ids in (?1, ?2] at
 * time ?3, in id order: id, kind ('tag', 'author', or the article's),
 * slug or username, lastmod.  Articles are walked in rowid order (NOT
 * INDEXED: through articles_public the same rows come in date order,
 * scattered over the file), and their lastmod is their own last change.
 * A tag's or an author's lastmod is when its newest public article
 * appeared: found by walking an index newest first to the first public
 * article (articles_public probing article_tags, articles_author), so
 * no article row is read but the one found.  Reading every row for its
 * updated_at instead took 0.5 s for 15 tags on 100,000 articles.
 */
static sqlite3_stmt *
sm_range_stmt(struct req *r, enum sm_section sec)
{
	static const char sql_tags[] =
	    "SELECT id, 'tag', slug, lm FROM ("
	    "  SELECT t.id, t.slug,"
	    "         (SELECT a.publish_at FROM article_tags at"
	    "            JOIN articles a ON a.id = at.article_id"
	    "           WHERE at.tag_id = t.id AND a.status = 'published'"
	    "             AND a.publish_at <= ?3 AND a.kind = 'article'"
	    "           ORDER BY a.publish_at DESC LIMIT 1) AS lm"
	    "    FROM tags t WHERE t.id > ?1 AND t.id <= ?2)"
	    " WHERE lm IS NOT NULL ORDER BY id";
	static const char sql_articles[] =
	    "SELECT id, kind, slug, max(publish_at, updated_at)"
	    "  FROM articles NOT INDEXED"
	    " WHERE id > ?1 AND id <= ?2"
	    "   AND status = 'published' AND publish_at <= ?3"
	    " ORDER BY id";
	static const char sql_authors[] =
	    "SELECT id, 'author', username, lm FROM ("
	    "  SELECT u.id, u.username,"
	    "         (SELECT a.publish_at FROM articles a"
	    "           WHERE a.author_id = u.id AND a.status = 'published'"
	    "             AND a.publish_at <= ?3 AND a.kind = 'article'"
	    "           ORDER BY a.publish_at DESC LIMIT 1) AS lm"
	    "    FROM users u"
	    "   WHERE u.id IN (SELECT author_id FROM articles"
	    "                   WHERE author_id > ?1 AND author_id <= ?2)"
	    "     AND u.is_active = 1)"
	    " WHERE lm IS NOT NULL ORDER BY id";

	switch (sec) {
	case SM_SITE:
		return db_stmt(r, sql_tags);
	case SM_ARTICLES:
		return db_stmt(r, sql_articles);
	default:
		return db_stmt(r, sql_authors);
	}
}

/*
 * Walk the public URLs of sec in (lo, hi], the home page too when the
 * range starts the site section, writing a <url> for each if write.
 * Their newest lastmod goes to *newest.  Returns how many, or -1 (r
 * failed).
 */
static int64_t
sm_walk(struct req *r, enum sm_section sec, int64_t lo, int64_t hi,
    int64_t now, bool write, int64_t *newest)
{
	sqlite3_stmt	*st;
	int64_t		 n = 0, lm;

	*newest = 0;
	if (sec == SM_SITE && lo == 0) {
		lm = sm_home_lastmod(r, now);
		if (write)
			sm_entry(r, "url", router_url(r, "article_list"), lm);
		*newest = lm;
		n++;
	}
	if ((st = sm_range_stmt(r, sec)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, lo);
	db_bind_int64(r, st, 2, hi);
	db_bind_int64(r, st, 3, now);
	while (db_step(r, st) == SQLITE_ROW) {
		const char	*kind = (const char *)sqlite3_column_text(st, 1);
		const char	*key = (const char *)sqlite3_column_text(st, 2);
		const char	*route;

		if (kind == NULL || key == NULL)
			continue;
		lm = sqlite3_column_int64(st, 3);
		if (lm > *newest)
			*newest = lm;
		n++;
		if (!write)
			continue;
		if (strcmp(kind, "tag") == 0)
			route = "tag_show";
		else if (strcmp(kind, "author") == 0)
			route = "author_show";
		else if (strcmp(kind, "page") == 0)
			route = "page_show";
		else
			route = "article_show";
		sm_entry(r, "url", router_url(r, route, key), lm);
	}
	db_done(r, st);
	return req_failed(r) ? -1 : n;
}

/*
 * Fill parts (lay's total of them) with the URL count and newest
 * lastmod of each part: articles in one aggregate over the table (the
 * same rows the parts list, grouped by part: about 0.3 s for 100,000
 * articles, as their updated_at must be read); the few parts of tags
 * and authors by walking each.  0 or -1.
 */
static int
sm_census(struct req *r, const struct sm_layout *lay, int64_t now,
    struct sm_part *parts)
{
	static const char sql[] =
	    "SELECT (id - 1) / ?1, count(*), max(max(publish_at, updated_at))"
	    "  FROM articles NOT INDEXED"
	    " WHERE status = 'published' AND publish_at <= ?2"
	    " GROUP BY 1";
	sqlite3_stmt	*st;
	int64_t		 first = 0;

	for (int i = 0; i < SM__MAX; i++) {
		if (i == SM_ARTICLES) {
			if ((st = db_stmt(r, sql)) == NULL)
				return -1;
			db_bind_int64(r, st, 1, lay->span[i]);
			db_bind_int64(r, st, 2, now);
			while (db_step(r, st) == SQLITE_ROW) {
				int64_t	 k = sqlite3_column_int64(st, 0);

				if (k < 0 || k >= lay->parts[i])
					continue;	/* raced a new row */
				parts[first + k].urls =
				    sqlite3_column_int64(st, 1);
				parts[first + k].lastmod =
				    sqlite3_column_int64(st, 2);
			}
			db_done(r, st);
		} else
			for (int64_t k = 0; k < lay->parts[i]; k++)
				if ((parts[first + k].urls = sm_walk(r,
				    (enum sm_section)i, k * lay->span[i],
				    (k + 1) * lay->span[i], now, false,
				    &parts[first + k].lastmod)) < 0)
					return -1;
		first += lay->parts[i];
	}
	return req_failed(r) ? -1 : 0;
}

/*
 * GET /sitemap.xml  every public URL with its lastmod, or, when there
 * are more than sitemap_urls of them, a sitemap index of the parts
 * (/sitemaps/N/) that hold any, each with its newest lastmod.
 * Public, conditional (304).
 */
int
page_sitemap(struct req *r)
{
	struct sm_layout	 lay;
	struct sm_part		*parts;
	int64_t			 now = (int64_t)time(NULL), total = 0, n = 0;
	int64_t			 lm;

	if (content_cache(r, "sitemap"))
		return r->cache_status;
	if (sm_layout(r, &lay) != 0)
		return HTTP_500;
	for (int i = 0; i < SM__MAX; i++)
		n += lay.parts[i];
	parts = arena_zalloc(r->arena, (size_t)n * sizeof(*parts));
	if (sm_census(r, &lay, now, parts) != 0)
		return HTTP_500;
	for (int64_t k = 0; k < n; k++)
		total += parts[k].urls;

	if (total <= lay.limit) {
		sm_begin(r, "urlset");
		for (int i = 0; i < SM__MAX; i++)
			if (sm_walk(r, (enum sm_section)i, 0,
			    lay.parts[i] * lay.span[i], now, true, &lm) < 0)
				return HTTP_500;
		buf_puts(&r->out, "</urlset>\n");
		return HTTP_200;
	}
	sm_begin(r, "sitemapindex");
	for (int64_t k = 0; k < n; k++) {
		char	 num[24];

		if (parts[k].urls == 0)
			continue;
		snprintf(num, sizeof(num), "%" PRId64, k + 1);
		sm_entry(r, "sitemap", router_url(r, "sitemap_part", num),
		    parts[k].lastmod);
	}
	buf_puts(&r->out, "</sitemapindex>\n");
	return req_failed(r) ? HTTP_500 : HTTP_200;
}

/*
 * GET /sitemaps/{n}/  part n of the sitemap (see the top of the file).
 * 404 if there is no such part or it holds no public URL.  Public,
 * conditional (304).
 */
int
page_sitemap_part(struct req *r)
{
	struct sm_layout	 lay;
	enum sm_section		 sec;
	long long		 n;
	int64_t			 lo, hi, count, lm;

	if (util_parse_int(req_param(r, "n"), 1, INT64_MAX, &n) != 0)
		return HTTP_404;
	if (sm_layout(r, &lay) != 0)
		return HTTP_500;
	if (!sm_locate(&lay, n, &sec, &lo, &hi))
		return HTTP_404;
	if (content_cache(r, arena_printf(r->arena, "sitemap:%lld", n)))
		return r->cache_status;
	sm_begin(r, "urlset");
	if ((count = sm_walk(r, sec, lo, hi, (int64_t)time(NULL), true,
	    &lm)) < 0)
		return HTTP_500;
	if (count == 0) {
		buf_reset(&r->out);	/* the error page replaces it */
		return HTTP_404;
	}
	buf_puts(&r->out, "</urlset>\n");
	return HTTP_200;
}

/*
 * GET /robots.txt  text/plain: what crawlers may not fetch (accounts,
 * admin, search results, the API) and where the sitemap is.
 */
int
page_robots(struct req *r)
{
	if (content_cache(r, "robots"))
		return r->cache_status;
	r->content_type = "text/plain; charset=utf-8";
	buf_printf(&r->out,
	    "User-agent: *\n"
	    "Disallow: /accounts/\n"
	    "Disallow: /admin/\n"
	    "Disallow: %s\n"
	    "Disallow: /api/\n"
	    "\n"
	    "Sitemap: %s\n",
	    router_url(r, "search"),
	    feed_abs_url(r, router_url(r, "sitemap")));
	return req_failed(r) ? HTTP_500 : HTTP_200;
}
