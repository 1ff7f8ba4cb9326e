/*
 * 002_errors: what gazette refuses and how, through nginx: unknown
 * paths, wrong methods, malformed queries, oversized URIs, bodies,
 * headers and cookies, HEAD, the append-slash redirect and dot segments,
 * and that none of it hurts a worker.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* The path of the first article on the home page, malloc'd, or NULL. */
static char *
first_article(struct site *s)
{
	struct resp	 r = { 0 };
	char		**v, *slug = NULL;
	size_t		 n;

	if (http_get(s, "/", &r) == 200 &&
	    (n = html_hrefs(r.body, "/articles/", &v)) > 0) {
		slug = strdup(v[0]);
		html_hrefs_free(v, n);
	}
	resp_free(&r);
	return slug;
}

/* GET path must answer want with gazette's error page saying detail. */
static void
check_refused(struct site *s, const char *path, int want, const char *h1,
    const char *detail)
{
	struct resp	 r = { 0 };

	http_get(s, path, &r);
	if (CHECK_STATUS(&r, want, "GET", path)) {
		CHECK_CONTAINS(r.body, h1, "error page for %.60s", path);
		if (detail != NULL)
			CHECK_CONTAINS(r.body, detail, "error page for %.60s",
			    path);
	}
	resp_free(&r);
}

static void
test_unknown_path_is_404(struct site *s)
{
	check_refused(s, "/no-such-page/", 404, "<h1>404 Not Found</h1>",
	    NULL);
	check_refused(s, "/articles/", 404, "<h1>404 Not Found</h1>", NULL);
}

static void
test_post_home_is_405_with_allow(struct site *s)
{
	struct resp	 r = { 0 };

	http_request(s, "POST", "/", NULL, "a=1", 3, &r);
	if (CHECK_STATUS(&r, 405, "POST", "/")) {
		CHECK_STR(resp_header(&r, "Allow"), "GET, HEAD",
		    "Allow header of the 405");
		CHECK_CONTAINS(r.body, "<h1>405 Method Not Allowed</h1>",
		    "405 page");
	}
	http_request(s, "DELETE", "/healthz", NULL, NULL, 0, &r);
	if (CHECK_STATUS(&r, 405, "DELETE", "/healthz"))
		CHECK_STR(resp_header(&r, "Allow"), "GET, HEAD",
		    "Allow header of the 405");
	resp_free(&r);
}

static void
test_malformed_before_is_400(struct site *s)
{
	check_refused(s, "/?before=garbage", 400, "<h1>400 Bad Request</h1>",
	    "before");
	check_refused(s, "/?before=", 400, "<h1>400 Bad Request</h1>", NULL);
}

static void
test_bad_query_encoding_is_400(struct site *s)
{
	const char	*why = "not valid percent-encoded UTF-8";

	check_refused(s, "/?q=%zz", 400, "<h1>400 Bad Request</h1>", why);
	check_refused(s, "/?q=%ff", 400, "<h1>400 Bad Request</h1>", why);
	check_refused(s, "/?q=%00", 400, "<h1>400 Bad Request</h1>", why);
	check_refused(s, "/?q=%c3%28", 400, "<h1>400 Bad Request</h1>", why);
	check_refused(s, "/?q=%e", 400, "<h1>400 Bad Request</h1>", why);
	check_refused(s, "/?%zz=1", 400, "<h1>400 Bad Request</h1>",
	    "parameter name");
	/* Valid UTF-8 is fine. */
	check_refused(s, "/?q=caf%C3%A9", 200, "Latest articles", NULL);
}

static void
test_long_uri_is_414(struct site *s)
{
	size_t		 n = 5000;
	char		*path = malloc(n + 1);
	struct resp	 r = { 0 };

	memcpy(path, "/?q=", 4);
	memset(path + 4, 'a', n - 4);
	path[n] = '\0';
	http_get(s, path, &r);
	if (CHECK_STATUS(&r, 414, "GET", "/?q=aaaa... (5000 bytes)"))
		CHECK_CONTAINS(r.body, "<h1>414 URI Too Long</h1>",
		    "gazette's 414 page");
	/* Just under the limit is fine. */
	path[4000] = '\0';
	http_get(s, path, &r);
	CHECK_STATUS(&r, 200, "GET", "/?q=aaaa... (4000 bytes)");
	free(path);
	resp_free(&r);
}

static void
test_body_over_max_body_is_413(struct site *s)
{
	size_t		 n = 1536 * 1024;	/* over 1m, under nginx's 2m */
	char		*body = malloc(n);
	const char	*hdr[] = { "Content-Type: application/octet-stream",
	    NULL };
	struct resp	 r = { 0 };

	memset(body, 'x', n);
	http_request(s, "POST", "/", hdr, body, n, &r);
	if (CHECK_STATUS(&r, 413, "POST", "/ with a 1.5 MB body")) {
		/* gazette's page, not nginx's "Request Entity Too Large". */
		CHECK_CONTAINS(r.body, "<h1>413 Content Too Large</h1>",
		    "gazette's 413 page");
		CHECK_CONTAINS(r.body, "class=\"error-page\"",
		    "gazette's 413 page");
	}
	free(body);
	/* The worker that drained the body still serves. */
	for (int i = 0; i < 4; i++) {
		http_get(s, "/healthz", &r);
		CHECK_STATUS(&r, 200, "GET", "/healthz after the 413");
	}
	resp_free(&r);
}

