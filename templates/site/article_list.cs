<?cs
# Lists of articles, newest first: the home page, a tag, an author, a
# month.
#
# Reads: List.kicker (optional: "Tag", "Author"), List.heading (the h1),
#        List.intro (optional: the tag's description, the author's bio),
#        List.empty (the text when the list has nothing at all);
#        Articles.N.title, .url, .date, .date_iso, .excerpt, .author and
#        .author_url (absent when the article has no author), .comments
#        (approved comments; absent when none), .tags.M.name, .tags.M.url;
#        Pager.older (URL of the next, older page; absent on the last),
#        Pager.newer (URL of the first page; absent on it);
#        Archive.earlier, .earlier_url, .later, .later_url (month pages).
# C also sets Page.is_home = 1 on / for the layout.
# The pager text "Older articles" is looked for by the tests.
?><?cs def:page_title() ?><?cs var:List.heading ?><?cs /def ?><?cs
def:page_content() ?>
<header class="list-header">
<?cs if:string.length(List.kicker) ?><p class="list-header__kicker"><?cs var:List.kicker ?></p>
<?cs /if ?><h1><?cs var:List.heading ?></h1>
<?cs if:string.length(List.intro) ?><p class="list-header__intro"><?cs var:List.intro ?></p>
<?cs /if ?></header>
<?cs if:subcount(Articles) ?><ol class="article-list">
<?cs each:a = Articles ?><li>
<article class="article-summary">
<h2><a href="<?cs var:a.url ?>"><?cs var:a.title ?></a></h2>
<p class="byline"><time datetime="<?cs var:a.date_iso ?>"><?cs var:a.date ?></time><?cs
if:string.length(a.author) ?><span class="byline__sep"> · </span>by <a href="<?cs var:a.author_url ?>"><?cs var:a.author ?></a><?cs
/if ?><?cs if:a.comments ?><span class="byline__sep"> · </span><?cs
if:a.comments == 1 ?>1 comment<?cs else ?><?cs var:a.comments ?> comments<?cs /if ?><?cs
/if ?></p>
<?cs if:string.length(a.excerpt) ?><p class="excerpt"><?cs var:a.excerpt ?></p>
<?cs /if ?><?cs if:subcount(a.tags) ?><ul class="tag-list" aria-label="Tags">
<?cs each:t = a.tags ?><li><a href="<?cs var:t.url ?>" rel="tag"><?cs var:t.name ?></a></li>
<?cs /each ?></ul>
<?cs /if ?></article>
</li>
<?cs /each ?></ol>
<?cs elif:string.length(Pager.newer) ?><p class="empty">There are no older articles.</p>
<?cs else ?><p class="empty"><?cs var:List.empty ?></p>
<?cs /if ?><?cs if:string.length(Pager.older) || string.length(Pager.newer) ?><nav class="pager" aria-label="More articles">
<?cs if:string.length(Pager.newer) ?><a class="pager__newer" href="<?cs var:Pager.newer ?>">Newest articles</a>
<?cs /if ?><?cs if:string.length(Pager.older) ?><a class="pager__older" href="<?cs var:Pager.older ?>" rel="next">Older articles</a>
<?cs /if ?></nav>
<?cs /if ?><?cs if:string.length(Archive.earlier_url) || string.length(Archive.later_url) ?><nav class="month-nav" aria-label="Other months">
<?cs if:string.length(Archive.earlier_url) ?><a class="month-nav__earlier" href="<?cs var:Archive.earlier_url ?>"><?cs var:Archive.earlier ?></a>
<?cs /if ?><?cs if:string.length(Archive.later_url) ?><a class="month-nav__later" href="<?cs var:Archive.later_url ?>"><?cs var:Archive.later ?></a>
<?cs /if ?></nav>
<?cs /if ?><?cs /def ?><?cs
include:"layout/base.cs" ?>
