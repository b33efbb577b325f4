package conformance

import (
	"strings"
	"testing"
)

func TestCheckContract(t *testing.T) {
	tests := []struct {
		name, vendor, method, path string
		status                     int
		body                       string
		want                       string // "" when valid
	}{
		{"valid list", "klipfolio", "GET", "/api/1/groups?client_id=x", 200,
			`{"meta":{"status":200,"success":true},"data":{"groups":[{"id":"a","name":"b","description":"c"}]}}`, ""},
		{"wrong type", "klipfolio", "GET", "/api/1/groups", 200,
			`{"meta":{"status":200,"success":true},"data":{"groups":"none"}}`, "does not match"},
		{"envelope key missing", "klipfolio", "GET", "/api/1.0/groups", 200, `{"data":{"groups":[]}}`, "does not match"},
		{"error envelope", "klipfolio", "GET", "/api/1/groups/x", 404,
			`{"meta":{"success":false,"status":404,"error_code":"not_found","error_desc":"x"}}`, ""},
		{"unrouted", "klipfolio", "GET", "/api/2/groups", 200, `{}`, "no path"},
		{"unknown status", "klipfolio", "POST", "/api/1/groups", 302, `{}`, "not among"},
		{"literal path beats a template", "workdrive", "GET", "/api/users/supervisors", 200, `{}`, "GET /api/users/supervisors 200"},
		{"worksection action", "worksection", "GET", "/api/admin/v2/?action=get_users", 200,
			`{"status":"ok","data":[{"id":"1","email":"a@b.c"}]}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(CheckContract(tt.vendor, tt.method, tt.path, tt.status, []byte(tt.body)), "\n")
			if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
