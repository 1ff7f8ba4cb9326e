/*
 * admin_site: how the site's models appear in the admin (core/admin's
 * registry, like Django's admin.py): columns, filters, fieldsets,
 * actions, what a delete takes along; the hooks where a model's save is
 * more than its columns (articles render Markdown, comments too); and
 * the site's own admin pages.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/admin.h"
#include "core/arena.h"
#include "core/auth.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/form.h"
#include "core/http.h"
#include "core/jobs.h"
#include "core/markdown.h"
#include "core/model.h"
#include "core/render.h"
#include "core/router.h"
#include "core/session.h"
#include "core/util.h"
#include "site/article.h"
#include "site/comment.h"
#include "site/notify.h"
#include "site/site.h"

/* ---- articles ------------------------------------------------------------ */

/* Articles save through article_save(): slug, excerpt, HTML, redirects. */
static int64_t
article_admin_save(struct req *r, const struct admin_model *am,
    struct form *f, int64_t id)
{
	struct article_input in;
	const char	*field, *error;
	int64_t		 n;

	(void)am;
	memset(&in, 0, sizeof(in));
	in.id = id;
	in.kind = form_value(f, "kind");
	in.title = form_value(f, "title");
	in.slug = form_value(f, "slug");
	in.excerpt = form_value(f, "excerpt");
	in.body = form_value(f, "body");
	in.status = form_value(f, "status");
	in.publish_at = form_num(f, "publish_at");
	in.author_id = form_num(f, "author_id");
	in.comments_open = strcmp(form_value(f, "comments_open"), "1") == 0;
	in.tags = NULL;		/* the admin writes the join rows itself */
	if ((n = article_save(r, &in, &field, &error)) == 0 &&
	    form_set_error(f, field, error) != 0)
		form_set_error(f, NULL, error);
	return n;
}

/* Set the status of each article (in the caller's transaction). */
static int
article_status_all(struct req *r, const struct admin_model *am,
    const int64_t *ids, size_t n, const char *status)
{
	const struct model *m = model_find(am->model);
	int	 done = 0;

	for (size_t i = 0; i < n; i++) {
		struct article	*a = article_by_id(r, ids[i]);
		struct article_input in;
		const char	*field, *error;

		if (a == NULL)
			return req_failed(r) ? -1 : done;
		if (strcmp(a->status, status) == 0)
			continue;
		memset(&in, 0, sizeof(in));
		in.id = a->id;
		in.title = a->title;
		in.slug = a->slug;
		in.excerpt = a->excerpt;
		in.body = a->body;
		in.status = status;
		in.publish_at = a->publish_at;
		in.author_id = a->author_id;
		in.comments_open = -1;
		if (article_save(r, &in, &field, &error) < 0)
			return -1;
		if (admin_log(r, m->name, a->id, a->title, ADMIN_LOG_CHANGE,
		    arena_printf(r->arena, "[{\"field\":\"status\",\"label\":"
		    "\"Status\",\"old\":\"%s\",\"new\":\"%s\"}]", a->status,
		    status), NULL) < 0)
			return -1;
		done++;
	}
	return done;
}

static int
article_publish(struct req *r, const struct admin_model *am,
    const int64_t *ids, size_t n)
{
	return article_status_all(r, am, ids, n, "published");
}

static int
article_unpublish(struct req *r, const struct admin_model *am,
    const int64_t *ids, size_t n)
{
	return article_status_all(r, am, ids, n, "draft");
}

/* The article form: the newest images, to insert into the body. */
static void
article_admin_extra(struct req *r, const struct admin_model *am, int64_t id)
{
	(void)am;
	(void)id;
	media_picker_export(r, "Change.extra.media", 12);
	render_set(r, "Change.extra.media_url", router_url(r, "admin_media"));
}

static const char *const article_list[] = {
	"title", "status", "author_id", "publish_at", "updated_at", NULL
};
static const char *const article_filters[] = {
	"status", "kind", "author_id", "publish_at", "comments_open", NULL
};
static const char *const article_main[] = {
	"title", "slug", "body", "excerpt", "tags", NULL
};
static const char *const article_publishing[] = {
	"status", "publish_at", "author_id", "kind", "comments_open", NULL
};
static const char *const article_dates[] = {
	"created_at", "updated_at", NULL
};
static const struct admin_fieldset article_fieldsets[] = {
	{ NULL, article_main, NULL },
	{ "Publishing", article_publishing,
	  "A published article whose time is still to come appears by "
	  "itself at that time." },
	{ "Dates", article_dates, NULL },
	{ NULL, NULL, NULL }
};
static const char *const article_autocomplete[] = { "author_id", NULL };
static const struct admin_action article_actions[] = {
	{ "publish_selected", "Publish selected articles", "change",
	  article_publish },
	{ "unpublish_selected", "Make selected articles drafts", "change",
	  article_unpublish },
	{ NULL, NULL, NULL, NULL }
};
static const struct admin_related article_related[] = {
	{ "comments", "article_id", "comments", ADMIN_CASCADE },
	{ "article_tags", "article_id", "tag assignments", ADMIN_CASCADE },
	{ "slug_redirects", "article_id", "old addresses", ADMIN_CASCADE },
	{ NULL, NULL, NULL, ADMIN_CASCADE }
};

