/*
 * test_csrf: app/core/csrf.c: the token for anonymous visitors (cookie)
 * and for sessions (their secret), and csrf_check's two halves: where
 * the request comes from (Origin, else Sec-Fetch-Site, else over HTTPS
 * the Referer) and the token (form field or header, exact, constant
 * time).  Then the same through router_dispatch on a table of its own.
 * The site is https://news.example.org.
 */
#include <ClearSilver.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/auth.h"
#include "core/csrf.h"
#include "core/db.h"
#include "core/http.h"
#include "core/render.h"
#include "core/router.h"
#include "core/session.h"
#include "fixture.h"

Suite	*csrf_suite(void);

#define SITE	"https://news.example.org"
#define HOST	"news.example.org"
#define TOKEN	"AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE"	/* 43 */
#define OTHER	"ZbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE"

static struct fixture_db	 fdb;
static struct req		 reqs[24];
static size_t			 nreqs;
static const char		*ran;

static void
setup(void)
{
	struct config	 c;

	fixture_accounts_open(&fdb);
	c = fdb.cfg;
	c.site_url = (char *)SITE "/";
	csrf_init(&c, NULL);
	nreqs = 0;
	ran = NULL;
}

static void
teardown(void)
{
	for (size_t i = 0; i < nreqs; i++) {
		render_reset(&reqs[i]);
		req_free(&reqs[i]);
	}
	nreqs = 0;
	fixture_db_close(&fdb);
}

static struct req *
next_req(void)
{
	struct req	*r;

	ck_assert_uint_lt(nreqs, NELEM(reqs));
	r = &reqs[nreqs++];
	req_init(r, &fixture_wide_limits);
	return r;
}

/* A request; NULL members are left out, host NULL means HOST. */
struct rq {
	const char	*method;	/* NULL: POST */
	const char	*uri;		/* NULL: /form/ */
	const char	*field;		/* csrf_token in the form body */
	const char	*header;	/* X-CSRF-Token */
	const char	*cookie;	/* Cookie header, whole */
	const char	*origin;
	const char	*fetch;		/* Sec-Fetch-Site */
	const char	*referer;
	const char	*host;
	const char	*port;		/* SERVER_PORT */
	bool		 https;
};

static struct req *
send(const struct rq *q)
{
	struct req	*r = next_req();
	char		 body[256];

	if (q->field != NULL)
		snprintf(body, sizeof(body), "title=Hello&" CSRF_FIELD "=%s",
		    q->field);
	else
		snprintf(body, sizeof(body), "title=Hello");
	ck_assert_int_eq(fixture_request(r, q->method != NULL ? q->method :
	    "POST", q->uri != NULL ? q->uri : "/form/", body,
	    "Host", q->host != NULL ? q->host : HOST,
	    "Cookie", q->cookie,
	    "Origin", q->origin,
	    "Sec-Fetch-Site", q->fetch,
	    "Referer", q->referer,
	    "X-CSRF-Token", q->header,
	    "HTTPS", q->https ? "on" : NULL,
	    "SERVER_PORT", q->port,
	    (char *)NULL), 0);
	return r;
}

/* csrf_check on q; *reason set on refusal, NULL on success. */
static bool
check(const struct rq *q, const char **reason)
{
	struct req	*r = send(q);
	bool		 ok;

	*reason = NULL;
	ok = csrf_check(r, reason);
	ck_assert(ok == (*reason == NULL));
	return ok;
}

#define ANON_COOKIE	CSRF_COOKIE "=" TOKEN

/* ---- csrf_token ----------------------------------------------------- */

