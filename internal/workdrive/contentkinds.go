package workdrive

import (
	"context"
	"database/sql"
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/store"
)

// contentKind holds what differs between the kinds of content (posts,
// news, events, videos, photos, documents, FAQs) whose writes share one
// flow: load an item of the caller's organization that the caller sees
// (404 otherwise), check that the caller may change it (403), change it in
// the transaction and answer it rendered. T is the kind's row type, O its
// wire type.
type contentKind[T, O any] struct {
	what    string // the item in a 404: "Video"
	table   string
	columns string
	// visible is the condition under which the caller sees an item
	// (visibleByCreator, publishedSQL, or the posts' one with their kind).
	visible func(a *store.Args, x, callerID string) string
	scan    func(store.Scanner) (*T, error)
	id      func(*T) string
	author  func(*T) string // the creator, who may change the item
	// owners: the item's owners may change it too (documents, FAQs).
	owners    bool
	forbidden string // the 403 for anyone else but the OrgAdmin
	render    func(sum *summaries, c *caller, it *T) (O, error)
}

// find loads the item id of the caller's organization when the caller
// sees it (sql.ErrNoRows otherwise).
func (k contentKind[T, O]) find(ctx context.Context, q store.Querier, c *caller, id string) (*T, error) {
	return itemByID(ctx, q, c, k.table, k.columns, id, k.visible, k.scan)
}

// editable loads the item id for a write: seen by the caller (404) and
// changeable by the caller (403).
func (k contentKind[T, O]) editable(ctx context.Context, tx *sql.Tx, c *caller, id string) (*T, error) {
	it, err := k.find(ctx, tx, c, id)
	if err != nil {
		return nil, pathErr(err, k.what, id)
	}
	return it, k.mayChange(ctx, tx, c, it)
}

// mayChange lets the author, the OrgAdmin and (for kinds with owners) the
// item's owners change it.
func (k contentKind[T, O]) mayChange(ctx context.Context, tx *sql.Tx, c *caller, it *T) error {
	if k.author(it) == c.id || c.isOrgAdmin() {
		return nil
	}
	if k.owners {
		owner, err := isOwner(ctx, tx, c.ns.ID, k.id(it), c.id)
		if err != nil || owner {
			return err
		}
	}
	return httpx.Forbidden("%s", k.forbidden)
}

// update is the kind's PATCH: in one transaction the item id is loaded for
// a write and change applies the request to it and stores it; the answer
// is the item rendered.
func (k contentKind[T, O]) update(s *Service, w http.ResponseWriter, r *http.Request, c *caller, id string,
	change func(ctx context.Context, tx *sql.Tx, it *T) error) error {
	return s.writeTx(w, r, okJSON, func(tx *sql.Tx) (any, error) {
		it, err := k.editable(r.Context(), tx, c, id)
		if err != nil {
			return nil, err
		}
		if err := change(r.Context(), tx, it); err != nil {
			return nil, err
		}
		return k.render(newSummaries(r.Context(), tx, c.ns), c, it)
	})
}

// patch is update for PATCH {id}: the body is read first, and change
// applies it to the item that the path names.
func (k contentKind[T, O]) patch(s *Service, w http.ResponseWriter, r *http.Request, c *caller,
	change func(ctx context.Context, tx *sql.Tx, it *T, b *httpx.Body) error) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	return k.update(s, w, r, c, r.PathValue("id"), func(ctx context.Context, tx *sql.Tx, it *T) error {
		return change(ctx, tx, it, b)
	})
}

// create is the kind's POST: in one transaction build makes and stores
// the item; the answer (201) is the item rendered.
func (k contentKind[T, O]) create(s *Service, w http.ResponseWriter, r *http.Request, c *caller,
	build func(ctx context.Context, tx *sql.Tx) (*T, error)) error {
	return s.writeTx(w, r, created, func(tx *sql.Tx) (any, error) {
		it, err := build(r.Context(), tx)
		if err != nil {
			return nil, err
		}
		// The author of a new item is the caller, whom authentication
		// loaded already: the answer needs no query for its summary.
		sum := newSummaries(r.Context(), tx, c.ns)
		sum.m[c.id] = userSummary(c.ns, c.user)
		return k.render(sum, c, it)
	})
}

// delete is the kind's DELETE of item id: its row goes with its grants and
// owners.
func (k contentKind[T, O]) delete(s *Service, w http.ResponseWriter, r *http.Request, c *caller, id string) error {
	return s.deleteItem(w, r, c, k.table, func(tx *sql.Tx) (string, error) {
		it, err := k.editable(r.Context(), tx, c, id)
		if err != nil {
			return "", err
		}
		return k.id(it), nil
	})
}

// listWhere starts the WHERE of the kind's list: the caller's
// organization and the items the caller sees.
func (k contentKind[T, O]) listWhere(a *store.Args, c *caller) string {
	return c.inOrg(a, "x") + ` AND ` + k.visible(a, "x", c.id)
}

