/*
 * form: values read from a request into a form over a model, checked by
 * the field types of model.h with Django's messages, and exported to the
 * HDF for one field macro to draw.  Everything lives in the request's
 * arena.  No SQL: uniqueness and whether an id exists are the caller's.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/arena.h"
#include "core/auth.h"
#include "core/form.h"
#include "core/http.h"
#include "core/markdown.h"
#include "core/render.h"
#include "core/slug.h"
#include "core/util.h"

#define MSG_REQUIRED	"This field is required."
#define MSG_INTEGER	"Enter a whole number."
#define MSG_DATETIME	"Enter a valid date/time."
#define MSG_URL		"Enter a valid URL."
#define MSG_SLUG	"Enter a valid slug: lower-case letters, digits " \
			"and hyphens."
#define MSG_FK		"Select a valid choice. That choice is not one " \
			"of the available choices."
#define MSG_LIST	"Enter a list of values."

#define YEAR_MIN	1970
#define YEAR_MAX	9999

/* Is the value "nothing" for f (a BOOLEAN's "0" is an unchecked box)? */
static bool
is_empty(const struct model_field *f, const char *v)
{
	return *v == '\0' || (f->type == MODEL_BOOLEAN && strcmp(v, "0") == 0);
}

static bool
is_text(enum model_type t)
{
	return t == MODEL_TEXT || t == MODEL_LONGTEXT || t == MODEL_MARKDOWN ||
	    t == MODEL_EMAIL || t == MODEL_URL || t == MODEL_SLUG;
}

