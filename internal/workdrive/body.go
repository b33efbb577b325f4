package workdrive

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
)

// body is a decoded JSON request body, read tolerantly as the doc's clients
// send it: numbers and booleans may come as strings, and a single string
// where the doc says array. Getters record type errors; Err reports the
// first as a 400.
type body struct {
	m    map[string]json.RawMessage
	path string // "kb." for nested objects, for messages
	errs *[]string
}

// readBody decodes the request's JSON object body (also on DELETE). An
// empty body is an empty object.
func readBody(w http.ResponseWriter, r *http.Request) (*body, error) {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/x-www-form-urlencoded" || ct == "multipart/form-data" {
		return readFormBody(w, r)
	}
	b, err := httpx.ReadBody(w, r)
	if err != nil {
		return nil, bodyErr(err)
	}
	out := &body{m: map[string]json.RawMessage{}, errs: new([]string)}
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return out, nil
	}
	if err := json.Unmarshal(b, &out.m); err != nil {
		return nil, badRequest("Malformed JSON body: the body must be a JSON object")
	}
	if out.m == nil {
		out.m = map[string]json.RawMessage{}
	}
	return out, nil
}

// bodyErr passes a too-large body on and makes any other read error a 400.
func bodyErr(err error) error {
	if err == httpx.ErrBodyTooLarge {
		return err
	}
	return badRequest("%s", err.Error())
}

// readFormBody reads a form as NestJS's body parser would: every field a
// string, repeated fields (or name[]) a list.
func readFormBody(w http.ResponseWriter, r *http.Request) (*body, error) {
	vals, err := httpx.BodyParams(w, r)
	if err != nil {
		return nil, bodyErr(err)
	}
	out := &body{m: map[string]json.RawMessage{}, errs: new([]string)}
	for k, v := range vals {
		var raw []byte
		list := strings.HasSuffix(k, "[]")
		k = strings.TrimSuffix(k, "[]")
		if len(v) == 1 && !list {
			raw, _ = json.Marshal(v[0])
		} else {
			raw, _ = json.Marshal(v)
		}
		out.m[k] = raw
	}
	return out, nil
}

// newBody wraps an already decoded object (bulk items, nested objects).
func newBody(m map[string]json.RawMessage, path string, errs *[]string) *body {
	if m == nil {
		m = map[string]json.RawMessage{}
	}
	return &body{m: m, path: path, errs: errs}
}

func (b *body) fail(key, want string) {
	*b.errs = append(*b.errs, fmt.Sprintf("%s%s must be %s", b.path, key, want))
}

// Err returns the first recorded error as a 400, or nil.
func (b *body) Err() error {
	if len(*b.errs) > 0 {
		return badRequest("%s", (*b.errs)[0])
	}
	return nil
}

// Has tells whether key is present (null included).
func (b *body) Has(key string) bool { _, ok := b.m[key]; return ok }

// Null tells whether key is present with the value null.
func (b *body) Null(key string) bool {
	raw, ok := b.m[key]
	return ok && string(bytes.TrimSpace(raw)) == "null"
}

// Raw returns the raw JSON of key (nil when absent or null).
func (b *body) Raw(key string) json.RawMessage {
	if !b.Has(key) || b.Null(key) {
		return nil
	}
	return b.m[key]
}

// scalar returns key's value as text when it is a string, number or
// boolean; ok is false when absent or null.
func (b *body) scalar(raw json.RawMessage) (string, bool, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", false, true
	}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false, false
		}
		return s, true, true
	case '{', '[':
		return "", false, false
	default: // number, true, false
		return string(raw), true, true
	}
}

// String returns key as a string (numbers and booleans as their text).
func (b *body) String(key string) (string, bool) {
	s, ok, good := b.scalar(b.m[key])
	if !good {
		b.fail(key, "a string")
		return "", false
	}
	return s, ok
}

// Str is String without the presence flag.
func (b *body) Str(key string) string { s, _ := b.String(key); return s }

