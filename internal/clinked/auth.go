package clinked

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"

	"github.com/standin-dev/standin/internal/auth"
	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/namespace"
)

// publicClient is the client id of the password grant: Clinked's own apps,
// which have no secret.
const publicClient = "clinked-mobile"

// caller is who a /v3 request acts for: the token's user, and the OAuth
// client that the token was issued to (an application's client id, or
// publicClient).
type caller struct {
	ns       *namespace.Namespace
	user     *user
	clientID string
	scope    string
}

// secretHash hashes a token or client secret for storage. They are random
// and long, so a fast hash suffices (unlike passwords).
func secretHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// bearer returns the request's access token: the Authorization header, or
// the access_token query parameter that Spring also accepts.
func bearer(r *http.Request) string {
	if t := auth.Bearer(r); t != "" {
		return t
	}
	return r.URL.Query().Get("access_token")
}

// handlerFunc is the shape of every /v3 handler: it writes the success
// answer itself and returns an error for everything else, which envelope
// writes.
type handlerFunc func(w http.ResponseWriter, r *http.Request, c *caller) error

// authed lets a request through with a valid, unexpired, unrevoked access
// token of this namespace and hands the handler its caller. Failures are
// Spring OAuth2's 401s.
func (s *Service) authed(h handlerFunc) http.Handler {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		c, err := s.authenticate(r)
		if err != nil {
			return err
		}
		return h(w, r, c)
	})
}

// authenticate resolves the request's access token to its caller.
func (s *Service) authenticate(r *http.Request) (*caller, error) {
	ns := namespace.FromContext(r.Context())
	tok := bearer(r)
	if tok == "" {
		return nil, oauthErr(http.StatusUnauthorized, "unauthorized", "Full authentication is required to access this resource")
	}
	// The token's row is kept until the namespace's next counted write
	// (a revocation, a refresh); its expiry is checked on every request,
	// since the namespace's clock moves without one.
	type tokenRow struct {
		u               user
		clientID, scope string
		expiresAt       int64
		revoked         bool
	}
	hash := secretHash(tok)
	t, err := namespace.Remember(r.Context(), "clinked.token:"+hash, func() (tokenRow, error) {
		var t tokenRow
		dest := append([]any{&t.clientID, &t.scope, &t.expiresAt, &t.revoked}, t.u.dest()...)
		err := s.db.QueryRowContext(r.Context(), `SELECT t.client_id, t.scope, t.expires_at, t.revoked, `+
			userColumnsAs("u")+` FROM clinked_tokens t JOIN clinked_users u ON u.ns = t.ns AND u.id = t.user_id
			WHERE t.ns = $1 AND t.access_hash = $2`, ns.ID, hash).Scan(dest...)
		return t, err
	})
	u, clientID, scope, expiresAt, revoked := t.u, t.clientID, t.scope, t.expiresAt, t.revoked
	switch {
	case errors.Is(err, sql.ErrNoRows) || (err == nil && revoked):
		return nil, oauthErr(http.StatusUnauthorized, "invalid_token", "Invalid access token: "+tok)
	case err != nil:
		return nil, err
	case expiresAt <= ms(ns.Now()):
		return nil, oauthErr(http.StatusUnauthorized, "invalid_token", "Access token expired: "+tok)
	case !u.enabled:
		return nil, oauthErr(http.StatusUnauthorized, "invalid_token", "User is disabled")
	}
	return &caller{ns: ns, user: &u, clientID: clientID, scope: scope}, nil
}

// pathID parses an integer path parameter; one that is not is a 400,
// Spring's type-mismatch answer.
func pathID(r *http.Request, name string) (int64, error) {
	v := r.PathValue(name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, httpx.BadRequest("Failed to convert value of type 'java.lang.String' to required type 'java.lang.Long'; For input string: \"%s\"", v)
	}
	return id, nil
}

