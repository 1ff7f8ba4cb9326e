/*
 * models: the site's models as core/model metadata — articles, tags,
 * comments, users and groups — for the admin, forms and (later) the
 * API.  Field names are the columns of the sql/ migrations exactly
 * (test_model checks them against a migrated database); the users'
 * password, two-factor columns and the rendered body_html are left out
 * on purpose: they are never edited through generic forms.
 */
#include <stddef.h>

#include "core/auth.h"
#include "core/model.h"
#include "site/comment.h"
#include "site/site.h"

#define RO		(MF_READONLY)

static const struct model_choice article_statuses[] = {
	{ "draft", "Draft" },
	{ "scheduled", "Scheduled" },
	{ "published", "Published" },
	{ "trash", "Trash" },
	{ NULL, NULL }
};

static const struct model_choice article_kinds[] = {
	{ "article", "Article" },
	{ "page", "Page" },
	{ NULL, NULL }
};

static const struct model_choice comment_statuses[] = {
	{ "pending", "Pending" },
	{ "approved", "Approved" },
	{ "spam", "Spam" },
	{ "trash", "Trash" },
	{ NULL, NULL }
};

static const struct model_field article_fields[] = {
	{ .name = "title", .label = "Title", .type = MODEL_TEXT,
	  .flags = MF_REQUIRED | MF_EDITABLE | MF_SORTABLE | MF_SEARCHABLE,
	  .max = 300 },
	{ .name = "slug", .label = "Slug", .type = MODEL_SLUG,
	  .help = "The article's address. Leave empty to make one from "
	  "the title.",
	  .flags = MF_UNIQUE | MF_EDITABLE | MF_SORTABLE | MF_SEARCHABLE,
	  .max = 100 },
	{ .name = "author_id", .label = "Author", .type = MODEL_FOREIGN_KEY,
	  .flags = MF_EDITABLE | MF_FILTERABLE, .target = "user" },
	{ .name = "status", .label = "Status", .type = MODEL_CHOICE,
	  .flags = MF_REQUIRED | MF_EDITABLE | MF_SORTABLE | MF_FILTERABLE,
	  .choices = article_statuses, .def = "draft" },
	{ .name = "publish_at", .label = "Publish at",
	  .type = MODEL_DATETIME,
	  .help = "UTC. A scheduled article appears at this time.",
	  .flags = MF_EDITABLE | MF_SORTABLE | MF_FILTERABLE },
	{ .name = "kind", .label = "Kind", .type = MODEL_CHOICE,
	  .help = "A page is a static page at /{slug}/, outside the lists.",
	  .flags = MF_REQUIRED | MF_EDITABLE | MF_FILTERABLE,
	  .choices = article_kinds, .def = "article" },
	{ .name = "excerpt", .label = "Excerpt", .type = MODEL_LONGTEXT,
	  .help = "Leave empty to use the body's first paragraph.",
	  .flags = MF_EDITABLE, .max = 1000 },
	{ .name = "body", .label = "Body", .type = MODEL_MARKDOWN,
	  .flags = MF_EDITABLE | MF_SEARCHABLE },
	{ .name = "tags", .label = "Tags", .type = MODEL_MANY_TO_MANY,
	  .flags = MF_EDITABLE, .target = "tag", .through = "article_tags",
	  .through_from = "article_id", .through_to = "tag_id" },
	{ .name = "comments_open", .label = "Comments open",
	  .type = MODEL_BOOLEAN,
	  .flags = MF_EDITABLE | MF_FILTERABLE, .def = "1" },
	{ .name = "created_at", .label = "Created", .type = MODEL_DATETIME,
	  .flags = RO | MF_SORTABLE | MF_AUTO_NOW_ADD },
	{ .name = "updated_at", .label = "Updated", .type = MODEL_DATETIME,
	  .flags = RO | MF_SORTABLE | MF_AUTO_NOW },
	{ .name = NULL }
};

static const struct model_field tag_fields[] = {
	{ .name = "name", .label = "Name", .type = MODEL_TEXT,
	  .flags = MF_REQUIRED | MF_UNIQUE | MF_EDITABLE | MF_SORTABLE |
	  MF_SEARCHABLE, .max = 100 },
	{ .name = "slug", .label = "Slug", .type = MODEL_SLUG,
	  .flags = MF_REQUIRED | MF_UNIQUE | MF_EDITABLE | MF_SORTABLE,
	  .max = 100 },
	{ .name = "description", .label = "Description",
	  .type = MODEL_LONGTEXT, .flags = MF_EDITABLE },
	{ .name = NULL }
};

