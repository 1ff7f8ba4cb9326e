<?cs
# The admin layout. Every admin template defines admin_content(), then
# includes this file.
#
# Reads: Site.name, Static.admin_css, Static.admin_js, Urls.home,
#        Admin.title (the page's <h1>), Admin.index (the admin's home),
#        Admin.crumbs.N.label, .url (breadcrumbs after "Home"; the last
#        has no url), Admin.nav.G.name and Admin.nav.G.items.N.label,
#        .url, .current "1", .badge (the side navigation, by group),
#        Admin.messages.N.text, .kind (success, info, warning, error),
#        User.username, User.display_name, Urls.logout, Urls.profile,
#        CSRF.token.
# Config.VarEscapeMode = html: every var: is escaped. No inline script or
# style: the Content-Security-Policy forbids them.
?><!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="robots" content="noindex, nofollow">
<title><?cs var:Admin.title ?> · <?cs var:Site.name ?> admin</title>
<link rel="stylesheet" href="<?cs var:Static.admin_css ?>">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<script src="<?cs var:Static.admin_js ?>" defer></script>
</head>
<body class="admin">
<a class="skip-link" href="#main">Skip to content</a>
<header class="admin-header">
<a class="admin-header__brand" href="<?cs var:Admin.index ?>"><?cs var:Site.name ?> administration</a>
<nav class="admin-header__user" aria-label="Account">
<ul>
<li>Welcome, <strong><?cs if:string.length(User.display_name) ?><?cs var:User.display_name ?><?cs else ?><?cs var:User.username ?><?cs /if ?></strong></li>
<li><a href="<?cs var:Urls.home ?>">View site</a></li>
<li><a href="<?cs var:Urls.profile ?>">Profile</a></li>
<li><form method="post" action="<?cs var:Urls.logout ?>">
<input type="hidden" name="csrf_token" value="<?cs var:CSRF.token ?>">
<button type="submit" class="link-button">Log out</button>
</form></li>
</ul>
</nav>
</header>
<nav class="breadcrumbs" aria-label="Breadcrumbs">
<ol>
<li><a href="<?cs var:Admin.index ?>">Home</a></li>
<?cs each:c = Admin.crumbs ?><li><?cs if:string.length(c.url) ?><a href="<?cs var:c.url ?>"><?cs var:c.label ?></a><?cs else ?><span aria-current="page"><?cs var:c.label ?></span><?cs /if ?></li>
<?cs /each ?></ol>
</nav>
<div class="admin-body">
<nav class="admin-nav" aria-label="Administration">
<?cs each:g = Admin.nav ?><h2 class="admin-nav__group"><?cs var:g.name ?></h2>
<ul>
<?cs each:i = g.items ?><li><a href="<?cs var:i.url ?>"<?cs if:i.current ?> aria-current="page"<?cs /if ?>><?cs var:i.label ?><?cs if:string.length(i.badge) ?> <span class="badge"><?cs var:i.badge ?></span><?cs /if ?></a></li>
<?cs /each ?></ul>
<?cs /each ?></nav>
<main id="main" class="admin-main" tabindex="-1">
<?cs if:subcount(Admin.messages) ?><div role="status"><ul class="messages">
<?cs each:m = Admin.messages ?><li class="message message--<?cs var:m.kind ?>"><?cs var:m.text ?></li>
<?cs /each ?></ul></div>
<?cs /if ?><h1><?cs var:Admin.title ?></h1>
<?cs call:admin_content() ?>
</main>
</div>
</body>
</html>
