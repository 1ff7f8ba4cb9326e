/*
 * min_fcgi: the benchmark's baseline, a minimal FastCGI responder.
 *
 *	min_fcgi SOCKET_PATH FILE WORKERS
 *
 * Binds a unix socket at SOCKET_PATH, reads FILE into memory, forks
 * WORKERS prefork processes and answers every request, whatever its
 * method or path, with 200 and the bytes of FILE as text/html.  It does
 * what any libfcgi responder must do and nothing more (no parsing, no
 * routing, no logging), so nginx plus this process measures the cost of
 * the FastCGI hop alone, the floor under every Gazette page.
 *
 * The socket is made like Gazette's (server.c): socket, bind, chmod,
 * listen with the same backlog, so the two differ only in what runs
 * between FCGX_Accept_r and FCGX_Finish_r.  Unlike Gazette the socket
 * stays blocking and the workers simply sleep in accept(2).
 *
 * SIGTERM or SIGINT to the parent stops the workers and removes the
 * socket.  Workers also die with the parent (PR_SET_PDEATHSIG), so a
 * SIGKILLed parent leaves nothing behind.  If a worker dies on its own
 * the parent stops the rest and exits 1: a baseline that loses workers
 * would make the comparison meaningless, so it fails loudly.
 */
#include <errno.h>
#include <fcgiapp.h>
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

#define MAX_WORKERS	256
#define MAX_FILE	(64L * 1024 * 1024)
#define BACKLOG		1024		/* as Gazette's listen_socket() */
#define SOCKET_MODE	0600		/* nginx runs as us, or as root */

static const char	*progname = "min_fcgi";

/* A handler, so that SIGCHLD is never discarded as ignored. */
static void
on_chld(int sig)
{
	(void)sig;
}

/* Print "min_fcgi: WHAT PATH: strerror(errno)" and exit 1. */
static _Noreturn void
die(const char *what, const char *path)
{
	fprintf(stderr, "%s: %s %s: %s\n", progname, what, path,
	    strerror(errno));
	exit(1);
}

/*
 * Read path whole into a new buffer holding the FastCGI response: the
 * CGI header block, then the file's bytes.  *len gets its size.
 */
static char *
load_response(const char *path, size_t *len)
{
	FILE		*f;
	struct stat	 sb;
	char		 head[256];
	char		*resp;
	int		 n;

	if ((f = fopen(path, "rb")) == NULL)
		die("cannot open", path);
	if (fstat(fileno(f), &sb) != 0)
		die("cannot stat", path);
	if (!S_ISREG(sb.st_mode) || sb.st_size > MAX_FILE) {
		fprintf(stderr, "%s: %s: not a regular file of at most "
		    "64 MB\n", progname, path);
		exit(1);
	}
	n = snprintf(head, sizeof(head), "Status: 200 OK\r\n"
	    "Content-Type: text/html; charset=utf-8\r\n"
	    "Content-Length: %lld\r\n\r\n", (long long)sb.st_size);
	if ((resp = malloc((size_t)n + (size_t)sb.st_size)) == NULL)
		die("out of memory for", path);
	memcpy(resp, head, (size_t)n);
	if (fread(resp + n, 1, (size_t)sb.st_size, f) != (size_t)sb.st_size) {
		if (!ferror(f))
			errno = EIO;	/* shrank while we read it */
		die("cannot read", path);
	}
	fclose(f);
	*len = (size_t)n + (size_t)sb.st_size;
	return resp;
}

/* A listening unix socket at path; an old socket file is replaced. */
static int
listen_unix(const char *path)
{
	struct sockaddr_un	 sa;
	int			 fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		die("cannot use socket path", path);
	}
	strcpy(sa.sun_path, path);
	unlink(path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    chmod(path, SOCKET_MODE) != 0 || listen(fd, BACKLOG) != 0)
		die("cannot listen on", path);
	return fd;
}

