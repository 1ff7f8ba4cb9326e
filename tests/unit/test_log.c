/*
 * test_log: app/core/log.c: level names, logfmt quoting, and JSON lines
 * (the logfmt-to-JSON conversion, checked exactly and with jansson's
 * parser, and a whole line written to a redirected stderr).
 */
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

START_TEST(test_log_json_keeps_keys_in_order_and_numbers_as_numbers)
{
	char	 j[512];

	log_json(j, sizeof(j), "time=2026-11-27T11:00:00.123Z level=info "
	    "pid=42 rid=0af3 method=GET path=/articles/x/?a=1 status=200 "
	    "dur_us=1234 bytes=0");
	ck_assert_str_eq(j, "{\"time\":\"2026-11-27T11:00:00.123Z\","
	    "\"level\":\"info\",\"pid\":42,\"rid\":\"0af3\","
	    "\"method\":\"GET\",\"path\":\"/articles/x/?a=1\","
	    "\"status\":200,\"dur_us\":1234,\"bytes\":0}");
}
END_TEST

START_TEST(test_log_json_numbers_only_when_json_integers)
{
	char	 j[512];

	log_json(j, sizeof(j), "a=007 b=-5 c=1234567890123456 d=1.5 e=0 "
	    "f=- g= h=123456789012345");
	ck_assert_str_eq(j, "{\"a\":\"007\",\"b\":-5,"
	    "\"c\":\"1234567890123456\",\"d\":\"1.5\",\"e\":0,"
	    "\"f\":\"-\",\"g\":\"\",\"h\":123456789012345}");
}
END_TEST

START_TEST(test_log_json_unescapes_logfmt_and_escapes_json)
{
	char	 q[128], line[256], j[512];

	snprintf(line, sizeof(line), "msg=%s path=%s",
	    log_quote(q, sizeof(q), "say \"hi\" \\ back\nslash"),
	    "\"/a b\"");
	log_json(j, sizeof(j), line);
	ck_assert_str_eq(j, "{\"msg\":\"say \\\"hi\\\" \\\\ back\\nslash\","
	    "\"path\":\"/a b\"}");
}
END_TEST

START_TEST(test_log_json_escapes_control_bytes_and_bad_utf8)
{
	char	 j[512];

	log_json(j, sizeof(j), "k=a\001b\177 v=\xff\xfe ok=caf\xc3\xa9 "
	    "cut=\xc3 sur=\xed\xa0\x80");
	ck_assert_str_eq(j, "{\"k\":\"a\\u0001b\\u007f\","
	    "\"v\":\"\\ufffd\\ufffd\",\"ok\":\"caf\xc3\xa9\","
	    "\"cut\":\"\\ufffd\",\"sur\":\"\\ufffd\\ufffd\\ufffd\"}");
}
END_TEST

START_TEST(test_log_json_bare_word_is_true)
{
	char	 j[128];

	log_json(j, sizeof(j), "oops level=warn");
	ck_assert_str_eq(j, "{\"oops\":true,\"level\":\"warn\"}");
	log_json(j, sizeof(j), "");
	ck_assert_str_eq(j, "{}");
}
END_TEST

START_TEST(test_log_json_truncates_to_valid_json)
{
	char		 line[2048], j[100];
	json_t		*o;
	json_error_t	 e;
	size_t		 n;

	line[0] = '\0';
	for (size_t i = 0; i < 40; i++) {
		size_t	 k = strlen(line);

		snprintf(line + k, sizeof(line) - k, "k%02zu=\"a\\\"b\" ", i);
	}
	n = log_json(j, sizeof(j), line);
	ck_assert_uint_eq(n, strlen(j));
	ck_assert_uint_lt(n, sizeof(j));
	o = json_loads(j, 0, &e);
	ck_assert_msg(o != NULL, "%s: %s", j, e.text);
	ck_assert(json_is_true(json_object_get(o, "truncated")));
	ck_assert_str_eq(json_string_value(json_object_get(o, "k00")),
	    "a\"b");
	json_decref(o);
	/* Not even one pair fits. */
	snprintf(line, sizeof(line), "k=%0500d", 1);
	log_json(j, 64, line);
	ck_assert_str_eq(j, "{\"truncated\":true}");
}
END_TEST

START_TEST(test_log_msg_writes_one_json_object_per_line)
{
	char		 path[] = "/tmp/gazette-log-XXXXXX", q[64], buf[1024];
	int		 fd, saved;
	ssize_t		 n;
	json_t		*o;
	json_error_t	 e;

	ck_assert_int_ge(fd = mkstemp(path), 0);
	unlink(path);
	saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	log_set_json(1);
	log_set_level(LOG_ERROR);	/* the runner silences every level */
	log_msg(LOG_ERROR, "msg=%s n=%d", log_quote(q, sizeof(q), "a \"b\""),
	    5);
	log_set_json(0);
	log_set_level(getenv("GAZETTE_TEST_LOG") != NULL ? LOG_INFO :
	    LOG__MAX);			/* as main.c has it */
	dup2(saved, STDERR_FILENO);
	close(saved);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_int_eq(buf[n - 1], '\n');
	ck_assert_ptr_eq(strchr(buf, '\n'), buf + n - 1);
	ck_assert(strncmp(buf, "{\"time\":\"", 9) == 0);
	o = json_loads(buf, 0, &e);
	ck_assert_msg(o != NULL, "%s: %s", buf, e.text);
	ck_assert_str_eq(json_string_value(json_object_get(o, "level")),
	    "error");
	ck_assert_int_eq(json_integer_value(json_object_get(o, "pid")),
	    getpid());
	ck_assert_str_eq(json_string_value(json_object_get(o, "msg")),
	    "a \"b\"");
	ck_assert_int_eq(json_integer_value(json_object_get(o, "n")), 5);
	json_decref(o);
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
	tcase_add_test(tc, test_log_json_keeps_keys_in_order_and_numbers_as_numbers);
	tcase_add_test(tc, test_log_json_numbers_only_when_json_integers);
	tcase_add_test(tc, test_log_json_unescapes_logfmt_and_escapes_json);
	tcase_add_test(tc, test_log_json_escapes_control_bytes_and_bad_utf8);
	tcase_add_test(tc, test_log_json_bare_word_is_true);
	tcase_add_test(tc, test_log_json_truncates_to_valid_json);
	tcase_add_test(tc, test_log_msg_writes_one_json_object_per_line);
	suite_add_tcase(s, tc);
	return s;
}
