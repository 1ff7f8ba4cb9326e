/*
 * test_article: app/site/article.c on a fresh database: article_save()
 * (slugs from titles and their collisions, validation, the public rule,
 * excerpts, safe bodies, tags, reserved page slugs, redirects of old
 * slugs), the public lists with their keyset and filters, the lookups,
 * cursors, and the content validator moving after a save.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/db.h"
#include "core/http.h"
#include "fixture.h"
#include "site/article.h"

Suite	*article_suite(void);

static struct fixture_db	 fdb;
static struct req		 r;

static void
setup(void)
{
	fixture_req_open(&fdb, &r, true, &fixture_wide_limits);
}

static void
teardown(void)
{
	fixture_req_close(&fdb, &r);
}

/* Save in; the id, failing the test if it is refused or fails. */
static int64_t
save_ok(const struct article_input *in)
{
	const char	*field = NULL, *error = NULL;
	int64_t		 id = article_save(&r, in, &field, &error);

	ck_assert_msg(id > 0, "article_save %s: %" PRId64 " (%s: %s)",
	    in->title != NULL ? in->title : "(null)", id,
	    field != NULL ? field : "", error != NULL ? error : "");
	ck_assert(!req_failed(&r));
	return id;
}

/* Save in expecting a refusal; the field refused. */
static const char *
save_refused(const struct article_input *in)
{
	const char	*field = NULL, *error = NULL;
	int64_t		 id = article_save(&r, in, &field, &error);

	ck_assert_msg(id == 0, "article_save %s: %" PRId64 ", want 0",
	    in->title != NULL ? in->title : "(null)", id);
	ck_assert_ptr_nonnull(field);
	ck_assert_ptr_nonnull(error);
	ck_assert(*error != '\0');
	ck_assert(!req_failed(&r));
	return field;
}

/* A published article titled title, published at (0: now). */
static int64_t
publish(const char *title, int64_t at, const char *tags)
{
	struct article_input	 in = { .title = title, .status = "published",
	    .body = "Body of the article.", .publish_at = at, .tags = tags,
	    .comments_open = -1 };

	return save_ok(&in);
}

static const char *
slug_of(int64_t id)
{
	struct article	*a = article_by_id(&r, id);

	ck_assert_ptr_nonnull(a);
	return a->slug;
}

static int64_t
now(void)
{
	return (int64_t)time(NULL);
}

/* ---- slugs ------------------------------------------------------------- */

START_TEST(test_article_save_makes_slug_from_unicode_title)
{
	int64_t	 id = publish("Crème brûlée in Zürich: ½ the price!", 0, NULL);

	ck_assert_str_eq(slug_of(id), "creme-brulee-in-zurich-the-price");
}
END_TEST

START_TEST(test_article_save_suffixes_colliding_slugs)
{
	int64_t	 a = publish("Same title", 0, NULL);
	int64_t	 b = publish("Same title", 0, NULL);
	int64_t	 c = publish("Same  title!", 0, NULL);

	ck_assert_str_eq(slug_of(a), "same-title");
	ck_assert_str_eq(slug_of(b), "same-title-2");
	ck_assert_str_eq(slug_of(c), "same-title-3");
}
END_TEST

START_TEST(test_article_save_title_without_latin_gets_article_id_slug)
{
	int64_t	 id = publish("Новости дня", 0, NULL);
	char	 want[32];

	snprintf(want, sizeof(want), "article-%" PRId64, id);
	ck_assert_str_eq(slug_of(id), want);
}
END_TEST

START_TEST(test_article_save_given_slug_is_checked_and_kept)
{
	struct article_input	 in = { .title = "Anything", .slug = "my-own",
	    .status = "draft", .comments_open = -1 };
	int64_t			 id = save_ok(&in);

	ck_assert_str_eq(slug_of(id), "my-own");
	in.slug = "Not A Slug";
	ck_assert_str_eq(save_refused(&in), "slug");
	in.slug = "trailing-";
	ck_assert_str_eq(save_refused(&in), "slug");
}
END_TEST

START_TEST(test_article_update_without_slug_keeps_it)
{
	int64_t			 id = publish("First title", 1000000, NULL);
	struct article_input	 in = { .id = id, .title = "A new title",
	    .status = "published", .comments_open = -1 };
	struct article		*a;

	ck_assert_int_eq(save_ok(&in), id);
	a = article_by_id(&r, id);
	ck_assert_str_eq(a->slug, "first-title");
	ck_assert_str_eq(a->title, "A new title");
	ck_assert_int_eq(a->publish_at, 1000000);	/* kept, not now */
}
END_TEST

