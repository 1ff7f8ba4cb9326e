/*
 * server: master and prefork workers over one FastCGI listening socket.
 *
 * The master blocks its signals and takes them with sigtimedwait(), so
 * SIGCHLD, SIGHUP and SIGTERM are handled in one loop without races.
 * Workers block the same signals except inside ppoll() on the listening
 * socket (which is non-blocking: a worker that loses the race for a
 * connection gets EAGAIN and polls again).  A signal can therefore only
 * arrive between requests, and a worker told to stop finishes the
 * request it has before it exits.
 */
#include <errno.h>
#include <fcgiapp.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "api.h"
#include "auth.h"
#include "buf.h"
#include "cache.h"
#include "config.h"
#include "csrf.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "ratelimit.h"
#include "migrate.h"
#include "render.h"
#include "router.h"
#include "server.h"
#include "session.h"
#include "util.h"

#define MAX_WORKERS	256
#define BACKOFF_MIN_US	100000
#define BACKOFF_MAX_US	10000000
#define QUICK_DEATH_US	1000000

struct worker {
	pid_t	 pid;		/* 0: free slot */
	int	 generation;
	int64_t	 started_us;
};

static volatile sig_atomic_t	 worker_stop;

static void
on_stop(int sig)
{
	(void)sig;
	worker_stop = 1;
}

static void
on_chld(int sig)
{
	(void)sig;
}

/* Is fd a listening socket (inherited from spawn-fcgi or systemd)? */
static bool
is_listening_socket(int fd)
{
	int		 v = 0;
	socklen_t	 len = sizeof(v);

	return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &len) == 0 &&
	    v != 0;
}

/*
 * The listening socket: systemd's fd 3, spawn-fcgi's fd 0, or our own
 * unix socket at cfg->socket.  *owned says whether we must unlink it.
 */
