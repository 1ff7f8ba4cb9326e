/*
 * test_admin: the admin registry (app/core/admin.c): the checks
 * admin_register makes of the tables a site hands over.  The history's
 * values are in test_admin_history.c, the rows under them in
 * test_admin_rows.c.
 */
#include <stddef.h>

#include "core/admin.h"
#include "core/model.h"
#include "fixture.h"
#include "site/site.h"

Suite	*admin_suite(void);

/* ---- fixtures ------------------------------------------------------------ */

/* Only the site's models: admin_register() needs no request. */
static void
setup(void)
{
	ck_assert_int_eq(model_register_all(site_models), 0);
}

/* Whatever a test registered, the site's registries again. */
static void
teardown(void)
{
	ck_assert_int_eq(model_register_all(site_models), 0);
	ck_assert_int_eq(admin_register(site_admin_models,
	    site_admin_page_table), 0);
}

/* ---- admin_register ------------------------------------------------------- */

START_TEST(test_register_accepts_the_site_tables)
{
	size_t	 n = 0;

	ck_assert_int_eq(admin_register(site_admin_models,
	    site_admin_page_table), 0);
	for (const struct admin_model *const *a = admin_models(); *a != NULL;
	    a++)
		n++;
	ck_assert_uint_eq(n, 5);
	ck_assert_ptr_eq(admin_model_find("tag"), site_admin_models[1]);
	ck_assert_ptr_null(admin_model_find("permission"));
	ck_assert_ptr_null(admin_model_find(NULL));
	ck_assert_ptr_eq(admin_pages(), site_admin_page_table);
}
END_TEST

/* Register the one entry am (with no pages): what admin_register says. */
static int
register_one(const struct admin_model *am)
{
	const struct admin_model *const models[] = { am, NULL };

	return admin_register(models, NULL);
}

static int
run_none(struct req *rr, const struct admin_model *am, const int64_t *ids,
    size_t n)
{
	(void)rr;
	(void)am;
	(void)ids;
	return (int)n;
}

START_TEST(test_register_refuses_an_unknown_model)
{
	const struct admin_model am = { .model = "gadget", .group = "X" };

	ck_assert_int_eq(register_one(&am), -1);
	ck_assert_ptr_null(admin_model_find("gadget"));
}
END_TEST

START_TEST(test_register_refuses_an_unknown_list_display_field)
{
	static const char *const good[] = { "name", "slug", NULL };
	static const char *const bad[] = { "name", "colour", NULL };
	const struct admin_model ok = { .model = "tag", .group = "X",
	    .list_display = good };
	const struct admin_model am = { .model = "tag", .group = "X",
	    .list_display = bad };

	ck_assert_int_eq(register_one(&ok), 0);
	ck_assert_int_eq(register_one(&am), -1);
}
END_TEST

START_TEST(test_register_refuses_a_list_filter_not_filterable)
{
	static const char *const good[] = { "status", "kind", NULL };
	static const char *const bad[] = { "status", "title", NULL };
	static const char *const missing[] = { "nope", NULL };
	const struct admin_model ok = { .model = "article", .group = "X",
	    .list_filter = good };
	const struct admin_model am = { .model = "article", .group = "X",
	    .list_filter = bad };
	const struct admin_model am2 = { .model = "article", .group = "X",
	    .list_filter = missing };

	ck_assert_int_eq(register_one(&ok), 0);
	ck_assert_int_eq(register_one(&am), -1);
	ck_assert_int_eq(register_one(&am2), -1);
}
END_TEST

START_TEST(test_register_refuses_a_trash_value_not_a_choice)
{
	const struct admin_model ok = { .model = "article", .group = "X",
	    .trash_field = "status", .trash_value = "trash" };
	const struct admin_model am = { .model = "article", .group = "X",
	    .trash_field = "status", .trash_value = "bin" };
	const struct admin_model am2 = { .model = "article", .group = "X",
	    .trash_field = "title", .trash_value = "trash" };
	const struct admin_model am3 = { .model = "article", .group = "X",
	    .trash_field = "status" };

	ck_assert_int_eq(register_one(&ok), 0);
	ck_assert_int_eq(register_one(&am), -1);
	ck_assert_int_eq(register_one(&am2), -1);	/* not a choice field */
	ck_assert_int_eq(register_one(&am3), -1);	/* no value */
}
END_TEST

