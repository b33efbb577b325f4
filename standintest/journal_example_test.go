package standintest_test

import (
	"fmt"

	"github.com/standin-dev/standin/standintest"
)

// Requests lists what the code under test sent, newest first, with the
// catalog's endpoint ids.
func ExampleNamespace_Requests() {
	srv, ns := start("empty")
	defer srv.Close()
	klipfolioGroups(ns)
	for _, r := range ns.Requests(standintest.RequestFilter{Vendor: standintest.Klipfolio}) {
		fmt.Println(r.Method, r.Path, r.Status, r.Endpoint)
	}
	// Output: GET /api/1/groups 200 klipfolio.groups.list
}

// Verify asserts on the journal; a failed expectation reports the near
// misses to t.
func ExampleNamespace_Verify() {
	srv, ns := start("empty")
	defer srv.Close()
	klipfolioGroups(ns)
	t := standintest.Outside() // in a test: the test's t
	v := ns.Verify(t, standintest.Expectation{Vendor: standintest.Klipfolio, Endpoint: "klipfolio.groups.list",
		Count: standintest.Times(1)})
	fmt.Println(v.Matched, v.Expected)
	// Output: true exactly 1
}

// Fault makes a vendor misbehave for the code under test: here the next
// group list answers 503 in Klipfolio's error envelope.
func ExampleNamespace_Fault() {
	srv, ns := start("empty")
	defer srv.Close()
	rule := ns.Fault(standintest.FaultRule{Vendor: standintest.Klipfolio, Endpoint: "klipfolio.groups.list",
		Times: 1, Action: &standintest.FaultAction{Status: 503}})
	fmt.Printf("%q\n", klipfolioGroups(ns)) // the 503 holds no groups
	fmt.Println(klipfolioGroups(ns))
	r := ns.Requests(standintest.RequestFilter{Status: "5xx"})[0]
	fmt.Println(r.Status, r.Fault.Rule == rule.ID, r.Fault.Action)
	// Output:
	// ""
	// All Users
	// 503 true status
}
