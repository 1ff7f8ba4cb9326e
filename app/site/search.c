/*
 * search: /search/?q=, full-text search of public articles and static
 * pages over articles_fts.  Owns the search query, the rewriting of a
 * query FTS5 refuses, and the escaping of the snippets it highlights.
 * The index itself is kept in step by the schema's triggers; the public
 * rule is applied here at read time, as by every public query.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/http.h"
#include "core/render.h"
#include "core/router.h"
#include "core/util.h"
#include "article.h"
#include "feed.h"
#include "search.h"
#include "site.h"

#define SEARCH_REFUSED	(-2)	/* search_step(): FTS5 said no */

/*
 * The lowest rowid the ranking looks at for expr: the rowid of the
 * SEARCH_RANK_MAX-th newest match, or 0 when there are fewer.  Rowids
 * only, no scoring, so it costs at most SEARCH_RANK_MAX steps.  Returns
 * 0 or more, -1 when r failed, or SEARCH_REFUSED when FTS5 refused
 * expr: the cheap place to find that out.
 */
static int64_t
search_floor(struct req *r, const char *expr)
{
	static const char sql[] =
	    "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1"
	    " ORDER BY rowid DESC LIMIT 1 OFFSET ?2";
	sqlite3_stmt	*st;
	int64_t		 lowest = 0;
	int		 rc;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_text(r, st, 1, expr);
	db_bind_int64(r, st, 2, SEARCH_RANK_MAX - 1);
	if ((rc = db_step_soft(r, st)) == SQLITE_ROW)
		lowest = sqlite3_column_int64(st, 0);
	db_done(r, st);
	if (req_failed(r))
		return -1;
	return rc == SQLITE_ERROR ? SEARCH_REFUSED : lowest;
}

/*
 * One page of ranked results for the FTS5 expression expr: the count
 * (0..max), -1 when r failed, or SEARCH_REFUSED when FTS5 refused expr
 * (a syntax error, an unknown column), which fails nothing.
 *
 * The plan: FTS5 orders by rank itself ("SCAN articles_fts VIRTUAL
 * TABLE INDEX 32:rM4>"): it scores every match at or above the floor
 * with bm25 (title 10, excerpt 4, body 1, tags 6) and sorts them, then
 * articles rows are read by primary key only until LIMIT public ones
 * have come out, so a draft or a future article costs one lookup, and
 * highlight() and snippet() run for the rows shown only.  Scoring is
 * the cost (about 1.5 us a match), hence the floor.  The snippet
 * markers are control characters (char(2), char(3)) that
 * search_snippet_html() turns into <mark> once the rest is escaped.
 */
static int
search_step(struct req *r, const char *expr, int offset,
    struct search_hit *out, int max, bool *more)
{
	static const char sql[] =
	    "SELECT a.id, a.kind, a.slug, a.publish_at,"
	    "       highlight(articles_fts, 0, char(2), char(3)),"
	    "       snippet(articles_fts, 2, char(2), char(3),"
	    "           '\xe2\x80\xa6', 24),"
	    "       snippet(articles_fts, 1, char(2), char(3),"
	    "           '\xe2\x80\xa6', 24)"
	    "  FROM articles_fts"
	    "  JOIN articles a ON a.id = articles_fts.rowid"
	    " WHERE articles_fts MATCH ?1"
	    "   AND articles_fts.rank MATCH 'bm25(10.0, 4.0, 1.0, 6.0)'"
	    "   AND articles_fts.rowid >= ?5"
	    "   AND a.status = 'published' AND a.publish_at <= ?2"
	    " ORDER BY articles_fts.rank"
	    " LIMIT ?3 OFFSET ?4";
	sqlite3_stmt	*st;
	int64_t		 lowest;
	int		 n = 0, rc;

