/*
 * model: the registry of the site's models and the lookups that turn
 * sort, filter and search parameters into column names.  Every string
 * this file hands out for SQL is one of the registered tables' own
 * (static) strings, or an arena copy assembled only from them: input
 * is compared with metadata, never copied into SQL.  Below the
 * registry, the changelist queries: parsed parameters, keyset pages and
 * capped counts, built here and nowhere else (tests/lint-sql.sh).
 */
#include <assert.h>
#include <inttypes.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/form.h"
#include "core/http.h"
#include "core/log.h"
#include "core/model.h"
#include "core/util.h"

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
	[MODEL_PASSWORD] = "password",
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
		if ((f->type == MODEL_MANY_TO_MANY ||
		    (f->flags & MF_VIRTUAL)) &&
		    (f->flags & (MF_SORTABLE | MF_FILTERABLE | MF_SEARCHABLE)))
			return "a many-to-many or virtual field is sortable, "
			    "filterable or searchable";
		if (f->type == MODEL_PASSWORD && !(f->flags & MF_VIRTUAL))
			return "a password field is not virtual";
		if ((f->flags & (MF_AUTO_NOW | MF_AUTO_NOW_ADD)) &&
		    f->type != MODEL_DATETIME)
			return "an automatic time is not a date-time";
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

/* ---- changelist queries ------------------------------------------------ */

/*
 * The list SQL is assembled here, and only here (tests/lint-sql.sh), from
 * the metadata's table and column names, keywords and ?N placeholders;
 * every value the request brought is bound.
 *
 * NULL sort values: SQLite orders NULL first ascending and last
 * descending.  A keyset comparison (col, pk) > (?, ?) is never true for a
 * NULL col, and "OR col IS NULL" would stop an index from seeking, so a
 * list is walked as two runs, each an index range: the rows whose sort
 * value is NULL (ordered by the pk alone) and the others (by col, pk).
 * Ascending, the NULL run comes first; descending, last.  A page that
 * ends one run goes on into the next with a second statement.
 *
 * The cursor: "v1.<o>.<value>.<pk>", where <o> is the ordering it was
 * made for ("-publish_at") and <value> is "n" (NULL), "i<integer>" or
 * "t<hex of the UTF-8 text>": only [0-9a-z_.-], so it needs no escaping
 * in a URL.  It is not signed: a forged but well-formed cursor is only a
 * position, and every part of it is checked and bound.
 */

/* Sort values and filters of these types are integers; others text. */
static bool
is_num_type(enum model_type t)
{
	return t == MODEL_INTEGER || t == MODEL_BOOLEAN ||
	    t == MODEL_DATETIME || t == MODEL_FOREIGN_KEY;
}

