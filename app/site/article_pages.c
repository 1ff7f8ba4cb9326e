/*
 * article_pages: the reader's pages for articles: the lists (home, tag,
 * author, month), the article itself, its preview for writers, static
 * pages, and the test hook that saves articles.  Queries are article.c's;
 * the comments under an article are comment.c's (comment_section).
 * Public pages answer conditional GETs (content_cache) before the heavy
 * part of their work.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/auth.h"
#include "core/db.h"
#include "core/http.h"
#include "core/render.h"
#include "core/router.h"
#include "core/util.h"
#include "article.h"
#include "comment.h"
#include "site.h"

#define PAGE_SIZE	20

static const char *const month_names[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

#define NAV_PAGES	8

void
article_nav_export(struct req *r)
{
	struct article	 pages[NAV_PAGES];
	int		 n = article_pages_public(r, pages, NAV_PAGES);

	for (int i = 0; i < n; i++) {
		struct render_node *nd = render_node(r, "Nav.pages.%d", i);

		render_node_set(r, nd, "title", pages[i].title);
		render_node_set(r, nd, "url", router_url(r, "page_show",
		    pages[i].slug));
	}
}

/* ---- lists -------------------------------------------------------------- */

/* One list page: what it shows and how it is titled. */
struct list_page {
	const char	*kicker;	/* "Tag", "Author", or NULL */
	const char	*heading;	/* the <h1> */
	const char	*intro;		/* description, bio; may be "" */
	const char	*empty;		/* the text when there is none */
	const char	*base;		/* URL of the first page */
	const char	*cache_key;	/* the page's part of the validator */
	const char	*feed;		/* its Atom feed's URL, or NULL */
	const char	*feed_title;
	struct article_filter filter;
};

/*
 * ?before=T-ID into *cur: *curp is cur, or NULL without the parameter.
 * Returns 0, or 400 with the reason when it is malformed.
 */
static int
list_cursor(struct req *r, struct article_cursor *cur,
    const struct article_cursor **curp)
{
	const char	*before = req_query(r, "before");

	*curp = NULL;
	if (before == NULL)
		return 0;
	if (article_cursor_parse(before, cur) != 0) {
		r->error_detail = "The 'before' parameter must look like "
		    "1700000000-42 (use the Older articles link).";
		return HTTP_400;
	}
	*curp = cur;
	return 0;
}

static const char *
author_url(struct req *r, const char *username)
{
	return router_url(r, "author_show", username);
}

/*
 * URLs of one route already built for this page, by their one value: a
 * list names the same few tags and authors again and again, and each
 * router_url() costs about 2 us (a third of the home page's time went
 * there before).
 */
struct url_memo {
	const char	*route;
	size_t		 n;
	struct {
		const char	*key;
		const char	*url;
	}		 v[48];
};

static const char *
memo_url(struct req *r, struct url_memo *m, const char *key)
{
	const char	*url;

	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->v[i].key, key) == 0)
			return m->v[i].url;
	url = router_url(r, m->route, key);
	if (m->n < NELEM(m->v)) {
		m->v[m->n].key = key;
		m->v[m->n++].url = url;
	}
	return url;
}

/* tags.N.name and .url under node nd for a's tags (names relative to a
 * node cost less than full ones from the root). */
static void
tags_export(struct req *r, struct render_node *nd, const struct article *a,
    struct url_memo *tag_urls)
{
	char	 key[40];

	for (size_t j = 0; j < a->ntags; j++) {
		snprintf(key, sizeof(key), "tags.%zu.name", j);
		render_node_set(r, nd, key, a->tags[j].name);
		snprintf(key, sizeof(key), "tags.%zu.url", j);
		render_node_set(r, nd, key, memo_url(r, tag_urls,
		    a->tags[j].slug));
	}
}

static void
items_export(struct req *r, const struct article *items, int n)
{
	struct url_memo	 tag_urls = { .route = "tag_show" };
	struct url_memo	 author_urls = { .route = "author_show" };
	char		 count[24];

	for (int i = 0; i < n; i++) {
		const struct article	*a = &items[i];
		struct render_node	*nd = render_node(r, "Articles.%d", i);

		render_node_set(r, nd, "title", a->title);
		render_node_set(r, nd, "url", router_url(r, "article_show",
		    a->slug));
		render_node_set(r, nd, "excerpt", a->excerpt);
		render_node_set_date(r, nd, "date", a->publish_at);
		if (*a->author_username != '\0') {
			render_node_set(r, nd, "author", a->author_name);
			render_node_set(r, nd, "author_url", memo_url(r,
			    &author_urls, a->author_username));
		}
		if (a->comment_count > 0) {
			snprintf(count, sizeof(count), "%" PRId64,
			    a->comment_count);
			render_node_set(r, nd, "comments", count);
		}
		tags_export(r, nd, a, &tag_urls);
	}
}

