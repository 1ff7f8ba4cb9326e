/*
 * metrics: counters shared by every worker.  The master maps them
 * (shared, anonymous memory) before it forks, so all workers of all
 * generations add to the same counters with C11 atomics and no lock.
 * Two views: a ring of the last METRICS_HOURS hourly buckets of requests,
 * 4xx and 5xx answers and their total duration, read by the admin's
 * dashboard (hours are UTC, aligned on the hour); and Prometheus metrics
 * (requests by route, method and status class, a duration histogram by
 * route, SQLite busy retries and step times, jobs by kind and outcome,
 * workers and their restarts, process memory) written by metrics_write()
 * and served at GET /metrics by metrics_page().  Every table is fixed in
 * size when the map is made: the routes are the router's at that time.
 */
#ifndef GAZETTE_METRICS_H
#define GAZETTE_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct buf;
struct req;

#define METRICS_HOURS	48

struct metrics_hour {
	int64_t		 start;		/* Unix time the hour began */
	uint64_t	 requests;	/* every answer */
	uint64_t	 errors;	/* status >= 500 */
	uint64_t	 client_errors;	/* 400 <= status < 500 */
	uint64_t	 duration_us;	/* sum over the hour's requests */
};

/* Upper bounds of the request duration histogram, seconds (+Inf added). */
#define METRICS_DURATION_BUCKETS \
	{ 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 }
/* Worker slots the master reports (its table's size, two generations). */
#define METRICS_PROCS	512
/* Distinct (job kind, outcome) pairs counted; more count as kind "other". */
#define METRICS_JOB_PAIRS	64

/*
 * Map the shared counters; call in the master before forking, after
 * router_init() (the route table sizes the per-route counters; routes
 * unknown then count as route "none").  A second call (a reload) keeps
 * the counters.  0, or -1 if mmap() failed (then every metrics_*
 * recorder does nothing and the counters read as 0).
 */
int	 metrics_init(void);

/* Count one finished request with its status and duration: lock-free,
 * safe from any number of processes at once. */
void	 metrics_record(int status, int64_t duration_us);

/*
 * Count one answered request for the Prometheus view and the hourly one:
 * route is router_index() of the matched route (-1: none), method an
 * enum http_method bit (M_GET ...), status the status sent.
 */
void	 metrics_record_request(int route, unsigned method, int status,
	    int64_t duration_us);

/* SQLite: one busy-handler call (a retry of a locked database), and one
 * sqlite3_step() that took duration_us. */
void	 metrics_db_busy(void);
void	 metrics_db_step(int64_t duration_us);

/*
 * Count one job run of kind with its outcome ("done", "retry", "dead",
 * ... as the job worker names them).  Both are copied (kind truncated to
 * 47 bytes, outcome to 15); when METRICS_JOB_PAIRS pairs exist already a
 * new pair counts under kind "other".  Lock-free, any process.
 */
void	 metrics_job(const char *kind, const char *outcome);

/*
 * Keep the job counters in the file at path (made 0600 if absent, mapped
 * shared) rather than in this process's map: `gazette serve` and
 * `gazette worker` are two process trees, and both call this with the
 * same path (the database's, plus "-metrics") before they fork, so
 * /metrics shows the jobs the worker ran.  Counts live as long as the
 * file (across restarts: counters may only grow).  0, or -1 after
 * logging (the counts then stay in this process).
 */
int	 metrics_jobs_share(const char *path);

/* The master: pid of its own, and of the worker in slot (0 when the slot
 * is empty), so the exposition can count live workers and read their
 * memory; a worker restarted after it died (died) or was recycled. */
void	 metrics_master_set(pid_t pid);
void	 metrics_worker_set(size_t slot, pid_t pid);
void	 metrics_worker_restart(bool died);

/*
 * Append every shared metric in the Prometheus text exposition format
 * (version 0.0.4) to out: HELP and TYPE for each family, then its
 * samples.  Reads /proc/PID/statm for process memory.  Database gauges
 * (the job queue) are metrics_page()'s.
 */
void	 metrics_write(struct buf *out);

/*
 * May this client scrape?  200 when remote_addr is this host (exactly
 * 127.0.0.1, ::1 or ::ffff:127.0.0.1, as nginx passes $remote_addr), or
 * when token is set ("" or NULL: none) and authorization is "Bearer
 * TOKEN" (compared in constant time); else 403 when a token is
 * configured, 404 when none is (the page does not exist for others).
 */
int	 metrics_may_scrape(const char *remote_addr, const char *authorization,
	    const char *token);

/*
 * GET /metrics: metrics_write() plus the job queue's gauges (when the
 * database has a jobs table), as text/plain; version=0.0.4, no-store.
 * 403/404 as metrics_may_scrape() says, with the config's metrics_token.
 */
int	 metrics_page(struct req *r);

/* Append v as it goes between a label's quotes: backslash, double quote
 * and newline written as \\, \" and \n, as the format requires. */
void	 metrics_label_escape(struct buf *out, const char *v);

/*
 * The last n hours (n is capped at METRICS_HOURS) into out, oldest first,
 * the current hour last; hours with no requests read as 0.  Returns how
 * many were written.
 */
size_t	 metrics_hourly(struct metrics_hour *out, size_t n);

#ifdef GAZETTE_TEST
/* Replace the clock (Unix seconds); NULL restores the real one. */
void	 metrics_clock_set(int64_t (*now)(void));
/* Zero every counter (tests that run without fork share the map). */
void	 metrics_clear(void);
/* Unmap everything, so the next metrics_init() sizes for new routes. */
void	 metrics_unmap(void);
#endif

#endif
