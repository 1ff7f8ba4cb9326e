/*
 * markdown: libcmark-gfm with the GFM core extensions, in safe mode (no
 * CMARK_OPT_UNSAFE, so raw HTML renders as a comment), with our own URL
 * allowlist applied to the tree between parsing and rendering.
 *
 * Links are filtered and, for comments, rewritten on the AST rather
 * than in the rendered HTML: a link node is replaced by a CUSTOM_INLINE
 * node whose on_enter is an <a> tag built and escaped here (with
 * rel="nofollow ugc") and whose on_exit is "</a>", and the link's
 * children move under it, so cmark still renders and escapes all the
 * text.  Nothing ever parses HTML back.
 *
 * The tree is changed in two passes: a cmark_iter walk (which must not
 * see the tree change) collects the nodes of interest in document order,
 * then each is rewritten.  A rewrite moves the node's children out and
 * unlinks the node, so the other collected pointers stay valid.  The
 * unlinked nodes are freed only after rendering: in cmark-gfm 0.29 a
 * text node's literal may point into its block's content buffer
 * without owning it, so freeing a heading whose text moved into a new
 * paragraph would leave that text dangling.  Neither pass recurses, so
 * deep nesting cannot exhaust the stack.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>

#include "buf.h"
#include "markdown.h"
#include "util.h"

/* Safe mode (no CMARK_OPT_UNSAFE); bad UTF-8 and NUL become U+FFFD. */
#define MD_OPTS		(CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8)

#define ELLIPSIS	"\xe2\x80\xa6"	/* U+2026 */
#define ELLIPSIS_LEN	3

enum md_mode {
	MD_ARTICLE,
	MD_COMMENT,
	MD_COMMENT_NOLINKS,	/* a comment with every link unwrapped */
	MD_EXCERPT,
	MD__MAX
};

/* The GFM extensions attached in each mode. */
static const char *const mode_exts[MD__MAX][5] = {
	[MD_ARTICLE] = { "table", "strikethrough", "autolink", "tasklist",
	    NULL },
	[MD_COMMENT] = { "autolink", NULL },
	[MD_COMMENT_NOLINKS] = { "autolink", NULL },
	[MD_EXCERPT] = { "table", "strikethrough", "autolink", "tasklist",
	    NULL },
};

struct nodes {
	cmark_node	**v;
	size_t		  n;
	size_t		  cap;
};

static void
md_register(void)
{
	static bool	 done;

	if (!done) {
		cmark_gfm_core_extensions_ensure_registered();
		done = true;
	}
}

/*
 * A parser for mode with its extensions attached, fed md and finished.
 * Returns the document (free it, then *pp), or NULL.
 */
static cmark_node *
md_parse(enum md_mode mode, const char *md, size_t len, cmark_parser **pp)
{
	cmark_parser	*p;
	cmark_node	*doc;

	md_register();
	if ((p = cmark_parser_new(MD_OPTS)) == NULL)
		return NULL;
	for (size_t i = 0; mode_exts[mode][i] != NULL; i++) {
		cmark_syntax_extension *e;

		e = cmark_find_syntax_extension(mode_exts[mode][i]);
		if (e == NULL || !cmark_parser_attach_syntax_extension(p, e)) {
			cmark_parser_free(p);
			return NULL;
		}
	}
	if (len > 0)
		cmark_parser_feed(p, md, len);
	if ((doc = cmark_parser_finish(p)) == NULL) {
		cmark_parser_free(p);
		return NULL;
	}
	*pp = p;
	return doc;
}

static void
nodes_push(struct nodes *ns, cmark_node *n)
{
	if (ns->n == ns->cap) {
		ns->cap = ns->cap == 0 ? 16 : ns->cap * 2;
		ns->v = xrealloc(ns->v, ns->cap * sizeof(ns->v[0]));
	}
	ns->v[ns->n++] = n;
}

