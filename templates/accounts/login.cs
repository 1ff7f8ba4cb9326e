<?cs
# Log in: username or email, password, "remember me".
#
# Reads: Urls.login, Urls.password_reset, Urls.signup (absent when signup
#        is off); Form.values.username, .remember, .next (where to go
#        after; sent back only when set); Form.errors.username, .password;
#        Form.error, Form.has_errors; CSRF.token.
# The password is never sent back.
?><?cs include:"accounts/_form.cs" ?><?cs def:page_title() ?>Log in<?cs /def ?><?cs
def:page_content() ?>
<section class="account">
<h1>Log in</h1>
<form class="form" method="post" action="<?cs var:Urls.login ?>">
<?cs call:form_csrf() ?><?cs if:string.length(Form.values.next) ?><input type="hidden" name="next" value="<?cs var:Form.values.next ?>">
<?cs /if ?><?cs call:form_summary() ?><div class="field">
<label for="username">Username or email</label>
<?cs call:field_error("username", Form.errors.username) ?><input type="text" name="username" value="<?cs var:Form.values.username ?>" autocomplete="username" autocapitalize="none" spellcheck="false" required<?cs
if:!string.length(Form.values.username) ?> autofocus<?cs /if ?><?cs
call:field_attrs("username", 0, Form.errors.username) ?>>
</div>
<div class="field">
<label for="password">Password</label>
<?cs call:field_error("password", Form.errors.password) ?><input type="password" name="password" autocomplete="current-password" required<?cs
if:string.length(Form.values.username) ?> autofocus<?cs /if ?><?cs
call:field_attrs("password", 0, Form.errors.password) ?>>
</div>
<div class="field field--checkbox">
<input type="checkbox" id="remember" name="remember" value="1"<?cs if:Form.values.remember ?> checked<?cs /if ?>>
<label for="remember">Remember me on this computer</label>
</div>
<div class="form-actions">
<button type="submit" class="button">Log in</button>
</div>
</form>
<ul class="form-links">
<li><a href="<?cs var:Urls.password_reset ?>">Forgot your password?</a></li>
<?cs if:string.length(Urls.signup) ?><li><a href="<?cs var:Urls.signup ?>">No account? Sign up</a></li>
<?cs /if ?></ul>
</section>
<?cs /def ?><?cs
include:"layout/base.cs" ?>
