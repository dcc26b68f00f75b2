package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/authz"
	"github.com/cam2drive/cam2drive/internal/store"
	"github.com/cam2drive/cam2drive/internal/storetest"
)

// TestTenantIsolation walks every route with an id in its path as the admin
// of another tenant: a sibling client, a sibling installer, and a client
// probing its own installer. Each call must answer 404 not_found, and the
// victim's data must be exactly as before.
func TestTenantIsolation(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			f := newFixture(t, d)
			attacks := []struct {
				name             string
				attacker, victim *tenant
			}{
				{"sibling client C2 on C1", f.C2, f.C1},
				{"sibling installer I2 on C1", f.I2, f.C1},
				{"sibling installer I2 on I1", f.I2, f.I1},
				{"client C1 on its installer I1", f.C1, f.I1},
				{"installer I1 on its distributor D1", f.I1, f.D1},
			}
			victims := []*tenant{f.C1, f.I1, f.D1}
			before := f.snapshot(t, victims...)
			probed := 0
			for _, a := range attacks {
				t.Run(a.name, func(t *testing.T) {
					probed += f.probeAll(t, a.attacker, a.victim)
				})
			}
			if probed == 0 {
				t.Fatal("no route was probed")
			}
			after := f.snapshot(t, victims...)
			diffSnapshots(t, before, after)
			// The victims' own admins still see their resources.
			for _, v := range victims {
				f.as(t, v.Admin, "GET", "/orgs/"+v.Org.ID+"/sites/"+v.SiteID, nil).want(t, 200, v.Name+" site after the walk")
				f.as(t, v.Admin, "GET", "/me/tokens", nil).want(t, 200, v.Name+" admin token still works")
			}
		})
	}
}

// probeAll calls every route with path ids as attacker against victim's
// ids. Routes with a sub-resource are probed twice: under the victim's
// organisation, and under the attacker's own organisation (the store must
// scope the sub-resource by organisation, not trust its id).
func (f *fixture) probeAll(t *testing.T, attacker, victim *tenant) int {
	n := 0
	for _, r := range f.Server.Routes() {
		ps := params(r.Path)
		if r.Public || len(ps) == 0 {
			continue
		}
		tg := victimTarget(victim, f.next())
		variants := map[string]target{"victim's organisation": tg}
		if slices.Contains(ps, "org_id") && len(ps) > 1 {
			own := tg
			own.Org = attacker.Org.ID
			variants["attacker's organisation"] = own
		}
		for name, v := range variants {
			path, body := request(t, r, v)
			got := f.as(t, attacker.Admin, r.Method, path, body)
			if got.Status != 404 {
				t.Errorf("%s %s (%s) as %s admin: got %s, want 404", r.Method, path, name, attacker.Name, got)
				continue
			}
			if e := got.err(t); e.Code != "not_found" {
				t.Errorf("%s %s (%s): code %q, want not_found", r.Method, path, name, e.Code)
			}
			n++
		}
	}
	return n
}

func victimTarget(v *tenant, n int64) target {
	return target{Org: v.Org.ID, Site: v.SiteID, User: v.UserID, Role: v.RoleID, Token: v.Admin.TokenID,
		Recorder: v.RecorderID, Camera: v.CameraID, Disk: v.DiskID, Recording: v.RecordingID, AISub: v.AISubID, RecorderSite: v.RecorderSiteID,
		AssignRole: v.Roles[authz.Viewer], N: n}
}

// TestTenantIsolationUnknownIDs checks that another tenant's ids answer
// exactly like ids that exist nowhere, so probing discloses nothing.
func TestTenantIsolationUnknownIDs(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			f := newFixture(t, d)
			for _, path := range []string{"/orgs/%s", "/orgs/%s/sites", "/orgs/%s/users", "/orgs/%s/audit",
				"/orgs/%s/recorders", "/orgs/%s/cameras", "/orgs/%s/virtual-disks", "/orgs/%s/recordings", "/orgs/%s/ai-subscriptions"} {
				foreign := f.as(t, f.C2.Admin, "GET", fmt.Sprintf(path, f.C1.Org.ID), nil)
				missing := f.as(t, f.C2.Admin, "GET", fmt.Sprintf(path, cam2drive.NewID()), nil)
				garbage := f.as(t, f.C2.Admin, "GET", fmt.Sprintf(path, "not-an-id"), nil)
				for _, r := range []reply{foreign, missing, garbage} {
					r.wantErr(t, 404, "not_found", path)
				}
				if !bytes.Equal(foreign.Body, missing.Body) || !bytes.Equal(foreign.Body, garbage.Body) {
					t.Errorf("%s: a foreign id answers %s, an unknown one %s, garbage %s", path, foreign, missing, garbage)
				}
			}
			// Sub-resources of C1 under C2's own organisation.
			for _, sub := range []struct{ path, id string }{
				{"/sites/", f.C1.SiteID}, {"/recorders/", f.C1.RecorderID}, {"/recorders/%s/health", f.C1.RecorderID},
				{"/recorders/%s/connection", f.C1.RecorderID}, {"/cameras/", f.C1.CameraID},
				{"/virtual-disks/", f.C1.DiskID}, {"/recordings/", f.C1.RecordingID}, {"/ai-subscriptions/", f.C1.AISubID},
			} {
				path := "/orgs/" + f.C2.Org.ID + sub.path + "%s"
				if strings.Contains(sub.path, "%s") {
					path = "/orgs/" + f.C2.Org.ID + sub.path
				}
				foreign := f.as(t, f.C2.Admin, "GET", fmt.Sprintf(path, sub.id), nil)
				missing := f.as(t, f.C2.Admin, "GET", fmt.Sprintf(path, cam2drive.NewID()), nil)
				if !bytes.Equal(foreign.Body, missing.Body) || foreign.Status != 404 {
					t.Errorf("%s: a foreign id answers %s, an unknown one %s", path, foreign, missing)
				}
			}
		})
	}
}

