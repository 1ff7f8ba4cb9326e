-- 0010_dashboard: the admin dashboard counts comments per day and signups
-- per week over the last weeks only.  Without these indexes each count
-- reads the whole table; with them, only the range's index entries
-- (comments_created also covers status, so no comment row is read).
-- Articles need none: articles_kind (kind, status, publish_at) covers
-- their count.
CREATE INDEX comments_created ON comments (created_at, status);
CREATE INDEX users_date_joined ON users (date_joined);
