/*
 * ops: the operator's commands (see ops.h).  The audit reads the
 * configuration, the site settings and the files, then asks the live
 * site through nginx; backup and restore use SQLite's online backup API
 * on the connection of core/db; dumpdata and loaddata move raw rows
 * through core/model's metadata, so no table or column name is written
 * here.  Owns no table.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/db.h"
#include "core/http.h"
#include "core/migrate.h"
#include "core/model.h"
#include "core/settings.h"
#include "core/util.h"
#include "site/ops.h"

#define PAGE_ROWS	500	/* rows of a dumpdata page */
#define BACKUP_PAGES	64	/* pages copied per backup step */

/* A request for a command's queries; free with req_free(). */
static void
ops_req(const struct config *c, struct req *r)
{
	struct http_limits	 limits;

	http_limits_from_config(&limits, c);
	req_init(r, &limits);
}

/* ---- check --deploy ------------------------------------------------------ */

static void
say(FILE *out, struct ops_tally *t, int level, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* One audit line: level 0 OK, 1 WARNING, 2 ERROR. */
static void
say(FILE *out, struct ops_tally *t, int level, const char *fmt, ...)
{
	static const char *const names[] = { "OK", "WARNING", "ERROR" };
	va_list	 ap;

	fprintf(out, "%-8s", names[level]);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
	if (level == 0)
		t->ok++;
	else if (level == 1)
		t->warnings++;
	else
		t->errors++;
}

double
ops_entropy(const unsigned char *s, size_t n)
{
	size_t	 count[256] = { 0 };
	double	 h = 0;

	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		count[s[i]]++;
	for (size_t i = 0; i < 256; i++)
		if (count[i] > 0) {
			double p = (double)count[i] / (double)n;

			h -= p * log2(p);
		}
	return h;
}

int
ops_secret_judge(const unsigned char *s, size_t n, const char **why)
{
	static const char *const phrases[] = { "secret", "example",
	    "changeme", "change-me", "password", "test", "xxxx", NULL };
	size_t	 distinct = 0;
	bool	 seen[256] = { false };

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' ||
	    s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n < 32) {
		*why = "shorter than 32 bytes";
		return 2;
	}
	for (size_t i = 0; i < n; i++)
		if (!seen[s[i]]) {
			seen[s[i]] = true;
			distinct++;
		}
	/* base64 of 32 random bytes: 44 characters, about 5 bits each. */
	if (distinct < 16 || ops_entropy(s, n) * (double)n < 128) {
		*why = "too little entropy (under 128 bits estimated)";
		return 2;
	}
	for (size_t k = 0; phrases[k] != NULL; k++) {
		size_t	 len = strlen(phrases[k]);

		for (size_t i = 0; i + len <= n; i++)
			if (strncasecmp((const char *)s + i, phrases[k],
			    len) == 0) {
				*why = "it reads like an example or test "
				    "phrase";
				return 1;
			}
	}
	*why = "";
	return 0;
}

bool
ops_cookie_has(const char *sc, const char *name, char **value)
{
	size_t		 len = strlen(name), k;
	const char	*p = strchr(sc, ';');

	if (value != NULL)
		*value = NULL;
	while (p != NULL) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		k = strcspn(p, "=;");
		while (k > 0 && (p[k - 1] == ' ' || p[k - 1] == '\t'))
			k--;
		if (k == len && strncasecmp(p, name, len) == 0) {
			if (value != NULL && p[strcspn(p, "=;")] == '=') {
				const char *v = p + strcspn(p, "=;") + 1;

				while (*v == ' ')
					v++;
				*value = strndup(v, strcspn(v, ";"));
				if (*value == NULL)
					abort();
			}
			return true;
		}
		p = strchr(p, ';');
	}
	return false;
}

/* Permission lines for path: world access an error, as is group write. */
static void
check_mode(FILE *out, struct ops_tally *t, const char *what,
    const char *path, bool required, bool is_dir)
{
	struct stat	 sb;

	if (stat(path, &sb) != 0) {
		if (required)
			say(out, t, 2, "%s %s: %s", what, path,
			    strerror(errno));
		return;
	}
	if (!is_dir && (sb.st_mode & 0007) != 0)
		say(out, t, 2, "%s %s is readable by everyone (mode %04o): "
		    "chmod o-rwx %s", what, path, (unsigned)sb.st_mode & 07777,
		    path);
	else if ((sb.st_mode & 0022) != 0)
		say(out, t, 2, "%s %s is writable by others (mode %04o): "
		    "chmod go-w %s", what, path, (unsigned)sb.st_mode & 07777,
		    path);
	else if (is_dir && (sb.st_mode & 0007) != 0)
		say(out, t, 1, "%s %s is open to everyone (mode %04o): "
		    "chmod o-rwx %s so only gazette's group lists it", what,
		    path, (unsigned)sb.st_mode & 07777, path);
	else
		say(out, t, 0, "%s %s (mode %04o)", what, path,
		    (unsigned)sb.st_mode & 07777);
}

static void
check_secret(const struct config *c, FILE *out, struct ops_tally *t)
{
	unsigned char	 raw[4096];
	const char	*why;
	size_t		 n;
	FILE		*f;
	int		 v;

	check_mode(out, t, "secret file", c->secret_file, true, false);
	if ((f = fopen(c->secret_file, "rb")) == NULL)
		return;
	n = fread(raw, 1, sizeof(raw), f);
	fclose(f);
	v = ops_secret_judge(raw, n, &why);
	memset(raw, 0, sizeof(raw));
	if (v == 0)
		say(out, t, 0, "secret is long and random enough");
	else
		say(out, t, v, "secret in %s: %s: (umask 077; head -c 32 "
		    "/dev/urandom | base64 > %s), then restart", c->secret_file,
		    why, c->secret_file);
}

