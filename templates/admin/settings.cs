<?cs
# Site settings (admin_accounts.c).
#
# Reads: Settings.action; Settings.error (the summary when any field is
#        wrong); Settings.sets.K.legend and Settings.sets.K.fields.N.name,
#        .label, .type (text, longtext, integer, boolean, choice), .value,
#        .error, .help, .required "1", .min, .max (integers), .maxlength
#        (text), .checked "1" (booleans), .choices.J.value, .label,
#        .selected "1"; CSRF.token; what admin/base.cs reads.
?><?cs def:settings_describedby(f) ?><?cs
if:string.length(f.error) || string.length(f.help) ?> aria-describedby="<?cs
if:string.length(f.error) ?>id_<?cs var:f.name ?>_error<?cs /if ?><?cs
if:string.length(f.error) && string.length(f.help) ?> <?cs /if ?><?cs
if:string.length(f.help) ?>id_<?cs var:f.name ?>_help<?cs /if ?>"<?cs
/if ?><?cs if:string.length(f.error) ?> aria-invalid="true"<?cs /if ?><?cs
/def ?><?cs def:settings_field(f) ?><div class="form-row<?cs
if:f.required && f.type != "boolean" ?> required<?cs /if ?><?cs
if:string.length(f.error) ?> errors<?cs /if ?>">
<label for="id_<?cs var:f.name ?>"><?cs var:f.label ?></label>
<div class="field">
<?cs if:string.length(f.error) ?><ul class="errorlist" id="id_<?cs var:f.name ?>_error"><li><?cs var:f.error ?></li></ul>
<?cs /if ?><?cs if:f.type == "boolean" ?><input type="checkbox" name="<?cs var:f.name ?>" id="id_<?cs var:f.name ?>" value="1"<?cs
if:f.checked ?> checked<?cs /if ?><?cs call:settings_describedby(f) ?>>
<?cs elif:f.type == "choice" ?><select name="<?cs var:f.name ?>" id="id_<?cs var:f.name ?>"<?cs
if:f.required ?> required<?cs /if ?><?cs call:settings_describedby(f) ?>>
<?cs each:c = f.choices ?><option value="<?cs var:c.value ?>"<?cs if:c.selected ?> selected<?cs /if ?>><?cs var:c.label ?></option>
<?cs /each ?></select>
<?cs elif:f.type == "longtext" ?><textarea name="<?cs var:f.name ?>" id="id_<?cs var:f.name ?>" rows="5" cols="40"<?cs
if:string.length(f.maxlength) ?> maxlength="<?cs var:f.maxlength ?>"<?cs /if ?><?cs
call:settings_describedby(f) ?>><?cs var:f.value ?></textarea>
<?cs elif:f.type == "integer" ?><input type="number" name="<?cs var:f.name ?>" id="id_<?cs var:f.name ?>" value="<?cs var:f.value ?>" min="<?cs var:f.min ?>" max="<?cs var:f.max ?>" step="1"<?cs
if:f.required ?> required<?cs /if ?><?cs call:settings_describedby(f) ?>>
<?cs else ?><input type="text" name="<?cs var:f.name ?>" id="id_<?cs var:f.name ?>" value="<?cs var:f.value ?>"<?cs
if:string.length(f.maxlength) ?> maxlength="<?cs var:f.maxlength ?>"<?cs /if ?><?cs
if:f.required ?> required<?cs /if ?><?cs call:settings_describedby(f) ?>>
<?cs /if ?><?cs if:string.length(f.help) ?><p class="help" id="id_<?cs var:f.name ?>_help"><?cs var:f.help ?></p>
<?cs /if ?></div>
</div>
<?cs /def ?><?cs def:admin_content() ?>
<form method="post" action="<?cs var:Settings.action ?>" novalidate>
<input type="hidden" name="csrf_token" value="<?cs var:CSRF.token ?>">
<?cs if:string.length(Settings.error) ?><p class="errornote" role="alert"><?cs var:Settings.error ?></p>
<?cs /if ?><?cs each:set = Settings.sets ?><fieldset class="module">
<legend><?cs var:set.legend ?></legend>
<?cs each:f = set.fields ?><?cs call:settings_field(f) ?><?cs /each ?></fieldset>
<?cs /each ?><div class="submit-row">
<button type="submit" class="button">Save</button>
</div>
</form>
<?cs /def ?><?cs include:"admin/base.cs" ?>
