/*
 * test_mail: app/core/mail.c.  Messages are taken apart here with small
 * decoders of our own (header unfolding, quoted-printable, RFC 2047), so
 * a round trip checks the encoders against the RFCs rather than against
 * themselves.  Outbox tests write into a temp dir.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/mail.h"
#include "core/util.h"
#include "fixture.h"

Suite	*mail_suite(void);

#define T0	INT64_C(1700000000)	/* Tue, 14 Nov 2023 22:13:20 UTC */

static struct buf	 out;
static char		 err[512];
static char		*tmp;

static void
setup(void)
{
	buf_init(&out);
	err[0] = '\0';
	tmp = fixture_tmpdir();
}

static void
teardown(void)
{
	buf_free(&out);
	fixture_rmtree(tmp);
	tmp = NULL;
}

/* A valid message, for each test to vary. */
static struct mail
sample(void)
{
	struct mail	 m = {
		.from = "Gazette <gazette@example.com>",
		.to = "reader@example.org",
		.subject = "Hello",
		.text = "Hi.\n",
	};

	return m;
}

static void
build_ok(const struct mail *m)
{
	ck_assert_msg(mail_build(m, T0, &out, err, sizeof(err)) == 0, "%s",
	    err);
	ck_assert_ptr_nonnull(out.ptr);
	ck_assert_uint_eq(strlen(out.ptr), out.len);
}

/* mail_build must refuse m, name field in err and leave out empty. */
static void
build_refused(const struct mail *m, const char *field, const char *what)
{
	char	 prefix[64];

	err[0] = '\0';
	buf_puts(&out, "stale");

	snprintf(prefix, sizeof(prefix), "mail: %s ", field);
	ck_assert_int_eq(mail_build(m, T0, &out, err, sizeof(err)), -1);
	ck_assert_msg(fixture_has(err, prefix), "[%s] lacks %s", err, prefix);
	if (what != NULL)
		ck_assert_msg(fixture_has(err, what), "[%s] lacks %s", err, what);
	ck_assert_uint_eq(out.len, 0);
}

/* The body: what follows the first empty line. */
static const char *
body_of(const char *msg)
{
	const char	*p = strstr(msg, "\r\n\r\n");

	ck_assert_ptr_nonnull(p);
	return p + 4;
}

/*
 * The unfolded value (CRLF before a space or tab removed, leading space
 * dropped) of header name in dst; returns how many such headers there
 * are, and fills dst from the first.
 */
static int
header(const char *msg, const char *name, char *dst, size_t n)
{
	const char	*end = strstr(msg, "\r\n\r\n"), *p, *eol;
	size_t		 nlen = strlen(name), k;
	int		 count = 0;

	ck_assert_ptr_nonnull(end);
	dst[0] = '\0';
	for (p = msg; p < end + 2; p = eol + 2) {
		eol = strstr(p, "\r\n");
		if (strncasecmp(p, name, nlen) != 0 || p[nlen] != ':')
			continue;
		if (count++ > 0)
			continue;
		p += nlen + 1;
		if (*p == ' ')
			p++;
		k = 0;
		for (;;) {
			for (; p < eol && k + 1 < n; p++)
				dst[k++] = *p;
			if (eol[2] != ' ' && eol[2] != '\t')
				break;
			p = eol + 2;
			eol = strstr(p, "\r\n");
		}
		dst[k] = '\0';
	}
	return count;
}

/*
 * Every line of msg ends in CRLF, with no CR or LF alone; header lines
 * are at most hdrmax long, body lines at most bodymax.
 */
static void
check_lines(const char *msg, size_t hdrmax, size_t bodymax)
{
	const char	*body = body_of(msg), *p, *eol;
	size_t		 max;

	for (p = msg; *p != '\0'; p++) {
		if (*p == '\n')
			ck_assert_msg(p > msg && p[-1] == '\r', "bare LF at %td",
			    p - msg);
		if (*p == '\r')
			ck_assert_msg(p[1] == '\n', "bare CR at %td", p - msg);
	}
	ck_assert_msg(strlen(msg) >= 2 && strcmp(msg + strlen(msg) - 2,
	    "\r\n") == 0, "message does not end in CRLF");
	for (p = msg; *p != '\0'; p = eol + 2) {
		eol = strstr(p, "\r\n");
		ck_assert_ptr_nonnull(eol);
		max = p < body ? hdrmax : bodymax;
		ck_assert_msg((size_t)(eol - p) <= max, "line of %td > %zu: "
		    "%.40s...", eol - p, max, p);
		ck_assert_msg((size_t)(eol - p) <= 998, "line over 998");
	}
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decode quoted-printable [s, s+n) into b, strictly: -1 on a line over
 * 76 characters, a space or tab ending a line, a bad escape, lowercase
 * hex, a byte that must be encoded, or a CR or LF outside CRLF.
 */
static int
qp_decode(const char *s, size_t n, struct buf *b)
{
	const char	*p = s, *end = s + n, *eol, *stop;
	bool		 soft;

	while (p < end) {
		if ((eol = memmem(p, (size_t)(end - p), "\r\n", 2)) == NULL)
			eol = end;
		if (eol - p > 76 || (eol > p && (eol[-1] == ' ' ||
		    eol[-1] == '\t')))
			return -1;
		soft = eol > p && eol[-1] == '=';
		stop = soft ? eol - 1 : eol;
		for (; p < stop; p++) {
			unsigned char	 c = (unsigned char)*p;

			if (c == '=') {
				if (stop - p < 3 || hexval(p[1]) < 0 ||
				    hexval(p[2]) < 0)
					return -1;
				buf_putc(b, (char)(hexval(p[1]) * 16 +
				    hexval(p[2])));
				p += 2;
			} else if ((c >= 33 && c <= 126) || c == ' ' ||
			    c == '\t')
				buf_putc(b, (char)c);
			else
				return -1;
		}
		if (eol < end && !soft)
			buf_puts(b, "\r\n");
		p = eol + 2;
	}
	return 0;
}

/*
 * Decode an unstructured header value with RFC 2047 encoded-words (B or
 * Q, UTF-8) into b; space between two encoded-words is dropped.  Returns
 * the number of encoded-words, or -1 if one is malformed, longer than 75
 * characters, or not whole UTF-8 characters by itself.
 */
static int
words_decode(const char *v, struct buf *b)
{
	const char	*p = v, *q, *text, *wend;
	size_t		 pend = 0, blen;
	bool		 after_word = false;
	int		 words = 0;
	unsigned char	 bin[128];

	while (*p != '\0') {
		if (strncmp(p, "=?", 2) != 0) {
			if ((*p == ' ' || *p == '\t') && after_word) {
				pend++;		/* held until we know */
				p++;
				continue;
			}
			if (pend > 0)
				buf_append(b, p - pend, pend);
			pend = 0;
			after_word = false;
			buf_putc(b, *p++);
			continue;
		}
		if (strncasecmp(p, "=?UTF-8?", 8) != 0 ||
		    (q = strchr(p + 8, '?')) != p + 9)
			return -1;
		text = p + 10;
		if ((wend = strstr(text, "?=")) == NULL || wend + 2 - p > 75)
			return -1;
		blen = 0;
		if (p[8] == 'B' || p[8] == 'b') {
			if (sodium_base642bin(bin, sizeof(bin), text,
			    (size_t)(wend - text), NULL, &blen, NULL,
			    sodium_base64_VARIANT_ORIGINAL) != 0)
				return -1;
		} else if (p[8] == 'Q' || p[8] == 'q') {
			for (q = text; q < wend; q++) {
				if (*q == '_')
					bin[blen++] = ' ';
				else if (*q == '=') {
					if (wend - q < 3 || hexval(q[1]) < 0 ||
					    hexval(q[2]) < 0)
						return -1;
					bin[blen++] = (unsigned char)(hexval(q[1]) *
					    16 + hexval(q[2]));
					q += 2;
				} else
					bin[blen++] = (unsigned char)*q;
			}
		} else
			return -1;
		if (!util_is_utf8((const char *)bin, blen))
			return -1;
		pend = 0;		/* space between words: dropped */
		buf_append(b, bin, blen);
		after_word = true;
		words++;
		p = wend + 2;
	}
	if (pend > 0)
		buf_append(b, p - pend, pend);
	return words;
}

/* s with every LF, CRLF or CR turned into CRLF. */
static void
crlf(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\r' && s[1] == '\n')
			continue;
		if (*s == '\r' || *s == '\n')
			buf_puts(b, "\r\n");
		else
			buf_putc(b, *s);
	}
}

