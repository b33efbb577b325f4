package journal

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/standin-dev/standin/internal/store"
)

// InvalidError is a filter or request that the control plane answers with
// 400; its text names the parameter.
type InvalidError struct{ Msg string }

func (e *InvalidError) Error() string { return e.Msg }

func invalid(format string, a ...any) error { return &InvalidError{fmt.Sprintf(format, a...)} }

// ErrNotFound is returned for an unknown entry id.
var ErrNotFound = errors.New("no such journal entry")

// Filter selects entries. Empty fields match everything.
type Filter struct {
	Vendor string
	Method string
	// Path is exact, or a glob when it holds * or ? (* matches any run of
	// characters, / included; globs ignore case).
	Path string
	// Endpoint is a catalog id, exact or a glob like Path.
	Endpoint string
	// Status is "404" or a class such as "4xx".
	Status string
	// Since and Until bound the namespace time of the request (inclusive
	// and exclusive).
	Since, Until time.Time
	// Before and After bound the entry id (exclusive): Before is the list
	// cursor, After the stream's position.
	Before, After int64
}

// ParseFilter reads a Filter from list parameters.
func ParseFilter(q url.Values) (Filter, error) {
	f := Filter{
		Vendor: q.Get("vendor"), Method: strings.ToUpper(q.Get("method")),
		Path: q.Get("path"), Endpoint: q.Get("endpoint"), Status: q.Get("status"),
	}
	if f.Status != "" && !validStatus(f.Status) {
		return f, invalid(`status must be a status code such as 404 or a class such as 4xx`)
	}
	for _, p := range []struct {
		name string
		t    *time.Time
	}{{"since", &f.Since}, {"until", &f.Until}} {
		if v := q.Get(p.name); v != "" {
			t, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				return f, invalid("%s must be an RFC 3339 time such as 2030-01-02T15:04:05Z", p.name)
			}
			*p.t = t
		}
	}
	if c := q.Get("cursor"); c != "" {
		n, err := strconv.ParseInt(c, 10, 64)
		if err != nil || n < 1 {
			return f, invalid("cursor must be the next_cursor of a previous page")
		}
		f.Before = n
	}
	return f, nil
}

func validStatus(s string) bool {
	if len(s) == 3 && s[0] >= '1' && s[0] <= '5' && strings.ToLower(s[1:]) == "xx" {
		return true
	}
	n, err := strconv.Atoi(s)
	return err == nil && n >= 0 && n <= 999
}

// isGlob tells whether a path or endpoint filter is a glob.
func isGlob(s string) bool { return strings.ContainsAny(s, "*?") }

