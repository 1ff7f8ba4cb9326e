/*
 * fuzz_multipart: the input is split at its first line: the rest of that
 * line is a Content-Type header value, the remainder the body.  Runs
 * multipart_boundary and, when it finds one, multipart_parse on the
 * body, then a whole http_parse of POST /upload/ with that type and
 * body.  Parts must lie inside the body; http answers 0, 400 or 413
 * only, and on success its fields are well formed and its files point
 * into the body.
 */
#include "core/multipart.h"
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_setup(argc, argv, "fuzz_multipart");
	return 0;
}

/* The fuzz limits, with room for a file: multipart may exceed max_body. */
static const struct http_limits mp_limits = {
	.max_body = 512,
	.max_upload = 2048,
	.max_uri = 512,
	.max_params = 16,
	.max_key = 32,
	.max_value = 128,
	.max_headers = 256,
	.max_cookie = 256,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char		 m[] = "REQUEST_METHOD=POST";
	static char		 u[] = "REQUEST_URI=/upload/";
	char			*input = fuzz_strndup(data, size);
	char			*nl = memchr(input, '\n', size);
	char			*ct, *body, *env[4];
	size_t			 blen;
	struct req		 r;
	struct multipart_part	*parts;
	size_t			 n;
	const char		*b, *err;
	int			 rc;

	if (nl == NULL || memchr(input, '\0', (size_t)(nl - input)) != NULL) {
		free(input);
		return 0;
	}
	*nl = '\0';
	body = nl + 1;
	blen = size - (size_t)(body - input);
	ct = malloc(strlen(input) + sizeof("CONTENT_TYPE="));
	FUZZ_CHECK(ct != NULL);
	strcpy(ct, "CONTENT_TYPE=");
	strcat(ct, input);
	env[0] = m;
	env[1] = u;
	env[2] = ct;
	env[3] = NULL;

	req_init(&r, &mp_limits);
	if ((b = multipart_boundary(r.arena, input)) != NULL) {
		FUZZ_CHECK(*b != '\0' && strlen(b) <= MULTIPART_BOUNDARY_MAX);
		if (multipart_parse(r.arena, body, blen, b, 16, 256, &parts,
		    &n, &err) == 0) {
			FUZZ_CHECK(n <= 16);
			for (size_t i = 0; i < n; i++) {
				FUZZ_CHECK(parts[i].name[0] != '\0');
				FUZZ_CHECK(parts[i].data >= body);
				FUZZ_CHECK(parts[i].data + parts[i].len <=
				    body + blen);
			}
		} else
			FUZZ_CHECK(err != NULL);
	}
	req_reset(&r);
	rc = http_parse(&r, env, body, blen);
	if (rc == 0) {
		FUZZ_CHECK(blen <= mp_limits.max_upload);
		fuzz_check_params(&r.form, mp_limits.max_params,
		    mp_limits.max_key, mp_limits.max_value);
		FUZZ_CHECK(r.form.n + r.nuploads <= mp_limits.max_params);
		for (size_t i = 0; i < r.nuploads; i++) {
			const struct upload *up = &r.uploads[i];

			FUZZ_CHECK(up->name != NULL && up->filename != NULL);
			FUZZ_CHECK(util_is_utf8(up->filename,
			    strlen(up->filename)));
			FUZZ_CHECK(up->data >= body &&
			    up->data + up->len <= body + blen);
		}
	} else {
		FUZZ_CHECK(rc == HTTP_400 || rc == HTTP_413);
		FUZZ_CHECK(r.error_detail != NULL);
	}
	req_free(&r);
	free(ct);
	free(input);
	return 0;
}
