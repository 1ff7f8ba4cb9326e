/*
 * session: the sessions table, the session cookie and flash messages.
 * A session id is 32 random bytes from libsodium, sent base64url-encoded;
 * the table is keyed by its SHA-256, so the database alone cannot be used
 * to hijack a session.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "buf.h"
#include "config.h"
#include "csrf.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "render.h"
#include "router.h"
#include "session.h"
#include "util.h"

#define ID_BYTES	32
#define ID_CHARS	43		/* base64url, no padding */
#define FLASH_COOKIE	"gazette_flash"
/* A browser-session login still ends server-side after this long. */
#define SHORT_SESSION	(12 * 3600)

static struct {
	long	 days;
} ss = { 14 };

static const struct {
	const char	*code;
	const char	*kind;
	const char	*text;
} flashes[FLASH__MAX] = {
	[FLASH_LOGGED_IN] = { "in", "success", "You are now logged in." },
	[FLASH_LOGGED_OUT] = { "out", "info", "You have been logged out." },
	[FLASH_SIGNED_UP] = { "up", "success",
	    "Welcome! Your account has been created and you are logged in." },
	[FLASH_PASSWORD_CHANGED] = { "pw", "success",
	    "Your password was changed." },
	[FLASH_PASSWORD_RESET] = { "rs", "success",
	    "Your password has been set. You may go ahead and log in now." },
	[FLASH_PROFILE_SAVED] = { "pf", "success",
	    "Your profile was saved." },
	[FLASH_SESSIONS_ENDED] = { "se", "success",
	    "You have been logged out everywhere else." },
	[FLASH_2FA_ON] = { "2on", "success",
	    "Two-factor authentication is on." },
	[FLASH_2FA_OFF] = { "2off", "info",
	    "Two-factor authentication is off." },
	[FLASH_2FA_CODES] = { "2rc", "success",
	    "New recovery codes were made; the old ones no longer work." },
	[FLASH_RECOVERY_USED] = { "ru", "info",
	    "You used a recovery code. Each works only once: make new ones "
	    "from your profile when you run low." },
	[FLASH_COMMENT_APPROVED] = { "ca", "success", "Comment approved." },
	[FLASH_COMMENT_SPAM] = { "cs", "info", "Comment marked as spam." },
	[FLASH_COMMENT_TRASHED] = { "ct", "info",
	    "Comment moved to the trash." },
};

void
session_init(const struct config *c)
{
	ss.days = c->session_days;
}

static void
id_hash(const char *cookie, unsigned char out[32])
{
	crypto_hash_sha256(out, (const unsigned char *)cookie, strlen(cookie));
}

static void
cookie_clear(struct req *r)
{
	http_drop_cookie(r, SESSION_COOKIE);
	http_set_cookie(r, SESSION_COOKIE, "", 0, COOKIE_HTTPONLY);
}

