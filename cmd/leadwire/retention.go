package main

import "github.com/prometheus/client_golang/prometheus"

// retentionMetrics counts what the retention job removed, on /metrics.
type retentionMetrics struct {
	removed *prometheus.CounterVec
}

func newRetentionMetrics(r prometheus.Registerer) *retentionMetrics {
	m := &retentionMetrics{removed: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "leadwire_retention_removed_total", Help: "Personal data removed by the retention settings, by what it was.",
	}, []string{"what"})}
	r.MustRegister(m.removed)
	return m
}

// Removed implements core.RetentionCounter.
func (m *retentionMetrics) Removed(what string, n int64) {
	m.removed.WithLabelValues(what).Add(float64(n))
}
