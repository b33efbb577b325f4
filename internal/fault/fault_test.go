package fault_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/standin-dev/standin/internal/fault"
	"github.com/standin-dev/standin/internal/journal"
	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/testenv"
)

func kf(ns *testenv.Namespace) http.Header {
	return http.Header{"Kf-Api-Key": {ns.Cred("klipfolio", "api_key")}}
}

// fresh is a client that never reuses a connection, so that a dropped
// connection is not retried on another one.
var fresh = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}

func addRule(t *testing.T, env *testenv.Env, ns *testenv.Namespace, rule string) fault.RuleView {
	t.Helper()
	var v fault.RuleView
	env.Do(t, "POST", env.NamespaceURL(ns)+"/faults", rule, nil).Decode(t, 201, &v)
	return v
}

func lastEntry(t *testing.T, env *testenv.Env, ns *testenv.Namespace) journal.Entry {
	t.Helper()
	var p struct {
		Requests []journal.Summary `json:"requests"`
	}
	env.Do(t, "GET", env.NamespaceURL(ns)+"/requests?limit=1", nil, nil).Decode(t, 200, &p)
	if len(p.Requests) == 0 {
		t.Fatal("journal is empty")
	}
	var e journal.Entry
	env.Do(t, "GET", fmt.Sprintf("%s/requests/%d", env.NamespaceURL(ns), p.Requests[0].ID), nil, nil).Decode(t, 200, &e)
	return e
}

// TestActions applies each action to Klipfolio's group list and checks
// the answer and the journal entry.
func TestActions(t *testing.T) {
	env := testenv.Start(t, registry.All)
	groups := func(ns *testenv.Namespace) string { return ns.BaseURL("klipfolio") + "/api/1/groups" }
	tests := []struct {
		name, action string
		check        func(t *testing.T, res *http.Response, body []byte, err error)
		journal      string
	}{
		{"status", `{"status":503}`, func(t *testing.T, res *http.Response, body []byte, err error) {
			if err != nil || res.StatusCode != 503 || string(body) != `{"meta":{"success":false,"status":503,"error_code":"service_unavailable","error_desc":"Service Unavailable"}}`+"\n" {
				t.Errorf("%v %v %s", err, res.Status, body)
			}
		}, "answered 503"},
		{"status with message", `{"status":400,"message":"name is required"}`, func(t *testing.T, res *http.Response, body []byte, err error) {
			if err != nil || res.StatusCode != 400 || !strings.Contains(string(body), `"error_code":"bad_request","error_desc":"name is required"`) {
				t.Errorf("%v %v %s", err, res.Status, body)
			}
		}, "answered 400"},
		{"rate limited", `{"status":429,"retry_after":7}`, func(t *testing.T, res *http.Response, body []byte, err error) {
			if err != nil || res.StatusCode != 429 || res.Header.Get("Retry-After") != "7" || !strings.Contains(string(body), `"error_code":"rate_limited"`) {
				t.Errorf("%v %v %v %s", err, res.Status, res.Header, body)
			}
		}, "answered 429"},
		{"latency", `{"latency":"20ms"}`, func(t *testing.T, res *http.Response, body []byte, err error) {
			if err != nil || res.StatusCode != 200 || !strings.Contains(string(body), `"success":true`) {
				t.Errorf("%v %v %s", err, res.Status, body)
			}
		}, "waited 20ms"},
		{"latency distribution", `{"latency":{"p50":"5ms","p99":"40ms"}}`, func(t *testing.T, res *http.Response, body []byte, err error) {
			if err != nil || res.StatusCode != 200 {
				t.Errorf("%v %v %s", err, res.Status, body)
			}
		}, "waited "},
		{"latency then status", `{"latency":"5ms","status":502}`, func(t *testing.T, res *http.Response, body []byte, err error) {
			if err != nil || res.StatusCode != 502 {
				t.Errorf("%v %v %s", err, res.Status, body)
			}
		}, "waited 5ms; answered 502"},
		{"reset", `{"reset":true}`, func(t *testing.T, res *http.Response, body []byte, err error) {
			if err == nil {
				t.Errorf("answered %v %s", res.Status, body)
			}
		}, "dropped the connection"},
		{"truncate", `{"truncate":true}`, func(t *testing.T, res *http.Response, body []byte, err error) {
			if res == nil || res.StatusCode != 200 || !errors.Is(err, io.ErrUnexpectedEOF) || len(body) == 0 || int64(len(body)) >= res.ContentLength {
				t.Errorf("%v %v %d of %d bytes", err, res, len(body), res.ContentLength)
			}
		}, "body bytes, then closed"},
		{"raw JSON body", `{"body":{"meta":{"success":true},"data":{"groups":"surprise"}}}`, func(t *testing.T, res *http.Response, body []byte, err error) {
			if err != nil || res.StatusCode != 200 || string(body) != `{"meta":{"success":true},"data":{"groups":"surprise"}}` {
				t.Errorf("%v %v %s", err, res.Status, body)
			}
		}, "answered 200 with a raw body"},
		{"raw text body", `{"body":"<html>Bad Gateway</html>","status":502}`, func(t *testing.T, res *http.Response, body []byte, err error) {
			if err != nil || res.StatusCode != 502 || string(body) != `<html>Bad Gateway</html>` || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
				t.Errorf("%v %v %s", err, res.Status, body)
			}
		}, "answered 502 with a raw body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ns := env.NewNamespace(t, "docs")
			rule := addRule(t, env, ns, `{"vendor":"klipfolio","endpoint":"klipfolio.groups.list","action":`+tt.action+`}`)
			req, _ := http.NewRequest("GET", groups(ns), nil)
			req.Header = kf(ns)
			res, err := fresh.Do(req)
			var body []byte
			if err == nil {
				body, err = io.ReadAll(res.Body)
				res.Body.Close()
			}
			tt.check(t, res, body, err)
			e := lastEntry(t, env, ns)
			if e.Fault == nil || e.Fault.Rule != rule.ID || !strings.Contains(e.Fault.Detail, tt.journal) {
				t.Errorf("journal's fault: %+v", e.Fault)
			}
			if tt.name == "reset" && e.Status != 0 {
				t.Errorf("a reset journaled status %d", e.Status)
			}
			// Other routes are untouched.
			env.Do(t, "GET", groups(ns)+"/nope", nil, kf(ns)).Decode(t, 404, nil)
		})
	}
}

