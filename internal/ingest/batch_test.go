package ingest_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/ingest/ingesttest"
	"github.com/cam2drive/cam2drive/internal/storetest"
)

// Uploads finishing at the same time are indexed together; when the disk
// fills up among them, exactly those that fit are acknowledged and indexed,
// the others are refused for quota, and the space used matches.
func TestConcurrentUploadsOnAFillingDisk(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			data := JPEG(t, 5)
			const fit, total = 7, 24
			size := int64(len(data))
			f := ingesttest.New(t, ingesttest.Options{Dialect: d, DiskBytes: size*fit + size/2})
			errs := make([]error, total)
			var wg sync.WaitGroup
			for i := range total {
				se := login(t, f) // a connection each, as recorders do
				wg.Go(func() {
					p := fmt.Sprintf("SN/2019-05-09/%03d/jpg/06/07/%02d[M][0@0][0].jpg", i%4+1, i)
					errs[i] = upload(t, se, p, data)
				})
			}
			wg.Wait()
			ok := 0
			for i, err := range errs {
				switch {
				case err == nil:
					ok++
				case cam2drive.ErrorCode(err) != cam2drive.CodeQuota:
					t.Errorf("upload %d: %v, want success or quota", i, err)
				}
			}
			recs := f.Recordings(t)
			disk, err := f.DB.Disk(context.Background(), f.Org.ID, f.Disk.ID)
			if err != nil {
				t.Fatal(err)
			}
			if ok != fit || len(recs) != fit || disk.UsedBytes != size*fit {
				t.Fatalf("%d acknowledged, %d indexed, %d bytes used; want %d, %d, %d", ok, len(recs), disk.UsedBytes, fit, fit, size*fit)
			}
			for _, r := range recs {
				if got := f.Object(t, r.ObjectKey); len(got) != len(data) {
					t.Errorf("recording %s: %d bytes stored, want %d", r.SourcePath, len(got), len(data))
				}
			}
			if h, err := f.DB.Health(context.Background(), f.Org.ID, f.Recorder.ID); err != nil || h.Uploads != fit || h.RefusedUploads != total-fit {
				t.Errorf("health counts %d uploads, %d refused (%v); want %d, %d", h.Uploads, h.RefusedUploads, err, fit, total-fit)
			}
			if objs, err := f.Blobs.List(context.Background(), "org/"); err != nil || len(objs) != fit {
				t.Errorf("%d objects stored (%v), want %d: refused uploads leave none", len(objs), err, fit)
			}
		})
	}
}