static int
listen_socket(const struct config *cfg, bool *owned)
{
	struct sockaddr_un	 sa;
	const char		*pid = getenv("LISTEN_PID");
	const char		*fds = getenv("LISTEN_FDS");
	int			 fd;

	*owned = false;
	if (pid != NULL && fds != NULL && atol(pid) == (long)getpid() &&
	    atoi(fds) >= 1 && is_listening_socket(3)) {
		log_msg(LOG_INFO, "msg=\"using socket from systemd\" fd=3");
		return 3;
	}
	if (is_listening_socket(0)) {
		log_msg(LOG_INFO, "msg=\"using inherited socket\" fd=0");
		return 0;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(cfg->socket) >= sizeof(sa.sun_path)) {
		log_msg(LOG_ERROR, "msg=\"socket path too long (max %zu "
		    "bytes): set a shorter socket in the config\"",
		    sizeof(sa.sun_path) - 1);
		return -1;
	}
	strcpy(sa.sun_path, cfg->socket);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		log_msg(LOG_ERROR, "msg=\"socket: %s\"", strerror(errno));
		return -1;
	}
	/* A socket file left by a crash is stale if nobody answers on it. */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		log_msg(LOG_ERROR, "msg=\"another server is listening on %s: "
		    "stop it or set another socket\"", cfg->socket);
		close(fd);
		return -1;
	}
	close(fd);
	unlink(cfg->socket);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    chmod(cfg->socket, (mode_t)cfg->socket_mode) != 0 ||
	    listen(fd, 1024) != 0) {
		log_msg(LOG_ERROR, "msg=\"cannot listen on %s: %s (does its "
		    "directory exist and is it writable?)\"", cfg->socket,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*owned = true;
	return fd;
}

static void
log_request(struct req *r, int status)
{
	char	 path[600], method[40];
	/* Probes and scrapes that succeed are not worth an info line each. */
	bool	 quiet = r->route != NULL && (r->route->flags & ROUTE_QUIET) &&
	    status < 400;

	log_msg(quiet ? LOG_DEBUG : LOG_INFO, "rid=%s method=%s path=%s status=%d dur_us=%lld "
	    "bytes=%zu", r->request_id, log_quote(method, sizeof(method),
	    r->method_name), log_quote(path, sizeof(path), r->raw_path),
	    status, (long long)(util_mono_us() - r->start_us), r->bytes_sent);
}

int
server_handle(struct req *r, char **env, const char *body, size_t body_len,
    int early_status, struct buf *out)
{
	int	 status, parse;

	parse = http_parse(r, env, body, body_len);
	status = early_status != 0 ? early_status : parse;
	if (status == 0)
		session_load(r);
	if (status == 0 && !r->failed)
		status = router_dispatch(r);
	if (r->failed) {
		db_rollback(r);
		status = r->failed;
	} else if (db_in_tx()) {
		/* A handler that forgot to commit: that is a bug. */
		db_rollback(r);
		req_fail(r, 500, "handler left a transaction open");
		status = 500;
	}
	if ((status >= 500 || (status >= 400 && r->out.len == 0)) &&
	    api_is_request(r))
		api_render_error(r, status);
	else if ((status >= 500 && !(r->own_error_body && !r->failed)) ||
	    (status >= 400 && r->out.len == 0))
		render_error(r, status);
	else
		cache_store(r, status);
	buf_reset(out);
	http_serialize(r, status, out);
	return status;
}

/*
 * Read the body announced by CONTENT_LENGTH into the arena.  A body over
 * the limit is read and dropped (nginx has bounded it already) so the
 * connection stays clean; *early gets 400 or 413 when the request must
 * be refused before parsing.
 */
static const char *
read_body(struct req *r, FCGX_Request *fr, size_t *len, int *early)
{
	const char	*cl = FCGX_GetParam("CONTENT_LENGTH", fr->envp);
	long long	 n = 0;
	char		*body, scratch[8192];
	int		 k;

	*len = 0;
	*early = 0;
	if (cl != NULL && *cl != '\0' &&
	    util_parse_int(cl, 0, LLONG_MAX, &n) != 0) {
		r->error_detail = "The Content-Length header is not a number.";
		*early = HTTP_400;
		return NULL;
	}
	if ((unsigned long long)n > http_body_limit(r->limits,
	    FCGX_GetParam("CONTENT_TYPE", fr->envp))) {
		while (FCGX_GetStr(scratch, sizeof(scratch), fr->in) > 0)
			;
		*early = HTTP_413;
		return NULL;
	}
	if (n == 0)
		return NULL;
	body = arena_alloc(r->arena, (size_t)n + 1);
	for (size_t got = 0; got < (size_t)n; got += (size_t)k)
		if ((k = FCGX_GetStr(body + got, (int)((size_t)n - got),
		    fr->in)) <= 0) {
			r->error_detail = "The request body ended early.";
			*early = HTTP_400;
			return NULL;
		}
	body[n] = '\0';
	*len = (size_t)n;
	return body;
}

static int
worker_main(const struct config *cfg, int lfd)
{
	struct http_limits	 limits;
	struct req		 r;
	struct buf		 out;
	FCGX_Request		 fr;
	struct sigaction	 sa;
	sigset_t		 waitmask;
	char			 err[512];
	long			 served = 0;
	int			 exit_code = 0;

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;		/* no SA_RESTART */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&waitmask);

	if (db_open(cfg, false, err, sizeof(err)) != 0) {
		log_msg(LOG_ERROR, "msg=\"worker cannot start: %s\"", err);
		return 3;
	}
	if (FCGX_Init() != 0 || FCGX_InitRequest(&fr, lfd, 0) != 0) {
		log_msg(LOG_ERROR, "msg=\"FCGX_Init failed\"");
		return 3;
	}
	http_limits_from_config(&limits, cfg);
	req_init(&r, &limits);
	buf_init(&out);

	while (!worker_stop && (cfg->max_requests == 0 ||
	    served < cfg->max_requests)) {
		struct pollfd	 pfd = { lfd, POLLIN, 0 };
		const char	*body;
		size_t		 len;
		int		 rc, early, status;

		if (ppoll(&pfd, 1, NULL, &waitmask) < 0) {
			if (errno == EINTR)
				continue;
			log_msg(LOG_ERROR, "msg=\"poll: %s\"", strerror(errno));
			exit_code = 4;
			break;
		}
		if ((rc = FCGX_Accept_r(&fr)) < 0) {
			if (rc == -EAGAIN || rc == -EWOULDBLOCK || rc == -EINTR ||
			    rc == -ECONNABORTED)
				continue;
			log_msg(LOG_ERROR, "msg=\"accept failed\" rc=%d", rc);
			exit_code = 4;
			break;
		}
		r.start_us = util_mono_us();
		body = read_body(&r, &fr, &len, &early);
		status = server_handle(&r, fr.envp, body, len, early, &out);
		if (FCGX_PutStr(out.ptr, (int)out.len, fr.out) < 0)
			log_msg(LOG_WARN, "rid=%s msg=\"client went away\"",
			    r.request_id);
		r.bytes_sent = r.method == M_HEAD ? 0 : r.out.len;
		FCGX_Finish_r(&fr);
		log_request(&r, status);
		metrics_record_request(router_index(r.route), r.method, status,
		    util_mono_us() - r.start_us);
		render_reset(&r);
		req_reset(&r);
		served++;
	}
	FCGX_Free(&fr, 1);
	req_free(&r);
	buf_free(&out);
	db_close();
	return exit_code;	/* 0: stopped or recycled; the master knows */
}

