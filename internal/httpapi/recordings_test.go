package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/store"
	"github.com/cam2drive/cam2drive/internal/storetest"
)

// recordingFull is a recording as the API answers it.
type recordingFull struct {
	ID             string   `json:"id"`
	CameraID       string   `json:"camera_id"`
	CameraName     string   `json:"camera_name"`
	SiteID         string   `json:"site_id"`
	SiteName       string   `json:"site_name"`
	Start          string   `json:"start"`
	Kind           string   `json:"kind"`
	DurationMS     int64    `json:"duration_ms"`
	DetectionTypes []string `json:"detection_types"`
	Media          struct {
		VideoURL         string `json:"video_url"`
		ImageURL         string `json:"image_url"`
		ThumbnailURL     string `json:"thumbnail_url"`
		PosterURL        string `json:"poster_url"`
		StripURL         string `json:"strip_url"`
		DownloadURL      string `json:"download_url"`
		DownloadFilename string `json:"download_filename"`
		ExpiresAt        string `json:"expires_at"`
		ExpiresIn        int64  `json:"expires_in"`
	} `json:"media"`
	Detections *[]struct {
		Type          string    `json:"type"`
		Label         string    `json:"label"`
		Source        string    `json:"source"`
		Score         float64   `json:"score"`
		Box           []float64 `json:"box"`
		StartMS       int64     `json:"start_ms"`
		EndMS         int64     `json:"end_ms"`
		StartOffsetMS int64     `json:"start_offset_ms"`
		EndOffsetMS   int64     `json:"end_offset_ms"`
	} `json:"detections"`
	// The contract's top-level URLs.
	ThumbnailURL string `json:"thumbnail_url"`
	MediaURL     string `json:"media_url"`
	DownloadURL  string `json:"download_url"`
}

// browseSite is a site of C1 in Paris with a recorder of three cameras and
// recordings indexed straight into the store, their objects in the blob store.
type browseSite struct {
	site, recorder string
	cams           []string // camera ids by number - 1; camera 1 is named "Entrée 1"
	clip           []byte   // a real MP4 made by ffmpeg
	thumb          []byte
}

// newBrowseSite sets up the site; the recordings come from addRecording.
func newBrowseSite(t *testing.T, f *fixture) *browseSite {
	t.Helper()
	org := f.C1.Org.ID
	b := &browseSite{site: f.addSite(t, org, "Entrepôt Nord")}
	rec := f.addRecorder(t, org, b.site, "NVR Nord", "dahua", 3)
	b.recorder = rec.ID
	for n := 1; n <= 3; n++ {
		b.cams = append(b.cams, f.cameraID(t, org, rec.ID, n))
	}
	f.as(t, f.C1.Admin, "PATCH", "/orgs/"+org+"/cameras/"+b.cams[0], map[string]any{"name": "Entrée 1"}).want(t, 200, "rename camera 1")
	b.clip, b.thumb = makeClip(t), testJPEG(t, 7)
	return b
}

// makeClip encodes two seconds of test pattern as a browser-playable MP4.
func makeClip(t *testing.T) []byte {
	t.Helper()
	bin, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Fatalf("ffmpeg is needed to make a test clip: %v", err)
	}
	out := filepath.Join(t.TempDir(), "clip.mp4")
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-v", "error", "-f", "lavfi", "-i", "testsrc=duration=2:size=160x120:rate=10",
		"-pix_fmt", "yuv420p", "-c:v", "libx264", "-movflags", "+faststart", "-y", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v: %s", err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil || len(data) < 3000 {
		t.Fatalf("clip: %d bytes, %v", len(data), err)
	}
	return data
}

