/*
 * fuzz_path: http_parse_path, the percent-decoding path normaliser.
 * On success the path is normalised (see fuzz_check_path), no longer than
 * the input allows, and normalising it again changes nothing.
 */
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_setup(argc, argv, "fuzz_path");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct req	 r;
	const char	*path = NULL, *again = NULL;
	char		*raw = fuzz_strndup(data, size);
	/* Exactly size bytes, no NUL: ASan catches a read past the end. */
	char		*exact = malloc(size > 0 ? size : 1);
	int		 rc;

	FUZZ_CHECK(exact != NULL);
	if (size > 0)
		memcpy(exact, data, size);
	req_init(&r, &fuzz_limits);
	rc = http_parse_path(&r, exact, size, &path);
	if (rc == 0) {
		fuzz_check_path(path);
		FUZZ_CHECK(strlen(path) <= size);
		/* A path without '%' decodes to itself: idempotence. */
		if (strchr(path, '%') == NULL) {
			FUZZ_CHECK(http_parse_path(&r, path, strlen(path),
			    &again) == 0);
			FUZZ_CHECK(strcmp(again, path) == 0);
		}
		/* Without NULs, the NUL-terminated copy parses the same. */
		if (strlen(raw) == size) {
			FUZZ_CHECK(http_parse_path(&r, raw, size, &again) == 0);
			FUZZ_CHECK(strcmp(again, path) == 0);
		}
	} else {
		FUZZ_CHECK(rc == HTTP_400);
		FUZZ_CHECK(r.error_detail != NULL);
	}
	req_free(&r);
	free(exact);
	free(raw);
	return 0;
}
