// Package openapi generates an OpenAPI 3.1 document per vendor from what
// standin actually serves — the patterns registered on the vendor's router —
// and what the vendor documents — its endpoint catalog (internal/catalog):
// summaries, parameters, example requests and responses, from which the
// schemas are inferred. A route that the catalog does not document (an alias,
// standin's own additions) is still in the document, marked as such, so the
// document and the router never disagree.
package openapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v3"

	"github.com/standin-dev/standin/internal/catalog"
	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/namespace"
)

// Routes returns the method patterns that a vendor's handler serves, as
// registered on its httpx.Router ("GET /v3/accounts/{account}").
func Routes(h http.Handler) []string {
	// Middleware in front of the router (Clinked's rate limit) reads the
	// namespace; hand it one that lets the probe through.
	ns := &namespace.Namespace{ID: "openapi", Settings: map[string]json.RawMessage{
		"clinked": json.RawMessage(`{"rate_limit":{"enabled":false}}`),
	}}
	return httpx.ListPatterns(namespace.NewContext(context.Background(), ns), h)
}

// Route is one served method and path in OpenAPI's spelling.
type Route struct {
	Method string // upper case
	Path   string // "/v3/accounts/{account}", "/api/admin/v2/"
}

// ParsePattern turns a net/http pattern into a Route: "{$}" ends the path
// with its slash, "{rest...}" becomes "{rest}". A pattern without a method
// (every method) is reported with method "".
func ParsePattern(p string) Route {
	method, path, ok := strings.Cut(p, " ")
	if !ok {
		method, path = "", p
	}
	path = strings.TrimSpace(path)
	if i := strings.IndexByte(path, '/'); i > 0 { // a host in the pattern
		path = path[i:]
	}
	path = strings.TrimSuffix(path, "{$}")
	path = strings.ReplaceAll(path, "...}", "}")
	return Route{Method: strings.ToUpper(method), Path: path}
}

// Options are what a document needs besides the routes.
type Options struct {
	// ServerURL is the vendor's base URL in the servers list (the default
	// namespace's); empty means "/".
	ServerURL string
	// Version is standin's version, shown in info.version.
	Version string
}

// Build generates the vendor's document for the given router patterns.
func Build(vendor string, patterns []string, opt Options) (*openapi3.T, error) {
	info, ok := vendors[vendor]
	if !ok {
		return nil, fmt.Errorf("openapi: unknown vendor %q", vendor)
	}
	raw, err := catalog.JSON(vendor)
	if err != nil {
		return nil, err
	}
	var eps []endpoint
	if err := json.Unmarshal(raw, &eps); err != nil {
		return nil, fmt.Errorf("openapi: catalog %s: %w", vendor, err)
	}
	byID := map[string]*endpoint{}
	for i := range eps {
		byID[eps[i].ID] = &eps[i]
	}
	server := opt.ServerURL
	if server == "" {
		server = "/"
	}
	version := opt.Version
	if version == "" {
		version = "dev"
	}
	doc := &openapi3.T{
		OpenAPI: "3.1.0",
		Info: &openapi3.Info{
			Title:       info.title + " (standin)",
			Version:     version,
			Description: info.description,
		},
		Servers:  openapi3.Servers{{URL: server, Description: "this standin, default namespace; other namespaces under /ns/{id}"}},
		Paths:    openapi3.NewPaths(),
		Security: info.securityRequirements(),
		Components: &openapi3.Components{
			SecuritySchemes: info.security(),
			Schemas: openapi3.Schemas{
				"Error": openapi3.NewSchemaRef("", info.errorSchema()),
			},
			Responses: openapi3.ResponseBodies{},
		},
	}
	routes := map[Route]bool{}
	var order []Route
	// OpenAPI counts /faqs/{id} and /faqs/{kbId} as one path: the first
	// spelling routed names the parameters of every method on it.
	canonical := map[string]string{}
	for _, p := range patterns {
		r := ParsePattern(p)
		if c, ok := canonical[catalog.Normalize(r.Path)+"|"+trailing(r.Path)]; ok {
			r.Path = c
		} else {
			canonical[catalog.Normalize(r.Path)+"|"+trailing(r.Path)] = r.Path
		}
		methods := []string{r.Method}
		if r.Method == "" {
			methods = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}
		}
		for _, m := range methods {
			rr := Route{Method: m, Path: r.Path}
			if !routes[rr] {
				routes[rr] = true
				order = append(order, rr)
			}
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i].Path < order[j].Path })
	ids := map[string]int{}
	for _, r := range order {
		var op *openapi3.Operation
		if info.actions {
			op = actionOperation(vendor, r, eps, info)
		} else {
			op = routeOperation(vendor, r, byID, eps, info)
		}
		// operationIds are unique: aliases of one endpoint get a suffix.
		base := op.OperationID
		ids[base]++
		if n := ids[base]; n > 1 {
			op.OperationID = fmt.Sprintf("%s_%d", base, n)
		}
		item := doc.Paths.Value(r.Path)
		if item == nil {
			item = &openapi3.PathItem{}
			doc.Paths.Set(r.Path, item)
		}
		item.SetOperation(r.Method, op)
	}
	return doc, nil
}

