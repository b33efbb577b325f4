package clinked

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/standin-dev/standin/internal/blob"
	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/valid"
)

// fileInput is a file create or update body; nil fields are absent.
type fileInput struct {
	friendlyName     *string
	tempFile         *int64
	sharing          *string
	memberPermission *int64
	tagsSet          bool
	tags             sql.NullString
	parentSet        bool
	parent           int64
	locked           *bool
	summary          *string
}

// readFileInput reads {friendlyName, tempFile, sharing, memberPermission,
// tags, parent, locked, summary}; every bad field is in one 400.
func readFileInput(b *httpx.Body) (*fileInput, error) {
	in := &fileInput{}
	if s, ok := b.StringMax("friendlyName", valid.MaxName); ok {
		s = strings.TrimSpace(s)
		if s == "" {
			b.Fail("friendlyName", "a non-empty string")
		}
		in.friendlyName = &s
	}
	if n, ok := intField(b, "tempFile"); ok {
		in.tempFile = &n
	}
	if s, ok := b.String("sharing"); ok {
		s = strings.ToUpper(strings.TrimSpace(s))
		if !slices.Contains(sharingValues, s) {
			b.Fail("sharing", "one of NONE, DEFAULT, MEMBERS, PUBLIC")
		}
		in.sharing = &s
	}
	if n, ok := intField(b, "memberPermission"); ok {
		if !validMemberPermission(n) {
			b.Fail("memberPermission", "a mask of 1 (view), 2 (edit) and 4 (delete), or 16")
		}
		in.memberPermission = &n
	}
	if b.Has("tags") {
		in.tagsSet = true
		raw := bytes.TrimSpace(b.Raw("tags"))
		var list []string
		switch {
		case len(raw) == 0: // null clears
		case raw[0] == '[':
			list, _ = b.Strings("tags")
		default:
			s, _ := b.String("tags")
			list = strings.Split(s, ",")
		}
		var clean []string
		for _, t := range list {
			if t = strings.TrimSpace(t); t != "" && !slices.Contains(clean, t) {
				clean = append(clean, t)
			}
		}
		joined := strings.Join(clean, ",")
		if len(joined) > valid.MaxText {
			b.Fail("tags", "at most 1000 characters in all")
		}
		in.tags = nullStr(joined)
	}
	if b.Has("parent") {
		in.parentSet = true
		if !b.Null("parent") {
			raw := bytes.TrimSpace(b.Raw("parent"))
			if len(raw) > 0 && raw[0] == '{' { // a parent record: its id
				if o, ok := b.Object("parent"); ok {
					in.parent, _ = intField(o, "id")
				}
			} else {
				in.parent, _ = intField(b, "parent")
			}
		}
	}
	if v, ok := boolField(b, "locked"); ok {
		in.locked = &v
	}
	if s, ok := b.StringMax("summary", valid.MaxText); ok {
		in.summary = &s
	}
	return in, b.Err()
}

// fileBody resolves {group} for a content endpoint and reads the JSON body.
func (s *Service) fileBody(w http.ResponseWriter, r *http.Request, c *caller) (*groupAccess, *fileInput, error) {
	ga, b, err := s.contentBody(w, r, c, permBasic)
	if err != nil {
		return nil, nil, err
	}
	in, err := readFileInput(b)
	return ga, in, err
}

// answerFile renders f as the caller sees it and answers 200.
func (s *Service) answerFile(w http.ResponseWriter, r *http.Request, ga *groupAccess, c *caller, f *fileRow, cols fileColumns) error {
	out, err := newFileViews(s.db, ga, c).view(r.Context(), f, cols)
	return reply(w, out, err)
}

// createRootFile serves POST /v3/groups/{group}/files: a file from a temp
// file, or (without tempFile) a folder, at the group's root.
func (s *Service) createRootFile(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, in, err := s.fileBody(w, r, c)
	if err != nil {
		return err
	}
	return s.createFile(w, r, c, ga, in.parent, in) // parent in the body, else the root
}

