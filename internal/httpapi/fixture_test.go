package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/auth"
	"github.com/cam2drive/cam2drive/internal/authz"
	"github.com/cam2drive/cam2drive/internal/blob"
	"github.com/cam2drive/cam2drive/internal/httpapi"
	"github.com/cam2drive/cam2drive/internal/ingest"
	"github.com/cam2drive/cam2drive/internal/jobs"
	"github.com/cam2drive/cam2drive/internal/mail"
	"github.com/cam2drive/cam2drive/internal/notify"
	"github.com/cam2drive/cam2drive/internal/store"
	"github.com/cam2drive/cam2drive/internal/storetest"
	"github.com/cam2drive/cam2drive/internal/tenancy"
)

// cheapArgon keeps password hashing out of the test time.
var cheapArgon = auth.Argon2Params{Memory: 64, Time: 1, Threads: 1}

// testPassword is every fixture account's password: long, not common, not an e-mail.
const testPassword = "Tangerine-Harbour-42"

const publicURL = "https://cam2drive.test"

// ingestDeps is what the fixture's server tells recorders to connect to;
// Service is filled in by newEnv.
var ingestDeps = httpapi.IngestDeps{Host: "ingest.cam2drive.test", FTPPort: 2121, SFTPPort: 2222, OfflineAfter: 2 * time.Hour}

// serverKey encrypts the fixture's recorder passwords (32 bytes).
var serverKey = []byte("fixture-key-fixture-key-fixture!")

// env is one API server wired like internal/cli does it, on a fresh database.
type env struct {
	DB       *store.DB
	Auth     *auth.Service
	Tenancy  *tenancy.Service
	Ingest   *ingest.Service
	Server   *httpapi.Server
	HTTP     *httptest.Server
	Registry *prometheus.Registry
	Blobs    blob.Store
	seq      atomic.Int64
	// later moves the media clock forward (nanoseconds), to expire signed URLs.
	later atomic.Int64
	// aiDown, when set, is what the AI status function answers.
	aiDown atomic.Pointer[cam2drive.Error]
}

func newEnv(t testing.TB, d store.Dialect) *env {
	t.Helper()
	db := storetest.Open(t, d)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	queue, err := jobs.New(db, nil, jobs.Config{})
	if err != nil {
		t.Fatalf("jobs: %v", err)
	}
	notifier := notify.New(mail.NewTemplates("Cam2Drive", publicURL), queue, publicURL)
	a := auth.NewService(db, cheapArgon, notifier, log, 2)
	ten := tenancy.New(db, a, notifier)
	blobs, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatalf("blob store: %v", err)
	}
	secrets, err := auth.NewRecorderSecrets(serverKey)
	if err != nil {
		t.Fatalf("recorder secrets: %v", err)
	}
	svc, err := ingest.New(db, blobs, queue, secrets, nil, log, ingest.Config{SpoolDir: t.TempDir()})
	if err != nil {
		t.Fatalf("ingest: %v", err)
	}
	deps := ingestDeps
	deps.Service = svc
	reg := prometheus.NewRegistry()
	e := &env{DB: db, Auth: a, Tenancy: ten, Ingest: svc, Registry: reg, Blobs: blobs}
	media := httpapi.MediaDeps{Blobs: blobs, Key: serverKey, Now: func() time.Time { return time.Now().Add(time.Duration(e.later.Load())) }}
	// The model runtime reads as available unless a test sets aiDown.
	aiStatus := func(context.Context) error {
		if p := e.aiDown.Load(); p != nil {
			return p
		}
		return nil
	}
	e.Server = httpapi.New(httpapi.Deps{DB: db, Auth: a, Tenancy: ten, Log: log, Registry: reg, Ready: db.Ping, Ingest: deps, Media: media,
		AIStatus: aiStatus})
	e.HTTP = httptest.NewServer(e.Server.Handler())
	t.Cleanup(e.HTTP.Close)
	return e
}

// next returns a number unique within the env, for names and e-mails.
func (e *env) next() int64 { return e.seq.Add(1) }

// account is a person who can sign in, with a personal API token.
type account struct {
	User     cam2drive.User
	Email    string
	Password string
	Token    string
	TokenID  string
}

