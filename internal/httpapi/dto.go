package httpapi

import (
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/store"
)

// The JSON shapes of the API. They are the contract with the web app and
// integrators (docs/API.md): extend them, never rename fields.

type userJSON struct {
	ID          string  `json:"id"`
	OrgID       string  `json:"org_id"`
	Email       string  `json:"email"`
	Name        string  `json:"name"`
	RoleID      string  `json:"role_id"`
	RoleName    string  `json:"role_name"`
	Status      string  `json:"status" enum:"invited,active"`
	CreatedAt   string  `json:"created_at" format:"date-time"`
	LastLoginAt *string `json:"last_login_at,omitempty" format:"date-time"`
}

type orgJSON struct {
	ID        string `json:"id"`
	ParentID  string `json:"parent_id"`
	Kind      string `json:"kind" enum:"platform,distributor,installer,client"`
	Name      string `json:"name"`
	Email     string `json:"email"`
	Address   string `json:"address"`
	Phone     string `json:"phone"`
	CreatedAt string `json:"created_at" format:"date-time"`
}

type meJSON struct {
	User        userJSON              `json:"user"`
	Org         orgJSON               `json:"org"`
	Permissions []string              `json:"permissions"`
	Preferences cam2drive.Preferences `json:"preferences"`
	CSRFToken   string                `json:"csrf_token,omitempty"`
}

type siteJSON struct {
	ID            string `json:"id"`
	OrgID         string `json:"org_id"`
	Name          string `json:"name"`
	Timezone      string `json:"timezone"`
	Address       string `json:"address"`
	RecorderCount int    `json:"recorder_count"`
	CreatedAt     string `json:"created_at" format:"date-time"`
}

type roleJSON struct {
	ID          string   `json:"id"`
	OrgID       string   `json:"org_id"`
	Name        string   `json:"name"`
	Builtin     string   `json:"builtin" enum:",admin,technician,viewer"`
	Permissions []string `json:"permissions"`
	UserCount   int      `json:"user_count"`
}

type auditJSON struct {
	ID         string `json:"id"`
	CreatedAt  string `json:"created_at" format:"date-time"`
	Action     string `json:"action"`
	ActorID    string `json:"actor_id"`
	ActorEmail string `json:"actor_email"`
	Target     string `json:"target"`
	IP         string `json:"ip"`
	Detail     string `json:"detail"`
}

type tokenJSON struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	Prefix     string  `json:"prefix"`
	CreatedAt  string  `json:"created_at" format:"date-time"`
	LastUsedAt *string `json:"last_used_at,omitempty" format:"date-time"`
	Token      string  `json:"token,omitempty"`
}

func rfc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func optRFC(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := rfc(t)
	return &s
}

func toUser(u cam2drive.User) userJSON {
	return userJSON{ID: u.ID, OrgID: u.OrgID, Email: u.Email, Name: u.Name, RoleID: u.RoleID, RoleName: u.RoleName,
		Status: string(u.Status), CreatedAt: rfc(u.CreatedAt), LastLoginAt: optRFC(u.LastLoginAt)}
}

func toOrg(o cam2drive.Org) orgJSON {
	return orgJSON{ID: o.ID, ParentID: o.ParentID, Kind: string(o.Kind), Name: o.Name, Email: o.Email,
		Address: o.Address, Phone: o.Phone, CreatedAt: rfc(o.CreatedAt)}
}

func toMe(p store.Principal) meJSON {
	perms := p.Role.Permissions
	if perms == nil {
		perms = []string{}
	}
	return meJSON{User: toUser(p.User), Org: toOrg(p.Org), Permissions: perms, Preferences: p.User.Preferences, CSRFToken: p.CSRF}
}

func toSite(s cam2drive.Site) siteJSON {
	return siteJSON{ID: s.ID, OrgID: s.OrgID, Name: s.Name, Timezone: s.Timezone, Address: s.Address,
		RecorderCount: s.RecorderCount, CreatedAt: rfc(s.CreatedAt)}
}

func toRole(r cam2drive.Role) roleJSON {
	return roleJSON{ID: r.ID, OrgID: r.OrgID, Name: r.Name, Builtin: r.Builtin, Permissions: r.Permissions, UserCount: r.UserCount}
}

func toAudit(e cam2drive.AuditEvent) auditJSON {
	return auditJSON{ID: e.ID, CreatedAt: rfc(e.CreatedAt), Action: e.Action, ActorID: e.ActorID, ActorEmail: e.ActorEmail,
		Target: e.Target, IP: e.IP, Detail: e.Detail}
}

func toToken(t store.APIToken) tokenJSON {
	return tokenJSON{ID: t.ID, Name: t.Name, Prefix: t.Prefix, CreatedAt: rfc(t.CreatedAt), LastUsedAt: optRFC(t.LastUsedAt)}
}
