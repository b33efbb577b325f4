package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/standin-dev/standin/internal/testenv"
)

// closedByServer tells whether the server closed conn: a read ends with
// EOF (or a reset) instead of the client's own generous deadline.
func closedByServer(t *testing.T, conn net.Conn, r *bufio.Reader) bool {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	for {
		_, err := r.ReadByte()
		if err == nil {
			continue // an error answer (408) may come before the close
		}
		return !errors.Is(err, os.ErrDeadlineExceeded)
	}
}

// TestIdleAndStalledConnectionsAreClosed: an idle keep-alive connection
// and a request whose body stalls are closed by the server's idle and read
// timeouts, on the console and the vendor ports alike.
func TestIdleAndStalledConnectionsAreClosed(t *testing.T) {
	srv, cancel, done, _ := startInProcess(t, testenv.DSN(t), "--read-timeout", "300ms", "--idle-timeout", "300ms")
	defer func() { cancel(); <-done }()
	for _, port := range []string{"console", "klipfolio"} {
		u, _ := url.Parse(srv.urls[port])
		// Idle: one request, then nothing.
		conn, err := net.Dial("tcp", u.Host)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "GET /_standin/health HTTP/1.1\r\nHost: %s\r\n\r\n", u.Host)
		r := bufio.NewReader(conn)
		res, err := http.ReadResponse(r, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if !closedByServer(t, conn, r) {
			t.Errorf("%s: an idle keep-alive connection stayed open", port)
		}
		conn.Close()

		// Stalled: a body that promises 1000 bytes and sends 10.
		conn, err = net.Dial("tcp", u.Host)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "POST /api/1/groups HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"name\":\"", u.Host)
		if !closedByServer(t, conn, bufio.NewReader(conn)) {
			t.Errorf("%s: a connection whose body stalled stayed open", port)
		}
		conn.Close()
	}
}

// TestSlowBodyThatKeepsFlowingOutlivesTheReadTimeout: a body that takes
// several read timeouts to arrive, but never stalls for one, is taken
// whole, as a large upload is.
func TestSlowBodyThatKeepsFlowingOutlivesTheReadTimeout(t *testing.T) {
	srv, cancel, done, _ := startInProcess(t, testenv.DSN(t), "--read-timeout", "400ms")
	defer func() { cancel(); <-done }()
	body := testenv.KlipfolioGroups(20, "slow-%d", "Slow %d", "x")
	pr, pw := io.Pipe()
	go func() {
		// 20 pieces, 60 ms apart: 1.2 s in all, three read timeouts.
		step := len(body)/20 + 1
		for i := 0; i < len(body); i += step {
			time.Sleep(60 * time.Millisecond)
			if _, err := pw.Write([]byte(body[i:min(i+step, len(body))])); err != nil {
				return
			}
		}
		pw.Close()
	}()
	req, _ := http.NewRequest("POST", srv.urls["console"]+"/_standin/namespaces/default/seed", pr)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("slow upload: %v", err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("slow upload: %d %s", res.StatusCode, b)
	}
}

func TestAdvertisedURL(t *testing.T) {
	addr := func(s string) net.Addr {
		a, err := net.ResolveTCPAddr("tcp", s)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	pub, _ := url.Parse("https://standin.example")
	tests := []struct {
		cfg  config
		addr string
		want func(string) bool
	}{
		{config{}, "127.0.0.1:8701", func(u string) bool { return u == "http://127.0.0.1:8701" }},
		{config{publicURL: pub}, "0.0.0.0:8702", func(u string) bool { return u == "https://standin.example:8702" }},
		{config{}, "[::]:8703", func(u string) bool {
			return strings.HasPrefix(u, "http://") && strings.HasSuffix(u, ":8703") && !strings.Contains(u, "[::]") && !strings.Contains(u, "0.0.0.0")
		}},
		{config{}, "0.0.0.0:8704", func(u string) bool { return !strings.Contains(u, "0.0.0.0") && strings.HasSuffix(u, ":8704") }},
	}
	for _, tt := range tests {
		if got := tt.cfg.advertisedURL(addr(tt.addr)); !tt.want(got) {
			t.Errorf("listening on %s with public URL %v: advertised %q", tt.addr, tt.cfg.publicURL, got)
		}
	}
}

// TestStalledUploadIsCutOff: a WorkDrive media upload that stops sending
// mid-file is cut at the read timeout with S3's 400, and nothing is kept.
func TestStalledUploadIsCutOff(t *testing.T) {
	srv, cancel, done, _ := startInProcess(t, testenv.DSN(t), "--read-timeout", "300ms")
	defer func() { cancel(); <-done }()
	_, body := do(t, "GET", srv.urls["console"]+"/_standin/namespaces/default", "", "")
	var info struct {
		Vendors struct {
			WorkDrive struct {
				APIKey string `json:"api_key"`
			} `json:"workdrive"`
		} `json:"vendors"`
	}
	if err := json.Unmarshal([]byte(body), &info); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", srv.urls["workdrive"]+"/api/media?mime=image/png&name=a.png&moduleCode=1", nil)
	req.Header.Set("X-Api-Key", info.Vendors.WorkDrive.APIKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var tk testenv.MediaTicket
	err = json.NewDecoder(res.Body).Decode(&tk)
	res.Body.Close()
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("ticket: %d %v", res.StatusCode, err)
	}
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	part, _ := tk.WriteForm(mw)
	_, _ = part.Write(bytes.Repeat([]byte("x"), 4096))
	u, _ := url.Parse(tk.SignedRequest.URL)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Promise a megabyte, send the first 4 KiB of the file, then stall.
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n",
		u.RequestURI(), u.Host, mw.FormDataContentType(), form.Len()+1<<20)
	_, _ = conn.Write(form.Bytes())
	_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second)) // bounds a hang only
	answer, _ := io.ReadAll(conn)
	if !strings.HasPrefix(string(answer), "HTTP/1.1 400") || !strings.Contains(string(answer), "IncompleteBody") {
		t.Errorf("stalled upload answered: %.300s", answer)
	}
	if status, _ := do(t, "GET", tk.URL, "", ""); status != 404 {
		t.Errorf("the stalled upload is served: %d", status)
	}
}
