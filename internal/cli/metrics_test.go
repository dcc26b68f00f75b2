package cli

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cam2drive/cam2drive/internal/config"
)

// GET /metrics on the server serve builds lists the media pipeline's and
// the analysis's metrics beside the HTTP ones, before any job ran.
func TestMetricsListThePipelineAndTheAnalysis(t *testing.T) {
	a, err := build(context.Background(), config.Config{DataDir: t.TempDir()}, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	srv := httptest.NewServer(a.apiServer().Handler())
	defer srv.Close()
	b := getMetrics(t, srv.URL)
	for _, want := range []string{
		`cam2drive_recordings_processed_total{result="ready"} 0`,
		`cam2drive_recordings_processed_total{result="failed"} 0`,
		"cam2drive_recording_process_seconds_count 0",
		"cam2drive_av_fallbacks_total 0",
		`cam2drive_recordings_analysed_total{result="ok"} 0`,
		`cam2drive_recordings_analysed_total{result="cancelled"} 0`,
		`cam2drive_recordings_analysed_total{result="error"} 0`,
		"cam2drive_analysis_seconds_count 0",
		"cam2drive_analysis_sampling_fps 0",
		"cam2drive_analysis_backlog 0",
	} {
		if !strings.Contains(b, "\n"+want+"\n") {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// The AV pool serve's workers share counts its fallbacks there.
	if a.tools.AV == nil || a.tools.AV.Fallback == nil {
		t.Fatal("no AV pool, or one without its fallback counter")
	}
	a.tools.AV.Fallback()
	if b := getMetrics(t, srv.URL); !strings.Contains(b, "\ncam2drive_av_fallbacks_total 1\n") {
		t.Errorf("/metrics after a fallback lacks cam2drive_av_fallbacks_total 1")
	}
}

func getMetrics(t *testing.T, url string) string {
	t.Helper()
	res, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %d %v", res.StatusCode, err)
	}
	return string(b)
}
