package klipfolio_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/standin-dev/standin/internal/conformance"
	"github.com/standin-dev/standin/internal/testenv"
)

// TestConformance replays every documented Klipfolio example against a fresh
// "docs" namespace (a fresh one per example, since the DELETE examples
// remove what later examples name) and checks status and shape.
//
// Substitutions, all here: the examples carry no credentials, so each
// request gets the namespace's kf-api-key. The GET-one example response is
// the full=true shape, so for requests without full=true the expected shape
// drops data.members (the catalog recommends omitting members then).
func TestConformance(t *testing.T) {
	env := start(t)
	n := conformance.Replay(t, env, "klipfolio", func(t *testing.T, ns *testenv.Namespace, ep conformance.Endpoint, ex conformance.Request) (*conformance.Case, func(*http.Request)) {
		path := ex.Path
		if q := conformance.QueryString(ex.Query); q != "" {
			path += "?" + q
		}
		var body []byte
		if len(ex.Body) > 0 && string(ex.Body) != "null" {
			body = ex.Body
		}
		shape := ep.ExampleResponse
		if ep.ID == "klipfolio.groups.get" && ex.Query["full"] != "true" {
			shape = withoutMembers(t, shape)
		}
		key := ns.Cred("klipfolio", "api_key")
		return &conformance.Case{Method: ex.Method, Path: path, Header: http.Header{"Content-Type": {"application/json"}},
			Body: body, Status: ep.StatusCode(), Shape: shape}, func(r *http.Request) { r.Header.Set("kf-api-key", key) }
	})
	if n != 11 {
		t.Errorf("replayed %d examples, the catalog has 11", n)
	}
}

func withoutMembers(t *testing.T, shape json.RawMessage) json.RawMessage {
	var m map[string]map[string]any
	if err := json.Unmarshal(shape, &m); err != nil {
		t.Fatal(err)
	}
	delete(m["data"], "members")
	b, _ := json.Marshal(m)
	return b
}

// The doc writes the API root both ways; the examples use /api/1.
func TestBothAPIRoots(t *testing.T) {
	env := start(t)
	ns := env.NewNamespace(t, "docs")
	for _, root := range []string{"/api/1", "/api/1.0"} {
		res := env.Do(t, "GET", ns.BaseURL("klipfolio")+root+"/groups?"+url.Values{"limit": {"1"}}.Encode(), nil,
			http.Header{"Kf-Api-Key": {ns.Cred("klipfolio", "api_key")}})
		if res.StatusCode != 200 || !strings.Contains(string(res.Body), `"All Users"`) {
			t.Errorf("%s: %d %s", root, res.StatusCode, res.Body)
		}
	}
}
