package clinked

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/standin-dev/standin/internal/blob"
	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/valid"
)

const (
	ctrTempFile = "clinked.temp_file"
	// tempFileTTL is how long an upload waits to be used, on the
	// namespace clock.
	tempFileTTL = time.Hour
	// maxUploadSize bounds one upload (5 GiB).
	maxUploadSize = 5 << 30
	// tempSweep bounds the expired temp files one upload cleans up.
	tempSweep = 50
)

// tempFile is a row of clinked_temp_files.
type tempFile struct {
	id, userID                int64
	blobName, filename, ctype string
	size                      int64
	used                      bool
	expiresAt, dateCreated    int64
}

// tempFileJSON answers an upload: {"id": 42}.
type tempFileJSON struct {
	ID int64 `json:"id"`
}

// readTracker remembers whether reading the client's body failed, so that
// a body that ends early is the client's 400 and not a storage error.
type readTracker struct {
	r   io.Reader
	err error
}

func (t *readTracker) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err != nil && err != io.EOF {
		t.err = err
	}
	return n, err
}

// uploadTempFile serves POST /v3/tempFiles: a multipart upload whose part
// "file" is streamed into the blob store (one chunk in memory at a time).
// It answers {"id": …}; the id is good for one file create or new version
// within an hour.
func (s *Service) uploadTempFile(w http.ResponseWriter, r *http.Request, c *caller) error {
	mr, err := blob.MultipartReader(r)
	if err != nil {
		return httpx.BadRequest("The upload must be multipart/form-data with a part named file")
	}
	ctx := r.Context()
	now := c.ns.Now()
	bs := blob.New(s.db)
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return httpx.BadRequest("The upload has no part named file")
		}
		if err != nil {
			return httpx.BadRequest("Malformed multipart body: %v", err)
		}
		if part.FormName() != "file" {
			continue
		}
		name := blobPrefix + ids.Hex(16)
		body := &readTracker{r: part}
		info, err := bs.Put(ctx, c.ns.ID, name, body, blob.Options{MaxSize: maxUploadSize, Time: now})
		switch {
		case errors.Is(err, blob.ErrTooLarge):
			return httpx.Errorf(http.StatusRequestEntityTooLarge, "The file exceeds the upload limit of %d bytes", int64(maxUploadSize))
		case err != nil && body.err != nil:
			return httpx.BadRequest("The upload ended early: %v", body.err)
		case err != nil:
			return err
		}
		// The rest of the body must be well formed too: a body cut after
		// the file's bytes stores nothing.
		for {
			_, perr := mr.NextPart()
			if perr == io.EOF {
				break
			}
			if perr != nil {
				_ = blob.Delete(context.WithoutCancel(ctx), s.db, c.ns.ID, name)
				return httpx.BadRequest("Malformed multipart body: %v", perr)
			}
		}
		t := &tempFile{userID: c.user.id, blobName: name, filename: uploadName(part.FileName()),
			ctype: uploadType(part.Header.Get("Content-Type"), part.FileName()), size: info.Size,
			expiresAt: ms(now.Add(tempFileTTL)), dateCreated: ms(now)}
		err = s.db.Tx(ctx, func(tx *sql.Tx) error {
			if err := sweepTempFiles(ctx, tx, c.ns.ID, ms(now)); err != nil {
				return err
			}
			return insertTempFile(ctx, tx, c.ns.ID, t)
		})
		if err != nil {
			_ = blob.Delete(context.WithoutCancel(ctx), s.db, c.ns.ID, name)
			return err
		}
		return reply(w, tempFileJSON{ID: t.id}, nil)
	}
}

// uploadName is the file name of an upload part, without any directory.
func uploadName(name string) string {
	name = cleanText(name)
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	if name == "." || name == "/" || name == "" {
		return "file"
	}
	if r := []rune(name); len(r) > 255 {
		name = string(r[:255])
	}
	return name
}

