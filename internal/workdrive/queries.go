package workdrive

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"strings"

	"github.com/standin-dev/standin/internal/store"
)

// insertUser stores a new user row.
func insertUser(ctx context.Context, q store.Querier, ns string, u *user) error {
	if u.skill == "" {
		u.skill = "[]"
	}
	if u.availability == "" {
		u.availability = "ACTIVE"
	}
	_, err := q.ExecContext(ctx, `INSERT INTO workdrive_users (ns, id, org_id, role, user_name, email, email_lc, status,
		first_name, last_name, bio, phone, designation, color, is_expert, availability,
		picture_file_id, cover_file_id, reports_to, department_id, location_id,
		skill, default_visibility, external_user_id, created_by, updated_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
		$17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28)`,
		ns, u.id, u.orgID, u.role, u.userName, u.email, strings.ToLower(u.email), u.status,
		u.firstName, u.lastName, u.bio, u.phone, u.designation, u.color, u.isExpert, u.availability,
		u.pictureFileID, u.coverFileID, u.reportsTo, u.departmentID, u.locationID,
		u.skill, u.defaultVisibility, u.externalUserID, u.createdBy, u.updatedBy, u.createdAt, u.updatedAt)
	return err
}

// updateUserRow saves a user's mutable columns.
func updateUserRow(ctx context.Context, q store.Querier, ns string, u *user) error {
	_, err := q.ExecContext(ctx, `UPDATE workdrive_users SET status = $3, first_name = $4, last_name = $5,
		bio = $6, phone = $7, designation = $8, is_expert = $9, availability = $10,
		picture_file_id = $11, cover_file_id = $12, reports_to = $13, department_id = $14, location_id = $15,
		updated_by = $16, updated_at = $17
		WHERE ns = $1 AND id = $2`,
		ns, u.id, u.status, u.firstName, u.lastName, u.bio, u.phone, u.designation, u.isExpert, u.availability,
		u.pictureFileID, u.coverFileID, u.reportsTo, u.departmentID, u.locationID, u.updatedBy, u.updatedAt)
	return err
}

// setUserDepartment moves a user into a department (or out of any, with
// an invalid NullString).
func setUserDepartment(ctx context.Context, q store.Querier, ns, userID string, dept sql.NullString, now int64) error {
	_, err := q.ExecContext(ctx, `UPDATE workdrive_users SET department_id = $3, updated_at = $4 WHERE ns = $1 AND id = $2`,
		ns, userID, dept, now)
	return err
}

// addLocationMember adds a user to a location (idempotent); a user with no
// primary location gets this one.
func addLocationMember(ctx context.Context, q store.Querier, ns, locationID, userID string, now int64) error {
	if _, err := q.ExecContext(ctx, `INSERT INTO workdrive_location_members (ns, location_id, user_id, created_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (ns, location_id, user_id) DO NOTHING`, ns, locationID, userID, now); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, `UPDATE workdrive_users SET location_id = $3 WHERE ns = $1 AND id = $2 AND location_id IS NULL`,
		ns, userID, locationID)
	return err
}

// removeLocationMember takes a user out of a location; when it was the
// user's primary location, the earliest remaining one becomes primary.
func removeLocationMember(ctx context.Context, q store.Querier, ns, locationID, userID string) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM workdrive_location_members WHERE ns = $1 AND location_id = $2 AND user_id = $3`,
		ns, locationID, userID); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, `UPDATE workdrive_users SET location_id = (
			SELECT m.location_id FROM workdrive_location_members m WHERE m.ns = $1 AND m.user_id = $2
			ORDER BY m.created_at, m.location_id LIMIT 1)
		WHERE ns = $1 AND id = $2 AND location_id = $3`, ns, userID, locationID)
	return err
}

// userLocationIDs lists the locations a user belongs to, primary first.
func userLocationIDs(ctx context.Context, q store.Querier, ns string, u *user) ([]string, error) {
	return strList(ctx, q, `SELECT location_id FROM workdrive_location_members
		WHERE ns = $1 AND user_id = $2 ORDER BY created_at, location_id`, ns, u.id)
}

// strList runs a query returning one string column.
func strList(ctx context.Context, q store.Querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	return store.Collect(rows, err, scanString)
}

// scanString scans a one-column row.
func scanString(r store.Scanner) (string, error) {
	var s string
	return s, r.Scan(&s)
}

// addTeam puts a user in a supervisor's team (idempotent).
func addTeam(ctx context.Context, q store.Querier, ns, userID, supervisorID string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO workdrive_user_teams (ns, user_id, supervisor_id) VALUES ($1, $2, $3)
		ON CONFLICT (ns, user_id, supervisor_id) DO NOTHING`, ns, userID, supervisorID)
	return err
}

