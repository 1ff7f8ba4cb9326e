/*
 * router: one static table maps method + path pattern to a handler, with
 * a name for reversing.  Patterns are literal segments and typed holes:
 * "/articles/{slug}/", "/admin/{model}/{id:int}/".  The router enforces
 * the method (405 with Allow) and the route's permission before the
 * handler runs, redirects "/x" to "/x/" when only that exists (301, like
 * Django's APPEND_SLASH), and builds URLs from route names so no template
 * or handler writes a path by hand.
 */
#ifndef GAZETTE_ROUTER_H
#define GAZETTE_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

struct req;

typedef int	(*route_handler)(struct req *);

struct route {
	const char	*name;		/* for router_url() */
	unsigned	 methods;	/* M_GET | M_POST ...; M_GET allows HEAD */
	const char	*pattern;
	route_handler	 handler;	/* returns an HTTP status */
	const char	*perm;		/* "article.change", or NULL: public */
	unsigned	 flags;		/* ROUTE_* */
};

enum route_flags {
	/*
	 * No CSRF check: for requests that carry their own authority and
	 * need no cookie, the token-authenticated API and a capability
	 * token in the path (List-Unsubscribe's one-click POST).
	 */
	ROUTE_CSRF_EXEMPT = 1 << 0,
	/*
	 * Anonymous visitors may present a csrf_form_token() for this
	 * path instead of their own secret: for forms on publicly cached
	 * pages (comments).  Logged-in users still need their session's.
	 */
	ROUTE_CSRF_FORM = 1 << 1,
	/* Probes and scrapes (/healthz, /readyz, /metrics): a successful
	 * answer is logged at debug level, not info, so a load balancer
	 * polling every second does not fill the log. */
	ROUTE_QUIET = 1 << 2
};

/*
 * Install the route table (terminated by a NULL name) for dispatching and
 * reversing.  The table must be static: it is used for the process's life.
 * Returns 0, or -1 (and logs why) if a pattern is malformed.
 */
int	 router_init(const struct route *routes);

/* How many routes the installed table has (0 before router_init()). */
size_t	 router_count(void);

/* The name of route i (i < router_count()), for metrics labels. */
const char *router_name(size_t i);

/* The index of rt in the installed table, or -1 if rt is NULL or not in
 * it.  Stable for the process's life (the table is static). */
int	 router_index(const struct route *rt);

/* The installed table (NULL before router_init), for generators such as
 * the API's OpenAPI document. */
const struct route *router_table(void);

/*
 * Who decides route permissions.  Until one is set (auth does it), routes
 * that name a permission answer 403 to everybody.  When it says no to an
 * anonymous visitor, the answer is a redirect to the route named
 * "account_login" with ?next= this path (if that route exists).
 */
void	 router_set_perm_check(bool (*may)(struct req *, const char *perm));

/*
 * The answer for a visitor who may not see this page: anonymous, a
 * redirect to the login page with ?next=; logged in, 403.
 */
int	 router_deny(struct req *r);

/*
 * Match r->path and r->method against the table and run the handler.
 * Unsafe methods (POST, PUT, PATCH, DELETE) must pass csrf_check() first
 * unless the route is ROUTE_CSRF_EXEMPT (403 with the reason otherwise).
 * Returns the handler's status, or 301/302/403/404/405 (r->allow set for
 * 405).  Sets r->route and r->route_params on a match.
 */
int	 router_dispatch(struct req *r);

/*
 * The path of route name with its holes filled, in pattern order, by the
 * string arguments that follow (percent-encoded here).  The result lives
 * in the request arena.  An unknown name or a value that does not fit its
 * hole is a bug: it is logged, fails the request (500) and yields "/".
 */
const char *router_url(struct req *r, const char *name, ...);

/*
 * Does pattern match path?  On success the holes' values are appended to
 * r->route_params.  Exposed for unit tests.
 */
bool	 router_match(struct req *r, const char *pattern, const char *path);

#endif
