package standintest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/standin-dev/standin/internal/testenv"
	"github.com/standin-dev/standin/standintest"
)

// recorder is a testing.TB that keeps the errors reported to it.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestRequestsVerifyFault(t *testing.T) {
	srv := standintest.New(t, standintest.Options{DB: testenv.DSN(t), DefaultSeed: "empty"})
	ns := srv.NewNamespace(t, "docs")
	other := srv.NewNamespace(t, "docs")
	client := ns.HTTPClient()
	key := ns.Credential(standintest.Klipfolio, "api_key")
	for range 2 {
		if code, _ := get(t, client, ns.BaseURL(standintest.Klipfolio)+"/api/1/groups", "kf-api-key", key); code != 200 {
			t.Fatalf("list groups: %d", code)
		}
	}
	get(t, client, ns.BaseURL(standintest.Klipfolio)+"/api/1/groups", "kf-api-key", "wrong")
	get(t, client, ns.BaseURL(standintest.WorkDrive)+"/api/users", "X-API-KEY", ns.Credential(standintest.WorkDrive, "api_key"))

	t.Run("requests", func(t *testing.T) {
		tests := []struct {
			name   string
			filter standintest.RequestFilter
			want   []string
		}{
			{"all, newest first", standintest.RequestFilter{},
				[]string{"GET /api/users 200", "GET /api/1/groups 401", "GET /api/1/groups 200", "GET /api/1/groups 200"}},
			{"vendor", standintest.RequestFilter{Vendor: standintest.WorkDrive}, []string{"GET /api/users 200"}},
			{"status class", standintest.RequestFilter{Status: "4xx"}, []string{"GET /api/1/groups 401"}},
			{"endpoint and limit", standintest.RequestFilter{Endpoint: "klipfolio.groups.*", Status: "200", Limit: 1},
				[]string{"GET /api/1/groups 200"}},
			{"path glob", standintest.RequestFilter{Path: "/api/1/*"},
				[]string{"GET /api/1/groups 401", "GET /api/1/groups 200", "GET /api/1/groups 200"}},
			{"none", standintest.RequestFilter{Method: "DELETE"}, nil},
		}
		for _, tt := range tests {
			var got []string
			for _, r := range ns.Requests(tt.filter) {
				got = append(got, fmt.Sprintf("%s %s %d", r.Method, r.Path, r.Status))
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
			}
		}
		if got := other.Requests(standintest.RequestFilter{}); len(got) != 0 {
			t.Errorf("another namespace's journal holds %d requests", len(got))
		}
	})

	t.Run("verify", func(t *testing.T) {
		tests := []struct {
			name    string
			e       standintest.Expectation
			matched bool
			count   int
		}{
			{"at least one", standintest.Expectation{Endpoint: "klipfolio.groups.list"}, true, 3},
			{"exactly", standintest.Expectation{Vendor: standintest.WorkDrive, Path: "/api/users", Count: standintest.Times(1)}, true, 1},
			{"too few", standintest.Expectation{Endpoint: "klipfolio.groups.list", AtLeast: standintest.Times(5)}, false, 3},
			{"too many", standintest.Expectation{Method: "GET", Path: "/api/1/groups", AtMost: standintest.Times(1)}, false, 3},
			{"none such", standintest.Expectation{Method: "POST", Path: "/api/1/groups"}, false, 0},
		}
		for _, tt := range tests {
			rec := &recorder{TB: t}
			v := ns.Verify(rec, tt.e)
			if v.Matched != tt.matched || v.Count != tt.count || (len(rec.errs) == 0) != tt.matched {
				t.Errorf("%s: matched %v count %d errors %q, want %v %d", tt.name, v.Matched, v.Count, rec.errs, tt.matched, tt.count)
			}
		}
		// A near miss names what differs.
		rec := &recorder{TB: t}
		v := ns.Verify(rec, standintest.Expectation{Method: "POST", Path: "/api/1/groups"})
		if len(v.NearMisses) == 0 || len(rec.errs) != 1 || !strings.Contains(rec.errs[0], "near miss: GET /api/1/groups") {
			t.Errorf("near misses %+v, error %q", v.NearMisses, rec.errs)
		}
	})

	t.Run("fault", func(t *testing.T) {
		p := 1.0
		rule := ns.Fault(standintest.FaultRule{Vendor: standintest.Klipfolio, Method: "GET", Path: "/api/1/groups",
			Probability: &p, Times: 1, Action: &standintest.FaultAction{Status: 429, RetryAfter: 7}})
		if rule.ID == 0 || rule.Times != 1 || rule.Action == nil || rule.Action.Status != 429 {
			t.Fatalf("rule as stored: %+v", rule)
		}
		code, _ := get(t, client, ns.BaseURL(standintest.Klipfolio)+"/api/1/groups", "kf-api-key", key)
		again, _ := get(t, client, ns.BaseURL(standintest.Klipfolio)+"/api/1/groups", "kf-api-key", key)
		if code != http.StatusTooManyRequests || again != 200 {
			t.Errorf("statuses %d then %d, want 429 then 200", code, again)
		}
		faulted := ns.Requests(standintest.RequestFilter{Status: "429"})
		if len(faulted) != 1 || faulted[0].Fault == nil || faulted[0].Fault.Rule != rule.ID || faulted[0].Fault.Action != "status" {
			t.Errorf("journal of the faulted request: %+v", faulted)
		}
		list := ns.Faults()
		if len(list) != 1 || list[0].Applied != 1 || !list[0].Expired {
			t.Errorf("faults: %+v", list)
		}
		slow := ns.Fault(standintest.FaultRule{Vendor: standintest.WorkDrive, Probability: new(float64),
			Action: &standintest.FaultAction{Latency: &standintest.Latency{P50: 5e6, P99: 9e7}}})
		if slow.Action.Latency == nil || slow.Action.Latency.P99 != 9e7 {
			t.Errorf("latency rule as stored: %+v", slow.Action)
		}
		ns.ClearFaults()
		if list := ns.Faults(); len(list) != 0 {
			t.Errorf("faults after clear: %+v", list)
		}
		ns.ClearRequests()
		if got := ns.Requests(standintest.RequestFilter{}); len(got) != 0 {
			t.Errorf("%d requests after clear", len(got))
		}
	})
}
