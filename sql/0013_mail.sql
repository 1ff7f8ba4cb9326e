-- 0013_mail: mail by the job queue (issue 6).  email_verified_at is when
-- the user clicked the link of the verification mail sent at signup
-- (signup_verify_email); NULL: not verified.  comments.notify: the
-- commenter asked for a mail when someone replies; the unsubscribe link
-- of that mail clears it for every comment of the address.
ALTER TABLE users ADD COLUMN email_verified_at INTEGER;
ALTER TABLE comments ADD COLUMN notify INTEGER NOT NULL DEFAULT 0
    CHECK (notify IN (0, 1));
