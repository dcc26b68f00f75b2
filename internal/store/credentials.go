package store

import (
	"context"
	"time"

	"github.com/cam2drive/cam2drive"
)

// Principal is who a request acts as: the user, its organisation and role.
type Principal struct {
	User cam2drive.User
	Org  cam2drive.Org
	Role cam2drive.Role
	// CSRF is the session's CSRF token; empty for API tokens.
	CSRF string
	// SessionHash or TokenID tells how the principal authenticated.
	SessionHash string
	TokenID     string
	LastUsed    time.Time
}

const principalCols = userCols + `, o.id, COALESCE(o.parent_id, ''), o.kind, o.name, o.email, o.address, o.phone, o.path, o.created_at,
	r.builtin, r.permissions`

const principalFrom = userFrom + ` JOIN orgs o ON o.id = u.org_id`

func scanPrincipal(r row, extra ...any) (Principal, error) {
	var p Principal
	var prefs, perms string
	var created, lastLogin, orgCreated int64
	dest := []any{&p.User.ID, &p.User.OrgID, &p.User.Email, &p.User.Name, &p.User.RoleID, &p.User.RoleName,
		&p.User.Status, &p.User.PasswordHash, &prefs, &created, &lastLogin,
		&p.Org.ID, &p.Org.ParentID, &p.Org.Kind, &p.Org.Name, &p.Org.Email, &p.Org.Address, &p.Org.Phone, &p.Org.Path, &orgCreated,
		&p.Role.Builtin, &perms}
	if err := r.Scan(append(dest, extra...)...); err != nil {
		return p, err
	}
	p.User.Preferences = decodePrefs(prefs)
	p.User.CreatedAt, p.User.LastLoginAt, p.Org.CreatedAt = fromMS(created), fromMS(lastLogin), fromMS(orgCreated)
	p.Role.ID, p.Role.OrgID, p.Role.Name, p.Role.Permissions = p.User.RoleID, p.User.OrgID, p.User.RoleName, splitPerms(perms)
	return p, nil
}

// CreateSession stores a session by the hash of its token.
func (db *DB) CreateSession(ctx context.Context, hash, userID, csrf, ip, ua string, expires time.Time) error {
	now := time.Now().UnixMilli()
	_, err := db.write().exec(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_token, ip, user_agent, created_at, expires_at, last_seen_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, hash, userID, csrf, ip, ua, now, ms(expires), now)
	return err
}

// PrincipalBySession finds the live session with that token hash.
func (db *DB) PrincipalBySession(ctx context.Context, hash string, now time.Time) (Principal, error) {
	var lastSeen int64
	var csrf string
	p, err := scanPrincipal(db.read().queryRow(ctx, `SELECT `+principalCols+`, s.csrf_token, s.last_seen_at`+principalFrom+`
		JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = ? AND s.expires_at > ?`, hash, ms(now)), &csrf, &lastSeen)
	p.CSRF, p.SessionHash, p.LastUsed = csrf, hash, fromMS(lastSeen)
	return p, err
}

// ExtendSession slides a session's expiry.
func (db *DB) ExtendSession(ctx context.Context, hash string, now, expires time.Time) error {
	_, err := db.write().exec(ctx, `UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?`, ms(now), ms(expires), hash)
	return err
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	_, err := db.write().exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hash)
	return err
}

// DeleteExpired removes expired sessions and links, and throttle rows idle
// for a day.
func (db *DB) DeleteExpired(ctx context.Context, now time.Time) error {
	t := ms(now)
	for _, del := range []struct {
		query string
		args  []any
	}{
		{`DELETE FROM sessions WHERE expires_at <= ?`, []any{t}},
		{`DELETE FROM password_tokens WHERE expires_at <= ?`, []any{t}},
		{`DELETE FROM login_throttle WHERE locked_until <= ? AND updated_at <= ?`, []any{t, t - 86400000}},
	} {
		if _, err := db.write().exec(ctx, del.query, del.args...); err != nil {
			return err
		}
	}
	return nil
}

// APIToken is a personal API token (without its secret).
type APIToken struct {
	ID         string
	UserID     string
	Name       string
	Prefix     string
	CreatedAt  time.Time
	LastUsedAt time.Time
}

