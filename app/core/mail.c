/*
 * mail: builds a message (headers, MIME structure, quoted-printable
 * bodies, RFC 2047 encoded-words) and writes it into the outbox.  Every
 * input is checked before the first byte is written, so the encoders
 * below cannot fail.  Delivery is not here: see mail.h.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "mail.h"
#include "util.h"

#define HDR_LINE	78	/* RFC 5322 2.1.1: header lines SHOULD fit */
#define QP_LINE		76	/* RFC 2045 6.7: encoded lines MUST fit */
#define WORD_MAX	75	/* RFC 2047 2: one encoded-word */
#define WORD_FRAME	12	/* "=?UTF-8?B?" and "?=" */
#define SPEC_MAX	254	/* RFC 5321 4.5.3.1.3: a whole path */
#define LOCAL_MAX	64
#define DISPLAY_MAX	256	/* bytes of display name, after unquoting */
#define PLAIN_NAME_MAX	64	/* longer display names are encoded */
#define PLAIN_SEG_MAX	68	/* a longer subject word: encode the subject */
#define RAND_BYTES	16	/* Message-ID, boundary, outbox file name */
#define DATE_MAX	INT64_C(253402300799)	/* 9999-12-31T23:59:59Z */

/* One parsed address: display name (unquoted, UTF-8) and addr-spec. */
struct addr {
	char		 name[DISPLAY_MAX + 1];
	size_t		 namelen;
	char		 spec[SPEC_MAX + 1];
	const char	*domain;	/* in spec, after the '@' */
};

static int	 fail(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* n random bytes as 2n lowercase hex digits in dst (2n + 1 bytes). */
static int
random_hex(char *dst, size_t n)
{
	unsigned char	 b[RAND_BYTES];

	if (n > sizeof(b) || sodium_init() < 0)
		return -1;
	randombytes_buf(b, n);
	sodium_bin2hex(dst, 2 * n + 1, b, n);
	return 0;
}

static bool
is_wsp(int c)
{
	return c == ' ' || c == '\t';
}

/* RFC 5322 atext: what may appear in an atom unquoted. */
static bool
is_atext(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~",
	    c) != NULL);
}

/*
 * A header value: no CR or LF (a new line would start a new header: this
 * is the injection check), valid UTF-8, no other control characters.
 * The value is never copied into err: it may be an attacker's.
 */
