/*
 * 021_admin_accounts: the admin's "Site settings" page and the user
 * pages beside the generic user admin, through nginx: a new site name
 * on the public pages, signup switched off, two-factor required for
 * staff, invalid values refused with nothing saved, 403 for staff
 * without settings.change (GET and a direct POST); a user's password
 * set by a superuser (the new one works, the old one and the user's
 * sessions do not), mismatched passwords refused, a two-factor reset.
 *
 * Two workers: a setting saved through one must hold on the other,
 * whose cached copy must notice the change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define PW		"Correct-Horse-42-battery"
#define PW2		"Violet-Staple-77-lantern"
#define SETTINGS	"/admin/settings/"
#define PROFILE		"/accounts/profile/"
#define SIGNUP		"/accounts/signup/"
#define MISMATCH	"The two password fields didn’t match."

static struct browser	 root;	/* the superuser, logged in */

/*
 * POST the settings form as root with every field at its default but
 * those given: name (NULL: "Gazette"), signup and require_2fa ("1" or
 * NULL: unchecked), max_links and moderation (NULL: the defaults).
 */
static int
post_settings(struct browser *c, const char *name, const char *signup,
    const char *require_2fa, const char *max_links, const char *moderation,
    struct resp *r)
{
	return browser_post_form(c, SETTINGS, PROFILE, r,
	    "site_name", name != NULL ? name : "Gazette",
	    "site_description", "News and notes.",
	    "signup", signup,
	    "require_2fa_staff", require_2fa,
	    "comment_moderation", moderation != NULL ? moderation :
	    "previously_approved",
	    "comment_guests", "1",
	    "comment_max_links", max_links != NULL ? max_links : "2",
	    "comment_max_depth", "3",
	    "comment_close_days", "0",
	    "comment_min_seconds", "2",
	    "comment_flood_limit", "5",
	    "comment_flood_window", "60",
	    "comment_hold_keys", "",
	    "comment_spam_keys", "",
	    (char *)NULL);
}

/* A user's id as text (malloc'd, "" if none). */
static char *
user_id(const struct site *s, const char *username)
{
	char	*q = str_printf("SELECT id FROM users WHERE username = '%s'",
	    username);
	char	*v = site_sql(s, q);

	free(q);
	return v;
}

/* Make username (password PW) staff but not superuser. */
static void
make_staff(const struct site *s, const char *username)
{
	char	*q, *v;

	CHECK_INT(site_create_user(s, username, NULL, PW), 0,
	    "createsuperuser %s", username);
	q = str_printf("UPDATE users SET is_superuser = 0, is_staff = 1"
	    " WHERE username = '%s'", username);
	free(site_sql(s, q));
	free(q);
	q = str_printf("SELECT is_staff || is_superuser FROM users"
	    " WHERE username = '%s'", username);
	v = site_sql(s, q);
	CHECK_STR(v, "10", "%s is staff, not superuser", username);
	free(v);
	free(q);
}

/* GET path on a fresh visitor (default address) n times: each body
 * must contain needle (one check per GET: the two workers both). */
static void
check_public(struct site *s, const char *path, int status,
    const char *needle, const char *what)
{
	struct resp	 r = { 0 };

	for (int i = 0; i < 4; i++) {
		http_get(s, path, &r);
		if (CHECK_STATUS(&r, status, "GET", path) && needle != NULL)
			CHECK_CONTAINS(r.body, needle, "%s (GET %d)", what, i);
	}
	resp_free(&r);
}

/* ---- site settings -------------------------------------------------------- */