// tenant is one organisation of the fixture and ids of its resources.
type tenant struct {
	Name  string
	Org   cam2drive.Org
	Admin account
	Roles map[string]string // built-in key → role id
	// Resources a probe may try to reach; none is in use, so an action that
	// slipped past a check would succeed.
	SiteID string // a site without recorders
	UserID string // an invited user (Viewer role)
	RoleID string // a custom role nobody holds
	// Devices, on a site of their own (RecorderSiteID) so that SiteID stays
	// free: a recorder with two cameras in every organisation. A client's
	// recorder also has a virtual disk, made by its installer, with cloud
	// recording on for camera 1 and one real recording uploaded through the
	// ingest service. Virtual disks only exist in clients: elsewhere DiskID
	// and RecordingID are ids that exist nowhere.
	RecorderSiteID, RecorderID, CameraID, DiskID, RecordingID string
	// AISubID: a client's active AI subscription (camera limit 50, every
	// HOLO4 package), sold by its installer; elsewhere an id that exists nowhere.
	AISubID string
}

// fixture is the tree platform → D1 → {I1 → {C1, C2}, I2 → C3}.
type fixture struct {
	*env
	Platform, D1, I1, I2, C1, C2, C3 *tenant
	// People of C1 with the Technician, Viewer and custom role.
	Tech, Viewer, Custom account
	CustomRoleID         string
}

// customPerms are the permissions of the fixture's custom role in C1.
var customPerms = []string{string(authz.SitesView), string(authz.UsersView)}

func newFixture(t testing.TB, d store.Dialect) *fixture {
	t.Helper()
	f := &fixture{env: newEnv(t, d)}
	ctx := t.Context()
	const rootEmail = "root@platform.test"
	if _, _, err := f.Tenancy.Bootstrap(ctx, rootEmail, testPassword); err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	platform, err := f.DB.PlatformOrg(ctx)
	if err != nil {
		t.Fatalf("platform org: %v", err)
	}
	f.Platform = f.populate(t, "Platform", platform, f.withToken(t, rootEmail, testPassword))
	f.equip(t, f.Platform, nil)
	f.D1 = f.createOrg(t, f.Platform, cam2drive.KindDistributor, "D1")
	f.I1 = f.createOrg(t, f.D1, cam2drive.KindInstaller, "I1")
	f.I2 = f.createOrg(t, f.D1, cam2drive.KindInstaller, "I2")
	f.C1 = f.createOrg(t, f.I1, cam2drive.KindClient, "C1")
	f.C2 = f.createOrg(t, f.I1, cam2drive.KindClient, "C2")
	f.C3 = f.createOrg(t, f.I2, cam2drive.KindClient, "C3")

	custom := cam2drive.Role{OrgID: f.C1.Org.ID, Name: "Site auditor", Permissions: customPerms}
	if err := f.DB.CreateRole(ctx, &custom); err != nil {
		t.Fatalf("custom role: %v", err)
	}
	f.CustomRoleID = custom.ID
	f.Tech = f.addPerson(t, f.C1, "tech@c1.test", f.C1.Roles[authz.Technician])
	f.Viewer = f.addPerson(t, f.C1, "viewer@c1.test", f.C1.Roles[authz.Viewer])
	f.Custom = f.addPerson(t, f.C1, "custom@c1.test", custom.ID)
	return f
}

// createOrg creates a child organisation of parent as parent's admin would,
// then activates its invited admin through the mailed link.
func (f *fixture) createOrg(t testing.TB, parent *tenant, kind cam2drive.OrgKind, name string) *tenant {
	t.Helper()
	email := "admin@" + strings.ToLower(name) + ".test"
	org, err := f.Tenancy.CreateOrg(t.Context(), f.principal(t, parent.Admin), tenancy.NewOrg{
		ParentID: parent.Org.ID, Kind: kind, Name: name, Email: email, Language: "en",
		Address: "1 " + name + " street", Phone: "+33 1 00 00 00 00"}, "127.0.0.1")
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	f.activate(t, email, testPassword)
	tn := f.populate(t, name, org, f.withToken(t, email, testPassword))
	f.equip(t, tn, parent)
	return tn
}

// fixtureUpload is the path of the recording every client's recorder
// uploads: a Dahua snapshot of channel 1 on 2019-05-09 at 06:07:27.
const fixtureUpload = "SN/2019-05-09/001/jpg/06/07/27[M][0@0][0].jpg"

