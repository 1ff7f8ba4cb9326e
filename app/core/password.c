/*
 * password: argon2id through libsodium, and the new-password validators.
 * The similarity validator is Python's difflib.SequenceMatcher.ratio()
 * rewritten in C; the common-password one asks cracklib, then a short
 * built-in list.  State: the dummy hash for unknown users, the too-short
 * message of the current minimum, and whether the missing-dictionary
 * warning was logged, all per process.
 */
#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <crack.h>		/* needs <stddef.h> first, for size_t */
#include <sodium.h>

#include "config.h"
#include "log.h"
#include "password.h"
#include "util.h"

_Static_assert(PASSWORD_HASH_LEN == crypto_pwhash_STRBYTES,
    "PASSWORD_HASH_LEN must be libsodium's crypto_pwhash_STRBYTES");

#define DEFAULT_MIN_LENGTH	10
#define SIM_NUM		7	/* similar: ratio >= SIM_NUM / SIM_DEN */
#define SIM_DEN		10
#define SIM_MAX		256	/* longest string given a ratio */
#define ATTR_MAX	1024	/* code points of an attribute used */
#define USERNAME_MIN	3	/* shortest username searched for */
#define CRACKLIB_MINLEN	6	/* MINLEN in cracklib's fascist.c */

enum check {
	CHECK_SHORT,
	CHECK_LONG,
	CHECK_SIMILAR,
	CHECK_NUMERIC,
	CHECK_COMMON,
	CHECK__MAX
};

static const char msg_long[] = "This password is too long.";
static const char msg_numeric[] = "This password is entirely numeric.";
static const char msg_common[] = "This password is too common.";
static const char msg_username[] =
    "This password is too similar to your username.";
static const char msg_email[] =
    "This password is too similar to your email address.";
static const char msg_display[] =
    "This password is too similar to your display name.";

/*
 * Written for Gazette by hand: obvious web passwords, lower case, that are
 * worth refusing even when cracklib's dictionary is missing, and a few
 * that cracklib lets through (passw0rd123, 1qaz2wsx3edc, dragon2024...).
 */
static const char *const common_passwords[] = {
	"password", "password1", "password12", "password123",
	"password1234", "passw0rd", "passw0rd1", "passw0rd123", "p@ssw0rd",
	"p@ssword1", "qwerty123", "qwerty1234", "qwertyuiop", "qwertyuiop1",
	"1qaz2wsx3edc", "1q2w3e4r5t", "q1w2e3r4t5", "123qweasd", "letmein",
	"letmein1", "letmein123", "iloveyou1", "welcome123", "admin123",
	"administrator", "changeme", "changeme123", "trustno1", "abcd1234",
	"abc123456", "dragon2024", "monkey1234", "football1", "whatever1",
};

/* How cracklib's reasons are reported; any reason not listed: common. */
enum reason {
	REASON_IGNORE,		/* about length: we check it ourselves */
	REASON_NODICT,		/* the dictionary could not be opened */
	REASON_USERNAME,	/* derived from the username passed */
	REASON_GECOS,		/* derived from the display name passed */
};

static const struct {
	const char	*text;
	enum reason	 reason;
} cracklib_reasons[] = {
	{ "it is WAY too short", REASON_IGNORE },
	{ "it is too short", REASON_IGNORE },
	{ "error loading dictionary", REASON_NODICT },
	{ "it is based on your username", REASON_USERNAME },
	{ "it is based upon your password entry", REASON_GECOS },
	{ "it is derived from your password entry", REASON_GECOS },
	{ "it's derived from your password entry", REASON_GECOS },
	{ "it is derivable from your password entry", REASON_GECOS },
	{ "it's derivable from your password entry", REASON_GECOS },
};

static char		 dummy_hash[crypto_pwhash_STRBYTES];
static unsigned long long dummy_ops;
static size_t		 dummy_mem;
static char		 short_msg[96];
static size_t		 short_min;
static bool		 dict_warned;
static const char	*dict_override;