func insertDepartment(ctx context.Context, q store.Querier, ns string, d *department) error {
	_, err := q.ExecContext(ctx, `INSERT INTO workdrive_departments (ns, id, org_id, name, type, created_by, updated_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		ns, d.id, d.orgID, d.name, d.typ, d.createdBy, d.updatedBy, d.createdAt, d.updatedAt)
	return err
}

func addDepartmentHead(ctx context.Context, q store.Querier, ns, deptID, userID string, now int64) error {
	_, err := q.ExecContext(ctx, `INSERT INTO workdrive_department_heads (ns, department_id, user_id, created_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (ns, department_id, user_id) DO NOTHING`, ns, deptID, userID, now)
	return err
}

func insertLocation(ctx context.Context, q store.Querier, ns string, l *location) error {
	_, err := q.ExecContext(ctx, `INSERT INTO workdrive_locations (ns, id, org_id, name, created_by, updated_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		ns, l.id, l.orgID, l.name, l.createdBy, l.updatedBy, l.createdAt, l.updatedAt)
	return err
}

func addLocationAdmin(ctx context.Context, q store.Querier, ns, locationID, userID string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO workdrive_location_admins (ns, location_id, user_id) VALUES ($1, $2, $3)
		ON CONFLICT (ns, location_id, user_id) DO NOTHING`, ns, locationID, userID)
	return err
}

func insertSecurityGroup(ctx context.Context, q store.Querier, ns, id, org, name string, now int64) error {
	_, err := q.ExecContext(ctx, `INSERT INTO workdrive_security_groups (ns, id, org_id, name, created_at) VALUES ($1, $2, $3, $4, $5)`,
		ns, id, org, name, now)
	return err
}

func addSecurityGroupMember(ctx context.Context, q store.Querier, ns, groupID, userID string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO workdrive_security_group_members (ns, group_id, user_id) VALUES ($1, $2, $3)
		ON CONFLICT (ns, group_id, user_id) DO NOTHING`, ns, groupID, userID)
	return err
}

// rowType is a row struct whose dest lists pointers to its fields in the
// order of its column list, so that one list serves SELECT and INSERT.
type rowType[T any] interface {
	*T
	dest() []any
}

// scanRow scans one row into a new T.
func scanRow[T any, P rowType[T]](row store.Scanner) (*T, error) {
	v := new(T)
	if err := row.Scan(P(v).dest()...); err != nil {
		return nil, err
	}
	return v, nil
}

// values reads the fields dest points at, for an INSERT.
func values(dest []any) []any {
	out := make([]any, len(dest))
	for i, p := range dest {
		out[i] = reflect.ValueOf(p).Elem().Interface()
	}
	return out
}

// placeholders is "$first, $first+1, …" for n values.
func placeholders(first, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", first+i)
	}
	return b.String()
}

// insertRow inserts a row's columns after the leading values lead (ns,
// and seq where the table has one); lead names their columns.
func insertRow(ctx context.Context, q store.Querier, table, lead, columns string, dest []any, leadValues ...any) error {
	args := append(leadValues, values(dest)...)
	_, err := q.ExecContext(ctx, `INSERT INTO `+table+` (`+lead+`, `+columns+`) VALUES (`+placeholders(1, len(args))+`)`, args...)
	return err
}

// rowInOrg loads the row id of org from table.
func rowInOrg[T any, P rowType[T]](ctx context.Context, q store.Querier, table, columns, ns, org, id string) (*T, error) {
	return scanRow[T, P](q.QueryRowContext(ctx, `SELECT `+columns+` FROM `+table+`
		WHERE ns = $1 AND id = $2 AND org_id = $3`, ns, id, org))
}

// insertSeqRow inserts a row after ns and the next number of counter, its
// seq, which keeps the creation order of rows made in one millisecond.
func insertSeqRow(ctx context.Context, q store.Querier, table, counter, columns string, dest []any, ns string) error {
	seq, err := store.NextID(ctx, q, ns, counter)
	if err != nil {
		return err
	}
	return insertRow(ctx, q, table, "ns, seq", columns, dest, ns, seq)
}
