/*
 * metrics: counters in memory shared by the master and every worker.
 *
 * Prometheus counters are plain 64-bit words updated with relaxed
 * atomic adds; a histogram keeps one word per bucket (not cumulative:
 * one add per observation) and its sum, and the exposition makes the
 * buckets cumulative and takes _count from them, so a scrape never shows
 * a count that disagrees with its buckets.
 *
 * The hourly ring:   Each counter is one 64-bit word: the hour it belongs to
 * in the top 24 bits, the count in the low 40.  An update is one
 * compare-and-swap that either adds to the current hour or, when the
 * word still holds an older hour of the same ring slot, starts it over
 * at the new hour.  So rollover needs no lock and no "who clears the
 * bucket" race: a word of a past hour simply reads as 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "router.h"
#include "util.h"

#define COUNT_BITS	40
#define COUNT_MAX	((UINT64_C(1) << COUNT_BITS) - 1)
#define TAG_MASK	((UINT64_C(1) << (64 - COUNT_BITS)) - 1)

enum counter {
	C_REQUESTS,
	C_ERRORS,
	C_CLIENT_ERRORS,
	C_DURATION,
	C__MAX
};

struct slot {
	_Atomic uint64_t	 c[C__MAX];
};

static struct slot	*ring;		/* METRICS_HOURS slots, shared */

static int	 prom_init(void);

static int64_t
real_now(void)
{
	return (int64_t)time(NULL);
}

static int64_t	(*clock_now)(void) = real_now;

int
metrics_init(void)
{
	void	*p;

	if (ring != NULL)
		return prom_init();
	p = mmap(NULL, sizeof(struct slot) * METRICS_HOURS,
	    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		log_msg(LOG_ERROR, "msg=\"metrics: mmap failed; counting "
		    "nothing\"");
		return -1;
	}
	ring = p;		/* zero-filled by the kernel */
	return prom_init();
}

/* Add n to the word w for hour tag; the count saturates at COUNT_MAX. */
static void
add(_Atomic uint64_t *w, uint64_t tag, uint64_t n)
{
	uint64_t	 old, count, next;

	old = atomic_load_explicit(w, memory_order_relaxed);
	do {
		count = (old >> COUNT_BITS) == tag ? old & COUNT_MAX : 0;
		count = n > COUNT_MAX - count ? COUNT_MAX : count + n;
		next = (tag << COUNT_BITS) | count;
	} while (!atomic_compare_exchange_weak_explicit(w, &old, next,
	    memory_order_relaxed, memory_order_relaxed));
}

static uint64_t
get(_Atomic uint64_t *w, uint64_t tag)
{
	uint64_t	 v = atomic_load_explicit(w, memory_order_relaxed);

	return (v >> COUNT_BITS) == tag ? v & COUNT_MAX : 0;
}

void
metrics_record(int status, int64_t duration_us)
{
	int64_t		 hour;
	uint64_t	 tag;
	struct slot	*s;

	if (ring == NULL)
		return;
	hour = clock_now() / 3600;
	tag = (uint64_t)hour & TAG_MASK;
	s = &ring[hour % METRICS_HOURS];
	add(&s->c[C_REQUESTS], tag, 1);
	if (status >= 500)
		add(&s->c[C_ERRORS], tag, 1);
	else if (status >= 400)
		add(&s->c[C_CLIENT_ERRORS], tag, 1);
	if (duration_us > 0)
		add(&s->c[C_DURATION], tag, (uint64_t)duration_us);
}

size_t
metrics_hourly(struct metrics_hour *out, size_t n)
{
	int64_t	 now_hour = clock_now() / 3600;

	if (n > METRICS_HOURS)
		n = METRICS_HOURS;
	for (size_t i = 0; i < n; i++) {
		int64_t		 hour = now_hour - (int64_t)(n - 1 - i);
		uint64_t	 tag = (uint64_t)hour & TAG_MASK;
		struct slot	*s;

		memset(&out[i], 0, sizeof(out[i]));
		out[i].start = hour * 3600;
		if (ring == NULL || hour < 0)
			continue;
		s = &ring[hour % METRICS_HOURS];
		out[i].requests = get(&s->c[C_REQUESTS], tag);
		out[i].errors = get(&s->c[C_ERRORS], tag);
		out[i].client_errors = get(&s->c[C_CLIENT_ERRORS], tag);
		out[i].duration_us = get(&s->c[C_DURATION], tag);
	}
	return n;
}