void
session_load(struct req *r)
{
	static const char sql[] =
	    "SELECT user_id, csrf_secret, mfa_pending, remember, created_at,"
	    "       expires_at, last_seen"
	    "  FROM sessions WHERE id_hash = ?1";
	static const char sql_seen[] =
	    "UPDATE sessions SET last_seen = ?2 WHERE id_hash = ?1";
	const char	*cookie = req_cookie(r, SESSION_COOKIE);
	struct session	*s;
	sqlite3_stmt	*st;
	int64_t		 now, last_seen = 0;
	bool		 found = false;

	if (cookie == NULL)
		return;
	if (strlen(cookie) != ID_CHARS) {
		cookie_clear(r);
		return;
	}
	s = arena_zalloc(r->arena, sizeof(*s));
	id_hash(cookie, s->id_hash);
	now = (int64_t)time(NULL);
	if ((st = db_stmt(r, sql)) == NULL)
		return;
	if (sqlite3_bind_blob(st, 1, s->id_hash, 32, SQLITE_STATIC) !=
	    SQLITE_OK) {
		req_fail(r, 500, "session: bind failed");
		db_done(r, st);
		return;
	}
	if (db_step(r, st) == SQLITE_ROW) {
		s->user_id = sqlite3_column_int64(st, 0);
		s->csrf_secret = db_col_strdup(r, st, 1);
		s->mfa_pending = sqlite3_column_int(st, 2) != 0;
		s->remember = sqlite3_column_int(st, 3) != 0;
		s->created_at = sqlite3_column_int64(st, 4);
		s->expires_at = sqlite3_column_int64(st, 5);
		last_seen = sqlite3_column_int64(st, 6);
		found = s->expires_at > now;
	}
	db_done(r, st);
	if (!found) {
		if (!req_failed(r))
			cookie_clear(r);
		return;
	}
	r->session = s;
	if (!s->mfa_pending) {
		struct user *u = auth_user_by_id(r, s->user_id);

		if (u == NULL || !u->is_active) {
			r->session = NULL;
			cookie_clear(r);
			return;
		}
		r->user = u;
	}
	/* Note activity at most once a minute: reads stay reads. */
	if (now - last_seen >= 60 && (st = db_stmt(r, sql_seen)) != NULL) {
		sqlite3_bind_blob(st, 1, s->id_hash, 32, SQLITE_STATIC);
		db_bind_int64(r, st, 2, now);
		db_step(r, st);
		db_done(r, st);
	}
}

/* Delete the current session's row, if any.  0 or -1. */
static int
delete_current(struct req *r)
{
	static const char sql[] = "DELETE FROM sessions WHERE id_hash = ?1";
	sqlite3_stmt	*st;
	int		 rc;

	if (r->session == NULL)
		return 0;
	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, r->session->id_hash, 32, SQLITE_STATIC);
	rc = db_step(r, st);
	db_done(r, st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
session_start(struct req *r, const struct user *u, bool remember,
    bool mfa_pending)
{
	static const char sql[] =
	    "INSERT INTO sessions (id_hash, user_id, csrf_secret, mfa_pending,"
	    " remember, created_at, last_seen, expires_at, user_agent, ip)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, ?9)";
	unsigned char	 raw[ID_BYTES];
	char		 cookie[ID_CHARS + 2];
	const char	*ua = req_header(r, "User-Agent");
	struct session	*s;
	sqlite3_stmt	*st;
	int64_t		 now = (int64_t)time(NULL);
	long		 life = remember ? ss.days * 86400 : SHORT_SESSION;
	int		 rc;

	if (delete_current(r) != 0)
		return -1;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(cookie, sizeof(cookie), raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	s = arena_zalloc(r->arena, sizeof(*s));
	id_hash(cookie, s->id_hash);
	s->user_id = u->id;
	s->csrf_secret = csrf_new_secret(r);
	s->mfa_pending = mfa_pending;
	s->remember = remember;
	s->created_at = now;
	s->expires_at = now + (mfa_pending ? 600 : life);
	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, s->id_hash, 32, SQLITE_STATIC);
	db_bind_int64(r, st, 2, u->id);
	db_bind_text(r, st, 3, s->csrf_secret);
	db_bind_int64(r, st, 4, mfa_pending);
	db_bind_int64(r, st, 5, remember);
	db_bind_int64(r, st, 6, now);
	db_bind_int64(r, st, 7, s->expires_at);
	db_bind_text(r, st, 8, ua != NULL ? arena_strndup(r->arena, ua,
	    strnlen(ua, 200)) : "");
	db_bind_text(r, st, 9, r->remote_addr);
	rc = db_step(r, st);
	db_done(r, st);
	if (rc != SQLITE_DONE)
		return -1;
	r->session = s;
	r->user = mfa_pending ? NULL : (struct user *)u;
	r->csrf_token = NULL;		/* the token rotates with the id */
	http_drop_cookie(r, SESSION_COOKIE);	/* one session cookie only */
	http_set_cookie(r, SESSION_COOKIE, cookie, life,
	    COOKIE_HTTPONLY | (remember && !mfa_pending ? COOKIE_PERSIST : 0));
	return 0;
}

int
session_upgrade(struct req *r)
{
	struct user	*u;

	if (r->session == NULL ||
	    (u = auth_user_by_id(r, r->session->user_id)) == NULL ||
	    !u->is_active)
		return -1;
	return session_start(r, u, r->session->remember, false);
}

int
session_end(struct req *r)
{
	if (delete_current(r) != 0)
		return -1;
	cookie_clear(r);
	r->session = NULL;
	r->user = NULL;
	r->csrf_token = NULL;
	return 0;
}

int
session_end_others(struct req *r, int64_t user_id)
{
	static const char sql[] =
	    "DELETE FROM sessions WHERE user_id = ?1 AND id_hash IS NOT ?2";
	static const unsigned char none[32];
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, user_id);
	sqlite3_bind_blob(st, 2, r->session != NULL ? r->session->id_hash :
	    none, 32, SQLITE_STATIC);
	rc = db_step(r, st);
	db_done(r, st);
	return rc == SQLITE_DONE ? sqlite3_changes(db_handle()) : -1;
}

