package control_test

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/standin-dev/standin/internal/klipfolio"
	"github.com/standin-dev/standin/internal/outbox"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/testenv"
	"github.com/standin-dev/standin/internal/vendor"
)

func start(t *testing.T) *testenv.Env {
	t.Helper()
	return testenv.Start(t, func(db *store.DB, log *slog.Logger) []vendor.Vendor {
		return []vendor.Vendor{klipfolio.New(db, log)}
	})
}

func groups(t *testing.T, env *testenv.Env, ns *testenv.Namespace) string {
	t.Helper()
	res := env.Do(t, "GET", ns.BaseURL("klipfolio")+"/api/1/groups", nil,
		http.Header{"Kf-Api-Key": {ns.Cred("klipfolio", "api_key")}})
	if res.StatusCode != 200 {
		t.Fatalf("list groups: %d %s", res.StatusCode, res.Body)
	}
	return string(res.Body)
}

func TestHealth(t *testing.T) {
	env := start(t)
	env.Do(t, "GET", env.Control+"/_standin/health", nil, nil).Decode(t, 200, nil)
}

func TestNamespaceLifecycle(t *testing.T) {
	env := start(t)
	ns := env.NewNamespace(t, "empty")
	if ns.ID == "" || ns.Seed != "empty" {
		t.Fatalf("namespace: %+v", ns)
	}
	for _, k := range []string{"base_url", "api_key", "email", "password"} {
		if ns.Cred("klipfolio", k) == "" {
			t.Errorf("klipfolio entry lacks %s: %v", k, ns.Vendors["klipfolio"])
		}
	}
	if !strings.HasSuffix(ns.BaseURL("klipfolio"), "/ns/"+ns.ID) {
		t.Errorf("base_url %q does not end in /ns/%s", ns.BaseURL("klipfolio"), ns.ID)
	}

	// Get and list show it.
	var got testenv.Namespace
	env.Do(t, "GET", env.Control+"/_standin/namespaces/"+ns.ID, nil, nil).Decode(t, 200, &got)
	if got.Cred("klipfolio", "api_key") != ns.Cred("klipfolio", "api_key") {
		t.Errorf("get shows other credentials")
	}
	var list struct {
		Namespaces []testenv.Namespace `json:"namespaces"`
		Total      int                 `json:"total"`
	}
	env.Do(t, "GET", env.Control+"/_standin/namespaces?limit=1&offset=1", nil, nil).Decode(t, 200, &list)
	if list.Total != 2 || len(list.Namespaces) != 1 || list.Namespaces[0].ID != ns.ID {
		t.Errorf("list page 2 of size 1: %+v", list)
	}

	// Seed a JSON document, then a YAML one; reset keeps both, as the
	// namespace's seed is the seed plus its fixtures.
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/seed",
		`{"klipfolio":{"groups":[{"id":"g1","name":"JSON group","description":"d"}]}}`, nil).Decode(t, 200, nil)
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/seed",
		"klipfolio:\n  groups:\n    - {id: g2, name: YAML group, description: d}\n", nil).Decode(t, 200, nil)
	// A group made through the API is gone after reset; fixtures stay.
	env.Do(t, "POST", ns.BaseURL("klipfolio")+"/api/1/groups", map[string]string{"name": "API group", "description": "x"},
		http.Header{"Kf-Api-Key": {ns.Cred("klipfolio", "api_key")}}).Decode(t, 201, nil)
	before := groups(t, env, ns)
	for _, want := range []string{"JSON group", "YAML group", "API group"} {
		if !strings.Contains(before, want) {
			t.Errorf("before reset, %q missing: %s", want, before)
		}
	}
	var reset testenv.Namespace
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/reset", nil, nil).Decode(t, 200, &reset)
	if reset.Cred("klipfolio", "api_key") != ns.Cred("klipfolio", "api_key") {
		t.Errorf("reset changed the credentials")
	}
	after := groups(t, env, ns)
	if strings.Contains(after, "API group") || !strings.Contains(after, "JSON group") || !strings.Contains(after, "YAML group") {
		t.Errorf("after reset: %s", after)
	}

	// Delete removes it and its data; its credentials stop working.
	env.Do(t, "DELETE", env.Control+"/_standin/namespaces/"+ns.ID, nil, nil).Decode(t, 204, nil)
	env.Do(t, "GET", env.Control+"/_standin/namespaces/"+ns.ID, nil, nil).Decode(t, 404, nil)
	res := env.Do(t, "GET", ns.BaseURL("klipfolio")+"/api/1/groups", nil,
		http.Header{"Kf-Api-Key": {ns.Cred("klipfolio", "api_key")}})
	if res.StatusCode != 404 || !strings.Contains(string(res.Body), `"error_code":"not_found"`) {
		t.Errorf("deleted namespace: %d %s", res.StatusCode, res.Body)
	}
	var rows int
	if err := env.DB.QueryRow(`SELECT count(*) FROM klipfolio_groups WHERE ns = $1`, ns.ID).Scan(&rows); err != nil || rows != 0 {
		t.Errorf("deleted namespace left %d group rows (%v)", rows, err)
	}
}

