-- 0011_jobs: the durable job queue of core/jobs, in the site's database so
-- a change and the job it causes commit together (jobs_enqueue() runs in
-- the caller's write transaction).
--
-- States:
--   queued   waiting for run_at
--   running  claimed by locked_by until lease_until; a worker that dies
--            leaves it here and the lease recovery requeues it
--   failed   an attempt failed and it waits for its retry at run_at
--            (kept apart from queued so the admin and the metrics can
--            tell first runs from retries; claimed the same way)
--   done     finished; purged after a week
--   dead     failed max_attempts times, or failed permanently; waits for
--            an operator to retry or delete it at /admin/jobs/
-- Times are Unix seconds, as everywhere else in the schema.
CREATE TABLE jobs (
	id		INTEGER PRIMARY KEY,
	kind		TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
	payload		TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
	run_at		INTEGER NOT NULL,
	attempts	INTEGER NOT NULL DEFAULT 0,
	max_attempts	INTEGER NOT NULL DEFAULT 5 CHECK (max_attempts >= 1),
	last_error	TEXT,
	state		TEXT NOT NULL DEFAULT 'queued' CHECK (state IN
			    ('queued', 'running', 'failed', 'done', 'dead')),
	unique_key	TEXT,
	locked_by	TEXT,
	lease_until	INTEGER,
	created_at	INTEGER NOT NULL,
	updated_at	INTEGER NOT NULL,
	finished_at	INTEGER
);

-- Claiming: the next due job in run_at order, from a partial index that
-- holds only what may be claimed (the claim's WHERE repeats its terms).
CREATE INDEX jobs_ready ON jobs (run_at, id)
	WHERE state IN ('queued', 'failed');
-- Lease recovery: running jobs by lease end.
CREATE INDEX jobs_lease ON jobs (lease_until) WHERE state = 'running';
-- The admin's counts and lists by state, newest first; the purge of done.
CREATE INDEX jobs_state ON jobs (state, id);
-- De-duplication among jobs not finished: one queued, running or failed
-- job per unique key.  Finished ones keep their key (jobs_key_seen()).
CREATE UNIQUE INDEX jobs_unique_open ON jobs (unique_key)
	WHERE unique_key IS NOT NULL AND state IN ('queued', 'running', 'failed');
CREATE INDEX jobs_unique_key ON jobs (unique_key)
	WHERE unique_key IS NOT NULL;

-- The periodic jobs' schedule: the next period each one is due in.  The
-- worker that moves next_at also enqueues the job (unique key name:period)
-- in the same transaction, so two workers never both schedule a period.
CREATE TABLE job_schedule (
	name		TEXT PRIMARY KEY,
	next_at		INTEGER NOT NULL
) WITHOUT ROWID;

-- /admin/jobs/: superusers have it implicitly; grant it to an operator's
-- group to let them retry and delete dead jobs.
INSERT INTO permissions (codename, name) VALUES
	('jobs.change', 'Can see and manage background jobs');