/* Pager.older (when more) and Pager.newer (on every page but the first). */
static void
pager_export(struct req *r, const char *base, const struct article *items,
    int n, int more, const struct article_cursor *curp)
{
	if (more && n > 0) {
		struct article_cursor	 next = { items[n - 1].publish_at,
		    items[n - 1].id };

		render_set(r, "Pager.older", arena_printf(r->arena,
		    "%s?before=%s", base, article_cursor_format(r, &next)));
	}
	if (curp != NULL)
		render_set(r, "Pager.newer", base);
}

/* Answer a list page: 304, or the page of PAGE_SIZE articles at curp. */
static int
list_show(struct req *r, struct list_page *p,
    const struct article_cursor *curp)
{
	struct article	 items[PAGE_SIZE];
	const char	*before = req_query(r, "before");
	int		 n, more;

	if (content_cache(r, arena_printf(r->arena, "%s:%s", p->cache_key,
	    before != NULL ? before : "")))
		return r->cache_status;
	p->filter.with_tags = true;
	if ((n = article_list_public(r, &p->filter, curp, items, PAGE_SIZE,
	    &more)) < 0)
		return HTTP_500;
	items_export(r, items, n);
	pager_export(r, p->base, items, n, more, curp);
	if (p->kicker != NULL)
		render_set(r, "List.kicker", p->kicker);
	render_set(r, "List.heading", p->heading);
	render_set(r, "List.intro", p->intro);
	render_set(r, "List.empty", p->empty);
	if (p->intro != NULL && *p->intro != '\0')
		render_set(r, "Page.description", p->intro);
	if (p->feed != NULL) {
		render_set(r, "Page.feed", p->feed);
		render_set(r, "Page.feed_title", p->feed_title);
	}
	return render(r, "site/article_list.cs");
}

/*
 * GET /  the newest public articles, PAGE_SIZE a page.
 * ?before=T-ID continues after the article (T, ID): keyset, not OFFSET.
 * 400 if before is malformed.
 */
int
page_article_list(struct req *r)
{
	struct list_page		 p = { 0 };
	struct article_cursor		 cur;
	const struct article_cursor	*curp;
	int				 rc;

	if ((rc = list_cursor(r, &cur, &curp)) != 0)
		return rc;
	p.heading = "Latest articles";
	p.empty = "No articles yet.";
	p.base = router_url(r, "article_list");
	p.cache_key = "home";
	render_set(r, "Page.is_home", "1");
	return list_show(r, &p, curp);
}

/*
 * GET /tags/{slug}/  the tag's name and description, then its public
 * articles, paginated as /.  404 if no such tag; 400 for a bad cursor.
 */
int
page_tag_show(struct req *r)
{
	struct list_page		 p = { 0 };
	struct article_cursor		 cur;
	const struct article_cursor	*curp;
	struct tag			*t;
	int				 rc;

	if ((rc = list_cursor(r, &cur, &curp)) != 0)
		return rc;
	if ((t = tag_by_slug(r, req_param(r, "slug"))) == NULL)
		return req_failed(r) ? HTTP_500 : HTTP_404;
	p.kicker = "Tag";
	p.heading = t->name;
	p.intro = t->description;
	p.empty = "No articles have this tag yet.";
	p.base = router_url(r, "tag_show", t->slug);
	p.cache_key = arena_printf(r->arena, "tag:%" PRId64, t->id);
	p.feed = router_url(r, "tag_feed", t->slug);
	p.feed_title = arena_printf(r->arena, "Articles tagged %s", t->name);
	p.filter.tag_id = t->id;
	return list_show(r, &p, curp);
}

/*
 * GET /authors/{username}/  the author's name and bio, then their
 * public articles, paginated as /.  404 unless the user is active and
 * has a public article; 301 to the username as written in the account
 * when the case differs; 400 for a bad cursor.
 */
