<?cs
# Two-factor authentication (TOTP): set up when off; turn off or make new
# recovery codes when on. Three forms, all posting to Urls.twofactor with
# a hidden action: enable, disable, recovery.
#
# Reads: TwoFactor.enabled, TwoFactor.required (1 for staff when the site
#        asks staff for it), TwoFactor.recovery_left;
#        when off: TwoFactor.qr_url (a same-origin image), TwoFactor.secret,
#        TwoFactor.secret_spaced (in groups of 4), TwoFactor.uri
#        (otpauth://...);
#        RecoveryCodes.N (only right after enabling or regenerating);
#        Urls.twofactor, Urls.profile; Form.errors.code, .password;
#        Form.values.action (which form was sent: the password error shows
#        on the "recovery" form when it is "recovery", else on "disable");
#        Form.error, Form.has_errors; CSRF.token.
# Codes and passwords are never sent back.
?><?cs include:"accounts/_form.cs" ?><?cs def:page_title() ?>Two-factor authentication<?cs /def ?><?cs
def:twofactor_password(id, error) ?><div class="field">
<label for="<?cs var:id ?>">Current password</label>
<?cs call:field_error(id, error) ?><input type="password" name="password" autocomplete="current-password" required<?cs
call:field_attrs(id, 0, error) ?>>
</div>
<?cs /def ?><?cs
def:page_content() ?>
<section class="account">
<h1>Two-factor authentication</h1>
<?cs if:string.length(RecoveryCodes.0) ?><section class="recovery-box" aria-labelledby="recovery-heading">
<h2 id="recovery-heading">Save your recovery codes</h2>
<p>Each code works once, if you lose your phone. They will not be shown again.</p>
<ul class="recovery-codes">
<?cs each:c = RecoveryCodes ?><li><code><?cs var:c ?></code></li>
<?cs /each ?></ul>
</section>
<?cs /if ?><?cs call:form_summary() ?><?cs if:TwoFactor.enabled ?><p>Two-factor authentication is <strong>on</strong>: when you log in, you enter a code from your authenticator app after your password.</p>
<p><?cs if:TwoFactor.recovery_left == 0 ?>You have no recovery codes left. Make new ones below.<?cs
elif:TwoFactor.recovery_left == 1 ?>You have 1 recovery code left.<?cs
else ?>You have <?cs var:TwoFactor.recovery_left ?> recovery codes left.<?cs /if ?></p>
<h2>Turn off two-factor authentication</h2>
<form class="form" method="post" action="<?cs var:Urls.twofactor ?>">
<?cs call:form_csrf() ?><input type="hidden" name="action" value="disable">
<?cs if:Form.values.action != "recovery" ?><?cs call:twofactor_password("disable-password", Form.errors.password) ?><?cs
else ?><?cs call:twofactor_password("disable-password", "") ?><?cs /if ?><div class="form-actions">
<button type="submit" class="button button--danger">Turn off two-factor authentication</button>
</div>
</form>
<h2>Recovery codes</h2>
<p>New recovery codes replace the ones you have now.</p>
<form class="form" method="post" action="<?cs var:Urls.twofactor ?>">
<?cs call:form_csrf() ?><input type="hidden" name="action" value="recovery">
<?cs if:Form.values.action == "recovery" ?><?cs call:twofactor_password("recovery-password", Form.errors.password) ?><?cs
else ?><?cs call:twofactor_password("recovery-password", "") ?><?cs /if ?><div class="form-actions">
<button type="submit" class="button button--secondary">Make new recovery codes</button>
</div>
</form>
<?cs else ?><p>Two-factor authentication is <strong>off</strong>. Turn it on and, when you log in, you will enter a code from an authenticator app on your phone after your password.</p>
<?cs if:TwoFactor.required ?><p class="notice notice--warning">Staff accounts on this site must use two-factor authentication.</p>
<?cs /if ?><h2>Step 1: Scan this QR code with your authenticator app</h2>
<p><img class="qr" src="<?cs var:TwoFactor.qr_url ?>" alt="QR code for your authenticator app" width="200" height="200"></p>
<p>Or enter this key by hand:</p>
<p><code class="totp-secret"><?cs var:TwoFactor.secret_spaced ?></code></p>
<p><a href="<?cs var:TwoFactor.uri ?>">Open in an authenticator app on this device</a></p>
<h2>Step 2: Enter the code from the app</h2>
<form class="form" method="post" action="<?cs var:Urls.twofactor ?>">
<?cs call:form_csrf() ?><input type="hidden" name="action" value="enable">
<input type="hidden" name="secret" value="<?cs var:TwoFactor.secret ?>">
<div class="field">
<label for="code">6-digit code from the app</label>
<?cs call:field_error("code", Form.errors.code) ?><input type="text" name="code" class="input--code" inputmode="numeric" autocomplete="one-time-code" autocapitalize="none" spellcheck="false" required<?cs
call:field_attrs("code", 0, Form.errors.code) ?>>
</div>
<div class="form-actions">
<button type="submit" class="button">Turn on</button>
</div>
</form>
<?cs /if ?><?cs if:string.length(Urls.profile) ?><p class="back"><a href="<?cs var:Urls.profile ?>">← Your profile</a></p>
<?cs /if ?></section>
<?cs /def ?><?cs
include:"layout/base.cs" ?>
