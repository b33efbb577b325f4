package worksection_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestAdminSchemes signs requests in each of the three schemes and checks
// that a wrong key, a stale timestamp and a tampered query are refused with
// "Action hash is missed or invalid".
func TestAdminSchemes(t *testing.T) {
	env := start(t)
	c := newClient(t, env, "docs")
	now := c.now().Unix()
	key, wrong := c.key, strings.Repeat("0", len(c.key))

	md5q := func(path, q, k string) (string, string, []byte, http.Header) {
		return "GET", path + "?" + q + "&hash=" + md5Hash(q, k), nil, nil
	}
	header := func(path, action, k string, ts int64, body string) (string, string, []byte, http.Header) {
		h := http.Header{"Authorization": {"Admin " + itoa(ts) + "_" + hmacHash(k, action, ts)},
			"Content-Type": {"application/json"}}
		method := "POST"
		if body == "" {
			method = "GET"
		}
		return method, path, []byte(body), h
	}
	v21 := func(path, signed, sent, k string, ts int64) (string, string, []byte, http.Header) {
		q := url.Values{"action": {sent}, "hash": {hmacHash(k, signed, ts)}, "time": {itoa(ts)}}
		return "GET", path + "?" + q.Encode(), nil, nil
	}
	tampered := func() (string, string, []byte, http.Header) {
		q := "action=add_contact_group&title=Press"
		return "GET", "/api/admin/v2/?action=add_contact_group&title=Hacked&hash=" + md5Hash(q, key), nil, nil
	}
	tests := []struct {
		name string
		req  func() (string, string, []byte, http.Header)
		ok   bool
	}{
		{"md5", func() (string, string, []byte, http.Header) { return md5q("/api/admin/v2/", "action=get_users", key) }, true},
		{"md5 no slash", func() (string, string, []byte, http.Header) { return md5q("/api/admin/v2", "action=get_users", key) }, true},
		{"md5 raw query kept as sent", func() (string, string, []byte, http.Header) {
			return md5q("/api/admin/v2/", "title=Caf%C3%A9+Team&action=add_user_group", key)
		}, true},
		{"md5 wrong key", func() (string, string, []byte, http.Header) { return md5q("/api/admin/v2/", "action=get_users", wrong) }, false},
		{"md5 tampered query", tampered, false},
		{"md5 hash not last", func() (string, string, []byte, http.Header) {
			return "GET", "/api/admin/v2/?action=get_users&hash=" + md5Hash("action=get_users", key) + "&x=1", nil, nil
		}, false},
		{"md5 re-encoded query", func() (string, string, []byte, http.Header) {
			// signed with '+' but sent with %20: the raw query differs
			return "GET", "/api/admin/v2/?action=add_user_group&title=A%20B&hash=" + md5Hash("action=add_user_group&title=A+B", key), nil, nil
		}, false},
		{"no hash", func() (string, string, []byte, http.Header) {
			return "GET", "/api/admin/v2/?action=get_users", nil, nil
		}, false},
		{"header with JSON body", func() (string, string, []byte, http.Header) {
			return header("/api/admin/v2/", "add_contact_group", key, now, `{"action":"add_contact_group","title":"Press"}`)
		}, true},
		{"header empty body", func() (string, string, []byte, http.Header) {
			m, p, b, h := header("/api/admin/v2/?action=get_users", "get_users", key, now, "")
			return m, p, b, h
		}, true},
		{"header 4 minutes old", func() (string, string, []byte, http.Header) {
			return header("/api/admin/v2", "get_users", key, now-240, `{"action":"get_users"}`)
		}, true},
		{"header wrong key", func() (string, string, []byte, http.Header) {
			return header("/api/admin/v2/", "get_users", wrong, now, `{"action":"get_users"}`)
		}, false},
		{"header stale", func() (string, string, []byte, http.Header) {
			return header("/api/admin/v2/", "get_users", key, now-360, `{"action":"get_users"}`)
		}, false},
		{"header from the future", func() (string, string, []byte, http.Header) {
			return header("/api/admin/v2/", "get_users", key, now+360, `{"action":"get_users"}`)
		}, false},
		{"header signed for another action", func() (string, string, []byte, http.Header) {
			return header("/api/admin/v2/", "get_users", key, now, `{"action":"get_contacts"}`)
		}, false},
		{"header malformed", func() (string, string, []byte, http.Header) {
			return "GET", "/api/admin/v2/?action=get_users", nil, http.Header{"Authorization": {"Admin nonsense"}}
		}, false},
		{"v2.1", func() (string, string, []byte, http.Header) {
			return v21("/api/admin/v2.1", "get_users", "get_users", key, now)
		}, true},
		{"v2.1 wrong key", func() (string, string, []byte, http.Header) {
			return v21("/api/admin/v2.1", "get_users", "get_users", wrong, now)
		}, false},
		{"v2.1 stale", func() (string, string, []byte, http.Header) {
			return v21("/api/admin/v2.1", "get_users", "get_users", key, now-301)
		}, false},
		{"v2.1 tampered action", func() (string, string, []byte, http.Header) {
			return v21("/api/admin/v2.1", "get_users", "get_contacts", key, now)
		}, false},
		{"v2.1 tampered time", func() (string, string, []byte, http.Header) {
			q := url.Values{"action": {"get_users"}, "hash": {hmacHash(key, "get_users", now)}, "time": {itoa(now - 1)}}
			return "GET", "/api/admin/v2.1?" + q.Encode(), nil, nil
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method, path, body, h := tt.req()
			var b any
			if body != nil {
				b = body
			}
			res := env.Do(t, method, c.base+path, b, h)
			e := decode(t, res, http.StatusOK)
			if tt.ok && e.Status != "ok" {
				t.Fatalf("refused: %s", res.Body)
			}
			if !tt.ok && (e.Status != "error" || e.Message != "Action hash is missed or invalid" || e.StatusCode == 0) {
				t.Fatalf("accepted or wrong error: %s", res.Body)
			}
		})
	}
}

