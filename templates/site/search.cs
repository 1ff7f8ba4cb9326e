<?cs
# The search page: the form, and for a query its results, best first.
#
# Reads: Urls.search; Search.query (as typed; may be empty),
#        Search.query_max (the longest query, in characters),
#        Search.error (the request was refused: 400, e.g. too long),
#        Search.has_query (1 when a query was run), Search.page (from 1),
#        Search.first, Search.last (the numbers of the results shown),
#        Search.results.N: .url, .title_html and .snippet_html
#          (trusted: made by search_snippet_html(), which escapes all the
#          stored text and adds only <mark>), .is_page (1: a static page,
#          no date) or .date, .date_iso;
#        Search.prev, Search.next (URLs of the neighbouring pages; absent
#          at either end).
# "No results for" is looked for by the tests.
?><?cs def:page_title() ?><?cs if:Search.has_query ?>Search: <?cs var:Search.query ?><?cs else ?>Search<?cs /if ?><?cs /def ?><?cs
def:page_content() ?>
<section class="search" aria-labelledby="search-heading">
<h1 id="search-heading"><?cs if:Search.has_query ?>Results for <q class="search__query"><?cs var:Search.query ?></q><?cs else ?>Search<?cs /if ?></h1>
<form class="search-form" role="search" aria-label="Search articles and pages" method="get" action="<?cs var:Urls.search ?>">
<div class="field">
<label for="search-q">Search articles and pages</label>
<p class="field__help" id="search-q-help">Words match in any order; use "quotes" for a phrase, OR for either word, NOT to leave a word out, and * at the end of a word for its beginning.</p>
<div class="search-form__row">
<input type="search" id="search-q" name="q" value="<?cs var:Search.query ?>" maxlength="<?cs var:Search.query_max ?>" aria-describedby="search-q-help<?cs if:string.length(Search.error) ?> search-error<?cs /if ?>"<?cs if:string.length(Search.error) ?> aria-invalid="true"<?cs /if ?>>
<button class="button" type="submit">Search</button>
</div>
</div>
</form>
<?cs if:string.length(Search.error) ?><p class="notice notice--warning" id="search-error" role="alert"><?cs var:Search.error ?></p>
<?cs elif:Search.has_query ?><?cs if:subcount(Search.results) ?><p class="search__summary">Results <?cs var:Search.first ?>–<?cs var:Search.last ?>, best match first.</p>
<ol class="search-results" start="<?cs var:Search.first ?>">
<?cs each:h = Search.results ?><li class="search-result">
<h2 class="search-result__title"><a href="<?cs var:h.url ?>"><?cs escape: "none" ?><?cs var:h.title_html ?><?cs /escape ?></a></h2>
<p class="byline"><?cs if:h.is_page ?>Page<?cs else ?><time datetime="<?cs var:h.date_iso ?>"><?cs var:h.date ?></time><?cs /if ?></p>
<?cs if:string.length(h.snippet_html) ?><p class="search-result__snippet"><?cs escape: "none" ?><?cs var:h.snippet_html ?><?cs /escape ?></p>
<?cs /if ?></li>
<?cs /each ?></ol>
<?cs elif:Search.page > 1 ?><p class="empty">No more results for <q><?cs var:Search.query ?></q>.</p>
<?cs else ?><p class="empty">No results for <q><?cs var:Search.query ?></q>. Check the spelling, or try other or fewer words.</p>
<?cs /if ?><?cs if:string.length(Search.prev) || string.length(Search.next) ?><nav class="pager" aria-label="Result pages">
<?cs if:string.length(Search.prev) ?><a class="pager__newer" href="<?cs var:Search.prev ?>" rel="prev">Previous results</a>
<?cs /if ?><?cs if:string.length(Search.next) ?><a class="pager__older" href="<?cs var:Search.next ?>" rel="next">More results</a>
<?cs /if ?></nav>
<?cs /if ?><?cs /if ?></section>
<?cs /def ?><?cs
include:"layout/base.cs" ?>
