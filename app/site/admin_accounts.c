/* admin_accounts: placeholder until written (issue 5). */
#include <stdint.h>

#include "core/http.h"
#include "site/site.h"

int
page_admin_settings(struct req *r)
{
	(void)r;
	return HTTP_404;
}

int
page_admin_user_password(struct req *r)
{
	(void)r;
	return HTTP_404;
}

int
page_admin_user_2fa_reset(struct req *r)
{
	(void)r;
	return HTTP_404;
}

int
user_admin_validate(struct req *r, const struct admin_model *am,
    struct form *f, int64_t id)
{
	(void)r; (void)am; (void)f; (void)id;
	return 0;
}

int
user_admin_after_save(struct req *r, const struct admin_model *am,
    struct form *f, int64_t id)
{
	(void)r; (void)am; (void)f; (void)id;
	return 0;
}

void
user_admin_change_extra(struct req *r, const struct admin_model *am,
    int64_t id)
{
	(void)r; (void)am; (void)id;
}
