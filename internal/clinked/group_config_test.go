package clinked_test

import (
	"net/http"
	"testing"
)

func TestGroupConfigurationFlows(t *testing.T) {
	env := start(t)
	const g = "/v3/groups/1"
	flows := map[string][]step{
		"branding": {
			{"partial", "POST", g + "/branding", map[string]any{"headerColor": "#102030", "alignment": "center"}, 200,
				has(`"headerColor":"#102030"`, `"textColor":"#ffffff"`, `"alignment":"center"`, `"backgroundPositionX":50`)},
			{"kept", "POST", g + "/branding", map[string]any{"hideGroupName": true, "logoFile": 12}, 200,
				has(`"headerColor":"#102030"`, `"hideGroupName":true`, `"logo":true`)},
			{"light header", "POST", g + "/branding", map[string]any{"headerColor": "#eeeeee"}, 200, has(`"textColor":"#000000"`)},
			{"in the group", "GET", "/v3/accounts/1/groups/1", nil, 200, has(`"headerColor":"#eeeeee"`, `"hideGroupName":true`)},
			{"bad alignment", "POST", g + "/branding", map[string]any{"alignment": "diagonal"}, 400, nil},
			{"bad position", "POST", g + "/branding", map[string]any{"backgroundPositionX": 101}, 400, nil},
			{"bad colour", "POST", g + "/branding", map[string]any{"headerColor": "#12"}, 400, nil},
		},
		"components": {
			{"by id", "GET", "/v3/accounts/1/groups/1/components", nil, 200, both(count(4), has(`"title":"Files"`))},
			{"by name", "GET", "/v3/accounts/1/groups/explore_clinked/components", nil, 200, count(4)},
			{"only files", "PATCH", "/v3/accounts/1/groups/1", map[string]any{"components": []map[string]any{{"name": "files"}}}, 200, nil},
			{"follows the group", "GET", "/v3/accounts/1/groups/1/components", nil, 200, count(1)},
			{"unknown name", "GET", "/v3/accounts/1/groups/nope/components", nil, 404, nil},
			{"unknown id", "GET", "/v3/accounts/1/groups/99/components", nil, 404, nil},
		},
		"labels": {
			{"seeded", "GET", g + "/labels", nil, 200, has(`[{"id":1,"name":"dummyLabel","order":0}]`)},
			{"attach", "POST", g + "/labels", map[string]any{"items": []map[string]any{{"label": 2, "order": nil}, {"label": 99}}}, 200,
				has(`"attached":[{"id":2,"name":"otherLabel","order":1}]`, `"failures":[{"id":99,"name":"","order":0}]`)},
			{"reorder", "POST", g + "/labels", map[string]any{"items": []map[string]any{{"label": 1, "order": 5}}}, 200,
				has(`"attached":[{"id":1,"name":"dummyLabel","order":5}]`)},
			{"ordered", "GET", g + "/labels", nil, 200, has(`[{"id":2,"name":"otherLabel","order":1},{"id":1,"name":"dummyLabel","order":5}]`)},
			{"in the group", "GET", "/v3/accounts/1/groups/1", nil, 200, has(`"labels":[{"id":2,"name":"otherLabel","order":1},{"id":1`)},
			{"groups list filter", "GET", "/v3/accounts/1/groups?label=2", nil, 200, has(`"totalResults":1`)},
			{"no items", "POST", g + "/labels", map[string]any{}, 400, nil},
			{"no label", "POST", g + "/labels", map[string]any{"items": []map[string]any{{"order": 1}}}, 400, nil},
			{"detach", "DELETE", g + "/labels/2", nil, 200, nil},
			{"detach again", "DELETE", g + "/labels/2", nil, 200, nil},
			{"bad id", "DELETE", g + "/labels/x", nil, 400, nil},
			{"one left", "GET", g + "/labels", nil, 200, count(1)},
			{"detach all", "DELETE", g + "/labels", nil, 200, nil},
			{"none", "GET", g + "/labels", nil, 200, count(0)},
		},
		"announcements": {
			{"upsert", "POST", g + "/announcements", map[string]any{"id": "test", "title": "T", "body": "B"}, 200, has(`"id":"test"`)},
			{"propagated", "POST", "/v3/accounts/1/announcements", map[string]any{"id": "all", "title": "For all", "propagate": true}, 200, nil},
			{"list", "GET", g + "/announcements", nil, 200,
				both(count(3), has(`"id":"all","title":"For all","body":"","colour":"success","propagate":true,"inherit":true`))},
			{"inherited one", "GET", g + "/announcements?id=all", nil, 200, has(`"inherit":true`)},
			{"own one", "GET", g + "/announcements?id=test", nil, 200, has(`"inherit":false`)},
			{"unknown", "GET", g + "/announcements?id=zzz", nil, 404, nil},
			{"delete", "DELETE", g + "/announcements?id=test", nil, 200, nil},
			{"inherited stays", "DELETE", g + "/announcements?id=all", nil, 200, nil},
			{"left", "GET", g + "/announcements", nil, 200, count(2)},
		},
		"properties": {
			{"create", "POST", g + "/properties", map[string]string{"name": "zeta", "value": "1"}, 200, nil},
			{"list", "GET", g + "/properties", nil, 200, has(`[{"name":"name","value":"value"},{"name":"test","value":"123"},{"name":"zeta","value":"1"}]`)},
			{"not the account's", "GET", "/v3/accounts/1/properties?startsWith=zeta", nil, 200, count(0)},
			{"value type", "POST", g + "/properties", map[string]any{"name": "n", "value": 5}, 400, nil},
			{"delete", "DELETE", g + "/properties/zeta", nil, 200, nil},
			{"unknown", "DELETE", g + "/properties/zeta", nil, 404, nil},
		},
		"mail recipients": {
			{"list", "GET", g + "/incoming-mail-recipients", nil, 200, count(2)},
			{"folder filter", "GET", g + "/incoming-mail-recipients?contentContext=file_1", nil, 200,
				both(count(1), has(`"contentContext":{"id":1}`, `"space":{"id":1,"name":"explore_clinked"`))},
			{"bad filter", "GET", g + "/incoming-mail-recipients?contentContext=folder", nil, 400, nil},
			{"second group address", "POST", g + "/incoming-mail-recipients", map[string]any{"recipient": "another"}, 409, nil},
			{"folder", "POST", g + "/incoming-mail-recipients", map[string]any{"recipient": "invoices", "contentContext": 22}, 200,
				has(`"id":3`, `"contentContext":{"id":22}`)},
			{"taken", "POST", g + "/incoming-mail-recipients", map[string]any{"recipient": "INVOICES", "contentContext": 23}, 409, nil},
			{"bad name", "POST", g + "/incoming-mail-recipients", map[string]any{"recipient": "in voices", "contentContext": 24}, 400, nil},
			{"missing", "POST", g + "/incoming-mail-recipients", map[string]any{"contentContext": 24}, 400, nil},
			{"update", "PATCH", g + "/incoming-mail-recipients/3", map[string]any{"recipient": "bills"}, 200,
				has(`"recipient":"bills"`, `"contentContext":{"id":22}`)},
			{"update taken", "PATCH", g + "/incoming-mail-recipients/3", map[string]any{"recipient": "explore"}, 409, nil},
			{"delete", "DELETE", g + "/incoming-mail-recipients/3", nil, 200, nil},
			{"gone", "PATCH", g + "/incoming-mail-recipients/3", map[string]any{"recipient": "x"}, 404, nil},
			{"delete unknown", "DELETE", g + "/incoming-mail-recipients/3", nil, 404, nil},
		},
	}
	runFlows(t, env, "docs", flows)
}

