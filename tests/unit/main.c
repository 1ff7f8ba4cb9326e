/*
 * The unit test runner: every suite of tests/unit in one SRunner.  Runs
 * from tests/unit (the Makefile cd's there).  Exits 1 if any test failed.
 *
 * Logging is silenced, since failure paths log on purpose; set
 * GAZETTE_TEST_LOG=1 to see the lines.  GAZETTE_* variables of the caller
 * are dropped first, so they cannot change what config_load() sees.
 * Check's own variables still apply: CK_RUN_SUITE=http, CK_RUN_CASE=...,
 * CK_FORK=no (as `make valgrind` does).
 */
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "fixture.h"

extern char **environ;

static void
drop_gazette_env(void)
{
	char	 name[256];
	bool	 again = true;

	while (again) {
		again = false;
		for (char **e = environ; e != NULL && *e != NULL; e++) {
			const char	*eq = strchr(*e, '=');
			size_t		 n = eq != NULL ? (size_t)(eq - *e) :
			    strlen(*e);

			if (strncmp(*e, "GAZETTE_", 8) != 0 || n >= sizeof(name))
				continue;
			if (strncmp(*e, "GAZETTE_TEST_", 13) == 0)
				continue;
			memcpy(name, *e, n);
			name[n] = '\0';
			unsetenv(name);		/* environ changed: rescan */
			again = true;
			break;
		}
	}
}

/*
 * Suites of modules that are being written: weak, so the runner links
 * before their test file exists and runs them once it does.
 */
#define SUITE_WEAK(name)	Suite *name(void) __attribute__((weak))
SUITE_WEAK(totp_suite);
SUITE_WEAK(mail_suite);
SUITE_WEAK(password_suite);
SUITE_WEAK(session_suite);
SUITE_WEAK(auth_suite);
SUITE_WEAK(csrf_suite);
SUITE_WEAK(throttle_suite);
SUITE_WEAK(markdown_suite);
SUITE_WEAK(slug_suite);
SUITE_WEAK(cache_suite);
SUITE_WEAK(article_suite);
SUITE_WEAK(comment_suite);
SUITE_WEAK(search_suite);
SUITE_WEAK(feed_suite);
SUITE_WEAK(model_suite);
SUITE_WEAK(form_suite);
SUITE_WEAK(changelist_suite);
SUITE_WEAK(multipart_suite);
SUITE_WEAK(chart_suite);
SUITE_WEAK(metrics_suite);
SUITE_WEAK(health_suite);
SUITE_WEAK(moderation_suite);
SUITE_WEAK(dashboard_suite);
SUITE_WEAK(admin_suite);
SUITE_WEAK(admin_history_suite);
SUITE_WEAK(admin_rows_suite);
SUITE_WEAK(jobs_suite);
SUITE_WEAK(ops_suite);
SUITE_WEAK(api_suite);
SUITE_WEAK(ratelimit_suite);
SUITE_WEAK(mail_send_suite);

int
main(void)
{
	Suite *(*const suites[])(void) = {
		arena_suite, buf_suite, util_suite, log_suite, config_suite,
		http_suite, router_suite, db_suite, migrate_suite,
		render_suite, totp_suite, mail_suite, password_suite,
		session_suite, auth_suite, csrf_suite, throttle_suite,
		markdown_suite, slug_suite, cache_suite, article_suite,
		comment_suite, search_suite, feed_suite, model_suite,
		form_suite, changelist_suite, multipart_suite,
		chart_suite, metrics_suite, health_suite, dashboard_suite,
		moderation_suite, admin_suite, admin_history_suite,
		admin_rows_suite, jobs_suite, ops_suite, api_suite,
		mail_send_suite, ratelimit_suite,
	};
	SRunner	*sr;
	int	 failed;

	drop_gazette_env();
	if (getenv("GAZETTE_TEST_LOG") == NULL)
		log_set_level(LOG__MAX);
	fixture_begin();
	sr = srunner_create(NULL);
	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		if (suites[i] != NULL)
			srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	fixture_end();
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
