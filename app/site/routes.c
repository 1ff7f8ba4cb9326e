/*
 * routes: the site's one route table.  Read it like a policy file: name,
 * methods, pattern, handler, permission.  Order matters only where two
 * patterns could match the same path; the first wins.
 */
#include "core/http.h"
#include "core/router.h"
#include "site.h"

const struct route site_routes[] = {
	{ "article_list",	M_GET,	"/",			page_article_list, NULL },
	{ "article_show",	M_GET,	"/articles/{slug}/",	page_article_show, NULL },
	{ "healthz",		M_GET,	"/healthz",		page_healthz,	   NULL },
#ifdef GAZETTE_TEST
	/* Test builds only: a slow request for the drain and reload tests. */
	{ "test_sleep",		M_GET,	"/__test/sleep/{ms:int}/", page_test_sleep, NULL },
#endif
	{ NULL, 0, NULL, NULL, NULL }
};