static const struct admin_model article_admin = {
	.model = "article", .group = "Content",
	.list_display = article_list, .list_filter = article_filters,
	.fieldsets = article_fieldsets,
	.prepopulate = "slug", .prepopulate_from = "title",
	.autocomplete = article_autocomplete,
	.actions = article_actions, .related = article_related,
	.owner_field = "author_id", .owner_all_perm = "article.edit_others",
	.trash_field = "status", .trash_value = "trash",
	.save = article_admin_save, .change_extra = article_admin_extra,
};

/* ---- tags ------------------------------------------------------------------- */

static const char *const tag_list[] = { "name", "slug", NULL };
static const struct admin_related tag_related[] = {
	{ "article_tags", "tag_id", "tag assignments", ADMIN_CASCADE },
	{ NULL, NULL, NULL, ADMIN_CASCADE }
};

static const struct admin_model tag_admin = {
	.model = "tag", .group = "Content", .list_display = tag_list,
	.prepopulate = "slug", .prepopulate_from = "name",
	.related = tag_related,
};

/* ---- comments ---------------------------------------------------------------- */

/* A comment's body changed in the admin: render it again. */
static int
comment_admin_after_save(struct req *r, const struct admin_model *am,
    struct form *f, int64_t id)
{
	const char	*body = form_value(f, "body");
	sqlite3_stmt	*st;
	struct buf	 html;
	int		 rc;

