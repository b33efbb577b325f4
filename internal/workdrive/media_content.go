package workdrive

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/store"
)

// Videos and photos: items that present an uploaded file (or, for videos,
// external media) to the organization. Deleting one keeps the file.

// video sources: YOUTUBE 1, VIMEO 2, CUSTOM 3, RECORDING 4.
const (
	sourceYouTube = 1
	sourceVimeo   = 2
	sourceCustom  = 3
)

// video is a row of workdrive_videos.
type video struct {
	id, orgID, createdBy, updatedBy, title, description string
	source                                              int
	videoFileID, thumbnailFileID                        sql.NullString
	meta, audience, permissions                         string
	createdAt, updatedAt                                int64
}

const videoColumns = `id, org_id, created_by, updated_by, title, description, source, video_file_id,
	thumbnail_file_id, meta, audience, permissions, created_at, updated_at`

func (v *video) dest() []any {
	return []any{&v.id, &v.orgID, &v.createdBy, &v.updatedBy, &v.title, &v.description, &v.source,
		&v.videoFileID, &v.thumbnailFileID, &v.meta, &v.audience, &v.permissions, &v.createdAt, &v.updatedAt}
}

var scanVideo = scanRow[video]

// videoInOrg tells whether a video belongs to org (tasks' videoId).
func videoInOrg(ctx context.Context, q store.Querier, ns, org, id string) (bool, error) {
	return exists(ctx, q, `SELECT 1 FROM workdrive_videos WHERE ns = $1 AND id = $2 AND org_id = $3`, ns, id, org)
}

// fileField reads a file reference: "" or null clears it.
func fileField(ctx context.Context, q store.Querier, c *caller, b *httpx.Body, key string) (sql.NullString, bool, error) {
	v, ok := b.String(key)
	if !ok && !b.Null(key) {
		return sql.NullString{}, false, nil
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return sql.NullString{}, true, nil
	}
	if err := checkRefs(ctx, q, c.ns.ID, c.orgID, "file", key, []string{v}); err != nil {
		return sql.NullString{}, true, err
	}
	return sql.NullString{String: v, Valid: true}, true, nil
}

// sourceFromMeta guesses the source of external media from its URL.
func sourceFromMeta(meta clientJSON) int {
	for _, v := range meta {
		s, _ := v.(string)
		u, err := url.Parse(s)
		if err != nil || u.Host == "" {
			continue
		}
		switch h := strings.ToLower(u.Host); {
		case strings.Contains(h, "youtube.") || strings.Contains(h, "youtu.be"):
			return sourceYouTube
		case strings.Contains(h, "vimeo."):
			return sourceVimeo
		}
	}
	return sourceCustom
}

// applyVideoBody sets the present fields; videoFileId, source and meta only
// on create (the update table lists permissions, title, description and
// thumbnailFileId).
func applyVideoBody(ctx context.Context, tx *sql.Tx, c *caller, v *video, b *httpx.Body, creating bool) error {
	setString(b, "title", &v.title)
	setString(b, "description", &v.description)
	if f, ok, err := fileField(ctx, tx, c, b, "thumbnailFileId"); err != nil {
		return err
	} else if ok {
		v.thumbnailFileID = f
	}
	if perms := readPermissions(b, "permissions"); perms != nil {
		if err := perms.check(ctx, tx, c, "permissions"); err != nil {
			return err
		}
		v.permissions, v.audience = perms.json(), perms.audience()
	}
	if creating {
		f, _, err := fileField(ctx, tx, c, b, "videoFileId")
		if err != nil {
			return err
		}
		v.videoFileID = f
		meta := clientJSON{}
		if raw := b.Raw("meta"); raw != nil {
			if err := json.Unmarshal(raw, &meta); err != nil {
				return httpx.BadRequest("meta must be an object")
			}
		}
		if meta == nil {
			meta = clientJSON{}
		}
		v.meta = toJSON(meta)
		if !v.videoFileID.Valid && len(meta) == 0 {
			return httpx.BadRequest("videoFileId or meta (external media) is required")
		}
		v.source = sourceCustom
		if !v.videoFileID.Valid {
			v.source = sourceFromMeta(meta)
		}
		if n, ok := b.Int("source"); ok {
			if n < 1 || n > 4 {
				return httpx.BadRequest("source must be one of 1 (YOUTUBE), 2 (VIMEO), 3 (CUSTOM), 4 (RECORDING)")
			}
			v.source = int(n)
		}
	}
	return b.Err()
}

// createVideo serves POST /api/videos.
func (s *Service) createVideo(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	now := c.nowMS()
	perms := publicPermissions()
	v := &video{id: ids.UUID(), orgID: c.orgID, createdBy: c.id, updatedBy: c.id, meta: "{}",
		audience: perms.audience(), permissions: perms.json(), createdAt: now, updatedAt: now}
	return videoKind.create(s, w, r, c, func(ctx context.Context, tx *sql.Tx) (*video, error) {
		if err := applyVideoBody(ctx, tx, c, v, b, true); err != nil {
			return nil, err
		}
		return v, insertVideo(ctx, tx, c.ns.ID, v)
	})
}

