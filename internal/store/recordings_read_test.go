package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/store"
)

// browseWorld is an organisation with a recorder of four cameras on a site
// in Paris, and a second organisation with recordings of its own.
type browseWorld struct {
	db      *store.DB
	a, b    tenant
	cams    []cam2drive.Camera // a's cameras 1…4
	bCam    cam2drive.Camera
	recA    cam2drive.Recorder
	paris   *time.Location
	seq     int
	viewer  cam2drive.User // an a user with the Guard role
	recordB cam2drive.Recorder
}

func newBrowseWorld(t *testing.T, db *store.DB) *browseWorld {
	t.Helper()
	w := &browseWorld{db: db, a: newTenant(t, db, "alpha"), b: newTenant(t, db, "beta")}
	var err error
	if w.paris, err = time.LoadLocation("Europe/Paris"); err != nil {
		t.Fatal(err)
	}
	w.recA = w.addRecorder(t, w.a, 4)
	w.recordB = w.addRecorder(t, w.b, 1)
	cams, _, err := db.Cameras(t.Context(), w.a.org.ID, store.CameraFilter{RecorderID: w.recA.ID}, cam2drive.Page{Limit: 10})
	if err != nil || len(cams) != 4 {
		t.Fatalf("cameras: %v %d", err, len(cams))
	}
	w.cams = cams
	bCams, _, err := db.Cameras(t.Context(), w.b.org.ID, store.CameraFilter{}, cam2drive.Page{Limit: 10})
	if err != nil || len(bCams) != 1 {
		t.Fatalf("b cameras: %v %d", err, len(bCams))
	}
	w.bCam = bCams[0]
	w.viewer = mustUser(t, db, w.a.org.ID, w.a.role.ID, "guard@alpha.example.com", "Guard")
	return w
}

func (w *browseWorld) addRecorder(t *testing.T, tn tenant, cameras int) cam2drive.Recorder {
	t.Helper()
	rec := cam2drive.Recorder{OrgID: tn.org.ID, SiteID: tn.site.ID, Name: "NVR", Manufacturer: "dahua", Kind: "nvr", CameraCount: cameras}
	if err := w.db.AddRecorder(t.Context(), &rec); err != nil {
		t.Fatalf("recorder: %v", err)
	}
	return rec
}

// add indexes one recording of cam starting at the Paris wall-clock time
// "2006-01-02 15:04:05", with detections of the given types.
func (w *browseWorld) add(t *testing.T, cam cam2drive.Camera, local string, types ...string) cam2drive.Recording {
	t.Helper()
	start, err := time.ParseInLocation(time.DateTime, local, w.paris)
	if err != nil {
		t.Fatal(err)
	}
	return w.addAt(t, cam, start, "", types...)
}

func (w *browseWorld) addAt(t *testing.T, cam cam2drive.Camera, start time.Time, parent string, types ...string) cam2drive.Recording {
	t.Helper()
	w.seq++
	siteID := w.a.site.ID
	if cam.OrgID == w.b.org.ID {
		siteID = w.b.site.ID
	}
	r := cam2drive.Recording{OrgID: cam.OrgID, SiteID: siteID, RecorderID: cam.RecorderID, CameraID: cam.ID, DiskID: "disk",
		Start: start, End: start.Add(30 * time.Second), Timed: true, Kind: "clip", EventType: "motion", Status: "ready",
		ObjectKey: fmt.Sprintf("k/%d.mp4", w.seq), Size: 1000, SHA256: fmt.Sprint(w.seq), SourcePath: fmt.Sprintf("p/%d.mp4", w.seq), ParentID: parent}
	inTx(t, w.db, func(tx *store.Tx) error { return tx.InsertRecording(context.Background(), &r) })
	r.Start, r.End = r.Start.UTC(), r.End.UTC()
	var ds []cam2drive.Detection
	for _, typ := range types {
		ds = append(ds, cam2drive.Detection{Type: typ, Label: typ, Score: 0.9})
	}
	if len(ds) > 0 {
		if err := w.db.ReplaceDetections(t.Context(), cam.OrgID, r.ID, "model", ds); err != nil {
			t.Fatalf("detections: %v", err)
		}
	}
	return r
}