/* n decimal digits at s into *out; -1 if any is not a digit. */
static int
digits(const char *s, int n, int *out)
{
	int	 v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days since 1970-01-01 of a checked civil date (Hinnant's algorithm). */
static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t	 era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
form_parse_datetime(const char *s, int64_t *t)
{
	static const int mdays[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	size_t	 len = strlen(s);
	int	 y, mo, d, h, mi, sec = 0, dim;

	if (len != 16 && len != 19)
		return -1;
	if (s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
	    s[13] != ':' || (len == 19 && s[16] != ':'))
		return -1;
	if (digits(s, 4, &y) != 0 || digits(s + 5, 2, &mo) != 0 ||
	    digits(s + 8, 2, &d) != 0 || digits(s + 11, 2, &h) != 0 ||
	    digits(s + 14, 2, &mi) != 0 ||
	    (len == 19 && digits(s + 17, 2, &sec) != 0))
		return -1;
	if (y < YEAR_MIN || y > YEAR_MAX || mo < 1 || mo > 12)
		return -1;
	dim = mdays[mo - 1] + (mo == 2 && is_leap(y));
	if (d < 1 || d > dim || h > 23 || mi > 59 || sec > 59)
		return -1;
	*t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	return 0;
}

void
form_format_datetime(int64_t t, char *dst, size_t n)
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	if (n == 0)
		return;
	if (gmtime_r(&tt, &tm) == NULL) {
		*dst = '\0';
		return;
	}
	strftime(dst, n, tm.tm_sec != 0 ? "%Y-%m-%dT%H:%M:%S" :
	    "%Y-%m-%dT%H:%M", &tm);
}

/* An http(s) URL with a host and nothing a link may not carry. */
static bool
url_is_valid(const char *v)
{
	const char	*host;

	if (strncasecmp(v, "http://", 7) == 0)
		host = v + 7;
	else if (strncasecmp(v, "https://", 8) == 0)
		host = v + 8;
	else
		return false;
	if (*host == '\0' || strchr("/?#:@", *host) != NULL)
		return false;
	for (const char *p = v; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f ||
		    strchr("\"<>\\^`{|}", *p) != NULL)
			return false;
	return markdown_url_is_safe(v);
}

/* A comma-separated list of positive ids ("" is none). */
static bool
id_list_is_valid(const char *v, char *msg, size_t msglen)
{
	char		 item[32];
	long long	 id;
	size_t		 n;

	while (*v != '\0') {
		n = strcspn(v, ",");
		if (n == 0 || n >= sizeof(item)) {
			snprintf(msg, msglen, MSG_LIST);
			return false;
		}
		memcpy(item, v, n);
		item[n] = '\0';
		if (util_parse_int(item, 1, INT64_MAX, &id) != 0) {
			snprintf(msg, msglen, "\u201c%s\u201d is not a valid "
			    "value.", item);
			return false;
		}
		v += n;
		if (*v == ',' && *++v == '\0') {
			snprintf(msg, msglen, MSG_LIST);
			return false;
		}
	}
	return true;
}

/* The type's checks of a non-empty value; *num as form_field.num. */
static bool
check_type(const struct model_field *f, const char *v, long long *num,
    char *msg, size_t msglen)
{
	const char	*e;
	int64_t		 t;
	long long	 lo = INT64_MIN, hi = INT64_MAX;

	switch (f->type) {
	case MODEL_INTEGER:
		if (f->min < f->max) {
			lo = f->min;
			hi = f->max;
		}
		if (util_parse_int(v, INT64_MIN, INT64_MAX, num) != 0) {
			snprintf(msg, msglen, MSG_INTEGER);
			return false;
		}
		if (*num > hi) {
			snprintf(msg, msglen, "Ensure this value is less than "
			    "or equal to %lld.", hi);
			return false;
		}
		if (*num < lo) {
			snprintf(msg, msglen, "Ensure this value is greater "
			    "than or equal to %lld.", lo);
			return false;
		}
		return true;
	case MODEL_BOOLEAN:
		if (strcmp(v, "1") != 0) {
			snprintf(msg, msglen, "\u201c%s\u201d value must be "
			    "either True or False.", v);
			return false;
		}
		*num = 1;
		return true;
	case MODEL_CHOICE:
		if (model_choice_label(f, v) == NULL) {
			snprintf(msg, msglen, "Select a valid choice. %s is "
			    "not one of the available choices.", v);
			return false;
		}
		return true;
	case MODEL_DATETIME:
		if (form_parse_datetime(v, &t) != 0) {
			snprintf(msg, msglen, MSG_DATETIME);
			return false;
		}
		*num = t;
		return true;
	case MODEL_EMAIL:
		if ((e = auth_email_error(v)) != NULL) {
			snprintf(msg, msglen, "%s", e);
			return false;
		}
		return true;
	case MODEL_URL:
		if (!url_is_valid(v)) {
			snprintf(msg, msglen, MSG_URL);
			return false;
		}
		return true;
	case MODEL_SLUG:
		if (!slug_is_valid(v)) {
			snprintf(msg, msglen, MSG_SLUG);
			return false;
		}
		return true;
	case MODEL_FOREIGN_KEY:
		if (util_parse_int(v, 1, INT64_MAX, num) != 0) {
			snprintf(msg, msglen, MSG_FK);
			return false;
		}
		return true;
	case MODEL_MANY_TO_MANY:
		return id_list_is_valid(v, msg, msglen);
	default:
		return true;
	}
}

/* form_check_value(), also giving the parsed number. */
static bool
check(const struct model_field *f, const char *v, long long *num, char *msg,
    size_t msglen)
{
	const char	*e;
	size_t		 n;

	*num = 0;
	if (is_empty(f, v)) {
		if (f->flags & MF_REQUIRED) {
			snprintf(msg, msglen, MSG_REQUIRED);
			return false;
		}
		return true;
	}
	if (is_text(f->type)) {
		n = util_utf8_chars(v);
		if (f->max > 0 && n > (size_t)f->max) {
			snprintf(msg, msglen, "Ensure this value has at most "
			    "%lld characters (it has %zu).", f->max, n);
			return false;
		}
		if (f->min > 0 && n < (size_t)f->min) {
			snprintf(msg, msglen, "Ensure this value has at least "
			    "%lld characters (it has %zu).", f->min, n);
			return false;
		}
	}
	if (!check_type(f, v, num, msg, msglen))
		return false;
	if (f->check != NULL && (e = f->check(v)) != NULL) {
		snprintf(msg, msglen, "%s", e);
		return false;
	}
	return true;
}

bool
form_check_value(const struct model_field *f, const char *value, char *msg,
    size_t msglen)
{
	long long	 num;

	return check(f, value != NULL ? value : "", &num, msg, msglen);
}

void
form_init(struct req *r, const struct model *m, struct form *f)
{
	f->model = m;
	f->n = model_nfields(m);
	f->error = NULL;
	f->fields = arena_zalloc(r->arena, f->n * sizeof(*f->fields));
	for (size_t i = 0; i < f->n; i++) {
		f->fields[i].field = &m->fields[i];
		f->fields[i].value = m->fields[i].def != NULL ?
		    m->fields[i].def : "";
	}
}

static int
cmp_ll(const void *a, const void *b)
{
	long long	 x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/*
 * Every value posted under key, trimmed and joined with ','; when all are
 * ids, in ascending order without repeats (as a stored value reads, so
 * that an unchanged selection compares equal whatever the order of the
 * boxes on the page).
 */
static const char *
read_all(struct req *r, const char *key)
{
	const char	*v;
	char		*out = NULL;
	long long	*ids, id;
	size_t		 n = 0, k = 0;
	bool		 all_ids = true;

	ids = arena_alloc(r->arena, (r->form.n + 1) * sizeof(*ids));
	for (size_t i = 0; i < r->form.n; i++) {
		if (strcmp(r->form.v[i].key, key) != 0)
			continue;
		v = util_strtrim(r->arena, r->form.v[i].value);
		if (*v == '\0')
			continue;
		if (util_parse_int(v, 1, INT64_MAX, &id) == 0)
			ids[n++] = id;
		else
			all_ids = false;
		out = out == NULL ? arena_strdup(r->arena, v) :
		    arena_printf(r->arena, "%s,%s", out, v);
	}
	if (out == NULL || !all_ids)
		return out != NULL ? out : "";
	qsort(ids, n, sizeof(*ids), cmp_ll);
	out = NULL;
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && ids[i] == ids[i - 1])
			continue;
		out = k++ == 0 ? arena_printf(r->arena, "%lld", ids[i]) :
		    arena_printf(r->arena, "%s,%lld", out, ids[i]);
	}
	return out;
}

/* Multi-line text as typed, trimmed, with CRLF (what browsers send from
 * a textarea) made LF, as stored text reads. */
static const char *
read_lines(struct req *r, const char *v)
{
	char	*s = util_strtrim(r->arena, v), *d = s;

	for (const char *p = s; *p != '\0'; p++)
		if (!(p[0] == '\r' && p[1] == '\n'))
			*d++ = *p;
	*d = '\0';
	return s;
}

/* A checkbox: present with anything but "", "0", "false", "off". */
static const char *
read_bool(const char *v)
{
	if (v == NULL || *v == '\0' || strcmp(v, "0") == 0 ||
	    strcasecmp(v, "false") == 0 || strcasecmp(v, "off") == 0)
		return "0";
	return "1";
}

void
form_read(struct req *r, const struct model *m, struct form *f)
{
	const struct model_field *mf;

	form_init(r, m, f);
	for (size_t i = 0; i < f->n; i++) {
		mf = f->fields[i].field;
		if (!model_field_is_editable(mf) || mf->type == MODEL_FILE)
			continue;
		if (mf->type == MODEL_MANY_TO_MANY)
			f->fields[i].value = read_all(r, mf->name);
		else if (mf->type == MODEL_BOOLEAN)
			f->fields[i].value = read_bool(req_form(r, mf->name));
		else if (mf->type == MODEL_PASSWORD)	/* as typed: Django's */
			f->fields[i].value = arena_strdup(r->arena,
			    req_form(r, mf->name) != NULL ? req_form(r,
			    mf->name) : "");
		else if (mf->type == MODEL_LONGTEXT ||
		    mf->type == MODEL_MARKDOWN)
			f->fields[i].value = read_lines(r, req_form(r,
			    mf->name));
		else
			f->fields[i].value = util_strtrim(r->arena,
			    req_form(r, mf->name));
	}
}

static struct form_field *
find(const struct form *f, const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->fields[i].field->name, name) == 0)
			return &f->fields[i];
	return NULL;
}

