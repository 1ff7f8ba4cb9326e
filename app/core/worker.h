/*
 * worker: the processes of `gazette worker`.  One loop claims due jobs
 * (a batch of fast ones in one transaction, see jobs.h), runs their
 * kinds' handlers and records the outcomes, one logfmt line per job;
 * between batches it requeues expired leases and schedules the periodic
 * jobs.  With concurrency 1 the loop runs in this process;
 * with N > 1 a master forks N loops and restarts any that dies, as
 * `serve` does.  SIGTERM or SIGINT: no new claims, the running job
 * finishes, the batch's jobs not started go back to the queue, exit 0.
 */
#ifndef GAZETTE_WORKER_H
#define GAZETTE_WORKER_H

#include <stdbool.h>

struct config;

/*
 * Run the worker until SIGTERM (or, with once, until no job is due).
 * The site's kinds must be registered (jobs_register) first.  Returns
 * the exit status: 0, 2 when it cannot start (pending migrations, no
 * database, templates), 1 on a fatal runtime error.
 */
int	 worker_run(struct config *cfg, int concurrency, bool once);

#endif
