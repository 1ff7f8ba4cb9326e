/*
 * fixture_admin: what the suites of the admin's history share
 * (test_admin_history.c, test_admin_rows.c): a row's values built by
 * name, and the history's JSON read back with jansson.  Each fails the
 * running test when its input is not what it expects.
 */
#ifndef GAZETTE_TEST_FIXTURE_ADMIN_H
#define GAZETTE_TEST_FIXTURE_ADMIN_H

#include <jansson.h>
#include <stddef.h>

struct model;
struct req;

/* Ends the name, value pairs of fixture_vals() (and the suites' own). */
#define END	((const char *)NULL)

/*
 * Values of model name as model_row_get() gives them: "" for every
 * stored field, NULL for virtual ones, then the name, value pairs that
 * follow (NULL-terminated) put over them (a virtual field too).  In r's
 * arena.
 */
const char **fixture_vals(struct req *r, const char *name, ...)
	    __attribute__((sentinel));

/* The index of field name of m. */
size_t	 fixture_idx(const struct model *m, const char *name);

/* s parsed, which must be JSON; the caller json_decref()s it. */
json_t	*fixture_json(const char *s);

/* The entry of diff array a for field, or NULL (borrowed from a). */
json_t	*fixture_diff_entry(json_t *a, const char *field);

/* The string member key of o, or NULL (borrowed from o). */
const char *fixture_jstr(json_t *o, const char *key);

/* Check that diff array a has the entry field: label, old -> new. */
void	 fixture_assert_change(json_t *a, const char *field,
	    const char *label, const char *old, const char *new);

/* Check that the values a and b of m's fields are the same (NULL only
 * as NULL). */
void	 fixture_assert_same_values(const struct model *m,
	    const char *const *a, const char *const *b);

#endif
