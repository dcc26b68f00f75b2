package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cam2drive/cam2drive"
)

const recorderCols = `r.id, r.org_id, r.site_id, s.name, r.name, r.manufacturer, r.kind, r.camera_count, r.retention_days,
	r.username, r.secret_enc, r.secret_mac, COALESCE(d.id, ''), r.created_at`

const recorderFrom = ` FROM recorders r JOIN sites s ON s.id = r.site_id LEFT JOIN virtual_disks d ON d.recorder_id = r.id`

func scanRecorder(r row) (cam2drive.Recorder, error) {
	var rec cam2drive.Recorder
	var c int64
	err := r.Scan(&rec.ID, &rec.OrgID, &rec.SiteID, &rec.SiteName, &rec.Name, &rec.Manufacturer, &rec.Kind, &rec.CameraCount,
		&rec.RetentionDays, &rec.Username, &rec.SecretEnc, &rec.SecretMAC, &rec.DiskID, &c)
	rec.CreatedAt = fromMS(c)
	return rec, err
}

// AddRecorder inserts a recorder on a site of its org, with its channels
// CH_1…CH_n and an empty health record.
func (db *DB) AddRecorder(ctx context.Context, rec *cam2drive.Recorder) error {
	return db.InTx(ctx, func(tx *Tx) error {
		rec.ID = cam2drive.NewID()
		rec.CreatedAt = time.Now().UTC()
		n, err := tx.q.exec(ctx, `INSERT INTO recorders (id, org_id, site_id, name, manufacturer, kind, camera_count, retention_days,
			username, secret_enc, secret_mac, created_at)
			SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM sites WHERE id = ? AND org_id = ?)`,
			rec.ID, rec.OrgID, rec.SiteID, rec.Name, rec.Manufacturer, rec.Kind, rec.CameraCount, rec.RetentionDays,
			rec.Username, rec.SecretEnc, rec.SecretMAC, ms(rec.CreatedAt), rec.SiteID, rec.OrgID)
		if err != nil {
			return err
		}
		if n == 0 {
			return cam2drive.Invalid(map[string]string{"site_id": "not_found"})
		}
		if _, err := tx.q.exec(ctx, `INSERT INTO recorder_health (recorder_id) VALUES (?)`, rec.ID); err != nil {
			return err
		}
		return addCameras(ctx, tx, rec, 1, rec.CameraCount)
	})
}