/*
 * Build a single-part message with text, decode its body and compare:
 * the decoded body is text with CRLF line ends, plus a final CRLF if text
 * had none.  Also: no encoded line is "." alone or starts "From ".
 */
static void
check_text_round_trip(const char *text)
{
	struct mail	 m = sample();
	struct buf	 want, got;
	const char	*body;

	buf_init(&want);
	buf_init(&got);
	m.text = text;
	build_ok(&m);
	check_lines(out.ptr, 78, 76);
	body = body_of(out.ptr);
	ck_assert_msg(qp_decode(body, strlen(body), &got) == 0,
	    "bad quoted-printable: %s", body);
	crlf(&want, text);
	if (want.len > 0 && (want.len < 2 ||
	    strcmp(want.ptr + want.len - 2, "\r\n") != 0))
		buf_puts(&want, "\r\n");
	ck_assert_uint_eq(got.len, want.len);
	ck_assert_msg(got.len == 0 || memcmp(got.ptr, want.ptr, got.len) == 0,
	    "round trip differs:\n%s\n--- want ---\n%s", got.ptr, want.ptr);
	ck_assert_msg(strncmp(body, ".\r\n", 3) != 0 &&
	    !fixture_has(body, "\r\n.\r\n"), "a line of only '.'");
	ck_assert_msg(strncmp(body, "From ", 5) != 0 &&
	    !fixture_has(body, "\r\nFrom "), "a line starting \"From \"");
	buf_free(&want);
	buf_free(&got);
}

START_TEST(test_mail_build_writes_required_headers)
{
	struct mail	 m = sample();
	char		 v[1024];
	const char	*order[] = { "Date:", "Message-ID:", "From:", "To:",
	    "Subject:", "MIME-Version:", "Content-Type:" };
	const char	*prev, *at;
	size_t		 i;

	build_ok(&m);
	prev = out.ptr;
	ck_assert_int_eq(header(out.ptr, "Date", v, sizeof(v)), 1);
	ck_assert_str_eq(v, "Tue, 14 Nov 2023 22:13:20 +0000");
	ck_assert_int_eq(header(out.ptr, "Message-ID", v, sizeof(v)), 1);
	ck_assert_uint_eq(strlen(v), 1 + 32 + strlen("@example.com>"));
	ck_assert_int_eq(v[0], '<');
	ck_assert_uint_eq(strspn(v + 1, "0123456789abcdef"), 32);
	ck_assert_str_eq(v + 33, "@example.com>");
	ck_assert_int_eq(header(out.ptr, "From", v, sizeof(v)), 1);
	ck_assert_str_eq(v, "Gazette <gazette@example.com>");
	ck_assert_int_eq(header(out.ptr, "To", v, sizeof(v)), 1);
	ck_assert_str_eq(v, "reader@example.org");
	ck_assert_int_eq(header(out.ptr, "Subject", v, sizeof(v)), 1);
	ck_assert_str_eq(v, "Hello");
	ck_assert_int_eq(header(out.ptr, "MIME-Version", v, sizeof(v)), 1);
	ck_assert_str_eq(v, "1.0");
	ck_assert_int_eq(header(out.ptr, "Content-Type", v, sizeof(v)), 1);
	ck_assert_str_eq(v, "text/plain; charset=UTF-8");
	ck_assert_int_eq(header(out.ptr, "Content-Transfer-Encoding", v,
	    sizeof(v)), 1);
	ck_assert_str_eq(v, "quoted-printable");
	ck_assert_int_eq(header(out.ptr, "Reply-To", v, sizeof(v)), 0);
	ck_assert_str_eq(body_of(out.ptr), "Hi.\r\n");

	/* In this order, the first at the very start. */
	ck_assert(strncmp(out.ptr, "Date: ", 6) == 0);
	for (i = 0; i < NELEM(order); i++) {
		char	 needle[64];

		snprintf(needle, sizeof(needle), "\r\n%s ", order[i]);
		at = i == 0 ? out.ptr : strstr(out.ptr, needle);
		ck_assert_msg(at != NULL && at >= prev, "%s out of order",
		    order[i]);
		prev = at;
	}
}
END_TEST

