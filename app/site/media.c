/*
 * media: the admin's media library.  Owns the media table (0007) and the
 * files of the media directory ([paths] media): images for articles,
 * uploaded through the admin, stored under random names, served by
 * nginx at /media/ and pasted into an article's Markdown as
 * ![alt](/media/NAME).  A file's type is what libmagic finds in its
 * content, never its name or the type the browser sent; only PNG, JPEG,
 * GIF and WebP are kept (SVG can carry scripts).  Parsing the body is
 * http's (multipart); this file decides what to keep.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <magic.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/admin.h"
#include "core/arena.h"
#include "core/auth.h"
#include "core/config.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "core/render.h"
#include "core/router.h"
#include "core/util.h"
#include "site/site.h"

#define MEDIA_URL	"/media/"	/* nginx's location for the dir */
#define MEDIA_PER_PAGE	50
#define MEDIA_ALT_MAX	300		/* bytes */
#define MEDIA_NAME_MAX	200		/* bytes of the original name kept */

/* Django's message for a file that is not an image. */
static const char	 not_image[] = "Upload a valid image. The file you "
    "uploaded was either not an image or a corrupted image.";

/* The types kept, with the extension their files get. */
static const struct {
	const char	*mime;
	const char	*ext;
} media_types[] = {
	{ "image/png", "png" }, { "image/jpeg", "jpg" },
	{ "image/gif", "gif" }, { "image/webp", "webp" },
};

struct media {
	int64_t		 id;
	const char	*file;
	const char	*original_name;
	const char	*mime;
	int64_t		 bytes;
	int64_t		 width, height;	/* 0: unknown */
	const char	*alt;
	int64_t		 uploaded_by;	/* 0: nobody (deleted user) */
	const char	*username;
	int64_t		 created_at;
};

/* ---- content ----------------------------------------------------------- */

/*
 * The MIME type libmagic finds in [data, data+len), or NULL (r failed)
 * if libmagic cannot be used.  The cookie is opened on first use, so in
 * each worker after the fork, and kept for the process's life.
 */
static const char *
media_sniff(struct req *r, const void *data, size_t len)
{
	static magic_t	 cookie;
	const char	*t;

	if (cookie == NULL) {
		if ((cookie = magic_open(MAGIC_MIME_TYPE)) == NULL) {
			req_fail(r, 500, "magic_open: %s", strerror(errno));
			return NULL;
		}
		if (magic_load(cookie, NULL) != 0) {
			req_fail(r, 500, "magic_load: %s", magic_error(cookie));
			magic_close(cookie);
			cookie = NULL;
			return NULL;
		}
	}
	if ((t = magic_buffer(cookie, data, len)) == NULL) {
		req_fail(r, 500, "magic_buffer: %s", magic_error(cookie));
		return NULL;
	}
	return arena_strdup(r->arena, t);
}

