package blob

import (
	"context"

	"github.com/standin-dev/standin/internal/store"
)

// ReadAll returns a whole blob read through q, so that an export inside a
// transaction sees the same state as the rows that name the blob. It is for
// bounded reads (documents hold the bytes); serve downloads with Open.
func ReadAll(ctx context.Context, q store.Querier, ns, name string) ([]byte, error) {
	info, err := Stat(ctx, q, ns, name)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT data FROM standin_blob_chunks WHERE ns = $1 AND blob_id = $2 ORDER BY seq`,
		ns, info.Version)
	chunks, err := store.Collect(rows, err, func(r store.Scanner) ([]byte, error) {
		var b []byte
		return b, r.Scan(&b)
	})
	if err != nil {
		return nil, err
	}
	data := make([]byte, 0, info.Size)
	for _, c := range chunks {
		data = append(data, c...)
	}
	return data, nil
}
