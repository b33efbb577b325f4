package app

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/lifecycle"
	"github.com/standin-dev/standin/internal/metrics"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/vendor"
)

// newMetrics makes the App's Prometheus registry.
func (a *App) newMetrics() *metrics.Metrics {
	count := func(table string) func(ctx context.Context) (int, error) {
		return func(ctx context.Context) (int, error) {
			var n int
			err := a.db.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n)
			return n, err
		}
	}
	journalSize := count("standin_journal")
	return metrics.New(metrics.Config{DB: a.db.DB, Namespaces: count("standin_namespaces"),
		JournalSize: func(ctx context.Context) (int, error) {
			// What this process captured counts once it is written.
			if err := a.journal.Flush(ctx); err != nil {
				return 0, err
			}
			return journalSize(ctx)
		}})
}

// Metrics returns the App's Prometheus metrics (served by the control plane).
func (a *App) Metrics() *metrics.Metrics { return a.metrics }

// CreateOption sets an optional property of a new namespace.
type CreateOption func(*namespace.Namespace)

// WithLabels tags a new namespace ({"ci_job": "1234"}).
func WithLabels(labels map[string]string) CreateOption {
	return func(ns *namespace.Namespace) { ns.Labels = labels }
}

// WithExpiry makes a namespace that the sweep deletes at t (process clock).
func WithExpiry(t time.Time) CreateOption {
	return func(ns *namespace.Namespace) { ns.ExpiresAt = t }
}

const (
	maxLabels     = 32
	maxLabelKey   = 63
	maxLabelValue = 255
)

var validLabelKey = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// CheckLabels validates labels given at creation or in a filter.
func CheckLabels(labels map[string]string) error {
	if len(labels) > maxLabels {
		return &ErrInvalid{fmt.Sprintf("at most %d labels", maxLabels)}
	}
	for k, v := range labels {
		if len(k) > maxLabelKey || !validLabelKey.MatchString(k) {
			return &ErrInvalid{fmt.Sprintf("label key %q must be 1-%d characters of letters, digits, '_', '.' and '-'", k, maxLabelKey)}
		}
		if len(v) > maxLabelValue || strings.ContainsRune(v, 0) {
			return &ErrInvalid{fmt.Sprintf("label %q: value must be at most %d characters, without NUL", k, maxLabelValue)}
		}
	}
	return nil
}

// insert stores a new namespace row and its labels.
func (a *App) insert(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace) error {
	if err := CheckLabels(ns.Labels); err != nil {
		return err
	}
	if err := namespace.Insert(ctx, tx, ns); err != nil {
		if store.IsUniqueViolation(err) {
			return ErrExists
		}
		return err
	}
	for k, v := range ns.Labels {
		if _, err := tx.ExecContext(ctx, `INSERT INTO standin_namespace_labels (namespace, key, value)
			VALUES ($1, $2, $3)`, ns.ID, k, v); err != nil {
			return err
		}
	}
	return nil
}

// forget deletes what a namespace has beside its state: its snapshots and
// its labels.
func (a *App) forget(ctx context.Context, tx *sql.Tx, id string) error {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM standin_snapshots WHERE namespace = $1`, id)
	sids, err := store.Collect(rows, err, scanString)
	if err != nil {
		return err
	}
	for _, sid := range sids {
		if err := a.tables.Delete(ctx, tx, lifecycle.SnapshotKey(sid)); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM standin_snapshots WHERE namespace = $1`, id); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM standin_namespace_labels WHERE namespace = $1`, id)
	return err
}

func scanString(row store.Scanner) (string, error) {
	var s string
	err := row.Scan(&s)
	return s, err
}

// describe adds the lifecycle fields to a namespace's Info.
func describe(in *Info, ns *namespace.Namespace) {
	in.Labels = ns.Labels
	if in.Labels == nil {
		in.Labels = map[string]string{}
	}
	if !ns.ExpiresAt.IsZero() {
		t := ns.ExpiresAt.UTC().Format(timeFormat)
		in.ExpiresAt = &t
	}
}

const timeFormat = "2006-01-02T15:04:05.000Z07:00"

// Snapshot is a saved state of a namespace.
type Snapshot struct {
	ID        string `json:"id"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	CreatedAt string `json:"created_at"`
}

// ErrSnapshotNotFound is returned for an unknown snapshot id.
var ErrSnapshotNotFound = errors.New("snapshot not found")