START_TEST(test_register_refuses_an_action_with_a_bad_perm)
{
	static const struct admin_action good[] = {
		{ "touch", "Touch", "change", run_none },
		{ NULL, NULL, NULL, NULL }
	};
	static const struct admin_action bad[] = {
		{ "touch", "Touch", "publish", run_none },
		{ NULL, NULL, NULL, NULL }
	};
	static const struct admin_action noperm[] = {
		{ "touch", "Touch", NULL, run_none },
		{ NULL, NULL, NULL, NULL }
	};
	const struct admin_model ok = { .model = "tag", .group = "X",
	    .actions = good };
	const struct admin_model am = { .model = "tag", .group = "X",
	    .actions = bad };
	const struct admin_model am2 = { .model = "tag", .group = "X",
	    .actions = noperm };

	ck_assert_int_eq(register_one(&ok), 0);
	ck_assert_int_eq(register_one(&am), -1);
	ck_assert_int_eq(register_one(&am2), -1);
}
END_TEST

START_TEST(test_register_refuses_the_same_model_twice)
{
	const struct admin_model a = { .model = "tag", .group = "X" };
	const struct admin_model b = { .model = "tag", .group = "Y" };
	const struct admin_model c = { .model = "group", .group = "Y" };
	const struct admin_model *const twice[] = { &a, &c, &b, NULL };
	const struct admin_model *const once[] = { &a, &c, NULL };

	ck_assert_int_eq(admin_register(once, NULL), 0);
	ck_assert_int_eq(admin_register(twice, NULL), -1);
}
END_TEST

static const struct model_field log_fields[] = {
	{ .name = "name", .label = "Name", .type = MODEL_TEXT,
	  .flags = MF_EDITABLE | MF_SORTABLE },
	{ .name = NULL }
};
static const struct model log_model = {
	.name = "log", .table = "logs", .verbose = "log",
	.verbose_plural = "logs", .fields = log_fields, .pk = "id",
	.ordering = "name", .str_field = "name", .perm = "log"
};
static const struct model logbook_model = {
	.name = "logbook", .table = "logs", .verbose = "logbook",
	.verbose_plural = "logbooks", .fields = log_fields, .pk = "id",
	.ordering = "name", .str_field = "name", .perm = "logbook"
};

START_TEST(test_register_refuses_a_model_named_like_an_admin_page)
{
	const struct model *const models[] = {
		&log_model, &logbook_model, NULL
	};
	const struct admin_model log_admin = { .model = "log", .group = "X" };
	const struct admin_model logbook_admin = { .model = "logbook",
	    .group = "X" };

	ck_assert_int_eq(model_register_all(models), 0);
	ck_assert_int_eq(register_one(&logbook_admin), 0);
	ck_assert_int_eq(register_one(&log_admin), -1);
}
END_TEST

Suite *
admin_suite(void)
{
	Suite	*s = suite_create("admin");
	TCase	*reg = tcase_create("register");

	tcase_add_checked_fixture(reg, setup, teardown);
	tcase_add_test(reg, test_register_accepts_the_site_tables);
	tcase_add_test(reg, test_register_refuses_an_unknown_model);
	tcase_add_test(reg, test_register_refuses_an_unknown_list_display_field);
	tcase_add_test(reg, test_register_refuses_a_list_filter_not_filterable);
	tcase_add_test(reg, test_register_refuses_a_trash_value_not_a_choice);
	tcase_add_test(reg, test_register_refuses_an_action_with_a_bad_perm);
	tcase_add_test(reg, test_register_refuses_the_same_model_twice);
	tcase_add_test(reg,
	    test_register_refuses_a_model_named_like_an_admin_page);
	suite_add_tcase(s, reg);
	return s;
}
