package authz_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/authz"
)

// tree builds the hierarchy the decisions are checked on:
//
//	P (platform)
//	├── D1 (distributor)
//	│   ├── I1 (installer) ── C1, C1b (clients)
//	│   └── I2 (installer) ── C2
//	└── D2 (distributor)
//	    └── I3 (installer) ── C3
func tree() map[string]cam2drive.Org {
	orgs := map[string]cam2drive.Org{}
	add := func(name, parent string, kind cam2drive.OrgKind) {
		path := name + "/"
		if parent != "" {
			path = orgs[parent].Path + path
		}
		orgs[name] = cam2drive.Org{ID: name, ParentID: parent, Kind: kind, Name: name, Path: path}
	}
	add("P", "", cam2drive.KindPlatform)
	add("D1", "P", cam2drive.KindDistributor)
	add("D2", "P", cam2drive.KindDistributor)
	add("I1", "D1", cam2drive.KindInstaller)
	add("I2", "D1", cam2drive.KindInstaller)
	add("I3", "D2", cam2drive.KindInstaller)
	add("C1", "I1", cam2drive.KindClient)
	add("C1b", "I1", cam2drive.KindClient)
	add("C2", "I2", cam2drive.KindClient)
	add("C3", "I3", cam2drive.KindClient)
	return orgs
}

// name makes decisions readable in failure messages.
func name(d authz.Decision) string {
	return map[authz.Decision]string{authz.Allow: "Allow", authz.Hidden: "Hidden", authz.Denied: "Denied"}[d]
}

func TestCheckReach(t *testing.T) {
	orgs := tree()
	all := authz.BuiltinRoles()[0].Permissions
	for _, c := range []struct {
		actor, relation, target string
		want                    authz.Decision
	}{
		{"P", "self", "P", authz.Allow},
		{"P", "child", "D1", authz.Allow},
		{"P", "grandchild", "I3", authz.Allow},
		{"P", "great-grandchild", "C2", authz.Allow},

		{"D1", "self", "D1", authz.Allow},
		{"D1", "child", "I2", authz.Allow},
		{"D1", "grandchild", "C1", authz.Allow},
		{"D1", "parent", "P", authz.Hidden},
		{"D1", "sibling", "D2", authz.Hidden},
		{"D1", "sibling's child", "I3", authz.Hidden},
		{"D1", "sibling's grandchild", "C3", authz.Hidden},

		{"I1", "self", "I1", authz.Allow},
		{"I1", "child", "C1", authz.Allow},
		{"I1", "parent", "D1", authz.Hidden},
		{"I1", "grandparent", "P", authz.Hidden},
		{"I1", "sibling", "I2", authz.Hidden},
		{"I1", "nephew", "C2", authz.Hidden},
		{"I1", "cousin", "I3", authz.Hidden},
		{"I1", "cousin's child", "C3", authz.Hidden},

		{"C1", "self", "C1", authz.Allow},
		{"C1", "parent", "I1", authz.Hidden},
		{"C1", "grandparent", "D1", authz.Hidden},
		{"C1", "sibling", "C1b", authz.Hidden},
		{"C1", "cousin", "C2", authz.Hidden},
		{"C1", "second cousin", "C3", authz.Hidden},
	} {
		actor := authz.Actor{Org: orgs[c.actor], Permissions: all}
		if got := authz.Check(actor, authz.SitesManage, orgs[c.target]); got != c.want {
			t.Errorf("%s (%s) on its %s %s: %s, want %s", c.actor, orgs[c.actor].Kind, c.relation, c.target, name(got), name(c.want))
		}
		// Without the permission, what was allowed is denied; what was
		// hidden stays hidden, so a foreign id never reads as "forbidden".
		want := authz.Hidden
		if c.want == authz.Allow {
			want = authz.Denied
		}
		viewer := authz.Actor{Org: orgs[c.actor], Permissions: []string{string(authz.SitesView)}}
		if got := authz.Check(viewer, authz.SitesManage, orgs[c.target]); got != want {
			t.Errorf("%s on %s without sites.manage: %s, want %s", c.actor, c.target, name(got), name(want))
		}
	}
}

func TestCheckEdgeCases(t *testing.T) {
	a := cam2drive.Org{ID: "a", Path: "a/"}
	ab := cam2drive.Org{ID: "ab", Path: "ab/"} // id with a's id as a prefix: not a child
	for _, c := range []struct {
		name   string
		actor  authz.Actor
		target cam2drive.Org
		want   authz.Decision
	}{
		{"id prefix is not ancestry", authz.Actor{Org: a, Permissions: []string{"sites.view"}}, ab, authz.Hidden},
		{"actor without an org", authz.Actor{Permissions: []string{"sites.view"}}, a, authz.Hidden},
		{"no permissions", authz.Actor{Org: a}, a, authz.Denied},
		{"permission of another action", authz.Actor{Org: a, Permissions: []string{"sites.manage"}}, a, authz.Denied},
		{"permission needs the exact key", authz.Actor{Org: a, Permissions: []string{"sites"}}, a, authz.Denied},
	} {
		if got := authz.Check(c.actor, authz.SitesView, c.target); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, name(got), name(c.want))
		}
	}
}

