/*
 * fuzz_search: what search and the feeds make of text nobody checked.
 *
 *  - feed_xml_escape() of the raw bytes: the output is well-formed
 *    UTF-8 with no character XML 1.0 refuses, no raw < > " ', and every
 *    & starts one of the five entities; for input that is valid UTF-8
 *    without refused characters, unescaping gives the input back.
 *  - search_snippet_html() of the input (up to its first NUL): the same
 *    escaping, with <mark> and </mark> strictly alternating, opened
 *    first and closed last, and no other tag.
 *  - search_fts_quote() of the input when it is valid UTF-8 (as every
 *    query is, after http's checks): FTS5 accepts the result as a MATCH
 *    expression on a table made like articles_fts, whatever the input,
 *    and the input as typed is run too (errors allowed) to exercise
 *    FTS5's parser on the same bytes.
 *
 * Links search.c and feed.c, so also what they call (db, articles,
 * content validators, config) and their libraries.
 */
#include <sqlite3.h>

#include "fuzz.h"
#include "core/buf.h"
#include "site/feed.h"
#include "site/search.h"

static sqlite3		*fts;
static sqlite3_stmt	*match;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char schema[] =
	    "CREATE VIRTUAL TABLE t USING fts5 (title, excerpt, body, tags,"
	    "    tokenize = 'porter unicode61 remove_diacritics 2');"
	    "INSERT INTO t VALUES ('Covid-19 and the harbour''s future',"
	    "    'It''s open', 'The lighthouse \"keeper\" said: no.', 'Port');"
	    "INSERT INTO t VALUES ('Tromsø café', 'Kraków', 'AND OR NOT', '');";

	fuzz_setup(argc, argv, "fuzz_search");
	FUZZ_CHECK(sqlite3_open(":memory:", &fts) == SQLITE_OK);
	FUZZ_CHECK(sqlite3_exec(fts, schema, NULL, NULL, NULL) == SQLITE_OK);
	FUZZ_CHECK(sqlite3_prepare_v2(fts,
	    "SELECT rowid, bm25(t, 10.0, 4.0, 1.0, 6.0),"
	    "       snippet(t, 2, char(2), char(3), '...', 24)"
	    "  FROM t WHERE t MATCH ?1 ORDER BY rank",
	    -1, &match, NULL) == SQLITE_OK);
	return 0;
}

/* Run expr through FTS5: SQLITE_DONE, or the error it gave. */
static int
run_match(const char *expr)
{
	int	 rc;

	sqlite3_bind_text(match, 1, expr, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(match)) == SQLITE_ROW)
		continue;
	sqlite3_reset(match);
	sqlite3_clear_bindings(match);
	return rc;
}

/* Is cp a character XML 1.0 allows? */
static bool
xml_char(uint32_t cp)
{
	return cp == 0x9 || cp == 0xa || cp == 0xd ||
	    (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) ||
	    (cp >= 0x10000 && cp <= 0x10ffff);
}

/* Decode the well-formed UTF-8 s[0..n) (checked by the caller). */
static size_t
next_cp(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xe0) {
		*cp = ((uint32_t)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
		return 2;
	}
	if (s[0] < 0xf0) {
		*cp = ((uint32_t)(s[0] & 0x0f) << 12) |
		    ((uint32_t)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
		return 3;
	}
	*cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3f) << 12) |
	    ((uint32_t)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
	return 4;
}

static const struct {
	const char	*entity;
	char		 c;
} entities[] = {
	{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
	{ "&quot;", '"' }, { "&#39;", '\'' },
};

/*
 * Check escaped text s[0..n): UTF-8, XML characters only, no raw
 * markup character, entities only the five.  Append the unescaped text
 * to plain if it is not NULL.
 */
static void
check_escaped(const char *s, size_t n, struct buf *plain)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0;

	FUZZ_CHECK(util_is_utf8(s, n));
	while (i < n) {
		uint32_t	 cp;
		size_t		 len;

		if (p[i] == '&') {
			size_t	 k;

			for (k = 0; k < NELEM(entities); k++)
				if (strncmp(s + i, entities[k].entity,
				    strlen(entities[k].entity)) == 0)
					break;
			FUZZ_CHECK(k < NELEM(entities));
			if (plain != NULL)
				buf_putc(plain, entities[k].c);
			i += strlen(entities[k].entity);
			continue;
		}
		FUZZ_CHECK(p[i] != '<' && p[i] != '>' && p[i] != '"' &&
		    p[i] != '\'');
		len = next_cp(p + i, &cp);
		FUZZ_CHECK(xml_char(cp));
		if (plain != NULL)
			buf_append(plain, s + i, len);
		i += len;
	}
}

/* Is data a text XML can carry as is (valid UTF-8, XML characters)? */
static bool
is_xml_text(const uint8_t *data, size_t size)
{
	size_t	 i = 0;

	if (!util_is_utf8((const char *)data, size))
		return false;
	while (i < size) {
		uint32_t	 cp;

		i += next_cp(data + i, &cp);
		if (!xml_char(cp))
			return false;
	}
	return true;
}

static void
check_xml_escape(const uint8_t *data, size_t size)
{
	struct buf	 out, plain;

	buf_init(&out);
	buf_init(&plain);
	feed_xml_escape(&out, (const char *)data, size);
	check_escaped(out.ptr != NULL ? out.ptr : "", out.len, &plain);
	if (is_xml_text(data, size)) {
		FUZZ_CHECK(plain.len == size);
		FUZZ_CHECK(size == 0 || memcmp(plain.ptr, data, size) == 0);
	}
	buf_free(&out);
	buf_free(&plain);
}

static void
check_snippet(struct req *r, const char *s)
{
	const char	*html = search_snippet_html(r, s), *p = html, *t;
	bool		 open = false;

	for (;;) {
		t = strchr(p, '<');
		check_escaped(p, t != NULL ? (size_t)(t - p) : strlen(p),
		    NULL);
		if (t == NULL)
			break;
		if (strncmp(t, "<mark>", 6) == 0) {
			FUZZ_CHECK(!open);
			open = true;
			p = t + 6;
		} else {
			FUZZ_CHECK(strncmp(t, "</mark>", 7) == 0);
			FUZZ_CHECK(open);
			open = false;
			p = t + 7;
		}
	}
	FUZZ_CHECK(!open);
}

static void
check_quote(struct req *r, const char *q)
{
	const char	*quoted = search_fts_quote(r, q);
	int		 rc;

	FUZZ_CHECK(util_is_utf8(quoted, strlen(quoted)));
	if (*quoted != '\0') {
		rc = run_match(quoted);
		if (rc != SQLITE_DONE)
			fprintf(stderr, "FTS5 refused %s: %s\n", quoted,
			    sqlite3_errmsg(fts));
		FUZZ_CHECK(rc == SQLITE_DONE);
	}
	(void)run_match(q);		/* as typed: may be refused */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct req	 r;
	char		*s = fuzz_strndup(data, size);

	req_init(&r, &fuzz_limits);
	check_xml_escape(data, size);
	check_snippet(&r, s);
	if (util_is_utf8((const char *)data, size) && size <= 1024)
		check_quote(&r, s);
	req_free(&r);
	free(s);
	return 0;
}