static void
test_headers_over_max_headers_are_400(struct site *s)
{
	/* Five headers of 4000 bytes: each under nginx's 8k buffers, 20 KB
	 * in all against gazette's max_headers of 16384. */
	char		*vals[5];
	const char	*hdr[6];
	struct resp	 r = { 0 };

	for (int i = 0; i < 5; i++) {
		vals[i] = malloc(4001);
		snprintf(vals[i], 4001, "X-Filler-%d: ", i);
		memset(vals[i] + strlen(vals[i]), 'h', 4000 - strlen(vals[i]));
		vals[i][4000] = '\0';
		hdr[i] = vals[i];
	}
	hdr[5] = NULL;
	http_request(s, "GET", "/", hdr, NULL, 0, &r);
	if (CHECK_STATUS(&r, 400, "GET", "/ with 20 KB of headers"))
		CHECK_CONTAINS(r.body, "The request headers are too large.",
		    "gazette's 400 page");
	/* Two of them (8 KB) are fine. */
	hdr[2] = NULL;
	http_request(s, "GET", "/", hdr, NULL, 0, &r);
	CHECK_STATUS(&r, 200, "GET", "/ with 8 KB of headers");
	for (int i = 0; i < 5; i++)
		free(vals[i]);
	resp_free(&r);
}

static void
test_cookie_over_max_cookie_is_400(struct site *s)
{
	char		 cookie[5200];
	const char	*hdr[] = { cookie, NULL };
	struct resp	 r = { 0 };

	snprintf(cookie, sizeof(cookie), "Cookie: a=");
	memset(cookie + 10, 'c', 5000);
	cookie[5010] = '\0';
	http_request(s, "GET", "/", hdr, NULL, 0, &r);
	if (CHECK_STATUS(&r, 400, "GET", "/ with a 5000-byte Cookie"))
		CHECK_CONTAINS(r.body, "The Cookie header is too large.",
		    "gazette's 400 page");
	/* A small cookie is fine. */
	cookie[200] = '\0';
	http_request(s, "GET", "/", hdr, NULL, 0, &r);
	CHECK_STATUS(&r, 200, "GET", "/ with a 190-byte Cookie");
	resp_free(&r);
}

static void
test_head_has_no_body_and_get_length(struct site *s)
{
	static const char	 head[] = "HEAD / HTTP/1.1\r\n"
	    "Host: localhost\r\nConnection: close\r\n\r\n";
	struct resp		 g = { 0 }, h = { 0 };
	const char		*glen, *hlen;
	char			 n[32];

	http_get(s, "/", &g);
	REQUIRE_STATUS(&g, 200, "GET", "/");
	http_raw(s, head, sizeof(head) - 1, &h);
	if (!CHECK_STATUS(&h, 200, "HEAD", "/ (raw socket)"))
		goto out;
	glen = resp_header(&g, "Content-Length");
	hlen = resp_header(&h, "Content-Length");
	snprintf(n, sizeof(n), "%zu", g.len);
	CHECK_STR(glen, n, "GET / Content-Length against its body");
	CHECK_STR(hlen, glen, "HEAD / Content-Length against GET's");
	CHECK_INT(h.len, 0, "bytes after the headers of HEAD /");
	CHECK_STR(resp_header(&h, "X-Frame-Options"), "DENY",
	    "X-Frame-Options on HEAD /");
out:
	resp_free(&g);
	resp_free(&h);
}

static void
test_missing_slash_redirects_301(struct site *s)
{
	struct resp	 r = { 0 };
	char		*art = first_article(s), *path = NULL, *want = NULL;
	size_t		 n;

	REQUIRE(art != NULL, "the home page links an article");
	n = strlen(art);
	CHECK(n > 11 && art[n - 1] == '/', "article URL %s ends in /", art);
	path = strndup(art, n - 1);		/* /articles/SLUG */
	http_get(s, path, &r);
	if (CHECK_STATUS(&r, 301, "GET", path)) {
		CHECK_STR(resp_header(&r, "Location"), art,
		    "Location of GET %s", path);
		CHECK_STR(r.status_line, "HTTP/1.1 301 Moved Permanently",
		    "status line of the redirect");
	}
	free(path);
	path = str_printf("%.*s?ref=home&x=%%C3%%A9", (int)(n - 1), art);
	want = str_printf("%s?ref=home&x=%%C3%%A9", art);
	http_get(s, path, &r);
	if (CHECK_STATUS(&r, 301, "GET", path))
		CHECK_STR(resp_header(&r, "Location"), want,
		    "Location keeps the query");
	/* The target answers. */
	http_get(s, art, &r);
	CHECK_STATUS(&r, 200, "GET", art);
	/* HEAD redirects too; POST does not. */
	free(path);
	path = strndup(art, n - 1);
	http_request(s, "HEAD", path, NULL, NULL, 0, &r);
	CHECK_STATUS(&r, 301, "HEAD", path);
	http_request(s, "POST", path, NULL, "", 0, &r);
	CHECK_STATUS(&r, 404, "POST", path);
	free(path);
	free(want);
	free(art);
	resp_free(&r);
}