START_TEST(test_mail_build_header_lines_are_name_colon_value)
{
	struct mail	 m = sample();
	const char	*p, *eol, *end;

	m.html = "<p>Hi.</p>";
	m.reply_to = "Desk <desk@example.com>";
	m.subject = "Caf\xc3\xa9 news for everyone who reads the Gazette every "
	    "single morning of the week";
	build_ok(&m);
	end = strstr(out.ptr, "\r\n\r\n") + 2;
	for (p = out.ptr; p < end; p = eol + 2) {
		size_t	 name;

		eol = strstr(p, "\r\n");
		if (*p == ' ' || *p == '\t') {
			ck_assert_msg(p != out.ptr, "starts with a fold");
			ck_assert_msg(strspn(p, " \t") < (size_t)(eol - p),
			    "a folded line of only spaces");
			continue;
		}
		name = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq"
		    "rstuvwxyz0123456789-");
		ck_assert_msg(name > 0 && p[name] == ':', "not a header: %.*s",
		    (int)(eol - p), p);
	}
}
END_TEST

START_TEST(test_mail_build_formats_dates_in_utc)
{
	struct mail	 m = sample();
	char		 v[128];

	ck_assert_int_eq(mail_build(&m, 0, &out, err, sizeof(err)), 0);
	header(out.ptr, "Date", v, sizeof(v));
	ck_assert_str_eq(v, "Thu, 1 Jan 1970 00:00:00 +0000");
	ck_assert_int_eq(mail_build(&m, 951782400, &out, err, sizeof(err)), 0);
	header(out.ptr, "Date", v, sizeof(v));
	ck_assert_str_eq(v, "Tue, 29 Feb 2000 00:00:00 +0000");
	ck_assert_int_eq(mail_build(&m, 1795781471, &out, err, sizeof(err)),
	    0);
	header(out.ptr, "Date", v, sizeof(v));
	ck_assert_str_eq(v, "Fri, 27 Nov 2026 12:11:11 +0000");
}
END_TEST

START_TEST(test_mail_build_refuses_dates_out_of_range)
{
	struct mail	 m = sample();

	ck_assert_int_eq(mail_build(&m, -1, &out, err, sizeof(err)), -1);
	ck_assert(fixture_has(err, "date"));
	ck_assert_uint_eq(out.len, 0);
	ck_assert_int_eq(mail_build(&m, INT64_MAX, &out, err, sizeof(err)),
	    -1);
	ck_assert(fixture_has(err, "date"));
}
END_TEST

START_TEST(test_mail_build_message_ids_and_boundaries_are_random)
{
	struct mail	 m = sample();
	char		 id1[256], id2[256], ct1[256], ct2[256];

	m.html = "<p>x</p>";
	build_ok(&m);
	header(out.ptr, "Message-ID", id1, sizeof(id1));
	header(out.ptr, "Content-Type", ct1, sizeof(ct1));
	build_ok(&m);
	header(out.ptr, "Message-ID", id2, sizeof(id2));
	header(out.ptr, "Content-Type", ct2, sizeof(ct2));
	ck_assert_str_ne(id1, id2);
	ck_assert_str_ne(ct1, ct2);
}
END_TEST

START_TEST(test_mail_build_uses_crlf_everywhere)
{
	struct mail	 m = sample();

	m.text = "unix\nwindows\r\nold mac\rmixed\n\r\n\rend";
	m.html = "<p>a</p>\n<p>b</p>\r<p>c</p>\r\n";
	build_ok(&m);
	check_lines(out.ptr, 78, 76);
	ck_assert(fixture_has(out.ptr, "unix\r\nwindows\r\nold mac\r\nmixed"
	    "\r\n\r\n\r\nend\r\n--"));
	ck_assert(fixture_has(out.ptr, "<p>a</p>\r\n<p>b</p>\r\n<p>c</p>\r\n"
	    "\r\n--"));
}
END_TEST

START_TEST(test_mail_build_keeps_lines_short)
{
	struct mail	 m = sample();
	struct buf	 text, subject, html;
	size_t		 i;

	buf_init(&text);
	buf_init(&subject);
	buf_init(&html);
	for (i = 0; i < 1000; i++)
		buf_puts(&text, "a=\xc3\xa9 ");
	buf_puts(&text, "\n");
	for (i = 0; i < 3000; i++)
		buf_putc(&text, 'x');
	for (i = 0; i < 40; i++)
		buf_puts(&subject, "Gazette weekly ");
	buf_puts(&subject, "https://gazette.example.com/articles/a-very-long-"
	    "slug-that-goes-on-and-on-and-on/ end");
	for (i = 0; i < 2000; i++)
		buf_puts(&html, "<b>\xe2\x82\xac</b>");
	m.text = text.ptr;
	m.html = html.ptr;
	m.subject = subject.ptr;
	m.from = "A Rather Long Display Name For The Gazette Mailer Process "
	    "Of Doom <a-long-mailbox-name@mail.subdomain.example.com>";
	build_ok(&m);
	check_lines(out.ptr, 78, 76);

	/* And the encoded forms of all three. */
	buf_reset(&subject);
	for (i = 0; i < 40; i++)
		buf_puts(&subject, "Gaz\xc3\xa9tte \xf0\x9f\x93\xb0 ");
	m.subject = subject.ptr;
	m.from = "\xc3\x89" "dition du soir de la Gazette, tr\xc3\xa8s longue "
	    "en effet <edition@example.com>";
	build_ok(&m);
	check_lines(out.ptr, 78, 76);
	buf_free(&text);
	buf_free(&subject);
	buf_free(&html);
}
END_TEST

START_TEST(test_mail_qp_round_trips_tricky_text)
{
	check_text_round_trip(
	    "a=b == =3D =\n"
	    "trailing spaces   \n"
	    "trailing tab\t\n"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
	    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 caf\xc3\xa9 \xe2\x82\xac "
	    "\xf0\x9f\x98\x80 caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 caf\xc3"
	    "\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 caf\xc3\xa9 \xe2\x82\xac\n"
	    ".\n"
	    "..\n"
	    "From the editor\n"
	    "\n"
	    " leading space and a tab\tinside\n"
	    "last line, no newline, trailing spaces  ");
	check_text_round_trip(".");
	check_text_round_trip("");
	check_text_round_trip("\n\n\n");
	check_text_round_trip("=");
	check_text_round_trip("ends with a newline\n");
}
END_TEST

/*
 * Lines of every length around the 76 limit, with a 3-character escape
 * or a space at every place near the end: where soft breaks go wrong.
 */
