/*
 * content: the validator public pages derive their ETag and
 * Last-Modified from.  One indexed read: the content_version row, which
 * triggers move on every change to what readers see, and the newest
 * publish_at that has passed, which moves when a scheduled article comes
 * due without anything being written.
 */
#include <inttypes.h>
#include <time.h>

#include "core/arena.h"
#include "core/cache.h"
#include "core/db.h"
#include "core/http.h"
#include "article.h"

const char *
content_validator(struct req *r, int64_t *last_modified)
{
	static const char sql[] =
	    "SELECT n, changed_at,"
	    "       (SELECT publish_at FROM articles"
	    "         WHERE status = 'published' AND publish_at <= ?1"
	    "         ORDER BY status DESC, publish_at DESC LIMIT 1)"
	    "  FROM content_version WHERE id = 1";
	sqlite3_stmt	*st;
	int64_t		 n = 0, changed = 0, due = 0;

	if ((st = db_stmt(r, sql)) == NULL)
		return NULL;
	db_bind_int64(r, st, 1, (int64_t)time(NULL));
	if (db_step(r, st) == SQLITE_ROW) {
		n = sqlite3_column_int64(st, 0);
		changed = sqlite3_column_int64(st, 1);
		due = sqlite3_column_int64(st, 2);
	}
	db_done(r, st);
	if (req_failed(r))
		return NULL;
	*last_modified = changed > due ? changed : due;
	return arena_printf(r->arena, "v%" PRId64 ".%" PRId64, n, due);
}

bool
content_cache(struct req *r, const char *extra)
{
	const char	*v;
	int64_t		 lm = 0;

	if (r->user != NULL || r->private_page)
		return false;
	if ((v = content_validator(r, &lm)) == NULL)
		return false;
	return cache_public(r, arena_printf(r->arena, "%s|%s", v,
	    extra != NULL ? extra : ""), lm);
}
