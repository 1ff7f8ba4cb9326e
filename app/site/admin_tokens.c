/*
 * admin_tokens: every user's API tokens for superusers, at /admin/tokens/,
 * with a Revoke button each (POST + CSRF).  Tokens themselves are
 * core/api's; users manage their own from the profile page.
 */
#include <stdint.h>

#include "core/admin.h"
#include "core/api.h"
#include "core/auth.h"
#include "core/http.h"
#include "core/render.h"
#include "core/router.h"
#include "core/util.h"
#include "site.h"

/* Only superusers: a token acts as its user, anybody's. */
static int
tokens_guard(struct req *r)
{
	int	 rc;

	if ((rc = admin_guard(r)) != 0)
		return rc;
	return r->user->is_superuser ? 0 : HTTP_403;
}

/* GET /admin/tokens/  all tokens, newest first (500 at most). */
int
page_admin_tokens(struct req *r)
{
	int	 rc;

	if ((rc = tokens_guard(r)) != 0)
		return rc;
	if (api_token_export(r, 0, "Tokens", "admin_token_revoke") < 0)
		return HTTP_500;
	return admin_render(r, "admin/tokens.cs", "API tokens");
}

/* POST /admin/tokens/{id}/revoke/  then 303 to the list. */
int
page_admin_token_revoke(struct req *r)
{
	long long	 id;
	int		 rc;

	if ((rc = tokens_guard(r)) != 0)
		return rc;
	if (util_parse_int(req_param(r, "id"), 1, INT64_MAX, &id) != 0)
		return HTTP_404;
	if ((rc = api_token_revoke(r, id, 0)) < 0)
		return HTTP_500;
	if (rc > 0)
		admin_message(r, "success", "The token was revoked.");
	else
		admin_message(r, "info", "The token had already been revoked "
		    "or has expired.");
	return http_redirect(r, HTTP_303, router_url(r, "admin_tokens"));
}
