package clinked

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/outbox"
	"github.com/standin-dev/standin/internal/store"
)

// defaultGroupPageSize is the groups list's page size when none is given
// (the doc shows none; 20 as the account members list).
const defaultGroupPageSize = 20

// groupOrder is how the groups list sorts: by the account-wide order that
// reorder sets, then by id.
var groupOrder = orderSpec{
	columns: map[string]string{
		"": "g.position", "order": "g.position", "position": "g.position",
		"id": "g.id", "name": "g.name", "friendlyName": "lower(g.friendly_name)",
		"dateCreated": "g.date_created", "lastModified": "g.last_modified",
	},
	def:      "",
	tiebreak: "g.id",
}

// Errors that the group handlers map to statuses.
var (
	errNameTaken    = errors.New("group name taken")
	errNoSuchMaster = errors.New("no such master group")
)

// groupFilter builds the WHERE clause that list and count share, answering
// 400 itself for malformed filters.
func (s *Service) groupFilter(w http.ResponseWriter, r *http.Request, p url.Values, a *account, m *member) (string, store.Args, bool) {
	c := callerFrom(r.Context())
	var args store.Args
	where := "g.ns = " + args.Add(c.ns.ID) + " AND g.account_id = " + args.Add(a.id)
	if v := p.Get("removed"); v != "" {
		incl, ok := httpx.Bool(v)
		if !ok {
			badRequest(w, r, "removed must be true or false")
			return "", nil, false
		}
		if !incl {
			where += " AND NOT g.removed"
		}
	} else {
		where += " AND NOT g.removed"
	}
	if !isAdmin(m.permission) {
		// Members see the groups they belong to; administrators see all.
		where += ` AND EXISTS (SELECT 1 FROM clinked_group_members gm WHERE gm.ns = g.ns
			AND gm.group_id = g.id AND gm.user_id = ` + args.Add(c.user.id) + ` AND ` +
			activeMembership("gm", args.Add(ms(c.ns.Now()))) + `)`
	}
	if name := strings.TrimSpace(p.Get("name")); name != "" {
		exact := false
		if v := p.Get("exact"); v != "" {
			var ok bool
			if exact, ok = httpx.Bool(v); !ok {
				badRequest(w, r, "exact must be true or false")
				return "", nil, false
			}
		}
		if exact {
			n := args.Add(strings.ToLower(name))
			where += " AND (lower(g.name) = " + n + " OR lower(g.friendly_name) = " + n + ")"
		} else {
			where += likeAny(&args, "%"+likePattern(name)+"%", "lower(g.name)", "lower(g.friendly_name)")
		}
	}
	excl, ok := idList(p["exclude"])
	if !ok {
		badRequest(w, r, fmt.Sprintf("exclude must be a list of at most %d group ids", maxExclude))
		return "", nil, false
	}
	where += notIn(&args, "g.id", excl)
	if v := p.Get("master"); v != "" {
		id, ok := httpx.Int64(v)
		if !ok {
			badRequest(w, r, "master must be a group id")
			return "", nil, false
		}
		where += " AND g.master = " + args.Add(id)
	}
	if v := p.Get("label"); v != "" {
		if _, ok := httpx.Int64(v); !ok {
			badRequest(w, r, "label must be a label id")
			return "", nil, false
		}
		// Labels arrive with the group labels endpoints; until a group can
		// carry one, no group matches a label.
		where += " AND 1 = 0"
	}
	return where, args, true
}

// notIn is the condition " AND col NOT IN (…)" of ids, or "" without
// ids: one condition, as a chain of "<>" runs into SQLite's expression
// depth limit.
func notIn(args *store.Args, col string, ids []int64) string {
	if len(ids) == 0 {
		return ""
	}
	ph := make([]string, len(ids))
	for i, id := range ids {
		ph[i] = args.Add(id)
	}
	return " AND " + col + " NOT IN (" + strings.Join(ph, ", ") + ")"
}

// maxExclude is the most distinct ids that exclude takes: each is a bind
// parameter, and the databases take a bounded number of them.
const maxExclude = 1000

