<?cs
# A static page (about, contact): a title and its body, nothing else.
#
# Reads: Article.title, Article.body_html (trusted: Markdown rendered by
#        Gazette in safe mode); Preview.* (a preview: see site/_preview.cs).
# C sets Page.description (from Article.excerpt) for the layout's <meta>.
?><?cs def:page_title() ?><?cs var:Article.title ?><?cs /def ?><?cs
def:page_content() ?><?cs
if:string.length(Preview.state) ?><?cs include:"site/_preview.cs" ?><?cs /if ?>
<article class="article article--page">
<header class="article__header">
<h1><?cs var:Article.title ?></h1>
</header>
<div class="prose">
<?cs escape: "none" ?><?cs var:Article.body_html ?><?cs /escape ?>
</div>
</article>
<?cs /def ?><?cs
include:"layout/base.cs" ?>
