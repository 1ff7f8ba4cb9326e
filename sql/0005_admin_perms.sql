-- 0005_admin_perms: for the admin (issue 5): the tag model's permissions
-- (Editors manage tags, as they do articles) and the index of its
-- unfiltered article list.

INSERT INTO permissions (codename, name) VALUES
	('tag.view', 'Can view tag'),
	('tag.add', 'Can add tag'),
	('tag.change', 'Can change tag'),
	('tag.delete', 'Can delete tag');

INSERT INTO group_permissions (group_id, permission_id)
	SELECT g.id, p.id FROM groups g, permissions p
	 WHERE g.name = 'Editors' AND p.codename LIKE 'tag.%';

-- The admin's article list, unfiltered, is newest first: this index walks
-- it by keyset with no sort however many articles there are.
CREATE INDEX articles_admin_publish ON articles (publish_at DESC, id DESC);
