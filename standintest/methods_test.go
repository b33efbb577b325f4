package standintest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/standin-dev/standin/internal/testenv"
	"github.com/standin-dev/standin/standintest"
)

// get sends a GET with one header through client and returns status and body.
func get(t *testing.T, client *http.Client, url, header, value string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set(header, value)
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func send(t *testing.T, client *http.Client, method, url string, header http.Header, body any) (int, []byte) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, url, bytes.NewReader(b))
	for k, vs := range header {
		req.Header.Set(k, vs[0])
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, out
}

func TestNamespaceClock(t *testing.T) {
	srv := standintest.New(t, standintest.Options{DB: testenv.DSN(t)})
	a, b := srv.NewNamespace(t, "empty"), srv.NewNamespace(t, "empty")
	start := a.Clock().Now()
	if !b.Clock().Now().Equal(start) || !a.Clock().Now().Equal(start) {
		t.Fatal("the clock moves without being told")
	}
	a.Clock().Advance(2 * time.Hour)
	if got := a.Clock().Now().Sub(start); got != 2*time.Hour {
		t.Errorf("advanced by %v, want 2h", got)
	}
	if !b.Clock().Now().Equal(start) {
		t.Error("advancing one namespace moved another")
	}
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	a.Clock().Set(at)
	if !a.Clock().Now().Equal(at) {
		t.Errorf("set: %v, want %v", a.Clock().Now(), at)
	}
	srv.Advance(time.Minute)
	if got := b.Clock().Now().Sub(start); got != time.Minute {
		t.Errorf("server advance moved b by %v", got)
	}
}

func TestRealTime(t *testing.T) {
	srv := standintest.New(t, standintest.Options{DB: testenv.DSN(t), RealTime: true, DefaultSeed: "empty"})
	ns := srv.NewNamespace(t, "empty")
	first := ns.Clock().Now()
	time.Sleep(5 * time.Millisecond)
	if !ns.Clock().Now().After(first) {
		t.Error("with RealTime the clock stands still")
	}
	ns.Clock().Advance(time.Hour)
	if d := ns.Clock().Now().Sub(first); d < time.Hour {
		t.Errorf("advance with RealTime: %v", d)
	}
}

func TestSnapshotForkAndHandlers(t *testing.T) {
	srv := standintest.New(t, standintest.Options{DB: testenv.DSN(t)})
	ns := srv.NewNamespace(t, "docs")
	client := ns.HTTPClient()
	base, key := ns.BaseURL(standintest.Klipfolio), ns.Credential(standintest.Klipfolio, "api_key")
	snap := ns.Snapshot()
	hdr := http.Header{"kf-api-key": {key}}
	if status, body := send(t, client, "POST", base+"/api/1/groups", hdr, map[string]string{"name": "Later", "description": "x"}); status != 201 {
		t.Fatalf("create group in process: %d %s", status, body)
	}
	if _, body := get(t, client, base+"/api/1/groups", "kf-api-key", key); !strings.Contains(body, "Later") {
		t.Fatal("group missing")
	}
	fork := ns.Fork()
	ns.Restore(snap)
	if _, body := get(t, client, base+"/api/1/groups", "kf-api-key", key); strings.Contains(body, "Later") {
		t.Error("restore kept a group made after the snapshot")
	}
	// The fork holds the state it was made from, with its own key.
	fkey := fork.Credential(standintest.Klipfolio, "api_key")
	if fkey == key {
		t.Fatal("fork has the source's key")
	}
	if _, body := get(t, http.DefaultClient, fork.BaseURL(standintest.Klipfolio)+"/api/1/groups", "kf-api-key", fkey); !strings.Contains(body, "Later") {
		t.Error("fork lacks the source's group")
	}
	if status, _ := get(t, http.DefaultClient, fork.BaseURL(standintest.Klipfolio)+"/api/1/groups", "kf-api-key", key); status != 401 {
		t.Errorf("source key in the fork: %d, want 401", status)
	}

	// HTTPHandler serves the default namespace without a listener.
	def := srv.Default(t)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/api/1/groups", nil)
	req.Header.Set("kf-api-key", def.Credential(standintest.Klipfolio, "api_key"))
	srv.HTTPHandler(standintest.Klipfolio).ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Errorf("HTTPHandler: %d %s", rec.Code, rec.Body)
	}
	rec = httptest.NewRecorder()
	srv.ControlHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `standin_requests_total{endpoint="klipfolio.groups.list"`) {
		t.Errorf("ControlHandler /metrics: %d", rec.Code)
	}
	if srv.HTTPHandler("salesforce") != nil {
		t.Error("a handler for an unknown vendor")
	}

	// Export, then Load into an empty namespace, reproduces the document.
	doc := ns.Export()
	copied := srv.NewNamespace(t, "empty")
	copied.Load(doc)
	if got := copied.Export(); string(got) != string(doc) {
		t.Errorf("export round trip:\n%s\n---\n%s", doc, got)
	}
	fork.Delete()
	if status, _ := get(t, http.DefaultClient, fork.BaseURL(standintest.Klipfolio)+"/api/1/groups", "kf-api-key", fkey); status != 404 {
		t.Errorf("deleted fork answers %d", status)
	}
}

