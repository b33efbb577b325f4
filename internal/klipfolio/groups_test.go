package klipfolio_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/standin-dev/standin/internal/testenv"
)

const client = "0123456789abcdef0123456789abcdef"

func key(ns *testenv.Namespace) http.Header {
	return http.Header{"Kf-Api-Key": {ns.Cred("klipfolio", "api_key")}}
}

type envelope struct {
	Meta struct {
		Success   bool   `json:"success"`
		Status    int    `json:"status"`
		ErrorCode string `json:"error_code"`
		ErrorDesc string `json:"error_desc"`
		Location  string `json:"location"`
		Count     int    `json:"count"`
		Total     int    `json:"total"`
	} `json:"meta"`
	Data json.RawMessage `json:"data"`
}

func TestAuthAndErrors(t *testing.T) {
	env, ns, base := startIn(t, "docs", "/api/1")
	basic := func(user, pw string) http.Header {
		r, _ := http.NewRequest("GET", "/", nil)
		r.SetBasicAuth(user, pw)
		return r.Header
	}
	email, pw := ns.Cred("klipfolio", "email"), ns.Cred("klipfolio", "password")
	// Jane (docs seed) has no user.manage; give her a key through a fixture.
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/seed",
		`{"klipfolio":{"users":[{"id":"u-viewer","email":"viewer@example.com","first_name":"V","last_name":"W","api_key":"viewer-key"}]}}`,
		nil).Decode(t, 200, nil)
	viewer := http.Header{"Kf-Api-Key": {"viewer-key"}}
	json := http.Header{"Kf-Api-Key": {ns.Cred("klipfolio", "api_key")}, "Content-Type": {"application/json"}}

	tests := []struct {
		name, method, path string
		header             http.Header
		body               any
		status             int
		code               string
	}{
		{"no credentials", "GET", "/groups", nil, nil, 401, "auth_not_provided"},
		{"bad key", "GET", "/groups", http.Header{"Kf-Api-Key": {"nope"}}, nil, 401, "auth_invalid"},
		{"basic auth", "GET", "/groups", basic(email, pw), nil, 200, ""},
		{"basic auth, wrong password", "GET", "/groups", basic(email, "wrong"), nil, 401, "auth_invalid"},
		{"basic auth, unknown user", "GET", "/groups", basic("who@example.com", pw), nil, 401, "auth_invalid"},
		{"list needs no user.manage", "GET", "/groups", viewer, nil, 200, ""},
		{"get needs user.manage", "GET", "/groups/2e21abc434a5169f9890576ec4d8e333", viewer, nil, 403, "forbidden"},
		{"create needs user.manage", "POST", "/groups", viewer, url.Values{"name": {"x"}, "description": {"y"}}, 403, "forbidden"},
		{"unknown group", "GET", "/groups/ffffffffffffffffffffffffffffffff", key(ns), nil, 404, "not_found"},
		{"unknown client", "GET", "/groups?client_id=ffffffffffffffffffffffffffffffff", key(ns), nil, 404, "not_found"},
		{"client group without client_id", "GET", "/groups/9876abcdefgh54d44029ee5199111c2b", key(ns), nil, 404, "not_found"},
		{"malformed JSON", "POST", "/groups", json, `{"name": "x",`, 400, "bad_request"},
		{"JSON array body", "POST", "/groups", json, `[1]`, 400, "bad_request"},
		{"missing description", "POST", "/groups", json, `{"name":"x"}`, 400, "bad_request"},
		{"blank name", "POST", "/groups", json, `{"name":"  ","description":"d"}`, 400, "bad_request"},
		{"update nothing", "PUT", "/groups/2e21abc434a5169f9890576ec4d8e333", json, `{}`, 400, "bad_request"},
		{"update malformed", "PUT", "/groups/2e21abc434a5169f9890576ec4d8e333", json, `{"name":`, 400, "bad_request"},
		{"bad limit", "GET", "/groups?limit=ten", key(ns), nil, 400, "bad_request"},
		{"bad full", "GET", "/groups/2e21abc434a5169f9890576ec4d8e333?full=maybe", key(ns), nil, 400, "bad_request"},
		{"delete All Users", "DELETE", "/groups/42c1accfbcfd54d44029ee5199805a9y", key(ns), nil, 403, "forbidden"},
		{"unknown route", "GET", "/dashboards", key(ns), nil, 404, "not_found"},
		{"wrong method", "PATCH", "/groups", key(ns), nil, 405, "method_not_allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := env.Do(t, tt.method, base+tt.path, tt.body, tt.header)
			var e envelope
			res.Decode(t, tt.status, &e)
			if e.Meta.Status != tt.status || e.Meta.Success != (tt.status < 300) || e.Meta.ErrorCode != tt.code {
				t.Errorf("meta %+v, want status %d code %q", e.Meta, tt.status, tt.code)
			}
			if tt.status >= 400 && e.Meta.ErrorDesc == "" {
				t.Errorf("no error_desc")
			}
		})
	}
}

