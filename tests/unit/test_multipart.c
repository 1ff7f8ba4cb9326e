/*
 * test_multipart: app/core/multipart.c: the boundary of a Content-Type,
 * the split of a multipart/form-data body (delimiters, part headers,
 * CRLF, limits), and what http_parse makes of such a body (fields into
 * r->form, files into r->uploads, max_upload).
 */
#include <string.h>

#include "core/arena.h"
#include "core/http.h"
#include "core/multipart.h"
#include "fixture.h"

Suite	*multipart_suite(void);

static struct arena	 a;

static void
setup(void)
{
	arena_init(&a, 4096);
}

static void
teardown(void)
{
	arena_free(&a);
}

/* The parts of body (a literal, so sizeof - 1 is its length). */
#define PARSE(body, parts, n, err) \
	multipart_parse(&a, (body), sizeof(body) - 1, "XyZ", 16, 1024, \
	    (parts), (n), (err))

static bool
data_is(const struct multipart_part *p, const char *want)
{
	return p->len == strlen(want) && memcmp(p->data, want, p->len) == 0;
}

START_TEST(test_multipart_boundary_from_content_type)
{
	char	 b70[100], b71[100];

	ck_assert_str_eq(multipart_boundary(&a,
	    "multipart/form-data; boundary=abc"), "abc");
	ck_assert_str_eq(multipart_boundary(&a,
	    "Multipart/Form-Data;boundary=\"a b'c\""), "a b'c");
	ck_assert_str_eq(multipart_boundary(&a,
	    "multipart/form-data; charset=utf-8; BOUNDARY=x-1"), "x-1");
	ck_assert_ptr_null(multipart_boundary(&a, NULL));
	ck_assert_ptr_null(multipart_boundary(&a, "multipart/form-data"));
	ck_assert_ptr_null(multipart_boundary(&a,
	    "multipart/form-data; boundary="));
	ck_assert_ptr_null(multipart_boundary(&a,
	    "multipart/form-data; boundary=\"\""));
	ck_assert_ptr_null(multipart_boundary(&a,
	    "multipart/mixed; boundary=abc"));
	ck_assert_ptr_null(multipart_boundary(&a,
	    "multipart/form-dataX; boundary=abc"));
	ck_assert_ptr_null(multipart_boundary(&a,
	    "multipart/form-data; boundary=\"ab \""));
	ck_assert_ptr_null(multipart_boundary(&a,
	    "multipart/form-data; boundary=\"a\rb\""));
	ck_assert_ptr_null(multipart_boundary(&a,
	    "multipart/form-data; boundary=\"unterminated"));
	memset(b70, 'b', 70);
	b70[70] = '\0';
	memset(b71, 'b', 71);
	b71[71] = '\0';
	ck_assert_str_eq(multipart_boundary(&a, arena_printf(&a,
	    "multipart/form-data; boundary=%s", b70)), b70);
	ck_assert_ptr_null(multipart_boundary(&a, arena_printf(&a,
	    "multipart/form-data; boundary=%s", b71)));
}
END_TEST

