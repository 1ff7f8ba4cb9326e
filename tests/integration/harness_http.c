/*
 * harness_http: the HTTP side of the integration harness (see harness.h
 * for the contracts): libcurl requests, raw sockets, responses, browsers
 * with their cookie jars and form helpers, accounts, cookies and markup,
 * and the outbox/mail files.  Sites, processes and checks are in
 * harness.c; what the two share is declared in harness_private.h.
 */
#include <curl/curl.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "harness_private.h"

/* ---- HTTP ---------------------------------------------------------------- */

void
resp_free(struct resp *r)
{
	for (size_t i = 0; i < r->nheaders; i++) {
		free(r->hname[i]);
		free(r->hvalue[i]);
	}
	free(r->hname);
	free(r->hvalue);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

static void
resp_clear_headers(struct resp *r)
{
	for (size_t i = 0; i < r->nheaders; i++) {
		free(r->hname[i]);
		free(r->hvalue[i]);
	}
	r->nheaders = 0;
}

/* Take one header line (CRLF optional): a status line or Name: value. */
static void
resp_header_line(struct resp *r, const char *line, size_t len)
{
	const char	*colon, *v;

	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (len == 0)
		return;
	if (len > 5 && strncmp(line, "HTTP/", 5) == 0) {
		/* A new status line (after a 100 Continue): start over. */
		const char	*sp = memchr(line, ' ', len);

		resp_clear_headers(r);
		snprintf(r->status_line, sizeof(r->status_line), "%.*s",
		    (int)len, line);
		r->status = sp != NULL ? atoi(sp + 1) : -1;
		return;
	}
	if ((colon = memchr(line, ':', len)) == NULL)
		return;
	v = colon + 1;
	while (v < line + len && (*v == ' ' || *v == '\t'))
		v++;
	r->hname = h_xrealloc(r->hname, (r->nheaders + 1) * sizeof(char *));
	r->hvalue = h_xrealloc(r->hvalue, (r->nheaders + 1) * sizeof(char *));
	r->hname[r->nheaders] = h_xstrndup(line, (size_t)(colon - line));
	r->hvalue[r->nheaders] = h_xstrndup(v, (size_t)(line + len - v));
	r->nheaders++;
}

const char *
resp_header(const struct resp *r, const char *name)
{
	for (size_t i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->hname[i], name) == 0)
			return r->hvalue[i];
	return NULL;
}

int
resp_header_count(const struct resp *r, const char *name)
{
	int	 n = 0;

	for (size_t i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->hname[i], name) == 0)
			n++;
	return n;
}

int
resp_count(const struct resp *r, const char *needle)
{
	const char	*p = r->body;
	int		 n = 0;

	if (p == NULL || *needle == '\0')
		return 0;
	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

struct transfer {
	struct resp	*r;
	struct bytes	 body;
};

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct transfer	*t = arg;

	h_bytes_add(&t->body, data, size * n);
	return size * n;
}

static size_t
on_header(char *data, size_t size, size_t n, void *arg)
{
	struct transfer	*t = arg;

	resp_header_line(t->r, data, size * n);
	return size * n;
}

int
http_request(const struct site *s, const char *method, const char *path,
    const char *const headers[], const char *body, size_t len,
    struct resp *resp)
{
	return http_request_from(s, NULL, method, path, headers, body, len,
	    resp);
}

