package httpx

import (
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestBodyModes(t *testing.T) {
	tests := []struct {
		name, query, ctype, body string
		mode                     Mode
		read                     func(b *Body) any
		want                     any
		wantErr                  string
	}{
		{"strict string", "", "application/json", `{"name":"x"}`, Strict, func(b *Body) any { return b.Str("name") }, "x", ""},
		{"strict number is not a string", "", "application/json", `{"name":123}`, Strict, func(b *Body) any { return b.Str("name") }, "", "name must be a string"},
		{"lenient number is a string", "", "application/json", `{"name":123}`, Lenient, func(b *Body) any { return b.Str("name") }, "123", ""},
		{"array is never a string", "", "application/json", `{"name":["a"]}`, Lenient, func(b *Body) any { return b.Str("name") }, "", "name must be a string"},
		{"strict int from a string", "", "application/json", `{"n":"5"}`, Strict, func(b *Body) any { n, _ := b.Int("n"); return n }, int64(0), "n must be an integer"},
		{"lenient int from a string", "", "application/json", `{"n":"5"}`, Lenient, func(b *Body) any { n, _ := b.Int("n"); return n }, int64(5), ""},
		{"query text coerces in strict mode", "n=7", "", "", Strict, func(b *Body) any { n, _ := b.Int("n"); return n }, int64(7), ""},
		{"form text coerces in strict mode", "", "application/x-www-form-urlencoded", "ok=true", Strict, func(b *Body) any { v, _ := b.Bool("ok"); return v }, true, ""},
		{"body wins over query", "name=q", "application/json", `{"name":"body"}`, Strict, func(b *Body) any { return b.Str("name") }, "body", ""},
		{"length limit", "", "application/json", `{"name":"` + strings.Repeat("é", 6) + `"}`, Strict, func(b *Body) any { s, _ := b.StringMax("name", 5); return s }, "", "name must be at most 5 characters"},
		{"nested object errors are the parent's", "", "application/json", `{"kb":{"n":"x"}}`, Lenient, func(b *Body) any { o, _ := b.Object("kb"); n, _ := o.Int("n"); return n }, int64(0), "kb.n must be an integer"},
		{"strict strings list", "", "application/json", `{"tags":["a",1]}`, Strict, func(b *Body) any { v, _ := b.Strings("tags"); return len(v) }, 0, "tags must be an array of strings"},
		{"lenient single string list", "", "application/json", `{"tags":"a"}`, Lenient, func(b *Body) any { v, _ := b.Strings("tags"); return len(v) }, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/x?"+tt.query, strings.NewReader(tt.body))
			if tt.ctype != "" {
				r.Header.Set("Content-Type", tt.ctype)
			}
			b, err := ReadParams(httptest.NewRecorder(), r, tt.mode)
			if err != nil {
				t.Fatal(err)
			}
			if got := tt.read(b); got != tt.want {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
			err = b.Err()
			if (tt.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("Err() = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestBodyErrListsEveryError(t *testing.T) {
	b := NewBody(nil, Strict)
	b.Fail("a", "an integer")
	b.Fail("b", "a string")
	var e *Error
	if err := b.Err(); !errors.As(err, &e) || e.Status != 400 || e.Message != "a must be an integer; b must be a string" {
		t.Fatalf("Err() = %#v", err)
	}
}

func TestMalformedBodies(t *testing.T) {
	for _, body := range []string{`{"a":`, `[1]`, `"x"`, `null`} {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		_, err := ReadRequestBody(httptest.NewRecorder(), r, Strict)
		if e := AsError(err); e == nil || e.Status != http.StatusBadRequest {
			t.Errorf("%s: err %v, want a 400", body, err)
		}
	}
}

func TestHandlerMapsErrors(t *testing.T) {
	env := func(w http.ResponseWriter, r *http.Request, e *Error) {
		WriteJSON(w, e.Status, map[string]string{"m": e.Message, "c": e.Code})
	}
	tests := []struct {
		err    error
		status int
		body   string
	}{
		{NotFound("no %s", "thing"), 404, `"m":"no thing"`},
		{Conflict("dup").WithCode("conflict"), 409, `"c":"conflict"`},
		{ErrBodyTooLarge, 413, `"m":"request body too large"`},
		{errors.New("db exploded"), 500, `"m":"Internal server error"`},
	}
	for _, tt := range tests {
		h := Handler(discardLog(), env, func(w http.ResponseWriter, r *http.Request) error { return tt.err })
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.body) {
			t.Errorf("%v: %d %s", tt.err, rec.Code, rec.Body.String())
		}
		if strings.Contains(rec.Body.String(), "exploded") {
			t.Errorf("internal error text leaked: %s", rec.Body.String())
		}
	}
}

func discardLog() *slog.Logger { return slog.New(slog.DiscardHandler) }
