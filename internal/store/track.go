package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"strings"
	"sync/atomic"
)

// Counted writes. Processes keep reads in memory (namespace.Remember) for
// as long as nothing they depend on changed, and learn of changes from two
// numbers in the database, whichever process wrote:
//
//   - standin_namespaces.data_version, raised by every transaction that
//     wrote under the namespace's lock key (WithLockKey: every vendor
//     request), inside that transaction just before COMMIT, so the new
//     number and the new rows become visible together;
//   - standin_data_epoch.value, raised by every other write (the control
//     plane, lifecycle, sweeps): it invalidates every namespace's reads.
//
// The counting happens at the driver, under database/sql, so that no write
// can forget it: a statement is a write by its first word (IsWrite), and
// what is unsure counts. Writes that no kept read depends on (the journal,
// fault counters, rate-limit counts) run under Untracked. Counting starts
// with DB.Track, after the migrations.

// tracker is the switch shared by a pool's connections.
type tracker struct {
	on     atomic.Bool
	engine Engine
}

// Track starts counting writes. It is called once the migrations ran, so
// that they, which change no namespace's data, are not counted.
func (db *DB) Track() {
	if db.tracker != nil {
		db.tracker.on.Store(true)
	}
}

type untrackedCtx struct{}

// Untracked returns ctx under which writes are not counted: for rows that
// no kept read depends on (the journal, fault hit counts, rate-limit
// counters), which would otherwise void every namespace's kept reads on
// every request.
func Untracked(ctx context.Context) context.Context {
	return context.WithValue(ctx, untrackedCtx{}, true)
}

func untracked(ctx context.Context) bool { return ctx.Value(untrackedCtx{}) != nil }

func lockKey(ctx context.Context) string {
	k, _ := ctx.Value(lockKeyCtx{}).(string)
	return k
}

const (
	bumpNamespace = `UPDATE standin_namespaces SET data_version = data_version + 1 WHERE id = $1`
	bumpEpoch     = `UPDATE standin_data_epoch SET value = value + 1 WHERE id = 1`
)

// readWords are the first words of statements that change no data. Every
// other first word counts as a write.
var readWords = map[string]bool{
	"SELECT": true, "VALUES": true, "SHOW": true, "EXPLAIN": true, "PRAGMA": true,
	"BEGIN": true, "START": true, "COMMIT": true, "END": true, "ROLLBACK": true,
	"SAVEPOINT": true, "RELEASE": true, "SET": true, "RESET": true,
}

// IsWrite tells whether a statement may change data, by its first word;
// a WITH counts when an INSERT, UPDATE or DELETE appears anywhere in it.
// When unsure it says yes: a write counted in vain costs a reload, a write
// missed serves stale data.
func IsWrite(query string) bool {
	word, rest := firstWord(query)
	if word == "WITH" {
		for _, w := range []string{"INSERT", "UPDATE", "DELETE"} {
			if containsWord(rest, w) {
				return true
			}
		}
		return false
	}
	return !readWords[word]
}

// firstWord returns the statement's first word in upper case, past
// blanks, comments and opening parentheses, and the text after it.
func firstWord(q string) (string, string) {
	for {
		q = strings.TrimLeft(q, " \t\r\n(")
		switch {
		case strings.HasPrefix(q, "--"):
			_, q, _ = strings.Cut(q, "\n")
		case strings.HasPrefix(q, "/*"):
			_, q, _ = strings.Cut(q, "*/")
		default:
			end := strings.IndexFunc(q, func(r rune) bool { return !isWordRune(r) })
			if end < 0 {
				end = len(q)
			}
			return strings.ToUpper(q[:end]), q[end:]
		}
	}
}

