package control_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestSettings checks that settings show their effective values, that
// PATCH merges and PUT replaces, and that unknown keys and wrong types are
// 400s naming the key and change nothing.
func TestSettings(t *testing.T) {
	env := startAll(t)
	ns := env.NewNamespace(t, "empty")
	base := env.Control + "/_standin/namespaces/" + ns.ID + "/settings/"
	get := func(section string) string {
		t.Helper()
		res := env.Do(t, "GET", base+section, nil, nil)
		res.Decode(t, 200, nil)
		return strings.TrimSpace(string(res.Body))
	}
	steps := []struct {
		method, section, body string
		status                int
		want                  string // the section's settings afterwards, or the error's key
	}{
		{"GET", "clinked", "", 200, `{"rate_limit":{"enabled":true,"limit":2000,"window_seconds":300},"custom_email":{"domain_valid":true}}`},
		{"GET", "journal", "", 200, `{"enabled":true,"max_entries":10000,"body_limit_bytes":65536}`},
		{"GET", "faults", "", 200, `{"seed":null}`},
		{"GET", "klipfolio", "", 200, `{}`},
		{"PATCH", "clinked", `{"rate_limit":{"limit":10}}`, 200, `{"rate_limit":{"enabled":true,"limit":10,"window_seconds":300},"custom_email":{"domain_valid":true}}`},
		{"PATCH", "clinked", `{"rate_limit":{"window_seconds":60}}`, 200, `{"rate_limit":{"enabled":true,"limit":10,"window_seconds":60},"custom_email":{"domain_valid":true}}`},
		// The example: accepted silently before, wiping the override.
		{"PATCH", "clinked", `{"fail_rate":0.5}`, 400, `fail_rate`},
		{"PUT", "clinked", `{"fail_rate":0.5}`, 400, `fail_rate`},
		{"PUT", "clinked", `{"rate_limit":{"limit":"ten"}}`, 400, `rate_limit.limit`},
		{"PUT", "clinked", `{"rate_limit":{"enabled":"no"}}`, 400, `rate_limit.enabled`},
		{"PUT", "clinked", `{"rate_limit":{"bogus":1}}`, 400, `bogus`},
		{"PUT", "clinked", `{"rate_limit":{"limit":0}}`, 400, `rate_limit.limit`},
		{"PUT", "clinked", `{"rate_limit":true}`, 400, `rate_limit`},
		{"GET", "clinked", "", 200, `{"rate_limit":{"enabled":true,"limit":10,"window_seconds":60},"custom_email":{"domain_valid":true}}`},
		// PUT replaces: what it leaves out is back to the default.
		{"PUT", "clinked", `{"rate_limit":{"enabled":false}}`, 200, `{"rate_limit":{"enabled":false,"limit":2000,"window_seconds":300},"custom_email":{"domain_valid":true}}`},
		// PATCH with null removes a key.
		{"PATCH", "clinked", `{"rate_limit":{"enabled":null,"limit":5}}`, 200, `{"rate_limit":{"enabled":true,"limit":5,"window_seconds":300},"custom_email":{"domain_valid":true}}`},
		{"PUT", "clinked", `{}`, 200, `{"rate_limit":{"enabled":true,"limit":2000,"window_seconds":300},"custom_email":{"domain_valid":true}}`},
		{"PATCH", "clinked", `{"custom_email":{"domain_valid":"no"}}`, 400, `custom_email.domain_valid`},
		{"PUT", "klipfolio", `{"x":1}`, 400, `x`},
		{"GET", "workdrive", "", 200, `{"max_upload_bytes":5368709120,"onboarding":{"defaultVisibility":"public"},"offboardingAssignee":""}`},
		{"PATCH", "workdrive", `{"onboarding":{"defaultRole":"User"}}`, 200, `{"max_upload_bytes":5368709120,"onboarding":{"defaultRole":"User"},"offboardingAssignee":""}`},
		{"PUT", "workdrive", `{"onboarding":{"a":1}}`, 400, `onboarding`},
		{"PUT", "workdrive", `{"max_upload_bytes":-1}`, 400, `max_upload_bytes`},
		{"PATCH", "journal", `{"max_entries":0}`, 400, `max_entries`},
		{"PATCH", "journal", `{"max_entries":"many"}`, 400, `max_entries`},
		{"PATCH", "journal", `{"max_entries":50}`, 200, `{"enabled":true,"max_entries":50,"body_limit_bytes":65536}`},
		{"PATCH", "faults", `{"seed":1.5}`, 400, `seed`},
		{"PUT", "faults", `{"seed":42}`, 200, `{"seed":42}`},
		{"PUT", "clinked", `[]`, 400, `object`},
		{"PUT", "clinked", `{`, 400, `object`},
		{"PUT", "nope", `{}`, 404, `nope`},
		{"GET", "nope", ``, 404, `nope`},
	}
	for _, st := range steps {
		var body any
		if st.body != "" {
			body = st.body
		}
		res := env.Do(t, st.method, base+st.section, body, nil)
		if res.StatusCode != st.status {
			t.Fatalf("%s %s %s: %d %s", st.method, st.section, st.body, res.StatusCode, res.Body)
		}
		if st.status != 200 {
			var e struct {
				Error string `json:"error"`
			}
			if err := json.Unmarshal(res.Body, &e); err != nil || !strings.Contains(e.Error, st.want) {
				t.Errorf("%s %s %s: error %s does not name %q", st.method, st.section, st.body, res.Body, st.want)
			}
			continue
		}
		if got := strings.TrimSpace(string(res.Body)); got != st.want {
			t.Errorf("%s %s %s: answered %s, want %s", st.method, st.section, st.body, got, st.want)
		}
		if got := get(st.section); got != st.want {
			t.Errorf("%s %s %s: reads back %s, want %s", st.method, st.section, st.body, got, st.want)
		}
	}
}