static int
refuse(struct req *r, const char *why)
{
	r->error_detail = why;
	return HTTP_400;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Parse s into q->after for q's ordering; 0 or -1 if malformed. */
static int
cursor_parse(struct req *r, struct model_query *q, const char *s)
{
	struct model_cursor *c = &q->after;
	const char	*val, *dot;
	size_t		 olen, n;
	long long	 v;
	char		*t, num[24];
	int		 i, hi, lo;

	/* "v1.", the ordering (no dot in it), the value (none in it) and
	 * the pk after the last dot. */
	olen = strlen(q->order);
	if (strncmp(s, "v1.", 3) != 0 || strncmp(s + 3, q->order, olen) != 0 ||
	    s[3 + olen] != '.')
		return -1;
	val = s + 3 + olen + 1;
	if ((dot = strrchr(val, '.')) == NULL ||
	    util_parse_int(dot + 1, 1, INT64_MAX, &v) != 0)
		return -1;
	c->pk = v;
	n = (size_t)(dot - val);
	if (n == 1 && val[0] == 'n') {
		if (q->sort == NULL)
			return -1;	/* a pk is never NULL */
		c->null = true;
	} else if (val[0] == 'i' && (q->sort == NULL ||
	    is_num_type(q->sort->type))) {
		if (n - 1 >= sizeof(num))
			return -1;
		memcpy(num, val + 1, n - 1);
		num[n - 1] = '\0';
		if (util_parse_int(num, INT64_MIN, INT64_MAX, &v) != 0)
			return -1;
		c->is_num = true;
		c->num = v;
		if (q->sort == NULL && v != c->pk)
			return -1;
	} else if (val[0] == 't' && q->sort != NULL &&
	    !is_num_type(q->sort->type)) {
		if ((n - 1) % 2 != 0)
			return -1;
		t = arena_alloc(r->arena, (n - 1) / 2 + 1);
		for (i = 0; (size_t)i < (n - 1) / 2; i++) {
			if ((hi = hexval(val[1 + 2 * i])) < 0 ||
			    (lo = hexval(val[2 + 2 * i])) < 0)
				return -1;
			t[i] = (char)(hi << 4 | lo);
		}
		t[i] = '\0';
		if (!util_is_utf8(t, (size_t)i))	/* NUL is invalid too */
			return -1;
		c->text = t;
	} else
		return -1;
	c->set = true;
	return 0;
}

/* A row's sort value, kept to make the next page's cursor from. */
struct sortval {
	int		 type;		/* SQLITE_INTEGER, _TEXT, _NULL ... */
	long long	 num;
	const char	*text;		/* arena copy, len bytes */
	size_t		 len;
};

/* The cursor after a row with sort value v and primary key pk. */
static const char *
cursor_format(struct req *r, const struct model_query *q,
    const struct sortval *v, int64_t pk)
{
	struct buf	 b;
	const char	*out;

	switch (v->type) {
	case SQLITE_NULL:
		return arena_printf(r->arena, "v1.%s.n.%" PRId64, q->order, pk);
	case SQLITE_INTEGER:
		if (q->sort == NULL || is_num_type(q->sort->type))
			return arena_printf(r->arena, "v1.%s.i%lld.%" PRId64,
			    q->order, v->num, pk);
		break;
	case SQLITE_TEXT:
		if (q->sort == NULL || is_num_type(q->sort->type))
			break;
		buf_init(&b);
		buf_printf(&b, "v1.%s.t", q->order);
		for (size_t i = 0; i < v->len; i++)
			buf_printf(&b, "%02x", (unsigned char)v->text[i]);
		buf_printf(&b, ".%" PRId64, pk);
		out = arena_strdup(r->arena, b.ptr);
		buf_free(&b);
		return out;
	default:
		break;
	}
	/* A value a cursor cannot hold (a REAL, a BLOB, a text in an
	 * integer column) is a schema the metadata does not describe. */
	req_fail(r, 500, "model_list: %s.%s holds a value of storage type %d",
	    q->m->table, q->sort != NULL ? q->sort->name : q->m->pk, v->type);
	return NULL;
}

/* One filter ?name=value for field f into q; 0 or 400. */
static int
filter_parse(struct req *r, struct model_query *q,
    const struct model_field *f, const char *op, const char *value)
{
	struct model_filter *mf;
	char		 msg[200];
	int64_t		 t;
	long long	 v;

	if (q->nfilters == MODEL_FILTERS_MAX)
		return refuse(r, "Too many filters.");
	if (*value == '\0')
		return refuse(r, arena_printf(r->arena, "The filter %s has "
		    "no value.", f->name));
	mf = &q->filters[q->nfilters];
	mf->field = f;
	mf->op = op;
	mf->value = value;
	mf->is_num = is_num_type(f->type);
	/* A filter's "0" is false, not the empty checkbox of a form. */
	if (f->type == MODEL_BOOLEAN && (strcmp(value, "0") == 0 ||
	    strcmp(value, "1") == 0)) {
		mf->num = value[0] == '1';
		q->nfilters++;
		return 0;
	}
	if (!form_check_value(f, value, msg, sizeof(msg)))
		return refuse(r, arena_printf(r->arena, "The filter %s: %s",
		    f->name, msg));
	if (f->type == MODEL_DATETIME) {
		if (form_parse_datetime(value, &t) != 0)
			return refuse(r, "Enter a valid date/time.");
		mf->num = t;
	} else if (mf->is_num) {
		if (util_parse_int(value, INT64_MIN, INT64_MAX, &v) != 0)
			return refuse(r, arena_printf(r->arena, "The filter "
			    "%s takes a whole number.", f->name));
		mf->num = v;
	}
	q->nfilters++;
	return 0;
}

/* ?q=: trimmed, split at blanks into q->words; 0 or 400. */
static int
search_parse(struct req *r, struct model_query *q, const char *value)
{
	const char	*cols[1];
	char		*s, *w, *save = NULL;

	if (strlen(value) > MODEL_SEARCH_MAX)
		return refuse(r, "The search is too long.");
	s = util_strtrim(r->arena, value);
	if (*s == '\0')
		return 0;
	if (model_search_columns(q->m, cols, 1) == 0)
		return refuse(r, "This list cannot be searched.");
	q->search = arena_strdup(r->arena, s);
	for (w = strtok_r(s, " \t\r\n", &save); w != NULL;
	    w = strtok_r(NULL, " \t\r\n", &save)) {
		if (q->nwords == MODEL_SEARCH_WORDS_MAX)
			return refuse(r, "The search has too many words.");
		q->words[q->nwords++] = w;
	}
	return 0;
}

/*
 * The DATETIME field a range key names ("publish_at__gte": ">=",
 * "publish_at__lt": "<") if filterable, else NULL.
 */
static const struct model_field *
range_field(struct req *r, const struct model *m, const char *key,
    const char **op)
{
	static const struct {
		const char	*suffix;
		const char	*op;
	} ranges[] = { { "__gte", ">=" }, { "__lt", "<" } };
	const struct model_field *f;
	size_t		 n = strlen(key), k;

	for (size_t i = 0; i < NELEM(ranges); i++) {
		k = strlen(ranges[i].suffix);
		if (n <= k || strcmp(key + n - k, ranges[i].suffix) != 0)
			continue;
		f = model_filter_column(m, arena_strndup(r->arena, key,
		    n - k));
		if (f == NULL || f->type != MODEL_DATETIME)
			return NULL;
		*op = ranges[i].op;
		return f;
	}
	return NULL;
}

/* Was key given before index i of p? */
static bool
seen_before(const struct params *p, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (strcmp(p->v[j].key, p->v[i].key) == 0)
			return true;
	return false;
}

int
model_query_parse(struct req *r, const struct model *m,
    const struct params *query, struct model_query *q)
{
	const struct model_field *f;
	const char	*o = NULL, *cursor = NULL, *key, *val, *op;
	int		 rc;

	memset(q, 0, sizeof(*q));
	q->m = m;
	q->limit = MODEL_PAGE_DEFAULT;
	for (size_t i = 0; i < query->n; i++) {
		key = query->v[i].key;
		val = query->v[i].value != NULL ? query->v[i].value : "";
		if (seen_before(query, i))
			return refuse(r, "A parameter is given twice.");
		if (strcmp(key, "o") == 0)
			o = val;
		else if (strcmp(key, "cursor") == 0)
			cursor = val;
		else if (strcmp(key, "q") == 0) {
			if ((rc = search_parse(r, q, val)) != 0)
				return rc;
		} else if ((f = model_filter_column(m, key)) != NULL) {
			if ((rc = filter_parse(r, q, f, "=", val)) != 0)
				return rc;
		} else if ((f = range_field(r, m, key, &op)) != NULL) {
			if ((rc = filter_parse(r, q, f, op, val)) != 0)
				return rc;
		} else
			return refuse(r, "This list has no such parameter, "
			    "or cannot be filtered by that field.");
	}
	if (o == NULL || *o == '\0')
		o = m->ordering;
	if ((f = sort_field(m, o, &q->desc)) == NULL)
		return refuse(r, "This list cannot be sorted by that field.");
	/* The canonical spelling, from the metadata, not the input. */
	q->order = q->desc ? arena_printf(r->arena, "-%s", f->name) : f->name;
	q->sort = strcmp(f->name, m->pk) == 0 ? NULL : f;
	if (cursor != NULL && *cursor != '\0' &&
	    (strlen(cursor) > MODEL_CURSOR_MAX ||
	    cursor_parse(r, q, cursor) != 0))
		return refuse(r, "The page link is not valid for this list.");
	return 0;
}

int
model_query_seek(struct req *r, struct model_query *q, const char *cursor)
{
	memset(&q->after, 0, sizeof(q->after));
	if (cursor == NULL || strlen(cursor) > MODEL_CURSOR_MAX ||
	    cursor_parse(r, q, cursor) != 0)
		return refuse(r, "The page link is not valid for this list.");
	return 0;
}

/* A statement under construction: its text and the values to bind. */
struct built {
	struct buf	 sql;
	int		 nargs;
	struct {
		bool		 is_num;
		long long	 num;
		const char	*text;
	}		 args[2 * MODEL_FILTERS_MAX + MODEL_SEARCH_WORDS_MAX + 4];
};

/* Add a value to bind to b; returns its number N (for "?N"). */
static int
arg_add(struct built *b, bool is_num, long long num, const char *text)
{
	assert((size_t)b->nargs < NELEM(b->args));
	b->args[b->nargs].is_num = is_num;
	b->args[b->nargs].num = num;
	b->args[b->nargs].text = text;
	return ++b->nargs;
}

/* Append the placeholder of a new value to b. */
static void
arg_num(struct built *b, long long v)
{
	buf_printf(&b->sql, "?%d", arg_add(b, true, v, NULL));
}

static void
arg_text(struct built *b, const char *s)
{
	buf_printf(&b->sql, "?%d", arg_add(b, false, 0, s));
}

/* "%word%" with LIKE's \, % and _ escaped by '\', in the arena. */
static const char *
like_pattern(struct req *r, const char *w)
{
	char	*p = arena_alloc(r->arena, 2 * strlen(w) + 3), *d = p;

	*d++ = '%';
	for (; *w != '\0'; w++) {
		if (*w == '\\' || *w == '%' || *w == '_')
			*d++ = '\\';
		*d++ = *w;
	}
	*d++ = '%';
	*d = '\0';
	return p;
}

/* " WHERE" terms of q's filters and search (no cursor), into b. */
static void
build_where(struct req *r, const struct model_query *q, struct built *b)
{
	const char	*cols[MODEL_FIELDS_MAX];
	size_t		 ncols;
	int		 pat;

	buf_puts(&b->sql, " WHERE 1");
	for (size_t i = 0; i < q->nfilters; i++) {
		buf_printf(&b->sql, " AND %s %s ", q->filters[i].field->name,
		    q->filters[i].op != NULL ? q->filters[i].op : "=");
		if (q->filters[i].is_num)
			arg_num(b, q->filters[i].num);
		else
			arg_text(b, q->filters[i].value);
	}
	ncols = model_search_columns(q->m, cols, NELEM(cols));
	for (size_t i = 0; i < q->nwords; i++) {
		/* One value per word, which every column compares with. */
		pat = arg_add(b, false, 0, like_pattern(r, q->words[i]));
		buf_puts(&b->sql, " AND (");
		for (size_t k = 0; k < ncols; k++)
			buf_printf(&b->sql, "%s%s LIKE ?%d ESCAPE '\\'",
			    k > 0 ? " OR " : "", cols[k], pat);
		buf_puts(&b->sql, ")");
	}
}

#ifdef GAZETTE_TEST
static const char *test_sql, *test_expanded;

const char *
model_test_last_sql(bool expanded)
{
	return expanded ? test_expanded : test_sql;
}
#endif

/* Prepare b's SQL (db_stmt_built) and bind its values; NULL if r failed. */
static sqlite3_stmt *
built_prepare(struct req *r, struct built *b)
{
	sqlite3_stmt	*st;

	if ((st = db_stmt_built(r, b->sql.ptr)) == NULL)
		return NULL;
	for (int i = 0; i < b->nargs; i++)
		if (b->args[i].is_num)
			db_bind_int64(r, st, i + 1, b->args[i].num);
		else
			db_bind_text(r, st, i + 1, b->args[i].text);
#ifdef GAZETTE_TEST
	{
		char	*x = sqlite3_expanded_sql(st);

		test_sql = arena_strdup(r->arena, sqlite3_sql(st));
		test_expanded = arena_strdup(r->arena, x != NULL ? x : "");
		sqlite3_free(x);
	}
#endif
	return st;
}

/* The runs of a list, see above: all rows, NULL sort values, others. */
enum run { RUN_ALL, RUN_NULL, RUN_VALUES };

/*
 * Append to page->rows (room for want more) the rows of run, after
 * q->after if keyset, with the columns lf[0..ncols).  Their sort values
 * go to sv.  Returns 0, or -1 if r failed.
 */
static int
run_fetch(struct req *r, const struct model_query *q, enum run run,
    bool keyset, const struct model_field *const *lf, size_t ncols,
    int want, struct model_page *page, struct sortval *sv)
{
	const struct model *m = q->m;
	const char	*dir = q->desc ? "DESC" : "ASC";
	const char	*cmp = q->desc ? "<" : ">";
	struct built	 b;
	sqlite3_stmt	*st;
	struct model_row *row;
	struct sortval	*v;
	int		 rc;

	memset(&b, 0, sizeof(b));
	buf_init(&b.sql);
	buf_printf(&b.sql, "SELECT %s, %s", m->pk,
	    q->sort != NULL ? q->sort->name : m->pk);
	for (size_t k = 0; k < ncols; k++)
		buf_printf(&b.sql, ", %s", lf[k]->name);
	buf_printf(&b.sql, " FROM %s", m->table);
	build_where(r, q, &b);
	switch (run) {
	case RUN_ALL:
		if (keyset) {
			buf_printf(&b.sql, " AND %s %s ", m->pk, cmp);
			arg_num(&b, q->after.pk);
		}
		buf_printf(&b.sql, " ORDER BY %s %s", m->pk, dir);
		break;
	case RUN_NULL:
		buf_printf(&b.sql, " AND %s IS NULL", q->sort->name);
		if (keyset) {
			buf_printf(&b.sql, " AND %s %s ", m->pk, cmp);
			arg_num(&b, q->after.pk);
		}
		buf_printf(&b.sql, " ORDER BY %s %s", m->pk, dir);
		break;
	case RUN_VALUES:
		buf_printf(&b.sql, " AND %s IS NOT NULL", q->sort->name);
		if (keyset) {
			/* A row value: one index range, ties by the pk. */
			buf_printf(&b.sql, " AND (%s, %s) %s (", q->sort->name,
			    m->pk, cmp);
			if (q->after.is_num)
				arg_num(&b, q->after.num);
			else
				arg_text(&b, q->after.text);
			buf_puts(&b.sql, ", ");
			arg_num(&b, q->after.pk);
			buf_puts(&b.sql, ")");
		}
		buf_printf(&b.sql, " ORDER BY %s %s, %s %s", q->sort->name,
		    dir, m->pk, dir);
		break;
	}
	buf_puts(&b.sql, " LIMIT ");
	arg_num(&b, want);
	st = built_prepare(r, &b);
	buf_free(&b.sql);
	if (st == NULL)
		return -1;
	while ((rc = db_step(r, st)) == SQLITE_ROW) {
		row = &page->rows[page->n];
		v = &sv[page->n];
		row->pk = sqlite3_column_int64(st, 0);
		v->type = sqlite3_column_type(st, 1);
		if (v->type == SQLITE_INTEGER)
			v->num = sqlite3_column_int64(st, 1);
		else if (v->type == SQLITE_TEXT) {
			v->text = db_col_strdup(r, st, 1);
			v->len = (size_t)sqlite3_column_bytes(st, 1);
		}
		row->values = arena_zalloc(r->arena,
		    (ncols + 1) * sizeof(*row->values));
		for (size_t k = 0; k < ncols; k++)
			if (sqlite3_column_type(st, (int)k + 2) != SQLITE_NULL)
				row->values[k] = db_col_strdup(r, st,
				    (int)k + 2);
		page->n++;
	}
	db_built_done(r, st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
model_list(struct req *r, const struct model_query *q,
    const char *const *cols, struct model_page *page)
{
	const struct model_field *lf[MODEL_LIST_COLS_MAX];
	struct sortval	*sv;
	enum run	 runs[2];
	size_t		 ncols = 0, nruns, start = 0;
	int		 limit;

	memset(page, 0, sizeof(*page));
	for (; cols != NULL && cols[ncols] != NULL; ncols++) {
		if (ncols == MODEL_LIST_COLS_MAX ||
		    (lf[ncols] = model_field(q->m, cols[ncols])) == NULL ||
		    lf[ncols]->type == MODEL_MANY_TO_MANY ||
		    (lf[ncols]->flags & MF_VIRTUAL)) {
			req_fail(r, 500, "model_list: %s: column %s is not "
			    "listable", q->m->name, cols[ncols]);
			return -1;
		}
	}
	limit = q->limit < 1 ? 1 : q->limit > MODEL_PAGE_MAX ?
	    MODEL_PAGE_MAX : q->limit;
	/* One row more than the page: whether there is a next page. */
	page->rows = arena_zalloc(r->arena, (size_t)(limit + 1) *
	    sizeof(*page->rows));
	sv = arena_zalloc(r->arena, (size_t)(limit + 1) * sizeof(*sv));
	if (q->sort == NULL) {
		runs[0] = RUN_ALL;
		nruns = 1;
	} else {
		runs[0] = q->desc ? RUN_VALUES : RUN_NULL;
		runs[1] = q->desc ? RUN_NULL : RUN_VALUES;
		nruns = 2;
		if (q->after.set)
			start = runs[0] == (q->after.null ? RUN_NULL :
			    RUN_VALUES) ? 0 : 1;
	}
	for (size_t i = start; i < nruns && page->n <= (size_t)limit; i++)
		if (run_fetch(r, q, runs[i], q->after.set && i == start, lf,
		    ncols, limit + 1 - (int)page->n, page, sv) != 0)
			return -1;
	if (page->n > (size_t)limit) {
		page->n = (size_t)limit;
		page->more = true;
		page->next = cursor_format(r, q, &sv[limit - 1],
		    page->rows[limit - 1].pk);
		if (page->next == NULL)
			return -1;
	}
	return 0;
}

int64_t
model_count_capped(struct req *r, const struct model_query *q, int64_t cap,
    bool *more)
{
	struct built	 b;
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	*more = false;
	if (cap < 0)
		cap = 0;
	if (cap > INT64_MAX - 1)
		cap = INT64_MAX - 1;
	memset(&b, 0, sizeof(b));
	buf_init(&b.sql);
	/* The inner LIMIT bounds the work: never a count of the table. */
	buf_printf(&b.sql, "SELECT count(*) FROM (SELECT 1 FROM %s",
	    q->m->table);
	build_where(r, q, &b);
	buf_puts(&b.sql, " LIMIT ");
	arg_num(&b, cap + 1);
	buf_puts(&b.sql, ")");
	st = built_prepare(r, &b);
	buf_free(&b.sql);
	if (st == NULL)
		return -1;
	if (db_step(r, st) == SQLITE_ROW) {
		n = sqlite3_column_int64(st, 0);
		if (n > cap) {
			n = cap;
			*more = true;
		}
	}
	db_built_done(r, st);
	return n;
}

/* ---- rows ---------------------------------------------------------------- */

/*
 * Single rows, by primary key: read as form values, written from a
 * validated form, deleted, checked.  Their SQL is built here from the
 * metadata's names like the list's; values are bound.
 */

/* Is f a column of m's table (not virtual, not a join table)? */
static bool
is_column(const struct model_field *f)
{
	return !(f->flags & MF_VIRTUAL) && f->type != MODEL_MANY_TO_MANY;
}

/* Field f's join rows of row id as "3,7" (ascending), or NULL if failed. */
static const char *
m2m_get(struct req *r, const struct model_field *f, int64_t id)
{
	struct buf	 b, sql;
	sqlite3_stmt	*st;
	const char	*out = NULL;
	int		 rc;

	buf_init(&sql);
	buf_printf(&sql, "SELECT %s FROM %s WHERE %s = ?1 ORDER BY %s",
	    f->through_to, f->through, f->through_from, f->through_to);
	st = db_stmt_built(r, sql.ptr);
	buf_free(&sql);
	if (st == NULL)
		return NULL;
	db_bind_int64(r, st, 1, id);
	buf_init(&b);
	buf_puts(&b, "");
	while ((rc = db_step(r, st)) == SQLITE_ROW)
		buf_printf(&b, "%s%lld", b.len > 0 ? "," : "",
		    (long long)sqlite3_column_int64(st, 0));
	db_built_done(r, st);
	if (rc == SQLITE_DONE)
		out = arena_strdup(r->arena, b.ptr != NULL ? b.ptr : "");
	buf_free(&b);
	return out;
}

int
model_row_get(struct req *r, const struct model *m, int64_t id,
    const char ***values)
{
	size_t		 n = model_nfields(m), k = 0;
	const char	**v;
	struct buf	 sql;
	sqlite3_stmt	*st;
	const struct model_field *f;
	char		 dt[32];
	int		 rc, c;

	*values = v = arena_zalloc(r->arena, (n + 1) * sizeof(*v));
	buf_init(&sql);
	buf_printf(&sql, "SELECT %s", m->pk);
	for (f = m->fields; f->name != NULL; f++)
		if (is_column(f))
			buf_printf(&sql, ", %s", f->name);
	buf_printf(&sql, " FROM %s WHERE %s = ?1", m->table, m->pk);
	st = db_stmt_built(r, sql.ptr);
	buf_free(&sql);
	if (st == NULL)
		return -1;
	db_bind_int64(r, st, 1, id);
	if ((rc = db_step(r, st)) != SQLITE_ROW) {
		db_built_done(r, st);
		return rc == SQLITE_DONE ? 0 : -1;
	}
	for (f = m->fields, c = 1; f->name != NULL; f++, k++) {
		if (!is_column(f))
			continue;
		if (sqlite3_column_type(st, c) == SQLITE_NULL)
			v[k] = "";
		else if (f->type == MODEL_DATETIME) {
			form_format_datetime(sqlite3_column_int64(st, c), dt,
			    sizeof(dt));
			v[k] = arena_strdup(r->arena, dt);
		} else if (f->type == MODEL_BOOLEAN)
			v[k] = sqlite3_column_int64(st, c) != 0 ? "1" : "0";
		else
			v[k] = db_col_strdup(r, st, c);
		c++;
	}
	db_built_done(r, st);
	for (f = m->fields, k = 0; f->name != NULL; f++, k++)
		if (f->type == MODEL_MANY_TO_MANY &&
		    (v[k] = m2m_get(r, f, id)) == NULL)
			return -1;
	return 1;
}

/* Bind form field ff to ?i of st by its type (see model_row_write). */
static void
bind_value(struct req *r, sqlite3_stmt *st, int i, const struct form_field *ff)
{
	switch (ff->field->type) {
	case MODEL_INTEGER:
	case MODEL_DATETIME:
	case MODEL_FOREIGN_KEY:
		if (ff->value[0] == '\0')
			db_bind_null(r, st, i);
		else
			db_bind_int64(r, st, i, ff->num);
		break;
	case MODEL_BOOLEAN:
		db_bind_int64(r, st, i, strcmp(ff->value, "1") == 0);
		break;
	default:
		db_bind_text(r, st, i, ff->value);
		break;
	}
}

const char *
model_id_next(const char *p, long long *id)
{
	char	 item[32];
	size_t	 n;

	if (p == NULL || *p == '\0')
		return NULL;
	n = strcspn(p, ",");
	if (n == 0 || n >= sizeof(item))
		return NULL;
	memcpy(item, p, n);
	item[n] = '\0';
	if (util_parse_int(item, 1, INT64_MAX, id) != 0)
		return NULL;
	return p + n + (p[n] == ',');
}

/* Replace row id's join rows of f with the ids of value ("3,7"). */
static int
m2m_set(struct req *r, const struct model_field *f, int64_t id,
    const char *value)
{
	struct buf	 sql;
	sqlite3_stmt	*del, *ins;
	const char	*p = value;
	long long	 t;
	int		 rc = 0;

	buf_init(&sql);
	buf_printf(&sql, "DELETE FROM %s WHERE %s = ?1", f->through,
	    f->through_from);
	del = db_stmt_built(r, sql.ptr);
	buf_reset(&sql);
	buf_printf(&sql, "INSERT OR IGNORE INTO %s (%s, %s) VALUES (?1, ?2)",
	    f->through, f->through_from, f->through_to);
	ins = del != NULL ? db_stmt_built(r, sql.ptr) : NULL;
	buf_free(&sql);
	if (del == NULL || ins == NULL) {
		db_built_done(r, del);
		return -1;
	}
	db_bind_int64(r, del, 1, id);
	if (db_step(r, del) != SQLITE_DONE)
		rc = -1;
	while (rc == 0 && (p = model_id_next(p, &t)) != NULL) {
		sqlite3_reset(ins);
		db_bind_int64(r, ins, 1, id);
		db_bind_int64(r, ins, 2, t);
		if (db_step(r, ins) != SQLITE_DONE)
			rc = -1;
	}
	db_built_done(r, del);
	db_built_done(r, ins);
	return rc;
}

int64_t
model_row_write(struct req *r, const struct model *m, int64_t id,
    const struct form *f, const bool *write)
{
	const struct model_field *mf;
	int64_t		 now = util_wall_us() / 1000000;
	struct buf	 sql;
	sqlite3_stmt	*st;
	size_t		 ncols = 0;
	int		 arg = 0;
	bool		 use[MODEL_FIELDS_MAX];

	for (size_t i = 0; i < f->n; i++) {
		mf = f->fields[i].field;
		use[i] = is_column(mf) && (write[i] ||
		    (mf->flags & MF_AUTO_NOW) ||
		    (id == 0 && (mf->flags & MF_AUTO_NOW_ADD)));
		ncols += use[i];
	}
	buf_init(&sql);
	if (id == 0 && ncols == 0)
		buf_printf(&sql, "INSERT INTO %s DEFAULT VALUES", m->table);
	else if (id == 0) {
		buf_printf(&sql, "INSERT INTO %s (", m->table);
		for (size_t i = 0, k = 0; i < f->n; i++)
			if (use[i])
				buf_printf(&sql, "%s%s", k++ > 0 ? ", " : "",
				    f->fields[i].field->name);
		buf_puts(&sql, ") VALUES (");
		for (size_t k = 0; k < ncols; k++)
			buf_printf(&sql, "%s?%zu", k > 0 ? ", " : "", k + 1);
		buf_puts(&sql, ")");
	} else if (ncols > 0) {
		buf_printf(&sql, "UPDATE %s SET ", m->table);
		for (size_t i = 0, k = 0; i < f->n; i++)
			if (use[i]) {
				buf_printf(&sql, "%s%s = ?%zu", k > 0 ? ", " :
				    "", f->fields[i].field->name, k + 1);
				k++;
			}
		buf_printf(&sql, " WHERE %s = ?%zu", m->pk, ncols + 1);
	}
	/* An update of nothing but join rows runs no statement. */
	st = sql.len > 0 ? db_stmt_built(r, sql.ptr) : NULL;
	buf_free(&sql);
	if (st == NULL && (id == 0 || ncols > 0))
		return -1;
	if (st != NULL) {
		for (size_t i = 0; i < f->n; i++) {
			if (!use[i])
				continue;
			mf = f->fields[i].field;
			arg++;
			if ((mf->flags & MF_AUTO_NOW) || (id == 0 &&
			    (mf->flags & MF_AUTO_NOW_ADD)))
				db_bind_int64(r, st, arg, now);
			else
				bind_value(r, st, arg, &f->fields[i]);
		}
		if (id != 0)
			db_bind_int64(r, st, arg + 1, id);
		if (db_step(r, st) != SQLITE_DONE) {
			db_built_done(r, st);
			return -1;
		}
		db_built_done(r, st);
		if (id == 0)
			id = sqlite3_last_insert_rowid(db_handle());
	}
	for (size_t i = 0; i < f->n; i++)
		if (write[i] && f->fields[i].field->type == MODEL_MANY_TO_MANY &&
		    m2m_set(r, f->fields[i].field, id, f->fields[i].value) != 0)
			return -1;
	return id;
}

/* Run "<verb> ... WHERE pk = ?1" built in sql; the step's result. */
static int
run_by_id(struct req *r, struct buf *sql, int64_t id, int64_t *out)
{
	sqlite3_stmt	*st = db_stmt_built(r, sql->ptr);
	int		 rc;

	buf_free(sql);
	if (st == NULL)
		return -1;
	db_bind_int64(r, st, 1, id);
	rc = db_step(r, st);
	if (rc == SQLITE_ROW && out != NULL)
		*out = sqlite3_column_int64(st, 0);
	db_built_done(r, st);
	return rc;
}

int
model_row_delete(struct req *r, const struct model *m, int64_t id)
{
	struct buf	 sql;

	buf_init(&sql);
	buf_printf(&sql, "DELETE FROM %s WHERE %s = ?1", m->table, m->pk);
	return run_by_id(r, &sql, id, NULL) == SQLITE_DONE ? 0 : -1;
}

int
model_row_exists(struct req *r, const struct model *m, int64_t id)
{
	struct buf	 sql;
	int		 rc;

	buf_init(&sql);
	buf_printf(&sql, "SELECT 1 FROM %s WHERE %s = ?1", m->table, m->pk);
	rc = run_by_id(r, &sql, id, NULL);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
model_row_taken(struct req *r, const struct model *m,
    const struct form_field *ff, int64_t id)
{
	struct buf	 sql;
	sqlite3_stmt	*st;
	int		 rc;

	if (!is_column(ff->field))
		return 0;
	buf_init(&sql);
	buf_printf(&sql, "SELECT 1 FROM %s WHERE %s = ?1 AND %s <> ?2 "
	    "LIMIT 1", m->table, ff->field->name, m->pk);
	st = db_stmt_built(r, sql.ptr);
	buf_free(&sql);
	if (st == NULL)
		return -1;
	bind_value(r, st, 1, ff);
	db_bind_int64(r, st, 2, id);
	rc = db_step(r, st);
	db_built_done(r, st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

const char *
model_row_str(struct req *r, const struct model *m, int64_t id)
{
	struct buf	 sql;
	sqlite3_stmt	*st;
	const char	*s = NULL;

	buf_init(&sql);
	buf_printf(&sql, "SELECT %s FROM %s WHERE %s = ?1", m->str_field,
	    m->table, m->pk);
	st = db_stmt_built(r, sql.ptr);
	buf_free(&sql);
	if (st == NULL)
		return NULL;
	db_bind_int64(r, st, 1, id);
	if (db_step(r, st) == SQLITE_ROW)
		s = db_col_strdup(r, st, 0);
	db_built_done(r, st);
	return s;
}

int64_t
model_count_refs(struct req *r, const char *table, const char *column,
    int64_t id, int64_t cap, bool *more)
{
	struct buf	 sql;
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	*more = false;
	buf_init(&sql);
	buf_printf(&sql, "SELECT count(*) FROM (SELECT 1 FROM %s WHERE %s = "
	    "?1 LIMIT ?2)", table, column);
	st = db_stmt_built(r, sql.ptr);
	buf_free(&sql);
	if (st == NULL)
		return -1;
	db_bind_int64(r, st, 1, id);
	db_bind_int64(r, st, 2, cap + 1);
	if (db_step(r, st) == SQLITE_ROW) {
		n = sqlite3_column_int64(st, 0);
		if (n > cap) {
			n = cap;
			*more = true;
		}
	}
	db_built_done(r, st);
	return n;
}

/* ---- raw rows ------------------------------------------------------------ */

/*
 * What dumpdata writes and loaddata reads: the stored values of a row,
 * column fields, extra columns and join rows.  SQL is built here from
 * the metadata's names, as above; values are bound.
 */

const char *
model_raw_column(const struct model *m, const char *name,
    const struct model_field **f)
{
	const struct model_field *mf;

	*f = NULL;
	if (name == NULL)
		return NULL;
	if ((mf = model_field(m, name)) != NULL) {
		if (mf->flags & MF_VIRTUAL)
			return NULL;
		*f = mf;
		return mf->name;
	}
	for (const char *const *e = m->extra; e != NULL && *e != NULL; e++)
		if (strcmp(*e, name) == 0)
			return *e;
	return NULL;
}

/* The m2m statement of f, for ?1 = the row's id. */
static sqlite3_stmt *
m2m_stmt(struct req *r, const struct model_field *f)
{
	struct buf	 sql;
	sqlite3_stmt	*st;

	buf_init(&sql);
	buf_printf(&sql, "SELECT %s FROM %s WHERE %s = ?1 ORDER BY %s",
	    f->through_to, f->through, f->through_from, f->through_to);
	st = db_stmt_built(r, sql.ptr);
	buf_free(&sql);
	return st;
}

int
model_raw_scan(struct req *r, const struct model *m, int64_t after,
    int limit, int (*cb)(void *, int64_t, const struct model_raw *, size_t),
    void *arg)
{
	struct model_raw	 v[MODEL_FIELDS_MAX + 16];
	sqlite3_stmt		*m2m[MODEL_FIELDS_MAX], *st;
	struct buf		 sql, ids[MODEL_FIELDS_MAX];
	const struct model_field *f;
	size_t			 ncol = 0, nm2m = 0, n;
	int			 rc = SQLITE_DONE, rows = 0, failed = 0;

	buf_init(&sql);
	buf_printf(&sql, "SELECT %s", m->pk);
	for (f = m->fields; f->name != NULL; f++)
		if (is_column(f)) {
			buf_printf(&sql, ", %s", f->name);
			v[ncol++] = (struct model_raw){ .name = f->name,
			    .field = f };
		}
	for (const char *const *e = m->extra; e != NULL && *e != NULL; e++) {
		assert(ncol < NELEM(v));
		buf_printf(&sql, ", %s", *e);
		v[ncol++] = (struct model_raw){ .name = *e };
	}
	buf_printf(&sql, " FROM %s WHERE %s > ?1 ORDER BY %s LIMIT ?2",
	    m->table, m->pk, m->pk);
	st = db_stmt_built(r, sql.ptr);
	buf_free(&sql);
	if (st == NULL)
		return -1;
	n = ncol;
	for (f = m->fields; f->name != NULL; f++)
		if (f->type == MODEL_MANY_TO_MANY) {
			if ((m2m[nm2m] = m2m_stmt(r, f)) == NULL) {
				failed = 1;
				break;
			}
			buf_init(&ids[nm2m]);
			v[n++] = (struct model_raw){ .name = f->name,
			    .field = f, .type = SQLITE_TEXT };
			nm2m++;
		}
	db_bind_int64(r, st, 1, after);
	db_bind_int64(r, st, 2, limit);
	while (!failed && (rc = db_step(r, st)) == SQLITE_ROW) {
		int64_t	 pk = sqlite3_column_int64(st, 0);

		for (size_t c = 0; c < ncol; c++) {
			struct model_raw *x = &v[c];

			x->type = sqlite3_column_type(st, (int)c + 1);
			if (x->type == SQLITE_BLOB)
				x->type = SQLITE_TEXT;
			x->i = sqlite3_column_int64(st, (int)c + 1);
			x->d = sqlite3_column_double(st, (int)c + 1);
			x->s = (const char *)sqlite3_column_text(st,
			    (int)c + 1);
			x->len = (size_t)sqlite3_column_bytes(st, (int)c + 1);
			if (x->s == NULL)
				x->s = "";
		}
		for (size_t k = 0; k < nm2m; k++) {
			buf_reset(&ids[k]);
			buf_puts(&ids[k], "");
			sqlite3_reset(m2m[k]);
			db_bind_int64(r, m2m[k], 1, pk);
			while ((rc = db_step(r, m2m[k])) == SQLITE_ROW)
				buf_printf(&ids[k], "%s%lld", ids[k].len > 0 ?
				    "," : "", (long long)
				    sqlite3_column_int64(m2m[k], 0));
			if (rc != SQLITE_DONE)
				failed = 1;
			v[ncol + k].s = ids[k].ptr != NULL ? ids[k].ptr : "";
			v[ncol + k].len = ids[k].len;
		}
		if (failed || cb(arg, pk, v, n) != 0) {
			failed = 1;
			break;
		}
		rows++;
	}
	if (!failed && rc != SQLITE_DONE)
		failed = 1;
	for (size_t k = 0; k < nm2m; k++) {
		db_built_done(r, m2m[k]);
		buf_free(&ids[k]);
	}
	db_built_done(r, st);
	return failed ? -1 : rows;
}

int64_t
model_raw_count(struct req *r, const struct model *m)
{
	struct buf	 sql;
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	buf_init(&sql);
	buf_printf(&sql, "SELECT count(*) FROM %s", m->table);
	st = db_stmt_built(r, sql.ptr);
	buf_free(&sql);
	if (st == NULL)
		return -1;
	if (db_step(r, st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	db_built_done(r, st);
	return n;
}

/* Bind raw value x to ?i of st. */
static void
bind_raw(struct req *r, sqlite3_stmt *st, int i, const struct model_raw *x)
{
	switch (x->type) {
	case SQLITE_INTEGER:
		db_bind_int64(r, st, i, x->i);
		break;
	case SQLITE_FLOAT:
		if (sqlite3_bind_double(st, i, x->d) != SQLITE_OK)
			db_bind_null(r, st, i);
		break;
	case SQLITE_TEXT:
		db_bind_text(r, st, i, x->s);
		break;
	default:
		db_bind_null(r, st, i);
		break;
	}
}

int
model_raw_upsert(struct req *r, const struct model *m, int64_t pk,
    const struct model_raw *v, size_t n)
{
	const char		*cols[MODEL_FIELDS_MAX + 16];
	const struct model_raw	*vals[MODEL_FIELDS_MAX + 16];
	const struct model_field *f;
	struct buf		 sql;
	sqlite3_stmt		*st;
	size_t			 k = 0;
	int			 rc;

	for (size_t i = 0; i < n; i++) {
		const char *c = model_raw_column(m, v[i].name, &f);

		if (c == NULL) {
			r->error_detail = arena_printf(r->arena, "%s has no "
			    "field %s", m->name, v[i].name);
			return -1;
		}
		if ((f != NULL && f->type == MODEL_MANY_TO_MANY) ||
		    k >= NELEM(cols))
			continue;
		cols[k] = c;
		vals[k++] = &v[i];
	}
	buf_init(&sql);
	buf_printf(&sql, "INSERT INTO %s (%s", m->table, m->pk);
	for (size_t i = 0; i < k; i++)
		buf_printf(&sql, ", %s", cols[i]);
	buf_puts(&sql, ") VALUES (?1");
	for (size_t i = 0; i < k; i++)
		buf_printf(&sql, ", ?%zu", i + 2);
	buf_printf(&sql, ") ON CONFLICT (%s) DO ", m->pk);
	if (k == 0)
		buf_puts(&sql, "NOTHING");
	else {
		buf_puts(&sql, "UPDATE SET ");
		for (size_t i = 0; i < k; i++)
			buf_printf(&sql, "%s%s = excluded.%s", i > 0 ? ", " :
			    "", cols[i], cols[i]);
	}
	st = db_stmt_built(r, sql.ptr);
	buf_free(&sql);
	if (st == NULL)
		return -1;
	db_bind_int64(r, st, 1, pk);
	for (size_t i = 0; i < k; i++)
		bind_raw(r, st, (int)i + 2, vals[i]);
	rc = db_step(r, st);
	db_built_done(r, st);
	if (rc != SQLITE_DONE)
		return -1;
	for (size_t i = 0; i < n; i++) {
		(void)model_raw_column(m, v[i].name, &f);
		if (f != NULL && f->type == MODEL_MANY_TO_MANY &&
		    m2m_set(r, f, pk, v[i].s) != 0)
			return -1;
	}
	return 0;
}
