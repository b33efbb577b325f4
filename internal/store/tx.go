package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// Transactions on PostgreSQL run at READ COMMITTED, where two writers of
// one row interleave statement by statement: a PATCH could find a row, and
// then find it gone when it re-reads it after a racing DELETE committed;
// two writers that touch the same rows in different orders deadlock. SQLite
// never sees either, because its transactions begin IMMEDIATE and so take
// the one write lock first. Tx gives PostgreSQL the same shape per
// namespace, and retries what still goes wrong:
//
//   - a write transaction whose context names a lock key (WithLockKey; the
//     namespace of a request) first takes a transaction-scoped advisory
//     lock on that key. Writers of one namespace therefore run one at a
//     time, lock everything else in the same order (that lock first), and
//     read only rows that no concurrent writer is changing. Namespaces, and
//     all reads, still run in parallel.
//   - a transaction that fails with a serialization failure (40001) or a
//     deadlock (40P01) runs again from the start, a bounded number of
//     times, after a jittered pause.

// MaxAttempts is how many times Tx runs a transaction that keeps failing
// with a serialization failure or a deadlock.
const MaxAttempts = 8

// lockTimeout bounds the wait for a namespace's write lock (and any row
// lock after it), so that a bug that waits on itself fails instead of
// hanging the request.
const lockTimeout = "60s"

type lockKeyCtx struct{}

// WithLockKey returns ctx in which write transactions on PostgreSQL first
// take an advisory lock on key, so that writes under one key are
// serialized. namespace.NewContext sets the namespace's id.
func WithLockKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, lockKeyCtx{}, key)
}

// Tx runs fn in a transaction and commits it when fn returns nil. Nothing
// is half-written: any error or panic rolls the whole transaction back.
// Inside fn, use only tx: on SQLite the writer holds the write lock, and on
// PostgreSQL it holds its namespace's lock.
//
// fn may run more than once (see above): it must only assign its results,
// never write a response or append to what it was given, and it must not
// start another transaction on db.
func (db *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := db.tx(ctx, fn)
		if err == nil || !Retryable(err) || attempt == MaxAttempts {
			return err
		}
		// Exponential backoff from 2 ms, capped at 250 ms, with full jitter
		// so that the transactions that collided do not collide again.
		backoff := min(2*time.Millisecond<<attempt, 250*time.Millisecond)
		t := time.NewTimer(rand.N(backoff) + time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}

func (db *DB) tx(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if key, ok := ctx.Value(lockKeyCtx{}).(string); ok && db.Engine == Postgres {
		if _, err = tx.ExecContext(ctx, `SELECT set_config('lock_timeout', $1, true), pg_advisory_xact_lock($2)`,
			lockTimeout, db.lockID(key)); err != nil {
			return fmt.Errorf("store: lock %s: %w", key, err)
		}
	}
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// lockID is the advisory lock number of a key: the schema takes part, so
// that separate sandboxes in one database never wait on each other.
func (db *DB) lockID(key string) int64 {
	h := fnv.New64a()
	h.Write([]byte("standin-tx:" + db.Schema + ":" + key))
	return int64(h.Sum64())
}

// Retryable tells whether err means that the transaction lost a race and
// may succeed when run again: a serialization failure or a deadlock on
// PostgreSQL.
func Retryable(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "40001" || pg.Code == "40P01"
	}
	return false
}

// Affected turns an UPDATE or DELETE that changed no row into
// sql.ErrNoRows, which handlers answer with the vendor's 404: the row was
// deleted by a racing request after the handler found it.
func Affected(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return sql.ErrNoRows
	}
	return nil
}
