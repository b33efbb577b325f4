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

type callerKey struct{}

// callerFrom returns the authenticated caller; only handlers wrapped in
// authed call it.
func callerFrom(ctx context.Context) *caller { return ctx.Value(callerKey{}).(*caller) }

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

// authed lets a request through with a valid, unexpired, unrevoked access
// token of this namespace, putting the caller in the context. Failures are
// Spring OAuth2's 401s.
func (s *Service) authed(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ns := namespace.FromContext(r.Context())
		tok := bearer(r)
		if tok == "" {
			oauthError(w, http.StatusUnauthorized, "unauthorized", "Full authentication is required to access this resource")
			return
		}
		var (
			u               user
			clientID, scope string
			expiresAt       int64
			revoked         bool
		)
		dest := append([]any{&clientID, &scope, &expiresAt, &revoked}, u.dest()...)
		err := s.db.QueryRowContext(r.Context(), `SELECT t.client_id, t.scope, t.expires_at, t.revoked, `+
			userColumnsAs("u")+` FROM clinked_tokens t JOIN clinked_users u ON u.ns = t.ns AND u.id = t.user_id
			WHERE t.ns = $1 AND t.access_hash = $2`, ns.ID, secretHash(tok)).Scan(dest...)
		switch {
		case errors.Is(err, sql.ErrNoRows) || (err == nil && revoked):
			oauthError(w, http.StatusUnauthorized, "invalid_token", "Invalid access token: "+tok)
			return
		case err != nil:
			s.internalError(w, r, err)
			return
		case expiresAt <= ms(ns.Now()):
			oauthError(w, http.StatusUnauthorized, "invalid_token", "Access token expired: "+tok)
			return
		case !u.enabled:
			oauthError(w, http.StatusUnauthorized, "invalid_token", "User is disabled")
			return
		}
		c := &caller{ns: ns, user: &u, clientID: clientID, scope: scope}
		h(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, c)))
	})
}

// pathID parses an integer path parameter, answering 400 itself (Spring's
// type-mismatch answer) when it is not one.
func pathID(w http.ResponseWriter, r *http.Request, name string) (int64, bool) {
	v := r.PathValue(name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		badRequest(w, r, "Failed to convert value of type 'java.lang.String' to required type 'java.lang.Long'; For input string: \""+v+"\"")
		return 0, false
	}
	return id, true
}

// isAdmin tells whether an account permission makes an administrator.
func isAdmin(perm int64) bool { return perm >= permAdmin }

// account resolves the {account} path parameter for the caller: the
// account and the caller's membership. An account the caller is not a
// member of does not exist for them (404); with needAdmin, a member below
// permission 16 gets 403. It answers the error itself.
func (s *Service) account(w http.ResponseWriter, r *http.Request, needAdmin bool) (*account, *member, bool) {
	id, ok := pathID(w, r, "account")
	if !ok {
		return nil, nil, false
	}
	return s.accountByIDFor(w, r, id, needAdmin)
}

// accountByIDFor is account for an id that did not come from the path.
func (s *Service) accountByIDFor(w http.ResponseWriter, r *http.Request, id int64, needAdmin bool) (*account, *member, bool) {
	c := callerFrom(r.Context())
	m, err := memberOf(r.Context(), s.db, c.ns.ID, id, c.user.id)
	var a *account
	if err == nil {
		a, err = accountByID(r.Context(), s.db, c.ns.ID, id)
	}
	if errors.Is(err, sql.ErrNoRows) {
		notFound(w, r, "Account not found")
		return nil, nil, false
	}
	if err != nil {
		s.internalError(w, r, err)
		return nil, nil, false
	}
	if needAdmin && !isAdmin(m.permission) {
		forbidden(w, r, "Account administrator permission is required")
		return nil, nil, false
	}
	return a, m, true
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

// group resolves a group id for the caller. A group that is removed, that
// belongs to an account the caller is not in, or that the caller may not
// see (neither account administrator nor a current member) is 404; a
// visible group where the caller's permission is below need is 403. It
// answers the error itself. need 0 only requires visibility.
func (s *Service) group(w http.ResponseWriter, r *http.Request, id int64, need int64) (*groupAccess, bool) {
	c := callerFrom(r.Context())
	g, err := groupByID(r.Context(), s.db, c.ns.ID, id)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && g.removed) {
		notFound(w, r, "Group not found")
		return nil, false
	}
	if err != nil {
		s.internalError(w, r, err)
		return nil, false
	}
	ga := &groupAccess{group: g}
	if m, err := memberOf(r.Context(), s.db, c.ns.ID, g.accountID, c.user.id); err == nil {
		ga.accountPerm = m.permission
		if isAdmin(m.permission) {
			ga.perm = permAdmin
		}
	} else if !errors.Is(err, sql.ErrNoRows) {
		s.internalError(w, r, err)
		return nil, false
	}
	if ga.perm == 0 {
		gm, err := groupMemberOf(r.Context(), s.db, c.ns.ID, g.id, c.user.id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			s.internalError(w, r, err)
			return nil, false
		case !gm.expirationDate.Valid || gm.expirationDate.Int64 > ms(c.ns.Now()):
			ga.perm = gm.permission
		}
	}
	if ga.perm == 0 {
		notFound(w, r, "Group not found")
		return nil, false
	}
	if ga.perm < need {
		forbidden(w, r, "Group permission "+strconv.FormatInt(need, 10)+" is required")
		return nil, false
	}
	return ga, true
}

// groupFromPath is group for the {group} path parameter.
func (s *Service) groupFromPath(w http.ResponseWriter, r *http.Request, need int64) (*groupAccess, bool) {
	id, ok := pathID(w, r, "group")
	if !ok {
		return nil, false
	}
	return s.group(w, r, id, need)
}
