package clinked

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/standin-dev/standin/internal/auth"
	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
)

// Token lifetimes. client_credentials tokens live two hours (the doc shows
// expires_in 7199 on a fresh one); password-grant tokens have Spring's
// defaults: 12 hours, refresh tokens 30 days.
const (
	clientTokenTTL   = 2 * time.Hour
	passwordTokenTTL = 12 * time.Hour
	refreshTokenTTL  = 30 * 24 * time.Hour
	defaultScope     = "read write"
)

// tokenRow is one issued token.
type tokenRow struct {
	accessHash       string
	refreshHash      sql.NullString
	clientID         string
	userID           int64
	grantType, scope string
	expiresAt        int64
	refreshExpiresAt sql.NullInt64
	createdAt        int64
}

func insertToken(ctx context.Context, q store.Querier, ns string, t *tokenRow) error {
	_, err := q.ExecContext(ctx, `INSERT INTO clinked_tokens (ns, access_hash, refresh_hash, client_id,
		user_id, grant_type, scope, expires_at, refresh_expires_at, revoked, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, FALSE, $10)`,
		ns, t.accessHash, t.refreshHash, t.clientID, t.userID, t.grantType, t.scope, t.expiresAt,
		t.refreshExpiresAt, t.createdAt)
	return err
}

// revokeClientTokens revokes every token issued to an OAuth client.
func revokeClientTokens(ctx context.Context, q store.Querier, ns, clientID string) error {
	_, err := q.ExecContext(ctx, `UPDATE clinked_tokens SET revoked = TRUE, refresh_hash = NULL
		WHERE ns = $1 AND client_id = $2`, ns, clientID)
	return err
}

// passwordTokenResponse is the documented password/refresh grant answer.
type passwordTokenResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	Scope        string `json:"scope"`
	TokenType    string `json:"token_type"`
}

// clientTokenResponse is the documented client_credentials answer.
type clientTokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Scope       string `json:"scope"`
}

