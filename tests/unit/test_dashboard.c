/*
 * test_dashboard: app/site/dashboard.c, the admin index's charts: which
 * rows each one counts, and into which bucket, on a fresh database.
 */
#include <string.h>
#include <time.h>

#include "core/db.h"
#include "core/metrics.h"
#include "core/render.h"
#include "fixture.h"
#include "site/site.h"

Suite	*dashboard_suite(void);

static struct fixture_db	 fdb;
static struct req		 r;

static void
setup(void)
{
	fixture_req_open(&fdb, &r, false, &fixture_wide_limits);
}

static void
teardown(void)
{
	fixture_req_close(&fdb, &r);
}

/* "DD Mon" of Unix time t, as the charts label days and weeks. */
static const char *
day_label(char *s, size_t n, int64_t t)
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	gmtime_r(&tt, &tm);
	strftime(s, n, "%d %b", &tm);
	return s;
}

static const char *
svg(int i)
{
	char		 name[64];
	const char	*s;

	snprintf(name, sizeof(name), "Dashboard.charts.%d.svg", i);
	ck_assert_ptr_nonnull(s = render_get(&r, name));
	return s;
}

static void
article(const char *slug, const char *kind, const char *status,
    long long publish_at)
{
	static const char	*sql_a =
	    "INSERT INTO articles (slug, title, kind, status, publish_at,"
	    "    created_at, updated_at) VALUES (?1, 'T', ?2, ?3, ?4, 0, 0)";
	sqlite3_stmt		*st;

	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(), sql_a, -1, &st,
	    NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, publish_at);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

START_TEST(test_dashboard_sets_four_charts)
{
	site_dashboard(&r);
	ck_assert(!r.failed);
	for (int i = 0; i < 4; i++) {
		char	 name[64];

		ck_assert(strncmp(svg(i), "<svg ", 5) == 0);
		snprintf(name, sizeof(name), "Dashboard.charts.%d.title", i);
		ck_assert_ptr_nonnull(render_get(&r, name));
	}
	ck_assert_ptr_null(render_get(&r, "Dashboard.charts.4.svg"));
	ck_assert(fixture_has(svg(0), "role=\"img\""));
}
END_TEST

START_TEST(test_dashboard_counts_published_articles_by_week)
{
	long long	 now = (long long)time(NULL);
	char		 l[32], tip[96];

	article("a1", "article", "published", now);
	article("a2", "article", "published", now);
	article("a3", "article", "published", now - 7 * 86400);
	article("p1", "page", "published", now - 1);		/* a page */
	article("d1", "article", "draft", now - 1);		/* a draft */
	article("f1", "article", "published", now + 7200);	/* future */
	article("o1", "article", "published", now - 100 * 86400);  /* old */
	site_dashboard(&r);
	ck_assert(!r.failed);
	/* This week's bucket starts on a Monday at or before now. */
	(void)day_label(l, sizeof(l), (now - 4 * 86400) / 604800 * 604800 +
	    4 * 86400);
	snprintf(tip, sizeof(tip), "<title>%s, Published: 2</title>", l);
	ck_assert_msg(fixture_has(svg(0), tip), "%s", tip);
	(void)day_label(l, sizeof(l), (now - 4 * 86400) / 604800 * 604800 +
	    4 * 86400 - 604800);
	snprintf(tip, sizeof(tip), "<title>%s, Published: 1</title>", l);
	ck_assert_msg(fixture_has(svg(0), tip), "%s", tip);
	ck_assert_int_eq(fixture_has(svg(0), ", Published: 1</title>") +
	    fixture_has(svg(0), ", Published: 2</title>"), 2);
}
END_TEST

START_TEST(test_dashboard_counts_comments_by_day_and_status)
{
	static const char	*sql_c =
	    "INSERT INTO comments (article_id, author_name, body, body_html,"
	    "    status, created_at, updated_at)"
	    " SELECT ?1, 'n', 'b', 'b', CASE ?2 WHEN 0 THEN 'spam'"
	    "   WHEN 1 THEN 'approved' ELSE 'pending' END, ?3, 0";
	long long	 now = (long long)time(NULL), id;
	char		 l[32], tip[96];

	article("a1", "article", "published", 1);
	id = fixture_sql("SELECT id FROM articles", 0);
	fixture_sql(sql_c, 3, id, 0LL, now);
	fixture_sql(sql_c, 3, id, 0LL, now);
	fixture_sql(sql_c, 3, id, 1LL, now);
	fixture_sql(sql_c, 3, id, 2LL, now - 86400);
	fixture_sql(sql_c, 3, id, 2LL, now - 30 * 86400);	/* too old */
	site_dashboard(&r);
	ck_assert(!r.failed);
	snprintf(tip, sizeof(tip), "<title>%s, Spam: 2</title>",
	    day_label(l, sizeof(l), now));
	ck_assert_msg(fixture_has(svg(1), tip), "%s", tip);
	snprintf(tip, sizeof(tip), "<title>%s, Approved: 1</title>", l);
	ck_assert(fixture_has(svg(1), tip));
	snprintf(tip, sizeof(tip), "<title>%s, Pending: 1</title>",
	    day_label(l, sizeof(l), now - 86400));
	ck_assert(fixture_has(svg(1), tip));
	ck_assert(fixture_has(svg(1), "class=\"series-3\""));	/* legend */
}
END_TEST

START_TEST(test_dashboard_counts_signups_by_week)
{
	long long	 now = (long long)time(NULL);

	fixture_sql("INSERT INTO users (username, email, date_joined)"
	    " VALUES ('a', 'a@example.org', ?1), ('b', 'b@example.org', ?1),"
	    " ('c', 'c@example.org', ?2)", 2, now, now - 200 * 86400);
	site_dashboard(&r);
	ck_assert(!r.failed);
	ck_assert(fixture_has(svg(2), ", Signups: 2</title>"));
	ck_assert(!fixture_has(svg(2), ", Signups: 1</title>"));
}
END_TEST

START_TEST(test_dashboard_charts_the_shared_metrics)
{
	ck_assert_int_eq(metrics_init(), 0);
	metrics_clear();
	metrics_record(200, 1);
	metrics_record(200, 1);
	metrics_record(502, 1);
	metrics_record(404, 1);
	site_dashboard(&r);
	ck_assert(!r.failed);
	ck_assert(fixture_has(svg(3), ", Requests: 4</title>"));
	ck_assert(fixture_has(svg(3), ", Server errors (5xx): 1</title>"));
	ck_assert(fixture_has(svg(3), ", Client errors (4xx): 1</title>"));
	metrics_clear();
}
END_TEST

Suite *
dashboard_suite(void)
{
	Suite	*s = suite_create("dashboard");
	TCase	*tc = tcase_create("dashboard");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_dashboard_sets_four_charts);
	tcase_add_test(tc, test_dashboard_counts_published_articles_by_week);
	tcase_add_test(tc, test_dashboard_counts_comments_by_day_and_status);
	tcase_add_test(tc, test_dashboard_counts_signups_by_week);
	tcase_add_test(tc, test_dashboard_charts_the_shared_metrics);
	suite_add_tcase(s, tc);
	return s;
}
