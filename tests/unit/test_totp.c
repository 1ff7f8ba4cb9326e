/*
 * test_totp: app/core/totp.c against the RFC 4226 and RFC 6238 test
 * vectors, RFC 4648 base32 vectors, and the QR SVG rasterised back to
 * modules and compared with libqrencode's own matrix.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>
#include <sodium.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/totp.h"
#include "fixture.h"

Suite	*totp_suite(void);

/* RFC 4226 Appendix D and RFC 6238 Appendix B seeds. */
#define SEED20	"12345678901234567890"
#define SEED32	SEED20 "123456789012"
#define SEED64	SEED20 SEED20 SEED20 "1234"
/* base32 of SEED20 */
#define SECRET	"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
/* 1111111111 is step 37037037; codes of SEED20 around it. */
#define T0	1111111111
#define STEP0	37037037
#define C_M2	"731029"	/* t-2 */
#define C_M1	"081804"	/* t-1 */
#define C_0	"050471"	/* t */
#define C_P1	"266759"	/* t+1 */
#define C_P2	"306183"	/* t+2 */

static const char recovery_alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";

START_TEST(test_totp_hotp_rfc4226_vectors)
{
	static const uint32_t	 want[] = { 755224, 287082, 359152, 969429,
	    338314, 254676, 287922, 162583, 399871, 520489 };

	for (uint64_t c = 0; c < NELEM(want); c++)
		ck_assert_uint_eq(totp_hotp((const unsigned char *)SEED20, 20,
		    c, 6, "SHA1"), want[c]);
	ck_assert_uint_eq(totp_hotp((const unsigned char *)SEED20, 20, 0, 6,
	    NULL), 755224);
}
END_TEST

START_TEST(test_totp_hotp_rfc6238_vectors)
{
	static const struct {
		uint64_t	 t;
		uint32_t	 sha1, sha256, sha512;
	} v[] = {
		{ 59ULL,		94287082, 46119246, 90693936 },
		{ 1111111109ULL,	 7081804, 68084774, 25091201 },
		{ 1111111111ULL,	14050471, 67062674, 99943326 },
		{ 1234567890ULL,	89005924, 91819424, 93441116 },
		{ 2000000000ULL,	69279037, 90698825, 38618901 },
		{ 20000000000ULL,	65353130, 77737706, 47863826 },
	};

	for (size_t i = 0; i < NELEM(v); i++) {
		uint64_t	 c = v[i].t / 30;

		ck_assert_uint_eq(totp_hotp((const unsigned char *)SEED20, 20,
		    c, 8, "SHA1"), v[i].sha1);
		ck_assert_uint_eq(totp_hotp((const unsigned char *)SEED32, 32,
		    c, 8, "SHA256"), v[i].sha256);
		ck_assert_uint_eq(totp_hotp((const unsigned char *)SEED64, 64,
		    c, 8, "SHA512"), v[i].sha512);
	}
}
END_TEST

START_TEST(test_totp_hotp_refuses_bad_algo_and_digits)
{
	const unsigned char	*k = (const unsigned char *)SEED20;

	ck_assert_uint_eq(totp_hotp(k, 20, 1, 6, "MD5"), UINT32_MAX);
	ck_assert_uint_eq(totp_hotp(k, 20, 1, 6, "sha1x"), UINT32_MAX);
	ck_assert_uint_eq(totp_hotp(k, 20, 1, 0, "SHA1"), UINT32_MAX);
	ck_assert_uint_eq(totp_hotp(k, 20, 1, 10, "SHA1"), UINT32_MAX);
	/* The edges of the range: 9 digits and 1 digit. */
	ck_assert_uint_eq(totp_hotp(k, 20, 0, 9, "SHA1"), 284755224);
	ck_assert_uint_eq(totp_hotp(k, 20, 1, 9, "SHA1"), 94287082);
	ck_assert_uint_eq(totp_hotp(k, 20, 0, 1, "SHA1"), 4);
}
END_TEST