// issue gets a token pair from /oauth2/token.
func issue(t *testing.T, c *client, params url.Values) tokenPair {
	t.Helper()
	var tp tokenPair
	c.env.Do(t, "POST", c.base+"/oauth2/token", params, nil).Decode(t, http.StatusOK, &tp)
	if tp.TokenType != "Bearer" || tp.ExpiresIn != 86400 || tp.AccessToken == "" || tp.RefreshToken == "" {
		t.Fatalf("token response %+v", tp)
	}
	return tp
}

type tokenPair struct {
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
}

func (c *client) oauthClient() url.Values {
	return url.Values{"client_id": {c.ns.Cred("worksection", "client_id")},
		"client_secret": {c.ns.Cred("worksection", "client_secret")}}
}

func (c *client) advance(t *testing.T, d string) {
	t.Helper()
	c.env.Do(t, "POST", c.env.Control+"/_standin/namespaces/"+c.ns.ID+"/clock", map[string]string{"advance": d}, nil).
		Decode(t, http.StatusOK, nil)
}

// TestTokenExpiryRefreshRetry is what the SDKs do: a call with an expired
// token gets 401 "Access token is expired", the client refreshes, and the
// retry succeeds.
func TestTokenExpiryRefreshRetry(t *testing.T) {
	env := start(t)
	c := newClient(t, env, "docs")
	p := c.oauthClient()
	p.Set("grant_type", "client_credentials")
	tp := issue(t, c, p)

	var me []map[string]any
	mustOK(t, c.withToken(tp.AccessToken, "me", nil), &me)
	if len(me) != 1 || me[0]["email"] != "owner@standin.example" {
		t.Fatalf("me: %v", me)
	}

	c.advance(t, "24h")
	res := c.withToken(tp.AccessToken, "get_users", nil)
	if res.StatusCode != http.StatusUnauthorized || string(bytes.TrimSpace(res.Body)) != `{"status":"error","message":"Access token is expired"}` {
		t.Fatalf("expired token: %d %s", res.StatusCode, res.Body)
	}
	// The access_token parameter (PHP SDK) gets the same answer.
	res = env.Do(t, "POST", c.base+"/api/oauth2/", url.Values{"action": {"me"}, "access_token": {tp.AccessToken}}, nil)
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(string(res.Body), `"Access token is expired"`) {
		t.Fatalf("expired token as a parameter: %d %s", res.StatusCode, res.Body)
	}

	// The Python SDK refreshes with GET and the query.
	r := c.oauthClient()
	r.Set("grant_type", "refresh_token")
	r.Set("refresh_token", tp.RefreshToken)
	var fresh tokenPair
	env.Do(t, "GET", c.base+"/oauth2/refresh?"+r.Encode(), nil, nil).Decode(t, http.StatusOK, &fresh)
	if fresh.AccessToken == "" || fresh.AccessToken == tp.AccessToken || fresh.RefreshToken == tp.RefreshToken ||
		fresh.ExpiresIn != 86400 || fresh.TokenType != "Bearer" {
		t.Fatalf("refresh: %+v", fresh)
	}
	mustOK(t, c.withToken(fresh.AccessToken, "get_users", nil), nil)

	// Refresh tokens rotate: the old one is spent.
	var oe map[string]string
	env.Do(t, "POST", c.base+"/oauth2/refresh", r, nil).Decode(t, http.StatusBadRequest, &oe)
	if oe["error"] != "invalid_grant" || oe["error_description"] == "" {
		t.Fatalf("reused refresh token: %v", oe)
	}
	// A revoked or unknown token is a 401 that does not say "expired".
	for _, tok := range []string{tp.AccessToken, "nonsense"} {
		res := c.withToken(tok, "me", nil)
		e := decode(t, res, http.StatusUnauthorized)
		if e.Status != "error" || e.Message == "" || strings.Contains(e.Message, "expired") {
			t.Errorf("token %q: %s", tok, res.Body)
		}
	}
	// The control plane's token outlives the clock move.
	mustOK(t, c.withToken(c.ns.Cred("worksection", "access_token"), "me", nil), nil)
}

