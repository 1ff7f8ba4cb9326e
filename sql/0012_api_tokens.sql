-- 0012_api_tokens: API tokens (issue 6).  A token is "gz_" and 43
-- base64url characters (32 random bytes), shown once; only its keyed
-- BLAKE2b hash (auth_mac_hex, the site secret) is stored, so a copy of
-- the database does not give anyone access.  prefix is the token's first
-- characters for people to tell their tokens apart.  scopes is 'read' or
-- 'read,write'.  Times are Unix seconds; NULL: never.
CREATE TABLE api_tokens (
	id		INTEGER PRIMARY KEY,
	user_id		INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name		TEXT NOT NULL DEFAULT ''
			    CHECK (length(name) <= 100),
	prefix		TEXT NOT NULL,
	hash		TEXT NOT NULL UNIQUE,
	scopes		TEXT NOT NULL CHECK (scopes IN ('read', 'read,write')),
	created_at	INTEGER NOT NULL,
	expires_at	INTEGER,
	last_used_at	INTEGER,
	revoked_at	INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);