/* The directory of path (a static copy). */
static const char *
dir_of(const char *path, char *buf, size_t n)
{
	char	*slash;

	snprintf(buf, n, "%s", path);
	if ((slash = strrchr(buf, '/')) == NULL)
		return ".";
	if (slash == buf)
		return "/";
	*slash = '\0';
	return buf;
}

static void
check_settings(const struct config *c, FILE *out, struct ops_tally *t)
{
	const struct settings_site	*ss;
	struct req			 r;
	const char			*mod;
	long				 guests;

#ifdef GAZETTE_TEST
	say(out, t, 1, "this gazette is a test build (fault hooks compiled "
	    "in): install the one plain 'make' builds");
#else
	say(out, t, 0, "production build");
#endif
	if (strcasecmp(c->log_level, "debug") == 0)
		say(out, t, 1, "log_level = debug logs more than production "
		    "needs: set log_level = info");
	else
		say(out, t, 0, "log_level = %s", c->log_level);
	if (strncmp(c->site_url, "https://", 8) == 0) {
		say(out, t, 0, "site_url is https: cookies get Secure when "
		    "nginx passes HTTPS on");
		if (c->hsts_seconds <= 0)
			say(out, t, 1, "hsts_seconds = 0: set hsts_seconds = "
			    "31536000 so browsers keep to https");
		else if (c->hsts_seconds < 15552000)
			say(out, t, 1, "hsts_seconds = %ld is under 180 days: "
			    "set 31536000", c->hsts_seconds);
		else
			say(out, t, 0, "hsts_seconds = %ld", c->hsts_seconds);
	} else
		say(out, t, 1, "site_url %s is not https: serve the site "
		    "over TLS (INSTALL, nginx) and set site_url = https://...; "
		    "then cookies get Secure and HSTS is sent", c->site_url);
	if ((c->socket_mode & 0007) != 0)
		say(out, t, 1, "socket_mode %04lo lets any local user talk "
		    "FastCGI past nginx: set socket_mode = 0660",
		    c->socket_mode);
	if (c->password_ops < 2 || c->password_mem < 67108864L)
		say(out, t, 1, "password_ops/password_mem are below "
		    "libsodium's interactive limits (2, 67108864): raise them");

	ops_req(c, &r);
	ss = settings_site(&r);
	mod = settings_get(&r, "comment_moderation", "previously_approved");
	guests = settings_int(&r, "comment_guests", 1, 0, 1);
	if (strcmp(mod, "none") == 0 && guests == 1)
		say(out, t, 1, "guests' comments are published unmoderated "
		    "(Moderation: none, guests may comment): choose "
		    "'previously_approved' in the admin's site settings");
	else
		say(out, t, 0, "comments: moderation %s, guests %s", mod,
		    guests ? "may comment" : "may not comment");
	if (ss->signup && strcmp(mod, "none") == 0)
		say(out, t, 1, "sign-up is open and comments are unmoderated: "
		    "anyone can publish; set Moderation or close sign-up");
	else
		say(out, t, 0, "sign-up %s", ss->signup ? "open" : "closed");
	if (!ss->require_2fa_staff)
		say(out, t, 1, "staff may work without two-factor "
		    "authentication: turn on 'Two-factor required for staff'");
	else
		say(out, t, 0, "staff need two-factor authentication");
	req_free(&r);
}

/* ---- the live site ---------------------------------------------------- */

struct fetched {
	long	 status;
	char	**names;
	char	**values;
	size_t	 n;
};

static size_t
on_header(char *data, size_t size, size_t nitems, void *arg)
{
	struct fetched	*f = arg;
	size_t		 len = size * nitems, k, e;

	if (len > 5 && strncmp(data, "HTTP/", 5) == 0) {
		for (size_t i = 0; i < f->n; i++) {	/* a new response */
			free(f->names[i]);
			free(f->values[i]);
		}
		f->n = 0;
		return len;
	}
	if ((k = strcspn(data, ":")) >= len)
		return len;
	e = len;
	while (e > 0 && (data[e - 1] == '\r' || data[e - 1] == '\n'))
		e--;
	f->names = xrealloc(f->names, (f->n + 1) * sizeof(*f->names));
	f->values = xrealloc(f->values, (f->n + 1) * sizeof(*f->values));
	f->names[f->n] = xmalloc(k + 1);
	memcpy(f->names[f->n], data, k);
	f->names[f->n][k] = '\0';
	k++;
	while (k < e && data[k] == ' ')
		k++;
	f->values[f->n] = xmalloc(e - k + 1);
	memcpy(f->values[f->n], data + k, e - k);
	f->values[f->n][e - k] = '\0';
	f->n++;
	return len;
}

static size_t
on_body(char *data, size_t size, size_t nitems, void *arg)
{
	(void)data;
	(void)arg;
	return size * nitems;
}

static void
fetched_free(struct fetched *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->names[i]);
		free(f->values[i]);
	}
	free(f->names);
	free(f->values);
	memset(f, 0, sizeof(*f));
}

static const char *
fetched_header(const struct fetched *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcasecmp(f->names[i], name) == 0)
			return f->values[i];
	return NULL;
}

