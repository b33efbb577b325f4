package clinked

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
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

// errNoSuchMaster is a master that is not another live group of the
// account.
var errNoSuchMaster = httpx.BadRequest("master must be another group of this account")

// groupFilter builds the WHERE clause that list and count share; malformed
// filters are 400s.
func groupFilter(p url.Values, c *caller, a *account, m *member) (string, store.Args, error) {
	var args store.Args
	where := "g.ns = " + args.Add(c.ns.ID) + " AND g.account_id = " + args.Add(a.id)
	incl, err := queryBool(p, "removed", false)
	if err != nil {
		return "", nil, err
	}
	if !incl {
		where += " AND NOT g.removed"
	}
	if !isAdmin(m.permission) {
		// Members see the groups they belong to; administrators see all.
		where += ` AND EXISTS (SELECT 1 FROM clinked_group_members gm WHERE gm.ns = g.ns
			AND gm.group_id = g.id AND gm.user_id = ` + args.Add(c.user.id) + ` AND ` +
			activeMembership("gm", args.Add(ms(c.ns.Now()))) + `)`
	}
	if name := strings.TrimSpace(p.Get("name")); name != "" {
		exact, err := queryBool(p, "exact", false)
		if err != nil {
			return "", nil, err
		}
		if exact {
			n := args.Add(strings.ToLower(name))
			where += " AND (lower(g.name) = " + n + " OR lower(g.friendly_name) = " + n + ")"
		} else {
			where += likeAny(&args, "%"+likePattern(name)+"%", "lower(g.name)", "lower(g.friendly_name)")
		}
	}
	excl, err := excludeList(p, "group")
	if err != nil {
		return "", nil, err
	}
	where += notIn(&args, "g.id", excl)
	if id, err := queryID(p, "master", "a group id"); err != nil {
		return "", nil, err
	} else if p.Get("master") != "" {
		where += " AND g.master = " + args.Add(id)
	}
	if id, err := queryID(p, "label", "a label id"); err != nil {
		return "", nil, err
	} else if p.Get("label") != "" {
		where += ` AND EXISTS (SELECT 1 FROM clinked_group_labels gl WHERE gl.ns = g.ns AND gl.group_id = g.id
			AND gl.label_id = ` + args.Add(id) + `)`
	}
	return where, args, nil
}

