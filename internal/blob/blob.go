// Package blob keeps uploaded files in the database, cut into fixed-size
// chunks: they survive restarts, every standin process sharing a PostgreSQL
// serves the same bytes, and neither an upload nor a download ever holds
// more than one chunk of a file in memory.
//
// A blob is named by its owner, like an object key in a bucket: a vendor
// stores its file metadata (content type, owner) under the same name. Put
// over an existing name replaces the content once the new upload is
// complete. Blobs belong to a namespace, and Clear removes them all with it.
package blob

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/store"
)

// DefaultChunkSize is the size of every chunk but a blob's last: 1 MiB, a
// row size that both engines store and fetch efficiently.
const DefaultChunkSize = 1 << 20

// ErrNotFound is returned for a name that holds no complete blob.
var ErrNotFound = errors.New("blob: not found")

// ErrTooLarge is returned by Put when the content exceeds Options.MaxSize.
var ErrTooLarge = errors.New("blob: content exceeds the size limit")

// Store reads and writes blobs on a database.
type Store struct {
	db        *store.DB
	chunkSize int
}

// New returns a store on db with DefaultChunkSize chunks.
func New(db *store.DB) *Store { return &Store{db: db, chunkSize: DefaultChunkSize} }

// WithChunkSize returns a store that writes chunks of n bytes (tests use
// small chunks to cross chunk boundaries). Blobs remember their own chunk
// size, so stores with different sizes read each other's blobs.
func (s *Store) WithChunkSize(n int) *Store {
	if n <= 0 {
		n = DefaultChunkSize
	}
	return &Store{db: s.db, chunkSize: n}
}

// Info describes a stored blob.
type Info struct {
	Name string
	// Version identifies this content of Name; it changes with every Put.
	Version   string
	Size      int64
	ChunkSize int64
	CreatedAt time.Time
}

// Options tune Put.
type Options struct {
	// MaxSize is the largest content accepted; 0 means no limit.
	MaxSize int64
	// Time is the creation time to record (the namespace's clock).
	Time time.Time
}

// Put streams r into the blob called name in namespace ns. It reads a
// batch of chunks ahead while it commits the previous batch in a short
// transaction of its own, which never waits on the client, so a slow
// upload never holds SQLite's write lock; the content replaces the name's
// previous one only when the last chunk is in. On any error, including ErrTooLarge,
// the new content is dropped and the previous one stays.
func (s *Store) Put(ctx context.Context, ns, name string, r io.Reader, opt Options) (_ *Info, err error) {
	info := &Info{Name: name, Version: ids.Hex(16), ChunkSize: int64(s.chunkSize), CreatedAt: opt.Time}
	if err := begin(ctx, s.db, ns, info); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			// The request may be cancelled already; clean up regardless.
			_ = deleteVersion(context.WithoutCancel(ctx), s.db, ns, info.Version)
		}
	}()
	if err := writeChunks(chunkWriter{ctx: ctx, db: s.db, ns: ns, info: info}, r, opt.MaxSize); err != nil {
		return nil, err
	}
	if err := s.db.Tx(ctx, func(tx *sql.Tx) error { return finish(ctx, tx, ns, info) }); err != nil {
		return nil, err
	}
	return info, nil
}

// Write is Put inside the caller's transaction: every chunk goes through
// q, and the blob exists exactly when the transaction commits. Seeds and
// small contents use it; uploads use Put, which holds no transaction.
func Write(ctx context.Context, q store.Querier, ns, name string, r io.Reader, opt Options) (*Info, error) {
	info := &Info{Name: name, Version: ids.Hex(16), ChunkSize: DefaultChunkSize, CreatedAt: opt.Time}
	if err := begin(ctx, q, ns, info); err != nil {
		return nil, err
	}
	if err := writeChunks(chunkWriter{ctx: ctx, q: q, ns: ns, info: info}, r, opt.MaxSize); err != nil {
		_ = deleteVersion(ctx, q, ns, info.Version)
		return nil, err
	}
	if err := finish(ctx, q, ns, info); err != nil {
		return nil, err
	}
	return info, nil
}

// begin records a new, incomplete version.
func begin(ctx context.Context, q store.Querier, ns string, info *Info) error {
	if _, err := q.ExecContext(ctx, `INSERT INTO standin_blobs
		(ns, id, name, size, chunk_size, complete, created_at, touched_at) VALUES ($1, $2, $3, 0, $4, FALSE, $5, $6)`,
		ns, info.Version, info.Name, info.ChunkSize, info.CreatedAt.UnixMilli(), time.Now().UnixMilli()); err != nil {
		return fmt.Errorf("blob: create: %w", err)
	}
	return nil
}

