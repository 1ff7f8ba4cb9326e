/*
 * 018_admin: the generic admin through nginx.  The permission matrix
 * (anonymous, reader, staff without permissions, author, moderator,
 * editor, superuser x article, tag, comment, user, group x view, add,
 * change, delete), direct POSTs included; add and change with every
 * kind of validation error; unique values as form errors; a concurrent
 * edit refused; bulk delete with its confirmation, the trash and
 * restore; history with old and new values, revert and undo; the CSV
 * export against the filtered list; the user add form with two
 * passwords and the superuser-only flags; a changelist over 1,000,000
 * articles.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define PW	"Correct-Horse-42-battery"

/* ---- forms as a browser fills them in ------------------------------------ */

struct fields {
	char	*name[256];
	char	*value[256];
	size_t	 n;
};

static void
fields_free(struct fields *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->name[i]);
		free(f->value[i]);
	}
	f->n = 0;
}

static void
fields_add(struct fields *f, const char *name, const char *value)
{
	if (f->n < 256) {
		f->name[f->n] = strdup(name);
		f->value[f->n++] = strdup(value);
	}
}

/* Set name to value: replace every pair named name by one. */
static void
fields_set(struct fields *f, const char *name, const char *value)
{
	size_t	 k = 0;

	for (size_t i = 0; i < f->n; i++) {
		if (strcmp(f->name[i], name) == 0) {
			free(f->name[i]);
			free(f->value[i]);
			continue;
		}
		f->name[k] = f->name[i];
		f->value[k++] = f->value[i];
	}
	f->n = k;
	if (value != NULL)
		fields_add(f, name, value);
}

/* HTML text with the entities the templates write decoded, malloc'd. */
static char *
unescape(const char *s, size_t n)
{
	static const struct {
		const char *e;
		char	 c;
	} ents[] = { { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
	    { "&quot;", '"' }, { "&#39;", '\'' }, { "&#x27;", '\'' } };
	char	*o = malloc(n + 1), *d = o;

	for (size_t i = 0; i < n; ) {
		size_t	 k;

		for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++) {
			size_t	 l = strlen(ents[k].e);

			if (i + l <= n && strncmp(s + i, ents[k].e, l) == 0) {
				*d++ = ents[k].c;
				i += l;
				break;
			}
		}
		if (k == sizeof(ents) / sizeof(ents[0]))
			*d++ = s[i++];
	}
	*d = '\0';
	return o;
}

/* The value of attribute attr in the tag [t, end), malloc'd, or NULL. */
static char *
attr(const char *t, const char *end, const char *name)
{
	char	 key[64];
	const char *p, *q;

	snprintf(key, sizeof(key), " %s=\"", name);
	if ((p = strstr(t, key)) == NULL || p > end)
		return NULL;
	p += strlen(key);
	if ((q = strchr(p, '"')) == NULL || q > end)
		return NULL;
	return unescape(p, (size_t)(q - p));
}

static bool
has_attr(const char *t, const char *end, const char *name)
{
	char	 key[64];
	const char *p;

	snprintf(key, sizeof(key), " %s", name);
	return (p = strstr(t, key)) != NULL && p < end &&
	    (p[strlen(key)] == '>' || p[strlen(key)] == ' ' ||
	    p[strlen(key)] == '=');
}

/*
 * The fields of the form whose id is form_id in html as a browser would
 * submit them (no submit buttons): inputs (checkboxes only if checked),
 * textareas, selects (the selected option).
 */
static void
scrape(const char *html, const char *form_id, struct fields *f)
{
	char	 key[128];
	const char *p, *stop, *sel = NULL;

	f->n = 0;
	snprintf(key, sizeof(key), "<form method=\"post\" id=\"%s\"", form_id);
	if ((p = strstr(html, key)) == NULL ||
	    (stop = strstr(p, "</form>")) == NULL)
		return;
	while ((p = strchr(p + 1, '<')) != NULL && p < stop) {
		const char *end = strchr(p, '>');
		char	*name, *value, *type;

		if (end == NULL)
			break;
		if (strncmp(p, "<select", 7) == 0)
			sel = p;
		else if (strncmp(p, "</select", 8) == 0)
			sel = NULL;
		else if (strncmp(p, "<option", 7) == 0 && sel != NULL &&
		    has_attr(p, end, "selected")) {
			name = attr(sel, strchr(sel, '>'), "name");
			value = attr(p, end, "value");
			if (name != NULL && value != NULL)
				fields_add(f, name, value);
			free(name);
			free(value);
		} else if (strncmp(p, "<input", 6) == 0) {
			name = attr(p, end, "name");
			value = attr(p, end, "value");
			type = attr(p, end, "type");
			if (name != NULL && (type == NULL ||
			    (strcmp(type, "checkbox") != 0 &&
			    strcmp(type, "submit") != 0) ||
			    has_attr(p, end, "checked")))
				fields_add(f, name, value != NULL ? value : "");
			free(name);
			free(value);
			free(type);
		} else if (strncmp(p, "<textarea", 9) == 0) {
			const char *vs = end + 1, *ve = strstr(vs, "</textarea>");

			if (*vs == '\n')
				vs++;
			name = attr(p, end, "name");
			if (name != NULL && ve != NULL) {
				value = unescape(vs, (size_t)(ve - vs));
				fields_add(f, name, value);
				free(value);
			}
			free(name);
		}
	}
}

