/* comment_pages: STUB until the comments work lands. */
#include "core/http.h"
#include "site.h"

int page_comment_post(struct req *r) { (void)r; return HTTP_404; }
int page_comment_moderate(struct req *r) { (void)r; return HTTP_404; }
#ifdef GAZETTE_TEST
int page_test_settings(struct req *r) { (void)r; return HTTP_404; }
#endif
