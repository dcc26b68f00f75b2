package httpapi_test

import (
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/authz"
	"github.com/cam2drive/cam2drive/internal/store"
)

// The recorder, camera, virtual disk and recording journeys. They run in
// TestFlows on its fixture, each on recorders of its own.

type diskSummaryOut struct {
	ID          string `json:"id"`
	CapacityGB  int64  `json:"capacity_gb"`
	CameraLimit int    `json:"camera_limit"`
	UsedBytes   int64  `json:"used_bytes"`
	Overwrite   bool   `json:"overwrite"`
}

type recorderOut struct {
	ID            string          `json:"id"`
	OrgID         string          `json:"org_id"`
	SiteID        string          `json:"site_id"`
	SiteName      string          `json:"site_name"`
	Name          string          `json:"name"`
	Manufacturer  string          `json:"manufacturer"`
	Type          string          `json:"type"`
	CameraCount   int             `json:"camera_count"`
	RetentionDays int             `json:"retention_days"`
	VirtualDisk   *diskSummaryOut `json:"virtual_disk"`
	Status        string          `json:"status"`
	CreatedAt     string          `json:"created_at"`
}

type cameraOut struct {
	ID             string   `json:"id"`
	RecorderID     string   `json:"recorder_id"`
	RecorderName   string   `json:"recorder_name"`
	SiteID         string   `json:"site_id"`
	SiteName       string   `json:"site_name"`
	Number         int      `json:"number"`
	Name           string   `json:"name"`
	CloudRecording bool     `json:"cloud_recording"`
	AIEnabled      bool     `json:"ai_enabled"`
	HOLO4          bool     `json:"holo4"`
	Algorithms     []string `json:"algorithms"`
	AllowedUsers   []string `json:"allowed_users"`
}

type diskOut struct {
	ID          string `json:"id"`
	OrgID       string `json:"org_id"`
	RecorderID  string `json:"recorder_id"`
	CapacityGB  int64  `json:"capacity_gb"`
	CameraLimit int    `json:"camera_limit"`
	Overwrite   bool   `json:"overwrite"`
	UsedBytes   int64  `json:"used_bytes"`
}

type recordingOut struct {
	ID         string `json:"id"`
	CameraID   string `json:"camera_id"`
	SiteID     string `json:"site_id"`
	RecorderID string `json:"recorder_id"`
	Start      string `json:"start"`
	End        string `json:"end"`
	Kind       string `json:"kind"`
	EventType  string `json:"event_type"`
	Status     string `json:"status"`
	Size       int64  `json:"size"`
	SourcePath string `json:"source_path"`
}

type connectionOut struct {
	Host     string `json:"host"`
	FTPPort  int    `json:"ftp_port"`
	SFTPPort int    `json:"sftp_port"`
	Username string `json:"username"`
	Password string `json:"password"`
	DocsURL  string `json:"docs_url"`
}

type healthEventOut struct {
	Kind, Reason, Message, Path, IP, At string
}

type healthOut struct {
	Status         string           `json:"status"`
	LastUploadAt   *string          `json:"last_upload_at"`
	LastLoginAt    *string          `json:"last_login_at"`
	Uploads        int64            `json:"uploads"`
	FailedLogins   int64            `json:"failed_logins"`
	RefusedUploads int64            `json:"refused_uploads"`
	Recent         []healthEventOut `json:"recent"`
}

// newRecorder adds a recorder through the API as tn's admin.
func (f *fixture) newRecorder(t testing.TB, tn *tenant, siteID, manufacturer string, cameras int) recorderOut {
	t.Helper()
	var r recorderOut
	f.as(t, tn.Admin, "POST", "/orgs/"+tn.Org.ID+"/recorders", map[string]any{"name": fmt.Sprintf("Flow NVR %d", f.next()),
		"manufacturer": manufacturer, "site_id": siteID, "type": "nvr", "camera_count": cameras}).
		want(t, 201, "add a recorder").decode(t, &r)
	return r
}

// cameras lists a recorder's cameras, by number.
func (f *fixture) cameras(t testing.TB, who account, orgID, recorderID string) []cameraOut {
	t.Helper()
	var l listOf[cameraOut]
	f.as(t, who, "GET", "/orgs/"+orgID+"/cameras?limit=500&recorder_id="+recorderID, nil).want(t, 200, "cameras").decode(t, &l)
	if l.Total != len(l.Items) {
		t.Errorf("cameras of %s: total %d for %d items", recorderID, l.Total, len(l.Items))
	}
	return l.Items
}

// sellDisk has parent's admin create a virtual disk for its client.
func (f *fixture) sellDisk(t testing.TB, parent, client *tenant, body map[string]any) diskOut {
	t.Helper()
	var d diskOut
	f.as(t, parent.Admin, "POST", "/orgs/"+client.Org.ID+"/virtual-disks", body).want(t, 201, "sell a disk").decode(t, &d)
	return d
}

func (f *fixture) setCloud(t testing.TB, who account, orgID, cameraID string, on bool, opts ...opt) reply {
	t.Helper()
	return f.as(t, who, "PATCH", "/orgs/"+orgID+"/cameras/"+cameraID, map[string]any{"cloud_recording": on}, opts...)
}

// french adds a technician of tn who reads French.
func (f *fixture) french(t testing.TB, tn *tenant) account {
	t.Helper()
	a := f.addPerson(t, tn, fmt.Sprintf("francophone-%d@%s.test", f.next(), strings.ToLower(tn.Name)), tn.Roles[authz.Technician])
	f.as(t, a, "PATCH", "/me/preferences", map[string]any{"language": "fr"}).want(t, 200, "French")
	return a
}