// TestTenantIsolationBodies checks ids of other tenants carried in bodies.
func TestTenantIsolationBodies(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			f := newFixture(t, d)
			before := f.snapshot(t, f.C1, f.I1)

			// A role of another organisation can't be given to one's users.
			e := f.as(t, f.C2.Admin, "POST", "/orgs/"+f.C2.Org.ID+"/users",
				map[string]any{"email": "x@c2.test", "role_id": f.C1.Roles[authz.Admin]}).wantErr(t, 400, "invalid", "invite with C1's role")
			if e.Fields["role_id"] == "" {
				t.Errorf("invite with a foreign role: want fields.role_id, got %+v", e)
			}
			e = f.as(t, f.C2.Admin, "PATCH", "/orgs/"+f.C2.Org.ID+"/users/"+f.C2.UserID,
				map[string]any{"role_id": f.C1.RoleID}).wantErr(t, 400, "invalid", "assign C1's role")
			if e.Fields["role_id"] == "" {
				t.Errorf("assign a foreign role: want fields.role_id, got %+v", e)
			}
			usr, err := f.DB.User(t.Context(), f.C2.Org.ID, f.C2.UserID)
			if err != nil || usr.RoleID != f.C2.Roles[authz.Viewer] {
				t.Errorf("C2's user changed role: %+v %v", usr, err)
			}

			// Creating an organisation under someone else's: the parent is
			// looked up like a path id, so it is "not found".
			for _, c := range []struct {
				who    *tenant
				parent *tenant
			}{{f.C1, f.I1}, {f.I2, f.I1}, {f.C2, f.C1}, {f.I1, f.D1}} {
				body := routeBodies["POST /orgs"](target{Org: c.parent.Org.ID, N: f.next()})
				f.as(t, c.who.Admin, "POST", "/orgs", body).wantErr(t, 404, "not_found",
					fmt.Sprintf("%s creates an org under %s", c.who.Name, c.parent.Name))
			}
			unknown := routeBodies["POST /orgs"](target{Org: cam2drive.NewID(), N: f.next()})
			f.as(t, f.I2.Admin, "POST", "/orgs", unknown).wantErr(t, 404, "not_found", "unknown parent")

			// Devices: C1's site, recorder and users named in C2's bodies are
			// unknown fields; C1's ids in C2's filters match nothing.
			c2 := "/orgs/" + f.C2.Org.ID
			for _, c := range []struct {
				what, method, path string
				who                account
				body               any
				field              string
			}{
				{"recorder on C1's site", "POST", c2 + "/recorders", f.C2.Admin,
					map[string]any{"name": "Intruder", "manufacturer": "dahua", "site_id": f.C1.RecorderSiteID, "type": "nvr", "camera_count": 1}, "site_id"},
				{"recorder moved to C1's site", "PATCH", c2 + "/recorders/" + f.C2.RecorderID, f.C2.Admin,
					map[string]any{"site_id": f.C1.RecorderSiteID}, "site_id"},
				{"C2's disk attached to C1's recorder", "POST", c2 + "/virtual-disks/" + f.C2.DiskID + "/attach", f.C2.Admin,
					map[string]any{"recorder_id": f.C1.RecorderID}, "recorder_id"},
				{"new C2 disk on C1's recorder", "POST", c2 + "/virtual-disks", f.I1.Admin,
					map[string]any{"capacity_gb": 1, "camera_limit": 1, "recorder_id": f.C1.RecorderID}, "recorder_id"},
				{"C2's camera shown to C1's user", "PATCH", c2 + "/cameras/" + f.C2.CameraID, f.C2.Admin,
					map[string]any{"allowed_users": []string{f.C1.Admin.User.ID}}, "allowed_users"},
			} {
				e := f.as(t, c.who, c.method, c.path, c.body).wantErr(t, 400, "invalid", c.what)
				if e.Fields[c.field] == "" {
					t.Errorf("%s: want fields.%s, got %+v", c.what, c.field, e)
				}
			}
			for _, q := range []string{"/recordings?camera_ids=" + f.C1.CameraID, "/recordings?site_id=" + f.C1.RecorderSiteID,
				"/cameras?recorder_id=" + f.C1.RecorderID, "/cameras?site_id=" + f.C1.RecorderSiteID, "/recorders?site_id=" + f.C1.RecorderSiteID} {
				var l listOf[map[string]any]
				f.as(t, f.C2.Admin, "GET", c2+q, nil).want(t, 200, q).decode(t, &l)
				if len(l.Items) != 0 || l.Total != 0 {
					t.Errorf("C2 %s shows C1's devices: %+v", q, l)
				}
			}
			var disks listOf[diskOut]
			f.as(t, f.C2.Admin, "GET", c2+"/virtual-disks", nil).want(t, 200, "C2's disks").decode(t, &disks)
			if len(disks.Items) != 1 || disks.Items[0].RecorderID != f.C2.RecorderID {
				t.Errorf("C2's disks after refused changes: %+v", disks)
			}
			diffSnapshots(t, before, f.snapshot(t, f.C1, f.I1))
		})
	}
}

