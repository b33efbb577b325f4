package worksection_test

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/standin-dev/standin/internal/testenv"
	"github.com/standin-dev/standin/internal/worksection"
)

func start(t testing.TB) *testenv.Env {
	t.Helper()
	return testenv.Start(t, testenv.Only(worksection.New))
}

// md5Hash signs a raw query the PHP SDK's way: md5(query + api_key).
func md5Hash(query, key string) string {
	sum := md5.Sum([]byte(query + key))
	return hex.EncodeToString(sum[:])
}

// hmacHash signs "{action}:{ts}" with the API key, as v2.1 and the Admin
// header do.
func hmacHash(key, action string, ts int64) string {
	m := hmac.New(sha256.New, []byte(key))
	fmt.Fprintf(m, "%s:%d", action, ts)
	return hex.EncodeToString(m.Sum(nil))
}

// client talks to one namespace's Worksection.
type client struct {
	t    testing.TB
	env  *testenv.Env
	ns   *testenv.Namespace
	base string
	key  string
}

func newClient(t testing.TB, env *testenv.Env, seed string) *client {
	ns := env.NewNamespace(t, seed)
	return &client{t: t, env: env, ns: ns, base: ns.BaseURL("worksection"), key: ns.Cred("worksection", "api_key")}
}

// now is the namespace's time, which signatures are checked against.
func (c *client) now() time.Time {
	c.t.Helper()
	var v struct {
		Now string `json:"now"`
	}
	c.env.Do(c.t, "GET", c.env.Control+"/_standin/namespaces/"+c.ns.ID+"/clock", nil, nil).Decode(c.t, 200, &v)
	n, err := time.Parse(time.RFC3339Nano, v.Now)
	if err != nil {
		c.t.Fatal(err)
	}
	return n
}

// admin sends an action signed with the MD5 query hash.
func (c *client) admin(action string, params url.Values) *testenv.Response {
	c.t.Helper()
	q := url.Values{"action": {action}}
	for k, v := range params {
		q[k] = v
	}
	raw := q.Encode()
	return c.env.Do(c.t, "GET", c.base+"/api/admin/v2/?"+raw+"&hash="+md5Hash(raw, c.key), nil, nil)
}

// withToken sends an action to /api/oauth2 with a Bearer token.
func (c *client) withToken(token, action string, params url.Values) *testenv.Response {
	c.t.Helper()
	q := url.Values{"action": {action}}
	for k, v := range params {
		q[k] = v
	}
	return c.env.Do(c.t, "GET", c.base+"/api/oauth2?"+q.Encode(), nil, http.Header{"Authorization": {"Bearer " + token}})
}

// envelope is a decoded Worksection answer.
type envelope struct {
	Status         string          `json:"status"`
	StatusCode     int             `json:"status_code"`
	Message        string          `json:"message"`
	MessageDetails string          `json:"message_details"`
	Data           json.RawMessage `json:"data"`
}

func decode(t testing.TB, res *testenv.Response, status int) envelope {
	t.Helper()
	var e envelope
	res.Decode(t, status, &e)
	return e
}

// mustOK decodes a success and its data into v (if not nil).
func mustOK(t testing.TB, res *testenv.Response, v any) {
	t.Helper()
	e := decode(t, res, 200)
	if e.Status != "ok" {
		t.Fatalf("%s: %s", res.Request.URL, res.Body)
	}
	if v != nil {
		if err := json.Unmarshal(e.Data, v); err != nil {
			t.Fatalf("data: %v: %s", err, res.Body)
		}
	}
}

// mustFail checks an application error: HTTP 200, status error, the code.
func mustFail(t testing.TB, res *testenv.Response, code int) envelope {
	t.Helper()
	e := decode(t, res, 200)
	if e.Status != "error" || e.StatusCode != code || e.Message == "" {
		t.Fatalf("%s: want error %d, got %s", res.Request.URL, code, res.Body)
	}
	return e
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
