package store

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/holo4"
)

// AI subscriptions (installer guide §3.2) and the rules that cameras' AI and
// HOLO4 choices follow (client guide §3.1.2–§3.1.4): AI on for at most the
// active subscription's camera limit; HOLO4 only with AI on, and only
// algorithms of the subscription's packages.

// aiSubCols: the cameras used are counted only while the subscription is
// active (cancelling turns AI off on every camera of the client).
const aiSubCols = `s.id, s.org_id, s.camera_limit, s.packages, s.created_at, s.cancelled_at,
	CASE WHEN s.cancelled_at = 0 THEN (SELECT COUNT(*) FROM cameras c WHERE c.org_id = s.org_id AND c.ai_enabled = 1) ELSE 0 END`

func scanAISub(r row) (cam2drive.AISubscription, error) {
	var s cam2drive.AISubscription
	var pkgs string
	var created, cancelled int64
	err := r.Scan(&s.ID, &s.OrgID, &s.CameraLimit, &pkgs, &created, &cancelled, &s.CamerasUsed)
	s.Packages, s.CreatedAt, s.CancelledAt = splitList(pkgs), fromMS(created), fromMS(cancelled)
	return s, err
}

// splitList reads a comma-separated column ("" is the empty list).
func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// CreateAISubscription inserts s for a client that has no active one
// ("ai_subscription_exists" otherwise).
func (db *DB) CreateAISubscription(ctx context.Context, s *cam2drive.AISubscription) error {
	err := db.InTx(ctx, func(tx *Tx) error {
		var active int
		if err := tx.q.queryRow(ctx, `SELECT COUNT(*) FROM ai_subscriptions WHERE org_id = ? AND cancelled_at = 0`, s.OrgID).Scan(&active); err != nil {
			return err
		}
		if active > 0 {
			return cam2drive.Errorf(cam2drive.CodeConflict, "ai_subscription_exists")
		}
		s.ID, s.CreatedAt, s.CancelledAt, s.CamerasUsed = cam2drive.NewID(), time.Now().UTC(), time.Time{}, 0
		_, err := tx.q.exec(ctx, `INSERT INTO ai_subscriptions (id, org_id, camera_limit, packages, created_at) VALUES (?, ?, ?, ?, ?)`,
			s.ID, s.OrgID, s.CameraLimit, strings.Join(s.Packages, ","), ms(s.CreatedAt))
		return err
	})
	// Two sellers at once: the unique index refuses the second.
	if e := (*cam2drive.Error)(nil); errors.As(err, &e) && e.Code == cam2drive.CodeConflict && e.Key == "conflict" {
		return &cam2drive.Error{Code: cam2drive.CodeConflict, Key: "ai_subscription_exists", Err: err}
	}
	return err
}

// AISubscriptions lists org's AI subscriptions, newest first.
func (db *DB) AISubscriptions(ctx context.Context, orgID string) ([]cam2drive.AISubscription, error) {
	rs, err := db.read().query(ctx, `SELECT `+aiSubCols+` FROM ai_subscriptions s WHERE s.org_id = ? ORDER BY s.id DESC`, orgID)
	return collect(rs, err, scanAISub)
}

// AISubscription returns one AI subscription of org.
func (db *DB) AISubscription(ctx context.Context, orgID, id string) (cam2drive.AISubscription, error) {
	return scanAISub(db.read().queryRow(ctx, `SELECT `+aiSubCols+` FROM ai_subscriptions s WHERE s.org_id = ? AND s.id = ?`, orgID, id))
}

// ActiveAISubscription returns org's active AI subscription: not found when
// it has none.
func (db *DB) ActiveAISubscription(ctx context.Context, orgID string) (cam2drive.AISubscription, error) {
	return activeAISub(ctx, db.read(), orgID)
}

func activeAISub(ctx context.Context, q q, orgID string) (cam2drive.AISubscription, error) {
	return scanAISub(q.queryRow(ctx, `SELECT `+aiSubCols+` FROM ai_subscriptions s WHERE s.org_id = ? AND s.cancelled_at = 0`, orgID))
}

// UpdateAISubscription changes the camera limit and packages of an active
// subscription. The limit can't go under the cameras that use AI
// ("ai_limit_below_used"); algorithms of packages taken away are removed
// from the cameras that had chosen them.
func (db *DB) UpdateAISubscription(ctx context.Context, s cam2drive.AISubscription) error {
	return db.InTx(ctx, func(tx *Tx) error {
		cur, err := scanAISub(tx.q.queryRow(ctx, `SELECT `+aiSubCols+` FROM ai_subscriptions s WHERE s.org_id = ? AND s.id = ?`, s.OrgID, s.ID))
		if err != nil {
			return err
		}
		if !cur.Active() {
			return cam2drive.Errorf(cam2drive.CodeConflict, "ai_subscription_cancelled")
		}
		if s.CameraLimit < cur.CamerasUsed {
			return cam2drive.Errorf(cam2drive.CodeConflict, "ai_limit_below_used")
		}
		if _, err := tx.q.exec(ctx, `UPDATE ai_subscriptions SET camera_limit = ?, packages = ? WHERE org_id = ? AND id = ?`,
			s.CameraLimit, strings.Join(s.Packages, ","), s.OrgID, s.ID); err != nil {
			return err
		}
		return pruneAlgorithms(ctx, tx, s.OrgID, s.Packages)
	})
}

