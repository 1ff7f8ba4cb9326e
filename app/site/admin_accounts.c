/*
 * admin_accounts: the admin pages of the site's settings and of what
 * the generic user admin cannot do from the model alone: the "Site
 * settings" page (the settings table, core/settings), setting a user's
 * password, resetting their two-factor, and the user admin's hooks
 * (two passwords on add, set after the save, links on the change page).
 * Owns no table: settings are core/settings', users core/auth's.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/admin.h"
#include "core/arena.h"
#include "core/auth.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/form.h"
#include "core/http.h"
#include "core/model.h"
#include "core/password.h"
#include "core/render.h"
#include "core/router.h"
#include "core/session.h"
#include "core/settings.h"
#include "core/util.h"
#include "site/site.h"

#define MSG_REQUIRED	"This field is required."
#define MSG_MISMATCH	"The two password fields didn’t match."
#define MSG_CORRECT	"Please correct the errors below."

/* ---- site settings ------------------------------------------------------ */

static const struct model_choice moderation_choices[] = {
	{ "all", "Hold every comment for moderation" },
	{ "previously_approved", "Publish comments of commenters with an "
	  "approved comment" },
	{ "none", "Publish comments unless a rule holds them" },
	{ NULL, NULL }
};

/*
 * The settings as a form.  The ranges are those the readers of the keys
 * clamp to (comment.c, comment_pages.c): a value outside would silently
 * read as the default, so it is refused here instead.
 */
static const struct model_field settings_fields[] = {
	{ .name = "site_name", .label = "Site name", .type = MODEL_TEXT,
	  .help = "In every page's title and header, and in mails.",
	  .flags = MF_REQUIRED | MF_EDITABLE, .max = 100 },
	{ .name = "site_description", .label = "Site description",
	  .type = MODEL_TEXT,
	  .help = "A line about the site: the pages' description.",
	  .flags = MF_EDITABLE, .max = 300 },
	{ .name = "signup", .label = "Sign-up open", .type = MODEL_BOOLEAN,
	  .help = "Visitors may create accounts at /accounts/signup/.",
	  .flags = MF_EDITABLE },
	{ .name = "require_2fa_staff",
	  .label = "Two-factor required for staff", .type = MODEL_BOOLEAN,
	  .help = "Staff without two-factor authentication have no "
	  "permission (and no admin) until they enrol.",
	  .flags = MF_EDITABLE },
	{ .name = "comment_moderation", .label = "Moderation",
	  .type = MODEL_CHOICE, .choices = moderation_choices,
	  .flags = MF_REQUIRED | MF_EDITABLE },
	{ .name = "comment_guests", .label = "Guests may comment",
	  .type = MODEL_BOOLEAN,
	  .help = "Unselect to require an account to comment.",
	  .flags = MF_EDITABLE },
	{ .name = "comment_max_links", .label = "Links that hold a comment",
	  .type = MODEL_INTEGER,
	  .help = "A comment with this many links or more waits for "
	  "moderation. 0: no limit.",
	  .flags = MF_REQUIRED | MF_EDITABLE, .min = 0, .max = 100000 },
	{ .name = "comment_max_depth", .label = "Reply depth",
	  .type = MODEL_INTEGER,
	  .help = "How deep replies nest (1: no replies to replies).",
	  .flags = MF_REQUIRED | MF_EDITABLE, .min = 1, .max = 10 },
	{ .name = "comment_close_days", .label = "Close comments after (days)",
	  .type = MODEL_INTEGER,
	  .help = "Days after publication; 0: never.",
	  .flags = MF_REQUIRED | MF_EDITABLE, .min = 0, .max = 100000 },
	{ .name = "comment_min_seconds", .label = "Minimum seconds to write",
	  .type = MODEL_INTEGER,
	  .help = "A comment sent sooner after the form was shown is "
	  "taken for a robot's.",
	  .flags = MF_REQUIRED | MF_EDITABLE, .min = 0, .max = 86400 },
	{ .name = "comment_flood_limit", .label = "Comments per address",
	  .type = MODEL_INTEGER,
	  .help = "At most this many comments from one address in the "
	  "window below. 0: no limit.",
	  .flags = MF_REQUIRED | MF_EDITABLE, .min = 0, .max = 100000 },
	{ .name = "comment_flood_window", .label = "Flood window (seconds)",
	  .type = MODEL_INTEGER,
	  .flags = MF_REQUIRED | MF_EDITABLE, .min = 1, .max = 86400 },
	{ .name = "comment_hold_keys", .label = "Words that hold",
	  .type = MODEL_LONGTEXT,
	  .help = "One word or phrase a line: a comment containing one "
	  "waits for moderation.",
	  .flags = MF_EDITABLE, .max = 20000 },
	{ .name = "comment_spam_keys", .label = "Words that mark spam",
	  .type = MODEL_LONGTEXT,
	  .help = "One word or phrase a line: a comment containing one "
	  "goes to spam.",
	  .flags = MF_EDITABLE, .max = 20000 },
	{ .name = NULL }
};

