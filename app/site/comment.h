/*
 * comment: comments on articles, their threads, the moderation rules
 * that decide each new comment's state, and the section under an
 * article that shows them with the form.  A comment is pending,
 * approved, spam or trash; only approved ones are public.  The rules
 * follow WordPress's discussion settings, read from the settings table:
 *
 *   comment_moderation   all | previously_approved | none
 *   comment_max_links    hold a comment with at least this many links
 *   comment_hold_keys    words, addresses or IPs (one per line): hold
 *   comment_spam_keys    words, addresses or IPs (one per line): spam
 *   comment_max_depth    reply nesting (3)
 *   comment_close_days   close comments this long after publishing (0 off)
 *   comment_min_seconds  a form posted sooner after it was shown is spam
 *   comment_flood_limit, comment_flood_window   comments per address
 *   comment_guests       0: only logged-in users comment
 */
#ifndef GAZETTE_COMMENT_H
#define GAZETTE_COMMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct req;
struct article;

/* Cookies: the browser's own pending comments, and "remember me". */
#define COMMENT_PENDING_COOKIE	"gazette_pending"
#define COMMENT_AUTHOR_COOKIE	"gazette_commenter"

/* The form as posted, with its errors, to show again. */
struct comment_form {
	const char	*name;
	const char	*email;
	const char	*website;
	const char	*body;
	int64_t		 parent;	/* 0: top level */
	bool		 remember;
	/* Errors beside fields, and one above the form; NULL: none. */
	const char	*name_error;
	const char	*email_error;
	const char	*website_error;
	const char	*body_error;
	const char	*form_error;
};

/*
 * Does this visitor see a page of their own under articles (a pending
 * comment of theirs, a remembered name, moderation buttons)?  Then the
 * article page must not be cached publicly: set r->private_page.
 */
bool	 comment_visitor_is_personal(struct req *r);

/* Are comments open on a now (its switch, and comment_close_days)? */
bool	 comment_open(struct req *r, const struct article *a);

/*
 * Fill Comments.* and CommentForm.* (see templates/site/_comments.cs)
 * for article a: the approved thread, this browser's pending comments,
 * moderation buttons for staff with comment.change, and the form: f to
 * show again with its errors, or NULL for a fresh one (prefilled from
 * the remember cookie; ?replytocom=ID sets the parent).  0 or -1.
 */
int	 comment_section(struct req *r, const struct article *a,
	    const struct comment_form *f);

/* Inputs of the moderation rules, for comment_classify(). */
struct comment_rules {
	const char	*moderation;	/* all, previously_approved, none */
	long		 max_links;	/* 0: no limit */
	const char	*hold_keys;	/* newline-separated */
	const char	*spam_keys;
	long		 min_seconds;
};

struct comment_candidate {
	const char	*name;
	const char	*email;
	const char	*website;
	const char	*body;
	const char	*body_html;	/* rendered: links are counted here */
	const char	*ip;
	const char	*user_agent;
	bool		 honeypot_filled;
	int64_t		 shown_seconds;	/* form shown -> posted; -1 unknown */
	bool		 trusted;	/* may moderate: approved at once */
	bool		 previously_approved;
};

/*
 * The state a new comment gets ("approved", "pending" or "spam") and in
 * *why the rule that decided (for the moderation queue): spam for a
 * filled honeypot, a form posted too fast or a spam key; pending for
 * too many links, a hold key, or the moderation setting.  Pure: no
 * database, for the unit tests.
 */
const char *comment_classify(const struct comment_rules *rules,
	    const struct comment_candidate *c, const char **why);

#endif
