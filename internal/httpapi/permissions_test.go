package httpapi_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cam2drive/cam2drive/internal/authz"
	"github.com/cam2drive/cam2drive/internal/httpapi"
	"github.com/cam2drive/cam2drive/internal/storetest"
)

// TestPermissionMatrix calls every route that needs a permission, in the
// caller's own organisation, as each role of C1: the route succeeds when the
// role holds the permission and answers 403 forbidden otherwise. The
// expectations come from authz.BuiltinRoles and the route table.
func TestPermissionMatrix(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			f := newFixture(t, d)
			builtin := map[string][]string{}
			for _, r := range authz.BuiltinRoles() {
				builtin[r.Builtin] = r.Permissions
			}
			callers := []struct {
				name  string
				who   account
				perms []string
			}{
				{"admin", f.C1.Admin, builtin[authz.Admin]},
				{"technician", f.Tech, builtin[authz.Technician]},
				{"viewer", f.Viewer, builtin[authz.Viewer]},
				{"custom", f.Custom, customPerms},
			}
			// The installer's people, for the routes only an ancestor may call.
			installer := []struct {
				name  string
				who   account
				perms []string
			}{
				{"installer admin", f.I1.Admin, builtin[authz.Admin]},
				{"installer technician", f.addPerson(t, f.I1, "matrix-tech@i1.test", f.I1.Roles[authz.Technician]), builtin[authz.Technician]},
				{"installer viewer", f.addPerson(t, f.I1, "matrix-viewer@i1.test", f.I1.Roles[authz.Viewer]), builtin[authz.Viewer]},
			}
			const denied = "You don't have permission to do this."
			checked, fromAncestor := 0, 0
			for _, r := range f.Server.Routes() {
				if r.Permission == "" {
					continue
				}
				ownRefusal, onlyAncestor := ancestorOnly[key(r)]
				for _, c := range callers {
					allowed := slices.Contains(c.perms, string(r.Permission))
					path, body := request(t, r, f.ownTarget(t, r, c.who))
					got := f.as(t, c.who, r.Method, path, body)
					what := fmt.Sprintf("%s %s as %s (needs %s)", r.Method, r.Path, c.name, r.Permission)
					switch {
					case onlyAncestor && allowed:
						// The permission is there, but not from the client itself.
						if e := got.wantErr(t, 403, "forbidden", what+" from the client itself"); e.Message != ownRefusal {
							t.Errorf("%s: message %q, want %q", what, e.Message, ownRefusal)
						}
					case allowed && (got.Status < 200 || got.Status > 299):
						t.Errorf("%s: got %s, want success", what, got)
					case !allowed && got.Status != 403:
						t.Errorf("%s: got %s, want 403 forbidden", what, got)
					case !allowed && got.err(t).Code != "forbidden":
						t.Errorf("%s: got %s, want code forbidden", what, got)
					case !allowed && got.err(t).Message != denied:
						t.Errorf("%s: got %s, want the missing-permission message", what, got)
					}
					checked++
				}
				if !onlyAncestor {
					continue
				}
				for _, c := range installer {
					allowed := slices.Contains(c.perms, string(r.Permission))
					path, body := request(t, r, f.ownTarget(t, r, c.who))
					got := f.as(t, c.who, r.Method, path, body)
					what := fmt.Sprintf("%s %s on C1 as %s (needs %s)", r.Method, r.Path, c.name, r.Permission)
					switch {
					case allowed && (got.Status < 200 || got.Status > 299):
						t.Errorf("%s: got %s, want success", what, got)
					case !allowed:
						if e := got.wantErr(t, 403, "forbidden", what); e.Message != denied {
							t.Errorf("%s: message %q, want %q", what, e.Message, denied)
						}
					}
					fromAncestor++
				}
			}
			if checked == 0 {
				t.Fatal("no route has a permission")
			}
			if fromAncestor != len(ancestorOnly)*len(installer) {
				t.Errorf("checked %d calls from the installer, want %d", fromAncestor, len(ancestorOnly)*len(installer))
			}
		})
	}
}

