package standintest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/standin-dev/standin/standintest"
)

// In a test, standintest.New(t, opts) starts the server and stops it when
// the test ends; outside a test (here, TestMain), Start and Close do.
func Example() {
	srv, err := standintest.Start(standintest.Options{DB: "memory", DefaultSeed: "empty"})
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	t := standintest.Outside() // in a test: the test's t
	ns := srv.NewNamespace(t, "docs")

	req, _ := http.NewRequest("GET", ns.BaseURL(standintest.Klipfolio)+"/api/1/groups", nil)
	req.Header.Set("kf-api-key", ns.Credential(standintest.Klipfolio, "api_key"))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	res.Body.Close()
	fmt.Println(res.StatusCode)
	// Output: 200
}

// klipfolioGroups lists a namespace's Klipfolio group names in process.
func klipfolioGroups(ns *standintest.Namespace) string {
	req, _ := http.NewRequest("GET", ns.BaseURL(standintest.Klipfolio)+"/api/1/groups", nil)
	req.Header.Set("kf-api-key", ns.Credential(standintest.Klipfolio, "api_key"))
	res, err := ns.HTTPClient().Do(req)
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var names []string
	for _, part := range strings.Split(string(b), `"name":"`)[1:] {
		names = append(names, part[:strings.IndexByte(part, '"')])
	}
	return strings.Join(names, ", ")
}

// start runs a server in memory with one namespace made from seed.
func start(seed string) (*standintest.Server, *standintest.Namespace) {
	srv, err := standintest.Start(standintest.Options{DB: "memory", DefaultSeed: "empty"})
	if err != nil {
		panic(err)
	}
	return srv, srv.NewNamespace(standintest.Outside(), seed)
}

// HTTPHandler serves a vendor in process, without a listener: the default
// namespace at the root, others under /ns/{id}.
func ExampleServer_HTTPHandler() {
	srv, ns := start("empty")
	defer srv.Close()
	h := srv.HTTPHandler(standintest.Klipfolio)
	req := httptest.NewRequest("GET", "/ns/"+ns.ID+"/api/1/groups", nil)
	req.Header.Set("kf-api-key", ns.Credential(standintest.Klipfolio, "api_key"))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	fmt.Println(rec.Code)
	// Output: 200
}

// HTTPClient reaches the namespace's base URLs without the network.
func ExampleNamespace_HTTPClient() {
	srv, ns := start("empty")
	defer srv.Close()
	fmt.Println(klipfolioGroups(ns))
	// Output: All Users
}

// Each namespace has its own clock: expire its tokens without waiting.
func ExampleClock_Advance() {
	srv, ns := start("empty")
	defer srv.Close()
	before := ns.Clock().Now()
	ns.Clock().Advance(90 * time.Minute)
	fmt.Println(ns.Clock().Now().Sub(before))
	// Output: 1h30m0s
}

