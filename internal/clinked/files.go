package clinked

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/standin-dev/standin/internal/blob"
	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/store"
)

// Files and folders of a group: one table, one record type (see
// migrations/00005_files.sql). The handlers are in files_api.go, the JSON
// in files_json.go, uploads in tempfiles.go.

const (
	ctrFile = "clinked.file"
	// folderType is a folder's contentType.
	folderType = "@folder"
	// rootID is the parent_id of the group's root.
	rootID = 0
	// maxDepth bounds every walk up a folder chain (a cycle cannot be
	// stored, but a bound keeps a bug from looping).
	maxDepth = 1000
	// blobPrefix starts the name of every Clinked blob, so that Clear
	// removes Clinked's and no other vendor's.
	blobPrefix = "clinked/"
)

// File permission bits: memberPermission is a mask of these, and
// userPermission the caller's effective value (16: everything).
const (
	filePermView   = 1
	filePermEdit   = 2
	filePermDelete = 4
	filePermFull   = 16
	// defaultFilePermission is the files examples' memberPermission.
	defaultFilePermission = filePermEdit
)

// fileRow is a row of clinked_files.
type fileRow struct {
	id, groupID, parentID          int64
	name, friendlyName             string
	folder                         bool
	contentType                    string
	size                           int64
	blobName                       sql.NullString
	contextKey                     int64
	sharing                        string
	memberPermission               int64
	tags                           sql.NullString
	lockerID, uploaderID           sql.NullInt64
	uploaderName, uploaderUsername string
	summary                        sql.NullString
	versions, trashedBy            int64
	dateCreated, lastModified      int64
}

const fileCols = `id, group_id, parent_id, name, friendly_name, folder, content_type, size, blob_name,
	context_key, sharing, member_permission, tags, locker_id, uploader_id, uploader_name, uploader_username,
	summary, versions, trashed_by, date_created, last_modified`

func (f *fileRow) dest() []any {
	return []any{&f.id, &f.groupID, &f.parentID, &f.name, &f.friendlyName, &f.folder, &f.contentType, &f.size,
		&f.blobName, &f.contextKey, &f.sharing, &f.memberPermission, &f.tags, &f.lockerID, &f.uploaderID,
		&f.uploaderName, &f.uploaderUsername, &f.summary, &f.versions, &f.trashedBy, &f.dateCreated, &f.lastModified}
}

func scanFile(row store.Scanner) (*fileRow, error) {
	f := &fileRow{}
	return f, row.Scan(f.dest()...)
}

func kindOrder(folder bool) int {
	if folder {
		return 0
	}
	return 1
}

// fileByID returns a file row of the namespace, trashed or not.
func fileByID(ctx context.Context, q store.Querier, ns string, id int64) (*fileRow, error) {
	return scanFile(q.QueryRowContext(ctx, `SELECT `+fileCols+` FROM clinked_files WHERE ns = $1 AND id = $2`, ns, id))
}

// insertFile stores f; id 0 takes the next id, contextKey 0 the next
// context key.
func insertFile(ctx context.Context, q store.Querier, ns string, f *fileRow) error {
	if err := assignKeyed(ctx, q, ns, ctrFile, &f.id, &f.contextKey); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, `INSERT INTO clinked_files (ns, `+fileCols+`, sort_name, kind_order)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
		$22, $23, $24, $25)`,
		ns, f.id, f.groupID, f.parentID, f.name, f.friendlyName, f.folder, f.contentType, f.size, f.blobName,
		f.contextKey, f.sharing, f.memberPermission, f.tags, f.lockerID, f.uploaderID, f.uploaderName,
		f.uploaderUsername, f.summary, f.versions, f.trashedBy, f.dateCreated, f.lastModified,
		strings.ToLower(f.friendlyName), kindOrder(f.folder))
	return err
}

// updateFile writes f's mutable columns.
func updateFile(ctx context.Context, tx *sql.Tx, ns string, f *fileRow) error {
	_, err := tx.ExecContext(ctx, `UPDATE clinked_files SET parent_id = $3, name = $4, friendly_name = $5,
		sort_name = $6, content_type = $7, size = $8, blob_name = $9, sharing = $10, member_permission = $11,
		tags = $12, locker_id = $13, summary = $14, versions = $15, last_modified = $16
		WHERE ns = $1 AND id = $2`,
		ns, f.id, f.parentID, f.name, f.friendlyName, strings.ToLower(f.friendlyName), f.contentType, f.size,
		f.blobName, f.sharing, f.memberPermission, f.tags, f.lockerID, f.summary, f.versions, f.lastModified)
	return err
}

