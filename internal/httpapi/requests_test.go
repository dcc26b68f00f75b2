package httpapi_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/cam2drive/cam2drive/internal/httpapi"
)

// target names what a request addresses: the path's ids, and the ids a body
// refers to. The isolation and permission suites build every request of the
// route table from it.
type target struct {
	Org, Site, User, Role, Token      string
	Recorder, Camera, Disk, Recording string
	AISub                             string
	// RecorderSite is a site of Org that a body may put a recorder on.
	RecorderSite string
	// AssignRole is a role of Org that a body may give a user.
	AssignRole string
	// N makes names and e-mails unique.
	N int64
}

// routeBodies holds, for every authenticated route, the body of a request that
// succeeds when the caller may act on the target. A route missing here fails
// TestEveryRouteHasARequest, so new routes can't escape the isolation and
// permission suites.
var routeBodies = map[string]func(tg target) any{
	"POST /auth/logout": nil,
	"GET /permissions":  nil,
	"GET /me":           nil,
	"PATCH /me/preferences": func(target) any {
		return map[string]any{"theme": "dark", "rows_per_page": 25}
	},
	"POST /me/password": func(target) any {
		return map[string]any{"old_password": testPassword, "new_password": testPassword + "!", "confirm_password": testPassword + "!"}
	},
	"GET /me/tokens": nil,
	"POST /me/tokens": func(tg target) any {
		return map[string]any{"name": fmt.Sprintf("probe %d", tg.N)}
	},
	"DELETE /me/tokens/{token_id}": nil,

	"POST /orgs": func(tg target) any {
		return map[string]any{"parent_id": tg.Org, "kind": "client", "name": fmt.Sprintf("Probe client %d", tg.N),
			"email": fmt.Sprintf("probe-admin-%d@probe.test", tg.N), "language": "fr"}
	},
	"GET /orgs/{org_id}": nil,
	"PATCH /orgs/{org_id}": func(tg target) any {
		return map[string]any{"name": fmt.Sprintf("Renamed %d", tg.N), "phone": "+33 6 66 66 66 66"}
	},
	"GET /orgs/{org_id}/children": nil,

	"GET /orgs/{org_id}/sites": nil,
	"POST /orgs/{org_id}/sites": func(tg target) any {
		return map[string]any{"name": fmt.Sprintf("Probe site %d", tg.N), "timezone": "Africa/Tunis", "address": "9 rue du Test"}
	},
	"GET /orgs/{org_id}/sites/{site_id}": nil,
	"PATCH /orgs/{org_id}/sites/{site_id}": func(tg target) any {
		return map[string]any{"name": fmt.Sprintf("Renamed site %d", tg.N), "timezone": "UTC"}
	},
	"DELETE /orgs/{org_id}/sites/{site_id}": nil,

	"GET /orgs/{org_id}/users": nil,
	"POST /orgs/{org_id}/users": func(tg target) any {
		return map[string]any{"email": fmt.Sprintf("probe-%d@probe.test", tg.N), "role_id": tg.AssignRole, "name": "Probe"}
	},
	"PATCH /orgs/{org_id}/users/{user_id}": func(tg target) any {
		return map[string]any{"name": fmt.Sprintf("Renamed user %d", tg.N)}
	},
	"DELETE /orgs/{org_id}/users/{user_id}":          nil,
	"POST /orgs/{org_id}/users/{user_id}/invitation": nil,

	"GET /orgs/{org_id}/roles": nil,
	"POST /orgs/{org_id}/roles": func(tg target) any {
		return map[string]any{"name": fmt.Sprintf("Probe role %d", tg.N), "permissions": []string{"sites.view", "users.view"}}
	},
	"GET /orgs/{org_id}/roles/{role_id}": nil,
	"PATCH /orgs/{org_id}/roles/{role_id}": func(tg target) any {
		return map[string]any{"name": fmt.Sprintf("Renamed role %d", tg.N), "permissions": []string{"sites.manage"}}
	},
	"DELETE /orgs/{org_id}/roles/{role_id}": nil,

	"GET /orgs/{org_id}/recorders": nil,
	"POST /orgs/{org_id}/recorders": func(tg target) any {
		return map[string]any{"name": fmt.Sprintf("Probe NVR %d", tg.N), "manufacturer": "hikvision", "site_id": tg.RecorderSite,
			"type": "nvr", "camera_count": 2, "retention_days": 7}
	},
	"GET /orgs/{org_id}/recorders/{recorder_id}": nil,
	"PATCH /orgs/{org_id}/recorders/{recorder_id}": func(tg target) any {
		return map[string]any{"name": fmt.Sprintf("Renamed NVR %d", tg.N), "retention_days": 14}
	},
	"DELETE /orgs/{org_id}/recorders/{recorder_id}":                     nil,
	"GET /orgs/{org_id}/recorders/{recorder_id}/connection":             nil,
	"POST /orgs/{org_id}/recorders/{recorder_id}/connection/regenerate": nil,
	"GET /orgs/{org_id}/recorders/{recorder_id}/health":                 nil,

	"GET /orgs/{org_id}/cameras":             nil,
	"GET /orgs/{org_id}/cameras/{camera_id}": nil,
	"PATCH /orgs/{org_id}/cameras/{camera_id}": func(tg target) any {
		return map[string]any{"name": fmt.Sprintf("Renamed camera %d", tg.N), "ai_enabled": true}
	},

	"GET /orgs/{org_id}/virtual-disks": nil,
	// Only from an organisation above the client: see ancestorOnly.
	"POST /orgs/{org_id}/virtual-disks": func(tg target) any {
		return map[string]any{"capacity_gb": 5, "camera_limit": 2, "overwrite": false}
	},
	"GET /orgs/{org_id}/virtual-disks/{disk_id}": nil,
	"POST /orgs/{org_id}/virtual-disks/{disk_id}/attach": func(tg target) any {
		return map[string]any{"recorder_id": tg.Recorder}
	},
	"POST /orgs/{org_id}/virtual-disks/{disk_id}/detach": nil,

	"GET /orgs/{org_id}/ai-subscriptions": nil,
	// Only from an organisation above the client: see ancestorOnly.
	"POST /orgs/{org_id}/ai-subscriptions": func(tg target) any {
		return map[string]any{"camera_limit": 4, "packages": []string{"construction_site", "urban"}}
	},
	"GET /orgs/{org_id}/ai-subscriptions/{subscription_id}": nil,
	"PATCH /orgs/{org_id}/ai-subscriptions/{subscription_id}": func(tg target) any {
		return map[string]any{"camera_limit": 60, "packages": []string{"fun_at_work"}}
	},
	"POST /orgs/{org_id}/ai-subscriptions/{subscription_id}/cancel": nil,
	"GET /ai/packages": nil,
	"GET /ai/status":   nil,

	"GET /orgs/{org_id}/recordings":                nil,
	"GET /orgs/{org_id}/recordings/calendar":       nil,
	"GET /orgs/{org_id}/recordings/histogram":      nil,
	"GET /orgs/{org_id}/recordings/{recording_id}": nil,

	"GET /orgs/{org_id}/audit": nil,
}

