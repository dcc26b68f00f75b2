package analysis

import (
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
)

// Metrics are what the analysis worker tells Prometheus. A nil *Metrics
// counts nothing (workers built without them, as in tests).
type Metrics struct {
	analysed *prometheus.CounterVec
	seconds  prometheus.Histogram
	fps      prometheus.Gauge
	backlog  prometheus.Gauge
}

// Results of an analysis, the values of the result label.
const (
	resultOK        = "ok"        // detections saved
	resultCancelled = "cancelled" // the media cannot be read: not retried
	resultError     = "error"     // storage, database or detector: retried
)

// NewMetrics makes the analysis metrics and registers them with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		analysed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cam2drive_recordings_analysed_total",
			Help: "Analysis runs, by result: ok, cancelled (the media cannot be read) or error (retried).",
		}, []string{"result"}),
		seconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "cam2drive_analysis_seconds",
			Help:    "Time of an analysis run, whatever its result.",
			Buckets: []float64{.25, .5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600},
		}),
		fps: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "cam2drive_analysis_sampling_fps",
			Help: "Frames per second the last analysis sampled, as the pace chose for the backlog (0: key frames only).",
		}),
		backlog: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "cam2drive_analysis_backlog",
			Help: "Analysis jobs queued when the last analysis started.",
		}),
	}
	for _, r := range []string{resultOK, resultCancelled, resultError} {
		m.analysed.WithLabelValues(r)
	}
	reg.MustRegister(m.analysed, m.seconds, m.fps, m.backlog)
	return m
}

// started records the backlog the worker saw and the rate it chose.
func (m *Metrics) started(backlog int, rate float64) {
	if m == nil {
		return
	}
	m.backlog.Set(float64(backlog))
	m.fps.Set(rate)
}

// done counts an analysis that ended with result after took.
func (m *Metrics) done(result string, took time.Duration) {
	if m == nil {
		return
	}
	m.analysed.WithLabelValues(result).Inc()
	m.seconds.Observe(took.Seconds())
}

// resultOf is the metrics' result of a run that returned err to River.
func resultOf(err error) string {
	var cancel *river.JobCancelError
	switch {
	case err == nil:
		return resultOK
	case errors.As(err, &cancel):
		return resultCancelled
	}
	return resultError
}
