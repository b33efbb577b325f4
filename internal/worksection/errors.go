package worksection

import (
	"net/http"

	"github.com/standin-dev/standin/internal/httpx"
)

// Application error codes (status_code). Worksection's own numbering is not
// documented; these are standin's, recorded in docs/decisions.
const (
	codeAction    = 1 // action missing or unknown
	codeHash      = 2 // admin signature missing, invalid or stale
	codeTokenOnly = 3 // action needs an OAuth2 access token
	codeRequired  = 4 // required parameter missing
	codeInvalid   = 5 // parameter value invalid (enum, email, id)
	codeNotFound  = 6 // task, project or user not found
	codeExists    = 7 // user email already in the account
	codeBadBody   = 8 // request body cannot be read
)

// Messages that clients match.
const (
	msgHash         = "Action hash is missed or invalid"
	msgTokenExpired = "Access token is expired"
	msgTokenInvalid = "Access token is invalid"
	msgTokenMissing = "Access token is missed"
)

// apiError is an application error: HTTP 200 with
// {"status":"error","status_code":N,"message":"…","message_details":"…"}.
type apiError struct {
	code    int
	msg     string
	details string
}

func (e *apiError) Error() string { return e.msg }

func appErr(code int, msg, details string) *apiError {
	return &apiError{code: code, msg: msg, details: details}
}

func required(name string) *apiError {
	return appErr(codeRequired, "Required parameter is missed: "+name, name)
}

func invalid(name, details string) *apiError {
	return appErr(codeInvalid, "Invalid parameter value: "+name, details)
}

type errorBody struct {
	Status         string `json:"status"`
	StatusCode     int    `json:"status_code"`
	Message        string `json:"message"`
	MessageDetails string `json:"message_details,omitempty"`
}

// fail writes an error envelope with the given HTTP status.
func fail(w http.ResponseWriter, status int, e *apiError) {
	httpx.WriteJSON(w, status, errorBody{Status: "error", StatusCode: e.code, Message: e.msg, MessageDetails: e.details})
}

// tokenFail writes the 401 that the SDKs read to decide on a refresh:
// exactly {"status":"error","message":"…"}.
func tokenFail(w http.ResponseWriter, msg string) {
	httpx.WriteJSON(w, http.StatusUnauthorized, struct {
		Status  string `json:"status"`
		Message string `json:"message"`
	}{"error", msg})
}

// WriteError implements vendor.Vendor: the platform's errors (unknown path,
// wrong method, unknown namespace, panics) in the Worksection envelope, with
// the HTTP status as status_code.
func (s *Service) WriteError(w http.ResponseWriter, _ *http.Request, status int, msg string) {
	fail(w, status, appErr(status, msg, ""))
}

// ok writes {"status":"ok","data":…}, or {"status":"ok"} when data is nil.
func ok(w http.ResponseWriter, data any) {
	httpx.WriteJSON(w, http.StatusOK, struct {
		Status string `json:"status"`
		Data   any    `json:"data,omitempty"`
	}{"ok", data})
}

// oauthFail writes an OAuth2 error: {"error":"…","error_description":"…"}.
func oauthFail(w http.ResponseWriter, status int, code, desc string) {
	httpx.WriteJSON(w, status, struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}{code, desc})
}
