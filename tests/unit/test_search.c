/*
 * test_search: app/site/search.c on a migrated database: the fallback
 * quoting of queries FTS5 refuses, the escaping of snippets (stored HTML
 * comes out as text, matches in <mark>), ranking (a title match before a
 * body match), FTS5 operators, queries FTS5 cannot read (no results, no
 * failure), the public rule, pages, pagination, and the index following
 * the articles through the schema's triggers (update, delete, tags added,
 * removed, renamed and deleted).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/db.h"
#include "core/http.h"
#include "core/render.h"
#include "core/router.h"
#include "site/search.h"
#include "site/site.h"
#include "fixture.h"

Suite	*search_suite(void);

static struct fixture_db	 fdb;
static struct req		 r;

static void
setup(void)
{
	fixture_req_open(&fdb, &r, false, &fixture_limits);
}

static void
teardown(void)
{
	fixture_req_close(&fdb, &r);
}

/* For the page itself: templates and routes too. */
static void
setup_page(void)
{
	char	 err[1024];

	setup();
	free(fdb.cfg.templates);
	fdb.cfg.templates = strdup(FIXTURE_ROOT "/templates");
	free(fdb.cfg.static_dir);
	fdb.cfg.static_dir = strdup(FIXTURE_ROOT "/static");
	ck_assert_msg(render_init(&fdb.cfg, err, sizeof(err)) == 0, "%s", err);
	config_set_current(&fdb.cfg);
	ck_assert_int_eq(router_init(site_routes), 0);
	req_free(&r);
	req_init(&r, &fixture_wide_limits);
}

static void
teardown_page(void)
{
	render_reset(&r);
	render_shutdown();
	config_set_current(NULL);
	teardown();
}

/* GET uri through the router: the status; the page is in r.out. */
static int
get(const char *uri)
{
	int	 status;

	render_reset(&r);
	req_reset(&r);
	ck_assert_int_eq(fixture_get(&r, uri), 0);
	status = router_dispatch(&r);
	buf_putc(&r.out, '\0');
	r.out.len--;
	return status;
}

/* A published article with this title and Markdown body (the FTS index
 * holds the body, not the HTML).  Returns its id. */
static long long
add(const char *slug, const char *title, const char *body)
{
	static const char sql[] = "UPDATE articles SET body = ?2 WHERE id = ?1";
	sqlite3_stmt	*st;
	long long	 id;

	id = fixture_article(&r, slug, title, "<p>html</p>");
	ck_assert_ptr_nonnull(st = db_stmt(&r, sql));
	db_bind_int64(&r, st, 1, id);
	db_bind_text(&r, st, 2, body);
	ck_assert_int_eq(db_step(&r, st), SQLITE_DONE);
	db_done(&r, st);
	return id;
}

/* n articles titled title with body, their slugs prefix0, prefix1, ... */
static void
add_many(const char *prefix, int n, const char *title, const char *body)
{
	for (int i = 0; i < n; i++) {
		char	 slug[32];

		snprintf(slug, sizeof(slug), "%s%d", prefix, i);
		add(slug, title, body);
	}
}

/* Run q from the first result; return the count (max 20), hits in h. */
static int
search(const char *q, struct search_hit *h)
{
	bool	 more;
	int	 n;

	n = search_public(&r, q, 0, h, SEARCH_PAGE_SIZE, &more);
	ck_assert_msg(!req_failed(&r), "search %s failed the request", q);
	return n;
}

/* ---- pure parts ---------------------------------------------------------- */

START_TEST(test_search_quote_makes_each_term_a_phrase)
{
	ck_assert_str_eq(search_fts_quote(&r, "covid-19 it's"),
	    "\"covid-19\" \"it's\"");
	ck_assert_str_eq(search_fts_quote(&r, "  a\t\tb \n"), "\"a\" \"b\"");
	ck_assert_str_eq(search_fts_quote(&r, "say \"hi"),
	    "\"say\" \"\"\"hi\"");
	ck_assert_str_eq(search_fts_quote(&r, "AND"), "\"AND\"");
	ck_assert_str_eq(search_fts_quote(&r, "foo("), "\"foo(\"");
}
END_TEST

