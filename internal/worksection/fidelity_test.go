package worksection_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestLengthLimits: every string an action stores has a maximum length
// (255 for names, titles, phones and addresses; RFC 5321 for emails: 64
// characters before the @, 254 in all; docs/decisions.md). A longer one is
// "Invalid parameter value" (status_code 5) and stores nothing.
func TestLengthLimits(t *testing.T) {
	env := start(t)
	c := newClient(t, env, "docs")
	long := strings.Repeat("x", 256)
	local64 := strings.Repeat("l", 64)
	tests := []struct {
		name   string
		action string
		params url.Values
		code   int // 0: accepted
	}{
		{"user first_name", "add_user", url.Values{"email": {"u1@example.com"}, "first_name": {long}}, 5},
		{"user last_name", "add_user", url.Values{"email": {"u2@example.com"}, "last_name": {long}}, 5},
		{"user title", "add_user", url.Values{"email": {"u3@example.com"}, "title": {long}}, 5},
		{"user department", "add_user", url.Values{"email": {"u4@example.com"}, "department": {long}}, 5},
		{"user group", "add_user", url.Values{"email": {"u5@example.com"}, "group": {long}}, 5},
		{"user email local part 65", "add_user", url.Values{"email": {local64 + "l@example.com"}}, 5},
		{"user email local part 5000", "add_user", url.Values{"email": {strings.Repeat("l", 5000) + "@example.com"}}, 5},
		{"user email 255", "add_user", url.Values{"email": {"a@" + strings.Repeat("d", 249) + ".com"}}, 5},
		{"team title", "add_user_group", url.Values{"title": {long}}, 5},
		{"team title 100000", "add_user_group", url.Values{"title": {strings.Repeat("x", 100000)}}, 5},
		{"contact name", "add_contact", url.Values{"email": {"c1@example.com"}, "name": {long}}, 5},
		{"contact title", "add_contact", url.Values{"email": {"c2@example.com"}, "name": {"A B"}, "title": {long}}, 5},
		{"contact group", "add_contact", url.Values{"email": {"c3@example.com"}, "name": {"A B"}, "group": {long}}, 5},
		{"contact phone", "add_contact", url.Values{"email": {"c4@example.com"}, "name": {"A B"}, "phone": {long}}, 5},
		{"contact phone4", "add_contact", url.Values{"email": {"c5@example.com"}, "name": {"A B"}, "phone4": {long}}, 5},
		{"contact address2", "add_contact", url.Values{"email": {"c6@example.com"}, "name": {"A B"}, "address2": {long}}, 5},
		{"contact email", "add_contact", url.Values{"email": {local64 + "l@example.com"}, "name": {"A B"}}, 5},
		{"folder title", "add_contact_group", url.Values{"title": {long}}, 5},
		{"at the limits", "add_user", url.Values{"email": {local64 + "@example.com"}, "first_name": {long[1:]},
			"last_name": {strings.Repeat("é", 255)}, "group": {long[1:]}}, 0},
		{"contact at the limits", "add_contact", url.Values{"email": {"c9@example.com"}, "name": {long[1:]},
			"phone": {long[1:]}, "address": {long[1:]}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := c.admin(tt.action, tt.params)
			if tt.code == 0 {
				mustOK(t, res, nil)
				return
			}
			mustFail(t, res, tt.code)
		})
	}
	// Nothing refused was stored: 2 users and 2 contacts were accepted.
	var users, contacts []map[string]any
	mustOK(t, c.admin("get_users", nil), &users)
	mustOK(t, c.admin("get_contacts", nil), &contacts)
	for _, u := range users {
		if s, _ := u["email"].(string); strings.HasPrefix(s, "u") && strings.HasSuffix(s, "@example.com") && len(s) < 20 {
			t.Errorf("refused user stored: %v", u)
		}
	}
	for _, ct := range contacts {
		if s, _ := ct["email"].(string); strings.HasPrefix(s, "c") && s != "c9@example.com" && strings.HasSuffix(s, "@example.com") && len(s) < 20 {
			t.Errorf("refused contact stored: %v", ct)
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
