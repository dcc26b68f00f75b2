// Package httpapi is the public JSON API (/api/v1) and the HTTP plumbing
// around it: authentication, CSRF, errors, metrics and the web app.
package httpapi

import (
	"context"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/auth"
	"github.com/cam2drive/cam2drive/internal/authz"
	"github.com/cam2drive/cam2drive/internal/store"
	"github.com/cam2drive/cam2drive/internal/tenancy"
)

// Cookie names.
const (
	SessionCookie = "c2d_session"
	CSRFCookie    = "c2d_csrf"
	CSRFHeader    = "X-CSRF-Token"
)

// Deps are what the API is built from.
type Deps struct {
	DB       *store.DB
	Auth     *auth.Service
	Tenancy  *tenancy.Service
	Log      *slog.Logger
	Registry *prometheus.Registry
	Web      http.Handler // the web app; nil serves the API only
	Ingest   IngestDeps
	Media    MediaDeps
	// SecureCookies marks cookies Secure (set when the public URL is https).
	SecureCookies bool
	// Ready reports whether the process can serve (database reachable…).
	Ready func(ctx context.Context) error
	// AIStatus reports whether the AI model runtime can run (see
	// AIStatusFunc); nil: this server runs no model.
	AIStatus AIStatusFunc
}

// Server serves the API.
type Server struct {
	Deps
	routes   []route
	zones    []string // IANA zones offered for sites
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// New builds the server and registers its metrics.
func New(d Deps) *Server {
	s := &Server{Deps: d}
	s.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cam2drive_http_requests_total", Help: "HTTP requests by route and status."}, []string{"route", "status"})
	s.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "cam2drive_http_request_duration_seconds", Help: "HTTP request latency by route.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}}, []string{"route"})
	if d.Registry != nil {
		d.Registry.MustRegister(s.requests, s.duration)
	}
	s.zones = Timezones()
	s.routes = s.table()
	return s
}

// Routes lists the API routes (for the OpenAPI document and the tests).
func (s *Server) Routes() []RouteInfo {
	out := make([]RouteInfo, len(s.routes))
	for i, r := range s.routes {
		out[i] = RouteInfo{Method: r.method, Path: r.path, Permission: r.perm, Public: r.public}
	}
	return out
}

// RouteInfo describes a route for tests and documentation.
type RouteInfo struct {
	Method, Path string
	Permission   authz.Permission
	Public       bool
}

// Handler is the whole HTTP surface.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, r := range s.routes {
		mux.Handle(r.method+" /api/v1"+r.path, s.wrap(r))
	}
	mux.HandleFunc("GET /api/v1/openapi.json", s.serveOpenAPI)
	// Media are fetched by <video> and <img> with a signed URL, no session.
	mux.HandleFunc("GET /media/{org_id}/{recording_id}/{variant}", s.serveMedia)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		c := s.newCall(w, r)
		c.writeError(cam2drive.ErrNotFound)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /readyz", s.serveReady)
	if s.Registry != nil {
		mux.Handle("GET /metrics", promhttp.HandlerFor(s.Registry, promhttp.HandlerOpts{}))
	}
	if s.Web != nil {
		mux.Handle("/", s.Web)
	}
	return s.middleware(mux)
}

func (s *Server) serveReady(w http.ResponseWriter, r *http.Request) {
	if s.Ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := s.Ready(ctx); err != nil {
			s.Log.Warn("not ready", "err", err)
			http.Error(w, "not ready\n", http.StatusServiceUnavailable)
			return
		}
	}
	_, _ = w.Write([]byte("ready\n"))
}

func (s *Server) newCall(w http.ResponseWriter, r *http.Request) *call {
	lang := acceptLanguage(r.Header.Get("Accept-Language"))
	return &call{w: w, r: r, s: s, lang: lang, log: s.Log.With("request_id", requestID(r.Context()))}
}

// wrap turns a route into a handler: authentication, CSRF, the organisation
// of the path and its permission, then the handler; errors are written once.
func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: 200}
		c := s.newCall(sw, r)
		if err := s.serve(c, rt); err != nil {
			c.writeError(err)
		}
		s.requests.WithLabelValues(rt.method+" "+rt.path, statusClass(sw.status)).Inc()
		s.duration.WithLabelValues(rt.method + " " + rt.path).Observe(time.Since(start).Seconds())
	})
}

func (s *Server) serve(c *call, rt route) error {
	if !rt.public {
		if err := s.authenticate(c); err != nil {
			return err
		}
	}
	if err := checkURLText(c.r); err != nil {
		return err
	}
	if orgID := c.r.PathValue("org_id"); orgID != "" && !rt.public {
		org, err := s.orgOf(c, orgID)
		if err != nil {
			return err
		}
		c.org = org
		if rt.perm != "" {
			if err := c.require(rt.perm, org); err != nil {
				return err
			}
		}
	} else if rt.perm != "" && !hasPerm(c.who, rt.perm) {
		return cam2drive.Errorf(cam2drive.CodeForbidden, "forbidden")
	}
	return rt.handle(c)
}

func (s *Server) orgOf(c *call, id string) (cam2drive.Org, error) {
	if !cam2drive.ValidID(id) {
		return cam2drive.Org{}, cam2drive.ErrNotFound
	}
	if id == c.who.Org.ID {
		return c.who.Org, nil
	}
	org, err := s.DB.Org(c.r.Context(), id)
	if err != nil {
		return org, err
	}
	if !c.who.Org.IsAncestorOrSelf(org) {
		return cam2drive.Org{}, cam2drive.ErrNotFound
	}
	return org, nil
}

func hasPerm(p store.Principal, perm authz.Permission) bool {
	for _, have := range p.Role.Permissions {
		if have == string(perm) {
			return true
		}
	}
	return false
}

// authenticate finds the caller from a bearer token or the session cookie;
// cookie-authenticated writes must carry the session's CSRF token.
func (s *Server) authenticate(c *call) error {
	ctx := c.r.Context()
	if h := c.r.Header.Get("Authorization"); h != "" {
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return cam2drive.Errorf(cam2drive.CodeUnauthenticated, "unauthenticated")
		}
		p, err := s.Auth.ByToken(ctx, strings.TrimSpace(token))
		if err != nil {
			return err
		}
		c.setPrincipal(p)
		return nil
	}
	cookie, err := c.r.Cookie(SessionCookie)
	if err != nil || cookie.Value == "" {
		return cam2drive.Errorf(cam2drive.CodeUnauthenticated, "unauthenticated")
	}
	p, err := s.Auth.BySession(ctx, cookie.Value)
	if err != nil {
		return err
	}
	c.setPrincipal(p)
	if c.r.Method != http.MethodGet && c.r.Method != http.MethodHead {
		got := c.r.Header.Get(CSRFHeader)
		if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(p.CSRF)) != 1 {
			return cam2drive.Errorf(codeCSRF, "csrf")
		}
	}
	return nil
}

func (c *call) setPrincipal(p store.Principal) {
	c.who = p
	c.lang = p.User.Preferences.Language
	c.log = c.log.With("org_id", p.Org.ID, "user_id", p.User.ID)
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func statusClass(code int) string {
	return string(rune('0'+code/100)) + "xx"
}

type ctxKey int

const requestIDKey ctxKey = 0

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// middleware adds a request id, security headers, panic recovery and an access log.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := cam2drive.NewID()
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey, id))
		h := w.Header()
		h.Set("X-Request-Id", id)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.Error("panic", "request_id", id, "panic", v, "path", r.URL.Path)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
