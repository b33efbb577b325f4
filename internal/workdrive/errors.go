package workdrive

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
)

// apiError is an error that the handler answers with its status in the
// NestJS envelope {"statusCode", "message", "error"}.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func badRequest(format string, a ...any) error {
	return &apiError{http.StatusBadRequest, fmt.Sprintf(format, a...)}
}

func unauthorized(msg string) error { return &apiError{http.StatusUnauthorized, msg} }

func forbidden(format string, a ...any) error {
	return &apiError{http.StatusForbidden, fmt.Sprintf(format, a...)}
}

func notFound(format string, a ...any) error {
	return &apiError{http.StatusNotFound, fmt.Sprintf(format, a...)}
}

func conflict(format string, a ...any) error {
	return &apiError{http.StatusConflict, fmt.Sprintf(format, a...)}
}

// nestError is the NestJS error body.
type nestError struct {
	StatusCode int    `json:"statusCode"`
	Message    string `json:"message"`
	Error      string `json:"error"`
}

// WriteError implements vendor.Vendor. Like NestJS, an unknown route and
// a wrong method are both 404 "Cannot METHOD /path".
func (s *Service) WriteError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if status == http.StatusMethodNotAllowed || (status == http.StatusNotFound && strings.HasPrefix(msg, "No resource at ")) {
		status = http.StatusNotFound
		msg = "Cannot " + r.Method + " " + r.URL.Path
		w.Header().Del("Allow")
	}
	if status == http.StatusRequestEntityTooLarge {
		msg = "request entity too large"
	}
	httpx.WriteJSON(w, status, nestError{StatusCode: status, Message: msg, Error: http.StatusText(status)})
}

// fail answers err: an *apiError with its status, a body too large with
// 413, anything else with a logged 500.
func (s *Service) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	switch {
	case errors.As(err, &ae):
		s.WriteError(w, r, ae.status, ae.msg)
	case errors.Is(err, httpx.ErrBodyTooLarge):
		s.WriteError(w, r, http.StatusRequestEntityTooLarge, err.Error())
	default:
		s.internalError(w, r, err)
	}
}
