/*
 * admin: the registry, the gate, the layout, messages and the history
 * log.  The pages themselves are over these: admin_index.c, admin_list.c
 * (changelist, bulk actions, CSV), admin_form.c (add and change),
 * admin_delete.c (delete, trash) and admin_history.c (history, the log).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "core/admin.h"
#include "core/arena.h"
#include "core/auth.h"
#include "core/csrf.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "core/model.h"
#include "core/render.h"
#include "core/router.h"
#include "core/util.h"

#define MSG_COOKIE	"gazette_admin_msg"
#define MSG_MAX		600	/* bytes of a message's text */

static const struct admin_model *const *reg_models;
static const struct admin_page *reg_pages;
static const struct admin_model *const no_models[] = { NULL };

static const char *const log_names[ADMIN_LOG__MAX] = {
	"add", "change", "delete", "trash", "restore", "revert"
};

/* Names the admin's own pages take under /admin/: no model may. */
static const char *const reserved[] = {
	"log", "moderation", "media", "settings", "bans", "jobs", "preview",
	"dashboard", NULL
};

static bool
list_fields_ok(const struct model *m, const char *what,
    const char *const *names)
{
	for (size_t i = 0; names != NULL && names[i] != NULL; i++)
		if (model_field(m, names[i]) == NULL) {
			log_msg(LOG_ERROR, "msg=\"admin registry: %s of %s "
			    "names no field\" field=%s", what, m->name,
			    names[i]);
			return false;
		}
	return true;
}

static bool
entry_ok(const struct admin_model *am)
{
	const struct model	*m = model_find(am->model);
	const struct model_field *f;

	if (m == NULL) {
		log_msg(LOG_ERROR, "msg=\"admin registry: no such model\" "
		    "model=%s", am->model != NULL ? am->model : "(null)");
		return false;
	}
	for (size_t i = 0; reserved[i] != NULL; i++)
		if (strcmp(reserved[i], m->name) == 0) {
			log_msg(LOG_ERROR, "msg=\"admin registry: model name "
			    "is an admin page's\" model=%s", m->name);
			return false;
		}
	if (!list_fields_ok(m, "list_display", am->list_display) ||
	    !list_fields_ok(m, "autocomplete", am->autocomplete) ||
	    !list_fields_ok(m, "superuser_only", am->superuser_only))
		return false;
	for (size_t i = 0; am->list_filter != NULL &&
	    am->list_filter[i] != NULL; i++)
		if (model_filter_column(m, am->list_filter[i]) == NULL) {
			log_msg(LOG_ERROR, "msg=\"admin registry: list_filter "
			    "of %s is not filterable\" field=%s", m->name,
			    am->list_filter[i]);
			return false;
		}
	for (const struct admin_fieldset *fs = am->fieldsets;
	    fs != NULL && fs->fields != NULL; fs++)
		if (!list_fields_ok(m, "fieldsets", fs->fields))
			return false;
	for (const struct admin_fieldset *fs = am->add_fieldsets;
	    fs != NULL && fs->fields != NULL; fs++)
		if (!list_fields_ok(m, "add_fieldsets", fs->fields))
			return false;
	if ((am->prepopulate != NULL) != (am->prepopulate_from != NULL) ||
	    (am->prepopulate != NULL && (model_field(m, am->prepopulate) ==
	    NULL || model_field(m, am->prepopulate_from) == NULL))) {
		log_msg(LOG_ERROR, "msg=\"admin registry: bad prepopulate\" "
		    "model=%s", m->name);
		return false;
	}
	if (am->owner_field != NULL && ((f = model_field(m,
	    am->owner_field)) == NULL || f->type != MODEL_FOREIGN_KEY ||
	    am->owner_all_perm == NULL)) {
		log_msg(LOG_ERROR, "msg=\"admin registry: bad owner_field\" "
		    "model=%s", m->name);
		return false;
	}
	if ((am->trash_field != NULL) != (am->trash_value != NULL) ||
	    (am->trash_field != NULL && ((f = model_field(m,
	    am->trash_field)) == NULL || f->type != MODEL_CHOICE ||
	    model_choice_label(f, am->trash_value) == NULL))) {
		log_msg(LOG_ERROR, "msg=\"admin registry: bad trash_field\" "
		    "model=%s", m->name);
		return false;
	}
	for (const struct admin_action *a = am->actions;
	    a != NULL && a->name != NULL; a++)
		if (a->run == NULL || a->label == NULL ||
		    a->perm == NULL || (strcmp(a->perm, "view") != 0 &&
		    strcmp(a->perm, "add") != 0 &&
		    strcmp(a->perm, "change") != 0 &&
		    strcmp(a->perm, "delete") != 0) ||
		    strcmp(a->name, "delete_selected") == 0) {
			log_msg(LOG_ERROR, "msg=\"admin registry: bad action\" "
			    "model=%s action=%s", m->name, a->name);
			return false;
		}
	return true;
}