// ownTarget makes fresh resources in C1 for one call of route r, so that
// deleting or editing them succeeds whenever the permission allows it.
func (f *fixture) ownTarget(t testing.TB, r httpapi.RouteInfo, who account) target {
	t.Helper()
	n := f.next()
	tg := target{Org: f.C1.Org.ID, AssignRole: f.C1.Roles[authz.Viewer], RecorderSite: f.C1.RecorderSiteID, N: n}
	if strings.Contains(r.Path, "{site_id}") {
		tg.Site = f.addSite(t, f.C1.Org.ID, fmt.Sprintf("Matrix site %d", n))
	}
	if strings.Contains(r.Path, "{user_id}") {
		tg.User = f.invite(t, f.C1, fmt.Sprintf("matrix-%d@c1.test", n), f.C1.Roles[authz.Viewer]).ID
	}
	if strings.Contains(r.Path, "{role_id}") {
		tg.Role = f.addRole(t, f.C1.Org.ID, fmt.Sprintf("Matrix role %d", n), string(authz.SitesView))
	}
	if strings.Contains(r.Path, "{token_id}") {
		tg.Token = f.withToken(t, who.Email, who.Password).TokenID
	}
	// A fresh recorder (one camera, no disk) for every device route, so
	// that deleting it or regenerating its credentials succeeds.
	if strings.Contains(r.Path, "{recorder_id}") || strings.Contains(r.Path, "{camera_id}") || strings.Contains(r.Path, "{disk_id}") {
		rec := f.addRecorder(t, f.C1.Org.ID, f.C1.RecorderSiteID, fmt.Sprintf("Matrix NVR %d", n), "axis", 1)
		tg.Recorder = rec.ID
		tg.Camera = f.cameraID(t, f.C1.Org.ID, rec.ID, 1)
	}
	// A fresh disk: free for attach, on the fresh recorder for detach.
	if strings.Contains(r.Path, "{disk_id}") {
		on := ""
		if strings.HasSuffix(r.Path, "/detach") {
			on = tg.Recorder
		}
		tg.Disk = f.addDisk(t, f.C1.Org.ID, on, 1)
	}
	if strings.Contains(r.Path, "{recording_id}") {
		tg.Recording = f.C1.RecordingID
	}
	// AI: a fresh active subscription with room for the camera edits (which
	// turn AI on) and for changing or cancelling it; none for creating one.
	switch {
	case strings.HasPrefix(r.Path, "/orgs/{org_id}/cameras/") || strings.Contains(r.Path, "{subscription_id}"):
		tg.AISub = f.freshAISub(t, f.C1.Org.ID, 50)
	case r.Method == "POST" && strings.HasSuffix(r.Path, "/ai-subscriptions"):
		f.cancelAISub(t, f.C1.Org.ID)
	}
	return tg
}

// TestCreateOrgPermission checks POST /orgs, whose permission (orgs.manage)
// applies to the parent named in the body rather than to a path id.
func TestCreateOrgPermission(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			f := newFixture(t, d)
			tech := f.addPerson(t, f.I1, "tech@i1.test", f.I1.Roles[authz.Technician])
			viewer := f.addPerson(t, f.I1, "viewer@i1.test", f.I1.Roles[authz.Viewer])
			body := func() any { return routeBodies["POST /orgs"](target{Org: f.I1.Org.ID, N: f.next()}) }
			f.as(t, tech, "POST", "/orgs", body()).wantErr(t, 403, "forbidden", "technician creates a client")
			f.as(t, viewer, "POST", "/orgs", body()).wantErr(t, 403, "forbidden", "viewer creates a client")
			f.as(t, f.I1.Admin, "POST", "/orgs", body()).want(t, 201, "admin creates a client")
			// The permission is checked before the kind: a client's roles
			// without orgs.manage are refused, its admin gets a kind error.
			c1 := routeBodies["POST /orgs"](target{Org: f.C1.Org.ID, N: f.next()})
			f.as(t, f.Tech, "POST", "/orgs", c1).wantErr(t, 403, "forbidden", "C1 technician creates under C1")
			e := f.as(t, f.C1.Admin, "POST", "/orgs", c1).wantErr(t, 400, "invalid", "C1 admin creates under a client")
			if e.Fields["kind"] == "" {
				t.Errorf("client creating a child: want fields.kind, got %+v", e)
			}
		})
	}
}

// TestUnauthenticated calls every non-public route without credentials, with
// a token that does not exist and with a malformed header: always 401.
func TestUnauthenticated(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			f := newFixture(t, d)
			creds := map[string][]opt{
				"no credentials": nil,
				"unknown token":  {bearer("c2d_" + strings.Repeat("a", 52))},
				"not a token":    {bearer("hello")},
				"basic auth":     {header("Authorization", "Basic YWRtaW46YWRtaW4=")},
				"unknown cookie": {header("Cookie", httpapi.SessionCookie+"=nope"), header(httpapi.CSRFHeader, "nope")},
			}
			for _, r := range f.Server.Routes() {
				if r.Public {
					continue
				}
				path, body := request(t, r, victimTarget(f.C1, f.next()))
				for name, opts := range creds {
					got := f.do(t, r.Method, path, body, opts...)
					if got.Status != 401 || got.err(t).Code != "unauthenticated" {
						t.Errorf("%s %s with %s: got %s, want 401 unauthenticated", r.Method, r.Path, name, got)
					}
				}
			}
			// Nothing was done on the way.
			f.as(t, f.C1.Admin, "GET", "/orgs/"+f.C1.Org.ID+"/sites/"+f.C1.SiteID, nil).want(t, 200, "C1's site")
			f.as(t, f.C1.Admin, "GET", "/me/tokens", nil).want(t, 200, "C1 admin's token")
		})
	}
}
