package httpx

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestRouteCarriesPattern checks that a Router records the matched pattern
// in the request's Route and runs its Around hook in place of the routed
// handler, also for unknown routes.
func TestRouteCarriesPattern(t *testing.T) {
	rt := thingsRouter()
	tests := []struct {
		path, pattern string
		intercept     bool
		status        int
	}{
		{"/things/7", "GET /things/{id}", false, 200},
		{"/things/7", "GET /things/{id}", true, 418},
		{"/nothing", "", false, 404},
		{"/nothing", "", true, 418},
	}
	for _, tt := range tests {
		route := &Route{}
		var seen string
		route.Around = func(w http.ResponseWriter, r *http.Request, next http.Handler) {
			seen = route.Pattern
			if tt.intercept {
				w.WriteHeader(http.StatusTeapot)
				return
			}
			next.ServeHTTP(w, r)
		}
		req := httptest.NewRequest("GET", tt.path, nil)
		req = req.WithContext(WithRoute(req.Context(), route))
		rec := httptest.NewRecorder()
		rt.ServeHTTP(rec, req)
		if rec.Code != tt.status || route.Pattern != tt.pattern || seen != tt.pattern || !route.Routed {
			t.Errorf("%s (intercept %v): %d pattern %q seen %q", tt.path, tt.intercept, rec.Code, route.Pattern, seen)
		}
	}
	// Without a Route in the context, nothing changes.
	rec := httptest.NewRecorder()
	rt.ServeHTTP(rec, httptest.NewRequest("GET", "/things/1", nil))
	if rec.Code != 200 {
		t.Errorf("no Route: %d", rec.Code)
	}
}