/* Every node, in document order, whose type wants a rewrite in mode. */
static void
nodes_collect(cmark_node *doc, enum md_mode mode, struct nodes *ns)
{
	cmark_iter		*it;
	cmark_event_type	 ev;

	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node	*n;

		if (ev != CMARK_EVENT_ENTER)
			continue;
		n = cmark_iter_get_node(it);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			nodes_push(ns, n);
			break;
		case CMARK_NODE_HEADING:
		case CMARK_NODE_THEMATIC_BREAK:
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
			if (mode == MD_COMMENT || mode == MD_COMMENT_NOLINKS)
				nodes_push(ns, n);
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

bool
markdown_url_is_safe(const char *url)
{
	static const char *const ok[] = { "http", "https", "mailto" };
	const char	*s;
	size_t		 n;

	for (s = url; *s != '\0' && *s != ':'; s++)
		if (*s == '/' || *s == '?' || *s == '#')
			return true;	/* relative: no scheme */
	if (*s == '\0')
		return true;		/* no colon at all: relative */
	/*
	 * Everything before the colon must be the scheme exactly: a
	 * space, control or tab anywhere (which a browser may skip)
	 * makes it no allowed scheme.
	 */
	n = (size_t)(s - url);
	for (size_t i = 0; i < NELEM(ok); i++)
		if (strlen(ok[i]) == n && strncasecmp(url, ok[i], n) == 0)
			return true;
	return false;
}

/* Take n out of the tree; it is freed after rendering. */
static void
node_drop(cmark_node *n, struct nodes *dead)
{
	cmark_node_unlink(n);
	nodes_push(dead, n);
}

/* Move n's children to just before n, then drop n. */
static void
node_unwrap(cmark_node *n, struct nodes *dead)
{
	cmark_node	*c;

	while ((c = cmark_node_first_child(n)) != NULL)
		cmark_node_insert_before(n, c);
	node_drop(n, dead);
}

/* Move all of from's children to the end of to's. */
static void
node_move_children(cmark_node *from, cmark_node *to)
{
	cmark_node	*c;

	while ((c = cmark_node_first_child(from)) != NULL)
		cmark_node_append_child(to, c);
}

/*
 * Is n inside a link (an original one, or one of our CUSTOM_INLINE <a>)?
 * Only inline ancestors can be links, so stop at the first block.
 */
static bool
node_in_link(cmark_node *n)
{
	cmark_node	*p;
	cmark_node_type	 t;

	for (p = cmark_node_parent(n); p != NULL; p = cmark_node_parent(p)) {
		t = cmark_node_get_type(p);
		if (t == CMARK_NODE_LINK || t == CMARK_NODE_CUSTOM_INLINE)
			return true;
		if ((t & CMARK_NODE_TYPE_MASK) != CMARK_NODE_TYPE_INLINE)
			return false;
	}
	return false;
}

/* As cmark's houdini_escape_href: an attribute-safe URL. */
static void
escape_href(struct buf *b, const char *url)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*s;

	for (s = (const unsigned char *)url; *s != '\0'; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') ||
		    strchr("-_.+!*(),%#@?=;:/,$~", *s) != NULL)
			buf_putc(b, (char)*s);
		else if (*s == '&')
			buf_puts(b, "&amp;");
		else {
			buf_putc(b, '%');
			buf_putc(b, hex[*s >> 4]);
			buf_putc(b, hex[*s & 15]);
		}
	}
}

static void
escape_attr(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		case '"':
			buf_puts(b, "&quot;");
			break;
		case '\'':
			buf_puts(b, "&#39;");
			break;
		default:
			buf_putc(b, *s);
			break;
		}
}

/*
 * Replace n (a link or image, URL already checked) by a CUSTOM_INLINE
 * <a href rel="nofollow ugc"> holding n's children.
 */
static void
comment_link(cmark_node *n, struct nodes *dead)
{
	cmark_node	*a;
	const char	*url = cmark_node_get_url(n);
	const char	*title = cmark_node_get_title(n);
	struct buf	 tag;

	buf_init(&tag);
	buf_puts(&tag, "<a href=\"");
	escape_href(&tag, url != NULL ? url : "");
	buf_putc(&tag, '"');
	if (title != NULL && title[0] != '\0') {
		buf_puts(&tag, " title=\"");
		escape_attr(&tag, title);
		buf_putc(&tag, '"');
	}
	buf_puts(&tag, " rel=\"nofollow ugc\">");

	a = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
	cmark_node_set_on_enter(a, tag.ptr);
	cmark_node_set_on_exit(a, "</a>");
	buf_free(&tag);
	node_move_children(n, a);
	cmark_node_insert_before(n, a);
	node_drop(n, dead);
}

/* Replace n by a new node of type t holding n's children. */
static void
node_retype(cmark_node *n, cmark_node_type t, struct nodes *dead)
{
	cmark_node	*m = cmark_node_new(t);

	node_move_children(n, m);
	cmark_node_insert_before(n, m);
	node_drop(n, dead);
}

/* Replace raw HTML n by its literal as text (in a paragraph if block). */
static void
comment_html(cmark_node *n, bool block, struct nodes *dead)
{
	cmark_node	*t = cmark_node_new(CMARK_NODE_TEXT);
	const char	*lit = cmark_node_get_literal(n);
	size_t		 len = lit != NULL ? strlen(lit) : 0;
	char		*s = xmalloc(len + 1);

	memcpy(s, lit != NULL ? lit : "", len);
	while (block && len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	s[len] = '\0';
	cmark_node_set_literal(t, s);
	free(s);
	if (block) {
		cmark_node	*p = cmark_node_new(CMARK_NODE_PARAGRAPH);

		cmark_node_append_child(p, t);
		cmark_node_insert_before(n, p);
	} else
		cmark_node_insert_before(n, t);
	node_drop(n, dead);
}

/*
 * Apply the URL rules (and, for comments, the subset) to doc.  The
 * nodes taken out go to dead, to be freed after rendering.
 */
static void
md_rewrite(cmark_node *doc, enum md_mode mode, struct nodes *dead)
{
	struct nodes	 ns = { NULL, 0, 0 };

	nodes_collect(doc, mode, &ns);
	for (size_t i = 0; i < ns.n; i++) {
		cmark_node	*n = ns.v[i];
		const char	*url;

		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			url = cmark_node_get_url(n);
			if (!markdown_url_is_safe(url != NULL ? url : "") ||
			    mode == MD_COMMENT_NOLINKS)
				node_unwrap(n, dead);
			else if (mode == MD_COMMENT && node_in_link(n))
				node_unwrap(n, dead);
			else if (mode == MD_COMMENT)
				comment_link(n, dead);
			break;
		case CMARK_NODE_HEADING:
			node_retype(n, CMARK_NODE_PARAGRAPH, dead);
			break;
		case CMARK_NODE_THEMATIC_BREAK:
			node_drop(n, dead);
			break;
		case CMARK_NODE_HTML_BLOCK:
			comment_html(n, true, dead);
			break;
		case CMARK_NODE_HTML_INLINE:
			comment_html(n, false, dead);
			break;
		default:
			break;
		}
	}
	free(ns.v);
}

