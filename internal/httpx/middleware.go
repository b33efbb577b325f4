package httpx

import (
	"context"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/standin-dev/standin/internal/ids"
)

type ctxKey int

const requestIDKey ctxKey = iota

// RequestID returns the id of the request that ctx belongs to, or "".
func RequestID(ctx context.Context) string {
	s, _ := ctx.Value(requestIDKey).(string)
	return s
}

// ErrorFunc writes an error in a vendor's envelope.
type ErrorFunc func(w http.ResponseWriter, r *http.Request, status int, msg string)

// StatusWriter remembers the status and the size of what a handler wrote,
// for the middleware that logs or counts the answer (Log, the metrics).
type StatusWriter struct {
	http.ResponseWriter
	// Status is the first status written, http.StatusOK once the body
	// starts without one; 0 while nothing has been written.
	Status int
	Bytes  int64
}

func (s *StatusWriter) WriteHeader(code int) {
	if s.Status == 0 {
		s.Status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *StatusWriter) Write(b []byte) (int, error) {
	if s.Status == 0 {
		s.Status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.Bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer (flushing).
func (s *StatusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Log gives each request an id (kept from X-Request-Id when the client sent
// one), echoes it in the response, and writes one access log line. It logs
// the path but never the query string or headers, which carry secrets.
func Log(log *slog.Logger, component string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			id = ids.Hex(8)
		}
		w.Header().Set("X-Request-Id", id)
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey, id))
		sw := &StatusWriter{ResponseWriter: w}
		start := time.Now()
		next.ServeHTTP(sw, r)
		log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("component", component),
			slog.String("request_id", id),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", sw.Status),
			slog.Int64("bytes", sw.Bytes),
			slog.Duration("duration", time.Since(start)),
		)
	})
}

// Recover turns a panic in next into the vendor's 500 envelope and a log
// line with the stack, so that one bad request never takes the server down.
func Recover(log *slog.Logger, onError ErrorFunc, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &StatusWriter{ResponseWriter: w}
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if p == http.ErrAbortHandler {
				panic(p)
			}
			log.ErrorContext(r.Context(), "panic serving request",
				slog.String("request_id", RequestID(r.Context())),
				slog.String("path", r.URL.Path),
				slog.Any("panic", p),
				slog.String("stack", string(debug.Stack())))
			if sw.Status == 0 {
				onError(sw, r, http.StatusInternalServerError, "Internal server error")
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

// InternalError logs err and writes the vendor's 500 envelope. Handlers call
// it for failures that are the server's fault (a database error), never for
// bad input, which is a 4xx.
// Errors that AsError knows (a row that vanished under a racing request, a
// body that ended early) get their 4xx instead.
func InternalError(log *slog.Logger, onError ErrorFunc, w http.ResponseWriter, r *http.Request, err error) {
	if e := AsError(err); e != nil {
		onError(w, r, e.Status, e.Message)
		return
	}
	log.ErrorContext(r.Context(), "internal error",
		slog.String("request_id", RequestID(r.Context())),
		slog.String("path", r.URL.Path),
		slog.Any("error", err))
	onError(w, r, http.StatusInternalServerError, "Internal server error")
}