// idAfter parses the integer path parameter name once the handler's
// lookup succeeded; a failed lookup's error is returned as it is.
func idAfter(r *http.Request, name string, lookupErr error) (int64, error) {
	if lookupErr != nil {
		return 0, lookupErr
	}
	return pathID(r, name)
}

// isAdmin tells whether an account permission makes an administrator.
func isAdmin(perm int64) bool { return perm >= permAdmin }

// account resolves the {account} path parameter for c: the account and
// c's membership. An account the caller is not a member of does not exist
// for them (404); with needAdmin, a member below permission 16 gets 403.
func (s *Service) account(r *http.Request, c *caller, needAdmin bool) (*account, *member, error) {
	id, err := pathID(r, "account")
	if err != nil {
		return nil, nil, err
	}
	return s.accountByIDFor(r.Context(), c, id, needAdmin)
}

// accountByIDFor is account for an id that did not come from the path.
func (s *Service) accountByIDFor(ctx context.Context, c *caller, id int64, needAdmin bool) (*account, *member, error) {
	// Kept until the namespace's next counted write; the caller gets
	// copies, which it may change.
	type membership struct {
		a account
		m member
	}
	key := "clinked.membership:" + strconv.FormatInt(id, 10) + ":" + strconv.FormatInt(c.user.id, 10)
	kept, err := namespace.Remember(ctx, key, func() (membership, error) {
		m, err := memberOf(ctx, s.db, c.ns.ID, id, c.user.id)
		if err != nil {
			return membership{}, err
		}
		a, err := accountByID(ctx, s.db, c.ns.ID, id)
		if err != nil {
			return membership{}, err
		}
		return membership{*a, *m}, nil
	})
	if err != nil {
		return nil, nil, notFoundIf(err, "Account not found")
	}
	a, m := &kept.a, &kept.m
	if needAdmin && !isAdmin(m.permission) {
		return nil, nil, httpx.Forbidden("Account administrator permission is required")
	}
	return a, m, nil
}

// groupAccess is a group as the caller may use it.
type groupAccess struct {
	group *group
	// perm is the caller's effective group permission: 16 for an account
	// administrator, else the group membership's permission.
	perm int64
	// accountPerm is the caller's account permission (0: not an account
	// member, e.g. a guest-like group-only member).
	accountPerm int64
}

// errGroupNotFound is the 404 of a group the caller cannot see.
var errGroupNotFound = httpx.NotFound("Group not found")

// group resolves a group id for c. A group that is removed, that belongs
// to an account the caller is not in, or that the caller may not see
// (neither account administrator nor a current member) is 404; a visible
// group where the caller's permission is below need is 403. need 0 only
// requires visibility.
func (s *Service) group(ctx context.Context, c *caller, id int64, need int64) (*groupAccess, error) {
	g, err := groupByID(ctx, s.db, c.ns.ID, id)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && g.removed) {
		return nil, errGroupNotFound
	}
	if err != nil {
		return nil, err
	}
	ga := &groupAccess{group: g}
	if m, err := memberOf(ctx, s.db, c.ns.ID, g.accountID, c.user.id); err == nil {
		ga.accountPerm = m.permission
		if isAdmin(m.permission) {
			ga.perm = permAdmin
		}
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if ga.perm == 0 {
		gm, err := groupMemberOf(ctx, s.db, c.ns.ID, g.id, c.user.id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return nil, err
		case !gm.expirationDate.Valid || gm.expirationDate.Int64 > ms(c.ns.Now()):
			ga.perm = gm.permission
		}
	}
	if ga.perm == 0 {
		return nil, errGroupNotFound
	}
	if ga.perm < need {
		return nil, httpx.Forbidden("Group permission %d is required", need)
	}
	return ga, nil
}

// groupFromPath is group for the {group} path parameter.
func (s *Service) groupFromPath(r *http.Request, c *caller, need int64) (*groupAccess, error) {
	id, err := pathID(r, "group")
	if err != nil {
		return nil, err
	}
	return s.group(r.Context(), c, id, need)
}
