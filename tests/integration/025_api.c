/*
 * 025_api: the JSON API through nginx.  Tokens from `gazette
 * createtoken` (read and read,write, expired, revoked); 400 for a token
 * in the URL, 401 without or with a bad token (WWW-Authenticate), 403
 * for a read token writing or an author changing another's article, 404,
 * 405, 413, 415, unknown fields, validation errors with the forms'
 * messages; create (201 + Location), change, delete to the trash; ETag
 * with If-None-Match (304) and If-Match (412); cursor pagination stable
 * under inserts; cookies only for reading; CORS; the rate limit (429).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define PW	"Correct-Horse-42-battery"

/* A user (not superuser) in group (NULL: none) and a token for them. */
static char *
user_token(const struct site *s, const char *name, const char *group,
    const char *scopes, const char *extra)
{
	struct cmd_result	 res;
	char			*tok, *q = str_printf("SELECT count(*) FROM users"
				    " WHERE username = '%s'", name), *n;

	n = site_sql(s, q);
	free(q);
	if (atoi(n) == 0) {
		site_create_user(s, name, NULL, PW);
		free(site_sql(s, q = str_printf("UPDATE users SET "
		    "is_superuser = 0, is_staff = 0 WHERE username = '%s'",
		    name)));
		free(q);
		if (group != NULL) {
			free(site_sql(s, q = str_printf("INSERT INTO "
			    "user_groups SELECT u.id, g.id FROM users u, "
			    "groups g WHERE u.username = '%s' AND g.name = "
			    "'%s'", name, group)));
			free(q);
		}
	}
	free(n);
	if (extra != NULL)
		site_gazette(s, &res, "createtoken", "--scopes", scopes,
		    extra, "1", name, NULL);
	else
		site_gazette(s, &res, "createtoken", "--scopes", scopes, name,
		    NULL);
	CHECK_INT(res.status, 0, "createtoken %s: %s", name, res.err);
	tok = strdup(res.out);
	tok[strcspn(tok, "\n")] = '\0';
	cmd_free(&res);
	return tok;
}

/* An API request with an optional token, JSON body and extra header. */
static int
api(const struct site *s, const char *method, const char *path,
    const char *token, const char *json, const char *header,
    struct resp *resp)
{
	const char	*h[5];
	char		*auth = NULL;
	size_t		 n = 0;
	int		 rc;

	if (token != NULL)
		h[n++] = auth = str_printf("Authorization: Bearer %s", token);
	if (json != NULL)
		h[n++] = "Content-Type: application/json";
	if (header != NULL)
		h[n++] = header;
	h[n] = NULL;
	rc = http_request(s, method, path, h, json, json != NULL ?
	    strlen(json) : 0, resp);
	free(auth);
	return rc;
}

/* The number after "key": in a JSON text, or -1. */
static long long
json_num(const char *body, const char *key)
{
	char		*k = str_printf("\"%s\":", key);
	const char	*p = strstr(body, k);
	long long	 v = p != NULL ? atoll(p + strlen(k)) : -1;

	free(k);
	return v;
}