int
http_request_from(const struct site *s, const char *source,
    const char *method, const char *path, const char *const headers[],
    const char *body, size_t len, struct resp *resp)
{
	struct transfer		 t = { resp, { 0 } };
	struct curl_slist	*hl = NULL;
	CURL			*c;
	CURLcode		 rc;
	char			*full;
	size_t			 plen = strlen(path);

	resp_free(resp);
	resp->status = -1;
	if ((c = curl_easy_init()) == NULL) {
		snprintf(resp->error, sizeof(resp->error), "curl_easy_init");
		return -1;
	}
	/* Paths can be long (the 414 test): build the URL on the heap. */
	full = h_xmalloc(plen + 64);
	snprintf(full, plen + 64, "http://127.0.0.1:%d%s", s->port, path);
	curl_easy_setopt(c, CURLOPT_URL, full);
	curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROXY, "");
	if (source != NULL && *source != '\0') {
		char	 iface[64];

		/* "host!": bind to this address, never an interface name. */
		snprintf(iface, sizeof(iface), "host!%s", source);
		curl_easy_setopt(c, CURLOPT_INTERFACE, iface);
	}
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)HTTP_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	else if (strcmp(method, "GET") == 0 && body == NULL)
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	else {
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
		if (body != NULL || strcmp(method, "POST") == 0) {
			curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
			    (curl_off_t)(body != NULL ? len : 0));
			curl_easy_setopt(c, CURLOPT_POSTFIELDS,
			    body != NULL ? body : "");
		}
	}
	/* No "Expect: 100-continue" round trip for large bodies. */
	hl = curl_slist_append(hl, "Expect:");
	for (size_t i = 0; headers != NULL && headers[i] != NULL; i++)
		hl = curl_slist_append(hl, headers[i]);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);

	rc = curl_easy_perform(c);
	if (rc != CURLE_OK) {
		snprintf(resp->error, sizeof(resp->error), "%s",
		    curl_easy_strerror(rc));
		resp->status = -1;
	} else {
		long	 code = 0;

		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		resp->status = (int)code;
	}
	resp->len = t.body.len;
	resp->body = h_bytes_take(&t.body);
	curl_slist_free_all(hl);
	curl_easy_cleanup(c);
	free(full);
	return resp->status;
}

int
http_get(const struct site *s, const char *path, struct resp *resp)
{
	return http_request(s, "GET", path, NULL, NULL, 0, resp);
}

int
http_get_if_none_match(const struct site *s, const char *path,
    const char *etag, struct resp *resp)
{
	char		*h = str_printf("If-None-Match: %s", etag);
	const char	*hdr[] = { h, NULL };
	int		 st;

	st = http_request(s, "GET", path, hdr, NULL, 0, resp);
	free(h);
	return st;
}

bool
harness_check_get(const char *file, int line, const struct site *s,
    const char *path, int want, struct resp *resp)
{
	http_get(s, path, resp);
	return harness_check_status(file, line, resp, want, "GET", path);
}

int
http_raw(const struct site *s, const char *bytes, size_t len,
    struct resp *resp)
{
	struct sockaddr_in	 sa;
	struct bytes		 in = { 0 };
	long long		 deadline = now_ms() + HTTP_TIMEOUT_MS;
	size_t			 off = 0;
	const char		*p, *end;
	int			 fd;

	resp_free(resp);
	resp->status = -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)s->port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		snprintf(resp->error, sizeof(resp->error), "connect: %s",
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while (off < len) {
		ssize_t	 n = send(fd, bytes + off, len - off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* The server may answer early and close: read it. */
			break;
		}
		off += (size_t)n;
	}
	for (;;) {
		struct pollfd	 pfd = { fd, POLLIN, 0 };
		char		 buf[16384];
		int		 left = (int)(deadline - now_ms());
		ssize_t		 n;

		if (left <= 0) {
			snprintf(resp->error, sizeof(resp->error), "timeout "
			    "reading the reply");
			break;
		}
		if (poll(&pfd, 1, left) <= 0)
			continue;
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		h_bytes_add(&in, buf, (size_t)n);
	}
	close(fd);
	if (in.p == NULL) {
		if (resp->error[0] == '\0')
			snprintf(resp->error, sizeof(resp->error), "no reply");
		return -1;
	}
	/* Header block: lines up to the first empty line. */
	end = strstr(in.p, "\r\n\r\n");
	for (p = in.p; p < (end != NULL ? end : in.p + in.len); ) {
		const char	*e = strstr(p, "\r\n");

		if (e == NULL || (end != NULL && e > end))
			e = end != NULL ? end : in.p + in.len;
		resp_header_line(resp, p, (size_t)(e - p));
		p = e + 2;
	}
	if (end != NULL) {
		size_t	 hl = (size_t)(end + 4 - in.p);

		resp->len = in.len - hl;
		resp->body = h_xmalloc(resp->len + 1);
		memcpy(resp->body, end + 4, resp->len);
		resp->body[resp->len] = '\0';
	} else {
		resp->body = h_xstrndup("", 0);
		snprintf(resp->error, sizeof(resp->error), "no end of headers");
	}
	free(in.p);
	if (resp->status <= 0 && resp->error[0] == '\0')
		snprintf(resp->error, sizeof(resp->error), "no status line");
	return resp->status > 0 ? resp->status : -1;
}

