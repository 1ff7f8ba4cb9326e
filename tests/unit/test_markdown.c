/*
 * test_markdown: app/core/markdown.c.  GFM features of articles, the
 * URL allowlist against the usual XSS tricks, the comment subset and
 * its rel="nofollow ugc" links, and excerpt cutting.  Each case renders
 * a short literal and looks for (or rules out) exact HTML fragments.
 */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/markdown.h"
#include "fixture.h"

Suite	*markdown_suite(void);

static struct buf	 out;

static void
setup(void)
{
	buf_init(&out);
}

static void
teardown(void)
{
	buf_free(&out);
}

static const char *
article(const char *md)
{
	buf_reset(&out);
	ck_assert_int_eq(markdown_article(md, strlen(md), &out), 0);
	return out.ptr != NULL ? out.ptr : "";
}

static const char *
comment(const char *md)
{
	buf_reset(&out);
	ck_assert_int_eq(markdown_comment(md, strlen(md), &out), 0);
	return out.ptr != NULL ? out.ptr : "";
}

static const char *
excerpt(const char *md, size_t max)
{
	buf_reset(&out);
	ck_assert_int_eq(markdown_excerpt(md, strlen(md), max, &out), 0);
	return out.ptr != NULL ? out.ptr : "";
}

static bool
contains_ci(const char *h, const char *n)
{
	size_t	 len = strlen(n);

	for (; *h != '\0'; h++)
		if (strncasecmp(h, n, len) == 0)
			return true;
	return false;
}

/*
 * Does any tag carry an event handler attribute (on[a-z]+=)?  Text
 * holds no raw '<', so each '<' opens a tag; quoted values are skipped.
 */
static bool
has_event_attr(const char *h)
{
	const char	*s;

	for (h = strchr(h, '<'); h != NULL; h = strchr(h, '<')) {
		for (s = h + 1; *s != '\0' && *s != '>'; s++) {
			if (*s == '"') {
				if ((s = strchr(s + 1, '"')) == NULL)
					return false;
				continue;
			}
			if (!isspace((unsigned char)*s) ||
			    strncasecmp(s + 1, "on", 2) != 0 ||
			    !isalpha((unsigned char)s[3]))
				continue;
			s += 3;
			while (isalpha((unsigned char)*s))
				s++;
			if (*s == '=')
				return true;
			s--;
		}
		h = s;
	}
	return false;
}

/* No href= or src= whose value starts with scheme (any case). */
static bool
has_url_scheme(const char *h, const char *scheme)
{
	static const char *const attrs[] = { "href=\"", "src=\"" };

	for (size_t i = 0; i < NELEM(attrs); i++) {
		const char	*p = h;
		size_t		 n = strlen(attrs[i]);

		while ((p = strstr(p, attrs[i])) != NULL) {
			p += n;
			while (*p == ' ' || *p == '\t' || *p == '%')
				p++;
			if (strncasecmp(p, scheme, strlen(scheme)) == 0)
				return true;
		}
	}
	return false;
}

/* Neither a link nor an image with a dangerous scheme. */
static void
assert_neutralised(const char *html)
{
	ck_assert_msg(!has_url_scheme(html, "javascript"), "%s", html);
	ck_assert_msg(!has_url_scheme(html, "vbscript"), "%s", html);
	ck_assert_msg(!has_url_scheme(html, "data"), "%s", html);
	ck_assert_msg(!has_url_scheme(html, "file"), "%s", html);
	ck_assert_msg(!contains_ci(html, "javascript:"), "%s", html);
}

START_TEST(test_markdown_article_table)
{
	const char	*h = article("| a | b |\n|---|--:|\n| 1 | 2 |\n");

	ck_assert_ptr_nonnull(strstr(h, "<table>"));
	ck_assert_ptr_nonnull(strstr(h, "<th>a</th>"));
	ck_assert_ptr_nonnull(strstr(h, "<td align=\"right\">2</td>"));
}
END_TEST

START_TEST(test_markdown_article_strikethrough)
{
	ck_assert_ptr_nonnull(strstr(article("a ~~x~~ b"),
	    "<p>a <del>x</del> b</p>"));
}
END_TEST

