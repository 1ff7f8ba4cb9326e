/*
 * account_pages: sign up, log in (with the second factor), log out,
 * password change and reset, profile and sessions, two-factor enrolment.
 * Field names are contracts (Django's): username, password, email,
 * password1, password2, old_password, new_password1, new_password2, next,
 * code, csrf_token.  Every POST passed the CSRF check in the router.
 */
#include <ctype.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/api.h"
#include "core/auth.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/csrf.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "core/password.h"
#include "core/render.h"
#include "core/router.h"
#include "core/session.h"
#include "core/settings.h"
#include "core/throttle.h"
#include "core/totp.h"
#include "core/util.h"
#include "notify.h"
#include "site.h"

#define MSG_BAD_LOGIN	"Please enter a correct username and password. " \
			"Note that both fields may be case-sensitive."
#define MSG_REQUIRED	"This field is required."
#define HOUR		3600

/* ---- small form helpers ------------------------------------------------ */

static void
field_error(struct req *r, const char *field, const char *msg)
{
	char	 name[64];

	snprintf(name, sizeof(name), "Form.errors.%s", field);
	render_set(r, name, msg);
	render_set(r, "Form.has_errors", "1");
}

/* The posted value of field, trimmed of surrounding blanks ("" if none). */
static const char *
field(struct req *r, const char *name)
{
	const char	*v = req_form(r, name);
	size_t		 n;

	if (v == NULL)
		return "";
	while (*v == ' ' || *v == '\t')
		v++;
	n = strlen(v);
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	return arena_strndup(r->arena, v, n);
}

/* Show what was typed back in the form (never for passwords). */
static void
keep(struct req *r, const char *name, const char *value)
{
	char	 key[64];

	snprintf(key, sizeof(key), "Form.values.%s", name);
	render_set(r, key, value);
}

static void
password_help(struct req *r)
{
	const struct config *c = config_current();

	render_set(r, "Password.help.0", arena_printf(r->arena, "At least %ld "
	    "characters.", c->password_min_length));
	render_set(r, "Password.help.1", "Not too similar to your other "
	    "personal information.");
	render_set(r, "Password.help.2", "Not a commonly used password.");
	render_set(r, "Password.help.3", "Not entirely numeric.");
}

/*
 * Validate a new password pair into field errors on field1/field2.
 * true if acceptable.
 */
static bool
new_password_ok(struct req *r, const char *field1, const char *field2,
    const char *username, const char *email, const char *display)
{
	const char	*p1 = req_form(r, field1), *p2 = req_form(r, field2);
	const char	*msgs[8];
	int		 n;

	if (p1 == NULL || *p1 == '\0') {
		field_error(r, field1, MSG_REQUIRED);
		return false;
	}
	if (p2 == NULL || *p2 == '\0') {
		field_error(r, field2, MSG_REQUIRED);
		return false;
	}
	if (strcmp(p1, p2) != 0) {
		field_error(r, field2, "The two password fields didn’t match.");
		return false;
	}
	n = password_validate(auth_policy(), p1, username, email, display,
	    msgs, (int)NELEM(msgs));
	if (n > 0) {
		struct buf	 b;

		buf_init(&b);
		for (int i = 0; i < n; i++)
			buf_printf(&b, "%s%s", i > 0 ? " " : "", msgs[i]);
		field_error(r, field1, arena_strdup(r->arena, b.ptr));
		buf_free(&b);
		return false;
	}
	return true;
}

/*
 * A "next" target that stays on this site: a path starting with one '/',
 * no backslash, no control characters.  Anything else gives "/".
 */
