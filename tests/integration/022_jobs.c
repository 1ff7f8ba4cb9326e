/*
 * 022_jobs: the job queue and `gazette worker` on a real site.  Jobs of
 * the test-only kinds come from POST /__test/jobs/; test.sleep records
 * each run in test_job_runs (UNIQUE (job_id, attempt)).
 *
 * - Two workers; one is killed with SIGKILL in the middle of a job:
 *   after its lease (3 s here) the other runs that job again, and in the
 *   end every job ran to completion exactly once, none lost.
 * - A batch (fast jobs share a claim and a commit): killed with SIGKILL
 *   in the middle of one of its jobs, the jobs it had not recorded come
 *   back after the lease and two workers finish them; no run that
 *   completed is run again.  SIGTERM: the job in hand finishes, the
 *   batch's others go back to the queue, their attempt uncounted.
 * - SIGTERM: the job in hand finishes and is recorded, then exit 0 (a
 *   single worker, and a master with --concurrency 2).
 * - A failing job is retried with backoff, then dead; the admin lists it
 *   (payload escaped) to superusers only; retry queues it again and
 *   delete removes it.
 * - An enqueue rolled back with its transaction leaves no job.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define PW		"Correct-Horse-42-battery"
#define LEASE_S		3
#define JOBS_INI	"[jobs]\njob_lease_seconds = 3\njob_backoff_base = 1\n" \
			"job_poll_ms = 100\n"

static int	 nworkers;

/* Start `gazette worker ARGS` with its stderr in DIR/worker-N.log. */
static pid_t
worker_start(const struct site *s, const char *arg1, const char *arg2,
    char *log, size_t loglen)
{
	pid_t	 pid;

	snprintf(log, loglen, "%s/worker-%d.log", s->dir, ++nworkers);
	if ((pid = fork()) != 0)
		return pid;
	int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);

	if (fd < 0)
		_exit(127);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
	execl(harness_bin(), "gazette", "--config", s->ini, "worker", arg1,
	    arg2, (char *)NULL);
	_exit(127);
}

/* Wait up to ms for pid: its exit status, 128 + signal, or -1. */
static int
worker_wait(pid_t pid, int ms)
{
	int	 st;

	for (long long end = now_ms() + ms; now_ms() < end; msleep(20)) {
		pid_t	 w = waitpid(pid, &st, WNOHANG);

		if (w == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) :
			    128 + WTERMSIG(st);
		if (w < 0)
			return -1;
	}
	return -1;
}

/* The integer the query answers (0 if none). */
static long long
sql_int(const struct site *s, const char *query)
{
	char		*v = site_sql(s, query);
	long long	 n = atoll(v);

	free(v);
	return n;
}

/* Poll until query answers want, up to ms.  Whether it did. */
static bool
wait_sql(const struct site *s, const char *query, long long want, int ms)
{
	for (long long end = now_ms() + ms; now_ms() < end; msleep(100))
		if (sql_int(s, query) == want)
			return true;
	return false;
}

/* For a failure: the runs and the jobs after base, as the database has them. */
static void
dump_runs(const struct site *s, long long base)
{
	char	*q, *v;

	q = str_printf("SELECT group_concat(job_id || '/' || attempt || '/' ||"
	    " pid || '/' || started_ms || '/' || coalesce(finished_ms, '-'),"
	    " ' ') FROM test_job_runs WHERE job_id > %lld", base);
	v = site_sql(s, q);
	harness_note("test_job_runs: %s", v);
	free(v);
	free(q);
	q = str_printf("SELECT group_concat(id || '/' || kind || '/' || state ||"
	    " '/' || attempts || '/' || coalesce(last_error, '-'), ' ') FROM"
	    " jobs WHERE id > %lld", base);
	v = site_sql(s, q);
	harness_note("jobs: %s", v);
	free(v);
	free(q);
}

/* Count of lines in the file at path with both a and b (b may be NULL). */
static int
file_count(const char *path, const char *a, const char *b)
{
	char	*text = file_read(path, NULL), *line, *save = NULL;
	int	 n = 0;

	if (text == NULL)
		return 0;
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		if (strstr(line, a) != NULL && (b == NULL ||
		    strstr(line, b) != NULL))
			n++;
	free(text);
	return n;
}

