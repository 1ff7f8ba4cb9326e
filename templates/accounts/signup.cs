<?cs
# Sign up (only routed when signup is on).
#
# Reads: Urls.signup, Urls.login; Password.help.N; Form.values.username,
#        .email; Form.errors.username, .email, .password1, .password2;
#        Form.error, Form.has_errors; CSRF.token.
# Passwords are never sent back.
?><?cs include:"accounts/_form.cs" ?><?cs def:page_title() ?>Sign up<?cs /def ?><?cs
def:page_content() ?>
<section class="account">
<h1>Sign up</h1>
<form class="form" method="post" action="<?cs var:Urls.signup ?>">
<?cs call:form_csrf() ?><?cs call:form_summary() ?><div class="field">
<label for="username">Username</label>
<?cs call:field_help("username", "150 characters or fewer. Letters, digits and @ . + - _ only.") ?><?cs
call:field_error("username", Form.errors.username) ?><input type="text" name="username" value="<?cs var:Form.values.username ?>" maxlength="150" autocomplete="username" autocapitalize="none" spellcheck="false" required<?cs
call:field_attrs("username", 1, Form.errors.username) ?>>
</div>
<div class="field">
<label for="email">Email</label>
<?cs call:field_help("email", "Never shown publicly.") ?><?cs
call:field_error("email", Form.errors.email) ?><input type="email" name="email" value="<?cs var:Form.values.email ?>" autocomplete="email" spellcheck="false" required<?cs
call:field_attrs("email", 1, Form.errors.email) ?>>
</div>
<div class="field">
<label for="password1">Password</label>
<?cs call:field_password_help("password1") ?><?cs
call:field_error("password1", Form.errors.password1) ?><input type="password" name="password1" autocomplete="new-password" required<?cs
call:field_attrs("password1", subcount(Password.help), Form.errors.password1) ?>>
</div>
<div class="field">
<label for="password2">Password confirmation</label>
<?cs call:field_help("password2", "Enter the same password as before, for verification.") ?><?cs
call:field_error("password2", Form.errors.password2) ?><input type="password" name="password2" autocomplete="new-password" required<?cs
call:field_attrs("password2", 1, Form.errors.password2) ?>>
</div>
<div class="form-actions">
<button type="submit" class="button">Create account</button>
</div>
</form>
<ul class="form-links">
<li><a href="<?cs var:Urls.login ?>">Already have an account? Log in</a></li>
</ul>
</section>
<?cs /def ?><?cs
include:"layout/base.cs" ?>
