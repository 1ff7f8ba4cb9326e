/*
 * test_util: app/core/util.c: UTF-8 validation and counting, trimming,
 * strict integers, dates, allocation wrappers, clocks.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/util.h"
#include "fixture.h"

/* util_is_utf8 over a literal, its NUL not included. */
#define UTF8(s)	util_is_utf8((s), sizeof(s) - 1)

START_TEST(test_util_utf8_accepts_ascii_and_multibyte)
{
	ck_assert(UTF8(""));
	ck_assert(UTF8("plain ascii ~!@#"));
	ck_assert(UTF8("caf\xc3\xa9"));			/* é, 2 bytes */
	ck_assert(UTF8("\xe2\x82\xac"));		/* €, 3 bytes */
	ck_assert(UTF8("\xf0\x9f\x98\x80"));		/* emoji, 4 bytes */
	ck_assert(UTF8("\xf4\x8f\xbf\xbf"));		/* U+10FFFF */
	ck_assert(UTF8("\xed\x9f\xbf"));		/* U+D7FF */
	ck_assert(UTF8("\xee\x80\x80"));		/* U+E000 */
	ck_assert(UTF8("\x7f"));
}
END_TEST

START_TEST(test_util_utf8_rejects_nul)
{
	ck_assert(!util_is_utf8("a\0b", 3));
	ck_assert(!util_is_utf8("\0", 1));
}
END_TEST

START_TEST(test_util_utf8_rejects_bad_lead_and_continuation_bytes)
{
	ck_assert(!UTF8("\x80"));			/* lone continuation */
	ck_assert(!UTF8("\xbf"));
	ck_assert(!UTF8("\xff"));
	ck_assert(!UTF8("\xfe"));
	ck_assert(!UTF8("\xf8\x88\x80\x80\x80"));	/* 5-byte form */
	ck_assert(!UTF8("\xc3\x28"));			/* bad continuation */
	ck_assert(!UTF8("\xe2\x28\xa1"));
	ck_assert(!UTF8("\xf0\x9f\x98\x28"));
}
END_TEST

START_TEST(test_util_utf8_rejects_truncated_sequences)
{
	ck_assert(!UTF8("\xc3"));
	ck_assert(!UTF8("\xe2\x82"));
	ck_assert(!UTF8("\xf0\x9f\x98"));
	ck_assert(!UTF8("abc\xc3"));
	/* The length counts, not a NUL: a valid sequence cut by len. */
	ck_assert(!util_is_utf8("\xc3\xa9", 1));
}
END_TEST

START_TEST(test_util_utf8_rejects_overlongs)
{
	ck_assert(!UTF8("\xc0\xaf"));			/* '/' */
	ck_assert(!UTF8("\xc1\xbf"));
	ck_assert(!UTF8("\xc0\x80"));			/* NUL, "modified" */
	ck_assert(!UTF8("\xe0\x80\xaf"));
	ck_assert(!UTF8("\xe0\x9f\xbf"));		/* U+07FF in 3 */
	ck_assert(!UTF8("\xf0\x80\x80\xaf"));
	ck_assert(!UTF8("\xf0\x8f\xbf\xbf"));		/* U+FFFF in 4 */
}
END_TEST

START_TEST(test_util_utf8_rejects_surrogates_and_above_max)
{
	ck_assert(!UTF8("\xed\xa0\x80"));		/* U+D800 */
	ck_assert(!UTF8("\xed\xbf\xbf"));		/* U+DFFF */
	ck_assert(!UTF8("\xf4\x90\x80\x80"));		/* U+110000 */
	ck_assert(!UTF8("\xf5\x80\x80\x80"));
	ck_assert(!UTF8("\xf7\xbf\xbf\xbf"));
}
END_TEST

START_TEST(test_util_parse_int_accepts_whole_numbers_in_range)
{
	long long	 v = -1;

	ck_assert_int_eq(util_parse_int("0", 0, 10, &v), 0);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(util_parse_int("10", 0, 10, &v), 0);
	ck_assert_int_eq(v, 10);
	ck_assert_int_eq(util_parse_int("-5", -10, 10, &v), 0);
	ck_assert_int_eq(v, -5);
	ck_assert_int_eq(util_parse_int("9223372036854775807", 0, LLONG_MAX,
	    &v), 0);
	ck_assert(v == LLONG_MAX);
}
END_TEST

START_TEST(test_util_parse_int_rejects_junk_signs_and_range)
{
	static const char *const bad[] = {
		"", " 1", "1 ", "+1", "1x", "x1", "0x10", "1.5", "-", "--1",
		"11", "-1", "9223372036854775808", "1e3",
	};
	long long	 v = 77;

	for (size_t i = 0; i < NELEM(bad); i++)
		ck_assert_msg(util_parse_int(bad[i], 0, 10, &v) == -1,
		    "util_parse_int(\"%s\", 0, 10) accepted", bad[i]);
	ck_assert_int_eq(util_parse_int(NULL, 0, 10, &v), -1);
	ck_assert_int_eq(util_parse_int("-11", -10, 10, &v), -1);
	ck_assert_int_eq(v, 77);		/* untouched on failure */
}
END_TEST

START_TEST(test_util_date_human_formats_day_month_year)
{
	char	 d[64];

	util_date_human(0, d, sizeof(d));
	ck_assert_str_eq(d, "1 January 1970");
	util_date_human(1795737600, d, sizeof(d));	/* 27 Nov 2026 */
	ck_assert_str_eq(d, "27 November 2026");
	util_date_human(951782400, d, sizeof(d));	/* leap day 2000 */
	ck_assert_str_eq(d, "29 February 2000");
}
END_TEST

