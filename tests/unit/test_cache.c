/*
 * test_cache: app/core/cache.c: the ETag (weak, changes with the seed),
 * If-None-Match comparison (weak, lists, "*", malformed), HTTP dates both
 * ways, and cache_public(): public headers and 304 decisions for
 * anonymous visitors, nothing for private pages.
 */
#include <ClearSilver.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/config.h"
#include "core/csrf.h"
#include "core/http.h"
#include "core/render.h"
#include "fixture.h"

Suite	*cache_suite(void);

static struct req	 req;

static void
setup(void)
{
	struct config	 c;

	memset(&c, 0, sizeof(c));
	c.cache_max_age = 120;
	c.page_cache = 64;	/* KB */
	cache_init(&c);
	req_init(&req, &fixture_wide_limits);
}

static void
teardown(void)
{
	render_reset(&req);
	req_free(&req);
	cache_clear();
}

/* The response body so far, as a string. */
static const char *
out_str(void)
{
	static char	 s[64 * 1024];

	snprintf(s, sizeof(s), "%.*s", (int)req.out.len,
	    req.out.ptr != NULL ? req.out.ptr : "");
	return s;
}

/*
 * One anonymous request for uri through cache_public(seed): when it is
 * not answered from memory, "render" body (with token inside it, if not
 * NULL, as a form would) and let cache_store() keep it.  Returns what
 * cache_public() said and leaves the answer in req.
 */
static bool
visit(const char *uri, const char *seed, const char *body,
    const char *cookie)
{
	bool	 hit;

	render_reset(&req);
	req_reset(&req);
	ck_assert_int_eq(fixture_request(&req, "GET", uri, NULL, "Cookie",
	    cookie, NULL), 0);
	if ((hit = cache_public(&req, seed, 2000000000)))
		return hit;
	buf_puts(&req.out, body);
	cache_store(&req, HTTP_200);
	return false;
}

/* A fresh GET / with If-None-Match and If-Modified-Since (NULL: none). */
static void
get_if(const char *inm, const char *ims)
{
	render_reset(&req);
	req_reset(&req);
	ck_assert_int_eq(fixture_request(&req, "GET", "/", NULL,
	    "If-None-Match", inm, "If-Modified-Since", ims, NULL), 0);
}

START_TEST(etag_is_weak_and_follows_the_seed)
{
	const char	*a, *b, *a2;

	ck_assert_int_eq(fixture_request(&req, "GET", "/", NULL, NULL), 0);
	a = cache_etag(&req, "v1");
	b = cache_etag(&req, "v2");
	a2 = cache_etag(&req, "v1");
	ck_assert_str_eq(a, a2);
	ck_assert_str_ne(a, b);
	ck_assert_int_eq(strncmp(a, "W/\"", 3), 0);
	ck_assert_int_eq(a[strlen(a) - 1], '"');
}
END_TEST

START_TEST(if_none_match_compares_weakly)
{
	const char	*tag = "W/\"abc123\"";

	ck_assert(cache_etag_matches("W/\"abc123\"", tag));
	ck_assert(cache_etag_matches("\"abc123\"", tag));
	ck_assert(cache_etag_matches("\"x\", W/\"abc123\"", tag));
	ck_assert(cache_etag_matches("\"x\",W/\"abc123\" ", tag));
	ck_assert(cache_etag_matches("*", tag));
	ck_assert(!cache_etag_matches("W/\"abc1234\"", tag));
	ck_assert(!cache_etag_matches("W/\"abc12\"", tag));
	ck_assert(!cache_etag_matches("abc123", tag));
	ck_assert(!cache_etag_matches("\"unterminated", tag));
	ck_assert(!cache_etag_matches("", tag));
	ck_assert(!cache_etag_matches(NULL, tag));
}
END_TEST

