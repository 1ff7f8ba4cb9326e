/*
 * test_password: app/core/password.c: argon2id hashing, verification and
 * rehash decisions at libsodium's minimum limits (fast, also under
 * valgrind), the dummy verify's cost, and every validator with passing
 * and failing passwords and its exact message.  Needs cracklib's
 * dictionary at its default path (Debian's cracklib-runtime).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "core/config.h"
#include "core/log.h"
#include "core/password.h"
#include "core/util.h"
#include "fixture.h"

Suite	*password_suite(void);

#define MSG_SHORT	"This password is too short. It must contain at " \
			"least 10 characters."
#define MSG_LONG	"This password is too long."
#define MSG_USERNAME	"This password is too similar to your username."
#define MSG_EMAIL	"This password is too similar to your email address."
#define MSG_DISPLAY	"This password is too similar to your display name."
#define MSG_NUMERIC	"This password is entirely numeric."
#define MSG_COMMON	"This password is too common."

#define GOOD		"correct horse battery staple"

/* libsodium's minimum argon2id limits: one pass over 8 KiB. */
static const struct password_policy fast = {
	10, crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN
};

static const char	*msgs[8];

/* password_validate() with the fast policy (min_length 10), into msgs. */
static int
validate(const char *pw, const char *username, const char *email,
    const char *display_name)
{
	for (size_t i = 0; i < NELEM(msgs); i++)
		msgs[i] = NULL;
	return password_validate(&fast, pw, username, email, display_name,
	    msgs, (int)NELEM(msgs));
}

static void
teardown(void)
{
	password_test_dict(NULL);
}

START_TEST(test_password_hash_verifies_only_the_same_password)
{
	char	 h[PASSWORD_HASH_LEN];

	ck_assert_int_eq(password_hash(&fast, GOOD, h), 0);
	ck_assert(password_verify(h, GOOD));
	ck_assert(!password_verify(h, "Correct horse battery staple"));
	ck_assert(!password_verify(h, GOOD " "));
	ck_assert(!password_verify(h, ""));
	ck_assert(!password_verify(h, NULL));
	ck_assert_int_eq(password_hash(&fast, "", h), 0);
	ck_assert(password_verify(h, ""));
	ck_assert(!password_verify(h, " "));
}
END_TEST

START_TEST(test_password_hash_is_argon2id_with_the_policy_limits)
{
	char	 h1[PASSWORD_HASH_LEN], h2[PASSWORD_HASH_LEN];

	ck_assert_int_eq(password_hash(&fast, GOOD, h1), 0);
	ck_assert_int_eq(strncmp(h1, "$argon2id$", 10), 0);
	ck_assert_ptr_nonnull(strstr(h1, "$m=8,t=1,p=1$"));
	ck_assert_int_lt(strlen(h1), PASSWORD_HASH_LEN);
	/* A random salt: the same password never hashes the same twice. */
	ck_assert_int_eq(password_hash(&fast, GOOD, h2), 0);
	ck_assert_str_ne(h1, h2);
	ck_assert(password_verify(h2, GOOD));
}
END_TEST

START_TEST(test_password_hash_failure_returns_minus_one_and_unusable_hash)
{
	struct password_policy	 bad = fast;
	char			 h[PASSWORD_HASH_LEN];

	bad.ops = 0;				/* below OPSLIMIT_MIN */
	memset(h, 'x', sizeof(h));
	ck_assert_int_eq(password_hash(&bad, GOOD, h), -1);
	ck_assert_str_eq(h, "");
	ck_assert(!password_verify(h, GOOD));
	ck_assert(!password_verify(h, ""));
}
END_TEST

