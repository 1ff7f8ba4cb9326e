<?cs
# Background jobs (page_admin_jobs, app/site/admin_jobs.c): a tab per
# state with its count, and the jobs of the chosen state, newest first.
#
# Reads: Jobs.state (queued, running, failed, done, dead), Jobs.url,
#        Jobs.max, Jobs.counts.STATE;
#        Jobs.list.N: .id, .kind, .payload (JSON text, escaped here),
#          .attempts, .max_attempts, .last_error, .run_at, .run_at_iso,
#          .updated, .updated_iso, .state, .locked_by, and for dead
#          ones .retry_url and .delete_url (POST, field csrf_token);
#        CSRF.token.
?><?cs def:job_tab(state, label) ?><li><a href="<?cs var:Jobs.url ?>?state=<?cs var:state ?>"<?cs if:Jobs.state == state ?> aria-current="page"<?cs /if ?>><?cs var:label ?> <span class="badge"><?cs var:Jobs.counts[state] ?></span></a></li>
<?cs /def ?><?cs
def:admin_content() ?>
<nav aria-label="Job states">
<ul class="object-tools job-states">
<?cs call:job_tab("queued", "Queued") ?><?cs call:job_tab("running", "Running") ?><?cs call:job_tab("failed", "Waiting to retry") ?><?cs call:job_tab("dead", "Dead") ?><?cs call:job_tab("done", "Done") ?></ul>
</nav>
<div class="module">
<?cs if:subcount(Jobs.list) ?><table class="results">
<caption><?cs var:Jobs.counts[Jobs.state] ?> <?cs var:Jobs.state ?> job(s)<?cs if:Jobs.counts[Jobs.state] > Jobs.max ?>; the newest <?cs var:Jobs.max ?> shown<?cs /if ?></caption>
<thead>
<tr>
<th scope="col">ID</th>
<th scope="col">Kind</th>
<th scope="col">Payload</th>
<th scope="col">Attempts</th>
<th scope="col">Last error</th>
<th scope="col">Run at</th>
<?cs if:Jobs.state == "running" ?><th scope="col">Worker</th>
<?cs /if ?><?cs if:Jobs.state == "dead" ?><th scope="col"><span class="visually-hidden">Actions</span></th>
<?cs /if ?></tr>
</thead>
<tbody>
<?cs each:j = Jobs.list ?><tr>
<td><?cs var:j.id ?></td>
<td><code><?cs var:j.kind ?></code></td>
<td><code class="job-payload"><?cs var:j.payload ?></code></td>
<td><?cs var:j.attempts ?> / <?cs var:j.max_attempts ?></td>
<td><?cs var:j.last_error ?></td>
<td><time datetime="<?cs var:j.run_at_iso ?>"><?cs var:j.run_at ?></time></td>
<?cs if:Jobs.state == "running" ?><td><?cs var:j.locked_by ?></td>
<?cs /if ?><?cs if:Jobs.state == "dead" ?><td><form method="post" action="<?cs var:j.retry_url ?>">
<input type="hidden" name="csrf_token" value="<?cs var:CSRF.token ?>">
<button type="submit" class="button">Retry<span class="visually-hidden"> job <?cs var:j.id ?></span></button>
</form>
<form method="post" action="<?cs var:j.delete_url ?>">
<input type="hidden" name="csrf_token" value="<?cs var:CSRF.token ?>">
<button type="submit" class="button button--danger">Delete<span class="visually-hidden"> job <?cs var:j.id ?></span></button>
</form></td>
<?cs /if ?></tr>
<?cs /each ?></tbody>
</table>
<?cs else ?><p class="empty">No <?cs var:Jobs.state ?> jobs.</p>
<?cs /if ?></div>
<?cs /def ?><?cs include:"admin/base.cs" ?>
