package worksection

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"time"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/namespace"
)

// Token lifetimes: access tokens as the real service issues them (the SDK
// docs show expires_in 86400); refresh tokens a month.
const (
	accessTTL  = 24 * time.Hour
	refreshTTL = 30 * 24 * time.Hour
)

// tokenResponse is what /oauth2/token and /oauth2/refresh return.
type tokenResponse struct {
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
}

// oauthParams reads the query and a form body (GET or POST).
func oauthParams(w http.ResponseWriter, r *http.Request) (*httpx.Body, error) {
	p, err := httpx.Params(w, r)
	status := http.StatusBadRequest
	if errors.Is(err, httpx.ErrBodyTooLarge) {
		status = http.StatusRequestEntityTooLarge
	}
	if err != nil {
		return nil, oauthErr(status, "invalid_request", err.Error())
	}
	return httpx.ValuesBody(p, httpx.Lenient), nil
}

// oauthToken serves /oauth2/token: client_credentials (a token of the
// account owner), authorization_code (seeded codes) and, as OAuth2 allows
// there, refresh_token.
func (s *Service) oauthToken(w http.ResponseWriter, r *http.Request) error {
	p, err := oauthParams(w, r)
	if err != nil {
		return err
	}
	grant := param(p, "grant_type")
	switch grant {
	case "client_credentials", "authorization_code", "refresh_token":
	case "":
		return oauthErr(http.StatusBadRequest, "invalid_request", "The request is missing a required parameter: grant_type")
	default:
		return oauthErr(http.StatusBadRequest, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server")
	}
	return s.grant(w, r, p, grant)
}

// oauthRefresh serves /oauth2/refresh: grant_type=refresh_token (which may
// be left out) with the client's id and secret.
func (s *Service) oauthRefresh(w http.ResponseWriter, r *http.Request) error {
	p, err := oauthParams(w, r)
	if err != nil {
		return err
	}
	if g := param(p, "grant_type"); g != "" && g != "refresh_token" {
		return oauthErr(http.StatusBadRequest, "unsupported_grant_type", "/oauth2/refresh takes grant_type=refresh_token")
	}
	return s.grant(w, r, p, "refresh_token")
}

// grant checks the client and issues a token pair for grant.
func (s *Service) grant(w http.ResponseWriter, r *http.Request, p *httpx.Body, grant string) error {
	ctx := r.Context()
	ns := namespace.FromContext(ctx)
	clientID, secret := param(p, "client_id"), param(p, "client_secret")
	if id, sec, basic := r.BasicAuth(); basic && clientID == "" {
		clientID, secret = id, sec
	}
	var res *tokenResponse
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if clientID == "" || secret == "" {
			return oauthErr(http.StatusBadRequest, "invalid_request", "The request is missing a required parameter: client_id and client_secret")
		}
		valid, err := clientValid(ctx, tx, ns.ID, clientID, secret)
		if err != nil {
			return err
		}
		if !valid {
			return oauthErr(http.StatusUnauthorized, "invalid_client", "Client authentication failed")
		}
		var userID int64
		switch grant {
		case "client_credentials":
			a, err := accountByNS(ctx, tx, ns.ID)
			if err != nil {
				return err
			}
			userID = a.ownerID
		case "authorization_code":
			if userID, err = s.redeemCode(ctx, tx, ns, clientID, p); err != nil {
				return err
			}
		case "refresh_token":
			if userID, err = s.redeemRefresh(ctx, tx, ns, clientID, p); err != nil {
				return err
			}
		}
		res, err = issueTokens(ctx, tx, ns, clientID, userID)
		return err
	})
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, res)
	return nil
}

func (s *Service) redeemCode(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, clientID string, p *httpx.Body) (int64, error) {
	code := param(p, "code")
	if code == "" {
		return 0, oauthErr(http.StatusBadRequest, "invalid_request", "The request is missing a required parameter: code")
	}
	c, err := takeCode(ctx, tx, ns.ID, code, clientID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, oauthErr(http.StatusBadRequest, "invalid_grant", "Authorization code is invalid")
	}
	if err != nil {
		return 0, err
	}
	if c.expiresAt.Valid && !ns.Now().Before(time.UnixMilli(c.expiresAt.Int64)) {
		return 0, oauthErr(http.StatusBadRequest, "invalid_grant", "Authorization code has expired")
	}
	if c.redirectURI != "" && param(p, "redirect_uri") != c.redirectURI {
		return 0, oauthErr(http.StatusBadRequest, "invalid_grant", "redirect_uri does not match the authorization request")
	}
	return c.userID, nil
}

// redeemRefresh checks a refresh token and revokes it with its access
// token: refresh tokens rotate.
func (s *Service) redeemRefresh(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, clientID string, p *httpx.Body) (int64, error) {
	rt := param(p, "refresh_token")
	if rt == "" {
		return 0, oauthErr(http.StatusBadRequest, "invalid_request", "The request is missing a required parameter: refresh_token")
	}
	t, err := tokenByValue(ctx, tx, ns.ID, kindRefresh, rt)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && t.clientID != clientID) {
		return 0, oauthErr(http.StatusBadRequest, "invalid_grant", "Refresh token is invalid")
	}
	if err != nil {
		return 0, err
	}
	if !ns.Now().Before(t.expiresAt) {
		return 0, oauthErr(http.StatusBadRequest, "invalid_grant", "Refresh token is expired")
	}
	n, err := revokePair(ctx, tx, ns.ID, t.pairID)
	if err != nil {
		return 0, err
	}
	if n == 0 { // a concurrent refresh spent it first
		return 0, oauthErr(http.StatusBadRequest, "invalid_grant", "Refresh token is invalid")
	}
	return t.userID, nil
}

// issueTokens makes a new access and refresh token pair. Refresh tokens
// start with "def50200", like the real service's.
func issueTokens(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, clientID string, userID int64) (*tokenResponse, error) {
	now := ns.Now()
	pair := ids.Hex(12)
	res := &tokenResponse{TokenType: "Bearer", ExpiresIn: int(accessTTL / time.Second),
		AccessToken: ids.Token(32), RefreshToken: "def50200" + ids.Token(40)}
	if err := insertToken(ctx, tx, ns.ID, kindAccess, res.AccessToken,
		&token{pairID: pair, clientID: clientID, userID: userID, expiresAt: now.Add(accessTTL)}); err != nil {
		return nil, err
	}
	if err := insertToken(ctx, tx, ns.ID, kindRefresh, res.RefreshToken,
		&token{pairID: pair, clientID: clientID, userID: userID, expiresAt: now.Add(refreshTTL)}); err != nil {
		return nil, err
	}
	return res, nil
}