START_TEST(test_password_verify_refuses_empty_and_malformed_hashes)
{
	char	 h[PASSWORD_HASH_LEN], cut[PASSWORD_HASH_LEN];
	char	 big[300];
	char	*p;

	ck_assert(!password_verify(NULL, GOOD));
	ck_assert(!password_verify("", GOOD));
	ck_assert(!password_verify("", ""));
	ck_assert(!password_verify("garbage", "garbage"));
	ck_assert(!password_verify("$argon2id$", ""));
	ck_assert(!password_verify("$argon2id$v=19$m=8,t=1,p=1$", ""));
	ck_assert(!password_verify(GOOD, GOOD));
	ck_assert(!password_verify("$2y$10$abcdefghijklmnopqrstuv", GOOD));

	ck_assert_int_eq(password_hash(&fast, GOOD, h), 0);
	/* Cut short. */
	memcpy(cut, h, sizeof(cut));
	cut[strlen(cut) - 4] = '\0';
	ck_assert(!password_verify(cut, GOOD));
	/* One character of the hash changed. */
	memcpy(cut, h, sizeof(cut));
	p = cut + strlen(cut) - 2;
	*p = *p == 'A' ? 'B' : 'A';
	ck_assert(!password_verify(cut, GOOD));
	/* Too long for libsodium's buffer, though it starts right. */
	snprintf(big, sizeof(big), "%s%0*d", h, (int)(sizeof(big) -
	    strlen(h) - 1), 0);
	ck_assert(!password_verify(big, GOOD));
	/* The untouched hash still verifies: the checks above are real. */
	ck_assert(password_verify(h, GOOD));
}
END_TEST

START_TEST(test_password_needs_rehash_only_when_limits_change)
{
	struct password_policy	 more_ops = fast, more_mem = fast;
	char			 h[PASSWORD_HASH_LEN];

	more_ops.ops = fast.ops + 1;
	more_mem.mem = fast.mem * 2;
	ck_assert_int_eq(password_hash(&fast, GOOD, h), 0);
	ck_assert(!password_needs_rehash(&fast, h));
	ck_assert(password_needs_rehash(&more_ops, h));
	ck_assert(password_needs_rehash(&more_mem, h));
	ck_assert_int_eq(password_hash(&more_mem, GOOD, h), 0);
	ck_assert(!password_needs_rehash(&more_mem, h));
	ck_assert(password_needs_rehash(&fast, h));
	/* A minimum length is no reason to rehash. */
	more_mem.min_length = 30;
	ck_assert(!password_needs_rehash(&more_mem, h));
}
END_TEST

START_TEST(test_password_needs_rehash_for_argon2i_and_non_hashes)
{
	char	 h[crypto_pwhash_STRBYTES];

	ck_assert(password_needs_rehash(&fast, NULL));
	ck_assert(password_needs_rehash(&fast, ""));
	ck_assert(password_needs_rehash(&fast, "garbage"));
	ck_assert(password_needs_rehash(&fast, "$argon2id$v=19$m=8,t=1"));
	/* An argon2i hash (imported, say) verifies and is upgraded. */
	ck_assert_int_eq(crypto_pwhash_str_alg(h, GOOD, strlen(GOOD),
	    crypto_pwhash_argon2i_OPSLIMIT_MIN, fast.mem,
	    crypto_pwhash_ALG_ARGON2I13), 0);
	ck_assert_int_eq(strncmp(h, "$argon2i$", 9), 0);
	ck_assert(password_verify(h, GOOD));
	ck_assert(password_needs_rehash(&fast, h));
}
END_TEST