static void
test_tokens_and_status_codes(struct site *s)
{
	char		*w = user_token(s, "api_author", "Authors", "read,write",
			    NULL);
	char		*rd = user_token(s, "api_reader", NULL, "read", NULL);
	char		*q;
	struct resp	 r = { 0 };

	/* No token on a safe method: public data. */
	api(s, "GET", "/api/v1/articles", NULL, NULL, NULL, &r);
	CHECK_STATUS(&r, 200, "GET", "/api/v1/articles");
	CHECK_STR(resp_header(&r, "Content-Type"), "application/json", "ct");
	CHECK(resp_header(&r, "RateLimit-Limit") != NULL, "RateLimit-Limit");
	CHECK(resp_header(&r, "RateLimit-Remaining") != NULL, "Remaining");
	CHECK(resp_header(&r, "RateLimit-Reset") != NULL, "Reset");
	resp_free(&r);

	/* A token in the URL: refused even when valid. */
	q = str_printf("/api/v1/me?access_token=%s", rd);
	api(s, "GET", q, NULL, NULL, NULL, &r);
	CHECK_STATUS(&r, 400, "GET", "/api/v1/me?access_token=");
	CHECK_STR(resp_header(&r, "Content-Type"),
	    "application/problem+json", "problem ct");
	CHECK_CONTAINS(r.body, "tokens are not accepted in URLs", "detail");
	CHECK_CONTAINS(r.body, "\"status\":400", "status member");
	resp_free(&r);
	free(q);

	/* 401: none on an unsafe method, unknown, malformed. */
	api(s, "POST", "/api/v1/articles", NULL, "{\"title\":\"x\"}", NULL,
	    &r);
	CHECK_STATUS(&r, 401, "POST", "/api/v1/articles (no token)");
	CHECK_CONTAINS(resp_header(&r, "WWW-Authenticate"), "Bearer",
	    "WWW-Authenticate");
	resp_free(&r);
	api(s, "GET", "/api/v1/me", "gz_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    NULL, NULL, &r);
	CHECK_STATUS(&r, 401, "GET", "/api/v1/me (unknown token)");
	CHECK_CONTAINS(resp_header(&r, "WWW-Authenticate"), "invalid_token",
	    "error=invalid_token");
	resp_free(&r);
	api(s, "GET", "/api/v1/me", NULL, NULL, NULL, &r);
	CHECK_STATUS(&r, 401, "GET", "/api/v1/me (anonymous)");
	resp_free(&r);

	/* The token's user. */
	api(s, "GET", "/api/v1/me", rd, NULL, NULL, &r);
	CHECK_STATUS(&r, 200, "GET", "/api/v1/me");
	CHECK_CONTAINS(r.body, "\"username\":\"api_reader\"", "me");
	CHECK_CONTAINS(r.body, "\"scopes\":\"read\"", "scopes");
	resp_free(&r);

	/* 403: a read token writing; a reader without article.add. */
	api(s, "POST", "/api/v1/articles", rd, "{\"title\":\"x\"}", NULL, &r);
	CHECK_STATUS(&r, 403, "POST", "/api/v1/articles (read scope)");
	CHECK_CONTAINS(resp_header(&r, "WWW-Authenticate"),
	    "insufficient_scope", "insufficient_scope");
	resp_free(&r);

	/* 415, 400 (syntax, unknown fields, validation), 405, 404. */
	{
		const char *h[] = { "Authorization: Bearer", "Content-Type: "
		    "text/plain", NULL };
		char *a = str_printf("Authorization: Bearer %s", w);

		h[0] = a;
		http_request(s, "POST", "/api/v1/articles", h, "{}", 2, &r);
		CHECK_STATUS(&r, 415, "POST", "/api/v1/articles text/plain");
		resp_free(&r);
		free(a);
	}
	api(s, "POST", "/api/v1/articles", w, "{\"title\":", NULL, &r);
	CHECK_STATUS(&r, 400, "POST", "/api/v1/articles (bad JSON)");
	resp_free(&r);
	api(s, "POST", "/api/v1/articles", w, "{\"title\":\"T\",\"colour\":1,"
	    "\"id\":3}", NULL, &r);
	CHECK_STATUS(&r, 400, "POST", "/api/v1/articles (unknown fields)");
	CHECK_CONTAINS(r.body, "{\"field\":\"colour\"", "colour listed");
	CHECK_CONTAINS(r.body, "{\"field\":\"id\"", "id listed");
	resp_free(&r);
	api(s, "POST", "/api/v1/articles", w, "{\"body\":\"no title\","
	    "\"status\":\"sideways\"}", NULL, &r);
	CHECK_STATUS(&r, 400, "POST", "/api/v1/articles (invalid)");
	CHECK_CONTAINS(r.body, "{\"field\":\"title\",\"message\":\"This "
	    "field is required.\"}", "title required");
	CHECK_CONTAINS(r.body, "\"field\":\"status\"", "status refused");
	resp_free(&r);
	api(s, "PUT", "/api/v1/articles", w, "{}", NULL, &r);
	CHECK_STATUS(&r, 405, "PUT", "/api/v1/articles");
	CHECK_STR(resp_header(&r, "Content-Type"),
	    "application/problem+json", "405 problem");
	resp_free(&r);
	api(s, "GET", "/api/v1/articles/999999", w, NULL, NULL, &r);
	CHECK_STATUS(&r, 404, "GET", "/api/v1/articles/999999");
	CHECK_STR(resp_header(&r, "Content-Type"),
	    "application/problem+json", "404 problem");
	resp_free(&r);
	api(s, "GET", "/api/v1/nothing", w, NULL, NULL, &r);
	CHECK_STATUS(&r, 404, "GET", "/api/v1/nothing");
	CHECK_STR(resp_header(&r, "Content-Type"),
	    "application/problem+json", "router 404 problem");
	resp_free(&r);

	/* 413: a body over max_body. */
	{
		size_t	 n = 2 * 1024 * 1024;
		char	*big = malloc(n + 1);

		memset(big, ' ', n);
		big[0] = '{';
		big[n - 1] = '}';
		big[n] = '\0';
		api(s, "POST", "/api/v1/articles", w, big, NULL, &r);
		CHECK_STATUS(&r, 413, "POST", "/api/v1/articles (2 MB)");
		CHECK_STR(resp_header(&r, "Content-Type"),
		    "application/problem+json", "413 problem");
		resp_free(&r);
		free(big);
	}
	free(w);
	free(rd);
}

static void
test_expired_and_revoked(struct site *s)
{
	char		*t = user_token(s, "api_exp", NULL, "read", NULL);
	char		*e = user_token(s, "api_exp", NULL, "read",
			    "--expires-days");
	struct resp	 r = { 0 };

	api(s, "GET", "/api/v1/me", e, NULL, NULL, &r);
	CHECK_STATUS(&r, 200, "GET", "/api/v1/me (not yet expired)");
	resp_free(&r);
	free(site_sql(s, "UPDATE api_tokens SET expires_at = 1000 WHERE "
	    "expires_at IS NOT NULL"));
	api(s, "GET", "/api/v1/me", e, NULL, NULL, &r);
	CHECK_STATUS(&r, 401, "GET", "/api/v1/me (expired)");
	resp_free(&r);
	api(s, "GET", "/api/v1/me", t, NULL, NULL, &r);
	CHECK_STATUS(&r, 200, "GET", "/api/v1/me");
	resp_free(&r);
	free(site_sql(s, "UPDATE api_tokens SET revoked_at = 1 WHERE user_id "
	    "= (SELECT id FROM users WHERE username = 'api_exp')"));
	api(s, "GET", "/api/v1/me", t, NULL, NULL, &r);
	CHECK_STATUS(&r, 401, "GET", "/api/v1/me (revoked)");
	resp_free(&r);
	{
		char *h = site_sql(s, "SELECT count(*) FROM api_tokens WHERE "
		    "length(hash) <> 64 OR hash LIKE 'gz%' OR "
		    "length(prefix) <> 10 OR prefix NOT LIKE 'gz_%'");

		CHECK_STR(h, "0", "tokens stored hashed, prefix kept");
		free(h);
	}
	free(t);
	free(e);
}

static void
test_article_crud_etag_and_permissions(struct site *s)
{
	char		*w = user_token(s, "api_author", "Authors", "read,write",
			    NULL);
	char		*o = user_token(s, "api_other", "Authors", "read,write",
			    NULL);
	char		*path, *etag, *h, *q;
	struct resp	 r = { 0 };
	long long	 id;

	api(s, "POST", "/api/v1/articles", w, "{\"title\":\"API first\","
	    "\"body\":\"Hello *world*\",\"status\":\"published\","
	    "\"tags\":[\"Api\",\"Tests\"]}", NULL, &r);
	REQUIRE_STATUS(&r, 201, "POST", "/api/v1/articles");
	id = json_num(r.body, "id");
	CHECK(id > 0, "id in body");
	path = str_printf("/api/v1/articles/%lld", id);
	CHECK_CONTAINS(resp_header(&r, "Location"), path, "Location");
	CHECK_CONTAINS(r.body, "\"slug\":\"api-first\"", "slug");
	CHECK_CONTAINS(r.body, "<em>world</em>", "body_html");
	CHECK_CONTAINS(r.body, "\"tags\":[\"Api\",\"Tests\"]", "tags");
	CHECK_CONTAINS(r.body, "\"author\":{\"username\":\"api_author\"",
	    "author");
	CHECK_CONTAINS(r.body, "\"status\":\"published\"", "status");
	CHECK(strstr(r.body, "\"publish_at\":\"20") != NULL, "ISO time");
	resp_free(&r);
	h = site_sql(s, q = str_printf("SELECT action FROM admin_log WHERE "
	    "object_id = %lld AND model = 'article'", id));
	CHECK_STR(h, "add", "history entry");
	free(h);
	free(q);

	/* ETag and If-None-Match. */
	api(s, "GET", path, NULL, NULL, NULL, &r);
	CHECK_STATUS(&r, 200, "GET", path);
	etag = strdup(resp_header(&r, "ETag") != NULL ?
	    resp_header(&r, "ETag") : "");
	CHECK(etag[0] == '"', "strong ETag: %s", etag);
	resp_free(&r);
	h = str_printf("If-None-Match: %s", etag);
	api(s, "GET", path, NULL, NULL, h, &r);
	CHECK_STATUS(&r, 304, "GET", path);
	resp_free(&r);
	free(h);

	/* Another author: 403 on PATCH and DELETE. */
	api(s, "PATCH", path, o, "{\"title\":\"Mine now\"}", NULL, &r);
	CHECK_STATUS(&r, 403, "PATCH", path);
	resp_free(&r);
	api(s, "DELETE", path, o, NULL, NULL, &r);
	CHECK_STATUS(&r, 403, "DELETE", path);
	resp_free(&r);

	/* PATCH with If-Match: the current tag works, then is stale. */
	h = str_printf("If-Match: %s", etag);
	api(s, "PATCH", path, w, "{\"title\":\"API first, edited\"}", h, &r);
	CHECK_STATUS(&r, 200, "PATCH", path);
	CHECK_CONTAINS(r.body, "\"title\":\"API first, edited\"", "patched");
	CHECK_CONTAINS(r.body, "\"tags\":[\"Api\",\"Tests\"]", "tags kept");
	CHECK(resp_header(&r, "ETag") != NULL &&
	    strcmp(resp_header(&r, "ETag"), etag) != 0, "new ETag");
	resp_free(&r);
	api(s, "PATCH", path, w, "{\"title\":\"Lost update\"}", h, &r);
	CHECK_STATUS(&r, 412, "PATCH", path);
	resp_free(&r);
	api(s, "DELETE", path, w, NULL, h, &r);
	CHECK_STATUS(&r, 412, "DELETE", path);
	resp_free(&r);
	free(h);
	api(s, "PATCH", path, w, "{\"title\":\"\"}", NULL, &r);
	CHECK_STATUS(&r, 400, "PATCH", path);
	CHECK_CONTAINS(r.body, "This field is required.", "form message");
	resp_free(&r);

	/* Delete to the trash: gone for the public, restorable. */
	api(s, "DELETE", path, w, NULL, NULL, &r);
	CHECK_STATUS(&r, 204, "DELETE", path);
	resp_free(&r);
	h = site_sql(s, q = str_printf("SELECT status FROM articles WHERE "
	    "id = %lld", id));
	CHECK_STR(h, "trash", "in the trash");
	free(h);
	free(q);
	api(s, "GET", path, NULL, NULL, NULL, &r);
	CHECK_STATUS(&r, 404, "GET", path);
	resp_free(&r);
	api(s, "GET", path, w, NULL, NULL, &r);
	CHECK_STATUS(&r, 200, "GET", path);
	CHECK_CONTAINS(r.body, "\"status\":\"trash\"", "author sees it");
	resp_free(&r);
	api(s, "GET", "/api/v1/articles?status=trash", w, NULL, NULL, &r);
	CHECK_STATUS(&r, 200, "GET", "?status=trash");
	CHECK_CONTAINS(r.body, "API first, edited", "own trash listed");
	resp_free(&r);
	api(s, "GET", "/api/v1/articles?status=draft", NULL, NULL, NULL, &r);
	CHECK_STATUS(&r, 403, "GET", "?status=draft (anonymous)");
	resp_free(&r);
	free(path);
	free(etag);
	free(w);
	free(o);
}

static void
test_pagination_is_stable_under_inserts(struct site *s)
{
	char		*w = user_token(s, "api_pager", "Authors", "read,write",
			    NULL);
	char		*next, *rel;
	struct resp	 r = { 0 };
	long long	 last;

	for (int i = 0; i < 45; i++) {
		char *b = str_printf("{\"title\":\"Pager %d\",\"status\":"
		    "\"published\",\"tags\":[\"pager\"]}", i);

		api(s, "POST", "/api/v1/articles", w, b, NULL, &r);
		CHECK_STATUS(&r, 201, "POST", "/api/v1/articles (pager)");
		resp_free(&r);
		free(b);
	}
	api(s, "GET", "/api/v1/articles?tag=pager", NULL, NULL, NULL, &r);
	REQUIRE_STATUS(&r, 200, "GET", "?tag=pager");
	CHECK_INT(resp_count(&r, "\"title\":\"Pager"), 20, "20 a page");
	CHECK_CONTAINS(r.body, "Pager 44", "newest first");
	CHECK_CONTAINS(r.body, "\"prev\":null", "no prev on page 1");
	CHECK_INT(resp_count(&r, "\"excerpt\":"), 20, "summaries: excerpts");
	CHECK_INT(resp_count(&r, "\"body"), 0,
	    "summaries: no body nor body_html (the item's url has them)");
	CHECK_INT(resp_count(&r, "\"tags\":[\"pager\"]"), 20,
	    "summaries: each with its tags");
	CHECK(resp_header(&r, "Link") != NULL &&
	    strstr(resp_header(&r, "Link"), "rel=\"next\"") != NULL,
	    "Link rel=next");
	next = strstr(r.body, "\"next\":\"");
	REQUIRE(next != NULL, "next link");
	next += 8;
	*strchr(next, '"') = '\0';
	rel = strdup(strstr(next, "/api/v1/"));
	resp_free(&r);

	/* New articles arrive: page 2 does not shift. */
	api(s, "POST", "/api/v1/articles", w, "{\"title\":\"Pager late\","
	    "\"status\":\"published\",\"tags\":[\"pager\"]}", NULL, &r);
	resp_free(&r);
	api(s, "GET", rel, NULL, NULL, NULL, &r);
	CHECK_STATUS(&r, 200, "GET", rel);
	CHECK_CONTAINS(r.body, "\"title\":\"Pager 24\"", "page 2 starts at 24");
	CHECK_NOT_CONTAINS(r.body, "Pager 25\"", "25 stays on page 1");
	CHECK_NOT_CONTAINS(r.body, "Pager late", "late is not on page 2");
	CHECK(strstr(r.body, "\"prev\":\"") != NULL, "prev link");
	last = json_num(r.body, "id");
	CHECK(last > 0, "ids");
	resp_free(&r);
	free(rel);

	api(s, "GET", "/api/v1/articles?q=pager&author=api_pager", NULL, NULL,
	    NULL, &r);
	CHECK_STATUS(&r, 200, "GET", "?q=pager&author=api_pager");
	CHECK_INT(resp_count(&r, "\"title\":\"Pager"), 20, "search page");
	resp_free(&r);
	api(s, "GET", "/api/v1/articles?sort=title", NULL, NULL, NULL, &r);
	CHECK_STATUS(&r, 400, "GET", "?sort=title");
	resp_free(&r);
	api(s, "GET", "/api/v1/articles?cursor=zz", NULL, NULL, NULL, &r);
	CHECK_STATUS(&r, 400, "GET", "?cursor=zz");
	resp_free(&r);
	api(s, "GET", "/api/v1/articles?published_before=1990-01-01", NULL,
	    NULL, NULL, &r);
	CHECK_STATUS(&r, 200, "GET", "?published_before=1990-01-01");
	CHECK_CONTAINS(r.body, "\"items\":[]", "nothing before 1990");
	resp_free(&r);
	api(s, "GET", "/api/v1/tags", NULL, NULL, NULL, &r);
	CHECK_STATUS(&r, 200, "GET", "/api/v1/tags");
	CHECK_CONTAINS(r.body, "\"slug\":\"pager\"", "tag listed");
	resp_free(&r);
	api(s, "GET", "/api/v1/users/api_pager", NULL, NULL, NULL, &r);
	CHECK_STATUS(&r, 200, "GET", "/api/v1/users/api_pager");
	CHECK_NOT_CONTAINS(r.body, "email", "no email in a public profile");
	resp_free(&r);
	api(s, "GET", "/api/v1/users/nobody_here", NULL, NULL, NULL, &r);
	CHECK_STATUS(&r, 404, "GET", "/api/v1/users/nobody_here");
	resp_free(&r);
	free(w);
}

static void
test_cookies_only_for_reading(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };

	user_token(s, "api_cookie", "Authors", "read", NULL);
	REQUIRE(browser_init_logged_in(&c, s, "api_cookie", PW), "login");
	browser_get(&c, "/api/v1/me", &r);
	CHECK_STATUS(&r, 200, "GET", "/api/v1/me (session)");
	CHECK_CONTAINS(r.body, "\"scopes\":\"session\"", "session user");
	resp_free(&r);
	{
		const char *h[] = { "Content-Type: application/json", NULL };

		browser_request(&c, "POST", "/api/v1/articles", h,
		    "{\"title\":\"By cookie\"}", 21, &r);
	}
	CHECK_STATUS(&r, 401, "POST", "/api/v1/articles (cookie only)");
	resp_free(&r);
	browser_free(&c);
}