// ancestorOnly are routes on a client organisation that only an
// organisation above it may call, whatever the caller's permissions: virtual
// disks are sold to a client by its reseller, so a client's own Admin, who
// holds subscriptions.manage, is refused (403 forbidden, with the message
// below). The permission matrix checks these routes from the client (always
// refused) and from its installer (allowed with the permission).
var ancestorOnly = map[string]string{
	"POST /orgs/{org_id}/virtual-disks":                             "Virtual disks are provided by your reseller.",
	"POST /orgs/{org_id}/ai-subscriptions":                          "AI subscriptions are provided by your reseller.",
	"PATCH /orgs/{org_id}/ai-subscriptions/{subscription_id}":       "AI subscriptions are provided by your reseller.",
	"POST /orgs/{org_id}/ai-subscriptions/{subscription_id}/cancel": "AI subscriptions are provided by your reseller.",
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// params lists the path parameters of a route.
func params(path string) []string {
	var out []string
	for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
		out = append(out, m[1])
	}
	return out
}

func key(r httpapi.RouteInfo) string { return r.Method + " " + r.Path }

// request builds the path and body of route r for target tg.
func request(t testing.TB, r httpapi.RouteInfo, tg target) (string, any) {
	t.Helper()
	build, ok := routeBodies[key(r)]
	if !ok {
		t.Fatalf("route %s has no request in requests_test.go", key(r))
	}
	path := r.Path
	for _, p := range params(r.Path) {
		v := map[string]string{"org_id": tg.Org, "site_id": tg.Site, "user_id": tg.User, "role_id": tg.Role, "token_id": tg.Token,
			"recorder_id": tg.Recorder, "camera_id": tg.Camera, "disk_id": tg.Disk, "recording_id": tg.Recording, "subscription_id": tg.AISub}[p]
		if v == "" {
			t.Fatalf("route %s: no value for {%s}", key(r), p)
		}
		path = strings.Replace(path, "{"+p+"}", v, 1)
	}
	var body any
	if build != nil {
		body = build(tg)
	}
	return path, body
}

// knownParams are the path parameters the suites know how to fill.
var knownParams = map[string]bool{"org_id": true, "site_id": true, "user_id": true, "role_id": true, "token_id": true,
	"recorder_id": true, "camera_id": true, "disk_id": true, "recording_id": true, "subscription_id": true}

// bodyless are the POST routes that take no body.
var bodyless = map[string]bool{
	"POST /auth/logout": true,
	"POST /orgs/{org_id}/users/{user_id}/invitation":                    true,
	"POST /orgs/{org_id}/recorders/{recorder_id}/connection/regenerate": true,
	"POST /orgs/{org_id}/virtual-disks/{disk_id}/detach":                true,
	"POST /orgs/{org_id}/ai-subscriptions/{subscription_id}/cancel":     true,
}

// TestEveryRouteHasARequest keeps routeBodies in step with the route table.
func TestEveryRouteHasARequest(t *testing.T) {
	srv := httpapi.New(httpapi.Deps{})
	seen := map[string]bool{}
	for _, r := range srv.Routes() {
		seen[key(r)] = true
		if r.Public {
			continue
		}
		build, ok := routeBodies[key(r)]
		if !ok {
			t.Errorf("route %s is not covered: add a request for it to routeBodies in requests_test.go", key(r))
		}
		if (r.Method == "POST" || r.Method == "PATCH" || r.Method == "PUT") && build == nil && !bodyless[key(r)] {
			t.Errorf("route %s takes a body but routeBodies gives none", key(r))
		}
		for _, p := range params(r.Path) {
			if !knownParams[p] {
				t.Errorf("route %s has the path parameter {%s}, which the isolation and permission suites can't fill: teach them", key(r), p)
			}
		}
	}
	for k := range routeBodies {
		if !seen[k] {
			t.Errorf("routeBodies has %s, which is no longer a route", k)
		}
	}
	for _, m := range []map[string]bool{bodyless, boolKeys(ancestorOnly)} {
		for k := range m {
			if !seen[k] {
				t.Errorf("%s is listed in requests_test.go but is no longer a route", k)
			}
		}
	}
}

func boolKeys[V any](m map[string]V) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}
