package lifecycle_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/standin-dev/standin/internal/lifecycle"
	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/testenv"
)

// dump returns every row that namespace key ns holds in every namespaced
// table, without the ns column, sorted: two equal dumps are equal states.
func dump(t testing.TB, db *store.DB, ns string) map[string][]string {
	t.Helper()
	ctx := context.Background()
	names, err := lifecycle.NewTables(db).Names(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, tn := range names {
		rows, err := db.QueryContext(ctx, "SELECT * FROM "+tn+" WHERE ns = $1", ns)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals, err := store.ScanValues(rows, len(cols))
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, v := range vals[1:] {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, "%v|", v)
			}
			out[tn] = append(out[tn], b.String())
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		sort.Strings(out[tn])
	}
	return out
}

func diff(t testing.TB, what string, a, b map[string][]string) {
	t.Helper()
	for tn := range a {
		if !reflect.DeepEqual(a[tn], b[tn]) {
			t.Errorf("%s: table %s differs:\n%d rows: %.600q\n%d rows: %.600q", what, tn, len(a[tn]), a[tn], len(b[tn]), b[tn])
		}
	}
	for tn := range b {
		if _, ok := a[tn]; !ok && len(b[tn]) > 0 {
			t.Errorf("%s: table %s only on one side", what, tn)
		}
	}
}

type ns = testenv.Namespace

// upload stores a WorkDrive file through GET /api/media and the presigned
// POST, and returns its download URL.
func upload(t testing.TB, env *testenv.Env, n *ns, content []byte) string {
	t.Helper()
	var tk testenv.MediaTicket
	env.Do(t, "GET", n.BaseURL("workdrive")+"/api/media?mime=image/png&name=a.png&moduleCode=1", nil,
		http.Header{"X-API-KEY": {n.Cred("workdrive", "api_key")}}).Decode(t, 200, &tk)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, _ := tk.WriteForm(mw)
	_, _ = part.Write(content)
	_ = mw.Close()
	res := env.Do(t, "POST", tk.SignedRequest.URL, body.Bytes(), http.Header{"Content-Type": {mw.FormDataContentType()}})
	if res.StatusCode != http.StatusNoContent {
		t.Fatalf("upload: %d %s", res.StatusCode, res.Body)
	}
	return tk.URL
}

func md5Hash(q, key string) string {
	s := md5.Sum([]byte(q + key))
	return hex.EncodeToString(s[:])
}

// authed is one authenticated read per vendor with a namespace's
// credentials (creds) against a namespace's base URLs (at).
func authed(t testing.TB, env *testenv.Env, at, creds *ns) map[string]int {
	t.Helper()
	out := map[string]int{}
	out["klipfolio api_key"] = env.Do(t, "GET", at.BaseURL("klipfolio")+"/api/1/groups", nil,
		http.Header{"kf-api-key": {creds.Cred("klipfolio", "api_key")}}).StatusCode
	out["clinked access_token"] = env.Do(t, "GET", at.BaseURL("clinked")+"/v3/userinfo", nil,
		http.Header{"Authorization": {"Bearer " + creds.Cred("clinked", "access_token")}}).StatusCode
	out["clinked password"] = env.Do(t, "POST", at.BaseURL("clinked")+"/oauth/token", url.Values{
		"grant_type": {"password"}, "client_id": {"clinked-mobile"},
		"username": {creds.Cred("clinked", "username")}, "password": {creds.Cred("clinked", "password")}}, nil).StatusCode
	out["clinked client_credentials"] = env.Do(t, "POST", at.BaseURL("clinked")+"/oauth/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {creds.Cred("clinked", "client_id")},
		"client_secret": {creds.Cred("clinked", "client_secret")}}, nil).StatusCode
	q := "action=get_users"
	res := env.Do(t, "GET", at.BaseURL("worksection")+"/api/admin/v2/?"+q+"&hash="+md5Hash(q, creds.Cred("worksection", "api_key")), nil, nil)
	out["worksection api_key"] = res.StatusCode
	if res.StatusCode == 200 && !bytes.Contains(res.Body, []byte(`"ok"`)) {
		out["worksection api_key"] = 401
	}
	out["worksection access_token"] = env.Do(t, "GET", at.BaseURL("worksection")+"/api/oauth2?action=me", nil,
		http.Header{"Authorization": {"Bearer " + creds.Cred("worksection", "access_token")}}).StatusCode
	out["workdrive api_key"] = env.Do(t, "GET", at.BaseURL("workdrive")+"/api/users", nil,
		http.Header{"X-API-KEY": {creds.Cred("workdrive", "api_key")}}).StatusCode
	// The SuperAdmin's one endpoint: an empty organization is a 400 once
	// the key is accepted, a 401 before.
	out["workdrive superadmin_api_key"] = env.Do(t, "POST", at.BaseURL("workdrive")+"/api/organization", map[string]any{},
		http.Header{"X-API-KEY": {creds.Cred("workdrive", "superadmin_api_key")}}).StatusCode
	if out["workdrive superadmin_api_key"] == 400 {
		out["workdrive superadmin_api_key"] = 200
	}
	return out
}

