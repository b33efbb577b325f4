package workdrive

import (
	"context"
	"database/sql"
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
)

// unitKind holds what differs between departments and locations, the two
// kinds of organization unit whose update, members and delete endpoints
// share their logic. T is *department or *location.
type unitKind[T interface{ base() *unit }] struct {
	what      string // the unit in a 404: "Department"
	table     string // workdrive_departments
	inOrg     func(ctx context.Context, q store.Querier, ns, org, id string) (T, error)
	isAdmin   string // a query with a row when user $3 heads unit $2 (of ns $1)
	forbidden string // the 403 for a caller who is neither OrgAdmin nor a head
	json      func(u T) any
	// withMembers is the object plus its members.
	withMembers func(ctx context.Context, q store.Querier, ns *namespace.Namespace, u T) (any, error)
	// deleteWhat ends "Only the organization admin can …"; clear removes
	// the unit and everything that refers to it.
	deleteWhat string
	clear      func(ctx context.Context, tx *sql.Tx, ns, id string) error
}

var departmentKind = unitKind[*department]{
	what:      "Department",
	table:     "workdrive_departments",
	inOrg:     departmentInOrg,
	isAdmin:   `SELECT 1 FROM workdrive_department_heads WHERE ns = $1 AND department_id = $2 AND user_id = $3`,
	forbidden: "Only the organization admin or a head of the department can change it",
	json:      func(d *department) any { return departmentJSON(d) },
	withMembers: func(ctx context.Context, q store.Querier, ns *namespace.Namespace, d *department) (any, error) {
		return departmentWithMembers(ctx, q, ns, d)
	},
	deleteWhat: "delete departments",
	clear:      clearDepartment,
}

var locationKind = unitKind[*location]{
	what:      "Location",
	table:     "workdrive_locations",
	inOrg:     locationInOrg,
	isAdmin:   `SELECT 1 FROM workdrive_location_admins WHERE ns = $1 AND location_id = $2 AND user_id = $3`,
	forbidden: "Only the organization admin or an admin of the location can change it",
	json:      func(l *location) any { return locationJSON(l) },
	withMembers: func(ctx context.Context, q store.Querier, ns *namespace.Namespace, l *location) (any, error) {
		return locationWithMembers(ctx, q, ns, l)
	},
	deleteWhat: "delete locations",
	clear:      clearLocation,
}

// touch writes the unit's name and stamps it as updated by the caller now.
func (k unitKind[T]) touch(ctx context.Context, tx *sql.Tx, c *caller, u T) error {
	b := u.base()
	b.updatedBy, b.updatedAt = c.id, c.nowMS()
	_, err := tx.ExecContext(ctx, `UPDATE `+k.table+` SET name = $3, updated_by = $4, updated_at = $5 WHERE ns = $1 AND id = $2`,
		c.ns.ID, b.id, b.name, b.updatedBy, b.updatedAt)
	return err
}

// forWrite loads a unit of the caller's organization for a write by the
// OrgAdmin or one of the unit's heads (admins).
func (k unitKind[T]) forWrite(ctx context.Context, tx *sql.Tx, c *caller, id string) (T, error) {
	var zero T
	u, err := k.inOrg(ctx, tx, c.ns.ID, c.orgID, id)
	if err != nil {
		return zero, pathErr(err, k.what, id)
	}
	if !c.isOrgAdmin() {
		admin, err := exists(ctx, tx, k.isAdmin, c.ns.ID, id, c.id)
		if err != nil {
			return zero, err
		}
		if !admin {
			return zero, httpx.Forbidden("%s", k.forbidden)
		}
	}
	return u, nil
}

// route registers the endpoints the kinds share under path (the doc's
// examples send whole objects back; only name is writable).
func (k unitKind[T]) route(s *Service, mux *httpx.Router, path string) {
	for _, rt := range []struct {
		pattern string
		h       func(unitKind[T], *Service, http.ResponseWriter, *http.Request, *caller) error
	}{
		{"GET " + path + "/{id}/members", unitKind[T].listMembers},
		{"PATCH " + path + "/{id}", unitKind[T].update},
		{"DELETE " + path + "/{id}", unitKind[T].delete},
	} {
		mux.Handle(rt.pattern, s.authed(func(w http.ResponseWriter, r *http.Request, c *caller) error {
			return rt.h(k, s, w, r, c)
		}))
	}
}

