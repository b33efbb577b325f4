package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Params gathers a request's parameters from the query string and from the
// body, whatever its encoding: form, multipart or a JSON object. Where both
// carry a parameter, the body wins. JSON values that are not strings are
// kept in their JSON text (numbers as written, arrays and objects as JSON).
// Uploaded files in a multipart body are ignored here.
func Params(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	out := url.Values{}
	// Keep what parses; a stray '%' in one value must not hide the rest.
	q, _ := url.ParseQuery(r.URL.RawQuery)
	for k, v := range q {
		out[k] = v
	}
	body, err := BodyParams(w, r)
	if err != nil {
		return nil, err
	}
	for k, v := range body {
		out[k] = v
	}
	if name, bad := BadTextParam(out); bad {
		return nil, fmt.Errorf("parameter %q: %w", name, ErrNotText)
	}
	return out, nil
}

// BodyParams returns the parameters carried by the body alone.
func BodyParams(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	out := url.Values{}
	if r.Body == nil || r.Body == http.NoBody {
		return out, nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case ct == "multipart/form-data":
		r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
		if err := r.ParseMultipartForm(MaxBody); err != nil {
			return nil, bodyErr(err, "malformed multipart body")
		}
		for k, v := range r.MultipartForm.Value {
			out[k] = v
		}
		return out, nil
	case ct == "application/x-www-form-urlencoded":
		b, err := ReadBody(w, r)
		if err != nil {
			return nil, err
		}
		v, err := url.ParseQuery(string(b))
		if err != nil {
			return nil, errors.New("malformed form body")
		}
		return v, nil
	default:
		b, err := ReadBody(w, r)
		if err != nil {
			return nil, err
		}
		b = bytes.TrimSpace(b)
		if len(b) == 0 {
			return out, nil
		}
		if ct == "application/json" || strings.HasSuffix(ct, "+json") || b[0] == '{' {
			return jsonParams(b)
		}
		// An unlabelled body that is not JSON: read it as a form, as PHP does.
		v, err := url.ParseQuery(string(b))
		if err != nil {
			return nil, errors.New("malformed body")
		}
		return v, nil
	}
}

func bodyErr(err error, msg string) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return ErrBodyTooLarge
	}
	return errors.New(msg)
}

func jsonParams(b []byte) (url.Values, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("malformed JSON body: %s", jsonErrText(err))
	}
	out := url.Values{}
	for k, raw := range m {
		var s string
		switch {
		case json.Unmarshal(raw, &s) == nil:
			out.Set(k, s)
		case string(raw) == "null":
			// An explicit null is the same as leaving the parameter out.
		default:
			out.Set(k, string(raw))
		}
	}
	return out, nil
}

// Bool reads a boolean parameter the way clients spell it: true/1/yes/on
// and false/0/no/off, in any case. ok is false when s is none of these.
func Bool(s string) (v, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "yes", "on":
		return true, true
	case "false", "0", "no", "off":
		return false, true
	}
	return false, false
}

// Int64 parses an integer parameter, tolerating surrounding spaces.
func Int64(s string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return n, err == nil
}
