/*
 * admin_pages: the generic admin's pages, over the registry (admin.c),
 * the model metadata and its row operations (model.c) and forms
 * (form.c).  Each handler opens with the gate (admin_guard), then the
 * model permission, then the object check (ownership), then data, then
 * render; every write runs in one transaction with its history entry.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "core/admin.h"
#include "core/arena.h"
#include "core/auth.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/form.h"
#include "core/http.h"
#include "core/log.h"
#include "core/markdown.h"
#include "core/model.h"
#include "core/render.h"
#include "core/router.h"
#include "core/util.h"

#define COUNT_CAP	1000	/* exact counts up to this, then "more than" */
#define SELECT_MAX	200	/* a FK target with more rows: autocomplete */
#define CHECKBOX_MAX	500	/* many-to-many choices shown */
#define ACTION_MAX	500	/* rows one bulk action takes */
#define EXPORT_MAX	100000	/* rows in one CSV export */
#define RECENT_MAX	10	/* the index's recent actions */
#define LOG_PAGE	50	/* entries per page of history */
#define FK_FILTER_MAX	30	/* FK filter choices in the sidebar */

static void	(*index_hook)(struct req *);

void
admin_set_index_hook(void (*fn)(struct req *))
{
	index_hook = fn;
}

/* ---- small helpers -------------------------------------------------- */

static const char *
i64(struct req *r, int64_t v)
{
	return arena_printf(r->arena, "%" PRId64, v);
}

/* "1,234". */
static const char *
thousands(struct req *r, int64_t v)
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

/* "3 articles", "more than 1,000 articles". */
static const char *
count_text(struct req *r, const struct model *m, int64_t n, bool more)
{
	return arena_printf(r->arena, "%s%s %s", more ? "more than " : "",
	    thousands(r, n), n == 1 && !more ? m->verbose : m->verbose_plural);
}

/* The route's {id} (or another int hole); 0 if absent or bad. */
static int64_t
param_id(struct req *r, const char *name)
{
	long long	 v;

	if (util_parse_int(req_param(r, name), 1, INT64_MAX, &v) != 0)
		return 0;
	return v;
}

