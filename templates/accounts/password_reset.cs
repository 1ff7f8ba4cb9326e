<?cs
# Ask for a password reset email.
#
# Reads: Urls.password_reset; Form.values.email; Form.errors.email;
#        Form.error, Form.has_errors; CSRF.token.
?><?cs include:"accounts/_form.cs" ?><?cs def:page_title() ?>Reset your password<?cs /def ?><?cs
def:page_content() ?>
<section class="account">
<h1>Reset your password</h1>
<p>Forgotten your password? Enter your email address below, and we'll email instructions for setting a new one.</p>
<form class="form" method="post" action="<?cs var:Urls.password_reset ?>">
<?cs call:form_csrf() ?><?cs call:form_summary() ?><div class="field">
<label for="email">Email</label>
<?cs call:field_error("email", Form.errors.email) ?><input type="email" name="email" value="<?cs var:Form.values.email ?>" autocomplete="email" spellcheck="false" required autofocus<?cs
call:field_attrs("email", 0, Form.errors.email) ?>>
</div>
<div class="form-actions">
<button type="submit" class="button">Send me instructions</button>
</div>
</form>
</section>
<?cs /def ?><?cs
include:"layout/base.cs" ?>
