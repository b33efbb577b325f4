package journal

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/standin-dev/standin/internal/store"
)

// FlushInterval is how long a captured entry waits, at most, before the
// background writer commits it (and other processes can see it).
const FlushInterval = 50 * time.Millisecond

// maxBatch entries go in one transaction; maxPending entries, or
// maxPendingBytes of bodies, wait at most (beyond that, when the database
// stalls, the oldest are dropped).
const (
	maxBatch        = 256
	maxPending      = 20_000
	maxPendingBytes = 64 << 20
)

// Journal captures requests and stores them.
type Journal struct {
	db  *store.DB
	log *slog.Logger

	mu      sync.Mutex
	buf     []*pending
	bytes   int // bodies held in buf
	running bool
	kick    chan struct{}
	// written is closed and replaced after every commit; the stream waits
	// on it to learn of new entries from this process at once.
	written chan struct{}
	// stopped is closed by StopStreams.
	stopped  chan struct{}
	stopOnce sync.Once

	// writeMu is held while a batch is written, so that Flush waits for an
	// batch in flight.
	writeMu sync.Mutex
}

// New returns a journal on db.
func New(db *store.DB, log *slog.Logger) *Journal {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Journal{db: db, log: log, kick: make(chan struct{}, 1), written: make(chan struct{}), stopped: make(chan struct{})}
}

// pending is a captured request, raw; the writer redacts and encodes it.
type pending struct {
	ns, vendor                  string
	maxEntries                  int
	time, real                  time.Time
	duration                    time.Duration
	method, path, query         string
	pattern, requestID          string
	reqHeader, respHeader       http.Header
	reqBody, respBody           []byte
	reqSize, respSize           int64
	reqTruncated, respTruncated bool
	status                      int
	fault                       *Fault
}

func (p *pending) size() int { return len(p.reqBody) + len(p.respBody) }

func (j *Journal) add(p *pending) {
	j.mu.Lock()
	for len(j.buf) > 0 && (len(j.buf) >= maxPending || j.bytes+p.size() > maxPendingBytes) {
		j.bytes -= j.buf[0].size()
		j.buf = j.buf[1:]
		j.log.Warn("journal: database too slow, dropped an entry", slog.String("ns", p.ns))
	}
	j.buf = append(j.buf, p)
	j.bytes += p.size()
	full := len(j.buf) >= maxBatch
	if !j.running {
		j.running = true
		go j.run()
	}
	j.mu.Unlock()
	if full {
		select {
		case j.kick <- struct{}{}:
		default:
		}
	}
}

func (j *Journal) take() []*pending {
	j.mu.Lock()
	defer j.mu.Unlock()
	n := min(len(j.buf), maxBatch)
	b := j.buf[:n:n]
	j.buf = j.buf[n:]
	for _, p := range b {
		j.bytes -= p.size()
	}
	return b
}

// run is the background writer: it runs while there is something to
// write and stops when the buffer stays empty, so an idle standin (or a
// finished test) holds no goroutine.
func (j *Journal) run() {
	t := time.NewTimer(FlushInterval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-j.kick:
		}
		j.writeMu.Lock()
		batch := j.take()
		if len(batch) == 0 {
			j.mu.Lock()
			if len(j.buf) == 0 {
				j.running = false
				j.mu.Unlock()
				j.writeMu.Unlock()
				return
			}
			j.mu.Unlock()
		} else if err := j.write(context.Background(), batch); err != nil {
			j.log.Error("journal: write failed", slog.Int("entries", len(batch)), slog.Any("error", err))
		}
		j.writeMu.Unlock()
		t.Reset(FlushInterval)
	}
}

// Flush writes everything this process captured so far, so that a read
// that follows sees it.
func (j *Journal) Flush(ctx context.Context) error {
	j.writeMu.Lock()
	defer j.writeMu.Unlock()
	for {
		batch := j.take()
		if len(batch) == 0 {
			return nil
		}
		if err := j.write(ctx, batch); err != nil {
			return err
		}
	}
}

// StopStreams ends every stream, so that a server shutting down does not
// wait for the clients that follow the journal.
func (j *Journal) StopStreams() { j.stopOnce.Do(func() { close(j.stopped) }) }

// Written returns a channel that is closed at the next commit.
func (j *Journal) Written() <-chan struct{} {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.written
}

// encoded is an entry redacted and rendered, but for its summary's ID,
// which the transaction hands out.
type encoded struct {
	sum                       Summary
	detail, reqBody, respBody string
}

// detail is what an entry holds beyond its summary, bodies aside.
type detail struct {
	Request  Message `json:"request"`
	Response Message `json:"response"`
}

