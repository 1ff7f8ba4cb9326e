/*
 * notify: the site's mails.  Each function composes one message (a text
 * part, and an HTML part from templates/mail/message.cs) and enqueues it
 * with mail_enqueue(), so each must be called inside the caller's write
 * transaction: the mail commits or rolls back with the change that
 * caused it.  Each returns 0, or -1 with r failed.
 */
#ifndef GAZETTE_NOTIFY_H
#define GAZETTE_NOTIFY_H

#include <stdint.h>

struct req;
struct user;
struct article;
struct comment;

#define NOTIFY_VERIFY_DAYS	7	/* an email verification link */
#define NOTIFY_MODERATORS_MAX	20	/* held-comment mails per comment */

/* The password reset link for u (auth_reset_token), to u's email. */
int	 notify_password_reset(struct req *r, const struct user *u);

/* The email verification link for u (auth_verify_token). */
int	 notify_verify_email(struct req *r, const struct user *u);

/*
 * "A new comment awaits moderation": to each active staff user with
 * comment.change (NOTIFY_MODERATORS_MAX at most), except the comment's
 * own author, for comment c (just inserted, held) on article a.
 */
int	 notify_comment_held(struct req *r, const struct article *a,
	    const struct comment *c);

/*
 * "Someone replied to your comment": if c is approved and its parent
 * asked for replies (notify) from another address, to the parent's
 * author, with an unsubscribe link.  Nothing otherwise (0).
 */
int	 notify_comment_reply(struct req *r, const char *article_title,
	    const char *article_slug, const struct comment *c);

/*
 * Comment id was just approved by a moderator (its status was another):
 * notify_comment_reply() for it.  Every approval path calls this (the
 * article page, the moderation queue, the admin action, the API).
 */
int	 notify_comment_approved(struct req *r, int64_t id);

/*
 * The unsubscribe token of comment c's author: "<id>-<mac>" with the MAC
 * over the id and the author's email (lower case); it never expires.
 * notify_unsubscribe_check() returns the comment it names, or NULL.
 */
const char *notify_unsubscribe_token(struct req *r, const struct comment *c);
struct comment *notify_unsubscribe_check(struct req *r, const char *token);

#endif
