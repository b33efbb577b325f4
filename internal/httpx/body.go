package httpx

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Mode says how strictly a Body reads JSON types.
type Mode int

const (
	// Lenient coerces as many vendors' body parsers do: numbers and
	// booleans may come as strings and a string is read as its text.
	Lenient Mode = iota
	// Strict wants the JSON type the field is documented with: a number
	// for an integer, a string for a string. Values from a query string or
	// a form are text whatever the mode, and are always coerced.
	Strict
)

// Body is a request's parameters, read once from a JSON object, a form, a
// multipart form or the query string. Typed getters remember presence and
// record every type error; Err reports them all as one 400.
type Body struct {
	m    map[string]value
	mode Mode
	path string // "kb." for nested objects, for messages
	errs *[]string
}

// value is one parameter: its JSON text, and whether it came as plain text
// (query or form), where every type is written as a string.
type value struct {
	raw  json.RawMessage
	text bool
}

// ReadRequestBody reads the request body: a JSON object (also without a content
// type), a form or a multipart form. An empty body is an empty object.
// A malformed body is a 400; a body over MaxBody ErrBodyTooLarge.
func ReadRequestBody(w http.ResponseWriter, r *http.Request, mode Mode) (*Body, error) {
	out := NewBody(nil, mode)
	if err := out.readBody(w, r); err != nil {
		return nil, err
	}
	return out, nil
}

// ReadParams reads the query string and then the body, as ReadRequestBody
// does; where both carry a parameter, the body wins.
func ReadParams(w http.ResponseWriter, r *http.Request, mode Mode) (*Body, error) {
	out := QueryBody(r, mode)
	if err := out.readBody(w, r); err != nil {
		return nil, err
	}
	return out, nil
}

// QueryBody reads the query string alone. Values that do not parse are
// dropped, so one stray '%' does not hide the rest.
func QueryBody(r *http.Request, mode Mode) *Body {
	q, _ := url.ParseQuery(r.URL.RawQuery)
	return ValuesBody(q, mode)
}

// ValuesBody wraps url.Values: one value is a string, repeated values (or a
// name ending in []) a list of strings.
func ValuesBody(v url.Values, mode Mode) *Body {
	out := NewBody(nil, mode)
	out.addValues(v)
	return out
}

// NewBody wraps an already decoded JSON object.
func NewBody(m map[string]json.RawMessage, mode Mode) *Body {
	b := &Body{m: make(map[string]value, len(m)), mode: mode, errs: new([]string)}
	for k, raw := range m {
		b.m[k] = value{raw: raw}
	}
	return b
}

func (b *Body) child(m map[string]json.RawMessage, path string) *Body {
	c := &Body{m: make(map[string]value, len(m)), mode: b.mode, path: path, errs: b.errs}
	for k, raw := range m {
		c.m[k] = value{raw: raw}
	}
	return c
}

func (b *Body) addValues(v url.Values) {
	for k, vs := range v {
		list := strings.HasSuffix(k, "[]")
		k = strings.TrimSuffix(k, "[]")
		var raw []byte
		if len(vs) == 1 && !list {
			raw, _ = json.Marshal(vs[0])
		} else {
			raw, _ = json.Marshal(vs)
		}
		b.m[k] = value{raw: raw, text: true}
	}
}

func (b *Body) readBody(w http.ResponseWriter, r *http.Request) error {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/x-www-form-urlencoded" || ct == "multipart/form-data" {
		vals, err := BodyParams(w, r)
		if err != nil {
			return bodyError(err)
		}
		b.addValues(vals)
		return nil
	}
	raw, err := ReadBody(w, r)
	if err != nil {
		return bodyError(err)
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return BadRequest("Malformed JSON body: the body must be a JSON object")
	}
	for k, v := range m {
		b.m[k] = value{raw: v}
	}
	return nil
}

// bodyError passes a too-large body on and makes any other read error a 400.
func bodyError(err error) error {
	if err == ErrBodyTooLarge {
		return err
	}
	return BadRequest("%s", err.Error())
}

// Fail records that key is not what it must be ("an integer", "at most 255
// characters"); validators use it to report beside the type errors.
func (b *Body) Fail(key, want string) {
	*b.errs = append(*b.errs, fmt.Sprintf("%s%s must be %s", b.path, key, want))
}

// Errs returns every recorded error, in the order found.
func (b *Body) Errs() []string { return *b.errs }

// Err returns every recorded error as one 400, or nil.
func (b *Body) Err() error {
	if len(*b.errs) > 0 {
		return BadRequest("%s", strings.Join(*b.errs, "; "))
	}
	return nil
}

// Keys returns the names present.
func (b *Body) Keys() []string {
	out := make([]string, 0, len(b.m))
	for k := range b.m {
		out = append(out, k)
	}
	return out
}

// Has tells whether key is present (null included).
func (b *Body) Has(key string) bool { _, ok := b.m[key]; return ok }

// Null tells whether key is present with the value null.
func (b *Body) Null(key string) bool {
	v, ok := b.m[key]
	return ok && !v.text && string(bytes.TrimSpace(v.raw)) == "null"
}

// Raw returns the raw JSON of key (nil when absent or null).
func (b *Body) Raw(key string) json.RawMessage {
	if !b.Has(key) || b.Null(key) {
		return nil
	}
	return b.m[key].raw
}

// scalar returns a value's text when it is a string, number or boolean.
// present is false when absent or null; good is false for an object or
// array. isString tells whether it was a JSON string (or plain text).
func scalar(v value) (s string, present, good, isString bool) {
	raw := bytes.TrimSpace(v.raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", false, true, false
	}
	switch raw[0] {
	case '"':
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false, false, false
		}
		return s, true, true, true
	case '{', '[':
		return "", false, false, false
	default: // number, true, false
		return string(raw), true, true, v.text
	}
}

