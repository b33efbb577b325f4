package blob_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/standin-dev/standin/internal/blob"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/store/migrations"
	"github.com/standin-dev/standin/internal/testenv"
)

func open(t testing.TB) *store.DB {
	t.Helper()
	db := testenv.DB(t)
	if err := db.Migrate(context.Background(), "platform", migrations.FS); err != nil {
		t.Fatal(err)
	}
	return db
}

// openStore is a blob store with chunks of chunk bytes on a fresh
// database.
func openStore(t *testing.T, chunk int) (*store.DB, *blob.Store) {
	t.Helper()
	db := open(t)
	return db, blob.New(db).WithChunkSize(chunk)
}

// rowsOf counts what ns holds in either blob table.
func rowsOf(t *testing.T, db *store.DB, ns string) int {
	return count(t, db, "standin_blob_chunks", ns) + count(t, db, "standin_blobs", ns)
}

func count(t *testing.T, db *store.DB, table, ns string) int {
	t.Helper()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM "+table+" WHERE ns = $1", ns).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRoundTripAcrossChunkBoundaries writes and reads back blobs whose
// sizes fall around chunk boundaries (1000-byte chunks) and around Put's
// batches of 4 chunks (8-byte chunks, 32-byte batches).
func TestRoundTripAcrossChunkBoundaries(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		chunk int
		sizes []int
	}{
		{1000, []int{0, 1, 999, 1000, 1001, 3*1000 + 517}},
		{batchChunk, []int{0, 1, batchChunk, batchBytes - 1, batchBytes, batchBytes + 1,
			2 * batchBytes, 2*batchBytes + 1, 5*batchBytes + 3}},
	} {
		db, s := openStore(t, tc.chunk)
		for _, size := range tc.sizes {
			want := testenv.RandomBytes(size)
			info, err := s.Put(ctx, "ns1", fmt.Sprintf("f/%d.bin", size), bytes.NewReader(want), blob.Options{Time: time.Now()})
			if err != nil {
				t.Fatalf("size %d: put: %v", size, err)
			}
			if info.Size != int64(size) {
				t.Errorf("size %d: info.Size = %d", size, info.Size)
			}
			r, err := s.Open(ctx, "ns1", info.Name)
			if err != nil {
				t.Fatalf("size %d: open: %v", size, err)
			}
			got, err := io.ReadAll(r)
			if err != nil {
				t.Fatalf("size %d: read: %v", size, err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("size %d: read back %d bytes that differ from the %d written", size, len(got), len(want))
			}
			var chunks int
			if err := db.QueryRow(`SELECT count(*) FROM standin_blob_chunks WHERE ns = $1 AND blob_id = $2`,
				"ns1", info.Version).Scan(&chunks); err != nil {
				t.Fatal(err)
			}
			if want := (size + tc.chunk - 1) / tc.chunk; chunks != want {
				t.Errorf("chunk %d, size %d: %d chunks, want %d", tc.chunk, size, chunks, want)
			}
		}
	}
}

func TestSeekAndRange(t *testing.T) {
	ctx := context.Background()
	s := blob.New(open(t)).WithChunkSize(100)
	want := testenv.RandomBytes(1050)
	info, err := s.Put(ctx, "ns1", "a/b.bin", bytes.NewReader(want), blob.Options{Time: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Open(ctx, "ns1", info.Name)
	if err != nil {
		t.Fatal(err)
	}
	for _, off := range []int64{0, 99, 100, 101, 555, 1000, 1049} {
		if _, err := r.Seek(off, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		got := make([]byte, 120)
		n, err := io.ReadFull(r, got)
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("offset %d: %v", off, err)
		}
		if !bytes.Equal(got[:n], want[off:min(off+120, 1050)]) {
			t.Errorf("offset %d: wrong bytes", off)
		}
	}
	if n, _ := r.Seek(-50, io.SeekEnd); n != 1000 {
		t.Errorf("Seek(-50, end) = %d, want 1000", n)
	}
	if _, err := r.Seek(-1, io.SeekStart); err == nil {
		t.Error("negative seek accepted")
	}

	// http.ServeContent relies on Seek for Range requests.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		rd, err := s.Open(req.Context(), "ns1", info.Name)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		http.ServeContent(w, req, "", info.CreatedAt, rd)
	}))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req.Header.Set("Range", "bytes=95-204")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	got, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusPartialContent || !bytes.Equal(got, want[95:205]) {
		t.Errorf("range request: status %d, %d bytes", res.StatusCode, len(got))
	}
}

