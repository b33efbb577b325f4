package journal_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/standin-dev/standin/internal/journal"
	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/testenv"
)

type page struct {
	Requests   []journal.Summary `json:"requests"`
	NextCursor string            `json:"next_cursor"`
}

func list(t *testing.T, env *testenv.Env, ns *testenv.Namespace, query string) page {
	t.Helper()
	var p page
	env.Do(t, "GET", env.NamespaceURL(ns)+"/requests?"+query, nil, nil).Decode(t, 200, &p)
	return p
}

func kf(ns *testenv.Namespace) http.Header {
	return http.Header{"Kf-Api-Key": {ns.Cred("klipfolio", "api_key")}}
}

// TestRedaction sends each vendor requests that carry the namespace's
// secrets in headers, queries, forms, JSON bodies and answers, and checks
// that no journal response (list, entry, verify, stream) shows any of them.
func TestRedaction(t *testing.T) {
	env := testenv.Start(t, registry.All)
	ns := env.NewNamespace(t, "docs")
	c := func(v, k string) string { return ns.Cred(v, k) }
	secrets := map[string]string{}
	for v, creds := range ns.Vendors {
		for k, val := range creds {
			s, isString := val.(string)
			switch k {
			case "base_url", "username", "email", "client_id", "org_id", "user_id":
				continue
			}
			if isString && s != "" {
				secrets[v+"."+k] = s
			}
		}
	}
	if len(secrets) < 8 {
		t.Fatalf("too few secrets to look for: %v", secrets)
	}

	// Klipfolio: API key header, HTTP Basic, a JSON body with a password.
	env.Do(t, "GET", ns.BaseURL("klipfolio")+"/api/1/groups", nil, kf(ns)).Decode(t, 200, nil)
	basic := http.Header{"Authorization": {"Basic " + basicAuth(c("klipfolio", "email"), c("klipfolio", "password"))}}
	env.Do(t, "GET", ns.BaseURL("klipfolio")+"/api/1/groups", nil, basic).Decode(t, 200, nil)
	env.Do(t, "POST", ns.BaseURL("klipfolio")+"/api/1/groups",
		map[string]any{"name": "g", "description": "d", "password": c("klipfolio", "password"), "nested": map[string]string{"api_key": c("klipfolio", "api_key")}}, kf(ns))
	// Clinked: the password grant in the query, then its tokens.
	var tok struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	q := url.Values{"client_id": {"clinked-mobile"}, "grant_type": {"password"}, "username": {c("clinked", "username")}, "password": {c("clinked", "password")}}
	env.Do(t, "GET", ns.BaseURL("clinked")+"/oauth/token?"+q.Encode(), nil, nil).Decode(t, 200, &tok)
	if tok.AccessToken == "" {
		t.Fatal("no Clinked access token")
	}
	secrets["clinked.minted_access_token"] = tok.AccessToken
	if tok.RefreshToken != "" {
		secrets["clinked.minted_refresh_token"] = tok.RefreshToken
	}
	env.Do(t, "GET", ns.BaseURL("clinked")+"/v3/userinfo", nil, http.Header{"Authorization": {"Bearer " + tok.AccessToken}}).Decode(t, 200, nil)
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {c("clinked", "client_id")}, "client_secret": {c("clinked", "client_secret")}}
	env.Do(t, "POST", ns.BaseURL("clinked")+"/oauth/token", form, nil)
	// Worksection: a bearer token, and the admin API's hash.
	env.Do(t, "GET", ns.BaseURL("worksection")+"/api/oauth2?action=get_users", nil,
		http.Header{"Authorization": {"Bearer " + c("worksection", "access_token")}}).Decode(t, 200, nil)
	env.Do(t, "GET", ns.BaseURL("worksection")+"/api/admin/v2/?action=get_users&hash="+c("worksection", "api_key"), nil, nil)
	env.Do(t, "POST", ns.BaseURL("worksection")+"/oauth2/token",
		url.Values{"client_id": {c("worksection", "client_id")}, "client_secret": {c("worksection", "client_secret")}, "grant_type": {"client_credentials"}}, nil)
	// WorkDrive: the API key header, both keys.
	env.Do(t, "GET", ns.BaseURL("workdrive")+"/api/users", nil, http.Header{"X-Api-Key": {c("workdrive", "api_key")}}).Decode(t, 200, nil)
	env.Do(t, "GET", ns.BaseURL("workdrive")+"/api/users", nil, http.Header{"X-Api-Key": {c("workdrive", "superadmin_api_key")}})

	var seen []string
	check := func(what string, body []byte) {
		t.Helper()
		seen = append(seen, what)
		for name, s := range secrets {
			if strings.Contains(string(body), s) {
				t.Errorf("%s shows %s", what, name)
			}
		}
	}
	res := env.Do(t, "GET", env.NamespaceURL(ns)+"/requests?limit=1000", nil, nil)
	check("the list", res.Body)
	var p page
	res.Decode(t, 200, &p)
	if len(p.Requests) < 11 {
		t.Fatalf("journal holds %d entries, want at least 11", len(p.Requests))
	}
	var sawMarker bool
	for _, s := range p.Requests {
		e := env.Do(t, "GET", fmt.Sprintf("%s/requests/%d", env.NamespaceURL(ns), s.ID), nil, nil)
		check(fmt.Sprintf("entry %d (%s %s)", s.ID, s.Method, s.Path), e.Body)
		var ent journal.Entry
		e.Decode(t, 200, &ent)
		if v := ent.Request.Headers["Kf-Api-Key"]; len(v) == 1 {
			key := c("klipfolio", "api_key")
			if v[0] != journal.Marker+key[len(key)-4:] {
				t.Errorf("Kf-Api-Key journaled as %q, want the marker and the last 4 characters", v[0])
			}
			sawMarker = true
		}
	}
	if !sawMarker {
		t.Error("no entry carries the Kf-Api-Key header")
	}
	// Verify's near misses show requests too.
	res = env.Do(t, "POST", env.NamespaceURL(ns)+"/requests/verify", `{"vendor":"clinked","path":"/oauth/tokens","body_contains":"client"}`, nil)
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("verify: %d %s", res.StatusCode, res.Body)
	}
	check("verify's near misses", res.Body)
	// The stream from the first entry.
	check("the stream", readStream(t, env, ns, "after=0", len(p.Requests)))
	t.Logf("checked %d responses against %d secrets", len(seen), len(secrets))
}

