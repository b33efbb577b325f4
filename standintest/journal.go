package standintest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/standin-dev/standin/internal/fault"
	"github.com/standin-dev/standin/internal/journal"
)

// RequestFilter selects journal entries, as the parameters of
// GET /_standin/namespaces/{id}/requests do. Empty fields match everything.
type RequestFilter struct {
	Vendor Vendor
	Method string
	// Path is exact, or a glob when it holds * or ? (* matches any run of
	// characters, / included).
	Path string
	// Endpoint is a catalog id ("klipfolio.groups.list"), exact or a glob.
	Endpoint string
	// Status is a status ("404") or a class ("4xx").
	Status string
	// Since and Until bound the namespace time of the requests.
	Since, Until time.Time
	// Limit caps how many are returned (newest first); 0 means 1000.
	Limit int
}

func (f RequestFilter) query() string {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("vendor", string(f.Vendor))
	set("method", f.Method)
	set("path", f.Path)
	set("endpoint", f.Endpoint)
	set("status", f.Status)
	if !f.Since.IsZero() {
		q.Set("since", f.Since.UTC().Format(time.RFC3339Nano))
	}
	if !f.Until.IsZero() {
		q.Set("until", f.Until.UTC().Format(time.RFC3339Nano))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	q.Set("limit", strconv.Itoa(limit))
	return q.Encode()
}

// Request is a journal entry: one request that a vendor port served.
type Request struct {
	// ID numbers the namespace's requests in the order they were kept.
	ID int64 `json:"id"`
	// Time is the namespace's clock when the request came; RealTime the
	// wall clock (RFC 3339).
	Time     string  `json:"time"`
	RealTime string  `json:"real_time"`
	Vendor   Vendor  `json:"vendor"`
	Method   string  `json:"method"`
	Path     string  `json:"path"`
	Query    string  `json:"query"` // redacted
	Status   int     `json:"status"`
	Duration float64 `json:"duration_ms"`
	// Route is the matched route pattern, Endpoint its catalog id.
	Route     string         `json:"route"`
	Endpoint  string         `json:"endpoint"`
	RequestID string         `json:"request_id"`
	Fault     *InjectedFault `json:"fault"`
}

// InjectedFault tells which fault rule shaped a request, and how (Action
// is status, latency, reset, truncate or body). It is the journal's own
// type, so the two can never disagree on the wire.
type InjectedFault = journal.Fault

// Requests returns the namespace's journal entries that match f, newest
// first. Requests made through the namespace's base URLs or HTTPClient
// are in it as soon as they are answered.
func (n *Namespace) Requests(f RequestFilter) []Request {
	n.t.Helper()
	var page struct {
		Requests []Request `json:"requests"`
	}
	n.controlJSON("requests", "GET", "/requests?"+f.query(), nil, http.StatusOK, &page)
	return page.Requests
}

// ClearRequests empties the namespace's journal.
func (n *Namespace) ClearRequests() {
	n.t.Helper()
	n.control("DELETE", "/requests", nil, http.StatusNoContent)
}

// Expectation describes requests that a test expects the code under test
// to have made, as the body of POST …/requests/verify. Set Path or
// Endpoint (exact or glob); leave Count, AtLeast and AtMost nil for "at
// least one".
type Expectation struct {
	Vendor       Vendor `json:"vendor,omitempty"`
	Method       string `json:"method,omitempty"`
	Path         string `json:"path,omitempty"`
	Endpoint     string `json:"endpoint,omitempty"`
	BodyContains string `json:"body_contains,omitempty"`
	Count        *int   `json:"count,omitempty"`
	AtLeast      *int   `json:"at_least,omitempty"`
	AtMost       *int   `json:"at_most,omitempty"`
}

// Times is a helper for Expectation's counts: Count: standintest.Times(2).
func Times(n int) *int { return &n }

// Verdict is verify's answer.
type Verdict struct {
	Matched bool `json:"matched"`
	// Count is how many requests match; Expected restates the
	// expectation ("exactly 1", "at least 2").
	Count    int    `json:"count"`
	Expected string `json:"expected"`
	// NearMisses are the requests closest to the expectation when it
	// failed for want of matches, with what kept each from matching.
	NearMisses []NearMiss `json:"near_misses"`
}

// NearMiss is a request that matched the expectation but for some fields.
type NearMiss struct {
	Request     Request      `json:"request"`
	Differences []Difference `json:"differences"`
}

// Difference explains one field that kept a request from matching: the
// journal's own type, as verify answers it.
type Difference = journal.Difference

// String explains a verdict: the count against the expectation, and each
// near miss with its differences.
func (v *Verdict) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d matching requests, expected %s", v.Count, v.Expected)
	for _, m := range v.NearMisses {
		fmt.Fprintf(&b, "\n  near miss: %s %s (%d)", m.Request.Method, m.Request.Path, m.Request.Status)
		for _, d := range m.Differences {
			fmt.Fprintf(&b, "; %s: expected %q, got %q", d.Field, d.Expected, d.Actual)
		}
	}
	return b.String()
}

