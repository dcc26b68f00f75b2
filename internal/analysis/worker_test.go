package analysis_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/analysis"
	"github.com/cam2drive/cam2drive/internal/blob"
	"github.com/cam2drive/cam2drive/internal/detect"
	"github.com/cam2drive/cam2drive/internal/ingest"
	"github.com/cam2drive/cam2drive/internal/ingest/ingesttest"
	"github.com/cam2drive/cam2drive/internal/jobs"
	"github.com/cam2drive/cam2drive/internal/media"
	"github.com/cam2drive/cam2drive/internal/pipeline"
	"github.com/cam2drive/cam2drive/internal/store"
	"github.com/cam2drive/cam2drive/internal/storetest"
)

func needFFmpeg(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("ffmpeg is missing: scripts/install-deps.sh installs it")
		}
		t.Skip("ffmpeg not installed")
	}
}

// ffmpeg runs ffmpeg to make a test file and returns its bytes.
func ffmpeg(t testing.TB, name string, args ...string) []byte {
	t.Helper()
	needFFmpeg(t)
	out := filepath.Join(t.TempDir(), name)
	if b, err := exec.Command("ffmpeg", append(append([]string{"-v", "error", "-y"}, args...), out)...).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v %s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// movingBlock is a 6 s 640×360 H.264 clip of a grey scene with sensor
// noise in every frame and a red 64×64 block at (40, 150) that moves right
// at 40 px/s from 2 s to 4 s, to (120, 150), then stays.
func movingBlock(t testing.TB) []byte {
	return ffmpeg(t, "block.mp4", "-f", "lavfi", "-i",
		"color=c=0x808080:s=640x360:r=25,noise=alls=12:allf=t[bg];color=c=red:s=64x64:r=25[b];"+
			"[bg][b]overlay=x='if(lt(t,2),40,if(lt(t,4),40+(t-2)*40,120))':y=150:shortest=1",
		"-t", "6", "-pix_fmt", "yuv420p", "-g", "25", "-c:v", "libx264", "-preset", "ultrafast")
}

// redDetector is the test's own detector: it finds the red pixels of a
// frame and reports their bounds as a "car", scored by the share of red in
// the box. It computes from the frames the worker samples, so the times,
// boxes and tracks the worker stores are checked against the clip's real
// content without a model (the end-to-end test uses the real one).
type redDetector struct{}

func (redDetector) Detect(_ context.Context, f detect.Frame) ([]detect.Object, error) {
	x0, y0, x1, y1, n := f.W, f.H, -1, -1, 0
	for y := range f.H {
		for x := range f.W {
			p := f.RGB[(y*f.W+x)*3:]
			if p[0] > 180 && p[1] < 90 && p[2] < 90 {
				x0, y0, x1, y1, n = min(x0, x), min(y0, y), max(x1, x), max(y1, y), n+1
			}
		}
	}
	if n < 20 {
		return nil, nil
	}
	w, h := x1-x0+1, y1-y0+1
	return []detect.Object{{Class: "car", Score: float32(n) / float32(w*h),
		Box: [4]float32{float32(x0) / float32(f.W), float32(y0) / float32(f.H), float32(w) / float32(f.W), float32(h) / float32(f.H)}}}, nil
}
func (redDetector) InputSize() int { return 320 }
func (redDetector) Close() error   { return nil }

type world struct {
	f    *ingesttest.Fixture
	w    *analysis.Worker
	logs *bytes.Buffer
}

// newWorld is a client with AI on camera 1 (not 2), whose uploads the
// pipeline processes (queueing their analysis), and an analysis worker.
func newWorld(t *testing.T, d store.Dialect, det detect.Detector) *world {
	t.Helper()
	f := ingesttest.New(t, ingesttest.Options{Dialect: d})
	ctx := context.Background()
	if err := f.DB.CreateAISubscription(ctx, &cam2drive.AISubscription{OrgID: f.Org.ID, CameraLimit: 4}); err != nil {
		t.Fatal(err)
	}
	cams, _, err := f.DB.Cameras(ctx, f.Org.ID, store.CameraFilter{Number: 1}, cam2drive.Page{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	cams[0].AIEnabled = true
	if err := f.DB.UpdateCamera(ctx, cams[0]); err != nil {
		t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	w := &analysis.Worker{DB: f.DB, Blobs: f.Blobs, Detector: det, TempDir: t.TempDir(), Pace: &analysis.Pace{},
		Log: slog.New(slog.NewTextHandler(logs, nil))}
	if det == nil {
		w.Unavailable = detect.ErrUnavailable
	}
	return &world{f: f, w: w, logs: logs}
}

// upload sends a file as camera's recorder would and processes it.
func (wd *world) upload(t *testing.T, path string, data []byte) cam2drive.Recording {
	t.Helper()
	ctx := context.Background()
	se, err := wd.f.Service.Login(ctx, wd.f.Username, wd.f.Password, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	defer se.Close()
	u, err := se.Create(ctx, path, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := u.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	queue, err := jobs.New(wd.f.DB, nil, jobs.Config{})
	if err != nil {
		t.Fatal(err)
	}
	pw := &pipeline.ProcessWorker{DB: wd.f.DB, Blobs: wd.f.Blobs, TempDir: t.TempDir(), Analysis: queue,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, r := range wd.f.Recordings(t) {
		if r.SourcePath == path {
			job := &river.Job[ingest.ProcessArgs]{JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: 5},
				Args: ingest.ProcessArgs{RecordingID: r.ID, OrgID: r.OrgID}}
			if err := pw.Work(ctx, job); err != nil {
				t.Fatal(err)
			}
			r, err := wd.f.DB.Recording(ctx, r.OrgID, r.ID, "")
			if err != nil || r.Status != "ready" {
				t.Fatalf("processed: %s %q %v", r.Status, r.StatusReason, err)
			}
			return r
		}
	}
	t.Fatalf("%s not indexed", path)
	return cam2drive.Recording{}
}

func (wd *world) analyse(r cam2drive.Recording) error {
	job := &river.Job[analysis.Args]{JobRow: &rivertype.JobRow{ID: 7, Attempt: 1, MaxAttempts: 5},
		Args: analysis.Args{OrgID: r.OrgID, RecordingID: r.ID}}
	return wd.w.Work(context.Background(), job)
}

// detections returns the recording's detections of one source.
func (wd *world) detections(t *testing.T, r cam2drive.Recording, source string) []cam2drive.Detection {
	t.Helper()
	all, err := wd.f.DB.Detections(context.Background(), r.OrgID, []string{r.ID})
	if err != nil {
		t.Fatal(err)
	}
	var out []cam2drive.Detection
	for _, d := range all[r.ID] {
		if d.Source == source {
			out = append(out, d)
		}
	}
	return out
}

func near(got, want [4]float64, tol float64) bool {
	for i := range got {
		if math.Abs(got[i]-want[i]) > tol {
			return false
		}
	}
	return true
}

const clipPath = "SN/2024-03-01/001/dav/10/10.15.30-10.15.36[M][0@0][0].mp4"

// The moving block, sampled at 2 frames/s: the detector's car is one
// detection over the whole clip, and the frame difference finds the motion
// from 2 s to 4 s where the block went.
func TestWorkerFindsObjectsAndMotion(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			wd := newWorld(t, d, redDetector{})
			r := wd.upload(t, clipPath, movingBlock(t))
			if err := wd.analyse(r); err != nil {
				t.Fatal(err)
			}
			model := wd.detections(t, r, "model")
			if len(model) != 1 {
				t.Fatalf("model detections %+v, want one car", model)
			}
			car := model[0]
			if car.Type != "vehicle" || car.Label != "car" || car.Start != 0 || car.End != 5500*time.Millisecond || car.Score < 0.8 {
				t.Errorf("car %+v, want a vehicle from 0 to 5.5 s", car)
			}
			// The box of its best frame: the block somewhere on its way.
			if car.Box[0] < 0.04 || car.Box[0] > 0.21 || !near([4]float64{0, car.Box[1], car.Box[2], car.Box[3]}, [4]float64{0, 150.0 / 360, 0.1, 64.0 / 360}, 0.02) {
				t.Errorf("car box %v, want 64×64 px at y=150 between x=40 and 120", car.Box)
			}
			motion := wd.detections(t, r, "rule")
			if len(motion) != 1 {
				t.Fatalf("motion %+v, want one", motion)
			}
			m := motion[0]
			if m.Type != "motion" || m.Label != analysis.MotionLabel || m.Start < 1500*time.Millisecond || m.Start > 2*time.Second ||
				m.End < 4*time.Second || m.End > 4500*time.Millisecond {
				t.Errorf("motion %+v, want 2 s to 4 s", m)
			}
			if want := [4]float64{40.0 / 640, 150.0 / 360, 144.0 / 640, 64.0 / 360}; !near(m.Box, want, 0.025) {
				t.Errorf("motion box %v, want %v (the block's path)", m.Box, want)
			}
			// The recorder's own motion event is still there beside them.
			if rec := wd.detections(t, r, "recorder"); len(rec) != 1 || rec[0].Type != "motion" {
				t.Errorf("recorder detections %+v", rec)
			}
			// The detector ran on the frames that changed: the first, and
			// those of the block moving (2.5 s to 4 s); the still frames
			// reuse its answer and the car is still seen throughout.
			res, err := wd.w.Analyze(context.Background(), r, 2)
			if err != nil || res.Frames != 12 || res.Detected < 4 || res.Detected > 7 {
				t.Errorf("analysis ran the detector on %d of %d frames (%v), want the 5 that changed", res.Detected, res.Frames, err)
			}
			// Running again replaces, never adds.
			if err := wd.analyse(r); err != nil {
				t.Fatal(err)
			}
			if n := len(wd.detections(t, r, "model")) + len(wd.detections(t, r, "rule")); n != 2 {
				t.Errorf("%d detections after a second run, want 2", n)
			}
		})
	}
}

// Without a detector the worker still finds motion, keeps what a model
// found before, and says AI is unavailable once, not per job.
func TestWorkerWithoutAIFindsMotionOnly(t *testing.T) {
	wd := newWorld(t, store.SQLite, nil)
	r := wd.upload(t, clipPath, movingBlock(t))
	earlier := []cam2drive.Detection{{Type: "person", Label: "person", Score: 0.9, Start: time.Second, End: 2 * time.Second}}
	if err := wd.f.DB.ReplaceDetections(context.Background(), r.OrgID, r.ID, "model", earlier); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := wd.analyse(r); err != nil {
			t.Fatal(err)
		}
	}
	if m := wd.detections(t, r, "rule"); len(m) != 1 || m[0].Type != "motion" {
		t.Errorf("motion %+v, want one", m)
	}
	if m := wd.detections(t, r, "model"); len(m) != 1 || m[0].Type != "person" {
		t.Errorf("model detections %+v: what a model found before must stay", m)
	}
	if n := strings.Count(wd.logs.String(), "motion only"); n != 1 {
		t.Errorf("AI unavailable said %d times, want once:\n%s", n, wd.logs)
	}
}

// A snapshot is one frame: the car, at 0, and no motion.
func TestWorkerSnapshot(t *testing.T) {
	wd := newWorld(t, store.SQLite, redDetector{})
	jpg := ffmpeg(t, "s.jpg", "-f", "lavfi", "-i", "color=c=0x808080:s=1280x720,drawbox=x=640:y=360:w=128:h=72:color=red:t=fill",
		"-frames:v", "1", "-f", "image2")
	r := wd.upload(t, "SN/2024-03-01/001/jpg/17/15/30[M][0@0][0].jpg", jpg)
	if err := wd.analyse(r); err != nil {
		t.Fatal(err)
	}
	model := wd.detections(t, r, "model")
	if len(model) != 1 || model[0].Start != 0 || model[0].End != 0 || !near(model[0].Box, [4]float64{0.5, 0.5, 0.1, 0.1}, 0.01) {
		t.Errorf("snapshot detections %+v, want the car at (0.5, 0.5) 0.1×0.1", model)
	}
	if m := wd.detections(t, r, "rule"); len(m) != 0 {
		t.Errorf("motion in a single picture: %+v", m)
	}
}

// A camera whose AI is off (or was turned off after the job was queued) is
// not analysed.
func TestWorkerSkipsCamerasWithoutAI(t *testing.T) {
	wd := newWorld(t, store.SQLite, redDetector{})
	r := wd.upload(t, "SN/2024-03-01/002/dav/10/10.15.30-10.15.36[M][0@0][0].mp4", movingBlock(t))
	if n, err := wd.f.DB.QueuedJobs(context.Background(), analysis.Queue); err != nil || n != 0 {
		t.Fatalf("%d analysis jobs queued for a camera without AI (%v)", n, err)
	}
	if err := wd.analyse(r); err != nil {
		t.Fatal(err)
	}
	if d := append(wd.detections(t, r, "model"), wd.detections(t, r, "rule")...); len(d) != 0 {
		t.Errorf("detections for a camera without AI: %+v", d)
	}
}

type downStore struct{ blob.Store }

func (downStore) Open(context.Context, string, int64, int64) (io.ReadCloser, error) {
	return nil, errors.New("connection refused")
}

// Storage down is retried; media that cannot be read or is gone cancels
// the job (running again would not help).
func TestWorkerRetriesStorageButNotBrokenMedia(t *testing.T) {
	wd := newWorld(t, store.SQLite, redDetector{})
	r := wd.upload(t, clipPath, movingBlock(t))
	ctx := context.Background()
	wd.w.Blobs = downStore{wd.f.Blobs}
	var cancel *river.JobCancelError
	if err := wd.analyse(r); err == nil || errors.As(err, &cancel) {
		t.Fatalf("storage down: err = %v, want a plain error (retried)", err)
	}
	wd.w.Blobs = wd.f.Blobs
	if err := wd.f.Blobs.Put(ctx, r.MediaKey, strings.NewReader(strings.Repeat("garbage ", 500)), 4000); err != nil {
		t.Fatal(err)
	}
	err := wd.analyse(r)
	if fault, ok := media.FileFault(err); !errors.As(err, &cancel) || !ok || fault.Key != media.ReasonUnreadable {
		t.Fatalf("unreadable media: err = %v, want the job cancelled with the file at fault", err)
	}
	if err := wd.f.Blobs.Delete(ctx, r.MediaKey); err != nil {
		t.Fatal(err)
	}
	err = wd.analyse(r)
	if fault, ok := media.FileFault(err); !errors.As(err, &cancel) || !ok || fault.Key != analysis.ReasonMediaMissing {
		t.Fatalf("missing media: err = %v, want the job cancelled", err)
	}
}

// Through River for real: the processing worker queues the analysis in the
// ready transaction, a client working the analysis queue (as serve builds
// it) runs it, and the detections appear.
func TestAnalysisRunsInItsOwnQueue(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			wd := newWorld(t, d, redDetector{})
			workers := river.NewWorkers()
			river.AddWorker(workers, wd.w)
			q, err := jobs.New(wd.f.DB, workers, jobs.Config{Work: true, MaxWorkers: 1, Queues: map[string]int{analysis.Queue: 1},
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			if err != nil {
				t.Fatal(err)
			}
			ctx, stop := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- q.Run(ctx) }()
			defer func() { stop(); <-done }()
			r := wd.upload(t, clipPath, movingBlock(t))
			deadline := time.Now().Add(90 * time.Second)
			for len(wd.detections(t, r, "rule")) == 0 || len(wd.detections(t, r, "model")) == 0 {
				if time.Now().After(deadline) {
					t.Fatalf("no detections 90 s after the recording became ready; log:\n%s", wd.logs)
				}
				time.Sleep(200 * time.Millisecond)
			}
		})
	}
}