int
page_author_show(struct req *r)
{
	struct list_page		 p = { 0 };
	struct article_cursor		 cur;
	const struct article_cursor	*curp;
	const char			*username = req_param(r, "username");
	struct author			*au;
	int				 rc;

	if ((rc = list_cursor(r, &cur, &curp)) != 0)
		return rc;
	if ((au = author_by_username(r, username)) == NULL)
		return req_failed(r) ? HTTP_500 : HTTP_404;
	if (strcmp(au->username, username) != 0)
		return http_redirect(r, HTTP_301, author_url(r,
		    au->username));
	p.kicker = "Author";
	p.heading = au->display_name;
	p.intro = au->bio;
	p.empty = "No articles yet.";
	p.base = author_url(r, au->username);
	p.cache_key = arena_printf(r->arena, "author:%" PRId64, au->id);
	p.feed = router_url(r, "author_feed", au->username);
	p.feed_title = arena_printf(r->arena, "Articles by %s",
	    au->display_name);
	p.filter.author_id = au->id;
	return list_show(r, &p, curp);
}

/* The first second of month (1..12) of year, UTC. */
static int64_t
month_start(int year, int month)
{
	struct tm	 tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = 1;
	return (int64_t)timegm(&tm);
}

/* Archive.earlier and Archive.later: the months either side, as links,
 * the later one only up to this month. */
static void
month_nav_export(struct req *r, int year, int month)
{
	int	 py = year, pm = month - 1, ny = year, nm = month + 1;

	if (pm == 0) {
		py--;
		pm = 12;
	}
	if (nm == 13) {
		ny++;
		nm = 1;
	}

	if (py >= 1970) {
		render_set(r, "Archive.earlier", arena_printf(r->arena,
		    "%s %d", month_names[pm - 1], py));
		render_set(r, "Archive.earlier_url", router_url(r,
		    "archive_month", arena_printf(r->arena, "%d", py),
		    arena_printf(r->arena, "%02d", pm)));
	}
	if (ny <= 9999 && month_start(ny, nm) <= (int64_t)time(NULL)) {
		render_set(r, "Archive.later", arena_printf(r->arena, "%s %d",
		    month_names[nm - 1], ny));
		render_set(r, "Archive.later_url", router_url(r,
		    "archive_month", arena_printf(r->arena, "%d", ny),
		    arena_printf(r->arena, "%02d", nm)));
	}
}

/*
 * GET /archive/{year}/{month}/  the public articles of one month (UTC),
 * paginated as /.  400 unless year is 1970..9999 and month 1..12, or
 * for a bad cursor.
 */
int
page_archive_month(struct req *r)
{
	struct list_page		 p = { 0 };
	struct article_cursor		 cur;
	const struct article_cursor	*curp;
	long long			 year, month;
	int				 rc;

	if (util_parse_int(req_param(r, "year"), 1970, 9999, &year) != 0 ||
	    util_parse_int(req_param(r, "month"), 1, 12, &month) != 0) {
		r->error_detail = "The archive has a page for each month: "
		    "/archive/YEAR/MONTH/ with a year from 1970 to 9999 and "
		    "a month from 1 to 12.";
		return HTTP_400;
	}
	if ((rc = list_cursor(r, &cur, &curp)) != 0)
		return rc;
	p.heading = arena_printf(r->arena, "Articles from %s %lld",
	    month_names[month - 1], year);
	p.empty = arena_printf(r->arena, "No articles were published in "
	    "%s %lld.", month_names[month - 1], year);
	p.base = router_url(r, "archive_month", arena_printf(r->arena,
	    "%lld", year), arena_printf(r->arena, "%02lld", month));
	p.cache_key = arena_printf(r->arena, "archive:%lld-%lld", year,
	    month);
	p.filter.from = month_start((int)year, (int)month);
	p.filter.to = month == 12 ? month_start((int)year + 1, 1) :
	    month_start((int)year, (int)month + 1);
	month_nav_export(r, (int)year, (int)month);
	return list_show(r, &p, curp);
}

/* ---- one article -------------------------------------------------------- */

/* Article.*: what article_show.cs and page_show.cs read. */
static void
article_export(struct req *r, const struct article *a)
{
	struct url_memo	 tag_urls = { .route = "tag_show" };

	render_set_int(r, "Article.id", a->id);
	render_set(r, "Article.title", a->title);
	render_set(r, "Article.slug", a->slug);
	render_set(r, "Article.excerpt", a->excerpt);
	render_set(r, "Article.body_html", a->body_html != NULL ?
	    a->body_html : "");
	render_set_int(r, "Article.comment_count", a->comment_count);
	if (strcmp(a->kind, "article") == 0)
		render_set(r, "Article.url", router_url(r, "article_show",
		    a->slug));
	if (a->publish_at != 0) {
		struct tm	 tm;
		time_t		 t = (time_t)a->publish_at;

		render_set_date(r, "Article.date", a->publish_at);
		if (gmtime_r(&t, &tm) != NULL && tm.tm_year + 1900 >= 1970)
			render_set(r, "Article.archive_url", router_url(r,
			    "archive_month", arena_printf(r->arena, "%d",
			    tm.tm_year + 1900), arena_printf(r->arena, "%02d",
			    tm.tm_mon + 1)));
	}
	if (a->publish_at != 0 && a->updated_at > a->publish_at + 86400) {
		render_set(r, "Article.is_updated", "1");
		render_set_date(r, "Article.updated", a->updated_at);
	}
	if (*a->author_username != '\0') {
		render_set(r, "Article.author", a->author_name);
		render_set(r, "Article.author_url", author_url(r,
		    a->author_username));
	}
	tags_export(r, render_node(r, "Article"), a, &tag_urls);
	render_set(r, "Page.description", a->excerpt);
}

