/*
 * test_form: app/core/form.c.  Each field type's checks with Django's
 * messages (required, lengths in characters, integers and ranges,
 * booleans, choices, date-times and their calendar edge cases, emails,
 * URLs, slugs, ids), reading a posted form (trimming, checkboxes,
 * repeated many-to-many values, read-only fields ignored) and the HDF
 * that form_export() leaves for the field template.
 */
#include <ClearSilver.h>
#include <string.h>

#include "core/form.h"
#include "core/model.h"
#include "core/render.h"
#include "fixture.h"
#include "site/site.h"

Suite	*form_suite(void);

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

/* A model with the types and limits the site's models do not use. */
static const struct model_field thing_fields[] = {
	{ .name = "name", .label = "Name", .type = MODEL_TEXT,
	  .flags = MF_REQUIRED | MF_EDITABLE | MF_SORTABLE,
	  .min = 3, .max = 5 },
	{ .name = "count", .label = "Count", .type = MODEL_INTEGER,
	  .flags = MF_EDITABLE, .min = -10, .max = 10 },
	{ .name = "big", .label = "Big", .type = MODEL_INTEGER,
	  .flags = MF_EDITABLE },
	{ .name = "agree", .label = "Agree", .type = MODEL_BOOLEAN,
	  .flags = MF_REQUIRED | MF_EDITABLE },
	{ .name = "notes", .label = "Notes", .type = MODEL_LONGTEXT,
	  .flags = 0, .def = "kept" },
	{ .name = NULL }
};
static const struct model thing = {
	.name = "thing", .table = "things", .verbose = "thing",
	.verbose_plural = "things", .fields = thing_fields, .pk = "id",
	.ordering = "name", .str_field = "name", .perm = "thing"
};

/* field name of model (by name) */
static const struct model_field *
field(const char *model, const char *name)
{
	const struct model *m = strcmp(model, "thing") == 0 ? &thing :
	    model_find(model);
	const struct model_field *f;

	ck_assert_ptr_nonnull(m);
	f = model_field(m, name);
	ck_assert_ptr_nonnull(f);
	return f;
}

/* The message form_check_value() gives, or "" if the value is valid. */
static const char *
msg_of(const char *model, const char *name, const char *value)
{
	static char	 msg[256];

	memset(msg, 0xa5, sizeof(msg));
	if (form_check_value(field(model, name), value, msg, sizeof(msg)))
		return "";
	return msg;
}

/* POST body, as a urlencoded form, to a new request r. */
static void
post(const char *body)
{
	r = fixture_req();
	ck_assert_int_eq(fixture_request(r, "POST", "/x/", body, NULL), 0);
}

static const char *
hdf(const char *name)
{
	return hdf_get_value((HDF *)r->hdf, name, NULL);
}

START_TEST(test_form_required_and_optional)
{
	ck_assert_str_eq(msg_of("article", "title", ""),
	    "This field is required.");
	ck_assert_str_eq(msg_of("article", "title", NULL),
	    "This field is required.");
	ck_assert_str_eq(msg_of("article", "title", "Hello"), "");
	/* Optional fields of every type take "". */
	ck_assert_str_eq(msg_of("article", "slug", ""), "");
	ck_assert_str_eq(msg_of("article", "publish_at", ""), "");
	ck_assert_str_eq(msg_of("article", "author_id", ""), "");
	ck_assert_str_eq(msg_of("article", "tags", ""), "");
	ck_assert_str_eq(msg_of("comment", "author_email", ""), "");
	ck_assert_str_eq(msg_of("comment", "author_url", ""), "");
	ck_assert_str_eq(msg_of("thing", "count", ""), "");
	/* A required checkbox must be ticked. */
	ck_assert_str_eq(msg_of("thing", "agree", "0"),
	    "This field is required.");
	ck_assert_str_eq(msg_of("thing", "agree", "1"), "");
	ck_assert_str_eq(msg_of("article", "comments_open", "0"), "");
}
END_TEST

START_TEST(test_form_lengths_in_characters_with_djangos_words)
{
	char	 s[2 * 301 + 1];

	for (int i = 0; i < 301; i++)
		memcpy(s + 2 * i, "\xc3\xa9", 2);	/* é: 2 bytes */
	s[2 * 301] = '\0';
	ck_assert_str_eq(msg_of("article", "title", s),
	    "Ensure this value has at most 300 characters (it has 301).");
	s[2 * 300] = '\0';
	ck_assert_str_eq(msg_of("article", "title", s), "");
	ck_assert_str_eq(msg_of("thing", "name", "ab"),
	    "Ensure this value has at least 3 characters (it has 2).");
	ck_assert_str_eq(msg_of("thing", "name", "abcdef"),
	    "Ensure this value has at most 5 characters (it has 6).");
	ck_assert_str_eq(msg_of("thing", "name", "abc"), "");
}
END_TEST

