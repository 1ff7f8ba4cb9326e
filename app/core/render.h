/*
 * render: ClearSilver templates.  Each request gets its own HDF (data
 * tree) with Config.VarEscapeMode = html, so every var: is HTML-escaped
 * unless a template opens an escape: "none" block, which is reserved for
 * HTML that Gazette produced itself.  render() fills the values every
 * page needs (Site.*, Urls.home, Static.*, Year, Request.*), renders into
 * the request's body buffer, and returns 200.
 */
#ifndef GAZETTE_RENDER_H
#define GAZETTE_RENDER_H

#include <stdint.h>

struct req;
struct config;

/*
 * Per-process setup from the configuration: template directory, site
 * name, static file versions.  Call in the master before forking and
 * again on reload.  Returns 0, or -1 with a message in err.
 */
int	 render_init(const struct config *c, char *err, size_t errlen);

/*
 * "/static/<file>?v=<hash of its bytes>" under c->static_dir: a new URL
 * when the file changes, so it may be cached for a year.  malloc'd, for
 * the caller to keep (typically once a process).
 */
char	*render_static_url(const struct config *c, const char *file);
void	 render_shutdown(void);

/* Set a value in the request's HDF (created on first use). */
void	 render_set(struct req *r, const char *name, const char *value);
void	 render_set_int(struct req *r, const char *name, long long value);

/* The value at name in the request's HDF, or NULL (valid until the
 * value is set again or the request ends). */
const char *render_get(struct req *r, const char *name);

/* Set NAME.date / NAME.date_iso style pair for Unix time t. */
void	 render_set_date(struct req *r, const char *prefix, int64_t t);

/*
 * A node of the request's HDF ("Articles.3"), created if missing, under
 * which a list item's values are set with short names: cheaper than a
 * full dotted name per value.  Valid until the request ends.
 */
struct render_node;
struct render_node *render_node(struct req *r, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 render_node_set(struct req *r, struct render_node *n,
	    const char *name, const char *value);
void	 render_node_set_date(struct req *r, struct render_node *n,
	    const char *name, int64_t t);

/*
 * Render template (path under the template directory) into r->out.
 * Returns 200, or 500 after req_fail() if the template fails.
 */
int	 render(struct req *r, const char *template);

/*
 * Render template with the request's HDF into a string in r's arena
 * (valid until the request ends), leaving r->out as it was: the HTML
 * part of a mail.  NULL after req_fail() if the template fails.
 */
const char *render_string(struct req *r, const char *template);

/*
 * Replace whatever the response holds with the error page for status
 * (400, 403, 404, 405, 413, 414, 500, 503), rendered in the layout, with
 * a plain-text fallback if even that fails.  Returns status.
 */
int	 render_error(struct req *r, int status);

/*
 * A function run for every rendered page, after the common values, to add
 * what every page shows of the visitor (session sets it).
 */
void	 render_set_page_hook(void (*fn)(struct req *));

/* Destroy the request's HDF; called by req teardown in the server. */
void	 render_reset(struct req *r);

#endif
