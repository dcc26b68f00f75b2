// Package ingesttest builds a ready-to-upload world for protocol tests: a
// client with a site, a recorder with credentials, a virtual disk and cloud
// recording on, over real SQLite/PostgreSQL and a real local blob store.
package ingesttest

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/auth"
	"github.com/cam2drive/cam2drive/internal/blob"
	"github.com/cam2drive/cam2drive/internal/ingest"
	"github.com/cam2drive/cam2drive/internal/jobs"
	"github.com/cam2drive/cam2drive/internal/store"
	"github.com/cam2drive/cam2drive/internal/storetest"
)

// Options shape the fixture.
type Options struct {
	Dialect      store.Dialect // default SQLite
	Timezone     string        // of the site; default "Europe/Paris"
	Manufacturer string        // default "dahua"
	Cameras      int           // default 4
	DiskBytes    int64         // default 10 GB; 0 with NoDisk for none
	NoDisk       bool
	Overwrite    bool
	CloudOff     []int // camera numbers left without cloud recording
	Prober       ingest.Prober
}

// Fixture is the world an upload lands in.
type Fixture struct {
	DB       *store.DB
	Blobs    blob.Store
	Service  *ingest.Service
	Org      cam2drive.Org
	Site     cam2drive.Site
	Recorder cam2drive.Recorder
	Disk     cam2drive.VirtualDisk
	Username string
	Password string
}

// ServerKey is the fixed 32-byte key tests encrypt recorder passwords with.
var ServerKey = []byte("0123456789abcdef0123456789abcdef")

// New builds the fixture.
func New(t testing.TB, o Options) *Fixture {
	t.Helper()
	if o.Dialect == "" {
		o.Dialect = store.SQLite
	}
	if o.Timezone == "" {
		o.Timezone = "Europe/Paris"
	}
	if o.Manufacturer == "" {
		o.Manufacturer = "dahua"
	}
	if o.Cameras == 0 {
		o.Cameras = 4
	}
	if o.DiskBytes == 0 {
		o.DiskBytes = 10 * cam2drive.GB
	}
	ctx := context.Background()
	f := &Fixture{DB: storetest.Open(t, o.Dialect)}
	dir := t.TempDir()
	var err error
	if f.Blobs, err = blob.NewLocal(filepath.Join(dir, "media")); err != nil {
		t.Fatal(err)
	}
	f.Service = newService(t, f, o, filepath.Join(dir, "spool"))
	f.Org = cam2drive.Org{Kind: cam2drive.KindClient, Name: "Client"}
	must(t, f.DB.InTx(ctx, func(tx *store.Tx) error { return tx.CreateOrg(ctx, &f.Org) }))
	f.Site = cam2drive.Site{OrgID: f.Org.ID, Name: "HQ", Timezone: o.Timezone}
	must(t, f.DB.CreateSite(ctx, &f.Site))
	f.Recorder = cam2drive.Recorder{OrgID: f.Org.ID, SiteID: f.Site.ID, Name: "NVR", Manufacturer: o.Manufacturer, Kind: "nvr",
		CameraCount: o.Cameras, RetentionDays: 30}
	must(t, f.Service.CreateRecorder(ctx, &f.Recorder))
	f.Username, f.Password, err = f.Service.Credentials(f.Recorder)
	must(t, err)
	if !o.NoDisk {
		f.Disk = cam2drive.VirtualDisk{OrgID: f.Org.ID, RecorderID: f.Recorder.ID, CapacityBytes: o.DiskBytes, CameraLimit: o.Cameras, Overwrite: o.Overwrite}
		must(t, f.DB.CreateDisk(ctx, &f.Disk))
		f.enableCameras(t, o.CloudOff)
	}
	return f
}

func newService(t testing.TB, f *Fixture, o Options, spool string) *ingest.Service {
	queue, err := jobs.New(f.DB, nil, jobs.Config{})
	must(t, err)
	secrets, err := auth.NewRecorderSecrets(ServerKey)
	must(t, err)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc, err := ingest.New(f.DB, f.Blobs, queue, secrets, o.Prober, log,
		ingest.Config{SpoolDir: spool, ProbeVideo: o.Prober != nil, MaxConns: 200})
	must(t, err)
	return svc
}

func (f *Fixture) enableCameras(t testing.TB, off []int) {
	ctx := context.Background()
	cams, _, err := f.DB.Cameras(ctx, f.Org.ID, store.CameraFilter{RecorderID: f.Recorder.ID}, cam2drive.Page{Limit: 500})
	must(t, err)
	for _, c := range cams {
		c.CloudRecording = true
		for _, n := range off {
			if c.Number == n {
				c.CloudRecording = false
			}
		}
		must(t, f.DB.UpdateCamera(ctx, c))
	}
}

// Recordings lists what was indexed, newest first.
func (f *Fixture) Recordings(t testing.TB) []cam2drive.Recording {
	t.Helper()
	recs, _, err := f.DB.Recordings(context.Background(), f.Org.ID, store.RecordingFilter{}, cam2drive.Page{Limit: 500})
	must(t, err)
	return recs
}

// Object reads a stored object whole.
func (f *Fixture) Object(t testing.TB, key string) []byte {
	t.Helper()
	r, err := f.Blobs.Open(context.Background(), key, 0, -1)
	must(t, err)
	defer r.Close()
	b, err := io.ReadAll(r)
	must(t, err)
	return b
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