START_TEST(test_password_policy_from_config_reads_accounts_section)
{
	struct config		 c;
	struct password_policy	 p;
	char			 err[256];

	password_policy_from_config(&p, NULL);
	ck_assert_uint_eq(p.min_length, 10);
	ck_assert_uint_eq(p.ops, 2);
	ck_assert_uint_eq(p.mem, 64u << 20);

	ck_assert_int_eq(config_load(&c, NULL, err, sizeof(err)), 0);
	c.password_min_length = 14;
	c.password_ops = 3;
	c.password_mem = 1 << 20;
	password_policy_from_config(&p, &c);
	ck_assert_uint_eq(p.min_length, 14);
	ck_assert_uint_eq(p.ops, 3);
	ck_assert_uint_eq(p.mem, 1u << 20);
	/* Under libsodium's minimum: raised to it.  Not set: the default. */
	c.password_mem = 1024;
	c.password_ops = 0;
	c.password_min_length = 0;
	password_policy_from_config(&p, &c);
	ck_assert_uint_eq(p.mem, crypto_pwhash_MEMLIMIT_MIN);
	ck_assert_uint_eq(p.ops, 2);
	ck_assert_uint_eq(p.min_length, 10);
	config_free(&c);
}
END_TEST

/*
 * The least of 3 timings, in µs, of a wrong password against stored, or
 * of a dummy verify if stored is NULL: noise only ever adds time.
 */
static int64_t
least_of_3(const struct password_policy *p, const char *stored)
{
	int64_t	 best = INT64_MAX;

	for (int i = 0; i < 3; i++) {
		int64_t	 t0 = util_mono_us(), t;

		if (stored != NULL)
			(void)password_verify(stored, "wrong password");
		else
			password_dummy_verify(p, "wrong password");
		t = util_mono_us() - t0;
		if (t < best)
			best = t;
	}
	return best;
}

START_TEST(test_password_dummy_verify_costs_about_a_verify)
{
	struct password_policy	 p = fast;
	char			 h[PASSWORD_HASH_LEN];
	int64_t			 dummy, real;

	p.mem = 1u << 20;		/* 1 MiB: a millisecond or so */
	ck_assert_int_eq(password_hash(&p, GOOD, h), 0);
	password_dummy_verify(&p, "warm up");	/* makes the dummy hash */
	real = least_of_3(&p, h);
	dummy = least_of_3(&p, NULL);
	ck_assert_msg(dummy * 4 >= real && dummy <= real * 4,
	    "dummy %lld us, verify %lld us", (long long)dummy,
	    (long long)real);
}
END_TEST

START_TEST(test_password_dummy_verify_follows_the_policy_limits)
{
	struct password_policy	 small = fast, large = fast;
	int64_t			 t_small, t_large;

	small.mem = 256u << 10;
	large.mem = 4u << 20;			/* 16 times the work */
	password_dummy_verify(&small, "warm up");
	t_small = least_of_3(&small, NULL);
	password_dummy_verify(&large, "warm up");
	t_large = least_of_3(&large, NULL);
	ck_assert_msg(t_large >= t_small * 3, "256 KiB %lld us, 4 MiB %lld us",
	    (long long)t_small, (long long)t_large);
	password_dummy_verify(&small, NULL);	/* NULL is allowed */
}
END_TEST

START_TEST(test_password_validate_accepts_a_good_passphrase)
{
	ck_assert_int_eq(validate(GOOD, "alice", "alice@example.com",
	    "Alice Liddell"), 0);
	ck_assert_int_eq(validate(GOOD, NULL, NULL, NULL), 0);
	ck_assert_int_eq(validate(GOOD, "", "", ""), 0);
	ck_assert_int_eq(validate("Zq7#kWZq7#kW", "alice", NULL, NULL), 0);
	ck_assert_ptr_null(msgs[0]);
}
END_TEST

START_TEST(test_password_validate_too_short_message_is_exact)
{
	struct password_policy	 one = fast;
	const char		*m[2];

	ck_assert_int_eq(validate("Xq7!mWz2p", NULL, NULL, NULL), 1);
	ck_assert_str_eq(msgs[0], MSG_SHORT);
	ck_assert_int_eq(validate("Xq7!mWz2pK", NULL, NULL, NULL), 0);
	one.min_length = 1;
	ck_assert_int_eq(password_validate(&one, "", NULL, NULL, NULL, m, 2),
	    1);
	ck_assert_str_eq(m[0], "This password is too short. It must contain "
	    "at least 1 character.");
}
END_TEST

