package standintest_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/standin-dev/standin/internal/testenv"
	"github.com/standin-dev/standin/standintest"
)

func TestNamespacesAreIsolated(t *testing.T) {
	srv := standintest.New(t, standintest.Options{DB: testenv.DSN(t)})
	a := srv.NewNamespace(t, "empty")
	b := srv.NewNamespace(t, "empty")
	if a.BaseURL("klipfolio") == b.BaseURL("klipfolio") {
		t.Fatal("two namespaces share a base URL")
	}
	tests := []struct {
		name   string
		base   string
		key    string
		status int
	}{
		{"own key", a.BaseURL("klipfolio"), a.Credential("klipfolio", "api_key"), 200},
		{"other namespace's key", a.BaseURL("klipfolio"), b.Credential("klipfolio", "api_key"), 401},
		{"default namespace's key", a.BaseURL("klipfolio"), srv.Default(t).Credential("klipfolio", "api_key"), 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", tt.base+"/api/1/groups", nil)
			req.Header.Set("kf-api-key", tt.key)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			if res.StatusCode != tt.status {
				b, _ := io.ReadAll(res.Body)
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tt.status, b)
			}
		})
	}
}

func TestFixtureOption(t *testing.T) {
	srv := standintest.New(t, standintest.Options{DB: testenv.DSN(t), DefaultSeed: "empty", Fixtures: []byte(`
klipfolio:
  groups:
    - id: "00000000000000000000000000000001"
      name: From the fixture
      description: loaded by standintest
`)})
	ns := srv.Default(t)
	req, _ := http.NewRequest("GET", ns.BaseURL("klipfolio")+"/api/1/groups", nil)
	req.Header.Set("kf-api-key", ns.Credential("klipfolio", "api_key"))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if !strings.Contains(string(b), "From the fixture") {
		t.Fatalf("fixture group missing: %s", b)
	}
}

func TestControlTokenOption(t *testing.T) {
	srv := standintest.New(t, standintest.Options{DB: testenv.DSN(t), ControlToken: "tok"})
	// The Server passes the token itself.
	ns := srv.NewNamespace(t, "empty")
	srv.Reset(t, ns)
	// Others do not get in without it.
	res, err := http.Get(srv.ControlURL() + "/_standin/namespaces/" + ns.ID)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("without the token: %d, want 401", res.StatusCode)
	}
}
