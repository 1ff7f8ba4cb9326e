/*
 * test_feed: app/site/feed.c: the XML escaper (the five characters,
 * control characters dropped, bad UTF-8 replaced, good UTF-8 kept), the
 * RFC 3339 dates, absolute URLs, and the feeds themselves run through
 * the router on a migrated database: public articles only, absolute
 * links, content escaped, entry ids that survive a slug change, 404s,
 * and comment feeds that show names and never emails.  Also the
 * sitemaps (sitemap.c, which writes with the same escaper): what a
 * sitemap lists, its split into parts of at most sitemap_urls URLs, and
 * robots.txt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/db.h"
#include "core/http.h"
#include "core/router.h"
#include "site/feed.h"
#include "site/site.h"
#include "fixture.h"

Suite	*feed_suite(void);

static struct fixture_db	 fdb;
static struct req		 r;
static struct buf		 b;

static void
setup_pure(void)
{
	buf_init(&b);
	req_init(&r, &fixture_wide_limits);
}

static void
teardown_pure(void)
{
	buf_free(&b);
	req_free(&r);
}

static void
setup_db(void)
{
	setup_pure();
	fixture_db_open(&fdb);
	free(fdb.cfg.site_url);
	fdb.cfg.site_url = strdup("https://news.example.org/");
	config_set_current(&fdb.cfg);
	ck_assert_int_eq(router_init(site_routes), 0);
}

static void
teardown_db(void)
{
	config_set_current(NULL);
	fixture_db_close(&fdb);
	teardown_pure();
}

/* feed_xml_escape() of the n bytes of s, as a string in b. */
static const char *
esc(const char *s, size_t n)
{
	buf_reset(&b);
	feed_xml_escape(&b, s, n);
	buf_putc(&b, '\0');
	return b.ptr;
}

#define ESC(lit)	esc((lit), sizeof(lit) - 1)

/* GET path through the router on a fresh request: its status; the body
 * is in r.out. */
static int
get(const char *path)
{
	req_reset(&r);
	ck_assert_int_eq(fixture_get(&r, path), 0);
	return router_dispatch(&r);
}

static const char *
body(void)
{
	buf_putc(&r.out, '\0');
	r.out.len--;
	return r.out.ptr;
}

/* ---- the XML writer ------------------------------------------------------ */

START_TEST(test_feed_xml_escape_escapes_the_five)
{
	ck_assert_str_eq(ESC("a & b < c > d \" e ' f"),
	    "a &amp; b &lt; c &gt; d &quot; e &#39; f");
	ck_assert_str_eq(ESC("&amp;"), "&amp;amp;");
	ck_assert_str_eq(ESC(""), "");
	ck_assert_str_eq(ESC("plain text"), "plain text");
}
END_TEST

START_TEST(test_feed_xml_escape_drops_control_characters)
{
	ck_assert_str_eq(ESC("a\x01" "b\x08" "c\x0b" "d\x0c" "e\x1f" "f"),
	    "abcdef");
	ck_assert_str_eq(ESC("tab\there\nline\r\n"), "tab\there\nline\r\n");
	/* A NUL inside the length is dropped too. */
	ck_assert_uint_eq(strlen(esc("a\0b", 3)), 2);
	ck_assert_str_eq(esc("a\0b", 3), "ab");
	/* U+FFFE and U+FFFF are not XML characters either. */
	ck_assert_str_eq(ESC("x\xef\xbf\xbey\xef\xbf\xbfz"), "xyz");
	/* DEL and the C1 range are allowed in XML 1.0. */
	ck_assert_str_eq(ESC("\x7f\xc2\x85"), "\x7f\xc2\x85");
}
END_TEST

