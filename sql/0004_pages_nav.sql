-- 0004_pages_nav: every page's footer lists the public static pages
-- (kind 'page'); this index finds them without reading article rows.
CREATE INDEX articles_kind ON articles (kind, status, publish_at);