// addStorage keeps the group's storageConsumed in step with its files'
// sizes, in the caller's transaction.
func addStorage(ctx context.Context, q store.Querier, ns string, groupID, delta int64) error {
	if delta == 0 {
		return nil
	}
	_, err := q.ExecContext(ctx, `UPDATE clinked_groups SET storage_consumed = storage_consumed + $3
		WHERE ns = $1 AND id = $2`, ns, groupID, delta)
	return err
}

// ---- names ----

var fileSlugJunk = regexp.MustCompile(`[^a-z0-9.]+`)

// fileSlug derives a file's name from its friendly name, as Clinked does:
// "File Example.pdf" → "file_example.pdf". Only letters, digits, '_' and
// '.' remain, so that '-' can separate the slugs of a search path.
func fileSlug(friendly string) string {
	s := fileSlugJunk.ReplaceAllString(strings.ToLower(friendly), "_")
	s = strings.Trim(s, "_.")
	if s == "" {
		return "file"
	}
	if len(s) > 200 {
		s = strings.TrimRight(s[:200], "_.")
	}
	return s
}

// uniqueFileName returns base, or base with _2, _3… before its extension, so
// that no other child of parent (but self) has that name.
func uniqueFileName(ctx context.Context, q store.Querier, ns string, groupID, parentID int64, base string, self int64) (string, error) {
	stem, ext := base, ""
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		stem, ext = base[:i], base[i:]
	}
	for n := 1; n <= 10000; n++ {
		name := base
		if n > 1 {
			name = stem + "_" + strconv.Itoa(n) + ext
		}
		var id int64
		err := q.QueryRowContext(ctx, `SELECT id FROM clinked_files WHERE ns = $1 AND group_id = $2 AND parent_id = $3 AND name = $4`,
			ns, groupID, parentID, name).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && id == self) {
			return name, nil
		}
		if err != nil {
			return "", err
		}
	}
	return "", httpx.Conflict("Too many files named %s in this folder", base)
}

// ---- permissions ----

// filePerm is what c may do with f (userPermission): everything for a
// group administrator and for the uploader; nothing (not even see it) on
// a file shared with NONE; viewing for a basic member; memberPermission
// (plus viewing) for the other member levels.
func filePerm(ga *groupAccess, c *caller, f *fileRow) int64 {
	if ga.perm >= permAdmin || (f.uploaderID.Valid && f.uploaderID.Int64 == c.user.id) {
		return filePermFull
	}
	if f.sharing == "NONE" {
		return 0
	}
	if ga.perm <= permBasic {
		return filePermView
	}
	return f.memberPermission | filePermView
}

// allows tells whether a permission value includes bit.
func allows(perm, bit int64) bool { return perm >= filePermFull || perm&bit != 0 }

// validMemberPermission is a mask of view, edit and delete, or 16.
func validMemberPermission(p int64) bool { return (p >= 0 && p <= 7) || p == filePermFull }

// visibleFile returns the live file id of the group as c may see it:
// missing, trashed, another group's or unshared is 404.
func visibleFile(ctx context.Context, q store.Querier, ga *groupAccess, c *caller, id int64) (*fileRow, int64, error) {
	f, err := fileByID(ctx, q, c.ns.ID, id)
	if err != nil {
		return nil, 0, notFoundIf(err, "File not found")
	}
	if f.groupID != ga.group.id || f.trashedBy != 0 {
		return nil, 0, httpx.NotFound("File not found")
	}
	perm := filePerm(ga, c, f)
	if perm == 0 {
		return nil, 0, httpx.NotFound("File not found")
	}
	return f, perm, nil
}

// lockedAgainst is the 409 of a change to a file that someone else has
// locked, or nil.
func lockedAgainst(ctx context.Context, q store.Querier, c *caller, f *fileRow) error {
	if !f.lockerID.Valid || f.lockerID.Int64 == c.user.id {
		return nil
	}
	name := "another user"
	if u, err := userByID(ctx, q, c.ns.ID, f.lockerID.Int64); err == nil {
		name = u.name
	}
	return httpx.Conflict("File %s is locked by %s", f.friendlyName, name)
}

// ---- trees ----

