/*
 * fuzz_markdown: the input rendered by markdown_article(),
 * markdown_comment() and markdown_excerpt() (max from the first byte).
 * All three return 0, and their output is valid UTF-8 whatever the
 * input (cmark replaces bad sequences).  The two HTML outputs hold no
 * "<script" in any case and are scanned tag by tag: no attribute is an
 * event handler (on*=), and every href and src has no scheme or one of
 * http, https, mailto.  Comment links all carry rel="nofollow ugc".
 * The excerpt is at most max bytes.  ASan reports leaks.
 *
 * Links only the core objects it needs (see the Makefile note in the
 * report): markdown, buf, util, log.
 */
#include <ctype.h>

#include "fuzz.h"
#include "core/buf.h"
#include "core/markdown.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_setup(argc, argv, "fuzz_markdown");
	return 0;
}

static bool
has_script(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '<' && strncasecmp(s + 1, "script", 6) == 0)
			return true;
	return false;
}

/* Check one attribute name and (still escaped) value of tag. */
static void
check_attr(const char *tag, size_t tlen, const char *name, size_t nlen,
    const char *val, size_t vlen, bool *nofollow)
{
	char	*v;

	FUZZ_CHECK(!(nlen >= 2 && strncasecmp(name, "on", 2) == 0));
	if ((nlen == 4 && strncasecmp(name, "href", 4) == 0) ||
	    (nlen == 3 && strncasecmp(name, "src", 3) == 0)) {
		v = fuzz_strndup((const uint8_t *)val, vlen);
		FUZZ_CHECK(markdown_url_is_safe(v));
		free(v);
	}
	if (tlen == 1 && tag[0] == 'a' && nlen == 3 &&
	    strncmp(name, "rel", 3) == 0 && vlen == 12 &&
	    memcmp(val, "nofollow ugc", 12) == 0)
		*nofollow = true;
}

/*
 * Scan every tag of html.  Text never holds a raw '<' (cmark escapes
 * it), so each '<' starts a tag or a comment.  Returns the number of
 * <a> tags without rel="nofollow ugc".
 */
static size_t
check_html(const char *html)
{
	const char	*s = html, *tag, *name, *val;
	size_t		 tlen, nlen, vlen, bare = 0;
	bool		 nofollow;

	FUZZ_CHECK(util_is_utf8(html, strlen(html)));
	FUZZ_CHECK(!has_script(html));
	while ((s = strchr(s, '<')) != NULL) {
		s++;
		if (strncmp(s, "!--", 3) == 0) {
			FUZZ_CHECK((s = strstr(s, "-->")) != NULL);
			continue;
		}
		if (*s == '/')
			s++;
		tag = s;
		while (isalnum((unsigned char)*s))
			s++;
		tlen = (size_t)(s - tag);
		FUZZ_CHECK(tlen > 0);
		nofollow = false;
		for (;;) {
			while (*s == ' ' || *s == '\n')
				s++;
			if (*s == '>' || *s == '\0')
				break;
			if (*s == '/' && s[1] == '>') {
				s++;
				break;
			}
			name = s;
			while (*s != '\0' && *s != '=' && *s != ' ' &&
			    *s != '>' && *s != '/')
				s++;
			nlen = (size_t)(s - name);
			FUZZ_CHECK(nlen > 0);
			val = s;
			vlen = 0;
			if (*s == '=') {
				FUZZ_CHECK(s[1] == '"');
				val = s + 2;
				FUZZ_CHECK((s = strchr(val, '"')) != NULL);
				vlen = (size_t)(s - val);
				s++;
			}
			check_attr(tag, tlen, name, nlen, val, vlen,
			    &nofollow);
		}
		FUZZ_CHECK(*s == '>');
		if (tlen == 1 && tag[0] == 'a' && tag[-1] != '/' && !nofollow)
			bare++;
	}
	return bare;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf	 b;
	size_t		 max = size > 0 ? data[0] : 0;

	buf_init(&b);
	FUZZ_CHECK(markdown_article((const char *)data, size, &b) == 0);
	FUZZ_CHECK(b.len == 0 || strlen(b.ptr) == b.len);
	if (b.len > 0)
		(void)check_html(b.ptr);

	buf_reset(&b);
	FUZZ_CHECK(markdown_comment((const char *)data, size, &b) == 0);
	FUZZ_CHECK(b.len == 0 || strlen(b.ptr) == b.len);
	if (b.len > 0)
		FUZZ_CHECK(check_html(b.ptr) == 0);

	buf_reset(&b);
	FUZZ_CHECK(markdown_excerpt((const char *)data, size, max, &b) == 0);
	FUZZ_CHECK(b.len <= max);
	FUZZ_CHECK(util_is_utf8(b.ptr != NULL ? b.ptr : "", b.len));
	buf_free(&b);
	return 0;
}