// addRecording indexes a clip (with its playable copy and thumbnail) of
// camera n starting at a Paris wall-clock time, with detections.
func (b *browseSite) addRecording(t *testing.T, f *fixture, n int, local string, types ...string) cam2drive.Recording {
	t.Helper()
	ctx := t.Context()
	paris, _ := time.LoadLocation("Europe/Paris")
	start, err := time.ParseInLocation(time.DateTime, local, paris)
	if err != nil {
		t.Fatal(err)
	}
	seq := f.next()
	base := fmt.Sprintf("org/%s/test/%d", f.C1.Org.ID, seq)
	r := cam2drive.Recording{OrgID: f.C1.Org.ID, SiteID: b.site, RecorderID: b.recorder, CameraID: b.cams[n-1], DiskID: f.C1.DiskID,
		Start: start, End: start.Add(2 * time.Second), Timed: true, Kind: "clip", EventType: "motion", Status: "ready",
		ObjectKey: base + ".dav", Size: int64(len(b.clip)), SHA256: fmt.Sprint(seq), SourcePath: fmt.Sprintf("SN/%d.dav", seq),
		Duration: 2 * time.Second, Codec: "h264", Width: 160, Height: 120, Container: "dhav",
		MediaKey: base + ".mp4", ThumbKey: base + ".thumb.jpg"}
	for key, data := range map[string][]byte{r.ObjectKey: append([]byte("DHAV"), b.clip...), r.MediaKey: b.clip, r.ThumbKey: b.thumb} {
		if err := f.Blobs.Put(ctx, key, bytes.NewReader(data), int64(len(data))); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.DB.InTx(ctx, func(tx *store.Tx) error { return tx.InsertRecording(ctx, &r) }); err != nil {
		t.Fatal(err)
	}
	var ds []cam2drive.Detection
	for i, typ := range types {
		ds = append(ds, cam2drive.Detection{Type: typ, Label: typ, Score: []float64{0.9, 0.6, 0.7}[i%3], Box: [4]float64{0.1, 0.2, 0.3, 0.4},
			Start: time.Duration(i) * 500 * time.Millisecond, End: time.Second})
	}
	if err := f.DB.ReplaceDetections(ctx, r.OrgID, r.ID, "model", ds); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRecordingsAPI(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			f := newFixture(t, d)
			b := newBrowseSite(t, f)
			morning := b.addRecording(t, f, 1, "2026-02-05 08:00:00", "person", "vehicle", "person")
			noon := b.addRecording(t, f, 2, "2026-02-05 12:00:00", "animal")
			late := b.addRecording(t, f, 3, "2026-02-05 23:30:00") // 22:30 UTC: still the 5th in Paris
			next := b.addRecording(t, f, 1, "2026-02-06 00:30:00", "person")
			march := b.addRecording(t, f, 2, "2026-03-02 10:00:00", "vehicle")
			base := "/orgs/" + f.C1.Org.ID + "/recordings"
			site := "site_id=" + b.site
			t.Run("filters", func(t *testing.T) { testRecordingFilters(t, f, b, base, site, morning, noon, late, next, march) })
			t.Run("pages", func(t *testing.T) {
				testRecordingPages(t, f, base+"?"+site, []string{march.ID, next.ID, late.ID, noon.ID, morning.ID})
			})
			t.Run("one", func(t *testing.T) { testOneRecording(t, f, base, morning) })
			t.Run("calendar", func(t *testing.T) { testCalendar(t, f, b, base, site) })
			t.Run("histogram", func(t *testing.T) { testHistogram(t, f, base, site) })
		})
	}
}

func listIDs(t *testing.T, f *fixture, who account, path string) ([]string, listOf[recordingFull]) {
	t.Helper()
	var l listOf[recordingFull]
	f.as(t, who, "GET", path, nil).want(t, 200, path).decode(t, &l)
	var ids []string
	for _, r := range l.Items {
		ids = append(ids, r.ID)
	}
	return ids, l
}

