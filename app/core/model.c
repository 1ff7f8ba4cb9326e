/*
 * model: the registry of the site's models and the lookups that turn
 * sort, filter and search parameters into column names.  Every string
 * this file hands out for SQL is one of the registered tables' own
 * (static) strings, or an arena copy assembled only from them: input
 * is compared with metadata, never copied into SQL.
 */
#include <assert.h>
#include <string.h>

#include "core/arena.h"
#include "core/http.h"
#include "core/log.h"
#include "core/model.h"

static const struct model *const no_models[] = { NULL };
static const struct model *const *registry = no_models;

static const char *const type_names[MODEL__MAX] = {
	[MODEL_TEXT] = "text",
	[MODEL_LONGTEXT] = "longtext",
	[MODEL_MARKDOWN] = "markdown",
	[MODEL_INTEGER] = "integer",
	[MODEL_BOOLEAN] = "boolean",
	[MODEL_CHOICE] = "choice",
	[MODEL_DATETIME] = "datetime",
	[MODEL_EMAIL] = "email",
	[MODEL_URL] = "url",
	[MODEL_SLUG] = "slug",
	[MODEL_FOREIGN_KEY] = "foreign_key",
	[MODEL_MANY_TO_MANY] = "many_to_many",
	[MODEL_FILE] = "file",
};

/* Find name in the NULL-terminated models; NULL if absent. */
static const struct model *
find_in(const struct model *const *models, const char *name)
{
	if (name == NULL)
		return NULL;
	for (; *models != NULL; models++)
		if (strcmp((*models)->name, name) == 0)
			return *models;
	return NULL;
}

/* The field of m that o ("title", "-title") names if sortable. */
static const struct model_field *
sort_field(const struct model *m, const char *o, bool *desc)
{
	const struct model_field *f;

	*desc = o[0] == '-';
	if ((f = model_field(m, *desc ? o + 1 : o)) == NULL ||
	    !(f->flags & MF_SORTABLE) || f->type == MODEL_MANY_TO_MANY)
		return NULL;
	return f;
}

/* Check one model of the table; NULL if fine, else what is wrong. */
static const char *
check_model(const struct model *const *models, const struct model *m)
{
	const struct model_field *f;
	bool		 desc;

	if (m->name == NULL || m->table == NULL || m->pk == NULL ||
	    m->perm == NULL || m->fields == NULL || m->verbose == NULL ||
	    m->verbose_plural == NULL)
		return "a name, table, pk, perm, fields or verbose name "
		    "is missing";
	if (find_in(models, m->name) != m)
		return "its name is registered twice";
	if (model_nfields(m) > MODEL_FIELDS_MAX)
		return "it has more than MODEL_FIELDS_MAX fields";
	if (m->ordering == NULL || sort_field(m, m->ordering, &desc) == NULL)
		return "its ordering is not a sortable field";
	if (m->str_field == NULL || model_field(m, m->str_field) == NULL)
		return "its str_field is not one of its fields";
	for (f = m->fields; f->name != NULL; f++) {
		if (f->label == NULL || f->type >= MODEL__MAX)
			return "a field has no label or a bad type";
		if (model_field(m, f->name) != f)
			return "a field name is used twice";
		if (f->type == MODEL_CHOICE && (f->choices == NULL ||
		    f->choices[0].value == NULL))
			return "a choice field has no choices";
		if ((f->type == MODEL_FOREIGN_KEY ||
		    f->type == MODEL_MANY_TO_MANY) &&
		    find_in(models, f->target) == NULL)
			return "a relation's target is not registered";
		if (f->type == MODEL_MANY_TO_MANY && (f->through == NULL ||
		    f->through_from == NULL || f->through_to == NULL))
			return "a many-to-many field has no join table";
		if (f->type == MODEL_MANY_TO_MANY &&
		    (f->flags & (MF_SORTABLE | MF_FILTERABLE | MF_SEARCHABLE)))
			return "a many-to-many field is sortable, filterable "
			    "or searchable";
	}
	return NULL;
}

int
model_register_all(const struct model *const *models)
{
	const char	*why;

	assert(models != NULL);
	registry = no_models;
	for (const struct model *const *m = models; *m != NULL; m++)
		if ((why = check_model(models, *m)) != NULL) {
			log_msg(LOG_ERROR, "model_register_all: model %s: %s",
			    (*m)->name != NULL ? (*m)->name : "(unnamed)",
			    why);
			return -1;
		}
	registry = models;
	return 0;
}

const struct model *
model_find(const char *name)
{
	return find_in(registry, name);
}

const struct model *const *
model_all(void)
{
	return registry;
}

const struct model_field *
model_field(const struct model *m, const char *name)
{
	if (name == NULL)
		return NULL;
	for (const struct model_field *f = m->fields; f->name != NULL; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

size_t
model_nfields(const struct model *m)
{
	size_t	 n = 0;

	while (m->fields[n].name != NULL)
		n++;
	return n;
}

bool
model_field_is_editable(const struct model_field *f)
{
	return (f->flags & MF_EDITABLE) && !(f->flags & MF_READONLY);
}

const char *
model_type_name(enum model_type t)
{
	return t < MODEL__MAX ? type_names[t] : "text";
}

const char *
model_choice_label(const struct model_field *f, const char *value)
{
	if (f->choices == NULL || value == NULL)
		return NULL;
	for (const struct model_choice *c = f->choices; c->value != NULL; c++)
		if (strcmp(c->value, value) == 0)
			return c->label;
	return NULL;
}

const char *
model_order_by(struct req *r, const struct model *m, const char *o)
{
	const struct model_field *f;
	const char	*dir;
	bool		 desc;

	if (o == NULL || *o == '\0')
		o = m->ordering;
	if ((f = sort_field(m, o, &desc)) == NULL) {
		r->error_detail = "This list cannot be sorted by that field.";
		return NULL;
	}
	dir = desc ? "DESC" : "ASC";
	/* Only metadata strings and the two keywords reach the text. */
	if (strcmp(f->name, m->pk) == 0)
		return arena_printf(r->arena, "%s %s", m->pk, dir);
	return arena_printf(r->arena, "%s %s, %s %s", f->name, dir, m->pk,
	    dir);
}

const struct model_field *
model_filter_column(const struct model *m, const char *name)
{
	const struct model_field *f = model_field(m, name);

	return f != NULL && (f->flags & MF_FILTERABLE) ? f : NULL;
}

size_t
model_search_columns(const struct model *m, const char **cols, size_t n)
{
	size_t	 k = 0;

	for (const struct model_field *f = m->fields; f->name != NULL; f++)
		if (f->flags & MF_SEARCHABLE) {
			if (k < n)
				cols[k] = f->name;
			k++;
		}
	return k;
}

const char *
model_perm(struct req *r, const struct model *m, const char *action)
{
	static const char *const actions[] = {
		"view", "add", "change", "delete"
	};

	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (action != NULL && strcmp(action, actions[i]) == 0)
			return arena_printf(r->arena, "%s.%s", m->perm,
			    actions[i]);
	return NULL;
}
