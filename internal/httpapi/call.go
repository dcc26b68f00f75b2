package httpapi

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/authz"
	"github.com/cam2drive/cam2drive/internal/store"
)

// maxBody bounds every JSON request body.
const maxBody = 1 << 20

// call is one request being served: who asks, on which organisation.
type call struct {
	w    http.ResponseWriter
	r    *http.Request
	s    *Server
	who  store.Principal // zero for public routes
	org  cam2drive.Org   // the {org_id} of the path, once authorised
	lang string
	log  *slog.Logger
}

// decode reads a JSON body into v, refusing unknown fields and oversized bodies.
func (c *call) decode(v any) error {
	body := http.MaxBytesReader(c.w, c.r.Body, maxBody)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &cam2drive.Error{Code: codeTooLarge, Key: "too_large", Err: err}
		}
		return &cam2drive.Error{Code: cam2drive.CodeInvalid, Key: "bad_json", Err: err}
	}
	if _, err := dec.Token(); err != io.EOF {
		return cam2drive.Errorf(cam2drive.CodeInvalid, "bad_json")
	}
	if name := badTextField(reflect.ValueOf(v)); name != "" {
		return cam2drive.Invalid(map[string]string{name: "invalid_value"})
	}
	return nil
}

// cleanText tells whether s can be stored as text: PostgreSQL refuses NUL
// characters and invalid UTF-8, which would otherwise end in a 500.
func cleanText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// badTextField names the first string field of the request struct v that
// cleanText refuses ("" when none).
func badTextField(v reflect.Value) string {
	v = reflect.Indirect(v)
	if v.Kind() != reflect.Struct {
		return ""
	}
	for i := range v.NumField() {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
		f := reflect.Indirect(v.Field(i))
		switch f.Kind() {
		case reflect.String:
			if !cleanText(f.String()) {
				return name
			}
		case reflect.Slice:
			for j := range f.Len() {
				if e := f.Index(j); e.Kind() == reflect.String && !cleanText(e.String()) {
					return name
				}
			}
		}
	}
	return ""
}

// checkURLText refuses path and query values that cleanText refuses.
func checkURLText(r *http.Request) error {
	if !cleanText(r.URL.Path) {
		return cam2drive.ErrNotFound
	}
	for name, vs := range r.URL.Query() {
		for _, v := range vs {
			if !cleanText(v) {
				return cam2drive.Invalid(map[string]string{name: "invalid_value"})
			}
		}
	}
	return nil
}

// codeTooLarge is HTTP's own refusal of an oversized body.
const codeTooLarge cam2drive.Code = "too_large"

func (c *call) json(status int, v any) error {
	c.w.Header().Set("Content-Type", "application/json; charset=utf-8")
	c.w.WriteHeader(status)
	return json.NewEncoder(c.w).Encode(v)
}

func (c *call) noContent() error {
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// require checks a permission on an organisation other than the path's.
func (c *call) require(p authz.Permission, target cam2drive.Org) error {
	switch authz.Check(actorOf(c.who), p, target) {
	case authz.Hidden:
		return cam2drive.ErrNotFound
	case authz.Denied:
		return cam2drive.Errorf(cam2drive.CodeForbidden, "forbidden")
	}
	return nil
}

func actorOf(p store.Principal) authz.Actor {
	return authz.Actor{Org: p.Org, Permissions: p.Role.Permissions}
}

func (c *call) ip() string {
	host, _, err := net.SplitHostPort(c.r.RemoteAddr)
	if err != nil {
		return c.r.RemoteAddr
	}
	return host
}

func (c *call) query(name string) string { return strings.TrimSpace(c.r.URL.Query().Get(name)) }

// page reads limit plus offset or cursor. Cursors of offset-paged lists are
// the offset, encoded so clients treat them as opaque.
func (c *call) page() (cam2drive.Page, error) {
	p, cursor, err := c.limitOffset()
	if err != nil || cursor == "" {
		return p, err
	}
	n, err := strconv.Atoi(strings.TrimPrefix(cursor, "o:"))
	if err != nil || n < 0 || !strings.HasPrefix(cursor, "o:") {
		return p, cam2drive.Invalid(map[string]string{"cursor": "invalid"})
	}
	p.Offset = n
	return p, nil
}

// limitOffset reads limit and offset, and returns the decoded cursor for
// the caller to interpret.
func (c *call) limitOffset() (cam2drive.Page, string, error) {
	p := cam2drive.Page{Limit: 50}
	if v := c.query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			return p, "", cam2drive.Invalid(map[string]string{"limit": "invalid_limit"})
		}
		p.Limit = n
	}
	if v := c.query("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return p, "", cam2drive.Invalid(map[string]string{"offset": "invalid"})
		}
		p.Offset = n
	}
	v := c.query("cursor")
	if v == "" {
		return p, "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil || len(b) == 0 {
		return p, "", cam2drive.Invalid(map[string]string{"cursor": "invalid"})
	}
	return p, string(b), nil
}

// list is the shape of every list answer.
type list[T any] struct {
	Items      []T    `json:"items"`
	Total      int    `json:"total"`
	NextCursor string `json:"next_cursor"`
}

func newList[T any](items []T, total int, p cam2drive.Page) list[T] {
	if items == nil {
		items = []T{}
	}
	l := list[T]{Items: items, Total: total}
	if next := p.Offset + len(items); next < total && len(items) > 0 {
		l.NextCursor = base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(next)))
	}
	return l
}

func mapList[D any, T any](in []D, f func(D) T) []T {
	out := make([]T, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}