// TestGroupConfigurationPermissions: reading needs group membership,
// changing needs a group administrator; an account member outside the
// group gets 403, someone outside the account 404.
func TestGroupConfigurationPermissions(t *testing.T) {
	env, ns := startIn(t, "demo")
	// In demo group 1: tom is a member manager (8), anna.client basic (1);
	// tom is not in group 3; ravi administers account 2 only.
	tom := bLogin(t, env, ns, "tom", "demo-password")
	anna := bLogin(t, env, ns, "anna.client", "demo-password")
	ravi := bLogin(t, env, ns, "ravi", "demo-password")
	reads := []string{"/labels", "/announcements", "/properties", "/incoming-mail-recipients"}
	writes := []struct{ method, path, body string }{
		{"POST", "/branding", `{"headerColor":"#000000"}`}, {"POST", "/labels", `{"items":[{"label":1}]}`},
		{"DELETE", "/labels/1", ""}, {"DELETE", "/labels", ""}, {"POST", "/announcements", `{"title":"x"}`},
		{"DELETE", "/announcements", ""}, {"POST", "/properties", `{"name":"x"}`}, {"DELETE", "/properties/client_code", ""},
		{"POST", "/incoming-mail-recipients", `{"recipient":"x"}`}, {"PATCH", "/incoming-mail-recipients/1", `{"recipient":"x"}`},
		{"DELETE", "/incoming-mail-recipients/1", ""},
	}
	for _, p := range reads {
		tom.want("GET", "/v3/groups/1"+p, nil, 200)
		anna.want("GET", "/v3/groups/1"+p, nil, 200)
		tom.want("GET", "/v3/groups/3"+p, nil, 403)
		ravi.want("GET", "/v3/groups/1"+p, nil, 404)
	}
	tom.want("GET", "/v3/accounts/1/groups/1/components", nil, 200)
	tom.want("GET", "/v3/accounts/1/groups/3/components", nil, 403)
	ravi.want("GET", "/v3/accounts/1/groups/1/components", nil, 404)
	for _, e := range writes {
		body := bodyOrNil(e.body)
		tom.want(e.method, "/v3/groups/1"+e.path, body, 403)
		anna.want(e.method, "/v3/groups/1"+e.path, body, 403)
		ravi.want(e.method, "/v3/groups/1"+e.path, body, 404)
	}
	// The group's administrator may.
	bAdmin(t, env, ns).want("POST", "/v3/groups/1/branding", `{"headerColor":"#000000"}`, 200)
}

