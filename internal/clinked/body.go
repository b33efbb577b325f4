package clinked

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/standin-dev/standin/internal/auth"
	"github.com/standin-dev/standin/internal/httpx"
)

// readBody reads a JSON object body (an empty body or null is an empty
// object) into an httpx.Body in strict mode: a string field must be a JSON
// string, never a number or an object stored as its text. Integers and
// booleans are read leniently with intField and boolField, as Jackson
// coerces "0" and "true".
func readBody(w http.ResponseWriter, r *http.Request) (*httpx.Body, error) {
	var m map[string]json.RawMessage
	if err := httpx.DecodeJSON(w, r, &m); err != nil {
		return nil, bodyErr(err)
	}
	return httpx.NewBody(m, httpx.Strict), nil
}

// groupBody resolves {group} with need and reads the JSON body.
func (s *Service) groupBody(w http.ResponseWriter, r *http.Request, c *caller, need int64) (*groupAccess, *httpx.Body, error) {
	ga, err := s.groupFromPath(r, c, need)
	b, err := bodyAfter(w, r, err)
	return ga, b, err
}

// bodyAfter reads the JSON body once the handler's lookup succeeded:
// lookupErr, when the lookup failed, is returned as it is, so that an
// unknown resource is a 404 whatever its body.
func bodyAfter(w http.ResponseWriter, r *http.Request, lookupErr error) (*httpx.Body, error) {
	if lookupErr != nil {
		return nil, lookupErr
	}
	return readBody(w, r)
}

// bodyErr makes a body that could not be read a 400 with the parser's
// message; a body over the limit stays ErrBodyTooLarge (413).
func bodyErr(err error) error {
	if err == nil || errors.Is(err, httpx.ErrBodyTooLarge) {
		return err
	}
	return httpx.BadRequest("%s", err.Error())
}

// adminBody resolves {account} (administrators only) and reads the JSON
// body.
func (s *Service) adminBody(w http.ResponseWriter, r *http.Request, c *caller) (*account, *httpx.Body, error) {
	a, _, err := s.account(r, c, true)
	b, err := bodyAfter(w, r, err)
	return a, b, err
}

// jacksonScalar reads one JSON value as Jackson reads numbers and
// booleans: the value itself or its text in a string.
func jacksonScalar[T any](raw json.RawMessage, get func(*httpx.Body, string) (T, bool)) (T, bool) {
	one := httpx.NewBody(map[string]json.RawMessage{"v": raw}, httpx.Lenient)
	v, ok := get(one, "v")
	return v, ok && len(one.Errs()) == 0
}

// intField reads an integer; numeric strings ("0") are accepted, as
// Jackson does. ok is false when absent, null or wrong (recorded on b).
func intField(b *httpx.Body, key string) (int64, bool) {
	return jacksonField(b, key, "an integer", (*httpx.Body).Int)
}

// boolField reads a boolean ("true"/"false" strings accepted).
func boolField(b *httpx.Body, key string) (bool, bool) {
	return jacksonField(b, key, "a boolean", (*httpx.Body).Bool)
}

func jacksonField[T any](b *httpx.Body, key, want string, get func(*httpx.Body, string) (T, bool)) (T, bool) {
	raw := b.Raw(key)
	if raw == nil {
		var zero T
		return zero, false
	}
	v, ok := jacksonScalar(raw, get)
	if !ok {
		b.Fail(key, want)
	}
	return v, ok
}

// unquote is a scalar's text: a JSON string without its quotes.
func unquote(raw json.RawMessage) string {
	return strings.Trim(strings.TrimSpace(string(raw)), `"`)
}

// idsField reads an array of integer ids (numbers or numeric strings).
func idsField(b *httpx.Body, key string) ([]int64, bool) {
	raw := b.Raw(key)
	if raw == nil {
		return nil, false
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		b.Fail(key, "an array of ids")
		return nil, false
	}
	var out []int64
	for _, e := range items {
		n, err := strconv.ParseInt(unquote(e), 10, 64)
		if err != nil {
			b.Fail(key, "an array of ids")
			return nil, false
		}
		out = append(out, n)
	}
	return out, true
}

// permMap reads a {groupId: permission} map (assignGroups, groups): keys
// are group ids, values 1, 4, 8 or 16, numbers or numeric strings.
func permMap(b *httpx.Body, key string) (map[int64]int64, bool) {
	raw := b.Raw(key)
	if raw == nil {
		return nil, false
	}
	var items map[string]json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		b.Fail(key, "an object of group id to permission")
		return nil, false
	}
	out := map[int64]int64{}
	for gk, pv := range items {
		gid, err := strconv.ParseInt(strings.TrimSpace(gk), 10, 64)
		if err != nil {
			b.Fail(key, "keyed by group id")
			return nil, false
		}
		p, err := strconv.ParseInt(unquote(pv), 10, 64)
		if err != nil || !validPermission(p) {
			b.Fail(key+"."+gk, "a group permission: 1, 4, 8 or 16")
			return nil, false
		}
		out[gid] = p
	}
	return out, true
}

// permissionField reads an optional permission (1, 4, 8 or 16); def when
// absent.
func permissionField(b *httpx.Body, key string, def int64) int64 {
	if p, ok := intField(b, key); ok && validPermission(p) {
		return p
	} else if ok {
		b.Fail(key, "1, 4, 8 or 16")
	}
	return def
}

// checkPassword refuses a password that bcrypt cannot hash: a 400, not
// the 500 of bcrypt's error.
func checkPassword(b *httpx.Body, key, pw string) {
	if len(pw) > auth.MaxPasswordBytes {
		b.Fail(key, fmt.Sprintf("at most %d bytes long", auth.MaxPasswordBytes))
	}
}

// passwordError is checkPassword for a fixture's password.
func passwordError(pw string) error {
	if len(pw) > auth.MaxPasswordBytes {
		return fmt.Errorf("password must be at most %d bytes long", auth.MaxPasswordBytes)
	}
	return nil
}
