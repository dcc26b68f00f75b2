package tenancy_test

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/auth"
	"github.com/cam2drive/cam2drive/internal/jobs"
	"github.com/cam2drive/cam2drive/internal/mail"
	"github.com/cam2drive/cam2drive/internal/notify"
	"github.com/cam2drive/cam2drive/internal/store"
	"github.com/cam2drive/cam2drive/internal/storetest"
	"github.com/cam2drive/cam2drive/internal/tenancy"
)

const (
	publicURL = "http://localhost:8080"
	opsPw     = "operator passphrase 42"
	ip        = "198.51.100.7"
)

// env is the tenancy service on a real database, with a platform operator
// and an installer under a distributor.
type env struct {
	db        *store.DB
	auth      *auth.Service
	svc       *tenancy.Service
	operator  store.Principal // platform admin
	installer store.Principal // admin of the installer org
}

func eachEnv(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fn(t, newEnv(t, d))
		})
	}
}

func newService(t *testing.T, d store.Dialect) *env {
	t.Helper()
	db := storetest.Open(t, d)
	queue, err := jobs.New(db, nil, jobs.Config{})
	if err != nil {
		t.Fatal(err)
	}
	n := notify.New(mail.NewTemplates("Cam2Drive", publicURL), queue, publicURL)
	a := auth.NewService(db, auth.Argon2Params{Memory: 64, Time: 1, Threads: 1}, n, slog.New(slog.DiscardHandler), 2)
	return &env{db: db, auth: a, svc: tenancy.New(db, a, n)}
}

func newEnv(t *testing.T, d store.Dialect) *env {
	t.Helper()
	ctx := context.Background()
	e := newService(t, d)
	if _, _, err := e.svc.Bootstrap(ctx, "ops@example.com", opsPw); err != nil {
		t.Fatal(err)
	}
	e.operator = e.principal(t, "ops@example.com")
	dist, err := e.svc.CreateOrg(ctx, e.operator, tenancy.NewOrg{ParentID: e.operator.Org.ID, Kind: cam2drive.KindDistributor,
		Name: "Dist", Email: "dist@example.com"}, ip)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := e.svc.CreateOrg(ctx, e.principalIn(t, "dist@example.com", dist), tenancy.NewOrg{ParentID: dist.ID,
		Kind: cam2drive.KindInstaller, Name: "Secure Install", Email: "boss@install.example", Language: "fr"}, ip)
	if err != nil {
		t.Fatal(err)
	}
	e.installer = e.principalIn(t, "boss@install.example", inst)
	return e
}

// principal logs in as an active user.
func (e *env) principal(t *testing.T, email string) store.Principal {
	t.Helper()
	s, err := e.auth.Login(context.Background(), email, opsPw, ip, "test")
	if err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	return s.Principal
}

// principalIn acts as an (invited) user of org, as the HTTP layer would
// after authentication.
func (e *env) principalIn(t *testing.T, email string, org cam2drive.Org) store.Principal {
	t.Helper()
	u, err := e.db.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return store.Principal{User: u, Org: org}
}

func (e *env) counts(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"orgs", "roles", "users", "sites", "outbox", "password_tokens", "audit_log", "river_job"} {
		out[table] = storetest.Count(t, e.db, table)
	}
	return out
}

func wantField(t *testing.T, err error, field, key string) {
	t.Helper()
	var ce *cam2drive.Error
	if !errors.As(err, &ce) || ce.Code != cam2drive.CodeInvalid || ce.Fields[field] != key {
		t.Fatalf("error = %v, want invalid %s=%s", err, field, key)
	}
}

func tokenOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || !strings.HasPrefix(link, publicURL+"/set-password?token=") || u.Query().Get("token") == "" {
		t.Fatalf("link %q is not a set-password link", link)
	}
	return u.Query().Get("token")
}

// The parts of each group share one environment and run in order.

func TestCreateClient(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		t.Run("org, roles, site, admin, invitation", func(t *testing.T) { testCreateClient(t, e) })
		t.Run("invitation language", func(t *testing.T) { testCreateOrgLanguage(t, e) })
	})
}

func TestInvitations(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		t.Run("invite", func(t *testing.T) { testInviteUser(t, e) })
		t.Run("resend", func(t *testing.T) { testResendInvitation(t, e) })
	})
}