// equip gives tn its devices (see tenant). parent, the organisation above,
// sells a client its virtual disk: clients can't create their own.
func (f *fixture) equip(t testing.TB, tn *tenant, parent *tenant) {
	t.Helper()
	org := tn.Org.ID
	tn.RecorderSiteID = f.addSite(t, org, "Recorder site of "+tn.Name)
	rec := f.addRecorder(t, org, tn.RecorderSiteID, "NVR of "+tn.Name, "dahua", 2)
	tn.RecorderID = rec.ID
	tn.CameraID = f.cameraID(t, org, rec.ID, 1)
	if tn.Org.Kind != cam2drive.KindClient || parent == nil {
		tn.DiskID, tn.RecordingID, tn.AISubID = cam2drive.NewID(), cam2drive.NewID(), cam2drive.NewID()
		return
	}
	var sub aiSubOut
	f.as(t, parent.Admin, "POST", "/orgs/"+org+"/ai-subscriptions", map[string]any{"camera_limit": 50}).
		want(t, 201, parent.Name+" sells "+tn.Name+" an AI subscription").decode(t, &sub)
	tn.AISubID = sub.ID
	var d diskOut
	f.as(t, parent.Admin, "POST", "/orgs/"+org+"/virtual-disks",
		map[string]any{"capacity_gb": 10, "camera_limit": 2, "recorder_id": rec.ID}).
		want(t, 201, parent.Name+" sells "+tn.Name+" a disk").decode(t, &d)
	tn.DiskID = d.ID
	f.as(t, tn.Admin, "PATCH", "/orgs/"+org+"/cameras/"+tn.CameraID, map[string]any{"cloud_recording": true}).
		want(t, 200, tn.Name+" turns cloud recording on")
	if err := f.upload(t, org, rec.ID, "192.0.2.1", fixtureUpload, testJPEG(t, 1)); err != nil {
		t.Fatalf("upload of %s: %v", tn.Name, err)
	}
	tn.RecordingID = f.recordingID(t, org, tn.CameraID, fixtureUpload)
}

// addRecorder adds a recorder with its cameras and credentials through the
// ingest service, as POST …/recorders does.
func (e *env) addRecorder(t testing.TB, orgID, siteID, name, manufacturer string, cameras int) cam2drive.Recorder {
	t.Helper()
	r := cam2drive.Recorder{OrgID: orgID, SiteID: siteID, Name: name, Manufacturer: manufacturer, Kind: "nvr",
		CameraCount: cameras, RetentionDays: 30}
	if err := e.Ingest.CreateRecorder(t.Context(), &r); err != nil {
		t.Fatalf("recorder %s: %v", name, err)
	}
	return r
}

// freshAISub gives a client a new active AI subscription (cancelling the
// one it has) and returns its id.
func (e *env) freshAISub(t testing.TB, orgID string, limit int) string {
	t.Helper()
	e.cancelAISub(t, orgID)
	s := cam2drive.AISubscription{OrgID: orgID, CameraLimit: limit, Packages: []string{"construction_site", "fun_at_work", "urban"}}
	if err := e.DB.CreateAISubscription(t.Context(), &s); err != nil {
		t.Fatalf("AI subscription: %v", err)
	}
	return s.ID
}

// cancelAISub cancels a client's active AI subscription, if any.
func (e *env) cancelAISub(t testing.TB, orgID string) {
	t.Helper()
	cur, err := e.DB.ActiveAISubscription(t.Context(), orgID)
	if cam2drive.IsNotFound(err) {
		return
	}
	if err != nil {
		t.Fatalf("active AI subscription: %v", err)
	}
	if err := e.DB.CancelAISubscription(t.Context(), orgID, cur.ID, time.Now()); err != nil {
		t.Fatalf("cancel AI subscription: %v", err)
	}
}

// addDisk adds a virtual disk to a client, attached to recorderID unless "".
func (e *env) addDisk(t testing.TB, orgID, recorderID string, cameraLimit int) string {
	t.Helper()
	d := cam2drive.VirtualDisk{OrgID: orgID, RecorderID: recorderID, CapacityBytes: cam2drive.GB, CameraLimit: cameraLimit, Overwrite: true}
	if err := e.DB.CreateDisk(t.Context(), &d); err != nil {
		t.Fatalf("disk: %v", err)
	}
	return d.ID
}

