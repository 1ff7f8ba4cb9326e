/*
 * 015_articles: the reader's paths through nginx: the home page with
 * authors, tags and comment counts, an article, a tag, an author, a
 * month of the archive and a static page, each with its 404s and 400s;
 * keyset pagination on a tag; previews (the author and editors see them,
 * anybody else gets 404); a scheduled article appearing by itself when
 * due; an old slug answering 301; conditional GETs (304, then a new
 * ETag once the content changes); logged-in pages kept private.
 *
 * The site is seeded (authors, tags, pages, articles with comments);
 * the articles of a case come from the test-only POST /__test/articles/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

#define ARTICLES	30
#define PW		"Correct-Horse-42-battery"

/* ---- helpers ------------------------------------------------------------- */

/* "%lld" of now + delta, malloc'd. */
static char *
at(long delta)
{
	return str_printf("%lld", (long long)time(NULL) + delta);
}

/* The first link on a page starting with prefix, malloc'd, or NULL. */
static char *
first_link(const struct resp *r, const char *prefix)
{
	char	**v = NULL, *first = NULL;
	size_t	 n = html_hrefs(r->body != NULL ? r->body : "", prefix, &v);

	if (n > 0)
		first = strdup(v[0]);
	html_hrefs_free(v, n);
	return first;
}

static char *
first_article(const struct resp *r)
{
	return first_link(r, "/articles/");
}

/* ---- the home page and an article ------------------------------------- */

static void
test_home_shows_authors_tags_and_comment_counts(struct site *s)
{
	struct resp	 r = { 0 };

	if (!CHECK_GET(s, "/", 200, &r))
		goto out;
	CHECK_INT(resp_count(&r, "<article"), 20, "<article elements on /");
	CHECK_CONTAINS(r.body, "<h1>Latest articles</h1>", "/");
	CHECK_CONTAINS(r.body, "href=\"/authors/", "author links on /");
	CHECK_CONTAINS(r.body, "rel=\"tag\"", "tag links on /");
	CHECK_CONTAINS(r.body, " comments", "comment counts on /");
	CHECK_CONTAINS(r.body, "<time datetime=\"", "dates on /");
	CHECK_CONTAINS(r.body, "aria-label=\"More articles\"", "the pager");
	CHECK(resp_header(&r, "ETag") != NULL, "/ has an ETag");
	CHECK_CONTAINS(resp_header(&r, "Cache-Control"), "public",
	    "Cache-Control of / for anonymous visitors");
	if (CHECK_GET(s, "/?before=abc", 400, &r))
		CHECK_CONTAINS(r.body, "Older articles", "the 400 explains");
	CHECK_GET(s, "/?before=1700000000-0", 400, &r);
	if (CHECK_GET(s, "/?before=1-1", 200, &r))
		CHECK_CONTAINS(r.body, "There are no older articles.",
		    "the empty state past the end");
out:
	resp_free(&r);
}

static void
test_article_shows_author_tags_and_comments(struct site *s)
{
	struct resp	 home = { 0 }, r = { 0 }, au = { 0 };
	char		*link = NULL, *author = NULL;

	if (!CHECK_GET(s, "/", 200, &home))
		goto out;
	if (!CHECK((link = first_article(&home)) != NULL, "an article link"))
		goto out;
	if (!CHECK_GET(s, link, 200, &r))
		goto out;
	CHECK_CONTAINS(r.body, "class=\"prose\"", "the body on %s", link);
	CHECK_CONTAINS(r.body, "rel=\"author\"", "the author on %s", link);
	CHECK_CONTAINS(r.body, "rel=\"tag\"", "the tags on %s", link);
	CHECK_CONTAINS(r.body, "href=\"/archive/", "the month on %s", link);
	CHECK_CONTAINS(r.body, "id=\"comments\"", "the comments on %s", link);
	CHECK(resp_header(&r, "ETag") != NULL, "%s has an ETag", link);
	author = first_link(&r, "/authors/");
	if (CHECK(author != NULL, "the author link on %s", link) &&
	    CHECK_GET(s, author, 200, &au))
		CHECK_CONTAINS(au.body, "class=\"list-header__intro\"",
		    "the bio on %s", author);
out:
	free(link);
	free(author);
	resp_free(&home);
	resp_free(&r);
	resp_free(&au);
}

