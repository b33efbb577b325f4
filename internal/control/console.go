package control

import (
	"embed"
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/openapi"
	"github.com/standin-dev/standin/internal/quickstart"
)

//go:embed console.html docs.html
var pages embed.FS

// consoleRoutes registers the browser console, the vendors' OpenAPI
// documents and their reference pages.
func (s *server) consoleRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", s.console)
	mux.HandleFunc("GET /_standin/openapi/{file}", s.openAPI)
	mux.HandleFunc("GET /_standin/docs/{vendor}", s.docsPage)
	mux.HandleFunc("GET /_standin/namespaces/{id}/examples", s.examples)
	mux.HandleFunc("GET /_standin/namespaces/{id}/data/{vendor}", s.listEntities)
	mux.HandleFunc("GET /_standin/namespaces/{id}/data/{vendor}/{entity}", s.listRows)
}

// console serves the browser console: one page that drives the control API.
func (s *server) console(w http.ResponseWriter, _ *http.Request) {
	s.page(w, "console.html")
}

func (s *server) page(w http.ResponseWriter, name string) {
	b, err := pages.ReadFile(name)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// Everything the pages use is embedded: nothing from a CDN.
	w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:")
	_, _ = w.Write(b)
}

// docsPage serves GET /_standin/docs/{vendor}: a reference rendered in the
// browser from the vendor's OpenAPI document.
func (s *server) docsPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.app.Vendor(r.PathValue("vendor")); !ok {
		writeError(w, r, http.StatusNotFound, "unknown vendor "+r.PathValue("vendor"))
		return
	}
	s.page(w, "docs.html")
}

// openAPI serves GET /_standin/openapi/{vendor}.json and .yaml.
func (s *server) openAPI(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	name, ext, _ := strings.Cut(file, ".")
	v, ok := s.app.Vendor(name)
	if !ok || (ext != "json" && ext != "yaml") {
		writeError(w, r, http.StatusNotFound, "no OpenAPI document "+file+": try {vendor}.json or {vendor}.yaml")
		return
	}
	server := s.app.BaseURL(name, "default")
	b, err := openapi.Cached(name+"|"+ext+"|"+server, func() ([]byte, error) {
		doc, err := openapi.Build(name, openapi.Routes(v.Handler()), openapi.Options{ServerURL: server, Version: "standin"})
		if err != nil {
			return nil, err
		}
		if ext == "yaml" {
			return openapi.YAML(doc)
		}
		return openapi.JSON(doc)
	})
	if err != nil {
		httpx.InternalError(s.log, writeError, w, r, err)
		return
	}
	if ext == "yaml" {
		w.Header().Set("Content-Type", "application/yaml")
	} else {
		w.Header().Set("Content-Type", "application/json")
	}
	w.Header().Set("Access-Control-Allow-Origin", "*") // for other tools' viewers
	_, _ = w.Write(b)
}

// examples serves GET /_standin/namespaces/{id}/examples: one working curl
// per vendor for the namespace, Worksection's signature computed.
func (s *server) examples(w http.ResponseWriter, r *http.Request) {
	ns, ok := s.load(w, r)
	if !ok {
		return
	}
	in, err := s.app.Info(r.Context(), ns)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, struct {
		Examples []quickstart.Example `json:"examples"`
	}{quickstart.Examples(in.Vendors)})
}