START_TEST(test_article_slug_change_of_published_records_redirect)
{
	int64_t			 id = publish("Old name", 1000000, NULL);
	struct article_input	 in = { .id = id, .title = "Old name",
	    .slug = "new-name", .status = "published", .comments_open = -1 };

	ck_assert_ptr_null(article_redirect_slug(&r, "old-name"));
	save_ok(&in);
	ck_assert_str_eq(slug_of(id), "new-name");
	ck_assert_str_eq(article_redirect_slug(&r, "old-name"), "new-name");
	/* A second change: both old slugs lead to the current one. */
	in.slug = "newer-name";
	save_ok(&in);
	ck_assert_str_eq(article_redirect_slug(&r, "old-name"), "newer-name");
	ck_assert_str_eq(article_redirect_slug(&r, "new-name"), "newer-name");
	/* Back to the first: it answers itself, its redirect is gone. */
	in.slug = "old-name";
	save_ok(&in);
	ck_assert_ptr_null(article_redirect_slug(&r, "old-name"));
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM slug_redirects"
	    " WHERE old_slug = 'old-name'", 0), 0);
	ck_assert_str_eq(article_redirect_slug(&r, "newer-name"), "old-name");
}
END_TEST

START_TEST(test_article_slug_change_of_draft_records_nothing)
{
	struct article_input	 in = { .title = "Draft name",
	    .status = "draft", .comments_open = -1 };

	in.id = save_ok(&in);
	in.slug = "renamed-draft";
	save_ok(&in);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM slug_redirects",
	    0), 0);
}
END_TEST

START_TEST(test_article_redirect_needs_the_article_public)
{
	int64_t			 id = publish("Going away", 1000000, NULL);
	struct article_input	 in = { .id = id, .title = "Going away",
	    .slug = "gone-away", .status = "published", .comments_open = -1 };

	save_ok(&in);
	ck_assert_ptr_nonnull(article_redirect_slug(&r, "going-away"));
	in.status = "trash";
	save_ok(&in);
	ck_assert_ptr_null(article_redirect_slug(&r, "going-away"));
}
END_TEST

START_TEST(test_article_page_slugs_may_not_be_reserved)
{
	struct article_input	 in = { .kind = "page", .title = "Admin",
	    .slug = "admin", .status = "published", .comments_open = -1 };
	int64_t			 id;

	ck_assert_str_eq(save_refused(&in), "slug");
	in.slug = "__test";
	ck_assert_str_eq(save_refused(&in), "slug");
	/* Made from the title: it steps aside. */
	in.slug = NULL;
	in.title = "Search";
	id = save_ok(&in);
	ck_assert_str_eq(slug_of(id), "search-2");
	/* Articles live under /articles/: any slug will do. */
	in.kind = "article";
	in.slug = "search";
	id = save_ok(&in);
	ck_assert_str_eq(slug_of(id), "search");
	/* Made a page, it must step aside too. */
	in.id = id;
	in.kind = "page";
	in.slug = NULL;
	save_ok(&in);
	ck_assert_str_eq(slug_of(id), "search-3");
	ck_assert(article_slug_is_reserved("tags"));
	ck_assert(!article_slug_is_reserved("about"));
}
END_TEST

/* ---- validation ----------------------------------------------------------- */

START_TEST(test_article_save_refuses_bad_input_by_field)
{
	char			 longer[400];
	struct article_input	 in = { .title = "Fine", .status = "draft",
	    .comments_open = -1 };

	in.title = "   ";
	ck_assert_str_eq(save_refused(&in), "title");
	memset(longer, 'x', 301);
	longer[301] = '\0';
	in.title = longer;
	ck_assert_str_eq(save_refused(&in), "title");
	longer[300] = '\0';
	save_ok(&in);			/* exactly 300 characters */
	in.title = "Fine";
	in.status = "live";
	ck_assert_str_eq(save_refused(&in), "status");
	in.status = NULL;
	ck_assert_str_eq(save_refused(&in), "status");
	in.status = "draft";
	in.kind = "post";
	ck_assert_str_eq(save_refused(&in), "kind");
	in.kind = NULL;
	in.publish_at = -5;
	ck_assert_str_eq(save_refused(&in), "publish_at");
	in.publish_at = 0;
	in.id = 999999;
	ck_assert_str_eq(save_refused(&in), "id");
	in.id = 0;
	in.author_id = 999999;
	ck_assert_str_eq(save_refused(&in), "author");
	/* Nothing of the refused saves was written. */
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM articles", 0), 1);
}
END_TEST