START_TEST(test_search_quote_keeps_trailing_star_as_prefix)
{
	ck_assert_str_eq(search_fts_quote(&r, "vacc* co-op**"),
	    "\"vacc\"* \"co-op\"*");
	ck_assert_str_eq(search_fts_quote(&r, "*"), "\"*\"");
	ck_assert_str_eq(search_fts_quote(&r, "a*b"), "\"a*b\"");
}
END_TEST

START_TEST(test_search_quote_of_blank_is_empty)
{
	ck_assert_str_eq(search_fts_quote(&r, ""), "");
	ck_assert_str_eq(search_fts_quote(&r, " \t\r\n"), "");
}
END_TEST

START_TEST(test_search_snippet_escapes_and_marks)
{
	ck_assert_str_eq(search_snippet_html(&r,
	    "<script>\x02" "alert\x03(\"x\") & 'y'</script>"),
	    "&lt;script&gt;<mark>alert</mark>(&quot;x&quot;) &amp; "
	    "&#39;y&#39;&lt;/script&gt;");
	ck_assert_str_eq(search_snippet_html(&r, NULL), "");
	ck_assert_str_eq(search_snippet_html(&r, "plain"), "plain");
}
END_TEST

START_TEST(test_search_snippet_balances_stray_markers)
{
	ck_assert_str_eq(search_snippet_html(&r, "\x03" "a\x02" "b\x02" "c"),
	    "a<mark>bc</mark>");
	ck_assert_str_eq(search_snippet_html(&r, "\x02\x02x\x03\x03"),
	    "<mark>x</mark>");
	/* Other control characters are dropped, bad UTF-8 replaced. */
	ck_assert_str_eq(search_snippet_html(&r, "a\x01" "b\xff"),
	    "ab\xef\xbf\xbd");
}
END_TEST

/* ---- queries ------------------------------------------------------------- */

START_TEST(test_search_stored_script_comes_out_escaped)
{
	struct search_hit	 h[SEARCH_PAGE_SIZE];
	long long		 id;

	id = add("xss", "<b>Bold</b> harbour",
	    "Before <script>alert(1)</script> the harbour opens.");
	ck_assert_int_eq(search("harbour", h), 1);
	ck_assert_int_eq(h[0].id, id);
	ck_assert_str_eq(h[0].kind, "article");
	ck_assert_str_eq(h[0].slug, "xss");
	ck_assert_str_eq(h[0].title_html,
	    "&lt;b&gt;Bold&lt;/b&gt; <mark>harbour</mark>");
	ck_assert_msg(fixture_has(h[0].snippet_html,
	    "&lt;script&gt;alert(1)&lt;/script&gt;"), "snippet %s",
	    h[0].snippet_html);
	ck_assert(fixture_has(h[0].snippet_html, "<mark>harbour</mark>"));
	ck_assert(!fixture_has(h[0].snippet_html, "<script"));
}
END_TEST

START_TEST(test_search_title_match_outranks_body_match)
{
	struct search_hit	 h[SEARCH_PAGE_SIZE];
	long long		 body, title;

	/* The body match first, and with the word twice, so neither
	 * insertion order nor frequency explains the order. */
	body = add("in-body", "A walk by the sea",
	    "We passed the lighthouse, then the lighthouse again.");
	title = add("in-title", "The lighthouse", "A short note.");
	ck_assert_int_eq(search("lighthouse", h), 2);
	ck_assert_int_eq(h[0].id, title);
	ck_assert_int_eq(h[1].id, body);
}
END_TEST

START_TEST(test_search_tag_match_outranks_body_match)
{
	struct search_hit	 h[SEARCH_PAGE_SIZE];
	long long		 body, tagged;

	body = add("b", "One", "Notes on ferries and more ferries.");
	tagged = add("t", "Two", "Nothing here.");
	fixture_sql("INSERT INTO tags (slug, name) VALUES ('ferries', "
	    "'Ferries')", 0);
	fixture_sql("INSERT INTO article_tags (article_id, tag_id)"
	    " SELECT ?1, id FROM tags WHERE slug = 'ferries'", 1, tagged);
	ck_assert_int_eq(search("ferries", h), 2);
	ck_assert_int_eq(h[0].id, tagged);
	ck_assert_int_eq(h[1].id, body);
}
END_TEST

