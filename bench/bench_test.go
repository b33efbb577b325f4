package bench

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/testenv"
)

func start(b *testing.B) *testenv.Env {
	return testenv.Start(b, registry.All)
}

// BenchmarkCreateNamespace measures POST /_standin/namespaces end to end:
// one HTTP request that creates and seeds a namespace for every vendor.
func BenchmarkCreateNamespace(b *testing.B) {
	env := start(b)
	for _, seed := range []string{"empty", "demo", "docs"} {
		b.Run(seed, func(b *testing.B) {
			env.NewNamespace(b, seed) // warm: password hashes are memoised
			b.ResetTimer()
			for b.Loop() {
				env.NewNamespace(b, seed)
			}
		})
	}
}

// BenchmarkKlipfolioListGroups measures GET /api/1/groups throughput with
// concurrent clients, on a namespace holding 1,000 groups (pages of 100).
func BenchmarkKlipfolioListGroups(b *testing.B) {
	env := start(b)
	list := newGroupList(b, env)
	b.SetParallelism(4)
	b.ResetTimer()
	list.runParallel(b, "GET", list.url, nil, http.StatusOK)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkKlipfolioCreateGroup measures POST /api/1/groups throughput
// with concurrent clients (issue 11's POST row, for profiling).
func BenchmarkKlipfolioCreateGroup(b *testing.B) {
	env := start(b)
	list := newGroupList(b, env)
	body := []byte(`{"name": "Bench group", "description": "made by the benchmark"}`)
	b.SetParallelism(4)
	b.ResetTimer()
	list.runParallel(b, "POST", env.URLs["klipfolio"]+"/ns/"+list.ns+"/api/1/groups", body, http.StatusCreated)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// groupList is GET /api/1/groups on a namespace seeded with 1,000 groups,
// a page of 100 from the middle, sent by one pooled client.
type groupList struct {
	ns, url, key string
	client       *http.Client
}

func newGroupList(b *testing.B, env *testenv.Env) *groupList {
	ns := env.NewNamespace(b, "empty")
	doc := testenv.KlipfolioGroups(1000, "g%04d", "Group %d", "benchmark group")
	env.Do(b, "POST", env.NamespaceURL(ns)+"/seed", doc, nil).Decode(b, 200, nil)
	return &groupList{
		ns:     ns.ID,
		url:    ns.BaseURL("klipfolio") + "/api/1/groups?limit=100&offset=500",
		key:    ns.Cred("klipfolio", "api_key"),
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}},
	}
}

// runParallel sends a request b.N times from concurrent goroutines, with
// the namespace's API key, and fails b on any answer but want.
func (l *groupList) runParallel(b *testing.B, method, url string, body []byte, want int) {
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequestWithContext(context.Background(), method, url, bytes.NewReader(body))
			req.Header.Set("kf-api-key", l.key)
			req.Header.Set("Content-Type", "application/json")
			res, err := l.client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != want {
				b.Errorf("status %d", res.StatusCode)
				return
			}
		}
	})
}