static char *
encode(const struct fields *f)
{
	size_t	 cap = 64, len = 0;
	char	*o = malloc(cap);

	o[0] = '\0';
	for (size_t i = 0; i < f->n; i++) {
		const char *parts[2] = { f->name[i], f->value[i] };

		for (int k = 0; k < 2; k++) {
			for (const unsigned char *s = (const unsigned char *)
			    parts[k]; *s != '\0'; s++) {
				if (len + 8 > cap)
					o = realloc(o, cap *= 2);
				if (isalnum(*s) || strchr("-._~", *s) != NULL)
					o[len++] = (char)*s;
				else
					len += (size_t)sprintf(o + len, "%%%02X",
					    *s);
			}
			if (len + 4 > cap)
				o = realloc(o, cap *= 2);
			o[len++] = k == 0 ? '=' : '&';
		}
	}
	if (len > 0)
		len--;		/* the last '&' */
	o[len] = '\0';
	return o;
}

/*
 * GET path, scrape form form_id, apply the name, value pairs after resp
 * (value NULL: remove the field), POST it back to path.  Returns the
 * POST's status (the GET's if it was not 200).
 */
static int
submit(struct browser *c, const char *path, const char *form_id,
    struct resp *resp, ...)
{
	struct fields	 f;
	struct resp	 g = { 0 };
	const char	*name;
	char		*body;
	va_list		 ap;
	int		 st;

	resp_free(resp);
	if ((st = browser_get(c, path, &g)) != 200) {
		*resp = g;
		return st;
	}
	scrape(g.body, form_id, &f);
	resp_free(&g);
	va_start(ap, resp);
	while ((name = va_arg(ap, const char *)) != NULL)
		fields_set(&f, name, va_arg(ap, const char *));
	va_end(ap);
	body = encode(&f);
	st = browser_post(c, path, body, resp);
	free(body);
	fields_free(&f);
	return st;
}

/* The csrf_token on page path. */
static char *
token(struct browser *c, const char *path)
{
	return browser_form_value(c, path, "csrf_token");
}

/* The first number in the output of a query (a count or an id). */
static long long
sql_num(const struct site *s, const char *q)
{
	char		*out = site_sql(s, q);
	long long	 n = out != NULL ? atoll(out) : -1;

	free(out);
	return n;
}

/* ---- the people ------------------------------------------------------------- */

/* Staff user name in group (NULL: none), logged in into c. */
static bool
staff(struct browser *c, const struct site *s, const char *name,
    const char *group)
{
	char	*q;

	if (sql_num(s, q = str_printf("SELECT count(*) FROM users WHERE "
	    "username = '%s'", name)) == 0) {
		site_create_user(s, name, NULL, PW);
		free(site_sql(s, str_printf("UPDATE users SET is_superuser = 0 "
		    "WHERE username = '%s'", name)));
		if (group != NULL)
			free(site_sql(s, str_printf("INSERT INTO user_groups "
			    "SELECT u.id, g.id FROM users u, groups g WHERE "
			    "u.username = '%s' AND g.name = '%s'", name,
			    group)));
	}
	free(q);
	return browser_init_logged_in(c, s, name, PW);
}

static long long
user_id(const struct site *s, const char *name)
{
	char		*q = str_printf("SELECT id FROM users WHERE username = "
	    "'%s'", name);
	long long	 id = sql_num(s, q);

	free(q);
	return id;
}

/* ---- the permission matrix --------------------------------------------------- */

enum who { ANON, READER, NOPERM, AUTHOR, MODERATOR, EDITOR, SUPER, WHO__MAX };
static const char *const who_names[WHO__MAX] = {
	"anonymous", "reader", "staff without permissions", "author",
	"moderator", "editor", "superuser"
};

/* Expected answers: the GET of each page ('v'iew list, 'a'dd form,
 * 'c'hange form, 'd'elete page) per person and model. */
struct expect {
	const char	*model;
	int		 view[WHO__MAX], add[WHO__MAX], change[WHO__MAX],
			 del[WHO__MAX];
};

