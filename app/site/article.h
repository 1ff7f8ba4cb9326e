/*
 * article: the articles table (articles and static pages), its tags,
 * authors and old slugs.  Only published articles whose publish_at has
 * passed are public; every public query here applies that rule itself,
 * at read time, so scheduled articles appear by themselves.  Results live
 * in the request arena.
 */
#ifndef GAZETTE_ARTICLE_H
#define GAZETTE_ARTICLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct req;

struct tag {
	int64_t		 id;
	const char	*slug;
	const char	*name;
	const char	*description;
};

struct author {
	int64_t		 id;
	const char	*username;
	const char	*display_name;	/* the username when none is set */
	const char	*bio;
};

struct article {
	int64_t		 id;
	const char	*kind;		/* "article" or "page" */
	const char	*slug;
	const char	*title;
	const char	*excerpt;
	const char	*body;		/* Markdown; NULL unless asked for */
	const char	*body_html;	/* NULL in lists unless asked for */
	const char	*status;	/* draft, scheduled, published, trash */
	int64_t		 publish_at;	/* 0: not set */
	int64_t		 created_at;
	int64_t		 updated_at;
	int64_t		 author_id;	/* 0: none */
	const char	*author_username;	/* "" when no author */
	const char	*author_name;	/* display name, else username */
	bool		 comments_open;	/* the article's own switch */
	int64_t		 comment_count;	/* approved comments */
	struct tag	*tags;		/* by name; NULL unless loaded */
	size_t		 ntags;
};

/* A position in a list: articles strictly older than (publish_at, id). */
struct article_cursor {
	int64_t	 publish_at;
	int64_t	 id;
};

/* Which public articles a list shows. */
struct article_filter {
	int64_t	 tag_id;	/* 0: any */
	int64_t	 author_id;	/* 0: any */
	int64_t	 from, to;	/* publish_at in [from, to); 0, 0: any */
	bool	 with_body;	/* fill body_html too (feeds) */
	bool	 with_tags;	/* load each article's tags */
};

/*
 * Up to max public articles (kind 'article') matching f (NULL: all),
 * older than cur (NULL: the newest first), newest first, into out.
 * Returns the count (0..max), or -1 when r failed; *more says whether an
 * older page exists.  Keyset on (publish_at, id): page 500 costs what
 * page 1 costs.
 */
int	 article_list_public(struct req *r, const struct article_filter *f,
	    const struct article_cursor *cur, struct article *out, int max,
	    int *more);

/* The public article (kind 'article') with this slug, with body_html,
 * author and tags; NULL if absent, not published or not yet due. */
struct article *article_by_slug(struct req *r, const char *slug);
/* The public static page (kind 'page') with this slug, likewise. */
struct article *article_page_by_slug(struct req *r, const char *slug);
/* Any article or page by id whatever its status (previews, saving),
 * with body, body_html, author and tags; NULL if absent. */
struct article *article_by_id(struct req *r, int64_t id);
/* Is a public now (published and due)? */
bool	 article_is_public(const struct article *a);
/*
 * The current slug of the article that once had old_slug and is public
 * now, or NULL: /articles/OLD/ then answers 301 to the new URL.
 */
const char *article_redirect_slug(struct req *r, const char *old_slug);

/*
 * A tag by slug, an author (active user) by username; NULL if none.
 * An author is an active user with at least one public article: other
 * accounts (commenters) have no public page.
 */
struct tag *tag_by_slug(struct req *r, const char *slug);
struct author *author_by_username(struct req *r, const char *username);
/* Load a's tags (ordered by name) into a->tags.  0 or -1. */
int	 article_load_tags(struct req *r, struct article *a);
/*
 * Up to max public static pages (kind 'page'; slug and title only), by
 * title, into out, for the footer.  The count, or -1 when r failed.
 */
int	 article_pages_public(struct req *r, struct article *out, int max);