START_TEST(test_mail_qp_round_trips_around_the_line_limit)
{
	const char	*specials[] = { "=", " ", "\t", "\xc3\xa9", "." };
	char		 line[128];
	size_t		 len, pos, k, sl;

	for (k = 0; k < NELEM(specials); k++) {
		sl = strlen(specials[k]);
		for (len = 70; len <= 82; len++) {
			for (pos = len - 8; pos + sl <= len; pos++) {
				memset(line, 'x', len);
				memcpy(line + pos, specials[k], sl);
				line[len] = '\0';
				check_text_round_trip(line);
				line[len] = '\n';
				line[len + 1] = '\0';
				check_text_round_trip(line);
			}
		}
	}
}
END_TEST

START_TEST(test_mail_qp_round_trips_control_and_ascii_bytes)
{
	char	 text[256];
	size_t	 i, n = 0;

	for (i = 1; i < 128; i++)
		text[n++] = (char)i;
	text[n] = '\0';
	check_text_round_trip(text);
}
END_TEST

START_TEST(test_mail_subject_non_ascii_is_encoded_and_decodes)
{
	struct mail	 m = sample();
	struct buf	 subject, got;
	char		 v[4096];
	const char	*p;
	size_t		 i, shift;
	int		 words;

	buf_init(&subject);
	buf_init(&got);
	/* Shifted by 0 to 3 bytes, so that words would split characters. */
	for (shift = 0; shift < 4; shift++) {
		buf_reset(&subject);
		buf_append(&subject, "xxx", shift);
		for (i = 0; i < 6; i++)
			buf_puts(&subject, "Caf\xc3\xa9 \xe2\x80\x94 \xe2\x82"
			    "\xac" "5, \xf0\x9f\x98\x80\xf0\x9f\x93\xb0 "
			    "na\xc3\xafve r\xc3\xa9sum\xc3\xa9");
		m.subject = subject.ptr;
		build_ok(&m);
		for (p = out.ptr; *p != '\0'; p++)
			ck_assert_msg((unsigned char)*p < 0x80,
			    "8-bit byte at %td", p - out.ptr);
		check_lines(out.ptr, 78, 76);
		header(out.ptr, "Subject", v, sizeof(v));
		ck_assert(strncmp(v, "=?UTF-8?B?", 10) == 0);
		buf_reset(&got);
		words = words_decode(v, &got);
		ck_assert_msg(words > 1, "%d words in %s", words, v);
		ck_assert_str_eq(got.ptr, subject.ptr);
	}
	buf_free(&subject);
	buf_free(&got);
}
END_TEST

START_TEST(test_mail_subject_ascii_stays_readable_and_folds)
{
	struct mail	 m = sample();
	struct buf	 subject, got;
	char		 v[4096];

	buf_init(&subject);
	buf_init(&got);
	for (int i = 0; i < 20; i++)
		buf_puts(&subject, "Weekly  roundup:\tpolitics & sport, ");
	buf_puts(&subject, "and more");
	m.subject = subject.ptr;
	build_ok(&m);
	check_lines(out.ptr, 78, 76);
	ck_assert_int_eq(header(out.ptr, "Subject", v, sizeof(v)), 1);
	ck_assert_str_eq(v, subject.ptr);
	ck_assert(!fixture_has(v, "=?"));
	ck_assert(fixture_has(out.ptr, "\r\nSubject: Weekly  roundup:"));
	ck_assert(fixture_has(strstr(out.ptr, "\r\nSubject:") + 2, "\r\n "));

	/* Text a reader would take for an encoded-word is encoded. */
	m.subject = "=?UTF-8?B?SGk=?=";
	build_ok(&m);
	header(out.ptr, "Subject", v, sizeof(v));
	ck_assert_str_ne(v, m.subject);
	ck_assert_int_eq(words_decode(v, &got), 1);
	ck_assert_str_eq(got.ptr, m.subject);

	/* So is space at either end, which readers would drop. */
	m.subject = "  padded\t ";
	build_ok(&m);
	header(out.ptr, "Subject", v, sizeof(v));
	buf_reset(&got);
	ck_assert_int_ge(words_decode(v + strspn(v, " \t"), &got), 1);
	ck_assert_str_eq(got.ptr, m.subject);

	/* Empty is allowed. */
	m.subject = "";
	build_ok(&m);
	ck_assert_int_eq(header(out.ptr, "Subject", v, sizeof(v)), 1);
	ck_assert_str_eq(v, "");
	buf_free(&subject);
	buf_free(&got);
}
END_TEST

START_TEST(test_mail_display_name_with_specials_is_quoted)
{
	struct mail	 m = sample();
	char		 v[512];

	m.to = "Doe, John <john@example.com>";
	build_ok(&m);
	header(out.ptr, "To", v, sizeof(v));
	ck_assert_str_eq(v, "\"Doe, John\" <john@example.com>");

	m.to = "John Q. Public <jqp@example.com>";
	build_ok(&m);
	header(out.ptr, "To", v, sizeof(v));
	ck_assert_str_eq(v, "\"John Q. Public\" <jqp@example.com>");

	/* Given quoted, with escapes: unquoted, then quoted again. */
	m.to = "\"Say \\\"hi\\\" \\\\ <now>\"  <hi@example.com>";
	build_ok(&m);
	header(out.ptr, "To", v, sizeof(v));
	ck_assert_str_eq(v, "\"Say \\\"hi\\\" \\\\ <now>\" <hi@example.com>");

	/* Atoms need no quotes. */
	m.to = "Jane O'Neil <jane@example.com>";
	build_ok(&m);
	header(out.ptr, "To", v, sizeof(v));
	ck_assert_str_eq(v, "Jane O'Neil <jane@example.com>");
}
END_TEST

START_TEST(test_mail_display_name_non_ascii_is_encoded)
{
	struct mail	 m = sample();
	struct buf	 got;
	char		 v[512], *lt;

	buf_init(&got);
	m.from = "Jos\xc3\xa9 M\xc3\xbcller, R\xc3\xa9" "daction <jose@example.com>";
	build_ok(&m);
	header(out.ptr, "From", v, sizeof(v));
	ck_assert(strncmp(v, "=?UTF-8?B?", 10) == 0);
	ck_assert_ptr_nonnull(lt = strrchr(v, '<'));
	ck_assert_str_eq(lt, "<jose@example.com>");
	ck_assert(lt > v && lt[-1] == ' ');
	lt[-1] = '\0';
	ck_assert_int_ge(words_decode(v, &got), 1);
	ck_assert_str_eq(got.ptr, "Jos\xc3\xa9 M\xc3\xbcller, R\xc3\xa9"
	    "daction");

	/* An ASCII name a reader would decode is encoded, so it is not. */
	m.from = "=?UTF-8?B?SGk=?= <jose@example.com>";
	build_ok(&m);
	header(out.ptr, "From", v, sizeof(v));
	ck_assert_ptr_nonnull(lt = strrchr(v, '<'));
	lt[-1] = '\0';
	buf_reset(&got);
	ck_assert_int_ge(words_decode(v, &got), 1);
	ck_assert_str_eq(got.ptr, "=?UTF-8?B?SGk=?=");
	buf_free(&got);
}
END_TEST