static void
test_permission_matrix(struct site *s)
{
	struct browser	 b[WHO__MAX];
	long long	 own, other, cid, tid, gid, uid;
	char		*q;
	/* 302: to the login page; 403: refused; 200: shown. */
	const struct expect ex[] = {
		{ "article",
		  { 302, 403, 403, 200, 403, 200, 200 },
		  { 302, 403, 403, 200, 403, 200, 200 },
		  { 302, 403, 403, 200, 403, 200, 200 },
		  { 302, 403, 403, 200, 403, 200, 200 } },
		{ "tag",
		  { 302, 403, 403, 403, 403, 200, 200 },
		  { 302, 403, 403, 403, 403, 200, 200 },
		  { 302, 403, 403, 403, 403, 200, 200 },
		  { 302, 403, 403, 403, 403, 200, 200 } },
		{ "comment",	/* no add page: comments come from readers */
		  { 302, 403, 403, 403, 200, 200, 200 },
		  { 302, 403, 403, 403, 403, 403, 403 },
		  { 302, 403, 403, 403, 200, 200, 200 },
		  { 302, 403, 403, 403, 403, 200, 200 } },
		{ "user",
		  { 302, 403, 403, 403, 403, 403, 200 },
		  { 302, 403, 403, 403, 403, 403, 200 },
		  { 302, 403, 403, 403, 403, 403, 200 },
		  { 302, 403, 403, 403, 403, 403, 200 } },
		{ "group",
		  { 302, 403, 403, 403, 403, 403, 200 },
		  { 302, 403, 403, 403, 403, 403, 200 },
		  { 302, 403, 403, 403, 403, 403, 200 },
		  { 302, 403, 403, 403, 403, 403, 200 } },
	};

	browser_init(&b[ANON], s, true);
	REQUIRE(browser_init_signed_up(&b[READER], s, "matrix_reader", PW),
	    "reader");
	REQUIRE(staff(&b[NOPERM], s, "matrix_noperm", NULL), "noperm");
	REQUIRE(staff(&b[AUTHOR], s, "matrix_author", "Authors"), "author");
	REQUIRE(staff(&b[MODERATOR], s, "matrix_mod", "Moderators"), "mod");
	REQUIRE(staff(&b[EDITOR], s, "matrix_editor", "Editors"), "editor");
	site_create_user(s, "matrix_super", NULL, PW);
	REQUIRE(browser_init_logged_in(&b[SUPER], s, "matrix_super", PW),
	    "super");
	own = site_save_article(s, "title", "Matrix own", "status", "draft",
	    "author", "matrix_author", (char *)NULL);
	other = site_save_article(s, "title", "Matrix other", "status",
	    "draft", "author", "matrix_editor", (char *)NULL);
	free(site_sql(s, q = str_printf("INSERT INTO comments (article_id, "
	    "author_name, body, body_html, status, created_at, updated_at) "
	    "VALUES (%lld, 'Matrix commenter', 'Hi', '<p>Hi</p>', 'pending', "
	    "1700000000, 1700000000)", own)));
	free(q);
	cid = sql_num(s, "SELECT max(id) FROM comments");
	free(site_sql(s, "INSERT INTO tags (slug, name) VALUES "
	    "('matrix', 'Matrix')"));
	tid = sql_num(s, "SELECT id FROM tags WHERE slug = 'matrix'");
	gid = sql_num(s, "SELECT id FROM groups WHERE name = 'Authors'");
	uid = user_id(s, "matrix_reader");
	REQUIRE(own > 0 && other > 0 && cid > 0 && tid > 0 && gid > 0 &&
	    uid > 0, "fixtures: own %lld other %lld comment %lld tag %lld "
	    "group %lld user %lld", own, other, cid, tid, gid, uid);

	/* The index: staff only. */
	for (int w = 0; w < WHO__MAX; w++) {
		struct resp	 r = { 0 };
		int		 st = browser_get(&b[w], "/admin/", &r);

		CHECK_INT(st, w == ANON ? 302 : w == READER ? 403 : 200,
		    "GET /admin/ as %s", who_names[w]);
		if (w == ANON)
			CHECK_CONTAINS(resp_header(&r, "Location"),
			    "/accounts/login/?next=%2Fadmin%2F",
			    "anonymous goes to the login page with next");
		resp_free(&r);
	}
	for (size_t m = 0; m < sizeof(ex) / sizeof(ex[0]); m++) {
		long long	 id = strcmp(ex[m].model, "article") == 0 ? own :
		    strcmp(ex[m].model, "tag") == 0 ? tid :
		    strcmp(ex[m].model, "comment") == 0 ? cid :
		    strcmp(ex[m].model, "user") == 0 ? uid : gid;
		char		*list = str_printf("/admin/%s/", ex[m].model);
		char		*add = str_printf("/admin/%s/add/", ex[m].model);
		char		*chg = str_printf("/admin/%s/%lld/", ex[m].model,
		    id);
		char		*del = str_printf("/admin/%s/%lld/delete/",
		    ex[m].model, id);

		for (int w = 0; w < WHO__MAX; w++) {
			struct resp	 r = { 0 };

			CHECK_INT(browser_get(&b[w], list, &r), ex[m].view[w],
			    "GET %s as %s", list, who_names[w]);
			CHECK_INT(browser_get(&b[w], add, &r), ex[m].add[w],
			    "GET %s as %s", add, who_names[w]);
			CHECK_INT(browser_get(&b[w], chg, &r),
			    ex[m].change[w], "GET %s as %s", chg,
			    who_names[w]);
			CHECK_INT(browser_get(&b[w], del, &r), ex[m].del[w],
			    "GET %s as %s", del, who_names[w]);
			resp_free(&r);
		}
		free(list);
		free(add);
		free(chg);
		free(del);
	}

	/* An author sees and changes only their own articles. */
	{
		struct resp	 r = { 0 };
		char		*p = str_printf("/admin/article/%lld/", other);

		CHECK_INT(browser_get(&b[AUTHOR], p, &r), 403,
		    "an author opens another's article");
		free(p);
		p = str_printf("/admin/article/%lld/delete/", other);
		CHECK_INT(browser_get(&b[AUTHOR], p, &r), 403,
		    "an author deletes another's article");
		free(p);
		CHECK_INT(browser_get(&b[AUTHOR], "/admin/article/", &r), 200,
		    "the author's list");
		CHECK_CONTAINS(r.body, "Matrix own", "their article is listed");
		CHECK_NOT_CONTAINS(r.body, "Matrix other",
		    "another's is not");
		CHECK_CONTAINS(r.body, "1 article", "and counted alone");
		resp_free(&r);
	}

	/* Direct POSTs to forms the user cannot see change nothing. */
	{
		struct resp	 r = { 0 };
		char		*t = token(&b[MODERATOR], "/admin/");
		char		*p = str_printf("/admin/article/%lld/", own);
		char		*d = str_printf("/admin/article/%lld/delete/",
		    own);

		CHECK_INT(browser_post_token(&b[MODERATOR], p, t, &r, "title",
		    "Hijacked", "status", "published", (char *)NULL), 403,
		    "a moderator POSTs an article change");
		CHECK_INT(browser_post_token(&b[MODERATOR], d, t, &r, "post",
		    "yes", (char *)NULL), 403,
		    "a moderator POSTs an article delete");
		CHECK_INT(browser_post_token(&b[MODERATOR], "/admin/tag/add/",
		    t, &r, "name", "Sneaky", "slug", "sneaky", (char *)NULL),
		    403, "a moderator POSTs a new tag");
		CHECK_INT(browser_post_token(&b[MODERATOR], "/admin/article/",
		    t, &r, "action", "delete_selected", "post", "yes",
		    "_selected_action", "1", (char *)NULL), 403,
		    "a moderator POSTs a bulk delete");
		free(t);
		t = token(&b[AUTHOR], "/admin/");
		free(p);
		p = str_printf("/admin/article/%lld/", other);
		CHECK_INT(browser_post_token(&b[AUTHOR], p, t, &r, "title",
		    "Hijacked", (char *)NULL), 403,
		    "an author POSTs a change to another's article");
		free(t);
		t = token(&b[EDITOR], "/admin/");
		CHECK_INT(browser_post_token(&b[EDITOR], "/admin/user/add/", t,
		    &r, "username", "mallory", "email", "m@example.com",
		    "password1", PW, "password2", PW, (char *)NULL), 403,
		    "an editor POSTs a new user");
		CHECK_INT(browser_post_token(&b[READER], "/admin/tag/add/",
		    token(&b[READER], "/"), &r, "name", "x", "slug", "x",
		    (char *)NULL), 403, "a reader POSTs a new tag");
		free(t);
		free(p);
		free(d);
		resp_free(&r);
		CHECK_INT(sql_num(s, "SELECT count(*) FROM articles WHERE "
		    "title = 'Hijacked'"), 0, "no article was hijacked");
		CHECK_INT(sql_num(s, "SELECT count(*) FROM tags WHERE slug IN "
		    "('sneaky', 'x')"), 0, "no tag was made");
		CHECK_INT(sql_num(s, "SELECT count(*) FROM users WHERE "
		    "username = 'mallory'"), 0, "no user was made");
	}
	for (int w = 0; w < WHO__MAX; w++)
		browser_free(&b[w]);
}

