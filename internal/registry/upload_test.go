package registry_test

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/testenv"
)

// TestTruncatedUploadIsRefused: a presigned WorkDrive media upload whose
// body ends before the file is whole gets S3's 400 IncompleteBody, and
// nothing is stored, not even an invisible partial blob. Two ways to end
// early: a multipart body cut before its closing boundary but sent with an
// honest Content-Length, and a body shorter than its Content-Length.
func TestTruncatedUploadIsRefused(t *testing.T) {
	env := testenv.Start(t, registry.All)
	ns := env.NewNamespace(t, "empty")
	file := make([]byte, 3<<20)
	if _, err := rand.Read(file); err != nil {
		t.Fatal(err)
	}
	for _, how := range []string{"cut before the closing boundary", "shorter than Content-Length"} {
		t.Run(how, func(t *testing.T) {
			res := env.Do(t, "GET", ns.BaseURL("workdrive")+"/api/media?mime=image/png&name=a.png&moduleCode=1", nil, vendorAuth(ns, "workdrive"))
			var tk testenv.MediaTicket
			if res.StatusCode != 200 || json.Unmarshal(res.Body, &tk) != nil {
				t.Fatalf("ticket: %d %s", res.StatusCode, res.Body)
			}
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			part, err := tk.WriteForm(mw)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = part.Write(file)
			_ = mw.Close()
			whole := body.Bytes()
			cut := whole[:len(whole)-len(file)+1024] // 1 KiB of the file, no closing boundary

			u, _ := url.Parse(tk.SignedRequest.URL)
			conn, err := net.Dial("tcp", u.Host)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			length := len(cut)
			if how == "shorter than Content-Length" {
				length = len(whole)
			}
			fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n",
				u.RequestURI(), u.Host, mw.FormDataContentType(), length)
			_, _ = conn.Write(cut)
			if how == "shorter than Content-Length" {
				_ = conn.(*net.TCPConn).CloseWrite()
			}
			_ = conn.SetReadDeadline(time.Now().Add(time.Minute)) // bounds a hang, never reached when the server answers
			answer, _ := io.ReadAll(conn)
			if how == "cut before the closing boundary" {
				if !strings.HasPrefix(string(answer), "HTTP/1.1 400") || !strings.Contains(string(answer), "IncompleteBody") {
					t.Errorf("answer: %.300s", answer)
				}
			} else if strings.HasPrefix(string(answer), "HTTP/1.1 2") {
				t.Errorf("answer: %.300s", answer)
			}
			if res := env.Do(t, "GET", tk.URL, nil, nil); res.StatusCode != 404 {
				t.Errorf("the truncated file is served: %d, %d bytes", res.StatusCode, len(res.Body))
			}
			var n int
			if err := env.DB.QueryRow(`SELECT count(*) FROM standin_blobs WHERE ns = $1`, ns.ID).Scan(&n); err != nil || n != 0 {
				t.Errorf("%d blob versions stored (%v), want none", n, err)
			}
		})
	}
}
