/*
 * dashboard: the charts of the admin index.  Counts articles published
 * per week, comments per day by status, signups per week (from the
 * database) and requests and errors per hour (from core/metrics), and
 * hands each to core/chart as SVG.  Every query counts one bucket's
 * range of an indexed column, so the cost follows the rows of the last
 * weeks, not the size of the table (0010_dashboard.sql adds the indexes
 * it needs).
 * Weeks start on Monday; days, weeks and hours are UTC.
 */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "core/chart.h"
#include "core/db.h"
#include "core/http.h"
#include "core/metrics.h"
#include "core/render.h"
#include "core/util.h"
#include "site/site.h"

#define DAY		86400
#define WEEK		(7 * DAY)
#define MONDAY		(4 * DAY)	/* 1970-01-05, the first Monday */
#define WEEKS		12
#define DAYS		14
#define HOURS		24

/* The comment statuses, in the order of the chart's series and of the
 * columns of chart_comments()'s query. */
static const char *const comment_status_name[] = {
	"Pending", "Approved", "Spam", "Trash"
};

/* Label of the bucket starting at t: "02 Nov" or "14:00" (UTC). */
static const char *
label(struct req *r, int64_t t, const char *fmt)
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;
	char		 s[32];

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(s, sizeof(s), fmt, &tm) == 0)
		return "";
	return arena_strdup(r->arena, s);
}

static const char **
labels(struct req *r, int64_t from, int64_t width, size_t n, const char *fmt)
{
	const char	**l = arena_alloc(r->arena, n * sizeof(*l));

	for (size_t i = 0; i < n; i++)
		l[i] = label(r, from + (int64_t)i * width, fmt);
	return l;
}

/*
 * Run sql, which counts rows with ?1 <= t < ?2 in ncols columns, over the
 * n ranges [from + i * width, from + (i + 1) * width), each clipped to
 * t < end; column k of range i goes to cols[k][i].  One range scan of an
 * index per bucket and no GROUP BY: grouping by a computed bucket sorts
 * every row of the range in a temporary B-tree, which made the whole
 * dashboard take 9.9 ms instead of 4.4 ms with 1.2 million comments.
 */
static void
count_ranges(struct req *r, const char *sql, int64_t from, int64_t width,
    int64_t end, size_t n, int ncols, long long **cols)
{
	sqlite3_stmt	*st;

	if ((st = db_stmt(r, sql)) == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		int64_t	 lo = from + (int64_t)i * width, hi = lo + width;

		if (hi > end)
			hi = end;
		if (lo >= hi)
			break;
		db_bind_int64(r, st, 1, lo);
		db_bind_int64(r, st, 2, hi);
		if (db_step(r, st) == SQLITE_ROW)
			for (int k = 0; k < ncols; k++)
				cols[k][i] = sqlite3_column_int64(st, k);
		db_done(r, st);
		if (r->failed)
			break;
	}
}

static void
set_chart(struct req *r, int i, const struct chart *c)
{
	struct render_node	*n = render_node(r, "Dashboard.charts.%d", i);

	render_node_set(r, n, "id", c->id);
	render_node_set(r, n, "title", c->title);
	render_node_set(r, n, "svg", chart_svg(r->arena, c));
}

/* A bar chart of the last WEEKS weeks' counts by sql (see count_ranges),
 * the last week stopping at now, as chart slot. */
static void
chart_weekly(struct req *r, int slot, const char *sql, const char *id,
    const char *title, const char *y_title, const char *series,
    int64_t now, int64_t this_week)
{
	struct chart	 c;
	long long	*v = arena_zalloc(r->arena, WEEKS * sizeof(*v));
	int64_t		 from = this_week - (WEEKS - 1) * WEEK;

	count_ranges(r, sql, from, WEEK, now + 1, WEEKS, 1, &v);
	memset(&c, 0, sizeof(c));
	c.id = id;
	c.title = title;
	c.x_title = "Week starting (UTC)";
	c.y_title = y_title;
	c.kind = CHART_BARS;
	c.labels = labels(r, from, WEEK, WEEKS, "%d %b");
	c.nx = WEEKS;
	c.series[0] = (struct chart_series){ series, v };
	c.nseries = 1;
	set_chart(r, slot, &c);
}

/*
 * Articles by publish_at, not created_at: the week an article reached
 * readers.  Published ones only, pages left out, none in the future
 * (the last range stops at now).  Index articles_kind (kind, status,
 * publish_at) covers it.
 */
