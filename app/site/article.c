/*
 * article: every query on articles (and static pages), their tags,
 * authors and old slugs, and article_save(), the one way in for writers.
 * The public rule (status 'published' and publish_at passed) is applied
 * by each public query at read time.  Lists are paginated by keyset
 * (publish_at, id) on the articles_public or articles_author index, so
 * page 500 costs what page 1 costs.  Results live in the request arena.
 * The caching validator is content.c's.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/http.h"
#include "core/markdown.h"
#include "core/slug.h"
#include "core/util.h"
#include "article.h"

#define TITLE_MAX	300	/* characters, as the table's CHECK */
#define EXCERPT_MAX	1000	/* characters */
#define EXCERPT_AUTO	300	/* bytes of a made excerpt */
#define TAG_NAME_MAX	100	/* characters, as the table's CHECK */
#define TAGS_MAX	20	/* per article */
#define TIME_MAX	253402300799LL	/* 9999-12-31T23:59:59Z */
#define TAG_COUNT_MAX	1000	/* see tag_is_common() */

/* What every article query selects, in the order row_read() reads it;
 * then column 14 is the Markdown body and 15 the HTML, or NULL. */
#define ARTICLE_COLUMNS \
	"a.id, a.kind, a.slug, a.title, a.excerpt, a.status, a.publish_at," \
	" a.created_at, a.updated_at, coalesce(a.author_id, 0)," \
	" coalesce(u.username, '')," \
	" coalesce(nullif(u.display_name, ''), u.username, '')," \
	" a.comments_open, a.comment_count"
#define ARTICLE_FROM \
	" FROM articles a LEFT JOIN users u ON u.id = a.author_id"
#define COL_BODY	14
#define COL_BODY_HTML	15

/* First path segments a static page may not take: /{slug}/ is routed
 * last, and these are (or may become) the site's own sections. */
static const char *const reserved_slugs[] = {
	"articles", "tags", "authors", "archive", "search", "feed",
	"sitemaps", "accounts", "admin", "api", "static", "media",
	"comments", "__test",
};

static const char *const statuses[] = {
	"draft", "scheduled", "published", "trash",
};

/* ---- reading ------------------------------------------------------------ */

/* Fill a from the current row of st (ARTICLE_COLUMNS, then the bodies). */
static void
row_read(struct req *r, sqlite3_stmt *st, struct article *a)
{
	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(st, 0);
	a->kind = db_col_strdup(r, st, 1);
	a->slug = db_col_strdup(r, st, 2);
	a->title = db_col_strdup(r, st, 3);
	a->excerpt = db_col_strdup(r, st, 4);
	a->status = db_col_strdup(r, st, 5);
	a->publish_at = sqlite3_column_int64(st, 6);
	a->created_at = sqlite3_column_int64(st, 7);
	a->updated_at = sqlite3_column_int64(st, 8);
	a->author_id = sqlite3_column_int64(st, 9);
	a->author_username = db_col_strdup(r, st, 10);
	a->author_name = db_col_strdup(r, st, 11);
	a->comments_open = sqlite3_column_int(st, 12) != 0;
	a->comment_count = sqlite3_column_int64(st, 13);
	if (sqlite3_column_type(st, COL_BODY) != SQLITE_NULL)
		a->body = db_col_strdup(r, st, COL_BODY);
	if (sqlite3_column_type(st, COL_BODY_HTML) != SQLITE_NULL)
		a->body_html = db_col_strdup(r, st, COL_BODY_HTML);
}

/* Fill t from the current row of st: id, slug, name, description. */
static void
tag_read(struct req *r, sqlite3_stmt *st, struct tag *t)
{
	t->id = sqlite3_column_int64(st, 0);
	t->slug = db_col_strdup(r, st, 1);
	t->name = db_col_strdup(r, st, 2);
	t->description = db_col_strdup(r, st, 3);
}

/* Make b the smaller of b and (t, id) in keyset order. */
static void
bound_lower(struct article_cursor *b, int64_t t, int64_t id)
{
	if (t < b->publish_at || (t == b->publish_at && id < b->id)) {
		b->publish_at = t;
		b->id = id;
	}
}

/*
 * Is the tag common: more than sqrt(N) of the N articles (N from the
 * largest id, which costs nothing to read)?  A common tag's list walks
 * articles_public newest first and keeps the ids in the tag's list: the
 * walk ends after about 21 N / count entries.  A rare tag's articles are
 * read one by one and sorted instead, which costs their number, each a
 * whole row (publish_at sits after the bodies).  sqrt(N) is where the
 * two cost the same; counting stops at TAG_COUNT_MAX.  Room to grow:
 * article_tags carrying status and publish_at, indexed (tag_id, status,
 * publish_at, article_id), would serve every tag in order; that is a
 * schema change.
 */
static bool
tag_is_common(struct req *r, int64_t tag_id)
{
	static const char sql[] =
	    "SELECT (SELECT count(*) FROM (SELECT 1 FROM article_tags"
	    "         WHERE tag_id = ?1 LIMIT ?2)),"
	    "       (SELECT coalesce(max(id), 0) FROM articles)";
	sqlite3_stmt	*st;
	int64_t		 count = 0, n = 0;

	if ((st = db_stmt(r, sql)) == NULL)
		return false;
	db_bind_int64(r, st, 1, tag_id);
	db_bind_int64(r, st, 2, TAG_COUNT_MAX);
	if (db_step(r, st) == SQLITE_ROW) {
		count = sqlite3_column_int64(st, 0);
		n = sqlite3_column_int64(st, 1);
	}
	db_done(r, st);
	return count == TAG_COUNT_MAX || count * count > n;
}