int
article_render(struct req *r, const struct article *a)
{
	article_export(r, a);
	return render(r, "site/article_show.cs");
}

/*
 * GET /articles/{slug}/  one public article with its comments.
 * 301 to the current URL if the slug is an old one of a public article;
 * 404 if no public article has it (drafts and future ones too).
 */
int
page_article_show(struct req *r)
{
	const char	*slug = req_param(r, "slug"), *moved;
	struct article	*a;

	if ((a = article_by_slug(r, slug)) == NULL) {
		if (!req_failed(r) &&
		    (moved = article_redirect_slug(r, slug)) != NULL)
			return http_redirect(r, HTTP_301, router_url(r,
			    "article_show", moved));
		return req_failed(r) ? HTTP_500 : HTTP_404;
	}
	if (comment_visitor_is_personal(r))
		r->private_page = true;
	/* Comments close by age: whether the form shows is part of it. */
	if (content_cache(r, arena_printf(r->arena, "article:%" PRId64 ":%d",
	    a->id, comment_open(r, a))))
		return r->cache_status;
	if (comment_section(r, a, NULL) != 0)
		return HTTP_500;
	return article_render(r, a);
}

/*
 * GET /{slug}/  a public static page (kind 'page': about, contact).
 * 404 if there is none.
 */
int
page_static_show(struct req *r)
{
	struct article	*a;

	if ((a = article_page_by_slug(r, req_param(r, "slug"))) == NULL)
		return req_failed(r) ? HTTP_500 : HTTP_404;
	if (content_cache(r, arena_printf(r->arena, "page:%" PRId64, a->id)))
		return r->cache_status;
	article_export(r, a);
	return render(r, "site/page_show.cs");
}

/* ---- previews ----------------------------------------------------------- */

/* May this visitor see a whatever its status: its author, or an editor? */
static bool
article_may_preview(struct req *r, const struct article *a)
{
	const struct user	*u = r->user;

	if (u == NULL || !u->is_active)
		return false;
	if (a->author_id != 0 && a->author_id == u->id)
		return true;
	return auth_has_perm(r, u, "article.edit_others");
}

/* "27 November 2026, 14:05 UTC" */
static const char *
date_time_human(struct req *r, int64_t t)
{
	char		 day[64];
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	util_date_human(t, day, sizeof(day));
	if (gmtime_r(&tt, &tm) == NULL)
		return arena_strdup(r->arena, day);
	return arena_printf(r->arena, "%s, %02d:%02d UTC", day, tm.tm_hour,
	    tm.tm_min);
}

/* Preview.*: the banner's state (draft, scheduled, published, trash),
 * its publish time, and the public URL once public. */
static void
preview_export(struct req *r, const struct article *a)
{
	const char	*state = a->status;
	char		 iso[64];

	if (strcmp(state, "published") == 0 && !article_is_public(a))
		state = "scheduled";
	render_set(r, "Preview.state", state);
	if (a->publish_at != 0) {
		render_set(r, "Preview.when", date_time_human(r,
		    a->publish_at));
		util_date_iso(a->publish_at, iso, sizeof(iso));
		render_set(r, "Preview.when_iso", iso);
	}
	if (article_is_public(a))
		render_set(r, "Preview.public_url", router_url(r,
		    strcmp(a->kind, "page") == 0 ? "page_show" :
		    "article_show", a->slug));
}

/*
 * GET /articles/{id}/preview/  an article or page whatever its status,
 * as readers will see it, under a banner saying it is a preview.  Only
 * for its author and for users with article.edit_others: anybody else,
 * anonymous visitors too, gets 404 (nothing says it exists).  Never
 * cached, never indexed.
 */
