/*
 * render: ClearSilver glue.  A fresh CSPARSE per render against the
 * request's HDF; templates are read through ClearSilver's loadpaths.
 * Static asset URLs carry a content hash (?v=...) so nginx can serve
 * them with a year-long cache.
 */
#include <ClearSilver.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "arena.h"
#include "buf.h"
#include "config.h"
#include "http.h"
#include "log.h"
#include "render.h"
#include "util.h"

static void	 tcache_clear(void);
static void	(*page_hook)(struct req *);

void
render_set_page_hook(void (*fn)(struct req *))
{
	page_hook = fn;
}

static struct {
	char	*templates;
	char	*site_name;
	char	*site_description;
	char	*site_css;	/* /static/css/site.css?v=... */
	char	*admin_css;
	char	*admin_js;
} rs;

static const struct {
	int		 status;
	const char	*message;
} error_messages[] = {
	{ 400, "The request could not be understood." },
	{ 403, "You do not have permission to see this page." },
	{ 404, "The page you asked for does not exist." },
	{ 405, "This address does not accept that method." },
	{ 413, "What you sent is larger than this site accepts." },
	{ 414, "The address is longer than this site accepts." },
	{ 429, "Too many attempts in a short time." },
	{ 500, "Something went wrong on our side. It has been logged; "
	    "please try again in a moment." },
	{ 503, "The site is busy right now. Please try again in a few "
	    "seconds." },
};

/* FNV-1a of a file, for cache-busting URLs; 0 if unreadable. */
static uint32_t
file_hash(const char *path)
{
	FILE		*f;
	uint32_t	 h = 2166136261u;
	int		 c;

	if ((f = fopen(path, "rb")) == NULL)
		return 0;
	while ((c = getc(f)) != EOF)
		h = (h ^ (uint32_t)c) * 16777619u;
	fclose(f);
	return h;
}

char *
render_static_url(const struct config *c, const char *file)
{
	char	 path[4096], *url;

	snprintf(path, sizeof(path), "%s/%s", c->static_dir, file);
	if (asprintf(&url, "/static/%s?v=%08x", file, file_hash(path)) < 0)
		abort();
	return url;
}

int
render_init(const struct config *c, char *err, size_t errlen)
{
	char	 path[4096];
	FILE	*f;

	render_shutdown();
	snprintf(path, sizeof(path), "%s/layout/base.cs", c->templates);
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "cannot read templates: %s is missing "
		    "(set templates = DIR in the config)", path);
		return -1;
	}
	fclose(f);
	nerr_init();
	rs.templates = xstrdup(c->templates);
	rs.site_name = xstrdup(c->site_name);
	rs.site_description = xstrdup(c->site_description);
	rs.site_css = render_static_url(c, "css/site.css");
	rs.admin_css = render_static_url(c, "css/admin.css");
	rs.admin_js = render_static_url(c, "js/admin.js");
	return 0;
}

void
render_shutdown(void)
{
	tcache_clear();
	free(rs.templates);
	free(rs.site_name);
	free(rs.site_description);
	free(rs.site_css);
	free(rs.admin_css);
	free(rs.admin_js);
	memset(&rs, 0, sizeof(rs));
}

static HDF *
hdf(struct req *r)
{
	HDF	*h;

	if (r->hdf != NULL)
		return (HDF *)r->hdf;
	if (hdf_init(&h) != STATUS_OK)
		abort();
	r->hdf = (struct hdf_s *)h;
	return h;
}

void
render_set(struct req *r, const char *name, const char *value)
{
	NEOERR	*e;

	if ((e = hdf_set_value(hdf(r), name, value)) != STATUS_OK) {
		nerr_ignore(&e);
		req_fail(r, 500, "render_set %s failed", name);
	}
}

const char *
render_get(struct req *r, const char *name)
{
	return r->hdf != NULL ? hdf_get_value((HDF *)r->hdf, name, NULL) :
	    NULL;
}

void
render_set_int(struct req *r, const char *name, long long value)
{
	char	 s[32];

	snprintf(s, sizeof(s), "%lld", value);
	render_set(r, name, s);
}

