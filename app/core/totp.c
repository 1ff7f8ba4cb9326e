/*
 * totp: RFC 6238 TOTP over RFC 4226 HOTP, with the enrolment pieces
 * (secret, otpauth:// URI, QR code as SVG) and recovery codes.  HMAC is
 * OpenSSL's one-shot HMAC() (not deprecated in OpenSSL 3, unlike
 * HMAC_CTX); randomness, constant-time comparison and SHA-256 come from
 * libsodium.  Storage of secrets, steps and hashes belongs to the caller.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <qrencode.h>
#include <sodium.h>

#include "arena.h"
#include "buf.h"
#include "totp.h"

#define SECRET_BYTES	20		/* TOTP_SECRET_LEN * 5 / 8 */
#define KEY_MIN		16		/* RFC 4226: at least 128 bits */
#define KEY_MAX		64
#define QR_QUIET	4		/* modules of white around the code */
#define QR_PX		6		/* intrinsic pixels per module */

static const char b32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/* No 0/o, 1/l/i: nothing that reads as something else. */
static const char recovery_alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";

static void
sodium_ready(void)
{
	if (sodium_init() < 0)
		abort();
}

/* RFC 4648 base32 of n bytes into dst, which holds (n * 8 + 4) / 5 + 1. */
static void
b32_encode(const unsigned char *src, size_t n, char *dst)
{
	uint32_t	 acc = 0;
	int		 bits = 0;

	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | src[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			*dst++ = b32_alphabet[(acc >> bits) & 31];
		}
	}
	if (bits > 0)
		*dst++ = b32_alphabet[(acc << (5 - bits)) & 31];
	*dst = '\0';
}

static int
b32_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	if (c >= '2' && c <= '7')
		return c - '2' + 26;
	return -1;
}

void
totp_secret_new(char out[TOTP_SECRET_LEN + 1])
{
	unsigned char	 raw[SECRET_BYTES];

	sodium_ready();
	randombytes_buf(raw, sizeof(raw));
	b32_encode(raw, sizeof(raw), out);
	sodium_memzero(raw, sizeof(raw));
}

int
totp_base32_decode(const char *b32, unsigned char *out, size_t outcap,
    size_t *outlen)
{
	uint32_t	 acc = 0;
	size_t		 n = 0, symbols = 0;
	int		 bits = 0, v;
	bool		 padded = false;

	*outlen = 0;
	for (const char *p = b32; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t')
			continue;
		if (*p == '=') {
			padded = true;
			continue;
		}
		if (padded || (v = b32_value(*p)) < 0)
			return -1;
		symbols++;
		acc = (acc << 5) | (uint32_t)v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			if (n == outcap)
				return -1;
			out[n++] = (unsigned char)(acc >> bits);
		}
	}
	/* A last group of 1, 3 or 6 symbols is no whole number of bytes. */
	switch (symbols % 8) {
	case 1:
	case 3:
	case 6:
		return -1;
	default:
		break;
	}
	*outlen = n;
	return 0;
}

uint32_t
totp_hotp(const unsigned char *key, size_t keylen, uint64_t counter,
    int digits, const char *algo)
{
	static const uint32_t	 pow10[] = { 1, 10, 100, 1000, 10000, 100000,
	    1000000, 10000000, 100000000, 1000000000 };
	const EVP_MD		*md;
	unsigned char		 msg[8], mac[EVP_MAX_MD_SIZE];
	unsigned int		 maclen = 0;
	uint32_t		 bin;
	unsigned		 off;

	if (algo == NULL || strcmp(algo, "SHA1") == 0)
		md = EVP_sha1();
	else if (strcmp(algo, "SHA256") == 0)
		md = EVP_sha256();
	else if (strcmp(algo, "SHA512") == 0)
		md = EVP_sha512();
	else
		return UINT32_MAX;
	if (digits < 1 || digits > 9 || keylen > INT_MAX)
		return UINT32_MAX;
	for (int i = 7; i >= 0; i--) {
		msg[i] = (unsigned char)(counter & 0xff);
		counter >>= 8;
	}
	if (key == NULL)
		key = (const unsigned char *)"";
	if (HMAC(md, key, (int)keylen, msg, sizeof(msg), mac, &maclen) ==
	    NULL || maclen < 20)
		return UINT32_MAX;
	off = mac[maclen - 1] & 0x0f;
	bin = ((uint32_t)(mac[off] & 0x7f) << 24) |
	    ((uint32_t)mac[off + 1] << 16) | ((uint32_t)mac[off + 2] << 8) |
	    (uint32_t)mac[off + 3];
	sodium_memzero(mac, sizeof(mac));
	return bin % pow10[digits];
}

