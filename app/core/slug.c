/*
 * slug: URL names from titles.  Transliteration is a hand-written table
 * of Latin-1 Supplement and Latin Extended-A (what WordPress's
 * remove_accents() covers) plus a few extras: no library in Debian does
 * this small job better without pulling in ICU, and iconv's //TRANSLIT
 * depends on the locale and gives "?" for what it does not know.  The
 * UTF-8 decoder is strict and drops what it cannot decode, one byte at
 * a time, so no input can make it read past the NUL.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "slug.h"
#include "util.h"

#define LATIN_FIRST	0x00c0
#define LATIN_LAST	0x017f

/*
 * U+00C0..U+017F, lower case ASCII for each; NULL for × and ÷, which
 * separate words.  German Ä Ö Ü become a o u, as in Django and
 * WordPress outside the de_DE locale.
 */
static const char *const latin[LATIN_LAST - LATIN_FIRST + 1] = {
	/* U+00C0 À Á Â Ã Ä Å Æ Ç */
	"a", "a", "a", "a", "a", "a", "ae", "c",
	/* U+00C8 È É Ê Ë Ì Í Î Ï */
	"e", "e", "e", "e", "i", "i", "i", "i",
	/* U+00D0 Ð Ñ Ò Ó Ô Õ Ö × */
	"d", "n", "o", "o", "o", "o", "o", NULL,
	/* U+00D8 Ø Ù Ú Û Ü Ý Þ ß */
	"o", "u", "u", "u", "u", "y", "th", "ss",
	/* U+00E0 à á â ã ä å æ ç */
	"a", "a", "a", "a", "a", "a", "ae", "c",
	/* U+00E8 è é ê ë ì í î ï */
	"e", "e", "e", "e", "i", "i", "i", "i",
	/* U+00F0 ð ñ ò ó ô õ ö ÷ */
	"d", "n", "o", "o", "o", "o", "o", NULL,
	/* U+00F8 ø ù ú û ü ý þ ÿ */
	"o", "u", "u", "u", "u", "y", "th", "y",
	/* U+0100 Ā ā Ă ă Ą ą Ć ć */
	"a", "a", "a", "a", "a", "a", "c", "c",
	/* U+0108 Ĉ ĉ Ċ ċ Č č Ď ď */
	"c", "c", "c", "c", "c", "c", "d", "d",
	/* U+0110 Đ đ Ē ē Ĕ ĕ Ė ė */
	"d", "d", "e", "e", "e", "e", "e", "e",
	/* U+0118 Ę ę Ě ě Ĝ ĝ Ğ ğ */
	"e", "e", "e", "e", "g", "g", "g", "g",
	/* U+0120 Ġ ġ Ģ ģ Ĥ ĥ Ħ ħ */
	"g", "g", "g", "g", "h", "h", "h", "h",
	/* U+0128 Ĩ ĩ Ī ī Ĭ ĭ Į į */
	"i", "i", "i", "i", "i", "i", "i", "i",
	/* U+0130 İ ı Ĳ ĳ Ĵ ĵ Ķ ķ */
	"i", "i", "ij", "ij", "j", "j", "k", "k",
	/* U+0138 ĸ Ĺ ĺ Ļ ļ Ľ ľ Ŀ */
	"k", "l", "l", "l", "l", "l", "l", "l",
	/* U+0140 ŀ Ł ł Ń ń Ņ ņ Ň */
	"l", "l", "l", "n", "n", "n", "n", "n",
	/* U+0148 ň ŉ Ŋ ŋ Ō ō Ŏ ŏ */
	"n", "n", "ng", "ng", "o", "o", "o", "o",
	/* U+0150 Ő ő Œ œ Ŕ ŕ Ŗ ŗ */
	"o", "o", "oe", "oe", "r", "r", "r", "r",
	/* U+0158 Ř ř Ś ś Ŝ ŝ Ş ş */
	"r", "r", "s", "s", "s", "s", "s", "s",
	/* U+0160 Š š Ţ ţ Ť ť Ŧ ŧ */
	"s", "s", "t", "t", "t", "t", "t", "t",
	/* U+0168 Ũ ũ Ū ū Ŭ ŭ Ů ů */
	"u", "u", "u", "u", "u", "u", "u", "u",
	/* U+0170 Ű ű Ų ų Ŵ ŵ Ŷ ŷ */
	"u", "u", "u", "u", "w", "w", "y", "y",
	/* U+0178 Ÿ Ź ź Ż ż Ž ž ſ */
	"y", "z", "z", "z", "z", "z", "z", "s",
};