START_TEST(test_mail_address_forms_accepted)
{
	struct mail	 m = sample();
	char		 v[512];

	m.to = "<reader@example.org>";
	build_ok(&m);
	header(out.ptr, "To", v, sizeof(v));
	ck_assert_str_eq(v, "reader@example.org");

	m.to = "  \tReader   <first.last+tag@mail.example.org>  ";
	build_ok(&m);
	header(out.ptr, "To", v, sizeof(v));
	ck_assert_str_eq(v, "Reader <first.last+tag@mail.example.org>");

	m.to = "o'hara_x-y@localhost";
	build_ok(&m);
	header(out.ptr, "To", v, sizeof(v));
	ck_assert_str_eq(v, "o'hara_x-y@localhost");
}
END_TEST

START_TEST(test_mail_reply_to_only_when_set)
{
	struct mail	 m = sample();
	char		 v[512];

	m.reply_to = "";
	build_ok(&m);
	ck_assert_int_eq(header(out.ptr, "Reply-To", v, sizeof(v)), 0);
	m.reply_to = "News Desk <desk@example.com>";
	build_ok(&m);
	ck_assert_int_eq(header(out.ptr, "Reply-To", v, sizeof(v)), 1);
	ck_assert_str_eq(v, "News Desk <desk@example.com>");
	ck_assert(strstr(out.ptr, "\r\nFrom:") < strstr(out.ptr,
	    "\r\nReply-To:"));
	ck_assert(strstr(out.ptr, "\r\nReply-To:") < strstr(out.ptr,
	    "\r\nTo:"));
}
END_TEST

START_TEST(test_mail_multipart_boundary_delimits_parts)
{
	struct mail	 m = sample();
	struct buf	 got;
	char		 v[512], bnd[128], delim[140], close[140];
	const char	*body, *b1, *b2, *b3, *p;
	const char	*th = "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
	const char	*hh = "Content-Type: text/html; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
	int		 n;

	buf_init(&got);
	m.text = "Plain --=_ text that looks like a boundary.\n-- \nSig";
	m.html = "<p>--=_ HTML</p>\n";
	build_ok(&m);
	check_lines(out.ptr, 78, 76);
	ck_assert_int_eq(header(out.ptr, "Content-Type", v, sizeof(v)), 1);
	ck_assert_msg(strncmp(v, "multipart/alternative; boundary=\"", 33) ==
	    0, "%s", v);
	ck_assert_int_eq(header(out.ptr, "Content-Transfer-Encoding", v,
	    sizeof(v)), 0);
	header(out.ptr, "Content-Type", v, sizeof(v));
	ck_assert_int_eq(sscanf(v + 33, "%100[^\"]", bnd), 1);
	ck_assert_uint_ge(strlen(bnd), 10);
	ck_assert_uint_le(strlen(bnd), 70);
	/* No quoted-printable text, whatever it encodes, can hold it. */
	ck_assert_int_eq(qp_decode(bnd, strlen(bnd), &got), -1);
	buf_reset(&got);
	snprintf(delim, sizeof(delim), "--%s\r\n", bnd);
	snprintf(close, sizeof(close), "\r\n--%s--\r\n", bnd);

	/* Body: delimiter, text part, delimiter, html part, close. */
	body = body_of(out.ptr);
	for (n = 0, p = body; (p = strstr(p, bnd)) != NULL; p++)
		n++;
	ck_assert_int_eq(n, 3);
	ck_assert(strncmp(body, delim, strlen(delim)) == 0);
	b1 = body + strlen(delim);
	ck_assert_ptr_nonnull(b2 = strstr(b1, delim));
	ck_assert(b2[-2] == '\r' && b2[-1] == '\n');
	ck_assert_ptr_nonnull(b3 = strstr(b2, close));
	ck_assert_str_eq(b3, close);

	/* Each part: its headers, then the encoded text. */
	ck_assert(strncmp(b1, th, strlen(th)) == 0);
	b2 += strlen(delim);
	ck_assert(strncmp(b2, hh, strlen(hh)) == 0);
	ck_assert_int_eq(qp_decode(b1 + strlen(th), (size_t)(strstr(b1, delim) -
	    2 - (b1 + strlen(th))), &got), 0);
	ck_assert_str_eq(got.ptr, "Plain --=_ text that looks like a "
	    "boundary.\r\n-- \r\nSig");
	buf_reset(&got);
	ck_assert_int_eq(qp_decode(b2 + strlen(hh), (size_t)(b3 - (b2 +
	    strlen(hh))), &got), 0);
	ck_assert_str_eq(got.ptr, "<p>--=_ HTML</p>\r\n");
	ck_assert(!fixture_has(got.ptr, bnd));
	buf_free(&got);
}
END_TEST

START_TEST(test_mail_list_unsubscribe_only_when_set)
{
	struct mail	 m = sample();
	char		 v[1024];

	m.unsubscribe = "";
	build_ok(&m);
	ck_assert_int_eq(header(out.ptr, "List-Unsubscribe", v, sizeof(v)), 0);
	ck_assert_int_eq(header(out.ptr, "List-Unsubscribe-Post", v,
	    sizeof(v)), 0);
	m.unsubscribe = "https://example.com/u/1-ab/";
	build_ok(&m);
	ck_assert_int_eq(header(out.ptr, "List-Unsubscribe", v, sizeof(v)), 1);
	ck_assert_str_eq(v, "<https://example.com/u/1-ab/>");
	ck_assert_int_eq(header(out.ptr, "List-Unsubscribe-Post", v,
	    sizeof(v)), 1);
	ck_assert_str_eq(v, "List-Unsubscribe=One-Click");
	ck_assert(fixture_has(out.ptr, "\r\nList-Unsubscribe: "
	    "<https://example.com/u/1-ab/>\r\n"));
	/* After Subject, before the MIME headers. */
	ck_assert(strstr(out.ptr, "\r\nSubject:") < strstr(out.ptr,
	    "\r\nList-Unsubscribe:"));
	ck_assert(strstr(out.ptr, "\r\nList-Unsubscribe-Post:") <
	    strstr(out.ptr, "\r\nMIME-Version:"));
	check_lines(out.ptr, 78, 76);
}
END_TEST

