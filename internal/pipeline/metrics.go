package pipeline

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are what the processing worker tells Prometheus. A nil *Metrics
// counts nothing (workers built without them, as in tests).
type Metrics struct {
	processed *prometheus.CounterVec
	seconds   prometheus.Histogram
}

// NewMetrics makes the processing metrics and registers them with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		processed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cam2drive_recordings_processed_total",
			Help: "Recordings whose processing ended, by result (ready or failed).",
		}, []string{"result"}),
		seconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "cam2drive_recording_process_seconds",
			Help:    "Time of the processing run that made a recording ready or failed.",
			Buckets: []float64{.1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600},
		}),
	}
	// Both results are listed from the start, at 0.
	m.processed.WithLabelValues("ready")
	m.processed.WithLabelValues("failed")
	reg.MustRegister(m.processed, m.seconds)
	return m
}

// done counts a recording that ended with status after took.
func (m *Metrics) done(status string, took time.Duration) {
	if m == nil {
		return
	}
	m.processed.WithLabelValues(status).Inc()
	m.seconds.Observe(took.Seconds())
}
