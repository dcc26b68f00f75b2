package httpapi_test

import (
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cam2drive/cam2drive/internal/httpapi"
	"github.com/cam2drive/cam2drive/internal/store"
	"github.com/cam2drive/cam2drive/internal/tenancy"
)

// The fuzz targets post arbitrary bodies through the real server on SQLite:
// the answer is never a 5xx, always JSON (with a code when it is an error),
// and a 201 only for a body a user could have meant, whose values are kept.

// tricky are bodies shared by both targets' seed corpora.
var tricky = []string{
	``, `null`, `[]`, `"name"`, `{}`, `0`, `{"name":null}`,
	`{"name":1e999}`, `{"name":123456789012345678901234567890}`, `{"name":-0.0e-0}`,
	`{"name":{"nested":[1,{"a":null},[[[]]]]}}`, `{"name":["a"]}`, `{"name":true}`,
	`{"name":"a","name":"b"}`, `{"NAME":"upper case key"}`, `{"name":"x","Name":"y"}`,
	`{"name":"a\u0000b"}`, "{\"name\":\"\xff\xfe\"}", `{"name":"\ud800"}`, `{"name":"\u202eevil"}`,
	`{"name":"ok"} trailing`, `{"name":"ok"}{"name":"again"}`, `{"name":"ok","extra":1}`, `{"name":"ok",}`,
	strings.Repeat("[", 10001), `{"name":"` + strings.Repeat("é", 101) + `"}`,
	`{"name":"` + strings.Repeat("a", 200) + `"}`, `{"name":"` + strings.Repeat("a", 201) + `"}`,
	"\ufeff{\"name\":\"bom\"}", `  {"name":"padded"}  `, "{\"name\":\"tab\there\"}",
}

// checkFuzzAnswer holds for every answer, whatever the body.
func checkFuzzAnswer(t *testing.T, body string, r reply) {
	t.Helper()
	if r.Status >= 500 {
		t.Fatalf("body %q: server error %s", body, r)
	}
	if !json.Valid(r.Body) {
		t.Fatalf("body %q: answer is not JSON: %s", body, r)
	}
	if r.Status >= 400 {
		e := r.err(t)
		if e.Code == "" || e.Message == "" {
			t.Fatalf("body %q: error without code or message: %s", body, r)
		}
	}
}

// strictDecode decodes body like the API does: one JSON value, no unknown fields.
func strictDecode(body string, v any) bool {
	if len(body) > 1<<20 {
		return false
	}
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	if dec.Decode(v) != nil {
		return false
	}
	_, err := dec.Token()
	return err == io.EOF
}

func storable(ss ...string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			return false
		}
	}
	return true
}

// siteOracle says whether body is a valid new site, and its name.
func siteOracle(body string, zones []string) (string, bool) {
	var req struct {
		Name     *string `json:"name"`
		Timezone *string `json:"timezone"`
		Address  *string `json:"address"`
	}
	if !strictDecode(body, &req) {
		return "", false
	}
	name, zone, addr := "", "UTC", ""
	if req.Name != nil {
		name = strings.TrimSpace(*req.Name)
	}
	if req.Timezone != nil {
		zone = strings.TrimSpace(*req.Timezone)
	}
	if req.Address != nil {
		addr = strings.TrimSpace(*req.Address)
	}
	ok := name != "" && len(name) <= 200 && slices.Contains(zones, zone) && len(addr) <= 500 && storable(name, zone, addr)
	return name, ok
}

func FuzzCreateSite(f *testing.F) {
	fx := newFixture(f, store.SQLite)
	sites := "/orgs/" + fx.C1.Org.ID + "/sites"
	zones := httpapi.Timezones()
	for _, b := range append(slices.Clone(tricky),
		`{"name":"Depot","timezone":"Europe/Paris","address":"1 rue de la Gare"}`,
		`{"name":"  spaced  ","timezone":" Africa/Tunis "}`,
		`{"name":"Café ☕ 東京","address":"  "}`,
		`{"name":"x","timezone":"Mars/Olympus"}`,
		`{"name":"x","timezone":null,"address":null}`,
		`{"name":"x","address":"`+strings.Repeat("b", 501)+`"}`,
	) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := fx.as(t, fx.C1.Admin, "POST", sites, body)
		checkFuzzAnswer(t, body, r)
		name, valid := siteOracle(body, zones)
		if (r.Status == 201) != valid {
			t.Fatalf("body %q: got %s, valid = %v", body, r, valid)
		}
		if !valid {
			if r.Status != 400 {
				t.Fatalf("body %q: got %s, want 400", body, r)
			}
			return
		}
		var s siteOut
		r.decode(t, &s)
		if s.Name != name || s.OrgID != fx.C1.Org.ID {
			t.Fatalf("body %q: created %+v, want name %q", body, s, name)
		}
		var stored siteOut
		fx.as(t, fx.C1.Admin, "GET", sites+"/"+s.ID, nil).want(t, 200, "read back").decode(t, &stored)
		if stored != s {
			t.Fatalf("body %q: stored %+v, answered %+v", body, stored, s)
		}
	})
}

