package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// BenchmarkKlipfolioListJournal measures GET /api/1/groups throughput (as
// BenchmarkKlipfolioListGroups: 1,000 groups, pages of 100, concurrent
// clients) with the request journal off and on. The journal's goal is a
// drop of at most 15%: it captures on the request path and writes in
// batches in the background.
func BenchmarkKlipfolioListJournal(b *testing.B) {
	env := start(b)
	ns := env.NewNamespace(b, "empty")
	var doc strings.Builder
	doc.WriteString(`{"klipfolio":{"groups":[`)
	for i := range 1000 {
		if i > 0 {
			doc.WriteString(",")
		}
		fmt.Fprintf(&doc, `{"id":"g%04d","name":"Group %d","description":"benchmark group"}`, i, i)
	}
	doc.WriteString(`]}}`)
	env.Do(b, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/seed", doc.String(), nil).Decode(b, 200, nil)
	key := ns.Cred("klipfolio", "api_key")
	url := ns.BaseURL("klipfolio") + "/api/1/groups?limit=100&offset=500"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	// Warm up (connections, caches), so the first mode measured is not
	// the slower for going first.
	for range 200 {
		env.Do(b, "GET", url, nil, http.Header{"Kf-Api-Key": {key}}).Decode(b, 200, nil)
	}
	for _, mode := range []string{"off", "on"} {
		b.Run("journal="+mode, func(b *testing.B) {
			env.Do(b, "PATCH", env.Control+"/_standin/namespaces/"+ns.ID+"/settings/journal",
				fmt.Sprintf(`{"enabled":%v}`, mode == "on"), nil).Decode(b, 200, nil)
			b.SetParallelism(4)
			b.ResetTimer()
			cpu0 := cpuTime()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequestWithContext(context.Background(), "GET", url, nil)
					req.Header.Set("kf-api-key", key)
					res, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != 200 {
						b.Errorf("status %d", res.StatusCode)
						return
					}
				}
			})
			// The writer's last batch counts towards the run.
			if err := env.App.Journal().Flush(context.Background()); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
			// CPU per request, client and server together (the writer's
			// batches included): steadier than req/s on a busy machine.
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/req")
		})
	}
}
