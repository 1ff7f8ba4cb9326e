<?cs
# Shared pieces of the account forms; every template in accounts/ with a
# form includes this first. Not a page. This file must not end with a
# newline: it would be written out before the layout's <!DOCTYPE>.
#
# Reads: CSRF.token; Form.error (a message about the whole form),
#        Form.has_errors (1 when any Form.errors.<field> is set);
#        Password.help.N (the password rules, one sentence each).
#
# A field is written out in its template (the name= attributes are a
# contract) as:
#   <div class="field">
#   <label for="ID">...</label>
#   help (field_help or field_password_help), if any
#   field_error(ID, Form.errors.NAME)
#   <input ... name="NAME" + call:field_attrs(ID, HAS_HELP, Form.errors.NAME) + >
#   </div>
# so the input gets its id, aria-describedby naming the help and the
# error that are shown (ID-help, ID-error) and aria-invalid="true" when
# it has an error. HAS_HELP is 1 when a help element was written.
?><?cs def:form_csrf() ?><input type="hidden" name="csrf_token" value="<?cs var:CSRF.token ?>">
<?cs /def ?><?cs
def:form_summary() ?><?cs if:string.length(Form.error) || Form.has_errors ?><div class="form-summary" role="alert">
<?cs if:string.length(Form.error) ?><p><?cs var:Form.error ?></p>
<?cs /if ?><?cs if:Form.has_errors ?><p>Please correct the errors below.</p>
<?cs /if ?></div>
<?cs /if ?><?cs /def ?><?cs
def:field_help(id, text) ?><p class="field__help" id="<?cs var:id ?>-help"><?cs var:text ?></p>
<?cs /def ?><?cs
def:field_password_help(id) ?><?cs if:subcount(Password.help) ?><ul class="field__help" id="<?cs var:id ?>-help">
<?cs each:h = Password.help ?><li><?cs var:h ?></li>
<?cs /each ?></ul>
<?cs /if ?><?cs /def ?><?cs
def:field_error(id, error) ?><?cs if:string.length(error) ?><p class="field__error" id="<?cs var:id ?>-error"><span class="visually-hidden">Error: </span><?cs var:error ?></p>
<?cs /if ?><?cs /def ?><?cs
def:field_attrs(id, help, error) ?> id="<?cs var:id ?>"<?cs
if:help || string.length(error) ?> aria-describedby="<?cs
if:help ?><?cs var:id ?>-help<?cs /if ?><?cs
if:help && string.length(error) ?> <?cs /if ?><?cs
if:string.length(error) ?><?cs var:id ?>-error<?cs /if ?>"<?cs /if ?><?cs
if:string.length(error) ?> aria-invalid="true"<?cs /if ?><?cs /def ?>