// orgOracle says whether body is a valid new client of I1.
func orgOracle(body, installer string) (string, bool) {
	var req struct {
		ParentID string `json:"parent_id"`
		Kind     string `json:"kind"`
		Name     string `json:"name"`
		Email    string `json:"email"`
		Language string `json:"language"`
		Address  string `json:"address"`
		Phone    string `json:"phone"`
	}
	if !strictDecode(body, &req) {
		return "", false
	}
	ok := req.ParentID == installer && req.Kind == "client" && strings.TrimSpace(req.Name) != "" && len(req.Name) <= 200 &&
		tenancy.ValidEmail(req.Email) && slices.Contains([]string{"", "fr", "en"}, req.Language) &&
		len(req.Address) <= 500 && len(req.Phone) <= 50 && storable(req.Name, req.Email, req.Address, req.Phone)
	return strings.TrimSpace(req.Name), ok
}

// FuzzCreateOrg posts bodies as I1's admin. "$I1", "$C1" and "$D1" in a body
// stand for those organisations' ids, which differ in every process.
func FuzzCreateOrg(f *testing.F) {
	fx := newFixture(f, store.SQLite)
	ids := strings.NewReplacer("$I1", fx.I1.Org.ID, "$C1", fx.C1.Org.ID, "$D1", fx.D1.Org.ID)
	for _, b := range append(slices.Clone(tricky),
		`{"parent_id":"$I1","kind":"client","name":"Acme","email":"boss@acme.test","language":"fr","address":"1 rue","phone":"+216 1"}`,
		`{"parent_id":"$I1","kind":"client","name":"  Trim me  ","email":" Mixed@Case.Test "}`,
		`{"parent_id":"$I1","kind":"client","name":"Dup","email":"admin@c1.test"}`,
		`{"parent_id":"$I1","kind":"installer","name":"Wrong kind","email":"k@k.test"}`,
		`{"parent_id":"$C1","kind":"client","name":"Under a client","email":"c@c.test"}`,
		`{"parent_id":"$D1","kind":"installer","name":"Above me","email":"d@d.test"}`,
		`{"parent_id":"","kind":"client","name":"No parent","email":"n@n.test"}`,
		`{"parent_id":"$I1","kind":"client","name":"Lang","email":"l@l.test","language":"de"}`,
		`{"parent_id":"$I1","kind":"client","name":"Bad mail","email":"not-an-email"}`,
		`{"parent_id":"$I1","kind":"client","name":"Long phone","email":"p@p.test","phone":"`+strings.Repeat("1", 51)+`"}`,
		`{"parent_id":"$I1","kind":"client","name":"東京 ☕","email":"tokyo@example.jp"}`,
		`{"parent_id":"$I1","kind":"client","name":"Nul","email":"nul\u0000@x.test"}`,
		`{"parent_id":["$I1"],"kind":"client","name":"Array parent","email":"a@a.test"}`,
		`{"parent_id":"$I1","parent_id":"$C1","kind":"client","name":"Dup key","email":"dk@x.test"}`,
	) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		body := ids.Replace(raw)
		name, valid := orgOracle(body, fx.I1.Org.ID)
		taken := false
		if valid {
			var req struct{ Email string }
			_ = json.Unmarshal([]byte(body), &req)
			_, err := fx.DB.UserByEmail(t.Context(), req.Email)
			taken = err == nil
		}
		r := fx.as(t, fx.I1.Admin, "POST", "/orgs", body)
		checkFuzzAnswer(t, body, r)
		switch {
		case valid && taken:
			r.wantErr(t, 409, "email_taken", "body "+body)
		case valid:
			var o orgOut
			r.want(t, 201, "body "+body).decode(t, &o)
			if o.Name != name || o.ParentID != fx.I1.Org.ID || o.Kind != "client" {
				t.Fatalf("body %q: created %+v, want name %q", body, o, name)
			}
		case r.Status < 400:
			t.Fatalf("body %q: got %s for an invalid body", body, r)
		}
	})
}
