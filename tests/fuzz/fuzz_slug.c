/*
 * fuzz_slug: slug_make on a title (NUL-terminated, as form values are),
 * into a full-size buffer and into a short one.  Whatever comes in, the
 * result is empty or passes slug_is_valid(), its length is what
 * slug_make returned, and slug_make of the result gives it back.
 */
#include "fuzz.h"

#include "core/slug.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_setup(argc, argv, "fuzz_slug");
	return 0;
}

static void
check_slug(const char *title, size_t n)
{
	char	 dst[SLUG_SIZE], again[SLUG_SIZE];
	size_t	 len;

	FUZZ_CHECK(n <= sizeof(dst));
	len = slug_make(title, dst, n);
	FUZZ_CHECK(len < n);
	FUZZ_CHECK(strlen(dst) == len);
	FUZZ_CHECK(len == 0 || slug_is_valid(dst));
	FUZZ_CHECK(slug_make(dst, again, sizeof(again)) == len);
	FUZZ_CHECK(strcmp(dst, again) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s = fuzz_strndup(data, size);

	check_slug(s, SLUG_SIZE);
	check_slug(s, 1 + size % SLUG_SIZE);	/* every short dst */
	free(s);
	return 0;
}