START_TEST(test_article_title_counts_characters_not_bytes)
{
	char			 title[700];
	struct article_input	 in = { .status = "draft", .comments_open = -1 };

	title[0] = '\0';
	for (int i = 0; i < 300; i++)
		strcat(title, "é");		/* 600 bytes, 300 characters */
	in.title = title;
	save_ok(&in);
}
END_TEST

/* ---- the public rule ------------------------------------------------------- */

START_TEST(test_article_drafts_and_future_articles_are_not_public)
{
	struct article_input	 in = { .title = "Drafty", .status = "draft",
	    .comments_open = -1 };
	int64_t			 draft = save_ok(&in), future;
	struct article		*a;

	ck_assert_ptr_null(article_by_slug(&r, "drafty"));
	future = publish("Tomorrow", now() + 3600, NULL);
	ck_assert_ptr_null(article_by_slug(&r, "tomorrow"));
	a = article_by_id(&r, future);
	ck_assert(!article_is_public(a));
	/* Due: public without anything else being written. */
	fixture_sql("UPDATE articles SET publish_at = ?1 WHERE id = ?2", 2,
	    (long long)(now() - 1), (long long)future);
	a = article_by_slug(&r, "tomorrow");
	ck_assert_ptr_nonnull(a);
	ck_assert(article_is_public(a));
	ck_assert_ptr_nonnull(article_by_id(&r, draft));
	ck_assert(!article_is_public(article_by_id(&r, draft)));
}
END_TEST

START_TEST(test_article_scheduled_is_published_when_due)
{
	struct article_input	 in = { .title = "Planned",
	    .status = "scheduled", .comments_open = -1 };
	struct article		*a;

	ck_assert_str_eq(save_refused(&in), "publish_at");
	in.publish_at = now() + 3600;
	a = article_by_id(&r, save_ok(&in));
	ck_assert_str_eq(a->status, "published");
	ck_assert(!article_is_public(a));
	ck_assert_ptr_null(article_by_slug(&r, "planned"));
}
END_TEST

START_TEST(test_article_published_without_time_is_published_now)
{
	int64_t		 before = now();
	struct article	*a = article_by_id(&r, publish("Now", 0, NULL));

	ck_assert(a->publish_at >= before && a->publish_at <= now());
	ck_assert(article_is_public(a));
}
END_TEST

START_TEST(test_article_pages_are_not_articles)
{
	struct article_input	 in = { .kind = "page", .title = "About us",
	    .slug = "about", .status = "published", .comments_open = -1 };
	struct article		 out[5];
	int			 more;

	save_ok(&in);
	ck_assert_ptr_null(article_by_slug(&r, "about"));
	ck_assert_ptr_nonnull(article_page_by_slug(&r, "about"));
	ck_assert_int_eq(article_list_public(&r, NULL, NULL, out, 5, &more),
	    0);
	publish("An article", 0, NULL);
	ck_assert_ptr_null(article_page_by_slug(&r, "an-article"));
}
END_TEST

/* ---- excerpts and bodies ---------------------------------------------------- */

START_TEST(test_article_excerpt_made_from_first_paragraph)
{
	struct article_input	 in = { .title = "Excerpted",
	    .status = "draft", .comments_open = -1,
	    .body = "# Heading\n\nThe *first* paragraph.\n\nThe second." };
	int64_t			 id = save_ok(&in);

	ck_assert_str_eq(article_by_id(&r, id)->excerpt,
	    "The first paragraph.");
	ck_assert_int_eq(fixture_sql("SELECT excerpt_auto FROM articles"
	    " WHERE id = ?1", 1, (long long)id), 1);
}
END_TEST

START_TEST(test_article_written_excerpt_is_kept)
{
	struct article_input	 in = { .title = "Written", .status = "draft",
	    .comments_open = -1, .excerpt = "  My own words.  ",
	    .body = "The first paragraph." };
	int64_t			 id = save_ok(&in);

	ck_assert_str_eq(article_by_id(&r, id)->excerpt, "My own words.");
	ck_assert_int_eq(fixture_sql("SELECT excerpt_auto FROM articles"
	    " WHERE id = ?1", 1, (long long)id), 0);
}
END_TEST