/* Not registered: a form over the settings table's keys, not a table. */
static const struct model settings_model = {
	.name = "settings", .table = "settings", .verbose = "settings",
	.verbose_plural = "settings", .fields = settings_fields,
	.pk = "key", .ordering = "key", .str_field = "site_name",
	.perm = "settings"
};

/* The page's fieldsets, by the first and last field of each. */
static const struct {
	const char	*legend;
	size_t		 first, last;
} settings_sets[] = {
	{ "Site", 0, 1 },
	{ "Accounts", 2, 3 },
	{ "Comments", 4, 13 },
};

/* The default of each comment key, as its reader has it (0003 too). */
static const struct {
	const char	*key;
	const char	*def;
} comment_defaults[] = {
	{ "comment_moderation", "previously_approved" },
	{ "comment_guests", "1" },
	{ "comment_max_links", "2" },
	{ "comment_max_depth", "3" },
	{ "comment_close_days", "0" },
	{ "comment_min_seconds", "2" },
	{ "comment_flood_limit", "5" },
	{ "comment_flood_window", "60" },
	{ "comment_hold_keys", "" },
	{ "comment_spam_keys", "" },
};

/*
 * The settings in force, field by field into vals (arena copies): the
 * four the file may give from settings_site(), the others from the
 * table with their readers' defaults.
 */
static void
settings_current(struct req *r, const char **vals)
{
	const struct settings_site *s = settings_site(r);

	for (size_t i = 0; settings_fields[i].name != NULL; i++) {
		const char *k = settings_fields[i].name;

		vals[i] = "";
		if (strcmp(k, "site_name") == 0)
			vals[i] = arena_strdup(r->arena, s->name);
		else if (strcmp(k, "site_description") == 0)
			vals[i] = arena_strdup(r->arena, s->description);
		else if (strcmp(k, "signup") == 0)
			vals[i] = s->signup ? "1" : "0";
		else if (strcmp(k, "require_2fa_staff") == 0)
			vals[i] = s->require_2fa_staff ? "1" : "0";
		else
			for (size_t j = 0; j < NELEM(comment_defaults); j++)
				if (strcmp(k, comment_defaults[j].key) == 0)
					vals[i] = settings_get(r, k,
					    comment_defaults[j].def);
	}
}

/*
 * The form into Settings.sets.K (legend, fields.N: name, label, type,
 * value, error, help, required, min, max, maxlength, checked,
 * choices.J.value/.label/.selected), and Settings.error.
 */
