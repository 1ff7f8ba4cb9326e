/*
 * admin_common: what the admin's pages share (declared in
 * admin_internal.h): the model and object gates with the owner rule,
 * values as the admin shows them (choices, booleans, date-times, foreign
 * keys by their rows' names), numbers and breadcrumbs.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/admin.h"
#include "core/admin_internal.h"
#include "core/arena.h"
#include "core/auth.h"
#include "core/buf.h"
#include "core/form.h"
#include "core/http.h"
#include "core/model.h"
#include "core/router.h"
#include "core/util.h"

const char *
admin_i64(struct req *r, int64_t v)
{
	return arena_printf(r->arena, "%" PRId64, v);
}

/* "1,234". */
const char *
admin_thousands(struct req *r, int64_t v)
{
	char	 d[32], *o = arena_alloc(r->arena, 48), *p = o;
	int	 n = snprintf(d, sizeof(d), "%" PRId64, v), lead;

	lead = d[0] == '-';
	for (int i = 0; i < n; i++) {
		if (i > lead && (n - i) % 3 == 0)
			*p++ = ',';
		*p++ = d[i];
	}
	*p = '\0';
	return o;
}

/* The route's {id} (or another int hole); 0 if absent or bad. */
int64_t
admin_param_id(struct req *r, const char *name)
{
	long long	 v;

	if (util_parse_int(req_param(r, name), 1, INT64_MAX, &v) != 0)
		return 0;
	return v;
}

size_t
admin_field_index(const struct model *m, const struct model_field *f)
{
	return (size_t)(f - m->fields);
}

/*
 * The model of the route's {model}: 0 with *amp and *mp set when it is
 * registered and r->user may do action on it; else the status (404 for
 * an unknown model, so names are not probed; 403 without permission).
 */
int
admin_model_gate(struct req *r, const char *action,
    const struct admin_model **amp, const struct model **mp)
{
	int	 rc;

	if ((rc = admin_guard(r)) != 0)
		return rc;
	if ((*amp = admin_model_find(req_param(r, "model"))) == NULL ||
	    (*mp = model_find((*amp)->model)) == NULL)
		return HTTP_404;
	if (!admin_may(r, *mp, action))
		return HTTP_403;
	return 0;
}

/* Does r->user see only their own rows of am (no owner_all_perm)? */
bool
admin_is_owner_restricted(struct req *r, const struct admin_model *am)
{
	return am->owner_field != NULL &&
	    !auth_has_perm(r, r->user, am->owner_all_perm);
}

/* May r->user act on the row whose values are v (the owner rule)? */
bool
admin_may_row(struct req *r, const struct admin_model *am,
    const struct model *m, const char *const *v)
{
	const struct model_field *f;

	if (!admin_is_owner_restricted(r, am))
		return true;
	f = model_field(m, am->owner_field);
	return strcmp(v[admin_field_index(m, f)],
	    admin_i64(r, r->user->id)) == 0;
}

/* The registry's row rule (may_change_row), if any. */
bool
admin_may_change_row(struct req *r, const struct admin_model *am,
    const char *const *v)
{
	return am->may_change_row == NULL || am->may_change_row(r, am, v);
}

/*
 * admin_model_gate(), then row id of that model into *v: 0, or the status
 * (404 if there is no such row, 403 if it is not the user's to act on).
 */
int
admin_object_gate(struct req *r, const char *action,
    const struct admin_model **amp, const struct model **mp, int64_t id,
    const char ***v)
{
	int	 rc;

	if ((rc = admin_model_gate(r, action, amp, mp)) != 0)
		return rc;
	if ((rc = model_row_get(r, *mp, id, v)) < 0)
		return HTTP_500;
	if (rc == 0)
		return HTTP_404;
	if (!admin_may_row(r, *amp, *mp, *v))
		return HTTP_403;
	if (strcmp(action, "view") != 0 && !admin_may_change_row(r, *amp, *v))
		return HTTP_403;
	return 0;
}

/* "The article “Hello”" for messages. */
const char *
admin_obj_name(struct req *r, const struct model *m, const char *str)
{
	return arena_printf(r->arena, "The %s \u201c%s\u201d", m->verbose,
	    str != NULL && *str != '\0' ? str : "(unnamed)");
}

