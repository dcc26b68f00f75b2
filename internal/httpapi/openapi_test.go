package httpapi_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive/internal/authz"
	"github.com/cam2drive/cam2drive/internal/httpapi"
	"github.com/cam2drive/cam2drive/internal/storetest"
)

// openAPI is the served document, decoded.
type openAPI struct {
	doc     map[string]any
	schemas map[string]any
}

func (e *env) openAPI(t testing.TB) openAPI {
	t.Helper()
	r := e.do(t, "GET", "/openapi.json", nil).want(t, 200, "openapi.json")
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("openapi.json Content-Type %q", ct)
	}
	var doc map[string]any
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	comps, _ := doc["components"].(map[string]any)
	schemas, _ := comps["schemas"].(map[string]any)
	if len(schemas) == 0 {
		t.Fatal("openapi.json has no components.schemas")
	}
	return openAPI{doc: doc, schemas: schemas}
}

func (o openAPI) operation(method, path string) map[string]any {
	paths, _ := o.doc["paths"].(map[string]any)
	item, _ := paths["/api/v1"+path].(map[string]any)
	op, _ := item[strings.ToLower(method)].(map[string]any)
	return op
}

// TestOpenAPIDocument checks the document itself: version, one operation per
// route with its path parameters and permission, and every $ref resolving.
func TestOpenAPIDocument(t *testing.T) {
	e := newEnv(t, storetest.Dialects(t)[0])
	o := e.openAPI(t)
	if o.doc["openapi"] != "3.1.0" {
		t.Errorf("openapi = %v, want 3.1.0", o.doc["openapi"])
	}
	if info, _ := o.doc["info"].(map[string]any); info["title"] == "" || info["version"] == nil {
		t.Errorf("info = %v", o.doc["info"])
	}
	routes := e.Server.Routes()
	ids := map[string]string{}
	for _, r := range routes {
		op := o.operation(r.Method, r.Path)
		if op == nil {
			t.Errorf("route %s is not in openapi.json", key(r))
			continue
		}
		id, _ := op["operationId"].(string)
		if id == "" || ids[id] != "" {
			t.Errorf("%s: operationId %q missing or also used by %s", key(r), id, ids[id])
		}
		ids[id] = key(r)
		if got, _ := op["x-permission"].(string); got != string(r.Permission) {
			t.Errorf("%s: x-permission %q, route has %q", key(r), got, r.Permission)
		}
		sec, _ := op["security"].([]any)
		if r.Public != (len(sec) == 0) {
			t.Errorf("%s: public %v but security %v", key(r), r.Public, op["security"])
		}
		var declared []string
		for _, p := range asSlice(op["parameters"]) {
			p := p.(map[string]any)
			if p["in"] == "path" {
				declared = append(declared, p["name"].(string))
				if p["required"] != true {
					t.Errorf("%s: path parameter %v is not required", key(r), p["name"])
				}
			}
		}
		if !slices.Equal(declared, params(r.Path)) {
			t.Errorf("%s: path parameters %v, path has %v", key(r), declared, params(r.Path))
		}
		resps, _ := op["responses"].(map[string]any)
		if resps["default"] == nil || len(resps) < 2 {
			t.Errorf("%s: responses %v lack a success or the error default", key(r), resps)
		}
	}
	// Nothing documented that the server does not serve.
	paths, _ := o.doc["paths"].(map[string]any)
	for p, item := range paths {
		for m := range item.(map[string]any) {
			if !slices.ContainsFunc(routes, func(r httpapi.RouteInfo) bool {
				return "/api/v1"+r.Path == p && strings.ToLower(r.Method) == m
			}) {
				t.Errorf("openapi.json documents %s %s, which is not a route", m, p)
			}
		}
	}

	// Every $ref resolves to a component schema.
	refs := 0
	walkJSON(o.doc, func(k string, v any) {
		if k != "$ref" {
			return
		}
		refs++
		s, _ := v.(string)
		name, ok := strings.CutPrefix(s, "#/components/schemas/")
		if !ok || o.schemas[name] == nil {
			t.Errorf("$ref %q does not resolve", s)
		}
	})
	if refs == 0 {
		t.Error("no $ref at all")
	}

	// Schemas are consistent: required names are properties, enum values
	// have the property's type.
	for name, s := range o.schemas {
		s := s.(map[string]any)
		props, _ := s["properties"].(map[string]any)
		for _, req := range asSlice(s["required"]) {
			if props[req.(string)] == nil {
				t.Errorf("schema %s requires %v, which is not a property", name, req)
			}
		}
		for pname, p := range props {
			p := p.(map[string]any)
			for _, e := range asSlice(p["enum"]) {
				if typ, _ := p["type"].(string); typ != "" && !hasType(typ, e) {
					t.Errorf("schema %s.%s: enum value %#v is not of type %s", name, pname, e, typ)
				}
			}
		}
	}
}

