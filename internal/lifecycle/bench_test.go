package lifecycle_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/standin-dev/standin/internal/app"
	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/testenv"
)

// p50 reports the median of the measured durations as "p50-ms".
func p50(b *testing.B, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "p50-ms")
}

// BenchmarkLifecycle measures snapshot, restore and fork of a namespace
// seeded with "docs" (the goal: each ≤ 10 ms p50 on SQLite).
func BenchmarkLifecycle(b *testing.B) {
	env := testenv.Start(b, registry.All)
	ctx := context.Background()
	ns := env.NewNamespace(b, "docs")
	snap, err := env.App.CreateSnapshot(ctx, ns.ID, "base")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("snapshot", func(b *testing.B) {
		var ds []time.Duration
		for b.Loop() {
			t0 := time.Now()
			s, err := env.App.CreateSnapshot(ctx, ns.ID, "")
			ds = append(ds, time.Since(t0))
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if err := env.App.DeleteSnapshot(ctx, ns.ID, s.ID); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		p50(b, ds)
	})
	b.Run("restore", func(b *testing.B) {
		var ds []time.Duration
		for b.Loop() {
			t0 := time.Now()
			if _, err := env.App.RestoreSnapshot(ctx, ns.ID, snap.ID); err != nil {
				b.Fatal(err)
			}
			ds = append(ds, time.Since(t0))
		}
		p50(b, ds)
	})
	b.Run("fork", func(b *testing.B) {
		var ds []time.Duration
		for b.Loop() {
			t0 := time.Now()
			f, err := env.App.Fork(ctx, app.ForkOptions{From: ns.ID})
			ds = append(ds, time.Since(t0))
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if err := env.App.DeleteNamespace(ctx, f.ID); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		p50(b, ds)
	})
}