	*more = false;
	if ((lowest = search_floor(r, expr)) < 0)
		return lowest == SEARCH_REFUSED ? SEARCH_REFUSED : -1;
	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_text(r, st, 1, expr);
	db_bind_int64(r, st, 2, (int64_t)time(NULL));
	db_bind_int64(r, st, 3, max + 1);
	db_bind_int64(r, st, 4, offset);
	db_bind_int64(r, st, 5, lowest);
	while ((rc = db_step_soft(r, st)) == SQLITE_ROW) {
		struct search_hit	*h;
		const char		*body, *excerpt, *snip;

		if (n == max) {
			*more = true;
			break;
		}
		h = &out[n++];
		h->id = sqlite3_column_int64(st, 0);
		h->kind = db_col_strdup(r, st, 1);
		h->slug = db_col_strdup(r, st, 2);
		h->publish_at = sqlite3_column_int64(st, 3);
		h->title_html = search_snippet_html(r,
		    (const char *)sqlite3_column_text(st, 4));
		/* The body's snippet when the body matched, else the
		 * excerpt's: it says what the article is about when only
		 * the title or a tag matched. */
		body = (const char *)sqlite3_column_text(st, 5);
		excerpt = (const char *)sqlite3_column_text(st, 6);
		if (body != NULL && strchr(body, SEARCH_MARK_OPEN) != NULL)
			snip = body;
		else if (excerpt != NULL && *excerpt != '\0')
			snip = excerpt;
		else
			snip = body;
		h->snippet_html = search_snippet_html(r, snip);
	}
	db_done(r, st);
	if (req_failed(r))
		return -1;
	if (rc == SQLITE_ERROR) {
		*more = false;
		return SEARCH_REFUSED;
	}
	return n;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\f' || c == '\v';
}

static bool
is_blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (!is_space(*s))
			return false;
	return true;
}

int
search_public(struct req *r, const char *q, int offset,
    struct search_hit *out, int max, bool *more)
{
	const char	*quoted;
	int		 n;

	*more = false;
	if (q == NULL || is_blank(q))
		return 0;
	if ((n = search_step(r, q, offset, out, max, more)) != SEARCH_REFUSED)
		return n;
	/* As typed it is not FTS5 ("covid-19", it's, "unclosed, AND):
	 * every term as a phrase of its own is. */
	quoted = search_fts_quote(r, q);
	if (*quoted == '\0')
		return 0;
	n = search_step(r, quoted, offset, out, max, more);
	return n == SEARCH_REFUSED ? 0 : n;
}

const char *
search_fts_quote(struct req *r, const char *q)
{
	struct buf	 b;
	const char	*s = q, *t, *end;
	char		*res;

	buf_init(&b);
	for (;;) {
		while (is_space(*s))
			s++;
		if (*s == '\0')
			break;
		for (t = s; *t != '\0' && !is_space(*t); t++)
			continue;
		/* A trailing * stays a prefix search: "vaccin"* */
		for (end = t; end > s && end[-1] == '*'; end--)
			continue;
		if (end == s)
			end = t;
		if (b.len > 0)
			buf_putc(&b, ' ');
		buf_putc(&b, '"');
		for (const char *p = s; p < end; p++) {
			if (*p == '"')
				buf_putc(&b, '"');
			buf_putc(&b, *p);
		}
		buf_putc(&b, '"');
		if (end < t)
			buf_putc(&b, '*');
		s = t;
	}
	res = arena_strndup(r->arena, b.ptr != NULL ? b.ptr : "", b.len);
	buf_free(&b);
	return res;
}

const char *
search_snippet_html(struct req *r, const char *s)
{
	struct buf	 b;
	const char	*run;
	bool		 open = false;
	char		*res;

	if (s == NULL)
		return "";
	buf_init(&b);
	for (;;) {
		for (run = s; *s != '\0' && *s != SEARCH_MARK_OPEN &&
		    *s != SEARCH_MARK_CLOSE; s++)
			continue;
		feed_xml_escape(&b, run, (size_t)(s - run));
		if (*s == '\0')
			break;
		/* A marker out of turn (the text itself held one) is
		 * dropped, so the marks stay balanced. */
		if (*s == SEARCH_MARK_OPEN && !open) {
			buf_puts(&b, "<mark>");
			open = true;
		} else if (*s == SEARCH_MARK_CLOSE && open) {
			buf_puts(&b, "</mark>");
			open = false;
		}
		s++;
	}
	if (open)
		buf_puts(&b, "</mark>");
	res = arena_strndup(r->arena, b.ptr != NULL ? b.ptr : "", b.len);
	buf_free(&b);
	return res;
}

