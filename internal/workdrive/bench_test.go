package workdrive_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/google/uuid"
)

// benchOrg starts standin with a docs namespace whose organization fill
// grows with SQL (org is its id), and returns the OrgAdmin's client.
func benchOrg(b *testing.B, fill func(ctx context.Context, tx *sql.Tx, ns, org string) error) *client {
	env := start(b)
	ns := env.NewNamespace(b, "docs")
	ctx := context.Background()
	if err := env.DB.Tx(ctx, func(tx *sql.Tx) error { return fill(ctx, tx, ns.ID, ns.Cred("workdrive", "org_id")) }); err != nil {
		b.Fatal(err)
	}
	return newClient(b, env, ns, ns.Cred("workdrive", "api_key"))
}

// benchGets runs one sub-benchmark per query of path.
func benchGets(b *testing.B, admin *client, path string, queries []struct{ name, query string }) {
	for _, bm := range queries {
		b.Run(bm.name, func(b *testing.B) {
			for b.Loop() {
				admin.must(200, "GET", path+"?"+bm.query, nil, nil)
			}
		})
	}
}

// BenchmarkUsersList lists users of an organization of 10,000 users,
// inserted with SQL in the setup: the first page, a page in the middle
// (offset 5,000), the last page, and a 1,000-user page, with the
// reportsToObj of each user.
func BenchmarkUsersList(b *testing.B) {
	admin := benchOrg(b, func(ctx context.Context, tx *sql.Tx, ns, org string) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO workdrive_users (ns, id, org_id, role, user_name, email, email_lc,
			status, first_name, last_name, reports_to, department_id, created_at, updated_at)
			VALUES ($1, $2, $3, 'USER', $4, $5, $5, 'ACTIVE', 'Bench', $6, $7, $8, $9, $9)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for i := range 10000 {
			email := fmt.Sprintf("bench%05d@example.com", i)
			_, err := stmt.ExecContext(ctx, ns, uuid.NewString(), org, fmt.Sprintf("bench%05d", i), email,
				fmt.Sprint(i), janeID, devDeptID, int64(1_700_000_000_000+i))
			if err != nil {
				return err
			}
		}
		return nil
	})
	benchGets(b, admin, "/api/users", []struct{ name, query string }{
		{"first_page_10", "per_page=10"},
		{"middle_page_50", "per_page=50&cur_page=100"},
		{"last_page_50", "per_page=50&cur_page=201"},
		{"page_1000", "per_page=1000&cur_page=5"},
		{"department_filter_50", "per_page=50&cur_page=50&department=" + devDeptID},
	})
}

// BenchmarkPostCreate creates posts through the API: a text post, and a
// post with a file, a mention, tagged users and restricted permissions
// (references checked, grants stored), each rendered in the response.
func BenchmarkPostCreate(b *testing.B) {
	env := start(b)
	ns := env.NewNamespace(b, "docs")
	admin := newClient(b, env, ns, ns.Cred("workdrive", "api_key"))
	for _, bm := range []struct {
		name string
		body map[string]any
	}{
		{"text", map[string]any{"postText": "Hello", "tags": []string{"#bench"}}},
		{"file_mention_permissions", map[string]any{"postText": "Hello", "tags": "#bench", "fileIds": []string{videoFileID},
			"mention": janeID, "taggedUserIds": []string{johnID},
			"permissions": map[string]any{"public": false, "users": []string{janeID, johnID}}}},
	} {
		b.Run(bm.name, func(b *testing.B) {
			for b.Loop() {
				admin.must(201, "POST", "/api/posts", bm.body, nil)
			}
		})
	}
}

// BenchmarkPostsFeed reads the time-cursor feed of an organization of
// 2,000 posts (inserted with SQL in the setup), 50 per page, each with its
// author, a mention and a file rendered.
func BenchmarkPostsFeed(b *testing.B) {
	admin := benchOrg(b, func(ctx context.Context, tx *sql.Tx, ns, org string) error {
		for i := range 2000 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO workdrive_posts (ns, id, org_id, kind, user_id, status, post_text,
				file_ids, mentions, audience, posted_at, updated_at) VALUES ($1, $2, $3, 'post', $4, 'PUBLISHED', $5, $6, $7,
				'org', $8, $8)`, ns, uuid.NewString(), org, janeID, fmt.Sprintf("post %d", i),
				`["`+videoFileID+`"]`, `["`+johnID+`"]`, int64(1_700_000_000_000+i)); err != nil {
				return err
			}
		}
		return nil
	})
	benchGets(b, admin, "/api/posts", []struct{ name, query string }{
		{"first_page_50", "per_page=50"},
		{"page_20_of_50", "per_page=50&cur_page=20&time=2023-11-14T22:13:21.999Z"},
	})
}