START_TEST(test_form_integers_and_ranges)
{
	static const char *const bad[] = {
		"abc", "1.5", "1e3", " 3", "3 ", "+3", "0x10", "--1",
		"99999999999999999999"
	};

	for (size_t i = 0; i < NELEM(bad); i++)
		ck_assert_str_eq(msg_of("thing", "count", bad[i]),
		    "Enter a whole number.");
	ck_assert_str_eq(msg_of("thing", "count", "11"),
	    "Ensure this value is less than or equal to 10.");
	ck_assert_str_eq(msg_of("thing", "count", "-11"),
	    "Ensure this value is greater than or equal to -10.");
	ck_assert_str_eq(msg_of("thing", "count", "-10"), "");
	ck_assert_str_eq(msg_of("thing", "count", "10"), "");
	ck_assert_str_eq(msg_of("thing", "big", "-9223372036854775808"), "");
	ck_assert_str_eq(msg_of("thing", "big", "9223372036854775807"), "");
}
END_TEST

START_TEST(test_form_choices)
{
	ck_assert_str_eq(msg_of("article", "status", "published"), "");
	ck_assert_str_eq(msg_of("article", "status", "bogus"),
	    "Select a valid choice. bogus is not one of the available "
	    "choices.");
	ck_assert_str_eq(msg_of("article", "status", "Published"),
	    "Select a valid choice. Published is not one of the available "
	    "choices.");
	ck_assert_str_eq(msg_of("article", "status", ""),
	    "This field is required.");
	ck_assert_str_eq(msg_of("article", "kind", "page"), "");
	ck_assert_str_eq(msg_of("comment", "status", "published"),
	    "Select a valid choice. published is not one of the available "
	    "choices.");
}
END_TEST

START_TEST(test_form_datetime_accepts_both_forms_as_utc)
{
	int64_t	 t;

	ck_assert_int_eq(form_parse_datetime("1970-01-01T00:00", &t), 0);
	ck_assert_int_eq(t, 0);
	ck_assert_int_eq(form_parse_datetime("2026-11-27T09:30", &t), 0);
	ck_assert_int_eq(t, 1795771800);
	ck_assert_int_eq(form_parse_datetime("2026-11-27 09:30", &t), 0);
	ck_assert_int_eq(t, 1795771800);
	ck_assert_int_eq(form_parse_datetime("2026-11-27 09:30:59", &t), 0);
	ck_assert_int_eq(t, 1795771859);
	ck_assert_int_eq(form_parse_datetime("2026-11-27T09:30:01", &t), 0);
	ck_assert_int_eq(t, 1795771801);
	ck_assert_int_eq(form_parse_datetime("2024-02-29T12:00", &t), 0);
	ck_assert_int_eq(t, 1709208000);
	ck_assert_int_eq(form_parse_datetime("2000-02-29 00:00", &t), 0);
	ck_assert_int_eq(t, 951782400);
	ck_assert_int_eq(form_parse_datetime("9999-12-31T23:59:59", &t), 0);
	ck_assert_int_eq(t, 253402300799LL);
}
END_TEST

START_TEST(test_form_datetime_refuses_bad_dates_and_shapes)
{
	static const char *const bad[] = {
		"2026-13-01T00:00",	/* month 13 */
		"2026-00-10T00:00",	/* month 0 */
		"2026-02-30T00:00",	/* Feb 30 */
		"2023-02-29T00:00",	/* not a leap year */
		"1900-02-29T00:00",	/* nor a century */
		"2026-04-31T00:00",	/* April has 30 */
		"2026-01-00T00:00",	/* day 0 */
		"2026-01-01T24:00",	/* hour 24 */
		"2026-01-01T23:60",
		"2026-01-01T23:59:60",	/* no leap seconds */
		"1969-12-31T23:59",	/* before 1970 */
		"10000-01-01T00:00",	/* after 9999 */
		"2026-1-01T00:00", "2026-01-1T00:00", "2026-01-01T0:00",
		"2026-01-01", "2026-01-01T00", "2026-01-01T00:00Z",
		"2026-01-01T00:00+01:00", "2026-01-01t00:00",
		"2026/01/01 00:00", "2026-01-01  00:00", " 2026-01-01T00:00",
		"+026-01-01T00:00", "2026-01-01T00:00:0", "", "now",
	};
	int64_t	 t;

	for (size_t i = 0; i < NELEM(bad); i++) {
		ck_assert_msg(form_parse_datetime(bad[i], &t) == -1,
		    "\"%s\" parsed", bad[i]);
		ck_assert_str_eq(msg_of("article", "publish_at", bad[i][0] ?
		    bad[i] : "x"), "Enter a valid date/time.");
	}
}
END_TEST

