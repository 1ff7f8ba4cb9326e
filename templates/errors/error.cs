<?cs
# Every error page (400, 403, 404, 405, 413, 429, 500, ...).
#
# Reads: Error.status, Error.reason, Error.message (one plain sentence
#        written by C; for a 403 CSRF failure, the reason),
#        Error.retry_after_text (429, e.g. "Try again in 15 minutes."),
#        Error.allow (405 only, e.g. "GET, HEAD"), Urls.home,
#        Request.id (shown on 5xx only, as an opaque reference for support).
# Says nothing about internals: no paths, no SQL, no stack, no versions.
?><?cs def:page_title() ?><?cs var:Error.status ?> <?cs var:Error.reason ?><?cs /def ?><?cs
def:page_content() ?>
<section class="error-page">
<h1><?cs var:Error.status ?> <?cs var:Error.reason ?></h1>
<?cs if:string.length(Error.message) ?><p><?cs var:Error.message ?></p>
<?cs /if ?><?cs if:string.length(Error.retry_after_text) ?><p class="error-page__retry"><?cs var:Error.retry_after_text ?></p>
<?cs /if ?><?cs if:string.length(Error.allow) ?><p>This address accepts: <?cs var:Error.allow ?></p>
<?cs /if ?><p><a href="<?cs var:Urls.home ?>">Go to the home page</a></p>
<?cs if:Error.status >= 500 && string.length(Request.id) ?><p class="error-page__ref">Reference: <code><?cs var:Request.id ?></code></p>
<?cs /if ?></section>
<?cs /def ?><?cs
include:"layout/base.cs" ?>
