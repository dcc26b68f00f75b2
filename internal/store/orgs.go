package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/cam2drive/cam2drive"
)

const orgCols = `id, COALESCE(parent_id, ''), kind, name, email, address, phone, path, created_at`

func scanOrg(r row) (cam2drive.Org, error) {
	var o cam2drive.Org
	var created int64
	err := r.Scan(&o.ID, &o.ParentID, &o.Kind, &o.Name, &o.Email, &o.Address, &o.Phone, &o.Path, &created)
	o.CreatedAt = fromMS(created)
	return o, err
}

// CreateOrg inserts o under its parent (o.ParentID empty: a root org) and
// fills in its id, path and creation time.
func (tx *Tx) CreateOrg(ctx context.Context, o *cam2drive.Org) error {
	o.ID = cam2drive.NewID()
	o.CreatedAt = time.Now().UTC()
	o.Path = o.ID + "/"
	var parent any
	if o.ParentID != "" {
		p, err := getOrg(ctx, tx.q, o.ParentID)
		if err != nil {
			return fmt.Errorf("parent org: %w", err)
		}
		o.Path = p.Path + o.Path
		parent = o.ParentID
	}
	_, err := tx.q.exec(ctx, `INSERT INTO orgs (id, parent_id, kind, name, email, address, phone, path, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		o.ID, parent, o.Kind, o.Name, o.Email, o.Address, o.Phone, o.Path, ms(o.CreatedAt))
	return err
}

// Org returns one organisation by id.
func (db *DB) Org(ctx context.Context, id string) (cam2drive.Org, error) {
	return getOrg(ctx, db.read(), id)
}

func getOrg(ctx context.Context, q q, id string) (cam2drive.Org, error) {
	return scanOrg(q.queryRow(ctx, `SELECT `+orgCols+` FROM orgs WHERE id = ?`, id))
}

// PlatformOrg returns the root organisation of kind platform.
func (db *DB) PlatformOrg(ctx context.Context) (cam2drive.Org, error) {
	return scanOrg(db.read().queryRow(ctx, `SELECT `+orgCols+` FROM orgs WHERE kind = 'platform' AND parent_id IS NULL ORDER BY created_at LIMIT 1`))
}

// OrgFilter narrows ChildOrgs.
type OrgFilter struct {
	Kind  cam2drive.OrgKind
	Query string // substring of name or e-mail
}

// ChildOrgs lists the direct children of parentID.
func (db *DB) ChildOrgs(ctx context.Context, parentID string, f OrgFilter, p cam2drive.Page) ([]cam2drive.Org, int, error) {
	where := []string{"parent_id = ?"}
	args := []any{parentID}
	if f.Kind != "" {
		where = append(where, "kind = ?")
		args = append(args, f.Kind)
	}
	if f.Query != "" {
		where = append(where, `(LOWER(name) LIKE ? ESCAPE '\' OR LOWER(email) LIKE ? ESCAPE '\')`)
		args = append(args, likePattern(f.Query), likePattern(f.Query))
	}
	cond := strings.Join(where, " AND ")
	return countedPage(ctx, db.read(), `SELECT COUNT(*) FROM orgs WHERE `+cond,
		`SELECT `+orgCols+` FROM orgs WHERE `+cond+` ORDER BY LOWER(name), id`, args, p, scanOrg)
}

// UpdateOrg saves the editable fields of o (name, address, phone).
func (db *DB) UpdateOrg(ctx context.Context, o cam2drive.Org) error {
	n, err := db.write().exec(ctx, `UPDATE orgs SET name = ?, address = ?, phone = ? WHERE id = ?`, o.Name, o.Address, o.Phone, o.ID)
	if err == nil && n == 0 {
		return cam2drive.ErrNotFound
	}
	return err
}

func nullable(s string) any {
	if s == "" {
		return sql.NullString{}
	}
	return s
}

// FirstOrgOfKind returns the id of the oldest organisation of a kind (for
// operators' tools and tests).
func (tx *Tx) FirstOrgOfKind(ctx context.Context, kind cam2drive.OrgKind) (string, error) {
	var id string
	err := tx.q.queryRow(ctx, `SELECT id FROM orgs WHERE kind = ? ORDER BY created_at, id LIMIT 1`, kind).Scan(&id)
	return id, err
}
