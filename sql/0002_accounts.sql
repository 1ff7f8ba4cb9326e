-- 0002_accounts: users, groups, permissions, sessions, two-factor
-- recovery codes and login throttling.  Times are Unix seconds (UTC).

-- Usernames follow Django's rules (checked in C: at most 150 of letters,
-- digits and @.+-_) and, like emails, are unique whatever their case.
-- password holds an argon2id string; '' means no usable password.
CREATE TABLE users (
	id		INTEGER PRIMARY KEY,
	username	TEXT NOT NULL UNIQUE COLLATE NOCASE
			    CHECK (length(username) BETWEEN 1 AND 150),
	email		TEXT NOT NULL UNIQUE COLLATE NOCASE
			    CHECK (length(email) BETWEEN 3 AND 254),
	display_name	TEXT NOT NULL DEFAULT '',
	password	TEXT NOT NULL DEFAULT '',
	is_active	INTEGER NOT NULL DEFAULT 1,
	is_staff	INTEGER NOT NULL DEFAULT 0,
	is_superuser	INTEGER NOT NULL DEFAULT 0,
	date_joined	INTEGER NOT NULL,
	last_login	INTEGER,
	totp_secret	TEXT,			-- base32, set at enrolment
	totp_enabled	INTEGER NOT NULL DEFAULT 0,
	totp_last_step	INTEGER NOT NULL DEFAULT 0	-- no code twice
);

CREATE TABLE groups (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL UNIQUE COLLATE NOCASE
			    CHECK (length(name) BETWEEN 1 AND 150)
);

-- One row per model and action: "article.change".
CREATE TABLE permissions (
	id		INTEGER PRIMARY KEY,
	codename	TEXT NOT NULL UNIQUE,
	name		TEXT NOT NULL
);

CREATE TABLE group_permissions (
	group_id	INTEGER NOT NULL REFERENCES groups ON DELETE CASCADE,
	permission_id	INTEGER NOT NULL REFERENCES permissions ON DELETE CASCADE,
	PRIMARY KEY (group_id, permission_id)
) WITHOUT ROWID;

CREATE TABLE user_groups (
	user_id		INTEGER NOT NULL REFERENCES users ON DELETE CASCADE,
	group_id	INTEGER NOT NULL REFERENCES groups ON DELETE CASCADE,
	PRIMARY KEY (user_id, group_id)
) WITHOUT ROWID;

CREATE TABLE user_permissions (
	user_id		INTEGER NOT NULL REFERENCES users ON DELETE CASCADE,
	permission_id	INTEGER NOT NULL REFERENCES permissions ON DELETE CASCADE,
	PRIMARY KEY (user_id, permission_id)
) WITHOUT ROWID;

-- Server-side sessions.  The cookie holds 32 random bytes; only their
-- SHA-256 is stored, so a copy of the database opens no session.
-- mfa_pending: the password was right, the second factor is awaited.
CREATE TABLE sessions (
	id_hash		BLOB PRIMARY KEY,
	user_id		INTEGER NOT NULL REFERENCES users ON DELETE CASCADE,
	csrf_secret	TEXT NOT NULL,
	mfa_pending	INTEGER NOT NULL DEFAULT 0,
	remember	INTEGER NOT NULL DEFAULT 0,
	created_at	INTEGER NOT NULL,
	last_seen	INTEGER NOT NULL,
	expires_at	INTEGER NOT NULL,
	user_agent	TEXT NOT NULL DEFAULT '',
	ip		TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Two-factor recovery codes, stored hashed, each usable once.
CREATE TABLE recovery_codes (
	id		INTEGER PRIMARY KEY,
	user_id		INTEGER NOT NULL REFERENCES users ON DELETE CASCADE,
	code_hash	TEXT NOT NULL,
	used_at		INTEGER
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- Failure counters shared by all workers: "login:user:alice",
-- "login:addr:192.0.2.1", "reset:addr:...", "signup:addr:...".
CREATE TABLE throttle (
	key		TEXT PRIMARY KEY,
	count		INTEGER NOT NULL,
	window_start	INTEGER NOT NULL,
	blocked_until	INTEGER NOT NULL DEFAULT 0,
	strikes		INTEGER NOT NULL DEFAULT 0	-- blocks so far: the wait grows
) WITHOUT ROWID;

INSERT INTO permissions (codename, name) VALUES
	('article.view', 'Can view article'),
	('article.add', 'Can add article'),
	('article.change', 'Can change article'),
	('article.delete', 'Can delete article'),
	('article.edit_others', 'Can change and delete others'' articles'),
	('comment.view', 'Can view comment'),
	('comment.add', 'Can add comment'),
	('comment.change', 'Can change comment'),
	('comment.delete', 'Can delete comment'),
	('user.view', 'Can view user'),
	('user.add', 'Can add user'),
	('user.change', 'Can change user'),
	('user.delete', 'Can delete user'),
	('group.view', 'Can view group'),
	('group.add', 'Can add group'),
	('group.change', 'Can change group'),
	('group.delete', 'Can delete group');

-- Seeded groups.  Authors may change and delete only their own articles:
-- that object-level rule is applied in code (auth_may_change_own), and
-- article.edit_others lifts it for Editors.
INSERT INTO groups (name) VALUES ('Editors'), ('Authors'), ('Moderators');
INSERT INTO group_permissions (group_id, permission_id)
	SELECT g.id, p.id FROM groups g, permissions p
	 WHERE (g.name = 'Editors' AND (p.codename LIKE 'article.%'
	        OR p.codename LIKE 'comment.%'))
	    OR (g.name = 'Authors' AND p.codename IN ('article.view',
	        'article.add', 'article.change', 'article.delete'))
	    OR (g.name = 'Moderators' AND p.codename IN ('comment.view',
	        'comment.change'));
