package openapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v3"

	"github.com/standin-dev/standin/internal/catalog"
	"github.com/standin-dev/standin/internal/openapi"
	"github.com/standin-dev/standin/internal/registry"
)

// Every vendor's document is valid OpenAPI 3.1, holds every routed method
// and path, and routes every operation it holds.
func TestDocumentsMatchRouters(t *testing.T) {
	for _, v := range registry.All(nil, nil) {
		t.Run(v.Name(), func(t *testing.T) {
			patterns := openapi.Routes(v.Handler())
			if len(patterns) == 0 {
				t.Fatal("no routes found behind the vendor's handler")
			}
			doc, err := openapi.Build(v.Name(), patterns, openapi.Options{ServerURL: "http://127.0.0.1:8700"})
			if err != nil {
				t.Fatal(err)
			}
			b, err := openapi.JSON(doc)
			if err != nil {
				t.Fatal(err)
			}
			// Load what is served, not the Go value, and validate it.
			loaded, err := openapi3.NewLoader().LoadFromData(b)
			if err != nil {
				t.Fatal(err)
			}
			if err := loaded.Validate(t.Context()); err != nil {
				t.Fatalf("invalid document: %v", err)
			}
			if !strings.HasPrefix(loaded.OpenAPI, "3.1") {
				t.Errorf("openapi %q", loaded.OpenAPI)
			}
			routed := map[string]bool{}
			for _, p := range patterns {
				r := openapi.ParsePattern(p)
				routed[r.Method+" "+norm(r.Path)] = true
				if loaded.Paths.Find(r.Path) == nil || loaded.Paths.Find(r.Path).GetOperation(r.Method) == nil {
					t.Errorf("routed %q is not in the document", p)
				}
			}
			ops := 0
			for path, item := range loaded.Paths.Map() {
				for method, op := range item.Operations() {
					ops++
					if !routed[method+" "+norm(path)] {
						t.Errorf("document has %s %s, which is not routed", method, path)
					}
					if op.Responses.Len() == 0 || op.OperationID == "" {
						t.Errorf("%s %s: no responses or operationId", method, path)
					}
				}
			}
			if ops != len(routed) {
				t.Errorf("%d operations, %d routes", ops, len(routed))
			}
			// The YAML form says the same.
			y, err := openapi.YAML(doc)
			if err != nil {
				t.Fatal(err)
			}
			var fromYAML, fromJSON any
			if err := yaml.Unmarshal(y, &fromYAML); err != nil {
				t.Fatal(err)
			}
			_ = json.Unmarshal(b, &fromJSON)
			j1, _ := json.Marshal(fromYAML)
			j2, _ := json.Marshal(fromJSON)
			if !bytes.Equal(j1, j2) {
				t.Error("YAML and JSON documents differ")
			}
		})
	}
}

// Documented endpoints carry the catalog's summary and an example.
func TestDocumentedOperationsHaveExamples(t *testing.T) {
	for _, v := range registry.All(nil, nil) {
		doc, err := openapi.Build(v.Name(), openapi.Routes(v.Handler()), openapi.Options{})
		if err != nil {
			t.Fatal(err)
		}
		documented, withExample := 0, 0
		for _, item := range doc.Paths.Map() {
			for method, op := range item.Operations() {
				if id, _ := op.Extensions["x-catalog-id"].(string); id == "" && v.Name() != "worksection" {
					continue
				}
				documented++
				for code, r := range op.Responses.Map() {
					if code[0] == '2' && r.Value.Content != nil && r.Value.Content.Get("application/json") != nil &&
						r.Value.Content.Get("application/json").Example != nil {
						withExample++
						break
					}
					_ = method
				}
			}
		}
		if documented == 0 || withExample*2 < documented {
			t.Errorf("%s: %d documented operations, %d with an example", v.Name(), documented, withExample)
		}
	}
}

func TestParsePattern(t *testing.T) {
	tests := []struct{ in, method, path string }{
		{"GET /api/admin/v2/{$}", "GET", "/api/admin/v2/"},
		{"GET /media/{key...}", "GET", "/media/{key}"},
		{"/x", "", "/x"},
		{"POST /v3/accounts/{account}", "POST", "/v3/accounts/{account}"},
	}
	for _, tt := range tests {
		if r := openapi.ParsePattern(tt.in); r.Method != tt.method || r.Path != tt.path {
			t.Errorf("%q: %+v", tt.in, r)
		}
	}
	_ = http.MethodGet
}

// norm compares paths regardless of parameter names, keeping a trailing
// slash.
func norm(p string) string {
	n := catalog.Normalize(p)
	if strings.HasSuffix(p, "/") {
		n += "/"
	}
	return n
}