// subtreeSQL is a recursive query of the ids of $2 and every row below
// it in group $3.
const subtreeSQL = `WITH RECURSIVE sub(id) AS (
		SELECT id FROM clinked_files WHERE ns = $1 AND id = $2
		UNION ALL
		SELECT f.id FROM clinked_files f JOIN sub ON f.ns = $1 AND f.group_id = $3 AND f.parent_id = sub.id
	) `

// isWithin tells whether folder target is id itself or lies below it, by
// walking up from target.
func isWithin(ctx context.Context, q store.Querier, ns string, target, id int64) (bool, error) {
	for depth := 0; target != rootID && depth < maxDepth; depth++ {
		if target == id {
			return true, nil
		}
		if err := q.QueryRowContext(ctx, `SELECT parent_id FROM clinked_files WHERE ns = $1 AND id = $2`, ns, target).Scan(&target); err != nil {
			return false, notFoundIf(err, "Folder not found")
		}
	}
	return false, nil
}

// liveFolder returns folder id of the group when it is a live folder c can
// see; rootID is the root (nil).
func liveFolder(ctx context.Context, q store.Querier, ga *groupAccess, c *caller, id int64) (*fileRow, error) {
	if id == rootID {
		return nil, nil
	}
	f, _, err := visibleFile(ctx, q, ga, c, id)
	if err != nil {
		return nil, httpx.NotFound("Folder not found")
	}
	if !f.folder {
		return nil, httpx.BadRequest("%s is not a folder", f.friendlyName)
	}
	return f, nil
}

// ---- trash ----

func init() {
	k := trashKind{restore: restoreFile, purge: purgeFile}
	registerTrashKind("file", k)
	registerTrashKind("folder", k)
}

// trashFile marks f and its live subtree trashed under f's id and records
// the trash entry.
func trashFile(ctx context.Context, tx *sql.Tx, ns string, f *fileRow, userID, now int64) error {
	if _, err := tx.ExecContext(ctx, subtreeSQL+`UPDATE clinked_files SET trashed_by = $2
		WHERE ns = $1 AND trashed_by = 0 AND id IN (SELECT id FROM sub)`, ns, f.id, f.groupID); err != nil {
		return err
	}
	kind := "file"
	if f.folder {
		kind = "folder"
	}
	_, err := moveToTrash(ctx, tx, ns, f.groupID, kind, f.id, f.friendlyName, userID, now)
	return err
}

// restoreFile brings back a trashed item and what was deleted with it. Its
// folder may be gone (purged, or in the trash itself): then it comes back
// at the group's root, renamed if the root has its name.
func restoreFile(ctx context.Context, tx *sql.Tx, ns string, itemID int64) error {
	f, err := fileByID(ctx, tx, ns, itemID)
	if errors.Is(err, sql.ErrNoRows) {
		return httpx.NotFound("File not found")
	}
	if err != nil {
		return err
	}
	if f.parentID != rootID {
		p, err := fileByID(ctx, tx, ns, f.parentID)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && p.trashedBy != 0) {
			name, err := uniqueFileName(ctx, tx, ns, f.groupID, rootID, f.name, f.id)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE clinked_files SET parent_id = 0, name = $3 WHERE ns = $1 AND id = $2`,
				ns, f.id, name); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE clinked_files SET trashed_by = 0 WHERE ns = $1 AND trashed_by = $2`, ns, itemID)
	return err
}

// purgeFile deletes a trashed item, what was deleted with it and their
// bytes, and frees their storage.
func purgeFile(ctx context.Context, tx *sql.Tx, ns string, itemID int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT `+fileCols+` FROM clinked_files WHERE ns = $1 AND trashed_by = $2`, ns, itemID)
	files, err := store.Collect(rows, err, scanFile)
	if err != nil {
		return err
	}
	freed := map[int64]int64{}
	for _, f := range files {
		if f.blobName.Valid {
			if err := blob.Delete(ctx, tx, ns, f.blobName.String); err != nil {
				return err
			}
		}
		freed[f.groupID] += f.size
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM clinked_files WHERE ns = $1 AND trashed_by = $2`, ns, itemID); err != nil {
		return err
	}
	for g, n := range freed {
		if err := addStorage(ctx, tx, ns, g, -n); err != nil {
			return err
		}
	}
	return nil
}

// clearFileBlobs removes every Clinked blob of the namespace (Clear).
func clearFileBlobs(ctx context.Context, tx *sql.Tx, ns string) error {
	if err := blob.ClearPrefix(ctx, tx, ns, blobPrefix); err != nil {
		return fmt.Errorf("clinked: clear blobs: %w", err)
	}
	return nil
}