// TestAuthorizationCode redeems a seeded code, once, for its user.
func TestAuthorizationCode(t *testing.T) {
	env := start(t)
	c := newClient(t, env, "docs")
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+c.ns.ID+"/seed", `
worksection:
  oauth_codes:
    - {code: code-anna, user: anna.lee@example.com, redirect_uri: "https://app.example/cb"}
    - {code: code-short, expires_in: 60}
`, nil).Decode(t, http.StatusOK, nil)
	p := c.oauthClient()
	p.Set("grant_type", "authorization_code")
	p.Set("code", "code-anna")
	p.Set("redirect_uri", "https://app.example/cb")
	var oe map[string]string
	bad := url.Values{}
	for k, v := range p {
		bad[k] = v
	}
	bad.Set("redirect_uri", "https://evil.example/cb")
	env.Do(t, "POST", c.base+"/oauth2/token", bad, nil).Decode(t, http.StatusBadRequest, &oe)
	if oe["error"] != "invalid_grant" {
		t.Fatalf("redirect mismatch: %v", oe)
	}
	// The Python SDK sends the code in the query of a GET.
	var tp tokenPair
	env.Do(t, "GET", c.base+"/oauth2/token?"+p.Encode(), nil, nil).Decode(t, http.StatusOK, &tp)
	var me []map[string]any
	mustOK(t, c.withToken(tp.AccessToken, "me", nil), &me)
	if me[0]["email"] != "anna.lee@example.com" {
		t.Fatalf("me: %v", me)
	}
	env.Do(t, "POST", c.base+"/oauth2/token", p, nil).Decode(t, http.StatusBadRequest, &oe)
	if oe["error"] != "invalid_grant" {
		t.Fatalf("code reuse: %v", oe)
	}
	c.advance(t, "2m")
	p.Set("code", "code-short")
	p.Del("redirect_uri")
	env.Do(t, "POST", c.base+"/oauth2/token", p, nil).Decode(t, http.StatusBadRequest, &oe)
	if oe["error"] != "invalid_grant" {
		t.Fatalf("expired code: %v", oe)
	}
}

