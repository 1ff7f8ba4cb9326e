/*
 * auth: users, groups and permissions, passwords (through password.c),
 * password reset tokens and the site secret.  Permissions are
 * "model.action" strings (article.change); superusers have all of them,
 * others through their own grants and their groups'.  Only active users
 * count: an inactive user has no permission and cannot log in.
 */
#ifndef GAZETTE_AUTH_H
#define GAZETTE_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct req;
struct config;
struct password_policy;

struct user {
	int64_t		 id;
	const char	*username;
	const char	*email;
	const char	*display_name;
	const char	*password;	/* argon2id string, "" if unusable */
	bool		 is_active;
	bool		 is_staff;
	bool		 is_superuser;
	int64_t		 date_joined;
	int64_t		 last_login;	/* 0: never */
	const char	*totp_secret;	/* "" until enrolment */
	bool		 totp_enabled;
	int64_t		 totp_last_step;
};

/*
 * Per-process setup: read the secret file (at least 32 bytes, not
 * readable by everyone) and the password policy.  0, or -1 with the fix
 * in err.  Call before forking workers.
 */
int	 auth_init(const struct config *c, char *err, size_t errlen);

/* Only the password policy, for commands that need no secret. */
void	 auth_init_policy(const struct config *c);

/* The password policy from the configuration (valid after auth_init). */
const struct password_policy *auth_policy(void);

/* A user by id, or by username or email (case-insensitive), or NULL. */
struct user *auth_user_by_id(struct req *r, int64_t id);
struct user *auth_user_by_login(struct req *r, const char *login);

/*
 * Django's username rule: 1 to 150 of ASCII letters, digits and @.+-_.
 * NULL if fine, else the message to show.
 */
const char *auth_username_error(const char *username);

/* A plausible email address (one '@', a dot in the domain, no spaces,
 * at most 254 bytes): NULL if fine, else the message. */
const char *auth_email_error(const char *email);

/*
 * Create a user with a password already validated by the caller.
 * Returns the new id, 0 if the username or email is taken (*taken names
 * "username" or "email"), or -1 when r failed.
 */
int64_t	 auth_user_create(struct req *r, const char *username,
	    const char *email, const char *display_name, const char *password,
	    bool staff, bool superuser, const char **taken);

/* Replace the password (hashed here).  0 or -1 (r failed). */
int	 auth_set_password(struct req *r, int64_t user_id,
	    const char *password);

/*
 * Turn off user_id's two-factor authentication: the secret, the last
 * step and every recovery code go (the admin's "reset"; the user may
 * enrol again).  In the caller's transaction.  0 or -1 (r failed).
 */
int	 auth_twofactor_reset(struct req *r, int64_t user_id);

/*
 * Check a login: the user whose username or email is login, if active
 * and the password matches, else NULL.  Spends the same time for
 * unknown users.  Upgrades the hash when the policy changed.
 */
struct user *auth_check_password(struct req *r, const char *login,
	    const char *password);

/*
 * The same check for a user already looked up (NULL: unknown, which
 * still spends a hash).  Returns u, or NULL.
 */
struct user *auth_verify_user(struct req *r, struct user *u,
	    const char *password);

/* Record a login: last_login = now.  0 or -1. */
int	 auth_touch_login(struct req *r, int64_t user_id);

/*
 * false for a staff member without two-factor authentication when the
 * site requires it (require_2fa_staff, the admin's setting over the
 * file's: settings_site_last()): such a user has no permission at all
 * until enrolled.
 */
bool	 auth_staff_ready(const struct user *u);

/*
 * Does u have permission perm ("article.change")?  NULL u, an inactive
 * user or staff not yet enrolled in a required second factor: no.
 */
bool	 auth_has_perm(struct req *r, const struct user *u, const char *perm);

/*
 * The object-level rule: may u act (perm) on an object owned by
 * owner_id?  Editors and superusers may act on all; others only on their
 * own, and only with the permission.
 */
bool	 auth_may_change_own(struct req *r, const struct user *u,
	    const char *perm, int64_t owner_id);

/* Route permission check for the router (r->user against perm). */
bool	 auth_route_may(struct req *r, const char *perm);

/*
 * Password reset tokens, built like Django's: "<id>-<time>-<mac>" where
 * the MAC (keyed BLAKE2b with the site secret) covers the user's id,
 * password hash, last login, email and the time.  It stops working when
 * any of those change (so it works once) or after timeout seconds.
 */
const char *auth_reset_token(struct req *r, const struct user *u);
struct user *auth_reset_check(struct req *r, const char *token,
	    int64_t timeout);

/*
 * Email verification tokens: "<id>-<time>-<mac>", the MAC covering the
 * user's id, email and the time, so a changed email voids the link;
 * valid for timeout seconds.  auth_verify_check() returns the user (any
 * state but active), or NULL.
 */
const char *auth_verify_token(struct req *r, const struct user *u);
struct user *auth_verify_check(struct req *r, const char *token,
	    int64_t timeout);

/*
 * Mark user id's email verified now, unless it already was.  1 if set,
 * 0 if already verified (or no such user), -1 (r failed).  In the
 * caller's write transaction.
 */
int	 auth_set_email_verified(struct req *r, int64_t id);

/* When user id verified their email (Unix seconds), 0 if never, -1. */
int64_t	 auth_email_verified_at(struct req *r, int64_t id);

/*
 * The emails of the active staff users who hold perm (superusers hold
 * every one), oldest account first, at most max, into out (strings in
 * r's arena).  The number, or -1 (r failed).
 */
int	 auth_perm_emails(struct req *r, const char *perm, const char **out,
	    int max);

/* Keyed hash of data with the site secret, hex, for other tokens. */
void	 auth_mac_hex(const char *data, char out[65]);

#endif
