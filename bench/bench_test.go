package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/testenv"
	"github.com/standin-dev/standin/internal/vendor"
)

func start(b *testing.B) *testenv.Env {
	return testenv.Start(b, func(db *store.DB, log *slog.Logger) []vendor.Vendor { return registry.All(db, log) })
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
	ns := env.NewNamespace(b, "empty")
	doc := `{"klipfolio":{"groups":[`
	for i := range 1000 {
		if i > 0 {
			doc += ","
		}
		doc += fmt.Sprintf(`{"id":"g%04d","name":"Group %d","description":"benchmark group"}`, i, i)
	}
	doc += `]}}`
	env.Do(b, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/seed", doc, nil).Decode(b, 200, nil)
	key := ns.Cred("klipfolio", "api_key")
	url := ns.BaseURL("klipfolio") + "/api/1/groups?limit=100&offset=500"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequestWithContext(context.Background(), "GET", url, nil)
			req.Header.Set("kf-api-key", key)
			res, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				b.Errorf("status %d", res.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
