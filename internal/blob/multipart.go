package blob

import (
	"bufio"
	"errors"
	"mime"
	"mime/multipart"
	"net/http"
)

// multipartBuffer is how much MultipartReader reads from the body at a
// time. mime/multipart reads through a 4 KiB buffer of its own, so a 1 GiB
// upload took a quarter of a million reads (and syscalls) of the body.
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
	// multipart's own 4 KiB buffer still yields a part 4 KiB per Read,
	// but refills from this one, without a syscall each time.
	return multipart.NewReader(bufio.NewReaderSize(r.Body, multipartBuffer), boundary), nil
}