int
form_set(struct req *r, struct form *f, const char *name, const char *value)
{
	struct form_field *ff;

	if ((ff = find(f, name)) == NULL)
		return -1;
	ff->value = arena_strdup(r->arena, value != NULL ? value : "");
	return 0;
}

bool
form_validate(struct req *r, struct form *f)
{
	char		 msg[256];
	bool		 ok = f->error == NULL;
	struct form_field *ff;

	for (size_t i = 0; i < f->n; i++) {
		ff = &f->fields[i];
		if (!model_field_is_editable(ff->field))
			continue;
		if (ff->error != NULL) {	/* set by the caller already */
			ok = false;
			continue;
		}
		if (!check(ff->field, ff->value, &ff->num, msg, sizeof(msg))) {
			ff->error = arena_strdup(r->arena, msg);
			ok = false;
		}
	}
	return ok;
}

const char *
form_value(const struct form *f, const char *name)
{
	const struct form_field *ff = find(f, name);

	return ff != NULL ? ff->value : NULL;
}

const char *
form_error(const struct form *f, const char *name)
{
	const struct form_field *ff = find(f, name);

	return ff != NULL ? ff->error : NULL;
}

long long
form_num(const struct form *f, const char *name)
{
	const struct form_field *ff = find(f, name);

	return ff != NULL ? ff->num : 0;
}

