/*
 * 017_search_feeds: search, feeds, sitemaps and robots.txt through
 * nginx.  Search: a title match ranks before a body match, snippets
 * carry <mark> and stored HTML comes out escaped, queries FTS5 cannot
 * read give a friendly 200, the query is shown escaped, pagination and
 * its 400s.  Feeds (site, tag, author, an article's comments): Atom that
 * xmllint calls well-formed, absolute URLs from site_url, entry ids that
 * survive a slug change, names but never emails, 404s, a 304 on a
 * conditional GET.  Sitemaps: one urlset while the URLs fit, then (with
 * sitemap_urls = 10) an index of parts of at most 10 URLs that together
 * list every public URL; robots.txt.
 *
 * Articles come from the test-only POST /__test/articles/.  The cases
 * share one site and run in order: the first sees an empty site.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

#define SITE_URL	"https://news.example.test"
#define PW		"Correct-Horse-42-battery"
#define ATOM		"application/atom+xml; charset=utf-8"

static char	 tmpdir[256];

/* ---- helpers ------------------------------------------------------------- */

/* A published article (published an hour ago): its id, 0 on failure. */
static long long
article(struct site *s, const char *title, const char *body,
    const char *tags, const char *author)
{
	char		*when = str_printf("%lld", (long long)time(NULL) - 3600);
	long long	 id;

	id = site_save_article(s, "title", title, "body", body, "status",
	    "published", "publish_at", when, "tags", tags, "author", author,
	    (char *)NULL);
	free(when);
	return id;
}

/* Is body well-formed XML by xmllint --noout? */
static bool
xml_ok(const char *body, size_t len, const char *what)
{
	char			*path = str_printf("%s/doc.xml", tmpdir);
	char			*argv[] = { "xmllint", "--noout", path, NULL };
	struct cmd_result	 c = { 0 };
	bool			 ok;

	if (file_write(path, body != NULL ? body : "", body != NULL ? len : 0,
	    false) != 0) {
		ok = CHECK(false, "write %s", path);
		free(path);
		return ok;
	}
	argv[0] = "/usr/bin/xmllint";
	cmd_run(argv, 10000, &c);
	ok = CHECK(c.status == 0, "xmllint --noout on %s: %d %s", what,
	    c.status, c.err);
	cmd_free(&c);
	free(path);
	return ok;
}

/* The index of needle in the body, or -1. */
static long
pos(const struct resp *r, const char *needle)
{
	const char	*p = r->body != NULL ? strstr(r->body, needle) : NULL;

	return p != NULL ? p - r->body : -1;
}

/* Every <loc>...</loc> value of an XML body, malloc'd, into *v. */
static size_t
locs(const char *body, char ***v)
{
	const char	*p = body;
	size_t		 n = 0;

	*v = NULL;
	while (p != NULL && (p = strstr(p, "<loc>")) != NULL) {
		const char	*e = strstr(p, "</loc>");

		if (e == NULL)
			break;
		*v = realloc(*v, (n + 1) * sizeof(**v));
		(*v)[n++] = strndup(p + 5, (size_t)(e - p - 5));
		p = e;
	}
	return n;
}

static void
locs_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* The <id> of the <entry> whose alternate link is href, malloc'd. */
static char *
entry_id(const char *body, const char *href)
{
	char		*link = str_printf("href=\"%s\"", href);
	const char	*p = body != NULL ? strstr(body, link) : NULL;
	const char	*start, *end;

	free(link);
	if (p == NULL)
		return NULL;
	/* The id follows the link inside the same entry. */
	if ((start = strstr(p, "<id>")) == NULL ||
	    (end = strstr(start, "</id>")) == NULL)
		return NULL;
	return strndup(start + 4, (size_t)(end - start - 4));
}

/* ---- sitemap and robots on the empty site --------------------------------- */

static void
test_sitemap_of_empty_site_is_one_urlset(struct site *s)
{
	struct resp	 r = { 0 };

	if (!CHECK_GET(s, "/sitemap.xml", 200, &r))
		return;
	CHECK_CONTAINS(resp_header(&r, "Content-Type"), "xml",
	    "Content-Type of /sitemap.xml");
	CHECK_CONTAINS(r.body, "<urlset", "a urlset");
	CHECK_CONTAINS(r.body, "<loc>" SITE_URL "/</loc>", "the home page");
	xml_ok(r.body, r.len, "/sitemap.xml (empty site)");
	CHECK_GET(s, "/sitemaps/1/", 200, &r);
	CHECK_GET(s, "/sitemaps/2/", 404, &r);
	CHECK_GET(s, "/sitemaps/999999/", 404, &r);
	CHECK_GET(s, "/sitemaps/abc/", 404, &r);
	resp_free(&r);
}

