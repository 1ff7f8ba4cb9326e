<?cs
# The email verification link (/accounts/verify/{token}/), answered at
# once: a link that only records that the mail arrived is harmless to
# open twice, or by a link scanner.
#
# Reads: Verify.ok (1: verified now or before), Urls.home.
?><?cs def:page_title() ?>Confirm your email address<?cs /def ?><?cs
def:page_content() ?>
<section class="account">
<h1>Confirm your email address</h1>
<?cs if:Verify.ok ?><p>Thank you: your email address is confirmed.</p>
<?cs else ?><p>This confirmation link is invalid or has expired. Sign in and change your email address on your profile to get a new one.</p>
<?cs /if ?><p class="back"><a href="<?cs var:Urls.home ?>">Go to the home page</a></p>
</section>
<?cs /def ?><?cs
include:"layout/base.cs" ?>