static void
settings_export(struct req *r, const struct form *f)
{
	const struct model_choice *c;
	struct render_node *n;
	char		 key[48], num[32];
	bool		 errors = false;

	for (size_t k = 0; k < NELEM(settings_sets); k++) {
		render_set(r, arena_printf(r->arena, "Settings.sets.%zu.legend",
		    k), settings_sets[k].legend);
		for (size_t i = settings_sets[k].first;
		    i <= settings_sets[k].last && i < f->n; i++) {
			const struct model_field *mf = f->fields[i].field;

			n = render_node(r, "Settings.sets.%zu.fields.%zu", k,
			    i - settings_sets[k].first);
			render_node_set(r, n, "name", mf->name);
			render_node_set(r, n, "label", mf->label);
			render_node_set(r, n, "type", model_type_name(mf->type));
			render_node_set(r, n, "value", f->fields[i].value);
			if (mf->help != NULL)
				render_node_set(r, n, "help", mf->help);
			if (mf->flags & MF_REQUIRED)
				render_node_set(r, n, "required", "1");
			if (f->fields[i].error != NULL) {
				render_node_set(r, n, "error",
				    f->fields[i].error);
				errors = true;
			}
			if (mf->type == MODEL_INTEGER) {
				snprintf(num, sizeof(num), "%lld", mf->min);
				render_node_set(r, n, "min", num);
				snprintf(num, sizeof(num), "%lld", mf->max);
				render_node_set(r, n, "max", num);
			} else if (mf->max > 0) {
				snprintf(num, sizeof(num), "%lld", mf->max);
				render_node_set(r, n, "maxlength", num);
			}
			if (mf->type == MODEL_BOOLEAN &&
			    strcmp(f->fields[i].value, "1") == 0)
				render_node_set(r, n, "checked", "1");
			for (c = mf->choices; c != NULL && c->value != NULL;
			    c++) {
				size_t j = (size_t)(c - mf->choices);

				snprintf(key, sizeof(key), "choices.%zu.value",
				    j);
				render_node_set(r, n, key, c->value);
				snprintf(key, sizeof(key), "choices.%zu.label",
				    j);
				render_node_set(r, n, key, c->label);
				if (strcmp(c->value, f->fields[i].value) == 0) {
					snprintf(key, sizeof(key),
					    "choices.%zu.selected", j);
					render_node_set(r, n, key, "1");
				}
			}
		}
	}
	if (errors || f->error != NULL)
		render_set(r, "Settings.error", f->error != NULL ? f->error :
		    MSG_CORRECT);
}

/*
 * Add {"field", "label", "old", "new"} to a.  Passwords never come
 * here: their entries say "(changed)".
 */
static void
change_add(json_t *a, const char *field, const char *label,
    const char *old, const char *new)
{
	json_t	*e = json_object();

	json_object_set_new(e, "field", json_string(field));
	json_object_set_new(e, "label", json_string(label));
	json_object_set_new(e, "old", json_string(old));
	json_object_set_new(e, "new", json_string(new));
	json_array_append_new(a, e);
}

/* a as compact JSON in the arena (a is released), or NULL if empty. */
static const char *
change_json(struct req *r, json_t *a)
{
	const char	*out = NULL;
	char		*s;

	if (json_array_size(a) > 0 && (s = json_dumps(a, JSON_COMPACT)) !=
	    NULL) {
		out = arena_strdup(r->arena, s);
		free(s);
	}
	json_decref(a);
	return out;
}

/* s without its carriage returns (a textarea sends CRLF), in the arena. */
static const char *
no_cr(struct req *r, const char *s)
{
	char	*out = arena_strdup(r->arena, s), *w = out;

	for (const char *p = s; *p != '\0'; p++)
		if (*p != '\r')
			*w++ = *p;
	*w = '\0';
	return out;
}

/*
 * Write the valid form f: each key whose value differs from what is in
 * force (a key the file gives keeps following the file until it is
 * changed here), one history entry listing them.  In one transaction.
 * Returns how many changed, or -1 if r failed.
 */
