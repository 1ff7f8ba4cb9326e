/*
 * api: the site's resources under /api/v1/ (articles, comments, tags,
 * users, me) as a table of endpoints for core/api's dispatcher, which has
 * already checked the token, scope, rate limit and body before a handler
 * here runs.  Handlers do the object-level checks (authors only their own),
 * validate with the forms' validators and messages, and write through
 * article_save() with the admin's history in the same transaction.
 *
 * An article is {id, slug, title, body, body_html, excerpt, status,
 * tags: [names], author: {username, display_name} | null, publish_at,
 * updated_at, url}; times are ISO 8601 UTC ("2026-11-27T09:30:00Z") or
 * null.  Lists give summaries: the same without body and body_html.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/admin.h"
#include "core/api.h"
#include "core/auth.h"
#include "core/config.h"
#include "core/db.h"
#include "core/form.h"
#include "core/http.h"
#include "core/log.h"
#include "core/model.h"
#include "core/render.h"
#include "core/router.h"
#include "core/settings.h"
#include "core/util.h"
#include "site/article.h"
#include "site/comment.h"
#include "site/notify.h"
#include "site/search.h"
#include "site/site.h"

/*
 * A string of an answer, or null.  Not checked for UTF-8 here: what the
 * answers hold comes from the database, where every way in (forms, the
 * API, loaddata) checked it, and json_dumps() still refuses a bad byte
 * (a 500, logged) rather than send it.  jansson's check would walk each
 * string a second time, a tenth of a page of articles' time.
 */
static json_t *
jstr(const char *s)
{
	return s != NULL ? json_string_nocheck(s) : json_null();
}

/* o[key] = v, v's reference taken; key a literal (ASCII: not checked). */
static void
jset(json_t *o, const char *key, json_t *v)
{
	json_object_set_new_nocheck(o, key, v);
}

/* The status as the API shows it: "scheduled" while not yet due. */
static const char *
shown_status(const struct article *a)
{
	if (strcmp(a->status, "published") == 0 && !article_is_public(a))
		return "scheduled";
	return a->status;
}

/*
 * The article as the API shows it.  Lists give summaries (bodies NULL:
 * no body nor body_html key); the item's url has the whole.
 */
static json_t *
article_json(struct req *r, const struct article *a)
{
	json_t	*o = json_object(), *tags = json_array(), *au = json_null();

	for (size_t i = 0; i < a->ntags; i++)
		json_array_append_new(tags, jstr(a->tags[i].name));
	if (a->author_id != 0 && *a->author_username != '\0') {
		au = json_object();
		jset(au, "username", jstr(a->author_username));
		jset(au, "display_name", jstr(a->author_name));
	}
	jset(o, "id", json_integer(a->id));
	jset(o, "slug", jstr(a->slug));
	jset(o, "title", jstr(a->title));
	if (a->body != NULL)
		jset(o, "body", jstr(a->body));
	if (a->body_html != NULL)
		jset(o, "body_html", jstr(a->body_html));
	jset(o, "excerpt", jstr(a->excerpt));
	jset(o, "status", jstr(shown_status(a)));
	jset(o, "tags", tags);
	jset(o, "author", au);
	jset(o, "publish_at", jstr(api_time(r, a->publish_at)));
	jset(o, "updated_at", jstr(api_time(r, a->updated_at)));
	jset(o, "url", jstr(api_url(r, router_url(r,
	    "api_article", arena_printf(r->arena, "%lld",
	    (long long)a->id)))));
	return o;
}

/* The row's version (core/admin's, over the model's values), or NULL. */
static const char *
article_version(struct req *r, int64_t id, const char ***values)
{
	const struct model	*m = model_find("article");
	const char		**v;

	if (m == NULL || model_row_get(r, m, id, &v) != 1)
		return NULL;
	if (values != NULL)
		*values = v;
	return admin_version(r, m, v);
}

/* May u see a: public, or u may change it (author, editor). */
static bool
article_may_see(struct req *r, const struct user *u, const struct article *a)
{
	if (strcmp(a->kind, "article") != 0)
		return false;
	if (article_is_public(a))
		return true;
	return u != NULL && auth_may_change_own(r, u, "article.change",
	    a->author_id);
}

static int64_t
id_param(struct req *r)
{
	long long	 id;

	if (util_parse_int(req_param(r, "id"), 1, INT64_MAX, &id) != 0)
		return 0;
	return id;
}

/*
 * "2026-11-27", "2026-11-27T09:30", "2026-11-27T09:30:00Z": Unix seconds
 * (UTC) into *t.  0 or -1.
 */
static int
parse_time(struct req *r, const char *s, int64_t *t)
{
	char	*c = arena_strdup(r->arena, s);
	size_t	 n = strlen(c);

	if (n > 0 && (c[n - 1] == 'Z' || c[n - 1] == 'z'))
		c[--n] = '\0';
	if (n == 10)
		c = arena_printf(r->arena, "%sT00:00", c);
	return form_parse_datetime(c, t);
}