START_TEST(test_article_long_first_paragraph_makes_short_excerpt)
{
	char			 body[2000];
	struct article_input	 in = { .title = "Long", .status = "draft",
	    .comments_open = -1, .body = body };
	struct article		*a;

	body[0] = '\0';
	for (int i = 0; i < 60; i++)
		strcat(body, "word word ");
	a = article_by_id(&r, save_ok(&in));
	ck_assert(strlen(a->excerpt) <= 300);
	ck_assert(fixture_has(a->excerpt, "…"));
}
END_TEST

START_TEST(test_article_body_html_is_safe)
{
	struct article_input	 in = { .title = "Hostile", .status = "draft",
	    .comments_open = -1, .body = "Hello <script>alert(1)</script>\n\n"
	    "<script>alert(2)</script>\n\n"
	    "[click](javascript:alert(3)) and <a href=\"javascript:x\">y</a>"
	    "\n\n<img src=x onerror=alert(4)>\n\n~~gone~~ https://example.org" };
	struct article		*a = article_by_id(&r, save_ok(&in));

	ck_assert(!fixture_has(a->body_html, "<script"));
	ck_assert(!fixture_has(a->body_html, "javascript:"));
	ck_assert(!fixture_has(a->body_html, "onerror"));
	ck_assert(fixture_has(a->body_html, "click"));
	ck_assert(fixture_has(a->body_html, "<del>gone</del>"));
	ck_assert(fixture_has(a->body_html, "href=\"https://example.org\""));
	ck_assert_str_eq(a->body, in.body);
}
END_TEST

/* ---- tags --------------------------------------------------------------- */

START_TEST(test_article_tags_created_deduplicated_and_replaced)
{
	int64_t			 id = publish("Tagged", 0,
	    " Food & Drink, travel ,Travel,, TRAVEL ,");
	struct article		*a = article_by_id(&r, id);
	struct article_input	 in = { .id = id, .title = "Tagged",
	    .status = "published", .tags = "History", .comments_open = -1 };

	ck_assert_uint_eq(a->ntags, 2);
	ck_assert_str_eq(a->tags[0].name, "Food & Drink");
	ck_assert_str_eq(a->tags[0].slug, "food-and-drink");
	ck_assert_str_eq(a->tags[1].name, "travel");
	ck_assert_ptr_nonnull(tag_by_slug(&r, "travel"));
	save_ok(&in);
	a = article_by_id(&r, id);
	ck_assert_uint_eq(a->ntags, 1);
	ck_assert_str_eq(a->tags[0].slug, "history");
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM tags", 0), 3);
	/* NULL keeps them; "" removes them. */
	in.tags = NULL;
	save_ok(&in);
	ck_assert_uint_eq(article_by_id(&r, id)->ntags, 1);
	in.tags = "";
	save_ok(&in);
	ck_assert_uint_eq(article_by_id(&r, id)->ntags, 0);
}
END_TEST

START_TEST(test_article_tags_reuse_existing_whatever_the_case)
{
	int64_t	 a = publish("One", 0, "Travel");
	int64_t	 b = publish("Two", 0, "TRAVEL, Кино");

	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM tags", 0), 2);
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM article_tags"
	    " WHERE tag_id = (SELECT tag_id FROM article_tags"
	    "  WHERE article_id = ?1)", 1, (long long)a), 2);
	/* A name with nothing to make a slug of gets tag-N. */
	ck_assert_int_eq(fixture_sql("SELECT count(*) FROM tags"
	    " WHERE slug LIKE 'tag-%'", 0), 1);
	ck_assert_uint_eq(article_by_id(&r, b)->ntags, 2);
}
END_TEST

START_TEST(test_article_tags_refused_when_too_long_or_too_many)
{
	char			 name[120], many[400];
	struct article_input	 in = { .title = "Tags", .status = "draft",
	    .comments_open = -1, .tags = name };

	memset(name, 'n', 101);
	name[101] = '\0';
	ck_assert_str_eq(save_refused(&in), "tags");
	many[0] = '\0';
	for (int i = 0; i < 21; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many),
		    "t%d,", i);
	in.tags = many;
	ck_assert_str_eq(save_refused(&in), "tags");
}
END_TEST

/* ---- lists --------------------------------------------------------------- */

