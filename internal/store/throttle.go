package store

import (
	"context"
	"time"

	"github.com/cam2drive/cam2drive"
)

// ThrottleState is the failure record of one key ("acct:<email>" or "ip:<addr>").
type ThrottleState struct {
	Failures    int
	LockedUntil time.Time
}

// Throttle returns the state of key (zero when it has none).
func (db *DB) Throttle(ctx context.Context, key string) (ThrottleState, error) {
	var s ThrottleState
	var until int64
	err := db.read().queryRow(ctx, `SELECT failures, locked_until FROM login_throttle WHERE key = ?`, key).Scan(&s.Failures, &until)
	if cam2drive.IsNotFound(err) {
		return ThrottleState{}, nil
	}
	s.LockedUntil = fromMS(until)
	return s, err
}

// RecordFailure counts one more failure for key and locks it for the delay
// that delay(failures) gives. Failures older than forget are forgotten.
func (db *DB) RecordFailure(ctx context.Context, key string, now time.Time, forget time.Duration, delay func(int) time.Duration) (ThrottleState, error) {
	var s ThrottleState
	err := db.InTx(ctx, func(tx *Tx) error {
		var updated, until int64
		err := tx.q.queryRow(ctx, `SELECT failures, locked_until, updated_at FROM login_throttle WHERE key = ?`, key).Scan(&s.Failures, &until, &updated)
		if err != nil && !cam2drive.IsNotFound(err) {
			return err
		}
		if now.Sub(fromMS(updated)) > forget && fromMS(until).Before(now) {
			s.Failures = 0
		}
		s.Failures++
		s.LockedUntil = now.Add(delay(s.Failures))
		_, err = tx.q.exec(ctx, `INSERT INTO login_throttle (key, failures, locked_until, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until, updated_at = excluded.updated_at`,
			key, s.Failures, ms(s.LockedUntil), ms(now))
		return err
	})
	return s, err
}

// ResetThrottle forgets key's failures.
func (db *DB) ResetThrottle(ctx context.Context, key string) error {
	_, err := db.write().exec(ctx, `DELETE FROM login_throttle WHERE key = ?`, key)
	return err
}