static void
chart_articles(struct req *r, int64_t now, int64_t this_week)
{
	static const char sql[] =
	    "SELECT count(*) FROM articles"
	    " WHERE kind = 'article' AND status = 'published'"
	    "   AND publish_at >= ?1 AND publish_at < ?2";

	chart_weekly(r, 0, sql, "chart-articles", "Articles published per "
	    "week, last 12 weeks", "Articles", "Published", now, this_week);
}

/*
 * Comments by created_at, one column per status (in the order of
 * comment_status[]): index comments_created (created_at, status) of
 * 0010 covers it.
 */
static void
chart_comments(struct req *r, int64_t now, int64_t today)
{
	static const char sql[] =
	    "SELECT sum(status = 'pending'), sum(status = 'approved'),"
	    "       sum(status = 'spam'), sum(status = 'trash')"
	    "  FROM comments WHERE created_at >= ?1 AND created_at < ?2";
	struct chart	 c;
	long long	*v[NELEM(comment_status_name)];
	int64_t		 from = today - (DAYS - 1) * DAY;

	memset(&c, 0, sizeof(c));
	for (size_t s = 0; s < NELEM(comment_status_name); s++) {
		v[s] = arena_zalloc(r->arena, DAYS * sizeof(*v[s]));
		c.series[s] = (struct chart_series){ comment_status_name[s],
		    v[s] };
	}
	c.nseries = NELEM(comment_status_name);
	count_ranges(r, sql, from, DAY, now + 1, DAYS,
	    (int)NELEM(comment_status_name), v);
	c.id = "chart-comments";
	c.title = "Comments per day by status, last 14 days";
	c.x_title = "Day (UTC)";
	c.y_title = "Comments";
	c.kind = CHART_STACKED;
	c.labels = labels(r, from, DAY, DAYS, "%d %b");
	c.nx = DAYS;
	set_chart(r, 1, &c);
}

/* Signups by users.date_joined: index users_date_joined (0010). */
static void
chart_signups(struct req *r, int64_t now, int64_t this_week)
{
	static const char sql[] =
	    "SELECT count(*) FROM users"
	    " WHERE date_joined >= ?1 AND date_joined < ?2";

	chart_weekly(r, 2, sql, "chart-signups", "Signups per week, last 12 "
	    "weeks", "Accounts", "Signups", now, this_week);
}

/* From the counters every worker shares: no SQL. */
static void
chart_requests(struct req *r)
{
	struct metrics_hour	 h[HOURS];
	struct chart		 c;
	long long		*req = arena_zalloc(r->arena, HOURS * sizeof(*req));
	long long		*err = arena_zalloc(r->arena, HOURS * sizeof(*err));
	long long		*cli = arena_zalloc(r->arena, HOURS * sizeof(*cli));
	const char		**l = arena_alloc(r->arena, HOURS * sizeof(*l));
	size_t			 n;

	n = metrics_hourly(h, HOURS);
	for (size_t i = 0; i < n; i++) {
		req[i] = (long long)h[i].requests;
		err[i] = (long long)h[i].errors;
		cli[i] = (long long)h[i].client_errors;
		l[i] = label(r, h[i].start, "%H:00");
	}
	memset(&c, 0, sizeof(c));
	c.id = "chart-requests";
	c.title = "Requests and errors per hour, last 24 hours";
	c.x_title = "Hour starting (UTC)";
	c.y_title = "Requests";
	c.kind = CHART_LINE;
	c.labels = l;
	c.nx = n;
	c.series[0] = (struct chart_series){ "Requests", req };
	c.series[1] = (struct chart_series){ "Server errors (5xx)", err };
	c.series[2] = (struct chart_series){ "Client errors (4xx)", cli };
	c.nseries = 3;
	set_chart(r, 3, &c);
}

/*
 * The admin index's hook: sets Dashboard.charts.N.{id,title,svg} for
 * N = 0..3 (svg is markup chart_svg() made; the template prints it
 * unescaped).  A database error fails r like any query.
 */
void
site_dashboard(struct req *r)
{
	int64_t	 now = util_wall_us() / 1000000;
	int64_t	 this_week = (now - MONDAY) / WEEK * WEEK + MONDAY;

	chart_articles(r, now, this_week);
	chart_comments(r, now, now / DAY * DAY);
	chart_signups(r, now, this_week);
	chart_requests(r);
}
