package workdrive

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
)

// permissions is the visibility object that posts, news, events, videos,
// photos, documents and FAQs accept. The doc never echoes it (documents
// and FAQs echo the request), so it is stored as sent, normalised.
type permissions struct {
	Public      bool     `json:"public"`
	Friends     bool     `json:"friends"`
	OnlyMe      bool     `json:"onlyMe"`
	Team        bool     `json:"team"`
	Users       []string `json:"users"`
	Groups      []string `json:"groups"`
	Locations   []string `json:"locations"`
	TaggedUsers []string `json:"taggedUsers"`
}

// publicPermissions is what an item without a permissions object gets:
// visible to the whole organization.
func publicPermissions() *permissions {
	return &permissions{Public: true, Users: []string{}, Groups: []string{}, Locations: []string{}, TaggedUsers: []string{}}
}

// readPermissions reads b[key] (an object; the doc's tables type it
// "string"). It returns nil when absent; type errors go to b.Err.
func readPermissions(b *httpx.Body, key string) *permissions {
	o, ok := b.Object(key)
	if !ok {
		return nil
	}
	p := &permissions{}
	p.Public, _ = o.Bool("public")
	p.Friends, _ = o.Bool("friends")
	p.OnlyMe, _ = o.Bool("onlyMe")
	p.Team, _ = o.Bool("team")
	p.Users = orEmpty(o.Strings("users"))
	p.Groups = orEmpty(o.Strings("groups"))
	p.Locations = orEmpty(o.Strings("locations"))
	p.TaggedUsers = orEmpty(o.Strings("taggedUsers"))
	return p
}

func orEmpty(v []string, _ bool) []string {
	if v == nil {
		return []string{}
	}
	return v
}

// audience is "org" when the whole organization sees the item: public,
// friends and team (relations this API does not model apart from the
// organization). Otherwise only the author and the grants see it.
func (p *permissions) audience() string {
	if p.Public || p.Friends || p.Team {
		return "org"
	}
	return "restricted"
}

// check validates the references: users and tagged users, security groups
// and locations of the caller's organization.
func (p *permissions) check(ctx context.Context, q store.Querier, c *caller, field string) error {
	if err := checkRefs(ctx, q, c.ns.ID, c.orgID, "user", field+".users", p.Users); err != nil {
		return err
	}
	if err := checkRefs(ctx, q, c.ns.ID, c.orgID, "user", field+".taggedUsers", p.TaggedUsers); err != nil {
		return err
	}
	if err := checkRefs(ctx, q, c.ns.ID, c.orgID, "security_group", field+".groups", p.Groups); err != nil {
		return err
	}
	return checkRefs(ctx, q, c.ns.ID, c.orgID, "location", field+".locations", p.Locations)
}

func (p *permissions) json() string { return toJSON(p) }

// decodePermissions reads stored permissions.
func decodePermissions(s string) *permissions {
	p := publicPermissions()
	_ = json.Unmarshal([]byte(s), p)
	return p
}

