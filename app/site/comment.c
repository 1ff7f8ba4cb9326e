/*
 * comment: the comments table's queries, the moderation rules, the
 * threads and the section under an article (Comments.*, CommentForm.*).
 * It owns the two cookies of commenters: gazette_pending (this browser's
 * comments awaiting moderation, each id with its MAC) and
 * gazette_commenter (a guest's remembered name, email and website).
 * It posts a comment (comment_submit) for both the site's form and the
 * API; their handlers, in comment_pages.c and api.c, only translate.
 */
#include <inttypes.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/auth.h"
#include "core/buf.h"
#include "core/csrf.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "core/markdown.h"
#include "core/render.h"
#include "core/router.h"
#include "core/settings.h"
#include "core/throttle.h"
#include "core/util.h"
#include "article.h"
#include "comment.h"
#include "notify.h"

#define PENDING_AGE	(3L * 86400)	/* the pending cookie, seconds */
#define AUTHOR_AGE	(365L * 86400)	/* the remember cookie */
#define MAX_DEPTH	10		/* comment_max_depth's ceiling */

#define MSG_NAME_REQUIRED	"Please enter your name."
#define MSG_EMAIL_REQUIRED	"Please enter your email address."
#define MSG_BODY_REQUIRED	"Please type your comment."
#define MSG_CONTROL		"This field cannot contain line breaks " \
				"or control characters."

/* ---- the moderation rules ------------------------------------------------ */