static void
test_robots_txt(struct site *s)
{
	struct resp	 r = { 0 };

	if (!CHECK_GET(s, "/robots.txt", 200, &r))
		return;
	CHECK_CONTAINS(resp_header(&r, "Content-Type"), "text/plain",
	    "Content-Type of /robots.txt");
	CHECK_CONTAINS(r.body, "User-agent: *\n", "robots.txt");
	CHECK_CONTAINS(r.body, "Disallow: /accounts/\n", "robots.txt");
	CHECK_CONTAINS(r.body, "Disallow: /admin/\n", "robots.txt");
	CHECK_CONTAINS(r.body, "Disallow: /search/\n", "robots.txt");
	CHECK_CONTAINS(r.body, "Disallow: /api/\n", "robots.txt");
	CHECK_CONTAINS(r.body, "Sitemap: " SITE_URL "/sitemap.xml\n",
	    "robots.txt");
	resp_free(&r);
}

/* ---- search --------------------------------------------------------------- */

static void
test_search_page_has_form_and_feed_link(struct site *s)
{
	struct resp	 r = { 0 };

	if (!CHECK_GET(s, "/search/", 200, &r))
		return;
	CHECK_CONTAINS(r.body, "role=\"search\"", "/search/");
	CHECK_CONTAINS(r.body, "<label for=\"search-q\"", "/search/");
	CHECK_CONTAINS(r.body, "name=\"q\"", "/search/");
	CHECK_CONTAINS(r.body, "<link rel=\"alternate\" type=\"application/"
	    "atom+xml\"", "the site feed in <head>");
	CHECK_NOT_CONTAINS(r.body, "No results", "no query, no verdict");
	resp_free(&r);
}

static void
test_search_ranks_title_before_body(struct site *s)
{
	struct resp	 r = { 0 };
	long		 in_title, in_body;

	article(s, "Notes from the coast",
	    "We saw a zephyrine heron, then another zephyrine heron.", NULL,
	    NULL);
	article(s, "The zephyrine season", "A short note.", NULL, NULL);
	if (!CHECK_GET(s, "/search/?q=zephyrine", 200, &r))
		return;
	in_title = pos(&r, "/articles/the-zephyrine-season/");
	in_body = pos(&r, "/articles/notes-from-the-coast/");
	CHECK(in_title >= 0 && in_body >= 0, "both articles found");
	CHECK(in_title < in_body, "the title match comes first");
	CHECK_CONTAINS(r.body, "<mark>zephyrine</mark>", "highlighted");
	CHECK_CONTAINS(r.body, "Results for", "the heading");
	resp_free(&r);
}

static void
test_search_snippet_escapes_stored_html(struct site *s)
{
	struct resp	 r = { 0 };

	article(s, "Markup in the body",
	    "Some <script>alert(1)</script> text about quokkas.", NULL, NULL);
	if (!CHECK_GET(s, "/search/?q=quokkas", 200, &r))
		return;
	CHECK_CONTAINS(r.body, "<mark>quokkas</mark>", "the snippet");
	CHECK_CONTAINS(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;",
	    "the stored tag, escaped");
	CHECK_NOT_CONTAINS(r.body, "<script>alert", "no live script");
	resp_free(&r);
}

static void
test_search_bad_syntax_is_friendly(struct site *s)
{
	static const char *const q[] = {
		"%22unclosed", "AND", "foo(", "NEAR(", "%5E", "%2A", "OR%20OR",
		"title%3A", "nosuch%3Acolumn",
	};
	struct resp	 r = { 0 };

	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		char	*path = str_printf("/search/?q=%s", q[i]);

		if (CHECK_GET(s, path, 200, &r))
			CHECK_CONTAINS(r.body, "No results for", "%s", path);
		free(path);
	}
	/* Refused as typed, found once quoted. */
	article(s, "Covid-19 and the ferry", "It's back.", NULL, NULL);
	if (CHECK_GET(s, "/search/?q=covid-19", 200, &r))
		CHECK_CONTAINS(r.body, "/articles/covid-19-and-the-ferry/",
		    "covid-19 found");
	if (CHECK_GET(s, "/search/?q=%22unclosed+ferry", 200, &r))
		CHECK_CONTAINS(r.body, "No results for", "a missing word");
	resp_free(&r);
}

