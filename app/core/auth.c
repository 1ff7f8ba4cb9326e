/*
 * auth: user records, permission checks, login checks, reset tokens.
 * The site secret is read once per process and turned into a 32-byte key
 * with BLAKE2b; tokens are keyed BLAKE2b MACs compared in constant time.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "auth.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "password.h"
#include "router.h"
#include "settings.h"
#include "util.h"

static struct {
	unsigned char		 key[crypto_generichash_KEYBYTES];
	bool			 ready;
	struct password_policy	 policy;
} as;

int
auth_init(const struct config *c, char *err, size_t errlen)
{
	unsigned char	 raw[4096];
	struct stat	 sb;
	FILE		*f;
	size_t		 n;

	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium cannot start");
		return -1;
	}
	password_policy_from_config(&as.policy, c);
	if ((f = fopen(c->secret_file, "rb")) == NULL) {
		snprintf(err, errlen, "cannot read the secret file %s: %s "
		    "(create it: head -c 32 /dev/urandom | base64 > %s; "
		    "chmod 0600 %s)", c->secret_file, strerror(errno),
		    c->secret_file, c->secret_file);
		return -1;
	}
	n = fread(raw, 1, sizeof(raw), f);
	if (fstat(fileno(f), &sb) == 0 && (sb.st_mode & 0007) != 0) {
		fclose(f);
		snprintf(err, errlen, "the secret file %s is readable by "
		    "everyone: chmod 0600 %s", c->secret_file,
		    c->secret_file);
		return -1;
	}
	fclose(f);
	while (n > 0 && isspace(raw[n - 1]))
		n--;
	if (n < 32) {
		snprintf(err, errlen, "the secret in %s is too short (%zu "
		    "bytes; at least 32): head -c 32 /dev/urandom | base64 > "
		    "%s", c->secret_file, n, c->secret_file);
		return -1;
	}
	crypto_generichash(as.key, sizeof(as.key), raw, n, NULL, 0);
	sodium_memzero(raw, sizeof(raw));
	as.ready = true;
	return 0;
}

void
auth_init_policy(const struct config *c)
{
	password_policy_from_config(&as.policy, c);
}

const struct password_policy *
auth_policy(void)
{
	return &as.policy;
}

#define USER_COLUMNS \
	"id, username, email, display_name, password, is_active, is_staff," \
	" is_superuser, date_joined, coalesce(last_login, 0)," \
	" coalesce(totp_secret, ''), totp_enabled, totp_last_step"

static struct user *
user_from_row(struct req *r, sqlite3_stmt *st)
{
	struct user	*u = arena_zalloc(r->arena, sizeof(*u));

	u->id = sqlite3_column_int64(st, 0);
	u->username = db_col_strdup(r, st, 1);
	u->email = db_col_strdup(r, st, 2);
	u->display_name = db_col_strdup(r, st, 3);
	u->password = db_col_strdup(r, st, 4);
	u->is_active = sqlite3_column_int(st, 5) != 0;
	u->is_staff = sqlite3_column_int(st, 6) != 0;
	u->is_superuser = sqlite3_column_int(st, 7) != 0;
	u->date_joined = sqlite3_column_int64(st, 8);
	u->last_login = sqlite3_column_int64(st, 9);
	u->totp_secret = db_col_strdup(r, st, 10);
	u->totp_enabled = sqlite3_column_int(st, 11) != 0;
	u->totp_last_step = sqlite3_column_int64(st, 12);
	return u;
}

struct user *
auth_user_by_id(struct req *r, int64_t id)
{
	static const char sql[] =
	    "SELECT " USER_COLUMNS " FROM users WHERE id = ?1";
	sqlite3_stmt	*st;
	struct user	*u = NULL;

	(void)settings_site(r);		/* for auth_staff_ready() */
	if ((st = db_stmt(r, sql)) == NULL)
		return NULL;
	db_bind_int64(r, st, 1, id);
	if (db_step(r, st) == SQLITE_ROW)
		u = user_from_row(r, st);
	db_done(r, st);
	return u;
}

struct user *
auth_user_by_login(struct req *r, const char *login)
{
	/* Username first: "a@b.c" may be one user's name, another's email. */
	static const char sql[] =
	    "SELECT " USER_COLUMNS " FROM users"
	    " WHERE username = ?1 OR email = ?1"
	    " ORDER BY username = ?1 DESC LIMIT 1";
	sqlite3_stmt	*st;
	struct user	*u = NULL;

	(void)settings_site(r);		/* for auth_staff_ready() */
	if ((st = db_stmt(r, sql)) == NULL)
		return NULL;
	db_bind_text(r, st, 1, login);
	if (db_step(r, st) == SQLITE_ROW)
		u = user_from_row(r, st);
	db_done(r, st);
	return u;
}

