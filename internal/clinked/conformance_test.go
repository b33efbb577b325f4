package clinked_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/standin-dev/standin/internal/conformance"
	"github.com/standin-dev/standin/internal/testenv"
)

// issue5 selects the 49 endpoints of issue 5 by catalog id.
var issue5 = []string{
	"clinked.oauth.", "clinked.userinfo.", "clinked.applications.", "clinked.accounts.",
	"clinked.subscription.", "clinked.account.components.", "clinked.account.members.",
	"clinked.account.member_tags.", "clinked.account.invites.", "clinked.guests.", "clinked.groups.",
	"clinked.group.members.", "clinked.group.invites.",
	"clinked.files.", "clinked.group.trash.", // issue 12: files and trash (helper clinkedC)
}

// issue12 selects the endpoints of issue 12 (Clinked complete) served so far.
var issue12 = []string{
	"clinked.events.", "clinked.tasks.", // events and tasks
}

// issue12Settings selects the account settings and group configuration
// endpoints of issue 12 (59 endpoints, one example each).
var issue12Settings = []string{
	"clinked.account.branding.", "clinked.account.properties.", "clinked.account.announcements.", "clinked.devices.",
	"clinked.iframes.", "clinked.password_strength.", "clinked.profile_fields.", "clinked.sso.", "clinked.two_factor.",
	"clinked.storage.", "clinked.custom_email.", "clinked.custom_domain.", "clinked.docusign.", "clinked.adobe.",
	"clinked.group.branding.", "clinked.group.components.", "clinked.group.labels.", "clinked.group.announcements.",
	"clinked.group.properties.", "clinked.group.mail_recipients.",
}

// TestConformance replays every documented example of the issue-5
// endpoints against a fresh "docs" namespace each (the examples create and
// delete what later ones name) and checks the documented status and shape.
//
// Substitutions, all here:
//   - Authorization: the examples' "Bearer <YOUR-TOKEN>" becomes the
//     namespace's ready token (jack's); Host and Content-Length are dropped
//     (the body is sent as written, so its length is the real one).
//   - The token examples are sent as written: the docs seed gives jack the
//     doc's password and has the doc's application 5ad29f13-….
//   - The member examples that address "john" (update, update_groups,
//     delete) first replay the create example, which makes john: the doc's
//     create and update examples disagree about whether john exists.
//   - Where the doc shows no status (applications.delete,
//     group.members.update), 200 is expected, as for the other deletes and
//     updates.
func TestConformance(t *testing.T) {
	env := start(t)
	replayed := append(append(append([]string{}, issue5...), issue12...), issue12Settings...)
	eps, err := conformance.Load("clinked")
	if err != nil {
		t.Fatal(err)
	}
	var create conformance.Request
	for _, ep := range eps {
		if ep.ID == "clinked.account.members.create" {
			create = ep.ExampleRequests[0]
		}
	}
	n := conformance.Replay(t, env, "clinked", func(t *testing.T, ns *testenv.Namespace, ep conformance.Endpoint, ex conformance.Request) (*conformance.Case, func(*http.Request)) {
		tok := token(ns)
		if ex.Synthetic { // adobe.delete has no example: account 1, as in its siblings
			ex.Path = strings.ReplaceAll(ex.Path, "{account}", "1")
		}
		if strings.HasPrefix(ep.ID, "clinked.account.members.") && strings.HasSuffix(ex.Path, "/members/john") {
			c := exampleCase("setup", create, 200, nil)
			conformance.Run(t, base(ns), []conformance.Case{c}, authorize(tok))
		}
		status := ep.StatusCode()
		if status == 0 {
			status = http.StatusOK
		}
		c := exampleCase(ep.ID, ex, status, ep.ExampleResponse)
		if strings.HasPrefix(ep.ID, "clinked.account.members.update") {
			c.Options.NullOK = true
		}
		return &c, authorize(tok)
	}, replayed...)
	want := 0 // every example of the selected endpoints (one for an endpoint without)
	for _, ep := range eps {
		for _, p := range replayed {
			if strings.HasPrefix(ep.ID, p) {
				want += max(1, len(ep.ExampleRequests))
				break
			}
		}
	}
	if n != want || want < 49+59 {
		t.Errorf("replayed %d examples, the selected endpoints have %d", n, want)
	}
}

// exampleCase turns a documented request into a case.
func exampleCase(name string, ex conformance.Request, status int, shape []byte) conformance.Case {
	path := ex.Path
	if q := conformance.QueryString(ex.Query); q != "" {
		path += "?" + q
	}
	var body []byte
	if ex.BodyRaw != nil {
		body = []byte(*ex.BodyRaw)
	}
	h := http.Header{}
	for k, v := range ex.Headers {
		switch k {
		case "Host", "Content-Length", "Authorization":
		default:
			h.Set(k, v)
		}
	}
	return conformance.Case{Name: name, Method: ex.Method, Path: path, Header: h, Body: body,
		Status: status, Shape: shape}
}

// authorize adds the bearer token to requests that the doc authorizes (all
// but the token endpoint).
func authorize(tok string) func(*http.Request) {
	return func(r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v3/") || strings.Contains(r.URL.Path, "/v3/") {
			r.Header.Set("Authorization", "Bearer "+tok)
		}
	}
}
