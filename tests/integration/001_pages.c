/*
 * 001_pages: the reader's pages through nginx: the home page and its
 * pager, an article, an unknown article, /healthz, the security headers
 * on every kind of answer, status lines, the static stylesheet, and a
 * second `serve` that must not take over the socket.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define SITE_NAME	"Harness Chronicle 001"
#define ARTICLES	45		/* three pages: 20, 20, 5 */

/* The article links on a page, in order. */
static size_t
article_links(const struct resp *r, char ***v)
{
	return html_hrefs(r->body != NULL ? r->body : "", "/articles/", v);
}

/* The "Older articles" link on a page, malloc'd, or NULL. */
static char *
older_link(const struct resp *r)
{
	return str_between(r->body, "class=\"pager__older\" href=\"", "\"");
}

static void
check_security_headers(const struct resp *r, const char *what)
{
	const char	*csp = resp_header(r, "Content-Security-Policy");

	CHECK_INT(resp_header_count(r, "X-Content-Type-Options"), 1,
	    "X-Content-Type-Options headers on %s", what);
	CHECK_STR(resp_header(r, "X-Content-Type-Options"), "nosniff",
	    "X-Content-Type-Options on %s", what);
	CHECK_STR(resp_header(r, "X-Frame-Options"), "DENY",
	    "X-Frame-Options on %s", what);
	CHECK_CONTAINS(csp, "frame-ancestors 'none'",
	    "Content-Security-Policy on %s", what);
	CHECK(resp_header(r, "Referrer-Policy") != NULL,
	    "Referrer-Policy present on %s", what);
}

static void
test_home_lists_twenty_articles_with_older_link(struct site *s)
{
	struct resp	 r = { 0 };
	char		**links, *older;
	size_t		 n;

	http_get(s, "/", &r);
	REQUIRE_STATUS(&r, 200, "GET", "/");
	CHECK_INT(resp_count(&r, "<article"), 20, "<article elements on /");
	n = article_links(&r, &links);
	CHECK_INT(n, 20, "distinct article links on /");
	html_hrefs_free(links, n);
	CHECK_CONTAINS(r.body, "Older articles", "GET / body");
	older = older_link(&r);
	CHECK(older != NULL && strncmp(older, "/?before=", 9) == 0,
	    "the Older articles link is /?before=... (got %s)",
	    older != NULL ? older : "none");
	CHECK_CONTAINS(resp_header(&r, "Content-Type"), "text/html",
	    "Content-Type of /");
	free(older);
	resp_free(&r);
}

static void
test_older_pages_show_other_articles_and_lead_back(struct site *s)
{
	struct resp	 r1 = { 0 }, r2 = { 0 }, r3 = { 0 };
	char		**l1 = NULL, **l2 = NULL, **l3 = NULL;
	char		*older1 = NULL, *older2 = NULL;
	size_t		 n1 = 0, n2 = 0, n3 = 0, common = 0;

	http_get(s, "/", &r1);
	REQUIRE_STATUS(&r1, 200, "GET", "/");
	n1 = article_links(&r1, &l1);
	older1 = older_link(&r1);
	if (!CHECK(older1 != NULL, "page 1 has an Older articles link"))
		goto out;
	http_get(s, older1, &r2);
	if (!CHECK_STATUS(&r2, 200, "GET", older1))
		goto out;
	n2 = article_links(&r2, &l2);
	CHECK_INT(resp_count(&r2, "<article"), 20, "<article elements on "
	    "page 2 (%s)", older1);
	for (size_t i = 0; i < n1; i++)
		for (size_t j = 0; j < n2; j++)
			if (strcmp(l1[i], l2[j]) == 0)
				common++;
	CHECK_INT(common, 0, "articles on both page 1 and page 2");
	CHECK(n2 > 0, "page 2 lists articles");
	/* The way back: a link to the newest articles. */
	CHECK_CONTAINS(r2.body, "class=\"pager__newer\" href=\"/\"",
	    "page 2 links back to the first page");
	CHECK_NOT_CONTAINS(r1.body, "pager__newer",
	    "page 1 (no newer page)");

	/* Page 3 is the last: 5 articles, no Older link. */
	older2 = older_link(&r2);
	if (!CHECK(older2 != NULL, "page 2 has an Older articles link"))
		goto out;
	http_get(s, older2, &r3);
	if (!CHECK_STATUS(&r3, 200, "GET", older2))
		goto out;
	n3 = article_links(&r3, &l3);
	CHECK_INT(resp_count(&r3, "<article"), ARTICLES - 40,
	    "<article elements on the last page");
	CHECK_NOT_CONTAINS(r3.body, "Older articles", "the last page");
	CHECK_INT(n1 + n2 + n3, ARTICLES, "articles over all pages");
out:
	html_hrefs_free(l1, n1);
	html_hrefs_free(l2, n2);
	html_hrefs_free(l3, n3);
	free(older1);
	free(older2);
	resp_free(&r1);
	resp_free(&r2);
	resp_free(&r3);
}

