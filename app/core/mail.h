/*
 * mail: builds RFC 5322 messages (MIME, quoted-printable bodies, RFC 2047
 * headers) and drops them into an outbox directory, one .eml file each.
 * Delivery is a job: mail_enqueue() adds a "mail.send" job in the
 * caller's transaction, and the worker's mail_job_send() builds the
 * message and hands it to SMTP (libcurl) when [mail] smtp_host is set,
 * else writes it to the outbox.  A request never waits on the network.
 * mail.c builds and writes; mail_send.c enqueues and delivers.
 */
#ifndef GAZETTE_MAIL_H
#define GAZETTE_MAIL_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct config;
struct req;

#define MAIL_URL_MAX	900	/* a List-Unsubscribe URL: its line < 998 */

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
	/*
	 * An http(s) URL that stops this kind of mail to the recipient;
	 * NULL or "": none.  It must answer GET with a page that asks and
	 * unsubscribe on a POST of "List-Unsubscribe=One-Click" with no
	 * cookies (RFC 8058, which wants https).
	 */
	const char	*unsubscribe;
};

/*
 * Build the whole message for m into out, which is reset first.  now is
 * the Date in Unix seconds (UTC).  Headers, in order: Date (RFC 5322,
 * "+0000"), Message-ID (<32 random hex digits@domain of from>), From,
 * Reply-To (if set), To, Subject, List-Unsubscribe (<URL>, RFC 2369) and
 * List-Unsubscribe-Post ("List-Unsubscribe=One-Click", RFC 8058) if
 * unsubscribe is set, MIME-Version 1.0, then Content-Type.
 * The body is one text/plain part, or multipart/alternative (text, then
 * html) with a random boundary that cannot occur in an encoded part.
 * Bodies are quoted-printable UTF-8; line ends in the text may be LF,
 * CRLF or CR and all become CRLF, as every line end of the message is.
 * Body lines are at most 76 characters; header lines are folded to 78,
 * but an address, Message-ID or List-Unsubscribe URL is never split (no
 * line passes 998).
 * Non-ASCII subjects and display names become RFC 2047 B encoded-words
 * (at most 75 characters each, whole characters, folded onto lines);
 * display names with specials are quoted.
 *
 * Refuses, with -1 and a one-line message in err that names the field
 * but never echoes its value: a missing required field, a header value
 * with CR or LF (header injection) or other control characters, a
 * malformed address, text that is not valid UTF-8 (util_is_utf8), an
 * unsubscribe that is not an http(s) URL of printable ASCII (no spaces,
 * '<', '>', '"' or ',') of at most MAIL_URL_MAX bytes, or a now that
 * cannot be a date.  On -1, out is empty.  Returns 0 or -1.
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

/*
 * The addr-spec of address v ("a@b" of "Name <a@b>") into spec (at
 * least 255 bytes).  0, or -1 with a message in err if v is malformed.
 */
int	 mail_address_spec(const char *v, char *spec, size_t speclen,
	    char *err, size_t errlen);

/* ---- delivery (mail_send.c) ---------------------------------------------- */

/*
 * The JSON payload of a "mail.send" job for m: {"to", "subject", "text"}
 * and, when set, "html", "reply_to", "unsubscribe" and "from" (absent:
 * the config's mail_from at delivery).  malloc'd (free()), never NULL.
 */
char	*mail_payload_json(const struct mail *m);

/*
 * Parse a "mail.send" payload into *m; strings point into *root, which
 * the caller frees with json_decref() (void * to keep jansson out of
 * this header).  from is NULL when absent.  0, or -1 with a message in
 * err (not JSON, a field missing or not a string).
 */
int	 mail_payload_parse(const char *payload, struct mail *m, void **root,
	    char *err, size_t errlen);

/*
 * Enqueue a "mail.send" job for m inside the caller's write transaction
 * (db_begin_write), so the mail commits or rolls back with the change
 * that caused it.  m->from NULL: the config's mail_from.  The job id, or
 * -1 with r failed.
 */
int64_t	 mail_enqueue(struct req *r, const struct mail *m);

/*
 * The "mail.send" handler (core/jobs.h): build the message of payload,
 * deliver it (mail_deliver).  JOB_OK, JOB_RETRY or JOB_FAIL with err.
 */
int	 mail_job_send(struct req *r, const char *payload, char *err,
	    size_t errlen);

/*
 * Deliver the built message msg for m (from and to are used for the
 * envelope) as c says: SMTP to c->smtp_host if set, else a file in
 * c->outbox.  Over TLS the server's certificate and host name are always
 * verified, against c->smtp_ca_file if set, else the system's CAs.  If where is not NULL, a description of where it went
 * ("smtp://host:587", or the outbox file) is copied there.
 * 0 (JOB_OK), JOB_RETRY (try later) or JOB_FAIL (never), err set.
 */
int	 mail_deliver(const struct config *c, const struct mail *m,
	    const struct buf *msg, char *where, size_t wherelen, char *err,
	    size_t errlen);

/*
 * How an SMTP delivery that ended with libcurl's code curl_code and the
 * server's last reply code smtp_code (0: none) is to be treated:
 * JOB_OK when curl_code is 0, JOB_FAIL for a permanent refusal (a 5xx
 * reply, except an authentication failure, which is the site's
 * configuration and so retried), JOB_RETRY for the rest (4xx, network,
 * TLS, timeouts).  Pure.
 */
int	 mail_smtp_classify(int curl_code, long smtp_code);

/*
 * The SMTP password: the first line of c->smtp_password_file if set
 * (refused if the file is readable or writable by others), else
 * $GAZETTE_SMTP_PASSWORD, else "" (none).  Into out (outlen bytes).
 * 0, or -1 with a message in err.
 */
int	 mail_smtp_password(const struct config *c, char *out, size_t outlen,
	    char *err, size_t errlen);

#endif
