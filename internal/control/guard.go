package control

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"html/template"
	"mime"
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/app"
	"github.com/standin-dev/standin/internal/auth"
)

// The control plane can wipe and read every namespace, so a web page must
// not be able to drive it and the network must not reach it unasked:
//
//   - Host: on a loopback bind only loopback names (and --allowed-hosts)
//     are answered, which defeats DNS rebinding (app.HostAllowed).
//   - Cross-origin writes: a state-changing request from a page of another
//     origin (Sec-Fetch-Site, or Origin against Host) is refused with 403;
//     and POST, PUT and PATCH must carry a JSON (or, for seeds, YAML)
//     content type, which no HTML form and no CORS-simple fetch can send.
//   - Token: with a control token set (always on a non-loopback bind),
//     every request but /_standin/health needs it, as
//     "Authorization: Bearer <token>" or as the console's session cookie,
//     which the login form sets (HttpOnly, SameSite=Strict).

const (
	loginPath  = "/_standin/login"
	cookieName = "standin_console"
)

// guard wraps the control plane's mux.
func (s *server) guard(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, http.StatusForbidden, "cross-origin request refused: the control API answers only its own console and non-browser clients")
	}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.app.HostAllowed(r.Host) {
			writeError(w, r, http.StatusForbidden, app.HostRefused)
			return
		}
		if err := cop.Check(r); err != nil {
			writeError(w, r, http.StatusForbidden, "cross-origin request refused: the control API answers only its own console and non-browser clients")
			return
		}
		token := s.app.ControlToken()
		switch {
		case r.URL.Path == loginPath:
			s.login(w, r, token)
			return
		case r.URL.Path == "/_standin/health":
		case token != "" && !authorized(r, token):
			if r.Method == http.MethodGet && r.URL.Path == "/" {
				loginPage(w, http.StatusOK, "")
				return
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="standin control"`)
			writeError(w, r, http.StatusUnauthorized, "the control API needs the control token: Authorization: Bearer <token> (printed at start-up; --control-token or STANDIN_CONTROL_TOKEN)")
			return
		}
		switch r.Method {
		case http.MethodPost, http.MethodPut, http.MethodPatch:
			if !jsonOrYAML(r.Header.Get("Content-Type")) {
				writeError(w, r, http.StatusUnsupportedMediaType, "state-changing control requests need Content-Type: application/json")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// jsonOrYAML tells whether a content type is JSON (application/json or
// application/*+json) or YAML, which a seed document may be.
func jsonOrYAML(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	switch mt {
	case "application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml":
		return true
	}
	return strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")
}

// authorized tells whether r carries the token, as a Bearer token or as
// the console's cookie.
func authorized(r *http.Request, token string) bool {
	if b := auth.Bearer(r); b != "" {
		return auth.Equal(b, token)
	}
	if c, err := r.Cookie(cookieName); err == nil {
		return auth.Equal(c.Value, cookieValue(token))
	}
	return false
}

// cookieValue is what the console's cookie holds: derived from the token,
// so that the token itself never sits in the browser's cookie store.
func cookieValue(token string) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("standin console session"))
	return hex.EncodeToString(m.Sum(nil))
}

// login serves the console's login form (GET) and takes the token from it
// (POST), answering with the session cookie and a redirect to the console.
func (s *server) login(w http.ResponseWriter, r *http.Request, token string) {
	switch r.Method {
	case http.MethodGet:
		loginPage(w, http.StatusOK, "")
	case http.MethodPost:
		r.Body = http.MaxBytesReader(w, r.Body, 4096)
		if token == "" {
			http.Redirect(w, r, "/", http.StatusSeeOther)
			return
		}
		if !auth.Equal(r.PostFormValue("token"), token) {
			loginPage(w, http.StatusUnauthorized, "That is not the control token.")
			return
		}
		http.SetCookie(w, &http.Cookie{
			Name: cookieName, Value: cookieValue(token), Path: "/",
			HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil,
		})
		http.Redirect(w, r, "/", http.StatusSeeOther)
	default:
		w.Header().Set("Allow", "GET, POST")
		writeError(w, r, http.StatusMethodNotAllowed, "use GET or POST")
	}
}

var loginTmpl = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>standin: log in</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}
input{font:inherit;width:100%;box-sizing:border-box;margin:.5rem 0;padding:.4rem}
button{font:inherit;padding:.4rem 1rem}.err{color:#b00020}</style></head>
<body><h1>standin console</h1>
<p>This standin needs its control token: it was printed when standin started
(<code>--control-token</code>, <code>STANDIN_CONTROL_TOKEN</code>).</p>
{{if .}}<p class="err">{{.}}</p>{{end}}
<form method="post" action="/_standin/login">
<label for="token">Control token</label>
<input id="token" name="token" type="password" autocomplete="current-password" autofocus required>
<button type="submit">Log in</button>
</form></body></html>
`))

func loginPage(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = loginTmpl.Execute(w, msg)
}