// Strings returns key as a list of strings: an array of scalars, or a
// single string wrapped into a one-element list ("" gives an empty list).
func (b *body) Strings(key string) ([]string, bool) {
	raw := bytes.TrimSpace(b.m[key])
	if len(raw) == 0 || string(raw) == "null" {
		return nil, false
	}
	if raw[0] != '[' {
		s, ok, good := b.scalar(raw)
		if !good || !ok {
			b.fail(key, "an array of strings")
			return nil, false
		}
		if s == "" {
			return []string{}, true
		}
		return []string{s}, true
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		b.fail(key, "an array of strings")
		return nil, false
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, ok, good := b.scalar(it)
		if !good {
			b.fail(key, "an array of strings")
			return nil, false
		}
		if ok {
			out = append(out, s)
		}
	}
	return out, true
}

// Bool returns key as a boolean; "true"/"false" strings are accepted.
func (b *body) Bool(key string) (bool, bool) {
	s, ok, good := b.scalar(b.m[key])
	if !good {
		b.fail(key, "a boolean")
		return false, false
	}
	if !ok {
		return false, false
	}
	v, valid := httpx.Bool(s)
	if !valid {
		b.fail(key, "a boolean")
		return false, false
	}
	return v, true
}

// Int returns key as an integer; numeric strings are accepted.
func (b *body) Int(key string) (int64, bool) {
	s, ok, good := b.scalar(b.m[key])
	if !good {
		b.fail(key, "an integer")
		return 0, false
	}
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if ferr != nil || f != float64(int64(f)) {
			b.fail(key, "an integer")
			return 0, false
		}
		n = int64(f)
	}
	return n, true
}

// Object returns key as a nested object (its errors are reported by the
// parent's Err).
func (b *body) Object(key string) (*body, bool) {
	raw := bytes.TrimSpace(b.m[key])
	if len(raw) == 0 || string(raw) == "null" {
		return nil, false
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		b.fail(key, "an object")
		return nil, false
	}
	return newBody(m, b.path+key+".", b.errs), true
}

// Objects returns key as a list of objects; a single object is wrapped.
func (b *body) Objects(key string) ([]*body, bool) {
	raw := bytes.TrimSpace(b.m[key])
	if len(raw) == 0 || string(raw) == "null" {
		return nil, false
	}
	if raw[0] == '{' {
		o, ok := b.Object(key)
		if !ok {
			return nil, false
		}
		return []*body{o}, true
	}
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		b.fail(key, "an array of objects")
		return nil, false
	}
	out := make([]*body, len(items))
	for i, m := range items {
		out[i] = newBody(m, fmt.Sprintf("%s%s[%d].", b.path, key, i), b.errs)
	}
	return out, true
}

// entry is one element of a list that may mix objects and ids.
type entry struct {
	obj *body  // the element when it is an object
	str string // the element when it is a scalar
}

// Entries returns key as a list whose elements are objects or scalars
// (such as members given as {"id": …} or as bare ids); a single object
// or scalar is wrapped.
func (b *body) Entries(key string) []entry {
	raw := bytes.TrimSpace(b.m[key])
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	items := []json.RawMessage{raw}
	if raw[0] == '[' {
		if err := json.Unmarshal(raw, &items); err != nil {
			b.fail(key, "an array")
			return nil
		}
	}
	out := make([]entry, 0, len(items))
	for i, it := range items {
		it = bytes.TrimSpace(it)
		if len(it) > 0 && it[0] == '{' {
			var m map[string]json.RawMessage
			if err := json.Unmarshal(it, &m); err != nil {
				b.fail(key, "an array of objects or ids")
				return nil
			}
			out = append(out, entry{obj: newBody(m, fmt.Sprintf("%s%s[%d].", b.path, key, i), b.errs)})
			continue
		}
		s, ok, good := b.scalar(it)
		if !good {
			b.fail(key, "an array of objects or ids")
			return nil
		}
		if ok {
			out = append(out, entry{str: s})
		}
	}
	return out
}
