// Package namespace defines the isolated worlds that standin serves. Every
// vendor row belongs to one namespace; a namespace's credentials work only
// under its own base URLs.
package namespace

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/standin-dev/standin/internal/clock"
	"github.com/standin-dev/standin/internal/store"
)

// Default is the id of the namespace that exists from the first start and
// sits at the root of every vendor port.
const Default = "default"

// WellKnownSecret derives the default namespace's credentials when no
// --secret is given. It is public knowledge, so standin refuses to listen
// on a non-loopback address with it.
const WellKnownSecret = "standin-well-known-default-secret"

// Seeds a namespace can start from.
const (
	SeedEmpty = "empty"
	SeedDemo  = "demo"
	SeedDocs  = "docs"
)

// ValidSeed tells whether s names a seed.
func ValidSeed(s string) bool { return s == SeedEmpty || s == SeedDemo || s == SeedDocs }

// Namespace is one isolated world.
type Namespace struct {
	ID   string
	Seed string
	// Secret derives the namespace's credentials; see Credential.
	Secret      string
	ClockOffset time.Duration
	// Settings holds per-vendor switches set through the control plane,
	// keyed by vendor name (for example Clinked's rate limit).
	Settings  map[string]json.RawMessage
	CreatedAt time.Time
	// CredNS is the namespace id that Credential derives from: a fork
	// derives as its source does, so derived ids stay equal. "" is ID.
	CredNS string
	// Keys overrides Credential for the names a fork rotated, so the
	// source's keys do not work in the fork.
	Keys map[string]string
	// Labels are the caller's tags, set at creation ({"ci_job": "1234"}).
	Labels map[string]string
	// ExpiresAt is when a namespace made with a ttl is deleted (zero: never).
	ExpiresAt time.Time
	// Version is the row's version when it was loaded; every change to
	// the row raises it (see Cache).
	Version int64

	// DataVersion and Epoch are the counted writes (store/track.go) as of
	// the request: with Version and CreatedAt they are the generation that
	// reads kept by Remember belong to. Set by Cache.Get.
	DataVersion, Epoch int64
	// reads holds what Remember kept for this namespace; nil for a
	// namespace that did not come from a Cache, which keeps nothing.
	reads *reads

	// creds memoises derived credentials for copies handed out by a Cache;
	// keyed by the deriving id and the secret too, so a copy whose Secret
	// changes never sees old values.
	creds *sync.Map

	// Clock is the process clock; Now adds ClockOffset to it.
	Clock clock.Clock
	// BaseURL is the base URL of the vendor that is serving the current
	// request, as the client reached it (set per request).
	BaseURL string
}

// Now is the namespace's time: the process clock moved by the namespace's
// offset. Every expiry and timestamp a vendor makes uses it.
func (n *Namespace) Now() time.Time {
	c := n.Clock
	if c == nil {
		c = clock.Real{}
	}
	return c.Now().Add(n.ClockOffset)
}

// Credential derives a stable secret for name (such as "klipfolio.api_key")
// from the namespace's secret: hex, n characters long (at most 64). The
// same namespace always yields the same credential, so reset keeps them.
func (n *Namespace) Credential(name string, length int) string {
	s, ok := n.Keys[name]
	if !ok {
		id := n.CredNS
		if id == "" {
			id = n.ID
		}
		s = n.derive(id, name)
	}
	if length > 0 && length < len(s) {
		s = s[:length]
	}
	return s
}

type credKey struct{ id, secret, name string }

// derive is the HMAC behind Credential, memoised when n came from a Cache.
func (n *Namespace) derive(id, name string) string {
	key := credKey{id, n.Secret, name}
	if n.creds != nil {
		if v, ok := n.creds.Load(key); ok {
			return v.(string)
		}
	}
	m := hmac.New(sha256.New, []byte(n.Secret))
	m.Write([]byte(id + "\x00" + name))
	s := hex.EncodeToString(m.Sum(nil))
	if n.creds != nil {
		n.creds.Store(key, s)
	}
	return s
}

// Setting decodes the vendor's settings into v; it leaves v alone when the
// vendor has none.
func (n *Namespace) Setting(vendor string, v any) error {
	raw, ok := n.Settings[vendor]
	if !ok {
		return nil
	}
	return json.Unmarshal(raw, v)
}

type ctxKey struct{}

// NewContext returns ctx carrying ns. Write transactions under it take the
// namespace's write lock (store.WithLockKey).
func NewContext(ctx context.Context, ns *Namespace) context.Context {
	return context.WithValue(store.WithLockKey(ctx, ns.ID), ctxKey{}, ns)
}

// FromContext returns the namespace of the current request. Vendor handlers
// are only ever called with one set, so it panics when there is none.
func FromContext(ctx context.Context) *Namespace {
	ns, ok := ctx.Value(ctxKey{}).(*Namespace)
	if !ok {
		panic("namespace: no namespace in context")
	}
	return ns
}

// ErrNotFound is returned for an unknown namespace id.
var ErrNotFound = errors.New("namespace not found")

// columns leave out fixtures: every request loads its namespace, and the
// seed documents (which may be large) matter only to seeding and reset.
const columns = `id, seed, secret, clock_offset_ms, settings, created_at, cred_ns, rotated_keys, labels, expires_at, version`