static int
check_header(const char *field, const char *v, char *err, size_t errlen)
{
	const unsigned char	*p;

	if (v == NULL)
		return fail(err, errlen, "mail: %s is missing", field);
	if (strpbrk(v, "\r\n") != NULL)
		return fail(err, errlen, "mail: %s contains a line break "
		    "(header injection refused)", field);
	if (!util_is_utf8(v, strlen(v)))
		return fail(err, errlen, "mail: %s is not valid UTF-8", field);
	for (p = (const unsigned char *)v; *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			return fail(err, errlen, "mail: %s contains a control "
			    "character", field);
	return 0;
}

static int
check_body(const char *field, const char *v, char *err, size_t errlen)
{
	if (v == NULL)
		return fail(err, errlen, "mail: %s is missing", field);
	if (!util_is_utf8(v, strlen(v)))
		return fail(err, errlen, "mail: %s is not valid UTF-8", field);
	return 0;
}

/*
 * An http(s) URL to put in angle brackets (RFC 2369): printable ASCII,
 * none of the space, '<', '>' and '"' that would end it early, and no
 * ',' (a list separator there), at most MAIL_URL_MAX bytes so that its
 * header line stays under 998.  v has passed check_header().
 */
static int
check_url(const char *field, const char *v, char *err, size_t errlen)
{
	const unsigned char	*p;

	if (strncmp(v, "https://", 8) != 0 && strncmp(v, "http://", 7) != 0)
		return fail(err, errlen, "mail: %s is not an http(s) URL",
		    field);
	if (strlen(v) > MAIL_URL_MAX)
		return fail(err, errlen, "mail: %s is longer than %d bytes",
		    field, MAIL_URL_MAX);
	for (p = (const unsigned char *)v; *p != '\0'; p++)
		if (*p <= 0x20 || *p >= 0x7f || strchr("<>\",", *p) != NULL)
			return fail(err, errlen, "mail: %s holds a space, a "
			    "non-ASCII byte or one of < > \" , (percent-encode "
			    "it)", field);
	return 0;
}

/*
 * local@domain, ASCII only: a dot-atom local part (no quoted local
 * parts, no SMTPUTF8) and a host name (letters, digits, '-', dots
 * between non-empty labels).  Copies it into a->spec.
 */
static int
spec_parse(struct addr *a, const char *field, const char *s, size_t n,
    char *err, size_t errlen)
{
	const char	*at;
	size_t		 local, i;

	if (n == 0)
		return fail(err, errlen, "mail: %s has an empty address", field);
	if (n > SPEC_MAX)
		return fail(err, errlen, "mail: %s address is longer than %d "
		    "bytes", field, SPEC_MAX);
	for (i = 0; i < n; i++)
		if (is_wsp(s[i]))
			return fail(err, errlen, "mail: %s address contains a "
			    "space (write \"Name <user@host>\")", field);
	if ((at = memchr(s, '@', n)) == NULL)
		return fail(err, errlen, "mail: %s address has no '@'", field);
	local = (size_t)(at - s);
	if (local == 0 || local > LOCAL_MAX || local == n - 1)
		return fail(err, errlen, "mail: %s address needs a user of 1 to "
		    "%d bytes before '@' and a host after it", field, LOCAL_MAX);
	for (i = 0; i < local; i++)
		if (!is_atext(s[i]) && !(s[i] == '.' && i > 0 &&
		    i + 1 < local && s[i - 1] != '.'))
			return fail(err, errlen, "mail: %s address has a "
			    "character not allowed before '@' (or a misplaced "
			    "'.')", field);
	for (i = local + 1; i < n; i++) {
		char	 c = s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-')
			continue;
		if (c == '.' && i > local + 1 && i + 1 < n && s[i - 1] != '.')
			continue;
		return fail(err, errlen, "mail: %s address has a host that is "
		    "not a host name", field);
	}
	memcpy(a->spec, s, n);
	a->spec[n] = '\0';
	a->domain = a->spec + local + 1;
	return 0;
}

/*
 * "user@host", "Name <user@host>", "\"Name, quoted\" <user@host>" or
 * "<user@host>".  Surrounding spaces are ignored.  An unquoted display
 * name may not hold '"', '<' or '>'; a quoted one may hold anything, with
 * \" and \\ for '"' and '\'.  v has passed check_header().
 */
static int
addr_parse(struct addr *a, const char *field, const char *v, char *err,
    size_t errlen)
{
	const char	*s = v, *end, *lt, *p;

	memset(a, 0, sizeof(*a));
	while (is_wsp(*s))
		s++;
	end = s + strlen(s);
	while (end > s && is_wsp(end[-1]))
		end--;
	if (end == s)
		return fail(err, errlen, "mail: %s is empty", field);
	if (end[-1] != '>') {
		if (memchr(s, '<', (size_t)(end - s)) != NULL)
			return fail(err, errlen, "mail: %s has '<' without a "
			    "closing '>' at the end", field);
		return spec_parse(a, field, s, (size_t)(end - s), err, errlen);
	}
	if (*s == '"') {
		for (p = s + 1; p < end && *p != '"'; p++) {
			if (*p == '\\' && p + 1 < end)
				p++;
			if (a->namelen == DISPLAY_MAX)
				return fail(err, errlen, "mail: %s display name "
				    "is longer than %d bytes", field,
				    DISPLAY_MAX);
			a->name[a->namelen++] = *p;
		}
		if (p == end)
			return fail(err, errlen, "mail: %s has an unterminated "
			    "quoted display name", field);
		for (p++; p < end && is_wsp(*p); p++)
			continue;
		if (p == end || *p != '<')
			return fail(err, errlen, "mail: %s has text between the "
			    "quoted display name and '<'", field);
		lt = p;
	} else {
		if ((lt = memchr(s, '<', (size_t)(end - s))) == NULL)
			return fail(err, errlen, "mail: %s has '>' without '<'",
			    field);
		for (p = lt; p > s && is_wsp(p[-1]); p--)
			continue;
		if ((size_t)(p - s) > DISPLAY_MAX)
			return fail(err, errlen, "mail: %s display name is "
			    "longer than %d bytes", field, DISPLAY_MAX);
		a->namelen = (size_t)(p - s);
		memcpy(a->name, s, a->namelen);
		if (strpbrk(a->name, "\"<>") != NULL)
			return fail(err, errlen, "mail: %s display name holds "
			    "'\"', '<' or '>' and must be quoted", field);
	}
	a->name[a->namelen] = '\0';
	return spec_parse(a, field, lt + 1, (size_t)(end - lt - 2), err,
	    errlen);
}

/*
 * RFC 2047 B encoded-words for the UTF-8 text s[0..n), each preceded by
 * a space, as many whole characters in each as fit the line (never more
 * than 75 characters a word); a word that does not fit starts a new
 * continuation line.  *col is the column, updated.
 */
static void
put_words(struct buf *out, size_t *col, const char *s, size_t n)
{
	char	 b64[sodium_base64_ENCODED_LEN(WORD_MAX,
		    sodium_base64_VARIANT_ORIGINAL)];
	size_t	 i = 0, room, take, max;

	while (i < n) {
		room = *col + 1 < HDR_LINE ? HDR_LINE - *col - 1 : 0;
		if (room > WORD_MAX)
			room = WORD_MAX;
		max = room > WORD_FRAME ? (room - WORD_FRAME) / 4 * 3 : 0;
		take = max < n - i ? max : n - i;
		/* Whole characters only: never end before a continuation. */
		while (take > 0 && i + take < n &&
		    ((unsigned char)s[i + take] & 0xc0) == 0x80)
			take--;
		if (take == 0 && *col > 0) {
			buf_puts(out, "\r\n");
			*col = 0;
			continue;
		}
		if (take == 0)		/* refused non-UTF-8: still end */
			take = max < n - i ? max : n - i;
		sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)s + i,
		    take, sodium_base64_VARIANT_ORIGINAL);
		buf_printf(out, " =?UTF-8?B?%s?=", b64);
		*col += 1 + WORD_FRAME + strlen(b64);
		i += take;
	}
}

