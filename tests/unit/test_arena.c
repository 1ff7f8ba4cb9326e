/*
 * test_arena: app/core/arena.c, the per-request bump allocator.
 */
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "fixture.h"

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

static bool
aligned(const void *p)
{
	return (uintptr_t)p % alignof(max_align_t) == 0;
}

START_TEST(test_arena_alloc_is_aligned_for_any_type)
{
	for (size_t n = 1; n < 200; n++) {
		void	*p = arena_alloc(&a, n);

		ck_assert_msg(aligned(p), "arena_alloc(%zu) = %p", n, p);
		memset(p, 0x5a, n);
	}
}
END_TEST

START_TEST(test_arena_allocations_do_not_overlap)
{
	unsigned char	*p[64];

	for (size_t i = 0; i < 64; i++) {
		p[i] = arena_alloc(&a, 100);
		memset(p[i], (int)i, 100);
	}
	for (size_t i = 0; i < 64; i++)
		for (size_t k = 0; k < 100; k++)
			ck_assert_uint_eq(p[i][k], i);
}
END_TEST

START_TEST(test_arena_zero_bytes_gives_distinct_pointers)
{
	void	*p = arena_alloc(&a, 0);
	void	*q = arena_alloc(&a, 0);

	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(q);
	ck_assert_ptr_ne(p, q);
}
END_TEST

START_TEST(test_arena_big_allocation_gets_its_own_chunk)
{
	size_t		 big = 1024 * 1024;
	unsigned char	*small1 = arena_alloc(&a, 16);
	unsigned char	*p = arena_alloc(&a, big);
	unsigned char	*small2 = arena_alloc(&a, 16);

	ck_assert(aligned(p));
	memset(p, 0x11, big);
	ck_assert_uint_eq(p[0], 0x11);
	ck_assert_uint_eq(p[big - 1], 0x11);
	/* The small allocations continue in the normal chunk. */
	ck_assert_ptr_eq(small2, small1 + ((16 + alignof(max_align_t) - 1) /
	    alignof(max_align_t)) * alignof(max_align_t));
	ck_assert_uint_ge(a.total, big + 32);
}
END_TEST

START_TEST(test_arena_grows_past_one_chunk)
{
	char	*first = arena_alloc(&a, 1000);
	char	*p = NULL;

	memset(first, 'x', 1000);
	for (int i = 0; i < 100; i++) {
		p = arena_alloc(&a, 900);
		memset(p, 'y', 900);
	}
	ck_assert_ptr_ne(a.head, a.first);
	ck_assert_int_eq(first[999], 'x');
}
END_TEST

START_TEST(test_arena_reset_reuses_first_chunk)
{
	void	*p = arena_alloc(&a, 64);

	for (int i = 0; i < 50; i++)
		arena_alloc(&a, 1000);
	arena_alloc(&a, 100000);
	arena_reset(&a);
	ck_assert_uint_eq(a.total, 0);
	ck_assert_ptr_eq(a.head, a.first);
	ck_assert_ptr_eq(arena_alloc(&a, 64), p);
}
END_TEST

START_TEST(test_arena_reset_poisons_memory_in_test_builds)
{
	unsigned char	*p = arena_alloc(&a, 32);

	memset(p, 0, 32);
	arena_reset(&a);
	/* p is in the first chunk, which reset keeps, so reading it is
	 * defined; GAZETTE_TEST fills it with 0xa5. */
	for (int i = 0; i < 32; i++)
		ck_assert_uint_eq(p[i], 0xa5);
}
END_TEST

START_TEST(test_arena_zalloc_zeroes_reused_memory)
{
	unsigned char	*p = arena_alloc(&a, 48);

	memset(p, 0xff, 48);
	arena_reset(&a);
	p = arena_zalloc(&a, 48);
	for (int i = 0; i < 48; i++)
		ck_assert_uint_eq(p[i], 0);
}
END_TEST

START_TEST(test_arena_strdup_and_strndup_copy)
{
	char	 src[] = "hello, world";
	char	*d = arena_strdup(&a, src);
	char	*n = arena_strndup(&a, src, 5);

	src[0] = 'J';
	ck_assert_str_eq(d, "hello, world");
	ck_assert_str_eq(n, "hello");
	ck_assert_str_eq(arena_strdup(&a, ""), "");
}
END_TEST

START_TEST(test_arena_printf_formats_long_strings)
{
	char	 want[3001];
	char	*s;

	ck_assert_str_eq(arena_printf(&a, "%s-%d-%05.1f", "x", 42, 3.14159),
	    "x-42-003.1");
	memset(want, 'z', 3000);
	want[3000] = '\0';
	s = arena_printf(&a, "%s", want);
	ck_assert_str_eq(s, want);
	s = arena_printf(&a, "%.*s|", 5000, "short");
	ck_assert_str_eq(s, "short|");
}
END_TEST

START_TEST(test_arena_tiny_chunk_size_is_raised)
{
	struct arena	 t;

	arena_init(&t, 1);
	ck_assert_uint_ge(t.chunk_size, 1024);
	memset(arena_alloc(&t, 200), 1, 200);
	arena_free(&t);
	ck_assert_ptr_null(t.head);
}
END_TEST

Suite *
arena_suite(void)
{
	Suite	*s = suite_create("arena");
	TCase	*tc = tcase_create("arena");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_arena_alloc_is_aligned_for_any_type);
	tcase_add_test(tc, test_arena_allocations_do_not_overlap);
	tcase_add_test(tc, test_arena_zero_bytes_gives_distinct_pointers);
	tcase_add_test(tc, test_arena_big_allocation_gets_its_own_chunk);
	tcase_add_test(tc, test_arena_grows_past_one_chunk);
	tcase_add_test(tc, test_arena_reset_reuses_first_chunk);
	tcase_add_test(tc, test_arena_reset_poisons_memory_in_test_builds);
	tcase_add_test(tc, test_arena_zalloc_zeroes_reused_memory);
	tcase_add_test(tc, test_arena_strdup_and_strndup_copy);
	tcase_add_test(tc, test_arena_printf_formats_long_strings);
	tcase_add_test(tc, test_arena_tiny_chunk_size_is_raised);
	suite_add_tcase(s, tc);
	return s;
}