func testRecordingFilters(t *testing.T, f *fixture, b *browseSite, base, site string, morning, noon, late, next, march cam2drive.Recording) {
	day := site + "&from=2026-02-05&to=2026-02-05"
	for _, c := range []struct {
		q    string
		want []cam2drive.Recording
	}{
		{day, []cam2drive.Recording{late, noon, morning}},
		{site + "&from=2026-02-05T00:00&to=2026-02-06T00:00", []cam2drive.Recording{late, noon, morning}},
		{site + "&from=2026-02-05T12:00:00&to=2026-02-05T23:30", []cam2drive.Recording{noon}},
		{"from=2026-02-05&to=2026-02-05", []cam2drive.Recording{next, late, noon, morning}}, // UTC without a site: next is 23:30Z
		{"from=" + url.QueryEscape("2026-02-05T00:00:00+01:00") + "&to=" + url.QueryEscape("2026-02-06T00:00:00+01:00"), []cam2drive.Recording{late, noon, morning}},
		{day + "&detections=person", []cam2drive.Recording{morning}},
		{day + "&detections=person,animal", []cam2drive.Recording{noon, morning}},
		{day + "&detections=person&types=animal", []cam2drive.Recording{noon, morning}},
		{day + "&detections=motion", nil},
		{day + "&camera_ids=" + b.cams[0] + "," + b.cams[2], []cam2drive.Recording{late, morning}},
		{day + "&camera_ids=" + b.cams[0] + "&camera_ids=" + b.cams[1], []cam2drive.Recording{noon, morning}},
		{site + "&camera_ids=" + b.cams[0], []cam2drive.Recording{next, morning}},
		{site + "&detections=vehicle", []cam2drive.Recording{march, morning}},
		{"site_id=" + f.C2.SiteID + "&from=2026-02-05&to=2026-02-05", nil},
	} {
		ids, l := listIDs(t, f, f.Viewer, base+"?"+c.q)
		want := []string{}
		for _, r := range c.want {
			want = append(want, r.ID)
		}
		if !slices.Equal(ids, want) && !(len(ids) == 0 && len(want) == 0) || l.Total != len(want) {
			t.Errorf("?%s: %v (total %d), want %v", c.q, ids, l.Total, want)
		}
	}
	// What a list item carries: names, detection icons and media URLs.
	_, l := listIDs(t, f, f.Viewer, base+"?"+day+"&camera_ids="+b.cams[0])
	if len(l.Items) != 1 {
		t.Fatalf("one item expected: %+v", l)
	}
	it := l.Items[0]
	if it.CameraName != "Entrée 1" || it.SiteName != "Entrepôt Nord" || !slices.Equal(it.DetectionTypes, []string{"person", "vehicle"}) ||
		it.DurationMS != 2000 || it.Detections == nil || len(*it.Detections) == 0 {
		t.Errorf("item %+v", it)
	}
	m := it.Media
	if it.ThumbnailURL != m.ThumbnailURL || it.MediaURL != m.VideoURL || it.DownloadURL != m.DownloadURL {
		t.Errorf("top-level URLs %q %q %q differ from media %+v", it.ThumbnailURL, it.MediaURL, it.DownloadURL, m)
	}
	if m.VideoURL == "" || m.ThumbnailURL == "" || m.DownloadURL == "" || m.ImageURL != "" || m.PosterURL != "" || m.StripURL != "" {
		t.Errorf("media of a clip with a playable copy and a thumbnail: %+v", m)
	}
	if m.DownloadFilename != "Entrepôt-Nord_Entrée-1_2026-02-05_08-00-00.mp4" {
		t.Errorf("download file name %q", m.DownloadFilename)
	}
	exp, err := time.Parse(time.RFC3339, m.ExpiresAt)
	if err != nil || exp.Sub(time.Now()) < 59*time.Minute || exp.Sub(time.Now()) > 61*time.Minute {
		t.Errorf("URLs expire at %q (%v), want in an hour", m.ExpiresAt, err)
	}
	if m.ExpiresIn < 3598 || m.ExpiresIn > 3600 {
		t.Errorf("expires_in %d, want the seconds left of an hour", m.ExpiresIn)
	}
	for _, c := range []struct{ q, field string }{
		{"detections=Person!", "detections"}, {"camera_ids=not-an-id", "camera_ids"}, {"cursor=bm9wZQ", "cursor"},
		{"from=2026-02-06&to=2026-02-05", "to"}, {"to=2026-02-05T10", "to"}, {"limit=0", "limit"},
		{"detections=" + strings.Repeat("a,", 300), "detections"},
	} {
		e := f.as(t, f.Viewer, "GET", base+"?"+c.q, nil).wantErr(t, 400, "invalid", c.q)
		wantFields(t, e, c.q, c.field)
	}
}