const char *
auth_username_error(const char *s)
{
	size_t	 n = strlen(s);

	if (n == 0)
		return "This field is required.";
	if (n > 150)
		return "Ensure this value has at most 150 characters.";
	for (const char *p = s; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr("@.+-_", *p) == NULL)
			return "Enter a valid username. This value may contain "
			    "only letters, numbers, and @/./+/-/_ characters.";
	return NULL;
}

const char *
auth_email_error(const char *s)
{
	const char	*at = strchr(s, '@');
	size_t		 n = strlen(s);

	if (n == 0)
		return "This field is required.";
	if (n > 254 || at == NULL || at == s || strchr(at + 1, '@') != NULL ||
	    strchr(at + 1, '.') == NULL || at[1] == '.' || s[n - 1] == '.' ||
	    strpbrk(s, " \t\r\n<>()[],;:\"\\") != NULL ||
	    !util_is_utf8(s, n))
		return "Enter a valid email address.";
	return NULL;
}

int64_t
auth_user_create(struct req *r, const char *username, const char *email,
    const char *display_name, const char *password, bool staff,
    bool superuser, const char **taken)
{
	static const char sql_taken[] =
	    "SELECT username = ?1 FROM users WHERE username = ?1 OR email = ?2"
	    " LIMIT 1";
	static const char sql[] =
	    "INSERT INTO users (username, email, display_name, password,"
	    " is_staff, is_superuser, date_joined)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	char		 hash[128];
	sqlite3_stmt	*st;
	int64_t		 id = -1;

	*taken = NULL;
	if ((st = db_stmt(r, sql_taken)) == NULL)
		return -1;
	db_bind_text(r, st, 1, username);
	db_bind_text(r, st, 2, email);
	if (db_step(r, st) == SQLITE_ROW)
		*taken = sqlite3_column_int(st, 0) ? "username" : "email";
	db_done(r, st);
	if (*taken != NULL)
		return 0;
	if (req_failed(r))
		return -1;
	if (password_hash(&as.policy, password, hash) != 0) {
		req_fail(r, 500, "password hashing failed");
		return -1;
	}
	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_text(r, st, 1, username);
	db_bind_text(r, st, 2, email);
	db_bind_text(r, st, 3, display_name != NULL ? display_name : "");
	db_bind_text(r, st, 4, hash);
	db_bind_int64(r, st, 5, staff || superuser);
	db_bind_int64(r, st, 6, superuser);
	db_bind_int64(r, st, 7, (int64_t)time(NULL));
	if (db_step(r, st) == SQLITE_DONE)
		id = sqlite3_last_insert_rowid(db_handle());
	db_done(r, st);
	sodium_memzero(hash, sizeof(hash));
	return id;
}

