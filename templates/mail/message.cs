<?cs
# The HTML part of every mail the site sends (app/site/notify.c); the
# text part says the same.  Values are escaped like any page's.
#
# Reads: Mail.site_name, Mail.title, Mail.para.N (paragraphs, in order),
# Mail.link, Mail.link_text (a button; may be absent), Mail.after.N
# (paragraphs after the button), Mail.footer.
?><!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title><?cs var:Mail.title ?></title></head>
<body style="font-family: sans-serif; line-height: 1.5; color: #222;">
<h1 style="font-size: 1.3em;"><?cs var:Mail.title ?></h1>
<?cs each:p = Mail.para ?><p><?cs var:p ?></p>
<?cs /each ?><?cs if:Mail.link ?><p><a href="<?cs var:Mail.link ?>"><?cs var:Mail.link_text ?></a></p>
<p style="font-size: 0.9em; color: #555;"><?cs var:Mail.link ?></p>
<?cs /if ?><?cs each:p = Mail.after ?><p><?cs var:p ?></p>
<?cs /each ?><p style="font-size: 0.9em; color: #555;"><?cs var:Mail.footer ?></p>
</body>
</html>
