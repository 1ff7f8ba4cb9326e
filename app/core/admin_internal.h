/*
 * admin_internal: what the files of the admin's pages share, and no one
 * else includes.  admin_common.c holds the gates and how values are
 * shown; admin_list.c, admin_delete.c and admin_form.c lend the pieces
 * that another page reuses (the log's links, bulk delete, revert).
 * Every string returned lives in r's arena, until the end of the
 * request.  The public API is admin.h.
 */
#ifndef GAZETTE_ADMIN_INTERNAL_H
#define GAZETTE_ADMIN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/admin.h"
#include "core/model.h"

#define COUNT_CAP	1000	/* exact counts up to this, then "more than" */

/* ---- admin_common.c: gates --------------------------------------------- */

/*
 * The model of the route's {model}: 0 with *amp and *mp set when it is
 * registered and r->user may do action on it; else the status (404 for
 * an unknown model, so names are not probed; 403 without permission).
 */
int	 admin_model_gate(struct req *r, const char *action,
	    const struct admin_model **amp, const struct model **mp);

/*
 * admin_model_gate(), then row id of that model into *v: 0, or the
 * status (404 if there is no such row, 403 if it is not the user's to
 * act on; 500 if r failed).
 */
int	 admin_object_gate(struct req *r, const char *action,
	    const struct admin_model **amp, const struct model **mp,
	    int64_t id, const char ***v);

/* Does r->user see only their own rows of am (no owner_all_perm)? */
bool	 admin_is_owner_restricted(struct req *r,
	    const struct admin_model *am);

/* May r->user act on the row whose values are v (the owner rule)? */
bool	 admin_may_row(struct req *r, const struct admin_model *am,
	    const struct model *m, const char *const *v);

/* The registry's row rule (may_change_row): true if there is none. */
bool	 admin_may_change_row(struct req *r, const struct admin_model *am,
	    const char *const *v);

/* ---- admin_common.c: small helpers ------------------------------------- */

/* v in decimal. */
const char *admin_i64(struct req *r, int64_t v);

/* v with thousands separated: "1,234". */
const char *admin_thousands(struct req *r, int64_t v);

/* The route's {id} (or another int hole name); 0 if absent or bad. */
int64_t	 admin_param_id(struct req *r, const char *name);

/* The index of f in m's fields (f is one of them). */
size_t	 admin_field_index(const struct model *m,
	    const struct model_field *f);

/* "The article “Hello”", for messages; "(unnamed)" if str is empty. */
const char *admin_obj_name(struct req *r, const struct model *m,
	    const char *str);

/*
 * Breadcrumbs: m's list, then label (with label_url; NULL: none), then
 * last (the current page; NULL: none).
 */
void	 admin_crumbs_model(struct req *r, const struct model *m,
	    const char *label, const char *label_url, const char *last);

/* The time t to the minute: "2024-05-01 10:30 UTC". */
const char *admin_when(struct req *r, int64_t t);

/*
 * Value v of field f as the admin shows it: choices by label, booleans
 * Yes/No, date-times by admin_when(), passwords never.  raw_db: v is as
 * the database holds it (a date-time in seconds), not a form's value.
 */
const char *admin_display(struct req *r, const struct model_field *f,
	    const char *v, bool raw_db);

/*
 * The name of the row a foreign key's value v names, or "#v" if it is
 * gone.  Names are cached for the request: a list of 100 rows by 8
 * authors looks each author up once.
 */
const char *admin_fk_display(struct req *r, const struct model_field *f,
	    const char *v);

/*
 * Any field's form value as shown: foreign keys and many-to-many by
 * their targets' names, the rest as admin_display() shows them.
 */
const char *admin_value_text(struct req *r, const struct model_field *f,
	    const char *v);

/* ---- admin_list.c ------------------------------------------------------ */

/*
 * base plus r's query string with parameter key set to value (NULL:
 * removed), likewise key2 (NULL: none), and the cursor dropped (a new
 * filter or order starts at the first page).
 */
const char *admin_list_url(struct req *r, const char *base, const char *key,
	    const char *value, const char *key2, const char *value2);

/* ---- admin_delete.c ---------------------------------------------------- */

/* Does deleting the row (values v) move it to the trash? */
bool	 admin_delete_is_trash(const struct admin_model *am,
	    const struct model *m, const char *const *v);

/*
 * Put what deleting rows ids[0..n) would take along into
 * prefix.related.N (label, count, effect), counted with capped queries;
 * *protect set when a protected relation holds rows.  0, or -1 if r
 * failed.
 */
int	 admin_related_export(struct req *r, const struct admin_model *am,
	    const int64_t *ids, size_t n, const char *prefix, bool *protect);

/*
 * Delete row id (values v), or move it to the trash (*trashed set), with
 * its history entry, in the caller's write transaction.  0, or -1 if r
 * failed.
 */
int	 admin_delete_row(struct req *r, const struct admin_model *am,
	    const struct model *m, int64_t id, const char *const *v,
	    bool *trashed);

/* ---- admin_form.c ------------------------------------------------------ */

/* Which fields a form shows and which of them r->user may edit. */
struct admin_plan {
	bool	 shown[MODEL_FIELDS_MAX];
	bool	 editable[MODEL_FIELDS_MAX];
	bool	 view_only;
};

/*
 * The plan of am's add (add true) or change form for r->user: the
 * fieldsets' fields (or every editable and read-only one), editable
 * unless view_only, read-only, superuser-only or the owner field of an
 * owner-restricted user.
 */
void	 admin_plan_form(struct req *r, const struct admin_model *am,
	    const struct model *m, bool add, bool view_only,
	    struct admin_plan *p);

/*
 * Validate and save f (fields write[]) to row id (0: add) in one
 * transaction with its history entry (action).  version: the version
 * the form started from (NULL: no check; *stale set when it is not the
 * row's now).  Returns 0 with *out the id, 1 if the form has errors
 * (nothing written), or -1 if r failed.
 */
int	 admin_save_form(struct req *r, const struct admin_model *am,
	    const struct model *m, int64_t id, struct form *f,
	    const bool *write, const char *version,
	    enum admin_log_action action, int64_t *out, bool *stale);

#endif
