/*
 * trash: emptying the articles' trash for good, the periodic job's work
 * (app/site/jobs.c).  Apart from article.c because it writes the admin
 * history: the reader's pages (and the search fuzzer) need none of that.
 */
#include <stdint.h>

#include "core/admin.h"
#include "core/db.h"
#include "core/http.h"
#include "site/article.h"

/* Run sql (a literal DELETE with the id in ?1).  0 or -1. */
static int
delete_by_id(struct req *r, const char *sql, int64_t id)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, id);
	rc = db_step(r, st);
	db_done(r, st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
article_purge_trash(struct req *r, int64_t before)
{
	static const char sql_ids[] =
	    "SELECT id, title FROM articles"
	    " WHERE status = 'trash' AND updated_at < ?1 ORDER BY id LIMIT ?2";
	enum { BATCH = 100 };
	sqlite3_stmt	*st;
	int64_t		 ids[BATCH];
	const char	*titles[BATCH];
	int		 n = 0;

	if ((st = db_stmt(r, sql_ids)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, before);
	db_bind_int64(r, st, 2, BATCH);
	while (n < BATCH && db_step(r, st) == SQLITE_ROW) {
		ids[n] = sqlite3_column_int64(st, 0);
		titles[n++] = db_col_strdup(r, st, 1);
	}
	db_done(r, st);
	for (int i = 0; i < n && !req_failed(r); i++) {
		/* Comments go with it (their parent_id cascades). */
		if (delete_by_id(r, "DELETE FROM comments WHERE article_id = ?1",
		    ids[i]) != 0 || delete_by_id(r, "DELETE FROM article_tags"
		    " WHERE article_id = ?1", ids[i]) != 0 ||
		    delete_by_id(r, "DELETE FROM slug_redirects"
		    " WHERE article_id = ?1", ids[i]) != 0 ||
		    delete_by_id(r, "DELETE FROM articles WHERE id = ?1",
		    ids[i]) != 0)
			return -1;
		if (admin_log(r, "article", ids[i], titles[i],
		    ADMIN_LOG_DELETE, NULL, NULL) < 0)
			return -1;
	}
	return req_failed(r) ? -1 : n;
}

