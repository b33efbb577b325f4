// Package testenv starts standin for the project's own tests: a real
// database (SQLite in a temporary directory, or PostgreSQL in a fresh schema
// when STANDIN_TEST_POSTGRES is set), real HTTP servers, and helpers to make
// namespaces and send requests.
package testenv

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/standin-dev/standin/internal/app"
	"github.com/standin-dev/standin/internal/clock"
	"github.com/standin-dev/standin/internal/control"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/vendor"
)

// DefaultPostgres is used when STANDIN_TEST_POSTGRES is set but is not a URL.
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// PostgresURL returns the server to test against, or "" for SQLite.
func PostgresURL() string {
	v := os.Getenv("STANDIN_TEST_POSTGRES")
	switch {
	case v == "" || v == "0" || v == "false":
		return ""
	case strings.HasPrefix(v, "postgres://"), strings.HasPrefix(v, "postgresql://"):
		return v
	default:
		return DefaultPostgres
	}
}

// DSN returns a database DSN for a fresh, empty database that is removed
// when the test ends: a SQLite file, or a new schema in PostgreSQL.
func DSN(t testing.TB) string {
	t.Helper()
	base := PostgresURL()
	if base == "" {
		return "sqlite:" + filepath.Join(t.TempDir(), "standin.db")
	}
	schema := fmt.Sprintf("standin_t_%s", ids.Hex(6))
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("postgres at %s is not reachable or usable: %v", base, err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// DB opens a fresh database for the test.
func DB(t testing.TB) *store.DB {
	t.Helper()
	return Open(t, DSN(t))
}

// Open opens dsn for the test: a second Open of one DSN is what another
// process on the same database would have (its own pool, statements and
// write counting).
func Open(t testing.TB, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Env is a running standin with its HTTP servers.
type Env struct {
	App   *app.App
	DB    *store.DB
	Clock *clock.Fake
	// Control is the console port's URL.
	Control string
	// URLs maps vendor name to its port's root URL (the default namespace).
	URLs map[string]string
	// ControlToken is sent with every control request (see Do), if set.
	ControlToken string
}

// VendorsFunc builds the vendors under test on the test's database.
type VendorsFunc func(db *store.DB, log *slog.Logger) []vendor.Vendor

// Only is the VendorsFunc of the one vendor that newVendor builds, for the
// tests of that vendor's package: testenv.Start(t, testenv.Only(clinked.New)).
func Only[V vendor.Vendor](newVendor func(*store.DB, *slog.Logger) V) VendorsFunc {
	return func(db *store.DB, log *slog.Logger) []vendor.Vendor { return []vendor.Vendor{newVendor(db, log)} }
}

// Start runs standin with the given vendors on a fresh database. Its clock
// is a fake set to the current time; tests move it with env.Clock.Advance
// or per namespace through the control plane.
func Start(t testing.TB, vendors VendorsFunc) *Env {
	t.Helper()
	return StartOn(t, DB(t), vendors)
}

// StartOn is Start on a given database (to share it between two "processes").
func StartOn(t testing.TB, db *store.DB, vendors VendorsFunc) *Env {
	t.Helper()
	return StartConfig(t, db, vendors, nil)
}

// StartConfig is StartOn with settings of app.Config changed by configure
// (the Host check, the control token); configure may be nil.
func StartConfig(t testing.TB, db *store.DB, vendors VendorsFunc, configure func(*app.Config)) *Env {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	if os.Getenv("STANDIN_TEST_LOG") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	fake := clock.NewFake(time.Now().UTC().Truncate(time.Millisecond))
	cfg := app.Config{DB: db, Log: log, Clock: fake}
	if configure != nil {
		configure(&cfg)
	}
	log = cfg.Log
	cfg.Vendors = vendors(db, log)
	a, err := app.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	env := &Env{App: a, DB: db, Clock: fake, URLs: map[string]string{}, ControlToken: cfg.ControlToken}
	for _, v := range a.Vendors() {
		srv := httptest.NewServer(a.VendorHandler(v))
		t.Cleanup(srv.Close)
		a.SetVendorURL(v.Name(), srv.URL)
		env.URLs[v.Name()] = srv.URL
	}
	ctl := httptest.NewServer(control.New(a, log))
	t.Cleanup(ctl.Close)
	env.Control = ctl.URL
	return env
}

// Namespace is the control plane's answer for a namespace: its id and each
// vendor's base_url and credentials.
type Namespace struct {
	ID      string                    `json:"id"`
	Seed    string                    `json:"seed"`
	Vendors map[string]map[string]any `json:"vendors"`
}

// Cred returns a vendor credential as a string ("" when absent).
func (n *Namespace) Cred(vendor, key string) string {
	v := n.Vendors[vendor][key]
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// BaseURL returns the namespace's base URL for a vendor.
func (n *Namespace) BaseURL(vendor string) string { return n.Cred(vendor, "base_url") }

// NewNamespace creates a namespace with the given seed through the control
// plane.
func (e *Env) NewNamespace(t testing.TB, seed string) *Namespace {
	t.Helper()
	var ns Namespace
	res := e.Do(t, "POST", e.Control+"/_standin/namespaces", map[string]string{"seed": seed}, nil)
	res.Decode(t, http.StatusCreated, &ns)
	return &ns
}

// Response is a finished HTTP exchange.
type Response struct {
	*http.Response
	Body []byte
}

// NamespaceURL is the namespace's root on the control plane,
// …/_standin/namespaces/{id}.
func (e *Env) NamespaceURL(ns *Namespace) string {
	return e.Control + "/_standin/namespaces/" + ns.ID
}

// Do sends a request. body may be nil, []byte, string, url.Values (sent as
// a form) or anything else (sent as JSON).
//
// Requests to the control plane are sent as a program would send them: as
// JSON unless header says otherwise (the control plane refuses other
// content types on writes), with the control token when the Env has one.
func (e *Env) Do(t testing.TB, method, u string, body any, header http.Header) *Response {
	t.Helper()
	if strings.HasPrefix(u, e.Control+"/") {
		h := header.Clone()
		if h == nil {
			h = http.Header{}
		}
		if h.Get("Content-Type") == "" {
			h.Set("Content-Type", "application/json")
		}
		if e.ControlToken != "" && h.Get("Authorization") == "" {
			h.Set("Authorization", "Bearer "+e.ControlToken)
		}
		header = h
	}
	return Do(t, method, u, body, header)
}

// Do sends a request; see Env.Do.
func Do(t testing.TB, method, u string, body any, header http.Header) *Response {
	t.Helper()
	var r io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
	case string:
		r = bytes.NewReader([]byte(b))
	case url.Values:
		r = bytes.NewReader([]byte(b.Encode()))
		ct = "application/x-www-form-urlencoded"
	default:
		js, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(js)
		ct = "application/json"
	}
	req, err := http.NewRequest(method, u, r)
	if err != nil {
		t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &Response{Response: res, Body: b}
}

// Decode checks the status and decodes the JSON body into v (if v is not nil).
func (r *Response) Decode(t testing.TB, status int, v any) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d; body: %s", r.Request.Method, r.Request.URL, r.StatusCode, status, r.Body)
	}
	if v == nil {
		return
	}
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("%s %s: body is not the JSON expected: %v; body: %s", r.Request.Method, r.Request.URL, err, r.Body)
	}
}

// JSON decodes the body into a generic value, failing the test when the
// body is not JSON.
func (r *Response) JSON(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("%s %s: body is not a JSON object: %v; body: %s", r.Request.Method, r.Request.URL, err, r.Body)
	}
	return m
}

// RandomBytes returns n random bytes: file content that no compression or
// accidental equality can flatter.
func RandomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	return b
}