func basicAuth(user, pass string) string {
	req, _ := http.NewRequest("GET", "http://x", nil)
	req.SetBasicAuth(user, pass)
	return strings.TrimPrefix(req.Header.Get("Authorization"), "Basic ")
}

// readStream reads n events from the journal's stream and returns them.
func readStream(t *testing.T, env *testenv.Env, ns *testenv.Namespace, query string, n int) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", env.NamespaceURL(ns)+"/requests/stream?"+query, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("stream: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	var out strings.Builder
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	events := 0
	for events < n && sc.Scan() {
		line := sc.Text()
		out.WriteString(line + "\n")
		if strings.HasPrefix(line, "data: ") {
			var s journal.Summary
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &s); err != nil {
				t.Fatalf("stream event is not a summary: %v: %s", err, line)
			}
			events++
		}
	}
	if events < n {
		t.Fatalf("stream ended after %d of %d events: %v", events, n, sc.Err())
	}
	return []byte(out.String())
}

// TestFiltersAndCursor checks every list filter and pages through the
// journal with the cursor.
func TestFiltersAndCursor(t *testing.T) {
	env := testenv.Start(t, registry.All)
	ns := env.NewNamespace(t, "docs")
	kfURL := ns.BaseURL("klipfolio") + "/api/1/groups"
	env.Do(t, "GET", kfURL, nil, kf(ns)).Decode(t, 200, nil)                                                 // 1
	env.Do(t, "GET", kfURL+"/nope", nil, kf(ns)).Decode(t, 404, nil)                                         // 2
	env.Do(t, "POST", kfURL, map[string]string{"name": "n", "description": "d"}, kf(ns)).Decode(t, 201, nil) // 3
	env.Do(t, "GET", kfURL, nil, nil).Decode(t, 401, nil)                                                    // 4
	// The namespace clock moves an hour: since and until use it.
	env.Do(t, "POST", env.NamespaceURL(ns)+"/clock", `{"advance":"1h"}`, nil).Decode(t, 200, nil)
	var clock struct {
		Now string `json:"now"`
	}
	env.Do(t, "GET", env.NamespaceURL(ns)+"/clock", nil, nil).Decode(t, 200, &clock)
	env.Do(t, "GET", ns.BaseURL("workdrive")+"/api/users", nil, http.Header{"X-Api-Key": {ns.Cred("workdrive", "api_key")}}).Decode(t, 200, nil)                    // 5
	env.Do(t, "GET", ns.BaseURL("clinked")+"/v3/userinfo", nil, http.Header{"Authorization": {"Bearer " + ns.Cred("clinked", "access_token")}}).Decode(t, 200, nil) // 6

	ids := func(p page) string {
		var s []string
		for _, r := range p.Requests {
			s = append(s, fmt.Sprint(r.ID))
		}
		return strings.Join(s, ",")
	}
	since := url.QueryEscape(clock.Now)
	tests := []struct{ query, want string }{
		{"", "6,5,4,3,2,1"},
		{"vendor=klipfolio", "4,3,2,1"},
		{"vendor=workdrive", "5"},
		{"method=post", "3"},
		{"path=/api/1/groups", "4,3,1"},
		{"path=/api/1/groups/*", "2"},
		{"path=*/GROUPS*", "4,3,2,1"},
		{"path=/api/?/groups", "4,3,1"},
		{"endpoint=klipfolio.groups.list", "4,1"},
		{"endpoint=klipfolio.groups.*", "4,3,2,1"},
		{"endpoint=clinked.userinfo.get", "6"},
		{"status=404", "2"},
		{"status=4xx", "4,2"},
		{"status=2xx", "6,5,3,1"},
		{"since=" + since, "6,5"},
		{"until=" + since, "4,3,2,1"},
		{"vendor=klipfolio&method=GET&status=2xx", "1"},
	}
	for _, tt := range tests {
		if got := ids(list(t, env, ns, tt.query)); got != tt.want {
			t.Errorf("?%s: %s, want %s", tt.query, got, tt.want)
		}
	}
	// The cursor pages through everything once, newest first.
	var got []string
	cursor := ""
	for range 10 {
		p := list(t, env, ns, "limit=4&cursor="+cursor)
		got = append(got, ids(p))
		if p.NextCursor == "" {
			break
		}
		cursor = p.NextCursor
	}
	if strings.Join(got, "|") != "6,5,4,3|2,1" {
		t.Errorf("pages: %q", got)
	}
	p := list(t, env, ns, "vendor=klipfolio&limit=3")
	p2 := list(t, env, ns, "vendor=klipfolio&limit=3&cursor="+p.NextCursor)
	if ids(p)+"|"+ids(p2) != "4,3,2|1" || p2.NextCursor != "" {
		t.Errorf("filtered pages: %s|%s next %q", ids(p), ids(p2), p2.NextCursor)
	}
	// One entry in full, and bad parameters.
	var e journal.Entry
	env.Do(t, "GET", env.NamespaceURL(ns)+"/requests/3", nil, nil).Decode(t, 200, &e)
	if e.Method != "POST" || !strings.Contains(e.Request.Body, `"name":"n"`) || e.Status != 201 || !strings.Contains(e.Response.Body, `"success":true`) ||
		e.Route != "POST /api/1/groups" || e.Endpoint != "klipfolio.groups.create" || e.RequestID == "" {
		t.Errorf("entry 3: %+v", e)
	}
	for _, bad := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/requests?status=6xx", 400}, {"GET", "/requests?status=abc", 400},
		{"GET", "/requests?since=yesterday", 400}, {"GET", "/requests?cursor=x", 400},
		{"GET", "/requests?limit=x", 400}, {"GET", "/requests/999", 404}, {"GET", "/requests/x", 404},
	} {
		res := env.Do(t, bad.method, env.NamespaceURL(ns)+bad.path, nil, nil)
		if res.StatusCode != bad.status || !strings.Contains(string(res.Body), `"error"`) {
			t.Errorf("%s %s: %d %s", bad.method, bad.path, res.StatusCode, res.Body)
		}
	}
	// Clearing empties it; numbering goes on.
	env.Do(t, "DELETE", env.NamespaceURL(ns)+"/requests", nil, nil).Decode(t, 204, nil)
	if p := list(t, env, ns, ""); len(p.Requests) != 0 {
		t.Errorf("after clear: %s", ids(p))
	}
	env.Do(t, "GET", kfURL, nil, kf(ns)).Decode(t, 200, nil)
	if p := list(t, env, ns, ""); ids(p) != "7" {
		t.Errorf("after clear and one request: %s", ids(p))
	}
}

