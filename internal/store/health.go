package store

import (
	"context"
	"time"

	"github.com/cam2drive/cam2drive"
)

// recentEvents is how many failed logins and refusals a recorder keeps.
const recentEvents = 50

// RecordLogin notes a recorder's successful login.
func (db *DB) RecordLogin(ctx context.Context, recorderID string, at time.Time) error {
	_, err := db.write().exec(ctx, `UPDATE recorder_health SET last_login_at = ? WHERE recorder_id = ?`, ms(at), recorderID)
	return err
}

// RecordProblem counts a failed login ("login_failed") or a refused upload
// ("refused") of a recorder and keeps it among its recent events.
func (db *DB) RecordProblem(ctx context.Context, recorderID string, e cam2drive.RecorderEvent) error {
	column := "refused_uploads"
	if e.Kind == "login_failed" {
		column = "failed_logins"
	}
	return db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.q.exec(ctx, `UPDATE recorder_health SET `+column+` = `+column+` + 1 WHERE recorder_id = ?`, recorderID); err != nil {
			return err
		}
		id := cam2drive.NewID()
		if _, err := tx.q.exec(ctx, `INSERT INTO recorder_events (id, recorder_id, kind, reason, path, ip, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, recorderID, e.Kind, e.Reason, e.Path, e.IP, ms(e.CreatedAt)); err != nil {
			return err
		}
		_, err := tx.q.exec(ctx, `DELETE FROM recorder_events WHERE recorder_id = ? AND id NOT IN
			(SELECT id FROM recorder_events WHERE recorder_id = ? ORDER BY id DESC LIMIT ?)`, recorderID, recorderID, recentEvents)
		return err
	})
}

// RecordUploads counts n indexed uploads of a recorder, in the indexing
// transaction.
func (tx *Tx) RecordUploads(ctx context.Context, recorderID string, n int, at time.Time) error {
	_, err := tx.q.exec(ctx, `UPDATE recorder_health SET uploads = uploads + ?, last_upload_at = ? WHERE recorder_id = ?`, n, ms(at), recorderID)
	return err
}

// Health returns a recorder's health with its recent problems.
func (db *DB) Health(ctx context.Context, orgID, recorderID string) (cam2drive.RecorderHealth, error) {
	var h cam2drive.RecorderHealth
	var upload, login int64
	err := db.read().queryRow(ctx, `SELECT h.last_upload_at, h.last_login_at, h.uploads, h.failed_logins, h.refused_uploads
		FROM recorder_health h JOIN recorders r ON r.id = h.recorder_id WHERE r.org_id = ? AND r.id = ?`, orgID, recorderID).
		Scan(&upload, &login, &h.Uploads, &h.FailedLogins, &h.RefusedUploads)
	if err != nil {
		return h, err
	}
	h.LastUploadAt, h.LastLoginAt = fromMS(upload), fromMS(login)
	rs, err := db.read().query(ctx, `SELECT kind, reason, path, ip, created_at FROM recorder_events WHERE recorder_id = ? ORDER BY id DESC LIMIT ?`,
		recorderID, recentEvents)
	if err != nil {
		return h, err
	}
	defer rs.Close()
	h.Recent = []cam2drive.RecorderEvent{}
	for rs.Next() {
		var e cam2drive.RecorderEvent
		var c int64
		if err := rs.Scan(&e.Kind, &e.Reason, &e.Path, &e.IP, &c); err != nil {
			return h, err
		}
		e.CreatedAt = fromMS(c)
		h.Recent = append(h.Recent, e)
	}
	return h, rs.Err()
}
