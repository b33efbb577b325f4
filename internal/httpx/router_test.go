package httpx

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// thingsRouter routes GET /things/{id} to {"id"} and answers its errors
// as {"msg", "status"}.
func thingsRouter() *Router {
	rt := NewRouter(func(w http.ResponseWriter, r *http.Request, status int, msg string) {
		WriteJSON(w, status, map[string]any{"status": status, "msg": msg})
	})
	rt.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
		WriteJSON(w, http.StatusOK, map[string]string{"id": r.PathValue("id")})
	})
	return rt
}

func TestRouterErrorsInEnvelope(t *testing.T) {
	rt := thingsRouter()
	tests := []struct {
		method, path string
		status       int
		allow        string
		body         string
	}{
		{"GET", "/things/7", 200, "", `{"id":"7"}` + "\n"},
		{"DELETE", "/things/7", 405, "GET, HEAD", `{"msg":"Method DELETE is not allowed on /things/7","status":405}` + "\n"},
		{"GET", "/nothing", 404, "", `{"msg":"No resource at GET /nothing","status":404}` + "\n"},
		// The mux would redirect an unclean path; a vendor port never redirects.
		{"GET", "/things//7", 200, "", `{"id":"7"}` + "\n"},
		{"GET", "/a/../things/./7", 200, "", `{"id":"7"}` + "\n"},
		{"GET", "/things/7/", 404, "", `{"msg":"No resource at GET /things/7/","status":404}` + "\n"},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		rt.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
		if rec.Code != tt.status || rec.Body.String() != tt.body || rec.Header().Get("Allow") != tt.allow {
			t.Errorf("%s %s: %d %q allow=%q, want %d %q allow=%q", tt.method, tt.path,
				rec.Code, rec.Body.String(), rec.Header().Get("Allow"), tt.status, tt.body, tt.allow)
		}
		if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
			t.Errorf("%s %s: content type %q", tt.method, tt.path, ct)
		}
	}
}

func TestListPatternsThroughMiddleware(t *testing.T) {
	rt := NewRouter(func(w http.ResponseWriter, r *http.Request, status int, msg string) { w.WriteHeader(status) })
	rt.HandleFunc("GET /a/{id}", func(http.ResponseWriter, *http.Request) {})
	rt.Handle("POST /b", http.NotFoundHandler())
	wrapped := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { rt.ServeHTTP(w, r) })
	got := ListPatterns(t.Context(), wrapped)
	if len(got) != 2 || got[0] != "GET /a/{id}" || got[1] != "POST /b" {
		t.Errorf("patterns %q", got)
	}
	if got := ListPatterns(t.Context(), http.NotFoundHandler()); got != nil {
		t.Errorf("no router: %q", got)
	}
}
