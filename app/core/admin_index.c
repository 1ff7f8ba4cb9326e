/*
 * admin_index: the admin's home page, /admin/: the models and site pages
 * r->user may see, with their counts and badges, the user's recent
 * actions, and what the site's index hook adds (the dashboard).
 */
#include <inttypes.h>
#include <string.h>

#include "core/admin.h"
#include "core/admin_internal.h"
#include "core/arena.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/http.h"
#include "core/model.h"
#include "core/render.h"
#include "core/router.h"

#define RECENT_MAX	10	/* the index's recent actions */

static void	(*index_hook)(struct req *);

void
admin_set_index_hook(void (*fn)(struct req *))
{
	index_hook = fn;
}

static void
recent_export(struct req *r)
{
	sqlite3_stmt	*st;
	struct render_node *n;
	int		 k = 0;

	if ((st = db_stmt(r, "SELECT model, object_id, object_repr, action, "
	    "action_time FROM admin_log WHERE user_id = ?1 "
	    "ORDER BY id DESC LIMIT ?2")) == NULL)
		return;
	db_bind_int64(r, st, 1, r->user->id);
	db_bind_int64(r, st, 2, RECENT_MAX);
	while (db_step(r, st) == SQLITE_ROW) {
		const char	*model = db_col_strdup(r, st, 0);
		const struct model *m = model_find(model);
		const char	*action = db_col_strdup(r, st, 3);

		n = render_node(r, "Recent.%d", k++);
		render_node_set(r, n, "repr", db_col_strdup(r, st, 2));
		render_node_set(r, n, "action", action);
		render_node_set(r, n, "model", m != NULL ?
		    admin_capfirst(r, m->verbose) : model);
		render_node_set_date(r, n, "time",
		    sqlite3_column_int64(st, 4));
		if (m != NULL && admin_model_find(model) != NULL &&
		    strcmp(action, "delete") != 0)
			render_node_set(r, n, "url", router_url(r,
			    "admin_change", model,
			    admin_i64(r, sqlite3_column_int64(st, 1))));
	}
	db_done(r, st);
}

int
admin_page_index(struct req *r)
{
	const struct admin_model *const *ms = admin_models();
	const struct admin_page *p;
	struct model_query q;
	struct params	 none = { NULL, 0, 0 };
	int		 rc, k = 0;

	if ((rc = admin_guard(r)) != 0)
		return rc;
	for (size_t i = 0; ms[i] != NULL; i++) {
		const struct model *m = model_find(ms[i]->model);
		struct render_node *n;
		bool		 more;
		int64_t		 c;

		if (!admin_may(r, m, "view"))
			continue;
		n = render_node(r, "Models.%d", k++);
		render_node_set(r, n, "group", ms[i]->group);
		render_node_set(r, n, "name", admin_capfirst(r,
		    m->verbose_plural));
		render_node_set(r, n, "url", router_url(r, "admin_changelist",
		    m->name));
		if (!ms[i]->no_add && admin_may(r, m, "add"))
			render_node_set(r, n, "add_url", router_url(r,
			    "admin_add", m->name));
		if (model_query_parse(r, m, &none, &q) != 0)
			continue;
		if (admin_is_owner_restricted(r, ms[i])) {
			q.filters[0].field = model_field(m,
			    ms[i]->owner_field);
			q.filters[0].op = "=";
			q.filters[0].is_num = true;
			q.filters[0].num = r->user->id;
			q.filters[0].value = "";
			q.nfilters = 1;
		}
		if ((c = model_count_capped(r, &q, COUNT_CAP, &more)) < 0)
			return HTTP_500;
		render_node_set(r, n, "count", arena_printf(r->arena, "%s%s",
		    admin_thousands(r, c), more ? "+" : ""));
	}
	k = 0;
	for (p = admin_pages(); p != NULL && p->label != NULL; p++) {
		struct render_node *n;
		int64_t		 b;

		if (!admin_may_page(r, p))
			continue;
		n = render_node(r, "Pages.%d", k++);
		render_node_set(r, n, "group", p->group);
		render_node_set(r, n, "label", p->label);
		render_node_set(r, n, "url", router_url(r, p->route));
		if (p->badge != NULL && (b = p->badge(r)) >= 0)
			render_node_set(r, n, "badge", admin_badge_text(r, b));
	}
	recent_export(r);
	if (r->user->is_superuser)
		render_set(r, "Urls.admin_log", router_url(r, "admin_log"));
	if (index_hook != NULL)
		index_hook(r);
	if (req_failed(r))
		return HTTP_500;
	return admin_render(r, "admin/index.cs", "Site administration");
}
