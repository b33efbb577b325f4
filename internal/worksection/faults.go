package worksection

import (
	"net/http"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/vendor"
)

// faultError is Worksection's error envelope.
type faultError struct {
	Status     string `json:"status"`
	StatusCode int    `json:"status_code,omitempty"`
	Message    string `json:"message"`
}

// WriteFault implements vendor.FaultWriter: the error envelope with the
// HTTP status as status_code, as the platform's own errors are answered.
func (s *Service) WriteFault(w http.ResponseWriter, _ *http.Request, status int, msg string) {
	if msg == "" {
		msg = http.StatusText(status)
	}
	httpx.WriteJSON(w, status, faultError{Status: "error", StatusCode: status, Message: msg})
}

// FaultPresets implements vendor.FaultWriter.
func (s *Service) FaultPresets() []vendor.FaultPreset {
	return []vendor.FaultPreset{
		vendor.BodyPreset("hash_invalid", 200, faultError{Status: "error", StatusCode: 2, Message: "Action hash is missed or invalid"},
			`HTTP 200 {"status":"error","status_code":2,"message":"Action hash is missed or invalid"}: the admin API refusing a signature`),
		vendor.BodyPreset("token_expired", 401, faultError{Status: "error", Message: "Access token is expired"},
			`401 {"status":"error","message":"Access token is expired"}, which the SDKs answer with a refresh`),
		vendor.WriterPreset(s, "rate_limited", 429, "Too many requests",
			"429 in the error envelope with Retry-After: 60"),
		vendor.WriterPreset(s, "server_error", 500, "Internal server error",
			"500 in the error envelope"),
	}
}