/* The worker: accept, answer, repeat.  Never returns. */
static _Noreturn void
worker_main(int lfd, const char *resp, size_t len, pid_t parent)
{
	FCGX_Request	 fr;
	sigset_t	 none;
	int		 rc;

	/* Die with the parent, even if it died before this line. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(0);
	if (FCGX_Init() != 0 || FCGX_InitRequest(&fr, lfd, 0) != 0) {
		fprintf(stderr, "%s: FCGX_Init failed\n", progname);
		_exit(3);
	}
	/*
	 * After FCGX_Init, which installs its own SIGTERM handler (finish
	 * the request, then make FCGX_Accept_r fail): there is nothing to
	 * finish here, so SIGTERM simply kills the worker.
	 */
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);	/* nginx gone: PutStr fails, go on */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	while ((rc = FCGX_Accept_r(&fr)) >= 0) {
		FCGX_PutStr(resp, (int)len, fr.out);
		FCGX_Finish_r(&fr);
	}
	fprintf(stderr, "%s: worker %d: FCGX_Accept_r failed: %s\n",
	    progname, (int)getpid(), strerror(-rc));
	_exit(3);
}

/* Send sig to every live worker, then reap them all. */
static void
stop_workers(pid_t *pids, int n, int sig)
{
	for (int i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], sig);
	for (int i = 0; i < n; i++)
		if (pids[i] > 0)
			waitpid(pids[i], NULL, 0);
}

int
main(int argc, char **argv)
{
	static pid_t	 pids[MAX_WORKERS];
	sigset_t	 set;
	const char	*sock;
	char		*resp, *end;
	size_t		 len;
	long		 n;
	int		 lfd, sig, status, rc = 0;
	pid_t		 parent = getpid(), pid;

	if (argc != 4) {
		fprintf(stderr, "usage: %s SOCKET_PATH FILE WORKERS\n",
		    progname);
		return 2;
	}
	sock = argv[1];
	errno = 0;
	n = strtol(argv[3], &end, 10);
	if (*argv[3] == '\0' || *end != '\0' || errno != 0 || n < 1 ||
	    n > MAX_WORKERS) {
		fprintf(stderr, "%s: WORKERS must be a number from 1 to %d, "
		    "not '%s'\n", progname, MAX_WORKERS, argv[3]);
		return 2;
	}
	resp = load_response(argv[2], &len);
	if (len > (size_t)0x7fffffff) {
		fprintf(stderr, "%s: %s is too big\n", progname, argv[2]);
		return 2;
	}

	/*
	 * Block the signals the parent waits for before forking, so none
	 * is lost between fork and sigwait(); workers unblock them.
	 */
	signal(SIGCHLD, on_chld);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);

	lfd = listen_unix(sock);
	for (int i = 0; i < n; i++) {
		if ((pid = fork()) < 0) {
			fprintf(stderr, "%s: fork: %s\n", progname,
			    strerror(errno));
			stop_workers(pids, i, SIGTERM);
			unlink(sock);
			return 1;
		}
		if (pid == 0)
			worker_main(lfd, resp, len, parent);
		pids[i] = pid;
	}

	/* Wait for SIGTERM/SIGINT, or for a worker to die by itself. */
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGTERM || sig == SIGINT)
			break;
		if ((pid = waitpid(-1, &status, WNOHANG)) <= 0)
			continue;
		for (int i = 0; i < n; i++)
			if (pids[i] == pid)
				pids[i] = 0;
		fprintf(stderr, "%s: worker %d died (%s %d): stopping\n",
		    progname, (int)pid, WIFSIGNALED(status) ? "signal" :
		    "exit", WIFSIGNALED(status) ? WTERMSIG(status) :
		    WEXITSTATUS(status));
		rc = 1;
		break;
	}
	stop_workers(pids, (int)n, SIGTERM);
	unlink(sock);
	close(lfd);
	free(resp);
	return rc;
}
