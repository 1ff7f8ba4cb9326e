/*
 * log: one logfmt line per event on stderr (time, level, pid, then the
 * caller's key=value pairs).  Requests log through log_request() in http.
 * Writes are single write(2) calls so lines from workers never interleave.
 */
#ifndef GAZETTE_LOG_H
#define GAZETTE_LOG_H

#include <stddef.h>

enum log_level {
	LOG_DEBUG,
	LOG_INFO,
	LOG_WARN,
	LOG_ERROR,
	LOG__MAX
};

/* Lines below this level are dropped.  Default LOG_INFO. */
void	 log_set_level(enum log_level lvl);

/* Parse "debug", "info", "warn", "error"; -1 if none of them. */
int	 log_level_parse(const char *s);

/*
 * Log fmt (key=value pairs) at lvl.  String values that may contain
 * spaces or quotes go through log_quote() first.
 */
void	 log_msg(enum log_level lvl, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Write s as a logfmt value into dst (size n): bare if it is safe,
 * otherwise in double quotes with \" \\ \n escaped; truncated to fit.
 * Returns dst.
 */
const char *log_quote(char *dst, size_t n, const char *s);

#endif
