<?cs
# Delete one object. Reads: Delete.object, .verbose, .url (its change
# page), .trash (delete moves it to the trash), .protected (refused),
# Delete.related.N.label, .count, .effect (cascade, set_null, protect).
?><?cs def:related_list(d) ?><?cs if:subcount(d.related) ?><h2>Summary</h2>
<ul>
<?cs each:x = d.related ?><li><?cs if:x.effect == "protect" ?>Protected: <?cs /if ?><?cs var:x.label ?>: <?cs var:x.count ?><?cs if:x.effect == "set_null" ?> (kept; the reference is cleared)<?cs /if ?></li>
<?cs /each ?></ul>
<?cs /if ?><?cs /def ?><?cs def:admin_content() ?>
<?cs if:Delete.trash ?><p>The <?cs var:Delete.verbose ?> “<a href="<?cs var:Delete.url ?>"><?cs var:Delete.object ?></a>” will be moved to the trash. It can be restored from its page; deleting it from the trash removes it for good.</p>
<?cs elif:Delete.protected ?><p>Deleting the <?cs var:Delete.verbose ?> “<a href="<?cs var:Delete.url ?>"><?cs var:Delete.object ?></a>” would require deleting the following protected related objects:</p>
<?cs call:related_list(Delete) ?>
<?cs else ?><p>Are you sure you want to delete the <?cs var:Delete.verbose ?> “<a href="<?cs var:Delete.url ?>"><?cs var:Delete.object ?></a>”? All of the following related items will be deleted with it:</p>
<?cs if:subcount(Delete.related) ?><?cs call:related_list(Delete) ?><?cs else ?><p class="empty">Nothing else.</p><?cs /if ?>
<?cs /if ?><?cs if:!Delete.protected ?><form method="post">
<input type="hidden" name="csrf_token" value="<?cs var:CSRF.token ?>">
<input type="hidden" name="post" value="yes">
<div class="submit-row">
<button class="button button--danger" type="submit"><?cs if:Delete.trash ?>Yes, move it to the trash<?cs else ?>Yes, I’m sure<?cs /if ?></button>
<a href="<?cs var:Delete.url ?>">No, take me back</a>
</div>
</form>
<?cs /if ?><?cs /def ?><?cs include:"admin/base.cs" ?>
