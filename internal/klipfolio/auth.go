package klipfolio

import (
	"context"
	"database/sql"
	"errors"
	"net/http"

	"github.com/standin-dev/standin/internal/auth"
	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/namespace"
)

// caller is the authenticated user of a request.
type caller struct {
	ns        *namespace.Namespace
	userID    string
	accountID string // the caller's company account
	canManage bool
}

// handlerFunc is a Klipfolio handler: it writes the success itself and
// returns every failure, which envelope answers.
type handlerFunc func(w http.ResponseWriter, r *http.Request, c *caller) error

// authed adapts h to http.Handler behind authentication, and the
// user.manage permission when needManage.
func (s *Service) authed(needManage bool, h handlerFunc) http.Handler {
	return httpx.Handler(s.log, s.envelope, func(w http.ResponseWriter, r *http.Request) error {
		c, err := s.authenticate(r, needManage)
		if err != nil {
			return err
		}
		return h(w, r, c)
	})
}

// authenticate finds the user by the kf-api-key header or by HTTP Basic
// with email and password.
func (s *Service) authenticate(r *http.Request, needManage bool) (*caller, error) {
	ns := namespace.FromContext(r.Context())
	key := r.Header.Get("kf-api-key")
	email, password, basic := r.BasicAuth()
	var (
		u   *user
		err error
	)
	switch {
	case key != "":
		// Kept per namespace until its next counted write; u is only read.
		u, err = namespace.Remember(r.Context(), "klipfolio.user.key:"+key, func() (*user, error) {
			return userBy(r.Context(), s.db, ns.ID, "api_key", key)
		})
	case basic:
		u, err = userBy(r.Context(), s.db, ns.ID, "email", email)
		if err == nil && !auth.CheckPassword(u.passwordHash, password) {
			err = sql.ErrNoRows
		}
	default:
		return nil, httpx.Unauthorized("This operation requires authentication").WithCode(codeAuthNotProvided)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, httpx.Unauthorized("The credentials provided are not valid")
	}
	if err != nil {
		return nil, err
	}
	if needManage && !u.canManage {
		return nil, httpx.Forbidden("This operation requires the user.manage permission")
	}
	return &caller{ns: ns, userID: u.id, accountID: u.accountID, canManage: u.canManage}, nil
}

// account resolves the account a request works in: the caller's company,
// or with client_id a client account that the company manages. An unknown
// or foreign client is a 404, as the catalog recommends.
func (s *Service) account(ctx context.Context, c *caller, clientID string) (*account, error) {
	id := clientID
	if id == "" {
		id = c.accountID
	}
	a, err := namespace.Remember(ctx, "klipfolio.account:"+id, func() (account, error) {
		a, err := accountByID(ctx, s.db, c.ns.ID, id)
		return *a, err
	})
	if errors.Is(err, sql.ErrNoRows) || (err == nil && clientID != "" && a.parentID != c.accountID) {
		return nil, httpx.NotFound("Client account not found")
	}
	return &a, err
}