/* No sanitizer report and no "job timed out" in a worker's log. */
static void
check_worker_log(const char *log)
{
	CHECK_INT(file_count(log, "Sanitizer", NULL) + file_count(log,
	    "runtime error", NULL), 0, "sanitizer reports in %s", log);
	CHECK_INT(file_count(log, "job timed out", NULL), 0,
	    "timeouts in %s", log);
}

/* Enqueue count jobs of kind; 200 and count ids, or 0 after a check. */
static int
enqueue(struct site *s, const char *kind, const char *payload,
    const char *count, const char *max_attempts)
{
	struct resp	 r = { 0 };
	int		 n;

	site_post_form(s, "/__test/jobs/", &r, "kind", kind, "payload",
	    payload, "count", count, "max_attempts", max_attempts,
	    (char *)NULL);
	if (!CHECK_STATUS(&r, 200, "POST", "/__test/jobs/")) {
		resp_free(&r);
		return 0;
	}
	n = resp_count(&r, "\n");
	resp_free(&r);
	return n;
}

static void
test_enqueue_rolled_back_leaves_no_job(struct site *s)
{
	struct resp	 r = { 0 };

	site_post_form(s, "/__test/jobs/", &r, "kind", "test.noop", "count",
	    "3", "rollback", "1", (char *)NULL);
	CHECK_STATUS(&r, 200, "POST", "/__test/jobs/ rollback=1");
	CHECK_INT(resp_count(&r, "\n"), 3, "ids given inside the transaction");
	CHECK_INT(sql_int(s, "SELECT count(*) FROM jobs WHERE kind ="
	    " 'test.noop'"), 0, "jobs left after the rollback");
	resp_free(&r);
	site_post_form(s, "/__test/jobs/", &r, "kind", "test.nope", (char *)NULL);
	CHECK_STATUS(&r, 400, "POST", "/__test/jobs/ of an unknown kind");
	resp_free(&r);
}

static void
test_kill_9_mid_job_loses_none_and_runs_none_twice(struct site *s)
{
	char		 loga[300], logb[300], *q;
	pid_t		 a, b;
	long long	 victim;

	REQUIRE(enqueue(s, "test.sleep", "{\"ms\": 1200}", "6", NULL) == 6,
	    "6 jobs enqueued");
	a = worker_start(s, NULL, NULL, loga, sizeof(loga));
	b = worker_start(s, NULL, NULL, logb, sizeof(logb));
	/* test.sleep creates its table on its first run. */
	CHECK(wait_sql(s, "SELECT count(*) FROM sqlite_master WHERE name ="
	    " 'test_job_runs'", 1, 15000), "the first run began");
	q = str_printf("SELECT count(*) FROM test_job_runs WHERE pid = %d"
	    " AND finished_ms IS NULL", (int)a);
	CHECK(wait_sql(s, q, 1, 15000), "worker A is in the middle of a job");
	free(q);
	kill(a, SIGKILL);
	CHECK_INT(worker_wait(a, 5000), 128 + SIGKILL, "worker A was killed");
	q = str_printf("SELECT job_id FROM test_job_runs WHERE pid = %d"
	    " AND finished_ms IS NULL", (int)a);
	victim = sql_int(s, q);
	free(q);
	CHECK(victim > 0, "the job A was running: %lld", victim);

	CHECK(wait_sql(s, "SELECT count(*) FROM jobs WHERE kind = 'test.sleep'"
	    " AND state = 'done'", 6, 40000), "all 6 jobs done");
	CHECK_INT(sql_int(s, "SELECT count(*) FROM test_job_runs"
	    " WHERE finished_ms IS NOT NULL"), 6, "completed runs");
	CHECK_INT(sql_int(s, "SELECT count(DISTINCT job_id) FROM test_job_runs"
	    " WHERE finished_ms IS NOT NULL"), 6, "jobs completed");
	CHECK_INT(sql_int(s, "SELECT count(*) FROM (SELECT job_id FROM"
	    " test_job_runs WHERE finished_ms IS NOT NULL GROUP BY job_id"
	    " HAVING count(*) > 1)"), 0, "jobs completed twice");
	q = str_printf("SELECT attempts FROM jobs WHERE id = %lld", victim);
	CHECK_INT(sql_int(s, q), 2, "attempts of the job A was running");
	free(q);
	/* The second run began only after the first one's lease ended. */
	q = str_printf("SELECT (SELECT started_ms FROM test_job_runs WHERE"
	    " job_id = %lld AND attempt = 2) - (SELECT started_ms FROM"
	    " test_job_runs WHERE job_id = %lld AND attempt = 1)"
	    " >= %d", victim, victim, LEASE_S * 1000);
	CHECK_INT(sql_int(s, q), 1, "the rerun waited for the lease");
	free(q);
	q = str_printf("id=%lld attempt=2 outcome=done", victim);
	CHECK_INT(file_count(logb, "msg=\"job\" kind=test.sleep", q), 1,
	    "B's log line for the recovered job");
	free(q);
	CHECK_INT(file_count(logb, "jobs requeued after their lease expired",
	    NULL), 1, "B's recovery line");
	kill(b, SIGTERM);
	CHECK_INT(worker_wait(b, 10000), 0, "worker B's exit status");
	check_worker_log(loga);
	check_worker_log(logb);
}

