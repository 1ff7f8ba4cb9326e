/*
 * config: one table of keys (section, name, type, range, default) drives
 * defaults, INI parsing through inih, environment overrides, and dumping.
 * Relative paths are taken relative to the working directory.
 */
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "util.h"

enum key_type {
	K_STR,		/* any non-empty string */
	K_OPT,		/* any string; empty: unset */
	K_INT,		/* decimal in [min, max] */
	K_MODE,		/* octal file mode */
	K_BOOL,		/* on/off, yes/no, true/false, 1/0 */
	K_SYNC,		/* full | normal */
	K_LEVEL,	/* debug | info | warn | error */
	K_LOGFMT,	/* logfmt | json */
	K_SECRET,	/* a string that may be empty; dumped masked */
	K_TLS		/* starttls | tls | none */
};

struct key {
	const char	*section;
	const char	*name;
	enum key_type	 type;
	size_t		 off;
	long		 min, max;
	const char	*def;
};

#define S(f)	offsetof(struct config, f)

static const struct key keys[] = {
	{ "server", "socket", K_STR, S(socket), 0, 0, "var/gazette.sock" },
	{ "server", "socket_mode", K_MODE, S(socket_mode), 0, 0777, "0660" },
	{ "server", "workers", K_INT, S(workers), 0, 256, "0" },
	{ "server", "max_requests", K_INT, S(max_requests), 0, 1000000000,
	    "0" },
	{ "server", "shutdown_timeout", K_INT, S(shutdown_timeout), 1, 3600,
	    "10" },
	{ "server", "page_cache", K_INT, S(page_cache), 0, 1048576, "1024" },
	{ "paths", "templates", K_STR, S(templates), 0, 0, "templates" },
	{ "paths", "static", K_STR, S(static_dir), 0, 0, "static" },
	{ "paths", "sql", K_STR, S(sql_dir), 0, 0, "sql" },
	{ "paths", "media", K_STR, S(media_dir), 0, 0, "var/media" },
	{ "database", "database", K_STR, S(database), 0, 0, "var/gazette.db" },
	{ "database", "synchronous", K_SYNC, S(synchronous), 0, 0, "full" },
	{ "database", "busy_timeout", K_INT, S(busy_timeout), 0, 600000,
	    "5000" },
	{ "site", "site_name", K_STR, S(site_name), 0, 0, "Gazette" },
	{ "site", "site_description", K_STR, S(site_description), 0, 0,
	    "News, essays and notes." },
	{ "site", "site_url", K_STR, S(site_url), 0, 0,
	    "http://127.0.0.1:8080" },
	{ "site", "secret_file", K_STR, S(secret_file), 0, 0, "var/secret" },
	{ "site", "cache_max_age", K_INT, S(cache_max_age), 0, 31536000,
	    "60" },
	{ "site", "sitemap_urls", K_INT, S(sitemap_urls), 10, 50000,
	    "50000" },
	{ "limits", "max_body", K_INT, S(max_body), 1024, 1L << 30,
	    "1048576" },
	{ "limits", "max_uri", K_INT, S(max_uri), 256, 65536, "4096" },
	{ "limits", "max_params", K_INT, S(max_params), 1, 100000, "256" },
	{ "limits", "max_key", K_INT, S(max_key), 16, 65536, "256" },
	{ "limits", "max_value", K_INT, S(max_value), 64, 1L << 30, "65536" },
	{ "limits", "max_headers", K_INT, S(max_headers), 1024, 1L << 20,
	    "16384" },
	{ "limits", "max_cookie", K_INT, S(max_cookie), 64, 65536, "4096" },
	{ "limits", "media_max_bytes", K_INT, S(media_max_bytes), 1024,
	    1L << 30, "10485760" },
	{ "accounts", "signup", K_BOOL, S(signup), 0, 1, "on" },
	{ "accounts", "session_days", K_INT, S(session_days), 1, 3650, "14" },
	{ "accounts", "password_min_length", K_INT, S(password_min_length), 1,
	    128, "10" },
	/* libsodium's interactive limits: 2 passes over 64 MiB. */
	{ "accounts", "password_ops", K_INT, S(password_ops), 1, 64, "2" },
	{ "accounts", "password_mem", K_INT, S(password_mem), 8192,
	    1L << 32, "67108864" },
	{ "accounts", "reset_timeout_days", K_INT, S(reset_timeout_days), 1,
	    365, "3" },
	{ "accounts", "login_fails_account", K_INT, S(login_fails_account), 1,
	    1000, "5" },
	{ "accounts", "login_fails_address", K_INT, S(login_fails_address), 1,
	    100000, "20" },
	{ "accounts", "throttle_window", K_INT, S(throttle_window), 10,
	    86400, "900" },
	{ "accounts", "require_2fa_staff", K_BOOL, S(require_2fa_staff), 0, 1,
	    "off" },
	{ "accounts", "hsts_seconds", K_INT, S(hsts_seconds), 0, 63072000,
	    "31536000" },
	{ "accounts", "outbox", K_STR, S(outbox), 0, 0, "var/outbox" },
	{ "accounts", "mail_from", K_STR, S(mail_from), 0, 0,
	    "Gazette <gazette@localhost>" },
	{ "accounts", "signup_verify_email", K_BOOL, S(signup_verify_email),
	    0, 1, "off" },
	/* No smtp_host: mail is written to the outbox.  The password is
	 * never here: smtp_password_file, or GAZETTE_SMTP_PASSWORD. */
	{ "mail", "smtp_host", K_OPT, S(smtp_host), 0, 0, "" },
	{ "mail", "smtp_port", K_INT, S(smtp_port), 1, 65535, "587" },
	{ "mail", "smtp_tls", K_TLS, S(smtp_tls), 0, 0, "starttls" },
	{ "mail", "smtp_user", K_OPT, S(smtp_user), 0, 0, "" },
	{ "mail", "smtp_password_file", K_OPT, S(smtp_password_file), 0, 0,
	    "" },
	{ "mail", "smtp_timeout", K_INT, S(smtp_timeout), 1, 240, "30" },
	/* Certificates to trust instead of the system's; the server's is
	 * always verified (there is no key to turn that off). */
	{ "mail", "smtp_ca_file", K_OPT, S(smtp_ca_file), 0, 0, "" },
	{ "jobs", "job_lease_seconds", K_INT, S(job_lease_seconds), 1, 86400,
	    "300" },
	{ "jobs", "job_backoff_base", K_INT, S(job_backoff_base), 1, 3600,
	    "10" },
	{ "jobs", "job_poll_ms", K_INT, S(job_poll_ms), 10, 60000, "1000" },
	{ "jobs", "job_batch", K_INT, S(job_batch), 1, 32, "32" },
	{ "jobs", "trash_days", K_INT, S(trash_days), 1, 36500, "30" },
	{ "jobs", "backup_dir", K_OPT, S(backup_dir), 0, 0, "" },
	{ "jobs", "backup_keep", K_INT, S(backup_keep), 1, 1000, "7" },
	{ "api", "api_rate_limit", K_INT, S(api_rate_limit), 1, 1000000,
	    "600" },
	{ "api", "api_cors_origins", K_STR, S(api_cors_origins), 0, 0,
	    "none" },
	{ "log", "log_level", K_LEVEL, S(log_level), 0, 0, "info" },
	{ "log", "log_format", K_LOGFMT, S(log_format), 0, 0, "logfmt" },
	/* Better given as GAZETTE_METRICS_TOKEN than written in the file. */
	{ "metrics", "metrics_token", K_SECRET, S(metrics_token), 0, 0, "" },
	{ "metrics", "readyz_min_free_mb", K_INT, S(readyz_min_free_mb), 0,
	    1L << 30, "100" },
};

