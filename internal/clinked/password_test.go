package clinked_test

import (
	"net/http"
	"strings"
	"testing"
)

// A password longer than bcrypt takes (72 bytes) is a 400 naming the
// field wherever a password is set, and nothing is written.
func TestOverlongPasswordIsBadRequest(t *testing.T) {
	env, ns := startIn(t, "demo")
	maria := bAdmin(t, env, ns)
	long := strings.Repeat("p", 73)
	for _, tc := range []struct {
		method, path string
		body         map[string]any
	}{
		{"POST", "/v3/accounts/1/members", map[string]any{"username": "longpw", "email": "longpw@example.com", "password": long}},
		{"PATCH", "/v3/accounts/1/members/maria", map[string]any{"password": long}},
		{"PATCH", "/v3/accounts/1/guests/1", map[string]any{"password": long}},
	} {
		res := maria.want(tc.method, tc.path, tc.body, http.StatusBadRequest)
		if !strings.Contains(string(res.Body), "password") {
			t.Errorf("%s %s: %s does not name the password", tc.method, tc.path, res.Body)
		}
	}
	maria.want("GET", "/v3/accounts/1/members/longpw", nil, http.StatusNotFound)
	res := bControl(t, env, ns, "POST", "/invites/no-such-key/accept", map[string]string{"password": long})
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("accept: status %d, want 400; body: %s", res.StatusCode, res.Body)
	}
	// 72 bytes is still a password.
	maria.want("POST", "/v3/accounts/1/members",
		map[string]any{"username": "longpw", "email": "longpw@example.com", "password": long[:72]}, http.StatusOK)
	if tok := login(t, env, ns, "longpw", long[:72]); tok == "" {
		t.Error("no token for the 72-byte password")
	}
}