// Verify checks the namespace's journal against e. When it does not hold,
// t gets an error that explains the verdict (the near misses included);
// the verdict is returned either way. A malformed expectation fails the
// namespace's test.
func (n *Namespace) Verify(t testing.TB, e Expectation) *Verdict {
	t.Helper()
	n.t.Helper()
	code, body := n.controlStatus("POST", "/requests/verify", e)
	if code != http.StatusOK && code != http.StatusConflict {
		n.t.Fatalf("standintest: verify: %d %s", code, body)
	}
	var v Verdict
	if err := json.Unmarshal(body, &v); err != nil {
		n.t.Fatalf("standintest: verify: %v", err)
	}
	if !v.Matched {
		t.Errorf("standintest: verify %s %s%s: %s", e.Method, e.Path, e.Endpoint, &v)
	}
	return &v
}

// FaultRule is a fault rule of a namespace, as POST …/faults takes it:
// requests that match every field given (Path and Endpoint take globs) are
// answered as Action (or the vendor's named Preset) says.
type FaultRule struct {
	ID       int64  `json:"id,omitempty"`
	Vendor   Vendor `json:"vendor,omitempty"`
	Method   string `json:"method,omitempty"`
	Path     string `json:"path,omitempty"`
	Endpoint string `json:"endpoint,omitempty"`
	// Probability (0-1) is 1 when nil; Times fires that often then
	// expires (0: no limit); After lets the first matches through.
	Probability *float64     `json:"probability,omitempty"`
	Times       int64        `json:"times,omitempty"`
	After       int64        `json:"after,omitempty"`
	Preset      string       `json:"preset,omitempty"`
	Action      *FaultAction `json:"action,omitempty"`
	CreatedAt   string       `json:"created_at,omitempty"`
	// Matches and Applied count what the rule matched and fired on;
	// Expired is set once it fired Times times. Set by standin.
	Matches int64 `json:"matches,omitempty"`
	Applied int64 `json:"applied,omitempty"`
	Expired bool  `json:"expired,omitempty"`
}

// FaultAction is what a rule does: Latency combines with the others (the
// wait comes first); otherwise one of Status (in the vendor's error
// envelope), Reset, Truncate and Body (a raw body, with Status). It is the
// control plane's own type, so the two can never disagree on the wire.
type FaultAction = fault.Action

// Latency is a fixed wait ("300ms"), or a log-normal one given by its
// median and 99th percentile ({"p50": "50ms", "p99": "2s"}).
type Latency = fault.Latency

// Fault adds a fault rule to the namespace, weighed after its existing
// ones, and returns it as stored (with its ID). A rule standin refuses
// fails the test.
func (n *Namespace) Fault(rule FaultRule) *FaultRule {
	n.t.Helper()
	var made FaultRule
	n.controlJSON("fault", "POST", "/faults", rule, http.StatusCreated, &made)
	return &made
}

// Faults returns the namespace's fault rules with their counts.
func (n *Namespace) Faults() []FaultRule {
	n.t.Helper()
	var list struct {
		Faults []FaultRule `json:"faults"`
	}
	n.controlJSON("faults", "GET", "/faults", nil, http.StatusOK, &list)
	return list.Faults
}

// ClearFaults removes every fault rule of the namespace.
func (n *Namespace) ClearFaults() {
	n.t.Helper()
	n.control("DELETE", "/faults", nil, http.StatusNoContent)
}