static void
test_cors(struct site *s)
{
	struct resp	 r = { 0 };

	api(s, "OPTIONS", "/api/v1/articles", NULL, NULL,
	    "Origin: https://app.example", &r);
	CHECK_STATUS(&r, 204, "OPTIONS", "/api/v1/articles (allowed)");
	CHECK_STR(resp_header(&r, "Access-Control-Allow-Origin"),
	    "https://app.example", "ACAO");
	CHECK_CONTAINS(resp_header(&r, "Access-Control-Allow-Methods"),
	    "POST", "methods");
	CHECK_CONTAINS(resp_header(&r, "Access-Control-Allow-Headers"),
	    "Authorization", "headers");
	resp_free(&r);
	api(s, "GET", "/api/v1/articles", NULL, NULL,
	    "Origin: https://evil.example", &r);
	CHECK_STATUS(&r, 200, "GET", "/api/v1/articles (other origin)");
	CHECK(resp_header(&r, "Access-Control-Allow-Origin") == NULL,
	    "no ACAO for another origin");
	resp_free(&r);
}

static void
test_rate_limit(struct site *s)
{
	char		*t = user_token(s, "api_rate", NULL, "read", NULL);
	struct resp	 r = { 0 };
	int		 ok = 0, limited = 0;

	for (int i = 0; i < 5; i++) {
		api(s, "GET", "/api/v1/me", t, NULL, NULL, &r);
		if (r.status == 200)
			ok++;
		else if (r.status == 429) {
			limited++;
			CHECK(resp_header(&r, "Retry-After") != NULL,
			    "Retry-After");
			CHECK_STR(resp_header(&r, "RateLimit-Remaining"), "0",
			    "none left");
			CHECK_STR(resp_header(&r, "Content-Type"),
			    "application/problem+json", "429 problem");
		}
		resp_free(&r);
	}
	/* A minute boundary may fall inside the loop: 3 or more pass. */
	CHECK(ok >= 3 && ok + limited == 5 && limited >= 1, "3 a minute: "
	    "%d ok, %d limited", ok, limited);
	free(t);
}