// idList reads ids given comma-separated, repeated, or both, without
// repeats; more than maxExclude distinct ids are refused.
func idList(vals []string) ([]int64, bool) {
	var out []int64
	seen := map[int64]bool{}
	for _, v := range vals {
		for _, part := range strings.Split(v, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			n, err := strconv.ParseInt(part, 10, 64)
			if err != nil {
				return nil, false
			}
			if seen[n] {
				continue
			}
			if len(out) == maxExclude {
				return nil, false
			}
			seen[n] = true
			out = append(out, n)
		}
	}
	return out, true
}

func (s *Service) countGroups(w http.ResponseWriter, r *http.Request) {
	a, m, ok := s.account(w, r, false)
	if !ok {
		return
	}
	p, ok := s.params(w, r)
	if !ok {
		return
	}
	where, args, ok := s.groupFilter(w, r, p, a, m)
	if !ok {
		return
	}
	n, ok := s.count(w, r, `SELECT count(*) FROM clinked_groups g WHERE `+where, args)
	if !ok {
		return
	}
	w.Header().Set("X-Count", strconv.Itoa(n))
	w.WriteHeader(http.StatusOK)
}

func (s *Service) listGroups(w http.ResponseWriter, r *http.Request) {
	a, m, ok := s.account(w, r, false)
	if !ok {
		return
	}
	p, lq, ok := s.listParams(w, r, defaultGroupPageSize, groupOrder)
	if !ok {
		return
	}
	where, args, ok := s.groupFilter(w, r, p, a, m)
	if !ok {
		return
	}
	ctx, c := r.Context(), callerFrom(r.Context())
	total, ok := s.count(w, r, `SELECT count(*) FROM clinked_groups g WHERE `+where, args)
	if !ok {
		return
	}
	tail, targs := lq.orderAndLimit(args)
	groups, err := queryGroups(ctx, s.db, `SELECT `+prefixed("g", groupColumns)+` FROM clinked_groups g WHERE `+where+tail,
		targs...)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	views := newGroupViews(s.db, c.ns.ID, ms(c.ns.Now()), true)
	items := make([]*groupJSON, 0, len(groups))
	for _, g := range groups {
		v, err := views.view(ctx, g)
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		items = append(items, v)
	}
	w.Header().Set("X-Count", strconv.Itoa(total))
	httpx.WriteJSON(w, http.StatusOK, newPage(items, lq, total))
}

func queryGroups(ctx context.Context, q store.Querier, query string, args ...any) ([]*group, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	return store.Collect(rows, err, scanGroup)
}

// accountGroup resolves {account} and {group} together: the group must be
// one of the account's, visible to the caller with at least need.
func (s *Service) accountGroup(w http.ResponseWriter, r *http.Request, need int64) (*account, *member, *groupAccess, bool) {
	a, m, ok := s.account(w, r, false)
	if !ok {
		return nil, nil, nil, false
	}
	gid, ok := pathID(w, r, "group")
	if !ok {
		return nil, nil, nil, false
	}
	ga, ok := s.group(w, r, gid, need)
	if !ok {
		return nil, nil, nil, false
	}
	if ga.group.accountID != a.id {
		notFound(w, r, "Group not found")
		return nil, nil, nil, false
	}
	return a, m, ga, true
}

func (s *Service) getGroup(w http.ResponseWriter, r *http.Request) {
	_, _, ga, ok := s.accountGroup(w, r, 0)
	if !ok {
		return
	}
	s.writeGroup(w, r, s.db, ga.group)
}

// writeGroup answers 200 with the full group.
func (s *Service) writeGroup(w http.ResponseWriter, r *http.Request, q store.Querier, g *group) {
	c := callerFrom(r.Context())
	v, err := newGroupViews(q, c.ns.ID, ms(c.ns.Now()), true).view(r.Context(), g)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, v)
}

