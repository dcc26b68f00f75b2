package store

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/cam2drive/cam2drive"
)

const userCols = `u.id, u.org_id, u.email, u.name, u.role_id, r.name, u.status, u.password_hash,
	u.preferences, u.created_at, u.last_login_at`

const userFrom = ` FROM users u JOIN roles r ON r.id = u.role_id`

func scanUser(r row) (cam2drive.User, error) {
	var u cam2drive.User
	var prefs string
	var created, lastLogin int64
	err := r.Scan(&u.ID, &u.OrgID, &u.Email, &u.Name, &u.RoleID, &u.RoleName, &u.Status, &u.PasswordHash,
		&prefs, &created, &lastLogin)
	if err != nil {
		return u, err
	}
	u.Preferences = decodePrefs(prefs)
	u.CreatedAt, u.LastLoginAt = fromMS(created), fromMS(lastLogin)
	return u, nil
}

func decodePrefs(s string) cam2drive.Preferences {
	p := cam2drive.DefaultPreferences("en")
	_ = json.Unmarshal([]byte(s), &p) // a damaged value falls back to defaults
	return p
}

// NormalizeEmail is how e-mail addresses are compared and stored.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// CreateUser inserts u and fills in its id. An e-mail already used answers
// conflict "email_taken".
func (tx *Tx) CreateUser(ctx context.Context, u *cam2drive.User) error {
	u.ID = cam2drive.NewID()
	u.CreatedAt = time.Now().UTC()
	u.Email = NormalizeEmail(u.Email)
	prefs, _ := json.Marshal(u.Preferences)
	_, err := tx.q.exec(ctx, `INSERT INTO users (id, org_id, email, name, role_id, status, password_hash, preferences, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.OrgID, u.Email, u.Name, u.RoleID, u.Status, u.PasswordHash, string(prefs), ms(u.CreatedAt))
	if cam2drive.ErrorCode(err) == cam2drive.CodeConflict {
		return &cam2drive.Error{Code: cam2drive.CodeConflict, Key: "email_taken", Fields: map[string]string{"email": "email_taken"}, Err: err}
	}
	return err
}

// User returns a user of org.
func (db *DB) User(ctx context.Context, orgID, id string) (cam2drive.User, error) {
	return scanUser(db.read().queryRow(ctx, `SELECT `+userCols+userFrom+` WHERE u.org_id = ? AND u.id = ?`, orgID, id))
}

// UserByID returns a user whatever its org (for code that already holds a
// verified reference, such as a session).
func (db *DB) UserByID(ctx context.Context, id string) (cam2drive.User, error) {
	return scanUser(db.read().queryRow(ctx, `SELECT `+userCols+userFrom+` WHERE u.id = ?`, id))
}

// UserByEmail finds an account by e-mail (case-insensitive).
func (db *DB) UserByEmail(ctx context.Context, email string) (cam2drive.User, error) {
	return scanUser(db.read().queryRow(ctx, `SELECT `+userCols+userFrom+` WHERE u.email = ?`, NormalizeEmail(email)))
}

// UserFilter narrows Users.
type UserFilter struct {
	RoleID string
	Query  string
}

// Users lists org's users, by e-mail.
func (db *DB) Users(ctx context.Context, orgID string, f UserFilter, p cam2drive.Page) ([]cam2drive.User, int, error) {
	where := []string{"u.org_id = ?"}
	args := []any{orgID}
	if f.RoleID != "" {
		where = append(where, "u.role_id = ?")
		args = append(args, f.RoleID)
	}
	if f.Query != "" {
		where = append(where, `(LOWER(u.email) LIKE ? ESCAPE '\' OR LOWER(u.name) LIKE ? ESCAPE '\')`)
		args = append(args, likePattern(f.Query), likePattern(f.Query))
	}
	cond := strings.Join(where, " AND ")
	return countedPage(ctx, db.read(), `SELECT COUNT(*) FROM users u WHERE `+cond,
		`SELECT `+userCols+userFrom+` WHERE `+cond+` ORDER BY u.email`, args, p, scanUser)
}

// SetUserRole changes a user's role; the role must belong to the same org.
func (db *DB) SetUserRole(ctx context.Context, orgID, userID, roleID string) error {
	n, err := db.write().exec(ctx, `UPDATE users SET role_id = ? WHERE org_id = ? AND id = ?
		AND EXISTS (SELECT 1 FROM roles WHERE id = ? AND org_id = ?)`, roleID, orgID, userID, roleID, orgID)
	if err == nil && n == 0 {
		return cam2drive.ErrNotFound
	}
	return err
}

// SetUserName changes a user's display name.
func (db *DB) SetUserName(ctx context.Context, orgID, userID, name string) error {
	n, err := db.write().exec(ctx, `UPDATE users SET name = ? WHERE org_id = ? AND id = ?`, name, orgID, userID)
	if err == nil && n == 0 {
		return cam2drive.ErrNotFound
	}
	return err
}

// DeleteUser removes a user with its sessions, tokens and links.
func (db *DB) DeleteUser(ctx context.Context, orgID, userID string) error {
	return db.InTx(ctx, func(tx *Tx) error {
		for _, t := range []string{"sessions", "api_tokens", "password_tokens"} {
			if _, err := tx.q.exec(ctx, `DELETE FROM `+t+` WHERE user_id = ? AND user_id IN (SELECT id FROM users WHERE org_id = ?)`, userID, orgID); err != nil {
				return err
			}
		}
		n, err := tx.q.exec(ctx, `DELETE FROM users WHERE org_id = ? AND id = ?`, orgID, userID)
		if err == nil && n == 0 {
			return cam2drive.ErrNotFound
		}
		return err
	})
}

// SetPassword stores a new password hash, activates the account and ends
// every session and other outstanding link of the user.
func (tx *Tx) SetPassword(ctx context.Context, userID, hash string) error {
	now := time.Now().UnixMilli()
	n, err := tx.q.exec(ctx, `UPDATE users SET password_hash = ?, status = 'active', password_changed_at = ? WHERE id = ?`, hash, now, userID)
	if err != nil {
		return err
	}
	if n == 0 {
		return cam2drive.ErrNotFound
	}
	if _, err := tx.q.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return err
	}
	_, err = tx.q.exec(ctx, `UPDATE password_tokens SET used_at = ? WHERE user_id = ? AND used_at = 0`, now, userID)
	return err
}

// SetPreferences saves a user's preferences.
func (db *DB) SetPreferences(ctx context.Context, userID string, p cam2drive.Preferences) error {
	b, _ := json.Marshal(p)
	_, err := db.write().exec(ctx, `UPDATE users SET preferences = ? WHERE id = ?`, string(b), userID)
	return err
}

// TouchLogin records a successful login.
func (db *DB) TouchLogin(ctx context.Context, userID string, at time.Time) error {
	_, err := db.write().exec(ctx, `UPDATE users SET last_login_at = ? WHERE id = ?`, ms(at), userID)
	return err
}

// CountUsers counts the accounts of the whole platform.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}