/* The 6-digit code of key at step into out; 0 or -1. */
static int
code_at(const unsigned char *key, size_t keylen, uint64_t step, char out[7])
{
	uint32_t	 v;

	if ((v = totp_hotp(key, keylen, step, TOTP_DIGITS, "SHA1")) ==
	    UINT32_MAX)
		return -1;
	for (int i = TOTP_DIGITS - 1; i >= 0; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
	out[TOTP_DIGITS] = '\0';
	return 0;
}

/* Decode a stored secret that must hold KEY_MIN to KEY_MAX bytes. */
static int
secret_key(const char *secret_b32, unsigned char key[KEY_MAX], size_t *keylen)
{
	if (secret_b32 == NULL ||
	    totp_base32_decode(secret_b32, key, KEY_MAX, keylen) != 0 ||
	    *keylen < KEY_MIN) {
		sodium_memzero(key, KEY_MAX);
		return -1;
	}
	return 0;
}

int
totp_code(const char *secret_b32, int64_t unix_time, char out[7])
{
	unsigned char	 key[KEY_MAX];
	size_t		 keylen;
	int		 rc;

	out[0] = '\0';
	if (unix_time < 0 || secret_key(secret_b32, key, &keylen) != 0)
		return -1;
	rc = code_at(key, keylen, (uint64_t)(unix_time / TOTP_PERIOD), out);
	sodium_memzero(key, sizeof(key));
	if (rc != 0)
		out[0] = '\0';
	return rc;
}

int64_t
totp_verify(const char *secret_b32, const char *code, int64_t unix_time,
    int64_t last_step)
{
	unsigned char	 key[KEY_MAX];
	char		 given[TOTP_DIGITS + 1], want[TOTP_DIGITS + 1];
	size_t		 keylen, n = 0;
	int64_t		 t, found = -1;

	if (code == NULL || unix_time < 0)
		return -1;
	for (const char *p = code; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t')
			continue;
		if (*p < '0' || *p > '9' || n == TOTP_DIGITS)
			return -1;
		given[n++] = *p;
	}
	if (n != TOTP_DIGITS)
		return -1;
	given[n] = '\0';
	if (secret_key(secret_b32, key, &keylen) != 0)
		return -1;

	/* Every step is computed and compared: no early exit on a match. */
	t = unix_time / TOTP_PERIOD;
	for (int64_t s = t - 1; s <= t + 1; s++) {
		if (s < 0)
			continue;
		if (code_at(key, keylen, (uint64_t)s, want) != 0) {
			found = -1;
			break;
		}
		if (sodium_memcmp(given, want, TOTP_DIGITS) == 0)
			found = s;
	}
	sodium_memzero(key, sizeof(key));
	sodium_memzero(want, sizeof(want));
	if (found < 0 || found <= last_step)
		return -1;
	return found;
}

/* s percent-encoded, RFC 3986 unreserved characters kept, in a. */
static char *
pct_encode(struct arena *a, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	size_t			 len = strlen(s);
	char			*out, *q;

	q = out = arena_alloc(a, len * 3 + 1);
	for (; *s != '\0'; s++) {
		unsigned char	 c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			*q++ = (char)c;
		else {
			*q++ = '%';
			*q++ = hex[c >> 4];
			*q++ = hex[c & 15];
		}
	}
	*q = '\0';
	return out;
}

const char *
totp_uri(struct arena *a, const char *issuer, const char *account,
    const char *secret_b32)
{
	const char	*acct = pct_encode(a, account);
	const char	*sec = pct_encode(a, secret_b32);
	const char	*iss;

	if (issuer == NULL || *issuer == '\0')
		return arena_printf(a, "otpauth://totp/%s?secret=%s"
		    "&algorithm=SHA1&digits=%d&period=%d", acct, sec,
		    TOTP_DIGITS, TOTP_PERIOD);
	iss = pct_encode(a, issuer);
	return arena_printf(a, "otpauth://totp/%s:%s?secret=%s&issuer=%s"
	    "&algorithm=SHA1&digits=%d&period=%d", iss, acct, sec, iss,
	    TOTP_DIGITS, TOTP_PERIOD);
}

int
totp_qr_svg(const char *text, struct buf *out)
{
	QRcode	*qr;
	int	 w, n;

	if (text == NULL || *text == '\0' ||
	    (qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1)) ==
	    NULL)
		return -1;
	w = qr->width;
	n = w + 2 * QR_QUIET;
	buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
	    "shape-rendering=\"crispEdges\" role=\"img\">"
	    "<title>QR code</title>"
	    "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
	    "<path fill=\"#000\" d=\"", n, n, n * QR_PX, n * QR_PX, n, n);
	for (int y = 0; y < w; y++) {
		const unsigned char	*row = qr->data + (size_t)y * (size_t)w;

		for (int x = 0; x < w; ) {
			int	 run;

			if ((row[x] & 1) == 0) {
				x++;
				continue;
			}
			for (run = 1; x + run < w && (row[x + run] & 1); run++)
				;
			buf_printf(out, "M%d %dh%dv1h-%dz", x + QR_QUIET,
			    y + QR_QUIET, run, run);
			x += run;
		}
	}
	buf_puts(out, "\"/></svg>\n");
	QRcode_free(qr);
	return 0;
}

void
totp_recovery_codes(char codes[TOTP_RECOVERY_N][12])
{
	const uint32_t	 k = (uint32_t)(sizeof(recovery_alphabet) - 1);

	sodium_ready();
	for (int i = 0; i < TOTP_RECOVERY_N; i++) {
		bool	 dup;

		do {
			for (int j = 0; j < TOTP_RECOVERY_LEN; j++)
				codes[i][j] = j == 5 ? '-' :
				    recovery_alphabet[randombytes_uniform(k)];
			codes[i][TOTP_RECOVERY_LEN] = '\0';
			dup = false;
			for (int j = 0; j < i && !dup; j++)
				dup = strcmp(codes[i], codes[j]) == 0;
		} while (dup);
	}
}

void
totp_recovery_hash(const char *code, char out[65])
{
	crypto_hash_sha256_state	 st;
	unsigned char			 h[crypto_hash_sha256_BYTES];
	unsigned char			 chunk[64];
	size_t				 n = 0;

	crypto_hash_sha256_init(&st);
	for (const char *p = code; *p != '\0'; p++) {
		char	 c = *p;

		if (c == '-' || c == ' ' || c == '\t')
			continue;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		chunk[n++] = (unsigned char)c;
		if (n == sizeof(chunk)) {
			crypto_hash_sha256_update(&st, chunk, n);
			n = 0;
		}
	}
	crypto_hash_sha256_update(&st, chunk, n);
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(out, 65, h, sizeof(h));
	sodium_memzero(chunk, sizeof(chunk));
}