/* GET url into f; 0, or -1 with the error in err. */
static int
fetch(const char *url, struct fetched *f, char *err, size_t errlen)
{
	CURL		*h;
	CURLcode	 rc;

	memset(f, 0, sizeof(*f));
	if ((h = curl_easy_init()) == NULL) {
		snprintf(err, errlen, "libcurl cannot start");
		return -1;
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, f);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 15L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "gazette-check/1");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	if ((rc = curl_easy_perform(h)) != CURLE_OK) {
		snprintf(err, errlen, "%s", curl_easy_strerror(rc));
		curl_easy_cleanup(h);
		return -1;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &f->status);
	curl_easy_cleanup(h);
	return 0;
}

static void
check_headers(const struct fetched *f, const char *url, bool https,
    FILE *out, struct ops_tally *t)
{
	static const struct {
		const char	*name;
		const char	*want;	/* a substring it must hold */
		const char	*fix;
	} hs[] = {
		{ "Content-Security-Policy", "default-src", "gazette sends "
		  "it: check nginx does not drop it (proxy_hide_header)" },
		{ "X-Content-Type-Options", "nosniff", "gazette sends "
		  "'nosniff': check nginx does not drop it" },
		{ "X-Frame-Options", "", "gazette sends DENY: check nginx "
		  "does not drop it" },
		{ "Referrer-Policy", "", "gazette sends same-origin: check "
		  "nginx does not drop it" },
	};
	const char	*v;

	for (size_t i = 0; i < NELEM(hs); i++) {
		if ((v = fetched_header(f, hs[i].name)) == NULL)
			say(out, t, 2, "%s: no %s header: %s", url, hs[i].name,
			    hs[i].fix);
		else if (strstr(v, hs[i].want) == NULL)
			say(out, t, 2, "%s: %s is '%s': %s", url, hs[i].name,
			    v, hs[i].fix);
		else
			say(out, t, 0, "%s: %s: %s", url, hs[i].name, v);
	}
	v = fetched_header(f, "Strict-Transport-Security");
	if (https && v == NULL)
		say(out, t, 2, "%s: no Strict-Transport-Security over https: "
		    "set hsts_seconds and pass 'fastcgi_param HTTPS on' from "
		    "nginx", url);
	else if (https)
		say(out, t, 0, "%s: Strict-Transport-Security: %s", url, v);
	else
		say(out, t, 1, "%s: no HSTS (plain http): serve over https",
		    url);
	if ((v = fetched_header(f, "Server")) != NULL && strchr(v, '/') !=
	    NULL)
		say(out, t, 1, "%s: Server: %s tells its version: set "
		    "'server_tokens off;' in nginx", url, v);
}

static void
check_cookies(const struct fetched *f, const char *url, bool https,
    FILE *out, struct ops_tally *t)
{
	char	*ss;
	int	 n = 0;

	for (size_t i = 0; i < f->n; i++) {
		const char	*sc = f->values[i];
		size_t		 k = strcspn(sc, "=");

		if (strcasecmp(f->names[i], "Set-Cookie") != 0)
			continue;
		n++;
		if (!ops_cookie_has(sc, "HttpOnly", NULL))
			say(out, t, 2, "%s: cookie %.*s is not HttpOnly", url,
			    (int)k, sc);
		else
			say(out, t, 0, "%s: cookie %.*s is HttpOnly", url,
			    (int)k, sc);
		if (!ops_cookie_has(sc, "SameSite", &ss) || ss == NULL ||
		    strcasecmp(ss, "None") == 0)
			say(out, t, 2, "%s: cookie %.*s has no SameSite=Lax or "
			    "Strict", url, (int)k, sc);
		else
			say(out, t, 0, "%s: cookie %.*s is SameSite=%s", url,
			    (int)k, sc, ss);
		free(ss);
		if (ops_cookie_has(sc, "Secure", NULL))
			say(out, t, 0, "%s: cookie %.*s is Secure", url,
			    (int)k, sc);
		else if (https)
			say(out, t, 2, "%s: cookie %.*s is not Secure over "
			    "https: pass 'fastcgi_param HTTPS on' from nginx",
			    url, (int)k, sc);
		else
			say(out, t, 1, "%s: cookie %.*s is not Secure (plain "
			    "http): serve over https", url, (int)k, sc);
	}
	if (n == 0)
		say(out, t, 1, "%s: set no cookie, so no flags to check", url);
}

static void
check_live(const char *base, FILE *out, struct ops_tally *t)
{
	static const char *const paths[] = { "/", "/accounts/login/" };
	struct fetched	 f;
	char		 url[2048], err[CURL_ERROR_SIZE + 64];
	size_t		 n = strlen(base);
	bool		 https = strncmp(base, "https://", 8) == 0;

	while (n > 0 && base[n - 1] == '/')
		n--;
	if (strncmp(base, "http://", 7) != 0 && !https) {
		say(out, t, 2, "%s is not an http(s) URL: give --url "
		    "https://HOST or set site_url", base);
		return;
	}
	for (size_t i = 0; i < NELEM(paths); i++) {
		snprintf(url, sizeof(url), "%.*s%s", (int)n, base, paths[i]);
		if (fetch(url, &f, err, sizeof(err)) != 0) {
			say(out, t, 2, "cannot GET %s: %s (is nginx running? "
			    "give --url, or --offline to skip)", url, err);
			return;
		}
		if (f.status != 200)
			say(out, t, 2, "GET %s answered %ld, not 200", url,
			    f.status);
		else
			say(out, t, 0, "GET %s answered 200", url);
		if (i == 0)
			check_headers(&f, url, https, out, t);
		else
			check_cookies(&f, url, https, out, t);
		fetched_free(&f);
	}
}

void
ops_check_deploy(const struct config *c, const char *url, FILE *out,
    struct ops_tally *t)
{
	char	 dir[4096], path[4200];