static void
test_search_escapes_the_query(struct site *s)
{
	struct resp	 r = { 0 };

	if (!CHECK_GET(s, "/search/?q=%3Cb%3Ebold%3C%2Fb%3E%22%3E%3Cscript%3E",
	    200, &r))
		return;
	CHECK_NOT_CONTAINS(r.body, "<b>bold</b>", "the query as HTML");
	CHECK_NOT_CONTAINS(r.body, "\"><script>", "the query as HTML");
	CHECK_CONTAINS(r.body, "&lt;b&gt;bold&lt;/b&gt;", "the query escaped");
	CHECK_CONTAINS(r.body, "value=\"&lt;b&gt;bold&lt;/b&gt;&quot;&gt;",
	    "the input keeps the query, escaped");
	resp_free(&r);
}

static void
test_search_paginates(struct site *s)
{
	struct resp	 r = { 0 };
	char		 long_q[300];

	for (int i = 0; i < 21; i++) {
		char	*t = str_printf("Pangolin report %d", i + 1);

		article(s, t, "Scales and more.", NULL, NULL);
		free(t);
	}
	if (CHECK_GET(s, "/search/?q=pangolin", 200, &r)) {
		CHECK_INT(resp_count(&r, "class=\"search-result\""), 20,
		    "results on page 1");
		CHECK_CONTAINS(r.body, "href=\"/search/?q=pangolin&amp;page=2\"",
		    "the next page");
	}
	if (CHECK_GET(s, "/search/?q=pangolin&page=2", 200, &r)) {
		CHECK_INT(resp_count(&r, "class=\"search-result\""), 1,
		    "results on page 2");
		CHECK_CONTAINS(r.body, "start=\"21\"", "numbered on");
		CHECK_NOT_CONTAINS(r.body, "rel=\"next\"", "no page 3");
	}
	if (CHECK_GET(s, "/search/?q=pangolin&page=3", 200, &r))
		CHECK_CONTAINS(r.body, "No more results", "past the end");
	CHECK_GET(s, "/search/?q=pangolin&page=0", 400, &r);
	CHECK_GET(s, "/search/?q=pangolin&page=51", 400, &r);
	if (CHECK_GET(s, "/search/?q=pangolin&page=x", 400, &r))
		CHECK_CONTAINS(r.body, "from 1 to 50", "the reason");
	memset(long_q, 'a', 201);
	long_q[201] = '\0';
	{
		char	*path = str_printf("/search/?q=%s", long_q);

		if (CHECK_GET(s, path, 400, &r))
			CHECK_CONTAINS(r.body, "at most 200 characters",
			    "the reason");
		long_q[200] = '\0';
		free(path);
		path = str_printf("/search/?q=%s", long_q);
		CHECK_GET(s, path, 200, &r);
		free(path);
	}
	resp_free(&r);
}

/* ---- feeds ---------------------------------------------------------------- */

static void
test_site_feed_is_wellformed_atom(struct site *s)
{
	struct resp	 r = { 0 };

	article(s, "Feeds & <things>", "Body with **bold** and "
	    "[a link](/articles/x/).", NULL, NULL);
	if (!CHECK_GET(s, "/feed/", 200, &r))
		return;
	CHECK_STR(resp_header(&r, "Content-Type"), ATOM, "Content-Type");
	xml_ok(r.body, r.len, "/feed/");
	CHECK_CONTAINS(r.body, "<feed xmlns=\"http://www.w3.org/2005/Atom\"",
	    "/feed/");
	CHECK_CONTAINS(r.body, "<link rel=\"self\" type=\"application/atom+xml"
	    "\" href=\"" SITE_URL "/feed/\"/>", "self link");
	CHECK_CONTAINS(r.body, "href=\"" SITE_URL "/articles/feeds-and-things/\"",
	    "absolute entry link");
	CHECK_NOT_CONTAINS(r.body, "href=\"/", "no relative link");
	CHECK_CONTAINS(r.body, "<title>Feeds &amp; &lt;things&gt;</title>",
	    "escaped title");
	CHECK_CONTAINS(r.body, "&lt;strong&gt;bold&lt;/strong&gt;",
	    "content as escaped HTML");
	CHECK_INT(resp_count(&r, "<entry>"), 20, "20 newest entries");
	CHECK_CONTAINS(r.body, "<updated>", "updated");
	resp_free(&r);
}