START_TEST(test_form_datetime_formats_for_the_input)
{
	char	 s[32];
	int64_t	 t;

	form_format_datetime(1795771800, s, sizeof(s));
	ck_assert_str_eq(s, "2026-11-27T09:30");
	form_format_datetime(1795771859, s, sizeof(s));
	ck_assert_str_eq(s, "2026-11-27T09:30:59");
	ck_assert_int_eq(form_parse_datetime(s, &t), 0);
	ck_assert_int_eq(t, 1795771859);
	form_format_datetime(0, s, sizeof(s));
	ck_assert_str_eq(s, "1970-01-01T00:00");
}
END_TEST

START_TEST(test_form_email_url_slug)
{
	ck_assert_str_eq(msg_of("user", "email", "a@example.org"), "");
	ck_assert_str_eq(msg_of("user", "email", "not-an-email"),
	    "Enter a valid email address.");
	ck_assert_str_eq(msg_of("user", "email", "a@b@example.org"),
	    "Enter a valid email address.");
	ck_assert_str_eq(msg_of("comment", "author_url",
	    "https://example.com/a?b=c#d"), "");
	ck_assert_str_eq(msg_of("comment", "author_url", "HTTP://example.com"),
	    "");
	static const char *const bad_urls[] = {
		"javascript:alert(1)", "ftp://example.com/", "http://",
		"https:///path", "example.com", "//example.com/",
		"https://exa mple.com/", "https://example.com/<x>",
		"data:text/html,hi", "https://@example.com/",
	};
	for (size_t i = 0; i < NELEM(bad_urls); i++)
		ck_assert_msg(strcmp(msg_of("comment", "author_url",
		    bad_urls[i]), "Enter a valid URL.") == 0,
		    "\"%s\" accepted", bad_urls[i]);
	ck_assert_str_eq(msg_of("tag", "slug", "c-and-rust"), "");
	ck_assert_str_eq(msg_of("tag", "slug", "Bad Slug"),
	    "Enter a valid slug: lower-case letters, digits and hyphens.");
	ck_assert_str_eq(msg_of("tag", "slug", "-x"),
	    "Enter a valid slug: lower-case letters, digits and hyphens.");
}
END_TEST

START_TEST(test_form_foreign_keys_and_id_lists)
{
	static const char *const bad_fk[] = { "0", "-1", "x", "1.0", "1,2" };

	ck_assert_str_eq(msg_of("comment", "article_id", "12"), "");
	for (size_t i = 0; i < NELEM(bad_fk); i++)
		ck_assert_str_eq(msg_of("comment", "article_id", bad_fk[i]),
		    "Select a valid choice. That choice is not one of the "
		    "available choices.");
	ck_assert_str_eq(msg_of("comment", "article_id", ""),
	    "This field is required.");
	ck_assert_str_eq(msg_of("article", "tags", "3,7"), "");
	ck_assert_str_eq(msg_of("article", "tags", "3,x"),
	    "\xe2\x80\x9cx\xe2\x80\x9d is not a valid value.");
	ck_assert_str_eq(msg_of("article", "tags", "0"),
	    "\xe2\x80\x9c" "0\xe2\x80\x9d is not a valid value.");
	ck_assert_str_eq(msg_of("article", "tags", "3,,7"),
	    "Enter a list of values.");
	ck_assert_str_eq(msg_of("article", "tags", "3,"),
	    "Enter a list of values.");
}
END_TEST

START_TEST(test_form_field_check_runs_after_the_type)
{
	ck_assert_str_eq(msg_of("user", "username", "alice.b+c@d"), "");
	ck_assert_str_eq(msg_of("user", "username", "bad name!"),
	    "Enter a valid username. This value may contain only letters, "
	    "numbers, and @/./+/-/_ characters.");
}
END_TEST

