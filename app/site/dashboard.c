/* dashboard: placeholder until written (issue 5). */
#include <stdint.h>

#include "core/http.h"
#include "site/site.h"

void
site_dashboard(struct req *r)
{
	(void)r;
}