START_TEST(test_multipart_fields_and_a_file)
{
	static const char body[] =
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"csrf_token\"\r\n"
	    "\r\n"
	    "tok\r\n"
	    "--XyZ\r\n"
	    "content-disposition: form-data; name=\"file\"; "
	    "filename=\"a.png\"\r\n"
	    "Content-Type: image/png\r\n"
	    "\r\n"
	    "\x89PNG\r\n\x1a\n\0\0bin\r\n--Xy\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"alt\"\r\n"
	    "\r\n"
	    "two\r\nlines\r\n"
	    "--XyZ--\r\n";
	struct multipart_part	*p;
	size_t			 n;
	const char		*err = NULL;

	ck_assert_int_eq(PARSE(body, &p, &n, &err), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(p[0].name, "csrf_token");
	ck_assert_ptr_null(p[0].filename);
	ck_assert_ptr_null(p[0].content_type);
	ck_assert(data_is(&p[0], "tok"));
	ck_assert_str_eq(p[1].name, "file");
	ck_assert_str_eq(p[1].filename, "a.png");
	ck_assert_str_eq(p[1].content_type, "image/png");
	/* Binary content, NULs and a near-boundary kept byte for byte. */
	ck_assert_uint_eq(p[1].len, 19);
	ck_assert(memcmp(p[1].data, "\x89PNG\r\n\x1a\n\0\0bin\r\n--Xy", 19) ==
	    0);
	ck_assert(data_is(&p[2], "two\r\nlines"));
}
END_TEST

START_TEST(test_multipart_preamble_epilogue_and_padding)
{
	static const char body[] =
	    "This is the preamble.\r\n"
	    "--XyZ  \t\r\n"
	    "Content-Disposition: form-data; name=a\r\n"
	    "\r\n"
	    "1\r\n"
	    "--XyZ--"
	    "\r\nand an epilogue, ignored\r\n--XyZ\r\n";
	struct multipart_part	*p;
	size_t			 n;
	const char		*err = NULL;

	ck_assert_int_eq(PARSE(body, &p, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(p[0].name, "a");
	ck_assert(data_is(&p[0], "1"));
}
END_TEST

START_TEST(test_multipart_empty_value_and_empty_body)
{
	static const char empty_value[] =
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"a\"\r\n"
	    "\r\n"
	    "\r\n"
	    "--XyZ--";
	static const char no_parts[] = "--XyZ--\r\n";
	struct multipart_part	*p;
	size_t			 n;
	const char		*err = NULL;

	ck_assert_int_eq(PARSE(empty_value, &p, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(p[0].len, 0);
	ck_assert_int_eq(PARSE(no_parts, &p, &n, &err), 0);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_multipart_missing_closing_boundary_is_refused)
{
	static const char truncated[] =
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"a\"\r\n"
	    "\r\n"
	    "half a val";
	static const char unclosed[] =
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"a\"\r\n"
	    "\r\n"
	    "1\r\n"
	    "--XyZ";
	static const char in_headers[] =
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"a\"\r\n";
	static const char none[] = "no delimiter at all";
	struct multipart_part	*p;
	size_t			 n;
	const char		*err = NULL;

	ck_assert_int_eq(PARSE(truncated, &p, &n, &err), -1);
	ck_assert(fixture_has(err, "closing boundary"));
	err = NULL;
	ck_assert_int_eq(PARSE(unclosed, &p, &n, &err), -1);
	ck_assert(fixture_has(err, "closing boundary"));
	err = NULL;
	ck_assert_int_eq(PARSE(in_headers, &p, &n, &err), -1);
	ck_assert_ptr_nonnull(err);
	err = NULL;
	ck_assert_int_eq(PARSE(none, &p, &n, &err), -1);
	ck_assert(fixture_has(err, "no boundary"));
}
END_TEST

START_TEST(test_multipart_part_without_name_is_refused)
{
	static const char no_name[] =
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; filename=\"a.png\"\r\n"
	    "\r\n"
	    "x\r\n--XyZ--";
	static const char empty_name[] =
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"\"\r\n"
	    "\r\n"
	    "x\r\n--XyZ--";
	static const char no_disposition[] =
	    "--XyZ\r\n"
	    "Content-Type: text/plain\r\n"
	    "\r\n"
	    "x\r\n--XyZ--";
	static const char no_headers[] =
	    "--XyZ\r\n"
	    "\r\n"
	    "x\r\n--XyZ--";
	static const char attachment[] =
	    "--XyZ\r\n"
	    "Content-Disposition: attachment; name=\"a\"\r\n"
	    "\r\n"
	    "x\r\n--XyZ--";
	struct multipart_part	*p;
	size_t			 n;
	const char		*err = NULL;

	ck_assert_int_eq(PARSE(no_name, &p, &n, &err), -1);
	ck_assert(fixture_has(err, "no name"));
	ck_assert_int_eq(PARSE(empty_name, &p, &n, &err), -1);
	ck_assert(fixture_has(err, "no name"));
	ck_assert_int_eq(PARSE(no_disposition, &p, &n, &err), -1);
	ck_assert(fixture_has(err, "no Content-Disposition"));
	ck_assert_int_eq(PARSE(no_headers, &p, &n, &err), -1);
	ck_assert_int_eq(PARSE(attachment, &p, &n, &err), -1);
	ck_assert(fixture_has(err, "form-data"));
}
END_TEST

START_TEST(test_multipart_oversized_headers_are_refused)
{
	const char	*head = "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"a\"\r\n";
	char		 body[600];
	struct multipart_part *p;
	size_t		 n, len;
	const char	*err = NULL;

	/* A 300-byte header line after the disposition. */
	len = (size_t)snprintf(body, sizeof(body), "%sX-Pad: %0290d\r\n\r\n"
	    "v\r\n--XyZ--", head, 0);
	ck_assert_int_eq(multipart_parse(&a, body, len, "XyZ", 16, 1024, &p,
	    &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(multipart_parse(&a, body, len, "XyZ", 16, 200, &p,
	    &n, &err), -1);
	ck_assert(fixture_has(err, "too large"));
	/* Even with no line end in sight. */
	len = (size_t)snprintf(body, sizeof(body), "%sX-Pad: %0290d", head,
	    0);
	ck_assert_int_eq(multipart_parse(&a, body, len, "XyZ", 16, 200, &p,
	    &n, &err), -1);
	ck_assert(fixture_has(err, "too large"));
}
END_TEST

START_TEST(test_multipart_quoted_filename)
{
	static const char quoted[] =
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"f\"; "
	    "filename=\"my photo; final=1.png\"\r\n"
	    "\r\n"
	    "x\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data;name=g;filename=plain.gif\r\n"
	    "\r\n"
	    "y\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"h\"; filename=\"\"\r\n"
	    "Content-Type: application/octet-stream\r\n"
	    "\r\n"
	    "\r\n"
	    "--XyZ--";
	static const char unterminated[] =
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"f\"; filename=\"a.png\r\n"
	    "\r\n"
	    "x\r\n--XyZ--";
	static const char twice[] =
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"a\"; name=\"b\"\r\n"
	    "\r\n"
	    "x\r\n--XyZ--";
	struct multipart_part	*p;
	size_t			 n;
	const char		*err = NULL;

	ck_assert_int_eq(PARSE(quoted, &p, &n, &err), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(p[0].filename, "my photo; final=1.png");
	ck_assert_str_eq(p[1].name, "g");
	ck_assert_str_eq(p[1].filename, "plain.gif");
	ck_assert_str_eq(p[2].filename, "");
	ck_assert_uint_eq(p[2].len, 0);
	ck_assert_int_eq(PARSE(unterminated, &p, &n, &err), -1);
	ck_assert_int_eq(PARSE(twice, &p, &n, &err), -1);
}
END_TEST

START_TEST(test_multipart_crlf_is_required)
{
	static const char bare_lf[] =
	    "--XyZ\n"
	    "Content-Disposition: form-data; name=\"a\"\n"
	    "\n"
	    "1\n"
	    "--XyZ--\n";
	static const char lf_in_headers[] =
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"a\"\n"
	    "X: y\r\n"
	    "\r\n"
	    "1\r\n--XyZ--";
	static const char lf_before_delim[] =
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"a\"\r\n"
	    "\r\n"
	    "1\n--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"b\"\r\n"
	    "\r\n"
	    "2\r\n--XyZ--";
	struct multipart_part	*p;
	size_t			 n;
	const char		*err = NULL;

	ck_assert_int_eq(PARSE(bare_lf, &p, &n, &err), -1);
	ck_assert_int_eq(PARSE(lf_in_headers, &p, &n, &err), -1);
	ck_assert(fixture_has(err, "malformed"));
	/* A delimiter counts only after CRLF: "\n--XyZ" is content. */
	ck_assert_int_eq(PARSE(lf_before_delim, &p, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_ptr_nonnull(memmem(p[0].data, p[0].len, "1\n--XyZ\r\n", 9));
}
END_TEST

START_TEST(test_multipart_delimiter_followed_by_text_is_refused)
{
	static const char body[] =
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"a\"\r\n"
	    "\r\n"
	    "1\r\n--XyZabc\r\n--XyZ--";
	struct multipart_part	*p;
	size_t			 n;
	const char		*err = NULL;

	ck_assert_int_eq(PARSE(body, &p, &n, &err), -1);
	ck_assert(fixture_has(err, "malformed"));
}
END_TEST

START_TEST(test_multipart_too_many_parts_is_refused)
{
	static const char body[] =
	    "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=b\r\n\r\n2\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=c\r\n\r\n3\r\n"
	    "--XyZ--";
	struct multipart_part	*p;
	size_t			 n;
	const char		*err = NULL;

	ck_assert_int_eq(multipart_parse(&a, body, sizeof(body) - 1, "XyZ", 3,
	    1024, &p, &n, &err), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(multipart_parse(&a, body, sizeof(body) - 1, "XyZ", 2,
	    1024, &p, &n, &err), -1);
	ck_assert(fixture_has(err, "too many"));
}
END_TEST

/* ---- through http_parse ------------------------------------------------ */

static const struct http_limits mp_limits = {
	.max_body = 64,
	.max_upload = 1024,
	.max_uri = 256,
	.max_params = 4,
	.max_key = 16,
	.max_value = 32,
	.max_headers = 256,
	.max_cookie = 64,
};

/* POST /u/ with Content-Type ct and len bytes of body, on a fresh r. */
static int
post(struct req *r, const char *ct, const char *body, size_t len)
{
	char	**env = arena_alloc(r->arena, 4 * sizeof(*env));
	char	 *copy = arena_alloc(r->arena, len + 1);

	env[0] = arena_strdup(r->arena, "REQUEST_METHOD=POST");
	env[1] = arena_strdup(r->arena, "REQUEST_URI=/u/");
	env[2] = arena_printf(r->arena, "CONTENT_TYPE=%s", ct);
	env[3] = NULL;
	memcpy(copy, body, len);
	copy[len] = '\0';
	return http_parse(r, env, copy, len);
}

#define MP_CT	"multipart/form-data; boundary=XyZ"

START_TEST(test_http_multipart_fields_into_form_files_into_uploads)
{
	static const char body[] =
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
	    "tok\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"file\"; "
	    "filename=\"C:\\\\x\\\\a.png\"\r\n"
	    "Content-Type: image/png\r\n\r\n"
	    "\x89PNG\0\xff\r\n"
	    "--XyZ--\r\n";
	struct req		 r;
	const struct upload	*u;

	req_init(&r, &mp_limits);
	ck_assert_uint_gt(sizeof(body) - 1, mp_limits.max_body);
	ck_assert_int_eq(post(&r, MP_CT, body, sizeof(body) - 1), 0);
	ck_assert_str_eq(req_form(&r, "csrf_token"), "tok");
	ck_assert_ptr_null(req_form(&r, "file"));
	ck_assert_uint_eq(r.nuploads, 1);
	ck_assert_ptr_nonnull(u = req_upload(&r, "file"));
	ck_assert_str_eq(u->filename, "C:\\\\x\\\\a.png");
	ck_assert_str_eq(u->content_type, "image/png");
	ck_assert_uint_eq(u->len, 6);
	ck_assert(memcmp(u->data, "\x89PNG\0\xff", 6) == 0);
	ck_assert_ptr_null(req_upload(&r, "other"));
	req_free(&r);
}
END_TEST

START_TEST(test_http_multipart_body_limit_is_max_upload)
{
	struct req	 r;
	char		 body[1100];
	size_t		 len;

	ck_assert_uint_eq(http_body_limit(&mp_limits, MP_CT), 1024);
	ck_assert_uint_eq(http_body_limit(&mp_limits,
	    "application/x-www-form-urlencoded"), 64);
	ck_assert_uint_eq(http_body_limit(&mp_limits, NULL), 64);
	req_init(&r, &mp_limits);
	len = (size_t)snprintf(body, sizeof(body), "--XyZ\r\nContent-"
	    "Disposition: form-data; name=f; filename=a\r\n\r\n%0900d\r\n"
	    "--XyZ--", 0);
	ck_assert_int_eq(post(&r, MP_CT, body, len), 0);
	ck_assert_uint_eq(req_upload(&r, "f")->len, 900);
	req_reset(&r);
	memset(body, 'a', 1025);
	ck_assert_int_eq(post(&r, MP_CT, body, 1025), HTTP_413);
	req_reset(&r);
	ck_assert_int_eq(post(&r, "application/x-www-form-urlencoded", body,
	    65), HTTP_413);
	req_free(&r);
}
END_TEST

START_TEST(test_http_multipart_fields_keep_the_form_limits)
{
	static const char long_value[] =
	    "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n"
	    "123456789012345678901234567890123\r\n--XyZ--";
	static const char bad_utf8[] =
	    "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n"
	    "\xc3\x28\r\n--XyZ--";
	static const char long_key[] =
	    "--XyZ\r\nContent-Disposition: form-data; "
	    "name=abcdefghijklmnopq\r\n\r\n1\r\n--XyZ--";
	static const char many[] =
	    "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=b\r\n\r\n2\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=c; filename=c\r\n"
	    "\r\n3\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=d\r\n\r\n4\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=e\r\n\r\n5\r\n"
	    "--XyZ--";
	struct req	 r;

	req_init(&r, &mp_limits);
	ck_assert_int_eq(post(&r, MP_CT, long_value, sizeof(long_value) - 1),
	    HTTP_400);
	req_reset(&r);
	ck_assert_int_eq(post(&r, MP_CT, bad_utf8, sizeof(bad_utf8) - 1),
	    HTTP_400);
	req_reset(&r);
	ck_assert_int_eq(post(&r, MP_CT, long_key, sizeof(long_key) - 1),
	    HTTP_400);
	req_reset(&r);
	ck_assert_int_eq(post(&r, MP_CT, many, sizeof(many) - 1), HTTP_400);
	ck_assert(fixture_has(r.error_detail, "many"));
	req_reset(&r);
	ck_assert_int_eq(post(&r, "multipart/form-data", many,
	    sizeof(many) - 1), HTTP_400);
	ck_assert(fixture_has(r.error_detail, "boundary"));
	req_free(&r);
}
END_TEST

Suite *
multipart_suite(void)
{
	Suite	*s = suite_create("multipart");
	TCase	*tc = tcase_create("multipart");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_multipart_boundary_from_content_type);
	tcase_add_test(tc, test_multipart_fields_and_a_file);
	tcase_add_test(tc, test_multipart_preamble_epilogue_and_padding);
	tcase_add_test(tc, test_multipart_empty_value_and_empty_body);
	tcase_add_test(tc, test_multipart_missing_closing_boundary_is_refused);
	tcase_add_test(tc, test_multipart_part_without_name_is_refused);
	tcase_add_test(tc, test_multipart_oversized_headers_are_refused);
	tcase_add_test(tc, test_multipart_quoted_filename);
	tcase_add_test(tc, test_multipart_crlf_is_required);
	tcase_add_test(tc, test_multipart_delimiter_followed_by_text_is_refused);
	tcase_add_test(tc, test_multipart_too_many_parts_is_refused);
	tcase_add_test(tc, test_http_multipart_fields_into_form_files_into_uploads);
	tcase_add_test(tc, test_http_multipart_body_limit_is_max_upload);
	tcase_add_test(tc, test_http_multipart_fields_keep_the_form_limits);
	suite_add_tcase(s, tc);
	return s;
}
