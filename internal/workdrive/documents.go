package workdrive

import (
	"context"
	"database/sql"
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/store"
)

// document is a row of workdrive_documents.
type document struct {
	id, orgID, createdBy, updatedBy, name, category, tags string
	expiry                                                sql.NullInt64
	link, docURL                                          string
	docFileID                                             sql.NullString
	isPublished                                           bool
	audience, permissions                                 string
	createdAt, updatedAt                                  int64
}

const documentColumns = `id, org_id, created_by, updated_by, name, category, tags, expiry, link, doc_url,
	doc_file_id, is_published, audience, permissions, created_at, updated_at`

func (d *document) dest() []any {
	return []any{&d.id, &d.orgID, &d.createdBy, &d.updatedBy, &d.name, &d.category, &d.tags, &d.expiry,
		&d.link, &d.docURL, &d.docFileID, &d.isPublished, &d.audience, &d.permissions, &d.createdAt, &d.updatedAt}
}

var scanDocument = scanRow[document]

// documentInOrg tells whether a document belongs to org (tasks'
// documentId).
func documentInOrg(ctx context.Context, q store.Querier, ns, org, id string) (bool, error) {
	return exists(ctx, q, `SELECT 1 FROM workdrive_documents WHERE ns = $1 AND id = $2 AND org_id = $3`, ns, id, org)
}

// publishedSQL is the condition under which the caller sees a document or
// FAQ of the table aliased x: published and visible, or the caller's own
// (created or owned) drafts too.
func publishedSQL(a *store.Args, x, callerID string) string {
	me := a.Add(callerID)
	return `((` + x + `.is_published = ` + a.Add(true) + ` AND ` + visibleSQL(a, x, "created_by", callerID) + `)
		OR ` + x + `.created_by = ` + me + ` OR EXISTS (SELECT 1 FROM workdrive_content_owners co
			WHERE co.ns = ` + x + `.ns AND co.item_id = ` + x + `.id AND co.user_id = ` + me + `))`
}

// kbFields points at the fields that documents and FAQ knowledge bases
// share, which their creates and updates treat alike.
type kbFields struct {
	module                int
	itemID                string
	tags, category, link  *string
	expiry                *sql.NullInt64
	isPublished           *bool
	audience, permissions *string
}

func (d *document) kb() kbFields {
	return kbFields{module: moduleDocument, itemID: d.id, tags: &d.tags, category: &d.category, link: &d.link,
		expiry: &d.expiry, isPublished: &d.isPublished, audience: &d.audience, permissions: &d.permissions}
}

// readCreate reads a create's tags, category and link from fields, the
// owners from ownerKeys of fields (without repeats) and the permissions
// from b (public when absent).
func (f kbFields) readCreate(fields, b *httpx.Body, ownerKeys ...string) ([]string, *permissions) {
	*f.category, *f.link = strings.TrimSpace(fields.Str("category")), fields.Str("link")
	tags, _ := fields.Strings("tags")
	*f.tags = toJSON(orEmpty(tags, true))
	var owners []string
	for _, k := range ownerKeys {
		more, _ := fields.Strings(k)
		owners = append(owners, more...)
	}
	perms := readPermissions(b, "permissions")
	if perms == nil {
		perms = publicPermissions()
	}
	return dedupe(owners), perms
}

// prepareCreate finishes a create's checks: the owners (ownersField) and
// the permissions' references, the category (created when new) and the
// grants. It returns the owners, the caller when none is given.
func (f kbFields) prepareCreate(ctx context.Context, tx *sql.Tx, c *caller, ownersField string, owners []string,
	perms *permissions, now int64) ([]string, error) {
	if err := checkRefs(ctx, tx, c.ns.ID, c.orgID, "user", ownersField, owners); err != nil {
		return nil, err
	}
	if err := perms.check(ctx, tx, c, "permissions"); err != nil {
		return nil, err
	}
	if _, err := ensureCategory(ctx, tx, c.ns.ID, c.orgID, f.module, *f.category, now); err != nil {
		return nil, err
	}
	if len(owners) == 0 {
		owners = []string{c.id}
	}
	*f.audience, *f.permissions = perms.audience(), perms.json()
	return owners, nil
}

