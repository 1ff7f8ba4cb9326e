/*
 * settings: values staff change while the site runs (the comment rules,
 * the site's name, signup), in the settings table, as text.  The code
 * that reads a key owns its meaning and default; a missing or malformed
 * value reads as the default, so a bad edit cannot take the site down.
 * Four keys override the configuration file (struct settings_site);
 * those are cached per worker, the others are read when needed.
 */
#ifndef GAZETTE_SETTINGS_H
#define GAZETTE_SETTINGS_H

#include <stdbool.h>

struct req;

/* The value of key (an arena copy), or def when absent. */
const char *settings_get(struct req *r, const char *key, const char *def);
/* The value as an integer in [min, max], else def. */
long	 settings_int(struct req *r, const char *key, long def, long min,
	    long max);
/*
 * Insert or replace key.  0, or -1 (r failed).  Drops this worker's
 * cached settings_site(), so the request that saved sees its values.
 */
int	 settings_set(struct req *r, const char *key, const char *value);

/*
 * What the admin's site settings may override of the configuration
 * file: the rows site_name, site_description, signup ("0"/"1") and
 * require_2fa_staff ("0"/"1") where present (and well formed), else the
 * file's [site] and [accounts] values.
 */
struct settings_site {
	const char	*name;
	const char	*description;
	bool		 signup;
	bool		 require_2fa_staff;
};

/*
 * The current values.  Cached per worker: once a request at most, a
 * "PRAGMA data_version" (no table read) tells whether another
 * connection committed since the last look; only then are the four
 * rows read again.  Without a database (commands, unit tests of other
 * modules) the file's values.  Valid until the next call that reloads
 * (at the earliest, the next request): do not keep it.
 */
const struct settings_site *settings_site(struct req *r);

/*
 * The values as settings_site() last found them in this process,
 * without touching the database (the file's values before the first
 * call), for code that has no request at hand (auth_staff_ready()).
 * Loading the request's user (auth_user_by_id(), auth_user_by_login())
 * calls settings_site() first, so these are the request's values.
 */
const struct settings_site *settings_site_last(void);

#endif