// likePattern turns a glob into a LIKE pattern with \ as the escape.
func likePattern(glob string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(glob) {
		switch r {
		case '*':
			b.WriteByte('%')
		case '?':
			b.WriteByte('_')
		case '%', '_', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// where renders the filter as SQL conditions after "ns = $1".
func (f Filter) where(a *store.Args) string {
	var c []string
	if f.Vendor != "" {
		c = append(c, "vendor = "+a.Add(f.Vendor))
	}
	if f.Method != "" {
		c = append(c, "method = "+a.Add(f.Method))
	}
	for _, col := range []struct{ name, v string }{{"path", f.Path}, {"endpoint", f.Endpoint}} {
		switch {
		case col.v == "":
		case isGlob(col.v):
			c = append(c, "lower("+col.name+") LIKE "+a.Add(likePattern(col.v))+` ESCAPE '\'`)
		default:
			c = append(c, col.name+" = "+a.Add(col.v))
		}
	}
	if f.Status != "" {
		if n, err := strconv.Atoi(f.Status); err == nil {
			c = append(c, "status = "+a.Add(n))
		} else {
			lo := int(f.Status[0]-'0') * 100
			c = append(c, "status >= "+a.Add(lo)+" AND status < "+a.Add(lo+100))
		}
	}
	if !f.Since.IsZero() {
		c = append(c, "time_ms >= "+a.Add(f.Since.UnixMilli()))
	}
	if !f.Until.IsZero() {
		c = append(c, "time_ms < "+a.Add(f.Until.UnixMilli()))
	}
	if f.Before > 0 {
		c = append(c, "seq < "+a.Add(f.Before))
	}
	if f.After > 0 {
		c = append(c, "seq > "+a.Add(f.After))
	}
	if len(c) == 0 {
		return ""
	}
	return " AND " + strings.Join(c, " AND ")
}

// Page is one page of a list, newest first.
type Page struct {
	Requests []json.RawMessage `json:"requests"`
	// NextCursor fetches the next (older) page; "" on the last page.
	NextCursor string `json:"next_cursor"`
}

// List returns the namespace's entries that match f, newest first, limit
// at a time.
func (j *Journal) List(ctx context.Context, ns string, f Filter, limit int) (*Page, error) {
	if err := j.Flush(ctx); err != nil {
		return nil, err
	}
	var a store.Args
	q := `SELECT seq, summary FROM standin_journal WHERE ns = ` + a.Add(ns) + f.where(&a) +
		` ORDER BY seq DESC LIMIT ` + a.Add(limit+1)
	rows, err := j.db.QueryContext(ctx, q, a...)
	type row struct {
		seq int64
		sum string
	}
	list, err := store.Collect(rows, err, func(s store.Scanner) (row, error) {
		var r row
		return r, s.Scan(&r.seq, &r.sum)
	})
	if err != nil {
		return nil, err
	}
	p := &Page{Requests: []json.RawMessage{}}
	for i, r := range list {
		if i == limit {
			p.NextCursor = strconv.FormatInt(list[i-1].seq, 10)
			break
		}
		p.Requests = append(p.Requests, json.RawMessage(r.sum))
	}
	return p, nil
}

// Since returns up to limit entries after id that match f, oldest first
// (the stream).
func (j *Journal) Since(ctx context.Context, ns string, f Filter, after int64, limit int) ([]Summary, error) {
	f.After, f.Before = after, 0
	var a store.Args
	q := `SELECT summary FROM standin_journal WHERE ns = ` + a.Add(ns) + f.where(&a) +
		` ORDER BY seq LIMIT ` + a.Add(limit)
	rows, err := j.db.QueryContext(ctx, q, a...)
	return store.Collect(rows, err, func(s store.Scanner) (Summary, error) {
		var text string
		var sum Summary
		if err := s.Scan(&text); err != nil {
			return sum, err
		}
		return sum, json.Unmarshal([]byte(text), &sum)
	})
}

// Last returns the id of the namespace's newest entry (0 for none).
func (j *Journal) Last(ctx context.Context, ns string) (int64, error) {
	var last sql.NullInt64
	err := j.db.QueryRowContext(ctx, `SELECT max(seq) FROM standin_journal WHERE ns = $1`, ns).Scan(&last)
	return last.Int64, err
}

// Get returns one entry in full.
func (j *Journal) Get(ctx context.Context, ns string, id int64) (*Entry, error) {
	if err := j.Flush(ctx); err != nil {
		return nil, err
	}
	var sum, det string
	var e Entry
	err := j.db.QueryRowContext(ctx, `SELECT summary, detail, request_body, response_body FROM standin_journal
		WHERE ns = $1 AND seq = $2`, ns, id).Scan(&sum, &det, &e.Request.Body, &e.Response.Body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	reqBody, respBody := e.Request.Body, e.Response.Body
	var d detail
	if err := json.Unmarshal([]byte(sum), &e.Summary); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(det), &d); err != nil {
		return nil, err
	}
	e.Request, e.Response = d.Request, d.Response
	e.Request.Body, e.Response.Body = reqBody, respBody
	return &e, nil
}

// Clear deletes the namespace's entries (the numbering goes on).
func (j *Journal) Clear(ctx context.Context, ns string) error {
	if err := j.Flush(ctx); err != nil {
		return err
	}
	_, err := j.db.ExecContext(ctx, `DELETE FROM standin_journal WHERE ns = $1`, ns)
	return err
}

// DeleteNamespace deletes everything the journal keeps for a namespace
// that is being deleted, in its transaction.
func DeleteNamespace(ctx context.Context, q store.Querier, ns string) error {
	return store.DeleteNamespace(ctx, q, ns, "standin_journal", "standin_journal_seq")
}