/*
 * Can the subject go out as it is?  Printable ASCII and tabs only, no
 * "=?" (a reader would try to decode it), no space at either end (readers
 * drop it, and a fold cannot go before it), and no word so long that its
 * line could not be folded to 78 characters.
 */
static bool
subject_is_plain(const char *s)
{
	const char	*p, *seg;

	if (*s == '\0')
		return true;
	if (strstr(s, "=?") != NULL || is_wsp(s[0]) ||
	    is_wsp(s[strlen(s) - 1]))
		return false;
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p > 0x7e)
			return false;
	for (p = s; *p != '\0'; ) {
		seg = p;
		while (is_wsp(*p))
			p++;
		while (*p != '\0' && !is_wsp(*p))
			p++;
		if (p - seg > PLAIN_SEG_MAX)
			return false;
	}
	return true;
}

/*
 * Plain subject text, folded before a run of spaces where the line would
 * pass 78 characters.  Unfolding (dropping the CRLFs) gives s back.
 */
static void
put_folded(struct buf *out, size_t *col, const char *s)
{
	const char	*p = s, *seg;
	size_t		 len;

	buf_putc(out, ' ');
	(*col)++;
	while (*p != '\0') {
		seg = p;
		while (is_wsp(*p))
			p++;
		while (*p != '\0' && !is_wsp(*p))
			p++;
		len = (size_t)(p - seg);
		/* Each seg but the first starts with a space: fold there. */
		if (seg != s && *col + len > HDR_LINE) {
			buf_puts(out, "\r\n");
			*col = 0;
		}
		buf_append(out, seg, len);
		*col += len;
	}
}

static void
put_subject(struct buf *out, const char *s)
{
	size_t	 col = strlen("Subject:");

	buf_puts(out, "Subject:");
	if (subject_is_plain(s)) {
		if (*s != '\0')
			put_folded(out, &col, s);
	} else
		put_words(out, &col, s, strlen(s));
	buf_puts(out, "\r\n");
}