void
render_set_date(struct req *r, const char *prefix, int64_t t)
{
	char	 name[256], v[64];

	util_date_human(t, v, sizeof(v));
	snprintf(name, sizeof(name), "%s", prefix);
	render_set(r, name, v);
	util_date_iso(t, v, sizeof(v));
	snprintf(name, sizeof(name), "%s_iso", prefix);
	render_set(r, name, v);
}

struct render_node *
render_node(struct req *r, const char *fmt, ...)
{
	char	 name[256];
	HDF	*node = NULL;
	NEOERR	*e;
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	if ((e = hdf_get_node(hdf(r), name, &node)) != STATUS_OK) {
		nerr_ignore(&e);
		req_fail(r, 500, "render_node %s failed", name);
		return NULL;
	}
	return (struct render_node *)node;
}

void
render_node_set(struct req *r, struct render_node *n, const char *name,
    const char *value)
{
	NEOERR	*e;

	if (n == NULL)
		return;
	if ((e = hdf_set_value((HDF *)n, name, value)) != STATUS_OK) {
		nerr_ignore(&e);
		req_fail(r, 500, "render_node_set %s failed", name);
	}
}

void
render_node_set_date(struct req *r, struct render_node *n,
    const char *name, int64_t t)
{
	char	 key[64], v[64];

	util_date_human(t, v, sizeof(v));
	render_node_set(r, n, name, v);
	snprintf(key, sizeof(key), "%s_iso", name);
	util_date_iso(t, v, sizeof(v));
	render_node_set(r, n, key, v);
}

void
render_reset(struct req *r)
{
	HDF	*h = (HDF *)r->hdf;

	if (h != NULL)
		hdf_destroy(&h);
	r->hdf = NULL;
}

static NEOERR *
out_cb(void *ctx, char *s)
{
	buf_puts(ctx, s);
	return STATUS_OK;
}

static void
set_common(struct req *r)
{
	static int	 year;
	HDF		*h = hdf(r);

	if (year == 0) {
		time_t		 t = time(NULL);
		struct tm	 tm;

		gmtime_r(&t, &tm);
		year = tm.tm_year + 1900;
	}
	/* Escaping and load paths come from the parse tree's own HDF. */
	hdf_set_value(h, "Site.name", rs.site_name);
	hdf_set_value(h, "Site.description", rs.site_description);
	hdf_set_value(h, "Static.site_css", rs.site_css);
	hdf_set_value(h, "Static.admin_css", rs.admin_css);
	hdf_set_value(h, "Static.admin_js", rs.admin_js);
	hdf_set_value(h, "Urls.home", "/");
	hdf_set_int_value(h, "Year", year);
	hdf_set_value(h, "Request.id", r->request_id);
	hdf_set_value(h, "Request.path", r->path);
	if (page_hook != NULL)
		page_hook(r);
}

/*
 * Parsed templates, per worker.  Parsing is two thirds of the cost of a
 * page (about 45 of 65 us for the home page), and a parse tree does not
 * depend on the data: it is rendered against each request's HDF by
 * pointing it there for the call.  The tree keeps its own small HDF for
 * what parsing reads (load paths, escape mode).  Workers are forked anew
 * on reload, so SIGHUP picks up edited templates.
 */
#define TEMPLATE_CACHE	32

static struct {
	char	*name;
	CSPARSE	*cs;
	HDF	*hdf;
} tcache[TEMPLATE_CACHE];

static void
tcache_clear(void)
{
	for (size_t i = 0; i < TEMPLATE_CACHE; i++) {
		if (tcache[i].name == NULL)
			continue;
		cs_destroy(&tcache[i].cs);
		hdf_destroy(&tcache[i].hdf);
		free(tcache[i].name);
		tcache[i].name = NULL;
	}
}

