package registry_test

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/standin-dev/standin/internal/app"
	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/testenv"
)

// lockedBuffer is a log sink that handlers write to from many requests.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestKeysNeverReachTheLog: Klipfolio's and Worksection's API keys are
// stored in plain text (MD5 signing needs them; docs/decisions.md), so they
// must never be written anywhere else. Drive both vendors with good and bad
// credentials, in headers, queries and bodies, at debug level, and look for
// every credential of the namespace in the log.
func TestKeysNeverReachTheLog(t *testing.T) {
	var logs lockedBuffer
	env := testenv.StartConfig(t, testenv.DB(t), registry.All, func(c *app.Config) {
		c.Log = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	ns := env.NewNamespace(t, "docs")
	kf, ws := ns.Cred("klipfolio", "api_key"), ns.Cred("worksection", "api_key")
	sign := func(q string) string {
		sum := md5.Sum([]byte(q + ws))
		return q + "&hash=" + hex.EncodeToString(sum[:])
	}
	reqs := []struct {
		method, u string
		body      any
		header    http.Header
	}{
		{"GET", ns.BaseURL("klipfolio") + "/api/1/groups", nil, http.Header{"Kf-Api-Key": {kf}}},
		{"GET", ns.BaseURL("klipfolio") + "/api/1/groups?api_key=" + kf, nil, http.Header{"Kf-Api-Key": {kf + "x"}}},
		{"POST", ns.BaseURL("klipfolio") + "/api/1/groups", `{"name":` + kf, http.Header{"Kf-Api-Key": {kf}, "Content-Type": {"application/json"}}},
		{"GET", ns.BaseURL("klipfolio") + "/api/1/groups/" + strings.Repeat("0", 32), nil, http.Header{"Kf-Api-Key": {kf}}},
		{"GET", ns.BaseURL("worksection") + "/api/admin/v2/?" + sign("action=get_users"), nil, nil},
		{"GET", ns.BaseURL("worksection") + "/api/admin/v2/?action=get_users&hash=" + ws, nil, nil},
		{"POST", ns.BaseURL("worksection") + "/api/admin/v2/", "action=add_user&apikey=" + ws, http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}},
		{"GET", ns.BaseURL("worksection") + "/api/admin/v2/?" + sign("action=no_such_action"), nil, nil},
	}
	for _, r := range reqs {
		env.Do(t, r.method, r.u, r.body, r.header)
	}
	out := logs.String()
	if !strings.Contains(out, `"msg":"request"`) {
		t.Fatalf("no access log lines were written: %.500s", out)
	}
	for v, creds := range ns.Vendors {
		for k, c := range creds {
			s := fmt.Sprint(c)
			if k == "base_url" || len(s) < 8 || strings.Contains(k, "id") {
				continue
			}
			if strings.Contains(out, s) {
				t.Errorf("the log holds %s's %s", v, k)
			}
		}
	}
}