/* Does hay contain needle[0..n) in any ASCII case? */
static bool
ci_contains(const char *hay, const char *needle, size_t n)
{
	if (hay == NULL || n == 0)
		return false;
	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

/*
 * Does any line of keys (trimmed; blank lines skipped) occur in any of
 * the candidate's name, email, website, body, address or user agent?
 */
static bool
keys_match(const char *keys, const struct comment_candidate *c)
{
	const char	*fields[] = { c->body, c->name, c->email, c->website,
	    c->ip, c->user_agent };
	const char	*p, *e;

	if (keys == NULL)
		return false;
	for (p = keys; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		const char	*s;
		size_t		 n;

		e = p + strcspn(p, "\n");
		n = (size_t)(e - p);
		s = util_trim(p, &n);
		for (size_t i = 0; n > 0 && i < NELEM(fields); i++)
			if (ci_contains(fields[i], s, n))
				return true;
	}
	return false;
}

/* The links in rendered comment HTML: markdown_comment's "<a " tags. */
static long
count_links(const char *html)
{
	long	 n = 0;

	for (const char *p = html; p != NULL && (p = strstr(p, "<a ")) !=
	    NULL; p += 3)
		n++;
	return n;
}

/*
 * The order is WordPress's, with the bot traps first: a filled honeypot
 * or a form sent too fast is spam whoever sends it; then staff who may
 * moderate are trusted ("the admins get respect", wp_allow_comment), so
 * neither keys nor holds apply to them; then spam keys outrank every
 * reason to hold.
 */
const char *
comment_classify(const struct comment_rules *rules,
    const struct comment_candidate *c, const char **why)
{
	const char	*mode = rules->moderation != NULL ?
	    rules->moderation : "previously_approved";

	if (c->honeypot_filled) {
		*why = "honeypot";
		return "spam";
	}
	if (c->shown_seconds >= 0 && rules->min_seconds > 0 &&
	    c->shown_seconds < rules->min_seconds) {
		*why = "too_fast";
		return "spam";
	}
	if (c->trusted) {
		*why = "trusted";
		return "approved";
	}
	if (keys_match(rules->spam_keys, c)) {
		*why = "spam_key";
		return "spam";
	}
	if (rules->max_links > 0 && count_links(c->body_html) >=
	    rules->max_links) {
		*why = "max_links";
		return "pending";
	}
	if (keys_match(rules->hold_keys, c)) {
		*why = "hold_key";
		return "pending";
	}
	if (strcmp(mode, "all") == 0) {
		*why = "moderation_all";
		return "pending";
	}
	if (strcmp(mode, "none") == 0) {
		*why = "no_moderation";
		return "approved";
	}
	/* previously_approved, also for an unknown value (the default). */
	if (!c->previously_approved) {
		*why = "first_comment";
		return "pending";
	}
	*why = "previously_approved";
	return "approved";
}

void
comment_rules_load(struct req *r, struct comment_rules *rules)
{
	rules->moderation = settings_get(r, "comment_moderation",
	    "previously_approved");
	rules->max_links = settings_int(r, "comment_max_links", 2, 0, 100000);
	rules->hold_keys = settings_get(r, "comment_hold_keys", "");
	rules->spam_keys = settings_get(r, "comment_spam_keys", "");
	rules->min_seconds = settings_int(r, "comment_min_seconds", 2, 0,
	    86400);
}

/* ---- open or closed ---------------------------------------------------- */

bool
comment_open(struct req *r, const struct article *a)
{
	long	 days;

	if (!a->comments_open)
		return false;
	days = settings_int(r, "comment_close_days", 0, 0, 100000);
	return days == 0 || (int64_t)time(NULL) < a->publish_at +
	    (int64_t)days * 86400;
}

int
comment_max_depth(struct req *r)
{
	return (int)settings_int(r, "comment_max_depth", 3, 1, MAX_DEPTH);
}

/* ---- the form ------------------------------------------------------------ */

void
comment_form_read(struct req *r, struct comment_form *f)
{
	const char	*p = req_form(r, "parent");
	long long	 id;

	memset(f, 0, sizeof(*f));
	f->name = util_strtrim(r->arena, req_form(r, "name"));
	f->email = util_strtrim(r->arena, req_form(r, "email"));
	f->website = util_strtrim(r->arena, req_form(r, "website"));
	f->body = util_strtrim(r->arena, req_form(r, "body"));
	if (p != NULL && util_parse_int(p, 1, INT64_MAX, &id) == 0)
		f->parent = (int64_t)id;
	f->remember = req_form(r, "remember") != NULL;
	f->notify = req_form(r, "notify") != NULL;
}

static bool
has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* An error for website, or NULL: empty, or an http(s) URL with a host. */
static const char *
website_error(const char *w)
{
	const char	*host;

	if (*w == '\0')
		return NULL;
	if (strlen(w) > COMMENT_WEBSITE_MAX)
		return "Your website address must be at most 200 characters.";
	if (strncasecmp(w, "http://", 7) == 0)
		host = w + 7;
	else if (strncasecmp(w, "https://", 8) == 0)
		host = w + 8;
	else
		return "Enter a web address that starts with http:// or "
		    "https://, or leave this field empty.";
	if (*host == '\0' || strchr("/?#", *host) != NULL ||
	    strpbrk(w, " \"<>\\^`{|}") != NULL || has_control(w) ||
	    !markdown_url_is_safe(w))
		return "Enter a valid web address, such as "
		    "https://example.com/.";
	return NULL;
}

bool
comment_form_check(struct comment_form *f, bool guest)
{
	if (guest) {
		if (*f->name == '\0')
			f->name_error = MSG_NAME_REQUIRED;
		else if (util_utf8_chars(f->name) > COMMENT_NAME_MAX)
			f->name_error = "Your name must be at most 100 "
			    "characters.";
		else if (has_control(f->name))
			f->name_error = MSG_CONTROL;
		if (*f->email == '\0')
			f->email_error = MSG_EMAIL_REQUIRED;
		else
			f->email_error = auth_email_error(f->email);
		f->website_error = website_error(f->website);
	}
	if (*f->body == '\0')
		f->body_error = MSG_BODY_REQUIRED;
	else if (util_utf8_chars(f->body) > COMMENT_BODY_MAX)
		f->body_error = "Your comment is too long: at most 10,000 "
		    "characters.";
	return f->name_error == NULL && f->email_error == NULL &&
	    f->website_error == NULL && f->body_error == NULL;
}

/* ---- the cookies --------------------------------------------------------- */

static void
pending_mac(int64_t id, char out[65])
{
	char	 data[64];

	snprintf(data, sizeof(data), "pending\n%" PRId64, id);
	auth_mac_hex(data, out);
}

/* The id of a pending cookie entry "<id>-<64 hex>" [p, e), or 0. */
static int64_t
pending_entry(const char *p, const char *e)
{
	const char	*dash = memchr(p, '-', (size_t)(e - p));
	char		 num[24], mac[65];
	long long	 id;
	size_t		 n;

	if (dash == NULL || (n = (size_t)(dash - p)) == 0 || n >= sizeof(num) ||
	    e - dash - 1 != 64)
		return 0;
	memcpy(num, p, n);
	num[n] = '\0';
	if (util_parse_int(num, 1, INT64_MAX, &id) != 0)
		return 0;
	pending_mac((int64_t)id, mac);
	return sodium_memcmp(mac, dash + 1, 64) == 0 ? (int64_t)id : 0;
}

size_t
comment_pending_ids(struct req *r, int64_t *ids, size_t max)
{
	const char	*v = req_cookie(r, COMMENT_PENDING_COOKIE), *p, *e;
	size_t		 n = 0;
	int64_t		 id;

	if (v == NULL || max == 0)
		return 0;
	for (p = v; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = p + strcspn(p, ".");
		if ((id = pending_entry(p, e)) == 0)
			continue;
		if (n == max) {			/* keep the newest */
			memmove(ids, ids + 1, (max - 1) * sizeof(ids[0]));
			n--;
		}
		ids[n++] = id;
	}
	return n;
}

static bool
pending_has(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

void
comment_pending_add(struct req *r, int64_t id)
{
	int64_t		 ids[COMMENT_PENDING_MAX];
	size_t		 n = 0, k;
	struct buf	 b;
	char		 mac[65];

	k = comment_pending_ids(r, ids, COMMENT_PENDING_MAX);
	for (size_t i = 0; i < k; i++)
		if (ids[i] != id)
			ids[n++] = ids[i];
	if (n == COMMENT_PENDING_MAX) {
		memmove(ids, ids + 1, (n - 1) * sizeof(ids[0]));
		n--;
	}
	ids[n++] = id;
	buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		pending_mac(ids[i], mac);
		buf_printf(&b, "%s%" PRId64 "-%s", i > 0 ? "." : "", ids[i],
		    mac);
	}
	http_drop_cookie(r, COMMENT_PENDING_COOKIE);
	http_set_cookie(r, COMMENT_PENDING_COOKIE, b.ptr, PENDING_AGE,
	    COOKIE_HTTPONLY | COOKIE_PERSIST);
	buf_free(&b);
}

void
comment_remember(struct req *r, const struct comment_form *f)
{
	http_drop_cookie(r, COMMENT_AUTHOR_COOKIE);
	if (f->remember)
		http_set_cookie(r, COMMENT_AUTHOR_COOKIE, arena_printf(r->arena,
		    "name=%s&email=%s&website=%s", http_url_encode(r, f->name),
		    http_url_encode(r, f->email),
		    http_url_encode(r, f->website)), AUTHOR_AGE,
		    COOKIE_HTTPONLY | COOKIE_PERSIST);
	else if (req_cookie(r, COMMENT_AUTHOR_COOKIE) != NULL)
		http_set_cookie(r, COMMENT_AUTHOR_COOKIE, "", 0,
		    COOKIE_HTTPONLY);
}

/*
 * The remembered name, email and website into f (as posted: the form
 * shows them), or false when the browser has no such cookie.  A cookie
 * that does not parse is ignored.
 */
static bool
remembered(struct req *r, struct comment_form *f)
{
	const char	*v = req_cookie(r, COMMENT_AUTHOR_COOKIE);
	const char	*detail = r->error_detail;
	struct params	 p = { NULL, 0, 0 };

	if (v == NULL || *v == '\0')
		return false;
	if (http_parse_urlencoded(r, v, strlen(v), &p) != 0) {
		r->error_detail = detail;
		return false;
	}
	f->name = params_get(&p, "name");
	f->email = params_get(&p, "email");
	f->website = params_get(&p, "website");
	f->remember = true;
	return f->name != NULL || f->email != NULL || f->website != NULL;
}

bool
comment_visitor_is_personal(struct req *r)
{
	const char	*c = req_cookie(r, COMMENT_AUTHOR_COOKIE);
	int64_t		 ids[COMMENT_PENDING_MAX];

	if (r->user != NULL || (c != NULL && *c != '\0') ||
	    comment_pending_ids(r, ids, COMMENT_PENDING_MAX) > 0) {
		r->private_page = true;
		return true;
	}
	return false;
}

/* ---- queries --------------------------------------------------------------- */

#define COMMENT_COLS \
	"id, article_id, coalesce(parent_id, 0), depth, coalesce(user_id, 0)," \
	" author_name, author_email, author_url, body, body_html, status," \
	" held_by, ip, user_agent, created_at," \
	" (SELECT slug FROM articles a WHERE a.id = article_id), notify"

/* Fill c from a row of COMMENT_COLS. */
static void
comment_row(struct req *r, sqlite3_stmt *st, struct comment *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(st, 0);
	c->article_id = sqlite3_column_int64(st, 1);
	c->parent_id = sqlite3_column_int64(st, 2);
	c->depth = sqlite3_column_int(st, 3);
	c->user_id = sqlite3_column_int64(st, 4);
	c->author_name = db_col_strdup(r, st, 5);
	c->author_email = db_col_strdup(r, st, 6);
	c->author_url = db_col_strdup(r, st, 7);
	c->body = db_col_strdup(r, st, 8);
	c->body_html = db_col_strdup(r, st, 9);
	c->status = db_col_strdup(r, st, 10);
	c->held_by = db_col_strdup(r, st, 11);
	c->ip = db_col_strdup(r, st, 12);
	c->user_agent = db_col_strdup(r, st, 13);
	c->created_at = sqlite3_column_int64(st, 14);
	c->article_slug = db_col_strdup(r, st, 15);
	c->notify = sqlite3_column_int(st, 16) != 0;
	c->up = c->child = c->next = -1;
}

struct comment *
comment_by_id(struct req *r, int64_t id)
{
	static const char sql[] =
	    "SELECT " COMMENT_COLS " FROM comments WHERE id = ?1";
	sqlite3_stmt	*st;
	struct comment	*c = NULL;

	if ((st = db_stmt(r, sql)) == NULL)
		return NULL;
	db_bind_int64(r, st, 1, id);
	if (db_step(r, st) == SQLITE_ROW) {
		c = arena_alloc(r->arena, sizeof(*c));
		comment_row(r, st, c);
	}
	db_done(r, st);
	return req_failed(r) ? NULL : c;
}

int
comment_list_approved(struct req *r, int64_t article_id, int64_t after,
    struct comment *out, int max, int *more)
{
	static const char sql[] =
	    "SELECT " COMMENT_COLS " FROM comments"
	    " WHERE article_id = ?1 AND status = 'approved' AND id > ?2"
	    " ORDER BY id LIMIT ?3";
	sqlite3_stmt	*st;
	int		 n = 0;

	*more = 0;
	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, article_id);
	db_bind_int64(r, st, 2, after);
	db_bind_int64(r, st, 3, max + 1);
	while (db_step(r, st) == SQLITE_ROW) {
		if (n == max) {
			*more = 1;
			break;
		}
		comment_row(r, st, &out[n++]);
	}
	db_done(r, st);
	return req_failed(r) ? -1 : n;
}