// CreateAPIToken stores a token by its hash.
func (db *DB) CreateAPIToken(ctx context.Context, t *APIToken, hash string) error {
	t.ID = cam2drive.NewID()
	t.CreatedAt = time.Now().UTC()
	_, err := db.write().exec(ctx, `INSERT INTO api_tokens (id, user_id, name, token_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		t.ID, t.UserID, t.Name, hash, t.Prefix, ms(t.CreatedAt))
	return err
}

// APITokens lists a user's tokens, newest first.
func (db *DB) APITokens(ctx context.Context, userID string) ([]APIToken, error) {
	rs, err := db.read().query(ctx, `SELECT id, user_id, name, prefix, created_at, last_used_at FROM api_tokens WHERE user_id = ? ORDER BY id DESC`, userID)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	out := []APIToken{}
	for rs.Next() {
		var t APIToken
		var c, l int64
		if err := rs.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &c, &l); err != nil {
			return nil, err
		}
		t.CreatedAt, t.LastUsedAt = fromMS(c), fromMS(l)
		out = append(out, t)
	}
	return out, rs.Err()
}

// DeleteAPIToken revokes a user's token.
func (db *DB) DeleteAPIToken(ctx context.Context, userID, id string) error {
	n, err := db.write().exec(ctx, `DELETE FROM api_tokens WHERE user_id = ? AND id = ?`, userID, id)
	if err == nil && n == 0 {
		return cam2drive.ErrNotFound
	}
	return err
}

// PrincipalByToken finds the owner of the API token with that hash.
func (db *DB) PrincipalByToken(ctx context.Context, hash string) (Principal, error) {
	var id string
	var lastUsed int64
	p, err := scanPrincipal(db.read().queryRow(ctx, `SELECT `+principalCols+`, t.id, t.last_used_at`+principalFrom+`
		JOIN api_tokens t ON t.user_id = u.id WHERE t.token_hash = ?`, hash), &id, &lastUsed)
	p.TokenID, p.LastUsed = id, fromMS(lastUsed)
	return p, err
}

// TouchAPIToken records a token's use.
func (db *DB) TouchAPIToken(ctx context.Context, id string, at time.Time) error {
	_, err := db.write().exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, ms(at), id)
	return err
}

// CreatePasswordToken stores a set-password link by its hash.
func (tx *Tx) CreatePasswordToken(ctx context.Context, hash, userID, purpose string, expires time.Time) error {
	_, err := tx.q.exec(ctx, `INSERT INTO password_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		hash, userID, purpose, time.Now().UnixMilli(), ms(expires))
	return err
}

// PasswordToken is a set-password link's record.
type PasswordToken struct {
	UserID    string
	Email     string
	Purpose   string
	ExpiresAt time.Time
}

// LivePasswordToken returns an unused, unexpired link.
func (db *DB) LivePasswordToken(ctx context.Context, hash string, now time.Time) (PasswordToken, error) {
	return livePasswordToken(ctx, db.read(), hash, now)
}

func livePasswordToken(ctx context.Context, q q, hash string, now time.Time) (PasswordToken, error) {
	var t PasswordToken
	var exp int64
	err := q.queryRow(ctx, `SELECT p.user_id, u.email, p.purpose, p.expires_at FROM password_tokens p JOIN users u ON u.id = p.user_id
		WHERE p.token_hash = ? AND p.used_at = 0 AND p.expires_at > ?`, hash, ms(now)).Scan(&t.UserID, &t.Email, &t.Purpose, &exp)
	t.ExpiresAt = fromMS(exp)
	return t, err
}

// UsePasswordToken marks a live link used and returns it; a used or expired
// link is not found.
func (tx *Tx) UsePasswordToken(ctx context.Context, hash string, now time.Time) (PasswordToken, error) {
	t, err := livePasswordToken(ctx, tx.q, hash, now)
	if err != nil {
		return t, err
	}
	n, err := tx.q.exec(ctx, `UPDATE password_tokens SET used_at = ? WHERE token_hash = ? AND used_at = 0`, ms(now), hash)
	if err == nil && n == 0 {
		return t, cam2drive.ErrNotFound
	}
	return t, err
}
