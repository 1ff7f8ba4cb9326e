/* admin_pages: the generic admin's pages (being written, issue 5). */
#include <stdint.h>

#include "core/admin.h"
#include "core/http.h"

static void	(*index_hook)(struct req *);

void
admin_set_index_hook(void (*fn)(struct req *))
{
	index_hook = fn;
}

int admin_page_index(struct req *r) { (void)r; (void)index_hook; return HTTP_404; }
int admin_page_log(struct req *r) { (void)r; return HTTP_404; }
int admin_page_changelist(struct req *r) { (void)r; return HTTP_404; }
int admin_page_export(struct req *r) { (void)r; return HTTP_404; }
int admin_page_autocomplete(struct req *r) { (void)r; return HTTP_404; }
int admin_page_add(struct req *r) { (void)r; return HTTP_404; }
int admin_page_change(struct req *r) { (void)r; return HTTP_404; }
int admin_page_delete(struct req *r) { (void)r; return HTTP_404; }
int admin_page_history(struct req *r) { (void)r; return HTTP_404; }
int admin_page_revert(struct req *r) { (void)r; return HTTP_404; }
int admin_page_preview(struct req *r) { (void)r; return HTTP_404; }
