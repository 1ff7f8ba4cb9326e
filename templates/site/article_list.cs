<?cs
# Home page: the newest published articles, newest first, one page.
#
# Reads: Articles.N.title, .url, .date, .date_iso, .excerpt;
#        Pager.older (URL of the next, older page; absent on the last page);
#        Pager.newer_home (1 when this is not the first page);
#        Urls.home. C also sets Page.is_home = 1 for the layout.
# The pager text "Older articles" is looked for by the tests.
?><?cs def:page_title() ?>Latest articles<?cs /def ?><?cs
def:page_content() ?>
<h1>Latest articles</h1>
<?cs if:subcount(Articles) ?><ol class="article-list">
<?cs each:a = Articles ?><li>
<article class="article-summary">
<h2><a href="<?cs var:a.url ?>"><?cs var:a.title ?></a></h2>
<p class="byline"><time datetime="<?cs var:a.date_iso ?>"><?cs var:a.date ?></time></p>
<?cs if:string.length(a.excerpt) ?><p class="excerpt"><?cs var:a.excerpt ?></p>
<?cs /if ?></article>
</li>
<?cs /each ?></ol>
<?cs elif:Pager.newer_home ?><p class="empty">There are no older articles.</p>
<?cs else ?><p class="empty">No articles yet.</p>
<?cs /if ?><?cs if:string.length(Pager.older) || Pager.newer_home ?><nav class="pager" aria-label="More articles">
<?cs if:Pager.newer_home ?><a class="pager__newer" href="<?cs var:Urls.home ?>">Newest articles</a>
<?cs /if ?><?cs if:string.length(Pager.older) ?><a class="pager__older" href="<?cs var:Pager.older ?>" rel="next">Older articles</a>
<?cs /if ?></nav>
<?cs /if ?><?cs /def ?><?cs
include:"layout/base.cs" ?>