	check_settings(c, out, t);
	check_secret(c, out, t);
	check_mode(out, t, "database", c->database, true, false);
	snprintf(path, sizeof(path), "%s-wal", c->database);
	check_mode(out, t, "database WAL", path, false, false);
	snprintf(path, sizeof(path), "%s-shm", c->database);
	check_mode(out, t, "database shared memory", path, false, false);
	check_mode(out, t, "database directory", dir_of(c->database, dir,
	    sizeof(dir)), true, true);
	check_mode(out, t, "media directory", c->media_dir, false, true);
	if (url == NULL)
		url = c->site_url;
	if (*url != '\0')
		check_live(url, out, t);
}

/* ---- backup and restore -------------------------------------------------- */

/* Run a one-value pragma or query (a literal) on h: its integer, or -1. */
static long long
h_int(sqlite3 *h, const char *sql)
{
	sqlite3_stmt	*st;
	long long	 v = -1;

	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* integrity_check of h: 0 if "ok", else -1 with its first line in err. */
static int
h_integrity(sqlite3 *h, char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	const char	*v;
	int		 rc = -1;

	if (sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(h));
		return -1;
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		v = (const char *)sqlite3_column_text(st, 0);
		if (v != NULL && strcmp(v, "ok") == 0)
			rc = 0;
		else
			snprintf(err, errlen, "integrity_check: %s",
			    v != NULL ? v : "?");
	} else
		snprintf(err, errlen, "%s", sqlite3_errmsg(h));
	sqlite3_finalize(st);
	return rc;
}

/*
 * Copy src into dst with the backup API, BACKUP_PAGES at a time,
 * waiting out locks for up to timeout_ms in all.  0 or -1 (err).
 */
static int
copy_db(sqlite3 *dst, sqlite3 *src, int pages, long timeout_ms, char *err,
    size_t errlen)
{
	sqlite3_backup	*b;
	long		 waited = 0;
	int		 rc;

	if ((b = sqlite3_backup_init(dst, "main", src, "main")) == NULL) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(dst));
		return -1;
	}
	for (;;) {
		rc = sqlite3_backup_step(b, pages);
		if (rc == SQLITE_DONE)
			break;
		if (rc == SQLITE_OK) {
			sqlite3_sleep(0);	/* yield between steps */
			continue;
		}
		if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED ||
		    (rc & 0xff) == SQLITE_BUSY) && waited < timeout_ms) {
			sqlite3_sleep(10);
			waited += 10;
			continue;
		}
		break;
	}
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "%s", sqlite3_errstr(rc));
		return -1;
	}
	return 0;
}

/* Remove path and its journal files, quietly. */
static void
unlink_db(const char *path)
{
	char	 p[4200];

	unlink(path);
	snprintf(p, sizeof(p), "%s-journal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

/* The model counts of the open database, printed. */
static int
print_counts(struct req *r, FILE *out)
{
	for (const struct model *const *m = model_all(); *m != NULL; m++) {
		int64_t n = model_raw_count(r, *m);

		if (n < 0)
			return -1;
		fprintf(out, "  %-12s %lld\n", (*m)->verbose_plural,
		    (long long)n);
	}
	return 0;
}

/*
 * The body of ops_backup on the open database; quiet selects whether
 * counts are printed.  0 or 1.
 */
static int
backup_to(const struct config *c, const char *path, bool force, FILE *out,
    bool counts)
{
	sqlite3		*dst = NULL;
	struct req	 r;
	struct stat	 sb;
	char		 tmp[4200], err[9000] = "";
	int		 rc = 1;

	if (!force && stat(path, &sb) == 0) {
		fprintf(stderr, "gazette: backup: %s exists: give another "
		    "name, or --force to replace it\n", path);
		return 1;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid());
	unlink_db(tmp);
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		fprintf(stderr, "gazette: backup: cannot create %s: %s (is "
		    "the directory there and writable?)\n", tmp,
		    dst != NULL ? sqlite3_errmsg(dst) : "out of memory");
		sqlite3_close(dst);
		unlink_db(tmp);
		return 1;
	}
	sqlite3_busy_timeout(dst, (int)c->busy_timeout);
	ops_req(c, &r);
	/*
	 * One read transaction over the whole copy: in WAL mode writers go
	 * on, the copy is the snapshot this transaction sees and the backup
	 * never restarts because of their commits.
	 */
	if (db_exec(&r, "BEGIN") != 0 ||
	    db_exec(&r, "SELECT count(*) FROM sqlite_schema") != 0) {
		snprintf(err, sizeof(err), "cannot start a read transaction");
		goto done;
	}
	if (counts)
		fprintf(out, "Rows in the backup:\n");
	if ((counts && print_counts(&r, out) != 0) ||
	    copy_db(dst, db_handle(), BACKUP_PAGES, c->busy_timeout, err,
	    sizeof(err)) != 0) {
		if (*err == '\0')
			snprintf(err, sizeof(err), "counting rows failed");
		db_rollback(&r);
		goto done;
	}
	db_rollback(&r);		/* ends the read transaction */
	/* One self-contained file, without a WAL beside it. */
	if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL,
	    NULL) != SQLITE_OK || h_integrity(dst, err, sizeof(err)) != 0)
		goto done;
	sqlite3_close(dst);
	dst = NULL;
	if (force) {
		if (rename(tmp, path) != 0) {
			snprintf(err, sizeof(err), "cannot move %s to %s: %s",
			    tmp, path, strerror(errno));
			goto done;
		}
	} else if (link(tmp, path) != 0) {
		/* link() refuses an existing path atomically. */
		snprintf(err, sizeof(err), errno == EEXIST ? "%s appeared "
		    "meanwhile: give another name or --force" : "cannot "
		    "create %s: %s", path, strerror(errno));
		goto done;
	}
	rc = 0;
	if (stat(path, &sb) == 0)
		fprintf(out, "Backed up %s to %s: %lld bytes, integrity_check "
		    "ok.\n", c->database, path, (long long)sb.st_size);
