<?cs
# The banner above a preview (article_show.cs and page_show.cs include
# it when Preview.state is set).
#
# Reads: Preview.state (draft, scheduled, published, trash),
#        Preview.when, Preview.when_iso (the publish time, absent if none),
#        Preview.public_url (set once readers can see it).
?><div class="preview-banner" role="status">
<?cs if:Preview.state == "published" ?><p><strong>Preview.</strong> This is published: <a href="<?cs var:Preview.public_url ?>">see it as readers do</a>.</p>
<?cs else ?><p><strong>Preview — not published.</strong> Readers cannot see this yet.</p>
<p class="preview-banner__status">Status: <?cs
if:Preview.state == "scheduled" ?>scheduled for <time datetime="<?cs var:Preview.when_iso ?>"><?cs var:Preview.when ?></time><?cs
elif:Preview.state == "trash" ?>in the trash<?cs
else ?>draft<?cs if:string.length(Preview.when) ?> (publish date <time datetime="<?cs var:Preview.when_iso ?>"><?cs var:Preview.when ?></time>)<?cs /if ?><?cs
/if ?>.</p>
<?cs /if ?></div>
