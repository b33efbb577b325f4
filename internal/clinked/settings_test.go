package clinked_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// step is one request of a settings flow and what must come back: the
// status and, when check is set, a test of the decoded body.
type step struct {
	name   string
	method string
	path   string
	body   any
	status int
	check  func(t *testing.T, body string)
}

// run sends the steps in order as c.
func (c *bClient) run(steps []step) {
	c.t.Helper()
	for _, s := range steps {
		res := c.do(s.method, s.path, s.body)
		if res.StatusCode != s.status {
			c.t.Fatalf("%s: %s %s: status %d, want %d; body: %s", s.name, s.method, s.path, res.StatusCode, s.status, res.Body)
		}
		if s.check != nil {
			s.check(c.t, string(res.Body))
		}
	}
}

// has checks that the body contains every fragment.
func has(frags ...string) func(t *testing.T, body string) {
	return func(t *testing.T, body string) {
		t.Helper()
		for _, f := range frags {
			if !strings.Contains(body, f) {
				t.Errorf("body lacks %s: %s", f, body)
			}
		}
	}
}

// lacks checks that the body contains none of the fragments.
func lacks(frags ...string) func(t *testing.T, body string) {
	return func(t *testing.T, body string) {
		t.Helper()
		for _, f := range frags {
			if strings.Contains(body, f) {
				t.Errorf("body has %s: %s", f, body)
			}
		}
	}
}

// both runs several checks.
func both(checks ...func(t *testing.T, body string)) func(t *testing.T, body string) {
	return func(t *testing.T, body string) {
		t.Helper()
		for _, c := range checks {
			c(t, body)
		}
	}
}

// count checks the length of a JSON array body.
func count(n int) func(t *testing.T, body string) {
	return func(t *testing.T, body string) {
		t.Helper()
		var v []json.RawMessage
		if err := json.Unmarshal([]byte(body), &v); err != nil || len(v) != n {
			t.Errorf("want %d items: %s", n, body)
		}
	}
}