// sql runs a query straight on the database; "?" placeholders work on both
// dialects.
func (e *env) sqlRow(t testing.TB, query string, args []any, dest ...any) {
	t.Helper()
	var err error
	if e.DB.Dialect() == store.Postgres {
		err = e.DB.Pool().QueryRow(t.Context(), dollars(query), args...).Scan(dest...)
	} else {
		err = e.DB.SQLWriter().QueryRowContext(t.Context(), query, args...).Scan(dest...)
	}
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func (e *env) sqlExec(t testing.TB, query string, args ...any) {
	t.Helper()
	var err error
	if e.DB.Dialect() == store.Postgres {
		_, err = e.DB.Pool().Exec(t.Context(), dollars(query), args...)
	} else {
		_, err = e.DB.SQLWriter().ExecContext(t.Context(), query, args...)
	}
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

var placeholder = regexp.MustCompile(`\?`)

func dollars(query string) string {
	n := 0
	return placeholder.ReplaceAllStringFunc(query, func(string) string { n++; return "$" + strconv.Itoa(n) })
}

func wantFields(t testing.TB, e apiError, what string, fields ...string) {
	t.Helper()
	for _, name := range fields {
		if e.Fields[name] == "" {
			t.Errorf("%s: want fields.%s, got %+v", what, name, e)
		}
	}
}

func testCreateRecorder(t *testing.T, f *fixture) {
	c1 := "/orgs/" + f.C1.Org.ID
	site := f.addSite(t, f.C1.Org.ID, "Create recorder site")
	var rec recorderOut
	f.as(t, f.C1.Admin, "POST", c1+"/recorders", map[string]any{"name": "  Entrance NVR ", "manufacturer": "dahua", "site_id": site,
		"type": "nvr", "camera_count": 16}).want(t, 201, "create").decode(t, &rec)
	if rec.ID == "" || rec.OrgID != f.C1.Org.ID || rec.SiteID != site || rec.SiteName != "Create recorder site" ||
		rec.Name != "Entrance NVR" || rec.Manufacturer != "dahua" || rec.Type != "nvr" || rec.CameraCount != 16 ||
		rec.RetentionDays != 30 || rec.VirtualDisk != nil || rec.Status != "never" {
		t.Errorf("created recorder %+v", rec)
	}
	if _, err := time.Parse(time.RFC3339, rec.CreatedAt); err != nil {
		t.Errorf("created_at %q: %v", rec.CreatedAt, err)
	}
	cams := f.cameras(t, f.C1.Admin, f.C1.Org.ID, rec.ID)
	if len(cams) != 16 {
		t.Fatalf("%d cameras, want 16", len(cams))
	}
	for i, c := range cams {
		if c.Number != i+1 || c.Name != fmt.Sprintf("CH_%d", i+1) || c.RecorderID != rec.ID || c.RecorderName != "Entrance NVR" ||
			c.SiteID != site || c.SiteName != "Create recorder site" || c.CloudRecording || c.AIEnabled || c.AllowedUsers == nil || len(c.AllowedUsers) != 0 {
			t.Errorf("camera %d = %+v", i+1, c)
		}
	}
	var got recorderOut
	f.as(t, f.Viewer, "GET", c1+"/recorders/"+rec.ID, nil).want(t, 200, "get as viewer").decode(t, &got)
	if !reflect.DeepEqual(got, rec) {
		t.Errorf("GET %+v, POST answered %+v", got, rec)
	}
	var l listOf[recorderOut]
	f.as(t, f.C1.Admin, "GET", c1+"/recorders?site_id="+site, nil).want(t, 200, "by site").decode(t, &l)
	if len(l.Items) != 1 || l.Total != 1 || l.Items[0].ID != rec.ID {
		t.Errorf("recorders of the site: %+v", l)
	}
	f.as(t, f.C1.Admin, "GET", c1+"/recorders?q=entrance", nil).want(t, 200, "by name").decode(t, &l)
	if !slices.ContainsFunc(l.Items, func(r recorderOut) bool { return r.ID == rec.ID }) {
		t.Errorf("search by name: %+v", l)
	}
	var cl listOf[cameraOut]
	f.as(t, f.C1.Admin, "GET", c1+"/cameras?recorder_id="+rec.ID+"&number=3", nil).want(t, 200, "by number").decode(t, &cl)
	if len(cl.Items) != 1 || cl.Items[0].Name != "CH_3" {
		t.Errorf("camera number 3: %+v", cl)
	}
	f.as(t, f.C1.Admin, "GET", c1+"/cameras?number=three", nil).wantErr(t, 400, "invalid", "camera number not a number")

	// Invalid recorders are refused field by field, and nothing is created.
	var before listOf[recorderOut]
	f.as(t, f.C1.Admin, "GET", c1+"/recorders?limit=1", nil).want(t, 200, "count").decode(t, &before)
	good := func(k string, v any) map[string]any {
		b := map[string]any{"name": "Bad", "manufacturer": "dahua", "site_id": site, "type": "nvr", "camera_count": 4}
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
		return b
	}
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{good("manufacturer", "sony"), "manufacturer"},
		{good("manufacturer", "DAHUA"), "manufacturer"},
		{good("type", "camera"), "type"},
		{good("camera_count", 0), "camera_count"},
		{good("camera_count", 257), "camera_count"},
		{good("camera_count", -1), "camera_count"},
		{good("retention_days", -1), "retention_days"},
		{good("name", "   "), "name"},
		{good("name", nil), "name"},
		{good("site_id", nil), "site_id"},
		{good("site_id", f.C2.SiteID), "site_id"},
		{good("site_id", f.C2.RecorderSiteID), "site_id"},
		{good("site_id", cam2drive.NewID()), "site_id"},
	} {
		what := fmt.Sprintf("create with %v", c.body)
		wantFields(t, f.as(t, f.C1.Admin, "POST", c1+"/recorders", c.body).wantErr(t, 400, "invalid", what), what, c.field)
	}
	e := f.as(t, f.C1.Admin, "POST", c1+"/recorders", good("camera_count", 257)).wantErr(t, 400, "invalid", "257 cameras")
	if e.Fields["camera_count"] != "Enter a number of cameras between 1 and 256." {
		t.Errorf("camera_count message %q", e.Fields["camera_count"])
	}
	var after listOf[recorderOut]
	f.as(t, f.C1.Admin, "GET", c1+"/recorders?limit=1", nil).want(t, 200, "count").decode(t, &after)
	if after.Total != before.Total {
		t.Errorf("refused creations left recorders: %d → %d", before.Total, after.Total)
	}

	// Editing follows the same rules.
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"site_id": f.C2.RecorderSiteID}, "site_id"},
		{map[string]any{"manufacturer": "sony"}, "manufacturer"},
		{map[string]any{"type": "vcr"}, "type"},
		{map[string]any{"name": ""}, "name"},
	} {
		what := fmt.Sprintf("edit with %v", c.body)
		wantFields(t, f.as(t, f.C1.Admin, "PATCH", c1+"/recorders/"+rec.ID, c.body).wantErr(t, 400, "invalid", what), what, c.field)
	}
	f.as(t, f.C1.Admin, "PATCH", c1+"/recorders/"+rec.ID, map[string]any{"name": "Hall NVR", "type": "dvr", "manufacturer": "hikvision",
		"retention_days": 90, "site_id": f.C1.RecorderSiteID}).want(t, 200, "edit").decode(t, &got)
	if got.Name != "Hall NVR" || got.Type != "dvr" || got.Manufacturer != "hikvision" || got.RetentionDays != 90 ||
		got.SiteID != f.C1.RecorderSiteID || got.CameraCount != 16 {
		t.Errorf("edited recorder %+v", got)
	}
	if cams := f.cameras(t, f.C1.Admin, f.C1.Org.ID, rec.ID); len(cams) != 16 || cams[0].SiteID != f.C1.RecorderSiteID || cams[0].RecorderName != "Hall NVR" {
		t.Errorf("cameras after the edit: %d, first %+v", len(cams), cams[0])
	}
}

