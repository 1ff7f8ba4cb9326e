/*
 * search: full-text search of public articles and static pages with
 * SQLite FTS5 (articles_fts: title, excerpt, body and tag names, kept in
 * step by triggers; see sql/0003_publishing.sql).  What the visitor types
 * is tried as an FTS5 expression ("phrases", OR, NOT, prefix*), then,
 * if FTS5 refuses it, once more with every term quoted; a query refused
 * twice finds nothing, it never fails the request.  Results are ranked
 * by bm25 with the title weighted most (the SEARCH_RANK_MAX newest
 * matches of a very broad query) and come with highlighted snippets,
 * escaped here: the only HTML this module hands the template.
 */
#ifndef GAZETTE_SEARCH_H
#define GAZETTE_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct req;

#define SEARCH_QUERY_MAX	200	/* characters a query may have */
#define SEARCH_PAGE_SIZE	20	/* results a page */
#define SEARCH_PAGE_MAX		50	/* ranked pages go no further */
/*
 * A query that matches more articles than this is ranked among its
 * SEARCH_RANK_MAX newest matches only (by id): bm25 scores every match
 * it ranks, about 1.5 us each, so a query matching most of 100,000
 * articles ("the") would take 150 ms or more; capped it takes about
 * 25 ms.  Queries that narrow the field are ranked exactly.
 */
#define SEARCH_RANK_MAX		10000

/* One result.  Strings live in the request arena. */
struct search_hit {
	int64_t		 id;
	const char	*kind;		/* "article" or "page" */
	const char	*slug;
	const char	*title_html;	/* escaped; matches in <mark> */
	const char	*snippet_html;	/* likewise; "" when there is none */
	int64_t		 publish_at;
};

/*
 * Up to max public articles and pages matching the query q as typed,
 * best first, skipping the first offset, into out.  *more says whether
 * a result follows the last one returned.  Returns the count (0..max),
 * or -1 when r failed (a database error, not a refused query): a query
 * FTS5 refuses both as typed and quoted (search_fts_quote) gives 0.
 */
int	 search_public(struct req *r, const char *q, int offset,
	    struct search_hit *out, int max, bool *more);

/*
 * q with every whitespace-separated term made an FTS5 phrase ("it's"
 * becomes "it's", a quote inside a term is doubled): an expression FTS5
 * always accepts, matching documents that hold every term.  "" when q
 * has no term.  In the request arena.
 */
const char *search_fts_quote(struct req *r, const char *q);

/*
 * s (text from snippet() or highlight() with the markers
 * SEARCH_MARK_OPEN and SEARCH_MARK_CLOSE) as HTML: everything escaped
 * (feed_xml_escape), each marked run in <mark></mark>, marks balanced
 * and never nested whatever the markers in s.  In the request arena.
 */
#define SEARCH_MARK_OPEN	'\x02'
#define SEARCH_MARK_CLOSE	'\x03'
const char *search_snippet_html(struct req *r, const char *s);

#endif
