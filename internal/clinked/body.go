package clinked

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/standin-dev/standin/internal/auth"
	"github.com/standin-dev/standin/internal/httpx"
)

// body is a JSON object body kept field by field, so that PATCH handlers
// can tell an absent field from a null one and report the field that has
// the wrong type.
type body map[string]json.RawMessage

// readBody decodes a JSON object body (an empty body is an empty object),
// answering 400/413 itself.
func readBody(w http.ResponseWriter, r *http.Request) (body, bool) {
	b := body{}
	if err := httpx.DecodeJSON(w, r, &b); err != nil {
		bodyError(w, r, err)
		return nil, false
	}
	if b == nil {
		b = body{}
	}
	return b, true
}

// adminBody resolves {account} (administrators only) and reads the JSON
// body, answering errors itself.
func (s *Service) adminBody(w http.ResponseWriter, r *http.Request) (*account, body, bool) {
	a, _, ok := s.account(w, r, true)
	if !ok {
		return nil, nil, false
	}
	b, ok := readBody(w, r)
	return a, b, ok
}

// has tells whether the field is present (even as null).
func (b body) has(k string) bool { _, ok := b[k]; return ok }

// isNull tells whether the field is present as null.
func (b body) isNull(k string) bool {
	v, ok := b[k]
	return ok && bytes.Equal(bytes.TrimSpace(v), []byte("null"))
}

// present tells whether the field is present and not null.
func (b body) present(k string) bool { return b.has(k) && !b.isNull(k) }

// checkPassword refuses a password that bcrypt cannot hash: a 400, not
// the 500 of bcrypt's error.
func checkPassword(pw string) error {
	if len(pw) > auth.MaxPasswordBytes {
		return &fieldError{"password", fmt.Sprintf("at most %d bytes long", auth.MaxPasswordBytes)}
	}
	return nil
}

// fieldError is a 400 naming the field.
type fieldError struct{ field, want string }

func (e *fieldError) Error() string { return fmt.Sprintf("%s must be %s", e.field, e.want) }

// str reads a string field; ok is false when absent or null.
func (b body) str(k string) (v string, ok bool, err error) {
	if !b.present(k) {
		return "", false, nil
	}
	if err := json.Unmarshal(b[k], &v); err != nil {
		return "", false, &fieldError{k, "a string"}
	}
	return v, true, nil
}

// int reads an integer field; numeric strings ("0") are accepted, as
// Jackson does.
func (b body) int(k string) (v int64, ok bool, err error) {
	if !b.present(k) {
		return 0, false, nil
	}
	raw := strings.Trim(strings.TrimSpace(string(b[k])), `"`)
	n, perr := strconv.ParseInt(raw, 10, 64)
	if perr != nil {
		f, ferr := strconv.ParseFloat(raw, 64)
		if ferr != nil || f != float64(int64(f)) {
			return 0, false, &fieldError{k, "an integer"}
		}
		n = int64(f)
	}
	return n, true, nil
}

// bool reads a boolean field ("true"/"false" strings accepted).
func (b body) bool(k string) (v bool, ok bool, err error) {
	if !b.present(k) {
		return false, false, nil
	}
	raw := strings.Trim(strings.TrimSpace(string(b[k])), `"`)
	v, good := httpx.Bool(raw)
	if !good {
		return false, false, &fieldError{k, "a boolean"}
	}
	return v, true, nil
}

// strings reads an array of strings.
func (b body) strings(k string) (v []string, ok bool, err error) {
	if !b.present(k) {
		return nil, false, nil
	}
	if err := json.Unmarshal(b[k], &v); err != nil {
		return nil, false, &fieldError{k, "an array of strings"}
	}
	if v == nil {
		v = []string{}
	}
	return v, true, nil
}

// ids reads an array of integer ids (numbers or numeric strings).
func (b body) ids(k string) (v []int64, ok bool, err error) {
	if !b.present(k) {
		return nil, false, nil
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(b[k], &raw); err != nil {
		return nil, false, &fieldError{k, "an array of ids"}
	}
	for _, e := range raw {
		n, err := strconv.ParseInt(strings.Trim(strings.TrimSpace(string(e)), `"`), 10, 64)
		if err != nil {
			return nil, false, &fieldError{k, "an array of ids"}
		}
		v = append(v, n)
	}
	return v, true, nil
}

// permMap reads a {groupId: permission} map (assignGroups, groups): keys
// are group ids, values 1, 4, 8 or 16, numbers or numeric strings.
func (b body) permMap(k string) (v map[int64]int64, ok bool, err error) {
	if !b.present(k) {
		return nil, false, nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b[k], &raw); err != nil {
		return nil, false, &fieldError{k, "an object of group id to permission"}
	}
	v = map[int64]int64{}
	for gk, pv := range raw {
		gid, err := strconv.ParseInt(strings.TrimSpace(gk), 10, 64)
		if err != nil {
			return nil, false, &fieldError{k, "keyed by group id"}
		}
		p, err := strconv.ParseInt(strings.Trim(strings.TrimSpace(string(pv)), `"`), 10, 64)
		if err != nil || !validPermission(p) {
			return nil, false, &fieldError{k + "." + gk, "a group permission: 1, 4, 8 or 16"}
		}
		v[gid] = p
	}
	return v, true, nil
}
