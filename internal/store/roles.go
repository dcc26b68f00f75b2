package store

import (
	"context"
	"strings"
	"time"

	"github.com/cam2drive/cam2drive"
)

const roleCols = `r.id, r.org_id, r.name, r.builtin, r.permissions, r.created_at,
	(SELECT COUNT(*) FROM users u WHERE u.role_id = r.id)`

func scanRole(r row) (cam2drive.Role, error) {
	var role cam2drive.Role
	var perms string
	var created int64
	err := r.Scan(&role.ID, &role.OrgID, &role.Name, &role.Builtin, &perms, &created, &role.UserCount)
	role.Permissions = splitPerms(perms)
	role.CreatedAt = fromMS(created)
	return role, err
}

func splitPerms(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// CreateRole inserts r and fills in its id.
func (tx *Tx) CreateRole(ctx context.Context, r *cam2drive.Role) error {
	return createRole(ctx, tx.q, r)
}

// CreateRole inserts r and fills in its id.
func (db *DB) CreateRole(ctx context.Context, r *cam2drive.Role) error {
	return createRole(ctx, db.write(), r)
}

func createRole(ctx context.Context, q q, r *cam2drive.Role) error {
	r.ID = cam2drive.NewID()
	r.CreatedAt = time.Now().UTC()
	_, err := q.exec(ctx, `INSERT INTO roles (id, org_id, name, builtin, permissions, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		r.ID, r.OrgID, r.Name, r.Builtin, strings.Join(r.Permissions, ","), ms(r.CreatedAt))
	if cam2drive.ErrorCode(err) == cam2drive.CodeConflict {
		return &cam2drive.Error{Code: cam2drive.CodeConflict, Key: "role_name_taken", Fields: map[string]string{"name": "role_name_taken"}, Err: err}
	}
	return err
}

// Role returns a role of org.
func (db *DB) Role(ctx context.Context, orgID, id string) (cam2drive.Role, error) {
	return scanRole(db.read().queryRow(ctx, `SELECT `+roleCols+` FROM roles r WHERE r.org_id = ? AND r.id = ?`, orgID, id))
}

// RoleByBuiltin returns org's built-in role of that key.
func (tx *Tx) RoleByBuiltin(ctx context.Context, orgID, builtin string) (cam2drive.Role, error) {
	return scanRole(tx.q.queryRow(ctx, `SELECT `+roleCols+` FROM roles r WHERE r.org_id = ? AND r.builtin = ?`, orgID, builtin))
}

// Roles lists org's roles, built-in first.
func (db *DB) Roles(ctx context.Context, orgID string) ([]cam2drive.Role, error) {
	rs, err := db.read().query(ctx, `SELECT `+roleCols+` FROM roles r WHERE r.org_id = ?
		ORDER BY CASE r.builtin WHEN 'admin' THEN 0 WHEN 'technician' THEN 1 WHEN 'viewer' THEN 2 ELSE 3 END, r.created_at, r.id`, orgID)
	return collect(rs, err, scanRole)
}

// UpdateRole saves name and permissions.
func (db *DB) UpdateRole(ctx context.Context, r cam2drive.Role) error {
	n, err := db.write().exec(ctx, `UPDATE roles SET name = ?, permissions = ? WHERE org_id = ? AND id = ?`,
		r.Name, strings.Join(r.Permissions, ","), r.OrgID, r.ID)
	if cam2drive.ErrorCode(err) == cam2drive.CodeConflict {
		return &cam2drive.Error{Code: cam2drive.CodeConflict, Key: "role_name_taken", Fields: map[string]string{"name": "role_name_taken"}, Err: err}
	}
	if err == nil && n == 0 {
		return cam2drive.ErrNotFound
	}
	return err
}

// DeleteRole removes a role that no user holds; otherwise "role_in_use".
func (db *DB) DeleteRole(ctx context.Context, orgID, id string) error {
	return db.InTx(ctx, func(tx *Tx) error {
		var users int
		// Count only through a role of orgID, so another org's role answers
		// "not found" below rather than disclosing that it is in use.
		if err := tx.q.queryRow(ctx, `SELECT COUNT(*) FROM users u JOIN roles r ON r.id = u.role_id
			WHERE r.id = ? AND r.org_id = ?`, id, orgID).Scan(&users); err != nil {
			return err
		}
		if users > 0 {
			return cam2drive.Errorf(cam2drive.CodeConflict, "role_in_use")
		}
		n, err := tx.q.exec(ctx, `DELETE FROM roles WHERE org_id = ? AND id = ?`, orgID, id)
		if err == nil && n == 0 {
			return cam2drive.ErrNotFound
		}
		return err
	})
}
