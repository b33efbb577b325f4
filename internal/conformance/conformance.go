// Package conformance replays the vendors' documented examples against a
// running standin and checks each answer's status and shape: every key of
// the documented response is present, with the same JSON type. The catalogs
// are internal/catalog's copies of shared/spec/<vendor>.json.
//
// Each vendor's conformance test calls Replay with an Adapt that turns one
// example request into a Case (substituting placeholders for real values,
// which that test documents in one place).
package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/standin-dev/standin/internal/catalog"
	"github.com/standin-dev/standin/internal/testenv"
)

// Endpoint is one documented endpoint of a catalog.
type Endpoint struct {
	ID              string          `json:"id"`
	Method          string          `json:"method"`
	Path            string          `json:"path"`
	Action          string          `json:"action"` // Worksection
	Status          json.RawMessage `json:"status"` // a number, "ok" or null
	ExampleRequests []Request       `json:"example_requests"`
	ExampleResponse json.RawMessage `json:"example_response"`
}

// Request is one documented example request.
type Request struct {
	Raw        string            `json:"raw"`
	Method     string            `json:"method"`
	URL        string            `json:"url"`
	Path       string            `json:"path"`
	PathParams map[string]string `json:"path_params"`
	Query      map[string]any    `json:"query"`
	Headers    map[string]string `json:"headers"`
	BodyRaw    *string           `json:"body_raw"`
	Body       json.RawMessage   `json:"body"`
	// Synthetic marks the request Replay makes for an endpoint that has
	// no example: the endpoint's method and path, nothing else.
	Synthetic bool `json:"-"`
}

// StatusCode returns the documented status when it is a number, else 0.
func (e Endpoint) StatusCode() int {
	var n int
	if json.Unmarshal(e.Status, &n) == nil {
		return n
	}
	return 0
}

// Load returns a vendor's catalog.
func Load(vendor string) ([]Endpoint, error) {
	b, err := catalog.JSON(vendor)
	if err != nil {
		return nil, err
	}
	var eps []Endpoint
	if err := json.Unmarshal(b, &eps); err != nil {
		return nil, fmt.Errorf("catalog %s: %w", vendor, err)
	}
	return eps, nil
}

// Case is one request to replay and what must come back.
type Case struct {
	Name    string // shown in failures: endpoint id and example number
	Method  string
	Path    string // relative to the base URL, with the query if any
	Header  http.Header
	Body    []byte
	Status  int             // the status that must come back
	Shape   json.RawMessage // the documented response; nil when none is documented
	Options Options
	// EmptyBody wants an empty body (a DELETE that answers nothing).
	EmptyBody bool
	// Vendor names the OpenAPI document that the answer is checked
	// against; empty means the vendor whose catalog id is in Name.
	Vendor string
}

// Options relax the shape check where a vendor's doc says so.
type Options struct {
	// NullOK accepts null where the example has a value (fields that the
	// vendor leaves unset, per its docs).
	NullOK bool
	// EmptyArrayOK accepts an empty array where the example has items.
	EmptyArrayOK bool
}

// QueryString encodes a catalog example's query map, whose values may be
// strings, numbers, booleans or lists.
func QueryString(q map[string]any) string {
	v := url.Values{}
	for k, x := range q {
		switch t := x.(type) {
		case []any:
			for _, e := range t {
				v.Add(k, fmt.Sprint(e))
			}
		case nil:
			v.Add(k, "")
		default:
			v.Add(k, fmt.Sprint(t))
		}
	}
	return v.Encode()
}

// Adapt makes one documented example of ep concrete in ns, a fresh "docs"
// namespace: the case to send, and prepare to add credentials to its
// request (may be nil). A nil case skips the example.
type Adapt func(t *testing.T, ns *testenv.Namespace, ep Endpoint, ex Request) (c *Case, prepare func(*http.Request))

