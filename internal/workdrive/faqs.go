package workdrive

import (
	"bytes"
	"context"
	"database/sql"
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/store"
)

// An FAQ is a knowledge base (kb: name, owners, tags, category, expiry,
// link) holding question/answer pairs. The list shows one row per Q&A;
// PATCH and DELETE take a kb id or a Q&A id.

// faqKB is a row of workdrive_faq_kbs.
type faqKB struct {
	id, orgID, createdBy, updatedBy, name, category, tags string
	expiry                                                sql.NullInt64
	link                                                  string
	isPublished                                           bool
	audience, permissions                                 string
	createdAt, updatedAt                                  int64
}

const faqKBColumns = `id, org_id, created_by, updated_by, name, category, tags, expiry, link, is_published,
	audience, permissions, created_at, updated_at`

func (k *faqKB) kb() kbFields {
	return kbFields{module: moduleFAQ, itemID: k.id, tags: &k.tags, category: &k.category, link: &k.link,
		expiry: &k.expiry, isPublished: &k.isPublished, audience: &k.audience, permissions: &k.permissions}
}

func (k *faqKB) dest() []any {
	return []any{&k.id, &k.orgID, &k.createdBy, &k.updatedBy, &k.name, &k.category, &k.tags, &k.expiry,
		&k.link, &k.isPublished, &k.audience, &k.permissions, &k.createdAt, &k.updatedAt}
}

var scanFAQKB = scanRow[faqKB]

// faqQA is one question and answer.
type faqQA struct {
	ID          string `json:"id"`
	Question    string `json:"question"`
	Answer      string `json:"answer"`
	Description string `json:"description"`
}

// kbName reads kb.name, which the create example sends as {}: anything
// but a string counts as no name.
func kbName(kb *httpx.Body) (string, bool) {
	raw := bytes.TrimSpace(kb.Raw("name"))
	if len(raw) == 0 || raw[0] == '{' || raw[0] == '[' {
		return "", false
	}
	return kb.String("name")
}

// readQAs reads a list of Q&As; question and answer are required unless
// partial (updatedQAs, which name an id).
func readQAs(b *httpx.Body, key string, partial bool) ([]*httpx.Body, error) {
	items, _ := b.Objects(key)
	if err := b.Err(); err != nil {
		return nil, err
	}
	for i, it := range items {
		if partial {
			if strings.TrimSpace(it.Str("id")) == "" {
				return nil, httpx.BadRequest("%s[%d].id is required", key, i)
			}
			continue
		}
		if strings.TrimSpace(it.Str("question")) == "" || strings.TrimSpace(it.Str("answer")) == "" {
			return nil, httpx.BadRequest("%s[%d]: question and answer are required", key, i)
		}
	}
	return items, b.Err()
}

