/*
 * config: Gazette's settings, read from an INI file (inih) and then from
 * GAZETTE_<KEY> environment variables, which win.  Every key has a
 * default, a type and a range in one table in config.c; an unknown key,
 * a bad value or an unreadable file is an error with the place named.
 * Secrets never live in the file itself: secret_file points to them.
 */
#ifndef GAZETTE_CONFIG_H
#define GAZETTE_CONFIG_H

#include <stddef.h>

struct config {
	char	*path;		/* file read, or NULL for defaults + env */
	/* [server] */
	char	*socket;
	long	 socket_mode;
	long	 workers;	/* 0: twice the cores */
	long	 max_requests;	/* 0: never recycle a worker */
	long	 shutdown_timeout;
	long	 page_cache;	/* KB of rendered public pages per worker */
	/* [paths] */
	char	*templates;
	char	*static_dir;
	char	*sql_dir;
	char	*media_dir;	/* uploaded images, served by nginx at /media/ */
	/* [database] */
	char	*database;
	char	*synchronous;	/* "full" or "normal" */
	long	 busy_timeout;	/* milliseconds */
	/* [site] */
	char	*site_name;
	char	*site_description;
	char	*site_url;
	char	*secret_file;
	long	 cache_max_age;	/* public pages: Cache-Control max-age */
	long	 sitemap_urls;	/* URLs per sitemap file before an index */
	/* [limits] */
	long	 max_body;
	long	 max_uri;
	long	 max_params;
	long	 max_key;
	long	 max_value;
	long	 max_headers;
	long	 max_cookie;
	long	 media_max_bytes;	/* largest upload to the media library */
	/* [accounts] */
	long	 signup;		/* 1: /accounts/signup/ is open */
	long	 session_days;		/* "remember me" session lifetime */
	long	 password_min_length;
	long	 password_ops;		/* argon2id opslimit */
	long	 password_mem;		/* argon2id memlimit, bytes */
	long	 reset_timeout_days;	/* password reset links */
	long	 login_fails_account;	/* throttle: failures per account */
	long	 login_fails_address;	/* throttle: failures per address */
	long	 throttle_window;	/* seconds the counts cover */
	long	 require_2fa_staff;	/* 1: staff must enrol in TOTP */
	long	 hsts_seconds;		/* Strict-Transport-Security over TLS */
	char	*outbox;		/* mail goes here as .eml files */
	char	*mail_from;
	long	 signup_verify_email;	/* 1: signup mails a verification link */
	/* [mail] */
	char	*smtp_host;		/* "": deliver to the outbox */
	long	 smtp_port;
	char	*smtp_tls;		/* "starttls", "tls" or "none" */
	char	*smtp_user;		/* "": no AUTH */
	char	*smtp_password_file;	/* "": GAZETTE_SMTP_PASSWORD */
	long	 smtp_timeout;		/* seconds for the whole delivery */
	char	*smtp_ca_file;		/* PEM CAs to trust; "": the system's */
	/* [jobs] */
	long	 job_lease_seconds;	/* a claimed job's lease */
	long	 job_backoff_base;	/* seconds before the first retry */
	long	 job_poll_ms;		/* idle worker's look for new jobs */
	long	 job_batch;		/* most jobs a worker claims at once */
	long	 trash_days;		/* trash older than this is purged */
	char	*backup_dir;		/* nightly backups; "": none */
	long	 backup_keep;		/* how many nightly backups to keep */
	/* [api] */
	long	 api_rate_limit;	/* requests a token may make a minute */
	char	*api_cors_origins;	/* space-separated origins; "none": off */
	/* [log] */
	char	*log_level;
	char	*log_format;		/* "logfmt" or "json" */
	/* [metrics] */
	char	*metrics_token;		/* Bearer token for /metrics; "" none */
	long	 readyz_min_free_mb;	/* /readyz fails below this free space */
};

/*
 * Fill *c with defaults, then the file at path (if not NULL), then the
 * environment.  Returns 0, or -1 with a one-line message in err that
 * names the file, line or variable and says how to fix it.
 * Free with config_free().
 */
int	 config_load(struct config *c, const char *path, char *err,
	    size_t errlen);
void	 config_free(struct config *c);

/*
 * The configuration in effect in this process, for code that runs deep
 * in a request (throttle limits, mail settings).  Set by main and by the
 * server on reload; NULL before.
 */
const struct config *config_current(void);
void	 config_set_current(const struct config *c);

/* The number of workers to run: c->workers, or twice the cores. */
int	 config_workers(const struct config *c);

/* Print every key with its current value, INI style, to stdout. */
void	 config_dump(const struct config *c);

#endif
