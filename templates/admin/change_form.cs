<?cs
# The add/change form. Reads: Form.error, Form.has_errors (the summary),
# Form.fieldsets.S.title, .description, .fields.N.* (name, id, label,
# widget: text textarea markdown number checkbox select datetime email
# url autocomplete checkboxes password readonly; value, display, error,
# help, required, max, min, options.K.value/.label/.selected,
# autocomplete_url, current, preview (HTML Gazette rendered),
# prepopulate_from); Change.* (model, verbose, id, version, view_only,
# history_url, delete_url, in_trash, can_add, filters, preview_url,
# extra.password_url, extra.twofactor_reset_url,
# extra.twofactor_enabled, extra.media_url, extra.media.N.url, .alt,
# .markdown (the image picker beside a Markdown field)); CSRF.token.
?><?cs def:described(f) ?><?cs if:string.length(f.help) || string.length(f.error) ?> aria-describedby="<?cs if:string.length(f.error) ?><?cs var:f.id ?>_error <?cs /if ?><?cs if:string.length(f.help) ?><?cs var:f.id ?>_help<?cs /if ?>"<?cs /if ?><?cs if:string.length(f.error) ?> aria-invalid="true"<?cs /if ?><?cs /def ?><?cs
def:field_row(f) ?><div class="form-row<?cs if:f.required ?> required<?cs /if ?><?cs if:string.length(f.error) ?> errors<?cs /if ?>">
<?cs if:f.widget == "checkboxes" || f.widget == "readonly" || f.widget == "checkbox" ?><span class="label" id="<?cs var:f.id ?>_label"><?cs var:f.label ?></span><?cs else ?><label for="<?cs var:f.id ?>"><?cs var:f.label ?></label><?cs /if ?>
<div class="field">
<?cs if:string.length(f.error) ?><ul class="errorlist" id="<?cs var:f.id ?>_error"><li><?cs var:f.error ?></li></ul>
<?cs /if ?><?cs if:f.widget == "readonly" ?><div class="readonly" aria-labelledby="<?cs var:f.id ?>_label"><?cs if:string.length(f.display) ?><?cs var:f.display ?><?cs else ?>—<?cs /if ?></div><?cs
elif:f.widget == "textarea" ?><textarea name="<?cs var:f.name ?>" id="<?cs var:f.id ?>" rows="6"<?cs if:string.length(f.max) ?> maxlength="<?cs var:f.max ?>"<?cs /if ?><?cs if:f.required ?> required<?cs /if ?><?cs call:described(f) ?>>
<?cs var:f.value ?></textarea><?cs
elif:f.widget == "markdown" ?><textarea class="markdown" name="<?cs var:f.name ?>" id="<?cs var:f.id ?>" rows="20" data-preview-url="<?cs var:Change.preview_url ?>"<?cs if:f.required ?> required<?cs /if ?><?cs call:described(f) ?>>
<?cs var:f.value ?></textarea>
<p><button type="submit" class="button button--secondary" name="_preview" value="1" formnovalidate>Preview</button> <span class="help">Markdown. The preview shows the text as readers will see it; nothing is saved.</span></p>
<?cs if:string.length(Change.extra.media_url) ?><details class="media-picker">
<summary>Insert an image</summary>
<?cs if:subcount(Change.extra.media) ?><p class="help">Copy an image's Markdown into the text, or choose Insert to put it at the cursor. Upload more in the <a href="<?cs var:Change.extra.media_url ?>">media library</a>.</p>
<ul class="media-picker__list">
<?cs each:i = Change.extra.media ?><li><img src="<?cs var:i.url ?>" alt="<?cs var:i.alt ?>" width="96" height="72" loading="lazy">
<label class="visually-hidden" for="<?cs var:f.id ?>_media_<?cs name:i ?>">Markdown of image <?cs name:i ?></label>
<input type="text" readonly id="<?cs var:f.id ?>_media_<?cs name:i ?>" value="<?cs var:i.markdown ?>">
<button type="button" class="button button--secondary" data-insert-into="<?cs var:f.id ?>" data-insert="<?cs var:i.markdown ?>" hidden>Insert</button></li>
<?cs /each ?></ul>
<?cs else ?><p class="help">No images yet: upload them in the <a href="<?cs var:Change.extra.media_url ?>">media library</a>.</p>
<?cs /if ?></details>
<?cs /if ?>
<?cs if:string.length(f.preview) ?><section class="preview" aria-label="Preview of <?cs var:f.label ?>"><?cs escape:"none" ?><?cs var:f.preview ?><?cs /escape ?></section>
<?cs else ?><section class="preview" aria-label="Preview of <?cs var:f.label ?>" hidden></section>
<?cs /if ?><?cs
elif:f.widget == "checkbox" ?><input type="checkbox" name="<?cs var:f.name ?>" id="<?cs var:f.id ?>" value="1"<?cs if:f.value == "1" ?> checked<?cs /if ?> aria-labelledby="<?cs var:f.id ?>_label"<?cs call:described(f) ?>><?cs
elif:f.widget == "select" ?><select name="<?cs var:f.name ?>" id="<?cs var:f.id ?>"<?cs if:f.required ?> required<?cs /if ?><?cs call:described(f) ?>>
<?cs if:!f.required || !subcount(f.options) ?><option value="">---------</option>
<?cs /if ?><?cs each:o = f.options ?><option value="<?cs var:o.value ?>"<?cs if:o.selected ?> selected<?cs /if ?>><?cs var:o.label ?></option>
<?cs /each ?></select><?cs
elif:f.widget == "checkboxes" ?><ul class="checkbox-list" aria-labelledby="<?cs var:f.id ?>_label"<?cs call:described(f) ?>>
<?cs each:o = f.options ?><li><label><input type="checkbox" name="<?cs var:f.name ?>" value="<?cs var:o.value ?>"<?cs if:o.selected ?> checked<?cs /if ?>> <?cs var:o.label ?></label></li>
<?cs /each ?></ul><?cs
elif:f.widget == "autocomplete" ?><input type="text" inputmode="numeric" name="<?cs var:f.name ?>" id="<?cs var:f.id ?>" value="<?cs var:f.value ?>" data-autocomplete-url="<?cs var:f.autocomplete_url ?>" autocomplete="off"<?cs if:f.required ?> required<?cs /if ?><?cs call:described(f) ?>>
<p class="help" id="<?cs var:f.id ?>_help">The id number<?cs if:string.length(f.current) ?>; now: <?cs var:f.current ?><?cs /if ?>. <?cs var:f.help ?></p><?cs
elif:f.widget == "datetime" ?><input type="datetime-local" name="<?cs var:f.name ?>" id="<?cs var:f.id ?>" value="<?cs var:f.value ?>" step="1"<?cs if:f.required ?> required<?cs /if ?><?cs call:described(f) ?>><?cs
elif:f.widget == "number" ?><input type="number" name="<?cs var:f.name ?>" id="<?cs var:f.id ?>" value="<?cs var:f.value ?>"<?cs if:string.length(f.min) ?> min="<?cs var:f.min ?>"<?cs /if ?><?cs if:string.length(f.max) ?> max="<?cs var:f.max ?>"<?cs /if ?><?cs if:f.required ?> required<?cs /if ?><?cs call:described(f) ?>><?cs
elif:f.widget == "password" ?><input type="password" name="<?cs var:f.name ?>" id="<?cs var:f.id ?>" autocomplete="new-password"<?cs call:described(f) ?>><?cs
else ?><input type="<?cs if:f.widget == "email" ?>email<?cs elif:f.widget == "url" ?>url<?cs else ?>text<?cs /if ?>" name="<?cs var:f.name ?>" id="<?cs var:f.id ?>" value="<?cs var:f.value ?>"<?cs if:string.length(f.max) ?> maxlength="<?cs var:f.max ?>"<?cs /if ?><?cs if:f.required ?> required<?cs /if ?><?cs if:string.length(f.prepopulate_from) ?> data-prepopulate-from="<?cs var:f.prepopulate_from ?>"<?cs /if ?><?cs call:described(f) ?>><?cs /if ?>
<?cs if:string.length(f.help) && f.widget != "autocomplete" ?><p class="help" id="<?cs var:f.id ?>_help"><?cs var:f.help ?></p>
<?cs /if ?></div>
</div>
<?cs /def ?><?cs def:admin_content() ?>
<?cs if:string.length(Change.id) ?><ul class="object-tools">
<li><a class="button button--secondary" href="<?cs var:Change.history_url ?>">History</a></li>
<?cs if:string.length(Change.extra.password_url) && !Change.view_only ?><li><a class="button button--secondary" href="<?cs var:Change.extra.password_url ?>">Set password</a></li>
<?cs /if ?></ul>
<?cs /if ?><?cs if:Change.in_trash ?><div class="message message--warning">
<p>This <?cs var:Change.verbose ?> is in the trash. Restore it to make it usable again, or delete it for good.</p>
<?cs if:string.length(Change.delete_url) ?><form method="post" action="<?cs var:Change.delete_url ?>">
<input type="hidden" name="csrf_token" value="<?cs var:CSRF.token ?>">
<input type="hidden" name="_restore" value="1">
<button class="button" type="submit">Restore</button>
</form>
<?cs /if ?></div>
<?cs /if ?><?cs if:string.length(Form.has_errors) ?><div class="errornote" role="alert">
<p><?cs var:Form.has_errors ?></p>
<?cs if:string.length(Form.error) ?><p><?cs var:Form.error ?></p>
<?cs /if ?><ul>
<?cs each:s = Form.fieldsets ?><?cs each:f = s.fields ?><?cs if:string.length(f.error) ?><li><a href="#<?cs var:f.id ?>"><?cs var:f.label ?></a>: <?cs var:f.error ?></li>
<?cs /if ?><?cs /each ?><?cs /each ?></ul>
</div>
<?cs /if ?><form method="post" id="<?cs var:Change.model ?>_form" novalidate>
<input type="hidden" name="csrf_token" value="<?cs var:CSRF.token ?>">
<?cs if:string.length(Change.version) ?><input type="hidden" name="_version" value="<?cs var:Change.version ?>">
<?cs /if ?><?cs if:string.length(Change.filters) ?><input type="hidden" name="_changelist_filters" value="<?cs var:Change.filters ?>">
<?cs /if ?><?cs each:s = Form.fieldsets ?><fieldset class="module">
<?cs if:string.length(s.title) ?><legend><?cs var:s.title ?></legend>
<?cs /if ?><?cs if:string.length(s.description) ?><p class="help form-row"><?cs var:s.description ?></p>
<?cs /if ?><?cs each:f = s.fields ?><?cs call:field_row(f) ?><?cs /each ?></fieldset>
<?cs /each ?><?cs if:string.length(Change.extra.twofactor_reset_url) && Change.extra.twofactor_enabled ?><p class="help">Two-factor authentication is on for this user.</p>
<?cs /if ?><?cs if:!Change.view_only ?><div class="submit-row">
<button class="button" type="submit" name="_save" value="1">Save</button>
<?cs if:Change.can_add ?><button class="button button--secondary" type="submit" name="_addanother" value="1">Save and add another</button>
<?cs /if ?><button class="button button--secondary" type="submit" name="_continue" value="1">Save and continue editing</button>
<?cs if:string.length(Change.delete_url) ?><a class="deletelink" href="<?cs var:Change.delete_url ?>">Delete</a>
<?cs /if ?></div>
<?cs else ?><p class="help">You have permission to view this <?cs var:Change.verbose ?> but not to change it.</p>
<?cs /if ?></form>
<?cs if:string.length(Change.extra.twofactor_reset_url) && Change.extra.twofactor_enabled && !Change.view_only ?><form method="post" action="<?cs var:Change.extra.twofactor_reset_url ?>">
<input type="hidden" name="csrf_token" value="<?cs var:CSRF.token ?>">
<button class="button button--danger" type="submit">Reset two-factor authentication</button>
</form>
<?cs /if ?><?cs /def ?><?cs include:"admin/base.cs" ?>
