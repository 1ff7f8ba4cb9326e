/*
 * admin_form: the add and change pages, /admin/{model}/add/ and
 * /admin/{model}/{id}/: which fields a user sees and may edit, their
 * widgets, validation (the metadata's, the registry's hook, unique
 * values and foreign keys), the save with its history entry and the
 * concurrent-edit check; and the two endpoints the form calls, the
 * foreign-key autocomplete and the Markdown preview.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/admin.h"
#include "core/admin_internal.h"
#include "core/arena.h"
#include "core/auth.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/form.h"
#include "core/http.h"
#include "core/markdown.h"
#include "core/model.h"
#include "core/render.h"
#include "core/router.h"
#include "core/util.h"

#define SELECT_MAX	200	/* a FK target with more rows: autocomplete */
#define CHECKBOX_MAX	500	/* many-to-many choices shown */

static bool
name_in(const char *const *list, const char *name)
{
	for (size_t i = 0; list != NULL && list[i] != NULL; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

static const struct admin_fieldset *
fieldsets_of(const struct admin_model *am, bool add)
{
	return add && am->add_fieldsets != NULL ? am->add_fieldsets :
	    am->fieldsets;
}

void
admin_plan_form(struct req *r, const struct admin_model *am,
    const struct model *m, bool add, bool view_only, struct admin_plan *p)
{
	const struct admin_fieldset *fs = fieldsets_of(am, add);
	bool		 restricted = admin_is_owner_restricted(r, am);
	size_t		 i = 0;

	memset(p, 0, sizeof(*p));
	p->view_only = view_only;
	for (const struct model_field *f = m->fields; f->name != NULL;
	    f++, i++) {
		if (fs != NULL) {
			for (const struct admin_fieldset *s = fs;
			    s->fields != NULL; s++)
				p->shown[i] |= name_in(s->fields, f->name);
		} else
			p->shown[i] = (f->flags & (MF_EDITABLE |
			    MF_READONLY)) && (!(f->flags & MF_VIRTUAL) || add);
		p->editable[i] = p->shown[i] && !view_only &&
		    model_field_is_editable(f) &&
		    !(name_in(am->superuser_only, f->name) &&
		    !r->user->is_superuser) &&
		    !(restricted && strcmp(f->name, am->owner_field) == 0);
	}
}

/* The widget of field f: what the template draws. */
static const char *
widget_of(struct req *r, const struct admin_model *am,
    const struct model_field *f)
{
	static const char *const widgets[MODEL__MAX] = {
		[MODEL_TEXT] = "text", [MODEL_LONGTEXT] = "textarea",
		[MODEL_MARKDOWN] = "markdown", [MODEL_INTEGER] = "number",
		[MODEL_BOOLEAN] = "checkbox", [MODEL_CHOICE] = "select",
		[MODEL_DATETIME] = "datetime", [MODEL_EMAIL] = "email",
		[MODEL_URL] = "url", [MODEL_SLUG] = "text",
		[MODEL_FOREIGN_KEY] = "select",
		[MODEL_MANY_TO_MANY] = "checkboxes", [MODEL_FILE] = "text",
		[MODEL_PASSWORD] = "password",
	};
	const struct model *t;
	struct params	 none = { NULL, 0, 0 };
	struct model_query q;
	bool		 more = false;

	if (f->type == MODEL_FOREIGN_KEY) {
		if (name_in(am->autocomplete, f->name))
			return "autocomplete";
		t = model_find(f->target);
		if (model_query_parse(r, t, &none, &q) != 0 ||
		    model_count_capped(r, &q, SELECT_MAX, &more) < 0 || more)
			return "autocomplete";
	}
	return widgets[f->type];
}

/* Options of a select (FK) or checkboxes (M2M): the target's rows. */
static int
options_export(struct req *r, const struct render_node *unused,
    const char *prefix, const struct model_field *f, const char *value,
    int max)
{
	const struct model *t = model_find(f->target);
	const char	*cols[] = { t->str_field, NULL };
	struct params	 none = { NULL, 0, 0 };
	struct model_query q;
	struct model_page pg;

	(void)unused;
	if (model_query_parse(r, t, &none, &q) != 0)
		return -1;
	q.limit = max;
	if (model_list(r, &q, cols, &pg) != 0)
		return -1;
	for (size_t j = 0; j < pg.n; j++) {
		struct render_node *o = render_node(r, "%s.options.%zu",
		    prefix, j);
		const char	*id = admin_i64(r, pg.rows[j].pk);
		bool		 sel = false;
		const char	*p = value;
		size_t		 n, idn = strlen(id);

		/* value: "7" (FK) or "3,7" (M2M). */
		while (p != NULL && *p != '\0' && !sel) {
			n = strcspn(p, ",");
			sel = n == idn && strncmp(p, id, n) == 0;
			p += n + (p[n] == ',');
		}
		render_node_set(r, o, "value", id);
		render_node_set(r, o, "label", pg.rows[j].values[0] != NULL ?
		    pg.rows[j].values[0] : id);
		if (sel)
			render_node_set(r, o, "selected", "1");
	}
	return 0;
}

/* One field of the form into prefix ("Form.fieldsets.0.fields.3"). */
static int
field_export(struct req *r, const struct admin_model *am,
    const struct form_field *ff, bool editable, const char *prefix,
    bool preview)
{
	const struct model_field *f = ff->field;
	struct render_node *n = render_node(r, "%s", prefix);
	const char	*w = editable ? widget_of(r, am, f) : "readonly";

	render_node_set(r, n, "name", f->name);
	render_node_set(r, n, "id", arena_printf(r->arena, "id_%s", f->name));
	render_node_set(r, n, "label", f->label);
	render_node_set(r, n, "widget", w);
	if (f->type != MODEL_PASSWORD)
		render_node_set(r, n, "value", ff->value);
	render_node_set(r, n, "display", admin_value_text(r, f, ff->value));
	if (ff->error != NULL)
		render_node_set(r, n, "error", ff->error);
	if (f->help != NULL)
		render_node_set(r, n, "help", f->help);
	if (editable && (f->flags & MF_REQUIRED))
		render_node_set(r, n, "required", "1");
	if (f->max > 0 && f->type != MODEL_INTEGER)
		render_node_set(r, n, "max", admin_i64(r, f->max));
	if (f->type == MODEL_INTEGER && f->min < f->max) {
		render_node_set(r, n, "min", admin_i64(r, f->min));
		render_node_set(r, n, "max", admin_i64(r, f->max));
	}
	if (am->prepopulate != NULL && strcmp(f->name, am->prepopulate) == 0)
		render_node_set(r, n, "prepopulate_from", arena_printf(
		    r->arena, "id_%s", am->prepopulate_from));
	if (!editable)
		return 0;
	if (f->type == MODEL_CHOICE)
		for (size_t j = 0; f->choices[j].value != NULL; j++) {
			struct render_node *o = render_node(r,
			    "%s.options.%zu", prefix, j);

			render_node_set(r, o, "value", f->choices[j].value);
			render_node_set(r, o, "label", f->choices[j].label);
			if (strcmp(f->choices[j].value, ff->value) == 0)
				render_node_set(r, o, "selected", "1");
		}
	else if (strcmp(w, "select") == 0)
		return options_export(r, NULL, prefix, f, ff->value,
		    SELECT_MAX);
	else if (strcmp(w, "checkboxes") == 0)
		return options_export(r, NULL, prefix, f, ff->value,
		    CHECKBOX_MAX);
	else if (strcmp(w, "autocomplete") == 0) {
		render_node_set(r, n, "autocomplete_url", router_url(r,
		    "admin_autocomplete", f->target));
		if (*ff->value != '\0')
			render_node_set(r, n, "current", admin_fk_display(r, f,
			    ff->value));
	} else if (f->type == MODEL_MARKDOWN && preview) {
		struct buf	 b;

		buf_init(&b);
		if (markdown_article(ff->value, strlen(ff->value), &b) == 0)
			render_node_set(r, n, "preview", b.ptr != NULL ?
			    b.ptr : "");
		buf_free(&b);
	}
	return 0;
}

/* The form f, by fieldsets, into Form.*. */
static int
form_export_admin(struct req *r, const struct admin_model *am,
    const struct model *m, const struct form *f, const struct admin_plan *p,
    bool add, bool preview)
{
	const struct admin_fieldset *fs = fieldsets_of(am, add);
	static const struct admin_fieldset all[] = { { NULL, NULL, NULL } };
	int		 nerr = 0;

	if (f->error != NULL)
		render_set(r, "Form.error", f->error);
	for (size_t i = 0; i < f->n; i++)
		if (f->fields[i].error != NULL && p->shown[i])
			nerr++;
	if (nerr > 0 || f->error != NULL)
		render_set(r, "Form.has_errors", nerr > 1 ?
		    "Please correct the errors below." :
		    "Please correct the error below.");
	if (fs == NULL) {
		size_t	 k = 0;

		fs = all;
		for (size_t i = 0; i < f->n; i++)
			if (p->shown[i] && field_export(r, am, &f->fields[i],
			    p->editable[i], arena_printf(r->arena,
			    "Form.fieldsets.0.fields.%zu", k++), preview) != 0)
				return -1;
		return 0;
	}
	for (size_t s = 0; fs[s].fields != NULL; s++) {
		if (fs[s].title != NULL)
			render_set(r, arena_printf(r->arena,
			    "Form.fieldsets.%zu.title", s), fs[s].title);
		if (fs[s].description != NULL)
			render_set(r, arena_printf(r->arena,
			    "Form.fieldsets.%zu.description", s),
			    fs[s].description);
		for (size_t k = 0; fs[s].fields[k] != NULL; k++) {
			const struct model_field *mf = model_field(m,
			    fs[s].fields[k]);
			size_t	 i = admin_field_index(m, mf);

			if (field_export(r, am, &f->fields[i], p->editable[i],
			    arena_printf(r->arena,
			    "Form.fieldsets.%zu.fields.%zu", s, k), preview)
			    != 0)
				return -1;
		}
	}
	return 0;
}

/* Who last changed object id, and when, from the history (for the
 * concurrent-edit message); "someone" if unknown. */
static const char *
last_editor(struct req *r, const struct model *m, int64_t id)
{
	sqlite3_stmt	*st;
	const char	*who = "someone else";

	if ((st = db_stmt(r, "SELECT username, action_time FROM admin_log "
	    "WHERE model = ?1 AND object_id = ?2 ORDER BY id DESC "
	    "LIMIT 1")) == NULL)
		return who;
	db_bind_text(r, st, 1, m->name);
	db_bind_int64(r, st, 2, id);
	if (db_step(r, st) == SQLITE_ROW)
		who = arena_printf(r->arena, "%s (%s)",
		    *sqlite3_column_text(st, 0) != '\0' ?
		    db_col_strdup(r, st, 0) : "someone else",
		    admin_when(r, sqlite3_column_int64(st, 1)));
	db_done(r, st);
	return who;
}

/*
 * The checks the database would otherwise refuse with an error:
 * unique values and foreign keys that name no row.  Sets form errors.
 * 0, or -1 if r failed.
 */
static int
form_check_db(struct req *r, const struct model *m, struct form *f,
    const bool *write, int64_t id)
{
	for (size_t i = 0; i < f->n; i++) {
		struct form_field *ff = &f->fields[i];
		const struct model_field *mf = ff->field;
		int	 rc;

		if (!write[i] || ff->error != NULL || *ff->value == '\0')
			continue;
		if ((mf->flags & MF_UNIQUE) && (rc = model_row_taken(r, m, ff,
		    id)) != 0) {
			if (rc < 0)
				return -1;
			ff->error = arena_printf(r->arena, "%s with this %s "
			    "already exists.", admin_capfirst(r, m->verbose),
			    mf->label);
		}
		if (mf->type == MODEL_FOREIGN_KEY && (rc = model_row_exists(r,
		    model_find(mf->target), ff->num)) != 1) {
			if (rc < 0)
				return -1;
			ff->error = "Select a valid choice. That choice is not "
			    "one of the available choices.";
		}
		if (mf->type == MODEL_MANY_TO_MANY) {
			const char	*p = ff->value;
			long long	 t;

			while (ff->error == NULL &&
			    (p = model_id_next(p, &t)) != NULL)
				if ((rc = model_row_exists(r,
				    model_find(mf->target), t)) < 0)
					return -1;
				else if (rc == 0)
					ff->error = arena_printf(r->arena,
					    "Select a valid choice. %lld is not "
					    "one of the available choices.", t);
		}
	}
	return 0;
}

static bool
form_has_errors(const struct form *f)
{
	if (f->error != NULL)
		return true;
	for (size_t i = 0; i < f->n; i++)
		if (f->fields[i].error != NULL)
			return true;
	return false;
}

/*
 * Validate and save f (fields write[]) to row id (0: add) in one
 * transaction with its history entry (action).  version: the version
 * the form started from (NULL: no check; *stale set when it is not the
 * row's now).  Returns 0 with *out the id, 1 if the form has errors
 * (nothing written), or -1 if r failed.
 */
int
admin_save_form(struct req *r, const struct admin_model *am,
    const struct model *m, int64_t id, struct form *f, const bool *write,
    const char *version, enum admin_log_action action, int64_t *out,
    bool *stale)
{
	const char	**before = NULL, **after;
	int64_t		 nid;
	bool		 m2m_only[MODEL_FIELDS_MAX];
	int		 rc;

	*stale = false;
	form_validate(r, f);
	if (db_begin_write(r) != 0)
		return -1;
	if (id != 0) {
		if ((rc = model_row_get(r, m, id, &before)) < 0)
			goto fail;
		if (rc == 0) {
			db_rollback(r);
			f->error = arena_printf(r->arena, "This %s was deleted "
			    "by someone else after you opened it.",
			    m->verbose);
			return 1;
		}
		*stale = version != NULL && strcmp(version, admin_version(r, m,
		    before)) != 0;
		if (*stale)
			f->error = arena_printf(r->arena, "This %s was changed "
			    "by %s after you opened it. Your changes have not "
			    "been saved: the form below shows them; see the "
			    "history for what changed, then save again to "
			    "replace that version.", m->verbose,
			    last_editor(r, m, id));
	}
	if (am->validate != NULL && am->validate(r, am, f, id) != 0)
		goto fail;
	if (form_check_db(r, m, f, write, id) != 0)
		goto fail;
	if (form_has_errors(f)) {
		db_rollback(r);
		return 1;
	}
	if (am->save != NULL) {
		if ((nid = am->save(r, am, f, id)) < 0)
			goto fail;
		if (nid == 0) {
			db_rollback(r);
			return 1;
		}
		for (size_t i = 0; i < f->n; i++)
			m2m_only[i] = write[i] &&
			    f->fields[i].field->type == MODEL_MANY_TO_MANY;
		if (model_row_write(r, m, nid, f, m2m_only) < 0)
			goto fail;
	} else if ((nid = model_row_write(r, m, id, f, write)) < 0)
		goto fail;
	if (am->after_save != NULL && am->after_save(r, am, f, nid) != 0)
		goto fail;
	if (model_row_get(r, m, nid, &after) != 1)
		goto fail;
	if (admin_log(r, m->name, nid, model_row_str(r, m, nid), action,
	    admin_diff(r, m, before, after), admin_snapshot(r, m, after)) < 0 ||
	    db_commit(r) != 0)
		goto fail;
	*out = nid;
	return 0;
fail:
	db_rollback(r);
	return -1;
}

/* The change form's page (GET, or POST with errors or a preview). */
static int
form_page(struct req *r, const struct admin_model *am, const struct model *m,
    int64_t id, const struct form *f, const struct admin_plan *p,
    const char *version, bool preview)
{
	const char	*str = id != 0 ? model_row_str(r, m, id) : NULL;
	const char	*filters = req_query(r, "_changelist_filters");
	const char	*list = router_url(r, "admin_changelist", m->name);

	if (filters == NULL)
		filters = req_form(r, "_changelist_filters");
	if (filters != NULL && *filters != '\0') {
		render_set(r, "Change.filters", filters);
		list = arena_printf(r->arena, "%s?%s", list, filters);
	}
	if (form_export_admin(r, am, m, f, p, id == 0, preview) != 0)
		return HTTP_500;
	render_set(r, "Change.model", m->name);
	render_set(r, "Change.verbose", m->verbose);
	if (version != NULL)
		render_set(r, "Change.version", version);
	if (p->view_only)
		render_set(r, "Change.view_only", "1");
	if (id != 0) {
		render_set(r, "Change.id", admin_i64(r, id));
		render_set(r, "Change.history_url", router_url(r,
		    "admin_history", m->name, admin_i64(r, id)));
		if (admin_may(r, m, "delete"))
			render_set(r, "Change.delete_url", router_url(r,
			    "admin_delete", m->name, admin_i64(r, id)));
		if (am->trash_field != NULL && strcmp(form_value(f,
		    am->trash_field), am->trash_value) == 0)
			render_set(r, "Change.in_trash", "1");
	}
	if (am->change_extra != NULL)
		am->change_extra(r, am, id);
	if (!am->no_add && admin_may(r, m, "add"))
		render_set(r, "Change.can_add", "1");
	render_set(r, "Change.preview_url", router_url(r, "admin_preview"));
	admin_crumb(r, admin_capfirst(r, m->verbose_plural), list);
	admin_crumb(r, id != 0 ? (str != NULL && *str != '\0' ? str :
	    admin_i64(r, id)) : arena_printf(r->arena, "Add %s", m->verbose),
	    NULL);
	return admin_render(r, "admin/change_form.cs", id == 0 ?
	    arena_printf(r->arena, "Add %s", m->verbose) :
	    arena_printf(r->arena, "%s %s", p->view_only ? "View" : "Change",
	    m->verbose));
}

/* Where a saved form goes: Django's three buttons. */
static int
after_save_redirect(struct req *r, const struct model *m, int64_t id,
    bool added)
{
	const char	*str = model_row_str(r, m, id);
	const char	*filters = req_form(r, "_changelist_filters");
	const char	*qs = filters != NULL && *filters != '\0' ?
	    arena_printf(r->arena, "?_changelist_filters=%s",
	    http_url_encode(r, filters)) : "";
	const char	*done = added ? "added" : "changed";

	if (req_form(r, "_continue") != NULL) {
		admin_message(r, "success", "%s was %s successfully. You may "
		    "edit it again below.", admin_obj_name(r, m, str), done);
		return http_redirect(r, HTTP_303, arena_printf(r->arena, "%s%s",
		    router_url(r, "admin_change", m->name, admin_i64(r, id)),
		    qs));
	}
	if (req_form(r, "_addanother") != NULL) {
		admin_message(r, "success", "%s was %s successfully. You may "
		    "add another %s below.", admin_obj_name(r, m, str), done,
		    m->verbose);
		return http_redirect(r, HTTP_303, arena_printf(r->arena, "%s%s",
		    router_url(r, "admin_add", m->name), qs));
	}
	admin_message(r, "success", "%s was %s successfully.",
	    admin_obj_name(r, m, str), done);
	return http_redirect(r, HTTP_303, filters != NULL && *filters != '\0' ?
	    arena_printf(r->arena, "%s?%s", router_url(r, "admin_changelist",
	    m->name), filters) : router_url(r, "admin_changelist", m->name));
}

/* GET and POST of the add (id 0) and change pages. */
static int
change_view(struct req *r, int64_t id)
{
	const struct admin_model *am;
	const struct model *m;
	const char	**v = NULL, *version = NULL;
	struct form	 f;
	struct admin_plan	 p;
	bool		 preview = req_form(r, "_preview") != NULL;
	bool		 view_only, write[MODEL_FIELDS_MAX], stale;
	int64_t		 nid;
	int		 rc;

	if (id == 0 && (rc = admin_model_gate(r, "add", &am, &m)) != 0)
		return rc;
	if (id == 0 && am->no_add)
		return HTTP_403;
	if (id != 0) {
		if ((rc = admin_object_gate(r, "view", &am, &m, id, &v)) != 0)
			return rc;
		version = admin_version(r, m, v);
	}
	view_only = id != 0 && (!admin_may(r, m, "change") ||
	    !admin_may_change_row(r, am, v));
	if (view_only && r->method == M_POST)
		return HTTP_403;
	admin_plan_form(r, am, m, id == 0, view_only, &p);
	if (r->method != M_POST) {
		form_init(r, m, &f);
		for (size_t i = 0; v != NULL && i < f.n; i++)
			if (v[i] != NULL)
				f.fields[i].value = v[i];
		if (id == 0 && admin_is_owner_restricted(r, am))
			form_set(r, &f, am->owner_field,
			    admin_i64(r, r->user->id));
		/* ?field=value prefills an add form (Django's). */
		for (size_t i = 0; id == 0 && i < f.n; i++)
			if (p.editable[i] && req_query(r,
			    f.fields[i].field->name) != NULL &&
			    f.fields[i].field->type != MODEL_PASSWORD)
				f.fields[i].value = util_strtrim(r->arena,
				    req_query(r, f.fields[i].field->name));
		return form_page(r, am, m, id, &f, &p, version, false);
	}
	form_read(r, m, &f);
	for (size_t i = 0; i < f.n; i++) {
		write[i] = p.editable[i];
		if (p.editable[i])
			continue;
		/* Not the user's to set: the stored value, or the default. */
		f.fields[i].value = v != NULL && v[i] != NULL ? v[i] :
		    f.fields[i].field->def != NULL ? f.fields[i].field->def :
		    "";
	}
	if (id == 0 && admin_is_owner_restricted(r, am)) {
		form_set(r, &f, am->owner_field, admin_i64(r, r->user->id));
		write[admin_field_index(m, model_field(m,
		    am->owner_field))] = true;
	}
	if (preview) {
		form_validate(r, &f);
		return form_page(r, am, m, id, &f, &p, req_form(r, "_version"),
		    true);
	}
	if (id != 0 && (version = req_form(r, "_version")) == NULL)
		version = "";
	rc = admin_save_form(r, am, m, id, &f, write, version, id == 0 ?
	    ADMIN_LOG_ADD : ADMIN_LOG_CHANGE, &nid, &stale);
	if (rc < 0)
		return HTTP_500;
	if (rc > 0) {
		/* After "changed by someone else", a second save is the
		 * user's choice to replace that version: carry it. */
		if (stale && model_row_get(r, m, id, &v) == 1)
			version = admin_version(r, m, v);
		return form_page(r, am, m, id, &f, &p, version, false);
	}
	return after_save_redirect(r, m, nid, id == 0);
}

int
admin_page_add(struct req *r)
{
	return change_view(r, 0);
}

int
admin_page_change(struct req *r)
{
	int64_t	 id = admin_param_id(r, "id");

	return id == 0 ? HTTP_404 : change_view(r, id);
}

/* ---- autocomplete and preview ------------------------------------------- */

int
admin_page_autocomplete(struct req *r)
{
	const struct admin_model *am;
	const struct model *m;
	const char	*cols[2], *term = req_query(r, "term");
	struct param	 qp[1];
	struct params	 p = { qp, 0, 1 };
	struct model_query q;
	struct model_page pg;
	json_t		*res, *a;
	char		*s;
	int		 rc;

	if ((rc = admin_guard(r)) != 0)
		return rc;
	if ((m = model_find(req_param(r, "model"))) == NULL ||
	    (am = admin_model_find(m->name)) == NULL)
		return HTTP_404;
	if (!admin_may(r, m, "view"))
		return HTTP_403;
	if (term != NULL && *term != '\0') {
		qp[0].key = "q";
		qp[0].value = term;
		qp[0].value_len = strlen(term);
		p.n = 1;
	}
	if ((rc = model_query_parse(r, m, &p, &q)) != 0)
		return rc;
	q.limit = 20;
	cols[0] = m->str_field;
	cols[1] = NULL;
	if (model_list(r, &q, cols, &pg) != 0)
		return HTTP_500;
	res = json_object();
	a = json_array();
	for (size_t i = 0; i < pg.n; i++) {
		json_t	*o = json_object();

		json_object_set_new(o, "id", json_string(admin_i64(r,
		    pg.rows[i].pk)));
		json_object_set_new(o, "text", json_string(
		    pg.rows[i].values[0] != NULL ? pg.rows[i].values[0] : ""));
		json_array_append_new(a, o);
	}
	json_object_set_new(res, "results", a);
	json_object_set_new(res, "more", json_boolean(pg.more));
	s = json_dumps(res, JSON_COMPACT);
	json_decref(res);
	if (s == NULL)
		abort();
	r->content_type = "application/json";
	buf_reset(&r->out);
	buf_puts(&r->out, s);
	free(s);
	return HTTP_200;
}

int
admin_page_preview(struct req *r)
{
	const char	*body = req_form(r, "body");
	int		 rc;

	if ((rc = admin_guard(r)) != 0)
		return rc;
	if (body == NULL) {
		r->error_detail = "Send the Markdown in the field body.";
		return HTTP_400;
	}
	r->content_type = "text/html; charset=utf-8";
	buf_reset(&r->out);
	if (markdown_article(body, strlen(body), &r->out) != 0)
		return HTTP_500;
	return HTTP_200;
}