func testCreateClient(t *testing.T, e *env) {
	ctx := context.Background()
	client, err := e.svc.CreateOrg(ctx, e.installer, tenancy.NewOrg{ParentID: e.installer.Org.ID, Kind: cam2drive.KindClient,
		Name: "  Boulangerie Martin ", Email: " Paul@Boulangerie.example ", Language: "fr", Address: "3 place du Marché", Phone: "0102030405"}, ip)
	if err != nil {
		t.Fatal(err)
	}
	if client.Kind != cam2drive.KindClient || client.ParentID != e.installer.Org.ID || client.Name != "Boulangerie Martin" ||
		client.Email != "paul@boulangerie.example" || !e.installer.Org.IsAncestorOrSelf(client) || client.Address != "3 place du Marché" {
		t.Errorf("org = %+v", client)
	}
	if got, err := e.db.Org(ctx, client.ID); err != nil || got.Path != client.Path {
		t.Errorf("stored org = %+v, %v", got, err)
	}

	roles, _ := e.db.Roles(ctx, client.ID)
	var builtins []string
	for _, r := range roles {
		builtins = append(builtins, r.Name+"/"+r.Builtin)
	}
	if want := []string{"Admin/admin", "Technician/technician", "Viewer/viewer"}; !slices.Equal(builtins, want) {
		t.Errorf("roles = %q, want %q", builtins, want)
	}

	sites, _, _ := e.db.Sites(ctx, client.ID, store.SiteFilter{}, cam2drive.Page{Limit: 10})
	if len(sites) != 1 || sites[0].Name != "default site" || sites[0].Timezone != "UTC" {
		t.Errorf("sites = %+v, want one default site in UTC", sites)
	}

	users, _, _ := e.db.Users(ctx, client.ID, store.UserFilter{}, cam2drive.Page{Limit: 10})
	if len(users) != 1 {
		t.Fatalf("users = %+v, want the first admin", users)
	}
	admin := users[0]
	if admin.Email != "paul@boulangerie.example" || admin.Status != cam2drive.UserInvited || admin.RoleName != "Admin" ||
		admin.PasswordHash != "" || admin.Preferences.Language != "fr" {
		t.Errorf("admin = %+v", admin)
	}

	mails, _ := e.db.Outbox(ctx, "paul@boulangerie.example", 10)
	if len(mails) != 1 || !strings.Contains(mails[0].Subject, "mot de passe") || !strings.Contains(mails[0].Text, "Boulangerie Martin") {
		t.Fatalf("outbox = %+v, want a French invitation", mails)
	}
	if ev, _, _ := e.db.Audit(ctx, e.installer.Org.ID, "org.created", cam2drive.Page{Limit: 10}); len(ev) != 1 || ev[0].Target != "Boulangerie Martin" {
		t.Errorf("org.created audit = %+v", ev)
	}
	if ev, _, _ := e.db.Audit(ctx, client.ID, "user.invited", cam2drive.Page{Limit: 10}); len(ev) != 1 || ev[0].Target != admin.Email {
		t.Errorf("user.invited audit = %+v", ev)
	}

	// The invitation's link opens the account.
	if err := e.auth.SetPassword(ctx, tokenOf(t, mails[0].Link), "ma boulangerie 1900", ip); err != nil {
		t.Fatal(err)
	}
	s, err := e.auth.Login(ctx, "paul@boulangerie.example", "ma boulangerie 1900", ip, "")
	if err != nil || s.Principal.Org.ID != client.ID || s.Principal.Role.Builtin != "admin" {
		t.Errorf("login after invitation: %+v, %v", s.Principal, err)
	}
}

func testCreateOrgLanguage(t *testing.T, e *env) {
	ctx := context.Background()
	for _, c := range []struct{ lang, email, subject string }{
		{"en", "en@example.com", "set your password"},
		{"fr", "fr@example.com", "mot de passe"},
		{"", "default@example.com", "mot de passe"}, // the installer admin's language (fr)
	} {
		_, err := e.svc.CreateOrg(ctx, e.installer, tenancy.NewOrg{ParentID: e.installer.Org.ID, Kind: cam2drive.KindClient,
			Name: "Client " + c.email, Email: c.email, Language: c.lang}, ip)
		if err != nil {
			t.Fatal(err)
		}
		mails, _ := e.db.Outbox(ctx, c.email, 10)
		if len(mails) != 1 || !strings.Contains(mails[0].Subject, c.subject) {
			t.Errorf("language %q: outbox %+v, want a subject with %q", c.lang, mails, c.subject)
		}
	}
}