type verdict struct {
	Matched    bool               `json:"matched"`
	Count      int                `json:"count"`
	Expected   string             `json:"expected"`
	NearMisses []journal.NearMiss `json:"near_misses"`
}

// TestVerify checks counts and near misses with their explanations.
func TestVerify(t *testing.T) {
	env := testenv.Start(t, registry.All)
	ns := env.NewNamespace(t, "docs")
	kfURL := ns.BaseURL("klipfolio") + "/api/1/groups"
	env.Do(t, "GET", kfURL, nil, kf(ns)).Decode(t, 200, nil)
	env.Do(t, "GET", kfURL, nil, kf(ns)).Decode(t, 200, nil)
	env.Do(t, "POST", kfURL, map[string]string{"name": "Inspectors", "description": "Sector 7G"}, kf(ns)).Decode(t, 201, nil)
	env.Do(t, "GET", ns.BaseURL("klipfolio")+"/api/1/group", nil, kf(ns)).Decode(t, 404, nil)

	verify := func(body string, status int) verdict {
		t.Helper()
		var v verdict
		env.Do(t, "POST", env.NamespaceURL(ns)+"/requests/verify", body, nil).Decode(t, status, &v)
		return v
	}
	tests := []struct {
		body   string
		status int
		count  int
	}{
		{`{"vendor":"klipfolio","method":"GET","path":"/api/1/groups"}`, 200, 2},
		{`{"vendor":"klipfolio","method":"GET","path":"/api/1/groups","count":2}`, 200, 2},
		{`{"vendor":"klipfolio","method":"GET","path":"/api/1/groups","count":3}`, 409, 2},
		{`{"vendor":"klipfolio","method":"GET","path":"/api/1/groups","at_least":3}`, 409, 2},
		{`{"vendor":"klipfolio","method":"GET","path":"/api/1/groups","at_most":1}`, 409, 2},
		{`{"vendor":"klipfolio","endpoint":"klipfolio.groups.list","at_least":1,"at_most":2}`, 200, 2},
		{`{"vendor":"klipfolio","path":"/api/1/*"}`, 200, 4},
		{`{"method":"POST","body_contains":"Sector 7G"}`, 200, 1},
		{`{"method":"POST","body_contains":"Sector 8G","count":0}`, 200, 0},
	}
	for _, tt := range tests {
		if v := verify(tt.body, tt.status); v.Count != tt.count {
			t.Errorf("%s: count %d, want %d", tt.body, v.Count, tt.count)
		}
	}

	// A near miss: the client sent GET /api/1/group, the test expects
	// POST /api/1/groups with a body.
	v := verify(`{"vendor":"klipfolio","method":"GET","path":"/api/1/groupz"}`, 409)
	if v.Matched || v.Count != 0 || len(v.NearMisses) == 0 || len(v.NearMisses) > 5 {
		t.Fatalf("verdict: %+v", v)
	}
	first := v.NearMisses[0]
	if first.Request.Path != "/api/1/group" && first.Request.Path != "/api/1/groups" {
		t.Errorf("closest near miss is %s %s", first.Request.Method, first.Request.Path)
	}
	if len(first.Differences) != 1 || first.Differences[0].Field != "path" || first.Differences[0].Expected != "/api/1/groupz" {
		t.Errorf("near miss explanation: %+v", first.Differences)
	}
	v = verify(`{"vendor":"klipfolio","method":"POST","path":"/api/1/groups","body_contains":"Sector 9"}`, 409)
	if len(v.NearMisses) == 0 {
		t.Fatalf("no near misses: %+v", v)
	}
	d := v.NearMisses[0]
	if d.Request.Method != "POST" || len(d.Differences) != 1 || d.Differences[0].Field != "body" || !strings.Contains(d.Differences[0].Actual, "Sector 7G") {
		t.Errorf("body near miss: %+v", d)
	}
	v = verify(`{"vendor":"klipfolio","method":"DELETE","path":"/api/1/groups"}`, 409)
	if len(v.NearMisses) == 0 || v.NearMisses[0].Differences[0].Field != "method" || v.NearMisses[0].Differences[0].Actual == "" {
		t.Errorf("method near miss: %+v", v.NearMisses)
	}

	for _, bad := range []string{
		`{"path":"/a","endpoint":"b"}`, `{"count":1,"at_least":1}`, `{"count":-1}`, `{"at_least":3,"at_most":1}`,
		`{"pth":"/a"}`, `{"count":"1"}`, `[1]`, `{`, ``,
	} {
		res := env.Do(t, "POST", env.NamespaceURL(ns)+"/requests/verify", bad, nil)
		if res.StatusCode != 400 {
			t.Errorf("verify %s: %d %s", bad, res.StatusCode, res.Body)
		}
	}
	res := env.Do(t, "POST", env.NamespaceURL(ns)+"/requests/verify", `{"pth":"/a"}`, nil)
	if !strings.Contains(string(res.Body), "pth") {
		t.Errorf("unknown field not named: %s", res.Body)
	}
}

