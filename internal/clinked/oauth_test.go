package clinked_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/standin-dev/standin/internal/testenv"
)

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// tokenRequest sends /oauth/token parameters in one of the three forms
// real clients use.
func tokenRequest(t *testing.T, env *testenv.Env, ns *testenv.Namespace, form string, p url.Values) *testenv.Response {
	t.Helper()
	switch form {
	case "GET-query":
		return env.Do(t, "GET", base(ns)+"/oauth/token?"+p.Encode(), nil, nil)
	case "POST-query":
		return env.Do(t, "POST", base(ns)+"/oauth/token?"+p.Encode(), nil, nil)
	case "POST-form":
		return env.Do(t, "POST", base(ns)+"/oauth/token", p, nil)
	}
	t.Fatalf("unknown form %s", form)
	return nil
}

// userinfoName returns the username that a token acts for.
func userinfoName(t *testing.T, env *testenv.Env, ns *testenv.Namespace, tok string) string {
	t.Helper()
	var ui struct {
		Name string `json:"name"`
	}
	env.Do(t, "GET", base(ns)+"/v3/userinfo", nil, bearer(tok)).Decode(t, http.StatusOK, &ui)
	return ui.Name
}

func TestTokenGrants(t *testing.T) {
	env, ns := startIn(t, "docs")
	password := url.Values{"client_id": {"clinked-mobile"}, "grant_type": {"password"},
		"username": {"jack"}, "password": {"Aez1Ahr8Ji"}}
	client := url.Values{"client_id": {"5ad29f13-82b8-4b68-89e6-c2f4c96d5d9d"},
		"client_secret": {"0eda391b-0a88-46d2-aaaf-905332c19e20"}, "grant_type": {"client_credentials"},
		"scope": {"read write"}}
	for _, form := range []string{"GET-query", "POST-query", "POST-form"} {
		tests := []struct {
			grant   string
			params  func() url.Values
			refresh bool // the answer carries a refresh token (and no expires_in)
		}{
			{"password", func() url.Values { return password }, true},
			{"client_credentials", func() url.Values { return client }, false},
			{"refresh_token", func() url.Values {
				var first struct {
					RefreshToken string `json:"refresh_token"`
				}
				env.Do(t, "POST", base(ns)+"/oauth/token", password, nil).Decode(t, http.StatusOK, &first)
				return url.Values{"client_id": {"clinked-mobile"}, "grant_type": {"refresh_token"},
					"refresh_token": {first.RefreshToken}}
			}, true},
		}
		for _, tt := range tests {
			t.Run(tt.grant+"/"+form, func(t *testing.T) {
				res := tokenRequest(t, env, ns, form, tt.params())
				var got map[string]any
				res.Decode(t, http.StatusOK, &got)
				access, _ := got["access_token"].(string)
				if !uuidRE.MatchString(access) || got["token_type"] != "bearer" || got["scope"] != "read write" {
					t.Fatalf("answer %s", res.Body)
				}
				_, hasRefresh := got["refresh_token"]
				_, hasExpiry := got["expires_in"]
				if hasRefresh != tt.refresh || hasExpiry == tt.refresh {
					t.Errorf("keys: refresh_token %v, expires_in %v: %s", hasRefresh, hasExpiry, res.Body)
				}
				if tt.refresh && !uuidRE.MatchString(got["refresh_token"].(string)) {
					t.Errorf("refresh token %v", got["refresh_token"])
				}
				if !tt.refresh && got["expires_in"] != float64(7199) {
					t.Errorf("expires_in %v, want 7199", got["expires_in"])
				}
				// Every grant acts as jack (client credentials: the application's owner).
				if name := userinfoName(t, env, ns, access); name != "jack" {
					t.Errorf("token acts for %q", name)
				}
			})
		}
	}
}

