// Package app assembles standin: the database, the vendors, the namespaces
// and their lifecycle (create, seed, reset, delete). The HTTP faces are the
// vendor ports (VendorHandler) and the control plane (package control).
package app

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/standin-dev/standin/internal/blob"
	"github.com/standin-dev/standin/internal/clock"
	"github.com/standin-dev/standin/internal/fault"
	fmigrations "github.com/standin-dev/standin/internal/fault/migrations"
	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/journal"
	jmigrations "github.com/standin-dev/standin/internal/journal/migrations"
	"github.com/standin-dev/standin/internal/lifecycle"
	lcmigrations "github.com/standin-dev/standin/internal/lifecycle/migrations"
	"github.com/standin-dev/standin/internal/metrics"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/outbox"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/store/migrations"
	"github.com/standin-dev/standin/internal/vendor"
)

// NamespacePrefix is the path under which a vendor port serves namespaces
// other than the default: http://host:8702/ns/{id}/api/1/groups.
const NamespacePrefix = "/ns/"

// Config is what New needs.
type Config struct {
	DB      *store.DB
	Log     *slog.Logger
	Clock   clock.Clock
	Vendors []vendor.Vendor
	// Secret derives the default namespace's credentials; empty means
	// namespace.WellKnownSecret.
	Secret string
	// DefaultSeed seeds the default namespace when it is first made.
	DefaultSeed string
	// VendorURLs maps each vendor to the root URL of its port, used to tell
	// clients each namespace's base URLs.
	VendorURLs map[string]string
	// Exposed is set when standin listens beyond loopback: the Host check
	// then applies only when AllowedHosts is given (see HostAllowed).
	Exposed bool
	// AllowedHosts are host names accepted in Host besides the loopback
	// ones; ".example.com" also accepts its subdomains.
	AllowedHosts []string
	// ControlToken, when set, is required by the control API and console.
	ControlToken string
}

// App is a running standin.
type App struct {
	db      *store.DB
	log     *slog.Logger
	clock   clock.Clock
	vendors []vendor.Vendor
	byName  map[string]vendor.Vendor
	urls    map[string]string
	guard   guard
	tables  *lifecycle.Tables // every namespaced table, for snapshots and forks
	metrics *metrics.Metrics
	journal *journal.Journal
	faults  *fault.Injector
	// nsCache spares each request reading its namespace row.
	nsCache *namespace.Cache
}