/* ---- articles ------------------------------------------------------------ */

/* The list's URL with cursor set to cur (other parameters kept). */
static const char *
page_url(struct req *r, const char *cur)
{
	struct buf	 b;
	const char	*s;

	buf_init(&b);
	buf_puts(&b, router_url(r, "api_articles"));
	for (size_t i = 0; i < r->query_params.n; i++) {
		const struct param *p = &r->query_params.v[i];

		if (strcmp(p->key, "cursor") == 0)
			continue;
		buf_printf(&b, "%c%s=%s", b.len == strlen(router_url(r,
		    "api_articles")) ? '?' : '&', http_url_encode(r, p->key),
		    http_url_encode(r, p->value));
	}
	buf_printf(&b, "%ccursor=%s", strchr(b.ptr, '?') ? '&' : '?', cur);
	s = api_url(r, b.ptr);
	buf_free(&b);
	return s;
}

/*
 * GET /api/v1/articles  20 a page, newest first (by id).  Filters: tag
 * (slug), author (username), status (draft, scheduled, published, trash,
 * all: for users with article.change; authors see only their own that
 * are not public), published_after, published_before, q (full text).
 * ?cursor= from next/prev.  400 for an unknown parameter or bad value.
 */
static int
api_articles_list(struct req *r, struct api_call *c)
{
	static const char *const known[] = { "tag", "author", "status",
	    "published_after", "published_before", "q", "cursor" };
	struct article_api_filter f;
	const char	*v;
	struct article	 as[API_PAGE_SIZE];
	int64_t		 before = 0, after = 0;
	long long	 id;
	json_t		*o, *items;
	int		 n, more;

	for (size_t i = 0; i < r->query_params.n; i++) {
		bool ok = false;

		for (size_t k = 0; k < NELEM(known); k++)
			ok |= strcmp(r->query_params.v[i].key, known[k]) == 0;
		if (!ok)
			return api_problem(r, HTTP_400, arena_printf(r->arena,
			    "Unknown parameter: %s.",
			    r->query_params.v[i].key), NULL);
	}
	memset(&f, 0, sizeof(f));
	f.visibility = "public";
	if ((v = req_query(r, "status")) != NULL) {
		static const char *const st[] = { "draft", "scheduled",
		    "published", "trash", "all" };
		bool ok = false;

		for (size_t k = 0; k < NELEM(st); k++)
			ok |= strcmp(v, st[k]) == 0;
		if (!ok)
			return api_problem(r, HTTP_400, "status must be draft, "
			    "scheduled, published, trash or all.", NULL);
		if (strcmp(v, "published") != 0 && (c->user == NULL ||
		    !auth_has_perm(r, c->user, "article.change")))
			return api_problem(r, HTTP_403, "Only writers may list "
			    "articles that are not public.", NULL);
		f.visibility = strcmp(v, "all") == 0 ? "any" : v;
		if (c->user != NULL && !auth_has_perm(r, c->user,
		    "article.edit_others"))
			f.own_id = c->user->id;
	}
	if ((v = req_query(r, "tag")) != NULL) {
		struct tag *t = tag_by_slug(r, v);

		if (t == NULL)
			return req_failed(r) ? HTTP_500 : api_problem(r,
			    HTTP_400, "No tag has that slug.", NULL);
		f.tag_id = t->id;
	}
	if ((v = req_query(r, "author")) != NULL) {
		struct user *u = auth_user_by_login(r, v);

		if (u == NULL)
			return req_failed(r) ? HTTP_500 : api_problem(r,
			    HTTP_400, "No user has that username.", NULL);
		f.author_id = u->id;
	}
	if ((v = req_query(r, "published_after")) != NULL &&
	    parse_time(r, v, &f.from) != 0)
		return api_problem(r, HTTP_400, "published_after must be a "
		    "date or an ISO 8601 time in UTC.", NULL);
	if ((v = req_query(r, "published_before")) != NULL &&
	    parse_time(r, v, &f.to) != 0)
		return api_problem(r, HTTP_400, "published_before must be a "
		    "date or an ISO 8601 time in UTC.", NULL);
	if ((v = req_query(r, "q")) != NULL) {
		if (util_utf8_chars(v) > SEARCH_QUERY_MAX)
			return api_problem(r, HTTP_400, "q is too long.", NULL);
		f.fts = search_fts_quote(r, v);
	}
	if ((v = req_query(r, "cursor")) != NULL) {
		if ((v[0] != 'b' && v[0] != 'a') ||
		    util_parse_int(v + 1, 1, INT64_MAX, &id) != 0)
			return api_problem(r, HTTP_400, "The cursor is not one "
			    "this API gave.", NULL);
		if (v[0] == 'b')
			before = id;
		else
			after = id;
	}
	if ((n = article_list_api(r, &f, before, after, as, API_PAGE_SIZE,
	    &more)) < 0)
		return HTTP_500;
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, article_json(r, &as[i]));
	o = json_object();
	jset(o, "items", items);
	{
		/* Older pages exist when "more" going down, or always when
		 * we came up from one; newer ones likewise. */
		bool older = after > 0 ? n > 0 : more && n > 0;
		bool newer = after > 0 ? more && n > 0 : before > 0 && n > 0;
		const char *next = older ? page_url(r, arena_printf(r->arena,
		    "b%lld", (long long)as[n - 1].id)) : NULL;
		const char *prev = newer ? page_url(r, arena_printf(r->arena,
		    "a%lld", (long long)as[0].id)) : NULL;

		jset(o, "next", jstr(next));
		jset(o, "prev", jstr(prev));
		api_links(r, next, prev);
	}
	return api_json(r, HTTP_200, o);
}

