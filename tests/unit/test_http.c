/*
 * test_http: app/core/http.c: request parsing against the limits of
 * fixture_limits (body 64, URI 256, 8 params, key 16, value 32,
 * headers 256, cookie 64), path normalisation, cookies, and response
 * serialisation.
 */
#include <string.h>

#include "core/http.h"
#include "core/util.h"
#include "fixture.h"

static struct req	 r;

static void
setup(void)
{
	req_init(&r, &fixture_limits);
}

static void
teardown(void)
{
	req_free(&r);
}

/*
 * GET uri on a fresh request; returns http_parse's answer.  uri may live
 * in the arena of the previous request: it is copied before the reset.
 */
static int
get(const char *uri)
{
	char	 copy[1024];

	ck_assert_uint_lt(strlen(uri), sizeof(copy));
	memcpy(copy, uri, strlen(uri) + 1);
	req_reset(&r);
	return fixture_get(&r, copy);
}

/* A string of n copies of c, in the arena. */
static const char *
rep(char c, size_t n)
{
	char	*s = arena_alloc(r.arena, n + 1);

	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* Serialise status into a fresh buf; the caller frees it. */
static void
serialize(int status, struct buf *out)
{
	buf_init(out);
	http_serialize(&r, status, out);
}

/* ---- query strings -------------------------------------------------- */

START_TEST(test_http_parses_query_pairs)
{
	ck_assert_int_eq(get("/?a=1&b=two+words&c=%C3%A9"), 0);
	ck_assert_uint_eq(r.query_params.n, 3);
	ck_assert_str_eq(req_query(&r, "a"), "1");
	ck_assert_str_eq(req_query(&r, "b"), "two words");
	ck_assert_str_eq(req_query(&r, "c"), "\xc3\xa9");
	ck_assert_uint_eq(r.query_params.v[2].value_len, 2);
	ck_assert_str_eq(r.query, "a=1&b=two+words&c=%C3%A9");
	ck_assert_ptr_null(req_query(&r, "d"));
}
END_TEST

START_TEST(test_http_decodes_percent_encoded_keys_and_plus)
{
	ck_assert_int_eq(get("/?%61%62=x%2By%26z%3D&k+k=%20"), 0);
	ck_assert_str_eq(req_query(&r, "ab"), "x+y&z=");
	ck_assert_str_eq(req_query(&r, "k k"), " ");
}
END_TEST

START_TEST(test_http_skips_empty_query_pieces)
{
	ck_assert_int_eq(get("/?&a=1&&b=2&"), 0);
	ck_assert_uint_eq(r.query_params.n, 2);
	ck_assert_str_eq(req_query(&r, "a"), "1");
	ck_assert_str_eq(req_query(&r, "b"), "2");
	ck_assert_int_eq(get("/?"), 0);
	ck_assert_uint_eq(r.query_params.n, 0);
	ck_assert_str_eq(r.query, "");
}
END_TEST

START_TEST(test_http_key_without_equals_has_empty_value)
{
	ck_assert_int_eq(get("/?flag&x=1&empty="), 0);
	ck_assert_uint_eq(r.query_params.n, 3);
	ck_assert_str_eq(req_query(&r, "flag"), "");
	ck_assert_str_eq(req_query(&r, "empty"), "");
	ck_assert_str_eq(req_query(&r, "x"), "1");
}
END_TEST

START_TEST(test_http_first_of_repeated_keys_wins)
{
	ck_assert_int_eq(get("/?a=1&a=2&a=3"), 0);
	ck_assert_uint_eq(r.query_params.n, 3);
	ck_assert_str_eq(req_query(&r, "a"), "1");
	ck_assert_str_eq(r.query_params.v[2].value, "3");
}
END_TEST

START_TEST(test_http_rejects_bad_percent_encoding)
{
	static const char *const bad[] = {
		"/?a=%zz", "/?a=%", "/?a=%4", "/?a=1%", "/?%=1", "/?a%4=1",
		"/?a=%g0", "/?a=%0g", "/x%zz", "/x%", "/x%4",
	};

	for (size_t i = 0; i < NELEM(bad); i++) {
		ck_assert_msg(get(bad[i]) == HTTP_400, "%s accepted", bad[i]);
		ck_assert_ptr_nonnull(r.error_detail);
	}
}
END_TEST

START_TEST(test_http_urlencoded_reads_only_len_bytes)
{
	/* "%4" is cut by len: the '1' after it must not complete it. */
	ck_assert_int_eq(http_parse_urlencoded(&r, "a=%41", 4,
	    &r.query_params), HTTP_400);
	req_reset(&r);
	ck_assert_int_eq(http_parse_urlencoded(&r, "a=%41", 3,
	    &r.query_params), HTTP_400);
	req_reset(&r);
	ck_assert_int_eq(http_parse_urlencoded(&r, "a=1&b=2", 3,
	    &r.query_params), 0);
	ck_assert_uint_eq(r.query_params.n, 1);
	ck_assert_str_eq(req_query(&r, "a"), "1");
}
END_TEST

START_TEST(test_http_rejects_invalid_utf8)
{
	static const char *const bad[] = {
		"/?a=%ff", "/?a=%c0%af", "/?a=%ed%a0%80", "/?a=%c3",
		"/?%ff=1", "/%ff/", "/a%c0%af", "/%ed%a0%80",
		"/?a=%f4%90%80%80",
	};

	for (size_t i = 0; i < NELEM(bad); i++) {
		ck_assert_msg(get(bad[i]) == HTTP_400, "%s accepted", bad[i]);
		ck_assert_ptr_nonnull(r.error_detail);
	}
}
END_TEST

START_TEST(test_http_rejects_nul_bytes)
{
	ck_assert_int_eq(get("/?a=%00"), HTTP_400);
	ck_assert_int_eq(get("/?a%00b=1"), HTTP_400);
	ck_assert_int_eq(get("/a%00b/"), HTTP_400);
}
END_TEST

START_TEST(test_http_rejects_too_many_params)
{
	ck_assert_int_eq(get("/?a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8"), 0);
	ck_assert_uint_eq(r.query_params.n, 8);
	ck_assert_int_eq(get("/?a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9"),
	    HTTP_400);
	ck_assert_str_eq(r.error_detail, "Too many parameters.");
	/* Empty pieces are not parameters. */
	ck_assert_int_eq(get("/?a&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&b"), 0);
}
END_TEST

START_TEST(test_http_rejects_long_key)
{
	ck_assert_int_eq(get(arena_printf(r.arena, "/?%s=1",
	    rep('k', 16))), 0);
	ck_assert_int_eq(get(arena_printf(r.arena, "/?%s=1",
	    rep('k', 17))), HTTP_400);
	/* The decoded length counts: 17 encoded letters are too long. */
	ck_assert_int_eq(get("/?%41%41%41%41%41%41%41%41%41%41%41%41%41%41"
	    "%41%41%41=1"), HTTP_400);
	ck_assert_int_eq(get("/?%41%41%41%41%41%41%41%41%41%41%41%41%41%41"
	    "%41%41=1"), 0);
	ck_assert_str_eq(req_query(&r, "AAAAAAAAAAAAAAAA"), "1");
	/* So does a flag without '='. */
	ck_assert_int_eq(get(arena_printf(r.arena, "/?%s",
	    rep('k', 17))), HTTP_400);
}
END_TEST

START_TEST(test_http_rejects_long_value)
{
	ck_assert_int_eq(get(arena_printf(r.arena, "/?v=%s",
	    rep('v', 32))), 0);
	ck_assert_uint_eq(strlen(req_query(&r, "v")), 32);
	ck_assert_int_eq(get(arena_printf(r.arena, "/?v=%s",
	    rep('v', 33))), HTTP_400);
	ck_assert_ptr_nonnull(r.error_detail);
}
END_TEST

START_TEST(test_http_uri_over_limit_is_414)
{
	ck_assert_int_eq(get(arena_printf(r.arena, "/%s", rep('a', 255))), 0);
	ck_assert_uint_eq(strlen(r.path), 256);
	ck_assert_int_eq(get(arena_printf(r.arena, "/%s", rep('a', 256))),
	    HTTP_414);
	ck_assert_ptr_nonnull(r.error_detail);
}
END_TEST

START_TEST(test_http_missing_uri_is_400)
{
	ck_assert_int_eq(fixture_http(&r, NULL, "REQUEST_METHOD=GET",
	    (char *)NULL), HTTP_400);
	req_reset(&r);
	ck_assert_int_eq(fixture_http(&r, NULL, "REQUEST_METHOD=GET",
	    "REQUEST_URI=", (char *)NULL), HTTP_400);
	ck_assert_int_eq(get("relative"), HTTP_400);
}
END_TEST

START_TEST(test_http_headers_over_limit_are_400)
{
	/* "HTTP_X_BIG=" is 11 bytes: 245 bytes of value reach 256. */
	ck_assert_int_eq(fixture_http(&r, NULL, "REQUEST_URI=/",
	    arena_printf(r.arena, "HTTP_X_BIG=%s", rep('x', 245)),
	    (char *)NULL), 0);
	req_reset(&r);
	ck_assert_int_eq(fixture_http(&r, NULL, "REQUEST_URI=/",
	    arena_printf(r.arena, "HTTP_X_BIG=%s", rep('x', 246)),
	    (char *)NULL), HTTP_400);
	ck_assert_ptr_nonnull(r.error_detail);
	/* The sum of all headers counts. */
	req_reset(&r);
	ck_assert_int_eq(fixture_http(&r, NULL, "REQUEST_URI=/",
	    arena_printf(r.arena, "HTTP_A=%s", rep('x', 150)),
	    arena_printf(r.arena, "HTTP_B=%s", rep('x', 150)),
	    (char *)NULL), HTTP_400);
	/* Non-header parameters do not. */
	req_reset(&r);
	ck_assert_int_eq(fixture_http(&r, NULL, "REQUEST_URI=/",
	    arena_printf(r.arena, "SERVER_X=%s", rep('x', 1000)),
	    (char *)NULL), 0);
}
END_TEST

START_TEST(test_http_cookie_over_limit_is_400)
{
	ck_assert_int_eq(fixture_http(&r, NULL, "REQUEST_URI=/",
	    arena_printf(r.arena, "HTTP_COOKIE=c=%s", rep('x', 62)),
	    (char *)NULL), 0);
	ck_assert_uint_eq(strlen(req_cookie(&r, "c")), 62);
	req_reset(&r);
	ck_assert_int_eq(fixture_http(&r, NULL, "REQUEST_URI=/",
	    arena_printf(r.arena, "HTTP_COOKIE=c=%s", rep('x', 63)),
	    (char *)NULL), HTTP_400);
	ck_assert_ptr_nonnull(r.error_detail);
}
END_TEST

START_TEST(test_http_body_over_limit_is_413)
{
	ck_assert_int_eq(fixture_http(&r, rep('b', 64),
	    "REQUEST_METHOD=POST", "REQUEST_URI=/", (char *)NULL), 0);
	ck_assert_uint_eq(r.body_len, 64);
	req_reset(&r);
	ck_assert_int_eq(fixture_http(&r, rep('b', 65),
	    "REQUEST_METHOD=POST", "REQUEST_URI=/", (char *)NULL), HTTP_413);
	ck_assert_ptr_nonnull(r.error_detail);
}
END_TEST

/* ---- forms ---------------------------------------------------------- */

START_TEST(test_http_parses_form_on_urlencoded_post)
{
	ck_assert_int_eq(fixture_http(&r, "title=Hello+there&n=%C3%A9",
	    "REQUEST_METHOD=POST", "REQUEST_URI=/edit/?q=1",
	    "CONTENT_TYPE=application/x-www-form-urlencoded", (char *)NULL),
	    0);
	ck_assert_uint_eq(r.form.n, 2);
	ck_assert_str_eq(req_form(&r, "title"), "Hello there");
	ck_assert_str_eq(req_form(&r, "n"), "\xc3\xa9");
	ck_assert_str_eq(req_query(&r, "q"), "1");
	ck_assert_ptr_null(req_form(&r, "q"));
	ck_assert_ptr_null(req_query(&r, "title"));
}
END_TEST

START_TEST(test_http_parses_form_with_charset_suffix)
{
	ck_assert_int_eq(fixture_http(&r, "a=1", "REQUEST_METHOD=POST",
	    "REQUEST_URI=/", "CONTENT_TYPE=application/x-www-form-urlencoded;"
	    " charset=UTF-8", (char *)NULL), 0);
	ck_assert_str_eq(req_form(&r, "a"), "1");
	req_reset(&r);
	ck_assert_int_eq(fixture_http(&r, "a=2", "REQUEST_METHOD=POST",
	    "REQUEST_URI=/", "CONTENT_TYPE=Application/X-WWW-Form-Urlencoded",
	    (char *)NULL), 0);
	ck_assert_str_eq(req_form(&r, "a"), "2");
}
END_TEST

START_TEST(test_http_ignores_form_on_get)
{
	ck_assert_int_eq(fixture_http(&r, "a=1", "REQUEST_METHOD=GET",
	    "REQUEST_URI=/", "CONTENT_TYPE=application/x-www-form-urlencoded",
	    (char *)NULL), 0);
	ck_assert_uint_eq(r.form.n, 0);
	ck_assert_ptr_null(req_form(&r, "a"));
	ck_assert_str_eq(r.body, "a=1");
}
END_TEST

START_TEST(test_http_ignores_form_of_other_content_types)
{
	/* multipart/form-data is parsed too: see test_multipart.c. */
	static const char *const types[] = {
		"CONTENT_TYPE=text/plain",
		"CONTENT_TYPE=application/json",
		"CONTENT_TYPE=application/x-www-form-urlencodedX",
		"NO_CONTENT_TYPE=1",
	};

	for (size_t i = 0; i < NELEM(types); i++) {
		req_reset(&r);
		ck_assert_int_eq(fixture_http(&r, "a=1", "REQUEST_METHOD=POST",
		    "REQUEST_URI=/", types[i], (char *)NULL), 0);
		ck_assert_msg(r.form.n == 0, "%s parsed as a form", types[i]);
		ck_assert_uint_eq(r.body_len, 3);
	}
}
END_TEST

START_TEST(test_http_rejects_bad_form_encoding)
{
	ck_assert_int_eq(fixture_http(&r, "a=%ff", "REQUEST_METHOD=POST",
	    "REQUEST_URI=/", "CONTENT_TYPE=application/x-www-form-urlencoded",
	    (char *)NULL), HTTP_400);
	req_reset(&r);
	ck_assert_int_eq(fixture_http(&r, "a=%", "REQUEST_METHOD=POST",
	    "REQUEST_URI=/", "CONTENT_TYPE=application/x-www-form-urlencoded",
	    (char *)NULL), HTTP_400);
}
END_TEST

START_TEST(test_http_form_and_query_share_the_param_limit)
{
	ck_assert_int_eq(fixture_http(&r, "e=5&f=6&g=7&h=8&i=9",
	    "REQUEST_METHOD=POST", "REQUEST_URI=/?a=1&b=2&c=3&d=4",
	    "CONTENT_TYPE=application/x-www-form-urlencoded", (char *)NULL),
	    HTTP_400);
	ck_assert_str_eq(r.error_detail, "Too many parameters.");
}
END_TEST

/* ---- paths ---------------------------------------------------------- */

START_TEST(test_http_normalises_paths)
{
	static const struct {
		const char	*raw, *want;
	} cases[] = {
		{ "/", "/" },
		{ "/a", "/a" },
		{ "/a/", "/a/" },
		{ "/a//b", "/a/b" },
		{ "//a///b//", "/a/b/" },
		{ "/a/./b/", "/a/b/" },
		{ "/a/./b", "/a/b" },
		{ "/a/.", "/a/" },
		{ "/./", "/" },
		{ "/a/b/..", "/a/" },
		{ "/a/b/../", "/a/" },
		{ "/a/b/../c", "/a/c" },
		{ "/a/..", "/" },
		{ "/a/%62/", "/a/b/" },
		{ "/caf%C3%A9/", "/caf\xc3\xa9/" },
		{ "/a+b/", "/a+b/" },		/* '+' is only a space in queries */
		{ "/a/%2e/b", "/a/b" },
		{ "/a/b/%2e%2e/c/", "/a/c/" },
		{ "/...", "/..." },
		{ "/.a/..b/", "/.a/..b/" },
	};

	for (size_t i = 0; i < NELEM(cases); i++) {
		ck_assert_msg(get(cases[i].raw) == 0, "%s refused",
		    cases[i].raw);
		ck_assert_msg(strcmp(r.path, cases[i].want) == 0,
		    "%s became %s, not %s", cases[i].raw, r.path,
		    cases[i].want);
	}
}
END_TEST

START_TEST(test_http_keeps_raw_path_and_query)
{
	ck_assert_int_eq(get("/a//b/%41?x=%20"), 0);
	ck_assert_str_eq(r.raw_path, "/a//b/%41");
	ck_assert_str_eq(r.path, "/a/b/A");
	ck_assert_str_eq(r.query, "x=%20");
}
END_TEST

START_TEST(test_http_rejects_paths_climbing_above_root)
{
	static const char *const bad[] = {
		"/..", "/../", "/../x", "/a/../../x", "/./../x", "/%2e%2e/x",
		"/%2E%2E/", "/a/%2e%2e/%2e%2e/etc/passwd", "/.%2e/x",
	};

	for (size_t i = 0; i < NELEM(bad); i++) {
		ck_assert_msg(get(bad[i]) == HTTP_400, "%s accepted (%s)",
		    bad[i], r.path);
		ck_assert_ptr_nonnull(r.error_detail);
	}
}
END_TEST

START_TEST(test_http_parse_path_rejects_relative_and_empty)
{
	const char	*p = NULL;

	ck_assert_int_eq(http_parse_path(&r, "a/b", 3, &p), HTTP_400);
	ck_assert_int_eq(http_parse_path(&r, "", 0, &p), HTTP_400);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(http_parse_path(&r, "/x/y/", 5, &p), 0);
	ck_assert_str_eq(p, "/x/y/");
	/* Only len bytes are read. */
	ck_assert_int_eq(http_parse_path(&r, "/x/y/", 2, &p), 0);
	ck_assert_str_eq(p, "/x");
}
END_TEST

/* ---- cookies -------------------------------------------------------- */

static int
with_cookie(const char *cookie)
{
	req_reset(&r);
	return fixture_http(&r, NULL, "REQUEST_URI=/",
	    arena_printf(r.arena, "HTTP_COOKIE=%s", cookie), (char *)NULL);
}

START_TEST(test_http_parses_cookies)
{
	ck_assert_int_eq(with_cookie("a=1; b=2;c=3"), 0);
	ck_assert_uint_eq(r.cookies.n, 3);
	ck_assert_str_eq(req_cookie(&r, "a"), "1");
	ck_assert_str_eq(req_cookie(&r, "b"), "2");
	ck_assert_str_eq(req_cookie(&r, "c"), "3");
	ck_assert_ptr_null(req_cookie(&r, "d"));
}
END_TEST

START_TEST(test_http_cookie_quotes_and_spaces_are_trimmed)
{
	ck_assert_int_eq(with_cookie("  sid = \"abc def\" ;\tx=\"\";y=\"q"),
	    0);
	ck_assert_str_eq(req_cookie(&r, "sid"), "abc def");
	ck_assert_str_eq(req_cookie(&r, "x"), "");
	ck_assert_str_eq(req_cookie(&r, "y"), "\"q");
}
END_TEST

START_TEST(test_http_cookie_without_equals_is_skipped)
{
	ck_assert_int_eq(with_cookie("junk; a=1; =nokey; ;;b=2"), 0);
	ck_assert_uint_eq(r.cookies.n, 2);
	ck_assert_str_eq(req_cookie(&r, "a"), "1");
	ck_assert_str_eq(req_cookie(&r, "b"), "2");
	ck_assert_ptr_null(req_cookie(&r, "junk"));
}
END_TEST

START_TEST(test_http_cookie_keeps_equals_in_value)
{
	ck_assert_int_eq(with_cookie("t=a=b=="), 0);
	ck_assert_str_eq(req_cookie(&r, "t"), "a=b==");
}
END_TEST

START_TEST(test_http_invalid_utf8_cookie_is_skipped_not_fatal)
{
	ck_assert_int_eq(with_cookie("a=\xff; b=2; \xc0\xaf=3; c=\xc3\xa9"), 0);
	ck_assert_ptr_null(req_cookie(&r, "a"));
	ck_assert_str_eq(req_cookie(&r, "b"), "2");
	ck_assert_str_eq(req_cookie(&r, "c"), "\xc3\xa9");
	ck_assert_uint_eq(r.cookies.n, 2);
}
END_TEST

START_TEST(test_http_too_many_cookies_is_400)
{
	ck_assert_int_eq(with_cookie("a=1;b=2;c=3;d=4;e=5;f=6;g=7;h=8"), 0);
	ck_assert_int_eq(with_cookie("a=1;b=2;c=3;d=4;e=5;f=6;g=7;h=8;i=9"),
	    HTTP_400);
}
END_TEST

START_TEST(test_http_parse_cookies_values_are_utf8)
{
	struct params	 p = { 0 };

	ck_assert_int_eq(http_parse_cookies(&r, "k=\xed\xa0\x80; j=ok", &p),
	    0);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_str_eq(params_get(&p, "j"), "ok");
	for (size_t i = 0; i < p.n; i++)
		ck_assert(util_is_utf8(p.v[i].value, strlen(p.v[i].value)));
}
END_TEST

/* ---- request helpers ------------------------------------------------ */

START_TEST(test_http_req_int_clamps_and_defaults)
{
	ck_assert_int_eq(get("/?page=5&zero=0&big=99&neg=-3&word=abc&sp=5x"
	    "&huge=99999999999999999999&empty="), 0);
	ck_assert_int_eq(req_int(&r, "page", 1, 1, 10), 5);
	ck_assert_int_eq(req_int(&r, "zero", 1, 1, 10), 1);
	ck_assert_int_eq(req_int(&r, "big", 1, 1, 10), 10);
	ck_assert_int_eq(req_int(&r, "neg", 1, 1, 10), 1);
	ck_assert_int_eq(req_int(&r, "neg", 0, -10, 10), -3);
	ck_assert_int_eq(req_int(&r, "word", 7, 1, 10), 7);
	ck_assert_int_eq(req_int(&r, "sp", 7, 1, 10), 7);
	ck_assert_int_eq(req_int(&r, "empty", 7, 1, 10), 7);
	ck_assert_int_eq(req_int(&r, "absent", 3, 1, 10), 3);
	/* Digits beyond long long are still "too big": clamped to max. */
	ck_assert_int_eq(req_int(&r, "huge", 3, 1, 10), 10);
}
END_TEST

START_TEST(test_http_method_and_headers_are_read)
{
	ck_assert_int_eq(fixture_http(&r, NULL, "REQUEST_METHOD=DELETE",
	    "REQUEST_URI=/x", "HTTP_USER_AGENT=test/1.0",
	    "CONTENT_TYPE=text/plain", "HTTPS=on", "REMOTE_ADDR=192.0.2.1",
	    "REQUEST_ID=abc123", (char *)NULL), 0);
	ck_assert_int_eq(r.method, M_DELETE);
	ck_assert_str_eq(r.method_name, "DELETE");
	ck_assert_str_eq(req_header(&r, "User-Agent"), "test/1.0");
	ck_assert_str_eq(req_header(&r, "content-type"), "text/plain");
	ck_assert_ptr_null(req_header(&r, "X-Missing"));
	ck_assert_str_eq(req_env(&r, "REMOTE_ADDR"), "192.0.2.1");
	ck_assert_ptr_null(req_env(&r, "REMOTE"));
	ck_assert(r.is_https);
	ck_assert_str_eq(r.remote_addr, "192.0.2.1");
	ck_assert_str_eq(r.request_id, "abc123");
}
END_TEST

START_TEST(test_http_unknown_method_is_other)
{
	ck_assert_int_eq(http_method_parse("GET"), M_GET);
	ck_assert_int_eq(http_method_parse("HEAD"), M_HEAD);
	ck_assert_int_eq(http_method_parse("OPTIONS"), M_OPTIONS);
	ck_assert_int_eq(http_method_parse("get"), M_OTHER);
	ck_assert_int_eq(http_method_parse("BREW"), M_OTHER);
	ck_assert_int_eq(http_method_parse(""), M_OTHER);
}
END_TEST

START_TEST(test_http_defaults_without_method_or_request_id)
{
	ck_assert_int_eq(fixture_http(&r, NULL, "REQUEST_URI=/", (char *)NULL),
	    0);
	ck_assert_int_eq(r.method, M_GET);
	ck_assert(!r.is_https);
	ck_assert_str_ne(r.request_id, "-");
	ck_assert_uint_gt(strlen(r.request_id), 0);
	/* An over-long REQUEST_ID is replaced, not trusted. */
	req_reset(&r);
	ck_assert_int_eq(fixture_http(&r, NULL, "REQUEST_URI=/",
	    arena_printf(r.arena, "REQUEST_ID=%s", rep('i', 65)),
	    (char *)NULL), 0);
	ck_assert_uint_le(strlen(r.request_id), 64);
}
END_TEST

START_TEST(test_http_req_reset_forgets_the_request)
{
	ck_assert_int_eq(get("/a/?x=1"), 0);
	http_set_header(&r, "X-Test", "1");
	buf_puts(&r.out, "body");
	r.failed = 500;
	req_reset(&r);
	ck_assert_str_eq(r.path, "/");
	ck_assert_uint_eq(r.query_params.n, 0);
	ck_assert_ptr_null(req_query(&r, "x"));
	ck_assert_uint_eq(r.nresp, 0);
	ck_assert_uint_eq(r.out.len, 0);
	ck_assert(!req_failed(&r));
	ck_assert_ptr_eq(r.limits, &fixture_limits);
}
END_TEST

START_TEST(test_http_req_fail_keeps_the_first_status)
{
	ck_assert(!req_failed(&r));
	req_fail(&r, 503, "busy %d", 1);
	req_fail(&r, 500, "later");
	ck_assert(req_failed(&r));
	ck_assert_int_eq(r.failed, 503);
}
END_TEST

/* ---- responses ------------------------------------------------------ */

START_TEST(test_http_serialize_starts_with_status_line)
{
	struct buf	 out;

	buf_puts(&r.out, "hello");
	serialize(200, &out);
	ck_assert_int_eq(strncmp(out.ptr, "Status: 200 OK\r\n", 16), 0);
	ck_assert(fixture_has(out.ptr, "\r\nContent-Length: 5\r\n"));
	ck_assert(fixture_has(out.ptr,
	    "\r\nContent-Type: text/html; charset=utf-8\r\n"));
	ck_assert_uint_ge(out.len, 9);
	ck_assert_str_eq(out.ptr + out.len - 9, "\r\n\r\nhello");
	buf_free(&out);
}
END_TEST

START_TEST(test_http_serialize_adds_security_headers)
{
	struct buf	 out;

	serialize(404, &out);
	ck_assert(fixture_has(out.ptr, "Status: 404 Not Found\r\n"));
	ck_assert(fixture_has(out.ptr, "\r\nX-Content-Type-Options: nosniff\r\n"));
	ck_assert(fixture_has(out.ptr, "\r\nX-Frame-Options: DENY\r\n"));
	ck_assert(fixture_has(out.ptr, "\r\nReferrer-Policy: same-origin\r\n"));
	ck_assert(fixture_has(out.ptr, "\r\nContent-Security-Policy: "
	    "default-src 'self';"));
	ck_assert(fixture_has(out.ptr, "frame-ancestors 'none'"));
	ck_assert(!fixture_has(out.ptr, "Strict-Transport-Security"));
	buf_free(&out);
	r.is_https = true;
	serialize(200, &out);
	ck_assert(fixture_has(out.ptr, "\r\nStrict-Transport-Security: "
	    "max-age="));
	buf_free(&out);
}
END_TEST

START_TEST(test_http_serialize_head_has_no_body_but_keeps_length)
{
	struct buf	 out;

	ck_assert_int_eq(fixture_http(&r, NULL, "REQUEST_METHOD=HEAD",
	    "REQUEST_URI=/", (char *)NULL), 0);
	buf_puts(&r.out, "0123456789");
	serialize(200, &out);
	ck_assert(fixture_has(out.ptr, "\r\nContent-Length: 10\r\n"));
	ck_assert(!fixture_has(out.ptr, "0123456789"));
	ck_assert_uint_ge(out.len, 4);
	ck_assert_str_eq(out.ptr + out.len - 4, "\r\n\r\n");
	buf_free(&out);
}
END_TEST

START_TEST(test_http_serialize_304_has_no_body)
{
	struct buf	 out;

	buf_puts(&r.out, "stale body");
	serialize(304, &out);
	ck_assert(fixture_has(out.ptr, "Status: 304 Not Modified\r\n"));
	ck_assert(!fixture_has(out.ptr, "stale body"));
	ck_assert(!fixture_has(out.ptr, "Content-Length"));
	ck_assert_str_eq(out.ptr + out.len - 4, "\r\n\r\n");
	buf_free(&out);
}
END_TEST

START_TEST(test_http_serialize_empty_body_has_zero_length)
{
	struct buf	 out;

	serialize(200, &out);
	ck_assert(fixture_has(out.ptr, "\r\nContent-Length: 0\r\n"));
	ck_assert_str_eq(out.ptr + out.len - 4, "\r\n\r\n");
	buf_free(&out);
}
END_TEST

START_TEST(test_http_header_values_cannot_inject_headers)
{
	struct buf	 out;

	http_set_header(&r, "Location",
	    "/next\r\nSet-Cookie: sid=evil\r\n\r\n<script>");
	r.content_type = "text/plain\nX-Evil: 1";
	serialize(302, &out);
	ck_assert(!fixture_has(out.ptr, "\nSet-Cookie"));
	ck_assert(!fixture_has(out.ptr, "\nX-Evil"));
	ck_assert(fixture_has(out.ptr, "\r\nLocation: /next"));
	/* Exactly one blank line: the end of the headers. */
	ck_assert_ptr_eq(strstr(out.ptr, "\r\n\r\n"), out.ptr + out.len - 4);
	buf_free(&out);
}
END_TEST

START_TEST(test_http_serialize_sends_allow_only_with_405)
{
	struct buf	 out;

	r.allow = "GET, HEAD";
	serialize(405, &out);
	ck_assert(fixture_has(out.ptr, "\r\nAllow: GET, HEAD\r\n"));
	buf_free(&out);
	serialize(200, &out);
	ck_assert(!fixture_has(out.ptr, "Allow:"));
	buf_free(&out);
}
END_TEST

START_TEST(test_http_set_header_replaces_same_name)
{
	struct buf	 out;

	http_set_header(&r, "Cache-Control", "public");
	http_set_header(&r, "cache-control", "no-store");
	ck_assert_uint_eq(r.nresp, 1);
	ck_assert_str_eq(http_get_header(&r, "CACHE-CONTROL"), "no-store");
	ck_assert_ptr_null(http_get_header(&r, "Location"));
	serialize(200, &out);
	ck_assert(fixture_has(out.ptr, "Cache-Control: no-store\r\n"));
	ck_assert(!fixture_has(out.ptr, "public"));
	buf_free(&out);
}
END_TEST

START_TEST(test_http_redirect_sets_location_and_drops_body)
{
	buf_puts(&r.out, "partial page");
	ck_assert_int_eq(http_redirect(&r, 303, "/done/"), 303);
	ck_assert_str_eq(http_get_header(&r, "Location"), "/done/");
	ck_assert_uint_eq(r.out.len, 0);
}
END_TEST

START_TEST(test_http_url_encode_escapes_unsafe_bytes)
{
	ck_assert_str_eq(http_url_encode(&r, "AZaz09-_.~"), "AZaz09-_.~");
	ck_assert_str_eq(http_url_encode(&r, "a b/c?d&e=f#g%h+i"),
	    "a%20b%2Fc%3Fd%26e%3Df%23g%25h%2Bi");
	ck_assert_str_eq(http_url_encode(&r, "caf\xc3\xa9"), "caf%C3%A9");
	ck_assert_str_eq(http_url_encode(&r, "<\"'>\r\n"),
	    "%3C%22%27%3E%0D%0A");
	ck_assert_str_eq(http_url_encode(&r, ""), "");
}
END_TEST

START_TEST(test_http_path_encode_keeps_slashes_and_encodes_the_rest)
{
	ck_assert_str_eq(http_path_encode(&r, "/articles/x/"), "/articles/x/");
	ck_assert_str_eq(http_path_encode(&r, "/a b/caf\xc3\xa9/"),
	    "/a%20b/caf%C3%A9/");
	ck_assert_str_eq(http_path_encode(&r, "/q?x#y%z/"), "/q%3Fx%23y%25z/");
	ck_assert_str_eq(http_path_encode(&r, "/\\evil.example/"),
	    "/%5Cevil.example/");
	ck_assert_str_eq(http_path_encode(&r, "/a\r\nb\"<>/"),
	    "/a%0D%0Ab%22%3C%3E/");
	ck_assert_str_eq(http_path_encode(&r, "/-_.~!$&'()*+,;=:@/"),
	    "/-_.~!$&'()*+,;=:@/");
}
END_TEST

START_TEST(test_http_path_encode_of_parsed_path_reparses_to_it)
{
	static const char *const uris[] = {
		"/caf%C3%A9/%3F%23/", "/a%20b", "/%5C%5Cx/", "/%25/",
		"/a+b/%2B/",
	};

	for (size_t i = 0; i < NELEM(uris); i++) {
		const char	*enc, *again = NULL;

		ck_assert_int_eq(get(uris[i]), 0);
		enc = http_path_encode(&r, r.path);
		ck_assert_msg(enc[0] == '/' && enc[1] != '/' && enc[1] != '\\',
		    "%s -> %s", uris[i], enc);
		ck_assert_int_eq(http_parse_path(&r, enc, strlen(enc), &again),
		    0);
		ck_assert_str_eq(again, r.path);
	}
}
END_TEST

START_TEST(test_http_reason_names_statuses)
{
	ck_assert_str_eq(http_reason(200), "OK");
	ck_assert_str_eq(http_reason(301), "Moved Permanently");
	ck_assert_str_eq(http_reason(404), "Not Found");
	ck_assert_str_eq(http_reason(405), "Method Not Allowed");
	ck_assert_str_eq(http_reason(413), "Content Too Large");
	ck_assert_str_eq(http_reason(414), "URI Too Long");
	ck_assert_str_eq(http_reason(503), "Service Unavailable");
	ck_assert_str_eq(http_reason(299), "Unknown");
	ck_assert_str_eq(http_reason(0), "Unknown");
}
END_TEST

START_TEST(test_http_limits_come_from_config)
{
	struct config		 c;
	struct http_limits	 l;
	char			 err[256];

	ck_assert_int_eq(config_load(&c, NULL, err, sizeof(err)), 0);
	http_limits_from_config(&l, &c);
	ck_assert_uint_eq(l.max_body, (size_t)c.max_body);
	ck_assert_uint_eq(l.max_uri, (size_t)c.max_uri);
	ck_assert_uint_eq(l.max_params, (size_t)c.max_params);
	ck_assert_uint_eq(l.max_key, (size_t)c.max_key);
	ck_assert_uint_eq(l.max_value, (size_t)c.max_value);
	ck_assert_uint_eq(l.max_headers, (size_t)c.max_headers);
	ck_assert_uint_eq(l.max_cookie, (size_t)c.max_cookie);
	config_free(&c);
}
END_TEST

Suite *
http_suite(void)
{
	Suite	*s = suite_create("http");
	TCase	*q = tcase_create("query");
	TCase	*f = tcase_create("form");
	TCase	*p = tcase_create("path");
	TCase	*c = tcase_create("cookie");
	TCase	*h = tcase_create("request");
	TCase	*o = tcase_create("response");

	tcase_add_checked_fixture(q, setup, teardown);
	tcase_add_test(q, test_http_parses_query_pairs);
	tcase_add_test(q, test_http_decodes_percent_encoded_keys_and_plus);
	tcase_add_test(q, test_http_skips_empty_query_pieces);
	tcase_add_test(q, test_http_key_without_equals_has_empty_value);
	tcase_add_test(q, test_http_first_of_repeated_keys_wins);
	tcase_add_test(q, test_http_rejects_bad_percent_encoding);
	tcase_add_test(q, test_http_urlencoded_reads_only_len_bytes);
	tcase_add_test(q, test_http_rejects_invalid_utf8);
	tcase_add_test(q, test_http_rejects_nul_bytes);
	tcase_add_test(q, test_http_rejects_too_many_params);
	tcase_add_test(q, test_http_rejects_long_key);
	tcase_add_test(q, test_http_rejects_long_value);
	tcase_add_test(q, test_http_uri_over_limit_is_414);
	tcase_add_test(q, test_http_missing_uri_is_400);
	tcase_add_test(q, test_http_headers_over_limit_are_400);
	tcase_add_test(q, test_http_cookie_over_limit_is_400);
	tcase_add_test(q, test_http_body_over_limit_is_413);
	suite_add_tcase(s, q);

	tcase_add_checked_fixture(f, setup, teardown);
	tcase_add_test(f, test_http_parses_form_on_urlencoded_post);
	tcase_add_test(f, test_http_parses_form_with_charset_suffix);
	tcase_add_test(f, test_http_ignores_form_on_get);
	tcase_add_test(f, test_http_ignores_form_of_other_content_types);
	tcase_add_test(f, test_http_rejects_bad_form_encoding);
	tcase_add_test(f, test_http_form_and_query_share_the_param_limit);
	suite_add_tcase(s, f);

	tcase_add_checked_fixture(p, setup, teardown);
	tcase_add_test(p, test_http_normalises_paths);
	tcase_add_test(p, test_http_keeps_raw_path_and_query);
	tcase_add_test(p, test_http_rejects_paths_climbing_above_root);
	tcase_add_test(p, test_http_parse_path_rejects_relative_and_empty);
	suite_add_tcase(s, p);

	tcase_add_checked_fixture(c, setup, teardown);
	tcase_add_test(c, test_http_parses_cookies);
	tcase_add_test(c, test_http_cookie_quotes_and_spaces_are_trimmed);
	tcase_add_test(c, test_http_cookie_without_equals_is_skipped);
	tcase_add_test(c, test_http_cookie_keeps_equals_in_value);
	tcase_add_test(c, test_http_invalid_utf8_cookie_is_skipped_not_fatal);
	tcase_add_test(c, test_http_too_many_cookies_is_400);
	tcase_add_test(c, test_http_parse_cookies_values_are_utf8);
	suite_add_tcase(s, c);

	tcase_add_checked_fixture(h, setup, teardown);
	tcase_add_test(h, test_http_req_int_clamps_and_defaults);
	tcase_add_test(h, test_http_method_and_headers_are_read);
	tcase_add_test(h, test_http_unknown_method_is_other);
	tcase_add_test(h, test_http_defaults_without_method_or_request_id);
	tcase_add_test(h, test_http_req_reset_forgets_the_request);
	tcase_add_test(h, test_http_req_fail_keeps_the_first_status);
	tcase_add_test(h, test_http_limits_come_from_config);
	suite_add_tcase(s, h);

	tcase_add_checked_fixture(o, setup, teardown);
	tcase_add_test(o, test_http_serialize_starts_with_status_line);
	tcase_add_test(o, test_http_serialize_adds_security_headers);
	tcase_add_test(o, test_http_serialize_head_has_no_body_but_keeps_length);
	tcase_add_test(o, test_http_serialize_304_has_no_body);
	tcase_add_test(o, test_http_serialize_empty_body_has_zero_length);
	tcase_add_test(o, test_http_header_values_cannot_inject_headers);
	tcase_add_test(o, test_http_serialize_sends_allow_only_with_405);
	tcase_add_test(o, test_http_set_header_replaces_same_name);
	tcase_add_test(o, test_http_redirect_sets_location_and_drops_body);
	tcase_add_test(o, test_http_url_encode_escapes_unsafe_bytes);
	tcase_add_test(o,
	    test_http_path_encode_keeps_slashes_and_encodes_the_rest);
	tcase_add_test(o, test_http_path_encode_of_parsed_path_reparses_to_it);
	tcase_add_test(o, test_http_reason_names_statuses);
	suite_add_tcase(s, o);
	return s;
}