static void
sodium_ready(void)
{
	if (sodium_init() < 0)
		abort();
}

void
password_policy_from_config(struct password_policy *p,
    const struct config *c)
{
	p->min_length = DEFAULT_MIN_LENGTH;
	p->ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
	p->mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
	if (c != NULL) {
		if (c->password_min_length > 0)
			p->min_length = (size_t)c->password_min_length;
		if (c->password_ops > 0)
			p->ops = (unsigned long long)c->password_ops;
		if (c->password_mem > 0)
			p->mem = (size_t)c->password_mem;
	}
	if (p->ops < crypto_pwhash_OPSLIMIT_MIN)
		p->ops = crypto_pwhash_OPSLIMIT_MIN;
	if (p->mem < crypto_pwhash_MEMLIMIT_MIN)
		p->mem = crypto_pwhash_MEMLIMIT_MIN;
}

int
password_hash(const struct password_policy *p, const char *password,
    char out[PASSWORD_HASH_LEN])
{
	assert(p != NULL && password != NULL);
	sodium_ready();
	if (crypto_pwhash_str_alg(out, password, strlen(password), p->ops,
	    p->mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
		log_msg(LOG_ERROR, "msg=\"argon2id hashing failed (out of "
		    "memory?)\" ops=%llu mem=%zu", p->ops, p->mem);
		out[0] = '\0';
		return -1;
	}
	return 0;
}

/* A string libsodium may parse: shorter than its buffer, right prefix. */
static bool
is_hash_string(const char *stored)
{
	if (stored == NULL ||
	    strnlen(stored, crypto_pwhash_STRBYTES) >= crypto_pwhash_STRBYTES)
		return false;
	return strncmp(stored, crypto_pwhash_argon2id_STRPREFIX,
	    sizeof(crypto_pwhash_argon2id_STRPREFIX) - 1) == 0 ||
	    strncmp(stored, crypto_pwhash_argon2i_STRPREFIX,
	    sizeof(crypto_pwhash_argon2i_STRPREFIX) - 1) == 0;
}

bool
password_verify(const char *stored, const char *password)
{
	if (!is_hash_string(stored) || password == NULL)
		return false;
	sodium_ready();
	return crypto_pwhash_str_verify(stored, password,
	    strlen(password)) == 0;
}

void
password_dummy_verify(const struct password_policy *p, const char *password)
{
	unsigned char	 secret[16];
	char		 hex[sizeof(secret) * 2 + 1];

	assert(p != NULL);
	if (password == NULL)
		password = "";
	sodium_ready();
	if (dummy_hash[0] != '\0' && dummy_ops == p->ops &&
	    dummy_mem == p->mem) {
		(void)!crypto_pwhash_str_verify(dummy_hash, password,
		    strlen(password));
		return;
	}
	/*
	 * No dummy hash for these limits yet: making it is one argon2id run
	 * with them, the same work as the verify above.  Its password is
	 * random, so nothing ever matches it.
	 */
	randombytes_buf(secret, sizeof(secret));
	sodium_bin2hex(hex, sizeof(hex), secret, sizeof(secret));
	if (crypto_pwhash_str_alg(dummy_hash, hex, strlen(hex), p->ops,
	    p->mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
		log_msg(LOG_ERROR, "msg=\"argon2id dummy hash failed (out of "
		    "memory?)\" ops=%llu mem=%zu", p->ops, p->mem);
		dummy_hash[0] = '\0';
		return;
	}
	dummy_ops = p->ops;
	dummy_mem = p->mem;
}

bool
password_needs_rehash(const struct password_policy *p, const char *stored)
{
	assert(p != NULL);
	if (!is_hash_string(stored))
		return true;
	sodium_ready();
	/* 1: other limits or argon2i; -1: unparsable.  Both: rehash. */
	return crypto_pwhash_str_needs_rehash(stored, p->ops, p->mem) != 0;
}

/* ---- text: code points, case, words ----------------------------------- */

/*
 * The next code point of *sp, which advances past it.  A byte that does
 * not start a well-formed sequence comes back alone as U+DC80..U+DCFF
 * (Python's surrogateescape), so it still equals only itself.  Never reads
 * past the NUL: it is not a continuation byte.
 */
static uint32_t
utf8_next(const unsigned char **sp)
{
	const unsigned char	*s = *sp;
	uint32_t		 c = s[0], min;
	int			 n;

	if (c < 0x80) {
		*sp = s + 1;
		return c;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 1;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 2;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 3;
		c &= 0x07;
		min = 0x10000;
	} else
		goto bad;
	for (int i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*sp = s + n + 1;
	return c;
bad:
	*sp = s + 1;
	return 0xdc00 | s[0];
}

/* Code points in s, as Python's len() counts them. */
static size_t
utf8_count(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n = 0;

	while (*p != '\0') {
		(void)utf8_next(&p);
		n++;
	}
	return n;
}

/*
 * Lower case for the scripts that names and passwords mostly use: ASCII,
 * Latin-1, Latin Extended-A, Greek and Cyrillic.  (Python's str.lower()
 * knows all of Unicode; elsewhere the two may differ.)
 */
static uint32_t
cp_lower(uint32_t c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde && c != 0xd7) ||
	    (c >= 0x391 && c <= 0x3ab && c != 0x3a2) ||
	    (c >= 0x410 && c <= 0x42f))
		return c + 0x20;
	if (c >= 0x400 && c <= 0x40f)
		return c + 0x50;
	if (c == 0x178)
		return 0xff;
	if ((c >= 0x100 && c <= 0x12f) || (c >= 0x132 && c <= 0x137) ||
	    (c >= 0x14a && c <= 0x177))
		return c | 1;		/* even upper, odd lower */
	if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e)) &&
	    (c & 1) == 1)
		return c + 1;		/* odd upper, even lower */
	return c;
}