func TestCreateOrgRefused(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		under := func(kind cam2drive.OrgKind, name, email string) tenancy.NewOrg {
			return tenancy.NewOrg{ParentID: e.installer.Org.ID, Kind: kind, Name: name, Email: email, Language: "en"}
		}
		before := e.counts(t)
		for _, c := range []struct {
			name       string
			org        tenancy.NewOrg
			field, key string
		}{
			{"installer under installer", under(cam2drive.KindInstaller, "Rival", "rival@example.com"), "kind", "invalid_kind"},
			{"platform", under(cam2drive.KindPlatform, "Rival", "rival@example.com"), "kind", "invalid_kind"},
			{"unknown kind", under("reseller", "Rival", "rival@example.com"), "kind", "invalid_kind"},
			{"bad e-mail", under(cam2drive.KindClient, "Shop", "not-an-email"), "email", "invalid_email"},
			{"e-mail with a space", under(cam2drive.KindClient, "Shop", "a b@example.com"), "email", "invalid_email"},
			{"no name", under(cam2drive.KindClient, "   ", "shop@example.com"), "name", "required"},
		} {
			_, err := e.svc.CreateOrg(ctx, e.installer, c.org, ip)
			var ce *cam2drive.Error
			if !errors.As(err, &ce) || ce.Code != cam2drive.CodeInvalid || ce.Fields[c.field] != c.key {
				t.Errorf("%s: %v, want invalid %s=%s", c.name, err, c.field, c.key)
			}
		}
		_, err := e.svc.CreateOrg(ctx, e.installer, tenancy.NewOrg{ParentID: cam2drive.NewID(), Kind: cam2drive.KindClient,
			Name: "Orphan", Email: "orphan@example.com"}, ip)
		if !cam2drive.IsNotFound(err) {
			t.Errorf("unknown parent: %v, want not found", err)
		}

		// An address already in use fails the whole creation: no org, role,
		// site, mail or job is left behind.
		_, err = e.svc.CreateOrg(ctx, e.installer, under(cam2drive.KindClient, "Copycat", "OPS@example.com"), ip)
		var ce *cam2drive.Error
		if !errors.As(err, &ce) || ce.Code != cam2drive.CodeConflict || ce.Key != "email_taken" || ce.Fields["email"] != "email_taken" {
			t.Errorf("e-mail in use: %v, want conflict email_taken", err)
		}
		if after := e.counts(t); !maps.Equal(after, before) {
			t.Errorf("refused creations changed the database:\nbefore %v\nafter  %v", before, after)
		}
	})
}

func testInviteUser(t *testing.T, e *env) {
	ctx := context.Background()
	org := e.installer.Org
	roles, _ := e.db.Roles(ctx, org.ID)
	tech := roles[1]
	foreign, _ := e.db.Roles(ctx, e.operator.Org.ID)

	before := e.counts(t)
	_, err := e.svc.InviteUser(ctx, e.installer, org, "tech@example.com", cam2drive.NewID(), "Tech", "en", ip)
	wantField(t, err, "role_id", "unknown_role")
	_, err = e.svc.InviteUser(ctx, e.installer, org, "tech@example.com", foreign[0].ID, "Tech", "en", ip)
	wantField(t, err, "role_id", "unknown_role")
	_, err = e.svc.InviteUser(ctx, e.installer, org, "tech@", tech.ID, "Tech", "en", ip)
	wantField(t, err, "email", "invalid_email")
	_, err = e.svc.InviteUser(ctx, e.installer, org, "tech@example.com", tech.ID, strings.Repeat("x", 201), "en", ip)
	wantField(t, err, "name", "too_long")
	_, err = e.svc.InviteUser(ctx, e.installer, org, "Ops@Example.com", tech.ID, "Tech", "en", ip)
	if cam2drive.ErrorCode(err) != cam2drive.CodeConflict {
		t.Errorf("e-mail in use: %v, want conflict", err)
	}
	if after := e.counts(t); !maps.Equal(after, before) {
		t.Errorf("refused invitations changed the database:\nbefore %v\nafter  %v", before, after)
	}

	u, err := e.svc.InviteUser(ctx, e.installer, org, " Tech@Example.com", tech.ID, " Théo ", "", ip)
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "tech@example.com" || u.Name != "Théo" || u.RoleID != tech.ID || u.RoleName != "Technician" ||
		u.Status != cam2drive.UserInvited || u.OrgID != org.ID || u.Preferences.Language != "fr" {
		t.Errorf("user = %+v", u)
	}
	mails, _ := e.db.Outbox(ctx, "tech@example.com", 10)
	if len(mails) != 1 || !strings.Contains(mails[0].Subject, "mot de passe") || !strings.Contains(mails[0].Text, "Secure Install") {
		t.Errorf("outbox = %+v", mails)
	}
	tokenOf(t, mails[0].Link)
}