static int
settings_save(struct req *r, const struct form *f)
{
	const char	*old[NELEM(settings_fields)], *v, *changes;
	json_t		*a;
	int		 n = 0;

	if (db_begin_write(r) != 0)
		return -1;
	settings_current(r, old);
	a = json_array();
	for (size_t i = 0; i < f->n; i++) {
		const struct model_field *mf = f->fields[i].field;

		v = f->fields[i].value;
		if (mf->type == MODEL_INTEGER)	/* "007" is stored as "7" */
			v = arena_printf(r->arena, "%lld", f->fields[i].num);
		else if (mf->type == MODEL_LONGTEXT)
			v = no_cr(r, v);
		if (strcmp(v, old[i]) == 0)
			continue;
		if (settings_set(r, mf->name, v) != 0) {
			json_decref(a);
			return -1;
		}
		change_add(a, mf->name, mf->label, old[i], v);
		n++;
	}
	changes = change_json(r, a);
	if (n > 0 && admin_log(r, "settings", 0, "Site settings",
	    ADMIN_LOG_CHANGE, changes, NULL) < 0)
		return -1;
	if (db_commit(r) != 0)
		return -1;
	return n;
}

/*
 * GET|POST /admin/settings/  the site's settings; POST saves them (one
 * transaction, one history entry), then 303 back here with a message.
 * Active staff (admin_guard) with settings.change, else 403 (GET and
 * POST alike).  200 with errors beside the fields when invalid: nothing
 * is saved.
 */
int
page_admin_settings(struct req *r)
{
	const char	*cur[NELEM(settings_fields)];
	struct form	 f;
	int		 st, n;

	if ((st = admin_guard(r)) != 0)
		return st;
	if (!auth_has_perm(r, r->user, "settings.change"))
		return HTTP_403;
	if (r->method == M_POST) {
		form_read(r, &settings_model, &f);
		if (form_validate(r, &f)) {
			if ((n = settings_save(r, &f)) < 0)
				return HTTP_500;
			if (n > 0)
				admin_message(r, "success", "The site settings "
				    "were changed successfully.");
			else
				admin_message(r, "info", "No settings were "
				    "changed.");
			return http_redirect(r, HTTP_303, router_url(r,
			    "admin_settings"));
		}
	} else {
		form_init(r, &settings_model, &f);
		settings_current(r, cur);
		for (size_t i = 0; i < f.n; i++)
			form_set(r, &f, settings_fields[i].name, cur[i]);
	}
	if (req_failed(r))
		return HTTP_500;
	admin_crumb(r, "Site settings", NULL);
	render_set(r, "Settings.action", router_url(r, "admin_settings"));
	settings_export(r, &f);
	return admin_render(r, "admin/settings.cs", "Site settings");
}

/* ---- users: password, two-factor ---------------------------------------- */

/*
 * May r->user set target's password or reset its two-factor?  With
 * user.change, and a superuser's only as a superuser (a staff member
 * with user.change must not take over a superuser's account).
 */
static bool
user_may_manage(struct req *r, const struct user *target)
{
	return r->user != NULL && auth_has_perm(r, r->user, "user.change") &&
	    (!target->is_superuser || r->user->is_superuser);
}

/* The user of the route's {id}, or NULL. */
static struct user *
route_user(struct req *r)
{
	const char	*v = req_param(r, "id");
	long long	 id;

	if (v == NULL || util_parse_int(v, 1, INT64_MAX, &id) != 0)
		return NULL;
	return auth_user_by_id(r, (int64_t)id);
}

/*
 * Django's checks of a new password pair p1, p2 (NULL: not sent) for a
 * user with these attributes: both required, then equal (the error
 * beside the second), then the password policy (its messages, joined,
 * beside the second: where Django's forms put them).  *e1 and *e2 get
 * the messages (arena) or NULL.  Returns whether the pair is good.
 */
