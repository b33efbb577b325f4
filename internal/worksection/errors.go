package worksection

import (
	"net/http"
	"strconv"

	"github.com/standin-dev/standin/internal/httpx"
)

// Application error codes (status_code). Worksection's own numbering is not
// documented; these are standin's, recorded in docs/decisions.
const (
	codeAction    = 1 // action missing or unknown
	codeHash      = 2 // admin signature missing, invalid or stale
	codeTokenOnly = 3 // action needs an OAuth2 access token
	codeRequired  = 4 // required parameter missing
	codeInvalid   = 5 // parameter value invalid (enum, email, id, length)
	codeNotFound  = 6 // task, project or user not found
	codeExists    = 7 // user email already in the account
	codeBadBody   = 8 // request body cannot be read
)

// codeToken marks the token errors of /api/oauth2, whose envelope has no
// status_code.
const codeToken = "token"

// Messages that clients match.
const (
	msgHash         = "Action hash is missed or invalid"
	msgTokenExpired = "Access token is expired"
	msgTokenInvalid = "Access token is invalid"
	msgTokenMissing = "Access token is missed"
)

// appErr is an application error: HTTP 200 with
// {"status":"error","status_code":N,"message":"…","message_details":"…"}.
func appErr(code int, msg, details string) *httpx.Error {
	return &httpx.Error{Status: http.StatusOK, Code: strconv.Itoa(code), Message: msg, Details: details}
}

func required(name string) *httpx.Error {
	return appErr(codeRequired, "Required parameter is missed: "+name, name)
}

func invalid(name, details string) *httpx.Error {
	return appErr(codeInvalid, "Invalid parameter value: "+name, details)
}

// tokenErr is the 401 that the SDKs read to decide on a refresh: exactly
// {"status":"error","message":"…"}.
func tokenErr(msg string) *httpx.Error {
	return &httpx.Error{Status: http.StatusUnauthorized, Code: codeToken, Message: msg}
}

type errorBody struct {
	Status         string `json:"status"`
	StatusCode     int    `json:"status_code"`
	Message        string `json:"message"`
	MessageDetails string `json:"message_details,omitempty"`
}

type tokenErrorBody struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

// envelope writes an error of the API roots in Worksection's envelope. An
// error without an application code (unknown path, wrong method, a body
// that cannot be read, a panic) carries its HTTP status as status_code.
func (s *Service) envelope(w http.ResponseWriter, _ *http.Request, e *httpx.Error) {
	if e.Code == codeToken {
		httpx.WriteJSON(w, e.Status, tokenErrorBody{"error", e.Message})
		return
	}
	code, err := strconv.Atoi(e.Code)
	if err != nil {
		code = e.Status
	}
	httpx.WriteJSON(w, e.Status, errorBody{Status: "error", StatusCode: code, Message: e.Message, MessageDetails: e.Details})
}

// oauthEnvelope writes an OAuth2 error of /oauth2/*:
// {"error":"…","error_description":"…"}; errors without an OAuth2 code
// (500s) take the API's envelope.
func (s *Service) oauthEnvelope(w http.ResponseWriter, r *http.Request, e *httpx.Error) {
	if e.Code == "" {
		s.envelope(w, r, e)
		return
	}
	httpx.WriteJSON(w, e.Status, struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}{e.Code, e.Message})
}

// oauthErr is an OAuth2 error with its status and code.
func oauthErr(status int, code, msg string) *httpx.Error {
	return &httpx.Error{Status: status, Code: code, Message: msg}
}

// WriteError implements vendor.Vendor: the platform's errors (unknown path,
// wrong method, unknown namespace, panics) in the Worksection envelope, with
// the HTTP status as status_code.
func (s *Service) WriteError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.envelope(w, r, &httpx.Error{Status: status, Message: msg})
}

// writeOK writes {"status":"ok","data":…}, or {"status":"ok"} when data is nil.
func writeOK(w http.ResponseWriter, data any) error {
	httpx.WriteJSON(w, http.StatusOK, struct {
		Status string `json:"status"`
		Data   any    `json:"data,omitempty"`
	}{"ok", data})
	return nil
}