START_TEST(http_dates_round_trip)
{
	ck_assert_int_eq(fixture_request(&req, "GET", "/", NULL, NULL), 0);
	ck_assert_str_eq(cache_http_date(&req, 784111777),
	    "Sun, 06 Nov 1994 08:49:37 GMT");
	ck_assert_int_eq(cache_parse_http_date(
	    "Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
	ck_assert_int_eq(cache_parse_http_date(cache_http_date(&req,
	    1795766065)), 1795766065);
	ck_assert_int_eq(cache_parse_http_date("Sunday, 06-Nov-94 08:49:37 "
	    "GMT"), -1);
	ck_assert_int_eq(cache_parse_http_date("Sun, 06 Nov 1994 08:49:37 "
	    "UTC"), -1);
	ck_assert_int_eq(cache_parse_http_date("Sun, 06 Foo 1994 08:49:37 "
	    "GMT"), -1);
	ck_assert_int_eq(cache_parse_http_date("Sun, 06 Nov 1994 25:49:37 "
	    "GMT"), -1);
	ck_assert_int_eq(cache_parse_http_date(""), -1);
	ck_assert_int_eq(cache_parse_http_date(NULL), -1);
}
END_TEST

START_TEST(anonymous_page_is_public_with_validators)
{
	ck_assert_int_eq(fixture_request(&req, "GET", "/", NULL, NULL), 0);
	ck_assert(!cache_public(&req, "v7", 2000000000));
	ck_assert_str_eq(http_get_header(&req, "Cache-Control"),
	    "public, max-age=120");
	ck_assert_str_eq(http_get_header(&req, "Vary"), "Cookie");
	ck_assert_str_eq(http_get_header(&req, "Last-Modified"),
	    "Wed, 18 May 2033 03:33:20 GMT");
	ck_assert_str_eq(http_get_header(&req, "ETag"),
	    cache_etag(&req, "v7"));
}
END_TEST

START_TEST(matching_etag_is_not_modified)
{
	char	 etag[64];

	ck_assert_int_eq(fixture_request(&req, "GET", "/", NULL, NULL), 0);
	snprintf(etag, sizeof(etag), "%s", cache_etag(&req, "v7"));
	get_if(etag, NULL);
	ck_assert(cache_public(&req, "v7", 2000000000));
	get_if(etag, NULL);
	ck_assert(!cache_public(&req, "v8", 2000000000));
}
END_TEST

START_TEST(if_modified_since_counts_without_if_none_match)
{
	get_if(NULL, "Wed, 18 May 2033 03:33:20 GMT");
	ck_assert(cache_public(&req, "v1", 2000000000));
	get_if(NULL, "Wed, 18 May 2033 03:33:19 GMT");
	ck_assert(!cache_public(&req, "v1", 2000000000));
	/* If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2). */
	get_if("W/\"other\"", "Wed, 18 May 2033 03:33:20 GMT");
	ck_assert(!cache_public(&req, "v1", 2000000000));
	get_if(NULL, "yesterday");
	ck_assert(!cache_public(&req, "v1", 2000000000));
}
END_TEST

START_TEST(private_pages_get_no_public_headers)
{
	char	 etag[64];

	ck_assert_int_eq(fixture_request(&req, "GET", "/", NULL, NULL), 0);
	snprintf(etag, sizeof(etag), "%s", cache_etag(&req, "v7"));
	get_if(etag, NULL);
	req.private_page = true;
	ck_assert(!cache_public(&req, "v7", 2000000000));
	ck_assert_ptr_null(http_get_header(&req, "ETag"));
	ck_assert_ptr_null(http_get_header(&req, "Cache-Control"));
}
END_TEST

START_TEST(posts_are_never_not_modified)
{
	char	 etag[64];

	ck_assert_int_eq(fixture_request(&req, "GET", "/", NULL, NULL), 0);
	snprintf(etag, sizeof(etag), "%s", cache_etag(&req, "v7"));
	render_reset(&req);
	req_reset(&req);
	ck_assert_int_eq(fixture_request(&req, "POST", "/", "a=b",
	    "If-None-Match", etag, NULL), 0);
	ck_assert(!cache_public(&req, "v7", 2000000000));
}
END_TEST

START_TEST(page_is_kept_and_served_until_the_seed_changes)
{
	ck_assert(!visit("/tags/x/?before=1-2", "v1", "<p>one</p>", NULL));
	ck_assert(visit("/tags/x/?before=1-2", "v1", "unused", NULL));
	ck_assert_int_eq(req.cache_status, HTTP_200);
	ck_assert_str_eq(out_str(), "<p>one</p>");
	ck_assert_str_eq(http_get_header(&req, "Cache-Control"),
	    "public, max-age=120");
	/* Another query string is another page. */
	ck_assert(!visit("/tags/x/", "v1", "<p>first</p>", NULL));
	/* New content, new ETag: rendered again, then kept anew. */
	ck_assert(!visit("/tags/x/?before=1-2", "v2", "<p>two</p>", NULL));
	ck_assert(visit("/tags/x/?before=1-2", "v2", "unused", NULL));
	ck_assert_str_eq(out_str(), "<p>two</p>");
}
END_TEST

START_TEST(visitors_with_cookies_are_never_served_from_memory)
{
	ck_assert(!visit("/", "v1", "<p>public</p>", NULL));
	ck_assert(!visit("/", "v1", "<p>for this visitor</p>",
	    "gazette_pending=1.abc"));
	/* ... nor is what they were shown kept. */
	ck_assert(visit("/", "v1", "unused", NULL));
	ck_assert_str_eq(out_str(), "<p>public</p>");
}
END_TEST

START_TEST(answers_with_cookies_or_headers_are_not_kept)
{
	render_reset(&req);
	req_reset(&req);
	ck_assert_int_eq(fixture_request(&req, "GET", "/a/", NULL, NULL), 0);
	ck_assert(!cache_public(&req, "v1", 2000000000));
	buf_puts(&req.out, "<p>a</p>");
	http_set_cookie(&req, "gazette_csrf", "x", 60, 0);
	cache_store(&req, HTTP_200);
	ck_assert(!visit("/a/", "v1", "<p>a</p>", NULL));

	render_reset(&req);
	req_reset(&req);
	ck_assert_int_eq(fixture_request(&req, "GET", "/b/", NULL, NULL), 0);
	ck_assert(!cache_public(&req, "v1", 2000000000));
	buf_puts(&req.out, "<p>b</p>");
	http_set_header(&req, "X-Robots-Tag", "noindex");
	cache_store(&req, HTTP_200);
	ck_assert(!visit("/b/", "v1", "<p>b</p>", NULL));

	/* Errors are not kept either. */
	render_reset(&req);
	req_reset(&req);
	ck_assert_int_eq(fixture_request(&req, "GET", "/c/", NULL, NULL), 0);
	ck_assert(!cache_public(&req, "v1", 2000000000));
	buf_puts(&req.out, "<p>c</p>");
	cache_store(&req, HTTP_404);
	ck_assert(!visit("/c/", "v1", "<p>c</p>", NULL));
}
END_TEST

START_TEST(least_recently_used_page_makes_room)
{
	static char	 big[30 * 1024];
	char		 uri[32];

	memset(big, 'x', sizeof(big) - 1);
	ck_assert(!visit("/1/", "v", big, NULL));
	ck_assert(!visit("/2/", "v", big, NULL));
	ck_assert(visit("/1/", "v", big, NULL));	/* /1/ used last */
	ck_assert(!visit("/3/", "v", big, NULL));	/* 64 KB: /2/ goes */
	ck_assert(visit("/1/", "v", big, NULL));
	ck_assert(visit("/3/", "v", big, NULL));
	ck_assert(!visit("/2/", "v", big, NULL));
	/* Many small pages: still bounded, still served. */
	for (int i = 0; i < 400; i++) {
		snprintf(uri, sizeof(uri), "/s/%d/", i);
		visit(uri, "v", "<p>small</p>", NULL);
	}
	ck_assert(visit("/s/399/", "v", "unused", NULL));
}
END_TEST

START_TEST(form_token_is_signed_afresh_for_each_answer)
{
	struct fixture_db	 fdb;
	struct config		 c;
	char			 first[200], body[300];
	const char		*tok;

	fixture_accounts_open(&fdb);
	c = fdb.cfg;
	c.page_cache = 64;
	cache_init(&c);
	render_reset(&req);
	req_reset(&req);
	ck_assert_int_eq(fixture_request(&req, "GET", "/articles/a/", NULL,
	    NULL), 0);
	ck_assert(!cache_public(&req, "v1", 2000000000));
	tok = csrf_form_token(&req, "/articles/a/comments/");
	snprintf(first, sizeof(first), "%s", tok);
	snprintf(body, sizeof(body), "<input value=\"%s\"><i>%s</i>", tok, tok);
	buf_puts(&req.out, body);
	cache_store(&req, HTTP_200);
	/* A token a second later differs in its time (and so its MAC). */
	sleep(1);
	render_reset(&req);
	req_reset(&req);
	ck_assert_int_eq(fixture_request(&req, "GET", "/articles/a/", NULL,
	    NULL), 0);
	ck_assert(cache_public(&req, "v1", 2000000000));
	ck_assert_ptr_nonnull(req.form_token);
	ck_assert_str_ne(req.form_token, first);
	ck_assert(csrf_form_token_check(req.form_token,
	    "/articles/a/comments/", 60, NULL));
	snprintf(body, sizeof(body), "<input value=\"%s\"><i>%s</i>",
	    req.form_token, req.form_token);
	ck_assert_str_eq(out_str(), body);
	fixture_db_close(&fdb);
}
END_TEST

Suite *
cache_suite(void)
{
	Suite	*s = suite_create("cache");
	TCase	*t = tcase_create("cache");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, etag_is_weak_and_follows_the_seed);
	tcase_add_test(t, if_none_match_compares_weakly);
	tcase_add_test(t, http_dates_round_trip);
	tcase_add_test(t, anonymous_page_is_public_with_validators);
	tcase_add_test(t, matching_etag_is_not_modified);
	tcase_add_test(t, if_modified_since_counts_without_if_none_match);
	tcase_add_test(t, private_pages_get_no_public_headers);
	tcase_add_test(t, posts_are_never_not_modified);
	tcase_add_test(t, page_is_kept_and_served_until_the_seed_changes);
	tcase_add_test(t, visitors_with_cookies_are_never_served_from_memory);
	tcase_add_test(t, answers_with_cookies_or_headers_are_not_kept);
	tcase_add_test(t, least_recently_used_page_makes_room);
	tcase_add_test(t, form_token_is_signed_afresh_for_each_answer);
	suite_add_tcase(s, t);
	return s;
}
