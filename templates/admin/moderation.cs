<?cs
# The comment moderation queue (page_admin_moderation, app/site/
# moderation.c), and the page that asks before emptying the spam or the
# trash. Works without JavaScript: select-all is a link (?all=1) that
# ticks every box, and each row's buttons submit a one-comment form of
# their own (the form= attribute), outside the bulk form.
#
# Reads: Queue.url (the form's action), Queue.status, Queue.label (the
#        tab shown), Queue.count (its comments, "more than N" when
#        capped), Queue.tabs.N.status, .label, .url, .count, .current,
#        Queue.rows.N: .id, .author, .email, .website, .ip, .user_agent,
#          .held_by (why, in words), .rule, .date, .date_iso,
#          .body_html (trusted: markdown_comment()'s safe HTML, made by
#            Gazette; the only unescaped output here),
#          .article (its title), .article_url, .article_admin_url,
#          .username (a member's), .ban_user_url, .ban_email_url,
#          .ban_ip_url, .checked (1: ticked),
#        Queue.may_change (1: the actions), Queue.actions.N.name, .label,
#        Queue.all (1: every box ticked), Queue.select_all_url,
#        Queue.select_none_url, Queue.next_url, Queue.first_url,
#        Queue.empty_url (spam and trash, with comment.delete),
#        Queue.bans_url;
#        Confirm.status, .label, .count, .batched, .batch, .back_url
#        (the confirmation page instead of the queue); CSRF.token.
# Form field names are contracts: csrf_token, status, action, ids,
# confirm.
?><?cs def:admin_content() ?><?cs
if:string.length(Confirm.status) ?>
<div class="module">
<p>Are you sure you want to delete permanently <?cs
if:Confirm.total == 1 ?>the comment<?cs else ?>all <?cs var:Confirm.count ?> comments<?cs /if
?> in the <?cs var:Confirm.status ?>? This cannot be undone.</p>
<?cs if:Confirm.batched ?><p class="help">At most <?cs var:Confirm.batch ?> comments are deleted at a time, the oldest first; empty it again for the rest.</p>
<?cs /if ?></div>
<form method="post" action="<?cs var:Queue.url ?>">
<input type="hidden" name="csrf_token" value="<?cs var:CSRF.token ?>">
<input type="hidden" name="status" value="<?cs var:Confirm.status ?>">
<input type="hidden" name="action" value="empty">
<input type="hidden" name="confirm" value="yes">
<div class="submit-row">
<button type="submit" class="button button--danger">Yes, delete them permanently</button>
<a href="<?cs var:Confirm.back_url ?>">No, take me back</a>
</div>
</form>
<?cs else ?>
<div class="changelist">
<div class="changelist__main">
<ul class="object-tools">
<?cs if:string.length(Queue.empty_url) ?><li><a class="button button--danger" href="<?cs var:Queue.empty_url ?>">Empty <?cs var:Queue.status ?></a></li>
<?cs /if ?><li><a class="button" href="<?cs var:Queue.bans_url ?>">Bans</a></li>
</ul>
<form method="post" action="<?cs var:Queue.url ?>" id="queue-form">
<input type="hidden" name="csrf_token" value="<?cs var:CSRF.token ?>">
<input type="hidden" name="status" value="<?cs var:Queue.status ?>">
<?cs if:Queue.may_change && subcount(Queue.rows) ?><div class="actions">
<span>Selected comments:</span>
<?cs each:a = Queue.actions ?><button type="submit" class="button<?cs if:a.name == "spam" || a.name == "trash" ?> button--danger<?cs /if ?>" name="action" value="<?cs var:a.name ?>"><?cs var:a.label ?></button>
<?cs /each ?><?cs if:Queue.all ?><a href="<?cs var:Queue.select_none_url ?>">Clear selection</a><?cs else ?><a href="<?cs var:Queue.select_all_url ?>">Select all on this page</a><?cs /if ?>
</div>
<?cs /if ?><?cs if:subcount(Queue.rows) ?><div class="results-wrap">
<table class="results">
<caption><?cs var:Queue.label ?> comments (<?cs var:Queue.count ?>)</caption>
<thead>
<tr>
<?cs if:Queue.may_change ?><th scope="col"><span class="visually-hidden">Select</span></th>
<?cs /if ?><th scope="col">Author</th>
<th scope="col">Comment</th>
<th scope="col">In response to</th>
<th scope="col">Held by</th>
<th scope="col">Submitted</th>
<?cs if:Queue.may_change ?><th scope="col">Actions</th>
<?cs /if ?></tr>
</thead>
<tbody>
<?cs each:c = Queue.rows ?><tr id="comment-<?cs var:c.id ?>">
<?cs if:Queue.may_change ?><td><input type="checkbox" name="ids" value="<?cs var:c.id ?>" id="select-<?cs var:c.id ?>"<?cs if:c.checked ?> checked<?cs /if ?>><label class="visually-hidden" for="select-<?cs var:c.id ?>">Select the comment by <?cs var:c.author ?></label></td>
<?cs /if ?><td>
<strong><?cs var:c.author ?></strong><?cs if:string.length(c.username) ?> (account <?cs var:c.username ?>)<?cs /if ?><br>
<?cs if:string.length(c.email) ?><a href="mailto:<?cs var:c.email ?>"><?cs var:c.email ?></a><br>
<?cs /if ?><?cs if:string.length(c.website) ?><span class="help">Website: <?cs var:c.website ?></span><br>
<?cs /if ?><span class="help">IP address: <?cs var:c.ip ?></span><br>
<?cs if:string.length(c.user_agent) ?><span class="help">Browser: <?cs var:c.user_agent ?></span><br>
<?cs /if ?>
<span class="help">Ban:
<?cs if:string.length(c.ban_user_url) ?><a href="<?cs var:c.ban_user_url ?>">account<span class="visually-hidden"> <?cs var:c.username ?></span></a>
<?cs /if ?><?cs if:string.length(c.ban_email_url) ?><a href="<?cs var:c.ban_email_url ?>">email<span class="visually-hidden"> <?cs var:c.email ?></span></a>
<?cs /if ?><?cs if:string.length(c.ban_ip_url) ?><a href="<?cs var:c.ban_ip_url ?>">IP<span class="visually-hidden"> <?cs var:c.ip ?></span></a>
<?cs /if ?></span>
</td>
<td><div class="comment-body"><?cs escape: "none" ?><?cs var:c.body_html ?><?cs /escape ?></div></td>
<td><a href="<?cs var:c.article_url ?>"><?cs var:c.article ?></a><br>
<a class="help" href="<?cs var:c.article_admin_url ?>">Edit article<span class="visually-hidden"> <?cs var:c.article ?></span></a></td>
<td><?cs var:c.held_by ?></td>
<td><time datetime="<?cs var:c.date_iso ?>"><?cs var:c.date ?></time></td>
<?cs if:Queue.may_change ?><td>
<?cs each:a = Queue.actions ?><button type="submit" form="row-<?cs var:c.id ?>" class="button<?cs if:a.name == "spam" || a.name == "trash" ?> button--danger<?cs /if ?>" name="action" value="<?cs var:a.name ?>"><?cs var:a.label ?><span class="visually-hidden"> the comment by <?cs var:c.author ?></span></button>
<?cs /each ?></td>
<?cs /if ?></tr>
<?cs /each ?></tbody>
</table>
</div>
<?cs else ?><p class="empty">No <?cs var:Queue.status ?> comments.</p>
<?cs /if ?></form>
<?cs each:c = Queue.rows ?><?cs if:Queue.may_change ?><form method="post" action="<?cs var:Queue.url ?>" id="row-<?cs var:c.id ?>">
<input type="hidden" name="csrf_token" value="<?cs var:CSRF.token ?>">
<input type="hidden" name="status" value="<?cs var:Queue.status ?>">
<input type="hidden" name="ids" value="<?cs var:c.id ?>">
</form>
<?cs /if ?><?cs /each ?><?cs
if:string.length(Queue.next_url) || string.length(Queue.first_url) ?><nav class="paginator" aria-label="Pages">
<?cs if:string.length(Queue.first_url) ?><a href="<?cs var:Queue.first_url ?>">Newest</a>
<?cs /if ?><?cs if:string.length(Queue.next_url) ?><a href="<?cs var:Queue.next_url ?>" rel="next">Older comments</a>
<?cs /if ?></nav>
<?cs /if ?></div>
<nav class="filters" aria-label="Status">
<h2>By status</h2>
<ul>
<?cs each:t = Queue.tabs ?><li><a href="<?cs var:t.url ?>"<?cs if:t.current ?> aria-current="true"<?cs /if ?>><?cs var:t.label ?> <span class="count">(<?cs var:t.count ?>)</span></a></li>
<?cs /each ?></ul>
</nav>
</div>
<?cs /if ?><?cs /def ?><?cs include:"admin/base.cs" ?>