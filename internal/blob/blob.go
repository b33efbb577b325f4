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

// Put streams r into the blob called name in namespace ns. Chunks are
// committed as they arrive, a few at a time in short transactions (see
// putBatch), so a slow upload never holds SQLite's write lock; the content replaces the name's previous
// one only when the last chunk is in. On any error, including ErrTooLarge,
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
	if err := s.putChunks(ctx, ns, info, r, opt.MaxSize); err != nil {
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
	if err := writeChunks(ctx, q, ns, info, r, opt.MaxSize); err != nil {
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
		(ns, id, name, size, chunk_size, complete, created_at) VALUES ($1, $2, $3, 0, $4, FALSE, $5)`,
		ns, info.Version, info.Name, info.ChunkSize, info.CreatedAt.UnixMilli()); err != nil {
		return fmt.Errorf("blob: create: %w", err)
	}
	return nil
}

// putBatch is how many chunks Put commits at once: one commit per chunk
// made PostgreSQL (a WAL flush each) and SQLite upload at a fraction of the
// disk's speed. The batch is read in full before its transaction begins,
// so a slow client never holds the write lock.
const putBatch = 8

// putChunks is writeChunks for Put: up to putBatch chunks per transaction.
func (s *Store) putChunks(ctx context.Context, ns string, info *Info, r io.Reader, maxSize int64) error {
	bufs := make([][]byte, putBatch)
	for i := range bufs {
		bufs[i] = make([]byte, info.ChunkSize)
	}
	for seq := int64(0); ; {
		var batch [][]byte
		var rerr error
		for len(batch) < putBatch && rerr == nil {
			var n int
			n, rerr = io.ReadFull(r, bufs[len(batch)])
			if n > 0 {
				if maxSize > 0 && info.Size+int64(n) > maxSize {
					return ErrTooLarge
				}
				info.Size += int64(n)
				batch = append(batch, bufs[len(batch)][:n])
			}
		}
		if rerr != nil && rerr != io.EOF && rerr != io.ErrUnexpectedEOF {
			return rerr
		}
		if len(batch) > 0 {
			err := s.db.Tx(ctx, func(tx *sql.Tx) error {
				for i, b := range batch {
					if _, err := tx.ExecContext(ctx, `INSERT INTO standin_blob_chunks (ns, blob_id, seq, data)
						VALUES ($1, $2, $3, $4)`, ns, info.Version, seq+int64(i), b); err != nil {
						return fmt.Errorf("blob: write chunk: %w", err)
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			seq += int64(len(batch))
		}
		if rerr != nil {
			return nil
		}
	}
}

// writeChunks copies r into the version's chunks, one chunk-sized buffer
// at a time, and sets info.Size.
func writeChunks(ctx context.Context, q store.Querier, ns string, info *Info, r io.Reader, maxSize int64) error {
	buf := make([]byte, info.ChunkSize)
	for seq := int64(0); ; seq++ {
		n, rerr := io.ReadFull(r, buf)
		if n > 0 {
			if maxSize > 0 && info.Size+int64(n) > maxSize {
				return ErrTooLarge
			}
			// The driver copies buf before ExecContext returns, so the
			// buffer is reused for the next chunk.
			if _, err := q.ExecContext(ctx, `INSERT INTO standin_blob_chunks (ns, blob_id, seq, data)
				VALUES ($1, $2, $3, $4)`, ns, info.Version, seq, buf[:n]); err != nil {
				return fmt.Errorf("blob: write chunk: %w", err)
			}
			info.Size += int64(n)
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			return nil
		}
		if rerr != nil {
			return rerr
		}
	}
}

// finish makes the version the name's content, dropping the previous one.
func finish(ctx context.Context, q store.Querier, ns string, info *Info) error {
	rows, err := q.QueryContext(ctx, `SELECT id FROM standin_blobs
		WHERE ns = $1 AND name = $2 AND complete = TRUE`, ns, info.Name)
	if err != nil {
		return fmt.Errorf("blob: finish: %w", err)
	}
	old, err := scanStrings(rows)
	if err != nil {
		return fmt.Errorf("blob: finish: %w", err)
	}
	for _, v := range old {
		if err := deleteVersion(ctx, q, ns, v); err != nil {
			return err
		}
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

func scanStrings(rows *sql.Rows) ([]string, error) {
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
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
	rows, err := q.QueryContext(ctx, `SELECT id FROM standin_blobs WHERE ns = $1 AND name = $2`, ns, name)
	if err != nil {
		return fmt.Errorf("blob: delete: %w", err)
	}
	versions, err := scanStrings(rows)
	if err != nil {
		return fmt.Errorf("blob: delete: %w", err)
	}
	for _, v := range versions {
		if err := deleteVersion(ctx, q, ns, v); err != nil {
			return err
		}
	}
	return nil
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