/* ---- add, change and their errors ------------------------------------------- */

static void
test_tag_add_change_with_errors(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	long long	 id;

	REQUIRE(staff(&c, s, "tags_editor", "Editors"), "editor");
	CHECK_INT(submit(&c, "/admin/tag/add/", "tag_form", &r, "name", "",
	    "slug", "Not a slug!", (char *)NULL), 200, "an empty name");
	CHECK_CONTAINS(r.body, "Please correct the errors below.", "summary");
	CHECK_CONTAINS(r.body, "This field is required.", "the name's error");
	CHECK_CONTAINS(r.body, "Enter a valid slug", "the slug's error");
	CHECK_CONTAINS(r.body, "value=\"Not a slug!\"", "what was typed stays");
	CHECK_INT(submit(&c, "/admin/tag/add/", "tag_form", &r, "name",
	    "Admin tag", "slug", "admin-tag", "_continue", "1", (char *)NULL),
	    303, "a good tag");
	id = sql_num(s, "SELECT id FROM tags WHERE slug = 'admin-tag'");
	REQUIRE(id > 0, "the tag was made");
	{
		char	*loc = strdup(resp_header(&r, "Location") != NULL ?
		    resp_header(&r, "Location") : "/");

		CHECK_INT(browser_get(&c, loc, &r), 200, "back to it");
		free(loc);
	}
	CHECK_CONTAINS(r.body, "was added successfully", "the message");
	CHECK_INT(submit(&c, "/admin/tag/add/", "tag_form", &r, "name",
	    "ADMIN TAG", "slug", "admin-tag", (char *)NULL), 200,
	    "the same name and slug again");
	CHECK_CONTAINS(r.body, "Tag with this Name already exists.",
	    "unique name (whatever its case) as a form error");
	CHECK_CONTAINS(r.body, "Tag with this Slug already exists.",
	    "unique slug as a form error");
	CHECK_INT(sql_num(s, "SELECT count(*) FROM tags WHERE slug = "
	    "'admin-tag'"), 1, "one tag");
	{
		char	*p = str_printf("/admin/tag/%lld/", id);

		CHECK_INT(submit(&c, p, "tag_form", &r, "description",
		    "About the admin", (char *)NULL), 303, "a change");
		CHECK_INT(sql_num(s, "SELECT count(*) FROM tags WHERE "
		    "description = 'About the admin'"), 1, "saved");
		free(p);
	}
	/* Articles: a bad date, a foreign key to nobody. */
	CHECK_INT(submit(&c, "/admin/article/add/", "article_form", &r,
	    "title", "Errors", "publish_at", "2024-02-30T10:00", "author_id",
	    "999999", (char *)NULL), 200, "a bad article");
	CHECK_CONTAINS(r.body, "Enter a valid date/time.", "the date");
	CHECK_CONTAINS(r.body, "Select a valid choice. That choice is not one "
	    "of the available choices.", "the author");
	CHECK_INT(submit(&c, "/admin/article/add/", "article_form", &r,
	    "title", "Preview me", "body", "Some *emphasis*", "_preview", "1",
	    (char *)NULL), 200, "a preview");
	CHECK_CONTAINS(r.body, "<em>emphasis</em>", "the body rendered");
	CHECK_INT(sql_num(s, "SELECT count(*) FROM articles WHERE title = "
	    "'Preview me'"), 0, "a preview saves nothing");
	resp_free(&r);
	browser_free(&c);
}

