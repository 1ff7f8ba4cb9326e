<?cs
# The one layout. Every page template defines page_title() and
# page_content(), then includes this file.
#
# Reads: Site.name, Site.description, Page.description, Page.is_home,
#        Urls.home, Static.site_css, Year, Request.path;
#        User.is_authenticated, User.username, User.display_name (may be
#        empty: the username is shown then); Urls.login, Urls.signup
#        (absent when signup is off), Urls.profile, Urls.logout,
#        Urls.admin (staff only); CSRF.token (the logout button is a POST
#        form); Flash.N.text, Flash.N.kind ("success", "info", "error");
#        Urls.search (the header's search form, none without it; its
#        maxlength is search.h's SEARCH_QUERY_MAX),
#        Urls.feed (the site's Atom feed, linked from <head>), and, for a
#        page with a feed of its own, Page.feed (its URL) and
#        Page.feed_title (what a feed reader calls it); Page.robots
#        (a <meta name="robots"> value, e.g. "noindex" on previews);
#        Nav.pages.N.title, .url (the static pages, in the footer).
# Config.VarEscapeMode = html, so every var: below is escaped. No inline
# script or style anywhere: the Content-Security-Policy forbids them.
?><?cs
# The flash messages, once, at the top of <main>: one list, an alert when
# any message is an error, else a status. has_error is a local: pass 0.
?><?cs def:flash_messages(has_error) ?><?cs each:f = Flash ?><?cs
if:f.kind == "error" ?><?cs set:has_error = 1 ?><?cs /if ?><?cs /each ?>
<div class="flashes" role="<?cs if:has_error ?>alert<?cs else ?>status<?cs /if ?>">
<ul>
<?cs each:f = Flash ?><?cs if:string.length(f.text) ?><li class="flash flash--<?cs
if:f.kind == "error" ?>error<?cs elif:f.kind == "success" ?>success<?cs else ?>info<?cs
/if ?>"><?cs var:f.text ?></li>
<?cs /if ?><?cs /each ?></ul>
</div><?cs /def ?><!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title><?cs if:Page.is_home ?><?cs var:Site.name ?><?cs else ?><?cs call:page_title() ?> · <?cs var:Site.name ?><?cs /if ?></title>
<meta name="description" content="<?cs if:string.length(Page.description) ?><?cs var:Page.description ?><?cs else ?><?cs var:Site.description ?><?cs /if ?>">
<?cs if:string.length(Page.robots) ?><meta name="robots" content="<?cs var:Page.robots ?>">
<?cs /if ?><link rel="stylesheet" href="<?cs var:Static.site_css ?>">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<?cs if:string.length(Urls.feed) ?><link rel="alternate" type="application/atom+xml" title="<?cs var:Site.name ?>" href="<?cs var:Urls.feed ?>">
<?cs /if ?><?cs if:string.length(Page.feed) ?><link rel="alternate" type="application/atom+xml" title="<?cs if:string.length(Page.feed_title) ?><?cs var:Page.feed_title ?><?cs else ?><?cs var:Site.name ?><?cs /if ?>" href="<?cs var:Page.feed ?>">
<?cs /if ?></head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
<div class="wrap site-header__inner">
<a class="site-name" href="<?cs var:Urls.home ?>"><?cs var:Site.name ?></a>
<div class="site-header__navs">
<nav class="site-nav" aria-label="Main">
<ul>
<li><a href="<?cs var:Urls.home ?>"<?cs if:Page.is_home ?> aria-current="page"<?cs /if ?>>Home</a></li>
</ul>
</nav>
<?cs if:string.length(Urls.search) ?><form class="site-search" role="search" aria-label="Site search" method="get" action="<?cs var:Urls.search ?>">
<label class="visually-hidden" for="site-search-q">Search the site</label>
<input type="search" id="site-search-q" name="q" maxlength="200">
<button class="site-search__button" type="submit">Search</button>
</form>
<?cs /if ?><?cs if:User.is_authenticated || string.length(Urls.login) ?><nav class="user-nav" aria-label="Account">
<ul>
<?cs if:User.is_authenticated ?><li><a href="<?cs var:Urls.profile ?>"<?cs
if:string.length(Urls.profile) && Request.path == Urls.profile ?> aria-current="page"<?cs
/if ?>>Signed in as <span class="user-nav__name"><?cs
if:string.length(User.display_name) ?><?cs var:User.display_name ?><?cs
else ?><?cs var:User.username ?><?cs /if ?></span></a></li>
<?cs if:string.length(Urls.admin) ?><li><a href="<?cs var:Urls.admin ?>">Admin</a></li>
<?cs /if ?><li><form class="logout-form" method="post" action="<?cs var:Urls.logout ?>">
<input type="hidden" name="csrf_token" value="<?cs var:CSRF.token ?>">
<button type="submit" class="link-button">Log out</button>
</form></li>
<?cs else ?><li><a href="<?cs var:Urls.login ?>"<?cs
if:Request.path == Urls.login ?> aria-current="page"<?cs
/if ?>>Log in</a></li>
<?cs if:string.length(Urls.signup) ?><li><a href="<?cs var:Urls.signup ?>"<?cs
if:Request.path == Urls.signup ?> aria-current="page"<?cs /if ?>>Sign up</a></li>
<?cs /if ?><?cs /if ?></ul>
</nav>
<?cs /if ?></div>
</div>
</header>
<main id="main" class="wrap" tabindex="-1"><?cs if:subcount(Flash) ?><?cs call:flash_messages(0) ?><?cs /if ?><?cs call:page_content() ?></main>
<footer class="site-footer">
<div class="wrap">
<?cs if:subcount(Nav.pages) ?><nav class="footer-nav" aria-label="Pages">
<ul>
<?cs each:p = Nav.pages ?><li><a href="<?cs var:p.url ?>"<?cs if:Request.path == p.url ?> aria-current="page"<?cs /if ?>><?cs var:p.title ?></a></li>
<?cs /each ?></ul>
</nav>
<?cs /if ?><p>© <?cs var:Year ?> <?cs var:Site.name ?> · Powered by Gazette</p>
</div>
</footer>
</body>
</html>
