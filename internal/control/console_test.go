package control_test

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/testenv"
	"github.com/standin-dev/standin/internal/vendor"
)

func startAll(t *testing.T) *testenv.Env {
	t.Helper()
	return testenv.Start(t, func(db *store.DB, log *slog.Logger) []vendor.Vendor { return registry.All(db, log) })
}

func TestOpenAPIAndDocsServed(t *testing.T) {
	env := startAll(t)
	for _, v := range []string{"clinked", "klipfolio", "worksection", "workdrive"} {
		t.Run(v, func(t *testing.T) {
			res := env.Do(t, "GET", env.Control+"/_standin/openapi/"+v+".json", nil, nil)
			if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
				t.Fatalf("json: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
			}
			doc, err := openapi3.NewLoader().LoadFromData(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			if err := doc.Validate(t.Context()); err != nil {
				t.Fatal(err)
			}
			if doc.Servers[0].URL != env.URLs[v] {
				t.Errorf("server %q, want %q", doc.Servers[0].URL, env.URLs[v])
			}
			res = env.Do(t, "GET", env.Control+"/_standin/openapi/"+v+".yaml", nil, nil)
			if res.StatusCode != 200 || !strings.Contains(string(res.Body), "openapi: 3.1.0") {
				t.Fatalf("yaml: %d %.200s", res.StatusCode, res.Body)
			}
			res = env.Do(t, "GET", env.Control+"/_standin/docs/"+v, nil, nil)
			if res.StatusCode != 200 || !strings.Contains(string(res.Body), "/_standin/openapi/") || strings.Contains(string(res.Body), "https://") {
				t.Fatalf("docs page: %d", res.StatusCode)
			}
		})
	}
	for _, path := range []string{"/_standin/openapi/nope.json", "/_standin/openapi/klipfolio.xml", "/_standin/docs/nope"} {
		if res := env.Do(t, "GET", env.Control+path, nil, nil); res.StatusCode != 404 {
			t.Errorf("%s: %d", path, res.StatusCode)
		}
	}
}

func TestExamplesEndpoint(t *testing.T) {
	env := startAll(t)
	ns := env.NewNamespace(t, "docs")
	var out struct {
		Examples []struct{ Vendor, Curl string } `json:"examples"`
	}
	env.Do(t, "GET", env.Control+"/_standin/namespaces/"+ns.ID+"/examples", nil, nil).Decode(t, 200, &out)
	if len(out.Examples) != 4 || !strings.Contains(out.Examples[2].Curl, "&hash=") {
		t.Fatalf("examples %+v", out.Examples)
	}
	if res := env.Do(t, "GET", env.Control+"/_standin/namespaces/nope/examples", nil, nil); res.StatusCode != 404 {
		t.Errorf("unknown namespace: %d", res.StatusCode)
	}
}
