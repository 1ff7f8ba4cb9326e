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
struct user;

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
	bool		 notify;	/* mail me replies */
	/* Errors beside fields, and one above the form; NULL: none. */
	const char	*name_error;
	const char	*email_error;
	const char	*website_error;
	const char	*body_error;
	const char	*parent_error;	/* comment_submit(): no such parent */
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

/*
 * Why a comment got its state, in words for moderators ("a first
 * comment"), from its held_by rule; the rule itself when unknown.
 */
const char *comment_held_text(const char *rule);

/* ---- the rest of the module (comment.c), for the handlers and tests ---- */

/* The limits of the form's fields. */
#define COMMENT_NAME_MAX	100	/* characters */
#define COMMENT_WEBSITE_MAX	200	/* bytes */
#define COMMENT_BODY_MAX	10000	/* characters, after trimming */
/* The honeypot field: hidden from people, filled by bots. */
#define COMMENT_HONEYPOT	"subject"
/* Entries of the pending cookie: older ones drop out. */
#define COMMENT_PENDING_MAX	10

/*
 * A comment as the article page and the handlers see it; strings live
 * in the request arena (valid until the request ends).  The last four
 * fields are comment_thread()'s.
 */
struct comment {
	int64_t		 id;
	int64_t		 article_id;
	int64_t		 parent_id;	/* 0: top level */
	int		 depth;		/* as stored: 0 top level */
	int64_t		 user_id;	/* 0: a guest */
	const char	*author_name;
	const char	*author_email;	/* never shown publicly */
	const char	*author_url;	/* "" if none */
	const char	*body;		/* Markdown */
	const char	*body_html;	/* markdown_comment() of body */
	const char	*status;	/* pending, approved, spam, trash */
	const char	*held_by;	/* the rule that decided */
	const char	*ip;
	const char	*user_agent;
	int64_t		 created_at;
	const char	*article_slug;	/* its article's, for URLs */
	bool		 notify;	/* the author wants replies by mail */
	/* Where comment_thread() shows it (indexes into the array). */
	int		 up;		/* shown parent; -1: top level */
	int		 level;		/* shown depth, 0 .. max_depth - 1 */
	int		 child;		/* first reply shown; -1: none */
	int		 next;		/* next sibling shown; -1: none */
};

/*
 * Arrange v[0..n) (ordered by id, so parents come first) as the page
 * shows them: each under its parent when that is in v, else at the top
 * level (an orphan: its parent is hidden); a comment whose level would
 * reach max_depth (>= 1) goes under its nearest ancestor at level
 * max_depth - 2 (the top level when max_depth is 1), after its parent,
 * so replies past the limit read as the last level's.  Fills up,
 * level, child and next; siblings keep id order; the top-level ones
 * are chained by next from the index returned (-1 if n is 0).  Pure
 * (a scratch array is malloc'ed and freed).
 */
int	 comment_thread(struct comment *v, size_t n, int max_depth);

/*
 * The posted form of r (name, email, website, body trimmed of
 * surrounding white space; parent 0 unless a positive id; remember when
 * ticked) into f, with no errors.  Strings are arena copies.
 */
void	 comment_form_read(struct req *r, struct comment_form *f);

/*
 * Check f's fields, setting its *_error members to the message to show
 * beside each field that is wrong.  guest: name and email are required
 * (a logged-in user's come from the account and are not looked at).
 * Returns true if every field is fine.  Pure.
 */
bool	 comment_form_check(struct comment_form *f, bool guest);

/* comment_max_depth from the settings: 1 (no replies) to 10, else 3. */
int	 comment_max_depth(struct req *r);

/* Fill rules from the settings table (defaults where unset or bad). */
void	 comment_rules_load(struct req *r, struct comment_rules *rules);

/* The comment with id whatever its state, or NULL (none, or r failed). */
struct comment *comment_by_id(struct req *r, int64_t id);

/*
 * Up to max approved comments of article_id with ids above after, oldest
 * first, into out (the API's list; keyset on id).  The count, or -1;
 * *more: more follow.
 */
int	 comment_list_approved(struct req *r, int64_t article_id,
	    int64_t after, struct comment *out, int max, int *more);

/*
 * Where a reply to parent_id on article_id goes: true with *out set to
 * parent_id's comment, or to its nearest ancestor that leaves room for
 * a reply when it sits at the deepest level max_depth allows (NULL: the
 * top level).  false when parent_id is not an approved comment of that
 * article, nor a pending one of this browser's (the pending cookie), or
 * r failed.
 */
bool	 comment_reply_parent(struct req *r, int64_t article_id,
	    int64_t parent_id, int max_depth, struct comment **out);

/*
 * Is there a comment (not in the trash) on article_id with this body
 * from this user (user_id > 0) or, for guests, this email?
 */
bool	 comment_is_duplicate(struct req *r, int64_t article_id,
	    int64_t user_id, const char *email, const char *body);

/*
 * Has this user (user_id > 0) an approved comment, or else a guest with
 * this email (members' comments do not count for guests)?
 */
bool	 comment_has_approved(struct req *r, int64_t user_id,
	    const char *email);

/*
 * Insert c (article_id, parent_id, depth, user_id, author_*, body,
 * body_html, status, held_by, ip, user_agent; created_at is now).
 * Returns the new id, or -1 (r failed).
 */
int64_t	 comment_insert(struct req *r, const struct comment *c);

/*
 * Stop reply mails to email: notify = 0 on all its comments (any case).
 * The number changed, or -1 (r failed).  In the caller's transaction.
 */
int	 comment_unsubscribe(struct req *r, const char *email);

/* Set the status of comment id.  0, or -1 (r failed). */
int	 comment_set_status(struct req *r, int64_t id, const char *status);