static void
test_comments_moderated_like_the_site(struct site *s)
{
	char		*w = user_token(s, "api_author", "Authors", "read,write",
			    NULL);
	char		*cw = user_token(s, "api_commenter", NULL, "read,write",
			    NULL);
	char		*mod = user_token(s, "api_mod", "Moderators",
			    "read,write", NULL);
	char		*list, *moderate;
	struct resp	 r = { 0 };
	long long	 aid, cid;

	api(s, "POST", "/api/v1/articles", w, "{\"title\":\"Discuss\","
	    "\"status\":\"published\"}", NULL, &r);
	REQUIRE_STATUS(&r, 201, "POST", "/api/v1/articles (discuss)");
	aid = json_num(r.body, "id");
	resp_free(&r);
	list = str_printf("/api/v1/articles/%lld/comments", aid);

	api(s, "POST", list, cw, "{\"body\":\"First!\"}", NULL, &r);
	REQUIRE_STATUS(&r, 201, "POST", list);
	CHECK_CONTAINS(r.body, "\"status\":\"pending\"", "a first comment "
	    "is held");
	CHECK_NOT_CONTAINS(r.body, "@", "no email");
	cid = json_num(r.body, "id");
	resp_free(&r);
	api(s, "POST", list, cw, "{\"body\":\"First!\"}", NULL, &r);
	CHECK_STATUS(&r, 409, "POST", "duplicate comment");
	CHECK_CONTAINS(r.body, "Duplicate comment detected", "message");
	resp_free(&r);
	api(s, "POST", list, cw, "{\"body\":\"\",\"parent\":\"x\"}",
	    NULL, &r);
	CHECK_STATUS(&r, 400, "POST", "empty comment");
	CHECK_CONTAINS(r.body, "\"field\":\"body\"", "body error");
	CHECK_CONTAINS(r.body, "\"field\":\"parent\"", "parent error");
	resp_free(&r);
	api(s, "GET", list, NULL, NULL, NULL, &r);
	CHECK_STATUS(&r, 200, "GET", list);
	CHECK_CONTAINS(r.body, "\"items\":[]", "held: not listed");
	resp_free(&r);

	moderate = str_printf("/api/v1/comments/%lld/moderate", cid);
	api(s, "POST", moderate, cw, "{\"action\":\"approve\"}", NULL, &r);
	CHECK_STATUS(&r, 403, "POST", "moderate (commenter)");
	resp_free(&r);
	api(s, "POST", moderate, mod, "{\"action\":\"bless\"}", NULL, &r);
	CHECK_STATUS(&r, 400, "POST", "moderate (bad action)");
	resp_free(&r);
	api(s, "POST", moderate, mod, "{\"action\":\"approve\"}", NULL, &r);
	CHECK_STATUS(&r, 200, "POST", moderate);
	CHECK_CONTAINS(r.body, "\"status\":\"approved\"", "approved");
	resp_free(&r);
	api(s, "GET", list, NULL, NULL, NULL, &r);
	CHECK_CONTAINS(r.body, "First!", "approved: listed");
	resp_free(&r);
	api(s, "POST", list, cw, "{\"body\":\"Second\"}", NULL, &r);
	CHECK_STATUS(&r, 201, "POST", "second comment");
	CHECK_CONTAINS(r.body, "\"status\":\"approved\"", "previously "
	    "approved: at once");
	resp_free(&r);
	api(s, "POST", "/api/v1/articles/999999/comments", cw,
	    "{\"body\":\"x\"}", NULL, &r);
	CHECK_STATUS(&r, 404, "POST", "comment on no article");
	resp_free(&r);
	free(list);
	free(moderate);
	free(w);
	free(cw);
	free(mod);
}

