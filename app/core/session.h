/*
 * session: server-side sessions in SQLite for logged-in users.  The
 * cookie gazette_session holds 32 random bytes (base64url); the table
 * keeps only their SHA-256.  Anonymous visitors get no session (their
 * forms use csrf's own cookie), so public pages stay cookie-free.  A new
 * id is issued at every login and privilege change, and the row is
 * deleted at logout.  Also here: flash messages, shown once on the next
 * rendered page (Django's messages framework), kept in a cookie of codes.
 */
#ifndef GAZETTE_SESSION_H
#define GAZETTE_SESSION_H

#include <stdbool.h>
#include <stdint.h>

struct req;
struct user;
struct config;

#define SESSION_COOKIE	"gazette_session"

struct session {
	unsigned char	 id_hash[32];
	int64_t		 user_id;
	const char	*csrf_secret;
	bool		 mfa_pending;	/* password given, code awaited */
	bool		 remember;
	int64_t		 created_at;
	int64_t		 expires_at;
};

/* Per-process settings (lifetimes).  Call before forking. */
void	 session_init(const struct config *c);

/*
 * Middleware: if the request carries a session cookie that is known and
 * unexpired, set r->session and (unless mfa_pending) r->user.  A stale
 * cookie is deleted.  Cheap when there is no cookie: no query at all.
 */
void	 session_load(struct req *r);

/*
 * Start a session for user u (after the password, and mfa_pending when
 * a second factor must follow), replacing any current one: the old row
 * is deleted and a new id and CSRF secret are issued (fixation).
 * remember: a persistent cookie for session_days, else a browser-session
 * cookie.  0 or -1 (r failed).
 */
int	 session_start(struct req *r, const struct user *u, bool remember,
	    bool mfa_pending);

/* Complete a pending two-factor login: a new id, mfa cleared.  0/-1. */
int	 session_upgrade(struct req *r);

/* End the current session (row and cookie).  0 or -1. */
int	 session_end(struct req *r);

/* End every session of user_id except the current one.  The count, -1. */
int	 session_end_others(struct req *r, int64_t user_id);

/* Delete expired sessions and throttle rows.  The count, or -1. */
int	 session_clear_expired(struct req *r);

/*
 * The user's sessions for the profile page, into the HDF as
 * Sessions.N.{device,ip,created,last_seen,is_current} and
 * Sessions.others.  0 or -1.
 */
int	 session_export_list(struct req *r, int64_t user_id);

/* Flash messages, by code (a fixed table: no text from the client). */
enum flash {
	FLASH_LOGGED_IN,
	FLASH_LOGGED_OUT,
	FLASH_SIGNED_UP,
	FLASH_PASSWORD_CHANGED,
	FLASH_PASSWORD_RESET,
	FLASH_PROFILE_SAVED,
	FLASH_SESSIONS_ENDED,
	FLASH_2FA_ON,
	FLASH_2FA_OFF,
	FLASH_2FA_CODES,
	FLASH_RECOVERY_USED,
	FLASH_COMMENT_APPROVED,
	FLASH_COMMENT_SPAM,
	FLASH_COMMENT_TRASHED,
	FLASH__MAX
};

/* Queue a flash message for the next rendered page. */
void	 session_flash(struct req *r, enum flash f);

/*
 * Put what every page shows of the visitor into the HDF: User.*,
 * Flash.* (consuming the flash cookie), CSRF.token for logged-in users.
 * Called by render for every page.
 */
void	 session_export(struct req *r);

#endif