// testRecordingPages walks a list two by two with next_cursor.
func testRecordingPages(t *testing.T, f *fixture, path string, want []string) {
	var got []string
	next := ""
	for pages := 0; pages < 10; pages++ {
		q := path + "&limit=2"
		if next != "" {
			q += "&cursor=" + next
		}
		ids, l := listIDs(t, f, f.Viewer, q)
		if l.Total != len(want) {
			t.Errorf("page %d: total %d, want %d", pages, l.Total, len(want))
		}
		got = append(got, ids...)
		if next = l.NextCursor; next == "" {
			break
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("pages gave %v, want %v", got, want)
	}
	// The last page has no next cursor even when it is full.
	_, l := listIDs(t, f, f.Viewer, path+"&limit="+fmt.Sprint(len(want)))
	if l.NextCursor != "" || len(l.Items) != len(want) {
		t.Errorf("a full last page: next_cursor %q, %d items", l.NextCursor, len(l.Items))
	}
}

func testOneRecording(t *testing.T, f *fixture, base string, r cam2drive.Recording) {
	var got recordingFull
	f.as(t, f.Viewer, "GET", base+"/"+r.ID, nil).want(t, 200, "one recording").decode(t, &got)
	if got.ID != r.ID || got.Detections == nil || len(*got.Detections) != 3 || got.Media.VideoURL == "" {
		t.Fatalf("recording %+v", got)
	}
	d := (*got.Detections)[1]
	if d.Type != "vehicle" || d.Source != "model" || d.Score != 0.6 || !slices.Equal(d.Box, []float64{0.1, 0.2, 0.3, 0.4}) ||
		d.StartMS != 500 || d.EndMS != 1000 || d.StartOffsetMS != 500 || d.EndOffsetMS != 1000 {
		t.Errorf("second detection %+v", d)
	}
	var none recordingFull
	f.as(t, f.C1.Admin, "GET", base+"/"+f.C1.RecordingID, nil).want(t, 200, "snapshot").decode(t, &none)
	if none.Detections == nil || len(*none.Detections) != 0 || none.Kind != "snapshot" || none.Media.ImageURL == "" || none.MediaURL != none.Media.ImageURL ||
		none.Media.ThumbnailURL == "" || none.Media.VideoURL != "" || !strings.HasSuffix(none.Media.DownloadFilename, "_2019-05-09_06-07-27.jpg") {
		t.Errorf("snapshot without detections %+v", none)
	}
}

func testCalendar(t *testing.T, f *fixture, b *browseSite, base, site string) {
	type calendar struct {
		Month    string   `json:"month"`
		Timezone string   `json:"timezone"`
		Days     []string `json:"days"`
		LastDay  string   `json:"last_day"`
	}
	for _, c := range []struct {
		q    string
		want calendar
	}{
		{site, calendar{"2026-03", "Europe/Paris", []string{"2026-03-02"}, "2026-03-02"}},
		{site + "&month=2026-02", calendar{"2026-02", "Europe/Paris", []string{"2026-02-05", "2026-02-06"}, "2026-03-02"}},
		{site + "&month=2026-02&detections=animal,vehicle", calendar{"2026-02", "Europe/Paris", []string{"2026-02-05"}, "2026-03-02"}},
		{site + "&month=2026-02&camera_ids=" + b.cams[2], calendar{"2026-02", "Europe/Paris", []string{"2026-02-05"}, "2026-02-05"}},
		{"month=2026-02&camera_ids=" + b.cams[2], calendar{"2026-02", "UTC", []string{"2026-02-05"}, "2026-02-05"}},
		{site + "&month=2026-01", calendar{"2026-01", "Europe/Paris", []string{}, "2026-03-02"}},
	} {
		var got calendar
		f.as(t, f.Viewer, "GET", base+"/calendar?"+c.q, nil).want(t, 200, c.q).decode(t, &got)
		if got.Month != c.want.Month || got.Timezone != c.want.Timezone || !slices.Equal(got.Days, c.want.Days) || got.LastDay != c.want.LastDay {
			t.Errorf("calendar?%s = %+v, want %+v", c.q, got, c.want)
		}
	}
	for _, q := range []string{"month=2026-13", "month=feb", "month=2026-02-01"} {
		e := f.as(t, f.Viewer, "GET", base+"/calendar?"+q, nil).wantErr(t, 400, "invalid", q)
		wantFields(t, e, q, "month")
	}
}

func testHistogram(t *testing.T, f *fixture, base, site string) {
	var h struct {
		Date     string `json:"date"`
		Timezone string `json:"timezone"`
		Buckets  []struct {
			Start string `json:"start"`
			Count int    `json:"count"`
		} `json:"buckets"`
	}
	f.as(t, f.Viewer, "GET", base+"/histogram?"+site+"&date=2026-02-05", nil).want(t, 200, "histogram").decode(t, &h)
	if h.Date != "2026-02-05" || h.Timezone != "Europe/Paris" || len(h.Buckets) != 24 || h.Buckets[0].Start != "2026-02-04T23:00:00Z" {
		t.Fatalf("histogram %+v", h)
	}
	counts := map[int]int{}
	for i, bk := range h.Buckets {
		if bk.Count > 0 {
			counts[i] = bk.Count
		}
	}
	if len(counts) != 3 || counts[8] != 1 || counts[12] != 1 || counts[23] != 1 {
		t.Errorf("histogram counts by hour %v", counts)
	}
	f.as(t, f.Viewer, "GET", base+"/histogram?"+site+"&date=2026-03-29", nil).want(t, 200, "DST day").decode(t, &h)
	if len(h.Buckets) != 23 {
		t.Errorf("the day clocks go forward has %d hours", len(h.Buckets))
	}
	f.as(t, f.Viewer, "GET", base+"/histogram?"+site, nil).want(t, 200, "default day").decode(t, &h)
	if h.Date != "2026-03-02" {
		t.Errorf("histogram opens on %s, want the last day with recordings", h.Date)
	}
	e := f.as(t, f.Viewer, "GET", base+"/histogram?date=2026-02-30", nil).wantErr(t, 400, "invalid", "bad date")
	wantFields(t, e, "bad date", "date")
}

// A failed recording says why, in the reader's language.
func TestRecordingFailureReason(t *testing.T) {
	f := newFixture(t, storetest.Dialects(t)[0])
	ctx := t.Context()
	r, err := f.DB.Recording(ctx, f.C1.Org.ID, f.C1.RecordingID, "")
	if err != nil {
		t.Fatal(err)
	}
	path := "/orgs/" + f.C1.Org.ID + "/recordings/" + r.ID
	reason := func() string {
		var got struct {
			Status       string  `json:"status"`
			StatusReason *string `json:"status_reason"`
		}
		f.as(t, f.Viewer, "GET", path, nil).want(t, 200, "recording").decode(t, &got)
		if got.StatusReason == nil {
			return "<absent>"
		}
		return *got.StatusReason
	}
	if got := reason(); got != "<absent>" {
		t.Errorf("a recording being processed has the reason %q", got)
	}
	r.Status, r.StatusReason = "failed", "truncated: moov atom not found"
	if err := f.DB.SetRecordingMedia(ctx, r); err != nil {
		t.Fatal(err)
	}
	if got := reason(); got != "The file is incomplete: the recorder's upload was cut." {
		t.Errorf("English reason %q", got)
	}
	f.as(t, f.Viewer, "PATCH", "/me/preferences", map[string]any{"language": "fr"}).want(t, 200, "French")
	if got := reason(); got != "Le fichier est incomplet : l'envoi de l'enregistreur a été interrompu." {
		t.Errorf("French reason %q", got)
	}
	r.StatusReason = "ffmpeg exited 1"
	if err := f.DB.SetRecordingMedia(ctx, r); err != nil {
		t.Fatal(err)
	}
	if got := reason(); got != "L'enregistrement n'a pas pu être traité." {
		t.Errorf("reason without a known key %q", got)
	}
}
