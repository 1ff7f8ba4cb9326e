/*
 * model: declarative model metadata, as static tables the site hands
 * core once (model_register_all), like the route table.  Owns the
 * registry and the only way a column or table name reaches SQL text:
 * sort, filter and search parameters are looked up here and refused if
 * absent, and what goes into SQL is always the metadata's own string,
 * never the input.  Owns the changelist query (model_list): the only
 * SQL assembled at run time, from these names, with every value bound
 * (db_stmt_built).  Owns no storage of its own.
 */
#ifndef GAZETTE_MODEL_H
#define GAZETTE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct req;
struct params;

enum model_type {
	MODEL_TEXT,		/* one line */
	MODEL_LONGTEXT,		/* several lines */
	MODEL_MARKDOWN,		/* several lines of Markdown source */
	MODEL_INTEGER,
	MODEL_BOOLEAN,		/* stored 0/1; a checkbox */
	MODEL_CHOICE,		/* one of choices[].value */
	MODEL_DATETIME,		/* stored as Unix seconds (UTC) */
	MODEL_EMAIL,
	MODEL_URL,		/* http or https only */
	MODEL_SLUG,
	MODEL_FOREIGN_KEY,	/* column holds the target's id */
	MODEL_MANY_TO_MANY,	/* no column: rows of a join table */
	MODEL_FILE,
	MODEL_PASSWORD,		/* typed in a form, never stored as is */
	MODEL__MAX
};

enum model_flag {
	MF_REQUIRED = 1 << 0,	/* a value must be given */
	MF_UNIQUE = 1 << 1,	/* the database enforces it */
	MF_EDITABLE = 1 << 2,	/* in forms, read from input */
	MF_READONLY = 1 << 3,	/* in forms, shown but never read */
	MF_SORTABLE = 1 << 4,	/* may be named by ?o= */
	MF_FILTERABLE = 1 << 5,	/* may be named as ?<field>= */
	MF_SEARCHABLE = 1 << 6,	/* searched by ?q= */
	/* No column: read from forms for a hook (password1), never
	 * written, listed, kept in history or shown back. */
	MF_VIRTUAL = 1 << 7,
	MF_AUTO_NOW_ADD = 1 << 8,	/* set to the time on insert */
	MF_AUTO_NOW = 1 << 9		/* set to the time on every write */
};

struct model_choice {
	const char	*value;		/* stored; NULL ends */
	const char	*label;		/* shown */
};

/*
 * One field.  name is the column (for MODEL_MANY_TO_MANY, only the
 * field's name: the rows live in through).  Limits: for text types,
 * min and max are lengths in characters (max 0: none); for
 * MODEL_INTEGER, the range of values, applied when min < max.
 */
struct model_field {
	const char	*name;		/* NULL ends a model's fields */
	const char	*label;
	const char	*help;		/* NULL: none */
	enum model_type	 type;
	unsigned	 flags;		/* enum model_flag */
	long long	 min;
	long long	 max;
	const struct model_choice *choices;	/* MODEL_CHOICE */
	const char	*def;		/* default, as a form sends it */
	const char	*target;	/* FK, M2M: the target model's name */
	const char	*through;	/* M2M: the join table */
	const char	*through_from;	/* M2M: column to this model */
	const char	*through_to;	/* M2M: column to target */
	/* An extra check after the type's: NULL if fine, else a message. */
	const char	*(*check)(const char *value);
};

struct model {
	const char	*name;		/* URL name: "article" */
	const char	*table;
	const char	*verbose;	/* "article" */
	const char	*verbose_plural;/* "articles" */
	const struct model_field *fields;	/* ends with { NULL } */
	const char	*pk;		/* "id": INTEGER PRIMARY KEY */
	const char	*ordering;	/* default ?o=: "-publish_at" */
	const char	*str_field;	/* the field that names a row */
	const char	*perm;		/* "article": article.view */
	/*
	 * Columns of table outside fields that dumpdata and loaddata carry
	 * as they are (a password hash, rendered HTML, a parent id), so a
	 * dump restores the rows faithfully; NULL-terminated, or NULL.
	 */
	const char *const *extra;
};

