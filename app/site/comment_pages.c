/*
 * comment_pages: posting a comment under an article, and moderating one
 * from the article page.  The form's field names are contracts: name,
 * email, website, body, parent, remember, csrf_token (and the honeypot,
 * COMMENT_HONEYPOT).  Every POST passed the CSRF check in the router;
 * the queries and the rules are comment.c's, and so is posting itself
 * (comment_submit): the handler here reads the form and answers.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/admin.h"
#include "core/auth.h"
#include "core/buf.h"
#include "core/csrf.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "core/render.h"
#include "core/router.h"
#include "core/session.h"
#include "core/settings.h"
#include "core/throttle.h"
#include "core/util.h"
#include "article.h"
#include "comment.h"
#include "notify.h"
#include "site.h"

#define MSG_PARENT	"The comment you replied to is no longer " \
			"available. Send the form again to post yours " \
			"as a new comment."

/* The article page again, with the form as posted and its errors: 200. */
static int
form_again(struct req *r, const struct article *a,
    const struct comment_form *f)
{
	if (comment_section(r, a, f) != 0)
		return HTTP_500;
	return article_render(r, a);
}

/*
 * Seconds from showing the form to posting it, for the rules: the time
 * in a guest's form token (csrf_form_token), which the router has
 * checked.  A guest who sent the cookie secret instead shows no proof
 * that the form was ever shown: 0.  Logged-in users: -1 (not asked).
 */
static int64_t
shown_seconds(struct req *r)
{
	const char	*tok = req_form(r, CSRF_FIELD);
	int64_t		 issued, now = (int64_t)time(NULL);

	if (r->user != NULL)
		return -1;
	if (tok == NULL)
		tok = req_header(r, CSRF_HEADER);
	if (!csrf_form_token_check(tok, r->path, CSRF_FORM_MAX_AGE, &issued))
		return 0;
	return now > issued ? now - issued : 0;
}

/*
 * POST /articles/{slug}/comments/  post a comment (ROUTE_CSRF_FORM:
 * guests send the page's form token).
 * 303 to the article at ?c=ID#comment-ID when stored, whatever its state
 * (spam is answered like pending: bots learn nothing), with this
 * browser's pending cookie grown when it is held, and the remember cookie
 * set or dropped for guests.  200: the article page with the form, what
 * was typed and each error beside its field (a duplicate too, and a
 * ban: COMMENT_MSG_BANNED, see moderation_ban_find).  403 when
 * comments are closed or guests may not comment; 404 for no public
 * article; 429 with Retry-After past the flood limit of the address.
 */
int
page_comment_post(struct req *r)
{
	struct article		*a;
	struct comment_form	 f;
	struct comment_input	 in;
	struct comment_result	 res;
	const char		*hp;

	if ((a = article_by_slug(r, req_param(r, "slug"))) == NULL)
		return req_failed(r) ? HTTP_500 : HTTP_404;
	r->private_page = true;
	comment_form_read(r, &f);
	if (r->user != NULL)
		f.remember = false;
	hp = req_form(r, COMMENT_HONEYPOT);
	memset(&in, 0, sizeof(in));
	in.article = a;
	in.user = r->user;
	in.honeypot_filled = hp != NULL && strspn(hp, " \t\r\n") <
	    strlen(hp);
	in.shown_seconds = shown_seconds(r);
	if (comment_submit(r, &in, &f, &res) != 0)
		return HTTP_500;

	switch (res.outcome) {
	case COMMENT_STORED:
		break;
	case COMMENT_NOT_FOUND:
		return HTTP_404;
	case COMMENT_CLOSED:
		r->error_detail = COMMENT_MSG_CLOSED;
		return HTTP_403;
	case COMMENT_LOGIN:
		r->error_detail = COMMENT_MSG_LOGIN;
		return HTTP_403;
	case COMMENT_FLOOD:
		r->error_detail = COMMENT_MSG_FLOOD;
		return throttle_refuse(r, res.retry_after);
	case COMMENT_INVALID:
		/* The parent is gone: the form offers a new thread. */
		if (f.parent_error != NULL) {
			f.form_error = MSG_PARENT;
			f.parent = 0;
		}
		return form_again(r, a, &f);
	case COMMENT_BANNED:	/* told so, with what they typed kept */
		f.form_error = COMMENT_MSG_BANNED;
		return form_again(r, a, &f);
	case COMMENT_DUPLICATE:
		f.form_error = COMMENT_MSG_DUPLICATE;
		return form_again(r, a, &f);
	default:
		return HTTP_500;
	}

	if (strcmp(res.comment.status, "approved") != 0)
		comment_pending_add(r, res.comment.id);
	if (r->user == NULL)
		comment_remember(r, &f);
	return http_redirect(r, HTTP_303, arena_printf(r->arena,
	    "%s?c=%" PRId64 "#comment-%" PRId64, router_url(r, "article_show",
	    a->slug), res.comment.id, res.comment.id));
}

