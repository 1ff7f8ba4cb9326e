<?cs
# The logged-in user's own page: details, password, two-factor
# authentication, sessions.
#
# Reads: User.username; Urls.profile, Urls.password_change,
#        Urls.twofactor, Urls.sessions_end;
#        Form.values.display_name, .email (C fills them with the saved
#        values, or what was typed after an error); Form.errors.display_name,
#        .email; Form.error, Form.has_errors (the Details form only);
#        TwoFactor.enabled, TwoFactor.required (1 for staff when the site
#        asks staff for it);
#        Sessions.N.device, .ip, .created, .created_iso, .last_seen,
#        .last_seen_iso, .is_current; Sessions.others (1 when there are
#        sessions besides this one); CSRF.token;
#        Tokens.N.id, .name, .prefix, .scopes, .created, .last_used,
#        .expires (absent: never), .state (active, expired, revoked),
#        .revoke_url (active ones);
#        NewToken.value (the token just made, shown this once);
#        TokenForm.error; Urls.token_create.
# Token form field names are contracts: name, scopes, expires_days.
?><?cs include:"accounts/_form.cs" ?><?cs def:page_title() ?>Your profile<?cs /def ?><?cs
def:session_time(text, iso) ?><?cs
if:string.length(iso) ?><time datetime="<?cs var:iso ?>"><?cs var:text ?></time><?cs
else ?><?cs var:text ?><?cs /if ?><?cs /def ?><?cs
def:page_content() ?>
<section class="account">
<h1>Your profile</h1>
<section class="profile-section">
<h2>Details</h2>
<p>Username: <strong><?cs var:User.username ?></strong></p>
<form class="form" method="post" action="<?cs var:Urls.profile ?>">
<?cs call:form_csrf() ?><?cs call:form_summary() ?><div class="field">
<label for="display_name">Display name</label>
<?cs call:field_help("display_name", "Shown with your comments and articles.") ?><?cs
call:field_error("display_name", Form.errors.display_name) ?><input type="text" name="display_name" value="<?cs var:Form.values.display_name ?>" autocomplete="name"<?cs
call:field_attrs("display_name", 1, Form.errors.display_name) ?>>
</div>
<div class="field">
<label for="email">Email</label>
<?cs call:field_error("email", Form.errors.email) ?><input type="email" name="email" value="<?cs var:Form.values.email ?>" autocomplete="email" spellcheck="false"<?cs
call:field_attrs("email", 0, Form.errors.email) ?>>
</div>
<div class="form-actions">
<button type="submit" class="button">Save</button>
</div>
</form>
</section>
<section class="profile-section">
<h2>Password</h2>
<p><a href="<?cs var:Urls.password_change ?>">Change your password</a></p>
</section>
<section class="profile-section">
<h2>Two-factor authentication</h2>
<p>Status: <?cs if:TwoFactor.enabled ?><strong class="status status--on">On</strong><?cs
else ?><strong class="status status--off">Off</strong><?cs /if ?></p>
<?cs if:TwoFactor.required && !TwoFactor.enabled ?><p class="notice notice--warning">Staff accounts on this site must use two-factor authentication.</p>
<?cs /if ?><p><a href="<?cs var:Urls.twofactor ?>"><?cs
if:TwoFactor.enabled ?>Manage two-factor authentication<?cs
else ?>Set up two-factor authentication<?cs /if ?></a></p>
</section>
<section class="profile-section">
<h2>Sessions</h2>
<?cs if:subcount(Sessions) ?><div class="table-scroll" role="region" aria-labelledby="sessions-caption" tabindex="0">
<table class="sessions">
<caption id="sessions-caption">Where you're logged in</caption>
<thead>
<tr><th scope="col">Device</th><th scope="col">IP address</th><th scope="col">Logged in</th><th scope="col">Last seen</th></tr>
</thead>
<tbody>
<?cs each:s = Sessions ?><?cs if:subcount(s) ?><tr<?cs if:s.is_current ?> class="sessions__current"<?cs /if ?>>
<th scope="row"><?cs if:string.length(s.device) ?><?cs var:s.device ?><?cs else ?>Unknown device<?cs /if ?><?cs
if:s.is_current ?> <strong class="badge">This browser</strong><?cs /if ?></th>
<td><?cs var:s.ip ?></td>
<td><?cs call:session_time(s.created, s.created_iso) ?></td>
<td><?cs call:session_time(s.last_seen, s.last_seen_iso) ?></td>
</tr>
<?cs /if ?><?cs /each ?></tbody>
</table>
</div>
<?cs /if ?><?cs if:Sessions.others ?><form class="form" method="post" action="<?cs var:Urls.sessions_end ?>">
<?cs call:form_csrf() ?><button type="submit" class="button button--secondary">Log out everywhere else</button>
</form>
<?cs else ?><p>You're not logged in anywhere else.</p>
<?cs /if ?></section>
<section class="profile-section">
<h2 id="api-tokens">API tokens</h2>
<p>Programs use a token to call the site's API (<code>Authorization: Bearer …</code>).</p>
<?cs if:string.length(NewToken.value) ?><div class="notice notice--success" role="status">
<p>Your new token is below. Copy it now: it is stored hashed and will not be shown again.</p>
<p><code class="token" id="new-token"><?cs var:NewToken.value ?></code></p>
</div>
<?cs /if ?><?cs if:subcount(Tokens) ?><div class="table-scroll" role="region" aria-labelledby="tokens-caption" tabindex="0">
<table class="tokens">
<caption id="tokens-caption">Your tokens</caption>
<thead>
<tr><th scope="col">Name</th><th scope="col">Token</th><th scope="col">Scopes</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Expires</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr>
</thead>
<tbody>
<?cs each:t = Tokens ?><tr>
<th scope="row"><?cs var:t.name ?></th>
<td><code><?cs var:t.prefix ?>…</code></td>
<td><?cs var:t.scopes ?></td>
<td><?cs var:t.created ?></td>
<td><?cs if:string.length(t.last_used) ?><?cs var:t.last_used ?><?cs else ?>Never<?cs /if ?></td>
<td><?cs if:string.length(t.expires) ?><?cs var:t.expires ?><?cs else ?>Never<?cs /if ?></td>
<td><?cs if:t.state == "active" ?><form method="post" action="<?cs var:t.revoke_url ?>">
<?cs call:form_csrf() ?><button type="submit" class="button button--secondary">Revoke</button>
</form><?cs elif:t.state == "revoked" ?>Revoked<?cs else ?>Expired<?cs /if ?></td>
</tr>
<?cs /each ?></tbody>
</table>
</div>
<?cs /if ?><form class="form" method="post" action="<?cs var:Urls.token_create ?>">
<?cs call:form_csrf() ?><?cs if:string.length(TokenForm.error) ?><p class="errornote" role="alert"><?cs var:TokenForm.error ?></p>
<?cs /if ?><div class="field">
<label for="token-name">Name</label>
<input type="text" name="name" id="token-name" maxlength="100">
</div>
<div class="field">
<label for="token-scopes">Scopes</label>
<select name="scopes" id="token-scopes">
<option value="read">Read</option>
<option value="read,write">Read and write</option>
</select>
</div>
<div class="field">
<label for="token-expires">Expires after (days)</label>
<input type="number" name="expires_days" id="token-expires" min="1" max="3650" aria-describedby="token-expires-help">
<p class="help" id="token-expires-help">Leave empty for a token that does not expire.</p>
</div>
<div class="form-actions">
<button type="submit" class="button">Create a token</button>
</div>
</form>
</section>
</section>
<?cs /def ?><?cs
include:"layout/base.cs" ?>