static const struct model_field comment_fields[] = {
	{ .name = "article_id", .label = "Article",
	  .type = MODEL_FOREIGN_KEY,
	  .flags = MF_REQUIRED | MF_EDITABLE | MF_FILTERABLE,
	  .target = "article" },
	{ .name = "author_name", .label = "Name", .type = MODEL_TEXT,
	  .flags = MF_REQUIRED | MF_EDITABLE | MF_SORTABLE | MF_SEARCHABLE,
	  .max = COMMENT_NAME_MAX },
	{ .name = "author_email", .label = "Email", .type = MODEL_EMAIL,
	  .help = "Never shown on the site.",
	  .flags = MF_EDITABLE | MF_SEARCHABLE, .max = 254 },
	{ .name = "author_url", .label = "Website", .type = MODEL_URL,
	  .flags = MF_EDITABLE, .max = COMMENT_WEBSITE_MAX },
	{ .name = "body", .label = "Comment", .type = MODEL_LONGTEXT,
	  .flags = MF_REQUIRED | MF_EDITABLE | MF_SEARCHABLE,
	  .max = COMMENT_BODY_MAX },
	{ .name = "status", .label = "Status", .type = MODEL_CHOICE,
	  .flags = MF_REQUIRED | MF_EDITABLE | MF_SORTABLE | MF_FILTERABLE,
	  .choices = comment_statuses, .def = "pending" },
	{ .name = "held_by", .label = "Held by", .type = MODEL_TEXT,
	  .help = "The moderation rule that decided the status.",
	  .flags = RO | MF_FILTERABLE },
	{ .name = "ip", .label = "IP address", .type = MODEL_TEXT,
	  .flags = RO | MF_FILTERABLE | MF_SEARCHABLE },
	{ .name = "created_at", .label = "Posted", .type = MODEL_DATETIME,
	  .flags = RO | MF_SORTABLE | MF_FILTERABLE | MF_AUTO_NOW_ADD },
	{ .name = NULL }
};

static const struct model_field user_fields[] = {
	{ .name = "username", .label = "Username", .type = MODEL_TEXT,
	  .help = "Required. 150 characters or fewer. Letters, digits and "
	  "@/./+/-/_ only.",
	  .flags = MF_REQUIRED | MF_UNIQUE | MF_EDITABLE | MF_SORTABLE |
	  MF_SEARCHABLE, .max = 150, .check = auth_username_error },
	{ .name = "email", .label = "Email address", .type = MODEL_EMAIL,
	  .flags = MF_REQUIRED | MF_UNIQUE | MF_EDITABLE | MF_SORTABLE |
	  MF_SEARCHABLE, .max = 254 },
	{ .name = "display_name", .label = "Display name",
	  .type = MODEL_TEXT,
	  .flags = MF_EDITABLE | MF_SORTABLE | MF_SEARCHABLE, .max = 150 },
	{ .name = "bio", .label = "Biography", .type = MODEL_MARKDOWN,
	  .flags = MF_EDITABLE },
	{ .name = "is_active", .label = "Active", .type = MODEL_BOOLEAN,
	  .help = "Unselect this instead of deleting accounts.",
	  .flags = MF_EDITABLE | MF_FILTERABLE, .def = "1" },
	{ .name = "is_staff", .label = "Staff status", .type = MODEL_BOOLEAN,
	  .help = "Whether the user can log into the admin.",
	  .flags = MF_EDITABLE | MF_FILTERABLE, .def = "0" },
	{ .name = "is_superuser", .label = "Superuser status",
	  .type = MODEL_BOOLEAN,
	  .help = "Has every permission without assigning them.",
	  .flags = MF_EDITABLE | MF_FILTERABLE, .def = "0" },
	{ .name = "groups", .label = "Groups", .type = MODEL_MANY_TO_MANY,
	  .help = "The groups this user belongs to. A user gets all "
	  "permissions granted to each of their groups.",
	  .flags = MF_EDITABLE, .target = "group", .through = "user_groups",
	  .through_from = "user_id", .through_to = "group_id" },
	{ .name = "user_permissions", .label = "User permissions",
	  .type = MODEL_MANY_TO_MANY,
	  .help = "Specific permissions for this user.",
	  .flags = MF_EDITABLE, .target = "permission",
	  .through = "user_permissions", .through_from = "user_id",
	  .through_to = "permission_id" },
	{ .name = "date_joined", .label = "Date joined",
	  .type = MODEL_DATETIME,
	  .flags = RO | MF_SORTABLE | MF_FILTERABLE | MF_AUTO_NOW_ADD },
	{ .name = "last_login", .label = "Last login",
	  .type = MODEL_DATETIME, .flags = RO | MF_SORTABLE },
	/* The add form's two passwords (user_admin_validate checks them,
	 * user_admin_after_save sets the hash): never stored as typed. */
	{ .name = "password1", .label = "Password", .type = MODEL_PASSWORD,
	  .flags = MF_EDITABLE | MF_VIRTUAL },
	{ .name = "password2", .label = "Password confirmation",
	  .type = MODEL_PASSWORD,
	  .help = "Enter the same password as before, for verification.",
	  .flags = MF_EDITABLE | MF_VIRTUAL },
	{ .name = NULL }
};