/* n published articles, one an hour up to an hour ago; ids in order. */
static void
publish_series(int n, const char *tags, int64_t *ids)
{
	for (int i = 0; i < n; i++) {
		char	 title[64];

		snprintf(title, sizeof(title), "Series %d", i);
		ids[i] = publish(title, now() - 3600 * (n - i), tags);
	}
}

START_TEST(test_article_list_pages_by_keyset_newest_first)
{
	struct article		 page[20];
	struct article_cursor	 cur;
	int64_t			 ids[25];
	int			 n, more;

	publish_series(25, NULL, ids);
	n = article_list_public(&r, NULL, NULL, page, 20, &more);
	ck_assert_int_eq(n, 20);
	ck_assert_int_eq(more, 1);
	ck_assert_int_eq(page[0].id, ids[24]);
	ck_assert_int_eq(page[19].id, ids[5]);
	cur.publish_at = page[19].publish_at;
	cur.id = page[19].id;
	n = article_list_public(&r, NULL, &cur, page, 20, &more);
	ck_assert_int_eq(n, 5);
	ck_assert_int_eq(more, 0);
	ck_assert_int_eq(page[0].id, ids[4]);
	ck_assert_int_eq(page[4].id, ids[0]);
	ck_assert_ptr_null(page[0].body_html);
	ck_assert_ptr_null(page[0].tags);
}
END_TEST

START_TEST(test_article_list_breaks_ties_by_id)
{
	struct article		 page[2];
	struct article_cursor	 cur;
	int64_t			 a = publish("Tie one", 1000000, NULL);
	int64_t			 b = publish("Tie two", 1000000, NULL);
	int			 more;

	ck_assert_int_eq(article_list_public(&r, NULL, NULL, page, 1, &more),
	    1);
	ck_assert_int_eq(page[0].id, b);
	cur.publish_at = page[0].publish_at;
	cur.id = page[0].id;
	ck_assert_int_eq(article_list_public(&r, NULL, &cur, page, 1, &more),
	    1);
	ck_assert_int_eq(page[0].id, a);
	ck_assert_int_eq(more, 0);
}
END_TEST

START_TEST(test_article_list_hides_drafts_future_and_trash)
{
	struct article		 page[10];
	struct article_input	 in = { .title = "Draft", .status = "draft",
	    .comments_open = -1 };
	int			 more;

	save_ok(&in);
	in.title = "Binned";
	in.status = "trash";
	save_ok(&in);
	publish("Later", now() + 600, NULL);
	publish("Visible", 1000000, NULL);
	ck_assert_int_eq(article_list_public(&r, NULL, NULL, page, 10, &more),
	    1);
	ck_assert_str_eq(page[0].title, "Visible");
}
END_TEST

START_TEST(test_article_list_by_tag_with_tags_loaded)
{
	struct article		 page[10];
	struct article_filter	 f = { .with_tags = true };
	struct tag		*t;
	int64_t			 ids[3];
	int			 more;

	publish_series(3, "Common", ids);
	publish("Other", now() - 60, "Rare, Common");
	publish("Untagged", now() - 30, NULL);
	t = tag_by_slug(&r, "rare");
	ck_assert_ptr_nonnull(t);
	f.tag_id = t->id;
	ck_assert_int_eq(article_list_public(&r, &f, NULL, page, 10, &more),
	    1);
	ck_assert_str_eq(page[0].title, "Other");
	ck_assert_uint_eq(page[0].ntags, 2);
	ck_assert_str_eq(page[0].tags[0].name, "Common");
	ck_assert_str_eq(page[0].tags[1].name, "Rare");
	f.tag_id = tag_by_slug(&r, "common")->id;
	ck_assert_int_eq(article_list_public(&r, &f, NULL, page, 10, &more),
	    4);
	ck_assert_uint_eq(page[3].ntags, 1);
	f.tag_id = 0;
	ck_assert_int_eq(article_list_public(&r, &f, NULL, page, 10, &more),
	    5);
	ck_assert_str_eq(page[0].title, "Untagged");
	ck_assert_uint_eq(page[0].ntags, 0);
}
END_TEST

/* Articles "bulk-FROM" .. "bulk-TO", published at base + a permutation
 * of 0 .. TO - FROM seconds. */
static void
bulk(int from, int to, long long base)
{
	fixture_sql("WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL"
	    " SELECT i + 1 FROM n WHERE i < ?2)"
	    " INSERT INTO articles (slug, title, status, publish_at,"
	    "   created_at, updated_at)"
	    " SELECT 'bulk-' || i, 'Bulk ' || i, 'published',"
	    "   ?3 + (i * 7919) % (?2 - ?1 + 1), 1, 1 FROM n", 3,
	    (long long)from, (long long)to, base);
}

