package clinked

import "fmt"

// Settings is Clinked's per-namespace settings section as the control
// plane shows and checks it (GET/PUT/PATCH
// /_standin/namespaces/{id}/settings/clinked); rateConfig reads the same
// JSON.
type Settings struct {
	RateLimit   RateLimitSettings   `json:"rate_limit"`
	CustomEmail CustomEmailSettings `json:"custom_email"`
}

// CustomEmailSettings switch custom e-mail's domain authentication:
// validation passes unless DomainValid is false (emailSettings reads it).
type CustomEmailSettings struct {
	DomainValid bool `json:"domain_valid"`
}

// RateLimitSettings is the per-IP rate limit: on by default, 2000
// requests per 300 seconds as documented.
type RateLimitSettings struct {
	Enabled       bool  `json:"enabled"`
	Limit         int64 `json:"limit"`
	WindowSeconds int64 `json:"window_seconds"`
}

// DefaultSettings implements vendor.Settings.
func (s *Service) DefaultSettings() any {
	return &Settings{
		RateLimit:   RateLimitSettings{Enabled: true, Limit: defaultRateLimit, WindowSeconds: defaultRateWindow},
		CustomEmail: CustomEmailSettings{DomainValid: true},
	}
}

// Validate refuses limits and windows that are not positive. Larger ones
// than the limiter can compute with (maxRateLimit requests, maxRateWindow
// seconds) are accepted and clamped, as rateConfig does.
func (st *Settings) Validate() error {
	if st.RateLimit.Limit < 1 {
		return fmt.Errorf("rate_limit.limit must be a positive number of requests (at most %d apply)", maxRateLimit)
	}
	if st.RateLimit.WindowSeconds < 1 {
		return fmt.Errorf("rate_limit.window_seconds must be a positive number of seconds (at most %d apply)", maxRateWindow)
	}
	return nil
}
