/*
 * moderation: the admin's comment moderation queue and commenter bans.
 * It owns the comment_bans table (its queries, and the check every new
 * comment passes: moderation_ban_find) and the queue's own reads and
 * bulk writes over comments; single comments, the rules and the article
 * page's buttons stay in comment.c and comment_pages.c.  Every change is
 * logged in the admin history (admin_log) in its write transaction.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/admin.h"
#include "core/arena.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "core/model.h"
#include "core/render.h"
#include "core/router.h"
#include "core/util.h"
#include "site/comment.h"
#include "site/notify.h"
#include "site/site.h"

#define QUEUE_PAGE	50	/* comments per page of the queue */
#define COUNT_CAP	10000	/* tab counts: "10000+" past it */
#define BULK_MAX	200	/* ids one POST may act on */
#define EMPTY_BATCH	1000	/* comments one "empty" deletes */
#define HIDE_MAX	5000	/* comments one ban may hide */
#define BANS_PAGE	50	/* past bans per page */
#define ACTIVE_MAX	500	/* active bans listed */
#define BAN_DAYS_MAX	3650
#define REASON_MAX	500	/* characters */

/* ---- bans: the pure part ------------------------------------------------- */

static const char *const ban_kinds[BAN__MAX] = { "user", "email", "ip" };

/* Words for a ban's kind, in messages and the list. */
static const char *const ban_kind_labels[BAN__MAX] = {
	"account", "email address", "IP address"
};

const char *
moderation_ban_kind_name(enum comment_ban_kind k)
{
	return k < BAN__MAX ? ban_kinds[k] : "";
}

enum comment_ban_kind
moderation_ban_kind(const char *name)
{
	for (int k = 0; name != NULL && k < BAN__MAX; k++)
		if (strcmp(name, ban_kinds[k]) == 0)
			return (enum comment_ban_kind)k;
	return BAN__MAX;
}

bool
moderation_ban_is_active(const struct comment_ban *b, int64_t now)
{
	return b->lifted_at == 0 && (b->expires_at == 0 || now < b->expires_at);
}

bool
moderation_ban_matches(const struct comment_ban *b, int64_t user_id,
    const char *email, const char *ip)
{
	switch (b->kind) {
	case BAN_USER:
		return user_id > 0 && b->user_id == user_id;
	case BAN_EMAIL:
		return email != NULL && *email != '\0' && b->value != NULL &&
		    strcasecmp(b->value, email) == 0;
	case BAN_IP:
		return ip != NULL && *ip != '\0' && b->value != NULL &&
		    strcasecmp(b->value, ip) == 0;
	default:
		return false;
	}
}

/*
 * The address s as inet_ntop writes it (so "::0001" is "::1"), in the
 * arena, or NULL when inet_pton takes it for neither IPv4 nor IPv6.
 */
static const char *
ip_normal(struct req *r, const char *s)
{
	unsigned char	 bin[sizeof(struct in6_addr)];
	char		 out[INET6_ADDRSTRLEN];

	if (s == NULL)
		return NULL;
	if (inet_pton(AF_INET, s, bin) == 1)
		return inet_ntop(AF_INET, bin, out, sizeof(out)) != NULL ?
		    arena_strdup(r->arena, out) : NULL;
	if (inet_pton(AF_INET6, s, bin) == 1)
		return inet_ntop(AF_INET6, bin, out, sizeof(out)) != NULL ?
		    arena_strdup(r->arena, out) : NULL;
	return NULL;
}

/* ---- bans: queries ------------------------------------------------------- */

#define BAN_COLS \
	"b.id, b.kind, b.value, coalesce(b.user_id, 0), b.reason," \
	" b.created_at, coalesce(b.expires_at, 0), coalesce(b.lifted_at, 0)"

static void
ban_row(struct req *r, sqlite3_stmt *st, struct comment_ban *b)
{
	memset(b, 0, sizeof(*b));
	b->id = sqlite3_column_int64(st, 0);
	b->kind = moderation_ban_kind((const char *)sqlite3_column_text(st,
	    1));
	b->value = db_col_strdup(r, st, 2);
	b->user_id = sqlite3_column_int64(st, 3);
	b->reason = db_col_strdup(r, st, 4);
	b->created_at = sqlite3_column_int64(st, 5);
	b->expires_at = sqlite3_column_int64(st, 6);
	b->lifted_at = sqlite3_column_int64(st, 7);
}

struct comment_ban *
moderation_ban_find(struct req *r, int64_t user_id, const char *email,
    const char *ip)
{
	/*
	 * Every ban not lifted that names one of the three, by the indexes
	 * (kind, value) and (user_id); whether it has expired is decided
	 * below, by the same function the list and the tests use.
	 */
	static const char sql[] =
	    "SELECT " BAN_COLS " FROM comment_bans b"
	    " WHERE b.lifted_at IS NULL"
	    "   AND ((b.kind = 'user' AND b.user_id = ?1)"
	    "     OR (b.kind = 'email' AND b.value = ?2)"
	    "     OR (b.kind = 'ip' AND b.value = ?3))"
	    " ORDER BY b.id";
	sqlite3_stmt		*st;
	struct comment_ban	 b, *found = NULL;
	const char		*nip = ip_normal(r, ip);
	int64_t			 now = (int64_t)time(NULL);

	if (nip == NULL)
		nip = ip != NULL ? ip : "";
	if (email == NULL)
		email = "";
	if ((st = db_stmt(r, sql)) == NULL)
		return NULL;
	db_bind_int64(r, st, 1, user_id > 0 ? user_id : -1);
	db_bind_text(r, st, 2, email);
	db_bind_text(r, st, 3, nip);
	while (found == NULL && db_step(r, st) == SQLITE_ROW) {
		ban_row(r, st, &b);
		if (moderation_ban_is_active(&b, now) &&
		    moderation_ban_matches(&b, user_id, email, nip)) {
			found = arena_alloc(r->arena, sizeof(*found));
			*found = b;
		}
	}
	db_done(r, st);
	return req_failed(r) ? NULL : found;
}

