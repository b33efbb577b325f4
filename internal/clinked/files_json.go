package clinked

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/standin-dev/standin/internal/store"
)

// fileJSON is a FileRecord: a file or a folder. Keys follow the examples'
// order; the optional ones (shareCount, commentCount, approvalSummary,
// parent, tasksCount, jobs) appear when asked for (filesList columns) and
// always in search answers.
type fileJSON struct {
	ID               int64                `json:"id"`
	ContextKey       contextKeyJSON       `json:"contextKey"`
	Sharing          string               `json:"sharing"`
	MemberPermission int64                `json:"memberPermission"`
	Following        bool                 `json:"following"`
	ShareCount       *int64               `json:"shareCount,omitempty"`
	UserAces         bool                 `json:"userAces"`
	UserPermission   int64                `json:"userPermission"`
	CommentCount     *int64               `json:"commentCount,omitempty"`
	Name             string               `json:"name"`
	FriendlyName     string               `json:"friendlyName"`
	ContentType      string               `json:"contentType"`
	Size             int64                `json:"size"`
	Uploaded         uploadedJSON         `json:"uploaded"`
	Tags             *string              `json:"tags"`
	Locked           bool                 `json:"locked"`
	Locker           *baseUserJSON        `json:"locker"`
	LastModified     int64                `json:"lastModified"`
	Summary          *string              `json:"summary"`
	ApprovalSummary  *approvalSummaryJSON `json:"approvalSummary,omitempty"`
	Path             []filePathJSON       `json:"path"`
	Versions         int64                `json:"versions"`
	PreviewInfo      json.RawMessage      `json:"previewInfo"`
	Watermark        bool                 `json:"watermark"`
	Group            groupRefJSON         `json:"group"`
	Parent           *filePathJSON        `json:"parent,omitempty"`
	TasksCount       *int64               `json:"tasksCount,omitempty"`
	Jobs             *[]json.RawMessage   `json:"jobs,omitempty"`
}

// uploadedJSON is {user, name, username}: user is null once the user is
// deleted, name and username stay.
type uploadedJSON struct {
	User     *baseUserJSON `json:"user"`
	Name     string        `json:"name"`
	Username string        `json:"username"`
}

// approvalSummaryJSON counts approvals (standin has no approval workflow:
// all zero).
type approvalSummaryJSON struct {
	PendingCount  int64 `json:"pendingCount"`
	RejectedCount int64 `json:"rejectedCount"`
	ApprovedCount int64 `json:"approvedCount"`
	Count         int64 `json:"count"`
}

// filePathJSON is a folder in a record's path (its ancestors, root
// first) or its parent.
type filePathJSON struct {
	ID           int64          `json:"id"`
	ContextKey   contextKeyJSON `json:"contextKey"`
	Name         string         `json:"name"`
	FriendlyName string         `json:"friendlyName"`
	ContentType  string         `json:"contentType"`
}

func (f *fileRow) pathEntry() filePathJSON {
	return filePathJSON{ID: f.id, ContextKey: contextKeyJSON{f.contextKey}, Name: f.name,
		FriendlyName: f.friendlyName, ContentType: f.contentType}
}

// fileColumns are the optional fields a response carries.
type fileColumns struct {
	shareCount, commentCount, approvalSummary, parent, tasksCount, jobs bool
}

// parseColumns reads filesList's columns: comma-separated (or repeated)
// optional field names; unknown names are ignored.
func parseColumns(vals []string) fileColumns {
	var c fileColumns
	for _, v := range vals {
		for _, name := range strings.Split(v, ",") {
			switch strings.TrimSpace(name) {
			case "shareCount":
				c.shareCount = true
			case "commentCount":
				c.commentCount = true
			case "approvalSummary":
				c.approvalSummary = true
			case "parent":
				c.parent = true
			case "tasksCount":
				c.tasksCount = true
			case "jobs":
				c.jobs = true
			}
		}
	}
	return c
}

// searchColumns are the extra fields of the search answer (its example).
var searchColumns = fileColumns{shareCount: true, commentCount: true, approvalSummary: true}

// fileViews renders records for one response, loading each user and each
// ancestor folder once.
type fileViews struct {
	q       store.Querier
	ga      *groupAccess
	c       *caller
	users   *userCache
	folders map[int64]*fileRow
}

func newFileViews(q store.Querier, ga *groupAccess, c *caller) *fileViews {
	return &fileViews{q: q, ga: ga, c: c, users: newUserCache(q, c.ns.ID), folders: map[int64]*fileRow{}}
}

func (v *fileViews) folder(ctx context.Context, id int64) (*fileRow, error) {
	if f, ok := v.folders[id]; ok {
		return f, nil
	}
	f, err := fileByID(ctx, v.q, v.c.ns.ID, id)
	if err != nil {
		return nil, err
	}
	v.folders[id] = f
	return f, nil
}

// ancestors returns the folders above f, root first.
func (v *fileViews) ancestors(ctx context.Context, f *fileRow) ([]filePathJSON, error) {
	out := []filePathJSON{}
	for id, depth := f.parentID, 0; id != rootID && depth < maxDepth; depth++ {
		p, err := v.folder(ctx, id)
		if errors.Is(err, sql.ErrNoRows) {
			break
		}
		if err != nil {
			return nil, err
		}
		out = append(out, p.pathEntry())
		id = p.parentID
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// view renders f with the optional fields cols.
func (v *fileViews) view(ctx context.Context, f *fileRow, cols fileColumns) (*fileJSON, error) {
	up, err := v.users.optional(ctx, f.uploaderID)
	if err != nil {
		return nil, err
	}
	locker, err := v.users.optional(ctx, f.lockerID)
	if err != nil {
		return nil, err
	}
	path, err := v.ancestors(ctx, f)
	if err != nil {
		return nil, err
	}
	out := &fileJSON{
		ID: f.id, ContextKey: contextKeyJSON{f.contextKey}, Sharing: f.sharing, MemberPermission: f.memberPermission,
		UserPermission: filePerm(v.ga, v.c, f), Name: f.name, FriendlyName: f.friendlyName,
		ContentType: f.contentType, Size: f.size,
		Uploaded: uploadedJSON{User: up, Name: f.uploaderName, Username: f.uploaderUsername},
		Tags:     str(f.tags), Locked: f.lockerID.Valid, Locker: locker, LastModified: f.lastModified,
		Summary: str(f.summary), Path: path, Versions: f.versions, PreviewInfo: json.RawMessage("null"),
		Group: v.ga.group.ref(),
	}
	zero := int64(0)
	if cols.shareCount {
		out.ShareCount = &zero
	}
	if cols.commentCount {
		out.CommentCount = &zero
	}
	if cols.tasksCount {
		out.TasksCount = &zero
	}
	if cols.approvalSummary {
		out.ApprovalSummary = &approvalSummaryJSON{}
	}
	if cols.jobs {
		out.Jobs = &[]json.RawMessage{}
	}
	if cols.parent && len(path) > 0 {
		out.Parent = &path[len(path)-1]
	}
	return out, nil
}

// views renders a list.
func (v *fileViews) views(ctx context.Context, files []*fileRow, cols fileColumns) ([]*fileJSON, error) {
	out := make([]*fileJSON, 0, len(files))
	for _, f := range files {
		j, err := v.view(ctx, f, cols)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, nil
}