static void
test_unknown_article_is_404(struct site *s)
{
	struct resp	 r = { 0 };

	if (CHECK_GET(s, "/articles/no-such-thing/", 404, &r))
		CHECK_CONTAINS(r.body, "<h1>404 Not Found</h1>", "404 page");
	CHECK_GET(s, "/articles/%27%20OR%201%3D1/", 404, &r);
	resp_free(&r);
}

/* ---- tags, authors, months ------------------------------------------- */

static void
test_tag_page_lists_its_articles(struct site *s)
{
	struct resp	 r = { 0 };

	if (CHECK_GET(s, "/tags/transport/", 200, &r)) {
		CHECK_CONTAINS(r.body, "<h1>Transport</h1>", "the tag's name");
		CHECK_CONTAINS(r.body, "Trams, ferries, railways and canals.",
		    "the tag's description");
		CHECK(resp_count(&r, "<article") > 0, "articles tagged "
		    "Transport");
		CHECK_CONTAINS(r.body, "<title>Transport ·", "the title");
	}
	CHECK_GET(s, "/tags/no-such-tag/", 404, &r);
	if (CHECK_GET(s, "/tags/transport/?before=yesterday", 400, &r))
		CHECK_CONTAINS(r.body, "1700000000-42", "the 400 explains");
	resp_free(&r);
}

static void
test_tag_pages_paginate_by_keyset(struct site *s)
{
	struct resp	 r1 = { 0 }, r2 = { 0 };
	char		*older = NULL, *when;

	for (int i = 0; i < 22; i++) {
		char	*title = str_printf("Paged article %d", i);

		when = at(-86400 * 400 - 60 * i);
		site_save_article(s, "title", title, "status", "published",
		    "publish_at", when, "tags", "Pager test", "body", "Text.",
		    (char *)NULL);
		free(when);
		free(title);
	}
	if (!CHECK_GET(s, "/tags/pager-test/", 200, &r1))
		goto out;
	CHECK_INT(resp_count(&r1, "<article"), 20, "first page of the tag");
	CHECK_CONTAINS(r1.body, "Paged article 0<", "the newest first");
	older = str_between(r1.body, "class=\"pager__older\" href=\"", "\"");
	if (!CHECK(older != NULL && strncmp(older, "/tags/pager-test/?before=",
	    25) == 0, "Older link (%s)", older != NULL ? older : "none"))
		goto out;
	if (!CHECK_GET(s, older, 200, &r2))
		goto out;
	CHECK_INT(resp_count(&r2, "<article"), 2, "second page of the tag");
	CHECK_CONTAINS(r2.body, "Paged article 21<", "the oldest last");
	CHECK_CONTAINS(r2.body, "class=\"pager__newer\" href=\"/tags/"
	    "pager-test/\"", "the way back");
	CHECK_NOT_CONTAINS(r2.body, "pager__older", "the last page");
out:
	free(older);
	resp_free(&r1);
	resp_free(&r2);
}

static void
test_author_page_shows_bio_and_articles(struct site *s)
{
	struct resp	 r = { 0 };

	if (CHECK_GET(s, "/authors/maria.keller/", 200, &r)) {
		CHECK_CONTAINS(r.body, "<h1>Maria Keller</h1>", "the name");
		CHECK_CONTAINS(r.body, "transport planner", "the bio");
		CHECK(resp_count(&r, "<article") > 0, "her articles");
	}
	CHECK_GET(s, "/authors/nobody.at.all/", 404, &r);
	if (CHECK_GET(s, "/authors/Maria.Keller/", 301, &r))
		CHECK_CONTAINS(resp_header(&r, "Location"),
		    "/authors/maria.keller/", "the canonical URL");
	CHECK_GET(s, "/authors/maria.keller/?before=1-x", 400, &r);
	resp_free(&r);
}

static void
test_commenters_have_no_author_page(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };

	if (browser_init_signed_up(&c, s, "just.a.reader", PW))
		CHECK_GET(s, "/authors/just.a.reader/", 404, &r);
	browser_free(&c);
	resp_free(&r);
}