static pid_t
spawn(const struct config *cfg, int lfd, struct worker *ws, size_t slot,
    int generation)
{
	struct worker	*w = &ws[slot];
	pid_t	 pid;

	if ((pid = fork()) < 0) {
		log_msg(LOG_ERROR, "msg=\"fork: %s\"", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		sigset_t	 none;
		int		 rc;

		sigemptyset(&none);
		rc = worker_main(cfg, lfd);
		sigprocmask(SIG_SETMASK, &none, NULL);
		_exit(rc);
	}
	w->pid = pid;
	w->generation = generation;
	w->started_us = util_mono_us();
	metrics_worker_set(slot, pid);
	log_msg(LOG_DEBUG, "msg=\"worker started\" worker=%d", (int)pid);
	return pid;
}

/*
 * Per-process state every worker inherits: templates, the secret, the
 * session, CSRF and permission hooks.  0, or -1 with the fix in err.
 */
static int
app_init(const struct config *cfg, char *err, size_t errlen)
{
	*err = '\0';
	if (render_init(cfg, err, errlen) != 0 ||
	    auth_init(cfg, err, errlen) != 0)
		return -1;
	config_set_current(cfg);
	session_init(cfg);
	csrf_init(cfg, auth_mac_hex);
	cache_init(cfg);
	router_set_perm_check(auth_route_may);
	metrics_init();		/* before the fork; kept across reloads */
	ratelimit_init();	/* likewise: the API's counters */
	{
		/* The job counters, shared with `gazette worker`. */
		char	 path[4096];

		snprintf(path, sizeof(path), "%s-metrics", cfg->database);
		metrics_jobs_share(path);
	}
	return 0;
}

/* Check the database is migrated; 0, or -1 after logging the fix. */
static int
check_ready(const struct config *cfg)
{
	char		 err[512];
	const char	*first = NULL;
	int		 n;

	if (db_open(cfg, false, err, sizeof(err)) != 0) {
		log_msg(LOG_ERROR, "msg=\"%s\"", err);
		return -1;
	}
	n = migrate_pending(cfg->sql_dir, &first, err, sizeof(err));
	db_close();
	if (n < 0) {
		log_msg(LOG_ERROR, "msg=\"%s\"", err);
		return -1;
	}
	if (n > 0) {
		log_msg(LOG_ERROR, "msg=\"%d migration(s) pending, first %s: "
		    "run 'gazette migrate' first\"", n, first);
		return -1;
	}
	return 0;
}

static int
count_alive(const struct worker *w, size_t n, int generation)
{
	int	 k = 0;

	for (size_t i = 0; i < n; i++)
		if (w[i].pid > 0 && (generation < 0 ||
		    w[i].generation == generation))
			k++;
	return k;
}

static void
signal_generation(struct worker *w, size_t n, int generation, int sig)
{
	for (size_t i = 0; i < n; i++)
		if (w[i].pid > 0 && (generation < 0 ||
		    w[i].generation == generation))
			kill(w[i].pid, sig);
}

int
server_run(struct config *cfg)
{
	static struct worker	 w[MAX_WORKERS * 2];
	int64_t			 restart_at[MAX_WORKERS * 2];
	struct sigaction	 sa;
	sigset_t		 set;
	bool			 owned, stopping = false;
	int			 lfd, nworkers, generation = 1;
	int64_t			 backoff = BACKOFF_MIN_US, stop_deadline = 0;
	char			 err[512];

	if (check_ready(cfg) != 0)
		return 2;
	if (app_init(cfg, err, sizeof(err)) != 0) {
		log_msg(LOG_ERROR, "msg=\"%s\"", err);
		return 2;
	}
	if ((lfd = listen_socket(cfg, &owned)) < 0)
		return 2;
	metrics_master_set(getpid());
	fcntl(lfd, F_SETFL, fcntl(lfd, F_GETFL) | O_NONBLOCK);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_chld;
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);

	nworkers = config_workers(cfg);
	if (nworkers > MAX_WORKERS)
		nworkers = MAX_WORKERS;
	memset(restart_at, 0, sizeof(restart_at));
	for (int i = 0; i < nworkers; i++)
		spawn(cfg, lfd, w, (size_t)i, generation);
	log_msg(LOG_INFO, "msg=\"serving\" socket=%s workers=%d",
	    owned ? cfg->socket : "inherited", nworkers);

	for (;;) {
		struct timespec	 ts = { 1, 0 };
		siginfo_t	 si;
		int64_t		 now = util_mono_us();
		int		 sig, status;
		pid_t		 pid;

		/* Restart slots whose backoff has passed. */
		for (int i = 0; i < nworkers && !stopping; i++) {
			if (w[i].pid != 0 || restart_at[i] == 0)
				continue;
			if (restart_at[i] <= now) {
				restart_at[i] = 0;
				spawn(cfg, lfd, w, (size_t)i, generation);
			} else if (restart_at[i] - now < 1000000)
				ts.tv_sec = 0, ts.tv_nsec =
				    (long)(restart_at[i] - now) * 1000;
		}
		if (stopping && (count_alive(w, NELEM(w), -1) == 0))
			break;
		if (stopping && stop_deadline - now < 1000000 &&
		    stop_deadline > now) {
			int64_t	 left = stop_deadline - now;

			if (left < (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000) {
				ts.tv_sec = 0;
				ts.tv_nsec = (long)left * 1000;
			}
		}
		if (stopping && now >= stop_deadline) {
			log_msg(LOG_WARN, "msg=\"shutdown timeout: killing %d "
			    "worker(s)\"", count_alive(w, NELEM(w), -1));
			signal_generation(w, NELEM(w), -1, SIGKILL);
			stop_deadline = now + 5000000;
		}
		sig = sigtimedwait(&set, &si, &ts);
		if (sig == SIGHUP && !stopping) {
			struct config	 ncfg = { 0 };
			int		 old = generation;

			if (config_load(&ncfg, cfg->path, err,
			    sizeof(err)) != 0) {
				log_msg(LOG_ERROR, "msg=\"reload refused, keeping "
				    "the running config: %s\"", err);
				config_free(&ncfg);
				continue;
			}
			if (check_ready(&ncfg) != 0 ||
			    app_init(&ncfg, err, sizeof(err)) != 0) {
				log_msg(LOG_ERROR, "msg=\"reload refused, keeping "
				    "the running config: %s\"", err);
				config_free(&ncfg);
				app_init(cfg, err, sizeof(err));
				continue;
			}
			if (strcmp(ncfg.socket, cfg->socket) != 0)
				log_msg(LOG_WARN, "msg=\"socket changes need a "
				    "restart; keeping %s\"", cfg->socket);
			log_set_level((enum log_level)
			    log_level_parse(ncfg.log_level));
			log_set_json(strcmp(ncfg.log_format, "json") == 0);
			config_free(cfg);
			*cfg = ncfg;
			generation++;
			/* Old workers move to the upper half of the table and
			 * drain there; the new generation takes the slots. */
			for (int i = 0; i < nworkers; i++) {
				if (w[i].pid == 0)
					continue;
				for (size_t j = MAX_WORKERS; j < NELEM(w); j++)
					if (w[j].pid == 0) {
						w[j] = w[i];
						metrics_worker_set(j, w[j].pid);
						break;
					}
				w[i].pid = 0;
				metrics_worker_set((size_t)i, 0);
			}
			nworkers = config_workers(cfg);
			if (nworkers > MAX_WORKERS)
				nworkers = MAX_WORKERS;
			for (int i = 0; i < nworkers; i++) {
				restart_at[i] = 0;
				spawn(cfg, lfd, w, (size_t)i, generation);
			}
			signal_generation(w, NELEM(w), old, SIGTERM);
			log_msg(LOG_INFO, "msg=\"reloaded\" workers=%d "
			    "generation=%d", nworkers, generation);
		} else if ((sig == SIGTERM || sig == SIGINT) && !stopping) {
			stopping = true;
			stop_deadline = util_mono_us() +
			    cfg->shutdown_timeout * 1000000;
			log_msg(LOG_INFO, "msg=\"shutting down\" signal=%s "
			    "workers=%d", sig == SIGTERM ? "TERM" : "INT",
			    count_alive(w, NELEM(w), -1));
			signal_generation(w, NELEM(w), -1, SIGTERM);
			/* New connections now fail at once instead of queueing
			 * behind workers that will not accept them. */
			if (owned) {
				unlink(cfg->socket);
				owned = false;
			}
		}
		/* Reap whatever died, whichever signal woke us. */
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			for (size_t i = 0; i < NELEM(w); i++) {
				int64_t	 lived;

				if (w[i].pid != pid)
					continue;
				w[i].pid = 0;
				metrics_worker_set(i, 0);
				lived = util_mono_us() - w[i].started_us;
				if (stopping || w[i].generation != generation) {
					log_msg(LOG_DEBUG, "msg=\"worker retired\" "
					    "worker=%d", (int)pid);
					break;
				}
				if (WIFEXITED(status) &&
				    WEXITSTATUS(status) == 0) {
					log_msg(LOG_INFO, "msg=\"worker recycled\" "
					    "worker=%d", (int)pid);
					metrics_worker_restart(false);
					restart_at[i] = util_mono_us();
					break;
				}
				if (WIFSIGNALED(status))
					log_msg(LOG_ERROR, "msg=\"worker died\" "
					    "worker=%d signal=%d lived_ms=%lld",
					    (int)pid, WTERMSIG(status),
					    (long long)(lived / 1000));
				else
					log_msg(LOG_ERROR, "msg=\"worker died\" "
					    "worker=%d exit=%d lived_ms=%lld",
					    (int)pid, WEXITSTATUS(status),
					    (long long)(lived / 1000));
				metrics_worker_restart(true);
				if (lived < QUICK_DEATH_US) {
					restart_at[i] = util_mono_us() + backoff;
					log_msg(LOG_WARN, "msg=\"worker died at "
					    "once, backing off\" delay_ms=%lld",
					    (long long)(backoff / 1000));
					backoff = backoff * 2 > BACKOFF_MAX_US ?
					    BACKOFF_MAX_US : backoff * 2;
				} else {
					backoff = BACKOFF_MIN_US;
					restart_at[i] = util_mono_us();
				}
				break;
			}
		}
	}
	if (owned)
		unlink(cfg->socket);
	close(lfd);
	render_shutdown();
	log_msg(LOG_INFO, "msg=\"stopped\"");
	return 0;
}
