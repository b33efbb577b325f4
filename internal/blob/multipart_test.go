package blob_test

import (
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/standin-dev/standin/internal/blob"
)

func TestMultipartReader(t *testing.T) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, _ := mw.CreateFormFile("file", "f.bin")
	content := bytes.Repeat([]byte("0123456789abcdef"), 16<<10) // 256 KiB
	_, _ = part.Write(content)
	_ = mw.Close()

	src := &countingReader{r: bytes.NewReader(body.Bytes())}
	r := httptest.NewRequest("POST", "/", src)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	mr, err := blob.MultipartReader(r)
	if err != nil {
		t.Fatal(err)
	}
	p, err := mr.NextPart()
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(p)
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("part: %d bytes, %v; want the %d written", len(got), err, len(content))
	}
	// The point of the bigger buffer: the body is read 64 KiB at a time,
	// not 4 KiB (64 reads for this part).
	if src.reads > 8 {
		t.Errorf("%d reads of the body for a 256 KiB part, want at most 8", src.reads)
	}

	for _, tc := range []struct {
		ctype string
		want  error
	}{
		{"", http.ErrNotMultipart},
		{"application/json", http.ErrNotMultipart},
		{"multipart/form-data", http.ErrMissingBoundary},
	} {
		r := httptest.NewRequest("POST", "/", bytes.NewReader(nil))
		if tc.ctype != "" {
			r.Header.Set("Content-Type", tc.ctype)
		}
		if _, err := blob.MultipartReader(r); !errors.Is(err, tc.want) {
			t.Errorf("Content-Type %q: err = %v, want %v", tc.ctype, err, tc.want)
		}
	}
}

type countingReader struct {
	r     io.Reader
	reads int
}

func (c *countingReader) Read(p []byte) (int, error) {
	c.reads++
	return c.r.Read(p)
}