/* Tag "bulk-FROM" .. "bulk-TO" with tag. */
static void
bulk_tag(int from, int to, int64_t tag)
{
	fixture_sql("INSERT INTO article_tags (article_id, tag_id)"
	    " SELECT id, ?1 FROM articles WHERE slug LIKE 'bulk-%'"
	    "   AND CAST(substr(slug, 6) AS INTEGER) BETWEEN ?2 AND ?3", 3,
	    (long long)tag, (long long)from, (long long)to);
}

/* The prepared statement of r's connection whose SQL has needle. */
static sqlite3_stmt *
stmt_with(const char *needle)
{
	for (sqlite3_stmt *st = sqlite3_next_stmt(db_handle(), NULL);
	    st != NULL; st = sqlite3_next_stmt(db_handle(), st))
		if (strstr(sqlite3_sql(st), needle) != NULL)
			return st;
	return NULL;
}

/*
 * The API's list: summaries (no bodies) with their tags and authors,
 * newest id first, and its query walks articles by id and stops at the
 * page's end: no sort of every article (with bodies read on the way),
 * which the join to users once led the planner to.
 */
START_TEST(test_article_list_api_gives_summaries_walking_by_id)
{
	static const struct article_api_filter f = { .visibility = "public",
	    .fts = "" };
	struct article		 page[20];
	sqlite3_stmt		*st;
	int64_t			 first;
	int			 more;

	first = publish("Tagged", 1000, "Walk, Api");
	bulk(1, 500, 1000000);
	ck_assert_int_eq(article_list_api(&r, &f, 0, 0, page, 20, &more), 20);
	ck_assert_int_eq(more, 1);
	ck_assert_str_eq(page[0].slug, "bulk-500");
	ck_assert_str_eq(page[19].slug, "bulk-481");
	ck_assert_ptr_null(page[0].body);
	ck_assert_ptr_null(page[0].body_html);
	/* Counted on a second run: the statement is cached across tests. */
	st = stmt_with("ORDER BY a.id DESC");
	ck_assert_ptr_nonnull(st);
	sqlite3_stmt_status(st, SQLITE_STMTSTATUS_SORT, 1);
	sqlite3_stmt_status(st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1);
	ck_assert_int_eq(article_list_api(&r, &f, 0, 0, page, 20, &more), 20);
	ck_assert_int_eq(sqlite3_stmt_status(st, SQLITE_STMTSTATUS_SORT, 0),
	    0);
	ck_assert_int_le(sqlite3_stmt_status(st,
	    SQLITE_STMTSTATUS_FULLSCAN_STEP, 0), 21);
	/* The oldest page: the one article with tags, loaded sorted. */
	ck_assert_int_eq(article_list_api(&r, &f, page[0].id - 499, 0, page,
	    20, &more), 1);
	ck_assert_int_eq(more, 0);
	ck_assert_int_eq(page[0].id, first);
	ck_assert_uint_eq(page[0].ntags, 2);
	ck_assert_str_eq(page[0].tags[0].name, "Api");
	ck_assert_str_eq(page[0].tags[1].name, "Walk");
	ck_assert_ptr_null(page[0].body);
}
END_TEST

START_TEST(test_article_list_by_rare_and_common_tag_same_order)
{
	struct article		 rare[20], common[20];
	struct article_filter	 f = { 0 };
	int			 more;

	publish("First", 1000, "Big");
	f.tag_id = tag_by_slug(&r, "big")->id;
	bulk(1, 1100, 1000000);
	/* 26 of 1101 articles (26 * 26 < 1101): read and sorted. */
	bulk_tag(1, 25, f.tag_id);
	ck_assert_int_eq(article_list_public(&r, &f, NULL, rare, 20, &more),
	    20);
	ck_assert_int_eq(more, 1);
	/* 126 of 1201, the new ones older: a walk along articles_public. */
	bulk(1101, 1200, 2000);
	bulk_tag(1101, 1200, f.tag_id);
	ck_assert_int_eq(article_list_public(&r, &f, NULL, common, 20,
	    &more), 20);
	for (int i = 0; i < 20; i++)
		ck_assert_int_eq(rare[i].id, common[i].id);
	for (int i = 1; i < 20; i++)
		ck_assert(rare[i].publish_at < rare[i - 1].publish_at);
	/* And the last page of the common one ends with the oldest. */
	{
		struct article_cursor	 c = { 2000, 1 };
		struct article		 last[20];

		ck_assert_int_eq(article_list_public(&r, &f, &c, last, 20,
		    &more), 1);
		ck_assert_str_eq(last[0].title, "First");
		ck_assert_int_eq(more, 0);
	}
}
END_TEST

