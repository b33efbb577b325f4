package blob

import (
	"context"
	"database/sql"

	"github.com/standin-dev/standin/internal/store"
)

// UseLZ4 makes PostgreSQL compress new chunks with lz4 rather than its
// default pglz, which took most of an upload's time on compressible files
// (and lz4 gives up on incompressible ones as cheaply as pglz). It is no
// migration because SQLite has no such setting; start-up calls it, and
// after the first time it costs one catalog read. A server without lz4
// (or older than PostgreSQL 14) keeps pglz: blobs work the same, only
// slower.
func UseLZ4(ctx context.Context, db *store.DB) {
	if db.Engine != store.Postgres {
		return
	}
	var method string
	if err := db.QueryRowContext(ctx, `SELECT attcompression::text FROM pg_attribute
		WHERE attrelid = 'standin_blob_chunks'::regclass AND attname = 'data'`).Scan(&method); err != nil || method == "l" {
		return
	}
	_ = db.Tx(ctx, func(tx *sql.Tx) error {
		// The ALTER waits for uploads of other processes to end; rather
		// than hold up start-up, try again next time.
		if _, err := tx.ExecContext(ctx, `SET LOCAL lock_timeout = '2s'`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `ALTER TABLE standin_blob_chunks ALTER COLUMN data SET COMPRESSION lz4`)
		return err
	})
}
