package httpx

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

func TestParams(t *testing.T) {
	multi := func() (string, string) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		w.WriteField("name", "from multipart")
		w.WriteField("extra", "x")
		fw, _ := w.CreateFormFile("file", "a.txt")
		fw.Write([]byte("file bytes are not params"))
		w.Close()
		return b.String(), w.FormDataContentType()
	}
	mBody, mType := multi()
	tests := []struct {
		name, query, ctype, body string
		want                     map[string]string
		wantErr                  string
	}{
		{"query only", "name=q&n=1", "", "", map[string]string{"name": "q", "n": "1"}, ""},
		{"form wins over query", "name=q&n=1", "application/x-www-form-urlencoded", "name=form", map[string]string{"name": "form", "n": "1"}, ""},
		{"JSON wins over query", "name=q", "application/json", `{"name":"json","num":5,"list":[1,2],"nil":null}`,
			map[string]string{"name": "json", "num": "5", "list": "[1,2]", "nil": ""}, ""},
		{"JSON without content type", "", "", `{"name":"sniffed"}`, map[string]string{"name": "sniffed"}, ""},
		{"multipart", "name=q", mType, mBody, map[string]string{"name": "from multipart", "extra": "x", "file": ""}, ""},
		{"empty JSON body", "name=q", "application/json", "  ", map[string]string{"name": "q"}, ""},
		{"malformed JSON", "", "application/json", `{"name":`, nil, "malformed JSON body"},
		{"JSON array", "", "application/json", `[1,2]`, nil, "malformed JSON body"},
		{"broken multipart", "", "multipart/form-data; boundary=x", "garbage", nil, "malformed multipart body"},
		{"bad percent in query keeps the rest", "a=%zz&b=2", "", "", map[string]string{"b": "2"}, ""},
		{"NUL in query", "a=x%00y", "", "", nil, "must be UTF-8 without NUL"},
		{"invalid UTF-8 in form", "", "application/x-www-form-urlencoded", "a=%ff", nil, "must be UTF-8 without NUL"},
		{"NUL escape in JSON", "", "application/json", `{"a":"x\u0000"}`, nil, "must be UTF-8 without NUL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/x?"+tt.query, strings.NewReader(tt.body))
			if tt.ctype != "" {
				r.Header.Set("Content-Type", tt.ctype)
			}
			got, err := Params(httptest.NewRecorder(), r)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.want {
				if got.Get(k) != v {
					t.Errorf("%s = %q, want %q", k, got.Get(k), v)
				}
			}
		})
	}
}

func TestBodyLimit(t *testing.T) {
	big := strings.Repeat("a", MaxBody+1)
	for _, ct := range []string{"application/json", "application/x-www-form-urlencoded", ""} {
		r := httptest.NewRequest("POST", "/", strings.NewReader(big))
		r.Header.Set("Content-Type", ct)
		if _, err := Params(httptest.NewRecorder(), r); !errors.Is(err, ErrBodyTooLarge) {
			t.Errorf("%q: err %v, want ErrBodyTooLarge", ct, err)
		}
	}
}

func TestRecoverAndLog(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	h := Log(log, "test", Recover(log, func(w http.ResponseWriter, r *http.Request, status int, msg string) {
		WriteJSON(w, status, map[string]any{"vendorError": msg})
	}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("boom")
	})))
	rec := httptest.NewRecorder()
	r := httptest.NewRequest("GET", "/explode?token=secret", nil)
	r.Header.Set("X-Request-Id", "req-1")
	h.ServeHTTP(rec, r)
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), `"vendorError"`) {
		t.Fatalf("panic answered %d %s", rec.Code, rec.Body.String())
	}
	if rec.Header().Get("X-Request-Id") != "req-1" {
		t.Errorf("request id not echoed")
	}
	out := logs.String()
	for _, want := range []string{`"panic":"boom"`, `"request_id":"req-1"`, `"status":500`, `"path":"/explode"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "secret") {
		t.Errorf("log shows the query string:\n%s", out)
	}
}

func TestDecodeJSON(t *testing.T) {
	var v struct {
		N int `json:"n"`
	}
	tests := []struct {
		body, wantErr string
	}{
		{`{"n": 3}`, ""},
		{``, ""},
		{`{"n": "three"}`, `field "n" must be int`},
		{`{"n": 3} {}`, "trailing data"},
		{`{"n":`, "unexpected end of input"},
		{`{"s": "\u0000"}`, "without NUL"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("POST", "/", strings.NewReader(tt.body))
		err := DecodeJSON(httptest.NewRecorder(), r, &v)
		if (tt.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("%q: err %v, want %q", tt.body, err, tt.wantErr)
		}
	}
}

func TestAsErrorMapsRacesAndCutBodies(t *testing.T) {
	tests := []struct {
		err    error
		status int
	}{
		{fmt.Errorf("scan user: %w", sql.ErrNoRows), http.StatusNotFound},
		{fmt.Errorf("blob: read: %w", io.ErrUnexpectedEOF), http.StatusBadRequest},
		{fmt.Errorf("read body: %w", os.ErrDeadlineExceeded), http.StatusRequestTimeout},
		{errors.New("disk on fire"), 0},
	}
	for _, tt := range tests {
		got := 0
		if e := AsError(tt.err); e != nil {
			got = e.Status
		}
		if got != tt.status {
			t.Errorf("AsError(%v) = %d, want %d", tt.err, got, tt.status)
		}
	}
}
