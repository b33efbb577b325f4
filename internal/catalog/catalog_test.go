package catalog

import "testing"

func TestID(t *testing.T) {
	tests := []struct{ vendor, method, pattern, want string }{
		{"clinked", "GET", "/v3/accounts/{account}/members", "clinked.account.members.list"},
		{"clinked", "", "GET /v3/accounts/{x}/members/", "clinked.account.members.list"},
		{"klipfolio", "GET", "/api/1.0/groups/{group}", "klipfolio.groups.get"},
		{"workdrive", "GET", "/api/users", "workdrive.users.list"},
		{"clinked", "GET", "/not/documented", ""},
		{"nope", "GET", "/", ""},
	}
	for _, tt := range tests {
		if got := ID(tt.vendor, tt.method, tt.pattern); got != tt.want {
			t.Errorf("ID(%s, %s, %s) = %q, want %q", tt.vendor, tt.method, tt.pattern, got, tt.want)
		}
	}
	if got := ActionID("worksection", "get_users"); got == "" {
		t.Error("no id for get_users")
	}
	for _, v := range Vendors {
		eps, err := Endpoints(v)
		if err != nil || len(eps) == 0 {
			t.Errorf("%s: %d endpoints, %v", v, len(eps), err)
		}
	}
}
