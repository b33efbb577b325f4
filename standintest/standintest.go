// Package standintest embeds standin in Go tests, in the manner of
// fake-gcs-server's fakestorage: start a server, point the code under test at
// its base URLs, and give each test its own namespace.
//
//	srv := standintest.New(t, standintest.Options{})
//	ns := srv.NewNamespace(t, "docs")
//	client := myklipfolio.New(ns.BaseURL("klipfolio"), ns.Credential("klipfolio", "api_key"))
//
// Every vendor that standin serves is served, each on its own loopback port,
// backed by SQLite in a temporary directory (or by the database in
// Options.DB). The process clock is a fake that Advance moves.
package standintest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/standin-dev/standin/internal/app"
	"github.com/standin-dev/standin/internal/clock"
	"github.com/standin-dev/standin/internal/control"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/store"
)

// Options configure a Server. The zero value is ready to use.
type Options struct {
	// DB is a database DSN (sqlite:PATH, memory, postgres://…). Empty means
	// a new SQLite file in a temporary directory, removed by Close.
	DB string
	// DefaultSeed seeds the default namespace: "empty", "demo" (the default)
	// or "docs".
	DefaultSeed string
	// Fixture is a YAML or JSON seed document loaded into the default
	// namespace.
	Fixture []byte
	// Logger receives standin's logs; nil discards them.
	Logger *slog.Logger
	// ControlToken, when set, is required by the control plane (as on a
	// standin serve with --control-token); the Server sends it itself.
	ControlToken string
}

// Server is a running standin.
type Server struct {
	app     *app.App
	db      *store.DB
	clock   *clock.Fake
	servers []*httptest.Server
	control string
	token   string
	tmp     string
}

// Start starts a server; Close stops it.
func Start(opts Options) (*Server, error) {
	s := &Server{clock: clock.NewFake(time.Now().UTC().Truncate(time.Millisecond))}
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
		srv := httptest.NewServer(a.VendorHandler(v))
		s.servers = append(s.servers, srv)
		a.SetVendorURL(v.Name(), srv.URL)
	}
	ctl := httptest.NewServer(control.New(a, log))
	s.servers = append(s.servers, ctl)
	s.control = ctl.URL
	if len(opts.Fixture) > 0 {
		if err := a.LoadFixture(ctx, namespace.Default, opts.Fixture, false); err != nil {
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
	for _, srv := range s.servers {
		srv.Close()
	}
	if s.db != nil {
		s.db.Close()
	}
	if s.tmp != "" {
		os.RemoveAll(s.tmp)
	}
}

// ControlURL is the control plane's root URL (the console port).
func (s *Server) ControlURL() string { return s.control }

// Advance moves the clock of every namespace forward, so tokens and
// signatures expire without waiting.
func (s *Server) Advance(d time.Duration) { s.clock.Advance(d) }

// Default returns the default namespace.
func (s *Server) Default(t testing.TB) *Namespace {
	t.Helper()
	return s.get(t, "GET", "/_standin/namespaces/"+namespace.Default, nil, http.StatusOK)
}

// NewNamespace creates an isolated namespace with the given seed ("empty",
// "demo" or "docs"). It takes milliseconds; make one per test.
func (s *Server) NewNamespace(t testing.TB, seed string) *Namespace {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"seed": seed})
	return s.get(t, "POST", "/_standin/namespaces", body, http.StatusCreated)
}

// Reset returns a namespace to its seed.
func (s *Server) Reset(t testing.TB, ns *Namespace) {
	t.Helper()
	s.get(t, "POST", "/_standin/namespaces/"+ns.ID+"/reset", nil, http.StatusOK)
}

// Seed loads a YAML or JSON seed document into a namespace.
func (s *Server) Seed(t testing.TB, ns *Namespace, doc []byte) {
	t.Helper()
	s.get(t, "POST", "/_standin/namespaces/"+ns.ID+"/seed", doc, http.StatusOK)
}

func (s *Server) get(t testing.TB, method, path string, body []byte, want int) *Namespace {
	t.Helper()
	req, err := http.NewRequest(method, s.control+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("standintest: %v", err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("standintest: %s %s: %d %s", method, path, res.StatusCode, b)
	}
	var ns Namespace
	if err := json.Unmarshal(b, &ns); err != nil {
		t.Fatalf("standintest: %v", err)
	}
	return &ns
}

// Namespace is an isolated world: its id and, per vendor, its base URL and
// credentials, exactly as the control plane returns them.
type Namespace struct {
	ID      string                    `json:"id"`
	Seed    string                    `json:"seed"`
	Vendors map[string]map[string]any `json:"vendors"`
}

// BaseURL is the namespace's base URL for a vendor ("klipfolio", "clinked",
// "worksection", "workdrive").
func (n *Namespace) BaseURL(vendor string) string { return n.Credential(vendor, "base_url") }

// Credential returns one field of a vendor's entry, such as "api_key".
func (n *Namespace) Credential(vendor, key string) string {
	v, ok := n.Vendors[vendor][key]
	if !ok || v == nil {
		return ""
	}
	return fmt.Sprint(v)
}
