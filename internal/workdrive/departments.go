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

// departmentOut is the Department object; with members (create, update,
// members), also departmentHeads and members.
type departmentOut struct {
	CreatedAt       string             `json:"createdAt"`
	CreatedBy       string             `json:"createdBy"`
	DepartmentHeads []string           `json:"departmentHeads,omitzero"`
	ID              string             `json:"id"`
	Members         []*userSummaryJSON `json:"members,omitzero"`
	Name            string             `json:"name"`
	OrgID           string             `json:"orgId"`
	Type            string             `json:"type"`
	UpdatedAt       string             `json:"updatedAt"`
	UpdatedBy       string             `json:"updatedBy"`
}

// departmentJSON renders the Department object.
func departmentJSON(d *department) *departmentOut {
	return &departmentOut{
		ID: d.id, CreatedAt: isoTime(d.createdAt), UpdatedAt: isoTime(d.updatedAt),
		CreatedBy: d.createdBy, UpdatedBy: d.updatedBy, OrgID: d.orgID, Type: d.typ, Name: d.name,
	}
}

// departmentHeadIDs lists a department's heads in the order they became heads.
func departmentHeadIDs(ctx context.Context, q store.Querier, ns, deptID string) ([]string, error) {
	return strList(ctx, q, `SELECT user_id FROM workdrive_department_heads WHERE ns = $1 AND department_id = $2
		ORDER BY created_at, user_id`, ns, deptID)
}

// departmentWithMembers is the object plus departmentHeads and members,
// the users whose department it is.
func departmentWithMembers(ctx context.Context, q store.Querier, ns *namespace.Namespace, d *department) (*departmentOut, error) {
	m := departmentJSON(d)
	heads, err := departmentHeadIDs(ctx, q, ns.ID, d.id)
	if err != nil {
		return nil, err
	}
	users, err := scanUsers(q.QueryContext(ctx, userSelect+` WHERE u.ns = $1 AND u.department_id = $2 ORDER BY u.created_at, u.id`, ns.ID, d.id))
	if err != nil {
		return nil, err
	}
	m.DepartmentHeads, m.Members = heads, summariesOf(ns, users)
	return m, nil
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
	return okJSON(w, struct {
		Departments []departmentItem `json:"departments"`
		Meta        pageMeta         `json:"meta"`
	}{out, p.Meta(total)})
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
		return s.createLocationFrom(w, r, c, b)
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
	return created(w, departmentJSON(d))
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
	return okJSON(w, departmentJSON(d))
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