START_TEST(test_form_read_trims_and_reads_checkboxes)
{
	struct form	 f;

	post("title=++Hello+World++&status=published&slug=hello"
	    "&comments_open=on&publish_at=2026-11-27T09%3A30");
	form_read(r, model_find("article"), &f);
	ck_assert_str_eq(form_value(&f, "title"), "Hello World");
	ck_assert_str_eq(form_value(&f, "comments_open"), "1");
	ck_assert_str_eq(form_value(&f, "kind"), "");	/* not posted */
	ck_assert_str_eq(form_value(&f, "excerpt"), "");
	ck_assert_ptr_null(form_value(&f, "nope"));
	ck_assert(form_validate(r, &f) == false);	/* kind required */
	ck_assert_str_eq(form_error(&f, "kind"), "This field is required.");
	ck_assert_ptr_null(form_error(&f, "title"));
	ck_assert_int_eq(form_num(&f, "publish_at"), 1795771800);
	ck_assert_int_eq(form_num(&f, "comments_open"), 1);
}
END_TEST

START_TEST(test_form_unchecked_box_is_false)
{
	static const char *const off[] = {
		"title=T&status=draft&kind=article",
		"title=T&status=draft&kind=article&comments_open=",
		"title=T&status=draft&kind=article&comments_open=0",
		"title=T&status=draft&kind=article&comments_open=false",
		"title=T&status=draft&kind=article&comments_open=OFF",
	};
	struct form	 f;

	for (size_t i = 0; i < NELEM(off); i++) {
		post(off[i]);
		form_read(r, model_find("article"), &f);
		ck_assert_str_eq(form_value(&f, "comments_open"), "0");
		ck_assert(form_validate(r, &f));
		ck_assert_int_eq(form_num(&f, "comments_open"), 0);
	}
}
END_TEST

START_TEST(test_form_read_ignores_read_only_and_hidden_fields)
{
	struct form	 f;

	post("article_id=1&author_name=Ann&body=Hi&status=approved"
	    "&held_by=evil&ip=6.6.6.6&created_at=2026-01-01T00%3A00");
	form_read(r, model_find("comment"), &f);
	ck_assert_str_eq(form_value(&f, "held_by"), "");
	ck_assert_str_eq(form_value(&f, "ip"), "");
	ck_assert_str_eq(form_value(&f, "created_at"), "");
	ck_assert(form_validate(r, &f));
	ck_assert_int_eq(form_num(&f, "article_id"), 1);

	post("name=abc&agree=1&notes=posted");
	form_read(r, &thing, &f);
	ck_assert_str_eq(form_value(&f, "notes"), "kept");	/* default */
}
END_TEST

START_TEST(test_form_read_takes_every_m2m_value)
{
	struct form	 f;

	post("title=T&status=draft&kind=article&tags=3&tags=+7+&tags=");
	form_read(r, model_find("article"), &f);
	ck_assert_str_eq(form_value(&f, "tags"), "3,7");
	ck_assert(form_validate(r, &f));

	post("title=T&status=draft&kind=article&tags=3&tags=x");
	form_read(r, model_find("article"), &f);
	ck_assert(!form_validate(r, &f));
	ck_assert_str_eq(form_error(&f, "tags"),
	    "\xe2\x80\x9cx\xe2\x80\x9d is not a valid value.");
}
END_TEST

START_TEST(test_form_defaults_and_set)
{
	struct form	 f;

	form_init(r, model_find("article"), &f);
	ck_assert_str_eq(form_value(&f, "status"), "draft");
	ck_assert_str_eq(form_value(&f, "kind"), "article");
	ck_assert_str_eq(form_value(&f, "comments_open"), "1");
	ck_assert_int_eq(form_set(r, &f, "title", "Loaded"), 0);
	ck_assert_int_eq(form_set(r, &f, "nope", "x"), -1);
	ck_assert_str_eq(form_value(&f, "title"), "Loaded");
	ck_assert(form_validate(r, &f));
}
END_TEST

START_TEST(test_form_caller_errors_make_it_invalid)
{
	struct form	 f;

	form_init(r, model_find("tag"), &f);
	form_set(r, &f, "name", "C");
	form_set(r, &f, "slug", "c");
	ck_assert(form_validate(r, &f));
	ck_assert_int_eq(form_set_error(&f, "name",
	    "Tag with this Name already exists."), 0);
	ck_assert(!form_validate(r, &f));
	ck_assert_str_eq(form_error(&f, "name"),
	    "Tag with this Name already exists.");
	ck_assert_int_eq(form_set_error(&f, "nope", "x"), -1);

	form_init(r, model_find("tag"), &f);
	form_set(r, &f, "name", "C");
	form_set(r, &f, "slug", "c");
	form_set_error(&f, NULL, "Someone else changed this tag.");
	ck_assert(!form_validate(r, &f));
}
END_TEST

