package workdrive

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
)

// Roles. The SuperAdmin belongs to no organization and may only create
// organizations; the OrgAdmin created the organization.
const (
	roleSuperAdmin = "SUPER_ADMIN"
	roleOrgAdmin   = "ORG_ADMIN"
	roleUser       = "USER"
)

// caller is the authenticated user of a request.
type caller struct {
	ns    *namespace.Namespace
	user  *user
	id    string // the user's id
	orgID string // "" for the SuperAdmin
	role  string
}

func (c *caller) isOrgAdmin() bool { return c.role == roleOrgAdmin }

// nowMS is the namespace's time in Unix milliseconds.
func (c *caller) nowMS() int64 { return c.ns.Now().UnixMilli() }

// inOrg is the condition on rows (of table alias t, "" for none) of the
// caller's namespace and organization, its arguments added to a.
func (c *caller) inOrg(a *store.Args, t string) string {
	if t != "" {
		t += "."
	}
	return t + "ns = " + a.Add(c.ns.ID) + " AND " + t + "org_id = " + a.Add(c.orgID)
}

// requireOrgAdmin refuses callers other than the OrgAdmin with 403.
func (c *caller) requireOrgAdmin(action string) error {
	if !c.isOrgAdmin() {
		return httpx.Forbidden("Only the organization admin can %s", action)
	}
	return nil
}

// handlerFunc is a WorkDrive handler: it writes the success response itself
// and returns an error (an *httpx.Error or an internal error) otherwise.
type handlerFunc func(w http.ResponseWriter, r *http.Request, c *caller) error

// withBody adapts a handler that also serves as the second half of
// another (it takes a body that handler has read already): it reads the
// request's body first.
func withBody(h func(w http.ResponseWriter, r *http.Request, c *caller, b *httpx.Body) error) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller) error {
		b, err := readBody(w, r)
		if err != nil {
			return err
		}
		return h(w, r, c, b)
	}
}

// authed authenticates X-API-KEY (the header name is case-insensitive) and
// runs h for a member of an organization. The SuperAdmin, who belongs to
// none, gets 403.
func (s *Service) authed(h handlerFunc) http.Handler {
	return s.authenticate(false, h)
}

// authedSuper is authed that also lets the SuperAdmin through.
func (s *Service) authedSuper(h handlerFunc) http.Handler {
	return s.authenticate(true, h)
}

func (s *Service) authenticate(allowSuper bool, h handlerFunc) http.Handler {
	return httpx.Handler(s.log, s.envelope, func(w http.ResponseWriter, r *http.Request) error {
		ns := namespace.FromContext(r.Context())
		key := strings.TrimSpace(r.Header.Get("X-API-KEY"))
		if key == "" {
			return httpx.Unauthorized("Unauthorized")
		}
		// Kept until the namespace's next counted write (a new key, a
		// revocation, a change of the user); the caller gets its own copy.
		kept, err := namespace.Remember(r.Context(), "workdrive.user.key:"+hashKey(key), func() (user, error) {
			u, err := userByKey(r.Context(), s.db, ns.ID, key)
			if err != nil {
				return user{}, err
			}
			return *u, nil
		})
		u := &kept
		if errors.Is(err, sql.ErrNoRows) {
			return httpx.Unauthorized("Invalid API key")
		}
		if err != nil {
			return err
		}
		if u.status == "BLOCKED" || u.status == "ARCHIVE" {
			return httpx.Unauthorized("User is %s", strings.ToLower(u.status))
		}
		c := &caller{ns: ns, user: u, id: u.id, orgID: u.orgID, role: u.role}
		if c.role == roleSuperAdmin && !allowSuper {
			return httpx.Forbidden("The SuperAdmin belongs to no organization; use an organization user's API key")
		}
		return h(w, r, c)
	})
}

// hashKey is how API keys are stored.
func hashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// userByKey finds the key's user by primary key. (A JOIN on the keys let
// PostgreSQL, without statistics on a young namespace's tables, scan every
// user of the namespace per request: 270 users made each request ~7 ms.)
func userByKey(ctx context.Context, q store.Querier, ns, key string) (*user, error) {
	return scanUser(q.QueryRowContext(ctx, userSelect+`
		WHERE u.ns = $1 AND u.id = (SELECT k.user_id FROM workdrive_api_keys k WHERE k.ns = $1 AND k.key_hash = $2)`, ns, hashKey(key)))
}

// insertAPIKey stores a key for a user.
func insertAPIKey(ctx context.Context, q store.Querier, ns, userID, key string, now int64) error {
	_, err := q.ExecContext(ctx, `INSERT INTO workdrive_api_keys (ns, key_hash, user_id, created_at)
		VALUES ($1, $2, $3, $4)`, ns, hashKey(key), userID, now)
	return err
}

// revokeAPIKeys deletes every key of a user.
func revokeAPIKeys(ctx context.Context, q store.Querier, ns, userID string) error {
	_, err := q.ExecContext(ctx, `DELETE FROM workdrive_api_keys WHERE ns = $1 AND user_id = $2`, ns, userID)
	return err
}
