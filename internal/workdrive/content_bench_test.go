package workdrive_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/google/uuid"
)

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
	env := start(b)
	ns := env.NewNamespace(b, "docs")
	admin := newClient(b, env, ns, ns.Cred("workdrive", "api_key"))
	org := ns.Cred("workdrive", "org_id")
	ctx := context.Background()
	err := env.DB.Tx(ctx, func(tx *sql.Tx) error {
		for i := range 2000 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO workdrive_posts (ns, id, org_id, kind, user_id, status, post_text,
				file_ids, mentions, audience, posted_at, updated_at) VALUES ($1, $2, $3, 'post', $4, 'PUBLISHED', $5, $6, $7,
				'org', $8, $8)`, ns.ID, uuid.NewString(), org, janeID, fmt.Sprintf("post %d", i),
				`["`+videoFileID+`"]`, `["`+johnID+`"]`, int64(1_700_000_000_000+i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	for _, bm := range []struct{ name, query string }{
		{"first_page_50", "per_page=50"},
		{"page_20_of_50", "per_page=50&cur_page=20&time=2023-11-14T22:13:21.999Z"},
	} {
		b.Run(bm.name, func(b *testing.B) {
			for b.Loop() {
				admin.must(200, "GET", "/api/posts?"+bm.query, nil, nil)
			}
		})
	}
}