// insertVideo stores a video with its grants.
func insertVideo(ctx context.Context, tx *sql.Tx, ns string, v *video) error {
	return insertContent(ctx, tx, ns, "workdrive_videos", videoColumns, v.dest(), v.id, v.permissions, nil, v.createdAt)
}

// updateVideo serves PATCH /api/videos/{id}.
func (s *Service) updateVideo(w http.ResponseWriter, r *http.Request, c *caller) error {
	return videoKind.patch(s, w, r, c, func(ctx context.Context, tx *sql.Tx, v *video, b *httpx.Body) error {
		if err := applyVideoBody(ctx, tx, c, v, b, false); err != nil {
			return err
		}
		v.updatedBy, v.updatedAt = c.id, c.nowMS()
		if _, err := tx.ExecContext(ctx, `UPDATE workdrive_videos SET title = $3, description = $4,
			thumbnail_file_id = $5, audience = $6, permissions = $7, updated_by = $8, updated_at = $9
			WHERE ns = $1 AND id = $2`, c.ns.ID, v.id, v.title, v.description, v.thumbnailFileID, v.audience,
			v.permissions, v.updatedBy, v.updatedAt); err != nil {
			return err
		}
		return resetAudience(ctx, tx, c.ns.ID, b, v.id, v.permissions)
	})
}

// deleteVideo serves DELETE /api/videos/{id}.
func (s *Service) deleteVideo(w http.ResponseWriter, r *http.Request, c *caller) error {
	return videoKind.delete(s, w, r, c, r.PathValue("id"))
}

// listVideos serves GET /api/videos: newest first, filtered by uploader
// (userId), by keywords in title or description (search), and with
// isFollowing=true to the videos of other users (everyone in an
// organization follows everyone: the API has no follow relation).
func (s *Service) listVideos(w http.ResponseWriter, r *http.Request, c *caller) error {
	return videoKind.serveList(s, w, r, c, "videos", func(a *store.Args) (string, error) {
		q := r.URL.Query()
		following, _, err := queryBool(q, "isFollowing")
		if err != nil {
			return "", err
		}
		var where string
		if following {
			where = ` AND x.created_by <> ` + a.Add(c.id)
		}
		byUser, err := byUserID(s, r, c, a)
		if err != nil {
			return "", err
		}
		where += byUser
		if term := strings.TrimSpace(q.Get("search")); term != "" {
			t := a.Add(likeEscape(term))
			where += ` AND (lower(x.title) LIKE ` + t + ` ESCAPE '\' OR lower(x.description) LIKE ` + t + ` ESCAPE '\')`
		}
		return where, nil
	})
}

// videoOut is the Video object: file references as ids, meta the
// external media info.
type videoOut struct {
	CreatedAt       string           `json:"createdAt"`
	CreatedBy       string           `json:"createdBy"`
	Description     string           `json:"description"`
	ID              string           `json:"id"`
	Meta            clientJSON       `json:"meta"`
	Source          int              `json:"source"`
	ThumbnailFileID string           `json:"thumbnailFileId"`
	Title           string           `json:"title"`
	UpdatedAt       string           `json:"updatedAt"`
	UpdatedBy       string           `json:"updatedBy"`
	User            *userSummaryJSON `json:"user"`
	VideoFileID     string           `json:"videoFileId"`
}

// renderVideo renders a video.
func renderVideo(sum *summaries, v *video) (*videoOut, error) {
	u, err := sum.one(v.createdBy)
	if err != nil {
		return nil, err
	}
	return &videoOut{
		ID: v.id, CreatedAt: isoTime(v.createdAt), UpdatedAt: isoTime(v.updatedAt),
		CreatedBy: v.createdBy, UpdatedBy: v.updatedBy, Title: v.title, Description: v.description,
		Source: v.source, VideoFileID: v.videoFileID.String, User: u,
		ThumbnailFileID: v.thumbnailFileID.String, Meta: jsonObject(v.meta),
	}, nil
}

// photo is a row of workdrive_photos.
type photo struct {
	id, orgID, createdBy, updatedBy, title, description, fileID string
	audience, permissions                                       string
	createdAt, updatedAt                                        int64
}

const photoColumns = `id, org_id, created_by, updated_by, title, description, file_id, audience, permissions,
	created_at, updated_at`

func (p *photo) dest() []any {
	return []any{&p.id, &p.orgID, &p.createdBy, &p.updatedBy, &p.title, &p.description, &p.fileID,
		&p.audience, &p.permissions, &p.createdAt, &p.updatedAt}
}

var scanPhoto = scanRow[photo]

