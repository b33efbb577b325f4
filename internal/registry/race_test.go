package registry_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/testenv"
	"github.com/standin-dev/standin/internal/vendor"
)

// raceRequests is how many requests each race fires at once: enough to
// make PostgreSQL's row locks and deadlocks show up, small enough for CI.
// scripts/soak raises it with STANDIN_RACE_REQUESTS.
var raceRequests = 40

func init() {
	if n, err := strconv.Atoi(os.Getenv("STANDIN_RACE_REQUESTS")); err == nil && n > 0 {
		raceRequests = n
	}
}

// vendorAuth is the header with which each vendor accepts a namespace's
// default credentials.
func vendorAuth(ns *testenv.Namespace, v string) http.Header {
	h := http.Header{"Content-Type": {"application/json"}}
	switch v {
	case "klipfolio":
		h.Set("Kf-Api-Key", ns.Cred("klipfolio", "api_key"))
	case "clinked":
		h.Set("Authorization", "Bearer "+ns.Cred("clinked", "access_token"))
	case "worksection":
		h.Set("Authorization", "Bearer "+ns.Cred("worksection", "access_token"))
	case "workdrive":
		h.Set("X-Api-Key", ns.Cred("workdrive", "api_key"))
	}
	return h
}

// field digs a string or number out of a decoded JSON answer by a dotted
// path ("user.username"); a trailing "/" takes the last path segment of a
// location ("meta.location/").
func field(t *testing.T, body []byte, path string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("answer is not JSON: %s", body)
	}
	lastSegment := strings.HasSuffix(path, "/")
	for _, k := range strings.Split(strings.TrimSuffix(path, "/"), ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			if len(x) == 0 {
				t.Fatalf("no %s in %s", path, body)
			}
			v = x[0].(map[string]any)[k]
		}
	}
	s := fmt.Sprint(v)
	if f, ok := v.(float64); ok {
		s = fmt.Sprintf("%d", int64(f))
	}
	if v == nil || s == "" {
		t.Fatalf("no %s in %s", path, body)
	}
	if lastSegment {
		s = s[strings.LastIndex(s, "/")+1:]
	}
	return s
}

// raceCase is one entity that can be updated and deleted: how to make one,
// and the update and delete that race on it.
type raceCase struct {
	vendor, name string
	// create makes the entity; id is the answer's field naming it.
	create    func(i int) (method, path string, body any)
	id        string
	update    func(id string) (method, path string, body any)
	deletePth func(id string) (method, path string)
}

