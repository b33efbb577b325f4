package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/standin-dev/standin/internal/store"
)

// TestCheckpointsOffTheCommits proves that committed pages reach the
// database file without a commit crossing wal_autocheckpoint: the
// background checkpointer copies them. Without it, 4 MiB of writes stay
// in the WAL (the backstop is 64 MiB) and the file stays small.
func TestCheckpointsOffTheCommits(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	db, err := store.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE TABLE blobs (id INTEGER PRIMARY KEY, data TEXT)`); err != nil {
		t.Fatal(err)
	}
	chunk := strings.Repeat("x", 64<<10)
	for i := range 64 {
		if err := db.Tx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO blobs (id, data) VALUES ($1, $2)`, i, chunk)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	// Waits for the goroutine, with a generous bound: this is not a
	// timing test.
	deadline := time.Now().Add(20 * time.Second)
	for {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Size() >= 4<<20 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("database file is %d bytes after 4 MiB of commits: nothing checkpointed", fi.Size())
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Close stops the checkpointer and checkpoints what is left.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + "-wal"); !os.IsNotExist(err) {
		t.Fatalf("WAL left after Close: %v", err)
	}
}
