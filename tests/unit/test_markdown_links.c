/*
 * test_markdown_links: markdown_comment_nolinks() in app/core/markdown.c,
 * the preview of a comment held for moderation: the comment's Markdown
 * with every link, autolink and image unwrapped to its text, and
 * everything else as markdown_comment() renders it.  Its one TCase
 * runs in the comment suite (test_comment.c), the module it serves.
 */
#include <string.h>

#include "core/buf.h"
#include "core/markdown.h"
#include "fixture.h"

TCase	*markdown_links_tcase(void);

static struct buf	 out, ref;

static void
setup(void)
{
	buf_init(&out);
	buf_init(&ref);
}

static void
teardown(void)
{
	buf_free(&out);
	buf_free(&ref);
}

static const char *
nolinks(const char *md)
{
	buf_reset(&out);
	ck_assert_int_eq(markdown_comment_nolinks(md, strlen(md), &out), 0);
	return out.ptr != NULL ? out.ptr : "";
}

/* markdown_comment() of md, to compare with. */
static const char *
comment(const char *md)
{
	buf_reset(&ref);
	ck_assert_int_eq(markdown_comment(md, strlen(md), &ref), 0);
	return ref.ptr != NULL ? ref.ptr : "";
}

START_TEST(test_nolinks_link_keeps_its_text_only)
{
	ck_assert_str_eq(nolinks("See [my *site*](https://spam.example/ "
	    "\"Title\") now."), "<p>See my <em>site</em> now.</p>\n");
	ck_assert(!fixture_has(out.ptr, "spam.example"));
}
END_TEST

START_TEST(test_nolinks_autolinks_stay_as_plain_text)
{
	const char *html = nolinks("Visit https://spam.example/x or "
	    "www.spam.example or mail me@spam.example or "
	    "<https://angle.example/>.");

	ck_assert(!fixture_has(html, "<a"));
	ck_assert(!fixture_has(html, "href"));
	ck_assert(fixture_has(html, "https://spam.example/x"));
	ck_assert(fixture_has(html, "www.spam.example"));
	ck_assert(fixture_has(html, "me@spam.example"));
	ck_assert(fixture_has(html, "https://angle.example/"));
}
END_TEST

START_TEST(test_nolinks_image_becomes_its_alt_text)
{
	ck_assert_str_eq(nolinks("![a cat](https://img.example/cat.png)"),
	    "<p>a cat</p>\n");
	ck_assert_str_eq(nolinks("[![inner](https://i.example/i.png)]"
	    "(https://l.example/)"), "<p>inner</p>\n");
}
END_TEST

START_TEST(test_nolinks_refused_urls_and_raw_html_stay_inert)
{
	const char *html = nolinks("[x](javascript:alert(1)) "
	    "<a href=\"https://raw.example/\">raw</a>");

	ck_assert(!fixture_has(html, "<a "));
	ck_assert(!fixture_has(html, "javascript:alert"));
	ck_assert(fixture_has(html, "&lt;a href=&quot;https://raw.example/"
	    "&quot;&gt;raw&lt;/a&gt;"));
}
END_TEST

START_TEST(test_nolinks_without_links_renders_as_a_comment)
{
	static const char *const mds[] = {
		"**strong** and _em_ and `code`",
		"> a quote\n\n- one\n- two\n",
		"# not a heading\n\n---\n\nafter",
		"line one  \nline two",
		"",
	};

	for (size_t i = 0; i < NELEM(mds); i++)
		ck_assert_str_eq(nolinks(mds[i]), comment(mds[i]));
}
END_TEST

START_TEST(test_nolinks_null_with_length_fails)
{
	buf_reset(&out);
	ck_assert_int_eq(markdown_comment_nolinks(NULL, 3, &out), -1);
	ck_assert_uint_eq(out.len, 0);
}
END_TEST

TCase *
markdown_links_tcase(void)
{
	TCase	*tc = tcase_create("markdown_links");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_nolinks_link_keeps_its_text_only);
	tcase_add_test(tc, test_nolinks_autolinks_stay_as_plain_text);
	tcase_add_test(tc, test_nolinks_image_becomes_its_alt_text);
	tcase_add_test(tc, test_nolinks_refused_urls_and_raw_html_stay_inert);
	tcase_add_test(tc, test_nolinks_without_links_renders_as_a_comment);
	tcase_add_test(tc, test_nolinks_null_with_length_fails);
	return tc;
}
