package store

import (
	"context"

	"github.com/cam2drive/cam2drive"
)

// QueuedJobs counts the jobs of a River queue that wait for a worker (River
// keeps its jobs in this database): the analysis reads its backlog here to
// lower its sampling rate when it falls behind. The count is served by
// River's (state, queue, …) index.
func (db *DB) QueuedJobs(ctx context.Context, queue string) (int, error) {
	var n int
	err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM river_job WHERE state = 'available' AND queue = ?`, queue).Scan(&n)
	return n, err
}

// SetRecordingMediaThen records what processing found, as SetRecordingMedia
// does, in a transaction that then calls fn with whether the recording's
// camera has AI on: a job fn queues in tx is committed with the recording's
// new status, or not at all. (The UPDATE is SetRecordingMedia's; keep the
// two alike.)
func (db *DB) SetRecordingMediaThen(ctx context.Context, r cam2drive.Recording, fn func(tx *Tx, aiEnabled bool) error) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if err := setRecordingMedia(ctx, tx.q, r); err != nil {
			return err
		}
		var ai int
		err := tx.q.queryRow(ctx, `SELECT ai_enabled FROM cameras WHERE org_id = ? AND id = ?`, r.OrgID, r.CameraID).Scan(&ai)
		if cam2drive.IsNotFound(err) {
			ai, err = 0, nil // a recording kept after its camera went
		}
		if err != nil {
			return err
		}
		return fn(tx, ai == 1)
	})
}
