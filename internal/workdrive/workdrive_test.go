package workdrive_test

import (
	"net/http"
	"testing"

	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/testenv"
	"github.com/standin-dev/standin/internal/workdrive"
)

// start runs standin with the WorkDrive vendor on a fresh database.
func start(t testing.TB) *testenv.Env {
	t.Helper()
	return testenv.Start(t, testenv.Only(workdrive.New))
}

// client calls one namespace's WorkDrive with a key.
type client struct {
	t    testing.TB
	env  *testenv.Env
	base string
	key  string
}

// adminClient starts standin, makes a namespace with the seed and returns
// its OrgAdmin's client.
func adminClient(t testing.TB, seed string) (*testenv.Env, *testenv.Namespace, *client) {
	t.Helper()
	env := start(t)
	ns := env.NewNamespace(t, seed)
	return env, ns, newClient(t, env, ns, ns.Cred("workdrive", "api_key"))
}

func newClient(t testing.TB, env *testenv.Env, ns *testenv.Namespace, key string) *client {
	return &client{t: t, env: env, base: ns.BaseURL("workdrive"), key: key}
}

// as returns a client of the same namespace with another key.
func (c *client) as(key string) *client { d := *c; d.key = key; return &d }

func (c *client) do(method, path string, body any) *testenv.Response {
	c.t.Helper()
	h := http.Header{}
	if c.key != "" {
		h.Set("X-API-KEY", c.key)
	}
	return c.env.Do(c.t, method, c.base+path, body, h)
}

// must sends a request and decodes the answer, failing unless the status
// is want.
func (c *client) must(want int, method, path string, body any, out any) {
	c.t.Helper()
	c.do(method, path, body).Decode(c.t, want, out)
}

func TestSeedsAndCredentials(t *testing.T) {
	env := start(t)
	for _, seed := range []string{"empty", "demo", "docs"} {
		ns := env.NewNamespace(t, seed)
		for _, k := range []string{"base_url", "api_key", "superadmin_api_key"} {
			if ns.Cred("workdrive", k) == "" {
				t.Fatalf("%s: no %s in %v", seed, k, ns.Vendors["workdrive"])
			}
		}
	}
}

// TestDeleteClearsEveryTable deletes a namespace and checks that no
// workdrive_* table keeps a row of it (Clear lists every table).
func TestDeleteClearsEveryTable(t *testing.T) {
	env := start(t)
	ns := env.NewNamespace(t, "demo")
	other := env.NewNamespace(t, "docs")
	env.Do(t, "DELETE", env.Control+"/_standin/namespaces/"+ns.ID, nil, nil).Decode(t, 204, nil)
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'workdrive_%'`
	if env.DB.Engine == store.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'workdrive_%'`
	}
	rows, err := env.DB.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	if len(tables) < 13 {
		t.Fatalf("found only tables %v", tables)
	}
	kept := 0
	for _, tb := range tables {
		var left, others int
		if err := env.DB.QueryRow("SELECT count(*) FROM "+tb+" WHERE ns = $1", ns.ID).Scan(&left); err != nil {
			t.Fatal(err)
		}
		if left != 0 {
			t.Errorf("%s keeps %d rows of the deleted namespace", tb, left)
		}
		if err := env.DB.QueryRow("SELECT count(*) FROM "+tb+" WHERE ns = $1", other.ID).Scan(&others); err != nil {
			t.Fatal(err)
		}
		kept += others
	}
	if kept == 0 {
		t.Error("the other namespace lost its rows")
	}
}

// TestKeysStayInTheirNamespace: two docs namespaces share every id but no
// key works in the other.
func TestKeysStayInTheirNamespace(t *testing.T) {
	env := start(t)
	a, b := env.NewNamespace(t, "docs"), env.NewNamespace(t, "docs")
	if a.Cred("workdrive", "api_key") == b.Cred("workdrive", "api_key") {
		t.Fatal("two namespaces have the same key")
	}
	res := newClient(t, env, b, a.Cred("workdrive", "api_key")).do("GET", "/api/users", nil)
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a's key in b: %d %s", res.StatusCode, res.Body)
	}
	newClient(t, env, b, b.Cred("workdrive", "api_key")).must(200, "GET", "/api/users", nil, nil)
}