static const struct model_field group_fields[] = {
	{ .name = "name", .label = "Name", .type = MODEL_TEXT,
	  .flags = MF_REQUIRED | MF_UNIQUE | MF_EDITABLE | MF_SORTABLE |
	  MF_SEARCHABLE, .max = 150 },
	{ .name = "permissions", .label = "Permissions",
	  .type = MODEL_MANY_TO_MANY, .flags = MF_EDITABLE,
	  .target = "permission", .through = "group_permissions",
	  .through_from = "group_id", .through_to = "permission_id" },
	{ .name = NULL }
};

/* Permissions come from migrations: read-only, a target for checkboxes. */
static const struct model_field permission_fields[] = {
	{ .name = "codename", .label = "Codename", .type = MODEL_TEXT,
	  .flags = RO | MF_SORTABLE | MF_SEARCHABLE },
	{ .name = "name", .label = "Name", .type = MODEL_TEXT,
	  .flags = RO | MF_SORTABLE | MF_SEARCHABLE },
	{ .name = NULL }
};

/*
 * Columns that no form edits but a dump must carry for the rows to come
 * back whole (dumpdata, loaddata).  Users' password hashes are carried,
 * as Django's dumpdata does; their two-factor secrets are not (a TOTP
 * seed works as it is, unlike a hash): users re-enrol after a load.
 */
static const char *const article_extra[] = { "body_html", "excerpt_auto",
	NULL };
static const char *const comment_extra[] = { "parent_id", "depth",
	"user_id", "body_html", "user_agent", "updated_at", NULL };
static const char *const user_extra[] = { "password", NULL };

static const struct model article_model = {
	.name = "article", .table = "articles", .verbose = "article",
	.verbose_plural = "articles", .fields = article_fields, .pk = "id",
	.ordering = "-publish_at", .str_field = "title", .perm = "article",
	.extra = article_extra
};

static const struct model tag_model = {
	.name = "tag", .table = "tags", .verbose = "tag",
	.verbose_plural = "tags", .fields = tag_fields, .pk = "id",
	.ordering = "name", .str_field = "name", .perm = "tag"
};

static const struct model comment_model = {
	.name = "comment", .table = "comments", .verbose = "comment",
	.verbose_plural = "comments", .fields = comment_fields, .pk = "id",
	.ordering = "-created_at", .str_field = "author_name",
	.perm = "comment", .extra = comment_extra
};

static const struct model user_model = {
	.name = "user", .table = "users", .verbose = "user",
	.verbose_plural = "users", .fields = user_fields, .pk = "id",
	.ordering = "username", .str_field = "username", .perm = "user",
	.extra = user_extra
};

static const struct model group_model = {
	.name = "group", .table = "groups", .verbose = "group",
	.verbose_plural = "groups", .fields = group_fields, .pk = "id",
	.ordering = "name", .str_field = "name", .perm = "group"
};

static const struct model permission_model = {
	.name = "permission", .table = "permissions", .verbose = "permission",
	.verbose_plural = "permissions", .fields = permission_fields,
	.pk = "id", .ordering = "codename", .str_field = "name",
	.perm = "permission"
};

const struct model *const site_models[] = {
	&article_model, &tag_model, &comment_model, &user_model,
	&group_model, &permission_model, NULL
};
