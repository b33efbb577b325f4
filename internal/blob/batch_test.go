package blob_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sync/atomic"
	"testing"
	"time"

	"github.com/standin-dev/standin/internal/blob"
	"github.com/standin-dev/standin/internal/store"
)

// Put reads ahead and commits 4 chunks at a time: with 8-byte chunks, a
// batch is 32 bytes.
const (
	batchChunk = 8
	batchBytes = 4 * batchChunk
)

// A batch already committed does not survive the upload's failure, and
// the name keeps its previous content.
func TestFailureAfterCommittedBatchesKeepsNothing(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		r    func() io.Reader
		max  int64
		want error
	}{
		{"truncated in the first batch", func() io.Reader { return &truncatedReader{n: 10} }, 0, io.ErrUnexpectedEOF},
		{"truncated in the second batch", func() io.Reader { return &truncatedReader{n: batchBytes + 10} }, 0, io.ErrUnexpectedEOF},
		{"truncated at a batch boundary", func() io.Reader { return &truncatedReader{n: 2 * batchBytes} }, 0, io.ErrUnexpectedEOF},
		{"too large in the second batch", func() io.Reader { return bytes.NewReader(make([]byte, 3*batchBytes)) },
			batchBytes + 5, blob.ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, s := openStore(t, batchChunk)
			old := []byte("the previous content")
			if _, err := s.Put(ctx, "ns1", "k", bytes.NewReader(old), blob.Options{Time: time.Now()}); err != nil {
				t.Fatal(err)
			}
			rows := rowsOf(t, db, "ns1")
			_, err := s.Put(ctx, "ns1", "k", tc.r(), blob.Options{MaxSize: tc.max, Time: time.Now()})
			if !errors.Is(err, tc.want) {
				t.Fatalf("put: err = %v, want %v", err, tc.want)
			}
			if n := rowsOf(t, db, "ns1"); n != rows {
				t.Errorf("%d rows after the failed upload, want the %d of the previous content", n, rows)
			}
			r, err := s.Open(ctx, "ns1", "k")
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := io.ReadAll(r); !bytes.Equal(got, old) {
				t.Errorf("content after the failed upload: %q, want %q", got, old)
			}
		})
	}
}

// endlessReader serves bytes forever, cancels the upload's context on its
// third read, and counts reads made after Put returned.
type endlessReader struct {
	reads, late atomic.Int64
	returned    atomic.Bool
	cancel      context.CancelFunc
}

func (e *endlessReader) Read(p []byte) (int, error) {
	if e.returned.Load() {
		e.late.Add(1)
	}
	if e.reads.Add(1) == 3 {
		e.cancel()
	}
	return len(p), nil
}

// Put returns only once its read-ahead has let go of the reader: a
// handler reads the rest of its request body next.
func TestPutReleasesTheReaderOnFailure(t *testing.T) {
	_, s := openStore(t, batchChunk)
	ctx, cancel := context.WithCancel(context.Background())
	r := &endlessReader{cancel: cancel}
	_, err := s.Put(ctx, "ns1", "k", r, blob.Options{Time: time.Now()})
	r.returned.Store(true)
	if err == nil {
		t.Fatal("put with a cancelled context succeeded")
	}
	time.Sleep(50 * time.Millisecond)
	if n := r.late.Load(); n != 0 {
		t.Errorf("%d reads after Put returned", n)
	}
}

// On PostgreSQL, chunks are compressed with lz4 once UseLZ4 has run (start-up
// calls it); running it again changes nothing.
func TestUseLZ4(t *testing.T) {
	db := open(t)
	if db.Engine != store.Postgres {
		t.Skip("PostgreSQL only; SQLite does not compress")
	}
	for range 2 {
		blob.UseLZ4(context.Background(), db)
		var method string
		if err := db.QueryRow(`SELECT attcompression::text FROM pg_attribute
			WHERE attrelid = 'standin_blob_chunks'::regclass AND attname = 'data'`).Scan(&method); err != nil {
			t.Fatal(err)
		}
		if method != "l" {
			t.Fatalf("compression of standin_blob_chunks.data: %q, want l (lz4)", method)
		}
	}
}
