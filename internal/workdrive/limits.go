package workdrive

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/standin-dev/standin/internal/httpx"
)

// Length limits on every string a request can store. The doc gives none,
// so these are the ones recorded in docs/decisions.md (WorkDrive): free
// text 65,535 characters, links 2,048, emails RFC 5321 (64 before the @,
// 254 in all), everything else (names, titles, ids, enums) 255.
const (
	maxName       = 255
	maxLink       = 2048
	maxText       = 65535
	maxEmail      = 254
	maxEmailLocal = 64
)

// textKeys are the fields that hold free text.
var textKeys = map[string]bool{
	"postText": true, "description": true, "content": true, "bio": true, "message": true,
	"text": true, "question": true, "answer": true, "textAddress": true,
}

// limitOf is the length limit of a field, by its name.
func limitOf(key string) int {
	k := strings.ToLower(key)
	switch {
	case textKeys[key]:
		return maxText
	case strings.Contains(k, "email"):
		return maxEmail
	case strings.Contains(k, "url") || strings.Contains(k, "uri") || strings.Contains(k, "link") ||
		k == "gif" || k == "websites" || k == "coverimage":
		return maxLink
	}
	return maxName
}

// checkLengths refuses a body holding a string over its field's limit,
// at any depth (a string inside an array or object counts under the
// nearest field name), and an email whose local part is over 64.
func checkLengths(b *httpx.Body) error {
	for _, k := range b.Keys() {
		raw := b.Raw(k)
		if raw == nil {
			continue
		}
		var v any
		if json.Unmarshal(raw, &v) != nil {
			continue // the typed getters report it
		}
		if msg := overLimit(k, v); msg != "" {
			return httpx.BadRequest("%s", msg)
		}
	}
	return nil
}

func overLimit(key string, v any) string {
	switch v := v.(type) {
	case string:
		if max := limitOf(key); utf8.RuneCountInString(v) > max {
			return key + " must be at most " + strconv.Itoa(max) + " characters"
		}
		if limitOf(key) == maxEmail && !emailFits(v) {
			return key + " must be an email of at most 64 characters before the @"
		}
	case []any:
		for _, e := range v {
			if msg := overLimit(key, e); msg != "" {
				return msg
			}
		}
	case clientJSON:
		for k, e := range v {
			if msg := overLimit(k, e); msg != "" {
				return msg
			}
		}
	}
	return ""
}

// emailFits tells whether an address keeps RFC 5321's limits: at most 64
// octets before the last @ and 254 in all.
func emailFits(s string) bool {
	at := strings.LastIndex(s, "@")
	return len(s) <= maxEmail && (at < 0 || at <= maxEmailLocal)
}