// cameraID returns the id of a recorder's camera by number.
func (e *env) cameraID(t testing.TB, orgID, recorderID string, number int) string {
	t.Helper()
	cams, _, err := e.DB.Cameras(t.Context(), orgID, store.CameraFilter{RecorderID: recorderID, Number: number}, cam2drive.Page{Limit: 2})
	if err != nil || len(cams) != 1 {
		t.Fatalf("camera %d of recorder %s: %v %+v", number, recorderID, err, cams)
	}
	return cams[0].ID
}

// upload sends one file as the recorder would, with its current
// credentials, through the ingest service: login, create, write, commit.
func (e *env) upload(t testing.TB, orgID, recorderID, ip, path string, data []byte) error {
	t.Helper()
	ctx := t.Context()
	rec, err := e.DB.Recorder(ctx, orgID, recorderID)
	if err != nil {
		t.Fatalf("recorder %s: %v", recorderID, err)
	}
	user, pass, err := e.Ingest.Credentials(rec)
	if err != nil {
		t.Fatalf("credentials of %s: %v", recorderID, err)
	}
	se, err := e.Ingest.Login(ctx, user, pass, ip)
	if err != nil {
		t.Fatalf("recorder login: %v", err)
	}
	defer se.Close()
	u, err := se.Create(ctx, path, 0, false)
	if err != nil {
		return err
	}
	if _, err := u.Write(data); err != nil {
		u.Abort()
		return err
	}
	return u.Commit(ctx)
}

// recordingID finds the recording a camera uploaded under path.
func (e *env) recordingID(t testing.TB, orgID, cameraID, path string) string {
	t.Helper()
	recs, _, err := e.DB.Recordings(t.Context(), orgID, store.RecordingFilter{CameraIDs: []string{cameraID}}, cam2drive.Page{Limit: 500})
	if err != nil {
		t.Fatalf("recordings: %v", err)
	}
	for _, r := range recs {
		if r.SourcePath == path {
			return r.ID
		}
	}
	t.Fatalf("no recording of camera %s for %s among %+v", cameraID, path, recs)
	return ""
}