/*
 * Is c a word character for Python's \w?  Exact for ASCII (letters,
 * digits, '_').  Above it, Latin-1's and Unicode's punctuation and symbol
 * blocks separate words and everything else counts as a letter, which is
 * close enough for names and addresses.
 */
static bool
cp_is_word(uint32_t c)
{
	if (c < 0x80)
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || c == '_';
	return !(c <= 0xbf || c == 0xd7 || c == 0xf7 ||
	    (c >= 0x2000 && c <= 0x2bff) || (c >= 0x3000 && c <= 0x303f) ||
	    (c >= 0xdc80 && c <= 0xdcff) || (c >= 0xff01 && c <= 0xff0f));
}

/* Is c a decimal digit, as Python's isdigit() sees the common ones? */
static bool
cp_is_digit(uint32_t c)
{
	static const uint32_t	 zeros[] = {
		'0', 0x660, 0x6f0, 0x966, 0x9e6, 0xe50, 0xff10,
	};

	for (size_t i = 0; i < NELEM(zeros); i++)
		if (c >= zeros[i] && c <= zeros[i] + 9)
			return true;
	return false;
}

/*
 * Decode s, lower-cased, into out (room for max); stops after max code
 * points.  Returns how many were stored.
 */
static size_t
lower_cps(const char *s, uint32_t *out, size_t max)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n = 0;

	while (*p != '\0' && n < max)
		out[n++] = cp_lower(utf8_next(&p));
	return n;
}

/* ---- difflib's ratio ---------------------------------------------------- */

/*
 * Python's difflib.SequenceMatcher(a, b).ratio(), written by hand for
 * Gazette: no C library offers it.  ratio = 2 * M / (len(a) + len(b)),
 * where M counts the elements of the matching blocks: the longest common
 * block of the two ranges (the earliest in a, then in b, if several are
 * as long), then the same recursively left and right of it.  As in
 * difflib with autojunk on, when b has 200 elements or more, those that
 * occur more than len(b) / 100 + 1 times ("popular") cannot start or
 * hold a match but may extend one at its ends.  find_longest_match()
 * there walks a dictionary of b's positions; here a dynamic programme
 * over two rows finds the same block in the same order.
 */