START_TEST(test_search_operators_work)
{
	struct search_hit	 h[SEARCH_PAGE_SIZE];
	long long		 a, b, c;
	int			 n;

	a = add("a", "Harbour lights", "The old harbour at night.");
	b = add("b", "Lighthouse keepers", "A lighthouse on the rocks.");
	c = add("c", "Harbour lighthouse", "Both at once.");
	n = search("harbour OR lighthouse", h);
	ck_assert_int_eq(n, 3);
	n = search("harbour NOT lighthouse", h);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(h[0].id, a);
	n = search("\"old harbour\"", h);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(h[0].id, a);
	n = search("keep*", h);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(h[0].id, b);
	n = search("harbour lighthouse", h);	/* both words */
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(h[0].id, c);
}
END_TEST

START_TEST(test_search_bad_syntax_gives_no_results_without_failing)
{
	static const char *const bad[] = {
		"\"unclosed", "AND", "foo(", "OR OR", "NOT", "title:", ")",
		"NEAR(", "^", "-", "*", "nosuchcolumn:word", "a AND", "\"\"",
		"{title", "+", ":", "\"a\" NEAR/x \"b\"",
	};
	struct search_hit	 h[SEARCH_PAGE_SIZE];

	add("x", "Something", "Entirely unrelated words.");
	for (size_t i = 0; i < NELEM(bad); i++) {
		int	 n = search(bad[i], h);

		ck_assert_msg(n == 0, "%s: %d results", bad[i], n);
		ck_assert_msg(!req_failed(&r), "%s failed the request", bad[i]);
	}
}
END_TEST

START_TEST(test_search_refused_query_retried_quoted)
{
	struct search_hit	 h[SEARCH_PAGE_SIZE];
	long long		 id;

	id = add("covid", "Covid-19 and the harbour's future", "It's open.");
	ck_assert_int_eq(search("covid-19", h), 1);
	ck_assert_int_eq(h[0].id, id);
	ck_assert_int_eq(search("\"harbour's", h), 1);
	ck_assert_int_eq(search("future AND", h), 1);
	ck_assert_int_eq(search("covid-1*", h), 1);
}
END_TEST

START_TEST(test_search_blank_query_finds_nothing)
{
	struct search_hit	 h[SEARCH_PAGE_SIZE];

	add("x", "Anything", "Any words.");
	ck_assert_int_eq(search("", h), 0);
	ck_assert_int_eq(search("   ", h), 0);
	ck_assert_int_eq(search_public(&r, NULL, 0, h, 5, &(bool){ 0 }), 0);
}
END_TEST

START_TEST(test_search_shows_only_public_articles)
{
	struct search_hit	 h[SEARCH_PAGE_SIZE];
	long long		 pub, draft, future, trash;

	pub = add("pub", "Orchard public", "x");
	draft = add("draft", "Orchard draft", "x");
	future = add("future", "Orchard future", "x");
	trash = add("trash", "Orchard trash", "x");
	fixture_sql("UPDATE articles SET status = 'draft' WHERE id = ?1", 1,
	    draft);
	fixture_sql("UPDATE articles SET publish_at = 4102444800"
	    " WHERE id = ?1", 1, future);
	fixture_sql("UPDATE articles SET status = 'trash' WHERE id = ?1", 1,
	    trash);
	ck_assert_int_eq(search("orchard", h), 1);
	ck_assert_int_eq(h[0].id, pub);
}
END_TEST

START_TEST(test_search_finds_static_pages)
{
	struct search_hit	 h[SEARCH_PAGE_SIZE];
	long long		 id;

	id = add("about", "About the newsroom", "Who we are.");
	fixture_sql("UPDATE articles SET kind = 'page' WHERE id = ?1", 1, id);
	ck_assert_int_eq(search("newsroom", h), 1);
	ck_assert_str_eq(h[0].kind, "page");
	ck_assert_str_eq(h[0].slug, "about");
}
END_TEST

