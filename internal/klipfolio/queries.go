package klipfolio

import (
	"context"
	"database/sql"
	"slices"

	"github.com/standin-dev/standin/internal/page"
	"github.com/standin-dev/standin/internal/store"
)

type account struct {
	id, name string
	parentID string // "" for the company
}

type user struct {
	id, accountID              string
	email, firstName, lastName string
	passwordHash               string
	canManage                  bool
}

type group struct {
	accountID   string
	id          string
	name        string
	description string
	externalID  sql.NullString
	builtin     bool
}

// member is a group member as the API shows it.
type member struct {
	ID        string `json:"id"`
	FullName  string `json:"full_name"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Email     string `json:"email"`
}

func accountByID(ctx context.Context, q store.Querier, ns, id string) (*account, error) {
	var a account
	var parent sql.NullString
	err := q.QueryRowContext(ctx, `SELECT id, name, parent_id FROM klipfolio_accounts
		WHERE ns = $1 AND id = $2`, ns, id).Scan(&a.id, &a.name, &parent)
	a.parentID = parent.String
	return &a, err
}

const userColumns = `id, account_id, email, first_name, last_name, password_hash, can_manage`

func scanUser(row store.Scanner) (*user, error) {
	var u user
	err := row.Scan(&u.id, &u.accountID, &u.email, &u.firstName, &u.lastName, &u.passwordHash, &u.canManage)
	return &u, err
}

// userBy finds a user by a unique column: api_key, email or id.
func userBy(ctx context.Context, q store.Querier, ns, column, value string) (*user, error) {
	return scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM klipfolio_users
		WHERE ns = $1 AND `+column+` = $2`, ns, value))
}