// applyGroupInput applies the fields of a create, duplicate or update body
// to g. The master is checked later, in the transaction.
func applyGroupInput(b body, g *group, a *account) error {
	if b.has("name") {
		name, ok, err := b.str("name")
		if err != nil {
			return err
		}
		if ok {
			if !slugValid.MatchString(name) {
				return &fieldError{"name", "a slug: lowercase letters, digits, '_' and '-'"}
			}
			g.name = name
		}
	}
	if b.has("friendlyName") {
		fn, ok, err := b.str("friendlyName")
		if err != nil {
			return err
		}
		if !ok || strings.TrimSpace(fn) == "" {
			return &fieldError{"friendlyName", "a non-empty string"}
		}
		g.friendlyName = strings.TrimSpace(fn)
	}
	if b.has("description") {
		d, _, err := b.str("description")
		if err != nil {
			return err
		}
		g.description = d
	}
	for k, dst := range map[string]*bool{
		"blind": &g.blind, "disableComments": &g.disableComments,
		"disableEmailComments": &g.disableEmailComments, "hideMemberDetails": &g.hideMemberDetails,
	} {
		v, ok, err := b.bool(k)
		if err != nil {
			return err
		}
		if ok {
			*dst = v
		}
	}
	if b.has("master") {
		id, ok, err := b.int("master")
		if err != nil {
			return err
		}
		g.master = sql.NullInt64{Int64: id, Valid: ok}
		g.masterConfigured = ok
	}
	if b.present("components") {
		cs, err := parseComponents(b["components"], strList(a.components))
		if err != nil {
			return err
		}
		g.components = cs
	}
	if b.present("watermarkConfiguration") {
		wm, err := mergeWatermark(g.watermark, b["watermarkConfiguration"])
		if err != nil {
			return err
		}
		g.watermark = wm
	}
	if b.present("notificationsConfiguration") {
		st, err := mergeNotifications(g.settings, b["notificationsConfiguration"])
		if err != nil {
			return err
		}
		g.settings = st
	}
	return nil
}

// checkMaster makes sure g's master is another live group of its account.
func checkMaster(ctx context.Context, tx *sql.Tx, ns string, g *group) error {
	if !g.master.Valid {
		return nil
	}
	m, err := groupByID(ctx, tx, ns, g.master.Int64)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (m.removed || m.accountID != g.accountID || m.id == g.id)) {
		return errNoSuchMaster
	}
	return err
}

// uniqueName gives g a name when it has none, derived from its friendly
// name and made unique in the account with a numeric suffix.
func uniqueName(ctx context.Context, tx *sql.Tx, ns string, g *group) error {
	if g.name != "" {
		return nil
	}
	base := slugify(g.friendlyName)
	for i := 1; ; i++ {
		name := base
		if i > 1 {
			name = base + "_" + strconv.Itoa(i)
		}
		if i > 1000 {
			name = base + "_" + ids.Hex(4)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM clinked_groups
			WHERE ns = $1 AND account_id = $2 AND name = $3`, ns, g.accountID, name).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			g.name = name
			return nil
		}
	}
}

// createGroup serves POST …/groups: create, or duplicate when the body has
// copyFrom.
func (s *Service) createGroup(w http.ResponseWriter, r *http.Request) {
	a, m, ok := s.account(w, r, false)
	if !ok {
		return
	}
	if m.permission < permGroupCreator {
		forbidden(w, r, "Group creator permission is required to create groups")
		return
	}
	b, ok := readBody(w, r)
	if !ok {
		return
	}
	ctx, c := r.Context(), callerFrom(r.Context())
	now := ms(c.ns.Now())
	g := &group{accountID: a.id, ownerID: sql.NullInt64{Int64: c.user.id, Valid: true}, dateCreated: now, lastModified: now}
	if b.present("copyFrom") {
		id, _, err := b.int("copyFrom")
		if err != nil {
			badRequest(w, r, err.Error())
			return
		}
		src, ok := s.group(w, r, id, 0)
		if !ok {
			return
		}
		if src.group.accountID != a.id {
			notFound(w, r, "Group not found")
			return
		}
		// A copy takes the source's components, branding and settings,
		// never its members.
		sg := src.group
		g.description, g.blind, g.disableChat = sg.description, sg.blind, sg.disableChat
		g.disableComments, g.disableEmailComments, g.hideMemberDetails = sg.disableComments, sg.disableEmailComments, sg.hideMemberDetails
		g.branding, g.components, g.settings, g.watermark = sg.branding, sg.components, sg.settings, sg.watermark
		g.master, g.masterConfigured = sg.master, sg.masterConfigured
	}
	if !b.present("friendlyName") {
		badRequest(w, r, "friendlyName is required")
		return
	}
	if err := applyGroupInput(b, g, a); err != nil {
		badRequest(w, r, err.Error())
		return
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkMaster(ctx, tx, c.ns.ID, g); err != nil {
			return err
		}
		if err := uniqueName(ctx, tx, c.ns.ID, g); err != nil {
			return err
		}
		if err := insertGroup(ctx, tx, c.ns.ID, g); err != nil {
			if store.IsUniqueViolation(err) {
				return errNameTaken
			}
			return err
		}
		// The creator administers the new group; members set to join every
		// new group (assignToNewGroupsPermission) join it too.
		if err := upsertGroupMember(ctx, tx, c.ns.ID, &groupMember{groupID: g.id, userID: c.user.id,
			permission: permAdmin, dateCreated: now}); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO clinked_group_members
			(ns, group_id, user_id, permission, date_created, expiration_date, restricted_apps)
			SELECT ns, $2, user_id, assign_to_new_groups, $3, NULL, '[]' FROM clinked_members
			WHERE ns = $1 AND account_id = $4 AND assign_to_new_groups IS NOT NULL AND user_id <> $5
			ON CONFLICT DO NOTHING`, c.ns.ID, g.id, now, a.id, c.user.id); err != nil {
			return err
		}
		return nil
	})
	switch {
	case errors.Is(err, errNameTaken):
		conflict(w, r, fmt.Sprintf("A group named %q already exists", g.name))
	case errors.Is(err, errNoSuchMaster):
		badRequest(w, r, "master must be another group of this account")
	case err != nil:
		s.internalError(w, r, err)
	default:
		s.writeGroup(w, r, s.db, g)
	}
}

