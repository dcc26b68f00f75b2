package cli

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/config"
	"github.com/cam2drive/cam2drive/internal/holo4"
	"github.com/cam2drive/cam2drive/internal/ingest/layout"
	"github.com/cam2drive/cam2drive/internal/media"
	"github.com/cam2drive/cam2drive/internal/store"
)

func paris(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	must(t, err)
	return loc
}

// Every planned path reads back, through the ingest's own parser, as the
// camera, time, event and kind the plan meant, inside yesterday-to-now.
func TestDemoPlanReadsBack(t *testing.T) {
	loc := paris(t)
	now := time.Date(2025, 3, 30, 14, 20, 0, 0, loc) // the day clocks go forward
	plan := demoPlan(now, loc, 30)
	from := time.Date(2025, 3, 29, 0, 0, 0, 0, loc)
	seen := map[string]bool{}
	events := map[string]map[string]bool{}
	perCamera := map[[2]int]int{}
	pictures := map[[2]int]int{}
	for _, f := range plan {
		if seen[f.Path] {
			t.Fatalf("path %s planned twice", f.Path)
		}
		seen[f.Path] = true
		info, err := layout.Parse(f.Path, loc, now)
		must(t, err)
		brand := demoRecorders[f.Recorder].Manufacturer
		if info.Brand != brand || info.Channel != f.Camera || !info.Start.Equal(f.Start) ||
			string(info.Event) != f.Event || string(info.Kind) != f.Kind || !info.Timed {
			t.Errorf("%s reads as %+v, planned %+v", f.Path, info, f)
		}
		if f.Start.Before(from) || !f.Start.Before(now) {
			t.Errorf("%s at %s, outside %s – %s", f.Path, f.Start, from, now)
		}
		if f.Night != (f.Start.Hour() < 7 || f.Start.Hour() >= 20) {
			t.Errorf("%s at %s: night %v", f.Path, f.Start, f.Night)
		}
		if events[brand] == nil {
			events[brand] = map[string]bool{}
		}
		events[brand][f.Event] = true
		perCamera[[2]int{f.Recorder, f.Camera}]++
		if f.Pictures {
			pictures[[2]int{f.Recorder, f.Camera}]++
			if f.Night {
				t.Errorf("%s shows the (daylight) pictures at night", f.Path)
			}
		}
	}
	// Every camera shows the real pictures a few times.
	for cam, n := range perCamera {
		if p := pictures[cam]; p < 2 || p > n/2 {
			t.Errorf("camera %v: %d of %d files show the pictures", cam, p, n)
		}
	}
	if len(perCamera) != 6 {
		t.Fatalf("cameras with files: %d, want 6", len(perCamera))
	}
	for cam, n := range perCamera {
		if n < 30 || n > 60 {
			t.Errorf("camera %v: %d files for 30 events", cam, n)
		}
	}
	want := map[string][]string{
		"dahua":     {"alarm", "intelligent", "manual", "motion", "regular"},
		"hikvision": {"face", "intrusion", "line_crossing", "motion", "regular"},
	}
	for brand, w := range want {
		var got []string
		for e := range events[brand] {
			got = append(got, e)
		}
		slices.Sort(got)
		if !slices.Equal(got, w) {
			t.Errorf("%s events %v, want %v", brand, got, w)
		}
	}
	if !slices.EqualFunc(plan, demoPlan(now, loc, 30), func(a, b demoFile) bool { return a == b }) {
		t.Error("the same now gave another plan")
	}
}

// Dahua events with both files name the snapshot and the clip at the same
// second, as an NVR does; clips say where they end.
func TestDemoPlanDahuaPairs(t *testing.T) {
	loc := paris(t)
	plan := demoPlan(time.Date(2025, 11, 22, 23, 59, 0, 0, loc), loc, 40)
	pairs := 0
	for i, f := range plan {
		if demoRecorders[f.Recorder].Manufacturer != "dahua" || f.Kind != "clip" {
			continue
		}
		if !strings.Contains(f.Path, "/dav/") || !strings.HasSuffix(f.Path, "[0@0][0].mp4") {
			t.Errorf("Dahua clip path %s", f.Path)
		}
		if i > 0 && plan[i-1].Kind == "snapshot" && plan[i-1].Start.Equal(f.Start) && plan[i-1].Camera == f.Camera {
			pairs++
		}
	}
	if pairs < 10 {
		t.Errorf("%d snapshot + clip pairs, want a good number", pairs)
	}
}

