package clinked_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestFixtureLoadAndReset loads a YAML seed document on top of the empty
// seed, uses what it made, and checks that reset replays it.
func TestFixtureLoadAndReset(t *testing.T) {
	env, ns := startIn(t, "empty")
	doc := `
clinked:
  accounts:
    - {id: 7, name: acme, friendly_name: ACME Corp, components: [files, tasks]}
  users:
    - id: 20
      username: wile
      email: wile@acme.example
      name: Wile E. Coyote
      password: Road-Runner-1
      two_factor: true
      two_factor_code: "424242"
      memberships: [{account: 7, permission: 16, tags: [hunters]}]
  groups:
    - {id: 30, account: 7, name: traps, friendly_name: Traps, owner: 20, members: [{user: 20, permission: 16}]}
  tokens:
    - {access_token: 1f0e6a52-7a4e-4b1f-9a65-3f1f2f6b0c11, user: 20, expires_in: 3600}
`
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/seed", doc, nil).Decode(t, http.StatusOK, nil)
	check := func() {
		t.Helper()
		tok := bearer("1f0e6a52-7a4e-4b1f-9a65-3f1f2f6b0c11")
		var comps []map[string]any
		env.Do(t, "GET", base(ns)+"/v3/accounts/7/components", nil, tok).Decode(t, http.StatusOK, &comps)
		if len(comps) != 2 || comps[0]["name"] != "files" || comps[1]["name"] != "tasks" {
			t.Errorf("components: %v", comps)
		}
		var m map[string]any
		env.Do(t, "GET", base(ns)+"/v3/accounts/7/members/wile", nil, tok).Decode(t, http.StatusOK, &m)
		if m["permission"] != float64(16) || m["user"].(map[string]any)["twoFactorAuthentication"] != true {
			t.Errorf("member: %v", m)
		}
		// The fixture's 2FA code logs in.
		res := env.Do(t, "GET", base(ns)+"/oauth/token?client_id=clinked-mobile&grant_type=password&username=wile&password=Road-Runner-1&code=424242", nil, nil)
		if res.StatusCode != 200 {
			t.Errorf("2FA login: %d %s", res.StatusCode, res.Body)
		}
		// New ids do not collide with the fixture's.
		var created map[string]any
		env.Do(t, "POST", base(ns)+"/v3/accounts/7/members", map[string]string{"username": "roadrunner", "email": "rr@acme.example"},
			tok).Decode(t, http.StatusOK, &created)
		if id := created["user"].(map[string]any)["id"].(float64); id <= 20 {
			t.Errorf("new user id %v collides with fixture ids", id)
		}
	}
	check()
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/reset", nil, nil).Decode(t, http.StatusOK, nil)
	check() // the member made by the first check is gone again, so it can be made again

	for _, bad := range []string{
		"clinked: {users: [{username: x}]}",                                             // no email
		"clinked: {users: [{username: x, email: x@y.z, memberships: [{account: 99}]}]}", // unknown account
		"clinked: {groups: [{name: g, friendly_name: G, account: 1, members: [{user: 1, permission: 3}]}]}",
		"clinked: {nonsense: 1}",
		"clinked: {users: [{username: x, email: x@y.z, password: " + strings.Repeat("p", 73) + "}]}", // longer than bcrypt takes
		"clinked: {guests: [{account: 1, name: G, email: g@y.z, password: " + strings.Repeat("p", 73) + "}]}",
	} {
		if res := env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/seed", bad, nil); res.StatusCode != 400 {
			t.Errorf("%s: %d %s", bad, res.StatusCode, res.Body)
		}
	}
}
