package control

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/standin-dev/standin/internal/httpx"
)

// refuseBadText answers 400 for a path or query parameter that the
// databases cannot store or compare (a NUL, invalid UTF-8): PostgreSQL
// refuses such text with an error, which would otherwise be a 500.
func refuseBadText(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !utf8.ValidString(r.URL.Path) || strings.ContainsRune(r.URL.Path, 0) {
			writeError(w, r, http.StatusBadRequest, "the path must be UTF-8 text without NUL characters")
			return
		}
		q, _ := url.ParseQuery(r.URL.RawQuery)
		if name, bad := httpx.BadTextParam(q); bad {
			writeError(w, r, http.StatusBadRequest, "parameter "+strconv.Quote(name)+" must be UTF-8 text without NUL characters")
			return
		}
		next.ServeHTTP(w, r)
	})
}
