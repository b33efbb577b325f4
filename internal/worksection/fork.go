package worksection

import (
	"context"
	"database/sql"

	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
)

// KeyNames implements vendor.Forker.
func (s *Service) KeyNames() []string {
	return []string{"worksection.api_key", "worksection.access_token", "worksection.client_secret"}
}

// Rekey implements vendor.Forker: the account's API key and the control
// plane's client secret and token are the fork's, every issued token and
// authorization code is dropped, and any other OAuth client gets a fresh
// random secret.
func (s *Service) Rekey(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace) error {
	c := accountCredentials(ns)
	var owner int64
	if err := tx.QueryRowContext(ctx, `SELECT owner_id FROM worksection_accounts WHERE ns = $1`, ns.ID).Scan(&owner); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE worksection_accounts SET api_key = $2 WHERE ns = $1`, ns.ID, c.apiKey); err != nil {
		return err
	}
	if err := store.DeleteNamespace(ctx, tx, ns.ID, "worksection_tokens", "worksection_oauth_codes"); err != nil {
		return err
	}
	// The control plane's client keeps the fork's secret.
	secret := func(id string) string {
		if id == c.clientID {
			return digest(c.clientSecret)
		}
		return digest(ids.Hex(32))
	}
	if err := store.Reissue(ctx, tx, ns.ID, `UPDATE worksection_oauth_clients SET secret_hash = $3 WHERE ns = $1 AND client_id = $2`,
		secret, `SELECT client_id FROM worksection_oauth_clients WHERE ns = $1 ORDER BY client_id`, ns.ID); err != nil {
		return err
	}
	return insertToken(ctx, tx, ns.ID, kindAccess, c.accessToken, &token{pairID: "control-plane",
		clientID: c.clientID, userID: owner, expiresAt: ns.Now().Add(controlTokenTTL)})
}