/*
 * Install models, a NULL-terminated table of static models, as the
 * registry (replacing any earlier one; nothing is copied, so models
 * must outlive its use).  Checks the tables: names unique, each model
 * with a table, pk, perm, at most MODEL_FIELDS_MAX fields, a default
 * ordering model_order_by() accepts, a str_field of its own, choices
 * for every MODEL_CHOICE, registered targets for every FK and M2M, and
 * join columns for every M2M.  Returns 0, or -1 (logged; the registry
 * is then empty): a bad table is a bug of the site.
 */
#define MODEL_FIELDS_MAX	48
int	 model_register_all(const struct model *const *models);

/* The registered model named name, or NULL (name NULL: NULL). */
const struct model *model_find(const char *name);

/* The registry, NULL-terminated (an empty table if none). */
const struct model *const *model_all(void);

/* m's field named name, or NULL. */
const struct model_field *model_field(const struct model *m,
	    const char *name);

/* The number of m's fields. */
size_t	 model_nfields(const struct model *m);

/* Is f read from forms (MF_EDITABLE and not MF_READONLY)? */
bool	 model_field_is_editable(const struct model_field *f);

/* The lower-case name of a type ("datetime"), for templates. */
const char *model_type_name(enum model_type t);

/* The label of choice value among f's choices, or NULL. */
const char *model_choice_label(const struct model_field *f,
	    const char *value);

/*
 * The ORDER BY terms for ?o=o: "title ASC, id ASC" for "title",
 * "publish_at DESC, id DESC" for "-publish_at" (the primary key breaks
 * ties in the same direction, for keyset pagination); o NULL or ""
 * means m's default ordering.  Built only from the metadata's strings.
 * Returns an arena string valid until the request ends, or NULL with
 * r->error_detail set when o names no field of m or one not
 * MF_SORTABLE: the caller answers 400.
 */
const char *model_order_by(struct req *r, const struct model *m,
	    const char *o);

/*
 * The field that ?name= may filter on: the field of m named name if it
 * is MF_FILTERABLE, else NULL (the caller answers 400).  Its ->name is
 * the column to put in SQL, never the caller's string.
 */
const struct model_field *model_filter_column(const struct model *m,
	    const char *name);

/*
 * The MF_SEARCHABLE columns of m, in field order, into cols (up to n of
 * them; the metadata's strings).  Returns how many m has.
 */
size_t	 model_search_columns(const struct model *m, const char **cols,
	    size_t n);

/*
 * The permission codename of action ("view", "add", "change",
 * "delete") on m: "article.change", in the arena until the request
 * ends.  NULL if action is none of these.
 */
const char *model_perm(struct req *r, const struct model *m,
	    const char *action);

/* ---- changelist queries ------------------------------------------------ */

#define MODEL_PAGE_DEFAULT	100	/* rows per page unless set */
#define MODEL_PAGE_MAX		500
#define MODEL_FILTERS_MAX	8	/* ?<field>= parameters at once */
#define MODEL_SEARCH_WORDS_MAX	8	/* words of ?q= */
#define MODEL_SEARCH_MAX	200	/* bytes of ?q= */
#define MODEL_CURSOR_MAX	4096	/* bytes of ?cursor= */
#define MODEL_LIST_COLS_MAX	16

/*
 * One ?<field>=<value> filter, checked against the field's type; for a
 * DATETIME field also ?<field>__gte= and ?<field>__lt= (a range).
 */
struct model_filter {
	const struct model_field *field;	/* MF_FILTERABLE; ->name in SQL */
	const char	*op;		/* "=", ">=" or "<": static strings */
	const char	*value;		/* as given; bound as text ... */
	bool		 is_num;	/* ... or, if set, num is bound */
	long long	 num;		/* integers, booleans, ids, times */
};

/*
 * Where the previous page ended: its last row's sort value and primary
 * key.  null: that value was SQL NULL (the row is in the NULL run).
 */
struct model_cursor {
	bool		 set;		/* false: the first page */
	bool		 null;
	bool		 is_num;	/* value is num, else text */
	long long	 num;
	const char	*text;		/* arena, valid UTF-8 without NUL */
	int64_t		 pk;
};

