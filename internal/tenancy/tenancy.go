// Package tenancy creates organisations and their people: a child
// organisation with its built-in roles and first admin, invitations, and the
// platform operator's bootstrap.
package tenancy

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/auth"
	"github.com/cam2drive/cam2drive/internal/authz"
	"github.com/cam2drive/cam2drive/internal/store"
)

// Notifier mails invitations inside the transaction that creates the account.
type Notifier interface {
	Invitation(ctx context.Context, tx *store.Tx, u cam2drive.User, orgName, invitedBy, token string, ttl time.Duration) error
}

// Service runs tenancy operations.
type Service struct {
	db       *store.DB
	auth     *auth.Service
	notifier Notifier
}

// New builds the service.
func New(db *store.DB, a *auth.Service, n Notifier) *Service {
	return &Service{db: db, auth: a, notifier: n}
}

// NewOrg is what a parent fills in to create a child organisation.
type NewOrg struct {
	ParentID string
	Kind     cam2drive.OrgKind
	Name     string
	Email    string // the first admin's e-mail
	Language string // of the invitation and the admin's preferences
	Address  string
	Phone    string
}

// Validate checks the fields a person typed.
func (n NewOrg) Validate() error {
	bad := map[string]string{}
	if strings.TrimSpace(n.Name) == "" || len(n.Name) > 200 {
		bad["name"] = "required"
	}
	if !ValidEmail(n.Email) {
		bad["email"] = "invalid_email"
	}
	if !n.Kind.Valid() || n.Kind == cam2drive.KindPlatform {
		bad["kind"] = "invalid_kind"
	}
	if len(n.Address) > 500 || len(n.Phone) > 50 {
		bad["address"] = "too_long"
	}
	if len(bad) > 0 {
		return cam2drive.Invalid(bad)
	}
	return nil
}

// ValidEmail is a pragmatic address check: one "@", a dot in the domain, no spaces.
func ValidEmail(s string) bool {
	s = strings.TrimSpace(s)
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && len(s) <= 254 && strings.Contains(domain, ".") &&
		!strings.ContainsAny(s, " \t\r\n<>\",;") && !strings.Contains(domain, "@")
}

// CreateOrg creates a child organisation of the parent, with its built-in
// roles, a "default site" for clients, and its first admin, who is invited by
// e-mail. The parent's kind decides the child's kind.
func (s *Service) CreateOrg(ctx context.Context, actor store.Principal, n NewOrg, ip string) (cam2drive.Org, error) {
	if err := n.Validate(); err != nil {
		return cam2drive.Org{}, err
	}
	parent, err := s.db.Org(ctx, n.ParentID)
	if err != nil {
		return cam2drive.Org{}, err
	}
	if !authz.CanCreateChild(parent.Kind, n.Kind) {
		return cam2drive.Org{}, cam2drive.Invalid(map[string]string{"kind": "invalid_kind"})
	}
	org := cam2drive.Org{ParentID: parent.ID, Kind: n.Kind, Name: strings.TrimSpace(n.Name),
		Email: store.NormalizeEmail(n.Email), Address: n.Address, Phone: n.Phone}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateOrg(ctx, &org); err != nil {
			return err
		}
		admin, err := createRoles(ctx, tx, org.ID)
		if err != nil {
			return err
		}
		if org.Kind == cam2drive.KindClient {
			site := cam2drive.Site{OrgID: org.ID, Name: "default site", Timezone: "UTC"}
			if err := tx.CreateSite(ctx, &site); err != nil {
				return err
			}
		}
		if _, err := s.inviteUser(ctx, tx, actor, org, n.Email, admin.ID, "", n.Language, ip); err != nil {
			return err
		}
		return tx.AddAudit(ctx, auditOf(actor, actor.Org.ID, "org.created", org.Name, ip))
	})
	return org, err
}

func createRoles(ctx context.Context, tx *store.Tx, orgID string) (cam2drive.Role, error) {
	var admin cam2drive.Role
	for _, r := range authz.BuiltinRoles() {
		r.OrgID = orgID
		if err := tx.CreateRole(ctx, &r); err != nil {
			return admin, fmt.Errorf("built-in role %s: %w", r.Builtin, err)
		}
		if r.Builtin == authz.Admin {
			admin = r
		}
	}
	return admin, nil
}

