package testenv

import (
	"io"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// Repeat returns an endless reader cycling over b; wrap it in
// io.LimitReader to stream a large body without holding it in memory.
func Repeat(b []byte) io.Reader {
	return readerFunc(func(p []byte) (int, error) {
		n := 0
		for n < len(p) {
			n += copy(p[n:], b)
		}
		return n, nil
	})
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// WatchHeap samples the Go heap in use until the test or benchmark ends and
// returns a function giving its high-water mark in bytes, so that streaming
// benchmarks can report peak memory.
func WatchHeap(tb testing.TB) func() uint64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	tb.Cleanup(func() { close(done) })
	go func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return peak.Load
}