// createPhoto serves POST /api/photos: fileId is required.
func (s *Service) createPhoto(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	now := c.nowMS()
	perms := publicPermissions()
	p := &photo{id: ids.UUID(), orgID: c.orgID, createdBy: c.id, updatedBy: c.id, title: b.Str("title"),
		description: b.Str("description"), createdAt: now, updatedAt: now}
	return photoKind.create(s, w, r, c, func(ctx context.Context, tx *sql.Tx) (*photo, error) {
		f, _, err := fileField(ctx, tx, c, b, "fileId")
		if err != nil {
			return nil, err
		}
		if !f.Valid {
			return nil, httpx.BadRequest("fileId is required")
		}
		p.fileID = f.String
		if given := readPermissions(b, "permissions"); given != nil {
			if err := given.check(ctx, tx, c, "permissions"); err != nil {
				return nil, err
			}
			perms = given
		}
		if err := b.Err(); err != nil {
			return nil, err
		}
		p.audience, p.permissions = perms.audience(), perms.json()
		return p, insertPhoto(ctx, tx, c.ns.ID, p)
	})
}

// insertPhoto stores a photo with its grants.
func insertPhoto(ctx context.Context, tx *sql.Tx, ns string, p *photo) error {
	return insertContent(ctx, tx, ns, "workdrive_photos", photoColumns, p.dest(), p.id, p.permissions, nil, p.createdAt)
}

// updatePhoto serves PATCH /api/photos/{id}: title and description, the
// only fields the doc lists.
func (s *Service) updatePhoto(w http.ResponseWriter, r *http.Request, c *caller) error {
	return photoKind.patch(s, w, r, c, func(ctx context.Context, tx *sql.Tx, p *photo, b *httpx.Body) error {
		setString(b, "title", &p.title)
		setString(b, "description", &p.description)
		if err := b.Err(); err != nil {
			return err
		}
		p.updatedBy, p.updatedAt = c.id, c.nowMS()
		_, err := tx.ExecContext(ctx, `UPDATE workdrive_photos SET title = $3, description = $4,
			updated_by = $5, updated_at = $6 WHERE ns = $1 AND id = $2`,
			c.ns.ID, p.id, p.title, p.description, p.updatedBy, p.updatedAt)
		return err
	})
}

// deletePhoto serves DELETE /api/photos/{id}.
func (s *Service) deletePhoto(w http.ResponseWriter, r *http.Request, c *caller) error {
	return photoKind.delete(s, w, r, c, r.PathValue("id"))
}

// photoFilters narrow the photos the caller sees: all_photos (default),
// friends_photos (other users'), only_me_photos (the caller's),
// tagged_photos (the caller is tagged) and team_photos (by members of the
// caller's department).
func photoFilter(a *store.Args, c *caller, f string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(f)) {
	case "", "all_photos":
		return "", nil
	case "friends_photos":
		return ` AND x.created_by <> ` + a.Add(c.id), nil
	case "only_me_photos":
		return ` AND x.created_by = ` + a.Add(c.id), nil
	case "tagged_photos":
		return ` AND EXISTS (SELECT 1 FROM workdrive_content_audience ca WHERE ca.ns = x.ns AND ca.item_id = x.id
			AND ca.ref_kind = 'tagged' AND ca.ref_id = ` + a.Add(c.id) + `)`, nil
	case "team_photos":
		if !c.user.departmentID.Valid {
			return ` AND x.created_by = ` + a.Add(c.id), nil
		}
		return ` AND EXISTS (SELECT 1 FROM workdrive_users tu WHERE tu.ns = x.ns AND tu.id = x.created_by
			AND tu.department_id = ` + a.Add(c.user.departmentID.String) + `)`, nil
	}
	return "", httpx.BadRequest("filter must be one of all_photos, friends_photos, only_me_photos, tagged_photos, team_photos")
}

// listPhotos serves GET /api/photos, newest first.
func (s *Service) listPhotos(w http.ResponseWriter, r *http.Request, c *caller) error {
	return photoKind.serveList(s, w, r, c, "photos", func(a *store.Args) (string, error) {
		extra, err := photoFilter(a, c, r.URL.Query().Get("filter"))
		if err != nil {
			return "", err
		}
		byUser, err := byUserID(s, r, c, a)
		return extra + byUser, err
	})
}

// photoOut is the Photo object; photo is the File object.
type photoOut struct {
	CreatedAt   string           `json:"createdAt"`
	CreatedBy   string           `json:"createdBy"`
	Description string           `json:"description"`
	ID          string           `json:"id"`
	Photo       *fileOut         `json:"photo"`
	Title       string           `json:"title"`
	UpdatedAt   string           `json:"updatedAt"`
	UpdatedBy   string           `json:"updatedBy"`
	User        *userSummaryJSON `json:"user"`
}

// renderPhoto renders a photo.
func renderPhoto(sum *summaries, p *photo) (*photoOut, error) {
	u, err := sum.one(p.createdBy)
	if err != nil {
		return nil, err
	}
	f, err := sum.file(p.orgID, p.fileID)
	if err != nil {
		return nil, err
	}
	return &photoOut{
		ID: p.id, CreatedAt: isoTime(p.createdAt), UpdatedAt: isoTime(p.updatedAt),
		CreatedBy: p.createdBy, UpdatedBy: p.updatedBy, Title: p.title, Description: p.description,
		Photo: f, User: u,
	}, nil
}