static void
test_feed_answers_304_to_conditional_get(struct site *s)
{
	struct resp	 r = { 0 }, c = { 0 };
	const char	*etag;

	if (!CHECK_GET(s, "/feed/", 200, &r))
		return;
	etag = resp_header(&r, "ETag");
	if (!CHECK(etag != NULL, "the feed has an ETag")) {
		resp_free(&r);
		return;
	}
	http_get_if_none_match(s, "/feed/", etag, &c);
	CHECK_STATUS(&c, 304, "GET", "/feed/ with If-None-Match");
	CHECK_INT((long long)c.len, 0, "no body with the 304");
	resp_free(&c);
	resp_free(&r);
}

static void
test_entry_id_survives_slug_change(struct site *s)
{
	struct resp	 r = { 0 };
	char		*before = NULL, *after = NULL, *ids;
	char		*when = str_printf("%lld", (long long)time(NULL) - 60);
	long long	 id;

	id = article(s, "Renamed soon", "Old body.", NULL, NULL);
	if (CHECK_GET(s, "/feed/", 200, &r))
		before = entry_id(r.body, SITE_URL "/articles/renamed-soon/");
	CHECK(before != NULL && strncmp(before, "tag:news.example.test,", 22)
	    == 0, "a tag URI id (%s)", before != NULL ? before : "none");
	ids = str_printf("%lld", id);
	site_save_article(s, "id", ids, "title", "Renamed now", "slug",
	    "renamed-now", "body", "New body.", "status", "published",
	    "publish_at", when, (char *)NULL);
	if (CHECK_GET(s, "/feed/", 200, &r))
		after = entry_id(r.body, SITE_URL "/articles/renamed-now/");
	CHECK(before != NULL && after != NULL && strcmp(before, after) == 0,
	    "the entry id is kept (%s, %s)", before ? before : "none",
	    after ? after : "none");
	free(before);
	free(after);
	free(ids);
	free(when);
	resp_free(&r);
}

static void
test_tag_author_and_comment_feeds(struct site *s)
{
	struct browser	 b;
	struct resp	 r = { 0 };
	int		 st;

	CHECK_INT(site_create_user(s, "alice", "alice@example.org", PW), 0,
	    "createsuperuser alice");
	article(s, "Night trains across the north", "Sleepers.",
	    "Night Trains, Ferries", "alice");
	if (CHECK_GET(s, "/tags/night-trains/feed/", 200, &r)) {
		CHECK_STR(resp_header(&r, "Content-Type"), ATOM, "tag feed");
		xml_ok(r.body, r.len, "the tag feed");
		CHECK_CONTAINS(r.body, "Night trains across the north",
		    "the tag feed");
		CHECK_NOT_CONTAINS(r.body, "Pangolin", "the tag feed");
		CHECK_CONTAINS(r.body, "href=\"" SITE_URL "/tags/night-trains/"
		    "feed/\"", "the tag feed's self link");
	}
	if (CHECK_GET(s, "/authors/alice/feed/", 200, &r)) {
		xml_ok(r.body, r.len, "the author feed");
		CHECK_CONTAINS(r.body, "Night trains across the north",
		    "the author feed");
		CHECK_CONTAINS(r.body, "<uri>" SITE_URL "/authors/alice/</uri>",
		    "the author's page");
		CHECK_NOT_CONTAINS(r.body, "alice@example.org", "no email");
	}
	CHECK_GET(s, "/tags/no-such-tag/feed/", 404, &r);
	CHECK_GET(s, "/authors/nobody/feed/", 404, &r);
	CHECK_GET(s, "/articles/no-such-article/feed/", 404, &r);

	/* A guest's comment, approved at once (no moderation), then the
	 * article's comment feed. */
	site_settings(s, "comment_moderation", "none", "comment_min_seconds",
	    "0", (char *)NULL);
	browser_init(&b, s, true);
	st = browser_post_form(&b, "/articles/night-trains-across-the-north/"
	    "comments/", "/articles/night-trains-across-the-north/", &r,
	    "name", "Grace <H>", "email", "grace@example.org",
	    "body", "Lovely & <b>loud</b>.", (char *)NULL);
	CHECK_INT(st, 303, "the comment is posted");
	browser_free(&b);
	if (CHECK_GET(s, "/articles/night-trains-across-the-north/feed/", 200,
	    &r)) {
		xml_ok(r.body, r.len, "the comment feed");
		CHECK_CONTAINS(r.body, "<name>Grace &lt;H&gt;</name>",
		    "the commenter's name");
		CHECK_CONTAINS(r.body, "#comment-", "a link to the comment");
		CHECK_NOT_CONTAINS(r.body, "grace@example.org", "no email");
		CHECK_NOT_CONTAINS(r.body, "<b>", "no live markup");
	}
	resp_free(&r);
}