func TestTokenErrors(t *testing.T) {
	env, ns := startIn(t, "demo")
	pw := func(user, pass, code string) url.Values {
		v := url.Values{"client_id": {"clinked-mobile"}, "grant_type": {"password"}, "username": {user}, "password": {pass}}
		if code != "" {
			v.Set("code", code)
		}
		return v
	}
	tests := []struct {
		name   string
		params url.Values
		status int
		err    string
		desc   string
	}{
		{"wrong password", pw("tom", "nope", ""), 400, "invalid_grant", "Bad credentials"},
		{"unknown user", pw("nobody", "demo-password", ""), 400, "invalid_grant", "Bad credentials"},
		{"2FA without code", pw("priya", "demo-password", ""), 400, "invalid_grant", ""},
		{"2FA wrong code", pw("priya", "demo-password", "000000"), 400, "invalid_grant", ""},
		{"2FA right code", pw("priya", "demo-password", "123456"), 200, "", ""},
		{"no 2FA, code ignored", pw("tom", "demo-password", "12345"), 200, "", ""},
		{"login by e-mail", pw("tom.chen@northwind.example", "demo-password", ""), 200, "", ""},
		{"unknown client", url.Values{"client_id": {"nope"}, "client_secret": {"x"}, "grant_type": {"client_credentials"}},
			401, "invalid_client", ""},
		{"wrong secret", url.Values{"client_id": {ns.Cred("clinked", "client_id")}, "client_secret": {"x"},
			"grant_type": {"client_credentials"}}, 401, "invalid_client", ""},
		{"public client, client credentials", url.Values{"client_id": {"clinked-mobile"}, "grant_type": {"client_credentials"}},
			401, "invalid_client", ""},
		{"missing grant type", url.Values{"client_id": {"clinked-mobile"}}, 400, "invalid_request", ""},
		{"unsupported grant", url.Values{"client_id": {"clinked-mobile"}, "grant_type": {"implicit"}}, 400, "unsupported_grant_type", ""},
		{"unknown refresh token", url.Values{"client_id": {"clinked-mobile"}, "grant_type": {"refresh_token"},
			"refresh_token": {"6b1f9d2e-0000-4000-8000-000000000000"}}, 400, "invalid_grant", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := env.Do(t, "POST", base(ns)+"/oauth/token", tt.params, nil)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tt.status, res.Body)
			}
			if tt.err == "" {
				return
			}
			m := res.JSON(t)
			if m["error"] != tt.err || (tt.desc != "" && m["error_description"] != tt.desc) || m["error_description"] == nil {
				t.Errorf("body %s, want error %s %q", res.Body, tt.err, tt.desc)
			}
		})
	}

	// /v3 without a token, with a bad one, with another namespace's.
	other := env.NewNamespace(t, "demo")
	for _, tt := range []struct {
		name   string
		header http.Header
		err    string
	}{
		{"no token", nil, "unauthorized"},
		{"bad token", bearer("2466f2ee-0875-41a1-ad6c-8f81468f47e9"), "invalid_token"},
		{"other namespace's token", bearer(token(other)), "invalid_token"},
	} {
		res := env.Do(t, "GET", base(ns)+"/v3/userinfo", nil, tt.header)
		if res.StatusCode != 401 || res.JSON(t)["error"] != tt.err || res.JSON(t)["error_description"] == nil {
			t.Errorf("%s: %d %s", tt.name, res.StatusCode, res.Body)
		}
		if !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%s: WWW-Authenticate %q", tt.name, res.Header.Get("WWW-Authenticate"))
		}
	}
}

