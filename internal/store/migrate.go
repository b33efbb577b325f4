package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/pressly/goose/v3/database"
)

// Component is one set of embedded migrations with its own goose version
// table (standin_migrations_<Name>).
type Component struct {
	Name       string
	Migrations fs.FS
}

// MigrateAll brings the components' schemas up to date, in the order given
// (a component may alter an earlier one's tables).
//
// Goose stays the source of truth; two shortcuts spare it its round trips
// (a lock, a dozen queries and a commit per component and migration):
//   - a database that is up to date costs one query for all components;
//   - on a fresh database, where a version table is missing, every
//     migration runs in one transaction with the version rows that goose
//     would have written, so goose then sees a database it migrated itself.
//     It creates the version tables first, so that a process that loses the
//     race to another fails at once and rolls back.
//
// Anything else (a pending migration, a database part way, a failed or
// lost fast path) goes to goose, component by component.
func (db *DB) MigrateAll(ctx context.Context, comps []Component) error {
	current, missing := db.migrationState(ctx, comps)
	if current {
		return nil
	}
	if missing && db.MigrateFresh(ctx, comps) == nil {
		return nil
	}
	for _, c := range comps {
		if err := db.Migrate(ctx, c.Name, c.Migrations); err != nil {
			return err
		}
	}
	return nil
}

// migrationState tells, with one query and no lock, whether every
// component's migrations are all applied; missing is set when the query
// failed, as it does when a version table does not exist yet.
func (db *DB) migrationState(ctx context.Context, comps []Component) (current, missing bool) {
	type want struct{ count, top int64 }
	wants := make([]want, len(comps))
	var q strings.Builder
	for i, c := range comps {
		vs, err := versions(c.Migrations)
		if err != nil {
			return false, false // goose tells what is wrong
		}
		wants[i] = want{int64(len(vs)), slices.Max(vs)}
		if i > 0 {
			q.WriteString("\nUNION ALL ")
		}
		fmt.Fprintf(&q, `SELECT %d, count(DISTINCT version_id), COALESCE(max(version_id), 0) FROM %s WHERE version_id > 0 AND is_applied`,
			i, versionTable(c.Name))
	}
	var args []any
	if db.Engine == Postgres {
		// One round trip, and no prepared statement kept for a query that
		// runs once.
		args = append(args, pgx.QueryExecModeSimpleProtocol)
	}
	rows, err := db.QueryContext(ctx, q.String(), args...)
	if err != nil {
		return false, true
	}
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var i int
		var count, top int64
		if err := rows.Scan(&i, &count, &top); err != nil || i < 0 || i >= len(wants) {
			return false, false
		}
		if (want{count, top}) != wants[i] {
			return false, false
		}
		seen++
	}
	return rows.Err() == nil && seen == len(comps), false
}

// MigrateFresh applies every component's migrations to a database that has
// none of their version tables, in one transaction. It fails, and changes
// nothing, on any other database.
func (db *DB) MigrateFresh(ctx context.Context, comps []Component) error {
	script, err := db.freshScript(comps)
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	// One statement of many: pgx sends it in one round trip (a query
	// without arguments goes by the simple protocol), SQLite runs it as a
	// script.
	if _, err := tx.ExecContext(ctx, script); err != nil {
		return err
	}
	return tx.Commit()
}

// freshScript is the SQL of MigrateFresh: on PostgreSQL the lock that goose
// takes (so that processes starting at once on one database, with or
// without this shortcut, migrate one at a time), then each component's
// version table with its version rows, then each migration's Up section,
// in component and version order.
func (db *DB) freshScript(comps []Component) (string, error) {
	dialect := database.DialectSQLite3
	if db.Engine == Postgres {
		dialect = database.DialectPostgres
	}
	var tables, ups strings.Builder
	if db.Engine == Postgres {
		fmt.Fprintf(&tables, "SET LOCAL lock_timeout = '120s';\nSELECT pg_advisory_xact_lock(%d);\n", db.migrationLockID())
	}
	for _, c := range comps {
		table := versionTable(c.Name)
		create, insert, err := gooseVersionSQL(dialect, table)
		if err != nil {
			return "", err
		}
		// goose inserts version 0 with the table, then one row per
		// migration as it applies it.
		head, _, ok := strings.Cut(insert, " VALUES ")
		if !ok || head != "INSERT INTO "+table+" (version_id, is_applied)" {
			return "", fmt.Errorf("store: goose's version insert changed: %s", insert)
		}
		migs, err := parseMigrations(c.Migrations)
		if err != nil {
			return "", fmt.Errorf("store: migrations of %s: %w", c.Name, err)
		}
		fmt.Fprintf(&tables, "%s;\n%s VALUES (0, true)", create, head)
		for _, m := range migs {
			fmt.Fprintf(&tables, ", (%d, true)", m.version)
			fmt.Fprintf(&ups, "-- %s %d\n%s\n", c.Name, m.version, m.up)
		}
		tables.WriteString(";\n")
	}
	return tables.String() + ups.String(), nil
}