bool
comment_reply_parent(struct req *r, int64_t article_id, int64_t parent_id,
    int depth_max, struct comment **out)
{
	int64_t		 mine[COMMENT_PENDING_MAX];
	size_t		 nmine;
	struct comment	*p;

	*out = NULL;
	if ((p = comment_by_id(r, parent_id)) == NULL ||
	    p->article_id != article_id)
		return false;
	if (strcmp(p->status, "approved") != 0) {
		nmine = comment_pending_ids(r, mine, COMMENT_PENDING_MAX);
		if (strcmp(p->status, "pending") != 0 ||
		    !pending_has(mine, nmine, p->id))
			return false;
	}
	/*
	 * A reply to the deepest level goes beside its parent instead:
	 * climb to the ancestor whose replies still fit (none: the top
	 * level).  Each step is one level up; the bound guards against a
	 * corrupt cycle.
	 */
	for (int i = 0; i < 64 && p != NULL && p->depth + 1 >= depth_max;
	    i++)
		p = p->parent_id != 0 ? comment_by_id(r, p->parent_id) : NULL;
	if (req_failed(r))
		return false;
	*out = p;
	return true;
}

bool
comment_is_duplicate(struct req *r, int64_t article_id, int64_t user_id,
    const char *email, const char *body)
{
	static const char sql[] =
	    "SELECT 1 FROM comments"
	    " WHERE article_id = ?1 AND status <> 'trash' AND body = ?4"
	    "   AND (CASE WHEN ?2 > 0 THEN user_id = ?2"
	    "        ELSE user_id IS NULL AND author_email = ?3 END)"
	    " LIMIT 1";
	sqlite3_stmt	*st;
	bool		 dup;

	if ((st = db_stmt(r, sql)) == NULL)
		return false;
	db_bind_int64(r, st, 1, article_id);
	db_bind_int64(r, st, 2, user_id);
	db_bind_text(r, st, 3, email);
	db_bind_text(r, st, 4, body);
	dup = db_step(r, st) == SQLITE_ROW;
	db_done(r, st);
	return dup;
}

