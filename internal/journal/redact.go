package journal

import (
	"bytes"
	"net/http"
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

// isSecretBytes is IsSecret without allocating, for names found in bodies.
func isSecretBytes(name []byte) bool {
	var buf [40]byte
	n := 0
	for _, c := range name {
		switch {
		case c == '-' || c == '_':
			continue
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		if n == len(buf) {
			return false
		}
		buf[n] = c
		n++
	}
	return secretNames[string(buf[:n])]
}

// RedactText masks secrets in a body or query string: JSON members
// ("name": value) and form pairs (name=value) whose names are secret. It
// scans text rather than parsing it, so a body that the cap cut off
// mid-value is redacted all the same; it copies b only when it changes
// something.
func RedactText(b []byte) []byte {
	var out []byte // nil until the first change
	last := 0      // b[last:] is not yet copied to out
	emit := func(from, to int, masked string) {
		if out == nil {
			out = make([]byte, 0, len(b))
		}
		out = append(out, b[last:from]...)
		out = append(out, masked...)
		last = to
	}
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case ':':
			// A JSON member's name ends in `"` before the colon.
			k := i - 1
			for k >= 0 && isSpace(b[k]) {
				k--
			}
			if k < 1 || b[k] != '"' {
				continue
			}
			start := bytes.LastIndexByte(b[:k], '"')
			if start < 0 || !isSecretBytes(b[start+1:k]) {
				continue
			}
			v := i + 1
			for v < len(b) && isSpace(b[v]) {
				v++
			}
			if v >= len(b) {
				continue
			}
			if b[v] == '"' {
				end := v + 1
				for end < len(b) && b[end] != '"' {
					if b[end] == '\\' {
						end++
					}
					end++
				}
				end = min(end, len(b))
				emit(v+1, end, maskQuoted(string(b[v+1:end])))
				i = end
				continue
			}
			end := v
			for end < len(b) && !isSpace(b[end]) && b[end] != ',' && b[end] != '}' && b[end] != ']' {
				end++
			}
			if w := string(b[v:end]); w != "null" && w != "true" && w != "false" && end > v {
				emit(v, end, `"`+Mask(w)+`"`)
			}
			i = end - 1
		case '=':
			// A form or query pair: the name runs back to &, ? or a space.
			start := i
			for start > 0 && b[start-1] != '&' && b[start-1] != '?' && !isSpace(b[start-1]) {
				start--
			}
			if start == i || !isSecretBytes(b[start:i]) {
				continue
			}
			end := i + 1
			for end < len(b) && b[end] != '&' && !isSpace(b[end]) {
				end++
			}
			emit(i+1, end, Mask(string(b[i+1:end])))
			i = end - 1
		}
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// maskQuoted masks the raw text of a JSON string; a tail that would
// split an escape sequence is dropped, so the JSON stays valid.
func maskQuoted(raw string) string {
	m := Mask(raw)
	if strings.ContainsAny(strings.TrimPrefix(m, Marker), `\"`) {
		return Marker
	}
	return m
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