/* ---- browsers ------------------------------------------------------------ */

void
browser_init(struct browser *c, const struct site *s, bool own_addr)
{
	memset(c, 0, sizeof(*c));
	c->site = s;
	if (own_addr) {
		int	 n = h_next_addr();

		/* 127.0.0.2 on: the loopback net is a /8 on Linux. */
		snprintf(c->addr, sizeof(c->addr), "127.0.%d.%d", n / 250,
		    n % 250 + 2);
	}
}

void
browser_free(struct browser *c)
{
	for (size_t i = 0; i < c->ncookies; i++) {
		free(c->cname[i]);
		free(c->cvalue[i]);
	}
	free(c->cname);
	free(c->cvalue);
	c->cname = c->cvalue = NULL;
	c->ncookies = 0;
}

const char *
browser_cookie(const struct browser *c, const char *name)
{
	for (size_t i = 0; i < c->ncookies; i++)
		if (strcmp(c->cname[i], name) == 0)
			return c->cvalue[i];
	return NULL;
}

void
browser_set_cookie(struct browser *c, const char *name, const char *value)
{
	for (size_t i = 0; i < c->ncookies; i++) {
		if (strcmp(c->cname[i], name) != 0)
			continue;
		if (value != NULL) {
			free(c->cvalue[i]);
			c->cvalue[i] = h_xstrndup(value, strlen(value));
			return;
		}
		free(c->cname[i]);
		free(c->cvalue[i]);
		c->ncookies--;
		c->cname[i] = c->cname[c->ncookies];
		c->cvalue[i] = c->cvalue[c->ncookies];
		return;
	}
	if (value == NULL)
		return;
	c->cname = h_xrealloc(c->cname, (c->ncookies + 1) * sizeof(char *));
	c->cvalue = h_xrealloc(c->cvalue, (c->ncookies + 1) * sizeof(char *));
	c->cname[c->ncookies] = h_xstrndup(name, strlen(name));
	c->cvalue[c->ncookies] = h_xstrndup(value, strlen(value));
	c->ncookies++;
}

void
browser_take_cookies(struct browser *c, const struct resp *r)
{
	for (size_t i = 0; i < r->nheaders; i++) {
		const char	*v = r->hvalue[i];
		char		*name, *value, *age;
		size_t		 n;

		if (strcasecmp(r->hname[i], "Set-Cookie") != 0 ||
		    (n = strcspn(v, "=;")) == 0 || v[n] != '=')
			continue;
		name = h_xstrndup(v, n);
		value = cookie_value(v);
		age = cookie_attr(v, "Max-Age");
		/* Max-Age=0 (or less) deletes; Expires is not looked at. */
		browser_set_cookie(c, name, age != NULL && atol(age) <= 0 ?
		    NULL : value);
		free(name);
		free(value);
		free(age);
	}
}

int
browser_request(struct browser *c, const char *method, const char *path,
    const char *const headers[], const char *body, size_t len,
    struct resp *resp)
{
	const char	*h[34];
	char		*cookie = NULL;
	size_t		 n = 0;
	int		 st;

	if (c->ncookies > 0) {
		struct bytes	 b = { 0 };

		h_bytes_add(&b, "Cookie: ", 8);
		for (size_t i = 0; i < c->ncookies; i++)
			h_bytes_printf(&b, "%s%s=%s", i > 0 ? "; " : "",
			    c->cname[i], c->cvalue[i]);
		cookie = h_bytes_take(&b);
		h[n++] = cookie;
	}
	for (size_t i = 0; headers != NULL && headers[i] != NULL && n < 33;
	    i++)
		h[n++] = headers[i];
	h[n] = NULL;
	st = http_request_from(c->site, c->addr, method, path, h, body, len,
	    resp);
	browser_take_cookies(c, resp);
	free(cookie);
	return st;
}

int
browser_get(struct browser *c, const char *path, struct resp *resp)
{
	return browser_request(c, "GET", path, NULL, NULL, 0, resp);
}

