package store

import (
	"context"
	"strings"
	"time"

	"github.com/cam2drive/cam2drive"
)

const siteCols = `s.id, s.org_id, s.name, s.timezone, s.address, s.created_at,
	(SELECT COUNT(*) FROM recorders r WHERE r.site_id = s.id)`

func scanSite(r row) (cam2drive.Site, error) {
	var s cam2drive.Site
	var c int64
	err := r.Scan(&s.ID, &s.OrgID, &s.Name, &s.Timezone, &s.Address, &c, &s.RecorderCount)
	s.CreatedAt = fromMS(c)
	return s, err
}

// CreateSite inserts s and fills in its id.
func (db *DB) CreateSite(ctx context.Context, s *cam2drive.Site) error {
	return createSite(ctx, db.write(), s)
}

// CreateSite inserts s and fills in its id.
func (tx *Tx) CreateSite(ctx context.Context, s *cam2drive.Site) error {
	return createSite(ctx, tx.q, s)
}

func createSite(ctx context.Context, q q, s *cam2drive.Site) error {
	s.ID = cam2drive.NewID()
	s.CreatedAt = time.Now().UTC()
	_, err := q.exec(ctx, `INSERT INTO sites (id, org_id, name, timezone, address, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		s.ID, s.OrgID, s.Name, s.Timezone, s.Address, ms(s.CreatedAt))
	return err
}

// Site returns a site of org.
func (db *DB) Site(ctx context.Context, orgID, id string) (cam2drive.Site, error) {
	return scanSite(db.read().queryRow(ctx, `SELECT `+siteCols+` FROM sites s WHERE s.org_id = ? AND s.id = ?`, orgID, id))
}

// SiteFilter narrows Sites: substrings of name and address, exact time zone.
type SiteFilter struct {
	Name, Address, Timezone string
}

// Sites lists org's sites in the order they were created.
func (db *DB) Sites(ctx context.Context, orgID string, f SiteFilter, p cam2drive.Page) ([]cam2drive.Site, int, error) {
	where, args := []string{"s.org_id = ?"}, []any{orgID}
	if f.Name != "" {
		where = append(where, `LOWER(s.name) LIKE ? ESCAPE '\'`)
		args = append(args, likePattern(f.Name))
	}
	if f.Address != "" {
		where = append(where, `LOWER(s.address) LIKE ? ESCAPE '\'`)
		args = append(args, likePattern(f.Address))
	}
	if f.Timezone != "" {
		where = append(where, `s.timezone = ?`)
		args = append(args, f.Timezone)
	}
	cond := strings.Join(where, " AND ")
	return countedPage(ctx, db.read(), `SELECT COUNT(*) FROM sites s WHERE `+cond,
		`SELECT `+siteCols+` FROM sites s WHERE `+cond+` ORDER BY s.created_at, s.id`, args, p, scanSite)
}

// UpdateSite saves name, time zone and address.
func (db *DB) UpdateSite(ctx context.Context, s cam2drive.Site) error {
	n, err := db.write().exec(ctx, `UPDATE sites SET name = ?, timezone = ?, address = ? WHERE org_id = ? AND id = ?`,
		s.Name, s.Timezone, s.Address, s.OrgID, s.ID)
	if err == nil && n == 0 {
		return cam2drive.ErrNotFound
	}
	return err
}

// DeleteSite removes a site without recorders; otherwise "site_has_recorders".
func (db *DB) DeleteSite(ctx context.Context, orgID, id string) error {
	return db.InTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.q.queryRow(ctx, `SELECT COUNT(*) FROM recorders WHERE site_id = ? AND org_id = ?`, id, orgID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return cam2drive.Errorf(cam2drive.CodeConflict, "site_has_recorders")
		}
		deleted, err := tx.q.exec(ctx, `DELETE FROM sites WHERE org_id = ? AND id = ?`, orgID, id)
		if err == nil && deleted == 0 {
			return cam2drive.ErrNotFound
		}
		return err
	})
}

// CreateRecorder inserts a recorder on a site of the same org. The ingest
// work adds its device details, channels and credentials.
func (db *DB) CreateRecorder(ctx context.Context, orgID, siteID, name string) (string, error) {
	id := cam2drive.NewID()
	n, err := db.write().exec(ctx, `INSERT INTO recorders (id, org_id, site_id, name, created_at)
		SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM sites WHERE id = ? AND org_id = ?)`,
		id, orgID, siteID, name, time.Now().UnixMilli(), siteID, orgID)
	if err == nil && n == 0 {
		return "", cam2drive.Invalid(map[string]string{"site_id": "not_found"})
	}
	return id, err
}
