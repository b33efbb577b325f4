package store_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/store/migrations"
	"github.com/standin-dev/standin/internal/testenv"
)

func open(t *testing.T) *store.DB {
	t.Helper()
	db := testenv.DB(t)
	if err := db.Migrate(context.Background(), "platform", migrations.FS); err != nil {
		t.Fatal(err)
	}
	// Migrating twice is a no-op.
	if err := db.Migrate(context.Background(), "platform", migrations.FS); err != nil {
		t.Fatal(err)
	}
	// Every test runs with writes counted, as standin does (the deadlock
	// test included).
	db.Track()
	return db
}

func TestCountersArePerNamespace(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	next := func(ns string) int64 {
		t.Helper()
		id, err := store.NextID(ctx, db, ns, "thing")
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	if a, b, c := next("a"), next("a"), next("b"); a != 1 || b != 2 || c != 1 {
		t.Fatalf("ids %d %d %d, want 1 2 1", a, b, c)
	}
	if err := store.EnsureCounterAtLeast(ctx, db, "a", "thing", 10); err != nil {
		t.Fatal(err)
	}
	if err := store.EnsureCounterAtLeast(ctx, db, "a", "thing", 5); err != nil { // never lowers
		t.Fatal(err)
	}
	if n := next("a"); n != 11 {
		t.Fatalf("after raising to 10, next is %d", n)
	}
}

func TestTxRollsBack(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	insert := func(tx *sql.Tx, id string) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO standin_namespaces (id, seed, secret, created_at) VALUES ($1, 'empty', 's', 0)`, id)
		return err
	}
	boom := errors.New("boom")
	if err := db.Tx(ctx, func(tx *sql.Tx) error {
		if err := insert(tx, "x"); err != nil {
			return err
		}
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
	func() {
		defer func() { recover() }()
		db.Tx(ctx, func(tx *sql.Tx) error {
			insert(tx, "y")
			panic("mid-transaction")
		})
	}()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM standin_namespaces`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d rows after rolled-back transactions (%v)", n, err)
	}
	// A unique violation is recognised on either engine.
	if err := db.Tx(ctx, func(tx *sql.Tx) error { return insert(tx, "z") }); err != nil {
		t.Fatal(err)
	}
	err := db.Tx(ctx, func(tx *sql.Tx) error { return insert(tx, "z") })
	if !store.IsUniqueViolation(err) {
		t.Fatalf("duplicate key: %v is not a unique violation", err)
	}
}

func TestOpenRejectsUnknownDSN(t *testing.T) {
	for _, dsn := range []string{"mysql://x", "sqlite:", ""} {
		if _, err := store.Open(context.Background(), dsn); err == nil {
			t.Errorf("%q opened", dsn)
		}
	}
	db, err := store.Open(context.Background(), "memory")
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
}

// Statements are cached per connection: the same text run again, and run
// again while its first rows are still open (a nested query in a
// transaction, which only SQLite allows), gives the right answers.
func TestStatementCache(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	nested := db.Engine == store.SQLite
	const q = `SELECT value FROM standin_counters WHERE ns = $1 ORDER BY name`
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		for _, name := range []string{"a", "b", "c"} {
			if _, err := store.NextID(ctx, tx, "ns", name); err != nil {
				return err
			}
		}
		outer, err := tx.QueryContext(ctx, q, "ns")
		if err != nil {
			return err
		}
		defer outer.Close()
		n := 0
		for outer.Next() {
			n++
			if !nested {
				continue
			}
			// The same text while outer is open.
			rows, err := tx.QueryContext(ctx, q, "ns")
			inner, err := store.Collect(rows, err, func(s store.Scanner) (int64, error) {
				var v int64
				return v, s.Scan(&v)
			})
			if err != nil {
				return err
			}
			if len(inner) != 3 {
				t.Errorf("nested query: %d rows, want 3", len(inner))
			}
		}
		if n != 3 {
			t.Errorf("outer query: %d rows, want 3", n)
		}
		return outer.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		var v int64
		if err := db.QueryRowContext(ctx, `SELECT value FROM standin_counters WHERE ns = $1 AND name = $2`, "ns", "b").Scan(&v); err != nil || v != 1 {
			t.Fatalf("run %d: %d, %v", i, v, err)
		}
	}
	if db.Engine == store.Postgres {
		var sc string
		if err := db.QueryRowContext(ctx, `SHOW synchronous_commit`).Scan(&sc); err != nil || sc != "off" {
			t.Errorf("synchronous_commit %q, %v; want off", sc, err)
		}
	}
}

// Many concurrent writers all get their turn and none of their writes is
// lost (on SQLite they queue for the process's turn to write).
func TestConcurrentWriters(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	const writers, each = 16, 10
	errs := make(chan error, writers)
	for range writers {
		go func() {
			var err error
			for range each {
				if err = db.Tx(ctx, func(tx *sql.Tx) error {
					_, err := store.NextID(ctx, tx, "ns", "c")
					return err
				}); err != nil {
					break
				}
			}
			errs <- err
		}()
	}
	for range writers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	var v int64
	if err := db.QueryRowContext(ctx, `SELECT value FROM standin_counters WHERE ns = 'ns' AND name = 'c'`).Scan(&v); err != nil || v != writers*each {
		t.Fatalf("counter %d, %v; want %d", v, err, writers*each)
	}
}