func TestAccountSettingsFlows(t *testing.T) {
	env := start(t)
	const a = "/v3/accounts/1"
	flows := map[string][]step{
		"branding": {
			{"get", "GET", a + "/branding", nil, 200, has(`"logo":true`, `"mediumLogo":true`, `"fontFamily":"Open Sans"`)},
			{"replace", "POST", a + "/branding", map[string]any{"navbarColor": "#112233", "darkMenu": true}, 200,
				has(`"navbarColor":"#112233"`, `"darkMenu":true`, `"logo":false`, `"primaryColor":"#2e9dff"`)},
			{"kept", "GET", a + "/branding", nil, 200, has(`"navbarColor":"#112233"`, `"largeLogo":false`)},
			{"bad colour", "POST", a + "/branding", map[string]any{"navbarColor": "red"}, 400, has("navbarColor")},
			{"bad type", "POST", a + "/branding", map[string]any{"fontFamily": 12}, 400, has("fontFamily")},
			{"reset", "DELETE", a + "/branding", nil, 200, nil},
			{"defaults", "GET", a + "/branding", nil, 200, has(`"navbarColor":"#ffffff"`, `"darkMenu":false`)},
		},
		"properties": {
			{"create", "POST", a + "/properties", map[string]string{"name": "test2", "value": "x"}, 200, has(`"name":"test2"`)},
			{"overwrite", "POST", a + "/properties", map[string]string{"name": "test2", "value": "y"}, 200, has(`"value":"y"`)},
			{"prefix", "GET", a + "/properties?startsWith=test", nil, 200, both(count(2), has(`"value":"y"`))},
			{"case-sensitive", "GET", a + "/properties?startsWith=TEST", nil, 200, count(0)},
			{"no name", "POST", a + "/properties", map[string]string{"value": "x"}, 400, has("name")},
			{"slash", "POST", a + "/properties", map[string]string{"name": "a/b"}, 400, nil},
			{"too long", "POST", a + "/properties", map[string]string{"name": strings.Repeat("n", 256)}, 400, nil},
			{"delete", "DELETE", a + "/properties/test2", nil, 200, nil},
			{"delete again", "DELETE", a + "/properties/test2", nil, 404, nil},
		},
		"announcements": {
			{"main", "POST", a + "/announcements", map[string]any{"title": "Hello", "body": "World"}, 200,
				has(`"id":null`, `"colour":"success"`)},
			{"by query id", "POST", a + "/announcements?id=q1", map[string]any{"title": "Q"}, 200, has(`"id":"q1"`)},
			{"partial update", "POST", a + "/announcements", map[string]any{"id": "xyz", "colour": "danger"}, 200,
				has(`"title":"title"`, `"colour":"danger"`)},
			{"list", "GET", a + "/announcements", nil, 200, count(3)},
			{"one", "GET", a + "/announcements?id=q1", nil, 200, has(`"title":"Q"`)},
			{"unknown", "GET", a + "/announcements?id=nope", nil, 404, nil},
			{"delete main", "DELETE", a + "/announcements", nil, 200, nil},
			{"delete one", "DELETE", a + "/announcements?id=q1", nil, 200, nil},
			{"left", "GET", a + "/announcements", nil, 200, both(count(1), has(`"id":"xyz"`))},
			{"bad colour", "POST", a + "/announcements", map[string]any{"colour": ""}, 400, nil},
		},
		"iframes and profile fields": {
			{"replace", "POST", a + "/iframes", `["a.example","b.example","a.example"]`, 200, nil},
			{"deduped", "GET", a + "/iframes", nil, 200, has(`["a.example","b.example"]`)},
			{"not strings", "POST", a + "/iframes", `[1,2]`, 400, nil},
			{"empty string", "POST", a + "/iframes", `[""]`, 400, nil},
			{"fields", "POST", a + "/profile-fields", `[{"name":"B","order":2},{"name":"A","order":1}]`, 200, nil},
			{"sorted", "GET", a + "/profile-fields", nil, 200, has(`[{"name":"A","order":1},{"name":"B","order":2}]`)},
			{"twice", "POST", a + "/profile-fields", `[{"name":"A"},{"name":"a"}]`, 400, nil},
			{"no name", "POST", a + "/profile-fields", `[{"order":1}]`, 400, nil},
		},
		"password strength and storage": {
			{"default", "GET", a + "/password-strength", nil, 200, has(`{"size":6,"uppercase":true,"digits":true,"special":false}`)},
			{"update", "POST", a + "/password-strength", map[string]any{"size": 12, "special": true}, 200,
				has(`{"size":12,"uppercase":false,"digits":false,"special":true}`)},
			{"size 0", "POST", a + "/password-strength", map[string]any{"size": 0}, 400, nil},
			{"no size", "POST", a + "/password-strength", map[string]any{"digits": true}, 400, nil},
			{"region", "POST", a + "/storage", map[string]any{"region": "eu-west-1"}, 200, has(`"region":"EU-WEST-1"`)},
			{"stored", "GET", a + "/storage", nil, 200, has(`"region":"EU-WEST-1"`, `"availableRegions":["US-WEST-1"`)},
			{"unknown region", "POST", a + "/storage", map[string]any{"region": "MARS-1"}, 400, nil},
			{"no region", "POST", a + "/storage", map[string]any{}, 400, nil},
		},
		"password policy applies": {
			{"no policy yet", "PATCH", a + "/guests/1", map[string]any{"password": "abcdefgh"}, 200, nil},
			{"set", "POST", a + "/password-strength", map[string]any{"size": 8, "digits": true}, 200, nil},
			{"guest without digit", "PATCH", a + "/guests/1", map[string]any{"password": "abcdefgh"}, 400, has("a digit")},
			{"guest too short", "PATCH", a + "/guests/1", map[string]any{"password": "abcdef1"}, 400, has("at least 8")},
			{"guest ok", "PATCH", a + "/guests/1", map[string]any{"password": "abcdefg1"}, 200, nil},
			{"member create", "POST", a + "/members", map[string]any{"username": "pw", "email": "pw@x.example", "password": "short1"}, 400, nil},
			{"member update", "PATCH", a + "/members/user1", map[string]any{"password": "no-digits-here"}, 400, nil},
			{"member ok", "PATCH", a + "/members/user1", map[string]any{"password": "digits-here-1"}, 200, nil},
		},
		"two-factor enforcement": {
			{"off", "GET", a + "/two-factor-authentication-enforce", nil, 200, has(`{"status":false}`)},
			{"on", "POST", a + "/two-factor-authentication-enforce", "true", 200, nil},
			{"is on", "GET", a + "/two-factor-authentication-enforce", nil, 200, has(`{"status":true}`)},
			{"object", "POST", a + "/two-factor-authentication-enforce", `{"status":false}`, 200, nil},
			{"text", "POST", a + "/two-factor-authentication-enforce", `"yes"`, 400, nil},
			{"null", "POST", a + "/two-factor-authentication-enforce", `null`, 400, nil},
			{"empty", "POST", a + "/two-factor-authentication-enforce", nil, 400, nil},
		},
		"sso": {
			{"unconfigured", "GET", a + "/sso", nil, 200, has(`{"enabled":false}`)},
			{"enable without metadata", "PATCH", a + "/sso", map[string]any{"ssoEnabled": true}, 400, has("tempFile")},
			{"upload", "PATCH", a + "/sso", map[string]any{"ssoEnabled": true, "userJit": true, "tempFile": 17}, 200,
				has(`"enabled":true`, `"soonToExpire":false`, `"userJit":true`, `"entityId":`, `"subject":`)},
			{"partial", "PATCH", a + "/sso", map[string]any{"forceSso": true}, 200, has(`"userJit":true`, `"forceSso":true`)},
			{"delete", "DELETE", a + "/sso", nil, 200, nil},
			{"gone", "GET", a + "/sso", nil, 200, has(`{"enabled":false}`)},
		},
		"custom email": {
			{"smtp needs host", "POST", a + "/custom-email/smtp", map[string]any{"port": 25, "from": "a@b.example"}, 400, has("host")},
			{"smtp bad port", "POST", a + "/custom-email/smtp", map[string]any{"host": "smtp.b.example", "port": 70000, "from": "a@b.example"}, 400, nil},
			{"smtp", "POST", a + "/custom-email/smtp", map[string]any{"host": "smtp.b.example", "username": "u",
				"password": "s3cret-pw", "port": 587, "auth": true, "from": "a@b.example"}, 200,
				both(has(`"password":null`, `"passwordOmitted":true`, `"port":587`), lacks("s3cret-pw"))},
			{"type smtp", "GET", a + "/custom-email", nil, 200, has(`"connected":true`, `"type":"SMTP"`)},
			{"sendgrid needs key", "POST", a + "/custom-email/sendgrid", map[string]any{"from": "a@b.example"}, 400, nil},
			{"sendgrid", "POST", a + "/custom-email/sendgrid", map[string]any{"apiKey": "SG.very-secret-key-9876", "from": "a@b.example"},
				200, both(has(`"apiKey":"****9876"`), lacks("very-secret"))},
			{"type sendgrid", "GET", a + "/custom-email", nil, 200, has(`"type":"SENDGRID"`)},
			{"domains with stored key", "GET", a + "/custom-email/sendgrid/domains", nil, 200, has(`"user_id":123`)},
			{"authenticate", "POST", a + "/custom-email/domain-authentication", map[string]any{"from": "news@acme.example"}, 200,
				both(has(`"domain":"acme.example"`, `"valid":false`, `"host":"s1._domainkey.acme.example"`), lacks(`"valid":true`))},
			{"validate", "PATCH", a + "/custom-email/domain-authentication", nil, 200, both(has(`"valid":true`), lacks(`"valid":false`))},
			{"bad from", "POST", a + "/custom-email/domain-authentication", map[string]any{"from": "nope"}, 400, nil},
			{"delete", "DELETE", a + "/custom-email", nil, 200, nil},
			{"disconnected", "GET", a + "/custom-email", nil, 200, has(`"connected":false`, `"type":null`)},
			{"nothing to validate", "PATCH", a + "/custom-email/domain-authentication", nil, 404, nil},
			{"domains need a key", "GET", a + "/custom-email/sendgrid/domains", nil, 400, nil},
		},
		"custom domain": {
			{"seeded", "GET", a + "/domain", nil, 200, has(`"status":true`, `"domain":"domain.com"`)},
			{"bad", "POST", a + "/domain", map[string]any{"domain": "not a domain"}, 400, nil},
			{"missing", "POST", a + "/domain", map[string]any{}, 400, nil},
			{"set", "POST", a + "/domain", map[string]any{"domain": "Portal.Acme.Example"}, 200, nil},
			{"account shows it", "GET", a, nil, 200, has(`"domain":"portal.acme.example"`)},
			{"delete", "DELETE", a + "/domain", nil, 200, nil},
			{"none", "GET", a + "/domain", nil, 200, has(`"status":false`, `"domain":null`, `"regions":{"WEST-1"`)},
		},
		"docusign and adobe": {
			{"connected", "GET", a + "/docusign", nil, 200, has(`{"connected":true,"account":"xxxx-xxxx"}`)},
			{"unknown account", "PATCH", a + "/docusign", map[string]any{"account": "nope"}, 400, nil},
			{"disconnect", "PATCH", a + "/docusign", map[string]any{"connected": false}, 200, has(`{"connected":false,"account":null}`)},
			{"reconnect", "PATCH", a + "/docusign", map[string]any{"connected": true}, 200, has(`"account":"xxxx-xxxx"`)},
			{"delete", "DELETE", a + "/docusign", nil, 200, nil},
			{"gone", "GET", a + "/docusign", nil, 200, has(`{"connected":false,"account":null}`)},
			{"accounts", "GET", a + "/docusign/accounts", nil, 200, count(1)},
			{"consent", "GET", a + "/docusign/consent?redirect=https://app.example/back", nil, 200,
				has(`{"consentUrl":"https://app.example/back"}`)},
			{"consent needs redirect", "GET", a + "/docusign/consent", nil, 400, nil},
			{"adobe", "GET", a + "/adobe", nil, 200, has(`{"connected":true}`)},
			{"adobe off", "DELETE", a + "/adobe", nil, 200, nil},
			{"adobe gone", "GET", a + "/adobe", nil, 200, has(`{"connected":false}`)},
		},
		"devices": {
			{"by client id", "GET", a + "/devices?name=my-device&orderBy=dateCreated", nil, 200, both(count(1), has(`"clientId":"my-device"`))},
			{"by name", "GET", a + "/devices?name=awesome", nil, 200, count(4)},
			{"delete", "DELETE", a + "/devices/my-device", nil, 200, nil},
			{"gone", "GET", a + "/devices?name=my-device", nil, 200, count(0)},
			{"delete again", "DELETE", a + "/devices/my-device", nil, 404, nil},
		},
	}
	runFlows(t, env, "docs", flows)
}