START_TEST(test_mail_list_unsubscribe_long_url_stays_whole)
{
	struct mail	 m = sample();
	char		 url[MAIL_URL_MAX + 1], v[MAIL_URL_MAX + 64];
	char		 want[MAIL_URL_MAX + 64];
	const char	*base = "https://news.example.com/comments/unsubscribe/";
	size_t		 n = strlen(base);

	memcpy(url, base, n);
	memset(url + n, 'f', 64);
	memcpy(url + n + 64, "/", 2);
	m.unsubscribe = url;
	build_ok(&m);
	ck_assert_int_eq(header(out.ptr, "List-Unsubscribe", v, sizeof(v)), 1);
	snprintf(want, sizeof(want), "<%s>", url);
	ck_assert_str_eq(v, want);
	/* One line: a fold's space would stay in some parsers' value. */
	snprintf(want, sizeof(want), "\r\nList-Unsubscribe: <%s>\r\n", url);
	ck_assert(fixture_has(out.ptr, want));
	check_lines(out.ptr, strlen("List-Unsubscribe: <>") + strlen(url), 76);

	/* The longest allowed still leaves its line under 998. */
	memset(url + n, 'f', MAIL_URL_MAX - n);
	url[MAIL_URL_MAX] = '\0';
	build_ok(&m);
	check_lines(out.ptr, strlen("List-Unsubscribe: <>") + MAIL_URL_MAX, 76);
}
END_TEST

START_TEST(test_mail_refuses_bad_unsubscribe_urls)
{
	static const char *const bad[] = {
		"mailto:unsub@example.com", "ftp://example.com/u/",
		"javascript:alert(1)", "example.com/u/", "https://ex ample/",
		"https://example.com/<u>", "https://example.com/a,b",
		"https://example.com/\"", "https://example.com/caf\xc3\xa9",
	};
	struct mail	 m = sample();
	char		 url[MAIL_URL_MAX + 2];

	for (size_t i = 0; i < NELEM(bad); i++) {
		m.unsubscribe = bad[i];
		build_refused(&m, "unsubscribe", NULL);
	}
	m.unsubscribe = "https://example.com/u/\r\nBcc: evil@example.com";
	build_refused(&m, "unsubscribe", "line break");
	ck_assert(!fixture_has(err, "Bcc"));
	memcpy(url, "https://", 8);
	memset(url + 8, 'a', MAIL_URL_MAX - 7);
	url[MAIL_URL_MAX + 1] = '\0';
	m.unsubscribe = url;
	build_refused(&m, "unsubscribe", "longer than");
}
END_TEST

START_TEST(test_mail_refuses_header_injection)
{
	const char	*evil[] = {
		"x\r\nBcc: evil@example.com",
		"x\nBcc: evil@example.com",
		"x\rBcc: evil@example.com",
	};
	const char	*addr[] = {
		"reader@example.org\r\nBcc: evil@example.com",
		"Reader <reader@example.org>\nBcc: evil@example.com",
		"Re\rader <reader@example.org>",
	};
	struct mail	 m;
	size_t		 i;

	for (i = 0; i < NELEM(evil); i++) {
		m = sample();
		m.subject = evil[i];
		build_refused(&m, "subject", "line break");
		m = sample();
		m.to = evil[i];
		build_refused(&m, "to", "line break");
		m = sample();
		m.from = evil[i];
		build_refused(&m, "from", "line break");
		m = sample();
		m.reply_to = evil[i];
		build_refused(&m, "reply_to", "line break");
		ck_assert(!fixture_has(err, "Bcc"));
		m = sample();
		m.to = addr[i];
		build_refused(&m, "to", "line break");
		m = sample();
		m.from = addr[i];
		build_refused(&m, "from", "line break");
	}
}
END_TEST

START_TEST(test_mail_refuses_control_characters_in_headers)
{
	struct mail	 m = sample();

	m.subject = "bell\a";
	build_refused(&m, "subject", "control");
	m.subject = "del\x7f";
	build_refused(&m, "subject", "control");
	m = sample();
	m.to = "Re\x1b" "ader <reader@example.org>";
	build_refused(&m, "to", "control");
	m = sample();
	m.subject = "tab\tis fine";
	build_ok(&m);
}
END_TEST

START_TEST(test_mail_refuses_bad_addresses)
{
	static const char	*bad[] = {
		"", "   ", "reader", "reader example.org", "reader@",
		"@example.org", "reader@@example.org", "a@b@example.org",
		"Reader reader@example.org", "Reader <reader@example.org",
		"Reader reader@example.org>", "<reader@example.org> Reader",
		"Re<ader <reader@example.org>", "Re>ader <reader@example.org>",
		"Re\"ader <reader@example.org>", "Reader <reader @example.org>",
		"Reader < reader@example.org>", "Reader <<reader@example.org>>",
		"Reader <>", ".reader@example.org", "reader.@example.org",
		"re..ader@example.org", "reader@example..org",
		"reader@.example.org", "reader@example.org.",
		"reader@exa_mple.org", "reader@[127.0.0.1]",
		"r\xc3\xa9" "ader@example.org", "reader@exampl\xc3\xa9.org",
		"\"unterminated <reader@example.org>",
		"\"Name\" x <reader@example.org>",
		"reader@example.org, other@example.org",
		"\"reader\"@example.org", "reader(comment)@example.org",
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		"xxxx@example.org",				/* 65: too long */
	};
	struct mail		 m;
	char			 longspec[300];
	size_t			 i;

	for (i = 0; i < NELEM(bad); i++) {
		m = sample();
		m.to = bad[i];
		err[0] = '\0';
		ck_assert_msg(mail_build(&m, T0, &out, err, sizeof(err)) == -1,
		    "accepted to=[%s]", bad[i]);
		ck_assert_msg(fixture_has(err, "mail: to "), "[%s]: %s", bad[i],
		    err);
		ck_assert_uint_eq(out.len, 0);
	}
	m = sample();
	m.from = "Gazette gazette@example.com";
	build_refused(&m, "from", "space");
	m = sample();
	m.reply_to = "desk";
	build_refused(&m, "reply_to", "no '@'");
	m = sample();
	m.to = "Reader <reader@example.org";
	build_refused(&m, "to", "'<'");

	/* 64 bytes of user are fine; 255 bytes in all are not. */
	memset(longspec, 'x', 64);
	snprintf(longspec + 64, sizeof(longspec) - 64, "@example.org");
	m = sample();
	m.to = longspec;
	build_ok(&m);
	memset(longspec, 'y', sizeof(longspec));
	memcpy(longspec, "u@", 2);
	longspec[255] = '\0';
	build_refused(&m, "to", "254");
}
END_TEST