START_TEST(test_markdown_article_autolinks)
{
	const char	*h = article("see www.example.com and "
	    "https://example.org/a?b=1&c=2 now");

	ck_assert_ptr_nonnull(strstr(h,
	    "<a href=\"http://www.example.com\">www.example.com</a>"));
	ck_assert_ptr_nonnull(strstr(h,
	    "<a href=\"https://example.org/a?b=1&amp;c=2\">"));
}
END_TEST

START_TEST(test_markdown_article_task_list_disabled)
{
	const char	*h = article("- [ ] todo\n- [x] done\n");

	ck_assert_ptr_nonnull(strstr(h,
	    "<input type=\"checkbox\" disabled=\"\" /> todo"));
	ck_assert_ptr_nonnull(strstr(h,
	    "<input type=\"checkbox\" checked=\"\" disabled=\"\" /> done"));
}
END_TEST

START_TEST(test_markdown_article_script_never_raw)
{
	const char	*h;

	h = article("<script>alert(1)</script>\n");
	ck_assert(!contains_ci(h, "<script"));
	ck_assert_ptr_nonnull(strstr(h, "<!-- raw HTML omitted -->"));
	h = article("text <SCRIPT>alert(1)</SCRIPT> more");
	ck_assert(!contains_ci(h, "<script"));
	ck_assert_ptr_nonnull(strstr(h, "text <!-- raw HTML omitted -->"));
}
END_TEST

START_TEST(test_markdown_article_img_onerror_dropped)
{
	const char	*h;

	h = article("<img src=x onerror=alert(1)>\n");
	ck_assert(!contains_ci(h, "<img"));
	ck_assert(!has_event_attr(h));
	h = article("a <img src=x onerror=alert(1)> b");
	ck_assert(!contains_ci(h, "<img"));
	ck_assert(!has_event_attr(h));
	ck_assert_str_eq(h, "<p>a <!-- raw HTML omitted --> b</p>\n");
}
END_TEST

START_TEST(test_markdown_article_javascript_link)
{
	const char	*h = article("[x](javascript:alert(1))");

	assert_neutralised(h);
	ck_assert(strstr(h, "<a") == NULL);
	ck_assert_str_eq(h, "<p>x</p>\n");	/* the text stays */
}
END_TEST

START_TEST(test_markdown_article_javascript_mixed_case)
{
	const char	*h = article("[x](JaVaScRiPt:alert(1))");

	assert_neutralised(h);
	ck_assert(strstr(h, "<a") == NULL);
}
END_TEST

START_TEST(test_markdown_article_javascript_leading_space)
{
	const char	*h;

	h = article("[x]( javascript:alert(1))");
	assert_neutralised(h);
	ck_assert(strstr(h, "<a") == NULL);
	h = article("[x](< javascript:alert(1)>)");
	assert_neutralised(h);
	ck_assert(strstr(h, "<a") == NULL);
	h = article("[x](<\x01javascript:alert(1)>)");
	assert_neutralised(h);
	ck_assert(strstr(h, "<a") == NULL);
}
END_TEST

START_TEST(test_markdown_article_javascript_entity)
{
	const char	*h;

	h = article("[x](&#106;avascript:alert(1))");
	assert_neutralised(h);
	ck_assert(strstr(h, "<a") == NULL);
	h = article("[x](&#x6A;ava&#x73;cript&colon;alert(1))");
	assert_neutralised(h);
	ck_assert(strstr(h, "<a") == NULL);
	h = article("[x](&Tab;javascript:alert(1))");
	assert_neutralised(h);
	ck_assert(strstr(h, "<a") == NULL);
}
END_TEST

START_TEST(test_markdown_article_data_link)
{
	const char	*h = article("[x](data:text/html;base64,PHNjcmlwdD4=)");

	assert_neutralised(h);
	ck_assert(strstr(h, "<a") == NULL);
}
END_TEST

START_TEST(test_markdown_article_data_image)
{
	const char	*h = article("![pic](data:image/png;base64,iVBORw0K)");

	/* cmark alone would let data:image/png through. */
	assert_neutralised(h);
	ck_assert(strstr(h, "<img") == NULL);
	ck_assert_str_eq(h, "<p>pic</p>\n");	/* alt text stays */
}
END_TEST

