/*
 * totp: time-based one-time passwords (RFC 6238 over RFC 4226 HOTP) for
 * staff two-factor login, as every authenticator app expects them:
 * HMAC-SHA1, 6 digits, 30-second steps, one step of clock drift either
 * way.  Also the enrolment pieces (secret, otpauth:// URI, QR code as
 * SVG) and single-use recovery codes.  Owns no state and no storage:
 * callers keep the secret, the last used step and the recovery hashes.
 */
#ifndef GAZETTE_TOTP_H
#define GAZETTE_TOTP_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct buf;

#define TOTP_SECRET_LEN	32	/* base32 of 20 random bytes, no padding */
#define TOTP_DIGITS	6
#define TOTP_PERIOD	30	/* seconds per step */

/*
 * A new shared secret: 20 bytes from libsodium's randombytes_buf(),
 * written to out as RFC 4648 base32 (upper case, no padding) and NUL
 * terminated.  Aborts only if libsodium cannot initialise.
 */
void	 totp_secret_new(char out[TOTP_SECRET_LEN + 1]);

/*
 * Decode base32 (RFC 4648 alphabet A-Z 2-7).  Lenient about what people
 * type or paste: lower case, spaces and tabs anywhere, and trailing '='
 * padding are accepted.  Refuses (-1) any other character, '=' followed
 * by data, a length that no byte string encodes to (1, 3 or 6 symbols
 * in the last group), and output longer than outcap.  Returns 0 with the
 * byte count in *outlen.  The empty string decodes to zero bytes.
 */
int	 totp_base32_decode(const char *b32, unsigned char *out,
	    size_t outcap, size_t *outlen);

/*
 * RFC 4226 HOTP: HMAC(key, big-endian counter) with algo "SHA1",
 * "SHA256" or "SHA512" (NULL means "SHA1"), dynamic truncation, modulo
 * 10^digits.  The caller zero-pads to digits.  digits is 1 to 9.
 * Returns UINT32_MAX (never a code) for an unknown algo, digits out of
 * range, or an HMAC failure.
 */
uint32_t totp_hotp(const unsigned char *key, size_t keylen,
	    uint64_t counter, int digits, const char *algo);

/*
 * The 6-digit code, zero padded and NUL terminated in out, of the base32
 * secret at unix_time (seconds; step unix_time / 30).  Returns 0, or -1
 * (out set to "") if the secret does not decode to 16 to 64 bytes (RFC
 * 4226 requires 128 bits at least) or unix_time is negative.
 */
int	 totp_code(const char *secret_b32, int64_t unix_time, char out[7]);

/*
 * Check a code typed by the user against steps t-1, t and t+1, where
 * t = unix_time / 30.  code must be exactly 6 digits once spaces and
 * tabs are removed ("123 456" is fine).  All three steps are always
 * computed and compared with sodium_memcmp().  Returns the latest
 * matching step, or -1 if none matched, if that step is <= last_step
 * (a code is good once: store the returned step and pass it back as
 * last_step; pass -1 if no code was ever used), or if the secret or
 * code is malformed.
 */
int64_t	 totp_verify(const char *secret_b32, const char *code,
	    int64_t unix_time, int64_t last_step);

/*
 * The key URI authenticator apps read from the QR code:
 * otpauth://totp/ISSUER:ACCOUNT?secret=S&issuer=ISSUER&algorithm=SHA1
 * &digits=6&period=30, with issuer, account and secret percent-encoded
 * (everything but RFC 3986 unreserved characters, as %XX in upper case;
 * a space is %20).  An empty issuer drops the "ISSUER:" prefix and the
 * issuer parameter.  Allocated in a; valid until arena_reset(a).
 */
const char *totp_uri(struct arena *a, const char *issuer,
	    const char *account, const char *secret_b32);

/*
 * Append to out a standalone SVG image of text as a QR code (libqrencode,
 * error correction level M, 8-bit mode, case sensitive): a 4-module quiet
 * zone, viewBox "0 0 N N" in modules (N = width + 8), 6 px per module as
 * intrinsic size, a white background and one black <path> in which each
 * horizontal run of dark modules is one rectangle.  The SVG holds no
 * caller text, so there is nothing to escape.  Returns 0, or -1 (out
 * unchanged) if text is empty or too long for a QR code.
 */
int	 totp_qr_svg(const char *text, struct buf *out);

#define TOTP_RECOVERY_N		10
#define TOTP_RECOVERY_LEN	11	/* "xxxxx-xxxxx" */

/*
 * Ten distinct single-use recovery codes, each "xxxxx-xxxxx" and NUL
 * terminated, from the 31 characters a-z and 2-9 less i, l and o (about
 * 49 bits each), drawn with randombytes_uniform().  Show them once;
 * store only totp_recovery_hash() of each.
 */
void	 totp_recovery_codes(char codes[TOTP_RECOVERY_N][12]);

/*
 * SHA-256 (crypto_hash_sha256), as 64 lower-case hex digits and a NUL in
 * out, of code normalised: ASCII upper case folded to lower case, dashes,
 * spaces and tabs removed.  So "ABCDE-fghij" and "abcdefghij" hash the
 * same.  Compare stored hashes with sodium_memcmp().
 */
void	 totp_recovery_hash(const char *code, char out[65]);

#endif