func TestOAuthErrors(t *testing.T) {
	env := start(t)
	c := newClient(t, env, "empty")
	good := c.oauthClient()
	with := func(kv ...string) url.Values {
		v := url.Values{}
		for k, x := range good {
			v[k] = x
		}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				v.Del(kv[i])
			} else {
				v.Set(kv[i], kv[i+1])
			}
		}
		return v
	}
	tests := []struct {
		name   string
		path   string
		params url.Values
		status int
		code   string
	}{
		{"no grant_type", "/oauth2/token", with(), 400, "invalid_request"},
		{"unknown grant", "/oauth2/token", with("grant_type", "password"), 400, "unsupported_grant_type"},
		{"no secret", "/oauth2/token", with("grant_type", "client_credentials", "client_secret", ""), 400, "invalid_request"},
		{"wrong secret", "/oauth2/token", with("grant_type", "client_credentials", "client_secret", "x"), 401, "invalid_client"},
		{"unknown client", "/oauth2/token", with("grant_type", "client_credentials", "client_id", "x"), 401, "invalid_client"},
		{"no code", "/oauth2/token", with("grant_type", "authorization_code"), 400, "invalid_request"},
		{"unknown code", "/oauth2/token", with("grant_type", "authorization_code", "code", "nope"), 400, "invalid_grant"},
		{"refresh wrong grant", "/oauth2/refresh", with("grant_type", "client_credentials"), 400, "unsupported_grant_type"},
		{"refresh no token", "/oauth2/refresh", with("grant_type", "refresh_token"), 400, "invalid_request"},
		{"refresh unknown token", "/oauth2/refresh", with("grant_type", "refresh_token", "refresh_token", "def502"), 400, "invalid_grant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var oe map[string]string
			env.Do(t, "POST", c.base+tt.path, tt.params, nil).Decode(t, tt.status, &oe)
			if oe["error"] != tt.code || oe["error_description"] == "" {
				t.Fatalf("%v, want %s", oe, tt.code)
			}
		})
	}
}

// TestMeNeedsToken: me answers only an access token; the other actions
// answer both credentials.
func TestMeNeedsToken(t *testing.T) {
	env := start(t)
	c := newClient(t, env, "docs")
	mustFail(t, c.admin("me", nil), 3)
	tok := c.ns.Cred("worksection", "access_token")
	mustOK(t, c.withToken(tok, "me", nil), nil)
	var a, b []map[string]any
	mustOK(t, c.admin("get_users", nil), &a)
	mustOK(t, c.withToken(tok, "get_users", nil), &b)
	if len(a) != len(b) || len(a) != 4 {
		t.Fatalf("get_users by key %d, by token %d", len(a), len(b))
	}
	res := env.Do(t, "GET", c.base+"/api/oauth2?action=me", nil, nil)
	if e := decode(t, res, http.StatusUnauthorized); e.Status != "error" || strings.Contains(e.Message, "expired") {
		t.Fatalf("no token: %s", res.Body)
	}
}

// TestNamespaceIsolation: one namespace's credentials are refused under
// another's base URL.
func TestNamespaceIsolation(t *testing.T) {
	env := start(t)
	a := newClient(t, env, "docs")
	b := newClient(t, env, "docs")
	if a.key == b.key {
		t.Fatal("two namespaces share an API key")
	}
	mustOK(t, a.admin("get_users", nil), nil)
	cross := &client{t: t, env: env, ns: b.ns, base: b.base, key: a.key}
	if e := mustFail(t, cross.admin("get_users", nil), 2); e.Message != "Action hash is missed or invalid" {
		t.Fatal(e.Message)
	}
	res := b.withToken(a.ns.Cred("worksection", "access_token"), "me", nil)
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("foreign token: %d %s", res.StatusCode, res.Body)
	}
	p := a.oauthClient()
	p.Set("grant_type", "client_credentials")
	var oe map[string]string
	env.Do(t, "POST", b.base+"/oauth2/token", p, nil).Decode(t, http.StatusUnauthorized, &oe)
	// Changes in one namespace stay there.
	mustOK(t, a.admin("add_user", url.Values{"email": {"only.a@example.com"}}), nil)
	mustFail(t, b.admin("subscribe", url.Values{"id_task": {"1"}, "email_user": {"only.a@example.com"}}), 6)
}