int
page_article_preview(struct req *r)
{
	struct article	*a;
	long long	 id;

	r->private_page = true;
	if (util_parse_int(req_param(r, "id"), 1, INT64_MAX, &id) != 0)
		return HTTP_404;
	if ((a = article_by_id(r, id)) == NULL || !article_may_preview(r, a))
		return req_failed(r) ? HTTP_500 : HTTP_404;
	http_set_header(r, "X-Robots-Tag", "noindex");
	render_set(r, "Page.robots", "noindex");
	preview_export(r, a);
	if (strcmp(a->kind, "page") == 0) {
		article_export(r, a);
		return render(r, "site/page_show.cs");
	}
	return article_render(r, a);
}

/* ---- health ------------------------------------------------------------- */

/*
 * GET /healthz  200 "ok" when this worker can reach the database, for
 * load balancers and tests; 503 otherwise.
 */
int
page_healthz(struct req *r)
{
	if (!db_ping(r))
		return HTTP_503;
	r->content_type = "text/plain; charset=utf-8";
	buf_puts(&r->out, "ok\n");
	http_set_header(r, "Cache-Control", "no-store");
	return HTTP_200;
}

#ifdef GAZETTE_TEST
/*
 * GET /__test/sleep/{ms}/  test builds only: answer "slept" after ms
 * milliseconds (at most 10 s), so tests can hold a request in flight.
 */
int
page_test_sleep(struct req *r)
{
	long long	 ms = 0;

	util_parse_int(req_param(r, "ms"), 0, 10000, &ms);
	usleep((useconds_t)ms * 1000);
	r->content_type = "text/plain; charset=utf-8";
	buf_puts(&r->out, "slept\n");
	return HTTP_200;
}

/* 400 "FIELD: ERROR\n" in plain text. */
static int
test_refuse(struct req *r, const char *field, const char *error)
{
	buf_printf(&r->out, "%s: %s\n", field, error);
	return HTTP_400;
}

/* Form field key as an integer in [0, max]: absent or "" is 0.  0 or -1. */
static int
test_form_int(struct req *r, const char *key, long long max, int64_t *out)
{
	const char	*v = req_form(r, key);
	long long	 n = 0;

	if (v != NULL && *v != '\0' && util_parse_int(v, 0, max, &n) != 0)
		return -1;
	*out = n;
	return 0;
}

/* The form field, or NULL when absent or empty. */
static const char *
test_form_str(struct req *r, const char *key)
{
	const char	*v = req_form(r, key);

	return v != NULL && *v != '\0' ? v : NULL;
}

/*
 * POST /__test/articles/  test builds only: article_save() from the
 * urlencoded fields id, kind, title, slug, excerpt, body, status,
 * publish_at (Unix seconds), author (a username), tags (comma-separated;
 * absent: keep) and comments_open ("1" or "0"; absent: keep).  Answers
 * 200 "ID\n", or 400 "FIELD: ERROR\n", in plain text.
 */
int
page_test_article_save(struct req *r)
{
	struct article_input	 in = { 0 };
	const char		*field, *error, *author, *open;
	struct user		*u;
	int64_t			 id;

	r->content_type = "text/plain; charset=utf-8";
	r->private_page = true;
	if (test_form_int(r, "id", INT64_MAX, &in.id) != 0)
		return test_refuse(r, "id", "Enter a whole number.");
	if (test_form_int(r, "publish_at", INT64_MAX, &in.publish_at) != 0)
		return test_refuse(r, "publish_at", "Enter Unix seconds.");
	in.kind = test_form_str(r, "kind");
	in.title = req_form(r, "title");
	in.slug = req_form(r, "slug");
	in.excerpt = req_form(r, "excerpt");
	in.body = req_form(r, "body");
	in.status = req_form(r, "status");
	in.tags = req_form(r, "tags");
	in.comments_open = -1;
	if ((open = test_form_str(r, "comments_open")) != NULL) {
		if (strcmp(open, "1") != 0 && strcmp(open, "0") != 0)
			return test_refuse(r, "comments_open", "Send 1 or 0.");
		in.comments_open = *open == '1';
	}
	if ((author = test_form_str(r, "author")) != NULL) {
		if ((u = auth_user_by_login(r, author)) == NULL)
			return req_failed(r) ? HTTP_500 :
			    test_refuse(r, "author", "There is no such user.");
		in.author_id = u->id;
	}
	if ((id = article_save(r, &in, &field, &error)) < 0)
		return HTTP_500;
	if (id == 0)
		return test_refuse(r, field, error);
	buf_printf(&r->out, "%" PRId64 "\n", id);
	return HTTP_200;
}
#endif