START_TEST(test_totp_code_is_zero_padded_six_digits)
{
	char	 out[7];

	ck_assert_int_eq(totp_code(SECRET, 59, out), 0);
	ck_assert_str_eq(out, "287082");
	ck_assert_int_eq(totp_code(SECRET, 1111111109, out), 0);
	ck_assert_str_eq(out, "081804");
	/* Lower case and spaces, as a user might paste the secret. */
	ck_assert_int_eq(totp_code("gezd gnbv gy3t qojq gezd gnbv gy3t qojq",
	    T0, out), 0);
	ck_assert_str_eq(out, C_0);
}
END_TEST

START_TEST(test_totp_code_refuses_bad_secret_and_time)
{
	char	 out[7];

	memcpy(out, "999999", 7);
	ck_assert_int_eq(totp_code("GEZDGNBV!Y3TQOJQ", T0, out), -1);
	ck_assert_str_eq(out, "");
	/* 10 bytes: below RFC 4226's 128 bits. */
	ck_assert_int_eq(totp_code("GEZDGNBVGY3TQOJQ", T0, out), -1);
	ck_assert_int_eq(totp_code("", T0, out), -1);
	ck_assert_int_eq(totp_code(SECRET, -1, out), -1);
	ck_assert_int_eq(totp_code(SECRET, 0, out), 0);
	ck_assert_str_eq(out, "755224");
}
END_TEST

START_TEST(test_totp_base32_decodes_rfc4648_vectors)
{
	static const struct {
		const char	*b32, *raw;
	} v[] = {
		{ "", "" },
		{ "MY", "f" }, { "MY======", "f" },
		{ "MZXQ", "fo" }, { "MZXQ====", "fo" },
		{ "MZXW6", "foo" }, { "MZXW6===", "foo" },
		{ "MZXW6YQ", "foob" }, { "MZXW6YQ=", "foob" },
		{ "MZXW6YTB", "fooba" },
		{ "MZXW6YTBOI", "foobar" }, { "MZXW6YTBOI======", "foobar" },
		{ "mzxw 6ytb\toi", "foobar" },
	};
	unsigned char	 out[16];
	size_t		 n;

	for (size_t i = 0; i < NELEM(v); i++) {
		n = 99;
		ck_assert_msg(totp_base32_decode(v[i].b32, out, sizeof(out),
		    &n) == 0, "%s", v[i].b32);
		ck_assert_uint_eq(n, strlen(v[i].raw));
		ck_assert_int_eq(memcmp(out, v[i].raw, n), 0);
	}
}
END_TEST

START_TEST(test_totp_base32_rejects_invalid)
{
	static const char *const bad[] = {
		"MZXW1",	/* 1 is not base32 */
		"MZXW0",
		"MZXW8",
		"MZXW6YTBO!",
		"MZ=XW6",	/* data after padding */
		"M",		/* 1, 3, 6 symbols: no whole bytes */
		"MZX",
		"MZXW6Y",
		"MZXW6YTBO",
		"MZXW-6YTB",
	};
	unsigned char	 out[16];
	size_t		 n;

	for (size_t i = 0; i < NELEM(bad); i++)
		ck_assert_msg(totp_base32_decode(bad[i], out, sizeof(out),
		    &n) == -1, "%s", bad[i]);
	/* Output larger than the buffer. */
	ck_assert_int_eq(totp_base32_decode("MZXW6YTBOI", out, 5, &n), -1);
	ck_assert_int_eq(totp_base32_decode("MZXW6YTBOI", out, 6, &n), 0);
	ck_assert_uint_eq(n, 6);
}
END_TEST