START_TEST(test_password_validate_counts_characters_not_bytes)
{
	/* é is 2 bytes: 9 of them are 18 bytes but 9 characters. */
	ck_assert_int_ge(validate("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", NULL, NULL, NULL), 1);
	ck_assert_str_eq(msgs[0], MSG_SHORT);
	ck_assert_int_eq(validate("K\xc3\xa9z\xc3\xa9q\xc3\xa9!\xc3\xa9"
	    "7\xc3\xa9", NULL, NULL, NULL), 0);	/* 10 chars, 15 bytes */
	ck_assert_int_eq(validate("K\xc3\xa9z\xc3\xa9q\xc3\xa9!\xc3\xa9"
	    "7", NULL, NULL, NULL), 1);		/* 9 chars, 13 bytes */
	ck_assert_str_eq(msgs[0], MSG_SHORT);
	/* 4-byte sequences count once too. */
	ck_assert_int_eq(validate("\xf0\x9f\x90\x88Zq7#kW\xf0\x9f\x90\x95"
	    "\xf0\x9f\x90\x8d", NULL, NULL, NULL), 1);
	ck_assert_str_eq(msgs[0], MSG_SHORT);
}
END_TEST

START_TEST(test_password_validate_too_long_over_4096_bytes)
{
	char	 pw[PASSWORD_MAX_BYTES + 2];

	for (size_t i = 0; i < sizeof(pw) - 1; i++)
		pw[i] = "Zq7#kW"[i % 6];
	pw[PASSWORD_MAX_BYTES] = '\0';
	ck_assert_int_eq(validate(pw, "alice", NULL, NULL), 0);
	pw[PASSWORD_MAX_BYTES] = 'Z';
	pw[PASSWORD_MAX_BYTES + 1] = '\0';
	ck_assert_int_eq(validate(pw, "alice", NULL, NULL), 1);
	ck_assert_str_eq(msgs[0], MSG_LONG);
}
END_TEST

START_TEST(test_password_validate_entirely_numeric)
{
	ck_assert_int_ge(validate("1234567890", NULL, NULL, NULL), 1);
	ck_assert_str_eq(msgs[0], MSG_NUMERIC);
	ck_assert_int_eq(validate("8302749165", NULL, NULL, NULL), 1);
	ck_assert_str_eq(msgs[0], MSG_NUMERIC);
	/* Arabic-Indic digits are digits too, as for Python's isdigit(). */
	ck_assert_int_eq(validate("\xd9\xa8\xd9\xa3\xd9\xa0\xd9\xa2\xd9\xa7"
	    "\xd9\xa4\xd9\xa9\xd9\xa1\xd9\xa6\xd9\xa5", NULL, NULL, NULL), 1);
	ck_assert_str_eq(msgs[0], MSG_NUMERIC);
	ck_assert_int_eq(validate("8302749165x", NULL, NULL, NULL), 0);
	ck_assert_int_eq(validate(" 8302749165", NULL, NULL, NULL), 0);
}
END_TEST

START_TEST(test_password_validate_common_passwords)
{
	static const char *const common[] = {
		"password123", "PassWord123", "qwertyuiop", "letmein123",
		"password1234", "  password123 ", " dragon2024  ",
		"sunshine12",		/* only in cracklib's dictionary */
		"dragon2024",		/* only in the built-in list */
		"passw0rd123",		/* idem */
		"abcdefghijk",		/* cracklib: too systematic */
		"aaaaaaaaaaaa",		/* cracklib: too few different */
	};

	for (size_t i = 0; i < NELEM(common); i++) {
		ck_assert_msg(validate(common[i], NULL, NULL, NULL) == 1,
		    "%s", common[i]);
		ck_assert_str_eq(msgs[0], MSG_COMMON);
	}
	ck_assert_int_eq(validate("dragon2024x", NULL, NULL, NULL), 0);
}
END_TEST