struct load {
	struct config	*c;
	char		*err;
	size_t		 errlen;
	bool		 failed;
};

static const struct key *
key_find(const char *name)
{
	for (size_t i = 0; i < NELEM(keys); i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

/*
 * Store value into the field of k.  Returns 0, or -1 with a message
 * (without the place: the caller prefixes it).
 */
static int
key_set(struct config *c, const struct key *k, const char *value,
    char *err, size_t errlen)
{
	char		*p = (char *)c + k->off;
	long long	 v;
	char		*end;

	switch (k->type) {
	case K_STR:
		if (*value == '\0') {
			snprintf(err, errlen, "%s must not be empty", k->name);
			return -1;
		}
		break;
	case K_OPT:
		break;
	case K_SYNC:
		if (strcmp(value, "full") != 0 && strcmp(value, "normal") != 0) {
			snprintf(err, errlen, "%s must be full or normal, "
			    "not '%s'", k->name, value);
			return -1;
		}
		break;
	case K_LOGFMT:
		if (strcmp(value, "logfmt") != 0 && strcmp(value, "json") != 0) {
			snprintf(err, errlen, "%s must be logfmt or json, "
			    "not '%s'", k->name, value);
			return -1;
		}
		break;
	case K_SECRET:
		if (*value != '\0' && strlen(value) < 16) {
			snprintf(err, errlen, "%s must be empty (none) or at "
			    "least 16 characters long", k->name);
			return -1;
		}
		break;
	case K_TLS:
		if (strcmp(value, "starttls") != 0 && strcmp(value, "tls") != 0 &&
		    strcmp(value, "none") != 0) {
			snprintf(err, errlen, "%s must be starttls, tls or "
			    "none, not '%s'", k->name, value);
			return -1;
		}
		break;
	case K_LEVEL:
		if (log_level_parse(value) < 0) {
			snprintf(err, errlen, "%s must be debug, info, warn "
			    "or error, not '%s'", k->name, value);
			return -1;
		}
		break;
	case K_INT:
		if (util_parse_int(value, k->min, k->max, &v) != 0) {
			snprintf(err, errlen, "%s must be a whole number from "
			    "%ld to %ld, not '%s'", k->name, k->min, k->max,
			    value);
			return -1;
		}
		*(long *)p = (long)v;
		return 0;
	case K_BOOL:
		if (strcasecmp(value, "on") == 0 || strcasecmp(value, "yes") == 0 ||
		    strcasecmp(value, "true") == 0 || strcmp(value, "1") == 0)
			*(long *)p = 1;
		else if (strcasecmp(value, "off") == 0 ||
		    strcasecmp(value, "no") == 0 ||
		    strcasecmp(value, "false") == 0 || strcmp(value, "0") == 0)
			*(long *)p = 0;
		else {
			snprintf(err, errlen, "%s must be on or off, not '%s'",
			    k->name, value);
			return -1;
		}
		return 0;
	case K_MODE:
		errno = 0;
		v = strtoll(value, &end, 8);
		if (*value == '\0' || *end != '\0' || errno != 0 || v < 0 ||
		    v > k->max) {
			snprintf(err, errlen, "%s must be an octal file mode "
			    "such as 0660, not '%s'", k->name, value);
			return -1;
		}
		*(long *)p = (long)v;
		return 0;
	}
	free(*(char **)p);
	*(char **)p = xstrdup(value);
	return 0;
}

/*
 * inih handler.  Debian's inih passes no line number; on error we keep
 * the message and return 0, and ini_parse() returns the line.
 */
static int
on_ini_key(void *user, const char *section, const char *name,
    const char *value)
{
	struct load		*l = user;
	const struct key	*k;

	if (l->failed)
		return 0;
	if ((k = key_find(name)) == NULL || (*section != '\0' &&
	    strcmp(section, k->section) != 0)) {
		if (k != NULL)
			snprintf(l->err, l->errlen, "key '%s' belongs in "
			    "section [%s], not [%s]", name, k->section, section);
		else
			snprintf(l->err, l->errlen, "unknown key '%s' (see "
			    "dist/gazette.ini.example for the keys)", name);
		l->failed = true;
		return 0;
	}
	if (key_set(l->c, k, value, l->err, l->errlen) != 0) {
		l->failed = true;
		return 0;
	}
	return 1;
}

int
config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	struct load	 l = { c, err, errlen, false };
	char		 msg[512], env[64];
	int		 rc;

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < NELEM(keys); i++)
		if (key_set(c, &keys[i], keys[i].def, msg, sizeof(msg)) != 0)
			abort();		/* a default is wrong: a bug */
	if (path != NULL) {
		c->path = xstrdup(path);
		if ((rc = ini_parse(path, on_ini_key, &l)) < 0) {
			snprintf(err, errlen, "cannot read config file %s: %s "
			    "(give an existing file with --config FILE)",
			    path, strerror(errno));
			return -1;
		}
		if (l.failed) {
			snprintf(msg, sizeof(msg), "%s", err);
			snprintf(err, errlen, "%s:%d: %s", path, rc, msg);
			return -1;
		}
		if (rc > 0) {
			snprintf(err, errlen, "%s:%d: malformed line (expected "
			    "'key = value' or '[section]')", path, rc);
			return -1;
		}
	}
	for (size_t i = 0; i < NELEM(keys); i++) {
		const char	*v;
		size_t		 j;

		snprintf(env, sizeof(env), "GAZETTE_%s", keys[i].name);
		for (j = 8; env[j] != '\0'; j++)
			env[j] = (char)toupper((unsigned char)env[j]);
		if ((v = getenv(env)) == NULL)
			continue;
		if (key_set(c, &keys[i], v, msg, sizeof(msg)) != 0) {
			snprintf(err, errlen, "environment %s: %s", env, msg);
			return -1;
		}
	}
	return 0;
}

