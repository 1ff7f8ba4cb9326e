<?cs
# One article, then its comments (site/_comments.cs, the comments work's).
#
# Reads: Article.title, Article.date, Article.date_iso (absent for a
#        draft never published), Article.archive_url (its month),
#        Article.author, Article.author_url (absent when no author),
#        Article.is_updated, Article.updated, Article.updated_iso,
#        Article.tags.N.name, .url,
#        Article.body_html (trusted: Markdown rendered by Gazette in safe
#        mode; the only unescaped output on the site), Urls.home;
#        Preview.* (a preview: see site/_preview.cs; no comments then).
# C sets Page.description (from Article.excerpt) for the layout's <meta>.
?><?cs def:page_title() ?><?cs var:Article.title ?><?cs /def ?><?cs
def:page_content() ?><?cs
if:string.length(Preview.state) ?><?cs include:"site/_preview.cs" ?><?cs /if ?>
<article class="article">
<header class="article__header">
<h1><?cs var:Article.title ?></h1>
<p class="byline"><?cs if:string.length(Article.date) ?><?cs
if:string.length(Article.archive_url) ?><a href="<?cs var:Article.archive_url ?>"><time datetime="<?cs var:Article.date_iso ?>"><?cs var:Article.date ?></time></a><?cs
else ?><time datetime="<?cs var:Article.date_iso ?>"><?cs var:Article.date ?></time><?cs
/if ?><?cs /if ?><?cs if:string.length(Article.author) ?><span class="byline__sep"> · </span>by <a href="<?cs var:Article.author_url ?>" rel="author"><?cs var:Article.author ?></a><?cs
/if ?><?cs if:Article.is_updated ?> <span class="updated">· Updated <time datetime="<?cs var:Article.updated_iso ?>"><?cs var:Article.updated ?></time></span><?cs
/if ?></p>
</header>
<div class="prose">
<?cs escape: "none" ?><?cs var:Article.body_html ?><?cs /escape ?>
</div>
<?cs if:subcount(Article.tags) ?><footer class="article__footer">
<ul class="tag-list" aria-label="Tags">
<?cs each:t = Article.tags ?><li><a href="<?cs var:t.url ?>" rel="tag"><?cs var:t.name ?></a></li>
<?cs /each ?></ul>
</footer>
<?cs /if ?></article>
<?cs if:!string.length(Preview.state) ?><?cs include:"site/_comments.cs" ?><?cs /if ?>
<p class="back"><a href="<?cs var:Urls.home ?>">← All articles</a></p>
<?cs /def ?><?cs
include:"layout/base.cs" ?>
