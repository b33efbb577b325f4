package vendor

import (
	"context"
	"database/sql"

	"github.com/standin-dev/standin/internal/namespace"
)

// Forker is implemented by vendors that keep credentials in their rows. A
// fork copies every row of its source and then calls Rekey, so that no key
// or token of the source works in the fork while ids stay equal.
type Forker interface {
	// KeyNames lists the ns.Credential names that are secrets rather than
	// ids; a fork gets fresh values for them (ns.Keys).
	KeyNames() []string
	// Rekey replaces, in the fork ns, every stored key, password of a
	// derived credential and issued token with ones of the fork's own:
	// derived ones from ns.Credential, others fresh and random.
	Rekey(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace) error
}

// Exporter is implemented by vendors that can write their state as their
// section of a seed document (docs/fixtures.md).
type Exporter interface {
	// Export returns the vendor's section: a value that encoding/json turns
	// into a document which, loaded into a namespace seeded "empty",
	// reproduces this one's data. It leaves out what the empty seed makes
	// itself; nil means there is nothing beyond it.
	Export(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace) (any, error)
}