int
admin_register(const struct admin_model *const *models,
    const struct admin_page *pages)
{
	reg_models = no_models;
	reg_pages = NULL;
	for (size_t i = 0; models != NULL && models[i] != NULL; i++) {
		if (!entry_ok(models[i]))
			return -1;
		for (size_t j = 0; j < i; j++)
			if (strcmp(models[i]->model, models[j]->model) == 0) {
				log_msg(LOG_ERROR, "msg=\"admin registry: model "
				    "twice\" model=%s", models[i]->model);
				return -1;
			}
	}
	for (const struct admin_page *p = pages; p != NULL &&
	    p->label != NULL; p++)
		if (p->route == NULL || p->group == NULL) {
			log_msg(LOG_ERROR, "msg=\"admin registry: page without "
			    "route or group\" page=%s", p->label);
			return -1;
		}
	reg_models = models != NULL ? models : no_models;
	reg_pages = pages;
	return 0;
}

const struct admin_model *
admin_model_find(const char *name)
{
	for (size_t i = 0; name != NULL && reg_models != NULL &&
	    reg_models[i] != NULL; i++)
		if (strcmp(reg_models[i]->model, name) == 0)
			return reg_models[i];
	return NULL;
}

const struct admin_model *const *
admin_models(void)
{
	return reg_models != NULL ? reg_models : no_models;
}

const struct admin_page *
admin_pages(void)
{
	return reg_pages;
}

bool
admin_is_staff(const struct req *r)
{
	return r->user != NULL && r->user->is_active && r->user->is_staff &&
	    auth_staff_ready(r->user);
}

int
admin_guard(struct req *r)
{
	r->private_page = true;
	if (admin_is_staff(r))
		return 0;
	return router_deny(r);
}

bool
admin_may(struct req *r, const struct model *m, const char *action)
{
	const char	*perm;

	if (!admin_is_staff(r) || m == NULL ||
	    (perm = model_perm(r, m, action)) == NULL)
		return false;
	if (auth_has_perm(r, r->user, perm))
		return true;
	/* Django: change implies view. */
	return strcmp(action, "view") == 0 &&
	    auth_has_perm(r, r->user, model_perm(r, m, "change"));
}

bool
admin_may_page(struct req *r, const struct admin_page *p)
{
	return admin_is_staff(r) && (p->perm == NULL ||
	    auth_has_perm(r, r->user, p->perm));
}

/* ---- messages ----------------------------------------------------------- */

static const char *const msg_kinds[] = {
	"success", "info", "warning", "error", NULL
};