static int
md_html(enum md_mode mode, const char *md, size_t len, struct buf *out)
{
	cmark_parser	*p;
	cmark_node	*doc;
	struct nodes	 dead = { NULL, 0, 0 };
	char		*html;

	if (md == NULL && len > 0)
		return -1;
	if ((doc = md_parse(mode, md, len, &p)) == NULL)
		return -1;
	md_rewrite(doc, mode, &dead);
	html = cmark_render_html(doc, MD_OPTS,
	    cmark_parser_get_syntax_extensions(p));
	for (size_t i = 0; i < dead.n; i++)
		cmark_node_free(dead.v[i]);
	free(dead.v);
	cmark_node_free(doc);
	cmark_parser_free(p);
	if (html == NULL)
		return -1;
	buf_puts(out, html);
	free(html);
	return 0;
}

int
markdown_article(const char *md, size_t len, struct buf *out)
{
	return md_html(MD_ARTICLE, md, len, out);
}

int
markdown_comment(const char *md, size_t len, struct buf *out)
{
	return md_html(MD_COMMENT, md, len, out);
}

int
markdown_comment_nolinks(const char *md, size_t len, struct buf *out)
{
	return md_html(MD_COMMENT_NOLINKS, md, len, out);
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\f' || c == '\v';
}

/* Append s to t, each run of white space one space, none leading. */
static void
text_put(struct buf *t, const char *s)
{
	for (; *s != '\0'; s++) {
		if (is_space(*s)) {
			if (t->len > 0 && t->ptr[t->len - 1] != ' ')
				buf_putc(t, ' ');
		} else
			buf_putc(t, *s);
	}
}

/* The plain text of paragraph para into t. */
static void
excerpt_text(cmark_node *para, struct buf *t)
{
	cmark_iter		*it;
	cmark_event_type	 ev;

	it = cmark_iter_new(para);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node	*n = cmark_iter_get_node(it);
		const char	*lit;

		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			if ((lit = cmark_node_get_literal(n)) != NULL)
				text_put(t, lit);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			text_put(t, " ");
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	while (t->len > 0 && t->ptr[t->len - 1] == ' ')
		t->ptr[--t->len] = '\0';
}

int
markdown_excerpt(const char *md, size_t len, size_t max, struct buf *out)
{
	cmark_parser		*p;
	cmark_node		*doc, *para = NULL;
	cmark_iter		*it;
	cmark_event_type	 ev;
	struct buf		 t;
	size_t			 cut, room;

	if (md == NULL && len > 0)
		return -1;
	if ((doc = md_parse(MD_EXCERPT, md, len, &p)) == NULL)
		return -1;
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(
		    cmark_iter_get_node(it)) == CMARK_NODE_PARAGRAPH) {
			para = cmark_iter_get_node(it);
			break;
		}
	cmark_iter_free(it);

	buf_init(&t);
	if (para != NULL)
		excerpt_text(para, &t);
	cmark_node_free(doc);
	cmark_parser_free(p);

	if (t.len <= max) {
		if (t.len > 0)
			buf_append(out, t.ptr, t.len);
		buf_free(&t);
		return 0;
	}
	if (max <= ELLIPSIS_LEN) {
		buf_free(&t);
		return 0;
	}
	room = max - ELLIPSIS_LEN;
	/* The last space at or before room: the words before it fit. */
	for (cut = room; cut > 0 && t.ptr[cut] != ' '; cut--)
		;
	if (cut == 0) {
		/* One long word: cut at a character boundary. */
		for (cut = room; cut > 0 &&
		    ((unsigned char)t.ptr[cut] & 0xc0) == 0x80; cut--)
			;
	}
	while (cut > 0 && t.ptr[cut - 1] == ' ')
		cut--;
	if (cut > 0) {
		buf_append(out, t.ptr, cut);
		buf_puts(out, ELLIPSIS);
	}
	buf_free(&t);
	return 0;
}