static void
test_article_page_has_title_and_body(struct site *s)
{
	struct resp	 home = { 0 }, r = { 0 };
	char		**links = NULL, *title = NULL, *h1, *anchor;
	size_t		 n;

	http_get(s, "/", &home);
	REQUIRE_STATUS(&home, 200, "GET", "/");
	n = article_links(&home, &links);
	if (!CHECK(n > 0, "the home page links to articles"))
		goto out;
	/* The title as the list shows it: <a href="URL">TITLE</a>. */
	anchor = str_printf("<a href=\"%s\">", links[0]);
	title = str_between(home.body, anchor, "</a>");
	free(anchor);
	CHECK(title != NULL && *title != '\0', "the home page shows a title "
	    "for %s", links[0]);
	http_get(s, links[0], &r);
	if (!CHECK_STATUS(&r, 200, "GET", links[0]))
		goto out;
	h1 = str_between(r.body, "<h1>", "</h1>");
	CHECK_STR(h1, title, "the <h1> of %s", links[0]);
	free(h1);
	CHECK_CONTAINS(r.body, "class=\"prose\"", "article body wrapper");
	CHECK_CONTAINS(r.body, "<p>", "article body paragraphs");
	CHECK_CONTAINS(r.body, SITE_NAME, "the layout on %s", links[0]);
	check_security_headers(&r, "an article page");
out:
	free(title);
	html_hrefs_free(links, n);
	resp_free(&home);
	resp_free(&r);
}

static void
test_unknown_slug_is_404_in_layout(struct site *s)
{
	const char	*path = "/articles/no-such-article-anywhere/";
	struct resp	 r = { 0 };

	http_get(s, path, &r);
	REQUIRE_STATUS(&r, 404, "GET", path);
	CHECK_CONTAINS(r.body, "<h1>404 Not Found</h1>", "404 page");
	CHECK_CONTAINS(r.body, SITE_NAME, "404 page in the layout");
	CHECK_CONTAINS(r.body, "class=\"site-header\"", "404 page header");
	CHECK_STR(r.status_line, "HTTP/1.1 404 Not Found", "status line");
	check_security_headers(&r, "a 404");
	resp_free(&r);
}

static void
test_healthz_says_ok(struct site *s)
{
	struct resp	 r = { 0 };

	http_get(s, "/healthz", &r);
	REQUIRE_STATUS(&r, 200, "GET", "/healthz");
	CHECK_STR(r.body, "ok\n", "GET /healthz body");
	CHECK_CONTAINS(resp_header(&r, "Content-Type"), "text/plain",
	    "Content-Type of /healthz");
	resp_free(&r);
}

