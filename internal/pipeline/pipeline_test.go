package pipeline_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/cam2drive/cam2drive/internal/ingest"
	"github.com/cam2drive/cam2drive/internal/ingest/ingesttest"
	"github.com/cam2drive/cam2drive/internal/media"
	"github.com/cam2drive/cam2drive/internal/pipeline"
)

func upload(t *testing.T, f *ingesttest.Fixture, path string, data []byte) {
	t.Helper()
	se, err := f.Service.Login(context.Background(), f.Username, f.Password, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	defer se.Close()
	u, err := se.Create(context.Background(), path, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := u.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func process(t *testing.T, f *ingesttest.Fixture) {
	t.Helper()
	w := &pipeline.ProcessWorker{DB: f.DB, Blobs: f.Blobs, Tools: media.Tools{}, TempDir: t.TempDir(), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, r := range f.Recordings(t) {
		job := &river.Job[ingest.ProcessArgs]{JobRow: &rivertype.JobRow{}, Args: ingest.ProcessArgs{RecordingID: r.ID, OrgID: r.OrgID}}
		if err := w.Work(context.Background(), job); err != nil {
			t.Fatalf("process %s: %v", r.ID, err)
		}
	}
}

func TestSnapshotBecomesReadyWithItsSize(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 160, 90)), nil); err != nil {
		t.Fatal(err)
	}
	upload(t, f, "SN/2024-03-01/001/jpg/10/15/30[M][0@0][0].jpg", b.Bytes())
	process(t, f)
	r := f.Recordings(t)[0]
	if r.Status != "ready" || r.Width != 160 || r.Height != 90 || r.Codec != "jpeg" {
		t.Fatalf("recording = %s %dx%d %s, want ready 160x90 jpeg", r.Status, r.Width, r.Height, r.Codec)
	}
}

func TestClipProbedAndCorruptClipFailsWithReason(t *testing.T) {
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("ffmpeg missing")
		}
		t.Skip("ffmpeg not installed")
	}
	f := ingesttest.New(t, ingesttest.Options{})
	clip := filepath.Join(t.TempDir(), "c.mp4")
	if out, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=10", "-t", "2",
		"-pix_fmt", "yuv420p", "-c:v", "libx264", clip).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v %s", err, out)
	}
	good, _ := os.ReadFile(clip)
	upload(t, f, "SN/2024-03-01/001/dav/10/10.15.30-10.15.32[M][0@0][0].mp4", good)
	// Garbage with a clip's name: ingest (without a prober here) accepts it,
	// processing must mark it failed and keep the original.
	upload(t, f, "SN/2024-03-01/001/dav/11/11.15.30-11.15.32[M][0@0][0].dav", bytes.Repeat([]byte("not video "), 500))
	process(t, f)
	paris, _ := time.LoadLocation("Europe/Paris")
	for _, r := range f.Recordings(t) {
		switch r.Start.In(paris).Hour() {
		case 10:
			if r.Status != "ready" || r.Codec != "h264" || r.Width != 320 || r.Duration < time.Second {
				t.Errorf("good clip: %s %q %s %dx%d %v", r.Status, r.StatusReason, r.Codec, r.Width, r.Height, r.Duration)
			}
		case 11:
			if r.Status != "failed" || r.StatusReason == "" {
				t.Errorf("corrupt clip: status %s reason %q, want failed with a reason", r.Status, r.StatusReason)
			}
			if len(f.Object(t, r.ObjectKey)) != 5000 {
				t.Error("the original of a failed recording must be kept")
			}
		}
	}
}

func TestRetentionPurgesOldRecordingsAndFreesSpace(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	var b bytes.Buffer
	jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 8, 8)), nil)
	old := time.Now().AddDate(0, 0, -40).Format("2006-01-02")
	recent := time.Now().AddDate(0, 0, -1).Format("2006-01-02")
	upload(t, f, "SN/"+old+"/001/jpg/10/15/30[R][0@0][0].jpg", b.Bytes())
	upload(t, f, "SN/"+recent+"/001/jpg/10/15/30[R][0@0][0].jpg", b.Bytes())
	w := &pipeline.RetentionWorker{DB: f.DB, Blobs: f.Blobs, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := w.Work(context.Background(), &river.Job[pipeline.RetentionArgs]{JobRow: &rivertype.JobRow{}}); err != nil {
		t.Fatal(err)
	}
	recs := f.Recordings(t)
	if len(recs) != 1 || recs[0].Start.Format("2006-01-02") != recent {
		t.Fatalf("kept %d recordings, want only the recent one (retention 30 days)", len(recs))
	}
	disk, _ := f.DB.Disk(context.Background(), f.Org.ID, f.Disk.ID)
	if disk.UsedBytes != recs[0].Size {
		t.Errorf("disk used %d, want %d after the purge", disk.UsedBytes, recs[0].Size)
	}
}
