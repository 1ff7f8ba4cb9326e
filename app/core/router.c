/*
 * router: linear matching over the static route table (a site has tens of
 * routes; a scan of short strings costs less than building a tree), typed
 * holes, append-slash, 405 with Allow, permission gate, URL reversing.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "csrf.h"
#include "http.h"
#include "log.h"
#include "router.h"
#include "util.h"

static const struct route	*table;
static size_t			 ntable;
static bool			(*perm_check)(struct req *, const char *);

/* Is [s, s+n) a hole "{name}" or "{name:int}"?  Sets the type. */
static bool
hole(const char *s, size_t n, bool *is_int)
{
	if (n < 3 || s[0] != '{' || s[n - 1] != '}')
		return false;
	*is_int = n > 6 && memcmp(s + n - 5, ":int}", 5) == 0;
	return true;
}

int
router_init(const struct route *routes)
{
	for (const struct route *rt = routes; rt->name != NULL; rt++) {
		if (rt->pattern[0] != '/' || rt->handler == NULL ||
		    rt->methods == 0) {
			log_msg(LOG_ERROR, "msg=\"malformed route\" route=%s",
			    rt->name);
			return -1;
		}
	}
	table = routes;
	ntable = 0;
	while (routes[ntable].name != NULL)
		ntable++;
	return 0;
}

size_t
router_count(void)
{
	return ntable;
}

const char *
router_name(size_t i)
{
	return i < ntable ? table[i].name : NULL;
}

int
router_index(const struct route *rt)
{
	uintptr_t	 a = (uintptr_t)rt, b = (uintptr_t)table;

	/* As integers: comparing pointers into different arrays is
	 * undefined, and rt may come from a test's own table. */
	if (rt == NULL || table == NULL || a < b ||
	    a >= b + ntable * sizeof(*table) || (a - b) % sizeof(*table) != 0)
		return -1;
	return (int)((a - b) / sizeof(*table));
}

const struct route *
router_table(void)
{
	return table;
}

void
router_set_perm_check(bool (*may)(struct req *, const char *))
{
	perm_check = may;
}

bool
router_match(struct req *r, const char *pat, const char *path)
{
	size_t	 mark = r->route_params.n;

	while (*pat != '\0' && *path != '\0') {
		const char	*pe = strchr(pat, '/');
		const char	*se = strchr(path, '/');
		size_t		 pn, sn;
		bool		 is_int;

		if (*pat == '/' || *path == '/') {
			if (*pat != *path)
				goto fail;
			pat++;
			path++;
			continue;
		}
		pn = pe != NULL ? (size_t)(pe - pat) : strlen(pat);
		sn = se != NULL ? (size_t)(se - path) : strlen(path);
		if (hole(pat, pn, &is_int)) {
			struct param	*p;
			size_t		 nlen = is_int ? pn - 6 : pn - 2;

			if (is_int) {
				if (sn > 18)
					goto fail;
				for (size_t i = 0; i < sn; i++)
					if (path[i] < '0' || path[i] > '9')
						goto fail;
			}
			/* Append to route_params via a one-entry copy. */
			if (r->route_params.n == r->route_params.cap) {
				size_t	 cap = r->route_params.cap == 0 ? 4 :
				    r->route_params.cap * 2;

				p = arena_alloc(r->arena, cap * sizeof(*p));
				if (r->route_params.n > 0)
					memcpy(p, r->route_params.v,
					    r->route_params.n * sizeof(*p));
				r->route_params.v = p;
				r->route_params.cap = cap;
			}
			p = &r->route_params.v[r->route_params.n++];
			p->key = arena_strndup(r->arena, pat + 1, nlen);
			p->value = arena_strndup(r->arena, path, sn);
			p->value_len = sn;
		} else if (pn != sn || memcmp(pat, path, pn) != 0)
			goto fail;
		pat += pn;
		path += sn;
	}
	if (*pat == '\0' && *path == '\0')
		return true;
fail:
	r->route_params.n = mark;
	return false;
}

static const char *
allow_header(struct req *r, unsigned methods)
{
	static const struct {
		unsigned	 m;
		const char	*name;
	} names[] = {
		{ M_GET, "GET, HEAD" }, { M_POST, "POST" }, { M_PUT, "PUT" },
		{ M_PATCH, "PATCH" }, { M_DELETE, "DELETE" },
		{ M_OPTIONS, "OPTIONS" },
	};
	struct buf	 b;
	const char	*s;

	buf_init(&b);
	for (size_t i = 0; i < NELEM(names); i++)
		if (methods & names[i].m)
			buf_printf(&b, "%s%s", b.len ? ", " : "",
			    names[i].name);
	s = arena_strdup(r->arena, b.ptr != NULL ? b.ptr : "");
	buf_free(&b);
	return s;
}