START_TEST(test_form_export_fills_the_hdf)
{
	struct form	 f;

	post("title=&status=published&kind=page&excerpt=%3Cb%3E");
	form_read(r, model_find("article"), &f);
	form_set_error(&f, NULL, "Please correct the errors below.");
	ck_assert(!form_validate(r, &f));
	form_export(r, &f, "Form");
	ck_assert_str_eq(hdf("Form.error"), "Please correct the errors "
	    "below.");
	ck_assert_str_eq(hdf("Form.has_errors"), "1");
	ck_assert_str_eq(hdf("Form.fields.0.name"), "title");
	ck_assert_str_eq(hdf("Form.fields.0.label"), "Title");
	ck_assert_str_eq(hdf("Form.fields.0.type"), "text");
	ck_assert_str_eq(hdf("Form.fields.0.value"), "");
	ck_assert_str_eq(hdf("Form.fields.0.error"),
	    "This field is required.");
	ck_assert_str_eq(hdf("Form.fields.0.required"), "1");
	ck_assert_str_eq(hdf("Form.fields.0.max"), "300");
	ck_assert_ptr_null(hdf("Form.fields.0.readonly"));
	ck_assert_str_eq(hdf("Form.fields.1.help"), "The article's address. "
	    "Leave empty to make one from the title.");
	ck_assert_str_eq(hdf("Form.fields.2.target"), "user");
	ck_assert_str_eq(hdf("Form.fields.3.name"), "status");
	ck_assert_str_eq(hdf("Form.fields.3.choices.2.value"), "published");
	ck_assert_str_eq(hdf("Form.fields.3.choices.2.label"), "Published");
	ck_assert_str_eq(hdf("Form.fields.3.choices.2.selected"), "1");
	ck_assert_ptr_null(hdf("Form.fields.3.choices.0.selected"));
	ck_assert_ptr_null(hdf("Form.fields.3.error"));
	/* Values go in raw: the template escapes them. */
	ck_assert_str_eq(hdf("Form.fields.6.value"), "<b>");
	ck_assert_str_eq(hdf("Form.fields.10.name"), "created_at");
	ck_assert_str_eq(hdf("Form.fields.10.readonly"), "1");
	ck_assert_str_eq(hdf("Form.fields.11.name"), "updated_at");
	ck_assert_ptr_null(hdf("Form.fields.12.name"));
}
END_TEST

START_TEST(test_form_export_leaves_out_hidden_fields)
{
	struct form	 f;

	form_init(r, &thing, &f);
	form_export(r, &f, "F");
	ck_assert_str_eq(hdf("F.fields.3.name"), "agree");
	ck_assert_ptr_null(hdf("F.fields.4.name"));	/* notes: neither */
	ck_assert_ptr_null(hdf("F.has_errors"));
	ck_assert_ptr_null(hdf("F.error"));
}
END_TEST

Suite *
form_suite(void)
{
	Suite	*s = suite_create("form");
	TCase	*tc = tcase_create("form");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_form_required_and_optional);
	tcase_add_test(tc, test_form_lengths_in_characters_with_djangos_words);
	tcase_add_test(tc, test_form_integers_and_ranges);
	tcase_add_test(tc, test_form_choices);
	tcase_add_test(tc, test_form_datetime_accepts_both_forms_as_utc);
	tcase_add_test(tc, test_form_datetime_refuses_bad_dates_and_shapes);
	tcase_add_test(tc, test_form_datetime_formats_for_the_input);
	tcase_add_test(tc, test_form_email_url_slug);
	tcase_add_test(tc, test_form_foreign_keys_and_id_lists);
	tcase_add_test(tc, test_form_field_check_runs_after_the_type);
	tcase_add_test(tc, test_form_read_trims_and_reads_checkboxes);
	tcase_add_test(tc, test_form_unchecked_box_is_false);
	tcase_add_test(tc, test_form_read_ignores_read_only_and_hidden_fields);
	tcase_add_test(tc, test_form_read_takes_every_m2m_value);
	tcase_add_test(tc, test_form_defaults_and_set);
	tcase_add_test(tc, test_form_caller_errors_make_it_invalid);
	tcase_add_test(tc, test_form_export_fills_the_hdf);
	tcase_add_test(tc, test_form_export_leaves_out_hidden_fields);
	suite_add_tcase(s, tc);
	return s;
}
