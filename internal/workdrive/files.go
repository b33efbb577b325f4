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

func scanFile(row store.Scanner) (*file, error) {
	var f file
	err := row.Scan(&f.id, &f.orgID, &f.ownerID, &f.name, &f.mime, &f.moduleCode, &f.size, &f.status, &f.blobKey, &f.createdAt)
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// fileByID returns a file issued in org (pending or uploaded); another
// organization's file is not found.
func fileByID(ctx context.Context, q store.Querier, ns, org, id string) (*file, error) {
	return scanFile(q.QueryRowContext(ctx, `SELECT `+fileColumns+` FROM workdrive_files
		WHERE ns = $1 AND id = $2 AND org_id = $3`, ns, id, org))
}

// insertFile stores a file row.
func insertFile(ctx context.Context, q store.Querier, ns string, f *file) error {
	_, err := q.ExecContext(ctx, `INSERT INTO workdrive_files (`+fileColumns+`, ns)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		f.id, f.orgID, f.ownerID, f.name, f.mime, f.moduleCode, f.size, f.status, f.blobKey, f.createdAt, ns)
	return err
}

// fileURL is where a file's bytes are served (the media routes).
func fileURL(ns *namespace.Namespace, blobKey string) string {
	return ns.BaseURL + "/media/" + blobKey
}

// fileJSON renders the File object; owner is the owner's UserSummary.
func fileJSON(ns *namespace.Namespace, f *file, owner any) map[string]any {
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
	if owner == nil {
		owner = map[string]any{}
	}
	return map[string]any{
		"id": f.id, "mime": f.mime, "path": f.blobKey, "name": f.name,
		"processing": map[string]any{}, "metadata": map[string]any{},
		"size": f.size, "url": url, "cdn": url, "bucket": "workdrive",
		"mp4Urls": mp4, "hlsUrl": "", "dashUrl": "", "thumbnail": thumb,
		"isImage": isImage, "isVideo": isVideo, "isDoc": !isImage && !isVideo,
		"createdAt": isoTime(f.createdAt), "owner": owner,
	}
}

// fileObject loads a file and renders it with its owner, or returns nil
// when id is empty or names no file (a reference whose file was removed).
func fileObject(ctx context.Context, q store.Querier, ns *namespace.Namespace, org, id string) (map[string]any, error) {
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
	var owner any
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
