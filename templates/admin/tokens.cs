<?cs
# Every user's API tokens, for superusers (page_admin_tokens,
# app/site/admin_tokens.c), newest first, with a Revoke button on live ones.
#
# Reads: Tokens.N.id, .username, .name, .prefix, .scopes, .created,
#        .last_used, .expires (absent: never), .state (active, expired,
#        revoked), .revoke_url (active ones); CSRF.token.
?><?cs def:admin_content() ?>
<div class="module">
<?cs if:subcount(Tokens) ?><table class="results">
<caption>API tokens</caption>
<thead>
<tr>
<th scope="col">User</th>
<th scope="col">Name</th>
<th scope="col">Token</th>
<th scope="col">Scopes</th>
<th scope="col">Created</th>
<th scope="col">Last used</th>
<th scope="col">Expires</th>
<th scope="col">State</th>
<th scope="col"><span class="visually-hidden">Actions</span></th>
</tr>
</thead>
<tbody>
<?cs each:t = Tokens ?><tr>
<td><?cs var:t.username ?></td>
<td><?cs var:t.name ?></td>
<td><code><?cs var:t.prefix ?>…</code></td>
<td><?cs var:t.scopes ?></td>
<td><?cs var:t.created ?></td>
<td><?cs if:string.length(t.last_used) ?><?cs var:t.last_used ?><?cs else ?>Never<?cs /if ?></td>
<td><?cs if:string.length(t.expires) ?><?cs var:t.expires ?><?cs else ?>Never<?cs /if ?></td>
<td><?cs var:t.state ?></td>
<td><?cs if:string.length(t.revoke_url) ?><form method="post" action="<?cs var:t.revoke_url ?>">
<input type="hidden" name="csrf_token" value="<?cs var:CSRF.token ?>">
<button type="submit" class="button button--danger">Revoke<span class="visually-hidden"> the token <?cs var:t.name ?> of <?cs var:t.username ?></span></button>
</form><?cs /if ?></td>
</tr>
<?cs /each ?></tbody>
</table>
<?cs else ?><p class="empty">No one has an API token.</p>
<?cs /if ?></div>
<?cs /def ?><?cs include:"admin/base.cs" ?>
