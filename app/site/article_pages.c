/*
 * article_pages: the reader's pages for articles: the home page list and
 * the article itself.
 */
#include <stdio.h>
#include <unistd.h>

#include "core/db.h"
#include "core/http.h"
#include "core/render.h"
#include "core/router.h"
#include "core/util.h"
#include "article.h"
#include "site.h"

#define PAGE_SIZE	20

/*
 * GET /  the newest public articles, PAGE_SIZE a page.
 * ?before=T-ID continues after the article (T, ID): keyset, not OFFSET.
 * 400 if before is malformed.
 */
int
page_article_list(struct req *r)
{
	struct article		 items[PAGE_SIZE];
	struct article_cursor	 cur, *curp = NULL;
	const char		*before = req_query(r, "before");
	int			 n, more;

	if (before != NULL) {
		if (article_cursor_parse(before, &cur) != 0) {
			r->error_detail = "The 'before' parameter must look "
			    "like 1700000000-42 (use the Older articles link).";
			return HTTP_400;
		}
		curp = &cur;
	}
	if ((n = article_list_public(r, NULL, curp, items, PAGE_SIZE, &more)) < 0)
		return HTTP_500;
	for (int i = 0; i < n; i++) {
		struct render_node *a = render_node(r, "Articles.%d", i);

		render_node_set(r, a, "title", items[i].title);
		render_node_set(r, a, "url", router_url(r, "article_show",
		    items[i].slug));
		render_node_set(r, a, "excerpt", items[i].excerpt);
		render_node_set_date(r, a, "date", items[i].publish_at);
	}
	if (more) {
		struct article_cursor next = { items[n - 1].publish_at,
		    items[n - 1].id };

		render_set(r, "Pager.older", arena_printf(r->arena, "%s?before=%s",
		    router_url(r, "article_list"),
		    article_cursor_format(r, &next)));
	}
	if (curp != NULL)
		render_set(r, "Pager.newer_home", "1");
	render_set(r, "Page.is_home", "1");
	return render(r, "site/article_list.cs");
}

/*
 * GET /articles/{slug}/  one public article.
 * 404 if no published article has that slug (drafts and future ones too).
 */
int
page_article_show(struct req *r)
{
	struct article	*a;

	if ((a = article_by_slug(r, req_param(r, "slug"))) == NULL)
		return req_failed(r) ? HTTP_500 : HTTP_404;
	render_set(r, "Article.title", a->title);
	render_set(r, "Article.excerpt", a->excerpt);
	render_set(r, "Article.body_html", a->body_html);
	render_set_date(r, "Article.date", a->publish_at);
	if (a->updated_at > a->publish_at + 86400) {
		render_set(r, "Article.is_updated", "1");
		render_set_date(r, "Article.updated", a->updated_at);
	}
	render_set(r, "Page.description", a->excerpt);
	return render(r, "site/article_show.cs");
}

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
#endif

/* STUBS until the articles work lands. */
int page_article_preview(struct req *r) { (void)r; return HTTP_404; }
int page_tag_show(struct req *r) { (void)r; return HTTP_404; }
int page_author_show(struct req *r) { (void)r; return HTTP_404; }
int page_archive_month(struct req *r) { (void)r; return HTTP_404; }
int page_static_show(struct req *r) { (void)r; return HTTP_404; }
int article_render(struct req *r, const struct article *a) { (void)r; (void)a; return HTTP_404; }
#ifdef GAZETTE_TEST
int page_test_article_save(struct req *r) { (void)r; return HTTP_404; }
#endif
