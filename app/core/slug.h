/*
 * slug: the URL names of articles ("/articles/{slug}/"), made from
 * titles the way Django's slugify() does, with WordPress's
 * remove_accents() transliteration of Latin letters: lower-case ASCII
 * letters, digits and single hyphens, no hyphen at either end, at most
 * SLUG_MAX bytes.  Owns no state and no storage; uniqueness is checked
 * through a callback, since the articles table belongs to site/article.
 */
#ifndef GAZETTE_SLUG_H
#define GAZETTE_SLUG_H

#include <stdbool.h>
#include <stddef.h>

#define SLUG_MAX	100		/* bytes, without the NUL */
#define SLUG_SIZE	(SLUG_MAX + 1)	/* a buffer that holds any slug */
#define SLUG_TRIES	1000		/* slug_unique(): base .. base-1000 */

/*
 * Write the slug of title (UTF-8; NULL is taken as "") into dst, which
 * holds n bytes (SLUG_SIZE for a full-length slug), NUL terminated.
 *
 * - ASCII letters are lower-cased; ASCII digits are kept.
 * - Letters of Latin-1 Supplement (U+00C0..U+00FF) and Latin
 *   Extended-A (U+0100..U+017F) are transliterated by a hand-written
 *   table (é→e, ß→ss, æ→ae, ø→o, ł→l, đ→d, þ→th, œ→oe, ĳ→ij, ŋ→ng,
 *   ſ→s); also ª º ¹ ² ³, the Romanian ș ț, Vietnamese ơ ư, ƒ, ẞ and
 *   the Latin ligatures U+FB00..U+FB06 (ﬁ→fi).
 * - Apostrophes (' U+0027, ’ U+2019, ʼ U+02BC) are removed without a
 *   hyphen: "O'Brien's" → "obriens".
 * - "&" becomes the word "and": "R&D" → "r-and-d".
 * - Every run of anything else in ASCII, Latin-1 symbols (U+00A0..
 *   U+00BF, × and ÷), General Punctuation (U+2000..U+206F: dashes,
 *   quotes, special spaces) and U+3000 becomes one hyphen.
 * - Everything else is dropped without a hyphen: other scripts
 *   (Greek, Cyrillic, CJK), emoji, combining marks (so decomposed
 *   "e\u0301" gives "e"), invisible format characters (U+200B..
 *   U+200F zero widths and ZWJ, U+202A..U+202E, U+2060..U+206F), and
 *   bytes that are not well-formed UTF-8 (stray, truncated, overlong,
 *   surrogate, above U+10FFFF).
 *
 * A slug longer than min(SLUG_MAX, n - 1) is cut at the last hyphen
 * that keeps at least half of that length, else cut within the word.
 * Returns the slug's length, or 0 (dst set to "") when nothing is left;
 * the caller then uses a fallback such as "article-<id>".  n == 0
 * writes nothing and returns 0.  slug_make() of a slug is that slug.
 */
size_t	 slug_make(const char *title, char *dst, size_t n);

/*
 * Is s (NULL is not) a slug as slug_make() writes them: 1 to SLUG_MAX
 * bytes of a-z, 0-9 and '-', with no hyphen first, last or twice in a
 * row?  For slugs typed into forms and taken from URLs.
 */
bool	 slug_is_valid(const char *s);

/*
 * Write into dst (n bytes, SLUG_SIZE recommended) the first of base,
 * base-2, base-3 .. base-1000 for which taken(candidate, arg) returns
 * false.  Each candidate is at most min(SLUG_MAX, n - 1) bytes: base is
 * shortened to make room for its suffix, by the same rule as
 * slug_make() (at a hyphen if that keeps half the room).  taken() sees
 * the candidate in dst and must not keep the pointer.  Returns 0, or -1
 * with dst set to "" if base is not slug_is_valid(), if no candidate
 * fits in n, or if all SLUG_TRIES are taken.
 */
int	 slug_unique(const char *base,
	    bool (*taken)(const char *candidate, void *arg), void *arg,
	    char *dst, size_t n);

#endif