START_TEST(test_markdown_article_vbscript_and_file)
{
	const char	*h;

	h = article("[x](vbscript:msgbox(1)) [y](VBScript:x) "
	    "[z](file:///etc/passwd)");
	assert_neutralised(h);
	ck_assert(strstr(h, "<a") == NULL);
}
END_TEST

START_TEST(test_markdown_article_reference_link_checked)
{
	const char	*h = article("[x][r]\n\n[r]: javascript:alert(1)\n");

	assert_neutralised(h);
	ck_assert(strstr(h, "<a") == NULL);
}
END_TEST

START_TEST(test_markdown_article_no_event_attributes)
{
	const char	*h = article("<div onclick=\"x\">hi</div>\n\n"
	    "<a href=\"/\" onmouseover=alert(1)>y</a> "
	    "<svg/onload=alert(1)> [t](/ \"x onclick=y\")");

	ck_assert_msg(!has_event_attr(h), "%s", h);
	ck_assert(strstr(h, "<div") == NULL);
	ck_assert(strstr(h, "onmouseover") == NULL);
	ck_assert(strstr(h, "<svg") == NULL);	/* not HTML: escaped text */
	/* an event-like title is a quoted, escaped value */
	ck_assert_ptr_nonnull(strstr(h, "title=\"x onclick=y\""));
}
END_TEST

START_TEST(test_markdown_event_attr_checker)
{
	/* the checker itself: it must see a real attribute */
	ck_assert(has_event_attr("<p><img src=\"x\" onerror=\"y\"></p>"));
	ck_assert(has_event_attr("<a\nONCLICK=y>"));
	ck_assert(!has_event_attr("<a title=\"x onclick=y\">&lt;b onclick=x"));
}
END_TEST

START_TEST(test_markdown_article_relative_and_https_kept)
{
	const char	*h = article("[a](/articles/x/) "
	    "[b](https://example.com/) [c](#top) [d](mailto:me@example.com) "
	    "[e](../up?q=1) ![i](/static/i.png)");

	ck_assert_ptr_nonnull(strstr(h, "<a href=\"/articles/x/\">a</a>"));
	ck_assert_ptr_nonnull(strstr(h,
	    "<a href=\"https://example.com/\">b</a>"));
	ck_assert_ptr_nonnull(strstr(h, "<a href=\"#top\">c</a>"));
	ck_assert_ptr_nonnull(strstr(h,
	    "<a href=\"mailto:me@example.com\">d</a>"));
	ck_assert_ptr_nonnull(strstr(h, "<a href=\"../up?q=1\">e</a>"));
	ck_assert_ptr_nonnull(strstr(h,
	    "<img src=\"/static/i.png\" alt=\"i\" />"));
}
END_TEST

START_TEST(test_markdown_url_is_safe)
{
	ck_assert(markdown_url_is_safe(""));
	ck_assert(markdown_url_is_safe("/a:b"));
	ck_assert(markdown_url_is_safe("?x=javascript:y"));
	ck_assert(markdown_url_is_safe("HTTPS://x"));
	ck_assert(markdown_url_is_safe("http://x/javascript:"));
	ck_assert(!markdown_url_is_safe("javascript:x"));
	ck_assert(!markdown_url_is_safe("\x01\x02 java\tscript:x"));
	ck_assert(!markdown_url_is_safe("data:image/png;base64,x"));
	ck_assert(!markdown_url_is_safe("\x01https://x"));
	ck_assert(!markdown_url_is_safe("https\x04://x"));
	ck_assert(!markdown_url_is_safe("httpsx:x"));
	ck_assert(!markdown_url_is_safe("x:y"));
	ck_assert(!markdown_url_is_safe("averyveryverylongscheme:x"));
}
END_TEST

START_TEST(test_markdown_article_invalid_utf8_replaced)
{
	static const char	 md[] = "a\xff" "b\xc3";
	const char		*h;

	buf_reset(&out);
	ck_assert_int_eq(markdown_article(md, sizeof(md) - 1, &out), 0);
	h = out.ptr;
	ck_assert(util_is_utf8(h, strlen(h)));
	ck_assert_ptr_nonnull(strstr(h, "a\xef\xbf\xbd" "b"));
}
END_TEST

