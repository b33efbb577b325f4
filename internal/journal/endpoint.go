package journal

import (
	"strings"

	"github.com/standin-dev/standin/internal/catalog"
)

// Endpoint names the catalog endpoint of a request from its vendor,
// method, matched route pattern and (Worksection) action; "" for a route
// that the catalog does not document.
func Endpoint(vendor, method, pattern, action string) string {
	if action != "" {
		if id := catalog.ActionID(vendor, action); id != "" {
			return id
		}
	}
	if pattern == "" {
		return ""
	}
	if m, p, ok := strings.Cut(pattern, " "); ok {
		method, pattern = m, p
	}
	return catalog.ID(vendor, method, pattern)
}
