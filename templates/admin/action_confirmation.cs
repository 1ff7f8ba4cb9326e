<?cs
# Confirm a bulk action. Reads: Confirm.action, .label, .verbose_plural,
# .back, .filters, .delete, .protected, Confirm.objects.N.id, .name, .url,
# .trash; Confirm.related.N.label, .count, .effect.
?><?cs def:admin_content() ?>
<?cs if:Confirm.delete && Confirm.protected ?><p>Deleting the selected <?cs var:Confirm.verbose_plural ?> would require deleting protected related objects:</p>
<?cs else ?><p>Are you sure? “<?cs var:Confirm.label ?>” applies to these <?cs var:Confirm.verbose_plural ?>:</p>
<?cs /if ?><ul>
<?cs each:o = Confirm.objects ?><li><a href="<?cs var:o.url ?>"><?cs var:o.name ?></a><?cs if:Confirm.delete ?><?cs if:o.trash ?> (moved to the trash)<?cs else ?> (deleted for good)<?cs /if ?><?cs /if ?></li>
<?cs /each ?></ul>
<?cs if:subcount(Confirm.related) ?><h2>Summary</h2>
<ul>
<?cs each:x = Confirm.related ?><li><?cs var:x.label ?>: <?cs var:x.count ?><?cs if:x.effect == "set_null" ?> (kept; the reference is cleared)<?cs elif:x.effect == "protect" ?> (protected)<?cs /if ?></li>
<?cs /each ?></ul>
<?cs /if ?><?cs if:!Confirm.protected ?><form method="post">
<input type="hidden" name="csrf_token" value="<?cs var:CSRF.token ?>">
<input type="hidden" name="action" value="<?cs var:Confirm.action ?>">
<input type="hidden" name="post" value="yes">
<input type="hidden" name="_changelist_filters" value="<?cs var:Confirm.filters ?>">
<?cs each:o = Confirm.objects ?><input type="hidden" name="_selected_action" value="<?cs var:o.id ?>">
<?cs /each ?><div class="submit-row">
<button class="button<?cs if:Confirm.delete ?> button--danger<?cs /if ?>" type="submit">Yes, I’m sure</button>
<a href="<?cs var:Confirm.back ?>">No, take me back</a>
</div>
</form>
<?cs else ?><p><a href="<?cs var:Confirm.back ?>">Back to the list</a></p>
<?cs /if ?><?cs /def ?><?cs include:"admin/base.cs" ?>