START_TEST(test_password_validate_default_dictionary_is_used)
{
	/* cracklib-runtime's dictionary is installed where cracklib looks. */
	ck_assert_int_eq(validate("sunshine12", NULL, NULL, NULL), 1);
	ck_assert_str_eq(msgs[0], MSG_COMMON);
	ck_assert_int_eq(validate("21enihsnus", NULL, NULL, NULL), 1);
	ck_assert_str_eq(msgs[0], MSG_COMMON);	/* reversed word */
}
END_TEST

START_TEST(test_password_validate_without_dictionary_keeps_other_checks)
{
	char		*dir = fixture_tmpdir();
	char		 path[512], text[4096];
	FILE		*f;
	size_t		 n;
	int		 saved, fd, warnings = 0;

	/* Logs go to a file for a while: the warning comes once. */
	snprintf(path, sizeof(path), "%s/stderr", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	saved = dup(STDERR_FILENO);
	ck_assert_int_ge(dup2(fd, STDERR_FILENO), 0);
	close(fd);
	log_set_level(LOG_WARN);

	password_test_dict("/nonexistent/cracklib_dict");
	ck_assert_int_eq(validate("sunshine12", NULL, NULL, NULL), 0);
	ck_assert_int_eq(validate("qazwsxedc1", NULL, NULL, NULL), 0);
	ck_assert_int_eq(validate("password123", NULL, NULL, NULL), 1);
	ck_assert_str_eq(msgs[0], MSG_COMMON);
	ck_assert_int_eq(validate("1234567890", NULL, NULL, NULL), 1);
	ck_assert_str_eq(msgs[0], MSG_NUMERIC);
	ck_assert_int_eq(validate("alice12345", "alice", NULL, NULL), 1);
	ck_assert_str_eq(msgs[0], MSG_USERNAME);

	log_set_level(getenv("GAZETTE_TEST_LOG") != NULL ? LOG_INFO :
	    LOG__MAX);
	dup2(saved, STDERR_FILENO);
	close(saved);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	for (const char *p = text; (p = strstr(p, "level=warn")) != NULL; p++)
		warnings++;
	ck_assert_int_eq(warnings, 1);
	ck_assert(fixture_has(text, "/nonexistent/cracklib_dict"));

	/* Back to the real dictionary: refused again. */
	password_test_dict(NULL);
	ck_assert_int_eq(validate("sunshine12", NULL, NULL, NULL), 1);
	fixture_rmtree(dir);
}
END_TEST

START_TEST(test_password_validate_similar_to_username)
{
	ck_assert_int_ge(validate("alice12345", "alice", NULL, NULL), 1);
	ck_assert_str_eq(msgs[0], MSG_USERNAME);
	/* Contained, whatever the case. */
	ck_assert_int_eq(validate("Zq7#ALICEkW", "alice", NULL, NULL), 1);
	ck_assert_str_eq(msgs[0], MSG_USERNAME);
	ck_assert_int_eq(validate("Zq7#aliCEkW", "ALICE", NULL, NULL), 1);
	ck_assert_str_eq(msgs[0], MSG_USERNAME);
	/* Not contained, but a ratio of 16/18. */
	ck_assert_int_eq(validate("jonsmith7!", "johnsmith", NULL, NULL), 1);
	ck_assert_str_eq(msgs[0], MSG_USERNAME);
	/* Two characters are too few to search for. */
	ck_assert_int_eq(validate("al-pacino-fan", "al", NULL, NULL), 0);
	ck_assert_int_eq(validate("Zq7#kWZq7#kW", "alice", NULL, NULL), 0);
}
END_TEST

START_TEST(test_password_validate_similar_to_email)
{
	const char	*email = "bob.smith@example.com";

	ck_assert_int_eq(validate("bobsmith99!", "robert", email, NULL), 1);
	ck_assert_str_eq(msgs[0], MSG_EMAIL);
	/* The whole address (0.86; its local part gives 0.64). */
	ck_assert_int_eq(validate("bobsmith@example", "robert", email, NULL),
	    1);
	ck_assert_str_eq(msgs[0], MSG_EMAIL);
	/* A word of the address: its domain. */
	ck_assert_int_ge(validate("examples!!", "robert", email, NULL), 1);
	ck_assert_str_eq(msgs[0], MSG_EMAIL);
	ck_assert_int_eq(validate(GOOD, "robert", email, NULL), 0);
	ck_assert_int_eq(validate("smith-bob-1999", "robert", email, NULL), 0);
}
END_TEST

START_TEST(test_password_validate_similar_to_display_name)
{
	const char	*name = "Marguerite Yourcenar";

	ck_assert_int_eq(validate("yourcenar1903", "mary", NULL, name), 1);
	ck_assert_str_eq(msgs[0], MSG_DISPLAY);
	ck_assert_int_eq(validate("MargueriteYourcenar", "mary", NULL, name),
	    1);
	ck_assert_str_eq(msgs[0], MSG_DISPLAY);
	ck_assert_int_eq(validate("MargYourc1903", "mary", NULL, name), 0);
	/* Non-ASCII names are lower-cased and split too. */
	ck_assert_int_eq(validate("\xc3\xa9lodie-2024", "el", NULL,
	    "\xc3\x89LODIE Dupont"), 1);
	ck_assert_str_eq(msgs[0], MSG_DISPLAY);
}
END_TEST

START_TEST(test_password_validate_similarity_threshold_is_0_7)
{
	/* difflib: 2 * 7 / 20 = 0.7 exactly, then 2 * 6 / 20 = 0.6. */
	ck_assert_int_eq(validate("qmwnebrKLP", "qmwnebrvtc", NULL, NULL), 1);
	ck_assert_str_eq(msgs[0], MSG_USERNAME);
	ck_assert_int_eq(validate("qmwnebKLPZ", "qmwnebrvtc", NULL, NULL), 0);
}
END_TEST

/* s = c repeated n times, then NUL. */
static void
repeat(char *s, char c, size_t n)
{
	memset(s, c, n);
	s[n] = '\0';
}

START_TEST(test_password_validate_similarity_follows_difflib_autojunk)
{
	char	 name[256], pw[256];

	/*
	 * Like difflib, for b of 200 elements or more those that occur more
	 * than 1% + 1 times are "popular": they cannot start a match, only
	 * extend one (even an empty one at the start).  Python says:
	 * ratio("z" + "x" * 198, "x" * 199) = 0.995,
	 * ratio("z" + "x" * 199, "x" * 200) = 0.0,
	 * ratio("x" * 200, "x" * 200) = 1.0.  (All are too common too.)
	 */
	repeat(name, 'x', 199);
	pw[0] = 'z';
	repeat(pw + 1, 'x', 198);
	ck_assert_int_eq(validate(pw, NULL, NULL, name), 2);
	ck_assert_str_eq(msgs[0], MSG_DISPLAY);
	repeat(name, 'x', 200);
	pw[0] = 'z';
	repeat(pw + 1, 'x', 199);
	ck_assert_int_eq(validate(pw, NULL, NULL, name), 1);
	ck_assert_str_eq(msgs[0], MSG_COMMON);
	repeat(pw, 'x', 200);
	ck_assert_int_eq(validate(pw, NULL, NULL, name), 2);
	ck_assert_str_eq(msgs[0], MSG_DISPLAY);
}
END_TEST

START_TEST(test_password_validate_cracklib_derivation_is_similarity)
{
	const char	*name = "Marguerite Yourcenar";

	/*
	 * The ratios stay under 0.7 (0.51 with the whole name, 0.69 with
	 * "marguerite"): cracklib's check of the display name finds it.
	 */
	ck_assert_int_eq(validate("yourcenarmarguerite", "mary", NULL, name),
	    1);
	ck_assert_str_eq(msgs[0], MSG_DISPLAY);
	password_test_dict("/nonexistent/cracklib_dict");
	ck_assert_int_eq(validate("yourcenarmarguerite", "mary", NULL, name),
	    0);
}
END_TEST

START_TEST(test_password_validate_reports_several_in_order)
{
	const char	*m[2] = { NULL, NULL };
	const char	*sentinel = "untouched";

	ck_assert_int_eq(validate("123456789", NULL, NULL, NULL), 3);
	ck_assert_str_eq(msgs[0], MSG_SHORT);
	ck_assert_str_eq(msgs[1], MSG_NUMERIC);
	ck_assert_str_eq(msgs[2], MSG_COMMON);
	ck_assert_ptr_null(msgs[3]);

	ck_assert_int_eq(validate("alice1", "alice", NULL, NULL), 2);
	ck_assert_str_eq(msgs[0], MSG_SHORT);
	ck_assert_str_eq(msgs[1], MSG_USERNAME);

	/* Only max are stored, but the count is the whole count. */
	m[1] = sentinel;
	ck_assert_int_eq(password_validate(&fast, "123456789", NULL, NULL,
	    NULL, m, 1), 3);
	ck_assert_str_eq(m[0], MSG_SHORT);
	ck_assert_ptr_eq(m[1], sentinel);
	ck_assert_int_eq(password_validate(&fast, "123456789", NULL, NULL,
	    NULL, NULL, 0), 3);
}
END_TEST

Suite *
password_suite(void)
{
	Suite	*s = suite_create("password");
	TCase	*tc = tcase_create("password");

	/* argon2id under valgrind: seconds, not milliseconds. */
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_password_hash_verifies_only_the_same_password);
	tcase_add_test(tc,
	    test_password_hash_is_argon2id_with_the_policy_limits);
	tcase_add_test(tc,
	    test_password_hash_failure_returns_minus_one_and_unusable_hash);
	tcase_add_test(tc,
	    test_password_verify_refuses_empty_and_malformed_hashes);
	tcase_add_test(tc, test_password_needs_rehash_only_when_limits_change);
	tcase_add_test(tc,
	    test_password_needs_rehash_for_argon2i_and_non_hashes);
	tcase_add_test(tc,
	    test_password_policy_from_config_reads_accounts_section);
	tcase_add_test(tc, test_password_dummy_verify_costs_about_a_verify);
	tcase_add_test(tc,
	    test_password_dummy_verify_follows_the_policy_limits);
	tcase_add_test(tc, test_password_validate_accepts_a_good_passphrase);
	tcase_add_test(tc, test_password_validate_too_short_message_is_exact);
	tcase_add_test(tc, test_password_validate_counts_characters_not_bytes);
	tcase_add_test(tc, test_password_validate_too_long_over_4096_bytes);
	tcase_add_test(tc, test_password_validate_entirely_numeric);
	tcase_add_test(tc, test_password_validate_common_passwords);
	tcase_add_test(tc, test_password_validate_default_dictionary_is_used);
	tcase_add_test(tc,
	    test_password_validate_without_dictionary_keeps_other_checks);
	tcase_add_test(tc, test_password_validate_similar_to_username);
	tcase_add_test(tc, test_password_validate_similar_to_email);
	tcase_add_test(tc, test_password_validate_similar_to_display_name);
	tcase_add_test(tc, test_password_validate_similarity_threshold_is_0_7);
	tcase_add_test(tc,
	    test_password_validate_similarity_follows_difflib_autojunk);
	tcase_add_test(tc,
	    test_password_validate_cracklib_derivation_is_similarity);
	tcase_add_test(tc, test_password_validate_reports_several_in_order);
	suite_add_tcase(s, tc);
	return s;
}
