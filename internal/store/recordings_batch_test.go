package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/store"
)

// A batch transaction repeats the same statements: every upload of the
// batch is indexed and found again, a duplicate is refused as a conflict,
// space is reserved for each, and nothing stays after a rollback.
func TestInBatchTx(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		tn := newTenant(t, db, "batch")
		rec := cam2drive.Recorder{OrgID: tn.org.ID, SiteID: tn.site.ID, Name: "NVR", Manufacturer: "dahua", Kind: "nvr", CameraCount: 1}
		if err := db.AddRecorder(ctx, &rec); err != nil {
			t.Fatal(err)
		}
		disk := cam2drive.VirtualDisk{OrgID: tn.org.ID, RecorderID: rec.ID, CapacityBytes: 10_000, CameraLimit: 1}
		if err := db.CreateDisk(ctx, &disk); err != nil {
			t.Fatal(err)
		}
		cams, _, err := db.Cameras(ctx, tn.org.ID, store.CameraFilter{RecorderID: rec.ID}, cam2drive.Page{Limit: 10})
		if err != nil || len(cams) != 1 {
			t.Fatalf("cameras: %v %d", err, len(cams))
		}
		recording := func(i int) cam2drive.Recording {
			start := time.Date(2024, 3, 1, 10, 0, i, 0, time.UTC)
			return cam2drive.Recording{OrgID: tn.org.ID, SiteID: tn.site.ID, RecorderID: rec.ID, CameraID: cams[0].ID, DiskID: disk.ID,
				Start: start, End: start, Kind: "snapshot", Status: "processing", ObjectKey: fmt.Sprintf("k/%d.jpg", i),
				Size: 1000, SHA256: fmt.Sprint("sum", i), SourcePath: fmt.Sprintf("p/%d.jpg", i)}
		}
		index := func(tx *store.Tx, r cam2drive.Recording) error {
			if _, err := tx.ReserveSpace(ctx, r.DiskID, r.Size); err != nil {
				return err
			}
			return tx.InsertRecording(ctx, &r)
		}
		err = db.InBatchTx(ctx, func(tx *store.Tx) error {
			for i := range 5 {
				if err := index(tx, recording(i)); err != nil {
					return err
				}
				if _, err := tx.RecordingBySource(ctx, rec.ID, fmt.Sprintf("p/%d.jpg", i), fmt.Sprint("sum", i)); err != nil {
					return fmt.Errorf("recording %d not found in its transaction: %w", i, err)
				}
			}
			return tx.RecordUploads(ctx, rec.ID, 5, time.Now())
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.InBatchTx(ctx, func(tx *store.Tx) error {
			if err := index(tx, recording(5)); err != nil {
				return err
			}
			return index(tx, recording(0)) // the same path and bytes again
		})
		wantCode(t, err, cam2drive.CodeConflict, "conflict")
		d, err := db.Disk(ctx, tn.org.ID, disk.ID)
		if err != nil || d.UsedBytes != 5000 {
			t.Errorf("used %d bytes (%v), want 5000: the rolled back batch reserved nothing", d.UsedBytes, err)
		}
		if _, err := db.RecordingBySource(ctx, rec.ID, "p/5.jpg", "sum5"); !cam2drive.IsNotFound(err) {
			t.Errorf("recording of the rolled back batch: %v, want not found", err)
		}
		if h, err := db.Health(ctx, tn.org.ID, rec.ID); err != nil || h.Uploads != 5 {
			t.Errorf("health counts %d uploads (%v), want 5", h.Uploads, err)
		}
	})
}
