package clinked

import (
	"net/http"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/vendor"
)

// faultOAuth is Spring Security OAuth2's error body.
type faultOAuth struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// faultAPI is the /v3 error body (Spring Boot's).
type faultAPI struct {
	Status  int    `json:"status"`
	Error   string `json:"error"`
	Message string `json:"message"`
	Path    string `json:"path"`
}

// writeOAuthFault writes a Spring OAuth2 401 with its WWW-Authenticate.
func writeOAuthFault(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="oauth", error="`+code+`", error_description="`+desc+`"`)
	httpx.WriteJSON(w, status, faultOAuth{Error: code, ErrorDescription: desc})
}

// WriteFault implements vendor.FaultWriter: a 401 in Spring OAuth2's
// words, anything else in Spring Boot's /v3 error body; 429 says what the
// rate limit does.
func (s *Service) WriteFault(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if status == http.StatusUnauthorized {
		if msg == "" {
			msg = "Full authentication is required to access this resource"
		}
		writeOAuthFault(w, status, "unauthorized", msg)
		return
	}
	if msg == "" {
		msg = http.StatusText(status)
		if status == http.StatusTooManyRequests {
			msg = "Rate limit exceeded: at most 2000 requests per 300 seconds from one IP address"
		}
	}
	httpx.WriteJSON(w, status, faultAPI{Status: status, Error: http.StatusText(status), Message: msg, Path: r.URL.Path})
}

// FaultPresets implements vendor.FaultWriter.
func (s *Service) FaultPresets() []vendor.FaultPreset {
	return []vendor.FaultPreset{
		{Name: "token_expired", Status: 401,
			Description: `401 {"error":"invalid_token","error_description":"Access token expired"}, as Spring OAuth2 answers an expired bearer token`,
			Write: func(w http.ResponseWriter, _ *http.Request) {
				writeOAuthFault(w, http.StatusUnauthorized, "invalid_token", "Access token expired")
			}},
		vendor.BodyPreset("invalid_grant", 400, faultOAuth{Error: "invalid_grant", ErrorDescription: "Bad credentials"},
			`400 {"error":"invalid_grant","error_description":"Bad credentials"} from /oauth/token`),
		vendor.WriterPreset(s, "rate_limited", 429, "",
			"429 in the /v3 error body with Retry-After: 60, as the per-IP rate limit answers"),
		vendor.WriterPreset(s, "server_error", 500, "",
			"500 Internal Server Error in the /v3 error body"),
	}
}