static bool
name_in(const char *const *list, const char *name)
{
	for (size_t i = 0; list != NULL && list[i] != NULL; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

static size_t
field_index(const struct model *m, const struct model_field *f)
{
	return (size_t)(f - m->fields);
}

/*
 * The model of the route's {model}: 0 with *amp and *mp set when it is
 * registered and r->user may do action on it; else the status (404 for
 * an unknown model, so names are not probed; 403 without permission).
 */
static int
model_gate(struct req *r, const char *action,
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
static bool
owner_restricted(struct req *r, const struct admin_model *am)
{
	return am->owner_field != NULL &&
	    !auth_has_perm(r, r->user, am->owner_all_perm);
}

/* May r->user act on the row whose values are v (the owner rule)? */
static bool
may_row(struct req *r, const struct admin_model *am, const struct model *m,
    const char *const *v)
{
	const struct model_field *f;

	if (!owner_restricted(r, am))
		return true;
	f = model_field(m, am->owner_field);
	return strcmp(v[field_index(m, f)], i64(r, r->user->id)) == 0;
}

/* The registry's row rule (may_change_row), if any. */
static bool
may_change_row(struct req *r, const struct admin_model *am,
    const char *const *v)
{
	return am->may_change_row == NULL || am->may_change_row(r, am, v);
}

/*
 * model_gate(), then row id of that model into *v: 0, or the status
 * (404 if there is no such row, 403 if it is not the user's to act on).
 */
static int
object_gate(struct req *r, const char *action,
    const struct admin_model **amp, const struct model **mp, int64_t id,
    const char ***v)
{
	int	 rc;

	if ((rc = model_gate(r, action, amp, mp)) != 0)
		return rc;
	if ((rc = model_row_get(r, *mp, id, v)) < 0)
		return HTTP_500;
	if (rc == 0)
		return HTTP_404;
	if (!may_row(r, *amp, *mp, *v))
		return HTTP_403;
	if (strcmp(action, "view") != 0 && !may_change_row(r, *amp, *v))
		return HTTP_403;
	return 0;
}

/* "The article “Hello”" for messages. */
static const char *
obj_name(struct req *r, const struct model *m, const char *str)
{
	return arena_printf(r->arena, "The %s \u201c%s\u201d", m->verbose,
	    str != NULL && *str != '\0' ? str : "(unnamed)");
}

/* Breadcrumbs: the model's list, then label (NULL: none). */
static void
crumbs(struct req *r, const struct model *m, const char *label,
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
static const char *
when(struct req *r, int64_t t)
{
	char	 dt[32];

	form_format_datetime(t, dt, sizeof(dt));
	if (strlen(dt) > 10)
		dt[10] = ' ';
	dt[16] = '\0';		/* minutes are enough to show */
	return arena_printf(r->arena, "%s UTC", dt);
}

/* A value as the admin shows it: choices by label, booleans Yes/No. */
static const char *
display(struct req *r, const struct model_field *f, const char *v,
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
			return when(r, t);
		if (form_parse_datetime(v, &ts) == 0)
			return when(r, ts);
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
static const char *
fk_display(struct req *r, const struct model_field *f, const char *v)
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
		    s != NULL ? s : i64(r, id));
	}
	out = arena_strdup(r->arena, b.ptr);
	buf_free(&b);
	return out;
}

/* Any field's value as shown (form representation). */
static const char *
value_text(struct req *r, const struct model_field *f, const char *v)
{
	if (f->type == MODEL_FOREIGN_KEY)
		return fk_display(r, f, v);
	if (f->type == MODEL_MANY_TO_MANY)
		return m2m_display(r, f, v);
	return display(r, f, v, false);
}

/* ---- values, versions, diffs -------------------------------------------- */

/* ---- the index ------------------------------------------------------------ */

static void
recent_export(struct req *r)
{
	sqlite3_stmt	*st;
	struct render_node *n;
	int		 k = 0;

	if ((st = db_stmt(r, "SELECT model, object_id, object_repr, action, "
	    "action_time FROM admin_log WHERE user_id = ?1 "
	    "ORDER BY id DESC LIMIT ?2")) == NULL)
		return;
	db_bind_int64(r, st, 1, r->user->id);
	db_bind_int64(r, st, 2, RECENT_MAX);
	while (db_step(r, st) == SQLITE_ROW) {
		const char	*model = db_col_strdup(r, st, 0);
		const struct model *m = model_find(model);
		const char	*action = db_col_strdup(r, st, 3);

		n = render_node(r, "Recent.%d", k++);
		render_node_set(r, n, "repr", db_col_strdup(r, st, 2));
		render_node_set(r, n, "action", action);
		render_node_set(r, n, "model", m != NULL ?
		    admin_capfirst(r, m->verbose) : model);
		render_node_set_date(r, n, "time",
		    sqlite3_column_int64(st, 4));
		if (m != NULL && admin_model_find(model) != NULL &&
		    strcmp(action, "delete") != 0)
			render_node_set(r, n, "url", router_url(r,
			    "admin_change", model,
			    i64(r, sqlite3_column_int64(st, 1))));
	}
	db_done(r, st);
}

int
admin_page_index(struct req *r)
{
	const struct admin_model *const *ms = admin_models();
	const struct admin_page *p;
	struct model_query q;
	struct params	 none = { NULL, 0, 0 };
	int		 rc, k = 0;

	if ((rc = admin_guard(r)) != 0)
		return rc;
	for (size_t i = 0; ms[i] != NULL; i++) {
		const struct model *m = model_find(ms[i]->model);
		struct render_node *n;
		bool		 more;
		int64_t		 c;

		if (!admin_may(r, m, "view"))
			continue;
		n = render_node(r, "Models.%d", k++);
		render_node_set(r, n, "group", ms[i]->group);
		render_node_set(r, n, "name", admin_capfirst(r,
		    m->verbose_plural));
		render_node_set(r, n, "url", router_url(r, "admin_changelist",
		    m->name));
		if (!ms[i]->no_add && admin_may(r, m, "add"))
			render_node_set(r, n, "add_url", router_url(r,
			    "admin_add", m->name));
		if (model_query_parse(r, m, &none, &q) != 0)
			continue;
		if (owner_restricted(r, ms[i])) {
			q.filters[0].field = model_field(m,
			    ms[i]->owner_field);
			q.filters[0].op = "=";
			q.filters[0].is_num = true;
			q.filters[0].num = r->user->id;
			q.filters[0].value = "";
			q.nfilters = 1;
		}
		if ((c = model_count_capped(r, &q, COUNT_CAP, &more)) < 0)
			return HTTP_500;
		render_node_set(r, n, "count", arena_printf(r->arena, "%s%s",
		    thousands(r, c), more ? "+" : ""));
	}
	k = 0;
	for (p = admin_pages(); p != NULL && p->label != NULL; p++) {
		struct render_node *n;
		int64_t		 b;

		if (!admin_may_page(r, p))
			continue;
		n = render_node(r, "Pages.%d", k++);
		render_node_set(r, n, "group", p->group);
		render_node_set(r, n, "label", p->label);
		render_node_set(r, n, "url", router_url(r, p->route));
		if (p->badge != NULL && (b = p->badge(r)) >= 0)
			render_node_set(r, n, "badge", admin_badge_text(r, b));
	}
	recent_export(r);
	if (r->user->is_superuser)
		render_set(r, "Urls.admin_log", router_url(r, "admin_log"));
	if (index_hook != NULL)
		index_hook(r);
	if (req_failed(r))
		return HTTP_500;
	return admin_render(r, "admin/index.cs", "Site administration");
}

/* ---- the changelist --------------------------------------------------------- */

/* The list's own parameters, which model_query_parse() does not know. */
static bool
is_admin_param(const char *key)
{
	return strcmp(key, "_facets") == 0;
}

/* r's query string without the admin's own parameters, for the engine. */
static struct params
engine_params(struct req *r)
{
	struct params	 p = { NULL, 0, 0 };

	p.v = arena_alloc(r->arena, (r->query_params.n + 1) *
	    sizeof(*p.v));
	for (size_t i = 0; i < r->query_params.n; i++)
		if (!is_admin_param(r->query_params.v[i].key))
			p.v[p.n++] = r->query_params.v[i];
	p.cap = p.n;
	return p;
}

/*
 * The changelist's query: r's parameters, the owner rule and the page
 * size.  0, or 400 (r->error_detail says why).
 */
static int
list_query(struct req *r, const struct admin_model *am,
    const struct model *m, struct model_query *q)
{
	struct params	 p = engine_params(r);
	int		 rc;

	if ((rc = model_query_parse(r, m, &p, q)) != 0)
		return rc;
	if (am->list_per_page > 0)
		q->limit = am->list_per_page;
	if (owner_restricted(r, am)) {
		if (q->nfilters == MODEL_FILTERS_MAX) {
			r->error_detail = "Too many filters.";
			return HTTP_400;
		}
		q->filters[q->nfilters].field = model_field(m,
		    am->owner_field);
		q->filters[q->nfilters].op = "=";
		q->filters[q->nfilters].is_num = true;
		q->filters[q->nfilters].num = r->user->id;
		q->filters[q->nfilters].value = "";
		q->nfilters++;
	}
	return 0;
}

/*
 * The list's URL with parameter key set to value (NULL: removed) and the
 * cursor dropped (a new filter or order starts at the first page).
 */
static const char *
list_url(struct req *r, const char *base, const char *key,
    const char *value, const char *key2, const char *value2)
{
	struct buf	 b;
	const char	*out;
	char		 sep = '?';

	buf_init(&b);
	buf_puts(&b, base);
	for (size_t i = 0; i < r->query_params.n; i++) {
		const struct param *p = &r->query_params.v[i];

		if (strcmp(p->key, "cursor") == 0 ||
		    (key != NULL && strcmp(p->key, key) == 0) ||
		    (key2 != NULL && strcmp(p->key, key2) == 0))
			continue;
		buf_printf(&b, "%c%s=%s", sep, http_url_encode(r, p->key),
		    http_url_encode(r, p->value != NULL ? p->value : ""));
		sep = '&';
	}
	if (key != NULL && value != NULL) {
		buf_printf(&b, "%c%s=%s", sep, key, http_url_encode(r, value));
		sep = '&';
	}
	if (key2 != NULL && value2 != NULL)
		buf_printf(&b, "%c%s=%s", sep, key2,
		    http_url_encode(r, value2));
	out = arena_strdup(r->arena, b.ptr);
	buf_free(&b);
	return out;
}

/* The current query string without the cursor ("" if none). */
static const char *
filters_qs(struct req *r)
{
	const char	*u = list_url(r, "", NULL, NULL, NULL, NULL);

	return *u == '?' ? u + 1 : u;
}

/* The facet count of q plus one more filter f op value; -1 if failed. */
static const char *
facet(struct req *r, const struct model_query *base,
    const struct model_field *f, const char *op, bool is_num, long long num,
    const char *value)
{
	struct model_query q = *base;
	bool		 more;
	int64_t		 n;

	if (q.nfilters == MODEL_FILTERS_MAX)
		return NULL;
	q.filters[q.nfilters].field = f;
	q.filters[q.nfilters].op = op;
	q.filters[q.nfilters].is_num = is_num;
	q.filters[q.nfilters].num = num;
	q.filters[q.nfilters].value = value;
	q.nfilters++;
	if ((n = model_count_capped(r, &q, COUNT_CAP, &more)) < 0)
		return NULL;
	return arena_printf(r->arena, "%s%s", thousands(r, n), more ? "+" :
	    "");
}

/* A copy of q without the filters on field f (for that field's facets). */
static struct model_query
without_field(const struct model_query *q, const struct model_field *f)
{
	struct model_query c = *q;

	c.nfilters = 0;
	for (size_t i = 0; i < q->nfilters; i++)
		if (q->filters[i].field != f)
			c.filters[c.nfilters++] = q->filters[i];
	return c;
}

/* Choice k of the sidebar filter at prefix ("Filters.2"). */
static void
filter_choice(struct req *r, const char *prefix, int *k, const char *label,
    const char *url, bool current, const char *count)
{
	struct render_node *c = render_node(r, "%s.choices.%d", prefix,
	    (*k)++);

	render_node_set(r, c, "label", label);
	render_node_set(r, c, "url", url);
	if (current)
		render_node_set(r, c, "current", "1");
	if (count != NULL)
		render_node_set(r, c, "count", count);
}

/* The sidebar: each of am's list_filter fields with its choices. */
static int
filters_export(struct req *r, const struct admin_model *am,
    const struct model *m, const struct model_query *q, const char *base,
    bool facets)
{
	static const struct {
		const char	*label;
		int		 days;		/* back from today; -1, -2 */
	} dates[] = {
		{ "Today", 0 }, { "Past 7 days", 6 }, { "This month", -1 },
		{ "This year", -2 }
	};
	int64_t		 now = util_wall_us() / 1000000;

	for (size_t i = 0; am->list_filter != NULL &&
	    am->list_filter[i] != NULL; i++) {
		const struct model_field *f = model_filter_column(m,
		    am->list_filter[i]);
		const char	*prefix = arena_printf(r->arena, "Filters.%zu",
		    i);
		const char	*cur = req_query(r, f->name);
		struct model_query fq = without_field(q, f);
		int		 k = 0;

		render_set(r, arena_printf(r->arena, "%s.title", prefix),
		    arena_printf(r->arena, "By %s", f->label));
		if (f->type == MODEL_DATETIME) {
			const char	*gte = arena_printf(r->arena, "%s__gte",
			    f->name);
			const char	*lt = arena_printf(r->arena, "%s__lt",
			    f->name);
			const char	*cg = req_query(r, gte);

			filter_choice(r, prefix, &k, "Any date", list_url(r,
			    base, gte, NULL, lt, NULL), cg == NULL, NULL);
			for (size_t d = 0; d < NELEM(dates); d++) {
				time_t		 t = (time_t)now;
				struct tm	 tm;
				int64_t		 from, to;
				char		 a[32], b[32];

				gmtime_r(&t, &tm);
				tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
				if (dates[d].days == -1)
					tm.tm_mday = 1;
				if (dates[d].days == -2) {
					tm.tm_mday = 1;
					tm.tm_mon = 0;
				}
				from = (int64_t)timegm(&tm);
				if (dates[d].days > 0)
					from -= (int64_t)dates[d].days * 86400;
				to = ((now / 86400) + 1) * 86400;
				form_format_datetime(from, a, sizeof(a));
				form_format_datetime(to, b, sizeof(b));
				filter_choice(r, prefix, &k, dates[d].label,
				    list_url(r, base, gte, a, lt, b),
				    cg != NULL && strcmp(cg, a) == 0,
				    facets ? facet(r, &fq, f, ">=", true, from,
				    a) : NULL);
			}
			continue;
		}
		filter_choice(r, prefix, &k, "All", list_url(r, base,
		    f->name, NULL, NULL, NULL), cur == NULL, NULL);
		if (f->type == MODEL_CHOICE) {
			for (const struct model_choice *c = f->choices;
			    c->value != NULL; c++)
				filter_choice(r, prefix, &k, c->label,
				    list_url(r, base, f->name, c->value, NULL,
				    NULL), cur != NULL && strcmp(cur,
				    c->value) == 0, facets ? facet(r, &fq, f,
				    "=", false, 0, c->value) : NULL);
		} else if (f->type == MODEL_BOOLEAN) {
			filter_choice(r, prefix, &k, "Yes", list_url(r, base,
			    f->name, "1", NULL, NULL), cur != NULL &&
			    strcmp(cur, "1") == 0, facets ? facet(r, &fq, f,
			    "=", true, 1, "1") : NULL);
			filter_choice(r, prefix, &k, "No", list_url(r, base,
			    f->name, "0", NULL, NULL), cur != NULL &&
			    strcmp(cur, "0") == 0, facets ? facet(r, &fq, f,
			    "=", true, 0, "0") : NULL);
		} else if (f->type == MODEL_FOREIGN_KEY) {
			const struct model *t = model_find(f->target);
			struct params	 none = { NULL, 0, 0 };
			struct model_query tq;
			struct model_page pg;
			const char	*cols[] = { t->str_field, NULL };
			bool		 seen = false;

			if (model_query_parse(r, t, &none, &tq) != 0)
				return -1;
			tq.limit = FK_FILTER_MAX;
			if (model_list(r, &tq, cols, &pg) != 0)
				return -1;
			for (size_t j = 0; j < pg.n; j++) {
				const char	*id = i64(r, pg.rows[j].pk);
				bool		 is = cur != NULL &&
				    strcmp(cur, id) == 0;

				seen |= is;
				filter_choice(r, prefix, &k,
				    pg.rows[j].values[0] != NULL ?
				    pg.rows[j].values[0] : id, list_url(r,
				    base, f->name, id, NULL, NULL), is,
				    facets ? facet(r, &fq, f, "=", true,
				    pg.rows[j].pk, id) : NULL);
			}
			if (cur != NULL && !seen)
				filter_choice(r, prefix, &k, fk_display(r, f,
				    cur), list_url(r, base, f->name, cur, NULL,
				    NULL), true, NULL);
		} else if (cur != NULL)
			filter_choice(r, prefix, &k, cur, list_url(r, base,
			    f->name, cur, NULL, NULL), true, NULL);
	}
	return req_failed(r) ? -1 : 0;
}

/* The columns of am's list: list_display, else the str_field. */
static const char *const *
list_cols(struct req *r, const struct admin_model *am, const struct model *m)
{
	const char	**c;

	if (am->list_display != NULL)
		return am->list_display;
	c = arena_zalloc(r->arena, 2 * sizeof(*c));
	c[0] = m->str_field;
	return c;
}

/* A listed cell's text from the database's value. */
static const char *
cell_text(struct req *r, const struct model_field *f, const char *v)
{
	if (v == NULL)
		return "";
	if (f->type == MODEL_FOREIGN_KEY)
		return fk_display(r, f, v);
	return display(r, f, v, true);
}

static int
actions_export(struct req *r, const struct admin_model *am,
    const struct model *m)
{
	int	 k = 0;

	if (admin_may(r, m, "delete")) {
		render_set(r, "Actions.0.name", "delete_selected");
		render_set(r, "Actions.0.label", arena_printf(r->arena,
		    "Delete selected %s", m->verbose_plural));
		k++;
	}
	for (const struct admin_action *a = am->actions; a != NULL &&
	    a->name != NULL; a++)
		if (admin_may(r, m, a->perm)) {
			render_set(r, arena_printf(r->arena, "Actions.%d.name",
			    k), a->name);
			render_set(r, arena_printf(r->arena, "Actions.%d.label",
			    k), a->label);
			k++;
		}
	render_set(r, arena_printf(r->arena, "Actions.%d.name", k),
	    "export_selected");
	render_set(r, arena_printf(r->arena, "Actions.%d.label", k),
	    arena_printf(r->arena, "Export selected %s as CSV",
	    m->verbose_plural));
	return k + 1;
}

static int action_post(struct req *r, const struct admin_model *am,
    const struct model *m);

int
admin_page_changelist(struct req *r)
{
	const struct admin_model *am;
	const struct model *m;
	const char *const *cols;
	const char	*base, *qs;
	struct model_query q;
	struct model_page pg;
	bool		 facets = req_query(r, "_facets") != NULL, more;
	int64_t		 total;
	int		 rc;

	if ((rc = model_gate(r, "view", &am, &m)) != 0)
		return rc;
	if (r->method == M_POST)
		return action_post(r, am, m);
	if ((rc = list_query(r, am, m, &q)) != 0)
		return rc;
	cols = list_cols(r, am, m);
	if (model_list(r, &q, cols, &pg) != 0)
		return HTTP_500;
	if ((total = model_count_capped(r, &q, COUNT_CAP, &more)) < 0)
		return HTTP_500;
	base = router_url(r, "admin_changelist", m->name);
	qs = filters_qs(r);
	render_set(r, "List.model", m->name);
	render_set(r, "List.verbose", m->verbose);
	render_set(r, "List.verbose_plural", m->verbose_plural);
	render_set(r, "List.count", count_text(r, m, total, more));
	render_set(r, "List.url", base);
	render_set(r, "List.query", qs);
	if (q.search != NULL)
		render_set(r, "List.search", q.search);
	if (model_search_columns(m, NULL, 0) > 0)
		render_set(r, "List.searchable", "1");
	if (!am->no_add && admin_may(r, m, "add"))
		render_set(r, "List.add_url", router_url(r, "admin_add",
		    m->name));
	render_set(r, "List.export_url", list_url(r, router_url(r,
	    "admin_export", m->name), NULL, NULL, NULL, NULL));
	render_set(r, "List.facets_url", list_url(r, base, "_facets",
	    facets ? NULL : "1", NULL, NULL));
	if (facets)
		render_set(r, "List.facets", "1");
	/* Hidden inputs that keep the filters when searching. */
	for (size_t i = 0, k = 0; i < r->query_params.n; i++) {
		const struct param *p = &r->query_params.v[i];

		if (strcmp(p->key, "q") == 0 || strcmp(p->key, "cursor") == 0)
			continue;
		render_set(r, arena_printf(r->arena, "List.keep.%zu.name", k),
		    p->key);
		render_set(r, arena_printf(r->arena, "List.keep.%zu.value",
		    k++), p->value != NULL ? p->value : "");
	}
	for (size_t c = 0; cols[c] != NULL; c++) {
		const struct model_field *f = model_field(m, cols[c]);
		struct render_node *n = render_node(r, "Columns.%zu", c);
		bool		 sorted = q.sort == f ||
		    (q.sort == NULL && strcmp(f->name, m->pk) == 0);

		render_node_set(r, n, "label", f->label);
		if (f->type == MODEL_INTEGER)
			render_node_set(r, n, "num", "1");
		if (!(f->flags & MF_SORTABLE))
			continue;
		render_node_set(r, n, "sort_url", list_url(r, base, "o",
		    sorted && !q.desc ? arena_printf(r->arena, "-%s",
		    f->name) : f->name, NULL, NULL));
		if (sorted)
			render_node_set(r, n, "sorted", q.desc ? "descending" :
			    "ascending");
	}
	for (size_t i = 0; i < pg.n; i++) {
		struct render_node *n = render_node(r, "Rows.%zu", i);
		const char	*url = router_url(r, "admin_change", m->name,
		    i64(r, pg.rows[i].pk));

		if (*qs != '\0')
			url = arena_printf(r->arena, "%s?_changelist_filters=%s",
			    url, http_url_encode(r, qs));
		render_node_set(r, n, "pk", i64(r, pg.rows[i].pk));
		render_node_set(r, n, "url", url);
		for (size_t c = 0; cols[c] != NULL; c++) {
			const struct model_field *f = model_field(m, cols[c]);
			const char	*t = cell_text(r, f,
			    pg.rows[i].values[c]);

			render_set(r, arena_printf(r->arena,
			    "Rows.%zu.cells.%zu.text", i, c), *t != '\0' ? t :
			    (c == 0 ? "(none)" : "\u2014"));
		}
	}
	if (pg.more)
		render_set(r, "List.next_url", list_url(r, base, "cursor",
		    pg.next, NULL, NULL));
	if (q.after.set)
		render_set(r, "List.first_url", list_url(r, base, NULL, NULL,
		    NULL, NULL));
	actions_export(r, am, m);
	if (filters_export(r, am, m, &q, base, facets) != 0)
		return HTTP_500;
	admin_crumb(r, admin_capfirst(r, m->verbose_plural), NULL);
	return admin_render(r, "admin/change_list.cs", arena_printf(r->arena,
	    "Select %s to %s", m->verbose, admin_may(r, m, "change") ?
	    "change" : "view"));
}

/* ---- delete, trash and restore ------------------------------------------ */

/*
 * Put what deleting row id would take along into prefix.related.N
 * (label, count), counted with capped queries; *protect set when a
 * protected relation holds rows.  0 or -1.
 */
static int
related_export(struct req *r, const struct admin_model *am,
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
		    "%s%s", more ? "more than " : "", thousands(r, sum)));
		render_node_set(r, node, "effect", rel->on_delete ==
		    ADMIN_PROTECT ? "protect" : rel->on_delete ==
		    ADMIN_SET_NULL ? "set_null" : "cascade");
	}
	return 0;
}

