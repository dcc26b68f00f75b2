package store

import (
	"context"
	"strings"
	"time"

	"github.com/cam2drive/cam2drive"
)

// The write side of recordings: indexing an upload, making room on a disk,
// purging, and recording what processing found.

// RecordingBySource finds an already indexed upload of the same path and
// bytes (a read outside any transaction; indexing checks again in its own).
func (db *DB) RecordingBySource(ctx context.Context, recorderID, sourcePath, sha string) (cam2drive.Recording, error) {
	return scanRecording(db.read().queryRow(ctx, `SELECT `+recordingCols+` FROM recordings WHERE recorder_id = ? AND source_path = ? AND sha256 = ?`,
		recorderID, sourcePath, sha))
}

// RecordingBySource finds an already indexed upload of the same path and bytes.
func (tx *Tx) RecordingBySource(ctx context.Context, recorderID, sourcePath, sha string) (cam2drive.Recording, error) {
	return scanRecording(tx.q.queryRow(ctx, `SELECT `+recordingCols+` FROM recordings WHERE recorder_id = ? AND source_path = ? AND sha256 = ?`,
		recorderID, sourcePath, sha))
}

// ReserveSpace makes room for size bytes on a disk. When the disk is full
// and overwrites, the oldest recordings are removed from the index first
// (like an NVR) and returned, so the caller deletes their objects after
// commit; otherwise the quota error "disk_full".
func (tx *Tx) ReserveSpace(ctx context.Context, diskID string, size int64) ([]cam2drive.Recording, error) {
	lock := ""
	if tx.db.dialect == Postgres {
		lock = " FOR UPDATE"
	}
	var capacity, used int64
	var overwrite int
	if err := tx.q.queryRow(ctx, `SELECT capacity_bytes, used_bytes, overwrite FROM virtual_disks WHERE id = ?`+lock, diskID).
		Scan(&capacity, &used, &overwrite); err != nil {
		return nil, err
	}
	if size > capacity {
		return nil, cam2drive.Errorf(cam2drive.CodeQuota, "file_too_large")
	}
	var evicted []cam2drive.Recording
	for used+size > capacity {
		if overwrite == 0 {
			return nil, cam2drive.Errorf(cam2drive.CodeQuota, "disk_full")
		}
		batch, err := tx.oldest(ctx, diskID, 64)
		if err != nil {
			return nil, err
		}
		if len(batch) == 0 {
			used = 0 // the counter says full but nothing is left: trust the index
			continue
		}
		for _, r := range batch {
			if used+size <= capacity {
				break
			}
			if err := tx.deleteRecording(ctx, r); err != nil {
				return nil, err
			}
			used -= r.Size
			evicted = append(evicted, r)
		}
	}
	_, err := tx.q.exec(ctx, `UPDATE virtual_disks SET used_bytes = ? WHERE id = ?`, used+size, diskID)
	return evicted, err
}

func (tx *Tx) oldest(ctx context.Context, diskID string, n int) ([]cam2drive.Recording, error) {
	rs, err := tx.q.query(ctx, `SELECT `+recordingCols+` FROM recordings WHERE disk_id = ? ORDER BY start_ms, id LIMIT ?`, diskID, n)
	return collect(rs, err, scanRecording)
}

// deleteRecording removes one recording from the index; snapshots folded
// into a deleted clip become events of their own again.
func (tx *Tx) deleteRecording(ctx context.Context, r cam2drive.Recording) error {
	if _, err := tx.q.exec(ctx, `DELETE FROM recordings WHERE id = ?`, r.ID); err != nil || r.Kind != "clip" {
		return err
	}
	_, err := tx.q.exec(ctx, `UPDATE recordings SET parent_id = '' WHERE parent_id = ?`, r.ID)
	return err
}

// InsertRecording indexes an upload whose object is already durable.
func (tx *Tx) InsertRecording(ctx context.Context, r *cam2drive.Recording) error {
	if r.ID == "" {
		r.ID = cam2drive.NewID()
	}
	r.CreatedAt = time.Now().UTC()
	_, err := tx.q.exec(ctx, `INSERT INTO recordings (`+recordingCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.OrgID, r.SiteID, r.RecorderID, r.CameraID, r.DiskID, ms(r.Start), ms(r.End), boolInt(r.Timed), r.Kind, r.EventType,
		r.EventCode, r.Status, r.StatusReason, r.ObjectKey, r.Size, r.SHA256, r.SourcePath, r.Duration.Milliseconds(), r.Codec,
		r.Width, r.Height, r.Container, r.MediaKey, r.ThumbKey, r.PosterKey, r.StripKey, r.ParentID, ms(r.CreatedAt))
	return err
}

// PurgeExpired removes from the index up to limit recordings older than
// their recorder's retention, freeing their disk space, and returns them so
// the caller deletes their objects.
func (db *DB) PurgeExpired(ctx context.Context, now time.Time, limit int) ([]cam2drive.Recording, error) {
	var out []cam2drive.Recording
	err := db.InTx(ctx, func(tx *Tx) error {
		rs, err := tx.q.query(ctx, `SELECT `+prefixCols("x.", recordingCols)+` FROM recordings x JOIN recorders r ON r.id = x.recorder_id
			WHERE r.retention_days > 0 AND x.start_ms < ? - r.retention_days * 86400000 ORDER BY x.start_ms LIMIT ?`, ms(now), limit)
		if err != nil {
			return err
		}
		for rs.Next() {
			r, err := scanRecording(rs)
			if err != nil {
				rs.Close()
				return err
			}
			out = append(out, r)
		}
		rs.Close()
		for _, r := range out {
			if err := tx.deleteRecording(ctx, r); err != nil {
				return err
			}
			if _, err := tx.q.exec(ctx, `UPDATE virtual_disks SET used_bytes = used_bytes - ? WHERE id = ?`, r.Size, r.DiskID); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

func prefixCols(prefix, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = prefix + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// SetRecordingMedia records what processing found: the media's properties,
// the derived objects and the status ("ready", or "failed" with a reason).
func (db *DB) SetRecordingMedia(ctx context.Context, r cam2drive.Recording) error {
	return setRecordingMedia(ctx, db.write(), r)
}

func setRecordingMedia(ctx context.Context, w q, r cam2drive.Recording) error {
	n, err := w.exec(ctx, `UPDATE recordings SET status = ?, status_reason = ?, duration_ms = ?, codec = ?, width = ?, height = ?,
		container = ?, media_key = ?, thumb_key = ?, poster_key = ?, strip_key = ?
		WHERE org_id = ? AND id = ?`, r.Status, r.StatusReason, r.Duration.Milliseconds(), r.Codec, r.Width, r.Height,
		r.Container, r.MediaKey, r.ThumbKey, r.PosterKey, r.StripKey, r.OrgID, r.ID)
	if err == nil && n == 0 {
		return cam2drive.ErrNotFound
	}
	return err
}