func (s *Service) updateGroup(w http.ResponseWriter, r *http.Request) {
	a, _, ga, ok := s.accountGroup(w, r, permAdmin)
	if !ok {
		return
	}
	b, ok := readBody(w, r)
	if !ok {
		return
	}
	ctx, c := r.Context(), callerFrom(r.Context())
	var g *group
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if g, err = groupByID(ctx, tx, c.ns.ID, ga.group.id); err != nil {
			return err
		}
		if g.removed {
			return sql.ErrNoRows
		}
		// copyFrom means nothing to an existing group.
		delete(b, "copyFrom")
		if err := applyGroupInput(b, g, a); err != nil {
			return err
		}
		if err := checkMaster(ctx, tx, c.ns.ID, g); err != nil {
			return err
		}
		g.lastModified = ms(c.ns.Now())
		return updateGroupRow(ctx, tx, c.ns.ID, g)
	})
	var fe *fieldError
	switch {
	case errors.As(err, &fe):
		badRequest(w, r, fe.Error())
	case errors.Is(err, sql.ErrNoRows):
		notFound(w, r, "Group not found")
	case errors.Is(err, errNoSuchMaster):
		badRequest(w, r, "master must be another group of this account")
	case store.IsUniqueViolation(err):
		conflict(w, r, fmt.Sprintf("A group named %q already exists", g.name))
	case err != nil:
		s.internalError(w, r, err)
	default:
		s.writeGroup(w, r, s.db, g)
	}
}

// updateGroupRow saves the writable columns of g.
func updateGroupRow(ctx context.Context, q store.Querier, ns string, g *group) error {
	_, err := q.ExecContext(ctx, `UPDATE clinked_groups SET name = $3, friendly_name = $4, description = $5,
		blind = $6, disable_comments = $7, disable_email_comments = $8, hide_member_details = $9,
		components = $10, settings = $11, watermark = $12, master = $13, master_configured = $14,
		last_modified = $15 WHERE ns = $1 AND id = $2`,
		ns, g.id, g.name, g.friendlyName, g.description, g.blind, g.disableComments,
		g.disableEmailComments, g.hideMemberDetails, g.components, g.settings, g.watermark,
		g.master, g.masterConfigured, g.lastModified)
	return err
}