func scan(row store.Scanner) (*Namespace, error) {
	var (
		n               Namespace
		offset, created int64
		settings        string
		keys, labels    string
		expires         sql.NullInt64
	)
	if err := row.Scan(&n.ID, &n.Seed, &n.Secret, &offset, &settings, &created,
		&n.CredNS, &keys, &labels, &expires, &n.Version); err != nil {
		return nil, err
	}
	if expires.Valid {
		n.ExpiresAt = time.UnixMilli(expires.Int64).UTC()
	}
	// Most namespaces have neither: skip the decoding on every request.
	if keys != "{}" {
		if err := json.Unmarshal([]byte(keys), &n.Keys); err != nil {
			return nil, fmt.Errorf("namespace %s: keys: %w", n.ID, err)
		}
	}
	if labels != "{}" {
		if err := json.Unmarshal([]byte(labels), &n.Labels); err != nil {
			return nil, fmt.Errorf("namespace %s: labels: %w", n.ID, err)
		}
	}
	n.ClockOffset = time.Duration(offset) * time.Millisecond
	n.CreatedAt = time.UnixMilli(created).UTC()
	if err := json.Unmarshal([]byte(settings), &n.Settings); err != nil {
		return nil, fmt.Errorf("namespace %s: settings: %w", n.ID, err)
	}
	return &n, nil
}

// Get loads one namespace.
func Get(ctx context.Context, q store.Querier, id string) (*Namespace, error) {
	n, err := scan(q.QueryRowContext(ctx, `SELECT `+columns+` FROM standin_namespaces WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return n, err
}

// List returns namespaces in creation order, a page at a time, and the total.
func List(ctx context.Context, q store.Querier, limit, offset int) ([]*Namespace, int, error) {
	var total int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM standin_namespaces`).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := q.QueryContext(ctx, `SELECT `+columns+` FROM standin_namespaces
		ORDER BY created_at, id LIMIT $1 OFFSET $2`, limit, offset)
	list, err := store.Collect(rows, err, scan)
	return list, total, err
}

// Select returns the namespaces that a query's tail picks: the text after
// "SELECT … FROM standin_namespaces", such as "WHERE seed = $1 LIMIT 10".
func Select(ctx context.Context, q store.Querier, tail string, args ...any) ([]*Namespace, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+columns+` FROM standin_namespaces `+tail, args...)
	return store.Collect(rows, err, scan)
}

// Insert stores a new namespace, with no seed documents. It fails with a
// unique violation when the id is taken.
func Insert(ctx context.Context, q store.Querier, n *Namespace) error {
	settings, err := encodeSettings(n)
	if err != nil {
		return err
	}
	keys, err := json.Marshal(orEmpty(n.Keys))
	if err != nil {
		return err
	}
	labels, err := json.Marshal(orEmpty(n.Labels))
	if err != nil {
		return err
	}
	var expires sql.NullInt64
	if !n.ExpiresAt.IsZero() {
		expires = sql.NullInt64{Int64: n.ExpiresAt.UnixMilli(), Valid: true}
	}
	n.Version = 1
	_, err = q.ExecContext(ctx, `INSERT INTO standin_namespaces (`+columns+`, fixtures)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, '[]')`,
		n.ID, n.Seed, n.Secret, n.ClockOffset.Milliseconds(), settings, n.CreatedAt.UnixMilli(),
		n.CredNS, string(keys), string(labels), expires, n.Version)
	return err
}

// Update saves a namespace's mutable fields (not its seed documents) and
// raises its version, which every process's cached copy is checked against.
func Update(ctx context.Context, q store.Querier, n *Namespace) error {
	settings, err := encodeSettings(n)
	if err != nil {
		return err
	}
	return q.QueryRowContext(ctx, `UPDATE standin_namespaces
		SET seed = $2, secret = $3, clock_offset_ms = $4, settings = $5, version = version + 1 WHERE id = $1
		RETURNING version`,
		n.ID, n.Seed, n.Secret, n.ClockOffset.Milliseconds(), settings).Scan(&n.Version)
}

// Fixtures returns the seed documents loaded on top of the namespace's
// seed, in load order; reset replays them.
func Fixtures(ctx context.Context, q store.Querier, id string) ([]json.RawMessage, error) {
	var text string
	if err := q.QueryRowContext(ctx, `SELECT fixtures FROM standin_namespaces WHERE id = $1`, id).Scan(&text); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	var docs []json.RawMessage
	if err := json.Unmarshal([]byte(text), &docs); err != nil {
		return nil, fmt.Errorf("namespace %s: fixtures: %w", id, err)
	}
	return docs, nil
}

// SetFixtures replaces the namespace's seed documents.
func SetFixtures(ctx context.Context, q store.Querier, id string, docs []json.RawMessage) error {
	if docs == nil {
		docs = []json.RawMessage{}
	}
	b, err := json.Marshal(docs)
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, `UPDATE standin_namespaces SET fixtures = $2, version = version + 1 WHERE id = $1`, id, string(b))
	return err
}

// Delete removes the namespace row; vendors delete their own rows.
func Delete(ctx context.Context, q store.Querier, id string) error {
	_, err := q.ExecContext(ctx, `DELETE FROM standin_namespaces WHERE id = $1`, id)
	return err
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func encodeSettings(n *Namespace) (string, error) {
	st := n.Settings
	if st == nil {
		st = map[string]json.RawMessage{}
	}
	b, err := json.Marshal(st)
	return string(b), err
}
