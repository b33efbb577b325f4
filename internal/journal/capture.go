package journal

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/namespace"
)

// Note is filled in while a request is served and read when its entry is
// captured: the fault package records the fault it applied here.
type Note struct {
	Fault *Fault
	// Status overrides the captured status (0 for a connection dropped
	// without an answer).
	Status    int
	StatusSet bool
}

type noteKey struct{}

// NoteFrom returns the request's Note, or nil when it is not journaled.
func NoteFrom(ctx context.Context) *Note {
	n, _ := ctx.Value(noteKey{}).(*Note)
	return n
}

// EnsureRoute returns r with an httpx.Route in its context (a new one when
// it had none), and that Route.
func EnsureRoute(r *http.Request) (*http.Request, *httpx.Route) {
	if rt := httpx.RouteFrom(r.Context()); rt != nil {
		return r, rt
	}
	rt := &httpx.Route{}
	return r.WithContext(httpx.WithRoute(r.Context(), rt)), rt
}

// PeekBody returns up to n bytes of r's body, whether more follows, and
// puts what it read back in front of the rest, so the handler reads the
// whole body as sent.
func PeekBody(r *http.Request, n int) ([]byte, bool) {
	if r.Body == nil || r.Body == http.NoBody || n <= 0 {
		return nil, r.Body != nil && r.Body != http.NoBody && r.ContentLength != 0
	}
	buf := make([]byte, n+1)
	k, err := io.ReadFull(r.Body, buf)
	buf = buf[:k]
	switch err {
	case nil: // more may follow
		r.Body = readCloser{io.MultiReader(bytes.NewReader(buf), r.Body), r.Body}
	case io.EOF, io.ErrUnexpectedEOF: // all of it
		r.Body = readCloser{bytes.NewReader(buf), r.Body}
	default:
		// The handler meets the error where it happened (a client that
		// stalled past the read timeout), not a second read's.
		r.Body = readCloser{io.MultiReader(bytes.NewReader(buf), errReader{err}), r.Body}
	}
	if k > n {
		return buf[:n], true
	}
	return buf, false
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

type readCloser struct {
	io.Reader
	io.Closer
}

// Action returns a Worksection-style action parameter from the query or a
// form or JSON body, for the endpoint lookup.
func Action(query string, contentType string, body []byte) string {
	if q, err := url.ParseQuery(query); err == nil && q.Get("action") != "" {
		return q.Get("action")
	}
	switch {
	case strings.HasPrefix(contentType, "application/x-www-form-urlencoded"):
		if f, err := url.ParseQuery(string(body)); err == nil {
			return f.Get("action")
		}
	case strings.Contains(contentType, "json"):
		var v struct {
			Action string `json:"action"`
		}
		if jsonUnmarshal(body, &v) == nil {
			return v.Action
		}
	}
	return ""
}

// teeBody keeps the first limit bytes that the handler reads.
type teeBody struct {
	rc        io.ReadCloser
	limit     int
	buf       []byte
	read      int
	truncated bool
	eof       bool
}

func (t *teeBody) Read(p []byte) (int, error) {
	n, err := t.rc.Read(p)
	if room := t.limit - len(t.buf); room > 0 {
		t.buf = append(t.buf, p[:min(n, room)]...)
	}
	t.read += n
	t.truncated = t.read > t.limit
	if err != nil {
		t.eof = true // the end, or an error: either way nothing more to keep
	}
	return n, err
}

// drain reads what is left of the body, up to one byte past the cap.
func (t *teeBody) drain() {
	if room := t.limit - t.read + 1; room > 0 {
		_, _ = io.CopyN(io.Discard, t, int64(room))
	}
}

func (t *teeBody) Close() error { return t.rc.Close() }

// recorder passes a response through and keeps its status, headers and
// the first limit bytes of its body.
type recorder struct {
	http.ResponseWriter
	limit     int
	status    int
	header    http.Header
	body      []byte
	size      int64
	truncated bool
}

func (rec *recorder) WriteHeader(code int) {
	if rec.status == 0 && code >= 200 {
		rec.status = code
		rec.header = rec.ResponseWriter.Header().Clone()
	}
	rec.ResponseWriter.WriteHeader(code)
}

func (rec *recorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.WriteHeader(http.StatusOK)
	}
	if room := rec.limit - len(rec.body); room > 0 {
		rec.body = append(rec.body, b[:min(room, len(b))]...)
	}
	if rec.size+int64(len(b)) > int64(rec.limit) {
		rec.truncated = true
	}
	n, err := rec.ResponseWriter.Write(b)
	rec.size += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (flushing,
// hijacking, deadlines).
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// Wrap journals every request that next serves for the vendor. The
// namespace must be in the request's context. Journaling off costs one
// settings lookup.
func (j *Journal) Wrap(vendor string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ns := namespace.FromContext(r.Context())
		st := SettingsOf(ns)
		if !st.Enabled {
			next.ServeHTTP(w, r)
			return
		}
		r, rt := EnsureRoute(r)
		note := &Note{}
		r = r.WithContext(context.WithValue(r.Context(), noteKey{}, note))
		p := &pending{
			ns: ns.ID, vendor: vendor, maxEntries: st.MaxEntries,
			time: ns.Now(), real: time.Now(),
			method: r.Method, path: r.URL.Path, query: r.URL.RawQuery,
			reqHeader: r.Header.Clone(), requestID: httpx.RequestID(r.Context()),
		}
		// The body is kept as the handler reads it, so reading it never
		// changes when the handler meets a slow or stalled client.
		var tee *teeBody
		if r.Body != nil && r.Body != http.NoBody {
			tee = &teeBody{rc: r.Body, limit: st.BodyLimitBytes}
			r.Body = tee
		}
		rec := &recorder{ResponseWriter: w, limit: st.BodyLimitBytes}
		finished := false
		defer func() {
			if tee != nil {
				// A body the handler left unread (a refused credential) is
				// read now, up to the cap, before the answer is flushed
				// (net/http may refuse reads after that). It is there
				// already unless the client stalls, which costs what
				// net/http's own read of the unread body would. A client
				// waiting for "100 Continue" never sent it.
				if finished && !tee.eof && !tee.truncated && !strings.EqualFold(r.Header.Get("Expect"), "100-continue") {
					tee.drain()
				}
				p.reqBody, p.reqTruncated = tee.buf, tee.truncated
			}
			p.reqSize = max(int64(len(p.reqBody)), r.ContentLength)
			p.duration = time.Since(p.real)
			p.status, p.respHeader, p.respBody, p.respSize, p.respTruncated = rec.status, rec.header, rec.body, rec.size, rec.truncated
			if p.respHeader == nil {
				p.respHeader = http.Header{}
			}
			if note.StatusSet {
				p.status = note.Status
			}
			p.fault = note.Fault
			p.pattern = rt.Pattern
			j.add(p)
		}()
		next.ServeHTTP(rec, r)
		finished = true
	})
}