func TestGroupLifecycle(t *testing.T) {
	env, ns, base := startIn(t, "docs", "/api/1.0")

	for _, scope := range []string{"", client} {
		t.Run("client="+scope, func(t *testing.T) {
			q := ""
			body := url.Values{"name": {"Finance"}, "description": {"Money people"}}
			if scope != "" {
				q = "?client_id=" + scope
				body.Set("client_id", scope)
			}
			res := env.Do(t, "POST", base+"/groups", body, key(ns))
			var e envelope
			res.Decode(t, 201, &e)
			id := strings.TrimPrefix(e.Meta.Location, "/groups/")
			if len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" {
				t.Fatalf("location %q is not /groups/{32 hex}", e.Meta.Location)
			}
			if loc := res.Header.Get("Location"); loc != base+"/groups/"+id {
				t.Errorf("Location header %q", loc)
			}

			var g struct {
				Data struct {
					Name, Description, Company string
					NumMembers                 int `json:"num_members"`
				}
			}
			env.Do(t, "GET", base+"/groups/"+id+q, nil, key(ns)).Decode(t, 200, &g)
			wantCompany := "Self"
			if scope != "" {
				wantCompany = "Example Client"
			}
			if g.Data.Name != "Finance" || g.Data.Company != wantCompany || g.Data.NumMembers != 0 {
				t.Errorf("created group: %+v", g.Data)
			}

			env.Do(t, "PUT", base+"/groups/"+id, map[string]string{"description": "Updated", "client_id": scope}, key(ns)).Decode(t, 200, nil)
			env.Do(t, "GET", base+"/groups/"+id+q, nil, key(ns)).Decode(t, 200, &g)
			if g.Data.Description != "Updated" || g.Data.Name != "Finance" {
				t.Errorf("after update: %+v", g.Data)
			}

			// The other account does not see it.
			other := "?client_id=" + client
			if scope != "" {
				other = ""
			}
			env.Do(t, "GET", base+"/groups/"+id+other, nil, key(ns)).Decode(t, 404, nil)

			env.Do(t, "DELETE", base+"/groups/"+id+q, nil, key(ns)).Decode(t, 200, nil)
			env.Do(t, "GET", base+"/groups/"+id+q, nil, key(ns)).Decode(t, 404, nil)
		})
	}
}

func TestListPagination(t *testing.T) {
	env, ns, base := startIn(t, "empty", "/api/1")
	for i := range 150 {
		env.Do(t, "POST", base+"/groups", map[string]string{"name": fmt.Sprintf("g%03d", i), "description": "d"}, key(ns)).Decode(t, 201, nil)
	}
	seen := map[string]bool{}
	offset := 0
	for {
		var e struct {
			envelope
			Data struct {
				Groups []struct{ ID string } `json:"groups"`
			} `json:"data"`
		}
		env.Do(t, "GET", fmt.Sprintf("%s/groups?limit=40&offset=%d", base, offset), nil, key(ns)).Decode(t, 200, &e)
		if e.Meta.Total != 151 || e.Meta.Count != len(e.Data.Groups) {
			t.Fatalf("meta %+v with %d groups", e.Meta, len(e.Data.Groups))
		}
		if len(e.Data.Groups) == 0 {
			break
		}
		for _, g := range e.Data.Groups {
			if seen[g.ID] {
				t.Fatalf("group %s twice", g.ID)
			}
			seen[g.ID] = true
		}
		offset += len(e.Data.Groups)
	}
	if len(seen) != 151 {
		t.Fatalf("walked %d groups, want 151", len(seen))
	}
	// limit is capped at 100.
	var e envelope
	env.Do(t, "GET", base+"/groups?limit=500", nil, key(ns)).Decode(t, 200, &e)
	if e.Meta.Count != 100 {
		t.Errorf("limit=500 returned %d groups, want 100", e.Meta.Count)
	}
}