int
auth_set_password(struct req *r, int64_t user_id, const char *password)
{
	static const char sql[] =
	    "UPDATE users SET password = ?2 WHERE id = ?1";
	char		 hash[128];
	sqlite3_stmt	*st;
	int		 rc;

	if (password_hash(&as.policy, password, hash) != 0) {
		req_fail(r, 500, "password hashing failed");
		return -1;
	}
	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, user_id);
	db_bind_text(r, st, 2, hash);
	rc = db_step(r, st);
	db_done(r, st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
auth_twofactor_reset(struct req *r, int64_t user_id)
{
	static const char sql_off[] =
	    "UPDATE users SET totp_enabled = 0, totp_secret = NULL,"
	    "       totp_last_step = 0 WHERE id = ?1";
	static const char sql_codes[] =
	    "DELETE FROM recovery_codes WHERE user_id = ?1";
	sqlite3_stmt	*st;

	if ((st = db_stmt(r, sql_off)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, user_id);
	db_step(r, st);
	db_done(r, st);
	if ((st = db_stmt(r, sql_codes)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, user_id);
	db_step(r, st);
	db_done(r, st);
	return req_failed(r) ? -1 : 0;
}

struct user *
auth_check_password(struct req *r, const char *login, const char *password)
{
	return auth_verify_user(r, auth_user_by_login(r, login), password);
}

struct user *
auth_verify_user(struct req *r, struct user *u, const char *password)
{
	static const char sql[] =
	    "UPDATE users SET password = ?2 WHERE id = ?1";

	/* Unknown users and unusable passwords cost a hash too, so timing
	 * does not tell which accounts exist. */
	if (u == NULL || *u->password == '\0') {
		password_dummy_verify(&as.policy, password);
		return NULL;
	}
	if (!password_verify(u->password, password) || !u->is_active)
		return NULL;
	if (password_needs_rehash(&as.policy, u->password)) {
		char		 hash[128];
		sqlite3_stmt	*st;

		if (password_hash(&as.policy, password, hash) == 0 &&
		    (st = db_stmt(r, sql)) != NULL) {
			db_bind_int64(r, st, 1, u->id);
			db_bind_text(r, st, 2, hash);
			if (db_step(r, st) == SQLITE_DONE)
				u->password = arena_strdup(r->arena, hash);
			db_done(r, st);
			log_msg(LOG_INFO, "rid=%s msg=\"password rehashed\" "
			    "user=%" PRId64, r->request_id, u->id);
		}
	}
	return u;
}

int
auth_touch_login(struct req *r, int64_t user_id)
{
	static const char sql[] =
	    "UPDATE users SET last_login = ?2 WHERE id = ?1";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, user_id);
	db_bind_int64(r, st, 2, (int64_t)time(NULL));
	rc = db_step(r, st);
	db_done(r, st);
	return rc == SQLITE_DONE ? 0 : -1;
}

bool
auth_has_perm(struct req *r, const struct user *u, const char *perm)
{
	static const char sql[] =
	    "SELECT 1 FROM permissions p"
	    " WHERE p.codename = ?2 AND ("
	    "   EXISTS (SELECT 1 FROM user_permissions up"
	    "            WHERE up.user_id = ?1 AND up.permission_id = p.id)"
	    "   OR EXISTS (SELECT 1 FROM user_groups ug"
	    "               JOIN group_permissions gp USING (group_id)"
	    "              WHERE ug.user_id = ?1"
	    "                AND gp.permission_id = p.id))";
	sqlite3_stmt	*st;
	bool		 ok;

	if (u == NULL || !u->is_active || !auth_staff_ready(u))
		return false;
	if (u->is_superuser)
		return true;
	if ((st = db_stmt(r, sql)) == NULL)
		return false;
	db_bind_int64(r, st, 1, u->id);
	db_bind_text(r, st, 2, perm);
	ok = db_step(r, st) == SQLITE_ROW;
	db_done(r, st);
	return ok;
}

bool
auth_staff_ready(const struct user *u)
{
	/* The admin's setting over the file's, as loading u found it. */
	return !(u->is_staff && !u->totp_enabled &&
	    settings_site_last()->require_2fa_staff);
}

bool
auth_may_change_own(struct req *r, const struct user *u, const char *perm,
    int64_t owner_id)
{
	const char	*dot = strchr(perm, '.');
	char		 others[64];

	if (!auth_has_perm(r, u, perm))
		return false;
	if (u->is_superuser || u->id == owner_id)
		return true;
	/* "article.change" on someone else's needs "article.edit_others". */
	snprintf(others, sizeof(others), "%.*s.edit_others",
	    dot != NULL ? (int)(dot - perm) : (int)strlen(perm), perm);
	return auth_has_perm(r, u, others);
}

bool
auth_route_may(struct req *r, const char *perm)
{
	return auth_has_perm(r, r->user, perm);
}

void
auth_mac_hex(const char *data, char out[65])
{
	unsigned char	 mac[32];

	crypto_generichash(mac, sizeof(mac), (const unsigned char *)data,
	    strlen(data), as.key, sizeof(as.key));
	sodium_bin2hex(out, 65, mac, sizeof(mac));
}

/* The MAC of a reset token for u at time ts. */
static void
reset_mac(const struct user *u, int64_t ts, char out[65])
{
	char	 data[1024];

	snprintf(data, sizeof(data), "reset\n%" PRId64 "\n%s\n%" PRId64
	    "\n%s\n%" PRId64, u->id, u->password, u->last_login, u->email, ts);
	auth_mac_hex(data, out);
}

/* A token's MAC: which kind of token, over what of u and the time. */
typedef void	(*token_mac)(const struct user *, int64_t, char[65]);

/* "<id>-<time>-<mac>" for u now. */
static const char *
token_make(struct req *r, const struct user *u, token_mac mac_of)
{
	int64_t	 ts = (int64_t)time(NULL);
	char	 mac[65];

	mac_of(u, ts, mac);
	return arena_printf(r->arena, "%" PRId64 "-%" PRId64 "-%s", u->id, ts,
	    mac);
}

/*
 * The user of a token made by token_make() with mac_of, if it is well
 * formed, not older than timeout (nor from the future), its user exists
 * (and is active, if asked) and the MAC matches what that user's data
 * gives now; else NULL.
 */
static struct user *
token_check(struct req *r, const char *token, int64_t timeout,
    token_mac mac_of, bool active_only)
{
	long long	 id, ts;
	char		 idbuf[24], tsbuf[24], mac[65];
	const char	*d1, *d2;
	struct user	*u;
	int64_t		 now = (int64_t)time(NULL);

	if ((d1 = strchr(token, '-')) == NULL ||
	    (d2 = strchr(d1 + 1, '-')) == NULL ||
	    (size_t)(d1 - token) >= sizeof(idbuf) ||
	    (size_t)(d2 - d1 - 1) >= sizeof(tsbuf) || strlen(d2 + 1) != 64)
		return NULL;
	memcpy(idbuf, token, (size_t)(d1 - token));
	idbuf[d1 - token] = '\0';
	memcpy(tsbuf, d1 + 1, (size_t)(d2 - d1 - 1));
	tsbuf[d2 - d1 - 1] = '\0';
	if (util_parse_int(idbuf, 1, INT64_MAX, &id) != 0 ||
	    util_parse_int(tsbuf, 0, INT64_MAX, &ts) != 0 ||
	    ts > now + 60 || now - ts > timeout)
		return NULL;
	if ((u = auth_user_by_id(r, id)) == NULL ||
	    (active_only && !u->is_active))
		return NULL;
	mac_of(u, ts, mac);
	if (sodium_memcmp(mac, d2 + 1, 64) != 0)
		return NULL;
	return u;
}

const char *
auth_reset_token(struct req *r, const struct user *u)
{
	return token_make(r, u, reset_mac);
}

struct user *
auth_reset_check(struct req *r, const char *token, int64_t timeout)
{
	return token_check(r, token, timeout, reset_mac, true);
}

/* The MAC of a verification token for u at time ts. */
static void
verify_mac(const struct user *u, int64_t ts, char out[65])
{
	char	 data[1024];

	snprintf(data, sizeof(data), "verify\n%" PRId64 "\n%s\n%" PRId64,
	    u->id, u->email, ts);
	auth_mac_hex(data, out);
}

const char *
auth_verify_token(struct req *r, const struct user *u)
{
	return token_make(r, u, verify_mac);
}

struct user *
auth_verify_check(struct req *r, const char *token, int64_t timeout)
{
	return token_check(r, token, timeout, verify_mac, false);
}

int
auth_set_email_verified(struct req *r, int64_t id)
{
	static const char sql[] =
	    "UPDATE users SET email_verified_at = ?2"
	    " WHERE id = ?1 AND email_verified_at IS NULL";

	return db_write_id_now(r, sql, id);
}

int64_t
auth_email_verified_at(struct req *r, int64_t id)
{
	static const char sql[] =
	    "SELECT coalesce(email_verified_at, 0) FROM users WHERE id = ?1";
	sqlite3_stmt	*st;
	int64_t		 t = 0;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, id);
	if (db_step(r, st) == SQLITE_ROW)
		t = sqlite3_column_int64(st, 0);
	db_done(r, st);
	return req_failed(r) ? -1 : t;
}

int
auth_perm_emails(struct req *r, const char *perm, const char **out, int max)
{
	static const char sql[] =
	    "SELECT u.email FROM users u"
	    " WHERE u.is_active = 1 AND u.is_staff = 1 AND ("
	    "   u.is_superuser = 1"
	    "   OR EXISTS (SELECT 1 FROM user_permissions up"
	    "               JOIN permissions p ON p.id = up.permission_id"
	    "              WHERE up.user_id = u.id AND p.codename = ?1)"
	    "   OR EXISTS (SELECT 1 FROM user_groups ug"
	    "               JOIN group_permissions gp USING (group_id)"
	    "               JOIN permissions p ON p.id = gp.permission_id"
	    "              WHERE ug.user_id = u.id AND p.codename = ?1))"
	    " ORDER BY u.id LIMIT ?2";
	sqlite3_stmt	*st;
	int		 n = 0;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_text(r, st, 1, perm);
	db_bind_int64(r, st, 2, max);
	while (n < max && db_step(r, st) == SQLITE_ROW)
		out[n++] = db_col_strdup(r, st, 0);
	db_done(r, st);
	return req_failed(r) ? -1 : n;
}
