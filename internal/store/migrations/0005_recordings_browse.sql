-- Browsing recordings (client guide §2: site, cameras, period, detection
-- types; docs/BENCHMARKS.md has the figures). Both indexes cover every
-- column the filters read (camera restrictions, folded snapshots, the id
-- the detection probe joins on), so counting a day's recordings reads the
-- index alone.
--
-- By site and chosen cameras: one seek per camera. Without it SQLite walks
-- every camera of the site, and the month calendar reads thousands of rows
-- instead of a few per day.
CREATE INDEX recordings_browse ON recordings(org_id, site_id, camera_id, start_ms, parent_id, id);
-- A whole site over a period, in time order (same leading columns as before).
DROP INDEX recordings_org_site_start;
CREATE INDEX recordings_org_site_start ON recordings(org_id, site_id, start_ms, camera_id, parent_id, id);