// endpoint is the part of a catalog entry that the document uses.
type endpoint struct {
	ID              string          `json:"id"`
	Title           string          `json:"title"`
	Description     string          `json:"description"`
	Method          string          `json:"method"`
	Path            string          `json:"path"`
	Action          string          `json:"action"`
	Status          json.RawMessage `json:"status"`
	Auth            any             `json:"auth"`
	RequiredParams  []param         `json:"required_params"`
	OptionalParams  []param         `json:"optional_params"`
	ExampleRequests []struct {
		Query map[string]any  `json:"query"`
		Body  json.RawMessage `json:"body"`
	} `json:"example_requests"`
	ExampleResponse json.RawMessage `json:"example_response"`
}

type param struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	In          string `json:"in"`
}

func (e *endpoint) status() int {
	var n int
	if json.Unmarshal(e.Status, &n) == nil && n >= 100 && n < 600 {
		return n
	}
	return 0
}

func (e *endpoint) exampleBody() any {
	for _, x := range e.ExampleRequests {
		if len(x.Body) > 0 && string(x.Body) != "null" {
			var v any
			if json.Unmarshal(x.Body, &v) == nil {
				return v
			}
		}
	}
	return nil
}

func (e *endpoint) exampleResponse() any {
	if len(e.ExampleResponse) == 0 || string(e.ExampleResponse) == "null" {
		return nil
	}
	var v any
	if json.Unmarshal(e.ExampleResponse, &v) != nil {
		return nil
	}
	return v
}