static void
test_security_headers_on_200_404_301(struct site *s)
{
	struct resp	 r = { 0 };

	http_get(s, "/", &r);
	if (CHECK_STATUS(&r, 200, "GET", "/"))
		check_security_headers(&r, "GET / (200)");
	http_get(s, "/no/such/page/", &r);
	if (CHECK_STATUS(&r, 404, "GET", "/no/such/page/"))
		check_security_headers(&r, "a 404");
	http_get(s, "/articles/some-slug", &r);
	if (CHECK_STATUS(&r, 301, "GET", "/articles/some-slug"))
		check_security_headers(&r, "a 301");
	resp_free(&r);
}

static void
test_status_lines_carry_reason_phrases(struct site *s)
{
	struct resp	 r = { 0 };

	http_get(s, "/", &r);
	CHECK_STR(r.status_line, "HTTP/1.1 200 OK", "status line of GET /");
	http_get(s, "/nothing-here/", &r);
	CHECK_STR(r.status_line, "HTTP/1.1 404 Not Found",
	    "status line of a 404");
	http_get(s, "/healthz/x", &r);
	CHECK_STR(r.status_line, "HTTP/1.1 404 Not Found",
	    "status line of GET /healthz/x");
	resp_free(&r);
}

static void
test_stylesheet_is_versioned_and_cached(struct site *s)
{
	struct resp	 page = { 0 }, r = { 0 };
	char		*css;

	http_get(s, "/", &page);
	REQUIRE_STATUS(&page, 200, "GET", "/");
	css = str_between(page.body, "<link rel=\"stylesheet\" href=\"", "\"");
	if (!CHECK(css != NULL, "the page links a stylesheet"))
		goto out;
	CHECK(strncmp(css, "/static/css/site.css?v=", 23) == 0 &&
	    strlen(css) > 23, "stylesheet URL carries ?v= (got %s)", css);
	http_get(s, css, &r);
	if (CHECK_STATUS(&r, 200, "GET", css)) {
		CHECK_CONTAINS(resp_header(&r, "Cache-Control"),
		    "max-age=31536000", "Cache-Control of the stylesheet");
		CHECK_INT(resp_header_count(&r, "Cache-Control"), 1,
		    "Cache-Control headers on the stylesheet");
		CHECK_CONTAINS(resp_header(&r, "Content-Type"), "text/css",
		    "Content-Type of the stylesheet");
		CHECK(r.len > 100, "the stylesheet has content (%zu bytes)",
		    r.len);
	}
out:
	free(css);
	resp_free(&page);
	resp_free(&r);
}

static void
test_second_server_refuses_the_socket(struct site *s)
{
	struct cmd_result	 c;
	struct resp		 r = { 0 };
	int			 st;

	/* A second `serve` on the same config must leave the first alone. */
	st = site_gazette(s, &c, "serve", (char *)NULL);
	CHECK_INT(st, 2, "exit status of a second serve on the same socket");
	CHECK_CONTAINS(c.err, "another server is listening",
	    "the second serve's stderr");
	cmd_free(&c);
	http_get(s, "/healthz", &r);
	CHECK_STATUS(&r, 200, "GET", "/healthz after the second serve");
	resp_free(&r);
}

int
main(void)
{
	struct site		 s;
	struct site_opts	 o = { .workers = 2, .articles = ARTICLES,
	    .extra_ini = "[site]\nsite_name = " SITE_NAME "\n" };

	harness_init("001_pages");
	if (site_start(&s, &o) == 0) {
		RUN(test_home_lists_twenty_articles_with_older_link, &s);
		RUN(test_older_pages_show_other_articles_and_lead_back, &s);
		RUN(test_article_page_has_title_and_body, &s);
		RUN(test_unknown_slug_is_404_in_layout, &s);
		RUN(test_healthz_says_ok, &s);
		RUN(test_security_headers_on_200_404_301, &s);
		RUN(test_status_lines_carry_reason_phrases, &s);
		RUN(test_stylesheet_is_versioned_and_cached, &s);
		RUN(test_second_server_refuses_the_socket, &s);
		RUN(site_check_log, &s);
		CHECK_INT(site_stop(&s), 0, "gazette's exit status after "
		    "SIGTERM");
	}
	return harness_finish();
}