func insertQA(ctx context.Context, tx *sql.Tx, ns string, k *faqKB, qa faqQA, pos, now int64) error {
	if qa.ID == "" {
		qa.ID = ids.UUID()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO workdrive_faq_qas (ns, id, org_id, kb_id, question, answer, description,
		position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		ns, qa.ID, k.orgID, k.id, qa.Question, qa.Answer, qa.Description, pos, now, now)
	return err
}

// qaOf reads a Q&A item of a body.
func qaOf(it *httpx.Body) faqQA {
	return faqQA{Question: strings.TrimSpace(it.Str("question")), Answer: strings.TrimSpace(it.Str("answer")),
		Description: it.Str("description")}
}

func kbQAs(ctx context.Context, q store.Querier, ns, kbID string) ([]faqQA, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, question, answer, description FROM workdrive_faq_qas
		WHERE ns = $1 AND kb_id = $2 ORDER BY position, id`, ns, kbID)
	return store.Collect(rows, err, func(r store.Scanner) (faqQA, error) {
		var qa faqQA
		return qa, r.Scan(&qa.ID, &qa.Question, &qa.Answer, &qa.Description)
	})
}

// createFAQ serves POST /api/faqs: a kb and its Q&As (at least one, each with
// question and answer). Owners come from kb.ownerIds or kb.newOwnerIds
// (the creator when none). The answer is the request's shape with ids.
func (s *Service) createFAQ(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, kb, publish, _, err := readKBRequest(w, r, noKB)
	if err != nil {
		return err
	}
	qas, err := readQAs(b, "qas", false)
	if err != nil {
		return err
	}
	if len(qas) == 0 {
		return httpx.BadRequest("qas must hold at least one question and answer")
	}
	now := c.nowMS()
	name, _ := kbName(kb)
	k := &faqKB{id: ids.UUID(), orgID: c.orgID, createdBy: c.id, updatedBy: c.id, name: strings.TrimSpace(name),
		isPublished: publish, createdAt: now, updatedAt: now}
	owners, perms := k.kb().readCreate(kb, b, "ownerIds", "newOwnerIds")
	return s.writeTx(w, r, created, func(tx *sql.Tx) (any, error) {
		exp, _, err := readExpiry(kb, "expiry")
		if err != nil {
			return nil, err
		}
		k.expiry = exp
		if err := kb.Err(); err != nil {
			return nil, err
		}
		if err := b.Err(); err != nil {
			return nil, err
		}
		if owners, err = k.kb().prepareCreate(r.Context(), tx, c, "kb.ownerIds", owners, perms, now); err != nil {
			return nil, err
		}
		if err := insertFAQKB(r.Context(), tx, c.ns.ID, k, owners); err != nil {
			return nil, err
		}
		for i, it := range qas {
			if err := insertQA(r.Context(), tx, c.ns.ID, k, qaOf(it), int64(i), now); err != nil {
				return nil, err
			}
		}
		return renderFAQ(r.Context(), tx, c.ns.ID, k)
	})
}

// insertFAQKB stores a knowledge base with its owners and grants (its
// Q&As go in with insertQA).
func insertFAQKB(ctx context.Context, tx *sql.Tx, ns string, k *faqKB, owners []string) error {
	return insertContent(ctx, tx, ns, "workdrive_faq_kbs", faqKBColumns, k.dest(), k.id, k.permissions, owners, k.createdAt)
}

// faqForWrite resolves a kb id or a Q&A id to the kb, visible to the caller
// (404 otherwise); the caller must be its creator, an owner or the
// OrgAdmin (403). qaID is set when the id named a Q&A.
func faqForWrite(ctx context.Context, tx *sql.Tx, c *caller, id string) (k *faqKB, qaID string, err error) {
	kbID := id
	var owner string
	err = tx.QueryRowContext(ctx, `SELECT kb_id FROM workdrive_faq_qas WHERE ns = $1 AND id = $2 AND org_id = $3`,
		c.ns.ID, id, c.orgID).Scan(&owner)
	switch {
	case err == nil:
		kbID, qaID = owner, id
	case !isNotFound(err):
		return nil, "", err
	}
	k, err = faqKind.find(ctx, tx, c, kbID)
	if err != nil {
		return nil, "", pathErr(err, "FAQ", id)
	}
	return k, qaID, faqKind.mayChange(ctx, tx, c, k)
}

// updateFAQ serves PATCH /api/faqs/{kbId}. Q&A changes apply in this order:
// removeQuestionIds (ids of other kbs are ignored), updatedQAs (each must
// be a Q&A of this FAQ), newQas; qas replaces the whole list. An FAQ keeps
// at least one Q&A.
func (s *Service) updateFAQ(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, kb, publish, hasPublish, err := readKBRequest(w, r, noKB)
	if err != nil {
		return err
	}
	updated, err := readQAs(b, "updatedQAs", true)
	if err != nil {
		return err
	}
	added, err := readQAs(b, "newQas", false)
	if err != nil {
		return err
	}
	replaced, err := readQAs(b, "qas", false)
	if err != nil {
		return err
	}
	removed, _ := b.Strings("removeQuestionIds")
	return s.writeTx(w, r, okJSON, func(tx *sql.Tx) (any, error) {
		k, _, err := faqForWrite(r.Context(), tx, c, r.PathValue("kbId"))
		if err != nil {
			return nil, err
		}
		now := c.nowMS()
		if v, ok := kbName(kb); ok {
			k.name = strings.TrimSpace(v)
		}
		if err := k.kb().applyUpdate(r.Context(), tx, c, kb, publish, hasPublish, now); err != nil {
			return nil, err
		}
		add, _ := kb.Strings("newOwnerIds")
		drop, _ := kb.Strings("removeOwnerIds")
		perms := readPermissions(b, "permissions")
		if err := kb.Err(); err != nil {
			return nil, err
		}
		if err := b.Err(); err != nil {
			return nil, err
		}
		if err := k.kb().changeOwnersAndGrants(r.Context(), tx, c, add, drop, perms, now); err != nil {
			return nil, err
		}
		if err := s.applyQAChanges(r.Context(), tx, c, k, removed, updated, added, replaced, b.Has("qas"), now); err != nil {
			return nil, err
		}
		k.updatedBy, k.updatedAt = c.id, now
		if _, err := tx.ExecContext(r.Context(), `UPDATE workdrive_faq_kbs SET updated_by = $3, name = $4,
			category = $5, tags = $6, expiry = $7, link = $8, is_published = $9, audience = $10, permissions = $11,
			updated_at = $12 WHERE ns = $1 AND id = $2`,
			c.ns.ID, k.id, k.updatedBy, k.name, k.category, k.tags, k.expiry, k.link, k.isPublished, k.audience,
			k.permissions, k.updatedAt); err != nil {
			return nil, err
		}
		return renderFAQ(r.Context(), tx, c.ns.ID, k)
	})
}

func (s *Service) applyQAChanges(ctx context.Context, tx *sql.Tx, c *caller, k *faqKB, removed []string,
	updated, added, replaced []*httpx.Body, replace bool, now int64) error {
	ns := c.ns.ID
	if replace {
		if _, err := tx.ExecContext(ctx, `DELETE FROM workdrive_faq_qas WHERE ns = $1 AND kb_id = $2`, ns, k.id); err != nil {
			return err
		}
	}
	if err := execForEach(ctx, tx, `DELETE FROM workdrive_faq_qas WHERE ns = $1 AND kb_id = $2 AND id = $3`, ns, k.id, removed); err != nil {
		return err
	}
	for _, it := range updated {
		id := strings.TrimSpace(it.Str("id"))
		var q, a, d string
		err := tx.QueryRowContext(ctx, `SELECT question, answer, description FROM workdrive_faq_qas
			WHERE ns = $1 AND kb_id = $2 AND id = $3`, ns, k.id, id).Scan(&q, &a, &d)
		if isNotFound(err) {
			return httpx.BadRequest("updatedQAs: %q is not a question of this FAQ", id)
		}
		if err != nil {
			return err
		}
		if v, ok := it.String("question"); ok && strings.TrimSpace(v) != "" {
			q = strings.TrimSpace(v)
		}
		if v, ok := it.String("answer"); ok && strings.TrimSpace(v) != "" {
			a = strings.TrimSpace(v)
		}
		setString(it, "description", &d)
		if _, err := tx.ExecContext(ctx, `UPDATE workdrive_faq_qas SET question = $3, answer = $4, description = $5,
			updated_at = $6 WHERE ns = $1 AND id = $2`, ns, id, q, a, d, now); err != nil {
			return err
		}
	}
	var pos int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), -1) + 1 FROM workdrive_faq_qas
		WHERE ns = $1 AND kb_id = $2`, ns, k.id).Scan(&pos); err != nil {
		return err
	}
	for _, it := range append(replaced, added...) {
		if err := insertQA(ctx, tx, ns, k, qaOf(it), pos, now); err != nil {
			return err
		}
		pos++
	}
	n, err := count(ctx, tx, `SELECT count(*) FROM workdrive_faq_qas WHERE ns = $1 AND kb_id = $2`, ns, k.id)
	if err != nil {
		return err
	}
	if n == 0 {
		return httpx.BadRequest("An FAQ must keep at least one question; delete the FAQ instead")
	}
	return nil
}