// routeOperation is the operation of a REST-style route.
func routeOperation(vendor string, r Route, byID map[string]*endpoint, all []endpoint, info *vendorInfo) *openapi3.Operation {
	id := catalog.ID(vendor, r.Method, r.Path)
	ep := byID[id]
	op := openapi3.NewOperation()
	op.Responses = openapi3.NewResponses()
	op.Responses.Delete("default")
	if ep == nil {
		op.OperationID = opID(r.Method, r.Path)
		op.Summary = r.Method + " " + r.Path
		op.Description = "Served by standin but not in the vendor's documentation (an alias or an undocumented call that clients use)."
		op.Tags = []string{"undocumented"}
	} else {
		op.OperationID = strings.ReplaceAll(strings.TrimPrefix(ep.ID, vendor+"."), ".", "_")
		op.Summary = ep.Title
		op.Description = ep.Description
		op.Tags = []string{tag(r.Path, info)}
		if r.Method == "HEAD" && ep.Method != "HEAD" {
			op.OperationID += "_head"
		}
	}
	op.Extensions = map[string]any{"x-catalog-id": id}
	if desc, ok := info.pages[r.Path]; ok {
		op.Summary = "invitation page (HTML)"
		op.Description = desc
		op.Tags = []string{"web app"}
		op.OperationID = opID(r.Method, r.Path)
		for _, name := range pathParams(r.Path) {
			op.AddParameter(openapi3.NewPathParameter(name).WithSchema(openapi3.NewStringSchema()))
		}
		if r.Method == "POST" {
			form := openapi3.NewObjectSchema().WithProperty("answer", openapi3.NewStringSchema().WithEnum("accept", "decline")).
				WithProperty("username", str()).WithProperty("name", str()).WithProperty("password", str())
			form.Required = []string{"answer"}
			op.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithContent(openapi3.Content{
				"application/x-www-form-urlencoded": openapi3.NewMediaType().WithSchema(form)})}
		}
		html := openapi3.NewResponse().WithDescription("the page").WithContent(openapi3.Content{
			"text/html": openapi3.NewMediaType().WithSchema(openapi3.NewStringSchema())})
		op.AddResponse(200, html)
		op.Responses.Set("4XX", &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("no such invitation, or it was already answered").WithContent(openapi3.Content{
			"text/html": openapi3.NewMediaType().WithSchema(openapi3.NewStringSchema())})})
		op.Security = &openapi3.SecurityRequirements{}
		return op
	}
	// Path parameters come from the route itself, so they always match.
	described := map[string]param{}
	if ep != nil {
		for _, p := range append(ep.RequiredParams, ep.OptionalParams...) {
			described[p.In+":"+p.Name] = p
		}
	}
	for _, name := range pathParams(r.Path) {
		p := openapi3.NewPathParameter(name).WithSchema(openapi3.NewStringSchema())
		if d, ok := described["path:"+name]; ok {
			p.Description = d.Description
		}
		op.AddParameter(p)
	}
	if ep != nil {
		required := map[string]bool{}
		for _, p := range ep.RequiredParams {
			required[p.In+":"+p.Name] = true
		}
		seen := map[string]bool{}
		for _, p := range append(append([]param{}, ep.RequiredParams...), ep.OptionalParams...) {
			if (p.In != "query" && p.In != "header") || seen[p.In+":"+p.Name] || !simpleName(p.Name) {
				continue
			}
			seen[p.In+":"+p.Name] = true
			if p.In == "header" && isAuthHeader(p.Name) {
				continue // the security scheme says it
			}
			var prm *openapi3.Parameter
			if p.In == "query" {
				prm = openapi3.NewQueryParameter(p.Name)
			} else {
				prm = openapi3.NewHeaderParameter(p.Name)
			}
			prm.Description = p.Description
			prm.Required = required[p.In+":"+p.Name]
			prm.Schema = openapi3.NewSchemaRef("", &openapi3.Schema{})
			op.AddParameter(prm)
		}
		if body := requestBody(ep, r.Method); body != nil {
			op.RequestBody = &openapi3.RequestBodyRef{Value: body}
		}
	}
	status := 0
	var example any
	var schema *openapi3.Schema
	if ep != nil {
		status = ep.status()
		example = info.fixed(ep.ID, ep.exampleResponse())
		// Several endpoints may share the route (Clinked's grants on
		// /oauth/token): the schema admits each one's answer.
		for i := range all {
			o := &all[i]
			if x := info.fixed(o.ID, o.exampleResponse()); x != nil && catalog.ID(vendor, r.Method, r.Path) == id && sameRoute(vendor, o, r) {
				if schema == nil {
					schema = withEnvelope(Infer(x))
				} else {
					schema = merge(schema, withEnvelope(Infer(x)))
				}
			}
		}
	}
	if r.Method == "HEAD" {
		example, schema = nil, nil
	}
	resp := openapi3.NewResponse()
	if schema != nil {
		mt := openapi3.NewMediaType().WithSchema(schema)
		mt.Example = example
		resp.Content = openapi3.Content{"application/json": mt}
	}
	if status == 0 {
		// The catalog does not say which success status: any 2xx.
		resp.WithDescription("success")
		op.Responses.Set("2XX", &openapi3.ResponseRef{Value: resp})
	} else {
		resp.WithDescription(http.StatusText(status))
		op.AddResponse(status, resp)
	}
	addErrors(op, info)
	if info.public(r) {
		op.Security = &openapi3.SecurityRequirements{}
	}
	return op
}