static const char *
safe_next(const char *next)
{
	if (next == NULL || next[0] != '/' || next[1] == '/' ||
	    next[1] == '\\' || strlen(next) > 1000)
		return "/";
	for (const char *p = next; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
			return "/";
	return next;
}

static void
set_urls(struct req *r)
{
	r->private_page = true;
	csrf_token(r);
	password_help(r);
}

/* Lower-cased key "kind:what" for the throttle table. */
static const char *
throttle_key(struct req *r, const char *kind, const char *what)
{
	char	*k = arena_printf(r->arena, "%s:%.200s", kind, what);

	for (char *p = k; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return k;
}

/*
 * The per-account throttle key: the account's id when the login names
 * one (u, found by username or email in any case: one counter per
 * account), else what was typed.
 */
static const char *
login_key(struct req *r, const struct user *u, const char *login)
{
	if (u != NULL)
		return arena_printf(r->arena, "login:uid:%" PRId64, u->id);
	return throttle_key(r, "login:user", login);
}

static int64_t
max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/* ---- log in, second factor, log out -------------------------------------- */

/*
 * GET|POST /accounts/login/  the login form; POST checks the password.
 * Throttled per account and per address (429 with Retry-After).  With
 * two-factor on, the session waits for the code at /accounts/login/code/.
 * 303 to next (same-site paths only) on success; 200 with an error else.
 */
int
page_login(struct req *r)
{
	const struct config	*c = config_current();
	const char		*login, *next;
	const char		*kuser, *kaddr;
	struct user		*u;
	int64_t			 wait;

	next = safe_next(r->method == M_POST ? req_form(r, "next") :
	    req_query(r, "next"));
	set_urls(r);
	if (strcmp(next, "/") != 0)
		keep(r, "next", next);
	if (r->method != M_POST)
		return render(r, "accounts/login.cs");

	login = field(r, "username");
	keep(r, "username", login);
	if (req_form(r, "remember") != NULL)
		keep(r, "remember", "1");
	if (*login == '\0')
		field_error(r, "username", MSG_REQUIRED);
	if (req_form(r, "password") == NULL || *req_form(r, "password") == '\0')
		field_error(r, "password", MSG_REQUIRED);
	if (*login == '\0' || req_form(r, "password") == NULL ||
	    *req_form(r, "password") == '\0')
		return render(r, "accounts/login.cs");

	u = auth_user_by_login(r, login);	/* once: key and check */
	kuser = login_key(r, u, login);
	kaddr = throttle_key(r, "login:addr", r->remote_addr);
	wait = max64(throttle_wait(r, kuser), throttle_wait(r, kaddr));
	if (wait > 0) {
		r->error_detail = "Too many failed logins.";
		return throttle_refuse(r, wait);
	}
	if ((u = auth_verify_user(r, u, req_form(r, "password"))) == NULL) {
		if (req_failed(r))
			return HTTP_500;
		wait = max64(throttle_hit(r, kuser, c->login_fails_account,
		    c->throttle_window), throttle_hit(r, kaddr,
		    c->login_fails_address, c->throttle_window));
		log_msg(LOG_INFO, "rid=%s msg=\"login failed\" addr=%s",
		    r->request_id, r->remote_addr);
		if (wait > 0) {
			r->error_detail = "Too many failed logins.";
			return throttle_refuse(r, wait);
		}
		render_set(r, "Form.error", MSG_BAD_LOGIN);
		return render(r, "accounts/login.cs");
	}
	if (throttle_clear(r, kuser) != 0)
		return HTTP_500;
	if (u->totp_enabled) {
		if (session_start(r, u, req_form(r, "remember") != NULL,
		    true) != 0)
			return HTTP_500;
		return http_redirect(r, HTTP_303, strcmp(next, "/") == 0 ?
		    router_url(r, "account_login_code") : arena_printf(r->arena,
		    "%s?next=%s", router_url(r, "account_login_code"),
		    http_url_encode(r, next)));
	}
	if (session_start(r, u, req_form(r, "remember") != NULL, false) != 0 ||
	    auth_touch_login(r, u->id) != 0)
		return HTTP_500;
	log_msg(LOG_INFO, "rid=%s msg=\"login\" user=%" PRId64, r->request_id,
	    u->id);
	session_flash(r, FLASH_LOGGED_IN);
	if (u->is_staff && settings_site(r)->require_2fa_staff)
		return http_redirect(r, HTTP_303, router_url(r,
		    "account_twofactor"));
	return http_redirect(r, HTTP_303, next);
}

/* Does s look like a recovery code ("abcde-fghij") rather than digits? */
static bool
is_recovery_code(const char *s)
{
	for (; *s != '\0'; s++)
		if (isalpha((unsigned char)*s))
			return true;
	return false;
}

/* Use a recovery code of user_id once.  true if it was valid and unused. */
static bool
recovery_use(struct req *r, int64_t user_id, const char *code)
{
	static const char sql[] =
	    "UPDATE recovery_codes SET used_at = ?3"
	    " WHERE user_id = ?1 AND code_hash = ?2 AND used_at IS NULL";
	char		 hash[65];
	sqlite3_stmt	*st;
	bool		 ok = false;

	totp_recovery_hash(code, hash);
	if ((st = db_stmt(r, sql)) == NULL)
		return false;
	db_bind_int64(r, st, 1, user_id);
	db_bind_text(r, st, 2, hash);
	db_bind_int64(r, st, 3, (int64_t)time(NULL));
	if (db_step(r, st) == SQLITE_DONE)
		ok = sqlite3_changes(db_handle()) == 1;
	db_done(r, st);
	return ok;
}

/*
 * GET|POST /accounts/login/code/  the second factor: a TOTP code (never
 * twice: the step is recorded) or a single-use recovery code.  Only for a
 * session whose password step passed; others go back to the login page.
 */
int
page_login_code(struct req *r)
{
	static const char sql_step[] =
	    "UPDATE users SET totp_last_step = ?2 WHERE id = ?1"
	    "   AND totp_last_step < ?2";
	const struct config	*c = config_current();
	const char		*code, *next, *key;
	struct user		*u;
	bool			 ok = false, recovery = false;
	int64_t			 wait;

	if (r->session == NULL || !r->session->mfa_pending ||
	    (u = auth_user_by_id(r, r->session->user_id)) == NULL ||
	    !u->is_active)
		return http_redirect(r, HTTP_303, router_url(r,
		    "account_login"));
	next = safe_next(r->method == M_POST ? req_form(r, "next") :
	    req_query(r, "next"));
	set_urls(r);
	render_set(r, "Urls.login_code", router_url(r, "account_login_code"));
	if (strcmp(next, "/") != 0)
		keep(r, "next", next);
	if (r->method != M_POST)
		return render(r, "accounts/login_code.cs");

	key = arena_printf(r->arena, "2fa:user:%" PRId64, u->id);
	if ((wait = throttle_wait(r, key)) > 0) {
		r->error_detail = "Too many wrong codes.";
		return throttle_refuse(r, wait);
	}
	code = field(r, "code");
	if (*code == '\0') {
		field_error(r, "code", MSG_REQUIRED);
		return render(r, "accounts/login_code.cs");
	}
	if (db_begin_write(r) != 0)
		return HTTP_500;
	if (is_recovery_code(code)) {
		ok = recovery_use(r, u->id, code);
		recovery = ok;
	} else {
		int64_t step = totp_verify(u->totp_secret, code, time(NULL),
		    u->totp_last_step);
		sqlite3_stmt *st;

		if (step >= 0 && (st = db_stmt(r, sql_step)) != NULL) {
			db_bind_int64(r, st, 1, u->id);
			db_bind_int64(r, st, 2, step);
			/* Another worker may have taken this step already. */
			ok = db_step(r, st) == SQLITE_DONE &&
			    sqlite3_changes(db_handle()) == 1;
			db_done(r, st);
		}
	}
	if (!ok) {
		wait = throttle_hit(r, key, c->login_fails_account,
		    c->throttle_window);
		if (req_failed(r) || db_commit(r) != 0)
			return HTTP_500;
		if (wait > 0) {
			r->error_detail = "Too many wrong codes.";
			return throttle_refuse(r, wait);
		}
		field_error(r, "code", "That code is not valid. Codes change "
		    "every 30 seconds and each works only once.");
		return render(r, "accounts/login_code.cs");
	}
	if (throttle_clear(r, key) != 0 || session_upgrade(r) != 0 ||
	    auth_touch_login(r, u->id) != 0 || db_commit(r) != 0)
		return HTTP_500;
	session_flash(r, FLASH_LOGGED_IN);
	if (recovery)
		session_flash(r, FLASH_RECOVERY_USED);
	return http_redirect(r, HTTP_303, next);
}

/* POST /accounts/logout/  end the session; 303 home. */
int
page_logout(struct req *r)
{
	if (session_end(r) != 0)
		return HTTP_500;
	session_flash(r, FLASH_LOGGED_OUT);
	return http_redirect(r, HTTP_303, router_url(r, "article_list"));
}

/* ---- sign up --------------------------------------------------------------- */

/*
 * Does signup mail a verification link?  The setting signup_verify_email
 * ("0"/"1"), else the config's.  Verification is "optional" (allauth's
 * word): the account works at once, the link only records
 * users.email_verified_at.
 */
static bool
verify_on(struct req *r)
{
	return settings_int(r, "signup_verify_email",
	    config_current()->signup_verify_email, 0, 1) == 1;
}

/*
 * GET /accounts/verify/{token}/  the link of the verification mail:
 * records users.email_verified_at at once.  A GET that writes, on
 * purpose: it only confirms that the mail arrived, so a scanner opening
 * the link does no harm, and it is idempotent.  200 either way.
 */
int
page_email_verify(struct req *r)
{
	struct user	*u;

	set_urls(r);
	u = auth_verify_check(r, req_param(r, "token"),
	    NOTIFY_VERIFY_DAYS * 86400);
	if (req_failed(r))
		return HTTP_500;
	if (u != NULL) {
		if (db_begin_write(r) != 0 || auth_set_email_verified(r,
		    u->id) < 0 || db_commit(r) != 0)
			return HTTP_500;
		log_msg(LOG_INFO, "rid=%s msg=\"email verified\" user=%"
		    PRId64, r->request_id, u->id);
		render_set(r, "Verify.ok", "1");
	}
	return render(r, "accounts/verify_email.cs");
}

/*
 * GET|POST /accounts/signup/  create an account and log in.  404 when
 * signup is off; throttled per address.
 */
int
page_signup(struct req *r)
{
	const char		*username, *email, *taken = NULL, *msg;
	struct user		*u;
	int64_t			 id, wait;
	const char		*key;

	if (!settings_site(r)->signup)
		return HTTP_404;
	set_urls(r);
	if (r->method != M_POST)
		return render(r, "accounts/signup.cs");
	username = field(r, "username");
	email = field(r, "email");
	keep(r, "username", username);
	keep(r, "email", email);
	key = throttle_key(r, "signup:addr", r->remote_addr);
	if ((wait = throttle_wait(r, key)) > 0) {
		r->error_detail = "Too many accounts were created from your "
		    "address.";
		return throttle_refuse(r, wait);
	}
	if ((msg = auth_username_error(username)) != NULL)
		field_error(r, "username", msg);
	if ((msg = auth_email_error(email)) != NULL)
		field_error(r, "email", msg);
	if (!new_password_ok(r, "password1", "password2", username, email,
	    NULL) || auth_username_error(username) != NULL ||
	    auth_email_error(email) != NULL)
		return render(r, "accounts/signup.cs");
	if (db_begin_write(r) != 0)
		return HTTP_500;
	id = auth_user_create(r, username, email, "", req_form(r, "password1"),
	    false, false, &taken);
	if (id <= 0) {
		db_rollback(r);
		if (id < 0 || req_failed(r))
			return HTTP_500;
		field_error(r, taken, strcmp(taken, "username") == 0 ?
		    "A user with that username already exists." :
		    "A user with that email address already exists.");
		return render(r, "accounts/signup.cs");
	}
	if ((wait = throttle_hit(r, key, 10, HOUR)) < 0 ||
	    (u = auth_user_by_id(r, id)) == NULL ||
	    (verify_on(r) && notify_verify_email(r, u) != 0) ||
	    session_start(r, u, false, false) != 0 ||
	    auth_touch_login(r, id) != 0 || db_commit(r) != 0)
		return HTTP_500;
	log_msg(LOG_INFO, "rid=%s msg=\"signup\" user=%" PRId64, r->request_id,
	    id);
	session_flash(r, FLASH_SIGNED_UP);
	return http_redirect(r, HTTP_303, router_url(r, "article_list"));
}

/* ---- passwords ------------------------------------------------------------- */

/*
 * GET|POST /accounts/password/  change the password (the old one is
 * required).  Ends the user's other sessions and renews this one.
 */
int
page_password_change(struct req *r)
{
	struct user	*u = r->user;
	const char	*old;

	if (u == NULL)
		return router_deny(r);
	set_urls(r);
	if (r->method != M_POST)
		return render(r, "accounts/password_change.cs");
	old = req_form(r, "old_password");
	if (old == NULL || *old == '\0')
		field_error(r, "old_password", MSG_REQUIRED);
	else if (!password_verify(u->password, old))
		field_error(r, "old_password", "Your old password was entered "
		    "incorrectly. Please enter it again.");
	if (!new_password_ok(r, "new_password1", "new_password2", u->username,
	    u->email, u->display_name) || old == NULL ||
	    !password_verify(u->password, old))
		return render(r, "accounts/password_change.cs");
	if (db_begin_write(r) != 0 ||
	    auth_set_password(r, u->id, req_form(r, "new_password1")) != 0 ||
	    session_end_others(r, u->id) < 0 ||
	    session_start(r, u, r->session->remember, false) != 0 ||
	    db_commit(r) != 0)
		return HTTP_500;
	session_flash(r, FLASH_PASSWORD_CHANGED);
	return http_redirect(r, HTTP_303, router_url(r, "account_profile"));
}

/*
 * GET|POST /accounts/reset/  ask for a reset link by email.  The answer
 * is the same whether or not the address belongs to an account; throttled
 * per address and per email.
 */
int
page_password_reset(struct req *r)
{
	const char	*email, *ka, *ke;
	struct user	*u;
	int64_t		 wait;

	set_urls(r);
	if (r->method != M_POST)
		return render(r, "accounts/password_reset.cs");
	email = field(r, "email");
	keep(r, "email", email);
	if (auth_email_error(email) != NULL) {
		field_error(r, "email", auth_email_error(email));
		return render(r, "accounts/password_reset.cs");
	}
	ka = throttle_key(r, "reset:addr", r->remote_addr);
	ke = throttle_key(r, "reset:email", email);
	wait = max64(throttle_wait(r, ka), throttle_wait(r, ke));
	if (wait > 0) {
		r->error_detail = "Too many password reset requests.";
		return throttle_refuse(r, wait);
	}
	/* The mail is a job, enqueued with the throttle's counts. */
	if (db_begin_write(r) != 0 || throttle_hit(r, ka, 20, HOUR) < 0 ||
	    throttle_hit(r, ke, 5, HOUR) < 0)
		return HTTP_500;
	u = auth_user_by_login(r, email);
	if (u != NULL && u->is_active && *u->password != '\0' &&
	    strcasecmp(u->email, email) == 0 &&
	    notify_password_reset(r, u) != 0)
		return HTTP_500;
	if (req_failed(r) || db_commit(r) != 0)
		return HTTP_500;
	return http_redirect(r, HTTP_303, router_url(r, "account_reset_sent"));
}

/* GET /accounts/reset/sent/  "check your email". */
int
page_password_reset_sent(struct req *r)
{
	return render(r, "accounts/password_reset_sent.cs");
}

/*
 * GET|POST /accounts/reset/{token}/  set a new password with a valid
 * link.  The link dies with the change (the token covers the hash) and
 * every session of the user ends.
 */
int
page_password_reset_confirm(struct req *r)
{
	const struct config	*c = config_current();
	const char		*token = req_param(r, "token");
	struct user		*u;

	set_urls(r);
	if ((u = auth_reset_check(r, token, c->reset_timeout_days * 86400)) ==
	    NULL) {
		if (req_failed(r))
			return HTTP_500;
		render_set(r, "Reset.invalid", "1");
		return render(r, "accounts/password_reset_confirm.cs");
	}
	render_set(r, "Reset.action", router_url(r, "account_reset_confirm",
	    token));
	if (r->method != M_POST)
		return render(r, "accounts/password_reset_confirm.cs");
	if (!new_password_ok(r, "new_password1", "new_password2", u->username,
	    u->email, u->display_name))
		return render(r, "accounts/password_reset_confirm.cs");
	if (db_begin_write(r) != 0 ||
	    auth_set_password(r, u->id, req_form(r, "new_password1")) != 0 ||
	    session_end_others(r, u->id) < 0 ||
	    throttle_clear(r, login_key(r, u, u->username)) != 0 ||
	    db_commit(r) != 0)
		return HTTP_500;
	if (r->session != NULL && session_end(r) != 0)
		return HTTP_500;
	session_flash(r, FLASH_PASSWORD_RESET);
	return http_redirect(r, HTTP_303, router_url(r, "account_login"));
}

/* ---- profile and sessions ---------------------------------------------------- */

static int
profile_render(struct req *r, const struct user *u)
{
	if (u->totp_enabled)
		render_set(r, "TwoFactor.enabled", "1");
	if (settings_site(r)->require_2fa_staff && u->is_staff)
		render_set(r, "TwoFactor.required", "1");
	if (session_export_list(r, u->id) != 0 ||
	    api_token_export(r, u->id, "Tokens",
	    "account_token_revoke") < 0)
		return HTTP_500;
	return render(r, "accounts/profile.cs");
}

/*
 * GET|POST /accounts/profile/  display name and email (a new address
 * is unverified: email_verified_at cleared); the sessions list with
 * "log out everywhere else"; links to password and 2FA.
 */
int
page_profile(struct req *r)
{
	static const char sql[] =
	    "UPDATE users SET display_name = ?2, email = ?3,"
	    "    email_verified_at = CASE WHEN email = ?3"
	    "        THEN email_verified_at END"
	    " WHERE id = ?1";
	static const char sql_taken[] =
	    "SELECT 1 FROM users WHERE email = ?2 AND id <> ?1";
	struct user	*u = r->user;
	const char	*display, *email, *msg;
	sqlite3_stmt	*st;
	bool		 taken;

	if (u == NULL)
		return router_deny(r);
	set_urls(r);
	if (r->method != M_POST) {
		keep(r, "display_name", u->display_name);
		keep(r, "email", u->email);
		return profile_render(r, u);
	}
	display = field(r, "display_name");
	email = field(r, "email");
	keep(r, "display_name", display);
	keep(r, "email", email);
	if (strlen(display) > 150 || !util_is_utf8(display, strlen(display)))
		field_error(r, "display_name", "Ensure this value has at most "
		    "150 characters.");
	if ((msg = auth_email_error(email)) != NULL)
		field_error(r, "email", msg);
	if (msg != NULL || strlen(display) > 150)
		return profile_render(r, u);
	if (db_begin_write(r) != 0 || (st = db_stmt(r, sql_taken)) == NULL)
		return HTTP_500;
	db_bind_int64(r, st, 1, u->id);
	db_bind_text(r, st, 2, email);
	taken = db_step(r, st) == SQLITE_ROW;
	db_done(r, st);
	if (taken) {
		db_rollback(r);
		field_error(r, "email", "A user with that email address already "
		    "exists.");
		return profile_render(r, u);
	}
	if ((st = db_stmt(r, sql)) == NULL)
		return HTTP_500;
	db_bind_int64(r, st, 1, u->id);
	db_bind_text(r, st, 2, display);
	db_bind_text(r, st, 3, email);
	db_step(r, st);
	db_done(r, st);
	if (req_failed(r) || db_commit(r) != 0)
		return HTTP_500;
	session_flash(r, FLASH_PROFILE_SAVED);
	return http_redirect(r, HTTP_303, router_url(r, "account_profile"));
}

/* POST /accounts/profile/sessions/  log out everywhere else. */
int
page_sessions_end(struct req *r)
{
	if (r->user == NULL)
		return router_deny(r);
	if (session_end_others(r, r->user->id) < 0)
		return HTTP_500;
	session_flash(r, FLASH_SESSIONS_ENDED);
	return http_redirect(r, HTTP_303, router_url(r, "account_profile"));
}

/*
 * POST /accounts/profile/tokens/  mint an API token (name, scopes,
 * expires_days) and show the profile with it, once: it is stored hashed,
 * so this answer is the only place it ever appears (no redirect).
 */
int
page_token_create(struct req *r)
{
	const char	*name, *scopes, *days, *token = NULL;
	long long	 n = 0;

	if (r->user == NULL)
		return router_deny(r);
	set_urls(r);
	name = field(r, "name");
	days = field(r, "expires_days");
	keep(r, "display_name", r->user->display_name);
	keep(r, "email", r->user->email);
	if ((scopes = api_scopes_parse(field(r, "scopes"))) == NULL)
		render_set(r, "TokenForm.error", "Choose read, or read and write.");
	else if (strlen(name) > API_TOKEN_NAME_MAX ||
	    !util_is_utf8(name, strlen(name)))
		render_set(r, "TokenForm.error", "Ensure the name has at most 100 "
		    "characters.");
	else if (*days != '\0' && util_parse_int(days, 1, 3650, &n) != 0)
		render_set(r, "TokenForm.error", "Enter a number of days from 1 to "
		    "3650, or leave it empty.");
	else if (api_token_create(r, r->user->id, *name ? name : "unnamed",
	    scopes, n > 0 ? (int64_t)time(NULL) + n * 86400 : 0, &token) < 0)
		return HTTP_500;
	if (token != NULL) {
		render_set(r, "NewToken.value", token);
		log_msg(LOG_INFO, "rid=%s msg=\"API token created\" user=%"
		    PRId64, r->request_id, r->user->id);
	}
	return profile_render(r, r->user);
}

/* POST /accounts/profile/tokens/{id}/revoke/  revoke one of one's own. */
int
page_token_revoke(struct req *r)
{
	long long	 id;

	if (r->user == NULL)
		return router_deny(r);
	if (util_parse_int(req_param(r, "id"), 1, INT64_MAX, &id) != 0)
		return HTTP_404;
	switch (api_token_revoke(r, id, r->user->id)) {
	case -1:
		return HTTP_500;
	case 0:
		return HTTP_404;
	default:
		break;
	}
	return http_redirect(r, HTTP_303, router_url(r, "account_profile"));
}

/* ---- two-factor enrolment ------------------------------------------------------ */

/* New recovery codes for user_id into the HDF; old ones deleted. */
static int
recovery_renew(struct req *r, int64_t user_id)
{
	static const char sql_del[] =
	    "DELETE FROM recovery_codes WHERE user_id = ?1";
	static const char sql_add[] =
	    "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?1, ?2)";
	char		 codes[TOTP_RECOVERY_N][12], hash[65], name[32];
	sqlite3_stmt	*st;

	if ((st = db_stmt(r, sql_del)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, user_id);
	db_step(r, st);
	db_done(r, st);
	totp_recovery_codes(codes);
	for (int i = 0; i < TOTP_RECOVERY_N; i++) {
		totp_recovery_hash(codes[i], hash);
		if ((st = db_stmt(r, sql_add)) == NULL)
			return -1;
		db_bind_int64(r, st, 1, user_id);
		db_bind_text(r, st, 2, hash);
		db_step(r, st);
		db_done(r, st);
		snprintf(name, sizeof(name), "RecoveryCodes.%d", i);
		render_set(r, name, codes[i]);
	}
	sodium_memzero(codes, sizeof(codes));
	return req_failed(r) ? -1 : 0;
}

static int
recovery_left(struct req *r, int64_t user_id)
{
	static const char sql[] =
	    "SELECT count(*) FROM recovery_codes"
	    " WHERE user_id = ?1 AND used_at IS NULL";
	sqlite3_stmt	*st;
	int		 n = 0;

	if ((st = db_stmt(r, sql)) == NULL)
		return 0;
	db_bind_int64(r, st, 1, user_id);
	if (db_step(r, st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	db_done(r, st);
	return n;
}

/* The pending secret of u, made and stored on first need. */
static const char *
pending_secret(struct req *r, struct user *u)
{
	static const char sql[] =
	    "UPDATE users SET totp_secret = ?2 WHERE id = ?1";
	char		 secret[TOTP_SECRET_LEN + 1];
	sqlite3_stmt	*st;

	if (*u->totp_secret != '\0')
		return u->totp_secret;
	totp_secret_new(secret);
	if ((st = db_stmt(r, sql)) == NULL)
		return NULL;
	db_bind_int64(r, st, 1, u->id);
	db_bind_text(r, st, 2, secret);
	db_step(r, st);
	db_done(r, st);
	u->totp_secret = arena_strdup(r->arena, secret);
	return req_failed(r) ? NULL : u->totp_secret;
}

static int
twofactor_render(struct req *r, struct user *u)
{
	const char		*secret;
	struct buf		 b;

	render_set(r, "Urls.twofactor", router_url(r, "account_twofactor"));
	if (u->totp_enabled) {
		render_set(r, "TwoFactor.enabled", "1");
		render_set_int(r, "TwoFactor.recovery_left",
		    recovery_left(r, u->id));
		return render(r, "accounts/twofactor.cs");
	}
	if ((secret = pending_secret(r, u)) == NULL)
		return HTTP_500;
	buf_init(&b);
	for (size_t i = 0; secret[i] != '\0'; i++)
		buf_printf(&b, "%s%c", i > 0 && i % 4 == 0 ? " " : "",
		    secret[i]);
	render_set(r, "TwoFactor.secret", secret);
	render_set(r, "TwoFactor.secret_spaced", b.ptr);
	buf_free(&b);
	render_set(r, "TwoFactor.uri", totp_uri(r->arena, settings_site(r)->name,
	    u->username, secret));
	render_set(r, "TwoFactor.qr_url", router_url(r, "account_twofactor_qr"));
	return render(r, "accounts/twofactor.cs");
}

/*
 * GET|POST /accounts/2fa/  enrol (scan, then confirm a first code: ten
 * recovery codes are shown once), or, when on, turn it off or renew the
 * recovery codes (both need the password).
 */
int
page_twofactor(struct req *r)
{
	static const char sql_on[] =
	    "UPDATE users SET totp_enabled = 1, totp_last_step = ?2"
	    " WHERE id = ?1";
	static const char sql_off[] =
	    "UPDATE users SET totp_enabled = 0, totp_secret = NULL,"
	    "       totp_last_step = 0 WHERE id = ?1";
	static const char sql_codes_off[] =
	    "DELETE FROM recovery_codes WHERE user_id = ?1";
	struct user	*u = r->user;
	const char	*action;
	sqlite3_stmt	*st;

	if (u == NULL)
		return router_deny(r);
	set_urls(r);
	if (r->method != M_POST)
		return twofactor_render(r, u);
	action = field(r, "action");
	if (strcmp(action, "enable") == 0 && !u->totp_enabled) {
		int64_t step = *u->totp_secret == '\0' ? -1 :
		    totp_verify(u->totp_secret, field(r, "code"), time(NULL),
		    u->totp_last_step);

		if (step < 0) {
			field_error(r, "code", "That code is not valid. Check "
			    "the time on your phone and enter the current "
			    "code.");
			return twofactor_render(r, u);
		}
		if (db_begin_write(r) != 0 ||
		    (st = db_stmt(r, sql_on)) == NULL)
			return HTTP_500;
		db_bind_int64(r, st, 1, u->id);
		db_bind_int64(r, st, 2, step);
		db_step(r, st);
		db_done(r, st);
		/* A privilege change: new session id, other sessions end. */
		if (recovery_renew(r, u->id) != 0 ||
		    session_end_others(r, u->id) < 0 ||
		    session_start(r, u, r->session->remember, false) != 0 ||
		    db_commit(r) != 0)
			return HTTP_500;
		u->totp_enabled = true;
		session_flash(r, FLASH_2FA_ON);
		csrf_token(r);
		return twofactor_render(r, u);
	}
	if ((strcmp(action, "disable") == 0 || strcmp(action, "recovery") == 0)
	    && u->totp_enabled) {
		const char *pw = req_form(r, "password");

		if (pw == NULL || !password_verify(u->password, pw)) {
			keep(r, "action", action);	/* which form erred */
			field_error(r, "password", "Your password was entered "
			    "incorrectly. Please enter it again.");
			return twofactor_render(r, u);
		}
		if (db_begin_write(r) != 0)
			return HTTP_500;
		if (strcmp(action, "recovery") == 0) {
			if (recovery_renew(r, u->id) != 0 || db_commit(r) != 0)
				return HTTP_500;
			session_flash(r, FLASH_2FA_CODES);
			return twofactor_render(r, u);
		}
		if ((st = db_stmt(r, sql_off)) == NULL)
			return HTTP_500;
		db_bind_int64(r, st, 1, u->id);
		db_step(r, st);
		db_done(r, st);
		if ((st = db_stmt(r, sql_codes_off)) == NULL)
			return HTTP_500;
		db_bind_int64(r, st, 1, u->id);
		db_step(r, st);
		db_done(r, st);
		if (req_failed(r) || db_commit(r) != 0)
			return HTTP_500;
		session_flash(r, FLASH_2FA_OFF);
		return http_redirect(r, HTTP_303, router_url(r,
		    "account_profile"));
	}
	r->error_detail = "Unknown action.";
	return HTTP_400;
}

/* GET /accounts/2fa/qr.svg  the enrolment QR code of the pending secret. */
int
page_twofactor_qr(struct req *r)
{
	struct user		*u = r->user;

	if (u == NULL)
		return router_deny(r);
	if (u->totp_enabled || *u->totp_secret == '\0')
		return HTTP_404;
	r->private_page = true;
	r->content_type = "image/svg+xml";
	if (totp_qr_svg(totp_uri(r->arena, settings_site(r)->name, u->username,
	    u->totp_secret), &r->out) != 0) {
		req_fail(r, 500, "QR code failed");
		return HTTP_500;
	}
	return HTTP_200;
}

void
site_page_hook(struct req *r)
{
	/* The URLs every page links to (accounts, search, the feed) never
	 * change in a worker's life: build them once instead of reversing
	 * ten routes on every request. */
	static const struct {
		const char	*hdf;
		const char	*route;
	} links[] = {
		{ "Urls.login", "account_login" },
		{ "Urls.logout", "account_logout" },
		{ "Urls.signup", "account_signup" },
		{ "Urls.profile", "account_profile" },
		{ "Urls.password_change", "account_password" },
		{ "Urls.password_reset", "account_reset" },
		{ "Urls.twofactor", "account_twofactor" },
		{ "Urls.sessions_end", "account_sessions_end" },
		{ "Urls.token_create", "account_token_create" },
		{ "Urls.search", "search" },
		{ "Urls.feed", "feed" },
	};
	static char		*urls[NELEM(links)];
	const struct settings_site *site = settings_site(r);
	bool			 signup = site->signup;

	/* The admin's site settings over the file's (render set these). */
	render_set(r, "Site.name", site->name);
	render_set(r, "Site.description", site->description);
	session_export(r);
	article_nav_export(r);
	for (size_t i = 0; i < NELEM(links); i++) {
		if (urls[i] == NULL)
			urls[i] = xstrdup(router_url(r, links[i].route));
		if (strcmp(links[i].route, "account_signup") == 0 &&
		    !signup)
			continue;
		render_set(r, links[i].hdf, urls[i]);
	}
}
