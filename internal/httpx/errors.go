package httpx

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
)

// Error is an API error: a status and a message that a vendor's envelope
// writer turns into its own body. Code is an optional vendor error code
// (Klipfolio's "bad_request", Spring OAuth2's "invalid_grant") for vendors
// whose envelope carries one. Lookups and validators return *Error; they
// never write to the ResponseWriter.
type Error struct {
	Status  int
	Code    string
	Message string
	// Details is a second, longer message for vendors whose envelope
	// carries one (Worksection's message_details).
	Details string
	// Header holds headers to send with the error (WWW-Authenticate,
	// Retry-After), set by the vendor where its envelope needs them.
	Header http.Header
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given status and formatted message.
func Errorf(status int, format string, a ...any) *Error {
	msg := format
	if len(a) > 0 {
		msg = fmt.Sprintf(format, a...)
	}
	return &Error{Status: status, Message: msg}
}

// WithCode returns a copy of e carrying a vendor error code.
func (e *Error) WithCode(code string) *Error {
	c := *e
	c.Code = code
	return &c
}

// BadRequest is a 400.
func BadRequest(format string, a ...any) *Error { return Errorf(http.StatusBadRequest, format, a...) }

// Unauthorized is a 401.
func Unauthorized(format string, a ...any) *Error {
	return Errorf(http.StatusUnauthorized, format, a...)
}

// Forbidden is a 403.
func Forbidden(format string, a ...any) *Error { return Errorf(http.StatusForbidden, format, a...) }

// NotFound is a 404.
func NotFound(format string, a ...any) *Error { return Errorf(http.StatusNotFound, format, a...) }

// Conflict is a 409.
func Conflict(format string, a ...any) *Error { return Errorf(http.StatusConflict, format, a...) }

// EnvelopeFunc writes an API error in a vendor's envelope. It is the one
// place per vendor that knows the vendor's error body.
type EnvelopeFunc func(w http.ResponseWriter, r *http.Request, e *Error)

// AsError turns any error a handler returned into the *Error to answer:
// an *Error as it is; a body over the limit 413; text the databases cannot
// store 400; a row that vanished (sql.ErrNoRows) 404; a body that ended
// early 400 or stalled 408; anything else nil, meaning a 500 that the
// caller logs.
func AsError(err error) *Error {
	var e *Error
	switch {
	case errors.As(err, &e):
		return e
	case errors.Is(err, ErrBodyTooLarge):
		return Errorf(http.StatusRequestEntityTooLarge, "%s", ErrBodyTooLarge.Error())
	case errors.Is(err, ErrNotText):
		return BadRequest("%s", err.Error())
	case errors.Is(err, sql.ErrNoRows):
		// A row that vanished under the handler: a racing request deleted
		// what it had just found. The same request a moment later would
		// have been a 404, so this one is too.
		return NotFound("Not found")
	case errors.Is(err, io.ErrUnexpectedEOF):
		// The request body ended before its Content-Length or its closing
		// multipart boundary.
		return BadRequest("The request body ended early")
	case errors.Is(err, os.ErrDeadlineExceeded):
		// The request body stalled past the read timeout.
		return Errorf(http.StatusRequestTimeout, "The request body was not received in time")
	}
	return nil
}

// WriteErr answers err through the vendor's envelope writer. Errors that
// are not API errors are logged and answered as the vendor's 500; a client
// that went away gets nothing.
func WriteErr(log *slog.Logger, envelope EnvelopeFunc, w http.ResponseWriter, r *http.Request, err error) {
	if err == nil {
		return
	}
	if e := AsError(err); e != nil {
		for k, v := range e.Header {
			w.Header()[k] = v
		}
		envelope(w, r, e)
		return
	}
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return
	}
	log.ErrorContext(r.Context(), "internal error",
		slog.String("request_id", RequestID(r.Context())),
		slog.String("path", r.URL.Path),
		slog.Any("error", err))
	envelope(w, r, Errorf(http.StatusInternalServerError, "Internal server error"))
}

// HandlerFunc is the handler shape every vendor uses once its caller is
// resolved: it writes the success response itself and returns an error for
// everything else.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Handler adapts an error-returning handler to http.Handler.
func Handler(log *slog.Logger, envelope EnvelopeFunc, h HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			WriteErr(log, envelope, w, r, err)
		}
	})
}

// StatusEnvelope adapts an EnvelopeFunc to the older ErrorFunc shape
// (status and message), for the router's 404/405 and panic recovery.
func StatusEnvelope(envelope EnvelopeFunc) ErrorFunc {
	return func(w http.ResponseWriter, r *http.Request, status int, msg string) {
		envelope(w, r, &Error{Status: status, Message: msg})
	}
}