// TestOpenAPIMatchesAnswers calls every route with a request that follows
// the document and checks the answer against it: a documented status, and
// a body with every required property, no undocumented one, and the
// documented types, enums and formats.
func TestOpenAPIMatchesAnswers(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			f := newFixture(t, d)
			o := f.openAPI(t)
			public := f.publicRequests(t)
			for _, r := range f.Server.Routes() {
				var path string
				var body any
				who := f.I1.Admin // acts on its client C1 and creates clients under I1
				if r.Public {
					req, ok := public[key(r)]
					if !ok {
						t.Errorf("public route %s has no request in openapi_test.go", key(r))
						continue
					}
					path, body = req()
				} else {
					tg := f.ownTarget(t, r, who)
					if key(r) == "POST /orgs" {
						tg.Org = f.I1.Org.ID
					}
					path, body = request(t, r, tg)
				}
				op := o.operation(r.Method, r.Path)
				if op == nil {
					t.Errorf("%s: not documented", key(r))
					continue
				}
				if body != nil {
					o.checkRequest(t, key(r), op, body)
				}
				var got reply
				if r.Public {
					got = f.do(t, r.Method, path, body)
				} else {
					got = f.as(t, who, r.Method, path, body)
				}
				o.checkAnswer(t, key(r), op, got)
			}
			// Errors follow the Error schema too.
			for _, got := range []reply{
				f.do(t, "GET", "/me", nil),
				f.as(t, f.Viewer, "GET", "/orgs/"+f.C1.Org.ID+"/audit", nil),
				f.as(t, f.C1.Admin, "POST", "/orgs/"+f.C1.Org.ID+"/sites", map[string]any{"timezone": "Moon/Base"}),
				f.as(t, f.C1.Admin, "DELETE", "/orgs/"+f.C1.Org.ID+"/roles/"+f.CustomRoleID, nil),
			} {
				if got.Status < 400 {
					t.Fatalf("want an error, got %s", got)
				}
				o.checkAnswer(t, "error", o.operation("GET", "/me"), got)
			}
		})
	}
}

// publicRequests builds a working request for each public route.
func (f *fixture) publicRequests(t testing.TB) map[string]func() (string, any) {
	f.invite(t, f.C1, "openapi-describe@c1.test", f.C1.Roles[authz.Viewer])
	f.invite(t, f.C1, "openapi-set@c1.test", f.C1.Roles[authz.Viewer])
	describe, set := f.mailToken(t, "openapi-describe@c1.test"), f.mailToken(t, "openapi-set@c1.test")
	return map[string]func() (string, any){
		"POST /auth/login": func() (string, any) {
			return "/auth/login", map[string]any{"email": f.C2.Admin.Email, "password": testPassword}
		},
		"POST /auth/forgot-password": func() (string, any) {
			return "/auth/forgot-password", map[string]any{"email": f.C2.Admin.Email}
		},
		"GET /auth/password-token": func() (string, any) {
			return "/auth/password-token?token=" + url.QueryEscape(describe), nil
		},
		"POST /auth/set-password": func() (string, any) {
			return "/auth/set-password", map[string]any{"token": set, "password": "Quiet-Meadow-314"}
		},
		"GET /password-policy": func() (string, any) { return "/password-policy", nil },
		"GET /timezones":       func() (string, any) { return "/timezones", nil },
	}
}

func (o openAPI) checkRequest(t testing.TB, what string, op map[string]any, body any) {
	t.Helper()
	rb, _ := op["requestBody"].(map[string]any)
	schema := dig(rb, "content", "application/json", "schema")
	if schema == nil {
		t.Errorf("%s: the suites send a body, the document describes none", what)
		return
	}
	raw, _ := json.Marshal(body)
	var v any
	_ = json.Unmarshal(raw, &v)
	for _, p := range o.validate(schema, v, "request") {
		t.Errorf("%s: request body %s: %s", what, raw, p)
	}
}

func (o openAPI) checkAnswer(t testing.TB, what string, op map[string]any, got reply) {
	t.Helper()
	resps, _ := op["responses"].(map[string]any)
	resp, _ := resps[strconv.Itoa(got.Status)].(map[string]any)
	if resp == nil {
		if got.Status < 400 {
			t.Errorf("%s: status %d is not documented (%v): %s", what, got.Status, keys(resps), got)
			return
		}
		resp, _ = resps["default"].(map[string]any)
	}
	schema := dig(resp, "content", "application/json", "schema")
	if schema == nil {
		if len(strings.TrimSpace(string(got.Body))) != 0 {
			t.Errorf("%s: documented without a body, answered %s", what, got)
		}
		return
	}
	var v any
	if err := json.Unmarshal(got.Body, &v); err != nil {
		t.Errorf("%s: answer is not JSON: %s", what, got)
		return
	}
	for _, p := range o.validate(schema, v, "answer") {
		t.Errorf("%s: %s (%s)", what, p, got)
	}
}