START_TEST(test_feed_xml_escape_replaces_invalid_utf8)
{
	/* Each byte that starts no well-formed sequence is one U+FFFD. */
	ck_assert_str_eq(ESC("a\xff" "b"), "a\xef\xbf\xbd" "b");
	ck_assert_str_eq(ESC("\x80"), "\xef\xbf\xbd");
	ck_assert_str_eq(ESC("\xc3"), "\xef\xbf\xbd");		/* cut short */
	ck_assert_str_eq(ESC("\xc3<"), "\xef\xbf\xbd&lt;");
	ck_assert_str_eq(ESC("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd");
	ck_assert_str_eq(ESC("\xe0\x80\xaf"),			/* overlong */
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	ck_assert_str_eq(ESC("\xed\xa0\x80"),			/* surrogate */
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	ck_assert_str_eq(ESC("\xf4\x90\x80\x80"),		/* > U+10FFFF */
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	ck_assert_str_eq(ESC("\xf0\x9f\x98"),			/* cut short */
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	ck_assert(util_is_utf8(b.ptr, strlen(b.ptr)));
}
END_TEST

START_TEST(test_feed_xml_escape_keeps_valid_utf8)
{
	ck_assert_str_eq(ESC("Tromsø, Kraków, € and \xf0\x9f\x98\x80"),
	    "Tromsø, Kraków, € and \xf0\x9f\x98\x80");
	ck_assert_str_eq(ESC("\xef\xbf\xbd"), "\xef\xbf\xbd");
	ck_assert_str_eq(ESC("\xf4\x8f\xbf\xbf"), "\xf4\x8f\xbf\xbf");
}
END_TEST

START_TEST(test_feed_date_is_rfc3339_utc)
{
	char	 d[FEED_DATE_SIZE];

	ck_assert_str_eq(feed_date(0, d), "1970-01-01T00:00:00Z");
	ck_assert_str_eq(feed_date(1795766400, d), "2026-11-27T08:00:00Z");
	ck_assert_str_eq(feed_date(951782400, d), "2000-02-29T00:00:00Z");
	ck_assert_str_eq(feed_date(1000000000, d), "2001-09-09T01:46:40Z");
	ck_assert_str_eq(feed_date(-5, d), "1970-01-01T00:00:00Z");
	ck_assert_str_eq(feed_date(INT64_MAX, d), "9999-12-31T23:59:59Z");
	ck_assert_uint_eq(strlen(d) + 1, FEED_DATE_SIZE);
}
END_TEST

START_TEST(test_feed_abs_url_joins_site_url_and_path)
{
	struct config	 c;

	memset(&c, 0, sizeof(c));
	c.site_url = "https://example.org//";
	config_set_current(&c);
	ck_assert_str_eq(feed_abs_url(&r, "/feed/"),
	    "https://example.org/feed/");
	c.site_url = "http://127.0.0.1:8080";
	ck_assert_str_eq(feed_abs_url(&r, "/"), "http://127.0.0.1:8080/");
	config_set_current(NULL);
}
END_TEST

/* ---- the feeds ----------------------------------------------------------- */

/* The text of the first <id> after the first <entry> of the body,
 * malloc'ed, or NULL. */
static char *
first_entry_id(void)
{
	const char	*e = strstr(body(), "<entry>"), *s, *t;

	if (e == NULL || (s = strstr(e, "<id>")) == NULL ||
	    (t = strstr(s, "</id>")) == NULL)
		return NULL;
	return strndup(s + 4, (size_t)(t - s - 4));
}

START_TEST(test_feed_site_lists_public_articles)
{
	long long	 a, draft;

	a = fixture_article(&r, "first", "First & <best>",
	    "<p>Body with <a href=\"/x/\">a link</a></p>");
	draft = fixture_article(&r, "draft", "Draft", "<p>no</p>");
	fixture_sql("UPDATE articles SET status = 'draft' WHERE id = ?1", 1,
	    draft);
	ck_assert_int_eq(get("/feed/"), 200);
	ck_assert_str_eq(r.content_type, "application/atom+xml; charset=utf-8");
	ck_assert(fixture_has(body(), "<?xml version=\"1.0\""));
	ck_assert(fixture_has(body(),
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\""));
	ck_assert(fixture_has(body(), "<title>First &amp; &lt;best&gt;</title>"));
	ck_assert(fixture_has(body(), "<link rel=\"alternate\" "
	    "type=\"text/html\" href=\"https://news.example.org/articles/first/\"/>"));
	ck_assert(fixture_has(body(), "<link rel=\"self\" type=\"application/"
	    "atom+xml\" href=\"https://news.example.org/feed/\"/>"));
	ck_assert(fixture_has(body(), "&lt;a href=&quot;/x/&quot;&gt;"));
	ck_assert(fixture_has(body(), "<updated>2001-09-09T01:46:40Z</updated>"));
	ck_assert(fixture_has(body(), "<summary>An excerpt.</summary>"));
	ck_assert(!fixture_has(body(), "Draft"));
	ck_assert(fixture_has(body(), "</feed>\n"));
	ck_assert_int_eq((int)strlen(body()), (int)r.out.len);
	(void)a;
}
END_TEST

START_TEST(test_feed_entry_id_survives_edit_and_slug_change)
{
	long long	 id;
	char		*before, *after, *want;

	id = fixture_article(&r, "old-slug", "Title", "<p>x</p>");
	ck_assert_int_eq(get("/feed/"), 200);
	before = first_entry_id();
	ck_assert_ptr_nonnull(before);
	ck_assert(asprintf(&want, "tag:news.example.org,2001-09-09:article/%lld",
	    id) > 0);
	ck_assert_str_eq(before, want);
	fixture_sql("UPDATE articles SET slug = 'new-slug', title = 'New',"
	    " updated_at = 1700000000 WHERE id = ?1", 1, id);
	ck_assert_int_eq(get("/feed/"), 200);
	after = first_entry_id();
	ck_assert_ptr_nonnull(after);
	ck_assert_str_eq(after, before);
	ck_assert(fixture_has(body(), "/articles/new-slug/"));
	ck_assert(fixture_has(body(), "<updated>2023-11-14T22:13:20Z</updated>"));
	free(before);
	free(after);
	free(want);
}
END_TEST

START_TEST(test_feed_empty_site_feed_is_well_formed)
{
	ck_assert_int_eq(get("/feed/"), 200);
	ck_assert(fixture_has(body(), "<updated>"));
	ck_assert(!fixture_has(body(), "<entry>"));
	ck_assert(fixture_has(body(), "</feed>"));
}
END_TEST

START_TEST(test_feed_unknown_tag_author_article_is_404)
{
	ck_assert_int_eq(get("/tags/nope/feed/"), 404);
	ck_assert_int_eq(get("/authors/nobody/feed/"), 404);
	ck_assert_int_eq(get("/articles/nothing/feed/"), 404);
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_feed_tag_feed_lists_tagged_articles)
{
	long long	 a, b2;

	a = fixture_article(&r, "tagged", "Tagged one", "<p>x</p>");
	b2 = fixture_article(&r, "other", "Other one", "<p>y</p>");
	fixture_sql("INSERT INTO tags (slug, name) VALUES ('port-life',"
	    " 'Port & life')", 0);
	fixture_sql("INSERT INTO article_tags (article_id, tag_id)"
	    " SELECT ?1, id FROM tags", 1, a);
	ck_assert_int_eq(get("/tags/port-life/feed/"), 200);
	ck_assert(fixture_has(body(), "Tagged one"));
	ck_assert(!fixture_has(body(), "Other one"));
	ck_assert(fixture_has(body(), ": Port &amp; life</title>"));
	ck_assert(fixture_has(body(), "<category term=\"port-life\" "
	    "label=\"Port &amp; life\"/>"));
	ck_assert(fixture_has(body(), "href=\"https://news.example.org/tags/"
	    "port-life/feed/\""));
	(void)b2;
}
END_TEST

START_TEST(test_feed_author_feed_lists_their_articles)
{
	long long	 a, b2;

	fixture_sql("INSERT INTO users (username, email, display_name,"
	    " date_joined) VALUES ('ada', 'ada@example.org', 'Ada L.', 1)", 0);
	a = fixture_article(&r, "by-ada", "By Ada", "<p>x</p>");
	b2 = fixture_article(&r, "by-none", "By nobody", "<p>y</p>");
	fixture_sql("UPDATE articles SET author_id = (SELECT id FROM users"
	    " WHERE username = 'ada') WHERE id = ?1", 1, a);
	ck_assert_int_eq(get("/authors/ada/feed/"), 200);
	ck_assert(fixture_has(body(), "By Ada"));
	ck_assert(!fixture_has(body(), "By nobody"));
	ck_assert(fixture_has(body(), "<author><name>Ada L.</name><uri>"
	    "https://news.example.org/authors/ada/</uri></author>"));
	ck_assert(!fixture_has(body(), "ada@example.org"));
	(void)b2;
}
END_TEST

START_TEST(test_feed_comments_show_names_never_emails)
{
	long long	 a;

	a = fixture_article(&r, "talk", "Talk", "<p>x</p>");
	fixture_sql("INSERT INTO comments (article_id, author_name,"
	    " author_email, body, body_html, status, created_at, updated_at)"
	    " VALUES (?1, 'Grace <H>', 'grace@example.org', 'Hi',"
	    " '<p>Hi &amp; bye</p>', 'approved', 1700000000, 1700000000)",
	    1, a);
	fixture_sql("INSERT INTO comments (article_id, author_name,"
	    " author_email, body, body_html, status, created_at, updated_at)"
	    " VALUES (?1, 'Spammer', 'spam@example.org', 'Buy',"
	    " '<p>Buy</p>', 'pending', 1700000001, 1700000001)", 1, a);
	ck_assert_int_eq(get("/articles/talk/feed/"), 200);
	ck_assert(fixture_has(body(), "<name>Grace &lt;H&gt;</name>"));
	ck_assert(fixture_has(body(), "&lt;p&gt;Hi &amp;amp; bye&lt;/p&gt;"));
	ck_assert(fixture_has(body(), "#comment-"));
	ck_assert(fixture_has(body(), ":comment/"));
	ck_assert(fixture_has(body(), "<updated>2023-11-14T22:13:20Z</updated>"));
	ck_assert(!fixture_has(body(), "grace@"));
	ck_assert(!fixture_has(body(), "Spammer"));
}
END_TEST

START_TEST(test_feed_answers_304_to_its_own_etag)
{
	const char	*etag;
	char		*copy;

	fixture_article(&r, "a", "A", "<p>x</p>");
	ck_assert_int_eq(get("/feed/"), 200);
	etag = http_get_header(&r, "ETag");
	ck_assert_ptr_nonnull(etag);
	copy = strdup(etag);
	req_reset(&r);
	ck_assert_int_eq(fixture_request(&r, "GET", "/feed/", NULL,
	    "If-None-Match", copy, NULL), 0);
	ck_assert_int_eq(router_dispatch(&r), 304);
	free(copy);
}
END_TEST

/* ---- sitemaps -------------------------------------------------------------- */

/* How many times needle occurs in the body. */
static int
count(const char *needle)
{
	int		 n = 0;
	const char	*p = body();

	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

START_TEST(test_sitemap_lists_public_urls_only)
{
	long long	 a, draft, page;

	fixture_sql("INSERT INTO users (username, email, date_joined) VALUES"
	    " ('writer', 'w@example.org', 1), ('reader', 'r@example.org', 1)",
	    0);
	a = fixture_article(&r, "visible", "Visible", "<p>x</p>");
	draft = fixture_article(&r, "hidden", "Hidden", "<p>x</p>");
	page = fixture_article(&r, "about", "About", "<p>x</p>");
	fixture_sql("UPDATE articles SET status = 'draft' WHERE id = ?1", 1,
	    draft);
	fixture_sql("UPDATE articles SET kind = 'page' WHERE id = ?1", 1, page);
	fixture_sql("UPDATE articles SET author_id = (SELECT id FROM users"
	    " WHERE username = 'writer'), updated_at = 1100000000"
	    " WHERE id = ?1", 1, a);
	fixture_sql("INSERT INTO tags (slug, name) VALUES ('used', 'Used'),"
	    " ('unused', 'Unused'), ('on-draft', 'On draft')", 0);
	fixture_sql("INSERT INTO article_tags (article_id, tag_id)"
	    " SELECT ?1, id FROM tags WHERE slug = 'used'", 1, a);
	fixture_sql("INSERT INTO article_tags (article_id, tag_id)"
	    " SELECT ?1, id FROM tags WHERE slug = 'on-draft'", 1, draft);
	ck_assert_int_eq(get("/sitemap.xml"), 200);
	ck_assert_str_eq(r.content_type, "application/xml; charset=utf-8");
	ck_assert(fixture_has(body(), "<urlset xmlns=\"http://www.sitemaps.org/"
	    "schemas/sitemap/0.9\">"));
	ck_assert(fixture_has(body(), "<url><loc>https://news.example.org/"
	    "</loc><lastmod>2004-11-09T11:33:20Z</lastmod></url>"));
	ck_assert(fixture_has(body(), "<loc>https://news.example.org/articles/"
	    "visible/</loc><lastmod>2004-11-09T11:33:20Z</lastmod>"));
	ck_assert(fixture_has(body(), "<loc>https://news.example.org/about/"
	    "</loc>"));
	ck_assert(fixture_has(body(), "<loc>https://news.example.org/tags/used/"
	    "</loc><lastmod>2001-09-09T01:46:40Z</lastmod>"));
	ck_assert(fixture_has(body(), "<loc>https://news.example.org/authors/"
	    "writer/</loc>"));
	ck_assert(!fixture_has(body(), "hidden"));
	ck_assert(!fixture_has(body(), "unused"));
	ck_assert(!fixture_has(body(), "on-draft"));
	ck_assert(!fixture_has(body(), "reader"));
	ck_assert_int_eq(count("<url>"), 5);
}
END_TEST

START_TEST(test_sitemap_splits_into_parts_past_the_limit)
{
	int	 urls = 0;

	fdb.cfg.sitemap_urls = 10;
	for (int i = 0; i < 25; i++) {
		char	 slug[16];

		snprintf(slug, sizeof(slug), "a%d", i + 1);
		fixture_article(&r, slug, slug, "<p>x</p>");
	}
	ck_assert_int_eq(get("/sitemap.xml"), 200);
	ck_assert(fixture_has(body(), "<sitemapindex"));
	/* Home, then ids 1-10, 11-20, 21-25. */
	ck_assert_int_eq(count("<sitemap>"), 4);
	ck_assert_int_eq(count("<lastmod>"), 4);
	ck_assert(fixture_has(body(), "<loc>https://news.example.org/sitemaps/"
	    "4/</loc>"));
	for (int n = 1; n <= 4; n++) {
		char	 path[32];

		snprintf(path, sizeof(path), "/sitemaps/%d/", n);
		ck_assert_int_eq(get(path), 200);
		ck_assert(fixture_has(body(), "<urlset"));
		ck_assert_int_le(count("<url>"), 10);
		urls += count("<url>");
	}
	ck_assert_int_eq(urls, 26);
	ck_assert_int_eq(get("/sitemaps/5/"), 404);
	ck_assert_int_eq(get("/sitemaps/0/"), 404);

	/* A part with nothing public left drops out of the index. */
	fixture_sql("UPDATE articles SET status = 'draft'"
	    " WHERE id BETWEEN 11 AND 20", 0);
	ck_assert_int_eq(get("/sitemap.xml"), 200);
	ck_assert(fixture_has(body(), "<sitemapindex"));
	ck_assert_int_eq(count("<sitemap>"), 3);
	ck_assert(!fixture_has(body(), "/sitemaps/3/"));
	ck_assert_int_eq(get("/sitemaps/3/"), 404);
	ck_assert(r.out.len == 0);
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_robots_names_the_sitemap)
{
	ck_assert_int_eq(get("/robots.txt"), 200);
	ck_assert_str_eq(r.content_type, "text/plain; charset=utf-8");
	ck_assert_str_eq(body(), "User-agent: *\n"
	    "Disallow: /accounts/\n"
	    "Disallow: /admin/\n"
	    "Disallow: /search/\n"
	    "Disallow: /api/\n"
	    "\n"
	    "Sitemap: https://news.example.org/sitemap.xml\n");
}
END_TEST

Suite *
feed_suite(void)
{
	Suite	*s = suite_create("feed");
	TCase	*x = tcase_create("xml");
	TCase	*f = tcase_create("feeds");
	TCase	*m = tcase_create("sitemap");

	tcase_add_checked_fixture(x, setup_pure, teardown_pure);
	tcase_add_test(x, test_feed_xml_escape_escapes_the_five);
	tcase_add_test(x, test_feed_xml_escape_drops_control_characters);
	tcase_add_test(x, test_feed_xml_escape_replaces_invalid_utf8);
	tcase_add_test(x, test_feed_xml_escape_keeps_valid_utf8);
	tcase_add_test(x, test_feed_date_is_rfc3339_utc);
	tcase_add_test(x, test_feed_abs_url_joins_site_url_and_path);
	suite_add_tcase(s, x);

	tcase_add_checked_fixture(f, setup_db, teardown_db);
	tcase_add_test(f, test_feed_site_lists_public_articles);
	tcase_add_test(f, test_feed_entry_id_survives_edit_and_slug_change);
	tcase_add_test(f, test_feed_empty_site_feed_is_well_formed);
	tcase_add_test(f, test_feed_unknown_tag_author_article_is_404);
	tcase_add_test(f, test_feed_tag_feed_lists_tagged_articles);
	tcase_add_test(f, test_feed_author_feed_lists_their_articles);
	tcase_add_test(f, test_feed_comments_show_names_never_emails);
	tcase_add_test(f, test_feed_answers_304_to_its_own_etag);
	suite_add_tcase(s, f);

	tcase_add_checked_fixture(m, setup_db, teardown_db);
	tcase_add_test(m, test_sitemap_lists_public_urls_only);
	tcase_add_test(m, test_sitemap_splits_into_parts_past_the_limit);
	tcase_add_test(m, test_robots_names_the_sitemap);
	suite_add_tcase(s, m);
	return s;
}