func control(env *testenv.Env, path string) string {
	return env.Control + "/_standin/namespaces" + path
}

type snapshot struct {
	ID        string `json:"id"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
}

func TestSnapshotRestore(t *testing.T) {
	env := testenv.Start(t, registry.All)
	for _, seed := range []string{"empty", "docs"} {
		t.Run(seed, func(t *testing.T) {
			n := env.NewNamespace(t, seed)
			file := []byte("the bytes of a file uploaded before the snapshot")
			fileURL := upload(t, env, n, file)
			env.Do(t, "POST", control(env, "/"+n.ID+"/clock"), map[string]string{"advance": "3h"}, nil).Decode(t, 200, nil)
			env.Do(t, "PUT", control(env, "/"+n.ID+"/settings/clinked"), map[string]any{"rate_limit": map[string]any{"limit": 50}}, nil).Decode(t, 200, nil)
			before := dump(t, env.DB, n.ID)
			var info testenv.Namespace
			env.Do(t, "GET", control(env, "/"+n.ID), nil, nil).Decode(t, 200, &info)

			var snap snapshot
			env.Do(t, "POST", control(env, "/"+n.ID+"/snapshots"), map[string]string{"name": "before"}, nil).Decode(t, 201, &snap)
			if snap.ID == "" || snap.Name != "before" || snap.Namespace != n.ID {
				t.Fatalf("snapshot %+v", snap)
			}
			diff(t, "snapshot copy", before, dump(t, env.DB, lifecycle.SnapshotKey(snap.ID)))

			// Change every vendor, the clock, settings, documents and files.
			env.Do(t, "POST", n.BaseURL("klipfolio")+"/api/1/groups", map[string]string{"name": "After", "description": "d"},
				http.Header{"kf-api-key": {n.Cred("klipfolio", "api_key")}}).Decode(t, 201, nil)
			authed(t, env, n, n) // issues Clinked tokens
			q := "action=add_user_group&title=After"
			env.Do(t, "GET", n.BaseURL("worksection")+"/api/admin/v2/?"+q+"&hash="+md5Hash(q, n.Cred("worksection", "api_key")), nil, nil).Decode(t, 200, nil)
			upload(t, env, n, []byte("another file"))
			env.Do(t, "POST", control(env, "/"+n.ID+"/clock"), map[string]string{"advance": "5h"}, nil).Decode(t, 200, nil)
			env.Do(t, "PUT", control(env, "/"+n.ID+"/settings/clinked"), map[string]any{"rate_limit": map[string]any{"enabled": false}}, nil).Decode(t, 200, nil)
			env.Do(t, "POST", control(env, "/"+n.ID+"/seed"), []byte("klipfolio:\n  clients: [{id: c1, name: Client}]\n"), nil).Decode(t, 200, nil)
			diffs := dump(t, env.DB, n.ID)
			if reflect.DeepEqual(before, diffs) {
				t.Fatal("the changes changed nothing")
			}

			var restored testenv.Namespace
			env.Do(t, "POST", control(env, "/"+n.ID+"/snapshots/"+snap.ID+"/restore"), nil, nil).Decode(t, 200, &restored)
			diff(t, "restored", before, dump(t, env.DB, n.ID))
			if !reflect.DeepEqual(info.Vendors, restored.Vendors) {
				t.Errorf("credentials after restore:\n%v\nwant\n%v", restored.Vendors, info.Vendors)
			}
			var clk struct {
				OffsetMS int64 `json:"offset_ms"`
			}
			env.Do(t, "GET", control(env, "/"+n.ID+"/clock"), nil, nil).Decode(t, 200, &clk)
			if clk.OffsetMS != 3*3600*1000 {
				t.Errorf("clock offset %d after restore, want 3h", clk.OffsetMS)
			}
			var st struct {
				RateLimit map[string]any `json:"rate_limit"`
			}
			env.Do(t, "GET", control(env, "/"+n.ID+"/settings/clinked"), nil, nil).Decode(t, 200, &st)
			if fmt.Sprint(st.RateLimit["limit"]) != "50" || st.RateLimit["enabled"] != true {
				t.Errorf("settings after restore: %v", st.RateLimit)
			}
			if res := env.Do(t, "GET", fileURL, nil, nil); res.StatusCode != 200 || !bytes.Equal(res.Body, file) {
				t.Errorf("file after restore: %d %q", res.StatusCode, res.Body)
			}
			// Reset replays the documents of the snapshot, not the later one.
			env.Do(t, "POST", control(env, "/"+n.ID+"/reset"), nil, nil).Decode(t, 200, nil)
			res := env.Do(t, "GET", n.BaseURL("klipfolio")+"/api/1/groups", nil, http.Header{"kf-api-key": {n.Cred("klipfolio", "api_key")}})
			if bytes.Contains(res.Body, []byte("Client")) {
				t.Error("reset after restore replayed a document loaded after the snapshot")
			}

			// A restore can be repeated; the snapshot stays until deleted.
			env.Do(t, "POST", control(env, "/"+n.ID+"/snapshots/"+snap.ID+"/restore"), nil, nil).Decode(t, 200, nil)
			diff(t, "restored twice", before, dump(t, env.DB, n.ID))
			var list struct {
				Snapshots []snapshot `json:"snapshots"`
				Total     int        `json:"total"`
			}
			env.Do(t, "GET", control(env, "/"+n.ID+"/snapshots"), nil, nil).Decode(t, 200, &list)
			if list.Total != 1 || list.Snapshots[0].ID != snap.ID {
				t.Fatalf("list %+v", list)
			}
			env.Do(t, "DELETE", control(env, "/"+n.ID+"/snapshots/"+snap.ID), nil, nil).Decode(t, 204, nil)
			for tn, rows := range dump(t, env.DB, lifecycle.SnapshotKey(snap.ID)) {
				if len(rows) > 0 {
					t.Errorf("deleted snapshot left %d rows in %s", len(rows), tn)
				}
			}
			env.Do(t, "DELETE", control(env, "/"+n.ID+"/snapshots/"+snap.ID), nil, nil).Decode(t, 404, nil)
			env.Do(t, "POST", control(env, "/"+n.ID+"/snapshots/"+snap.ID+"/restore"), nil, nil).Decode(t, 404, nil)
		})
	}
	t.Run("errors", func(t *testing.T) {
		tests := []struct {
			method, path string
			body         any
			status       int
		}{
			{"POST", "/nope/snapshots", nil, 404},
			{"GET", "/nope/snapshots", nil, 404},
			{"DELETE", "/nope/snapshots/snap-1", nil, 404},
			{"POST", "/default/snapshots/snap-1/restore", nil, 404},
			{"POST", "/default/snapshots", []byte(`{"name": 7}`), 400},
			{"POST", "/default/snapshots", map[string]string{"name": strings.Repeat("n", 300)}, 400},
			{"POST", "", map[string]string{"from": "nope"}, 404},
			{"POST", "", map[string]string{"from": "default", "snapshot": "snap-1"}, 404},
			{"POST", "", map[string]string{"snapshot": "snap-1"}, 400},
			{"POST", "", map[string]string{"from": "default", "seed": "docs"}, 400},
			{"POST", "", map[string]string{"from": "default", "id": "default"}, 409},
			{"POST", "", map[string]string{"from": "default", "id": "Bad Id"}, 400},
		}
		for _, tt := range tests {
			res := env.Do(t, tt.method, control(env, tt.path), tt.body, nil)
			if res.StatusCode != tt.status {
				t.Errorf("%s %s %v: %d %s, want %d", tt.method, tt.path, tt.body, res.StatusCode, res.Body, tt.status)
			}
		}
	})
}

func TestForkIsolation(t *testing.T) {
	env := testenv.Start(t, registry.All)
	src := env.NewNamespace(t, "demo")
	upload(t, env, src, []byte("file bytes"))
	authed(t, env, src, src) // issue tokens in the source
	var snap snapshot
	env.Do(t, "POST", control(env, "/"+src.ID+"/snapshots"), nil, nil).Decode(t, 201, &snap)
	atSnapshot := dump(t, env.DB, src.ID)
	env.Do(t, "POST", src.BaseURL("klipfolio")+"/api/1/groups", map[string]string{"name": "Later", "description": "d"},
		http.Header{"kf-api-key": {src.Cred("klipfolio", "api_key")}}).Decode(t, 201, nil)

	for _, from := range []struct{ name, snapshot string }{{"current", ""}, {"snapshot", snap.ID}} {
		t.Run(from.name, func(t *testing.T) {
			var fork testenv.Namespace
			env.Do(t, "POST", control(env, ""), map[string]any{"from": src.ID, "snapshot": from.snapshot,
				"labels": map[string]string{"kind": "fork"}}, nil).Decode(t, 201, &fork)
			if fork.ID == src.ID || fork.Seed != "demo" {
				t.Fatalf("fork %s seed %s", fork.ID, fork.Seed)
			}
			for v, creds := range src.Vendors {
				for k, val := range creds {
					if k == "base_url" || k == "username" || k == "email" || k == "client_id" || k == "org_id" || k == "user_id" {
						continue
					}
					if fork.Cred(v, k) == fmt.Sprint(val) {
						t.Errorf("%s %s is the same in the fork", v, k)
					}
				}
			}
			want := map[string]int{}
			for k := range authed(t, env, &fork, &fork) {
				want[k] = 200
			}
			if got := authed(t, env, &fork, &fork); !reflect.DeepEqual(got, want) {
				t.Errorf("the fork's own credentials: %v", got)
			}
			for name, got := range authed(t, env, &fork, src) {
				if got < 400 || got >= 500 {
					t.Errorf("the source's %s works in the fork: %d", name, got)
				}
			}
			for name, got := range authed(t, env, src, &fork) {
				if got < 400 || got >= 500 {
					t.Errorf("the fork's %s works in the source: %d", name, got)
				}
			}
			// Everything but credentials is equal, ids included.
			a, b := dump(t, env.DB, src.ID), dump(t, env.DB, fork.ID)
			if from.snapshot != "" {
				a = atSnapshot
			}
			for _, tn := range []string{"clinked_tokens", "clinked_applications", "clinked_users", "klipfolio_users",
				"worksection_accounts", "worksection_tokens", "worksection_oauth_clients", "workdrive_api_keys",
				"clinked_rate_counts", "standin_counters"} {
				delete(a, tn)
				delete(b, tn)
			}
			diff(t, "fork", a, b)
			later := bytes.Contains(env.Do(t, "GET", fork.BaseURL("klipfolio")+"/api/1/groups", nil,
				http.Header{"kf-api-key": {fork.Cred("klipfolio", "api_key")}}).Body, []byte("Later"))
			if later != (from.snapshot == "") {
				t.Errorf("fork of %s: group made after the snapshot present = %v", from.name, later)
			}
			// A reset keeps the fork's own credentials.
			var reset testenv.Namespace
			env.Do(t, "POST", control(env, "/"+fork.ID+"/reset"), nil, nil).Decode(t, 200, &reset)
			if !reflect.DeepEqual(reset.Vendors, fork.Vendors) {
				t.Errorf("credentials changed on reset")
			}
			if got := authed(t, env, &fork, &fork); !reflect.DeepEqual(got, want) {
				t.Errorf("the fork's own credentials after reset: %v", got)
			}
		})
	}
}