/* The header of every form a browser or a test posts. */
static const char *const form_headers[] = {
	"Content-Type: application/x-www-form-urlencoded", NULL
};

int
browser_post(struct browser *c, const char *path, const char *form,
    struct resp *resp)
{
	return browser_request(c, "POST", path, form_headers, form,
	    strlen(form), resp);
}

char *
browser_form_value(struct browser *c, const char *path, const char *name)
{
	struct resp	 r = { 0 };
	char		*v = NULL;

	if (browser_get(c, path, &r) == 200)
		v = html_input_value(r.body, name);
	resp_free(&r);
	return v;
}

static void	 form_vadd(struct bytes *b, const char *name, va_list ap);

/* browser_post_token() with the pairs in ap (the first name first). */
static int
browser_vpost_token(struct browser *c, const char *path, const char *token,
    struct resp *resp, va_list ap)
{
	struct bytes	 b = { 0 };
	const char	*name = va_arg(ap, const char *);
	char		*et = url_encode(token != NULL ? token : ""), *form;
	int		 st;

	h_bytes_printf(&b, "csrf_token=%s", et);
	free(et);
	form_vadd(&b, name, ap);
	form = h_bytes_take(&b);
	st = browser_post(c, path, form, resp);
	free(form);
	return st;
}

int
browser_post_token(struct browser *c, const char *path, const char *token,
    struct resp *resp, ...)
{
	va_list	 ap;
	int	 st;

	va_start(ap, resp);
	st = browser_vpost_token(c, path, token, resp, ap);
	va_end(ap);
	return st;
}

int
browser_post_form(struct browser *c, const char *path,
    const char *token_from, struct resp *resp, ...)
{
	char	*tok = browser_form_value(c, token_from != NULL ? token_from :
	    path, "csrf_token");
	va_list	 ap;
	int	 st;

	va_start(ap, resp);
	st = browser_vpost_token(c, path, tok, resp, ap);
	va_end(ap);
	free(tok);
	return st;
}

/* ---- multipart forms (media uploads) ------------------------------------- */

#define MULTIPART_BOUNDARY	"----GazetteTestBoundary7MA4YWxkTrZu0gW"

int
browser_post_file(struct browser *c, const char *path, const char *token,
    const char *field, const char *filename, const char *content_type,
    const void *data, size_t len, struct resp *resp, ...)
{
	static const char *const headers[] = { "Content-Type: "
	    "multipart/form-data; boundary=" MULTIPART_BOUNDARY, NULL };
	struct bytes	 b = { 0 };
	const char	*name, *value;
	va_list		 ap;
	int		 st;

	h_bytes_printf(&b, "--%s\r\nContent-Disposition: form-data; "
	    "name=\"csrf_token\"\r\n\r\n%s\r\n", MULTIPART_BOUNDARY,
	    token != NULL ? token : "");
	va_start(ap, resp);
	while ((name = va_arg(ap, const char *)) != NULL) {
		value = va_arg(ap, const char *);
		if (value != NULL)
			h_bytes_printf(&b, "--%s\r\nContent-Disposition: "
			    "form-data; name=\"%s\"\r\n\r\n%s\r\n",
			    MULTIPART_BOUNDARY, name, value);
	}
	va_end(ap);
	h_bytes_printf(&b, "--%s\r\nContent-Disposition: form-data; "
	    "name=\"%s\"; filename=\"%s\"\r\nContent-Type: %s\r\n\r\n",
	    MULTIPART_BOUNDARY, field, filename, content_type);
	h_bytes_add(&b, data, len);
	h_bytes_printf(&b, "\r\n--%s--\r\n", MULTIPART_BOUNDARY);
	st = browser_request(c, "POST", path, headers, b.p, b.len, resp);
	free(b.p);
	return st;
}

/* ---- accounts ------------------------------------------------------------ */

int
site_create_user(const struct site *s, const char *username,
    const char *email, const char *password)
{
	struct cmd_result	 r;
	char			*em = email != NULL ? h_xstrndup(email,
	    strlen(email)) : str_printf("%s@example.com", username);
	char			*in = str_printf("%s\n", password);
	int			 st;

	st = site_gazette_input(s, in, &r, "createsuperuser", "--username",
	    username, "--email", em, "--password-stdin", (char *)NULL);
	if (st != 0)
		harness_note("createsuperuser %s: exit %d, stderr: %s",
		    username, st, r.err);
	cmd_free(&r);
	free(in);
	free(em);
	return st;
}