var raceCases = []raceCase{
	{vendor: "klipfolio", name: "group",
		create: func(i int) (string, string, any) {
			return "POST", "/api/1/groups", map[string]string{"name": fmt.Sprintf("Race %d", i), "description": "d"}
		}, id: "meta.location/",
		update: func(id string) (string, string, any) {
			return "PUT", "/api/1/groups/" + id, map[string]string{"description": "updated"}
		},
		deletePth: func(id string) (string, string) { return "DELETE", "/api/1/groups/" + id }},
	{vendor: "clinked", name: "application",
		create: func(i int) (string, string, any) {
			return "POST", "/v3/applications", map[string]string{"name": fmt.Sprintf("Race %d", i), "platform": "OTHER"}
		}, id: "clientId",
		update: func(id string) (string, string, any) {
			return "PATCH", "/v3/applications/" + id, map[string]string{"name": "updated"}
		},
		deletePth: func(id string) (string, string) { return "DELETE", "/v3/applications/" + id }},
	{vendor: "clinked", name: "member",
		create: func(i int) (string, string, any) {
			return "POST", "/v3/accounts/1/members", map[string]any{"username": fmt.Sprintf("racer%d", i),
				"email": fmt.Sprintf("racer%d@race.example", i), "name": "Racer", "tags": []string{"a", "b"}, "assignGroups": map[string]int{"1": 1}}
		}, id: "user.username",
		update: func(id string) (string, string, any) {
			return "PATCH", "/v3/accounts/1/members/" + id, map[string]any{"tags": []string{"c", "d"}, "assignGroups": map[string]int{"1": 4}}
		},
		deletePth: func(id string) (string, string) { return "DELETE", "/v3/accounts/1/members/" + id }},
	{vendor: "clinked", name: "group",
		create: func(i int) (string, string, any) {
			return "POST", "/v3/accounts/1/groups", map[string]any{"friendlyName": fmt.Sprintf("Race %d", i)}
		}, id: "id",
		update: func(id string) (string, string, any) {
			return "PATCH", "/v3/accounts/1/groups/" + id, map[string]any{"friendlyName": "updated"}
		},
		deletePth: func(id string) (string, string) { return "DELETE", "/v3/accounts/1/groups/" + id }},
	{vendor: "clinked", name: "group invite",
		create: func(i int) (string, string, any) {
			return "POST", "/v3/groups/1/invites", map[string]any{"emails": []string{fmt.Sprintf("inv%d@race.example", i)}}
		}, id: "id",
		update: func(id string) (string, string, any) {
			return "PATCH", "/v3/groups/1/invites/" + id, map[string]any{"permission": 16}
		},
		deletePth: func(id string) (string, string) { return "DELETE", "/v3/groups/1/invites/" + id }},
	{vendor: "clinked", name: "group event",
		create: func(i int) (string, string, any) {
			return "POST", "/v3/groups/1/events", map[string]any{"friendlyName": fmt.Sprintf("Race %d", i), "startDate": "2031-05-01T14:00:00.000Z"}
		}, id: "id",
		update: func(id string) (string, string, any) {
			return "PATCH", "/v3/groups/1/events/" + id, map[string]any{"location": "Room 5", "tags": []string{"a"}}
		},
		deletePth: func(id string) (string, string) { return "DELETE", "/v3/groups/1/events/" + id }},
	{vendor: "clinked", name: "group task",
		create: func(i int) (string, string, any) {
			return "POST", "/v3/groups/1/tasks", map[string]any{"friendlyName": fmt.Sprintf("Race %d", i)}
		}, id: "id",
		update: func(id string) (string, string, any) {
			return "PATCH", "/v3/groups/1/tasks/" + id, map[string]any{"status": "IN_PROGRESS"}
		},
		deletePth: func(id string) (string, string) { return "DELETE", "/v3/groups/1/tasks/" + id }},
	{vendor: "workdrive", name: "user",
		create: func(i int) (string, string, any) {
			return "POST", "/api/users/add", map[string]any{"email": fmt.Sprintf("racer%d@race.example", i), "firstName": "Race", "lastName": "R"}
		}, id: "id",
		update: func(id string) (string, string, any) {
			return "PATCH", "/api/users/" + id, map[string]any{"firstName": "Updated", "designation": "Racer"}
		},
		deletePth: func(id string) (string, string) { return "DELETE", "/api/users/" + id }},
	{vendor: "workdrive", name: "department",
		create: func(i int) (string, string, any) {
			return "POST", "/api/departments", map[string]any{"name": fmt.Sprintf("Race %d", i)}
		}, id: "id",
		update: func(id string) (string, string, any) {
			return "PATCH", "/api/departments/" + id, map[string]any{"name": "Updated"}
		},
		deletePth: func(id string) (string, string) { return "DELETE", "/api/departments/" + id }},
	{vendor: "workdrive", name: "location",
		create: func(i int) (string, string, any) {
			return "POST", "/api/locations", map[string]any{"name": fmt.Sprintf("Race %d", i)}
		}, id: "id",
		update: func(id string) (string, string, any) {
			return "PATCH", "/api/locations/" + id, map[string]any{"name": "Updated"}
		},
		deletePth: func(id string) (string, string) { return "DELETE", "/api/locations/" + id }},
	{vendor: "workdrive", name: "event",
		create: func(i int) (string, string, any) {
			return "POST", "/api/events/meeting", map[string]any{"title": fmt.Sprintf("Race %d", i), "startDateTime": "2031-01-01T10:00:00Z"}
		}, id: "id",
		update: func(id string) (string, string, any) {
			return "PATCH", "/api/events/" + id, map[string]any{"title": "Updated"}
		},
		deletePth: func(id string) (string, string) { return "DELETE", "/api/events/" + id }},
	{vendor: "workdrive", name: "task",
		create: func(i int) (string, string, any) {
			return "POST", "/api/tasks", map[string]any{"title": fmt.Sprintf("Race %d", i)}
		}, id: "id",
		update: func(id string) (string, string, any) {
			return "PATCH", "/api/tasks/update/" + id, map[string]any{"title": "Updated"}
		},
		deletePth: func(id string) (string, string) { return "DELETE", "/api/tasks/" + id }},
	{vendor: "workdrive", name: "document",
		create: func(i int) (string, string, any) {
			return "POST", "/api/documents", map[string]any{"name": fmt.Sprintf("Race %d", i), "link": "https://example.com/doc"}
		}, id: "id",
		update: func(id string) (string, string, any) {
			return "PATCH", "/api/documents/" + id, map[string]any{"kb": map[string]any{"name": "Updated"}}
		},
		deletePth: func(id string) (string, string) { return "DELETE", "/api/documents/" + id }},
}