static void
test_concurrent_edit_is_refused(struct site *s)
{
	struct browser	 a, b;
	struct resp	 r = { 0 }, g = { 0 };
	struct fields	 fa;
	long long	 id = site_save_article(s, "title", "Two editors",
	    "status", "draft", (char *)NULL);
	char		*p = str_printf("/admin/article/%lld/", id), *body;

	REQUIRE(staff(&a, s, "conc_a", "Editors"), "a");
	REQUIRE(staff(&b, s, "conc_b", "Editors"), "b");
	/* A opens the form; B saves first; A saves from the old form. */
	REQUIRE(browser_get(&a, p, &g) == 200, "A opens it");
	scrape(g.body, "article_form", &fa);
	CHECK_INT(submit(&b, p, "article_form", &r, "title", "B's title",
	    (char *)NULL), 303, "B saves");
	fields_set(&fa, "title", "A's title");
	body = encode(&fa);
	CHECK_INT(browser_post(&a, p, body, &r), 200, "A's save is refused");
	CHECK_CONTAINS(r.body, "was changed by conc_b", "who changed it");
	CHECK_CONTAINS(r.body, "value=\"A&#39;s title\"",
	    "A's typing is kept");
	{
		char	*q = str_printf("SELECT title FROM articles WHERE id = "
		    "%lld", id), *t = site_sql(s, q);

		CHECK_CONTAINS(t, "B's title", "B's version stands");
		free(t);
		free(q);
	}
	/* Saving again from the refused form replaces B's version. */
	free(body);
	fields_free(&fa);
	scrape(r.body, "article_form", &fa);
	body = encode(&fa);
	CHECK_INT(browser_post(&a, p, body, &r), 303, "A saves on purpose");
	free(body);
	fields_free(&fa);
	free(p);
	resp_free(&r);
	resp_free(&g);
	browser_free(&a);
	browser_free(&b);
}

/* ---- delete, trash, restore, bulk ------------------------------------------- */