/* GET /api/v1/articles/{id}  ETag; If-None-Match: 304.  404 if hidden. */
static int
api_article_get(struct req *r, struct api_call *c)
{
	struct article	*a;
	const char	*ver;

	if ((a = article_by_id(r, id_param(r))) == NULL ||
	    !article_may_see(r, c->user, a))
		return req_failed(r) ? HTTP_500 : api_problem(r, HTTP_404,
		    "No such article.", NULL);
	if ((ver = article_version(r, a->id, NULL)) == NULL)
		return HTTP_500;
	api_etag(r, ver);
	if (api_not_modified(r, ver)) {
		buf_reset(&r->out);
		return HTTP_304;
	}
	return api_json(r, HTTP_200, article_json(r, a));
}

/* The body of POST and PATCH; the types are the model's. */
static const struct api_field article_fields[] = {
	{ "title", NULL }, { "slug", NULL }, { "body", NULL },
	{ "excerpt", NULL }, { "status", NULL }, { "publish_at", NULL },
	{ "tags", NULL }, { "comments_open", NULL }, { NULL, NULL }
};
static const char *const article_required[] = { "title", NULL };

/*
 * Fill in from the body (over what in has), checking each value's JSON
 * type and, for text, the model field's validator (the forms' messages).
 * Returns true, or false with *errors filled.
 */
static bool
input_from_json(struct req *r, json_t *body, struct article_input *in,
    json_t **errors)
{
	const struct model	*m = model_find("article");
	const char		*key;
	json_t			*v;
	char			 msg[256];

	json_object_foreach(body, key, v) {
		if (strcmp(key, "tags") == 0) {
			struct buf b;
			size_t	   i;
			json_t	  *t;

			if (!json_is_array(v)) {
				api_field_error(errors, key, "Enter a list of "
				    "tag names.");
				continue;
			}
			buf_init(&b);
			buf_putc(&b, '\0');
			b.len = 0;
			json_array_foreach(v, i, t) {
				if (!json_is_string(t) || strchr(
				    json_string_value(t), ',') != NULL) {
					api_field_error(errors, key, "Each tag "
					    "must be a name without commas.");
					break;
				}
				buf_printf(&b, "%s%s", i ? "," : "",
				    json_string_value(t));
			}
			in->tags = arena_strdup(r->arena, b.ptr != NULL ?
			    b.ptr : "");
			buf_free(&b);
		} else if (strcmp(key, "comments_open") == 0) {
			if (!json_is_boolean(v))
				api_field_error(errors, key, "Enter true or "
				    "false.");
			else
				in->comments_open = json_is_true(v);
		} else if (strcmp(key, "publish_at") == 0) {
			if (json_is_null(v))
				in->publish_at = 0;
			else if (!json_is_string(v) || parse_time(r,
			    json_string_value(v), &in->publish_at) != 0)
				api_field_error(errors, key, "Enter a valid "
				    "date/time.");
		} else if (!json_is_string(v))
			api_field_error(errors, key, "Enter a text value.");
		else {
			const struct model_field *mf = model_field(m, key);
			const char *s = arena_strdup(r->arena,
			    json_string_value(v));

			if (mf != NULL && !form_check_value(mf, util_strtrim(
			    r->arena, s), msg, sizeof(msg))) {
				api_field_error(errors, key, msg);
				continue;
			}
			if (strcmp(key, "title") == 0)
				in->title = s;
			else if (strcmp(key, "slug") == 0)
				in->slug = s;
			else if (strcmp(key, "body") == 0)
				in->body = s;
			else if (strcmp(key, "excerpt") == 0)
				in->excerpt = s;
			else if (strcmp(key, "status") == 0)
				in->status = s;
		}
	}
	return *errors == NULL;
}

/* Save in, record the history entry; returns the id, 0 (refused, with
 * *errors), or -1.  Opens and commits its own transaction. */