/*
 * Batches: one worker claims a batch (test.noop is fast, so after its
 * first job the batch grows, to 32 on an idle machine); in it, two fast
 * jobs that write, then a 2-second one, then more.  Killed in the middle
 * of the slow one: the two before it were recorded before it ran (a job
 * that wrote is recorded at once), the slow one and the ones of its
 * batch not yet run come back after the lease, an attempt counted, and
 * two workers finish them: every run that completed, completed once.
 */
static void
test_kill_9_mid_batch_loses_none_and_runs_none_twice(struct site *s)
{
	char		 loga[300], logb[300], logc[300], *q;
	pid_t		 a, b, c;
	long long	 base, victim, held;

	base = sql_int(s, "SELECT coalesce(max(id), 0) FROM jobs");
	REQUIRE(enqueue(s, "test.noop", "{}", "1", NULL) == 1, "noop");
	REQUIRE(enqueue(s, "test.sleep", "{\"ms\": 0}", "2", NULL) == 2,
	    "2 fast jobs that write");
	REQUIRE(enqueue(s, "test.sleep", "{\"ms\": 2000}", "1", NULL) == 1,
	    "the slow one");
	victim = base + 4;
	REQUIRE(enqueue(s, "test.sleep", "{\"ms\": 0}", "18", NULL) == 18,
	    "18 more that write");
	REQUIRE(enqueue(s, "test.noop", "{}", "11", NULL) == 11, "11 noops");

	a = worker_start(s, NULL, NULL, loga, sizeof(loga));
	q = str_printf("SELECT count(*) FROM test_job_runs WHERE job_id = %lld"
	    " AND pid = %d AND finished_ms IS NULL", victim, (int)a);
	CHECK(wait_sql(s, q, 1, 15000), "A is running the slow job");
	free(q);
	/*
	 * A's batch: the slow job and those claimed with it, not yet run.
	 * How many depends on the batch size A chose from its handlers'
	 * time (up to 32; fewer on a loaded machine), so it is read here
	 * and what follows counts on it.
	 */
	q = str_printf("SELECT count(*) FROM jobs WHERE state = 'running'"
	    " AND kind LIKE 'test.%%' AND locked_by LIKE '%%:%d'", (int)a);
	held = sql_int(s, q);
	free(q);
	CHECK(held >= 2, "A holds a batch: the slow job and more (%lld)",
	    held);
	q = str_printf("SELECT min(id) = %lld AND max(id) = %lld FROM jobs"
	    " WHERE state = 'running' AND locked_by LIKE '%%:%d'", victim,
	    victim + held - 1, (int)a);
	CHECK_INT(sql_int(s, q), 1, "A's batch: the slow job and the ones"
	    " after it");
	free(q);
	q = str_printf("SELECT count(*) FROM jobs WHERE id IN (%lld, %lld)"
	    " AND state = 'done' AND attempts = 1", base + 2, base + 3);
	CHECK_INT(sql_int(s, q), 2, "the two run before it, recorded");
	free(q);
	kill(a, SIGKILL);
	CHECK_INT(worker_wait(a, 5000), 128 + SIGKILL, "worker A was killed");

	b = worker_start(s, NULL, NULL, logb, sizeof(logb));
	c = worker_start(s, NULL, NULL, logc, sizeof(logc));
	/* Only the test's kinds: the workers' periodic jobs (articles.due
	 * and the rest) take ids among them and are done sooner. */
	q = str_printf("SELECT count(*) FROM jobs WHERE id > %lld AND state ="
	    " 'done' AND kind LIKE 'test.%%'", base);
	CHECK(wait_sql(s, q, 33, 40000), "all 33 jobs done");
	free(q);
	q = str_printf("SELECT count(*) FROM test_job_runs WHERE job_id > %lld"
	    " AND finished_ms IS NOT NULL", base);
	if (sql_int(s, q) != 21)
		dump_runs(s, base);
	CHECK_INT(sql_int(s, q), 21, "completed runs (the 21 that write)");
	free(q);
	q = str_printf("SELECT count(*) FROM (SELECT job_id FROM test_job_runs"
	    " WHERE job_id > %lld AND finished_ms IS NOT NULL GROUP BY job_id"
	    " HAVING count(*) > 1)", base);
	CHECK_INT(sql_int(s, q), 0, "jobs completed twice");
	free(q);
	q = str_printf("SELECT count(*) FROM jobs WHERE id >= %lld AND"
	    " attempts = 2 AND kind LIKE 'test.%%'", victim);
	CHECK_INT(sql_int(s, q), held, "the killed batch's jobs: an attempt "
	    "counted");
	free(q);
	q = str_printf("SELECT (SELECT started_ms FROM test_job_runs WHERE"
	    " job_id = %lld AND attempt = 2) - (SELECT started_ms FROM"
	    " test_job_runs WHERE job_id = %lld AND attempt = 1)"
	    " >= %d", victim, victim, LEASE_S * 1000);
	CHECK_INT(sql_int(s, q), 1, "the rerun waited for the lease");
	free(q);
	q = str_printf("count=%lld", held);
	CHECK_INT(file_count(logb, "jobs requeued after their lease expired",
	    q) + file_count(logc, "jobs requeued after their lease expired",
	    q), 1, "one recovery of A's batch");
	free(q);
	kill(b, SIGTERM);
	kill(c, SIGTERM);
	CHECK_INT(worker_wait(b, 10000), 0, "worker B's exit status");
	CHECK_INT(worker_wait(c, 10000), 0, "worker C's exit status");
	check_worker_log(loga);
	check_worker_log(logb);
	check_worker_log(logc);
}

