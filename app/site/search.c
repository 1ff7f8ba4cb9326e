/* search: STUB until the search work lands. */
#include "core/http.h"
#include "site.h"

int page_search(struct req *r) { (void)r; return HTTP_404; }
