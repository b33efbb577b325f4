package app_test

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/pressly/goose/v3"

	"github.com/standin-dev/standin/internal/app"
	"github.com/standin-dev/standin/internal/clock"
	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/testenv"
)

// components are every migration set that a full standin applies.
func components(db *store.DB) []store.Component {
	return app.Components(registry.All(db, slog.New(slog.DiscardHandler)))
}

// gooseMigrate migrates as standin did before the fast path: goose, one
// component after the other.
func gooseMigrate(t testing.TB, db *store.DB, comps []store.Component) {
	t.Helper()
	for _, c := range comps {
		if err := db.Migrate(context.Background(), c.Name, c.Migrations); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFreshMigrationIsGoose proves that a database that MigrateFresh made
// in one transaction is one that goose made: the same tables, columns,
// indexes, constraints and version rows; goose's status shows every
// migration applied; and a migration added later is applied by goose.
func TestFreshMigrationIsGoose(t *testing.T) {
	ctx := context.Background()
	byGoose, fast := testenv.DB(t), testenv.DB(t)
	comps := components(fast)
	gooseMigrate(t, byGoose, comps)
	if err := fast.MigrateFresh(ctx, comps); err != nil {
		t.Fatalf("fast path on a fresh database: %v", err)
	}
	if !sameSchema(t, fast, comps, schemaOf(t, byGoose, comps)) {
		t.Fatal("the fast path's schema differs from goose's")
	}

	provider := func(c store.Component) *goose.Provider { return gooseProvider(t, fast, c) }
	for _, c := range comps {
		statuses, err := provider(c).Status(ctx)
		if err != nil {
			t.Fatalf("%s: goose status: %v", c.Name, err)
		}
		for _, s := range statuses {
			if s.State != goose.StateApplied {
				t.Errorf("%s: goose sees version %d %s", c.Name, s.Source.Version, s.State)
			}
		}
	}

	// A later release adds a migration to a component: goose applies it,
	// and MigrateAll then sees the database up to date.
	platform := comps[0]
	files, err := fs.Glob(platform.Migrations, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	next := fstest.MapFS{"99999_probe.sql": {Data: []byte("-- +goose Up\nCREATE TABLE standin_probe (id BIGINT PRIMARY KEY);\n-- +goose Down\nDROP TABLE standin_probe;\n")}}
	for _, f := range files {
		b, err := fs.ReadFile(platform.Migrations, f)
		if err != nil {
			t.Fatal(err)
		}
		next[f] = &fstest.MapFile{Data: b}
	}
	later := append([]store.Component{{Name: platform.Name, Migrations: next}}, comps[1:]...)
	if pending, err := provider(later[0]).HasPending(ctx); err != nil || !pending {
		t.Fatalf("goose sees no pending migration (%v)", err)
	}
	if err := fast.MigrateAll(ctx, later); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := fast.QueryRowContext(ctx, `SELECT count(*) FROM standin_probe`).Scan(&n); err != nil {
		t.Fatalf("the later migration did not run: %v", err)
	}
	if pending, err := provider(later[0]).HasPending(ctx); err != nil || pending {
		t.Fatalf("after MigrateAll goose still sees a pending migration (%v)", err)
	}
}

// TestMigrateAllPaths runs MigrateAll on databases in each state it meets
// and checks that goose then sees nothing pending: fresh, up to date, a new
// component on an existing database (the fast path refuses, goose adds
// it), and one component behind. All but the last, whose column goose
// adds back at the end of its table, end with the reference schema.
func TestMigrateAllPaths(t *testing.T) {
	ctx := context.Background()
	comps, want := reference(t)

	journal := slices.IndexFunc(comps, func(c store.Component) bool { return c.Name == "journal" })
	without := slices.Delete(slices.Clone(comps), journal, journal+1)
	tests := []struct {
		name       string
		sameSchema bool
		prepare    func(db *store.DB)
	}{
		{"fresh", true, func(*store.DB) {}},
		{"up to date", true, func(db *store.DB) { gooseMigrate(t, db, comps) }},
		{"new component", true, func(db *store.DB) { gooseMigrate(t, db, without) }},
		{"component behind", false, func(db *store.DB) {
			gooseMigrate(t, db, comps)
			// Take back the platform's last migration, as goose down would.
			if _, err := gooseProvider(t, db, comps[0]).Down(ctx); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := testenv.DB(t)
			tt.prepare(db)
			if err := db.MigrateAll(ctx, comps); err != nil {
				t.Fatal(err)
			}
			for _, c := range comps {
				if pending, err := gooseProvider(t, db, c).HasPending(ctx); err != nil || pending {
					t.Errorf("%s: goose sees a pending migration (%v)", c.Name, err)
				}
			}
			if !tt.sameSchema {
				return
			}
			sameSchema(t, db, comps, want)
		})
	}
}

// TestConcurrentStartOnFreshDatabase starts several standin processes at
// once on one fresh database: all start, and the database ends with
// goose's schema and each version recorded once. On PostgreSQL half of
// them migrate as older releases did (goose alone, under its lock); goose
// takes no lock on SQLite, so there every process is a current one.
func TestConcurrentStartOnFreshDatabase(t *testing.T) {
	ctx := context.Background()
	comps, want := reference(t)

	dsn := testenv.DSN(t)
	const processes = 4
	dbs := make([]*store.DB, processes)
	for i := range dbs {
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	var wg sync.WaitGroup
	errs := make([]error, processes)
	for i, db := range dbs {
		wg.Go(func() {
			log := slog.New(slog.DiscardHandler)
			if i%2 == 1 && db.Engine == store.Postgres {
				for _, c := range components(db) {
					if errs[i] = db.Migrate(ctx, c.Name, c.Migrations); errs[i] != nil {
						return
					}
				}
				return
			}
			_, errs[i] = app.New(ctx, app.Config{DB: db, Log: log, Clock: clock.Real{}, Vendors: registry.All(db, log)})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("process %d: %v", i, err)
		}
	}
	sameSchema(t, dbs[0], comps, want)
}

// reference migrates a fresh database with goose alone and returns the
// components and the schema it made.
func reference(t testing.TB) ([]store.Component, []string) {
	t.Helper()
	db := testenv.DB(t)
	comps := components(db)
	gooseMigrate(t, db, comps)
	return comps, schemaOf(t, db, comps)
}

// sameSchema reports whether db's schema is want, and the differences.
func sameSchema(t testing.TB, db *store.DB, comps []store.Component, want []string) bool {
	t.Helper()
	got := schemaOf(t, db, comps)
	for _, l := range want {
		if _, found := slices.BinarySearch(got, l); !found {
			t.Error("missing: " + l)
		}
	}
	for _, l := range got {
		if _, found := slices.BinarySearch(want, l); !found {
			t.Error("extra: " + l)
		}
	}
	return slices.Equal(want, got)
}

// gooseProvider is goose on one component, as standin configures it.
func gooseProvider(t testing.TB, db *store.DB, c store.Component) *goose.Provider {
	t.Helper()
	dialect := goose.DialectSQLite3
	if db.Engine == store.Postgres {
		dialect = goose.DialectPostgres
	}
	p, err := goose.NewProvider(dialect, db.DB, c.Migrations,
		goose.WithTableName("standin_migrations_"+c.Name), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// schemaOf describes a database's schema and version rows as lines that
// compare equal between two databases (PostgreSQL schema names left out).
func schemaOf(t testing.TB, db *store.DB, comps []store.Component) []string {
	t.Helper()
	ctx := context.Background()
	var queries []string
	if db.Engine == store.Postgres {
		queries = []string{
			`SELECT 'column', table_name, column_name, ordinal_position, data_type, is_nullable, COALESCE(column_default, ''), is_identity
				FROM information_schema.columns WHERE table_schema = current_schema()`,
			`SELECT 'index', tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()`,
			`SELECT 'constraint', conrelid::regclass::text, conname, pg_get_constraintdef(oid)
				FROM pg_constraint WHERE connamespace = current_schema()::regnamespace`,
		}
	} else {
		queries = []string{`SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'`}
	}
	for _, c := range comps {
		queries = append(queries, fmt.Sprintf(`SELECT '%[1]s', id, version_id, is_applied FROM standin_migrations_%[1]s`, c.Name))
	}
	var schema string
	if db.Engine == store.Postgres {
		if err := db.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
			t.Fatal(err)
		}
	}
	var lines []string
	for _, q := range queries {
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			vals, err := store.ScanValues(rows, len(cols))
			if err != nil {
				t.Fatal(err)
			}
			line := fmt.Sprint(vals...)
			if schema != "" {
				line = strings.ReplaceAll(line, schema+".", "")
			}
			lines = append(lines, line)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	slices.Sort(lines)
	if len(lines) < 100 {
		t.Fatalf("only %d schema lines: the description misses the schema", len(lines))
	}
	return lines
}
