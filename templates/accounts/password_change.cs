<?cs
# Change password (logged in).
#
# Reads: Urls.password_change, Urls.profile; Password.help.N;
#        Form.errors.old_password, .new_password1, .new_password2;
#        Form.error, Form.has_errors; CSRF.token.
# Passwords are never sent back.
?><?cs include:"accounts/_form.cs" ?><?cs def:page_title() ?>Change password<?cs /def ?><?cs
def:page_content() ?>
<section class="account">
<h1>Change password</h1>
<form class="form" method="post" action="<?cs var:Urls.password_change ?>">
<?cs call:form_csrf() ?><?cs call:form_summary() ?><div class="field">
<label for="old_password">Current password</label>
<?cs call:field_error("old_password", Form.errors.old_password) ?><input type="password" name="old_password" autocomplete="current-password" required<?cs
call:field_attrs("old_password", 0, Form.errors.old_password) ?>>
</div>
<div class="field">
<label for="new_password1">New password</label>
<?cs call:field_password_help("new_password1") ?><?cs
call:field_error("new_password1", Form.errors.new_password1) ?><input type="password" name="new_password1" autocomplete="new-password" required<?cs
call:field_attrs("new_password1", subcount(Password.help), Form.errors.new_password1) ?>>
</div>
<div class="field">
<label for="new_password2">New password confirmation</label>
<?cs call:field_help("new_password2", "Enter the same password as before, for verification.") ?><?cs
call:field_error("new_password2", Form.errors.new_password2) ?><input type="password" name="new_password2" autocomplete="new-password" required<?cs
call:field_attrs("new_password2", 1, Form.errors.new_password2) ?>>
</div>
<div class="form-actions">
<button type="submit" class="button">Change my password</button>
</div>
</form>
<?cs if:string.length(Urls.profile) ?><p class="back"><a href="<?cs var:Urls.profile ?>">← Your profile</a></p>
<?cs /if ?></section>
<?cs /def ?><?cs
include:"layout/base.cs" ?>