START_TEST(test_markdown_null_input)
{
	buf_reset(&out);
	ck_assert_int_eq(markdown_article(NULL, 1, &out), -1);
	ck_assert_int_eq(markdown_comment(NULL, 1, &out), -1);
	ck_assert_int_eq(markdown_excerpt(NULL, 1, 10, &out), -1);
	ck_assert_uint_eq(out.len, 0);
	ck_assert_int_eq(markdown_article(NULL, 0, &out), 0);
	ck_assert_uint_eq(out.len, 0);
}
END_TEST

START_TEST(test_markdown_appends)
{
	buf_reset(&out);
	buf_puts(&out, "X");
	ck_assert_int_eq(markdown_article("*a*", 3, &out), 0);
	ck_assert_str_eq(out.ptr, "X<p><em>a</em></p>\n");
}
END_TEST

START_TEST(test_markdown_comment_links_nofollow)
{
	const char	*h = comment("[a](https://example.com/ \"T\") "
	    "www.example.org <https://x.y/>");

	ck_assert_ptr_nonnull(strstr(h, "<a href=\"https://example.com/\" "
	    "title=\"T\" rel=\"nofollow ugc\">a</a>"));
	ck_assert_ptr_nonnull(strstr(h, "<a href=\"http://www.example.org\" "
	    "rel=\"nofollow ugc\">www.example.org</a>"));
	ck_assert_ptr_nonnull(strstr(h, "<a href=\"https://x.y/\" "
	    "rel=\"nofollow ugc\">https://x.y/</a>"));
}
END_TEST

START_TEST(test_markdown_comment_every_link_nofollow)
{
	const char	*h = comment("[a](/x) [b](/y \"q\") [c][r] "
	    "*[d](/z)*\n\n[r]: /w\n");
	const char	*p;
	int		 links = 0;

	for (p = h; (p = strstr(p, "<a ")) != NULL; p++) {
		const char *end = strchr(p, '>');

		ck_assert_ptr_nonnull(end);
		ck_assert_msg(strstr(p, " rel=\"nofollow ugc\">") ==
		    end - strlen(" rel=\"nofollow ugc\""), "%s", h);
		links++;
	}
	ck_assert_int_eq(links, 4);
}
END_TEST

START_TEST(test_markdown_comment_url_rules)
{
	const char	*h = comment("[a](javascript:alert(1)) [b](DATA:x) "
	    "[c]( vbscript:x) [d](&#106;avascript:x) [ok](/fine)");

	assert_neutralised(h);
	ck_assert_ptr_nonnull(strstr(h, "<a href=\"/fine\" "
	    "rel=\"nofollow ugc\">ok</a>"));
	ck_assert_ptr_nonnull(strstr(h, "<p>a b c d "));
}
END_TEST

START_TEST(test_markdown_comment_link_attributes_escaped)
{
	const char	*h = comment("[a](/x?a=1&b=\"2\"<> \"t\\\"<>'&\")");

	ck_assert_ptr_nonnull(strstr(h, "href=\"/x?a=1&amp;b=%222%22%3C%3E\""));
	ck_assert_ptr_nonnull(strstr(h,
	    "title=\"t&quot;&lt;&gt;&#39;&amp;\""));
}
END_TEST

START_TEST(test_markdown_comment_heading_is_paragraph)
{
	const char	*h = comment("# Big\n\nSetext\n---\n\n***\n");

	ck_assert(strstr(h, "<h") == NULL);
	ck_assert(strstr(h, "<hr") == NULL);
	ck_assert_str_eq(h, "<p>Big</p>\n<p>Setext</p>\n");
}
END_TEST

START_TEST(test_markdown_comment_image_is_link_or_text)
{
	const char	*h;

	h = comment("![alt *x*](https://x/i.png)");
	ck_assert(strstr(h, "<img") == NULL);
	ck_assert_str_eq(h, "<p><a href=\"https://x/i.png\" "
	    "rel=\"nofollow ugc\">alt <em>x</em></a></p>\n");
	h = comment("![bad](data:image/png;base64,x)");
	ck_assert_str_eq(h, "<p>bad</p>\n");
	h = comment("[![in](https://x/i.png)](https://y/)");
	ck_assert(strstr(h, "<img") == NULL);
	ck_assert_str_eq(h, "<p><a href=\"https://y/\" "
	    "rel=\"nofollow ugc\">in</a></p>\n");
}
END_TEST

