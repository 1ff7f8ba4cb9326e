/*
 * test_buf: app/core/buf.c, the growable heap buffer behind response
 * bodies.
 */
#include <string.h>

#include "core/buf.h"
#include "fixture.h"

static struct buf	 b;

static void
setup(void)
{
	buf_init(&b);
}

static void
teardown(void)
{
	buf_free(&b);
}

START_TEST(test_buf_starts_empty)
{
	ck_assert_uint_eq(b.len, 0);
	ck_assert_ptr_null(b.ptr);
}
END_TEST

START_TEST(test_buf_appends_and_stays_nul_terminated)
{
	buf_puts(&b, "Hello");
	buf_putc(&b, ',');
	buf_append(&b, " world!!!", 6);
	ck_assert_uint_eq(b.len, 12);
	ck_assert_str_eq(b.ptr, "Hello, world");
	buf_append(&b, "", 0);
	ck_assert_str_eq(b.ptr, "Hello, world");
}
END_TEST

START_TEST(test_buf_holds_binary_bytes)
{
	buf_append(&b, "a\0b", 3);
	ck_assert_uint_eq(b.len, 3);
	ck_assert_int_eq(memcmp(b.ptr, "a\0b", 4), 0);
}
END_TEST

START_TEST(test_buf_printf_appends_formatted)
{
	buf_puts(&b, "n=");
	buf_printf(&b, "%d %s", 42, "x");
	buf_printf(&b, "%s", "");
	ck_assert_str_eq(b.ptr, "n=42 x");
	ck_assert_uint_eq(b.len, 6);
}
END_TEST

START_TEST(test_buf_grows_for_large_content)
{
	char	 chunk[1000];

	memset(chunk, 'q', sizeof(chunk));
	for (int i = 0; i < 1000; i++)
		buf_append(&b, chunk, sizeof(chunk));
	buf_printf(&b, "%.*s", 5000, "end");
	ck_assert_uint_eq(b.len, 1000 * 1000 + 3);
	ck_assert_uint_gt(b.cap, b.len);
	ck_assert_int_eq(b.ptr[999999], 'q');
	ck_assert_str_eq(b.ptr + 1000000, "end");
}
END_TEST

START_TEST(test_buf_reset_keeps_memory)
{
	char	*p;
	size_t	 cap;

	buf_puts(&b, "some content");
	p = b.ptr;
	cap = b.cap;
	buf_reset(&b);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(b.ptr, "");
	ck_assert_ptr_eq(b.ptr, p);
	ck_assert_uint_eq(b.cap, cap);
	buf_puts(&b, "again");
	ck_assert_str_eq(b.ptr, "again");
}
END_TEST

START_TEST(test_buf_reset_of_empty_buf_is_harmless)
{
	buf_reset(&b);
	ck_assert_uint_eq(b.len, 0);
	buf_free(&b);
	buf_free(&b);
	ck_assert_ptr_null(b.ptr);
}
END_TEST

Suite *
buf_suite(void)
{
	Suite	*s = suite_create("buf");
	TCase	*tc = tcase_create("buf");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_buf_starts_empty);
	tcase_add_test(tc, test_buf_appends_and_stays_nul_terminated);
	tcase_add_test(tc, test_buf_holds_binary_bytes);
	tcase_add_test(tc, test_buf_printf_appends_formatted);
	tcase_add_test(tc, test_buf_grows_for_large_content);
	tcase_add_test(tc, test_buf_reset_keeps_memory);
	tcase_add_test(tc, test_buf_reset_of_empty_buf_is_harmless);
	suite_add_tcase(s, tc);
	return s;
}