static void
test_archive_month_lists_that_month(struct site *s)
{
	struct resp	 r = { 0 };
	char		*when = NULL;
	time_t		 t = (time_t)1709251200 + 86400 * 10;	/* 11 Mar 2024 */

	when = str_printf("%lld", (long long)t);
	site_save_article(s, "title", "Spring in the archive", "status",
	    "published", "publish_at", when, "body", "Text.", (char *)NULL);
	if (CHECK_GET(s, "/archive/2024/03/", 200, &r)) {
		CHECK_CONTAINS(r.body, "<h1>Articles from March 2024</h1>",
		    "the heading");
		CHECK_CONTAINS(r.body, "Spring in the archive", "its article");
		CHECK_CONTAINS(r.body, "href=\"/archive/2024/02/\"",
		    "the earlier month");
	}
	if (CHECK_GET(s, "/archive/2024/3/", 200, &r))
		CHECK_CONTAINS(r.body, "Spring in the archive", "/2024/3/");
	if (CHECK_GET(s, "/archive/1971/01/", 200, &r))
		CHECK_CONTAINS(r.body, "No articles were published in January "
		    "1971.", "an empty month");
	if (CHECK_GET(s, "/archive/2024/13/", 400, &r))
		CHECK_CONTAINS(r.body, "a month from 1 to 12", "the 400 says");
	CHECK_GET(s, "/archive/2024/0/", 400, &r);
	CHECK_GET(s, "/archive/1969/12/", 400, &r);
	CHECK_GET(s, "/archive/10000/1/", 400, &r);
	CHECK_GET(s, "/archive/99999999999999999999/1/", 404, &r);
	CHECK_GET(s, "/archive/2024/03/?before=12", 400, &r);
	free(when);
	resp_free(&r);
}

/* ---- static pages ----------------------------------------------------- */

static void
test_static_pages(struct site *s)
{
	struct resp	 r = { 0 };

	if (CHECK_GET(s, "/about/", 200, &r)) {
		CHECK_CONTAINS(r.body, "<h1>About</h1>", "/about/");
		CHECK_NOT_CONTAINS(r.body, "id=\"comments\"", "no comments");
	}
	CHECK_GET(s, "/contact/", 200, &r);
	CHECK_GET(s, "/no-such-page/", 404, &r);
	site_save_article(s, "kind", "page", "title", "Imprint", "slug",
	    "imprint", "status", "draft", "body", "Who we are.", (char *)NULL);
	CHECK_GET(s, "/imprint/", 404, &r);
	site_save_article(s, "kind", "page", "title", "Colophon", "status",
	    "published", "body", "Set in *system fonts*.", (char *)NULL);
	if (CHECK_GET(s, "/colophon/", 200, &r))
		CHECK_CONTAINS(r.body, "<em>system fonts</em>", "the body");
	/* A page is not an article, nor an article a page. */
	CHECK_GET(s, "/articles/colophon/", 404, &r);
	/* Every page's footer links the public pages, never a draft. */
	if (CHECK_GET(s, "/", 200, &r)) {
		char *nav = strstr(r.body, "<nav class=\"footer-nav\"");

		REQUIRE(nav != NULL, "the footer lists the pages");
		CHECK_CONTAINS(nav, "<a href=\"/about/\">About</a>", "about");
		CHECK_CONTAINS(nav, "<a href=\"/colophon/\">Colophon</a>",
		    "a new page");
		CHECK_NOT_CONTAINS(nav, "/imprint/", "not a draft");
	}
	if (CHECK_GET(s, "/colophon/", 200, &r))
		CHECK_CONTAINS(r.body, "<a href=\"/colophon/\" "
		    "aria-current=\"page\">Colophon</a>", "the current page");
	resp_free(&r);
}

static void
test_save_hook_refuses_with_field_and_message(struct site *s)
{
	struct resp	 r = { 0 };

	if (site_post_form(s, "/__test/articles/", &r, "status", "draft",
	    (char *)NULL) == 400)
		CHECK_STR(r.body, "title: This field is required.\n", "body");
	else
		CHECK_STATUS(&r, 400, "POST", "/__test/articles/ untitled");
	site_post_form(s, "/__test/articles/", &r, "title", "x", "status",
	    "draft", "id", "abc", (char *)NULL);
	CHECK_STATUS(&r, 400, "POST", "/__test/articles/ id=abc");
	CHECK_CONTAINS(r.body, "id: ", "the field");
	site_post_form(s, "/__test/articles/", &r, "title", "x", "status",
	    "gone", (char *)NULL);
	CHECK_CONTAINS(r.body, "status: ", "a bad status");
	site_post_form(s, "/__test/articles/", &r, "kind", "page", "title", "x",
	    "slug", "admin", "status", "draft", (char *)NULL);
	CHECK_CONTAINS(r.body, "slug: ", "a reserved page slug");
	site_post_form(s, "/__test/articles/", &r, "title", "x", "status",
	    "draft", "author", "nobody.here", (char *)NULL);
	CHECK_CONTAINS(r.body, "author: ", "an unknown author");
	CHECK_CONTAINS(resp_header(&r, "Content-Type"), "text/plain",
	    "Content-Type");
	resp_free(&r);
}