// testJPEG is a real, complete JPEG; seed varies its bytes.
func testJPEG(t testing.TB, seed int) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 32, 24))
	for i := range img.Pix {
		img.Pix[i] = byte(i*seed + seed)
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// populate gives an organisation a site, an invited user and a spare custom role.
func (f *fixture) populate(t testing.TB, name string, org cam2drive.Org, admin account) *tenant {
	t.Helper()
	ctx := t.Context()
	tn := &tenant{Name: name, Org: org, Admin: admin, Roles: map[string]string{}}
	roles, err := f.DB.Roles(ctx, org.ID)
	if err != nil {
		t.Fatalf("roles of %s: %v", name, err)
	}
	for _, r := range roles {
		if r.Builtin != "" {
			tn.Roles[r.Builtin] = r.ID
		}
	}
	tn.SiteID = f.addSite(t, org.ID, "Site of "+name)
	u, err := f.Tenancy.InviteUser(ctx, f.principal(t, admin), org, "invited@"+strings.ToLower(name)+".test",
		tn.Roles[authz.Viewer], "Invited of "+name, "en", "127.0.0.1")
	if err != nil {
		t.Fatalf("invite in %s: %v", name, err)
	}
	tn.UserID = u.ID
	tn.RoleID = f.addRole(t, org.ID, "Spare of "+name, string(authz.SitesView))
	return tn
}

func (f *fixture) addSite(t testing.TB, orgID, name string) string {
	t.Helper()
	s := cam2drive.Site{OrgID: orgID, Name: name, Timezone: "Europe/Paris", Address: "2 place " + name}
	if err := f.DB.CreateSite(t.Context(), &s); err != nil {
		t.Fatalf("site %s: %v", name, err)
	}
	return s.ID
}

func (f *fixture) addRole(t testing.TB, orgID, name string, perms ...string) string {
	t.Helper()
	r := cam2drive.Role{OrgID: orgID, Name: name, Permissions: perms}
	if err := f.DB.CreateRole(t.Context(), &r); err != nil {
		t.Fatalf("role %s: %v", name, err)
	}
	return r.ID
}

// invite adds an invited user to tn with a role, as its admin.
func (f *fixture) invite(t testing.TB, tn *tenant, email, roleID string) cam2drive.User {
	t.Helper()
	u, err := f.Tenancy.InviteUser(t.Context(), f.principal(t, tn.Admin), tn.Org, email, roleID, "", "en", "127.0.0.1")
	if err != nil {
		t.Fatalf("invite %s: %v", email, err)
	}
	return u
}

// addPerson invites someone into tn with a role, activates the account and
// gives it an API token.
func (f *fixture) addPerson(t testing.TB, tn *tenant, email, roleID string) account {
	t.Helper()
	f.invite(t, tn, email, roleID)
	f.activate(t, email, testPassword)
	return f.withToken(t, email, testPassword)
}

// activate chooses a password with the latest set-password link mailed to email.
func (f *fixture) activate(t testing.TB, email, password string) {
	t.Helper()
	if err := f.Auth.SetPassword(t.Context(), f.mailToken(t, email), password, "127.0.0.1"); err != nil {
		t.Fatalf("set password of %s: %v", email, err)
	}
}

// mailToken returns the token of the newest link mailed to email.
func (e *env) mailToken(t testing.TB, email string) string {
	t.Helper()
	mails, err := e.DB.Outbox(t.Context(), email, 1)
	if err != nil || len(mails) == 0 {
		t.Fatalf("no mail for %s (err %v)", email, err)
	}
	u, err := url.Parse(mails[0].Link)
	if err != nil || u.Query().Get("token") == "" {
		t.Fatalf("mail to %s has no set-password link: %q", email, mails[0].Link)
	}
	return u.Query().Get("token")
}

func (e *env) mailCount(t testing.TB, email string) int {
	t.Helper()
	mails, err := e.DB.Outbox(t.Context(), email, 1000)
	if err != nil {
		t.Fatalf("outbox: %v", err)
	}
	return len(mails)
}

// withToken gives an active account a personal API token.
func (e *env) withToken(t testing.TB, email, password string) account {
	t.Helper()
	u, err := e.DB.UserByEmail(t.Context(), email)
	if err != nil {
		t.Fatalf("user %s: %v", email, err)
	}
	tok, secret, err := e.Auth.CreateAPIToken(t.Context(), u, "fixture", "127.0.0.1")
	if err != nil {
		t.Fatalf("token of %s: %v", email, err)
	}
	return account{User: u, Email: email, Password: password, Token: secret, TokenID: tok.ID}
}

func (e *env) principal(t testing.TB, a account) store.Principal {
	t.Helper()
	p, err := e.Auth.ByToken(t.Context(), a.Token)
	if err != nil {
		t.Fatalf("principal of %s: %v", a.Email, err)
	}
	return p
}

// ---- HTTP helpers ----

// reply is an HTTP answer, read in full.
type reply struct {
	Status int
	Header http.Header
	Body   []byte
	resp   *http.Response
}

// opt changes a request before it is sent.
type opt func(*http.Request)

func bearer(token string) opt {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
}

func header(k, v string) opt { return func(r *http.Request) { r.Header.Set(k, v) } }

func withCookies(cs ...*http.Cookie) opt {
	return func(r *http.Request) {
		for _, c := range cs {
			r.AddCookie(c)
		}
	}
}

// do sends a request. path is below /api/v1 unless it starts with "/api/" or
// is a root endpoint such as /healthz. body: nil (none), string or []byte
// (raw), anything else is sent as JSON.
func (e *env) do(t testing.TB, method, path string, body any, opts ...opt) reply {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("marshal body: %v", err)
		}
		r = bytes.NewReader(raw)
	}
	u := e.HTTP.URL + path
	if !strings.HasPrefix(path, "/api/") && !isRootEndpoint(path) {
		u = e.HTTP.URL + "/api/v1" + path
	}
	req, err := http.NewRequestWithContext(t.Context(), method, u, r)
	if err != nil {
		t.Fatalf("request %s %s: %v", method, path, err)
	}
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, o := range opts {
		o(req)
	}
	resp, err := e.HTTP.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return reply{Status: resp.StatusCode, Header: resp.Header, Body: raw, resp: resp}
}

func isRootEndpoint(p string) bool {
	for _, root := range []string{"/healthz", "/readyz", "/metrics"} {
		if p == root || strings.HasPrefix(p, root+"?") {
			return true
		}
	}
	return false
}