// New migrates the database and makes sure the default namespace exists
// with the configured secret.
func New(ctx context.Context, cfg Config) (*App, error) {
	a := &App{
		db: cfg.DB, log: cfg.Log, clock: cfg.Clock, vendors: cfg.Vendors,
		byName: map[string]vendor.Vendor{}, urls: cfg.VendorURLs, tables: lifecycle.NewTables(cfg.DB),
		nsCache: namespace.NewCache(),
		guard:   guard{exposed: cfg.Exposed, allowedHosts: cfg.AllowedHosts, controlToken: cfg.ControlToken},
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.clock == nil {
		a.clock = clock.Real{}
	}
	if a.urls == nil {
		a.urls = map[string]string{}
	}
	for _, v := range a.vendors {
		a.byName[v.Name()] = v
	}
	if err := a.db.MigrateAll(ctx, Components(a.vendors)); err != nil {
		return nil, err
	}
	a.journal, a.faults = journal.New(a.db, a.log), fault.New(a.db, a.log, a.vendors)
	// From here on every write is counted, which keeps the reads that
	// vendors remember (namespace.Remember) exact; migrations are not.
	a.db.Track()
	// Unfinished uploads that no process has touched lately are what a
	// crash left behind.
	if _, err := blob.Sweep(ctx, a.db, time.Now().Add(-blob.SweepAge)); err != nil {
		return nil, err
	}
	blob.UseLZ4(ctx, a.db)
	secret := cfg.Secret
	if secret == "" {
		secret = namespace.WellKnownSecret
	}
	seed := cfg.DefaultSeed
	if seed == "" {
		seed = namespace.SeedDemo
	}
	if err := a.ensureDefault(ctx, secret, seed); err != nil {
		return nil, err
	}
	a.metrics = a.newMetrics()
	return a, nil
}

// Components lists the migrations that New applies, in order: the
// platform's, the lifecycle's (which alter the platform's tables), each
// vendor's, the journal's and the fault injector's.
func Components(vendors []vendor.Vendor) []store.Component {
	comps := []store.Component{{Name: "platform", Migrations: migrations.FS}, {Name: "lifecycle", Migrations: lcmigrations.FS}}
	for _, v := range vendors {
		comps = append(comps, store.Component{Name: v.Name(), Migrations: v.Migrations()})
	}
	return append(comps, store.Component{Name: "journal", Migrations: jmigrations.FS}, store.Component{Name: "faults", Migrations: fmigrations.FS})
}

func (a *App) ensureDefault(ctx context.Context, secret, seed string) error {
	ns, err := namespace.Get(ctx, a.db, namespace.Default)
	if errors.Is(err, namespace.ErrNotFound) {
		_, err = a.CreateNamespace(ctx, namespace.Default, seed, secret)
		if errors.Is(err, ErrExists) || store.IsUniqueViolation(err) {
			return nil // another process made it first
		}
		return err
	}
	if err != nil {
		return err
	}
	if ns.Secret != secret {
		// Credentials are derived from the secret and stored hashed by the
		// vendors, so new credentials mean re-seeding the namespace.
		a.log.Warn("default namespace secret changed: resetting the default namespace to its seed")
		ns.Secret = secret
		return a.db.Tx(ctx, func(tx *sql.Tx) error {
			if err := namespace.Update(ctx, tx, ns); err != nil {
				return err
			}
			return a.reset(ctx, tx, ns)
		})
	}
	return nil
}

// DB returns the database.
func (a *App) DB() *store.DB { return a.db }

// Clock returns the process clock.
func (a *App) Clock() clock.Clock { return a.clock }

// Journal returns the request journal.
func (a *App) Journal() *journal.Journal { return a.journal }

// Faults returns the fault injector.
func (a *App) Faults() *fault.Injector { return a.faults }

// Vendors returns the served vendors.
func (a *App) Vendors() []vendor.Vendor { return a.vendors }

// Vendor returns a vendor by name.
func (a *App) Vendor(name string) (vendor.Vendor, bool) {
	v, ok := a.byName[name]
	return v, ok
}

// SetVendorURL records the root URL of a vendor's port (known only once the
// listener is bound, for example in tests).
func (a *App) SetVendorURL(vendor, url string) { a.urls[vendor] = strings.TrimSuffix(url, "/") }

// BaseURL is the base URL of a vendor for a namespace.
func (a *App) BaseURL(vendor, nsID string) string {
	root := a.urls[vendor]
	if nsID == namespace.Default {
		return root
	}
	return root + strings.TrimSuffix(NamespacePrefix, "/") + "/" + nsID
}

var validID = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

// ErrInvalid marks a request that the control plane answers with 400.
type ErrInvalid struct{ Msg string }

func (e *ErrInvalid) Error() string { return e.Msg }

// ErrExists is returned when a namespace id is taken.
var ErrExists = errors.New("namespace already exists")

// Load returns a namespace with the process clock attached.
func (a *App) Load(ctx context.Context, id string) (*namespace.Namespace, error) {
	ns, err := a.nsCache.Get(ctx, a.db, id)
	if err != nil {
		return nil, err
	}
	ns.Clock = a.clock
	return ns, nil
}

// CreateNamespace makes and seeds a namespace in one transaction. An empty
// id gets a random one; an empty secret a random one.
func (a *App) CreateNamespace(ctx context.Context, id, seed, secret string, opts ...CreateOption) (*namespace.Namespace, error) {
	if id == "" {
		id = "ns-" + ids.Hex(6)
	}
	if !validID.MatchString(id) {
		return nil, &ErrInvalid{"id must be 1-63 characters of a-z, 0-9, '-' and '_', starting with a letter or digit"}
	}
	if seed == "" {
		seed = namespace.SeedEmpty
	}
	if !namespace.ValidSeed(seed) {
		return nil, &ErrInvalid{`seed must be "empty", "demo" or "docs"`}
	}
	if secret == "" {
		secret = ids.Token(32)
	}
	ns := &namespace.Namespace{ID: id, Seed: seed, Secret: secret, CreatedAt: a.clock.Now(), Clock: a.clock}
	for _, o := range opts {
		o(ns)
	}
	err := a.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := a.insert(ctx, tx, ns); err != nil {
			return err
		}
		return a.seed(ctx, tx, ns)
	})
	if err != nil {
		return nil, err
	}
	return ns, nil
}

func (a *App) seed(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace) error {
	for _, v := range a.vendors {
		if err := v.Seed(ctx, tx, ns, ns.Seed); err != nil {
			return fmt.Errorf("seed %s/%s: %w", v.Name(), ns.Seed, err)
		}
	}
	docs, err := namespace.Fixtures(ctx, tx, ns.ID)
	if err != nil {
		return err
	}
	for _, doc := range docs {
		var sections map[string]json.RawMessage
		if err := json.Unmarshal(doc, &sections); err != nil {
			return fmt.Errorf("namespace %s: stored seed document: %w", ns.ID, err)
		}
		if err := a.loadSections(ctx, tx, ns, sections); err != nil {
			return err
		}
	}
	return nil
}