static void
test_bulk_delete_trash_and_restore(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	long long	 a1 = site_save_article(s, "title", "Bulk one", "status",
	    "draft", (char *)NULL);
	long long	 a2 = site_save_article(s, "title", "Bulk two", "status",
	    "draft", (char *)NULL);
	char		*t, *x1 = str_printf("%lld", a1), *x2 =
	    str_printf("%lld", a2), *q;

	REQUIRE(staff(&c, s, "bulk_editor", "Editors"), "editor");
	t = token(&c, "/admin/article/");
	CHECK_INT(browser_post_token(&c, "/admin/article/", t, &r, "action",
	    "delete_selected", "_selected_action", x1, "_selected_action", x2,
	    (char *)NULL), 200, "the confirmation page");
	CHECK_CONTAINS(r.body, "Are you sure?", "asks");
	CHECK_CONTAINS(r.body, "Bulk one", "lists the first");
	CHECK_CONTAINS(r.body, "Bulk two", "and the second");
	CHECK_CONTAINS(r.body, "moved to the trash", "says where they go");
	CHECK_INT(sql_num(s, q = str_printf("SELECT count(*) FROM articles "
	    "WHERE id IN (%lld, %lld) AND status = 'trash'", a1, a2)), 0,
	    "nothing happened yet");
	free(q);
	CHECK_INT(browser_post_token(&c, "/admin/article/", t, &r, "action",
	    "delete_selected", "post", "yes", "_selected_action", x1,
	    "_selected_action", x2, (char *)NULL), 303, "confirmed");
	CHECK_INT(sql_num(s, q = str_printf("SELECT count(*) FROM articles "
	    "WHERE id IN (%lld, %lld) AND status = 'trash'", a1, a2)), 2,
	    "both in the trash");
	free(q);
	/* Restore one from its page. */
	{
		char	*d = str_printf("/admin/article/%lld/delete/", a1);

		CHECK_INT(browser_post_token(&c, d, t, &r, "_restore", "1",
		    (char *)NULL), 303, "restore");
		CHECK_INT(sql_num(s, q = str_printf("SELECT count(*) FROM "
		    "articles WHERE id = %lld AND status = 'draft'", a1)), 1,
		    "back to draft");
		free(q);
		free(d);
		d = str_printf("/admin/article/%lld/delete/", a2);
		CHECK_INT(browser_get(&c, d, &r), 200, "delete from the trash");
		CHECK_CONTAINS(r.body, "will be deleted", "for good this time");
		CHECK_INT(browser_post_token(&c, d, t, &r, "post", "yes",
		    (char *)NULL), 303, "deleted");
		CHECK_INT(sql_num(s, q = str_printf("SELECT count(*) FROM "
		    "articles WHERE id = %lld", a2)), 0, "gone");
		free(q);
		free(d);
	}
	CHECK_INT(browser_post_token(&c, "/admin/article/", t, &r, "action",
	    "delete_selected", (char *)NULL), 303, "no rows selected");
	{
		char	*loc = strdup(resp_header(&r, "Location") != NULL ?
		    resp_header(&r, "Location") : "/");

		CHECK_INT(browser_get(&c, loc, &r), 200, "back");
		free(loc);
	}
	CHECK_CONTAINS(r.body, "Items must be selected", "says why");
	free(t);
	free(x1);
	free(x2);
	resp_free(&r);
	browser_free(&c);
}

/* ---- history ---------------------------------------------------------------- */

static void
test_history_old_new_revert_and_undo(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	long long	 id = site_save_article(s, "title", "History v1",
	    "status", "draft", (char *)NULL);
	char		*p = str_printf("/admin/article/%lld/", id);
	char		*h = str_printf("/admin/article/%lld/history/", id);
	char		*t, *q, *v;

	REQUIRE(staff(&c, s, "hist_editor", "Editors"), "editor");
	CHECK_INT(submit(&c, p, "article_form", &r, "title", "History v2",
	    (char *)NULL), 303, "v2");
	CHECK_INT(submit(&c, p, "article_form", &r, "title", "History v3",
	    "status", "published", (char *)NULL), 303, "v3");
	CHECK_INT(browser_get(&c, h, &r), 200, "the history");
	CHECK_CONTAINS(r.body, "<del>History v1</del> → <ins>History v2</ins>",
	    "old and new of the first change");
	CHECK_CONTAINS(r.body, "<del>Draft</del> → <ins>Published</ins>",
	    "a choice shown by its label");
	CHECK_CONTAINS(r.body, "hist_editor", "who");
	CHECK_INT(sql_num(s, q = str_printf("SELECT count(*) FROM admin_log "
	    "WHERE model = 'article' AND object_id = %lld AND object_repr "
	    "LIKE 'History%%'", id)), 2, "two entries");
	free(q);
	/* Revert to v2 (the older entry's version). */
	t = html_input_value(r.body, "csrf_token");
	{
		char	*rv = str_printf("/admin/article/%lld/history/%lld/"
		    "revert/", id, sql_num(s, q = str_printf("SELECT min(id) "
		    "FROM admin_log WHERE model = 'article' AND object_id = "
		    "%lld AND object_repr LIKE 'History%%'", id)));

		free(q);
		CHECK_INT(browser_post_token(&c, rv, t, &r, (char *)NULL), 303,
		    "revert to v2");
		v = site_sql(s, q = str_printf("SELECT title || '/' || status "
		    "FROM articles WHERE id = %lld", id));
		CHECK_CONTAINS(v, "History v2/draft", "v2 is back");
		free(v);
		free(q);
		/* Undo the revert: v3 again. */
		free(rv);
		rv = str_printf("/admin/article/%lld/history/%lld/revert/", id,
		    sql_num(s, q = str_printf("SELECT max(id) FROM admin_log "
		    "WHERE model = 'article' AND object_id = %lld", id)));
		free(q);
		CHECK_INT(browser_post_token(&c, rv, t, &r, "_undo", "1",
		    (char *)NULL), 303, "undo the revert");
		v = site_sql(s, q = str_printf("SELECT title || '/' || status "
		    "FROM articles WHERE id = %lld", id));
		CHECK_CONTAINS(v, "History v3/published", "v3 is back");
		free(v);
		free(q);
		free(rv);
	}
	CHECK_INT(browser_get(&c, h, &r), 200, "the history again");
	CHECK_CONTAINS(r.body, "Reverted", "the revert is in the history");
	/* The superuser's global log, filtered. */
	{
		struct browser	 su;

		site_create_user(s, "hist_super", NULL, PW);
		if (browser_init_logged_in(&su, s, "hist_super", PW)) {
			CHECK_INT(browser_get(&su, "/admin/log/?user="
			    "hist_editor&model=article", &r), 200, "the log");
			CHECK_CONTAINS(r.body, "History v2", "has the changes");
			CHECK_INT(browser_get(&su, "/admin/log/?user=nobody-here",
			    &r), 400, "an unknown user");
			CHECK_INT(browser_get(&c, "/admin/log/", &r), 403,
			    "editors do not see the global log");
		}
		browser_free(&su);
	}
	free(t);
	free(p);
	free(h);
	resp_free(&r);
	browser_free(&c);
}