/*
 * The list statement for f, bound but for the keyset: by tag (the author
 * as an optional filter), by author (articles_author), or all
 * (articles_public).  Each takes ?1 from, (?2, ?3) the exclusive upper
 * bound, ?4 the limit, ?5 whether to read body_html, then the tag or
 * author.  The public rule's "publish_at <= now" is in the bound, with
 * the cursor and the end of the month, so the index range does all
 * three: spelled out as a condition of its own it would make SQLite
 * walk articles_public for an author's list.
 */
static sqlite3_stmt *
list_stmt(struct req *r, const struct article_filter *f)
{
	static const char sql_all[] =
	    "SELECT " ARTICLE_COLUMNS ", NULL,"
	    "       CASE WHEN ?5 THEN a.body_html END"
	    ARTICLE_FROM
	    " WHERE a.status = 'published' AND a.kind = 'article'"
	    "   AND a.publish_at >= ?1 AND (a.publish_at, a.id) < (?2, ?3)"
	    " ORDER BY a.publish_at DESC, a.id DESC LIMIT ?4";
	static const char sql_author[] =
	    "SELECT " ARTICLE_COLUMNS ", NULL,"
	    "       CASE WHEN ?5 THEN a.body_html END"
	    ARTICLE_FROM
	    " WHERE a.author_id = ?6 AND a.status = 'published'"
	    "   AND a.kind = 'article'"
	    "   AND a.publish_at >= ?1 AND (a.publish_at, a.id) < (?2, ?3)"
	    " ORDER BY a.publish_at DESC, a.id DESC LIMIT ?4";
	/* The membership test comes before kind, which is read from the
	 * row: only the tag's articles cost a row. */
	static const char sql_tag_common[] =
	    "SELECT " ARTICLE_COLUMNS ", NULL,"
	    "       CASE WHEN ?5 THEN a.body_html END"
	    ARTICLE_FROM
	    " WHERE a.status = 'published'"
	    "   AND a.publish_at >= ?1 AND (a.publish_at, a.id) < (?2, ?3)"
	    "   AND a.id IN (SELECT article_id FROM article_tags"
	    "                 WHERE tag_id = ?6)"
	    "   AND a.kind = 'article' AND (?7 = 0 OR a.author_id = ?7)"
	    " ORDER BY a.publish_at DESC, a.id DESC LIMIT ?4";
	static const char sql_tag_rare[] =
	    "SELECT " ARTICLE_COLUMNS ", NULL,"
	    "       CASE WHEN ?5 THEN a.body_html END"
	    "  FROM article_tags at"
	    " CROSS JOIN articles a ON a.id = at.article_id"
	    "  LEFT JOIN users u ON u.id = a.author_id"
	    " WHERE at.tag_id = ?6"
	    "   AND a.status = 'published' AND a.kind = 'article'"
	    "   AND a.publish_at >= ?1 AND (a.publish_at, a.id) < (?2, ?3)"
	    "   AND (?7 = 0 OR a.author_id = ?7)"
	    " ORDER BY a.publish_at DESC, a.id DESC LIMIT ?4";
	sqlite3_stmt	*st;

	if (f->tag_id != 0 && tag_is_common(r, f->tag_id))
		st = db_stmt(r, sql_tag_common);
	else if (f->tag_id != 0)
		st = db_stmt(r, sql_tag_rare);
	else if (f->author_id != 0)
		st = db_stmt(r, sql_author);
	else
		st = db_stmt(r, sql_all);
	if (st == NULL)
		return NULL;
	if (f->tag_id != 0) {
		db_bind_int64(r, st, 6, f->tag_id);
		db_bind_int64(r, st, 7, f->author_id);
	} else if (f->author_id != 0)
		db_bind_int64(r, st, 6, f->author_id);
	return st;
}

/* A copy of the n elements of size at v in a new arena array of cap. */
static void *
array_grow(struct req *r, void *v, size_t n, size_t cap, size_t size)
{
	void	*w = arena_alloc(r->arena, cap * size);

	if (n > 0)
		memcpy(w, v, n * size);
	return w;
}

/* Sort a's tags by name (insertion sort: one to a few each). */
static void
tags_sort(struct article *a)
{
	for (size_t i = 1; i < a->ntags; i++) {
		struct tag	 t = a->tags[i];
		size_t		 j = i;

		for (; j > 0 && strcasecmp(a->tags[j - 1].name, t.name) > 0; j--)
			a->tags[j] = a->tags[j - 1];
		a->tags[j] = t;
	}
}

/*
 * The tags of the n articles in out, in one query over article_tags
 * (the ids go in as a JSON array), each article's sorted by name.
 * Lists have no use for descriptions: they stay "".  The rows come in
 * any order and are counted, then placed: a page costs one statement
 * and no SQL sort.
 */
