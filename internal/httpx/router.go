package httpx

import (
	"context"
	"net/http"
	"path"
	"reflect"
	"strings"
	"sync"
)

// redirectType is the type of the handler that http.ServeMux returns for
// a path it would redirect.
var redirectType = reflect.TypeOf(http.RedirectHandler("/", http.StatusMovedPermanently))

// cleanPath cleans p as http.ServeMux does, keeping a trailing slash.
func cleanPath(p string) string {
	clean := path.Clean("/" + p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	return clean
}

// Router is an http.ServeMux whose own answers (no route: 404; a route
// with another method: 405) come in the vendor's JSON envelope instead of
// net/http's plain text.
type Router struct {
	*http.ServeMux
	onError ErrorFunc

	mu       sync.Mutex
	patterns []string // as registered, for the OpenAPI documents
}

// Handle registers h for pattern, as http.ServeMux.Handle does, and
// remembers the pattern.
func (rt *Router) Handle(pattern string, h http.Handler) {
	rt.mu.Lock()
	rt.patterns = append(rt.patterns, pattern)
	rt.mu.Unlock()
	rt.ServeMux.Handle(pattern, h)
}

// HandleFunc registers f for pattern and remembers the pattern.
func (rt *Router) HandleFunc(pattern string, f func(http.ResponseWriter, *http.Request)) {
	rt.Handle(pattern, http.HandlerFunc(f))
}

// Patterns returns the patterns registered so far, in order.
func (rt *Router) Patterns() []string {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return append([]string(nil), rt.patterns...)
}

type patternsKey struct{}

// ListPatterns returns the patterns of the Router behind h, which may be
// wrapped in middleware that passes requests on: it sends h a request
// (with ctx, which must let the middleware through) that the Router answers
// by reporting its patterns instead of serving. It returns nil when no
// Router answered.
func ListPatterns(ctx context.Context, h http.Handler) []string {
	var out []string
	r, _ := http.NewRequestWithContext(context.WithValue(ctx, patternsKey{}, &out), "GET", "/", nil)
	h.ServeHTTP(&probeWriter{header: http.Header{}}, r)
	return out
}

// NewRouter returns an empty Router that writes its errors with onError.
func NewRouter(onError ErrorFunc) *Router {
	return &Router{ServeMux: http.NewServeMux(), onError: onError}
}

// ServeHTTP implements http.Handler.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if out, ok := r.Context().Value(patternsKey{}).(*[]string); ok {
		*out = append(*out, rt.Patterns()...)
		return
	}
	h, pattern := rt.Handler(r)
	if reflect.TypeOf(h) == redirectType {
		// The mux would redirect: an unclean path (//, /./, /../) or a
		// missing trailing slash. A redirect's Location would leave a
		// namespace prefix behind (stripped before the router) and API
		// clients want the envelope, not text/html. Serve the cleaned path
		// here, or answer 404.
		if clean := cleanPath(r.URL.Path); clean != r.URL.Path {
			r2 := r.Clone(r.Context())
			r2.URL.Path, r2.URL.RawPath = clean, ""
			rt.ServeHTTP(w, r2)
			return
		}
		rt.onError(w, r, http.StatusNotFound, "No resource at "+r.Method+" "+r.URL.Path)
		return
	}
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
