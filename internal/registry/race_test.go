package registry_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/testenv"
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
	create       string          // a POST here makes the entity
	body         func(i int) any // the create's body, unique for each i
	id           string          // the answer's field naming the entity
	update       string          // the update's method, sent to item+id
	item         string          // item+id is the entity: DELETE goes there
	change       any             // the update's body
	updateAt     string          // where the update goes instead of item, if elsewhere
}

func race(i int) string { return fmt.Sprintf("Race %d", i) }

var raceCases = []raceCase{
	{"klipfolio", "group", "/api/1/groups", func(i int) any { return map[string]string{"name": race(i), "description": "d"} }, "meta.location/",
		"PUT", "/api/1/groups/", map[string]string{"description": "updated"}, ""},
	{"clinked", "application", "/v3/applications", func(i int) any { return map[string]string{"name": race(i), "platform": "OTHER"} }, "clientId",
		"PATCH", "/v3/applications/", map[string]string{"name": "updated"}, ""},
	{"clinked", "member", "/v3/accounts/1/members", func(i int) any {
		return map[string]any{"username": fmt.Sprintf("racer%d", i), "email": fmt.Sprintf("racer%d@race.example", i), "name": "Racer",
			"tags": []string{"a", "b"}, "assignGroups": map[string]int{"1": 1}}
	}, "user.username", "PATCH", "/v3/accounts/1/members/", map[string]any{"tags": []string{"c", "d"}, "assignGroups": map[string]int{"1": 4}}, ""},
	{"clinked", "group", "/v3/accounts/1/groups", func(i int) any { return map[string]any{"friendlyName": race(i)} }, "id",
		"PATCH", "/v3/accounts/1/groups/", map[string]any{"friendlyName": "updated"}, ""},
	{"clinked", "group invite", "/v3/groups/1/invites", func(i int) any { return map[string]any{"emails": []string{fmt.Sprintf("inv%d@race.example", i)}} }, "id",
		"PATCH", "/v3/groups/1/invites/", map[string]any{"permission": 16}, ""},
	{"clinked", "group event", "/v3/groups/1/events", func(i int) any {
		return map[string]any{"friendlyName": race(i), "startDate": "2031-05-01T14:00:00.000Z"}
	}, "id", "PATCH", "/v3/groups/1/events/", map[string]any{"location": "Room 5", "tags": []string{"a"}}, ""},
	{"clinked", "group task", "/v3/groups/1/tasks", func(i int) any { return map[string]any{"friendlyName": race(i)} }, "id",
		"PATCH", "/v3/groups/1/tasks/", map[string]any{"status": "IN_PROGRESS"}, ""},
	{"workdrive", "user", "/api/users/add", func(i int) any {
		return map[string]any{"email": fmt.Sprintf("racer%d@race.example", i), "firstName": "Race", "lastName": "R"}
	}, "id", "PATCH", "/api/users/", map[string]any{"firstName": "Updated", "designation": "Racer"}, ""},
	{"workdrive", "department", "/api/departments", func(i int) any { return map[string]any{"name": race(i)} }, "id",
		"PATCH", "/api/departments/", map[string]any{"name": "Updated"}, ""},
	{"workdrive", "location", "/api/locations", func(i int) any { return map[string]any{"name": race(i)} }, "id",
		"PATCH", "/api/locations/", map[string]any{"name": "Updated"}, ""},
	{"workdrive", "event", "/api/events/meeting", func(i int) any { return map[string]any{"title": race(i), "startDateTime": "2031-01-01T10:00:00Z"} }, "id",
		"PATCH", "/api/events/", map[string]any{"title": "Updated"}, ""},
	{"workdrive", "task", "/api/tasks", func(i int) any { return map[string]any{"title": race(i)} }, "id",
		"PATCH", "/api/tasks/", map[string]any{"title": "Updated"}, "/api/tasks/update/"},
	{"workdrive", "document", "/api/documents", func(i int) any { return map[string]any{"name": race(i), "link": "https://example.com/doc"} }, "id",
		"PATCH", "/api/documents/", map[string]any{"kb": map[string]any{"name": "Updated"}}, ""},
}

// updateReq is c's update of the entity id.
func (c raceCase) updateReq(id string) (method, path string, body any) {
	at := c.updateAt
	if at == "" {
		at = c.item
	}
	return c.update, at + id, c.change
}

// TestRacingWritesNeverFail fires updates and deletes at one entity at
// once, for every vendor entity that can be updated and deleted. Whatever
// the interleaving, each answer is a success or the vendor's 404 (or 403
// where the vendor checks that the caller may see the entity): never a 500
// from a row that vanished, a deadlock or a serialization failure.
func TestRacingWritesNeverFail(t *testing.T) {
	env := testenv.Start(t, registry.All)
	ns := env.NewNamespace(t, "docs")
	env.Do(t, "PUT", env.Control+"/_standin/namespaces/"+ns.ID+"/settings/clinked",
		`{"rate_limit":{"enabled":false}}`, nil).Decode(t, http.StatusOK, nil)
	for ci, c := range raceCases {
		t.Run(c.vendor+" "+c.name, func(t *testing.T) {
			base, h := ns.BaseURL(c.vendor), vendorAuth(ns, c.vendor)
			// Two rounds: one where deletes come late, one where they come
			// early in the burst.
			for round := range 2 {
				res := env.Do(t, "POST", base+c.create, c.body(ci*10+round), h)
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
							m, p = "DELETE", c.item+id
						} else {
							m, p, b = c.updateReq(id)
						}
						res := env.Do(t, m, base+p, b, h)
						statuses[i] = fmt.Sprintf("%s %d", m, res.StatusCode)
						if res.StatusCode >= 500 || (res.StatusCode >= 300 && res.StatusCode != 404 && res.StatusCode != 403) {
							t.Errorf("%s %s: %d %s", m, p, res.StatusCode, res.Body)
						}
					})
				}
				wg.Wait()
				if res := env.Do(t, "DELETE", base+c.item+id, nil, h); res.StatusCode != 404 && res.StatusCode != 403 {
					t.Errorf("after the race, DELETE %s: %d, want 404 (deleted)", c.item+id, res.StatusCode)
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
	env := testenv.Start(t, registry.All)
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
	env := testenv.Start(t, registry.All)
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
