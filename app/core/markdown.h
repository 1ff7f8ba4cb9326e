/*
 * markdown: Markdown to HTML for article bodies and comments, and plain
 * text excerpts, on libcmark-gfm.  The HTML is safe to emit unescaped
 * (a ClearSilver `escape: "none"` block): raw HTML never passes through,
 * attribute values are escaped, and every link and image URL is checked
 * against one allowlist:
 *
 *   http:, https:, mailto: (any case), or no scheme at all (a relative
 *   path, "//host/...", "?query" or "#fragment").
 *
 * The scheme is everything before the first ':' that comes before any
 * '/', '?' or '#' (entities are already decoded by cmark), and it must
 * be one of the three exactly, up to case: nothing is skipped, so a
 * space, tab or control anywhere in it, as in " javascript:",
 * "java\tscript:" or "\x01https:", refuses the URL, as do
 * "&#106;avascript:", "JaVaScRiPt:", every other scheme (vbscript:,
 * data: of any kind, file:) and "x:y".  A refused link is unwrapped:
 * its text stays, without the <a>.  A refused image becomes its alt
 * text.
 *
 * Input need not be valid UTF-8 or NUL free: invalid sequences and NULs
 * become U+FFFD, so the output is always valid UTF-8.  Nothing here
 * keeps state between calls except cmark-gfm's extension registry, set
 * up once per process on first use (not thread safe: call once from the
 * main thread first if workers ever become threads).
 */
#ifndef GAZETTE_MARKDOWN_H
#define GAZETTE_MARKDOWN_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

/*
 * Article bodies: CommonMark plus the GFM extensions table,
 * strikethrough (~~x~~ is <del>), autolink (www.example.com,
 * https://..., user@example.com) and tasklist (a disabled checkbox
 * <input>).  Raw HTML, block or inline, renders as
 * "<!-- raw HTML omitted -->".  URLs as above.  Appends the HTML to out
 * and returns 0, or -1 (out unchanged) if md is NULL with len > 0 or
 * cmark fails to render.
 */
int	 markdown_article(const char *md, size_t len, struct buf *out);

/*
 * Comments: a subset of CommonMark: paragraphs, emphasis, strong, code
 * spans, code blocks, blockquotes, lists, hard line breaks, and links
 * (autolinks too: www.example.com, https://..., user@example.com).
 * Everything else renders as its text: a heading becomes a paragraph;
 * raw HTML, block or inline, becomes escaped text; a thematic break
 * disappears; an image becomes a link to the image with the alt text
 * as its text, or plain alt text if its URL is refused or it sits
 * inside a link.  No tables, strikethrough or task lists.  Every link
 * is <a href="..." rel="nofollow ugc"> (with title="..." if it has
 * one).  URLs as above.  Appends the HTML to out and returns 0, or -1
 * (out unchanged) as markdown_article().
 */
int	 markdown_comment(const char *md, size_t len, struct buf *out);

/*
 * A comment as markdown_comment() renders it, but with no link at all:
 * every link, autolink and image is unwrapped to its text (an image to
 * its alt text), so nothing in it is clickable.  For previews of
 * comments awaiting moderation, which spammers would otherwise use to
 * publish links.  Appends to out; 0, or -1 (out unchanged) as
 * markdown_comment().
 */
int	 markdown_comment_nolinks(const char *md, size_t len,
	    struct buf *out);

/*
 * The plain text of the first paragraph in document order (it may sit
 * in a list or blockquote), for excerpts: markup removed, entities
 * decoded, raw HTML dropped, image alt text kept, every run of white
 * space (line breaks too) one space, no leading or trailing space.  If
 * it fits in max bytes it is appended whole.  Otherwise it is cut at
 * the last space that leaves room for "…" (3 bytes) within max, and
 * "…" is appended; a single word longer than that is cut at a UTF-8
 * character boundary.  So the result is never longer than max bytes
 * and never splits a character; when cut with max < 4 it is empty.
 * The text is NOT HTML: let the template escape it.  No paragraph
 * appends nothing.  Returns 0, or -1 (out unchanged) if md is NULL
 * with len > 0.
 */
int	 markdown_excerpt(const char *md, size_t len, size_t max,
	    struct buf *out);

/*
 * Is url one that the rules above let through (exposed for the unit
 * tests and for callers that take URLs from users directly)?  url is
 * NUL terminated and already entity-decoded.
 */
bool	 markdown_url_is_safe(const char *url);

#endif
