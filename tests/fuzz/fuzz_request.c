/*
 * fuzz_request: a request end to end without the database or templates.
 * The input is split at '\n' into REQUEST_URI, HTTP_COOKIE,
 * REQUEST_METHOD and the body (the rest); http_parse runs on them, then
 * router_dispatch against a small table of its own, then http_serialize.
 *
 * Invariants: the parse answers 0/400/413/414; a parsed request has a
 * normalised path and well-formed parameters; route holes hold what
 * their type allows; router_url of a captured slug leads back to the same
 * path; the response has one "Status:" line first, no header line broken
 * by a lone CR or LF, and a Location that stays on this site.
 */
#include "core/router.h"
#include "fuzz.h"

#define FORM_TYPE	"CONTENT_TYPE=application/x-www-form-urlencoded"

/* GET /articles/{slug}/: check that the slug reverses to this path. */
static int
h_show(struct req *r)
{
	const char	*slug = req_param(r, "slug"), *url, *back = NULL;

	FUZZ_CHECK(slug != NULL && *slug != '\0');
	FUZZ_CHECK(strchr(slug, '/') == NULL);
	url = router_url(r, "show", slug);
	FUZZ_CHECK(!req_failed(r));
	FUZZ_CHECK(http_parse_path(r, url, strlen(url), &back) == 0);
	FUZZ_CHECK(strcmp(back, r->path) == 0);
	buf_puts(&r->out, url);
	return HTTP_200;
}

/* GET|POST /items/{id:int}/: digits only. */
static int
h_item(struct req *r)
{
	const char	*id = req_param(r, "id");

	FUZZ_CHECK(id != NULL && *id != '\0');
	for (const char *p = id; *p != '\0'; p++)
		FUZZ_CHECK(*p >= '0' && *p <= '9');
	buf_printf(&r->out, "item %s page %ld", id,
	    req_int(r, "page", 1, 1, 100));
	return HTTP_200;
}

/* POST /submit/: redirect to the article named by the form's "next". */
static int
h_submit(struct req *r)
{
	const char	*next = req_form(r, "next");

	if (next == NULL || *next == '\0')
		return HTTP_400;
	return http_redirect(r, HTTP_303, router_url(r, "show", next));
}

/* GET /echo/: a cookie and a query value into headers (escaped there). */
static int
h_echo(struct req *r)
{
	const char	*v;

	if ((v = req_cookie(r, "sid")) != NULL)
		http_set_header(r, "X-Sid", v);
	if ((v = req_query(r, "q")) != NULL)
		http_set_header(r, "X-Q", v);
	r->content_type = "text/plain; charset=utf-8";
	buf_puts(&r->out, "echo");
	return HTTP_200;
}

static int
h_plain(struct req *r)
{
	buf_puts(&r->out, "plain");
	return HTTP_200;
}

static const struct route routes[] = {
	{ "home",	M_GET,		"/",			h_plain,  NULL, 0 },
	{ "show",	M_GET,		"/articles/{slug}/",	h_show,	  NULL, 0 },
	{ "item",	M_GET | M_POST,	"/items/{id:int}/",	h_item,	  NULL, ROUTE_CSRF_EXEMPT },
	{ "submit",	M_POST,		"/submit/",		h_submit, NULL, 0 },
	{ "echo",	M_GET,		"/echo/",		h_echo,	  NULL, 0 },
	{ "admin",	M_GET,		"/admin/{model}/",	h_plain,  "admin", 0 },
	{ "file",	M_GET,		"/files/{name}",	h_plain,  NULL, 0 },
	{ NULL,		0,		NULL,			NULL,	  NULL, 0 }
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_setup(argc, argv, "fuzz_request");
	if (router_init(routes) != 0)
		abort();
	return 0;
}

/* The next '\n'-terminated piece of [*p, end), NUL-terminated. */
static char *
piece(struct req *r, const char **p, const char *end)
{
	const char	*nl = memchr(*p, '\n', (size_t)(end - *p));
	const char	*pe = nl != NULL ? nl : end;
	char		*s = arena_strndup(r->arena, *p, (size_t)(pe - *p));

	*p = nl != NULL ? nl + 1 : end;
	return s;
}

/* The header block of a serialised response is clean CRLF lines. */
static void
check_response(const struct buf *out)
{
	const char	*hend, *loc;

	FUZZ_CHECK(out->len > 8 && strncmp(out->ptr, "Status: ", 8) == 0);
	FUZZ_CHECK((hend = strstr(out->ptr, "\r\n\r\n")) != NULL);
	for (const char *p = out->ptr; p < hend; p++) {
		if (*p == '\r')
			FUZZ_CHECK(p[1] == '\n');
		if (*p == '\n')
			FUZZ_CHECK(p > out->ptr && p[-1] == '\r');
	}
	/* Exactly one Status line, and it is the first. */
	FUZZ_CHECK(strstr(out->ptr + 1, "\nStatus:") == NULL ||
	    strstr(out->ptr + 1, "\nStatus:") > hend);
	/* A redirect stays on this site: "//host" or "/\host" would not. */
	if ((loc = strstr(out->ptr, "\r\nLocation: ")) != NULL && loc < hend) {
		loc += 12;
		FUZZ_CHECK(loc[0] == '/');
		FUZZ_CHECK(loc[1] != '/' && loc[1] != '\\');
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct req	 r;
	struct buf	 out;
	const char	*p = (const char *)data, *end = p + size;
	char		*env[6], *body;
	size_t		 body_len;
	int		 rc, status;

	req_init(&r, &fuzz_limits);
	buf_init(&out);
	env[0] = arena_printf(r.arena, "REQUEST_URI=%s", piece(&r, &p, end));
	env[1] = arena_printf(r.arena, "HTTP_COOKIE=%s", piece(&r, &p, end));
	env[2] = arena_printf(r.arena, "REQUEST_METHOD=%s",
	    piece(&r, &p, end));
	env[3] = arena_strdup(r.arena, FORM_TYPE);
	env[4] = arena_strdup(r.arena, "REQUEST_ID=fuzz");
	env[5] = NULL;
	body_len = (size_t)(end - p);
	body = arena_strndup(r.arena, p, body_len);

	rc = http_parse(&r, env, body, body_len);
	if (rc == 0) {
		fuzz_check_path(r.path);
		fuzz_check_params(&r.query_params, fuzz_limits.max_params,
		    fuzz_limits.max_key, fuzz_limits.max_value);
		fuzz_check_params(&r.form, fuzz_limits.max_params,
		    fuzz_limits.max_key, fuzz_limits.max_value);
		FUZZ_CHECK(r.query_params.n + r.form.n <=
		    fuzz_limits.max_params);
		fuzz_check_params(&r.cookies, fuzz_limits.max_params,
		    fuzz_limits.max_cookie, fuzz_limits.max_cookie);
		status = router_dispatch(&r);
		FUZZ_CHECK(status >= 200 && status <= 599);
		FUZZ_CHECK(status != HTTP_405 || (r.allow != NULL &&
		    *r.allow != '\0'));
		if (status == HTTP_301 || status == HTTP_303)
			FUZZ_CHECK(http_get_header(&r, "Location") != NULL);
	} else {
		FUZZ_CHECK(rc == HTTP_400 || rc == HTTP_413 || rc == HTTP_414);
		FUZZ_CHECK(r.error_detail != NULL);
		status = rc;
	}
	http_serialize(&r, status, &out);
	check_response(&out);
	buf_free(&out);
	req_free(&r);
	return 0;
}