func TestTokenExpiryAndRefresh(t *testing.T) {
	env, ns := startIn(t, "docs")
	var pw struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	env.Do(t, "GET", base(ns)+"/oauth/token?"+url.Values{"client_id": {"clinked-mobile"}, "grant_type": {"password"},
		"username": {"jack"}, "password": {"Aez1Ahr8Ji"}}.Encode(), nil, nil).Decode(t, http.StatusOK, &pw)
	var cc struct {
		AccessToken string `json:"access_token"`
	}
	env.Do(t, "GET", base(ns)+"/oauth/token?"+url.Values{"client_id": {"5ad29f13-82b8-4b68-89e6-c2f4c96d5d9d"},
		"client_secret": {"0eda391b-0a88-46d2-aaaf-905332c19e20"}, "grant_type": {"client_credentials"}}.Encode(),
		nil, nil).Decode(t, http.StatusOK, &cc)

	status := func(tok string) int {
		return env.Do(t, "GET", base(ns)+"/v3/userinfo", nil, bearer(tok)).StatusCode
	}
	advance(t, env, ns, "1h59m")
	if status(cc.AccessToken) != 200 || status(pw.AccessToken) != 200 {
		t.Fatal("tokens expired early")
	}
	advance(t, env, ns, "2m") // 2h01m: the client-credentials token (2h) is gone
	if status(cc.AccessToken) != 401 || status(pw.AccessToken) != 200 {
		t.Fatal("client credentials token should have expired, password token not")
	}
	advance(t, env, ns, "10h") // 12h01m: the password token (12h) is gone
	res := env.Do(t, "GET", base(ns)+"/v3/userinfo", nil, bearer(pw.AccessToken))
	if res.StatusCode != 401 || res.JSON(t)["error"] != "invalid_token" ||
		!strings.Contains(res.JSON(t)["error_description"].(string), "expired") {
		t.Fatalf("expired token: %d %s", res.StatusCode, res.Body)
	}
	refresh := url.Values{"client_id": {"clinked-mobile"}, "grant_type": {"refresh_token"}, "refresh_token": {pw.RefreshToken}}
	var fresh struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	env.Do(t, "POST", base(ns)+"/oauth/token", refresh, nil).Decode(t, http.StatusOK, &fresh)
	if status(fresh.AccessToken) != 200 || fresh.RefreshToken != pw.RefreshToken {
		t.Fatalf("refreshed token: %+v", fresh)
	}
	// A refresh token belongs to its client.
	wrong := url.Values{"client_id": {"5ad29f13-82b8-4b68-89e6-c2f4c96d5d9d"},
		"client_secret": {"0eda391b-0a88-46d2-aaaf-905332c19e20"}, "grant_type": {"refresh_token"},
		"refresh_token": {pw.RefreshToken}}
	if res := env.Do(t, "POST", base(ns)+"/oauth/token", wrong, nil); res.StatusCode != 400 {
		t.Errorf("refresh with another client: %d %s", res.StatusCode, res.Body)
	}
	advance(t, env, ns, "720h") // 30 days later the refresh token is gone too
	res = env.Do(t, "POST", base(ns)+"/oauth/token", refresh, nil)
	if res.StatusCode != 400 || res.JSON(t)["error"] != "invalid_grant" {
		t.Fatalf("expired refresh token: %d %s", res.StatusCode, res.Body)
	}
}