// TestRetentionAndSwitch checks that a namespace keeps its newest
// max_entries and that journaling can be switched off.
func TestRetentionAndSwitch(t *testing.T) {
	env := testenv.Start(t, registry.All)
	ns := env.NewNamespace(t, "docs")
	env.Do(t, "PATCH", env.NamespaceURL(ns)+"/settings/journal", `{"max_entries":5}`, nil).Decode(t, 200, nil)
	for range 8 {
		env.Do(t, "GET", ns.BaseURL("klipfolio")+"/api/1/groups", nil, kf(ns)).Decode(t, 200, nil)
	}
	p := list(t, env, ns, "")
	if len(p.Requests) != 5 || p.Requests[0].ID != 8 || p.Requests[4].ID != 4 {
		t.Fatalf("kept %d entries, %+v", len(p.Requests), p.Requests)
	}
	env.Do(t, "GET", env.NamespaceURL(ns)+"/requests/3", nil, nil).Decode(t, 404, nil)

	env.Do(t, "PATCH", env.NamespaceURL(ns)+"/settings/journal", `{"enabled":false}`, nil).Decode(t, 200, nil)
	env.Do(t, "GET", ns.BaseURL("klipfolio")+"/api/1/groups", nil, kf(ns)).Decode(t, 200, nil)
	if p := list(t, env, ns, ""); p.Requests[0].ID != 8 {
		t.Errorf("journaled with the journal off: %+v", p.Requests[0])
	}
	env.Do(t, "PATCH", env.NamespaceURL(ns)+"/settings/journal", `{"enabled":true,"body_limit_bytes":10}`, nil).Decode(t, 200, nil)
	env.Do(t, "GET", ns.BaseURL("klipfolio")+"/api/1/groups", nil, kf(ns)).Decode(t, 200, nil)
	var e journal.Entry
	env.Do(t, "GET", env.NamespaceURL(ns)+"/requests/9", nil, nil).Decode(t, 200, &e)
	if len(e.Response.Body) != 10 || !e.Response.BodyTruncated || e.Response.BodySize <= 10 {
		t.Errorf("capped body: %q truncated %v size %d", e.Response.Body, e.Response.BodyTruncated, e.Response.BodySize)
	}
	// Other namespaces keep their own journal; deleting one deletes its.
	other := env.NewNamespace(t, "docs")
	env.Do(t, "GET", other.BaseURL("klipfolio")+"/api/1/groups", nil, kf(other)).Decode(t, 200, nil)
	if p := list(t, env, other, ""); len(p.Requests) != 1 || p.Requests[0].ID != 1 {
		t.Errorf("other namespace: %+v", p.Requests)
	}
	env.Do(t, "DELETE", env.NamespaceURL(other), nil, nil).Decode(t, 204, nil)
	var n int
	if err := env.DB.QueryRow(`SELECT count(*) FROM standin_journal WHERE ns = $1`, other.ID).Scan(&n); err != nil || n != 0 {
		t.Errorf("deleted namespace left %d entries (%v)", n, err)
	}
}

