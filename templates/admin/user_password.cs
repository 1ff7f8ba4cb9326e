<?cs
# Change a user's password, from the admin (admin_accounts.c):
# Django's "Change password: NAME" with password1 and password2.
#
# Reads: Target.username, Target.action (this form), Target.url (the
#        user's change page); Password.help.N (the policy's rules);
#        Form.error (the summary), Form.errors.password1, .password2;
#        CSRF.token; what admin/base.cs reads.
# Passwords are never sent back.
?><?cs def:pw_describedby(name, err, help) ?><?cs
if:string.length(err) || help ?> aria-describedby="<?cs
if:string.length(err) ?>id_<?cs var:name ?>_error<?cs /if ?><?cs
if:string.length(err) && help ?> <?cs /if ?><?cs
if:help ?>id_<?cs var:name ?>_help<?cs /if ?>"<?cs /if ?><?cs
if:string.length(err) ?> aria-invalid="true"<?cs /if ?><?cs
/def ?><?cs def:admin_content() ?>
<form method="post" action="<?cs var:Target.action ?>" novalidate>
<input type="hidden" name="csrf_token" value="<?cs var:CSRF.token ?>">
<?cs if:string.length(Form.error) ?><p class="errornote" role="alert"><?cs var:Form.error ?></p>
<?cs /if ?><p>Enter a new password for the user <strong><?cs var:Target.username ?></strong>.</p>
<fieldset class="module">
<legend>Password</legend>
<div class="form-row required<?cs if:string.length(Form.errors.password1) ?> errors<?cs /if ?>">
<label for="id_password1">Password</label>
<div class="field">
<?cs if:string.length(Form.errors.password1) ?><ul class="errorlist" id="id_password1_error"><li><?cs var:Form.errors.password1 ?></li></ul>
<?cs /if ?><input type="password" name="password1" id="id_password1" autocomplete="new-password" required<?cs
call:pw_describedby("password1", Form.errors.password1, subcount(Password.help)) ?>>
<?cs if:subcount(Password.help) ?><ul class="help" id="id_password1_help">
<?cs each:h = Password.help ?><li><?cs var:h ?></li>
<?cs /each ?></ul>
<?cs /if ?></div>
</div>
<div class="form-row required<?cs if:string.length(Form.errors.password2) ?> errors<?cs /if ?>">
<label for="id_password2">Password (again)</label>
<div class="field">
<?cs if:string.length(Form.errors.password2) ?><ul class="errorlist" id="id_password2_error"><li><?cs var:Form.errors.password2 ?></li></ul>
<?cs /if ?><input type="password" name="password2" id="id_password2" autocomplete="new-password" required<?cs
call:pw_describedby("password2", Form.errors.password2, 1) ?>>
<p class="help" id="id_password2_help">Enter the same password as before, for verification.</p>
</div>
</div>
</fieldset>
<div class="submit-row">
<button type="submit" class="button">Change password</button>
<a href="<?cs var:Target.url ?>">Cancel</a>
</div>
</form>
<?cs /def ?><?cs include:"admin/base.cs" ?>