func testResendInvitation(t *testing.T, e *env) {
	ctx := context.Background()
	org := e.installer.Org
	roles, _ := e.db.Roles(ctx, org.ID)
	u, err := e.svc.InviteUser(ctx, e.installer, org, "late@example.com", roles[2].ID, "", "en", ip)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ResendInvitation(ctx, e.installer, org, u.ID); err != nil {
		t.Fatal(err)
	}
	mails, _ := e.db.Outbox(ctx, "late@example.com", 10)
	if len(mails) != 2 || mails[0].Link == mails[1].Link {
		t.Fatalf("outbox = %+v, want two invitations with different links", mails)
	}
	if err := e.auth.SetPassword(ctx, tokenOf(t, mails[0].Link), "finally joining in", ip); err != nil {
		t.Fatalf("newest link: %v", err)
	}

	var ce *cam2drive.Error
	err = e.svc.ResendInvitation(ctx, e.installer, org, u.ID)
	if !errors.As(err, &ce) || ce.Code != cam2drive.CodeConflict || ce.Key != "already_active" {
		t.Errorf("resend to an active user: %v, want conflict already_active", err)
	}
	if err := e.svc.ResendInvitation(ctx, e.installer, e.operator.Org, u.ID); !cam2drive.IsNotFound(err) {
		t.Errorf("resend through another org: %v, want not found", err)
	}
	if mails, _ := e.db.Outbox(ctx, "late@example.com", 10); len(mails) != 2 {
		t.Errorf("refused resends mailed: %d mails", len(mails))
	}
}

func TestBootstrap(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			e := newService(t, d)

			_, _, err := e.svc.Bootstrap(ctx, "ops@example.com", "password123")
			wantField(t, err, "password", "password_too_common")
			_, _, err = e.svc.Bootstrap(ctx, "ops@example.com", "ops@example.com")
			wantField(t, err, "password", "password_is_email")
			_, _, err = e.svc.Bootstrap(ctx, "ops", opsPw)
			wantField(t, err, "email", "invalid_email")
			if n := storetest.Count(t, e.db, "orgs"); n != 0 {
				t.Fatalf("refused bootstrap created %d orgs", n)
			}

			u, created, err := e.svc.Bootstrap(ctx, "Ops@Example.com", opsPw)
			if err != nil || !created {
				t.Fatalf("first bootstrap: created=%v, %v", created, err)
			}
			p := e.principal(t, "ops@example.com")
			if p.User.ID != u.ID || p.Org.Kind != cam2drive.KindPlatform || p.Org.ParentID != "" || p.Role.Builtin != "admin" {
				t.Errorf("operator = %+v", p)
			}

			again, created, err := e.svc.Bootstrap(ctx, "ops@example.com", "a different passphrase")
			if err != nil || created || again.ID != u.ID {
				t.Errorf("second bootstrap: %s created=%v, %v; want the same user, not created", again.ID, created, err)
			}
			e.principal(t, "ops@example.com") // the password was not replaced

			second, created, err := e.svc.Bootstrap(ctx, "backup-ops@example.com", opsPw)
			if err != nil || !created || second.OrgID != u.OrgID {
				t.Errorf("second operator: %+v created=%v, %v; want them in the existing platform", second, created, err)
			}
			if n := storetest.Count(t, e.db, "orgs"); n != 1 {
				t.Errorf("%d orgs, want one platform", n)
			}
			if roles, _ := e.db.Roles(ctx, u.OrgID); len(roles) != 3 {
				t.Errorf("platform roles = %d, want the 3 built-in ones", len(roles))
			}
		})
	}
}