// write stores one batch in one transaction: per namespace it takes a
// range of sequence numbers, inserts the entries and drops those beyond
// the namespace's retention.
func (j *Journal) write(ctx context.Context, batch []*pending) error {
	byNS := map[string][]*pending{}
	var order []string
	for _, p := range batch {
		if _, ok := byNS[p.ns]; !ok {
			order = append(order, p.ns)
		}
		byNS[p.ns] = append(byNS[p.ns], p)
	}
	// No read that a process keeps depends on the journal: its writes are
	// not counted (else every request would void every kept read).
	ctx = store.Untracked(ctx)
	// Redaction and encoding happen before the transaction, which then
	// holds the database (SQLite's one write lock) only for the INSERTs.
	encs := make(map[*pending]*encoded, len(batch))
	for _, p := range batch {
		encs[p] = encode(p)
	}
	err := j.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, ns := range order {
			ps := byNS[ns]
			var last int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO standin_journal_seq (ns, value) VALUES ($1, $2)
				ON CONFLICT (ns) DO UPDATE SET value = standin_journal_seq.value + excluded.value
				RETURNING value`, ns, int64(len(ps))).Scan(&last); err != nil {
				return fmt.Errorf("journal: sequence: %w", err)
			}
			first := last - int64(len(ps)) + 1
			// One prepared single-row INSERT per batch: a statement with
			// hundreds of parameters costs more to parse and bind.
			stmt, err := tx.PrepareContext(ctx, `INSERT INTO standin_journal
				(ns, seq, time_ms, vendor, method, path, status, endpoint, summary, detail, request_body, response_body)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`)
			if err != nil {
				return fmt.Errorf("journal: insert: %w", err)
			}
			for i, p := range ps {
				e := encs[p]
				e.sum.ID = first + int64(i)
				if _, err := stmt.ExecContext(ctx, ns, e.sum.ID, p.time.UnixMilli(), p.vendor, p.method, p.path, p.status,
					e.sum.Endpoint, marshal(e.sum), e.detail, e.reqBody, e.respBody); err != nil {
					stmt.Close()
					return fmt.Errorf("journal: insert: %w", err)
				}
			}
			stmt.Close()
			keep := ps[len(ps)-1].maxEntries
			if _, err := tx.ExecContext(ctx, `DELETE FROM standin_journal WHERE ns = $1 AND seq <= $2`, ns, last-int64(keep)); err != nil {
				return fmt.Errorf("journal: retention: %w", err)
			}
		}
		return nil
	})
	j.mu.Lock()
	close(j.written)
	j.written = make(chan struct{})
	j.mu.Unlock()
	return err
}

// encode redacts a captured request and renders its detail and bodies,
// and its summary but for the ID.
func encode(p *pending) *encoded {
	action := ""
	if p.vendor == "worksection" {
		action = Action(p.query, p.reqHeader.Get("Content-Type"), p.reqBody)
	}
	sum := Summary{
		Time: formatTime(p.time), RealTime: formatTime(p.real),
		Vendor: p.vendor, Method: p.method, Path: p.path, Query: string(RedactText([]byte(p.query))),
		Status: p.status, DurationMS: float64(p.duration.Microseconds()) / 1000,
		Route: p.pattern, Endpoint: Endpoint(p.vendor, p.method, p.pattern, action),
		RequestID: p.requestID, Fault: p.fault,
	}
	req, reqBody := message(p.reqHeader, p.reqBody, p.reqSize, p.reqTruncated)
	resp, respBody := message(p.respHeader, p.respBody, p.respSize, p.respTruncated)
	return &encoded{sum: sum, detail: marshal(detail{req, resp}), reqBody: reqBody, respBody: respBody}
}

// message renders headers and a body: the body apart, as text or base64
// (not UTF-8, or holding NUL characters, which PostgreSQL refuses in text).
func message(h http.Header, body []byte, size int64, truncated bool) (Message, string) {
	m := Message{Headers: redactHeaders(h), BodySize: size, BodyTruncated: truncated, BodyEncoding: "text"}
	if size < int64(len(body)) {
		m.BodySize = int64(len(body))
	}
	if truncated {
		body = trimPartialRune(body)
	}
	body = RedactText(body)
	if utf8.Valid(body) && bytes.IndexByte(body, 0) < 0 {
		return m, string(body)
	}
	m.BodyEncoding = "base64"
	return m, base64.StdEncoding.EncodeToString(body)
}

// trimPartialRune drops a UTF-8 sequence that the body cap cut in two.
func trimPartialRune(b []byte) []byte {
	for i := 0; i < utf8.UTFMax && i < len(b); i++ {
		if utf8.Valid(b[:len(b)-i]) {
			return b[:len(b)-i]
		}
	}
	return b
}

// marshal encodes without HTML escaping, so queries and bodies read as
// they were sent ("a&b", not "a\u0026b").
func marshal(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return strings.TrimSuffix(b.String(), "\n")
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