START_TEST(test_csrf_token_anonymous_sets_cookie_once)
{
	struct req	*r = send(&(struct rq){ .method = "GET" });
	const char	*t, *h;

	ck_assert_ptr_nonnull(t = csrf_token(r));
	ck_assert_int_eq(strlen(t), 43);
	ck_assert_str_eq(fixture_set_cookie(r, CSRF_COOKIE, &h), t);
	ck_assert_msg(fixture_has(h, "; HttpOnly"), "%s", h);
	ck_assert_msg(fixture_has(h, "; Max-Age=31536000"), "%s", h);
	ck_assert_str_eq(csrf_token(r), t);
	ck_assert_int_eq(fixture_count_set_cookie(r, CSRF_COOKIE), 1);
	ck_assert_str_eq(hdf_get_value((HDF *)r->hdf, "CSRF.token", ""), t);
}
END_TEST

START_TEST(test_csrf_token_anonymous_tokens_differ)
{
	const char	*a = csrf_token(send(&(struct rq){ .method = "GET" }));
	const char	*b = csrf_token(send(&(struct rq){ .method = "GET" }));

	ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(test_csrf_token_reuses_valid_cookie)
{
	struct req	*r = send(&(struct rq){ .method = "GET",
	    .cookie = ANON_COOKIE });

	ck_assert_str_eq(csrf_token(r), TOKEN);
	ck_assert_int_eq(fixture_count_set_cookie(r, CSRF_COOKIE), 0);
}
END_TEST

START_TEST(test_csrf_token_replaces_malformed_cookie)
{
	static const char *const bad[] = {
		CSRF_COOKIE "=short",
		CSRF_COOKIE "=" TOKEN "A",
		CSRF_COOKIE "=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AbCdE",
		CSRF_COOKIE "=",
	};

	for (size_t i = 0; i < NELEM(bad); i++) {
		struct req	*r = send(&(struct rq){ .method = "GET",
		    .cookie = bad[i] });
		const char	*t = csrf_token(r);

		ck_assert_int_eq(strlen(t), 43);
		ck_assert_str_eq(fixture_set_cookie(r, CSRF_COOKIE, NULL), t);
	}
}
END_TEST

START_TEST(test_csrf_token_for_session_is_its_secret)
{
	struct req	*r = send(&(struct rq){ .method = "GET" });
	const char	*c;
	char		 cookie[128];

	ck_assert_int_eq(session_start(r, auth_user_by_id(r,
	    fixture_user(r, "alice", NULL)), false, false), 0);
	c = fixture_set_cookie(r, SESSION_COOKIE, NULL);
	snprintf(cookie, sizeof(cookie), SESSION_COOKIE "=%s; " ANON_COOKIE, c);
	r = send(&(struct rq){ .method = "GET", .cookie = cookie });
	session_load(r);
	ck_assert_ptr_nonnull(r->session);
	ck_assert_str_eq(csrf_token(r), r->session->csrf_secret);
	ck_assert_str_ne(csrf_token(r), TOKEN);
	ck_assert_int_eq(fixture_count_set_cookie(r, CSRF_COOKIE), 0);
}
END_TEST

START_TEST(test_csrf_token_rotates_at_login)
{
	struct req	*r = send(&(struct rq){ .method = "GET",
	    .cookie = ANON_COOKIE });

	ck_assert_str_eq(csrf_token(r), TOKEN);
	ck_assert_int_eq(session_start(r, auth_user_by_id(r,
	    fixture_user(r, "alice", NULL)), false, false), 0);
	ck_assert_str_eq(csrf_token(r), r->session->csrf_secret);
	ck_assert_str_ne(csrf_token(r), TOKEN);
	ck_assert_str_eq(hdf_get_value((HDF *)r->hdf, "CSRF.token", ""),
	    r->session->csrf_secret);
}
END_TEST

/* ---- csrf_check: the token ------------------------------------------ */

START_TEST(test_csrf_check_missing_token_refused)
{
	const char	*why;

	ck_assert(!check(&(struct rq){ .cookie = ANON_COOKIE,
	    .origin = SITE }, &why));
	ck_assert_msg(fixture_has(why, "token is missing"), "%s", why);
	ck_assert(!check(&(struct rq){ .cookie = ANON_COOKIE, .field = "",
	    .origin = SITE }, &why));
	ck_assert_msg(fixture_has(why, "token is missing"), "%s", why);
}
END_TEST

START_TEST(test_csrf_check_wrong_token_refused)
{
	const char	*why;

	ck_assert(!check(&(struct rq){ .cookie = ANON_COOKIE, .field = OTHER,
	    .origin = SITE }, &why));
	ck_assert_msg(fixture_has(why, "token is incorrect"), "%s", why);
	ck_assert(!check(&(struct rq){ .cookie = ANON_COOKIE, .header = OTHER,
	    .origin = SITE }, &why));
	ck_assert_msg(fixture_has(why, "token is incorrect"), "%s", why);
}
END_TEST

START_TEST(test_csrf_check_right_token_in_form_field_passes)
{
	const char	*why;

	ck_assert_msg(check(&(struct rq){ .cookie = ANON_COOKIE,
	    .field = TOKEN, .origin = SITE }, &why), "%s", why);
}
END_TEST

START_TEST(test_csrf_check_right_token_in_header_passes)
{
	const char	*why;

	ck_assert_msg(check(&(struct rq){ .cookie = ANON_COOKIE,
	    .header = TOKEN, .origin = SITE }, &why), "%s", why);
}
END_TEST

START_TEST(test_csrf_check_token_of_wrong_length_refused)
{
	static const char *const bad[] = {
		TOKEN "A", TOKEN TOKEN,
		"AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCd",	/* 42 */
		"A",
	};
	const char	*why;

	for (size_t i = 0; i < NELEM(bad); i++) {
		ck_assert_msg(!check(&(struct rq){ .cookie = ANON_COOKIE,
		    .field = bad[i], .origin = SITE }, &why), "%s", bad[i]);
		ck_assert_msg(fixture_has(why, "token is incorrect"), "%s", why);
	}
}
END_TEST

START_TEST(test_csrf_check_token_without_cookie_refused)
{
	const char	*why;

	ck_assert(!check(&(struct rq){ .field = TOKEN, .origin = SITE },
	    &why));
	ck_assert_msg(fixture_has(why, "cookie is missing"), "%s", why);
	ck_assert(!check(&(struct rq){ .cookie = CSRF_COOKIE "=short",
	    .field = "short", .origin = SITE }, &why));
	ck_assert_msg(fixture_has(why, "cookie is missing"), "%s", why);
}
END_TEST

START_TEST(test_csrf_check_session_wants_its_secret_not_the_cookie)
{
	struct req	*r = send(&(struct rq){ .method = "GET" });
	const char	*c, *secret, *why;
	char		 cookie[160];

	ck_assert_int_eq(session_start(r, auth_user_by_id(r,
	    fixture_user(r, "alice", NULL)), false, false), 0);
	c = fixture_set_cookie(r, SESSION_COOKIE, NULL);
	secret = r->session->csrf_secret;
	snprintf(cookie, sizeof(cookie), SESSION_COOKIE "=%s; " ANON_COOKIE, c);

	r = send(&(struct rq){ .cookie = cookie, .field = TOKEN,
	    .origin = SITE });
	session_load(r);
	ck_assert_ptr_nonnull(r->user);
	ck_assert(!csrf_check(r, &why));
	ck_assert_msg(fixture_has(why, "token is incorrect"), "%s", why);

	r = send(&(struct rq){ .cookie = cookie, .field = secret,
	    .origin = SITE });
	session_load(r);
	why = NULL;
	ck_assert_msg(csrf_check(r, &why), "%s", why);
}
END_TEST

/* ---- csrf_check: where the request comes from ----------------------- */

START_TEST(test_csrf_check_origin_of_site_url_passes)
{
	const char	*why;

	ck_assert_msg(check(&(struct rq){ .cookie = ANON_COOKIE,
	    .field = TOKEN, .origin = SITE, .host = "10.0.0.5:8080" }, &why),
	    "%s", why);
	ck_assert_msg(check(&(struct rq){ .cookie = ANON_COOKIE,
	    .field = TOKEN, .origin = "HTTPS://News.Example.ORG",
	    .host = "10.0.0.5:8080" }, &why), "%s", why);
}
END_TEST

START_TEST(test_csrf_check_origin_of_request_host_passes)
{
	const char	*why;

	ck_assert_msg(check(&(struct rq){ .cookie = ANON_COOKIE,
	    .field = TOKEN, .origin = "http://localhost:9000",
	    .host = "localhost:9000" }, &why), "%s", why);
	ck_assert_msg(check(&(struct rq){ .cookie = ANON_COOKIE,
	    .field = TOKEN, .origin = "https://localhost:9000",
	    .host = "localhost:9000", .https = true,
	    .referer = "https://localhost:9000/" }, &why), "%s", why);
	/* The scheme counts: this request came over plain HTTP. */
	ck_assert(!check(&(struct rq){ .cookie = ANON_COOKIE, .field = TOKEN,
	    .origin = "https://localhost:9000", .host = "localhost:9000" },
	    &why));
}
END_TEST

START_TEST(test_csrf_check_origin_adds_server_port_to_portless_host)
{
	const char	*why;

	/* nginx's $host has no port: SERVER_PORT puts it back. */
	ck_assert_msg(check(&(struct rq){ .cookie = ANON_COOKIE,
	    .field = TOKEN, .origin = "http://localhost:8080",
	    .host = "localhost", .port = "8080" }, &why), "%s", why);
	ck_assert(!check(&(struct rq){ .cookie = ANON_COOKIE, .field = TOKEN,
	    .origin = "http://localhost", .host = "localhost", .port = "8080" },
	    &why));
	ck_assert_msg(check(&(struct rq){ .cookie = ANON_COOKIE,
	    .field = TOKEN, .origin = "http://localhost",
	    .host = "localhost", .port = "80" }, &why), "%s", why);
	ck_assert_msg(check(&(struct rq){ .cookie = ANON_COOKIE,
	    .field = TOKEN, .origin = "https://localhost", .https = true,
	    .host = "localhost", .port = "443" }, &why), "%s", why);
	ck_assert(!check(&(struct rq){ .cookie = ANON_COOKIE, .field = TOKEN,
	    .origin = "https://localhost", .https = true,
	    .host = "localhost", .port = "80" }, &why));
	ck_assert_msg(check(&(struct rq){ .cookie = ANON_COOKIE,
	    .field = TOKEN, .origin = "http://[::1]:8080",
	    .host = "[::1]", .port = "8080" }, &why), "%s", why);
	/* A Host with its port is taken as it is. */
	ck_assert_msg(check(&(struct rq){ .cookie = ANON_COOKIE,
	    .field = TOKEN, .origin = "http://localhost:9000",
	    .host = "localhost:9000", .port = "8080" }, &why), "%s", why);
	ck_assert(!check(&(struct rq){ .cookie = ANON_COOKIE, .field = TOKEN,
	    .origin = "http://localhost:8080", .host = "localhost:9000",
	    .port = "8080" }, &why));
}
END_TEST

START_TEST(test_csrf_check_foreign_origin_refused)
{
	static const char *const foreign[] = {
		"https://evil.example",
		"https://news.example.org.evil.example",
		"https://news.example.org:444",
		"https://news.example.or",
		"https://news",
		"https://",
		"https://evil.example/https://news.example.org",
		"https://news.example.org@evil.example",
		"news.example.org",
		"",
	};
	const char	*why;

	for (size_t i = 0; i < NELEM(foreign); i++) {
		ck_assert_msg(!check(&(struct rq){ .cookie = ANON_COOKIE,
		    .field = TOKEN, .origin = foreign[i] }, &why),
		    "Origin %s accepted", foreign[i]);
		ck_assert_msg(fixture_has(why, "another site (Origin)"), "%s",
		    why);
	}
	/* Over HTTPS, the same host over plain HTTP is another origin. */
	ck_assert(!check(&(struct rq){ .cookie = ANON_COOKIE, .field = TOKEN,
	    .origin = "http://news.example.org", .https = true }, &why));
	ck_assert_msg(fixture_has(why, "(Origin)"), "%s", why);
}
END_TEST

START_TEST(test_csrf_check_null_origin_refused)
{
	const char	*why;

	ck_assert(!check(&(struct rq){ .cookie = ANON_COOKIE, .field = TOKEN,
	    .origin = "null" }, &why));
	ck_assert_msg(fixture_has(why, "(Origin)"), "%s", why);
}
END_TEST

START_TEST(test_csrf_check_sec_fetch_site)
{
	const char	*why;

	ck_assert(!check(&(struct rq){ .cookie = ANON_COOKIE, .field = TOKEN,
	    .fetch = "cross-site" }, &why));
	ck_assert_msg(fixture_has(why, "(Sec-Fetch-Site)"), "%s", why);
	ck_assert(!check(&(struct rq){ .cookie = ANON_COOKIE, .field = TOKEN,
	    .fetch = "same-site" }, &why));
	ck_assert_msg(fixture_has(why, "(Sec-Fetch-Site)"), "%s", why);
	ck_assert_msg(check(&(struct rq){ .cookie = ANON_COOKIE,
	    .field = TOKEN, .fetch = "same-origin" }, &why), "%s", why);
	ck_assert_msg(check(&(struct rq){ .cookie = ANON_COOKIE,
	    .field = TOKEN, .fetch = "none" }, &why), "%s", why);
	/* Over HTTPS, Sec-Fetch-Site stands in for a missing Referer. */
	ck_assert_msg(check(&(struct rq){ .cookie = ANON_COOKIE,
	    .field = TOKEN, .fetch = "same-origin", .https = true }, &why),
	    "%s", why);
}
END_TEST

START_TEST(test_csrf_check_https_without_origin_wants_same_origin_referer)
{
	const char	*why;

	ck_assert(!check(&(struct rq){ .cookie = ANON_COOKIE, .field = TOKEN,
	    .https = true }, &why));
	ck_assert_msg(fixture_has(why, "Referer is missing"), "%s", why);
	ck_assert(!check(&(struct rq){ .cookie = ANON_COOKIE, .field = TOKEN,
	    .https = true, .referer = "https://evil.example/page" }, &why));
	ck_assert_msg(fixture_has(why, "Referer"), "%s", why);
	ck_assert(!check(&(struct rq){ .cookie = ANON_COOKIE, .field = TOKEN,
	    .https = true, .referer = "https://news.example.org.evil.example/"
	    }, &why));
	ck_assert(!check(&(struct rq){ .cookie = ANON_COOKIE, .field = TOKEN,
	    .https = true, .referer = "http://news.example.org/form/" }, &why));
	ck_assert_msg(check(&(struct rq){ .cookie = ANON_COOKIE,
	    .field = TOKEN, .https = true,
	    .referer = "https://news.example.org/articles/x/?a=1" }, &why),
	    "%s", why);
	ck_assert_msg(check(&(struct rq){ .cookie = ANON_COOKIE,
	    .field = TOKEN, .https = true,
	    .referer = "https://news.example.org" }, &why), "%s", why);
}
END_TEST

START_TEST(test_csrf_check_good_origin_still_needs_token)
{
	const char	*why;

	ck_assert(!check(&(struct rq){ .origin = SITE, .fetch = "same-origin"
	    }, &why));
	ck_assert_ptr_nonnull(why);
}
END_TEST

START_TEST(test_csrf_check_plain_http_without_origin_relies_on_token)
{
	const char	*why;

	ck_assert_msg(check(&(struct rq){ .cookie = ANON_COOKIE,
	    .field = TOKEN }, &why), "%s", why);
	ck_assert(!check(&(struct rq){ .cookie = ANON_COOKIE, .field = OTHER },
	    &why));
}
END_TEST

/* ---- through the router --------------------------------------------- */

static int
h_ok(struct req *r)
{
	(void)r;
	ran = "ok";
	return HTTP_200;
}

static const struct route routes[] = {
	{ "form",   M_GET | M_POST, "/form/",  h_ok, NULL, 0 },
	{ "remove", M_DELETE | M_PUT | M_PATCH, "/items/{id:int}/", h_ok, NULL,
	    0 },
	{ "hook",   M_POST,         "/hook/",  h_ok, NULL, ROUTE_CSRF_EXEMPT },
	{ "cform",  M_POST,         "/cform/", h_ok, NULL, ROUTE_CSRF_FORM },
	{ NULL,     0,              NULL,      NULL, NULL, 0 }
};

static int
dispatch(const struct rq *q)
{
	struct req	*r;

	router_set_perm_check(NULL);
	ck_assert_int_eq(router_init(routes), 0);
	ran = NULL;
	r = send(q);
	return router_dispatch(r);
}

START_TEST(test_csrf_router_refuses_unsafe_method_without_token)
{
	struct req	*r;

	ck_assert_int_eq(dispatch(&(struct rq){ .cookie = ANON_COOKIE,
	    .origin = SITE }), HTTP_403);
	ck_assert_ptr_null(ran);
	r = &reqs[nreqs - 1];
	ck_assert_msg(fixture_has(r->error_detail,
	    "the CSRF token is missing"), "%s", r->error_detail);
}
END_TEST

START_TEST(test_csrf_router_refuses_foreign_origin_with_reason)
{
	struct req	*r;

	ck_assert_int_eq(dispatch(&(struct rq){ .cookie = ANON_COOKIE,
	    .field = TOKEN, .origin = "https://evil.example" }), HTTP_403);
	ck_assert_ptr_null(ran);
	r = &reqs[nreqs - 1];
	ck_assert_msg(fixture_has(r->error_detail, "(Origin)"), "%s",
	    r->error_detail);
}
END_TEST

START_TEST(test_csrf_router_checks_put_patch_delete)
{
	static const char *const methods[] = { "PUT", "PATCH", "DELETE" };

	for (size_t i = 0; i < NELEM(methods); i++) {
		ck_assert_int_eq(dispatch(&(struct rq){ .method = methods[i],
		    .uri = "/items/7/", .cookie = ANON_COOKIE, .origin = SITE }),
		    HTTP_403);
		ck_assert_ptr_null(ran);
		nreqs--;
		render_reset(&reqs[nreqs]);
		req_free(&reqs[nreqs]);
	}
	ck_assert_int_eq(dispatch(&(struct rq){ .method = "DELETE",
	    .uri = "/items/7/", .cookie = ANON_COOKIE, .header = TOKEN,
	    .origin = SITE }), HTTP_200);
	ck_assert_str_eq(ran, "ok");
}
END_TEST

START_TEST(test_csrf_router_passes_post_with_token)
{
	ck_assert_int_eq(dispatch(&(struct rq){ .cookie = ANON_COOKIE,
	    .field = TOKEN, .origin = SITE }), HTTP_200);
	ck_assert_str_eq(ran, "ok");
}
END_TEST

START_TEST(test_csrf_router_get_needs_no_token)
{
	ck_assert_int_eq(dispatch(&(struct rq){ .method = "GET",
	    .origin = "https://evil.example" }), HTTP_200);
	ck_assert_str_eq(ran, "ok");
}
END_TEST

START_TEST(test_csrf_router_exempt_route_passes_without_token)
{
	ck_assert_int_eq(dispatch(&(struct rq){ .uri = "/hook/",
	    .origin = "https://evil.example" }), HTTP_200);
	ck_assert_str_eq(ran, "ok");
}
END_TEST

/* ---- signed form tokens (cacheable forms) ---------------------------- */

static void
setup_signed(void)
{
	struct config	 c;

	setup();
	c = fdb.cfg;
	c.site_url = (char *)SITE "/";
	csrf_init(&c, auth_mac_hex);
}

/* A token for scope as if made at time t (what csrf_form_token does). */
static const char *
token_at(const char *scope, long long t)
{
	static char	 tok[100];
	char		 data[256], mac[65];

	snprintf(data, sizeof(data), "csrf-form\n%s\n%lld", scope, t);
	auth_mac_hex(data, mac);
	snprintf(tok, sizeof(tok), "%lld-%s", t, mac);
	return tok;
}

START_TEST(test_csrf_form_token_checks_scope_mac_and_age)
{
	struct req	*r = next_req();
	const char	*tok;
	char		 bad[100];
	int64_t		 issued, now = (int64_t)time(NULL);

	ck_assert_int_eq(fixture_request(r, "GET", "/a/", NULL, NULL), 0);
	tok = csrf_form_token(r, "/cform/");
	ck_assert(csrf_form_token_check(tok, "/cform/", 60, &issued));
	ck_assert(issued >= now && issued <= now + 1);
	ck_assert(!csrf_form_token_check(tok, "/other/", 60, &issued));
	ck_assert_int_eq(issued, 0);
	snprintf(bad, sizeof(bad), "%s", tok);
	bad[strlen(bad) - 1] = bad[strlen(bad) - 1] == '0' ? '1' : '0';
	ck_assert(!csrf_form_token_check(bad, "/cform/", 60, NULL));
	ck_assert(!csrf_form_token_check("", "/cform/", 60, NULL));
	ck_assert(!csrf_form_token_check("12-34", "/cform/", 60, NULL));
	ck_assert(!csrf_form_token_check(NULL, "/cform/", 60, NULL));
	/* Too old: refused, but the time it was made is still told. */
	ck_assert(!csrf_form_token_check(token_at("/cform/", now - 120),
	    "/cform/", 60, &issued));
	ck_assert_int_eq(issued, now - 120);
	ck_assert(csrf_form_token_check(token_at("/cform/", now - 30),
	    "/cform/", 60, NULL));
	/* From the future: refused. */
	ck_assert(!csrf_form_token_check(token_at("/cform/", now + 3600),
	    "/cform/", 60, NULL));
}
END_TEST

START_TEST(test_csrf_form_token_refused_without_a_key)
{
	struct req	*r = next_req();
	const char	*tok;

	ck_assert_int_eq(fixture_request(r, "GET", "/a/", NULL, NULL), 0);
	tok = csrf_form_token(r, "/cform/");	/* setup: no key */
	ck_assert(!csrf_form_token_check(tok, "/cform/", 60, NULL));
}
END_TEST

START_TEST(test_csrf_router_form_route_takes_signed_token)
{
	const char	*tok = token_at("/cform/", (long long)time(NULL));

	ck_assert_int_eq(dispatch(&(struct rq){ .uri = "/cform/",
	    .field = tok, .origin = SITE }), HTTP_200);
	ck_assert_str_eq(ran, "ok");
	/* Not on a route without the flag, nor for another path. */
	ck_assert_int_eq(dispatch(&(struct rq){ .field = tok,
	    .origin = SITE }), HTTP_403);
	ck_assert_int_eq(dispatch(&(struct rq){ .uri = "/cform/",
	    .field = token_at("/form/", (long long)time(NULL)),
	    .origin = SITE }), HTTP_403);
	/* The Origin check still applies. */
	ck_assert_int_eq(dispatch(&(struct rq){ .uri = "/cform/",
	    .field = tok, .origin = "https://evil.example" }), HTTP_403);
	/* An expired token says so. */
	ck_assert_int_eq(dispatch(&(struct rq){ .uri = "/cform/",
	    .field = token_at("/cform/", (long long)time(NULL) -
	    CSRF_FORM_MAX_AGE - 10), .origin = SITE }), HTTP_403);
	ck_assert_msg(fixture_has(reqs[nreqs - 1].error_detail,
	    "the form has expired"), "%s", reqs[nreqs - 1].error_detail);
	/* The visitor's own secret works there too. */
	ck_assert_int_eq(dispatch(&(struct rq){ .uri = "/cform/",
	    .cookie = ANON_COOKIE, .field = TOKEN, .origin = SITE }),
	    HTTP_200);
}
END_TEST

Suite *
csrf_suite(void)
{
	Suite	*s = suite_create("csrf");
	TCase	*tc;

	tc = tcase_create("token");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_csrf_token_anonymous_sets_cookie_once);
	tcase_add_test(tc, test_csrf_token_anonymous_tokens_differ);
	tcase_add_test(tc, test_csrf_token_reuses_valid_cookie);
	tcase_add_test(tc, test_csrf_token_replaces_malformed_cookie);
	tcase_add_test(tc, test_csrf_token_for_session_is_its_secret);
	tcase_add_test(tc, test_csrf_token_rotates_at_login);
	suite_add_tcase(s, tc);

	tc = tcase_create("check_token");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_csrf_check_missing_token_refused);
	tcase_add_test(tc, test_csrf_check_wrong_token_refused);
	tcase_add_test(tc, test_csrf_check_right_token_in_form_field_passes);
	tcase_add_test(tc, test_csrf_check_right_token_in_header_passes);
	tcase_add_test(tc, test_csrf_check_token_of_wrong_length_refused);
	tcase_add_test(tc, test_csrf_check_token_without_cookie_refused);
	tcase_add_test(tc,
	    test_csrf_check_session_wants_its_secret_not_the_cookie);
	suite_add_tcase(s, tc);

	tc = tcase_create("check_origin");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_csrf_check_origin_of_site_url_passes);
	tcase_add_test(tc, test_csrf_check_origin_of_request_host_passes);
	tcase_add_test(tc,
	    test_csrf_check_origin_adds_server_port_to_portless_host);
	tcase_add_test(tc, test_csrf_check_foreign_origin_refused);
	tcase_add_test(tc, test_csrf_check_null_origin_refused);
	tcase_add_test(tc, test_csrf_check_sec_fetch_site);
	tcase_add_test(tc,
	    test_csrf_check_https_without_origin_wants_same_origin_referer);
	tcase_add_test(tc, test_csrf_check_good_origin_still_needs_token);
	tcase_add_test(tc,
	    test_csrf_check_plain_http_without_origin_relies_on_token);
	suite_add_tcase(s, tc);

	tc = tcase_create("router");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_csrf_router_refuses_unsafe_method_without_token);
	tcase_add_test(tc, test_csrf_router_refuses_foreign_origin_with_reason);
	tcase_add_test(tc, test_csrf_router_checks_put_patch_delete);
	tcase_add_test(tc, test_csrf_router_passes_post_with_token);
	tcase_add_test(tc, test_csrf_router_get_needs_no_token);
	tcase_add_test(tc, test_csrf_router_exempt_route_passes_without_token);
	suite_add_tcase(s, tc);

	tc = tcase_create("form_token");
	tcase_add_checked_fixture(tc, setup_signed, teardown);
	tcase_add_test(tc, test_csrf_form_token_checks_scope_mac_and_age);
	tcase_add_test(tc, test_csrf_router_form_route_takes_signed_token);
	suite_add_tcase(s, tc);

	tc = tcase_create("form_token_unkeyed");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_csrf_form_token_refused_without_a_key);
	suite_add_tcase(s, tc);
	return s;
}