void
config_free(struct config *c)
{
	for (size_t i = 0; i < NELEM(keys); i++) {
		if (keys[i].type == K_INT || keys[i].type == K_MODE ||
		    keys[i].type == K_BOOL)
			continue;
		free(*(char **)((char *)c + keys[i].off));
	}
	free(c->path);
	memset(c, 0, sizeof(*c));
}

static const struct config	*current;

const struct config *
config_current(void)
{
	return current;
}

void
config_set_current(const struct config *c)
{
	current = c;
}

int
config_workers(const struct config *c)
{
	long	 n;

	if (c->workers > 0)
		return (int)c->workers;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 2 : (int)(2 * n);
}

void
config_dump(const struct config *c)
{
	const char	*section = "";

	for (size_t i = 0; i < NELEM(keys); i++) {
		const struct key *k = &keys[i];
		const char	 *p = (const char *)c + k->off;

		if (strcmp(section, k->section) != 0) {
			printf("%s[%s]\n", i == 0 ? "" : "\n", k->section);
			section = k->section;
		}
		if (k->type == K_INT)
			printf("%s = %ld\n", k->name, *(const long *)p);
		else if (k->type == K_BOOL)
			printf("%s = %s\n", k->name, *(const long *)p ? "on" :
			    "off");
		else if (k->type == K_MODE)
			printf("%s = %04lo\n", k->name, *(const long *)p);
		else if (k->type == K_SECRET)
			printf("%s = %s\n", k->name, **(char *const *)p != '\0' ?
			    "(set, not shown)" : "");
		else
			printf("%s = %s\n", k->name, *(char *const *)p);
	}
}
