package clinked_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/standin-dev/standin/internal/clinked"
	"github.com/standin-dev/standin/internal/testenv"
)

func TestRateLimitDocumentedDefault(t *testing.T) {
	env, ns := startIn(t, "empty")
	url := base(ns) + "/v3/userinfo"
	for i := range 2000 {
		if res := env.Do(t, "GET", url, nil, bearer(token(ns))); res.StatusCode != 200 {
			t.Fatalf("request %d: %d %s", i+1, res.StatusCode, res.Body)
		}
	}
	res := env.Do(t, "GET", url, nil, bearer(token(ns)))
	if res.StatusCode != 429 || res.Header.Get("Retry-After") == "" || res.JSON(t)["status"] != float64(429) {
		t.Fatalf("request 2001: %d %v %s", res.StatusCode, res.Header, res.Body)
	}
	// Another namespace has its own count.
	other := env.NewNamespace(t, "empty")
	if res := env.Do(t, "GET", base(other)+"/v3/userinfo", nil, bearer(token(other))); res.StatusCode != 200 {
		t.Errorf("other namespace: %d", res.StatusCode)
	}
}

func TestRateLimitRecoversAndIsShared(t *testing.T) {
	env := start(t)
	// A second standin process on the same database.
	env2 := testenv.StartOn(t, env.DB, testenv.Only(clinked.New))
	env2.Clock.Set(env.Clock.Now()) // one machine, one clock
	ns := env.NewNamespace(t, "docs")
	settings(t, env, ns, map[string]any{"rate_limit": map[string]any{"limit": 10, "window_seconds": 300}})
	url1 := base(ns) + "/v3/userinfo"
	url2 := env2.URLs["clinked"] + "/ns/" + ns.ID + "/v3/userinfo"
	for i := range 10 {
		u := url1
		if i%2 == 1 {
			u = url2 // both processes count into one limit
		}
		if res := env.Do(t, "GET", u, nil, bearer(token(ns))); res.StatusCode != 200 {
			t.Fatalf("request %d: %d %s", i+1, res.StatusCode, res.Body)
		}
	}
	var retry int
	for _, u := range []string{url1, url2} {
		res := env.Do(t, "GET", u, nil, bearer(token(ns)))
		if res.StatusCode != 429 {
			t.Fatalf("request 11 via %s: %d", u, res.StatusCode)
		}
		if m := res.JSON(t); m["error"] != "Too Many Requests" || m["message"] == nil {
			t.Errorf("429 body: %s", res.Body)
		}
		var err error
		if retry, err = strconv.Atoi(res.Header.Get("Retry-After")); err != nil || retry < 1 {
			t.Fatalf("Retry-After %q", res.Header.Get("Retry-After"))
		}
	}
	// Still blocked a second before Retry-After, free at it.
	advance(t, env, ns, strconv.Itoa(retry-1)+"s")
	if res := env.Do(t, "GET", url1, nil, bearer(token(ns))); res.StatusCode != 429 {
		t.Errorf("before Retry-After: %d", res.StatusCode)
	}
	advance(t, env, ns, "1s")
	if res := env.Do(t, "GET", url1, nil, bearer(token(ns))); res.StatusCode != 200 {
		t.Errorf("after Retry-After: %d %s", res.StatusCode, res.Body)
	}
	// Switched off, nothing is counted.
	settings(t, env, ns, map[string]any{"rate_limit": map[string]any{"enabled": false}})
	for i := range 30 {
		if res := env.Do(t, "GET", url1, nil, bearer(token(ns))); res.StatusCode != http.StatusOK {
			t.Fatalf("disabled, request %d: %d", i+1, res.StatusCode)
		}
	}
}

// Two processes that count by leases (many requests per database trip)
// never let more through than the limit, and refuse only when what is left
// is in the other process's lease.
func TestRateLimitLeasesStayWithinLimit(t *testing.T) {
	env := start(t)
	env2 := testenv.StartOn(t, env.DB, testenv.Only(clinked.New))
	env2.Clock.Set(env.Clock.Now())
	ns := env.NewNamespace(t, "docs")
	const limit = 400
	settings(t, env, ns, map[string]any{"rate_limit": map[string]any{"limit": limit, "window_seconds": 300}})
	urls := []string{base(ns) + "/v3/userinfo", env2.URLs["clinked"] + "/ns/" + ns.ID + "/v3/userinfo"}
	passed := 0
	for i := range limit + 100 {
		res := env.Do(t, "GET", urls[i%2], nil, bearer(token(ns)))
		switch res.StatusCode {
		case 200:
			passed++
		case 429:
		default:
			t.Fatalf("request %d: %d %s", i+1, res.StatusCode, res.Body)
		}
	}
	// Each process holds at most a sixteenth of what was left when it
	// leased: 25 requests here.
	if passed > limit || passed < limit-2*limit/16 {
		t.Errorf("%d requests passed, want at most %d and at least %d", passed, limit, limit-2*limit/16)
	}
}

// Settings too large for the window arithmetic are clamped: no division by
// zero (a 500 on every request) and no overflow that refuses every request.
func TestRateLimitHugeSettings(t *testing.T) {
	env, ns := startIn(t, "docs")
	for _, rl := range []map[string]any{
		{"limit": 10, "window_seconds": int64(1) << 61},              // window × 1000 overflows to 0
		{"limit": int64(1)<<62 + 1, "window_seconds": 300},           // limit × window overflows
		{"limit": int64(9223372036854775807), "window_seconds": 300}, // as large as it goes
	} {
		settings(t, env, ns, map[string]any{"rate_limit": rl})
		for i := range 3 {
			if res := env.Do(t, "GET", base(ns)+"/v3/userinfo", nil, bearer(token(ns))); res.StatusCode != http.StatusOK {
				t.Fatalf("%v: request %d: %d %s", rl, i+1, res.StatusCode, res.Body)
			}
		}
	}
}
