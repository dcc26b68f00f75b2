-- Recorders, cameras, virtual disks, recordings and recorder health (ingest).

ALTER TABLE recorders ADD COLUMN manufacturer TEXT NOT NULL DEFAULT 'other';
ALTER TABLE recorders ADD COLUMN kind TEXT NOT NULL DEFAULT 'nvr';
ALTER TABLE recorders ADD COLUMN camera_count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE recorders ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 30;
-- FTP/SFTP login: the user name in clear, the password encrypted with the
-- server key (so it can be shown again) and as a keyed hash (fast check).
ALTER TABLE recorders ADD COLUMN username TEXT NOT NULL DEFAULT '';
ALTER TABLE recorders ADD COLUMN secret_enc TEXT NOT NULL DEFAULT '';
ALTER TABLE recorders ADD COLUMN secret_mac TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX recorders_username ON recorders(username) WHERE username <> '';

CREATE TABLE cameras (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES orgs(id),
    recorder_id     TEXT NOT NULL REFERENCES recorders(id) ON DELETE CASCADE,
    number          INTEGER NOT NULL,
    name            TEXT NOT NULL,
    cloud_recording INTEGER NOT NULL DEFAULT 0,
    ai_enabled      INTEGER NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX cameras_recorder_number ON cameras(recorder_id, number);
CREATE INDEX cameras_org ON cameras(org_id, recorder_id, number);

-- Users allowed to see a camera; a camera with no row here is seen by every
-- user whose role lets them view recordings.
CREATE TABLE camera_users (
    camera_id TEXT NOT NULL REFERENCES cameras(id) ON DELETE CASCADE,
    user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (camera_id, user_id)
);

CREATE TABLE virtual_disks (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES orgs(id),
    recorder_id    TEXT REFERENCES recorders(id),
    capacity_bytes BIGINT NOT NULL,
    camera_limit   INTEGER NOT NULL,
    overwrite      INTEGER NOT NULL DEFAULT 1,
    used_bytes     BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL
);
CREATE UNIQUE INDEX virtual_disks_recorder ON virtual_disks(recorder_id) WHERE recorder_id IS NOT NULL;
CREATE INDEX virtual_disks_org ON virtual_disks(org_id);

CREATE TABLE recordings (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL,
    site_id     TEXT NOT NULL,
    recorder_id TEXT NOT NULL,
    camera_id   TEXT NOT NULL,
    disk_id     TEXT NOT NULL,
    start_ms    BIGINT NOT NULL,
    end_ms      BIGINT NOT NULL,
    timed       INTEGER NOT NULL DEFAULT 1,
    kind        TEXT NOT NULL,
    event_type  TEXT NOT NULL,
    event_code  TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    status_reason TEXT NOT NULL DEFAULT '',
    object_key  TEXT NOT NULL,
    size        BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    source_path TEXT NOT NULL,
    duration_ms BIGINT NOT NULL DEFAULT 0,
    codec       TEXT NOT NULL DEFAULT '',
    width       INTEGER NOT NULL DEFAULT 0,
    height      INTEGER NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX recordings_source ON recordings(recorder_id, source_path, sha256);
CREATE INDEX recordings_org_site_start ON recordings(org_id, site_id, start_ms);
CREATE INDEX recordings_camera_start ON recordings(camera_id, start_ms);
CREATE INDEX recordings_disk_start ON recordings(disk_id, start_ms);

CREATE TABLE recorder_health (
    recorder_id     TEXT PRIMARY KEY REFERENCES recorders(id) ON DELETE CASCADE,
    last_upload_at  BIGINT NOT NULL DEFAULT 0,
    last_login_at   BIGINT NOT NULL DEFAULT 0,
    uploads         BIGINT NOT NULL DEFAULT 0,
    failed_logins   BIGINT NOT NULL DEFAULT 0,
    refused_uploads BIGINT NOT NULL DEFAULT 0
);

-- Recent refusals and failed logins of a recorder, with their reason.
CREATE TABLE recorder_events (
    id          TEXT PRIMARY KEY,
    recorder_id TEXT NOT NULL REFERENCES recorders(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    path        TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);
CREATE INDEX recorder_events_recorder ON recorder_events(recorder_id, id);
