// Package metrics serves standin's Prometheus metrics (GET /metrics on the
// console port): vendor requests by endpoint, status class and fault, their
// latency, the live namespaces, the journal's size, the database pool and
// the Go runtime. Endpoint labels are catalog endpoint ids, a bounded set;
// a request that names no catalogued endpoint counts as "other".
package metrics

import (
	"context"
	"database/sql"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/standin-dev/standin/internal/catalog"
	"github.com/standin-dev/standin/internal/httpx"
)

// Other is the endpoint label of requests that match no catalog endpoint.
const Other = "other"

// NoFault is the fault label of requests that no fault rule touched.
const NoFault = "none"

// Metrics is one standin's registry. Each App has its own, so that servers
// started side by side in tests count apart.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec

	mu     sync.Mutex
	routes map[string]*http.ServeMux // per vendor: catalog routes, to name endpoints
}

// Config is what the gauges read at scrape time.
type Config struct {
	DB *sql.DB
	// Namespaces counts the live namespaces.
	Namespaces func(ctx context.Context) (int, error)
	// JournalSize counts the journal's entries; nil leaves the gauge out.
	JournalSize func(ctx context.Context) (int, error)
}

// scrapeTimeout bounds the database queries that a scrape runs.
const scrapeTimeout = 2 * time.Second

// New makes the registry with every collector.
func New(cfg Config) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), routes: map[string]*http.ServeMux{}}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "standin_requests_total",
		Help: "Vendor API requests by vendor, catalog endpoint id, status class and injected fault.",
	}, []string{"vendor", "endpoint", "status_class", "fault"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "standin_request_duration_seconds",
		Help:    "Vendor API request latency by vendor and catalog endpoint id.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"vendor", "endpoint"})
	m.reg.MustRegister(m.requests, m.latency,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if cfg.DB != nil {
		m.reg.MustRegister(collectors.NewDBStatsCollector(cfg.DB, "standin"))
	}
	gauge := func(name, help string, fn func(ctx context.Context) (int, error)) {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
			defer cancel()
			n, err := fn(ctx)
			if err != nil {
				return -1 // the database did not answer; -1 is never a real count
			}
			return float64(n)
		}))
	}
	if cfg.Namespaces != nil {
		gauge("standin_namespaces", "Live namespaces.", cfg.Namespaces)
	}
	if cfg.JournalSize != nil {
		gauge("standin_journal_entries", "Requests kept in the journal.", cfg.JournalSize)
	}
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Registry is the registry, for callers that add collectors of their own.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

type record struct{ fault string }

type ctxKey struct{}

// SetFault labels the current request with the fault rule that shaped its
// answer ("latency", "status", …); the fault injector calls it.
func SetFault(ctx context.Context, kind string) {
	if rec, ok := ctx.Value(ctxKey{}).(*record); ok && kind != "" {
		rec.fault = kind
	}
}

// Wrap counts and times the requests of one vendor's port.
func (m *Metrics) Wrap(vendor string, next http.Handler) http.Handler {
	routes := m.catalogRoutes(vendor)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		endpoint := m.endpoint(vendor, routes, r)
		rec := &record{fault: NoFault}
		sw := &httpx.StatusWriter{ResponseWriter: w}
		start := time.Now()
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), ctxKey{}, rec)))
		status := sw.Status
		if status == 0 {
			status = http.StatusOK
		}
		m.latency.WithLabelValues(vendor, endpoint).Observe(time.Since(start).Seconds())
		m.requests.WithLabelValues(vendor, endpoint, statusClass(status), rec.fault).Inc()
	})
}

func statusClass(status int) string {
	if status < 100 || status > 599 {
		return "other"
	}
	return string(rune('0'+status/100)) + "xx"
}

// catalogRoutes builds a router of the vendor's catalogued routes, whose
// only use is to name the pattern that a request matches.
func (m *Metrics) catalogRoutes(vendor string) *http.ServeMux {
	m.mu.Lock()
	defer m.mu.Unlock()
	if mux, ok := m.routes[vendor]; ok {
		return mux
	}
	mux := http.NewServeMux()
	eps, _ := catalog.Endpoints(vendor)
	seen := map[string]bool{}
	for _, e := range eps {
		for _, p := range append([]string{e.Path}, e.PathAliases...) {
			if p == "" || e.Method == "" {
				continue
			}
			key := e.Method + " " + catalog.Normalize(p)
			if seen[key] {
				continue
			}
			seen[key] = true
			register(mux, e.Method+" "+strings.TrimSuffix(catalog.Normalize(p), "/")+"/{$}", e.ID)
			register(mux, e.Method+" "+strings.TrimSuffix(catalog.Normalize(p), "/"), e.ID)
		}
	}
	m.routes[vendor] = mux
	return mux
}

// register adds a naming route; a pattern that the mux refuses (a catalog
// path that is not a valid pattern, or one that clashes) is left out and
// its requests count as Other.
func register(mux *http.ServeMux, pattern, id string) {
	defer func() { _ = recover() }()
	mux.Handle(numbered(pattern), named(id))
}

// numbered gives each "{}" of a normalized path a distinct wildcard name.
func numbered(p string) string {
	var b strings.Builder
	n := 0
	for {
		i := strings.Index(p, "{}")
		if i < 0 {
			b.WriteString(p)
			return b.String()
		}
		b.WriteString(p[:i])
		b.WriteString("{p" + string(rune('a'+n%26)) + "}")
		n++
		p = p[i+2:]
	}
}

// named is a handler that only carries an endpoint id.
type named string

func (named) ServeHTTP(http.ResponseWriter, *http.Request) {}

// endpoint names the catalog endpoint of a request: Worksection's by its
// action, the others by their route, after the /ns/{id} prefix.
func (m *Metrics) endpoint(vendor string, routes *http.ServeMux, r *http.Request) string {
	if vendor == "worksection" {
		if a := r.URL.Query().Get("action"); a != "" {
			if id := catalog.ActionID(vendor, a); id != "" {
				return id
			}
		}
		return Other
	}
	path := r.URL.Path
	if rest, ok := strings.CutPrefix(path, "/ns/"); ok {
		_, tail, _ := strings.Cut(rest, "/")
		path = "/" + tail
	}
	u := *r.URL
	u.Path, u.RawPath = path, ""
	h, _ := routes.Handler(&http.Request{Method: r.Method, URL: &u, Host: r.Host})
	if id, ok := h.(named); ok {
		return string(id)
	}
	return Other
}