START_TEST(test_mail_refuses_invalid_utf8)
{
	struct mail	 m;

	m = sample();
	m.subject = "bad \xc3\x28 subject";
	build_refused(&m, "subject", "UTF-8");
	m = sample();
	m.text = "ok, then \xff";
	build_refused(&m, "text", "UTF-8");
	m = sample();
	m.html = "<p>\xed\xa0\x80</p>";		/* a surrogate */
	build_refused(&m, "html", "UTF-8");
	m = sample();
	m.from = "\xc0\xaf <gazette@example.com>";	/* overlong */
	build_refused(&m, "from", "UTF-8");
	m = sample();
	m.to = "\xe2\x82 <reader@example.org>";		/* truncated */
	build_refused(&m, "to", "UTF-8");
}
END_TEST

START_TEST(test_mail_refuses_missing_fields)
{
	struct mail	 m;

	m = sample();
	m.from = NULL;
	build_refused(&m, "from", "missing");
	m = sample();
	m.to = NULL;
	build_refused(&m, "to", "missing");
	m = sample();
	m.subject = NULL;
	build_refused(&m, "subject", "missing");
	m = sample();
	m.text = NULL;
	build_refused(&m, "text", "missing");
}
END_TEST

/* Names in dir, sorted, comma-separated, in dst; returns how many. */
static int
list_dir(const char *dir, char *dst, size_t n)
{
	struct dirent	**v;
	int		 k, i;

	dst[0] = '\0';
	if ((k = scandir(dir, &v, NULL, alphasort)) < 0)
		return -1;
	for (i = 0; i < k; i++) {
		if (strcmp(v[i]->d_name, ".") != 0 &&
		    strcmp(v[i]->d_name, "..") != 0) {
			strncat(dst, v[i]->d_name, n - strlen(dst) - 1);
			strncat(dst, ",", n - strlen(dst) - 1);
		}
		free(v[i]);
	}
	free(v);
	return k - 2;
}

/* Is name "<16 digits>-<32 hex>.eml"? */
static bool
is_eml_name(const char *name)
{
	return strlen(name) == 16 + 1 + 32 + 4 &&
	    strspn(name, "0123456789") == 16 && name[16] == '-' &&
	    strspn(name + 17, "0123456789abcdef") == 32 &&
	    strcmp(name + 49, ".eml") == 0;
}

START_TEST(test_mail_write_outbox_creates_one_eml)
{
	struct mail	 m = sample();
	char		 dir[1024], path[PATH_MAX], names[256], want[PATH_MAX];
	char		*data;
	struct stat	 st;
	FILE		*f;
	mode_t		 old;
	int		 rc;

	snprintf(dir, sizeof(dir), "%s/outbox", tmp);
	m.html = "<p>Hi.</p>";
	build_ok(&m);
	old = umask(077);	/* the modes must not depend on the umask */
	rc = mail_write_outbox(dir, &out, path, sizeof(path), err,
	    sizeof(err));
	umask(old);
	ck_assert_msg(rc == 0, "%s", err);

	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 07777, 0750);
	ck_assert_int_eq(list_dir(dir, names, sizeof(names)), 1);
	names[strlen(names) - 1] = '\0';
	ck_assert_msg(is_eml_name(names), "%s", names);
	snprintf(want, sizeof(want), "%s/%s", dir, names);
	ck_assert_str_eq(path, want);

	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 07777, 0640);
	ck_assert_uint_eq((size_t)st.st_size, out.len);
	data = xmalloc(out.len);
	ck_assert_ptr_nonnull(f = fopen(path, "rb"));
	ck_assert_uint_eq(fread(data, 1, out.len, f), out.len);
	fclose(f);
	ck_assert(memcmp(data, out.ptr, out.len) == 0);
	free(data);
}
END_TEST

START_TEST(test_mail_write_outbox_twice_gives_two_files)
{
	char	 p1[PATH_MAX], p2[PATH_MAX], names[1024], *last, *name;
	int	 k = 0;

	buf_puts(&out, "Subject: x\r\n\r\nbody\r\n");
	ck_assert_int_eq(mail_write_outbox(tmp, &out, p1, sizeof(p1), err,
	    sizeof(err)), 0);
	ck_assert_int_eq(mail_write_outbox(tmp, &out, p2, sizeof(p2), err,
	    sizeof(err)), 0);
	ck_assert_str_ne(p1, p2);
	ck_assert_int_eq(list_dir(tmp, names, sizeof(names)), 2);
	for (name = strtok_r(names, ",", &last); name != NULL;
	    name = strtok_r(NULL, ",", &last), k++)
		ck_assert_msg(is_eml_name(name), "%s", name);
	ck_assert_int_eq(k, 2);
	/* Written in order, so they sort in order. */
	ck_assert(strcmp(strrchr(p1, '/'), strrchr(p2, '/')) < 0);
}
END_TEST