int
form_set_error(struct form *f, const char *name, const char *msg)
{
	struct form_field *ff;

	if (name == NULL) {
		f->error = msg;
		return 0;
	}
	if ((ff = find(f, name)) == NULL)
		return -1;
	ff->error = msg;
	return 0;
}

void
form_export(struct req *r, const struct form *f, const char *prefix)
{
	struct render_node *n;
	const struct model_field *mf;
	const struct model_choice *c;
	char		 key[64], num[32];
	bool		 errors = f->error != NULL;
	size_t		 k = 0, j;

	if (f->error != NULL)
		render_set(r, arena_printf(r->arena, "%s.error", prefix),
		    f->error);
	for (size_t i = 0; i < f->n; i++) {
		mf = f->fields[i].field;
		if (!(mf->flags & (MF_EDITABLE | MF_READONLY)))
			continue;
		n = render_node(r, "%s.fields.%zu", prefix, k++);
		render_node_set(r, n, "name", mf->name);
		render_node_set(r, n, "label", mf->label);
		render_node_set(r, n, "type", model_type_name(mf->type));
		render_node_set(r, n, "value", f->fields[i].value);
		if (f->fields[i].error != NULL) {
			render_node_set(r, n, "error", f->fields[i].error);
			errors = true;
		}
		if (mf->help != NULL)
			render_node_set(r, n, "help", mf->help);
		if (mf->flags & MF_REQUIRED)
			render_node_set(r, n, "required", "1");
		if (!model_field_is_editable(mf))
			render_node_set(r, n, "readonly", "1");
		if (is_text(mf->type) && mf->max > 0) {
			snprintf(num, sizeof(num), "%lld", mf->max);
			render_node_set(r, n, "max", num);
		}
		if (mf->target != NULL)
			render_node_set(r, n, "target", mf->target);
		if (mf->choices == NULL)
			continue;
		for (c = mf->choices, j = 0; c->value != NULL; c++, j++) {
			snprintf(key, sizeof(key), "choices.%zu.value", j);
			render_node_set(r, n, key, c->value);
			snprintf(key, sizeof(key), "choices.%zu.label", j);
			render_node_set(r, n, key, c->label);
			if (strcmp(c->value, f->fields[i].value) == 0) {
				snprintf(key, sizeof(key),
				    "choices.%zu.selected", j);
				render_node_set(r, n, key, "1");
			}
		}
	}
	if (errors)
		render_set(r, arena_printf(r->arena, "%s.has_errors", prefix),
		    "1");
}
