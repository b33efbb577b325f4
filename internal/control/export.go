package control

import (
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/app"
)

// exportNamespace serves GET /_standin/namespaces/{id}/export: the
// namespace as a seed document, JSON when Accept asks for it, else YAML.
// A vendor that cannot export is named in X-Standin-Export-Omitted.
func (s *server) exportNamespace(w http.ResponseWriter, r *http.Request) error {
	ex, err := s.app.ExportNamespace(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if len(ex.Omitted) > 0 {
		w.Header().Set("X-Standin-Export-Omitted", strings.Join(ex.Omitted, "; "))
	}
	if strings.Contains(r.Header.Get("Accept"), "json") {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(ex.JSON)
		return nil
	}
	doc, err := app.YAML(ex.JSON)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/yaml")
	_, _ = w.Write(doc)
	return nil
}
