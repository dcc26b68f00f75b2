package pipeline_test

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/cam2drive/cam2drive/internal/ingest/ingesttest"
	"github.com/cam2drive/cam2drive/internal/pipeline"
)

// A clip that ends ready and a truncated one that ends failed are counted
// once each, with the time of their run; running the jobs again (a River
// retry after a crash) counts nothing more.
func TestProcessingIsCounted(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	clip := encode(t, "c.mp4", append(x264, "-an")...)
	upload(t, f, "SN/2024-03-01/001/dav/09/09.15.30-09.15.32[M][0@0][0].mp4", clip)
	upload(t, f, "SN/2024-03-01/001/dav/10/10.15.30-10.15.32[M][0@0][0].mp4", clip[:len(clip)/2])
	reg := prometheus.NewRegistry()
	w := worker(t, f)
	w.Metrics = pipeline.NewMetrics(reg)
	for range 2 {
		process(t, f, w)
	}
	want := `
# HELP cam2drive_recordings_processed_total Recordings whose processing ended, by result (ready or failed).
# TYPE cam2drive_recordings_processed_total counter
cam2drive_recordings_processed_total{result="failed"} 1
cam2drive_recordings_processed_total{result="ready"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "cam2drive_recordings_processed_total"); err != nil {
		t.Error(err)
	}
	if n := testutil.CollectAndCount(reg, "cam2drive_recording_process_seconds"); n != 1 {
		t.Errorf("%d process_seconds series, want 1", n)
	}
	count, sum := histogram(t, reg, "cam2drive_recording_process_seconds")
	if count != 2 || sum <= 0 || sum > 60 {
		t.Errorf("process_seconds: %d runs, %v s in all; want 2 runs of some time", count, sum)
	}
}

// A worker without metrics processes as before.
func TestProcessingWithoutMetrics(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	upload(t, f, "SN/2024-03-01/001/dav/09/09.15.30-09.15.32[M][0@0][0].mp4", encode(t, "c.mp4", append(x264, "-an")...))
	process(t, f, worker(t, f))
	if r := f.Recordings(t)[0]; r.Status != "ready" {
		t.Errorf("status %s %q", r.Status, r.StatusReason)
	}
}

// histogram is the count and sum of the one histogram named name in reg.
func histogram(t *testing.T, reg *prometheus.Registry, name string) (uint64, float64) {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name && len(mf.GetMetric()) == 1 {
			h := mf.GetMetric()[0].GetHistogram()
			return h.GetSampleCount(), h.GetSampleSum()
		}
	}
	t.Fatalf("no histogram %s", name)
	return 0, 0
}