// excludeList reads the exclude parameter: ids of what (group, user).
func excludeList(p url.Values, what string) ([]int64, error) {
	excl, valid := idList(p["exclude"])
	if !valid {
		return nil, httpx.BadRequest("exclude must be a list of at most %d %s ids", maxExclude, what)
	}
	return excl, nil
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

// accountGroups resolves {account} and reads the group list's parameters
// and filter, which count and list share.
func (s *Service) accountGroups(w http.ResponseWriter, r *http.Request, c *caller) (url.Values, string, store.Args, int, error) {
	a, m, err := s.account(r, c, false)
	if err != nil {
		return nil, "", nil, 0, err
	}
	p, err := params(w, r)
	if err != nil {
		return nil, "", nil, 0, err
	}
	where, args, err := groupFilter(p, c, a, m)
	if err != nil {
		return nil, "", nil, 0, err
	}
	total, err := s.count(r.Context(), `SELECT count(*) FROM clinked_groups g WHERE `+where, args)
	return p, where, args, total, err
}

// countGroups serves HEAD /v3/accounts/{account}/groups: the count in X-Count.
func (s *Service) countGroups(w http.ResponseWriter, r *http.Request, c *caller) error {
	_, _, _, n, err := s.accountGroups(w, r, c)
	if err != nil {
		return err
	}
	w.Header().Set("X-Count", strconv.Itoa(n))
	w.WriteHeader(http.StatusOK)
	return nil
}

// listGroups serves GET /v3/accounts/{account}/groups.
func (s *Service) listGroups(w http.ResponseWriter, r *http.Request, c *caller) error {
	p, where, args, total, err := s.accountGroups(w, r, c)
	if err != nil {
		return err
	}
	lq, err := parseList(p, defaultGroupPageSize, groupOrder)
	if err != nil {
		return err
	}
	ctx := r.Context()
	tail, targs := lq.orderAndLimit(args)
	groups, err := queryGroups(ctx, s.db, `SELECT `+prefixed("g", groupColumns)+` FROM clinked_groups g WHERE `+where+tail,
		targs...)
	if err != nil {
		return err
	}
	views := newGroupViews(s.db, c.ns.ID, ms(c.ns.Now()), true)
	items := make([]*groupJSON, 0, len(groups))
	for _, g := range groups {
		v, err := views.view(ctx, g)
		if err != nil {
			return err
		}
		items = append(items, v)
	}
	w.Header().Set("X-Count", strconv.Itoa(total))
	return writePage(w, items, lq, total)
}

func queryGroups(ctx context.Context, q store.Querier, query string, args ...any) ([]*group, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	return store.Collect(rows, err, scanGroup)
}

// accountGroup resolves {account} and {group} together: the group must be
// one of the account's, visible to c with at least need.
func (s *Service) accountGroup(r *http.Request, c *caller, need int64) (*account, *groupAccess, error) {
	a, _, err := s.account(r, c, false)
	if err != nil {
		return nil, nil, err
	}
	ga, err := s.groupFromPath(r, c, need)
	if err != nil {
		return nil, nil, err
	}
	if ga.group.accountID != a.id {
		return nil, nil, errGroupNotFound
	}
	return a, ga, nil
}

// getGroup serves GET /v3/accounts/{account}/groups/{group}.
func (s *Service) getGroup(w http.ResponseWriter, r *http.Request, c *caller) error {
	_, ga, err := s.accountGroup(r, c, 0)
	if err != nil {
		return err
	}
	return s.writeGroup(w, r, c, ga.group)
}

// writeGroup answers 200 with the full group.
func (s *Service) writeGroup(w http.ResponseWriter, r *http.Request, c *caller, g *group) error {
	v, err := newGroupViews(s.db, c.ns.ID, ms(c.ns.Now()), true).view(r.Context(), g)
	return reply(w, v, err)
}

// applyGroupInput applies the fields of a create, duplicate or update body
// to g. The master is checked later, in the transaction.
func applyGroupInput(b *httpx.Body, g *group, a *account) error {
	if name, ok := b.String("name"); ok {
		if !slugValid.MatchString(name) {
			b.Fail("name", "a slug: lowercase letters, digits, '_' and '-'")
		}
		g.name = name
	}
	if b.Has("friendlyName") {
		fn, ok := b.String("friendlyName")
		if ok && strings.TrimSpace(fn) == "" || b.Null("friendlyName") {
			b.Fail("friendlyName", "a non-empty string")
		}
		g.friendlyName = strings.TrimSpace(fn)
	}
	if b.Has("description") {
		g.description = b.Str("description")
	}
	for k, dst := range map[string]*bool{
		"blind": &g.blind, "disableComments": &g.disableComments,
		"disableEmailComments": &g.disableEmailComments, "hideMemberDetails": &g.hideMemberDetails,
	} {
		if v, ok := boolField(b, k); ok {
			*dst = v
		}
	}
	if b.Has("master") {
		id, ok := intField(b, "master")
		g.master = sql.NullInt64{Int64: id, Valid: ok}
		g.masterConfigured = ok
	}
	if b.Raw("components") != nil {
		g.components = parseComponents(b, strList(a.components))
	}
	g.watermark = mergeWatermark(g.watermark, b)
	g.settings = mergeNotifications(g.settings, b)
	return b.Err()
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

// createGroup serves POST /v3/accounts/{account}/groups: create, or
// duplicate when the body has copyFrom.
func (s *Service) createGroup(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, m, err := s.account(r, c, false)
	if err != nil {
		return err
	}
	if m.permission < permGroupCreator {
		return httpx.Forbidden("Group creator permission is required to create groups")
	}
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	now := ms(c.ns.Now())
	g := &group{accountID: a.id, ownerID: sql.NullInt64{Int64: c.user.id, Valid: true}, dateCreated: now, lastModified: now}
	if b.Raw("copyFrom") != nil {
		id, _ := intField(b, "copyFrom")
		if err := b.Err(); err != nil {
			return err
		}
		src, err := s.group(ctx, c, id, 0)
		if err != nil {
			return err
		}
		if src.group.accountID != a.id {
			return errGroupNotFound
		}
		// A copy takes the source's components, branding and settings,
		// never its members.
		sg := src.group
		g.description, g.blind, g.disableChat = sg.description, sg.blind, sg.disableChat
		g.disableComments, g.disableEmailComments, g.hideMemberDetails = sg.disableComments, sg.disableEmailComments, sg.hideMemberDetails
		g.branding, g.components, g.settings, g.watermark = sg.branding, sg.components, sg.settings, sg.watermark
		g.master, g.masterConfigured = sg.master, sg.masterConfigured
	}
	if b.Raw("friendlyName") == nil {
		return httpx.BadRequest("friendlyName is required")
	}
	if err := applyGroupInput(b, g, a); err != nil {
		return err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkMaster(ctx, tx, c.ns.ID, g); err != nil {
			return err
		}
		if err := uniqueName(ctx, tx, c.ns.ID, g); err != nil {
			return err
		}
		if err := insertGroup(ctx, tx, c.ns.ID, g); err != nil {
			return nameTaken(err, g)
		}
		// The creator administers the new group; members set to join every
		// new group (assignToNewGroupsPermission) join it too.
		if err := upsertGroupMember(ctx, tx, c.ns.ID, &groupMember{groupID: g.id, userID: c.user.id,
			permission: permAdmin, dateCreated: now}); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO clinked_group_members
			(ns, group_id, user_id, permission, date_created, expiration_date, restricted_apps)
			SELECT ns, $2, user_id, assign_to_new_groups, $3, NULL, '[]' FROM clinked_members
			WHERE ns = $1 AND account_id = $4 AND assign_to_new_groups IS NOT NULL AND user_id <> $5
			ON CONFLICT DO NOTHING`, c.ns.ID, g.id, now, a.id, c.user.id)
		return err
	})
	if err != nil {
		return err
	}
	return s.writeGroup(w, r, c, g)
}

// nameTaken makes a unique violation on a group's name a 409.
func nameTaken(err error, g *group) error {
	if store.IsUniqueViolation(err) {
		return httpx.Conflict("A group named %q already exists", g.name)
	}
	return err
}

// updateGroup serves PATCH /v3/accounts/{account}/groups/{group}.
func (s *Service) updateGroup(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, ga, err := s.accountGroup(r, c, permAdmin)
	b, err := bodyAfter(w, r, err)
	if err != nil {
		return err
	}
	ctx := r.Context()
	var g *group
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if g, err = groupByID(ctx, tx, c.ns.ID, ga.group.id); err != nil {
			return notFoundIf(err, "Group not found")
		}
		if g.removed {
			return errGroupNotFound
		}
		// copyFrom means nothing to an existing group; applyGroupInput
		// does not read it.
		if err := applyGroupInput(b, g, a); err != nil {
			return err
		}
		if err := checkMaster(ctx, tx, c.ns.ID, g); err != nil {
			return err
		}
		g.lastModified = ms(c.ns.Now())
		return nameTaken(updateGroupRow(ctx, tx, c.ns.ID, g), g)
	})
	if err != nil {
		return err
	}
	return s.writeGroup(w, r, c, g)
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

// deleteGroup serves DELETE /v3/accounts/{account}/groups/{group}: the
// group is flagged removed and keeps its members and content, for the
// group trash to restore.
func (s *Service) deleteGroup(w http.ResponseWriter, r *http.Request, c *caller) error {
	_, ga, err := s.accountGroup(r, c, permAdmin)
	if err != nil {
		return err
	}
	ctx := r.Context()
	now := ms(c.ns.Now())
	return s.tx(w, r, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE clinked_groups SET removed = $3, date_removed = $4, last_modified = $4
			WHERE ns = $1 AND id = $2 AND NOT removed`, c.ns.ID, ga.group.id, true, now)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return cmp.Or(err, error(errGroupNotFound))
		}
		return nil
	})
}

