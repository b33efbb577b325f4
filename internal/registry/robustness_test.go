package registry_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/standin-dev/standin/internal/catalog"
	"github.com/standin-dev/standin/internal/conformance"
	"github.com/standin-dev/standin/internal/openapi"
	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/testenv"
	"github.com/standin-dev/standin/internal/vendor"
)

// undocumented lists the routes that a vendor serves beyond its catalog
// (calls that real clients make, standin's additions), read from its
// router, so that every route gets the same treatment.
func undocumented(v vendor.Vendor) []conformance.Endpoint {
	var out []conformance.Endpoint
	if v.Name() == "worksection" { // one path; the catalog names every action
		return nil
	}
	for _, p := range openapi.Routes(v.Handler()) {
		method, path, ok := strings.Cut(p, " ")
		if !ok || method == "HEAD" || catalog.ID(v.Name(), method, path) != "" {
			continue
		}
		out = append(out, conformance.Endpoint{ID: v.Name() + " " + p, Method: method, Path: path})
	}
	return out
}

// notJSON tells the routes whose answers are not JSON by design: Clinked's
// invitation page (HTML for a browser) and WorkDrive's S3-style media
// bucket (S3's XML errors).
func notJSON(vendor, path string) bool {
	return vendor == "clinked" && strings.HasPrefix(path, "/invitation/") ||
		vendor == "workdrive" && strings.HasPrefix(path, "/media")
}

// TestMalformedInputNeverFails sends every documented route of every vendor
// a set of bad requests — malformed and mistyped bodies, odd path ids, text
// the database refuses — with valid credentials, and checks that each gets
// a 4xx (or a vendor's application error), never a 5xx.
func TestMalformedInputNeverFails(t *testing.T) {
	env := testenv.Start(t, registry.All)
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
		vend, ok := env.App.Vendor(v)
		if !ok {
			t.Fatalf("no vendor %s", v)
		}
		extra := undocumented(vend)
		if v == "clinked" && len(extra) < 20 {
			t.Errorf("clinked serves %d routes beyond its catalog; events, tasks and files alone are more", len(extra))
		}
		eps = append(eps, extra...)
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
					if len(res.Body) > 0 && !strings.Contains(ct, "json") && !notJSON(v, path) {
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

// TestMalformedControlInput sends the control plane's lifecycle routes
// (snapshots, restore, fork, labels, ttl, filtered lists, bulk delete,
// metrics) malformed bodies, ids and parameters: 4xx, never a 5xx.
func TestMalformedControlInput(t *testing.T) {
	env := testenv.Start(t, registry.All)
	ns := env.NewNamespace(t, "docs")
	c := env.Control + "/_standin/namespaces"
	bodies := []string{"", `{"name":`, `[1,2]`, `"text"`, `{"name":{"a":[[]]},"from":12,"ttl":[],"labels":"x","snapshot":1}`,
		`{"a":"\u0000"}`, "\xff\xfe", `{"from":"` + ns.ID + `","snapshot":"\u0000"}`, `{"from":"%00"}`,
		`{"from":"` + ns.ID + `","ttl":"9223372036854775807ns"}`, `{"labels":{"":""}}`, `{"labels":{"k":"\u0000"}}`}
	ids := []string{"0", "-1", "not-an-id", "%00", "%FF", strings.Repeat("x", 300), "~snap-1", "snap-1"}
	var routes []struct{ method, path string }
	for _, id := range ids {
		routes = append(routes,
			struct{ method, path string }{"POST", c + "/" + id + "/snapshots"},
			struct{ method, path string }{"GET", c + "/" + id + "/snapshots"},
			struct{ method, path string }{"DELETE", c + "/" + ns.ID + "/snapshots/" + id},
			struct{ method, path string }{"POST", c + "/" + ns.ID + "/snapshots/" + id + "/restore"},
			struct{ method, path string }{"POST", c + "/" + id + "/snapshots/" + id + "/restore"},
			struct{ method, path string }{"GET", c + "/" + id + "/export"},
		)
	}
	routes = append(routes, struct{ method, path string }{"POST", c})
	for _, rt := range routes {
		for _, body := range bodies {
			res := env.Do(t, rt.method, rt.path, body, http.Header{"Content-Type": {"application/json"}})
			if res.StatusCode >= 500 || (rt.method == "POST" && rt.path == c && res.StatusCode < 400 && body != "") {
				t.Errorf("%s %s (body %q): %d %s", rt.method, rt.path, body, res.StatusCode, res.Body)
			}
		}
	}
	for _, q := range []string{"limit=9223372036854775807", "limit=-1", "offset=99999999999999999999", "offset=9223372036854775807",
		"cursor=%00", "cursor=" + strings.Repeat("A", 5000), "cursor=MTIzLGFi", "cursor=OTk5OTk5OTk5OTk5OTk5OTk5OTk5LGE",
		"label=%00=%00", "label==x", "label=k=" + strings.Repeat("v", 300), "seed=%FF", "created_before=%00",
		"created_before=99999-01-01T00:00:00Z", "created_before=0001-01-01T00:00:00Z"} {
		for _, m := range []string{"GET", "DELETE"} {
			res := env.Do(t, m, c+"?"+q, nil, nil)
			if res.StatusCode >= 500 {
				t.Errorf("%s ?%s: %d %s", m, q, res.StatusCode, res.Body)
			}
		}
	}
	for _, q := range []string{"", "?x=%00", "?name[]=%FF"} {
		if res := env.Do(t, "GET", env.Control+"/metrics"+q, nil, nil); res.StatusCode >= 500 {
			t.Errorf("metrics%s: %d", q, res.StatusCode)
		}
	}
}