// snapshotTx runs fn in a transaction that sees one state of the database
// throughout: PostgreSQL's READ COMMITTED would let rows committed between
// two of its statements into a snapshot. SQLite transactions already do.
func (a *App) snapshotTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if a.db.Engine != store.Postgres {
		return a.db.Tx(ctx, fn)
	}
	tx, err := a.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// CreateSnapshot saves the whole state of a namespace, every vendor's rows,
// its counters, blobs and outbox, and its row's fields (seed documents,
// secret, keys, clock offset, settings), in one transaction.
func (a *App) CreateSnapshot(ctx context.Context, nsID, name string) (*Snapshot, error) {
	if len(name) > 200 || strings.ContainsRune(name, 0) {
		return nil, &ErrInvalid{"name must be at most 200 characters, without NUL"}
	}
	now := a.clock.Now()
	snap := &Snapshot{ID: "snap-" + ids.Hex(8), Namespace: nsID, Name: name, CreatedAt: now.UTC().Format(timeFormat)}
	err := a.snapshotTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO standin_snapshots
			(id, namespace, name, created_at, seed, secret, cred_ns, rotated_keys, clock_offset_ms, fixtures, settings)
			SELECT CAST($1 AS TEXT), id, CAST($2 AS TEXT), CAST($3 AS BIGINT), seed, secret, cred_ns, rotated_keys,
				clock_offset_ms, fixtures, settings
			FROM standin_namespaces WHERE id = $4`, snap.ID, name, now.UnixMilli(), nsID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			if err != nil {
				return err
			}
			return namespace.ErrNotFound
		}
		return a.tables.Copy(ctx, tx, nsID, lifecycle.SnapshotKey(snap.ID))
	})
	if err != nil {
		return nil, err
	}
	return snap, nil
}

func scanSnapshot(row store.Scanner) (*Snapshot, error) {
	var s Snapshot
	var created int64
	if err := row.Scan(&s.ID, &s.Namespace, &s.Name, &created); err != nil {
		return nil, err
	}
	s.CreatedAt = time.UnixMilli(created).UTC().Format(timeFormat)
	return &s, nil
}

// Snapshots lists a namespace's snapshots, oldest first.
func (a *App) Snapshots(ctx context.Context, nsID string) ([]*Snapshot, error) {
	if _, err := namespace.Get(ctx, a.db, nsID); err != nil {
		return nil, err
	}
	rows, err := a.db.QueryContext(ctx, `SELECT id, namespace, name, created_at FROM standin_snapshots
		WHERE namespace = $1 ORDER BY created_at, id`, nsID)
	return store.Collect(rows, err, scanSnapshot)
}

// DeleteSnapshot drops one snapshot of a namespace.
func (a *App) DeleteSnapshot(ctx context.Context, nsID, sid string) error {
	return a.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM standin_snapshots WHERE namespace = $1 AND id = $2`, nsID, sid)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err != nil {
				return err
			}
			return a.missing(ctx, tx, nsID)
		}
		return a.tables.Delete(ctx, tx, lifecycle.SnapshotKey(sid))
	})
}

// missing tells an unknown namespace from an unknown snapshot.
func (a *App) missing(ctx context.Context, q store.Querier, nsID string) error {
	if _, err := namespace.Get(ctx, q, nsID); err != nil {
		return err
	}
	return ErrSnapshotNotFound
}

// savedNamespace reads the namespace fields that a snapshot saved.
func (a *App) savedNamespace(ctx context.Context, q store.Querier, nsID, sid string) (*namespace.Namespace, []json.RawMessage, error) {
	var (
		ns               namespace.Namespace
		keys, fixtures   string
		settings         string
		offset, unusedTS int64
	)
	err := q.QueryRowContext(ctx, `SELECT seed, secret, cred_ns, rotated_keys, clock_offset_ms, fixtures, settings, created_at
		FROM standin_snapshots WHERE namespace = $1 AND id = $2`, nsID, sid).
		Scan(&ns.Seed, &ns.Secret, &ns.CredNS, &keys, &offset, &fixtures, &settings, &unusedTS)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, a.missing(ctx, q, nsID)
	}
	if err != nil {
		return nil, nil, err
	}
	ns.ClockOffset = time.Duration(offset) * time.Millisecond
	var docs []json.RawMessage
	if err := errors.Join(json.Unmarshal([]byte(keys), &ns.Keys), json.Unmarshal([]byte(settings), &ns.Settings),
		json.Unmarshal([]byte(fixtures), &docs)); err != nil {
		return nil, nil, fmt.Errorf("snapshot %s: %w", sid, err)
	}
	return &ns, docs, nil
}