static void
test_settings_page_shows_the_current_values(struct site *s)
{
	struct resp	 r = { 0 };

	(void)s;
	browser_get(&root, SETTINGS, &r);
	REQUIRE_STATUS(&r, 200, "GET", SETTINGS);
	CHECK_CONTAINS(r.body, "<legend>Comments</legend>", "fieldsets");
	CHECK_CONTAINS(r.body, "<label for=\"id_site_name\">Site name</label>",
	    "a label for each field");
	CHECK_CONTAINS(r.body, "name=\"comment_max_links\" "
	    "id=\"id_comment_max_links\" value=\"2\"", "the links limit");
	CHECK_CONTAINS(r.body, "<option value=\"previously_approved\" "
	    "selected>", "the moderation in force");
	CHECK_CONTAINS(r.body, "name=\"signup\" id=\"id_signup\" value=\"1\" "
	    "checked", "signup is on (the file's value)");
	CHECK_CONTAINS(r.body, "aria-describedby=\"id_site_name_help\"",
	    "help text is tied to its field");
	resp_free(&r);
}

static void
test_a_new_site_name_shows_on_the_home_page(struct site *s)
{
	struct resp	 r = { 0 };
	char		*v;

	check_public(s, "/", 200, "Gazette", "the home page before");
	post_settings(&root, "Evening Courier", "1", NULL, NULL, NULL, &r);
	REQUIRE_STATUS(&r, 303, "POST", SETTINGS);
	CHECK_STR(resp_header(&r, "Location"), SETTINGS, "back to the form");
	browser_get(&root, SETTINGS, &r);
	CHECK_CONTAINS(r.body, "The site settings were changed successfully.",
	    "the message after saving");
	CHECK_CONTAINS(r.body, "value=\"Evening Courier\"", "the new value");
	check_public(s, "/", 200, "<a class=\"site-name\" href=\"/\">"
	    "Evening Courier</a>", "the home page's header");
	check_public(s, "/", 200, "<title>Evening Courier</title>",
	    "the home page's title");
	v = site_sql(s, "SELECT count(*) || ' ' || changes FROM admin_log"
	    " WHERE model = 'settings'");
	CHECK_CONTAINS(v, "1 [{\"field\":\"site_name\",\"label\":\"Site name\","
	    "\"old\":\"Gazette\",\"new\":\"Evening Courier\"}", "one history "
	    "entry with the change");
	CHECK_NOT_CONTAINS(v, "signup", "unchanged keys are not listed");
	free(v);
	v = site_sql(s, "SELECT count(*) FROM settings WHERE key = 'signup'");
	CHECK_STR(v, "0", "an unchanged key still follows the file");
	free(v);
	resp_free(&r);
}

static void
test_signup_off_refuses_signups(struct site *s)
{
	struct resp	 r = { 0 };

	check_public(s, SIGNUP, 200, "name=\"password2\"", "signup before");
	post_settings(&root, "Evening Courier", NULL, NULL, NULL, NULL, &r);
	REQUIRE_STATUS(&r, 303, "POST", SETTINGS);
	/* As with signup = off in the file: 404, and no link to it. */
	check_public(s, SIGNUP, 404, NULL, "signup off");
	http_get(s, "/accounts/login/", &r);
	CHECK_NOT_CONTAINS(r.body, "href=\"/accounts/signup/\"",
	    "no signup link when it is off");
	post_settings(&root, "Evening Courier", "1", NULL, NULL, NULL, &r);
	REQUIRE_STATUS(&r, 303, "POST", SETTINGS);
	check_public(s, SIGNUP, 200, "name=\"password2\"", "signup on again");
	resp_free(&r);
}