static int64_t
save_logged(struct req *r, struct article_input *in,
    const char *const *before, enum admin_log_action action,
    json_t **errors)
{
	const struct model	*m = model_find("article");
	const char		*field, *error, **after;
	int64_t			 id;

	if (db_begin_write(r) != 0)
		return -1;
	if ((id = article_save(r, in, &field, &error)) <= 0) {
		db_rollback(r);
		if (id == 0)
			api_field_error(errors, field != NULL ? field :
			    "non_field_errors", error);
		return id;
	}
	if (model_row_get(r, m, id, &after) != 1 ||
	    admin_log(r, "article", id, in->title, action, before != NULL ?
	    admin_diff(r, m, before, after) : NULL,
	    admin_snapshot(r, m, after)) < 0 || db_commit(r) != 0) {
		db_rollback(r);
		return -1;
	}
	return id;
}

/*
 * POST /api/v1/articles  article.add; the token's user is the author.
 * 201 with Location and the article; 400 with errors when refused.
 */
static int
api_article_create(struct req *r, struct api_call *c)
{
	struct article_input	 in;
	struct article		*a;
	json_t			*errors = NULL;
	int64_t			 id;

	if (!auth_has_perm(r, c->user, "article.add"))
		return api_problem(r, HTTP_403, "You may not add articles.",
		    NULL);
	memset(&in, 0, sizeof(in));
	in.kind = "article";
	in.status = "draft";
	in.author_id = c->user->id;
	in.comments_open = 1;
	in.tags = "";
	if (json_object_get(c->body, "title") == NULL)
		api_field_error(&errors, "title", "This field is required.");
	if (!input_from_json(r, c->body, &in, &errors) ||
	    (id = save_logged(r, &in, NULL, ADMIN_LOG_ADD, &errors)) == 0)
		return api_problem(r, HTTP_400, "The article was not saved.",
		    errors);
	if (id < 0 || (a = article_by_id(r, id)) == NULL)
		return HTTP_500;
	http_set_header(r, "Location", api_url(r, router_url(r, "api_article",
	    arena_printf(r->arena, "%lld", (long long)id))));
	api_etag(r, article_version(r, id, NULL));
	return api_json(r, 201, article_json(r, a));
}

/* The article of the path for a change: 404, 403 or 412, else 0. */
static int
article_for_change(struct req *r, struct api_call *c, const char *perm,
    struct article **a, const char ***before)
{
	const char	*ver;

	if ((*a = article_by_id(r, id_param(r))) == NULL ||
	    !article_may_see(r, c->user, *a))
		return req_failed(r) ? HTTP_500 : api_problem(r, HTTP_404,
		    "No such article.", NULL);
	if (!auth_may_change_own(r, c->user, perm, (*a)->author_id))
		return api_problem(r, HTTP_403, "You may not change this "
		    "article.", NULL);
	if ((ver = article_version(r, (*a)->id, before)) == NULL)
		return HTTP_500;
	if (api_precondition_failed(r, ver)) {
		api_etag(r, ver);
		return api_problem(r, 412, "The article changed since you "
		    "read it (If-Match); get it again.", NULL);
	}
	return 0;
}

static void
input_from_article(struct article_input *in, const struct article *a)
{
	memset(in, 0, sizeof(*in));
	in->id = a->id;
	in->title = a->title;
	in->slug = a->slug;
	in->excerpt = a->excerpt;
	in->body = a->body;
	in->status = a->status;
	in->publish_at = a->publish_at;
	in->author_id = a->author_id;
	in->comments_open = -1;
	in->tags = NULL;
}

/* PATCH /api/v1/articles/{id}  article.change, own unless editor. */
static int
api_article_patch(struct req *r, struct api_call *c)
{
	struct article		*a;
	struct article_input	 in;
	const char		**before;
	json_t			*errors = NULL;
	int64_t			 id;
	int			 status;

	if ((status = article_for_change(r, c, "article.change", &a,
	    &before)) != 0)
		return status;
	input_from_article(&in, a);
	if (!input_from_json(r, c->body, &in, &errors) ||
	    (id = save_logged(r, &in, before, ADMIN_LOG_CHANGE,
	    &errors)) == 0)
		return api_problem(r, HTTP_400, "The article was not saved.",
		    errors);
	if (id < 0 || (a = article_by_id(r, id)) == NULL)
		return HTTP_500;
	api_etag(r, article_version(r, id, NULL));
	return api_json(r, HTTP_200, article_json(r, a));
}

/* DELETE /api/v1/articles/{id}  to the trash (restorable); 204. */
static int
api_article_delete(struct req *r, struct api_call *c)
{
	struct article		*a;
	struct article_input	 in;
	const char		**before;
	json_t			*errors = NULL;
	int64_t			 id;
	int			 status;

	if ((status = article_for_change(r, c, "article.delete", &a,
	    &before)) != 0)
		return status;
	input_from_article(&in, a);
	in.status = "trash";
	if ((id = save_logged(r, &in, before, ADMIN_LOG_TRASH, &errors)) == 0)
		return api_problem(r, HTTP_400, "The article could not be "
		    "moved to the trash.", errors);
	if (id < 0)
		return HTTP_500;
	buf_reset(&r->out);
	return 204;
}

