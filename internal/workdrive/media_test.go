package workdrive_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/standin-dev/standin/internal/testenv"
	"github.com/standin-dev/standin/internal/workdrive"
)

func requestUpload(t testing.TB, c *client, mime, name string) testenv.MediaTicket {
	t.Helper()
	var tk testenv.MediaTicket
	c.must(200, "GET", "/api/media?mime="+mime+"&name="+name+"&moduleCode=1", nil, &tk)
	return tk
}

// postForm sends the S3-style multipart POST: the fields, then the file
// part, streamed from content through a pipe (so a large upload is never
// in the test's memory either).
func postForm(t testing.TB, url string, fields map[string]string, contentType string, content io.Reader) *http.Response {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		// The doc's order: Key first, the file last.
		if v, ok := fields["Key"]; ok {
			_ = mw.WriteField("Key", v)
		}
		for k, v := range fields {
			if k != "Key" {
				_ = mw.WriteField(k, v)
			}
		}
		h := make(map[string][]string)
		h["Content-Disposition"] = []string{`form-data; name="file"; filename="upload.bin"`}
		h["Content-Type"] = []string{contentType}
		part, err := mw.CreatePart(h)
		if err == nil {
			_, err = io.Copy(part, content)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequest("POST", url, pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	return res
}

func TestMediaUploadRoundTrip(t *testing.T) {
	env, ns, admin := adminClient(t, "docs")
	tk := requestUpload(t, admin, "video/mp4", "Countdown%20intro.mp4")
	f := tk.SignedRequest.Fields
	for _, k := range []string{"Key", "Content-Type", "ACL", "bucket", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "Policy", "X-Amz-Signature"} {
		if f[k] == "" {
			t.Errorf("fields lack %s: %v", k, f)
		}
	}
	if !strings.HasPrefix(tk.SignedRequest.URL, ns.BaseURL("workdrive")) || tk.URL != tk.SignedRequest.URL+"/"+f["Key"] {
		t.Fatalf("signedRequest.url %s, url %s: want standin's bucket and bucket/Key", tk.SignedRequest.URL, tk.URL)
	}
	var policy struct {
		Expiration string `json:"expiration"`
		Conditions []any  `json:"conditions"`
	}
	raw, _ := base64.StdEncoding.DecodeString(f["Policy"])
	if err := json.Unmarshal(raw, &policy); err != nil || policy.Expiration == "" || len(policy.Conditions) < 4 {
		t.Fatalf("policy %s: %v", raw, err)
	}

	// The file can be referenced before its bytes arrive.
	var chat struct {
		ID    string `json:"id"`
		Image struct {
			ID   string `json:"id"`
			Size int    `json:"size"`
			URL  string `json:"url"`
		} `json:"image"`
	}
	admin.must(201, "POST", "/api/group-chats", map[string]any{"title": "Videos", "fileId": tk.FileID}, &chat)
	if chat.Image.ID != tk.FileID || chat.Image.Size != 0 {
		t.Fatalf("image before the upload: %+v", chat.Image)
	}
	if res := env.Do(t, "GET", tk.URL, nil, nil); res.StatusCode != 404 {
		t.Errorf("download before the upload: %d, want 404", res.StatusCode)
	}

	want := testenv.RandomBytes(3<<20 + 12345)
	res := postForm(t, tk.SignedRequest.URL, f, "video/mp4", bytes.NewReader(want))
	res.Body.Close()
	if res.StatusCode != http.StatusNoContent {
		t.Fatalf("upload: status %d, want 204", res.StatusCode)
	}

	got := env.Do(t, "GET", tk.URL, nil, nil)
	if got.StatusCode != 200 || !bytes.Equal(got.Body, want) {
		t.Fatalf("download: status %d, %d bytes, equal=%v", got.StatusCode, len(got.Body), bytes.Equal(got.Body, want))
	}
	if ct := got.Header.Get("Content-Type"); ct != "video/mp4" {
		t.Errorf("Content-Type %q, want video/mp4", ct)
	}
	part := env.Do(t, "GET", tk.URL, nil, http.Header{"Range": {"bytes=1048570-1048580"}})
	if part.StatusCode != http.StatusPartialContent || !bytes.Equal(part.Body, want[1048570:1048581]) {
		t.Errorf("range across a chunk boundary: %d %x", part.StatusCode, part.Body)
	}

	// The File object now has its size, wherever it is used.
	admin.must(200, "PATCH", "/api/group-chats/"+chat.ID, map[string]any{}, &chat)
	if chat.Image.Size != len(want) || chat.Image.URL != tk.URL {
		t.Errorf("image after the upload: %+v", chat.Image)
	}
	var msg struct {
		Files struct {
			Files []struct {
				Size    int  `json:"size"`
				IsVideo bool `json:"isVideo"`
			} `json:"files"`
		} `json:"files"`
	}
	admin.must(201, "POST", "/api/"+chat.ID+"/messages", map[string]any{"fileId": []string{tk.FileID}}, &msg)
	if len(msg.Files.Files) != 1 || msg.Files.Files[0].Size != len(want) || !msg.Files.Files[0].IsVideo {
		t.Errorf("message attachment: %+v", msg.Files)
	}

	// Another organization cannot reference the file.
	other := collabOtherOrg(t, env, ns, admin)
	other.must(400, "POST", "/api/group-chats", map[string]any{"title": "Stolen", "fileId": tk.FileID}, nil)

	// Another standin process on the same database serves the same bytes.
	env2 := testenv.StartOn(t, env.DB, testenv.Only(workdrive.New))
	url2 := strings.Replace(tk.URL, env.URLs["workdrive"], env2.URLs["workdrive"], 1)
	if again := env2.Do(t, "GET", url2, nil, nil); again.StatusCode != 200 || !bytes.Equal(again.Body, want) {
		t.Errorf("download from a second process: %d, %d bytes", again.StatusCode, len(again.Body))
	}

	// Uploading again replaces the content; S3's success_action_status=201
	// answers with XML.
	f2 := map[string]string{"success_action_status": "201"}
	for k, v := range f {
		f2[k] = v
	}
	res = postForm(t, tk.SignedRequest.URL, f2, "video/mp4", strings.NewReader("short"))
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 201 || !strings.Contains(string(body), "<Key>"+f["Key"]+"</Key>") {
		t.Fatalf("re-upload with success_action_status=201: %d %s", res.StatusCode, body)
	}
	if got := env.Do(t, "GET", tk.URL, nil, nil); string(got.Body) != "short" {
		t.Errorf("after the re-upload: %q", got.Body)
	}

	// Reset deletes the blobs with the namespace's data.
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/reset", nil, nil).Decode(t, 200, nil)
	if res := env.Do(t, "GET", tk.URL, nil, nil); res.StatusCode != 404 {
		t.Errorf("download after reset: %d, want 404", res.StatusCode)
	}
	var n int
	if err := env.DB.QueryRow(`SELECT count(*) FROM standin_blob_chunks WHERE ns = $1 AND blob_id IN
		(SELECT id FROM standin_blobs WHERE ns = $1 AND name = $2)`, ns.ID, f["Key"]).Scan(&n); err != nil || n != 0 {
		t.Errorf("chunks left after reset: %d (%v)", n, err)
	}
}

func TestMediaUploadRefused(t *testing.T) {
	env, ns, admin := adminClient(t, "empty")
	other := env.NewNamespace(t, "empty")

	tamper := func(f map[string]string) {
		raw, _ := base64.StdEncoding.DecodeString(f["Policy"])
		raw = bytes.Replace(raw, []byte(`"content-length-range",0,`), []byte(`"content-length-range",0,9`), 1)
		f["Policy"] = base64.StdEncoding.EncodeToString(raw)
	}
	tests := []struct {
		name        string
		mime        string
		edit        func(f map[string]string)
		contentType string
		size        int
		setup       func() // before the ticket
		before      func() // after the ticket
		url         func(tk testenv.MediaTicket) string
		status      int
		code        string
	}{
		{name: "tampered policy", edit: tamper, status: 403, code: "AccessDenied"},
		{name: "forged signature", edit: func(f map[string]string) { f["X-Amz-Signature"] = strings.Repeat("0", 64) }, status: 403, code: "AccessDenied"},
		{name: "other key", edit: func(f map[string]string) { f["Key"] += ".exe" }, status: 403, code: "AccessDenied"},
		{name: "wrong content type", edit: func(f map[string]string) { f["Content-Type"] = "text/html" }, contentType: "text/html", status: 403, code: "AccessDenied"},
		{name: "expired policy", before: func() { env.Clock.Advance(2 * time.Hour) }, status: 403, code: "AccessDenied"},
		{name: "other namespace", url: func(tk testenv.MediaTicket) string {
			return strings.Replace(tk.SignedRequest.URL, ns.BaseURL("workdrive"), other.BaseURL("workdrive"), 1)
		}, status: 403, code: "AccessDenied"},
		{name: "missing policy", edit: func(f map[string]string) { delete(f, "Policy") }, status: 400, code: "InvalidArgument"},
		{name: "oversize", size: 5000, setup: func() {
			env.Do(t, "PUT", env.Control+"/_standin/namespaces/"+ns.ID+"/settings/workdrive", map[string]any{"max_upload_bytes": 4096}, nil)
		}, status: 400, code: "EntityTooLarge"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.setup != nil {
				tt.setup()
			}
			tk := requestUpload(t, admin, "image/png", "pic.png")
			if tt.before != nil {
				tt.before()
			}
			fields := map[string]string{}
			for k, v := range tk.SignedRequest.Fields {
				fields[k] = v
			}
			if tt.edit != nil {
				tt.edit(fields)
			}
			ct, size, url := "image/png", 1000, tk.SignedRequest.URL
			if tt.contentType != "" {
				ct = tt.contentType
			}
			if tt.size != 0 {
				size = tt.size
			}
			if tt.url != nil {
				url = tt.url(tk)
			}
			res := postForm(t, url, fields, ct, bytes.NewReader(testenv.RandomBytes(size)))
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != tt.status || !strings.Contains(string(body), "<Code>"+tt.code+"</Code>") {
				t.Fatalf("status %d %s, want %d %s", res.StatusCode, body, tt.status, tt.code)
			}
			if got := env.Do(t, "GET", tk.URL, nil, nil); got.StatusCode != 404 {
				t.Errorf("refused upload is downloadable: %d", got.StatusCode)
			}
		})
	}

	// Not multipart, no file.
	tk := requestUpload(t, admin, "image/png", "pic.png")
	if res := env.Do(t, "POST", tk.SignedRequest.URL, "plain", nil); res.StatusCode != 400 {
		t.Errorf("non-multipart upload: %d", res.StatusCode)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range tk.SignedRequest.Fields {
		_ = mw.WriteField(k, v)
	}
	mw.Close()
	if res := env.Do(t, "POST", tk.SignedRequest.URL, buf.Bytes(), http.Header{"Content-Type": {mw.FormDataContentType()}}); res.StatusCode != 400 ||
		!strings.Contains(string(res.Body), "InvalidArgument") {
		t.Errorf("upload without a file: %d %s", res.StatusCode, res.Body)
	}
}

func TestMediaRequestValidation(t *testing.T) {
	env, ns, admin := adminClient(t, "empty")
	for _, q := range []string{
		"name=a.png&moduleCode=1",                               // no mime
		"mime=application/x-msdownload&name=a.exe&moduleCode=1", // not an accepted type
		"mime=image/png&moduleCode=1",                           // no name
		"mime=image/png&name=a.png",                             // no moduleCode
		"mime=image/png&name=a.png&moduleCode=999",              // unknown module
		"mime=image/png&name=a.png&moduleCode=one",
	} {
		res := admin.do("GET", "/api/media?"+q, nil)
		if m := res.JSON(t); res.StatusCode != 400 || m["error"] != "Bad Request" {
			t.Errorf("GET /api/media?%s: %d %s, want a NestJS 400", q, res.StatusCode, res.Body)
		}
	}
	admin.as("").must(401, "GET", "/api/media?mime=image/png&name=a.png&moduleCode=1", nil, nil)
	// The doc shows the parameters as a JSON block: a body works too.
	var tk testenv.MediaTicket
	admin.must(200, "GET", "/api/media", map[string]any{"mime": "application/pdf", "name": "Handbook.PDF", "moduleCode": 6}, &tk)
	if !strings.HasSuffix(tk.SignedRequest.Fields["Key"], ".pdf") || tk.SignedRequest.Fields["Content-Type"] != "application/pdf" {
		t.Errorf("ticket for a PDF: %+v", tk.SignedRequest.Fields)
	}
	if res := env.Do(t, "GET", ns.BaseURL("workdrive")+"/media/o-x/nothing.png", nil, nil); res.StatusCode != 404 ||
		!strings.Contains(string(res.Body), "NoSuchKey") {
		t.Errorf("unknown key: %d %s", res.StatusCode, res.Body)
	}
}

// TestSeededFilesDownload: the seeds give their image and PDF files bytes.
func TestSeededFilesDownload(t *testing.T) {
	env, _, admin := adminClient(t, "docs")
	var list struct {
		Conversations []struct {
			Image struct {
				URL  string `json:"url"`
				Mime string `json:"mime"`
				Size int    `json:"size"`
			} `json:"image"`
		} `json:"conversations"`
	}
	admin.must(200, "GET", "/api/group-chats?group_type=CHAT_GROUP", nil, &list)
	if len(list.Conversations) == 0 || list.Conversations[0].Image.URL == "" {
		t.Fatalf("no seeded chat with a cover: %+v", list)
	}
	img := list.Conversations[0].Image
	res := env.Do(t, "GET", img.URL, nil, nil)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || len(res.Body) != img.Size ||
		!bytes.HasPrefix(res.Body, []byte("\x89PNG")) {
		t.Errorf("seeded cover: %d %s, %d bytes (size %d)", res.StatusCode, res.Header.Get("Content-Type"), len(res.Body), img.Size)
	}
}

// BenchmarkMediaUploadDownload uploads a 64 MiB file through the presigned
// POST and downloads it again, over HTTP, and reports each direction's
// throughput and the peak Go heap in use while it ran (the whole process:
// server and client).
func BenchmarkMediaUploadDownload(b *testing.B) {
	env := start(b)
	ns := env.NewNamespace(b, "empty")
	admin := newClient(b, env, ns, ns.Cred("workdrive", "api_key"))
	const size = 64 << 20
	src := testenv.RandomBytes(1 << 20)
	peak := testenv.WatchHeap(b)
	var up, down time.Duration
	b.SetBytes(2 * size)
	b.ResetTimer()
	for range b.N {
		tk := requestUpload(b, admin, "video/mp4", "big.mp4")
		t0 := time.Now()
		res := postForm(b, tk.SignedRequest.URL, tk.SignedRequest.Fields, "video/mp4", io.LimitReader(testenv.Repeat(src), size))
		res.Body.Close()
		if res.StatusCode != 204 {
			b.Fatalf("upload: %d", res.StatusCode)
		}
		t1 := time.Now()
		get, err := http.Get(tk.URL)
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, get.Body)
		get.Body.Close()
		if err != nil || n != size {
			b.Fatalf("download: %d bytes, %v", n, err)
		}
		up += t1.Sub(t0)
		down += time.Since(t1)
	}
	b.StopTimer()
	mb := float64(size) / (1 << 20) * float64(b.N)
	b.ReportMetric(mb/up.Seconds(), "upload-MiB/s")
	b.ReportMetric(mb/down.Seconds(), "download-MiB/s")
	b.ReportMetric(float64(peak())/(1<<20), "peak-heap-MiB")
}