func recID(r cam2drive.Recording) string { return r.ID }

// list runs Recordings and returns the ids of the page and the total.
func list(t *testing.T, db *store.DB, orgID string, f store.RecordingFilter, p cam2drive.Page) ([]string, int) {
	t.Helper()
	if p.Limit == 0 {
		p.Limit = 500
	}
	recs, total, err := db.Recordings(t.Context(), orgID, f, p)
	if err != nil {
		t.Fatalf("recordings %+v: %v", f, err)
	}
	return ids(recs, recID), total
}

func TestRecordingsBrowse(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		w := newBrowseWorld(t, db)
		c1, c2, c3, c4 := w.cams[0], w.cams[1], w.cams[2], w.cams[3]
		morning := w.add(t, c1, "2026-02-05 08:00:00", "person")
		noon := w.add(t, c2, "2026-02-05 12:00:00", "vehicle", "person")
		evening := w.add(t, c3, "2026-02-05 23:59:30", "no_helmet")            // still the 5th in Paris (22:59:30 UTC)
		nextDay := w.add(t, c1, "2026-02-06 00:00:10", "animal")               // the 6th in Paris, the 5th in UTC
		cat := w.add(t, c4, "2026-02-05 09:00:00", "animal", "animal")         // one type, two detections
		folded := w.addAt(t, c4, cat.Start.Add(time.Second), cat.ID, "person") // a snapshot folded into cat
		foreign := w.addAt(t, w.bCam, morning.Start, "", "person")
		day := store.RecordingFilter{From: mustLocal(t, w, "2026-02-05 00:00:00"), To: mustLocal(t, w, "2026-02-06 00:00:00"), TopLevel: true}
		with := func(f store.RecordingFilter, change func(*store.RecordingFilter)) store.RecordingFilter {
			change(&f)
			return f
		}

		for _, c := range []struct {
			name string
			f    store.RecordingFilter
			want []cam2drive.Recording
		}{
			{"the Paris day, newest first", day, []cam2drive.Recording{evening, noon, cat, morning}},
			{"folded snapshots too", with(day, func(f *store.RecordingFilter) { f.TopLevel = false }),
				[]cam2drive.Recording{evening, noon, folded, cat, morning}},
			{"site", with(day, func(f *store.RecordingFilter) { f.SiteID = w.a.site.ID }), []cam2drive.Recording{evening, noon, cat, morning}},
			{"another site", with(day, func(f *store.RecordingFilter) { f.SiteID = w.b.site.ID }), nil},
			{"two cameras", with(day, func(f *store.RecordingFilter) { f.CameraIDs = []string{c1.ID, c3.ID} }), []cam2drive.Recording{evening, morning}},
			{"persons", with(day, func(f *store.RecordingFilter) { f.Types = []string{"person"} }), []cam2drive.Recording{noon, morning}},
			{"animals or vehicles", with(day, func(f *store.RecordingFilter) { f.Types = []string{"animal", "vehicle"} }), []cam2drive.Recording{noon, cat}},
			{"motion: none", with(day, func(f *store.RecordingFilter) { f.Types = []string{"motion"} }), nil},
			{"a HOLO4 algorithm", with(day, func(f *store.RecordingFilter) { f.Types = []string{"no_helmet"} }), []cam2drive.Recording{evening}},
			{"HOLO4 or animal", with(day, func(f *store.RecordingFilter) { f.Types = []string{"no_helmet", "animal"} }),
				[]cam2drive.Recording{evening, cat}},
			{"no period", store.RecordingFilter{TopLevel: true}, []cam2drive.Recording{nextDay, evening, noon, cat, morning}},
			{"from only", store.RecordingFilter{From: noon.Start, TopLevel: true}, []cam2drive.Recording{nextDay, evening, noon}},
			{"another org's camera", with(day, func(f *store.RecordingFilter) { f.CameraIDs = []string{w.bCam.ID} }), nil},
		} {
			got, total := list(t, db, w.a.org.ID, c.f, cam2drive.Page{})
			want := ids(c.want, recID)
			if !slices.Equal(got, want) || total != len(want) {
				t.Errorf("%s: got %v (total %d), want %v", c.name, got, total, want)
			}
		}
		// Analysis runs again and finds something else: the filter follows.
		if err := db.ReplaceDetections(t.Context(), w.a.org.ID, morning.ID, "model", []cam2drive.Detection{{Type: "animal"}}); err != nil {
			t.Fatal(err)
		}
		persons := with(day, func(f *store.RecordingFilter) { f.Types = []string{"person"} })
		if got, _ := list(t, db, w.a.org.ID, persons, cam2drive.Page{}); !slices.Equal(got, []string{noon.ID}) {
			t.Errorf("persons after the new analysis: %v, want only noon", got)
		}
		if err := db.ReplaceDetections(t.Context(), w.a.org.ID, noon.ID, "model", nil); err != nil {
			t.Fatal(err)
		}
		if got, _ := list(t, db, w.a.org.ID, persons, cam2drive.Page{}); len(got) != 0 {
			t.Errorf("persons after their detections were removed: %v", got)
		}
		if got, _ := list(t, db, w.b.org.ID, store.RecordingFilter{CameraIDs: []string{c1.ID}}, cam2drive.Page{}); len(got) != 0 {
			t.Errorf("b lists a's camera: %v", got)
		}
		if got, total := list(t, db, w.b.org.ID, store.RecordingFilter{}, cam2drive.Page{}); !slices.Equal(got, []string{foreign.ID}) || total != 1 {
			t.Errorf("b's recordings: %v %d", got, total)
		}
		_, err := db.Recording(t.Context(), w.b.org.ID, morning.ID, "")
		wantNotFound(t, err)
		got, err := db.Recording(t.Context(), w.a.org.ID, morning.ID, "")
		if err != nil || got.ID != morning.ID || !got.Start.Equal(morning.Start) {
			t.Errorf("recording: %+v %v", got, err)
		}
	})
}