static struct comment_ban *
ban_by_id(struct req *r, int64_t id)
{
	static const char sql[] =
	    "SELECT " BAN_COLS " FROM comment_bans b WHERE b.id = ?1";
	sqlite3_stmt		*st;
	struct comment_ban	*b = NULL;

	if ((st = db_stmt(r, sql)) == NULL)
		return NULL;
	db_bind_int64(r, st, 1, id);
	if (db_step(r, st) == SQLITE_ROW) {
		b = arena_alloc(r->arena, sizeof(*b));
		ban_row(r, st, b);
	}
	db_done(r, st);
	return req_failed(r) ? NULL : b;
}

/* Is there an active ban of this kind and value (any case)? */
static bool
ban_exists(struct req *r, enum comment_ban_kind kind, const char *value)
{
	static const char sql[] =
	    "SELECT " BAN_COLS " FROM comment_bans b"
	    " WHERE b.kind = ?1 AND b.value = ?2 AND b.lifted_at IS NULL";
	sqlite3_stmt		*st;
	struct comment_ban	 b;
	bool			 yes = false;
	int64_t			 now = (int64_t)time(NULL);

	if ((st = db_stmt(r, sql)) == NULL)
		return false;
	db_bind_text(r, st, 1, moderation_ban_kind_name(kind));
	db_bind_text(r, st, 2, value);
	while (!yes && db_step(r, st) == SQLITE_ROW) {
		ban_row(r, st, &b);
		yes = moderation_ban_is_active(&b, now);
	}
	db_done(r, st);
	return yes;
}

/* Insert b (created now by r->user).  The new id, or -1 (r failed). */
static int64_t
ban_insert(struct req *r, const struct comment_ban *b)
{
	static const char sql[] =
	    "INSERT INTO comment_bans (kind, value, user_id, reason,"
	    "    created_at, created_by, expires_at)"
	    " VALUES (?1, ?2, nullif(?3, 0), ?4, ?5, nullif(?6, 0),"
	    "    nullif(?7, 0))";
	sqlite3_stmt	*st;
	int64_t		 id = -1;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_text(r, st, 1, moderation_ban_kind_name(b->kind));
	db_bind_text(r, st, 2, b->value);
	db_bind_int64(r, st, 3, b->user_id);
	db_bind_text(r, st, 4, b->reason);
	db_bind_int64(r, st, 5, b->created_at);
	db_bind_int64(r, st, 6, r->user != NULL ? r->user->id : 0);
	db_bind_int64(r, st, 7, b->expires_at);
	if (db_step(r, st) == SQLITE_DONE)
		id = sqlite3_last_insert_rowid(db_handle());
	db_done(r, st);
	return req_failed(r) ? -1 : id;
}

/* Lift ban id now, by r->user.  1 if lifted, 0 if it already was, -1. */
static int
ban_lift(struct req *r, int64_t id)
{
	static const char sql[] =
	    "UPDATE comment_bans SET lifted_at = ?2, lifted_by = nullif(?3, 0)"
	    " WHERE id = ?1 AND lifted_at IS NULL";
	sqlite3_stmt	*st;
	int		 n = 0;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, id);
	db_bind_int64(r, st, 2, (int64_t)time(NULL));
	db_bind_int64(r, st, 3, r->user != NULL ? r->user->id : 0);
	if (db_step(r, st) == SQLITE_DONE)
		n = sqlite3_changes(db_handle());
	db_done(r, st);
	return req_failed(r) ? -1 : n > 0;
}

/* ---- the queue: queries -------------------------------------------------- */

/* A tab of the queue, and the actions its rows offer. */
enum { A_APPROVE, A_UNAPPROVE, A_NOT_SPAM, A_SPAM, A_TRASH, A__MAX };

static const struct {
	const char	*name;		/* the form's action value */
	const char	*status;	/* what it sets */
	const char	*label;		/* its button */
	const char	*done;		/* "3 comments were ..." */
} acts[A__MAX] = {
	{ "approve", "approved", "Approve", "approved" },
	{ "unapprove", "pending", "Unapprove", "sent back to moderation" },
	{ "not_spam", "approved", "Not spam", "marked as not spam" },
	{ "spam", "spam", "Spam", "marked as spam" },
	{ "trash", "trash", "Trash", "moved to the trash" },
};

static const struct {
	const char	*status;
	const char	*label;
	unsigned	 actions;	/* bits of acts */
} tabs[] = {
	{ "pending", "Pending",
	  1u << A_APPROVE | 1u << A_SPAM | 1u << A_TRASH },
	{ "approved", "Approved",
	  1u << A_UNAPPROVE | 1u << A_SPAM | 1u << A_TRASH },
	{ "spam", "Spam", 1u << A_NOT_SPAM | 1u << A_TRASH },
	{ "trash", "Trash", 1u << A_APPROVE | 1u << A_UNAPPROVE |
	  1u << A_SPAM },
};

/* The index of status in tabs, or -1. */
static int
tab_index(const char *status)
{
	for (size_t i = 0; status != NULL && i < NELEM(tabs); i++)
		if (strcmp(status, tabs[i].status) == 0)
			return (int)i;
	return -1;
}

