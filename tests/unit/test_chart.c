/*
 * test_chart: app/core/chart.c, the dashboard's SVG charts: structure,
 * escaping, y-axis steps, empty and all-zero data, proportional bars.
 * (libxml2 is not linked here; tests/e2e checks the page with xmllint.)
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/chart.h"
#include "fixture.h"

Suite	*chart_suite(void);

static struct arena	 a;

static void
setup(void)
{
	arena_init(&a, 4096);
}

static void
teardown(void)
{
	arena_free(&a);
}

/* How many times needle occurs in s. */
static int
count(const char *s, const char *needle)
{
	int	 n = 0;

	for (const char *p = s; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/*
 * Every '<' opens a tag that ends with '>' before the next '<'; each
 * element used is self-closed or balanced by its end tag; '&' only starts
 * an entity; no style attribute (the CSP forbids them).
 */
static void
assert_well_formed(const char *svg)
{
	static const char *const elems[] = {
		"svg", "title", "desc", "g", "text", "rect", "line", "polyline",
		"circle"
	};
	char	 close[32];

	ck_assert(strncmp(svg, "<svg ", 5) == 0);
	ck_assert(strcmp(svg + strlen(svg) - 6, "</svg>") == 0);
	for (const char *p = svg; *p != '\0'; p++) {
		if (*p == '<') {
			const char	*gt = strchr(p, '>');
			const char	*lt = strchr(p + 1, '<');

			ck_assert_ptr_nonnull(gt);
			ck_assert(lt == NULL || gt < lt);
		}
		if (*p == '&')
			ck_assert(strncmp(p, "&amp;", 5) == 0 ||
			    strncmp(p, "&lt;", 4) == 0 ||
			    strncmp(p, "&gt;", 4) == 0 ||
			    strncmp(p, "&quot;", 6) == 0 ||
			    strncmp(p, "&#39;", 5) == 0);
	}
	for (size_t i = 0; i < NELEM(elems); i++) {
		size_t	 len = strlen(elems[i]);
		int	 opens = 0;

		for (const char *p = svg; (p = strchr(p, '<')) != NULL; p++) {
			const char	*gt;

			if (strncmp(p + 1, elems[i], len) != 0 ||
			    (p[len + 1] != ' ' && p[len + 1] != '>'))
				continue;
			gt = strchr(p, '>');
			if (gt[-1] != '/')
				opens++;
		}
		snprintf(close, sizeof(close), "</%s>", elems[i]);
		ck_assert_int_eq(opens, count(svg, close));
	}
	ck_assert(strstr(svg, "style=") == NULL);
}

static const char *const three[] = { "a", "b", "c" };

START_TEST(test_chart_ticks_are_round)
{
	static const struct { long long max, step, top; } cases[] = {
		{ 0, 1, 1 }, { -3, 1, 1 }, { 1, 1, 1 }, { 4, 1, 4 },
		{ 5, 1, 5 }, { 6, 2, 6 }, { 7, 2, 8 }, { 10, 2, 10 },
		{ 11, 5, 15 }, { 99, 20, 100 }, { 101, 50, 150 },
		{ 1000000, 200000, 1000000 },
	};
	long long	 step, top;

	for (size_t i = 0; i < NELEM(cases); i++) {
		chart_ticks(cases[i].max, &step, &top);
		ck_assert_int_eq(step, cases[i].step);
		ck_assert_int_eq(top, cases[i].top);
		ck_assert_int_le(top / step, 5);
	}
}
END_TEST

START_TEST(test_chart_y_axis_shows_each_tick)
{
	static const long long	 v[] = { 0, 7, 3 };
	struct chart	 c = { .title = "T", .kind = CHART_BARS,
	    .labels = three, .nx = 3, .nseries = 1 };
	const char	*svg;

	c.series[0] = (struct chart_series){ "S", v };
	svg = chart_svg(&a, &c);
	assert_well_formed(svg);
	ck_assert(fixture_has(svg, ">0</text>"));
	ck_assert(fixture_has(svg, ">2</text>"));
	ck_assert(fixture_has(svg, ">4</text>"));
	ck_assert(fixture_has(svg, ">6</text>"));
	ck_assert(fixture_has(svg, ">8</text>"));
	ck_assert(!fixture_has(svg, ">10</text>"));
	ck_assert_int_eq(count(svg, "class=\"chart-grid\""), 5);
}
END_TEST

START_TEST(test_chart_escapes_every_text)
{
	static const long long	 v[] = { 1, 2, 3 };
	static const char *const bad[] = { "<b>&\"x'", "b", "c" };
	struct chart	 c = { .id = "x\" onload=\"y", .title = "<T&>",
	    .x_title = "\"x\"", .y_title = "<y>", .kind = CHART_BARS,
	    .labels = bad, .nx = 3, .nseries = 1 };
	const char	*svg;

	c.series[0] = (struct chart_series){ "<script>", v };
	svg = chart_svg(&a, &c);
	assert_well_formed(svg);
	ck_assert(!fixture_has(svg, "<b>"));
	ck_assert(!fixture_has(svg, "<script>"));
	ck_assert(!fixture_has(svg, "<T"));
	ck_assert(!fixture_has(svg, "onload=\""));
	ck_assert(fixture_has(svg, "&lt;b&gt;&amp;&quot;x&#39;"));
	ck_assert(fixture_has(svg, "&lt;script&gt;"));
	ck_assert(fixture_has(svg, "<title id=\"xonloady-title\">"
	    "&lt;T&amp;&gt;</title>"));
}
END_TEST

START_TEST(test_chart_replaces_control_and_bad_utf8)
{
	static const long long	 v[] = { 1 };
	static const char *const l[] = { "a\001b\xff\xc3" };
	struct chart	 c = { .title = "caf\xc3\xa9", .kind = CHART_LINE,
	    .labels = l, .nx = 1, .nseries = 1 };
	const char	*svg;

	c.series[0] = (struct chart_series){ "S", v };
	svg = chart_svg(&a, &c);
	assert_well_formed(svg);
	ck_assert(fixture_has(svg, "caf\xc3\xa9"));
	ck_assert(fixture_has(svg, "a b\xef\xbf\xbd\xef\xbf\xbd"));
	ck_assert(!fixture_has(svg, "\001"));
}
END_TEST

START_TEST(test_chart_is_accessible)
{
	static const long long	 v[] = { 3, 5, 0 };
	struct chart	 c = { .id = "chart-a", .title = "Articles per week",
	    .x_title = "Week", .y_title = "Articles", .kind = CHART_BARS,
	    .labels = three, .nx = 3, .nseries = 1 };
	const char	*svg;

	c.series[0] = (struct chart_series){ "Published", v };
	svg = chart_svg(&a, &c);
	assert_well_formed(svg);
	ck_assert(fixture_has(svg, "role=\"img\""));
	ck_assert(fixture_has(svg, "aria-labelledby=\"chart-a-title "
	    "chart-a-desc\""));
	ck_assert(fixture_has(svg, "<title id=\"chart-a-title\">Articles per "
	    "week</title>"));
	ck_assert(fixture_has(svg, "<desc id=\"chart-a-desc\">Articles per "
	    "week. Published: a 3, b 5, c 0.</desc>"));
	ck_assert(fixture_has(svg, "class=\"chart-legend\""));
	ck_assert(fixture_has(svg, ">Published</text>"));
	ck_assert(fixture_has(svg, ">Week</text>"));
	ck_assert(fixture_has(svg, ">Articles</text>"));
	ck_assert(fixture_has(svg, "class=\"series-0\""));
}
END_TEST

START_TEST(test_chart_empty_says_no_data)
{
	struct chart	 c = { .title = "Nothing", .kind = CHART_BARS };
	const char	*svg;

	svg = chart_svg(&a, &c);
	assert_well_formed(svg);
	ck_assert(fixture_has(svg, ">No data</text>"));
	ck_assert(fixture_has(svg, "<desc>Nothing: no data.</desc>"));
	c.nx = 3;
	c.labels = three;		/* labels but no series */
	svg = chart_svg(&a, &c);
	assert_well_formed(svg);
	ck_assert(fixture_has(svg, ">No data</text>"));
}
END_TEST

START_TEST(test_chart_all_zero_draws_axis_and_no_bars)
{
	static const long long	 v[] = { 0, 0, 0 };
	struct chart	 c = { .title = "Z", .kind = CHART_STACKED,
	    .labels = three, .nx = 3, .nseries = 2 };
	const char	*svg;

	c.series[0] = (struct chart_series){ "A", v };
	c.series[1] = (struct chart_series){ "B", v };
	svg = chart_svg(&a, &c);
	assert_well_formed(svg);
	ck_assert(fixture_has(svg, ">0</text>"));
	ck_assert(fixture_has(svg, ">1</text>"));
	ck_assert(!fixture_has(svg, "NaN") && !fixture_has(svg, "nan"));
	ck_assert(!fixture_has(svg, "<title>a, A"));	/* no bar tooltips */
	ck_assert(fixture_has(svg, "A: a 0, b 0, c 0."));
	c.kind = CHART_LINE;
	svg = chart_svg(&a, &c);
	assert_well_formed(svg);
	ck_assert(!fixture_has(svg, "nan"));
}
END_TEST

/* The heights of the bars of series s, in order, into h (the legend's
 * swatches, which are self-closed, left out); returns how many. */
static size_t
bar_heights(const char *svg, size_t s, double *h, size_t max)
{
	char		 pat[64];
	size_t		 n = 0;

	snprintf(pat, sizeof(pat), "<rect class=\"series-%zu\" ", s);
	for (const char *p = svg; (p = strstr(p, pat)) != NULL && n < max;
	    p++) {
		const char	*gt = strchr(p, '>');
		const char	*hp = strstr(p, "height=\"");

		if (gt[-1] == '/')
			continue;
		ck_assert(hp != NULL && hp < gt);
		ck_assert_int_eq(sscanf(hp, "height=\"%lf\"", &h[n]), 1);
		n++;
	}
	return n;
}

START_TEST(test_chart_bars_are_proportional)
{
	static const long long	 v[] = { 1, 2, 4 };
	struct chart	 c = { .title = "P", .kind = CHART_BARS,
	    .labels = three, .nx = 3, .nseries = 1 };
	double		 h[8];

	c.series[0] = (struct chart_series){ "S", v };
	ck_assert_uint_eq(bar_heights(chart_svg(&a, &c), 0, h, 8), 3);
	ck_assert_double_eq_tol(h[1], 2 * h[0], 0.11);
	ck_assert_double_eq_tol(h[2], 4 * h[0], 0.11);
	ck_assert_double_eq_tol(h[2], 280 - 52 - 36, 0.11);	/* top 4 */
}
END_TEST

START_TEST(test_chart_stacks_add_up)
{
	static const long long	 v0[] = { 1, 3, 0 };
	static const long long	 v1[] = { 3, 1, 2 };
	struct chart	 c = { .title = "S", .kind = CHART_STACKED,
	    .labels = three, .nx = 3, .nseries = 2 };
	const char	*svg;
	double		 h0[8], h1[8];

	c.series[0] = (struct chart_series){ "A", v0 };
	c.series[1] = (struct chart_series){ "B", v1 };
	svg = chart_svg(&a, &c);
	assert_well_formed(svg);
	ck_assert_uint_eq(bar_heights(svg, 0, h0, 8), 2);	/* 0: none */
	ck_assert_uint_eq(bar_heights(svg, 1, h1, 8), 3);
	/* Column sums 4, 4, 2 over an axis to 4. */
	ck_assert_double_eq_tol(h0[0] + h1[0], 192, 0.11);
	ck_assert_double_eq_tol(h0[1] + h1[1], 192, 0.11);
	ck_assert_double_eq_tol(h1[2], 96, 0.11);
	ck_assert(fixture_has(svg, "<title>b, A: 3</title>"));
}
END_TEST

START_TEST(test_chart_line_has_a_point_per_value)
{
	static const long long	 v[] = { 0, 5, 10, 5 };
	static const char *const l[] = { "0h", "1h", "2h", "3h" };
	struct chart	 c = { .title = "L", .kind = CHART_LINE,
	    .labels = l, .nx = 4, .nseries = 1 };
	const char	*svg, *pts;

	c.series[0] = (struct chart_series){ "R", v };
	svg = chart_svg(&a, &c);
	assert_well_formed(svg);
	ck_assert_ptr_nonnull(pts = strstr(svg, "points=\""));
	/* x at slot centres of 568/4, y from the bottom 228 to the top 36. */
	ck_assert(strncmp(pts, "points=\"127.0,228.0 269.0,132.0 411.0,36.0 "
	    "553.0,132.0\"", strlen("points=\"127.0,228.0 269.0,132.0 "
	    "411.0,36.0 553.0,132.0\"")) == 0);
	ck_assert(fixture_has(svg, "fill=\"none\""));
	ck_assert_int_eq(count(svg, "<circle "), 4);
	ck_assert(fixture_has(svg, "<title>2h, R: 10</title></circle>"));
}
END_TEST

START_TEST(test_chart_thins_crowded_labels)
{
	long long	 v[48] = { 0 };
	const char	*l[48];
	char		 names[48][16];
	struct chart	 c = { .title = "H", .kind = CHART_LINE,
	    .labels = l, .nx = 48, .nseries = 1 };
	const char	*svg;

	for (int i = 0; i < 48; i++) {
		snprintf(names[i], sizeof(names[i]), "h%02d", i);
		l[i] = names[i];
		v[i] = i;
	}
	c.series[0] = (struct chart_series){ "R", v };
	svg = chart_svg(&a, &c);
	assert_well_formed(svg);
	ck_assert(fixture_has(svg, ">h47</text>"));	/* newest shown */
	ck_assert(!fixture_has(svg, ">h46</text>"));
	ck_assert(fixture_has(svg, "h46 46"));		/* but in the desc */
}
END_TEST

Suite *
chart_suite(void)
{
	Suite	*s = suite_create("chart");
	TCase	*tc = tcase_create("chart");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_chart_ticks_are_round);
	tcase_add_test(tc, test_chart_y_axis_shows_each_tick);
	tcase_add_test(tc, test_chart_escapes_every_text);
	tcase_add_test(tc, test_chart_replaces_control_and_bad_utf8);
	tcase_add_test(tc, test_chart_is_accessible);
	tcase_add_test(tc, test_chart_empty_says_no_data);
	tcase_add_test(tc, test_chart_all_zero_draws_axis_and_no_bars);
	tcase_add_test(tc, test_chart_bars_are_proportional);
	tcase_add_test(tc, test_chart_stacks_add_up);
	tcase_add_test(tc, test_chart_line_has_a_point_per_value);
	tcase_add_test(tc, test_chart_thins_crowded_labels);
	suite_add_tcase(s, tc);
	return s;
}