/* ---- comments ------------------------------------------------------------- */

/* A comment as the API shows it: no email, address or agent. */
static json_t *
comment_json(struct req *r, const struct comment *c)
{
	json_t	*o = json_object();

	jset(o, "id", json_integer(c->id));
	jset(o, "article_id", json_integer(c->article_id));
	jset(o, "parent", c->parent_id != 0 ?
	    json_integer(c->parent_id) : json_null());
	jset(o, "author", jstr(c->author_name));
	jset(o, "author_url", *c->author_url != '\0' ?
	    jstr(c->author_url) : json_null());
	jset(o, "body", jstr(c->body));
	jset(o, "body_html", jstr(c->body_html));
	jset(o, "status", jstr(c->status));
	jset(o, "created_at", jstr(api_time(r, c->created_at)));
	return o;
}

/* The public article of the path for comments, or NULL (404 set). */
static struct article *
comments_article(struct req *r, struct api_call *c, int *status)
{
	struct article	*a = article_by_id(r, id_param(r));

	if (a == NULL || !article_may_see(r, c->user, a)) {
		*status = req_failed(r) ? HTTP_500 : api_problem(r, HTTP_404,
		    "No such article.", NULL);
		return NULL;
	}
	return a;
}

/*
 * GET /api/v1/articles/{id}/comments  approved comments, oldest first,
 * 50 a page; ?cursor= from next.
 */
static int
api_comments_list(struct req *r, struct api_call *c)
{
	struct comment	 v[50];
	struct article	*a;
	const char	*cur = req_query(r, "cursor"), *next = NULL;
	long long	 after = 0;
	json_t		*o, *items;
	int		 n, more, status;

	if ((a = comments_article(r, c, &status)) == NULL)
		return status;
	if (cur != NULL && (cur[0] != 'a' ||
	    util_parse_int(cur + 1, 1, INT64_MAX, &after) != 0))
		return api_problem(r, HTTP_400, "The cursor is not one this "
		    "API gave.", NULL);
	if ((n = comment_list_approved(r, a->id, after, v, (int)NELEM(v),
	    &more)) < 0)
		return HTTP_500;
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, comment_json(r, &v[i]));
	if (more && n > 0)
		next = api_url(r, arena_printf(r->arena, "%s?cursor=a%lld",
		    router_url(r, "api_comments", req_param(r, "id")),
		    (long long)v[n - 1].id));
	o = json_object();
	jset(o, "items", items);
	jset(o, "next", jstr(next));
	api_links(r, next, NULL);
	return api_json(r, HTTP_200, o);
}

static const struct api_field comment_fields[] = {
	{ "body", NULL },
	{ "parent", "{\"type\":[\"integer\",\"null\"],\"minimum\":1,"
	  "\"description\":\"The id of the approved comment this one "
	  "answers; null or absent: none.\"}" },
	{ NULL, NULL }
};
static const char *const comment_required[] = { "body", NULL };

/*
 * POST /api/v1/articles/{id}/comments  {body, parent}: a comment by the
 * token's user through the site's rules (comment_submit: public and
 * open, bans, duplicates, the flood limit, then the moderation rules: it
 * may be held or marked spam).  201 with the comment (its status says
 * which); 400 invalid; 403 closed or banned; 404 no public article; 409
 * duplicate; 429 flood.
 */