// TestTwoProcesses runs two standins on one database: what one journals,
// the other lists and streams.
func TestTwoProcesses(t *testing.T) {
	db := testenv.DB(t)
	a := testenv.StartOn(t, db, registry.All)
	b := testenv.StartOn(t, db, registry.All)
	ns := a.NewNamespace(t, "docs")
	for range 3 {
		a.Do(t, "GET", ns.BaseURL("klipfolio")+"/api/1/groups", nil, kf(ns)).Decode(t, 200, nil)
	}
	// Process a commits within journal.FlushInterval; b does not flush a's
	// buffer, so wait for the commit (bounded).
	var p page
	for range 200 {
		p = list(t, b, ns, "")
		if len(p.Requests) == 3 {
			break
		}
		time.Sleep(journal.FlushInterval)
	}
	if len(p.Requests) != 3 {
		t.Fatalf("process b sees %d of 3 entries", len(p.Requests))
	}
	// b's stream shows a's new requests.
	done := make(chan []byte, 1)
	go func() {
		done <- readStreamNoFatal(b, ns, "after=3", 2)
	}()
	a.Do(t, "GET", ns.BaseURL("klipfolio")+"/api/1/groups", nil, kf(ns)).Decode(t, 200, nil)
	a.Do(t, "GET", ns.BaseURL("klipfolio")+"/api/1/groups/x", nil, kf(ns))
	out := <-done
	if !strings.Contains(string(out), `"id":4`) || !strings.Contains(string(out), `"id":5`) {
		t.Errorf("b's stream: %s", out)
	}
	// A filtered stream shows only what matches.
	go func() {
		done <- readStreamNoFatal(b, ns, "after=5&vendor=workdrive", 1)
	}()
	a.Do(t, "GET", ns.BaseURL("klipfolio")+"/api/1/groups", nil, kf(ns)).Decode(t, 200, nil)
	a.Do(t, "GET", ns.BaseURL("workdrive")+"/api/users", nil, http.Header{"X-Api-Key": {ns.Cred("workdrive", "api_key")}}).Decode(t, 200, nil)
	if out := string(<-done); !strings.Contains(out, `"id":7`) || !strings.Contains(out, `"vendor":"workdrive"`) || strings.Contains(out, `"id":6`) {
		t.Errorf("filtered stream: %s", out)
	}
	// Both see the same numbering: a's own view agrees.
	if p := list(t, a, ns, ""); len(p.Requests) != 7 || p.Requests[0].ID != 7 {
		t.Errorf("a's list: %+v", p.Requests)
	}
}