func mustLocal(t *testing.T, w *browseWorld, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation(time.DateTime, s, w.paris)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestRecordingsKeyset walks a list page by page with cursors while
// recordings share start times: every recording comes once, in order, and a
// recording added meanwhile at the top does not shift the pages.
func TestRecordingsKeyset(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		w := newBrowseWorld(t, db)
		base := mustLocal(t, w, "2026-02-05 10:00:00")
		var want []cam2drive.Recording
		for i := range 23 {
			// Three recordings per second on different cameras: ties on start_ms.
			want = append(want, w.addAt(t, w.cams[i%4], base.Add(time.Duration(i/3)*time.Second), ""))
		}
		slices.SortFunc(want, func(a, b cam2drive.Recording) int {
			if c := b.Start.Compare(a.Start); c != 0 {
				return c
			}
			return compareStrings(b.ID, a.ID)
		})
		f := store.RecordingFilter{TopLevel: true}
		var got []string
		p := cam2drive.Page{Limit: 5}
		for pages := 0; ; pages++ {
			recs, total, err := db.Recordings(t.Context(), w.a.org.ID, f, p)
			if err != nil {
				t.Fatal(err)
			}
			if total != 23+min(pages, 1) {
				t.Fatalf("page %d: total %d", pages, total)
			}
			got = append(got, ids(recs, recID)...)
			if pages == 0 {
				w.addAt(t, w.cams[0], base.Add(time.Hour), "") // newer than everything listed
			}
			if len(recs) < p.Limit {
				break
			}
			p.Cursor = store.RecordingCursor(recs[len(recs)-1])
		}
		if !slices.Equal(got, ids(want, recID)) {
			t.Errorf("pages gave\n%v\nwant\n%v", got, ids(want, recID))
		}
		for _, bad := range []string{"x", "12", "12:", "abc:" + want[0].ID, "12:not an id"} {
			_, _, err := db.Recordings(t.Context(), w.a.org.ID, f, cam2drive.Page{Limit: 5, Cursor: bad})
			wantCode(t, err, cam2drive.CodeInvalid, "")
		}
	})
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestRecordingsViewer: cameras restricted to other users are hidden from
// lists, single reads, the calendar and the histogram.
func TestRecordingsViewer(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		w := newBrowseWorld(t, db)
		open := w.add(t, w.cams[0], "2026-02-05 08:00:00")
		closed := w.add(t, w.cams[1], "2026-02-07 08:00:00")
		cam := w.cams[1]
		cam.AllowedUsers = []string{w.a.user.ID}
		if err := db.UpdateCamera(t.Context(), cam); err != nil {
			t.Fatal(err)
		}
		f := store.RecordingFilter{ViewerID: w.viewer.ID}
		if got, total := list(t, db, w.a.org.ID, f, cam2drive.Page{}); !slices.Equal(got, []string{open.ID}) || total != 1 {
			t.Errorf("viewer lists %v (%d)", got, total)
		}
		_, err := db.Recording(t.Context(), w.a.org.ID, closed.ID, w.viewer.ID)
		wantNotFound(t, err)
		if _, err := db.Recording(t.Context(), w.a.org.ID, closed.ID, w.a.user.ID); err != nil {
			t.Errorf("allowed user: %v", err)
		}
		days, err := db.RecordingDays(t.Context(), w.a.org.ID, f, 2026, time.February, w.paris)
		if err != nil || !slices.Equal(days, []int{5}) {
			t.Errorf("viewer's calendar %v %v", days, err)
		}
		last, err := db.LastRecordingStart(t.Context(), w.a.org.ID, f)
		if err != nil || !last.Equal(open.Start) {
			t.Errorf("viewer's last recording %v %v", last, err)
		}
		h, err := db.RecordingHistogram(t.Context(), w.a.org.ID, f, mustLocal(t, w, "2026-02-07 00:00:00"), time.Hour, 24)
		if err != nil || slices.Max(h) != 0 {
			t.Errorf("viewer's histogram of the 7th: %v %v", h, err)
		}
	})
}

