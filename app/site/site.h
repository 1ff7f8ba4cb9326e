/*
 * site: the publishing site on top of core.  It hands core its route
 * table; everything else it owns (queries, pages, demo content) hangs
 * off those routes and the `gazette seed` command.
 */
#ifndef GAZETTE_SITE_H
#define GAZETTE_SITE_H

#include <stdint.h>
#include <stdio.h>

#include "core/router.h"

struct req;
struct admin_page;

/* The site's route table, NULL-terminated (routes.c). */
extern const struct route site_routes[];
extern const struct model *const site_models[];	/* models.c */

struct article;

/* Reader pages (article_pages.c). */
int	 page_article_list(struct req *r);	/* / */
int	 page_article_show(struct req *r);	/* /articles/{slug}/ */
int	 page_article_preview(struct req *r);	/* /articles/{id}/preview/ */
int	 page_tag_show(struct req *r);		/* /tags/{slug}/ */
int	 page_author_show(struct req *r);	/* /authors/{username}/ */
int	 page_archive_month(struct req *r);	/* /archive/{year}/{month}/ */
int	 page_static_show(struct req *r);	/* /{slug}/ */
int	 page_healthz(struct req *r);
/*
 * Fill Article.* for a and render site/article_show.cs; the caller has
 * filled Comments.* and CommentForm.* (comment_section).  Used by the
 * article page and by the comment form when it comes back with errors.
 */
int	 article_render(struct req *r, const struct article *a);

/* Comments (comment_pages.c). */
int	 page_comment_post(struct req *r);	/* POST .../comments/ */
int	 page_comment_moderate(struct req *r);	/* POST /comments/{id}/moderate/ */
int	 page_comment_unsubscribe(struct req *r);	/* /comments/unsubscribe/{token}/ */

/* Search (search.c), feeds (feed.c), sitemaps and robots (sitemap.c). */
int	 page_search(struct req *r);
int	 page_feed(struct req *r);		/* /feed/ */
int	 page_tag_feed(struct req *r);
int	 page_author_feed(struct req *r);
int	 page_comment_feed(struct req *r);	/* /articles/{slug}/feed/ */
int	 page_sitemap(struct req *r);		/* /sitemap.xml */
int	 page_sitemap_part(struct req *r);	/* /sitemaps/{n}/ */
int	 page_robots(struct req *r);

/* Accounts (account_pages.c). */
int	 page_signup(struct req *r);
int	 page_login(struct req *r);
int	 page_login_code(struct req *r);
int	 page_logout(struct req *r);
int	 page_password_change(struct req *r);
int	 page_password_reset(struct req *r);
int	 page_password_reset_sent(struct req *r);
int	 page_password_reset_confirm(struct req *r);
int	 page_email_verify(struct req *r);	/* /accounts/verify/{token}/ */
int	 page_profile(struct req *r);
int	 page_sessions_end(struct req *r);
int	 page_token_create(struct req *r);
int	 page_api_docs(struct req *r);
int	 page_token_revoke(struct req *r);
int	 page_admin_tokens(struct req *r);
int	 page_admin_token_revoke(struct req *r);
int	 page_twofactor(struct req *r);
int	 page_twofactor_qr(struct req *r);

/*
 * The admin (core/admin) as the site registers it (admin_site.c): its
 * models' admin entries and the site's own admin pages.
 */
extern const struct admin_model *const site_admin_models[];
extern const struct admin_page *const site_admin_page_table;
/* The API's endpoints (api.c), for api_register(). */
struct api_endpoint;
extern const struct api_endpoint *const site_api_table;

/* The site's job kinds and periodic jobs (jobs.c), for jobs_register(). */
struct job_kind;
struct job_periodic;
extern const struct job_kind *const site_job_kinds;
extern const struct job_periodic *const site_job_periodic;

/* Background jobs in the admin (admin_jobs.c), superusers only. */
int	 page_admin_jobs(struct req *r);	/* /admin/jobs/ */
int	 page_admin_job_retry(struct req *r);	/* POST /admin/jobs/{id}/retry/ */
int	 page_admin_job_delete(struct req *r);	/* POST /admin/jobs/{id}/delete/ */

/* Comment moderation queue and bans (moderation.c). */
int	 page_admin_moderation(struct req *r);	/* /admin/moderation/ */
int	 page_admin_bans(struct req *r);	/* /admin/bans/ */
int	 page_admin_ban_lift(struct req *r);	/* POST /admin/bans/{id}/lift/ */
/* Comments awaiting moderation (the admin's badge and index). */
int64_t	 moderation_pending_count(struct req *r);

/*
 * Delete for good at most 1,000 comments in the trash last changed
 * before `before` (replies move up to the parent), each logged to the
 * admin history as a deletion.  In the caller's write transaction.  The
 * count, or -1.
 */
int	 moderation_purge_trash(struct req *r, int64_t before);

/* Media library (media.c). */
int	 page_admin_media(struct req *r);	/* /admin/media/ */
int	 page_admin_media_delete(struct req *r); /* POST /admin/media/{id}/delete/ */
/*
 * The n newest images (at most MEDIA_PICKER_MAX) under prefix.N.url,
 * .alt, .markdown, for the article form's "Insert an image"; nothing
 * for users who may not use the media library (article.add).
 */
#define MEDIA_PICKER_MAX	24
void	 media_picker_export(struct req *r, const char *prefix, int n);

/* Site settings and account administration (admin_accounts.c). */
int	 page_admin_settings(struct req *r);	/* /admin/settings/ */
int	 page_admin_user_password(struct req *r); /* /admin/user/{id}/password/ */
int	 page_admin_user_2fa_reset(struct req *r); /* POST /admin/user/{id}/2fa-reset/ */
struct admin_model;
struct form;
/* The user admin's hooks: two passwords on add; set it after save. */
int	 user_admin_validate(struct req *r, const struct admin_model *am,
	    struct form *f, int64_t id);
int	 user_admin_after_save(struct req *r, const struct admin_model *am,
	    struct form *f, int64_t id);
void	 user_admin_change_extra(struct req *r, const struct admin_model *am,
	    int64_t id);

/* The admin index's dashboard: charts as SVG (dashboard.c). */
void	 site_dashboard(struct req *r);

/*
 * Run for every rendered page: who is visiting (session_export) and the
 * account URLs the layout links to.
 */
void	 site_page_hook(struct req *r);
/* Nav.pages.N.title and .url: the static pages, for the footer
 * (article_pages.c; called by site_page_hook). */
void	 article_nav_export(struct req *r);
#ifdef GAZETTE_TEST
int	 page_test_sleep(struct req *r);
/* POST /__test/articles/: article_save() from form fields, for the
 * integration tests (test builds only; there is no editor before the
 * admin). */
int	 page_test_article_save(struct req *r);
/* POST /__test/settings/: settings_set() for each form field (test
 * builds only), so tests can switch moderation rules. */
int	 page_test_settings(struct req *r);
/* POST /__test/jobs/: jobs_enqueue() of kind, payload, count, max_attempts,
 * unique_key in one transaction; prints the ids (test builds only). */
int	 page_test_jobs(struct req *r);
#endif

/*
 * Insert n deterministic demo articles (realistic titles, Markdown bodies
 * of several paragraphs, dates spread over years).  Article i is always
 * the same, and one already present is skipped, so running it twice adds
 * nothing.  Prints progress to out.  Returns the number inserted, or -1
 * (r failed).
 */
int	 seed_articles(struct req *r, int n, FILE *out);

#endif