/* ---- the sitemap index ---------------------------------------------------- */

static void
test_sitemap_index_past_the_limit(struct site *s)
{
	struct resp	 r = { 0 }, p = { 0 };
	char		**parts = NULL, **urls;
	size_t		 nparts, nurls;
	bool		 home = false, tag = false, author = false,
			 article_seen = false;

	if (!CHECK_GET(s, "/sitemap.xml", 200, &r))
		return;
	CHECK_CONTAINS(r.body, "<sitemapindex", "an index past 10 URLs");
	xml_ok(r.body, r.len, "/sitemap.xml (index)");
	nparts = locs(r.body, &parts);
	CHECK(nparts >= 4, "at least four parts (%zu)", nparts);
	CHECK_INT(resp_count(&r, "<lastmod>"), (long long)nparts,
	    "a lastmod for each part");
	for (size_t i = 0; i < nparts; i++) {
		const char	*path = parts[i] + strlen(SITE_URL);

		if (!CHECK(strncmp(parts[i], SITE_URL "/sitemaps/",
		    strlen(SITE_URL "/sitemaps/")) == 0, "part URL %s",
		    parts[i]))
			continue;
		if (!CHECK_GET(s, path, 200, &p))
			continue;
		xml_ok(p.body, p.len, path);
		nurls = locs(p.body, &urls);
		CHECK(nurls >= 1 && nurls <= 10, "%s holds 1 to 10 URLs (%zu)",
		    path, nurls);
		for (size_t k = 0; k < nurls; k++) {
			CHECK(strncmp(urls[k], SITE_URL "/", strlen(SITE_URL
			    "/")) == 0, "absolute URL %s", urls[k]);
			home |= strcmp(urls[k], SITE_URL "/") == 0;
			tag |= strcmp(urls[k], SITE_URL "/tags/night-trains/")
			    == 0;
			author |= strcmp(urls[k], SITE_URL "/authors/alice/")
			    == 0;
			article_seen |= strcmp(urls[k], SITE_URL
			    "/articles/renamed-now/") == 0;
		}
		locs_free(urls, nurls);
	}
	CHECK(home && tag && author && article_seen,
	    "the parts list the home page (%d), a tag (%d), an author (%d)"
	    " and an article (%d)", home, tag, author, article_seen);
	CHECK_GET(s, "/sitemaps/999/", 404, &p);
	locs_free(parts, nparts);
	resp_free(&p);
	resp_free(&r);
}

int
main(void)
{
	struct site		 s;
	struct site_opts	 o = {
		.workers = 2,
		.extra_ini = "[site]\nsite_url = " SITE_URL "\n"
		    "sitemap_urls = 10\n",
	};

	harness_init("017_search_feeds");
	if (harness_tempdir(tmpdir, sizeof(tmpdir)) != 0)
		return harness_finish();
	if (site_start(&s, &o) == 0) {
		RUN(test_sitemap_of_empty_site_is_one_urlset, &s);
		RUN(test_robots_txt, &s);
		RUN(test_search_page_has_form_and_feed_link, &s);
		RUN(test_search_ranks_title_before_body, &s);
		RUN(test_search_snippet_escapes_stored_html, &s);
		RUN(test_search_bad_syntax_is_friendly, &s);
		RUN(test_search_escapes_the_query, &s);
		RUN(test_search_paginates, &s);
		RUN(test_site_feed_is_wellformed_atom, &s);
		RUN(test_feed_answers_304_to_conditional_get, &s);
		RUN(test_entry_id_survives_slug_change, &s);
		RUN(test_tag_author_and_comment_feeds, &s);
		RUN(test_sitemap_index_past_the_limit, &s);
		CHECK_LOG_CLEAN(&s);
		CHECK_INT(site_stop(&s), 0, "gazette's exit status");
	}
	return harness_finish();
}
