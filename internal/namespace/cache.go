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
//
// The same read returns the namespace's counted writes (data_version, and
// the epoch that keyless writes raise), which decide whether the reads
// that Remember kept are still current.
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
	// One query for the row's version and creation time (a namespace
	// deleted and made again under the same id starts over at version 1)
	// and the counted writes.
	var version, created, dataVersion, epoch int64
	err := q.QueryRowContext(ctx, `SELECT n.version, n.created_at, n.data_version, e.value
		FROM standin_namespaces n CROSS JOIN standin_data_epoch e WHERE n.id = $1 AND e.id = 1`, id).
		Scan(&version, &created, &dataVersion, &epoch)
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
	if ok && n.Version == version && n.CreatedAt.UnixMilli() == created {
		cp := *n
		cp.Settings, cp.Keys, cp.Labels = maps.Clone(n.Settings), maps.Clone(n.Keys), maps.Clone(n.Labels)
		cp.DataVersion, cp.Epoch = dataVersion, epoch
		return &cp, nil
	}
	n, err = Get(ctx, q, id)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			c.Forget(id)
		}
		return nil, err
	}
	// The counted writes were read before the row: reads kept under them
	// may be newer than they say, never older.
	n.DataVersion, n.Epoch = dataVersion, epoch
	n.reads = new(reads)
	kept := *n
	kept.Clock, kept.BaseURL = nil, ""
	kept.Settings, kept.Keys, kept.Labels = maps.Clone(n.Settings), maps.Clone(n.Keys), maps.Clone(n.Labels)
	kept.creds = new(sync.Map)
	c.mu.Lock()
	if len(c.m) >= maxCached {
		for _, old := range c.m {
			old.reads.drop()
		}
		clear(c.m)
	}
	if old, ok := c.m[id]; !ok || old.Version <= kept.Version {
		if ok {
			old.reads.drop()
		}
		c.m[id] = &kept
	} else {
		n.reads = nil // a newer copy is cached: keep nothing for this one
	}
	c.mu.Unlock()
	return n, nil
}

// Forget drops a namespace from the cache (it was deleted or changed).
func (c *Cache) Forget(id string) {
	c.mu.Lock()
	if old, ok := c.m[id]; ok {
		old.reads.drop()
		delete(c.m, id)
	}
	c.mu.Unlock()
}