func TestMemberships(t *testing.T) {
	env, ns, base := startIn(t, "docs", "/api/1")
	const internal, jane, carl = "2e21abc434a5169f9890576ec4d8e333", "2e21abc434a5169f9890576ec4d8e333", "5f6e7d8c9b0a1f2e3d4c5b6a79880011"

	numMembers := func(id, q string) (int, []string) {
		var g struct {
			Data struct {
				NumMembers int `json:"num_members"`
				Members    []struct {
					ID       string `json:"id"`
					FullName string `json:"full_name"`
				}
			}
		}
		env.Do(t, "GET", base+"/groups/"+id+"?full=true"+q, nil, key(ns)).Decode(t, 200, &g)
		var ids []string
		for _, m := range g.Data.Members {
			ids = append(ids, m.ID+":"+m.FullName)
		}
		return g.Data.NumMembers, ids
	}
	if n, m := numMembers(internal, ""); n != 0 || len(m) != 0 {
		t.Fatalf("Internal starts with %d members %v", n, m)
	}
	env.Do(t, "PUT", base+"/users/"+jane+"/groups/"+internal, nil, key(ns)).Decode(t, 200, nil)
	env.Do(t, "PUT", base+"/users/"+jane+"/groups/"+internal, nil, key(ns)).Decode(t, 200, nil) // idempotent
	if n, m := numMembers(internal, ""); n != 1 || len(m) != 1 || m[0] != jane+":Jane Doe" {
		t.Fatalf("after adding Jane: %d %v", n, m)
	}
	var users struct {
		Meta struct{ Total int }
		Data struct {
			Users []struct{ ID, Email string }
		}
	}
	env.Do(t, "GET", base+"/groups/"+internal+"/users", nil, key(ns)).Decode(t, 200, &users)
	if users.Meta.Total != 1 || users.Data.Users[0].Email != "jane.doe@example.com" {
		t.Errorf("group users: %+v", users)
	}
	// A client user cannot join a company group, and vice versa.
	env.Do(t, "PUT", base+"/users/"+carl+"/groups/"+internal, nil, key(ns)).Decode(t, 404, nil)
	env.Do(t, "PUT", base+"/users/nobody/groups/"+internal, nil, key(ns)).Decode(t, 404, nil)
	// All Users holds every user of the account and cannot be left.
	if n, _ := numMembers("42c1accfbcfd54d44029ee5199805a9y", ""); n != 2 {
		t.Errorf("company All Users has %d members, want 2 (admin and Jane)", n)
	}
	env.Do(t, "DELETE", base+"/users/"+jane+"/groups/42c1accfbcfd54d44029ee5199805a9y", nil, key(ns)).Decode(t, 403, nil)

	env.Do(t, "DELETE", base+"/users/"+jane+"/groups/"+internal, nil, key(ns)).Decode(t, 200, nil)
	if n, _ := numMembers(internal, ""); n != 0 {
		t.Errorf("after removing Jane: %d members", n)
	}
	// Deleting a group drops its memberships.
	if n, _ := numMembers("9876abcdefgh54d44029ee5199111c2b", "&client_id="+client); n != 1 {
		t.Fatalf("client group has %d members", n)
	}
	env.Do(t, "DELETE", base+"/groups/9876abcdefgh54d44029ee5199111c2b?client_id="+client, nil, key(ns)).Decode(t, 200, nil)
	var rows int
	if err := env.DB.QueryRow(`SELECT count(*) FROM klipfolio_group_members WHERE ns = $1 AND group_id = $2`,
		ns.ID, "9876abcdefgh54d44029ee5199111c2b").Scan(&rows); err != nil || rows != 0 {
		t.Errorf("deleted group left %d memberships (%v)", rows, err)
	}
}

