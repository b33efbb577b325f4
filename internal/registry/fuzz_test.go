package registry_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/standin-dev/standin/internal/catalog"
	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/testenv"
)

// fuzzRequests is how many random requests each vendor gets in the normal
// test suite; scripts/soak raises it with STANDIN_FUZZ_REQUESTS.
func fuzzRequests(t *testing.T) int {
	if v := os.Getenv("STANDIN_FUZZ_REQUESTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("STANDIN_FUZZ_REQUESTS=%q", v)
		}
		return n
	}
	return 2000
}

// fuzzer makes random requests around a vendor's documented routes.
type fuzzer struct {
	rng *rand.Rand
}

func (f *fuzzer) pick(s []string) string { return s[f.rng.IntN(len(s))] }

var (
	fuzzParam   = regexp.MustCompile(`\{[^}]+\}`)
	fuzzSegment = []string{"1", "2", "0", "-1", "999999999", "9223372036854775808", "abc", "%20", "%2e%2e", "..", ".", "",
		"3fa85f64-5717-4562-b3fc-2c963f66afa6", "00000000000000000000000000000000", "%C3%A9t%C3%A9", "%F0%9F%98%80", "a%2Fb",
		"john", "jack", "default", "%E2%80%AE", strings.Repeat("x", 300)}
	fuzzMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
	fuzzQueries = []string{"page", "size", "limit", "offset", "sort", "q", "email", "name", "id", "action", "hash", "time",
		"cur_page", "per_page", "pageSize", "filter", "include", "status", "id_task", "mime", "moduleCode"}
	fuzzValues = []string{"1", "-1", "0", "1e309", "NaN", "true", "null", "[]", "%", "%zz", "a,b", "9223372036854775807",
		"2030-01-01T00:00:00Z", "x@y.example", strings.Repeat("é", 100)}
	fuzzTypes = []string{"application/json", "application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz",
		"text/plain", "", "application/json; charset=utf-16", "application/xml"}
)

// value is a random JSON value, nested up to depth.
func (f *fuzzer) value(depth int) string {
	switch k := f.rng.IntN(9); {
	case k == 0 && depth > 0:
		n := f.rng.IntN(4)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = f.value(depth - 1)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case k == 1 && depth > 0:
		return f.object(depth - 1)
	case k == 2:
		return strconv.Itoa(f.rng.IntN(2000) - 1000)
	case k == 3:
		return f.pick([]string{"true", "false", "null", "1e400", "-0", "1.5", "9223372036854775808"})
	default:
		return strconv.Quote(f.pick(append(fuzzValues, fuzzSegment...)))
	}
}

var fuzzKeys = []string{"name", "description", "email", "username", "password", "title", "id", "ids", "members", "permission",
	"tags", "assignGroups", "removeGroups", "firstName", "lastName", "friendlyName", "startDateTime", "endDateTime", "data",
	"status", "role", "groups", "users", "kb", "permissions", "items", "emails", "expirationDate", "department", "location"}

func (f *fuzzer) object(depth int) string {
	n := f.rng.IntN(5)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = strconv.Quote(f.pick(fuzzKeys)) + ":" + f.value(depth)
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func (f *fuzzer) body() string {
	switch f.rng.IntN(6) {
	case 0:
		return ""
	case 1: // truncated or broken JSON
		s := f.object(2)
		return s[:f.rng.IntN(len(s)+1)]
	case 2:
		return "name=" + f.pick(fuzzValues) + "&email=" + f.pick(fuzzValues) + "&action=" + f.pick(fuzzValues)
	default:
		return f.object(3)
	}
}

// request is one random request to a vendor's documented endpoint.
func (f *fuzzer) request(ep catalog.Endpoint, vendor string) (method, path, body, contentType string) {
	method = ep.Method
	if f.rng.IntN(5) == 0 {
		method = f.pick(fuzzMethods)
	}
	path = fuzzParam.ReplaceAllStringFunc(ep.Path, func(string) string { return f.pick(fuzzSegment) })
	if vendor == "worksection" {
		path = "/api/oauth2"
		if f.rng.IntN(3) == 0 {
			path = "/api/admin/v2/"
		}
		if method != "POST" {
			method = "GET"
		}
	}
	if f.rng.IntN(10) == 0 {
		path = strings.Replace(path, "/", f.pick([]string{"//", "/./", "/x/../"}), 1)
	}
	var q []string
	if vendor == "worksection" {
		q = append(q, "action="+ep.Action)
	}
	for range f.rng.IntN(4) {
		q = append(q, f.pick(fuzzQueries)+"="+f.pick(fuzzValues))
	}
	if len(q) > 0 {
		path += "?" + strings.Join(q, "&")
	}
	return method, path, f.body(), f.pick(fuzzTypes)
}

// TestFuzzedRequestsNeverFail sends each vendor a few thousand random
// requests around its documented routes, with valid credentials most of
// the time, from several clients at once: every answer is below 500 and
// none is a redirect. The seed is logged; STANDIN_FUZZ_SEED replays one.
func TestFuzzedRequestsNeverFail(t *testing.T) {
	env := testenv.Start(t, registry.All)
	seed := rand.Uint64()
	if v := os.Getenv("STANDIN_FUZZ_SEED"); v != "" {
		seed, _ = strconv.ParseUint(v, 10, 64)
	}
	t.Logf("STANDIN_FUZZ_SEED=%d", seed)
	n := fuzzRequests(t)
	const workers = 4
	for vi, vendor := range catalog.Vendors {
		t.Run(vendor, func(t *testing.T) {
			all, err := catalog.Endpoints(vendor)
			if err != nil {
				t.Fatal(err)
			}
			// Not the endpoints that replace the credentials the fuzzer
			// holds (a minted WorkDrive key revokes the old one).
			var eps []catalog.Endpoint
			for _, ep := range all {
				if !strings.Contains(ep.Path, "generate-access") && !strings.Contains(ep.Path, "/oauth") {
					eps = append(eps, ep)
				}
			}
			ns := env.NewNamespace(t, "docs")
			env.Do(t, "PUT", env.Control+"/_standin/namespaces/"+ns.ID+"/settings/clinked",
				`{"rate_limit":{"enabled":false}}`, nil).Decode(t, http.StatusOK, nil)
			var (
				wg       sync.WaitGroup
				mu       sync.Mutex
				statuses = map[int]int{}
				failures int
			)
			for w := range workers {
				f := &fuzzer{rng: rand.New(rand.NewPCG(seed, uint64(vi*workers+w)))}
				wg.Go(func() {
					for range n / workers {
						method, path, body, ct := f.request(eps[f.rng.IntN(len(eps))], vendor)
						h := vendorAuth(ns, vendor)
						h.Del("Content-Type")
						if ct != "" {
							h.Set("Content-Type", ct)
						}
						if f.rng.IntN(10) == 0 {
							h = http.Header{}
						}
						res := env.Do(t, method, ns.BaseURL(vendor)+path, body, h)
						mu.Lock()
						statuses[res.StatusCode]++
						if (res.StatusCode >= 500 || res.StatusCode/100 == 3) && failures < 20 {
							failures++
							t.Errorf("%s %s (%s, %q): %d %.300s", method, path, ct, body, res.StatusCode, res.Body)
						}
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			t.Logf("%d requests: %v", n, fmt.Sprint(statuses))
		})
	}
}