// TestRacingWritesNeverFail fires updates and deletes at one entity at
// once, for every vendor entity that can be updated and deleted. Whatever
// the interleaving, each answer is a success or the vendor's 404 (or 403
// where the vendor checks that the caller may see the entity): never a 500
// from a row that vanished, a deadlock or a serialization failure.
func TestRacingWritesNeverFail(t *testing.T) {
	env := testenv.Start(t, func(db *store.DB, log *slog.Logger) []vendor.Vendor { return registry.All(db, log) })
	ns := env.NewNamespace(t, "docs")
	env.Do(t, "PUT", env.Control+"/_standin/namespaces/"+ns.ID+"/settings/clinked",
		`{"rate_limit":{"enabled":false}}`, nil).Decode(t, http.StatusOK, nil)
	for ci, c := range raceCases {
		t.Run(c.vendor+" "+c.name, func(t *testing.T) {
			base, h := ns.BaseURL(c.vendor), vendorAuth(ns, c.vendor)
			// Two rounds: one where deletes come late, one where they come
			// early in the burst.
			for round := range 2 {
				m, p, b := c.create(ci*10 + round)
				res := env.Do(t, m, base+p, b, h)
				if res.StatusCode/100 != 2 {
					t.Fatalf("create: %d %s", res.StatusCode, res.Body)
				}
				id := field(t, res.Body, c.id)
				var wg sync.WaitGroup
				statuses := make([]string, raceRequests)
				for i := range raceRequests {
					wg.Go(func() {
						var m, p string
						var b any
						if (i%4 == 3) == (round == 0) {
							m, p = c.deletePth(id)
						} else {
							m, p, b = c.update(id)
						}
						res := env.Do(t, m, base+p, b, h)
						statuses[i] = fmt.Sprintf("%s %d", m, res.StatusCode)
						if res.StatusCode >= 500 || (res.StatusCode >= 300 && res.StatusCode != 404 && res.StatusCode != 403) {
							t.Errorf("%s %s: %d %s", m, p, res.StatusCode, res.Body)
						}
					})
				}
				wg.Wait()
				m, p = c.deletePth(id)
				if res := env.Do(t, m, base+p, nil, h); res.StatusCode != 404 && res.StatusCode != 403 {
					t.Errorf("after the race, %s %s: %d, want 404 (deleted)", m, p, res.StatusCode)
				}
				if t.Failed() {
					t.Logf("statuses: %v", statuses)
					return
				}
			}
		})
	}
}

// TestRacingCreatesOfOneName sends the same create of a uniquely named
// entity at once: exactly one succeeds, the others get the vendor's
// conflict (or validation) answer, never a 500.
func TestRacingCreatesOfOneName(t *testing.T) {
	env := testenv.Start(t, func(db *store.DB, log *slog.Logger) []vendor.Vendor { return registry.All(db, log) })
	ns := env.NewNamespace(t, "docs")
	env.Do(t, "PUT", env.Control+"/_standin/namespaces/"+ns.ID+"/settings/clinked",
		`{"rate_limit":{"enabled":false}}`, nil).Decode(t, http.StatusOK, nil)
	cases := []struct {
		vendor, name, method, path string
		body                       any
		ok                         int
	}{
		{"clinked", "member username", "POST", "/v3/accounts/1/members", map[string]any{"username": "onlyone", "email": "onlyone@race.example"}, 200},
		{"clinked", "group name", "POST", "/v3/accounts/1/groups", map[string]any{"name": "only_one", "friendlyName": "Only one"}, 200},
		{"workdrive", "user email", "POST", "/api/users/add", map[string]any{"email": "onlyone@race.example", "firstName": "Only", "lastName": "One"}, 201},
		{"worksection", "member email", "POST", "/api/oauth2?action=add_user&email=onlyone@race.example", nil, 200},
	}
	for _, c := range cases {
		t.Run(c.vendor+" "+c.name, func(t *testing.T) {
			base, h := ns.BaseURL(c.vendor), vendorAuth(ns, c.vendor)
			var (
				wg        sync.WaitGroup
				mu        sync.Mutex
				successes int
			)
			for range raceRequests {
				wg.Go(func() {
					res := env.Do(t, c.method, base+c.path, c.body, h)
					if res.StatusCode >= 500 {
						t.Errorf("%d %s", res.StatusCode, res.Body)
					}
					if res.StatusCode == c.ok && !strings.Contains(string(res.Body), `"status":"error"`) {
						mu.Lock()
						successes++
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			if successes != 1 {
				t.Errorf("%d creates succeeded, want exactly 1", successes)
			}
		})
	}
}

// TestResetRacingWritesNeverFails resets a namespace while clients write
// to it: every answer is a success (or a 404 for what the reset removed).
func TestResetRacingWritesNeverFails(t *testing.T) {
	env := testenv.Start(t, func(db *store.DB, log *slog.Logger) []vendor.Vendor { return registry.All(db, log) })
	ns := env.NewNamespace(t, "docs")
	var wg sync.WaitGroup
	for i := range raceRequests {
		wg.Go(func() {
			if i%8 == 0 {
				if res := env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/reset", nil, nil); res.StatusCode != 200 {
					t.Errorf("reset: %d %s", res.StatusCode, res.Body)
				}
				return
			}
			res := env.Do(t, "POST", ns.BaseURL("klipfolio")+"/api/1/groups",
				map[string]string{"name": fmt.Sprintf("During reset %d", i), "description": "d"}, vendorAuth(ns, "klipfolio"))
			if res.StatusCode != 201 {
				t.Errorf("create during reset: %d %s", res.StatusCode, res.Body)
			}
		})
	}
	wg.Wait()
}