/* What a writer sends to create or change an article or page. */
struct article_input {
	int64_t		 id;		/* 0: create */
	const char	*kind;		/* NULL: "article" (update: keep) */
	const char	*title;
	const char	*slug;		/* NULL or "": made from the title
					 * (update: keep the current one) */
	const char	*excerpt;	/* NULL or "": from the first paragraph */
	const char	*body;		/* Markdown */
	const char	*status;
	int64_t		 publish_at;	/* 0: now, when published */
	int64_t		 author_id;	/* 0: none */
	const char	*tags;		/* comma-separated names; NULL: keep */
	int		 comments_open;	/* 1, 0, or -1: keep (1 on create) */
};

/*
 * Validate and save in one transaction: the slug made from the title (or
 * checked if given) and made unique with -2, -3 ...; the body rendered
 * by cmark-gfm in safe mode; the excerpt made from the first paragraph
 * unless written; tags created as needed; when the slug of a published
 * article changes, the old one recorded for a 301.  "scheduled" is
 * stored as "published" with its publish_at (required then): the public
 * rule is evaluated at read time, so it appears by itself when due.
 * Inside a transaction the caller opened (the admin's, with its history
 * entry), it writes in that one and leaves commit or rollback to the
 * caller.  Returns the id, 0
 * with *field and *error set (field name of the input, message for the
 * user) when the input is refused, or -1 when r failed.
 */
int64_t	 article_save(struct req *r, const struct article_input *in,
	    const char **field, const char **error);

/* May a static page not have this slug (a first path segment the site
 * uses itself: articles, tags, admin ...)? */
bool	 article_slug_is_reserved(const char *slug);

/*
 * Delete for good at most 100 articles (and pages) in the trash last
 * changed before `before`, with their comments, tags and old slugs, each
 * logged to the admin history as a deletion.  In the caller's write
 * transaction.  The count, or -1.
 */
int	 article_purge_trash(struct req *r, int64_t before);

/*
 * Articles that became public in (since, now]: status published and
 * publish_at in that range, oldest first, at most max, into ids and
 * publish_ats.  The count, or -1.
 */
int	 article_came_due(struct req *r, int64_t since, int64_t now,
	    int64_t *ids, int64_t *publish_ats, int max);

/*
 * The API's list: articles (kind 'article') by id, newest first,
 * keyset on id so pages stay put under inserts.  visibility: "public"
 * (published and due), "any" (all but trash), or one status ("draft",
 * "published" (due), "scheduled" (published, not yet due), "trash").
 * own_id: when not 0, only public articles or own_id's.  tag_id,
 * author_id: 0 for any; from/to: publish_at in [from, to), 0 for open;
 * fts: an FTS5 expression already quoted (search_fts_quote()), "" for
 * none.  before (> 0): ids below it, newest first; after (> 0): the page
 * just above it (still newest first).  Fills up to max articles into
 * out, with their tags and without bodies (summaries: one statement for
 * the rows, one for all their tags); returns the count, or -1 (r
 * failed); *more: a further page exists in the direction asked.
 */
struct article_api_filter {
	const char	*visibility;
	int64_t		 own_id, tag_id, author_id, from, to;
	const char	*fts;
};
int	 article_list_api(struct req *r, const struct article_api_filter *f,
	    int64_t before, int64_t after, struct article *out, int max,
	    int *more);

/* Up to max tags by name into out; the count, or -1 (r failed). */
int	 tag_list_all(struct req *r, struct tag *out, int max);

/* "1700000000-42" <-> cursor.  Parse returns 0, or -1 if malformed. */
int	 article_cursor_parse(const char *s, struct article_cursor *cur);
const char *article_cursor_format(struct req *r,
	    const struct article_cursor *cur);

/*
 * The validator of what public pages show: the content version (every
 * change to articles, tags, comments, authors and settings moves it)
 * and the newest publish_at that has passed (a scheduled article coming
 * due changes pages without any write).  *last_modified gets the later
 * of the two times.  NULL when r failed.
 */
const char *content_validator(struct req *r, int64_t *last_modified);
/*
 * cache_public() with content_validator() plus extra (the page's own
 * part of the validator: an article id, a query...).  true: the answer
 * is ready, return r->cache_status (304, or 200 from memory).
 */
bool	 content_cache(struct req *r, const char *extra);

#endif