int
session_clear_expired(struct req *r)
{
	static const char sql[] = "DELETE FROM sessions WHERE expires_at <= ?1";
	static const char sql_throttle[] =
	    "DELETE FROM throttle WHERE blocked_until <= ?1"
	    "   AND window_start <= ?1 - 86400";
	sqlite3_stmt	*st;
	int		 n = -1;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, (int64_t)time(NULL));
	if (db_step(r, st) == SQLITE_DONE)
		n = sqlite3_changes(db_handle());
	db_done(r, st);
	if (n >= 0 && (st = db_stmt(r, sql_throttle)) != NULL) {
		db_bind_int64(r, st, 1, (int64_t)time(NULL));
		db_step(r, st);
		db_done(r, st);
	}
	return req_failed(r) ? -1 : n;
}

/* "Firefox on Linux" from a User-Agent, good enough to recognise. */
static const char *
device_name(struct req *r, const char *ua)
{
	static const char *const browsers[] = { "Edg", "Edge", "Firefox",
	    "Chrome", "Chromium", "Safari", "curl", "Wget" };
	static const char *const systems[] = { "Android", "iPhone", "iPad",
	    "Windows", "Mac OS", "Linux" };
	const char	*b = NULL, *o = NULL;

	if (ua == NULL || *ua == '\0')
		return "Unknown device";
	for (size_t i = 0; i < NELEM(browsers) && b == NULL; i++)
		if (strstr(ua, browsers[i]) != NULL)
			b = browsers[i];
	for (size_t i = 0; i < NELEM(systems) && o == NULL; i++)
		if (strstr(ua, systems[i]) != NULL)
			o = systems[i];
	if (b != NULL && strcmp(b, "Edg") == 0)
		b = "Edge";
	if (b == NULL)
		return arena_strndup(r->arena, ua, strnlen(ua, 60));
	return o != NULL ? arena_printf(r->arena, "%s on %s", b, o) : b;
}

int
session_export_list(struct req *r, int64_t user_id)
{
	static const char sql[] =
	    "SELECT id_hash, created_at, last_seen, user_agent, ip"
	    "  FROM sessions"
	    " WHERE user_id = ?1 AND expires_at > ?2 AND mfa_pending = 0"
	    " ORDER BY last_seen DESC LIMIT 50";
	sqlite3_stmt	*st;
	char		 name[64];
	int		 n = 0, others = 0;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, user_id);
	db_bind_int64(r, st, 2, (int64_t)time(NULL));
	while (db_step(r, st) == SQLITE_ROW) {
		const void	*h = sqlite3_column_blob(st, 0);
		bool		 cur = r->session != NULL && h != NULL &&
		    sqlite3_column_bytes(st, 0) == 32 &&
		    memcmp(h, r->session->id_hash, 32) == 0;

		snprintf(name, sizeof(name), "Sessions.%d.device", n);
		render_set(r, name, device_name(r,
		    (const char *)sqlite3_column_text(st, 3)));
		snprintf(name, sizeof(name), "Sessions.%d.ip", n);
		render_set(r, name, (const char *)sqlite3_column_text(st, 4));
		snprintf(name, sizeof(name), "Sessions.%d.created", n);
		render_set_date(r, name, sqlite3_column_int64(st, 1));
		snprintf(name, sizeof(name), "Sessions.%d.last_seen", n);
		render_set_date(r, name, sqlite3_column_int64(st, 2));
		if (cur) {
			snprintf(name, sizeof(name), "Sessions.%d.is_current",
			    n);
			render_set(r, name, "1");
		} else
			others++;
		n++;
	}
	db_done(r, st);
	if (others > 0)
		render_set(r, "Sessions.others", "1");
	return req_failed(r) ? -1 : 0;
}

