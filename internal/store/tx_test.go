package store_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/testenv"
)

// TestTxRetriesDeadlocks makes two transactions lock two rows in opposite
// orders, which deadlocks on PostgreSQL: Tx runs the loser again, and both
// succeed. (On SQLite the second transaction waits for the first.)
func TestTxRetriesDeadlocks(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	for _, name := range []string{"a", "b"} {
		if _, err := store.NextID(ctx, db, "ns", name); err != nil {
			t.Fatal(err)
		}
	}
	bump := func(tx *sql.Tx, name string) error {
		_, err := tx.ExecContext(ctx, `UPDATE standin_counters SET value = value + 1 WHERE ns = 'ns' AND name = $1`, name)
		return err
	}
	// Each first attempt waits, holding its first row, until the other
	// holds its own. The victim's retry waits for the other to end: else,
	// on a busy machine, it can take the row the other was woken for
	// before the other runs (PostgreSQL does not queue a row's waiters)
	// and deadlock a second time.
	var (
		holdsA, holdsB = make(chan struct{}), make(chan struct{})
		attempts       [2]int
		wg             sync.WaitGroup
		errs           [2]error
		ended          = [2]chan struct{}{make(chan struct{}), make(chan struct{})}
	)
	order := [2][2]string{{"a", "b"}, {"b", "a"}}
	held := [2]chan struct{}{holdsA, holdsB}
	for i := range 2 {
		wg.Go(func() {
			defer close(ended[i])
			errs[i] = db.Tx(ctx, func(tx *sql.Tx) error {
				attempts[i]++
				if attempts[i] > 1 {
					select {
					case <-ended[1-i]:
					case <-time.After(10 * time.Second): // both retried: a failure below
					}
				}
				if err := bump(tx, order[i][0]); err != nil {
					return err
				}
				if attempts[i] == 1 && db.Engine == store.Postgres {
					close(held[i])
					<-held[1-i]
				}
				return bump(tx, order[i][1])
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("transaction %d: %v", i, err)
		}
	}
	var a, b int64
	if err := db.QueryRow(`SELECT (SELECT value FROM standin_counters WHERE ns = 'ns' AND name = 'a'),
		(SELECT value FROM standin_counters WHERE ns = 'ns' AND name = 'b')`).Scan(&a, &b); err != nil {
		t.Fatal(err)
	}
	if a != 3 || b != 3 {
		t.Errorf("counters a=%d b=%d, want 3 and 3: each transaction applied once", a, b)
	}
	if db.Engine == store.Postgres && attempts[0]+attempts[1] != 3 {
		t.Errorf("attempts %v, want one retry", attempts)
	}
}

func TestTxDoesNotRetryOtherErrors(t *testing.T) {
	db := open(t)
	boom := errors.New("boom")
	n := 0
	err := db.Tx(context.Background(), func(*sql.Tx) error { n++; return boom })
	if !errors.Is(err, boom) || n != 1 {
		t.Errorf("err %v after %d runs, want boom after 1", err, n)
	}
}

func TestAffected(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	if _, err := store.NextID(ctx, db, "ns", "c"); err != nil {
		t.Fatal(err)
	}
	if err := store.Affected(db.ExecContext(ctx, `UPDATE standin_counters SET value = 5 WHERE ns = 'ns' AND name = 'c'`)); err != nil {
		t.Errorf("one row: %v", err)
	}
	if err := store.Affected(db.ExecContext(ctx, `UPDATE standin_counters SET value = 5 WHERE ns = 'ns' AND name = 'gone'`)); !errors.Is(err, sql.ErrNoRows) {
		t.Errorf("no row: %v, want sql.ErrNoRows", err)
	}
}

func TestDurabilityModes(t *testing.T) {
	if testenv.PostgresURL() != "" {
		t.Skip("a SQLite setting")
	}
	for d, want := range map[store.Durability]int{store.Strict: 2, store.Fast: 1} {
		db, err := store.OpenDurable(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "d.db"), d)
		if err != nil {
			t.Fatal(err)
		}
		var got int
		if err := db.QueryRow("PRAGMA synchronous").Scan(&got); err != nil || got != want {
			t.Errorf("%s: synchronous = %d (%v), want %d", d, got, err, want)
		}
		db.Close()
	}
}
