/*
 * notify: the site's mails (notify.h).  A message is a title, a few
 * paragraphs, maybe a link (a button in HTML), a few more paragraphs and
 * a footer; msg_enqueue() turns that into the text part and, through
 * templates/mail/message.cs, the HTML part, and enqueues it.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "core/arena.h"
#include "core/auth.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/http.h"
#include "core/mail.h"
#include "core/render.h"
#include "core/router.h"
#include "core/settings.h"
#include "core/util.h"
#include "article.h"
#include "comment.h"
#include "notify.h"

#define PARA_MAX	4	/* paragraphs before, and after, the link */

struct msg {
	const char	*to;
	const char	*subject;
	const char	*title;
	const char	*para[PARA_MAX];	/* NULL ends early */
	const char	*link;			/* NULL: none */
	const char	*link_text;
	const char	*after[PARA_MAX];
	const char	*footer;
	const char	*unsubscribe;		/* List-Unsubscribe; NULL: none */
};

/* An absolute URL of this site for path. */
static const char *
absolute(struct req *r, const char *path)
{
	return arena_printf(r->arena, "%s%s", config_current()->site_url,
	    path);
}

static const char *
site_name(struct req *r)
{
	return arena_strdup(r->arena, settings_site(r)->name);
}

/* Compose m (text and HTML) and enqueue it.  0 or -1. */
static int
msg_enqueue(struct req *r, const struct msg *m)
{
	struct buf	 text;
	struct mail	 mail;
	const char	*html;
	char		 key[32];
	int64_t		 id;

	buf_init(&text);
	buf_printf(&text, "%s\n\n", m->title);
	render_set(r, "Mail.title", m->title);
	render_set(r, "Mail.site_name", site_name(r));
	for (int i = 0; i < PARA_MAX; i++) {
		const char *p = m->para[i] != NULL ? m->para[i] : "";

		if (*p != '\0')
			buf_printf(&text, "%s\n\n", p);
		snprintf(key, sizeof(key), "Mail.para.%d", i);
		render_set(r, key, p);
	}
	render_set(r, "Mail.link", m->link != NULL ? m->link : "");
	render_set(r, "Mail.link_text", m->link_text != NULL ? m->link_text :
	    "");
	if (m->link != NULL)
		buf_printf(&text, "%s\n\n", m->link);
	for (int i = 0; i < PARA_MAX; i++) {
		const char *p = m->after[i] != NULL ? m->after[i] : "";

		if (*p != '\0')
			buf_printf(&text, "%s\n\n", p);
		snprintf(key, sizeof(key), "Mail.after.%d", i);
		render_set(r, key, p);
	}
	buf_printf(&text, "-- \n%s\n", m->footer);
	render_set(r, "Mail.footer", m->footer);
	if ((html = render_string(r, "mail/message.cs")) == NULL) {
		buf_free(&text);
		return -1;
	}
	memset(&mail, 0, sizeof(mail));
	mail.to = m->to;
	mail.subject = m->subject;
	mail.text = arena_strdup(r->arena, text.ptr);
	mail.html = html;
	mail.unsubscribe = m->unsubscribe;
	buf_free(&text);
	id = mail_enqueue(r, &mail);
	return id < 0 ? -1 : 0;
}

int
notify_password_reset(struct req *r, const struct user *u)
{
	const char	*name = site_name(r);
	struct msg	 m;

	memset(&m, 0, sizeof(m));
	m.to = u->email;
	m.subject = arena_printf(r->arena, "Password reset on %s", name);
	m.title = "Password reset";
	m.para[0] = arena_printf(r->arena, "You're receiving this email "
	    "because you asked for a password reset for your account at %s.",
	    name);
	m.para[1] = "Please go to the following page and choose a new "
	    "password:";
	m.link = absolute(r, router_url(r, "account_reset_confirm",
	    auth_reset_token(r, u)));
	m.link_text = "Choose a new password";
	m.after[0] = arena_printf(r->arena, "Your username, in case you've "
	    "forgotten: %s", u->username);
	m.after[1] = arena_printf(r->arena, "The link works once, for %ld "
	    "days. If you did not ask for it, you can ignore this email: your "
	    "password stays as it is.", config_current()->reset_timeout_days);
	m.after[2] = "Thanks for using our site!";
	m.footer = arena_printf(r->arena, "The %s team", name);
	return msg_enqueue(r, &m);
}

int
notify_verify_email(struct req *r, const struct user *u)
{
	const char	*name = site_name(r);
	struct msg	 m;

	memset(&m, 0, sizeof(m));
	m.to = u->email;
	m.subject = arena_printf(r->arena, "Confirm your email address on %s",
	    name);
	m.title = "Confirm your email address";
	m.para[0] = arena_printf(r->arena, "Welcome to %s, %s! Please confirm "
	    "that this is your email address by opening this link:", name,
	    u->username);
	m.link = absolute(r, router_url(r, "account_verify",
	    auth_verify_token(r, u)));
	m.link_text = "Confirm my email address";
	m.after[0] = arena_printf(r->arena, "The link works for %d days. If "
	    "you did not sign up, you can ignore this email.",
	    NOTIFY_VERIFY_DAYS);
	m.footer = arena_printf(r->arena, "The %s team", name);
	return msg_enqueue(r, &m);
}

