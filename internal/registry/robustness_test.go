package registry_test

import (
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/standin-dev/standin/internal/conformance"
	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/testenv"
	"github.com/standin-dev/standin/internal/vendor"
)

// undocumented lists the routes that standin serves beyond the catalogs
// (calls that real clients make), so that they get the same treatment.
var undocumented = map[string][]string{
	"clinked": {
		"POST /v3/groups/{group}/events", "GET /v3/groups/{group}/events/{id}", "PUT /v3/groups/{group}/events/{id}",
		"PATCH /v3/groups/{group}/events/{id}", "DELETE /v3/groups/{group}/events/{id}",
		"GET /v3/groups/{group}/tasks", "POST /v3/groups/{group}/tasks", "GET /v3/groups/{group}/tasks/{id}",
		"PUT /v3/groups/{group}/tasks/{id}", "PATCH /v3/groups/{group}/tasks/{id}", "DELETE /v3/groups/{group}/tasks/{id}",
		"GET /v3/groups/{group}/events",
	},
}

// TestMalformedInputNeverFails sends every documented route of every vendor
// a set of bad requests — malformed and mistyped bodies, odd path ids, text
// the database refuses — with valid credentials, and checks that each gets
// a 4xx (or a vendor's application error), never a 5xx.
func TestMalformedInputNeverFails(t *testing.T) {
	env := testenv.Start(t, func(db *store.DB, log *slog.Logger) []vendor.Vendor { return registry.All(db, log) })
	auth := func(ns *testenv.Namespace, v string) http.Header {
		return map[string]http.Header{
			"klipfolio":   {"Kf-Api-Key": {ns.Cred("klipfolio", "api_key")}},
			"clinked":     {"Authorization": {"Bearer " + ns.Cred("clinked", "access_token")}},
			"worksection": {"Authorization": {"Bearer " + ns.Cred("worksection", "access_token")}},
			"workdrive":   {"X-Api-Key": {ns.Cred("workdrive", "api_key")}},
		}[v]
	}
	param := regexp.MustCompile(`\{[^}]+\}`)
	bodies := []string{`{"name":`, `[1,2]`, `"text"`, `{"name":{"a":[[]]},"id":-1,"email":12,"groups":"x"}`, `{"a":"\u0000"}`, "\xff\xfe"}
	pathIDs := []string{"0", "-1", "99999999999999999999", "not-an-id", "%00", "3fa85f64-5717-4562-b3fc-2c963f66afa6"}
	statuses := map[string]int{}
	defer func() { t.Log(statuses) }()
	for _, v := range []string{"klipfolio", "clinked", "worksection", "workdrive"} {
		eps, err := conformance.Load(v)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range undocumented[v] {
			m, p, _ := strings.Cut(r, " ")
			eps = append(eps, conformance.Endpoint{ID: v + " " + r, Method: m, Path: p})
		}
		for _, ep := range eps {
			// A fresh namespace per endpoint: some bad requests still act
			// (a minted WorkDrive key revokes the old one), and Clinked's
			// rate limit would otherwise stop the run.
			ns := env.NewNamespace(t, "docs")
			env.Do(t, "PUT", env.Control+"/_standin/namespaces/"+ns.ID+"/settings/clinked",
				`{"rate_limit":{"enabled":false}}`, nil).Decode(t, http.StatusOK, nil)
			base := ns.BaseURL(v)
			path, method := ep.Path, ep.Method
			if v == "worksection" {
				path, method = "/api/oauth2?action="+ep.Action, "POST"
			}
			for i, id := range pathIDs {
				p := param.ReplaceAllString(path, id)
				for _, body := range bodies {
					h := http.Header{"Content-Type": {"application/json"}}
					for k, vs := range auth(ns, v) {
						h[k] = vs
					}
					res := env.Do(t, method, base+p, body, h)
					statuses[v+" "+res.Status]++
					if res.StatusCode >= 500 {
						t.Errorf("%s %s %s (body %q): %d %s", v, method, p, body, res.StatusCode, res.Body)
					}
					ct := res.Header.Get("Content-Type")
					if len(res.Body) > 0 && !strings.Contains(ct, "json") {
						t.Errorf("%s %s %s: %d answered %q, not JSON", v, method, p, res.StatusCode, ct)
					}
				}
				if !strings.Contains(path, "{") && i == 0 {
					break // no path parameter: one round of bodies is enough
				}
			}
			// Paging and number parameters at and past the edges of an int.
			if method == "GET" || v == "worksection" {
				p := param.ReplaceAllString(path, "1")
				sep := "?"
				if strings.Contains(p, "?") {
					sep = "&"
				}
				for _, n := range []string{"9223372036854775807", "-9223372036854775808", "99999999999999999999", "-1", "0", "1e9", "NaN"} {
					q := "page=" + n + "&size=" + n + "&pageSize=" + n + "&limit=" + n + "&offset=" + n +
						"&cur_page=" + n + "&per_page=" + n + "&time=" + n + "&id_task=" + n + "&id_project=" + n
					res := env.Do(t, method, base+p+sep+q, nil, auth(ns, v))
					statuses[v+" "+res.Status]++
					if res.StatusCode >= 500 {
						t.Errorf("%s %s%s%s: %d %s", v, method, p, sep+q, res.StatusCode, res.Body)
					}
				}
			}
		}
	}
}