// update serves PATCH /api/{departments,locations}/{id}; only name is writable.
func (k unitKind[T]) update(s *Service, w http.ResponseWriter, r *http.Request, c *caller) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	name, hasName := b.String("name")
	if err := b.Err(); err != nil {
		return err
	}
	if hasName && strings.TrimSpace(name) == "" {
		return httpx.BadRequest("name must not be empty")
	}
	var u T
	err = s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		var err error
		if u, err = k.forWrite(r.Context(), tx, c, r.PathValue("id")); err != nil {
			return err
		}
		if hasName {
			u.base().name = strings.TrimSpace(name)
		}
		return k.touch(r.Context(), tx, c, u)
	})
	if err != nil {
		return err
	}
	return okJSON(w, k.json(u))
}

// changeMembers serves POST /api/{departments,locations}/{id}/members: parse
// reads the body, change applies it to the unit in the transaction. The
// answer (201) is the unit with its members.
func (k unitKind[T]) changeMembers(s *Service, w http.ResponseWriter, r *http.Request, c *caller,
	parse func(b *httpx.Body), change func(ctx context.Context, tx *sql.Tx, u T) error) error {
	ctx := r.Context()
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	parse(b)
	if err := b.Err(); err != nil {
		return err
	}
	var out any
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		u, err := k.forWrite(ctx, tx, c, r.PathValue("id"))
		if err != nil {
			return err
		}
		if err := change(ctx, tx, u); err != nil {
			return err
		}
		if err := k.touch(ctx, tx, c, u); err != nil {
			return err
		}
		out, err = k.withMembers(ctx, tx, c.ns, u)
		return err
	})
	if err != nil {
		return err
	}
	return created(w, out)
}

// listMembers serves GET /api/{departments,locations}/{id}/members.
func (k unitKind[T]) listMembers(s *Service, w http.ResponseWriter, r *http.Request, c *caller) error {
	id := r.PathValue("id")
	u, err := k.inOrg(r.Context(), s.db, c.ns.ID, c.orgID, id)
	if err != nil {
		return pathErr(err, k.what, id)
	}
	out, err := k.withMembers(r.Context(), s.db, c.ns, u)
	if err != nil {
		return err
	}
	return okJSON(w, out)
}

// delete serves DELETE /api/{departments,locations}/{id}, OrgAdmin only.
func (k unitKind[T]) delete(s *Service, w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.requireOrgAdmin(k.deleteWhat); err != nil {
		return err
	}
	if _, err := readBody(w, r); err != nil {
		return err
	}
	id := r.PathValue("id")
	err := s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		if _, err := k.inOrg(r.Context(), tx, c.ns.ID, c.orgID, id); err != nil {
			return pathErr(err, k.what, id)
		}
		return k.clear(r.Context(), tx, c.ns.ID, id)
	})
	if err != nil {
		return err
	}
	return deleted(w)
}

// orgPage reads the request's page and loads it from the caller's
// organization's rows of table (aliased x) created up to the page's time,
// newest first: SELECT cols, each row scanned with scan.
func orgPage[T any](s *Service, r *http.Request, c *caller, table, cols string, scan func(store.Scanner) (T, error)) (pageReq, []T, int, error) {
	p, err := parsePage(r, c.nowMS())
	if err != nil {
		return p, nil, 0, err
	}
	list, total, err := pagedRows(r.Context(), s.db, cols, `FROM `+table+` x WHERE x.ns = $1 AND x.org_id = $2 AND x.created_at <= $3`,
		`x.created_at DESC, x.id DESC`, []any{c.ns.ID, c.orgID, p.Time}, p, scan)
	return p, list, total, err
}
