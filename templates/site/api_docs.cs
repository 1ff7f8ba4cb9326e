<?cs
# The API's documentation (page_api_docs, app/site/api.c): Swagger UI from
# static/vendor/ (make vendor, from npm) renders the OpenAPI document; the
# link to the document works without JavaScript.
#
# Reads: Docs.spec_url (/api/openapi.json), Docs.ui_css, Docs.own_css
#        (static/css/api-docs.css: our colours over Swagger UI's),
#        Docs.ui_js, Docs.init_js (absent when the UI is not installed).
?><?cs def:page_title() ?>API documentation<?cs /def ?><?cs
def:page_content() ?>
<section class="api-docs">
<h1>API documentation</h1>
<p>The JSON API lives under <code>/api/v1/</code>; send a token from your profile page as <code>Authorization: Bearer …</code>. The machine-readable description is <a href="<?cs var:Docs.spec_url ?>">the OpenAPI document</a>.</p>
<?cs if:string.length(Docs.ui_js) ?><link rel="stylesheet" href="<?cs var:Docs.ui_css ?>">
<link rel="stylesheet" href="<?cs var:Docs.own_css ?>">
<div id="swagger-ui" data-spec="<?cs var:Docs.spec_url ?>"></div>
<script src="<?cs var:Docs.ui_js ?>"></script>
<script src="<?cs var:Docs.init_js ?>"></script>
<?cs /if ?></section>
<?cs /def ?><?cs
include:"layout/base.cs" ?>
