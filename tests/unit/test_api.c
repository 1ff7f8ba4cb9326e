/*
 * test_api: app/core/api.c.  Token shape, parsing and hashing; scopes;
 * minting, looking up through the dispatcher's rules (revoked, expired)
 * on a fresh database; problem+json shapes (RFC 9457 members, field
 * errors); ETag comparisons for If-None-Match and If-Match.
 */
#include <ClearSilver.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/api.h"
#include "core/db.h"
#include "core/http.h"
#include "core/model.h"
#include "core/render.h"
#include "core/router.h"
#include "site/site.h"
#include "fixture.h"

Suite	*api_suite(void);

static struct fixture_db	 fdb;
static struct req		 r;

static void
setup(void)
{
	fixture_accounts_open(&fdb);
	req_init(&r, &fixture_limits);
}

static void
teardown(void)
{
	render_reset(&r);
	req_free(&r);
	fixture_db_close(&fdb);
}

START_TEST(test_api_token_has_prefix_and_43_base64url_chars)
{
	char	 a[API_TOKEN_LEN + 1], b[API_TOKEN_LEN + 1];

	api_token_generate(a);
	api_token_generate(b);
	ck_assert_uint_eq(strlen(a), 46);
	ck_assert(strncmp(a, "gz_", 3) == 0);
	ck_assert(api_token_is_wellformed(a));
	ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(test_api_token_parse_refuses_malformed)
{
	ck_assert(!api_token_is_wellformed(NULL));
	ck_assert(!api_token_is_wellformed(""));
	ck_assert(!api_token_is_wellformed("gz_"));
	ck_assert(!api_token_is_wellformed(
	    "xx_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
	ck_assert(!api_token_is_wellformed(
	    "gz_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+"));
	ck_assert(!api_token_is_wellformed(
	    "gz_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
	ck_assert(!api_token_is_wellformed(
	    "gz_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' OR 1"));
	ck_assert(api_token_is_wellformed(
	    "gz_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-_9"));
}
END_TEST

START_TEST(test_api_token_hash_is_keyed_hex_and_stable)
{
	char	 h1[65], h2[65], h3[65];

	api_token_hash("gz_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", h1);
	api_token_hash("gz_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", h2);
	api_token_hash("gz_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB", h3);
	ck_assert_uint_eq(strlen(h1), 64);
	ck_assert_str_eq(h1, h2);
	ck_assert_str_ne(h1, h3);
	ck_assert(strstr(h1, "gz_") == NULL);
}
END_TEST

START_TEST(test_api_scopes_parse_normalises)
{
	ck_assert_str_eq(api_scopes_parse("read"), "read");
	ck_assert_str_eq(api_scopes_parse("read,write"), "read,write");
	ck_assert_str_eq(api_scopes_parse("write,read"), "read,write");
	ck_assert_str_eq(api_scopes_parse("write"), "read,write");
	ck_assert_ptr_null(api_scopes_parse("admin"));
	ck_assert_ptr_null(api_scopes_parse(""));
	ck_assert_ptr_null(api_scopes_parse(NULL));
}
END_TEST

START_TEST(test_api_token_create_stores_only_the_hash)
{
	const char	*tok = NULL;
	long long	 uid = fixture_user(&r, "alice", NULL);
	int64_t		 id;

	id = api_token_create(&r, uid, "ci", "read", 0, &tok);
	ck_assert_int_gt(id, 0);
	ck_assert(api_token_is_wellformed(tok));
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM api_tokens WHERE "
	    "id = ?1 AND length(hash) = 64 AND hash NOT LIKE 'gz%'", 1,
	    (long long)id), 1);
	ck_assert_int_eq(fixture_sql("SELECT length(prefix) FROM api_tokens "
	    "WHERE id = ?1", 1, (long long)id), API_TOKEN_SHOWN);
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_api_token_revoke_only_own_unless_any)
{
	const char	*tok = NULL;
	long long	 a = fixture_user(&r, "alice", NULL);
	long long	 b = fixture_user(&r, "bob", NULL);
	int64_t		 id = api_token_create(&r, a, "x", "read,write", 0, &tok);

	ck_assert_int_eq(api_token_revoke(&r, id, b), 0);
	ck_assert_int_eq(api_token_revoke(&r, id, a), 1);
	ck_assert_int_eq(api_token_revoke(&r, id, a), 0);
	id = api_token_create(&r, a, "y", "read", 0, &tok);
	ck_assert_int_eq(api_token_revoke(&r, id, 0), 1);
	ck_assert(!req_failed(&r));
}
END_TEST

/* Parse a problem document and check its RFC 9457 members. */
static json_t *
problem(int status, const char *detail, json_t *errors)
{
	char		*s = api_problem_text(status, detail, "/api/v1/x",
			    errors);
	json_error_t	 e;
	json_t		*o = json_loads(s, 0, &e);

	free(s);
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(json_string_value(json_object_get(o, "type")),
	    "about:blank");
	ck_assert_int_eq(json_integer_value(json_object_get(o, "status")),
	    status);
	ck_assert_str_eq(json_string_value(json_object_get(o, "instance")),
	    "/api/v1/x");
	return o;
}

START_TEST(test_api_problem_has_rfc9457_members)
{
	json_t	*o = problem(404, "No such article.", NULL);

	ck_assert_str_eq(json_string_value(json_object_get(o, "title")),
	    "Not Found");
	ck_assert_str_eq(json_string_value(json_object_get(o, "detail")),
	    "No such article.");
	ck_assert_ptr_null(json_object_get(o, "errors"));
	json_decref(o);
	o = problem(429, NULL, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(o, "detail")),
	    "Too Many Requests");
	json_decref(o);
}
END_TEST

START_TEST(test_api_problem_lists_field_errors)
{
	json_t	*errors = NULL, *o, *e;

	api_field_error(&errors, "title", "This field is required.");
	api_field_error(&errors, "colour", "Unknown field.");
	o = problem(400, "The article was not saved.", errors);
	e = json_object_get(o, "errors");
	ck_assert(json_is_array(e));
	ck_assert_uint_eq(json_array_size(e), 2);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(e,
	    0), "field")), "title");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(e,
	    0), "message")), "This field is required.");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(e,
	    1), "field")), "colour");
	json_decref(o);
}
END_TEST

