package clinked_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/standin-dev/standin/internal/testenv"
)

// bClient sends /v3 requests to one namespace as one user (the helpers of
// the groups, invites and guests tests).
type bClient struct {
	t   *testing.T
	env *testenv.Env
	ns  *testenv.Namespace
	tok string
}

// bAdmin is the namespace's administrator, through the ready token.
func bAdmin(t *testing.T, env *testenv.Env, ns *testenv.Namespace) *bClient {
	return &bClient{t: t, env: env, ns: ns, tok: token(ns)}
}

// bLogin logs a user in with the password grant.
func bLogin(t *testing.T, env *testenv.Env, ns *testenv.Namespace, username, password string) *bClient {
	t.Helper()
	res := env.Do(t, "POST", base(ns)+"/oauth/token", url.Values{
		"client_id": {"clinked-mobile"}, "grant_type": {"password"}, "username": {username}, "password": {password},
	}, nil)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	res.Decode(t, http.StatusOK, &tok)
	return &bClient{t: t, env: env, ns: ns, tok: tok.AccessToken}
}

// do sends a request; body is sent as JSON unless it is a string or []byte.
func (c *bClient) do(method, path string, body any) *testenv.Response {
	c.t.Helper()
	h := bearer(c.tok)
	if s, ok := body.(string); ok {
		h.Set("Content-Type", "application/json")
		body = []byte(s)
	}
	return c.env.Do(c.t, method, base(c.ns)+path, body, h)
}

// want sends a request and checks the status.
func (c *bClient) want(method, path string, body any, status int) *testenv.Response {
	c.t.Helper()
	res := c.do(method, path, body)
	if res.StatusCode != status {
		c.t.Fatalf("%s %s: status %d, want %d; body: %s", method, path, res.StatusCode, status, res.Body)
	}
	return res
}

// decode sends a request, checks the status and decodes the JSON answer.
func (c *bClient) decode(method, path string, body any, status int, v any) {
	c.t.Helper()
	c.do(method, path, body).Decode(c.t, status, v)
}

// bMail is a message in the namespace's outbox.
type bMail struct {
	To      string `json:"to"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// bOutbox returns the namespace's outbox, oldest first.
func bOutbox(t *testing.T, env *testenv.Env, ns *testenv.Namespace) []bMail {
	t.Helper()
	var out struct {
		Messages []bMail `json:"messages"`
	}
	env.Do(t, "GET", env.Control+"/_standin/namespaces/"+ns.ID+"/outbox?limit=1000", nil, nil).Decode(t, http.StatusOK, &out)
	return out.Messages
}

// bMailTo returns the messages to one address.
func bMailTo(t *testing.T, env *testenv.Env, ns *testenv.Namespace, to string) []bMail {
	t.Helper()
	var out []bMail
	for _, m := range bOutbox(t, env, ns) {
		if strings.EqualFold(m.To, to) {
			out = append(out, m)
		}
	}
	return out
}

// bControl calls one of Clinked's control-plane actions.
func bControl(t *testing.T, env *testenv.Env, ns *testenv.Namespace, method, path string, body any) *testenv.Response {
	t.Helper()
	return env.Do(t, method, env.Control+"/_standin/namespaces/"+ns.ID+"/clinked"+path, body, nil)
}

// bAdvance moves the namespace's clock.
func bAdvance(t *testing.T, env *testenv.Env, ns *testenv.Namespace, d string) {
	t.Helper()
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/clock", map[string]string{"advance": d}, nil).
		Decode(t, http.StatusOK, nil)
}

// bGroup is the part of a Group the tests look at.
type bGroup struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	FriendlyName string `json:"friendlyName"`
	Members      int64  `json:"members"`
	Removed      bool   `json:"removed"`
	DateCreated  int64  `json:"dateCreated"`
	LastModified int64  `json:"lastModified"`
	Master       *int64 `json:"master"`
	Owner        *struct {
		ID int64 `json:"id"`
	} `json:"owner"`
	Branding      map[string]any `json:"branding"`
	MemberDetails []struct {
		User struct {
			ID       int64  `json:"id"`
			Username string `json:"username"`
		} `json:"user"`
		Permission int64 `json:"permission"`
	} `json:"memberDetails"`
	Components []struct {
		Name  string `json:"name"`
		Order int64  `json:"order"`
	} `json:"components"`
	WatermarkConfiguration map[string]any `json:"watermarkConfiguration"`
}

// bPage is Clinked's page envelope.
type bPage[T any] struct {
	Items        []T  `json:"items"`
	CurrentPage  int  `json:"currentPage"`
	TotalPages   int  `json:"totalPages"`
	PageSize     int  `json:"pageSize"`
	TotalResults int  `json:"totalResults"`
	NextPage     bool `json:"nextPage"`
	PreviousPage bool `json:"previousPage"`
}

// bError is the /v3 error body.
type bError struct {
	Status  int    `json:"status"`
	Error   string `json:"error"`
	Message string `json:"message"`
}

// wantError checks a /v3 error answer.
func (c *bClient) wantError(method, path string, body any, status int) {
	c.t.Helper()
	res := c.want(method, path, body, status)
	var e bError
	if err := json.Unmarshal(res.Body, &e); err != nil || e.Status != status || e.Message == "" {
		c.t.Errorf("%s %s: error body %s is not {status, error, message}", method, path, res.Body)
	}
}

func groupNames(gs []bGroup) []string {
	out := make([]string, 0, len(gs))
	for _, g := range gs {
		out = append(out, g.Name)
	}
	return out
}

// runFlows runs each flow as a subtest, as the administrator of a fresh
// namespace seeded with seed.
func runFlows(t *testing.T, env *testenv.Env, seed string, flows map[string][]step) {
	t.Helper()
	for name, steps := range flows {
		t.Run(name, func(t *testing.T) {
			ns := env.NewNamespace(t, seed)
			bAdmin(t, env, ns).run(steps)
		})
	}
}

// seedURL is where fixture documents are loaded into ns.
func seedURL(env *testenv.Env, ns *testenv.Namespace) string {
	return env.Control + "/_standin/namespaces/" + ns.ID + "/seed"
}

// loadFixture loads a fixture document into ns.
func loadFixture(t *testing.T, env *testenv.Env, ns *testenv.Namespace, doc string) {
	t.Helper()
	env.Do(t, "POST", seedURL(env, ns), doc, nil).Decode(t, http.StatusOK, nil)
}

// refuseFixtures checks that each fixture document is refused with 400.
func refuseFixtures(t *testing.T, env *testenv.Env, ns *testenv.Namespace, docs ...string) {
	t.Helper()
	for _, doc := range docs {
		if res := env.Do(t, "POST", seedURL(env, ns), doc, nil); res.StatusCode != 400 {
			t.Errorf("%s: %d %s", doc, res.StatusCode, res.Body)
		}
	}
}

// wantTrashDone checks that group's trash progress reads 100: standin
// runs processAll inside its request.
func (b *bClient) wantTrashDone(group int64) {
	b.t.Helper()
	var progress struct {
		Progress float64 `json:"progress"`
	}
	b.decode("GET", "/v3/groups/"+itoa(group)+"/trash/progress", nil, http.StatusOK, &progress)
	if progress.Progress != 100 {
		b.t.Errorf("progress %v", progress.Progress)
	}
}

// bodyOrNil is a table's JSON body, or no body at all where it is empty.
func bodyOrNil(body string) any {
	if body == "" {
		return nil
	}
	return body
}