static uint32_t
be16(const unsigned char *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t
le16(const unsigned char *p)
{
	return (uint32_t)p[1] << 8 | p[0];
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint32_t
le24(const unsigned char *p)
{
	return (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* JPEG: the first start-of-frame segment's size. */
static int
jpeg_size(const unsigned char *p, size_t n, uint32_t *w, uint32_t *h)
{
	size_t	 i = 2;

	while (i + 4 <= n) {
		unsigned	 m;

		if (p[i] != 0xff)
			return -1;
		while (i < n && p[i] == 0xff)		/* fill bytes */
			i++;
		if (i >= n)
			return -1;
		m = p[i++];
		if (m == 0xd8 || m == 0x01 || (m >= 0xd0 && m <= 0xd7))
			continue;			/* no length */
		if (m == 0xd9 || i + 2 > n)
			return -1;
		if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 &&
		    m != 0xcc) {
			if (i + 7 > n)
				return -1;
			*h = be16(p + i + 3);
			*w = be16(p + i + 5);
			return 0;
		}
		i += be16(p + i);
	}
	return -1;
}

/*
 * The width and height in the header of an image of type mime.  Returns
 * 0, or -1 if the header is too short or says 0: a corrupted image.
 */
static int
media_dimensions(const char *mime, const void *data, size_t n, uint32_t *w,
    uint32_t *h)
{
	const unsigned char	*p = data;

	*w = *h = 0;
	if (strcmp(mime, "image/png") == 0) {
		if (n < 24 || memcmp(p + 12, "IHDR", 4) != 0)
			return -1;
		*w = be32(p + 16);
		*h = be32(p + 20);
	} else if (strcmp(mime, "image/gif") == 0) {
		if (n < 10)
			return -1;
		*w = le16(p + 6);
		*h = le16(p + 8);
	} else if (strcmp(mime, "image/jpeg") == 0) {
		if (n < 4 || jpeg_size(p, n, w, h) != 0)
			return -1;
	} else if (strcmp(mime, "image/webp") == 0) {
		if (n < 30 || memcmp(p, "RIFF", 4) != 0 ||
		    memcmp(p + 8, "WEBP", 4) != 0)
			return -1;
		if (memcmp(p + 12, "VP8 ", 4) == 0) {
			if (memcmp(p + 23, "\x9d\x01\x2a", 3) != 0)
				return -1;
			*w = le16(p + 26) & 0x3fff;
			*h = le16(p + 28) & 0x3fff;
		} else if (memcmp(p + 12, "VP8L", 4) == 0) {
			uint32_t bits = (uint32_t)p[21] | (uint32_t)p[22] << 8 |
			    (uint32_t)p[23] << 16 | (uint32_t)p[24] << 24;

			if (p[20] != 0x2f)
				return -1;
			*w = (bits & 0x3fff) + 1;
			*h = ((bits >> 14) & 0x3fff) + 1;
		} else if (memcmp(p + 12, "VP8X", 4) == 0) {
			*w = le24(p + 24) + 1;
			*h = le24(p + 27) + 1;
		} else
			return -1;
	} else
		return -1;
	return *w > 0 && *h > 0 && *w <= INT32_MAX && *h <= INT32_MAX ?
	    0 : -1;
}

/* ---- text ---------------------------------------------------------------- */

/* "12 bytes", "3.4 KB", "1.2 MB" (units of 1024, as Django's filter). */
static const char *
media_size_human(struct req *r, int64_t n)
{
	if (n < 1024)
		return arena_printf(r->arena, "%" PRId64 " byte%s", n,
		    n == 1 ? "" : "s");
	if (n < 1024 * 1024)
		return arena_printf(r->arena, "%.1f KB", (double)n / 1024);
	return arena_printf(r->arena, "%.1f MB", (double)n / (1024 * 1024));
}

/* The Markdown that shows the image: ![alt](/media/FILE). */
static const char *
media_markdown(struct req *r, const struct media *m)
{
	size_t	 n = strlen(m->alt), j = 0;
	char	*alt = arena_alloc(r->arena, n * 2 + 1);

	for (size_t i = 0; i < n; i++) {
		if (strchr("\\[]", m->alt[i]) != NULL)
			alt[j++] = '\\';
		alt[j++] = m->alt[i];
	}
	alt[j] = '\0';
	return arena_printf(r->arena, "![%s](" MEDIA_URL "%s)", alt, m->file);
}

/*
 * The file name the browser sent without its directories (old browsers
 * send a whole path), cut to MEDIA_NAME_MAX bytes on a character
 * boundary.
 */
static const char *
media_original_name(struct req *r, const char *sent)
{
	const char	*s = sent;
	size_t		 n;

	for (const char *p = sent; *p != '\0'; p++)
		if (*p == '/' || *p == '\\')
			s = p + 1;
	n = strlen(s);
	if (n > MEDIA_NAME_MAX) {
		n = MEDIA_NAME_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	return arena_strndup(r->arena, s, n);
}

/* The alt text from the form: trimmed, line breaks as spaces. */
static const char *
media_alt(struct req *r)
{
	const char	*v = req_form(r, "alt");
	char		*s;

	if (v == NULL)
		return "";
	s = util_strtrim(r->arena, v);
	for (char *p = s; *p != '\0'; p++)
		if (*p == '\r' || *p == '\n' || *p == '\t')
			*p = ' ';
	return s;
}

/* ---- the table ------------------------------------------------------------ */

/* A row of the SELECTs below (their columns, in this order). */
static struct media *
media_row(struct req *r, sqlite3_stmt *st)
{
	struct media	*m = arena_zalloc(r->arena, sizeof(*m));

	m->id = sqlite3_column_int64(st, 0);
	m->file = db_col_strdup(r, st, 1);
	m->original_name = db_col_strdup(r, st, 2);
	m->mime = db_col_strdup(r, st, 3);
	m->bytes = sqlite3_column_int64(st, 4);
	m->width = sqlite3_column_int64(st, 5);
	m->height = sqlite3_column_int64(st, 6);
	m->alt = db_col_strdup(r, st, 7);
	m->uploaded_by = sqlite3_column_int64(st, 8);
	m->username = db_col_strdup(r, st, 9);
	m->created_at = sqlite3_column_int64(st, 10);
	return m;
}

/* Media id, or NULL if there is none (or r failed). */
static struct media *
media_by_id(struct req *r, int64_t id)
{
	static const char sql[] =
	    "SELECT m.id, m.file, m.original_name, m.mime, m.bytes, m.width,"
	    " m.height, m.alt, m.uploaded_by, u.username, m.created_at"
	    "  FROM media m LEFT JOIN users u ON u.id = m.uploaded_by"
	    " WHERE m.id = ?1";
	sqlite3_stmt	*st;
	struct media	*m = NULL;

	if ((st = db_stmt(r, sql)) == NULL)
		return NULL;
	db_bind_int64(r, st, 1, id);
	if (db_step(r, st) == SQLITE_ROW)
		m = media_row(r, st);
	db_done(r, st);
	return m;
}

/*
 * Up to n rows with ids below before (0: from the newest), newest first,
 * into out.  Returns how many, or -1 (r failed).
 */
static int
media_list(struct req *r, int64_t before, int n, struct media **out)
{
	static const char sql[] =
	    "SELECT m.id, m.file, m.original_name, m.mime, m.bytes, m.width,"
	    " m.height, m.alt, m.uploaded_by, u.username, m.created_at"
	    "  FROM media m LEFT JOIN users u ON u.id = m.uploaded_by"
	    " WHERE m.id < ?1 ORDER BY m.id DESC LIMIT ?2";
	sqlite3_stmt	*st;
	int		 k = 0, rc;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, before > 0 ? before : INT64_MAX);
	db_bind_int64(r, st, 2, n);
	while (k < n && (rc = db_step(r, st)) == SQLITE_ROW)
		out[k++] = media_row(r, st);
	db_done(r, st);
	return req_failed(r) ? -1 : k;
}

/* Insert m (id ignored); returns the new id, or -1 (r failed). */
static int64_t
media_insert(struct req *r, const struct media *m)
{
	static const char sql[] =
	    "INSERT INTO media (file, original_name, mime, bytes, width,"
	    " height, alt, uploaded_by, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	sqlite3_stmt	*st;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_text(r, st, 1, m->file);
	db_bind_text(r, st, 2, m->original_name);
	db_bind_text(r, st, 3, m->mime);
	db_bind_int64(r, st, 4, m->bytes);
	if (m->width > 0 && m->height > 0) {
		db_bind_int64(r, st, 5, m->width);
		db_bind_int64(r, st, 6, m->height);
	} else {
		db_bind_null(r, st, 5);
		db_bind_null(r, st, 6);
	}
	db_bind_text(r, st, 7, m->alt);
	if (m->uploaded_by > 0)
		db_bind_int64(r, st, 8, m->uploaded_by);
	else
		db_bind_null(r, st, 8);
	db_bind_int64(r, st, 9, m->created_at);
	db_step(r, st);
	db_done(r, st);
	return req_failed(r) ? -1 : sqlite3_last_insert_rowid(db_handle());
}

static int
media_delete_row(struct req *r, int64_t id)
{
	static const char sql[] = "DELETE FROM media WHERE id = ?1";
	sqlite3_stmt	*st;

	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_int64(r, st, 1, id);
	db_step(r, st);
	db_done(r, st);
	return req_failed(r) ? -1 : 0;
}

/* ---- files ---------------------------------------------------------------- */

static const char *
media_dir(void)
{
	const struct config *c = config_current();

	return c != NULL && c->media_dir != NULL ? c->media_dir : "var/media";
}

/*
 * Write data to DIR/name, mode 0644, through a temporary file renamed
 * into place, so that nginx never serves half a file.  Creates DIR
 * (one level) if missing.  Returns 0, or -1 (r failed, nothing left).
 */
static int
media_write(struct req *r, const char *name, const char *data, size_t len)
{
	const char	*dir = media_dir();
	const char	*path = arena_printf(r->arena, "%s/%s", dir, name);
	const char	*tmp = arena_printf(r->arena, "%s/.%s.tmp", dir, name);
	size_t		 done = 0;
	int		 fd;

	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		req_fail(r, 500, "media: mkdir %s: %s", dir, strerror(errno));
		return -1;
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0644)) < 0) {
		req_fail(r, 500, "media: open %s: %s", tmp, strerror(errno));
		return -1;
	}
	while (done < len) {
		ssize_t	 k = write(fd, data + done, len - done);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		done += (size_t)k;
	}
	/* fchmod: the umask must not hide the file from nginx. */
	if (done < len || fchmod(fd, 0644) != 0 || fsync(fd) != 0) {
		req_fail(r, 500, "media: write %s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		req_fail(r, 500, "media: rename %s: %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static void
media_unlink(struct req *r, const char *name)
{
	const char *path = arena_printf(r->arena, "%s/%s", media_dir(), name);

	if (unlink(path) != 0 && errno != ENOENT)
		log_msg(LOG_WARN, "rid=%s msg=\"media: unlink %s: %s\"",
		    r->request_id, name, strerror(errno));
}

/* ---- pages -------------------------------------------------------------- */

static bool
media_may_delete(struct req *r, const struct media *m)
{
	return auth_may_change_own(r, r->user, "article.delete",
	    m->uploaded_by);
}

/*
 * Check and store the upload of the form.  Returns the new row's id, 0
 * with Form.errors.* set when the form is refused, or -1 (r failed).
 */
static int64_t
media_upload(struct req *r)
{
	const struct config	*c = config_current();
	const struct upload	*u = req_upload(r, "file");
	unsigned char		 rnd[16];
	char			 hex[sizeof(rnd) * 2 + 1];
	struct media		 m;
	const char		*ext = NULL;
	uint32_t		 w, h;
	int64_t			 id;

	memset(&m, 0, sizeof(m));
	m.alt = media_alt(r);
	if (strlen(m.alt) > MEDIA_ALT_MAX) {
		render_set(r, "Form.errors.alt", arena_printf(r->arena,
		    "Ensure this value has at most %d characters.",
		    MEDIA_ALT_MAX));
		return 0;
	}
	if (u == NULL || (u->len == 0 && u->filename[0] == '\0')) {
		render_set(r, "Form.errors.file", "No file was submitted. "
		    "Check the encoding type on the form.");
		return 0;
	}
	if (u->len == 0) {
		render_set(r, "Form.errors.file", "The submitted file is "
		    "empty.");
		return 0;
	}
	if (c != NULL && u->len > (size_t)c->media_max_bytes) {
		render_set(r, "Form.errors.file", arena_printf(r->arena,
		    "The file is too large (%s); the limit is %s.",
		    media_size_human(r, (int64_t)u->len),
		    media_size_human(r, c->media_max_bytes)));
		return 0;
	}
	if ((m.mime = media_sniff(r, u->data, u->len)) == NULL)
		return -1;
	for (size_t i = 0; i < NELEM(media_types); i++)
		if (strcmp(m.mime, media_types[i].mime) == 0)
			ext = media_types[i].ext;
	if (ext == NULL || media_dimensions(m.mime, u->data, u->len, &w,
	    &h) != 0) {
		render_set(r, "Form.errors.file", not_image);
		return 0;
	}
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
	m.file = arena_printf(r->arena, "%s.%s", hex, ext);
	m.original_name = media_original_name(r, u->filename);
	m.bytes = (int64_t)u->len;
	m.width = w;
	m.height = h;
	m.uploaded_by = r->user->id;
	m.created_at = util_wall_us() / 1000000;

	/* The file first: a row never names a file that is not there. */
	if (media_write(r, m.file, u->data, u->len) != 0)
		return -1;
	if (db_begin_write(r) != 0 || (id = media_insert(r, &m)) < 0 ||
	    admin_log(r, "media", id, m.original_name, ADMIN_LOG_ADD, NULL,
	    NULL) < 0 || db_commit(r) != 0) {
		db_rollback(r);
		media_unlink(r, m.file);
		return -1;
	}
	admin_message(r, "success", "The file “%s” was uploaded.",
	    m.original_name);
	return id;
}

/* The rows of the page into Media.items and the pagination links. */
static int
media_export(struct req *r)
{
	struct media	*rows[MEDIA_PER_PAGE + 1];
	int64_t		 before = req_int(r, "before", 0, 0, LONG_MAX);
	int		 n, i;

	if ((n = media_list(r, before, MEDIA_PER_PAGE + 1, rows)) < 0)
		return -1;
	for (i = 0; i < n && i < MEDIA_PER_PAGE; i++) {
		const struct media	*m = rows[i];
		struct render_node	*node = render_node(r, "Media.items.%d",
					    i);
		char			 id[24];

		snprintf(id, sizeof(id), "%" PRId64, m->id);
		render_node_set(r, node, "id", id);
		render_node_set(r, node, "url", arena_printf(r->arena,
		    MEDIA_URL "%s", m->file));
		render_node_set(r, node, "file", m->file);
		render_node_set(r, node, "original_name", m->original_name);
		render_node_set(r, node, "mime", m->mime);
		render_node_set(r, node, "size", media_size_human(r,
		    m->bytes));
		if (m->width > 0)
			render_node_set(r, node, "dimensions", arena_printf(
			    r->arena, "%" PRId64 "×%" PRId64, m->width,
			    m->height));
		render_node_set(r, node, "alt", m->alt);
		render_node_set(r, node, "who", m->username);
		render_node_set_date(r, node, "created", m->created_at);
		render_node_set(r, node, "markdown", media_markdown(r, m));
		if (media_may_delete(r, m))
			render_node_set(r, node, "delete_url", router_url(r,
			    "admin_media_delete", id));
	}
	if (n > MEDIA_PER_PAGE)
		render_set(r, "Media.older", arena_printf(r->arena,
		    "%s?before=%" PRId64, router_url(r, "admin_media"),
		    rows[MEDIA_PER_PAGE - 1]->id));
	if (before > 0)
		render_set(r, "Media.newest", router_url(r, "admin_media"));
	return 0;
}

/*
 * GET  /admin/media/  the files, newest first (?before=ID pages on), and
 *                     the upload form.
 * POST /admin/media/  upload (multipart: file, alt), then 303 back here.
 * Active staff with article.add; 403 otherwise (login redirect when
 * anonymous).  A refused file re-renders the form (200) with the error.
 */
int
page_admin_media(struct req *r)
{
	const struct config	*c = config_current();
	int			 rc;
	int64_t			 id;

	if ((rc = admin_guard(r)) != 0)
		return rc;
	if (!auth_has_perm(r, r->user, "article.add"))
		return router_deny(r);
	if (r->method == M_POST) {
		if ((id = media_upload(r)) < 0)
			return HTTP_500;
		if (id > 0)
			return http_redirect(r, HTTP_303, router_url(r,
			    "admin_media"));
		render_set(r, "Form.alt", media_alt(r));
		render_set(r, "Form.has_errors", "1");
	}
	if (media_export(r) != 0)
		return HTTP_500;
	render_set(r, "Media.max", media_size_human(r, c != NULL ?
	    c->media_max_bytes : 0));
	render_set(r, "Urls.media_upload", router_url(r, "admin_media"));
	admin_crumb(r, "Media", NULL);
	return admin_render(r, "admin/media.cs", "Media");
}

/*
 * POST /admin/media/{id}/delete/  delete the row (logged) and its file,
 * then 303 to the list.  Needs article.delete, and article.edit_others
 * for a file someone else uploaded: 403 otherwise; 404 if no such file.
 */
int
page_admin_media_delete(struct req *r)
{
	struct media	*m;
	long long	 id;
	int		 rc;

	if ((rc = admin_guard(r)) != 0)
		return rc;
	if (util_parse_int(req_param(r, "id"), 1, INT64_MAX, &id) != 0)
		return HTTP_404;
	if ((m = media_by_id(r, id)) == NULL)
		return req_failed(r) ? HTTP_500 : HTTP_404;
	if (!media_may_delete(r, m))
		return router_deny(r);
	if (db_begin_write(r) != 0 || media_delete_row(r, m->id) != 0 ||
	    admin_log(r, "media", m->id, m->original_name, ADMIN_LOG_DELETE,
	    NULL, NULL) < 0 || db_commit(r) != 0) {
		db_rollback(r);
		return HTTP_500;
	}
	/* After the commit: a file without a row is harmless, not the
	 * other way round. */
	media_unlink(r, m->file);
	admin_message(r, "success", "The file “%s” was deleted.",
	    m->original_name);
	return http_redirect(r, HTTP_303, router_url(r, "admin_media"));
}

void
media_picker_export(struct req *r, const char *prefix, int n)
{
	struct media	*items[MEDIA_PICKER_MAX];
	int		 k;

	if (n > MEDIA_PICKER_MAX)
		n = MEDIA_PICKER_MAX;
	if (r->user == NULL || !auth_has_perm(r, r->user, "article.add") ||
	    (k = media_list(r, 0, n, items)) < 0)
		return;
	for (int i = 0; i < k; i++) {
		struct render_node *nd = render_node(r, "%s.%d", prefix, i);

		render_node_set(r, nd, "url", arena_printf(r->arena,
		    MEDIA_URL "%s", items[i]->file));
		render_node_set(r, nd, "alt", items[i]->alt);
		render_node_set(r, nd, "markdown", media_markdown(r, items[i]));
	}
}