void
admin_message(struct req *r, const char *kind, const char *fmt, ...)
{
	char		 text[MSG_MAX], payload[MSG_MAX + 32], mac[65];
	char		 b64[sodium_base64_ENCODED_LEN(MSG_MAX + 32,
			    sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	size_t		 k = 0;
	va_list		 ap;

	for (size_t i = 0; msg_kinds[i] != NULL; i++)
		if (strcmp(kind, msg_kinds[i]) == 0)
			k = i;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	snprintf(payload, sizeof(payload), "%zu:%s", k, text);
	sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)payload,
	    strlen(payload), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	auth_mac_hex(b64, mac);
	http_set_cookie(r, MSG_COOKIE, arena_printf(r->arena, "%s.%.32s",
	    b64, mac), 300, COOKIE_HTTPONLY | COOKIE_PERSIST);
}

/* The message of the cookie, once, into Admin.messages.0. */
static void
message_export(struct req *r)
{
	const char	*c = req_cookie(r, MSG_COOKIE), *dot;
	unsigned char	 payload[MSG_MAX + 32];
	char		 mac[65], *b64;
	size_t		 n;
	unsigned long	 k;
	char		*end;

	if (c == NULL || (dot = strrchr(c, '.')) == NULL)
		return;
	http_set_cookie(r, MSG_COOKIE, "", 0, COOKIE_HTTPONLY);
	b64 = arena_strndup(r->arena, c, (size_t)(dot - c));
	auth_mac_hex(b64, mac);
	if (strlen(dot + 1) != 32 || sodium_memcmp(dot + 1, mac, 32) != 0 ||
	    sodium_base642bin(payload, sizeof(payload) - 1, b64, strlen(b64),
	    NULL, &n, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return;
	payload[n] = '\0';
	k = strtoul((const char *)payload, &end, 10);
	if (*end != ':' || k >= NELEM(msg_kinds) - 1 ||
	    !util_is_utf8(end + 1, strlen(end + 1)))
		return;
	render_set(r, "Admin.messages.0.text", end + 1);
	render_set(r, "Admin.messages.0.kind", msg_kinds[k]);
}

/* ---- layout -------------------------------------------------------------- */

static void
nav_export(struct req *r)
{
	const struct admin_model *const *ms = admin_models();
	const char	*groups[32];
	size_t		 ng = 0;

	/* Groups in the order they first appear: models, then pages. */
	for (size_t i = 0; ms[i] != NULL && ng < NELEM(groups); i++) {
		size_t	 g;

		for (g = 0; g < ng && strcmp(groups[g], ms[i]->group); g++)
			;
		if (g == ng)
			groups[ng++] = ms[i]->group;
	}
	for (const struct admin_page *p = reg_pages; p != NULL &&
	    p->label != NULL && ng < NELEM(groups); p++) {
		size_t	 g;

		for (g = 0; g < ng && strcmp(groups[g], p->group); g++)
			;
		if (g == ng)
			groups[ng++] = p->group;
	}
	for (size_t g = 0, gi = 0; g < ng; g++) {
		struct render_node *n = NULL;
		size_t	 k = 0;

		for (size_t i = 0; ms[i] != NULL; i++) {
			const struct model *m = model_find(ms[i]->model);
			const char	*url;
			struct render_node *it;

			if (strcmp(ms[i]->group, groups[g]) != 0 ||
			    !admin_may(r, m, "view"))
				continue;
			if (n == NULL) {
				n = render_node(r, "Admin.nav.%zu", gi++);
				render_node_set(r, n, "name", groups[g]);
			}
			url = router_url(r, "admin_changelist", m->name);
			it = render_node(r, "Admin.nav.%zu.items.%zu", gi - 1,
			    k++);
			render_node_set(r, it, "label",
			    admin_capfirst(r, m->verbose_plural));
			render_node_set(r, it, "url", url);
			if (strncmp(r->path, url, strlen(url)) == 0)
				render_node_set(r, it, "current", "1");
		}
		for (const struct admin_page *p = reg_pages; p != NULL &&
		    p->label != NULL; p++) {
			const char	*url;
			struct render_node *it;
			int64_t		 b;

			if (strcmp(p->group, groups[g]) != 0 ||
			    !admin_may_page(r, p))
				continue;
			if (n == NULL) {
				n = render_node(r, "Admin.nav.%zu", gi++);
				render_node_set(r, n, "name", groups[g]);
			}
			url = router_url(r, p->route);
			it = render_node(r, "Admin.nav.%zu.items.%zu", gi - 1,
			    k++);
			render_node_set(r, it, "label", p->label);
			render_node_set(r, it, "url", url);
			if (strncmp(r->path, url, strlen(url)) == 0)
				render_node_set(r, it, "current", "1");
			if (p->badge != NULL && (b = p->badge(r)) > 0)
				render_node_set(r, it, "badge",
				    admin_badge_text(r, b));
		}
	}
}

const char *
admin_badge_text(struct req *r, int64_t n)
{
	return n > ADMIN_BADGE_MAX ? arena_printf(r->arena, "%d+",
	    ADMIN_BADGE_MAX) : arena_printf(r->arena, "%" PRId64, n);
}

const char *
admin_capfirst(struct req *r, const char *s)
{
	char	*c = arena_strdup(r->arena, s != NULL ? s : "");

	if (c[0] >= 'a' && c[0] <= 'z')
		c[0] = (char)(c[0] - 'a' + 'A');
	return c;
}

void
admin_crumb(struct req *r, const char *label, const char *url)
{
	struct render_node *n;
	static const char *const key = "Admin.crumbs.%d";
	int		 i;

	for (i = 0; i < 16; i++) {
		char	 name[40];

		snprintf(name, sizeof(name), "Admin.crumbs.%d.label", i);
		if (render_get(r, name) == NULL)
			break;
	}
	n = render_node(r, key, i);
	render_node_set(r, n, "label", label);
	if (url != NULL)
		render_node_set(r, n, "url", url);
}

int
admin_render(struct req *r, const char *tmpl, const char *title)
{
	r->private_page = true;
	render_set(r, "Admin.title", title);
	render_set(r, "Admin.index", router_url(r, "admin_index"));
	render_set(r, "CSRF.token", csrf_token(r));
	nav_export(r);
	message_export(r);
	return render(r, tmpl);
}

/* ---- history ------------------------------------------------------------ */

const char *
admin_version(struct req *r, const struct model *m, const char *const *v)
{
	crypto_generichash_state st;
	unsigned char	 h[16];
	char		*hex = arena_alloc(r->arena, 33);
	size_t		 i = 0;

	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	for (const struct model_field *f = m->fields; f->name != NULL;
	    f++, i++) {
		if (v[i] == NULL || (f->flags & MF_VIRTUAL))
			continue;
		crypto_generichash_update(&st, (const unsigned char *)f->name,
		    strlen(f->name) + 1);
		crypto_generichash_update(&st, (const unsigned char *)v[i],
		    strlen(v[i]) + 1);
	}
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(hex, 33, h, sizeof(h));
	return hex;
}

const char *
admin_snapshot(struct req *r, const struct model *m, const char *const *v)
{
	json_t		*o = json_object();
	char		*s;
	const char	*out;
	size_t		 i = 0;

	for (const struct model_field *f = m->fields; f->name != NULL;
	    f++, i++)
		if (v[i] != NULL && !(f->flags & MF_VIRTUAL))
			json_object_set_new(o, f->name, json_string(v[i]));
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (s == NULL)
		abort();
	out = arena_strdup(r->arena, s);
	free(s);
	return out;
}

const char *
admin_diff(struct req *r, const struct model *m, const char *const *before,
    const char *const *after)
{
	json_t		*a = json_array(), *e;
	char		*s;
	const char	*out = NULL, *old;
	size_t		 i = 0;

	for (const struct model_field *f = m->fields; f->name != NULL;
	    f++, i++) {
		if ((f->flags & MF_VIRTUAL) || after[i] == NULL)
			continue;
		old = before != NULL && before[i] != NULL ? before[i] : "";
		if (strcmp(old, after[i]) == 0)
			continue;
		e = json_object();
		json_object_set_new(e, "field", json_string(f->name));
		json_object_set_new(e, "label", json_string(f->label));
		json_object_set_new(e, "old", json_string(old));
		json_object_set_new(e, "new", json_string(after[i]));
		json_array_append_new(a, e);
	}
	if (json_array_size(a) > 0 && (s = json_dumps(a, JSON_COMPACT)) !=
	    NULL) {
		out = arena_strdup(r->arena, s);
		free(s);
	}
	json_decref(a);
	return out;
}

const char **
admin_revert_values(struct req *r, const struct model *m,
    const char *const *current, const char *json, bool undo)
{
	json_t		*j, *e;
	const char	**v;
	size_t		 n = model_nfields(m), i;

	if ((j = json_loads(json, 0, NULL)) == NULL ||
	    (undo ? !json_is_array(j) : !json_is_object(j))) {
		json_decref(j);
		return NULL;
	}
	v = arena_zalloc(r->arena, (n + 1) * sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = current[i];
	if (undo) {
		json_array_foreach(j, i, e) {
			const struct model_field *f = model_field(m,
			    json_string_value(json_object_get(e, "field")));
			const char	*old = json_string_value(
			    json_object_get(e, "old"));

			if (f != NULL && old != NULL && !(f->flags & MF_VIRTUAL))
				v[f - m->fields] = arena_strdup(r->arena, old);
		}
	} else
		for (i = 0; i < n; i++) {
			const char	*sv = json_string_value(json_object_get(j,
			    m->fields[i].name));

			if (sv != NULL && !(m->fields[i].flags & MF_VIRTUAL))
				v[i] = arena_strdup(r->arena, sv);
		}
	json_decref(j);
	return v;
}

const char *
admin_log_action_name(enum admin_log_action a)
{
	return a < ADMIN_LOG__MAX ? log_names[a] : "change";
}

int64_t
admin_log(struct req *r, const char *model, int64_t id, const char *repr,
    enum admin_log_action action, const char *changes,
    const char *snapshot)
{
	sqlite3_stmt	*st;
	int64_t		 logid;

	if ((st = db_stmt(r, "INSERT INTO admin_log (action_time, user_id, "
	    "username, model, object_id, object_repr, action, changes, "
	    "snapshot) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")) == NULL)
		return -1;
	db_bind_int64(r, st, 1, util_wall_us() / 1000000);
	if (r->user != NULL) {
		db_bind_int64(r, st, 2, r->user->id);
		db_bind_text(r, st, 3, r->user->username);
	} else {
		db_bind_null(r, st, 2);
		db_bind_text(r, st, 3, "");
	}
	db_bind_text(r, st, 4, model);
	db_bind_int64(r, st, 5, id);
	db_bind_text(r, st, 6, repr != NULL ? repr : "");
	db_bind_text(r, st, 7, admin_log_action_name(action));
	if (changes != NULL)
		db_bind_text(r, st, 8, changes);
	else
		db_bind_null(r, st, 8);
	if (snapshot != NULL)
		db_bind_text(r, st, 9, snapshot);
	else
		db_bind_null(r, st, 9);
	if (db_step(r, st) != SQLITE_DONE) {
		db_done(r, st);
		return -1;
	}
	db_done(r, st);
	logid = sqlite3_last_insert_rowid(db_handle());
	return logid;
}