/* ---- Prometheus ---------------------------------------------------------- */

enum method_label { ML_GET, ML_HEAD, ML_POST, ML_PUT, ML_PATCH, ML_DELETE,
	ML_OPTIONS, ML_OTHER, ML__MAX };
static const char *const method_names[ML__MAX] = { "GET", "HEAD", "POST",
	"PUT", "PATCH", "DELETE", "OPTIONS", "OTHER" };

#define CLASSES		5		/* 1xx .. 5xx */
static const double	 dur_le[] = METRICS_DURATION_BUCKETS;
#define DUR_N		(sizeof(dur_le) / sizeof(dur_le[0]))
static const double	 step_le[] = { 0.0001, 0.0005, 0.001, 0.005, 0.01,
	0.05, 0.1, 0.5, 1, 5 };
#define STEP_N		(sizeof(step_le) / sizeof(step_le[0]))

struct route_ctr {
	_Atomic uint64_t	 req[ML__MAX][CLASSES];
	_Atomic uint64_t	 dur[DUR_N + 1];	/* last: over the top */
	_Atomic uint64_t	 dur_sum_us;
};

struct job_pair {
	_Atomic int		 state;		/* 0 free, 1 claimed, 2 ready */
	char			 kind[48];
	char			 outcome[16];
	_Atomic uint64_t	 n;
};

struct prom {
	size_t			 nroutes;	/* route_ctr has nroutes + 1 */
	_Atomic int32_t		 master_pid;
	_Atomic int32_t		 worker_pid[METRICS_PROCS];
	_Atomic uint64_t	 restarts_died;
	_Atomic uint64_t	 restarts_recycled;
	_Atomic uint64_t	 db_busy;
	_Atomic uint64_t	 db_step[STEP_N + 1];
	_Atomic uint64_t	 db_step_sum_us;
	struct job_pair		 jobs[METRICS_JOB_PAIRS];
	struct route_ctr	 route[];	/* [nroutes]: "none" last */
};

static struct prom	*prom;
static size_t		 prom_size;

/*
 * The job counters: prom->jobs, or the file metrics_jobs_share() mapped
 * (the worker is another process tree than the server's).  The file
 * starts with this header; a file of another layout is started afresh.
 */
#define JOBS_FILE_MAGIC	"gazette-jobs-1"
struct jobs_file {
	char			 magic[16];
	uint64_t		 npairs;
	struct job_pair		 pair[METRICS_JOB_PAIRS];
};
static struct job_pair	*pairs;
static struct jobs_file	*jobs_file;

static int
prom_init(void)
{
	size_t	 n = router_count();
	void	*p;

	if (prom != NULL)
		return 0;
	prom_size = sizeof(struct prom) + (n + 1) * sizeof(struct route_ctr);
	p = mmap(NULL, prom_size, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		log_msg(LOG_ERROR, "msg=\"metrics: mmap failed; counting "
		    "nothing\"");
		return -1;
	}
	prom = p;		/* zero-filled by the kernel */
	prom->nroutes = n;
	if (pairs == NULL)
		pairs = prom->jobs;
	return 0;
}