static int
api_comment_create(struct req *r, struct api_call *c)
{
	struct comment_form	 f;
	struct comment_input	 in;
	struct comment_result	 res;
	struct article		*a;
	json_t			*v, *errors = NULL;
	int			 status;

	if ((a = comments_article(r, c, &status)) == NULL)
		return status;
	memset(&f, 0, sizeof(f));
	f.name = f.email = f.website = "";
	v = json_object_get(c->body, "body");
	if (v != NULL && !json_is_string(v))
		api_field_error(&errors, "body", "Enter a text value.");
	f.body = util_strtrim(r->arena, json_is_string(v) ?
	    json_string_value(v) : "");
	v = json_object_get(c->body, "parent");
	if (v != NULL && !json_is_null(v) && (!json_is_integer(v) ||
	    json_integer_value(v) < 1))
		api_field_error(&errors, "parent", "Enter a comment id.");
	else if (json_is_integer(v))
		f.parent = json_integer_value(v);
	memset(&in, 0, sizeof(in));
	in.article = a;
	in.user = c->user;
	in.shown_seconds = -1;		/* no form: the timing rule is moot */
	in.invalid = errors != NULL;
	in.via = "api";
	if (comment_submit(r, &in, &f, &res) != 0)
		return HTTP_500;

	switch (res.outcome) {
	case COMMENT_STORED:
		return api_json(r, 201, comment_json(r, &res.comment));
	case COMMENT_INVALID:
		if (f.body_error != NULL)
			api_field_error(&errors, "body", f.body_error);
		if (f.parent_error != NULL)
			api_field_error(&errors, "parent", f.parent_error);
		return api_problem(r, HTTP_400, "The comment was not posted.",
		    errors);
	case COMMENT_NOT_FOUND:
		return api_problem(r, HTTP_404, "No such article.", NULL);
	case COMMENT_CLOSED:
		return api_problem(r, HTTP_403, COMMENT_MSG_CLOSED, NULL);
	case COMMENT_LOGIN:
		return api_problem(r, HTTP_403, COMMENT_MSG_LOGIN, NULL);
	case COMMENT_FLOOD:
		http_set_header(r, "Retry-After", arena_printf(r->arena,
		    "%lld", (long long)res.retry_after));
		return api_problem(r, 429, COMMENT_MSG_FLOOD, NULL);
	case COMMENT_BANNED:
		return api_problem(r, HTTP_403, COMMENT_MSG_BANNED, NULL);
	case COMMENT_DUPLICATE:
		return api_problem(r, 409, COMMENT_MSG_DUPLICATE, NULL);
	default:
		return HTTP_500;
	}
}

static const struct api_field moderate_fields[] = {
	{ "action", "{\"type\":\"string\",\"enum\":[\"approve\",\"spam\","
	  "\"trash\"]}" },
	{ NULL, NULL }
};
static const char *const moderate_required[] = { "action", NULL };

/*
 * POST /api/v1/comments/{id}/moderate  {action: approve|spam|trash};
 * comment.change.  200 with the comment; history in the same
 * transaction.
 */
static int
api_comment_moderate(struct req *r, struct api_call *c)
{
	static const char *const acts[][2] = { { "approve", "approved" },
	    { "spam", "spam" }, { "trash", "trash" } };
	json_t		*v = json_object_get(c->body, "action"), *errors = NULL;
	const char	*status = NULL, *old;
	struct comment	*cm;

	if (!auth_has_perm(r, c->user, "comment.change"))
		return api_problem(r, HTTP_403, "You may not moderate comments.",
		    NULL);
	if ((cm = comment_by_id(r, id_param(r))) == NULL)
		return req_failed(r) ? HTTP_500 : api_problem(r, HTTP_404,
		    "No such comment.", NULL);
	for (size_t i = 0; json_is_string(v) && i < NELEM(acts); i++)
		if (strcmp(json_string_value(v), acts[i][0]) == 0)
			status = acts[i][1];
	if (status == NULL) {
		api_field_error(&errors, "action", v == NULL ? "This field is "
		    "required." : "Choose approve, spam or trash.");
		return api_problem(r, HTTP_400, "The comment was not changed.",
		    errors);
	}
	old = cm->status;
	if (db_begin_write(r) != 0 || comment_set_status(r, cm->id,
	    status) != 0 || (strcmp(status, "approved") == 0 &&
	    strcmp(old, "approved") != 0 &&
	    notify_comment_approved(r, cm->id) != 0) ||
	    admin_log(r, "comment", cm->id, cm->author_name,
	    ADMIN_LOG_CHANGE, arena_printf(r->arena, "[{\"field\":"
	    "\"status\",\"label\":\"Status\",\"old\":\"%s\","
	    "\"new\":\"%s\"}]", old, status), NULL) < 0 ||
	    db_commit(r) != 0) {
		db_rollback(r);
		return HTTP_500;
	}
	cm->status = status;
	return api_json(r, HTTP_200, comment_json(r, cm));
}

/* ---- tags, users ----------------------------------------------------------- */

/* GET /api/v1/tags  every tag by name (at most 1000). */
static int
api_tags_list(struct req *r, struct api_call *c)
{
	struct tag	*t;
	json_t		*items = json_array(), *o;
	int		 n;

	(void)c;
	t = arena_alloc(r->arena, 1000 * sizeof(*t));
	if ((n = tag_list_all(r, t, 1000)) < 0) {
		json_decref(items);
		return HTTP_500;
	}
	for (int i = 0; i < n; i++) {
		json_t *e = json_object();

		jset(e, "id", json_integer(t[i].id));
		jset(e, "slug", jstr(t[i].slug));
		jset(e, "name", jstr(t[i].name));
		jset(e, "description", jstr(t[i].description));
		json_array_append_new(items, e);
	}
	o = json_object();
	jset(o, "items", items);
	return api_json(r, HTTP_200, o);
}

