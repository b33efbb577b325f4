package app_test

import (
	"net/http"
	"testing"

	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/testenv"
)

// TestCachedCredentialsStopAtOnce proves that nothing a process keeps in
// memory (the namespace and what derives from it) outlives a revocation,
// a rotation, a reset, a delete or a settings change: the change is made
// through one process and checked at once, with no wait, through the same
// process and through a second process on the same database (each with its
// own caches, warmed before the change).
func TestCachedCredentialsStopAtOnce(t *testing.T) {
	env := testenv.Start(t, registry.All)
	other := testenv.StartOn(t, env.DB, registry.All)
	other.Clock.Set(env.Clock.Now())
	for _, tc := range []struct {
		name    string
		checker *testenv.Env
	}{
		{"one process", env},
		{"two processes", other},
	} {
		// url is the namespace's vendor base URL as the checking process
		// serves it.
		url := func(ns *testenv.Namespace, vendor string) string {
			return tc.checker.URLs[vendor] + "/ns/" + ns.ID
		}
		wd := func(t *testing.T, ns *testenv.Namespace, key string) int {
			return tc.checker.Do(t, "GET", url(ns, "workdrive")+"/api/users", nil, http.Header{"X-Api-Key": {key}}).StatusCode
		}
		kf := func(t *testing.T, ns *testenv.Namespace) int {
			return tc.checker.Do(t, "GET", url(ns, "klipfolio")+"/api/1/groups", nil,
				http.Header{"Kf-Api-Key": {ns.Cred("klipfolio", "api_key")}}).StatusCode
		}
		// mint rotates the WorkDrive admin's API key through env.
		mint := func(t *testing.T, ns *testenv.Namespace, key string) string {
			var out struct {
				Token string `json:"token"`
			}
			env.Do(t, "POST", ns.BaseURL("workdrive")+"/api/token/generate-access", map[string]string{"userId": ns.Cred("workdrive", "user_id")},
				http.Header{"X-Api-Key": {key}}).Decode(t, http.StatusCreated, &out)
			return out.Token
		}
		t.Run(tc.name+"/rotated", func(t *testing.T) {
			ns := env.NewNamespace(t, "docs")
			seeded := ns.Cred("workdrive", "api_key")
			if got := wd(t, ns, seeded); got != 200 {
				t.Fatalf("seeded key before rotation: %d", got)
			}
			minted := mint(t, ns, seeded)
			if got := wd(t, ns, seeded); got != 401 {
				t.Fatalf("seeded key after rotation: %d, want 401", got)
			}
			if got := wd(t, ns, minted); got != 200 {
				t.Fatalf("new key: %d", got)
			}
			again := mint(t, ns, minted)
			if got := wd(t, ns, minted); got != 401 {
				t.Fatalf("revoked key: %d, want 401", got)
			}
			if got := wd(t, ns, again); got != 200 {
				t.Fatalf("newest key: %d", got)
			}
		})
		t.Run(tc.name+"/reset", func(t *testing.T) {
			ns := env.NewNamespace(t, "docs")
			minted := mint(t, ns, ns.Cred("workdrive", "api_key"))
			if got := wd(t, ns, minted); got != 200 {
				t.Fatalf("minted key before reset: %d", got)
			}
			env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/reset", nil, nil).Decode(t, 200, nil)
			if got := wd(t, ns, minted); got != 401 {
				t.Fatalf("minted key after reset: %d, want 401", got)
			}
			if got := wd(t, ns, ns.Cred("workdrive", "api_key")); got != 200 {
				t.Fatalf("seeded key after reset: %d", got)
			}
		})
		t.Run(tc.name+"/deleted", func(t *testing.T) {
			ns := env.NewNamespace(t, "docs")
			if got := kf(t, ns); got != 200 {
				t.Fatalf("before delete: %d", got)
			}
			env.Do(t, "DELETE", env.Control+"/_standin/namespaces/"+ns.ID, nil, nil).Decode(t, 204, nil)
			if got := kf(t, ns); got != 404 {
				t.Fatalf("after delete: %d, want 404", got)
			}
			// The same id made again is a new namespace with new credentials.
			res := env.Do(t, "POST", env.Control+"/_standin/namespaces", map[string]string{"id": ns.ID, "seed": "docs"}, nil)
			var again testenv.Namespace
			res.Decode(t, http.StatusCreated, &again)
			if got := kf(t, ns); got != 401 {
				t.Fatalf("old credentials on a namespace made again with the same id: %d, want 401", got)
			}
			if got := kf(t, &again); got != 200 {
				t.Fatalf("new credentials: %d", got)
			}
		})
		t.Run(tc.name+"/settings", func(t *testing.T) {
			ns := env.NewNamespace(t, "docs")
			bearer := http.Header{"Authorization": {"Bearer " + ns.Cred("clinked", "access_token")}}
			get := func() int {
				return tc.checker.Do(t, "GET", url(ns, "clinked")+"/v3/userinfo", nil, bearer).StatusCode
			}
			if got := get(); got != 200 {
				t.Fatalf("before: %d", got)
			}
			env.Do(t, "PUT", env.Control+"/_standin/namespaces/"+ns.ID+"/settings/clinked",
				`{"rate_limit": {"limit": 1, "window_seconds": 300}}`, nil).Decode(t, 200, nil)
			if got := get(); got != 429 {
				t.Fatalf("after the limit fell to 1: %d, want 429", got)
			}
		})
	}
}
