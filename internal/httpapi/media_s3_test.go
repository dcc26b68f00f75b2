package httpapi_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/blob"
	"github.com/cam2drive/cam2drive/internal/blob/blobtest"
	"github.com/cam2drive/cam2drive/internal/httpapi"
	"github.com/cam2drive/cam2drive/internal/store"
	"github.com/cam2drive/cam2drive/internal/storetest"
)

// TestMediaRangesS3 serves a clip stored on a real S3 server (versitygw):
// each Range becomes a ranged GET of the object, and the answers are the
// same as from the local store.
func TestMediaRangesS3(t *testing.T) {
	endpoint := blobtest.StartVersityGW(t)
	ctx := t.Context()
	s3, err := blob.NewS3(ctx, blob.S3Config{Endpoint: endpoint, Bucket: "media", Prefix: "cam2drive",
		AccessKey: blobtest.S3Access, SecretKey: blobtest.S3Secret, Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	db := storetest.Open(t, store.SQLite)
	clip := makeClip(t)
	start := time.Date(2026, 2, 5, 7, 0, 0, 0, time.UTC)
	r := cam2drive.Recording{OrgID: cam2drive.NewID(), SiteID: cam2drive.NewID(), RecorderID: cam2drive.NewID(), CameraID: cam2drive.NewID(),
		DiskID: cam2drive.NewID(), Start: start, End: start.Add(2 * time.Second), Kind: "clip", EventType: "motion", Status: "ready",
		ObjectKey: "org/a/clip.dav", Size: int64(len(clip)), SHA256: "x", SourcePath: "a.dav", Container: "dhav", MediaKey: "org/a/clip.mp4"}
	if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.InsertRecording(ctx, &r) }); err != nil {
		t.Fatal(err)
	}
	if err := s3.Put(ctx, r.MediaKey, bytes.NewReader(clip), int64(len(clip))); err != nil {
		t.Fatal(err)
	}
	srv := httpapi.New(httpapi.Deps{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Media: httpapi.MediaDeps{Blobs: s3, Key: serverKey}})
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	e := &env{DB: db, Server: srv, HTTP: ts}
	checkRanges(t, e, srv.SignMedia(r.OrgID, r.ID, "video", "", time.Now().Add(time.Hour)), clip)
	e.fetch(t, "GET", srv.SignMedia(r.OrgID, r.ID, "video", "", time.Now().Add(-time.Second))).want(t, 403, "expired")
	e.fetch(t, "GET", srv.SignMedia(r.OrgID, r.ID, "thumbnail", "", time.Now().Add(time.Hour))).want(t, 404, "no thumbnail yet")
}
