/*
 * test_slug: app/core/slug.c.  Titles to slugs (transliteration,
 * separators, dropped scripts and bad UTF-8, the length cut), the
 * validity predicate, and collision suffixes through a callback.
 */
#include <stdio.h>
#include <string.h>

#include "core/slug.h"
#include "fixture.h"

Suite	*slug_suite(void);

/* slug_make() into a full-size buffer, checking the returned length. */
static const char *
make(const char *title)
{
	static char	 dst[SLUG_SIZE];
	size_t		 len;

	memset(dst, 0xa5, sizeof(dst));
	len = slug_make(title, dst, sizeof(dst));
	ck_assert_uint_eq(len, strlen(dst));
	return dst;
}

/* The UTF-8 of code point cp, NUL terminated, into s[5]. */
static void
utf8(unsigned cp, char s[5])
{
	if (cp < 0x80) {
		s[0] = (char)cp;
		s[1] = '\0';
	} else if (cp < 0x800) {
		s[0] = (char)(0xc0 | cp >> 6);
		s[1] = (char)(0x80 | (cp & 0x3f));
		s[2] = '\0';
	} else if (cp < 0x10000) {
		s[0] = (char)(0xe0 | cp >> 12);
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[2] = (char)(0x80 | (cp & 0x3f));
		s[3] = '\0';
	} else {
		s[0] = (char)(0xf0 | cp >> 18);
		s[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		s[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[3] = (char)(0x80 | (cp & 0x3f));
		s[4] = '\0';
	}
}

START_TEST(test_slug_make_ascii_punctuation_becomes_one_hyphen)
{
	ck_assert_str_eq(make("Hello, World!"), "hello-world");
	ck_assert_str_eq(make("C++ 20 vs. Rust 1.75"), "c-20-vs-rust-1-75");
	ck_assert_str_eq(make("a\t\n_/\\b"), "a-b");
	ck_assert_str_eq(make("ABC xyz 0123456789"), "abc-xyz-0123456789");
}
END_TEST

START_TEST(test_slug_make_trims_and_strips_accents)
{
	ck_assert_str_eq(make("  --Crème brûlée à la carte--  "),
	    "creme-brulee-a-la-carte");
	ck_assert_str_eq(make("¿Qué pasó?"), "que-paso");
	ck_assert_str_eq(make("naïve — “quoted” … façade"),
	    "naive-quoted-facade");
	/* General Punctuation separates even without spaces around it */
	ck_assert_str_eq(make("left—right…end“q”\xe2\x80\xafnbsp"),
	    "left-right-end-q-nbsp");
	ck_assert_str_eq(make("a\xc2\xa0" "b×c÷d"), "a-b-c-d");
}
END_TEST

START_TEST(test_slug_make_sharp_s_and_ligatures)
{
	ck_assert_str_eq(make("Straße"), "strasse");
	ck_assert_str_eq(make("GROẞE"), "grosse");
	ck_assert_str_eq(make("Æsir & Œuvres"), "aesir-and-oeuvres");
	ck_assert_str_eq(make("R&D"), "r-and-d");
	ck_assert_str_eq(make("ﬁnal ﬂow"), "final-flow");
	ck_assert_str_eq(make("Ĳssel"), "ijssel");
}
END_TEST

START_TEST(test_slug_make_latin_extended_a)
{
	ck_assert_str_eq(make("Łódź"), "lodz");
	ck_assert_str_eq(make("Øresund Đakovo Þingvellir"),
	    "oresund-dakovo-thingvellir");
	ck_assert_str_eq(make("Ångström Ærø"), "angstrom-aero");
	ck_assert_str_eq(make("Dvořák Šťastný Ŋ ſ ı"), "dvorak-stastny-ng-s-i");
	ck_assert_str_eq(make("Ștefan Țară"), "stefan-tara");
}
END_TEST

/* Every letter of U+00C0..U+017F has a transliteration; × ÷ separate. */
START_TEST(test_slug_make_latin_table_is_complete)
{
	/* U+00C0..U+017F, one per word, × and ÷ left out */
	static const char want[] =
	    "a-a-a-a-a-a-ae-c-e-e-e-e-i-i-i-i-d-n-o-o-o-o-o-"
	    "o-u-u-u-u-y-th-ss-a-a-a-a-a-a-ae-c-e-e-e-e-i-i-i-i-d-n-o-o-o-o-o-"
	    "o-u-u-u-u-y-th-y-"
	    "a-a-a-a-a-a-c-c-c-c-c-c-c-c-d-d-d-d-e-e-e-e-e-e-e-e-e-e-g-g-g-g-"
	    "g-g-g-g-h-h-h-h-i-i-i-i-i-i-i-i-i-i-ij-ij-j-j-k-k-k-l-l-l-l-l-l-l-"
	    "l-l-l-n-n-n-n-n-n-n-ng-ng-o-o-o-o-o-o-oe-oe-r-r-r-r-r-r-s-s-s-s-"
	    "s-s-s-s-t-t-t-t-t-t-u-u-u-u-u-u-u-u-u-u-u-u-w-w-y-y-y-z-z-z-z-z-"
	    "z-s";
	char	 all[2 * 3 * 192 + 1], got[SLUG_SIZE * 4];
	char	 title[16], ch[5];

	all[0] = '\0';
	for (unsigned cp = 0xc0; cp <= 0x17f; cp++) {
		if (cp == 0xd7 || cp == 0xf7)
			continue;
		utf8(cp, ch);
		strcat(all, ch);
		strcat(all, " ");
	}
	/* longer than a slug: compare in pieces of 16 letters */
	got[0] = '\0';
	for (char *p = all, *q; *p != '\0'; p = q) {
		char	 piece[16 * 3 + 16];

		q = p;
		for (int w = 0; w < 16 && *q != '\0'; w++)
			q = strchr(q, ' ') + 1;
		memcpy(piece, p, (size_t)(q - p));
		piece[q - p] = '\0';
		if (got[0] != '\0')
			strcat(got, "-");
		strcat(got, make(piece));
	}
	ck_assert_str_eq(got, want);

	for (unsigned cp = 0xc0; cp <= 0x17f; cp++) {
		const char	*s;

		utf8(cp, ch);
		snprintf(title, sizeof(title), "x%sy", ch);
		s = make(title);
		if (cp == 0xd7 || cp == 0xf7) {
			ck_assert_str_eq(s, "x-y");
			continue;
		}
		ck_assert_msg(strlen(s) >= 3 && strlen(s) <= 5 &&
		    strspn(s, "abcdefghijklmnopqrstuvwxyz") == strlen(s),
		    "U+%04X gives \"%s\"", cp, s);
	}
}
END_TEST

START_TEST(test_slug_make_apostrophes_vanish)
{
	ck_assert_str_eq(make("O'Brien’s Café"), "obriens-cafe");
	ck_assert_str_eq(make("rock 'n' roll"), "rock-n-roll");
	ck_assert_str_eq(make("'quoted'"), "quoted");
}
END_TEST

START_TEST(test_slug_make_other_scripts_dropped)
{
	char	 dst[SLUG_SIZE] = "junk";

	ck_assert_uint_eq(slug_make("Привет мир", dst, sizeof(dst)), 0);
	ck_assert_str_eq(dst, "");
	ck_assert_str_eq(make("Ελληνικά 中文 日本語"), "");
	ck_assert_str_eq(make("Tokyo 東京 2024"), "tokyo-2024");
	ck_assert_str_eq(make("Москва-Moscow"), "moscow");
	ck_assert_str_eq(make(""), "");
	ck_assert_str_eq(make(NULL), "");
	ck_assert_str_eq(make("!!! ... ---"), "");
}
END_TEST

START_TEST(test_slug_make_emoji_dropped)
{
	ck_assert_str_eq(make("I ❤ 🍕 pizza"), "i-pizza");
	ck_assert_str_eq(make("pizza🍕party"), "pizzaparty");
	ck_assert_str_eq(make("🎉🎉🎉"), "");
	/* a ZWJ family emoji with a variation selector: all invisible */
	ck_assert_str_eq(make("a👨‍👩‍👧\xef\xb8\x8f" "b"), "ab");
	ck_assert_str_eq(make("a\xe2\x80\x8b" "b c"), "ab-c");	/* ZWSP */
}
END_TEST

START_TEST(test_slug_make_combining_marks_dropped)
{
	/* "Cafe" + U+0301 COMBINING ACUTE ACCENT, as NFD input has it */
	ck_assert_str_eq(make("Cafe\xcc\x81 Noe\xcc\x88l"), "cafe-noel");
}
END_TEST

START_TEST(test_slug_make_invalid_utf8_dropped)
{
	ck_assert_str_eq(make("a\xff" "b"), "ab");
	ck_assert_str_eq(make("\x80\xbf" "abc\xfe"), "abc");
	ck_assert_str_eq(make("caf\xc3"), "caf");		/* truncated */
	ck_assert_str_eq(make("caf\xc3" "e"), "cafe");
	ck_assert_str_eq(make("x\xe2\x82" "y"), "xy");
	ck_assert_str_eq(make("x\xf0\x9f\x8d" "y"), "xy");
	ck_assert_str_eq(make("x\xc0\xa0y"), "xy");	/* overlong ' ' */
	ck_assert_str_eq(make("x\xc1\xbfy"), "xy");	/* overlong DEL */
	ck_assert_str_eq(make("x\xe0\x80\xa0y"), "xy"); /* overlong ' ' */
	ck_assert_str_eq(make("x\xe0\x81\x81y"), "xy"); /* overlong 'A' */
	ck_assert_str_eq(make("x\xf0\x80\x80\xa0y"), "xy"); /* overlong ' ' */
	ck_assert_str_eq(make("x\xed\xa0\x80y"), "xy");	/* surrogate */
	ck_assert_str_eq(make("x\xf4\x90\x80\x80y"), "xy");	/* > U+10FFFF */
	ck_assert_str_eq(make("x\xf8\x88\x80\x80\x80y"), "xy");	/* 5 bytes */
	/* a well-formed é after garbage still counts */
	ck_assert_str_eq(make("\xff\xc3\xa9t\xc3\xa9"), "ete");
}
END_TEST

START_TEST(test_slug_make_long_title_cut_at_hyphen)
{
	char		 title[301], want[SLUG_SIZE];
	const char	*s;

	/* 37 × "abcdefg " (296 bytes): slug words end at 7, 15, ... 95 */
	title[0] = '\0';
	for (int i = 0; i < 37; i++)
		strcat(title, "Abcdefg ");
	strcat(title, "xyz");
	ck_assert_uint_eq(strlen(title), 299);
	want[0] = '\0';
	for (int i = 0; i < 12; i++)
		strcat(want, i == 0 ? "abcdefg" : "-abcdefg");
	s = make(title);
	ck_assert_uint_eq(strlen(s), 95);
	ck_assert_str_eq(s, want);
}
END_TEST

START_TEST(test_slug_make_cut_between_words_exactly)
{
	char	 title[300], want[SLUG_SIZE];

	/* 10 words of 9 letters and a 9-letter tail: 99 bytes fit exactly */
	memset(want, 0, sizeof(want));
	title[0] = '\0';
	for (int i = 0; i < 10; i++) {
		strcat(title, "wordwordw ");
		strcat(want, i == 0 ? "wordwordw" : "-wordwordw");
	}
	strcat(title, "more words");
	ck_assert_str_eq(make(title), want);
	ck_assert_uint_eq(strlen(want), 99);
}
END_TEST

START_TEST(test_slug_make_long_word_cut_hard)
{
	char	 title[301], want[SLUG_SIZE];

	memset(title, 'a', 300);
	title[300] = '\0';
	memset(want, 'a', SLUG_MAX);
	want[SLUG_MAX] = '\0';
	ck_assert_str_eq(make(title), want);

	/* a hyphen in the first half only is not worth cutting at */
	title[1] = ' ';
	want[1] = '-';
	ck_assert_str_eq(make(title), want);
}
END_TEST

START_TEST(test_slug_make_small_dst)
{
	char	 dst[8];

	memset(dst, 0xa5, sizeof(dst));
	ck_assert_uint_eq(slug_make("Hello wonderful world", dst, 8), 5);
	ck_assert_str_eq(dst, "hello");
	ck_assert_uint_eq(slug_make("Hello", dst, 6), 5);
	ck_assert_str_eq(dst, "hello");
	ck_assert_uint_eq(slug_make("Hello", dst, 5), 4);
	ck_assert_str_eq(dst, "hell");
	ck_assert_uint_eq(slug_make("Hello", dst, 1), 0);
	ck_assert_str_eq(dst, "");
	dst[0] = 'z';
	ck_assert_uint_eq(slug_make("Hello", dst, 0), 0);
	ck_assert_int_eq(dst[0], 'z');
}
END_TEST

START_TEST(test_slug_make_is_idempotent_and_valid)
{
	static const char *const titles[] = {
		"Hello, World!", "  --Crème brûlée à la carte--  ",
		"O'Brien’s Café", "C++ 20 vs. Rust 1.75", "Æsir & Œuvres",
		"a-b--c---d", "x\xff\xc3y",
	};
	char	 once[SLUG_SIZE], twice[SLUG_SIZE];

	for (size_t i = 0; i < NELEM(titles); i++) {
		ck_assert_uint_gt(slug_make(titles[i], once, sizeof(once)), 0);
		ck_assert_msg(slug_is_valid(once), "\"%s\"", once);
		slug_make(once, twice, sizeof(twice));
		ck_assert_str_eq(twice, once);
	}
	ck_assert_str_eq(make("a-b--c---d"), "a-b-c-d");
}
END_TEST

START_TEST(test_slug_is_valid_accepts_slugs)
{
	char	 s[SLUG_SIZE];

	ck_assert(slug_is_valid("a"));
	ck_assert(slug_is_valid("7"));
	ck_assert(slug_is_valid("hello-world"));
	ck_assert(slug_is_valid("c-20-vs-rust-1-75"));
	memset(s, 'a', SLUG_MAX);
	s[SLUG_MAX] = '\0';
	s[50] = '-';
	ck_assert(slug_is_valid(s));
}
END_TEST

START_TEST(test_slug_is_valid_rejects_the_rest)
{
	static const char *const bad[] = {
		"", "Hello", "hello-World", "a--b", "-a", "a-", "-", "a b",
		"a_b", "a.b", "a/b", "caf\xc3\xa9", "a\nb", " a",
	};
	char	 s[SLUG_SIZE + 1];

	ck_assert(!slug_is_valid(NULL));
	for (size_t i = 0; i < NELEM(bad); i++)
		ck_assert_msg(!slug_is_valid(bad[i]), "\"%s\"", bad[i]);
	memset(s, 'a', SLUG_MAX + 1);
	s[SLUG_MAX + 1] = '\0';
	ck_assert(!slug_is_valid(s));		/* 101 bytes */
}
END_TEST

/* taken(): the candidate is in a NULL-terminated list of names. */
struct taken_set {
	const char *const	*names;
	int			 calls;
};

static bool
in_set(const char *candidate, void *arg)
{
	struct taken_set	*t = arg;

	t->calls++;
	ck_assert(slug_is_valid(candidate));
	for (size_t i = 0; t->names[i] != NULL; i++)
		if (strcmp(t->names[i], candidate) == 0)
			return true;
	return false;
}

START_TEST(test_slug_unique_free_base_kept)
{
	static const char *const names[] = { "b", "a-2", NULL };
	struct taken_set	 t = { names, 0 };
	char			 dst[SLUG_SIZE];

	ck_assert_int_eq(slug_unique("a", in_set, &t, dst, sizeof(dst)), 0);
	ck_assert_str_eq(dst, "a");
	ck_assert_int_eq(t.calls, 1);
}
END_TEST

START_TEST(test_slug_unique_skips_taken)
{
	static const char *const names[] = { "a", "a-2", "a-4", NULL };
	struct taken_set	 t = { names, 0 };
	char			 dst[SLUG_SIZE];

	ck_assert_int_eq(slug_unique("a", in_set, &t, dst, sizeof(dst)), 0);
	ck_assert_str_eq(dst, "a-3");
	ck_assert_int_eq(t.calls, 3);
}
END_TEST

/* Everything is taken except a candidate that ends in "-1000". */
static bool
all_but_1000(const char *candidate, void *arg)
{
	size_t	 n = strlen(candidate);
	int	*calls = arg;

	(*calls)++;
	ck_assert_uint_le(n, SLUG_MAX);
	ck_assert(slug_is_valid(candidate));
	return n < 5 || strcmp(candidate + n - 5, "-1000") != 0;
}

START_TEST(test_slug_unique_shortens_long_base_at_hyphen)
{
	char	 base[SLUG_SIZE], want[SLUG_SIZE], dst[SLUG_SIZE];
	int	 calls = 0;

	/* "abcdefghi-" × 10 less the last '-': 99 bytes, hyphens at 9, 19.. */
	base[0] = '\0';
	for (int i = 0; i < 10; i++)
		strcat(base, i == 0 ? "abcdefghi" : "-abcdefghi");
	ck_assert_uint_eq(strlen(base), 99);
	/* room for 95: cut at the hyphen at 89 */
	memcpy(want, base, 89);
	strcpy(want + 89, "-1000");
	ck_assert_int_eq(slug_unique(base, all_but_1000, &calls, dst,
	    sizeof(dst)), 0);
	ck_assert_str_eq(dst, want);
	ck_assert_int_eq(calls, SLUG_TRIES);
}
END_TEST

START_TEST(test_slug_unique_shortens_base_without_hyphen)
{
	char	 base[SLUG_SIZE], dst[SLUG_SIZE];
	int	 calls = 0;

	memset(base, 'q', SLUG_MAX);
	base[SLUG_MAX] = '\0';
	ck_assert_int_eq(slug_unique(base, all_but_1000, &calls, dst,
	    sizeof(dst)), 0);
	ck_assert_uint_eq(strlen(dst), SLUG_MAX);
	ck_assert_int_eq(strncmp(dst, base, 95), 0);
	ck_assert_str_eq(dst + 95, "-1000");
}
END_TEST

static bool
all_taken(const char *candidate, void *arg)
{
	int	*calls = arg;

	(void)candidate;
	(*calls)++;
	return true;
}

START_TEST(test_slug_unique_all_taken)
{
	char	 dst[SLUG_SIZE];
	int	 calls = 0;

	ck_assert_int_eq(slug_unique("a", all_taken, &calls, dst,
	    sizeof(dst)), -1);
	ck_assert_int_eq(calls, SLUG_TRIES);
	ck_assert_str_eq(dst, "");
}
END_TEST

START_TEST(test_slug_unique_refuses_bad_base_or_dst)
{
	static const char *const names[] = { "ab", NULL };
	struct taken_set	 t = { names, 0 };
	char			 dst[SLUG_SIZE];

	ck_assert_int_eq(slug_unique("", in_set, &t, dst, sizeof(dst)), -1);
	ck_assert_int_eq(slug_unique("Not a slug", in_set, &t, dst,
	    sizeof(dst)), -1);
	ck_assert_int_eq(slug_unique(NULL, in_set, &t, dst, sizeof(dst)), -1);
	ck_assert_int_eq(t.calls, 0);
	/* n = 3: "ab" is taken and "-2" leaves no room for a base */
	ck_assert_int_eq(slug_unique("ab", in_set, &t, dst, 3), -1);
	ck_assert_int_eq(t.calls, 1);
	ck_assert_str_eq(dst, "");
	/* n = 4: "a-2" (base cut to fit) */
	ck_assert_int_eq(slug_unique("ab", in_set, &t, dst, 4), 0);
	ck_assert_str_eq(dst, "a-2");
}
END_TEST

Suite *
slug_suite(void)
{
	Suite	*s = suite_create("slug");
	TCase	*tc;

	tc = tcase_create("make");
	tcase_add_test(tc, test_slug_make_ascii_punctuation_becomes_one_hyphen);
	tcase_add_test(tc, test_slug_make_trims_and_strips_accents);
	tcase_add_test(tc, test_slug_make_sharp_s_and_ligatures);
	tcase_add_test(tc, test_slug_make_latin_extended_a);
	tcase_add_test(tc, test_slug_make_latin_table_is_complete);
	tcase_add_test(tc, test_slug_make_apostrophes_vanish);
	tcase_add_test(tc, test_slug_make_other_scripts_dropped);
	tcase_add_test(tc, test_slug_make_emoji_dropped);
	tcase_add_test(tc, test_slug_make_combining_marks_dropped);
	tcase_add_test(tc, test_slug_make_invalid_utf8_dropped);
	tcase_add_test(tc, test_slug_make_long_title_cut_at_hyphen);
	tcase_add_test(tc, test_slug_make_cut_between_words_exactly);
	tcase_add_test(tc, test_slug_make_long_word_cut_hard);
	tcase_add_test(tc, test_slug_make_small_dst);
	tcase_add_test(tc, test_slug_make_is_idempotent_and_valid);
	suite_add_tcase(s, tc);

	tc = tcase_create("is_valid");
	tcase_add_test(tc, test_slug_is_valid_accepts_slugs);
	tcase_add_test(tc, test_slug_is_valid_rejects_the_rest);
	suite_add_tcase(s, tc);

	tc = tcase_create("unique");
	tcase_add_test(tc, test_slug_unique_free_base_kept);
	tcase_add_test(tc, test_slug_unique_skips_taken);
	tcase_add_test(tc, test_slug_unique_shortens_long_base_at_hyphen);
	tcase_add_test(tc, test_slug_unique_shortens_base_without_hyphen);
	tcase_add_test(tc, test_slug_unique_all_taken);
	tcase_add_test(tc, test_slug_unique_refuses_bad_base_or_dst);
	suite_add_tcase(s, tc);

	return s;
}