// sameRoute tells whether a catalog endpoint is served by route r.
func sameRoute(vendor string, e *endpoint, r Route) bool {
	if e.Method != r.Method && !(r.Method == "HEAD" && e.Method == "GET") {
		return false
	}
	return catalog.Normalize(e.Path) == catalog.Normalize(r.Path) || catalog.ID(vendor, r.Method, r.Path) == e.ID
}

// actionOperation is the operation of an action-style route (Worksection:
// one path, the action in the query).
func actionOperation(vendor string, r Route, eps []endpoint, info *vendorInfo) *openapi3.Operation {
	op := openapi3.NewOperation()
	op.Responses = openapi3.NewResponses()
	op.Responses.Delete("default")
	op.OperationID = opID(r.Method, r.Path)
	op.Extensions = map[string]any{"x-catalog-id": ""}
	sd, ok := info.extra[r.Path]
	if !ok {
		op.Summary = r.Method + " " + r.Path
		op.Description = "Served by standin but not in the vendor's documentation."
		op.Tags = []string{"undocumented"}
		op.AddResponse(200, openapi3.NewResponse().WithDescription("OK").WithJSONSchema(&openapi3.Schema{}))
		addErrors(op, info)
		return op
	}
	op.Summary, op.Description, op.Tags = sd.summary, sd.description, []string{sd.tag}
	if sd.public {
		op.Security = &openapi3.SecurityRequirements{}
	}
	if !sd.actions {
		resp := openapi3.NewResponse().WithDescription("OK").WithJSONSchema(sd.response)
		op.AddResponse(200, resp)
		addErrors(op, info)
		return op
	}
	var names []string
	var lines []string
	seen := map[string]bool{}
	var anyOf openapi3.SchemaRefs
	var example any
	for i := range eps {
		ep := &eps[i]
		if ep.Action == "" {
			continue
		}
		names = append(names, ep.Action)
		lines = append(lines, fmt.Sprintf("- `%s`: %s", ep.Action, ep.Title))
		if x := info.fixed(ep.ID, ep.exampleResponse()); x != nil {
			anyOf = append(anyOf, openapi3.NewSchemaRef("", withEnvelope(Infer(x))))
			if example == nil {
				example = x
			}
		}
		for _, p := range append(append([]param{}, ep.RequiredParams...), ep.OptionalParams...) {
			if p.Name == "action" || p.Name == "hash" || seen[p.Name] || !simpleName(p.Name) {
				continue
			}
			seen[p.Name] = true
			prm := openapi3.NewQueryParameter(p.Name)
			prm.Description = "(" + ep.Action + ") " + p.Description
			prm.Schema = openapi3.NewSchemaRef("", &openapi3.Schema{})
			op.AddParameter(prm)
		}
	}
	op.Description += "\n\nActions:\n" + strings.Join(lines, "\n")
	action := openapi3.NewQueryParameter("action").WithRequired(true)
	enum := make([]any, len(names))
	for i, n := range names {
		enum[i] = n
	}
	action.Schema = openapi3.NewSchemaRef("", &openapi3.Schema{Type: &openapi3.Types{"string"}, Enum: enum})
	action.Description = "the action to run"
	params := openapi3.Parameters{{Value: action}}
	op.Parameters = append(params, op.Parameters...)
	// The vendor answers application errors with 200 and "status": "error".
	anyOf = append(anyOf, openapi3.NewSchemaRef("#/components/schemas/Error", nil))
	mt := openapi3.NewMediaType().WithSchema(&openapi3.Schema{AnyOf: anyOf})
	mt.Example = example
	resp := openapi3.NewResponse().WithDescription("the action's answer, or an application error")
	resp.Content = openapi3.Content{"application/json": mt}
	op.AddResponse(200, resp)
	addErrors(op, info)
	return op
}