// cleanText makes client text storable on both databases: valid UTF-8
// without NUL characters.
func cleanText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// uploadType is the content type of an upload: the part's own, else the
// one its file name's extension implies, else application/octet-stream.
func uploadType(header, filename string) string {
	if mt, params, err := mime.ParseMediaType(cleanText(header)); err == nil && mt != "application/octet-stream" {
		if t := mime.FormatMediaType(mt, params); t != "" && len(t) <= valid.MaxName {
			return t
		}
	}
	if i := strings.LastIndexByte(filename, '.'); i >= 0 {
		ext := strings.ToLower(filename[i:])
		if t, ok := officeTypes[ext]; ok {
			return t
		}
		if t := mime.TypeByExtension(ext); t != "" {
			mt, _, _ := mime.ParseMediaType(t)
			return mt
		}
	}
	return "application/octet-stream"
}

// officeTypes are the types of common document extensions, so that they
// do not depend on the host's mime.types (Go's own table lacks them).
var officeTypes = map[string]string{
	".txt": "text/plain", ".md": "text/markdown", ".csv": "text/csv", ".html": "text/html", ".htm": "text/html",
	".pdf": "application/pdf", ".zip": "application/zip", ".json": "application/json",
	".doc": "application/msword", ".xls": "application/vnd.ms-excel", ".ppt": "application/vnd.ms-powerpoint",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".png":  "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".svg": "image/svg+xml",
}

func insertTempFile(ctx context.Context, q store.Querier, ns string, t *tempFile) error {
	if err := assignID(ctx, q, ns, ctrTempFile, &t.id); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, `INSERT INTO clinked_temp_files (ns, id, user_id, blob_name, filename, content_type,
		size, used, expires_at, date_created) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		ns, t.id, t.userID, t.blobName, t.filename, t.ctype, t.size, t.used, t.expiresAt, t.dateCreated)
	return err
}

// sweepTempFiles drops expired temp files and the bytes of those never
// used (a used one's blob belongs to its file).
func sweepTempFiles(ctx context.Context, tx *sql.Tx, ns string, now int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, blob_name, used FROM clinked_temp_files
		WHERE ns = $1 AND expires_at <= $2 ORDER BY expires_at LIMIT `+strconv.Itoa(tempSweep), ns, now)
	type expired struct {
		id       int64
		blobName string
		used     bool
	}
	list, err := store.Collect(rows, err, func(s store.Scanner) (expired, error) {
		var e expired
		return e, s.Scan(&e.id, &e.blobName, &e.used)
	})
	if err != nil {
		return err
	}
	for _, e := range list {
		if !e.used {
			if err := blob.Delete(ctx, tx, ns, e.blobName); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM clinked_temp_files WHERE ns = $1 AND id = $2`, ns, e.id); err != nil {
			return err
		}
	}
	return nil
}

// claimTempFile consumes c's temp file id in tx: unknown, another user's,
// used or expired is a 400 (the id comes in the body).
func claimTempFile(ctx context.Context, tx *sql.Tx, c *caller, id int64) (*tempFile, error) {
	t := &tempFile{}
	err := tx.QueryRowContext(ctx, `SELECT id, user_id, blob_name, filename, content_type, size, used, expires_at,
		date_created FROM clinked_temp_files WHERE ns = $1 AND id = $2`, c.ns.ID, id).
		Scan(&t.id, &t.userID, &t.blobName, &t.filename, &t.ctype, &t.size, &t.used, &t.expiresAt, &t.dateCreated)
	switch {
	case errors.Is(err, sql.ErrNoRows) || (err == nil && t.userID != c.user.id):
		return nil, httpx.BadRequest("Temp file %d not found", id)
	case err != nil:
		return nil, err
	case t.used:
		return nil, httpx.BadRequest("Temp file %d has already been used", id)
	case t.expiresAt <= ms(c.ns.Now()):
		return nil, httpx.BadRequest("Temp file %d has expired", id)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE clinked_temp_files SET used = TRUE WHERE ns = $1 AND id = $2`, c.ns.ID, id); err != nil {
		return nil, err
	}
	return t, nil
}
