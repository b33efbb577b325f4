package bench

import (
	"context"
	"fmt"
	"net/http"
	"testing"
)

// BenchmarkKlipfolioListJournal measures GET /api/1/groups throughput (as
// BenchmarkKlipfolioListGroups: 1,000 groups, pages of 100, concurrent
// clients) with the request journal off and on. The journal's goal is a
// drop of at most 15%: it captures on the request path and writes in
// batches in the background.
func BenchmarkKlipfolioListJournal(b *testing.B) {
	env := start(b)
	list := newGroupList(b, env)
	// Warm up (connections, caches), so the first mode measured is not
	// the slower for going first.
	for range 200 {
		env.Do(b, "GET", list.url, nil, http.Header{"Kf-Api-Key": {list.key}}).Decode(b, 200, nil)
	}
	for _, mode := range []string{"off", "on"} {
		b.Run("journal="+mode, func(b *testing.B) {
			env.Do(b, "PATCH", env.Control+"/_standin/namespaces/"+list.ns+"/settings/journal",
				fmt.Sprintf(`{"enabled":%v}`, mode == "on"), nil).Decode(b, 200, nil)
			b.SetParallelism(4)
			b.ResetTimer()
			cpu0 := cpuTime()
			list.runParallel(b, "GET", list.url, nil, http.StatusOK)
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
