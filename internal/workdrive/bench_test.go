package workdrive_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/google/uuid"
)

// BenchmarkUsersList lists users of an organization of 10,000 users,
// inserted with SQL in the setup: the first page, a page in the middle
// (offset 5,000), the last page, and a 1,000-user page, with the
// reportsToObj of each user.
func BenchmarkUsersList(b *testing.B) {
	env := start(b)
	ns := env.NewNamespace(b, "docs")
	admin := newClient(b, env, ns, ns.Cred("workdrive", "api_key"))
	org := ns.Cred("workdrive", "org_id")
	ctx := context.Background()
	err := env.DB.Tx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO workdrive_users (ns, id, org_id, role, user_name, email, email_lc,
			status, first_name, last_name, reports_to, department_id, created_at, updated_at)
			VALUES ($1, $2, $3, 'USER', $4, $5, $5, 'ACTIVE', 'Bench', $6, $7, $8, $9, $9)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for i := range 10000 {
			email := fmt.Sprintf("bench%05d@example.com", i)
			_, err := stmt.ExecContext(ctx, ns.ID, uuid.NewString(), org, fmt.Sprintf("bench%05d", i), email,
				fmt.Sprint(i), janeID, devDeptID, int64(1_700_000_000_000+i))
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	for _, bm := range []struct{ name, query string }{
		{"first_page_10", "per_page=10"},
		{"middle_page_50", "per_page=50&cur_page=100"},
		{"last_page_50", "per_page=50&cur_page=201"},
		{"page_1000", "per_page=1000&cur_page=5"},
		{"department_filter_50", "per_page=50&cur_page=50&department=" + devDeptID},
	} {
		b.Run(bm.name, func(b *testing.B) {
			for b.Loop() {
				admin.must(200, "GET", "/api/users?"+bm.query, nil, nil)
			}
		})
	}
}