/* Breadcrumbs: the model's list, then label (NULL: none). */
void
admin_crumbs_model(struct req *r, const struct model *m, const char *label,
    const char *label_url, const char *last)
{
	admin_crumb(r, admin_capfirst(r, m->verbose_plural),
	    router_url(r, "admin_changelist", m->name));
	if (label != NULL)
		admin_crumb(r, label, label_url);
	if (last != NULL)
		admin_crumb(r, last, NULL);
}

/* "2024-05-01 10:30 UTC" */
const char *
admin_when(struct req *r, int64_t t)
{
	char	 dt[32];

	form_format_datetime(t, dt, sizeof(dt));
	if (strlen(dt) > 10)
		dt[10] = ' ';
	dt[16] = '\0';		/* minutes are enough to show */
	return arena_printf(r->arena, "%s UTC", dt);
}

/* A value as the admin shows it: choices by label, booleans Yes/No. */
const char *
admin_display(struct req *r, const struct model_field *f, const char *v,
    bool raw_db)
{
	const char	*l;
	long long	 t;
	int64_t		 ts;

	if (v == NULL || *v == '\0')
		return "";
	switch (f->type) {
	case MODEL_CHOICE:
		return (l = model_choice_label(f, v)) != NULL ? l : v;
	case MODEL_BOOLEAN:
		return strcmp(v, "0") != 0 ? "Yes" : "No";
	case MODEL_DATETIME:
		if (raw_db && util_parse_int(v, INT64_MIN, INT64_MAX, &t) == 0)
			return admin_when(r, t);
		if (form_parse_datetime(v, &ts) == 0)
			return admin_when(r, ts);
		return v;
	case MODEL_PASSWORD:
		return "";
	default:
		return v;
	}
}

/*
 * The names of foreign keys' target rows met in this request: a list of
 * 100 articles by 8 authors looks each author up once.  Reset when the
 * request changes (the strings live in its arena).
 */
#define FK_CACHE	32
static struct {
	const struct req *r;
	int64_t		 start_us;
	size_t		 n, next;
	struct {
		const struct model *t;
		long long	 id;
		const char	*s;
	}		 e[FK_CACHE];
} fkc;

/* The names of a foreign key's target row, or "#id" if gone. */
const char *
admin_fk_display(struct req *r, const struct model_field *f, const char *v)
{
	const struct model *t = model_find(f->target);
	long long	 id;
	const char	*s;

	if (v == NULL || *v == '\0' || t == NULL ||
	    util_parse_int(v, 1, INT64_MAX, &id) != 0)
		return v != NULL ? v : "";
	if (fkc.r != r || fkc.start_us != r->start_us) {
		fkc.r = r;
		fkc.start_us = r->start_us;
		fkc.n = fkc.next = 0;
	}
	for (size_t i = 0; i < fkc.n; i++)
		if (fkc.e[i].t == t && fkc.e[i].id == id)
			return fkc.e[i].s;
	s = model_row_str(r, t, id);
	s = s != NULL ? s : arena_printf(r->arena, "#%s", v);
	fkc.e[fkc.next].t = t;
	fkc.e[fkc.next].id = id;
	fkc.e[fkc.next].s = s;
	fkc.next = (fkc.next + 1) % FK_CACHE;
	if (fkc.n < FK_CACHE)
		fkc.n++;
	return s;
}

/* A many-to-many value "3,7" as its targets' names, comma-separated. */
static const char *
m2m_display(struct req *r, const struct model_field *f, const char *v)
{
	const struct model *t = model_find(f->target);
	struct buf	 b;
	const char	*p = v, *s, *out;
	long long	 id;

	if (v == NULL || t == NULL)
		return "";
	buf_init(&b);
	buf_puts(&b, "");
	while ((p = model_id_next(p, &id)) != NULL) {
		s = model_row_str(r, t, id);
		buf_printf(&b, "%s%s", b.len > 0 ? ", " : "",
		    s != NULL ? s : admin_i64(r, id));
	}
	out = arena_strdup(r->arena, b.ptr);
	buf_free(&b);
	return out;
}

/* Any field's value as shown (form representation). */
const char *
admin_value_text(struct req *r, const struct model_field *f, const char *v)
{
	if (f->type == MODEL_FOREIGN_KEY)
		return admin_fk_display(r, f, v);
	if (f->type == MODEL_MANY_TO_MANY)
		return m2m_display(r, f, v);
	return admin_display(r, f, v, false);
}
