-- What the media pipeline derives from an original upload. The original
-- object (object_key) is never changed; derived objects live beside it.
ALTER TABLE recordings ADD COLUMN media_key TEXT NOT NULL DEFAULT '';
ALTER TABLE recordings ADD COLUMN thumb_key TEXT NOT NULL DEFAULT '';
ALTER TABLE recordings ADD COLUMN poster_key TEXT NOT NULL DEFAULT '';
ALTER TABLE recordings ADD COLUMN strip_key TEXT NOT NULL DEFAULT '';
ALTER TABLE recordings ADD COLUMN container TEXT NOT NULL DEFAULT '';
-- A snapshot folded into the clip of the same event (Dahua sends both) names
-- that clip here; lists show the clip only.
ALTER TABLE recordings ADD COLUMN parent_id TEXT NOT NULL DEFAULT '';
CREATE INDEX recordings_parent ON recordings(parent_id);

-- What was detected in a recording: by the recorder itself (its event type),
-- by a model, or by a rule over model outputs (HOLO4).
CREATE TABLE detections (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL,
    recording_id TEXT NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
    source       TEXT NOT NULL,
    type         TEXT NOT NULL,
    label        TEXT NOT NULL DEFAULT '',
    score        REAL NOT NULL DEFAULT 0,
    box_x        REAL NOT NULL DEFAULT 0,
    box_y        REAL NOT NULL DEFAULT 0,
    box_w        REAL NOT NULL DEFAULT 0,
    box_h        REAL NOT NULL DEFAULT 0,
    start_ms     BIGINT NOT NULL DEFAULT 0,
    end_ms       BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX detections_recording ON detections(recording_id, type);