// touchEvery is how often an upload in progress marks its version as
// alive, so that Sweep never takes it for a crash's leftover.
const touchEvery = time.Minute

// SweepAge is how long an unfinished upload may go untouched before the
// start-up sweep takes it for a crash's leftover: a few touch intervals.
const SweepAge = 3 * touchEvery

// batchChunks is how many chunks Put reads ahead and commits in one
// transaction: one commit per 4 MiB rather than per chunk.
const batchChunks = 4

// writeChunks copies r into the version's chunks and sets info.Size. Only
// io.EOF ends the data: a reader that fails in any other way,
// io.ErrUnexpectedEOF included (a body that stopped before its
// Content-Length or a multipart part cut before its closing boundary),
// fails the write.
//
// With w.db (Put), a goroutine reads the next batch while this one's chunks
// are written, so the network and the database work at once; a batch is
// only written once it is read whole, so no statement waits on a slow
// client. writeChunks returns only when that goroutine is done with r.
func writeChunks(w chunkWriter, r io.Reader, maxSize int64) error {
	w.touched = time.Now()
	rd := &batchReader{r: r, max: maxSize}
	size := batchChunks * int(w.info.ChunkSize)
	// Seeds and fixtures write small files from memory or generate them
	// to a size: a buffer of that size (one more byte to meet the end),
	// not a batch's 4 MiB zeroed per file.
	switch l := r.(type) {
	case interface{ Len() int }:
		size = min(size, l.Len()+1)
	case *io.LimitedReader:
		size = int(min(int64(size), max(l.N, 0)+1))
	}
	if w.db == nil {
		buf := make([]byte, size)
		for {
			n, rerr := rd.fill(buf)
			if rerr != nil && rerr != io.EOF {
				return rerr
			}
			if err := w.write(buf[:n]); err != nil {
				return err
			}
			if rerr == io.EOF {
				return nil
			}
		}
	}
	// Two buffers: one being read, one being written.
	full := make(chan batch, 1)
	free := make(chan []byte, 2)
	free <- make([]byte, size)
	free <- make([]byte, size)
	stop := make(chan struct{})
	go func() {
		defer close(full)
		for {
			var buf []byte
			select {
			case <-stop: // before a free buffer: read no more once the write failed
				return
			default:
			}
			select {
			case buf = <-free:
			case <-stop:
				return
			}
			n, err := rd.fill(buf)
			full <- batch{buf: buf[:n], err: err}
			if err != nil {
				return
			}
		}
	}()
	err := func() error {
		for b := range full {
			if b.err != nil && b.err != io.EOF {
				return b.err
			}
			if err := w.write(b.buf); err != nil {
				return err
			}
			if b.err == io.EOF {
				return nil
			}
			free <- b.buf[:cap(b.buf)]
		}
		return errors.New("blob: reader stopped") // unreachable: the reader ends with an error
	}()
	close(stop)
	for range full {
		// Wait for the reader to let go of r: the caller may use it next.
	}
	return err
}

// batch is a read batch: whole chunks but the last, and how reading ended
// (nil while there is more).
type batch struct {
	buf []byte
	err error
}

// batchReader reads r a batch at a time, refusing content beyond max.
type batchReader struct {
	r     io.Reader
	max   int64
	total int64
}

// fill reads into buf until it is full (nil error) or r ends (io.EOF, with
// the bytes read so far) or fails (r's error, or ErrTooLarge). Unlike
// io.ReadFull it keeps r's own io.ErrUnexpectedEOF apart from a short last
// batch.
func (b *batchReader) fill(buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := b.r.Read(buf[n:])
		n += m
		b.total += int64(m)
		if b.max > 0 && b.total > b.max {
			return n, ErrTooLarge
		}
		if err == io.EOF {
			return n, err
		}
		if err != nil {
			return n, fmt.Errorf("blob: read: %w", err)
		}
	}
	return n, nil
}

// chunkWriter inserts a version's chunks. With db set, each batch is one
// transaction of its own: one commit per batch rather than per chunk, and
// since the batch is read already, the transaction never waits on the
// client. Without db, chunks go through q (the caller's transaction).
type chunkWriter struct {
	ctx     context.Context
	db      *store.DB
	q       store.Querier
	ns      string
	info    *Info
	seq     int64
	touched time.Time
}

