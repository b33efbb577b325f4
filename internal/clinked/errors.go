package clinked

import (
	"database/sql"
	"errors"
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
)

// apiError is the /v3 error body (Spring Boot's): status, reason phrase,
// message and path.
type apiError struct {
	Status  int    `json:"status"`
	Error   string `json:"error"`
	Message string `json:"message"`
	Path    string `json:"path"`
}

// oauthErrorJSON is Spring Security OAuth2's error body,
// {"error":"invalid_grant","error_description":"Bad credentials"}.
type oauthErrorJSON struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// envelope is Clinked's one error writer. An error with an OAuth2 code (the
// token endpoint, authed) and every 401 get Spring OAuth2's body, 401s with
// the WWW-Authenticate header Spring sends; everything else the /v3 body.
func envelope(w http.ResponseWriter, r *http.Request, e *httpx.Error) {
	if e.Code == "" && e.Status != http.StatusUnauthorized {
		fail(w, r, e.Status, e.Message)
		return
	}
	code := e.Code
	if code == "" {
		code = "unauthorized"
	}
	if e.Status == http.StatusUnauthorized {
		realm := `Bearer realm="oauth"`
		if code == "invalid_client" {
			realm = `Basic realm="oauth2/client"`
		}
		w.Header().Set("WWW-Authenticate", realm+`, error="`+code+`", error_description="`+
			strings.ReplaceAll(e.Message, `"`, `'`)+`"`)
	}
	httpx.WriteJSON(w, e.Status, oauthErrorJSON{Error: code, Description: e.Message})
}

// oauthErr is a Spring OAuth2 error: status, OAuth2 code and description.
func oauthErr(status int, code, desc string) *httpx.Error {
	return &httpx.Error{Status: status, Code: code, Message: desc}
}

// fail writes the /v3 error body; the rate limiter, which runs before any
// handler, writes through it directly.
func fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	httpx.WriteJSON(w, status, apiError{Status: status, Error: http.StatusText(status), Message: msg, Path: r.URL.Path})
}

// WriteError implements vendor.Vendor (the router's 404/405 and panics):
// a 401 is Spring OAuth2's, everything else the /v3 body.
func (s *Service) WriteError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	envelope(w, r, &httpx.Error{Status: status, Message: msg})
}

// internalError answers err as a 500 and logs it (the rate limiter).
func (s *Service) internalError(w http.ResponseWriter, r *http.Request, err error) {
	httpx.WriteErr(s.log, envelope, w, r, err)
}

// handle adapts an error-returning handler that needs no caller (the
// token endpoint, the control plane).
func (s *Service) handle(h httpx.HandlerFunc) http.Handler { return httpx.Handler(s.log, envelope, h) }

// notFoundIf turns a missing row into a 404 with msg; other errors pass.
func notFoundIf(err error, msg string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return httpx.NotFound("%s", msg)
	}
	return err
}

// tx runs fn in a transaction and answers 200 with no body when it
// succeeds: the shape of Clinked's deletes and other bodiless writes.
func (s *Service) tx(w http.ResponseWriter, r *http.Request, fn func(tx *sql.Tx) error) error {
	if err := s.db.Tx(r.Context(), fn); err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}