START_TEST(test_mail_write_outbox_unwritable_dir_fails)
{
	char	 dir[4200], names[1024];

	buf_puts(&out, "Subject: x\r\n\r\nbody\r\n");

	/* The outbox is a file. */
	fixture_write(tmp, "file", "x");
	snprintf(dir, sizeof(dir), "%s/file", tmp);
	ck_assert_int_eq(mail_write_outbox(dir, &out, NULL, 0, err,
	    sizeof(err)), -1);
	ck_assert_msg(fixture_has(err, dir), "%s", err);

	/* Its parent is missing: only one level is created. */
	snprintf(dir, sizeof(dir), "%s/missing/outbox", tmp);
	err[0] = '\0';
	ck_assert_int_eq(mail_write_outbox(dir, &out, NULL, 0, err,
	    sizeof(err)), -1);
	ck_assert_msg(fixture_has(err, "cannot create outbox"), "%s", err);
	ck_assert_msg(fixture_has(err, dir), "%s", err);

	/* Its parent is a file. */
	snprintf(dir, sizeof(dir), "%s/file/outbox", tmp);
	err[0] = '\0';
	ck_assert_int_eq(mail_write_outbox(dir, &out, NULL, 0, err,
	    sizeof(err)), -1);
	ck_assert_msg(fixture_has(err, dir), "%s", err);

	/* Read-only: permissions do not stop root, so only for others. */
	if (geteuid() != 0) {
		snprintf(dir, sizeof(dir), "%s/ro", tmp);
		ck_assert_int_eq(mkdir(dir, 0500), 0);
		err[0] = '\0';
		ck_assert_int_eq(mail_write_outbox(dir, &out, NULL, 0, err,
		    sizeof(err)), -1);
		ck_assert_msg(fixture_has(err, dir), "%s", err);
		chmod(dir, 0700);
		ck_assert_int_eq(list_dir(dir, names, sizeof(names)), 0);
		rmdir(dir);
	}
	ck_assert_int_eq(list_dir(tmp, names, sizeof(names)), 1);
	ck_assert_str_eq(names, "file,");
}
END_TEST

START_TEST(test_mail_write_outbox_refuses_small_path_buffer)
{
	char	 dir[4200], path[32], names[64];

	buf_puts(&out, "Subject: x\r\n\r\nbody\r\n");
	snprintf(dir, sizeof(dir), "%s/outbox", tmp);
	ck_assert_int_eq(mail_write_outbox(dir, &out, path, sizeof(path), err,
	    sizeof(err)), -1);
	ck_assert_msg(fixture_has(err, "path"), "%s", err);
	ck_assert_int_eq(list_dir(tmp, names, sizeof(names)), 0);
}
END_TEST

START_TEST(test_mail_write_outbox_refuses_empty_message)
{
	char	 names[64];

	ck_assert_int_eq(mail_write_outbox(tmp, &out, NULL, 0, err,
	    sizeof(err)), -1);
	ck_assert_msg(fixture_has(err, "empty"), "%s", err);
	ck_assert_int_eq(mail_write_outbox("", &out, NULL, 0, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(list_dir(tmp, names, sizeof(names)), 0);
}
END_TEST

START_TEST(test_mail_send_outbox_builds_and_writes)
{
	struct mail	 m = sample();
	char		 dir[1024], path[1400], names[256], chunk[512];
	FILE		*f;
	size_t		 n;

	snprintf(dir, sizeof(dir), "%s/outbox", tmp);
	ck_assert_msg(mail_send_outbox(dir, &m, err, sizeof(err)) == 0, "%s",
	    err);
	ck_assert_int_eq(list_dir(dir, names, sizeof(names)), 1);
	names[strlen(names) - 1] = '\0';
	ck_assert_msg(is_eml_name(names), "%s", names);
	snprintf(path, sizeof(path), "%s/%s", dir, names);
	ck_assert_ptr_nonnull(f = fopen(path, "rb"));
	buf_reset(&out);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&out, chunk, n);
	fclose(f);
	ck_assert_uint_gt(out.len, 0);
	ck_assert(strncmp(out.ptr, "Date: ", 6) == 0);
	ck_assert(fixture_has(out.ptr, "\r\nSubject: Hello\r\n"));
	check_lines(out.ptr, 78, 76);

	/* A message that does not build writes nothing. */
	m.subject = "x\r\nBcc: evil@example.com";
	ck_assert_int_eq(mail_send_outbox(dir, &m, err, sizeof(err)), -1);
	ck_assert(fixture_has(err, "subject"));
	ck_assert_int_eq(list_dir(dir, names, sizeof(names)), 1);
}
END_TEST

Suite *
mail_suite(void)
{
	Suite	*s = suite_create("mail");
	TCase	*tc = tcase_create("build");
	TCase	*to = tcase_create("outbox");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_mail_build_writes_required_headers);
	tcase_add_test(tc, test_mail_build_header_lines_are_name_colon_value);
	tcase_add_test(tc, test_mail_build_formats_dates_in_utc);
	tcase_add_test(tc, test_mail_build_refuses_dates_out_of_range);
	tcase_add_test(tc, test_mail_build_message_ids_and_boundaries_are_random);
	tcase_add_test(tc, test_mail_build_uses_crlf_everywhere);
	tcase_add_test(tc, test_mail_build_keeps_lines_short);
	tcase_add_test(tc, test_mail_qp_round_trips_tricky_text);
	tcase_add_test(tc, test_mail_qp_round_trips_around_the_line_limit);
	tcase_add_test(tc, test_mail_qp_round_trips_control_and_ascii_bytes);
	tcase_add_test(tc, test_mail_subject_non_ascii_is_encoded_and_decodes);
	tcase_add_test(tc, test_mail_subject_ascii_stays_readable_and_folds);
	tcase_add_test(tc, test_mail_display_name_with_specials_is_quoted);
	tcase_add_test(tc, test_mail_display_name_non_ascii_is_encoded);
	tcase_add_test(tc, test_mail_address_forms_accepted);
	tcase_add_test(tc, test_mail_reply_to_only_when_set);
	tcase_add_test(tc, test_mail_multipart_boundary_delimits_parts);
	tcase_add_test(tc, test_mail_refuses_header_injection);
	tcase_add_test(tc, test_mail_refuses_control_characters_in_headers);
	tcase_add_test(tc, test_mail_refuses_bad_addresses);
	tcase_add_test(tc, test_mail_refuses_invalid_utf8);
	tcase_add_test(tc, test_mail_refuses_missing_fields);
	tcase_add_test(tc, test_mail_list_unsubscribe_only_when_set);
	tcase_add_test(tc, test_mail_list_unsubscribe_long_url_stays_whole);
	tcase_add_test(tc, test_mail_refuses_bad_unsubscribe_urls);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(to, setup, teardown);
	tcase_add_test(to, test_mail_write_outbox_creates_one_eml);
	tcase_add_test(to, test_mail_write_outbox_twice_gives_two_files);
	tcase_add_test(to, test_mail_write_outbox_unwritable_dir_fails);
	tcase_add_test(to, test_mail_write_outbox_refuses_small_path_buffer);
	tcase_add_test(to, test_mail_write_outbox_refuses_empty_message);
	tcase_add_test(to, test_mail_send_outbox_builds_and_writes);
	suite_add_tcase(s, to);
	return s;
}