// TestRecordingDays checks day boundaries in the site's time zone, across a
// daylight-saving change and a month end.
func TestRecordingDays(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		w := newBrowseWorld(t, db)
		c1, c2 := w.cams[0], w.cams[1]
		w.add(t, c1, "2026-03-01 00:00:00")                                      // first instant of March
		w.add(t, c1, "2026-03-29 03:30:00", "person")                            // the DST day (23 hours)
		last := w.add(t, c2, "2026-03-31 23:59:59")                              // 21:59:59 UTC
		april := w.add(t, c2, "2026-04-01 00:30:00")                             // 22:30 UTC on March 31
		w.add(t, c1, "2026-02-28 23:59:59", "person")                            // not March
		w.addAt(t, w.bCam, mustLocal(t, w, "2026-03-10 12:00:00"), "", "person") // another org
		ctx := t.Context()
		org := w.a.org.ID
		for _, c := range []struct {
			name  string
			f     store.RecordingFilter
			month time.Month
			loc   *time.Location
			want  []int
		}{
			{"March in Paris", store.RecordingFilter{}, time.March, w.paris, []int{1, 29, 31}},
			{"March in UTC", store.RecordingFilter{}, time.March, time.UTC, []int{29, 31}},
			{"April in Paris", store.RecordingFilter{}, time.April, w.paris, []int{1}},
			{"camera 2", store.RecordingFilter{CameraIDs: []string{c2.ID}}, time.March, w.paris, []int{31}},
			{"persons", store.RecordingFilter{Types: []string{"person"}}, time.March, w.paris, []int{29}},
			{"site", store.RecordingFilter{SiteID: w.a.site.ID}, time.March, w.paris, []int{1, 29, 31}},
			{"February", store.RecordingFilter{}, time.February, w.paris, []int{28}},
			{"empty month", store.RecordingFilter{}, time.May, w.paris, []int{}},
		} {
			got, err := db.RecordingDays(ctx, org, c.f, 2026, c.month, c.loc)
			if err != nil || !slices.Equal(got, c.want) {
				t.Errorf("%s: %v %v, want %v", c.name, got, err, c.want)
			}
		}
		if got, _ := db.RecordingDays(ctx, w.b.org.ID, store.RecordingFilter{CameraIDs: []string{c1.ID}}, 2026, time.March, w.paris); len(got) != 0 {
			t.Errorf("b sees a's days: %v", got)
		}
		got, err := db.LastRecordingStart(ctx, org, store.RecordingFilter{})
		if err != nil || !got.Equal(april.Start) {
			t.Errorf("last = %v %v, want %v", got, err, april.Start)
		}
		got, err = db.LastRecordingStart(ctx, org, store.RecordingFilter{CameraIDs: []string{c2.ID}, To: april.Start})
		if err != nil || !got.Equal(last.Start) {
			t.Errorf("last before April = %v %v, want %v", got, err, last.Start)
		}
		got, err = db.LastRecordingStart(ctx, org, store.RecordingFilter{Types: []string{"vehicle"}})
		if err != nil || !got.IsZero() {
			t.Errorf("last vehicle = %v %v, want none", got, err)
		}
	})
}