// readStreamNoFatal reads n events from the stream of ns, or what came
// within 30 seconds.
func readStreamNoFatal(env *testenv.Env, ns *testenv.Namespace, query string, n int) []byte {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", env.NamespaceURL(ns)+"/requests/stream?"+query, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return []byte(err.Error())
	}
	defer res.Body.Close()
	var out strings.Builder
	sc := bufio.NewScanner(res.Body)
	for events := 0; events < n && sc.Scan(); {
		out.WriteString(sc.Text() + "\n")
		if strings.HasPrefix(sc.Text(), "data: ") {
			events++
		}
	}
	return []byte(out.String())
}

// TestBodies checks the capture of request bodies: read ahead (kept when
// the handler refuses the request unread), kept as read for a client that
// waits for 100 Continue, cut at the cap, and base64 when not text.
func TestBodies(t *testing.T) {
	env := testenv.Start(t, registry.All)
	ns := env.NewNamespace(t, "docs")
	env.Do(t, "PATCH", env.NamespaceURL(ns)+"/settings/journal", `{"body_limit_bytes":32}`, nil).Decode(t, 200, nil)
	url := ns.BaseURL("klipfolio") + "/api/1/groups"
	// No credentials: refused before the body is read.
	env.Do(t, "POST", url, `{"name":"unread"}`, nil).Decode(t, 401, nil)
	// A client waiting for 100 Continue.
	env.Do(t, "POST", url, `{"name":"continued","description":"d"}`, http.Header{
		"Kf-Api-Key": {ns.Cred("klipfolio", "api_key")}, "Expect": {"100-continue"}, "Content-Type": {"application/json"}}).Decode(t, 201, nil)
	// Over the cap, and not text.
	env.Do(t, "POST", url, `{"name":"`+strings.Repeat("x", 100)+`","description":"d"}`, kf(ns))
	env.Do(t, "POST", url, []byte{0xff, 0xfe, 0, 1}, kf(ns))
	var es []journal.Entry
	for id := 1; id <= 4; id++ {
		var e journal.Entry
		env.Do(t, "GET", fmt.Sprintf("%s/requests/%d", env.NamespaceURL(ns), id), nil, nil).Decode(t, 200, &e)
		es = append(es, e)
	}
	if !strings.Contains(es[0].Request.Body, `"unread"`) || es[0].Request.BodyTruncated {
		t.Errorf("unread body: %+v", es[0].Request)
	}
	if !strings.HasPrefix(es[1].Request.Body, `{"name":"continued"`) || len(es[1].Request.Body) != 32 || !es[1].Request.BodyTruncated {
		t.Errorf("100-continue body: %+v", es[1].Request)
	}
	if len(es[2].Request.Body) != 32 || !es[2].Request.BodyTruncated || es[2].Request.BodySize != 129 {
		t.Errorf("capped body: %+v", es[2].Request)
	}
	if es[3].Request.BodyEncoding != "base64" || es[3].Request.Body != "//4AAQ==" {
		t.Errorf("binary body: %+v", es[3].Request)
	}
}

// TestStopStreams: a server shutting down ends the journal's streams.
func TestStopStreams(t *testing.T) {
	env := testenv.Start(t, registry.All)
	ns := env.NewNamespace(t, "empty")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", env.NamespaceURL(ns)+"/requests/stream", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	env.App.Journal().StopStreams()
	if _, err := io.ReadAll(res.Body); err != nil || ctx.Err() != nil {
		t.Fatalf("stream did not end: %v %v", err, ctx.Err())
	}
}
