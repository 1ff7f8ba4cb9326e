/*
 * admin_list: the changelist, /admin/{model}/: sorting, filters with
 * their facet counts, search and keyset pagination over the model's
 * query engine (model.c); the bulk actions its form posts (delete
 * selected, the registry's actions, export selected) and the CSV export
 * of what it lists.
 */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "core/admin.h"
#include "core/admin_internal.h"
#include "core/arena.h"
#include "core/auth.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/form.h"
#include "core/http.h"
#include "core/model.h"
#include "core/render.h"
#include "core/router.h"
#include "core/util.h"

#define ACTION_MAX	500	/* rows one bulk action takes */
#define EXPORT_MAX	100000	/* rows in one CSV export */
#define FK_FILTER_MAX	30	/* FK filter choices in the sidebar */

/* "3 articles", "more than 1,000 articles". */
static const char *
count_text(struct req *r, const struct model *m, int64_t n, bool more)
{
	return arena_printf(r->arena, "%s%s %s", more ? "more than " : "",
	    admin_thousands(r, n), n == 1 && !more ? m->verbose :
	    m->verbose_plural);
}

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
	if (admin_is_owner_restricted(r, am)) {
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
const char *
admin_list_url(struct req *r, const char *base, const char *key,
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
	const char	*u = admin_list_url(r, "", NULL, NULL, NULL, NULL);

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
	return arena_printf(r->arena, "%s%s", admin_thousands(r, n),
	    more ? "+" : "");
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

			filter_choice(r, prefix, &k, "Any date",
			    admin_list_url(r, base, gte, NULL, lt, NULL),
			    cg == NULL, NULL);
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
				    admin_list_url(r, base, gte, a, lt, b),
				    cg != NULL && strcmp(cg, a) == 0,
				    facets ? facet(r, &fq, f, ">=", true, from,
				    a) : NULL);
			}
			continue;
		}
		filter_choice(r, prefix, &k, "All", admin_list_url(r, base,
		    f->name, NULL, NULL, NULL), cur == NULL, NULL);
		if (f->type == MODEL_CHOICE) {
			for (const struct model_choice *c = f->choices;
			    c->value != NULL; c++)
				filter_choice(r, prefix, &k, c->label,
				    admin_list_url(r, base, f->name, c->value,
				    NULL, NULL), cur != NULL && strcmp(cur,
				    c->value) == 0, facets ? facet(r, &fq, f,
				    "=", false, 0, c->value) : NULL);
		} else if (f->type == MODEL_BOOLEAN) {
			filter_choice(r, prefix, &k, "Yes", admin_list_url(r,
			    base, f->name, "1", NULL, NULL), cur != NULL &&
			    strcmp(cur, "1") == 0, facets ? facet(r, &fq, f,
			    "=", true, 1, "1") : NULL);
			filter_choice(r, prefix, &k, "No", admin_list_url(r,
			    base, f->name, "0", NULL, NULL), cur != NULL &&
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
				const char	*id = admin_i64(r,
				    pg.rows[j].pk);
				bool		 is = cur != NULL &&
				    strcmp(cur, id) == 0;

				seen |= is;
				filter_choice(r, prefix, &k,
				    pg.rows[j].values[0] != NULL ?
				    pg.rows[j].values[0] : id, admin_list_url(r,
				    base, f->name, id, NULL, NULL), is,
				    facets ? facet(r, &fq, f, "=", true,
				    pg.rows[j].pk, id) : NULL);
			}
			if (cur != NULL && !seen)
				filter_choice(r, prefix, &k,
				    admin_fk_display(r, f, cur),
				    admin_list_url(r, base, f->name, cur, NULL,
				    NULL), true, NULL);
		} else if (cur != NULL)
			filter_choice(r, prefix, &k, cur, admin_list_url(r,
			    base, f->name, cur, NULL, NULL), true, NULL);
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
		return admin_fk_display(r, f, v);
	return admin_display(r, f, v, true);
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

	if ((rc = admin_model_gate(r, "view", &am, &m)) != 0)
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
	render_set(r, "List.export_url", admin_list_url(r, router_url(r,
	    "admin_export", m->name), NULL, NULL, NULL, NULL));
	render_set(r, "List.facets_url", admin_list_url(r, base, "_facets",
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
		render_node_set(r, n, "sort_url", admin_list_url(r, base, "o",
		    sorted && !q.desc ? arena_printf(r->arena, "-%s",
		    f->name) : f->name, NULL, NULL));
		if (sorted)
			render_node_set(r, n, "sorted", q.desc ? "descending" :
			    "ascending");
	}
	for (size_t i = 0; i < pg.n; i++) {
		struct render_node *n = render_node(r, "Rows.%zu", i);
		const char	*url = router_url(r, "admin_change", m->name,
		    admin_i64(r, pg.rows[i].pk));

		if (*qs != '\0')
			url = arena_printf(r->arena, "%s?_changelist_filters=%s",
			    url, http_url_encode(r, qs));
		render_node_set(r, n, "pk", admin_i64(r, pg.rows[i].pk));
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
		render_set(r, "List.next_url", admin_list_url(r, base, "cursor",
		    pg.next, NULL, NULL));
	if (q.after.set)
		render_set(r, "List.first_url", admin_list_url(r, base, NULL,
		    NULL, NULL, NULL));
	actions_export(r, am, m);
	if (filters_export(r, am, m, &q, base, facets) != 0)
		return HTTP_500;
	admin_crumb(r, admin_capfirst(r, m->verbose_plural), NULL);
	return admin_render(r, "admin/change_list.cs", arena_printf(r->arena,
	    "Select %s to %s", m->verbose, admin_may(r, m, "change") ?
	    "change" : "view"));
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
	csv_cell(&r->out, admin_i64(r, pk), true);
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

	if ((rc = admin_model_gate(r, "view", &am, &m)) != 0)
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
		if (rc == 1 && admin_may_row(r, am, m, v) && (is_export ||
		    admin_may_change_row(r, am, v)))
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
				row[c] = v[admin_field_index(m, model_field(m,
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

			render_node_set(r, o, "id", admin_i64(r, ids[i]));
			render_node_set(r, o, "name", s != NULL && *s != '\0' ?
			    s : admin_i64(r, ids[i]));
			render_node_set(r, o, "url", router_url(r,
			    "admin_change", m->name, admin_i64(r, ids[i])));
			if (is_delete && model_row_get(r, m, ids[i], &v) == 1 &&
			    admin_delete_is_trash(am, m, v))
				render_node_set(r, o, "trash", "1");
		}
		if (is_delete) {
			render_set(r, "Confirm.delete", "1");
			if (admin_related_export(r, am, ids, n, "Confirm",
			    &protect) != 0)
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
		if (admin_related_export(r, am, ids, n, "Confirm",
		    &protect) != 0)
			goto fail;
		for (size_t i = 0; i < n; i++) {
			if ((rc = model_row_get(r, m, ids[i], &v)) < 0)
				goto fail;
			if (rc == 0)
				continue;
			if (!admin_delete_is_trash(am, m, v) && protect) {
				db_rollback(r);
				admin_message(r, "error", "Cannot delete the "
				    "selected %s: other objects that are "
				    "protected refer to them.",
				    m->verbose_plural);
				return http_redirect(r, HTTP_303, back);
			}
			if (admin_delete_row(r, am, m, ids[i], v, &trashed)
			    != 0)
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
