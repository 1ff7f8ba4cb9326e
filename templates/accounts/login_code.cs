<?cs
# Log in, second step: the code from the authenticator app, or a
# recovery code.
#
# Reads: Urls.login_code; Form.values.next (sent back only when set);
#        Form.errors.code; Form.error, Form.has_errors; CSRF.token.
# The code is never sent back.
?><?cs include:"accounts/_form.cs" ?><?cs def:page_title() ?>Two-factor authentication<?cs /def ?><?cs
def:page_content() ?>
<section class="account">
<h1>Two-factor authentication</h1>
<p id="code-help">Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p>
<form class="form" method="post" action="<?cs var:Urls.login_code ?>">
<?cs call:form_csrf() ?><?cs if:string.length(Form.values.next) ?><input type="hidden" name="next" value="<?cs var:Form.values.next ?>">
<?cs /if ?><?cs call:form_summary() ?><div class="field">
<label for="code">Code</label>
<?cs call:field_error("code", Form.errors.code) ?><input type="text" name="code" class="input--code" inputmode="numeric" autocomplete="one-time-code" autocapitalize="none" spellcheck="false" required autofocus<?cs
call:field_attrs("code", 1, Form.errors.code) ?>>
</div>
<div class="form-actions">
<button type="submit" class="button">Verify</button>
</div>
</form>
</section>
<?cs /def ?><?cs
include:"layout/base.cs" ?>