// applyUpdate applies an update's kb tags, category (created when new),
// link, expiry and isPublished, and ?publish= (when hasPublish) over
// isPublished.
func (f kbFields) applyUpdate(ctx context.Context, tx *sql.Tx, c *caller, kb *httpx.Body, publish, hasPublish bool, now int64) error {
	if v, ok := kb.Strings("tags"); ok || kb.Null("tags") {
		*f.tags = toJSON(orEmpty(v, ok))
	}
	if v, ok := kb.String("category"); ok || kb.Null("category") {
		*f.category = strings.TrimSpace(v)
		if _, err := ensureCategory(ctx, tx, c.ns.ID, c.orgID, f.module, *f.category, now); err != nil {
			return err
		}
	}
	setString(kb, "link", f.link)
	if exp, ok, err := readExpiry(kb, "expiry"); err != nil {
		return err
	} else if ok {
		*f.expiry = exp
	}
	if v, ok := kb.Bool("isPublished"); ok {
		*f.isPublished = v
	}
	if hasPublish {
		*f.isPublished = publish
	}
	return nil
}

// changeOwnersAndGrants applies an update's kb.newOwnerIds (add),
// kb.removeOwnerIds (remove) and, when given, its permissions.
func (f kbFields) changeOwnersAndGrants(ctx context.Context, tx *sql.Tx, c *caller, add, remove []string,
	perms *permissions, now int64) error {
	add = dedupe(add)
	if err := checkRefs(ctx, tx, c.ns.ID, c.orgID, "user", "kb.newOwnerIds", add); err != nil {
		return err
	}
	if perms != nil {
		if err := perms.check(ctx, tx, c, "permissions"); err != nil {
			return err
		}
		*f.permissions, *f.audience = perms.json(), perms.audience()
		if err := setAudience(ctx, tx, c.ns.ID, f.itemID, perms, nil); err != nil {
			return err
		}
	}
	if err := removeOwners(ctx, tx, c.ns.ID, f.itemID, dedupe(remove)); err != nil {
		return err
	}
	return addOwners(ctx, tx, c.ns.ID, f.itemID, add, now)
}

// readKBRequest reads a document's or FAQ's write: the body, its kb
// object (fallback when absent) and ?publish= (hasPublish tells whether
// it was given).
func readKBRequest(w http.ResponseWriter, r *http.Request, fallback func(b *httpx.Body) *httpx.Body) (b, kb *httpx.Body, publish, hasPublish bool, err error) {
	if b, err = readBody(w, r); err != nil {
		return nil, nil, false, false, err
	}
	if publish, hasPublish, err = publishFlag(r); err != nil {
		return nil, nil, false, false, err
	}
	if kb, _ = b.Object("kb"); kb == nil {
		kb = fallback(b)
	}
	return b, kb, publish, hasPublish, nil
}

// topLevel is readKBRequest's fallback for documents: the kb fields may
// come at the top level.
func topLevel(b *httpx.Body) *httpx.Body { return b }

// noKB is readKBRequest's fallback for FAQs: no kb fields.
func noKB(*httpx.Body) *httpx.Body { return httpx.NewBody(nil, httpx.Lenient) }

// publishFlag reads ?publish=; ok is false when absent.
func publishFlag(r *http.Request) (bool, bool, error) {
	return queryBool(r.URL.Query(), "publish")
}

// readExpiry reads an optional date-time; "" or null clears it.
func readExpiry(b *httpx.Body, key string) (sql.NullInt64, bool, error) {
	v, ok := b.String(key)
	if !ok && !b.Null(key) {
		return sql.NullInt64{}, false, nil
	}
	if strings.TrimSpace(v) == "" {
		return sql.NullInt64{}, true, nil
	}
	ms, good := parseTime(v)
	if !good {
		return sql.NullInt64{}, true, httpx.BadRequest("%s must be an ISO-8601 date-time", key)
	}
	return sql.NullInt64{Int64: ms, Valid: true}, true, nil
}

