// Package lifecycle copies and drops a namespace's state as a whole: every
// row of every table whose first column is "ns" (the vendors' tables, the
// counters, the outbox, the blobs). Snapshots, restore and fork are built
// on it, one INSERT … SELECT per table, so no row passes through Go.
package lifecycle

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/standin-dev/standin/internal/store"
)

// SnapshotKey is the hidden ns value under which a snapshot keeps its rows.
// Namespace ids cannot contain "~", so it never names a live namespace.
func SnapshotKey(snapshotID string) string { return "~" + snapshotID }

// notState names namespaced tables that record what happened rather than
// hold state: the request journal. A snapshot leaves them out, a restore
// keeps the namespace's own, and a fork starts with none.
var notState = map[string]bool{"standin_journal": true, "standin_journal_seq": true}

// table is one namespaced table and the statements that copy and clear it.
type table struct {
	name      string
	copySQL   string // INSERT … SELECT $1 (to), … WHERE ns = $2 (from)
	deleteSQL string
}

// Tables knows the namespaced tables of a database. They are read from the
// schema on first use (after every migration has run) and kept.
type Tables struct {
	db   *store.DB
	mu   sync.Mutex
	list []table
}

// NewTables returns the tables of db, read lazily.
func NewTables(db *store.DB) *Tables { return &Tables{db: db} }

// load reads the schema through q: inside a transaction, the transaction
// (a "memory" database has one connection, which the transaction holds).
func (t *Tables) load(ctx context.Context, q store.Querier) ([]table, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.list != nil {
		return t.list, nil
	}
	list, err := discover(ctx, q, t.db.Engine)
	if err != nil {
		return nil, err // not kept: the next call tries again
	}
	t.list = list
	return list, nil
}

// Names returns the namespaced tables, sorted.
func (t *Tables) Names(ctx context.Context) ([]string, error) {
	list, err := t.load(ctx, t.db)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(list))
	for i, tb := range list {
		out[i] = tb.name
	}
	return out, nil
}

// holding returns the tables that hold rows of namespace key ns, found in
// one query: most namespaces leave many tables empty, and a statement per
// empty table is most of what a copy or a clear costs.
func (t *Tables) holding(ctx context.Context, tx *sql.Tx, ns string) ([]table, error) {
	list, err := t.load(ctx, tx)
	if err != nil {
		return nil, err
	}
	var q strings.Builder
	for i, tb := range list {
		if i > 0 {
			q.WriteString(" UNION ALL ")
		}
		fmt.Fprintf(&q, "SELECT %d FROM (SELECT 1 FROM %s WHERE ns = $1 LIMIT 1) AS t%d", i, tb.name, i)
	}
	rows, err := tx.QueryContext(ctx, q.String(), ns)
	idx, err := store.Collect(rows, err, func(r store.Scanner) (int, error) {
		var i int
		return i, r.Scan(&i)
	})
	if err != nil {
		return nil, fmt.Errorf("lifecycle: find tables of %s: %w", ns, err)
	}
	out := make([]table, 0, len(idx))
	for _, i := range idx {
		out = append(out, list[i])
	}
	return out, nil
}

// Copy copies every row of namespace key from into namespace key to, in
// every table. The caller runs it in a transaction, with to empty.
func (t *Tables) Copy(ctx context.Context, tx *sql.Tx, from, to string) error {
	list, err := t.holding(ctx, tx, from)
	if err != nil {
		return err
	}
	for _, tb := range list {
		if _, err := tx.ExecContext(ctx, tb.copySQL, to, from); err != nil {
			return fmt.Errorf("lifecycle: copy %s: %w", tb.name, err)
		}
	}
	return nil
}

// Delete deletes every row of namespace key ns in every table.
func (t *Tables) Delete(ctx context.Context, tx *sql.Tx, ns string) error {
	list, err := t.holding(ctx, tx, ns)
	if err != nil {
		return err
	}
	for _, tb := range list {
		if _, err := tx.ExecContext(ctx, tb.deleteSQL, ns); err != nil {
			return fmt.Errorf("lifecycle: clear %s: %w", tb.name, err)
		}
	}
	return nil
}

// discover lists the tables whose first column is "ns", with their columns.
func discover(ctx context.Context, db store.Querier, engine store.Engine) ([]table, error) {
	// Only the catalog query differs between the engines; both yield (table, column) in column order.
	query := `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' ORDER BY m.name, p.cid`
	if engine == store.Postgres {
		query = `SELECT table_name, column_name FROM information_schema.columns
			WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`
	}
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("lifecycle: read schema: %w", err)
	}
	defer rows.Close()
	cols := map[string][]string{}
	for rows.Next() {
		var tn, cn string
		if err := rows.Scan(&tn, &cn); err != nil {
			return nil, err
		}
		cols[tn] = append(cols[tn], cn)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var list []table
	for name, cs := range cols {
		if len(cs) < 2 || cs[0] != "ns" || notState[name] {
			continue
		}
		rest := strings.Join(cs[1:], ", ")
		list = append(list, table{
			name: name,
			copySQL: "INSERT INTO " + name + " (" + strings.Join(cs, ", ") + ") SELECT CAST($1 AS TEXT), " + rest +
				" FROM " + name + " WHERE ns = $2",
			deleteSQL: "DELETE FROM " + name + " WHERE ns = $1",
		})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].name < list[j].name })
	if len(list) == 0 {
		return nil, fmt.Errorf("lifecycle: no namespaced tables found")
	}
	return list, nil
}
