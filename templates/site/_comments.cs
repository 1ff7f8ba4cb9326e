<?cs
# The comments under an article, and the form to leave one. Included by
# site/article_show.cs inside its page_content(); filled by
# comment_section() (app/site/comment.c). Works without JavaScript: Reply
# is a link (?replytocom=ID#respond), moderation buttons are POST forms.
#
# Reads: Comments.count (approved comments, for the heading),
#        Comments.moderate (1: the visitor may moderate),
#        Comments.list.N: the top-level comments, oldest first, each with
#          .id, .author, .website (absent: the name is not a link),
#          .date, .date_iso,
#          .body_html (trusted: markdown_comment()'s own safe HTML, links
#            rel="nofollow ugc"; for a held comment, with no link at all),
#          .is_pending (1: not approved), .is_mine (1: held, and this
#            browser's own), .reply_url (absent: no Reply link),
#          staff only: .moderate_url, .status, .held_by (why it is held,
#            in words),
#          .replies.M (its replies, with the same fields, nested);
#        CommentForm.closed (1: "Comments are closed.", no form),
#        CommentForm.login_required (1: guests may not comment) with
#          CommentForm.login_url,
#        CommentForm.action, .csrf_token, .is_guest (1) or .is_user (1,
#          with .user_name and .profile_url),
#        CommentForm.values.name, .email, .website, .body, .parent,
#          .remember (1: ticked), .notify (1: ticked),
#        CommentForm.errors.name, .email, .website, .body (beside each
#          field), CommentForm.error (about the whole form),
#          CommentForm.has_errors (1 when any field has an error),
#        CommentForm.reply_to (the name replied to), .reply_anchor,
#          .cancel_url;
#        CSRF.token (the moderation buttons; set for logged-in users).
# Without any CommentForm.* (comment_section() not called) there is no
# "Leave a reply" section at all. The email is never shown. Field names
# are contracts: name, email, website, body, parent, remember, notify,
# csrf_token; "subject" is the honeypot (COMMENT_HONEYPOT), hidden by CSS
# and from assistive technology.
?><?cs
def:comment_field_error(id, error) ?><?cs if:string.length(error) ?><p class="field__error" id="<?cs var:id ?>-error"><span class="visually-hidden">Error: </span><?cs var:error ?></p>
<?cs /if ?><?cs /def ?><?cs
def:comment_field_attrs(id, help, error) ?> id="<?cs var:id ?>"<?cs
if:help || string.length(error) ?> aria-describedby="<?cs
if:help ?><?cs var:id ?>-help<?cs /if ?><?cs
if:help && string.length(error) ?> <?cs /if ?><?cs
if:string.length(error) ?><?cs var:id ?>-error<?cs /if ?>"<?cs /if ?><?cs
if:string.length(error) ?> aria-invalid="true"<?cs /if ?><?cs /def ?><?cs
def:comment_items(list) ?><?cs each:c = list ?>
<li class="comment<?cs if:c.is_pending ?> comment--pending<?cs /if ?>">
<article id="comment-<?cs var:c.id ?>" class="comment__body">
<footer class="comment__meta">
<span class="comment__author"><?cs if:string.length(c.website) ?><a href="<?cs var:c.website ?>" rel="nofollow ugc"><?cs var:c.author ?></a><?cs else ?><?cs var:c.author ?><?cs /if ?></span>
<a class="comment__permalink" href="#comment-<?cs var:c.id ?>"><time datetime="<?cs var:c.date_iso ?>"><?cs var:c.date ?></time></a>
</footer>
<?cs if:c.is_mine ?><p class="comment__awaiting">Your comment is awaiting moderation.</p>
<?cs elif:c.is_pending ?><p class="comment__awaiting">Awaiting moderation<?cs if:string.length(c.held_by) ?>: <?cs var:c.held_by ?><?cs /if ?>.</p>
<?cs /if ?><div class="comment__content prose">
<?cs escape: "none" ?><?cs var:c.body_html ?><?cs /escape ?>
</div>
<?cs if:string.length(c.reply_url) ?><p class="comment__reply"><a href="<?cs var:c.reply_url ?>" aria-label="Reply to <?cs var:c.author ?>">Reply</a></p>
<?cs /if ?><?cs if:string.length(c.moderate_url) ?><form class="comment__moderate" method="post" action="<?cs var:c.moderate_url ?>">
<input type="hidden" name="csrf_token" value="<?cs var:CSRF.token ?>">
<?cs if:c.status != "approved" ?><button type="submit" name="action" value="approve" class="button button--small">Approve<span class="visually-hidden"> the comment by <?cs var:c.author ?></span></button>
<?cs /if ?><button type="submit" name="action" value="spam" class="button button--small button--secondary">Spam<span class="visually-hidden"> the comment by <?cs var:c.author ?></span></button>
<button type="submit" name="action" value="trash" class="button button--small button--danger">Trash<span class="visually-hidden"> the comment by <?cs var:c.author ?></span></button>
</form>
<?cs /if ?></article>
<?cs if:subcount(c.replies) ?><ol class="comment-list comment-list--replies"><?cs call:comment_items(c.replies) ?></ol>
<?cs /if ?></li><?cs /each ?><?cs /def ?>
<section class="comments" id="comments" aria-labelledby="comments-title">
<h2 id="comments-title"><?cs if:Comments.count == 0 ?>No comments yet<?cs
elif:Comments.count == 1 ?>One comment<?cs
else ?><?cs var:Comments.count ?> Comments<?cs /if ?></h2>
<?cs if:subcount(Comments.list) ?><ol class="comment-list"><?cs call:comment_items(Comments.list) ?></ol>
<?cs /if ?></section>
<?cs if:CommentForm.closed || CommentForm.login_required || string.length(CommentForm.action) ?><section class="respond" id="respond" aria-labelledby="respond-title">
<h2 id="respond-title">Leave a reply</h2>
<?cs if:CommentForm.closed ?><p class="respond__closed">Comments are closed.</p>
<?cs elif:CommentForm.login_required ?><p class="respond__login"><a href="<?cs var:CommentForm.login_url ?>">Log in to leave a comment</a></p>
<?cs else ?><?cs
if:string.length(CommentForm.reply_to) ?><p class="respond__replying">Replying to <a href="<?cs var:CommentForm.reply_anchor ?>"><?cs var:CommentForm.reply_to ?></a> — <a href="<?cs var:CommentForm.cancel_url ?>">Cancel reply</a></p>
<?cs /if ?><form class="form comment-form" method="post" action="<?cs var:CommentForm.action ?>">
<input type="hidden" name="csrf_token" value="<?cs var:CommentForm.csrf_token ?>">
<?cs if:string.length(CommentForm.values.parent) ?><input type="hidden" name="parent" value="<?cs var:CommentForm.values.parent ?>">
<?cs /if ?><?cs if:string.length(CommentForm.error) || CommentForm.has_errors ?><div class="form-summary" role="alert">
<?cs if:string.length(CommentForm.error) ?><p><?cs var:CommentForm.error ?></p>
<?cs /if ?><?cs if:CommentForm.has_errors ?><p>Please correct the errors below.</p>
<ul class="form-summary__list">
<?cs if:string.length(CommentForm.errors.body) ?><li><a href="#comment-form-body">Comment: <?cs var:CommentForm.errors.body ?></a></li>
<?cs /if ?><?cs if:string.length(CommentForm.errors.name) ?><li><a href="#comment-form-name">Name: <?cs var:CommentForm.errors.name ?></a></li>
<?cs /if ?><?cs if:string.length(CommentForm.errors.email) ?><li><a href="#comment-form-email">Email: <?cs var:CommentForm.errors.email ?></a></li>
<?cs /if ?><?cs if:string.length(CommentForm.errors.website) ?><li><a href="#comment-form-website">Website: <?cs var:CommentForm.errors.website ?></a></li>
<?cs /if ?></ul>
<?cs /if ?></div>
<?cs /if ?><?cs if:CommentForm.is_user ?><p class="respond__note">Logged in as <a href="<?cs var:CommentForm.profile_url ?>"><?cs var:CommentForm.user_name ?></a>. Required fields are marked *</p>
<?cs else ?><p class="respond__note">Your email address will not be published. Required fields are marked *</p>
<?cs /if ?><div class="field">
<label for="comment-form-body">Comment <span class="field__required">*</span></label>
<p class="field__help" id="comment-form-body-help">Markdown works: *emphasis*, **strong**, `code`, [a link](https://example.com), lists and quotes.</p>
<?cs call:comment_field_error("comment-form-body", CommentForm.errors.body) ?><textarea name="body" rows="8" cols="45" maxlength="10000" required<?cs
call:comment_field_attrs("comment-form-body", 1, CommentForm.errors.body) ?>><?cs var:CommentForm.values.body ?></textarea>
</div>
<?cs if:CommentForm.is_guest ?><div class="field">
<label for="comment-form-name">Name <span class="field__required">*</span></label>
<?cs call:comment_field_error("comment-form-name", CommentForm.errors.name) ?><input type="text" name="name" value="<?cs var:CommentForm.values.name ?>" maxlength="100" autocomplete="name" required<?cs
call:comment_field_attrs("comment-form-name", 0, CommentForm.errors.name) ?>>
</div>
<div class="field">
<label for="comment-form-email">Email <span class="field__required">*</span></label>
<?cs call:comment_field_error("comment-form-email", CommentForm.errors.email) ?><input type="email" name="email" value="<?cs var:CommentForm.values.email ?>" maxlength="254" autocomplete="email" spellcheck="false" required<?cs
call:comment_field_attrs("comment-form-email", 0, CommentForm.errors.email) ?>>
</div>
<div class="field">
<label for="comment-form-website">Website</label>
<?cs call:comment_field_error("comment-form-website", CommentForm.errors.website) ?><input type="url" name="website" value="<?cs var:CommentForm.values.website ?>" maxlength="200" autocomplete="url" spellcheck="false"<?cs
call:comment_field_attrs("comment-form-website", 0, CommentForm.errors.website) ?>>
</div>
<div class="comment-form__hp" aria-hidden="true">
<label for="comment-form-subject">Leave this field empty</label>
<input type="text" name="subject" id="comment-form-subject" value="" tabindex="-1" autocomplete="off">
</div>
<div class="field field--checkbox">
<input type="checkbox" name="remember" id="comment-form-remember" value="1"<?cs if:CommentForm.values.remember ?> checked<?cs /if ?>>
<label for="comment-form-remember">Save my name, email, and website in this browser for the next time I comment.</label>
</div>
<?cs /if ?><div class="field field--checkbox">
<input type="checkbox" name="notify" id="comment-form-notify" value="1"<?cs if:CommentForm.values.notify ?> checked<?cs /if ?>>
<label for="comment-form-notify">Notify me of replies by email</label>
</div>
<div class="form-actions">
<button type="submit" class="button">Post comment</button>
</div>
</form>
<?cs /if ?></section>
<?cs /if ?>
