package clinked_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/standin-dev/standin/internal/clinked"
	"github.com/standin-dev/standin/internal/testenv"
)

func start(t testing.TB) *testenv.Env {
	t.Helper()
	return testenv.Start(t, testenv.Only(clinked.New))
}

// startIn starts standin with one namespace of seed.
func startIn(t *testing.T, seed string) (*testenv.Env, *testenv.Namespace) {
	t.Helper()
	env := start(t)
	return env, env.NewNamespace(t, seed)
}

// bearer is the Authorization header of an access token.
func bearer(token string) http.Header {
	return http.Header{"Authorization": {"Bearer " + token}}
}

// base is the namespace's Clinked base URL.
func base(ns *testenv.Namespace) string { return ns.BaseURL("clinked") }

// token is the ready access token of the namespace's administrator.
func token(ns *testenv.Namespace) string { return ns.Cred("clinked", "access_token") }

func TestSeeds(t *testing.T) {
	env := start(t)
	for _, seed := range []string{"empty", "demo", "docs"} {
		ns := env.NewNamespace(t, seed)
		for _, k := range []string{"base_url", "username", "password", "client_id", "client_secret", "access_token"} {
			if ns.Cred("clinked", k) == "" {
				t.Errorf("%s: credential %s missing", seed, k)
			}
		}
		// The control plane's credentials work for both grants.
		res := env.Do(t, "POST", base(ns)+"/oauth/token", url.Values{
			"client_id": {"clinked-mobile"}, "grant_type": {"password"},
			"username": {ns.Cred("clinked", "username")}, "password": {ns.Cred("clinked", "password")},
		}, nil)
		if res.StatusCode != 200 {
			t.Errorf("%s: password grant: %d %s", seed, res.StatusCode, res.Body)
		}
		res = env.Do(t, "POST", base(ns)+"/oauth/token", url.Values{
			"client_id": {ns.Cred("clinked", "client_id")}, "client_secret": {ns.Cred("clinked", "client_secret")},
			"grant_type": {"client_credentials"},
		}, nil)
		if res.StatusCode != 200 {
			t.Errorf("%s: client credentials: %d %s", seed, res.StatusCode, res.Body)
		}
	}
}

// advance moves a namespace's clock through the control plane.
func advance(t testing.TB, env *testenv.Env, ns *testenv.Namespace, d string) {
	t.Helper()
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/clock", map[string]string{"advance": d}, nil).
		Decode(t, http.StatusOK, nil)
}

// settings replaces the namespace's Clinked settings.
func settings(t testing.TB, env *testenv.Env, ns *testenv.Namespace, v any) {
	t.Helper()
	env.Do(t, "PUT", env.Control+"/_standin/namespaces/"+ns.ID+"/settings/clinked", v, nil).Decode(t, http.StatusOK, nil)
}

// login runs the password grant and returns the access token.
func login(t testing.TB, env *testenv.Env, ns *testenv.Namespace, username, password string) string {
	t.Helper()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	env.Do(t, "POST", base(ns)+"/oauth/token", url.Values{"client_id": {"clinked-mobile"}, "grant_type": {"password"},
		"username": {username}, "password": {password}}, nil).Decode(t, http.StatusOK, &tok)
	return tok.AccessToken
}
