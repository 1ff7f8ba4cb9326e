<?cs
# A changelist. Reads: List.* (model, verbose, verbose_plural, count,
# url, query (the filters, for links back), search, searchable, add_url,
# export_url, facets, facets_url, next_url, first_url, keep.N.name/value
# (the filters kept by the search form)); Columns.N.label, .sort_url,
# .sorted ("ascending", "descending"), .num; Rows.N.pk, .url,
# .cells.K.text; Actions.N.name, .label; Filters.N.title,
# .choices.K.label, .url, .current, .count; CSRF.token.
?><?cs def:admin_content() ?>
<ul class="object-tools">
<?cs if:string.length(List.add_url) ?><li><a class="button" href="<?cs var:List.add_url ?>">Add <?cs var:List.verbose ?></a></li>
<?cs /if ?><li><a class="button button--secondary" href="<?cs var:List.export_url ?>">Export these <?cs var:List.verbose_plural ?> as CSV</a></li>
</ul>
<div class="changelist">
<div class="changelist__main">
<?cs if:List.searchable ?><form class="search-form" role="search" method="get" action="<?cs var:List.url ?>">
<label for="searchbar">Search <?cs var:List.verbose_plural ?></label>
<input type="search" id="searchbar" name="q" maxlength="200" value="<?cs var:List.search ?>">
<?cs each:k = List.keep ?><input type="hidden" name="<?cs var:k.name ?>" value="<?cs var:k.value ?>">
<?cs /each ?><button class="button" type="submit">Search</button>
<span class="help"><?cs var:List.count ?><?cs if:string.length(List.search) ?> match<?cs /if ?></span>
</form>
<?cs else ?><p class="help"><?cs var:List.count ?></p>
<?cs /if ?><form method="post" action="<?cs var:List.url ?>" id="changelist-form">
<input type="hidden" name="csrf_token" value="<?cs var:CSRF.token ?>">
<input type="hidden" name="_changelist_filters" value="<?cs var:List.query ?>">
<?cs if:subcount(Rows) ?><div class="actions">
<label for="action-select">Action:</label>
<select name="action" id="action-select" required>
<option value="">---------</option>
<?cs each:a = Actions ?><option value="<?cs var:a.name ?>"><?cs var:a.label ?></option>
<?cs /each ?></select>
<button class="button" type="submit" name="index" value="0">Go</button>
<span class="help" id="selected-count" aria-live="polite"></span>
</div>
<div class="results-wrap">
<table class="results" id="result_list">
<caption class="visually-hidden"><?cs var:List.verbose_plural ?></caption>
<thead>
<tr>
<th scope="col" class="check"><input type="checkbox" id="action-toggle" aria-label="Select all <?cs var:List.verbose_plural ?> on this page" hidden></th>
<?cs each:c = Columns ?><th scope="col"<?cs if:string.length(c.sorted) ?> class="sorted <?cs var:c.sorted ?>" aria-sort="<?cs var:c.sorted ?>"<?cs /if ?>><?cs if:string.length(c.sort_url) ?><a href="<?cs var:c.sort_url ?>"><?cs var:c.label ?></a><?cs else ?><?cs var:c.label ?><?cs /if ?></th>
<?cs /each ?></tr>
</thead>
<tbody>
<?cs each:row = Rows ?><tr>
<td class="check"><input type="checkbox" name="_selected_action" value="<?cs var:row.pk ?>" class="action-select" aria-label="Select <?cs var:row.cells.0.text ?>"></td>
<?cs each:cell = row.cells ?><?cs if:name(cell) == "0" ?><th scope="row"><a href="<?cs var:row.url ?>"><?cs var:cell.text ?></a></th><?cs else ?><td><?cs var:cell.text ?></td><?cs /if ?>
<?cs /each ?></tr>
<?cs /each ?></tbody>
</table>
</div>
<?cs else ?><p class="empty">No <?cs var:List.verbose_plural ?> to show.</p>
<?cs /if ?></form>
<nav class="paginator" aria-label="Pages">
<?cs if:string.length(List.first_url) ?><a href="<?cs var:List.first_url ?>">« First page</a>
<?cs /if ?><?cs if:string.length(List.next_url) ?><a href="<?cs var:List.next_url ?>" rel="next">Next page »</a>
<?cs /if ?></nav>
</div>
<?cs if:subcount(Filters) ?><nav class="filters" aria-labelledby="filters-title">
<h2 id="filters-title">Filter</h2>
<p><a href="<?cs var:List.facets_url ?>"><?cs if:List.facets ?>Hide counts<?cs else ?>Show counts<?cs /if ?></a></p>
<?cs each:f = Filters ?><h3><?cs var:f.title ?></h3>
<ul>
<?cs each:c = f.choices ?><li><a href="<?cs var:c.url ?>"<?cs if:c.current ?> aria-current="true"<?cs /if ?>><?cs var:c.label ?></a><?cs if:string.length(c.count) ?> <span class="count">(<?cs var:c.count ?>)</span><?cs /if ?></li>
<?cs /each ?></ul>
<?cs /each ?></nav>
<?cs /if ?></div>
<?cs /def ?><?cs include:"admin/base.cs" ?>