// validate checks v against a schema of the document (the subset it uses:
// $ref, anyOf, type, properties, required, additionalProperties, items,
// enum, format).
func (o openAPI) validate(schema any, v any, at string) []string {
	s, _ := schema.(map[string]any)
	for depth := 0; s != nil && s["$ref"] != nil; depth++ {
		name := strings.TrimPrefix(s["$ref"].(string), "#/components/schemas/")
		s, _ = o.schemas[name].(map[string]any)
		if s == nil || depth > 10 {
			return []string{at + ": unresolved $ref " + name}
		}
	}
	if alts := asSlice(s["anyOf"]); alts != nil {
		for _, alt := range alts {
			if len(o.validate(alt, v, at)) == 0 {
				return nil
			}
		}
		return []string{fmt.Sprintf("%s: %#v matches none of %v", at, v, alts)}
	}
	var out []string
	if typ, _ := s["type"].(string); typ != "" && !hasType(typ, v) {
		return []string{fmt.Sprintf("%s: %#v is not of type %s", at, v, typ)}
	}
	if enum := asSlice(s["enum"]); enum != nil && !slices.ContainsFunc(enum, func(e any) bool { return reflect.DeepEqual(e, v) }) {
		out = append(out, fmt.Sprintf("%s: %#v is not one of %v", at, v, enum))
	}
	if s["format"] == "date-time" {
		if str, _ := v.(string); str != "" {
			if _, err := time.Parse(time.RFC3339, str); err != nil {
				out = append(out, fmt.Sprintf("%s: %q is not a date-time", at, str))
			}
		}
	}
	switch v := v.(type) {
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		for _, req := range asSlice(s["required"]) {
			if _, ok := v[req.(string)]; !ok {
				out = append(out, fmt.Sprintf("%s: required property %q is missing", at, req))
			}
		}
		for _, k := range keys(v) {
			if ps, ok := props[k]; ok {
				out = append(out, o.validate(ps, v[k], at+"."+k)...)
			} else if extra, ok := s["additionalProperties"].(map[string]any); ok {
				out = append(out, o.validate(extra, v[k], at+"."+k)...)
			} else if s["additionalProperties"] == false {
				out = append(out, fmt.Sprintf("%s: property %q is not documented", at, k))
			}
		}
	case []any:
		for i, item := range v {
			out = append(out, o.validate(s["items"], item, fmt.Sprintf("%s[%d]", at, i))...)
		}
	}
	return out
}

func hasType(typ string, v any) bool {
	switch typ {
	case "string":
		_, ok := v.(string)
		return ok
	case "integer":
		n, ok := v.(float64)
		return ok && n == math.Trunc(n)
	case "number":
		_, ok := v.(float64)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "null":
		return v == nil
	}
	return true
}

func dig(m map[string]any, path ...string) any {
	var cur any = m
	for _, p := range path {
		mm, _ := cur.(map[string]any)
		cur = mm[p]
	}
	return cur
}

func asSlice(v any) []any { s, _ := v.([]any); return s }

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// walkJSON calls fn for every key and value of a decoded JSON document.
func walkJSON(v any, fn func(k string, v any)) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			fn(k, x)
			walkJSON(x, fn)
		}
	case []any:
		for _, x := range v {
			walkJSON(x, fn)
		}
	}
}

// TestOpenAPISpotChecks decodes real answers of /me, the site list and the
// role list into maps and checks the documented required keys by name.
func TestOpenAPISpotChecks(t *testing.T) {
	f := newFixture(t, storetest.Dialects(t)[0])
	o := f.openAPI(t)
	required := func(name string) []string {
		s, _ := o.schemas[name].(map[string]any)
		var out []string
		for _, r := range asSlice(s["required"]) {
			out = append(out, r.(string))
		}
		if len(out) == 0 {
			t.Fatalf("schema %s requires nothing", name)
		}
		return out
	}
	hasAll := func(what string, m map[string]any, schema string) {
		for _, k := range required(schema) {
			if _, ok := m[k]; !ok {
				t.Errorf("%s lacks %q, required by %s", what, k, schema)
			}
		}
	}
	me := f.as(t, f.C1.Admin, "GET", "/me", nil).want(t, 200, "/me").object(t)
	hasAll("/me", me, "Me")
	hasAll("/me user", me["user"].(map[string]any), "User")
	hasAll("/me org", me["org"].(map[string]any), "Org")
	hasAll("/me preferences", me["preferences"].(map[string]any), "Preferences")

	sites := f.as(t, f.C1.Admin, "GET", "/orgs/"+f.C1.Org.ID+"/sites", nil).want(t, 200, "sites").object(t)
	hasAll("site list", sites, "SiteList")
	for _, s := range asSlice(sites["items"]) {
		hasAll("site", s.(map[string]any), "Site")
	}
	roles := f.as(t, f.C1.Admin, "GET", "/orgs/"+f.C1.Org.ID+"/roles", nil).want(t, 200, "roles").object(t)
	hasAll("role list", roles, "RoleList")
	if len(asSlice(roles["items"])) < 4 || len(asSlice(sites["items"])) < 2 {
		t.Errorf("too few items to check: %d roles, %d sites", len(asSlice(roles["items"])), len(asSlice(sites["items"])))
	}
	for _, r := range asSlice(roles["items"]) {
		hasAll("role", r.(map[string]any), "Role")
	}
}