struct matcher {
	const uint32_t	*a, *b;
	bool		 popular[SIM_MAX];
	unsigned short	 row[2][SIM_MAX + 1];
};

static size_t
longest_match(struct matcher *m, size_t alo, size_t ahi, size_t blo,
    size_t bhi, size_t *bi, size_t *bj)
{
	unsigned short	*prev = m->row[0], *cur = m->row[1], *t;
	size_t		 best = 0, i0 = alo, j0 = blo;

	/* row[x][j + 1]: length of the common block ending at a[i], b[j]. */
	memset(prev + blo, 0, (bhi - blo + 1) * sizeof(*prev));
	cur[blo] = 0;
	for (size_t i = alo; i < ahi; i++) {
		for (size_t j = blo; j < bhi; j++) {
			if (m->a[i] != m->b[j] || m->popular[j]) {
				cur[j + 1] = 0;
				continue;
			}
			cur[j + 1] = (unsigned short)(prev[j] + 1);
			if (cur[j + 1] > best) {
				best = cur[j + 1];
				i0 = i + 1 - best;
				j0 = j + 1 - best;
			}
		}
		t = prev;
		prev = cur;
		cur = t;
	}
	/*
	 * Popular elements may extend the block at either end; as in difflib
	 * even an empty one, from (alo, blo).
	 */
	while (i0 > alo && j0 > blo && m->a[i0 - 1] == m->b[j0 - 1]) {
		i0--;
		j0--;
		best++;
	}
	while (i0 + best < ahi && j0 + best < bhi &&
	    m->a[i0 + best] == m->b[j0 + best])
		best++;
	*bi = i0;
	*bj = j0;
	return best;
}

/* M for a[alo, ahi) and b[blo, bhi): the matching blocks' total size. */
static size_t
matched(struct matcher *m, size_t alo, size_t ahi, size_t blo, size_t bhi)
{
	size_t	 i, j, k, n;

	if ((k = longest_match(m, alo, ahi, blo, bhi, &i, &j)) == 0)
		return 0;
	n = k;
	if (alo < i && blo < j)
		n += matched(m, alo, i, blo, j);
	if (i + k < ahi && j + k < bhi)
		n += matched(m, i + k, ahi, j + k, bhi);
	return n;
}

/*
 * Is ratio(a, b) >= 0.7?  Skipped (false) when it cannot be, since M is
 * at most the shorter length (difflib's real_quick_ratio()), and when
 * either side is longer than SIM_MAX, which bounds the cubic worst case.
 */
static bool
is_similar(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	struct matcher	 m;
	size_t		 lo = na < nb ? na : nb;

	if (nb == 0 || na == 0 || na > SIM_MAX || nb > SIM_MAX ||
	    2 * lo * SIM_DEN < SIM_NUM * (na + nb))
		return false;
	m.a = a;
	m.b = b;
	memset(m.popular, 0, sizeof(m.popular));
	if (nb >= 200) {
		size_t	 limit = nb / 100 + 1;

		for (size_t j = 0; j < nb; j++) {
			size_t	 count = 0;

			for (size_t k = 0; k < nb; k++)
				count += b[k] == b[j];
			m.popular[j] = count > limit;
		}
	}
	return 2 * matched(&m, 0, na, 0, nb) * SIM_DEN >= SIM_NUM * (na + nb);
}

/*
 * Django's check of one attribute: the password against the whole value,
 * each of its words (split on \W+), and for an email its local part.
 */