// createDocument serves POST /api/documents ("Upload a new Document"): the
// file was uploaded through the media API and is referenced by docId, or
// the document lives at docUrl or link. name and one of them are required.
// The answer is the Document plus the request's keys, as the doc echoes
// them.
func (s *Service) createDocument(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	publish, _, err := publishFlag(r)
	if err != nil {
		return err
	}
	now := c.nowMS()
	d := &document{id: ids.UUID(), orgID: c.orgID, createdBy: c.id, updatedBy: c.id,
		name: strings.TrimSpace(b.Str("name")), isPublished: publish, createdAt: now, updatedAt: now}
	owners, perms := d.kb().readCreate(b, b, "ownerIds")
	if d.docURL = b.Str("docUrl"); d.docURL == "" {
		d.docURL = b.Str("docURL") // the table's spelling
	}
	return s.writeTx(w, r, created, func(tx *sql.Tx) (any, error) {
		exp, _, err := readExpiry(b, "expiry")
		if err != nil {
			return nil, err
		}
		d.expiry = exp
		f, _, err := fileField(r.Context(), tx, c, b, "docId")
		if err != nil {
			return nil, err
		}
		d.docFileID = f
		if err := b.Err(); err != nil {
			return nil, err
		}
		if d.name == "" {
			return nil, httpx.BadRequest("name is required")
		}
		if !d.docFileID.Valid && d.docURL == "" && d.link == "" {
			return nil, httpx.BadRequest("docId, docUrl or link is required")
		}
		if owners, err = d.kb().prepareCreate(r.Context(), tx, c, "ownerIds", owners, perms, now); err != nil {
			return nil, err
		}
		if err := insertDocument(r.Context(), tx, c.ns.ID, d, owners); err != nil {
			return nil, err
		}
		out, err := renderDocument(newSummaries(r.Context(), tx, c.ns), d)
		if err != nil {
			return nil, err
		}
		out.OwnerIDs, out.DocURL, out.Link, out.DocID, out.Permissions =
			owners, d.docURL, d.link, d.docFileID.String, perms
		return out, nil
	})
}

// insertDocument stores a document with its owners and grants.
func insertDocument(ctx context.Context, tx *sql.Tx, ns string, d *document, owners []string) error {
	return insertContent(ctx, tx, ns, "workdrive_documents", documentColumns, d.dest(), d.id, d.permissions, owners, d.createdAt)
}

// docID is the document a write names: the path id, or (for the doc's
// literal "/api/documnents" and "DELETE /api/documents" lines) ?id= or the
// body's id.
func docID(r *http.Request, b *httpx.Body) string {
	if id := r.PathValue("id"); id != "" {
		return id
	}
	if id := r.URL.Query().Get("id"); id != "" {
		return id
	}
	if b != nil {
		return b.Str("id")
	}
	return ""
}

// updateDocument serves PATCH /api/documents/{id}: the document's fields come
// in kb (top-level spellings are accepted too), docUrl and docId at top
// level; top-level permissions win over kb.permissions, ?publish= over
// kb.isPublished.
func (s *Service) updateDocument(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, kb, publish, hasPublish, err := readKBRequest(w, r, topLevel)
	if err != nil {
		return err
	}
	id := docID(r, b)
	if id == "" {
		return httpx.BadRequest("id is required")
	}
	return documentKind.update(s, w, r, c, id, func(ctx context.Context, tx *sql.Tx, d *document) error {
		now := c.nowMS()
		if v, ok := kb.String("name"); ok {
			if strings.TrimSpace(v) == "" {
				return httpx.BadRequest("name must not be empty")
			}
			d.name = strings.TrimSpace(v)
		}
		if err := d.kb().applyUpdate(ctx, tx, c, kb, publish, hasPublish, now); err != nil {
			return err
		}
		setString(b, "docUrl", &d.docURL)
		if f, ok, err := fileField(ctx, tx, c, b, "docId"); err != nil {
			return err
		} else if ok {
			d.docFileID = f
		}
		perms := readPermissions(b, "permissions")
		if perms == nil && kb != b {
			perms = readPermissions(kb, "permissions")
		}
		add, _ := kb.Strings("newOwnerIds")
		remove, _ := kb.Strings("removeOwnerIds")
		if err := b.Err(); err != nil {
			return err
		}
		if err := d.kb().changeOwnersAndGrants(ctx, tx, c, add, remove, perms, now); err != nil {
			return err
		}
		d.updatedBy, d.updatedAt = c.id, now
		_, err := tx.ExecContext(ctx, `UPDATE workdrive_documents SET updated_by = $3, name = $4,
			category = $5, tags = $6, expiry = $7, link = $8, doc_url = $9, doc_file_id = $10, is_published = $11,
			audience = $12, permissions = $13, updated_at = $14 WHERE ns = $1 AND id = $2`,
			c.ns.ID, d.id, d.updatedBy, d.name, d.category, d.tags, d.expiry, d.link, d.docURL, d.docFileID,
			d.isPublished, d.audience, d.permissions, d.updatedAt)
		return err
	})
}

