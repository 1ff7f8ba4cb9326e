/*
 * article: the articles table's queries.  The public list is paginated by
 * keyset (publish_at, id), which the articles_public index serves in
 * order, so page 500 costs what page 1 costs.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/http.h"
#include "core/util.h"
#include "article.h"

int
article_list_public(struct req *r, const struct article_filter *f,
    const struct article_cursor *cur,
    struct article *out, int max, int *more)
{
	static const char sql[] =
	    "SELECT id, slug, title, excerpt, publish_at, updated_at"
	    "  FROM articles"
	    " WHERE status = 'published' AND publish_at <= ?1"
	    "   AND (publish_at < ?2 OR (publish_at = ?2 AND id < ?3))"
	    " ORDER BY publish_at DESC, id DESC"
	    " LIMIT ?4";
	sqlite3_stmt	*st;
	int		 n = 0, rc;

	(void)f;
	*more = 0;
	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, (int64_t)time(NULL));
	db_bind_int64(r, st, 2, cur != NULL ? cur->publish_at : INT64_MAX);
	db_bind_int64(r, st, 3, cur != NULL ? cur->id : INT64_MAX);
	db_bind_int64(r, st, 4, max + 1);
	while ((rc = db_step(r, st)) == SQLITE_ROW) {
		struct article	*a;

		if (n == max) {
			*more = 1;
			break;
		}
		a = &out[n++];
		memset(a, 0, sizeof(*a));
		a->id = sqlite3_column_int64(st, 0);
		a->slug = db_col_strdup(r, st, 1);
		a->title = db_col_strdup(r, st, 2);
		a->excerpt = db_col_strdup(r, st, 3);
		a->publish_at = sqlite3_column_int64(st, 4);
		a->updated_at = sqlite3_column_int64(st, 5);
	}
	db_done(r, st);
	return req_failed(r) ? -1 : n;
}

struct article *
article_by_slug(struct req *r, const char *slug)
{
	static const char sql[] =
	    "SELECT id, slug, title, excerpt, body_html, publish_at,"
	    "       updated_at"
	    "  FROM articles"
	    " WHERE slug = ?1 AND status = 'published' AND publish_at <= ?2";
	sqlite3_stmt	*st;
	struct article	*a = NULL;

	if ((st = db_stmt(r, sql)) == NULL)
		return NULL;
	db_bind_text(r, st, 1, slug);
	db_bind_int64(r, st, 2, (int64_t)time(NULL));
	if (db_step(r, st) == SQLITE_ROW) {
		a = arena_zalloc(r->arena, sizeof(*a));
		a->id = sqlite3_column_int64(st, 0);
		a->slug = db_col_strdup(r, st, 1);
		a->title = db_col_strdup(r, st, 2);
		a->excerpt = db_col_strdup(r, st, 3);
		a->body_html = db_col_strdup(r, st, 4);
		a->publish_at = sqlite3_column_int64(st, 5);
		a->updated_at = sqlite3_column_int64(st, 6);
	}
	db_done(r, st);
	return a;
}

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