static bool
attr_is_similar(const uint32_t *pw, size_t npw, const char *value,
    bool email)
{
	uint32_t	 v[ATTR_MAX];
	size_t		 nv, start;

	if (value == NULL || (nv = lower_cps(value, v, ATTR_MAX)) == 0)
		return false;
	if (is_similar(pw, npw, v, nv))
		return true;
	for (size_t i = 0; i < nv; i = start) {
		while (i < nv && !cp_is_word(v[i]))
			i++;
		for (start = i; start < nv && cp_is_word(v[start]); start++)
			continue;
		if (start > i && is_similar(pw, npw, v + i, start - i))
			return true;
	}
	if (email)
		for (size_t at = nv; at > 0; at--)
			if (v[at - 1] == '@')
				return is_similar(pw, npw, v, at - 1);
	return false;
}

/* Does the lower-cased password contain the username (3 or more)? */
static bool
has_username(const uint32_t *pw, size_t npw, const char *username)
{
	uint32_t	 u[ATTR_MAX];
	size_t		 nu;

	if (username == NULL ||
	    (nu = lower_cps(username, u, ATTR_MAX)) < USERNAME_MIN)
		return false;
	for (size_t i = 0; i + nu <= npw; i++)
		if (memcmp(pw + i, u, nu * sizeof(*u)) == 0)
			return true;
	return false;
}

static const char *
check_similar(const char *password, const char *username, const char *email,
    const char *display_name)
{
	uint32_t	 pw[PASSWORD_MAX_BYTES];
	size_t		 npw;

	/* Longer ones are refused anyway and cannot be 70% alike a name. */
	if (strlen(password) > PASSWORD_MAX_BYTES)
		return NULL;
	npw = lower_cps(password, pw, PASSWORD_MAX_BYTES);
	if (has_username(pw, npw, username) ||
	    attr_is_similar(pw, npw, username, false))
		return msg_username;
	if (attr_is_similar(pw, npw, email, true))
		return msg_email;
	if (attr_is_similar(pw, npw, display_name, false))
		return msg_display;
	return NULL;
}

/* ---- common passwords --------------------------------------------------- */

static bool
is_listed(const char *password)
{
	const char	*s = password, *e = password + strlen(password);

	/* Django compares password.lower().strip(). */
	while (s < e && (*s == ' ' || (*s >= '\t' && *s <= '\r')))
		s++;
	while (e > s && (e[-1] == ' ' || (e[-1] >= '\t' && e[-1] <= '\r')))
		e--;
	for (size_t i = 0; i < NELEM(common_passwords); i++)
		if (strlen(common_passwords[i]) == (size_t)(e - s) &&
		    strncasecmp(common_passwords[i], s, (size_t)(e - s)) == 0)
			return true;
	return false;
}

static const char *
dict_path(void)
{
	return dict_override != NULL ? dict_override :
	    GetDefaultCracklibDict();
}

static void
dict_warn(const char *path)
{
	char	 q[512];

	if (dict_warned)
		return;
	dict_warned = true;
	log_msg(LOG_WARN, "msg=\"cracklib dictionary missing or unreadable: "
	    "common passwords are checked against the built-in list only "
	    "(install cracklib-runtime)\" dict=%s",
	    log_quote(q, sizeof(q), path));
}

/* Are the files PWOpen() needs there?  It would complain on stderr. */
static bool
dict_is_present(const char *path)
{
	char	 pwd[1024], pwz[1024], pwi[1024];

	if ((size_t)snprintf(pwd, sizeof(pwd), "%s.pwd", path) >= sizeof(pwd))
		return false;
	snprintf(pwz, sizeof(pwz), "%s.pwd.gz", path);
	snprintf(pwi, sizeof(pwi), "%s.pwi", path);
	return (access(pwd, R_OK) == 0 || access(pwz, R_OK) == 0) &&
	    access(pwi, R_OK) == 0;
}