int
browser_signup(struct browser *c, const char *username, const char *email,
    const char *password1, const char *password2, struct resp *resp)
{
	return browser_post_form(c, "/accounts/signup/", NULL, resp,
	    "username", username, "email", email, "password1", password1,
	    "password2", password2, (char *)NULL);
}

int
browser_login(struct browser *c, const char *login, const char *password,
    const char *next, bool remember, struct resp *resp)
{
	return browser_post_form(c, "/accounts/login/", NULL, resp,
	    "username", login, "password", password, "remember",
	    remember ? "1" : NULL, "next", next, (char *)NULL);
}

int
browser_logout(struct browser *c, struct resp *resp)
{
	return browser_post_form(c, "/accounts/logout/", "/", resp,
	    (char *)NULL);
}

bool
browser_logged_in(struct browser *c)
{
	struct resp	 r = { 0 };
	bool		 in = browser_get(c, "/accounts/profile/", &r) == 200;

	resp_free(&r);
	return in;
}

bool
site_session_works(const struct site *s, const char *session)
{
	struct browser	 o;
	bool		 in;

	browser_init(&o, s, false);
	browser_set_cookie(&o, "gazette_session", session);
	in = browser_logged_in(&o);
	browser_free(&o);
	return in;
}

/* One check: r, the answer to the POST to path as who, is a 303; r is
 * freed.  Whether it was. */
static bool
check_303(struct resp *r, const char *path, const char *who)
{
	char	*what = str_printf("%s (%s)", path, who);
	bool	 ok = CHECK_STATUS(r, 303, "POST", what);

	free(what);
	resp_free(r);
	return ok;
}

bool
browser_init_signed_up(struct browser *c, const struct site *s,
    const char *username, const char *password)
{
	struct resp	 r = { 0 };
	char		*email = str_printf("%s@example.com", username);

	browser_init(c, s, true);
	browser_signup(c, username, email, password, password, &r);
	free(email);
	return check_303(&r, "/accounts/signup/", username);
}

bool
browser_init_logged_in(struct browser *c, const struct site *s,
    const char *login, const char *password)
{
	struct resp	 r = { 0 };

	browser_init(c, s, true);
	browser_login(c, login, password, NULL, false, &r);
	return check_303(&r, "/accounts/login/", login);
}

/* ---- the test-only endpoints --------------------------------------------- */

/* POST the urlencoded form to path, cookieless; the status. */
static int
post_encoded(const struct site *s, const char *path, const char *form,
    struct resp *resp)
{
	return http_request(s, "POST", path, form_headers, form, strlen(form),
	    resp);
}

/* The form of the name, value pairs of ap from name on, malloc'd. */
static char *
form_vencode(const char *name, va_list ap)
{
	struct bytes	 b = { 0 };

	form_vadd(&b, name, ap);
	return h_bytes_take(&b);
}

int
site_post_form(const struct site *s, const char *path, struct resp *resp,
    const char *name, ...)
{
	va_list	 ap;
	char	*form;
	int	 st;

	va_start(ap, name);
	form = form_vencode(name, ap);
	va_end(ap);
	st = post_encoded(s, path, form, resp);
	free(form);
	return st;
}

long long
site_save_article(const struct site *s, const char *name, ...)
{
	struct resp	 r = { 0 };
	va_list		 ap;
	char		*form;
	long long	 id = 0;

	va_start(ap, name);
	form = form_vencode(name, ap);
	va_end(ap);
	if (post_encoded(s, "/__test/articles/", form, &r) == 200)
		id = atoll(r.body);
	CHECK(id > 0, "POST /__test/articles/ %s: %d %s", form, r.status,
	    r.body != NULL ? r.body : r.error);
	free(form);
	resp_free(&r);
	return id;
}

void
site_settings(const struct site *s, const char *name, ...)
{
	struct resp	 r = { 0 };
	va_list		 ap;
	char		*form;

	va_start(ap, name);
	form = form_vencode(name, ap);
	va_end(ap);
	post_encoded(s, "/__test/settings/", form, &r);
	CHECK_STATUS(&r, 200, "POST", "/__test/settings/");
	free(form);
	resp_free(&r);
}