static bool
password_pair_check(struct req *r, const char *p1, const char *p2,
    const char *username, const char *email, const char *display,
    const char **e1, const char **e2)
{
	const char	*msgs[8];
	struct buf	 b;
	int		 n;

	*e1 = *e2 = NULL;
	if (p1 == NULL || *p1 == '\0')
		*e1 = MSG_REQUIRED;
	if (p2 == NULL || *p2 == '\0')
		*e2 = MSG_REQUIRED;
	if (*e1 != NULL || *e2 != NULL)
		return false;
	if (strcmp(p1, p2) != 0) {
		*e2 = MSG_MISMATCH;
		return false;
	}
	n = password_validate(auth_policy(), p1, username, email, display,
	    msgs, (int)NELEM(msgs));
	if (n <= 0)
		return true;
	buf_init(&b);
	for (int i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i > 0 ? " " : "", msgs[i]);
	*e2 = arena_strdup(r->arena, b.ptr);
	buf_free(&b);
	return false;
}

/* The policy's rules, as the password forms list them. */
static void
password_help(struct req *r)
{
	render_set(r, "Password.help.0", arena_printf(r->arena, "Your "
	    "password must contain at least %zu characters.",
	    auth_policy()->min_length));
	render_set(r, "Password.help.1", "Your password can’t be too "
	    "similar to your other personal information.");
	render_set(r, "Password.help.2", "Your password can’t be a "
	    "commonly used password.");
	render_set(r, "Password.help.3", "Your password can’t be entirely "
	    "numeric.");
}

/* The change page of user id, and its id as a string (arena). */
static const char *
user_change_url(struct req *r, int64_t id)
{
	return router_url(r, "admin_change", "user",
	    arena_printf(r->arena, "%" PRId64, id));
}

/* Breadcrumbs: Users > username > what. */
static void
user_crumbs(struct req *r, const struct user *u, const char *what)
{
	admin_crumb(r, "Users", router_url(r, "admin_changelist", "user"));
	admin_crumb(r, u->username, user_change_url(r, u->id));
	admin_crumb(r, what, NULL);
}

/*
 * GET|POST /admin/user/{id}/password/  Django's "Change password: NAME"
 * (password1, password2).  POST: checked by the password policy, set
 * (argon2id), the user's sessions ended, logged in the history (never
 * the password or its hash), then 303 to the user's change page.
 * Staff with user.change; a superuser's only by a superuser: else 403.
 * 404 for no such user; 200 with errors beside the fields.
 */
int
page_admin_user_password(struct req *r)
{
	const char	*p1, *p2, *e1, *e2, *changes;
	struct user	*u;
	json_t		*a;
	int		 st;

	if ((st = admin_guard(r)) != 0)
		return st;
	if ((u = route_user(r)) == NULL)
		return req_failed(r) ? HTTP_500 : HTTP_404;
	if (!user_may_manage(r, u))
		return HTTP_403;
	if (r->method == M_POST) {
		p1 = req_form(r, "password1");
		p2 = req_form(r, "password2");
		if (password_pair_check(r, p1, p2, u->username, u->email,
		    u->display_name, &e1, &e2)) {
			a = json_array();
			change_add(a, "password", "Password", "", "(changed)");
			changes = change_json(r, a);
			if (db_begin_write(r) != 0 ||
			    auth_set_password(r, u->id, p1) != 0 ||
			    session_end_others(r, u->id) < 0 ||
			    admin_log(r, "user", u->id, u->username,
			    ADMIN_LOG_CHANGE, changes, NULL) < 0 ||
			    db_commit(r) != 0)
				return HTTP_500;
			admin_message(r, "success",
			    "Password changed successfully.");
			return http_redirect(r, HTTP_303,
			    user_change_url(r, u->id));
		}
		if (e1 != NULL)
			render_set(r, "Form.errors.password1", e1);
		if (e2 != NULL)
			render_set(r, "Form.errors.password2", e2);
		render_set(r, "Form.error", MSG_CORRECT);
	}
	user_crumbs(r, u, "Change password");
	password_help(r);
	render_set(r, "Target.username", u->username);
	render_set(r, "Target.action", router_url(r, "admin_user_password",
	    arena_printf(r->arena, "%" PRId64, u->id)));
	render_set(r, "Target.url", user_change_url(r, u->id));
	return admin_render(r, "admin/user_password.cs", arena_printf(r->arena,
	    "Change password: %s", u->username));
}

