// Package standintest embeds standin in Go tests, in the manner of
// fake-gcs-server's fakestorage: start a server, point the code under test at
// its base URLs, and give each test its own namespace.
//
//	srv := standintest.New(t, standintest.Options{})
//	ns := srv.NewNamespace(t, "docs")
//	client := myklipfolio.New(ns.BaseURL(standintest.Klipfolio), ns.Credential(standintest.Klipfolio, "api_key"))
//
// Every vendor that standin serves is served, each on its own loopback port,
// backed by SQLite in a temporary directory (or by the database in
// Options.DB). HTTPHandler and Namespace.HTTPClient serve the same vendors
// in process, without a listener.
//
// A namespace is an isolated world with its own clock (Namespace.Clock),
// outbox, settings and credentials; it can be snapshotted, restored, forked
// and exported. Its request journal answers what the code under test sent
// (Namespace.Requests, Namespace.Verify), and fault rules make vendors
// misbehave on purpose (Namespace.Fault). Time stands still unless moved (Server.Advance moves every
// namespace, Clock().Advance one), or flows with the wall clock when
// Options.RealTime is set.
package standintest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/standin-dev/standin/internal/app"
	"github.com/standin-dev/standin/internal/control"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/store"
)

// Vendor names an emulated API.
type Vendor string

// The vendors that standin serves.
const (
	Clinked     Vendor = "clinked"
	Klipfolio   Vendor = "klipfolio"
	Worksection Vendor = "worksection"
	WorkDrive   Vendor = "workdrive"
)

// Vendors lists every served vendor.
var Vendors = []Vendor{Clinked, Klipfolio, Worksection, WorkDrive}

// Options configure a Server. The zero value is ready to use.
type Options struct {
	// DB is a database DSN (sqlite:PATH, memory, postgres://…). Empty means
	// a new SQLite file in a temporary directory, removed by Close.
	DB string
	// DefaultSeed seeds the default namespace: "empty", "demo" (the default)
	// or "docs".
	DefaultSeed string
	// Fixtures is a seed document loaded into the default namespace and
	// into every namespace that NewNamespace makes: YAML or JSON as []byte
	// or string, or any Go value that encoding/json turns into one (a
	// map[string]any, or structs with json tags). Namespace.Load loads a
	// document into one namespace.
	Fixtures any
	// RealTime lets every clock flow with the wall clock, as under
	// `standin serve`. Without it time stands still until moved.
	RealTime bool
	// Logger receives standin's logs; nil discards them.
	Logger *slog.Logger
	// ControlToken, when set, is required by the control plane (as on a
	// standin serve with --control-token); the Server sends it itself.
	ControlToken string
}

// Server is a running standin.
type Server struct {
	app      *app.App
	db       *store.DB
	clock    *testClock
	servers  []*httptest.Server
	control  string
	ctl      http.Handler
	handlers map[Vendor]http.Handler
	byHost   map[string]http.Handler
	token    string
	tmp      string
	fixtures []byte
	closeMu  sync.Once
}