// list loads page p of the items that match where, newest first, and
// renders them with one set of summaries.
func (k contentKind[T, O]) list(s *Service, r *http.Request, c *caller, where string, a store.Args, p pageReq) ([]O, int, error) {
	list, total, err := listPage(r.Context(), s.db, k.table, k.columns, where, newestFirst, a, p, k.scan)
	if err != nil {
		return nil, 0, err
	}
	out, err := renderAll(newSummaries(r.Context(), s.db, c.ns), list, func(sum *summaries, it *T) (O, error) {
		return k.render(sum, c, it)
	})
	return out, total, err
}

// serveList answers the kind's GET list under key: page p of the items
// the caller sees, newest first, narrowed by the list's own query filters
// (narrow adds their conditions and arguments after the kind's).
func (k contentKind[T, O]) serveList(s *Service, w http.ResponseWriter, r *http.Request, c *caller, key string,
	narrow func(a *store.Args) (string, error)) error {
	p, err := parsePage(r, c.nowMS())
	if err != nil {
		return err
	}
	var a store.Args
	where := k.listWhere(&a, c)
	extra, err := narrow(&a)
	if err != nil {
		return err
	}
	out, total, err := k.list(s, r, c, where+extra, a, p)
	if err != nil {
		return err
	}
	return okPage(w, key, out, p.Meta(total))
}

// byUserID narrows a list to the items of the query's userId (400 when it
// names no user of the organization).
func byUserID(s *Service, r *http.Request, c *caller, a *store.Args) (string, error) {
	uid := strings.TrimSpace(r.URL.Query().Get("userId"))
	if uid == "" {
		return "", nil
	}
	if err := checkRef(r.Context(), s.db, c.ns.ID, c.orgID, "user", "userId", uid); err != nil {
		return "", err
	}
	return ` AND x.created_by = ` + a.Add(uid), nil
}

// withSummaries adapts a renderer that needs only the summaries.
func withSummaries[T, O any](render func(*summaries, *T) (O, error)) func(*summaries, *caller, *T) (O, error) {
	return func(sum *summaries, _ *caller, it *T) (O, error) { return render(sum, it) }
}

// postKind is posts' or news' kind: the same table, told apart by kind.
func postKind(kind string) contentKind[post, *postOut] {
	return contentKind[post, *postOut]{
		what: kindName(kind), table: "workdrive_posts", columns: postColumns,
		visible: func(a *store.Args, x, callerID string) string {
			return x + `.kind = ` + a.Add(kind) + ` AND ` + visibleSQL(a, x, "user_id", callerID)
		},
		scan: scanPost, id: func(p *post) string { return p.id }, author: func(p *post) string { return p.userID },
		forbidden: "Only the author or the organization admin can change this " + strings.ToLower(kindName(kind)),
		render:    withSummaries(renderPost),
	}
}

var (
	postKinds = map[string]contentKind[post, *postOut]{kindPost: postKind(kindPost), kindNews: postKind(kindNews)}

	eventKind = contentKind[event, *eventOut]{
		what: "Event", table: "workdrive_events", columns: eventColumns, visible: visibleByCreator, scan: scanEvent,
		id: func(e *event) string { return e.id }, author: func(e *event) string { return e.createdBy },
		forbidden: "Only the creator or the organization admin can change this event",
		render: func(sum *summaries, c *caller, e *event) (*eventOut, error) {
			return renderEventByID(sum.ctx, sum.q, c, e.id, true)
		},
	}

	videoKind = contentKind[video, *videoOut]{
		what: "Video", table: "workdrive_videos", columns: videoColumns, visible: visibleByCreator, scan: scanVideo,
		id: func(v *video) string { return v.id }, author: func(v *video) string { return v.createdBy },
		forbidden: "Only the uploader or the organization admin can change this video",
		render:    withSummaries(renderVideo),
	}

	photoKind = contentKind[photo, *photoOut]{
		what: "Photo", table: "workdrive_photos", columns: photoColumns, visible: visibleByCreator, scan: scanPhoto,
		id: func(p *photo) string { return p.id }, author: func(p *photo) string { return p.createdBy },
		forbidden: "Only the uploader or the organization admin can change this photo",
		render:    withSummaries(renderPhoto),
	}

	documentKind = contentKind[document, *documentOut]{
		what: "Document", table: "workdrive_documents", columns: documentColumns, visible: publishedSQL, scan: scanDocument,
		id: func(d *document) string { return d.id }, author: func(d *document) string { return d.createdBy }, owners: true,
		forbidden: "Only the document's owners or the organization admin can change it",
		render:    withSummaries(renderDocument),
	}

	faqKind = contentKind[faqKB, any]{
		what: "FAQ", table: "workdrive_faq_kbs", columns: faqKBColumns, visible: publishedSQL, scan: scanFAQKB,
		id: func(k *faqKB) string { return k.id }, author: func(k *faqKB) string { return k.createdBy }, owners: true,
		forbidden: "Only the FAQ's owners or the organization admin can change it",
		render: func(sum *summaries, c *caller, k *faqKB) (any, error) {
			return renderFAQ(sum.ctx, sum.q, c.ns.ID, k)
		},
	}
)

// resetAudience rewrites an item's grants when the update body carries
// permissions.
func resetAudience(ctx context.Context, tx *sql.Tx, ns string, b *httpx.Body, id, permissions string) error {
	if !b.Has("permissions") {
		return nil
	}
	return setAudience(ctx, tx, ns, id, decodePermissions(permissions), nil)
}