// TestHierarchyGrants checks what the hierarchy does allow: a parent acts on
// its descendants.
func TestHierarchyGrants(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			f := newFixture(t, d)
			c1 := "/orgs/" + f.C1.Org.ID

			// The installer lists and adds sites and users of its client.
			var sites listOf[siteOut]
			f.as(t, f.I1.Admin, "GET", c1+"/sites", nil).want(t, 200, "I1 lists C1's sites").decode(t, &sites)
			if !slices.ContainsFunc(sites.Items, func(s siteOut) bool { return s.ID == f.C1.SiteID }) {
				t.Errorf("I1 does not see C1's site: %+v", sites)
			}
			var site siteOut
			f.as(t, f.I1.Admin, "POST", c1+"/sites", map[string]any{"name": "Installed by I1", "timezone": "Europe/Paris"}).
				want(t, 201, "I1 adds a site to C1").decode(t, &site)
			if site.OrgID != f.C1.Org.ID {
				t.Errorf("site created by I1 in C1 belongs to %s", site.OrgID)
			}
			f.as(t, f.C1.Admin, "GET", c1+"/sites/"+site.ID, nil).want(t, 200, "C1 sees the site I1 added")

			var users listOf[userOut]
			f.as(t, f.I1.Admin, "GET", c1+"/users", nil).want(t, 200, "I1 lists C1's users").decode(t, &users)
			if !slices.ContainsFunc(users.Items, func(u userOut) bool { return u.ID == f.C1.UserID }) {
				t.Errorf("I1 does not see C1's users: %+v", users)
			}
			var u userOut
			f.as(t, f.I1.Admin, "POST", c1+"/users", map[string]any{"email": "added-by-i1@c1.test", "role_id": f.C1.Roles[authz.Technician]}).
				want(t, 201, "I1 invites into C1").decode(t, &u)
			if u.OrgID != f.C1.Org.ID || u.Status != "invited" || u.RoleName != "Technician" {
				t.Errorf("user invited by I1 = %+v", u)
			}
			if f.mailCount(t, "added-by-i1@c1.test") != 1 {
				t.Error("the user invited by I1 got no invitation")
			}

			// The distributor sees its installers' clients.
			var kids listOf[orgOut]
			f.as(t, f.D1.Admin, "GET", "/orgs/"+f.I1.Org.ID+"/children", nil).want(t, 200, "D1 lists I1's clients").decode(t, &kids)
			got := []string{}
			for _, o := range kids.Items {
				got = append(got, o.Name)
			}
			slices.Sort(got)
			if !reflect.DeepEqual(got, []string{"C1", "C2"}) || kids.Total != 2 {
				t.Errorf("D1 sees I1's children %v (total %d), want [C1 C2]", got, kids.Total)
			}
			f.as(t, f.D1.Admin, "GET", c1, nil).want(t, 200, "D1 reads C1")
			f.as(t, f.D1.Admin, "GET", "/orgs/"+f.C3.Org.ID+"/sites/"+f.C3.SiteID, nil).want(t, 200, "D1 reads C3's site")
			f.as(t, f.Platform.Admin, "GET", "/orgs/"+f.C3.Org.ID+"/roles/"+f.C3.RoleID, nil).want(t, 200, "platform reads C3's role")
			// …but a child never sees its parent or siblings.
			f.as(t, f.I1.Admin, "GET", "/orgs/"+f.C3.Org.ID, nil).wantErr(t, 404, "not_found", "I1 reads C3")
			f.as(t, f.I1.Admin, "GET", "/orgs/"+f.D1.Org.ID+"/children", nil).wantErr(t, 404, "not_found", "I1 lists D1's children")

			// The installer creates a client under itself.
			var org orgOut
			f.as(t, f.I1.Admin, "POST", "/orgs", map[string]any{"parent_id": f.I1.Org.ID, "kind": "client",
				"name": "  New client  ", "email": "boss@newclient.test"}).want(t, 201, "I1 creates a client").decode(t, &org)
			if org.ParentID != f.I1.Org.ID || org.Kind != "client" || org.Name != "New client" {
				t.Errorf("created org = %+v", org)
			}
			if f.mailCount(t, "boss@newclient.test") != 1 {
				t.Error("the new client's admin got no invitation")
			}
		})
	}
}