// deleteFAQ serves DELETE /api/faqs/{id}: a kb id deletes the FAQ, a Q&A id
// that question (and the FAQ with its last question).
func (s *Service) deleteFAQ(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.deleteTx(w, r, func(tx *sql.Tx) error {
		k, qaID, err := faqForWrite(r.Context(), tx, c, r.PathValue("id"))
		if err != nil {
			return err
		}
		if qaID != "" {
			if _, err := tx.ExecContext(r.Context(), `DELETE FROM workdrive_faq_qas WHERE ns = $1 AND id = $2`, c.ns.ID, qaID); err != nil {
				return err
			}
			n, err := count(r.Context(), tx, `SELECT count(*) FROM workdrive_faq_qas WHERE ns = $1 AND kb_id = $2`, c.ns.ID, k.id)
			if err != nil || n > 0 {
				return err
			}
		}
		for _, q := range []string{`DELETE FROM workdrive_faq_qas WHERE ns = $1 AND kb_id = $2`,
			`DELETE FROM workdrive_faq_kbs WHERE ns = $1 AND id = $2`} {
			if _, err := tx.ExecContext(r.Context(), q, c.ns.ID, k.id); err != nil {
				return err
			}
		}
		return deleteItemRows(r.Context(), tx, c.ns.ID, k.id)
	})
}