int
notify_comment_held(struct req *r, const struct article *a,
    const struct comment *c)
{
	const char	*to[NOTIFY_MODERATORS_MAX], *name = site_name(r);
	struct msg	 m;
	int		 n;

	if ((n = auth_perm_emails(r, "comment.change", to, (int)NELEM(to))) < 0)
		return -1;
	memset(&m, 0, sizeof(m));
	m.subject = arena_printf(r->arena, "[%s] Please moderate: \"%s\"",
	    name, a->title);
	m.title = "A new comment is waiting for your approval";
	m.para[0] = arena_printf(r->arena, "On \"%s\", %s wrote:", a->title,
	    c->author_name);
	m.para[1] = c->body;
	m.para[2] = arena_printf(r->arena, "It was held by the rule \"%s\".",
	    c->held_by != NULL ? c->held_by : "?");
	m.link = absolute(r, router_url(r, "admin_moderation"));
	m.link_text = "Moderate comments";
	m.footer = arena_printf(r->arena, "%s: you receive this because you "
	    "moderate comments.", name);
	for (int i = 0; i < n; i++) {
		if (strcasecmp(to[i], c->author_email) == 0)
			continue;
		m.to = to[i];
		if (msg_enqueue(r, &m) != 0)
			return -1;
	}
	return 0;
}

int
notify_comment_reply(struct req *r, const char *article_title,
    const char *article_slug, const struct comment *c)
{
	struct comment	*p;
	const char	*name = site_name(r), *url;
	struct msg	 m;

	if (c->parent_id == 0 || strcmp(c->status, "approved") != 0)
		return 0;
	if ((p = comment_by_id(r, c->parent_id)) == NULL)
		return req_failed(r) ? -1 : 0;
	if (!p->notify || *p->author_email == '\0' ||
	    strcmp(p->status, "approved") != 0 ||
	    strcasecmp(p->author_email, c->author_email) == 0)
		return 0;
	url = arena_printf(r->arena, "%s?c=%" PRId64 "#comment-%" PRId64,
	    router_url(r, "article_show", article_slug), c->id, c->id);
	memset(&m, 0, sizeof(m));
	m.to = p->author_email;
	m.subject = arena_printf(r->arena, "[%s] New reply to your comment on "
	    "\"%s\"", name, article_title);
	m.title = "Someone replied to your comment";
	m.para[0] = arena_printf(r->arena, "%s replied to your comment on "
	    "\"%s\":", c->author_name, article_title);
	m.para[1] = c->body;
	m.link = absolute(r, url);
	m.link_text = "Read the reply";
	/* The same URL in the text and in List-Unsubscribe, whose one-click
	 * POST (RFC 8058) page_comment_unsubscribe() takes without CSRF. */
	m.unsubscribe = absolute(r, router_url(r, "comment_unsubscribe",
	    notify_unsubscribe_token(r, p)));
	m.after[0] = arena_printf(r->arena, "You receive this because you "
	    "asked to be notified of replies. To stop these mails, open %s",
	    m.unsubscribe);
	m.footer = arena_printf(r->arena, "The %s team", name);
	return msg_enqueue(r, &m);
}

int
notify_comment_approved(struct req *r, int64_t id)
{
	struct comment	*c;
	struct article	*a;

	if ((c = comment_by_id(r, id)) == NULL ||
	    (a = article_by_id(r, c->article_id)) == NULL)
		return req_failed(r) ? -1 : 0;
	return notify_comment_reply(r, a->title, a->slug, c);
}

/* The MAC of comment id's unsubscribe token for email. */
static void
unsubscribe_mac(int64_t id, const char *email, char out[65])
{
	char	 data[512];
	size_t	 n;

	n = (size_t)snprintf(data, sizeof(data), "unsubscribe\n%" PRId64 "\n%s",
	    id, email);
	for (size_t i = 0; i < n && i < sizeof(data); i++)
		data[i] = (char)tolower((unsigned char)data[i]);
	auth_mac_hex(data, out);
}

const char *
notify_unsubscribe_token(struct req *r, const struct comment *c)
{
	char	 mac[65];

	unsubscribe_mac(c->id, c->author_email, mac);
	return arena_printf(r->arena, "%" PRId64 "-%s", c->id, mac);
}

struct comment *
notify_unsubscribe_check(struct req *r, const char *token)
{
	const char	*d = strchr(token, '-');
	char		 idbuf[24], mac[65];
	long long	 id;
	struct comment	*c;

	if (d == NULL || (size_t)(d - token) >= sizeof(idbuf) ||
	    strlen(d + 1) != 64)
		return NULL;
	memcpy(idbuf, token, (size_t)(d - token));
	idbuf[d - token] = '\0';
	if (util_parse_int(idbuf, 1, INT64_MAX, &id) != 0 ||
	    (c = comment_by_id(r, (int64_t)id)) == NULL)
		return NULL;
	unsubscribe_mac(c->id, c->author_email, mac);
	if (sodium_memcmp(mac, d + 1, 64) != 0)
		return NULL;
	return c;
}