// deleteGroup moves the group out of the lists: it is flagged removed and
// keeps its members and content, for the group trash to restore.
func (s *Service) deleteGroup(w http.ResponseWriter, r *http.Request) {
	_, _, ga, ok := s.accountGroup(w, r, permAdmin)
	if !ok {
		return
	}
	ctx, c := r.Context(), callerFrom(r.Context())
	now := ms(c.ns.Now())
	var n int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE clinked_groups SET removed = $3, date_removed = $4, last_modified = $4
			WHERE ns = $1 AND id = $2 AND NOT removed`, c.ns.ID, ga.group.id, true, now)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	switch {
	case err != nil:
		s.internalError(w, r, err)
	case n == 0:
		notFound(w, r, "Group not found")
	default:
		w.WriteHeader(http.StatusOK)
	}
}

// reorderGroups sets the account-wide order: {"items": {"groupId": order}},
// orders as numbers or numeric strings. Groups not listed keep theirs.
func (s *Service) reorderGroups(w http.ResponseWriter, r *http.Request) {
	a, b, ok := s.adminBody(w, r)
	if !ok {
		return
	}
	if !b.present("items") {
		badRequest(w, r, "items is required: an object of group id to order")
		return
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b["items"], &raw); err != nil {
		badRequest(w, r, "items must be an object of group id to order")
		return
	}
	items := body(raw)
	order := map[int64]int64{}
	for k := range items {
		gid, err := strconv.ParseInt(strings.TrimSpace(k), 10, 64)
		if err != nil {
			badRequest(w, r, "items must be keyed by group id")
			return
		}
		pos, ok, err := items.int(k)
		if err != nil || !ok {
			badRequest(w, r, "items."+k+" must be an integer")
			return
		}
		order[gid] = pos
	}
	ctx, c := r.Context(), callerFrom(r.Context())
	var unknown int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		for gid, pos := range order {
			res, err := tx.ExecContext(ctx, `UPDATE clinked_groups SET position = $4
				WHERE ns = $1 AND account_id = $2 AND id = $3 AND NOT removed`, c.ns.ID, a.id, gid, pos)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n == 0 {
				unknown = gid
				return errNoSuchGroup
			}
		}
		return nil
	})
	switch {
	case errors.Is(err, errNoSuchGroup):
		badRequest(w, r, fmt.Sprintf("items names group %d, which is not a group of this account", unknown))
	case err != nil:
		s.internalError(w, r, err)
	default:
		w.WriteHeader(http.StatusOK)
	}
}

var errNoSuchGroup = errors.New("no such group")

// exportGroup validates the components to export and mails the caller the
// download link, as Clinked does once its export job is done.
func (s *Service) exportGroup(w http.ResponseWriter, r *http.Request) {
	ga, ok := s.groupFromPath(w, r, permAdmin)
	if !ok {
		return
	}
	b, ok := readBody(w, r)
	if !ok {
		return
	}
	comps, _, err := b.strings("components")
	if err != nil {
		badRequest(w, r, err.Error())
		return
	}
	for _, cn := range comps {
		if !componentNames[cn] {
			badRequest(w, r, fmt.Sprintf("components: unknown component %q; use pages, files, discussions, tasks, events", cn))
			return
		}
	}
	if len(comps) == 0 {
		comps = componentsOf(ga.group) // nothing named: every enabled component
	}
	ctx, c := r.Context(), callerFrom(r.Context())
	link := strings.TrimRight(c.ns.BaseURL, "/") + "/exports/" + ids.UUID() + ".zip"
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		return outbox.Send(ctx, tx, c.ns.ID, outbox.Message{
			Vendor: vendorName, To: c.user.email, Time: c.ns.Now(),
			Subject: "Your export of " + ga.group.friendlyName + " is ready",
			Body: "Hello " + c.user.name + ",\n\nThe export of " + ga.group.friendlyName + " (" +
				strings.Join(comps, ", ") + ") is ready. Download it here:\n" + link + "\n",
		})
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}