func testRecorderCameraCount(t *testing.T, f *fixture) {
	c1 := "/orgs/" + f.C1.Org.ID
	rec := f.newRecorder(t, f.C1, f.C1.RecorderSiteID, "dahua", 16)
	ids := map[int]string{}
	for _, c := range f.cameras(t, f.C1.Admin, f.C1.Org.ID, rec.ID) {
		ids[c.Number] = c.ID
	}
	check := func(what string, n int) {
		t.Helper()
		cams := f.cameras(t, f.C1.Admin, f.C1.Org.ID, rec.ID)
		if len(cams) != n {
			t.Fatalf("%s: %d cameras, want %d", what, len(cams), n)
		}
		for i, c := range cams {
			if c.Number != i+1 || c.Name != fmt.Sprintf("CH_%d", i+1) {
				t.Errorf("%s: camera %d = %+v", what, i+1, c)
			}
			if old, ok := ids[c.Number]; ok && c.Number <= 8 && old != c.ID {
				t.Errorf("%s: camera %d was replaced (%s → %s)", what, c.Number, old, c.ID)
			}
			if c.Number > 8 && c.ID == ids[c.Number] {
				t.Errorf("%s: camera %d kept the id of the removed one", what, c.Number)
			}
		}
	}
	// A removed channel may have allowed users.
	f.as(t, f.C1.Admin, "PATCH", c1+"/cameras/"+ids[16], map[string]any{"allowed_users": []string{f.Viewer.User.ID}}).
		want(t, 200, "allow a user on channel 16")
	var got recorderOut
	f.as(t, f.C1.Admin, "PATCH", c1+"/recorders/"+rec.ID, map[string]any{"camera_count": 8}).want(t, 200, "16 → 8").decode(t, &got)
	if got.CameraCount != 8 {
		t.Errorf("camera_count %d after 16 → 8", got.CameraCount)
	}
	check("16 → 8", 8)
	f.as(t, f.C1.Admin, "GET", "/orgs/"+f.C1.Org.ID+"/cameras/"+ids[12], nil).wantErr(t, 404, "not_found", "removed channel 12")
	f.as(t, f.C1.Admin, "PATCH", c1+"/recorders/"+rec.ID, map[string]any{"camera_count": 12}).want(t, 200, "8 → 12").decode(t, &got)
	if got.CameraCount != 12 {
		t.Errorf("camera_count %d after 8 → 12", got.CameraCount)
	}
	check("8 → 12", 12)
	for _, n := range []int{0, 257} {
		e := f.as(t, f.C1.Admin, "PATCH", c1+"/recorders/"+rec.ID, map[string]any{"camera_count": n}).wantErr(t, 400, "invalid", "count "+strconv.Itoa(n))
		wantFields(t, e, "count "+strconv.Itoa(n), "camera_count")
	}
	check("after refused counts", 12)
}