/* The search page's URL for q and page (1: no page parameter). */
static const char *
search_url(struct req *r, const char *q, long long page)
{
	const char	*base = router_url(r, "search");

	if (page <= 1)
		return arena_printf(r->arena, "%s?q=%s", base,
		    http_url_encode(r, q));
	return arena_printf(r->arena, "%s?q=%s&page=%lld", base,
	    http_url_encode(r, q), page);
}

/* Render the search page with an error about the request: 400. */
static int
search_refuse(struct req *r, const char *message)
{
	render_set(r, "Search.error", message);
	if (render(r, "site/search.cs") != HTTP_200)
		return HTTP_500;
	return HTTP_400;
}

/*
 * GET /search/?q=QUERY[&page=N]  the search form, and with a query its
 * results, SEARCH_PAGE_SIZE a page, best first.  Public, cached like
 * every public page (the query is part of the URL).
 * 200 with the form alone when q is empty or absent; 200 "No results"
 * for a query that finds nothing or that FTS5 cannot read; 400 (the
 * page with the message) when q is longer than SEARCH_QUERY_MAX
 * characters or page is not a number from 1 to SEARCH_PAGE_MAX.
 */
int
page_search(struct req *r)
{
	struct search_hit	 hits[SEARCH_PAGE_SIZE];
	const char		*q = req_query(r, "q");
	const char		*praw = req_query(r, "page");
	long long		 page = 1;
	bool			 more;
	int			 n;

	if (q == NULL)
		q = "";
	/* The layout's header form and feed link (site_page_hook may set
	 * them for every page too). */
	render_set(r, "Urls.search", router_url(r, "search"));
	render_set(r, "Urls.feed", router_url(r, "feed"));
	render_set(r, "Search.query", q);
	render_set_int(r, "Search.query_max", SEARCH_QUERY_MAX);
	if (util_utf8_chars(q) > SEARCH_QUERY_MAX)
		return search_refuse(r, arena_printf(r->arena, "A search can "
		    "be at most %d characters long. Try fewer words.",
		    SEARCH_QUERY_MAX));
	if (praw != NULL && util_parse_int(praw, 1, SEARCH_PAGE_MAX,
	    &page) != 0)
		return search_refuse(r, arena_printf(r->arena, "The page "
		    "number must be a whole number from 1 to %d.",
		    SEARCH_PAGE_MAX));
	if (content_cache(r, "search"))
		return r->cache_status;
	if (is_blank(q))
		return render(r, "site/search.cs");

	n = search_public(r, q, (int)(page - 1) * SEARCH_PAGE_SIZE, hits,
	    SEARCH_PAGE_SIZE, &more);
	if (n < 0)
		return HTTP_500;
	render_set(r, "Search.has_query", "1");
	render_set_int(r, "Search.page", page);
	render_set_int(r, "Search.first", (page - 1) * SEARCH_PAGE_SIZE + 1);
	render_set_int(r, "Search.last", (page - 1) * SEARCH_PAGE_SIZE + n);
	for (int i = 0; i < n; i++) {
		struct render_node *h = render_node(r, "Search.results.%d", i);
		bool		 is_page = strcmp(hits[i].kind, "page") == 0;

		render_node_set(r, h, "title_html", hits[i].title_html);
		render_node_set(r, h, "snippet_html", hits[i].snippet_html);
		render_node_set(r, h, "url", router_url(r, is_page ?
		    "page_show" : "article_show", hits[i].slug));
		if (is_page)
			render_node_set(r, h, "is_page", "1");
		else
			render_node_set_date(r, h, "date", hits[i].publish_at);
	}
	if (more && page < SEARCH_PAGE_MAX)
		render_set(r, "Search.next", search_url(r, q, page + 1));
	if (page > 1)
		render_set(r, "Search.prev", search_url(r, q, page - 1));
	return render(r, "site/search.cs");
}