// gooseVersionSQL returns the statements with which goose creates a
// version table and records a version, so that the fast path writes what
// goose would.
func gooseVersionSQL(dialect database.Dialect, table string) (create, insert string, err error) {
	st, err := database.NewStore(dialect, table)
	if err != nil {
		return "", "", err
	}
	var rec recorder
	if err := st.CreateVersionTable(context.Background(), &rec); err != nil {
		return "", "", err
	}
	if err := st.Insert(context.Background(), &rec, database.InsertRequest{Version: 1}); err != nil {
		return "", "", err
	}
	if len(rec.queries) != 2 {
		return "", "", errors.New("store: goose wrote its versions unexpectedly")
	}
	return rec.queries[0], rec.queries[1], nil
}

// recorder is a database.DBTxConn that keeps the statements it is given
// and runs none.
type recorder struct{ queries []string }

func (r *recorder) ExecContext(_ context.Context, query string, _ ...any) (sql.Result, error) {
	r.queries = append(r.queries, query)
	return nil, nil
}

func (r *recorder) QueryContext(context.Context, string, ...any) (*sql.Rows, error) {
	return nil, errors.New("recorder: no queries")
}

func (r *recorder) QueryRowContext(context.Context, string, ...any) *sql.Row { return nil }

// migration is one migration file: its version and its Up section.
type migration struct {
	version int64
	up      string
}

// parseMigrations reads a component's migrations in version order. A file
// with a goose annotation other than Up and Down (statement blocks, no
// transaction, environment substitution) is left to goose.
func parseMigrations(fsys fs.FS) ([]migration, error) {
	files, vs, err := migrationFiles(fsys)
	if err != nil {
		return nil, err
	}
	out := make([]migration, len(files))
	for i, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		var up strings.Builder
		section := ""
		for line := range strings.Lines(string(b)) {
			if a, ok := strings.CutPrefix(strings.TrimSpace(line), "--"); ok && strings.HasPrefix(strings.TrimSpace(a), "+goose") {
				switch strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(a), "+goose")) {
				case "Up":
					section = "up"
				case "Down":
					section = "down"
				default:
					return nil, fmt.Errorf("%s: %s is goose's to run", f, strings.TrimSpace(line))
				}
				continue
			}
			if section == "up" {
				up.WriteString(line)
			}
		}
		if section == "" {
			return nil, fmt.Errorf("%s: no +goose Up", f)
		}
		out[i] = migration{version: vs[i], up: strings.TrimSpace(up.String())}
	}
	slices.SortFunc(out, func(a, b migration) int { return cmp.Compare(a.version, b.version) })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("two migrations of version %d", out[i].version)
		}
	}
	return out, nil
}

// versions lists the versions of a component's migrations.
func versions(fsys fs.FS) ([]int64, error) {
	_, vs, err := migrationFiles(fsys)
	return vs, err
}

// migrationFiles lists a component's migration files with their versions,
// as goose reads them (the number before the first underscore).
func migrationFiles(fsys fs.FS) ([]string, []int64, error) {
	files, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, nil, err
	}
	if len(files) == 0 {
		return nil, nil, errors.New("no migrations")
	}
	vs := make([]int64, len(files))
	for i, f := range files {
		prefix, _, _ := strings.Cut(f, "_")
		v, err := strconv.ParseInt(prefix, 10, 64)
		if err != nil || v <= 0 {
			return nil, nil, fmt.Errorf("%s: no version", f)
		}
		vs[i] = v
	}
	return files, vs, nil
}

func versionTable(component string) string { return "standin_migrations_" + component }
