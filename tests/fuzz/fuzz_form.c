/*
 * fuzz_form: a whole http_parse of
 *   POST /submit/?a=1 with Content-Type application/x-www-form-urlencoded
 * whose body is the input.  Answers are 0, 400 or 413 only; on success
 * the form is well formed and shares the parameter limit with the query.
 */
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_setup(argc, argv, "fuzz_form");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char	 m[] = "REQUEST_METHOD=POST";
	static char	 u[] = "REQUEST_URI=/submit/?a=1";
	static char	 t[] = "CONTENT_TYPE=application/x-www-form-urlencoded;"
	    " charset=utf-8";
	char		*env[] = { m, u, t, NULL };
	struct req	 r;
	char		*body = fuzz_strndup(data, size);
	int		 rc;

	req_init(&r, &fuzz_limits);
	rc = http_parse(&r, env, body, size);
	if (rc == 0) {
		FUZZ_CHECK(size <= fuzz_limits.max_body);
		FUZZ_CHECK(r.body_len == size);
		FUZZ_CHECK(r.method == M_POST);
		FUZZ_CHECK(strcmp(r.path, "/submit/") == 0);
		FUZZ_CHECK(r.query_params.n == 1);
		fuzz_check_params(&r.form, fuzz_limits.max_params - 1,
		    fuzz_limits.max_key, fuzz_limits.max_value);
	} else {
		FUZZ_CHECK(rc == HTTP_400 || rc == HTTP_413);
		FUZZ_CHECK(rc != HTTP_413 || size > fuzz_limits.max_body);
		FUZZ_CHECK(r.error_detail != NULL);
	}
	req_free(&r);
	free(body);
	return 0;
}