/*
 * A changelist query, filled by model_query_parse() from ?o=, ?q=,
 * ?cursor= and ?<field>=.  Every column it names is a metadata string.
 * Strings are in r's arena (valid until the request ends).
 */
struct model_query {
	const struct model *m;
	const struct model_field *sort;	/* NULL: by the pk */
	bool		 desc;
	const char	*order;		/* canonical o: "-publish_at" */
	const char	*search;	/* ?q= trimmed, NULL if none */
	const char	*words[MODEL_SEARCH_WORDS_MAX];
	size_t		 nwords;
	struct model_filter filters[MODEL_FILTERS_MAX];
	size_t		 nfilters;
	struct model_cursor after;
	int		 limit;		/* rows per page, 1..MODEL_PAGE_MAX */
};

/*
 * Read a changelist's query string into q, for model m.  Known names:
 * "o" (a sortable field, "-" for descending; empty: m->ordering), "q"
 * (search words: every word must appear, LIKE, in one of the
 * MF_SEARCHABLE columns), "cursor" (from model_list(); must carry the
 * same ordering), and each MF_FILTERABLE field's name, whose value must
 * be non-empty and pass form_check_value() (a BOOLEAN takes "0" or
 * "1").  Any other name, a name given twice, a malformed cursor or a
 * value too long is refused.  q->limit is MODEL_PAGE_DEFAULT: the
 * caller may set it (model_list() clamps it to 1..MODEL_PAGE_MAX).
 * Returns 0, or 400 with r->error_detail saying what was wrong.
 */
int	 model_query_parse(struct req *r, const struct model *m,
	    const struct params *query, struct model_query *q);

/*
 * Position q after cursor (a model_page's next, made for q's ordering),
 * keeping its filters: for walking every page.  0, or 400.
 */
int	 model_query_seek(struct req *r, struct model_query *q,
	    const char *cursor);

/* One row of a page: the pk and the listed columns as text. */
struct model_row {
	int64_t		 pk;
	const char	**values;	/* NULL for SQL NULL, else arena text */
};

struct model_page {
	struct model_row *rows;		/* arena, n of them */
	size_t		 n;
	bool		 more;		/* rows follow this page */
	const char	*next;		/* ?cursor= of the next page, or NULL */
};

/*
 * One page of q: the rows after q->after in q's order (the pk breaks
 * ties in the same direction; NULL sort values come first ascending and
 * last descending, as SQLite orders them), with the columns named by
 * cols (a NULL-terminated static list of field names, at most
 * MODEL_LIST_COLS_MAX; many-to-many fields are not columns).  Keyset
 * pagination: no OFFSET, no COUNT.  Returns 0, or -1 if r failed (a
 * database error, or cols naming what m has not: a bug of the caller).
 * page and its strings live in r's arena until the request ends.
 */
int	 model_list(struct req *r, const struct model_query *q,
	    const char *const *cols, struct model_page *page);

/*
 * How many rows q's filters and search select, counting at most cap+1
 * of them (q's cursor is ignored): the exact count when it is at most
 * cap (*more false), else cap with *more true ("more than cap").
 * Returns -1 if r failed.
 */
int64_t	 model_count_capped(struct req *r, const struct model_query *q,
	    int64_t cap, bool *more);

/* ---- rows ---------------------------------------------------------------- */

struct form;
struct form_field;

/*
 * Row id of m as form values (what form_set() takes), one per field of
 * m in order: NULL for MF_VIRTUAL fields, "" for SQL NULL, a DATETIME
 * as form_format_datetime(), a BOOLEAN "0" or "1", a MANY_TO_MANY field
 * as its target ids in ascending order joined by ','.  Returns 1 with
 * *values (in the arena), 0 if there is no such row, -1 if r failed.
 */
int	 model_row_get(struct req *r, const struct model *m, int64_t id,
	    const char ***values);

/*
 * Write the fields of the validated form f for which write[i] is true
 * (i indexing m's fields) to row id of m, or to a new row when id is 0.
 * Virtual fields are skipped.  Empty values of INTEGER, DATETIME and
 * FOREIGN_KEY fields become NULL, of text fields ""; MF_AUTO_NOW fields
 * take the time (MF_AUTO_NOW_ADD on insert) whatever write says; a
 * MANY_TO_MANY field's join rows are replaced.  Call inside a write
 * transaction.  Returns the row's id, or -1 if r failed.
 */
