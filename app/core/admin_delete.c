/*
 * admin_delete: the delete page, /admin/{model}/{id}/delete/: what a
 * delete would take along or be refused by, the move to the trash of
 * models that have one, and the restore from it.  Bulk delete
 * (admin_list.c) deletes through admin_delete_row() too.
 */
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "core/admin.h"
#include "core/admin_internal.h"
#include "core/arena.h"
#include "core/db.h"
#include "core/form.h"
#include "core/http.h"
#include "core/model.h"
#include "core/render.h"
#include "core/router.h"

/*
 * Put what deleting row id would take along into prefix.related.N
 * (label, count), counted with capped queries; *protect set when a
 * protected relation holds rows.  0 or -1.
 */
int
admin_related_export(struct req *r, const struct admin_model *am,
    const int64_t *ids, size_t n, const char *prefix, bool *protect)
{
	int	 k = 0;

	*protect = false;
	for (const struct admin_related *rel = am->related; rel != NULL &&
	    rel->table != NULL; rel++) {
		int64_t		 sum = 0, c;
		bool		 more = false, m1;
		struct render_node *node;

		for (size_t i = 0; i < n && sum < ADMIN_RELATED_CAP; i++) {
			if ((c = model_count_refs(r, rel->table, rel->column,
			    ids[i], ADMIN_RELATED_CAP - sum, &m1)) < 0)
				return -1;
			sum += c;
			more |= m1;
		}
		if (sum == 0)
			continue;
		if (rel->on_delete == ADMIN_PROTECT)
			*protect = true;
		node = render_node(r, "%s.related.%d", prefix, k++);
		render_node_set(r, node, "label", rel->label);
		render_node_set(r, node, "count", arena_printf(r->arena,
		    "%s%s", more ? "more than " : "", admin_thousands(r, sum)));
		render_node_set(r, node, "effect", rel->on_delete ==
		    ADMIN_PROTECT ? "protect" : rel->on_delete ==
		    ADMIN_SET_NULL ? "set_null" : "cascade");
	}
	return 0;
}

/* Is the row (values v) one that delete moves to the trash? */
bool
admin_delete_is_trash(const struct admin_model *am, const struct model *m,
    const char *const *v)
{
	const struct model_field *f;

	if (am->trash_field == NULL)
		return false;
	f = model_field(m, am->trash_field);
	return strcmp(v[admin_field_index(m, f)], am->trash_value) != 0;
}

/* A form of m holding values v (validated: nums set). */
static void
form_from(struct req *r, const struct model *m, const char *const *v,
    struct form *f)
{
	form_init(r, m, f);
	for (size_t i = 0; i < f->n; i++)
		if (v[i] != NULL)
			f->fields[i].value = v[i];
	form_validate(r, f);
}

/* Set the trash field of row id to value; log action.  0 or -1. */
static int
set_trash(struct req *r, const struct admin_model *am, const struct model *m,
    int64_t id, const char *const *before, const char *value,
    enum admin_log_action action)
{
	const struct model_field *tf = model_field(m, am->trash_field);
	size_t		 ti = admin_field_index(m, tf);
	struct form	 f;
	bool		*write;
	const char	**after;

	form_from(r, m, before, &f);
	f.fields[ti].value = value;
	write = arena_zalloc(r->arena, f.n * sizeof(*write));
	write[ti] = true;
	if (model_row_write(r, m, id, &f, write) < 0 ||
	    model_row_get(r, m, id, &after) != 1)
		return -1;
	return admin_log(r, m->name, id, model_row_str(r, m, id), action,
	    admin_diff(r, m, before, after), admin_snapshot(r, m, after)) < 0 ?
	    -1 : 0;
}

/* Delete or trash row id (values v) in the caller's transaction. */
int
admin_delete_row(struct req *r, const struct admin_model *am,
    const struct model *m, int64_t id, const char *const *v, bool *trashed)
{
	const char	*str;

	*trashed = admin_delete_is_trash(am, m, v);
	if (*trashed)
		return set_trash(r, am, m, id, v, am->trash_value,
		    ADMIN_LOG_TRASH);
	str = model_row_str(r, m, id);
	if (admin_log(r, m->name, id, str, ADMIN_LOG_DELETE, NULL,
	    admin_snapshot(r, m, v)) < 0)
		return -1;
	return model_row_delete(r, m, id);
}

/*
 * The value a restored row's trash field gets: what it was before the
 * last move to the trash (from the history), else the field's default.
 */
