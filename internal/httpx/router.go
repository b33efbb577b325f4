package httpx

import (
	"net/http"
)

// Router is an http.ServeMux whose own answers (no route: 404; a route
// with another method: 405) come in the vendor's JSON envelope instead of
// net/http's plain text.
type Router struct {
	*http.ServeMux
	onError ErrorFunc
}

// NewRouter returns an empty Router that writes its errors with onError.
func NewRouter(onError ErrorFunc) *Router {
	return &Router{ServeMux: http.NewServeMux(), onError: onError}
}

// ServeHTTP implements http.Handler.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h, pattern := rt.Handler(r)
	if around := routed(r, pattern); around != nil {
		around(w, r, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { rt.serve(w, r, h, pattern) }))
		return
	}
	rt.serve(w, r, h, pattern)
}

func (rt *Router) serve(w http.ResponseWriter, r *http.Request, h http.Handler, pattern string) {
	if pattern != "" {
		rt.ServeMux.ServeHTTP(w, r)
		return
	}
	// No pattern matched. Ask the mux's own answer for its status (and its
	// Allow header) without letting it write to the client.
	probe := &probeWriter{header: http.Header{}}
	h.ServeHTTP(probe, r)
	switch probe.status {
	case http.StatusMethodNotAllowed:
		if allow := probe.header.Get("Allow"); allow != "" {
			w.Header().Set("Allow", allow)
		}
		rt.onError(w, r, http.StatusMethodNotAllowed, "Method "+r.Method+" is not allowed on "+r.URL.Path)
	case http.StatusMovedPermanently, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		// A cleaned path: let the mux redirect as usual.
		rt.ServeMux.ServeHTTP(w, r)
	default:
		rt.onError(w, r, http.StatusNotFound, "No resource at "+r.Method+" "+r.URL.Path)
	}
}

type probeWriter struct {
	header http.Header
	status int
}

func (p *probeWriter) Header() http.Header { return p.header }
func (p *probeWriter) Write(b []byte) (int, error) {
	if p.status == 0 {
		p.status = http.StatusOK
	}
	return len(b), nil
}
func (p *probeWriter) WriteHeader(code int) {
	if p.status == 0 {
		p.status = code
	}
}