// TestWhen checks times, after, first match wins and rule changes at run
// time.
func TestWhen(t *testing.T) {
	env := testenv.Start(t, registry.All)
	ns := env.NewNamespace(t, "docs")
	url := ns.BaseURL("klipfolio") + "/api/1/groups"
	statuses := func(n int) string {
		var s []string
		for range n {
			s = append(s, fmt.Sprint(env.Do(t, "GET", url, nil, kf(ns)).StatusCode))
		}
		return strings.Join(s, ",")
	}
	once := addRule(t, env, ns, `{"path":"/api/1/*","times":1,"action":{"status":500}}`)
	addRule(t, env, ns, `{"method":"GET","after":2,"times":2,"action":{"status":503}}`)
	// Rule 1 fires once; rule 2 counts only the requests that reach it.
	if got := statuses(6); got != "500,200,200,503,503,200" {
		t.Errorf("statuses %s", got)
	}
	var v fault.RuleView
	env.Do(t, "GET", fmt.Sprintf("%s/faults/%d", env.NamespaceURL(ns), once.ID), nil, nil).Decode(t, 200, &v)
	if v.Matches != 6 || v.Applied != 1 || !v.Expired {
		t.Errorf("rule 1: %+v", v)
	}
	var l struct {
		Faults []fault.RuleView `json:"faults"`
	}
	env.Do(t, "GET", env.NamespaceURL(ns)+"/faults", nil, nil).Decode(t, 200, &l)
	if len(l.Faults) != 2 || l.Faults[1].Applied != 2 || l.Faults[1].Matches != 5 {
		t.Errorf("list: %+v", l.Faults)
	}
	// At run time: a new rule applies at once; deleting it stops it.
	r3 := addRule(t, env, ns, `{"vendor":"klipfolio","action":{"status":418}}`)
	if got := statuses(1); got != "418" {
		t.Errorf("new rule: %s", got)
	}
	env.Do(t, "DELETE", fmt.Sprintf("%s/faults/%d", env.NamespaceURL(ns), r3.ID), nil, nil).Decode(t, 204, nil)
	env.Do(t, "GET", fmt.Sprintf("%s/faults/%d", env.NamespaceURL(ns), r3.ID), nil, nil).Decode(t, 404, nil)
	if got := statuses(1); got != "200" {
		t.Errorf("after delete: %s", got)
	}
	// Another vendor's rule never applies; clear removes all.
	addRule(t, env, ns, `{"vendor":"clinked","action":{"status":500}}`)
	if got := statuses(1); got != "200" {
		t.Errorf("clinked rule on klipfolio: %s", got)
	}
	env.Do(t, "DELETE", env.NamespaceURL(ns)+"/faults", nil, nil).Decode(t, 204, nil)
	env.Do(t, "GET", env.NamespaceURL(ns)+"/faults", nil, nil).Decode(t, 200, &l)
	if len(l.Faults) != 0 {
		t.Errorf("after clear: %+v", l.Faults)
	}
	// New rules after a clear take new ids.
	if r := addRule(t, env, ns, `{"action":{"status":500},"probability":0}`); r.ID <= r3.ID+1 {
		t.Errorf("id %d reused", r.ID)
	}
	if got := statuses(3); got != "200,200,200" {
		t.Errorf("probability 0: %s", got)
	}
}