func isWordRune(r rune) bool {
	return r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// containsWord tells whether w (upper case) stands in s as a whole word,
// in any case: "updated_at" does not contain UPDATE.
func containsWord(s, w string) bool {
	u := strings.ToUpper(s)
	for i := 0; ; {
		j := strings.Index(u[i:], w)
		if j < 0 {
			return false
		}
		j += i
		before := j == 0 || !isWordRune(rune(u[j-1]))
		after := j+len(w) == len(u) || !isWordRune(rune(u[j+len(w)]))
		if before && after {
			return true
		}
		i = j + len(w)
	}
}

// trackConnector hands out counting connections.
type trackConnector struct {
	driver.Connector
	t *tracker
}

func (c *trackConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &trackConn{wrappedConn: wrappedConn{conn}, t: c.t}, nil
}

// Close closes the wrapped connector when it has something to close (the
// SQLite checkpointer).
func (c *trackConnector) Close() error {
	if cl, ok := c.Connector.(io.Closer); ok {
		return cl.Close()
	}
	return nil
}

// trackConn counts the writes run on it. database/sql uses a connection
// from one goroutine at a time, so its open transaction needs no lock.
type trackConn struct {
	wrappedConn
	t  *tracker
	tx *trackTx // the open transaction, nil outside one
}

var (
	_ driver.Connector          = (*trackConnector)(nil)
	_ driver.ConnBeginTx        = (*trackConn)(nil)
	_ driver.ConnPrepareContext = (*trackConn)(nil)
	_ driver.ExecerContext      = (*trackConn)(nil)
	_ driver.QueryerContext     = (*trackConn)(nil)
	_ driver.Pinger             = (*trackConn)(nil)
	_ driver.SessionResetter    = (*trackConn)(nil)
	_ driver.Validator          = (*trackConn)(nil)
	_ driver.NamedValueChecker  = (*trackConn)(nil)
	_ driver.StmtExecContext    = (*trackStmt)(nil)
	_ driver.StmtQueryContext   = (*trackStmt)(nil)
)

func (c *trackConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	tx, err := c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	c.tx = &trackTx{Tx: tx, c: c, key: lockKey(ctx)}
	return c.tx, nil
}

// wrote counts a write that ran: it marks the open transaction, or, in
// autocommit, bumps at once (the write is committed already, and the
// request that made it has not answered yet).
func (c *trackConn) wrote(ctx context.Context, query string) error {
	if !c.t.on.Load() || untracked(ctx) || !IsWrite(query) {
		return nil
	}
	if c.tx != nil {
		c.tx.dirty = true
		return nil
	}
	if key := lockKey(ctx); key != "" {
		return c.exec(bumpNamespace, key)
	}
	return c.exec(bumpEpoch)
}

// exec runs one of the tracker's own statements on the connection.
func (c *trackConn) exec(query string, args ...any) error {
	nv := make([]driver.NamedValue, len(args))
	for i, a := range args {
		nv[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	_, err := c.Conn.(driver.ExecerContext).ExecContext(context.Background(), query, nv)
	if err != nil {
		return errors.Join(errors.New("store: counting a write"), err)
	}
	return nil
}

func (c *trackConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	res, err := c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
	if err != nil {
		return nil, err
	}
	return res, c.wrote(ctx, query)
}

func (c *trackConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	rows, err := c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
	if err != nil {
		return nil, err
	}
	return c.queried(ctx, query, rows)
}

// queried counts a query that writes (INSERT … RETURNING): in a
// transaction at once; in autocommit when its rows are closed, since the
// connection runs nothing else while they are open.
func (c *trackConn) queried(ctx context.Context, query string, rows driver.Rows) (driver.Rows, error) {
	if c.tx != nil || !c.t.on.Load() || untracked(ctx) || !IsWrite(query) {
		return rows, c.wrote(ctx, query)
	}
	return &trackRows{Rows: rows, c: c, ctx: ctx, query: query}, nil
}

func (c *trackConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return &trackStmt{Stmt: st, c: c, query: query}, nil
}

// wrappedConn is what cachingConn and trackConn share: the connection
// they wrap, and the optional interfaces neither changes (ping, session
// reset, validity), forwarded to it when it has them and otherwise
// answered as database/sql would without them.
type wrappedConn struct {
	driver.Conn
}

func (c wrappedConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c wrappedConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c wrappedConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// CheckNamedValue keeps the driver's own argument conversions (pgx takes
// more types than database/sql's default).
func (c *trackConn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.Conn.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

// trackTx bumps before it commits what it wrote.
type trackTx struct {
	driver.Tx
	c     *trackConn
	key   string
	dirty bool
}

// Commit counts the transaction's writes. With a lock key it raises the
// namespace's data_version in the transaction: writers of one namespace
// hold its lock already (on PostgreSQL the advisory lock, on SQLite the
// one write lock), so the row adds no wait.
//
// Without a key it raises the epoch. On SQLite in the transaction too
// (there is one writer at a time anyway). On PostgreSQL right after
// COMMIT, in autocommit: in the transaction, every keyless writer would
// queue on the epoch row while holding its other row locks, and a
// REPEATABLE READ transaction (snapshots, forks) would fail with a
// serialization error whenever another writer had raised it meanwhile.
// After COMMIT the update holds nothing else, so it can neither deadlock
// nor fail a transaction (TestTxRetriesDeadlocks runs tracked), and it
// still runs before the writing request answers: a reader that slipped
// in between saw the old epoch and is voided by the new one.
func (t *trackTx) Commit() error {
	c := t.c
	c.tx = nil
	if t.dirty && (t.key != "" || c.t.engine == SQLite) {
		q, args := bumpEpoch, []any(nil)
		if t.key != "" {
			q, args = bumpNamespace, []any{t.key}
		}
		if err := c.exec(q, args...); err != nil {
			_ = t.Tx.Rollback()
			return err
		}
	}
	if err := t.Tx.Commit(); err != nil {
		return err
	}
	if t.dirty && t.key == "" && c.t.engine == Postgres {
		return c.exec(bumpEpoch)
	}
	return nil
}

func (t *trackTx) Rollback() error {
	t.c.tx = nil
	return t.Tx.Rollback()
}

// trackStmt counts the writes of a prepared statement.
type trackStmt struct {
	driver.Stmt
	c     *trackConn
	query string
}

func (s *trackStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	res, err := s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
	if err != nil {
		return nil, err
	}
	return res, s.c.wrote(ctx, s.query)
}

func (s *trackStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	rows, err := s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	return s.c.queried(ctx, s.query, rows)
}

// Exec and Query are the pre-context forms that driver.Stmt requires;
// database/sql calls the context forms above.
func (s *trackStmt) Exec(args []driver.Value) (driver.Result, error) {
	return nil, errors.New("store: Stmt.Exec without a context")
}

func (s *trackStmt) Query(args []driver.Value) (driver.Rows, error) {
	return nil, errors.New("store: Stmt.Query without a context")
}

// trackRows counts an autocommit query that wrote once its rows are closed.
type trackRows struct {
	driver.Rows
	c     *trackConn
	ctx   context.Context
	query string
	done  bool
}

func (r *trackRows) Close() error {
	err := r.Rows.Close()
	if r.done {
		return err
	}
	r.done = true
	return errors.Join(err, r.c.wrote(r.ctx, r.query))
}
