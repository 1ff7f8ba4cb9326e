/* media: placeholder until written (issue 5). */
#include <stdint.h>

#include "core/http.h"
#include "site/site.h"

int
page_admin_media(struct req *r)
{
	(void)r;
	return HTTP_404;
}

int
page_admin_media_delete(struct req *r)
{
	(void)r;
	return HTTP_404;
}
