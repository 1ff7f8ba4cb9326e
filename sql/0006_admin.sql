-- 0006_admin: the admin's history log.  One row per add, change, delete,
-- trash, restore or revert done through the admin, written in the same
-- transaction as the change.  changes is a JSON array of {field, label,
-- old, new}; snapshot a JSON object of every field after the action (what
-- "revert to this version" restores).  object_repr keeps the object's
-- name for rows since deleted.
CREATE TABLE admin_log (
	id		INTEGER PRIMARY KEY,
	action_time	INTEGER NOT NULL,
	user_id		INTEGER REFERENCES users (id) ON DELETE SET NULL,
	username	TEXT NOT NULL DEFAULT '',	-- as it was then
	model		TEXT NOT NULL,
	object_id	INTEGER NOT NULL,
	object_repr	TEXT NOT NULL DEFAULT '',
	action		TEXT NOT NULL CHECK (action IN ('add', 'change',
			    'delete', 'trash', 'restore', 'revert')),
	changes		TEXT,		-- JSON array, NULL: none recorded
	snapshot	TEXT		-- JSON object, NULL: none
);
CREATE INDEX admin_log_object ON admin_log (model, object_id, id);
CREATE INDEX admin_log_user ON admin_log (user_id, id);
