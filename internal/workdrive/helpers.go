package workdrive

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/page"
	"github.com/standin-dev/standin/internal/store"
)

// isoTime formats Unix millis as ISO-8601 UTC with milliseconds, the way
// the API writes every timestamp.
func isoTime(ms int64) string {
	return time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z")
}

// isoTimePtr is isoTime for nullable times (nil for NULL).
func isoTimePtr(ms sql.NullInt64) any {
	if !ms.Valid {
		return nil
	}
	return isoTime(ms.Int64)
}

// parseTime reads a client's date-time: RFC 3339 with or without a zone
// (UTC when absent), a bare date, or Unix milliseconds.
func parseTime(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UnixMilli(), true
		}
	}
	return 0, false
}

// validUUID tells whether s is a UUID (any version).
func validUUID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}

// validEmail tells whether s is a plain email address within RFC 5321's
// lengths.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && emailFits(s) && strings.Contains(s[strings.LastIndex(s, "@")+1:], ".")
}

// pageMeta is the meta block of every paginated list.
type pageMeta struct {
	PerPage      int `json:"perPage"`
	TotalPages   int `json:"totalPages"`
	TotalResults int `json:"totalResults"`
	CurPage      int `json:"curPage"`
	NextPage     int `json:"nextPage"`
}

// pageReq is a parsed cur_page/per_page request, with the optional time
// cursor: lists that take `time` show only items at or before it, so a
// client that keeps the same time while walking cur_page sees a stable
// snapshot even while items are added.
type pageReq struct {
	Cur, Per int
	Time     int64 // Unix millis; the request's time, or now
	HasTime  bool  // time was given
}

// maxPerPage caps per_page; the doc's examples go up to 1000.
const maxPerPage = 1000

// parsePage reads cur_page (default 1; 0 means 1) and per_page (default
// 10, also for 0; at most 1000) from the query, and `time` (default now).
// Bad values are 400.
func parsePage(r *http.Request, now int64) (pageReq, error) {
	q := r.URL.Query()
	get := func(names ...string) string {
		for _, n := range names {
			if v := q.Get(n); v != "" {
				return v
			}
		}
		return ""
	}
	cur, err := page.Int("cur_page", get("cur_page", "curPage", "page"), 1)
	if err != nil {
		return pageReq{}, httpx.BadRequest("%s", err.Error())
	}
	per, err := page.Int("per_page", get("per_page", "perPage", "limit"), 10)
	if err != nil {
		return pageReq{}, httpx.BadRequest("%s", err.Error())
	}
	if per == 0 {
		per = 10 // per_page=0 asks for the default
	}
	p := pageReq{Cur: max(cur, 1), Per: min(per, maxPerPage), Time: now}
	if t := q.Get("time"); t != "" {
		ms, ok := parseTime(t)
		if !ok {
			return pageReq{}, httpx.BadRequest("time must be an ISO-8601 date-time")
		}
		p.Time, p.HasTime = ms, true
	}
	return p, nil
}

// SQL returns " LIMIT $n OFFSET $m" for a query that already has argc args.
func (p pageReq) SQL(argc int) (string, []any) {
	return page.FromNumber(p.Cur, p.Per).SQL(argc)
}

// Meta computes the meta block for total results.
func (p pageReq) Meta(total int) pageMeta {
	pages := page.Page{Limit: p.Per}.TotalPages(total)
	next := 0
	if p.Cur < pages {
		next = p.Cur + 1
	}
	return pageMeta{PerPage: p.Per, TotalPages: pages, TotalResults: total, CurPage: p.Cur, NextPage: next}
}

// queryBool reads a boolean query parameter ("true"/"false"/1/0).
func queryBool(q url.Values, name string) (v, present bool, err error) {
	s := q.Get(name)
	if s == "" {
		return false, false, nil
	}
	v, ok := httpx.Bool(s)
	if !ok {
		return false, false, httpx.BadRequest("%s must be a boolean", name)
	}
	return v, true, nil
}

// created, okJSON and deleted write the conventional success responses.
func created(w http.ResponseWriter, v any) error {
	httpx.WriteJSON(w, http.StatusCreated, v)
	return nil
}

