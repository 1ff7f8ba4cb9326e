/*
 * chart: small SVG charts (bars, stacked bars, lines) for the admin's
 * dashboard, rendered on the server so no script is needed.  Hand-written:
 * no library in Debian's archive renders SVG charts from C.
 *
 * The SVG is accessible on its own (role="img", <title>, a <desc> that
 * says every value in words, a legend, axis labels) and carries no style
 * attribute, since the Content-Security-Policy forbids inline styles:
 * colours are presentation attributes that the classes series-0 ..
 * series-4, chart-axis, chart-grid, chart-text override from admin.css
 * (dark mode included).  Every text from the caller is XML-escaped, so
 * the result may be inlined in a page with an escape: "none" block.
 * chart knows nothing of where the numbers come from.
 */
#ifndef GAZETTE_CHART_H
#define GAZETTE_CHART_H

#include <stddef.h>

struct arena;

#define CHART_SERIES_MAX	5

enum chart_kind {
	CHART_BARS,		/* one bar per series per x, side by side */
	CHART_STACKED,		/* series stacked in one bar per x */
	CHART_LINE,		/* one line per series, a dot per value */
	CHART__MAX
};

struct chart_series {
	const char		*name;		/* the legend's text */
	const long long		*values;	/* nx values, each >= 0 */
};

struct chart {
	const char		*id;		/* unique in the page, [a-z0-9-] */
	const char		*title;		/* <title> and the summary's head */
	const char		*x_title;	/* axis labels; NULL for none */
	const char		*y_title;
	enum chart_kind		 kind;
	const char *const	*labels;	/* nx labels of the x axis */
	size_t			 nx;
	struct chart_series	 series[CHART_SERIES_MAX];
	size_t			 nseries;	/* at most CHART_SERIES_MAX */
};

/*
 * The chart c as one <svg> element, NUL-terminated, in arena a (valid
 * until the arena is reset).  Never NULL.  Negative values count as 0.
 * No values at all (nx or nseries 0) gives a frame saying "No data".
 * Only every k-th x label is drawn when they would not fit; the <desc>
 * lists them all.
 */
char	*chart_svg(struct arena *a, const struct chart *c);

/*
 * The y axis for values up to max: a "nice" step (1, 2 or 5 times a power
 * of ten) and the top of the axis, a multiple of step >= max, with at most
 * 5 steps.  max <= 0 gives step 1, top 1.  (0..7: step 2, top 8.)
 */
void	 chart_ticks(long long max, long long *step, long long *top);

#endif