/* GET /api/v1/users/{username}  an author's public profile, or 404. */
static int
api_user_get(struct req *r, struct api_call *c)
{
	struct author	*au;
	json_t		*o;

	(void)c;
	if ((au = author_by_username(r, req_param(r, "username"))) == NULL)
		return req_failed(r) ? HTTP_500 : api_problem(r, HTTP_404,
		    "No author has that username.", NULL);
	o = json_object();
	jset(o, "username", jstr(au->username));
	jset(o, "display_name", jstr(au->display_name));
	jset(o, "bio", jstr(au->bio));
	return api_json(r, HTTP_200, o);
}

/* GET /api/v1/me  the token's (or session's) user; 401 if none. */
static int
api_me(struct req *r, struct api_call *c)
{
	json_t	*o;

	if (c->user == NULL) {
		http_set_header(r, "WWW-Authenticate", "Bearer realm=\"api\"");
		return api_problem(r, 401, "Send Authorization: Bearer TOKEN.",
		    NULL);
	}
	o = json_object();
	jset(o, "id", json_integer(c->user->id));
	jset(o, "username", jstr(c->user->username));
	jset(o, "display_name", jstr(c->user->display_name));
	jset(o, "email", jstr(c->user->email));
	jset(o, "is_staff", json_boolean(c->user->is_staff));
	jset(o, "is_superuser", json_boolean(c->user->is_superuser));
	jset(o, "date_joined", jstr(api_time(r, c->user->date_joined)));
	jset(o, "scopes", jstr(c->token_id == 0 ?
	    "session" : c->may_write ? "read,write" : "read"));
	return api_json(r, HTTP_200, o);
}

/*
 * GET /api/docs/  the documentation page: Swagger UI over
 * /api/openapi.json when make vendor installed it, else the link alone.
 */
int
page_api_docs(struct req *r)
{
	static char	*css, *own_css, *js, *init;	/* once a worker */
	static int	 have_ui = -1;
	const struct config *c = config_current();

	if (have_ui < 0 && c != NULL) {
		char	 path[4096];

		snprintf(path, sizeof(path), "%s/vendor/swagger-ui/"
		    "swagger-ui-bundle.js", c->static_dir);
		if ((have_ui = access(path, R_OK) == 0)) {
			css = render_static_url(c,
			    "vendor/swagger-ui/swagger-ui.css");
			own_css = render_static_url(c, "css/api-docs.css");
			js = render_static_url(c,
			    "vendor/swagger-ui/swagger-ui-bundle.js");
			init = render_static_url(c, "js/api-docs.js");
		}
	}
	render_set(r, "Docs.spec_url", router_url(r, "api_openapi"));
	if (have_ui > 0) {
		/* Swagger UI's stylesheet and bundle draw icons from data:
		 * URLs; this page alone may show data: images.  Its styles
		 * are set through the DOM, which style-src does not govern,
		 * so no 'unsafe-inline' (tests/e2e/api_docs.test.mjs). */
		r->csp = HTTP_CSP "; img-src 'self' data:";
		render_set(r, "Docs.ui_css", css);
		render_set(r, "Docs.own_css", own_css);
		render_set(r, "Docs.ui_js", js);
		render_set(r, "Docs.init_js", init);
	}
	return render(r, "site/api_docs.cs");
}

/* What the answers hold, for the OpenAPI document (see core/api.h for
 * the types: NULL is the model's field of that name).  An article's
 * bodies come first so that its summary, as lists give it, is the same
 * table past them: ARTICLE_SUMMARY. */
static const struct api_field article_repr[] = {
	{ "body", NULL }, { "body_html", "string" },
	{ "id", "integer" }, { "slug", NULL }, { "title", NULL },
	{ "excerpt", NULL },
	{ "status", NULL }, { "tags", NULL },
	{ "author", "{\"type\":[\"object\",\"null\"],\"required\":"
	  "[\"username\",\"display_name\"],\"properties\":{\"username\":"
	  "{\"type\":\"string\"},\"display_name\":{\"type\":\"string\"}}}" },
	{ "publish_at", NULL }, { "updated_at", NULL },
	{ "url", "{\"type\":\"string\",\"format\":\"uri\"}" },
	{ NULL, NULL }
};
#define ARTICLE_SUMMARY	(article_repr + 2)
static const struct api_field comment_repr[] = {
	{ "id", "integer" }, { "article_id", "integer" },
	{ "parent", "integer|null" }, { "author", "string" },
	{ "author_url", "{\"type\":[\"string\",\"null\"],\"format\":\"uri\"}" },
	{ "body", NULL }, { "body_html", "string" },
	{ "status", NULL }, { "created_at", NULL }, { NULL, NULL }
};
static const struct api_field tag_repr[] = {
	{ "id", "integer" }, { "slug", NULL }, { "name", NULL },
	{ "description", "string" }, { NULL, NULL }
};
static const struct api_field author_repr[] = {
	{ "username", NULL }, { "display_name", "string" },
	{ "bio", "string|null" }, { NULL, NULL }
};
static const struct api_field me_repr[] = {
	{ "id", "integer" }, { "username", NULL }, { "display_name", "string" },
	{ "email", NULL }, { "is_staff", "boolean" },
	{ "is_superuser", "boolean" },
	{ "date_joined", "{\"type\":[\"string\",\"null\"],"
	  "\"format\":\"date-time\"}" },
	{ "scopes", "{\"type\":\"string\",\"enum\":[\"read\",\"read,write\","
	  "\"session\"]}" },
	{ NULL, NULL }
};

