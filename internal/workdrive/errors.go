package workdrive

import (
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
)

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

// envelope is WorkDrive's httpx.EnvelopeFunc: every API error in the
// NestJS envelope.
func (s *Service) envelope(w http.ResponseWriter, r *http.Request, e *httpx.Error) {
	s.WriteError(w, r, e.Status, e.Message)
}
