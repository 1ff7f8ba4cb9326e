/*
 * harness: checks, the run, processes, commands and sites for the
 * integration scenarios (see harness.h for the contracts).  Owns the
 * temp dirs and the child processes it starts, and nothing else: it
 * signals only the PIDs it forked, never by name.
 *
 * The HTTP side (libcurl requests, raw sockets, responses, browsers and
 * their cookies, forms, accounts, mail files) is in harness_http.c;
 * what the two share is declared in harness_private.h.
 */
#include <curl/curl.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "harness_private.h"

#define MAX_SITES	8
#define START_TIMEOUT_MS	10000
#define STOP_TIMEOUT_MS		15000
#define LOG_TAIL_LINES		30

static struct {
	const char	*name;
	char		 bin[PATH_MAX];
	char		 root[PATH_MAX];
	const char	*nginx;
	bool		 verbose;
	bool		 keep;
	pthread_mutex_t	 lock;
	int		 passed, failed;
	int		 case_failed;	/* failures in the current RUN() */
	struct site	*sites[MAX_SITES];
	char		*tempdirs[MAX_SITES];
	int		 listen_fd;	/* for the next spawn, or -1 */
	int		 listen_as;	/* SITE_FD0 or SITE_SYSTEMD */
	int		 stdin_fd;	/* stdin of the next spawn, or -1 */
	int		 next_addr;	/* source addresses handed out */
} H = { .lock = PTHREAD_MUTEX_INITIALIZER, .listen_fd = -1,
    .stdin_fd = -1 };

/* ---- small things -------------------------------------------------------- */

void
msleep(int ms)
{
	struct timespec	 ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

long long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void *
h_xmalloc(size_t n)
{
	void	*p = malloc(n == 0 ? 1 : n);

	if (p == NULL) {
		fprintf(stderr, "harness: out of memory\n");
		abort();
	}
	return p;
}

void *
h_xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n == 0 ? 1 : n)) == NULL) {
		fprintf(stderr, "harness: out of memory\n");
		abort();
	}
	return p;
}

char *
h_xstrndup(const char *s, size_t n)
{
	char	*d = h_xmalloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void
h_bytes_add(struct bytes *b, const void *data, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t	 cap = b->cap == 0 ? 4096 : b->cap;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = h_xrealloc(b->p, cap);
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
h_bytes_printf(struct bytes *b, const char *fmt, ...)
{
	char	*s;
	int	 n;
	va_list	 ap;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		fprintf(stderr, "harness: out of memory\n");
		abort();
	}
	h_bytes_add(b, s, (size_t)n);
	free(s);
}

char *
str_printf(const char *fmt, ...)
{
	char	*s;
	va_list	 ap;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		fprintf(stderr, "harness: out of memory\n");
		abort();
	}
	va_end(ap);
	return s;
}

