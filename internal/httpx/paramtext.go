package httpx

import (
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"
)

// BadTextParam finds a parameter whose name or value is not text that both
// databases store: invalid UTF-8 or a NUL character, which PostgreSQL
// refuses in TEXT columns. It returns the first such name (sorted, so the
// answer is stable) so that the caller answers 4xx instead of failing at
// the database.
func BadTextParam(v url.Values) (string, bool) {
	names := make([]string, 0, len(v))
	for k := range v {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if !isText(k) {
			return strings.ToValidUTF8(strings.ReplaceAll(k, "\x00", ""), "?"), true
		}
		for _, s := range v[k] {
			if !isText(s) {
				return k, true
			}
		}
	}
	return "", false
}

func isText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }
