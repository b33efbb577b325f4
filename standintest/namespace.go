package standintest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/standin-dev/standin/internal/app"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/outbox"
	"github.com/standin-dev/standin/internal/page"
)

// Namespace is an isolated world: its id and, per vendor, its base URL and
// credentials, exactly as the control plane returns them. Its methods fail
// the test that made it (NewNamespace's t) when standin refuses them.
type Namespace struct {
	ID      string                    `json:"id"`
	Seed    string                    `json:"seed"`
	Vendors map[string]map[string]any `json:"vendors"`

	srv *Server
	t   testing.TB
}

// with returns the namespace reporting to another test.
func (n *Namespace) with(t testing.TB) *Namespace {
	c := *n
	c.t = t
	return &c
}

func (n *Namespace) ctx() context.Context { return context.Background() }

// refresh re-reads the namespace's credentials (after a restore).
func (n *Namespace) refresh() {
	n.t.Helper()
	fresh := n.srv.namespace(n.t, n.ID)
	n.Seed, n.Vendors = fresh.Seed, fresh.Vendors
}

// BaseURL is the namespace's base URL for a vendor.
func (n *Namespace) BaseURL(v Vendor) string { return n.Credential(v, "base_url") }

// Credential returns one field of a vendor's entry, such as "api_key".
func (n *Namespace) Credential(v Vendor, key string) string {
	val, ok := n.Vendors[string(v)][key]
	if !ok || val == nil {
		return ""
	}
	return fmt.Sprint(val)
}

// Load loads a seed document into the namespace: YAML or JSON as []byte or
// string, or a Go value that encoding/json turns into one. A document whose
// ids clash with the namespace's rows fails the test, naming the entity.
func (n *Namespace) Load(doc any) {
	n.t.Helper()
	b, err := document(doc)
	if err == nil {
		err = n.srv.app.LoadFixture(n.ctx(), n.ID, b, false)
	}
	if err != nil {
		fail(n.t, "load", err)
	}
}

// Reset returns the namespace to its seed and the documents loaded into it;
// its clock goes back to the process clock.
func (n *Namespace) Reset() {
	n.t.Helper()
	if _, err := n.srv.app.ResetNamespace(n.ctx(), n.ID); err != nil {
		fail(n.t, "reset", err)
	}
}

// Delete deletes the namespace and everything in it.
func (n *Namespace) Delete() {
	n.t.Helper()
	if err := n.srv.app.DeleteNamespace(n.ctx(), n.ID); err != nil {
		fail(n.t, "delete", err)
	}
}

// Clock is a namespace's clock.
type Clock struct{ ns *Namespace }

// Clock returns the namespace's clock, which moves apart from every other
// namespace's.
func (n *Namespace) Clock() *Clock { return &Clock{n} }

func (c *Clock) update(fn func(ns *namespace.Namespace)) *namespace.Namespace {
	c.ns.t.Helper()
	ns, err := c.ns.srv.app.UpdateNamespace(c.ns.ctx(), c.ns.ID, func(ns *namespace.Namespace) error {
		fn(ns)
		return nil
	})
	if err != nil {
		fail(c.ns.t, "clock", err)
	}
	return ns
}

// Now is the namespace's time.
func (c *Clock) Now() time.Time {
	c.ns.t.Helper()
	ns, err := c.ns.srv.app.Load(c.ns.ctx(), c.ns.ID)
	if err != nil {
		fail(c.ns.t, "clock", err)
	}
	return ns.Now()
}

// Advance moves the namespace's clock forward by d (back for a negative d).
func (c *Clock) Advance(d time.Duration) {
	c.ns.t.Helper()
	c.update(func(ns *namespace.Namespace) { ns.ClockOffset += d })
}

// Set sets the namespace's time to t; with Options.RealTime it flows on
// from there.
func (c *Clock) Set(t time.Time) {
	c.ns.t.Helper()
	c.update(func(ns *namespace.Namespace) { ns.ClockOffset = t.Sub(ns.Clock.Now()) })
}

// Message is one mail that a vendor would have sent.
type Message struct {
	ID      int64
	Vendor  Vendor
	To      string
	Subject string
	Body    string
	Time    time.Time
}

// maxOutbox bounds what Outbox returns.
const maxOutbox = 10000

// Outbox returns the mail that the vendors would have sent from this
// namespace, oldest first.
func (n *Namespace) Outbox() []Message {
	n.t.Helper()
	msgs, _, err := outbox.List(n.ctx(), n.srv.db, n.ID, page.Page{Limit: maxOutbox})
	if err != nil {
		fail(n.t, "outbox", err)
	}
	out := make([]Message, len(msgs))
	for i, m := range msgs {
		out[i] = Message{ID: m.ID, Vendor: Vendor(m.Vendor), To: m.To, Subject: m.Subject, Body: m.Body, Time: m.Time}
	}
	return out
}

// ClearOutbox empties the namespace's outbox.
func (n *Namespace) ClearOutbox() {
	n.t.Helper()
	if err := outbox.Clear(n.ctx(), n.srv.db, n.ID); err != nil {
		fail(n.t, "outbox", err)
	}
}

// Snapshot is a saved state of a namespace.
type Snapshot struct {
	ID   string
	Name string
}

// Snapshot saves the namespace's whole state, all vendors, in one
// transaction.
func (n *Namespace) Snapshot() *Snapshot {
	n.t.Helper()
	s, err := n.srv.app.CreateSnapshot(n.ctx(), n.ID, "")
	if err != nil {
		fail(n.t, "snapshot", err)
	}
	return &Snapshot{ID: s.ID, Name: s.Name}
}

// Restore puts the namespace back exactly as it was at the snapshot: same
// ids, counters, files, credentials and clock offset.
func (n *Namespace) Restore(s *Snapshot) {
	n.t.Helper()
	if _, err := n.srv.app.RestoreSnapshot(n.ctx(), n.ID, s.ID); err != nil {
		fail(n.t, "restore", err)
	}
	n.refresh()
}

// Fork makes a new namespace holding a copy of this one's current state,
// ids included, with its own credentials: this namespace's keys and tokens
// do not work in the fork.
func (n *Namespace) Fork() *Namespace {
	n.t.Helper()
	ns, err := n.srv.app.Fork(n.ctx(), app.ForkOptions{From: n.ID})
	if err != nil {
		fail(n.t, "fork", err)
	}
	return n.srv.describe(n.t, ns)
}

// Settings is a vendor's switches for one namespace.
type Settings struct {
	ns     *Namespace
	vendor Vendor
}

// Settings returns a vendor's switches (Clinked: rate_limit).
func (n *Namespace) Settings(v Vendor) *Settings { return &Settings{n, v} }

// Get returns the vendor's settings as JSON ({} when none are set).
func (s *Settings) Get() json.RawMessage {
	s.ns.t.Helper()
	ns, err := s.ns.srv.app.Load(s.ns.ctx(), s.ns.ID)
	if err != nil {
		fail(s.ns.t, "settings", err)
	}
	if raw, ok := ns.Settings[string(s.vendor)]; ok {
		return raw
	}
	return json.RawMessage(`{}`)
}

// Set replaces the vendor's settings with v, a JSON object or a Go value
// that encodes as one: {"rate_limit": {"enabled": false}}.
func (s *Settings) Set(v any) {
	s.ns.t.Helper()
	s.ns.control("PUT", "/settings/"+string(s.vendor), v, http.StatusOK)
}

// control sends a request to the namespace's control routes in process.
func (n *Namespace) control(method, path string, body any, want int) []byte {
	n.t.Helper()
	code, out := n.controlStatus(method, path, body)
	if code != want {
		n.t.Fatalf("standintest: %s %s: %d %s", method, path, code, out)
	}
	return out
}

// controlJSON is control for routes that answer JSON: it decodes the
// answer into out, failing the test (naming what) when it cannot.
func (n *Namespace) controlJSON(what, method, path string, body any, want int, out any) {
	n.t.Helper()
	if err := json.Unmarshal(n.control(method, path, body, want), out); err != nil {
		n.t.Fatalf("standintest: %s: %v", what, err)
	}
}

// controlStatus is control for routes with more than one good answer.
func (n *Namespace) controlStatus(method, path string, body any) (int, []byte) {
	n.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := document(body)
		if err != nil {
			n.t.Fatalf("standintest: %v", err)
		}
		r = bytes.NewReader(b)
	}
	req := httptest.NewRequest(method, "/_standin/namespaces/"+n.ID+path, r)
	req.Host = "127.0.0.1" // in process: pass the DNS-rebinding Host check
	req.Header.Set("Content-Type", "application/json")
	if n.srv.token != "" {
		req.Header.Set("Authorization", "Bearer "+n.srv.token)
	}
	rec := httptest.NewRecorder()
	n.srv.ctl.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// ClinkedControl holds Clinked's control actions for a namespace.
type ClinkedControl struct{ ns *Namespace }

// Clinked returns Clinked's control actions.
func (n *Namespace) Clinked() *ClinkedControl { return &ClinkedControl{n} }

// Invite is Clinked's answer to an accepted or declined invite.
type Invite struct {
	ID     int64  `json:"id"`
	Kind   string `json:"kind"`   // "account" or "group"
	Status string `json:"status"` // "accepted" or "declined"
	Email  string `json:"email"`
	User   *struct {
		ID       int64  `json:"id"`
		Username string `json:"username"`
		Created  bool   `json:"created"`
	} `json:"user"`
}

// AcceptInvite accepts an invite as its recipient would in Clinked's web
// app. invite is the inviteKey, or an account invite's id.
func (c *ClinkedControl) AcceptInvite(invite string) *Invite {
	c.ns.t.Helper()
	return c.answer(invite, "accept")
}

// DeclineInvite declines an invite as its recipient would.
func (c *ClinkedControl) DeclineInvite(invite string) *Invite {
	c.ns.t.Helper()
	return c.answer(invite, "decline")
}

func (c *ClinkedControl) answer(invite, action string) *Invite {
	c.ns.t.Helper()
	var inv Invite
	c.ns.controlJSON(action+" invite", "POST", "/clinked/invites/"+url.PathEscape(invite)+"/"+action, nil, http.StatusOK, &inv)
	return &inv
}

// HTTPClient is a client that reaches every vendor of the server in
// process, without the network: requests to the namespace's base URLs are
// served by the vendors' handlers directly.
func (n *Namespace) HTTPClient() *http.Client {
	return &http.Client{Transport: inProcess{n.srv}}
}

// inProcess serves requests for the server's ports with its handlers.
type inProcess struct{ srv *Server }

func (p inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	h, ok := p.srv.byHost[req.URL.Host]
	if !ok {
		return http.DefaultTransport.RoundTrip(req)
	}
	in := req.Clone(req.Context())
	in.RequestURI = req.URL.RequestURI()
	in.RemoteAddr = "127.0.0.1:1"
	if in.Body == nil {
		in.Body = http.NoBody
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, in)
	res := rec.Result()
	res.Request = req
	return res, nil
}

// Export writes the namespace as a YAML seed document that, loaded into a
// namespace seeded "empty", reproduces its data. What is not exported yet
// is listed in docs/decisions.md ("Export").
func (n *Namespace) Export() []byte {
	n.t.Helper()
	ex, err := n.srv.app.ExportNamespace(n.ctx(), n.ID)
	if err != nil {
		fail(n.t, "export", err)
	}
	doc, err := app.YAML(ex.JSON)
	if err != nil {
		fail(n.t, "export", err)
	}
	return doc
}