	(void)am;
	buf_init(&html);
	if (markdown_comment(body, strlen(body), &html) != 0) {
		buf_free(&html);
		req_fail(r, 500, "comment %lld: markdown failed",
		    (long long)id);
		return -1;
	}
	if ((st = db_stmt(r, "UPDATE comments SET body_html = ?1, "
	    "updated_at = ?2 WHERE id = ?3")) == NULL) {
		buf_free(&html);
		return -1;
	}
	db_bind_text(r, st, 1, html.ptr != NULL ? html.ptr : "");
	db_bind_int64(r, st, 2, util_wall_us() / 1000000);
	db_bind_int64(r, st, 3, id);
	rc = db_step(r, st);
	db_done(r, st);
	buf_free(&html);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
comment_status_all(struct req *r, const struct admin_model *am,
    const int64_t *ids, size_t n, const char *status)
{
	int	 done = 0;

	for (size_t i = 0; i < n; i++) {
		struct comment	*c = comment_by_id(r, ids[i]);

		if (c == NULL)
			return req_failed(r) ? -1 : done;
		if (strcmp(c->status, status) == 0)
			continue;
		if (comment_set_status(r, c->id, status) != 0 ||
		    admin_log(r, am->model, c->id, c->author_name,
		    ADMIN_LOG_CHANGE, arena_printf(r->arena, "[{\"field\":"
		    "\"status\",\"label\":\"Status\",\"old\":\"%s\",\"new\":"
		    "\"%s\"}]", c->status, status), NULL) < 0 ||
		    (strcmp(status, "approved") == 0 &&
		    notify_comment_approved(r, c->id) != 0))
			return -1;
		done++;
	}
	return done;
}

static int
comment_approve(struct req *r, const struct admin_model *am,
    const int64_t *ids, size_t n)
{
	return comment_status_all(r, am, ids, n, "approved");
}

static int
comment_spam(struct req *r, const struct admin_model *am,
    const int64_t *ids, size_t n)
{
	return comment_status_all(r, am, ids, n, "spam");
}

static const char *const comment_list[] = {
	"author_name", "article_id", "status", "created_at", "ip", NULL
};
static const char *const comment_filters[] = {
	"status", "created_at", NULL
};
static const char *const comment_autocomplete[] = { "article_id", NULL };
static const struct admin_action comment_actions[] = {
	{ "approve_selected", "Approve selected comments", "change",
	  comment_approve },
	{ "spam_selected", "Mark selected comments as spam", "change",
	  comment_spam },
	{ NULL, NULL, NULL, NULL }
};
static const struct admin_related comment_related[] = {
	{ "comments", "parent_id", "replies", ADMIN_CASCADE },
	{ NULL, NULL, NULL, ADMIN_CASCADE }
};

static const struct admin_model comment_admin = {
	.model = "comment", .group = "Comments",
	.list_display = comment_list, .list_filter = comment_filters,
	.autocomplete = comment_autocomplete, .actions = comment_actions,
	.related = comment_related,
	.trash_field = "status", .trash_value = "trash", .no_add = true,
	.after_save = comment_admin_after_save,
};

/* ---- users and groups -------------------------------------------------------- */

static int
user_deactivate(struct req *r, const struct admin_model *am,
    const int64_t *ids, size_t n)
{
	sqlite3_stmt	*st;
	int		 done = 0;

	for (size_t i = 0; i < n; i++) {
		struct user	*u = auth_user_by_id(r, ids[i]);

		if (u == NULL)
			return req_failed(r) ? -1 : done;
		if (!u->is_active)
			continue;
		if ((st = db_stmt(r, "UPDATE users SET is_active = 0 "
		    "WHERE id = ?1")) == NULL)
			return -1;
		db_bind_int64(r, st, 1, u->id);
		if (db_step(r, st) != SQLITE_DONE) {
			db_done(r, st);
			return -1;
		}
		db_done(r, st);
		if (session_end_others(r, u->id) != 0 ||
		    admin_log(r, am->model, u->id, u->username,
		    ADMIN_LOG_CHANGE, "[{\"field\":\"is_active\",\"label\":"
		    "\"Active\",\"old\":\"1\",\"new\":\"0\"}]", NULL) < 0)
			return -1;
		done++;
	}
	return done;
}

/* Only superusers change or delete a superuser (else a staff member
 * with user.change could take the account over by its email). */
static bool
user_may_change(struct req *r, const struct admin_model *am,
    const char *const *v)
{
	const struct model *m = model_find(am->model);
	const struct model_field *f = model_field(m, "is_superuser");

	return r->user->is_superuser || strcmp(v[f - m->fields], "1") != 0;
}

static const char *const user_list[] = {
	"username", "email", "display_name", "is_staff", "is_active",
	"date_joined", NULL
};
static const char *const user_filters[] = {
	"is_staff", "is_superuser", "is_active", "date_joined", NULL
};
static const char *const user_main[] = { "username", NULL };
static const char *const user_personal[] = {
	"display_name", "email", "bio", NULL
};
static const char *const user_perms[] = {
	"is_active", "is_staff", "is_superuser", "groups",
	"user_permissions", NULL
};
static const char *const user_dates[] = {
	"last_login", "date_joined", NULL
};
static const struct admin_fieldset user_fieldsets[] = {
	{ NULL, user_main, NULL },
	{ "Personal info", user_personal, NULL },
	{ "Permissions", user_perms, NULL },
	{ "Important dates", user_dates, NULL },
	{ NULL, NULL, NULL }
};
static const char *const user_add_main[] = {
	"username", "email", "password1", "password2", NULL
};
static const struct admin_fieldset user_add_fieldsets[] = {
	{ NULL, user_add_main, "First, enter a username, an email address "
	  "and a password. Then you will be able to edit more of the "
	  "user\u2019s options." },
	{ NULL, NULL, NULL }
};
static const char *const user_superuser_only[] = {
	"is_staff", "is_superuser", NULL
};
static const struct admin_action user_actions[] = {
	{ "deactivate_selected", "Deactivate selected users", "change",
	  user_deactivate },
	{ NULL, NULL, NULL, NULL }
};
static const struct admin_related user_related[] = {
	/* WordPress asks where a deleted author's posts go: here the
	 * articles must be given to someone else first (or the user
	 * deactivated instead). */
	{ "articles", "author_id", "articles written (give them to another "
	  "author first, or deactivate the user instead)", ADMIN_PROTECT },
	{ "comments", "user_id", "comments (kept, without an account)",
	  ADMIN_SET_NULL },
	{ "sessions", "user_id", "sessions", ADMIN_CASCADE },
	{ "user_groups", "user_id", "group memberships", ADMIN_CASCADE },
	{ NULL, NULL, NULL, ADMIN_CASCADE }
};

static const struct admin_model user_admin = {
	.model = "user", .group = "Accounts", .list_display = user_list,
	.list_filter = user_filters, .fieldsets = user_fieldsets,
	.add_fieldsets = user_add_fieldsets,
	.superuser_only = user_superuser_only, .actions = user_actions,
	.related = user_related,
	.validate = user_admin_validate, .after_save = user_admin_after_save,
	.may_change_row = user_may_change,
	.change_extra = user_admin_change_extra,
};

static const struct admin_related group_related[] = {
	{ "user_groups", "group_id", "group memberships", ADMIN_CASCADE },
	{ NULL, NULL, NULL, ADMIN_CASCADE }
};

static const struct admin_model group_admin = {
	.model = "group", .group = "Accounts", .related = group_related,
};

const struct admin_model *const site_admin_models[] = {
	&article_admin, &tag_admin, &comment_admin, &user_admin,
	&group_admin, NULL
};

static const struct admin_page site_admin_pages[] = {
	{ "Moderation queue", "Comments", "admin_moderation",
	  "comment.view", moderation_pending_count },
	{ "Bans", "Comments", "admin_bans", "comment.change", NULL },
	{ "Media", "Content", "admin_media", "article.add", NULL },
	{ "Settings", "Site", "admin_settings", "settings.change", NULL },
	{ "Background jobs", "Site", "admin_jobs", "jobs.change",
	  jobs_dead_count },
	/* No one holds this permission: superusers have them all. */
	{ "API tokens", "Site", "admin_tokens", "apitoken.change", NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct admin_page *const site_admin_page_table = site_admin_pages;