START_TEST(test_markdown_comment_no_nested_links)
{
	const char	*h = comment("![a [b](/c) d](/e)");
	const char	*first = strstr(h, "<a ");

	ck_assert_ptr_nonnull(first);
	ck_assert(strstr(first + 1, "<a ") == NULL);
	ck_assert_str_eq(h, "<p><a href=\"/e\" rel=\"nofollow ugc\">"
	    "a b d</a></p>\n");
}
END_TEST

START_TEST(test_markdown_comment_table_not_rendered)
{
	const char	*h = comment("| a | b |\n|---|---|\n| 1 | 2 |\n");

	ck_assert(strstr(h, "<table") == NULL);
	ck_assert(strstr(h, "<td") == NULL);
	ck_assert_ptr_nonnull(strstr(h, "<p>| a | b |"));
}
END_TEST

START_TEST(test_markdown_comment_raw_html_is_text)
{
	const char	*h;

	h = comment("<script>alert(1)</script>\n");
	ck_assert(!contains_ci(h, "<script"));
	ck_assert_str_eq(h, "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
	h = comment("a <b onclick=x>b</b> <img src=x onerror=alert(1)>");
	ck_assert(strstr(h, "<b") == NULL);
	ck_assert(strstr(h, "<img") == NULL);
	ck_assert_msg(!has_event_attr(h), "%s", h);
	ck_assert_ptr_nonnull(strstr(h, "a &lt;b onclick=x&gt;b&lt;/b&gt; "));
}
END_TEST

START_TEST(test_markdown_comment_subset_kept)
{
	const char	*h = comment("*e* **s** `c`\n\n> q\n\n- l\n\n"
	    "```\ncode <x>\n```\n~~no~~ - [ ] no");

	ck_assert_ptr_nonnull(strstr(h, "<em>e</em> <strong>s</strong> "
	    "<code>c</code>"));
	ck_assert_ptr_nonnull(strstr(h, "<blockquote>\n<p>q</p>"));
	ck_assert_ptr_nonnull(strstr(h, "<ul>\n<li>l</li>"));
	ck_assert_ptr_nonnull(strstr(h, "<pre><code>code &lt;x&gt;\n"));
	ck_assert(strstr(h, "<del>") == NULL);
	ck_assert(strstr(h, "<input") == NULL);
}
END_TEST

START_TEST(test_markdown_excerpt_short_unchanged)
{
	ck_assert_str_eq(excerpt("Hello world.", 100), "Hello world.");
	ck_assert_str_eq(excerpt("Hello world.", 12), "Hello world.");
}
END_TEST

START_TEST(test_markdown_excerpt_markup_removed)
{
	ck_assert_str_eq(excerpt("# Title\n\nSome *em* and **strong**,\n"
	    "`code`, [a link](/x), <b>raw</b> &amp; ![alt](/i.png).\n\n"
	    "Second.", 200),
	    "Some em and strong, code, a link, raw & alt.");
}
END_TEST

START_TEST(test_markdown_excerpt_cut_at_word)
{
	/* "The quick brown fox" is 19 bytes; "…" is 3. */
	ck_assert_str_eq(excerpt("The quick brown fox", 18),
	    "The quick brown\xe2\x80\xa6");
	ck_assert_str_eq(excerpt("The quick brown fox", 17),
	    "The quick\xe2\x80\xa6");
	/* exactly at a word end */
	ck_assert_str_eq(excerpt("The quick brown fox", 12),
	    "The quick\xe2\x80\xa6");
	ck_assert_str_eq(excerpt("The quick brown fox", 11),
	    "The\xe2\x80\xa6");
}
END_TEST

START_TEST(test_markdown_excerpt_long_word_cut)
{
	ck_assert_str_eq(excerpt("abcdefghij", 8), "abcde\xe2\x80\xa6");
	ck_assert_str_eq(excerpt("abcdefghij", 3), "");
}
END_TEST

START_TEST(test_markdown_excerpt_multibyte)
{
	/* "日本語" is 9 bytes; each character 3. */
	const char	*h;

	h = excerpt("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 8);
	ck_assert_str_eq(h, "\xe6\x97\xa5\xe2\x80\xa6");
	h = excerpt("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 7);
	ck_assert_str_eq(h, "\xe6\x97\xa5\xe2\x80\xa6");
	h = excerpt("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 5);
	ck_assert_str_eq(h, "");
	/* "ab é" then more: never half of é */
	for (size_t max = 4; max < 12; max++) {
		h = excerpt("ab\xc3\xa9\xc3\xa9\xc3\xa9 cd", max);
		ck_assert(strlen(h) <= max);
		ck_assert_msg(util_is_utf8(h, strlen(h)), "max %zu", max);
	}
}
END_TEST

START_TEST(test_markdown_excerpt_whitespace_and_none)
{
	ck_assert_str_eq(excerpt("  a\n  b\t\tc  \n", 50), "a b c");
	ck_assert_str_eq(excerpt("# Only a heading\n", 50), "");
	ck_assert_str_eq(excerpt("", 50), "");
	ck_assert_str_eq(excerpt("> - quoted item\n", 50), "quoted item");
}
END_TEST

Suite *
markdown_suite(void)
{
	Suite	*s = suite_create("markdown");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_markdown_article_table);
	tcase_add_test(tc, test_markdown_article_strikethrough);
	tcase_add_test(tc, test_markdown_article_autolinks);
	tcase_add_test(tc, test_markdown_article_task_list_disabled);
	tcase_add_test(tc, test_markdown_article_script_never_raw);
	tcase_add_test(tc, test_markdown_article_img_onerror_dropped);
	tcase_add_test(tc, test_markdown_article_javascript_link);
	tcase_add_test(tc, test_markdown_article_javascript_mixed_case);
	tcase_add_test(tc, test_markdown_article_javascript_leading_space);
	tcase_add_test(tc, test_markdown_article_javascript_entity);
	tcase_add_test(tc, test_markdown_article_data_link);
	tcase_add_test(tc, test_markdown_article_data_image);
	tcase_add_test(tc, test_markdown_article_vbscript_and_file);
	tcase_add_test(tc, test_markdown_article_reference_link_checked);
	tcase_add_test(tc, test_markdown_article_no_event_attributes);
	tcase_add_test(tc, test_markdown_event_attr_checker);
	tcase_add_test(tc, test_markdown_article_relative_and_https_kept);
	tcase_add_test(tc, test_markdown_url_is_safe);
	tcase_add_test(tc, test_markdown_article_invalid_utf8_replaced);
	tcase_add_test(tc, test_markdown_null_input);
	tcase_add_test(tc, test_markdown_appends);
	tcase_add_test(tc, test_markdown_comment_links_nofollow);
	tcase_add_test(tc, test_markdown_comment_every_link_nofollow);
	tcase_add_test(tc, test_markdown_comment_url_rules);
	tcase_add_test(tc, test_markdown_comment_link_attributes_escaped);
	tcase_add_test(tc, test_markdown_comment_heading_is_paragraph);
	tcase_add_test(tc, test_markdown_comment_image_is_link_or_text);
	tcase_add_test(tc, test_markdown_comment_no_nested_links);
	tcase_add_test(tc, test_markdown_comment_table_not_rendered);
	tcase_add_test(tc, test_markdown_comment_raw_html_is_text);
	tcase_add_test(tc, test_markdown_comment_subset_kept);
	tcase_add_test(tc, test_markdown_excerpt_short_unchanged);
	tcase_add_test(tc, test_markdown_excerpt_markup_removed);
	tcase_add_test(tc, test_markdown_excerpt_cut_at_word);
	tcase_add_test(tc, test_markdown_excerpt_long_word_cut);
	tcase_add_test(tc, test_markdown_excerpt_multibyte);
	tcase_add_test(tc, test_markdown_excerpt_whitespace_and_none);
	suite_add_tcase(s, tc);
	return s;
}
