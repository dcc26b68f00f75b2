package store_test

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/store"
	"github.com/cam2drive/cam2drive/internal/storetest"
)

func TestRoles(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		org := mustOrg(t, db, "", cam2drive.KindClient, "Shop", "shop@example.com")
		other := mustOrg(t, db, "", cam2drive.KindClient, "Other", "other@example.com")

		// A custom role made first still lists after the built-in ones.
		guard := mustRole(t, db, org.ID, "Guard", "", "recordings.view", "cameras.view")
		viewer := mustRole(t, db, org.ID, "Viewer", "viewer", "recordings.view")
		admin := mustRole(t, db, org.ID, "Admin", "admin", "users.manage", "roles.manage")
		tech := mustRole(t, db, org.ID, "Technician", "technician", "sites.manage")
		empty := mustRole(t, db, org.ID, "Nothing", "")

		roles, err := db.Roles(ctx, org.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(roles, roleName)[:3]; !slices.Equal(got, []string{"Admin", "Technician", "Viewer"}) {
			t.Errorf("Roles starts with %q, want the built-in roles in order", got)
		}
		if got := ids(roles, roleName)[3:]; !sameSet(got, []string{"Guard", "Nothing"}) {
			t.Errorf("custom roles = %q", got)
		}

		got, err := db.Role(ctx, org.ID, guard.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Guard" || got.OrgID != org.ID || got.Builtin != "" ||
			!slices.Equal(got.Permissions, []string{"recordings.view", "cameras.view"}) || got.UserCount != 0 {
			t.Errorf("Role = %+v", got)
		}
		if got, _ := db.Role(ctx, org.ID, empty.ID); got.Permissions == nil || len(got.Permissions) != 0 {
			t.Errorf("role without permissions: %#v, want an empty list", got.Permissions)
		}

		dup := cam2drive.Role{OrgID: org.ID, Name: "Guard"}
		e := wantCode(t, db.CreateRole(ctx, &dup), cam2drive.CodeConflict, "role_name_taken")
		if e.Fields["name"] != "role_name_taken" {
			t.Errorf("conflict fields = %v", e.Fields)
		}
		mustRole(t, db, other.ID, "Guard", "") // the same name in another organisation is fine

		mustUser(t, db, org.ID, guard.ID, "g1@example.com", "G1")
		mustUser(t, db, org.ID, guard.ID, "g2@example.com", "G2")
		mustUser(t, db, org.ID, admin.ID, "a@example.com", "A")
		counts := map[string]int{}
		roles, _ = db.Roles(ctx, org.ID)
		for _, r := range roles {
			counts[r.Name] = r.UserCount
		}
		if want := map[string]int{"Admin": 1, "Technician": 0, "Viewer": 0, "Guard": 2, "Nothing": 0}; !maps.Equal(counts, want) {
			t.Errorf("user counts = %v, want %v", counts, want)
		}

		guard.Name, guard.Permissions = "Night guard", []string{"recordings.view"}
		if err := db.UpdateRole(ctx, guard); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Role(ctx, org.ID, guard.ID); got.Name != "Night guard" || !slices.Equal(got.Permissions, []string{"recordings.view"}) {
			t.Errorf("after UpdateRole: %+v", got)
		}
		guard.Name = "Technician"
		wantCode(t, db.UpdateRole(ctx, guard), cam2drive.CodeConflict, "role_name_taken")
		wantNotFound(t, db.UpdateRole(ctx, cam2drive.Role{OrgID: org.ID, ID: cam2drive.NewID(), Name: "X"}))

		wantCode(t, db.DeleteRole(ctx, org.ID, guard.ID), cam2drive.CodeConflict, "role_in_use")
		if _, err := db.Role(ctx, org.ID, guard.ID); err != nil {
			t.Errorf("refused delete removed the role: %v", err)
		}
		if err := db.DeleteRole(ctx, org.ID, tech.ID); err != nil {
			t.Errorf("delete unused role: %v", err)
		}
		_, err = db.Role(ctx, org.ID, tech.ID)
		wantNotFound(t, err)
		wantNotFound(t, db.DeleteRole(ctx, org.ID, tech.ID))

		// Once nobody holds it, the role can go.
		users, _, _ := db.Users(ctx, org.ID, store.UserFilter{RoleID: guard.ID}, cam2drive.Page{Limit: 10})
		for _, u := range users {
			if err := db.SetUserRole(ctx, org.ID, u.ID, viewer.ID); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.DeleteRole(ctx, org.ID, guard.ID); err != nil {
			t.Errorf("delete role no longer held: %v", err)
		}
	})
}

func TestUsers(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		org := mustOrg(t, db, "", cam2drive.KindClient, "Shop", "shop@example.com")
		other := mustOrg(t, db, "", cam2drive.KindClient, "Other", "other@example.com")
		admin := mustRole(t, db, org.ID, "Admin", "admin", "users.manage")
		viewer := mustRole(t, db, org.ID, "Viewer", "viewer", "recordings.view")
		otherRole := mustRole(t, db, other.ID, "Viewer", "viewer")

		alice := mustUser(t, db, org.ID, admin.ID, "  Alice@Example.COM ", "Alice Martin")
		if alice.Email != "alice@example.com" {
			t.Errorf("stored e-mail %q, want it trimmed and lower-case", alice.Email)
		}
		got, err := db.UserByEmail(ctx, "ALICE@example.com")
		if err != nil || got.ID != alice.ID {
			t.Fatalf("UserByEmail = %v, %v", got.ID, err)
		}
		if got.RoleName != "Admin" || got.Status != cam2drive.UserActive || got.Name != "Alice Martin" ||
			got.Preferences != cam2drive.DefaultPreferences("en") {
			t.Errorf("User = %+v", got)
		}

		for _, email := range []string{"alice@example.com", "ALICE@EXAMPLE.COM "} {
			u := cam2drive.User{OrgID: other.ID, RoleID: otherRole.ID, Email: email, Status: cam2drive.UserInvited}
			err := db.InTx(ctx, func(tx *store.Tx) error { return tx.CreateUser(ctx, &u) })
			e := wantCode(t, err, cam2drive.CodeConflict, "email_taken")
			if e.Fields["email"] != "email_taken" {
				t.Errorf("conflict fields = %v", e.Fields)
			}
		}

		mustUser(t, db, org.ID, viewer.ID, "bob@example.com", "Bob 100%")
		mustUser(t, db, org.ID, viewer.ID, "carol_x@example.com", "Carol")
		mustUser(t, db, org.ID, viewer.ID, "carolyx@example.com", "Caroline")
		mustUser(t, db, other.ID, otherRole.ID, "dave@example.com", "Alice's twin")

		for _, c := range []struct {
			name   string
			filter store.UserFilter
			want   []string
		}{
			{"all, by e-mail", store.UserFilter{}, []string{"alice@example.com", "bob@example.com", "carol_x@example.com", "carolyx@example.com"}},
			{"role", store.UserFilter{RoleID: admin.ID}, []string{"alice@example.com"}},
			{"name", store.UserFilter{Query: "MARTIN"}, []string{"alice@example.com"}},
			{"e-mail", store.UserFilter{Query: "bob@"}, []string{"bob@example.com"}},
			{"percent is literal", store.UserFilter{Query: "100%"}, []string{"bob@example.com"}},
			{"underscore is literal", store.UserFilter{Query: "l_x"}, []string{"carol_x@example.com"}},
			{"role and query", store.UserFilter{RoleID: viewer.ID, Query: "carol"}, []string{"carol_x@example.com", "carolyx@example.com"}},
			{"role of another org", store.UserFilter{RoleID: otherRole.ID}, nil},
		} {
			users, total, err := db.Users(ctx, org.ID, c.filter, cam2drive.Page{Limit: 100})
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if got := ids(users, userEmail); !slices.Equal(got, c.want) || total != len(c.want) {
				t.Errorf("%s: got %q (total %d), want %q", c.name, got, total, c.want)
			}
		}
		page, total, _ := db.Users(ctx, org.ID, store.UserFilter{}, cam2drive.Page{Limit: 2, Offset: 1})
		if got := ids(page, userEmail); !slices.Equal(got, []string{"bob@example.com", "carol_x@example.com"}) || total != 4 {
			t.Errorf("page 2 of 2 = %q, total %d", got, total)
		}

		wantNotFound(t, db.SetUserRole(ctx, org.ID, alice.ID, otherRole.ID))
		if got, _ := db.User(ctx, org.ID, alice.ID); got.RoleID != admin.ID {
			t.Errorf("role of another org was assigned: %s", got.RoleID)
		}
		if err := db.SetUserRole(ctx, org.ID, alice.ID, viewer.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.User(ctx, org.ID, alice.ID); got.RoleID != viewer.ID || got.RoleName != "Viewer" {
			t.Errorf("after SetUserRole: %s %s", got.RoleID, got.RoleName)
		}
		if err := db.SetUserName(ctx, org.ID, alice.ID, "Alice Dupont"); err != nil {
			t.Fatal(err)
		}
		prefs := cam2drive.Preferences{Theme: "dark", Language: "fr", Density: "compact", RowsPerPage: 50}
		if err := db.SetPreferences(ctx, alice.ID, prefs); err != nil {
			t.Fatal(err)
		}
		login := time.Date(2030, 1, 2, 3, 4, 5, 6e6, time.UTC)
		if err := db.TouchLogin(ctx, alice.ID, login); err != nil {
			t.Fatal(err)
		}
		got, _ = db.UserByID(ctx, alice.ID)
		if got.Name != "Alice Dupont" || got.Preferences != prefs || !got.LastLoginAt.Equal(login) {
			t.Errorf("after edits: %+v", got)
		}
		if n, err := db.CountUsers(ctx); err != nil || n != 5 {
			t.Errorf("CountUsers = %d, %v; want 5", n, err)
		}
	})
}

