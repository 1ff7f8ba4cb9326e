<?cs
# An object's history. Reads: History.object, .change_url, .next_url,
# History.entries.N.time, .user, .action, .action_label, .revert_url,
# .can_revert, .can_undo, .changes.K.label, .old, .new.
?><?cs def:admin_content() ?>
<?cs if:subcount(History.entries) ?><table class="results">
<caption class="visually-hidden">Changes, newest first</caption>
<thead><tr><th scope="col">Date/time</th><th scope="col">User</th><th scope="col">Action</th><th scope="col">Changes</th><th scope="col"><span class="visually-hidden">Revert</span></th></tr></thead>
<tbody>
<?cs each:e = History.entries ?><tr>
<th scope="row"><?cs var:e.time ?></th>
<td><?cs if:string.length(e.user) ?><?cs var:e.user ?><?cs else ?>—<?cs /if ?></td>
<td><?cs var:e.action_label ?></td>
<td><?cs if:subcount(e.changes) ?><ul class="diff">
<?cs each:c = e.changes ?><li><strong><?cs var:c.label ?></strong>: <del><?cs if:string.length(c.old) ?><?cs var:c.old ?><?cs else ?>(empty)<?cs /if ?></del> → <ins><?cs if:string.length(c.new) ?><?cs var:c.new ?><?cs else ?>(empty)<?cs /if ?></ins></li>
<?cs /each ?></ul><?cs else ?><span class="empty">No fields changed.</span><?cs /if ?></td>
<td><?cs if:e.can_revert ?><form method="post" action="<?cs var:e.revert_url ?>">
<input type="hidden" name="csrf_token" value="<?cs var:CSRF.token ?>">
<button class="button button--secondary" type="submit">Revert to this version</button>
</form><?cs /if ?><?cs if:e.can_undo ?><form method="post" action="<?cs var:e.revert_url ?>">
<input type="hidden" name="csrf_token" value="<?cs var:CSRF.token ?>">
<input type="hidden" name="_undo" value="1">
<button class="button button--secondary" type="submit">Undo this change</button>
</form><?cs /if ?></td>
</tr>
<?cs /each ?></tbody>
</table>
<?cs if:string.length(History.next_url) ?><p class="paginator"><a href="<?cs var:History.next_url ?>">Older changes »</a></p>
<?cs /if ?><?cs else ?><p class="empty">This object has no history recorded in the admin.</p>
<?cs /if ?><?cs if:string.length(History.change_url) ?><p><a href="<?cs var:History.change_url ?>">Back to <?cs var:History.object ?></a></p>
<?cs /if ?><?cs /def ?><?cs include:"admin/base.cs" ?>
