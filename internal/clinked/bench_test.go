package clinked_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/standin-dev/standin/internal/testenv"
)

// benchNamespace is a docs namespace with the rate limit off.
func benchNamespace(b *testing.B) (*testenv.Env, *testenv.Namespace) {
	env := start(b)
	ns := env.NewNamespace(b, "docs")
	settings(b, env, ns, map[string]any{"rate_limit": map[string]any{"enabled": false}})
	return env, ns
}

// benchRows seeds 10,000 rows by SQL in one transaction: row(i) inserts
// the i-th.
func benchRows(b *testing.B, env *testenv.Env, row func(ctx context.Context, tx *sql.Tx, i int) error) {
	ctx := context.Background()
	err := env.App.DB().Tx(ctx, func(tx *sql.Tx) error {
		for i := range 10000 {
			if err := row(ctx, tx, i); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// benchAnalyze gathers fresh statistics, as PostgreSQL's autovacuum would
// after a bulk load (without them its planner takes the 10k-row tables for
// empty).
func benchAnalyze(b *testing.B, env *testenv.Env) {
	if _, err := env.App.DB().ExecContext(context.Background(), `ANALYZE`); err != nil {
		b.Fatal(err)
	}
}

func benchToken(b *testing.B, params url.Values) {
	env, ns := benchNamespace(b)
	u := base(ns) + "/oauth/token?" + params.Encode()
	b.ResetTimer()
	loopOK(b, env, "POST", u, nil)
}

// loopOK sends the request until the benchmark is done; every answer must
// be 200.
func loopOK(b *testing.B, env *testenv.Env, method, u string, header http.Header) {
	for b.Loop() {
		if res := env.Do(b, method, u, nil, header); res.StatusCode != http.StatusOK {
			b.Fatalf("%d %s", res.StatusCode, res.Body)
		}
	}
}

// BenchmarkTokenPassword logs in the docs seed's jack, whose seeded password
// is hashed with auth.HashSecret; a password set through the API adds
// bcrypt's check (tens of milliseconds at the default cost).
func BenchmarkTokenPassword(b *testing.B) {
	benchToken(b, url.Values{"client_id": {"clinked-mobile"}, "grant_type": {"password"},
		"username": {"jack"}, "password": {"Aez1Ahr8Ji"}})
}

func BenchmarkTokenClientCredentials(b *testing.B) {
	benchToken(b, url.Values{"client_id": {"5ad29f13-82b8-4b68-89e6-c2f4c96d5d9d"},
		"client_secret": {"0eda391b-0a88-46d2-aaaf-905332c19e20"}, "grant_type": {"client_credentials"}})
}

// BenchmarkMemberList10k lists pages of an account with 10,000 members,
// seeded by SQL, sorted by name (the default) and deep into the list.
func BenchmarkMemberList10k(b *testing.B) {
	env, ns := benchNamespace(b)
	benchRows(b, env, func(ctx context.Context, tx *sql.Tx, i int) error {
		id := int64(1000 + i)
		name := fmt.Sprintf("Bench User %05d", (i*7919)%10000)
		if _, err := tx.ExecContext(ctx, `INSERT INTO clinked_users (ns, id, username, email, name,
			date_created, last_modified) VALUES ($1, $2, $3, $4, $5, 0, 0)`,
			ns.ID, id, fmt.Sprintf("bench%05d", i), fmt.Sprintf("bench%05d@example.com", i), name); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO clinked_members (ns, account_id, user_id, permission,
			date_created, sort_name) VALUES ($1, 1, $2, 1, 0, $3)`, ns.ID, id, strings.ToLower(name))
		return err
	})
	benchAnalyze(b, env)
	for _, q := range []string{"page=1&size=20", "page=250&size=40", "page=1&size=20&name=user%2000"} {
		b.Run(q, func(b *testing.B) {
			loopOK(b, env, "GET", base(ns)+"/v3/accounts/1/members?"+q, bearer(token(ns)))
		})
	}
}
