package control_test

import (
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/testenv"
)

func startAll(t *testing.T) *testenv.Env {
	t.Helper()
	return testenv.Start(t, registry.All)
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

func TestDataBrowser(t *testing.T) {
	env := startAll(t)
	ns := env.NewNamespace(t, "docs")
	other := env.NewNamespace(t, "docs")
	var ents struct {
		Entities []struct{ Name, Table string } `json:"entities"`
	}
	env.Do(t, "GET", env.Control+"/_standin/namespaces/"+ns.ID+"/data/klipfolio", nil, nil).Decode(t, 200, &ents)
	names := map[string]bool{}
	for _, e := range ents.Entities {
		names[e.Name] = true
	}
	if !names["groups"] || !names["users"] {
		t.Fatalf("entities %+v", ents.Entities)
	}
	// A group made in the other namespace never shows here.
	res := env.Do(t, "POST", other.BaseURL("klipfolio")+"/api/1/groups", map[string]string{"name": "Elsewhere_%", "description": "x"},
		map[string][]string{"kf-api-key": {other.Cred("klipfolio", "api_key")}})
	if res.StatusCode != 201 {
		t.Fatalf("create group: %d %s", res.StatusCode, res.Body)
	}
	type rows struct {
		Columns []string   `json:"columns"`
		Rows    [][]string `json:"rows"`
		Total   int        `json:"total"`
	}
	tests := []struct {
		name, ns, query string
		status          int
		check           func(rows) bool
	}{
		{"all groups", ns.ID, "groups", 200, func(r rows) bool { return r.Total > 0 && len(r.Rows) == min(r.Total, 25) }},
		{"paged", ns.ID, "groups?limit=1&offset=1", 200, func(r rows) bool { return len(r.Rows) <= 1 }},
		{"isolated", ns.ID, "groups?q=elsewhere", 200, func(r rows) bool { return r.Total == 0 }},
		{"search, case-insensitive, wildcards literal", other.ID, "groups?q=ELSEWHERE_%25", 200, func(r rows) bool { return r.Total == 1 }},
		{"wildcard is not a wildcard", other.ID, "groups?q=%25%25%25", 200, func(r rows) bool { return r.Total == 0 }},
		{"secrets masked", ns.ID, "users", 200, func(r rows) bool {
			for i, c := range r.Columns {
				if strings.Contains(c, "password") || strings.Contains(c, "api_key") {
					for _, row := range r.Rows {
						if row[i] != "" && row[i] != "••••••" {
							return false
						}
					}
				}
				if c == "ns" {
					return false
				}
			}
			return r.Total > 0
		}},
		{"unknown entity", ns.ID, "nope", 404, nil},
		{"bad limit", ns.ID, "groups?limit=x", 400, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := env.Do(t, "GET", env.Control+"/_standin/namespaces/"+tt.ns+"/data/klipfolio/"+tt.query, nil, nil)
			if res.StatusCode != tt.status {
				t.Fatalf("%d %s", res.StatusCode, res.Body)
			}
			if tt.check != nil {
				var r rows
				res.Decode(t, tt.status, &r)
				if !tt.check(r) {
					t.Errorf("rows %s", res.Body)
				}
			}
		})
	}
	if res := env.Do(t, "GET", env.Control+"/_standin/namespaces/"+ns.ID+"/data/nope", nil, nil); res.StatusCode != 404 {
		t.Errorf("unknown vendor: %d", res.StatusCode)
	}
}