/*
 * Ask cracklib.  FascistCheck() would look up the process's own user in
 * the password file (getpwuid), and a worker whose uid has no entry, as
 * in many containers, would get "you are not registered in the password
 * file" for every password; so FascistCheckUser() gets the site user
 * instead, and its findings about them become the similarity message.
 * cracklib keeps static buffers (PWOpen, Mangle) and is not reentrant or
 * thread-safe, which is fine in a single-threaded worker; it reads only
 * the first 255 bytes.  Returns the message for slot *which, or NULL.
 */
static const char *
check_cracklib(const char *password, const char *username,
    const char *display_name, enum check *which)
{
	const char	*path = dict_path(), *why;
	enum reason	 reason = REASON_IGNORE;
	bool		 known = false;

	*which = CHECK_COMMON;
	/*
	 * Under MINLEN cracklib only says "too short"; not asking keeps its
	 * length verdicts from ever reaching the user, even translated.
	 */
	if (strlen(password) < CRACKLIB_MINLEN)
		return NULL;
	if (!dict_is_present(path)) {
		dict_warn(path);
		return NULL;
	}
	why = FascistCheckUser(password, path,
	    username != NULL ? username : "",
	    display_name != NULL ? display_name : "");
	if (why == NULL)
		return NULL;
	for (size_t i = 0; i < NELEM(cracklib_reasons) && !known; i++)
		if (strcmp(why, cracklib_reasons[i].text) == 0) {
			reason = cracklib_reasons[i].reason;
			known = true;
		}
	if (!known)
		return msg_common;
	switch (reason) {
	case REASON_NODICT:
		dict_warn(path);
		return NULL;
	case REASON_USERNAME:
		if (username == NULL || *username == '\0')
			return msg_common;
		*which = CHECK_SIMILAR;
		return msg_username;
	case REASON_GECOS:
		if (display_name == NULL || *display_name == '\0')
			return msg_common;
		*which = CHECK_SIMILAR;
		return msg_display;
	default:
		return NULL;
	}
}

/* ---- validate ----------------------------------------------------------- */

static const char *
check_short(const struct password_policy *p, const char *password)
{
	if (utf8_count(password) >= p->min_length)
		return NULL;
	if (short_msg[0] == '\0' || short_min != p->min_length) {
		snprintf(short_msg, sizeof(short_msg), "This password is too "
		    "short. It must contain at least %zu character%s.",
		    p->min_length, p->min_length == 1 ? "" : "s");
		short_min = p->min_length;
	}
	return short_msg;
}

static bool
is_numeric(const char *password)
{
	const unsigned char	*s = (const unsigned char *)password;

	if (*s == '\0')
		return false;
	while (*s != '\0')
		if (!cp_is_digit(utf8_next(&s)))
			return false;
	return true;
}

int
password_validate(const struct password_policy *p, const char *password,
    const char *username, const char *email, const char *display_name,
    const char **msgs, int max)
{
	const char	*found[CHECK__MAX] = { NULL };
	const char	*msg;
	enum check	 which;
	int		 n = 0;

	assert(p != NULL && password != NULL);
	found[CHECK_SHORT] = check_short(p, password);
	if (strlen(password) > PASSWORD_MAX_BYTES)
		found[CHECK_LONG] = msg_long;
	found[CHECK_SIMILAR] = check_similar(password, username, email,
	    display_name);
	if (is_numeric(password))
		found[CHECK_NUMERIC] = msg_numeric;
	if (is_listed(password))
		found[CHECK_COMMON] = msg_common;
	/* One message per check: cracklib fills only an empty slot. */
	if ((msg = check_cracklib(password, username, display_name,
	    &which)) != NULL && found[which] == NULL)
		found[which] = msg;
	for (int i = 0; i < CHECK__MAX; i++) {
		if (found[i] == NULL)
			continue;
		if (n < max)
			msgs[n] = found[i];
		n++;
	}
	return n;
}

#ifdef GAZETTE_TEST
void
password_test_dict(const char *path)
{
	dict_override = path;
	dict_warned = false;
}
#endif
