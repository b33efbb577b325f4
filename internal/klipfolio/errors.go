package klipfolio

import (
	"net/http"

	"github.com/standin-dev/standin/internal/httpx"
)

// Error codes of the meta envelope. auth_not_provided is real Klipfolio's;
// the others follow its naming (decision recorded in docs/decisions.md).
const (
	codeAuthNotProvided = "auth_not_provided"
	codeAuthInvalid     = "auth_invalid"
	codeForbidden       = "forbidden"
	codeNotFound        = "not_found"
	codeBadRequest      = "bad_request"
	codeMethod          = "method_not_allowed"
	codeTooLarge        = "request_too_large"
	codeInternal        = "internal_error"
)

type errorMeta struct {
	Success   bool   `json:"success"`
	Status    int    `json:"status"`
	ErrorCode string `json:"error_code"`
	ErrorDesc string `json:"error_desc"`
}

// fail writes Klipfolio's error envelope:
// {"meta":{"success":false,"status":401,"error_code":"…","error_desc":"…"}}.
func fail(w http.ResponseWriter, status int, code, desc string) {
	httpx.WriteJSON(w, status, map[string]any{"meta": errorMeta{Status: status, ErrorCode: code, ErrorDesc: desc}})
}

// WriteError implements vendor.Vendor, choosing the code from the status.
func (s *Service) WriteError(w http.ResponseWriter, _ *http.Request, status int, msg string) {
	code := codeInternal
	switch status {
	case http.StatusBadRequest:
		code = codeBadRequest
	case http.StatusUnauthorized:
		code = codeAuthInvalid
	case http.StatusForbidden:
		code = codeForbidden
	case http.StatusNotFound:
		code = codeNotFound
	case http.StatusMethodNotAllowed:
		code = codeMethod
	case http.StatusRequestEntityTooLarge:
		code = codeTooLarge
	}
	fail(w, status, code, msg)
}

// ok writes a success envelope: meta plus data when data is not nil.
func ok(w http.ResponseWriter, status int, data any, extraMeta map[string]any) {
	meta := map[string]any{"success": true, "status": status}
	for k, v := range extraMeta {
		meta[k] = v
	}
	body := map[string]any{"meta": meta}
	if data != nil {
		body["data"] = data
	}
	httpx.WriteJSON(w, status, body)
}
