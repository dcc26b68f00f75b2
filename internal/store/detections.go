package store

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/cam2drive/cam2drive"
)

const detectionCols = `id, recording_id, source, type, label, score, box_x, box_y, box_w, box_h, start_ms, end_ms`

func scanDetection(r row) (cam2drive.Detection, error) {
	var d cam2drive.Detection
	var start, end int64
	err := r.Scan(&d.ID, &d.RecordingID, &d.Source, &d.Type, &d.Label, &d.Score, &d.Box[0], &d.Box[1], &d.Box[2], &d.Box[3], &start, &end)
	d.Start, d.End = time.Duration(start)*time.Millisecond, time.Duration(end)*time.Millisecond
	return d, err
}

// ReplaceDetections sets what one source (recorder, model, rule) found in a
// recording, replacing that source's earlier findings: analysis can run again.
func (db *DB) ReplaceDetections(ctx context.Context, orgID, recordingID, source string, ds []cam2drive.Detection) error {
	return db.InTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.q.queryRow(ctx, `SELECT COUNT(*) FROM recordings WHERE org_id = ? AND id = ?`, orgID, recordingID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return cam2drive.ErrNotFound
		}
		if _, err := tx.q.exec(ctx, `DELETE FROM detections WHERE recording_id = ? AND source = ?`, recordingID, source); err != nil {
			return err
		}
		for _, d := range ds {
			if _, err := tx.q.exec(ctx, `INSERT INTO detections (org_id, `+detectionCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				orgID, cam2drive.NewID(), recordingID, source, d.Type, d.Label, d.Score, d.Box[0], d.Box[1], d.Box[2], d.Box[3],
				d.Start.Milliseconds(), d.End.Milliseconds()); err != nil {
				return err
			}
		}
		return tx.setDetectionMask(ctx, recordingID)
	})
}

// Detections returns the detections of the given recordings of org, by
// recording id, each list in time order.
func (db *DB) Detections(ctx context.Context, orgID string, recordingIDs []string) (map[string][]cam2drive.Detection, error) {
	out := map[string][]cam2drive.Detection{}
	for chunk := range slices.Chunk(recordingIDs, 500) {
		args := []any{orgID}
		for _, id := range chunk {
			args = append(args, id)
		}
		rs, err := db.read().query(ctx, `SELECT `+detectionCols+` FROM detections WHERE org_id = ? AND recording_id IN (?`+
			strings.Repeat(", ?", len(chunk)-1)+`) ORDER BY recording_id, start_ms, id`, args...)
		ds, err := collect(rs, err, scanDetection)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			out[d.RecordingID] = append(out[d.RecordingID], d)
		}
	}
	return out, nil
}
