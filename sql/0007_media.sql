-- 0007_media: the admin's media library (issue 5).  One row per image
-- uploaded: file is the name under the media directory (random, with the
-- extension of the type found in its content), served by nginx at
-- /media/FILE; original_name is what the uploader's browser called it,
-- for display only.  width and height are NULL when not read.  Rows are
-- listed newest first by id (keyset), which the primary key serves.
CREATE TABLE media (
	id		INTEGER PRIMARY KEY,
	file		TEXT NOT NULL UNIQUE
			    CHECK (length(file) BETWEEN 1 AND 64),
	original_name	TEXT NOT NULL DEFAULT '',
	mime		TEXT NOT NULL CHECK (mime IN ('image/png', 'image/jpeg',
			    'image/gif', 'image/webp')),
	bytes		INTEGER NOT NULL CHECK (bytes >= 0),
	width		INTEGER,
	height		INTEGER,
	alt		TEXT NOT NULL DEFAULT '',
	uploaded_by	INTEGER REFERENCES users (id) ON DELETE SET NULL,
	created_at	INTEGER NOT NULL
);
CREATE INDEX media_uploaded_by ON media (uploaded_by);
