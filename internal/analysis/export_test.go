package analysis

import "github.com/prometheus/client_golang/prometheus"

// AnalysedCounter is the counter of one result, for the tests.
func AnalysedCounter(m *Metrics, result string) prometheus.Counter {
	return m.analysed.WithLabelValues(result)
}
