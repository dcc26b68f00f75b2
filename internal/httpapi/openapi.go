package httpapi

import (
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/cam2drive/cam2drive"
)

// OpenAPI builds the OpenAPI 3.1 document from the route table and the Go
// types of the requests and answers, so it can't drift from the code.
func (s *Server) OpenAPI() map[string]any {
	g := &schemaGen{defs: map[string]any{}}
	paths := map[string]map[string]any{}
	for _, rt := range s.routes {
		p := "/api/v1" + rt.path
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		paths[p][strings.ToLower(rt.method)] = g.operation(rt)
	}
	g.defs["Error"] = g.schema(reflect.TypeOf(errorBody{}))
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "Cam2Drive API", "version": "1", "x-build": cam2drive.Version,
			"description": "Public API of Cam2Drive. Conventions: docs/API.md."},
		"servers": []any{map[string]any{"url": "/"}},
		"paths":   paths,
		"components": map[string]any{
			"schemas": g.defs,
			"securitySchemes": map[string]any{
				"bearer":  map[string]any{"type": "http", "scheme": "bearer", "description": "Personal API token (c2d_…)"},
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": SessionCookie, "description": "Browser session; writes need the X-CSRF-Token header"},
			},
		},
	}
}

func (s *Server) serveOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(s.OpenAPI())
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

func (g *schemaGen) operation(rt route) map[string]any {
	op := map[string]any{"summary": rt.summary, "operationId": operationID(rt)}
	var params []any
	for _, m := range pathParam.FindAllStringSubmatch(rt.path, -1) {
		params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
	}
	if rt.method == "GET" && rt.resp != nil && strings.HasPrefix(reflect.TypeOf(rt.resp).Name(), "list[") {
		for _, q := range []string{"limit", "offset", "cursor"} {
			params = append(params, map[string]any{"name": q, "in": "query", "schema": map[string]any{"type": "string"}})
		}
	}
	if params != nil {
		op["parameters"] = params
	}
	if rt.req != nil {
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
			"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(rt.req))}}}
	}
	status := rt.status
	if status == 0 {
		status = 200
	}
	ok := map[string]any{"description": http.StatusText(status)}
	if rt.resp != nil {
		ok["content"] = map[string]any{"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(rt.resp))}}
	}
	errRef := map[string]any{"description": "Error", "content": map[string]any{
		"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}
	op["responses"] = map[string]any{itoa(status): ok, "default": errRef}
	if rt.public {
		op["security"] = []any{}
	} else {
		op["security"] = []any{map[string]any{"bearer": []any{}}, map[string]any{"session": []any{}}}
	}
	if rt.perm != "" {
		op["x-permission"] = string(rt.perm)
	}
	return op
}

func operationID(rt route) string {
	p := pathParam.ReplaceAllString(rt.path, "by_$1")
	p = strings.NewReplacer("/", "_", "-", "_").Replace(p)
	return strings.ToLower(rt.method) + p
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

type schemaGen struct{ defs map[string]any }

// schema describes t as JSON Schema; named structs go to components.
func (g *schemaGen) schema(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int64, reflect.Int32:
		return map[string]any{"type": "integer"}
	case reflect.Float64, reflect.Float32:
		return map[string]any{"type": "number"}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case reflect.Struct:
		return g.structRef(t)
	}
	return map[string]any{}
}

func (g *schemaGen) structRef(t reflect.Type) map[string]any {
	name := schemaName(t)
	if _, done := g.defs[name]; !done {
		g.defs[name] = map[string]any{} // placeholder against recursion
		props, required := map[string]any{}, []string{}
		for i := range t.NumField() {
			f := t.Field(i)
			tag := strings.Split(f.Tag.Get("json"), ",")
			if tag[0] == "-" || !f.IsExported() {
				continue
			}
			prop := g.schema(f.Type)
			if e := f.Tag.Get("enum"); e != "" {
				prop["enum"] = enumValues(e, prop["type"])
			}
			if fm := f.Tag.Get("format"); fm != "" {
				prop["format"] = fm
			}
			omitempty := strings.Contains(f.Tag.Get("json"), "omitempty")
			if f.Type.Kind() == reflect.Pointer && !omitempty {
				// A nil pointer is written as null.
				prop = map[string]any{"anyOf": []any{prop, map[string]any{"type": "null"}}}
			}
			props[tag[0]] = prop
			if !omitempty && f.Type.Kind() != reflect.Pointer {
				required = append(required, tag[0])
			}
		}
		g.defs[name] = map[string]any{"type": "object", "properties": props, "required": required, "additionalProperties": false}
	}
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

// enumValues lists the values of an enum tag, as numbers for a number field.
func enumValues(tag string, typ any) []any {
	var out []any
	for _, v := range strings.Split(tag, ",") {
		if n, err := strconv.Atoi(v); err == nil && typ == "integer" {
			out = append(out, n)
		} else {
			out = append(out, v)
		}
	}
	return out
}

// schemaName turns Go names such as "list[github.com/…/httpapi.siteJSON]" into "SiteList".
func schemaName(t reflect.Type) string {
	n := t.Name()
	if strings.HasPrefix(n, "list[") {
		inner := n[strings.LastIndex(n, ".")+1 : len(n)-1]
		if !strings.Contains(n, ".") {
			inner = strings.TrimSuffix(strings.TrimPrefix(n, "list["), "]")
		}
		return exportName(inner) + "List"
	}
	return exportName(n)
}

func exportName(n string) string {
	n = strings.TrimSuffix(n, "JSON")
	if base, ok := strings.CutSuffix(n, "Req"); ok {
		n = base + "Request"
	}
	if n == "" {
		return "Value"
	}
	return strings.ToUpper(n[:1]) + n[1:]
}
