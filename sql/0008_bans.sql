-- 0008_bans: commenters banned from commenting (issue 5, the moderation
-- queue).  A ban names an account (kind 'user': user_id, value keeps the
-- username as it was), an email address or an IP address; it applies
-- until expires_at (NULL: never) unless lifted first.  Lifted and expired
-- bans stay as the history.  value of an email ban is matched without
-- regard to case, as comments.author_email is.
CREATE TABLE comment_bans (
	id		INTEGER PRIMARY KEY,
	kind		TEXT NOT NULL CHECK (kind IN ('user', 'email', 'ip')),
	value		TEXT NOT NULL COLLATE NOCASE CHECK (value <> ''),
	user_id		INTEGER REFERENCES users (id) ON DELETE CASCADE,
	reason		TEXT NOT NULL DEFAULT '',
	created_at	INTEGER NOT NULL,
	created_by	INTEGER REFERENCES users (id) ON DELETE SET NULL,
	expires_at	INTEGER,			-- NULL: never
	lifted_at	INTEGER,			-- NULL: not lifted
	lifted_by	INTEGER REFERENCES users (id) ON DELETE SET NULL,
	CHECK ((kind = 'user') = (user_id IS NOT NULL))
);
-- The check at every comment posted: by address or email, and by account.
CREATE INDEX comment_bans_value ON comment_bans (kind, value);
CREATE INDEX comment_bans_user ON comment_bans (user_id);

-- "Also hide their previous comments" finds a banned address's comments.
CREATE INDEX comments_ip ON comments (ip, status);
