<?cs
# The global log (superusers). Reads: Log.user, Log.model,
# Log.models.N.name, .label; Log.entries.N.time, .user, .model, .object,
# .action_label, .history_url, .changes.K.label, .old, .new; Log.next_url,
# Log.first_url.
?><?cs def:admin_content() ?>
<form class="search-form" method="get">
<label for="log-user">User</label>
<input type="text" id="log-user" name="user" value="<?cs var:Log.user ?>">
<label for="log-model">Model</label>
<select id="log-model" name="model">
<option value="">All</option>
<?cs each:m = Log.models ?><option value="<?cs var:m.name ?>"<?cs if:Log.model == m.name ?> selected<?cs /if ?>><?cs var:m.label ?></option>
<?cs /each ?></select>
<button class="button" type="submit">Filter</button>
</form>
<?cs if:subcount(Log.entries) ?><table class="results">
<caption class="visually-hidden">Changes, newest first</caption>
<thead><tr><th scope="col">Date/time</th><th scope="col">User</th><th scope="col">Object</th><th scope="col">Action</th><th scope="col">Changes</th></tr></thead>
<tbody>
<?cs each:e = Log.entries ?><tr>
<th scope="row"><?cs var:e.time ?></th>
<td><?cs var:e.user ?></td>
<td><?cs var:e.model ?>: <?cs if:string.length(e.history_url) ?><a href="<?cs var:e.history_url ?>"><?cs var:e.object ?></a><?cs else ?><?cs var:e.object ?><?cs /if ?></td>
<td><?cs var:e.action_label ?></td>
<td><?cs if:subcount(e.changes) ?><ul class="diff">
<?cs each:c = e.changes ?><li><strong><?cs var:c.label ?></strong>: <del><?cs var:c.old ?></del> → <ins><?cs var:c.new ?></ins></li>
<?cs /each ?></ul><?cs /if ?></td>
</tr>
<?cs /each ?></tbody>
</table>
<?cs else ?><p class="empty">No changes match.</p>
<?cs /if ?><nav class="paginator" aria-label="Pages">
<?cs if:string.length(Log.first_url) ?><a href="<?cs var:Log.first_url ?>">« Newest</a>
<?cs /if ?><?cs if:string.length(Log.next_url) ?><a href="<?cs var:Log.next_url ?>">Older »</a>
<?cs /if ?></nav>
<?cs /def ?><?cs include:"admin/base.cs" ?>
