package workdrive

import (
	"context"
	"database/sql"
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
)

// unitOut is the Department or Location object. A department has a type
// and, with members (create, update, members), departmentHeads; lists of
// locations add memberCount; create, update and members add members.
type unitOut struct {
	CreatedAt       string             `json:"createdAt"`
	CreatedBy       string             `json:"createdBy"`
	DepartmentHeads []string           `json:"departmentHeads,omitzero"`
	ID              string             `json:"id"`
	MemberCount     *int               `json:"memberCount,omitempty"`
	Members         []*userSummaryJSON `json:"members,omitzero"`
	Name            string             `json:"name"`
	OrgID           string             `json:"orgId"`
	Type            string             `json:"type,omitempty"` // a department's: never empty
	UpdatedAt       string             `json:"updatedAt"`
	UpdatedBy       string             `json:"updatedBy"`
}

// json renders the fields every unit has.
func (u *unit) json() *unitOut {
	return &unitOut{
		ID: u.id, CreatedAt: isoTime(u.createdAt), UpdatedAt: isoTime(u.updatedAt),
		CreatedBy: u.createdBy, UpdatedBy: u.updatedBy, OrgID: u.orgID, Name: u.name,
	}
}

// unitKind holds what differs between departments and locations, the two
// kinds of organization unit whose update, members and delete endpoints
// share their logic. T is *department or *location.
type unitKind[T interface {
	base() *unit
	json() *unitOut
}] struct {
	what      string // the unit in a 404: "Department"
	table     string // workdrive_departments
	inOrg     func(ctx context.Context, q store.Querier, ns, org, id string) (T, error)
	isAdmin   string // a query with a row when user $3 heads unit $2 (of ns $1)
	forbidden string // the 403 for a caller who is neither OrgAdmin nor a head
	// heads, when set, reads the ids of unit $2's heads and members its
	// members' user rows, for the object with its members.
	heads, members string
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
	heads: `SELECT user_id FROM workdrive_department_heads WHERE ns = $1 AND department_id = $2
		ORDER BY created_at, user_id`,
	// a department's members are the users whose department it is
	members:    userSelect + ` WHERE u.ns = $1 AND u.department_id = $2 ORDER BY u.created_at, u.id`,
	deleteWhat: "delete departments",
	clear:      clearDepartment,
}

var locationKind = unitKind[*location]{
	what:      "Location",
	table:     "workdrive_locations",
	inOrg:     locationInOrg,
	isAdmin:   `SELECT 1 FROM workdrive_location_admins WHERE ns = $1 AND location_id = $2 AND user_id = $3`,
	forbidden: "Only the organization admin or an admin of the location can change it",
	// users may belong to several locations
	members: userSelect + `
		JOIN workdrive_location_members m ON m.ns = u.ns AND m.user_id = u.id
		WHERE m.ns = $1 AND m.location_id = $2 ORDER BY m.created_at, u.id`,
	deleteWhat: "delete locations",
	clear:      clearLocation,
}

