/*
 * admin: the generic admin, Django's admin for Gazette.  Driven by the
 * model registry (core/model) and an admin registry of static tables
 * the site hands over once (admin_register): list columns, filters,
 * fieldsets, actions, what a delete takes with it.  Owns the pages
 * under /admin/ (index, changelist, add/change, delete, history and the
 * global log), the history log (admin_log table: who, when, each
 * field's old and new value, a snapshot to revert to), the admin's
 * one-shot messages and the access rule: only active staff, and every
 * page and action checks the model permission on the server.
 *
 * Site pages that live in the admin (moderation queue, media, settings)
 * use admin_guard(), admin_render(), admin_message() and admin_log().
 */
#ifndef GAZETTE_ADMIN_H
#define GAZETTE_ADMIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct req;
struct model;
struct form;
struct admin_model;

/*
 * A bulk action on the selected rows of a changelist, shown in its
 * "Action" menu to users with the model permission perm ("change",
 * "delete").  A confirmation page lists the objects first.  run is
 * called inside the write transaction with the selected ids, each
 * already checked to exist and be the user's to act on; it logs each
 * object it changes (admin_log) and returns how many it changed, or -1
 * if r failed.
 */
struct admin_action {
	const char	*name;		/* the form's action value; NULL ends */
	const char	*label;		/* "Approve selected comments" */
	const char	*perm;		/* "view", "add", "change", "delete" */
	int		(*run)(struct req *r, const struct admin_model *am,
			    const int64_t *ids, size_t n);
};

/* A group of fields on the add/change form. */
struct admin_fieldset {
	const char	*title;		/* NULL: no heading; fields NULL ends */
	const char	*const *fields;	/* NULL-terminated field names */
	const char	*description;	/* NULL: none */
};

enum admin_on_delete {
	ADMIN_CASCADE,		/* deleted with the object (counted) */
	ADMIN_PROTECT,		/* any such row refuses the delete */
	ADMIN_SET_NULL		/* kept, the reference cleared (counted) */
};

/*
 * A relation from another table to this model, for the delete page:
 * rows of table whose column holds the object's id.  Counted with a
 * capped query (at most ADMIN_RELATED_CAP).
 */
struct admin_related {
	const char	*table;		/* NULL ends */
	const char	*column;
	const char	*label;		/* plural: "comments" */
	enum admin_on_delete on_delete;
};
#define ADMIN_RELATED_CAP	10000

struct admin_model {
	const char	*model;		/* the registered model's name */
	const char	*group;		/* index heading: "Content" */
	const char	*const *list_display;	/* columns; NULL: str_field */
	const char	*const *list_filter;	/* sidebar filters (FILTERABLE) */
	int		 list_per_page;	/* 0: MODEL_PAGE_DEFAULT */
	const struct admin_fieldset *fieldsets;	/* NULL: one, all fields */
	const struct admin_fieldset *add_fieldsets; /* NULL: fieldsets */
	const char	*prepopulate;	/* "slug" filled from ... */
	const char	*prepopulate_from;	/* ... "title" (by script) */
	const char	*const *autocomplete;	/* FKs typed, not selected */
	const char	*const *superuser_only;	/* fields only superusers edit */
	const struct admin_action *actions;	/* besides delete_selected */
	const struct admin_related *related;	/* for the delete page */
	/*
	 * Ownership: when set, a user without owner_all_perm sees and
	 * changes only rows whose owner_field is their id, and a row they
	 * add gets it.
	 */
	const char	*owner_field;	/* "author_id" */
	const char	*owner_all_perm;	/* "article.edit_others" */
	/*
	 * Trash: when set, delete sets trash_field to trash_value (the row
	 * stays, restorable from its history) unless it is already there;
	 * then delete destroys it.
	 */
	const char	*trash_field;	/* "status" */
	const char	*trash_value;	/* "trash" */
	bool		 no_add;	/* rows come from elsewhere (comments) */
	/*
	 * Optional hooks, called inside the write transaction.
	 * validate: checks beyond the metadata (two passwords match); sets
	 * form errors, returns -1 if r failed, else 0.
	 * save: writes the row itself (articles go through article_save);
	 * returns the id, 0 with a form error set, or -1 if r failed.  When
	 * NULL, the row is inserted or updated from the form's columns.
	 * after_save: what else the save implies (set a password); 0 or -1.
	 */
	int		(*validate)(struct req *r, const struct admin_model *am,
			    struct form *f, int64_t id);
	int64_t		(*save)(struct req *r, const struct admin_model *am,
			    struct form *f, int64_t id);
	int		(*after_save)(struct req *r,
			    const struct admin_model *am, struct form *f,
			    int64_t id);
	/*
	 * Beyond permissions and ownership: may r->user change or delete
	 * the row whose values (model_row_get) are v?  false: they only
	 * view it.  (Only superusers change superusers.)  NULL: yes.
	 */
	bool		(*may_change_row)(struct req *r,
			    const struct admin_model *am,
			    const char *const *v);
	/* Extra HDF for the form of row id, 0 on the add page (links,
	 * buttons, the media picker). */
	void		(*change_extra)(struct req *r,
			    const struct admin_model *am, int64_t id);
};