bool
comment_has_approved(struct req *r, int64_t user_id, const char *email)
{
	static const char sql_user[] =
	    "SELECT 1 FROM comments WHERE user_id = ?1 AND status = 'approved'"
	    " LIMIT 1";
	/* A guest's address earns no trust from a member's comments. */
	static const char sql_email[] =
	    "SELECT 1 FROM comments"
	    " WHERE author_email = ?1 AND status = 'approved'"
	    "   AND user_id IS NULL LIMIT 1";
	sqlite3_stmt	*st;
	bool		 yes;

	if (user_id <= 0 && (email == NULL || *email == '\0'))
		return false;
	if (user_id > 0) {
		if ((st = db_stmt(r, sql_user)) == NULL)
			return false;
		db_bind_int64(r, st, 1, user_id);
	} else {
		if ((st = db_stmt(r, sql_email)) == NULL)
			return false;
		db_bind_text(r, st, 1, email);
	}
	yes = db_step(r, st) == SQLITE_ROW;
	db_done(r, st);
	return yes;
}

int64_t
comment_insert(struct req *r, const struct comment *c)
{
	static const char sql[] =
	    "INSERT INTO comments (article_id, parent_id, depth, user_id,"
	    "    author_name, author_email, author_url, body, body_html,"
	    "    status, held_by, ip, user_agent, created_at, updated_at,"
	    "    notify)"
	    " VALUES (?1, nullif(?2, 0), ?3, nullif(?4, 0), ?5, ?6, ?7, ?8,"
	    "    ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15)";
	sqlite3_stmt	*st;
	int64_t		 id = -1;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, c->article_id);
	db_bind_int64(r, st, 2, c->parent_id);
	db_bind_int64(r, st, 3, c->depth);
	db_bind_int64(r, st, 4, c->user_id);
	db_bind_text(r, st, 5, c->author_name);
	db_bind_text(r, st, 6, c->author_email);
	db_bind_text(r, st, 7, c->author_url);
	db_bind_text(r, st, 8, c->body);
	db_bind_text(r, st, 9, c->body_html);
	db_bind_text(r, st, 10, c->status);
	db_bind_text(r, st, 11, c->held_by);
	db_bind_text(r, st, 12, c->ip);
	db_bind_text(r, st, 13, c->user_agent);
	db_bind_int64(r, st, 14, (int64_t)time(NULL));
	db_bind_int64(r, st, 15, c->notify ? 1 : 0);
	if (db_step(r, st) == SQLITE_DONE)
		id = sqlite3_last_insert_rowid(db_handle());
	db_done(r, st);
	return req_failed(r) ? -1 : id;
}

