/*
 * multipart: a multipart/form-data body (RFC 7578, RFC 2046 section 5.1)
 * split into its parts, in place: names and headers are copied into the
 * arena, each part's content points into the body.  It knows nothing of
 * the request: http.c checks the text fields against its limits and
 * keeps the files (struct upload).  Hand-written because no C library in
 * Debian parses multipart from a memory buffer for a FastCGI responder
 * (libmicrohttpd's post processor is tied to its own server, GMime reads
 * mail streams), and the parser is small, strict and fuzzed
 * (tests/fuzz/fuzz_multipart.c).
 */
#ifndef GAZETTE_MULTIPART_H
#define GAZETTE_MULTIPART_H

#include <stddef.h>

struct arena;

/* Longest boundary RFC 2046 allows. */
#define MULTIPART_BOUNDARY_MAX	70

/* One part, as sent.  Strings live in the arena, data in the body. */
struct multipart_part {
	const char	*name;		/* the form field, never NULL */
	const char	*filename;	/* NULL: a text field; may be "" */
	const char	*content_type;	/* as sent, or NULL */
	const char	*data;		/* into the body; not NUL-terminated */
	size_t		 len;
};

/*
 * The boundary parameter of a Content-Type header value
 * ("multipart/form-data; boundary=xyz", quoted or not) copied into the
 * arena, or NULL when ct is not multipart/form-data or the boundary is
 * missing, empty, longer than MULTIPART_BOUNDARY_MAX or has a character
 * RFC 2046 does not allow.
 */
const char *multipart_boundary(struct arena *a, const char *ct);

/*
 * Split body (len bytes) at boundary into at most max_parts parts, each
 * with a header block of at most max_header bytes.  Lines end in CRLF;
 * a preamble before the first delimiter and an epilogue after the last
 * are ignored.  Every part needs a Content-Disposition of form-data with
 * a name; filename marks a file.  Parameter values are taken as sent
 * (quoted or tokens; browsers write '"' as %22 and never escape with a
 * backslash, so neither is decoded here).
 *
 * Returns 0 with *parts (an arena array) and *nparts set, or -1 with
 * *err saying what was wrong, in a sentence for the 400 page.
 */
int	 multipart_parse(struct arena *a, const char *body, size_t len,
	    const char *boundary, size_t max_parts, size_t max_header,
	    struct multipart_part **parts, size_t *nparts, const char **err);

#endif