func TestRecordingHistogram(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		w := newBrowseWorld(t, db)
		c1 := w.cams[0]
		w.add(t, c1, "2026-03-29 00:00:00")
		w.add(t, c1, "2026-03-29 00:59:59", "person")
		w.add(t, c1, "2026-03-29 03:10:00") // the first hour after the change (02:00 does not exist)
		w.add(t, c1, "2026-03-29 23:59:59", "person")
		w.add(t, c1, "2026-03-30 00:00:00")
		day := mustLocal(t, w, "2026-03-29 00:00:00")
		got, err := db.RecordingHistogram(t.Context(), w.a.org.ID, store.RecordingFilter{}, day, time.Hour, 23)
		want := make([]int, 23)
		want[0], want[2], want[22] = 2, 1, 1
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("histogram %v %v, want %v", got, err, want)
		}
		got, err = db.RecordingHistogram(t.Context(), w.a.org.ID, store.RecordingFilter{Types: []string{"person"}}, day, time.Hour, 23)
		want = make([]int, 23)
		want[0], want[22] = 1, 1
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("persons %v %v, want %v", got, err, want)
		}
	})
}

func TestDetectionTypesAndPlaces(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		w := newBrowseWorld(t, db)
		r1 := w.add(t, w.cams[0], "2026-02-05 08:00:00", "vehicle", "person", "person")
		r2 := w.add(t, w.cams[1], "2026-02-05 08:00:00")
		rb := w.addAt(t, w.bCam, r1.Start, "", "animal")
		found, err := db.Detections(t.Context(), w.a.org.ID, []string{r1.ID, r2.ID, rb.ID})
		if err != nil || len(found) != 1 || len(found[r1.ID]) != 3 {
			t.Errorf("detections %v %v (want r1's three; none of another org)", found, err)
		}
		cams, sites, err := db.RecordingPlaces(t.Context(), w.a.org.ID, []string{w.cams[0].ID, w.bCam.ID}, []string{w.a.site.ID, w.b.site.ID})
		if err != nil || len(cams) != 1 || cams[w.cams[0].ID] != "CH_1" || len(sites) != 1 || sites[w.a.site.ID].Timezone != "Europe/Paris" {
			t.Errorf("places %v %v %v", cams, sites, err)
		}
	})
}
