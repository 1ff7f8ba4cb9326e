/*
 * log: one line per event on stderr (time, level, pid, then the caller's
 * key=value pairs), in logfmt or, with log_format = json, as one JSON
 * object per line with the same keys in the same order.  Requests log
 * through log_request() in server.  Writes are single write(2) calls so
 * lines from workers never interleave.
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

/* Write JSON lines (true) or logfmt (false, the default). */
void	 log_set_json(int json);

/*
 * The logfmt pairs in src (key=value, value bare or double-quoted with
 * \" \\ \n escapes) as one JSON object into dst (size n, at least 64),
 * NUL-terminated, no newline.  A bare value that is a decimal integer of
 * at most 15 digits becomes a JSON number, anything else a string;
 * control characters are \u escaped and invalid UTF-8 becomes U+FFFD.
 * A word without '=' becomes a key with the value true.  When dst is too
 * small, whole pairs are dropped from the end and "truncated":true is
 * added, so the line is always valid JSON.  Returns the length.
 */
size_t	 log_json(char *dst, size_t n, const char *src);

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