START_TEST(test_search_paginates_with_offset)
{
	struct search_hit	 h[SEARCH_PAGE_SIZE];
	long long		 seen[25] = { 0 };
	bool			 more;
	int			 n;

	add_many("s", 25, "Museum notes", "The museum.");
	n = search_public(&r, "museum", 0, h, SEARCH_PAGE_SIZE, &more);
	ck_assert_int_eq(n, 20);
	ck_assert(more);
	for (int i = 0; i < n; i++)
		seen[i] = h[i].id;
	n = search_public(&r, "museum", 20, h, SEARCH_PAGE_SIZE, &more);
	ck_assert_int_eq(n, 5);
	ck_assert(!more);
	for (int i = 0; i < n; i++)
		for (int k = 0; k < 20; k++)
			ck_assert_int_ne(h[i].id, seen[k]);
	n = search_public(&r, "museum", 40, h, SEARCH_PAGE_SIZE, &more);
	ck_assert_int_eq(n, 0);
	ck_assert(!more);
}
END_TEST

START_TEST(test_search_broad_query_ranks_newest_matches)
{
	struct search_hit	 h[SEARCH_PAGE_SIZE];
	long long		 old;
	bool			 more;

	/* The best match, then SEARCH_RANK_MAX weaker ones after it. */
	old = add("oldest", "Common", "Common.");
	fixture_sql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL"
	    " SELECT i + 1 FROM n WHERE i < ?1)"
	    " INSERT INTO articles (slug, title, body, status, publish_at,"
	    "     created_at, updated_at)"
	    " SELECT 'c' || i, 'Item ' || i, 'A common body.', 'published',"
	    "     1000000000, 1000000000, 1000000000 FROM n", 1,
	    (long long)SEARCH_RANK_MAX);
	/* Ranked among the newest SEARCH_RANK_MAX matches only... */
	ck_assert_int_eq(search_public(&r, "common", 0, h, SEARCH_PAGE_SIZE,
	    &more), SEARCH_PAGE_SIZE);
	ck_assert(more);
	for (int i = 0; i < SEARCH_PAGE_SIZE; i++)
		ck_assert_int_ne(h[i].id, old);
	/* ... while a narrower query ranks all of its matches. */
	ck_assert_int_eq(search("title:common", h), 1);
	ck_assert_int_eq(h[0].id, old);
	ck_assert(!req_failed(&r));
}
END_TEST

/* ---- the index follows the articles -------------------------------------- */

START_TEST(test_search_index_follows_article_update)
{
	struct search_hit	 h[SEARCH_PAGE_SIZE];
	long long		 id;

	id = add("u", "Old title", "Old body about canals.");
	ck_assert_int_eq(search("canals", h), 1);
	fixture_sql("UPDATE articles SET title = 'Vineyard news',"
	    " body = 'New body about trams.' WHERE id = ?1", 1, id);
	ck_assert_int_eq(search("canals", h), 0);
	ck_assert_int_eq(search("old", h), 0);
	ck_assert_int_eq(search("trams", h), 1);
	ck_assert_int_eq(search("vineyard", h), 1);
	ck_assert_int_eq(h[0].id, id);
	fixture_sql("UPDATE articles SET excerpt = 'Cathedral bells'"
	    " WHERE id = ?1", 1, id);
	ck_assert_int_eq(search("cathedral", h), 1);
}
END_TEST

START_TEST(test_search_index_follows_article_delete)
{
	struct search_hit	 h[SEARCH_PAGE_SIZE];
	long long		 id;

	id = add("d", "Bakery", "Bread.");
	ck_assert_int_eq(search("bakery", h), 1);
	fixture_sql("DELETE FROM articles WHERE id = ?1", 1, id);
	ck_assert_int_eq(search("bakery", h), 0);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM articles_fts"
	    " WHERE rowid = ?1", 1, id), 0);
}
END_TEST

START_TEST(test_search_index_follows_tags)
{
	struct search_hit	 h[SEARCH_PAGE_SIZE];
	long long		 id, tag;

	id = add("t", "Untitled", "Nothing.");
	fixture_sql("INSERT INTO tags (slug, name) VALUES ('tbilisi',"
	    " 'Tbilisi')", 0);
	tag = fixture_sql("SELECT id FROM tags WHERE slug = 'tbilisi'", 0);
	ck_assert_int_eq(search("tbilisi", h), 0);

	fixture_sql("INSERT INTO article_tags (article_id, tag_id)"
	    " VALUES (?1, ?2)", 2, id, tag);
	ck_assert_int_eq(search("tbilisi", h), 1);

	/* An edit of the article keeps its tags in the index. */
	fixture_sql("UPDATE articles SET body = 'Something.' WHERE id = ?1",
	    1, id);
	ck_assert_int_eq(search("tbilisi", h), 1);

	fixture_sql("UPDATE tags SET name = 'Kyoto' WHERE id = ?1", 1, tag);
	ck_assert_int_eq(search("tbilisi", h), 0);
	ck_assert_int_eq(search("kyoto", h), 1);

	fixture_sql("DELETE FROM article_tags WHERE article_id = ?1", 1, id);
	ck_assert_int_eq(search("kyoto", h), 0);

	fixture_sql("INSERT INTO article_tags (article_id, tag_id)"
	    " VALUES (?1, ?2)", 2, id, tag);
	ck_assert_int_eq(search("kyoto", h), 1);
	fixture_sql("DELETE FROM tags WHERE id = ?1", 1, tag);
	ck_assert_int_eq(search("kyoto", h), 0);
	ck_assert_int_eq(search("untitled", h), 1);
}
END_TEST

