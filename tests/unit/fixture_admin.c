/*
 * fixture_admin: what the suites of the admin's history share
 * (test_admin_history.c, test_admin_rows.c): a row's values built by
 * name, and the history's JSON read back with jansson.  Each fails the
 * running test when its input is not what it expects.
 */
#include <jansson.h>
#include <stdarg.h>
#include <string.h>

#include "core/arena.h"
#include "core/http.h"
#include "core/model.h"
#include "fixture.h"
#include "fixture_admin.h"

/*
 * Values of model name as model_row_get() gives them: "" for every
 * stored field, NULL for virtual ones, then the name, value pairs that
 * follow (NULL-terminated) put over them (a virtual field too).
 */
const char **
fixture_vals(struct req *r, const char *name, ...)
{
	const struct model *m = model_find(name);
	const struct model_field *f;
	const char	**v, *k;
	size_t		 n;
	va_list		 ap;

	ck_assert_ptr_nonnull(m);
	n = model_nfields(m);
	v = arena_zalloc(r->arena, (n + 1) * sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = (m->fields[i].flags & MF_VIRTUAL) ? NULL : "";
	va_start(ap, name);
	while ((k = va_arg(ap, const char *)) != NULL) {
		f = model_field(m, k);
		ck_assert_msg(f != NULL, "%s has no field %s", name, k);
		v[f - m->fields] = arena_strdup(r->arena,
		    va_arg(ap, const char *));
	}
	va_end(ap);
	return v;
}

/* The index of field name of m. */
size_t
fixture_idx(const struct model *m, const char *name)
{
	const struct model_field *f = model_field(m, name);

	ck_assert_msg(f != NULL, "%s has no field %s", m->name, name);
	return (size_t)(f - m->fields);
}

/* Parse s, which must be JSON. */
json_t *
fixture_json(const char *s)
{
	json_error_t	 err;
	json_t		*j;

	ck_assert_ptr_nonnull(s);
	j = json_loads(s, 0, &err);
	ck_assert_msg(j != NULL, "not JSON (%s): %s", err.text, s);
	return j;
}

/* The entry of diff array a for field, or NULL. */
json_t *
fixture_diff_entry(json_t *a, const char *field)
{
	size_t	 i;
	json_t	*e;

	json_array_foreach(a, i, e) {
		const char	*f = json_string_value(json_object_get(e,
		    "field"));

		if (f != NULL && strcmp(f, field) == 0)
			return e;
	}
	return NULL;
}

const char *
fixture_jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Check that diff array a has the entry field: label, old -> new. */
void
fixture_assert_change(json_t *a, const char *field, const char *label,
    const char *old, const char *new)
{
	json_t	*e = fixture_diff_entry(a, field);

	ck_assert_msg(e != NULL, "no change of %s", field);
	ck_assert_uint_eq(json_object_size(e), 4);
	ck_assert_str_eq(fixture_jstr(e, "label"), label);
	ck_assert_str_eq(fixture_jstr(e, "old"), old);
	ck_assert_str_eq(fixture_jstr(e, "new"), new);
}

/* Are the n values of a and b the same (NULL only as NULL)? */
void
fixture_assert_same_values(const struct model *m, const char *const *a,
    const char *const *b)
{
	for (size_t i = 0; m->fields[i].name != NULL; i++) {
		if (a[i] == NULL || b[i] == NULL) {
			ck_assert_msg(a[i] == b[i], "%s: %s vs %s",
			    m->fields[i].name, a[i] != NULL ? a[i] : "NULL",
			    b[i] != NULL ? b[i] : "NULL");
			continue;
		}
		ck_assert_msg(strcmp(a[i], b[i]) == 0, "%s: \"%s\" vs \"%s\"",
		    m->fields[i].name, a[i], b[i]);
	}
}