/* The flash table entry for the code [p, p+len), or -1. */
static int
flash_find(const char *p, size_t len)
{
	for (int i = 0; i < FLASH__MAX; i++)
		if (strlen(flashes[i].code) == len &&
		    strncmp(flashes[i].code, p, len) == 0)
			return i;
	return -1;
}

void
session_flash(struct req *r, enum flash f)
{
	const char	*cur = req_cookie(r, FLASH_COOKIE);
	struct buf	 b;
	int		 n = 0;

	/* What this response already queued wins over the request's. */
	for (size_t i = 0; i < r->nresp; i++)
		if (strcmp(r->resp_headers[i].name, "Set-Cookie") == 0 &&
		    strncmp(r->resp_headers[i].value, FLASH_COOKIE "=",
		    sizeof(FLASH_COOKIE)) == 0) {
			const char *v = r->resp_headers[i].value +
			    sizeof(FLASH_COOKIE);

			cur = arena_strndup(r->arena, v, strcspn(v, ";"));
		}
	http_drop_cookie(r, FLASH_COOKIE);
	/* Keep the known codes waiting (at most three), then this one. */
	buf_init(&b);
	for (const char *p = cur != NULL ? cur : ""; *p != '\0' && n < 3; ) {
		size_t	 len = strcspn(p, ".");
		int	 k = flash_find(p, len);

		if (k >= 0 && k != (int)f) {
			buf_printf(&b, "%s.", flashes[k].code);
			n++;
		}
		p += len;
		if (*p == '.')
			p++;
	}
	buf_puts(&b, flashes[f].code);
	http_set_cookie(r, FLASH_COOKIE, b.ptr, 600,
	    COOKIE_HTTPONLY | COOKIE_PERSIST);
	buf_free(&b);
}

void
session_export(struct req *r)
{
	const char	*fl = req_cookie(r, FLASH_COOKIE);

	if (r->user != NULL) {
		const struct user *u = r->user;

		render_set(r, "User.is_authenticated", "1");
		render_set(r, "User.username", u->username);
		render_set(r, "User.display_name", u->display_name);
		if (u->is_staff) {
			render_set(r, "User.is_staff", "1");
			render_set(r, "Urls.admin", "/admin/");
		}
		csrf_token(r);		/* the logout button is a form */
		r->private_page = true;
	}
	if (fl != NULL && *fl != '\0') {
		char	 name[32];
		int	 n = 0;

		for (const char *p = fl; *p != '\0' && n < 4; ) {
			size_t	 len = strcspn(p, ".");
			int	 k = flash_find(p, len);

			if (k >= 0) {
				snprintf(name, sizeof(name), "Flash.%d.text",
				    n);
				render_set(r, name, flashes[k].text);
				snprintf(name, sizeof(name), "Flash.%d.kind",
				    n);
				render_set(r, name, flashes[k].kind);
				n++;
			}
			p += len;
			if (*p == '.')
				p++;
		}
		http_drop_cookie(r, FLASH_COOKIE);
		http_set_cookie(r, FLASH_COOKIE, "", 0, COOKIE_HTTPONLY);
		r->private_page = true;
	}
}
