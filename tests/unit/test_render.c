/*
 * test_render: app/core/render.c with the repository's templates
 * (../../templates) and static files (../../static): autoescaping,
 * trusted HTML, error pages, template failures.
 *
 * Golden files: tests/golden/<name>.html hold whole pages, with the two
 * things that change by themselves (the year and the stylesheet's hash)
 * replaced by YEAR and HASH.  After a deliberate template change, rewrite
 * them with GAZETTE_TEST_GOLDEN_UPDATE=1 make unit and review the diff.
 */
#include <ClearSilver.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/config.h"
#include "core/http.h"
#include "core/render.h"
#include "fixture.h"

#define GOLDEN_DIR	FIXTURE_ROOT "/tests/golden"

static struct config	 cfg;
static struct req	 r;
static char		*tpldir;	/* for tests with their own templates */

static const char	 hostile[] = "<script>alert(\"x\")</script> & 'q'";

static void
configure(const char *templates)
{
	char	 err[1024];

	free(cfg.templates);
	cfg.templates = strdup(templates);
	ck_assert_msg(render_init(&cfg, err, sizeof(err)) == 0, "%s", err);
}

static void
setup(void)
{
	char	 err[1024];

	ck_assert_int_eq(config_load(&cfg, NULL, err, sizeof(err)), 0);
	free(cfg.static_dir);
	cfg.static_dir = strdup(FIXTURE_ROOT "/static");
	free(cfg.site_name);
	cfg.site_name = strdup("The Test Gazette");
	configure(FIXTURE_ROOT "/templates");
	req_init(&r, &fixture_limits);
	tpldir = NULL;
}

static void
teardown(void)
{
	render_reset(&r);
	req_free(&r);
	render_shutdown();
	config_free(&cfg);
	fixture_rmtree(tpldir);
	tpldir = NULL;
}

static const char *
out(void)
{
	return r.out.ptr != NULL ? r.out.ptr : "";
}

/* The article page with title and body_html. */
static int
render_article(const char *title, const char *body_html)
{
	render_set(&r, "Article.title", title);
	render_set(&r, "Article.excerpt", "An excerpt.");
	render_set(&r, "Article.body_html", body_html);
	render_set_date(&r, "Article.date", 0);
	render_set(&r, "Page.description", "An excerpt.");
	return render(&r, "site/article_show.cs");
}

/*
 * Make tpldir a template directory with nothing but a minimal layout
 * (render_init needs layout/base.cs).  0 or -1.
 */
static int
mkdir_layout(void)
{
	char	 path[4200];

	snprintf(path, sizeof(path), "%s/layout", tpldir);
	if (mkdir(path, 0755) != 0)
		return -1;
	fixture_write(tpldir, "layout/base.cs",
	    "<html><?cs call:page_content() ?></html>\n");
	return 0;
}

/* Replace every occurrence of from (in s, malloc'ed) by to. */
static char *
replace_all(char *s, const char *from, const char *to)
{
	size_t	 fl = strlen(from), tl = strlen(to), n = 0;
	char	*p, *res, *w;

	for (p = s; (p = strstr(p, from)) != NULL; p += fl)
		n++;
	res = malloc(strlen(s) + n * (tl > fl ? tl - fl : 0) + 1);
	for (p = s, w = res; *p != '\0'; ) {
		if (strncmp(p, from, fl) == 0) {
			memcpy(w, to, tl);
			w += tl;
			p += fl;
		} else
			*w++ = *p++;
	}
	*w = '\0';
	free(s);
	return res;
}

/* The output with YEAR and HASH for what changes by itself. */
static char *
normalised(void)
{
	char		 year[16];
	time_t		 t = time(NULL);
	struct tm	 tm;
	char		*s = strdup(out()), *p;

	gmtime_r(&t, &tm);
	snprintf(year, sizeof(year), "\xc2\xa9 %d ", tm.tm_year + 1900);
	s = replace_all(s, year, "\xc2\xa9 YEAR ");
	if ((p = strstr(s, "site.css?v=")) != NULL && strlen(p) >= 19)
		memcpy(p + 11, "HASHHASH", 8);
	return s;
}

static char *
slurp(const char *path)
{
	FILE	*f;
	char	*text = NULL;
	size_t	 len = 0;
	FILE	*m;
	int	 c;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	m = open_memstream(&text, &len);
	while ((c = getc(f)) != EOF)
		putc(c, m);
	fclose(m);
	fclose(f);
	return text;
}

