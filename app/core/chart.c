/*
 * chart: SVG bar, stacked-bar and line charts, written into a buf and
 * copied to the request's arena.  Layout is fixed (a 640 x 280 viewBox
 * that CSS scales); the y axis gets round steps from chart_ticks().  All
 * caller text goes through xml_put(), which escapes markup characters and
 * replaces control characters and invalid UTF-8, so the output is always
 * well-formed XML.  Owns no state.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "chart.h"

#define W		640
#define H		280
#define PLOT_L		56.0
#define PLOT_R		(W - 16.0)
#define PLOT_T		36.0
#define PLOT_B		(H - 52.0)
#define LABEL_W		46.0	/* room one x label needs, in user units */

/* Fallback colours (Okabe-Ito, safe for colour blindness) when no CSS. */
static const char *const palette[CHART_SERIES_MAX] = {
	"#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9"
};

/*
 * s as XML character data or attribute text: &<>"' escaped, control
 * characters as spaces, invalid UTF-8 as U+FFFD.  NULL writes nothing.
 */
static void
xml_put(struct buf *b, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;

	if (s == NULL)
		return;
	while (*p != '\0') {
		size_t	 n = 0;

		switch (*p) {
		case '&':	buf_puts(b, "&amp;");	p++;	continue;
		case '<':	buf_puts(b, "&lt;");	p++;	continue;
		case '>':	buf_puts(b, "&gt;");	p++;	continue;
		case '"':	buf_puts(b, "&quot;");	p++;	continue;
		case '\'':	buf_puts(b, "&#39;");	p++;	continue;
		default:	break;
		}
		if (*p < 0x20 || *p == 0x7f) {
			buf_putc(b, ' ');
			p++;
			continue;
		}
		if (*p < 0x80)
			n = 1;
		else if (*p >= 0xc2 && *p <= 0xdf)
			n = 2;
		else if (*p >= 0xe0 && *p <= 0xef)
			n = 3;
		else if (*p >= 0xf0 && *p <= 0xf4)
			n = 4;
		for (size_t i = 1; i < n; i++)
			if ((p[i] & 0xc0) != 0x80)
				n = 0;		/* also stops at the NUL */
		if (n == 0) {
			buf_puts(b, "\xef\xbf\xbd");
			p++;
			continue;
		}
		buf_append(b, p, n);
		p += n;
	}
}

/* The id with anything but [A-Za-z0-9_-] dropped, into out. */
static void
clean_id(char *out, size_t outlen, const char *id)
{
	size_t	 k = 0;

	for (; id != NULL && *id != '\0' && k + 1 < outlen; id++)
		if ((*id >= 'a' && *id <= 'z') || (*id >= 'A' && *id <= 'Z') ||
		    (*id >= '0' && *id <= '9') || *id == '-' || *id == '_')
			out[k++] = *id;
	out[k] = '\0';
}

void
chart_ticks(long long max, long long *step, long long *top)
{
	static const long long	 nice[] = { 1, 2, 5 };
	long long		 scale = 1;

	*step = 1;
	*top = 1;
	if (max <= 0)
		return;
	/* The smallest nice step that covers max in at most 5 steps. */
	for (;;) {
		for (size_t i = 0; i < sizeof(nice) / sizeof(nice[0]); i++) {
			long long	 s = nice[i] * scale;

			if (s >= (max + 4) / 5) {
				*step = s;
				*top = (max + s - 1) / s * s;
				return;
			}
		}
		if (scale > INT64_MAX / 100)
			break;
		scale *= 10;
	}
	*step = max;
	*top = max;
}

static long long
value(const struct chart *c, size_t s, size_t x)
{
	long long	 v = c->series[s].values != NULL ?
	    c->series[s].values[x] : 0;

	return v < 0 ? 0 : v;
}

/* The largest value, or the largest column sum for stacked bars. */
static long long
max_value(const struct chart *c)
{
	long long	 max = 0;

	for (size_t x = 0; x < c->nx; x++) {
		long long	 sum = 0;

		for (size_t s = 0; s < c->nseries; s++) {
			long long	 v = value(c, s, x);

			if (c->kind == CHART_STACKED)
				sum = v > INT64_MAX - sum ? INT64_MAX : sum + v;
			else if (v > sum)
				sum = v;
		}
		if (sum > max)
			max = sum;
	}
	return max;
}