/*
 * SIGTERM with a batch in hand: the job running finishes and is
 * recorded, the ones claimed and not started go back to the queue with
 * their attempt uncounted.
 */
static void
test_sigterm_releases_a_batchs_jobs_not_started(struct site *s)
{
	char		 log[300], *q;
	pid_t		 w;
	long long	 base, slow;

	base = sql_int(s, "SELECT coalesce(max(id), 0) FROM jobs");
	REQUIRE(enqueue(s, "test.noop", "{}", "2", NULL) == 2, "noops");
	REQUIRE(enqueue(s, "test.sleep", "{\"ms\": 1500}", "1", NULL) == 1,
	    "the slow one");
	slow = base + 3;
	REQUIRE(enqueue(s, "test.noop", "{}", "10", NULL) == 10, "10 noops");
	w = worker_start(s, NULL, NULL, log, sizeof(log));
	q = str_printf("SELECT count(*) FROM test_job_runs WHERE job_id = %lld"
	    " AND finished_ms IS NULL", slow);
	CHECK(wait_sql(s, q, 1, 10000), "the slow job started");
	free(q);
	kill(w, SIGTERM);
	CHECK_INT(worker_wait(w, 10000), 0, "the worker's exit status");
	q = str_printf("SELECT state || ':' || attempts FROM jobs WHERE"
	    " id = %lld", slow);
	{
		char	*v = site_sql(s, q);

		CHECK_STR(v, "done:1", "the job in hand");
		free(v);
	}
	free(q);
	q = str_printf("SELECT count(*) FROM jobs WHERE id > %lld AND state ="
	    " 'queued' AND attempts = 0 AND locked_by IS NULL AND kind LIKE"
	    " 'test.%%'", slow);
	CHECK_INT(sql_int(s, q), 10, "the 10 after it, back in the queue");
	free(q);
	CHECK_INT(file_count(log, "outcome=released", NULL), 10,
	    "released lines");
	check_worker_log(log);
	/* Run them, so later cases start from an empty queue. */
	w = worker_start(s, "--once", NULL, log, sizeof(log));
	CHECK_INT(worker_wait(w, 20000), 0, "worker --once");
	q = str_printf("SELECT count(*) FROM jobs WHERE id > %lld AND state <>"
	    " 'done'", base);
	CHECK_INT(sql_int(s, q), 0, "jobs left");
	free(q);
}