/* ---- changelist and CSV ----------------------------------------------------- */

static void
test_changelist_parameters_and_csv(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	long long	 drafts = sql_num(s, "SELECT count(*) FROM articles "
	    "WHERE status = 'draft'");
	int		 lines = 0;

	REQUIRE(staff(&c, s, "list_editor", "Editors"), "editor");
	CHECK_INT(browser_get(&c, "/admin/article/?o=password", &r), 400,
	    "sorting by a field that is not sortable");
	CHECK_INT(browser_get(&c, "/admin/article/?body_html=x", &r), 400,
	    "filtering by a field that is not filterable");
	CHECK_INT(browser_get(&c, "/admin/article/?status=bogus", &r), 400,
	    "a value not among the choices");
	CHECK_INT(browser_get(&c, "/admin/article/?o=-title", &r), 200,
	    "sorted by title, descending");
	CHECK_CONTAINS(r.body, "aria-sort=\"descending\"", "marked");
	CHECK_INT(browser_get(&c, "/admin/article/?status=draft&_facets=1",
	    &r), 200, "filtered, with counts");
	CHECK_CONTAINS(r.body, "aria-current=\"true\">Draft</a>",
	    "the filter is shown as chosen");
	CHECK_INT(browser_get(&c, "/admin/article/export/?status=draft", &r),
	    200, "the CSV of the filtered list");
	CHECK_CONTAINS(resp_header(&r, "Content-Type"), "text/csv", "CSV");
	for (const char *p = r.body; p != NULL && (p = strstr(p, "\r\n")) !=
	    NULL; p += 2)
		lines++;
	CHECK_INT(lines - 1, drafts, "one line per draft, after the header");
	CHECK(strncmp(r.body, "id,Title,Status,Author", 22) == 0,
	    "the header row names the columns");
	CHECK_NOT_CONTAINS(r.body, ",Published,", "no published article");
	resp_free(&r);
	browser_free(&c);
}

/* ---- users ------------------------------------------------------------------ */

static void
test_user_add_two_passwords_and_flags(struct site *s)
{
	struct browser	 su, ua, nu;
	struct resp	 r = { 0 };
	long long	 id;
	char		*p;

	site_create_user(s, "users_super", NULL, PW);
	REQUIRE(browser_init_logged_in(&su, s, "users_super", PW), "super");
	CHECK_INT(submit(&su, "/admin/user/add/", "user_form", &r, "username",
	    "newbie", "email", "newbie@example.com", "password1", PW,
	    "password2", "something else", (char *)NULL), 200, "mismatch");
	CHECK_CONTAINS(r.body, "The two password fields didn’t match.",
	    "Django's message");
	CHECK_INT(submit(&su, "/admin/user/add/", "user_form", &r, "username",
	    "newbie", "email", "newbie@example.com", "password1", PW,
	    "password2", PW, (char *)NULL), 303, "made");
	id = user_id(s, "newbie");
	REQUIRE(id > 0, "the user exists");
	CHECK(browser_init_logged_in(&nu, s, "newbie", PW),
	    "the new user logs in with the password");
	browser_free(&nu);
	/* A staff member with user.change cannot make anyone staff. */
	REQUIRE(staff(&ua, s, "users_admin", NULL), "user admin");
	free(site_sql(s, "INSERT INTO user_permissions SELECT u.id, p.id "
	    "FROM users u, permissions p WHERE u.username = 'users_admin' "
	    "AND p.codename IN ('user.view', 'user.change')"));
	p = str_printf("/admin/user/%lld/", id);
	CHECK_INT(browser_get(&ua, p, &r), 200, "the change form");
	CHECK_NOT_CONTAINS(r.body, "name=\"is_staff\"",
	    "no staff checkbox for a non-superuser");
	CHECK_INT(browser_post_token(&ua, p, html_input_value(r.body,
	    "csrf_token"), &r, "_version", html_input_value(r.body,
	    "_version"), "username", "newbie", "email", "newbie@example.com",
	    "is_active", "1", "is_staff", "1", "is_superuser", "1",
	    (char *)NULL), 303, "a POST with the flags");
	CHECK_INT(sql_num(s, "SELECT is_staff + is_superuser FROM users "
	    "WHERE username = 'newbie'"), 0, "the flags were not set");
	/* ... nor change a superuser (their email would open their
	 * account). */
	{
		char	*sp = str_printf("/admin/user/%lld/",
		    user_id(s, "users_super"));
		char	*t;

		CHECK_INT(browser_get(&ua, sp, &r), 200, "a superuser's page");
		CHECK_CONTAINS(r.body, "but not to change it", "view only");
		t = html_input_value(r.body, "csrf_token");
		CHECK_INT(browser_post_token(&ua, sp, t, &r, "username",
		    "users_super", "email", "evil@example.com", (char *)NULL),
		    403, "a POST to a superuser's form");
		CHECK_INT(sql_num(s, "SELECT count(*) FROM users WHERE email = "
		    "'evil@example.com'"), 0, "the email did not change");
		free(t);
		free(sp);
	}
	CHECK_INT(submit(&su, p, "user_form", &r, "is_staff", "1",
	    (char *)NULL), 303, "a superuser sets staff");
	/* A user who wrote articles cannot be deleted (protected). */
	{
		char	*d = str_printf("/admin/user/%lld/delete/", id);
		char	*t;

		site_save_article(s, "title", "By newbie", "status", "draft",
		    "author", "newbie", (char *)NULL);
		CHECK_INT(browser_get(&su, d, &r), 200, "the delete page");
		CHECK_CONTAINS(r.body, "protected related objects",
		    "says it is protected");
		CHECK_NOT_CONTAINS(r.body, "name=\"post\"", "offers no button");
		t = html_input_value(r.body, "csrf_token");
		CHECK_INT(browser_post_token(&su, d, t, &r, "post", "yes",
		    (char *)NULL), 303, "a POST anyway");
		CHECK_INT(user_id(s, "newbie") > 0, 1, "the user is still there");
		free(t);
		free(d);
	}
	CHECK_INT(sql_num(s, "SELECT is_staff FROM users WHERE username = "
	    "'newbie'"), 1, "set");
	free(p);
	resp_free(&r);
	browser_free(&ua);
	browser_free(&su);
}