// TestSeededProbability checks that a fixed seed replays the same faults
// in a new namespace, and that the draws are not all alike.
func TestSeededProbability(t *testing.T) {
	env := testenv.Start(t, registry.All)
	run := func(seed int) string {
		ns := env.NewNamespace(t, "docs")
		env.Do(t, "PUT", env.NamespaceURL(ns)+"/settings/faults", fmt.Sprintf(`{"seed":%d}`, seed), nil).Decode(t, 200, nil)
		addRule(t, env, ns, `{"vendor":"klipfolio","probability":0.5,"action":{"status":503}}`)
		var b strings.Builder
		for range 40 {
			if env.Do(t, "GET", ns.BaseURL("klipfolio")+"/api/1/groups", nil, kf(ns)).StatusCode == 503 {
				b.WriteByte('x')
			} else {
				b.WriteByte('.')
			}
		}
		return b.String()
	}
	a, b, c := run(42), run(42), run(7)
	if a != b {
		t.Errorf("seed 42 gave %s then %s", a, b)
	}
	if a == c {
		t.Errorf("seeds 42 and 7 gave the same faults %s", a)
	}
	if n := strings.Count(a, "x"); n < 8 || n > 32 {
		t.Errorf("probability 0.5 fired %d times of 40: %s", n, a)
	}
}