START_TEST(test_api_problem_sets_media_type)
{
	ck_assert_int_eq(fixture_http(&r, NULL, "REQUEST_METHOD=GET",
	    "REQUEST_URI=/api/v1/articles", (char *)NULL), 0);
	ck_assert(api_is_request(&r));
	ck_assert_int_eq(api_problem(&r, 415, NULL, NULL), 415);
	ck_assert_str_eq(r.content_type, "application/problem+json");
	ck_assert(fixture_has(r.out.ptr, "\"status\":415"));
}
END_TEST

START_TEST(test_api_etag_if_none_match_and_if_match)
{
	ck_assert_int_eq(fixture_http(&r, NULL, "REQUEST_METHOD=PATCH",
	    "REQUEST_URI=/api/v1/articles/1",
	    "HTTP_IF_NONE_MATCH=\"zz\", \"abc\"",
	    "HTTP_IF_MATCH=\"old\"", (char *)NULL), 0);
	ck_assert(api_not_modified(&r, "abc"));
	ck_assert(!api_not_modified(&r, "ab"));
	ck_assert(api_precondition_failed(&r, "abc"));
	ck_assert(!api_precondition_failed(&r, "old"));
	req_reset(&r);
	ck_assert_int_eq(fixture_http(&r, NULL, "REQUEST_METHOD=PATCH",
	    "REQUEST_URI=/api/v1/articles/1", "HTTP_IF_MATCH=W/\"abc\"",
	    (char *)NULL), 0);
	ck_assert(api_precondition_failed(&r, "abc"));	/* strong only */
	ck_assert(!api_not_modified(&r, "abc"));	/* none sent */
	req_reset(&r);
	ck_assert_int_eq(fixture_http(&r, NULL, "REQUEST_METHOD=PATCH",
	    "REQUEST_URI=/api/v1/articles/1", "HTTP_IF_MATCH=*",
	    (char *)NULL), 0);
	ck_assert(!api_precondition_failed(&r, "abc"));
}
END_TEST

START_TEST(test_api_is_request_by_path)
{
	ck_assert_int_eq(fixture_get(&r, "/apiary/"), 0);
	ck_assert(!api_is_request(&r));
	req_reset(&r);
	ck_assert_int_eq(fixture_get(&r, "/api/v1/me"), 0);
	ck_assert(api_is_request(&r));
}
END_TEST

/* The site's tables, as `gazette serve` installs them. */
static void
register_site(void)
{
	ck_assert_int_eq(router_init(site_routes), 0);
	ck_assert_int_eq(model_register_all(site_models), 0);
	api_register(site_api_table);
}