int
router_deny(struct req *r)
{
	const struct route	*rt;

	if (r->user != NULL)
		return HTTP_403;
	for (rt = table; rt != NULL && rt->name != NULL; rt++)
		if (strcmp(rt->name, "account_login") == 0)
			return http_redirect(r, HTTP_302, arena_printf(r->arena,
			    "%s?next=%s", rt->pattern,
			    http_url_encode(r, r->raw_path)));
	return HTTP_403;
}

int
router_dispatch(struct req *r)
{
	unsigned	 allowed = 0;
	unsigned	 m = r->method == M_HEAD ? M_GET : r->method;
	size_t		 n;

	for (const struct route *rt = table; rt != NULL && rt->name != NULL;
	    rt++) {
		if (!router_match(r, rt->pattern, r->path))
			continue;
		if (!(rt->methods & m)) {
			allowed |= rt->methods;
			r->route_params.n = 0;
			continue;
		}
		r->route = rt;
		if ((r->method & (M_POST | M_PUT | M_PATCH | M_DELETE)) &&
		    !(rt->flags & ROUTE_CSRF_EXEMPT)) {
			const char *reason = NULL;

			if (!csrf_check(r, &reason)) {
				char q[200];

				log_msg(LOG_WARN, "rid=%s msg=\"CSRF check failed\""
				    " reason=%s", r->request_id,
				    log_quote(q, sizeof(q), reason));
				r->error_detail = arena_printf(r->arena,
				    "The form could not be accepted: %s. "
				    "Reload the page and send the form again.",
				    reason);
				return HTTP_403;
			}
		}
		if (rt->perm != NULL && (perm_check == NULL ||
		    !perm_check(r, rt->perm)))
			return router_deny(r);
		return rt->handler(r);
	}
	if (allowed != 0) {
		r->allow = allow_header(r, allowed);
		return HTTP_405;
	}
	n = strlen(r->path);
	if ((r->method & (M_GET | M_HEAD)) && r->path[n - 1] != '/') {
		const char *slashed = arena_printf(r->arena, "%s/", r->path);

		for (const struct route *rt = table; rt != NULL &&
		    rt->name != NULL; rt++) {
			if (!router_match(r, rt->pattern, slashed))
				continue;
			r->route_params.n = 0;
			/* From the normalised path, never the raw one: the raw
			 * "//evil.example/../x" would send the browser away. */
			return http_redirect(r, HTTP_301, arena_printf(r->arena,
			    "%s/%s%s", http_path_encode(r, r->path),
			    *r->query ? "?" : "", r->query));
		}
	}
	return HTTP_404;
}

/*
 * Can s fill a hole?  Not empty, not "." or ".." (the path would change
 * meaning), no '/' (it would decode back into two segments), and only
 * digits for an int hole.
 */
static bool
value_fits(const char *s, bool is_int)
{
	if (s == NULL || *s == '\0' || strcmp(s, ".") == 0 ||
	    strcmp(s, "..") == 0 || strchr(s, '/') != NULL)
		return false;
	if (is_int)
		for (const char *p = s; *p != '\0'; p++)
			if (*p < '0' || *p > '9')
				return false;
	return true;
}

const char *
router_url(struct req *r, const char *name, ...)
{
	const struct route	*rt;
	struct buf		 b;
	const char		*pat, *s;
	va_list			 ap;

	for (rt = table; rt != NULL && rt->name != NULL; rt++)
		if (strcmp(rt->name, name) == 0)
			break;
	if (rt == NULL || rt->name == NULL) {
		req_fail(r, 500, "router_url: no route named %s", name);
		return "/";
	}
	buf_init(&b);
	va_start(ap, name);
	for (pat = rt->pattern; *pat != '\0'; ) {
		const char	*end;
		bool		 is_int;

		if (*pat != '{' || (end = strchr(pat, '}')) == NULL ||
		    !hole(pat, (size_t)(end - pat + 1), &is_int)) {
			buf_putc(&b, *pat++);
			continue;
		}
		s = va_arg(ap, const char *);
		if (!value_fits(s, is_int)) {
			req_fail(r, 500, "router_url: route %s: value '%s' "
			    "does not fit %.*s", name, s != NULL ? s : "(null)",
			    (int)(end - pat + 1), pat);
			va_end(ap);
			buf_free(&b);
			return "/";
		}
		buf_puts(&b, http_url_encode(r, s));
		pat = end + 1;
	}
	va_end(ap);
	s = arena_strdup(r->arena, b.ptr);
	buf_free(&b);
	return s;
}
