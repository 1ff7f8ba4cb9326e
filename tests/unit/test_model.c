/*
 * test_model: app/core/model.c with the site's models (app/site/models.c).
 * The registry and its checks of bad tables, ORDER BY terms built only
 * from metadata (unknown, unsortable and hostile sort fields refused),
 * filter and search columns, permission names, and every site model's
 * table and columns against a freshly migrated database.
 */
#include <sqlite3.h>
#include <string.h>

#include "core/db.h"
#include "core/model.h"
#include "fixture.h"
#include "site/site.h"

Suite	*model_suite(void);

static struct req *r;

static void
setup(void)
{
	ck_assert_int_eq(model_register_all(site_models), 0);
	r = fixture_req();
}

static void
teardown(void)
{
	fixture_reqs_free();
}

static const struct model *
article(void)
{
	const struct model *m = model_find("article");

	ck_assert_ptr_nonnull(m);
	return m;
}

START_TEST(test_model_find_by_url_name)
{
	const char	*names[] = { "article", "tag", "comment", "user",
	    "group", "permission" };
	size_t		 n = 0;

	for (size_t i = 0; i < NELEM(names); i++)
		ck_assert_str_eq(model_find(names[i])->name, names[i]);
	ck_assert_ptr_null(model_find("articles"));
	ck_assert_ptr_null(model_find("Article"));
	ck_assert_ptr_null(model_find(""));
	ck_assert_ptr_null(model_find(NULL));
	for (const struct model *const *m = model_all(); *m != NULL; m++)
		n++;
	ck_assert_uint_eq(n, NELEM(names));
	ck_assert_ptr_nonnull(model_field(article(), "publish_at"));
	ck_assert_ptr_null(model_field(article(), "published_at"));
	ck_assert_ptr_null(model_field(article(), NULL));
}
END_TEST

START_TEST(test_model_order_by_field_is_ascending_with_pk_tiebreak)
{
	ck_assert_str_eq(model_order_by(r, article(), "title"),
	    "title ASC, id ASC");
	ck_assert_str_eq(model_order_by(r, model_find("tag"), "slug"),
	    "slug ASC, id ASC");
}
END_TEST

START_TEST(test_model_order_by_minus_is_descending)
{
	ck_assert_str_eq(model_order_by(r, article(), "-publish_at"),
	    "publish_at DESC, id DESC");
	ck_assert_str_eq(model_order_by(r, model_find("user"), "-last_login"),
	    "last_login DESC, id DESC");
}
END_TEST

START_TEST(test_model_order_by_empty_is_default_ordering)
{
	ck_assert_str_eq(model_order_by(r, article(), NULL),
	    "publish_at DESC, id DESC");
	ck_assert_str_eq(model_order_by(r, article(), ""),
	    "publish_at DESC, id DESC");
	ck_assert_str_eq(model_order_by(r, model_find("group"), NULL),
	    "name ASC, id ASC");
}
END_TEST

START_TEST(test_model_order_by_refuses_unknown_and_unsortable)
{
	static const char *const bad[] = {
		"nope", "Title", "title ", " title", "--title", "-", "+title",
		"title;DROP TABLE articles", "title ASC", "title,id",
		"body",			/* a field, not sortable */
		"tags",			/* many-to-many: no column */
		"body_html",		/* a column, not a field */
		"password",		/* another model's column */
	};

	for (size_t i = 0; i < NELEM(bad); i++) {
		r->error_detail = NULL;
		ck_assert_msg(model_order_by(r, article(), bad[i]) == NULL,
		    "sort by \"%s\" accepted", bad[i]);
		ck_assert_ptr_nonnull(r->error_detail);
	}
	ck_assert_ptr_null(model_order_by(r, model_find("user"),
	    "password"));
	ck_assert_ptr_null(model_order_by(r, model_find("user"),
	    "-totp_secret"));
}
END_TEST

START_TEST(test_model_filter_column_only_from_metadata)
{
	const struct model_field *f;
	char		 name[] = "status";

	f = model_filter_column(article(), name);
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->name, "status");
	ck_assert_ptr_ne(f->name, name);	/* the metadata's string */
	ck_assert_ptr_nonnull(model_filter_column(article(), "author_id"));
	ck_assert_ptr_nonnull(model_filter_column(model_find("user"),
	    "is_staff"));
	ck_assert_ptr_null(model_filter_column(article(), "title"));
	ck_assert_ptr_null(model_filter_column(article(), "status "));
	ck_assert_ptr_null(model_filter_column(article(), "status=1 OR 1"));
	ck_assert_ptr_null(model_filter_column(article(), "nope"));
	ck_assert_ptr_null(model_filter_column(article(), ""));
	ck_assert_ptr_null(model_filter_column(article(), NULL));
	ck_assert_ptr_null(model_filter_column(model_find("user"),
	    "password"));
}
END_TEST