// withMembers is the object plus its members (and a department's heads).
func (k unitKind[T]) withMembers(ctx context.Context, q store.Querier, ns *namespace.Namespace, u T) (*unitOut, error) {
	m := u.json()
	id := u.base().id
	if k.heads != "" {
		heads, err := strList(ctx, q, k.heads, ns.ID, id)
		if err != nil {
			return nil, err
		}
		m.DepartmentHeads = heads
	}
	users, err := scanUsers(q.QueryContext(ctx, k.members, ns.ID, id))
	if err != nil {
		return nil, err
	}
	m.Members = summariesOf(ns, users)
	return m, nil
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
	return okJSON(w, u.json())
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
	var out *unitOut
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

// json renders the Department object.
func (d *department) json() *unitOut {
	m := d.unit.json()
	m.Type = d.typ
	return m
}

// listDepartments serves GET /api/departments, newest first, with member counts
// and heads ("admins").
func (s *Service) listDepartments(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	type item struct {
		id, name string
		n        int
	}
	p, items, total, err := orgPage(s, r, c, "workdrive_departments", `x.id, x.name,
		(SELECT count(*) FROM workdrive_users u WHERE u.ns = x.ns AND u.department_id = x.id)`,
		func(row store.Scanner) (item, error) {
			var it item
			err := row.Scan(&it.id, &it.name, &it.n)
			return it, err
		})
	if err != nil {
		return err
	}
	admins := map[string][]*userSummaryJSON{}
	if len(items) > 0 {
		var a store.Args
		nsArg := a.Add(c.ns.ID)
		ph := make([]string, len(items))
		for i, it := range items {
			ph[i] = a.Add(it.id)
		}
		rows, err := s.db.QueryContext(ctx, `SELECT h.department_id, `+strings.TrimPrefix(userSelect, "SELECT ")+`
			JOIN workdrive_department_heads h ON h.ns = u.ns AND h.user_id = u.id
			WHERE h.ns = `+nsArg+` AND h.department_id IN (`+strings.Join(ph, ", ")+`) ORDER BY h.created_at, u.id`, a...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var dept string
			u, err := scanUser(prefixScanner{rows, &dept})
			if err != nil {
				return err
			}
			admins[dept] = append(admins[dept], userSummary(c.ns, u))
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	type departmentItem struct {
		Admins      []*userSummaryJSON `json:"admins"`
		ID          string             `json:"id"`
		MemberCount int                `json:"memberCount"`
		Name        string             `json:"name"`
	}
	out := make([]departmentItem, 0, len(items))
	for _, it := range items {
		ad := admins[it.id]
		if ad == nil {
			ad = []*userSummaryJSON{}
		}
		out = append(out, departmentItem{ID: it.id, Name: it.name, MemberCount: it.n, Admins: ad})
	}
	return okPage(w, "departments", out, p.Meta(total))
}

// prefixScanner scans one leading column into first, the rest with Scan.
type prefixScanner struct {
	rows  *sql.Rows
	first *string
}

func (p prefixScanner) Scan(dest ...any) error {
	return p.rows.Scan(append([]any{p.first}, dest...)...)
}

// memberInput is one entry of members/addMembers/add: an object
// {id, existingDept, isDepartmentHead, isAdmin} or a bare user id.
type memberInput struct {
	id, existingDept string
	head             bool
}

func parseMembers(b *httpx.Body, key string) []memberInput {
	var out []memberInput
	for _, e := range b.Entries(key) {
		if e.Obj == nil {
			out = append(out, memberInput{id: e.Str})
			continue
		}
		o := e.Obj
		m := memberInput{id: strings.TrimSpace(o.Str("id")), existingDept: strings.TrimSpace(o.Str("existingDept"))}
		admin, _ := o.Bool("isAdmin")
		head, _ := o.Bool("isDepartmentHead")
		m.head = admin || head
		out = append(out, m)
	}
	return out
}

// addDepartmentMembers moves users into the department (out of any other)
// and records the heads among them.
func (s *Service) addDepartmentMembers(ctx context.Context, tx *sql.Tx, c *caller, d *department, members []memberInput) error {
	ns, now := c.ns.ID, c.nowMS()
	for _, m := range members {
		if m.id == "" {
			return httpx.BadRequest("every member needs an id")
		}
		if _, err := userInOrg(ctx, tx, ns, c.orgID, m.id); err != nil {
			return refErr(err, "members.id", m.id)
		}
		if m.existingDept != "" {
			if _, err := departmentInOrg(ctx, tx, ns, c.orgID, m.existingDept); err != nil {
				return refErr(err, "existingDept", m.existingDept)
			}
		}
		if err := setUserDepartment(ctx, tx, ns, m.id, sql.NullString{String: d.id, Valid: true}, now); err != nil {
			return err
		}
		if m.head {
			if err := addDepartmentHead(ctx, tx, ns, d.id, m.id, now); err != nil {
				return err
			}
		}
	}
	return nil
}

// createDepartment serves POST /api/departments. Members flagged isAdmin or
// isDepartmentHead become heads; with none flagged the caller heads it.
// A body with addedBy/orgId and no members is the doc's Create Location.
func (s *Service) createDepartment(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	if !b.Has("members") && (b.Has("addedBy") || b.Has("orgId")) {
		return s.createLocation(w, r, c, b)
	}
	if err := c.requireOrgAdmin("create departments"); err != nil {
		return err
	}
	name := strings.TrimSpace(b.Str("name"))
	members := parseMembers(b, "members")
	if err := b.Err(); err != nil {
		return err
	}
	if name == "" {
		return httpx.BadRequest("name is required")
	}
	now := c.nowMS()
	d := &department{unit: newUnit(ids.UUID(), c.orgID, name, c.id, now), typ: "DEPARTMENT"}
	err = s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		if err := insertDepartment(r.Context(), tx, c.ns.ID, d); err != nil {
			return err
		}
		if err := s.addDepartmentMembers(r.Context(), tx, c, d, members); err != nil {
			return err
		}
		n, err := count(r.Context(), tx, `SELECT count(*) FROM workdrive_department_heads WHERE ns = $1 AND department_id = $2`, c.ns.ID, d.id)
		if err != nil || n > 0 {
			return err
		}
		return addDepartmentHead(r.Context(), tx, c.ns.ID, d.id, c.id, now)
	})
	if err != nil {
		return err
	}
	return created(w, d.json())
}

func removeDepartmentHead(ctx context.Context, tx *sql.Tx, ns, deptID, userID string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM workdrive_department_heads WHERE ns = $1 AND department_id = $2 AND user_id = $3`,
		ns, deptID, userID)
	return err
}

// updateDepartmentHeads serves PATCH /api/departments/{id}/admin. `remove` (one
// id or a list) stops being a head first; then `add` entries become heads
// and members. The department must keep a head (400).
func (s *Service) updateDepartmentHeads(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	remove, _ := b.Strings("remove")
	add := parseMembers(b, "add")
	if err := b.Err(); err != nil {
		return err
	}
	for i := range add {
		add[i].head = true
	}
	var d *department
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if d, err = departmentKind.forWrite(ctx, tx, c, r.PathValue("id")); err != nil {
			return err
		}
		for _, id := range remove {
			if err := removeDepartmentHead(ctx, tx, c.ns.ID, d.id, id); err != nil {
				return err
			}
		}
		if err := s.addDepartmentMembers(ctx, tx, c, d, add); err != nil {
			return err
		}
		if err := checkHeads(ctx, tx, c.ns.ID, d.id); err != nil {
			return err
		}
		return departmentKind.touch(ctx, tx, c, d)
	})
	if err != nil {
		return err
	}
	return okJSON(w, d.json())
}

// updateDepartmentMembers serves POST /api/departments/{id}/members. Removals
// first (a removed head stops being a head), then additions.
func (s *Service) updateDepartmentMembers(w http.ResponseWriter, r *http.Request, c *caller) error {
	var remove []string
	var add []memberInput
	return departmentKind.changeMembers(s, w, r, c, func(b *httpx.Body) {
		remove, _ = b.Strings("removeMembers")
		add = parseMembers(b, "addMembers")
	}, func(ctx context.Context, tx *sql.Tx, d *department) error {
		for _, id := range remove {
			if _, err := tx.ExecContext(ctx, `UPDATE workdrive_users SET department_id = NULL, updated_at = $4
				WHERE ns = $1 AND id = $2 AND department_id = $3`, c.ns.ID, id, d.id, c.nowMS()); err != nil {
				return err
			}
			if err := removeDepartmentHead(ctx, tx, c.ns.ID, d.id, id); err != nil {
				return err
			}
		}
		if err := s.addDepartmentMembers(ctx, tx, c, d, add); err != nil {
			return err
		}
		return checkHeads(ctx, tx, c.ns.ID, d.id)
	})
}

// clearDepartment removes a department and everything that refers to it
// (DELETE /api/departments/{id}): members lose their department;
// department-level SSO entries go with it.
func clearDepartment(ctx context.Context, tx *sql.Tx, ns, id string) error {
	return execEach(ctx, tx, []string{
		`UPDATE workdrive_users SET department_id = NULL WHERE ns = $1 AND department_id = $2`,
		`DELETE FROM workdrive_department_heads WHERE ns = $1 AND department_id = $2`,
		`DELETE FROM workdrive_sso WHERE ns = $1 AND level = 'DEPARTMENT' AND department_id = $2`,
		`DELETE FROM workdrive_departments WHERE ns = $1 AND id = $2`,
	}, ns, id)
}

// json renders the Location object.
func (l *location) json() *unitOut { return l.unit.json() }

// listLocations serves GET /api/locations, newest first, with member counts.
func (s *Service) listLocations(w http.ResponseWriter, r *http.Request, c *caller) error {
	p, out, total, err := orgPage(s, r, c, "workdrive_locations", `x.id, x.org_id, x.name, x.created_by, x.updated_by,
		x.created_at, x.updated_at,
		(SELECT count(*) FROM workdrive_location_members m WHERE m.ns = x.ns AND m.location_id = x.id)`,
		func(row store.Scanner) (*unitOut, error) {
			var l location
			var n int
			if err := row.Scan(&l.id, &l.orgID, &l.name, &l.createdBy, &l.updatedBy, &l.createdAt, &l.updatedAt, &n); err != nil {
				return nil, err
			}
			m := l.json()
			m.MemberCount = &n
			return m, nil
		})
	if err != nil {
		return err
	}
	return okPage(w, "locations", out, p.Meta(total))
}

// createLocation serves POST /api/locations {"name"} (routed through
// withBody; createDepartment passes the doc's Create Location body on);
// orgId and addedBy come from the API key (body values are ignored). The
// creator is the location's admin.
func (s *Service) createLocation(w http.ResponseWriter, r *http.Request, c *caller, b *httpx.Body) error {
	if err := c.requireOrgAdmin("create locations"); err != nil {
		return err
	}
	name, err := requiredStr(b, "name", "name is required")
	if err != nil {
		return err
	}
	now := c.nowMS()
	l := &location{newUnit(ids.UUID(), c.orgID, name, c.id, now)}
	err = s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		if err := insertLocation(r.Context(), tx, c.ns.ID, l); err != nil {
			return err
		}
		return addLocationAdmin(r.Context(), tx, c.ns.ID, l.id, c.id)
	})
	if err != nil {
		return err
	}
	return created(w, l.json())
}

// updateLocationMembers serves POST /api/locations/{id}/members, removals first.
func (s *Service) updateLocationMembers(w http.ResponseWriter, r *http.Request, c *caller) error {
	var add, remove []string
	return locationKind.changeMembers(s, w, r, c, func(b *httpx.Body) {
		for _, e := range b.Entries("addMembers") {
			if e.Obj != nil {
				add = append(add, e.Obj.Str("id"))
			} else {
				add = append(add, e.Str)
			}
		}
		remove, _ = b.Strings("removeMembers")
	}, func(ctx context.Context, tx *sql.Tx, l *location) error {
		if err := checkRefs(ctx, tx, c.ns.ID, c.orgID, "user", "addMembers", add); err != nil {
			return err
		}
		for _, id := range remove {
			if err := removeLocationMember(ctx, tx, c.ns.ID, l.id, id); err != nil {
				return err
			}
		}
		for _, id := range add {
			if err := addLocationMember(ctx, tx, c.ns.ID, l.id, id, c.nowMS()); err != nil {
				return err
			}
		}
		return nil
	})
}

// clearLocation removes a location and everything that refers to it
// (DELETE /api/locations/{id}): members lose it (their next location
// becomes primary); location SSOs go with it.
func clearLocation(ctx context.Context, tx *sql.Tx, ns, id string) error {
	members, err := strList(ctx, tx, `SELECT user_id FROM workdrive_location_members WHERE ns = $1 AND location_id = $2`, ns, id)
	if err != nil {
		return err
	}
	for _, u := range members {
		if err := removeLocationMember(ctx, tx, ns, id, u); err != nil {
			return err
		}
	}
	return execEach(ctx, tx, []string{
		`UPDATE workdrive_users SET location_id = NULL WHERE ns = $1 AND location_id = $2`,
		`DELETE FROM workdrive_location_admins WHERE ns = $1 AND location_id = $2`,
		`DELETE FROM workdrive_sso WHERE ns = $1 AND level = 'LOCATION' AND location_id = $2`,
		`DELETE FROM workdrive_locations WHERE ns = $1 AND id = $2`,
	}, ns, id)
}