static void
test_sigterm_finishes_the_job_in_hand(struct site *s)
{
	char		 log[300], *q;
	pid_t		 w;
	long long	 t0, base;

	/* Runs of this case only: A's killed run stays unfinished. */
	base = sql_int(s, "SELECT coalesce(max(id), 0) FROM jobs");
	w = worker_start(s, NULL, NULL, log, sizeof(log));
	REQUIRE(enqueue(s, "test.sleep", "{\"ms\": 1500}", "1", NULL) == 1,
	    "1 job enqueued");
	q = str_printf("SELECT count(*) FROM test_job_runs WHERE job_id > %lld"
	    " AND finished_ms IS NULL", base);
	CHECK(wait_sql(s, q, 1, 10000), "the job started");
	t0 = now_ms();
	kill(w, SIGTERM);
	CHECK_INT(worker_wait(w, 10000), 0, "the worker's exit status");
	CHECK(now_ms() - t0 >= 500, "it waited for the job (%lld ms)",
	    now_ms() - t0);
	CHECK_INT(sql_int(s, q), 0, "runs left unfinished");
	CHECK_INT(sql_int(s, "SELECT count(*) FROM jobs WHERE kind ="
	    " 'test.sleep' AND state <> 'done'"), 0, "jobs not done");
	CHECK_INT(file_count(log, "msg=\"worker stopped\"", NULL), 1,
	    "\"worker stopped\" lines");
	check_worker_log(log);

	/* A master with two loops: both jobs finish, everything exits 0. */
	REQUIRE(enqueue(s, "test.sleep", "{\"ms\": 1500}", "2", NULL) == 2,
	    "2 jobs enqueued");
	w = worker_start(s, "--concurrency", "2", log, sizeof(log));
	CHECK(wait_sql(s, q, 2, 10000), "both jobs started");
	kill(w, SIGTERM);
	CHECK_INT(worker_wait(w, 15000), 0, "the master's exit status");
	CHECK_INT(sql_int(s, q), 0, "runs left unfinished");
	CHECK_INT(sql_int(s, "SELECT count(*) FROM jobs WHERE kind ="
	    " 'test.sleep' AND state <> 'done'"), 0, "jobs not done");
	CHECK_INT(file_count(log, "msg=\"worker stopped\"", NULL), 2,
	    "loops stopped");
	CHECK_INT(file_count(log, "msg=\"worker master stopped\"", NULL), 1,
	    "master stopped");
	check_worker_log(log);
	free(q);
}

