/*
 * article: queries on the articles table.  Only published articles whose
 * time has come are public; every function here applies that rule itself.
 * Results live in the request arena.
 */
#ifndef GAZETTE_ARTICLE_H
#define GAZETTE_ARTICLE_H

#include <stddef.h>
#include <stdint.h>

struct req;

struct article {
	int64_t		 id;
	const char	*slug;
	const char	*title;
	const char	*excerpt;
	const char	*body_html;
	int64_t		 published_at;
	int64_t		 updated_at;
};

/* A position in the public list: articles strictly older than this. */
struct article_cursor {
	int64_t	 published_at;
	int64_t	 id;
};

/*
 * Up to max public articles older than cur (or the newest when cur is
 * NULL), newest first, into out.  Returns the count (0..max), or -1 when
 * r failed.  Asks for one more row than max to learn whether an older
 * page exists (*more).
 */
int	 article_list_public(struct req *r, const struct article_cursor *cur,
	    struct article *out, int max, int *more);

/* The public article with this slug, or NULL (absent, draft, future). */
struct article *article_by_slug(struct req *r, const char *slug);

/* "1700000000-42" <-> cursor.  Parse returns 0, or -1 if malformed. */
int	 article_cursor_parse(const char *s, struct article_cursor *cur);
const char *article_cursor_format(struct req *r,
	    const struct article_cursor *cur);

#endif