func TestLoadSettingsOutboxInvites(t *testing.T) {
	srv := standintest.New(t, standintest.Options{DB: testenv.DSN(t), Fixtures: map[string]any{
		"klipfolio": map[string]any{"groups": []map[string]any{{"id": "00000000000000000000000000000009", "name": "Everywhere", "description": "from Options.Fixtures"}}},
	}})
	ns := srv.NewNamespace(t, "demo")
	key := ns.Credential(standintest.Klipfolio, "api_key")
	if _, body := get(t, ns.HTTPClient(), ns.BaseURL(standintest.Klipfolio)+"/api/1/groups", "kf-api-key", key); !strings.Contains(body, "Everywhere") {
		t.Error("Options.Fixtures not loaded into a new namespace")
	}
	ns.Load("klipfolio:\n  clients: [{id: c1, name: Client One}]\n")

	ns.Settings(standintest.Clinked).Set(map[string]any{"rate_limit": map[string]any{"enabled": false}})
	if got := string(ns.Settings(standintest.Clinked).Get()); !strings.Contains(got, `"enabled":false`) {
		t.Errorf("settings %s", got)
	}

	// An invite sends mail; accepting it in Clinked's stead makes a member.
	c := ns.HTTPClient()
	hdr := http.Header{"Authorization": {"Bearer " + ns.Credential(standintest.Clinked, "access_token")}}
	if status, body := send(t, c, "POST", ns.BaseURL(standintest.Clinked)+"/v3/accounts/1/invites", hdr,
		map[string]any{"emails": []string{"sam@example.com"}, "permission": 8}); status != http.StatusAccepted {
		t.Fatalf("invite: %d %s", status, body)
	}
	mail := ns.Outbox()
	if len(mail) != 1 || mail[0].Vendor != standintest.Clinked || mail[0].To != "sam@example.com" {
		t.Fatalf("outbox %+v", mail)
	}
	_, body := send(t, c, "GET", ns.BaseURL(standintest.Clinked)+"/v3/accounts/1/invites", hdr, nil)
	var list struct {
		Items []struct {
			Request struct {
				TargetName string `json:"targetName"`
			} `json:"request"`
			InviteKey string `json:"inviteKey"`
		} `json:"items"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatalf("invites: %v %s", err, body)
	}
	key = ""
	for _, it := range list.Items {
		if it.Request.TargetName == "sam@example.com" {
			key = it.InviteKey
		}
	}
	if key == "" {
		t.Fatalf("no invite for sam: %s", body)
	}
	inv := ns.Clinked().AcceptInvite(key)
	if inv.Status != "accepted" || inv.User == nil || inv.Email != "sam@example.com" {
		t.Errorf("accepted %+v", inv)
	}
	if inv := ns.Clinked().DeclineInvite("0d8f2a9e-4b1c-4e7a-9c3d-5f6a7b8c9d01"); inv.Status != "declined" {
		t.Errorf("declined %+v", inv)
	}
	ns.ClearOutbox()
	if len(ns.Outbox()) != 0 {
		t.Error("outbox not cleared")
	}
}