/* Compare the (normalised) output with tests/golden/<name>.html. */
static void
check_golden(const char *name)
{
	char	 path[512];
	char	*got = normalised(), *want;
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s.html", GOLDEN_DIR, name);
	if (getenv("GAZETTE_TEST_GOLDEN_UPDATE") != NULL) {
		f = fopen(path, "w");
		ck_assert_msg(f != NULL, "cannot write %s: %s", path,
		    strerror(errno));
		fputs(got, f);
		fclose(f);
	}
	want = slurp(path);
	if (want == NULL) {
		free(got);
		ck_abort_msg("missing %s (GAZETTE_TEST_GOLDEN_UPDATE=1 writes it)",
		    path);
	}
	if (strcmp(got, want) != 0) {
		size_t	 i = 0;

		while (got[i] != '\0' && got[i] == want[i])
			i++;
		fprintf(stderr, "golden %s differs at byte %zu; got:\n%s\n",
		    path, i, got);
		free(got);
		free(want);
		ck_abort_msg("output differs from %s at byte %zu (after a "
		    "deliberate change: GAZETTE_TEST_GOLDEN_UPDATE=1 make unit)",
		    path, i);
	}
	free(got);
	free(want);
}

/* ---- escaping ------------------------------------------------------- */

START_TEST(test_render_escapes_title_html)
{
	ck_assert_int_eq(render_article(hostile, "<p>Body</p>"), HTTP_200);
	ck_assert(!req_failed(&r));
	ck_assert_msg(fixture_has(out(), "<h1>&lt;script&gt;alert("),
	    "%s", out());
	ck_assert(fixture_has(out(), "&lt;/script&gt;"));
	ck_assert(!fixture_has(out(), "<script>alert"));
	ck_assert(!fixture_has(out(), "<script"));
	ck_assert(!fixture_has(out(), "</script>"));
}
END_TEST

START_TEST(test_render_escapes_quotes_and_ampersand)
{
	ck_assert_int_eq(render_article(hostile, ""), HTTP_200);
	ck_assert(fixture_has(out(), "alert(&quot;x&quot;)"));
	ck_assert(fixture_has(out(), "&amp; &#39;q&#39;"));
	ck_assert(!fixture_has(out(), "'q'"));
	ck_assert(!fixture_has(out(), "\"x\""));
}
END_TEST

START_TEST(test_render_escapes_in_attributes)
{
	/* Page.description goes into <meta content="...">. */
	render_set(&r, "Page.description", "\" onload=\"alert(1)");
	render_set(&r, "Article.title", "T");
	ck_assert_int_eq(render(&r, "site/article_show.cs"), HTTP_200);
	ck_assert(fixture_has(out(),
	    "content=\"&quot; onload=&quot;alert(1)\""));
	ck_assert(!fixture_has(out(), "\" onload=\""));
}
END_TEST

START_TEST(test_render_escapes_site_name)
{
	free(cfg.site_name);
	cfg.site_name = strdup("A<b>&Co");
	configure(FIXTURE_ROOT "/templates");
	ck_assert_int_eq(render_article("T", ""), HTTP_200);
	ck_assert(fixture_has(out(), "A&lt;b&gt;&amp;Co"));
	ck_assert(!fixture_has(out(), "A<b>"));
}
END_TEST

START_TEST(test_render_body_html_is_trusted)
{
	static const char body[] =
	    "<p>First <em>para</em> &amp; <a href=\"/x/\">link</a>.</p>";

	ck_assert_int_eq(render_article("Title", body), HTTP_200);
	ck_assert_msg(fixture_has(out(), body), "%s", out());
}
END_TEST

START_TEST(test_render_article_page_matches_golden)
{
	ck_assert_int_eq(render_article(hostile,
	    "<p>Trusted <strong>body</strong>.</p>"), HTTP_200);
	check_golden("article_show_escaping");
}
END_TEST

/* ---- common values -------------------------------------------------- */

START_TEST(test_render_sets_common_values)
{
	ck_assert_int_eq(render_article("T", ""), HTTP_200);
	ck_assert(fixture_has(out(), "The Test Gazette"));
	ck_assert(fixture_has(out(), "/static/css/site.css?v="));
	ck_assert_str_eq(r.content_type, "text/html; charset=utf-8");
	ck_assert(fixture_has(out(), "<!DOCTYPE html>"));
}
END_TEST

START_TEST(test_render_css_url_carries_content_hash)
{
	const char	*p;

	ck_assert_int_eq(render_article("T", ""), HTTP_200);
	ck_assert_ptr_nonnull(p = strstr(out(), "site.css?v="));
	ck_assert_msg(strncmp(p + 11, "00000000", 8) != 0,
	    "hash of a readable file is not 0");
	for (int i = 0; i < 8; i++)
		ck_assert(strchr("0123456789abcdef", p[11 + i]) != NULL);
}
END_TEST

