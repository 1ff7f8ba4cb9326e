/* sitemap: STUB until the sitemap work lands. */
#include "core/http.h"
#include "site.h"

int page_sitemap(struct req *r) { (void)r; return HTTP_404; }
int page_sitemap_part(struct req *r) { (void)r; return HTTP_404; }
int page_robots(struct req *r) { (void)r; return HTTP_404; }
