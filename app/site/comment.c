/* comment: STUB until the comments work lands. */
#include "core/http.h"
#include "article.h"
#include "comment.h"

bool comment_visitor_is_personal(struct req *r) { (void)r; return false; }
bool comment_open(struct req *r, const struct article *a) { (void)r; return a->comments_open; }
int comment_section(struct req *r, const struct article *a, const struct comment_form *f) { (void)r; (void)a; (void)f; return 0; }
const char *comment_classify(const struct comment_rules *rules, const struct comment_candidate *c, const char **why) { (void)rules; (void)c; *why = ""; return "pending"; }
