/*
 * site: the publishing site on top of core.  It hands core its route
 * table; everything else it owns (queries, pages, demo content) hangs
 * off those routes and the `gazette seed` command.
 */
#ifndef GAZETTE_SITE_H
#define GAZETTE_SITE_H

#include <stdio.h>

#include "core/router.h"

struct req;

/* The site's route table, NULL-terminated (routes.c). */
extern const struct route site_routes[];

/* Pages (article_pages.c, health.c). */
int	 page_article_list(struct req *r);
int	 page_article_show(struct req *r);
int	 page_healthz(struct req *r);

/* Accounts (account_pages.c). */
int	 page_signup(struct req *r);
int	 page_login(struct req *r);
int	 page_login_code(struct req *r);
int	 page_logout(struct req *r);
int	 page_password_change(struct req *r);
int	 page_password_reset(struct req *r);
int	 page_password_reset_sent(struct req *r);
int	 page_password_reset_confirm(struct req *r);
int	 page_profile(struct req *r);
int	 page_sessions_end(struct req *r);
int	 page_twofactor(struct req *r);
int	 page_twofactor_qr(struct req *r);

/*
 * Run for every rendered page: who is visiting (session_export) and the
 * account URLs the layout links to.
 */
void	 site_page_hook(struct req *r);
#ifdef GAZETTE_TEST
int	 page_test_sleep(struct req *r);
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