int
comment_unsubscribe(struct req *r, const char *email)
{
	static const char sql[] =
	    "UPDATE comments SET notify = 0"
	    " WHERE notify = 1 AND author_email = ?1 COLLATE NOCASE";
	sqlite3_stmt	*st;
	int		 n = -1;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_text(r, st, 1, email);
	if (db_step(r, st) == SQLITE_DONE)
		n = sqlite3_changes(db_handle());
	db_done(r, st);
	return req_failed(r) ? -1 : n;
}

int
comment_set_status(struct req *r, int64_t id, const char *status)
{
	static const char sql[] =
	    "UPDATE comments SET status = ?2, updated_at = ?3 WHERE id = ?1";
	sqlite3_stmt	*st;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, id);
	db_bind_text(r, st, 2, status);
	db_bind_int64(r, st, 3, (int64_t)time(NULL));
	db_step(r, st);
	db_done(r, st);
	return req_failed(r) ? -1 : 0;
}

/*
 * The comments of article_id the page shows, ordered by id, into *out
 * (arena): the approved ones, the pending and spam ones whose ids are in
 * mine[0..nmine) (this browser's), and every pending one when staff is
 * true.  Returns the count, or -1 (r failed).
 */
static int
comments_for_page(struct req *r, int64_t article_id, const int64_t *mine,
    size_t nmine, bool staff, struct comment **out)
{
	static const char sql[] =
	    "SELECT " COMMENT_COLS " FROM comments"
	    " WHERE article_id = ?1"
	    "   AND (status = 'approved'"
	    "    OR (?2 AND status = 'pending')"
	    "    OR (status IN ('pending', 'spam')"
	    "        AND id IN (?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)))"
	    " ORDER BY id";
	sqlite3_stmt	*st;
	struct comment	*v = NULL;
	size_t		 n = 0, cap = 0;

	_Static_assert(COMMENT_PENDING_MAX == 10, "one ?N per pending id");
	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, article_id);
	db_bind_int64(r, st, 2, staff ? 1 : 0);
	for (size_t i = 0; i < COMMENT_PENDING_MAX; i++)
		db_bind_int64(r, st, 3 + (int)i, i < nmine ? mine[i] : 0);
	while (db_step(r, st) == SQLITE_ROW) {
		if (n == cap) {
			struct comment *w;

			cap = cap == 0 ? 32 : cap * 2;
			w = arena_alloc(r->arena, cap * sizeof(*w));
			if (n > 0)
				memcpy(w, v, n * sizeof(*w));
			v = w;
		}
		comment_row(r, st, &v[n++]);
	}
	db_done(r, st);
	*out = v;
	return req_failed(r) ? -1 : (int)n;
}

/* ---- threads ----------------------------------------------------------------- */