func TestTooLargeKeepsNothing(t *testing.T) {
	ctx := context.Background()
	db, s := openStore(t, 64)
	_, err := s.Put(ctx, "ns1", "big", bytes.NewReader(testenv.RandomBytes(1000)), blob.Options{MaxSize: 999, Time: time.Now()})
	if !errors.Is(err, blob.ErrTooLarge) {
		t.Fatalf("put over the limit: err = %v, want ErrTooLarge", err)
	}
	if _, err := s.Put(ctx, "ns1", "fits", bytes.NewReader(testenv.RandomBytes(999)), blob.Options{MaxSize: 999, Time: time.Now()}); err != nil {
		t.Fatalf("put at the limit: %v", err)
	}
	if n := count(t, db, "standin_blobs", "ns1"); n != 1 {
		t.Errorf("%d blobs kept, want only the one within the limit", n)
	}
	if n := count(t, db, "standin_blob_chunks", "ns1"); n != 16 {
		t.Errorf("%d chunks kept, want 16", n)
	}
}

// failingReader returns data and then an error, as a dropped client does.
type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("connection reset")
	}
	n := min(len(p), f.n)
	f.n -= n
	return n, nil
}

func TestFailedUploadKeepsNothing(t *testing.T) {
	ctx := context.Background()
	db, s := openStore(t, 64)
	if _, err := s.Put(ctx, "ns1", "broken", &failingReader{n: 500}, blob.Options{Time: time.Now()}); err == nil {
		t.Fatal("put of a failing reader succeeded")
	}
	if n := rowsOf(t, db, "ns1"); n != 0 {
		t.Errorf("%d rows left behind by a failed upload", n)
	}
}

func TestPutReplaces(t *testing.T) {
	ctx := context.Background()
	db, s := openStore(t, 8)
	read := func() string {
		t.Helper()
		r, err := s.Open(ctx, "ns1", "k")
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if _, err := s.Put(ctx, "ns1", "k", strings.NewReader("first content, three chunks"), blob.Options{Time: time.Now()}); err != nil {
		t.Fatal(err)
	}
	old, err := s.Open(ctx, "ns1", "k")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ctx, "ns1", "k", strings.NewReader("second"), blob.Options{Time: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if got := read(); got != "second" {
		t.Errorf("after the second put: %q", got)
	}
	if _, err := io.ReadAll(old); err == nil {
		t.Error("a reader of the replaced content kept reading")
	}
	// A failed upload leaves the previous content in place.
	if _, err := s.Put(ctx, "ns1", "k", strings.NewReader("far too long"), blob.Options{MaxSize: 4, Time: time.Now()}); !errors.Is(err, blob.ErrTooLarge) {
		t.Fatalf("err = %v", err)
	}
	if got := read(); got != "second" {
		t.Errorf("after a failed put: %q", got)
	}
	if n := count(t, db, "standin_blob_chunks", "ns1"); n != 1 {
		t.Errorf("%d chunks stored, want the 1 of the current content", n)
	}
}

func TestNamespacesDeleteAndClear(t *testing.T) {
	ctx := context.Background()
	db, s := openStore(t, 10)
	a, err := s.Put(ctx, "ns1", "greeting", strings.NewReader("hello, namespace one"), blob.Options{Time: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Put(ctx, "ns2", "greeting2", strings.NewReader("hello, namespace two"), blob.Options{Time: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(ctx, "ns2", a.Name); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("blob of ns1 opened in ns2: err = %v", err)
	}
	if _, err := blob.Stat(ctx, db, "ns1", "nope"); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("unknown blob: err = %v", err)
	}
	if err := blob.Delete(ctx, db, "ns1", a.Name); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(ctx, "ns1", a.Name); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("deleted blob opened: err = %v", err)
	}
	if _, err := s.Put(ctx, "ns2", "other", strings.NewReader("another"), blob.Options{Time: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := blob.Clear(ctx, db, "ns1"); err != nil {
		t.Fatal(err)
	}
	if _, err := blob.Stat(ctx, db, "ns2", b.Name); err != nil {
		t.Errorf("clearing ns1 touched ns2: %v", err)
	}
	if err := db.Tx(ctx, func(tx *sql.Tx) error { return blob.Clear(ctx, tx, "ns2") }); err != nil {
		t.Fatal(err)
	}
	for _, ns := range []string{"ns1", "ns2"} {
		if n := count(t, db, "standin_blob_chunks", ns) + count(t, db, "standin_blobs", ns); n != 0 {
			t.Errorf("%s: %d rows left after Clear", ns, n)
		}
	}
}

// BenchmarkPutRead writes and reads back a 64 MiB blob and reports the
// throughput of the round trip and the peak heap in use while it ran.
func BenchmarkPutRead(b *testing.B) {
	ctx := context.Background()
	db := open(b)
	s := blob.New(db)
	const size = 64 << 20
	src := testenv.RandomBytes(1 << 20)
	peak := testenv.WatchHeap(b)
	b.SetBytes(size)
	b.ResetTimer()
	for range b.N {
		info, err := s.Put(ctx, "bench", "big.bin", io.LimitReader(testenv.Repeat(src), size), blob.Options{Time: time.Now()})
		if err != nil {
			b.Fatal(err)
		}
		r, err := s.Open(ctx, "bench", info.Name)
		if err != nil {
			b.Fatal(err)
		}
		if n, err := io.Copy(io.Discard, r); err != nil || n != size {
			b.Fatalf("read %d bytes: %v", n, err)
		}
		if err := blob.Delete(ctx, db, "bench", info.Name); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(peak())/(1<<20), "peak-heap-MiB")
}

func TestWriteInTransaction(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	s := blob.New(db)
	want := testenv.RandomBytes(blob.DefaultChunkSize + 10)
	// Rolled back: nothing exists.
	_ = db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := blob.Write(ctx, tx, "ns1", "k", bytes.NewReader(want), blob.Options{Time: time.Now()}); err != nil {
			t.Fatal(err)
		}
		return errors.New("roll back")
	})
	if _, err := blob.Stat(ctx, db, "ns1", "k"); !errors.Is(err, blob.ErrNotFound) {
		t.Fatalf("blob of a rolled-back transaction: err = %v", err)
	}
	if err := db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := blob.Write(ctx, tx, "ns1", "k", bytes.NewReader(want), blob.Options{Time: time.Now()})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	r, err := s.Open(ctx, "ns1", "k")
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("read back %d bytes (err %v), want the %d written", len(got), err, len(want))
	}
}

// truncatedReader returns n bytes and then io.ErrUnexpectedEOF, as a
// request body that ends before its Content-Length, or a multipart part cut
// before its closing boundary, does.
type truncatedReader struct{ n int }

func (f *truncatedReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, io.ErrUnexpectedEOF
	}
	n := min(len(p), f.n)
	f.n -= n
	return n, nil
}

func TestTruncatedUploadIsRefused(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	// Truncated inside a chunk, at a chunk boundary, and before any byte.
	for _, n := range []int{100, 128, 0} {
		s := blob.New(db).WithChunkSize(64)
		_, err := s.Put(ctx, "ns1", "cut", &truncatedReader{n: n}, blob.Options{Time: time.Now()})
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("put of %d bytes then an unexpected EOF: err = %v, want io.ErrUnexpectedEOF", n, err)
		}
		_, err = blob.Write(ctx, db, "ns1", "cut", &truncatedReader{n: n}, blob.Options{Time: time.Now()})
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("write of %d bytes then an unexpected EOF: err = %v, want io.ErrUnexpectedEOF", n, err)
		}
		if _, err := blob.Stat(ctx, db, "ns1", "cut"); !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("after a truncated upload of %d bytes, stat: %v, want ErrNotFound", n, err)
		}
		if n := rowsOf(t, db, "ns1"); n != 0 {
			t.Errorf("%d rows left behind by a truncated upload", n)
		}
	}
}