// InviteUser adds a person to org with a role and mails the invitation.
func (s *Service) InviteUser(ctx context.Context, actor store.Principal, org cam2drive.Org, email, roleID, name, lang, ip string) (cam2drive.User, error) {
	if !ValidEmail(email) {
		return cam2drive.User{}, cam2drive.Invalid(map[string]string{"email": "invalid_email"})
	}
	if len(name) > 200 {
		return cam2drive.User{}, cam2drive.Invalid(map[string]string{"name": "too_long"})
	}
	if _, err := s.db.Role(ctx, org.ID, roleID); err != nil {
		if cam2drive.IsNotFound(err) {
			return cam2drive.User{}, cam2drive.Invalid(map[string]string{"role_id": "unknown_role"})
		}
		return cam2drive.User{}, err
	}
	var u cam2drive.User
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		u, err = s.inviteUser(ctx, tx, actor, org, email, roleID, name, lang, ip)
		return err
	})
	if err != nil {
		return u, err
	}
	return s.db.User(ctx, org.ID, u.ID)
}

func (s *Service) inviteUser(ctx context.Context, tx *store.Tx, actor store.Principal, org cam2drive.Org, email, roleID, name, lang, ip string) (cam2drive.User, error) {
	if lang == "" {
		lang = actor.User.Preferences.Language
	}
	u := cam2drive.User{OrgID: org.ID, Email: email, Name: strings.TrimSpace(name), RoleID: roleID,
		Status: cam2drive.UserInvited, Preferences: cam2drive.DefaultPreferences(lang)}
	if err := tx.CreateUser(ctx, &u); err != nil {
		return u, err
	}
	if err := s.sendInvitation(ctx, tx, actor, org, u); err != nil {
		return u, err
	}
	return u, tx.AddAudit(ctx, auditOf(actor, org.ID, "user.invited", u.Email, ip))
}

func (s *Service) sendInvitation(ctx context.Context, tx *store.Tx, actor store.Principal, org cam2drive.Org, u cam2drive.User) error {
	token, err := s.auth.IssueInvitation(ctx, tx, u)
	if err != nil {
		return err
	}
	invitedBy := actor.Org.Name
	return s.notifier.Invitation(ctx, tx, u, org.Name, invitedBy, token, auth.InviteTTL)
}

// ResendInvitation mails a new link to a user who has not set a password yet.
func (s *Service) ResendInvitation(ctx context.Context, actor store.Principal, org cam2drive.Org, userID string) error {
	u, err := s.db.User(ctx, org.ID, userID)
	if err != nil {
		return err
	}
	if u.Status != cam2drive.UserInvited {
		return cam2drive.Errorf(cam2drive.CodeConflict, "already_active")
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error { return s.sendInvitation(ctx, tx, actor, org, u) })
}

// Bootstrap creates the platform operator organisation and its admin with a
// password. It is idempotent: an existing platform and account are kept, and
// the password is only set when the account has none yet.
func (s *Service) Bootstrap(ctx context.Context, email, password string) (cam2drive.User, bool, error) {
	if !ValidEmail(email) {
		return cam2drive.User{}, false, cam2drive.Invalid(map[string]string{"email": "invalid_email"})
	}
	if err := s.auth.Policy().Check("password", password, email); err != nil {
		return cam2drive.User{}, false, err
	}
	if u, err := s.db.UserByEmail(ctx, email); err == nil {
		return u, false, nil
	} else if !cam2drive.IsNotFound(err) {
		return u, false, err
	}
	hash, err := s.auth.Hash(ctx, password)
	if err != nil {
		return cam2drive.User{}, false, err
	}
	platform, err := s.db.PlatformOrg(ctx)
	if err != nil && !cam2drive.IsNotFound(err) {
		return cam2drive.User{}, false, err
	}
	u := cam2drive.User{Email: email, Name: "Administrator", Status: cam2drive.UserActive, PasswordHash: hash,
		Preferences: cam2drive.DefaultPreferences("en")}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		return bootstrapTx(ctx, tx, &platform, &u)
	})
	return u, err == nil, err
}

func bootstrapTx(ctx context.Context, tx *store.Tx, platform *cam2drive.Org, u *cam2drive.User) error {
	if platform.ID == "" {
		*platform = cam2drive.Org{Kind: cam2drive.KindPlatform, Name: "Cam2Drive", Email: u.Email}
		if err := tx.CreateOrg(ctx, platform); err != nil {
			return err
		}
		if _, err := createRoles(ctx, tx, platform.ID); err != nil {
			return err
		}
	}
	admin, err := tx.RoleByBuiltin(ctx, platform.ID, authz.Admin)
	if err != nil {
		return err
	}
	u.OrgID, u.RoleID = platform.ID, admin.ID
	if err := tx.CreateUser(ctx, u); err != nil {
		return err
	}
	return tx.AddAudit(ctx, cam2drive.AuditEvent{OrgID: platform.ID, ActorEmail: "cli", Action: "user.created", Target: u.Email, Detail: "bootstrap"})
}

func auditOf(actor store.Principal, orgID, action, target, ip string) cam2drive.AuditEvent {
	return cam2drive.AuditEvent{OrgID: orgID, ActorID: actor.User.ID, ActorEmail: actor.User.Email, Action: action, Target: target, IP: ip}
}