// state is what a tenant owns, read straight from the store.
type state struct {
	Org        cam2drive.Org
	Sites      []cam2drive.Site
	Users      []cam2drive.User
	Roles      []cam2drive.Role
	Children   []cam2drive.Org
	Tokens     []store.APIToken
	Audit      int
	Mails      map[string]int
	Recorders  []cam2drive.Recorder // credentials included
	Health     map[string]cam2drive.RecorderHealth
	Cameras    []cam2drive.Camera
	Disks      []cam2drive.VirtualDisk
	AISubs     []cam2drive.AISubscription
	Recordings []cam2drive.Recording
}

func (f *fixture) snapshot(t testing.TB, ts ...*tenant) map[string]state {
	t.Helper()
	ctx := t.Context()
	all := cam2drive.Page{Limit: 500}
	out := map[string]state{}
	for _, tn := range ts {
		var s state
		var err error
		check := func(what string, err error) {
			if err != nil {
				t.Fatalf("snapshot %s of %s: %v", what, tn.Name, err)
			}
		}
		s.Org, err = f.DB.Org(ctx, tn.Org.ID)
		check("org", err)
		s.Sites, _, err = f.DB.Sites(ctx, tn.Org.ID, store.SiteFilter{}, all)
		check("sites", err)
		s.Users, _, err = f.DB.Users(ctx, tn.Org.ID, store.UserFilter{}, all)
		check("users", err)
		s.Roles, err = f.DB.Roles(ctx, tn.Org.ID)
		check("roles", err)
		s.Children, _, err = f.DB.ChildOrgs(ctx, tn.Org.ID, store.OrgFilter{}, all)
		check("children", err)
		s.Tokens, err = f.DB.APITokens(ctx, tn.Admin.User.ID)
		check("tokens", err)
		for i := range s.Tokens {
			s.Tokens[i].LastUsedAt = time.Time{} // the admin's own calls touch it
		}
		_, s.Audit, err = f.DB.Audit(ctx, tn.Org.ID, "", cam2drive.Page{Limit: 1})
		check("audit", err)
		s.Mails = map[string]int{}
		for _, u := range s.Users {
			s.Mails[u.Email] = f.mailCount(t, u.Email)
		}
		s.Recorders, _, err = f.DB.Recorders(ctx, tn.Org.ID, store.RecorderFilter{}, all)
		check("recorders", err)
		s.Health = map[string]cam2drive.RecorderHealth{}
		for _, r := range s.Recorders {
			s.Health[r.ID], err = f.DB.Health(ctx, tn.Org.ID, r.ID)
			check("health", err)
		}
		s.Cameras, _, err = f.DB.Cameras(ctx, tn.Org.ID, store.CameraFilter{}, all)
		check("cameras", err)
		s.Disks, err = f.DB.Disks(ctx, tn.Org.ID)
		check("disks", err)
		s.AISubs, err = f.DB.AISubscriptions(ctx, tn.Org.ID)
		check("AI subscriptions", err)
		s.Recordings, _, err = f.DB.Recordings(ctx, tn.Org.ID, store.RecordingFilter{}, all)
		check("recordings", err)
		out[tn.Name] = s
	}
	return out
}

func diffSnapshots(t testing.TB, before, after map[string]state) {
	t.Helper()
	for name, b := range before {
		a := after[name]
		if reflect.DeepEqual(a, b) {
			continue
		}
		bj, _ := json.MarshalIndent(b, "", " ")
		aj, _ := json.MarshalIndent(a, "", " ")
		t.Errorf("%s changed during the probes:\nbefore: %s\nafter:  %s", name, bj, aj)
	}
}
