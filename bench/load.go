// Package bench holds standin's speed benchmarks across the whole server:
// the load generator and the table of issue 11 (TestTable, run by
// ./bench/run), and go test -bench benchmarks of single operations.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Load is a closed-loop load generator in the spirit of wrk -c: Workers
// clients each send one request, wait for the whole answer and send the
// next, until Duration has passed. It only talks to loopback addresses.
type Load struct {
	Workers  int
	Duration time.Duration
	// Request builds each request (it is called concurrently).
	Request func() (*http.Request, error)
	// Status is the status every answer must have (200 when zero).
	Status int
}

// Result is what a Load run measured.
type Result struct {
	Requests int64
	Elapsed  time.Duration
	// P50 is the median latency of the requests.
	P50 time.Duration
}

// PerSecond is the throughput in requests per second.
func (r Result) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Loopback refuses any URL whose host is not a loopback address, so that
// the benchmark never loads another machine.
func Loopback(u string) error {
	p, err := url.Parse(u)
	if err != nil {
		return err
	}
	ip := net.ParseIP(p.Hostname())
	if p.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("bench: %s is not a loopback address", u)
	}
	return nil
}

// Run drives the load and returns its result; the first failed request
// (transport error or unexpected status) ends the run with an error.
func (l Load) Run(ctx context.Context) (Result, error) {
	workers := max(l.Workers, 1)
	want := l.Status
	if want == 0 {
		want = http.StatusOK
	}
	tr := &http.Transport{MaxIdleConns: workers, MaxIdleConnsPerHost: workers, DisableCompression: true}
	defer tr.CloseIdleConnections()
	// Requests in flight at the deadline finish (so that every worker
	// completes at least one); a stuck one ends at the timeout.
	client := &http.Client{Transport: tr, Timeout: time.Minute}
	var (
		count    atomic.Int64
		stop     atomic.Bool
		mu       sync.Mutex
		firstErr error
		lats     = make([][]time.Duration, workers)
		wg       sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		stop.Store(true)
	}
	start := time.Now()
	deadline := start.Add(l.Duration)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() && ctx.Err() == nil && (len(lats[w]) == 0 || time.Now().Before(deadline)) {
				req, err := l.Request()
				if err != nil {
					fail(err)
					return
				}
				if err := Loopback(req.URL.String()); err != nil {
					fail(err)
					return
				}
				t0 := time.Now()
				res, err := client.Do(req.WithContext(ctx))
				if err != nil {
					fail(err)
					return
				}
				_, err = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if err != nil {
					fail(err)
					return
				}
				if res.StatusCode != want {
					fail(fmt.Errorf("bench: %s %s: status %d, want %d", req.Method, req.URL, res.StatusCode, want))
					return
				}
				lats[w] = append(lats[w], time.Since(t0))
				count.Add(1)
			}
		}()
	}
	wg.Wait()
	res := Result{Requests: count.Load(), Elapsed: time.Since(start)}
	if firstErr != nil {
		return res, firstErr
	}
	if res.Requests == 0 {
		return res, errors.New("bench: no request finished")
	}
	all := slices.Concat(lats...)
	slices.Sort(all)
	res.P50 = all[len(all)/2]
	return res, nil
}

// Bare serves the same bytes for every request, as a bare Go net/http
// server would: the reference that standin's throughput is compared to.
func Bare(contentType string, body []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			_, _ = io.Copy(io.Discard, r.Body)
		}
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write(body)
	})
}

// Stats are the minimum, median and maximum of a few repetitions.
type Stats struct{ Min, Median, Max float64 }

// Summarize computes Stats over xs (which it sorts).
func Summarize(xs []float64) Stats {
	if len(xs) == 0 {
		return Stats{}
	}
	slices.Sort(xs)
	return Stats{Min: xs[0], Median: xs[len(xs)/2], Max: xs[len(xs)-1]}
}