static void
test_invalid_values_are_refused_and_nothing_is_saved(struct site *s)
{
	struct resp	 r = { 0 };
	char		*v;

	post_settings(&root, "Not Saved", "1", NULL, "-3", "bogus", &r);
	REQUIRE_STATUS(&r, 200, "POST", SETTINGS " (invalid)");
	CHECK_CONTAINS(r.body, "Please correct the errors below.",
	    "the summary");
	CHECK_CONTAINS(r.body, "<ul class=\"errorlist\" "
	    "id=\"id_comment_max_links_error\"><li>Ensure this value is "
	    "greater than or equal to 0.</li></ul>", "the links error");
	CHECK_CONTAINS(r.body, "<ul class=\"errorlist\" "
	    "id=\"id_comment_moderation_error\"><li>Select a valid choice. "
	    "bogus is not one of the available choices.</li></ul>",
	    "the moderation error");
	CHECK_CONTAINS(r.body, "aria-describedby=\"id_comment_max_links_error "
	    "id_comment_max_links_help\" aria-invalid=\"true\"",
	    "the error is tied to its field");
	CHECK_CONTAINS(r.body, "value=\"Not Saved\"", "what was typed stays");
	v = site_sql(s, "SELECT group_concat(value, ',') FROM settings"
	    " WHERE key IN ('comment_max_links', 'comment_moderation',"
	    " 'site_name') ORDER BY key");
	CHECK_STR(v, "2,previously_approved,Evening Courier",
	    "nothing was saved");
	free(v);
	check_public(s, "/", 200, "Evening Courier", "the name stays");
	post_settings(&root, "Evening Courier", "1", NULL, "", NULL, &r);
	CHECK_STATUS(&r, 200, "POST", SETTINGS " (empty integer)");
	CHECK_CONTAINS(r.body, "This field is required.", "an integer is "
	    "required");
	resp_free(&r);
}

static void
test_staff_without_the_permission_get_403(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	char		*v;

	make_staff(s, "staffer");
	REQUIRE(browser_init_logged_in(&c, s, "staffer", PW), "login");
	browser_get(&c, SETTINGS, &r);
	CHECK_STATUS(&r, 403, "GET", SETTINGS " (staff without permission)");
	post_settings(&c, "Hijacked", "1", NULL, NULL, NULL, &r);
	CHECK_STATUS(&r, 403, "POST", SETTINGS " (staff without permission)");
	v = site_sql(s, "SELECT value FROM settings WHERE key = 'site_name'");
	CHECK_STR(v, "Evening Courier", "the direct POST changed nothing");
	free(v);
	/* With the permission, through a group: allowed. */
	free(site_sql(s, "INSERT INTO groups (name) VALUES ('Site admins');"
	    "INSERT INTO group_permissions (group_id, permission_id)"
	    " SELECT g.id, p.id FROM groups g, permissions p"
	    "  WHERE g.name = 'Site admins' AND p.codename = 'settings.change';"
	    "INSERT INTO user_groups (user_id, group_id)"
	    " SELECT u.id, g.id FROM users u, groups g"
	    "  WHERE u.username = 'staffer' AND g.name = 'Site admins'"));
	browser_get(&c, SETTINGS, &r);
	if (CHECK_STATUS(&r, 200, "GET", SETTINGS " (staff with "
	    "settings.change)"))
		CHECK_CONTAINS(r.body, "href=\"/admin/settings/\"",
		    "the side navigation links the settings");
	browser_free(&c);
	resp_free(&r);
}

static void
test_two_factor_required_for_staff_takes_effect(struct site *s)
{
	struct resp	 r = { 0 };

	post_settings(&root, "Evening Courier", "1", "1", NULL, NULL, &r);
	REQUIRE_STATUS(&r, 303, "POST", SETTINGS);
	/* root is staff without two-factor: out of the admin on every
	 * worker until enrolled. */
	for (int i = 0; i < 3; i++) {
		browser_get(&root, SETTINGS, &r);
		CHECK_STATUS(&r, 403, "GET", SETTINGS " (2FA required)");
	}
	site_settings(s, "require_2fa_staff", "0", (char *)NULL);
	for (int i = 0; i < 3; i++) {
		browser_get(&root, SETTINGS, &r);
		CHECK_STATUS(&r, 200, "GET", SETTINGS " (2FA not required)");
	}
	resp_free(&r);
}

/* ---- users ------------------------------------------------------------------ */