// postFile serves POST /v3/groups/{group}/files/{id}: on a folder, a new
// file or folder inside it; on a file, a new version from tempFile.
func (s *Service) postFile(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, in, err := s.fileBody(w, r, c)
	id, err := idAfter(r, "id", err)
	if err != nil {
		return err
	}
	f, _, err := visibleFile(r.Context(), s.db, ga, c, id)
	if err != nil {
		return err
	}
	if f.folder {
		if in.parentSet && in.parent != f.id {
			return httpx.BadRequest("parent must be the folder the path names")
		}
		return s.createFile(w, r, c, ga, f.id, in)
	}
	if in.tempFile == nil {
		return httpx.BadRequest("tempFile is required to upload a new version of a file")
	}
	return s.changeFile(w, r, c, ga, id, in)
}

// createFile makes a file (from in.tempFile) or a folder in parent.
func (s *Service) createFile(w http.ResponseWriter, r *http.Request, c *caller, ga *groupAccess, parent int64, in *fileInput) error {
	ctx := r.Context()
	if in.tempFile == nil && in.friendlyName == nil {
		return httpx.BadRequest("friendlyName is required to create a folder")
	}
	var f *fileRow
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := liveFolder(ctx, tx, ga, c, parent); err != nil {
			return err
		}
		now := ms(c.ns.Now())
		f = &fileRow{groupID: ga.group.id, parentID: parent, folder: true, contentType: folderType,
			sharing: "DEFAULT", memberPermission: defaultFilePermission, tags: in.tags,
			uploaderID: sql.NullInt64{Int64: c.user.id, Valid: true}, uploaderName: c.user.name,
			uploaderUsername: c.user.username, dateCreated: now, lastModified: now}
		if in.tempFile != nil {
			t, err := claimTempFile(ctx, tx, c, *in.tempFile)
			if err != nil {
				return err
			}
			f.folder, f.contentType, f.size = false, t.ctype, t.size
			f.blobName = sql.NullString{String: t.blobName, Valid: true}
			f.friendlyName = t.filename
			if in.summary != nil {
				f.summary = nullStr(*in.summary)
			}
		}
		if in.friendlyName != nil {
			f.friendlyName = *in.friendlyName
		}
		if in.sharing != nil {
			f.sharing = *in.sharing
		}
		if in.memberPermission != nil {
			f.memberPermission = *in.memberPermission
		}
		if in.locked != nil && *in.locked {
			f.lockerID = sql.NullInt64{Int64: c.user.id, Valid: true}
		}
		name, err := uniqueFileName(ctx, tx, c.ns.ID, ga.group.id, parent, fileSlug(f.friendlyName), 0)
		if err != nil {
			return err
		}
		f.name = name
		if err := insertFile(ctx, tx, c.ns.ID, f); err != nil {
			return err
		}
		return addStorage(ctx, tx, c.ns.ID, ga.group.id, f.size)
	})
	if err != nil {
		return uniqueAsConflict(err)
	}
	return s.answerFile(w, r, ga, c, f, fileColumns{})
}

// uniqueAsConflict makes the unique violation of two creates racing for
// one name a 409.
func uniqueAsConflict(err error) error {
	if store.IsUniqueViolation(err) {
		return httpx.Conflict("A file of that name was created at the same time; try again")
	}
	return err
}

// pathFile resolves {group} and its file {id}, as far as the caller may
// see it.
func (s *Service) pathFile(r *http.Request, c *caller) (*groupAccess, *fileRow, error) {
	ga, err := s.contentGroup(r, c, permBasic)
	id, err := idAfter(r, "id", err)
	if err != nil {
		return nil, nil, err
	}
	f, _, err := visibleFile(r.Context(), s.db, ga, c, id)
	return ga, f, err
}

// getFile serves GET /v3/groups/{group}/files/{id}.
func (s *Service) getFile(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, f, err := s.pathFile(r, c)
	if err != nil {
		return err
	}
	return s.answerFile(w, r, ga, c, f, parseColumns(r.URL.Query()["columns"]))
}

// updateFile serves PUT and PATCH /v3/groups/{group}/files/{id}: rename
// (friendlyName), tags, move (parent; null or 0 is the root), sharing,
// memberPermission, lock (locked), and with tempFile a new version. Only
// the fields present change.
func (s *Service) updateFile(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, in, err := s.fileBody(w, r, c)
	id, err := idAfter(r, "id", err)
	if err != nil {
		return err
	}
	return s.changeFile(w, r, c, ga, id, in)
}

