-- 0003_publishing: authors, tags, static pages, slug redirects, comments,
-- full-text search, site settings and the content version that HTTP
-- caching derives its validators from.

-- The column is publish_at, as the API and the admin name it.
ALTER TABLE articles RENAME COLUMN published_at TO publish_at;

-- 'article' is listed, dated and fed; 'page' is a static page at /{slug}/.
ALTER TABLE articles ADD COLUMN kind TEXT NOT NULL DEFAULT 'article'
	CHECK (kind IN ('article', 'page'));
ALTER TABLE articles ADD COLUMN author_id INTEGER
	REFERENCES users (id) ON DELETE SET NULL;
-- 1: the excerpt is made from the body's first paragraph at each save.
ALTER TABLE articles ADD COLUMN excerpt_auto INTEGER NOT NULL DEFAULT 1;
ALTER TABLE articles ADD COLUMN comments_open INTEGER NOT NULL DEFAULT 1;
-- Approved comments only, kept by the triggers below: lists show it
-- without counting.
ALTER TABLE articles ADD COLUMN comment_count INTEGER NOT NULL DEFAULT 0;

CREATE INDEX articles_author ON articles
	(author_id, status, publish_at DESC, id DESC);

ALTER TABLE users ADD COLUMN bio TEXT NOT NULL DEFAULT '';

CREATE TABLE tags (
	id		INTEGER PRIMARY KEY,
	slug		TEXT NOT NULL UNIQUE
			    CHECK (length(slug) BETWEEN 1 AND 100),
	name		TEXT NOT NULL UNIQUE COLLATE NOCASE
			    CHECK (length(name) BETWEEN 1 AND 100),
	description	TEXT NOT NULL DEFAULT ''
);