/* ---- a million rows --------------------------------------------------------- */

static void
test_changelist_of_a_million_articles(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	char		*next;

	char *const	 argv[] = { "/usr/bin/sqlite3", "-cmd", ".timeout 5000",
	    (char *)s->database, "INSERT INTO articles (slug, title, body, "
	    "body_html, status, publish_at, created_at, updated_at) "
	    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
	    "WHERE i < 1000000) SELECT 'million-' || i, 'Million ' || i, "
	    "'x', '<p>x</p>', 'published', 1500000000 + i, 1500000000 + i, "
	    "1500000000 + i FROM n", NULL };
	struct cmd_result res;

	/* Seeded in one statement (with the full-text triggers): a minute
	 * at most. */
	int		 rc = cmd_run(argv, 180000, &res);

	CHECK_INT(rc, 0, "seeding: %s", res.err);
	cmd_free(&res);
	REQUIRE(sql_num(s, "SELECT count(*) FROM articles") >= 1000000,
	    "a million articles");
	REQUIRE(staff(&c, s, "million_editor", "Editors"), "editor");
	CHECK_INT(browser_get(&c, "/admin/article/", &r), 200, "the list");
	CHECK_INT(resp_count(&r, "name=\"_selected_action\""), 100,
	    "a page of 100 rows");
	CHECK_CONTAINS(r.body, "more than 1,000 articles",
	    "no exact count of a big table");
	next = NULL;
	{
		const char *p = strstr(r.body, "rel=\"next\"");
		const char *h = p != NULL ? strstr(r.body, "<a href=\"/admin/"
		    "article/?cursor=") : NULL;

		if (h != NULL)
			next = strndup(h + 9, strcspn(h + 9, "\""));
	}
	REQUIRE(next != NULL, "a next page link");
	{
		char	*u = strdup(next);
		char	*a = strstr(u, "&amp;");

		if (a != NULL)
			memmove(a + 1, a + 5, strlen(a + 5) + 1);
		CHECK_INT(browser_get(&c, u, &r), 200, "the next page");
		CHECK_INT(resp_count(&r, "name=\"_selected_action\""), 100,
		    "100 more");
		free(u);
	}
	CHECK_INT(browser_get(&c, "/admin/article/?o=title", &r), 200,
	    "sorted by title");
	CHECK_INT(browser_get(&c, "/admin/article/?q=Million+999999", &r), 200,
	    "a search");
	CHECK_CONTAINS(r.body, "Million 999999", "found");
	free(next);
	resp_free(&r);
	browser_free(&c);
}

int
main(void)
{
	struct site		 s;
	struct site_opts	 o = { .workers = 2 };

	harness_init("018_admin");
	if (site_start(&s, &o) == 0) {
		RUN(test_permission_matrix, &s);
		RUN(test_tag_add_change_with_errors, &s);
		RUN(test_concurrent_edit_is_refused, &s);
		RUN(test_bulk_delete_trash_and_restore, &s);
		RUN(test_history_old_new_revert_and_undo, &s);
		RUN(test_changelist_parameters_and_csv, &s);
		RUN(test_user_add_two_passwords_and_flags, &s);
		RUN(test_changelist_of_a_million_articles, &s);
		site_check_log(&s);
		site_stop(&s);
	}
	return harness_finish();
}
