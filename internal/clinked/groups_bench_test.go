package clinked_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
)

// BenchmarkGroupMemberList10k lists pages of group 1 with 10,000 members,
// seeded by SQL: the default order (name), deep pages, and a name filter.
func BenchmarkGroupMemberList10k(b *testing.B) {
	env, ns := benchNamespace(b)
	benchRows(b, env, func(ctx context.Context, tx *sql.Tx, i int) error {
		id := int64(1000 + i)
		if _, err := tx.ExecContext(ctx, `INSERT INTO clinked_users (ns, id, username, email, name,
			date_created, last_modified) VALUES ($1, $2, $3, $4, $5, 0, 0)`,
			ns.ID, id, fmt.Sprintf("gbench%05d", i), fmt.Sprintf("gbench%05d@example.com", i),
			fmt.Sprintf("Group Bench %05d", (i*7919)%10000)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO clinked_group_members (ns, group_id, user_id, permission,
			date_created) VALUES ($1, 1, $2, 1, $3)`, ns.ID, id, i)
		return err
	})
	for _, q := range []string{"page=1", "page=200&size=50", "name=bench%2000"} {
		b.Run(q, func(b *testing.B) {
			loopOK(b, env, "GET", base(ns)+"/v3/groups/1/members?"+q, bearer(token(ns)))
		})
	}
	b.Run("group get", func(b *testing.B) {
		loopOK(b, env, "GET", base(ns)+"/v3/accounts/1/groups/1", bearer(token(ns)))
	})
}