/*
 * "Name:" and the address.  A display name of printable ASCII goes out
 * as atoms, or quoted if it holds anything else (specials such as ',' or
 * '.', doubled spaces); a long or non-ASCII one as encoded-words, which
 * fold.  So every line fits in 78 characters but for a long addr-spec,
 * which cannot be split.
 */
static void
put_addr(struct buf *out, const char *hdr, const struct addr *a)
{
	size_t	 col = strlen(hdr) + 1, i, speclen = strlen(a->spec);
	size_t	 quoted = a->namelen + 2;
	bool	 ascii = strstr(a->name, "=?") == NULL, atoms = true;

	buf_printf(out, "%s:", hdr);
	if (a->namelen == 0) {
		buf_printf(out, " %s\r\n", a->spec);
		return;
	}
	for (i = 0; i < a->namelen; i++) {
		unsigned char	 c = (unsigned char)a->name[i];

		if (c < 0x20 || c > 0x7e)
			ascii = false;
		if (c == '"' || c == '\\')
			quoted++;
		if (!is_atext(c) && !(c == ' ' && i > 0 &&
		    i + 1 < a->namelen && a->name[i - 1] != ' '))
			atoms = false;
	}
	if (ascii && atoms && a->namelen <= PLAIN_NAME_MAX) {
		buf_printf(out, " %s", a->name);
		col += 1 + a->namelen;
	} else if (ascii && quoted <= PLAIN_NAME_MAX) {
		buf_puts(out, " \"");
		for (i = 0; i < a->namelen; i++) {
			if (a->name[i] == '"' || a->name[i] == '\\')
				buf_putc(out, '\\');
			buf_putc(out, a->name[i]);
		}
		buf_putc(out, '"');
		col += 1 + quoted;
	} else
		put_words(out, &col, a->name, a->namelen);
	if (col + 3 + speclen > HDR_LINE)
		buf_puts(out, "\r\n");
	buf_printf(out, " <%s>\r\n", a->spec);
}

/*
 * List-Unsubscribe with url (checked by check_url), and
 * List-Unsubscribe-Post, which says a POST to it unsubscribes in one
 * click, with no page to confirm on (RFC 8058 3.1).  The URL cannot be
 * split, and it is not folded onto a line of its own either: that line
 * would pass 78 all the same, and some parsers (Python's email) keep
 * the fold's space in the value.  MAIL_URL_MAX keeps it under 998.
 */