// Replay sends every documented example of vendor's catalog, each to a
// fresh "docs" namespace (examples create and delete what later ones
// name), as adapt makes it, and checks status and shape. only, when given,
// limits it to the endpoints whose catalog id starts with one of its
// prefixes. An endpoint without examples is replayed once with a Synthetic
// request. It returns how many examples it sent, for the caller to check
// against the catalog.
func Replay(t *testing.T, env *testenv.Env, vendor string, adapt Adapt, only ...string) int {
	t.Helper()
	eps, err := Load(vendor)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ep := range eps {
		if !hasPrefix(ep.ID, only) {
			continue
		}
		examples := ep.ExampleRequests
		if len(examples) == 0 {
			examples = []Request{{Method: ep.Method, Path: ep.Path, PathParams: map[string]string{}, Synthetic: true}}
		}
		for i, ex := range examples {
			t.Run(fmt.Sprintf("%s#%d", ep.ID, i), func(t *testing.T) {
				ns := env.NewNamespace(t, "docs")
				c, prepare := adapt(t, ns, ep, ex)
				if c == nil {
					t.Skip("not replayed")
				}
				n++
				if c.Vendor == "" {
					c.Vendor = vendor
				}
				send(t, ns.BaseURL(vendor), *c, prepare)
			})
		}
	}
	return n
}

// hasPrefix tells whether id starts with one of prefixes; with none, it
// does.
func hasPrefix(id string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return len(prefixes) == 0
}

// Run sends each case to base and checks status and shape. prepare may add
// credentials to each request.
func Run(t *testing.T, base string, cases []Case, prepare func(*http.Request)) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) { send(t, base, c, prepare) })
	}
}

// send sends one case and checks its answer.
func send(t *testing.T, base string, c Case, prepare func(*http.Request)) {
	t.Helper()
	var body io.Reader
	if c.Body != nil {
		body = bytes.NewReader(c.Body)
	}
	req, err := http.NewRequest(c.Method, base+c.Path, body)
	if err != nil {
		t.Fatalf("bad case: %v", err)
	}
	for k, vs := range c.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if prepare != nil {
		prepare(req)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", c.Method, c.Path, err)
	}
	defer res.Body.Close()
	got, _ := io.ReadAll(res.Body)
	if res.StatusCode != c.Status {
		t.Fatalf("%s %s: status %d, want %d; body: %s", c.Method, c.Path, res.StatusCode, c.Status, got)
	}
	if c.EmptyBody && len(got) != 0 {
		t.Fatalf("%s %s: body %q, want none", c.Method, c.Path, got)
	}
	// Every replayed answer also honours the published contract
	// (setup requests that name no vendor are not replays).
	if v := vendorOf(c, t.Name()); v != "" {
		if problems := CheckContract(v, c.Method, c.Path, res.StatusCode, got); len(problems) > 0 {
			t.Errorf("%s", strings.Join(problems, "\n  "))
		}
	}
	if len(c.Shape) == 0 || string(c.Shape) == "null" {
		return
	}
	if problems := CompareShape(c.Shape, got, c.Options); len(problems) > 0 {
		t.Errorf("%s %s: response shape differs from the documented example:\n  %s\nbody: %s",
			c.Method, c.Path, strings.Join(problems, "\n  "), got)
	}
}

// CompareShape checks that every key in the documented example is present
// in got with the same JSON type, recursively. Arrays are checked element
// by element against the example's first element. It returns one line per
// difference.
func CompareShape(want, got []byte, opt Options) []string {
	var w, g any
	if err := json.Unmarshal(want, &w); err != nil {
		return []string{"documented example is not JSON: " + err.Error()}
	}
	if err := json.Unmarshal(got, &g); err != nil {
		return []string{"response is not JSON: " + err.Error()}
	}
	var out []string
	compare("$", w, g, opt, &out)
	return out
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func compare(path string, want, got any, opt Options, out *[]string) {
	if want == nil {
		return // the example shows null: any value will do
	}
	if got == nil && opt.NullOK {
		return
	}
	if kind(want) != kind(got) {
		*out = append(*out, fmt.Sprintf("%s: %s, want %s", path, kind(got), kind(want)))
		return
	}
	switch w := want.(type) {
	case map[string]any:
		g := got.(map[string]any)
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			gv, ok := g[k]
			if !ok {
				*out = append(*out, fmt.Sprintf("%s.%s: missing", path, k))
				continue
			}
			compare(path+"."+k, w[k], gv, opt, out)
		}
	case []any:
		g := got.([]any)
		if len(w) == 0 {
			return
		}
		if len(g) == 0 {
			if !opt.EmptyArrayOK {
				*out = append(*out, fmt.Sprintf("%s: empty array, the example has items", path))
			}
			return
		}
		for i, gv := range g {
			compare(fmt.Sprintf("%s[%d]", path, i), w[0], gv, opt, out)
		}
	}
}
