/*
 * health: the readiness probe.  /healthz (the site's) says a worker is
 * alive and answers; /readyz says this instance should get traffic: the
 * database answers, no migration is pending, and the disk that holds the
 * database has room.  For load balancers, orchestrators and deploy
 * scripts; nothing here writes.
 */
#ifndef GAZETTE_HEALTH_H
#define GAZETTE_HEALTH_H

#include <stddef.h>

struct buf;
struct config;
struct req;

/*
 * Run the readiness checks for cfg, appending one plain-text line per
 * failed check ("database: ...", "migrations: ...", "disk: ...") to
 * out.  Returns the number of failed checks (0: ready).
 */
int	 health_ready(const struct config *cfg, struct buf *out);

/*
 * GET /readyz  200 "ok" when health_ready() passes, else 503 with its
 * lines, as text/plain; never cached.
 */
int	 health_page_ready(struct req *r);

#endif
