package pipeline_test

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive/internal/blob"
	"github.com/cam2drive/cam2drive/internal/ingest/ingesttest"
	"github.com/cam2drive/cam2drive/internal/pipeline"
)

// s3Server is a real S3 server (versitygw, as the blob tests use) that the
// test stops and starts again: storage down, then back.
type s3Server struct {
	bin, addr, root string
	cmd             *exec.Cmd
	exited          chan error
}

func newS3Server(t *testing.T) *s3Server {
	t.Helper()
	bin := os.Getenv("CAM2DRIVE_VERSITYGW")
	if bin == "" {
		dir, _ := os.Getwd()
		for ; filepath.Dir(dir) != dir; dir = filepath.Dir(dir) {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				break
			}
		}
		bin = filepath.Join(dir, ".cache", "bin", "versitygw")
	}
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("versitygw missing: scripts/install-versitygw.sh")
		}
		t.Skip("versitygw not installed")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &s3Server{bin: bin, addr: l.Addr().String(), root: t.TempDir()}
	l.Close()
	s.start(t)
	t.Cleanup(s.stop)
	return s
}

func (s *s3Server) start(t *testing.T) {
	t.Helper()
	s.cmd = exec.Command(s.bin, "--access", "test-access", "--secret", "test-secret", "--port", s.addr, "--region", "us-east-1", "--quiet", "posix", s.root)
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s.exited = make(chan error, 1)
	go func(c *exec.Cmd, done chan error) { done <- c.Wait() }(s.cmd, s.exited)
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get("http://" + s.addr + "/"); err == nil {
			resp.Body.Close()
			return
		}
	}
	t.Fatal("versitygw did not answer")
}

func (s *s3Server) stop() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
	}
	s.cmd = nil
}

// Storage down is no fault of the file: the job returns the error for River
// to retry with back-off, and succeeds once storage is back; only the last
// attempt gives up and says why.
func TestStorageDownIsRetriedThenFails(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	srv := newS3Server(t)
	ctx := context.Background()
	s3, err := blob.NewS3(ctx, blob.S3Config{Endpoint: srv.addr, Bucket: "media", AccessKey: "test-access", SecretKey: "test-secret", Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	clip := encode(t, "c.mp4", append(x264, "-an")...)
	upload(t, f, "SN/2024-03-01/001/dav/10/10.15.30-10.15.32[M][0@0][0].mp4", clip)
	upload(t, f, "SN/2024-03-01/001/dav/11/11.15.30-11.15.32[M][0@0][0].mp4", clip)
	recs := f.Recordings(t)
	for _, r := range recs {
		if err := s3.Put(ctx, r.ObjectKey, strings.NewReader(string(f.Object(t, r.ObjectKey))), -1); err != nil {
			t.Fatal(err)
		}
	}
	w := worker(t, f)
	w.Blobs = s3

	srv.stop()
	for _, r := range recs {
		// The S3 client retries for a while: a deadline keeps the test short.
		short, cancel := context.WithTimeout(ctx, 2*time.Second)
		err := w.Work(short, job(r, 1))
		cancel()
		if err == nil {
			t.Fatal("storage down: the job must fail for River to retry it")
		}
	}
	for _, r := range f.Recordings(t) {
		if r.Status != "processing" {
			t.Fatalf("after a transient error: %s %q, want still processing", r.Status, r.StatusReason)
		}
	}
	last := recs[1]
	short, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := w.Work(short, job(last, 5)); err != nil {
		t.Fatalf("last attempt: %v, want the recording marked failed instead", err)
	}
	srv.start(t)
	if err := w.Work(ctx, job(recs[0], 2)); err != nil {
		t.Fatalf("storage back: %v", err)
	}
	for _, r := range f.Recordings(t) {
		want := map[string]string{recs[0].ID: "ready", last.ID: "failed"}[r.ID]
		if r.Status != want {
			t.Errorf("%s: %s %q, want %s", r.SourcePath, r.Status, r.StatusReason, want)
		}
		if r.Status == "failed" && !strings.HasPrefix(r.StatusReason, pipeline.ReasonProcessing) {
			t.Errorf("reason %q", r.StatusReason)
		}
	}
}
