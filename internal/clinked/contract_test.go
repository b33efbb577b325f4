package clinked_test

import (
	"net/http"
	"testing"
)

// TestWrongTypesAre400 checks the body reader behind every write: a JSON
// value of the wrong type is a 400 in the /v3 envelope and changes nothing,
// while numbers and booleans sent as strings are taken, as Jackson does.
func TestWrongTypesAre400(t *testing.T) {
	env, ns := startIn(t, "demo")
	admin := bAdmin(t, env, ns)
	tests := []struct {
		method, path, body string
	}{
		{"PATCH", "/v3/accounts/1", `{"friendlyName": 123}`},
		{"PATCH", "/v3/accounts/1", `{"locale": {"x": 1}}`},
		{"POST", "/v3/accounts/1/members", `{"username": ["eve"], "email": "eve@example.com"}`},
		{"PATCH", "/v3/accounts/1/members/tom", `{"realName": 5}`},
		{"PATCH", "/v3/accounts/1/members/tom", `{"permission": "eight"}`},
		{"PATCH", "/v3/accounts/1/members/tom", `{"enabled": [true]}`},
		{"PATCH", "/v3/accounts/1/members/tom", `{"activation": {"message": 1}}`},
		{"POST", "/v3/accounts/1/groups", `{"friendlyName": "Typed", "description": 7}`},
		{"POST", "/v3/accounts/1/invites", `{"emails": ["x@example.com"], "message": false}`},
		{"POST", "/v3/applications", `{"name": 1}`},
	}
	for _, tt := range tests {
		admin.wantError(tt.method, tt.path, tt.body, http.StatusBadRequest)
	}
	var tom struct {
		Permission int64 `json:"permission"`
		User       struct {
			RealName *string `json:"realName"`
		} `json:"user"`
	}
	admin.want("GET", "/v3/accounts/1/members/tom", nil, http.StatusOK).Decode(t, http.StatusOK, &tom)
	if tom.Permission != 1 || tom.User.RealName != nil && *tom.User.RealName == "5" {
		t.Errorf("a refused PATCH changed tom: %+v", tom)
	}
	var groups bPage[bGroup]
	admin.want("GET", "/v3/accounts/1/groups?name=Typed", nil, http.StatusOK).Decode(t, http.StatusOK, &groups)
	if groups.TotalResults != 0 {
		t.Errorf("a refused create stored a group: %+v", groups.Items)
	}

	admin.want("PATCH", "/v3/accounts/1/members/tom", `{"permission": "8", "enabled": "true"}`, http.StatusOK).
		Decode(t, http.StatusOK, &tom)
	if tom.Permission != 8 {
		t.Errorf("permission \"8\" gave %d", tom.Permission)
	}
	// A lookup inside the transaction answers its own 404.
	admin.wantError("PATCH", "/v3/accounts/1/members/nobody", `{"permission": 4}`, http.StatusNotFound)
	admin.wantError("DELETE", "/v3/accounts/1/members/nobody", nil, http.StatusNotFound)
}