/* Is the row (values v) one that delete moves to the trash? */
static bool
goes_to_trash(const struct admin_model *am, const struct model *m,
    const char *const *v)
{
	const struct model_field *f;

	if (am->trash_field == NULL)
		return false;
	f = model_field(m, am->trash_field);
	return strcmp(v[field_index(m, f)], am->trash_value) != 0;
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
	size_t		 ti = field_index(m, tf);
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
static int
delete_one(struct req *r, const struct admin_model *am, const struct model *m,
    int64_t id, const char *const *v, bool *trashed)
{
	const char	*str;

	*trashed = goes_to_trash(am, m, v);
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
	int64_t		 id = param_id(r, "id");
	bool		 protect, trashed, restore;
	int		 rc;

	if ((rc = object_gate(r, "delete", &am, &m, id, &v)) != 0)
		return rc;
	str = model_row_str(r, m, id);
	restore = req_form(r, "_restore") != NULL;
	if (r->method == M_POST) {
		if (restore && (am->trash_field == NULL ||
		    goes_to_trash(am, m, v))) {
			r->error_detail = "This object is not in the trash.";
			return HTTP_400;
		}
		if (db_begin_write(r) != 0)
			return HTTP_500;
		if ((rc = model_row_get(r, m, id, &v)) != 1) {
			db_rollback(r);
			return rc == 0 ? HTTP_404 : HTTP_500;
		}
		if (!restore && !goes_to_trash(am, m, v)) {
			if (related_export(r, am, &id, 1, "Delete", &protect)
			    != 0) {
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
			rc = delete_one(r, am, m, id, v, &trashed);
		if (rc != 0 || db_commit(r) != 0) {
			db_rollback(r);
			return HTTP_500;
		}
		url = router_url(r, "admin_changelist", m->name);
		if (restore) {
			admin_message(r, "success", "%s was restored.",
			    obj_name(r, m, str));
			url = router_url(r, "admin_change", m->name,
			    i64(r, id));
		} else if (trashed)
			admin_message(r, "success", "%s was moved to the trash. "
			    "It can be restored from its page until the "
			    "trash is emptied.", obj_name(r, m, str));
		else
			admin_message(r, "success", "%s was deleted "
			    "successfully.", obj_name(r, m, str));
		return http_redirect(r, HTTP_303, url);
	}
	render_set(r, "Delete.object", str != NULL ? str : "");
	render_set(r, "Delete.verbose", m->verbose);
	render_set(r, "Delete.url", router_url(r, "admin_change", m->name,
	    i64(r, id)));
	if (goes_to_trash(am, m, v))
		render_set(r, "Delete.trash", "1");
	else {
		if (related_export(r, am, &id, 1, "Delete", &protect) != 0)
			return HTTP_500;
		if (protect)
			render_set(r, "Delete.protected", "1");
	}
	crumbs(r, m, str, router_url(r, "admin_change", m->name, i64(r, id)),
	    "Delete");
	return admin_render(r, "admin/delete_confirmation.cs", "Are you sure?");
}

/* ---- bulk actions and CSV ------------------------------------------------ */

/* A CSV cell: quoted when needed, formulas defused (a leading ' ). */
static void
csv_cell(struct buf *b, const char *v, bool first)
{
	if (!first)
		buf_putc(b, ',');
	if (v == NULL)
		return;
	if (strpbrk(v, ",\"\r\n") == NULL && strchr("=+-@\t\r", v[0]) ==
	    NULL) {
		buf_puts(b, v);
		return;
	}
	buf_putc(b, '"');
	if (v[0] != '\0' && strchr("=+-@\t\r", v[0]) != NULL)
		buf_putc(b, '\'');
	for (; *v != '\0'; v++) {
		if (*v == '"')
			buf_putc(b, '"');
		buf_putc(b, *v);
	}
	buf_putc(b, '"');
}

/* Start a CSV answer named <plural>.csv with its header row. */
static void
csv_begin(struct req *r, const struct model *m, const char *const *cols)
{
	r->content_type = "text/csv; charset=utf-8";
	http_set_header(r, "Content-Disposition", arena_printf(r->arena,
	    "attachment; filename=\"%s.csv\"", m->verbose_plural));
	buf_reset(&r->out);
	csv_cell(&r->out, "id", true);
	for (size_t c = 0; cols[c] != NULL; c++)
		csv_cell(&r->out, model_field(m, cols[c])->label, false);
	buf_puts(&r->out, "\r\n");
}

static void
csv_row(struct req *r, const struct model *m, const char *const *cols,
    int64_t pk, const char *const *values)
{
	csv_cell(&r->out, i64(r, pk), true);
	for (size_t c = 0; cols[c] != NULL; c++)
		csv_cell(&r->out, cell_text(r, model_field(m, cols[c]),
		    values[c]), false);
	buf_puts(&r->out, "\r\n");
}

/*
 * GET /admin/{model}/export/?<the list's filters>: every row the list
 * shows, in its order, as CSV (at most EXPORT_MAX), walked page by page
 * with the same keyset query.
 */
int
admin_page_export(struct req *r)
{
	const struct admin_model *am;
	const struct model *m;
	const char *const *cols;
	struct model_query q;
	struct model_page pg;
	size_t		 rows = 0;
	int		 rc;

	if ((rc = model_gate(r, "view", &am, &m)) != 0)
		return rc;
	if ((rc = list_query(r, am, m, &q)) != 0)
		return rc;
	cols = list_cols(r, am, m);
	csv_begin(r, m, cols);
	q.limit = MODEL_PAGE_MAX;
	q.after.set = false;
	for (;;) {
		if (model_list(r, &q, cols, &pg) != 0)
			return HTTP_500;
		for (size_t i = 0; i < pg.n && rows < EXPORT_MAX; i++, rows++)
			csv_row(r, m, cols, pg.rows[i].pk, pg.rows[i].values);
		if (!pg.more || rows >= EXPORT_MAX)
			break;
		memset(&q.after, 0, sizeof(q.after));
		if (model_query_seek(r, &q, pg.next) != 0)
			return HTTP_500;
	}
	return HTTP_200;
}

/* The selected ids of a bulk action (_selected_action), at most max. */
static size_t
selected_ids(struct req *r, int64_t *ids, size_t max)
{
	size_t		 n = 0;
	long long	 v;

	for (size_t i = 0; i < r->form.n && n < max; i++) {
		bool	 dup = false;

		if (strcmp(r->form.v[i].key, "_selected_action") != 0 ||
		    util_parse_int(r->form.v[i].value, 1, INT64_MAX, &v) != 0)
			continue;
		for (size_t j = 0; j < n; j++)
			dup |= ids[j] == v;
		if (!dup)
			ids[n++] = v;
	}
	return n;
}

static int
action_post(struct req *r, const struct admin_model *am,
    const struct model *m)
{
	const char	*name = req_form(r, "action"), *back, *perm = NULL;
	const struct admin_action *act = NULL;
	const char	**v;
	int64_t		 ids[ACTION_MAX];
	size_t		 n, kept = 0;
	bool		 confirmed = req_form(r, "post") != NULL, protect;
	bool		 is_delete, is_export, trashed;
	int		 rc, done = 0, ntrash = 0;

	back = router_url(r, "admin_changelist", m->name);
	if (req_form(r, "_changelist_filters") != NULL &&
	    *req_form(r, "_changelist_filters") != '\0')
		back = arena_printf(r->arena, "%s?%s", back,
		    req_form(r, "_changelist_filters"));
	is_delete = name != NULL && strcmp(name, "delete_selected") == 0;
	is_export = name != NULL && strcmp(name, "export_selected") == 0;
	if (is_delete)
		perm = "delete";
	else if (is_export)
		perm = "view";
	for (const struct admin_action *a = am->actions; perm == NULL &&
	    name != NULL && a != NULL && a->name != NULL; a++)
		if (strcmp(a->name, name) == 0) {
			act = a;
			perm = a->perm;
		}
	if (perm == NULL) {
		admin_message(r, "warning", "No action selected.");
		return http_redirect(r, HTTP_303, back);
	}
	if (!admin_may(r, m, perm))
		return HTTP_403;
	if ((n = selected_ids(r, ids, NELEM(ids))) == 0) {
		admin_message(r, "warning", "Items must be selected in order to "
		    "perform actions on them. No items have been changed.");
		return http_redirect(r, HTTP_303, back);
	}
	/* Keep the rows that exist and are the user's to act on. */
	for (size_t i = 0; i < n; i++) {
		if ((rc = model_row_get(r, m, ids[i], &v)) < 0)
			return HTTP_500;
		if (rc == 1 && may_row(r, am, m, v) && (is_export ||
		    may_change_row(r, am, v)))
			ids[kept++] = ids[i];
		else if (rc == 1)
			return HTTP_403;
	}
	n = kept;
	if (is_export) {
		const char *const *cols = list_cols(r, am, m);
		const char	**row = arena_zalloc(r->arena,
		    (MODEL_LIST_COLS_MAX + 1) * sizeof(*row));

		csv_begin(r, m, cols);
		for (size_t i = 0; i < n; i++) {
			if (model_row_get(r, m, ids[i], &v) != 1)
				return HTTP_500;
			for (size_t c = 0; cols[c] != NULL; c++)
				row[c] = v[field_index(m, model_field(m,
				    cols[c]))];
			csv_row(r, m, cols, ids[i], row);
		}
		return HTTP_200;
	}
	if (!confirmed) {
		render_set(r, "Confirm.action", name);
		render_set(r, "Confirm.label", is_delete ? arena_printf(r->arena,
		    "Delete selected %s", m->verbose_plural) : act->label);
		render_set(r, "Confirm.verbose_plural", m->verbose_plural);
		render_set(r, "Confirm.back", back);
		render_set(r, "Confirm.filters", req_form(r,
		    "_changelist_filters") != NULL ? req_form(r,
		    "_changelist_filters") : "");
		for (size_t i = 0; i < n; i++) {
			struct render_node *o = render_node(r,
			    "Confirm.objects.%zu", i);
			const char	*s = model_row_str(r, m, ids[i]);

			render_node_set(r, o, "id", i64(r, ids[i]));
			render_node_set(r, o, "name", s != NULL && *s != '\0' ?
			    s : i64(r, ids[i]));
			render_node_set(r, o, "url", router_url(r,
			    "admin_change", m->name, i64(r, ids[i])));
			if (is_delete && model_row_get(r, m, ids[i], &v) == 1 &&
			    goes_to_trash(am, m, v))
				render_node_set(r, o, "trash", "1");
		}
		if (is_delete) {
			render_set(r, "Confirm.delete", "1");
			if (related_export(r, am, ids, n, "Confirm", &protect)
			    != 0)
				return HTTP_500;
			if (protect)
				render_set(r, "Confirm.protected", "1");
		}
		admin_crumb(r, admin_capfirst(r, m->verbose_plural), back);
		admin_crumb(r, is_delete ? "Delete multiple objects" :
		    act->label, NULL);
		return admin_render(r, "admin/action_confirmation.cs",
		    "Are you sure?");
	}
	if (db_begin_write(r) != 0)
		return HTTP_500;
	if (is_delete) {
		if (related_export(r, am, ids, n, "Confirm", &protect) != 0)
			goto fail;
		for (size_t i = 0; i < n; i++) {
			if ((rc = model_row_get(r, m, ids[i], &v)) < 0)
				goto fail;
			if (rc == 0)
				continue;
			if (!goes_to_trash(am, m, v) && protect) {
				db_rollback(r);
				admin_message(r, "error", "Cannot delete the "
				    "selected %s: other objects that are "
				    "protected refer to them.",
				    m->verbose_plural);
				return http_redirect(r, HTTP_303, back);
			}
			if (delete_one(r, am, m, ids[i], v, &trashed) != 0)
				goto fail;
			done++;
			ntrash += trashed;
		}
	} else if ((done = act->run(r, am, ids, n)) < 0)
		goto fail;
	if (db_commit(r) != 0)
		goto fail;
	if (is_delete && ntrash > 0)
		admin_message(r, "success", "Moved %d %s to the trash%s.",
		    ntrash, ntrash == 1 ? m->verbose : m->verbose_plural,
		    done > ntrash ? arena_printf(r->arena, " and deleted %d",
		    done - ntrash) : "");
	else if (is_delete)
		admin_message(r, "success", "Successfully deleted %d %s.",
		    done, done == 1 ? m->verbose : m->verbose_plural);
	else
		admin_message(r, "success", "%s: %d %s changed.", act->label,
		    done, done == 1 ? m->verbose : m->verbose_plural);
	return http_redirect(r, HTTP_303, back);
fail:
	db_rollback(r);
	return HTTP_500;
}

/* ---- add and change ------------------------------------------------------- */

/* Which fields a form shows and which of them r->user may edit. */
struct plan {
	bool	 shown[MODEL_FIELDS_MAX];
	bool	 editable[MODEL_FIELDS_MAX];
	bool	 view_only;
};

static const struct admin_fieldset *
fieldsets_of(const struct admin_model *am, bool add)
{
	return add && am->add_fieldsets != NULL ? am->add_fieldsets :
	    am->fieldsets;
}

static void
plan_form(struct req *r, const struct admin_model *am, const struct model *m,
    bool add, bool view_only, struct plan *p)
{
	const struct admin_fieldset *fs = fieldsets_of(am, add);
	bool		 restricted = owner_restricted(r, am);
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
		const char	*id = i64(r, pg.rows[j].pk);
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
	render_node_set(r, n, "display", value_text(r, f, ff->value));
	if (ff->error != NULL)
		render_node_set(r, n, "error", ff->error);
	if (f->help != NULL)
		render_node_set(r, n, "help", f->help);
	if (editable && (f->flags & MF_REQUIRED))
		render_node_set(r, n, "required", "1");
	if (f->max > 0 && f->type != MODEL_INTEGER)
		render_node_set(r, n, "max", i64(r, f->max));
	if (f->type == MODEL_INTEGER && f->min < f->max) {
		render_node_set(r, n, "min", i64(r, f->min));
		render_node_set(r, n, "max", i64(r, f->max));
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
			render_node_set(r, n, "current", fk_display(r, f,
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
    const struct model *m, const struct form *f, const struct plan *p,
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
			size_t	 i = field_index(m, mf);

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
		    when(r, sqlite3_column_int64(st, 1)));
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
static int
save_form(struct req *r, const struct admin_model *am, const struct model *m,
    int64_t id, struct form *f, const bool *write, const char *version,
    enum admin_log_action action, int64_t *out, bool *stale)
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
    int64_t id, const struct form *f, const struct plan *p,
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
		render_set(r, "Change.id", i64(r, id));
		render_set(r, "Change.history_url", router_url(r,
		    "admin_history", m->name, i64(r, id)));
		if (admin_may(r, m, "delete"))
			render_set(r, "Change.delete_url", router_url(r,
			    "admin_delete", m->name, i64(r, id)));
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
	    i64(r, id)) : arena_printf(r->arena, "Add %s", m->verbose), NULL);
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
		    "edit it again below.", obj_name(r, m, str), done);
		return http_redirect(r, HTTP_303, arena_printf(r->arena, "%s%s",
		    router_url(r, "admin_change", m->name, i64(r, id)), qs));
	}
	if (req_form(r, "_addanother") != NULL) {
		admin_message(r, "success", "%s was %s successfully. You may "
		    "add another %s below.", obj_name(r, m, str), done,
		    m->verbose);
		return http_redirect(r, HTTP_303, arena_printf(r->arena, "%s%s",
		    router_url(r, "admin_add", m->name), qs));
	}
	admin_message(r, "success", "%s was %s successfully.",
	    obj_name(r, m, str), done);
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
	struct plan	 p;
	bool		 preview = req_form(r, "_preview") != NULL;
	bool		 view_only, write[MODEL_FIELDS_MAX], stale;
	int64_t		 nid;
	int		 rc;

	if (id == 0 && (rc = model_gate(r, "add", &am, &m)) != 0)
		return rc;
	if (id == 0 && am->no_add)
		return HTTP_403;
	if (id != 0) {
		if ((rc = object_gate(r, "view", &am, &m, id, &v)) != 0)
			return rc;
		version = admin_version(r, m, v);
	}
	view_only = id != 0 && (!admin_may(r, m, "change") ||
	    !may_change_row(r, am, v));
	if (view_only && r->method == M_POST)
		return HTTP_403;
	plan_form(r, am, m, id == 0, view_only, &p);
	if (r->method != M_POST) {
		form_init(r, m, &f);
		for (size_t i = 0; v != NULL && i < f.n; i++)
			if (v[i] != NULL)
				f.fields[i].value = v[i];
		if (id == 0 && owner_restricted(r, am))
			form_set(r, &f, am->owner_field, i64(r, r->user->id));
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
	if (id == 0 && owner_restricted(r, am)) {
		form_set(r, &f, am->owner_field, i64(r, r->user->id));
		write[field_index(m, model_field(m, am->owner_field))] = true;
	}
	if (preview) {
		form_validate(r, &f);
		return form_page(r, am, m, id, &f, &p, req_form(r, "_version"),
		    true);
	}
	if (id != 0 && (version = req_form(r, "_version")) == NULL)
		version = "";
	rc = save_form(r, am, m, id, &f, write, version, id == 0 ?
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
	int64_t	 id = param_id(r, "id");

	return id == 0 ? HTTP_404 : change_view(r, id);
}

/* ---- history, revert and the log ------------------------------------------ */

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
		render_node_set(r, n, "old", f != NULL ? value_text(r, f, old) :
		    old);
		render_node_set(r, n, "new", f != NULL ? value_text(r, f, nw) :
		    nw);
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
	int64_t		 id = param_id(r, "id"), before, last = 0;
	bool		 may_change, exists;
	int		 rc, k = 0;

	if ((rc = model_gate(r, "view", &am, &m)) != 0)
		return rc;
	if ((rc = before_param(r, &before)) != 0)
		return rc;
	/* A deleted object's history stays readable to its model's staff. */
	if ((rc = model_row_get(r, m, id, &v)) < 0)
		return HTTP_500;
	if (rc == 1 && !may_row(r, am, m, v))
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
		render_node_set(r, n, "time", when(r,
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
			    "admin_revert", m->name, i64(r, id), i64(r, lid)));
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
		    m->name, i64(r, id)));
	crumbs(r, m, str, router_url(r, "admin_change", m->name, i64(r, id)),
	    "History");
	return admin_render(r, "admin/object_history.cs", arena_printf(
	    r->arena, "Change history: %s", str));
}

