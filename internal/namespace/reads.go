package namespace

import (
	"context"
	"sync"
	"sync/atomic"
)

// Kept reads. A vendor wraps a read of its tables in Remember, and the
// namespace's next requests get the kept value for as long as the
// namespace's generation (Version, CreatedAt, DataVersion, Epoch) is the
// one it was read in. Every write is counted in that generation
// (store/track.go), whichever process made it, so a kept read never
// outlives a change: the first request after it reads again.
//
// Values are shared between requests: callers never change what Remember
// returns (the load returns a copy where they would). Nothing that depends
// on the time (the clock moves without a write) or on the request (BaseURL)
// is kept; keys are per namespace, and nothing is kept across namespaces.

const (
	// maxReads bounds one namespace's kept reads; past it the namespace
	// starts over.
	maxReads = 256
	// maxReadsTotal bounds the whole process's.
	maxReadsTotal = 65536
)

// readsTotal counts the kept reads of every namespace.
var readsTotal atomic.Int64

// generation is what a kept read is valid for.
type generation struct{ version, created, dataVersion, epoch int64 }

func (n *Namespace) generation() generation {
	return generation{n.Version, n.CreatedAt.UnixMilli(), n.DataVersion, n.Epoch}
}

// reads is one namespace's kept reads, shared by the copies that a Cache
// hands out.
type reads struct {
	mu  sync.Mutex
	gen generation
	m   map[string]any
}

func (r *reads) get(g generation, key string) (any, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.gen != g {
		return nil, false
	}
	v, ok := r.m[key]
	return v, ok
}

func (r *reads) put(g generation, key string, v any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.gen != g || len(r.m) >= maxReads || readsTotal.Load() >= maxReadsTotal {
		// Another generation (a write since, or a request that raced
		// one), or full: start over.
		r.clearLocked()
		r.gen = g
	}
	if readsTotal.Load() >= maxReadsTotal {
		return // the other namespaces hold the process's share
	}
	if r.m == nil {
		r.m = map[string]any{}
	}
	if _, ok := r.m[key]; !ok {
		readsTotal.Add(1)
	}
	r.m[key] = v
}

func (r *reads) clearLocked() {
	readsTotal.Add(-int64(len(r.m)))
	r.m = nil
}

// drop forgets every kept read (the namespace left the cache).
func (r *reads) drop() {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.clearLocked()
	r.mu.Unlock()
}

// Remember returns the value kept under key for the context's namespace in
// its current generation, else load's, which it keeps. Errors are not
// kept. Without a cached namespace in ctx it just loads.
func Remember[T any](ctx context.Context, key string, load func() (T, error)) (T, error) {
	n, _ := ctx.Value(ctxKey{}).(*Namespace)
	if n == nil || n.reads == nil {
		return load()
	}
	g := n.generation()
	if v, ok := n.reads.get(g, key); ok {
		return v.(T), nil
	}
	v, err := load()
	if err == nil {
		n.reads.put(g, key, v)
	}
	return v, err
}