func TestSweepRemovesStalePartialUploads(t *testing.T) {
	ctx := context.Background()
	db, s := openStore(t, 8)
	if _, err := s.Put(ctx, "ns1", "done", strings.NewReader("complete content"), blob.Options{Time: time.Now()}); err != nil {
		t.Fatal(err)
	}
	// What a kill -9 in the middle of an upload leaves: a version that is
	// not complete, and its chunks; plus chunks whose version row is gone.
	// One partial version was touched just now: an upload in progress on
	// another process, which the sweep must leave alone.
	now := time.Now()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO standin_blobs (ns, id, name, size, chunk_size, complete, created_at, touched_at)
			VALUES ('ns1', 'crashed', 'k', 0, 8, FALSE, 0, $1)`, []any{now.Add(-time.Hour).UnixMilli()}},
		{`INSERT INTO standin_blob_chunks (ns, blob_id, seq, data) VALUES ('ns1', 'crashed', 0, $1)`, []any{[]byte("12345678")}},
		{`INSERT INTO standin_blob_chunks (ns, blob_id, seq, data) VALUES ('ns2', 'orphan', 0, $1)`, []any{[]byte("12345678")}},
		{`INSERT INTO standin_blobs (ns, id, name, size, chunk_size, complete, created_at, touched_at)
			VALUES ('ns1', 'live', 'k2', 0, 8, FALSE, 0, $1)`, []any{now.UnixMilli()}},
		{`INSERT INTO standin_blob_chunks (ns, blob_id, seq, data) VALUES ('ns1', 'live', 0, $1)`, []any{[]byte("12345678")}},
	} {
		if _, err := db.ExecContext(ctx, q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	n, err := blob.Sweep(ctx, db, now.Add(-10*time.Minute))
	if err != nil || n != 1 {
		t.Fatalf("sweep: %d, %v; want 1 version swept", n, err)
	}
	var left []string
	rows, err := db.QueryContext(ctx, `SELECT blob_id FROM standin_blob_chunks WHERE blob_id IN ('crashed', 'orphan', 'live')`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		_ = rows.Scan(&id)
		left = append(left, id)
	}
	rows.Close()
	if len(left) != 1 || left[0] != "live" {
		t.Errorf("chunks left after the sweep: %v, want only the live upload's", left)
	}
	if r, err := s.Open(ctx, "ns1", "done"); err != nil {
		t.Errorf("a complete blob was swept: %v", err)
	} else if b, _ := io.ReadAll(r); string(b) != "complete content" {
		t.Errorf("complete blob reads %q", b)
	}
}