// reorderGroups serves PUT /v3/accounts/{account}/groups/order: the
// account-wide order, {"items": {"groupId": order}}, orders as numbers or
// numeric strings. Groups not listed keep theirs.
func (s *Service) reorderGroups(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, b, err := s.adminBody(w, r, c)
	if err != nil {
		return err
	}
	if b.Raw("items") == nil {
		return httpx.BadRequest("items is required: an object of group id to order")
	}
	order := map[int64]int64{}
	if items, ok := b.Object("items"); ok {
		for _, k := range items.Keys() {
			gid, err := strconv.ParseInt(strings.TrimSpace(k), 10, 64)
			if err != nil {
				return httpx.BadRequest("items must be keyed by group id")
			}
			if pos, ok := intField(items, k); ok {
				order[gid] = pos
			} else if items.Null(k) {
				items.Fail(k, "an integer")
			}
		}
	}
	if err := b.Err(); err != nil {
		return err
	}
	ctx := r.Context()
	return s.tx(w, r, func(tx *sql.Tx) error {
		for gid, pos := range order {
			res, err := tx.ExecContext(ctx, `UPDATE clinked_groups SET position = $4
				WHERE ns = $1 AND account_id = $2 AND id = $3 AND NOT removed`, c.ns.ID, a.id, gid, pos)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return cmp.Or(err, error(httpx.BadRequest("items names group %d, which is not a group of this account", gid)))
			}
		}
		return nil
	})
}

// exportGroup serves POST /v3/groups/{group}/export: it validates the
// components to export and mails the caller the download link, as Clinked
// does once its export job is done.
func (s *Service) exportGroup(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, b, err := s.groupBody(w, r, c, permAdmin)
	if err != nil {
		return err
	}
	comps, _ := b.Strings("components")
	if err := b.Err(); err != nil {
		return err
	}
	for _, cn := range comps {
		if !componentNames[cn] {
			return httpx.BadRequest("components: unknown component %q; use pages, files, discussions, tasks, events", cn)
		}
	}
	if len(comps) == 0 {
		comps = componentsOf(ga.group) // nothing named: every enabled component
	}
	ctx := r.Context()
	link := strings.TrimRight(c.ns.BaseURL, "/") + "/exports/" + ids.UUID() + ".zip"
	return s.tx(w, r, func(tx *sql.Tx) error {
		return outbox.Send(ctx, tx, c.ns.ID, outbox.Message{
			Vendor: vendorName, To: c.user.email, Time: c.ns.Now(),
			Subject: "Your export of " + ga.group.friendlyName + " is ready",
			Body: "Hello " + c.user.name + ",\n\nThe export of " + ga.group.friendlyName + " (" +
				strings.Join(comps, ", ") + ") is ready. Download it here:\n" + link + "\n",
		})
	})
}