// write inserts data, cut into chunks.
func (w *chunkWriter) write(data []byte) (err error) {
	if len(data) == 0 {
		return nil
	}
	q := w.q
	var tx *sql.Tx
	if w.db != nil {
		// Not db.Tx: the rows are the upload's own, so the namespace's
		// write lock and retries have nothing to protect.
		if tx, err = w.db.BeginTx(w.ctx, nil); err != nil {
			return fmt.Errorf("blob: write chunk: %w", err)
		}
		defer func() {
			if err != nil {
				_ = tx.Rollback()
			}
		}()
		q = tx
	}
	cs := int(w.info.ChunkSize)
	for off := 0; off < len(data); off += cs {
		// The driver copies the chunk before ExecContext returns, so the
		// buffer is reused for the next batch.
		if _, err := q.ExecContext(w.ctx, `INSERT INTO standin_blob_chunks (ns, blob_id, seq, data)
			VALUES ($1, $2, $3, $4)`, w.ns, w.info.Version, w.seq, data[off:min(off+cs, len(data))]); err != nil {
			return fmt.Errorf("blob: write chunk: %w", err)
		}
		w.seq++
	}
	if time.Since(w.touched) > touchEvery {
		w.touched = time.Now()
		if _, err := q.ExecContext(w.ctx, `UPDATE standin_blobs SET touched_at = $3
			WHERE ns = $1 AND id = $2`, w.ns, w.info.Version, w.touched.UnixMilli()); err != nil {
			return fmt.Errorf("blob: write chunk: %w", err)
		}
	}
	if tx != nil {
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("blob: write chunk: %w", err)
		}
	}
	w.info.Size += int64(len(data))
	return nil
}

// finish makes the version the name's content, dropping the previous one.
func finish(ctx context.Context, q store.Querier, ns string, info *Info) error {
	if err := deleteVersions(ctx, q, "finish", ns, `SELECT id FROM standin_blobs
		WHERE ns = $1 AND name = $2 AND complete = TRUE`, info.Name); err != nil {
		return err
	}
	res, err := q.ExecContext(ctx, `UPDATE standin_blobs SET size = $3, complete = TRUE
		WHERE ns = $1 AND id = $2`, ns, info.Version, info.Size)
	if err != nil {
		return fmt.Errorf("blob: finish: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("blob: %s was deleted while being uploaded", info.Name)
	}
	return nil
}

// deleteVersions deletes every version of ns that query selects (its $1
// is ns, then args); op names the operation in errors.
func deleteVersions(ctx context.Context, q store.Querier, op, ns, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, append([]any{ns}, args...)...)
	versions, err := store.Collect(rows, err, func(row store.Scanner) (string, error) {
		var id string
		return id, row.Scan(&id)
	})
	if err != nil {
		return fmt.Errorf("blob: %s: %w", op, err)
	}
	for _, v := range versions {
		if err := deleteVersion(ctx, q, ns, v); err != nil {
			return err
		}
	}
	return nil
}

func deleteVersion(ctx context.Context, q store.Querier, ns, version string) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM standin_blob_chunks WHERE ns = $1 AND blob_id = $2`, ns, version); err != nil {
		return fmt.Errorf("blob: delete: %w", err)
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM standin_blobs WHERE ns = $1 AND id = $2`, ns, version); err != nil {
		return fmt.Errorf("blob: delete: %w", err)
	}
	return nil
}

// Stat describes the blob called name.
func Stat(ctx context.Context, q store.Querier, ns, name string) (*Info, error) {
	info := &Info{Name: name}
	var created int64
	err := q.QueryRowContext(ctx, `SELECT id, size, chunk_size, created_at FROM standin_blobs
		WHERE ns = $1 AND name = $2 AND complete = TRUE`, ns, name).
		Scan(&info.Version, &info.Size, &info.ChunkSize, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("blob: stat: %w", err)
	}
	info.CreatedAt = time.UnixMilli(created).UTC()
	return info, nil
}

// Delete removes the blob called name, and any upload to it in progress;
// an unknown name is not an error. Inside a vendor's transaction, pass tx.
func Delete(ctx context.Context, q store.Querier, ns, name string) error {
	return deleteVersions(ctx, q, "delete", ns, `SELECT id FROM standin_blobs WHERE ns = $1 AND name = $2`, name)
}

