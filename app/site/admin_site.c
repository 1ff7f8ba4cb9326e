/*
 * admin_site: how the site's models appear in the admin (core/admin's
 * registry, like Django's admin.py): columns, filters, fieldsets,
 * actions, what a delete takes along; and the site's own admin pages.
 */
#include <stddef.h>
#include <stdint.h>

#include "core/admin.h"
#include "site/site.h"

const struct admin_model *const site_admin_models[] = { NULL };

static const struct admin_page site_admin_pages[] = {
	{ "Moderation queue", "Comments", "admin_moderation",
	  "comment.change", moderation_pending_count },
	{ "Bans", "Comments", "admin_bans", "comment.change", NULL },
	{ "Media", "Content", "admin_media", "article.add", NULL },
	{ "Settings", "Site", "admin_settings", "settings.change", NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct admin_page *const site_admin_page_table = site_admin_pages;