func builtin(t *testing.T, key string) cam2drive.Role {
	t.Helper()
	for _, r := range authz.BuiltinRoles() {
		if r.Builtin == key {
			return r
		}
	}
	t.Fatalf("no built-in role %q", key)
	return cam2drive.Role{}
}

func TestBuiltinRoles(t *testing.T) {
	roles := authz.BuiltinRoles()
	var keys, names []string
	for _, r := range roles {
		keys, names = append(keys, r.Builtin), append(names, r.Name)
		seen := map[string]bool{}
		for _, p := range r.Permissions {
			if !authz.Known(p) {
				t.Errorf("%s holds %q, which is not in the catalogue", r.Name, p)
			}
			if seen[p] {
				t.Errorf("%s holds %q twice", r.Name, p)
			}
			seen[p] = true
		}
	}
	if want := []string{authz.Admin, authz.Technician, authz.Viewer}; !slices.Equal(keys, want) {
		t.Errorf("built-in keys = %q, want %q", keys, want)
	}
	if want := []string{"Admin", "Technician", "Viewer"}; !slices.Equal(names, want) {
		t.Errorf("built-in names = %q, want %q", names, want)
	}

	admin := builtin(t, authz.Admin)
	for _, e := range authz.Catalogue() {
		if !slices.Contains(admin.Permissions, string(e.Key)) {
			t.Errorf("Admin lacks %s", e.Key)
		}
	}

	for _, p := range builtin(t, authz.Viewer).Permissions {
		if strings.HasSuffix(p, ".manage") || p == string(authz.AuditView) {
			t.Errorf("Viewer holds %s", p)
		}
	}
	viewer := builtin(t, authz.Viewer).Permissions
	for _, p := range []authz.Permission{authz.RecordingsView, authz.CamerasView, authz.SitesView} {
		if !slices.Contains(viewer, string(p)) {
			t.Errorf("Viewer lacks %s: they could not watch footage", p)
		}
	}

	tech := builtin(t, authz.Technician).Permissions
	for _, p := range []authz.Permission{authz.UsersManage, authz.RolesManage, authz.SubscriptionsManage, authz.OrgsManage} {
		if slices.Contains(tech, string(p)) {
			t.Errorf("Technician holds %s", p)
		}
	}
	for _, p := range []authz.Permission{authz.RecordersManage, authz.CamerasManage, authz.SitesManage} {
		if !slices.Contains(tech, string(p)) {
			t.Errorf("Technician lacks %s: they could not run the installation", p)
		}
	}

	// Callers may change the roles they get without changing the next caller's.
	roles[0].Permissions[0] = "tampered"
	if authz.BuiltinRoles()[0].Permissions[0] == "tampered" {
		t.Error("BuiltinRoles shares its slices between calls")
	}
}

func TestCatalogue(t *testing.T) {
	seen := map[authz.Permission]bool{}
	for _, e := range authz.Catalogue() {
		if seen[e.Key] {
			t.Errorf("%s listed twice", e.Key)
		}
		seen[e.Key] = true
		if e.Group == "" {
			t.Errorf("%s has no group", e.Key)
		}
		if !authz.Known(string(e.Key)) {
			t.Errorf("Known(%s) = false", e.Key)
		}
	}
	for _, p := range []string{"", "sites", "sites.delete", "SITES.VIEW", " sites.view"} {
		if authz.Known(p) {
			t.Errorf("Known(%q) = true", p)
		}
	}
}

func TestCanCreateChild(t *testing.T) {
	kinds := []cam2drive.OrgKind{cam2drive.KindPlatform, cam2drive.KindDistributor, cam2drive.KindInstaller, cam2drive.KindClient, "", "reseller"}
	allowed := map[[2]cam2drive.OrgKind]bool{
		{cam2drive.KindPlatform, cam2drive.KindDistributor}:  true,
		{cam2drive.KindDistributor, cam2drive.KindInstaller}: true,
		{cam2drive.KindInstaller, cam2drive.KindClient}:      true,
	}
	for _, parent := range kinds {
		for _, child := range kinds {
			want := allowed[[2]cam2drive.OrgKind{parent, child}]
			if got := authz.CanCreateChild(parent, child); got != want {
				t.Errorf("CanCreateChild(%q, %q) = %v, want %v", parent, child, got, want)
			}
		}
	}
}