/* ---- cookies, forms, markup ---------------------------------------------- */

const char *
resp_set_cookie(const struct resp *r, const char *name)
{
	const char	*last = NULL;
	size_t		 n = strlen(name);

	for (size_t i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->hname[i], "Set-Cookie") == 0 &&
		    strncmp(r->hvalue[i], name, n) == 0 &&
		    r->hvalue[i][n] == '=')
			last = r->hvalue[i];
	return last;
}

int
resp_set_cookie_count(const struct resp *r, const char *name)
{
	size_t	 n = name != NULL ? strlen(name) : 0;
	int	 k = 0;

	for (size_t i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->hname[i], "Set-Cookie") == 0 &&
		    (name == NULL || (strncmp(r->hvalue[i], name, n) == 0 &&
		    r->hvalue[i][n] == '=')))
			k++;
	return k;
}

char *
cookie_value(const char *set_cookie)
{
	const char	*eq;

	if (set_cookie == NULL || (eq = strchr(set_cookie, '=')) == NULL)
		return NULL;
	eq++;
	return h_xstrndup(eq, strcspn(eq, ";"));
}

char *
cookie_attr(const char *set_cookie, const char *name)
{
	const char	*p;
	size_t		 n = strlen(name);

	if (set_cookie == NULL || (p = strchr(set_cookie, ';')) == NULL)
		return NULL;
	while (p != NULL && *p != '\0') {
		size_t	 len;

		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		len = strcspn(p, ";");
		if (len >= n && strncasecmp(p, name, n) == 0 &&
		    (len == n || p[n] == '=' || p[n] == ' ')) {
			const char	*v = p + n;
			size_t		 vl;

			while (*v == ' ')
				v++;
			if (*v == '=')
				v++;
			vl = (size_t)(p + len - v);
			while (vl > 0 && v[vl - 1] == ' ')
				vl--;
			return h_xstrndup(v, vl);
		}
		p = strchr(p, ';');
	}
	return NULL;
}

bool
harness_check_cookie_attr(const char *file, int line, const char *set_cookie,
    const char *attr, const char *want)
{
	const char	*sc = set_cookie != NULL ? set_cookie : "(no cookie)";
	char		*v = set_cookie != NULL ? cookie_attr(set_cookie, attr) :
	    NULL;
	bool		 ok;

	if (want == NULL)
		ok = harness_check(file, line, v != NULL, "%s in %s", attr, sc);
	else
		ok = harness_check_str(file, line, v, want, "%s of %s", attr,
		    sc);
	free(v);
	return ok;
}

char *
url_encode(const char *s)
{
	struct bytes	 b = { 0 };

	for (const unsigned char *p = (const unsigned char *)s; *p != '\0';
	    p++) {
		if (isalnum(*p) || strchr("-_.~", *p) != NULL)
			h_bytes_add(&b, p, 1);
		else
			h_bytes_printf(&b, "%%%02X", *p);
	}
	return h_bytes_take(&b);
}

/* Append the name, value pairs of ap from name on to b, as form_encode(). */
static void
form_vadd(struct bytes *b, const char *name, va_list ap)
{
	const char	*k = name, *v;

	while (k != NULL) {
		char	*ek, *ev;

		v = va_arg(ap, const char *);
		if (v != NULL) {
			ek = url_encode(k);
			ev = url_encode(v);
			h_bytes_printf(b, "%s%s=%s", b->len > 0 ? "&" : "", ek,
			    ev);
			free(ek);
			free(ev);
		}
		k = va_arg(ap, const char *);
	}
}

char *
form_encode(const char *name, ...)
{
	struct bytes	 b = { 0 };
	va_list		 ap;

	va_start(ap, name);
	form_vadd(&b, name, ap);
	va_end(ap);
	return h_bytes_take(&b);
}

