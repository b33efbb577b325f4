package workdrive

import (
	"net/http"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/vendor"
)

// faultNest is the NestJS error body.
type faultNest struct {
	StatusCode int    `json:"statusCode"`
	Message    string `json:"message"`
	Error      string `json:"error,omitempty"`
}

// WriteFault implements vendor.FaultWriter: NestJS's body. A 429 is the
// throttler's, which has no "error" member; a 500 is NestJS's answer to an
// unexpected exception, which has none either.
func (s *Service) WriteFault(w http.ResponseWriter, _ *http.Request, status int, msg string) {
	switch {
	case status == http.StatusTooManyRequests && msg == "":
		httpx.WriteJSON(w, status, faultNest{StatusCode: status, Message: "ThrottlerException: Too Many Requests"})
		return
	case status == http.StatusInternalServerError && msg == "":
		httpx.WriteJSON(w, status, faultNest{StatusCode: status, Message: "Internal server error"})
		return
	case msg == "":
		msg = http.StatusText(status)
	}
	httpx.WriteJSON(w, status, faultNest{StatusCode: status, Message: msg, Error: http.StatusText(status)})
}

// FaultPresets implements vendor.FaultWriter.
func (s *Service) FaultPresets() []vendor.FaultPreset {
	return []vendor.FaultPreset{
		{Name: "unauthorized", Status: 401,
			Description: `401 {"statusCode":401,"message":"Unauthorized","error":"Unauthorized"}: the API key was regenerated elsewhere`,
			Write:       func(w http.ResponseWriter, r *http.Request) { s.WriteFault(w, r, 401, "Unauthorized") }},
		{Name: "rate_limited", Status: 429, RetryAfter: 60,
			Description: `429 {"statusCode":429,"message":"ThrottlerException: Too Many Requests"} with Retry-After: 60`,
			Write:       func(w http.ResponseWriter, r *http.Request) { s.WriteFault(w, r, 429, "") }},
		{Name: "server_error", Status: 500,
			Description: `500 {"statusCode":500,"message":"Internal server error"}`,
			Write:       func(w http.ResponseWriter, r *http.Request) { s.WriteFault(w, r, 500, "") }},
	}
}