/* The <desc>: every value in words, for screen readers. */
static void
put_desc(struct buf *b, const struct chart *c, const char *idattr)
{
	buf_printf(b, "<desc%s%s%s>", *idattr ? " id=\"" : "", idattr,
	    *idattr ? "-desc\"" : "");
	xml_put(b, c->title);
	if (c->nx == 0 || c->nseries == 0) {
		buf_puts(b, ": no data.</desc>");
		return;
	}
	buf_puts(b, ".");
	for (size_t s = 0; s < c->nseries; s++) {
		buf_puts(b, " ");
		xml_put(b, c->series[s].name);
		buf_puts(b, ":");
		for (size_t x = 0; x < c->nx; x++) {
			buf_puts(b, x == 0 ? " " : ", ");
			xml_put(b, c->labels != NULL ? c->labels[x] : NULL);
			buf_printf(b, " %lld", value(c, s, x));
		}
		buf_puts(b, ".");
	}
	buf_puts(b, "</desc>");
}

static void
put_legend(struct buf *b, const struct chart *c)
{
	double	 x = PLOT_L;

	buf_puts(b, "<g class=\"chart-legend\">");
	for (size_t s = 0; s < c->nseries; s++) {
		const char	*name = c->series[s].name != NULL ?
		    c->series[s].name : "";

		buf_printf(b, "<rect class=\"series-%zu\" x=\"%.1f\" y=\"8\" "
		    "width=\"12\" height=\"12\" fill=\"%s\"/>", s, x,
		    palette[s]);
		buf_printf(b, "<text class=\"chart-text\" x=\"%.1f\" y=\"18\" "
		    "font-size=\"12\" fill=\"currentColor\">", x + 16);
		xml_put(b, name);
		buf_puts(b, "</text>");
		x += 16 + 7.0 * (double)strlen(name) + 16;
	}
	buf_puts(b, "</g>");
}

static void
put_axes(struct buf *b, const struct chart *c, long long step, long long top)
{
	double	 ph = PLOT_B - PLOT_T;

	buf_puts(b, "<g class=\"chart-y\">");
	for (long long t = 0; t <= top; t += step) {
		double	 y = PLOT_B - ph * (double)t / (double)top;

		buf_printf(b, "<line class=\"chart-grid\" x1=\"%.1f\" "
		    "y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#d0d4da\"/>",
		    PLOT_L, y, PLOT_R, y);
		buf_printf(b, "<text class=\"chart-text\" x=\"%.1f\" y=\"%.1f\" "
		    "font-size=\"11\" text-anchor=\"end\" fill=\"currentColor\">"
		    "%lld</text>", PLOT_L - 6, y + 4, t);
		if (t > top - step)
			break;
	}
	buf_puts(b, "</g>");
	buf_printf(b, "<line class=\"chart-axis\" x1=\"%.1f\" y1=\"%.1f\" "
	    "x2=\"%.1f\" y2=\"%.1f\" stroke=\"currentColor\"/>",
	    PLOT_L, PLOT_T, PLOT_L, PLOT_B);
	buf_printf(b, "<line class=\"chart-axis\" x1=\"%.1f\" y1=\"%.1f\" "
	    "x2=\"%.1f\" y2=\"%.1f\" stroke=\"currentColor\"/>",
	    PLOT_L, PLOT_B, PLOT_R, PLOT_B);
	if (c->y_title != NULL) {
		buf_printf(b, "<text class=\"chart-text chart-axis-title\" "
		    "x=\"14\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\" "
		    "fill=\"currentColor\" transform=\"rotate(-90 14 %.1f)\">",
		    (PLOT_T + PLOT_B) / 2, (PLOT_T + PLOT_B) / 2);
		xml_put(b, c->y_title);
		buf_puts(b, "</text>");
	}
	if (c->x_title != NULL) {
		buf_printf(b, "<text class=\"chart-text chart-axis-title\" "
		    "x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" "
		    "fill=\"currentColor\">", (PLOT_L + PLOT_R) / 2, H - 8);
		xml_put(b, c->x_title);
		buf_puts(b, "</text>");
	}
}

static void
put_x_labels(struct buf *b, const struct chart *c)
{
	double	 slot = (PLOT_R - PLOT_L) / (double)c->nx;
	size_t	 fit = (size_t)((PLOT_R - PLOT_L) / LABEL_W), every;

	every = fit == 0 ? c->nx : (c->nx + fit - 1) / fit;
	if (every == 0)
		every = 1;
	buf_puts(b, "<g class=\"chart-x\">");
	for (size_t x = 0; x < c->nx; x++) {
		/* Thin from the right, so the newest label always shows. */
		if ((c->nx - 1 - x) % every != 0 || c->labels == NULL)
			continue;
		buf_printf(b, "<text class=\"chart-text\" x=\"%.1f\" y=\"%.1f\" "
		    "font-size=\"11\" text-anchor=\"middle\" "
		    "fill=\"currentColor\">", PLOT_L + slot * ((double)x + 0.5),
		    PLOT_B + 16);
		xml_put(b, c->labels[x]);
		buf_puts(b, "</text>");
	}
	buf_puts(b, "</g>");
}

