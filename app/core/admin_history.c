/*
 * admin_history: an object's history, /admin/{model}/{id}/history/, with
 * revert to a version and undo of a change (saved as the change page
 * saves, admin_save_form()), and the log of every change,
 * /admin/log/, for superusers.  The admin_log table itself and the
 * diffs and snapshots in it are admin.c's.
 */
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "core/admin.h"
#include "core/admin_internal.h"
#include "core/arena.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/form.h"
#include "core/http.h"
#include "core/model.h"
#include "core/render.h"
#include "core/router.h"
#include "core/util.h"

#define LOG_PAGE	50	/* entries per page of history */

/* Entry's changes (JSON) into prefix.changes.N: label, old, new. */
static void
changes_export(struct req *r, const struct model *m, const char *json,
    const char *prefix)
{
	json_t		*j, *e;
	size_t		 i;

	if (json == NULL || (j = json_loads(json, 0, NULL)) == NULL)
		return;
	json_array_foreach(j, i, e) {
		const char	*fld = json_string_value(json_object_get(e,
		    "field"));
		const char	*label = json_string_value(json_object_get(e,
		    "label"));
		const char	*old = json_string_value(json_object_get(e,
		    "old"));
		const char	*nw = json_string_value(json_object_get(e,
		    "new"));
		const struct model_field *f = m != NULL ? model_field(m, fld) :
		    NULL;
		struct render_node *n = render_node(r, "%s.changes.%zu",
		    prefix, i);

		if (fld == NULL || old == NULL || nw == NULL)
			continue;
		render_node_set(r, n, "label", label != NULL ? label : fld);
		render_node_set(r, n, "old", f != NULL ?
		    admin_value_text(r, f, old) : old);
		render_node_set(r, n, "new", f != NULL ?
		    admin_value_text(r, f, nw) : nw);
	}
	json_decref(j);
}

/* Django's words for a history action. */
static const char *
action_label(const char *a)
{
	static const struct {
		const char	*name;
		const char	*label;
	} labels[] = {
		{ "add", "Added" }, { "change", "Changed" },
		{ "delete", "Deleted" }, { "trash", "Moved to trash" },
		{ "restore", "Restored from trash" },
		{ "revert", "Reverted" },
	};

	for (size_t i = 0; i < NELEM(labels); i++)
		if (strcmp(labels[i].name, a) == 0)
			return labels[i].label;
	return a;
}

/* ?before=<log id>: the page of entries older than it (0: newest). */
static int
before_param(struct req *r, int64_t *before)
{
	const char	*b = req_query(r, "before");
	long long	 v;

	*before = INT64_MAX;
	if (b == NULL)
		return 0;
	if (util_parse_int(b, 1, INT64_MAX, &v) != 0) {
		r->error_detail = "The page link is not valid.";
		return HTTP_400;
	}
	*before = v;
	return 0;
}