/*
 * The append-slash redirect must stay on this site whatever the raw
 * path looks like.  A Location starting "//" or "/\\" is read by
 * browsers as another host (protocol-relative), so it would be an open
 * redirect: GET //evil.example/../articles/x -> //evil.example/...
 */
static void
test_redirect_never_leaves_the_site(struct site *s)
{
	static const char *const paths[] = {
		"//evil.example/../articles/x",
		"//evil.example/..//articles/x",
		"///evil.example/../articles/x",
		"/\\evil.example/../articles/x",
		"/./\\evil.example/../articles/x",
	};
	struct resp	 r = { 0 };

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		char		 raw[512];
		const char	*loc;
		int		 n;

		n = snprintf(raw, sizeof(raw), "GET %s HTTP/1.1\r\nHost: "
		    "localhost\r\nConnection: close\r\n\r\n", paths[i]);
		http_raw(s, raw, (size_t)n, &r);
		if (r.status != 301) {
			/* Refusing it (400, 404) is fine too. */
			CHECK(r.status >= 400 && r.status < 500, "GET %s is a "
			    "same-site redirect or a 4xx (got %d)", paths[i],
			    r.status);
			continue;
		}
		loc = resp_header(&r, "Location");
		CHECK(loc != NULL && loc[0] == '/' && loc[1] != '/' &&
		    loc[1] != '\\', "the Location of GET %s stays on the site "
		    "(got %s)", paths[i], loc != NULL ? loc : "none");
	}
	resp_free(&r);
}

static void
test_dot_segments_normalise_or_are_refused(struct site *s)
{
	static const char	 raw[] = "GET /articles/../../healthz "
	    "HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
	struct resp		 r = { 0 };

	http_get(s, "/articles/../healthz", &r);
	if (CHECK_STATUS(&r, 200, "GET", "/articles/../healthz"))
		CHECK_STR(r.body, "ok\n", "body of /articles/../healthz");
	http_get(s, "/articles/./../healthz", &r);
	if (CHECK_STATUS(&r, 200, "GET", "/articles/./../healthz"))
		CHECK_STR(r.body, "ok\n", "body of /articles/./../healthz");
	/* Above the root: 400, from nginx or gazette. */
	http_get(s, "/../healthz", &r);
	CHECK_STATUS(&r, 400, "GET", "/../healthz");
	http_get(s, "/articles/../../etc/passwd", &r);
	CHECK_STATUS(&r, 400, "GET", "/articles/../../etc/passwd");
	http_raw(s, raw, sizeof(raw) - 1, &r);
	CHECK_STATUS(&r, 400, "GET", "/articles/../../healthz (raw socket)");
	resp_free(&r);
}

static void
test_site_survives_all_of_it(struct site *s)
{
	struct resp	 r = { 0 };

	for (int i = 0; i < 5; i++) {
		http_get(s, "/", &r);
		CHECK_STATUS(&r, 200, "GET", "/ after the bad requests");
	}
	resp_free(&r);
	CHECK_INT(site_log_count(s, "worker died", NULL), 0,
	    "\"worker died\" lines in gazette.log");
	CHECK_INT(site_log_count(s, "status=500", NULL), 0,
	    "status=500 lines in gazette.log");
	CHECK(site_log_count(s, "status=400", NULL) >= 8,
	    "gazette logged its 400s (%d)", site_log_count(s, "status=400",
	    NULL));
	CHECK_LOG_CLEAN(s);
}

int
main(void)
{
	struct site		 s;
	struct site_opts	 o = { .workers = 2, .articles = 25 };

	harness_init("002_errors");
	if (site_start(&s, &o) == 0) {
		RUN(test_unknown_path_is_404, &s);
		RUN(test_post_home_is_405_with_allow, &s);
		RUN(test_malformed_before_is_400, &s);
		RUN(test_bad_query_encoding_is_400, &s);
		RUN(test_long_uri_is_414, &s);
		RUN(test_body_over_max_body_is_413, &s);
		RUN(test_headers_over_max_headers_are_400, &s);
		RUN(test_cookie_over_max_cookie_is_400, &s);
		RUN(test_head_has_no_body_and_get_length, &s);
		RUN(test_missing_slash_redirects_301, &s);
		RUN(test_redirect_never_leaves_the_site, &s);
		RUN(test_dot_segments_normalise_or_are_refused, &s);
		RUN(test_site_survives_all_of_it, &s);
		CHECK_INT(site_stop(&s), 0, "gazette's exit status after "
		    "SIGTERM");
	}
	return harness_finish();
}