START_TEST(test_render_set_date_sets_human_and_iso)
{
	HDF	*h;

	render_set_date(&r, "X.when", 0);
	render_set_int(&r, "X.n", -42);
	h = (HDF *)r.hdf;
	ck_assert_str_eq(hdf_get_value(h, "X.when", ""), "1 January 1970");
	ck_assert_str_eq(hdf_get_value(h, "X.when_iso", ""),
	    "1970-01-01T00:00:00Z");
	ck_assert_str_eq(hdf_get_value(h, "X.n", ""), "-42");
}
END_TEST

/* ---- error pages ---------------------------------------------------- */

START_TEST(test_render_error_404_uses_layout)
{
	buf_puts(&r.out, "half a page");
	http_set_header(&r, "X-Handler", "1");
	ck_assert_int_eq(render_error(&r, 404), 404);
	ck_assert(fixture_has(out(), "404"));
	ck_assert(fixture_has(out(), "Not Found"));
	ck_assert(fixture_has(out(), "The Test Gazette"));
	ck_assert(fixture_has(out(), "<!DOCTYPE html>"));
	ck_assert(!fixture_has(out(), "half a page"));
	ck_assert_ptr_null(http_get_header(&r, "X-Handler"));
	ck_assert_str_eq(r.content_type, "text/html; charset=utf-8");
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_render_error_404_matches_golden)
{
	ck_assert_int_eq(render_error(&r, 404), 404);
	check_golden("error_404");
}
END_TEST

START_TEST(test_render_error_400_shows_detail_escaped)
{
	r.error_detail = "The 'page' must be <1000>.";
	ck_assert_int_eq(render_error(&r, 400), 400);
	ck_assert_msg(fixture_has(out(),
	    "The &#39;page&#39; must be &lt;1000&gt;."), "%s", out());
	ck_assert(fixture_has(out(), "400 Bad Request"));
}
END_TEST

START_TEST(test_render_error_400_without_detail_has_generic_message)
{
	ck_assert_int_eq(render_error(&r, 400), 400);
	ck_assert(fixture_has(out(), "could not be understood"));
}
END_TEST

START_TEST(test_render_error_500_says_nothing_internal)
{
	r.error_detail = "secret-detail-1234";
	r.request_id = "rid-77";
	req_fail(&r, 500, "sqlite step: no such table: secret_table "
	    "sql=SELECT * FROM secret_table");
	ck_assert_int_eq(render_error(&r, 500), 500);
	ck_assert(fixture_has(out(), "500 Internal Server Error"));
	ck_assert(fixture_has(out(), "Something went wrong"));
	ck_assert(fixture_has(out(), "rid-77"));	/* reference only */
	ck_assert(!fixture_has(out(), "secret"));
	ck_assert(!fixture_has(out(), "SELECT"));
	ck_assert(!fixture_has(out(), "sqlite"));
	ck_assert_int_eq(r.failed, 500);		/* still failed */
}
END_TEST

START_TEST(test_render_error_404_hides_request_id)
{
	r.request_id = "rid-404-xyz";
	ck_assert_int_eq(render_error(&r, 404), 404);
	ck_assert(!fixture_has(out(), "rid-404-xyz"));
}
END_TEST

START_TEST(test_render_error_405_lists_allowed_methods)
{
	r.allow = "GET, HEAD";
	ck_assert_int_eq(render_error(&r, 405), 405);
	ck_assert(fixture_has(out(), "This address accepts: GET, HEAD"));
}
END_TEST

START_TEST(test_render_error_503_asks_to_retry)
{
	ck_assert_int_eq(render_error(&r, 503), 503);
	ck_assert_str_eq(http_get_header(&r, "Retry-After"), "5");
	ck_assert(fixture_has(out(), "503 Service Unavailable"));
}
END_TEST

START_TEST(test_render_error_every_documented_status_renders)
{
	static const int statuses[] = { 400, 403, 404, 405, 413, 414, 500,
	    503 };

	for (size_t i = 0; i < NELEM(statuses); i++) {
		char	 want[64];

		render_reset(&r);	/* before req_reset forgets r.hdf */
		req_reset(&r);
		ck_assert_int_eq(render_error(&r, statuses[i]), statuses[i]);
		snprintf(want, sizeof(want), "<h1>%d %s</h1>", statuses[i],
		    http_reason(statuses[i]));
		ck_assert_msg(fixture_has(out(), want), "%d: %s", statuses[i],
		    out());
		ck_assert(!req_failed(&r));
	}
}
END_TEST