done:
	if (dst != NULL)
		sqlite3_close(dst);
	unlink_db(tmp);
	req_free(&r);
	if (rc != 0)
		fprintf(stderr, "gazette: backup: %s\n", err);
	return rc;
}

int
ops_backup(const struct config *c, const char *path, bool force, FILE *out)
{
	return backup_to(c, path, force, out, true);
}

/* Is a server listening on the configured socket? */
static bool
server_running(const struct config *c)
{
	struct sockaddr_un	 sa;
	int			 fd;
	bool			 up;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(c->socket) >= sizeof(sa.sun_path))
		return false;
	memcpy(sa.sun_path, c->socket, strlen(c->socket) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		return false;
	up = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	return up;
}

/*
 * Check that src is a Gazette database this binary can run: integrity,
 * schema_migrations, and every migration in it known in sql_dir.
 * 0, or -1 with the reason in err.
 */
static int
check_gazette_db(const struct config *c, sqlite3 *src, int *applied,
    char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	char		 p[4200];
	int		 rc = 0;

	if (h_integrity(src, err, errlen) != 0)
		return -1;
	if (h_int(src, "SELECT count(*) FROM sqlite_schema WHERE type = "
	    "'table' AND name = 'schema_migrations'") != 1) {
		snprintf(err, errlen, "it has no schema_migrations table: not "
		    "a Gazette database");
		return -1;
	}
	if (sqlite3_prepare_v2(src, "SELECT name FROM schema_migrations "
	    "ORDER BY name", -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(src));
		return -1;
	}
	*applied = 0;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);

		(*applied)++;
		snprintf(p, sizeof(p), "%s/%s", c->sql_dir, name != NULL ?
		    name : "");
		if (name == NULL || strchr(name, '/') != NULL ||
		    access(p, R_OK) != 0) {
			snprintf(err, errlen, "it has migration %s, which this "
			    "gazette does not know: restore it with the "
			    "gazette that made it", name != NULL ? name : "?");
			rc = -1;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

int
ops_restore(const struct config *c, const char *path, bool force, FILE *out)
{
	sqlite3		*src = NULL;
	char		 err[1024], before[4200];
	const char	*first = NULL;
	int		 applied = 0, pending, rc = 1;

	if (access(path, R_OK) != 0) {
		fprintf(stderr, "gazette: restore: cannot read %s: %s\n", path,
		    strerror(errno));
		return 1;
	}
	if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK || check_gazette_db(c, src, &applied, err,
	    sizeof(err)) != 0) {
		if (src == NULL)
			snprintf(err, sizeof(err), "out of memory");
		else if (sqlite3_errcode(src) == SQLITE_NOTADB)
			snprintf(err, sizeof(err), "not an SQLite database");
		fprintf(stderr, "gazette: restore: %s: %s\n", path, err);
		sqlite3_close(src);
		return 1;
	}
	if (!force && server_running(c)) {
		fprintf(stderr, "gazette: restore: a server answers on %s: "
		    "stop the service first (systemctl stop gazette), or "
		    "give --force\n", c->socket);
		sqlite3_close(src);
		return 1;
	}
	if (db_open(c, true, err, sizeof(err)) != 0) {
		fprintf(stderr, "gazette: restore: %s\n", err);
		sqlite3_close(src);
		return 1;
	}
	snprintf(before, sizeof(before), "%s.before-restore", c->database);
	if (backup_to(c, before, true, out, false) != 0) {
		fprintf(stderr, "gazette: restore: the current database could "
		    "not be saved to %s; nothing was restored\n", before);
		goto done;
	}
	if (copy_db(db_handle(), src, -1, c->busy_timeout, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "gazette: restore: copying %s in failed: %s "
		    "(the database is unchanged; the old one is also in "
		    "%s)\n", path, err, before);
		goto done;
	}
	if (h_integrity(db_handle(), err, sizeof(err)) != 0) {
		fprintf(stderr, "gazette: restore: %s after the copy: %s; "
		    "restore %s to go back\n", c->database, err, before);
		goto done;
	}
	fprintf(out, "Restored %s from %s (%d migrations applied in it).\n",
	    c->database, path, applied);
	pending = migrate_pending(c->sql_dir, &first, err, sizeof(err));
	if (pending > 0)
		fprintf(out, "%d migration(s) pending (first: %s): run "
		    "'gazette migrate' before starting the service.\n",
		    pending, first);
	rc = 0;
done:
	sqlite3_close(src);
	db_close();
	return rc;
}

/* ---- dumpdata ------------------------------------------------------------ */

struct dump {
	FILE		*out;
	const struct model *m;
	int64_t		 done;		/* rows of this model written */
	int64_t		 total;
	int64_t		 written;	/* objects of every model */
	bool		 progress;
	bool		 bad;
	int64_t		 last;		/* the last pk seen */
};