func TestOSDText(t *testing.T) {
	for in, want := range map[string]string{
		"Entrée":                "Entrée",
		"Quai de livraison":     "Quai de livraison",
		"a:b,c;d'e\\f%g[h]=i":   "abcdefghi",
		"  CH-1.2  ":            "CH-1.2",
		"%{pts\\:hms} injected": "ptshms injected",
	} {
		if got := osdText(in); got != want {
			t.Errorf("osdText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFootageArgs(t *testing.T) {
	s := footageSpec{Label: "Caisse", Scene: 1, Width: 640, Height: 360}
	args := strings.Join(footageArgs(s, "out.mp4", "snap-%d.jpg", true), " ")
	for _, want := range []string{"-f lavfi", "s=640x360", "d=12", "libx264", "-f mp4 out.mp4", "+faststart", "snap-%d.jpg",
		"text='Caisse'", "eq(n\\,20)+eq(n\\,60)+eq(n\\,100)",
		// The car and the person move: overlay evaluates t (time) every frame.
		"[bg][car]overlay=x='W-mod(W/6*t\\,W*1.3)'", "eval=frame", "color=c=0x2f6fb0:s=114x42:r=10:d=12[car]"} {
		if !strings.Contains(args, want) {
			t.Errorf("args lack %q: %s", want, args)
		}
	}
	s.PS, s.Night = true, true
	args = strings.Join(footageArgs(s, "out.ps", "snap-%d.jpg", false), " ")
	for _, want := range []string{"-f mpeg out.ps", "hue=s=0"} {
		if !strings.Contains(args, want) {
			t.Errorf("args lack %q: %s", want, args)
		}
	}
	if strings.Contains(args, "drawtext") || strings.Contains(args, "faststart") {
		t.Errorf("text or MP4 options where none belong: %s", args)
	}
	if (footageSpec{Label: "a"}).key() == (footageSpec{Label: "b"}).key() {
		t.Error("two scenes share a cache folder")
	}
	if (footageSpec{Label: "a"}).key() == (footageSpec{Label: "a", Pictures: "/p"}).key() {
		t.Error("a scene and its pictures clip share a cache folder")
	}
}

// The pictures clip: each picture a third of the 12 s, fitted into the
// frame with bars, the recorder's display over it, one snapshot of each.
func TestPictureArgs(t *testing.T) {
	s := footageSpec{Label: "Parking", Width: 640, Height: 360, Pictures: "/usr/share/darknet/data"}
	args := strings.Join(footageArgs(s, "out.mp4", "snap-%d.jpg", true), " ")
	for _, want := range []string{
		"-loop 1 -framerate 10 -t 4 -i /usr/share/darknet/data/dog.jpg", "-t 4 -i /usr/share/darknet/data/person.jpg", "-t 4 -i /usr/share/darknet/data/horses.jpg",
		"[0:v]scale=640:360:force_original_aspect_ratio=decrease,pad=640:360:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=10[p0]",
		"[p0][p1][p2]concat=n=3:v=1:a=0", "text='Parking'", "eq(n\\,20)+eq(n\\,60)+eq(n\\,100)", "libx264", "-f mp4 out.mp4",
	} {
		if !strings.Contains(args, want) {
			t.Errorf("args lack %q: %s", want, args)
		}
	}
	if strings.Contains(args, "lavfi") || strings.Contains(args, "drawbox") {
		t.Errorf("the pictures clip draws a scene: %s", args)
	}
	s.PS = true
	if args := strings.Join(footageArgs(s, "out.ps", "snap-%d.jpg", false), " "); !strings.Contains(args, "-f mpeg out.ps") || strings.Contains(args, "drawtext") {
		t.Errorf("Hikvision pictures clip without text: %s", args)
	}
	if havePictures("") || havePictures(t.TempDir()) {
		t.Error("pictures found where there are none")
	}
}

// darknetPictures is the folder of Debian's darknet test pictures: a test
// dependency, so CI fails without it; elsewhere the test is skipped.
func darknetPictures(t *testing.T) string {
	t.Helper()
	if !havePictures(darknetData) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no darknet pictures in %s: scripts/install-deps.sh installs them", darknetData)
		}
		t.Skipf("no darknet pictures in %s (apt-get install darknet)", darknetData)
	}
	return darknetData
}

// bootstrappedApp builds the app on a fresh data dir with a platform admin,
// closed at the end of the test.
func bootstrappedApp(t *testing.T) (*app, string) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	must(t, run(ctx, []string{"admin", "bootstrap", "--data-dir", dir, "--email", "root@example.com", "--password", "Platform-key-9931"}, io.Discard, io.Discard))
	a, err := build(ctx, config.Config{DataDir: dir}, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	must(t, err)
	t.Cleanup(a.close)
	return a, dir
}

// Without --ai the demo client has no AI subscription and its cameras no AI.
func TestDemoSetupWithoutAI(t *testing.T) {
	ctx := context.Background()
	a, _ := bootstrappedApp(t)
	client, _, err := a.demoSetup(ctx, demoOptions{Email: "demo@example.com", Password: "Croissant-du-matin-7", Events: 1})
	must(t, err)
	subs, err := a.db.AISubscriptions(ctx, client.ID)
	must(t, err)
	cams, _, err := a.db.Cameras(ctx, client.ID, store.CameraFilter{}, cam2drive.Page{Limit: 100})
	must(t, err)
	if len(subs) != 0 || len(cams) != 6 || slices.ContainsFunc(cams, func(c cam2drive.Camera) bool { return c.AIEnabled }) {
		t.Errorf("without AI: %d subscriptions, cameras %+v", len(subs), cams)
	}
}

func TestDialAddr(t *testing.T) {
	for in, want := range map[string]string{":2121": "127.0.0.1:2121", "0.0.0.0:21": "127.0.0.1:21",
		"ftp.example.com:2121": "ftp.example.com:2121", "[::]:2121": "127.0.0.1:2121"} {
		if got := dialAddr(in); got != want {
			t.Errorf("dialAddr(%q) = %q, want %q", in, got, want)
		}
	}
}

// The demo creates its client, user, site, recorders and cameras, and
// uploads its plan through the real FTP server: the recordings are indexed
// on the right cameras with the right events and times. A second run adds
// nothing and prints the login again.
func TestDemoUploadsOverFTP(t *testing.T) {
	ctx := context.Background()
	a, dir := bootstrappedApp(t)
	var out, errOut bytes.Buffer
	loc := paris(t)
	// The last 18:00 in Paris: with 4 events a camera, the second (i = 1, one
	// that shows the pictures) falls by day, so the pictures are uploaded.
	now := time.Now().In(loc)
	if now = time.Date(now.Year(), now.Month(), now.Day(), 18, 0, 0, 0, loc); now.After(time.Now()) {
		now = now.AddDate(0, 0, -1)
	}
	o := demoOptions{Email: "demo@example.com", Password: "Croissant-du-matin-7", Events: 4, Now: now, AI: true, Pictures: darknetPictures(t)}
	out.Reset()
	must(t, a.runDemo(ctx, o, &out, &errOut))
	if !strings.Contains(out.String(), "e-mail: demo@example.com\npassword: Croissant-du-matin-7\n") {
		t.Errorf("output lacks the login:\n%s", out.String())
	}
	if !strings.Contains(errOut.String(), "uploaded ") {
		t.Errorf("no progress on stderr:\n%s", errOut.String())
	}

	u, err := a.db.UserByEmail(ctx, o.Email)
	must(t, err)
	if u.Status != cam2drive.UserActive || u.RoleName == "" {
		t.Errorf("demo user %+v", u)
	}
	if _, err := a.auth.Login(ctx, o.Email, o.Password, "127.0.0.1", "test"); err != nil {
		t.Errorf("demo user can't log in: %v", err)
	}
	client, err := a.db.Org(ctx, u.OrgID)
	must(t, err)
	parent, err := a.db.Org(ctx, client.ParentID)
	must(t, err)
	if client.Kind != cam2drive.KindClient || parent.Kind != cam2drive.KindInstaller {
		t.Errorf("client %+v under %+v", client, parent)
	}
	checkDemoAI(t, a, client.ID, out.String())
	plan := demoPlan(o.Now, loc, o.Events)
	if !slices.ContainsFunc(plan, func(f demoFile) bool { return f.Pictures }) {
		t.Fatal("no upload of the plan shows the pictures")
	}
	checkDemoRecordings(t, a, client.ID, plan)
	checkPictureUploads(t, a, client.ID, plan, checkDemoFootage(t, a, o.Pictures))

	// Second run, through the command line: nothing new.
	before := countRecordings(t, a, client.ID)
	out.Reset()
	must(t, run(ctx, []string{"demo", "--data-dir", dir, "--email", "DEMO@example.com", "--events", "3"}, &out, io.Discard))
	if !strings.Contains(out.String(), "already exists") || !strings.Contains(out.String(), "e-mail: demo@example.com") {
		t.Errorf("second run said:\n%s", out.String())
	}
	if after := countRecordings(t, a, client.ID); after != before {
		t.Errorf("second run: %d recordings, then %d", before, after)
	}
}

// checkDemoAI: the client has an active AI subscription for its 6 cameras
// with every HOLO4 package, sold by its installer's level (audited), and
// AI is on for each camera.
func checkDemoAI(t *testing.T, a *app, orgID, stdout string) {
	t.Helper()
	ctx := context.Background()
	sub, err := a.db.ActiveAISubscription(ctx, orgID)
	must(t, err)
	if sub.CameraLimit != 6 || sub.CamerasUsed != 6 || !slices.Equal(sub.Packages, holo4.Current().PackageIDs()) {
		t.Errorf("demo AI subscription %+v", sub)
	}
	cams, _, err := a.db.Cameras(ctx, orgID, store.CameraFilter{}, cam2drive.Page{Limit: 100})
	must(t, err)
	for _, c := range cams {
		if !c.AIEnabled {
			t.Errorf("camera %s: AI off", c.Name)
		}
	}
	audit, _, err := a.db.Audit(ctx, orgID, "ai_subscription.created", cam2drive.Page{Limit: 10})
	must(t, err)
	if len(audit) != 1 || audit[0].Target != sub.ID {
		t.Errorf("audit of the subscription: %+v", audit)
	}
	if !strings.Contains(stdout, "AI is on for the 6 cameras") {
		t.Errorf("the output doesn't say AI is on:\n%s", stdout)
	}
}

func countRecordings(t *testing.T, a *app, orgID string) int {
	t.Helper()
	_, n, err := a.db.Recordings(context.Background(), orgID, store.RecordingFilter{}, cam2drive.Page{Limit: 1})
	must(t, err)
	return n
}

// checkDemoRecordings compares the client's recordings with the plan.
func checkDemoRecordings(t *testing.T, a *app, orgID string, plan []demoFile) {
	t.Helper()
	ctx := context.Background()
	cams, _, err := a.db.Cameras(ctx, orgID, store.CameraFilter{}, cam2drive.Page{Limit: 100})
	must(t, err)
	camera := map[string]cam2drive.Camera{}
	for _, c := range cams {
		camera[c.ID] = c
		if !c.CloudRecording {
			t.Errorf("camera %s: cloud recording off", c.Name)
		}
	}
	if len(cams) != 6 {
		t.Fatalf("%d cameras, want 6", len(cams))
	}
	recs, n, err := a.db.Recordings(ctx, orgID, store.RecordingFilter{}, cam2drive.Page{Limit: 1000})
	must(t, err)
	if n != len(plan) {
		t.Fatalf("%d recordings, want the %d files planned", n, len(plan))
	}
	byPath := map[string]cam2drive.Recording{}
	for _, r := range recs {
		byPath[r.SourcePath] = r
	}
	for _, f := range plan {
		r, ok := byPath[f.Path]
		if !ok {
			t.Errorf("no recording for %s", f.Path)
			continue
		}
		c := camera[r.CameraID]
		if c.Number != f.Camera || c.RecorderName != demoRecorders[f.Recorder].Name || c.Name != demoRecorders[f.Recorder].Cameras[f.Camera-1].Name {
			t.Errorf("%s on camera %d %q of %q", f.Path, c.Number, c.Name, c.RecorderName)
		}
		if !r.Start.Equal(f.Start) || r.EventType != f.Event || r.Kind != f.Kind || r.Size == 0 {
			t.Errorf("%s indexed as start %s %s %s size %d; planned %s %s %s", f.Path, r.Start, r.EventType, r.Kind, r.Size, f.Start, f.Event, f.Kind)
		}
	}
	// Stored as uploaded: a Hikvision clip keeps its IMKH header.
	hik := 0
	for _, r := range recs {
		if r.Kind != "clip" || camera[r.CameraID].RecorderName != demoRecorders[1].Name {
			continue
		}
		hik++
		rc, err := a.blobs.Open(ctx, r.ObjectKey, 0, 4)
		must(t, err)
		head, err := io.ReadAll(rc)
		rc.Close()
		must(t, err)
		if string(head) != "IMKH" {
			t.Errorf("%s stored starting with %q", r.SourcePath, head)
		}
	}
	if want := slices.ContainsFunc(plan, func(f demoFile) bool { return f.Kind == "clip" && f.Recorder == 1 }); want != (hik > 0) {
		t.Errorf("%d Hikvision clips stored; planned: %v", hik, want)
	}
}

// checkDemoFootage checks the drawn scenes: an H.264 MP4 (Dahua), an H.264
// MPEG-PS behind Hikvision's IMKH header, whole JPEG snapshots; the cache
// holds day, night and pictures for 6 cameras and serves them again.
func checkDemoFootage(t *testing.T, a *app, pictures string) demoMedia {
	t.Helper()
	ctx := context.Background()
	scenes, err := os.ReadDir(filepath.Join(a.cfg.DataDir, "cache", "demo"))
	if err != nil || len(scenes) != 18 {
		t.Errorf("footage cache: %d scenes (want 18, day, night and pictures of 6 cameras), %v", len(scenes), err)
	}
	m, err := a.demoFootage(ctx, pictures, io.Discard)
	must(t, err)
	for key, f := range m {
		spec := sceneSpec(key[0], demoRecorders[key[0]].Cameras[key[1]-1], key[2] == nightScene)
		if key[2] == pictureScene {
			spec.Pictures = pictures
		}
		if filepath.Dir(f.Clip) != filepath.Join(a.cfg.DataDir, "cache", "demo", spec.key()) {
			t.Errorf("scene %v not served from the cache: %s", key, f.Clip)
		}
		for _, s := range f.Snaps {
			b, err := os.ReadFile(s)
			must(t, err)
			if !bytes.HasPrefix(b, []byte{0xFF, 0xD8}) || !bytes.HasSuffix(b, []byte{0xFF, 0xD9}) {
				t.Errorf("%s is not a whole JPEG", s)
			}
		}
	}
	for ri, wantFormat := range []string{"mov,mp4,m4a,3gp,3g2,mj2", "mpeg"} {
		scene := dayScene
		if ri == 1 {
			scene = nightScene
		}
		for _, variant := range []int{scene, pictureScene} {
			clip := m[mediaKey(ri, 1, variant)].Clip
			info, err := media.Tools{}.Probe(ctx, clip)
			must(t, err)
			if info.Format != wantFormat || info.Codec != "h264" || info.Width != 640 || info.Height != 360 || info.Duration < 9*time.Second {
				t.Errorf("%s clip (variant %d): %+v", demoRecorders[ri].Manufacturer, variant, info)
			}
			b, err := os.ReadFile(clip)
			must(t, err)
			if hik := bytes.HasPrefix(b, []byte("IMKH")); hik != (ri == 1) {
				t.Errorf("%s clip starts with %q", demoRecorders[ri].Manufacturer, b[:4])
			}
		}
		// One snapshot of each picture: three different JPEGs.
		seen := map[string]bool{}
		for _, snap := range m[mediaKey(ri, 1, pictureScene)].Snaps {
			b, err := os.ReadFile(snap)
			must(t, err)
			seen[string(b)] = true
		}
		if len(seen) != len(demoPictures) {
			t.Errorf("%s pictures snapshots: %d different, want %d", demoRecorders[ri].Manufacturer, len(seen), len(demoPictures))
		}
	}
	return m
}

// checkPictureUploads: the files the plan shows the pictures in were
// uploaded from the pictures footage, the others from the drawn scenes.
func checkPictureUploads(t *testing.T, a *app, orgID string, plan []demoFile, m demoMedia) {
	t.Helper()
	recs, _, err := a.db.Recordings(context.Background(), orgID, store.RecordingFilter{}, cam2drive.Page{Limit: 1000})
	must(t, err)
	size := map[string]int64{}
	for _, r := range recs {
		size[r.SourcePath] = r.Size
	}
	for _, f := range plan {
		local := localFile(f, m)
		inPictures := strings.HasPrefix(local, filepath.Dir(m[mediaKey(f.Recorder, f.Camera, pictureScene)].Clip)+string(filepath.Separator))
		if inPictures != f.Pictures {
			t.Errorf("%s uploaded from %s (pictures planned: %v)", f.Path, local, f.Pictures)
		}
		st, err := os.Stat(local)
		must(t, err)
		if size[f.Path] != st.Size() {
			t.Errorf("%s: %d bytes stored, %s has %d", f.Path, size[f.Path], local, st.Size())
		}
	}
}
