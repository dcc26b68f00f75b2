package store

import (
	"context"
	"time"

	"github.com/cam2drive/cam2drive"
)

// Folding: a recorder that sends a snapshot and a clip of the same event
// (Dahua does, Reolink too) gets one entry in lists, the clip, with the
// snapshot under it (parent_id). Either may arrive and be processed first,
// so each side looks for the other; each fold is one UPDATE, so two workers
// folding the same pair at once agree.

// FoldSlack is how far a snapshot may be stamped before a clip starts or
// after it ends (recorders without pre-recording, clocks on second
// boundaries) and still belong to it.
const FoldSlack = 3 * time.Second

// clipEndSQL is a clip's end: from its name when it has one, else its
// probed duration.
const clipEndSQL = `CASE WHEN c.end_ms > c.start_ms THEN c.end_ms ELSE c.start_ms + c.duration_ms END`

// foldable tells whether recordings of this event type are grouped:
// scheduled ("regular") snapshots and recordings are independent streams.
func foldable(eventType string) bool { return eventType != "regular" && eventType != "" }

// FoldSnapshot puts a snapshot of org under the clip of its event: same
// camera and event type, its time within the clip's. It returns the clip's
// id, "" when there is none (yet). A snapshot already folded stays where it is.
func (db *DB) FoldSnapshot(ctx context.Context, orgID, snapshotID string) (string, error) {
	var parent string
	err := db.InTx(ctx, func(tx *Tx) error {
		s, err := scanRecording(tx.q.queryRow(ctx, `SELECT `+recordingCols+` FROM recordings WHERE org_id = ? AND id = ? AND kind = 'snapshot'`,
			orgID, snapshotID))
		if err != nil || s.ParentID != "" || !foldable(s.EventType) {
			parent = s.ParentID
			return err
		}
		at, slack := ms(s.Start), FoldSlack.Milliseconds()
		err = tx.q.queryRow(ctx, `SELECT c.id FROM recordings c WHERE c.org_id = ? AND c.camera_id = ? AND c.kind = 'clip' AND c.event_type = ?
			AND c.start_ms - ? <= ? AND `+clipEndSQL+` + ? >= ? ORDER BY c.start_ms DESC, c.id LIMIT 1`,
			orgID, s.CameraID, s.EventType, slack, at, slack, at).Scan(&parent)
		if cam2drive.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		_, err = tx.q.exec(ctx, `UPDATE recordings SET parent_id = ? WHERE org_id = ? AND id = ?`, parent, orgID, snapshotID)
		return err
	})
	return parent, err
}

// FoldSnapshotsInto puts under a clip of org the snapshots of its event
// not folded yet, and returns how many.
func (db *DB) FoldSnapshotsInto(ctx context.Context, orgID, clipID string) (int64, error) {
	var n int64
	err := db.InTx(ctx, func(tx *Tx) error {
		c, err := scanRecording(tx.q.queryRow(ctx, `SELECT `+recordingCols+` FROM recordings WHERE org_id = ? AND id = ? AND kind = 'clip'`,
			orgID, clipID))
		if err != nil || !foldable(c.EventType) {
			return err
		}
		end := c.End
		if !end.After(c.Start) {
			end = c.Start.Add(c.Duration)
		}
		n, err = tx.q.exec(ctx, `UPDATE recordings SET parent_id = ? WHERE org_id = ? AND camera_id = ? AND kind = 'snapshot' AND event_type = ?
			AND parent_id = '' AND start_ms >= ? AND start_ms <= ?`,
			c.ID, orgID, c.CameraID, c.EventType, ms(c.Start.Add(-FoldSlack)), ms(end.Add(FoldSlack)))
		return err
	})
	return n, err
}
