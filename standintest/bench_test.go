package standintest_test

import (
	"sort"
	"testing"
	"time"

	"github.com/standin-dev/standin/standintest"
)

func reportP50(b *testing.B, ds []time.Duration) {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	if len(ds) > 0 {
		b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "p50-ms")
	}
}

// BenchmarkStart measures a server start on "memory" with the empty default
// seed, every vendor served (the goal: ≤ 20 ms).
func BenchmarkStart(b *testing.B) {
	var ds []time.Duration
	for b.Loop() {
		t0 := time.Now()
		srv, err := standintest.Start(standintest.Options{DB: "memory", DefaultSeed: "empty"})
		ds = append(ds, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		srv.Close()
		b.StartTimer()
	}
	reportP50(b, ds)
}

// BenchmarkNewNamespace measures making a namespace on "memory", by seed
// (the goal for empty: ≤ 5 ms).
func BenchmarkNewNamespace(b *testing.B) {
	srv, err := standintest.Start(standintest.Options{DB: "memory", DefaultSeed: "empty"})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	for _, seed := range []string{"empty", "demo", "docs"} {
		b.Run(seed, func(b *testing.B) {
			srv.NewNamespace(b, seed) // warm: password hashes are memoised
			var ds []time.Duration
			for b.Loop() {
				t0 := time.Now()
				srv.NewNamespace(b, seed)
				ds = append(ds, time.Since(t0))
			}
			reportP50(b, ds)
		})
	}
}