/* A raw value as JSON, by its field's type; NULL for invalid UTF-8. */
static json_t *
raw_to_json(const struct model_raw *x)
{
	json_t		*a;
	const char	*p;
	long long	 id;

	if (x->field != NULL && x->field->type == MODEL_MANY_TO_MANY) {
		a = json_array();
		for (p = x->s; (p = model_id_next(p, &id)) != NULL;)
			json_array_append_new(a, json_integer(id));
		return a;
	}
	switch (x->type) {
	case SQLITE_NULL:
		return json_null();
	case SQLITE_INTEGER:
		if (x->field != NULL && x->field->type == MODEL_BOOLEAN)
			return json_boolean(x->i != 0);
		return json_integer(x->i);
	case SQLITE_FLOAT:
		return json_real(x->d);
	default:
		return json_stringn(x->s, x->len);
	}
}

static int
dump_row(void *arg, int64_t pk, const struct model_raw *v, size_t n)
{
	struct dump	*d = arg;
	json_t		*o, *fields, *j;

	o = json_object();
	fields = json_object();
	json_object_set_new(o, "model", json_string(d->m->name));
	json_object_set_new(o, "pk", json_integer(pk));
	for (size_t i = 0; i < n; i++) {
		if ((j = raw_to_json(&v[i])) == NULL) {
			fprintf(stderr, "gazette: dumpdata: %s %lld: field %s "
			    "is not valid UTF-8\n", d->m->name, (long long)pk,
			    v[i].name);
			json_decref(fields);
			json_decref(o);
			d->bad = true;
			return -1;
		}
		json_object_set_new(fields, v[i].name, j);
	}
	json_object_set_new(o, "fields", fields);
	fputs(d->written > 0 ? ",\n" : "\n", d->out);
	if (json_dumpf(o, d->out, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0)
		d->bad = true;
	json_decref(o);
	d->written++;
	d->done++;
	d->last = pk;
	if (d->progress && (d->done % 1000 == 0 || d->done == d->total))
		fprintf(stderr, "\rdumpdata: %-12s %lld/%lld (%d%%)",
		    d->m->verbose_plural, (long long)d->done,
		    (long long)d->total, d->total > 0 ? (int)(d->done *
		    100 / d->total) : 100);
	return d->bad ? -1 : 0;
}

int
ops_dumpdata(const struct config *c, char *const *models, size_t n,
    FILE *out, bool progress)
{
	const struct model	*list[32];
	struct dump		 d = { .out = out };
	struct req		 r;
	size_t			 k = 0;
	int			 rows, rc = 1;

	if (n == 0)
		for (const struct model *const *m = model_all(); *m != NULL &&
		    k < NELEM(list); m++)
			list[k++] = *m;
	for (size_t i = 0; i < n; i++) {
		const struct model *m = model_find(models[i]);

		if (m == NULL) {
			fprintf(stderr, "gazette: dumpdata: unknown model %s "
			    "(models:", models[i]);
			for (const struct model *const *a = model_all();
			    *a != NULL; a++)
				fprintf(stderr, " %s", (*a)->name);
			fprintf(stderr, ") (see 'gazette dumpdata --help')\n");
			return 2;
		}
		if (k < NELEM(list))
			list[k++] = m;
	}
	ops_req(c, &r);
	/* One snapshot for the whole dump: writers go on meanwhile. */
	if (db_exec(&r, "BEGIN") != 0 ||
	    db_exec(&r, "SELECT count(*) FROM sqlite_schema") != 0)
		goto done;
	fputs("[", out);
	for (size_t i = 0; i < k; i++) {
		d.m = list[i];
		d.done = 0;
		d.last = 0;
		d.progress = progress;
		if (progress && (d.total = model_raw_count(&r, d.m)) < 0)
			goto done;
		do {
			rows = model_raw_scan(&r, d.m, d.last, PAGE_ROWS,
			    dump_row, &d);
			arena_reset(r.arena);
		} while (rows == PAGE_ROWS);
		if (rows < 0)
			goto done;
		if (progress)
			fputc('\n', stderr);
	}
	fputs(d.written > 0 ? "\n]\n" : "]\n", out);
	if (fflush(out) != 0 || ferror(out)) {
		fprintf(stderr, "gazette: dumpdata: writing failed: %s\n",
		    strerror(errno));
		goto done;
	}
	rc = 0;
done:
	db_rollback(&r);
	if (rc != 0 && !d.bad && req_failed(&r))
		fprintf(stderr, "gazette: dumpdata: reading the database "
		    "failed (see the log line above)\n");
	req_free(&r);
	return rc;
}

/* ---- loaddata ------------------------------------------------------------ */

static bool
is_text_type(enum model_type t)
{
	switch (t) {
	case MODEL_INTEGER:
	case MODEL_BOOLEAN:
	case MODEL_DATETIME:
	case MODEL_FOREIGN_KEY:
	case MODEL_MANY_TO_MANY:
		return false;
	default:
		return true;
	}
}

const char *
ops_value_from_json(const struct model_field *f, json_t *v,
    struct model_raw *x, struct buf *ids)
{
	size_t	 i;
	json_t	*e;

	x->type = SQLITE_NULL;
	x->s = "";
	x->len = 0;
	if (f == NULL) {		/* an extra column: as stored */
		if (json_is_string(v)) {
			x->type = SQLITE_TEXT;
			x->s = json_string_value(v);
			x->len = json_string_length(v);
		} else if (json_is_integer(v) || json_is_boolean(v)) {
			x->type = SQLITE_INTEGER;
			x->i = json_is_boolean(v) ? json_is_true(v) :
			    json_integer_value(v);
		} else if (json_is_real(v)) {
			x->type = SQLITE_FLOAT;
			x->d = json_real_value(v);
		} else if (!json_is_null(v))
			return "must be a string, a number or null";
		return NULL;
	}
	if (f->type == MODEL_MANY_TO_MANY) {
		if (!json_is_array(v))
			return "must be an array of ids";
		buf_reset(ids);
		buf_puts(ids, "");
		json_array_foreach(v, i, e) {
			if (!json_is_integer(e) || json_integer_value(e) < 1)
				return "must be an array of positive ids";
			buf_printf(ids, "%s%lld", i > 0 ? "," : "",
			    (long long)json_integer_value(e));
		}
		x->type = SQLITE_TEXT;
		x->s = ids->ptr != NULL ? ids->ptr : "";
		x->len = ids->len;
		return NULL;
	}
	if (json_is_null(v))
		return (f->flags & MF_REQUIRED) ? "is required" : NULL;
	if (f->type == MODEL_BOOLEAN) {
		if (json_is_boolean(v))
			x->i = json_is_true(v);
		else if (json_is_integer(v) && (json_integer_value(v) == 0 ||
		    json_integer_value(v) == 1))
			x->i = json_integer_value(v);
		else
			return "must be true or false";
		x->type = SQLITE_INTEGER;
		return NULL;
	}
	if (!is_text_type(f->type)) {
		if (!json_is_integer(v))
			return f->type == MODEL_DATETIME ? "must be Unix "
			    "seconds (an integer)" : "must be an integer";
		x->type = SQLITE_INTEGER;
		x->i = json_integer_value(v);
		if (f->type == MODEL_INTEGER && f->min < f->max &&
		    (x->i < f->min || x->i > f->max))
			return "is out of range";
		if (f->type == MODEL_FOREIGN_KEY && x->i < 1)
			return "must be a positive id";
		return NULL;
	}
	if (!json_is_string(v))
		return "must be a string";
	x->type = SQLITE_TEXT;
	x->s = json_string_value(v);
	x->len = json_string_length(v);
	if (strlen(x->s) != x->len)
		return "must not hold NUL characters";
	if (f->max > 0 && (long long)util_utf8_chars(x->s) > f->max)
		return "is too long";
	if (f->type == MODEL_CHOICE && model_choice_label(f, x->s) == NULL)
		return "is not one of its choices";
	if (f->check != NULL && *x->s != '\0')
		return f->check(x->s);
	return NULL;
}

/* Skip white space in f; the next character (EOF at the end). */
static int
skip_ws(FILE *f)
{
	int	 ch;

	while ((ch = getc(f)) == ' ' || ch == '\t' || ch == '\n' ||
	    ch == '\r')
		;
	return ch;
}

/* Check and upsert object o (the index-th).  0, or -1 after a message. */
static int
load_object(struct req *r, json_t *o, long index)
{
	struct model_raw	 v[MODEL_FIELDS_MAX + 16];
	struct buf		 idbufs[MODEL_FIELDS_MAX + 16];
	const struct model	*m;
	const struct model_field *f;
	const char		*key, *name, *why = NULL;
	json_t			*fields, *val, *pk;
	size_t			 n = 0, nbufs = 0;
	int			 rc = -1;

	if (!json_is_object(o)) {
		fprintf(stderr, "gazette: loaddata: object %ld: not a JSON "
		    "object\n", index);
		return -1;
	}
	if ((m = model_find(json_string_value(json_object_get(o,
	    "model")))) == NULL) {
		fprintf(stderr, "gazette: loaddata: object %ld: unknown model "
		    "%s\n", index, json_is_string(json_object_get(o, "model"))
		    ? json_string_value(json_object_get(o, "model")) :
		    "(none given)");
		return -1;
	}
	pk = json_object_get(o, "pk");
	fields = json_object_get(o, "fields");
	if (!json_is_integer(pk) || json_integer_value(pk) < 1 ||
	    !json_is_object(fields)) {
		fprintf(stderr, "gazette: loaddata: object %ld (%s): needs "
		    "\"pk\" (a positive integer) and \"fields\" (an object)\n",
		    index, m->name);
		return -1;
	}
	json_object_foreach(fields, key, val) {
		if ((name = model_raw_column(m, key, &f)) == NULL) {
			fprintf(stderr, "gazette: loaddata: object %ld (%s "
			    "%lld): %s has no field %s\n", index, m->name,
			    (long long)json_integer_value(pk), m->name, key);
			goto done;
		}
		if (n >= NELEM(v)) {
			why = "too many fields";
			goto done;
		}
		v[n].name = name;
		v[n].field = f;
		buf_init(&idbufs[nbufs++]);
		if ((why = ops_value_from_json(f, val, &v[n],
		    &idbufs[nbufs - 1])) != NULL) {
			fprintf(stderr, "gazette: loaddata: object %ld (%s "
			    "%lld): field %s %s\n", index, m->name,
			    (long long)json_integer_value(pk), key, why);
			goto done;
		}
		n++;
	}
	if (model_raw_upsert(r, m, json_integer_value(pk), v, n) != 0) {
		fprintf(stderr, "gazette: loaddata: object %ld (%s %lld): "
		    "%s\n", index, m->name, (long long)json_integer_value(pk),
		    r->error_detail != NULL ? r->error_detail :
		    sqlite3_errmsg(db_handle()));
		goto done;
	}
	rc = 0;
done:
	if (why != NULL && rc != 0 && n >= NELEM(v))
		fprintf(stderr, "gazette: loaddata: object %ld: %s\n", index,
		    why);
	for (size_t i = 0; i < nbufs; i++)
		buf_free(&idbufs[i]);
	return rc;
}

int
ops_loaddata(const struct config *c, const char *path, FILE *out,
    bool progress)
{
	struct req	 r;
	json_error_t	 jerr;
	json_t		*o;
	FILE		*f;
	long		 index = 0;
	int		 ch, rc = 1;

	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "gazette: loaddata: cannot read %s: %s\n",
		    path, strerror(errno));
		return 1;
	}
	if (skip_ws(f) != '[') {
		fprintf(stderr, "gazette: loaddata: %s is not a JSON array "
		    "(what 'gazette dumpdata' writes)\n", path);
		if (f != stdin)
			fclose(f);
		return 1;
	}
	ops_req(c, &r);
	/* A big cache: one long transaction should not spill to the WAL. */
	if (db_exec(&r, "PRAGMA cache_size = -65536") != 0 ||
	    db_begin_write(&r) != 0 ||
	    db_exec(&r, "PRAGMA defer_foreign_keys = ON") != 0)
		goto done;
	ch = skip_ws(f);
	while (ch != ']') {
		if (ch == EOF || (index > 0 && ch != ',')) {
			fprintf(stderr, "gazette: loaddata: after object %ld: "
			    "expected ',' or ']'\n", index);
			goto done;
		}
		if (index > 0)
			ch = skip_ws(f);
		ungetc(ch, f);
		/* One object at a time: the file is never held whole. */
		if ((o = json_loadf(f, JSON_DISABLE_EOF_CHECK, &jerr)) ==
		    NULL) {
			fprintf(stderr, "gazette: loaddata: object %ld: %s\n",
			    index + 1, jerr.text);
			goto done;
		}
		index++;
		if (load_object(&r, o, index) != 0) {
			json_decref(o);
			goto done;
		}
		json_decref(o);
		arena_reset(r.arena);
		if (progress && index % 1000 == 0)
			fprintf(stderr, "\rloaddata: %ld objects", index);
		ch = skip_ws(f);
	}
	if (skip_ws(f) != EOF) {
		fprintf(stderr, "gazette: loaddata: text after the closing "
		    "']'\n");
		goto done;
	}
	if (db_commit(&r) != 0) {
		fprintf(stderr, "gazette: loaddata: the commit failed: %s (a "
		    "row refers to one that is neither in the file nor in the "
		    "database?)\n", sqlite3_errmsg(db_handle()));
		goto done;
	}
	if (progress && index >= 1000)
		fputc('\n', stderr);
	fprintf(out, "Installed %ld object(s) from %s.\n", index, path);
	rc = 0;