func insertUser(ctx context.Context, q store.Querier, ns string, u *user, apiKey string) error {
	var key any
	if apiKey != "" {
		key = apiKey
	}
	_, err := q.ExecContext(ctx, `INSERT INTO klipfolio_users
		(ns, id, account_id, email, first_name, last_name, password_hash, api_key, can_manage)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		ns, u.id, u.accountID, u.email, u.firstName, u.lastName, u.passwordHash, key, u.canManage)
	return err
}

func insertAccount(ctx context.Context, q store.Querier, ns string, a *account) error {
	var parent any
	if a.parentID != "" {
		parent = a.parentID
	}
	_, err := q.ExecContext(ctx, `INSERT INTO klipfolio_accounts (ns, id, name, parent_id)
		VALUES ($1, $2, $3, $4)`, ns, a.id, a.name, parent)
	return err
}

// groupSeq is the namespace's counter of group creation numbers (seq).
const groupSeq = "klipfolio.group"

// insertGroup stores g in account g.accountID (seeds and fixtures).
func insertGroup(ctx context.Context, q store.Querier, ns string, g *group) error {
	return insertGroupIn(ctx, q, ns, g, "")
}

// insertGroupIn stores g in account g.accountID with two statements: one
// upsert takes the next creation number and counts the group in its
// account, then the row goes in only where the account is there and, when
// manager is set, is a client that manager manages. Nothing inserted is
// sql.ErrNoRows (the caller's 404; the transaction rolls the counters
// back), so a create needs no separate account lookup.
func insertGroupIn(ctx context.Context, q store.Querier, ns string, g *group, manager string) error {
	rows, err := q.QueryContext(ctx, `INSERT INTO standin_counters (ns, name, value) VALUES ($1, $2, 1), ($1, $3, 1)
		ON CONFLICT (ns, name) DO UPDATE SET value = standin_counters.value + excluded.value
		RETURNING name, value`, ns, groupSeq, groupCounter(g.accountID))
	if err != nil {
		return err
	}
	var seq int64
	for rows.Next() {
		var name string
		var v int64
		if err := rows.Scan(&name, &v); err != nil {
			rows.Close()
			return err
		}
		if name == groupSeq {
			seq = v
		}
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return store.Affected(q.ExecContext(ctx, `INSERT INTO klipfolio_groups
		(ns, account_id, id, seq, name, description, external_id, builtin)
		SELECT $1, a.id, $3, CAST($4 AS BIGINT), $5, $6, $7, CAST($8 AS BOOLEAN) FROM klipfolio_accounts a
		WHERE a.ns = $1 AND a.id = $2 AND ($9 = '' OR a.parent_id = $9)`,
		ns, g.accountID, g.id, seq, g.name, g.description, g.externalID, g.builtin, manager))
}

// groupCounter names the standin_counters row that holds an account's
// number of groups. Every insert and delete of a group moves it in the same
// transaction, so that a list's total never counts a million rows.
func groupCounter(accountID string) string { return "klipfolio.groups:" + accountID }

func addGroupCount(ctx context.Context, q store.Querier, ns, accountID string, delta int64) error {
	_, err := q.ExecContext(ctx, `INSERT INTO standin_counters (ns, name, value) VALUES ($1, $2, $3)
		ON CONFLICT (ns, name) DO UPDATE SET value = standin_counters.value + excluded.value`,
		ns, groupCounter(accountID), delta)
	return err
}

// generateGroups inserts n groups into an account with one INSERT … SELECT
// over a counting CTE, taking n creation numbers from the group counter.
func generateGroups(ctx context.Context, q store.Querier, ns, accountID string, n int64) error {
	first, err := store.NextID(ctx, q, ns, groupSeq)
	if err != nil {
		return err
	}
	if err := store.EnsureCounterAtLeast(ctx, q, ns, groupSeq, first+n-1); err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, `INSERT INTO klipfolio_groups
		(ns, account_id, id, seq, name, description, external_id, builtin)
		WITH RECURSIVE n(i) AS (SELECT CAST(0 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $3)
		SELECT $1, $2, 'gen-' || CAST($4 + i AS TEXT), $4 + i, 'Group ' || CAST(i + 1 AS TEXT), '', NULL, FALSE FROM n`,
		ns, accountID, n, first)
	if err != nil {
		return err
	}
	return addGroupCount(ctx, q, ns, accountID, n)
}

const groupColumns = `account_id, id, name, description, external_id, builtin`

func scanGroup(row store.Scanner) (group, error) {
	var g group
	err := row.Scan(&g.accountID, &g.id, &g.name, &g.description, &g.externalID, &g.builtin)
	return g, err
}

func groupByID(ctx context.Context, q store.Querier, ns, accountID, id string) (*group, error) {
	g, err := scanGroup(q.QueryRowContext(ctx, `SELECT `+groupColumns+`
		FROM klipfolio_groups WHERE ns = $1 AND account_id = $2 AND id = $3`, ns, accountID, id))
	return &g, err
}

// listGroups returns a page of an account's groups in creation order, and
// the account's total.
func listGroups(ctx context.Context, q store.Querier, ns, accountID string, p page.Page) ([]group, int, error) {
	var total int
	if err := q.QueryRowContext(ctx, `SELECT COALESCE((SELECT value FROM standin_counters
		WHERE ns = $1 AND name = $2), 0)`, ns, groupCounter(accountID)).Scan(&total); err != nil {
		return nil, 0, err
	}
	// A page in the second half is read backwards from the end, so the
	// deepest pages skip the fewest rows. A long skip runs in the
	// (ns, account_id, seq) index alone and only the page's rows are read
	// from the table; short ones stay a plain scan, which PostgreSQL plans
	// well even before it has statistics.
	order, backwards := "seq", false
	if rev, ok := p.FromEnd(total); ok {
		p, order, backwards = rev, "seq DESC", true
	}
	lim, args := p.SQL(2)
	query := `SELECT ` + groupColumns + ` FROM klipfolio_groups
		WHERE ns = $1 AND account_id = $2 ORDER BY ` + order + lim
	if p.Offset >= longSkip {
		query = `SELECT ` + groupColumns + ` FROM klipfolio_groups
			WHERE ns = $1 AND account_id = $2 AND seq IN (
				SELECT seq FROM klipfolio_groups WHERE ns = $1 AND account_id = $2 ORDER BY ` + order + lim + `)
			ORDER BY seq`
		backwards = false
	}
	rows, err := q.QueryContext(ctx, query, append([]any{ns, accountID}, args...)...)
	groups, err := store.Collect(rows, err, scanGroup)
	if backwards {
		slices.Reverse(groups)
	}
	return groups, total, err
}

// longSkip is the offset from which a list skips rows in the index alone.
const longSkip = 1000

func updateGroup(ctx context.Context, q store.Querier, ns string, g *group) error {
	_, err := q.ExecContext(ctx, `UPDATE klipfolio_groups SET name = $4, description = $5
		WHERE ns = $1 AND account_id = $2 AND id = $3`, ns, g.accountID, g.id, g.name, g.description)
	return err
}

func deleteGroup(ctx context.Context, q store.Querier, ns string, g *group) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM klipfolio_group_members
		WHERE ns = $1 AND account_id = $2 AND group_id = $3`, ns, g.accountID, g.id); err != nil {
		return err
	}
	res, err := q.ExecContext(ctx, `DELETE FROM klipfolio_groups
		WHERE ns = $1 AND account_id = $2 AND id = $3`, ns, g.accountID, g.id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err
	}
	return addGroupCount(ctx, q, ns, g.accountID, -1)
}

// memberQuery selects a group's members: for the built-in "All Users" group
// every user of the account, otherwise the explicit memberships.
func memberQuery(ns string, g *group, selectList string) (string, []any) {
	if g.builtin {
		return `SELECT ` + selectList + ` FROM klipfolio_users u
			WHERE u.ns = $1 AND u.account_id = $2`, []any{ns, g.accountID}
	}
	return `SELECT ` + selectList + ` FROM klipfolio_users u
		JOIN klipfolio_group_members m ON m.ns = u.ns AND m.user_id = u.id
		WHERE u.ns = $1 AND m.account_id = $2 AND m.group_id = $3`, []any{ns, g.accountID, g.id}
}

func countMembers(ctx context.Context, q store.Querier, ns string, g *group) (int, error) {
	query, args := memberQuery(ns, g, "count(*)")
	var n int
	err := q.QueryRowContext(ctx, query, args...).Scan(&n)
	return n, err
}

// listMembers returns a page of a group's members ordered by user id.
func listMembers(ctx context.Context, q store.Querier, ns string, g *group, p page.Page) ([]member, error) {
	query, args := memberQuery(ns, g, "u.id, u.first_name, u.last_name, u.email")
	lim, largs := p.SQL(len(args))
	rows, err := q.QueryContext(ctx, query+" ORDER BY u.id"+lim, append(args, largs...)...)
	return store.Collect(rows, err, scanMember)
}

func scanMember(row store.Scanner) (member, error) {
	var m member
	err := row.Scan(&m.ID, &m.FirstName, &m.LastName, &m.Email)
	m.FullName = fullName(m.FirstName, m.LastName)
	return m, err
}

func addMember(ctx context.Context, q store.Querier, ns string, g *group, userID string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO klipfolio_group_members (ns, account_id, group_id, user_id)
		VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, ns, g.accountID, g.id, userID)
	return err
}

func removeMember(ctx context.Context, q store.Querier, ns string, g *group, userID string) error {
	_, err := q.ExecContext(ctx, `DELETE FROM klipfolio_group_members
		WHERE ns = $1 AND account_id = $2 AND group_id = $3 AND user_id = $4`, ns, g.accountID, g.id, userID)
	return err
}

func fullName(first, last string) string {
	switch {
	case first == "":
		return last
	case last == "":
		return first
	}
	return first + " " + last
}
