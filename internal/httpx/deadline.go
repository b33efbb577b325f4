package httpx

import (
	"io"
	"net/http"
	"time"
)

// ExtendDeadlines lets a request body or a response take longer than the
// server's ReadTimeout or WriteTimeout as long as bytes keep flowing: each
// time data moves, the deadline is pushed to now plus the timeout (through
// http.ResponseController). A 1 GiB upload or download therefore works on a
// server whose timeouts are a minute, while a client that stalls for a
// whole timeout is cut off.
func ExtendDeadlines(read, write time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		now := time.Now()
		if read > 0 && r.Body != nil && r.Body != http.NoBody {
			r.Body = &deadlineReader{ReadCloser: r.Body, rc: rc, d: read, last: now}
		}
		if write > 0 {
			w = &deadlineWriter{ResponseWriter: w, rc: rc, d: write, last: now}
		}
		next.ServeHTTP(w, r)
	})
}

// extendEvery is the share of a timeout after which moving bytes extend
// the deadline again: often enough never to expire while data flows,
// rarely enough to cost nothing.
const extendEvery = 8

type deadlineReader struct {
	io.ReadCloser
	rc   *http.ResponseController
	d    time.Duration
	last time.Time
}

func (r *deadlineReader) Read(p []byte) (int, error) {
	n, err := r.ReadCloser.Read(p)
	if n > 0 {
		if now := time.Now(); now.Sub(r.last) > r.d/extendEvery {
			r.last = now
			_ = r.rc.SetReadDeadline(now.Add(r.d))
		}
	}
	return n, err
}

type deadlineWriter struct {
	http.ResponseWriter
	rc   *http.ResponseController
	d    time.Duration
	last time.Time
}

func (w *deadlineWriter) Write(p []byte) (int, error) {
	if now := time.Now(); now.Sub(w.last) > w.d/extendEvery {
		w.last = now
		_ = w.rc.SetWriteDeadline(now.Add(w.d))
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *deadlineWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
