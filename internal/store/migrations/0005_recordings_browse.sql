-- Browsing recordings (client guide §2: site, cameras, period, detection
-- types; docs/BENCHMARKS.md has the figures).
--
-- The basic detection types of a recording as bits (motion 1, person 2,
-- vehicle 4, animal 8), kept by ReplaceDetections: the detection filter
-- reads them from the indexes below instead of probing the detections of
-- every candidate row (a camera that never sees vehicles made the month
-- calendar probe each of its recordings). Other types (HOLO4) are probed.
ALTER TABLE recordings ADD COLUMN detection_mask INTEGER NOT NULL DEFAULT 0;
UPDATE recordings SET detection_mask = (SELECT SUM(DISTINCT CASE d.type WHEN 'motion' THEN 1 WHEN 'person' THEN 2
        WHEN 'vehicle' THEN 4 WHEN 'animal' THEN 8 ELSE 0 END) FROM detections d WHERE d.recording_id = recordings.id)
    WHERE EXISTS (SELECT 1 FROM detections d WHERE d.recording_id = recordings.id);
-- Both indexes cover every column the filters read (camera restrictions,
-- folded snapshots, detection bits, the id other types are probed with), so
-- counting a day's recordings reads the index alone.
--
-- By site and chosen cameras: one seek per camera. Without it SQLite walks
-- every camera of the site, and the month calendar reads thousands of rows
-- instead of a few per day.
CREATE INDEX recordings_browse ON recordings(org_id, site_id, camera_id, start_ms, parent_id, detection_mask, id);
-- A whole site over a period, in time order (same leading columns as before).
DROP INDEX recordings_org_site_start;
CREATE INDEX recordings_org_site_start ON recordings(org_id, site_id, start_ms, camera_id, parent_id, detection_mask, id);
