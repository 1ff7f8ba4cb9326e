/*
 * fuzz_log_json: log_json on any logfmt-ish line (NUL-terminated, as
 * log_msg hands it over), into a full-size buffer and into a short one.
 * Whatever comes in, the result is NUL-terminated at the returned
 * length, fits, and jansson parses it as one JSON object.
 */
#include <jansson.h>

#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_setup(argc, argv, "fuzz_log_json");
	return 0;
}

static void
check_json(const char *line, size_t n)
{
	char		*dst = malloc(n);
	json_error_t	 e;
	json_t		*o;
	size_t		 len;

	FUZZ_CHECK(dst != NULL);
	len = log_json(dst, n, line);
	FUZZ_CHECK(len < n);
	FUZZ_CHECK(strlen(dst) == len);
	o = json_loads(dst, 0, &e);
	if (o == NULL)
		fprintf(stderr, "not JSON (%s): %s\n", e.text, dst);
	FUZZ_CHECK(o != NULL && json_is_object(o));
	json_decref(o);
	free(dst);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s = fuzz_strndup(data, size);

	check_json(s, 8192);
	check_json(s, 64 + size % 256);		/* truncation */
	free(s);
	return 0;
}