// pruneAlgorithms drops, from org's cameras, the algorithms whose package is
// not in packages; a camera left with none leaves the beta.
func pruneAlgorithms(ctx context.Context, tx *Tx, orgID string, packages []string) error {
	rs, err := tx.q.query(ctx, `SELECT id, algorithms FROM cameras WHERE org_id = ? AND algorithms <> ''`, orgID)
	pairs, err := collect(rs, err, func(r row) ([2]string, error) {
		var p [2]string
		return p, r.Scan(&p[0], &p[1])
	})
	if err != nil {
		return err
	}
	cat := holo4.Current()
	for _, p := range pairs {
		had := splitList(p[1])
		kept := slices.DeleteFunc(slices.Clone(had), func(a string) bool { return !slices.Contains(packages, cat.PackageOf(a)) })
		if len(kept) == len(had) {
			continue
		}
		if _, err := tx.q.exec(ctx, `UPDATE cameras SET algorithms = ?, holo4 = CASE WHEN ? = '' THEN 0 ELSE holo4 END WHERE org_id = ? AND id = ?`,
			strings.Join(kept, ","), strings.Join(kept, ","), orgID, p[0]); err != nil {
			return err
		}
	}
	return nil
}

// CancelAISubscription ends an active subscription at `at`: AI and HOLO4 go
// off on every camera of the client (their chosen algorithms are kept).
func (db *DB) CancelAISubscription(ctx context.Context, orgID, id string, at time.Time) error {
	return db.InTx(ctx, func(tx *Tx) error {
		cur, err := scanAISub(tx.q.queryRow(ctx, `SELECT `+aiSubCols+` FROM ai_subscriptions s WHERE s.org_id = ? AND s.id = ?`, orgID, id))
		if err != nil {
			return err
		}
		if !cur.Active() {
			return cam2drive.Errorf(cam2drive.CodeConflict, "ai_subscription_cancelled")
		}
		if _, err := tx.q.exec(ctx, `UPDATE ai_subscriptions SET cancelled_at = ? WHERE org_id = ? AND id = ?`, ms(at), orgID, id); err != nil {
			return err
		}
		_, err = tx.q.exec(ctx, `UPDATE cameras SET ai_enabled = 0, holo4 = 0 WHERE org_id = ? AND (ai_enabled = 1 OR holo4 = 1)`, orgID)
		return err
	})
}

// checkAI holds a camera's AI settings to its client's active subscription:
// one is needed ("no_ai_subscription"), with room under its camera limit
// ("ai_camera_limit"); HOLO4 needs AI on ("holo4_needs_ai") and algorithms
// of the subscription's packages.
func checkAI(ctx context.Context, tx *Tx, c cam2drive.Camera) error {
	if c.HOLO4 && !c.AIEnabled {
		return cam2drive.Errorf(cam2drive.CodeConflict, "holo4_needs_ai")
	}
	if !c.AIEnabled {
		return nil
	}
	// A camera whose AI is already on keeps it (it is counted, and the limit
	// can't go under what is used): renaming it needs no room.
	var wasOn int
	if err := tx.q.queryRow(ctx, `SELECT ai_enabled FROM cameras WHERE org_id = ? AND id = ?`, c.OrgID, c.ID).Scan(&wasOn); err != nil {
		return err
	}
	if wasOn == 1 && !c.HOLO4 {
		return nil
	}
	// Locked on PostgreSQL so that cameras turned on at once are counted one
	// after the other (SQLite's single writer already does that).
	lock := ""
	if tx.db.dialect == Postgres {
		lock = " FOR UPDATE OF s"
	}
	sub, err := scanAISub(tx.q.queryRow(ctx, `SELECT `+aiSubCols+` FROM ai_subscriptions s WHERE s.org_id = ? AND s.cancelled_at = 0`+lock, c.OrgID))
	if cam2drive.IsNotFound(err) {
		return cam2drive.Errorf(cam2drive.CodeConflict, "no_ai_subscription")
	}
	if err != nil {
		return err
	}
	if wasOn == 0 {
		var others int
		if err := tx.q.queryRow(ctx, `SELECT COUNT(*) FROM cameras WHERE org_id = ? AND ai_enabled = 1 AND id <> ?`, c.OrgID, c.ID).Scan(&others); err != nil {
			return err
		}
		if others >= sub.CameraLimit {
			return cam2drive.Errorf(cam2drive.CodeConflict, "ai_camera_limit")
		}
	}
	if !c.HOLO4 {
		return nil
	}
	cat := holo4.Current()
	for _, a := range c.Algorithms {
		if !slices.Contains(sub.Packages, cat.PackageOf(a)) {
			return cam2drive.Invalid(map[string]string{"algorithms": "algorithm_not_subscribed"})
		}
	}
	return nil
}