// Sweep deletes the unfinished uploads, in every namespace, that have not
// written a chunk since before cutoff: what a crash or kill -9 left
// behind. An upload in progress touches its version every minute, so a
// cutoff some minutes back never takes a live upload of another process on
// a shared PostgreSQL. It returns how many versions it deleted.
func Sweep(ctx context.Context, db *store.DB, cutoff time.Time) (int, error) {
	rows, err := db.QueryContext(ctx, `SELECT ns, id FROM standin_blobs
		WHERE complete = FALSE AND touched_at < $1`, cutoff.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("blob: sweep: %w", err)
	}
	type version struct{ ns, id string }
	stale, err := store.Collect(rows, nil, func(s store.Scanner) (version, error) {
		var v version
		return v, s.Scan(&v.ns, &v.id)
	})
	if err != nil {
		return 0, fmt.Errorf("blob: sweep: %w", err)
	}
	for _, v := range stale {
		if err := deleteVersion(ctx, db, v.ns, v.id); err != nil {
			return 0, err
		}
	}
	// Chunks whose version row is gone: a crash between deleteVersion's
	// two statements. A version row is always written before its chunks,
	// so a live upload never has orphans.
	if _, err := db.ExecContext(ctx, `DELETE FROM standin_blob_chunks WHERE NOT EXISTS
		(SELECT 1 FROM standin_blobs b WHERE b.ns = standin_blob_chunks.ns AND b.id = standin_blob_chunks.blob_id)`); err != nil {
		return 0, fmt.Errorf("blob: sweep: %w", err)
	}
	return len(stale), nil
}

// Clear removes every blob of a namespace, including unfinished uploads.
// The vendors that store blobs call it from their Clear.
func Clear(ctx context.Context, q store.Querier, ns string) error {
	return store.DeleteNamespace(ctx, q, ns, "standin_blob_chunks", "standin_blobs")
}

// Open returns a reader over the blob called name. It reads one chunk at a
// time from the database, without holding a connection between reads, and
// seeks (http.ServeContent uses that for Range requests). A reader keeps
// the version it opened; if a Put replaces it meanwhile, reading fails
// rather than mixing two contents.
func (s *Store) Open(ctx context.Context, ns, name string) (*Reader, error) {
	info, err := Stat(ctx, s.db, ns, name)
	if err != nil {
		return nil, err
	}
	return &Reader{db: s.db, ctx: ctx, ns: ns, info: *info, seq: -1}, nil
}

// Reader reads a blob; it implements io.ReadSeeker.
type Reader struct {
	db   *store.DB
	ctx  context.Context
	ns   string
	info Info
	off  int64
	seq  int64  // the chunk in buf, -1 for none
	buf  []byte // reused for every chunk
}

// Info describes the blob being read.
func (r *Reader) Info() Info { return r.info }

// Read implements io.Reader.
func (r *Reader) Read(p []byte) (int, error) {
	if r.off >= r.info.Size {
		return 0, io.EOF
	}
	seq := r.off / r.info.ChunkSize
	if seq != r.seq {
		if err := r.load(seq); err != nil {
			return 0, err
		}
	}
	n := copy(p, r.buf[r.off-seq*r.info.ChunkSize:])
	r.off += int64(n)
	return n, nil
}

func (r *Reader) load(seq int64) error {
	rows, err := r.db.QueryContext(r.ctx, `SELECT data FROM standin_blob_chunks
		WHERE ns = $1 AND blob_id = $2 AND seq = $3`, r.ns, r.info.Version, seq)
	if err != nil {
		return fmt.Errorf("blob: read chunk: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return fmt.Errorf("blob: read chunk: %w", err)
		}
		return fmt.Errorf("blob %s: chunk %d is missing (replaced or deleted while being read)", r.info.Name, seq)
	}
	// RawBytes points into the driver's memory: copy it into our buffer
	// rather than letting Scan allocate a fresh slice per chunk.
	var raw sql.RawBytes
	if err := rows.Scan(&raw); err != nil {
		return fmt.Errorf("blob: read chunk: %w", err)
	}
	want := min(r.info.ChunkSize, r.info.Size-seq*r.info.ChunkSize)
	if int64(len(raw)) != want {
		return fmt.Errorf("blob %s: chunk %d has %d bytes, want %d", r.info.Name, seq, len(raw), want)
	}
	r.buf = append(r.buf[:0], raw...)
	r.seq = seq
	return rows.Close()
}

// Seek implements io.Seeker.
func (r *Reader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += r.off
	case io.SeekEnd:
		offset += r.info.Size
	default:
		return 0, errors.New("blob: invalid whence")
	}
	if offset < 0 {
		return 0, errors.New("blob: negative position")
	}
	r.off = offset
	return offset, nil
}