static void
test_failing_job_retries_then_dies_and_the_admin_revives_it(struct site *s)
{
	struct browser	 root, staff;
	struct resp	 r = { 0 };
	char		 log[300], *id, *path, *q;
	pid_t		 w;

	REQUIRE(enqueue(s, "test.fail", "{\"note\": \"<script>x</script>\"}",
	    "1", "3") == 1, "1 failing job enqueued");
	id = site_sql(s, "SELECT id FROM jobs WHERE kind = 'test.fail'");
	w = worker_start(s, NULL, NULL, log, sizeof(log));
	CHECK(wait_sql(s, "SELECT count(*) FROM jobs WHERE kind = 'test.fail'"
	    " AND state = 'dead' AND attempts = 3", 1, 20000),
	    "dead after 3 attempts");
	q = str_printf("id=%s", id);
	CHECK_INT(file_count(log, "outcome=failed", q), 2, "failed attempts");
	CHECK_INT(file_count(log, "outcome=dead", q), 1, "the dead one");
	free(q);
	CHECK_INT(sql_int(s, "SELECT count(*) FROM jobs WHERE kind = 'test.fail'"
	    " AND last_error LIKE '%as asked%'"), 1, "its last error");

	/* The admin: superusers (jobs.change) only. */
	CHECK_INT(site_create_user(s, "root", NULL, PW), 0, "root");
	CHECK_INT(site_create_user(s, "ed", NULL, PW), 0, "ed");
	free(site_sql(s, "UPDATE users SET is_superuser = 0 WHERE"
	    " username = 'ed'"));
	if (browser_init_logged_in(&staff, s, "ed", PW)) {
		browser_get(&staff, "/admin/jobs/", &r);
		CHECK_STATUS(&r, 403, "GET", "/admin/jobs/ as staff");
		resp_free(&r);
	}
	browser_free(&staff);
	if (!browser_init_logged_in(&root, s, "root", PW)) {
		browser_free(&root);
		goto out;
	}
	browser_get(&root, "/admin/", &r);
	CHECK_CONTAINS(r.body, "Background jobs", "the admin index links it");
	resp_free(&r);
	browser_get(&root, "/admin/jobs/?state=dead", &r);
	CHECK_STATUS(&r, 200, "GET", "/admin/jobs/?state=dead");
	CHECK_CONTAINS(r.body, "test.fail", "the kind");
	CHECK_CONTAINS(r.body, "&lt;script&gt;x&lt;/script&gt;",
	    "the payload, escaped");
	CHECK_NOT_CONTAINS(r.body, "<script>x", "the payload unescaped");
	CHECK_CONTAINS(r.body, "as asked", "the last error");
	CHECK_CONTAINS(r.body, "3 / 3", "the attempts");
	CHECK_CONTAINS(r.body, "Dead <span class=\"badge\">1</span>",
	    "the count of dead jobs");
	CHECK_CONTAINS(r.body, "Done <span class=\"badge\">",
	    "the tab of done jobs");
	resp_free(&r);
	browser_get(&root, "/admin/jobs/?state=bogus", &r);
	CHECK_STATUS(&r, 400, "GET", "/admin/jobs/?state=bogus");
	resp_free(&r);

	path = str_printf("/admin/jobs/%s/retry/", id);
	browser_post_form(&root, path, "/admin/jobs/?state=dead", &r,
	    (char *)NULL);
	CHECK_STATUS(&r, 303, "POST", path);
	resp_free(&r);
	/* Queued again from zero attempts; the worker fails it again. */
	CHECK(wait_sql(s, "SELECT count(*) FROM jobs WHERE kind = 'test.fail'"
	    " AND state = 'dead' AND attempts = 3", 1, 20000),
	    "dead again after the retry");
	q = str_printf("id=%s", id);
	CHECK_INT(file_count(log, "outcome=dead", q), 2, "dead lines");
	free(q);
	browser_post_form(&root, path, "/admin/jobs/?state=dead", &r,
	    (char *)NULL);
	CHECK_STATUS(&r, 303, "POST", "retry again");
	resp_free(&r);
	free(path);
	/* Retry of a job that is not dead: 404. */
	CHECK(wait_sql(s, "SELECT count(*) FROM jobs WHERE kind = 'test.fail'"
	    " AND state = 'dead'", 1, 20000), "dead once more");
	path = str_printf("/admin/jobs/%s/delete/", id);
	browser_post_form(&root, path, "/admin/jobs/?state=dead", &r,
	    (char *)NULL);
	CHECK_STATUS(&r, 303, "POST", path);
	resp_free(&r);
	CHECK_INT(sql_int(s, "SELECT count(*) FROM jobs WHERE kind ="
	    " 'test.fail'"), 0, "jobs left after the delete");
	browser_post_form(&root, path, "/admin/jobs/?state=dead", &r,
	    (char *)NULL);
	CHECK_STATUS(&r, 404, "POST", "delete of a job that is gone");
	resp_free(&r);
	free(path);
	CHECK_INT(sql_int(s, "SELECT count(*) FROM admin_log WHERE model ="
	    " 'job'"), 3, "admin history lines (retry, retry, delete)");
	browser_get(&root, "/admin/log/", &r);
	CHECK_STATUS(&r, 200, "GET", "/admin/log/ with the jobs' lines");
	resp_free(&r);
	browser_free(&root);
out:
	kill(w, SIGTERM);
	CHECK_INT(worker_wait(w, 10000), 0, "the worker's exit status");
	check_worker_log(log);
	free(id);
}

int
main(void)
{
	struct site		 s;
	struct site_opts	 o = { .workers = 2, .extra_ini = JOBS_INI };

	harness_init("022_jobs");
	if (site_start(&s, &o) == 0) {
		RUN(test_enqueue_rolled_back_leaves_no_job, &s);
		RUN(test_kill_9_mid_job_loses_none_and_runs_none_twice, &s);
		RUN(test_kill_9_mid_batch_loses_none_and_runs_none_twice, &s);
		RUN(test_sigterm_releases_a_batchs_jobs_not_started, &s);
		RUN(test_sigterm_finishes_the_job_in_hand, &s);
		RUN(test_failing_job_retries_then_dies_and_the_admin_revives_it,
		    &s);
		RUN(site_check_log, &s);
		CHECK_INT(site_stop(&s), 0, "gazette's exit status");
	}
	return harness_finish();
}
