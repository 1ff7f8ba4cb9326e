<?cs
# The media library (app/site/media.c): the upload form, then the files,
# newest first, each with the Markdown that shows it in an article.
#
# Reads: Media.items.N.id, .url, .file, .original_name, .mime, .size,
#        .dimensions ("" if unknown), .alt, .who ("" once the uploader is
#        deleted), .created, .created_iso, .markdown, .delete_url ("" if
#        this user may not delete it); Media.older, Media.newest (keyset
#        pagination links, "" when none); Media.max (the size limit);
#        Form.alt, Form.has_errors, Form.errors.file, Form.errors.alt;
#        Urls.media_upload; CSRF.token.
?><?cs def:admin_content() ?>
<form method="post" action="<?cs var:Urls.media_upload ?>" enctype="multipart/form-data" class="module">
<input type="hidden" name="csrf_token" value="<?cs var:CSRF.token ?>">
<?cs if:Form.has_errors ?><p class="errornote" role="alert">Please correct the error below.</p>
<?cs /if ?><div class="form-row<?cs if:string.length(Form.errors.file) ?> errors<?cs /if ?>">
<label for="id_file" class="required">Image</label>
<div class="field">
<?cs if:string.length(Form.errors.file) ?><ul class="errorlist" id="id_file_error"><li><?cs var:Form.errors.file ?></li></ul>
<?cs /if ?><input type="file" name="file" id="id_file" required accept="image/png,image/jpeg,image/gif,image/webp" aria-describedby="id_file_help<?cs if:string.length(Form.errors.file) ?> id_file_error<?cs /if ?>">
<p class="help" id="id_file_help">PNG, JPEG, GIF or WebP, at most <?cs var:Media.max ?>. The type is read from the file itself.</p>
</div>
</div>
<div class="form-row<?cs if:string.length(Form.errors.alt) ?> errors<?cs /if ?>">
<label for="id_alt">Alternative text</label>
<div class="field">
<?cs if:string.length(Form.errors.alt) ?><ul class="errorlist" id="id_alt_error"><li><?cs var:Form.errors.alt ?></li></ul>
<?cs /if ?><input type="text" name="alt" id="id_alt" maxlength="300" value="<?cs var:Form.alt ?>" aria-describedby="id_alt_help">
<p class="help" id="id_alt_help">What the image shows, for readers who cannot see it.</p>
</div>
</div>
<div class="submit-row"><button type="submit" class="button">Upload</button></div>
</form>

<?cs if:subcount(Media.items) ?><div class="results-wrap">
<table class="results">
<caption class="visually-hidden">Uploaded files, newest first</caption>
<thead><tr><th scope="col">Image</th><th scope="col">Name</th><th scope="col">Size</th><th scope="col">Type</th><th scope="col">Dimensions</th><th scope="col">Uploaded</th><th scope="col">Markdown</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>
<?cs each:m = Media.items ?><tr>
<td><a href="<?cs var:m.url ?>"><img src="<?cs var:m.url ?>" alt="<?cs var:m.alt ?>" width="80" loading="lazy"></a></td>
<td><?cs var:m.original_name ?></td>
<td class="num"><?cs var:m.size ?></td>
<td><?cs var:m.mime ?></td>
<td><?cs if:string.length(m.dimensions) ?><?cs var:m.dimensions ?><?cs else ?>—<?cs /if ?></td>
<td><?cs if:string.length(m.who) ?><?cs var:m.who ?><?cs else ?>—<?cs /if ?>, <time datetime="<?cs var:m.created_iso ?>"><?cs var:m.created ?></time></td>
<td><label class="visually-hidden" for="md-<?cs var:m.id ?>">Markdown for <?cs var:m.original_name ?></label><input type="text" id="md-<?cs var:m.id ?>" class="readonly" readonly value="<?cs var:m.markdown ?>" size="40"></td>
<td><?cs if:string.length(m.delete_url) ?><form method="post" action="<?cs var:m.delete_url ?>" data-confirm="Delete “<?cs var:m.original_name ?>”? Articles that show it will show a broken image.">
<input type="hidden" name="csrf_token" value="<?cs var:CSRF.token ?>">
<button type="submit" class="button button--danger">Delete</button>
</form><?cs /if ?></td>
</tr>
<?cs /each ?></tbody>
</table>
</div>
<?cs else ?><p class="empty"><?cs if:string.length(Media.newest) ?>No older files.<?cs else ?>No files yet.<?cs /if ?></p>
<?cs /if ?><?cs if:string.length(Media.older) || string.length(Media.newest) ?><nav class="paginator" aria-label="Pages">
<?cs if:string.length(Media.newest) ?><a href="<?cs var:Media.newest ?>">Newest files</a><?cs /if ?>
<?cs if:string.length(Media.older) ?><a href="<?cs var:Media.older ?>" rel="next">Older files</a><?cs /if ?>
</nav>
<?cs /if ?><?cs /def ?><?cs include:"admin/base.cs" ?>