CREATE TABLE article_tags (
	article_id	INTEGER NOT NULL REFERENCES articles (id)
			    ON DELETE CASCADE,
	tag_id		INTEGER NOT NULL REFERENCES tags (id)
			    ON DELETE CASCADE,
	PRIMARY KEY (article_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX article_tags_tag ON article_tags (tag_id, article_id);

-- Old slugs of articles whose slug changed: /articles/OLD/ answers 301.
CREATE TABLE slug_redirects (
	old_slug	TEXT PRIMARY KEY,
	article_id	INTEGER NOT NULL REFERENCES articles (id)
			    ON DELETE CASCADE,
	created_at	INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE comments (
	id		INTEGER PRIMARY KEY,
	article_id	INTEGER NOT NULL REFERENCES articles (id)
			    ON DELETE CASCADE,
	parent_id	INTEGER REFERENCES comments (id) ON DELETE CASCADE,
	depth		INTEGER NOT NULL DEFAULT 0,	-- 0: top level
	user_id		INTEGER REFERENCES users (id) ON DELETE SET NULL,
	author_name	TEXT NOT NULL CHECK (length(author_name) <= 100),
	author_email	TEXT NOT NULL DEFAULT '' COLLATE NOCASE,	-- never public
	author_url	TEXT NOT NULL DEFAULT '',
	body		TEXT NOT NULL,			-- Markdown subset
	body_html	TEXT NOT NULL,			-- rendered, safe
	status		TEXT NOT NULL DEFAULT 'pending'
			    CHECK (status IN ('pending', 'approved', 'spam',
			    'trash')),
	held_by		TEXT NOT NULL DEFAULT '',	-- the rule that decided
	ip		TEXT NOT NULL DEFAULT '',
	user_agent	TEXT NOT NULL DEFAULT '',
	created_at	INTEGER NOT NULL,
	updated_at	INTEGER NOT NULL
);
CREATE INDEX comments_article ON comments (article_id, status, id);
CREATE INDEX comments_status ON comments (status, id);
CREATE INDEX comments_email ON comments (author_email, status);
CREATE INDEX comments_user ON comments (user_id, status);
CREATE INDEX comments_parent ON comments (parent_id);

CREATE TRIGGER comments_count_ins AFTER INSERT ON comments
	WHEN new.status = 'approved'
BEGIN
	UPDATE articles SET comment_count = comment_count + 1
	 WHERE id = new.article_id;
END;
CREATE TRIGGER comments_count_del AFTER DELETE ON comments
	WHEN old.status = 'approved'
BEGIN
	UPDATE articles SET comment_count = comment_count - 1
	 WHERE id = old.article_id;
END;
CREATE TRIGGER comments_count_upd AFTER UPDATE OF status ON comments
	WHEN (old.status = 'approved') <> (new.status = 'approved')
BEGIN
	UPDATE articles SET comment_count = comment_count +
	    CASE WHEN new.status = 'approved' THEN 1 ELSE -1 END
	 WHERE id = new.article_id;
END;

-- Settings staff change at run time (the admin edits them; the file
-- configuration is for the sysadmin).  Values are text; the code that
-- reads a key knows its type and default.
CREATE TABLE settings (
	key		TEXT PRIMARY KEY,
	value		TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO settings (key, value) VALUES
	-- 'all': every comment waits; 'previously_approved': a commenter
	-- with an approved comment is trusted; 'none': rules only.
	('comment_moderation', 'previously_approved'),
	('comment_max_links', '2'),		-- hold at this many links
	('comment_hold_keys', ''),		-- one per line: hold
	('comment_spam_keys', ''),		-- one per line: spam
	('comment_max_depth', '3'),		-- reply nesting
	('comment_close_days', '0'),		-- 0: never close by age
	('comment_min_seconds', '2'),		-- form shown -> posted
	('comment_flood_limit', '5'),		-- comments per address ...
	('comment_flood_window', '60'),		-- ... in this many seconds
	('comment_guests', '1');		-- 0: log in to comment

-- One row that every change to what public pages show moves forward:
-- ETags and Last-Modified are derived from it in one cheap read.
CREATE TABLE content_version (
	id		INTEGER PRIMARY KEY CHECK (id = 1),
	n		INTEGER NOT NULL,
	changed_at	INTEGER NOT NULL
);
INSERT INTO content_version (id, n, changed_at)
	VALUES (1, 1, CAST(strftime('%s', 'now') AS INTEGER));

CREATE TRIGGER cv_articles_ins AFTER INSERT ON articles BEGIN
	UPDATE content_version SET n = n + 1,
	    changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1;
END;
CREATE TRIGGER cv_articles_upd AFTER UPDATE ON articles BEGIN
	UPDATE content_version SET n = n + 1,
	    changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1;
END;
CREATE TRIGGER cv_articles_del AFTER DELETE ON articles BEGIN
	UPDATE content_version SET n = n + 1,
	    changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1;
END;
CREATE TRIGGER cv_tags_ins AFTER INSERT ON tags BEGIN
	UPDATE content_version SET n = n + 1,
	    changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1;
END;
CREATE TRIGGER cv_tags_upd AFTER UPDATE ON tags BEGIN
	UPDATE content_version SET n = n + 1,
	    changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1;
END;
CREATE TRIGGER cv_tags_del AFTER DELETE ON tags BEGIN
	UPDATE content_version SET n = n + 1,
	    changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1;
END;
CREATE TRIGGER cv_article_tags_ins AFTER INSERT ON article_tags BEGIN
	UPDATE content_version SET n = n + 1,
	    changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1;
END;
CREATE TRIGGER cv_article_tags_del AFTER DELETE ON article_tags BEGIN
	UPDATE content_version SET n = n + 1,
	    changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1;
END;
CREATE TRIGGER cv_comments_ins AFTER INSERT ON comments BEGIN
	UPDATE content_version SET n = n + 1,
	    changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1;
END;
CREATE TRIGGER cv_comments_upd AFTER UPDATE ON comments BEGIN
	UPDATE content_version SET n = n + 1,
	    changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1;
END;
CREATE TRIGGER cv_comments_del AFTER DELETE ON comments BEGIN
	UPDATE content_version SET n = n + 1,
	    changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1;
END;
CREATE TRIGGER cv_users_upd AFTER UPDATE OF username, display_name, bio
	ON users BEGIN
	UPDATE content_version SET n = n + 1,
	    changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1;
END;
CREATE TRIGGER cv_settings_upd AFTER UPDATE ON settings BEGIN
	UPDATE content_version SET n = n + 1,
	    changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1;
END;

-- Full-text search over title, excerpt, body and tag names, rowid =
-- articles.id.  A table of its own (not external content) because the
-- tags live in another table; the triggers keep it in step with every
-- insert, update and delete of articles, their tags and tag names.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
	title, excerpt, body, tags,
	tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER fts_articles_ins AFTER INSERT ON articles BEGIN
	INSERT INTO articles_fts (rowid, title, excerpt, body, tags)
	VALUES (new.id, new.title, new.excerpt, new.body, '');
END;
CREATE TRIGGER fts_articles_upd AFTER UPDATE OF title, excerpt, body
	ON articles BEGIN
	DELETE FROM articles_fts WHERE rowid = old.id;
	INSERT INTO articles_fts (rowid, title, excerpt, body, tags)
	VALUES (new.id, new.title, new.excerpt, new.body,
	    (SELECT coalesce(group_concat(t.name, ' '), '')
	       FROM article_tags at JOIN tags t ON t.id = at.tag_id
	      WHERE at.article_id = new.id));
END;
CREATE TRIGGER fts_articles_del AFTER DELETE ON articles BEGIN
	DELETE FROM articles_fts WHERE rowid = old.id;
END;
CREATE TRIGGER fts_article_tags_ins AFTER INSERT ON article_tags BEGIN
	UPDATE articles_fts SET tags =
	    (SELECT coalesce(group_concat(t.name, ' '), '')
	       FROM article_tags at JOIN tags t ON t.id = at.tag_id
	      WHERE at.article_id = new.article_id)
	 WHERE rowid = new.article_id;
END;
CREATE TRIGGER fts_article_tags_del AFTER DELETE ON article_tags BEGIN
	UPDATE articles_fts SET tags =
	    (SELECT coalesce(group_concat(t.name, ' '), '')
	       FROM article_tags at JOIN tags t ON t.id = at.tag_id
	      WHERE at.article_id = old.article_id)
	 WHERE rowid = old.article_id;
END;
CREATE TRIGGER fts_tags_upd AFTER UPDATE OF name ON tags BEGIN
	UPDATE articles_fts SET tags =
	    (SELECT coalesce(group_concat(t.name, ' '), '')
	       FROM article_tags at JOIN tags t ON t.id = at.tag_id
	      WHERE at.article_id = articles_fts.rowid)
	 WHERE rowid IN (SELECT article_id FROM article_tags
	                  WHERE tag_id = new.id);
END;

-- Articles that exist already.
INSERT INTO articles_fts (rowid, title, excerpt, body, tags)
	SELECT id, title, excerpt, body, '' FROM articles;