/*
 * A page of the site that lives in the admin (moderation queue, media,
 * settings): linked from the index and the side navigation for users
 * with perm.  badge, if set, returns a number shown beside the link
 * (pending comments), or -1 for none; it is called on every admin page,
 * so it need count no further than ADMIN_BADGE_MAX + 1 (shown "999+").
 */
#define ADMIN_BADGE_MAX	999
struct admin_page {
	const char	*label;		/* NULL ends */
	const char	*group;
	const char	*route;		/* route name, for router_url() */
	const char	*perm;		/* "comment.change"; NULL: any staff */
	int64_t		(*badge)(struct req *r);
};

/*
 * Install the admin registry: models (NULL-terminated; each names a
 * registered model, at most one entry per model) and pages (ending with
 * a NULL label; may be NULL).  Call after model_register_all().  Checks
 * every name the tables use against the model's fields.  0, or -1
 * (logged): a bad table is a bug of the site.
 */
int	 admin_register(const struct admin_model *const *models,
	    const struct admin_page *pages);

/* The registry entry of model name, or NULL. */
const struct admin_model *admin_model_find(const char *name);

/*
 * The gate of every admin page: 0 if r->user is active staff (and
 * enrolled in two-factor when the site requires it for staff);
 * otherwise the answer to return — a redirect to the login page with
 * ?next= for anonymous visitors, 403 for others.
 */
int	 admin_guard(struct req *r);

/* May r->user do action ("view", "add", "change", "delete") on m? */
bool	 admin_may(struct req *r, const struct model *m, const char *action);

/*
 * Render template inside the admin layout (admin/base.cs): sets
 * Admin.title (the page's heading), Admin.nav (the models and pages the
 * user may see), Admin.messages (admin_message() of the request before,
 * consumed), the CSRF token and the static URLs.  Returns 200, or 500.
 */
int	 admin_render(struct req *r, const char *tmpl, const char *title);

/*
 * Queue a message ("The tag “News” was added successfully.") for the
 * next admin page this browser renders (a signed cookie; shown once,
 * escaped).  kind is "success", "info", "warning" or "error".
 */