// testClock is the process clock: still (a fake) or flowing with the wall
// clock, moved by Advance either way.
type testClock struct {
	mu      sync.Mutex
	flowing bool
	base    time.Time
	offset  time.Duration
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.flowing {
		return time.Now().Add(c.offset)
	}
	return c.base.Add(c.offset)
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

// document turns Options.Fixtures or a Load argument into a document.
func document(doc any) ([]byte, error) {
	switch d := doc.(type) {
	case nil:
		return nil, nil
	case []byte:
		return d, nil
	case string:
		return []byte(d), nil
	case json.RawMessage:
		return d, nil
	default:
		b, err := json.Marshal(d)
		if err != nil {
			return nil, fmt.Errorf("standintest: fixtures: %w", err)
		}
		return b, nil
	}
}

// Start starts a server; Close stops it.
func Start(opts Options) (*Server, error) {
	now := time.Now().UTC().Truncate(time.Millisecond)
	s := &Server{clock: &testClock{flowing: opts.RealTime, base: now},
		handlers: map[Vendor]http.Handler{}, byHost: map[string]http.Handler{}}
	fixtures, err := document(opts.Fixtures)
	if err != nil {
		return nil, err
	}
	s.fixtures = fixtures
	dsn := opts.DB
	if dsn == "" {
		dir, err := os.MkdirTemp("", "standintest-")
		if err != nil {
			return nil, err
		}
		s.tmp = dir
		dsn = "sqlite:" + filepath.Join(dir, "standin.db")
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.db = db
	a, err := app.New(ctx, app.Config{DB: db, Log: log, Clock: s.clock,
		Vendors: registry.All(db, log), DefaultSeed: opts.DefaultSeed, ControlToken: opts.ControlToken})
	if err != nil {
		s.Close()
		return nil, err
	}
	s.app = a
	s.token = opts.ControlToken
	for _, v := range a.Vendors() {
		h := a.VendorHandler(v)
		srv := httptest.NewServer(h)
		s.servers = append(s.servers, srv)
		a.SetVendorURL(v.Name(), srv.URL)
		s.handlers[Vendor(v.Name())] = h
		s.byHost[srv.Listener.Addr().String()] = h
	}
	s.ctl = control.New(a, log)
	ctl := httptest.NewServer(s.ctl)
	s.servers = append(s.servers, ctl)
	s.control = ctl.URL
	s.byHost[ctl.Listener.Addr().String()] = s.ctl
	if len(s.fixtures) > 0 {
		if err := a.LoadFixture(ctx, namespace.Default, s.fixtures, true); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// New starts a server for a test and stops it when the test ends.
func New(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := Start(opts)
	if err != nil {
		t.Fatalf("standintest: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Close stops the servers and removes the temporary database.
func (s *Server) Close() {
	s.closeMu.Do(func() {
		if s.app != nil {
			s.app.Journal().StopStreams() // else Close waits for their clients
		}
		for _, srv := range s.servers {
			srv.Close()
		}
		if s.app != nil {
			_ = s.app.Journal().Flush(context.Background())
		}
		if s.db != nil {
			s.db.Close()
		}
		if s.tmp != "" {
			os.RemoveAll(s.tmp)
		}
	})
}

// ControlURL is the control plane's root URL (the console port).
func (s *Server) ControlURL() string { return s.control }

// HTTPHandler is a vendor's port as an http.Handler, for in-process use
// without a listener: the default namespace at the root, any other under
// /ns/{id}. It is nil for a vendor that standin does not serve.
func (s *Server) HTTPHandler(v Vendor) http.Handler {
	h, ok := s.handlers[v]
	if !ok {
		return nil
	}
	return loopbackHost(h)
}

// loopbackHost serves requests made in process (httptest.NewRequest names
// example.com) as if they came to the loopback address: the Host check
// against DNS rebinding guards listeners, and there is none here.
func loopbackHost(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.Clone(r.Context())
		r.Host = "127.0.0.1"
		h.ServeHTTP(w, r)
	})
}

// ControlHandler is the console port (control plane and /metrics) as an
// http.Handler.
func (s *Server) ControlHandler() http.Handler { return loopbackHost(s.ctl) }

// Advance moves the clock of every namespace forward, so tokens and
// signatures expire without waiting.
func (s *Server) Advance(d time.Duration) { s.clock.advance(d) }

// Default returns the default namespace.
func (s *Server) Default(t testing.TB) *Namespace {
	t.Helper()
	return s.namespace(t, namespace.Default)
}

// NewNamespace creates an isolated namespace with the given seed ("empty",
// "demo" or "docs") and loads Options.Fixtures into it. It takes
// milliseconds; make one per test.
func (s *Server) NewNamespace(t testing.TB, seed string) *Namespace {
	t.Helper()
	ctx := context.Background()
	ns, err := s.app.CreateNamespace(ctx, "", seed, "")
	if err != nil {
		t.Fatalf("standintest: new namespace: %v", err)
	}
	if len(s.fixtures) > 0 {
		if err := s.app.LoadFixture(ctx, ns.ID, s.fixtures, false); err != nil {
			t.Fatalf("standintest: fixtures: %v", err)
		}
	}
	return s.describe(t, ns)
}

// Reset returns a namespace to its seed.
func (s *Server) Reset(t testing.TB, ns *Namespace) {
	t.Helper()
	ns.with(t).Reset()
}

// Seed loads a YAML or JSON seed document into a namespace.
func (s *Server) Seed(t testing.TB, ns *Namespace, doc []byte) {
	t.Helper()
	ns.with(t).Load(doc)
}

func (s *Server) namespace(t testing.TB, id string) *Namespace {
	t.Helper()
	ns, err := s.app.Load(context.Background(), id)
	if err != nil {
		t.Fatalf("standintest: namespace %s: %v", id, err)
	}
	return s.describe(t, ns)
}

func (s *Server) describe(t testing.TB, ns *namespace.Namespace) *Namespace {
	t.Helper()
	in, err := s.app.Info(context.Background(), ns)
	if err != nil {
		t.Fatalf("standintest: namespace %s: %v", ns.ID, err)
	}
	return &Namespace{ID: in.ID, Seed: in.Seed, Vendors: in.Vendors, srv: s, t: t}
}

// fail reports an error of a namespace method.
func fail(t testing.TB, what string, err error) {
	t.Helper()
	var inv *app.ErrInvalid
	var conflict *app.ErrConflict
	switch {
	case errors.As(err, &inv):
		t.Fatalf("standintest: %s: %s", what, inv.Msg)
	case errors.As(err, &conflict):
		t.Fatalf("standintest: %s: %s", what, conflict.Msg)
	default:
		t.Fatalf("standintest: %s: %v", what, err)
	}
}