func testRecorderConnection(t *testing.T, f *fixture) {
	ctx := t.Context()
	c1 := "/orgs/" + f.C1.Org.ID
	rec := f.newRecorder(t, f.C1, f.C1.RecorderSiteID, "dahua", 2)
	path := c1 + "/recorders/" + rec.ID + "/connection"
	var conn connectionOut
	f.as(t, f.Tech, "GET", path, nil).want(t, 200, "connection as technician").decode(t, &conn)
	if conn.Host != ingestDeps.Host || conn.FTPPort != ingestDeps.FTPPort || conn.SFTPPort != ingestDeps.SFTPPort {
		t.Errorf("connection %+v, want host and ports %+v", conn, ingestDeps)
	}
	if len(conn.Username) < 10 || len(conn.Password) < 16 || conn.Username == conn.Password {
		t.Errorf("weak credentials %q / %q", conn.Username, conn.Password)
	}
	if !strings.Contains(conn.DocsURL, "dahua") {
		t.Errorf("docs_url %q does not name the brand", conn.DocsURL)
	}
	var again connectionOut
	f.as(t, f.C1.Admin, "GET", path, nil).want(t, 200, "connection again").decode(t, &again)
	if again != conn {
		t.Errorf("connection changed on its own: %+v then %+v", conn, again)
	}
	login := func(user, pass, ip string) error {
		se, err := f.Ingest.Login(ctx, user, pass, ip)
		if err == nil {
			if se.Recorder().ID != rec.ID {
				t.Errorf("logged in as recorder %s, want %s", se.Recorder().ID, rec.ID)
			}
			se.Close()
		}
		return err
	}
	if err := login(conn.Username, conn.Password, "203.0.113.10"); err != nil {
		t.Fatalf("the shown credentials don't log in: %v", err)
	}

	// The password is kept encrypted, never in clear.
	var user, enc, mac string
	f.sqlRow(t, `SELECT username, secret_enc, secret_mac FROM recorders WHERE id = ?`, []any{rec.ID}, &user, &enc, &mac)
	if user != conn.Username {
		t.Errorf("stored user name %q, shown %q", user, conn.Username)
	}
	if enc == "" || mac == "" || strings.Contains(enc, conn.Password) || strings.Contains(mac, conn.Password) || enc == mac {
		t.Errorf("password stored in clear or not at all: secret_enc %q, secret_mac %q", enc, mac)
	}

	var fresh connectionOut
	f.as(t, f.C1.Admin, "POST", path+"/regenerate", nil).want(t, 200, "regenerate").decode(t, &fresh)
	if fresh.Username == conn.Username || fresh.Password == conn.Password || len(fresh.Username) < 10 || len(fresh.Password) < 16 ||
		fresh.Host != conn.Host || fresh.DocsURL != conn.DocsURL {
		t.Errorf("regenerated %+v, before %+v", fresh, conn)
	}
	for _, old := range [][2]string{{conn.Username, conn.Password}, {fresh.Username, conn.Password}, {conn.Username, fresh.Password}} {
		if err := login(old[0], old[1], "203.0.113.11"); cam2drive.ErrorCode(err) != cam2drive.CodeInvalidCredentials {
			t.Errorf("old credentials %v: login gives %v, want invalid credentials", old, err)
		}
	}
	if err := login(fresh.Username, fresh.Password, "203.0.113.10"); err != nil {
		t.Errorf("the new credentials don't log in: %v", err)
	}
	f.as(t, f.C1.Admin, "GET", path, nil).want(t, 200, "connection after regenerate").decode(t, &again)
	if again != fresh {
		t.Errorf("connection after regenerate %+v, want %+v", again, fresh)
	}
	var audit listOf[struct{ Action, Target string }]
	f.as(t, f.C1.Admin, "GET", c1+"/audit?action=recorder.credentials_regenerated", nil).want(t, 200, "audit").decode(t, &audit)
	if !slices.ContainsFunc(audit.Items, func(e struct{ Action, Target string }) bool { return e.Target == rec.Name }) {
		t.Errorf("no audit event for the regeneration: %+v", audit)
	}

	// The guide matches the brand; brands without one get the generic guide.
	for brand, want := range map[string]string{"uniview": "generic", "hikvision": "hikvision", "other": "generic"} {
		r := f.newRecorder(t, f.C1, f.C1.RecorderSiteID, brand, 1)
		f.as(t, f.C1.Admin, "GET", c1+"/recorders/"+r.ID+"/connection", nil).want(t, 200, brand).decode(t, &conn)
		if !strings.Contains(conn.DocsURL, want) || (want == "generic" && strings.Contains(conn.DocsURL, brand)) {
			t.Errorf("%s: docs_url %q, want the %s guide", brand, conn.DocsURL, want)
		}
	}
}

