/*
 * settings: values staff change while the site runs (the comment rules,
 * later the site name), in the settings table, as text.  The code that
 * reads a key owns its meaning and default; a missing or malformed value
 * reads as the default, so a bad edit cannot take the site down.
 */
#ifndef GAZETTE_SETTINGS_H
#define GAZETTE_SETTINGS_H

struct req;

/* The value of key (an arena copy), or def when absent. */
const char *settings_get(struct req *r, const char *key, const char *def);
/* The value as an integer in [min, max], else def. */
long	 settings_int(struct req *r, const char *key, long def, long min,
	    long max);
/* Insert or replace key.  0, or -1 (r failed). */
int	 settings_set(struct req *r, const char *key, const char *value);

#endif