static int
list_load_tags(struct req *r, struct article *out, int n)
{
	static const char sql[] =
	    "SELECT at.article_id, t.id, t.slug, t.name"
	    "  FROM json_each(?1) j"
	    "  JOIN article_tags at ON at.article_id = j.value"
	    "  JOIN tags t ON t.id = at.tag_id";
	sqlite3_stmt	*st;
	struct buf	 ids;
	struct tag	*rows = NULL;
	int		*owner = NULL;
	size_t		 nrows = 0, cap = 0;

	for (int i = 0; i < n; i++) {
		out[i].tags = NULL;
		out[i].ntags = 0;
	}
	if (n == 0)
		return 0;
	buf_init(&ids);
	buf_putc(&ids, '[');
	for (int i = 0; i < n; i++)
		buf_printf(&ids, "%s%" PRId64, i == 0 ? "" : ",", out[i].id);
	buf_putc(&ids, ']');
	if ((st = db_stmt(r, sql)) == NULL) {
		buf_free(&ids);
		return -1;
	}
	db_bind_text(r, st, 1, ids.ptr);
	while (db_step(r, st) == SQLITE_ROW) {
		int64_t	 id = sqlite3_column_int64(st, 0);
		int	 i = 0;

		while (i < n && out[i].id != id)
			i++;
		if (i == n)
			continue;
		if (nrows == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			rows = array_grow(r, rows, nrows, cap, sizeof(*rows));
			owner = array_grow(r, owner, nrows, cap,
			    sizeof(*owner));
		}
		owner[nrows] = i;
		rows[nrows].id = sqlite3_column_int64(st, 1);
		rows[nrows].slug = db_col_strdup(r, st, 2);
		rows[nrows].name = db_col_strdup(r, st, 3);
		rows[nrows].description = "";
		out[i].ntags++;
		nrows++;
	}
	db_done(r, st);
	buf_free(&ids);
	for (int i = 0; i < n; i++) {
		size_t	 k = 0;

		if (out[i].ntags == 0)
			continue;
		out[i].tags = arena_alloc(r->arena, out[i].ntags *
		    sizeof(*out[i].tags));
		for (size_t j = 0; j < nrows; j++)
			if (owner[j] == i)
				out[i].tags[k++] = rows[j];
		tags_sort(&out[i]);
	}
	return req_failed(r) ? -1 : 0;
}

int
article_list_public(struct req *r, const struct article_filter *f,
    const struct article_cursor *cur,
    struct article *out, int max, int *more)
{
	static const struct article_filter	 none;
	struct article_cursor	 b = { INT64_MAX, INT64_MAX };
	int64_t			 now = (int64_t)time(NULL);
	sqlite3_stmt		*st;
	int			 n = 0;

	*more = 0;
	if (f == NULL)
		f = &none;
	bound_lower(&b, now + 1, 0);		/* publish_at <= now */
	if (cur != NULL)
		bound_lower(&b, cur->publish_at, cur->id);
	if (f->to != 0)
		bound_lower(&b, f->to, 0);	/* publish_at < to */
	if ((st = list_stmt(r, f)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, f->from);
	db_bind_int64(r, st, 2, b.publish_at);
	db_bind_int64(r, st, 3, b.id);
	db_bind_int64(r, st, 4, max + 1);
	db_bind_int64(r, st, 5, f->with_body);
	while (db_step(r, st) == SQLITE_ROW) {
		if (n == max) {
			*more = 1;
			break;
		}
		row_read(r, st, &out[n++]);
	}
	db_done(r, st);
	if (!req_failed(r) && f->with_tags && list_load_tags(r, out, n) != 0)
		return -1;
	return req_failed(r) ? -1 : n;
}

/* The one row of st (bound by the caller), with its tags, or NULL. */
static struct article *
article_one(struct req *r, sqlite3_stmt *st)
{
	struct article	*a = NULL;

	if (db_step(r, st) == SQLITE_ROW) {
		a = arena_alloc(r->arena, sizeof(*a));
		row_read(r, st, a);
	}
	db_done(r, st);
	if (a != NULL && article_load_tags(r, a) != 0)
		return NULL;
	return a;
}

/*
 * The public row of kind ('article' or 'page') with slug, with its tags,
 * or NULL.  slug is UNIQUE, so binding the kind costs the lookup nothing.
 */
static struct article *
public_by_slug(struct req *r, const char *slug, const char *kind)
{
	static const char sql[] =
	    "SELECT " ARTICLE_COLUMNS ", NULL, a.body_html"
	    ARTICLE_FROM
	    " WHERE a.slug = ?1 AND a.kind = ?3"
	    "   AND a.status = 'published' AND a.publish_at <= ?2";
	sqlite3_stmt	*st;

	if ((st = db_stmt(r, sql)) == NULL)
		return NULL;
	db_bind_text(r, st, 1, slug);
	db_bind_int64(r, st, 2, (int64_t)time(NULL));
	db_bind_text(r, st, 3, kind);
	return article_one(r, st);
}

struct article *
article_by_slug(struct req *r, const char *slug)
{
	return public_by_slug(r, slug, "article");
}

struct article *
article_page_by_slug(struct req *r, const char *slug)
{
	return public_by_slug(r, slug, "page");
}

int
article_pages_public(struct req *r, struct article *out, int max)
{
	static const char sql[] =
	    "SELECT slug, title FROM articles"
	    " WHERE kind = 'page' AND status = 'published' AND publish_at <= ?1"
	    " ORDER BY title LIMIT ?2";
	sqlite3_stmt	*st;
	int		 n = 0;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, (int64_t)time(NULL));
	db_bind_int64(r, st, 2, max);
	while (n < max && db_step(r, st) == SQLITE_ROW) {
		memset(&out[n], 0, sizeof(out[n]));
		out[n].kind = "page";
		out[n].slug = db_col_strdup(r, st, 0);
		out[n].title = db_col_strdup(r, st, 1);
		n++;
	}
	db_done(r, st);
	return req_failed(r) ? -1 : n;
}

struct article *
article_by_id(struct req *r, int64_t id)
{
	static const char sql[] =
	    "SELECT " ARTICLE_COLUMNS ", a.body, a.body_html"
	    ARTICLE_FROM
	    " WHERE a.id = ?1";
	sqlite3_stmt	*st;

	if ((st = db_stmt(r, sql)) == NULL)
		return NULL;
	db_bind_int64(r, st, 1, id);
	return article_one(r, st);
}

