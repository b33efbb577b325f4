// Package store opens standin's database (SQLite or PostgreSQL), applies the
// embedded migrations, and runs writes in transactions. Every query in the
// project is written once, with $N placeholders, and runs on both engines.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // "sqlite" driver, pure Go
)

// Engine names the database engine behind a DB.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// Querier is what both *sql.DB and *sql.Tx offer; queries take it so that
// they run inside or outside a transaction alike.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// DB is the shared database handle.
type DB struct {
	*sql.DB
	Engine Engine
	// Schema is the PostgreSQL schema in use ("" for SQLite); it scopes the
	// migration lock so that separate sandboxes in one database don't wait on
	// each other.
	Schema string
	// tracker counts writes once Track is called (track.go).
	tracker *tracker
}

// DefaultPath is where `standin serve` keeps its data when --db is not given.
func DefaultPath() string {
	if dir, err := os.UserConfigDir(); err == nil {
		return filepath.Join(dir, "standin", "standin.db")
	}
	return "standin.db"
}

// OpenDurable opens a database named by a DSN: "sqlite:PATH", "memory",
// or a postgres:// (or postgresql://) URL, with SQLite committing as d
// says. Open is OpenDurable with Fast.
func OpenDurable(ctx context.Context, dsn string, d Durability) (*DB, error) {
	switch {
	case dsn == "memory":
		// A private in-memory database. One connection, because each SQLite
		// connection to ":memory:" would otherwise see its own empty database.
		return openSQLite(ctx, memoryFile, d, 1)
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		if path == "" {
			return nil, errors.New("store: sqlite: needs a path")
		}
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, fmt.Errorf("store: %w", err)
			}
		}
		// WAL lets readers run beside the one writer; writers queue for
		// their turn (see cachingConn.BeginTx) because transactions begin
		// IMMEDIATE.
		return openSQLite(ctx, "file:"+path, d, 8)
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		u, err := url.Parse(dsn)
		if err != nil {
			return nil, fmt.Errorf("store: bad postgres URL: %w", err)
		}
		q := u.Query()
		schema := q.Get("search_path")
		// Fast: a commit need not wait for its WAL flush, as SQLite's
		// synchronous=NORMAL. A crash of the PostgreSQL server may then
		// take back the last fraction of a second of writes, never
		// consistency; every write request is several times faster.
		// synchronous_commit in the URL wins.
		if d == Fast && !q.Has("synchronous_commit") {
			q.Set("synchronous_commit", "off")
			u.RawQuery = q.Encode()
			dsn = u.String()
		}
		c, err := stdlib.GetDefaultDriver().(driver.DriverContext).OpenConnector(dsn)
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		t := &tracker{engine: Postgres}
		db := sql.OpenDB(&trackConnector{Connector: c, t: t})
		db.SetMaxOpenConns(16)
		db.SetMaxIdleConns(16)
		return finishOpen(ctx, &DB{DB: db, Engine: Postgres, Schema: schema, tracker: t})
	default:
		return nil, fmt.Errorf("store: unknown database %q: want sqlite:PATH, memory or postgres://…", dsn)
	}
}

// openSQLite opens a pool of conns SQLite connections to file that cache
// their prepared statements and count writes. Every connection stays open:
// reopening one costs its PRAGMAs and its statement cache (and, in memory,
// the database itself).
func openSQLite(ctx context.Context, file string, d Durability, conns int) (*DB, error) {
	c, err := newCachingConnector("sqlite", file+"?"+sqlitePragmas(d), file != memoryFile)
	if err != nil {
		return nil, err
	}
	t := &tracker{engine: SQLite}
	db := sql.OpenDB(&trackConnector{Connector: c, t: t})
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	return finishOpen(ctx, &DB{DB: db, Engine: SQLite, tracker: t})
}

// memoryFile is SQLite's private in-memory database.
const memoryFile = "file::memory:"

func sqlitePragmas(d Durability) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous("+d.synchronous()+")")
	q.Add("_pragma", "foreign_keys(1)")
	// The checkpointer (checkpoint.go) does this work off the commits.
	q.Add("_pragma", fmt.Sprintf("wal_autocheckpoint(%d)", autoCheckpointPages))
	q.Set("_txlock", "immediate")
	return q.Encode()
}

func finishOpen(ctx context.Context, db *DB) (*DB, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", db.Engine, err)
	}
	return db, nil
}

