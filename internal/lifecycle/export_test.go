package lifecycle_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/testenv"
)

// An export loaded into a new empty namespace exports the same document.
func TestExportRoundTrip(t *testing.T) {
	env := testenv.Start(t, registry.All)
	for _, seed := range []string{"demo", "docs"} {
		for _, accept := range []string{"application/yaml", "application/json"} {
			t.Run(seed+" "+accept, func(t *testing.T) {
				src := env.NewNamespace(t, seed)
				env.Do(t, "POST", src.BaseURL("klipfolio")+"/api/1/groups", map[string]string{"name": "Made by API", "description": "d"},
					http.Header{"kf-api-key": {src.Cred("klipfolio", "api_key")}}).Decode(t, 201, nil)
				env.Do(t, "POST", control(env, "/"+src.ID+"/seed"),
					`{"klipfolio":{"groups":[{"id":"adm1","name":"Admins","description":"","members":["admin"]}]}}`, nil).Decode(t, 200, nil)
				q := "action=add_contact_group&title=Made+by+API"
				env.Do(t, "GET", src.BaseURL("worksection")+"/api/admin/v2/?"+q+"&hash="+md5Hash(q, src.Cred("worksection", "api_key")), nil, nil).Decode(t, 200, nil)
				hdr := http.Header{"Accept": {accept}}
				first := env.Do(t, "GET", control(env, "/"+src.ID+"/export"), nil, hdr)
				first.Decode(t, 200, nil)
				if ct := first.Header.Get("Content-Type"); !strings.Contains(ct, strings.TrimPrefix(accept, "application/")) {
					t.Errorf("Content-Type %q for Accept %q", ct, accept)
				}
				if bytes.Count(first.Body, []byte("Made by API")) != 2 || !(bytes.Contains(first.Body, []byte("- admin\n")) || bytes.Contains(first.Body, []byte(`"admin"`))) {
					t.Fatalf("export lacks the group made by the API:\n%s", first.Body)
				}
				if accept == "application/json" && !json.Valid(first.Body) {
					t.Fatalf("not JSON:\n%s", first.Body)
				}
				dst := env.NewNamespace(t, "empty")
				env.Do(t, "POST", control(env, "/"+dst.ID+"/seed"), first.Body, nil).Decode(t, 200, nil)
				second := env.Do(t, "GET", control(env, "/"+dst.ID+"/export"), nil, hdr)
				second.Decode(t, 200, nil)
				if !bytes.Equal(first.Body, second.Body) {
					t.Errorf("export after import differs:\n%s\n---\n%s", first.Body, second.Body)
				}
			})
		}
	}
	env.Do(t, "GET", control(env, "/nope/export"), nil, nil).Decode(t, 404, nil)
}
