/* moderation: placeholder until written (issue 5). */
#include <stdint.h>

#include "core/http.h"
#include "site/site.h"

int
page_admin_moderation(struct req *r)
{
	(void)r;
	return HTTP_404;
}

int
page_admin_bans(struct req *r)
{
	(void)r;
	return HTTP_404;
}

int
page_admin_ban_lift(struct req *r)
{
	(void)r;
	return HTTP_404;
}

int64_t
moderation_pending_count(struct req *r)
{
	(void)r;
	return -1;
}
