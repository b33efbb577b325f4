package clinked_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/standin-dev/standin/internal/testenv"
)

// BenchmarkFile512MiB uploads a 512 MiB temp file (a streamed multipart
// body), makes it a file and downloads it, and reports both throughputs
// and the peak Go heap of the process (client and server). Run it with
// -benchtime=1x: each iteration moves a gigabyte through the database.
func BenchmarkFile512MiB(b *testing.B) {
	const size = 512 << 20
	env, ns := benchNamespace(b)
	tok := token(ns)
	peak := testenv.WatchHeap(b)
	var up, down time.Duration
	for b.Loop() {
		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		go func() {
			part, err := mw.CreateFormFile("file", "big.bin")
			if err == nil {
				_, err = io.Copy(part, io.LimitReader(testenv.Repeat([]byte("standin 512 MiB benchmark content\n")), size))
			}
			if err == nil {
				err = mw.Close()
			}
			pw.CloseWithError(err)
		}()
		req, _ := http.NewRequest("POST", base(ns)+"/v3/tempFiles", pr)
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		start := time.Now()
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var tmp struct {
			ID int64 `json:"id"`
		}
		(&testenv.Response{Response: res, Body: mustRead(b, res)}).Decode(b, http.StatusOK, &tmp)
		up += time.Since(start)

		var f struct {
			ID   int64 `json:"id"`
			Size int64 `json:"size"`
		}
		env.Do(b, "POST", base(ns)+"/v3/groups/1/files", map[string]any{"tempFile": tmp.ID}, bearer(tok)).Decode(b, http.StatusOK, &f)
		if f.Size != size {
			b.Fatalf("size %d", f.Size)
		}

		req, _ = http.NewRequest("GET", fmt.Sprintf("%s/v3/groups/1/files/%d/download", base(ns), f.ID), nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		start = time.Now()
		res, err = http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if err != nil || n != size {
			b.Fatalf("downloaded %d bytes: %v", n, err)
		}
		down += time.Since(start)

		// Purge, so that iterations do not pile gigabytes up.
		env.Do(b, "DELETE", fmt.Sprintf("%s/v3/groups/1/files/%d", base(ns), f.ID), nil, bearer(tok)).Decode(b, http.StatusOK, nil)
		env.Do(b, "POST", base(ns)+"/v3/groups/1/trash", map[string]any{"action": "delete", "processAll": true}, bearer(tok)).
			Decode(b, http.StatusOK, nil)
	}
	mb := float64(size) / (1 << 20) * float64(b.N)
	b.ReportMetric(mb/up.Seconds(), "upload-MiB/s")
	b.ReportMetric(mb/down.Seconds(), "download-MiB/s")
	b.ReportMetric(float64(peak())/(1<<20), "peak-heap-MiB")
}

func mustRead(b *testing.B, res *http.Response) []byte {
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// BenchmarkFilesList10k lists a folder of 10,000 files (seeded by SQL)
// and reports the p50 of the requests.
func BenchmarkFilesList10k(b *testing.B) {
	env, ns := benchNamespace(b)
	benchRows(b, env, func(ctx context.Context, tx *sql.Tx, i int) error {
		id := int64(1000 + i)
		name := fmt.Sprintf("Bench File %05d.txt", (i*7919)%10000)
		_, err := tx.ExecContext(ctx, `INSERT INTO clinked_files (ns, id, group_id, parent_id, name, friendly_name,
			sort_name, folder, kind_order, content_type, size, context_key, sharing, member_permission, uploader_id,
			uploader_name, uploader_username, date_created, last_modified)
			VALUES ($1, $2, 1, 0, $3, $4, $5, FALSE, 1, 'text/plain', $6, $7, 'DEFAULT', 2, 1, 'Jack Bauer', 'jack', 0, 0)`,
			ns.ID, id, strings.ToLower(strings.ReplaceAll(name, " ", "_")), name, strings.ToLower(name), int64(i), 100000+id)
		return err
	})
	benchAnalyze(b, env)
	for _, q := range []string{"page=1&size=25", "page=200&size=50", "page=1&size=25&orderBy=size&ascending=false",
		"page=1&size=25&name=file%2000", "page=1&size=25&flat=true"} {
		b.Run(q, func(b *testing.B) {
			u := base(ns) + "/v3/groups/1/filesList?" + q
			var times []time.Duration
			for b.Loop() {
				start := time.Now()
				if res := env.Do(b, "GET", u, nil, bearer(token(ns))); res.StatusCode != http.StatusOK {
					b.Fatalf("%d %s", res.StatusCode, res.Body)
				}
				times = append(times, time.Since(start))
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
		})
	}
}