// listFAQs serves GET /api/faqs: one row per Q&A, newest FAQ first, questions
// in order. kbId (additive) names the FAQ for PATCH; tags is the FAQ's
// tags joined with ", " as the doc shows; owners are user ids.
func (s *Service) listFAQs(w http.ResponseWriter, r *http.Request, c *caller) error {
	p, err := parsePage(r, c.nowMS())
	if err != nil {
		return err
	}
	var a store.Args
	where := c.inOrg(&a, "qa") + ` AND ` + publishedSQL(&a, "x", c.id)
	if cat := strings.TrimSpace(r.URL.Query().Get("category")); cat != "" {
		where += ` AND lower(x.category) = ` + a.Add(strings.ToLower(cat))
	}
	type row struct {
		qa                  faqQA
		kbID, category, tag string
		published           bool
	}
	list, total, err := pagedRows(r.Context(), s.db, `qa.id, qa.kb_id, qa.question, qa.answer, qa.description,
		x.category, x.tags, x.is_published`, `FROM workdrive_faq_qas qa JOIN workdrive_faq_kbs x ON x.ns = qa.ns AND x.id = qa.kb_id
		WHERE `+where, `x.created_at DESC, x.id, qa.position, qa.id`, a, p, func(sc store.Scanner) (row, error) {
		var it row
		err := sc.Scan(&it.qa.ID, &it.kbID, &it.qa.Question, &it.qa.Answer, &it.qa.Description, &it.category,
			&it.tag, &it.published)
		return it, err
	})
	if err != nil {
		return err
	}
	owners := map[string][]string{}
	out := make([]faqItem, 0, len(list))
	for _, it := range list {
		o, ok := owners[it.kbID]
		if !ok {
			if o, err = itemOwners(r.Context(), s.db, c.ns.ID, it.kbID); err != nil {
				return err
			}
			owners[it.kbID] = o
		}
		out = append(out, faqItem{
			ID: it.qa.ID, KBID: it.kbID, Question: it.qa.Question, Answer: it.qa.Answer,
			Description: it.qa.Description, Category: it.category,
			Tags: strings.Join(jsonStrings(it.tag), ", "), Owners: o,
			IsPublished: it.published,
		})
	}
	return okPage(w, "data", out, p.Meta(total))
}

// faqItem is one Q&A of GET /api/faqs with its knowledge base's fields.
type faqItem struct {
	Answer      string   `json:"answer"`
	BookmarkID  any      `json:"bookmarkId"`
	Category    string   `json:"category"`
	Description string   `json:"description"`
	ID          string   `json:"id"`
	IsPublished bool     `json:"isPublished"`
	KBID        string   `json:"kbId"`
	Owners      []string `json:"owners"`
	Question    string   `json:"question"`
	Tags        string   `json:"tags"`
}

// faqKBOut is the kb of a FAQ create/update answer.
type faqKBOut struct {
	Category    string   `json:"category"`
	Expiry      any      `json:"expiry"`
	ID          string   `json:"id"`
	IsPublished bool     `json:"isPublished"`
	Link        string   `json:"link"`
	Name        string   `json:"name"`
	OwnerIDs    []string `json:"ownerIds"`
	Tags        []string `json:"tags"`
}

// renderFAQ is the create/update answer: the request's shape {kb, qas,
// permissions} with the kb's id and each Q&A's id.
func renderFAQ(ctx context.Context, q store.Querier, ns string, k *faqKB) (any, error) {
	qas, err := kbQAs(ctx, q, ns, k.id)
	if err != nil {
		return nil, err
	}
	owners, err := itemOwners(ctx, q, ns, k.id)
	if err != nil {
		return nil, err
	}
	return struct {
		ID          string   `json:"id"`
		KB          faqKBOut `json:"kb"`
		Permissions any      `json:"permissions"`
		QAs         any      `json:"qas"`
	}{
		ID: k.id,
		KB: faqKBOut{ID: k.id, Name: k.name, OwnerIDs: owners, Expiry: isoTimePtr(k.expiry),
			Tags: jsonStrings(k.tags), Category: k.category, Link: k.link, IsPublished: k.isPublished},
		QAs: qas, Permissions: decodePermissions(k.permissions),
	}, nil
}