static void
put_unsubscribe(struct buf *out, const char *url)
{
	buf_printf(out, "List-Unsubscribe: <%s>\r\n", url);
	buf_puts(out, "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
}

static void
put_date(struct buf *out, int64_t now)
{
	static const char	 days[7][4] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char	 months[12][4] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
	time_t			 t = (time_t)now;
	struct tm		 tm;

	/* now is in [0, DATE_MAX], checked by the caller: cannot fail. */
	if (gmtime_r(&t, &tm) == NULL)
		abort();
	buf_printf(out, "Date: %s, %d %s %04d %02d:%02d:%02d +0000\r\n",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/*
 * Quoted-printable (RFC 2045 6.7) of UTF-8 text.  LF, CRLF and CR all
 * become a hard CRLF line break.  Lines hold at most 76 characters, the
 * soft break's '=' included.  A space or tab before a line end is
 * encoded, and so are '.' and "From " at the start of a line, which some
 * transports mangle (SMTP dot-stuffing, mbox).  No CRLF is added after
 * the last line.
 */
static void
put_qp(struct buf *out, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 col = 0, len, limit;
	bool			 eol, lit;

	while (*p != '\0') {
		if (*p == '\r' || *p == '\n') {
			if (p[0] == '\r' && p[1] == '\n')
				p++;
			p++;
			buf_puts(out, "\r\n");
			col = 0;
			continue;
		}
		eol = p[1] == '\0' || p[1] == '\r' || p[1] == '\n';
		lit = (*p >= 33 && *p <= 126 && *p != '=') ||
		    (is_wsp(*p) && !eol);
		len = lit ? 1 : 3;
		/* The last character of a line may take the '=' column. */
		limit = eol ? QP_LINE : QP_LINE - 1;
		if (col + len > limit) {
			buf_puts(out, "=\r\n");
			col = 0;
		}
		if (col == 0 && (*p == '.' ||
		    strncmp((const char *)p, "From ", 5) == 0)) {
			lit = false;
			len = 3;
		}
		if (lit)
			buf_putc(out, (char)*p);
		else {
			buf_putc(out, '=');
			buf_putc(out, hex[*p >> 4]);
			buf_putc(out, hex[*p & 0xf]);
		}
		col += len;
		p++;
	}
}

static bool
ends_with_crlf(const struct buf *b)
{
	return b->len >= 2 && b->ptr[b->len - 2] == '\r' &&
	    b->ptr[b->len - 1] == '\n';
}

static void
put_part_headers(struct buf *out, const char *type)
{
	buf_printf(out, "Content-Type: text/%s; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n", type);
}

int
mail_build(const struct mail *m, int64_t now, struct buf *out, char *err,
    size_t errlen)
{
	struct addr	 from, to, reply;
	char		 id[2 * RAND_BYTES + 1], bnd[2 * RAND_BYTES + 1];
	bool		 has_reply, has_html, has_unsub;

	buf_reset(out);
	has_reply = m->reply_to != NULL && *m->reply_to != '\0';
	has_html = m->html != NULL && *m->html != '\0';
	has_unsub = m->unsubscribe != NULL && *m->unsubscribe != '\0';
	if (check_header("from", m->from, err, errlen) != 0 ||
	    addr_parse(&from, "from", m->from, err, errlen) != 0 ||
	    check_header("to", m->to, err, errlen) != 0 ||
	    addr_parse(&to, "to", m->to, err, errlen) != 0 ||
	    (has_reply && (check_header("reply_to", m->reply_to, err,
	    errlen) != 0 || addr_parse(&reply, "reply_to", m->reply_to, err,
	    errlen) != 0)) ||
	    check_header("subject", m->subject, err, errlen) != 0 ||
	    (has_unsub && (check_header("unsubscribe", m->unsubscribe, err,
	    errlen) != 0 || check_url("unsubscribe", m->unsubscribe, err,
	    errlen) != 0)) ||
	    check_body("text", m->text, err, errlen) != 0 ||
	    (has_html && check_body("html", m->html, err, errlen) != 0))
		return -1;
	if (now < 0 || now > DATE_MAX)
		return fail(err, errlen, "mail: date %lld is out of range",
		    (long long)now);
	if (random_hex(id, RAND_BYTES) != 0 ||
	    random_hex(bnd, RAND_BYTES) != 0)
		return fail(err, errlen, "mail: libsodium cannot be "
		    "initialised");

	put_date(out, now);
	buf_printf(out, "Message-ID: <%s@%s>\r\n", id, from.domain);
	put_addr(out, "From", &from);
	if (has_reply)
		put_addr(out, "Reply-To", &reply);
	put_addr(out, "To", &to);
	put_subject(out, m->subject);
	if (has_unsub)
		put_unsubscribe(out, m->unsubscribe);
	buf_puts(out, "MIME-Version: 1.0\r\n");
	if (!has_html) {
		put_part_headers(out, "plain");
		buf_puts(out, "\r\n");
		put_qp(out, m->text);
		if (!ends_with_crlf(out))
			buf_puts(out, "\r\n");
		return 0;
	}
	/*
	 * "=_" cannot occur in quoted-printable ('=' is always followed by
	 * two hex digits or a line end), so no part can hold the boundary.
	 * The CRLF before each "--" belongs to the delimiter, not the part.
	 */
	buf_printf(out, "Content-Type: multipart/alternative;\r\n"
	    " boundary=\"=_%s\"\r\n\r\n", bnd);
	buf_printf(out, "--=_%s\r\n", bnd);
	put_part_headers(out, "plain");
	buf_puts(out, "\r\n");
	put_qp(out, m->text);
	buf_printf(out, "\r\n--=_%s\r\n", bnd);
	put_part_headers(out, "html");
	buf_puts(out, "\r\n");
	put_qp(out, m->html);
	buf_printf(out, "\r\n--=_%s--\r\n", bnd);
	return 0;
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t	 k;

	while (n > 0) {
		if ((k = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

int
mail_write_outbox(const char *dir, const struct buf *msg, char *path,
    size_t pathlen, char *err, size_t errlen)
{
	char	 tmp[PATH_MAX], final[PATH_MAX], rnd[2 * RAND_BYTES + 1];
	int	 fd, n, dfd, saved;

	if (dir == NULL || *dir == '\0')
		return fail(err, errlen, "mail: no outbox directory (set "
		    "outbox in [accounts])");
	if (msg == NULL || msg->ptr == NULL || msg->len == 0)
		return fail(err, errlen, "mail: empty message for outbox %s",
		    dir);
	if (random_hex(rnd, RAND_BYTES) != 0)
		return fail(err, errlen, "mail: libsodium cannot be "
		    "initialised");
	n = snprintf(final, sizeof(final), "%s/%016lld-%s.eml", dir,
	    (long long)util_wall_us(), rnd);
	if (n < 0 || (size_t)n >= sizeof(final))
		return fail(err, errlen, "mail: outbox path too long: %s", dir);
	if (path != NULL && (size_t)n >= pathlen)
		return fail(err, errlen, "mail: %zu bytes cannot hold the "
		    "outbox path (%d needed)", pathlen, n + 1);
	/* Shorter than final, so it fits. */
	snprintf(tmp, sizeof(tmp), "%s/.tmp-XXXXXX", dir);

	if (mkdir(dir, 0750) == 0) {
		if (chmod(dir, 0750) != 0)	/* whatever the umask */
			return fail(err, errlen, "mail: cannot chmod outbox "
			    "%s: %s", dir, strerror(errno));
	} else if (errno != EEXIST)
		return fail(err, errlen, "mail: cannot create outbox %s: %s",
		    dir, strerror(errno));
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1)
		return fail(err, errlen, "mail: cannot create a file in outbox "
		    "%s: %s", dir, strerror(errno));
	/* Flushed before the rename, so no crash can leave a short .eml. */
	if (fchmod(fd, 0640) != 0 || write_all(fd, msg->ptr, msg->len) != 0 ||
	    fsync(fd) != 0) {
		saved = errno;
		close(fd);
		unlink(tmp);
		return fail(err, errlen, "mail: cannot write %s: %s", tmp,
		    strerror(saved));
	}
	if (close(fd) != 0) {
		saved = errno;
		unlink(tmp);
		return fail(err, errlen, "mail: cannot write %s: %s", tmp,
		    strerror(saved));
	}
	if (rename(tmp, final) != 0) {
		saved = errno;
		unlink(tmp);
		return fail(err, errlen, "mail: cannot rename %s to %s: %s",
		    tmp, final, strerror(saved));
	}
	/*
	 * Make the rename itself durable.  Best effort: the message is in
	 * place now, and failing here would only invite a duplicate send.
	 */
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		(void)fsync(dfd);
		close(dfd);
	}
	if (path != NULL)
		memcpy(path, final, (size_t)n + 1);
	return 0;
}

int
mail_send_outbox(const char *dir, const struct mail *m, char *err,
    size_t errlen)
{
	struct buf	 b;
	int		 rc;

	buf_init(&b);
	rc = mail_build(m, util_wall_us() / 1000000, &b, err, errlen);
	if (rc == 0)
		rc = mail_write_outbox(dir, &b, NULL, 0, err, errlen);
	buf_free(&b);
	return rc;
}

int
mail_address_spec(const char *v, char *spec, size_t speclen, char *err,
    size_t errlen)
{
	struct addr	 a;

	if (check_header("address", v, err, errlen) != 0 ||
	    addr_parse(&a, "address", v, err, errlen) != 0)
		return -1;
	if (strlen(a.spec) >= speclen)
		return fail(err, errlen, "mail: address too long");
	memcpy(spec, a.spec, strlen(a.spec) + 1);
	return 0;
}