static void
test_openapi_and_docs(struct site *s)
{
	struct resp	 r = { 0 };
	const char	*p;

	api(s, "GET", "/api/openapi.json", NULL, NULL, NULL, &r);
	REQUIRE_STATUS(&r, 200, "GET", "/api/openapi.json");
	CHECK_STR(resp_header(&r, "Content-Type"), "application/json", "ct");
	CHECK_CONTAINS(r.body, "\"openapi\":\"3.1.0\"", "version");
	CHECK_CONTAINS(r.body, "\"/api/v1/articles/{id}\":", "path");
	CHECK_CONTAINS(r.body, "\"/api/v1/comments/{id}/moderate\":",
	    "moderation path");
	CHECK_CONTAINS(r.body, "\"bearer\":{\"type\":\"http\"", "security");
	resp_free(&r);
	api(s, "GET", "/api/docs/", NULL, NULL, NULL, &r);
	REQUIRE_STATUS(&r, 200, "GET", "/api/docs/");
	CHECK_CONTAINS(r.body, "href=\"/api/openapi.json\"", "spec link");
	/* With make vendor (npm), Swagger UI from our own static files. */
	if ((p = strstr(r.body, "src=\"/static/vendor/swagger-ui/")) !=
	    NULL) {
		char *u = strndup(p + 5, strcspn(p + 5, "\""));

		CHECK_NOT_CONTAINS(r.body, "//cdn", "no other host");
		resp_free(&r);
		CHECK_GET(s, u, 200, &r);
		CHECK(r.len > 100000, "the bundle: %zu bytes", r.len);
		free(u);
	} else
		harness_note("static/vendor/swagger-ui missing: make vendor");
	resp_free(&r);
}

