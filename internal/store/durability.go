package store

import "context"

// Durability is how standin commits. On PostgreSQL, Strict keeps the
// server's synchronous_commit and Fast turns it off for standin's sessions
// (unless the URL sets it), so a server crash may take back the last
// commits.
type Durability string

const (
	// Strict syncs the write-ahead log on every commit
	// (synchronous=FULL): a commit that was acknowledged survives a crash
	// of the process and a power loss of the machine.
	Strict Durability = "strict"
	// Fast syncs the write-ahead log only at checkpoints
	// (synchronous=NORMAL): a commit survives a crash of the process
	// (kill -9), but a power loss may take the last commits back. The
	// database is never corrupted either way. Tests use it.
	Fast Durability = "fast"
)

func (d Durability) synchronous() string {
	if d == Strict {
		return "FULL"
	}
	return "NORMAL"
}

// Open opens a database with Fast durability (see OpenDurable); `standin
// serve` chooses with --durability.
func Open(ctx context.Context, dsn string) (*DB, error) {
	return OpenDurable(ctx, dsn, Fast)
}
