/* feed: STUB until the feeds work lands. */
#include "core/http.h"
#include "site.h"

int page_feed(struct req *r) { (void)r; return HTTP_404; }
int page_tag_feed(struct req *r) { (void)r; return HTTP_404; }
int page_author_feed(struct req *r) { (void)r; return HTTP_404; }
int page_comment_feed(struct req *r) { (void)r; return HTTP_404; }