int64_t	 model_row_write(struct req *r, const struct model *m, int64_t id,
	    const struct form *f, const bool *write);

/*
 * Walk an id list ("3,7", a MANY_TO_MANY value): the id at p into *id
 * and where the rest starts, or NULL at the end or at an item that is
 * not a positive id.  for (p = v; (p = model_id_next(p, &id)) != NULL;)
 */
const char *model_id_next(const char *p, long long *id);

/* Delete row id of m (the database's foreign keys cascade).  0, -1. */
int	 model_row_delete(struct req *r, const struct model *m, int64_t id);

/* Does row id of m exist?  1, 0, or -1 if r failed. */
int	 model_row_exists(struct req *r, const struct model *m, int64_t id);

/*
 * Does a row of m other than id hold ff's value in unique field ff->field
 * (compared as the column compares, with its collation)?  1, 0, or -1.
 */
int	 model_row_taken(struct req *r, const struct model *m,
	    const struct form_field *ff, int64_t id);

/* The str_field of row id of m (arena), or NULL if none or r failed. */
const char *model_row_str(struct req *r, const struct model *m, int64_t id);

/*
 * How many rows of table have column = id, counting at most cap+1 (as
 * model_count_capped()).  table and column must come from static
 * metadata (an admin registry's relations).  -1 if r failed.
 */
int64_t	 model_count_refs(struct req *r, const char *table,
	    const char *column, int64_t id, int64_t cap, bool *more);

/* ---- raw rows: dumpdata and loaddata -------------------------------------- */

/*
 * One value of a raw row.  Columns hold what the database stores: a
 * DATETIME is Unix seconds, a BOOLEAN 0 or 1.  type is SQLITE_INTEGER
 * (i), SQLITE_FLOAT (d), SQLITE_TEXT (s, len bytes, NUL-terminated) or
 * SQLITE_NULL; a MANY_TO_MANY field's value is SQLITE_TEXT, its target
 * ids ascending joined by ',' ("" for none).
 */
struct model_raw {
	const char	*name;		/* the metadata's string */
	const struct model_field *field; /* NULL for an extra column */
	int		 type;
	long long	 i;
	double		 d;
	const char	*s;
	size_t		 len;
};

/*
 * The name under which a raw row of m carries name: the field of m
 * (not MF_VIRTUAL) or the extra column named name, as the metadata's
 * own string, with the field in *f (NULL for an extra).  NULL if m has
 * no such column: the caller refuses it.
 */
const char *model_raw_column(const struct model *m, const char *name,
	    const struct model_field **f);

/*
 * Walk m's rows with pk > after in pk order, at most limit of them,
 * calling cb for each with the pk and every raw value: the column
 * fields in field order, then m->extra, then the MANY_TO_MANY fields
 * (n values in all).  The values live until cb returns.  cb returns 0
 * to go on, anything else to stop.  Returns the number of rows passed
 * to cb (fewer than limit: the end), or -1 if r failed or cb stopped.
 */
int	 model_raw_scan(struct req *r, const struct model *m, int64_t after,
	    int limit, int (*cb)(void *, int64_t, const struct model_raw *,
	    size_t), void *arg);

/* The exact number of rows of m (count(*)), or -1 if r failed. */
int64_t	 model_raw_count(struct req *r, const struct model *m);

/*
 * Insert row pk of m, or update it if present, with the n raw values v
 * (names as model_raw_column() accepts; a column not given keeps its
 * value, or its default on insert); a MANY_TO_MANY value replaces the
 * row's join rows.  Call inside a write transaction.  Returns 0, or -1
 * with r failed (a constraint, say) or, for a name m does not carry,
 * r->error_detail set and r not failed.
 */
int	 model_raw_upsert(struct req *r, const struct model *m, int64_t pk,
	    const struct model_raw *v, size_t n);

#ifdef GAZETTE_TEST
/*
 * The SQL text (sqlite3_sql) and the same with its values bound
 * (sqlite3_expanded_sql) of the last statement model built, in the
 * arena of the request that ran it; NULL before any.
 */
const char *model_test_last_sql(bool expanded);
#endif

#endif