int
metrics_jobs_share(const char *path)
{
	struct jobs_file	*f;
	struct stat		 sb;
	int			 fd;

	if (jobs_file != NULL)
		return 0;
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0 ||
	    fstat(fd, &sb) != 0) {
		log_msg(LOG_WARN, "msg=\"metrics: cannot open %s: %s; job "
		    "counts stay in this process\"", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* A new file is zero-filled to size (two processes doing this at
	 * once do the same thing); one of another size (another layout)
	 * is emptied first. */
	if ((size_t)sb.st_size != sizeof(*f) && ((sb.st_size > 0 &&
	    ftruncate(fd, 0) != 0) || ftruncate(fd, sizeof(*f)) != 0)) {
		log_msg(LOG_WARN, "msg=\"metrics: cannot size %s: %s\"", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	f = mmap(NULL, sizeof(*f), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (f == MAP_FAILED) {
		log_msg(LOG_WARN, "msg=\"metrics: cannot map %s: %s\"", path,
		    strerror(errno));
		return -1;
	}
	if (memcmp(f->magic, JOBS_FILE_MAGIC, sizeof(JOBS_FILE_MAGIC)) != 0 ||
	    f->npairs != METRICS_JOB_PAIRS) {
		if (f->magic[0] != '\0')
			memset(f->pair, 0, sizeof(f->pair));
		f->npairs = METRICS_JOB_PAIRS;
		memcpy(f->magic, JOBS_FILE_MAGIC, sizeof(JOBS_FILE_MAGIC));
	}
	jobs_file = f;
	pairs = f->pair;
	return 0;
}

static void
inc(_Atomic uint64_t *w, uint64_t n)
{
	atomic_fetch_add_explicit(w, n, memory_order_relaxed);
}

static uint64_t
val(_Atomic uint64_t *w)
{
	return atomic_load_explicit(w, memory_order_relaxed);
}

/* The bucket of a duration in seconds: the first bound it does not pass. */
static size_t
bucket(const double *le, size_t n, int64_t us)
{
	double	 s = (double)us / 1e6;
	size_t	 i = 0;

	while (i < n && s > le[i])
		i++;
	return i;
}

static enum method_label
method_label(unsigned m)
{
	switch (m) {
	case M_GET:	return ML_GET;
	case M_HEAD:	return ML_HEAD;
	case M_POST:	return ML_POST;
	case M_PUT:	return ML_PUT;
	case M_PATCH:	return ML_PATCH;
	case M_DELETE:	return ML_DELETE;
	case M_OPTIONS:	return ML_OPTIONS;
	default:	return ML_OTHER;
	}
}

void
metrics_record_request(int route, unsigned method, int status,
    int64_t duration_us)
{
	struct route_ctr	*c;
	int			 cls;

	metrics_record(status, duration_us);
	if (prom == NULL)
		return;
	if (route < 0 || (size_t)route >= prom->nroutes)
		route = (int)prom->nroutes;	/* "none" */
	if (duration_us < 0)
		duration_us = 0;
	cls = status / 100 - 1;
	cls = cls < 0 ? 0 : cls >= CLASSES ? CLASSES - 1 : cls;
	c = &prom->route[route];
	inc(&c->req[method_label(method)][cls], 1);
	inc(&c->dur[bucket(dur_le, DUR_N, duration_us)], 1);
	inc(&c->dur_sum_us, (uint64_t)duration_us);
}

void
metrics_db_busy(void)
{
	if (prom != NULL)
		inc(&prom->db_busy, 1);
}

void
metrics_db_step(int64_t duration_us)
{
	if (prom == NULL)
		return;
	if (duration_us < 0)
		duration_us = 0;
	inc(&prom->db_step[bucket(step_le, STEP_N, duration_us)], 1);
	inc(&prom->db_step_sum_us, (uint64_t)duration_us);
}

/*
 * The slot of (kind, outcome): open addressing from a hash of the pair,
 * in the same probe order for every process.  A slot is claimed with a
 * compare-and-swap (0 -> 1), filled, then published (2); a process that
 * meets a claimed slot waits for it to be published before comparing,
 * so two processes counting a new pair at once end in the same slot and
 * a pair never appears twice.  NULL when the table is full.
 */
static struct job_pair *
job_slot(const char *kind, const char *outcome)
{
	uint32_t	 h = 2166136261u;

	for (const char *p = kind; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	h = (h ^ 0xff) * 16777619u;
	for (const char *p = outcome; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (size_t i = 0; i < METRICS_JOB_PAIRS; i++) {
		struct job_pair	*j = &pairs[(h + i) % METRICS_JOB_PAIRS];
		int		 st = 0;
		long		 spins = 0;

		if (atomic_compare_exchange_strong(&j->state, &st, 1)) {
			snprintf(j->kind, sizeof(j->kind), "%s", kind);
			snprintf(j->outcome, sizeof(j->outcome), "%s", outcome);
			atomic_store_explicit(&j->state, 2,
			    memory_order_release);
			return j;
		}
		while ((st = atomic_load_explicit(&j->state,
		    memory_order_acquire)) == 1)
			if (++spins > 10000000)	/* its writer died mid-copy */
				return NULL;
		if (strncmp(j->kind, kind, sizeof(j->kind) - 1) == 0 &&
		    strncmp(j->outcome, outcome, sizeof(j->outcome) - 1) == 0)
			return j;
	}
	return NULL;
}

void
metrics_job(const char *kind, const char *outcome)
{
	struct job_pair	*j;

	if (pairs == NULL)
		return;
	if (kind == NULL || *kind == '\0')
		kind = "none";
	if (outcome == NULL || *outcome == '\0')
		outcome = "none";
	if ((j = job_slot(kind, outcome)) == NULL &&
	    (j = job_slot("other", outcome)) == NULL)
		return;
	inc(&j->n, 1);
}

void
metrics_master_set(pid_t pid)
{
	if (prom != NULL)
		atomic_store(&prom->master_pid, (int32_t)pid);
}

void
metrics_worker_set(size_t slot, pid_t pid)
{
	if (prom != NULL && slot < METRICS_PROCS)
		atomic_store(&prom->worker_pid[slot], (int32_t)pid);
}

void
metrics_worker_restart(bool died)
{
	if (prom != NULL)
		inc(died ? &prom->restarts_died : &prom->restarts_recycled, 1);
}

void
metrics_label_escape(struct buf *out, const char *v)
{
	for (; *v != '\0'; v++) {
		if (*v == '\\')
			buf_puts(out, "\\\\");
		else if (*v == '"')
			buf_puts(out, "\\\"");
		else if (*v == '\n')
			buf_puts(out, "\\n");
		else
			buf_putc(out, *v);
	}
}

static void
family(struct buf *out, const char *name, const char *type,
    const char *help)
{
	buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
	    type);
}

/*
 * One histogram's samples: name_bucket{labels,le=...} cumulative, then
 * _sum (seconds) and _count.  labels is "" or 'key="value",' (escaped,
 * with its trailing comma); b has n + 1 words.
 */
static void
histogram(struct buf *out, const char *name, const char *labels,
    const double *le, size_t n, _Atomic uint64_t *b, uint64_t sum_us)
{
	uint64_t	 cum = 0;
	size_t		 ll = strlen(labels);

	for (size_t i = 0; i <= n; i++) {
		cum += val(&b[i]);
		if (i < n)
			buf_printf(out, "%s_bucket{%sle=\"%g\"} %" PRIu64 "\n",
			    name, labels, le[i], cum);
		else
			buf_printf(out, "%s_bucket{%sle=\"+Inf\"} %" PRIu64
			    "\n", name, labels, cum);
	}
	/* _sum and _count carry the labels without the trailing comma. */
	buf_printf(out, "%s_sum%s%.*s%s %.6f\n", name, ll ? "{" : "",
	    (int)(ll ? ll - 1 : 0), labels, ll ? "}" : "",
	    (double)sum_us / 1e6);
	buf_printf(out, "%s_count%s%.*s%s %" PRIu64 "\n", name, ll ? "{" : "",
	    (int)(ll ? ll - 1 : 0), labels, ll ? "}" : "", cum);
}

static const char *
route_label(size_t i)
{
	const char	*n = i < prom->nroutes ? router_name(i) : NULL;

	return n != NULL ? n : "none";
}

/* Resident set of process pid in bytes, from /proc/PID/statm; -1. */
static long long
rss_bytes(pid_t pid)
{
	char		 path[64];
	long long	 size, res;
	FILE		*f;
	int		 n;

	snprintf(path, sizeof(path), "/proc/%d/statm", (int)pid);
	if ((f = fopen(path, "re")) == NULL)
		return -1;
	n = fscanf(f, "%lld %lld", &size, &res);
	fclose(f);
	return n == 2 ? res * sysconf(_SC_PAGESIZE) : -1;
}

void
metrics_write(struct buf *out)
{
	struct buf	 lab;
	int32_t		 pid;
	long long	 rss;
	int		 alive = 0;

	if (prom == NULL)
		return;
	buf_init(&lab);

	family(out, "gazette_http_requests_total", "counter",
	    "Requests answered, by route name, method and status class.");
	for (size_t i = 0; i <= prom->nroutes; i++)
		for (size_t m = 0; m < ML__MAX; m++)
			for (int c = 0; c < CLASSES; c++) {
				uint64_t v = val(&prom->route[i].req[m][c]);

				if (v == 0)
					continue;
				buf_reset(&lab);
				metrics_label_escape(&lab, route_label(i));
				buf_printf(out, "gazette_http_requests_total"
				    "{route=\"%s\",method=\"%s\",status="
				    "\"%dxx\"} %" PRIu64 "\n", lab.ptr,
				    method_names[m], c + 1, v);
			}

	family(out, "gazette_http_request_duration_seconds", "histogram",
	    "Time from accepting a request to its answer sent, by route.");
	for (size_t i = 0; i <= prom->nroutes; i++) {
		struct route_ctr	*c = &prom->route[i];
		uint64_t		 any = 0;

		for (size_t k = 0; k <= DUR_N; k++)
			any |= val(&c->dur[k]);
		if (any == 0)
			continue;
		buf_reset(&lab);
		buf_puts(&lab, "route=\"");
		metrics_label_escape(&lab, route_label(i));
		buf_puts(&lab, "\",");
		histogram(out, "gazette_http_request_duration_seconds",
		    lab.ptr, dur_le, DUR_N, c->dur, val(&c->dur_sum_us));
	}

	family(out, "gazette_db_busy_retries_total", "counter",
	    "Times SQLite found the database locked and waited to retry.");
	buf_printf(out, "gazette_db_busy_retries_total %" PRIu64 "\n",
	    val(&prom->db_busy));
	family(out, "gazette_db_step_seconds", "histogram",
	    "Time of each sqlite3_step() call (one row, or the whole "
	    "statement when it returns none).");
	histogram(out, "gazette_db_step_seconds", "", step_le, STEP_N,
	    prom->db_step, val(&prom->db_step_sum_us));

	family(out, "gazette_jobs_total", "counter",
	    "Background jobs run, by kind and outcome.");
	for (size_t i = 0; i < METRICS_JOB_PAIRS; i++) {
		struct job_pair	*j = &pairs[i];

		if (atomic_load_explicit(&j->state, memory_order_acquire) != 2)
			continue;
		buf_reset(&lab);
		buf_puts(&lab, "kind=\"");
		metrics_label_escape(&lab, j->kind);
		buf_puts(&lab, "\",outcome=\"");
		metrics_label_escape(&lab, j->outcome);
		buf_printf(out, "gazette_jobs_total{%s\"} %" PRIu64 "\n",
		    lab.ptr, val(&j->n));
	}

	family(out, "gazette_worker_restarts_total", "counter",
	    "Workers the master started again: after one died (crash, "
	    "kill) or was recycled (max_requests).");
	buf_printf(out, "gazette_worker_restarts_total{reason=\"died\"} %"
	    PRIu64 "\n", val(&prom->restarts_died));
	buf_printf(out, "gazette_worker_restarts_total{reason=\"recycled\"} %"
	    PRIu64 "\n", val(&prom->restarts_recycled));

	family(out, "gazette_process_resident_memory_bytes", "gauge",
	    "Resident memory of the master and of each worker, by slot.");
	if ((pid = atomic_load(&prom->master_pid)) > 0 &&
	    (rss = rss_bytes(pid)) >= 0)
		buf_printf(out, "gazette_process_resident_memory_bytes"
		    "{process=\"master\"} %lld\n", rss);
	for (size_t i = 0; i < METRICS_PROCS; i++) {
		if ((pid = atomic_load(&prom->worker_pid[i])) <= 0)
			continue;
		alive++;
		if ((rss = rss_bytes(pid)) >= 0)
			buf_printf(out, "gazette_process_resident_memory_bytes"
			    "{process=\"worker\",slot=\"%zu\"} %lld\n", i, rss);
	}
	family(out, "gazette_workers", "gauge",
	    "Worker processes alive (draining ones of an old generation too).");
	buf_printf(out, "gazette_workers %d\n", alive);
	buf_free(&lab);
}

int
metrics_may_scrape(const char *remote_addr, const char *authorization,
    const char *token)
{
	unsigned char	 a[crypto_generichash_BYTES];
	unsigned char	 b[crypto_generichash_BYTES];
	const char	*given;

	if (remote_addr != NULL && (strcmp(remote_addr, "127.0.0.1") == 0 ||
	    strcmp(remote_addr, "::1") == 0 ||
	    strcmp(remote_addr, "::ffff:127.0.0.1") == 0))
		return HTTP_200;
	if (token == NULL || *token == '\0')
		return HTTP_404;
	if (authorization == NULL || strncasecmp(authorization, "Bearer ", 7)
	    != 0)
		return HTTP_403;
	given = authorization + 7;
	while (*given == ' ')
		given++;
	/* Equal-length digests, so the comparison time says nothing of
	 * the token, not even its length. */
	crypto_generichash(a, sizeof(a), (const unsigned char *)given,
	    strlen(given), NULL, 0);
	crypto_generichash(b, sizeof(b), (const unsigned char *)token,
	    strlen(token), NULL, 0);
	return sodium_memcmp(a, b, sizeof(a)) == 0 ? HTTP_200 : HTTP_403;
}

static int	 jobs_known = -1;	/* jobs table: -1 not looked up, 0 no, 1 yes */

/*
 * Is there a jobs table?  Looked up once per process: a migration that
 * adds it needs a restart or reload (new workers) to be served anyway.
 */
static bool
has_jobs_table(struct req *r)
{
	static const char	 sql[] = "SELECT 1 FROM sqlite_master"
	    " WHERE type = 'table' AND name = ?1";
	sqlite3_stmt		*st;

	if (jobs_known >= 0)
		return jobs_known == 1;
	if ((st = db_stmt(r, sql)) == NULL)
		return false;
	db_bind_text(r, st, 1, "jobs");
	jobs_known = db_step(r, st) == SQLITE_ROW;
	db_done(r, st);
	if (r->failed)
		jobs_known = -1;
	return jobs_known == 1;
}

/* The job queue's gauges, when there is a queue: jobs waiting to run,
 * first runs ('queued') and retries ('failed') alike. */
static void
write_jobs(struct req *r, struct buf *out)
{
	static const char	 sql[] = "SELECT count(*),"
	    " min(CASE WHEN run_at <= ?1 THEN run_at END)"
	    " FROM jobs WHERE state IN ('queued', 'failed')";
	sqlite3_stmt		*st;
	int64_t			 now = util_wall_us() / 1000000;
	long long		 depth = 0, age = 0;

	if (!has_jobs_table(r) || (st = db_stmt(r, sql)) == NULL)
		return;
	db_bind_int64(r, st, 1, now);
	if (db_step(r, st) == SQLITE_ROW) {
		depth = sqlite3_column_int64(st, 0);
		if (sqlite3_column_type(st, 1) != SQLITE_NULL)
			age = now - sqlite3_column_int64(st, 1);
	}
	db_done(r, st);
	if (r->failed)
		return;
	family(out, "gazette_jobs_queued", "gauge",
	    "Jobs waiting in the queue (state queued), due or not.");
	buf_printf(out, "gazette_jobs_queued %lld\n", depth);
	family(out, "gazette_jobs_oldest_queued_age_seconds", "gauge",
	    "How long the oldest due queued job has waited past its run_at "
	    "(0: none is due).");
	buf_printf(out, "gazette_jobs_oldest_queued_age_seconds %lld\n",
	    age < 0 ? 0 : age);
}

int
metrics_page(struct req *r)
{
	const struct config	*c = config_current();
	int			 status;

	status = metrics_may_scrape(r->remote_addr,
	    req_header(r, "Authorization"), c != NULL ? c->metrics_token : NULL);
	if (status != HTTP_200)
		return status;
	http_set_header(r, "Cache-Control", "no-store");
	r->content_type = "text/plain; version=0.0.4; charset=utf-8";
	metrics_write(&r->out);
	write_jobs(r, &r->out);
	return HTTP_200;
}

#ifdef GAZETTE_TEST
void
metrics_clock_set(int64_t (*now)(void))
{
	clock_now = now != NULL ? now : real_now;
}

void
metrics_clear(void)
{
	if (ring == NULL)
		return;
	for (size_t i = 0; i < METRICS_HOURS; i++)
		for (size_t j = 0; j < C__MAX; j++)
			atomic_store(&ring[i].c[j], 0);
	if (prom != NULL) {
		size_t	 n = prom->nroutes;

		memset(prom, 0, prom_size);
		prom->nroutes = n;
	}
	if (jobs_file != NULL)
		memset(jobs_file->pair, 0, sizeof(jobs_file->pair));
}

void
metrics_unmap(void)
{
	if (ring != NULL)
		munmap(ring, sizeof(struct slot) * METRICS_HOURS);
	if (prom != NULL)
		munmap(prom, prom_size);
	if (jobs_file != NULL)
		munmap(jobs_file, sizeof(*jobs_file));
	ring = NULL;
	prom = NULL;
	jobs_file = NULL;
	pairs = NULL;
	jobs_known = -1;
}
#endif
