/*
 * mail: builds RFC 5322 messages (MIME, quoted-printable bodies, RFC 2047
 * headers) and drops them into an outbox directory, one .eml file each.
 * Delivery (SMTP, retries) is not here: a job picks files up from the
 * outbox later, so building never waits on the network.  Keeps no state.
 */
#ifndef GAZETTE_MAIL_H
#define GAZETTE_MAIL_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/*
 * A message to build.  Addresses take two forms: a bare address
 * ("gazette@example.com") or a display name and an address in angle
 * brackets ("Gazette <gazette@example.com>").  The display name may be
 * given quoted ("\"Doe, John\" <j@example.com>") and must be, if it holds
 * '"', '<' or '>'.  Addresses are ASCII (no SMTPUTF8), at most 254 bytes.
 */
struct mail {
	const char	*from;		/* required */
	const char	*to;		/* required, one recipient */
	const char	*subject;	/* required, UTF-8, may be "" */
	const char	*text;		/* required, UTF-8 plain-text body */
	const char	*html;		/* UTF-8 HTML body; NULL or "": none */
	const char	*reply_to;	/* an address; NULL or "": none */
};

/*
 * Build the whole message for m into out, which is reset first.  now is
 * the Date in Unix seconds (UTC).  Headers, in order: Date (RFC 5322,
 * "+0000"), Message-ID (<32 random hex digits@domain of from>), From,
 * Reply-To (if set), To, Subject, MIME-Version 1.0, then Content-Type.
 * The body is one text/plain part, or multipart/alternative (text, then
 * html) with a random boundary that cannot occur in an encoded part.
 * Bodies are quoted-printable UTF-8; line ends in the text may be LF,
 * CRLF or CR and all become CRLF, as every line end of the message is.
 * Body lines are at most 76 characters; header lines are folded to 78,
 * but an address or Message-ID is never split (no line passes 998).
 * Non-ASCII subjects and display names become RFC 2047 B encoded-words
 * (at most 75 characters each, whole characters, folded onto lines);
 * display names with specials are quoted.
 *
 * Refuses, with -1 and a one-line message in err that names the field
 * but never echoes its value: a missing required field, a header value
 * with CR or LF (header injection) or other control characters, a
 * malformed address, text that is not valid UTF-8 (util_is_utf8), or a
 * now that cannot be a date.  On -1, out is empty.  Returns 0 or -1.
 */
int	 mail_build(const struct mail *m, int64_t now, struct buf *out,
	    char *err, size_t errlen);

/*
 * Write the built message msg into the outbox dir atomically: a hidden
 * temp file (".tmp-*") in dir is written, flushed to disk, given mode
 * 0640 and renamed to "<time>-<random>.eml", where time is the wall
 * clock in microseconds, 16 digits, so names sort in writing order, and
 * random is 32 hex digits.  dir itself is created (mode 0750) if it is
 * missing, but not its parents.  If path is not NULL, the final path is
 * copied there (pathlen bytes, PATH_MAX is always enough); a path that
 * does not fit is an error and nothing is written.  On failure nothing is
 * left in dir.  Returns 0, or -1 with a message naming the file in err.
 */
int	 mail_write_outbox(const char *dir, const struct buf *msg, char *path,
	    size_t pathlen, char *err, size_t errlen);

/*
 * mail_build() dated now by the wall clock, then mail_write_outbox()
 * into dir.  Returns 0, or -1 with a message in err.
 */
int	 mail_send_outbox(const char *dir, const struct mail *m, char *err,
	    size_t errlen);

#endif