/* The first action="..." after needle in body, malloc'd, or NULL. */
static char *
form_action_after(const char *body, const char *needle)
{
	const char	*p = strstr(body, needle), *e;

	if (p == NULL || (p = strstr(p, "action=\"")) == NULL)
		return NULL;
	p += 8;
	e = strchr(p, '"');
	return strndup(p, (size_t)(e - p));
}

static void
test_profile_tokens_shown_once_and_revoked(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	char		*tok, *url, *csrf;
	const char	*p;

	free(user_token(s, "api_profile", "Authors", "read", NULL));
	REQUIRE(browser_init_logged_in(&c, s, "api_profile", PW), "login");
	browser_post_form(&c, "/accounts/profile/tokens/",
	    "/accounts/profile/", &r, "name", "My script", "scopes",
	    "read,write", "expires_days", "30", (char *)NULL);
	REQUIRE_STATUS(&r, 200, "POST", "/accounts/profile/tokens/");
	p = strstr(r.body, "id=\"new-token\">");
	REQUIRE(p != NULL, "the new token is shown");
	tok = strndup(p + 15, 46);
	CHECK(strncmp(tok, "gz_", 3) == 0, "token shape: %s", tok);
	CHECK_CONTAINS(r.body, "My script", "listed by name");
	resp_free(&r);
	browser_get(&c, "/accounts/profile/", &r);
	CHECK_NOT_CONTAINS(r.body, tok, "never shown again");
	url = form_action_after(r.body, "My script");
	resp_free(&r);
	api(s, "GET", "/api/v1/me", tok, NULL, NULL, &r);
	CHECK_STATUS(&r, 200, "GET", "/api/v1/me (profile token)");
	CHECK_CONTAINS(r.body, "\"scopes\":\"read,write\"", "scopes");
	resp_free(&r);
	REQUIRE(url != NULL, "revoke form");
	csrf = browser_form_value(&c, "/accounts/profile/", "csrf_token");
	browser_post_token(&c, url, csrf, &r, (char *)NULL);
	CHECK_STATUS(&r, 303, "POST", url);
	resp_free(&r);
	api(s, "GET", "/api/v1/me", tok, NULL, NULL, &r);
	CHECK_STATUS(&r, 401, "GET", "/api/v1/me (revoked on the profile)");
	resp_free(&r);
	/* Another user's token cannot be revoked from one's profile. */
	free(site_sql(s, "UPDATE api_tokens SET revoked_at = NULL"));
	browser_free(&c);
	free(user_token(s, "api_profile2", NULL, "read", NULL));
	REQUIRE(browser_init_logged_in(&c, s, "api_profile2", PW), "login 2");
	free(csrf);
	csrf = browser_form_value(&c, "/accounts/profile/", "csrf_token");
	browser_post_token(&c, url, csrf, &r, (char *)NULL);
	CHECK_STATUS(&r, 404, "POST", "another's token");
	resp_free(&r);
	free(csrf);
	free(url);
	free(tok);
	browser_free(&c);
}