// Migrate applies the embedded migrations of one component (the platform or
// a vendor). Each component keeps its own version table, so vendors add
// migrations without coordinating numbers.
func (db *DB) Migrate(ctx context.Context, component string, migrations fs.FS) error {
	if db.upToDate(ctx, component, migrations) {
		return nil
	}
	dialect := goose.DialectSQLite3
	if db.Engine == Postgres {
		dialect = goose.DialectPostgres
	}
	opts := []goose.ProviderOption{
		goose.WithTableName(versionTable(component)),
		goose.WithDisableGlobalRegistry(true),
	}
	if db.Engine == Postgres {
		// Several processes may start at once on one database: serialize.
		locker, err := lock.NewPostgresSessionLocker(
			lock.WithLockID(db.migrationLockID()),
			lock.WithLockTimeout(1, 120),
		)
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, db.DB, migrations, opts...)
	if err != nil {
		return fmt.Errorf("store: migrations of %s: %w", component, err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate %s: %w", component, err)
	}
	return nil
}

// migrationLockID is the advisory lock that migrating holds on PostgreSQL,
// the same for goose and for MigrateFresh.
func (db *DB) migrationLockID() int64 {
	h := fnv.New64a()
	h.Write([]byte("standin:" + db.Schema))
	return int64(h.Sum64() >> 1)
}

// upToDate tells, with one query and no lock, whether every migration of
// the component is applied already: the usual start on an existing
// database, which goose would spend a dozen round trips confirming. Any
// doubt (no version table yet, a missing version) answers false, and goose
// takes over.
func (db *DB) upToDate(ctx context.Context, component string, migrations fs.FS) bool {
	vs, err := versions(migrations)
	if err != nil {
		return false
	}
	var count, top int64
	err = db.QueryRowContext(ctx, `SELECT count(DISTINCT version_id), COALESCE(max(version_id), 0)
		FROM `+versionTable(component)+` WHERE version_id > 0 AND is_applied`).Scan(&count, &top)
	return err == nil && count == int64(len(vs)) && top == slices.Max(vs)
}

// IsUniqueViolation tells whether err comes from a UNIQUE or PRIMARY KEY
// constraint, on either engine.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || // SQLite
		strings.Contains(s, "SQLSTATE 23505") // PostgreSQL unique_violation
}

// NextID returns the next value of a per-namespace counter, 1 first. Vendors
// whose ids are small integers (Clinked, Worksection) take them from here, so
// two namespaces may both hold id 1.
func NextID(ctx context.Context, q Querier, ns, counter string) (int64, error) {
	var v int64
	err := q.QueryRowContext(ctx, `
		INSERT INTO standin_counters (ns, name, value) VALUES ($1, $2, 1)
		ON CONFLICT (ns, name) DO UPDATE SET value = standin_counters.value + 1
		RETURNING value`, ns, counter).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("store: next id %s: %w", counter, err)
	}
	return v, nil
}

// EnsureCounterAtLeast raises a counter to at least v, so that ids handed
// out later never collide with ids that a seed or fixture chose itself.
func EnsureCounterAtLeast(ctx context.Context, q Querier, ns, counter string, v int64) error {
	_, err := q.ExecContext(ctx, `
		INSERT INTO standin_counters (ns, name, value) VALUES ($1, $2, $3)
		ON CONFLICT (ns, name) DO UPDATE SET value =
			CASE WHEN standin_counters.value < excluded.value THEN excluded.value ELSE standin_counters.value END`,
		ns, counter, v)
	return err
}

// DeleteNamespace deletes every row of ns from the given tables. Vendors call
// it from Clear with the list of their tables.
func DeleteNamespace(ctx context.Context, q Querier, ns string, tables ...string) error {
	for _, t := range tables {
		if _, err := q.ExecContext(ctx, "DELETE FROM "+t+" WHERE ns = $1", ns); err != nil {
			return fmt.Errorf("store: clear %s: %w", t, err)
		}
	}
	return nil
}

// Args numbers placeholders for queries built piece by piece:
//
//	var a store.Args
//	where := "ns = " + a.Add(ns) + " AND name = " + a.Add(name)
//	rows, err := q.QueryContext(ctx, "SELECT … WHERE "+where, a...)
type Args []any

// Add appends v and returns its placeholder ("$1", "$2", …).
func (a *Args) Add(v any) string {
	*a = append(*a, v)
	return fmt.Sprintf("$%d", len(*a))
}

// Scanner is a *sql.Row or a *sql.Rows. It is an alias, so scan functions
// written against the bare interface type fit Collect as they are.
type Scanner = interface {
	Scan(dest ...any) error
}

// Collect scans every row with scan and closes rows. With no rows it
// returns an empty, non-nil slice, so that a list encodes as [] rather than
// null. It also takes the query's error, so that a list query reads:
//
//	rows, err := q.QueryContext(ctx, `SELECT …`, args...)
//	return store.Collect(rows, err, scanUser)
func Collect[T any](rows *sql.Rows, err error, scan func(Scanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ScanValues reads a row of n columns, each value as the driver gives it:
// for a table known only at run time.
func ScanValues(row Scanner, n int) ([]any, error) {
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	return vals, row.Scan(ptrs...)
}
