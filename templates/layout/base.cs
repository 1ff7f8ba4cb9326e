<?cs
# The one layout. Every page template defines page_title() and
# page_content(), then includes this file.
#
# Reads: Site.name, Site.description, Page.description, Page.is_home,
#        Urls.home, Static.site_css, Year.
# Config.VarEscapeMode = html, so every var: below is escaped. No inline
# script or style anywhere: the Content-Security-Policy forbids them.
?><!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title><?cs if:Page.is_home ?><?cs var:Site.name ?><?cs else ?><?cs call:page_title() ?> · <?cs var:Site.name ?><?cs /if ?></title>
<meta name="description" content="<?cs if:string.length(Page.description) ?><?cs var:Page.description ?><?cs else ?><?cs var:Site.description ?><?cs /if ?>">
<link rel="stylesheet" href="<?cs var:Static.site_css ?>">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
<div class="wrap site-header__inner">
<a class="site-name" href="<?cs var:Urls.home ?>"><?cs var:Site.name ?></a>
<nav class="site-nav" aria-label="Main">
<ul>
<li><a href="<?cs var:Urls.home ?>"<?cs if:Page.is_home ?> aria-current="page"<?cs /if ?>>Home</a></li>
</ul>
</nav>
</div>
</header>
<main id="main" class="wrap" tabindex="-1"><?cs call:page_content() ?></main>
<footer class="site-footer">
<div class="wrap">
<p>© <?cs var:Year ?> <?cs var:Site.name ?> · Powered by Gazette</p>
</div>
</footer>
</body>
</html>
