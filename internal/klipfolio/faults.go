package klipfolio

import (
	"net/http"
	"strconv"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/vendor"
)

// faultMeta is Klipfolio's error envelope, for injected faults.
type faultMeta struct {
	Success   bool   `json:"success"`
	Status    int    `json:"status"`
	ErrorCode string `json:"error_code"`
	ErrorDesc string `json:"error_desc"`
}

type faultBody struct {
	Meta faultMeta `json:"meta"`
}

// faultCodes are the meta error codes by status (see errors.go; 429 and
// 5xx codes follow the same naming, recorded in docs/decisions.md).
var faultCodes = map[int]string{
	400: "bad_request", 401: "auth_invalid", 403: "forbidden", 404: "not_found",
	405: "method_not_allowed", 413: "request_too_large", 429: "rate_limited",
	500: "internal_error", 502: "bad_gateway", 503: "service_unavailable", 504: "gateway_timeout",
}

// WriteFault implements vendor.FaultWriter: the meta envelope.
func (s *Service) WriteFault(w http.ResponseWriter, _ *http.Request, status int, msg string) {
	code, ok := faultCodes[status]
	if !ok {
		code = "error"
	}
	if msg == "" {
		msg = http.StatusText(status)
		if status == http.StatusTooManyRequests {
			msg = "API rate limit exceeded. Retry after " + retryAfter(w) + " seconds."
		}
	}
	httpx.WriteJSON(w, status, faultBody{Meta: faultMeta{Status: status, ErrorCode: code, ErrorDesc: msg}})
}

func retryAfter(w http.ResponseWriter) string {
	if v := w.Header().Get("Retry-After"); v != "" {
		return v
	}
	return strconv.Itoa(60)
}

// FaultPresets implements vendor.FaultWriter.
func (s *Service) FaultPresets() []vendor.FaultPreset {
	return []vendor.FaultPreset{
		vendor.WriterPreset(s, "rate_limited", 429, "",
			"429 rate_limited in the meta envelope, with Retry-After: 60"),
		vendor.WriterPreset(s, "auth_invalid", 401, "Invalid API key",
			"401 auth_invalid: the API key was revoked"),
		vendor.WriterPreset(s, "server_error", 500, "Internal server error",
			"500 internal_error"),
		vendor.WriterPreset(s, "unavailable", 503, "",
			"503 service_unavailable (maintenance)"),
	}
}
