package app_test

import (
	"context"
	"net/http"
	neturl "net/url"
	"strings"
	"testing"
	"time"

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
	// Two pools on one database, as two processes would have.
	dsn := testenv.DSN(t)
	env := testenv.StartOn(t, testenv.Open(t, dsn), registry.All)
	other := testenv.StartOn(t, testenv.Open(t, dsn), registry.All)
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
		// lists: a list read (and kept) before a write shows it at once.
		for _, l := range []struct {
			vendor, list, create string
			body                 func(name string) any
			auth                 func(ns *testenv.Namespace) http.Header
		}{
			{"klipfolio", "/api/1/groups?limit=100", "/api/1/groups",
				func(name string) any { return map[string]string{"name": name, "description": "new"} },
				func(ns *testenv.Namespace) http.Header {
					return http.Header{"Kf-Api-Key": {ns.Cred("klipfolio", "api_key")}}
				}},
			{"clinked", "/v3/accounts/1/members?size=100", "/v3/accounts/1/members",
				func(name string) any { return map[string]string{"username": name, "email": name + "@example.com"} },
				func(ns *testenv.Namespace) http.Header {
					return http.Header{"Authorization": {"Bearer " + ns.Cred("clinked", "access_token")}}
				}},
			{"workdrive", "/api/users?per_page=100", "/api/users/add",
				func(name string) any { return map[string]string{"email": name + "@example.com"} },
				func(ns *testenv.Namespace) http.Header {
					return http.Header{"X-Api-Key": {ns.Cred("workdrive", "api_key")}}
				}},
		} {
			t.Run(tc.name+"/list shows a write/"+l.vendor, func(t *testing.T) {
				ns := env.NewNamespace(t, "docs")
				list := func() string {
					t.Helper()
					res := tc.checker.Do(t, "GET", url(ns, l.vendor)+l.list, nil, l.auth(ns))
					if res.StatusCode != http.StatusOK {
						t.Fatalf("list: %d %s", res.StatusCode, res.Body)
					}
					return string(res.Body)
				}
				for i, name := range []string{"newcomer", "latecomer"} {
					if got := list(); strings.Contains(got, name) {
						t.Fatalf("%s listed before it was made", name)
					}
					list() // a second read, served from what was kept
					res := env.Do(t, "POST", ns.BaseURL(l.vendor)+l.create, l.body(name), l.auth(ns))
					if res.StatusCode/100 != 2 {
						t.Fatalf("create %d: %d %s", i, res.StatusCode, res.Body)
					}
					if got := list(); !strings.Contains(got, name) {
						t.Fatalf("%s not listed right after it was made: %s", name, got)
					}
				}
			})
		}
		t.Run(tc.name+"/refreshed", func(t *testing.T) {
			ns := env.NewNamespace(t, "docs")
			var first, second struct {
				AccessToken  string `json:"access_token"`
				RefreshToken string `json:"refresh_token"`
			}
			grant := func(form neturl.Values, out any) {
				t.Helper()
				env.Do(t, "POST", ns.BaseURL("clinked")+"/oauth/token?"+form.Encode(), nil, nil).Decode(t, http.StatusOK, out)
			}
			grant(neturl.Values{"client_id": {"clinked-mobile"}, "grant_type": {"password"},
				"username": {"jack"}, "password": {"Aez1Ahr8Ji"}}, &first)
			userinfo := func(tok string) int {
				return tc.checker.Do(t, "GET", url(ns, "clinked")+"/v3/userinfo", nil,
					http.Header{"Authorization": {"Bearer " + tok}}).StatusCode
			}
			if got := userinfo(first.AccessToken); got != 200 {
				t.Fatalf("first token: %d", got)
			}
			grant(neturl.Values{"client_id": {"clinked-mobile"}, "grant_type": {"refresh_token"},
				"refresh_token": {first.RefreshToken}}, &second)
			if got := userinfo(first.AccessToken); got != 401 {
				t.Fatalf("first token after the refresh grant: %d, want 401", got)
			}
			if got := userinfo(second.AccessToken); got != 200 {
				t.Fatalf("refreshed token: %d", got)
			}
		})
		t.Run(tc.name+"/expired", func(t *testing.T) {
			// Time moves without a write: a kept token's expiry is checked
			// on every request against the namespace's clock.
			ns := env.NewNamespace(t, "docs")
			var tok struct {
				AccessToken string `json:"access_token"`
			}
			env.Do(t, "POST", ns.BaseURL("clinked")+"/oauth/token?"+neturl.Values{"client_id": {"clinked-mobile"},
				"grant_type": {"password"}, "username": {"jack"}, "password": {"Aez1Ahr8Ji"}}.Encode(), nil, nil).
				Decode(t, http.StatusOK, &tok)
			userinfo := func() int {
				return tc.checker.Do(t, "GET", url(ns, "clinked")+"/v3/userinfo", nil,
					http.Header{"Authorization": {"Bearer " + tok.AccessToken}}).StatusCode
			}
			if got := userinfo(); got != 200 {
				t.Fatalf("fresh token: %d", got)
			}
			tc.checker.Clock.Advance(13 * time.Hour)
			defer tc.checker.Clock.Advance(-13 * time.Hour)
			if got := userinfo(); got != 401 {
				t.Fatalf("token 13 hours later: %d, want 401", got)
			}
		})
		t.Run(tc.name+"/made again", func(t *testing.T) {
			// A namespace deleted and made again under the same id and
			// secret has the same credentials, version and (on a fake
			// clock) creation time: nothing kept for the old one may serve
			// the new one.
			ctx := context.Background()
			id := "again-" + strings.ReplaceAll(tc.name, " ", "-")
			made, err := env.App.CreateNamespace(ctx, id, "docs", "same-secret")
			if err != nil {
				t.Fatal(err)
			}
			key := http.Header{"Kf-Api-Key": {made.Credential("klipfolio.api_key", 40)}}
			groups := tc.checker.URLs["klipfolio"] + "/ns/" + id + "/api/1/groups?limit=100"
			env.Do(t, "POST", env.App.BaseURL("klipfolio", id)+"/api/1/groups", map[string]string{"name": "old-world", "description": "old"}, key).Decode(t, http.StatusCreated, nil)
			if got := tc.checker.Do(t, "GET", groups, nil, key); !strings.Contains(string(got.Body), "old-world") {
				t.Fatalf("before delete: %d %s", got.StatusCode, got.Body)
			}
			if err := env.App.DeleteNamespace(ctx, id); err != nil {
				t.Fatal(err)
			}
			if _, err := env.App.CreateNamespace(ctx, id, "docs", "same-secret"); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = env.App.DeleteNamespace(ctx, id) })
			got := tc.checker.Do(t, "GET", groups, nil, key)
			if got.StatusCode != 200 || strings.Contains(string(got.Body), "old-world") {
				t.Fatalf("made again: %d %s", got.StatusCode, got.Body)
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
