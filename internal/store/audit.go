package store

import (
	"context"
	"time"

	"github.com/cam2drive/cam2drive"
)

// AddAudit records a security event.
func (db *DB) AddAudit(ctx context.Context, e cam2drive.AuditEvent) error {
	return addAudit(ctx, db.write(), e)
}

// AddAudit records a security event in the transaction.
func (tx *Tx) AddAudit(ctx context.Context, e cam2drive.AuditEvent) error {
	return addAudit(ctx, tx.q, e)
}

func addAudit(ctx context.Context, q q, e cam2drive.AuditEvent) error {
	if e.CreatedAt.IsZero() {
		e.CreatedAt = time.Now().UTC()
	}
	_, err := q.exec(ctx, `INSERT INTO audit_log (id, org_id, actor_id, actor_email, action, target, ip, detail, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		cam2drive.NewID(), e.OrgID, e.ActorID, e.ActorEmail, e.Action, e.Target, e.IP, e.Detail, ms(e.CreatedAt))
	return err
}

// Audit lists org's events, newest first, after the cursor (an event id).
func (db *DB) Audit(ctx context.Context, orgID, action string, p cam2drive.Page) ([]cam2drive.AuditEvent, int, error) {
	cond, args := `org_id = ?`, []any{orgID}
	if action != "" {
		cond += ` AND action = ?`
		args = append(args, action)
	}
	var total int
	if err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	page, pageArgs := cond, append([]any{}, args...)
	if p.Cursor != "" {
		page += ` AND id < ?`
		pageArgs = append(pageArgs, p.Cursor)
	}
	rs, err := db.read().query(ctx, `SELECT id, org_id, actor_id, actor_email, action, target, ip, detail, created_at
		FROM audit_log WHERE `+page+` ORDER BY id DESC LIMIT ? OFFSET ?`, append(pageArgs, p.Limit, p.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rs.Close()
	out := []cam2drive.AuditEvent{}
	for rs.Next() {
		var e cam2drive.AuditEvent
		var c int64
		if err := rs.Scan(&e.ID, &e.OrgID, &e.ActorID, &e.ActorEmail, &e.Action, &e.Target, &e.IP, &e.Detail, &c); err != nil {
			return nil, 0, err
		}
		e.CreatedAt = fromMS(c)
		out = append(out, e)
	}
	return out, total, rs.Err()
}
