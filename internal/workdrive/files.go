package workdrive

import (
	"context"
	"database/sql"
	"strings"

	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
)

// file is a row of workdrive_files: media issued by GET /api/media.
type file struct {
	id, orgID, ownerID, name, mime, status, blobKey string
	moduleCode                                      int
	size, createdAt                                 int64
}

const fileColumns = `id, org_id, owner_id, name, mime, module_code, size, status, blob_key, created_at`

func (f *file) dest() []any {
	return []any{&f.id, &f.orgID, &f.ownerID, &f.name, &f.mime, &f.moduleCode, &f.size, &f.status, &f.blobKey, &f.createdAt}
}

var scanFile = scanRow[file]

// fileByID returns a file issued in org (pending or uploaded); another
// organization's file is not found.
func fileByID(ctx context.Context, q store.Querier, ns, org, id string) (*file, error) {
	return rowInOrg[file](ctx, q, "workdrive_files", fileColumns, ns, org, id)
}

// insertFile stores a file row.
func insertFile(ctx context.Context, q store.Querier, ns string, f *file) error {
	return insertRow(ctx, q, "workdrive_files", "ns", fileColumns, f.dest(), ns)
}

// fileURL is where a file's bytes are served (the media routes).
func fileURL(ns *namespace.Namespace, blobKey string) string {
	return ns.BaseURL + "/media/" + blobKey
}

// fileOut is the File object.
type fileOut struct {
	Bucket     string      `json:"bucket"`
	CDN        string      `json:"cdn"`
	CreatedAt  string      `json:"createdAt"`
	DashURL    string      `json:"dashUrl"`
	HLSURL     string      `json:"hlsUrl"`
	ID         string      `json:"id"`
	IsDoc      bool        `json:"isDoc"`
	IsImage    bool        `json:"isImage"`
	IsVideo    bool        `json:"isVideo"`
	Metadata   emptyObject `json:"metadata"`
	Mime       string      `json:"mime"`
	MP4URLs    []string    `json:"mp4Urls"`
	Name       string      `json:"name"`
	Owner      any         `json:"owner"` // the owner's UserSummary, {} when gone
	Path       string      `json:"path"`
	Processing emptyObject `json:"processing"`
	Size       int64       `json:"size"`
	Thumbnail  string      `json:"thumbnail"`
	URL        string      `json:"url"`
}

// fileJSON renders the File object; owner is the owner's UserSummary.
func fileJSON(ns *namespace.Namespace, f *file, owner *userSummaryJSON) *fileOut {
	url := fileURL(ns, f.blobKey)
	isImage := strings.HasPrefix(f.mime, "image/")
	isVideo := strings.HasPrefix(f.mime, "video/")
	thumb := ""
	if isImage {
		thumb = url
	}
	mp4 := []string{}
	if f.mime == "video/mp4" {
		mp4 = []string{url}
	}
	var o any = emptyObject{}
	if owner != nil {
		o = owner
	}
	return &fileOut{
		ID: f.id, Mime: f.mime, Path: f.blobKey, Name: f.name,
		Size: f.size, URL: url, CDN: url, Bucket: "workdrive",
		MP4URLs: mp4, Thumbnail: thumb,
		IsImage: isImage, IsVideo: isVideo, IsDoc: !isImage && !isVideo,
		CreatedAt: isoTime(f.createdAt), Owner: o,
	}
}

// fileObject loads a file and renders it with its owner, or returns nil
// when id is empty or names no file (a reference whose file was removed).
func fileObject(ctx context.Context, q store.Querier, ns *namespace.Namespace, org, id string) (*fileOut, error) {
	if id == "" {
		return nil, nil
	}
	f, err := fileByID(ctx, q, ns.ID, org, id)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var owner *userSummaryJSON
	if u, err := userByID(ctx, q, ns.ID, f.ownerID); err == nil {
		owner = userSummary(ns, u)
	} else if err != sql.ErrNoRows {
		return nil, err
	}
	return fileJSON(ns, f, owner), nil
}

// checkFileRef validates a fileId in a request body: it must have been
// issued in the caller's organization (pending uploads are accepted).
func checkFileRef(ctx context.Context, q store.Querier, ns, org, field, id string) error {
	if _, err := fileByID(ctx, q, ns, org, id); err != nil {
		return refErr(err, field, id)
	}
	return nil
}