// requestBody describes a JSON body from the catalog's example and its
// body parameters.
func requestBody(ep *endpoint, method string) *openapi3.RequestBody {
	example := ep.exampleBody()
	var bodyParams []param
	for _, p := range ep.RequiredParams {
		if p.In == "body" {
			bodyParams = append(bodyParams, p)
		}
	}
	nreq := len(bodyParams)
	for _, p := range ep.OptionalParams {
		if p.In == "body" {
			bodyParams = append(bodyParams, p)
		}
	}
	if example == nil && len(bodyParams) == 0 {
		return nil
	}
	if method == "GET" || method == "HEAD" || method == "DELETE" {
		if example == nil {
			return nil
		}
	}
	var schema *openapi3.Schema
	if example != nil {
		schema = Infer(example)
		schema.Required = nil // an example is not a contract for requests
	} else {
		schema = openapi3.NewObjectSchema()
	}
	if schema.Type != nil && schema.Type.Includes("object") {
		if schema.Properties == nil {
			schema.Properties = openapi3.Schemas{}
		}
		for i, p := range bodyParams {
			if !simpleName(p.Name) {
				continue
			}
			inExample := false
			if s, ok := schema.Properties[p.Name]; ok && s.Value != nil {
				s.Value.Description = p.Description
				inExample = true
			} else {
				schema.Properties[p.Name] = openapi3.NewSchemaRef("", &openapi3.Schema{Description: p.Description})
			}
			// Required, unless the vendor's own example goes without it.
			if i < nreq && (inExample || example == nil) {
				schema.Required = append(schema.Required, p.Name)
			}
		}
	}
	mt := openapi3.NewMediaType().WithSchema(schema)
	if example != nil {
		mt.Example = example
	}
	return &openapi3.RequestBody{Content: openapi3.Content{"application/json": mt}}
}

// addErrors adds the vendor's error envelope for client and server errors.
func addErrors(op *openapi3.Operation, info *vendorInfo) {
	for _, code := range []string{"4XX", "5XX"} {
		desc := "client error in the vendor's envelope"
		if code == "5XX" {
			desc = "server error in the vendor's envelope"
		}
		op.Responses.Set(code, &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription(desc).
			WithContent(openapi3.NewContentWithJSONSchemaRef(openapi3.NewSchemaRef("#/components/schemas/Error", nil)))})
	}
}

// Infer returns a JSON schema that an example value satisfies: the same
// JSON types, arrays typed by the union of their items. Scalars may also
// be null, since vendors leave fields unset. Nested keys are not required:
// examples often show an optional field (Klipfolio's members with
// full=true); the envelope's keys are (see withEnvelope).
func Infer(v any) *openapi3.Schema {
	switch t := v.(type) {
	case nil:
		// The example shows null: the field is unset there, of a type the
		// example does not tell.
		return anySchema()
	case bool:
		return &openapi3.Schema{Type: &openapi3.Types{"boolean", "null"}}
	case float64, json.Number, int, int64:
		return &openapi3.Schema{Type: &openapi3.Types{"number", "null"}}
	case string:
		return &openapi3.Schema{Type: &openapi3.Types{"string", "null"}}
	case []any:
		s := &openapi3.Schema{Type: &openapi3.Types{"array", "null"}}
		if len(t) > 0 {
			items := Infer(t[0])
			for _, x := range t[1:] {
				items = merge(items, Infer(x))
			}
			s.Items = openapi3.NewSchemaRef("", items)
		} else {
			s.Items = openapi3.NewSchemaRef("", &openapi3.Schema{})
		}
		return s
	case map[string]any:
		s := &openapi3.Schema{Type: &openapi3.Types{"object", "null"}, Properties: openapi3.Schemas{}}
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			s.Properties[k] = openapi3.NewSchemaRef("", Infer(t[k]))
		}
		return s
	}
	return &openapi3.Schema{}
}

// withEnvelope requires the top-level keys of an object response.
func withEnvelope(s *openapi3.Schema) *openapi3.Schema {
	if s.Type != nil && s.Type.Includes("object") {
		s.Type = &openapi3.Types{"object"}
		s.Required = nil
		for k := range s.Properties {
			s.Required = append(s.Required, k)
		}
		sort.Strings(s.Required)
	}
	return s
}

// anySchema accepts any JSON value, null included.
func anySchema() *openapi3.Schema {
	return &openapi3.Schema{Type: &openapi3.Types{"string", "number", "boolean", "object", "array", "null"}}
}

