package metrics_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/testenv"
)

// scrape reads /metrics through the Prometheus text parser.
func scrape(t *testing.T, env *testenv.Env) map[string]*dto.MetricFamily {
	t.Helper()
	res := env.Do(t, "GET", env.Control+"/metrics", nil, nil)
	if res.StatusCode != 200 {
		t.Fatalf("GET /metrics: %d %s", res.StatusCode, res.Body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(res.Body))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, res.Body)
	}
	return fams
}

// value finds the sample of a family whose labels include want.
func value(fams map[string]*dto.MetricFamily, name string, want map[string]string) (float64, bool) {
	f, ok := fams[name]
	if !ok {
		return 0, false
	}
next:
	for _, m := range f.Metric {
		labels := map[string]string{}
		for _, l := range m.Label {
			labels[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if labels[k] != v {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		}
	}
	return 0, false
}

func TestMetrics(t *testing.T) {
	env := testenv.Start(t, registry.All)
	ns := env.NewNamespace(t, "docs")
	env.NewNamespace(t, "empty")
	key := http.Header{"kf-api-key": {ns.Cred("klipfolio", "api_key")}}
	for range 3 {
		env.Do(t, "GET", ns.BaseURL("klipfolio")+"/api/1/groups", nil, key).Decode(t, 200, nil)
	}
	env.Do(t, "GET", ns.BaseURL("klipfolio")+"/api/1.0/groups", nil, key).Decode(t, 200, nil)
	for range 2 {
		env.Do(t, "GET", ns.BaseURL("klipfolio")+"/api/1/groups", nil, http.Header{"kf-api-key": {"wrong"}}).Decode(t, 401, nil)
	}
	env.Do(t, "GET", env.URLs["klipfolio"]+"/api/1/no/such/thing", nil, key)
	env.Do(t, "GET", ns.BaseURL("worksection")+"/api/admin/v2/?action=get_users&hash=wrong", nil, nil)
	env.Do(t, "GET", ns.BaseURL("workdrive")+"/api/users", nil, http.Header{"X-API-KEY": {ns.Cred("workdrive", "api_key")}}).Decode(t, 200, nil)
	// A fault rule that fires once labels its request.
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/faults", map[string]any{"vendor": "klipfolio",
		"endpoint": "klipfolio.groups.list", "times": 1, "action": map[string]any{"status": 503}}, nil).Decode(t, 201, nil)
	env.Do(t, "GET", ns.BaseURL("klipfolio")+"/api/1/groups", nil, key).Decode(t, 503, nil)

	fams := scrape(t, env)
	tests := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"standin_requests_total", map[string]string{"vendor": "klipfolio", "endpoint": "klipfolio.groups.list", "status_class": "2xx", "fault": "none"}, 4},
		{"standin_requests_total", map[string]string{"vendor": "klipfolio", "endpoint": "klipfolio.groups.list", "status_class": "4xx"}, 2},
		{"standin_requests_total", map[string]string{"vendor": "klipfolio", "endpoint": "other"}, 1},
		{"standin_requests_total", map[string]string{"vendor": "worksection", "endpoint": "worksection.get_users"}, 1},
		{"standin_requests_total", map[string]string{"vendor": "workdrive", "endpoint": "workdrive.users.list", "status_class": "2xx"}, 1},
		{"standin_request_duration_seconds", map[string]string{"vendor": "klipfolio", "endpoint": "klipfolio.groups.list"}, 7},
		{"standin_namespaces", nil, 3},
		{"standin_requests_total", map[string]string{"vendor": "klipfolio", "endpoint": "klipfolio.groups.list", "status_class": "5xx", "fault": "status"}, 1},
		// Every request that reached a vendor port is in a journal.
		{"standin_journal_entries", nil, 10},
	}
	for _, tt := range tests {
		got, ok := value(fams, tt.name, tt.labels)
		if !ok || got != tt.want {
			t.Errorf("%s%v = %v (found %v), want %v", tt.name, tt.labels, got, ok, tt.want)
		}
	}
	for _, name := range []string{"go_goroutines", "go_memstats_alloc_bytes", "go_sql_open_connections", "go_sql_max_open_connections"} {
		if _, ok := fams[name]; !ok {
			t.Errorf("%s missing", name)
		}
	}
	// Endpoint labels are catalog ids (or "other"): never raw paths.
	for _, m := range fams["standin_requests_total"].Metric {
		for _, l := range m.Label {
			if l.GetName() == "endpoint" && strings.Contains(l.GetValue(), "/") {
				t.Errorf("endpoint label is a path: %s", l.GetValue())
			}
		}
	}
}