// setAudience replaces the grants of a restricted item: its users, tagged
// users, security groups and locations. extraUsers (event invitees) see it
// too.
func setAudience(ctx context.Context, tx *sql.Tx, ns, itemID string, p *permissions, extraUsers []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM workdrive_content_audience WHERE ns = $1 AND item_id = $2`, ns, itemID); err != nil {
		return err
	}
	return addAudience(ctx, tx, ns, itemID, p, extraUsers)
}

// addAudience stores the grants of an item that has none yet (one just
// created, whose new id no grant can name), without setAudience's DELETE.
func addAudience(ctx context.Context, tx *sql.Tx, ns, itemID string, p *permissions, extraUsers []string) error {
	add := func(kind string, ids []string) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `INSERT INTO workdrive_content_audience (ns, item_id, ref_kind, ref_id)
				VALUES ($1, $2, $3, $4) ON CONFLICT (ns, item_id, ref_kind, ref_id) DO NOTHING`, ns, itemID, kind, id); err != nil {
				return err
			}
		}
		return nil
	}
	for _, g := range []struct {
		kind string
		ids  []string
	}{{"user", p.Users}, {"user", extraUsers}, {"tagged", p.TaggedUsers}, {"group", p.Groups}, {"location", p.Locations}} {
		if err := add(g.kind, g.ids); err != nil {
			return err
		}
	}
	return nil
}

// visibleSQL is the condition under which the caller sees an item of the
// table aliased x, whose author column is authorCol: the whole
// organization's items, the caller's own, and restricted items that grant
// the caller directly, by tag, or through a security group or location.
func visibleSQL(a *store.Args, x, authorCol, callerID string) string {
	me := a.Add(callerID)
	return `(` + x + `.audience = 'org' OR ` + x + `.` + authorCol + ` = ` + me + ` OR EXISTS (
		SELECT 1 FROM workdrive_content_audience ca WHERE ca.ns = ` + x + `.ns AND ca.item_id = ` + x + `.id AND (
			(ca.ref_kind IN ('user', 'tagged') AND ca.ref_id = ` + me + `)
			OR (ca.ref_kind = 'group' AND EXISTS (SELECT 1 FROM workdrive_security_group_members gm
				WHERE gm.ns = ca.ns AND gm.group_id = ca.ref_id AND gm.user_id = ` + me + `))
			OR (ca.ref_kind = 'location' AND EXISTS (SELECT 1 FROM workdrive_location_members lm
				WHERE lm.ns = ca.ns AND lm.location_id = ca.ref_id AND lm.user_id = ` + me + `)))))`
}

// deleteItemRows removes what hangs off a content item: its grants and
// owners.
func deleteItemRows(ctx context.Context, tx *sql.Tx, ns, itemID string) error {
	for _, t := range []string{"workdrive_content_audience", "workdrive_content_owners"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t+` WHERE ns = $1 AND item_id = $2`, ns, itemID); err != nil {
			return err
		}
	}
	return nil
}

// toJSON encodes v for a TEXT column (v is always encodable).
func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// jsonObject decodes a stored JSON object ({} when empty or invalid).
func jsonObject(s string) clientJSON {
	var m clientJSON
	if json.Unmarshal([]byte(s), &m) != nil || m == nil {
		return clientJSON{}
	}
	return m
}

// clientJSON is an object a client sent that is stored and echoed as it
// came (video meta, a post's location, an event's repeat rule): its shape
// is the client's, not the API's.
type clientJSON = map[string]any

// dedupe drops repeated and empty ids, keeping the first occurrence.
func dedupe(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	return out
}

// summaries renders user summaries for one response, loading each user
// once.
type summaries struct {
	ctx   context.Context
	q     store.Querier
	ns    *namespace.Namespace
	m     map[string]*userSummaryJSON
	files map[string]*file // nil: no such file
}

func newSummaries(ctx context.Context, q store.Querier, ns *namespace.Namespace) *summaries {
	return &summaries{ctx: ctx, q: q, ns: ns, m: map[string]*userSummaryJSON{}, files: map[string]*file{}}
}

// prefetchFiles loads the files among ids of org that are not cached yet
// in one query.
func (s *summaries) prefetchFiles(org string, ids []string) error {
	var a store.Args
	in := []string{}
	where := `ns = ` + a.Add(s.ns.ID) + ` AND org_id = ` + a.Add(org) + ` AND id IN (`
	for _, id := range ids {
		if _, ok := s.files[id]; ok || id == "" {
			continue
		}
		s.files[id] = nil
		in = append(in, a.Add(id))
	}
	if len(in) == 0 {
		return nil
	}
	rows, err := s.q.QueryContext(s.ctx, `SELECT `+fileColumns+` FROM workdrive_files WHERE `+where+strings.Join(in, ", ")+`)`, a...)
	files, err := store.Collect(rows, err, scanFile)
	if err != nil {
		return err
	}
	owners := make([]string, 0, len(files))
	for _, f := range files {
		s.files[f.id] = f
		owners = append(owners, f.ownerID)
	}
	return s.prefetch(owners)
}

// one returns the user's summary, or nil when the user no longer exists.
func (s *summaries) one(id string) (*userSummaryJSON, error) {
	if v, ok := s.m[id]; ok {
		return v, nil
	}
	v, err := userSummaryByID(s.ctx, s.q, s.ns, id)
	if err != nil {
		return nil, err
	}
	s.m[id] = v
	return v, nil
}

// prefetch loads the users among ids that are not cached yet in one
// query, so that a response embedding many users costs one round trip.
func (s *summaries) prefetch(ids ...[]string) error {
	var a store.Args
	in := []string{}
	where := `u.ns = ` + a.Add(s.ns.ID) + ` AND u.id IN (`
	for _, list := range ids {
		for _, id := range list {
			if _, ok := s.m[id]; ok || id == "" {
				continue
			}
			s.m[id] = nil // unknown until found
			in = append(in, a.Add(id))
		}
	}
	if len(in) == 0 {
		return nil
	}
	users, err := scanUsers(s.q.QueryContext(s.ctx, userSelect+` WHERE `+where+strings.Join(in, ", ")+`)`, a...))
	if err != nil {
		return err
	}
	for _, u := range users {
		s.m[u.id] = userSummary(s.ns, u)
	}
	return nil
}

// list returns the summaries of the users that still exist, in order.
func (s *summaries) list(ids []string) ([]*userSummaryJSON, error) {
	out := make([]*userSummaryJSON, 0, len(ids))
	for _, id := range ids {
		v, err := s.one(id)
		if err != nil {
			return nil, err
		}
		if v != nil {
			out = append(out, v)
		}
	}
	return out, nil
}

// file renders a file reference as the File object with its owner, or
// nil when id is empty or names no file of org.
func (s *summaries) file(org, id string) (*fileOut, error) {
	if id == "" {
		return nil, nil
	}
	if err := s.prefetchFiles(org, []string{id}); err != nil {
		return nil, err
	}
	f := s.files[id]
	if f == nil || f.orgID != org {
		return nil, nil
	}
	owner, err := s.one(f.ownerID)
	if err != nil {
		return nil, err
	}
	return fileJSON(s.ns, f, owner), nil
}

// itemOwners returns the owners of a document or FAQ, in the order added.
func itemOwners(ctx context.Context, q store.Querier, ns, itemID string) ([]string, error) {
	return strList(ctx, q, `SELECT user_id FROM workdrive_content_owners
		WHERE ns = $1 AND item_id = $2 ORDER BY added_at, user_id`, ns, itemID)
}

// insertContent stores a content item's row (columns, read from dest), its
// owners (documents and FAQs have them; added from time at) and the grants
// its permissions name.
func insertContent(ctx context.Context, tx *sql.Tx, ns, table, columns string, dest []any, id, permissions string,
	owners []string, at int64) error {
	if err := insertRow(ctx, tx, table, "ns", columns, dest, ns); err != nil {
		return err
	}
	if err := addOwners(ctx, tx, ns, id, owners, at); err != nil {
		return err
	}
	return setAudience(ctx, tx, ns, id, decodePermissions(permissions), nil)
}

// addOwners adds owners (idempotent); removeOwners drops them.
func addOwners(ctx context.Context, tx *sql.Tx, ns, itemID string, ids []string, now int64) error {
	for i, id := range ids {
		if _, err := tx.ExecContext(ctx, `INSERT INTO workdrive_content_owners (ns, item_id, user_id, added_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT (ns, item_id, user_id) DO NOTHING`, ns, itemID, id, now+int64(i)); err != nil {
			return err
		}
	}
	return nil
}

func removeOwners(ctx context.Context, tx *sql.Tx, ns, itemID string, ids []string) error {
	return execForEach(ctx, tx, `DELETE FROM workdrive_content_owners WHERE ns = $1 AND item_id = $2 AND user_id = $3`, ns, itemID, ids)
}

// isOwner tells whether the user owns a document or FAQ.
func isOwner(ctx context.Context, q store.Querier, ns, itemID, userID string) (bool, error) {
	return exists(ctx, q, `SELECT 1 FROM workdrive_content_owners WHERE ns = $1 AND item_id = $2 AND user_id = $3`,
		ns, itemID, userID)
}

// likeEscape escapes a search term for LIKE ... ESCAPE '\'.
func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(s)) + "%"
}

// sortDirection reads sort_direction (ASC or DESC, any case).
func sortDirection(v, def string) (string, error) {
	switch strings.ToUpper(strings.TrimSpace(v)) {
	case "":
		return def, nil
	case "ASC":
		return "ASC", nil
	case "DESC":
		return "DESC", nil
	}
	return "", httpx.BadRequest("sort_direction must be one of ASC, DESC")
}

// prefixed qualifies a column list with a table alias.
func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = alias + "." + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// visibleByCreator is visibleSQL for the tables whose author column is
// created_by (videos, photos, events).
func visibleByCreator(a *store.Args, x, callerID string) string {
	return visibleSQL(a, x, "created_by", callerID)
}

// itemByID loads the item id of the caller's organization from table
// (aliased x, columns cols) when the caller sees it by visible
// (visibleByCreator or publishedSQL).
func itemByID[T any](ctx context.Context, q store.Querier, c *caller, table, cols, id string,
	visible func(a *store.Args, x, callerID string) string, scan func(store.Scanner) (*T, error)) (*T, error) {
	var a store.Args
	where := c.inOrg(&a, "x") + ` AND x.id = ` + a.Add(id) + ` AND ` + visible(&a, "x", c.id)
	return scan(q.QueryRowContext(ctx, `SELECT `+prefixed("x", cols)+` FROM `+table+` x WHERE `+where, a...))
}

// deleteItem is a content item's DELETE: in one transaction, load finds
// the item and checks the caller may change it, and the row of table is
// deleted with its grants and owners.
func (s *Service) deleteItem(w http.ResponseWriter, r *http.Request, c *caller, table string,
	load func(tx *sql.Tx) (id string, err error)) error {
	return s.deleteTx(w, r, func(tx *sql.Tx) error {
		id, err := load(tx)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(r.Context(), `DELETE FROM `+table+` WHERE ns = $1 AND id = $2`, c.ns.ID, id); err != nil {
			return err
		}
		return deleteItemRows(r.Context(), tx, c.ns.ID, id)
	})
}

// listPage counts the rows of table (aliased x) that match where and loads
// page p of them in order.
func listPage[T any](ctx context.Context, q store.Querier, table, cols, where, order string, a store.Args, p pageReq,
	scan func(store.Scanner) (*T, error)) ([]*T, int, error) {
	return pagedRows(ctx, q, prefixed("x", cols), `FROM `+table+` x WHERE `+where, order, a, p, scan)
}

// pagedRows counts the rows that from ("FROM … WHERE …", with args a)
// selects and scans page p of them: SELECT cols from ORDER BY order.
func pagedRows[T any](ctx context.Context, q store.Querier, cols, from, order string, a []any, p pageReq,
	scan func(store.Scanner) (T, error)) ([]T, int, error) {
	total, err := count(ctx, q, `SELECT count(*) `+from, a...)
	if err != nil {
		return nil, 0, err
	}
	lim, args := p.SQL(len(a))
	rows, err := q.QueryContext(ctx, `SELECT `+cols+` `+from+` ORDER BY `+order+lim, append(a, args...)...)
	list, err := store.Collect(rows, err, scan)
	return list, total, err
}

// renderAll renders each item of a list.
func renderAll[T, O any](sum *summaries, list []*T, render func(*summaries, *T) (O, error)) ([]O, error) {
	out := make([]O, 0, len(list))
	for _, it := range list {
		m, err := render(sum, it)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// newestFirst is the order of the content lists.
const newestFirst = `x.created_at DESC, x.id DESC`

// writeTx runs write in one transaction and answers the object it returns
// with answer (created or okJSON).
func (s *Service) writeTx(w http.ResponseWriter, r *http.Request, answer func(http.ResponseWriter, any) error,
	write func(tx *sql.Tx) (any, error)) error {
	var out any
	err := s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		var err error
		out, err = write(tx)
		return err
	})
	if err != nil {
		return err
	}
	return answer(w, out)
}

// deleteTx runs del in one transaction and answers 204 No Content.
func (s *Service) deleteTx(w http.ResponseWriter, r *http.Request, del func(tx *sql.Tx) error) error {
	if err := s.db.Tx(r.Context(), del); err != nil {
		return err
	}
	return deleted(w)
}

// setString sets *dst to b[key] when key is present (null clears it).
func setString(b *httpx.Body, key string, dst *string) {
	if v, ok := b.String(key); ok || b.Null(key) {
		*dst = v
	}
}

// refList reads b[key], a list of ids of kind (repeats dropped, each
// checked), as stored JSON; ok is false when key is absent.
func refList(ctx context.Context, q store.Querier, c *caller, b *httpx.Body, kind, key string) (string, bool, error) {
	v, ok := b.Strings(key)
	if !ok && !b.Null(key) {
		return "", false, nil
	}
	v = dedupe(v)
	if err := checkRefs(ctx, q, c.ns.ID, c.orgID, kind, key, v); err != nil {
		return "", true, err
	}
	return toJSON(v), true, nil
}