START_TEST(test_search_index_passes_integrity_check)
{
	long long	 id;

	id = add("i", "Integrity", "Check.");
	fixture_sql("UPDATE articles SET title = 'Changed' WHERE id = ?1", 1,
	    id);
	fixture_sql("INSERT INTO tags (slug, name) VALUES ('x', 'X')", 0);
	fixture_sql("INSERT INTO article_tags (article_id, tag_id)"
	    " SELECT ?1, id FROM tags", 1, id);
	fixture_sql("UPDATE tags SET name = 'Y'", 0);
	fixture_sql("DELETE FROM articles WHERE id = ?1", 1, id);
	/* Raises an error (failing fixture_sql) if the index is corrupt. */
	fixture_sql("INSERT INTO articles_fts (articles_fts, rank)"
	    " VALUES ('integrity-check', 0)", 0);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM articles_fts", 0),
	    fixture_sql("SELECT count(*) FROM articles", 0));
}
END_TEST

/* ---- the page ------------------------------------------------------------ */

START_TEST(test_search_page_without_query_shows_the_form)
{
	ck_assert_int_eq(get("/search/"), 200);
	ck_assert(fixture_has(r.out.ptr, "role=\"search\""));
	ck_assert(fixture_has(r.out.ptr, "name=\"q\""));
	ck_assert(fixture_has(r.out.ptr, "<label for=\"search-q\""));
	ck_assert(!fixture_has(r.out.ptr, "No results"));
	ck_assert_int_eq(get("/search/?q=+++"), 200);
	ck_assert(!fixture_has(r.out.ptr, "No results"));
}
END_TEST

START_TEST(test_search_page_shows_marked_results_with_links)
{
	long long	 page;

	add("harbour-day", "A day at the harbour", "Boats.");
	page = add("contact", "Harbour office", "Write to us.");
	fixture_sql("UPDATE articles SET kind = 'page' WHERE id = ?1", 1, page);
	ck_assert_int_eq(get("/search/?q=harbour"), 200);
	ck_assert(fixture_has(r.out.ptr, "href=\"/articles/harbour-day/\""));
	ck_assert(fixture_has(r.out.ptr, "href=\"/contact/\""));
	ck_assert(fixture_has(r.out.ptr, "<mark>harbour</mark>"));
	ck_assert(fixture_has(r.out.ptr, "<mark>Harbour</mark> office"));
	ck_assert(fixture_has(r.out.ptr, "value=\"harbour\""));
}
END_TEST