/* The parsed template, from the cache or parsed now; NULL + *e on error. */
static CSPARSE *
template_get(const char *template, NEOERR **e)
{
	CSPARSE	*cs = NULL;
	HDF	*h = NULL;
	size_t	 i;

	*e = STATUS_OK;
	for (i = 0; i < TEMPLATE_CACHE && tcache[i].name != NULL; i++)
		if (strcmp(tcache[i].name, template) == 0)
			return tcache[i].cs;
	if ((*e = hdf_init(&h)) != STATUS_OK)
		return NULL;
	hdf_set_value(h, "Config.VarEscapeMode", "html");
	hdf_set_value(h, "hdf.loadpaths.0", rs.templates);
	if ((*e = cs_init(&cs, h)) != STATUS_OK ||
	    (*e = cgi_register_strfuncs(cs)) != STATUS_OK ||
	    (*e = cs_parse_file(cs, template)) != STATUS_OK) {
		cs_destroy(&cs);
		hdf_destroy(&h);
		return NULL;
	}
	if (i == TEMPLATE_CACHE) {
		/* More templates than slots: the last slot turns over. */
		i = TEMPLATE_CACHE - 1;
		cs_destroy(&tcache[i].cs);
		hdf_destroy(&tcache[i].hdf);
		free(tcache[i].name);
	}
	tcache[i].name = xstrdup(template);
	tcache[i].cs = cs;
	tcache[i].hdf = h;
	return cs;
}

/* Render into r->out; 0 or -1 with the ClearSilver error logged. */
static int
render_to(struct req *r, const char *template)
{
	CSPARSE	*cs;
	HDF	*own;
	NEOERR	*e;
	STRING	 msg;

	set_common(r);
	if ((cs = template_get(template, &e)) != NULL) {
		own = cs->hdf;
		cs->hdf = (HDF *)r->hdf;
		e = cs_render(cs, &r->out, out_cb);
		cs->hdf = own;
	}
	if (e == STATUS_OK)
		return 0;
	string_init(&msg);
	nerr_error_string(e, &msg);
	req_fail(r, 500, "template %s: %s", template,
	    msg.buf != NULL ? msg.buf : "?");
	string_clear(&msg);
	nerr_ignore(&e);
	return -1;
}

int
render(struct req *r, const char *template)
{
	r->content_type = "text/html; charset=utf-8";
	if (render_to(r, template) != 0) {
		buf_reset(&r->out);
		return HTTP_500;
	}
	return HTTP_200;
}

const char *
render_string(struct req *r, const char *template)
{
	struct buf	 saved = r->out;
	const char	*s = NULL;

	buf_init(&r->out);
	if (render_to(r, template) == 0)
		s = arena_strndup(r->arena, r->out.ptr != NULL ? r->out.ptr :
		    "", r->out.len);
	buf_free(&r->out);
	r->out = saved;
	return s;
}

int
render_error(struct req *r, int status)
{
	const char	*message = "";
	int		 failed = r->failed;

	for (size_t i = 0; i < NELEM(error_messages); i++)
		if (error_messages[i].status == status)
			message = error_messages[i].message;
	buf_reset(&r->out);
	/* A handler's headers do not apply to an error page, except the
	 * cookies it set and a Retry-After it chose. */
	{
		size_t	 k = 0;

		for (size_t i = 0; i < r->nresp; i++)
			if (strcasecmp(r->resp_headers[i].name,
			    "Set-Cookie") == 0 || strcasecmp(
			    r->resp_headers[i].name, "Retry-After") == 0)
				r->resp_headers[k++] = r->resp_headers[i];
		r->nresp = k;
	}
	r->content_type = "text/html; charset=utf-8";
	if (status == HTTP_503 && http_get_header(r, "Retry-After") == NULL)
		http_set_header(r, "Retry-After", "5");
	render_set_int(r, "Error.status", status);
	render_set(r, "Error.reason", http_reason(status));
	render_set(r, "Error.message", (status == HTTP_400 ||
	    status == HTTP_403 || status == 429) && r->error_detail != NULL ?
	    r->error_detail : message);
	if (status == HTTP_405 && r->allow != NULL)
		render_set(r, "Error.allow", r->allow);
	if (render_to(r, "errors/error.cs") != 0) {
		buf_reset(&r->out);
		r->content_type = "text/plain; charset=utf-8";
		buf_printf(&r->out, "%d %s\n", status, http_reason(status));
	}
	r->failed = failed;
	return status;
}