/* ---- failures ------------------------------------------------------- */

START_TEST(test_render_missing_template_fails_with_500)
{
	buf_puts(&r.out, "partial");
	ck_assert_int_eq(render(&r, "site/no_such_template.cs"), HTTP_500);
	ck_assert(req_failed(&r));
	ck_assert_int_eq(r.failed, 500);
	ck_assert_uint_eq(r.out.len, 0);
	/* The error page still renders afterwards. */
	ck_assert_int_eq(render_error(&r, 500), 500);
	ck_assert(fixture_has(out(), "500 Internal Server Error"));
}
END_TEST

START_TEST(test_render_broken_template_fails_with_500)
{
	tpldir = fixture_tmpdir();
	ck_assert_int_eq(mkdir_layout(), 0);
	/* (Not an unclosed "if": ClearSilver itself leaks 32 bytes on
	 * that one, in cs_parse_string.) */
	fixture_write(tpldir, "broken.cs", "<p><?cs var:x </p>");
	fixture_write(tpldir, "unknown.cs", "<?cs frobnicate:x ?>");
	configure(tpldir);
	ck_assert_int_eq(render(&r, "broken.cs"), HTTP_500);
	ck_assert_int_eq(r.failed, 500);
	ck_assert_uint_eq(r.out.len, 0);
	render_reset(&r);
	req_reset(&r);
	ck_assert_int_eq(render(&r, "unknown.cs"), HTTP_500);
	ck_assert_int_eq(r.failed, 500);
}
END_TEST

START_TEST(test_render_error_falls_back_to_plain_text)
{
	tpldir = fixture_tmpdir();
	ck_assert_int_eq(mkdir_layout(), 0);	/* no errors/error.cs */
	configure(tpldir);
	ck_assert_int_eq(render_error(&r, 404), 404);
	ck_assert_str_eq(out(), "404 Not Found\n");
	ck_assert_str_eq(r.content_type, "text/plain; charset=utf-8");
	/* The page is a 404 still, not a failed request. */
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_render_init_without_layout_fails)
{
	char	 err[1024];

	tpldir = fixture_tmpdir();
	free(cfg.templates);
	cfg.templates = strdup(tpldir);
	ck_assert_int_eq(render_init(&cfg, err, sizeof(err)), -1);
	ck_assert_msg(fixture_has(err, "layout/base.cs"), "%s", err);
	ck_assert_msg(fixture_has(err, tpldir), "%s", err);
}
END_TEST

/*
 * Parsed templates are cached per process (render.c) and rendered
 * against each request's HDF: nothing of one request may show in the
 * next.
 */
START_TEST(test_render_cached_template_keeps_no_request_data)
{
	ck_assert_int_eq(render_article("First title", "<p>first body</p>"),
	    HTTP_200);
	ck_assert(fixture_has(out(), "First title"));
	render_reset(&r);
	req_reset(&r);
	ck_assert_int_eq(render_article("Second title", "<p>second</p>"),
	    HTTP_200);
	ck_assert(fixture_has(out(), "Second title"));
	ck_assert(!fixture_has(out(), "First title"));
	ck_assert(!fixture_has(out(), "first body"));
}
END_TEST

/*
 * A render that fails half-way through a loop (lvar: of a broken
 * template text is a render-time error) must not leave the cached parse tree
 * pointing into that request's HDF, which render_reset() frees.
 */
START_TEST(test_render_cached_template_survives_failed_render)
{
	tpldir = fixture_tmpdir();
	ck_assert_int_eq(mkdir_layout(), 0);
	fixture_write(tpldir, "loop.cs",
	    "<?cs each:a = Items ?>[<?cs var:a ?>]<?cs if:Fail ?>"
	    "<?cs lvar:Fail ?><?cs /if ?><?cs /each ?>"
	    "after:<?cs var:a ?>.");
	configure(tpldir);
	render_set(&r, "Items.0", "one");
	render_set(&r, "Fail", "<?cs var:broken");
	ck_assert_int_eq(render(&r, "loop.cs"), HTTP_500);
	render_reset(&r);
	req_reset(&r);
	render_set(&r, "Items.0", "two");
	ck_assert_int_eq(render(&r, "loop.cs"), HTTP_200);
	ck_assert_str_eq(out(), "[two]after:.");
	render_reset(&r);
	req_reset(&r);
	ck_assert_int_eq(render(&r, "loop.cs"), HTTP_200);
	ck_assert_str_eq(out(), "after:.");
}
END_TEST

