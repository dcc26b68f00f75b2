package store_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/store"
	"github.com/cam2drive/cam2drive/internal/storetest"
)

// TestSites covers sites and the recorders that pin them; both parts share
// one database.
func TestSites(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		t.Run("crud and filters", func(t *testing.T) { testSites(t, db) })
		t.Run("recorders", func(t *testing.T) { testSiteRecorders(t, db) })
	})
}

func testSites(t *testing.T, db *store.DB) {
	ctx := context.Background()
	org := mustOrg(t, db, "", cam2drive.KindClient, "Shop", "shop@example.com")
	other := mustOrg(t, db, "", cam2drive.KindClient, "Other", "other@example.com")
	paris := mustSite(t, db, org.ID, "Paris Store", "Europe/Paris", "10 rue de Rivoli")
	mustSite(t, db, org.ID, "Lyon 100% Depot", "Europe/Paris", "5 quai_Saint-Antoine")
	mustSite(t, db, org.ID, "Lyon 1000 Depot", "Europe/Paris", "7 quaiXSaint-Antoine")
	mustSite(t, db, org.ID, "Montreal", "America/Toronto", "1 rue Sainte-Catherine")
	mustSite(t, db, other.ID, "Paris Elsewhere", "Europe/Paris", "10 rue de Rivoli")

	got, err := db.Site(ctx, org.ID, paris.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Paris Store" || got.Timezone != "Europe/Paris" || got.Address != "10 rue de Rivoli" ||
		got.OrgID != org.ID || got.RecorderCount != 0 || got.CreatedAt.IsZero() {
		t.Errorf("Site = %+v", got)
	}

	for _, c := range []struct {
		name   string
		filter store.SiteFilter
		want   []string
	}{
		{"all of the org", store.SiteFilter{}, []string{"Paris Store", "Lyon 100% Depot", "Lyon 1000 Depot", "Montreal"}},
		{"name, any case", store.SiteFilter{Name: "PARIS"}, []string{"Paris Store"}},
		{"percent is literal", store.SiteFilter{Name: "100%"}, []string{"Lyon 100% Depot"}},
		{"address", store.SiteFilter{Address: "rivoli"}, []string{"Paris Store"}},
		{"underscore is literal", store.SiteFilter{Address: "quai_"}, []string{"Lyon 100% Depot"}},
		{"time zone, exact", store.SiteFilter{Timezone: "America/Toronto"}, []string{"Montreal"}},
		{"time zone is not a substring", store.SiteFilter{Timezone: "Europe"}, nil},
		{"name and time zone", store.SiteFilter{Name: "lyon", Timezone: "Europe/Paris"}, []string{"Lyon 100% Depot", "Lyon 1000 Depot"}},
	} {
		sites, total, err := db.Sites(ctx, org.ID, c.filter, cam2drive.Page{Limit: 100})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if names := ids(sites, siteName); !sameSet(names, c.want) || total != len(c.want) {
			t.Errorf("%s: got %q (total %d), want %q", c.name, names, total, c.want)
		}
	}
	var paged []string
	for off := 0; off < 4; off += 3 {
		page, total, err := db.Sites(ctx, org.ID, store.SiteFilter{}, cam2drive.Page{Limit: 3, Offset: off})
		if err != nil || total != 4 || len(page) > 3 {
			t.Fatalf("offset %d: %d sites, total %d, %v", off, len(page), total, err)
		}
		paged = append(paged, ids(page, siteName)...)
	}
	if !sameSet(paged, []string{"Paris Store", "Lyon 100% Depot", "Lyon 1000 Depot", "Montreal"}) {
		t.Errorf("pages = %q, want each site once", paged)
	}

	paris.Name, paris.Timezone, paris.Address = "Paris Flagship", "Europe/Brussels", "12 rue de Rivoli"
	if err := db.UpdateSite(ctx, paris); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Site(ctx, org.ID, paris.ID); got.Name != "Paris Flagship" || got.Timezone != "Europe/Brussels" || got.Address != "12 rue de Rivoli" {
		t.Errorf("after UpdateSite: %+v", got)
	}
	wantNotFound(t, db.UpdateSite(ctx, cam2drive.Site{OrgID: org.ID, ID: cam2drive.NewID(), Name: "x", Timezone: "UTC"}))
}

// A site is deleted only once its recorders are gone, and a recorder only
// goes on a site of its own organisation.
func testSiteRecorders(t *testing.T, db *store.DB) {
	ctx := context.Background()
	a := newTenant(t, db, "acme")
	b := newTenant(t, db, "globex")

	if _, err := db.CreateRecorder(ctx, b.org.ID, a.site.ID, "intruder NVR"); err == nil {
		t.Fatal("recorder created on another organisation's site")
	} else if e := wantCode(t, err, cam2drive.CodeInvalid, ""); e.Fields["site_id"] != "not_found" {
		t.Errorf("fields = %v", e.Fields)
	}
	if n := storetest.Count(t, db, "recorders"); n != 0 {
		t.Errorf("%d recorders after a refused create", n)
	}

	id, err := db.CreateRecorder(ctx, a.org.ID, a.site.ID, "NVR 1")
	if err != nil || !cam2drive.ValidID(id) {
		t.Fatalf("CreateRecorder = %q, %v", id, err)
	}
	if s, _ := db.Site(ctx, a.org.ID, a.site.ID); s.RecorderCount != 1 {
		t.Errorf("RecorderCount = %d, want 1", s.RecorderCount)
	}
	if sites, _, _ := db.Sites(ctx, a.org.ID, store.SiteFilter{}, cam2drive.Page{Limit: 10}); len(sites) != 1 || sites[0].RecorderCount != 1 {
		t.Errorf("Sites = %+v", sites)
	}

	wantCode(t, db.DeleteSite(ctx, a.org.ID, a.site.ID), cam2drive.CodeConflict, "site_has_recorders")
	if _, err := db.Site(ctx, a.org.ID, a.site.ID); err != nil {
		t.Errorf("refused delete removed the site: %v", err)
	}

	empty := mustSite(t, db, a.org.ID, "Empty", "UTC", "")
	if err := db.DeleteSite(ctx, a.org.ID, empty.ID); err != nil {
		t.Fatal(err)
	}
	_, err = db.Site(ctx, a.org.ID, empty.ID)
	wantNotFound(t, err)
	wantNotFound(t, db.DeleteSite(ctx, a.org.ID, empty.ID))
}

// Every tenant-scoped read, update and delete, given another organisation's
// id, answers "not found" (or an empty list) and changes nothing.
func TestTenantIsolation(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newTenant(t, db, "acme")
		b := mustOrg(t, db, "", cam2drive.KindClient, "Globex", "globex@example.com")
		bRole := mustRole(t, db, b.ID, "Viewer", "viewer")
		if _, err := db.CreateRecorder(ctx, a.org.ID, a.site.ID, "NVR"); err != nil {
			t.Fatal(err)
		}
		bare := mustSite(t, db, a.org.ID, "Bare", "UTC", "")
		if err := db.CreateSession(ctx, "a-session", a.user.ID, "c", "", "", farFuture); err != nil {
			t.Fatal(err)
		}
		if err := db.AddAudit(ctx, cam2drive.AuditEvent{OrgID: a.org.ID, Action: "login.ok"}); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, db, a.org.ID)

		for _, c := range []struct {
			name string
			call func() error
		}{
			{"Role", func() error { _, err := db.Role(ctx, b.ID, a.role.ID); return err }},
			{"UpdateRole", func() error {
				return db.UpdateRole(ctx, cam2drive.Role{OrgID: b.ID, ID: a.role.ID, Name: "Pwned", Permissions: []string{"users.manage"}})
			}},
			{"DeleteRole unused", func() error { return db.DeleteRole(ctx, b.ID, a.role.ID) }},
			{"DeleteRole in use", func() error { return db.DeleteRole(ctx, b.ID, a.admin.ID) }},
			{"User", func() error { _, err := db.User(ctx, b.ID, a.user.ID); return err }},
			{"SetUserRole", func() error { return db.SetUserRole(ctx, b.ID, a.user.ID, bRole.ID) }},
			{"SetUserRole to a foreign role", func() error { return db.SetUserRole(ctx, a.org.ID, a.user.ID, bRole.ID) }},
			{"SetUserName", func() error { return db.SetUserName(ctx, b.ID, a.user.ID, "Pwned") }},
			{"DeleteUser", func() error { return db.DeleteUser(ctx, b.ID, a.user.ID) }},
			{"Site", func() error { _, err := db.Site(ctx, b.ID, a.site.ID); return err }},
			{"UpdateSite", func() error {
				return db.UpdateSite(ctx, cam2drive.Site{OrgID: b.ID, ID: a.site.ID, Name: "Pwned", Timezone: "UTC"})
			}},
			{"DeleteSite with recorders", func() error { return db.DeleteSite(ctx, b.ID, a.site.ID) }},
			{"DeleteSite bare", func() error { return db.DeleteSite(ctx, b.ID, bare.ID) }},
		} {
			if err := c.call(); !cam2drive.IsNotFound(err) {
				t.Errorf("%s with another org's id: %v, want not found", c.name, err)
			}
		}

		if sites, total, err := db.Sites(ctx, b.ID, store.SiteFilter{}, cam2drive.Page{Limit: 100}); err != nil || len(sites) != 0 || total != 0 {
			t.Errorf("Sites(B) = %d sites, total %d, %v", len(sites), total, err)
		}
		if users, total, err := db.Users(ctx, b.ID, store.UserFilter{}, cam2drive.Page{Limit: 100}); err != nil || len(users) != 0 || total != 0 {
			t.Errorf("Users(B) = %d users, total %d, %v", len(users), total, err)
		}
		if users, total, _ := db.Users(ctx, b.ID, store.UserFilter{RoleID: a.admin.ID}, cam2drive.Page{Limit: 100}); len(users) != 0 || total != 0 {
			t.Errorf("Users(B, role of A) = %d users", len(users))
		}
		if roles, err := db.Roles(ctx, b.ID); err != nil || len(roles) != 1 || roles[0].ID != bRole.ID {
			t.Errorf("Roles(B) = %+v, %v; want only B's role", roles, err)
		}
		if events, total, err := db.Audit(ctx, b.ID, "", cam2drive.Page{Limit: 100}); err != nil || len(events) != 0 || total != 0 {
			t.Errorf("Audit(B) = %d events, total %d, %v", len(events), total, err)
		}

		if after := snapshot(t, db, a.org.ID); !reflect.DeepEqual(before, after) {
			t.Errorf("org A changed:\nbefore %+v\nafter  %+v", before, after)
		}
		if _, err := db.PrincipalBySession(ctx, "a-session", farFuture.AddDate(-1, 0, 0)); err != nil {
			t.Errorf("A's session ended by B: %v", err)
		}
	})
}

// orgState is everything an organisation's people would see of it.
type orgState struct {
	Roles []cam2drive.Role
	Users []cam2drive.User
	Sites []cam2drive.Site
	Audit int
}

func snapshot(t *testing.T, db *store.DB, orgID string) orgState {
	t.Helper()
	ctx := context.Background()
	var s orgState
	var err error
	if s.Roles, err = db.Roles(ctx, orgID); err != nil {
		t.Fatal(err)
	}
	if s.Users, _, err = db.Users(ctx, orgID, store.UserFilter{}, cam2drive.Page{Limit: 100}); err != nil {
		t.Fatal(err)
	}
	if s.Sites, _, err = db.Sites(ctx, orgID, store.SiteFilter{}, cam2drive.Page{Limit: 100}); err != nil {
		t.Fatal(err)
	}
	if _, s.Audit, err = db.Audit(ctx, orgID, "", cam2drive.Page{Limit: 1}); err != nil {
		t.Fatal(err)
	}
	return s
}
