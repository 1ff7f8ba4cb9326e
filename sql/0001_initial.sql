-- 0001_initial: articles, the first table.
-- Times are Unix seconds (UTC).  An article is public when its status is
-- 'published' and published_at has passed: the condition is evaluated at
-- read time, so scheduled articles appear by themselves.

CREATE TABLE articles (
	id		INTEGER PRIMARY KEY,
	slug		TEXT NOT NULL UNIQUE
			    CHECK (length(slug) BETWEEN 1 AND 200),
	title		TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
	excerpt		TEXT NOT NULL DEFAULT '',
	body		TEXT NOT NULL DEFAULT '',	-- Markdown source
	body_html	TEXT NOT NULL DEFAULT '',	-- rendered, safe HTML
	status		TEXT NOT NULL DEFAULT 'draft'
			    CHECK (status IN ('draft', 'scheduled', 'published',
			    'trash')),
	published_at	INTEGER,
	created_at	INTEGER NOT NULL,
	updated_at	INTEGER NOT NULL
);

-- Keyset pagination of the public list: newest first, id breaks ties.
CREATE INDEX articles_public ON articles (status, published_at DESC, id DESC);