func (a *App) clear(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace) error {
	for _, v := range a.vendors {
		if err := v.Clear(ctx, tx, ns); err != nil {
			return fmt.Errorf("clear %s: %w", v.Name(), err)
		}
	}
	if err := outbox.Clear(ctx, tx, ns.ID); err != nil {
		return err
	}
	return store.DeleteNamespace(ctx, tx, ns.ID, "standin_counters")
}

func (a *App) reset(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace) error {
	if err := a.clear(ctx, tx, ns); err != nil {
		return err
	}
	return a.seed(ctx, tx, ns)
}

// ResetNamespace returns a namespace to its seed and the fixtures loaded on
// top of it. The clock offset goes back to zero.
func (a *App) ResetNamespace(ctx context.Context, id string) (*namespace.Namespace, error) {
	var ns *namespace.Namespace
	err := a.db.Tx(store.WithLockKey(ctx, id), func(tx *sql.Tx) error { // waits for the namespace's writers
		var err error
		if ns, err = namespace.Get(ctx, tx, id); err != nil {
			return err
		}
		ns.Clock = a.clock
		ns.ClockOffset = 0
		if err := namespace.Update(ctx, tx, ns); err != nil {
			return err
		}
		return a.reset(ctx, tx, ns)
	})
	return ns, err
}

// ErrDefault is returned for an attempt to delete the default namespace.
var ErrDefault = errors.New("the default namespace cannot be deleted; reset it instead")

// DeleteNamespace deletes a namespace and all of its data.
func (a *App) DeleteNamespace(ctx context.Context, id string) error {
	if id == namespace.Default {
		return ErrDefault
	}
	if err := a.journal.Flush(ctx); err != nil {
		return err
	}
	return a.db.Tx(store.WithLockKey(ctx, id), func(tx *sql.Tx) error { // waits for the namespace's writers
		ns, err := namespace.Get(ctx, tx, id)
		if err != nil {
			return err
		}
		ns.Clock = a.clock
		if err := a.clear(ctx, tx, ns); err != nil {
			return err
		}
		if err := journal.DeleteNamespace(ctx, tx, id); err != nil {
			return err
		}
		if err := fault.DeleteNamespace(ctx, tx, id); err != nil {
			return err
		}
		if err := a.forget(ctx, tx, id); err != nil {
			return err
		}
		return namespace.Delete(ctx, tx, id)
	})
}

// UpdateNamespace runs fn on the namespace and saves what it changed (clock
// offset, settings), in one transaction.
func (a *App) UpdateNamespace(ctx context.Context, id string, fn func(ns *namespace.Namespace) error) (*namespace.Namespace, error) {
	var ns *namespace.Namespace
	err := a.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if ns, err = namespace.Get(ctx, tx, id); err != nil {
			return err
		}
		ns.Clock = a.clock
		if err := fn(ns); err != nil {
			return err
		}
		return namespace.Update(ctx, tx, ns)
	})
	return ns, err
}

// ParseFixture reads a seed document, YAML or JSON, into its per-vendor
// sections as JSON.
func ParseFixture(doc []byte) (map[string]json.RawMessage, error) {
	var v any
	if err := yaml.Unmarshal(doc, &v); err != nil {
		return nil, &ErrInvalid{"seed document is neither valid YAML nor JSON: " + err.Error()}
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, &ErrInvalid{"seed document must be a mapping of vendor name to entities"}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, &ErrInvalid{"seed document: " + err.Error()}
	}
	var out map[string]json.RawMessage
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, &ErrInvalid{"seed document: " + err.Error()}
	}
	return out, nil
}

// loadSections hands each vendor its section of a parsed seed document.
func (a *App) loadSections(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, sections map[string]json.RawMessage) error {
	for name := range sections {
		if _, ok := a.byName[name]; !ok {
			return &ErrInvalid{fmt.Sprintf("seed document: unknown vendor %q", name)}
		}
	}
	for _, v := range a.vendors { // vendor order, so loads are deterministic
		sec, ok := sections[v.Name()]
		if !ok {
			continue
		}
		if err := v.LoadFixture(ctx, tx, ns, sec); err != nil {
			var fe *vendor.FixtureError
			if errors.As(err, &fe) {
				return &ErrInvalid{fmt.Sprintf("seed document, %s: %v", v.Name(), err)}
			}
			if store.IsUniqueViolation(err) {
				return clash(v.Name(), err)
			}
			return fmt.Errorf("load %s fixture: %w", v.Name(), err)
		}
	}
	return nil
}

