package klipfolio_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestFieldTypesAndLengths: name and description must be JSON strings, on
// POST and on PUT, and every stored string has a maximum length (255 for a
// name, 1000 for a description; docs/decisions.md). Each refusal is a 400
// bad_request and stores nothing.
func TestFieldTypesAndLengths(t *testing.T) {
	env, ns, base := startIn(t, "docs", "/api/1")
	h := key(ns)
	h.Set("Content-Type", "application/json")
	const group = "/groups/2e21abc434a5169f9890576ec4d8e333"
	long := strings.Repeat("n", 256)
	tests := []struct {
		name, method, path, body string
		status                   int
	}{
		{"POST number name", "POST", "/groups", `{"name":123,"description":"d"}`, 400},
		{"POST array name, object description", "POST", "/groups", `{"name":["a"],"description":{"x":1}}`, 400},
		{"POST boolean description", "POST", "/groups", `{"name":"n","description":true}`, 400},
		{"PUT number name", "PUT", group, `{"name":123}`, 400},
		{"PUT object description", "PUT", group, `{"description":{"x":1}}`, 400},
		{"POST 256-character name", "POST", "/groups", `{"name":"` + long + `","description":"d"}`, 400},
		{"POST 100000-character name", "POST", "/groups", `{"name":"` + strings.Repeat("x", 100000) + `","description":"d"}`, 400},
		{"POST 1001-character description", "POST", "/groups", `{"name":"n","description":"` + strings.Repeat("d", 1001) + `"}`, 400},
		{"PUT 256-character name", "PUT", group, `{"name":"` + long + `"}`, 400},
		{"PUT 1001-character description", "PUT", group, `{"description":"` + strings.Repeat("d", 1001) + `"}`, 400},
		{"POST NUL in name", "POST", "/groups", `{"name":"a\u0000b","description":"d"}`, 400},
		{"POST 255-character name", "POST", "/groups", `{"name":"` + long[1:] + `","description":"` + strings.Repeat("d", 1000) + `"}`, 201},
		{"PUT 255 characters of é", "PUT", group, `{"name":"` + strings.Repeat("é", 255) + `"}`, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e envelope
			env.Do(t, tt.method, base+tt.path, tt.body, h).Decode(t, tt.status, &e)
			if tt.status == 400 && (e.Meta.ErrorCode != "bad_request" || e.Meta.Success || e.Meta.Status != 400) {
				t.Errorf("meta %+v", e.Meta)
			}
		})
	}
	// Nothing refused was stored: the docs seed's company has 5 groups, one
	// was created above.
	var list envelope
	env.Do(t, "GET", base+"/groups", nil, key(ns)).Decode(t, 200, &list)
	if list.Meta.Total != 6 {
		t.Errorf("%d groups after the refusals, want 6", list.Meta.Total)
	}
}

// TestFullAlwaysListsMembers: with full=true, members is present even when
// the group has none.
func TestFullAlwaysListsMembers(t *testing.T) {
	env, ns, base := startIn(t, "docs", "/api/1/groups/2e21abc434a5169f9890576ec4d8e333") // "Internal", no members
	for _, q := range []string{"?full=true", "?full=1", ""} {
		var g struct {
			Data map[string]json.RawMessage `json:"data"`
		}
		env.Do(t, "GET", base+q, nil, key(ns)).Decode(t, http.StatusOK, &g)
		m, present := g.Data["members"]
		if q == "" {
			if present {
				t.Errorf("without full: members %s", m)
			}
			continue
		}
		if string(m) != "[]" {
			t.Errorf("%s: members %q, want []", q, m)
		}
	}
}

// TestFixtureLengths: a seed document is held to the API's limits.
func TestFixtureLengths(t *testing.T) {
	env, ns, _ := startIn(t, "empty", "")
	long := strings.Repeat("x", 256)
	for _, doc := range []string{
		`{"klipfolio":{"groups":[{"id":"g1","name":"` + long + `"}]}}`,
		`{"klipfolio":{"groups":[{"id":"g1","name":"n","description":"` + strings.Repeat("d", 1001) + `"}]}}`,
		`{"klipfolio":{"clients":[{"id":"c1","name":"` + long + `"}]}}`,
		`{"klipfolio":{"users":[{"id":"u1","email":"u@example.com","first_name":"` + long + `"}]}}`,
	} {
		env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/seed", doc, nil).Decode(t, http.StatusBadRequest, nil)
	}
}
