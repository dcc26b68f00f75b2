package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/store"
)

type folder struct {
	db  *store.DB
	org string
	t0  time.Time
	seq int
}

// rec indexes a recording of camera cam at t0+at (seconds), lasting dur
// seconds (0 for a snapshot).
func (f *folder) rec(t *testing.T, org, cam, kind, event string, at, dur int) cam2drive.Recording {
	t.Helper()
	f.seq++
	start := f.t0.Add(time.Duration(at) * time.Second)
	r := cam2drive.Recording{OrgID: org, SiteID: "site", RecorderID: "rec", CameraID: cam, DiskID: "disk", Start: start,
		End: start.Add(time.Duration(dur) * time.Second), Timed: true, Kind: kind, EventType: event, Status: "processing",
		ObjectKey: fmt.Sprintf("k/%d", f.seq), Size: 10, SHA256: fmt.Sprint(f.seq), SourcePath: fmt.Sprintf("p/%d", f.seq)}
	inTx(t, f.db, func(tx *store.Tx) error { return tx.InsertRecording(context.Background(), &r) })
	return r
}

func (f *folder) parent(t *testing.T, org, id string) string {
	t.Helper()
	r, err := f.db.Recording(context.Background(), org, id, "")
	if err != nil {
		t.Fatal(err)
	}
	return r.ParentID
}

func TestFoldSnapshotsWithTheClipOfTheirEvent(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, b := newTenant(t, db, "alpha").org.ID, newTenant(t, db, "beta").org.ID
		f := &folder{db: db, t0: time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)}

		// Snapshot first (Dahua sends it at once), the clip when the event ends.
		early := f.rec(t, a, "cam1", "snapshot", "motion", 5, 0)
		if p, err := db.FoldSnapshot(ctx, a, early.ID); err != nil || p != "" {
			t.Fatalf("no clip yet: parent %q, %v", p, err)
		}
		clip := f.rec(t, a, "cam1", "clip", "motion", 0, 30)
		late := f.rec(t, a, "cam1", "snapshot", "motion", 32, 0)      // within the slack after the end
		tooLate := f.rec(t, a, "cam1", "snapshot", "motion", 40, 0)   // another moment
		otherCam := f.rec(t, a, "cam2", "snapshot", "motion", 5, 0)   // another camera
		otherEvent := f.rec(t, a, "cam1", "snapshot", "alarm", 5, 0)  // another event
		scheduled := f.rec(t, a, "cam1", "snapshot", "regular", 5, 0) // scheduled pictures stand alone
		otherOrg := f.rec(t, b, "cam1", "snapshot", "motion", 5, 0)   // same camera id in another tenant
		if n, err := db.FoldSnapshotsInto(ctx, a, clip.ID); err != nil || n != 2 {
			t.Fatalf("folded %d, %v; want the early and late snapshots", n, err)
		}
		want := map[string]string{early.ID: clip.ID, late.ID: clip.ID, tooLate.ID: "", otherCam.ID: "", otherEvent.ID: "", scheduled.ID: ""}
		for id, p := range want {
			if got := f.parent(t, a, id); got != p {
				t.Errorf("snapshot %s: parent %q, want %q", id, got, p)
			}
		}
		if got := f.parent(t, b, otherOrg.ID); got != "" {
			t.Error("a clip folded another organisation's snapshot")
		}

		// Clip first: the snapshot finds it; folding again changes nothing.
		clip2 := f.rec(t, a, "cam1", "clip", "alarm", 100, 20)
		snap2 := f.rec(t, a, "cam1", "snapshot", "alarm", 98, 0) // just before the start
		for i := 0; i < 2; i++ {
			if p, err := db.FoldSnapshot(ctx, a, snap2.ID); err != nil || p != clip2.ID {
				t.Fatalf("fold #%d: parent %q, %v; want %s", i+1, p, err, clip2.ID)
			}
		}
		if n, err := db.FoldSnapshotsInto(ctx, a, clip2.ID); err != nil || n != 0 {
			t.Errorf("refolding: %d, %v", n, err)
		}
		if _, err := db.FoldSnapshot(ctx, b, snap2.ID); !cam2drive.IsNotFound(err) {
			t.Errorf("another tenant folding a's snapshot: %v, want not found", err)
		}
		top, _, err := db.Recordings(ctx, a, store.RecordingFilter{TopLevel: true}, cam2drive.Page{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(top) != 6 {
			t.Errorf("top level lists %d recordings, want 6: 9 less the 3 folded", len(top))
		}
	})
}

// A clip whose name says no end (generic layouts) ends after its duration.
func TestFoldUsesDurationWithoutEnd(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newTenant(t, db, "alpha").org.ID
		f := &folder{db: db, t0: time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)}
		clip := f.rec(t, a, "cam1", "clip", "motion", 0, 0)
		clip.Duration, clip.Status = 60*time.Second, "ready"
		if err := db.SetRecordingMedia(ctx, clip); err != nil {
			t.Fatal(err)
		}
		snap := f.rec(t, a, "cam1", "snapshot", "motion", 45, 0)
		if p, err := db.FoldSnapshot(ctx, a, snap.ID); err != nil || p != clip.ID {
			t.Fatalf("parent %q, %v", p, err)
		}
	})
}
