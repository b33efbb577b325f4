package control

import "net/http"

// metricsRoutes registers GET /metrics, the Prometheus text format.
func (s *server) metricsRoutes(mux *http.ServeMux) {
	mux.Handle("GET /metrics", s.app.Metrics().Handler())
}