_Static_assert(NELEM(latin) == LATIN_LAST - LATIN_FIRST + 1,
    "latin[] covers U+00C0..U+017F");

/* Letters outside that range that titles use often enough. */
static const struct {
	uint32_t	 cp;
	const char	*ascii;
} latin_extra[] = {
	{ 0x00aa, "a" },	/* ª */
	{ 0x00b2, "2" },	/* ² */
	{ 0x00b3, "3" },	/* ³ */
	{ 0x00b9, "1" },	/* ¹ */
	{ 0x00ba, "o" },	/* º */
	{ 0x0192, "f" },	/* ƒ */
	{ 0x01a0, "o" },	/* Ơ */
	{ 0x01a1, "o" },	/* ơ */
	{ 0x01af, "u" },	/* Ư */
	{ 0x01b0, "u" },	/* ư */
	{ 0x0218, "s" },	/* Ș */
	{ 0x0219, "s" },	/* ș */
	{ 0x021a, "t" },	/* Ț */
	{ 0x021b, "t" },	/* ț */
	{ 0x1e9e, "ss" },	/* ẞ */
	{ 0xfb00, "ff" },	/* ﬀ */
	{ 0xfb01, "fi" },	/* ﬁ */
	{ 0xfb02, "fl" },	/* ﬂ */
	{ 0xfb03, "ffi" },	/* ﬃ */
	{ 0xfb04, "ffl" },	/* ﬄ */
	{ 0xfb05, "st" },	/* ﬅ */
	{ 0xfb06, "st" },	/* ﬆ */
};

/* The slug being built, at most cap bytes. */
struct out {
	char		 buf[SLUG_SIZE];
	size_t		 len;
	size_t		 cap;
	bool		 pending;	/* a separator since the last letter */
	bool		 full;		/* something did not fit */
	bool		 midword;	/* ... and it was a letter, not '-' */
};

/*
 * Decode one code point at s (not at the NUL).  Returns its length in
 * bytes with *cp set, or 0 if s does not start a well-formed sequence.
 */
static size_t
utf8_decode(const unsigned char *s, uint32_t *cp)
{
	unsigned char	 lo = 0x80, hi = 0xbf;
	size_t		 len;
	uint32_t	 c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
		if (s[0] == 0xe0)
			lo = 0xa0;		/* overlong */
		else if (s[0] == 0xed)
			hi = 0x9f;		/* surrogates */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
		if (s[0] == 0xf0)
			lo = 0x90;		/* overlong */
		else if (s[0] == 0xf4)
			hi = 0x8f;		/* above U+10FFFF */
	} else
		return 0;

	/* The NUL is not a continuation byte, so this stops at it. */
	if (s[1] < lo || s[1] > hi)
		return 0;
	c = (c << 6) | (s[1] & 0x3f);
	for (size_t i = 2; i < len; i++) {
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	*cp = c;
	return len;
}

static void
out_sep(struct out *o)
{
	o->pending = true;
}

/* Append the letters and digits of word, after a hyphen if one is due. */
static void
out_word(struct out *o, const char *word)
{
	for (; *word != '\0' && !o->full; word++) {
		if (o->pending && o->len > 0) {
			if (o->len + 1 > o->cap) {
				o->full = true;
				break;
			}
			o->buf[o->len++] = '-';
		}
		o->pending = false;
		if (o->len + 1 > o->cap) {
			o->full = o->midword = true;
			break;
		}
		o->buf[o->len++] = *word;
	}
}

/*
 * The length to which the slug s of len bytes is cut to fit room:
 * len if it fits, else the last hyphen at or before s[room] that keeps
 * at least room / 2 bytes (s[room] == '-' means the cut falls between
 * words), else room less any hyphen that would end it.
 */
static size_t
cut(const char *s, size_t len, size_t room)
{
	size_t	 p;

	if (len <= room)
		return len;
	for (p = room; p > 0 && p >= (room + 1) / 2; p--)
		if (s[p] == '-')
			return p;
	p = room;
	while (p > 0 && s[p - 1] == '-')
		p--;
	return p;
}