START_TEST(test_article_list_by_author)
{
	struct article		 page[10];
	struct article_filter	 f = { 0 };
	struct article_input	 in = { .title = "By Maria",
	    .status = "published", .publish_at = 1000000, .comments_open = -1 };
	struct author		*au;
	int			 more;

	in.author_id = fixture_user(&r, "maria", NULL);
	fixture_user(&r, "commenter", NULL);
	save_ok(&in);
	publish("Anonymous", 2000000, NULL);
	f.author_id = in.author_id;
	ck_assert_int_eq(article_list_public(&r, &f, NULL, page, 10, &more),
	    1);
	ck_assert_str_eq(page[0].title, "By Maria");
	ck_assert_str_eq(page[0].author_username, "maria");
	ck_assert_str_eq(page[0].author_name, "maria Test");
	au = author_by_username(&r, "MARIA");
	ck_assert_ptr_nonnull(au);
	ck_assert_str_eq(au->username, "maria");
	ck_assert_str_eq(au->display_name, "maria Test");
	/* A user without a public article is no author. */
	ck_assert_ptr_null(author_by_username(&r, "commenter"));
	ck_assert_ptr_null(author_by_username(&r, "nobody"));
}
END_TEST

START_TEST(test_article_list_by_month)
{
	struct article		 page[10];
	/* March 2024, UTC: [1709251200, 1711929600). */
	struct article_filter	 f = { .from = 1709251200, .to = 1711929600 };
	int			 more;

	publish("End of February", 1709251199, NULL);
	publish("First of March", 1709251200, NULL);
	publish("Last of March", 1711929599, NULL);
	publish("First of April", 1711929600, NULL);
	ck_assert_int_eq(article_list_public(&r, &f, NULL, page, 10, &more),
	    2);
	ck_assert_str_eq(page[0].title, "Last of March");
	ck_assert_str_eq(page[1].title, "First of March");
	/* The keyset within the month. */
	ck_assert_int_eq(article_list_public(&r, &f, NULL, page, 1, &more),
	    1);
	ck_assert_int_eq(more, 1);
}
END_TEST

START_TEST(test_article_list_month_of_future_stays_empty)
{
	struct article		 page[10];
	struct article_filter	 f = { .from = now() - 10, .to = now() + 7200 };
	int			 more;

	publish("Soon", now() + 3600, NULL);
	ck_assert_int_eq(article_list_public(&r, &f, NULL, page, 10, &more),
	    0);
}
END_TEST

START_TEST(test_article_list_with_body)
{
	struct article		 page[1];
	struct article_filter	 f = { .with_body = true };
	int			 more;

	publish("Bodied", 0, NULL);
	ck_assert_int_eq(article_list_public(&r, &f, NULL, page, 1, &more), 1);
	ck_assert_ptr_nonnull(page[0].body_html);
	ck_assert(fixture_has(page[0].body_html, "<p>Body of the article.</p>"));
}
END_TEST

/* ---- lookups and cursors -------------------------------------------------- */

START_TEST(test_article_by_slug_binds_quote)
{
	publish("O'Brien wins", 0, NULL);
	ck_assert_ptr_nonnull(article_by_slug(&r, "obrien-wins"));
	ck_assert_ptr_null(article_by_slug(&r, "x' OR '1'='1"));
	ck_assert_ptr_null(tag_by_slug(&r, "x' OR '1'='1"));
	ck_assert(!req_failed(&r));
}
END_TEST

START_TEST(test_article_cursor_round_trip_and_refusals)
{
	struct article_cursor	 c = { 1700000000, 42 }, d;

	ck_assert_str_eq(article_cursor_format(&r, &c), "1700000000-42");
	ck_assert_int_eq(article_cursor_parse("1700000000-42", &d), 0);
	ck_assert_int_eq(d.publish_at, 1700000000);
	ck_assert_int_eq(d.id, 42);
	ck_assert_int_eq(article_cursor_parse("", &d), -1);
	ck_assert_int_eq(article_cursor_parse("17", &d), -1);
	ck_assert_int_eq(article_cursor_parse("-42", &d), -1);
	ck_assert_int_eq(article_cursor_parse("17-0", &d), -1);
	ck_assert_int_eq(article_cursor_parse("17-x", &d), -1);
	ck_assert_int_eq(article_cursor_parse("17--4", &d), -1);
	ck_assert_int_eq(article_cursor_parse("99999999999999999999-1", &d),
	    -1);
}
END_TEST

