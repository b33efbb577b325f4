package registry_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/standin-dev/standin/internal/app"
	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/testenv"
)

// send is a request with exactly the given headers (Host among them), not
// following redirects.
func send(t *testing.T, method, u, body string, header map[string]string) *testenv.Response {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return &testenv.Response{Response: res, Body: b}
}

// TestControlPlaneRefusesCrossOriginWrites: a page on another site can
// send a "simple" POST (text/plain, no preflight) to the control API; it
// must not reset a namespace, nor pass with a JSON type from its origin.
func TestControlPlaneRefusesCrossOriginWrites(t *testing.T) {
	env := testenv.Start(t, registry.All)
	ns := env.NewNamespace(t, "empty")
	reset := env.Control + "/_standin/namespaces/" + ns.ID + "/reset"
	tests := []struct {
		name   string
		header map[string]string
		want   int
	}{
		{"evil origin, text/plain", map[string]string{"Origin": "http://evil.example", "Content-Type": "text/plain"}, 403},
		{"evil origin, JSON", map[string]string{"Origin": "http://evil.example", "Content-Type": "application/json"}, 403},
		{"cross-site fetch", map[string]string{"Sec-Fetch-Site": "cross-site", "Content-Type": "application/json"}, 403},
		{"form post without origin", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 415},
		{"no content type", nil, 415},
		{"the console's own origin", map[string]string{"Origin": env.Control, "Sec-Fetch-Site": "same-origin", "Content-Type": "application/json"}, 200},
		{"a program", map[string]string{"Content-Type": "application/json"}, 200},
	}
	for _, tt := range tests {
		res := send(t, "POST", reset, "", tt.header)
		if res.StatusCode != tt.want {
			t.Errorf("%s: %d %s, want %d", tt.name, res.StatusCode, res.Body, tt.want)
		}
	}
	// Deleting cross-origin is refused as well.
	res := send(t, "DELETE", env.Control+"/_standin/namespaces/"+ns.ID, "", map[string]string{"Origin": "http://evil.example"})
	if res.StatusCode != 403 {
		t.Errorf("cross-origin delete: %d %s", res.StatusCode, res.Body)
	}
}

// TestHostCheckDefeatsDNSRebinding: on a loopback bind, a request naming
// another host (what a rebound page sends) is refused on every port; the
// loopback names and --allowed-hosts are served. Exposed without
// --allowed-hosts, Host is not checked.
func TestHostCheckDefeatsDNSRebinding(t *testing.T) {
	env := testenv.StartConfig(t, testenv.DB(t), registry.All, func(c *app.Config) {
		c.AllowedHosts = []string{"standin.test", ".dev.test"}
	})
	ns := env.NewNamespace(t, "docs")
	urls := map[string]string{"control": env.Control + "/_standin/namespaces/" + ns.ID}
	paths := map[string]string{"klipfolio": "/api/1/groups", "clinked": "/v3/userinfo", "worksection": "/api/oauth2?action=get_users", "workdrive": "/api/users"}
	for v, p := range paths {
		urls[v] = ns.BaseURL(v) + p
	}
	for name, u := range urls {
		pu, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		port := ":" + pu.Port()
		h := func(host string) map[string]string {
			m := map[string]string{"Host": host}
			if name != "control" {
				for k, vs := range vendorAuth(ns, name) {
					m[k] = vs[0]
				}
			}
			return m
		}
		for host, want := range map[string]int{
			"evil.example" + port: 403, "evil.example": 403, "127.0.0.1.evil.example" + port: 403,
			"localhost" + port: 200, "127.0.0.1" + port: 200, "[::1]" + port: 200, "app.localhost" + port: 200,
			"standin.test" + port: 200, "STANDIN.TEST": 200, "a.dev.test" + port: 200, "dev.test.evil": 403,
		} {
			res := send(t, "GET", u, "", h(host))
			if res.StatusCode != want {
				t.Errorf("%s with Host %s: %d %s, want %d", name, host, res.StatusCode, res.Body, want)
			}
			if want == 403 && !strings.Contains(res.Header.Get("Content-Type"), "json") {
				t.Errorf("%s with Host %s: refused in %q, want the JSON envelope", name, host, res.Header.Get("Content-Type"))
			}
		}
	}

	exposed := testenv.StartConfig(t, testenv.DB(t), registry.All, func(c *app.Config) { c.Exposed = true })
	if res := send(t, "GET", exposed.URLs["klipfolio"]+"/api/1/groups", "", map[string]string{"Host": "standin.lan:8702"}); res.StatusCode == 403 {
		t.Errorf("exposed without --allowed-hosts: a LAN host name is refused: %s", res.Body)
	}
}