int
admin_page_history(struct req *r)
{
	const struct admin_model *am;
	const struct model *m;
	const char	**v, *str;
	sqlite3_stmt	*st;
	int64_t		 id = admin_param_id(r, "id"), before, last = 0;
	bool		 may_change, exists;
	int		 rc, k = 0;

	if ((rc = admin_model_gate(r, "view", &am, &m)) != 0)
		return rc;
	if ((rc = before_param(r, &before)) != 0)
		return rc;
	/* A deleted object's history stays readable to its model's staff. */
	if ((rc = model_row_get(r, m, id, &v)) < 0)
		return HTTP_500;
	if (rc == 1 && !admin_may_row(r, am, m, v))
		return HTTP_403;
	exists = rc == 1;
	may_change = exists && admin_may(r, m, "change");
	str = exists ? model_row_str(r, m, id) : NULL;
	/*
	 * SQLite may give a new row the id of one deleted before it: an
	 * object's history starts after the last deletion of its id (a
	 * row that is gone shows the history up to its deletion).
	 */
	if ((st = db_stmt(r, "SELECT id, action_time, username, action, "
	    "changes, snapshot IS NOT NULL, object_repr FROM admin_log "
	    "WHERE model = ?1 AND object_id = ?2 AND id < ?3 AND (?5 = 0 OR "
	    "id > (SELECT coalesce(max(id), 0) FROM admin_log WHERE "
	    "model = ?1 AND object_id = ?2 AND action = 'delete')) "
	    "ORDER BY id DESC LIMIT ?4")) == NULL)
		return HTTP_500;
	db_bind_text(r, st, 1, m->name);
	db_bind_int64(r, st, 2, id);
	db_bind_int64(r, st, 3, before);
	db_bind_int64(r, st, 4, LOG_PAGE + 1);
	db_bind_int64(r, st, 5, exists);
	while ((rc = db_step(r, st)) == SQLITE_ROW) {
		struct render_node *n;
		const char	*action = db_col_strdup(r, st, 3);
		int64_t		 lid = sqlite3_column_int64(st, 0);

		if (k == LOG_PAGE) {
			render_set(r, "History.next_url", arena_printf(r->arena,
			    "%s?before=%" PRId64, r->path, last));
			break;
		}
		if (str == NULL)
			str = db_col_strdup(r, st, 6);
		n = render_node(r, "History.entries.%d", k);
		render_node_set(r, n, "time", admin_when(r,
		    sqlite3_column_int64(st, 1)));
		render_node_set(r, n, "user", db_col_strdup(r, st, 2));
		render_node_set(r, n, "action", action);
		render_node_set(r, n, "action_label", action_label(action));
		changes_export(r, m, sqlite3_column_type(st, 4) == SQLITE_TEXT ?
		    (const char *)sqlite3_column_text(st, 4) : NULL,
		    arena_printf(r->arena, "History.entries.%d", k));
		/* Every version but the current one can be gone back to;
		 * every change can be undone. */
		if (may_change && strcmp(action, "delete") != 0)
			render_node_set(r, n, "revert_url", router_url(r,
			    "admin_revert", m->name, admin_i64(r, id),
			    admin_i64(r, lid)));
		if (may_change && sqlite3_column_int(st, 5) &&
		    strcmp(action, "delete") != 0 &&
		    (k > 0 || before != INT64_MAX))
			render_node_set(r, n, "can_revert", "1");
		if (may_change && sqlite3_column_type(st, 4) == SQLITE_TEXT &&
		    strcmp(action, "add") != 0 && strcmp(action, "delete") != 0)
			render_node_set(r, n, "can_undo", "1");
		last = lid;
		k++;
	}
	db_done(r, st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return HTTP_500;
	if (str == NULL)
		return HTTP_404;
	render_set(r, "History.object", str);
	if (exists)
		render_set(r, "History.change_url", router_url(r, "admin_change",
		    m->name, admin_i64(r, id)));
	admin_crumbs_model(r, m, str, router_url(r, "admin_change", m->name,
	    admin_i64(r, id)), "History");
	return admin_render(r, "admin/object_history.cs", arena_printf(
	    r->arena, "Change history: %s", str));
}

int
admin_page_revert(struct req *r)
{
	const struct admin_model *am;
	const struct model *m;
	const char	**v, **nv, *snap = NULL;
	int64_t		 id = admin_param_id(r, "id"), nid;
	int64_t		 lid = admin_param_id(r, "log");
	sqlite3_stmt	*st;
	struct form	 f;
	struct admin_plan	 p;
	bool		 write[MODEL_FIELDS_MAX], stale;
	int		 undo = req_form(r, "_undo") != NULL;
	int		 rc;

	if ((rc = admin_object_gate(r, "change", &am, &m, id, &v)) != 0)
		return rc;
	/* "Revert to this version": the entry's snapshot.  "Undo this
	 * change": its changes' old values, over the current ones. */
	if ((st = db_stmt(r, "SELECT snapshot, changes FROM admin_log "
	    "WHERE id = ?1 AND model = ?2 AND object_id = ?3 "
	    "AND action <> 'delete' AND id > (SELECT coalesce(max(id), 0) "
	    "FROM admin_log WHERE model = ?2 AND object_id = ?3 "
	    "AND action = 'delete')")) == NULL)
		return HTTP_500;
	db_bind_int64(r, st, 1, lid);
	db_bind_text(r, st, 2, m->name);
	db_bind_int64(r, st, 3, id);
	if (db_step(r, st) == SQLITE_ROW && sqlite3_column_type(st,
	    undo) == SQLITE_TEXT)
		snap = db_col_strdup(r, st, undo);
	db_done(r, st);
	if (snap == NULL || (nv = admin_revert_values(r, m, v, snap, undo)) ==
	    NULL)
		return req_failed(r) ? HTTP_500 : HTTP_404;
	/* The current values, with the version's for what the user may
	 * edit: the same form, checks and save as the change page. */
	admin_plan_form(r, am, m, false, false, &p);
	form_init(r, m, &f);
	for (size_t i = 0; i < f.n; i++) {
		write[i] = p.editable[i] && nv[i] != NULL && (v[i] == NULL ||
		    strcmp(nv[i], v[i]) != 0);
		f.fields[i].value = write[i] ? nv[i] : v[i] != NULL ? v[i] :
		    "";
	}
	rc = admin_save_form(r, am, m, id, &f, write, NULL, ADMIN_LOG_REVERT,
	    &nid, &stale);
	if (rc < 0)
		return HTTP_500;
	if (rc > 0) {
		const char	*why = f.error;

		for (size_t i = 0; why == NULL && i < f.n; i++)
			if (f.fields[i].error != NULL)
				why = arena_printf(r->arena, "%s: %s",
				    f.fields[i].field->label,
				    f.fields[i].error);
		admin_message(r, "error", "This version cannot be restored: "
		    "%s", why != NULL ? why : "it is not valid now.");
		return http_redirect(r, HTTP_303, router_url(r,
		    "admin_history", m->name, admin_i64(r, id)));
	}
	admin_message(r, "success", undo ? "%s: the change was undone. You "
	    "may edit it again below." : "%s was reverted to the chosen "
	    "version. You may edit it again below.",
	    admin_obj_name(r, m, model_row_str(r, m, id)));
	return http_redirect(r, HTTP_303, router_url(r, "admin_change",
	    m->name, admin_i64(r, id)));
}

int
admin_page_log(struct req *r)
{
	const char	*user = req_query(r, "user"), *model = req_query(r,
	    "model");
	const struct admin_model *const *ms = admin_models();
	sqlite3_stmt	*st;
	int64_t		 before, last = 0, uid = 0;
	int		 rc, k = 0;

	if ((rc = admin_guard(r)) != 0)
		return rc;
	if (!r->user->is_superuser)
		return HTTP_403;
	if ((rc = before_param(r, &before)) != 0)
		return rc;
	for (size_t i = 0; i < r->query_params.n; i++) {
		const char	*key = r->query_params.v[i].key;

		if (strcmp(key, "user") != 0 && strcmp(key, "model") != 0 &&
		    strcmp(key, "before") != 0) {
			r->error_detail = "The log can be filtered by user "
			    "and model only.";
			return HTTP_400;
		}
	}
	if (model != NULL && strlen(model) > 64) {
		r->error_detail = "There is no such model.";
		return HTTP_400;
	}
	if (user != NULL && *user != '\0') {
		struct user	*u = auth_user_by_login(r, user);

		if (u == NULL) {
			r->error_detail = "There is no such user.";
			return HTTP_400;
		}
		uid = u->id;
		render_set(r, "Log.user", user);
	}
	if (model != NULL && *model != '\0')
		render_set(r, "Log.model", model);
	for (size_t i = 0; ms[i] != NULL; i++) {
		const struct model *m = model_find(ms[i]->model);

		render_set(r, arena_printf(r->arena, "Log.models.%zu.name", i),
		    m->name);
		render_set(r, arena_printf(r->arena, "Log.models.%zu.label",
		    i), admin_capfirst(r, m->verbose_plural));
	}
	if ((st = db_stmt(r, "SELECT id, action_time, username, model, "
	    "object_id, object_repr, action, changes FROM admin_log "
	    "WHERE id < ?1 AND (?2 = 0 OR user_id = ?2) "
	    "AND (?3 = '' OR model = ?3) ORDER BY id DESC LIMIT ?4")) == NULL)
		return HTTP_500;
	db_bind_int64(r, st, 1, before);
	db_bind_int64(r, st, 2, uid);
	db_bind_text(r, st, 3, model != NULL ? model : "");
	db_bind_int64(r, st, 4, LOG_PAGE + 1);
	while ((rc = db_step(r, st)) == SQLITE_ROW) {
		const char	*mname = db_col_strdup(r, st, 3);
		const char	*action = db_col_strdup(r, st, 6);
		const struct model *m = model_find(mname);
		struct render_node *n;
		const char	*prefix = arena_printf(r->arena,
		    "Log.entries.%d", k);

		if (k == LOG_PAGE) {
			render_set(r, "Log.next_url", admin_list_url(r, r->path,
			    "before", admin_i64(r, last), NULL, NULL));
			break;
		}
		n = render_node(r, "%s", prefix);
		render_node_set(r, n, "time", admin_when(r,
		    sqlite3_column_int64(st, 1)));
		render_node_set(r, n, "user", db_col_strdup(r, st, 2));
		render_node_set(r, n, "model", m != NULL ? m->verbose : mname);
		render_node_set(r, n, "object", db_col_strdup(r, st, 5));
		render_node_set(r, n, "action_label", action_label(action));
		if (m != NULL && admin_model_find(mname) != NULL)
			render_node_set(r, n, "history_url", router_url(r,
			    "admin_history", mname,
			    admin_i64(r, sqlite3_column_int64(st, 4))));
		changes_export(r, m, sqlite3_column_type(st, 7) == SQLITE_TEXT ?
		    (const char *)sqlite3_column_text(st, 7) : NULL, prefix);
		last = sqlite3_column_int64(st, 0);
		k++;
	}
	db_done(r, st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return HTTP_500;
	if (before != INT64_MAX)
		render_set(r, "Log.first_url", admin_list_url(r, r->path,
		    "before", NULL, NULL, NULL));
	admin_crumb(r, "Log", NULL);
	return admin_render(r, "admin/log.cs", "Log of changes");
}
