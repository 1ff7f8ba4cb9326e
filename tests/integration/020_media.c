/*
 * 020_media: the admin's media library through nginx.  An author uploads
 * a real PNG (multipart), sees it listed with its Markdown, and nginx
 * serves it at /media/NAME as image/png with nosniff and a CSP that runs
 * nothing; a file named evil.png whose content is HTML is refused with
 * Django's message and nothing is stored; a file over media_max_bytes is
 * a form error, a body over the upload limit a 413; anonymous visitors
 * go to the login page, readers get 403; another author (no
 * edit_others) cannot delete it, its uploader can, and the file leaves
 * the disk with its row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

#define PW	"correct horse battery staple"
#define MEDIA	"/admin/media/"
#define NOT_IMAGE "Upload a valid image. The file you uploaded was either " \
	"not an image or a corrupted image."

/* A real 3x2 RGB PNG (74 bytes, CRCs and all). */
static const unsigned char png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
	0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x02,
	0x08, 0x02, 0x00, 0x00, 0x00, 0x12, 0x16, 0xf1, 0x4d, 0x00, 0x00, 0x00,
	0x11, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00,
	0x41, 0x0c, 0x30, 0xc6, 0x7f, 0x00, 0x3b, 0xd8, 0x05, 0xfb, 0x39, 0x4d,
	0x96, 0xa5, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42,
	0x60, 0x82,
};

/* The stored name of the first upload, shared by the later cases. */
static char	 stored[128];

static char *
media_path(const struct site *s, const char *name)
{
	return str_printf("%s/media/%s", s->dir, name);
}

static int
stored_count(const struct site *s)
{
	char	*n = site_sql(s, "SELECT count(*) FROM media");
	int	 v = atoi(n);

	free(n);
	return v;
}

/* A staff member of group Authors only (createsuperuser, then demoted). */
static void
make_author(const struct site *s, const char *name)
{
	char	*q;

	CHECK_INT(site_create_user(s, name, NULL, PW), 0, "create %s", name);
	q = str_printf("UPDATE users SET is_superuser = 0, is_staff = 1"
	    " WHERE username = '%s';"
	    " INSERT INTO user_groups (user_id, group_id)"
	    " SELECT u.id, g.id FROM users u, groups g"
	    " WHERE u.username = '%s' AND g.name = 'Authors';"
	    " SELECT count(*) FROM user_groups ug JOIN users u"
	    " ON u.id = ug.user_id WHERE u.username = '%s'", name, name, name);
	free(site_sql(s, q));
	free(q);
}

static void
test_anonymous_goes_to_login(struct site *s)
{
	struct resp	 r = { 0 };

	http_get(s, MEDIA, &r);
	if (CHECK_STATUS(&r, 302, "GET", MEDIA))
		CHECK_CONTAINS(resp_header(&r, "Location"), "/accounts/login/",
		    "to the login page");
	resp_free(&r);
}

static void
test_reader_is_403(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	char		*tok;

	if (!browser_init_signed_up(&c, s, "reader", PW)) {
		browser_free(&c);
		return;
	}
	browser_get(&c, MEDIA, &r);
	CHECK_STATUS(&r, 403, "GET (reader)", MEDIA);
	/* A direct POST, with a good token from a page the reader sees. */
	tok = browser_form_value(&c, "/accounts/profile/", "csrf_token");
	CHECK(tok != NULL, "the reader's csrf_token");
	browser_post_file(&c, MEDIA, tok, "file", "a.png", "image/png", png,
	    sizeof(png), &r, (char *)NULL);
	CHECK_STATUS(&r, 403, "POST (reader)", MEDIA);
	CHECK_INT(stored_count(s), 0, "nothing stored for the reader");
	free(tok);
	resp_free(&r);
	browser_free(&c);
}