/*
 * POST /admin/user/{id}/2fa-reset/  turn the user's two-factor off (the
 * secret and recovery codes go; they may enrol again), logged, then
 * 303 to the user's change page with a message.  Permissions as
 * page_admin_user_password(); 404 for no such user.
 */
int
page_admin_user_2fa_reset(struct req *r)
{
	const char	*changes;
	struct user	*u;
	json_t		*a;
	int		 st;

	if ((st = admin_guard(r)) != 0)
		return st;
	if ((u = route_user(r)) == NULL)
		return req_failed(r) ? HTTP_500 : HTTP_404;
	if (!user_may_manage(r, u))
		return HTTP_403;
	a = json_array();
	change_add(a, "totp_enabled", "Two-factor authentication",
	    u->totp_enabled ? "on" : "off", "off");
	changes = change_json(r, a);
	if (db_begin_write(r) != 0 || auth_twofactor_reset(r, u->id) != 0 ||
	    admin_log(r, "user", u->id, u->username, ADMIN_LOG_CHANGE,
	    changes, NULL) < 0 || db_commit(r) != 0)
		return HTTP_500;
	admin_message(r, "success", "Two-factor authentication was reset for "
	    "“%s”. They can log in with their password alone and enrol "
	    "again.", u->username);
	return http_redirect(r, HTTP_303, user_change_url(r, u->id));
}

/* ---- the user admin's hooks --------------------------------------------- */

/*
 * A password field's value as sent: not trimmed (Django's password
 * fields keep blanks, which may be part of a password); the form's
 * value when the request has none.
 */
static const char *
password_value(struct req *r, const struct form *f, const char *name)
{
	const char	*v = req_form(r, name);

	return v != NULL ? v : form_value(f, name);
}

static bool
is_add(const struct req *r)
{
	return r->route != NULL && r->route->name != NULL &&
	    strcmp(r->route->name, "admin_add") == 0;
}

int
user_admin_validate(struct req *r, const struct admin_model *am,
    struct form *f, int64_t id)
{
	const char	*e1, *e2, *user, *email, *display;

	(void)am;
	/* A change sets the password on its own page, never here. */
	if (id != 0 || form_value(f, "password1") == NULL ||
	    form_value(f, "password2") == NULL)
		return 0;
	user = form_value(f, "username");
	email = form_value(f, "email");
	display = form_value(f, "display_name");
	if (password_pair_check(r, password_value(r, f, "password1"),
	    password_value(r, f, "password2"), user, email, display, &e1,
	    &e2))
		return 0;
	/* Keep an error the form found first (its own "required"). */
	if (e1 != NULL && form_error(f, "password1") == NULL)
		form_set_error(f, "password1", e1);
	if (e2 != NULL && form_error(f, "password2") == NULL)
		form_set_error(f, "password2", e2);
	return req_failed(r) ? -1 : 0;
}

int
user_admin_after_save(struct req *r, const struct admin_model *am,
    struct form *f, int64_t id)
{
	const char	*p;

	(void)am;
	if (!is_add(r) || id <= 0 ||
	    (p = password_value(r, f, "password1")) == NULL || *p == '\0')
		return 0;
	return auth_set_password(r, id, p);
}

void
user_admin_change_extra(struct req *r, const struct admin_model *am,
    int64_t id)
{
	const char	*sid = arena_printf(r->arena, "%" PRId64, id);
	struct user	*u;

	(void)am;
	if ((u = auth_user_by_id(r, id)) == NULL)
		return;
	render_set(r, "Change.extra.password_url", router_url(r,
	    "admin_user_password", sid));
	render_set(r, "Change.extra.twofactor_reset_url", router_url(r,
	    "admin_user_2fa_reset", sid));
	if (u->totp_enabled)
		render_set(r, "Change.extra.twofactor_enabled", "1");
	if (user_may_manage(r, u))
		render_set(r, "Change.extra.may_manage", "1");
}
