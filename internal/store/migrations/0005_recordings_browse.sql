-- Browsing recordings by site and chosen cameras over a period (client
-- guide §2): one seek per camera into the site's rows. Without it, SQLite
-- walks every camera of the site through recordings_org_site_start and the
-- month calendar reads thousands of rows per month instead of a few per day.
-- One more index to update per upload (see docs/BENCHMARKS.md).
CREATE INDEX recordings_browse ON recordings(org_id, site_id, camera_id, start_ms);