/* The index of id in v[0..n) (ordered by id), or -1. */
static int
find_id(const struct comment *v, size_t n, int64_t id)
{
	size_t	 lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].id == id)
			return (int)mid;
		if (v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

int
comment_thread(struct comment *v, size_t n, int depth_max)
{
	int	*last;		/* each comment's last reply so far */
	int	 first = -1, top_last = -1;

	if (n == 0)
		return -1;
	if (depth_max < 1)
		depth_max = 1;
	last = xmalloc(n * sizeof(*last));
	for (size_t i = 0; i < n; i++) {
		int	 up = v[i].parent_id != 0 ? find_id(v, n, v[i].parent_id) :
		    -1;

		/* A parent must come first; anything else is an orphan. */
		if (up >= (int)i)
			up = -1;
		while (up >= 0 && v[up].level + 1 >= depth_max)
			up = v[up].up;
		v[i].up = up;
		v[i].level = up >= 0 ? v[up].level + 1 : 0;
		v[i].child = v[i].next = -1;
		last[i] = -1;
		if (up < 0) {
			if (top_last < 0)
				first = (int)i;
			else
				v[top_last].next = (int)i;
			top_last = (int)i;
		} else {
			if (last[up] < 0)
				v[up].child = (int)i;
			else
				v[last[up]].next = (int)i;
			last[up] = (int)i;
		}
	}
	free(last);
	return first;
}

/* ---- posting ----------------------------------------------------------------- */

/* At most max bytes of s (NULL: ""), cut at a character boundary. */
static const char *
clip(struct req *r, const char *s, size_t max)
{
	size_t	 n;

	if (s == NULL)
		return "";
	if ((n = strnlen(s, max)) == max)
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	return arena_strndup(r->arena, s, n);
}

/* -1 for comment_submit(), with r failed even if the callee did not. */
static int
submit_failed(struct req *r, const char *why)
{
	db_rollback(r);
	if (!req_failed(r))
		req_fail(r, 500, "%s", why);
	return -1;
}

/*
 * The checks before anything is written: 0 with res->outcome set to
 * COMMENT_STORED when they all pass (c is then filled but for status,
 * held_by and id), another outcome when one refuses, or -1 (r failed).
 */
static int
submit_check(struct req *r, const struct comment_input *in,
    struct comment_form *f, bool trusted, const char *key,
    struct comment_result *res)
{
	const struct article	*a = in->article;
	const struct user	*u = in->user;
	struct comment		*c = &res->comment, *parent = NULL;
	struct buf		 html;
	bool			 ok;

	if (!article_is_public(a)) {
		res->outcome = COMMENT_NOT_FOUND;
		return 0;
	}
	if (!comment_open(r, a)) {
		res->outcome = COMMENT_CLOSED;
		return 0;
	}
	if (u == NULL && settings_int(r, "comment_guests", 1, 0, 1) == 0) {
		res->outcome = COMMENT_LOGIN;
		return 0;
	}
	/* Moderators are not flood-checked (WordPress's rule too). */
	if (!trusted) {
		if ((res->retry_after = throttle_wait(r, key)) < 0)
			return -1;
		if (res->retry_after > 0) {
			res->outcome = COMMENT_FLOOD;
			return 0;
		}
	}

	ok = comment_form_check(f, u == NULL) && !in->invalid;
	if (f->parent > 0 && !comment_reply_parent(r, a->id, f->parent,
	    comment_max_depth(r), &parent)) {
		if (req_failed(r))
			return -1;
		f->parent_error = COMMENT_MSG_NO_PARENT;
		ok = false;
	}
	if (!ok) {
		res->outcome = COMMENT_INVALID;
		return 0;
	}

	c->article_id = a->id;
	c->parent_id = parent != NULL ? parent->id : 0;
	c->depth = parent != NULL ? parent->depth + 1 : 0;
	if (u == NULL) {
		c->author_name = f->name;
		c->author_email = f->email;
		c->author_url = f->website;
	} else {
		c->user_id = u->id;
		c->author_name = *u->display_name != '\0' ? u->display_name :
		    u->username;
		c->author_email = u->email;
		c->author_url = "";
	}
	c->body = f->body;
	c->notify = f->notify;
	buf_init(&html);
	if (markdown_comment(f->body, strlen(f->body), &html) != 0) {
		buf_free(&html);
		req_fail(r, 500, "markdown_comment failed");
		return -1;
	}
	c->body_html = arena_strdup(r->arena, html.ptr != NULL ? html.ptr :
	    "");
	buf_free(&html);
	c->ip = r->remote_addr;
	c->user_agent = clip(r, req_header(r, "User-Agent"), 500);
	if (moderation_ban_find(r, c->user_id, c->author_email, c->ip) !=
	    NULL) {
		res->outcome = COMMENT_BANNED;
		return 0;
	}
	if (req_failed(r))
		return -1;
	res->outcome = COMMENT_STORED;
	return 0;
}

int
comment_submit(struct req *r, const struct comment_input *in,
    struct comment_form *f, struct comment_result *res)
{
	const struct article	*a = in->article;
	struct comment		*c = &res->comment;
	struct comment_rules	 rules;
	struct comment_candidate cand;
	const char		*key, *why;
	bool			 trusted;
	long			 limit, window;
	int64_t			 id;

	memset(res, 0, sizeof(*res));
	f->name_error = f->email_error = f->website_error = NULL;
	f->body_error = f->parent_error = f->form_error = NULL;
	trusted = in->user != NULL && auth_has_perm(r, in->user,
	    "comment.change");
	key = arena_printf(r->arena, "comment:ip:%s", r->remote_addr);
	if (submit_check(r, in, f, trusted, key, res) != 0)
		return submit_failed(r, "comment checks failed");
	if (res->outcome != COMMENT_STORED)
		return 0;

	/* The duplicate check and the insert in one write: no race. */
	if (db_begin_write(r) != 0)
		return submit_failed(r, "begin failed");
	if (comment_is_duplicate(r, a->id, c->user_id, c->author_email,
	    c->body)) {
		db_rollback(r);
		if (req_failed(r))
			return -1;
		res->outcome = COMMENT_DUPLICATE;
		return 0;
	}
	comment_rules_load(r, &rules);
	memset(&cand, 0, sizeof(cand));
	cand.name = c->author_name;
	cand.email = c->author_email;
	cand.website = c->author_url;
	cand.body = c->body;
	cand.body_html = c->body_html;
	cand.ip = c->ip;
	cand.user_agent = c->user_agent;
	cand.honeypot_filled = in->honeypot_filled;
	cand.shown_seconds = in->shown_seconds;
	cand.trusted = trusted;
	cand.previously_approved = comment_has_approved(r, c->user_id,
	    c->author_email);
	c->status = comment_classify(&rules, &cand, &why);
	c->held_by = why;
	if ((id = comment_insert(r, c)) < 0)
		return submit_failed(r, "comment_insert failed");
	/* Its mails commit with it, or neither does (the job queue). */
	c->id = id;
	if (strcmp(c->status, "pending") == 0 ? notify_comment_held(r, a,
	    c) != 0 : notify_comment_reply(r, a->title, a->slug, c) != 0)
		return submit_failed(r, "comment notice failed");
	limit = settings_int(r, "comment_flood_limit", 5, 0, 100000);
	window = settings_int(r, "comment_flood_window", 60, 1, 86400);
	if (!trusted && limit > 0 && throttle_hit(r, key, limit, window) < 0)
		return submit_failed(r, "throttle_hit failed");
	if (db_commit(r) != 0)
		return submit_failed(r, "commit failed");
	c->created_at = (int64_t)time(NULL);
	c->article_slug = a->slug;
	log_msg(LOG_INFO, "rid=%s msg=\"comment\" id=%" PRId64 " status=%s "
	    "rule=%s%s%s", r->request_id, id, c->status, why,
	    in->via != NULL ? " via=" : "", in->via != NULL ? in->via : "");
	return 0;
}

/* ---- the section under an article ------------------------------------------ */

/* Why a comment is held, in words for moderators, by held_by. */
static const struct {
	const char	*rule;
	const char	*text;
} held_texts[] = {
	{ "honeypot", "the hidden field was filled in" },
	{ "too_fast", "sent too soon after the form was shown" },
	{ "spam_key", "it contains a spam word" },
	{ "max_links", "it has many links" },
	{ "hold_key", "it contains a hold word" },
	{ "moderation_all", "every comment is held" },
	{ "first_comment", "a first comment" },
	{ "trusted", "posted by a moderator" },
	{ "no_moderation", "comments are not held" },
	{ "previously_approved", "the author has an approved comment" },
};

const char *
comment_held_text(const char *rule)
{
	for (size_t i = 0; i < NELEM(held_texts); i++)
		if (strcmp(rule, held_texts[i].rule) == 0)
			return held_texts[i].text;
	return rule;
}

struct section {
	struct req		*r;
	const struct article	*a;
	struct comment		*v;
	const char		*article_url;
	const int64_t		*mine;
	size_t			 nmine;
	size_t			 n;
	int			 depth_max;
	bool			 staff;		/* may moderate */
	bool			 open;		/* comment_open() */
	bool			 guests;	/* guests may comment */
	bool			 can_reply;	/* the form is there */
};

static bool
is_mine(const struct section *s, const struct comment *c)
{
	return pending_has(s->mine, s->nmine, c->id);
}

/* May a reply to c be started from the page (its Reply link)? */
static bool
replyable(const struct section *s, const struct comment *c)
{
	return s->can_reply && (strcmp(c->status, "approved") == 0 ||
	    is_mine(s, c));
}

/* Put v[i] and, under .replies, its replies at node path. */
static void
export_comment(struct section *s, int i, const char *path)
{
	struct req		*r = s->r;
	const struct comment	*c = &s->v[i];
	struct render_node	*n = render_node(r, "%s", path);
	bool			 approved = strcmp(c->status, "approved") == 0;
	int			 k = 0;

	render_node_set(r, n, "id", arena_printf(r->arena, "%" PRId64,
	    c->id));
	render_node_set(r, n, "author", c->author_name);
	/* A held comment publishes no link at all, its author's neither. */
	if (approved && *c->author_url != '\0')
		render_node_set(r, n, "website", c->author_url);
	render_node_set_date(r, n, "date", c->created_at);
	if (approved)
		render_node_set(r, n, "body_html", c->body_html);
	else {
		struct buf	 b;

		buf_init(&b);
		if (markdown_comment_nolinks(c->body, strlen(c->body),
		    &b) == 0 && b.ptr != NULL)
			render_node_set(r, n, "body_html", b.ptr);
		buf_free(&b);
		render_node_set(r, n, "is_pending", "1");
		if (is_mine(s, c))
			render_node_set(r, n, "is_mine", "1");
	}
	if (replyable(s, c) && c->level + 1 < s->depth_max)
		render_node_set(r, n, "reply_url", arena_printf(r->arena,
		    "%s?replytocom=%" PRId64 "#respond", s->article_url,
		    c->id));
	if (s->staff) {
		render_node_set(r, n, "moderate_url", router_url(r,
		    "comment_moderate", arena_printf(r->arena, "%" PRId64,
		    c->id)));
		render_node_set(r, n, "status", c->status);
		if (!approved)
			render_node_set(r, n, "held_by",
			    comment_held_text(c->held_by));
	}
	for (int j = c->child; j >= 0; j = s->v[j].next)
		export_comment(s, j, arena_printf(r->arena, "%s.replies.%d",
		    path, k++));
}

/* CommentForm.values.* from f (NULL: empty, or the remember cookie). */
static void
export_values(struct section *s, const struct comment_form *f)
{
	struct req		*r = s->r;
	struct comment_form	 rem;
	struct render_node	*n = render_node(r, "CommentForm.values");

	if (f == NULL) {
		memset(&rem, 0, sizeof(rem));
		if (r->user == NULL && remembered(r, &rem))
			f = &rem;
	}
	if (f == NULL)
		return;
	render_node_set(r, n, "name", f->name);
	render_node_set(r, n, "email", f->email);
	render_node_set(r, n, "website", f->website);
	render_node_set(r, n, "body", f->body);
	if (f->remember)
		render_node_set(r, n, "remember", "1");
	if (f->notify)
		render_node_set(r, n, "notify", "1");
}

static void
export_errors(struct req *r, const struct comment_form *f)
{
	struct render_node	*n;
	const char		*msgs[] = { f->name_error, f->email_error,
	    f->website_error, f->body_error };
	const char		*fields[] = { "name", "email", "website",
	    "body" };
	bool			 any = false;

	n = render_node(r, "CommentForm.errors");
	for (size_t i = 0; i < NELEM(msgs); i++)
		if (msgs[i] != NULL) {
			render_node_set(r, n, fields[i], msgs[i]);
			any = true;
		}
	if (any)
		render_set(r, "CommentForm.has_errors", "1");
	if (f->form_error != NULL)
		render_set(r, "CommentForm.error", f->form_error);
}

/* The form, or why there is none. */
static void
export_form(struct section *s, const struct comment_form *f)
{
	struct req	*r = s->r;
	const char	*action = router_url(r, "comment_post", s->a->slug);
	int64_t		 parent;
	int		 k;

	if (!s->open) {
		render_set(r, "CommentForm.closed", "1");
		return;
	}
	if (r->user == NULL && !s->guests) {
		render_set(r, "CommentForm.login_required", "1");
		render_set(r, "CommentForm.login_url", arena_printf(r->arena,
		    "%s?next=%s", router_url(r, "account_login"),
		    http_url_encode(r, s->article_url)));
		return;
	}
	render_set(r, "CommentForm.action", action);
	if (r->user != NULL) {
		render_set(r, "CommentForm.csrf_token", csrf_token(r));
		render_set(r, "CommentForm.is_user", "1");
		render_set(r, "CommentForm.user_name",
		    *r->user->display_name != '\0' ? r->user->display_name :
		    r->user->username);
		render_set(r, "CommentForm.profile_url", router_url(r,
		    "account_profile"));
	} else {
		const char *tok = req_form(r, CSRF_FIELD);

		/*
		 * The same token for every visitor, so the page stays
		 * cacheable.  A form sent back with errors keeps the one it
		 * came with: the time since it was first shown goes on.
		 */
		if (f == NULL || !csrf_form_token_check(tok, action,
		    CSRF_FORM_MAX_AGE, NULL))
			tok = csrf_form_token(r, action);
		render_set(r, "CommentForm.csrf_token", tok);
		render_set(r, "CommentForm.is_guest", "1");
	}
	parent = f != NULL ? f->parent : req_int(r, "replytocom", 0, 0,
	    LONG_MAX);
	if (parent > 0 && (k = find_id(s->v, s->n, parent)) >= 0 &&
	    replyable(s, &s->v[k])) {
		render_set(r, "CommentForm.values.parent", arena_printf(r->arena,
		    "%" PRId64, parent));
		render_set(r, "CommentForm.reply_to", s->v[k].author_name);
		render_set(r, "CommentForm.reply_anchor", arena_printf(r->arena,
		    "#comment-%" PRId64, parent));
		render_set(r, "CommentForm.cancel_url", arena_printf(r->arena,
		    "%s#respond", s->article_url));
	}
	export_values(s, f);
	if (f != NULL)
		export_errors(r, f);
}

int
comment_section(struct req *r, const struct article *a,
    const struct comment_form *f)
{
	struct section	 s;
	int64_t		 mine[COMMENT_PENDING_MAX];
	int		 n, first, k = 0;
	long		 approved = 0;

	memset(&s, 0, sizeof(s));
	s.r = r;
	s.a = a;
	s.article_url = router_url(r, "article_show", a->slug);
	s.depth_max = comment_max_depth(r);
	s.staff = r->user != NULL && auth_has_perm(r, r->user,
	    "comment.change");
	s.nmine = comment_pending_ids(r, mine, COMMENT_PENDING_MAX);
	s.mine = mine;
	s.open = comment_open(r, a);
	s.guests = settings_int(r, "comment_guests", 1, 0, 1) == 1;
	s.can_reply = s.open && (r->user != NULL || s.guests);
	if ((n = comments_for_page(r, a->id, mine, s.nmine, s.staff,
	    &s.v)) < 0)
		return -1;
	s.n = (size_t)n;
	/* Anything shown to this visitor alone keeps the page private. */
	if (s.staff || s.nmine > 0 || f != NULL || r->user != NULL ||
	    req_cookie(r, COMMENT_AUTHOR_COOKIE) != NULL)
		r->private_page = true;
	for (size_t i = 0; i < s.n; i++)
		if (strcmp(s.v[i].status, "approved") == 0)
			approved++;
	render_set_int(r, "Comments.count", approved);
	if (s.staff) {
		render_set(r, "Comments.moderate", "1");
		csrf_token(r);		/* CSRF.token for the buttons */
	}
	first = comment_thread(s.v, s.n, s.depth_max);
	for (int i = first; i >= 0; i = s.v[i].next)
		export_comment(&s, i, arena_printf(r->arena, "Comments.list.%d",
		    k++));
	export_form(&s, f);
	return req_failed(r) ? -1 : 0;
}