// String returns key as a string. Lenient mode takes numbers and booleans
// as their text; strict mode wants a JSON string.
func (b *Body) String(key string) (string, bool) {
	v := b.m[key]
	s, present, good, isString := scalar(v)
	if !good || (present && !isString && b.mode == Strict && !v.text) {
		b.Fail(key, "a string")
		return "", false
	}
	return s, present
}

// Str is String without the presence flag.
func (b *Body) Str(key string) string { s, _ := b.String(key); return s }

// StringMax is String with a length limit in characters; a longer value is
// recorded as an error and not returned.
func (b *Body) StringMax(key string, max int) (string, bool) {
	s, ok := b.String(key)
	if ok && utf8.RuneCountInString(s) > max {
		b.Fail(key, fmt.Sprintf("at most %d characters", max))
		return "", false
	}
	return s, ok
}

// Strings returns key as a list of strings: an array of scalars, or (in
// lenient mode, or from a form) a single string wrapped into a one-element
// list ("" gives an empty list).
func (b *Body) Strings(key string) ([]string, bool) {
	v := b.m[key]
	raw := bytes.TrimSpace(v.raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, false
	}
	if raw[0] != '[' {
		s, present, good, _ := scalar(v)
		if !good || !present || (b.mode == Strict && !v.text) {
			b.Fail(key, "an array of strings")
			return nil, false
		}
		if s == "" {
			return []string{}, true
		}
		return []string{s}, true
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		b.Fail(key, "an array of strings")
		return nil, false
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, present, good, isString := scalar(value{raw: it, text: v.text})
		if !good || (present && !isString && b.mode == Strict && !v.text) {
			b.Fail(key, "an array of strings")
			return nil, false
		}
		if present {
			out = append(out, s)
		}
	}
	return out, true
}

// Bool returns key as a boolean. Lenient mode (and text) also takes
// "true"/"false" and the other spellings Bool accepts.
func (b *Body) Bool(key string) (bool, bool) { return typed(b, key, "a boolean", Bool) }

// Int returns key as an integer. Lenient mode (and text) also takes
// numeric strings; a number with a fraction is an error.
func (b *Body) Int(key string) (int64, bool) { return typed(b, key, "an integer", parseInt) }

// Float returns key as a number. Lenient mode (and text) also takes
// numeric strings.
func (b *Body) Float(key string) (float64, bool) {
	return typed(b, key, "a number", func(s string) (float64, bool) {
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		return f, err == nil
	})
}

// typed reads key as a scalar and parses it: a JSON string where strict
// mode wants another type (unless the body is text), or what parse
// refuses, is recorded as not being what.
func typed[T any](b *Body, key, what string, parse func(string) (T, bool)) (T, bool) {
	var zero T
	v := b.m[key]
	s, present, good, isString := scalar(v)
	if !good || (present && isString && b.mode == Strict && !v.text) {
		b.Fail(key, what)
		return zero, false
	}
	if !present {
		return zero, false
	}
	out, valid := parse(s)
	if !valid {
		b.Fail(key, what)
		return zero, false
	}
	return out, true
}

// parseInt reads an integer, also written as a number without a fraction
// (1e3, 5.0).
func parseInt(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != float64(int64(f)) || f > 1<<62 || f < -(1<<62) {
			return 0, false
		}
		n = int64(f)
	}
	return n, true
}

// Object returns key as a nested object; its errors are reported by the
// parent's Err.
func (b *Body) Object(key string) (*Body, bool) {
	raw := bytes.TrimSpace(b.m[key].raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, false
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		b.Fail(key, "an object")
		return nil, false
	}
	return b.child(m, b.path+key+"."), true
}

// Objects returns key as a list of objects; a single object is wrapped.
func (b *Body) Objects(key string) ([]*Body, bool) {
	raw := bytes.TrimSpace(b.m[key].raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, false
	}
	if raw[0] == '{' {
		o, ok := b.Object(key)
		if !ok {
			return nil, false
		}
		return []*Body{o}, true
	}
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		b.Fail(key, "an array of objects")
		return nil, false
	}
	out := make([]*Body, len(items))
	for i, m := range items {
		out[i] = b.child(m, fmt.Sprintf("%s%s[%d].", b.path, key, i))
	}
	return out, true
}

// Entry is one element of a list that may mix objects and ids.
type Entry struct {
	Obj *Body  // the element when it is an object
	Str string // the element when it is a scalar
}

// Entries returns key as a list whose elements are objects or scalars
// (members given as {"id": …} or as bare ids); a single object or scalar
// is wrapped.
func (b *Body) Entries(key string) []Entry {
	raw := bytes.TrimSpace(b.m[key].raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	items := []json.RawMessage{raw}
	if raw[0] == '[' {
		if err := json.Unmarshal(raw, &items); err != nil {
			b.Fail(key, "an array")
			return nil
		}
	}
	out := make([]Entry, 0, len(items))
	for i, it := range items {
		it = bytes.TrimSpace(it)
		if len(it) > 0 && it[0] == '{' {
			var m map[string]json.RawMessage
			if err := json.Unmarshal(it, &m); err != nil {
				b.Fail(key, "an array of objects or ids")
				return nil
			}
			out = append(out, Entry{Obj: b.child(m, fmt.Sprintf("%s%s[%d].", b.path, key, i))})
			continue
		}
		s, present, good, _ := scalar(value{raw: it})
		if !good {
			b.Fail(key, "an array of objects or ids")
			return nil
		}
		if present {
			out = append(out, Entry{Str: s})
		}
	}
	return out
}