static void
test_set_password_then_only_the_new_one_works(struct site *s)
{
	struct browser	 u, c;
	struct resp	 r = { 0 };
	char		*id, *path, *v;

	make_staff(s, "writer");
	free(site_sql(s, "UPDATE users SET is_staff = 0"
	    " WHERE username = 'writer'"));
	id = user_id(s, "writer");
	path = str_printf("/admin/user/%s/password/", id);
	REQUIRE(browser_init_logged_in(&u, s, "writer", PW), "login writer");
	browser_get(&root, path, &r);
	if (CHECK_STATUS(&r, 200, "GET", path)) {
		CHECK_CONTAINS(r.body, "<h1>Change password: writer</h1>",
		    "the title");
		CHECK_CONTAINS(r.body, "<label for=\"id_password2\">Password "
		    "(again)</label>", "the second field");
	}
	browser_post_form(&root, path, NULL, &r, "password1", PW2,
	    "password2", PW2, (char *)NULL);
	v = str_printf("/admin/user/%s/", id);
	if (CHECK_STATUS(&r, 303, "POST", path))
		CHECK_STR(resp_header(&r, "Location"), v, "back to the user");
	free(v);
	CHECK(!browser_logged_in(&u), "the user's session was ended");
	browser_free(&u);
	browser_init(&c, s, true);
	browser_login(&c, "writer", PW, NULL, false, &r);
	CHECK_STATUS(&r, 200, "POST", "/accounts/login/ (the old password)");
	browser_login(&c, "writer", PW2, NULL, false, &r);
	CHECK_STATUS(&r, 303, "POST", "/accounts/login/ (the new password)");
	browser_free(&c);
	v = site_sql(s, "SELECT changes FROM admin_log WHERE model = 'user'"
	    " ORDER BY id DESC LIMIT 1");
	CHECK_STR(v, "[{\"field\":\"password\",\"label\":\"Password\","
	    "\"old\":\"\",\"new\":\"(changed)\"}]", "the history entry");
	free(v);
	v = site_sql(s, "SELECT count(*) FROM admin_log WHERE changes LIKE "
	    "'%Violet%' OR changes LIKE '%argon2%'");
	CHECK_STR(v, "0", "no password or hash in the history");
	free(v);
	free(id);
	free(path);
	resp_free(&r);
}

static void
test_mismatched_or_weak_passwords_are_refused(struct site *s)
{
	struct resp	 r = { 0 };
	char		*id = user_id(s, "writer");
	char		*path = str_printf("/admin/user/%s/password/", id);
	char		*before, *after;
	char		*q = str_printf("SELECT password FROM users WHERE id = %s",
	    id);

	before = site_sql(s, q);
	browser_post_form(&root, path, NULL, &r, "password1", PW,
	    "password2", PW2, (char *)NULL);
	CHECK_STATUS(&r, 200, "POST", path);
	CHECK_CONTAINS(r.body, "<ul class=\"errorlist\" id=\"id_password2_error"
	    "\"><li>" MISMATCH "</li></ul>", "the mismatch beside password2");
	browser_post_form(&root, path, NULL, &r, "password1", "12345678901234",
	    "password2", "12345678901234", (char *)NULL);
	CHECK_STATUS(&r, 200, "POST", path);
	CHECK_CONTAINS(r.body, "This password is entirely numeric.",
	    "the password policy applies");
	browser_post_form(&root, path, NULL, &r, "password1", "",
	    "password2", "", (char *)NULL);
	CHECK_STATUS(&r, 200, "POST", path);
	CHECK_CONTAINS(r.body, "This field is required.", "both required");
	after = site_sql(s, q);
	CHECK_STR(after, before, "the password is unchanged");
	free(before);
	free(after);
	free(q);
	free(id);
	free(path);
	resp_free(&r);
}

