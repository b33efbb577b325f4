package blob

import (
	"context"
	"fmt"
	"strings"

	"github.com/standin-dev/standin/internal/store"
)

// ClearPrefix removes every blob of ns whose name starts with prefix,
// including unfinished uploads: a vendor's Clear drops its own blobs
// without touching another vendor's.
func ClearPrefix(ctx context.Context, q store.Querier, ns, prefix string) error {
	pattern := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(prefix) + "%"
	if _, err := q.ExecContext(ctx, `DELETE FROM standin_blob_chunks WHERE ns = $1 AND blob_id IN
		(SELECT id FROM standin_blobs WHERE ns = $1 AND name LIKE $2 ESCAPE '\')`, ns, pattern); err != nil {
		return fmt.Errorf("blob: clear %s: %w", prefix, err)
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM standin_blobs WHERE ns = $1 AND name LIKE $2 ESCAPE '\'`, ns, pattern); err != nil {
		return fmt.Errorf("blob: clear %s: %w", prefix, err)
	}
	return nil
}