bool
article_is_public(const struct article *a)
{
	return a->status != NULL && strcmp(a->status, "published") == 0 &&
	    a->publish_at <= (int64_t)time(NULL);
}

const char *
article_redirect_slug(struct req *r, const char *old_slug)
{
	static const char sql[] =
	    "SELECT a.slug FROM slug_redirects s"
	    "  JOIN articles a ON a.id = s.article_id"
	    " WHERE s.old_slug = ?1 AND a.kind = 'article'"
	    "   AND a.status = 'published' AND a.publish_at <= ?2";
	sqlite3_stmt	*st;
	const char	*slug = NULL;

	if ((st = db_stmt(r, sql)) == NULL)
		return NULL;
	db_bind_text(r, st, 1, old_slug);
	db_bind_int64(r, st, 2, (int64_t)time(NULL));
	if (db_step(r, st) == SQLITE_ROW)
		slug = db_col_strdup(r, st, 0);
	db_done(r, st);
	return slug;
}

struct tag *
tag_by_slug(struct req *r, const char *slug)
{
	static const char sql[] =
	    "SELECT id, slug, name, description FROM tags WHERE slug = ?1";
	sqlite3_stmt	*st;
	struct tag	*t = NULL;

	if ((st = db_stmt(r, sql)) == NULL)
		return NULL;
	db_bind_text(r, st, 1, slug);
	if (db_step(r, st) == SQLITE_ROW) {
		t = arena_alloc(r->arena, sizeof(*t));
		tag_read(r, st, t);
	}
	db_done(r, st);
	return t;
}

struct author *
author_by_username(struct req *r, const char *username)
{
	static const char sql[] =
	    "SELECT u.id, u.username,"
	    "       coalesce(nullif(u.display_name, ''), u.username), u.bio"
	    "  FROM users u"
	    " WHERE u.username = ?1 AND u.is_active = 1"
	    "   AND EXISTS (SELECT 1 FROM articles a"
	    "                WHERE a.author_id = u.id"
	    "                  AND a.status = 'published'"
	    "                  AND a.publish_at <= ?2"
	    "                  AND a.kind = 'article')";
	sqlite3_stmt	*st;
	struct author	*au = NULL;

	if ((st = db_stmt(r, sql)) == NULL)
		return NULL;
	db_bind_text(r, st, 1, username);
	db_bind_int64(r, st, 2, (int64_t)time(NULL));
	if (db_step(r, st) == SQLITE_ROW) {
		au = arena_alloc(r->arena, sizeof(*au));
		au->id = sqlite3_column_int64(st, 0);
		au->username = db_col_strdup(r, st, 1);
		au->display_name = db_col_strdup(r, st, 2);
		au->bio = db_col_strdup(r, st, 3);
	}
	db_done(r, st);
	return au;
}

int
article_load_tags(struct req *r, struct article *a)
{
	static const char sql[] =
	    "SELECT t.id, t.slug, t.name, t.description"
	    "  FROM article_tags at JOIN tags t ON t.id = at.tag_id"
	    " WHERE at.article_id = ?1 ORDER BY t.name";
	sqlite3_stmt	*st;
	size_t		 cap = 0;

	a->tags = NULL;
	a->ntags = 0;
	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, a->id);
	while (db_step(r, st) == SQLITE_ROW) {
		if (a->ntags == cap) {
			cap = cap == 0 ? 4 : cap * 2;
			a->tags = array_grow(r, a->tags, a->ntags, cap,
			    sizeof(*a->tags));
		}
		tag_read(r, st, &a->tags[a->ntags++]);
	}
	db_done(r, st);
	return req_failed(r) ? -1 : 0;
}

/* ---- saving ------------------------------------------------------------- */

/* What article_save() works out, then writes. */
struct save {
	const struct article_input *in;
	int64_t		 now;
	const char	*kind;
	const char	*title;
	const char	*status;
	const char	*excerpt;
	bool		 excerpt_auto;
	const char	*body;
	const char	*body_html;
	int64_t		 publish_at;	/* 0: NULL */
	int		 comments_open;
	const char	*slug;
	char		 slug_buf[SLUG_SIZE];
	/* The row as it was (updates). */
	bool		 exists;
	const char	*old_slug;
	const char	*old_status;
	const char	*old_kind;
	int64_t		 old_publish_at;
	int		 old_comments_open;
	/* Why the input was refused. */
	const char	*field;
	const char	*error;
};

/* Refuse the input: false, for `return refuse(...)`. */
static bool
refuse(struct save *s, const char *field, const char *error)
{
	s->field = field;
	s->error = error;
	return false;
}

static bool
is_one_of(const char *s, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s != NULL && strcmp(s, v[i]) == 0)
			return true;
	return false;
}

/* The checks that need no database: title, kind, status, excerpt, time. */
static bool
save_check(struct req *r, struct save *s)
{
	static const char *const kinds[] = { "article", "page" };
	const struct article_input *in = s->in;
	size_t		 n;

	s->title = util_strtrim(r->arena, in->title);
	if ((n = util_utf8_chars(s->title)) == 0)
		return refuse(s, "title", "This field is required.");
	if (n > TITLE_MAX)
		return refuse(s, "title", "Ensure the title has at most 300 "
		    "characters.");
	if (in->kind != NULL && !is_one_of(in->kind, kinds, NELEM(kinds)))
		return refuse(s, "kind", "Choose article or page.");
	if (in->status == NULL || *in->status == '\0')
		return refuse(s, "status", "This field is required.");
	if (!is_one_of(in->status, statuses, NELEM(statuses)))
		return refuse(s, "status", "Choose draft, scheduled, "
		    "published or trash.");
	if (in->publish_at < 0 || in->publish_at > TIME_MAX)
		return refuse(s, "publish_at", "Enter a date between 1970 "
		    "and 9999.");
	s->excerpt = util_strtrim(r->arena, in->excerpt);
	if (util_utf8_chars(s->excerpt) > EXCERPT_MAX)
		return refuse(s, "excerpt", "Ensure the excerpt has at most "
		    "1000 characters.");
	if (in->comments_open < -1 || in->comments_open > 1)
		return refuse(s, "comments_open", "Choose open or closed.");
	return true;
}

