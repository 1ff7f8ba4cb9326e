/*
 * test_cache: app/core/cache.c: the ETag (weak, changes with the seed),
 * If-None-Match comparison (weak, lists, "*", malformed), HTTP dates both
 * ways, and cache_public(): public headers and 304 decisions for
 * anonymous visitors, nothing for private pages.
 */
#include <ClearSilver.h>
#include <stdio.h>
#include <string.h>

#include "core/cache.h"
#include "core/config.h"
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
	cache_init(&c);
	req_init(&req, &fixture_wide_limits);
}

static void
teardown(void)
{
	render_reset(&req);
	req_free(&req);
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
	req_reset(&req);
	ck_assert_int_eq(fixture_request(&req, "GET", "/", NULL,
	    "If-None-Match", etag, NULL), 0);
	ck_assert(cache_public(&req, "v7", 2000000000));
	req_reset(&req);
	ck_assert_int_eq(fixture_request(&req, "GET", "/", NULL,
	    "If-None-Match", etag, NULL), 0);
	ck_assert(!cache_public(&req, "v8", 2000000000));
}
END_TEST

START_TEST(if_modified_since_counts_without_if_none_match)
{
	ck_assert_int_eq(fixture_request(&req, "GET", "/", NULL,
	    "If-Modified-Since", "Wed, 18 May 2033 03:33:20 GMT", NULL), 0);
	ck_assert(cache_public(&req, "v1", 2000000000));
	req_reset(&req);
	ck_assert_int_eq(fixture_request(&req, "GET", "/", NULL,
	    "If-Modified-Since", "Wed, 18 May 2033 03:33:19 GMT", NULL), 0);
	ck_assert(!cache_public(&req, "v1", 2000000000));
	req_reset(&req);
	/* If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2). */
	ck_assert_int_eq(fixture_request(&req, "GET", "/", NULL,
	    "If-None-Match", "W/\"other\"",
	    "If-Modified-Since", "Wed, 18 May 2033 03:33:20 GMT", NULL), 0);
	ck_assert(!cache_public(&req, "v1", 2000000000));
	req_reset(&req);
	ck_assert_int_eq(fixture_request(&req, "GET", "/", NULL,
	    "If-Modified-Since", "yesterday", NULL), 0);
	ck_assert(!cache_public(&req, "v1", 2000000000));
}
END_TEST

START_TEST(private_pages_get_no_public_headers)
{
	char	 etag[64];

	ck_assert_int_eq(fixture_request(&req, "GET", "/", NULL, NULL), 0);
	snprintf(etag, sizeof(etag), "%s", cache_etag(&req, "v7"));
	req_reset(&req);
	ck_assert_int_eq(fixture_request(&req, "GET", "/", NULL,
	    "If-None-Match", etag, NULL), 0);
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
	req_reset(&req);
	ck_assert_int_eq(fixture_request(&req, "POST", "/", "a=b",
	    "If-None-Match", etag, NULL), 0);
	ck_assert(!cache_public(&req, "v7", 2000000000));
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
	suite_add_tcase(s, t);
	return s;
}