// Two namespaces hold the same ids and never see each other's groups.
func TestNamespacesDoNotShareGroups(t *testing.T) {
	env := start(t)
	a, b := env.NewNamespace(t, "docs"), env.NewNamespace(t, "docs")
	const shared = "2e21abc434a5169f9890576ec4d8e333" // in both docs seeds
	env.Do(t, "PUT", a.BaseURL("klipfolio")+"/api/1/groups/"+shared, map[string]string{"name": "Renamed in A"}, key(a)).Decode(t, 200, nil)
	res := env.Do(t, "POST", a.BaseURL("klipfolio")+"/api/1/groups", map[string]string{"name": "Only in A", "description": "x"}, key(a))
	var created envelope
	res.Decode(t, 201, &created)

	listB := env.Do(t, "GET", b.BaseURL("klipfolio")+"/api/1/groups", nil, key(b))
	if listB.StatusCode != 200 || strings.Contains(string(listB.Body), "Only in A") || strings.Contains(string(listB.Body), "Renamed in A") {
		t.Fatalf("namespace B sees A's changes: %s", listB.Body)
	}
	env.Do(t, "GET", b.BaseURL("klipfolio")+"/api/1"+created.Meta.Location, nil, key(b)).Decode(t, 404, nil)
	// A's key under B's URL is refused outright.
	env.Do(t, "GET", b.BaseURL("klipfolio")+"/api/1/groups", nil, key(a)).Decode(t, 401, nil)
}

// TestCreateChecksTheAccount: the group INSERT itself checks the account
// (no lookup before it): a client that is unknown or of another namespace
// is a 404, and the counters moved before the INSERT are rolled back, so
// the lists' totals do not change.
func TestCreateChecksTheAccount(t *testing.T) {
	env, ns, base := startIn(t, "docs", "/api/1")
	other := env.NewNamespace(t, "empty")
	totals := func() (company, cl int) {
		var e envelope
		env.Do(t, "GET", base+"/groups", nil, key(ns)).Decode(t, 200, &e)
		company = e.Meta.Total
		env.Do(t, "GET", base+"/groups?client_id="+client, nil, key(ns)).Decode(t, 200, &e)
		return company, e.Meta.Total
	}
	company, cl := totals()
	for _, tt := range []struct {
		name string
		url  string
		ns   *testenv.Namespace
	}{
		{"unknown client", base, ns},
		{"client of another namespace", other.BaseURL("klipfolio") + "/api/1", other},
	} {
		t.Run(tt.name, func(t *testing.T) {
			clientID := client
			if tt.ns == ns {
				clientID = "ffffffffffffffffffffffffffffffff"
			}
			var e envelope
			env.Do(t, "POST", tt.url+"/groups", map[string]string{"name": "x", "description": "y", "client_id": clientID},
				key(tt.ns)).Decode(t, 404, &e)
			if e.Meta.ErrorCode != "not_found" || e.Meta.ErrorDesc != "Client account not found" {
				t.Errorf("meta %+v", e.Meta)
			}
		})
	}
	if c2, cl2 := totals(); c2 != company || cl2 != cl {
		t.Fatalf("totals %d/%d after refused creates, want %d/%d", c2, cl2, company, cl)
	}
	env.Do(t, "POST", base+"/groups", map[string]string{"name": "x", "description": "y", "client_id": client}, key(ns)).Decode(t, 201, nil)
	if c2, cl2 := totals(); c2 != company || cl2 != cl+1 {
		t.Fatalf("totals %d/%d after a client create, want %d/%d", c2, cl2, company, cl+1)
	}
}