START_TEST(test_search_page_escapes_the_query)
{
	ck_assert_int_eq(get("/search/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
	    200);
	ck_assert(!fixture_has(r.out.ptr, "<script>alert"));
	ck_assert(fixture_has(r.out.ptr, "&lt;script&gt;alert(1)"));
	ck_assert(fixture_has(r.out.ptr, "No results for"));
}
END_TEST

START_TEST(test_search_page_bad_syntax_is_friendly)
{
	static const char *const q[] = {
		"%22unclosed", "AND", "foo(", "NEAR(", "%2A", "%5E",
	};

	for (size_t i = 0; i < NELEM(q); i++) {
		char	 uri[64];

		snprintf(uri, sizeof(uri), "/search/?q=%s", q[i]);
		ck_assert_int_eq(get(uri), 200);
		ck_assert_msg(fixture_has(r.out.ptr, "No results for"), "%s",
		    uri);
		ck_assert(!req_failed(&r));
	}
}
END_TEST

START_TEST(test_search_page_refuses_long_query_and_bad_page)
{
	char	 uri[512];

	snprintf(uri, sizeof(uri), "/search/?q=%0201d", 0);
	ck_assert_int_eq(get(uri), 400);
	ck_assert(fixture_has(r.out.ptr, "at most 200 characters"));
	snprintf(uri, sizeof(uri), "/search/?q=%0200d", 0);
	ck_assert_int_eq(get(uri), 200);
	ck_assert_int_eq(get("/search/?q=x&page=0"), 400);
	ck_assert(fixture_has(r.out.ptr, "from 1 to 50"));
	ck_assert_int_eq(get("/search/?q=x&page=51"), 400);
	ck_assert_int_eq(get("/search/?q=x&page=two"), 400);
	ck_assert_int_eq(get("/search/?q=x&page=50"), 200);
}
END_TEST

START_TEST(test_search_page_links_the_next_page)
{
	add_many("f", 21, "Factory", "Notes.");
	ck_assert_int_eq(get("/search/?q=factory"), 200);
	ck_assert(fixture_has(r.out.ptr, "href=\"/search/?q=factory&amp;page=2\""));
	ck_assert(!fixture_has(r.out.ptr, "Previous results"));
	ck_assert_int_eq(get("/search/?q=factory&page=2"), 200);
	ck_assert(fixture_has(r.out.ptr, "<ol class=\"search-results\" start=\"21\">"));
	ck_assert(fixture_has(r.out.ptr, "href=\"/search/?q=factory\""));
	ck_assert(!fixture_has(r.out.ptr, "rel=\"next\""));
}
END_TEST

Suite *
search_suite(void)
{
	Suite	*s = suite_create("search");
	TCase	*p = tcase_create("pure");
	TCase	*q = tcase_create("query");
	TCase	*i = tcase_create("index");
	TCase	*g = tcase_create("page");

	tcase_add_checked_fixture(p, setup, teardown);
	tcase_add_test(p, test_search_quote_makes_each_term_a_phrase);
	tcase_add_test(p, test_search_quote_keeps_trailing_star_as_prefix);
	tcase_add_test(p, test_search_quote_of_blank_is_empty);
	tcase_add_test(p, test_search_snippet_escapes_and_marks);
	tcase_add_test(p, test_search_snippet_balances_stray_markers);
	suite_add_tcase(s, p);

	tcase_add_checked_fixture(q, setup, teardown);
	tcase_add_test(q, test_search_stored_script_comes_out_escaped);
	tcase_add_test(q, test_search_title_match_outranks_body_match);
	tcase_add_test(q, test_search_tag_match_outranks_body_match);
	tcase_add_test(q, test_search_operators_work);
	tcase_add_test(q, test_search_bad_syntax_gives_no_results_without_failing);
	tcase_add_test(q, test_search_refused_query_retried_quoted);
	tcase_add_test(q, test_search_blank_query_finds_nothing);
	tcase_add_test(q, test_search_shows_only_public_articles);
	tcase_add_test(q, test_search_finds_static_pages);
	tcase_add_test(q, test_search_paginates_with_offset);
	tcase_add_test(q, test_search_broad_query_ranks_newest_matches);
	tcase_set_timeout(q, 60);	/* that one inserts 10,000 rows */
	suite_add_tcase(s, q);

	tcase_add_checked_fixture(i, setup, teardown);
	tcase_add_test(i, test_search_index_follows_article_update);
	tcase_add_test(i, test_search_index_follows_article_delete);
	tcase_add_test(i, test_search_index_follows_tags);
	tcase_add_test(i, test_search_index_passes_integrity_check);
	suite_add_tcase(s, i);

	tcase_add_checked_fixture(g, setup_page, teardown_page);
	tcase_add_test(g, test_search_page_without_query_shows_the_form);
	tcase_add_test(g, test_search_page_shows_marked_results_with_links);
	tcase_add_test(g, test_search_page_escapes_the_query);
	tcase_add_test(g, test_search_page_bad_syntax_is_friendly);
	tcase_add_test(g, test_search_page_refuses_long_query_and_bad_page);
	tcase_add_test(g, test_search_page_links_the_next_page);
	suite_add_tcase(s, g);
	return s;
}