func testCloudRecordingAndDisks(t *testing.T, f *fixture) {
	c1 := "/orgs/" + f.C1.Org.ID
	rec := f.newRecorder(t, f.C1, f.C1.RecorderSiteID, "hikvision", 4)
	cams := f.cameras(t, f.C1.Admin, f.C1.Org.ID, rec.ID)
	e := f.setCloud(t, f.C1.Admin, f.C1.Org.ID, cams[0].ID, true).wantErr(t, 409, "no_disk", "cloud recording without a disk")
	if !strings.Contains(e.Message, "virtual disk") {
		t.Errorf("no_disk message %q", e.Message)
	}

	// Disks come from the reseller, for clients only.
	disks := c1 + "/virtual-disks"
	e = f.as(t, f.C1.Admin, "POST", disks, map[string]any{"capacity_gb": 10, "camera_limit": 2}).wantErr(t, 403, "forbidden", "client buys itself a disk")
	if e.Message != ancestorOnly["POST /orgs/{org_id}/virtual-disks"] {
		t.Errorf("disk_from_reseller message %q", e.Message)
	}
	e = f.as(t, f.I1.Admin, "POST", "/orgs/"+f.I1.Org.ID+"/virtual-disks", map[string]any{"capacity_gb": 10, "camera_limit": 2}).
		wantErr(t, 400, "invalid", "disk for an installer")
	wantFields(t, e, "disk for an installer", "org_id")
	for _, body := range []map[string]any{{"capacity_gb": 0, "camera_limit": 2}, {"capacity_gb": 1, "camera_limit": 0},
		{"capacity_gb": 1_000_001, "camera_limit": 1}, {"capacity_gb": 1, "camera_limit": 1025}} {
		e := f.as(t, f.I1.Admin, "POST", disks, body).wantErr(t, 400, "invalid", fmt.Sprint(body))
		if len(e.Fields) != 1 || (e.Fields["capacity_gb"] == "" && e.Fields["camera_limit"] == "") {
			t.Errorf("disk %v: fields %+v", body, e.Fields)
		}
	}
	d := f.sellDisk(t, f.I1, f.C1, map[string]any{"capacity_gb": 10, "camera_limit": 2})
	if d.ID == "" || d.OrgID != f.C1.Org.ID || d.RecorderID != "" || d.CapacityGB != 10 || d.CameraLimit != 2 || !d.Overwrite || d.UsedBytes != 0 {
		t.Errorf("new disk %+v", d)
	}
	var dl listOf[diskOut]
	f.as(t, f.Tech, "GET", disks, nil).want(t, 200, "disks as technician").decode(t, &dl)
	if !slices.Contains(dl.Items, d) {
		t.Errorf("the client does not see its new disk: %+v", dl)
	}
	f.as(t, f.Tech, "POST", disks+"/"+d.ID+"/attach", map[string]any{"recorder_id": rec.ID}).wantErr(t, 403, "forbidden", "technician attaches")
	var attached diskOut
	f.as(t, f.C1.Admin, "POST", disks+"/"+d.ID+"/attach", map[string]any{"recorder_id": rec.ID}).want(t, 200, "attach").decode(t, &attached)
	if attached.RecorderID != rec.ID || attached.ID != d.ID {
		t.Errorf("attached disk %+v", attached)
	}
	var r recorderOut
	f.as(t, f.C1.Admin, "GET", c1+"/recorders/"+rec.ID, nil).want(t, 200, "recorder with disk").decode(t, &r)
	if r.VirtualDisk == nil || *r.VirtualDisk != (diskSummaryOut{ID: d.ID, CapacityGB: 10, CameraLimit: 2, Overwrite: true}) {
		t.Errorf("recorder's disk %+v", r.VirtualDisk)
	}

	// The camera limit.
	f.setCloud(t, f.C1.Admin, f.C1.Org.ID, cams[0].ID, true).want(t, 200, "camera 1 on")
	var c cameraOut
	f.setCloud(t, f.Tech, f.C1.Org.ID, cams[1].ID, true).want(t, 200, "camera 2 on").decode(t, &c)
	if !c.CloudRecording {
		t.Errorf("camera 2 after turning it on: %+v", c)
	}
	e = f.setCloud(t, f.C1.Admin, f.C1.Org.ID, cams[2].ID, true).wantErr(t, 409, "camera_limit", "camera 3 on")
	if !strings.Contains(e.Message, "camera limit") {
		t.Errorf("English camera_limit message %q", e.Message)
	}
	fr := f.french(t, f.C1)
	e = f.setCloud(t, fr, f.C1.Org.ID, cams[2].ID, true, header("Accept-Language", "en")).wantErr(t, 409, "camera_limit", "camera 3 on (fr)")
	if !strings.Contains(e.Message, "limite de caméras") {
		t.Errorf("French camera_limit message %q", e.Message)
	}
	// The preference of a signed-in user wins over Accept-Language (docs/API.md).
	e = f.setCloud(t, f.C1.Admin, f.C1.Org.ID, cams[2].ID, true, header("Accept-Language", "fr")).wantErr(t, 409, "camera_limit", "camera 3 on, Accept-Language fr")
	if !strings.Contains(e.Message, "camera limit") {
		t.Errorf("camera_limit message for an English user asking for French %q", e.Message)
	}
	f.as(t, f.C1.Admin, "GET", "/orgs/"+f.C1.Org.ID+"/cameras/"+cams[2].ID, nil).want(t, 200, "camera 3").decode(t, &c)
	if c.CloudRecording {
		t.Error("camera 3 records to the cloud past the limit")
	}
	// Renaming a recording camera at the limit is no new camera.
	f.as(t, f.C1.Admin, "PATCH", "/orgs/"+f.C1.Org.ID+"/cameras/"+cams[0].ID, map[string]any{"name": "Gate"}).want(t, 200, "rename camera 1")
	f.setCloud(t, f.C1.Admin, f.C1.Org.ID, cams[0].ID, false).want(t, 200, "camera 1 off")
	f.setCloud(t, f.C1.Admin, f.C1.Org.ID, cams[2].ID, true).want(t, 200, "camera 3 on once there is room")

	// One disk per recorder.
	d2 := f.sellDisk(t, f.I1, f.C1, map[string]any{"capacity_gb": 5, "camera_limit": 1})
	f.as(t, f.C1.Admin, "POST", disks+"/"+d2.ID+"/attach", map[string]any{"recorder_id": rec.ID}).wantErr(t, 409, "recorder_has_disk", "second disk")
	var got diskOut
	f.as(t, f.C1.Admin, "GET", disks+"/"+d2.ID, nil).want(t, 200, "second disk").decode(t, &got)
	if got.RecorderID != "" {
		t.Errorf("refused attach left %+v", got)
	}
	f.as(t, f.I1.Admin, "POST", disks, map[string]any{"capacity_gb": 5, "camera_limit": 1, "recorder_id": rec.ID}).
		wantErr(t, 409, "recorder_has_disk", "new disk for a recorder with one")
	var dl2 listOf[diskOut]
	f.as(t, f.C1.Admin, "GET", disks, nil).want(t, 200, "disks").decode(t, &dl2)
	if len(dl2.Items) != len(dl.Items)+1 || dl2.Total != len(dl2.Items) {
		t.Errorf("%d disks, want %d: a refused creation left one", len(dl2.Items), len(dl.Items)+1)
	}
	e = f.as(t, f.C1.Admin, "POST", disks+"/"+d2.ID+"/attach", map[string]any{"recorder_id": cam2drive.NewID()}).wantErr(t, 400, "invalid", "unknown recorder")
	wantFields(t, e, "attach to an unknown recorder", "recorder_id")
	f.as(t, f.C1.Admin, "POST", disks+"/"+cam2drive.NewID()+"/attach", map[string]any{"recorder_id": rec.ID}).
		wantErr(t, 404, "not_found", "attach an unknown disk to a recorder with one")

	// A recorder with a disk can't be deleted; detached, it can, with its cameras.
	e = f.as(t, f.C1.Admin, "DELETE", c1+"/recorders/"+rec.ID, nil).wantErr(t, 409, "recorder_has_disk", "delete with a disk")
	if !strings.Contains(e.Message, "virtual disk") {
		t.Errorf("recorder_has_disk message %q", e.Message)
	}
	f.as(t, f.Tech, "POST", disks+"/"+d.ID+"/detach", nil).wantErr(t, 403, "forbidden", "technician detaches")
	f.as(t, f.C1.Admin, "POST", disks+"/"+d.ID+"/detach", nil).want(t, 200, "detach").decode(t, &got)
	if got.RecorderID != "" {
		t.Errorf("detached disk %+v", got)
	}
	for _, c := range f.cameras(t, f.C1.Admin, f.C1.Org.ID, rec.ID) {
		if c.CloudRecording {
			t.Errorf("camera %d still records to the cloud after the detach", c.Number)
		}
	}
	f.as(t, f.C1.Admin, "GET", c1+"/recorders/"+rec.ID, nil).want(t, 200, "recorder without disk").decode(t, &r)
	if r.VirtualDisk != nil {
		t.Errorf("detached recorder still shows %+v", r.VirtualDisk)
	}
	f.setCloud(t, f.C1.Admin, f.C1.Org.ID, cams[1].ID, true).wantErr(t, 409, "no_disk", "cloud recording after the detach")
	f.as(t, f.C1.Admin, "DELETE", c1+"/recorders/"+rec.ID, nil).want(t, 204, "delete")
	f.as(t, f.C1.Admin, "GET", c1+"/recorders/"+rec.ID, nil).wantErr(t, 404, "not_found", "deleted recorder")
	if left := f.cameras(t, f.C1.Admin, f.C1.Org.ID, rec.ID); len(left) != 0 {
		t.Errorf("cameras of a deleted recorder: %+v", left)
	}
	f.as(t, f.C1.Admin, "GET", "/orgs/"+f.C1.Org.ID+"/cameras/"+cams[0].ID, nil).wantErr(t, 404, "not_found", "camera of a deleted recorder")
	f.as(t, f.C1.Admin, "DELETE", c1+"/recorders/"+rec.ID, nil).wantErr(t, 404, "not_found", "delete twice")

	// The freed disk serves another recorder.
	other := f.newRecorder(t, f.C1, f.C1.RecorderSiteID, "dahua", 2)
	f.as(t, f.C1.Admin, "POST", disks+"/"+d.ID+"/attach", map[string]any{"recorder_id": other.ID}).want(t, 200, "attach elsewhere").decode(t, &got)
	if got.RecorderID != other.ID {
		t.Errorf("re-attached disk %+v", got)
	}
}

