/*
 * routes: the site's one route table.  Read it like a policy file: name,
 * methods, pattern, handler, permission.  Order matters only where two
 * patterns could match the same path; the first wins.
 */
#include "core/admin.h"
#include "core/health.h"
#include "core/api.h"
#include "core/http.h"
#include "core/metrics.h"
#include "core/router.h"
#include "site.h"

const struct route site_routes[] = {
	{ "article_list",	M_GET,	"/",			page_article_list, NULL, 0 },
	{ "article_show",	M_GET,	"/articles/{slug}/",	page_article_show, NULL, 0 },
	{ "article_preview",	M_GET,	"/articles/{id:int}/preview/", page_article_preview, NULL, 0 },
	{ "article_feed",	M_GET,	"/articles/{slug}/feed/", page_comment_feed, NULL, 0 },
	{ "comment_post",	M_POST,	"/articles/{slug}/comments/", page_comment_post, NULL, ROUTE_CSRF_FORM },
	/* No CSRF check: mail providers send the List-Unsubscribe one-click
	 * POST (RFC 8058) with no cookie, token or Origin of ours.  The MAC'd
	 * token in the path is the whole authority, and a forged request
	 * would need it, so a CSRF check would add nothing. */
	{ "comment_unsubscribe", M_GET | M_POST, "/comments/unsubscribe/{token}/", page_comment_unsubscribe, NULL, ROUTE_CSRF_EXEMPT },
	{ "comment_moderate",	M_POST,	"/comments/{id:int}/moderate/", page_comment_moderate, "comment.change", 0 },
	{ "tag_show",		M_GET,	"/tags/{slug}/",	page_tag_show,	   NULL, 0 },
	{ "tag_feed",		M_GET,	"/tags/{slug}/feed/",	page_tag_feed,	   NULL, 0 },
	{ "author_show",	M_GET,	"/authors/{username}/",	page_author_show,  NULL, 0 },
	{ "author_feed",	M_GET,	"/authors/{username}/feed/", page_author_feed, NULL, 0 },
	{ "archive_month",	M_GET,	"/archive/{year:int}/{month:int}/", page_archive_month, NULL, 0 },
	{ "search",		M_GET,	"/search/",		page_search,	   NULL, 0 },
	{ "feed",		M_GET,	"/feed/",		page_feed,	   NULL, 0 },
	{ "sitemap",		M_GET,	"/sitemap.xml",		page_sitemap,	   NULL, 0 },
	{ "sitemap_part",	M_GET,	"/sitemaps/{n:int}/",	page_sitemap_part, NULL, 0 },
	{ "robots",		M_GET,	"/robots.txt",		page_robots,	   NULL, 0 },
	{ "healthz",		M_GET,	"/healthz",		page_healthz,	   NULL, ROUTE_QUIET },
	{ "readyz",		M_GET,	"/readyz",		health_page_ready, NULL, ROUTE_QUIET },
	{ "metrics",		M_GET,	"/metrics",		metrics_page,	   NULL, ROUTE_QUIET },

	{ "account_signup",	M_GET | M_POST, "/accounts/signup/",	page_signup, NULL, 0 },
	{ "account_login",	M_GET | M_POST, "/accounts/login/",	page_login, NULL, 0 },
	{ "account_login_code",	M_GET | M_POST, "/accounts/login/code/", page_login_code, NULL, 0 },
	{ "account_logout",	M_POST, "/accounts/logout/",		page_logout, NULL, 0 },
	{ "account_password",	M_GET | M_POST, "/accounts/password/",	page_password_change, NULL, 0 },
	{ "account_reset",	M_GET | M_POST, "/accounts/reset/",	page_password_reset, NULL, 0 },
	{ "account_reset_sent",	M_GET,	"/accounts/reset/sent/",	page_password_reset_sent, NULL, 0 },
	{ "account_verify",	M_GET,	"/accounts/verify/{token}/",	page_email_verify, NULL, 0 },
	{ "account_reset_confirm", M_GET | M_POST, "/accounts/reset/{token}/", page_password_reset_confirm, NULL, 0 },
	{ "account_profile",	M_GET | M_POST, "/accounts/profile/",	page_profile, NULL, 0 },
	{ "account_sessions_end", M_POST, "/accounts/profile/sessions/", page_sessions_end, NULL, 0 },
	{ "account_token_create", M_POST, "/accounts/profile/tokens/",	page_token_create, NULL, 0 },
	{ "account_token_revoke", M_POST, "/accounts/profile/tokens/{id:int}/revoke/", page_token_revoke, NULL, 0 },
	{ "account_twofactor",	M_GET | M_POST, "/accounts/2fa/",	page_twofactor, NULL, 0 },
	{ "account_twofactor_qr", M_GET, "/accounts/2fa/qr.svg",	page_twofactor_qr, NULL, 0 },

	/* The JSON API: every method goes through api_dispatch, which finds
	 * the endpoint (site/api.c) and checks the token; no cookies for
	 * unsafe methods, hence no CSRF. */
	{ "api_openapi",	M_GET,	"/api/openapi.json",	api_page_openapi, NULL, 0 },
	{ "api_docs",		M_GET,	"/api/docs/",		page_api_docs,	   NULL, 0 },
	{ "api_articles",	M_GET | M_POST | M_OPTIONS, "/api/v1/articles", api_dispatch, NULL, ROUTE_CSRF_EXEMPT },
	{ "api_article",	M_GET | M_PATCH | M_DELETE | M_OPTIONS, "/api/v1/articles/{id:int}", api_dispatch, NULL, ROUTE_CSRF_EXEMPT },
	{ "api_comments",	M_GET | M_POST | M_OPTIONS, "/api/v1/articles/{id:int}/comments", api_dispatch, NULL, ROUTE_CSRF_EXEMPT },
	{ "api_comment_moderate", M_POST | M_OPTIONS, "/api/v1/comments/{id:int}/moderate", api_dispatch, NULL, ROUTE_CSRF_EXEMPT },
	{ "api_tags",		M_GET | M_OPTIONS, "/api/v1/tags", api_dispatch, NULL, ROUTE_CSRF_EXEMPT },
	{ "api_user",		M_GET | M_OPTIONS, "/api/v1/users/{username}", api_dispatch, NULL, ROUTE_CSRF_EXEMPT },
	{ "api_me",		M_GET | M_OPTIONS, "/api/v1/me", api_dispatch, NULL, ROUTE_CSRF_EXEMPT },

	/* The admin: the site's own admin pages first, then core's generic
	 * model pages (admin_*), whose {model} would match their names. */
	{ "admin_index",	M_GET,	"/admin/",		admin_page_index,  NULL, 0 },
	{ "admin_log",		M_GET,	"/admin/log/",		admin_page_log,	   NULL, 0 },
	{ "admin_preview",	M_POST,	"/admin/preview/",	admin_page_preview, NULL, 0 },
	{ "admin_moderation",	M_GET | M_POST, "/admin/moderation/", page_admin_moderation, NULL, 0 },
	{ "admin_bans",		M_GET | M_POST, "/admin/bans/",	page_admin_bans,   NULL, 0 },
	{ "admin_ban_lift",	M_POST,	"/admin/bans/{id:int}/lift/", page_admin_ban_lift, NULL, 0 },
	{ "admin_media",	M_GET | M_POST, "/admin/media/", page_admin_media, NULL, 0 },
	{ "admin_media_delete",	M_POST,	"/admin/media/{id:int}/delete/", page_admin_media_delete, NULL, 0 },
	{ "admin_settings",	M_GET | M_POST, "/admin/settings/", page_admin_settings, NULL, 0 },
	{ "admin_jobs",		M_GET,	"/admin/jobs/",		page_admin_jobs,   NULL, 0 },
	{ "admin_job_retry",	M_POST,	"/admin/jobs/{id:int}/retry/", page_admin_job_retry, NULL, 0 },
	{ "admin_job_delete",	M_POST,	"/admin/jobs/{id:int}/delete/", page_admin_job_delete, NULL, 0 },
	{ "admin_tokens",	M_GET,	"/admin/tokens/",	page_admin_tokens, NULL, 0 },
	{ "admin_token_revoke",	M_POST,	"/admin/tokens/{id:int}/revoke/", page_admin_token_revoke, NULL, 0 },
	{ "admin_user_password", M_GET | M_POST, "/admin/user/{id:int}/password/", page_admin_user_password, NULL, 0 },
	{ "admin_user_2fa_reset", M_POST, "/admin/user/{id:int}/2fa-reset/", page_admin_user_2fa_reset, NULL, 0 },
	{ "admin_changelist",	M_GET | M_POST, "/admin/{model}/", admin_page_changelist, NULL, 0 },
	{ "admin_export",	M_GET,	"/admin/{model}/export/", admin_page_export, NULL, 0 },
	{ "admin_autocomplete",	M_GET,	"/admin/{model}/autocomplete/", admin_page_autocomplete, NULL, 0 },
	{ "admin_add",		M_GET | M_POST, "/admin/{model}/add/", admin_page_add, NULL, 0 },
	{ "admin_change",	M_GET | M_POST, "/admin/{model}/{id:int}/", admin_page_change, NULL, 0 },
	{ "admin_delete",	M_GET | M_POST, "/admin/{model}/{id:int}/delete/", admin_page_delete, NULL, 0 },
	{ "admin_history",	M_GET,	"/admin/{model}/{id:int}/history/", admin_page_history, NULL, 0 },
	{ "admin_revert",	M_POST,	"/admin/{model}/{id:int}/history/{log:int}/revert/", admin_page_revert, NULL, 0 },
#ifdef GAZETTE_TEST
	/* Test builds only: a slow request for the drain and reload tests. */
	{ "test_sleep",		M_GET,	"/__test/sleep/{ms:int}/", page_test_sleep, NULL, 0 },
	{ "test_article_save",	M_POST,	"/__test/articles/", page_test_article_save, NULL, ROUTE_CSRF_EXEMPT },
	{ "test_settings",	M_POST,	"/__test/settings/", page_test_settings, NULL, ROUTE_CSRF_EXEMPT },
	{ "test_jobs",		M_POST,	"/__test/jobs/",	page_test_jobs,	   NULL, ROUTE_CSRF_EXEMPT },
#endif
	/*
	 * Static pages (about, contact) last: one segment, so it can only
	 * shadow a one-segment route listed after it.
	 */
	{ "page_show",		M_GET,	"/{slug}/",		page_static_show,  NULL, 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};
