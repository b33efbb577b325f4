package store

import (
	"context"
	"database/sql/driver"
	"io"
	"sync"
	"time"
)

// SQLite in WAL mode copies committed pages back into the database file
// (a checkpoint) from inside the commit that crosses wal_autocheckpoint
// pages: that commit's request pays for everyone's. It was ~30% of an
// upload's writer and ~10% of creating a namespace. Instead, a goroutine
// per pool checkpoints on a connection of its own, at most every
// checkpointEvery while commits come in, beside the writers (a PASSIVE
// checkpoint never blocks them). autoCheckpointPages stays as a backstop,
// so the WAL stays bounded if the goroutine falls behind or another
// process writes.
const (
	checkpointEvery     = 100 * time.Millisecond
	autoCheckpointPages = 16384 // 64 MiB of 4 KiB pages
)

// checkpointer runs PASSIVE checkpoints after commits.
type checkpointer struct {
	open func() (driver.Conn, error)
	kick chan struct{}
	stop chan struct{}
	done chan struct{}
	once sync.Once
}

func newCheckpointer(open func() (driver.Conn, error)) *checkpointer {
	cp := &checkpointer{open: open, kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go cp.run()
	return cp
}

// committed tells the checkpointer that the WAL grew; it never waits.
func (cp *checkpointer) committed() {
	if cp == nil {
		return
	}
	select {
	case cp.kick <- struct{}{}:
	default:
	}
}

func (cp *checkpointer) run() {
	defer close(cp.done)
	var conn driver.Conn
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	pace := time.NewTimer(checkpointEvery)
	pace.Stop()
	defer pace.Stop()
	for {
		select {
		case <-cp.stop:
			return
		case <-cp.kick:
		}
		if conn == nil {
			c, err := cp.open()
			if err != nil {
				continue // the backstop checkpoints meanwhile
			}
			conn = c
		}
		// Errors are SQLite's busy answers to a checkpoint already running
		// (another process's): the next commit tries again.
		if ex, ok := conn.(driver.ExecerContext); ok {
			_, _ = ex.ExecContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`, nil)
		}
		pace.Reset(checkpointEvery)
		select {
		case <-cp.stop:
			return
		case <-pace.C:
		}
	}
}

// Close stops the goroutine and closes its connection.
func (cp *checkpointer) Close() error {
	cp.once.Do(func() { close(cp.stop) })
	<-cp.done
	return nil
}

var _ io.Closer = (*checkpointer)(nil)
