package store_test

import (
	"errors"
	"testing"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/store"
)

// The processing result and what is queued with it commit together; the
// camera's AI flag is read in the same transaction; another tenant's
// recording is not found and nothing runs.
func TestSetRecordingMediaThen(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		w := newBrowseWorld(t, db)
		ctx := t.Context()
		if err := db.CreateAISubscription(ctx, &cam2drive.AISubscription{OrgID: w.a.org.ID, CameraLimit: 1}); err != nil {
			t.Fatal(err)
		}
		cam := w.cams[0]
		cam.AIEnabled = true
		if err := db.UpdateCamera(ctx, cam); err != nil {
			t.Fatal(err)
		}
		withAI, without := w.add(t, w.cams[0], "2024-03-01 10:00:00"), w.add(t, w.cams[1], "2024-03-01 10:00:00")
		for _, c := range []struct {
			r  cam2drive.Recording
			ai bool
		}{{withAI, true}, {without, false}} {
			c.r.MediaKey = "play.mp4"
			var got *bool
			err := db.SetRecordingMediaThen(ctx, c.r, func(tx *store.Tx, ai bool) error { got = &ai; return nil })
			if err != nil || got == nil || *got != c.ai {
				t.Fatalf("camera AI %v: fn saw %v, err %v", c.ai, got, err)
			}
			if r, _ := db.Recording(ctx, c.r.OrgID, c.r.ID, ""); r.MediaKey != "play.mp4" {
				t.Errorf("media key %q not written", r.MediaKey)
			}
		}
		rollback := without
		rollback.Status, rollback.StatusReason = "failed", "x"
		if err := db.SetRecordingMediaThen(ctx, rollback, func(*store.Tx, bool) error { return errRollback }); !errors.Is(err, errRollback) {
			t.Fatalf("err = %v", err)
		}
		if r, _ := db.Recording(ctx, rollback.OrgID, rollback.ID, ""); r.Status != "ready" || r.StatusReason != "" {
			t.Errorf("status %s %q written though fn failed", r.Status, r.StatusReason)
		}
		other := withAI
		other.OrgID = w.b.org.ID
		called := false
		err := db.SetRecordingMediaThen(ctx, other, func(*store.Tx, bool) error { called = true; return nil })
		wantNotFound(t, err)
		if called {
			t.Error("fn ran for another tenant's recording")
		}
	})
}
