package journal

import (
	"bytes"
	"net/http"
	"regexp"
	"strings"
)

// secretNames are the header, parameter and JSON field names whose values
// never reach the journal, compared lower-case with "-" and "_" removed.
var secretNames = map[string]bool{
	"authorization": true, "proxyauthorization": true, "cookie": true, "setcookie": true,
	"kfapikey": true, "xapikey": true, "apikey": true, "superadminapikey": true,
	"accesstoken": true, "refreshtoken": true, "idtoken": true, "token": true,
	"clientsecret": true, "secret": true, "password": true, "newpassword": true,
	"oldpassword": true, "currentpassword": true, "hash": true,
}

// normName lower-cases s and drops "-" and "_" ("X-API-KEY" -> "xapikey").
func normName(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '-' || c == '_':
			continue
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return string(b)
}

// IsSecret tells whether a header, parameter or field name holds a secret.
func IsSecret(name string) bool { return secretNames[normName(name)] }

// Marker replaces a secret; the last four characters of longer secrets
// follow it, so that a test can still tell two tokens apart.
const Marker = "***"

// Mask redacts one secret value. Values of eight characters or fewer lose
// everything.
func Mask(v string) string {
	r := []rune(v)
	if len(r) <= 8 {
		return Marker
	}
	return Marker + string(r[len(r)-4:])
}

// maskAuth masks a header value keeping an authorization scheme
// ("Bearer ***3f9a").
func maskAuth(v string) string {
	if scheme, rest, ok := strings.Cut(v, " "); ok && len(scheme) < 16 && !strings.ContainsAny(scheme, "=:") {
		return scheme + " " + Mask(strings.TrimSpace(rest))
	}
	return Mask(v)
}

// redactHeaders copies h with secret values masked.
func redactHeaders(h http.Header) map[string][]string {
	out := make(map[string][]string, len(h))
	for k, vs := range h {
		if IsSecret(k) {
			m := make([]string, len(vs))
			for i, v := range vs {
				m[i] = maskAuth(v)
			}
			out[k] = m
			continue
		}
		out[k] = vs
	}
	return out
}

// secretWords finds, in a body, a hint that it may hold a
// secret; bodies without one (most list answers) skip the expressions.
var secretWords = [][]byte{[]byte("token"), []byte("secret"), []byte("password"), []byte("hash"),
	[]byte("key"), []byte("authorization"), []byte("cookie")}

const secretAlternation = `authorization|proxy[-_]?authorization|cookie|set[-_]?cookie|kf[-_]?api[-_]?key|x[-_]?api[-_]?key|api[-_]?key|superadmin[-_]?api[-_]?key|` +
	`access[-_]?token|refresh[-_]?token|id[-_]?token|token|client[-_]?secret|secret|password|new[-_]?password|old[-_]?password|current[-_]?password|hash`

var (
	// A JSON member: "name": "value" (the value may be cut off by the body
	// cap) or a bare scalar.
	jsonSecret = regexp.MustCompile(`(?i)("(?:` + secretAlternation + `)"\s*:\s*)("(?:[^"\\]|\\.)*"?|[^,}\]\s]+)`)
	// A form or query pair: name=value.
	formSecret = regexp.MustCompile(`(?i)(^|[&?\s])((?:` + secretAlternation + `)=)([^&\s]*)`)
)

// RedactText masks secrets in a body or query string: JSON members and
// form pairs whose names are secret. It works on text cut off by the body
// cap, where a JSON parser would give up and let a secret through.
func RedactText(b []byte) []byte {
	if len(b) == 0 {
		return b
	}
	hint := false
	for _, w := range secretWords {
		if bytes.Contains(b, w) {
			hint = true
			break
		}
	}
	if !hint {
		return b
	}
	b = jsonSecret.ReplaceAllFunc(b, func(m []byte) []byte {
		sub := jsonSecret.FindSubmatch(m)
		val := string(sub[2])
		if strings.HasPrefix(val, `"`) {
			inner := strings.TrimSuffix(strings.TrimPrefix(val, `"`), `"`)
			if len(val) >= 2 && strings.HasSuffix(val, `"`) {
				return []byte(string(sub[1]) + `"` + Mask(inner) + `"`)
			}
			return []byte(string(sub[1]) + `"` + Mask(inner))
		}
		if val == "null" || val == "true" || val == "false" {
			return m
		}
		return []byte(string(sub[1]) + `"` + Mask(val) + `"`)
	})
	return formSecret.ReplaceAllFunc(b, func(m []byte) []byte {
		sub := formSecret.FindSubmatch(m)
		return []byte(string(sub[1]) + string(sub[2]) + Mask(string(sub[3])))
	})
}