// deleteDocument serves DELETE /api/documents/{id} (or ?id= or the body's id).
func (s *Service) deleteDocument(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	id := docID(r, b)
	if id == "" {
		return httpx.BadRequest("id is required")
	}
	return documentKind.delete(s, w, r, c, id)
}

// listDocuments serves GET /api/documents, newest first, optionally of one
// category (by name). Drafts are listed to their creator and owners only.
func (s *Service) listDocuments(w http.ResponseWriter, r *http.Request, c *caller) error {
	return documentKind.serveList(s, w, r, c, "docs", func(a *store.Args) (string, error) {
		if cat := strings.TrimSpace(r.URL.Query().Get("category")); cat != "" {
			return ` AND lower(x.category) = ` + a.Add(strings.ToLower(cat)), nil
		}
		return "", nil
	})
}

// documentOut is the Document object. name is a string (the doc's {}
// is a placeholder); metadata carries docUrl and link; linkPreview lists
// the document's links; bookmarkId is null (bookmarks are not part of
// this API). The create answer adds the request's docId, docUrl, link,
// ownerIds and permissions.
type documentOut struct {
	BookmarkID  any                `json:"bookmarkId"`
	Category    string             `json:"category"`
	DocID       any                `json:"docId,omitempty"`
	DocURL      any                `json:"docUrl,omitempty"`
	Expiry      any                `json:"expiry"`
	File        *fileOut           `json:"file"`
	ID          string             `json:"id"`
	IsPublished bool               `json:"isPublished"`
	Link        any                `json:"link,omitempty"`
	LinkPreview []linkPreviewOut   `json:"linkPreview"`
	Metadata    documentMeta       `json:"metadata"`
	Name        string             `json:"name"`
	OwnerIDs    any                `json:"ownerIds,omitempty"`
	Owners      []*userSummaryJSON `json:"owners"`
	Permissions any                `json:"permissions,omitempty"`
	Tags        []string           `json:"tags"`
	UpdatedAt   string             `json:"updatedAt"`
}

// documentMeta is a document's links.
type documentMeta struct {
	DocURL string `json:"docUrl"`
	Link   string `json:"link"`
}

// renderDocument renders a document.
func renderDocument(sum *summaries, d *document) (*documentOut, error) {
	f, err := sum.file(d.orgID, d.docFileID.String)
	if err != nil {
		return nil, err
	}
	ownerIDs, err := itemOwners(sum.ctx, sum.q, sum.ns.ID, d.id)
	if err != nil {
		return nil, err
	}
	owners, err := sum.list(ownerIDs)
	if err != nil {
		return nil, err
	}
	previews := []linkPreviewOut{}
	for _, l := range []string{d.docURL, d.link} {
		if l != "" {
			previews = append(previews, linkPreviewOut{Title: d.name, Link: l})
		}
	}
	return &documentOut{
		ID: d.id, Name: d.name, Metadata: documentMeta{DocURL: d.docURL, Link: d.link},
		IsPublished: d.isPublished, UpdatedAt: isoTime(d.updatedAt), Expiry: isoTimePtr(d.expiry),
		File: f, Tags: jsonStrings(d.tags), Category: d.category, Owners: owners,
		LinkPreview: previews,
	}, nil
}