// LoadFixture loads a seed document into a namespace and remembers it, so
// that reset replays it. With once set, a document that the namespace
// already holds is not loaded again (standin serve --seed on every start).
func (a *App) LoadFixture(ctx context.Context, id string, doc []byte, once bool) error {
	sections, err := ParseFixture(doc)
	if err != nil {
		return err
	}
	// Kept as normalised JSON, so YAML and JSON documents are stored alike
	// and the same document always compares equal.
	norm, err := json.Marshal(sections)
	if err != nil {
		return err
	}
	return a.db.Tx(ctx, func(tx *sql.Tx) error {
		ns, err := namespace.Get(ctx, tx, id)
		if err != nil {
			return err
		}
		ns.Clock = a.clock
		docs, err := namespace.Fixtures(ctx, tx, id)
		if err != nil {
			return err
		}
		if once {
			for _, f := range docs {
				if bytes.Equal(f, norm) {
					return nil
				}
			}
		}
		if err := a.loadSections(ctx, tx, ns, sections); err != nil {
			return err
		}
		return namespace.SetFixtures(ctx, tx, id, append(docs, norm))
	})
}

// Info is the control plane's view of a namespace.
type Info struct {
	ID        string                    `json:"id"`
	Seed      string                    `json:"seed"`
	CreatedAt string                    `json:"created_at"`
	Now       string                    `json:"now"`
	Labels    map[string]string         `json:"labels"`
	ExpiresAt *string                   `json:"expires_at"`
	Vendors   map[string]map[string]any `json:"vendors"`
}

// Info describes a namespace with each vendor's base URL and credentials.
func (a *App) Info(ctx context.Context, ns *namespace.Namespace) (*Info, error) {
	in := &Info{
		ID: ns.ID, Seed: ns.Seed,
		CreatedAt: ns.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z07:00"),
		Now:       ns.Now().UTC().Format("2006-01-02T15:04:05.000Z07:00"),
		Vendors:   map[string]map[string]any{},
	}
	describe(in, ns)
	for _, v := range a.vendors {
		c, err := v.Credentials(ctx, ns, a.BaseURL(v.Name(), ns.ID))
		if err != nil {
			return nil, err
		}
		in.Vendors[v.Name()] = c
	}
	return in, nil
}

// VendorHandler serves one vendor's port: it picks the namespace from the
// path (the default at the root, others under /ns/{id}), puts it in the
// context and hands the request to the vendor.
func (a *App) VendorHandler(v vendor.Vendor) http.Handler {
	// The journal captures what the fault injector answered, too.
	h := a.journal.Wrap(v.Name(), a.faults.Wrap(v, httpx.Recover(a.log, v.WriteError, v.Handler())))
	return a.metrics.Wrap(v.Name(), httpx.Log(a.log, v.Name(), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !a.HostAllowed(r.Host) {
			v.WriteError(w, r, http.StatusForbidden, HostRefused)
			return
		}
		id, prefix := namespace.Default, ""
		if rest, ok := strings.CutPrefix(r.URL.Path, NamespacePrefix); ok {
			id, _, _ = strings.Cut(rest, "/")
			prefix = NamespacePrefix + id
		}
		// Text that the databases refuse (NUL, invalid UTF-8) can name
		// nothing: answer it here, before any handler takes it to a query.
		if name, bad := badText(r); bad {
			v.WriteError(w, r, http.StatusBadRequest, name+" must be UTF-8 text without NUL characters")
			return
		}
		ns, err := a.Load(r.Context(), id)
		if errors.Is(err, namespace.ErrNotFound) {
			v.WriteError(w, r, http.StatusNotFound, fmt.Sprintf("namespace %q not found", id))
			return
		}
		if err != nil {
			httpx.InternalError(a.log, v.WriteError, w, r, err)
			return
		}
		ns.BaseURL = a.advertisedBase(v.Name(), id, prefix, r)
		r = r.WithContext(namespace.NewContext(r.Context(), ns))
		if prefix == "" {
			h.ServeHTTP(w, r)
			return
		}
		http.StripPrefix(prefix, h).ServeHTTP(w, r)
	})))
}

// badText finds a path or query parameter that is not storable text.
func badText(r *http.Request) (string, bool) {
	if !utf8.ValidString(r.URL.Path) || strings.ContainsRune(r.URL.Path, 0) {
		return "the path", true
	}
	q, _ := url.ParseQuery(r.URL.RawQuery)
	if name, bad := httpx.BadTextParam(q); bad {
		return "parameter " + strconv.Quote(name), true
	}
	return "", false
}