START_TEST(test_model_search_columns_in_field_order)
{
	const char	*cols[2];
	const char	*all[8];
	size_t		 n;

	n = model_search_columns(article(), all, NELEM(all));
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(all[0], "title");
	ck_assert_str_eq(all[1], "slug");
	ck_assert_str_eq(all[2], "body");
	/* A short array gets the first ones and the whole count. */
	ck_assert_uint_eq(model_search_columns(article(), cols, NELEM(cols)),
	    3);
	ck_assert_str_eq(cols[1], "slug");
	ck_assert_uint_eq(model_search_columns(model_find("group"), all,
	    NELEM(all)), 1);
}
END_TEST

START_TEST(test_model_perm_names)
{
	ck_assert_str_eq(model_perm(r, article(), "view"), "article.view");
	ck_assert_str_eq(model_perm(r, model_find("comment"), "delete"),
	    "comment.delete");
	ck_assert_ptr_null(model_perm(r, article(), "edit_others"));
	ck_assert_ptr_null(model_perm(r, article(), ""));
	ck_assert_ptr_null(model_perm(r, article(), NULL));
}
END_TEST

START_TEST(test_model_type_names_and_choice_labels)
{
	const struct model_field *f = model_field(article(), "status");

	ck_assert_str_eq(model_type_name(MODEL_DATETIME), "datetime");
	ck_assert_str_eq(model_type_name(MODEL_MANY_TO_MANY),
	    "many_to_many");
	ck_assert_str_eq(model_choice_label(f, "published"), "Published");
	ck_assert_ptr_null(model_choice_label(f, "Published"));
	ck_assert_ptr_null(model_choice_label(f, NULL));
	ck_assert_ptr_null(model_choice_label(model_field(article(), "title"),
	    "x"));
}
END_TEST

/* Bad tables for the registry's checks. */
static const struct model_choice no_choices[] = { { NULL, NULL } };

static const struct model_field ok_fields[] = {
	{ .name = "name", .label = "Name", .type = MODEL_TEXT,
	  .flags = MF_EDITABLE | MF_SORTABLE },
	{ .name = NULL }
};
static const struct model_field fk_fields[] = {
	{ .name = "name", .label = "Name", .type = MODEL_TEXT,
	  .flags = MF_SORTABLE },
	{ .name = "owner_id", .label = "Owner", .type = MODEL_FOREIGN_KEY,
	  .target = "ghost" },
	{ .name = NULL }
};
static const struct model_field choice_fields[] = {
	{ .name = "name", .label = "Name", .type = MODEL_CHOICE,
	  .flags = MF_SORTABLE, .choices = no_choices },
	{ .name = NULL }
};
static const struct model_field m2m_fields[] = {
	{ .name = "name", .label = "Name", .type = MODEL_TEXT,
	  .flags = MF_SORTABLE },
	{ .name = "others", .label = "Others", .type = MODEL_MANY_TO_MANY,
	  .target = "ok" },
	{ .name = NULL }
};
static const struct model_field twice_fields[] = {
	{ .name = "name", .label = "Name", .type = MODEL_TEXT,
	  .flags = MF_SORTABLE },
	{ .name = "name", .label = "Name again", .type = MODEL_TEXT },
	{ .name = NULL }
};

#define BAD_MODEL(var, nm, flds, ord) \
	static const struct model var = { .name = nm, .table = "t", \
	    .verbose = "t", .verbose_plural = "ts", .fields = flds, \
	    .pk = "id", .ordering = ord, .str_field = "name", .perm = nm }

BAD_MODEL(ok_model, "ok", ok_fields, "name");
BAD_MODEL(ok_twin, "ok", ok_fields, "-name");
BAD_MODEL(fk_model, "fk", fk_fields, "name");
BAD_MODEL(choice_model, "choice", choice_fields, "name");
BAD_MODEL(m2m_model, "m2m", m2m_fields, "name");
BAD_MODEL(twice_model, "twice", twice_fields, "name");
BAD_MODEL(order_model, "order", ok_fields, "-nope");