/* What a code point of a title becomes. */
static void
out_cp(struct out *o, uint32_t cp)
{
	char	 ascii[2];

	if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
		ascii[0] = (char)cp;
		ascii[1] = '\0';
		out_word(o, ascii);
		return;
	}
	if (cp >= 'A' && cp <= 'Z') {
		ascii[0] = (char)(cp - 'A' + 'a');
		ascii[1] = '\0';
		out_word(o, ascii);
		return;
	}
	if (cp == '\'' || cp == 0x2019 || cp == 0x02bc)
		return;				/* apostrophes */
	if (cp == '&') {
		out_sep(o);
		out_word(o, "and");
		out_sep(o);
		return;
	}
	if (cp < 0x80)
		goto sep;
	if (cp >= LATIN_FIRST && cp <= LATIN_LAST) {
		if (latin[cp - LATIN_FIRST] == NULL)
			goto sep;
		out_word(o, latin[cp - LATIN_FIRST]);
		return;
	}
	for (size_t i = 0; i < NELEM(latin_extra); i++)
		if (latin_extra[i].cp == cp) {
			out_word(o, latin_extra[i].ascii);
			return;
		}
	if ((cp >= 0x200b && cp <= 0x200f) ||	/* zero width, ZWJ, LRM */
	    (cp >= 0x202a && cp <= 0x202e) ||	/* bidi embeddings */
	    (cp >= 0x2060 && cp <= 0x206f))	/* invisible operators */
		return;				/* format: dropped */
	if (cp < LATIN_FIRST ||			/* C1 controls, Latin-1 signs */
	    (cp >= 0x2000 && cp <= 0x206f) ||	/* General Punctuation */
	    cp == 0x3000)			/* ideographic space */
		goto sep;
	return;					/* other scripts: dropped */
sep:
	out_sep(o);
}

size_t
slug_make(const char *title, char *dst, size_t n)
{
	struct out		 o;
	const unsigned char	*s = (const unsigned char *)title;
	uint32_t		 cp;
	size_t			 len;

	if (n == 0)
		return 0;
	memset(&o, 0, sizeof(o));
	o.cap = n - 1 < SLUG_MAX ? n - 1 : SLUG_MAX;
	if (s == NULL)
		s = (const unsigned char *)"";

	while (*s != '\0' && !o.full) {
		if ((len = utf8_decode(s, &cp)) == 0) {
			s++;			/* drop one bad byte */
			continue;
		}
		out_cp(&o, cp);
		s += len;
	}

	/*
	 * A letter that did not fit means the cut fell inside a word: say
	 * so to cut() with one more byte that is not a hyphen.
	 */
	if (o.midword) {
		o.buf[o.len] = 'x';
		o.len = cut(o.buf, o.len + 1, o.cap);
	}
	memcpy(dst, o.buf, o.len);
	dst[o.len] = '\0';
	return o.len;
}

bool
slug_is_valid(const char *s)
{
	size_t	 i;

	if (s == NULL || s[0] == '-')
		return false;
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= SLUG_MAX)
			return false;
		if ((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9'))
			continue;
		if (s[i] != '-' || s[i + 1] == '-' || s[i + 1] == '\0')
			return false;
	}
	return i > 0;
}

int
slug_unique(const char *base,
    bool (*taken)(const char *candidate, void *arg), void *arg,
    char *dst, size_t n)
{
	char	 suffix[16];
	size_t	 cap, blen, slen, keep;

	if (n == 0)
		return -1;
	dst[0] = '\0';
	if (!slug_is_valid(base))
		return -1;
	cap = n - 1 < SLUG_MAX ? n - 1 : SLUG_MAX;
	blen = strlen(base);

	for (int k = 1; k <= SLUG_TRIES; k++) {
		if (k == 1)
			suffix[0] = '\0';
		else
			snprintf(suffix, sizeof(suffix), "-%d", k);
		slen = strlen(suffix);
		if (slen >= cap)
			break;
		/* cut() may read base[cap - slen]: in base or its NUL */
		if ((keep = cut(base, blen, cap - slen)) == 0)
			break;
		memcpy(dst, base, keep);
		memcpy(dst + keep, suffix, slen + 1);
		if (!taken(dst, arg))
			return 0;
	}
	dst[0] = '\0';
	return -1;
}
