-- 0009_settings: the admin's "Site settings" page (issue 5).  Who may
-- change them, and the content version moving when a setting is first
-- saved or removed (0003 only moved it on an update), so pages cached
-- under the old version (the site's name is on every page) are not
-- served again.
--
-- The keys site_name, site_description, signup and require_2fa_staff
-- get no rows here: an absent row means the configuration file's value,
-- so a site keeps behaving as its file says until staff save another
-- value in the admin.

INSERT INTO permissions (codename, name) VALUES
	('settings.change', 'Can change site settings');

CREATE TRIGGER cv_settings_ins AFTER INSERT ON settings BEGIN
	UPDATE content_version SET n = n + 1,
	    changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1;
END;
CREATE TRIGGER cv_settings_del AFTER DELETE ON settings BEGIN
	UPDATE content_version SET n = n + 1,
	    changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1;
END;
