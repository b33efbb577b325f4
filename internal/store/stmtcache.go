package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"time"
)

// maxCachedStmts bounds each connection's statement cache. standin's SQL is
// a fixed set of texts (a few hundred), so the bound only guards against
// queries built with values in their text.
const maxCachedStmts = 512

// cachingConnector opens SQLite connections that keep their prepared
// statements: modernc's driver parses the SQL of every QueryContext and
// ExecContext call anew, which was a third of a list request's CPU.
// (pgx caches prepared statements per connection by itself.)
type cachingConnector struct {
	drv driver.Driver
	dsn string
	// writer is the process's turn at SQLite's one write lock: writers
	// queue here in order instead of polling the lock through the busy
	// handler, whose growing sleeps made concurrent writes crawl.
	writer chan struct{}
	// cp checkpoints the WAL after commits (nil for a database in memory).
	cp *checkpointer
}

func newCachingConnector(driverName, dsn string, checkpoints bool) (*cachingConnector, error) {
	db, err := sql.Open(driverName, "")
	if err != nil {
		return nil, err
	}
	drv := db.Driver()
	db.Close()
	c := &cachingConnector{drv: drv, dsn: dsn, writer: make(chan struct{}, 1)}
	if checkpoints {
		c.cp = newCheckpointer(func() (driver.Conn, error) { return drv.Open(dsn) })
	}
	return c, nil
}

// Close stops the checkpointer; database/sql calls it from DB.Close.
func (c *cachingConnector) Close() error {
	if c.cp != nil {
		return c.cp.Close()
	}
	return nil
}

func (c *cachingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &cachingConn{wrappedConn: wrappedConn{conn}, stmts: map[string]*cachedStmt{}, writer: c.writer, cp: c.cp}, nil
}

func (c *cachingConnector) Driver() driver.Driver { return c.drv }

// cachingConn is a driver connection with a statement cache. database/sql
// uses a connection from one goroutine at a time, so it needs no lock.
type cachingConn struct {
	wrappedConn
	stmts  map[string]*cachedStmt
	writer chan struct{}
	cp     *checkpointer
}

// cachedStmt is a prepared statement; busy while its rows are open, when a
// second use of the same text (a nested query in a transaction) falls back
// to an uncached statement.
type cachedStmt struct {
	stmt driver.Stmt
	busy bool
}

// the interfaces database/sql looks for, all forwarded to modernc's conn.
var (
	_ driver.ConnBeginTx        = (*cachingConn)(nil)
	_ driver.ConnPrepareContext = (*cachingConn)(nil)
	_ driver.ExecerContext      = (*cachingConn)(nil)
	_ driver.QueryerContext     = (*cachingConn)(nil)
	_ driver.Pinger             = (*cachingConn)(nil)
	_ driver.SessionResetter    = (*cachingConn)(nil)
	_ driver.Validator          = (*cachingConn)(nil)
)

// writeWait is how long a transaction waits for the write lock, as the
// busy timeout would.
const writeWait = 10 * time.Second

// BeginTx waits for the process's turn to write (every transaction begins
// IMMEDIATE, taking the write lock), then begins.
func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	t := time.NewTimer(writeWait)
	defer t.Stop()
	select {
	case c.writer <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-t.C:
		return nil, errors.New("sqlite: database is locked (SQLITE_BUSY): no turn to write within 10s")
	}
	tx, err := c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
	if err != nil {
		<-c.writer
		return nil, err
	}
	return &turnTx{Tx: tx, writer: c.writer, cp: c.cp}, nil
}

// turnTx gives the turn to write back when it ends.
type turnTx struct {
	driver.Tx
	writer chan struct{}
	cp     *checkpointer
	done   bool
}

func (t *turnTx) Commit() error {
	defer t.release()
	if err := t.Tx.Commit(); err != nil {
		return err
	}
	t.cp.committed()
	return nil
}

func (t *turnTx) Rollback() error {
	defer t.release()
	return t.Tx.Rollback()
}

func (t *turnTx) release() {
	if !t.done {
		t.done = true
		<-t.writer
	}
}

func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

// stmt returns the cached statement for query, preparing it on first use;
// nil when it is busy.
func (c *cachingConn) stmt(ctx context.Context, query string) (*cachedStmt, error) {
	if s, ok := c.stmts[query]; ok {
		if s.busy {
			return nil, nil
		}
		return s, nil
	}
	if len(c.stmts) >= maxCachedStmts {
		for q, s := range c.stmts {
			if !s.busy {
				_ = s.stmt.Close()
				delete(c.stmts, q)
			}
		}
	}
	st, err := c.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	s := &cachedStmt{stmt: st}
	c.stmts[query] = s
	return s, nil
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
	}
	return s.stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
	}
	rows, err := s.stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	s.busy = true
	return &cachedRows{Rows: rows, s: s}, nil
}

func (c *cachingConn) Close() error {
	for _, s := range c.stmts {
		_ = s.stmt.Close()
	}
	c.stmts = nil
	return c.Conn.Close()
}

// cachedRows frees its statement for the next use when closed.
type cachedRows struct {
	driver.Rows
	s *cachedStmt
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	r.s.busy = false
	return err
}