// TestControlToken: with a token, the control API needs it as a Bearer
// token, and the console takes it in a login form that sets an HttpOnly,
// SameSite=Strict cookie. Health stays open.
func TestControlToken(t *testing.T) {
	const token = "s3cret-control-token"
	env := testenv.StartConfig(t, testenv.DB(t), registry.All, func(c *app.Config) {
		c.Exposed, c.ControlToken = true, token
	})
	list := env.Control + "/_standin/namespaces"
	if res := send(t, "GET", list, "", nil); res.StatusCode != 401 {
		t.Errorf("no token: %d %s", res.StatusCode, res.Body)
	}
	if res := send(t, "GET", list, "", map[string]string{"Authorization": "Bearer wrong"}); res.StatusCode != 401 {
		t.Errorf("wrong token: %d %s", res.StatusCode, res.Body)
	}
	if res := send(t, "GET", list, "", map[string]string{"Authorization": "Bearer " + token}); res.StatusCode != 200 {
		t.Errorf("token: %d %s", res.StatusCode, res.Body)
	}
	if res := send(t, "POST", list, `{"seed":"empty"}`, map[string]string{"Content-Type": "application/json"}); res.StatusCode != 401 {
		t.Errorf("create without a token: %d %s", res.StatusCode, res.Body)
	}
	if res := send(t, "GET", env.Control+"/_standin/health", "", nil); res.StatusCode != 200 {
		t.Errorf("health: %d %s", res.StatusCode, res.Body)
	}
	// env.Do sends the token, as standintest and the CLI do.
	env.NewNamespace(t, "empty")

	// The console: a login form, then a cookie.
	res := send(t, "GET", env.Control+"/", "", nil)
	if res.StatusCode != 200 || !strings.Contains(string(res.Body), `name="token"`) || strings.Contains(string(res.Body), "/_standin/namespaces") {
		t.Fatalf("console without a token: %d %s, want the login form only", res.StatusCode, res.Body)
	}
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Origin": env.Control}
	if res := send(t, "POST", env.Control+"/_standin/login", url.Values{"token": {"nope"}}.Encode(), form); res.StatusCode != 401 {
		t.Errorf("login with a wrong token: %d", res.StatusCode)
	}
	res = send(t, "POST", env.Control+"/_standin/login", url.Values{"token": {token}}.Encode(), form)
	cookies := res.Cookies()
	if res.StatusCode != 303 || len(cookies) != 1 {
		t.Fatalf("login: %d, cookies %v", res.StatusCode, res.Header["Set-Cookie"])
	}
	c := cookies[0]
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Value == token || strings.Contains(c.Value, token) {
		t.Errorf("session cookie %q: want HttpOnly, SameSite=Strict, and not the token itself", res.Header.Get("Set-Cookie"))
	}
	withCookie := map[string]string{"Cookie": c.Name + "=" + c.Value}
	if res := send(t, "GET", list, "", withCookie); res.StatusCode != 200 {
		t.Errorf("with the cookie: %d %s", res.StatusCode, res.Body)
	}
	if res := send(t, "GET", env.Control+"/", "", withCookie); res.StatusCode != 200 || strings.Contains(string(res.Body), `name="token"`) {
		t.Errorf("console with the cookie: %d, still the login form", res.StatusCode)
	}
	// The cookie does not make a cross-origin write pass.
	evil := map[string]string{"Cookie": c.Name + "=" + c.Value, "Origin": "http://evil.example", "Content-Type": "application/json"}
	if res := send(t, "POST", list, `{"seed":"empty"}`, evil); res.StatusCode != 403 {
		t.Errorf("cross-origin write with the cookie: %d %s", res.StatusCode, res.Body)
	}
}

// TestAdvertisedURLsIgnoreHost: a namespace's base URL and WorkDrive's
// presigned upload URL come from standin's configured URLs, never from the
// client's Host header.
func TestAdvertisedURLsIgnoreHost(t *testing.T) {
	env := testenv.StartConfig(t, testenv.DB(t), registry.All, func(c *app.Config) { c.Exposed = true })
	ns := env.NewNamespace(t, "docs")
	h := vendorAuth(ns, "workdrive")
	hdr := map[string]string{"Host": "attacker.example", "X-Api-Key": h.Get("X-Api-Key")}
	res := send(t, "GET", ns.BaseURL("workdrive")+"/api/media?mime=image/png&name=a.png&moduleCode=1", "", hdr)
	if res.StatusCode != 200 {
		t.Fatalf("media ticket: %d %s", res.StatusCode, res.Body)
	}
	var tk testenv.MediaTicket
	if err := json.Unmarshal(res.Body, &tk); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{tk.URL, tk.SignedRequest.URL} {
		if !strings.HasPrefix(u, ns.BaseURL("workdrive")+"/") {
			t.Errorf("advertised %q, want it under %s", u, ns.BaseURL("workdrive"))
		}
	}
}
