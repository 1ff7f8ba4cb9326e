/*
 * form: forms read, validated and exported from model metadata, so the
 * admin, the site's pages and the API give one set of messages (Django's
 * wording).  Owns parsing of submitted values by field type (integers,
 * booleans, choices, date-times, emails, URLs, slugs, ids) and the HDF
 * a field template draws from.  It does not touch the database: unique
 * and foreign-key existence are the caller's (and the database's).
 */
#ifndef GAZETTE_FORM_H
#define GAZETTE_FORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/model.h"

struct req;

/* One field of a form, in the order of the model's fields. */
struct form_field {
	const struct model_field *field;
	const char	*value;		/* trimmed; "" if none */
	const char	*error;		/* NULL, or the message */
	/* After form_validate(), for a valid non-empty INTEGER,
	 * BOOLEAN (0/1), DATETIME (Unix seconds) or FOREIGN_KEY. */
	long long	 num;
};

/*
 * A form over one model.  fields and every string are in r's arena:
 * valid until the request ends.
 */
struct form {
	const struct model *model;
	struct form_field *fields;	/* model_nfields(model) of them */
	size_t		 n;
	const char	*error;		/* non-field error, or NULL */
};

/* A form for m with every value at its default (def, else ""). */
void	 form_init(struct req *r, const struct model *m, struct form *f);

/*
 * form_init(), then each editable field (model_field_is_editable) from
 * r->form, trimmed of blanks at both ends.  Read-only and non-editable
 * fields keep their defaults, whatever was posted.  A BOOLEAN is "1"
 * when its key is present with any value but "", "0", "false" and
 * "off", else "0" (an unchecked checkbox sends nothing).  A
 * MANY_TO_MANY field takes every value posted under its name, joined
 * with ',' ("3,7").  MODEL_FILE fields are not read (no uploads yet).
 */
void	 form_read(struct req *r, const struct model *m, struct form *f);

/*
 * Set the value of field name (for a change form loaded from a row; a
 * copy is made in the arena).  Returns 0, or -1 if m has no such field.
 */
int	 form_set(struct req *r, struct form *f, const char *name,
	    const char *value);

/*
 * Check every editable field's value by its type (form_check_value())
 * and set its error and num.  An error set before (form_set_error())
 * is kept and not re-checked.  Returns whether the form is valid (no
 * field error and no non-field error).
 */
bool	 form_validate(struct req *r, struct form *f);

/* The value or error of field name; NULL if f has no such field. */
const char *form_value(const struct form *f, const char *name);
const char *form_error(const struct form *f, const char *name);

/*
 * Set a field error (e.g. "A tag with this name already exists." from a
 * unique violation) or, with name NULL, the non-field error.  msg must
 * live as long as the request.  Returns 0, or -1 if no such field.
 */
int	 form_set_error(struct form *f, const char *name, const char *msg);

/* The parsed num of field name (see struct form_field), or 0. */
long long form_num(const struct form *f, const char *name);

/*
 * Put the form in the HDF under prefix ("Form"):
 *   prefix.error                  the non-field error, if any
 *   prefix.has_errors             "1" if any error
 *   prefix.fields.N.name, .label, .type (model_type_name), .value,
 *     .error, .help, .required "1", .readonly "1", .max (characters),
 *     .choices.K.value, .label, .selected "1"
 * for each field that is editable or read-only, N counting from 0.
 * Values are escaped by the template, not here.
 */
void	 form_export(struct req *r, const struct form *f,
	    const char *prefix);

/*
 * Check value (already trimmed; "" is "empty") against field f: the
 * required flag, then by type — lengths in characters, integer ranges,
 * choices, date-times, emails, http(s) URLs, slugs, positive ids, id
 * lists for MANY_TO_MANY — then f->check.  Returns true if valid; else
 * false with Django's message in msg (msglen bytes, truncated).
 * Pure: no request, no database.
 */
bool	 form_check_value(const struct model_field *f, const char *value,
	    char *msg, size_t msglen);

/*
 * Parse a date-time as <input type="datetime-local"> sends it
 * ("YYYY-MM-DDTHH:MM", optionally ":SS") or typed ("YYYY-MM-DD HH:MM",
 * optionally ":SS"), taken as UTC, years 1970 to 9999, every part
 * checked against the calendar (no Feb 30, no hour 24).  Returns 0 and
 * sets *t to Unix seconds, or -1.
 */
int	 form_parse_datetime(const char *s, int64_t *t);

/*
 * Write Unix time t (UTC) as "YYYY-MM-DDTHH:MM" (":SS" added when not
 * 0), what a datetime-local input shows, into dst (n bytes, 20 do).
 */
void	 form_format_datetime(int64_t t, char *dst, size_t n);

#endif