static void
test_superuser_password_needs_a_superuser(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	char		*rid = user_id(s, "root"), *wid = user_id(s, "writer");
	char		*p;

	/* staffer gets user.change through its group. */
	free(site_sql(s, "INSERT INTO group_permissions (group_id,"
	    " permission_id) SELECT g.id, p.id FROM groups g, permissions p"
	    "  WHERE g.name = 'Site admins' AND p.codename = 'user.change'"));
	REQUIRE(browser_init_logged_in(&c, s, "staffer", PW), "login");
	p = str_printf("/admin/user/%s/password/", rid);
	browser_get(&c, p, &r);
	CHECK_STATUS(&r, 403, "GET", p);
	browser_post_form(&c, p, PROFILE, &r, "password1", PW2, "password2",
	    PW2, (char *)NULL);
	CHECK_STATUS(&r, 403, "POST", p);
	free(p);
	p = str_printf("/admin/user/%s/password/", wid);
	browser_get(&c, p, &r);
	CHECK_STATUS(&r, 200, "GET", p);
	free(p);
	browser_get(&c, "/admin/user/999999/password/", &r);
	CHECK_STATUS(&r, 404, "GET", "/admin/user/999999/password/");
	browser_free(&c);
	free(rid);
	free(wid);
	resp_free(&r);
}

static void
test_two_factor_reset_clears_it(struct site *s)
{
	struct resp	 r = { 0 };
	char		*id = user_id(s, "writer");
	char		*path = str_printf("/admin/user/%s/2fa-reset/", id);
	char		*q, *v;

	q = str_printf("UPDATE users SET totp_secret = 'JBSWY3DPEHPK3PXP',"
	    " totp_enabled = 1, totp_last_step = 42 WHERE id = %s;"
	    "INSERT INTO recovery_codes (user_id, code_hash)"
	    " VALUES (%s, 'x'), (%s, 'y')", id, id, id);
	free(site_sql(s, q));
	free(q);
	browser_get(&root, path, &r);
	CHECK_STATUS(&r, 405, "GET", path);
	browser_post_form(&root, path, PROFILE, &r, (char *)NULL);
	v = str_printf("/admin/user/%s/", id);
	if (CHECK_STATUS(&r, 303, "POST", path))
		CHECK_STR(resp_header(&r, "Location"), v, "back to the user");
	free(v);
	q = str_printf("SELECT totp_enabled || ',' || coalesce(totp_secret,"
	    " 'null') || ',' || totp_last_step || ',' || (SELECT count(*)"
	    " FROM recovery_codes WHERE user_id = %s) FROM users WHERE id = %s",
	    id, id);
	v = site_sql(s, q);
	CHECK_STR(v, "0,null,0,0", "two-factor and recovery codes cleared");
	free(v);
	free(q);
	v = site_sql(s, "SELECT changes FROM admin_log WHERE model = 'user'"
	    " ORDER BY id DESC LIMIT 1");
	CHECK_CONTAINS(v, "\"old\":\"on\",\"new\":\"off\"", "logged");
	free(v);
	free(id);
	free(path);
	resp_free(&r);
}

int
main(void)
{
	struct site		 s;
	struct site_opts	 o = { .workers = 2, .articles = 3 };

	harness_init("021_admin_accounts");
	if (site_start(&s, &o) == 0) {
		CHECK_INT(site_create_user(&s, "root", NULL, PW), 0,
		    "createsuperuser root");
		if (browser_init_logged_in(&root, &s, "root", PW)) {
			RUN(test_settings_page_shows_the_current_values, &s);
			RUN(test_a_new_site_name_shows_on_the_home_page, &s);
			RUN(test_signup_off_refuses_signups, &s);
			RUN(test_invalid_values_are_refused_and_nothing_is_saved,
			    &s);
			RUN(test_staff_without_the_permission_get_403, &s);
			RUN(test_two_factor_required_for_staff_takes_effect,
			    &s);
			RUN(test_set_password_then_only_the_new_one_works, &s);
			RUN(test_mismatched_or_weak_passwords_are_refused, &s);
			RUN(test_superuser_password_needs_a_superuser, &s);
			RUN(test_two_factor_reset_clears_it, &s);
		}
		browser_free(&root);
		RUN(site_check_log, &s);
		CHECK_INT(site_stop(&s), 0, "gazette's exit status");
	}
	return harness_finish();
}