START_TEST(test_totp_secret_new_round_trips)
{
	char		 s1[TOTP_SECRET_LEN + 1], s2[TOTP_SECRET_LEN + 1];
	char		 code[7], want[7];
	unsigned char	 key[32];
	size_t		 n;
	uint32_t	 v;

	memset(s1, 'x', sizeof(s1));
	totp_secret_new(s1);
	totp_secret_new(s2);
	ck_assert_uint_eq(strlen(s1), TOTP_SECRET_LEN);
	ck_assert_uint_eq(strspn(s1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
	    TOTP_SECRET_LEN);
	ck_assert_str_ne(s1, s2);
	ck_assert_int_eq(totp_base32_decode(s1, key, sizeof(key), &n), 0);
	ck_assert_uint_eq(n, 20);
	/* The code from the base32 form is the HOTP of the decoded bytes. */
	ck_assert_int_eq(totp_code(s1, T0, code), 0);
	v = totp_hotp(key, n, STEP0, 6, "SHA1");
	snprintf(want, sizeof(want), "%06u", (unsigned)v);
	ck_assert_str_eq(code, want);
}
END_TEST

START_TEST(test_totp_verify_accepts_current_and_adjacent_steps)
{
	ck_assert_int_eq(totp_verify(SECRET, C_0, T0, -1), STEP0);
	ck_assert_int_eq(totp_verify(SECRET, C_M1, T0, -1), STEP0 - 1);
	ck_assert_int_eq(totp_verify(SECRET, C_P1, T0, -1), STEP0 + 1);
	/* Same code, any second of the step. */
	ck_assert_int_eq(totp_verify(SECRET, C_0, STEP0 * 30LL, -1), STEP0);
	ck_assert_int_eq(totp_verify(SECRET, C_0, STEP0 * 30LL + 29, -1),
	    STEP0);
}
END_TEST

START_TEST(test_totp_verify_rejects_two_steps_away)
{
	ck_assert_int_eq(totp_verify(SECRET, C_M2, T0, -1), -1);
	ck_assert_int_eq(totp_verify(SECRET, C_P2, T0, -1), -1);
	ck_assert_int_eq(totp_verify(SECRET, "000000", T0, -1), -1);
}
END_TEST

START_TEST(test_totp_verify_rejects_reuse)
{
	int64_t	 step;

	step = totp_verify(SECRET, C_0, T0, -1);
	ck_assert_int_eq(step, STEP0);
	ck_assert_int_eq(totp_verify(SECRET, C_0, T0, step), -1);
	ck_assert_int_eq(totp_verify(SECRET, C_0, T0 + 30, step), -1);
	/* An earlier code after a later one was used. */
	ck_assert_int_eq(totp_verify(SECRET, C_M1, T0, step), -1);
	/* The next step's code is still good. */
	ck_assert_int_eq(totp_verify(SECRET, C_P1, T0, step), STEP0 + 1);
}
END_TEST

START_TEST(test_totp_verify_wants_exactly_six_digits)
{
	ck_assert_int_eq(totp_verify(SECRET, "50471", T0, -1), -1);
	ck_assert_int_eq(totp_verify(SECRET, "0050471", T0, -1), -1);
	ck_assert_int_eq(totp_verify(SECRET, "050471 1", T0, -1), -1);
	ck_assert_int_eq(totp_verify(SECRET, "05047a", T0, -1), -1);
	ck_assert_int_eq(totp_verify(SECRET, "05047-1", T0, -1), -1);
	ck_assert_int_eq(totp_verify(SECRET, "+50471", T0, -1), -1);
	ck_assert_int_eq(totp_verify(SECRET, "05047105047105047105", T0, -1),
	    -1);
	ck_assert_int_eq(totp_verify(SECRET, "", T0, -1), -1);
	ck_assert_int_eq(totp_verify(SECRET, NULL, T0, -1), -1);
}
END_TEST

START_TEST(test_totp_verify_strips_spaces)
{
	ck_assert_int_eq(totp_verify(SECRET, "050 471", T0, -1), STEP0);
	ck_assert_int_eq(totp_verify(SECRET, " 05 04 71 ", T0, -1), STEP0);
	ck_assert_int_eq(totp_verify(SECRET, "050\t471", T0, -1), STEP0);
}
END_TEST

START_TEST(test_totp_verify_rejects_bad_secret)
{
	ck_assert_int_eq(totp_verify("GEZDGNBVGY3TQOJQ", C_0, T0, -1), -1);
	ck_assert_int_eq(totp_verify("GEZDGNBVGY3TQOJ1GEZDGNBVGY3TQOJQ", C_0,
	    T0, -1), -1);
	ck_assert_int_eq(totp_verify(NULL, C_0, T0, -1), -1);
}
END_TEST

START_TEST(test_totp_verify_at_epoch_has_no_negative_step)
{
	/* Step 0's code at time 0; step -1 does not exist. */
	ck_assert_int_eq(totp_verify(SECRET, "755224", 0, -1), 0);
	ck_assert_int_eq(totp_verify(SECRET, "287082", 0, -1), 1);
	ck_assert_int_eq(totp_verify(SECRET, "755224", -30, -1), -1);
	/* The code of counter 2^64-1, which "step -1" would wrap to. */
	ck_assert_uint_eq(totp_hotp((const unsigned char *)SEED20, 20,
	    UINT64_MAX, 6, "SHA1"), 94451);
	ck_assert_int_eq(totp_verify(SECRET, "094451", 0, -1), -1);
	ck_assert_int_eq(totp_verify(SECRET, "094451", 29, -1), -1);
}
END_TEST

START_TEST(test_totp_uri_exact)
{
	struct arena	 a;

	arena_init(&a, 1024);
	ck_assert_str_eq(totp_uri(&a, "Gazette News", "jane.doe+2fa@example.com",
	    "JBSWY3DPEHPK3PXP"),
	    "otpauth://totp/Gazette%20News:jane.doe%2B2fa%40example.com"
	    "?secret=JBSWY3DPEHPK3PXP&issuer=Gazette%20News"
	    "&algorithm=SHA1&digits=6&period=30");
	ck_assert_str_eq(totp_uri(&a, "A:B&C", "x/y?z#~_-.", "AB"),
	    "otpauth://totp/A%3AB%26C:x%2Fy%3Fz%23~_-."
	    "?secret=AB&issuer=A%3AB%26C&algorithm=SHA1&digits=6&period=30");
	ck_assert_str_eq(totp_uri(&a, "Caf\xc3\xa9", "u", "AB"),
	    "otpauth://totp/Caf%C3%A9:u?secret=AB&issuer=Caf%C3%A9"
	    "&algorithm=SHA1&digits=6&period=30");
	ck_assert_str_eq(totp_uri(&a, "", "u", "AB"),
	    "otpauth://totp/u?secret=AB&algorithm=SHA1&digits=6&period=30");
	arena_free(&a);
}
END_TEST

/*
 * Rasterise the path of svg (only "Mx yhNv1h-Nz" rectangles) into a
 * size x size grid; fails the test on anything else.
 */
static void
qr_raster(const char *svg, unsigned char *grid, int size)
{
	const char	*p = strstr(svg, " d=\"");
	int		 x, y, w, w2, used;

	ck_assert_ptr_nonnull(p);
	p += 4;
	memset(grid, 0, (size_t)size * (size_t)size);
	while (*p != '"') {
		ck_assert_int_eq(sscanf(p, "M%d %dh%dv1h-%dz%n", &x, &y, &w,
		    &w2, &used), 4);
		ck_assert_int_eq(w, w2);
		ck_assert_int_ge(w, 1);
		ck_assert(x >= 0 && y >= 0 && x + w <= size && y < size);
		for (int i = 0; i < w; i++) {
			/* Runs never overlap and are merged. */
			ck_assert_int_eq(grid[y * size + x + i], 0);
			grid[y * size + x + i] = 1;
		}
		p += used;
	}
}

START_TEST(test_totp_qr_svg_version1_size_and_quiet_zone)
{
	struct buf	 b;
	unsigned char	 grid[29 * 29];
	QRcode		*qr;

	buf_init(&b);
	ck_assert_int_eq(totp_qr_svg("hello", &b), 0);
	ck_assert_int_eq(strncmp(b.ptr, "<svg ", 5), 0);
	ck_assert(fixture_has(b.ptr, "xmlns=\"http://www.w3.org/2000/svg\""));
	ck_assert(fixture_has(b.ptr, "viewBox=\"0 0 29 29\""));
	ck_assert(fixture_has(b.ptr, "shape-rendering=\"crispEdges\""));
	ck_assert(fixture_has(b.ptr, "<title>QR code</title>"));
	ck_assert(fixture_has(b.ptr, "fill=\"#fff\""));
	/* One path. */
	ck_assert_ptr_nonnull(strstr(b.ptr, "<path fill=\"#000\" d=\""));
	ck_assert_ptr_null(strstr(strstr(b.ptr, "<path") + 1, "<path"));
	ck_assert(fixture_has(b.ptr, "</svg>"));

	/* The top-left finder pattern's first row starts at the quiet zone. */
	ck_assert(fixture_has(b.ptr, "d=\"M4 4h7v1h-7z"));

	/* Module for module, the path is libqrencode's matrix, shifted by 4. */
	qr_raster(b.ptr, grid, 29);
	qr = QRcode_encodeString("hello", 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	ck_assert_ptr_nonnull(qr);
	ck_assert_int_eq(qr->version, 1);
	ck_assert_int_eq(qr->width, 21);
	for (int y = 0; y < 29; y++)
		for (int x = 0; x < 29; x++) {
			int	 dark = 0;

			if (x >= 4 && x < 25 && y >= 4 && y < 25)
				dark = qr->data[(y - 4) * 21 + (x - 4)] & 1;
			ck_assert_msg(grid[y * 29 + x] == dark, "(%d,%d)", x, y);
		}
	QRcode_free(qr);
	buf_free(&b);
}
END_TEST

START_TEST(test_totp_qr_svg_encodes_otpauth_uri)
{
	struct buf	 b;
	struct arena	 a;
	const char	*uri;
	unsigned char	*grid;
	QRcode		*qr;
	int		 n;
	char		 vb[64];

	arena_init(&a, 1024);
	buf_init(&b);
	buf_puts(&b, "kept");
	uri = totp_uri(&a, "Gazette", "editor@example.com", SECRET);
	ck_assert_int_eq(totp_qr_svg(uri, &b), 0);
	ck_assert_int_eq(strncmp(b.ptr, "kept<svg ", 9), 0);
	qr = QRcode_encodeString(uri, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	ck_assert_ptr_nonnull(qr);
	n = qr->width + 8;
	snprintf(vb, sizeof(vb), "viewBox=\"0 0 %d %d\"", n, n);
	ck_assert(fixture_has(b.ptr, vb));
	grid = malloc((size_t)n * (size_t)n);
	ck_assert_ptr_nonnull(grid);
	qr_raster(b.ptr + 4, grid, n);
	for (int y = 0; y < n; y++)
		for (int x = 0; x < n; x++) {
			int	 dark = 0;

			if (x >= 4 && x < n - 4 && y >= 4 && y < n - 4)
				dark = qr->data[(y - 4) * qr->width +
				    (x - 4)] & 1;
			ck_assert_msg(grid[y * n + x] == dark, "(%d,%d)", x, y);
		}
	free(grid);
	QRcode_free(qr);
	buf_free(&b);
	arena_free(&a);
}
END_TEST

START_TEST(test_totp_qr_svg_refuses_empty_and_oversized)
{
	struct buf	 b;
	char		*big;

	buf_init(&b);
	ck_assert_int_eq(totp_qr_svg("", &b), -1);
	ck_assert_uint_eq(b.len, 0);
	big = malloc(8000);
	ck_assert_ptr_nonnull(big);
	memset(big, 'x', 7999);
	big[7999] = '\0';
	ck_assert_int_eq(totp_qr_svg(big, &b), -1);
	ck_assert_uint_eq(b.len, 0);
	free(big);
	buf_free(&b);
}
END_TEST

START_TEST(test_totp_recovery_codes_format_and_distinct)
{
	char	 c[TOTP_RECOVERY_N][12];

	memset(c, 'X', sizeof(c));
	totp_recovery_codes(c);
	for (int i = 0; i < 10; i++) {
		ck_assert_uint_eq(strlen(c[i]), 11);
		ck_assert_int_eq(c[i][5], '-');
		ck_assert_uint_eq(strspn(c[i], recovery_alphabet), 5);
		ck_assert_uint_eq(strspn(c[i] + 6, recovery_alphabet), 5);
		for (int j = 0; j < i; j++)
			ck_assert_str_ne(c[i], c[j]);
	}
}
END_TEST

START_TEST(test_totp_recovery_codes_use_whole_alphabet)
{
	char	 c[TOTP_RECOVERY_N][12];
	int	 seen[256] = { 0 };

	/* 2000 draws from 31 symbols: every one shows up. */
	for (int k = 0; k < 20; k++) {
		totp_recovery_codes(c);
		for (int i = 0; i < 10; i++)
			for (int j = 0; j < 11; j++)
				seen[(unsigned char)c[i][j]]++;
	}
	for (const char *p = recovery_alphabet; *p != '\0'; p++)
		ck_assert_msg(seen[(unsigned char)*p] > 0, "%c", *p);
	for (const char *p = "01ilo"; *p != '\0'; p++)
		ck_assert_int_eq(seen[(unsigned char)*p], 0);
}
END_TEST

START_TEST(test_totp_recovery_hash_normalises)
{
	char	 h1[65], h2[65], h3[65];

	totp_recovery_hash("abcdefghij", h1);
	/* printf abcdefghij | sha256sum */
	ck_assert_str_eq(h1, "72399361da6a7754fec986dca5b7cbaf"
	    "1c810a28ded4abaf56b2106d06cb78b0");
	totp_recovery_hash("ABCDE-fghij", h2);
	ck_assert_str_eq(h1, h2);
	totp_recovery_hash(" abcde fghij\t", h2);
	ck_assert_str_eq(h1, h2);
	totp_recovery_hash("abcdefghik", h3);
	ck_assert_str_ne(h1, h3);
	totp_recovery_hash("abcde_fghij", h3);
	ck_assert_str_ne(h1, h3);
}
END_TEST

START_TEST(test_totp_recovery_hash_long_input)
{
	char		 s[201], h[65], want[65];
	unsigned char	 d[crypto_hash_sha256_BYTES];

	/* Past the 64-byte staging chunk: every byte counts, in order. */
	memset(s, 'a', 199);
	s[199] = '\0';
	crypto_hash_sha256(d, (const unsigned char *)s, 199);
	sodium_bin2hex(want, sizeof(want), d, sizeof(d));
	totp_recovery_hash(s, h);
	ck_assert_str_eq(h, want);
	s[198] = 'b';
	totp_recovery_hash(s, h);
	ck_assert_str_ne(h, want);
	/* A dash in the middle of a long input is dropped. */
	memset(s, 'a', 200);
	s[100] = '-';
	s[200] = '\0';
	totp_recovery_hash(s, h);
	ck_assert_str_eq(h, want);
}
END_TEST

Suite *
totp_suite(void)
{
	Suite	*s = suite_create("totp");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_totp_hotp_rfc4226_vectors);
	tcase_add_test(tc, test_totp_hotp_rfc6238_vectors);
	tcase_add_test(tc, test_totp_hotp_refuses_bad_algo_and_digits);
	tcase_add_test(tc, test_totp_code_is_zero_padded_six_digits);
	tcase_add_test(tc, test_totp_code_refuses_bad_secret_and_time);
	tcase_add_test(tc, test_totp_base32_decodes_rfc4648_vectors);
	tcase_add_test(tc, test_totp_base32_rejects_invalid);
	tcase_add_test(tc, test_totp_secret_new_round_trips);
	tcase_add_test(tc, test_totp_verify_accepts_current_and_adjacent_steps);
	tcase_add_test(tc, test_totp_verify_rejects_two_steps_away);
	tcase_add_test(tc, test_totp_verify_rejects_reuse);
	tcase_add_test(tc, test_totp_verify_wants_exactly_six_digits);
	tcase_add_test(tc, test_totp_verify_strips_spaces);
	tcase_add_test(tc, test_totp_verify_rejects_bad_secret);
	tcase_add_test(tc, test_totp_verify_at_epoch_has_no_negative_step);
	tcase_add_test(tc, test_totp_uri_exact);
	tcase_add_test(tc, test_totp_qr_svg_version1_size_and_quiet_zone);
	tcase_add_test(tc, test_totp_qr_svg_encodes_otpauth_uri);
	tcase_add_test(tc, test_totp_qr_svg_refuses_empty_and_oversized);
	tcase_add_test(tc, test_totp_recovery_codes_format_and_distinct);
	tcase_add_test(tc, test_totp_recovery_codes_use_whole_alphabet);
	tcase_add_test(tc, test_totp_recovery_hash_normalises);
	tcase_add_test(tc, test_totp_recovery_hash_long_input);
	suite_add_tcase(s, tc);
	return s;
}
