package klipfolio

import (
	"context"
	"database/sql"
	"errors"
	"net/http"

	"github.com/standin-dev/standin/internal/auth"
	"github.com/standin-dev/standin/internal/namespace"
)

// caller is the authenticated user of a request.
type caller struct {
	ns        *namespace.Namespace
	userID    string
	accountID string // the caller's company account
	canManage bool
}

type callerKey struct{}

func callerFrom(ctx context.Context) *caller { return ctx.Value(callerKey{}).(*caller) }

// authed authenticates by the kf-api-key header or by HTTP Basic with email
// and password, then checks the user.manage permission when needed.
func (s *Service) authed(needManage bool, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ns := namespace.FromContext(r.Context())
		key := r.Header.Get("kf-api-key")
		email, password, basic := r.BasicAuth()
		var (
			u   *user
			err error
		)
		switch {
		case key != "":
			u, err = userByAPIKey(r.Context(), s.db, ns.ID, key)
		case basic:
			u, err = userByEmail(r.Context(), s.db, ns.ID, email)
			if err == nil && !auth.CheckPassword(u.passwordHash, password) {
				err = sql.ErrNoRows
			}
		default:
			fail(w, http.StatusUnauthorized, codeAuthNotProvided, "This operation requires authentication")
			return
		}
		if errors.Is(err, sql.ErrNoRows) {
			fail(w, http.StatusUnauthorized, codeAuthInvalid, "The credentials provided are not valid")
			return
		}
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		if needManage && !u.canManage {
			fail(w, http.StatusForbidden, codeForbidden, "This operation requires the user.manage permission")
			return
		}
		c := &caller{ns: ns, userID: u.id, accountID: u.accountID, canManage: u.canManage}
		h(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, c)))
	})
}

// account resolves the account a request works in: the caller's company,
// or with client_id a client account that the company manages. An unknown
// or foreign client is a 404, as the catalog recommends.
func (s *Service) account(ctx context.Context, c *caller, clientID string) (*account, error) {
	if clientID == "" {
		return accountByID(ctx, s.db, c.ns.ID, c.accountID)
	}
	a, err := accountByID(ctx, s.db, c.ns.ID, clientID)
	if err != nil {
		return nil, err
	}
	if a.parentID != c.accountID {
		return nil, sql.ErrNoRows
	}
	return a, nil
}