START_TEST(test_render_init_again_drops_cached_templates)
{
	ck_assert_int_eq(render_article("T", ""), HTTP_200);
	render_reset(&r);
	req_reset(&r);
	/* Same template name, another directory: the new file is used. */
	tpldir = fixture_tmpdir();
	ck_assert_int_eq(mkdir_layout(), 0);
	ck_assert_int_eq(mkdir(arena_printf(r.arena, "%s/site", tpldir),
	    0755), 0);
	fixture_write(tpldir, "site/article_show.cs", "other <?cs var:X ?>");
	configure(tpldir);
	render_set(&r, "X", "<x>");
	ck_assert_int_eq(render(&r, "site/article_show.cs"), HTTP_200);
	ck_assert_str_eq(out(), "other &lt;x&gt;");
}
END_TEST

START_TEST(test_render_many_templates_all_render)
{
	/* More templates than the cache holds: each still renders right. */
	tpldir = fixture_tmpdir();
	ck_assert_int_eq(mkdir_layout(), 0);
	for (int i = 0; i < 40; i++)
		fixture_write(tpldir, arena_printf(r.arena, "t%d.cs", i),
		    arena_printf(r.arena, "t%d:<?cs var:V ?>", i));
	configure(tpldir);
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 40; i++) {
			render_reset(&r);
			req_reset(&r);
			render_set(&r, "V", "v");
			ck_assert_int_eq(render(&r, arena_printf(r.arena,
			    "t%d.cs", i)), HTTP_200);
			ck_assert_str_eq(out(), arena_printf(r.arena, "t%d:v",
			    i));
		}
}
END_TEST

START_TEST(test_render_reset_drops_values)
{
	render_set(&r, "Article.title", "Kept?");
	render_reset(&r);
	ck_assert_ptr_null(r.hdf);
	ck_assert_int_eq(render(&r, "site/article_show.cs"), HTTP_200);
	ck_assert(!fixture_has(out(), "Kept?"));
	render_reset(&r);
	render_reset(&r);
}
END_TEST

Suite *
render_suite(void)
{
	Suite	*s = suite_create("render");
	TCase	*e = tcase_create("escape");
	TCase	*p = tcase_create("error_pages");
	TCase	*f = tcase_create("failures");

	tcase_add_checked_fixture(e, setup, teardown);
	tcase_add_test(e, test_render_escapes_title_html);
	tcase_add_test(e, test_render_escapes_quotes_and_ampersand);
	tcase_add_test(e, test_render_escapes_in_attributes);
	tcase_add_test(e, test_render_escapes_site_name);
	tcase_add_test(e, test_render_body_html_is_trusted);
	tcase_add_test(e, test_render_article_page_matches_golden);
	tcase_add_test(e, test_render_sets_common_values);
	tcase_add_test(e, test_render_css_url_carries_content_hash);
	tcase_add_test(e, test_render_set_date_sets_human_and_iso);
	suite_add_tcase(s, e);

	tcase_add_checked_fixture(p, setup, teardown);
	tcase_add_test(p, test_render_error_404_uses_layout);
	tcase_add_test(p, test_render_error_404_matches_golden);
	tcase_add_test(p, test_render_error_400_shows_detail_escaped);
	tcase_add_test(p,
	    test_render_error_400_without_detail_has_generic_message);
	tcase_add_test(p, test_render_error_500_says_nothing_internal);
	tcase_add_test(p, test_render_error_404_hides_request_id);
	tcase_add_test(p, test_render_error_405_lists_allowed_methods);
	tcase_add_test(p, test_render_error_503_asks_to_retry);
	tcase_add_test(p, test_render_error_every_documented_status_renders);
	suite_add_tcase(s, p);

	tcase_add_checked_fixture(f, setup, teardown);
	tcase_add_test(f, test_render_missing_template_fails_with_500);
	tcase_add_test(f, test_render_broken_template_fails_with_500);
	tcase_add_test(f, test_render_error_falls_back_to_plain_text);
	tcase_add_test(f, test_render_init_without_layout_fails);
	tcase_add_test(f, test_render_reset_drops_values);
	tcase_add_test(f, test_render_cached_template_keeps_no_request_data);
	tcase_add_test(f, test_render_cached_template_survives_failed_render);
	tcase_add_test(f, test_render_init_again_drops_cached_templates);
	tcase_add_test(f, test_render_many_templates_all_render);
	suite_add_tcase(s, f);
	return s;
}