// as sends a request with a bearer token.
func (e *env) as(t testing.TB, a account, method, path string, body any, opts ...opt) reply {
	t.Helper()
	return e.do(t, method, path, body, append([]opt{bearer(a.Token)}, opts...)...)
}

func (r reply) String() string {
	b := r.Body
	if len(b) > 400 {
		b = append(b[:400:400], "…"...)
	}
	return fmt.Sprintf("%d %s", r.Status, bytes.TrimSpace(b))
}

// object decodes a JSON object answer.
func (r reply) object(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("answer is not a JSON object: %v: %s", err, r)
	}
	return m
}

// decode decodes a JSON answer into v.
func (r reply) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("answer does not decode into %T: %v: %s", v, err, r)
	}
}

// apiError is the JSON of every error answer.
type apiError struct {
	Code              string            `json:"code"`
	Message           string            `json:"message"`
	Fields            map[string]string `json:"fields"`
	RetryAfterSeconds int               `json:"retry_after_seconds"`
}

func (r reply) err(t testing.TB) apiError {
	t.Helper()
	var e apiError
	r.decode(t, &e)
	return e
}

// want fails unless the answer has the status.
func (r reply) want(t testing.TB, status int, what string) reply {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: got %s, want %d", what, r, status)
	}
	return r
}

// wantErr fails unless the answer is an error of that status and code.
func (r reply) wantErr(t testing.TB, status int, code, what string) apiError {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: got %s, want %d %s", what, r, status, code)
	}
	e := r.err(t)
	if e.Code != code {
		t.Fatalf("%s: code %q, want %q (%s)", what, e.Code, code, r)
	}
	if e.Message == "" {
		t.Errorf("%s: error without a message: %s", what, r)
	}
	return e
}

func (r reply) cookie(name string) *http.Cookie {
	for _, c := range r.resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// listOf is the shape of every list answer.
type listOf[T any] struct {
	Items      []T    `json:"items"`
	Total      int    `json:"total"`
	NextCursor string `json:"next_cursor"`
}

type siteOut struct {
	ID            string `json:"id"`
	OrgID         string `json:"org_id"`
	Name          string `json:"name"`
	Timezone      string `json:"timezone"`
	Address       string `json:"address"`
	RecorderCount int    `json:"recorder_count"`
}

type userOut struct {
	ID       string `json:"id"`
	OrgID    string `json:"org_id"`
	Email    string `json:"email"`
	Name     string `json:"name"`
	RoleID   string `json:"role_id"`
	RoleName string `json:"role_name"`
	Status   string `json:"status"`
}

type roleOut struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Builtin     string   `json:"builtin"`
	Permissions []string `json:"permissions"`
	UserCount   int      `json:"user_count"`
}

type orgOut struct {
	ID       string `json:"id"`
	ParentID string `json:"parent_id"`
	Kind     string `json:"kind"`
	Name     string `json:"name"`
}

// TestFixture checks the tree the other suites rely on.
func TestFixture(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			f := newFixture(t, d)
			for _, tn := range []*tenant{f.Platform, f.D1, f.I1, f.I2, f.C1, f.C2, f.C3} {
				var me struct {
					User        userOut  `json:"user"`
					Org         orgOut   `json:"org"`
					Permissions []string `json:"permissions"`
				}
				f.as(t, tn.Admin, "GET", "/me", nil).want(t, 200, tn.Name+" admin /me").decode(t, &me)
				if me.Org.ID != tn.Org.ID || me.User.Status != "active" || len(me.Permissions) != len(authz.Catalogue()) {
					t.Errorf("%s admin /me = %+v", tn.Name, me)
				}
			}
			for _, a := range []account{f.Tech, f.Viewer, f.Custom} {
				f.as(t, a, "GET", "/me", nil).want(t, 200, a.Email+" /me")
			}
			if f.C1.Org.ParentID != f.I1.Org.ID || f.C3.Org.ParentID != f.I2.Org.ID || f.I1.Org.ParentID != f.D1.Org.ID {
				t.Errorf("tree is not platform → D1 → I1 → C1: %+v %+v %+v", f.C1.Org, f.C3.Org, f.I1.Org)
			}
		})
	}
}
