package clinked

import (
	"context"
	"database/sql"

	"github.com/standin-dev/standin/internal/auth"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
)

// KeyNames implements vendor.Forker.
func (s *Service) KeyNames() []string {
	return []string{"clinked.password", "clinked.client_secret", "clinked.access_token"}
}

// Rekey implements vendor.Forker: every issued token is dropped, the admin
// (user 1) gets the fork's password, the control plane's application the
// fork's secret and every other application a fresh random one, and the
// ready token is issued anew. The docs seed's documented password and
// client secret are constants, so they stay.
func (s *Service) Rekey(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace) error {
	c := adminCredentials(ns)
	if _, err := tx.ExecContext(ctx, `DELETE FROM clinked_tokens WHERE ns = $1`, ns.ID); err != nil {
		return err
	}
	hash, err := auth.HashSecret(c.password)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE clinked_users SET password_hash = $2 WHERE ns = $1 AND id = 1`,
		ns.ID, hash); err != nil {
		return err
	}
	// The control plane's application keeps the fork's secret.
	secret := func(id string) string {
		if id == c.clientID {
			return secretHash(c.clientSecret)
		}
		return secretHash(ids.UUID())
	}
	if err := store.Reissue(ctx, tx, ns.ID, `UPDATE clinked_applications SET secret_hash = $3 WHERE ns = $1 AND client_id = $2`,
		secret, `SELECT client_id FROM clinked_applications WHERE ns = $1 ORDER BY client_id`, ns.ID); err != nil {
		return err
	}
	return insertToken(ctx, tx, ns.ID, &tokenRow{
		accessHash: secretHash(c.accessToken), clientID: publicClient, userID: 1, grantType: "password",
		scope: defaultScope, expiresAt: ms(ns.Now().Add(readyTokenTTL)), createdAt: ms(ns.Now()),
	})
}