func TestApplicationDeleteRevokesTokens(t *testing.T) {
	env, ns := startIn(t, "docs")
	jack := login(t, env, ns, "jack", "Aez1Ahr8Ji")
	var app map[string]any
	env.Do(t, "POST", base(ns)+"/v3/applications", map[string]any{"name": "Sync", "platform": "LINUX", "deviceType": "Browser"},
		bearer(jack)).Decode(t, http.StatusCreated, &app)
	id, secret := app["clientId"].(string), app["clientSecret"].(string)
	if id == "" || secret == "" {
		t.Fatalf("create: %v", app)
	}
	// The secret is shown once.
	for _, path := range []string{"/v3/applications/" + id, "/v3/applications"} {
		res := env.Do(t, "GET", base(ns)+path, nil, bearer(jack))
		if res.StatusCode != 200 || strings.Contains(string(res.Body), "clientSecret") || !strings.Contains(string(res.Body), id) {
			t.Errorf("GET %s: %d %s", path, res.StatusCode, res.Body)
		}
	}
	creds := url.Values{"client_id": {id}, "client_secret": {secret}, "grant_type": {"client_credentials"}}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	env.Do(t, "POST", base(ns)+"/oauth/token", creds, nil).Decode(t, http.StatusOK, &tok)
	if userinfoName(t, env, ns, tok.AccessToken) != "jack" {
		t.Fatal("client credentials token does not act as the owner")
	}
	// Another user cannot see or delete jack's application.
	user1 := login(t, env, ns, "user1", "Passy123!")
	if res := env.Do(t, "DELETE", base(ns)+"/v3/applications/"+id, nil, bearer(user1)); res.StatusCode != 404 {
		t.Fatalf("foreign delete: %d %s", res.StatusCode, res.Body)
	}
	res := env.Do(t, "DELETE", base(ns)+"/v3/applications/"+id, nil, bearer(jack))
	if res.StatusCode != 200 || len(res.Body) != 0 {
		t.Fatalf("delete: %d %q", res.StatusCode, res.Body)
	}
	if res := env.Do(t, "GET", base(ns)+"/v3/userinfo", nil, bearer(tok.AccessToken)); res.StatusCode != 401 {
		t.Errorf("token of a deleted application: %d", res.StatusCode)
	}
	if res := env.Do(t, "POST", base(ns)+"/oauth/token", creds, nil); res.StatusCode != 401 || res.JSON(t)["error"] != "invalid_client" {
		t.Errorf("grant with deleted application: %d %s", res.StatusCode, res.Body)
	}
	if res := env.Do(t, "GET", base(ns)+"/v3/userinfo", nil, bearer(jack)); res.StatusCode != 200 {
		t.Errorf("jack's own token must survive: %d", res.StatusCode)
	}
}

func TestApplicationValidation(t *testing.T) {
	env, ns := startIn(t, "docs")
	for _, body := range []string{`{"name": ""}`, `{"name": "x", "platform": "AMIGA"}`, `{"name": "x", "deviceType": "Car"}`,
		`{"name": 5}`, `{"name": "x"`} {
		res := env.Do(t, "POST", base(ns)+"/v3/applications", body, bearer(token(ns)))
		if res.StatusCode != 400 || res.JSON(t)["status"] != float64(400) || res.JSON(t)["message"] == nil {
			t.Errorf("%s: %d %s", body, res.StatusCode, res.Body)
		}
	}
	res := env.Do(t, "PATCH", base(ns)+"/v3/applications/0c8d8eb6-a842-4932-bb98-2da5749db414",
		map[string]string{"appVersion": "2.0"}, bearer(token(ns)))
	if m := res.JSON(t); res.StatusCode != 200 || m["appVersion"] != "2.0" || m["name"] != "My Awesome App!" {
		t.Errorf("partial update: %d %s", res.StatusCode, res.Body)
	}
}

func TestPasswordChangeTakesEffect(t *testing.T) {
	env, ns := startIn(t, "docs")
	res := env.Do(t, "PATCH", base(ns)+"/v3/accounts/1/members/user1", map[string]string{"password": "N3w-Passw0rd"}, bearer(token(ns)))
	res.Decode(t, http.StatusOK, nil)
	old := env.Do(t, "POST", base(ns)+"/oauth/token", url.Values{"client_id": {"clinked-mobile"}, "grant_type": {"password"},
		"username": {"user1"}, "password": {"Passy123!"}}, nil)
	if old.StatusCode != 400 || old.JSON(t)["error_description"] != "Bad credentials" {
		t.Errorf("old password: %d %s", old.StatusCode, old.Body)
	}
	if userinfoName(t, env, ns, login(t, env, ns, "user1", "N3w-Passw0rd")) != "user1" {
		t.Error("new password does not log in")
	}
}
