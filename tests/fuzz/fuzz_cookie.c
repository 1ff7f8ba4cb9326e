/*
 * fuzz_cookie: http_parse_cookies on a Cookie header (NUL-terminated, as
 * FastCGI parameters are).  Cookies that are not UTF-8 are skipped, so a
 * success holds only clean names and values: no ';', no '=' in a name,
 * no surrounding blanks.
 */
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_setup(argc, argv, "fuzz_cookie");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct req	 r;
	char		*s = fuzz_strndup(data, size);
	int		 rc;

	req_init(&r, &fuzz_limits);
	rc = http_parse_cookies(&r, s, &r.cookies);
	if (rc == 0) {
		FUZZ_CHECK(strlen(s) <= fuzz_limits.max_cookie);
		fuzz_check_params(&r.cookies, fuzz_limits.max_params,
		    fuzz_limits.max_cookie, fuzz_limits.max_cookie);
		for (size_t i = 0; i < r.cookies.n; i++) {
			const char	*k = r.cookies.v[i].key;
			const char	*v = r.cookies.v[i].value;
			size_t		 kn = strlen(k);

			FUZZ_CHECK(kn > 0);
			FUZZ_CHECK(strpbrk(k, ";=") == NULL);
			FUZZ_CHECK(strchr(v, ';') == NULL);
			FUZZ_CHECK(k[0] != ' ' && k[0] != '\t');
			FUZZ_CHECK(k[kn - 1] != ' ' && k[kn - 1] != '\t');
		}
	} else {
		FUZZ_CHECK(rc == HTTP_400);
		FUZZ_CHECK(r.error_detail != NULL);
	}
	req_free(&r);
	free(s);
	return 0;
}
