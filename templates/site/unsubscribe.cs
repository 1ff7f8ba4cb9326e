<?cs
# Stop reply mails (/comments/unsubscribe/{token}/), without logging in.
# GET asks, POST does it: mail scanners and link prefetchers open GET
# links, and must not unsubscribe anyone.
#
# Reads: Unsub.done (1: after the POST),
#        Unsub.action (the form's URL), Urls.home; CSRF.token.
?><?cs include:"accounts/_form.cs" ?><?cs def:page_title() ?>Stop reply notifications<?cs /def ?><?cs
def:page_content() ?>
<section class="account">
<h1>Stop reply notifications</h1>
<?cs if:Unsub.done ?><p>Done: you will no longer receive mails about replies to your comments.</p>
<?cs else ?><p>Stop receiving mails when someone replies to your comments?</p>
<form class="form" method="post" action="<?cs var:Unsub.action ?>">
<?cs call:form_csrf() ?><div class="form-actions">
<button type="submit" class="button">Unsubscribe</button>
</div>
</form>
<?cs /if ?><p class="back"><a href="<?cs var:Urls.home ?>">Go to the home page</a></p>
</section>
<?cs /def ?><?cs
include:"layout/base.cs" ?>