static void
test_author_uploads_png_and_nginx_serves_it(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 }, img = { 0 };
	char		*tok, *name = NULL, *path = NULL, *row = NULL, *q;
	struct stat	 st;

	if (!browser_init_logged_in(&c, s, "author1", PW))
		goto out;
	tok = browser_form_value(&c, MEDIA, "csrf_token");
	if (!CHECK(tok != NULL, "the upload form has a csrf_token"))
		goto out;
	browser_post_file(&c, MEDIA, tok, "file", "red dot.png", "image/png",
	    png, sizeof(png), &r, "alt", "A [red] dot", (char *)NULL);
	free(tok);
	if (!CHECK_STATUS(&r, 303, "POST (upload)", MEDIA))
		goto out;
	CHECK_STR(resp_header(&r, "Location"), MEDIA, "back to the list");
	browser_get(&c, MEDIA, &r);
	if (!CHECK_STATUS(&r, 200, "GET (after upload)", MEDIA))
		goto out;
	CHECK_CONTAINS(r.body, "was uploaded", "the success message");
	CHECK_CONTAINS(r.body, "red dot.png", "the original name listed");
	CHECK_CONTAINS(r.body, "3×2", "the dimensions listed");
	CHECK_CONTAINS(r.body, "![A \\[red\\] dot](/media/",
	    "the Markdown to paste, alt escaped");
	name = str_between(r.body, "](/media/", ")");
	if (!CHECK(name != NULL && strlen(name) == 36 &&
	    strcmp(name + 32, ".png") == 0, "a random .png name: %s",
	    name != NULL ? name : "(none)"))
		goto out;
	snprintf(stored, sizeof(stored), "%s", name);

	path = media_path(s, name);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644,
	    "stored as %s, mode 0644", path);
	q = str_printf("SELECT mime || ' ' || bytes || ' ' || width || 'x' ||"
	    " height || ' ' || original_name || ' ' || (uploaded_by = (SELECT"
	    " id FROM users WHERE username = 'author1')) FROM media WHERE"
	    " file = '%s'", name);
	row = site_sql(s, q);
	free(q);
	CHECK_STR(row, "image/png 74 3x2 red dot.png 1", "the row");
	free(row);
	row = NULL;
	q = str_printf("SELECT count(*) FROM admin_log WHERE model = 'media'"
	    " AND action = 'add' AND object_repr = 'red dot.png'");
	row = site_sql(s, q);
	free(q);
	CHECK_STR(row, "1", "the upload is in the history");

	/* nginx serves the bytes, as an image and never as a page. */
	q = str_printf("/media/%s", name);
	http_get(s, q, &img);
	if (CHECK_STATUS(&img, 200, "GET", q)) {
		CHECK_STR(resp_header(&img, "Content-Type"), "image/png",
		    "its type");
		CHECK(img.len == sizeof(png) &&
		    memcmp(img.body, png, sizeof(png)) == 0, "its bytes");
		CHECK_STR(resp_header(&img, "X-Content-Type-Options"),
		    "nosniff", "nosniff");
		CHECK_STR(resp_header(&img, "Content-Security-Policy"),
		    "default-src 'none'", "a policy that runs nothing");
	}
	free(q);
out:
	free(row);
	free(name);
	free(path);
	resp_free(&img);
	resp_free(&r);
	browser_free(&c);
}

static void
test_html_named_png_is_refused(struct site *s)
{
	static const char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\">"
	    "<script>alert(1)</script></svg>";
	static const char html[] = "<!DOCTYPE html><html><head><title>x"
	    "</title></head><body><script>alert(document.cookie)</script>"
	    "</body></html>\n";
	struct browser	 c;
	struct resp	 r = { 0 };
	char		*tok, *dir = str_printf("%s/media", s->dir);
	int		 before = stored_count(s), files = dir_count(dir, "");

	if (!browser_init_logged_in(&c, s, "author1", PW))
		goto out;
	tok = browser_form_value(&c, MEDIA, "csrf_token");
	browser_post_file(&c, MEDIA, tok, "file", "evil.png", "image/png",
	    html, sizeof(html) - 1, &r, "alt", "kept", (char *)NULL);
	free(tok);
	if (CHECK_STATUS(&r, 200, "POST (evil.png)", MEDIA)) {
		CHECK_CONTAINS(r.body, NOT_IMAGE, "Django's message");
		CHECK_CONTAINS(r.body, "class=\"errornote\"", "the summary");
		CHECK_CONTAINS(r.body, "value=\"kept\"", "the alt text kept");
	}
	CHECK_INT(stored_count(s), before, "no row");
	CHECK_INT(dir_count(dir, ""), files, "no file");

	/* SVG is an image, but it can carry scripts: refused too. */
	tok = browser_form_value(&c, MEDIA, "csrf_token");
	browser_post_file(&c, MEDIA, tok, "file", "logo.svg",
	    "image/svg+xml", svg, sizeof(svg) - 1, &r, (char *)NULL);
	free(tok);
	if (CHECK_STATUS(&r, 200, "POST (logo.svg)", MEDIA))
		CHECK_CONTAINS(r.body, NOT_IMAGE, "SVG refused");
	/* A PNG signature with nothing after it is a corrupted image. */
	tok = browser_form_value(&c, MEDIA, "csrf_token");
	browser_post_file(&c, MEDIA, tok, "file", "cut.png", "image/png",
	    png, 16, &r, (char *)NULL);
	free(tok);
	if (CHECK_STATUS(&r, 200, "POST (cut.png)", MEDIA))
		CHECK_CONTAINS(r.body, NOT_IMAGE, "a cut PNG refused");
	CHECK_INT(stored_count(s), before, "still no row");
out:
	free(dir);
	resp_free(&r);
	browser_free(&c);
}