// TestSettingsFixture loads every new fixture section into an empty
// namespace, checks it through the API and after a reset, and refuses bad
// documents whole.
func TestSettingsFixture(t *testing.T) {
	env, ns := startIn(t, "empty")
	doc := `
clinked:
  groups:
    - {id: 5, account: 1, name: hq, friendly_name: HQ, owner: 1, members: [{user: 1, permission: 16}]}
  account_settings:
    - account: 1
      branding: {navbarColor: "#000000", logo: true}
      iframes: [maps.example]
      password_strength: {size: 9, digits: true}
      profile_fields: [{name: Team, order: 0}]
      sso: {ssoEnabled: true, tempFile: "meta-1"}
      storage_region: CA-CENTRAL-1
      custom_domain: hq.example
      custom_email:
        sendgrid: {apiKey: SG.fixture-key-1234, from: hq@hq.example}
        domain_authentication: {from: hq@hq.example}
      docusign: {connected: true}
      adobe_connected: true
  properties:
    - {account: 1, name: tier, value: gold}
    - {group: 5, name: code, value: HQ-1}
  announcements:
    - {account: 1, title: Main}
    - {group: 5, id: w1, title: Widget}
  labels:
    - {id: 3, account: 1, name: Core, groups: [{group: 5, order: 2}]}
  mail_recipients:
    - {id: 7, group: 5, recipient: hq}
`
	loadFixture(t, env, ns, doc)
	check := []step{
		{"branding", "GET", "/v3/accounts/1/branding", nil, 200, has(`"navbarColor":"#000000"`, `"logo":true`)},
		{"iframes", "GET", "/v3/accounts/1/iframes", nil, 200, has(`["maps.example"]`)},
		{"password", "GET", "/v3/accounts/1/password-strength", nil, 200, has(`"size":9`)},
		{"fields", "GET", "/v3/accounts/1/profile-fields", nil, 200, has(`"Team"`)},
		{"sso", "GET", "/v3/accounts/1/sso", nil, 200, has(`"enabled":true`)},
		{"storage", "GET", "/v3/accounts/1/storage", nil, 200, has(`"CA-CENTRAL-1"`)},
		{"domain", "GET", "/v3/accounts/1/domain", nil, 200, has(`"hq.example"`)},
		{"email", "GET", "/v3/accounts/1/custom-email", nil, 200, has(`"type":"SENDGRID"`)},
		{"domain auth", "PATCH", "/v3/accounts/1/custom-email/domain-authentication", nil, 200, has(`"domain":"hq.example"`)},
		{"docusign", "GET", "/v3/accounts/1/docusign", nil, 200, has(`"connected":true`)},
		{"adobe", "GET", "/v3/accounts/1/adobe", nil, 200, has(`"connected":true`)},
		{"properties", "GET", "/v3/accounts/1/properties", nil, 200, has(`[{"name":"tier","value":"gold"}]`)},
		{"group properties", "GET", "/v3/groups/5/properties", nil, 200, has(`[{"name":"code","value":"HQ-1"}]`)},
		{"announcements", "GET", "/v3/accounts/1/announcements", nil, 200, has(`"id":null,"title":"Main"`)},
		{"group announcements", "GET", "/v3/groups/5/announcements?id=w1", nil, 200, has(`"Widget"`)},
		{"labels", "GET", "/v3/groups/5/labels", nil, 200, has(`[{"id":3,"name":"Core","order":2}]`)},
		{"recipients", "GET", "/v3/groups/5/incoming-mail-recipients", nil, 200, has(`"id":7,"recipient":"hq"`)},
		{"next recipient id", "POST", "/v3/groups/5/incoming-mail-recipients", map[string]any{"recipient": "hq2", "contentContext": 9}, 200,
			has(`"id":8`)},
	}
	bAdmin(t, env, ns).run(check)
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/reset", nil, nil).Decode(t, http.StatusOK, nil)
	bAdmin(t, env, ns).run(check)

	refuseFixtures(t, env, ns,
		"clinked: {account_settings: [{account: 9}]}",
		"clinked: {account_settings: [{account: 1, branding: {navbarColor: red}}]}",
		"clinked: {account_settings: [{account: 1, storage_region: MARS}]}",
		"clinked: {account_settings: [{account: 1, custom_email: {smtp: {host: x}}}]}",
		"clinked: {account_settings: [{account: 1, sso: {ssoEnabled: true}}]}",
		"clinked: {properties: [{group: 99, name: x}]}",
		"clinked: {properties: [{account: 1, name: tier, value: again}]}",
		"clinked: {labels: [{id: 9, account: 1, name: L, groups: [{group: 99}]}]}",
		"clinked: {mail_recipients: [{group: 5, recipient: hq}]}",
		"clinked: {announcements: [{account: 1, title: Main}]}",
	)
	// Nothing of a refused document was written.
	bAdmin(t, env, ns).run([]step{{"unchanged", "GET", "/v3/accounts/1/properties", nil, 200, count(1)}})
}