func TestControlErrors(t *testing.T) {
	env := start(t)
	ns := env.NewNamespace(t, "empty")
	tests := []struct {
		name, method, path string
		body               any
		status             int
	}{
		{"unknown seed", "POST", "/_standin/namespaces", `{"seed":"lots"}`, 400},
		{"malformed JSON", "POST", "/_standin/namespaces", `{"seed":`, 400},
		{"wrong JSON type", "POST", "/_standin/namespaces", `{"seed":5}`, 400},
		{"bad id", "POST", "/_standin/namespaces", `{"id":"Has Spaces"}`, 400},
		{"taken id", "POST", "/_standin/namespaces", `{"id":"` + ns.ID + `"}`, 409},
		{"unknown namespace", "GET", "/_standin/namespaces/nope", nil, 404},
		{"reset unknown", "POST", "/_standin/namespaces/nope/reset", nil, 404},
		{"delete default", "DELETE", "/_standin/namespaces/default", nil, 409},
		{"seed not a mapping", "POST", "/_standin/namespaces/" + ns.ID + "/seed", `[1,2]`, 400},
		{"seed bad YAML", "POST", "/_standin/namespaces/" + ns.ID + "/seed", "klipfolio: [\n", 400},
		{"seed unknown vendor", "POST", "/_standin/namespaces/" + ns.ID + "/seed", `{"salesforce":{}}`, 400},
		{"seed unknown field", "POST", "/_standin/namespaces/" + ns.ID + "/seed", `{"klipfolio":{"widgets":[]}}`, 400},
		{"seed duplicate id", "POST", "/_standin/namespaces/" + ns.ID + "/seed",
			`{"klipfolio":{"groups":[{"id":"x","name":"a","description":""},{"id":"x","name":"b","description":""}]}}`, 409},
		{"seed overlong password", "POST", "/_standin/namespaces/" + ns.ID + "/seed",
			`{"klipfolio":{"users":[{"id":"u","email":"u@example.com","password":"` + strings.Repeat("p", 73) + `"}]}}`, 400},
		{"clock without a change", "POST", "/_standin/namespaces/" + ns.ID + "/clock", `{}`, 400},
		{"clock bad duration", "POST", "/_standin/namespaces/" + ns.ID + "/clock", `{"advance":"soon"}`, 400},
		{"settings not an object", "PUT", "/_standin/namespaces/" + ns.ID + "/settings/klipfolio", `[]`, 400},
		{"settings unknown vendor", "PUT", "/_standin/namespaces/" + ns.ID + "/settings/nope", `{}`, 404},
		{"unknown route", "GET", "/_standin/nothing", nil, 404},
		{"wrong method", "PATCH", "/_standin/namespaces", nil, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := env.Do(t, tt.method, env.Control+tt.path, tt.body, nil)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tt.status, res.Body)
			}
			if !strings.Contains(string(res.Body), `"error"`) {
				t.Errorf("no error envelope: %s", res.Body)
			}
		})
	}
	// A failed seed leaves nothing half-written.
	if g := groups(t, env, ns); strings.Contains(g, `"a"`) {
		t.Errorf("failed seed left a group: %s", g)
	}
}

func TestClockAndSettings(t *testing.T) {
	env := start(t)
	ns := env.NewNamespace(t, "empty")
	var c struct {
		Now      string `json:"now"`
		OffsetMS int64  `json:"offset_ms"`
	}
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/clock", `{"advance":"90m"}`, nil).Decode(t, 200, &c)
	if c.OffsetMS != 90*60*1000 {
		t.Errorf("offset %d after advancing 90m", c.OffsetMS)
	}
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/clock", `{"now":"2030-01-02T03:04:05Z"}`, nil).Decode(t, 200, &c)
	if c.Now != "2030-01-02T03:04:05Z" {
		t.Errorf("now %q after setting it", c.Now)
	}
	// Klipfolio has no settings: unknown keys are refused (settings_test.go).
	env.Do(t, "PUT", env.Control+"/_standin/namespaces/"+ns.ID+"/settings/klipfolio", `{"x":{"y":1}}`, nil).Decode(t, 400, nil)
	res := env.Do(t, "GET", env.Control+"/_standin/namespaces/"+ns.ID+"/settings/klipfolio", nil, nil)
	if string(res.Body) != "{}\n" {
		t.Errorf("settings read back as %s", res.Body)
	}
}

func TestOutbox(t *testing.T) {
	env := start(t)
	ns := env.NewNamespace(t, "empty")
	if err := outbox.Send(t.Context(), env.DB, ns.ID, outbox.Message{Vendor: "klipfolio", To: "a@example.com",
		Subject: "Hello", Body: "Hi", Time: env.Clock.Now()}); err != nil {
		t.Fatal(err)
	}
	var box struct {
		Messages []outbox.Message `json:"messages"`
		Total    int              `json:"total"`
	}
	env.Do(t, "GET", env.Control+"/_standin/namespaces/"+ns.ID+"/outbox", nil, nil).Decode(t, 200, &box)
	if box.Total != 1 || box.Messages[0].To != "a@example.com" || box.Messages[0].Subject != "Hello" {
		t.Fatalf("outbox: %+v", box)
	}
	env.Do(t, "DELETE", env.Control+"/_standin/namespaces/"+ns.ID+"/outbox", nil, nil).Decode(t, 204, nil)
	env.Do(t, "GET", env.Control+"/_standin/namespaces/"+ns.ID+"/outbox", nil, nil).Decode(t, 200, &box)
	if box.Total != 0 {
		t.Fatalf("outbox after clear: %+v", box)
	}
}

func TestConsolePage(t *testing.T) {
	env := start(t)
	res := env.Do(t, "GET", env.Control+"/", nil, nil)
	if res.StatusCode != 200 || !strings.Contains(string(res.Body), "standin console") {
		t.Fatalf("console: %d", res.StatusCode)
	}
}