// token serves /oauth/token, GET or POST, with its parameters in the query
// string or a form (or JSON) body; client credentials may also come as
// HTTP Basic, as Spring allows.
func (s *Service) token(w http.ResponseWriter, r *http.Request) error {
	p, err := httpx.Params(w, r)
	if err != nil {
		return oauthErr(http.StatusBadRequest, "invalid_request", err.Error())
	}
	if id, secret, ok := r.BasicAuth(); ok {
		if p.Get("client_id") == "" {
			p.Set("client_id", id)
		}
		if p.Get("client_secret") == "" {
			p.Set("client_secret", secret)
		}
	}
	switch gt := p.Get("grant_type"); gt {
	case "":
		return oauthErr(http.StatusBadRequest, "invalid_request", "Missing grant type")
	case "password":
		return s.passwordGrant(w, r, p)
	case "client_credentials":
		return s.clientCredentialsGrant(w, r, p)
	case "refresh_token":
		return s.refreshGrant(w, r, p)
	default:
		return oauthErr(http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type: "+gt)
	}
}

// checkClient authenticates the OAuth client of a grant: the public
// clinked-mobile client needs no secret; an application needs its secret.
// Anything else is 401 invalid_client.
func (s *Service) checkClient(r *http.Request, ns *namespace.Namespace, p url.Values) (*application, error) {
	id := p.Get("client_id")
	if id == publicClient {
		return nil, nil
	}
	if id != "" {
		app, err := applicationByClientID(r.Context(), s.db, ns.ID, id)
		if err == nil && auth.Equal(app.secretHash, secretHash(p.Get("client_secret"))) {
			return app, nil
		}
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
	}
	return nil, oauthErr(http.StatusUnauthorized, "invalid_client", "Bad client credentials")
}

// passwordGrant serves grant_type=password: a user's username (or e-mail)
// and password, and the two-factor code when it is on.
func (s *Service) passwordGrant(w http.ResponseWriter, r *http.Request, p url.Values) error {
	ns := namespace.FromContext(r.Context())
	if _, err := s.checkClient(r, ns, p); err != nil {
		return err
	}
	username, password := p.Get("username"), p.Get("password")
	u, err := userByLogin(r.Context(), s.db, ns.ID, username)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if err != nil || username == "" || !auth.CheckPassword(u.passwordHash, password) {
		return oauthErr(http.StatusBadRequest, "invalid_grant", "Bad credentials")
	}
	switch {
	case !u.enabled:
		return oauthErr(http.StatusBadRequest, "invalid_grant", "User is disabled")
	case u.locked:
		return oauthErr(http.StatusBadRequest, "invalid_grant", "User account is locked")
	}
	need2FA, err := s.needsTwoFactor(r.Context(), ns.ID, u)
	if err != nil {
		return err
	}
	if need2FA {
		code := strings.TrimSpace(p.Get("code"))
		if code == "" {
			return oauthErr(http.StatusBadRequest, "invalid_grant", "Two-factor authentication code is required")
		}
		if !u.twoFactorCode.Valid || !auth.Equal(code, u.twoFactorCode.String) {
			return oauthErr(http.StatusBadRequest, "invalid_grant", "Invalid two-factor authentication code")
		}
	}
	return s.issuePasswordToken(w, r, ns, p.Get("client_id"), u.id, scopeOf(p), "")
}

// needsTwoFactor tells whether a password login of u needs a code: the
// user turned 2FA on, or an account of theirs enforces it.
func (s *Service) needsTwoFactor(ctx context.Context, ns string, u *user) (bool, error) {
	if u.twoFactor {
		return true, nil
	}
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM clinked_members m
		JOIN clinked_accounts a ON a.ns = m.ns AND a.id = m.account_id
		WHERE m.ns = $1 AND m.user_id = $2 AND a.two_factor_enforced`, ns, u.id).Scan(&n)
	return n > 0, err
}

// scopeOf is the requested scope, "read write" by default.
func scopeOf(p url.Values) string {
	if sc := strings.Join(strings.Fields(p.Get("scope")), " "); sc != "" {
		return sc
	}
	return defaultScope
}

// issuePasswordToken issues an access token and a refresh token. With
// refresh set (the refresh grant), the refresh token is kept, as Spring
// does by default.
func (s *Service) issuePasswordToken(w http.ResponseWriter, r *http.Request, ns *namespace.Namespace, clientID string, userID int64, scope, refresh string) error {
	now := ns.Now()
	access := ids.UUID()
	reused := refresh != ""
	if !reused {
		refresh = ids.UUID()
	}
	t := &tokenRow{
		accessHash: secretHash(access), refreshHash: sql.NullString{String: secretHash(refresh), Valid: true},
		clientID: clientID, userID: userID, grantType: "password", scope: scope,
		expiresAt:        ms(now.Add(passwordTokenTTL)),
		refreshExpiresAt: sql.NullInt64{Int64: ms(now.Add(refreshTokenTTL)), Valid: true},
		createdAt:        ms(now),
	}
	err := s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		if reused {
			// The refresh token moves to the new access token; the old
			// access token is removed, as Spring's token services do.
			var exp sql.NullInt64
			err := tx.QueryRowContext(r.Context(), `UPDATE clinked_tokens SET revoked = TRUE, refresh_hash = NULL
				WHERE ns = $1 AND refresh_hash = $2 RETURNING refresh_expires_at`, ns.ID, t.refreshHash.String).Scan(&exp)
			if err != nil {
				return err
			}
			t.refreshExpiresAt = exp
		}
		return insertToken(r.Context(), tx, ns.ID, t)
	})
	if err != nil {
		return err
	}
	noStore(w)
	httpx.WriteJSON(w, http.StatusOK, passwordTokenResponse{
		AccessToken: access, RefreshToken: refresh, Scope: scope, TokenType: "bearer",
	})
	return nil
}

// noStore sets the cache headers Spring sends with tokens.
func noStore(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
}

// clientCredentialsGrant serves grant_type=client_credentials: an
// application's own token, acting as its owner.
func (s *Service) clientCredentialsGrant(w http.ResponseWriter, r *http.Request, p url.Values) error {
	ns := namespace.FromContext(r.Context())
	app, err := s.checkClient(r, ns, p)
	if err != nil {
		return err
	}
	if app == nil { // the public client has no secret to prove
		return oauthErr(http.StatusUnauthorized, "invalid_client", "Unauthorized grant type: client_credentials")
	}
	now := ns.Now()
	access := ids.UUID()
	scope := scopeOf(p)
	t := &tokenRow{accessHash: secretHash(access), clientID: app.clientID, userID: app.ownerID,
		grantType: "client_credentials", scope: scope, expiresAt: ms(now.Add(clientTokenTTL)), createdAt: ms(now)}
	err = s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		if err := insertToken(r.Context(), tx, ns.ID, t); err != nil {
			return err
		}
		// The application's lastActivity and ip show its latest token.
		_, err := tx.ExecContext(r.Context(), `UPDATE clinked_applications SET last_activity = $3, ip = $4
			WHERE ns = $1 AND client_id = $2`, ns.ID, app.clientID, ms(now), clientIP(r))
		return err
	})
	if err != nil {
		return err
	}
	noStore(w)
	// A fresh token shows one second less than its lifetime, as Spring
	// rounds the remaining time down.
	httpx.WriteJSON(w, http.StatusOK, clientTokenResponse{
		AccessToken: access, TokenType: "bearer", ExpiresIn: int64(clientTokenTTL/time.Second) - 1, Scope: scope,
	})
	return nil
}

// refreshGrant serves grant_type=refresh_token: a new access token for a
// refresh token of the same client.
func (s *Service) refreshGrant(w http.ResponseWriter, r *http.Request, p url.Values) error {
	ns := namespace.FromContext(r.Context())
	if _, err := s.checkClient(r, ns, p); err != nil {
		return err
	}
	refresh := p.Get("refresh_token")
	if refresh == "" {
		return oauthErr(http.StatusBadRequest, "invalid_request", "Missing refresh token")
	}
	var (
		clientID, scope string
		userID          int64
		exp             sql.NullInt64
		enabled         bool
	)
	err := s.db.QueryRowContext(r.Context(), `SELECT t.client_id, t.scope, t.user_id, t.refresh_expires_at, u.enabled
		FROM clinked_tokens t JOIN clinked_users u ON u.ns = t.ns AND u.id = t.user_id
		WHERE t.ns = $1 AND t.refresh_hash = $2`, ns.ID, secretHash(refresh)).Scan(&clientID, &scope, &userID, &exp, &enabled)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return oauthErr(http.StatusBadRequest, "invalid_grant", "Invalid refresh token: "+refresh)
	case err != nil:
		return err
	case clientID != p.Get("client_id"):
		return oauthErr(http.StatusBadRequest, "invalid_grant", "Wrong client for this refresh token: "+refresh)
	case exp.Valid && exp.Int64 <= ms(ns.Now()):
		return oauthErr(http.StatusBadRequest, "invalid_grant", "Invalid refresh token (expired): "+refresh)
	case !enabled:
		return oauthErr(http.StatusBadRequest, "invalid_grant", "User is disabled")
	}
	return s.issuePasswordToken(w, r, ns, clientID, userID, scope, refresh)
}