// merge returns a schema that both a and b's values satisfy: the items of
// one example array need not all have the same keys.
func merge(a, b *openapi3.Schema) *openapi3.Schema {
	if a.Type == nil || b.Type == nil || len(*a.Type) > 2 || len(*b.Type) > 2 {
		return anySchema()
	}
	ta, tb := (*a.Type)[0], (*b.Type)[0]
	if ta != tb {
		if ta == "object" || tb == "object" || ta == "array" || tb == "array" {
			return anySchema()
		}
		return &openapi3.Schema{Type: &openapi3.Types{ta, tb, "null"}}
	}
	switch ta {
	case "object":
		out := &openapi3.Schema{Type: &openapi3.Types{"object", "null"}, Properties: openapi3.Schemas{}}
		for k, p := range a.Properties {
			if q, ok := b.Properties[k]; ok {
				out.Properties[k] = openapi3.NewSchemaRef("", merge(p.Value, q.Value))
			} else {
				out.Properties[k] = p
			}
		}
		for k, q := range b.Properties {
			if _, ok := out.Properties[k]; !ok {
				out.Properties[k] = q
			}
		}
		inB := map[string]bool{}
		for _, k := range b.Required {
			inB[k] = true
		}
		for _, k := range a.Required {
			if inB[k] {
				out.Required = append(out.Required, k)
			}
		}
		return out
	case "array":
		return &openapi3.Schema{Type: &openapi3.Types{"array", "null"}, Items: openapi3.NewSchemaRef("", merge(a.Items.Value, b.Items.Value))}
	}
	return a
}

// trailing tells apart /v2 and /v2/, which catalog.Normalize merges.
func trailing(path string) string {
	if strings.HasSuffix(path, "/") {
		return "/"
	}
	return ""
}

func pathParams(path string) []string {
	var out []string
	for _, seg := range strings.Split(path, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			out = append(out, seg[1:len(seg)-1])
		}
	}
	return out
}

func simpleName(n string) bool {
	if n == "" {
		return false
	}
	for _, r := range n {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func isAuthHeader(n string) bool {
	switch strings.ToLower(n) {
	case "authorization", "x-api-key", "kf-api-key":
		return true
	}
	return false
}

// opID makes an operationId from a route: get_v3_accounts_account.
func opID(method, path string) string {
	s := strings.ToLower(method) + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, path)
	for strings.Contains(s, "__") {
		s = strings.ReplaceAll(s, "__", "_")
	}
	return strings.TrimSuffix(s, "_")
}

// tag groups operations by their first meaningful path segment.
func tag(path string, info *vendorInfo) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for _, s := range segs[min(info.tagSkip, len(segs)):] {
		if s != "" && !strings.HasPrefix(s, "{") {
			return s
		}
	}
	return "other"
}

// JSON renders a document as indented JSON.
func JSON(doc *openapi3.T) ([]byte, error) {
	return json.MarshalIndent(doc, "", "  ")
}

// YAML renders a document as YAML (through its JSON form, so that both
// spell every field the same way).
func YAML(doc *openapi3.T) ([]byte, error) {
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	var node yaml.Node
	if err := yaml.Unmarshal(b, &node); err != nil { // JSON is YAML
		return nil, err
	}
	clearStyle(&node)
	return yaml.Marshal(&node)
}

// clearStyle turns JSON's flow style into YAML's block style, keeping the
// key order.
func clearStyle(n *yaml.Node) {
	if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
		n.Style = 0
	}
	if n.Kind == yaml.ScalarNode && n.Style == yaml.DoubleQuotedStyle {
		n.Style = 0
	}
	for _, c := range n.Content {
		clearStyle(c)
	}
}

var (
	cacheMu sync.Mutex
	cache   = map[string][]byte{}
)

// Cached returns build's result for key, building it once.
func Cached(key string, build func() ([]byte, error)) ([]byte, error) {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if b, ok := cache[key]; ok {
		return b, nil
	}
	b, err := build()
	if err != nil {
		return nil, err
	}
	cache[key] = b
	return b, nil
}
