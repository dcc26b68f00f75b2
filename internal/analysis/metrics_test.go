package analysis_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/cam2drive/cam2drive/internal/analysis"
	"github.com/cam2drive/cam2drive/internal/store"
)

// What an operator reads on /metrics after analyses that went well, one
// whose storage was down (retried) and one whose media is garbage
// (cancelled): each counted under its result with its time, the backlog
// the worker saw (the one job the upload queued, still waiting) and the
// rate the pace stepped down to when that backlog took too long.
func TestWorkerMetrics(t *testing.T) {
	wd := newWorld(t, store.SQLite, redDetector{})
	reg := prometheus.NewRegistry()
	wd.w.Metrics = analysis.NewMetrics(reg)
	wd.w.Pace = &analysis.Pace{MaxLag: time.Nanosecond}
	r := wd.upload(t, clipPath, movingBlock(t))
	for range 3 { // the third starts after two measures at 2 frames/s: 1 frame/s
		if err := wd.analyse(r); err != nil {
			t.Fatal(err)
		}
	}
	wd.w.Blobs = downStore{wd.f.Blobs}
	if err := wd.analyse(r); err == nil {
		t.Fatal("storage down: no error")
	}
	wd.w.Blobs = wd.f.Blobs
	if err := wd.f.Blobs.Put(context.Background(), r.MediaKey, strings.NewReader(strings.Repeat("garbage ", 500)), 4000); err != nil {
		t.Fatal(err)
	}
	if err := wd.analyse(r); err == nil {
		t.Fatal("garbage media: no error")
	}
	want := `
# HELP cam2drive_analysis_backlog Analysis jobs queued when the last analysis started.
# TYPE cam2drive_analysis_backlog gauge
cam2drive_analysis_backlog 1
# HELP cam2drive_analysis_sampling_fps Frames per second the last analysis sampled, as the pace chose for the backlog (0: key frames only).
# TYPE cam2drive_analysis_sampling_fps gauge
cam2drive_analysis_sampling_fps 1
# HELP cam2drive_recordings_analysed_total Analysis runs, by result: ok, cancelled (the media cannot be read) or error (retried).
# TYPE cam2drive_recordings_analysed_total counter
cam2drive_recordings_analysed_total{result="cancelled"} 1
cam2drive_recordings_analysed_total{result="error"} 1
cam2drive_recordings_analysed_total{result="ok"} 3
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want),
		"cam2drive_analysis_backlog", "cam2drive_analysis_sampling_fps", "cam2drive_recordings_analysed_total"); err != nil {
		t.Error(err)
	}
	if n := testutil.CollectAndCount(reg, "cam2drive_analysis_seconds"); n != 1 {
		t.Errorf("%d analysis_seconds series, want 1", n)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "cam2drive_analysis_seconds" {
			continue
		}
		if h := mf.GetMetric()[0].GetHistogram(); h.GetSampleCount() != 5 || h.GetSampleSum() <= 0 {
			t.Errorf("analysis_seconds: %d runs, %v s; want the 5 runs", h.GetSampleCount(), h.GetSampleSum())
		}
	}
}

// A camera without AI is not analysed, so nothing is counted; a worker
// without metrics (nil) analyses as before.
func TestWorkerMetricsSkipAndNil(t *testing.T) {
	wd := newWorld(t, store.SQLite, redDetector{})
	reg := prometheus.NewRegistry()
	wd.w.Metrics = analysis.NewMetrics(reg)
	r := wd.upload(t, "SN/2024-03-01/002/dav/10/10.15.30-10.15.36[M][0@0][0].mp4", movingBlock(t))
	if err := wd.analyse(r); err != nil {
		t.Fatal(err)
	}
	if got := testutil.ToFloat64(analysis.AnalysedCounter(wd.w.Metrics, "ok")); got != 0 {
		t.Errorf("ok = %v for a camera without AI, want 0", got)
	}
	wd.w.Metrics = nil
	r = wd.upload(t, clipPath, movingBlock(t))
	if err := wd.analyse(r); err != nil {
		t.Fatal(err)
	}
	if m := wd.detections(t, r, "rule"); len(m) != 1 {
		t.Errorf("motion %+v without metrics, want one", m)
	}
}