/* body_html from the Markdown, and the excerpt unless written.  0 or -1. */
static int
save_render(struct req *r, struct save *s)
{
	struct buf	 b;
	int		 rc;

	s->body = s->in->body != NULL ? s->in->body : "";
	buf_init(&b);
	rc = markdown_article(s->body, strlen(s->body), &b);
	s->body_html = arena_strdup(r->arena, b.ptr != NULL ? b.ptr : "");
	if (rc == 0 && *s->excerpt == '\0') {
		buf_reset(&b);
		rc = markdown_excerpt(s->body, strlen(s->body), EXCERPT_AUTO,
		    &b);
		s->excerpt = arena_strdup(r->arena, b.ptr != NULL ? b.ptr : "");
		s->excerpt_auto = true;
	}
	buf_free(&b);
	if (rc != 0)
		req_fail(r, 500, "article_save: Markdown rendering failed");
	return rc;
}

/* The row being updated, into s->old_*.  false if there is none. */
static bool
save_load_old(struct req *r, struct save *s)
{
	static const char sql[] =
	    "SELECT slug, status, kind, coalesce(publish_at, 0),"
	    "       comments_open"
	    "  FROM articles WHERE id = ?1";
	sqlite3_stmt	*st;

	if ((st = db_stmt(r, sql)) == NULL)
		return false;
	db_bind_int64(r, st, 1, s->in->id);
	if (db_step(r, st) == SQLITE_ROW) {
		s->exists = true;
		s->old_slug = db_col_strdup(r, st, 0);
		s->old_status = db_col_strdup(r, st, 1);
		s->old_kind = db_col_strdup(r, st, 2);
		s->old_publish_at = sqlite3_column_int64(st, 3);
		s->old_comments_open = sqlite3_column_int(st, 4);
	}
	db_done(r, st);
	return s->exists;
}

static bool
author_is_known(struct req *r, int64_t id)
{
	static const char sql[] = "SELECT 1 FROM users WHERE id = ?1";
	sqlite3_stmt	*st;
	bool		 found;

	if ((st = db_stmt(r, sql)) == NULL)
		return false;
	db_bind_int64(r, st, 1, id);
	found = db_step(r, st) == SQLITE_ROW;
	db_done(r, st);
	return found;
}

/* The id the next row will get, by sql ("SELECT coalesce(max(id), 0) +
 * 1 FROM ..."): rowids without AUTOINCREMENT are max + 1, and we hold
 * the write lock. */
