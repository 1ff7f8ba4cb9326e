<?cs
# One article.
#
# Reads: Article.title, Article.date, Article.date_iso,
#        Article.is_updated, Article.updated, Article.updated_iso,
#        Article.body_html (trusted: Markdown rendered by Gazette in safe
#        mode; the only unescaped output on the site), Urls.home.
# C sets Page.description (from Article.excerpt) for the layout's <meta>.
?><?cs def:page_title() ?><?cs var:Article.title ?><?cs /def ?><?cs
def:page_content() ?>
<article class="article">
<header class="article__header">
<h1><?cs var:Article.title ?></h1>
<p class="byline"><time datetime="<?cs var:Article.date_iso ?>"><?cs var:Article.date ?></time><?cs
if:Article.is_updated ?> <span class="updated">· Updated <time datetime="<?cs var:Article.updated_iso ?>"><?cs var:Article.updated ?></time></span><?cs
/if ?></p>
</header>
<div class="prose">
<?cs escape: "none" ?><?cs var:Article.body_html ?><?cs /escape ?>
</div>
</article>
<p class="back"><a href="<?cs var:Urls.home ?>">← All articles</a></p>
<?cs /def ?><?cs
include:"layout/base.cs" ?>
