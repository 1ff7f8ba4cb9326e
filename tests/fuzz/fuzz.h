/*
 * fuzz.h: what the libFuzzer targets of tests/fuzz share.  Each target
 * is one fuzz_<parser>.c compiled alone with the core objects that have
 * no I/O (FUZZ_CORE in the Makefile: http, arena, buf, util, log,
 * router), so everything here is static.
 *
 * Every target: a fresh struct req with small limits per input, the
 * parser, cheap invariants checked with FUZZ_CHECK (a failed one aborts,
 * which libFuzzer reports as a crash with the input saved), req_free.
 * ASan finds overflows and leaks, UBSan undefined behaviour.
 */
#ifndef GAZETTE_FUZZ_H
#define GAZETTE_FUZZ_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/http.h"
#include "core/log.h"
#include "core/util.h"

int	 LLVMFuzzerInitialize(int *argc, char ***argv);
int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

/* Small, so that the limits themselves get exercised. */
static const struct http_limits fuzz_limits = {
	.max_body = 512,
	.max_uri = 512,
	.max_params = 16,
	.max_key = 32,
	.max_value = 128,
	.max_headers = 768,
	.max_cookie = 256,
};

/*
 * Silence the log (failure paths log on purpose) and, when run from the
 * repository root as `make fuzz-smoke` does, write crash artifacts into
 * build/fuzz/ instead of the working directory.  libFuzzer reads its
 * flags after this, so an -artifact_prefix given by hand still wins.
 */
static inline void
fuzz_setup(int *argc, char ***argv, const char *name)
{
	static char	 prefix[256];
	static char	*args[256];
	struct stat	 st;
	int		 n = *argc;

	log_set_level(LOG__MAX);
	if (stat("build/fuzz", &st) != 0 || !S_ISDIR(st.st_mode) ||
	    n + 2 > (int)(sizeof(args) / sizeof(args[0])))
		return;
	for (int i = 0; i < n; i++)
		if (strncmp((*argv)[i], "-artifact_prefix=", 17) == 0)
			return;
	snprintf(prefix, sizeof(prefix), "-artifact_prefix=build/fuzz/%s-",
	    name);
	args[0] = (*argv)[0];
	args[1] = prefix;
	for (int i = 1; i < n; i++)
		args[i + 1] = (*argv)[i];
	args[n + 1] = NULL;
	*argc = n + 1;
	*argv = args;
}

/* A NUL-terminated malloc'ed copy of the input. */
static inline char *
fuzz_strndup(const uint8_t *data, size_t size)
{
	char	*s = malloc(size + 1);

	FUZZ_CHECK(s != NULL);
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * Every parameter of p is well formed: keys and values are valid UTF-8
 * without NUL, value_len is the value's length, and there are at most
 * max_n of them with keys of at most max_key and values of at most
 * max_value bytes.
 */
static inline void
fuzz_check_params(const struct params *p, size_t max_n, size_t max_key,
    size_t max_value)
{
	FUZZ_CHECK(p->n <= max_n);
	for (size_t i = 0; i < p->n; i++) {
		const struct param *q = &p->v[i];

		FUZZ_CHECK(q->key != NULL && q->value != NULL);
		FUZZ_CHECK(strlen(q->key) <= max_key);
		FUZZ_CHECK(util_is_utf8(q->key, strlen(q->key)));
		FUZZ_CHECK(strlen(q->value) == q->value_len);
		FUZZ_CHECK(q->value_len <= max_value);
		FUZZ_CHECK(util_is_utf8(q->value, q->value_len));
	}
}

/*
 * A normalised path: starts with '/', is UTF-8 without NUL, and has no
 * empty, "." or ".." segment ("//", "/./", "/../", or a trailing
 * "/." or "/..").
 */
static inline void
fuzz_check_path(const char *path)
{
	size_t	 n;

	FUZZ_CHECK(path != NULL && path[0] == '/');
	n = strlen(path);
	FUZZ_CHECK(util_is_utf8(path, n));
	FUZZ_CHECK(strstr(path, "//") == NULL);
	FUZZ_CHECK(strstr(path, "/./") == NULL);
	FUZZ_CHECK(strstr(path, "/../") == NULL);
	FUZZ_CHECK(!(n >= 2 && strcmp(path + n - 2, "/.") == 0));
	FUZZ_CHECK(!(n >= 3 && strcmp(path + n - 3, "/..") == 0));
}

#endif