/*
 * The ids of this browser's own comments held for moderation: the
 * entries of the pending cookie whose MAC (auth_mac_hex of
 * "pending\n<id>") is right, at most max, oldest first.  Forged or
 * malformed entries are skipped.  Returns how many went into ids.
 */
size_t	 comment_pending_ids(struct req *r, int64_t *ids, size_t max);

/*
 * Add id to the pending cookie (Set-Cookie), keeping the newest
 * COMMENT_PENDING_MAX entries; HttpOnly, SameSite=Lax, a few days.
 */
void	 comment_pending_add(struct req *r, int64_t id);

/*
 * Guests' "remember me": set the commenter cookie from f (name, email,
 * website) when f->remember, else delete it if the browser has one.
 */
void	 comment_remember(struct req *r, const struct comment_form *f);

/* ---- bans (moderation.c): who may not comment ---------------------------- */

/* What a ban names (comment_bans.kind). */
enum comment_ban_kind {
	BAN_USER,		/* an account: user_id */
	BAN_EMAIL,		/* an email address, any case */
	BAN_IP,			/* an address, as inet_ntop writes it */
	BAN__MAX
};

/* A row of comment_bans; strings in the request arena. */
struct comment_ban {
	int64_t		 id;
	enum comment_ban_kind kind;
	const char	*value;		/* username, email or address */
	int64_t		 user_id;	/* BAN_USER: the account; else 0 */
	const char	*reason;
	int64_t		 created_at;
	int64_t		 expires_at;	/* 0: never */
	int64_t		 lifted_at;	/* 0: not lifted */
};

/* "user", "email", "ip"; kind from such a name (BAN__MAX: none). */
const char *moderation_ban_kind_name(enum comment_ban_kind k);
enum comment_ban_kind moderation_ban_kind(const char *name);

/* Does b apply at time now: not lifted, and not expired?  Pure. */
bool	 moderation_ban_is_active(const struct comment_ban *b, int64_t now);

/*
 * Does b name this commenter: the account user_id (> 0; 0 for a guest),
 * the email (any case) or the address ip?  Pure; says nothing of
 * whether b is active.
 */
bool	 moderation_ban_matches(const struct comment_ban *b, int64_t user_id,
	    const char *email, const char *ip);

/*
 * The ban that stops this commenter from commenting now (the account
 * user_id > 0, the email, the address ip; each may be NULL or empty), or
 * NULL: none, or r failed (see req_failed).
 */
struct comment_ban *moderation_ban_find(struct req *r, int64_t user_id,
	    const char *email, const char *ip);

/* What a banned commenter sees above the comment form. */
#define COMMENT_MSG_BANNED	"You are not allowed to comment."
/* The other refusals, shared by the site's form and the API. */
#define COMMENT_MSG_CLOSED	"Comments are closed."
#define COMMENT_MSG_FLOOD	"You are posting comments too quickly. Slow down."
#define COMMENT_MSG_DUPLICATE	"Duplicate comment detected; it looks as " \
				"though you’ve already said that!"
#define COMMENT_MSG_LOGIN	"You must be logged in to post a comment."
#define COMMENT_MSG_NO_PARENT	"No such approved comment on this article."

/* ---- posting: the one path of the site's form and the API --------------- */

/*
 * What an adapter (the form's handler, the API's) knows of one comment
 * beyond its fields: who posts it, on what, and what only a form can
 * tell.  The fields themselves are a struct comment_form.
 */
struct comment_input {
	const struct article	*article;
	const struct user	*user;		/* NULL: a guest */
	bool			 honeypot_filled; /* COMMENT_HONEYPOT */
	int64_t			 shown_seconds;	/* form shown -> posted; -1 */
	bool			 invalid;	/* the adapter found errors */
	const char		*via;		/* the log's via=; NULL none */
};

/* What became of it; each adapter answers it in its own way. */
enum comment_outcome {
	COMMENT_STORED,		/* committed: comment_result.comment */
	COMMENT_INVALID,	/* the form's *_error members say why */
	COMMENT_NOT_FOUND,	/* the article is not public */
	COMMENT_CLOSED,		/* COMMENT_MSG_CLOSED */
	COMMENT_LOGIN,		/* guests may not comment: COMMENT_MSG_LOGIN */
	COMMENT_FLOOD,		/* COMMENT_MSG_FLOOD; retry_after seconds */
	COMMENT_BANNED,		/* COMMENT_MSG_BANNED */
	COMMENT_DUPLICATE,	/* COMMENT_MSG_DUPLICATE */
	COMMENT__MAX
};

struct comment_result {
	enum comment_outcome	 outcome;
	struct comment		 comment;	/* COMMENT_STORED: as stored */
	int64_t			 retry_after;	/* COMMENT_FLOOD */
};

/*
 * Post the comment f (its fields trimmed, as comment_form_read() leaves
 * them; name, email and website are a guest's only) on in->article by
 * in->user, under every rule, in this order: the article public and
 * open, guests allowed, the flood limit of the address (not for those
 * with comment.change), the fields (comment_form_check) and the parent
 * (comment_reply_parent; f->parent_error), the bans; then in one write
 * transaction the duplicate check, the moderation rules
 * (comment_classify; r's address and User-Agent count too), the insert,
 * its mail jobs (the held notice to moderators, or the reply notice to
 * the parent's author) and the flood count.  They all commit, or none
 * does.  Sets no cookie and renders nothing: the adapters do.  Returns 0
 * with res->outcome saying what became of it (res->comment's strings in
 * r's arena), or -1 when r failed (rolled back; a 500).
 */
int	 comment_submit(struct req *r, const struct comment_input *in,
	    struct comment_form *f, struct comment_result *res);

#endif
