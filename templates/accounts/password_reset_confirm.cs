<?cs
# The page a password reset link opens: a new password, or why the link
# does not work.
#
# Reads: Reset.invalid (1 when the link is bad, used or expired),
#        Reset.action (where the form posts: the link's own URL),
#        Urls.password_reset; Password.help.N;
#        Form.errors.new_password1, .new_password2; Form.error,
#        Form.has_errors; CSRF.token.
# Passwords are never sent back.
?><?cs include:"accounts/_form.cs" ?><?cs def:page_title() ?><?cs
if:Reset.invalid ?>Password reset unsuccessful<?cs else ?>Set a new password<?cs /if ?><?cs /def ?><?cs
def:page_content() ?>
<section class="account">
<?cs if:Reset.invalid ?><h1>Password reset unsuccessful</h1>
<p>The password reset link was invalid, possibly because it has already been used or has expired. Please request a new password reset.</p>
<p><a href="<?cs var:Urls.password_reset ?>">Request a new password reset</a></p>
<?cs else ?><h1>Set a new password</h1>
<form class="form" method="post" action="<?cs var:Reset.action ?>">
<?cs call:form_csrf() ?><?cs call:form_summary() ?><div class="field">
<label for="new_password1">New password</label>
<?cs call:field_password_help("new_password1") ?><?cs
call:field_error("new_password1", Form.errors.new_password1) ?><input type="password" name="new_password1" autocomplete="new-password" required autofocus<?cs
call:field_attrs("new_password1", subcount(Password.help), Form.errors.new_password1) ?>>
</div>
<div class="field">
<label for="new_password2">New password confirmation</label>
<?cs call:field_help("new_password2", "Enter the same password as before, for verification.") ?><?cs
call:field_error("new_password2", Form.errors.new_password2) ?><input type="password" name="new_password2" autocomplete="new-password" required<?cs
call:field_attrs("new_password2", 1, Form.errors.new_password2) ?>>
</div>
<div class="form-actions">
<button type="submit" class="button">Set my password</button>
</div>
</form>
<?cs /if ?></section>
<?cs /def ?><?cs
include:"layout/base.cs" ?>