func testRecorderHealth(t *testing.T, f *fixture) {
	ctx := t.Context()
	org := f.C1.Org.ID
	rec := f.newRecorder(t, f.C1, f.C1.RecorderSiteID, "dahua", 2)
	f.sellDisk(t, f.I1, f.C1, map[string]any{"capacity_gb": 1, "camera_limit": 1, "recorder_id": rec.ID})
	cams := f.cameras(t, f.C1.Admin, org, rec.ID)
	f.setCloud(t, f.C1.Admin, org, cams[0].ID, true).want(t, 200, "camera 1 on")
	path := "/orgs/" + org + "/recorders/" + rec.ID + "/health"
	health := func(who account) healthOut {
		t.Helper()
		var h healthOut
		f.as(t, who, "GET", path, nil).want(t, 200, "health").decode(t, &h)
		return h
	}
	status := func() string {
		t.Helper()
		var r recorderOut
		f.as(t, f.Viewer, "GET", "/orgs/"+org+"/recorders/"+rec.ID, nil).want(t, 200, "recorder").decode(t, &r)
		return r.Status
	}
	h := health(f.Viewer)
	if h.Status != "never" || h.Uploads != 0 || h.FailedLogins != 0 || h.RefusedUploads != 0 || h.Recent == nil || len(h.Recent) != 0 ||
		h.LastUploadAt != nil || h.LastLoginAt != nil {
		t.Errorf("health before any upload %+v", h)
	}
	if s := status(); s != "never" {
		t.Errorf("status before any upload %q", s)
	}

	start := time.Now().Add(-time.Second)
	if err := f.upload(t, org, rec.ID, "198.51.100.20", "SN/2019-05-09/001/jpg/06/07/27[M][0@0][0].jpg", testJPEG(t, 21)); err != nil {
		t.Fatalf("upload: %v", err)
	}
	h = health(f.Viewer)
	if h.Status != "online" || h.Uploads != 1 || h.LastUploadAt == nil || h.LastLoginAt == nil {
		t.Fatalf("health after an upload %+v", h)
	}
	if at, err := time.Parse(time.RFC3339, *h.LastUploadAt); err != nil || at.Before(start.Truncate(time.Second)) || at.After(time.Now().Add(time.Minute)) {
		t.Errorf("last_upload_at %q (%v), want about now", *h.LastUploadAt, err)
	}
	if s := status(); s != "online" {
		t.Errorf("status after an upload %q", s)
	}

	// A wrong password and an upload on a channel without cloud recording.
	stored, err := f.DB.Recorder(ctx, org, rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Ingest.Login(ctx, stored.Username, "not-the-password", "198.51.100.21"); cam2drive.ErrorCode(err) != cam2drive.CodeInvalidCredentials {
		t.Fatalf("wrong password: %v", err)
	}
	refused := "SN/2019-05-09/002/jpg/06/07/28[M][0@0][0].jpg"
	if err := f.upload(t, org, rec.ID, "198.51.100.22", refused, testJPEG(t, 22)); err == nil {
		t.Fatal("upload on a channel without cloud recording was accepted")
	}
	h = health(f.Viewer)
	if h.Uploads != 1 || h.FailedLogins != 1 || h.RefusedUploads != 1 || len(h.Recent) != 2 {
		t.Fatalf("health after a failed login and a refusal %+v", h)
	}
	events := map[string]healthEventOut{}
	for _, e := range h.Recent {
		events[e.Kind] = e
		if _, err := time.Parse(time.RFC3339, e.At); err != nil {
			t.Errorf("event at %q: %v", e.At, err)
		}
	}
	if e := events["login_failed"]; e.Reason != "recorder_login_failed" || e.IP != "198.51.100.21" || e.Message != "Wrong user name or password." {
		t.Errorf("failed login event %+v", e)
	}
	if e := events["refused"]; e.Reason != "channel_disabled" || e.IP != "198.51.100.22" || e.Path != refused ||
		e.Message != "Cloud recording is off for this camera." {
		t.Errorf("refusal event %+v", e)
	}
	for _, e := range health(f.french(t, f.C1)).Recent {
		want := map[string]string{"login_failed": "Nom d'utilisateur ou mot de passe incorrect.",
			"refused": "L'enregistrement cloud est désactivé pour cette caméra."}[e.Kind]
		if e.Message != want {
			t.Errorf("French %s message %q, want %q", e.Kind, e.Message, want)
		}
	}

	// Quiet for longer than --recorder-offline-after: offline.
	f.sqlExec(t, `UPDATE recorder_health SET last_upload_at = ? WHERE recorder_id = ?`,
		time.Now().Add(-ingestDeps.OfflineAfter-time.Minute).UnixMilli(), rec.ID)
	if h := health(f.C1.Admin); h.Status != "offline" {
		t.Errorf("health status after a long silence %q", h.Status)
	}
	if s := status(); s != "offline" {
		t.Errorf("status after a long silence %q", s)
	}
}

func testRecordings(t *testing.T, f *fixture) {
	org := f.C1.Org.ID
	var site siteOut
	f.as(t, f.C1.Admin, "POST", "/orgs/"+org+"/sites", map[string]any{"name": "Recordings site", "timezone": "UTC"}).want(t, 201, "site").decode(t, &site)
	rec := f.newRecorder(t, f.C1, site.ID, "dahua", 2)
	f.sellDisk(t, f.I1, f.C1, map[string]any{"capacity_gb": 1, "camera_limit": 2, "recorder_id": rec.ID})
	cams := f.cameras(t, f.C1.Admin, org, rec.ID)
	for _, c := range cams {
		f.setCloud(t, f.C1.Admin, org, c.ID, true).want(t, 200, "cloud on")
	}
	files := []struct {
		path, camera string
		data         []byte
		start        time.Time
	}{
		{"SN/2021-03-01/001/jpg/10/00/00[M][0@0][0].jpg", cams[0].ID, testJPEG(t, 31), time.Date(2021, 3, 1, 10, 0, 0, 0, time.UTC)},
		{"SN/2021-03-01/002/jpg/11/00/00[M][0@0][0].jpg", cams[1].ID, testJPEG(t, 32), time.Date(2021, 3, 1, 11, 0, 0, 0, time.UTC)},
		{"SN/2021-03-02/001/jpg/10/00/00[M][0@0][0].jpg", cams[0].ID, testJPEG(t, 33), time.Date(2021, 3, 2, 10, 0, 0, 0, time.UTC)},
	}
	ids := make([]string, len(files))
	var total int64
	for i, fl := range files {
		if err := f.upload(t, org, rec.ID, "198.51.100.30", fl.path, fl.data); err != nil {
			t.Fatalf("upload %s: %v", fl.path, err)
		}
		ids[i] = f.recordingID(t, org, fl.camera, fl.path)
		total += int64(len(fl.data))
	}
	a, b, c := ids[0], ids[1], ids[2]
	both := "camera_ids=" + cams[0].ID + "," + cams[1].ID
	list := func(q string) []string {
		t.Helper()
		var l listOf[recordingOut]
		f.as(t, f.Viewer, "GET", "/orgs/"+org+"/recordings?"+q, nil).want(t, 200, q).decode(t, &l)
		out := []string{}
		for _, r := range l.Items {
			out = append(out, r.ID)
		}
		if l.Total != len(out) {
			t.Errorf("%s: total %d for %d items", q, l.Total, len(out))
		}
		return out
	}
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{both, []string{c, b, a}},
		{"site_id=" + site.ID, []string{c, b, a}},
		{"camera_ids=" + cams[0].ID, []string{c, a}},
		{"camera_ids=" + cams[1].ID, []string{b}},
		{both + "&from=2021-03-01T00:00:00Z&to=2021-03-02T00:00:00Z", []string{b, a}},
		{both + "&from=2021-03-01T11:00:00Z", []string{c, b}},
		{both + "&to=2021-03-01T11:00:00Z", []string{a}},
		{both + "&from=" + url.QueryEscape("2021-03-01T12:00:00+01:00"), []string{c, b}},
		{"camera_ids=" + cams[0].ID + "&from=2021-03-01T10:00:00Z&to=2021-03-01T10:00:01Z", []string{a}},
		{both + "&from=2022-01-01T00:00:00Z", []string{}},
		{"camera_ids=" + cam2drive.NewID(), []string{}},
	} {
		if got := list(tc.q); !slices.Equal(got, tc.want) {
			t.Errorf("recordings?%s = %v, want %v (a=%s b=%s c=%s)", tc.q, got, tc.want, a, b, c)
		}
	}
	for _, tc := range []struct{ q, field string }{
		{"from=yesterday", "from"}, {"to=2021-02-30", "to"}, {"from=2021-03-01T25:00:00", "from"}, {"to=" + url.QueryEscape("2021-03-01 10:00:00Z"), "to"},
		{"from=2021-03-02&to=2021-03-01", "to"}, // local days (recordings_test.go checks them)
	} {
		e := f.as(t, f.Viewer, "GET", "/orgs/"+org+"/recordings?"+tc.q, nil).wantErr(t, 400, "invalid", tc.q)
		wantFields(t, e, tc.q, tc.field)
	}

	var r recordingOut
	f.as(t, f.Viewer, "GET", "/orgs/"+org+"/recordings/"+a, nil).want(t, 200, "one recording").decode(t, &r)
	start, err := time.Parse(time.RFC3339, r.Start)
	if err != nil || !start.Equal(files[0].start) || r.CameraID != cams[0].ID || r.RecorderID != rec.ID || r.SiteID != site.ID ||
		r.Kind != "snapshot" || r.EventType != "motion" || r.Status != "processing" || r.Size != int64(len(files[0].data)) ||
		r.SourcePath != files[0].path {
		t.Errorf("recording %+v (start %v, %v)", r, start, err)
	}
	if end, err := time.Parse(time.RFC3339, r.End); err != nil || end.Before(start) {
		t.Errorf("recording end %q (%v)", r.End, err)
	}
	f.as(t, f.Custom, "GET", "/orgs/"+org+"/recordings/"+a, nil).wantErr(t, 403, "forbidden", "without recordings.view")
	// Another organisation's recordings don't exist for C2.
	f.as(t, f.C2.Admin, "GET", "/orgs/"+f.C2.Org.ID+"/recordings/"+a, nil).wantErr(t, 404, "not_found", "C1's recording under C2")
	f.as(t, f.C2.Admin, "GET", "/orgs/"+org+"/recordings/"+a, nil).wantErr(t, 404, "not_found", "C1's recording as C2")
	f.as(t, f.I1.Admin, "GET", "/orgs/"+org+"/recordings/"+a, nil).want(t, 200, "the installer sees its client's recording")

	// The disk counts the bytes; channels with recordings can't be removed.
	var got recorderOut
	f.as(t, f.C1.Admin, "GET", "/orgs/"+org+"/recorders/"+rec.ID, nil).want(t, 200, "recorder").decode(t, &got)
	if got.VirtualDisk == nil || got.VirtualDisk.UsedBytes != total {
		t.Errorf("disk after %d bytes of uploads: %+v", total, got.VirtualDisk)
	}
	f.as(t, f.C1.Admin, "PATCH", "/orgs/"+org+"/recorders/"+rec.ID, map[string]any{"camera_count": 1}).
		wantErr(t, 409, "camera_has_recordings", "remove a channel with recordings")
	if n := len(f.cameras(t, f.C1.Admin, org, rec.ID)); n != 2 {
		t.Errorf("%d cameras after a refused removal", n)
	}
}