/* Comments in status, counted up to cap (index-only); -1 if r failed. */
static int64_t
count_status(struct req *r, const char *status, int64_t cap)
{
	static const char sql[] =
	    "SELECT count(*) FROM"
	    " (SELECT 1 FROM comments WHERE status = ?1 LIMIT ?2)";
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_text(r, st, 1, status);
	db_bind_int64(r, st, 2, cap);
	if (db_step(r, st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	db_done(r, st);
	return req_failed(r) ? -1 : n;
}

/*
 * Capped at ADMIN_BADGE_MAX + 1, so a flood of spam cannot make the
 * badge on every admin page slow ("999+" past it).
 */
int64_t
moderation_pending_count(struct req *r)
{
	if (req_failed(r))
		return -1;
	return count_status(r, "pending", ADMIN_BADGE_MAX + 1);
}

/* A row of the queue. */
struct qrow {
	int64_t		 id;
	int64_t		 article_id;
	int64_t		 user_id;
	int64_t		 created_at;
	const char	*author, *email, *website, *body_html, *held_by;
	const char	*ip, *user_agent, *title, *slug, *username;
};

/*
 * The comments in status with ids below before, newest first, at most
 * max, into v.  Returns how many, or -1 (r failed).  The walk is the
 * index comments_status (status, id) backwards: no sort, no OFFSET.
 */
static int
queue_rows(struct req *r, const char *status, int64_t before,
    struct qrow *v, int max)
{
	static const char sql[] =
	    "SELECT c.id, c.article_id, coalesce(c.user_id, 0), c.created_at,"
	    "    c.author_name, c.author_email, c.author_url, c.body_html,"
	    "    c.held_by, c.ip, c.user_agent, a.title, a.slug,"
	    "    coalesce(u.username, '')"
	    "  FROM comments c"
	    "  JOIN articles a ON a.id = c.article_id"
	    "  LEFT JOIN users u ON u.id = c.user_id"
	    " WHERE c.status = ?1 AND c.id < ?2"
	    " ORDER BY c.id DESC LIMIT ?3";
	sqlite3_stmt	*st;
	int		 n = 0;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_text(r, st, 1, status);
	db_bind_int64(r, st, 2, before);
	db_bind_int64(r, st, 3, max);
	while (n < max && db_step(r, st) == SQLITE_ROW) {
		struct qrow *q = &v[n++];

		q->id = sqlite3_column_int64(st, 0);
		q->article_id = sqlite3_column_int64(st, 1);
		q->user_id = sqlite3_column_int64(st, 2);
		q->created_at = sqlite3_column_int64(st, 3);
		q->author = db_col_strdup(r, st, 4);
		q->email = db_col_strdup(r, st, 5);
		q->website = db_col_strdup(r, st, 6);
		q->body_html = db_col_strdup(r, st, 7);
		q->held_by = db_col_strdup(r, st, 8);
		q->ip = db_col_strdup(r, st, 9);
		q->user_agent = db_col_strdup(r, st, 10);
		q->title = db_col_strdup(r, st, 11);
		q->slug = db_col_strdup(r, st, 12);
		q->username = db_col_strdup(r, st, 13);
	}
	db_done(r, st);
	return req_failed(r) ? -1 : n;
}

/* What the history says of a comment: "Comment by NAME". */
static const char *
comment_repr(struct req *r, const char *author)
{
	return arena_printf(r->arena, "Comment by %s", author);
}

/*
 * Comment id's status and author into *status and *author (arena);
 * false if there is no such comment (or r failed).
 */
static bool
comment_state(struct req *r, int64_t id, const char **status,
    const char **author)
{
	static const char sql[] =
	    "SELECT status, author_name FROM comments WHERE id = ?1";
	sqlite3_stmt	*st;
	bool		 found = false;

	if ((st = db_stmt(r, sql)) == NULL)
		return false;
	db_bind_int64(r, st, 1, id);
	if (db_step(r, st) == SQLITE_ROW) {
		*status = db_col_strdup(r, st, 0);
		*author = db_col_strdup(r, st, 1);
		found = true;
	}
	db_done(r, st);
	return found && !req_failed(r);
}

/*
 * Move comment id (now in from, by author) to status to, and log it:
 * trash and restore have their own history actions.  Inside the
 * caller's write transaction.  0 or -1.
 */
static int
move_logged(struct req *r, int64_t id, const char *author, const char *from,
    const char *to)
{
	enum admin_log_action	 act = ADMIN_LOG_CHANGE;

	if (strcmp(to, "trash") == 0)
		act = ADMIN_LOG_TRASH;
	else if (strcmp(from, "trash") == 0)
		act = ADMIN_LOG_RESTORE;
	if (comment_set_status(r, id, to) != 0)
		return -1;
	/* The statuses are the table's fixed words: nothing to escape. */
	return admin_log(r, "comment", id, comment_repr(r, author), act,
	    arena_printf(r->arena, "[{\"field\": \"status\", \"label\": "
	    "\"Status\", \"old\": \"%s\", \"new\": \"%s\"}]", from, to),
	    NULL) < 0 ? -1 : 0;
}

/*
 * Set the status of each comment of ids[0..n) that exists and is not
 * already there, logging each.  Inside the caller's write transaction.
 * Returns how many changed, or -1 (r failed).
 */
static int
queue_set_status(struct req *r, const int64_t *ids, size_t n,
    const char *status)
{
	const char	*old, *author;
	int		 changed = 0;

	for (size_t i = 0; i < n; i++) {
		if (!comment_state(r, ids[i], &old, &author)) {
			if (req_failed(r))
				return -1;
			continue;
		}
		if (strcmp(old, status) == 0)
			continue;
		if (move_logged(r, ids[i], author, old, status) != 0 ||
		    (strcmp(status, "approved") == 0 &&
		    notify_comment_approved(r, ids[i]) != 0))
			return -1;
		changed++;
	}
	return changed;
}

/*
 * Delete at most EMPTY_BATCH comments in status for good, oldest first,
 * logging each.  A reply that stays moves up to its deleted parent's
 * parent first (WordPress's rule), so no cascade takes it along.  Inside
 * the caller's write transaction.  Returns how many, or -1.
 */
static int
queue_empty(struct req *r, const char *status, int64_t before)
{
	static const char sql_ids[] =
	    "SELECT id, coalesce(parent_id, 0), author_name FROM comments"
	    " WHERE status = ?1 AND updated_at < ?3 ORDER BY id LIMIT ?2";
	static const char sql_up[] =
	    "UPDATE comments SET parent_id = nullif(?2, 0)"
	    " WHERE parent_id = ?1";
	static const char sql_del[] =
	    "DELETE FROM comments WHERE id = ?1";
	sqlite3_stmt	*st;
	int64_t		*ids, *parents;
	const char	**authors;
	int		 n = 0;

	ids = arena_alloc(r->arena, EMPTY_BATCH * sizeof(*ids));
	parents = arena_alloc(r->arena, EMPTY_BATCH * sizeof(*parents));
	authors = arena_alloc(r->arena, EMPTY_BATCH * sizeof(*authors));
	if ((st = db_stmt(r, sql_ids)) == NULL)
		return -1;
	db_bind_text(r, st, 1, status);
	db_bind_int64(r, st, 2, EMPTY_BATCH);
	db_bind_int64(r, st, 3, before);
	while (n < EMPTY_BATCH && db_step(r, st) == SQLITE_ROW) {
		ids[n] = sqlite3_column_int64(st, 0);
		parents[n] = sqlite3_column_int64(st, 1);
		authors[n++] = db_col_strdup(r, st, 2);
	}
	db_done(r, st);
	for (int i = 0; i < n && !req_failed(r); i++) {
		/*
		 * A parent deleted earlier in this batch handed its replies
		 * to its own parent: this one's may have moved too.
		 */
		int64_t	 up = parents[i];

		for (int j = i - 1; j >= 0 && up != 0; j--)
			if (ids[j] == up)
				up = parents[j];
		parents[i] = up;
		if ((st = db_stmt(r, sql_up)) == NULL)
			return -1;
		db_bind_int64(r, st, 1, ids[i]);
		db_bind_int64(r, st, 2, up);
		db_step(r, st);
		db_done(r, st);
		if ((st = db_stmt(r, sql_del)) == NULL)
			return -1;
		db_bind_int64(r, st, 1, ids[i]);
		db_step(r, st);
		db_done(r, st);
		if (admin_log(r, "comment", ids[i], comment_repr(r, authors[i]),
		    ADMIN_LOG_DELETE, NULL, NULL) < 0)
			return -1;
	}
	return req_failed(r) ? -1 : n;
}

int
moderation_purge_trash(struct req *r, int64_t before)
{
	return queue_empty(r, "trash", before);
}

/*
 * Move every comment of the banned commenter (b) that is not in the
 * trash there, at most HIDE_MAX, logging each.  Inside the caller's
 * write transaction.  Returns how many, or -1.
 */
static int
hide_comments(struct req *r, const struct comment_ban *b)
{
	static const char sql_user[] =
	    "SELECT id, status, author_name FROM comments"
	    " WHERE user_id = ?1 AND status <> 'trash' ORDER BY id LIMIT ?2";
	static const char sql_email[] =
	    "SELECT id, status, author_name FROM comments"
	    " WHERE author_email = ?1 AND status <> 'trash' ORDER BY id"
	    " LIMIT ?2";
	static const char sql_ip[] =
	    "SELECT id, status, author_name FROM comments"
	    " WHERE ip = ?1 AND status <> 'trash' ORDER BY id LIMIT ?2";
	sqlite3_stmt	*st;
	int64_t		*ids;
	const char	**olds, **authors;
	int		 n = 0;

	switch (b->kind) {
	case BAN_USER:
		st = db_stmt(r, sql_user);
		db_bind_int64(r, st, 1, b->user_id);
		break;
	case BAN_EMAIL:
		st = db_stmt(r, sql_email);
		db_bind_text(r, st, 1, b->value);
		break;
	default:
		st = db_stmt(r, sql_ip);
		db_bind_text(r, st, 1, b->value);
		break;
	}
	if (st == NULL)
		return -1;
	db_bind_int64(r, st, 2, HIDE_MAX);
	ids = arena_alloc(r->arena, HIDE_MAX * sizeof(*ids));
	olds = arena_alloc(r->arena, HIDE_MAX * sizeof(*olds));
	authors = arena_alloc(r->arena, HIDE_MAX * sizeof(*authors));
	while (n < HIDE_MAX && db_step(r, st) == SQLITE_ROW) {
		ids[n] = sqlite3_column_int64(st, 0);
		olds[n] = db_col_strdup(r, st, 1);
		authors[n++] = db_col_strdup(r, st, 2);
	}
	db_done(r, st);
	for (int i = 0; i < n; i++)
		if (move_logged(r, ids[i], authors[i], olds[i], "trash") != 0)
			return -1;
	return req_failed(r) ? -1 : n;
}

/* ---- the queue: pages ---------------------------------------------------- */

static const char *
i64(struct req *r, int64_t v)
{
	return arena_printf(r->arena, "%" PRId64, v);
}

/* The queue's URL for status (and a query after it, or NULL). */
static const char *
queue_url(struct req *r, const char *status, const char *more)
{
	return arena_printf(r->arena, "%s?status=%s%s%s",
	    router_url(r, "admin_moderation"), status,
	    more != NULL ? "&" : "", more != NULL ? more : "");
}

static const char *
ban_url(struct req *r, const char *kind, const char *value)
{
	return arena_printf(r->arena, "%s?kind=%s&value=%s",
	    router_url(r, "admin_bans"), kind, http_url_encode(r, value));
}

/* "1 comment was" / "3 comments were". */
static const char *
comments_were(struct req *r, int n)
{
	return arena_printf(r->arena, "%d comment%s", n, n == 1 ? " was" :
	    "s were");
}

/* Queue.tabs.N: each status with its (capped) count. */
static int
export_tabs(struct req *r, int current)
{
	for (size_t i = 0; i < NELEM(tabs); i++) {
		struct render_node *n = render_node(r, "Queue.tabs.%zu", i);
		int64_t	 c = count_status(r, tabs[i].status, COUNT_CAP + 1);

		if (c < 0)
			return -1;
		render_node_set(r, n, "status", tabs[i].status);
		render_node_set(r, n, "label", tabs[i].label);
		render_node_set(r, n, "url", queue_url(r, tabs[i].status,
		    NULL));
		render_node_set(r, n, "count", c > COUNT_CAP ?
		    arena_printf(r->arena, "%d+", COUNT_CAP) : i64(r, c));
		if ((int)i == current) {
			render_node_set(r, n, "current", "1");
			render_set(r, "Queue.count", c > COUNT_CAP ?
			    arena_printf(r->arena, "more than %d", COUNT_CAP) :
			    i64(r, c));
			render_set_int(r, "Queue.total", (long long)c);
		}
	}
	return 0;
}

static void
export_row(struct req *r, int k, const struct qrow *q, bool checked)
{
	struct render_node *n = render_node(r, "Queue.rows.%d", k);
	const char	*id = i64(r, q->id);

	render_node_set(r, n, "id", id);
	render_node_set(r, n, "author", q->author);
	render_node_set(r, n, "email", q->email);
	render_node_set(r, n, "website", q->website);
	render_node_set(r, n, "ip", q->ip);
	render_node_set(r, n, "user_agent", q->user_agent);
	render_node_set(r, n, "held_by", comment_held_text(q->held_by));
	render_node_set(r, n, "rule", q->held_by);
	render_node_set_date(r, n, "date", q->created_at);
	render_node_set(r, n, "body_html", q->body_html);
	render_node_set(r, n, "article", q->title);
	render_node_set(r, n, "article_url", arena_printf(r->arena,
	    "%s#comment-%s", router_url(r, "article_show", q->slug), id));
	render_node_set(r, n, "article_admin_url", router_url(r,
	    "admin_change", "article", i64(r, q->article_id)));
	if (*q->username != '\0') {
		render_node_set(r, n, "username", q->username);
		render_node_set(r, n, "ban_user_url", ban_url(r, "user",
		    q->username));
	}
	if (*q->email != '\0')
		render_node_set(r, n, "ban_email_url", ban_url(r, "email",
		    q->email));
	if (*q->ip != '\0')
		render_node_set(r, n, "ban_ip_url", ban_url(r, "ip", q->ip));
	if (checked)
		render_node_set(r, n, "checked", "1");
}

/* The queue of status tab t, from ?cursor=, with its actions. */
static int
queue_page(struct req *r, int t, bool may_change, bool may_delete)
{
	struct qrow	 v[QUEUE_PAGE + 1];
	long		 cursor = req_int(r, "cursor", 0, 0, LONG_MAX);
	bool		 all = req_query(r, "all") != NULL;
	const char	*status = tabs[t].status;
	int		 n, k = 0;

	if (export_tabs(r, t) != 0)
		return HTTP_500;
	if ((n = queue_rows(r, status, cursor > 0 ? (int64_t)cursor :
	    INT64_MAX, v, QUEUE_PAGE + 1)) < 0)
		return HTTP_500;
	for (int i = 0; i < n && i < QUEUE_PAGE; i++)
		export_row(r, i, &v[i], all && may_change);
	render_set(r, "Queue.status", status);
	render_set(r, "Queue.label", tabs[t].label);
	render_set(r, "Queue.url", router_url(r, "admin_moderation"));
	render_set(r, "Queue.bans_url", router_url(r, "admin_bans"));
	if (n > QUEUE_PAGE)
		render_set(r, "Queue.next_url", queue_url(r, status,
		    arena_printf(r->arena, "cursor=%" PRId64,
		    v[QUEUE_PAGE - 1].id)));
	if (cursor > 0)
		render_set(r, "Queue.first_url", queue_url(r, status, NULL));
	if (may_change) {
		render_set(r, "Queue.may_change", "1");
		for (int a = 0; a < A__MAX; a++)
			if (tabs[t].actions & 1u << a) {
				struct render_node *an = render_node(r,
				    "Queue.actions.%d", k++);

				render_node_set(r, an, "name", acts[a].name);
				render_node_set(r, an, "label", acts[a].label);
			}
		render_set(r, "Queue.select_all_url", queue_url(r, status,
		    cursor > 0 ? arena_printf(r->arena, "cursor=%ld&all=1",
		    cursor) : "all=1"));
		render_set(r, "Queue.select_none_url", cursor > 0 ?
		    queue_url(r, status, arena_printf(r->arena, "cursor=%ld",
		    cursor)) : queue_url(r, status, NULL));
		if (all)
			render_set(r, "Queue.all", "1");
	}
	if (may_delete && (strcmp(status, "spam") == 0 ||
	    strcmp(status, "trash") == 0) && n > 0)
		render_set(r, "Queue.empty_url", queue_url(r, status,
		    "empty=1"));
	admin_crumb(r, "Moderation queue", NULL);
	return admin_render(r, "admin/moderation.cs", "Moderation queue");
}

/* The page that asks before emptying the spam or the trash (tab t). */
static int
empty_confirm(struct req *r, int t)
{
	int64_t	 c = count_status(r, tabs[t].status, COUNT_CAP + 1);

	if (c < 0)
		return HTTP_500;
	render_set(r, "Confirm.status", tabs[t].status);
	render_set(r, "Confirm.label", tabs[t].label);
	render_set(r, "Confirm.count", c > COUNT_CAP ?
	    arena_printf(r->arena, "more than %d", COUNT_CAP) : i64(r, c));
	render_set_int(r, "Confirm.total", (long long)c);
	render_set_int(r, "Confirm.batch", EMPTY_BATCH);
	if (c > EMPTY_BATCH)
		render_set(r, "Confirm.batched", "1");
	render_set(r, "Confirm.back_url", queue_url(r, tabs[t].status, NULL));
	render_set(r, "Queue.url", router_url(r, "admin_moderation"));
	admin_crumb(r, "Moderation queue", queue_url(r, tabs[t].status,
	    NULL));
	admin_crumb(r, arena_printf(r->arena, "Empty %s",
	    strcmp(tabs[t].status, "spam") == 0 ? "spam" : "trash"), NULL);
	return admin_render(r, "admin/moderation.cs", arena_printf(r->arena,
	    "Empty %s", strcmp(tabs[t].status, "spam") == 0 ? "spam" :
	    "trash"));
}

/* POST action=empty: the spam or trash deleted for good (or asked). */
static int
empty_post(struct req *r, int t)
{
	const char	*status = tabs[t].status;
	const char	*confirm = req_form(r, "confirm");
	int64_t		 left;
	int		 n;

	if (t != tab_index("spam") && t != tab_index("trash")) {
		r->error_detail = "Only the spam and the trash can be emptied.";
		return HTTP_400;
	}
	if (confirm == NULL || strcmp(confirm, "yes") != 0)
		return empty_confirm(r, t);
	if (db_begin_write(r) != 0 ||
	    (n = queue_empty(r, status, INT64_MAX)) < 0 ||
	    db_commit(r) != 0)
		return HTTP_500;
	if ((left = count_status(r, status, COUNT_CAP + 1)) < 0)
		return HTTP_500;
	log_msg(LOG_INFO, "rid=%s msg=\"comments deleted\" status=%s n=%d "
	    "user=%" PRId64, r->request_id, status, n, r->user->id);
	if (left > 0)
		admin_message(r, "warning", "%s deleted permanently; %" PRId64
		    "%s more remain: empty the %s again.", comments_were(r, n),
		    left > COUNT_CAP ? (int64_t)COUNT_CAP : left,
		    left > COUNT_CAP ? "+" : "", status);
	else
		admin_message(r, "success", "%s deleted permanently.",
		    comments_were(r, n));
	return http_redirect(r, HTTP_303, queue_url(r, status, NULL));
}

/* POST action=approve|unapprove|not_spam|spam|trash, ids=N... */
static int
action_post(struct req *r, int t, const char *action)
{
	int64_t		 ids[BULK_MAX];
	size_t		 n = 0;
	int		 a, changed;
	long long	 id;

	for (a = 0; a < A__MAX; a++)
		if (strcmp(action, acts[a].name) == 0)
			break;
	if (a == A__MAX) {
		r->error_detail = "The action must be approve, unapprove, "
		    "not_spam, spam, trash or empty.";
		return HTTP_400;
	}
	for (size_t i = 0; i < r->form.n; i++) {
		if (strcmp(r->form.v[i].key, "ids") != 0)
			continue;
		if (util_parse_int(r->form.v[i].value, 1, INT64_MAX,
		    &id) != 0) {
			r->error_detail = "Each ids value must be a comment's "
			    "id.";
			return HTTP_400;
		}
		if (n == BULK_MAX) {
			r->error_detail = "Too many comments at once.";
			return HTTP_400;
		}
		ids[n++] = (int64_t)id;
	}
	if (n == 0) {
		admin_message(r, "warning", "Comments must be selected in "
		    "order to perform actions on them. No comments have been "
		    "changed.");
		return http_redirect(r, HTTP_303, queue_url(r, tabs[t].status,
		    NULL));
	}
	if (db_begin_write(r) != 0 || (changed = queue_set_status(r, ids, n,
	    acts[a].status)) < 0 || db_commit(r) != 0)
		return HTTP_500;
	log_msg(LOG_INFO, "rid=%s msg=\"comments moderated\" action=%s n=%d "
	    "user=%" PRId64, r->request_id, acts[a].name, changed,
	    r->user->id);
	admin_message(r, changed > 0 ? "success" : "info", "%s %s.",
	    comments_were(r, changed), acts[a].done);
	return http_redirect(r, HTTP_303, queue_url(r, tabs[t].status, NULL));
}

/*
 * GET|POST /admin/moderation/  the moderation queue.
 * GET ?status=pending (default) | approved | spam | trash, ?cursor=ID
 * (the next page: ids below it), ?all=1 (every box ticked, select-all
 * without a script), ?empty=1 (spam and trash: the confirmation page).
 * POST action=approve|unapprove|not_spam|spam|trash with ids=N
 * (repeated), or action=empty with status=spam|trash and confirm=yes
 * (without it: the confirmation page, 200); then a message and 303 back
 * to the tab (status=).
 * Active staff only (admin_guard: login redirect or 403); viewing needs
 * comment.view or comment.change, acting comment.change, emptying
 * comment.delete, else 403.  400 for another status or action.
 */
int
page_admin_moderation(struct req *r)
{
	const struct model *m = model_find("comment");
	const char	*status, *action;
	bool		 may_change, may_delete;
	int		 rc, t;

	if ((rc = admin_guard(r)) != 0)
		return rc;
	if (!admin_may(r, m, "view"))
		return HTTP_403;
	may_change = admin_may(r, m, "change");
	may_delete = admin_may(r, m, "delete");
	status = r->method == M_POST ? req_form(r, "status") :
	    req_query(r, "status");
	if (status == NULL || *status == '\0')
		status = "pending";
	if ((t = tab_index(status)) < 0) {
		r->error_detail = "The status must be pending, approved, spam "
		    "or trash.";
		return HTTP_400;
	}
	if (r->method == M_POST) {
		if ((action = req_form(r, "action")) == NULL) {
			r->error_detail = "Choose an action.";
			return HTTP_400;
		}
		if (strcmp(action, "empty") == 0)
			return may_delete ? empty_post(r, t) : HTTP_403;
		if (!may_change)
			return HTTP_403;
		return action_post(r, t, action);
	}
	if (req_query(r, "empty") != NULL) {
		if (!may_delete)
			return HTTP_403;
		if (t != tab_index("spam") && t != tab_index("trash")) {
			r->error_detail = "Only the spam and the trash can be "
			    "emptied.";
			return HTTP_400;
		}
		return empty_confirm(r, t);
	}
	return queue_page(r, t, may_change, may_delete);
}

/* ---- bans: pages --------------------------------------------------------- */

/* The form as posted, with its errors (NULL: none). */
struct ban_form {
	const char	*kind, *value, *reason, *days;
	bool		 hide;
	const char	*kind_error, *value_error, *reason_error, *days_error;
};

/*
 * Check f and fill b from it: kind one of the three, value valid for
 * its kind (an email address, an IP address inet_pton takes, the
 * username or email of an account), days empty (never) or 1 to
 * BAN_DAYS_MAX, a reason of at most REASON_MAX characters.  Sets the
 * errors beside the fields; true if there is none.
 */
static bool
ban_form_check(struct req *r, struct ban_form *f, struct comment_ban *b)
{
	struct user	*u;
	long long	 days = 0;

	memset(b, 0, sizeof(*b));
	b->kind = moderation_ban_kind(f->kind);
	b->created_at = (int64_t)time(NULL);
	if (b->kind == BAN__MAX)
		f->kind_error = "Choose what to ban: an account, an email "
		    "address or an IP address.";
	if (*f->value == '\0')
		f->value_error = "This field is required.";
	else if (b->kind == BAN_EMAIL) {
		f->value_error = auth_email_error(f->value);
		b->value = f->value;
	} else if (b->kind == BAN_IP) {
		if ((b->value = ip_normal(r, f->value)) == NULL)
			f->value_error = "Enter a valid IPv4 or IPv6 address.";
	} else if (b->kind == BAN_USER) {
		if ((u = auth_user_by_login(r, f->value)) == NULL)
			f->value_error = req_failed(r) ? "" :
			    "There is no account with this username.";
		else if (r->user != NULL && u->id == r->user->id)
			f->value_error = "You cannot ban yourself.";
		else {
			b->value = u->username;
			b->user_id = u->id;
		}
	}
	if (*f->days != '\0' && util_parse_int(f->days, 1, BAN_DAYS_MAX,
	    &days) != 0)
		f->days_error = "Enter a whole number of days from 1 to 3650, "
		    "or leave this empty for a ban that never expires.";
	else if (days > 0)
		b->expires_at = b->created_at + (int64_t)days * 86400;
	if (util_utf8_chars(f->reason) > REASON_MAX)
		f->reason_error = "The reason must be at most 500 characters.";
	b->reason = f->reason;
	if (f->value_error == NULL && f->kind_error == NULL &&
	    ban_exists(r, b->kind, b->value))
		f->value_error = "This commenter is already banned.";
	return f->kind_error == NULL && f->value_error == NULL &&
	    f->days_error == NULL && f->reason_error == NULL;
}

/* Bans.active.N or Bans.past.N from b, with what the list shows. */
static void
export_ban(struct req *r, const char *path, const struct comment_ban *b,
    const char *by, const char *lifted_by, bool may_change)
{
	struct render_node *n = render_node(r, "%s", path);

	render_node_set(r, n, "id", i64(r, b->id));
	render_node_set(r, n, "kind", moderation_ban_kind_name(b->kind));
	render_node_set(r, n, "kind_label", b->kind < BAN__MAX ?
	    ban_kind_labels[b->kind] : "");
	render_node_set(r, n, "value", b->value);
	render_node_set(r, n, "reason", b->reason);
	render_node_set(r, n, "by", by);
	render_node_set_date(r, n, "created", b->created_at);
	if (b->expires_at != 0)
		render_node_set_date(r, n, "expires", b->expires_at);
	if (b->lifted_at != 0) {
		render_node_set_date(r, n, "lifted", b->lifted_at);
		render_node_set(r, n, "lifted_by", lifted_by);
	}
	if (may_change && moderation_ban_is_active(b, (int64_t)time(NULL)))
		render_node_set(r, n, "lift_url", router_url(r,
		    "admin_ban_lift", i64(r, b->id)));
}

/* The active bans, and a page of the past ones from ?cursor=. */
static int
export_bans(struct req *r, bool may_change)
{
	static const char sql_active[] =
	    "SELECT " BAN_COLS ", coalesce(cu.username, ''), ''"
	    "  FROM comment_bans b LEFT JOIN users cu ON cu.id = b.created_by"
	    " WHERE b.lifted_at IS NULL"
	    "   AND (b.expires_at IS NULL OR b.expires_at > ?1)"
	    " ORDER BY b.id DESC LIMIT ?2";
	static const char sql_past[] =
	    "SELECT " BAN_COLS ", coalesce(cu.username, ''),"
	    "    coalesce(lu.username, '')"
	    "  FROM comment_bans b LEFT JOIN users cu ON cu.id = b.created_by"
	    "  LEFT JOIN users lu ON lu.id = b.lifted_by"
	    " WHERE b.id < ?3"
	    "   AND (b.lifted_at IS NOT NULL OR b.expires_at <= ?1)"
	    " ORDER BY b.id DESC LIMIT ?2";
	sqlite3_stmt		*st;
	struct comment_ban	 b;
	long			 cursor = req_int(r, "cursor", 0, 0, LONG_MAX);
	int64_t			 now = (int64_t)time(NULL), last = 0;
	int			 n = 0;

	if ((st = db_stmt(r, sql_active)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, now);
	db_bind_int64(r, st, 2, ACTIVE_MAX);
	while (db_step(r, st) == SQLITE_ROW) {
		ban_row(r, st, &b);
		export_ban(r, arena_printf(r->arena, "Bans.active.%d", n++),
		    &b, db_col_strdup(r, st, 8), "", may_change);
	}
	db_done(r, st);
	if ((st = db_stmt(r, sql_past)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, now);
	db_bind_int64(r, st, 2, BANS_PAGE + 1);
	db_bind_int64(r, st, 3, cursor > 0 ? (int64_t)cursor : INT64_MAX);
	n = 0;
	while (db_step(r, st) == SQLITE_ROW) {
		if (n == BANS_PAGE) {
			render_set(r, "Bans.next_url", arena_printf(r->arena,
			    "%s?cursor=%" PRId64, router_url(r, "admin_bans"),
			    last));
			break;
		}
		ban_row(r, st, &b);
		last = b.id;
		export_ban(r, arena_printf(r->arena, "Bans.past.%d", n++),
		    &b, db_col_strdup(r, st, 8), db_col_strdup(r, st, 9),
		    may_change);
	}
	db_done(r, st);
	if (cursor > 0)
		render_set(r, "Bans.first_url", router_url(r, "admin_bans"));
	return req_failed(r) ? -1 : 0;
}

/* The bans page: the form (f: as posted, or NULL) and the lists. */
static int
bans_page(struct req *r, const struct ban_form *f, bool may_change)
{
	if (may_change) {
		struct render_node *n = render_node(r, "BanForm");

		render_node_set(r, n, "action", router_url(r, "admin_bans"));
		if (f != NULL) {
			render_node_set(r, n, "kind", f->kind);
			render_node_set(r, n, "value", f->value);
			render_node_set(r, n, "reason", f->reason);
			render_node_set(r, n, "days", f->days);
			if (f->hide)
				render_node_set(r, n, "hide", "1");
			if (f->kind_error != NULL)
				render_set(r, "BanForm.errors.kind",
				    f->kind_error);
			if (f->value_error != NULL)
				render_set(r, "BanForm.errors.value",
				    f->value_error);
			if (f->days_error != NULL)
				render_set(r, "BanForm.errors.days",
				    f->days_error);
			if (f->reason_error != NULL)
				render_set(r, "BanForm.errors.reason",
				    f->reason_error);
			render_set(r, "BanForm.has_errors", "1");
		} else {
			/* Prefilled from the queue's Ban links. */
			const char *k = req_query(r, "kind");

			render_node_set(r, n, "kind", moderation_ban_kind(k) !=
			    BAN__MAX ? k : "email");
			render_node_set(r, n, "value", req_query(r, "value"));
		}
	}
	if (export_bans(r, may_change) != 0)
		return HTTP_500;
	render_set(r, "Bans.queue_url", router_url(r, "admin_moderation"));
	admin_crumb(r, "Moderation queue", router_url(r, "admin_moderation"));
	admin_crumb(r, "Bans", NULL);
	return admin_render(r, "admin/bans.cs", "Bans");
}

/*
 * GET|POST /admin/bans/  bans on commenters: the active ones, the past
 * ones (lifted or expired: ?cursor=ID pages them), and a form to add one
 * (GET ?kind=user|email|ip&value=... prefills it).
 * POST kind, value, reason, days (empty: never), hide_comments (moves
 * every comment of theirs to the trash): 303 back with a message; 200
 * with the errors beside the fields when it does not validate.
 * Active staff only; viewing needs comment.view or comment.change,
 * adding comment.change, else 403.
 */
int
page_admin_bans(struct req *r)
{
	const struct model *m = model_find("comment");
	struct ban_form	 f;
	struct comment_ban b;
	bool		 may_change;
	int64_t		 id;
	int		 hidden = 0, rc;

	if ((rc = admin_guard(r)) != 0)
		return rc;
	if (!admin_may(r, m, "view"))
		return HTTP_403;
	may_change = admin_may(r, m, "change");
	if (r->method != M_POST)
		return bans_page(r, NULL, may_change);
	if (!may_change)
		return HTTP_403;

	memset(&f, 0, sizeof(f));
	f.kind = util_strtrim(r->arena, req_form(r, "kind"));
	f.value = util_strtrim(r->arena, req_form(r, "value"));
	f.reason = util_strtrim(r->arena, req_form(r, "reason"));
	f.days = util_strtrim(r->arena, req_form(r, "days"));
	f.hide = req_form(r, "hide_comments") != NULL;
	if (db_begin_write(r) != 0)
		return HTTP_500;
	if (!ban_form_check(r, &f, &b)) {
		db_rollback(r);
		if (req_failed(r))
			return HTTP_500;
		return bans_page(r, &f, may_change);
	}
	if ((id = ban_insert(r, &b)) < 0 ||
	    admin_log(r, "comment_ban", id, arena_printf(r->arena,
	    "Ban of the %s %s", ban_kind_labels[b.kind], b.value),
	    ADMIN_LOG_ADD, NULL, NULL) < 0 ||
	    (f.hide && (hidden = hide_comments(r, &b)) < 0) ||
	    db_commit(r) != 0)
		return HTTP_500;
	log_msg(LOG_INFO, "rid=%s msg=\"commenter banned\" ban=%" PRId64
	    " kind=%s hidden=%d user=%" PRId64, r->request_id, id,
	    ban_kinds[b.kind], hidden, r->user->id);
	if (f.hide)
		admin_message(r, "success", "The %s “%s” was banned; %s "
		    "moved to the trash.", ban_kind_labels[b.kind], b.value,
		    comments_were(r, hidden));
	else
		admin_message(r, "success", "The %s “%s” was banned.",
		    ban_kind_labels[b.kind], b.value);
	return http_redirect(r, HTTP_303, router_url(r, "admin_bans"));
}

/*
 * POST /admin/bans/{id}/lift/  lift ban id (it stays in the history):
 * 303 to the bans with a message.  Active staff with comment.change
 * only (403); 404 for no such ban.
 */
int
page_admin_ban_lift(struct req *r)
{
	struct comment_ban *b;
	long long	 id;
	int		 rc;

	if ((rc = admin_guard(r)) != 0)
		return rc;
	if (!admin_may(r, model_find("comment"), "change"))
		return HTTP_403;
	if (util_parse_int(req_param(r, "id"), 1, INT64_MAX, &id) != 0 ||
	    (b = ban_by_id(r, (int64_t)id)) == NULL)
		return req_failed(r) ? HTTP_500 : HTTP_404;
	if (db_begin_write(r) != 0 || (rc = ban_lift(r, b->id)) < 0)
		return HTTP_500;
	if (rc > 0 && admin_log(r, "comment_ban", b->id, arena_printf(
	    r->arena, "Ban of the %s %s", ban_kind_labels[b->kind], b->value),
	    ADMIN_LOG_CHANGE, "[{\"field\": \"lifted_at\", \"label\": "
	    "\"Lifted\", \"old\": \"\", \"new\": \"lifted\"}]", NULL) < 0)
		return HTTP_500;
	if (db_commit(r) != 0)
		return HTTP_500;
	if (rc > 0)
		admin_message(r, "success", "The ban of the %s “%s” was "
		    "lifted.", ban_kind_labels[b->kind], b->value);
	else
		admin_message(r, "info", "The ban of the %s “%s” had "
		    "already been lifted.", ban_kind_labels[b->kind], b->value);
	return http_redirect(r, HTTP_303, router_url(r, "admin_bans"));
}