int
admin_page_revert(struct req *r)
{
	const struct admin_model *am;
	const struct model *m;
	const char	**v, **nv, *snap = NULL;
	int64_t		 id = param_id(r, "id"), lid = param_id(r, "log"), nid;
	sqlite3_stmt	*st;
	struct form	 f;
	struct plan	 p;
	bool		 write[MODEL_FIELDS_MAX], stale;
	int		 undo = req_form(r, "_undo") != NULL;
	int		 rc;

	if ((rc = object_gate(r, "change", &am, &m, id, &v)) != 0)
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
	plan_form(r, am, m, false, false, &p);
	form_init(r, m, &f);
	for (size_t i = 0; i < f.n; i++) {
		write[i] = p.editable[i] && nv[i] != NULL && (v[i] == NULL ||
		    strcmp(nv[i], v[i]) != 0);
		f.fields[i].value = write[i] ? nv[i] : v[i] != NULL ? v[i] :
		    "";
	}
	rc = save_form(r, am, m, id, &f, write, NULL, ADMIN_LOG_REVERT, &nid,
	    &stale);
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
		    "admin_history", m->name, i64(r, id)));
	}
	admin_message(r, "success", undo ? "%s: the change was undone. You "
	    "may edit it again below." : "%s was reverted to the chosen "
	    "version. You may edit it again below.",
	    obj_name(r, m, model_row_str(r, m, id)));
	return http_redirect(r, HTTP_303, router_url(r, "admin_change",
	    m->name, i64(r, id)));
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
			render_set(r, "Log.next_url", list_url(r, r->path,
			    "before", i64(r, last), NULL, NULL));
			break;
		}
		n = render_node(r, "%s", prefix);
		render_node_set(r, n, "time", when(r,
		    sqlite3_column_int64(st, 1)));
		render_node_set(r, n, "user", db_col_strdup(r, st, 2));
		render_node_set(r, n, "model", m != NULL ? m->verbose : mname);
		render_node_set(r, n, "object", db_col_strdup(r, st, 5));
		render_node_set(r, n, "action_label", action_label(action));
		if (m != NULL && admin_model_find(mname) != NULL)
			render_node_set(r, n, "history_url", router_url(r,
			    "admin_history", mname,
			    i64(r, sqlite3_column_int64(st, 4))));
		changes_export(r, m, sqlite3_column_type(st, 7) == SQLITE_TEXT ?
		    (const char *)sqlite3_column_text(st, 7) : NULL, prefix);
		last = sqlite3_column_int64(st, 0);
		k++;
	}
	db_done(r, st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return HTTP_500;
	if (before != INT64_MAX)
		render_set(r, "Log.first_url", list_url(r, r->path, "before",
		    NULL, NULL, NULL));
	admin_crumb(r, "Log", NULL);
	return admin_render(r, "admin/log.cs", "Log of changes");
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

		json_object_set_new(o, "id", json_string(i64(r,
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
