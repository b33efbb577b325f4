package store

import (
	"context"
	"database/sql"
)

// Reissue gives every credential that list selects (its first column, an
// id) a new value: update runs with $1 nsID, $2 the id and $3 value(id).
// listArgs are list's arguments. Forks use it to replace the credentials
// they copied, so that no two namespaces share a secret.
func Reissue(ctx context.Context, tx *sql.Tx, nsID, update string, value func(id string) string, list string, listArgs ...any) error {
	rows, err := tx.QueryContext(ctx, list, listArgs...)
	idList, err := Collect(rows, err, func(r Scanner) (string, error) {
		var id string
		return id, r.Scan(&id)
	})
	if err != nil {
		return err
	}
	for _, id := range idList {
		if _, err := tx.ExecContext(ctx, update, nsID, id, value(id)); err != nil {
			return err
		}
	}
	return nil
}
