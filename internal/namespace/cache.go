package namespace

import (
	"context"
	"database/sql"
	"errors"
	"maps"
	"sync"

	"github.com/standin-dev/standin/internal/store"
)

// Cache keeps each namespace's row in memory, so that a request reads one
// number (the row's version) instead of the row, its settings and its
// JSON. Every change to a namespace row raises its version (Update,
// SetFixtures, Touch) and a delete removes the row, so each Get sees a
// change at once, whichever process on the database made it. The cache is
// keyed by id and never answers for another namespace.
type Cache struct {
	mu sync.RWMutex
	m  map[string]*Namespace
}

// maxCached bounds the cache; past it the cache starts over (namespaces
// made per test come and go).
const maxCached = 4096

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{m: map[string]*Namespace{}} }

// Get returns namespace id as the database holds it now: the cached copy
// when its version is current, else the row, read again. The caller gets
// its own copy, which it may change.
func (c *Cache) Get(ctx context.Context, q store.Querier, id string) (*Namespace, error) {
	var version int64
	err := q.QueryRowContext(ctx, `SELECT version FROM standin_namespaces WHERE id = $1`, id).Scan(&version)
	if errors.Is(err, sql.ErrNoRows) {
		c.Forget(id)
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	c.mu.RLock()
	n, ok := c.m[id]
	c.mu.RUnlock()
	if ok && n.Version == version {
		cp := *n
		cp.Settings, cp.Keys, cp.Labels = maps.Clone(n.Settings), maps.Clone(n.Keys), maps.Clone(n.Labels)
		return &cp, nil
	}
	n, err = Get(ctx, q, id)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			c.Forget(id)
		}
		return nil, err
	}
	kept := *n
	kept.Clock, kept.BaseURL = nil, ""
	kept.Settings, kept.Keys, kept.Labels = maps.Clone(n.Settings), maps.Clone(n.Keys), maps.Clone(n.Labels)
	kept.creds = new(sync.Map)
	c.mu.Lock()
	if len(c.m) >= maxCached {
		clear(c.m)
	}
	if old, ok := c.m[id]; !ok || old.Version <= kept.Version {
		c.m[id] = &kept
	}
	c.mu.Unlock()
	return n, nil
}

// Forget drops a namespace from the cache (it was deleted or changed).
func (c *Cache) Forget(id string) {
	c.mu.Lock()
	delete(c.m, id)
	c.mu.Unlock()
}