static void
test_admin_tokens_for_superusers(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	char		*tok = user_token(s, "api_victim", NULL, "read", NULL);
	char		*url, *csrf;

	site_create_user(s, "api_super", NULL, PW);
	REQUIRE(browser_init_logged_in(&c, s, "api_super", PW), "login");
	browser_get(&c, "/admin/tokens/", &r);
	REQUIRE_STATUS(&r, 200, "GET", "/admin/tokens/");
	CHECK_CONTAINS(r.body, "api_victim", "everyone's tokens");
	url = form_action_after(r.body, "api_victim");
	resp_free(&r);
	REQUIRE(url != NULL, "revoke form");
	csrf = browser_form_value(&c, "/admin/tokens/", "csrf_token");
	browser_post_token(&c, url, csrf, &r, (char *)NULL);
	CHECK_STATUS(&r, 303, "POST", url);
	resp_free(&r);
	api(s, "GET", "/api/v1/me", tok, NULL, NULL, &r);
	CHECK_STATUS(&r, 401, "GET", "/api/v1/me (revoked by the admin)");
	resp_free(&r);
	browser_free(&c);
	free(csrf);
	free(url);

	/* Staff who are not superusers: 403. */
	site_create_user(s, "api_staff", NULL, PW);
	free(site_sql(s, "UPDATE users SET is_superuser = 0 WHERE username = "
	    "'api_staff'"));
	REQUIRE(browser_init_logged_in(&c, s, "api_staff", PW), "login");
	browser_get(&c, "/admin/tokens/", &r);
	CHECK_STATUS(&r, 403, "GET", "/admin/tokens/ (staff)");
	resp_free(&r);
	browser_free(&c);
	free(tok);
}

int
main(void)
{
	struct site		 s;
	struct site_opts	 o = { .workers = 2, .extra_ini = "[api]\n"
				    "api_cors_origins = https://app.example\n" };
	struct site_opts	 lo = { .workers = 2, .extra_ini = "[api]\n"
				    "api_rate_limit = 3\n" };

	harness_init("025_api");
	if (site_start(&s, &o) == 0) {
		RUN(test_tokens_and_status_codes, &s);
		RUN(test_expired_and_revoked, &s);
		RUN(test_article_crud_etag_and_permissions, &s);
		RUN(test_pagination_is_stable_under_inserts, &s);
		RUN(test_cookies_only_for_reading, &s);
		RUN(test_cors, &s);
		RUN(test_comments_moderated_like_the_site, &s);
		RUN(test_openapi_and_docs, &s);
		RUN(test_profile_tokens_shown_once_and_revoked, &s);
		RUN(test_admin_tokens_for_superusers, &s);
		site_check_log(&s);
		site_stop(&s);
	}
	if (site_start(&s, &lo) == 0) {
		RUN(test_rate_limit, &s);
		site_stop(&s);
	}
	return harness_finish();
}
