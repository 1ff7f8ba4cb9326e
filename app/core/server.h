/*
 * server: the FastCGI service.  The master binds the unix socket (or
 * takes one inherited on fd 0 from spawn-fcgi, or fd 3 from systemd
 * socket activation), forks the workers, restarts any that die (with
 * backoff when they die at once), reloads on SIGHUP (new workers with the
 * re-read configuration, old ones finish their request first) and drains
 * on SIGTERM/SIGINT.  Each worker opens its own SQLite connection and
 * serves one request at a time.
 */
#ifndef GAZETTE_SERVER_H
#define GAZETTE_SERVER_H

struct config;
struct req;

/*
 * Serve until told to stop.  cfg is owned by the server from here on (it
 * is replaced on reload).  Returns the process exit status: 0 after a
 * clean shutdown, 2 when it could not start (the reason is logged).
 */
int	 server_run(struct config *cfg);

/*
 * Handle one parsed-or-not request end to end on r, whose environment
 * and body are given: parse, dispatch, error pages, serialise into out.
 * Returns the status sent.  Used by the worker loop and by tests.
 */
int	 server_handle(struct req *r, char **env, const char *body,
	    size_t body_len, int early_status, struct buf *out);

#endif