// changeFile applies in to file id in one transaction.
func (s *Service) changeFile(w http.ResponseWriter, r *http.Request, c *caller, ga *groupAccess, id int64, in *fileInput) error {
	ctx := r.Context()
	var f *fileRow
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var perm int64
		var err error
		if f, perm, err = visibleFile(ctx, tx, ga, c, id); err != nil {
			return err
		}
		now := ms(c.ns.Now())
		// Unlocking comes first: the locker or a group administrator
		// may, and may change the file in the same request.
		if in.locked != nil && !*in.locked && f.lockerID.Valid {
			if f.lockerID.Int64 != c.user.id && ga.perm < permAdmin {
				return lockedAgainst(ctx, tx, c, f)
			}
			f.lockerID = sql.NullInt64{}
		}
		if err := lockedAgainst(ctx, tx, c, f); err != nil {
			return err
		}
		edits := in.friendlyName != nil || in.tagsSet || in.parentSet || in.tempFile != nil || in.locked != nil || in.summary != nil
		if edits && !allows(perm, filePermEdit) {
			return httpx.Forbidden("You may not change this file")
		}
		if (in.sharing != nil || in.memberPermission != nil) && perm < filePermFull {
			return httpx.Forbidden("Only the uploader or a group administrator may change who can use this file")
		}
		if in.locked != nil && *in.locked {
			f.lockerID = sql.NullInt64{Int64: c.user.id, Valid: true}
		}
		if in.tempFile != nil {
			if f.folder {
				return httpx.BadRequest("A folder has no content: tempFile is for files")
			}
			t, err := claimTempFile(ctx, tx, c, *in.tempFile)
			if err != nil {
				return err
			}
			if f.blobName.Valid {
				if err := blob.Delete(ctx, tx, c.ns.ID, f.blobName.String); err != nil {
					return err
				}
			}
			if err := addStorage(ctx, tx, c.ns.ID, f.groupID, t.size-f.size); err != nil {
				return err
			}
			f.blobName = sql.NullString{String: t.blobName, Valid: true}
			f.size, f.contentType, f.versions = t.size, t.ctype, f.versions+1
			f.summary = sql.NullString{}
		}
		if in.summary != nil {
			f.summary = nullStr(*in.summary)
		}
		rename := false
		if in.friendlyName != nil && *in.friendlyName != f.friendlyName {
			f.friendlyName, rename = *in.friendlyName, true
		}
		if in.parentSet && in.parent != f.parentID {
			if _, err := liveFolder(ctx, tx, ga, c, in.parent); err != nil {
				return err
			}
			if within, err := isWithin(ctx, tx, c.ns.ID, in.parent, f.id); err != nil {
				return err
			} else if within {
				return httpx.BadRequest("A folder cannot be moved into itself or one of its own folders")
			}
			f.parentID, rename = in.parent, true
		}
		if rename {
			if f.name, err = uniqueFileName(ctx, tx, c.ns.ID, f.groupID, f.parentID, fileSlug(f.friendlyName), f.id); err != nil {
				return err
			}
		}
		if in.tagsSet {
			f.tags = in.tags
		}
		if in.sharing != nil {
			f.sharing = *in.sharing
		}
		if in.memberPermission != nil {
			f.memberPermission = *in.memberPermission
		}
		f.lastModified = now
		return updateFile(ctx, tx, c.ns.ID, f)
	})
	if err != nil {
		return uniqueAsConflict(err)
	}
	return s.answerFile(w, r, ga, c, f, fileColumns{})
}

