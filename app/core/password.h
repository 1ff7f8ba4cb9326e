/*
 * password: argon2id hashes (libsodium's crypto_pwhash_str) with rehash on
 * policy change and a dummy verify for unknown users, and the checks a new
 * password must pass (Django's four validators plus a length cap, with
 * cracklib for common passwords).  Owns no storage: the caller keeps the
 * hash string.  Not thread-safe (cracklib is not; workers are one thread).
 */
#ifndef GAZETTE_PASSWORD_H
#define GAZETTE_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

struct config;

#define PASSWORD_HASH_LEN	128	/* crypto_pwhash_STRBYTES, NUL too */
#define PASSWORD_MAX_BYTES	4096	/* longer passwords are refused */

struct password_policy {
	size_t		 min_length;	/* characters (password_min_length) */
	unsigned long long ops;		/* argon2id opslimit (password_ops) */
	size_t		 mem;		/* memlimit, bytes (password_mem) */
};

/*
 * Fill *p from the [accounts] settings of c.  The defaults (10
 * characters, libsodium's interactive limits: 2 passes over 64 MiB) stand
 * for c NULL and for settings of zero or less; limits below libsodium's
 * minimums are raised to them.
 */
void	 password_policy_from_config(struct password_policy *p,
	    const struct config *c);

/*
 * Hash password with argon2id and the policy's limits (random salt; the
 * limits and salt are in the string) into out as a NUL-terminated
 * "$argon2id$v=19$m=...,t=...,p=1$salt$hash".  Returns 0, or -1 (out of
 * memory for the memlimit: logged) with out set to "", which never
 * verifies.
 */
int	 password_hash(const struct password_policy *p, const char *password,
	    char out[PASSWORD_HASH_LEN]);

/*
 * Does password match stored (a password_hash() string)?  Takes one
 * argon2id run with the limits in stored.  NULL, "", or anything that is
 * not a well-formed argon2id/argon2i string never matches and returns at
 * once: that is how an unusable password is stored.
 */
bool	 password_verify(const char *stored, const char *password);

/*
 * For a login whose user does not exist (or has an unusable password):
 * spend the time of a password_verify() of a hash made with the policy's
 * limits, so the answer's timing does not tell whether the user exists.
 * The first call per process (and per change of limits) makes the dummy
 * hash, which is itself one argon2id run with those limits.
 */
void	 password_dummy_verify(const struct password_policy *p,
	    const char *password);

/*
 * Was stored made with other limits than the policy's (or another
 * algorithm, or is it not a hash at all)?  Then the caller rehashes the
 * password it has just verified.
 */
bool	 password_needs_rehash(const struct password_policy *p,
	    const char *stored);

/*
 * Check a new password against the policy and the user's attributes (any
 * of username, email, display_name may be NULL or "").  Each validator is
 * independent and gives at most one message, in this order:
 *   "This password is too short. It must contain at least N characters."
 *	fewer than p->min_length characters (UTF-8 code points, not bytes);
 *   "This password is too long."  more than PASSWORD_MAX_BYTES bytes;
 *   "This password is too similar to your username." (or "email address",
 *	"display name"): Django's UserAttributeSimilarityValidator, that is
 *	a difflib ratio >= 0.7 between the lower-cased password and the
 *	attribute or one of its words (and an email's local part); or the
 *	password contains the username (3 characters or more); or cracklib
 *	finds it derived from the username or display name;
 *   "This password is entirely numeric."
 *   "This password is too common."  in the built-in list of the worst web
 *	passwords, or refused by cracklib's FascistCheck (dictionary word,
 *	reversed word, too simple or systematic, too few different
 *	characters).  If cracklib's dictionary is missing, a warning is
 *	logged once per process and only the built-in list is used.
 * Stores the first max messages in msgs and returns the number of
 * failures, which may exceed max: 0 means the password is acceptable.
 * The messages are static strings, except the too-short one, which stays
 * valid until the next call.
 */
int	 password_validate(const struct password_policy *p,
	    const char *password, const char *username, const char *email,
	    const char *display_name, const char **msgs, int max);

#ifdef GAZETTE_TEST
/*
 * Tests only: use the cracklib dictionary at path (a prefix, as for
 * FascistCheck) instead of the default; NULL goes back to the default.
 * Also forgets that the missing-dictionary warning was logged.
 */
void	 password_test_dict(const char *path);
#endif

#endif