done:
	db_rollback(&r);
	req_free(&r);
	if (f != stdin)
		fclose(f);
	return rc;
}

/* ---- stats --------------------------------------------------------------- */

static long long
file_size(const char *path)
{
	struct stat	 sb;

	return stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
}

int
ops_stats(const struct config *c, FILE *out)
{
	static const char sql_jobs[] =
	    "SELECT state, count(*), min(run_at) FROM jobs GROUP BY state"
	    " ORDER BY state";
	static const char sql_sessions[] =
	    "SELECT count(*) FROM sessions WHERE expires_at > ?1";
	static const char sql_has_jobs[] =
	    "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
	    " AND name = 'jobs'";
	sqlite3_stmt	*st;
	struct req	 r;
	char		 p[4200];
	int64_t		 now = util_wall_us() / 1000000;
	long long	 psize, pages, freep;
	int		 rc = 1;

	ops_req(c, &r);
	fprintf(out, "Database %s\n", c->database);
	fprintf(out, "Rows:\n");
	if (print_counts(&r, out) != 0)
		goto done;
	psize = h_int(db_handle(), "PRAGMA page_size");
	pages = h_int(db_handle(), "PRAGMA page_count");
	freep = h_int(db_handle(), "PRAGMA freelist_count");
	fprintf(out, "Storage:\n  %-12s %lld bytes\n", "database",
	    file_size(c->database));
	snprintf(p, sizeof(p), "%s-wal", c->database);
	fprintf(out, "  %-12s %lld bytes\n", "WAL", file_size(p));
	fprintf(out, "  %-12s %lld bytes\n  %-12s %lld (%lld free)\n",
	    "page size", psize, "pages", pages, freep);
	if ((st = db_stmt(&r, sql_sessions)) == NULL)
		goto done;
	db_bind_int64(&r, st, 1, now);
	if (db_step(&r, st) == SQLITE_ROW)
		fprintf(out, "Sessions:\n  %-12s %lld\n", "active",
		    (long long)sqlite3_column_int64(st, 0));
	db_done(&r, st);
	if ((st = db_stmt(&r, sql_has_jobs)) == NULL)
		goto done;
	if (db_step(&r, st) == SQLITE_ROW && sqlite3_column_int64(st, 0) ==
	    1) {
		db_done(&r, st);
		fprintf(out, "Jobs:\n");
		if ((st = db_stmt(&r, sql_jobs)) == NULL)
			goto done;
		while (db_step(&r, st) == SQLITE_ROW) {
			const char *state = (const char *)
			    sqlite3_column_text(st, 0);

			fprintf(out, "  %-12s %lld", state != NULL ? state :
			    "?", (long long)sqlite3_column_int64(st, 1));
			if (state != NULL && strcmp(state, "queued") == 0 &&
			    sqlite3_column_type(st, 2) == SQLITE_INTEGER)
				fprintf(out, " (oldest due %llds ago)",
				    (long long)(now -
				    sqlite3_column_int64(st, 2)));
			fputc('\n', out);
		}
		db_done(&r, st);
	} else {
		db_done(&r, st);
		fprintf(out, "Jobs:\n  (no job queue in this database)\n");
	}
	rc = req_failed(&r) ? 1 : 0;
done:
	req_free(&r);
	return rc;
}