char *
h_bytes_take(struct bytes *b)
{
	char	*p = b->p;

	if (p == NULL)
		p = h_xstrndup("", 0);
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

int
file_write(const char *path, const char *data, size_t len, bool append)
{
	int	 fd, flags = O_WRONLY | O_CREAT | O_CLOEXEC |
	    (append ? O_APPEND : O_TRUNC);
	size_t	 off = 0;

	if ((fd = open(path, flags, 0644)) < 0)
		return -1;
	while (off < len) {
		ssize_t	 n = write(fd, data + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	return close(fd);
}

char *
file_read(const char *path, size_t *lenp)
{
	struct bytes	 b = { 0 };
	char		 buf[65536];
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			free(b.p);
			return NULL;
		}
		h_bytes_add(&b, buf, (size_t)n);
	}
	close(fd);
	if (lenp != NULL)
		*lenp = b.len;
	return h_bytes_take(&b);
}

char *
str_between(const char *s, const char *start, const char *end)
{
	const char	*a, *b;

	if (s == NULL || (a = strstr(s, start)) == NULL)
		return NULL;
	a += strlen(start);
	if ((b = strstr(a, end)) == NULL)
		return NULL;
	return h_xstrndup(a, (size_t)(b - a));
}

size_t
html_hrefs(const char *html, const char *prefix, char ***out)
{
	const char	*p = html;
	char		**v = NULL;
	size_t		 n = 0;

	while (p != NULL && (p = strstr(p, "href=\"")) != NULL) {
		const char	*q, *e;
		bool		 dup = false;

		q = p + 6;
		if ((e = strchr(q, '"')) == NULL)
			break;
		p = e + 1;
		if (strncmp(q, prefix, strlen(prefix)) != 0)
			continue;
		for (size_t i = 0; i < n && !dup; i++)
			dup = strlen(v[i]) == (size_t)(e - q) &&
			    strncmp(v[i], q, (size_t)(e - q)) == 0;
		if (dup)
			continue;
		v = h_xrealloc(v, (n + 1) * sizeof(*v));
		v[n++] = h_xstrndup(q, (size_t)(e - q));
	}
	*out = v;
	return n;
}

void
html_hrefs_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* ---- checks -------------------------------------------------------------- */

static const char *
base_name(const char *path)
{
	const char	*s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/* Count one check; print a FAIL line (or an ok line when verbose). */
static bool
record(const char *file, int line, bool ok, const char *msg)
{
	pthread_mutex_lock(&H.lock);
	if (ok) {
		H.passed++;
		if (H.verbose)
			printf("  ok %s:%d: %s\n", base_name(file), line, msg);
	} else {
		H.failed++;
		H.case_failed++;
		if (line > 0)
			printf("FAIL %s:%d: %s\n", base_name(file), line, msg);
		else
			printf("FAIL %s: %s\n", file, msg);
	}
	fflush(stdout);
	pthread_mutex_unlock(&H.lock);
	return ok;
}

bool
harness_check(const char *file, int line, int ok, const char *fmt, ...)
{
	char	 msg[2048];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return record(file, line, ok != 0, msg);
}

bool
harness_check_int(const char *file, int line, long long got, long long want,
    const char *fmt, ...)
{
	char	 what[1024], msg[2048];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (got == want)
		snprintf(msg, sizeof(msg), "%s is %lld", what, got);
	else
		snprintf(msg, sizeof(msg), "expected %lld, got %lld: %s", want,
		    got, what);
	return record(file, line, got == want, msg);
}

/* s shortened to at most n bytes, newlines shown as \n, into dst. */
static const char *
excerpt(char *dst, size_t dstlen, const char *s, size_t n)
{
	size_t	 j = 0;

	if (s == NULL)
		return "(null)";
	for (size_t i = 0; i < n && s[i] != '\0' && j + 5 < dstlen; i++) {
		if (s[i] == '\n') {
			dst[j++] = '\\';
			dst[j++] = 'n';
		} else if (s[i] == '\r') {
			dst[j++] = '\\';
			dst[j++] = 'r';
		} else
			dst[j++] = s[i];
	}
	if (strlen(s) > n && j + 4 < dstlen) {
		memcpy(dst + j, "...", 3);
		j += 3;
	}
	dst[j] = '\0';
	return dst;
}

bool
harness_check_str(const char *file, int line, const char *got,
    const char *want, const char *fmt, ...)
{
	char	 what[1024], msg[2048], g[400], w[400];
	bool	 ok = got != NULL && want != NULL && strcmp(got, want) == 0;
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (ok)
		snprintf(msg, sizeof(msg), "%s is \"%s\"", what,
		    excerpt(g, sizeof(g), got, 120));
	else
		snprintf(msg, sizeof(msg), "expected \"%s\", got \"%s\": %s",
		    excerpt(w, sizeof(w), want, 120),
		    excerpt(g, sizeof(g), got, 120), what);
	return record(file, line, ok, msg);
}

bool
harness_check_contains(const char *file, int line, const char *hay,
    const char *needle, bool want, const char *fmt, ...)
{
	char	 what[1024], msg[2048], h[400], n[200];
	bool	 has = hay != NULL && strstr(hay, needle) != NULL;
	bool	 ok = hay != NULL && has == want;
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (ok)
		snprintf(msg, sizeof(msg), "%s %s \"%s\"", what,
		    want ? "contains" : "does not contain",
		    excerpt(n, sizeof(n), needle, 100));
	else
		snprintf(msg, sizeof(msg), "expected %s \"%s\", in \"%s\": %s",
		    want ? "to find" : "not to find",
		    excerpt(n, sizeof(n), needle, 100),
		    excerpt(h, sizeof(h), hay, 300), what);
	return record(file, line, ok, msg);
}

bool
harness_check_status(const char *file, int line, const struct resp *r,
    int want, const char *method, const char *path)
{
	char	 msg[2048], p[200], b[400];

	excerpt(p, sizeof(p), path, 120);
	if (r->status == want)
		snprintf(msg, sizeof(msg), "%d for %s %s", want, method, p);
	else if (r->status <= 0)
		snprintf(msg, sizeof(msg), "expected %d, got no answer (%s) "
		    "for %s %s", want, r->error, method, p);
	else
		snprintf(msg, sizeof(msg), "expected %d, got %d for %s %s; "
		    "body: %s", want, r->status, method, p,
		    excerpt(b, sizeof(b), r->body, 300));
	return record(file, line, r->status == want, msg);
}

void
harness_note(const char *fmt, ...)
{
	va_list	 ap;

	pthread_mutex_lock(&H.lock);
	printf("  # ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	pthread_mutex_unlock(&H.lock);
}

void
harness_run(const char *name, void (*fn)(struct site *), struct site *s)
{
	int	 failed;

	pthread_mutex_lock(&H.lock);
	H.case_failed = 0;
	pthread_mutex_unlock(&H.lock);
	fn(s);
	pthread_mutex_lock(&H.lock);
	failed = H.case_failed;
	if (failed == 0)
		printf("ok   %s\n", name);
	else
		printf("FAIL %s (%d failed check%s)\n", name, failed,
		    failed == 1 ? "" : "s");
	fflush(stdout);
	pthread_mutex_unlock(&H.lock);
}

/* ---- the run ------------------------------------------------------------ */

static void	 cleanup_all(void);

/*
 * On SIGINT/SIGTERM: stop what we started and leave, with only
 * async-signal-safe calls.  nginx and gazette get SIGTERM so that they
 * take their own workers down, 3 s to do it, then SIGKILL.  Reaping
 * them matters: this machine's init may never reap orphans.
 */
static void
on_fatal_signal(int sig)
{
	pid_t		 pids[2 * MAX_SITES];
	int		 n = 0;
	struct timespec	 tick = { 0, 10 * 1000000L };

	(void)sig;
	for (int i = 0; i < MAX_SITES; i++) {
		struct site	*s = H.sites[i];

		if (s == NULL)
			continue;
		if (s->nginx_pid > 0)
			pids[n++] = s->nginx_pid;
		if (s->gazette_pid > 0)
			pids[n++] = s->gazette_pid;
	}
	for (int i = 0; i < n; i++)
		kill(pids[i], SIGTERM);
	for (int tries = 0; tries < 300; tries++) {
		int	 left = 0;

		for (int i = 0; i < n; i++) {
			if (pids[i] > 0 && waitpid(pids[i], NULL, WNOHANG) != 0)
				pids[i] = 0;
			left += pids[i] > 0;
		}
		if (left == 0)
			break;
		nanosleep(&tick, NULL);
	}
	for (int i = 0; i < n; i++)
		if (pids[i] > 0) {
			kill(pids[i], SIGKILL);
			waitpid(pids[i], NULL, 0);
		}
	_exit(1);
}

/*
 * gazette reads GAZETTE_<KEY> variables over its config file, and
 * GAZETTE_CONFIG, LISTEN_PID/LISTEN_FDS too: drop them all (but ours),
 * so that the caller's environment cannot change what is tested.
 */
static void
scrub_environment(void)
{
	char	 names[64][128];
	int	 n = 0;

	for (char **e = environ; *e != NULL && n < 64; e++) {
		size_t	 len = strcspn(*e, "=");

		if (len >= sizeof(names[0]))
			continue;
		if ((strncmp(*e, "GAZETTE_", 8) == 0 &&
		    strncmp(*e, "GAZETTE_BIN=", 12) != 0 &&
		    strncmp(*e, "GAZETTE_ROOT=", 13) != 0) ||
		    strncmp(*e, "LISTEN_", 7) == 0) {
			memcpy(names[n], *e, len);
			names[n++][len] = '\0';
		}
	}
	for (int i = 0; i < n; i++)
		unsetenv(names[i]);
}

void
harness_init(const char *name)
{
	struct sigaction	 sa;
	const char		*bin = getenv("GAZETTE_BIN");
	const char		*root = getenv("GAZETTE_ROOT");
	const char		*v;

	H.name = name;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (bin == NULL || root == NULL || realpath(bin, H.bin) == NULL ||
	    realpath(root, H.root) == NULL || access(H.bin, X_OK) != 0) {
		printf("FAIL %s: set GAZETTE_BIN to the gazette binary and "
		    "GAZETTE_ROOT to the repository (got %s and %s)\n", name,
		    bin != NULL ? bin : "nothing", root != NULL ? root :
		    "nothing");
		printf("%s: 0 passed, 1 failed\n", name);
		exit(1);
	}
	scrub_environment();
	if ((v = getenv("NGINX")) != NULL && *v != '\0')
		H.nginx = v;
	else if (access("/usr/sbin/nginx", X_OK) == 0)
		H.nginx = "/usr/sbin/nginx";
	else
		H.nginx = "nginx";
	H.verbose = (v = getenv("HARNESS_VERBOSE")) != NULL && *v == '1';
	H.keep = (v = getenv("HARNESS_KEEP")) != NULL && *v == '1';
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		printf("FAIL %s: curl_global_init failed\n", name);
		exit(1);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = on_fatal_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	atexit(cleanup_all);
}

const char *
harness_bin(void)
{
	return H.bin;
}

const char *
harness_root(void)
{
	return H.root;
}

int
harness_finish(void)
{
	cleanup_all();
	printf("%s: %d passed, %d failed\n", H.name, H.passed, H.failed);
	fflush(stdout);
	return H.failed == 0 && H.passed > 0 ? 0 : 1;
}

static int	 rm_entry(const char *, const struct stat *, int,
		    struct FTW *);

static void
cleanup_all(void)
{
	for (int i = 0; i < MAX_SITES; i++)
		if (H.sites[i] != NULL)
			site_stop(H.sites[i]);
	for (int i = 0; i < MAX_SITES; i++) {
		if (H.tempdirs[i] == NULL)
			continue;
		if (H.keep)
			printf("  # kept %s\n", H.tempdirs[i]);
		else
			nftw(H.tempdirs[i], rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		free(H.tempdirs[i]);
		H.tempdirs[i] = NULL;
	}
}

int
harness_tempdir(char *out, size_t n)
{
	int	 i;

	for (i = 0; i < MAX_SITES && H.tempdirs[i] != NULL; i++)
		;
	if (i == MAX_SITES || n < 24)
		return -1;
	snprintf(out, n, "/tmp/gazette-it-XXXXXX");
	if (mkdtemp(out) == NULL)
		return -1;
	H.tempdirs[i] = h_xstrndup(out, strlen(out));
	return 0;
}

int
file_copy(const char *from, const char *to)
{
	size_t	 len;
	char	*data = file_read(from, &len);
	int	 rc;

	if (data == NULL)
		return -1;
	rc = file_write(to, data, len, false);
	free(data);
	return rc;
}

int
harness_copy_sql(const char *dst)
{
	char		 from[4096], to[4096];
	struct dirent	*de;
	DIR		*d;
	int		 n = 0;

	if (snprintf(from, sizeof(from), "%s/sql", harness_root()) >=
	    (int)sizeof(from) || (d = opendir(from)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		size_t	 len = strlen(de->d_name);

		if (len < 5 || strcmp(de->d_name + len - 4, ".sql") != 0)
			continue;
		if (snprintf(from, sizeof(from), "%s/sql/%s", harness_root(),
		    de->d_name) >= (int)sizeof(from) ||
		    snprintf(to, sizeof(to), "%s/%s", dst, de->d_name) >=
		    (int)sizeof(to) || file_copy(from, to) != 0) {
			closedir(d);
			return -1;
		}
		n++;
	}
	closedir(d);
	return n;
}

static void
site_register(struct site *s)
{
	for (int i = 0; i < MAX_SITES; i++)
		if (H.sites[i] == NULL || H.sites[i] == s) {
			H.sites[i] = s;
			return;
		}
	fprintf(stderr, "harness: more than %d sites at once\n", MAX_SITES);
	abort();
}

static void
site_unregister(struct site *s)
{
	for (int i = 0; i < MAX_SITES; i++)
		if (H.sites[i] == s)
			H.sites[i] = NULL;
}

/* The next source address number for a browser with its own address. */
int
h_next_addr(void)
{
	int	 n;

	pthread_mutex_lock(&H.lock);
	n = H.next_addr++;
	pthread_mutex_unlock(&H.lock);
	return n;
}

/* ---- processes ----------------------------------------------------------- */

/*
 * fork+exec argv with stdin from /dev/null (H.stdin_fd if set), stdout
 * to out_fd and stderr to err_fd (-1: /dev/null).  The child gets
 * deathsig when the test binary dies, so nothing outlives it.  Returns
 * the PID or -1.
 */
static pid_t
spawn(char *const argv[], int out_fd, int err_fd, int deathsig)
{
	pid_t	 parent = getpid(), pid;

	fflush(NULL);
	if ((pid = fork()) < 0) {
		printf("  # fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		struct sigaction	 sa;
		sigset_t		 none;
		int			 null = open("/dev/null", O_RDWR);

		if (deathsig != 0) {
			prctl(PR_SET_PDEATHSIG, deathsig);
			if (getppid() != parent)
				_exit(127);
		}
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_DFL;
		for (int sig = 1; sig < 32; sig++)
			if (sig != SIGKILL && sig != SIGSTOP)
				sigaction(sig, &sa, NULL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		dup2(H.stdin_fd >= 0 ? H.stdin_fd : null, 0);
		dup2(out_fd >= 0 ? out_fd : null, 1);
		dup2(err_fd >= 0 ? err_fd : null, 2);
		if (null > 2)
			close(null);
		if (H.listen_fd >= 0 && H.listen_as == SITE_FD0)
			dup2(H.listen_fd, 0);
		else if (H.listen_fd >= 0 && H.listen_as == SITE_SYSTEMD) {
			char	 me[32];

			dup2(H.listen_fd, 3);
			snprintf(me, sizeof(me), "%d", (int)getpid());
			setenv("LISTEN_PID", me, 1);
			setenv("LISTEN_FDS", "1", 1);
		}
		execv(argv[0], argv);
		execvp(argv[0], argv);
		dprintf(2, "harness: cannot run %s: %s\n", argv[0],
		    strerror(errno));
		_exit(127);
	}
	return pid;
}

/* Exit code, 128 + signal, or -1 while it runs (after timeout_ms). */
static int
wait_pid(pid_t pid, int timeout_ms)
{
	long long	 deadline = now_ms() + timeout_ms;
	int		 st;

	for (;;) {
		pid_t	 r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) :
			    WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
		if (r < 0 && errno != EINTR)
			return -2;		/* not our child (any more) */
		if (now_ms() >= deadline)
			return -1;
		msleep(5);
	}
}

/* Wait for pid (already signalled) up to timeout_ms, then SIGKILL it. */
static int
reap_or_kill(pid_t pid, const char *what, int timeout_ms)
{
	int	 st;

	if ((st = wait_pid(pid, timeout_ms)) != -1)
		return st;
	printf("  # %s (pid %d) still running after %d ms: SIGKILL\n", what,
	    (int)pid, timeout_ms);
	kill(pid, SIGKILL);
	wait_pid(pid, 5000);
	return -1;
}

pid_t
proc_start(char *const argv[], const char *log)
{
	int	 fd = -1;
	pid_t	 pid;

	if (log != NULL && (fd = open(log, O_WRONLY | O_CREAT | O_APPEND |
	    O_CLOEXEC, 0644)) < 0) {
		printf("  # %s: %s\n", log, strerror(errno));
		return -1;
	}
	pid = spawn(argv, fd, fd, SIGTERM);
	if (fd >= 0)
		close(fd);
	return pid;
}

int
proc_stop(pid_t pid)
{
	if (pid <= 0)
		return -1;
	kill(pid, SIGTERM);
	return reap_or_kill(pid, "helper", STOP_TIMEOUT_MS);
}

long
file_wait_number(const char *path, int timeout_ms)
{
	long long	 deadline = now_ms() + timeout_ms;
	char		*v;
	long		 n = 0;

	while (n <= 0 && now_ms() < deadline) {
		if ((v = file_read(path, NULL)) != NULL) {
			n = strtol(v, NULL, 10);
			free(v);
		}
		if (n <= 0)
			msleep(20);
	}
	return n > 0 ? n : 0;
}

int
cmd_run(char *const argv[], int timeout_ms, struct cmd_result *r)
{
	return cmd_run_input(argv, NULL, timeout_ms, r);
}

int
cmd_run_input(char *const argv[], const char *input, int timeout_ms,
    struct cmd_result *r)
{
	struct bytes	 out = { 0 }, err = { 0 };
	long long	 deadline = now_ms() + timeout_ms;
	int		 po[2], pe[2], pi[2] = { -1, -1 };
	size_t		 inlen = input != NULL ? strlen(input) : 0;
	pid_t		 pid;
	bool		 killed = false;

	memset(r, 0, sizeof(*r));
	/* The input goes into the pipe at once, so it must fit in it. */
	if (input != NULL && (inlen >= 65536 || pipe2(pi, O_CLOEXEC) != 0 ||
	    write(pi[1], input, inlen) != (ssize_t)inlen)) {
		for (int i = 0; i < 2; i++)
			if (pi[i] >= 0)
				close(pi[i]);
		r->status = -1;
		r->out = h_xstrndup("", 0);
		r->err = h_xstrndup("stdin pipe failed", 17);
		return -1;
	}
	if (pipe2(po, O_CLOEXEC) != 0 || pipe2(pe, O_CLOEXEC) != 0) {
		for (int i = 0; i < 2; i++)
			if (pi[i] >= 0)
				close(pi[i]);
		r->status = -1;
		r->out = h_xstrndup("", 0);
		r->err = h_xstrndup("pipe failed", 11);
		return -1;
	}
	/* The child reads the input, then end of file. */
	if (pi[1] >= 0)
		close(pi[1]);
	H.stdin_fd = pi[0];
	pid = spawn(argv, po[1], pe[1], SIGKILL);
	H.stdin_fd = -1;
	if (pi[0] >= 0)
		close(pi[0]);
	close(po[1]);
	close(pe[1]);
	{
		struct pollfd	 pfd[2] = { { po[0], POLLIN, 0 },
		    { pe[0], POLLIN, 0 } };
		int		 open_fds = 2;

		while (pid > 0 && open_fds > 0) {
			int	 left = (int)(deadline - now_ms());
			char	 buf[8192];

			if (left <= 0) {
				kill(pid, SIGKILL);
				killed = true;
				break;
			}
			if (poll(pfd, 2, left) < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			for (int i = 0; i < 2; i++) {
				ssize_t	 n;

				if (pfd[i].fd < 0 || pfd[i].revents == 0)
					continue;
				n = read(pfd[i].fd, buf, sizeof(buf));
				if (n > 0)
					h_bytes_add(i == 0 ? &out : &err, buf,
					    (size_t)n);
				else if (n == 0 || errno != EINTR) {
					close(pfd[i].fd);
					pfd[i].fd = -1;
					open_fds--;
				}
			}
		}
		for (int i = 0; i < 2; i++)
			if (pfd[i].fd >= 0)
				close(pfd[i].fd);
	}
	if (pid < 0)
		r->status = -1;
	else {
		int	 left = (int)(deadline - now_ms());

		r->status = wait_pid(pid, left > 0 ? left : 0);
		if (r->status == -1) {
			kill(pid, SIGKILL);
			wait_pid(pid, 5000);
			killed = true;
		}
		if (killed)
			r->status = -1;
	}
	r->out = h_bytes_take(&out);
	r->err = h_bytes_take(&err);
	if (killed) {
		char	 note[128];

		snprintf(note, sizeof(note), "\n[harness: killed %s after "
		    "%d ms]\n", argv[0], timeout_ms);
		h_bytes_add(&err, r->err, strlen(r->err));
		h_bytes_add(&err, note, strlen(note));
		free(r->err);
		r->err = h_bytes_take(&err);
	}
	return r->status;
}

void
cmd_free(struct cmd_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

/* argv for `gazette --config INI` and the NULL-terminated words in ap. */
static void
gazette_argv(const struct site *s, char *argv[32], va_list ap)
{
	int	 n = 0;

	argv[n++] = H.bin;
	argv[n++] = (char *)"--config";
	argv[n++] = (char *)s->ini;
	while (n < 31 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	argv[n] = NULL;
}

int
site_gazette(const struct site *s, struct cmd_result *r, ...)
{
	char	*argv[32];
	va_list	 ap;

	va_start(ap, r);
	gazette_argv(s, argv, ap);
	va_end(ap);
	return cmd_run(argv, 20000, r);
}

int
site_gazette_input(const struct site *s, const char *input,
    struct cmd_result *r, ...)
{
	char	*argv[32];
	va_list	 ap;

	va_start(ap, r);
	gazette_argv(s, argv, ap);
	va_end(ap);
	return cmd_run_input(argv, input, 20000, r);
}

int
site_outbox_count(const struct site *s)
{
	struct cmd_result	 r;
	char			*dir;
	int			 n;

	if (site_gazette(s, &r, "worker", "--once", (char *)NULL) != 0)
		harness_note("gazette worker --once: %s", r.err);
	cmd_free(&r);
	dir = str_printf("%s/outbox", s->dir);
	n = dir_count(dir, ".eml");
	free(dir);
	return n;
}

char *
site_sql(const struct site *s, const char *query)
{
	char *const		 argv[] = { "/usr/bin/sqlite3", "-cmd",
	    ".timeout 5000", (char *)s->database, (char *)query, NULL };
	struct cmd_result	 r;
	char			*out;
	size_t			 n;

	if (cmd_run(argv, 10000, &r) != 0)
		harness_note("sqlite3 %s: %s", query, r.err);
	out = r.out;
	r.out = NULL;
	n = strlen(out);
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	cmd_free(&r);
	return out;
}

/* ---- a site -------------------------------------------------------------- */

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Print the last n lines of path, indented. */
static void
tail_file(const char *path, int n)
{
	char		*data = file_read(path, NULL);
	const char	*p;
	int		 lines = 0;

	printf("  --- last lines of %s ---\n", path);
	if (data == NULL) {
		printf("  | (cannot read: %s)\n", strerror(errno));
		return;
	}
	p = data + strlen(data);
	while (p > data && lines <= n) {
		p--;
		if (*p == '\n' && p[1] != '\0')
			lines++;
	}
	if (lines > n)
		p++;
	while (*p != '\0') {
		const char	*e = strchr(p, '\n');
		int		 len;

		len = e != NULL ? (int)(e - p) : (int)strlen(p);

		printf("  | %.*s\n", len, p);
		p += len + (e != NULL);
	}
	free(data);
}

void
site_dump_logs(const struct site *s)
{
	tail_file(s->log, LOG_TAIL_LINES);
	if (s->port != 0)
		tail_file(s->nginx_log, LOG_TAIL_LINES);
}

/* Count a failed check for site setup, with the place and the reason. */
static int
setup_failed(struct site *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
setup_failed(struct site *s, const char *fmt, ...)
{
	char	 msg[2048];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	record("site_start", 0, false, msg);
	site_dump_logs(s);
	site_stop(s);
	return -1;
}

/* A port nobody listens on right now: bind :0, read it, close. */
static int
free_port(void)
{
	struct sockaddr_in	 sa;
	socklen_t		 len = sizeof(sa);
	int			 fd, port = -1;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

/*
 * Write DIR/nginx.conf from ROOT/nginx/dev.conf.in, replacing every
 * @NAME@ placeholder.  An @UPPER_CASE@ that is not known is an error
 * (the template grew a placeholder this harness does not fill).
 */
static int
write_nginx_conf(struct site *s, char *err, size_t errlen)
{
	char		 port[16];
	char		*tpl, *path, *out;
	char		*static_dir = str_printf("%s/static", H.root);
	const char	*p;
	struct bytes	 b = { 0 };
	int		 rc;
	const struct {
		const char	*name;
		const char	*value;
	} subst[] = {
		{ "PORT", port }, { "VAR", s->dir }, { "SOCKET", s->socket },
		{ "STATIC", static_dir }, { "MAX_BODY", "2m" },
		{ "BENCH_INCLUDE", "" },
		{ "USER_DIRECTIVE", geteuid() == 0 ? "user root;" : "" },
	};
	const size_t	 nsubst = sizeof(subst) / sizeof(subst[0]);

	snprintf(port, sizeof(port), "%d", s->port);
	path = str_printf("%s/nginx/dev.conf.in", H.root);
	if ((tpl = file_read(path, NULL)) == NULL) {
		snprintf(err, errlen, "cannot read %.200s: %s", path,
		    strerror(errno));
		free(path);
		free(static_dir);
		return -1;
	}
	for (p = tpl; *p != '\0'; ) {
		const char	*q = p + 1;
		size_t		 i, n;

		if (*p != '@') {
			h_bytes_add(&b, p++, 1);
			continue;
		}
		while ((*q >= 'A' && *q <= 'Z') || *q == '_')
			q++;
		n = (size_t)(q - p - 1);
		if (*q != '@' || n == 0) {
			h_bytes_add(&b, p++, 1);
			continue;
		}
		for (i = 0; i < nsubst; i++)
			if (strlen(subst[i].name) == n &&
			    strncmp(subst[i].name, p + 1, n) == 0)
				break;
		if (i == nsubst) {
			snprintf(err, errlen, "%.200s: unknown placeholder "
			    "@%.*s@", path, (int)(n > 40 ? 40 : n), p + 1);
			free(tpl);
			free(b.p);
			free(path);
			free(static_dir);
			return -1;
		}
		h_bytes_add(&b, subst[i].value, strlen(subst[i].value));
		p = q + 1;
	}
	free(tpl);
	free(path);
	free(static_dir);
	out = str_printf("%s/nginx.conf", s->dir);
	rc = file_write(out, b.p, b.len, false);
	if (rc != 0)
		snprintf(err, errlen, "cannot write %.200s: %s", out,
		    strerror(errno));
	free(out);
	free(b.p);
	return rc;
}

static int
write_ini(struct site *s, const struct site_opts *o)
{
	struct bytes	 b = { 0 };
	int		 rc;

	h_bytes_printf(&b, "; written by tests/integration/harness.c\n");
	h_bytes_printf(&b, "[server]\nsocket = %s\nsocket_mode = 0600\n"
	    "workers = %d\n", s->socket, o->workers > 0 ? o->workers : 2);
	if (o->max_requests > 0)
		h_bytes_printf(&b, "max_requests = %d\n", o->max_requests);
	if (o->shutdown_timeout > 0)
		h_bytes_printf(&b, "shutdown_timeout = %d\n",
		    o->shutdown_timeout);
	h_bytes_printf(&b, "[paths]\ntemplates = %s/templates\n"
	    "static = %s/static\nmedia = %s/media\n", H.root, H.root,
	    s->dir);
	if (o->sql_dir != NULL)
		h_bytes_printf(&b, "sql = %s\n", o->sql_dir);
	else
		h_bytes_printf(&b, "sql = %s/sql\n", H.root);
	h_bytes_printf(&b, "[database]\ndatabase = %s\n", s->database);
	h_bytes_printf(&b, "[site]\nsite_url = http://127.0.0.1\n"
	    "secret_file = %s/secret\n", s->dir);
	/* argon2id at libsodium's minimum cost keeps logins fast here. */
	h_bytes_printf(&b, "[accounts]\npassword_ops = 1\n"
	    "password_mem = 8192\noutbox = %s/outbox\n", s->dir);
	if (o->extra_ini != NULL)
		h_bytes_printf(&b, "\n%s\n", o->extra_ini);
	rc = file_write(s->ini, b.p, b.len, false);
	free(b.p);
	return rc;
}

/* Run a gazette command for setup; -1 (after printing) unless exit 0. */
static int
setup_cmd(struct site *s, const char *what, char *a1, char *a2, char *a3)
{
	struct cmd_result	 r;
	int			 st;

	st = site_gazette(s, &r, a1, a2, a3, (char *)NULL);
	if (st != 0) {
		printf("  # gazette %s exited %d\n  # stdout: %s\n"
		    "  # stderr: %s\n", what, st, r.out, r.err);
		cmd_free(&r);
		return -1;
	}
	cmd_free(&r);
	return 0;
}

/* Is pid (our child) gone?  Reaps it and records the status then. */
static bool
child_gone(pid_t pid, int *status)
{
	int	 st;

	if (waitpid(pid, &st, WNOHANG) != pid)
		return false;
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return true;
}

int
site_start(struct site *s, const struct site_opts *opts)
{
	static const char *const tmpdirs[] = { "log", "nginx-tmp",
	    "nginx-tmp/client_body", "nginx-tmp/fastcgi", "nginx-tmp/proxy",
	    "nginx-tmp/uwsgi", "nginx-tmp/scgi" };
	struct site_opts	 o = { 0 };
	char			 path[PATH_MAX], err[1024];
	char			 articles[32];
	int			 fd;

	if (opts != NULL)
		o = *opts;
	memset(s, 0, sizeof(*s));
	s->gazette_status = -1;
	snprintf(s->dir, sizeof(s->dir), "/tmp/gazette-it-XXXXXX");
	if (mkdtemp(s->dir) == NULL) {
		record("site_start", 0, false, "mkdtemp failed");
		return -1;
	}
	s->active = true;
	site_register(s);
	snprintf(s->ini, sizeof(s->ini), "%s/gazette.ini", s->dir);
	snprintf(s->socket, sizeof(s->socket), "%s/gazette.sock", s->dir);
	snprintf(s->database, sizeof(s->database), "%s/gazette.db", s->dir);
	snprintf(s->log, sizeof(s->log), "%s/gazette.log", s->dir);
	snprintf(s->nginx_log, sizeof(s->nginx_log), "%s/log/nginx-error.log",
	    s->dir);
	for (size_t i = 0; i < sizeof(tmpdirs) / sizeof(tmpdirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", s->dir, tmpdirs[i]);
		if (mkdir(path, 0700) != 0)
			return setup_failed(s, "mkdir %s: %s", path,
			    strerror(errno));
	}
	snprintf(path, sizeof(path), "%s/secret", s->dir);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) < 0 ||
	    write(fd, "integration-test-secret-0123456789abcdef\n", 41) != 41 ||
	    close(fd) != 0)
		return setup_failed(s, "cannot write %s", path);
	if (write_ini(s, &o) != 0)
		return setup_failed(s, "cannot write %s", s->ini);
	if (setup_cmd(s, "migrate", "migrate", NULL, NULL) != 0)
		return setup_failed(s, "gazette migrate failed (see above)");
	if (o.articles > 0) {
		snprintf(articles, sizeof(articles), "%d", o.articles);
		if (setup_cmd(s, "seed", "seed", "--articles", articles) != 0)
			return setup_failed(s, "gazette seed failed (see "
			    "above)");
	}
	if (o.no_serve)
		return 0;

	/* gazette serve, stderr (and stdout) to gazette.log. */
	{
		char	*argv[] = { H.bin, (char *)"--config", s->ini,
		    (char *)"serve", NULL };
		int	 logfd = open(s->log, O_WRONLY | O_CREAT | O_APPEND |
		    O_CLOEXEC, 0644);

		if (logfd < 0)
			return setup_failed(s, "cannot open %s", s->log);
		if (o.inherit != SITE_OWN_SOCKET) {
			struct sockaddr_un	 sa = { .sun_family = AF_UNIX };

			if (strlen(s->socket) >= sizeof(sa.sun_path)) {
				close(logfd);
				return setup_failed(s, "socket path too long");
			}
			memcpy(sa.sun_path, s->socket, strlen(s->socket) + 1);
			if ((H.listen_fd = socket(AF_UNIX, SOCK_STREAM |
			    SOCK_CLOEXEC, 0)) < 0 || bind(H.listen_fd,
			    (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
			    listen(H.listen_fd, 128) != 0) {
				close(logfd);
				return setup_failed(s, "cannot bind %s: %s",
				    s->socket, strerror(errno));
			}
			H.listen_as = o.inherit;
		}
		s->gazette_pid = spawn(argv, logfd, logfd, SIGTERM);
		close(logfd);
		if (H.listen_fd >= 0) {
			close(H.listen_fd);	/* gazette has its copy */
			H.listen_fd = -1;
		}
		if (s->gazette_pid < 0) {
			s->gazette_pid = 0;
			return setup_failed(s, "cannot start gazette serve");
		}
	}

	/* nginx on a free port; another process may take the port between
	 * free_port() and nginx's bind, so try a few. */
	for (int attempt = 0; attempt < 5; attempt++) {
		char	 outlog[PATH_MAX], nginx_conf[PATH_MAX];
		char	*argv[] = { (char *)H.nginx, (char *)"-p", s->dir,
		    (char *)"-e", s->nginx_log, (char *)"-c", nginx_conf,
		    NULL };
		long long deadline = now_ms() + START_TIMEOUT_MS;
		int	 outfd, st;
		bool	 up = false, nginx_died = false;

		if ((s->port = free_port()) < 0)
			return setup_failed(s, "no free port");
		if (write_nginx_conf(s, err, sizeof(err)) != 0)
			return setup_failed(s, "%s", err);
		snprintf(nginx_conf, sizeof(nginx_conf), "%s/nginx.conf",
		    s->dir);
		snprintf(outlog, sizeof(outlog), "%s/log/nginx-stdout.log",
		    s->dir);
		if ((outfd = open(outlog, O_WRONLY | O_CREAT | O_APPEND |
		    O_CLOEXEC, 0644)) < 0)
			return setup_failed(s, "cannot open %s", outlog);
		s->nginx_pid = spawn(argv, outfd, outfd, SIGTERM);
		close(outfd);
		if (s->nginx_pid < 0) {
			s->nginx_pid = 0;
			return setup_failed(s, "cannot start nginx");
		}
		while (now_ms() < deadline) {
			struct resp	 r = { 0 };

			if (child_gone(s->gazette_pid, &st)) {
				s->gazette_pid = 0;
				s->gazette_status = st;
				return setup_failed(s, "gazette serve exited "
				    "with status %d while starting", st);
			}
			if (child_gone(s->nginx_pid, &st)) {
				s->nginx_pid = 0;
				nginx_died = true;
				break;
			}
			if (http_get(s, "/healthz", &r) == 200) {
				resp_free(&r);
				up = true;
				break;
			}
			resp_free(&r);
			msleep(50);
		}
		if (up)
			return 0;
		if (!nginx_died)
			return setup_failed(s, "GET /healthz did not answer "
			    "200 within %d ms", START_TIMEOUT_MS);
		/* nginx died: most likely the port was taken; try another. */
		printf("  # nginx exited at start (port %d); retrying\n",
		    s->port);
	}
	return setup_failed(s, "nginx did not start");
}

int
site_signal(struct site *s, int sig)
{
	if (s->gazette_pid <= 0) {
		errno = ESRCH;
		return -1;
	}
	return kill(s->gazette_pid, sig);
}

int
site_wait_gazette(struct site *s, int timeout_ms)
{
	int	 st;

	if (s->gazette_pid <= 0)
		return s->gazette_status;
	st = wait_pid(s->gazette_pid, timeout_ms);
	if (st != -1) {
		s->gazette_status = st;
		s->gazette_pid = 0;
	}
	return st;
}

int
site_stop(struct site *s)
{
	int	 st = 0;

	if (!s->active)
		return s->gazette_status >= 0 ? s->gazette_status : 0;
	/* Both at once: each drains while the other does. */
	if (s->nginx_pid > 0)
		kill(s->nginx_pid, SIGQUIT);
	if (s->gazette_pid > 0)
		kill(s->gazette_pid, SIGTERM);
	if (s->nginx_pid > 0) {
		reap_or_kill(s->nginx_pid, "nginx", STOP_TIMEOUT_MS);
		s->nginx_pid = 0;
	}
	if (s->gazette_pid > 0) {
		st = reap_or_kill(s->gazette_pid, "gazette", STOP_TIMEOUT_MS);
		s->gazette_pid = 0;
		s->gazette_status = st;
	} else if (s->gazette_status >= 0)
		st = s->gazette_status;
	/* A sanitizer report at exit (LeakSanitizer) only shows in the log
	 * and the exit status: show it before the log is gone. */
	if (s->port != 0 && (st != 0 ||
	    site_log_count(s, "Sanitizer", NULL) > 0)) {
		printf("  # gazette exited with status %d\n", st);
		tail_file(s->log, 2 * LOG_TAIL_LINES);
	}
	if (H.keep)
		printf("  # kept %s\n", s->dir);
	else if (s->dir[0] != '\0')
		nftw(s->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	s->active = false;
	site_unregister(s);
	return st;
}

int
site_workers(const struct site *s, pid_t *pids, int max)
{
	char	 path[128], *data, *p;
	int	 n = 0;

	if (s->gazette_pid <= 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children",
	    (int)s->gazette_pid, (int)s->gazette_pid);
	if ((data = file_read(path, NULL)) == NULL)
		return -1;
	for (p = data; *p != '\0'; ) {
		char	*end, stat_path[64], *st, *rp;
		long	 pid = strtol(p, &end, 10);

		if (end == p)
			break;
		p = end;
		while (*p == ' ' || *p == '\n')
			p++;
		/* Skip zombies: dead, not reaped yet. */
		snprintf(stat_path, sizeof(stat_path), "/proc/%ld/stat", pid);
		if ((st = file_read(stat_path, NULL)) == NULL)
			continue;
		rp = strrchr(st, ')');
		if (rp == NULL || rp[1] != ' ' || rp[2] == 'Z' ||
		    rp[2] == 'X') {
			free(st);
			continue;
		}
		free(st);
		if (n < max)
			pids[n] = (pid_t)pid;
		n++;
	}
	free(data);
	if (n > max)
		n = max;
	/* Sort: callers compare sets. */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && pids[j - 1] > pids[j]; j--) {
			pid_t	 t = pids[j];

			pids[j] = pids[j - 1];
			pids[j - 1] = t;
		}
	return n;
}

bool
site_wait_workers(const struct site *s, int n, const pid_t *not, int nnot,
    pid_t *pids, int timeout_ms)
{
	long long	 deadline = now_ms() + timeout_ms;
	pid_t		 cur[64];

	for (;;) {
		int	 k = site_workers(s, cur, 64);
		bool	 ok = k == n;

		for (int i = 0; ok && i < k; i++)
			for (int j = 0; j < nnot; j++)
				if (cur[i] == not[j])
					ok = false;
		if (ok) {
			memcpy(pids, cur, (size_t)n * sizeof(*pids));
			return true;
		}
		if (now_ms() >= deadline)
			return false;
		msleep(20);
	}
}

int
site_log_count(const struct site *s, const char *a, const char *b)
{
	FILE	*f = fopen(s->log, "re");
	char	*line = NULL;
	size_t	 cap = 0;
	int	 n = 0;

	if (f == NULL)
		return -1;
	while (getline(&line, &cap, f) >= 0)
		if (strstr(line, a) != NULL && (b == NULL ||
		    strstr(line, b) != NULL))
			n++;
	free(line);
	fclose(f);
	return n;
}

bool
harness_check_log_clean(const char *file, int line, const struct site *s)
{
	static const char *const bad[] = { "AddressSanitizer",
	    "LeakSanitizer", "UndefinedBehaviorSanitizer", "runtime error:",
	    "SUMMARY:" };
	char	 msg[512];
	int	 n = 0, k;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if ((k = site_log_count(s, bad[i], NULL)) != 0)
			n += k < 0 ? 1 : k;
	if (n == 0)
		snprintf(msg, sizeof(msg), "gazette.log has no sanitizer "
		    "report");
	else
		snprintf(msg, sizeof(msg), "gazette.log has %d sanitizer "
		    "line(s) (or cannot be read): %s", n, s->log);
	if (!record(file, line, n == 0, msg))
		tail_file(s->log, LOG_TAIL_LINES);
	return n == 0;
}

void
site_check_log(struct site *s)
{
	CHECK_INT(site_log_count(s, "worker died", NULL), 0,
	    "\"worker died\" lines in gazette.log");
	CHECK_LOG_CLEAN(s);
}
