// Package catalog holds the vendors' endpoint catalogs (copies of
// shared/spec/<vendor>.json, see data/README.md) embedded in the binary, and
// maps a served route to its catalog endpoint id, the bounded name that the
// journal, metrics and OpenAPI documents use for an endpoint.
package catalog

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

//go:embed data/*.json
var files embed.FS

// Vendors lists the catalogued vendors.
var Vendors = []string{"clinked", "klipfolio", "worksection", "workdrive"}

// Endpoint is the part of a catalog entry that routing needs; JSON returns
// the whole catalog for anything else.
type Endpoint struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Method      string   `json:"method"`
	Path        string   `json:"path"`
	PathAliases []string `json:"path_aliases"`
	Action      string   `json:"action"` // Worksection
}

// JSON returns a vendor's catalog file as it is.
func JSON(vendor string) ([]byte, error) {
	return files.ReadFile("data/" + vendor + ".json")
}

type index struct {
	eps      []Endpoint
	byRoute  map[string]string // "GET /v3/accounts/{}/members" -> id
	byAction map[string]string
}

var (
	mu      sync.Mutex
	indexes = map[string]*index{}
)

func load(vendor string) (*index, error) {
	mu.Lock()
	defer mu.Unlock()
	if ix, ok := indexes[vendor]; ok {
		return ix, nil
	}
	b, err := JSON(vendor)
	if err != nil {
		return nil, fmt.Errorf("catalog %s: %w", vendor, err)
	}
	ix := &index{byRoute: map[string]string{}, byAction: map[string]string{}}
	if err := json.Unmarshal(b, &ix.eps); err != nil {
		return nil, fmt.Errorf("catalog %s: %w", vendor, err)
	}
	for _, e := range ix.eps {
		if e.Action != "" {
			if _, dup := ix.byAction[e.Action]; !dup {
				ix.byAction[e.Action] = e.ID
			}
		}
		for _, p := range append([]string{e.Path}, e.PathAliases...) {
			if p == "" {
				continue
			}
			k := e.Method + " " + Normalize(p)
			// Several endpoints share one route (Clinked's three grants on
			// /oauth/token): the first documented one names it.
			if _, dup := ix.byRoute[k]; !dup {
				ix.byRoute[k] = e.ID
			}
		}
	}
	indexes[vendor] = ix
	return ix, nil
}

// Endpoints returns a vendor's catalogued endpoints.
func Endpoints(vendor string) ([]Endpoint, error) {
	ix, err := load(vendor)
	if err != nil {
		return nil, err
	}
	return ix.eps, nil
}

// Normalize makes a path pattern comparable across parameter names:
// "/v3/accounts/{organisation}/members/" and "/v3/accounts/{account}/members"
// both become "/v3/accounts/{}/members".
func Normalize(p string) string {
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	segs := strings.Split(strings.TrimSuffix(p, "/"), "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			segs[i] = "{}"
		}
	}
	return strings.Join(segs, "/")
}

// ID returns the catalog endpoint id of a route: the method and the
// pattern as registered with the router ("GET /v3/accounts/{account}/members"
// or the method and path separately). It returns "" for a route that the
// catalog does not document (standin's additions).
func ID(vendor, method, pattern string) string {
	ix, err := load(vendor)
	if err != nil {
		return ""
	}
	if m, p, ok := strings.Cut(pattern, " "); ok && method == "" {
		method, pattern = m, p
	}
	if method == "HEAD" {
		if id := ix.byRoute["HEAD "+Normalize(pattern)]; id != "" {
			return id
		}
		method = "GET"
	}
	return ix.byRoute[method+" "+Normalize(pattern)]
}

// ActionID returns the catalog endpoint id of a Worksection-style action
// ("get_users"), or "".
func ActionID(vendor, action string) string {
	ix, err := load(vendor)
	if err != nil {
		return ""
	}
	return ix.byAction[action]
}
