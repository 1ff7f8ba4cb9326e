/*
 * log: logfmt lines to stderr.  The line is assembled in a stack buffer
 * and written with one write(2), which the kernel keeps whole for pipes
 * up to PIPE_BUF and in practice for terminals and journald.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

static enum log_level	 min_level = LOG_INFO;
static const char *const level_names[LOG__MAX] = {
	"debug", "info", "warn", "error"
};

void
log_set_level(enum log_level lvl)
{
	min_level = lvl;
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
