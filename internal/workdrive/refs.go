package workdrive

import (
	"context"
	"database/sql"

	"github.com/standin-dev/standin/internal/store"
)

// unit holds the columns that departments and locations share.
type unit struct {
	id, orgID, name, createdBy, updatedBy string
	createdAt, updatedAt                  int64
}

// newUnit is a unit of org made now by user by.
func newUnit(id, org, name, by string, now int64) unit {
	return unit{id: id, orgID: org, name: name, createdBy: by, updatedBy: by, createdAt: now, updatedAt: now}
}

// department is a row of workdrive_departments.
type department struct {
	unit
	typ string
}

func (d *department) base() *unit { return &d.unit }

func scanDepartment(row store.Scanner) (*department, error) {
	var d department
	if err := row.Scan(&d.id, &d.orgID, &d.name, &d.typ, &d.createdBy, &d.updatedBy, &d.createdAt, &d.updatedAt); err != nil {
		return nil, err
	}
	return &d, nil
}

const departmentColumns = `id, org_id, name, type, created_by, updated_by, created_at, updated_at`

// departmentInOrg returns a department of org.
func departmentInOrg(ctx context.Context, q store.Querier, ns, org, id string) (*department, error) {
	return scanDepartment(q.QueryRowContext(ctx, `SELECT `+departmentColumns+` FROM workdrive_departments
		WHERE ns = $1 AND id = $2 AND org_id = $3`, ns, id, org))
}

// departmentByRef resolves a department reference: its id, or (as the
// doc's "Development/Subdivider" example does) its exact name.
func departmentByRef(ctx context.Context, q store.Querier, ns, org, ref string) (*department, error) {
	if validUUID(ref) {
		return departmentInOrg(ctx, q, ns, org, ref)
	}
	return scanDepartment(q.QueryRowContext(ctx, `SELECT `+departmentColumns+` FROM workdrive_departments
		WHERE ns = $1 AND org_id = $2 AND name = $3 ORDER BY created_at LIMIT 1`, ns, org, ref))
}

// location is a row of workdrive_locations.
type location struct {
	unit
}

func (l *location) base() *unit { return &l.unit }

const locationColumns = `id, org_id, name, created_by, updated_by, created_at, updated_at`

func scanLocation(row store.Scanner) (*location, error) {
	var l location
	if err := row.Scan(&l.id, &l.orgID, &l.name, &l.createdBy, &l.updatedBy, &l.createdAt, &l.updatedAt); err != nil {
		return nil, err
	}
	return &l, nil
}

// locationInOrg returns a location of org.
func locationInOrg(ctx context.Context, q store.Querier, ns, org, id string) (*location, error) {
	return scanLocation(q.QueryRowContext(ctx, `SELECT `+locationColumns+` FROM workdrive_locations
		WHERE ns = $1 AND id = $2 AND org_id = $3`, ns, id, org))
}

// securityGroupInOrg returns a security group's name when it belongs to org.
func securityGroupInOrg(ctx context.Context, q store.Querier, ns, org, id string) (string, error) {
	var name string
	err := q.QueryRowContext(ctx, `SELECT name FROM workdrive_security_groups WHERE ns = $1 AND id = $2 AND org_id = $3`,
		ns, id, org).Scan(&name)
	return name, err
}

// checkRefs validates lists of ids of one kind in a body (permissions.users,
// groups, locations …): every id must name an entity of org.
func checkRefs(ctx context.Context, q store.Querier, ns, org, kind, field string, ids []string) error {
	for _, id := range ids {
		var err error
		switch kind {
		case "user":
			_, err = userInOrg(ctx, q, ns, org, id)
		case "department":
			_, err = departmentInOrg(ctx, q, ns, org, id)
		case "location":
			_, err = locationInOrg(ctx, q, ns, org, id)
		case "security_group":
			_, err = securityGroupInOrg(ctx, q, ns, org, id)
		case "file":
			_, err = fileByID(ctx, q, ns, org, id)
		default:
			err = sql.ErrNoRows
		}
		if err != nil {
			return refErr(err, field, id)
		}
	}
	return nil
}

// checkRef is checkRefs for one optional id: "" names nothing and passes.
func checkRef(ctx context.Context, q store.Querier, ns, org, kind, field, id string) error {
	if id == "" {
		return nil
	}
	return checkRefs(ctx, q, ns, org, kind, field, []string{id})
}