START_TEST(test_api_every_api_route_has_endpoints_and_back)
{
	register_site();
	for (const struct route *rt = router_table(); rt->name != NULL;
	    rt++) {
		unsigned seen = 0;

		if (rt->handler != api_dispatch)
			continue;
		ck_assert_msg(rt->flags & ROUTE_CSRF_EXEMPT, "%s", rt->name);
		for (const struct api_endpoint *e = api_endpoints();
		    e->route != NULL; e++)
			if (strcmp(e->route, rt->name) == 0)
				seen |= e->method;
		/* Each method of the route has an endpoint (OPTIONS is the
		 * dispatcher's own), and no endpoint a method the router
		 * would refuse. */
		ck_assert_msg(seen == (rt->methods & ~(unsigned)M_OPTIONS),
		    "%s: route methods %x, endpoints %x", rt->name,
		    rt->methods, seen);
	}
	for (const struct api_endpoint *e = api_endpoints(); e->route != NULL;
	    e++) {
		const struct route *rt = router_table();

		while (rt->name != NULL && strcmp(rt->name, e->route) != 0)
			rt++;
		ck_assert_msg(rt->name != NULL, "%s: no route", e->route);
		ck_assert_msg(rt->handler == api_dispatch, "%s", e->route);
		if (e->model != NULL)
			ck_assert_ptr_nonnull(model_find(e->model));
	}
}
END_TEST

START_TEST(test_api_openapi_comes_from_routes_and_models)
{
	json_t	*doc, *op, *props, *st;
	size_t	 nops = 0, nendpoints = 0;
	const char *path;
	json_t	*item;

	register_site();
	doc = api_openapi(&r);
	ck_assert_ptr_nonnull(doc);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "openapi")),
	    "3.1.0");
	json_object_foreach(json_object_get(doc, "paths"), path, item) {
		ck_assert_msg(strchr(path, ':') == NULL, "%s", path);
		nops += json_object_size(item);
	}
	for (const struct api_endpoint *e = api_endpoints(); e->route != NULL;
	    e++)
		nendpoints++;
	ck_assert_uint_eq(nops, nendpoints);
	op = json_object_get(json_object_get(json_object_get(doc, "paths"),
	    "/api/v1/articles/{id}"), "patch");
	ck_assert_ptr_nonnull(op);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(
	    json_object_get(op, "parameters"), 0), "name")), "id");
	props = json_object_get(json_object_get(json_object_get(
	    json_object_get(json_object_get(json_object_get(op,
	    "requestBody"), "content"), "application/json"), "schema"),
	    "properties"), "title");
	ck_assert_ptr_nonnull(props);
	ck_assert_int_eq(json_integer_value(json_object_get(props,
	    "maxLength")), 300);
	st = json_object_get(json_object_get(json_object_get(json_object_get(
	    json_object_get(json_object_get(json_object_get(op,
	    "requestBody"), "content"), "application/json"), "schema"),
	    "properties"), "status"), "enum");
	ck_assert(json_is_array(st) && json_array_size(st) >= 4);
	ck_assert_ptr_nonnull(json_object_get(json_object_get(op,
	    "responses"), "412"));
	json_decref(doc);
}
END_TEST

Suite *
api_suite(void)
{
	Suite	*s = suite_create("api");
	TCase	*tc = tcase_create("api");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_api_token_has_prefix_and_43_base64url_chars);
	tcase_add_test(tc, test_api_token_parse_refuses_malformed);
	tcase_add_test(tc, test_api_token_hash_is_keyed_hex_and_stable);
	tcase_add_test(tc, test_api_scopes_parse_normalises);
	tcase_add_test(tc, test_api_token_create_stores_only_the_hash);
	tcase_add_test(tc, test_api_token_revoke_only_own_unless_any);
	tcase_add_test(tc, test_api_problem_has_rfc9457_members);
	tcase_add_test(tc, test_api_problem_lists_field_errors);
	tcase_add_test(tc, test_api_problem_sets_media_type);
	tcase_add_test(tc, test_api_etag_if_none_match_and_if_match);
	tcase_add_test(tc, test_api_is_request_by_path);
	tcase_add_test(tc, test_api_every_api_route_has_endpoints_and_back);
	tcase_add_test(tc, test_api_openapi_comes_from_routes_and_models);
	suite_add_tcase(s, tc);
	return s;
}
