package store

import (
	"context"
	"time"

	"github.com/cam2drive/cam2drive"
)

const diskCols = `id, org_id, COALESCE(recorder_id, ''), capacity_bytes, camera_limit, overwrite, used_bytes, created_at`

func scanDisk(r row) (cam2drive.VirtualDisk, error) {
	var d cam2drive.VirtualDisk
	var overwrite int
	var c int64
	err := r.Scan(&d.ID, &d.OrgID, &d.RecorderID, &d.CapacityBytes, &d.CameraLimit, &overwrite, &d.UsedBytes, &c)
	d.Overwrite, d.CreatedAt = overwrite == 1, fromMS(c)
	return d, err
}

// CreateDisk inserts a virtual disk for a client org, attached to a recorder
// of that org when d.RecorderID is set.
func (db *DB) CreateDisk(ctx context.Context, d *cam2drive.VirtualDisk) error {
	return db.InTx(ctx, func(tx *Tx) error {
		d.ID = cam2drive.NewID()
		d.CreatedAt = time.Now().UTC()
		if _, err := tx.q.exec(ctx, `INSERT INTO virtual_disks (id, org_id, recorder_id, capacity_bytes, camera_limit, overwrite, created_at)
			VALUES (?, ?, NULL, ?, ?, ?, ?)`, d.ID, d.OrgID, d.CapacityBytes, d.CameraLimit, boolInt(d.Overwrite), ms(d.CreatedAt)); err != nil {
			return err
		}
		if d.RecorderID == "" {
			return nil
		}
		return attachDisk(ctx, tx, d.OrgID, d.ID, d.RecorderID)
	})
}

// AttachDisk attaches a disk to a recorder of the same org that has none.
func (db *DB) AttachDisk(ctx context.Context, orgID, diskID, recorderID string) error {
	return db.InTx(ctx, func(tx *Tx) error { return attachDisk(ctx, tx, orgID, diskID, recorderID) })
}

func attachDisk(ctx context.Context, tx *Tx, orgID, diskID, recorderID string) error {
	var recorders int
	if err := tx.q.queryRow(ctx, `SELECT COUNT(*) FROM recorders WHERE id = ? AND org_id = ?`, recorderID, orgID).Scan(&recorders); err != nil {
		return err
	}
	if recorders == 0 {
		return cam2drive.Invalid(map[string]string{"recorder_id": "not_found"})
	}
	var taken int
	if err := tx.q.queryRow(ctx, `SELECT COUNT(*) FROM virtual_disks WHERE recorder_id = ? AND id <> ?`, recorderID, diskID).Scan(&taken); err != nil {
		return err
	}
	if taken > 0 {
		return cam2drive.Errorf(cam2drive.CodeConflict, "recorder_has_disk")
	}
	n, err := tx.q.exec(ctx, `UPDATE virtual_disks SET recorder_id = ? WHERE id = ? AND org_id = ?`, recorderID, diskID, orgID)
	if err == nil && n == 0 {
		return cam2drive.ErrNotFound
	}
	return err
}

// DetachDisk frees a disk from its recorder; the recorder's cameras stop
// recording to the cloud.
func (db *DB) DetachDisk(ctx context.Context, orgID, diskID string) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.q.exec(ctx, `UPDATE cameras SET cloud_recording = 0 WHERE org_id = ? AND recorder_id =
			(SELECT recorder_id FROM virtual_disks WHERE id = ? AND org_id = ?)`, orgID, diskID, orgID); err != nil {
			return err
		}
		n, err := tx.q.exec(ctx, `UPDATE virtual_disks SET recorder_id = NULL WHERE id = ? AND org_id = ?`, diskID, orgID)
		if err == nil && n == 0 {
			return cam2drive.ErrNotFound
		}
		return err
	})
}

// Disk returns a virtual disk of org.
func (db *DB) Disk(ctx context.Context, orgID, id string) (cam2drive.VirtualDisk, error) {
	return scanDisk(db.read().queryRow(ctx, `SELECT `+diskCols+` FROM virtual_disks WHERE org_id = ? AND id = ?`, orgID, id))
}

// Disks lists org's virtual disks, oldest first.
func (db *DB) Disks(ctx context.Context, orgID string) ([]cam2drive.VirtualDisk, error) {
	rs, err := db.read().query(ctx, `SELECT `+diskCols+` FROM virtual_disks WHERE org_id = ? ORDER BY id`, orgID)
	return collect(rs, err, scanDisk)
}
