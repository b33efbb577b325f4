// Package valid holds the input rules that every vendor shares, so that one
// rule has one name: what an email address is, and how long a stored string
// may be where the vendor documents no limit (docs/decisions.md, Platform).
package valid

import (
	"net/mail"
	"strings"
	"unicode/utf8"
)

// Length limits where a vendor documents none.
const (
	// MaxName is the limit for names and titles.
	MaxName = 255
	// MaxText is the limit for free text such as descriptions.
	MaxText = 1000
	// MaxEmail and MaxEmailLocal are RFC 5321's limits on an address and
	// on its local part (a path of 256 octets less the angle brackets).
	MaxEmail      = 254
	MaxEmailLocal = 64
)

// Email tells whether s is a bare email address as sign-up forms accept
// it: no display name or comment, a domain with a dot, and within RFC
// 5321's lengths.
func Email(s string) bool {
	at := strings.LastIndex(s, "@")
	if at < 0 || len(s) > MaxEmail || at > MaxEmailLocal {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s && strings.Contains(s[at+1:], ".")
}

// Len tells whether s has at most max characters.
func Len(s string, max int) bool { return utf8.RuneCountInString(s) <= max }

// Field is a named string value and its maximum length in characters.
type Field struct {
	Name, Value string
	Max         int
}

// TooLong returns the first of fields that is longer than its maximum.
func TooLong(fields ...Field) (Field, bool) {
	for _, f := range fields {
		if !Len(f.Value, f.Max) {
			return f, true
		}
	}
	return Field{}, false
}

// Limit is the Field of name with value and max.
func Limit(name, value string, max int) Field { return Field{Name: name, Value: value, Max: max} }