// TestDomainValidationSwitch makes domain authentication fail through the
// namespace's custom_email switch.
func TestDomainValidationSwitch(t *testing.T) {
	env, ns := startIn(t, "docs")
	settings(t, env, ns, map[string]any{"custom_email": map[string]any{"domain_valid": false}})
	bAdmin(t, env, ns).run([]step{
		{"validate", "PATCH", "/v3/accounts/1/custom-email/domain-authentication", nil, 200,
			both(has(`"valid":false`), lacks(`"valid":true`))},
	})
}

// TestTwoFactorEnforcementApplies: once enforced, a member's password
// grant needs a code.
func TestTwoFactorEnforcementApplies(t *testing.T) {
	env, ns := startIn(t, "docs")
	bAdmin(t, env, ns).want("POST", "/v3/accounts/1/two-factor-authentication-enforce", "true", 200)
	res := env.Do(t, "GET", base(ns)+"/oauth/token?client_id=clinked-mobile&grant_type=password&username=user1&password=Passy123!", nil, nil)
	if res.StatusCode != 400 {
		t.Fatalf("password grant under enforced 2FA: %d %s", res.StatusCode, res.Body)
	}
}

// TestSettingsPermissions: settings need an account administrator (403
// for others; branding, announcements and properties are readable by any
// member); another account is 404.
func TestSettingsPermissions(t *testing.T) {
	env, ns := startIn(t, "demo")
	tom := bLogin(t, env, ns, "tom", "demo-password") // basic member of account 1, not in account 2
	reads := []string{"/branding", "/announcements", "/properties"}
	for _, p := range reads {
		tom.want("GET", "/v3/accounts/1"+p, nil, 200)
	}
	admin := []struct{ method, path, body string }{
		{"POST", "/branding", `{}`}, {"DELETE", "/branding", ""}, {"POST", "/properties", `{"name":"x"}`},
		{"DELETE", "/properties/crm_id", ""}, {"POST", "/announcements", `{"title":"x"}`}, {"DELETE", "/announcements", ""},
		{"GET", "/devices", ""}, {"DELETE", "/devices/x", ""}, {"GET", "/iframes", ""}, {"POST", "/iframes", `[]`},
		{"GET", "/password-strength", ""}, {"POST", "/password-strength", `{"size":8}`}, {"GET", "/profile-fields", ""},
		{"POST", "/profile-fields", `[]`}, {"GET", "/sso", ""}, {"PATCH", "/sso", `{}`}, {"DELETE", "/sso", ""},
		{"GET", "/two-factor-authentication-enforce", ""}, {"POST", "/two-factor-authentication-enforce", "true"},
		{"GET", "/storage", ""}, {"POST", "/storage", `{"region":"US-WEST-1"}`}, {"GET", "/custom-email", ""},
		{"POST", "/custom-email/smtp", `{}`}, {"POST", "/custom-email/sendgrid", `{}`},
		{"GET", "/custom-email/sendgrid/domains?apiKey=k", ""}, {"POST", "/custom-email/domain-authentication", `{}`},
		{"PATCH", "/custom-email/domain-authentication", ""}, {"DELETE", "/custom-email", ""}, {"GET", "/domain", ""},
		{"POST", "/domain", `{"domain":"x.example"}`}, {"DELETE", "/domain", ""}, {"GET", "/docusign", ""},
		{"PATCH", "/docusign", `{}`}, {"DELETE", "/docusign", ""}, {"GET", "/docusign/accounts", ""},
		{"GET", "/docusign/consent?redirect=x", ""}, {"GET", "/adobe", ""}, {"DELETE", "/adobe", ""},
	}
	for _, e := range admin {
		body := bodyOrNil(e.body)
		tom.want(e.method, "/v3/accounts/1"+e.path, body, 403)
		tom.want(e.method, "/v3/accounts/2"+e.path, body, 404)
	}
	// A domain belongs to one account.
	bAdmin(t, env, ns).want("POST", "/v3/accounts/1/domain", `{"domain":"shared.example"}`, 200)
	ravi := bLogin(t, env, ns, "ravi", "demo-password")
	ravi.want("POST", "/v3/accounts/2/domain", `{"domain":"shared.example"}`, 409)
}

// TestSettingsIsolation: one namespace's settings are not another's.
func TestSettingsIsolation(t *testing.T) {
	env := start(t)
	one, two := env.NewNamespace(t, "docs"), env.NewNamespace(t, "docs")
	a, b := bAdmin(t, env, one), bAdmin(t, env, two)
	a.want("POST", "/v3/accounts/1/properties", map[string]string{"name": "only-one", "value": "1"}, 200)
	a.want("POST", "/v3/accounts/1/iframes", `["one.example"]`, 200)
	a.want("POST", "/v3/groups/1/labels", map[string]any{"items": []map[string]any{{"label": 2}}}, 200)
	b.run([]step{
		{"properties", "GET", "/v3/accounts/1/properties?startsWith=only", nil, 200, count(0)},
		{"iframes", "GET", "/v3/accounts/1/iframes", nil, 200, has(`["domain.ltd"]`)},
		{"labels", "GET", "/v3/groups/1/labels", nil, 200, count(1)},
	})
	// The other namespace's token is not valid here.
	env.Do(t, "GET", base(two)+"/v3/accounts/1/branding", nil, bearer(token(one))).Decode(t, http.StatusUnauthorized, nil)
}

// TestSSOCertificateExpiry: soonToExpire follows the namespace clock, and
// renew makes a fresh certificate.
func TestSSOCertificateExpiry(t *testing.T) {
	env, ns := startIn(t, "docs")
	c := bAdmin(t, env, ns)
	c.run([]step{
		{"renew first", "PATCH", "/v3/accounts/1/sso", map[string]any{"renew": true}, 400, nil},
		{"upload", "PATCH", "/v3/accounts/1/sso", map[string]any{"tempFile": "idp-metadata"}, 200,
			has(`"enabled":false`, `"soonToExpire":false`, `"ssoEnabled":false`)},
	})
	advance(t, env, ns, "8160h") // 340 days: 25 left
	c.run([]step{
		{"soon", "GET", "/v3/accounts/1/sso", nil, 200, has(`"soonToExpire":true`)},
		{"renew", "PATCH", "/v3/accounts/1/sso", map[string]any{"renew": true}, 200, has(`"soonToExpire":false`)},
	})
}

// TestDevicesOrder: lastActivity puts the most recent first and never-used
// clients last, on both databases.
func TestDevicesOrder(t *testing.T) {
	env, ns := startIn(t, "docs")
	c := bAdmin(t, env, ns)
	c.want("POST", "/v3/applications", map[string]any{"name": "Never used"}, http.StatusCreated)
	var devs []struct {
		ClientID     string `json:"clientId"`
		LastActivity *int64 `json:"lastActivity"`
	}
	c.decode("GET", "/v3/accounts/1/devices?orderBy=lastActivity", nil, 200, &devs)
	if len(devs) < 2 || devs[0].LastActivity == nil || devs[len(devs)-1].LastActivity != nil {
		t.Fatalf("order: %+v", devs)
	}
}