static void
test_too_large_is_refused(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	char		*tok, *big = calloc(1, 1536 * 1024);
	int		 before = stored_count(s);

	if (!browser_init_logged_in(&c, s, "author1", PW) || big == NULL)
		goto out;
	/* Over media_max_bytes (4096 here): the form says so. */
	memcpy(big, png, sizeof(png));
	tok = browser_form_value(&c, MEDIA, "csrf_token");
	browser_post_file(&c, MEDIA, tok, "file", "big.png", "image/png",
	    big, 5000, &r, (char *)NULL);
	if (CHECK_STATUS(&r, 200, "POST (5000 bytes)", MEDIA))
		CHECK_CONTAINS(r.body, "The file is too large", "the error");
	/* Over media_max_bytes + max_body: gazette's 413, no crash. */
	browser_post_file(&c, MEDIA, tok, "file", "huge.png", "image/png",
	    big, 1536 * 1024, &r, (char *)NULL);
	CHECK_STATUS(&r, 413, "POST (1.5 MiB)", MEDIA);
	free(tok);
	CHECK_INT(stored_count(s), before, "nothing stored");
out:
	free(big);
	resp_free(&r);
	browser_free(&c);
}

static void
test_other_author_cannot_delete(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	char		*tok, *q, *id, *path, *url = NULL;

	REQUIRE(stored[0] != '\0', "a file was uploaded");
	q = str_printf("SELECT id FROM media WHERE file = '%s'", stored);
	id = site_sql(s, q);
	free(q);
	path = media_path(s, stored);
	if (!browser_init_logged_in(&c, s, "author2", PW))
		goto out;
	browser_get(&c, MEDIA, &r);
	if (CHECK_STATUS(&r, 200, "GET (author2)", MEDIA)) {
		CHECK_CONTAINS(r.body, stored, "author2 sees the file");
		CHECK_NOT_CONTAINS(r.body, "/delete/", "but no delete button");
	}
	tok = html_input_value(r.body, "csrf_token");
	url = str_printf(MEDIA "%s/delete/", id);
	browser_post_token(&c, url, tok, &r, (char *)NULL);
	free(tok);
	CHECK_STATUS(&r, 403, "POST (author2)", url);
	CHECK_INT(stored_count(s), 1, "the row stays");
	CHECK(access(path, F_OK) == 0, "the file stays");
out:
	free(url);
	free(path);
	free(id);
	resp_free(&r);
	browser_free(&c);
}

static void
test_uploader_deletes_file_and_row(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	char		*tok, *q, *id, *path, *url = NULL, *log = NULL;

	REQUIRE(stored[0] != '\0', "a file was uploaded");
	q = str_printf("SELECT id FROM media WHERE file = '%s'", stored);
	id = site_sql(s, q);
	free(q);
	path = media_path(s, stored);
	if (!browser_init_logged_in(&c, s, "author1", PW))
		goto out;
	url = str_printf(MEDIA "%s/delete/", id);
	browser_get(&c, MEDIA, &r);
	CHECK_CONTAINS(r.body, url, "the uploader has a delete button");
	tok = html_input_value(r.body, "csrf_token");
	browser_post_token(&c, MEDIA "999999/delete/", tok, &r, (char *)NULL);
	CHECK_STATUS(&r, 404, "POST", "a file that does not exist");
	browser_post_token(&c, url, tok, &r, (char *)NULL);
	free(tok);
	if (CHECK_STATUS(&r, 303, "POST (uploader)", url))
		CHECK_STR(resp_header(&r, "Location"), MEDIA, "to the list");
	CHECK_INT(stored_count(s), 0, "the row is gone");
	CHECK(access(path, F_OK) != 0, "the file is gone from the disk");
	log = site_sql(s, "SELECT count(*) FROM admin_log WHERE"
	    " model = 'media' AND action = 'delete'");
	CHECK_STR(log, "1", "the delete is in the history");
	q = str_printf("/media/%s", stored);
	http_get(s, q, &r);
	CHECK_STATUS(&r, 404, "GET (deleted)", q);
	free(q);
	browser_get(&c, MEDIA, &r);
	CHECK_CONTAINS(r.body, "was deleted", "the message");
	CHECK_CONTAINS(r.body, "No files yet.", "an empty library");
out:
	free(log);
	free(url);
	free(path);
	free(id);
	resp_free(&r);
	browser_free(&c);
}