START_TEST(test_model_register_refuses_bad_tables)
{
	const struct model *const good[] = { &ok_model, NULL };
	const struct model *const dup[] = { &ok_model, &ok_twin, NULL };
	const struct model *const fk[] = { &ok_model, &fk_model, NULL };
	const struct model *const choice[] = { &choice_model, NULL };
	const struct model *const m2m[] = { &ok_model, &m2m_model, NULL };
	const struct model *const twice[] = { &twice_model, NULL };
	const struct model *const order[] = { &order_model, NULL };
	const struct model *const *const bad[] = {
		dup, fk, choice, m2m, twice, order
	};

	for (size_t i = 0; i < NELEM(bad); i++) {
		ck_assert_int_eq(model_register_all(good), 0);
		ck_assert_msg(model_register_all(bad[i]) == -1,
		    "bad table %zu accepted", i);
		/* A refused table leaves nothing registered. */
		ck_assert_ptr_null(model_find("ok"));
		ck_assert_ptr_null(model_all()[0]);
	}
	ck_assert_int_eq(model_register_all(good), 0);
	ck_assert_ptr_eq(model_find("ok"), &ok_model);
	ck_assert_ptr_null(model_find("article"));
}
END_TEST

/* Does table have column (PRAGMA table_info through its table form)? */
static bool
has_column(const char *table, const char *column)
{
	static const char sql[] =
	    "SELECT count(*) FROM pragma_table_info(?1) WHERE name = ?2";
	sqlite3_stmt	*st;
	int		 n;

	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(), sql, -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, column, -1, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n == 1;
}

START_TEST(test_model_site_models_match_the_schema)
{
	struct fixture_db fdb;
	const struct model_field *f;
	size_t		 checked = 0;

	fixture_db_open(&fdb);
	for (const struct model *const *m = site_models; *m != NULL; m++) {
		ck_assert_msg(has_column((*m)->table, (*m)->pk),
		    "%s: no table %s with pk %s", (*m)->name, (*m)->table,
		    (*m)->pk);
		for (f = (*m)->fields; f->name != NULL; f++, checked++) {
			if (f->flags & MF_VIRTUAL) {
				ck_assert_msg(!has_column((*m)->table,
				    f->name), "%s.%s is virtual but a column",
				    (*m)->name, f->name);
				continue;
			}
			if (f->type != MODEL_MANY_TO_MANY) {
				ck_assert_msg(has_column((*m)->table, f->name),
				    "%s.%s is not a column of %s", (*m)->name,
				    f->name, (*m)->table);
				continue;
			}
			ck_assert_msg(has_column(f->through, f->through_from) &&
			    has_column(f->through, f->through_to),
			    "%s.%s: join table %s(%s, %s) missing",
			    (*m)->name, f->name, f->through, f->through_from,
			    f->through_to);
			ck_assert_msg(!has_column((*m)->table, f->name),
			    "%s.%s is a column, not a join", (*m)->name,
			    f->name);
		}
	}
	for (const struct model *const *m = site_models; *m != NULL; m++)
		for (const char *const *e = (*m)->extra; e != NULL &&
		    *e != NULL; e++)
			ck_assert_msg(has_column((*m)->table, *e) &&
			    model_field(*m, *e) == NULL, "%s: extra %s is not "
			    "a column of %s outside the fields", (*m)->name,
			    *e, (*m)->table);
	ck_assert_uint_ge(checked, 30);
	fixture_db_close(&fdb);
}
END_TEST

START_TEST(test_model_user_never_exposes_secrets)
{
	const struct model *u = model_find("user");
	static const char *const secret[] = {
		"password", "totp_secret", "totp_enabled", "totp_last_step"
	};

	for (size_t i = 0; i < NELEM(secret); i++)
		ck_assert_ptr_null(model_field(u, secret[i]));
	ck_assert(!model_field_is_editable(model_field(u, "date_joined")));
	ck_assert(!model_field_is_editable(model_field(u, "last_login")));
	ck_assert(model_field_is_editable(model_field(u, "is_staff")));
}
END_TEST

Suite *
model_suite(void)
{
	Suite	*s = suite_create("model");
	TCase	*tc = tcase_create("model");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_model_find_by_url_name);
	tcase_add_test(tc,
	    test_model_order_by_field_is_ascending_with_pk_tiebreak);
	tcase_add_test(tc, test_model_order_by_minus_is_descending);
	tcase_add_test(tc, test_model_order_by_empty_is_default_ordering);
	tcase_add_test(tc, test_model_order_by_refuses_unknown_and_unsortable);
	tcase_add_test(tc, test_model_filter_column_only_from_metadata);
	tcase_add_test(tc, test_model_search_columns_in_field_order);
	tcase_add_test(tc, test_model_perm_names);
	tcase_add_test(tc, test_model_type_names_and_choice_labels);
	tcase_add_test(tc, test_model_register_refuses_bad_tables);
	tcase_add_test(tc, test_model_site_models_match_the_schema);
	tcase_add_test(tc, test_model_user_never_exposes_secrets);
	suite_add_tcase(s, tc);
	return s;
}