/* The tooltip of a bar or a point: "label, series: value". */
static void
put_tip(struct buf *b, const struct chart *c, size_t s, size_t x)
{
	xml_put(b, c->labels != NULL ? c->labels[x] : NULL);
	buf_puts(b, ", ");
	xml_put(b, c->series[s].name);
	buf_printf(b, ": %lld", value(c, s, x));
}

static void
put_bar(struct buf *b, const struct chart *c, size_t s, size_t x,
    double bx, double by, double bw, double bh)
{
	buf_printf(b, "<rect class=\"series-%zu\" x=\"%.1f\" y=\"%.1f\" "
	    "width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>", s, bx, by,
	    bw, bh, palette[s]);
	put_tip(b, c, s, x);
	buf_puts(b, "</title></rect>");
}

static void
put_data(struct buf *b, const struct chart *c, long long top)
{
	double	 slot = (PLOT_R - PLOT_L) / (double)c->nx;
	double	 ph = PLOT_B - PLOT_T;

	buf_puts(b, "<g class=\"chart-data\">");
	switch (c->kind) {
	case CHART_STACKED:
		for (size_t x = 0; x < c->nx; x++) {
			double	 y = PLOT_B;

			for (size_t s = 0; s < c->nseries; s++) {
				double	 h = ph * (double)value(c, s, x) /
				    (double)top;

				if (h <= 0)
					continue;
				y -= h;
				put_bar(b, c, s, x, PLOT_L + slot * ((double)x +
				    0.15), y, slot * 0.7, h);
			}
		}
		break;
	case CHART_LINE:
		for (size_t s = 0; s < c->nseries; s++) {
			buf_printf(b, "<polyline class=\"series-%zu chart-line\" "
			    "fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
			    "points=\"", s, palette[s]);
			for (size_t x = 0; x < c->nx; x++)
				buf_printf(b, "%s%.1f,%.1f", x ? " " : "",
				    PLOT_L + slot * ((double)x + 0.5), PLOT_B -
				    ph * (double)value(c, s, x) / (double)top);
			buf_puts(b, "\"/>");
			for (size_t x = 0; x < c->nx; x++) {
				buf_printf(b, "<circle class=\"series-%zu\" "
				    "cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\">"
				    "<title>", s, PLOT_L + slot * ((double)x +
				    0.5), PLOT_B - ph * (double)value(c, s, x) /
				    (double)top, palette[s]);
				put_tip(b, c, s, x);
				buf_puts(b, "</title></circle>");
			}
		}
		break;
	case CHART_BARS:
	default:
		for (size_t x = 0; x < c->nx; x++)
			for (size_t s = 0; s < c->nseries; s++) {
				double	 bw = slot * 0.8 / (double)c->nseries;
				double	 h = ph * (double)value(c, s, x) /
				    (double)top;

				if (h <= 0)
					continue;
				put_bar(b, c, s, x, PLOT_L + slot * ((double)x +
				    0.1) + bw * (double)s, PLOT_B - h, bw, h);
			}
		break;
	}
	buf_puts(b, "</g>");
}

char *
chart_svg(struct arena *a, const struct chart *c)
{
	struct chart	 cc = *c;
	struct buf	 b;
	char		 id[64], *out;
	long long	 step, top;
	bool		 empty;

	if (cc.nseries > CHART_SERIES_MAX)
		cc.nseries = CHART_SERIES_MAX;
	empty = cc.nx == 0 || cc.nseries == 0;
	clean_id(id, sizeof(id), cc.id);
	chart_ticks(empty ? 0 : max_value(&cc), &step, &top);

	buf_init(&b);
	buf_printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"chart-svg\" role=\"img\" viewBox=\"0 0 %d %d\"", W, H);
	if (*id != '\0')
		buf_printf(&b, " id=\"%s\" aria-labelledby=\"%s-title "
		    "%s-desc\"", id, id, id);
	buf_puts(&b, "><title");
	if (*id != '\0')
		buf_printf(&b, " id=\"%s-title\"", id);
	buf_puts(&b, ">");
	xml_put(&b, cc.title);
	buf_puts(&b, "</title>");
	put_desc(&b, &cc, id);
	put_legend(&b, &cc);
	put_axes(&b, &cc, step, top);
	if (empty)
		buf_printf(&b, "<text class=\"chart-text chart-empty\" "
		    "x=\"%.1f\" y=\"%.1f\" font-size=\"14\" "
		    "text-anchor=\"middle\" fill=\"currentColor\">No data"
		    "</text>", (PLOT_L + PLOT_R) / 2, (PLOT_T + PLOT_B) / 2);
	else {
		put_x_labels(&b, &cc);
		put_data(&b, &cc, top);
	}
	buf_puts(&b, "</svg>");
	out = arena_strndup(a, b.ptr, b.len);
	buf_free(&b);
	return out;
}
