package klipfolio

import (
	"net/http"

	"github.com/standin-dev/standin/internal/httpx"
)

// Error codes of the meta envelope. auth_not_provided is real Klipfolio's;
// the others follow its naming (decision recorded in docs/decisions.md).
const (
	codeAuthNotProvided = "auth_not_provided"
	codeInternal        = "internal_error"
)

// statusCodes names the error code of each status whose error carries none.
var statusCodes = map[int]string{
	http.StatusBadRequest:            "bad_request",
	http.StatusUnauthorized:          "auth_invalid",
	http.StatusForbidden:             "forbidden",
	http.StatusNotFound:              "not_found",
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusRequestEntityTooLarge: "request_too_large",
}

type errorMeta struct {
	Success   bool   `json:"success"`
	Status    int    `json:"status"`
	ErrorCode string `json:"error_code"`
	ErrorDesc string `json:"error_desc"`
}

type errorBody struct {
	Meta errorMeta `json:"meta"`
}

// envelope writes Klipfolio's error envelope, the one place that knows it:
// {"meta":{"success":false,"status":401,"error_code":"…","error_desc":"…"}}.
// The code is the error's own, or else the status's.
func (s *Service) envelope(w http.ResponseWriter, _ *http.Request, e *httpx.Error) {
	code := e.Code
	if code == "" {
		code = statusCodes[e.Status]
	}
	if code == "" {
		code = codeInternal
	}
	httpx.WriteJSON(w, e.Status, errorBody{errorMeta{Status: e.Status, ErrorCode: code, ErrorDesc: e.Message}})
}

// WriteError implements vendor.Vendor: the platform's errors (unknown
// path, wrong method, panics) in the same envelope.
func (s *Service) WriteError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.envelope(w, r, &httpx.Error{Status: status, Message: msg})
}

// okMeta is the meta of a success; lists add count and total.
type okMeta struct {
	Success  bool   `json:"success"`
	Status   int    `json:"status"`
	Location string `json:"location,omitempty"`
	*listMeta
}

type listMeta struct {
	Count int `json:"count"`
	Total int `json:"total"`
}

type okBody struct {
	Meta okMeta `json:"meta"`
	Data any    `json:"data,omitempty"`
}

// writeOK writes a success envelope: meta, plus data when data is not nil.
func writeOK(w http.ResponseWriter, status int, meta okMeta, data any) error {
	meta.Success, meta.Status = true, status
	httpx.WriteJSON(w, status, okBody{Meta: meta, Data: data})
	return nil
}

// done answers 200 with meta alone, as every change but POST does.
func done(w http.ResponseWriter) error { return writeOK(w, http.StatusOK, okMeta{}, nil) }