func okJSON(w http.ResponseWriter, v any) error {
	httpx.WriteJSON(w, http.StatusOK, v)
	return nil
}

// okPage answers 200 with a page of a list: {"<key>": items, "meta": meta},
// the two keys in alphabetical order like every object's.
func okPage[T any](w http.ResponseWriter, key string, items []T, meta pageMeta) error {
	return okJSON(w, pageBody[T]{key, items, meta})
}

// pageBody is a page of a list under its key, written the way
// httpx.WriteJSON writes every answer (HTML characters unescaped).
type pageBody[T any] struct {
	key   string
	items []T
	meta  pageMeta
}

func (l pageBody[T]) MarshalJSON() ([]byte, error) {
	type field struct {
		key string
		v   any
	}
	fields := []field{{l.key, l.items}, {"meta", l.meta}}
	if l.key > "meta" {
		fields[0], fields[1] = fields[1], fields[0]
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + f.key + `":`)
		if err := enc.Encode(f.v); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// deleted answers a DELETE: 200 with an empty body.
func deleted(w http.ResponseWriter) error {
	w.WriteHeader(http.StatusOK)
	return nil
}

// isNotFound tells whether a lookup found nothing.
func isNotFound(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// refErr turns a failed lookup of a body reference into a 400 naming the
// field; other errors pass through.
func refErr(err error, field, id string) error {
	if isNotFound(err) {
		return httpx.BadRequest("%s %q does not name an existing entity of this organization", field, id)
	}
	return err
}

// pathErr turns a failed lookup of a path id into a 404.
func pathErr(err error, what, id string) error {
	if isNotFound(err) {
		return httpx.NotFound("%s %s not found", what, id)
	}
	return err
}

// notFoundAsBadRequest turns a 404 (a referenced entity that is not
// there) into a 400 with the message; other errors pass through.
func notFoundAsBadRequest(err error, format string, a ...any) error {
	if ae, ok := err.(*httpx.Error); ok && ae.Status == http.StatusNotFound {
		return httpx.BadRequest(format, a...)
	}
	return err
}

// exists tells whether the query returns a row.
// execForEach runs query ($1 ns, $2 owner, $3 key) once for each key, in order:
// the removal of a list of members, owners or items from one parent.
func execForEach(ctx context.Context, tx *sql.Tx, query, ns, owner string, keys []string) error {
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, query, ns, owner, k); err != nil {
			return err
		}
	}
	return nil
}

func exists(ctx context.Context, q store.Querier, query string, args ...any) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, query, args...).Scan(&one)
	if isNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

// count runs a count(*) query.
func count(ctx context.Context, q store.Querier, query string, args ...any) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, query, args...).Scan(&n)
	return n, err
}

// execEach runs each statement with the same args.
func execEach(ctx context.Context, tx *sql.Tx, stmts []string, args ...any) error {
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}

// requiredStr reads key, trimmed, and reports the body's type errors, or
// msg as a 400 when the value is empty.
func requiredStr(b *httpx.Body, key, msg string) (string, error) {
	v := strings.TrimSpace(b.Str(key))
	if err := b.Err(); err != nil {
		return "", err
	}
	if v == "" {
		return "", httpx.BadRequest("%s", msg)
	}
	return v, nil
}

// readBody reads a request body in httpx's lenient mode, as NestJS's
// body parser coerces. A JSON null body reads as an empty object, as
// WorkDrive always has (clients that send "no body" as null).
func readBody(w http.ResponseWriter, r *http.Request) (*httpx.Body, error) {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/x-www-form-urlencoded" && ct != "multipart/form-data" {
		raw, err := httpx.ReadBody(w, r) // keeps the bytes for ReadRequestBody
		if err != nil && httpx.AsError(err) == nil {
			return nil, httpx.BadRequest("%s", err.Error())
		}
		if err != nil {
			return nil, err
		}
		if string(bytes.TrimSpace(raw)) == "null" {
			return httpx.NewBody(nil, httpx.Lenient), nil
		}
	}
	b, err := httpx.ReadRequestBody(w, r, httpx.Lenient)
	if err != nil {
		return nil, err
	}
	return b, checkLengths(b)
}