/*
 * GET|POST /comments/unsubscribe/{token}/  stop reply mails to the
 * address of the token's comment (notify_unsubscribe_token), without
 * logging in.  GET asks, POST does it: mail scanners and prefetchers
 * follow links in mail with GET and must not unsubscribe anyone.  The
 * POST is the page's button or a mail provider's List-Unsubscribe
 * one-click POST (body "List-Unsubscribe=One-Click", RFC 8058), which
 * has no cookie: the route is CSRF-exempt, the token is the authority.
 * 200 either way (RFC 8058 wants no redirect).  A bad token: 404.
 */
int
page_comment_unsubscribe(struct req *r)
{
	const char	*token = req_param(r, "token");
	struct comment	*c;
	int		 n;

	r->private_page = true;
	csrf_token(r);
	if ((c = notify_unsubscribe_check(r, token)) == NULL) {
		return req_failed(r) ? HTTP_500 : HTTP_404;
	}
	render_set(r, "Unsub.action", router_url(r, "comment_unsubscribe",
	    token));
	if (r->method == M_POST) {
		if (db_begin_write(r) != 0 ||
		    (n = comment_unsubscribe(r, c->author_email)) < 0 ||
		    db_commit(r) != 0)
			return HTTP_500;
		log_msg(LOG_INFO, "rid=%s msg=\"unsubscribed from replies\" "
		    "comment=%" PRId64 " comments=%d", r->request_id, c->id, n);
		render_set(r, "Unsub.done", "1");
	}
	return render(r, "site/unsubscribe.cs");
}

/*
 * POST /comments/{id}/moderate/  action=approve|spam|trash, from the
 * buttons beside each comment on the article page.  Needs comment.change
 * (router).  303 back to the article: at the comment when it shows, else
 * at the comments, with a flash message saying what was done.  400 for
 * another action, 404 for no such comment.
 */
int
page_comment_moderate(struct req *r)
{
	static const struct {
		const char	*action;
		const char	*status;
		enum flash	 flash;
	} acts[] = {
		{ "approve", "approved", FLASH_COMMENT_APPROVED },
		{ "spam", "spam", FLASH_COMMENT_SPAM },
		{ "trash", "trash", FLASH_COMMENT_TRASHED },
	};
	const char	*action = req_form(r, "action"), *status = NULL, *url;
	enum flash	 done = FLASH__MAX;
	struct comment	*c;
	long long	 id;

	if (util_parse_int(req_param(r, "id"), 1, INT64_MAX, &id) != 0 ||
	    (c = comment_by_id(r, (int64_t)id)) == NULL)
		return req_failed(r) ? HTTP_500 : HTTP_404;
	for (size_t i = 0; action != NULL && i < NELEM(acts); i++)
		if (strcmp(action, acts[i].action) == 0) {
			status = acts[i].status;
			done = acts[i].flash;
		}
	if (status == NULL) {
		r->error_detail = "The action must be approve, spam or trash.";
		return HTTP_400;
	}
	if (db_begin_write(r) != 0 || comment_set_status(r, c->id,
	    status) != 0 || (strcmp(status, "approved") == 0 &&
	    strcmp(c->status, "approved") != 0 &&
	    notify_comment_approved(r, c->id) != 0) ||
	    admin_log(r, "comment", c->id, c->author_name,
	    ADMIN_LOG_CHANGE, arena_printf(r->arena, "[{\"field\":"
	    "\"status\",\"label\":\"Status\",\"old\":\"%s\","
	    "\"new\":\"%s\"}]", c->status, status), NULL) < 0 ||
	    db_commit(r) != 0) {
		db_rollback(r);
		return HTTP_500;
	}
	log_msg(LOG_INFO, "rid=%s msg=\"comment moderated\" id=%" PRId64
	    " status=%s user=%" PRId64, r->request_id, c->id, status,
	    r->user != NULL ? r->user->id : 0);
	session_flash(r, done);
	url = router_url(r, "article_show", c->article_slug);
	if (strcmp(status, "approved") == 0)
		url = arena_printf(r->arena, "%s?c=%" PRId64 "#comment-%" PRId64,
		    url, c->id, c->id);
	else
		url = arena_printf(r->arena, "%s#comments", url);
	return http_redirect(r, HTTP_303, url);
}

#ifdef GAZETTE_TEST
/*
 * POST /__test/settings/  test builds only: settings_set() for every
 * form field, in one transaction.  200 "ok\n".
 */
int
page_test_settings(struct req *r)
{
	if (db_begin_write(r) != 0)
		return HTTP_500;
	for (size_t i = 0; i < r->form.n; i++)
		if (settings_set(r, r->form.v[i].key, r->form.v[i].value) != 0)
			return HTTP_500;
	if (db_commit(r) != 0)
		return HTTP_500;
	r->content_type = "text/plain; charset=utf-8";
	http_set_header(r, "Cache-Control", "no-store");
	buf_puts(&r->out, "ok\n");
	return HTTP_200;
}
#endif