// deleteFile serves DELETE /v3/groups/{group}/files/{id}: the file, or the
// folder with everything in it, moves to the group's trash.
func (s *Service) deleteFile(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, err := s.contentGroup(r, c, permBasic)
	id, err := idAfter(r, "id", err)
	if err != nil {
		return err
	}
	err = s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		f, perm, err := visibleFile(r.Context(), tx, ga, c, id)
		if err != nil {
			return err
		}
		if !allows(perm, filePermDelete) {
			return httpx.Forbidden("You may not delete this file")
		}
		if err := lockedAgainst(r.Context(), tx, c, f); err != nil {
			return err
		}
		return trashFile(r.Context(), tx, c.ns.ID, f, c.user.id, ms(c.ns.Now()))
	})
	if store.IsUniqueViolation(err) { // a concurrent delete made the trash entry first
		return httpx.NotFound("File not found")
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// downloadFile serves GET /v3/groups/{group}/files/{id}/download: the
// bytes, streamed from the blob store one chunk at a time, with Range and
// conditional requests (http.ServeContent).
func (s *Service) downloadFile(w http.ResponseWriter, r *http.Request, c *caller) error {
	_, f, err := s.pathFile(r, c)
	if err != nil {
		return err
	}
	if f.folder {
		return httpx.BadRequest("%s is a folder: only files can be downloaded", f.friendlyName)
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": f.friendlyName})
	if disp == "" { // a name FormatMediaType cannot write: the slug can
		disp = mime.FormatMediaType("attachment", map[string]string{"filename": f.name})
	}
	h.Set("Content-Disposition", disp)
	if !f.blobName.Valid { // a record without bytes (a fixture's empty file)
		h.Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
		return nil
	}
	rd, err := blob.New(s.db).Open(r.Context(), c.ns.ID, f.blobName.String)
	if errors.Is(err, blob.ErrNotFound) {
		return httpx.NotFound("The content of %s is gone", f.friendlyName)
	}
	if err != nil {
		return err
	}
	h.Set("ETag", `"`+rd.Info().Version+`"`)
	sw := &serveWriter{ResponseWriter: w}
	http.ServeContent(sw, r, "", msTime(f.lastModified), rd)
	if sw.failed != 0 { // an unsatisfiable range or a failed precondition
		h.Del("Content-Range")
		return httpx.Errorf(sw.failed, "%s", http.StatusText(sw.failed))
	}
	return nil
}

// serveWriter holds back http.ServeContent's plain-text errors, so that
// they are answered in Clinked's envelope instead.
type serveWriter struct {
	http.ResponseWriter
	failed int
}

func (w *serveWriter) WriteHeader(code int) {
	if code >= 400 {
		w.failed = code
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *serveWriter) Write(b []byte) (int, error) {
	if w.failed != 0 {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

// fileListOrder is filesList's orderBy; folders always come first.
var fileListOrder = orderSpec{
	columns: map[string]string{"friendlyName": "sort_name", "name": "name", "lastModified": "last_modified",
		"size": "size", "contentType": "content_type", "dateCreated": "date_created", "id": "id"},
	def:      "friendlyName",
	tiebreak: "id",
}

// listFiles serves GET /v3/groups/{group}/filesList: a page of the records
// in parent (the root when absent), or with flat=true of every record below
// it; siblings=true lists parent's own folder instead. name filters on
// friendlyName (case-insensitive substring); columns adds optional fields.
func (s *Service) listFiles(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, err := s.contentGroup(r, c, permBasic)
	if err != nil {
		return err
	}
	ctx := r.Context()
	p := r.URL.Query()
	lq, err := parseList(p, 25, fileListOrder)
	if err != nil {
		return err
	}
	flat, err := queryBool(p, "flat", false)
	if err != nil {
		return err
	}
	siblings, err := queryBool(p, "siblings", false)
	if err != nil {
		return err
	}
	parent := int64(rootID)
	if v := strings.TrimSpace(p.Get("parent")); v != "" {
		n, ok := httpx.Int64(v)
		if !ok {
			return httpx.BadRequest("parent must be a folder id")
		}
		folder, err := liveFolder(ctx, s.db, ga, c, n)
		if err != nil {
			return err
		}
		parent = n
		if siblings && !flat && folder != nil {
			parent = folder.parentID
		}
	}
	args := store.Args{c.ns.ID, ga.group.id}
	var with, where string
	switch {
	case flat && parent != rootID:
		args.Add(parent)
		with = descendantsCTE
		where = ` FROM clinked_files f WHERE f.ns = $1 AND f.group_id = $2 AND f.trashed_by = 0 AND f.id IN (SELECT id FROM sub)`
	case flat:
		where = ` FROM clinked_files f WHERE f.ns = $1 AND f.group_id = $2 AND f.trashed_by = 0`
	default:
		where = ` FROM clinked_files f WHERE f.ns = $1 AND f.group_id = $2 AND f.parent_id = ` + args.Add(parent) + ` AND f.trashed_by = 0`
	}
	if ga.perm < permAdmin { // unshared records are the uploader's
		where += ` AND (f.sharing <> 'NONE' OR f.uploader_id = ` + args.Add(c.user.id) + `)`
	}
	if v := strings.TrimSpace(p.Get("name")); v != "" {
		where += likeAny(&args, "%"+likePattern(v)+"%", "f.sort_name")
	}
	total, err := s.count(ctx, with+`SELECT count(*)`+where, args)
	if err != nil {
		return err
	}
	lq.order = "f.kind_order, f." + strings.ReplaceAll(lq.order, ", ", ", f.")
	tail, all := lq.orderAndLimit(args)
	rows, err := s.db.QueryContext(ctx, with+`SELECT `+prefixCols("f", fileCols)+where+tail, all...)
	files, err := store.Collect(rows, err, scanFile)
	if err != nil {
		return err
	}
	items, err := newFileViews(s.db, ga, c).views(ctx, files, parseColumns(p["columns"]))
	if err != nil {
		return err
	}
	return writePage(w, items, lq, total)
}

// descendantsCTE is the ids of every record below folder $3 of group $2.
const descendantsCTE = `WITH RECURSIVE sub(id) AS (
		SELECT id FROM clinked_files WHERE ns = $1 AND group_id = $2 AND parent_id = $3
		UNION ALL
		SELECT d.id FROM clinked_files d JOIN sub ON d.ns = $1 AND d.group_id = $2 AND d.parent_id = sub.id
	) `

// prefixCols qualifies a column list with a table alias.
func prefixCols(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = alias + "." + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// searchFile serves GET /v3/groups/{group}/files?path=…&exclude=…: the
// first record (by id) at path that is not excluded, or 404. path is the
// record's slugs from the root joined with '-', each with '.' written '_'
// (the example's "folder-file_csv" is file.csv in folder); '/'-joined
// slugs are taken as they are. exclude takes comma-separated or repeated
// ids.
func (s *Service) searchFile(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, err := s.contentGroup(r, c, permBasic)
	if err != nil {
		return err
	}
	p := r.URL.Query()
	path := strings.TrimSpace(p.Get("path"))
	if path == "" {
		return httpx.BadRequest("path is required: the record's name slugs joined with '-'")
	}
	exclude := map[int64]bool{}
	for _, v := range p["exclude"] {
		for _, e := range strings.Split(v, ",") {
			if e = strings.TrimSpace(e); e == "" {
				continue
			}
			n, ok := httpx.Int64(e)
			if !ok {
				return httpx.BadRequest("exclude must be file ids")
			}
			exclude[n] = true
		}
	}
	sep, dotted := "-", true
	if strings.Contains(path, "/") {
		sep, dotted = "/", false
	}
	var segs []string
	for _, seg := range strings.Split(strings.Trim(path, sep), sep) {
		if seg != "" {
			segs = append(segs, seg)
		}
	}
	if len(segs) == 0 || len(segs) > maxDepth {
		return httpx.BadRequest("path must name a record")
	}
	f, err := s.findByPath(r.Context(), ga, c, segs, dotted, exclude)
	if err != nil {
		return err
	}
	return s.answerFile(w, r, ga, c, f, searchColumns)
}

// maxPathCandidates bounds the records a path search looks at per level
// ('.' and '_' both read as '_' can make one segment match several).
const maxPathCandidates = 100

// findByPath walks segs down from the root.
func (s *Service) findByPath(ctx context.Context, ga *groupAccess, c *caller, segs []string, dotted bool, exclude map[int64]bool) (*fileRow, error) {
	parents := []int64{rootID}
	for i, seg := range segs {
		last := i == len(segs)-1
		var next []int64
		for _, parent := range parents {
			cond := `name = $4`
			if dotted {
				cond = `replace(name, '.', '_') = $4`
			}
			rows, err := s.db.QueryContext(ctx, `SELECT `+fileCols+` FROM clinked_files WHERE ns = $1 AND group_id = $2
				AND parent_id = $3 AND trashed_by = 0 AND `+cond+` ORDER BY id LIMIT `+strconv.Itoa(maxPathCandidates),
				c.ns.ID, ga.group.id, parent, strings.ToLower(seg))
			files, err := store.Collect(rows, err, scanFile)
			if err != nil {
				return nil, err
			}
			for _, f := range files {
				if filePerm(ga, c, f) == 0 {
					continue
				}
				if last {
					if !exclude[f.id] {
						return f, nil
					}
				} else if f.folder {
					next = append(next, f.id)
				}
			}
		}
		if len(next) > maxPathCandidates {
			next = next[:maxPathCandidates]
		}
		parents = next
	}
	return nil, httpx.NotFound("No file at path %s", strings.Join(segs, "-"))
}