// TestParamsFromAnywhere: action and params by GET or POST, in the query, a
// form, a multipart or a JSON body; the body wins.
func TestParamsFromAnywhere(t *testing.T) {
	env := start(t)
	c := newClient(t, env, "docs")
	ts := c.now().Unix()
	sign := func(action string) string {
		return "/api/admin/v2.1?" + url.Values{"hash": {hmacHash(c.key, action, ts)}, "time": {itoa(ts)}}.Encode()
	}
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	_ = mw.WriteField("action", "add_contact_group")
	_ = mw.WriteField("title", "Multipart")
	_ = mw.Close()
	tests := []struct {
		name  string
		path  string
		body  any
		h     http.Header
		title string
	}{
		{"form", sign("add_contact_group"), url.Values{"action": {"add_contact_group"}, "title": {"Form"}}, nil, "Form"},
		{"json", sign("add_contact_group"), map[string]any{"action": "add_contact_group", "title": "Json"}, nil, "Json"},
		{"multipart", sign("add_contact_group"), mp.Bytes(), http.Header{"Content-Type": {mw.FormDataContentType()}}, "Multipart"},
		{"body wins", sign("add_contact_group") + "&title=Query&action=add_contact_group",
			map[string]any{"title": "Body"}, nil, "Body"},
		{"repeated takes the first", sign("add_contact_group") + "&action=add_contact_group&title=First&title=Second", nil, nil, "First"},
		{"JSON number as text", sign("add_contact_group"), map[string]any{"action": "add_contact_group", "title": 42}, nil, "42"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f map[string]any
			mustOK(t, env.Do(t, "POST", c.base+tt.path, tt.body, tt.h), &f)
			if f["title"] != tt.title || f["type"] != "folder" {
				t.Fatalf("folder %v, want %q", f, tt.title)
			}
		})
	}
}

// TestUnknownPathsAreJSON: whatever the path or method, the answer is the
// vendor's JSON envelope.
func TestUnknownPathsAreJSON(t *testing.T) {
	env := start(t)
	c := newClient(t, env, "empty")
	for _, tt := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/", 404}, {"GET", "/api/admin/v3/", 404}, {"GET", "/index.html", 404},
		{"DELETE", "/api/admin/v2/", 405}, {"PUT", "/oauth2/token", 405},
	} {
		res := env.Do(t, tt.method, c.base+tt.path, nil, nil)
		e := decode(t, res, tt.status)
		if e.Status != "error" || e.Message == "" || res.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s: %s", tt.method, tt.path, res.Body)
		}
	}
}

// TestSignatureAfterClockAdvance: both SDKs sign admin calls with the wall
// clock, so after a test moves the namespace's clock (to expire a token, say)
// a signature within 5 minutes of the real clock is still accepted, as is one
// within 5 minutes of the namespace's clock; one far from both is not.
func TestSignatureAfterClockAdvance(t *testing.T) {
	env := start(t)
	c := newClient(t, env, "docs")
	c.advance(t, "2h")
	nsNow, wall := c.now().Unix(), time.Now().Unix()
	header := func(ts int64) http.Header {
		return http.Header{"Authorization": {"Admin " + itoa(ts) + "_" + hmacHash(c.key, "get_users", ts)}}
	}
	v21 := func(ts int64) string {
		return "/api/admin/v2.1?" + url.Values{"action": {"get_users"}, "hash": {hmacHash(c.key, "get_users", ts)}, "time": {itoa(ts)}}.Encode()
	}
	tests := []struct {
		name string
		ts   int64
		ok   bool
	}{
		{"wall clock", wall, true},
		{"wall clock 4 minutes ago", wall - 240, true},
		{"namespace clock", nsNow, true},
		{"namespace clock in 4 minutes", nsNow + 240, true},
		{"an hour from both", wall + 3600, false},
		{"6 minutes before the wall clock", wall - 360, false},
		{"6 minutes after the namespace clock", nsNow + 360, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, res := range []*envelope{
				ptr(decode(t, env.Do(t, "GET", c.base+"/api/admin/v2/?action=get_users", nil, header(tt.ts)), 200)),
				ptr(decode(t, env.Do(t, "GET", c.base+v21(tt.ts), nil, nil), 200)),
			} {
				if (res.Status == "ok") != tt.ok {
					t.Errorf("status %q (%s), want ok=%v", res.Status, res.MessageDetails, tt.ok)
				}
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
