package klipfolio

import (
	"context"
	"database/sql"

	"github.com/standin-dev/standin/internal/auth"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
)

// KeyNames implements vendor.Forker.
func (s *Service) KeyNames() []string { return []string{"klipfolio.password", "klipfolio.api_key"} }

// Rekey implements vendor.Forker: the admin gets the fork's password and
// API key, and every other user with an API key a fresh random one.
func (s *Service) Rekey(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace) error {
	c := adminCredentials(ns)
	fresh := func(string) string { return ids.Hex(20) }
	if err := store.Reissue(ctx, tx, ns.ID, `UPDATE klipfolio_users SET api_key = $3 WHERE ns = $1 AND id = $2`,
		fresh, `SELECT id FROM klipfolio_users WHERE ns = $1 AND api_key IS NOT NULL AND id <> $2 ORDER BY id`, ns.ID, c.userID); err != nil {
		return err
	}
	hash, err := auth.HashSecret(c.password)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE klipfolio_users SET api_key = $3, password_hash = $4 WHERE ns = $1 AND id = $2`,
		ns.ID, c.userID, c.apiKey, hash)
	return err
}
