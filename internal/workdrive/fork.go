package workdrive

import (
	"context"
	"database/sql"

	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
)

// KeyNames implements vendor.Forker. The S3 keys sign presigned uploads.
func (s *Service) KeyNames() []string {
	return []string{"workdrive.api_key", "workdrive.superadmin_api_key", "workdrive.s3_access_key", "workdrive.s3_secret"}
}

// Rekey implements vendor.Forker: every API key is replaced, the OrgAdmin's
// and SuperAdmin's by the fork's, any other user's by a fresh random one.
func (s *Service) Rekey(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace) error {
	c := seedCredentials(ns)
	type holder struct {
		userID  string
		created int64
	}
	rows, err := tx.QueryContext(ctx, `SELECT user_id, min(created_at) FROM workdrive_api_keys
		WHERE ns = $1 GROUP BY user_id ORDER BY user_id`, ns.ID)
	holders, err := store.Collect(rows, err, func(r store.Scanner) (holder, error) {
		var h holder
		return h, r.Scan(&h.userID, &h.created)
	})
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM workdrive_api_keys WHERE ns = $1`, ns.ID); err != nil {
		return err
	}
	for _, h := range holders {
		key := ids.UUID()
		switch h.userID {
		case c.adminID:
			key = c.adminKey
		case c.superID:
			key = c.superKey
		}
		if err := insertAPIKey(ctx, tx, ns.ID, h.userID, key, h.created); err != nil {
			return err
		}
	}
	return nil
}
