/*
 * test_log: app/core/log.c: level names and logfmt quoting.  (Lines go
 * to stderr; their content is checked by quoting, which decides it.)
 */
#include <string.h>

#include "core/log.h"
#include "fixture.h"

START_TEST(test_log_level_parse_knows_the_four_names)
{
	ck_assert_int_eq(log_level_parse("debug"), LOG_DEBUG);
	ck_assert_int_eq(log_level_parse("info"), LOG_INFO);
	ck_assert_int_eq(log_level_parse("warn"), LOG_WARN);
	ck_assert_int_eq(log_level_parse("error"), LOG_ERROR);
	ck_assert_int_eq(log_level_parse("INFO"), -1);
	ck_assert_int_eq(log_level_parse("warning"), -1);
	ck_assert_int_eq(log_level_parse(""), -1);
}
END_TEST

START_TEST(test_log_quote_leaves_safe_values_bare)
{
	char	 q[64];

	ck_assert_str_eq(log_quote(q, sizeof(q), "GET"), "GET");
	ck_assert_str_eq(log_quote(q, sizeof(q), "/articles/x/?a"),
	    "/articles/x/?a");
}
END_TEST

START_TEST(test_log_quote_quotes_spaces_quotes_and_equals)
{
	char	 q[64];

	ck_assert_str_eq(log_quote(q, sizeof(q), ""), "\"\"");
	ck_assert_str_eq(log_quote(q, sizeof(q), "two words"),
	    "\"two words\"");
	ck_assert_str_eq(log_quote(q, sizeof(q), "a=b"), "\"a=b\"");
	ck_assert_str_eq(log_quote(q, sizeof(q), "say \"hi\""),
	    "\"say \\\"hi\\\"\"");
	ck_assert_str_eq(log_quote(q, sizeof(q), "back\\slash"),
	    "\"back\\\\slash\"");
}
END_TEST

START_TEST(test_log_quote_cannot_break_the_line)
{
	char	 q[64];

	ck_assert_str_eq(log_quote(q, sizeof(q), "a\nb"), "\"a\\nb\"");
	ck_assert_str_eq(log_quote(q, sizeof(q), "a\rb\tc"), "\"a?b?c\"");
	ck_assert_ptr_null(strchr(log_quote(q, sizeof(q),
	    "x\r\nlevel=error fake=1"), '\n'));
}
END_TEST

START_TEST(test_log_quote_truncates_to_fit)
{
	char	 q[8], long_value[100];

	memset(long_value, 'a', sizeof(long_value) - 1);
	long_value[sizeof(long_value) - 1] = '\0';
	log_quote(q, sizeof(q), long_value);
	ck_assert_uint_lt(strlen(q), sizeof(q));
	long_value[3] = ' ';
	log_quote(q, sizeof(q), long_value);
	ck_assert_uint_lt(strlen(q), sizeof(q));
	ck_assert_int_eq(q[0], '"');
	ck_assert_int_eq(q[strlen(q) - 1], '"');
	log_quote(q, 2, "a b");
	ck_assert_str_eq(q, "");
}
END_TEST

Suite *
log_suite(void)
{
	Suite	*s = suite_create("log");
	TCase	*tc = tcase_create("log");

	tcase_add_test(tc, test_log_level_parse_knows_the_four_names);
	tcase_add_test(tc, test_log_quote_leaves_safe_values_bare);
	tcase_add_test(tc, test_log_quote_quotes_spaces_quotes_and_equals);
	tcase_add_test(tc, test_log_quote_cannot_break_the_line);
	tcase_add_test(tc, test_log_quote_truncates_to_fit);
	suite_add_tcase(s, tc);
	return s;
}