func ExampleClock_Set() {
	srv, ns := start("empty")
	defer srv.Close()
	ns.Clock().Set(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	fmt.Println(ns.Clock().Now().Format(time.RFC3339))
	// Output: 2030-01-01T00:00:00Z
}

// Load loads a seed document (YAML, JSON or Go values) into one namespace.
func ExampleNamespace_Load() {
	srv, ns := start("empty")
	defer srv.Close()
	ns.Load(map[string]any{"klipfolio": map[string]any{"groups": []map[string]string{
		{"id": "c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7", "name": "Safety Inspectors", "description": "Sector 7G"}}}})
	fmt.Println(klipfolioGroups(ns))
	// Output: All Users, Safety Inspectors
}

// Options.Fixtures are loaded into every namespace.
func ExampleOptions_fixtures() {
	srv, err := standintest.Start(standintest.Options{DB: "memory", DefaultSeed: "empty", Fixtures: `
klipfolio:
  groups: [{id: "00000000000000000000000000000001", name: Everywhere, description: ""}]
`})
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	fmt.Println(klipfolioGroups(srv.NewNamespace(standintest.Outside(), "empty")))
	// Output: All Users, Everywhere
}

// With RealTime, clocks flow with the wall clock, as under `standin serve`.
func ExampleOptions_realTime() {
	srv, err := standintest.Start(standintest.Options{DB: "memory", DefaultSeed: "empty", RealTime: true})
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	ns := srv.NewNamespace(standintest.Outside(), "empty")
	first := ns.Clock().Now()
	time.Sleep(2 * time.Millisecond)
	fmt.Println(ns.Clock().Now().After(first))
	// Output: true
}

// A snapshot captures the whole namespace; Restore puts it back.
func ExampleNamespace_Snapshot() {
	srv, ns := start("empty")
	defer srv.Close()
	snap := ns.Snapshot()
	ns.Load("klipfolio:\n  groups: [{id: g1, name: Temporary, description: ''}]\n")
	fmt.Println(klipfolioGroups(ns))
	ns.Restore(snap)
	fmt.Println(klipfolioGroups(ns))
	// Output:
	// All Users, Temporary
	// All Users
}

// A fork holds a copy of the namespace's data, ids included, with its own
// credentials.
func ExampleNamespace_Fork() {
	srv, ns := start("empty")
	defer srv.Close()
	ns.Load("klipfolio:\n  groups: [{id: g1, name: Shared, description: ''}]\n")
	fork := ns.Fork()
	fmt.Println(klipfolioGroups(fork))
	fmt.Println(fork.Credential(standintest.Klipfolio, "api_key") != ns.Credential(standintest.Klipfolio, "api_key"))
	// Output:
	// All Users, Shared
	// true
}

// The outbox holds the mail that the vendors would have sent.
func ExampleNamespace_Outbox() {
	srv, ns := start("demo")
	defer srv.Close()
	req, _ := http.NewRequest("POST", ns.BaseURL(standintest.Clinked)+"/v3/accounts/1/invites",
		strings.NewReader(`{"emails": ["sam@example.com"], "permission": 8}`))
	req.Header.Set("Authorization", "Bearer "+ns.Credential(standintest.Clinked, "access_token"))
	req.Header.Set("Content-Type", "application/json")
	res, err := ns.HTTPClient().Do(req)
	if err != nil {
		panic(err)
	}
	res.Body.Close()
	for _, m := range ns.Outbox() {
		fmt.Println(m.Vendor, m.To)
	}
	// Output: clinked sam@example.com
}

// Settings switches vendor behaviour per namespace.
func ExampleSettings_Set() {
	srv, ns := start("empty")
	defer srv.Close()
	ns.Settings(standintest.Clinked).Set(map[string]any{"rate_limit": map[string]any{"enabled": false}})
	fmt.Println(string(ns.Settings(standintest.Clinked).Get()))
	// Output: {"rate_limit":{"enabled":false}}
}

// AcceptInvite answers a Clinked invite as its recipient would.
func ExampleClinkedControl_AcceptInvite() {
	srv, ns := start("demo")
	defer srv.Close()
	// The demo seed holds a pending invite with this key.
	inv := ns.Clinked().AcceptInvite("0d8f2a9e-4b1c-4e7a-9c3d-5f6a7b8c9d01")
	fmt.Println(inv.Status, inv.Email)
	// Output: accepted new.hire@northwind.example
}

// Export writes the namespace as a seed document; Load reproduces it.
func ExampleNamespace_Export() {
	srv, ns := start("empty")
	defer srv.Close()
	ns.Load("klipfolio:\n  clients: [{id: c1, name: Client One}]\n")
	doc := ns.Export()
	fmt.Print(string(doc))
	copied := srv.NewNamespace(standintest.Outside(), "empty")
	copied.Load(doc)
	fmt.Println(string(copied.Export()) == string(doc))
	// Output:
	// klipfolio:
	//   clients:
	//     - id: c1
	//       name: Client One
	// true
}