void	 admin_message(struct req *r, const char *kind, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

enum admin_log_action {
	ADMIN_LOG_ADD,
	ADMIN_LOG_CHANGE,
	ADMIN_LOG_DELETE,	/* destroyed */
	ADMIN_LOG_TRASH,	/* moved to trash */
	ADMIN_LOG_RESTORE,	/* back from trash */
	ADMIN_LOG_REVERT,	/* a change back to an earlier version */
	ADMIN_LOG__MAX
};

/*
 * Record in the history, inside the caller's write transaction, that
 * r->user did action on object id of model (its name now: repr).
 * changes: a JSON array of {"field", "label", "old", "new"} or NULL;
 * snapshot: a JSON object of every field's value after the action (what
 * "revert to this version" restores) or NULL.  Returns the entry's id,
 * or -1 if r failed.
 */
int64_t	 admin_log(struct req *r, const char *model, int64_t id,
	    const char *repr, enum admin_log_action action,
	    const char *changes, const char *snapshot);

/*
 * History's view of a row: values as model_row_get() gives them (one
 * per field of m, NULL for virtual fields), results in the arena.
 * admin_version: a hex digest of the values, what a change form carries
 * to detect that someone else saved in between.
 * admin_snapshot: a JSON object {field: value} of the stored fields.
 * admin_diff: a JSON array of {"field", "label", "old", "new"} for the
 * fields whose values differ (before NULL: an add, against ""), or NULL
 * when none do.
 * admin_revert_values: current with the values of json put back — a
 * snapshot (undo false) or a diff's old values (undo true); virtual and
 * unknown fields are ignored.  NULL if json is not of that shape.
 */
const char *admin_version(struct req *r, const struct model *m,
	    const char *const *v);
const char *admin_snapshot(struct req *r, const struct model *m,
	    const char *const *v);
const char *admin_diff(struct req *r, const struct model *m,
	    const char *const *before, const char *const *after);
const char **admin_revert_values(struct req *r, const struct model *m,
	    const char *const *current, const char *json, bool undo);

/* The action's name as stored: "add", "change", "delete" ... */
const char *admin_log_action_name(enum admin_log_action a);

/* The registry, NULL-terminated, and the pages (may be NULL). */
const struct admin_model *const *admin_models(void);
const struct admin_page *admin_pages(void);

/* Is r->user active staff, enrolled in two-factor if required? */
bool	 admin_is_staff(const struct req *r);

/* May r->user see page p (staff, and p->perm if set)? */
bool	 admin_may_page(struct req *r, const struct admin_page *p);

/* Append a breadcrumb after "Home" (url NULL: the current page). */
void	 admin_crumb(struct req *r, const char *label, const char *url);

/* A badge's number as shown: "12", or "999+" past ADMIN_BADGE_MAX. */
const char *admin_badge_text(struct req *r, int64_t n);

/* s with its first letter upper-cased, in the arena. */
const char *admin_capfirst(struct req *r, const char *s);

/*
 * The admin's own pages (admin_index.c, admin_list.c, admin_form.c,
 * admin_delete.c, admin_history.c), for the site's route table:
 *   admin_index       GET       /admin/
 *   admin_log         GET       /admin/log/            superusers
 *   admin_changelist  GET|POST  /admin/{model}/        POST: actions
 *   admin_export      GET       /admin/{model}/export/ CSV
 *   admin_autocomplete GET      /admin/{model}/autocomplete/?term=
 *   admin_add         GET|POST  /admin/{model}/add/
 *   admin_change      GET|POST  /admin/{model}/{id}/
 *   admin_delete      GET|POST  /admin/{model}/{id}/delete/
 *   admin_history     GET       /admin/{model}/{id}/history/
 *   admin_revert      POST      /admin/{model}/{id}/history/{log}/revert/
 *   admin_preview     POST      /admin/preview/        Markdown preview
 */
int	 admin_page_index(struct req *r);
int	 admin_page_log(struct req *r);
int	 admin_page_changelist(struct req *r);
int	 admin_page_export(struct req *r);
int	 admin_page_autocomplete(struct req *r);
int	 admin_page_add(struct req *r);
int	 admin_page_change(struct req *r);
int	 admin_page_delete(struct req *r);
int	 admin_page_history(struct req *r);
int	 admin_page_revert(struct req *r);
int	 admin_page_preview(struct req *r);

/*
 * A hook that adds to the admin index (the site's dashboard charts),
 * called before it renders; may be NULL.
 */
void	 admin_set_index_hook(void (*fn)(struct req *));

#endif
