// Package httpx holds the HTTP helpers that every vendor shares: JSON
// responses, request parameters from query, form, multipart or JSON bodies
// with size limits, request ids, access logs and panic recovery.
package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// MaxBody is the largest request body that the parameter helpers read.
// Media uploads stream and have their own limits.
const MaxBody = 10 << 20

// WriteJSON writes v as JSON with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only a programming error gets here (an unencodable value).
		http.Error(w, `{"error":"internal encoding error"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// ErrBodyTooLarge is returned when a body exceeds MaxBody.
var ErrBodyTooLarge = errors.New("request body too large")

// ErrNotText is returned for a body or parameter holding a NUL character
// (raw or as the JSON escape \u0000) or invalid UTF-8: PostgreSQL refuses
// such text, so it must be a 400 rather than fail at the database.
var ErrNotText = errors.New("text must be UTF-8 without NUL characters")

// ReadBody reads the whole body, up to MaxBody, and puts it back so that it
// can be read again. A body holding a NUL character is refused with
// ErrNotText.
func ReadBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, ErrBodyTooLarge
		}
		return nil, fmt.Errorf("reading body: %w", err)
	}
	if bytes.IndexByte(b, 0) >= 0 || bytes.Contains(b, []byte(`\u0000`)) {
		return nil, fmt.Errorf("body: %w", ErrNotText)
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	return b, nil
}

// DecodeJSON decodes a JSON body into v. An empty body decodes to nothing
// and is not an error; callers validate required fields themselves. The
// error text is safe to show to clients.
func DecodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	b, err := ReadBody(w, r)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("malformed JSON body: %s", jsonErrText(err))
	}
	if dec.More() {
		return errors.New("malformed JSON body: trailing data")
	}
	return nil
}

func jsonErrText(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("syntax error at offset %d", se.Offset)
	case errors.As(err, &te):
		if te.Field != "" {
			return fmt.Sprintf("field %q must be %s, not %s", te.Field, te.Type, te.Value)
		}
		return fmt.Sprintf("expected %s, not %s", te.Type, te.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "unexpected end of input"
	default:
		return err.Error()
	}
}
