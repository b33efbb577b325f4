package httpx

import (
	"context"
	"net/http"
)

// Route carries what a Router learned about a request back up to the
// middleware that put it in the context: the vendor handlers run on a
// request that the app rebuilt (prefix stripped), so r.Pattern set by the
// mux never reaches the outer layers otherwise.
type Route struct {
	// Pattern is the matched route pattern ("GET /api/1/groups"), or ""
	// when no route matched. Set once, by the first Router.
	Pattern string
	// Routed tells whether a Router has seen the request.
	Routed bool
	// Around, when set, runs once the route is known (also for unknown
	// routes, with Pattern "") in place of the routed handler, which it
	// gets as next: an injected fault answers itself, delays next, or cuts
	// its answer short.
	Around func(w http.ResponseWriter, r *http.Request, next http.Handler)
}

type routeKey struct{}

// WithRoute returns ctx carrying rt.
func WithRoute(ctx context.Context, rt *Route) context.Context {
	return context.WithValue(ctx, routeKey{}, rt)
}

// RouteFrom returns the Route in ctx, or nil.
func RouteFrom(ctx context.Context) *Route {
	rt, _ := ctx.Value(routeKey{}).(*Route)
	return rt
}

// routed records the pattern in the request's Route and returns its
// Around hook, if any.
func routed(r *http.Request, pattern string) func(http.ResponseWriter, *http.Request, http.Handler) {
	rt := RouteFrom(r.Context())
	if rt == nil || rt.Routed {
		return nil
	}
	rt.Routed, rt.Pattern = true, pattern
	return rt.Around
}