static int64_t
next_id(struct req *r, const char *sql)
{
	sqlite3_stmt	*st;
	int64_t		 id = 1;

	if ((st = db_stmt(r, sql)) == NULL)
		return 1;
	if (db_step(r, st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	db_done(r, st);
	return id;
}

bool
article_slug_is_reserved(const char *slug)
{
	return is_one_of(slug, reserved_slugs, NELEM(reserved_slugs));
}

struct slug_arg {
	struct req	*r;
	int64_t		 id;		/* the article's own row: not taken */
	bool		 page;		/* reserved slugs are taken too */
};

static bool
article_slug_taken(const char *candidate, void *arg)
{
	static const char sql[] =
	    "SELECT 1 FROM articles WHERE slug = ?1 AND id <> ?2";
	struct slug_arg	*a = arg;
	sqlite3_stmt	*st;
	bool		 taken;

	if (a->page && article_slug_is_reserved(candidate))
		return true;
	if ((st = db_stmt(a->r, sql)) == NULL)
		return true;
	db_bind_text(a->r, st, 1, candidate);
	db_bind_int64(a->r, st, 2, a->id);
	taken = db_step(a->r, st) != SQLITE_DONE;
	db_done(a->r, st);
	return taken;
}

/*
 * s->slug: the one given (checked), else the current one (updates: kept
 * as it is, unless a page now would take a reserved one), else made
 * from the title ("article-N", "page-N" if nothing is left of it); then
 * made unique with -2, -3 ... as WordPress does.
 */
static bool
save_slug(struct req *r, struct save *s)
{
	static const char sql_next[] =
	    "SELECT coalesce(max(id), 0) + 1 FROM articles";
	struct slug_arg	 arg = { r, s->in->id, strcmp(s->kind, "page") == 0 };
	const char	*given = s->in->slug;
	char		 base[SLUG_SIZE];

	if (given != NULL && *given != '\0') {
		if (!slug_is_valid(given))
			return refuse(s, "slug", "Enter a valid slug: "
			    "lower-case letters, digits and hyphens.");
		if (arg.page && article_slug_is_reserved(given))
			return refuse(s, "slug", "This address belongs to the "
			    "site itself: choose another slug.");
		snprintf(base, sizeof(base), "%s", given);
	} else if (s->exists && !(arg.page &&
	    article_slug_is_reserved(s->old_slug))) {
		s->slug = s->old_slug;
		return true;
	} else if (slug_make(s->title, base, sizeof(base)) == 0)
		snprintf(base, sizeof(base), "%s-%" PRId64, s->kind,
		    s->exists ? s->in->id : next_id(r, sql_next));
	if (slug_unique(base, article_slug_taken, &arg, s->slug_buf,
	    sizeof(s->slug_buf)) != 0 && !req_failed(r))
		return refuse(s, "slug", "This slug is taken: choose "
		    "another.");
	s->slug = s->slug_buf;
	return !req_failed(r);
}

/*
 * Status, publish_at and comments_open as stored.  "scheduled" is kept
 * as "published" with its future publish_at: the public rule is
 * evaluated at read time, so it appears by itself when due.  A publish
 * time left at 0 keeps the one the article has, else becomes now when
 * published.
 */
static bool
save_times(struct save *s)
{
	const struct article_input *in = s->in;

	s->status = in->status;
	s->publish_at = in->publish_at != 0 ? in->publish_at :
	    s->exists ? s->old_publish_at : 0;
	if (strcmp(s->status, "scheduled") == 0) {
		if (s->publish_at == 0)
			return refuse(s, "publish_at", "Give the date and time "
			    "to publish at.");
		s->status = "published";
	}
	if (strcmp(s->status, "published") == 0 && s->publish_at == 0)
		s->publish_at = s->now;
	s->comments_open = in->comments_open >= 0 ? in->comments_open :
	    s->exists ? s->old_comments_open : 1;
	return true;
}

/* Insert the row, or update it.  The id, or -1. */
static int64_t
save_row(struct req *r, const struct save *s, int64_t author_id)
{
	static const char sql[] =
	    "INSERT INTO articles (kind, slug, title, excerpt, excerpt_auto,"
	    "    body, body_html, status, publish_at, author_id,"
	    "    comments_open, created_at, updated_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)";
	static const char sql_update[] =
	    "UPDATE articles SET kind = ?1, slug = ?2, title = ?3,"
	    "    excerpt = ?4, excerpt_auto = ?5, body = ?6, body_html = ?7,"
	    "    status = ?8, publish_at = ?9, author_id = ?10,"
	    "    comments_open = ?11, updated_at = ?12"
	    " WHERE id = ?13";
	sqlite3_stmt	*st;

	if (s->exists)
		st = db_stmt(r, sql_update);
	else
		st = db_stmt(r, sql);
	if (st == NULL)
		return -1;
	db_bind_text(r, st, 1, s->kind);
	db_bind_text(r, st, 2, s->slug);
	db_bind_text(r, st, 3, s->title);
	db_bind_text(r, st, 4, s->excerpt);
	db_bind_int64(r, st, 5, s->excerpt_auto);
	db_bind_text(r, st, 6, s->body);
	db_bind_text(r, st, 7, s->body_html);
	db_bind_text(r, st, 8, s->status);
	if (s->publish_at != 0)
		db_bind_int64(r, st, 9, s->publish_at);
	else
		db_bind_null(r, st, 9);
	if (author_id != 0)
		db_bind_int64(r, st, 10, author_id);
	else
		db_bind_null(r, st, 10);
	db_bind_int64(r, st, 11, s->comments_open);
	db_bind_int64(r, st, 12, s->now);
	if (s->exists)
		db_bind_int64(r, st, 13, s->in->id);
	db_step(r, st);
	db_done(r, st);
	if (req_failed(r))
		return -1;
	return s->exists ? s->in->id : sqlite3_last_insert_rowid(db_handle());
}

/*
 * Old URLs keep working: the slug of a published article that changes
 * is recorded for a 301, and a redirect from the new slug (which now
 * answers itself) is dropped.
 */
static void
save_redirects(struct req *r, const struct save *s, int64_t id)
{
	static const char sql_drop[] =
	    "DELETE FROM slug_redirects WHERE old_slug = ?1";
	static const char sql_add[] =
	    "INSERT OR REPLACE INTO slug_redirects"
	    " (old_slug, article_id, created_at) VALUES (?1, ?2, ?3)";
	sqlite3_stmt	*st;

	if (!s->exists || strcmp(s->old_slug, s->slug) == 0)
		return;
	if ((st = db_stmt(r, sql_drop)) != NULL) {
		db_bind_text(r, st, 1, s->slug);
		db_step(r, st);
		db_done(r, st);
	}
	if (strcmp(s->old_status, "published") != 0 ||
	    strcmp(s->old_kind, "article") != 0)
		return;
	if ((st = db_stmt(r, sql_add)) != NULL) {
		db_bind_text(r, st, 1, s->old_slug);
		db_bind_int64(r, st, 2, id);
		db_bind_int64(r, st, 3, s->now);
		db_step(r, st);
		db_done(r, st);
	}
}

/* ---- tags --------------------------------------------------------------- */

static int
tags_refuse(struct save *s, const char *error)
{
	refuse(s, "tags", error);
	return -1;
}

/*
 * The tag names in list (comma-separated), trimmed, without empty ones
 * and without repeats (ASCII case-insensitive, as the column's NOCASE),
 * into names (room for TAGS_MAX).  Returns the count, or -1 with the
 * refusal in s.
 */
static int
tags_parse(struct req *r, struct save *s, const char *list,
    const char **names)
{
	int	 n = 0;

	for (const char *p = list; *p != '\0'; ) {
		size_t		 len = strcspn(p, ","), tlen = len;
		const char	*t = util_trim(p, &tlen);
		const char	*name = arena_strndup(r->arena, t, tlen);
		bool		 dup = false;

		p += len + (p[len] == ',');
		for (int i = 0; i < n && !dup; i++)
			dup = strcasecmp(names[i], name) == 0;
		if (*name == '\0' || dup)
			continue;
		if (util_utf8_chars(name) > TAG_NAME_MAX)
			return tags_refuse(s, "Each tag has at most 100 "
			    "characters.");
		if (n == TAGS_MAX)
			return tags_refuse(s, "At most 20 tags.");
		names[n++] = name;
	}
	return n;
}

static bool
tag_slug_taken(const char *candidate, void *arg)
{
	static const char sql[] = "SELECT 1 FROM tags WHERE slug = ?1";
	struct req	*r = arg;
	sqlite3_stmt	*st;
	bool		 taken;

	if ((st = db_stmt(r, sql)) == NULL)
		return true;
	db_bind_text(r, st, 1, candidate);
	taken = db_step(r, st) != SQLITE_DONE;
	db_done(r, st);
	return taken;
}

/* The id of the tag named name, created if missing; 0 when r failed. */
static int64_t
tag_get_or_create(struct req *r, const char *name)
{
	static const char sql_find[] = "SELECT id FROM tags WHERE name = ?1";
	static const char sql_next[] =
	    "SELECT coalesce(max(id), 0) + 1 FROM tags";
	static const char sql[] =
	    "INSERT INTO tags (slug, name) VALUES (?1, ?2)";
	sqlite3_stmt	*st;
	char		 base[SLUG_SIZE], slug[SLUG_SIZE];
	int64_t		 id = 0;

	if ((st = db_stmt(r, sql_find)) == NULL)
		return 0;
	db_bind_text(r, st, 1, name);
	if (db_step(r, st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	db_done(r, st);
	if (id != 0 || req_failed(r))
		return id;
	if (slug_make(name, base, sizeof(base)) == 0)
		snprintf(base, sizeof(base), "tag-%" PRId64,
		    next_id(r, sql_next));
	if (slug_unique(base, tag_slug_taken, r, slug, sizeof(slug)) != 0) {
		req_fail(r, 500, "article_save: no free slug for tag %s", base);
		return 0;
	}
	if ((st = db_stmt(r, sql)) == NULL)
		return 0;
	db_bind_text(r, st, 1, slug);
	db_bind_text(r, st, 2, name);
	db_step(r, st);
	db_done(r, st);
	return req_failed(r) ? 0 : sqlite3_last_insert_rowid(db_handle());
}

/* Replace the tags of article id by the n names. */
static void
tags_replace(struct req *r, int64_t id, const char **names, int n)
{
	static const char sql_clear[] =
	    "DELETE FROM article_tags WHERE article_id = ?1";
	static const char sql_add[] =
	    "INSERT OR IGNORE INTO article_tags (article_id, tag_id)"
	    " VALUES (?1, ?2)";
	sqlite3_stmt	*st;

	if ((st = db_stmt(r, sql_clear)) == NULL)
		return;
	db_bind_int64(r, st, 1, id);
	db_step(r, st);
	db_done(r, st);
	for (int i = 0; i < n && !req_failed(r); i++) {
		int64_t	 tag = tag_get_or_create(r, names[i]);

		if (tag == 0 || (st = db_stmt(r, sql_add)) == NULL)
			return;
		db_bind_int64(r, st, 1, id);
		db_bind_int64(r, st, 2, tag);
		db_step(r, st);
		db_done(r, st);
	}
}

/* ---- article_save ------------------------------------------------------- */

/* Everything inside the transaction: the id, 0 if refused, -1 if failed. */
static int64_t
save_write(struct req *r, struct save *s)
{
	const struct article_input *in = s->in;
	const char	*names[TAGS_MAX];
	int64_t		 id;
	int		 ntags = 0;

	if (in->id != 0 && !save_load_old(r, s)) {
		refuse(s, "id", "There is no such article.");
		return req_failed(r) ? -1 : 0;
	}
	s->kind = in->kind != NULL ? in->kind :
	    s->exists ? s->old_kind : "article";
	if (in->author_id != 0 && !author_is_known(r, in->author_id)) {
		refuse(s, "author", "There is no such author.");
		return req_failed(r) ? -1 : 0;
	}
	if (in->tags != NULL && (ntags = tags_parse(r, s, in->tags,
	    names)) < 0)
		return 0;
	if (!save_times(s) || !save_slug(r, s))
		return req_failed(r) ? -1 : 0;
	if ((id = save_row(r, s, in->author_id)) <= 0)
		return -1;
	save_redirects(r, s, id);
	if (in->tags != NULL)
		tags_replace(r, id, names, ntags);
	return req_failed(r) ? -1 : id;
}

int64_t
article_save(struct req *r, const struct article_input *in,
    const char **field, const char **error)
{
	struct save	 s;
	int64_t		 id;
	bool		 own = !db_in_tx();	/* else the caller's */

	memset(&s, 0, sizeof(s));
	s.in = in;
	s.now = (int64_t)time(NULL);
	*field = *error = NULL;
	if (!save_check(r, &s)) {
		*field = s.field;
		*error = s.error;
		return 0;
	}
	if (save_render(r, &s) != 0 || (own && db_begin_write(r) != 0))
		return -1;
	if ((id = save_write(r, &s)) > 0 && (!own || db_commit(r) == 0))
		return id;
	if (own)
		db_rollback(r);
	if (id == 0) {
		*field = s.field;
		*error = s.error;
	}
	return id == 0 ? 0 : -1;
}

/* ---- the API's lists ---------------------------------------------------- */

/*
 * +a.kind: no index on kind, so that the planner walks articles by id
 * (the order asked) and stops at the page's end; with the join to users
 * it would rather take index articles_kind and sort every article,
 * reading each row's bodies on the way (4 ms a page over 1000 articles).
 */
#define API_LIST_WHERE \
	ARTICLE_FROM " WHERE +a.kind = 'article'" \
	"   AND (CASE ?2" \
	"        WHEN 'public' THEN a.status = 'published' AND a.publish_at <= ?3" \
	"        WHEN 'published' THEN a.status = 'published'" \
	"                              AND a.publish_at <= ?3" \
	"        WHEN 'scheduled' THEN a.status = 'published'" \
	"                              AND a.publish_at > ?3" \
	"        WHEN 'any' THEN a.status <> 'trash'" \
	"        ELSE a.status = ?2 END)" \
	"   AND (?4 = 0 OR a.author_id = ?4" \
	"        OR (a.status = 'published' AND a.publish_at <= ?3))" \
	"   AND (?5 = 0 OR EXISTS (SELECT 1 FROM article_tags t" \
	"        WHERE t.article_id = a.id AND t.tag_id = ?5))" \
	"   AND (?6 = 0 OR a.author_id = ?6)" \
	"   AND (?7 = 0 OR a.publish_at >= ?7)" \
	"   AND (?8 = 0 OR a.publish_at < ?8)" \
	"   AND (?9 = '' OR a.id IN (SELECT rowid FROM articles_fts" \
	"        WHERE articles_fts MATCH ?9))"

int
article_list_api(struct req *r, const struct article_api_filter *f,
    int64_t before, int64_t after, struct article *out, int max, int *more)
{
	static const char sql_older[] =
	    "SELECT " ARTICLE_COLUMNS ", NULL, NULL" API_LIST_WHERE
	    "   AND (?1 = 0 OR a.id < ?1) ORDER BY a.id DESC LIMIT ?10";
	static const char sql_newer[] =
	    "SELECT " ARTICLE_COLUMNS ", NULL, NULL" API_LIST_WHERE
	    "   AND a.id > ?1 ORDER BY a.id ASC LIMIT ?10";
	sqlite3_stmt	*st;
	int		 n = 0, rc;

	*more = 0;
	if (after > 0)
		st = db_stmt(r, sql_newer);
	else
		st = db_stmt(r, sql_older);
	if (st == NULL)
		return -1;
	db_bind_int64(r, st, 1, after > 0 ? after : before);
	db_bind_text(r, st, 2, f->visibility);
	db_bind_int64(r, st, 3, (int64_t)time(NULL));
	db_bind_int64(r, st, 4, f->own_id);
	db_bind_int64(r, st, 5, f->tag_id);
	db_bind_int64(r, st, 6, f->author_id);
	db_bind_int64(r, st, 7, f->from);
	db_bind_int64(r, st, 8, f->to);
	db_bind_text(r, st, 9, f->fts != NULL ? f->fts : "");
	db_bind_int64(r, st, 10, max + 1);
	while ((rc = db_step_soft(r, st)) == SQLITE_ROW) {
		if (n == max) {
			*more = 1;
			break;
		}
		row_read(r, st, &out[n++]);
	}
	db_done(r, st);
	if (req_failed(r))
		return -1;
	if (after > 0)
		for (int i = 0; i < n / 2; i++) {
			struct article t = out[i];

			out[i] = out[n - 1 - i];
			out[n - 1 - i] = t;
		}
	return list_load_tags(r, out, n) != 0 ? -1 : n;
}

int
tag_list_all(struct req *r, struct tag *out, int max)
{
	static const char sql[] =
	    "SELECT id, slug, name, description FROM tags"
	    " ORDER BY name LIMIT ?1";
	sqlite3_stmt	*st;
	int		 n = 0;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, max);
	while (n < max && db_step(r, st) == SQLITE_ROW) {
		out[n].id = sqlite3_column_int64(st, 0);
		out[n].slug = db_col_strdup(r, st, 1);
		out[n].name = db_col_strdup(r, st, 2);
		out[n].description = db_col_strdup(r, st, 3);
		n++;
	}
	db_done(r, st);
	return req_failed(r) ? -1 : n;
}

/* ---- cursors ------------------------------------------------------------ */

int
article_cursor_parse(const char *s, struct article_cursor *cur)
{
	const char	*dash = strchr(s, '-');
	char		 left[24];
	long long	 t, id;
	size_t		 n;

	if (dash == NULL || (n = (size_t)(dash - s)) == 0 ||
	    n >= sizeof(left))
		return -1;
	memcpy(left, s, n);
	left[n] = '\0';
	if (util_parse_int(left, 0, INT64_MAX, &t) != 0 ||
	    util_parse_int(dash + 1, 1, INT64_MAX, &id) != 0)
		return -1;
	cur->publish_at = t;
	cur->id = id;
	return 0;
}

const char *
article_cursor_format(struct req *r, const struct article_cursor *cur)
{
	return arena_printf(r->arena, "%" PRId64 "-%" PRId64,
	    cur->publish_at, cur->id);
}

int
article_came_due(struct req *r, int64_t since, int64_t now, int64_t *ids,
    int64_t *publish_ats, int max)
{
	static const char sql[] =
	    "SELECT id, publish_at FROM articles"
	    " WHERE status = 'published' AND publish_at > ?1"
	    "   AND publish_at <= ?2 ORDER BY publish_at, id LIMIT ?3";
	sqlite3_stmt	*st;
	int		 n = 0;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, since);
	db_bind_int64(r, st, 2, now);
	db_bind_int64(r, st, 3, max);
	while (n < max && db_step(r, st) == SQLITE_ROW) {
		ids[n] = sqlite3_column_int64(st, 0);
		publish_ats[n++] = sqlite3_column_int64(st, 1);
	}
	db_done(r, st);
	return req_failed(r) ? -1 : n;
}
