package registry_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/testenv"
)

// TestControlMalformedInput sends the journal, fault and settings routes
// of the control plane malformed bodies, odd ids and parameters at the
// edges, and checks that each gets a 4xx (or a 2xx) in the control
// plane's JSON envelope, never a 5xx.
func TestControlMalformedInput(t *testing.T) {
	env := testenv.Start(t, registry.All)
	ns := env.NewNamespace(t, "docs")
	// Something in the journal and a rule, so lookups have rows to miss.
	env.Do(t, "GET", ns.BaseURL("klipfolio")+"/api/1/groups", nil, http.Header{"Kf-Api-Key": {ns.Cred("klipfolio", "api_key")}})
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/faults", `{"vendor":"workdrive","times":1,"action":{"status":500}}`, nil).Decode(t, 201, nil)
	bodies := []string{``, `{"name":`, `[1,2]`, `"text"`, `null`, `{"a":"\u0000"}`, "\xff\xfe", `{"vendor":5}`,
		`{"count":1e400}`, `{"count":-9223372036854775809}`, `{"probability":"NaN"}`, `{"action":{"latency":{"p50":"1ns","p99":"99999h"}}}`,
		`{"action":{"body":` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}}`,
		`{"rate_limit":{"limit":9223372036854775807,"window_seconds":-1}}`, `{"max_entries":1e20}`, `{"seed":"x"}`,
		`{"path":"` + strings.Repeat("*", 2000) + `a","method":"GET","body_contains":"` + strings.Repeat("x", 1000) + `"}`}
	ids := []string{ns.ID, "nope", "%00", "default"}
	routes := []struct{ method, path string }{
		{"GET", "/requests"}, {"DELETE", "/requests"}, {"POST", "/requests/verify"},
		{"GET", "/requests/1"}, {"GET", "/requests/0"}, {"GET", "/requests/-1"}, {"GET", "/requests/99999999999999999999"}, {"GET", "/requests/x"},
		{"GET", "/faults"}, {"POST", "/faults"}, {"DELETE", "/faults/1"}, {"GET", "/faults/1"},
		{"GET", "/faults/99999999999999999999"}, {"DELETE", "/faults/x"},
		{"GET", "/settings/clinked"}, {"PUT", "/settings/clinked"}, {"PATCH", "/settings/clinked"},
		{"PUT", "/settings/journal"}, {"PATCH", "/settings/faults"}, {"PUT", "/settings/klipfolio"}, {"PATCH", "/settings/%00"},
	}
	queries := []string{"", "?limit=9223372036854775807&cursor=9223372036854775807", "?limit=-1&cursor=-5",
		"?status=9xx&since=x&until=y", "?path=" + strings.Repeat("%25_*?", 200) + "&endpoint=%5C", "?vendor=%FF&method=%00",
		"?since=9999-12-31T23:59:59Z&until=0001-01-01T00:00:00Z"}
	statuses := map[string]int{}
	defer func() { t.Log(statuses) }()
	check := func(method, u string, body any) {
		t.Helper()
		res := env.Do(t, method, u, body, nil)
		statuses[res.Status]++
		if res.StatusCode >= 500 {
			t.Errorf("%s %s (body %.60q): %d %s", method, u, body, res.StatusCode, res.Body)
		}
		if len(res.Body) > 0 && !strings.Contains(res.Header.Get("Content-Type"), "json") {
			t.Errorf("%s %s: %d answered %q, not JSON", method, u, res.StatusCode, res.Header.Get("Content-Type"))
		}
	}
	for _, id := range ids {
		for _, rt := range routes {
			u := env.Control + "/_standin/namespaces/" + id + rt.path
			if rt.method == "GET" || rt.method == "DELETE" {
				for _, q := range queries {
					check(rt.method, u+q, nil)
				}
				continue
			}
			for _, b := range bodies {
				check(rt.method, u, b)
			}
		}
	}
	// Vendor requests with bytes that the databases refuse as text (a raw
	// NUL, invalid UTF-8) in bodies and headers are journaled all the same.
	for _, b := range []string{"{\"name\":\"a\x00b\"}", "\xff\xfe\x00", strings.Repeat("é", 40000)} {
		res := env.Do(t, "POST", ns.BaseURL("klipfolio")+"/api/1/groups", b, http.Header{
			"Kf-Api-Key": {ns.Cred("klipfolio", "api_key")}, "X-Odd": {"\xff\xfe"}, "Content-Type": {"application/json"}})
		statuses["vendor "+res.Status]++
	}
	res := env.Do(t, "GET", env.Control+"/_standin/namespaces/"+ns.ID+"/requests?method=POST", nil, nil)
	if res.StatusCode != 200 || strings.Count(string(res.Body), `"method":"POST"`) < 3 {
		t.Errorf("journal after odd bytes: %d %s", res.StatusCode, res.Body)
	}
	// The stream with bad parameters answers 400 before it starts.
	for _, q := range []string{"?status=x", "?after=-1", "?after=x", "?since=x"} {
		check("GET", env.Control+"/_standin/namespaces/"+ns.ID+"/requests/stream"+q, nil)
	}
	check("GET", env.Control+"/_standin/namespaces/nope/requests/stream", nil)
}