/* ---- previews --------------------------------------------------------- */

static void
test_preview_only_for_author_and_editors(struct site *s)
{
	struct browser	 writer, other, editor;
	struct resp	 r = { 0 };
	char		*path = NULL, *later = at(86400);
	long long	 id, sched;
	bool		 ok;

	ok = browser_init_signed_up(&writer, s, "writer.one", PW) &&
	    browser_init_signed_up(&other, s, "other.one", PW);
	browser_init(&editor, s, true);
	CHECK_INT(site_create_user(s, "editor.one", NULL, PW), 0,
	    "createsuperuser editor.one");
	CHECK_INT(browser_login(&editor, "editor.one", PW, NULL, false, &r),
	    303, "editor logs in");
	if (!ok)
		goto out;
	id = site_save_article(s, "title", "Secret draft", "status", "draft",
	    "author", "writer.one", "body", "Not yet.", (char *)NULL);
	path = str_printf("/articles/%lld/preview/", id);
	CHECK_GET(s, path, 404, &r);
	CHECK_GET(s, "/articles/secret-draft/", 404, &r);
	browser_get(&other, path, &r);
	CHECK_STATUS(&r, 404, "GET (another user)", path);
	browser_get(&writer, path, &r);
	if (CHECK_STATUS(&r, 200, "GET (its author)", path)) {
		CHECK_CONTAINS(r.body, "Preview — not published", "banner");
		CHECK_CONTAINS(r.body, "Status: draft", "the status");
		CHECK_CONTAINS(r.body, "<h1>Secret draft</h1>", "the title");
		CHECK_STR(resp_header(&r, "X-Robots-Tag"), "noindex",
		    "X-Robots-Tag");
		CHECK_CONTAINS(resp_header(&r, "Cache-Control"), "private",
		    "Cache-Control of a preview");
		CHECK(resp_header(&r, "ETag") == NULL, "no ETag on a preview");
	}
	browser_get(&editor, path, &r);
	CHECK_STATUS(&r, 200, "GET (an editor)", path);
	sched = site_save_article(s, "title", "Scheduled one", "status",
	    "published", "publish_at", later, "author", "writer.one",
	    (char *)NULL);
	free(path);
	path = str_printf("/articles/%lld/preview/", sched);
	browser_get(&writer, path, &r);
	if (CHECK_STATUS(&r, 200, "GET (its author)", path))
		CHECK_CONTAINS(r.body, "Status: scheduled for <time", "when");
	CHECK_GET(s, "/articles/999999/preview/", 404, &r);
	browser_get(&editor, "/articles/999999/preview/", &r);
	CHECK_STATUS(&r, 404, "GET (an editor)", "an unknown preview");
out:
	free(path);
	free(later);
	browser_free(&writer);
	browser_free(&other);
	browser_free(&editor);
	resp_free(&r);
}

/* ---- time, slugs, caching --------------------------------------------- */

static void
test_scheduled_article_appears_when_due(struct site *s)
{
	struct resp	 r = { 0 };
	char		*when = at(2), *first = NULL;

	site_save_article(s, "title", "Appearing by itself", "slug",
	    "appearing", "status", "published", "publish_at", when,
	    (char *)NULL);
	CHECK_GET(s, "/articles/appearing/", 404, &r);
	if (CHECK_GET(s, "/", 200, &r))
		CHECK_NOT_CONTAINS(r.body, "/articles/appearing/", "/ before");
	msleep(3000);
	CHECK_GET(s, "/articles/appearing/", 200, &r);
	if (CHECK_GET(s, "/", 200, &r)) {
		first = first_article(&r);
		CHECK_STR(first, "/articles/appearing/", "the newest on /");
	}
	free(first);
	free(when);
	resp_free(&r);
}

static void
test_old_slug_redirects_to_the_new_one(struct site *s)
{
	struct resp	 r = { 0 };
	char		*id;
	long long	 n;

	n = site_save_article(s, "title", "Before the rename", "slug",
	    "before-rename", "status", "published", "publish_at", "1600000000",
	    (char *)NULL);
	id = str_printf("%lld", n);
	site_save_article(s, "id", id, "title", "After the rename", "slug",
	    "after-rename", "status", "published", (char *)NULL);
	if (CHECK_GET(s, "/articles/before-rename/", 301, &r))
		CHECK_CONTAINS(resp_header(&r, "Location"),
		    "/articles/after-rename/", "Location");
	if (CHECK_GET(s, "/articles/after-rename/", 200, &r))
		CHECK_CONTAINS(r.body, "<h1>After the rename</h1>", "renamed");
	free(id);
	resp_free(&r);
}

