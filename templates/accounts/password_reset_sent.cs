<?cs
# After asking for a password reset: the same page whether or not an
# account has that address.
#
# Reads: Urls.home.
?><?cs def:page_title() ?>Check your email<?cs /def ?><?cs
def:page_content() ?>
<section class="account">
<h1>Check your email</h1>
<p>If an account exists for the address you entered, we've emailed instructions for setting your password. You should receive them shortly. If you don't receive an email, please make sure you've entered the address you registered with, and check your spam folder.</p>
<p class="back"><a href="<?cs var:Urls.home ?>">Go to the home page</a></p>
</section>
<?cs /def ?><?cs
include:"layout/base.cs" ?>