func addCameras(ctx context.Context, tx *Tx, rec *cam2drive.Recorder, from, to int) error {
	now := time.Now().UnixMilli()
	for i := from; i <= to; i++ {
		_, err := tx.q.exec(ctx, `INSERT INTO cameras (id, org_id, recorder_id, number, name, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			cam2drive.NewID(), rec.OrgID, rec.ID, i, fmt.Sprintf("CH_%d", i), now)
		if err != nil {
			return fmt.Errorf("camera %d: %w", i, err)
		}
	}
	return nil
}

// Recorder returns a recorder of org.
func (db *DB) Recorder(ctx context.Context, orgID, id string) (cam2drive.Recorder, error) {
	return scanRecorder(db.read().queryRow(ctx, `SELECT `+recorderCols+recorderFrom+` WHERE r.org_id = ? AND r.id = ?`, orgID, id))
}

// RecorderByUsername finds the recorder that logs in with this user name.
func (db *DB) RecorderByUsername(ctx context.Context, username string) (cam2drive.Recorder, error) {
	if username == "" {
		return cam2drive.Recorder{}, cam2drive.ErrNotFound
	}
	return scanRecorder(db.read().queryRow(ctx, `SELECT `+recorderCols+recorderFrom+` WHERE r.username = ?`, username))
}

// RecorderFilter narrows Recorders.
type RecorderFilter struct {
	SiteID, Query string
}

// Recorders lists org's recorders by name.
func (db *DB) Recorders(ctx context.Context, orgID string, f RecorderFilter, p cam2drive.Page) ([]cam2drive.Recorder, int, error) {
	where, args := []string{"r.org_id = ?"}, []any{orgID}
	if f.SiteID != "" {
		where = append(where, "r.site_id = ?")
		args = append(args, f.SiteID)
	}
	if f.Query != "" {
		where = append(where, `LOWER(r.name) LIKE ? ESCAPE '\'`)
		args = append(args, likePattern(f.Query))
	}
	cond := strings.Join(where, " AND ")
	return countedPage(ctx, db.read(), `SELECT COUNT(*) FROM recorders r WHERE `+cond,
		`SELECT `+recorderCols+recorderFrom+` WHERE `+cond+` ORDER BY LOWER(r.name), r.id`, args, p, scanRecorder)
}

// UpdateRecorder saves the editable details. Raising the camera count adds
// channels; lowering it removes the highest ones, unless they hold recordings.
func (db *DB) UpdateRecorder(ctx context.Context, rec cam2drive.Recorder) error {
	return db.InTx(ctx, func(tx *Tx) error {
		var old int
		if err := tx.q.queryRow(ctx, `SELECT camera_count FROM recorders WHERE org_id = ? AND id = ?`, rec.OrgID, rec.ID).Scan(&old); err != nil {
			return err
		}
		var siteOK int
		if err := tx.q.queryRow(ctx, `SELECT COUNT(*) FROM sites WHERE id = ? AND org_id = ?`, rec.SiteID, rec.OrgID).Scan(&siteOK); err != nil {
			return err
		}
		if siteOK == 0 {
			return cam2drive.Invalid(map[string]string{"site_id": "not_found"})
		}
		if _, err := tx.q.exec(ctx, `UPDATE recorders SET site_id = ?, name = ?, manufacturer = ?, kind = ?, camera_count = ?, retention_days = ?
			WHERE org_id = ? AND id = ?`, rec.SiteID, rec.Name, rec.Manufacturer, rec.Kind, rec.CameraCount, rec.RetentionDays, rec.OrgID, rec.ID); err != nil {
			return err
		}
		if rec.CameraCount > old {
			return addCameras(ctx, tx, &rec, old+1, rec.CameraCount)
		}
		return removeCameras(ctx, tx, rec, rec.CameraCount)
	})
}

func removeCameras(ctx context.Context, tx *Tx, rec cam2drive.Recorder, keep int) error {
	var used int
	err := tx.q.queryRow(ctx, `SELECT COUNT(*) FROM recordings WHERE recorder_id = ? AND camera_id IN
		(SELECT id FROM cameras WHERE recorder_id = ? AND number > ?)`, rec.ID, rec.ID, keep).Scan(&used)
	if err != nil {
		return err
	}
	if used > 0 {
		return cam2drive.Errorf(cam2drive.CodeConflict, "camera_has_recordings")
	}
	_, err = tx.q.exec(ctx, `DELETE FROM cameras WHERE recorder_id = ? AND number > ?`, rec.ID, keep)
	return err
}

// SetRecorderCredentials stores a recorder's login.
func (db *DB) SetRecorderCredentials(ctx context.Context, orgID, id, username, enc, mac string) error {
	n, err := db.write().exec(ctx, `UPDATE recorders SET username = ?, secret_enc = ?, secret_mac = ? WHERE org_id = ? AND id = ?`,
		username, enc, mac, orgID, id)
	if err == nil && n == 0 {
		return cam2drive.ErrNotFound
	}
	return err
}

// DeleteRecorder removes a recorder without a virtual disk (otherwise
// "recorder_has_disk"), with its cameras and its recordings, whose space is
// given back to the disks that held them. The recordings are returned so the
// caller deletes their objects after the commit.
func (db *DB) DeleteRecorder(ctx context.Context, orgID, id string) ([]cam2drive.Recording, error) {
	var gone []cam2drive.Recording
	err := db.InTx(ctx, func(tx *Tx) error {
		var disks int
		if err := tx.q.queryRow(ctx, `SELECT COUNT(*) FROM virtual_disks d JOIN recorders r ON r.id = d.recorder_id
			WHERE r.id = ? AND r.org_id = ?`, id, orgID).Scan(&disks); err != nil {
			return err
		}
		if disks > 0 {
			return cam2drive.Errorf(cam2drive.CodeConflict, "recorder_has_disk")
		}
		var err error
		if gone, err = tx.dropRecordings(ctx, orgID, id); err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM camera_users WHERE camera_id IN (SELECT id FROM cameras WHERE recorder_id = ? AND org_id = ?)`,
			`DELETE FROM cameras WHERE recorder_id = ? AND org_id = ?`,
			`DELETE FROM recorder_health WHERE recorder_id IN (SELECT id FROM recorders WHERE id = ? AND org_id = ?)`,
			`DELETE FROM recorder_events WHERE recorder_id IN (SELECT id FROM recorders WHERE id = ? AND org_id = ?)`,
		} {
			if _, err := tx.q.exec(ctx, q, id, orgID); err != nil {
				return err
			}
		}
		n, err := tx.q.exec(ctx, `DELETE FROM recorders WHERE id = ? AND org_id = ?`, id, orgID)
		if err == nil && n == 0 {
			return cam2drive.ErrNotFound
		}
		return err
	})
	return gone, err
}

// dropRecordings removes a recorder's recordings from the index and their
// size from their disks.
func (tx *Tx) dropRecordings(ctx context.Context, orgID, recorderID string) ([]cam2drive.Recording, error) {
	rs, err := tx.q.query(ctx, `SELECT `+recordingCols+` FROM recordings WHERE org_id = ? AND recorder_id = ?`, orgID, recorderID)
	if err != nil {
		return nil, err
	}
	var out []cam2drive.Recording
	for rs.Next() {
		r, err := scanRecording(rs)
		if err != nil {
			rs.Close()
			return nil, err
		}
		out = append(out, r)
	}
	rs.Close()
	for _, r := range out {
		if err := tx.deleteRecording(ctx, r); err != nil {
			return nil, err
		}
		if _, err := tx.q.exec(ctx, `UPDATE virtual_disks SET used_bytes = used_bytes - ? WHERE id = ?`, r.Size, r.DiskID); err != nil {
			return nil, err
		}
	}
	return out, nil
}