/* n bytes of s with the entities an attribute value may hold decoded. */
static char *
html_unescape(const char *s, size_t n)
{
	static const struct {
		const char	*ent;
		char		 c;
	} ents[] = { { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
	    { "&quot;", '"' }, { "&#39;", '\'' }, { "&#x27;", '\'' },
	    { "&apos;", '\'' } };
	struct bytes	 b = { 0 };

	for (size_t i = 0; i < n; ) {
		size_t	 k;

		if (s[i] == '&') {
			for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++)
				if (strncmp(s + i, ents[k].ent,
				    strlen(ents[k].ent)) == 0 && i +
				    strlen(ents[k].ent) <= n)
					break;
			if (k < sizeof(ents) / sizeof(ents[0])) {
				h_bytes_add(&b, &ents[k].c, 1);
				i += strlen(ents[k].ent);
				continue;
			}
		}
		h_bytes_add(&b, s + i, 1);
		i++;
	}
	return h_bytes_take(&b);
}

char *
html_input_value(const char *html, const char *name)
{
	char		*needle = str_printf("name=\"%s\"", name);
	const char	*p = html;
	char		*v = NULL;

	while (p != NULL && v == NULL && (p = strstr(p, needle)) != NULL) {
		const char	*start, *end, *val;

		/* The tag around it: back to '<', on to '>'. */
		for (start = p; start > html && *start != '<' &&
		    *start != '>'; start--)
			;
		end = strchr(p, '>');
		p += strlen(needle);
		if (*start != '<' || strncasecmp(start, "<input", 6) != 0 ||
		    end == NULL)
			continue;
		if ((val = strstr(start, " value=\"")) != NULL && val < end) {
			const char	*q = val + 8, *e = strchr(q, '"');

			if (e != NULL && e < end)
				v = html_unescape(q, (size_t)(e - q));
		}
		if (v == NULL)
			v = h_xstrndup("", 0);
	}
	free(needle);
	return v;
}

/* ---- files --------------------------------------------------------------- */

/* Does name end in suffix? */
static bool
ends_with(const char *name, const char *suffix)
{
	size_t	 n = strlen(name), k = strlen(suffix);

	return n >= k && strcmp(name + n - k, suffix) == 0;
}

int
dir_count(const char *dir, const char *suffix)
{
	DIR		*d = opendir(dir);
	struct dirent	*e;
	int		 n = 0;

	if (d == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && ends_with(e->d_name, suffix))
			n++;
	closedir(d);
	return n;
}

char *
dir_last(const char *dir, const char *suffix)
{
	DIR		*d = opendir(dir);
	struct dirent	*e;
	char		*best = NULL;

	if (d == NULL)
		return NULL;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && ends_with(e->d_name, suffix) &&
		    (best == NULL || strcmp(e->d_name, best) > 0)) {
			free(best);
			best = h_xstrndup(e->d_name, strlen(e->d_name));
		}
	closedir(d);
	if (best != NULL) {
		char	*path = str_printf("%s/%s", dir, best);

		free(best);
		return path;
	}
	return NULL;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

char *
qp_decode(const char *s)
{
	struct bytes	 b = { 0 };

	for (const char *p = s; *p != '\0'; ) {
		if (*p != '=') {
			h_bytes_add(&b, p++, 1);
			continue;
		}
		if (p[1] == '\r' && p[2] == '\n')
			p += 3;			/* soft line break */
		else if (p[1] == '\n')
			p += 2;
		else if (hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
			char	 c = (char)(hexval(p[1]) * 16 + hexval(p[2]));

			h_bytes_add(&b, &c, 1);
			p += 3;
		} else
			h_bytes_add(&b, p++, 1);
	}
	return h_bytes_take(&b);
}

char *
mail_body_text(const char *path)
{
	char		*data = file_read(path, NULL), *lower, *text;
	const char	*body;
	bool		 qp;

	if (data == NULL)
		return NULL;
	if ((body = strstr(data, "\r\n\r\n")) != NULL)
		body += 4;
	else if ((body = strstr(data, "\n\n")) != NULL)
		body += 2;
	else
		body = data + strlen(data);
	/* In the header block or a part's: any quoted-printable part. */
	lower = h_xstrndup(data, strlen(data));
	for (char *p = lower; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	qp = strstr(lower, "content-transfer-encoding: quoted-printable") !=
	    NULL;
	text = qp ? qp_decode(body) : h_xstrndup(body, strlen(body));
	free(lower);
	free(data);
	return text;
}