/* The id of the article the conditional GET case edits, as text. */
static char	 cached_id[32];

/* 304 for the ETag path gave, then after change() a 200, new ETag. */
static void
check_conditional(struct site *s, const char *path,
    void (*change)(struct site *))
{
	struct resp	 r = { 0 };
	char		*etag = NULL;

	if (!CHECK_GET(s, path, 200, &r) ||
	    !CHECK(resp_header(&r, "ETag") != NULL, "%s has an ETag", path))
		goto out;
	etag = strdup(resp_header(&r, "ETag"));
	CHECK(resp_header(&r, "Last-Modified") != NULL, "Last-Modified");
	http_get_if_none_match(s, path, etag, &r);
	if (CHECK_STATUS(&r, 304, "GET (If-None-Match)", path))
		CHECK_INT(r.len, 0, "no body with the 304");
	change(s);
	http_get_if_none_match(s, path, etag, &r);
	if (CHECK_STATUS(&r, 200, "GET (If-None-Match, changed)", path))
		CHECK(resp_header(&r, "ETag") != NULL &&
		    strcmp(resp_header(&r, "ETag"), etag) != 0,
		    "a new ETag for %s", path);
out:
	free(etag);
	resp_free(&r);
}

static void
add_article(struct site *s)
{
	site_save_article(s, "title", "Something new", "status", "published",
	    (char *)NULL);
}

static void
edit_cached(struct site *s)
{
	site_save_article(s, "id", cached_id, "title", "Edited for the cache",
	    "status", "published", (char *)NULL);
}

static void
test_conditional_gets_answer_304_until_content_changes(struct site *s)
{
	long long	 id;

	check_conditional(s, "/", add_article);
	check_conditional(s, "/tags/transport/", add_article);
	id = site_save_article(s, "title", "Cache me", "slug", "cache-me",
	    "status", "published", "publish_at", "1600000000", (char *)NULL);
	snprintf(cached_id, sizeof(cached_id), "%lld", id);
	check_conditional(s, "/articles/cache-me/", edit_cached);
	check_conditional(s, "/about/", add_article);
}

static void
test_logged_in_pages_are_private(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };

	if (!browser_init_signed_up(&c, s, "private.reader", PW))
		goto out;
	browser_get(&c, "/", &r);
	if (CHECK_STATUS(&r, 200, "GET (logged in)", "/")) {
		CHECK_CONTAINS(resp_header(&r, "Cache-Control"), "private",
		    "Cache-Control of / when logged in");
		CHECK(resp_header(&r, "ETag") == NULL, "no ETag when logged in");
	}
	browser_get(&c, "/articles/cache-me/", &r);
	CHECK_CONTAINS(resp_header(&r, "Cache-Control"), "private",
	    "Cache-Control of an article when logged in");
out:
	browser_free(&c);
	resp_free(&r);
}

int
main(void)
{
	struct site		 s;
	struct site_opts	 o = { .workers = 2, .articles = ARTICLES };

	harness_init("015_articles");
	if (site_start(&s, &o) == 0) {
		RUN(test_home_shows_authors_tags_and_comment_counts, &s);
		RUN(test_article_shows_author_tags_and_comments, &s);
		RUN(test_unknown_article_is_404, &s);
		RUN(test_tag_page_lists_its_articles, &s);
		RUN(test_tag_pages_paginate_by_keyset, &s);
		RUN(test_author_page_shows_bio_and_articles, &s);
		RUN(test_commenters_have_no_author_page, &s);
		RUN(test_archive_month_lists_that_month, &s);
		RUN(test_static_pages, &s);
		RUN(test_save_hook_refuses_with_field_and_message, &s);
		RUN(test_preview_only_for_author_and_editors, &s);
		RUN(test_scheduled_article_appears_when_due, &s);
		RUN(test_old_slug_redirects_to_the_new_one, &s);
		RUN(test_conditional_gets_answer_304_until_content_changes,
		    &s);
		RUN(test_logged_in_pages_are_private, &s);
		RUN(site_check_log, &s);
		CHECK_INT(site_stop(&s), 0, "gazette's exit status after "
		    "SIGTERM");
	}
	return harness_finish();
}