static const char *
restore_value(struct req *r, const struct admin_model *am,
    const struct model *m, int64_t id)
{
	const struct model_field *tf = model_field(m, am->trash_field);
	const char	*v = tf->def != NULL ? tf->def : tf->choices[0].value;
	sqlite3_stmt	*st;
	json_t		*j, *e;
	size_t		 i;

	if ((st = db_stmt(r, "SELECT changes FROM admin_log WHERE model = ?1 "
	    "AND object_id = ?2 AND action = 'trash' ORDER BY id DESC "
	    "LIMIT 1")) == NULL)
		return NULL;
	db_bind_text(r, st, 1, m->name);
	db_bind_int64(r, st, 2, id);
	if (db_step(r, st) == SQLITE_ROW && sqlite3_column_type(st, 0) ==
	    SQLITE_TEXT && (j = json_loads((const char *)
	    sqlite3_column_text(st, 0), 0, NULL)) != NULL) {
		json_array_foreach(j, i, e) {
			const char *fld = json_string_value(json_object_get(e,
			    "field"));
			const char *old = json_string_value(json_object_get(e,
			    "old"));

			if (fld != NULL && old != NULL &&
			    strcmp(fld, tf->name) == 0 &&
			    model_choice_label(tf, old) != NULL &&
			    strcmp(old, am->trash_value) != 0)
				v = arena_strdup(r->arena, old);
		}
		json_decref(j);
	}
	db_done(r, st);
	return v;
}

int
admin_page_delete(struct req *r)
{
	const struct admin_model *am;
	const struct model *m;
	const char	**v, *str, *url;
	int64_t		 id = admin_param_id(r, "id");
	bool		 protect, trashed, restore;
	int		 rc;

	if ((rc = admin_object_gate(r, "delete", &am, &m, id, &v)) != 0)
		return rc;
	str = model_row_str(r, m, id);
	restore = req_form(r, "_restore") != NULL;
	if (r->method == M_POST) {
		if (restore && (am->trash_field == NULL ||
		    admin_delete_is_trash(am, m, v))) {
			r->error_detail = "This object is not in the trash.";
			return HTTP_400;
		}
		if (db_begin_write(r) != 0)
			return HTTP_500;
		if ((rc = model_row_get(r, m, id, &v)) != 1) {
			db_rollback(r);
			return rc == 0 ? HTTP_404 : HTTP_500;
		}
		if (!restore && !admin_delete_is_trash(am, m, v)) {
			if (admin_related_export(r, am, &id, 1, "Delete",
			    &protect) != 0) {
				db_rollback(r);
				return HTTP_500;
			}
			if (protect) {
				db_rollback(r);
				admin_message(r, "error", "Cannot delete %s "
				    "\u201c%s\u201d: other objects that are "
				    "protected refer to it.", m->verbose, str);
				return http_redirect(r, HTTP_303, r->path);
			}
		}
		if (restore)
			rc = set_trash(r, am, m, id, v, restore_value(r, am, m,
			    id), ADMIN_LOG_RESTORE);
		else
			rc = admin_delete_row(r, am, m, id, v, &trashed);
		if (rc != 0 || db_commit(r) != 0) {
			db_rollback(r);
			return HTTP_500;
		}
		url = router_url(r, "admin_changelist", m->name);
		if (restore) {
			admin_message(r, "success", "%s was restored.",
			    admin_obj_name(r, m, str));
			url = router_url(r, "admin_change", m->name,
			    admin_i64(r, id));
		} else if (trashed)
			admin_message(r, "success", "%s was moved to the trash. "
			    "It can be restored from its page until the "
			    "trash is emptied.", admin_obj_name(r, m, str));
		else
			admin_message(r, "success", "%s was deleted "
			    "successfully.", admin_obj_name(r, m, str));
		return http_redirect(r, HTTP_303, url);
	}
	render_set(r, "Delete.object", str != NULL ? str : "");
	render_set(r, "Delete.verbose", m->verbose);
	render_set(r, "Delete.url", router_url(r, "admin_change", m->name,
	    admin_i64(r, id)));
	if (admin_delete_is_trash(am, m, v))
		render_set(r, "Delete.trash", "1");
	else {
		if (admin_related_export(r, am, &id, 1, "Delete",
		    &protect) != 0)
			return HTTP_500;
		if (protect)
			render_set(r, "Delete.protected", "1");
	}
	admin_crumbs_model(r, m, str, router_url(r, "admin_change", m->name,
	    admin_i64(r, id)), "Delete");
	return admin_render(r, "admin/delete_confirmation.cs", "Are you sure?");
}