/* The filters of GET /api/v1/articles (api_articles_list). */
static const struct api_field articles_query[] = {
	{ "tag", "{\"type\":\"string\",\"description\":\"A tag's slug.\"}" },
	{ "author", "{\"type\":\"string\",\"description\":\"An author's "
	  "username.\"}" },
	{ "status", "{\"type\":\"string\",\"enum\":[\"draft\",\"scheduled\","
	  "\"published\",\"trash\",\"all\"],\"description\":\"Other than "
	  "published: writers only (authors see their own).\"}" },
	{ "published_after", "{\"type\":\"string\",\"description\":\"A date "
	  "(2026-11-27) or an ISO 8601 time in UTC.\"}" },
	{ "published_before", "{\"type\":\"string\",\"description\":\"A date "
	  "(2026-11-27) or an ISO 8601 time in UTC.\"}" },
	{ "q", "{\"type\":\"string\",\"description\":\"Full-text search.\"}" },
	{ "cursor", "{\"type\":\"string\",\"description\":\"From next or "
	  "prev of a page.\"}" },
	{ NULL, NULL }
};
static const struct api_field comments_query[] = {
	{ "cursor", "{\"type\":\"string\",\"description\":\"From next of a "
	  "page.\"}" },
	{ NULL, NULL }
};

static const struct api_endpoint site_api[] = {
	{ .route = "api_articles", .method = M_GET,
	  .handler = api_articles_list, .query = articles_query,
	  .model = "article", .ok = 200, .tag = "articles",
	  .summary = "List articles, newest first, 20 a page (summaries: "
	  "no body nor body_html; the item's url has them)",
	  .repr = ARTICLE_SUMMARY, .list = true, .errors = "403" },
	{ .route = "api_articles", .method = M_POST,
	  .handler = api_article_create, .fields = article_fields,
	  .required = article_required, .model = "article", .ok = 201,
	  .tag = "articles", .summary = "Create an article (article.add)",
	  .repr = article_repr, .headers = "ETag Location" },
	{ .route = "api_article", .method = M_GET, .handler = api_article_get,
	  .model = "article", .ok = 200, .tag = "articles",
	  .summary = "Get an article", .repr = article_repr, .errors = "304",
	  .headers = "ETag" },
	{ .route = "api_article", .method = M_PATCH,
	  .handler = api_article_patch, .fields = article_fields,
	  .model = "article", .ok = 200, .tag = "articles",
	  .summary = "Change an article (article.change; authors their own)",
	  .repr = article_repr, .headers = "ETag" },
	{ .route = "api_article", .method = M_DELETE,
	  .handler = api_article_delete, .model = "article", .ok = 204,
	  .tag = "articles",
	  .summary = "Move an article to the trash (article.delete)" },
	{ .route = "api_comments", .method = M_GET,
	  .handler = api_comments_list, .query = comments_query,
	  .model = "comment", .ok = 200, .tag = "comments",
	  .summary = "Approved comments of an article, oldest first, 50 a "
	  "page", .repr = comment_repr, .list = true },
	{ .route = "api_comments", .method = M_POST,
	  .handler = api_comment_create, .fields = comment_fields,
	  .required = comment_required, .model = "comment", .ok = 201,
	  .tag = "comments",
	  .summary = "Comment on an article (held or approved by the site's "
	  "rules)", .repr = comment_repr, .errors = "409" },
	{ .route = "api_comment_moderate", .method = M_POST,
	  .handler = api_comment_moderate, .fields = moderate_fields,
	  .required = moderate_required, .model = "comment", .ok = 200,
	  .tag = "comments",
	  .summary = "Approve, spam or trash a comment (comment.change)",
	  .repr = comment_repr },
	{ .route = "api_tags", .method = M_GET, .handler = api_tags_list,
	  .model = "tag", .ok = 200, .tag = "tags", .summary = "List tags",
	  .repr = tag_repr, .list = true },
	{ .route = "api_user", .method = M_GET, .handler = api_user_get,
	  .model = "user", .ok = 200, .tag = "users",
	  .summary = "An author's public profile", .repr = author_repr },
	{ .route = "api_me", .method = M_GET, .handler = api_me,
	  .model = "user", .ok = 200, .tag = "users",
	  .summary = "The authenticated user", .repr = me_repr },
	{ .route = NULL }
};

const struct api_endpoint *const site_api_table = site_api;
