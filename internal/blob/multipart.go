package blob

import (
	"bufio"
	"errors"
	"mime"
	"mime/multipart"
	"net/http"
)

// multipartBuffer is the read buffer of MultipartReader. mime/multipart's
// own is 4 KiB, so a part yields at most 4 KiB per Read, and a 1 GiB
// upload took a quarter of a million boundary scans.
const multipartBuffer = 64 << 10

// MultipartReader is r.MultipartReader with a 64 KiB read buffer, for
// uploads streamed into Put. Like http.Request.MultipartReader it accepts
// multipart/form-data and multipart/mixed, and fails with
// http.ErrNotMultipart or http.ErrMissingBoundary.
func MultipartReader(r *http.Request) (*multipart.Reader, error) {
	v := r.Header.Get("Content-Type")
	if v == "" {
		return nil, http.ErrNotMultipart
	}
	if r.Body == nil {
		return nil, errors.New("missing form body")
	}
	d, params, err := mime.ParseMediaType(v)
	if err != nil || (d != "multipart/form-data" && d != "multipart/mixed") {
		return nil, http.ErrNotMultipart
	}
	boundary, ok := params["boundary"]
	if !ok {
		return nil, http.ErrMissingBoundary
	}
	// multipart.NewReader keeps a *bufio.Reader of at least its own size
	// as it is, so this buffer is the one it reads through.
	return multipart.NewReader(bufio.NewReaderSize(r.Body, multipartBuffer), boundary), nil
}