// TestLatencyHonoursDisconnect: a client that gives up during a ten
// minute wait frees the handler, whose journal entry then shows it.
func TestLatencyHonoursDisconnect(t *testing.T) {
	env := testenv.Start(t, registry.All)
	ns := env.NewNamespace(t, "docs")
	addRule(t, env, ns, `{"vendor":"klipfolio","action":{"latency":"10m"}}`)
	// Moving the namespace clock does not cut the wait short.
	env.Do(t, "POST", env.NamespaceURL(ns)+"/clock", `{"advance":"1h"}`, nil).Decode(t, 200, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ns.BaseURL("klipfolio")+"/api/1/groups", nil)
	req.Header = kf(ns)
	if res, err := fresh.Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("answered %s during ten minutes' latency", res.Status)
	}
	// The entry is journaled once the handler returns; it would never come
	// if the handler kept waiting. Bounded wait, not a timing assertion.
	for range 600 {
		var p struct {
			Requests []journal.Summary `json:"requests"`
		}
		env.Do(t, "GET", env.NamespaceURL(ns)+"/requests", nil, nil).Decode(t, 200, &p)
		if len(p.Requests) == 1 {
			f := p.Requests[0].Fault
			if f == nil || f.Action != "latency" || !strings.Contains(f.Detail, "client went away during a wait of 10m0s") || p.Requests[0].Status != 0 {
				t.Errorf("entry: %+v fault %+v", p.Requests[0], f)
			}
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the handler never returned after the client went away")
}

// TestPresets checks each vendor's presets in its own envelope.
func TestPresets(t *testing.T) {
	env := testenv.Start(t, registry.All)
	ns := env.NewNamespace(t, "docs")
	var presets struct {
		Presets []fault.PresetView `json:"presets"`
	}
	env.Do(t, "GET", env.Control+"/_standin/faults/presets", nil, nil).Decode(t, 200, &presets)
	names := map[string]bool{}
	for _, p := range presets.Presets {
		names[p.Name] = true
	}
	bearer := func(v string) http.Header {
		return http.Header{"Authorization": {"Bearer " + ns.Cred(v, "access_token")}}
	}
	tests := []struct {
		preset, url string
		header      http.Header
		status      int
		body        string
		headers     map[string]string
	}{
		{"clinked.token_expired", ns.BaseURL("clinked") + "/v3/userinfo", bearer("clinked"), 401,
			`{"error":"invalid_token","error_description":"Access token expired"}`,
			map[string]string{"WWW-Authenticate": `Bearer realm="oauth", error="invalid_token", error_description="Access token expired"`}},
		{"clinked.rate_limited", ns.BaseURL("clinked") + "/v3/userinfo", bearer("clinked"), 429,
			`{"status":429,"error":"Too Many Requests","message":"Rate limit exceeded: at most 2000 requests per 300 seconds from one IP address","path":"/v3/userinfo"}`,
			map[string]string{"Retry-After": "60"}},
		{"worksection.hash_invalid", ns.BaseURL("worksection") + "/api/admin/v2/?action=get_users&hash=x", nil, 200,
			`{"status":"error","status_code":2,"message":"Action hash is missed or invalid"}`, nil},
		{"worksection.token_expired", ns.BaseURL("worksection") + "/api/oauth2?action=get_users", bearer("worksection"), 401,
			`{"status":"error","message":"Access token is expired"}`, nil},
		{"workdrive.unauthorized", ns.BaseURL("workdrive") + "/api/users", http.Header{"X-Api-Key": {ns.Cred("workdrive", "api_key")}}, 401,
			`{"statusCode":401,"message":"Unauthorized","error":"Unauthorized"}`, nil},
		{"workdrive.rate_limited", ns.BaseURL("workdrive") + "/api/users", nil, 429,
			`{"statusCode":429,"message":"ThrottlerException: Too Many Requests"}`, map[string]string{"Retry-After": "60"}},
		{"klipfolio.rate_limited", ns.BaseURL("klipfolio") + "/api/1/groups", kf(ns), 429,
			`{"meta":{"success":false,"status":429,"error_code":"rate_limited","error_desc":"API rate limit exceeded. Retry after 60 seconds."}}`,
			map[string]string{"Retry-After": "60"}},
	}
	for _, tt := range tests {
		t.Run(tt.preset, func(t *testing.T) {
			if !names[tt.preset] {
				t.Fatalf("preset %s not listed", tt.preset)
			}
			rule := addRule(t, env, ns, `{"preset":"`+tt.preset+`","times":1}`)
			vendor, _, _ := strings.Cut(tt.preset, ".")
			if rule.Vendor != vendor {
				t.Errorf("rule's vendor %q", rule.Vendor)
			}
			res := env.Do(t, "GET", tt.url, nil, tt.header)
			if res.StatusCode != tt.status || strings.TrimSpace(string(res.Body)) != tt.body {
				t.Errorf("%d %s", res.StatusCode, res.Body)
			}
			for k, v := range tt.headers {
				if res.Header.Get(k) != v {
					t.Errorf("%s: %q, want %q", k, res.Header.Get(k), v)
				}
			}
			e := lastEntry(t, env, ns)
			if e.Fault == nil || e.Fault.Preset != tt.preset || e.Fault.Action != "preset" {
				t.Errorf("journal: %+v", e.Fault)
			}
			// times: 1: the next request goes through.
			env.Do(t, "GET", tt.url, nil, tt.header)
			if e := lastEntry(t, env, ns); e.Fault != nil {
				t.Errorf("preset fired twice: %+v", e.Fault)
			}
		})
	}
}

// TestStatusEnvelopes checks a plain status in each vendor's envelope.
func TestStatusEnvelopes(t *testing.T) {
	env := testenv.Start(t, registry.All)
	ns := env.NewNamespace(t, "docs")
	addRule(t, env, ns, `{"action":{"status":503}}`)
	for _, tt := range []struct{ url, body string }{
		{ns.BaseURL("clinked") + "/v3/userinfo", `{"status":503,"error":"Service Unavailable","message":"Service Unavailable","path":"/v3/userinfo"}`},
		{ns.BaseURL("worksection") + "/api/oauth2?action=get_users", `{"status":"error","status_code":503,"message":"Service Unavailable"}`},
		{ns.BaseURL("workdrive") + "/api/users", `{"statusCode":503,"message":"Service Unavailable","error":"Service Unavailable"}`},
		{ns.BaseURL("klipfolio") + "/api/1/groups", `{"meta":{"success":false,"status":503,"error_code":"service_unavailable","error_desc":"Service Unavailable"}}`},
	} {
		res := env.Do(t, "GET", tt.url, nil, nil)
		if res.StatusCode != 503 || strings.TrimSpace(string(res.Body)) != tt.body {
			t.Errorf("%s: %d %s", tt.url, res.StatusCode, res.Body)
		}
	}
}

// TestWorksectionEndpoint matches a Worksection action given in a form
// body by its catalog id.
func TestWorksectionEndpoint(t *testing.T) {
	env := testenv.Start(t, registry.All)
	ns := env.NewNamespace(t, "docs")
	addRule(t, env, ns, `{"endpoint":"worksection.get_contacts","action":{"status":500}}`)
	h := http.Header{"Authorization": {"Bearer " + ns.Cred("worksection", "access_token")}}
	res := env.Do(t, "POST", ns.BaseURL("worksection")+"/api/oauth2", "action=get_contacts", http.Header{
		"Authorization": h["Authorization"], "Content-Type": {"application/x-www-form-urlencoded"}})
	if res.StatusCode != 500 {
		t.Errorf("get_contacts in the body: %d %s", res.StatusCode, res.Body)
	}
	if res := env.Do(t, "GET", ns.BaseURL("worksection")+"/api/oauth2?action=get_users", nil, h); res.StatusCode != 200 {
		t.Errorf("get_users: %d %s", res.StatusCode, res.Body)
	}
}

// TestRuleValidation checks that bad rules are 400s naming the problem.
func TestRuleValidation(t *testing.T) {
	env := testenv.Start(t, registry.All)
	ns := env.NewNamespace(t, "empty")
	for _, tt := range []struct{ body, want string }{
		{`{"preset":"clinked.nope"}`, "unknown preset"},
		{`{"preset":"clinked.token_expired","vendor":"klipfolio"}`, "clinked's"},
		{`{"preset":"clinked.token_expired","action":{"status":500}}`, "not both"},
		{`{"vendor":"salesforce","action":{"status":500}}`, "unknown vendor"},
		{`{"action":{"status":500},"probability":1.5}`, "probability"},
		{`{"action":{"status":500},"times":-1}`, "negative"},
		{`{"action":{"status":700}}`, "action.status"},
		{`{"action":{"status":500,"reset":true}}`, "one of"},
		{`{"action":{}}`, "give status"},
		{`{}`, "action"},
		{`{"action":{"latency":"soon"}}`, "latency"},
		{`{"action":{"latency":{"p50":"2s","p99":"1s"}}}`, "p99"},
		{`{"action":{"status":500},"path":"api"}`, "path"},
		{`{"action":{"status":500},"path":"/a","endpoint":"b"}`, "not both"},
		{`{"action":{"status":500},"endpoint":"klipfolio.group.list"}`, "no catalog endpoint"},
		{`{"action":{"status":500},"vendor":"clinked","endpoint":"klipfolio.*"}`, "no catalog endpoint"},
		{`{"action":{"status":500},"fail_rate":0.5}`, "fail_rate"},
		{`{"action":{"status":"500"}}`, "action.status"},
		{`[]`, "object"},
		{`{`, "malformed"},
	} {
		res := env.Do(t, "POST", env.NamespaceURL(ns)+"/faults", tt.body, nil)
		var e struct {
			Error string `json:"error"`
		}
		_ = json.Unmarshal(res.Body, &e)
		if res.StatusCode != 400 || !strings.Contains(e.Error, tt.want) {
			t.Errorf("%s: %d %s, want 400 naming %q", tt.body, res.StatusCode, res.Body, tt.want)
		}
	}
	env.Do(t, "GET", env.NamespaceURL(ns)+"/faults/x", nil, nil).Decode(t, 404, nil)
	env.Do(t, "DELETE", env.NamespaceURL(ns)+"/faults/99", nil, nil).Decode(t, 404, nil)
	env.Do(t, "GET", env.Control+"/_standin/namespaces/nope/faults", nil, nil).Decode(t, 404, nil)
}

// TestTwoProcesses: a rule made through one process applies on the other
// at once, and its times hold across both.
func TestTwoProcesses(t *testing.T) {
	db := testenv.DB(t)
	a := testenv.StartOn(t, db, registry.All)
	b := testenv.StartOn(t, db, registry.All)
	ns := a.NewNamespace(t, "docs")
	addRule(t, a, ns, `{"vendor":"klipfolio","times":2,"action":{"status":503}}`)
	var got []string
	for i := range 4 {
		env := []*testenv.Env{b, a}[i%2]
		got = append(got, fmt.Sprint(env.Do(t, "GET", ns.BaseURL("klipfolio")+"/api/1/groups", nil, kf(ns)).StatusCode))
	}
	if strings.Join(got, ",") != "503,503,200,200" {
		t.Errorf("statuses across processes: %v", got)
	}
}