START_TEST(test_util_date_iso_is_utc_with_z)
{
	char	 d[64];

	util_date_iso(0, d, sizeof(d));
	ck_assert_str_eq(d, "1970-01-01T00:00:00Z");
	util_date_iso(1795737600 + 3661, d, sizeof(d));
	ck_assert_str_eq(d, "2026-11-27T01:01:01Z");
}
END_TEST

START_TEST(test_util_date_truncates_to_buffer)
{
	char	 d[8];

	memset(d, 'x', sizeof(d));
	util_date_human(0, d, sizeof(d));
	ck_assert_uint_lt(strlen(d), sizeof(d));
	util_date_iso(0, d, sizeof(d));
	ck_assert_uint_lt(strlen(d), sizeof(d));
}
END_TEST

START_TEST(test_util_utf8_chars_counts_code_points_not_bytes)
{
	ck_assert_uint_eq(util_utf8_chars(""), 0);
	ck_assert_uint_eq(util_utf8_chars("abc"), 3);
	/* Characters of 2, 3 and 4 bytes count one each. */
	ck_assert_uint_eq(util_utf8_chars("caf\xc3\xa9"), 4);
	ck_assert_uint_eq(util_utf8_chars("\xe2\x82\xac 5"), 3);
	ck_assert_uint_eq(util_utf8_chars("\xf0\x9f\x98\x80"), 1);
	ck_assert_uint_eq(util_utf8_chars("Troms\xc3\xb8 caf\xc3\xa9"), 11);
}
END_TEST

/* util_trim() of the literal s: the rest, as a string in buf. */
static const char *
trim_lit(const char *s, char *buf, size_t size)
{
	size_t		 n = strlen(s);
	const char	*t = util_trim(s, &n);

	ck_assert_uint_lt(n, size);
	ck_assert(t >= s && t + n <= s + strlen(s));
	memcpy(buf, t, n);
	buf[n] = '\0';
	return buf;
}

START_TEST(test_util_trim_cuts_blanks_at_both_ends_only)
{
	char	 b[64];
	size_t	 n = 0;

	ck_assert_str_eq(trim_lit("  a b  ", b, sizeof(b)), "a b");
	ck_assert_str_eq(trim_lit("\r\n\t x\ty \r\n", b, sizeof(b)),
	    "x\ty");
	ck_assert_str_eq(trim_lit("plain", b, sizeof(b)), "plain");
	ck_assert_str_eq(trim_lit(" \t\r\n ", b, sizeof(b)), "");
	ck_assert_str_eq(trim_lit("", b, sizeof(b)), "");
	/* Only space, tab, CR and LF are blanks; other controls stay. */
	ck_assert_str_eq(trim_lit("\v\fx\f", b, sizeof(b)), "\v\fx\f");
	/* A span: the bytes past *n are not looked at. */
	n = 4;
	ck_assert_str_eq(util_trim(" ab cd", &n), "ab cd");
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(util_trim(NULL, &n), "");
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_util_strtrim_copies_into_the_arena)
{
	struct arena	 a;
	char		 in[] = "  Ann Smith\n";
	char		*t;

	arena_init(&a, 1024);
	t = util_strtrim(&a, in);
	ck_assert_str_eq(t, "Ann Smith");
	in[2] = 'X';				/* a copy, not a view */
	ck_assert_str_eq(t, "Ann Smith");
	ck_assert_str_eq(util_strtrim(&a, NULL), "");
	ck_assert_str_eq(util_strtrim(&a, " \t "), "");
	arena_free(&a);
}
END_TEST

START_TEST(test_util_xalloc_returns_usable_memory)
{
	char	*p = xmalloc(0);
	int	*z = xcalloc(16, sizeof(int));
	char	*s = xstrdup("copy me");

	ck_assert_ptr_nonnull(p);
	for (int i = 0; i < 16; i++)
		ck_assert_int_eq(z[i], 0);
	p = xrealloc(p, 100);
	memset(p, 1, 100);
	ck_assert_str_eq(s, "copy me");
	free(p);
	free(z);
	free(s);
}
END_TEST

START_TEST(test_util_clocks_move_forward)
{
	int64_t	 a = util_mono_us(), b = util_mono_us();

	ck_assert(b >= a);
	ck_assert(util_wall_us() > INT64_C(1600000000) * 1000000);
}
END_TEST

Suite *
util_suite(void)
{
	Suite	*s = suite_create("util");
	TCase	*tc = tcase_create("util");

	tcase_add_test(tc, test_util_utf8_accepts_ascii_and_multibyte);
	tcase_add_test(tc, test_util_utf8_rejects_nul);
	tcase_add_test(tc, test_util_utf8_rejects_bad_lead_and_continuation_bytes);
	tcase_add_test(tc, test_util_utf8_rejects_truncated_sequences);
	tcase_add_test(tc, test_util_utf8_rejects_overlongs);
	tcase_add_test(tc, test_util_utf8_rejects_surrogates_and_above_max);
	tcase_add_test(tc, test_util_utf8_chars_counts_code_points_not_bytes);
	tcase_add_test(tc, test_util_trim_cuts_blanks_at_both_ends_only);
	tcase_add_test(tc, test_util_strtrim_copies_into_the_arena);
	tcase_add_test(tc, test_util_parse_int_accepts_whole_numbers_in_range);
	tcase_add_test(tc, test_util_parse_int_rejects_junk_signs_and_range);
	tcase_add_test(tc, test_util_date_human_formats_day_month_year);
	tcase_add_test(tc, test_util_date_iso_is_utc_with_z);
	tcase_add_test(tc, test_util_date_truncates_to_buffer);
	tcase_add_test(tc, test_util_xalloc_returns_usable_memory);
	tcase_add_test(tc, test_util_clocks_move_forward);
	suite_add_tcase(s, tc);
	return s;
}