// RestoreSnapshot puts a namespace back exactly as it was when the snapshot
// was taken: its rows, ids, counters, blobs, credentials and clock offset.
func (a *App) RestoreSnapshot(ctx context.Context, nsID, sid string) (*namespace.Namespace, error) {
	err := a.db.Tx(ctx, func(tx *sql.Tx) error {
		saved, docs, err := a.savedNamespace(ctx, tx, nsID, sid)
		if err != nil {
			return err
		}
		keys, err := json.Marshal(orEmpty(saved.Keys))
		if err != nil {
			return err
		}
		settings, err := json.Marshal(saved.Settings)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE standin_namespaces SET seed = $2, secret = $3, cred_ns = $4,
			rotated_keys = $5, clock_offset_ms = $6, settings = $7, version = version + 1 WHERE id = $1`,
			nsID, saved.Seed, saved.Secret, saved.CredNS, string(keys), saved.ClockOffset.Milliseconds(),
			string(settings)); err != nil {
			return err
		}
		if err := namespace.SetFixtures(ctx, tx, nsID, docs); err != nil {
			return err
		}
		if err := a.tables.Delete(ctx, tx, nsID); err != nil {
			return err
		}
		return a.tables.Copy(ctx, tx, lifecycle.SnapshotKey(sid), nsID)
	})
	if err != nil {
		return nil, err
	}
	return a.Load(ctx, nsID)
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// ForkOptions say what to fork and how to make the new namespace.
type ForkOptions struct {
	From     string // the source namespace
	Snapshot string // one of its snapshots; "" is its current state
	ID       string // the fork's id; "" is a random one
	Options  []CreateOption
}

// Fork makes a new namespace holding a copy of another's current state or
// of one of its snapshots. Data and ids are equal; keys, tokens and the
// passwords of derived credentials are the fork's own (vendor.Forker).
func (a *App) Fork(ctx context.Context, o ForkOptions) (*namespace.Namespace, error) {
	id := o.ID
	if id == "" {
		id = "ns-" + ids.Hex(6)
	}
	if !validID.MatchString(id) {
		return nil, &ErrInvalid{"id must be 1-63 characters of a-z, 0-9, '-' and '_', starting with a letter or digit"}
	}
	var dst *namespace.Namespace
	err := a.snapshotTx(ctx, func(tx *sql.Tx) error {
		var (
			src  *namespace.Namespace
			docs []json.RawMessage
			key  string
			err  error
		)
		if o.Snapshot != "" {
			src, docs, err = a.savedNamespace(ctx, tx, o.From, o.Snapshot)
			key = lifecycle.SnapshotKey(o.Snapshot)
		} else {
			src, err = namespace.Get(ctx, tx, o.From)
			if err == nil {
				docs, err = namespace.Fixtures(ctx, tx, o.From)
			}
			key = o.From
		}
		if err != nil {
			return err
		}
		credNS := src.CredNS
		if credNS == "" {
			credNS = o.From
		}
		dst = &namespace.Namespace{
			ID: id, Seed: src.Seed, Secret: src.Secret, CredNS: credNS, ClockOffset: src.ClockOffset,
			Settings: src.Settings, CreatedAt: a.clock.Now(), Clock: a.clock, Keys: map[string]string{},
		}
		for _, opt := range o.Options {
			opt(dst)
		}
		for _, v := range a.vendors {
			if f, ok := v.(vendor.Forker); ok {
				for _, name := range f.KeyNames() {
					dst.Keys[name] = ids.Hex(32)
				}
			}
		}
		if err := a.insert(ctx, tx, dst); err != nil {
			return err
		}
		if err := namespace.SetFixtures(ctx, tx, id, docs); err != nil {
			return err
		}
		if err := a.tables.Copy(ctx, tx, key, id); err != nil {
			return err
		}
		for _, v := range a.vendors {
			if f, ok := v.(vendor.Forker); ok {
				if err := f.Rekey(ctx, tx, dst); err != nil {
					return fmt.Errorf("fork %s: %w", v.Name(), err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return dst, nil
}

// ErrConflict marks a request that clashes with existing state: 409.
type ErrConflict struct{ Msg string }

func (e *ErrConflict) Error() string { return e.Msg }

var (
	sqliteUnique = regexp.MustCompile(`UNIQUE constraint failed: ([a-z0-9_]+)\.[a-z0-9_]+((?:, [a-z0-9_]+\.[a-z0-9_]+)*)`)
	pgDetail     = regexp.MustCompile(`^Key \((.*)\)=\((.*)\) already exists`)
	pgConstraint = regexp.MustCompile(`unique constraint "([a-z0-9_]+)"`)
)

// clash turns a unique violation met while loading a seed document into a
// 409 that names the entity (from the table) and the key that clashed:
// with its value where the database reports it (PostgreSQL), else the
// key's fields (SQLite reports only those).
func clash(vendorName string, err error) error {
	table, fields, values := "", "", ""
	var pg *pgconn.PgError
	switch {
	case errors.As(err, &pg):
		table = pg.TableName
		if m := pgDetail.FindStringSubmatch(pg.Detail); m != nil {
			fields, values = dropNS(m[1]), dropNS(m[2])
			var names []string
			for _, f := range strings.Split(fields, ", ") {
				names = append(names, fieldName(f))
			}
			fields = strings.Join(names, ", ")
		}
	case sqliteUnique.MatchString(err.Error()):
		m := sqliteUnique.FindStringSubmatch(err.Error())
		table = m[1]
		var cols []string
		for _, c := range strings.Split(m[2], ", ") {
			if _, col, ok := strings.Cut(c, "."); ok && col != "ns" {
				cols = append(cols, fieldName(col))
			}
		}
		fields = strings.Join(cols, ", ")
	default:
		if m := pgConstraint.FindStringSubmatch(err.Error()); m != nil {
			table = strings.TrimSuffix(m[1], "_pkey")
		}
	}
	entity := entityName(vendorName, table)
	msg := fmt.Sprintf("seed document, %s: %s already exists", vendorName, entity)
	switch {
	case fields != "" && values != "":
		msg = fmt.Sprintf("seed document, %s: %s %s %s already exists", vendorName, entity, fields, strconv.Quote(values))
	case fields != "":
		article := "a"
		if strings.ContainsRune("aeio", rune(entity[0])) {
			article = "an"
		}
		msg = fmt.Sprintf("seed document, %s: %s %s with the same %s already exists", vendorName, article, entity, fields)
	}
	return &ErrConflict{msg}
}

// fieldName names a key column as the document does: "title_key" and
// "email_lc" (normalised copies kept for comparison) are "title", "email".
func fieldName(col string) string {
	for _, suffix := range []string{"_key", "_lc"} {
		if base, ok := strings.CutSuffix(col, suffix); ok && base != "" {
			return base
		}
	}
	return col
}

// dropNS removes the leading ns field of a key list "ns, id" / "ns-1, 7".
func dropNS(s string) string {
	if _, rest, ok := strings.Cut(s, ", "); ok {
		return rest
	}
	return s
}

// entityNames names the tables whose entity is not their singular name.
var entityNames = map[string]string{
	"standin_blobs":       "file",
	"standin_blob_chunks": "file",
	"standin_counters":    "counter",
	"workdrive_faq_kbs":   "FAQ knowledge base",
}

// entityName turns a table ("clinked_group_members") into the entity it
// holds ("group member").
func entityName(vendorName, table string) string {
	if n, ok := entityNames[table]; ok {
		return n
	}
	if table == "" {
		return "an entity"
	}
	t := strings.TrimPrefix(table, vendorName+"_")
	words := strings.Split(t, "_")
	last := words[len(words)-1]
	switch {
	case strings.HasSuffix(last, "ies"):
		last = strings.TrimSuffix(last, "ies") + "y"
	case strings.HasSuffix(last, "sses"):
		last = strings.TrimSuffix(last, "es")
	case strings.HasSuffix(last, "s"):
		last = strings.TrimSuffix(last, "s")
	}
	words[len(words)-1] = last
	return strings.Join(words, " ")
}

// Filter picks namespaces for a list or a bulk delete.
type Filter struct {
	Seed          string
	CreatedBefore time.Time
	Labels        map[string]string
}

// Empty tells whether the filter picks every namespace.
func (f Filter) Empty() bool { return f.Seed == "" && f.CreatedBefore.IsZero() && len(f.Labels) == 0 }

func (f Filter) where(a *store.Args) string {
	conds := []string{"1 = 1"}
	if f.Seed != "" {
		conds = append(conds, "seed = "+a.Add(f.Seed))
	}
	if !f.CreatedBefore.IsZero() {
		conds = append(conds, "created_at < "+a.Add(f.CreatedBefore.UnixMilli()))
	}
	keys := make([]string, 0, len(f.Labels))
	for k := range f.Labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		conds = append(conds, "EXISTS (SELECT 1 FROM standin_namespace_labels l WHERE l.namespace = standin_namespaces.id AND l.key = "+
			a.Add(k)+" AND l.value = "+a.Add(f.Labels[k])+")")
	}
	return strings.Join(conds, " AND ")
}

// Cursor marks a place in the namespace list (creation order).
type Cursor struct {
	CreatedAt int64
	ID        string
}

// Encode makes an opaque cursor string.
func (c Cursor) Encode() string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.CreatedAt, 10) + "," + c.ID))
}

// ParseCursor reads a cursor made by Encode.
func ParseCursor(s string) (Cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		if ts, id, ok := strings.Cut(string(b), ","); ok {
			if n, err := strconv.ParseInt(ts, 10, 64); err == nil && validID.MatchString(id) {
				return Cursor{n, id}, nil
			}
		}
	}
	return Cursor{}, &ErrInvalid{"cursor is not one that a namespace list returned"}
}

// ListPage is one page of the namespace list.
type ListPage struct {
	Namespaces []*namespace.Namespace
	Total      int
	Next       string // the cursor of the next page; "" after the last
}

// ListNamespaces pages through the namespaces that f picks in creation
// order, after a cursor (or skipping offset), with the total that f picks.
func (a *App) ListNamespaces(ctx context.Context, f Filter, limit, offset int, after string) (*ListPage, error) {
	var args store.Args
	where := f.where(&args)
	p := &ListPage{}
	if err := a.db.QueryRowContext(ctx, `SELECT count(*) FROM standin_namespaces WHERE `+where, args...).
		Scan(&p.Total); err != nil {
		return nil, err
	}
	if after != "" {
		c, err := ParseCursor(after)
		if err != nil {
			return nil, err
		}
		ts, id := args.Add(c.CreatedAt), args.Add(c.ID)
		where += " AND (created_at > " + ts + " OR (created_at = " + ts + " AND id > " + id + "))"
		offset = 0
	}
	tail := "WHERE " + where + " ORDER BY created_at, id LIMIT " + args.Add(limit+1) + " OFFSET " + args.Add(offset)
	list, err := namespace.Select(ctx, a.db, tail, args...)
	if err != nil {
		return nil, err
	}
	if len(list) > limit {
		list = list[:limit]
		last := list[len(list)-1]
		p.Next = Cursor{last.CreatedAt.UnixMilli(), last.ID}.Encode()
	}
	for _, ns := range list {
		ns.Clock = a.clock
	}
	p.Namespaces = list
	return p, nil
}

// maxBulk bounds one bulk delete; the caller repeats it for more.
const maxBulk = 1000

// DeleteNamespaces deletes the namespaces that f picks (never the default
// one), each in its own transaction, and returns their ids. An empty
// filter is refused: it would delete everything.
func (a *App) DeleteNamespaces(ctx context.Context, f Filter) ([]string, error) {
	if f.Empty() {
		return nil, &ErrInvalid{"give at least one of seed, created_before and label"}
	}
	var args store.Args
	where := f.where(&args) + " AND id <> " + args.Add(namespace.Default)
	rows, err := a.db.QueryContext(ctx, `SELECT id FROM standin_namespaces WHERE `+where+
		` ORDER BY created_at, id LIMIT `+args.Add(maxBulk), args...)
	list, err := store.Collect(rows, err, scanString)
	if err != nil {
		return nil, err
	}
	deleted := []string{}
	for _, id := range list {
		err := a.DeleteNamespace(ctx, id)
		if errors.Is(err, namespace.ErrNotFound) {
			continue // another replica's sweep or request deleted it first
		}
		if err != nil {
			return deleted, err
		}
		deleted = append(deleted, id)
	}
	return deleted, nil
}

// SweepExpired deletes the namespaces whose ttl has run out on the process
// clock. Every replica may run it: a namespace that another deleted first
// is skipped.
func (a *App) SweepExpired(ctx context.Context) (int, error) {
	rows, err := a.db.QueryContext(ctx, `SELECT id FROM standin_namespaces
		WHERE expires_at IS NOT NULL AND expires_at <= $1 ORDER BY expires_at LIMIT $2`,
		a.clock.Now().UnixMilli(), maxBulk)
	list, err := store.Collect(rows, err, scanString)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range list {
		err := a.DeleteNamespace(ctx, id)
		if errors.Is(err, namespace.ErrNotFound) || errors.Is(err, ErrDefault) {
			continue
		}
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// RunSweeper runs SweepExpired every interval until ctx ends.
func (a *App) RunSweeper(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := a.SweepExpired(ctx); err != nil && ctx.Err() == nil {
				a.log.Warn("sweeping expired namespaces", "err", err)
			} else if n > 0 {
				a.log.Info("deleted expired namespaces", "count", n)
			}
		}
	}
}