// Deleting a person ends everything that let them in.
func TestDeleteUserRevokesCredentials(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tn := newTenant(t, db, "acme")
		keep := mustUser(t, db, tn.org.ID, tn.admin.ID, "keep@example.com", "Keep")
		now := time.Now()
		for _, u := range []cam2drive.User{tn.user, keep} {
			if err := db.CreateSession(ctx, "sess-"+u.ID, u.ID, "csrf", "192.0.2.1", "test", now.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			tok := store.APIToken{UserID: u.ID, Name: "ci", Prefix: "c2d_abcdef"}
			if err := db.CreateAPIToken(ctx, &tok, "tok-"+u.ID); err != nil {
				t.Fatal(err)
			}
			inTx(t, db, func(tx *store.Tx) error {
				return tx.CreatePasswordToken(ctx, "link-"+u.ID, u.ID, "reset", now.Add(time.Hour))
			})
		}

		if err := db.DeleteUser(ctx, tn.org.ID, tn.user.ID); err != nil {
			t.Fatal(err)
		}
		_, err := db.User(ctx, tn.org.ID, tn.user.ID)
		wantNotFound(t, err)
		_, err = db.PrincipalBySession(ctx, "sess-"+tn.user.ID, now)
		wantNotFound(t, err)
		_, err = db.PrincipalByToken(ctx, "tok-"+tn.user.ID)
		wantNotFound(t, err)
		_, err = db.LivePasswordToken(ctx, "link-"+tn.user.ID, now)
		wantNotFound(t, err)
		for table, want := range map[string]int{"sessions": 1, "api_tokens": 1, "password_tokens": 1} {
			if n := storetest.Count(t, db, table); n != want {
				t.Errorf("%s rows = %d, want %d (the other user's)", table, n, want)
			}
		}
		if _, err := db.PrincipalBySession(ctx, "sess-"+keep.ID, now); err != nil {
			t.Errorf("another user's session ended: %v", err)
		}
		wantNotFound(t, db.DeleteUser(ctx, tn.org.ID, tn.user.ID))
	})
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
