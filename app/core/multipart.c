/*
 * multipart: the delimiter scan and the part headers of
 * multipart/form-data.  Strict where browsers and curl are regular
 * (CRLF line ends, a Content-Disposition on every part, a closing
 * delimiter) so that a truncated or forged body is a clear 400 rather
 * than a guess.  Linear in the body: one memmem per part.
 */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "multipart.h"

static const char	 form_type[] = "multipart/form-data";

static bool
is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* RFC 2046 bchars, space included (it may not end the boundary). */
static bool
is_bchar(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || (c != '\0' && strchr("'()+_,-./:=? ",
	    c) != NULL);
}

/* An RFC 9110 token character. */
static bool
is_tchar(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || (c != '\0' &&
	    strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* A parameter asked for by params_scan(), and its value once seen. */
struct hparam {
	const char	*key;
	const char	*v;		/* NULL until seen */
	size_t		 n;
};

/*
 * The parameters of a header value after its first item, as in
 * "form-data; name=\"a\"; filename=b": [s, e) is the rest after the
 * first item.  Stores the values of the parameters named in want (not
 * NUL-terminated, pointing into [s, e)).  Returns 0, or -1 if the syntax
 * is broken or a wanted parameter comes twice.
 */
static int
params_scan(const char *s, const char *e, struct hparam *want, size_t nwant)
{
	for (;;) {
		const char	*ks, *ke, *vs, *ve;

		while (s < e && is_ows(*s))
			s++;
		if (s == e)
			return 0;
		if (*s++ != ';')
			return -1;
		while (s < e && is_ows(*s))
			s++;
		if (s == e)
			return 0;		/* a trailing ';' is harmless */
		ks = s;
		while (s < e && is_tchar(*s))
			s++;
		ke = s;
		while (s < e && is_ows(*s))
			s++;
		if (ke == ks || s == e || *s++ != '=')
			return -1;
		while (s < e && is_ows(*s))
			s++;
		if (s < e && *s == '"') {
			vs = ++s;
			while (s < e && *s != '"')
				s++;
			if (s == e)
				return -1;	/* unterminated */
			ve = s++;
		} else {
			vs = s;
			while (s < e && is_tchar(*s))
				s++;
			ve = s;
			if (ve == vs)
				return -1;
		}
		for (size_t i = 0; i < nwant; i++)
			if (strlen(want[i].key) == (size_t)(ke - ks) &&
			    strncasecmp(want[i].key, ks, (size_t)(ke - ks)) == 0) {
				if (want[i].v != NULL)
					return -1;	/* twice: ambiguous */
				want[i].v = vs;
				want[i].n = (size_t)(ve - vs);
			}
	}
}

const char *
multipart_boundary(struct arena *a, const char *ct)
{
	const size_t	 n = sizeof(form_type) - 1;
	struct hparam	 b = { "boundary", NULL, 0 };
	const char	*e;

	if (ct == NULL)
		return NULL;
	while (is_ows(*ct))
		ct++;
	if (strncasecmp(ct, form_type, n) != 0 ||
	    (ct[n] != '\0' && ct[n] != ';' && !is_ows(ct[n])))
		return NULL;
	e = ct + strlen(ct);
	if (params_scan(ct + n, e, &b, 1) != 0 || b.v == NULL || b.n == 0 ||
	    b.n > MULTIPART_BOUNDARY_MAX || b.v[b.n - 1] == ' ')
		return NULL;
	for (size_t i = 0; i < b.n; i++)
		if (!is_bchar(b.v[i]))
			return NULL;
	return arena_strndup(a, b.v, b.n);
}

/* Does [s, s+n) equal the literal lit, case-insensitively? */
static bool
name_is(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && strncasecmp(s, lit, n) == 0;
}

/*
 * The header block of one part, from *pp up to and including its empty
 * line, into *part (name, filename, content type).  Returns 0 and moves
 * *pp past the block, or -1 with *err.
 */
static int
part_headers(struct arena *a, const char **pp, const char *end,
    size_t max_header, struct multipart_part *part, const char **err)
{
	const char	*p = *pp, *start = *pp;
	const char	*disp = NULL, *ctype = NULL;
	size_t		 disp_n = 0, ctype_n = 0;

	for (;;) {
		size_t		 room = (size_t)(end - p), left;
		const char	*eol, *colon, *vs, *ve;

		if ((size_t)(p - start) > max_header) {
			*err = "The headers of a multipart part are too large.";
			return -1;
		}
		left = max_header - (size_t)(p - start);
		/* The line and its CRLF must fit what is left of the block. */
		if (room > left + 2)
			room = left + 2;
		if ((eol = memmem(p, room, "\r\n", 2)) == NULL) {
			*err = (size_t)(end - p) > left + 2 ?
			    "The headers of a multipart part are too large." :
			    "The multipart body ends inside a part's headers.";
			return -1;
		}
		if (eol == p) {				/* the empty line */
			*pp = p + 2;
			break;
		}
		if (memchr(p, '\0', (size_t)(eol - p)) != NULL ||
		    memchr(p, '\n', (size_t)(eol - p)) != NULL ||
		    memchr(p, '\r', (size_t)(eol - p)) != NULL ||
		    (colon = memchr(p, ':', (size_t)(eol - p))) == NULL ||
		    colon == p) {
			*err = "A multipart part has a malformed header line.";
			return -1;
		}
		for (const char *q = p; q < colon; q++)
			if (!is_tchar(*q)) {
				*err = "A multipart part has a malformed "
				    "header line.";
				return -1;
			}
		vs = colon + 1;
		ve = eol;
		while (vs < ve && is_ows(*vs))
			vs++;
		while (ve > vs && is_ows(ve[-1]))
			ve--;
		if (name_is(p, (size_t)(colon - p), "Content-Disposition")) {
			if (disp != NULL)
				goto twice;
			disp = vs;
			disp_n = (size_t)(ve - vs);
		} else if (name_is(p, (size_t)(colon - p), "Content-Type")) {
			if (ctype != NULL)
				goto twice;
			ctype = vs;
			ctype_n = (size_t)(ve - vs);
		}
		p = eol + 2;
	}

	if (disp == NULL) {
		*err = "A multipart part has no Content-Disposition.";
		return -1;
	}
	{
		struct hparam	 want[] = { { "name", NULL, 0 },
				    { "filename", NULL, 0 } };
		const char	*de = disp + disp_n, *te = disp;

		while (te < de && is_tchar(*te))
			te++;
		if (!name_is(disp, (size_t)(te - disp), "form-data") ||
		    params_scan(te, de, want, 2) != 0) {
			*err = "A multipart part's Content-Disposition is not "
			    "form-data with a name.";
			return -1;
		}
		if (want[0].v == NULL || want[0].n == 0) {
			*err = "A multipart part has no name.";
			return -1;
		}
		part->name = arena_strndup(a, want[0].v, want[0].n);
		part->filename = want[1].v == NULL ? NULL :
		    arena_strndup(a, want[1].v, want[1].n);
	}
	part->content_type = ctype == NULL ? NULL :
	    arena_strndup(a, ctype, ctype_n);
	return 0;
twice:
	*err = "A multipart part repeats a header.";
	return -1;
}

int
multipart_parse(struct arena *a, const char *body, size_t len,
    const char *boundary, size_t max_parts, size_t max_header,
    struct multipart_part **parts, size_t *nparts, const char **err)
{
	const char		*end = body + len, *p, *hit;
	struct multipart_part	*v = NULL;
	size_t			 blen = strlen(boundary), n = 0, cap = 0;
	char			*delim;			/* "\r\n--" boundary */
	size_t			 dlen = blen + 4;

	*parts = NULL;
	*nparts = 0;
	if (blen == 0 || blen > MULTIPART_BOUNDARY_MAX) {
		*err = "The multipart boundary is not valid.";
		return -1;
	}
	delim = arena_alloc(a, dlen + 1);
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, boundary, blen + 1);

	/* The first delimiter opens the body or follows a preamble line. */
	if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0)
		p = body + dlen - 2;
	else if ((hit = memmem(body, len, delim, dlen)) != NULL)
		p = hit + dlen;
	else {
		*err = "The multipart body has no boundary.";
		return -1;
	}

	for (;;) {
		struct multipart_part	 part;

		/* After a delimiter: "--" closes; else padding and CRLF. */
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			break;
		while (p < end && is_ows(*p))
			p++;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n') {
			*err = end - p < 2 ? "The multipart body ends before "
			    "its closing boundary." : "A multipart boundary "
			    "line is malformed.";
			return -1;
		}
		p += 2;
		if (n == max_parts) {
			*err = "The multipart body has too many parts.";
			return -1;
		}
		memset(&part, 0, sizeof(part));
		if (part_headers(a, &p, end, max_header, &part, err) != 0)
			return -1;
		if ((hit = memmem(p, (size_t)(end - p), delim, dlen)) == NULL) {
			*err = "The multipart body ends before its closing "
			    "boundary.";
			return -1;
		}
		part.data = p;
		part.len = (size_t)(hit - p);
		p = hit + dlen;
		if (n == cap) {
			struct multipart_part *nv;

			cap = cap == 0 ? 4 : cap * 2;
			nv = arena_alloc(a, cap * sizeof(*nv));
			if (n > 0)
				memcpy(nv, v, n * sizeof(*nv));
			v = nv;
		}
		v[n++] = part;
	}
	*parts = v;
	*nparts = n;
	return 0;
}