/* Headers libmagic takes for each type, with sizes to read back. */
static const struct {
	const char	*name;
	const char	*data;
	size_t		 len;
	const char	*want;		/* mime WxH extension */
} kinds[] = {
	{ "two by five.gif",
	    "GIF89a\x02\x00\x05\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00"
	    "\x21\xf9\x04\x01\x00\x00\x00\x00\x2c\x00\x00\x00\x00\x01\x00"
	    "\x01\x00\x00\x02\x02\x44\x01\x00\x3b", 43, "image/gif 2x5 gif" },
	/* JFIF APP0, a quantisation table, SOF0 of 4x7, EOI. */
	{ "four by seven.jpeg",
	    "\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01"
	    "\x00\x00\xff\xdb\x00\x43\x00"
	    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
	    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
	    "\xff\xc0\x00\x11\x08\x00\x07\x00\x04\x03\x01\x22\x00\x02\x11\x01"
	    "\x03\x11\x01\xff\xd9", 110, "image/jpeg 4x7 jpg" },
	/* Lossless WebP (VP8L) of 5x7. */
	{ "five by seven.webp",
	    "RIFF\x1c\x00\x00\x00WEBPVP8L\x10\x00\x00\x00\x2f\x04\x80\x01\x00"
	    "\0\0\0\0\0\0\0\0\0\0\0", 36, "image/webp 5x7 webp" },
};

static void
test_gif_jpeg_webp_keep_their_type_and_size(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };

	if (!browser_init_logged_in(&c, s, "author1", PW))
		goto out;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char	*tok = browser_form_value(&c, MEDIA, "csrf_token");
		char	*q, *row;

		browser_post_file(&c, MEDIA, tok, "file", kinds[i].name,
		    "application/octet-stream", kinds[i].data, kinds[i].len,
		    &r, (char *)NULL);
		free(tok);
		if (!CHECK_STATUS(&r, 303, "POST", kinds[i].name))
			continue;
		q = str_printf("SELECT mime || ' ' || width || 'x' || height ||"
		    " ' ' || substr(file, 34) FROM media WHERE original_name ="
		    " '%s'", kinds[i].name);
		row = site_sql(s, q);
		CHECK_STR(row, kinds[i].want, "%s as stored", kinds[i].name);
		free(row);
		free(q);
	}
out:
	resp_free(&r);
	browser_free(&c);
}

static void
test_list_pages_by_keyset(struct site *s)
{
	struct browser	 c;
	struct resp	 r = { 0 };
	char		*older = NULL, *page2 = NULL, *n;

	/* 60 rows (no files needed to list them) on top of what is there. */
	free(site_sql(s, "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL"
	    " SELECT i + 1 FROM k WHERE i < 60) INSERT INTO media (file,"
	    " original_name, mime, bytes, created_at) SELECT"
	    " printf('%032x.png', i), printf('seeded %d.png', i),"
	    " 'image/png', 10, 0 FROM k"));
	n = site_sql(s, "SELECT count(*) FROM media");
	if (!browser_init_logged_in(&c, s, "author1", PW))
		goto out;
	browser_get(&c, MEDIA, &r);
	if (!CHECK_STATUS(&r, 200, "GET", MEDIA))
		goto out;
	CHECK_INT(resp_count(&r, "class=\"readonly\""), 50, "50 a page");
	CHECK_CONTAINS(r.body, "seeded 60.png", "newest first");
	older = str_between(r.body, "<a href=\"/admin/media/?before=", "\"");
	if (!CHECK(older != NULL, "a link to older files"))
		goto out;
	page2 = str_printf(MEDIA "?before=%s", older);
	browser_get(&c, page2, &r);
	if (CHECK_STATUS(&r, 200, "GET", page2)) {
		CHECK_INT(resp_count(&r, "class=\"readonly\""),
		    atoi(n) - 50, "the rest on page 2");
		CHECK_CONTAINS(r.body, "seeded 1.png", "down to the oldest");
		CHECK_NOT_CONTAINS(r.body, "?before=", "no page 3");
		CHECK_CONTAINS(r.body, "Newest files", "back to the start");
	}
	browser_get(&c, MEDIA "?before=x", &r);
	CHECK_STATUS(&r, 200, "GET", "?before=x (clamped, not refused)");
out:
	free(n);
	free(older);
	free(page2);
	resp_free(&r);
	browser_free(&c);
}

int
main(void)
{
	struct site		 s;
	struct site_opts	 o = { .workers = 2,
	    .extra_ini = "[limits]\nmedia_max_bytes = 4096\n" };

	harness_init("020_media");
	if (site_start(&s, &o) == 0) {
		make_author(&s, "author1");
		make_author(&s, "author2");
		RUN(test_anonymous_goes_to_login, &s);
		RUN(test_reader_is_403, &s);
		RUN(test_author_uploads_png_and_nginx_serves_it, &s);
		RUN(test_html_named_png_is_refused, &s);
		RUN(test_too_large_is_refused, &s);
		RUN(test_other_author_cannot_delete, &s);
		RUN(test_uploader_deletes_file_and_row, &s);
		RUN(test_gif_jpeg_webp_keep_their_type_and_size, &s);
		RUN(test_list_pages_by_keyset, &s);
		RUN(site_check_log, &s);
		CHECK_INT(site_stop(&s), 0, "gazette's exit status");
	}
	return harness_finish();
}
