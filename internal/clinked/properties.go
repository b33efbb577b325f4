package clinked

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/valid"
)

// scope is what owns properties and announcements: an account (group 0)
// or one of its groups.
type scope struct {
	accountID, groupID int64
}

// accountScope resolves {account}: reads for any member, writes for
// administrators.
func (s *Service) accountScope(r *http.Request, c *caller, write bool) (scope, error) {
	a, _, err := s.account(r, c, write)
	if err != nil {
		return scope{}, err
	}
	return scope{accountID: a.id}, nil
}

// groupScope resolves {group}: reads for any member, writes for group
// administrators.
func (s *Service) groupScope(r *http.Request, c *caller, write bool) (scope, error) {
	need := int64(0)
	if write {
		need = permAdmin
	}
	ga, err := s.contentGroup(r, c, need)
	if err != nil {
		return scope{}, err
	}
	return scope{accountID: ga.group.accountID, groupID: ga.group.id}, nil
}

// contentGroup is groupFromPath for a group's content and configuration
// (issue 12): a member of the group's account who is not in the group is
// refused (403) rather than told the group does not exist; outside the
// account the group stays 404.
func (s *Service) contentGroup(r *http.Request, c *caller, need int64) (*groupAccess, error) {
	ga, err := s.groupFromPath(r, c, need)
	if !errors.Is(err, errGroupNotFound) {
		return ga, err
	}
	return nil, s.hiddenGroupErr(r.Context(), c, r.PathValue("group"))
}

// hiddenGroupErr is the answer for a group the caller cannot see: 403 when
// it is a live group of one of the caller's accounts, else 404.
func (s *Service) hiddenGroupErr(ctx context.Context, c *caller, ref string) error {
	id, err := strconv.ParseInt(ref, 10, 64)
	if err != nil {
		return errGroupNotFound
	}
	g, err := groupByID(ctx, s.db, c.ns.ID, id)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && g.removed) {
		return errGroupNotFound
	}
	if err != nil {
		return err
	}
	if _, err := memberOf(ctx, s.db, c.ns.ID, g.accountID, c.user.id); err != nil {
		return notFoundIf(err, "Group not found")
	}
	return httpx.Forbidden("You are not a member of this group")
}

// scopeFunc resolves a request's scope.
type scopeFunc func(r *http.Request, c *caller, write bool) (scope, error)

// scopedFunc is a handler of a scope's properties or announcements.
type scopedFunc func(w http.ResponseWriter, r *http.Request, c *caller, sc scope) error

// inScope serves h for the scope that resolve finds: the same handlers
// serve an account and a group. write asks for the scope's administrators.
func inScope(resolve scopeFunc, write bool, h scopedFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller) error {
		sc, err := resolve(r, c, write)
		if err != nil {
			return err
		}
		return h(w, r, c, sc)
	}
}

// maxProperties bounds a properties list, a bare array.
const maxProperties = 1000

// propertyJSON is a Property.
type propertyJSON struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// checkPropertyName tells what is wrong with a property name, if anything:
// it is a path segment of the delete.
func checkPropertyName(name string) string {
	switch {
	case strings.TrimSpace(name) == "":
		return "a non-empty string"
	case !valid.Len(name, valid.MaxName):
		return "at most 255 characters"
	case strings.Contains(name, "/"):
		return "without '/'"
	}
	return ""
}

// upsertProperty stores a property (an existing name is overwritten).
func upsertProperty(r *http.Request, q store.Querier, ns string, sc scope, p propertyJSON) error {
	_, err := q.ExecContext(r.Context(), `INSERT INTO clinked_properties (ns, account_id, group_id, name, value)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (ns, account_id, group_id, name) DO UPDATE SET value = excluded.value`,
		ns, sc.accountID, sc.groupID, p.Name, p.Value)
	return err
}

// listProperties serves GET …/properties: sorted by name; startsWith is a
// case-sensitive prefix.
func (s *Service) listProperties(w http.ResponseWriter, r *http.Request, c *caller, sc scope) error {
	p, err := params(w, r)
	if err != nil {
		return err
	}
	var args store.Args
	where := `ns = ` + args.Add(c.ns.ID) + ` AND account_id = ` + args.Add(sc.accountID) +
		` AND group_id = ` + args.Add(sc.groupID)
	if v := p.Get("startsWith"); v != "" {
		ph := args.Add(v)
		where += ` AND substr(name, 1, length(` + ph + `)) = ` + ph
	}
	rows, err := s.db.QueryContext(r.Context(), `SELECT name, value FROM clinked_properties WHERE `+where+
		` ORDER BY name LIMIT `+args.Add(maxProperties), args...)
	out, err := store.Collect(rows, err, func(row store.Scanner) (propertyJSON, error) {
		var p propertyJSON
		return p, row.Scan(&p.Name, &p.Value)
	})
	return reply(w, out, err)
}

// createProperty serves POST …/properties: create or overwrite by name.
func (s *Service) createProperty(w http.ResponseWriter, r *http.Request, c *caller, sc scope) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	name, ok := b.String("name")
	if msg := checkPropertyName(name); msg != "" && (ok || b.Raw("name") == nil) {
		b.Fail("name", msg) // (a mistyped name is already recorded)
	}
	p := propertyJSON{Name: name}
	p.Value, _ = b.StringMax("value", valid.MaxText)
	if err := b.Err(); err != nil {
		return err
	}
	return reply(w, p, s.db.Tx(r.Context(), func(tx *sql.Tx) error { return upsertProperty(r, tx, c.ns.ID, sc, p) }))
}

// deleteProperty serves DELETE …/properties/{name}; an unknown name is 404.
func (s *Service) deleteProperty(w http.ResponseWriter, r *http.Request, c *caller, sc scope) error {
	name := r.PathValue("name")
	return s.tx(w, r, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(r.Context(), `DELETE FROM clinked_properties
			WHERE ns = $1 AND account_id = $2 AND group_id = $3 AND name = $4`, c.ns.ID, sc.accountID, sc.groupID, name)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return notFoundIf(orNoRows(err), "Property not found")
		}
		return nil
	})
}

// orNoRows is err, or sql.ErrNoRows when err is nil (nothing was
// affected).
func orNoRows(err error) error {
	if err == nil {
		return sql.ErrNoRows
	}
	return err
}
