<?cs
# The admin's home. Reads: Models.N.group, .name, .url, .add_url, .count
# (the models the user may view, with capped counts); Pages.N.group,
# .label, .url, .badge (site pages: moderation queue ...); Recent.N.repr,
# .action, .model, .time, .url (the user's own recent actions);
# Urls.admin_log (superusers); Dashboard.charts (dashboard.cs).
?><?cs include:"admin/_dashboard.cs" ?><?cs def:admin_content() ?>
<div class="dashboard">
<div>
<?cs set:last_group = "" ?><?cs each:m = Models ?><?cs if:m.group != last_group ?><?cs
if:last_group != "" ?></tbody></table></div>
<?cs /if ?><div class="module">
<table>
<caption><?cs var:m.group ?></caption>
<thead><tr><th scope="col">Model</th><th scope="col" class="num">Count</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>
<?cs set:last_group = m.group ?><?cs /if ?><tr>
<th scope="row"><a href="<?cs var:m.url ?>"><?cs var:m.name ?></a></th>
<td class="num"><?cs var:m.count ?></td>
<td><?cs if:string.length(m.add_url) ?><a href="<?cs var:m.add_url ?>">Add<span class="visually-hidden"> <?cs var:m.name ?></span></a><?cs /if ?></td>
</tr>
<?cs /each ?><?cs if:last_group != "" ?></tbody></table></div>
<?cs /if ?><?cs if:subcount(Pages) ?><div class="module">
<h2>Site</h2>
<ul class="recent-actions">
<?cs each:p = Pages ?><li><a href="<?cs var:p.url ?>"><?cs var:p.label ?></a><?cs if:string.length(p.badge) ?> <span class="count">(<?cs var:p.badge ?>)</span><?cs /if ?></li>
<?cs /each ?><?cs if:string.length(Urls.admin_log) ?><li><a href="<?cs var:Urls.admin_log ?>">Log of all changes</a></li>
<?cs /if ?></ul>
</div>
<?cs /if ?></div>
<div>
<div class="module">
<h2>Recent actions</h2>
<?cs if:subcount(Recent) ?><ul class="recent-actions">
<?cs each:a = Recent ?><li><?cs if:string.length(a.url) ?><a href="<?cs var:a.url ?>"><?cs var:a.repr ?></a><?cs else ?><?cs var:a.repr ?><?cs /if ?> <span class="help"><?cs var:a.model ?> · <?cs var:a.action ?> · <time datetime="<?cs var:a.time_iso ?>"><?cs var:a.time ?></time></span></li>
<?cs /each ?></ul>
<?cs else ?><p class="empty recent-actions">None yet.</p>
<?cs /if ?></div>
</div>
</div>
<?cs call:dashboard() ?>
<?cs /def ?><?cs include:"admin/base.cs" ?>
