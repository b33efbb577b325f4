package worksection_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/standin-dev/standin/internal/conformance"
	"github.com/standin-dev/standin/internal/testenv"
)

// TestConformance replays every documented Worksection example against a
// fresh "docs" namespace per example (add_* and subscribe change state) and
// checks status and shape.
//
// Substitutions, all here:
//
//   - Credentials: the examples are bare query strings. Each is sent by GET
//     to {base}/api/admin/v2/ signed with the MD5 query hash
//     (…&hash=md5(query + api_key)), except me, which the docs allow only
//     with an access token: it goes to {base}/api/oauth2 with the
//     namespace's access_token as a Bearer token.
//   - Placeholders in the query: USER_EMAIL is a fresh address
//     (new.user@example.com) for add_user, and a seeded user's email
//     (anna.lee@example.com) for subscribe and unsubscribe; TASK_ID is the
//     seeded task 1; CONTACT_NAME is "Jane Roe", CONTACT_EMAIL
//     jane.roe@example.com; USER_GROUP and CONTACT_GROUP are new names
//     ("Marketing", "Press").
//   - Shapes: the catalog quotes the rate placeholder ("USER_RATE") only to
//     make the example JSON; real answers carry a number, so the expected
//     rate is a number. Fields the docs mark "(if specified)" are left out
//     when unset, so the expected shape drops rate from add_user (a fresh
//     invitee has none) and phone…address2 from add_contact (the example
//     request sets none). The docs seed sets every such field on every
//     user and contact, so the list examples keep their full shape.
func TestConformance(t *testing.T) {
	env := start(t)
	subst := map[string]string{
		"TASK_ID": "1", "CONTACT_NAME": "Jane Roe", "CONTACT_EMAIL": "jane.roe@example.com",
		"USER_GROUP": "Marketing", "CONTACT_GROUP": "Press", "USER_EMAIL": "anna.lee@example.com",
	}
	n := conformance.Replay(t, env, "worksection", func(t *testing.T, ns *testenv.Namespace, ep conformance.Endpoint, ex conformance.Request) (*conformance.Case, func(*http.Request)) {
		q := url.Values{}
		for k, v := range ex.Query {
			s := fmt.Sprint(v)
			if r, found := subst[s]; found {
				s = r
			}
			if ep.ID == "worksection.add_user" && s == "anna.lee@example.com" {
				s = "new.user@example.com"
			}
			q.Set(k, s)
		}
		raw := q.Encode()
		c := &conformance.Case{
			Method: http.MethodGet,
			Path:   "/api/admin/v2/?" + raw + "&hash=" + md5Hash(raw, ns.Cred("worksection", "api_key")),
			Status: http.StatusOK, Shape: expectedShape(t, ep.ID, ep.ExampleResponse),
		}
		if ep.Action != "me" {
			return c, nil
		}
		c.Path = "/api/oauth2?" + raw
		tok := ns.Cred("worksection", "access_token")
		return c, func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }
	})
	if n != 11 {
		t.Errorf("replayed %d examples, the catalog has 11", n)
	}
}

// expectedShape applies the shape substitutions described on TestConformance.
func expectedShape(t *testing.T, id string, example json.RawMessage) json.RawMessage {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(example, &doc); err != nil {
		t.Fatal(err)
	}
	fix := func(obj map[string]any) {
		if _, found := obj["rate"]; found {
			obj["rate"] = 0.0
		}
		switch id {
		case "worksection.add_user":
			delete(obj, "rate")
		case "worksection.add_contact":
			for _, k := range []string{"phone", "phone2", "phone3", "phone4", "address", "address2"} {
				delete(obj, k)
			}
		}
	}
	switch d := doc["data"].(type) {
	case map[string]any:
		fix(d)
	case []any:
		for _, e := range d {
			if m, found := e.(map[string]any); found {
				fix(m)
			}
		}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "USER_RATE") {
		t.Fatalf("%s: rate placeholder left in the shape", id)
	}
	return b
}
