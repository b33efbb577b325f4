package registry_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/testenv"
)

// TestUncleanPathsStayInTheirNamespace sends each vendor paths with //,
// /./ and /../ after a namespace prefix. net/http's mux would redirect them
// to the cleaned path without the prefix (the default namespace) in
// text/html; a vendor port serves the cleaned path in the same namespace.
func TestUncleanPathsStayInTheirNamespace(t *testing.T) {
	env := testenv.Start(t, registry.All)
	ns := env.NewNamespace(t, "empty")
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	cases := []struct{ vendor, method, path, body string }{
		{"klipfolio", "POST", "/api/1/groups", `{"name":"In namespace","description":"d"}`},
		{"klipfolio", "GET", "/api/1/groups", ""},
		{"clinked", "GET", "/v3/userinfo", ""},
		{"workdrive", "GET", "/api/users", ""},
		{"worksection", "GET", "/api/oauth2?action=get_users", ""},
	}
	for _, c := range cases {
		for _, dirty := range []string{"/", "/./", "/x/../", "/../../../"} {
			p := dirty + strings.TrimPrefix(c.path, "/")
			req, err := http.NewRequest(c.method, ns.BaseURL(c.vendor)+p, strings.NewReader(c.body))
			if err != nil {
				t.Fatal(err)
			}
			req.URL.Opaque = "" // keep the path as written
			for k, vs := range vendorAuth(ns, c.vendor) {
				req.Header[k] = vs
			}
			res, err := noRedirect.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode/100 != 2 || !strings.Contains(res.Header.Get("Content-Type"), "json") {
				t.Errorf("%s %s %s: %d %s, Location %q; want the namespace's JSON answer", c.vendor, c.method, req.URL.Path,
					res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Location"))
			}
		}
	}
	// The group made through unclean paths is in the namespace, not the
	// default one.
	res := env.Do(t, "GET", ns.BaseURL("klipfolio")+"/api/1/groups", nil, vendorAuth(ns, "klipfolio"))
	if n := strings.Count(string(res.Body), "In namespace"); n != 4 {
		t.Errorf("namespace holds %d of the 4 groups made through unclean paths: %s", n, res.Body)
	}
}
