package worksection

import "github.com/standin-dev/standin/internal/httpx"

// adminPaths are the admin API roots: v2 (MD5 query hash or the Admin
// header) with and without the slash, and v2.1 (HMAC query hash). Every
// root accepts every admin scheme.
var adminPaths = []string{"/api/admin/v2/{$}", "/api/admin/v2", "/api/admin/v2.1", "/api/admin/v2.1/{$}"}

// tokenPaths take OAuth2 access tokens.
var tokenPaths = []string{"/api/oauth2", "/api/oauth2/{$}"}

// routes lists every Worksection route. Each takes GET and POST, with the
// parameters in the query or the body.
func (s *Service) routes(mux *httpx.Router) {
	for _, m := range []string{"GET ", "POST "} {
		for _, p := range adminPaths {
			mux.Handle(m+p, httpx.Handler(s.log, s.envelope, s.adminAPI))
		}
		for _, p := range tokenPaths {
			mux.Handle(m+p, httpx.Handler(s.log, s.envelope, s.tokenAPI))
		}
		mux.Handle(m+"/oauth2/token", httpx.Handler(s.log, s.oauthEnvelope, s.oauthToken))
		mux.Handle(m+"/oauth2/refresh", httpx.Handler(s.log, s.oauthEnvelope, s.oauthRefresh))
	}
}
