package conformance

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin-dev/standin/internal/openapi"
	"github.com/standin-dev/standin/internal/registry"
)

// The vendors' OpenAPI documents, built once per test binary from the same
// routers and catalogs that standin serves them from.
var (
	docsMu sync.Mutex
	docs   = map[string]*openapi3.T{}
)

// Document returns the vendor's OpenAPI document, loaded (references
// resolved) as a client would load the served one.
func Document(vendor string) (*openapi3.T, error) {
	docsMu.Lock()
	defer docsMu.Unlock()
	if d, ok := docs[vendor]; ok {
		return d, nil
	}
	for _, v := range registry.All(nil, nil) {
		if v.Name() != vendor {
			continue
		}
		doc, err := openapi.Build(vendor, openapi.Routes(v.Handler()), openapi.Options{})
		if err != nil {
			return nil, err
		}
		b, err := openapi.JSON(doc)
		if err != nil {
			return nil, err
		}
		loaded, err := openapi3.NewLoader().LoadFromData(b)
		if err != nil {
			return nil, err
		}
		docs[vendor] = loaded
		return loaded, nil
	}
	return nil, fmt.Errorf("no vendor %q", vendor)
}

// vendorOf finds the vendor of a case: Case.Vendor, else the vendor whose
// catalog ids ("workdrive.users.list") appear in the test's name.
func vendorOf(c Case, testName string) string {
	if c.Vendor != "" {
		return c.Vendor
	}
	for _, v := range []string{"clinked", "klipfolio", "worksection", "workdrive"} {
		if strings.HasPrefix(c.Name, v+".") || strings.Contains(testName, "/"+v+".") {
			return v
		}
	}
	return ""
}

// CheckContract validates a response against its operation's response
// schema in the vendor's OpenAPI document. path is the request's path
// relative to the namespace's base URL (with any query). It returns one
// line per problem.
func CheckContract(vendor, method, path string, status int, body []byte) []string {
	doc, err := Document(vendor)
	if err != nil {
		return []string{"OpenAPI document: " + err.Error()}
	}
	u, err := url.Parse(path)
	if err != nil {
		return []string{"bad path: " + err.Error()}
	}
	tmpl, item := findPath(doc, u.Path)
	if item == nil {
		return []string{fmt.Sprintf("%s %s: no path in the OpenAPI document", method, u.Path)}
	}
	op := item.GetOperation(strings.ToUpper(method))
	if op == nil {
		return []string{fmt.Sprintf("%s %s: no %s operation in the OpenAPI document", tmpl, u.Path, method)}
	}
	resp := op.Responses.Status(status)
	if resp == nil {
		resp = op.Responses.Value(strconv.Itoa(status/100) + "XX")
	}
	if resp == nil || resp.Value == nil {
		return []string{fmt.Sprintf("%s %s: status %d is not among the operation's responses", method, tmpl, status)}
	}
	mt := resp.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil || len(body) == 0 {
		return nil
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return []string{"response is not JSON: " + err.Error()}
	}
	if err := doc.ValidateSchemaJSON(mt.Schema.Value, v, openapi3.VisitAsResponse(), openapi3.MultiErrors()); err != nil {
		return []string{fmt.Sprintf("%s %s %d: response does not match the OpenAPI schema: %v", method, tmpl, status, err)}
	}
	return nil
}

// findPath matches a concrete path against the document's templates,
// preferring the template with the most literal segments.
func findPath(doc *openapi3.T, path string) (string, *openapi3.PathItem) {
	segs := strings.Split(path, "/")
	best, bestScore := "", -1
	var found *openapi3.PathItem
	for tmpl, item := range doc.Paths.Map() {
		ts := strings.Split(tmpl, "/")
		if len(ts) != len(segs) {
			continue
		}
		score := 0
		for i, t := range ts {
			if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
				if segs[i] == "" {
					score = -1
					break
				}
				continue
			}
			if t != segs[i] {
				score = -1
				break
			}
			score++
		}
		if score > bestScore {
			best, bestScore, found = tmpl, score, item
		}
	}
	return best, found
}