/* ---- the validator ------------------------------------------------------ */

START_TEST(test_content_validator_moves_after_a_save)
{
	int64_t		 lm = 0;
	const char	*v1, *v2, *v3;
	int64_t		 id = publish("Cached", 1000000, NULL);
	struct article_input in = { .id = id, .title = "Cached again",
	    .status = "published", .comments_open = -1 };

	v1 = content_validator(&r, &lm);
	ck_assert_ptr_nonnull(v1);
	ck_assert(lm > 0);
	ck_assert_str_eq(content_validator(&r, &lm), v1);
	save_ok(&in);
	v2 = content_validator(&r, &lm);
	ck_assert_str_ne(v1, v2);
	/* Tags too, and an article not yet public. */
	in.tags = "New tag";
	save_ok(&in);
	v3 = content_validator(&r, &lm);
	ck_assert_str_ne(v2, v3);
	publish("Due later", now() + 3600, NULL);
	ck_assert_str_ne(v3, content_validator(&r, &lm));
}
END_TEST

Suite *
article_suite(void)
{
	Suite	*s = suite_create("article");
	TCase	*tc = tcase_create("article");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_article_save_makes_slug_from_unicode_title);
	tcase_add_test(tc, test_article_save_suffixes_colliding_slugs);
	tcase_add_test(tc,
	    test_article_save_title_without_latin_gets_article_id_slug);
	tcase_add_test(tc, test_article_save_given_slug_is_checked_and_kept);
	tcase_add_test(tc, test_article_update_without_slug_keeps_it);
	tcase_add_test(tc,
	    test_article_slug_change_of_published_records_redirect);
	tcase_add_test(tc, test_article_slug_change_of_draft_records_nothing);
	tcase_add_test(tc, test_article_redirect_needs_the_article_public);
	tcase_add_test(tc, test_article_page_slugs_may_not_be_reserved);
	tcase_add_test(tc, test_article_save_refuses_bad_input_by_field);
	tcase_add_test(tc, test_article_title_counts_characters_not_bytes);
	tcase_add_test(tc,
	    test_article_drafts_and_future_articles_are_not_public);
	tcase_add_test(tc, test_article_scheduled_is_published_when_due);
	tcase_add_test(tc,
	    test_article_published_without_time_is_published_now);
	tcase_add_test(tc, test_article_pages_are_not_articles);
	tcase_add_test(tc, test_article_excerpt_made_from_first_paragraph);
	tcase_add_test(tc, test_article_written_excerpt_is_kept);
	tcase_add_test(tc,
	    test_article_long_first_paragraph_makes_short_excerpt);
	tcase_add_test(tc, test_article_body_html_is_safe);
	tcase_add_test(tc,
	    test_article_tags_created_deduplicated_and_replaced);
	tcase_add_test(tc, test_article_tags_reuse_existing_whatever_the_case);
	tcase_add_test(tc,
	    test_article_tags_refused_when_too_long_or_too_many);
	tcase_add_test(tc, test_article_list_pages_by_keyset_newest_first);
	tcase_add_test(tc, test_article_list_breaks_ties_by_id);
	tcase_add_test(tc, test_article_list_hides_drafts_future_and_trash);
	tcase_add_test(tc, test_article_list_by_tag_with_tags_loaded);
	tcase_add_test(tc,
	    test_article_list_by_rare_and_common_tag_same_order);
	tcase_add_test(tc, test_article_list_by_author);
	tcase_add_test(tc, test_article_list_by_month);
	tcase_add_test(tc, test_article_list_month_of_future_stays_empty);
	tcase_add_test(tc, test_article_list_with_body);
	tcase_add_test(tc, test_article_by_slug_binds_quote);
	tcase_add_test(tc, test_article_cursor_round_trip_and_refusals);
	tcase_add_test(tc, test_content_validator_moves_after_a_save);
	tcase_add_test(tc, test_article_list_api_gives_summaries_walking_by_id);
	suite_add_tcase(s, tc);
	return s;
}
