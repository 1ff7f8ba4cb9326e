/*
 * log: logfmt (or JSON) lines to stderr.  A JSON line is made from the
 * logfmt line by a small converter rather than with jansson: callers
 * already format logfmt with log_quote(), the conversion needs no
 * allocation (the line stays in a stack buffer and one write), and it
 * keeps the keys in the caller's order.  The line is assembled in a stack buffer
 * and written with one write(2), which the kernel keeps whole for pipes
 * up to PIPE_BUF and in practice for terminals and journald.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

static enum log_level	 min_level = LOG_INFO;
static int		 json_lines;
static const char *const level_names[LOG__MAX] = {
	"debug", "info", "warn", "error"
};

void
log_set_level(enum log_level lvl)
{
	min_level = lvl;
}

void
log_set_json(int json)
{
	json_lines = json;
}

/* Where a JSON line is written, with a reserve for the closing. */
struct jout {
	char	*p;
	size_t	 len, lim;
	int	 over;
};

static void
jput(struct jout *o, const char *s, size_t n)
{
	if (o->over || o->len + n > o->lim) {
		o->over = 1;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
}

/* The length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t	 k;
	unsigned	 cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		k = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		k = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		k = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (k > n)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((k == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (k == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return k;
}

/* s[0, n) as a JSON string, quotes included. */
static void
jstr(struct jout *o, const char *s, size_t n)
{
	const unsigned char	*u = (const unsigned char *)s;

	jput(o, "\"", 1);
	for (size_t i = 0; i < n; ) {
		char	 esc[8];
		size_t	 k;

		if (u[i] == '"' || u[i] == '\\') {
			esc[0] = '\\';
			esc[1] = (char)u[i];
			jput(o, esc, 2);
			i++;
		} else if (u[i] == '\n') {
			jput(o, "\\n", 2);
			i++;
		} else if (u[i] < 0x20 || u[i] == 0x7f) {
			snprintf(esc, sizeof(esc), "\\u%04x", u[i]);
			jput(o, esc, 6);
			i++;
		} else if ((k = utf8_len(u + i, n - i)) == 0) {
			jput(o, "\\ufffd", 6);
			i++;
		} else {
			jput(o, s + i, k);
			i += k;
		}
	}
	jput(o, "\"", 1);
}

/* Is s[0, n) a JSON integer we keep as a number (at most 15 digits)? */
static int
is_number(const char *s, size_t n)
{
	size_t	 i = s[0] == '-' ? 1 : 0;

	if (n <= i || n - i > 15 || (s[i] == '0' && n - i > 1))
		return 0;
	for (; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

size_t
log_json(char *dst, size_t n, const char *src)
{
	static const char	 trunc[] = ",\"truncated\":true";
	struct jout		 o = { dst, 0, n - sizeof(trunc) - 2, 0 };
	char			 val[4096];
	const char		*p = src;
	int			 first = 1;

	jput(&o, "{", 1);
	while (*p != '\0') {
		const char	*k, *v;
		size_t		 kn, vn = 0, mark = o.len;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		k = p;
		while (*p != '\0' && *p != '=' && *p != ' ')
			p++;
		kn = (size_t)(p - k);
		if (!first)
			jput(&o, ",", 1);
		jstr(&o, k, kn);
		jput(&o, ":", 1);
		if (*p != '=') {		/* a bare word */
			jput(&o, "true", 4);
		} else if (*++p == '"') {	/* quoted: unescape */
			for (p++; *p != '\0' && *p != '"'; p++) {
				char c = *p;

				if (c == '\\' && p[1] != '\0') {
					c = *++p;
					if (c == 'n')
						c = '\n';
				}
				if (vn < sizeof(val))
					val[vn++] = c;
			}
			if (*p == '"')
				p++;
			jstr(&o, val, vn);
		} else {
			v = p;
			while (*p != '\0' && *p != ' ')
				p++;
			vn = (size_t)(p - v);
			if (vn > 0 && is_number(v, vn))
				jput(&o, v, vn);
			else
				jstr(&o, v, vn);
		}
		if (o.over) {			/* drop the whole pair */
			o.len = mark;
			o.over = 0;
			o.lim = n - 2;
			jput(&o, trunc + (first ? 1 : 0),
			    sizeof(trunc) - 1 - (first ? 1 : 0));
			break;
		}
		first = 0;
	}
	o.lim = n - 1;
	jput(&o, "}", 1);
	dst[o.len] = '\0';
	return o.len;
}

int
log_level_parse(const char *s)
{
	for (int i = 0; i < LOG__MAX; i++)
		if (strcmp(s, level_names[i]) == 0)
			return i;
	return -1;
}

void
log_msg(enum log_level lvl, const char *fmt, ...)
{
	char		 line[4096];
	struct tm	 tm;
	time_t		 secs;
	int64_t		 now;
	size_t		 n;
	int		 k;
	va_list		 ap;

	if (lvl < min_level)
		return;
	now = util_wall_us();
	secs = (time_t)(now / 1000000);
	gmtime_r(&secs, &tm);
	n = strftime(line, sizeof(line), "time=%Y-%m-%dT%H:%M:%S", &tm);
	k = snprintf(line + n, sizeof(line) - n, ".%03dZ level=%s pid=%d ",
	    (int)(now / 1000 % 1000), level_names[lvl], (int)getpid());
	n += (size_t)k;
	va_start(ap, fmt);
	k = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (k < 0)
		k = 0;
	n += (size_t)k;
	if (n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n] = '\0';
	if (json_lines) {
		char	 js[sizeof(line) + 1024];

		n = log_json(js, sizeof(js) - 1, line);
		js[n++] = '\n';
		(void)!write(STDERR_FILENO, js, n);
		return;
	}
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, n);
}

const char *
log_quote(char *dst, size_t n, const char *s)
{
	size_t	 i = 0;
	bool	 bare = *s != '\0';

	for (const char *p = s; *p != '\0' && bare; p++)
		if (*p <= ' ' || *p == '"' || *p == '=' || *p == '\\' ||
		    *p == 0x7f)
			bare = false;
	if (bare) {
		snprintf(dst, n, "%s", s);
		return dst;
	}
	if (n < 3) {
		if (n > 0)
			dst[0] = '\0';
		return dst;
	}
	dst[i++] = '"';
	for (const char *p = s; *p != '\0' && i + 3 < n; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '"' || c == '\\') {
			dst[i++] = '\\';
			dst[i++] = (char)c;
		} else if (c == '\n') {
			dst[i++] = '\\';
			dst[i++] = 'n';
		} else if (c < ' ' || c == 0x7f)
			dst[i++] = '?';
		else
			dst[i++] = (char)c;
	}
	dst[i++] = '"';
	dst[i] = '\0';
	return dst;
}
