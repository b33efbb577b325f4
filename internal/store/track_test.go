package store_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/standin-dev/standin/internal/store"
)

func TestIsWrite(t *testing.T) {
	for _, tc := range []struct {
		query string
		write bool
	}{
		{"SELECT 1", false},
		{"  select * from t", false},
		{"\n\t(SELECT 1) UNION (SELECT 2)", false},
		{"-- a comment\nSELECT 1", false},
		{"/* note */ SELECT 1", false},
		{"VALUES (1)", false},
		{"PRAGMA table_info(t)", false},
		{"SELECT set_config('lock_timeout', $1, true), pg_advisory_xact_lock($2)", false},
		{"SAVEPOINT a", false},
		{"INSERT INTO t VALUES (1)", true},
		{"insert into t values (1) returning id", true},
		{"UPDATE t SET a = 1", true},
		{"DELETE FROM t", true},
		{"REPLACE INTO t VALUES (1)", true},
		{"CREATE TABLE t (a INT)", true},
		{"DROP TABLE t", true},
		{"ALTER TABLE t ADD COLUMN b INT", true},
		{"TRUNCATE t", true},
		{"COPY t FROM STDIN", true},
		{"-- INSERT in a comment only\nDELETE FROM t", true},
		{"WITH x AS (SELECT 1) SELECT * FROM x", false},
		{"WITH x AS (SELECT updated_at FROM t) SELECT * FROM x", false},
		{"WITH x AS (DELETE FROM t RETURNING a) SELECT * FROM x", true},
		{"with x as (select 1) insert into t select * from x", true},
		{"WITH x AS (SELECT 1) UPDATE t SET a = 1", true},
		{"MERGE INTO t USING s ON true WHEN MATCHED THEN DELETE", true}, // unknown: counted
		{"", true},
	} {
		if got := store.IsWrite(tc.query); got != tc.write {
			t.Errorf("IsWrite(%q) = %v, want %v", tc.query, got, tc.write)
		}
	}
}

// TestWritesAreCounted checks each way a write runs: in a transaction with
// a lock key it raises that namespace's data_version, without one the
// epoch; autocommit likewise; Untracked writes and reads raise nothing.
func TestWritesAreCounted(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	for _, id := range []string{"a", "b"} {
		if _, err := db.ExecContext(ctx, `INSERT INTO standin_namespaces (id, seed, secret, created_at) VALUES ($1, 'empty', 's', 0)`, id); err != nil {
			t.Fatal(err)
		}
	}
	state := func() (a, b, epoch int64) {
		t.Helper()
		if err := db.QueryRowContext(ctx, `SELECT (SELECT data_version FROM standin_namespaces WHERE id = 'a'),
			(SELECT data_version FROM standin_namespaces WHERE id = 'b'),
			(SELECT value FROM standin_data_epoch WHERE id = 1)`).Scan(&a, &b, &epoch); err != nil {
			t.Fatal(err)
		}
		return a, b, epoch
	}
	keyed := store.WithLockKey(ctx, "a")
	write := func(ctx context.Context, q store.Querier) error {
		_, err := store.NextID(ctx, q, "a", "thing") // INSERT … RETURNING, a query
		if err == nil {
			_, err = q.ExecContext(ctx, `UPDATE standin_counters SET value = value WHERE ns = 'a'`)
		}
		return err
	}
	read := func(ctx context.Context, q store.Querier) error {
		var n int
		return q.QueryRowContext(ctx, `SELECT count(*) FROM standin_counters`).Scan(&n)
	}
	inTx := func(f func(context.Context, store.Querier) error) func(context.Context) error {
		return func(ctx context.Context) error {
			return db.Tx(ctx, func(tx *sql.Tx) error { return f(ctx, tx) })
		}
	}
	direct := func(f func(context.Context, store.Querier) error) func(context.Context) error {
		return func(ctx context.Context) error { return f(ctx, db) }
	}
	for _, tc := range []struct {
		name              string
		ctx               context.Context
		run               func(context.Context) error
		dataA, dataB, epo int64 // the rises
	}{
		{"keyed transaction", keyed, inTx(write), 1, 0, 0},
		{"keyless transaction", ctx, inTx(write), 0, 0, 1},
		{"keyed autocommit", keyed, direct(write), 2, 0, 0}, // two statements
		{"keyless autocommit", ctx, direct(write), 0, 0, 2},
		{"untracked keyed transaction", store.Untracked(keyed), inTx(write), 0, 0, 0},
		{"untracked keyless autocommit", store.Untracked(ctx), direct(write), 0, 0, 0},
		{"read transaction", keyed, inTx(read), 0, 0, 0},
		{"read", ctx, direct(read), 0, 0, 0},
		{"rolled back", keyed, func(ctx context.Context) error {
			_ = db.Tx(ctx, func(tx *sql.Tx) error {
				if err := write(ctx, tx); err != nil {
					return err
				}
				return sql.ErrNoRows
			})
			return nil
		}, 0, 0, 0},
	} {
		a0, b0, e0 := state()
		if err := tc.run(tc.ctx); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		a1, b1, e1 := state()
		if a1-a0 != tc.dataA || b1-b0 != tc.dataB || e1-e0 != tc.epo {
			t.Errorf("%s: data_version a +%d, b +%d, epoch +%d; want +%d, +%d, +%d",
				tc.name, a1-a0, b1-b0, e1-e0, tc.dataA, tc.dataB, tc.epo)
		}
	}
}
