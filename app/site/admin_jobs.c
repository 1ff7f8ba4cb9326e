/*
 * admin_jobs: the background jobs in the admin: counts by state, the
 * jobs of one state with their payload, attempts and last error, and
 * retry or delete of a dead job.  Needs jobs.change (superusers have
 * it).  Owns no table: the queue is core/jobs'.  Also the test builds'
 * POST /__test/jobs/ that enqueues jobs for the integration tests.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "core/admin.h"
#include "core/arena.h"
#include "core/auth.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/http.h"
#include "core/jobs.h"
#include "core/log.h"
#include "core/render.h"
#include "core/router.h"
#include "core/util.h"
#include "site/site.h"

#define JOBS_LIST_MAX	200

/* Staff with jobs.change: 0, or the status to answer. */
static int
jobs_guard(struct req *r)
{
	int	 rc;

	if ((rc = admin_guard(r)) != 0)
		return rc;
	return auth_has_perm(r, r->user, "jobs.change") ? 0 : HTTP_403;
}

/*
 * GET /admin/jobs/?state=dead  counts of every state, and the newest
 * JOBS_LIST_MAX jobs of state (default dead; an unknown state is
 * refused with 400).  403 without jobs.change.
 */
int
page_admin_jobs(struct req *r)
{
	const char	*state = req_query(r, "state");
	int		 rc, n;

	if ((rc = jobs_guard(r)) != 0)
		return rc;
	if (state == NULL || *state == '\0')
		state = "dead";
	if (!jobs_is_state(state))
		return HTTP_400;
	if ((n = jobs_export(r, state, JOBS_LIST_MAX)) < 0)
		return HTTP_500;
	for (int i = 0; i < n && strcmp(state, "dead") == 0; i++) {
		struct render_node *nd = render_node(r, "Jobs.list.%d", i);
		const char	*id = render_get(r, arena_printf(r->arena,
		    "Jobs.list.%d.id", i));

		render_node_set(r, nd, "retry_url", router_url(r,
		    "admin_job_retry", id));
		render_node_set(r, nd, "delete_url", router_url(r,
		    "admin_job_delete", id));
	}
	render_set(r, "Jobs.state", state);
	render_set(r, "Jobs.url", router_url(r, "admin_jobs"));
	render_set_int(r, "Jobs.max", JOBS_LIST_MAX);
	admin_crumb(r, "Background jobs", NULL);
	return admin_render(r, "admin/jobs.cs", "Background jobs");
}

/* The {id} of the route, or 0. */
static int64_t
job_id(struct req *r)
{
	long long	 id;

	if (util_parse_int(req_param(r, "id"), 1, INT64_MAX, &id) != 0)
		return 0;
	return (int64_t)id;
}

/*
 * POST /admin/jobs/{id}/retry/ and /delete/: a dead job back to the
 * queue (attempts from zero), or deleted; logged to the admin history.
 * 303 to the dead jobs with a message; 404 if id is no dead job.
 */
static int
dead_job_action(struct req *r, bool retry)
{
	int64_t	 id;
	int	 rc;

	if ((rc = jobs_guard(r)) != 0)
		return rc;
	if ((id = job_id(r)) == 0)
		return HTTP_404;
	if (db_begin_write(r) != 0)
		return HTTP_500;
	rc = retry ? jobs_retry_dead(r, id) : jobs_delete_dead(r, id);
	if (rc < 0)
		return HTTP_500;
	if (rc == 0) {
		db_rollback(r);
		return HTTP_404;
	}
	if (admin_log(r, "job", id, arena_printf(r->arena, "Job %" PRId64,
	    id), retry ? ADMIN_LOG_CHANGE : ADMIN_LOG_DELETE, retry ?
	    "[{\"field\": \"state\", \"label\": \"State\", \"old\": \"dead\","
	    " \"new\": \"queued\"}]" : NULL, NULL) < 0 || db_commit(r) != 0)
		return HTTP_500;
	log_msg(LOG_INFO, "rid=%s msg=\"dead job %s\" job=%" PRId64
	    " user=%" PRId64, r->request_id, retry ? "retried" : "deleted",
	    id, r->user->id);
	admin_message(r, "success", retry ? "Job %" PRId64 " is queued "
	    "again." : "Job %" PRId64 " was deleted.", id);
	return http_redirect(r, HTTP_303, arena_printf(r->arena,
	    "%s?state=dead", router_url(r, "admin_jobs")));
}

int
page_admin_job_retry(struct req *r)
{
	return dead_job_action(r, true);
}

int
page_admin_job_delete(struct req *r)
{
	return dead_job_action(r, false);
}

#ifdef GAZETTE_TEST
/*
 * POST /__test/jobs/  kind, payload (JSON), count (1..1000), max_attempts,
 * unique_key, delay (seconds from now): enqueue in one transaction and
 * answer the ids, one a line (0 for a duplicate key).  rollback=1 rolls
 * the transaction back instead (the jobs must vanish with it).
 */
int
page_test_jobs(struct req *r)
{
	const char	*kind = req_form(r, "kind");
	const char	*key = req_form(r, "unique_key");
	long long	 count = 1, attempts = 0, delay = 0;
	const char	*v;

	r->content_type = "text/plain; charset=utf-8";
	r->private_page = true;
	if (kind == NULL || jobs_kind_find(kind) == NULL)
		return HTTP_400;
	if ((v = req_form(r, "count")) != NULL &&
	    util_parse_int(v, 1, 1000, &count) != 0)
		return HTTP_400;
	if ((v = req_form(r, "max_attempts")) != NULL &&
	    util_parse_int(v, 1, 100, &attempts) != 0)
		return HTTP_400;
	if ((v = req_form(r, "delay")) != NULL &&
	    util_parse_int(v, 0, 86400, &delay) != 0)
		return HTTP_400;
	if (key != NULL && *key == '\0')
		key = NULL;
	if (db_begin_write(r) != 0)
		return HTTP_500;
	for (long long i = 0; i < count; i++) {
		int64_t id = jobs_enqueue(r, kind, req_form(r, "payload"),
		    delay > 0 ? (int64_t)(util_wall_us() / 1000000) + delay :
		    0, (int)attempts, key);

		if (id < 0)
			return HTTP_500;
		buf_printf(&r->out, "%" PRId64 "\n", id);
	}
	if ((v = req_form(r, "rollback")) != NULL && strcmp(v, "1") == 0)
		db_rollback(r);
	else if (db_commit(r) != 0)
		return HTTP_500;
	return HTTP_200;
}
#endif
