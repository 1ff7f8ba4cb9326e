<?cs
# Bans on commenters (page_admin_bans, app/site/moderation.c): the form to
# add one, the active bans with a Lift button each, and the past ones
# (lifted or expired) as the history.
#
# Reads: BanForm.action, .kind (user, email, ip), .value, .reason, .days,
#        .hide (1: ticked), BanForm.errors.kind, .value, .days, .reason
#        (beside each field), BanForm.has_errors (absent BanForm: no
#        comment.change, no form);
#        Bans.active.N and Bans.past.N: .id, .kind, .kind_label, .value,
#          .reason, .by, .created, .created_iso, .expires, .expires_iso
#          (absent: never), .lifted, .lifted_iso, .lifted_by (past ones
#          that were lifted), .lift_url (active ones, with comment.change);
#        Bans.next_url, Bans.first_url (pages of the past ones),
#        Bans.queue_url; CSRF.token.
# Form field names are contracts: csrf_token, kind, value, reason, days,
# hide_comments.
?><?cs def:ban_error(id, error) ?><?cs if:string.length(error) ?><ul class="errorlist" id="<?cs var:id ?>-error"><li><span class="visually-hidden">Error: </span><?cs var:error ?></li></ul>
<?cs /if ?><?cs /def ?><?cs
def:ban_described(id, help, error) ?><?cs
if:help || string.length(error) ?> aria-describedby="<?cs
if:help ?><?cs var:id ?>-help<?cs /if ?><?cs
if:help && string.length(error) ?> <?cs /if ?><?cs
if:string.length(error) ?><?cs var:id ?>-error<?cs /if ?>"<?cs /if ?><?cs
if:string.length(error) ?> aria-invalid="true"<?cs /if ?><?cs /def ?><?cs
def:ban_what(b) ?><?cs var:b.kind_label ?> <strong><?cs var:b.value ?></strong><?cs /def ?><?cs
def:admin_content() ?>
<ul class="object-tools">
<li><a class="button" href="<?cs var:Bans.queue_url ?>">Moderation queue</a></li>
</ul>
<?cs if:string.length(BanForm.action) ?><form method="post" action="<?cs var:BanForm.action ?>" novalidate>
<input type="hidden" name="csrf_token" value="<?cs var:CSRF.token ?>">
<?cs if:BanForm.has_errors ?><p class="errornote" role="alert">Please correct the errors below.</p>
<?cs /if ?><fieldset class="module">
<legend>Ban a commenter</legend>
<div class="form-row required<?cs if:string.length(BanForm.errors.kind) ?> errors<?cs /if ?>">
<label for="ban-kind">Ban by</label>
<div class="field">
<?cs call:ban_error("ban-kind", BanForm.errors.kind) ?><select name="kind" id="ban-kind"<?cs call:ban_described("ban-kind", 0, BanForm.errors.kind) ?>>
<option value="email"<?cs if:BanForm.kind == "email" ?> selected<?cs /if ?>>Email address</option>
<option value="ip"<?cs if:BanForm.kind == "ip" ?> selected<?cs /if ?>>IP address</option>
<option value="user"<?cs if:BanForm.kind == "user" ?> selected<?cs /if ?>>Account (username)</option>
</select>
</div>
</div>
<div class="form-row required<?cs if:string.length(BanForm.errors.value) ?> errors<?cs /if ?>">
<label for="ban-value">Email, IP address or username</label>
<div class="field">
<?cs call:ban_error("ban-value", BanForm.errors.value) ?><input type="text" name="value" id="ban-value" value="<?cs var:BanForm.value ?>" maxlength="254" required<?cs call:ban_described("ban-value", 0, BanForm.errors.value) ?>>
</div>
</div>
<div class="form-row<?cs if:string.length(BanForm.errors.reason) ?> errors<?cs /if ?>">
<label for="ban-reason">Reason</label>
<div class="field">
<?cs call:ban_error("ban-reason", BanForm.errors.reason) ?><input type="text" name="reason" id="ban-reason" value="<?cs var:BanForm.reason ?>" maxlength="500"<?cs call:ban_described("ban-reason", 1, BanForm.errors.reason) ?>>
<p class="help" id="ban-reason-help">Only staff see it.</p>
</div>
</div>
<div class="form-row<?cs if:string.length(BanForm.errors.days) ?> errors<?cs /if ?>">
<label for="ban-days">Expires after (days)</label>
<div class="field">
<?cs call:ban_error("ban-days", BanForm.errors.days) ?><input type="number" name="days" id="ban-days" value="<?cs var:BanForm.days ?>" min="1" max="3650" step="1"<?cs call:ban_described("ban-days", 1, BanForm.errors.days) ?>>
<p class="help" id="ban-days-help">From 1 to 3650. Leave empty for a ban that never expires.</p>
</div>
</div>
<div class="form-row">
<span class="label">Previous comments</span>
<div class="field">
<input type="checkbox" name="hide_comments" id="ban-hide" value="1"<?cs if:BanForm.hide ?> checked<?cs /if ?> aria-describedby="ban-hide-help">
<label for="ban-hide">Also hide all their previous comments</label>
<p class="help" id="ban-hide-help">Moves every comment of theirs to the trash, where it can still be restored.</p>
</div>
</div>
</fieldset>
<div class="submit-row">
<button type="submit" class="button button--danger">Ban</button>
</div>
</form>
<?cs /if ?>
<div class="module">
<?cs if:subcount(Bans.active) ?><table class="results">
<caption>Active bans</caption>
<thead>
<tr>
<th scope="col">Banned</th>
<th scope="col">Reason</th>
<th scope="col">By</th>
<th scope="col">Since</th>
<th scope="col">Expires</th>
<?cs if:string.length(BanForm.action) ?><th scope="col"><span class="visually-hidden">Actions</span></th>
<?cs /if ?></tr>
</thead>
<tbody>
<?cs each:b = Bans.active ?><tr>
<td><?cs call:ban_what(b) ?></td>
<td><?cs var:b.reason ?></td>
<td><?cs var:b.by ?></td>
<td><time datetime="<?cs var:b.created_iso ?>"><?cs var:b.created ?></time></td>
<td><?cs if:string.length(b.expires) ?><time datetime="<?cs var:b.expires_iso ?>"><?cs var:b.expires ?></time><?cs else ?>Never<?cs /if ?></td>
<?cs if:string.length(BanForm.action) ?><td><?cs if:string.length(b.lift_url) ?><form method="post" action="<?cs var:b.lift_url ?>">
<input type="hidden" name="csrf_token" value="<?cs var:CSRF.token ?>">
<button type="submit" class="button">Lift<span class="visually-hidden"> the ban of <?cs var:b.value ?></span></button>
</form><?cs /if ?></td>
<?cs /if ?></tr>
<?cs /each ?></tbody>
</table>
<?cs else ?><h2>Active bans</h2>
<p class="empty">No one is banned.</p>
<?cs /if ?></div>
<div class="module">
<?cs if:subcount(Bans.past) ?><table class="results">
<caption>Past bans</caption>
<thead>
<tr>
<th scope="col">Banned</th>
<th scope="col">Reason</th>
<th scope="col">By</th>
<th scope="col">Since</th>
<th scope="col">Ended</th>
</tr>
</thead>
<tbody>
<?cs each:b = Bans.past ?><tr>
<td><?cs call:ban_what(b) ?></td>
<td><?cs var:b.reason ?></td>
<td><?cs var:b.by ?></td>
<td><time datetime="<?cs var:b.created_iso ?>"><?cs var:b.created ?></time></td>
<td><?cs if:string.length(b.lifted) ?>Lifted <time datetime="<?cs var:b.lifted_iso ?>"><?cs var:b.lifted ?></time><?cs if:string.length(b.lifted_by) ?> by <?cs var:b.lifted_by ?><?cs /if ?><?cs else ?>Expired <time datetime="<?cs var:b.expires_iso ?>"><?cs var:b.expires ?></time><?cs /if ?></td>
</tr>
<?cs /each ?></tbody>
</table>
<?cs else ?><h2>Past bans</h2>
<p class="empty">No past bans.</p>
<?cs /if ?></div>
<?cs if:string.length(Bans.next_url) || string.length(Bans.first_url) ?><nav class="paginator" aria-label="Pages of past bans">
<?cs if:string.length(Bans.first_url) ?><a href="<?cs var:Bans.first_url ?>">Newest</a>
<?cs /if ?><?cs if:string.length(Bans.next_url) ?><a href="<?cs var:Bans.next_url ?>" rel="next">Older bans</a>
<?cs /if ?></nav>
<?cs /if ?><?cs /def ?><?cs include:"admin/base.cs" ?>