func testCameraAllowedUsers(t *testing.T, f *fixture) {
	org := f.C1.Org.ID
	rec := f.newRecorder(t, f.C1, f.C1.RecorderSiteID, "reolink", 1)
	path := "/orgs/" + org + "/cameras/" + f.cameras(t, f.C1.Admin, org, rec.ID)[0].ID
	get := func() cameraOut {
		t.Helper()
		var c cameraOut
		f.as(t, f.Viewer, "GET", path, nil).want(t, 200, "camera").decode(t, &c)
		return c
	}
	allowed := sorted([]string{f.Viewer.User.ID, f.Tech.User.ID})
	var c cameraOut
	f.as(t, f.C1.Admin, "PATCH", path, map[string]any{"allowed_users": allowed}).want(t, 200, "allow two users").decode(t, &c)
	if !slices.Equal(sorted(c.AllowedUsers), allowed) {
		t.Errorf("allowed_users %v, want %v", c.AllowedUsers, allowed)
	}
	if got := get(); !slices.Equal(sorted(got.AllowedUsers), allowed) {
		t.Errorf("saved allowed_users %v, want %v", got.AllowedUsers, allowed)
	}
	f.as(t, f.C1.Admin, "PATCH", path, map[string]any{"name": " Back door ", "ai_enabled": true}).want(t, 200, "rename").decode(t, &c)
	if c.Name != "Back door" || !c.AIEnabled || !slices.Equal(sorted(c.AllowedUsers), allowed) {
		t.Errorf("after a rename %+v: the allowed users must stay", c)
	}
	for _, bad := range []struct {
		what  string
		users []string
	}{
		{"a user of another client", []string{f.C2.UserID}},
		{"a user of the installer", []string{f.Viewer.User.ID, f.I1.Admin.User.ID}},
		{"an unknown id", []string{cam2drive.NewID()}},
		{"an empty id", []string{""}},
	} {
		e := f.as(t, f.C1.Admin, "PATCH", path, map[string]any{"allowed_users": bad.users}).wantErr(t, 400, "invalid", bad.what)
		wantFields(t, e, bad.what, "allowed_users")
		if got := get(); !slices.Equal(sorted(got.AllowedUsers), allowed) {
			t.Errorf("%s: refused change left allowed_users %v", bad.what, got.AllowedUsers)
		}
	}
	f.as(t, f.C1.Admin, "PATCH", path, map[string]any{"allowed_users": []string{f.Viewer.User.ID, f.Viewer.User.ID}}).
		want(t, 200, "the same user twice").decode(t, &c)
	if !slices.Equal(c.AllowedUsers, []string{f.Viewer.User.ID}) {
		t.Errorf("the same user twice gives %v", c.AllowedUsers)
	}
	f.as(t, f.C1.Admin, "PATCH", path, map[string]any{"allowed_users": []string{}}).want(t, 200, "allow everyone").decode(t, &c)
	if c.AllowedUsers == nil || len(c.AllowedUsers) != 0 {
		t.Errorf("cleared allowed_users %v", c.AllowedUsers)
	}
	for _, name := range []string{"", "   ", strings.Repeat("n", 101)} {
		e := f.as(t, f.C1.Admin, "PATCH", path, map[string]any{"name": name}).wantErr(t, 400, "invalid", "camera name "+name)
		wantFields(t, e, "camera name", "name")
	}
	f.as(t, f.Viewer, "PATCH", path, map[string]any{"name": "Viewer was here"}).wantErr(t, 403, "forbidden", "viewer edits a camera")
	if got := get(); got.Name != "Back door" {
		t.Errorf("camera name %q after refused edits", got.Name)
	}
}
