package clinked

import (
	"errors"
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
)

// oauthError writes Spring Security OAuth2's error body,
// {"error":"invalid_grant","error_description":"Bad credentials"}; 401s also
// carry the WWW-Authenticate header Spring sends.
func oauthError(w http.ResponseWriter, status int, code, desc string) {
	if status == http.StatusUnauthorized {
		realm := `Bearer realm="oauth"`
		if code == "invalid_client" {
			realm = `Basic realm="oauth2/client"`
		}
		w.Header().Set("WWW-Authenticate", realm+`, error="`+code+`", error_description="`+
			strings.ReplaceAll(desc, `"`, `'`)+`"`)
	}
	httpx.WriteJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// apiError is the /v3 error body (Spring Boot's): status, reason phrase,
// message and path.
type apiError struct {
	Status  int    `json:"status"`
	Error   string `json:"error"`
	Message string `json:"message"`
	Path    string `json:"path"`
}

// fail writes the /v3 error body.
func fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	httpx.WriteJSON(w, status, apiError{Status: status, Error: http.StatusText(status), Message: msg, Path: r.URL.Path})
}

// WriteError implements vendor.Vendor. A 401 is Spring OAuth2's; everything
// else the /v3 body.
func (s *Service) WriteError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if status == http.StatusUnauthorized {
		oauthError(w, status, "unauthorized", msg)
		return
	}
	fail(w, r, status, msg)
}

func badRequest(w http.ResponseWriter, r *http.Request, msg string) {
	fail(w, r, http.StatusBadRequest, msg)
}

func forbidden(w http.ResponseWriter, r *http.Request, msg string) {
	if msg == "" {
		msg = "Access is denied"
	}
	fail(w, r, http.StatusForbidden, msg)
}

func notFound(w http.ResponseWriter, r *http.Request, msg string) {
	fail(w, r, http.StatusNotFound, msg)
}

func conflict(w http.ResponseWriter, r *http.Request, msg string) {
	fail(w, r, http.StatusConflict, msg)
}

// bodyError answers a body that could not be read: 413 when too large,
// else 400 with the parser's message.
func bodyError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, httpx.ErrBodyTooLarge) {
		fail(w, r, http.StatusRequestEntityTooLarge, err.Error())
		return
	}
	badRequest(w, r, err.Error())
}
