/*
 * fuzz_query: http_parse_urlencoded on a query string, into
 * r.query_params as http_parse does (the parameter limit counts there).
 * On success every key and value is UTF-8 within the limits; on failure
 * the answer is 400 with a reason.
 */
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_setup(argc, argv, "fuzz_query");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct req	 r;
	char		*q = malloc(size > 0 ? size : 1);	/* no NUL */
	size_t		 pieces = 1;
	int		 rc;

	FUZZ_CHECK(q != NULL);
	if (size > 0)
		memcpy(q, data, size);
	req_init(&r, &fuzz_limits);
	rc = http_parse_urlencoded(&r, q, size, &r.query_params);
	if (rc == 0) {
		fuzz_check_params(&r.query_params, fuzz_limits.max_params,
		    fuzz_limits.max_key, fuzz_limits.max_value);
		/* No more parameters than '&'-separated pieces. */
		for (size_t i = 0; i < size; i++)
			pieces += q[i] == '&';
		FUZZ_CHECK(r.query_params.n <= pieces);
		/* The first value of a key is what req_query returns. */
		if (r.query_params.n > 0)
			FUZZ_CHECK(req_query(&r, r.query_params.v[0].key) ==
			    r.query_params.v[0].value);
	} else {
		FUZZ_CHECK(rc == HTTP_400);
		FUZZ_CHECK(r.error_detail != NULL);
	}
	req_free(&r);
	free(q);
	return 0;
}
