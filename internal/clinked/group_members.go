package clinked

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/outbox"
	"github.com/standin-dev/standin/internal/store"
)

// defaultGroupMemberPageSize is the group members list's page size when
// none is given (the example shows 25).
const defaultGroupMemberPageSize = 25

var groupMemberOrder = orderSpec{
	columns: map[string]string{
		"": "m.date_created", "dateCreated": "m.date_created", "name": "lower(u.name)", "username": "u.username",
		"email": "lower(u.email)", "id": "m.user_id", "permission": "m.permission",
	},
	def:      "",
	tiebreak: "m.user_id",
}

// groupMemberJSON is a GroupMember. restrictedApps appears on get and
// update, as in the get example.
type groupMemberJSON struct {
	User           userJSON   `json:"user"`
	Permission     int64      `json:"permission"`
	DateCreated    int64      `json:"dateCreated"`
	ExpirationDate *int64     `json:"expirationDate"`
	RestrictedApps *[]string  `json:"restrictedApps,omitempty"`
	Group          *groupJSON `json:"group"`
}

// memberView renders a membership for a viewer. In a group that hides
// member details, viewers below member manager see no one's contact
// details but their own.
func memberView(ga *groupAccess, viewer int64, u *user, m *groupMember, g *groupJSON, withApps bool) groupMemberJSON {
	out := groupMemberJSON{User: u.full(), Permission: m.permission, DateCreated: m.dateCreated,
		ExpirationDate: num(m.expirationDate), Group: g}
	if ga.group.hideMemberDetails && ga.perm < permMemberManager && u.id != viewer {
		out.User.Email, out.User.Telephone, out.User.Address = "", nil, nil
	}
	if withApps {
		apps := strList(m.restrictedApps)
		out.RestrictedApps = &apps
	}
	return out
}

// seesOnlySelf tells whether the viewer may see only their own membership:
// a basic member of a blind group ("do not allow basic read permission
// members to see each other").
func seesOnlySelf(ga *groupAccess) bool { return ga.group.blind && ga.perm <= permBasic }

// listGroupMembers serves GET /v3/groups/{group}/members.
func (s *Service) listGroupMembers(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, err := s.groupFromPath(r, c, 0)
	if err != nil {
		return err
	}
	p, lq, err := listParams(w, r, defaultGroupMemberPageSize, groupMemberOrder)
	if err != nil {
		return err
	}
	excl, err := excludeList(p, "user")
	if err != nil {
		return err
	}
	ctx := r.Context()
	var args store.Args
	where := "m.ns = " + args.Add(c.ns.ID) + " AND m.group_id = " + args.Add(ga.group.id) + " AND " +
		activeMembership("m", args.Add(ms(c.ns.Now())))
	name := strings.TrimSpace(p.Get("name"))
	if name != "" {
		where += likeAny(&args, "%"+likePattern(name)+"%", "lower(u.name)", "lower(u.username)", "lower(u.email)")
	}
	where += notIn(&args, "m.user_id", excl)
	if seesOnlySelf(ga) {
		where += " AND m.user_id = " + args.Add(c.user.id)
	}
	from := ` FROM clinked_group_members m JOIN clinked_users u ON u.ns = m.ns AND u.id = m.user_id WHERE `
	countFrom := from
	if name == "" {
		countFrom = ` FROM clinked_group_members m WHERE ` // no need to join the users to count
	}
	total, err := s.count(ctx, `SELECT count(*)`+countFrom+where, args)
	if err != nil {
		return err
	}
	tail, targs := lq.orderAndLimit(args)
	rows, err := s.db.QueryContext(ctx, `SELECT `+prefixed("m", groupMemberColumns)+`, `+userColumnsAs("u")+
		from+where+tail, targs...)
	type pair struct {
		u user
		m groupMember
	}
	found, err := store.Collect(rows, err, func(row store.Scanner) (pair, error) {
		var p pair
		err := row.Scan(append(p.m.dest(), p.u.dest()...)...)
		return p, err
	})
	if err != nil {
		return err
	}
	gj, err := newGroupViews(s.db, c.ns.ID, ms(c.ns.Now()), false).view(ctx, ga.group)
	if err != nil {
		return err
	}
	items := make([]groupMemberJSON, 0, len(found))
	for i := range found {
		items = append(items, memberView(ga, c.user.id, &found[i].u, &found[i].m, gj, false))
	}
	return writePage(w, items, lq, total)
}

// groupMemberFromPath resolves {group} (with need) and {member}: a user
// id, or a username, of a current member.
func (s *Service) groupMemberFromPath(r *http.Request, c *caller, need int64) (*groupAccess, *user, *groupMember, error) {
	ga, err := s.groupFromPath(r, c, need)
	if err != nil {
		return nil, nil, nil, err
	}
	ctx := r.Context()
	ref := r.PathValue("member")
	var u *user
	if id, perr := strconv.ParseInt(ref, 10, 64); perr == nil {
		u, err = userByID(ctx, s.db, c.ns.ID, id)
	} else {
		u, err = userByUsername(ctx, s.db, c.ns.ID, ref)
	}
	var m *groupMember
	if err == nil {
		m, err = groupMemberOf(ctx, s.db, c.ns.ID, ga.group.id, u.id)
	}
	if err == nil && m.expirationDate.Valid && m.expirationDate.Int64 <= ms(c.ns.Now()) {
		err = sql.ErrNoRows // the membership has run out
	}
	if err == nil && seesOnlySelf(ga) && u.id != c.user.id {
		err = sql.ErrNoRows
	}
	if err != nil {
		return nil, nil, nil, notFoundIf(err, "Member not found")
	}
	return ga, u, m, nil
}

// getGroupMember serves GET /v3/groups/{group}/members/{member}.
func (s *Service) getGroupMember(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, u, m, err := s.groupMemberFromPath(r, c, 0)
	if err != nil {
		return err
	}
	return s.writeGroupMember(w, r, c, ga, u, m)
}

// writeGroupMember answers 200 with the membership as c sees it.
func (s *Service) writeGroupMember(w http.ResponseWriter, r *http.Request, c *caller, ga *groupAccess, u *user, m *groupMember) error {
	gj, err := newGroupViews(s.db, c.ns.ID, ms(c.ns.Now()), false).view(r.Context(), ga.group)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, memberView(ga, c.user.id, u, m, gj, true))
	return nil
}

// readExpiration reads expirationDate: milliseconds, a date string, or
// null to make the membership permanent. present tells whether it was
// given; a bad value is recorded on b.
func readExpiration(b *httpx.Body, k string) (exp sql.NullInt64, present bool) {
	if !b.Has(k) {
		return sql.NullInt64{}, false
	}
	if b.Null(k) {
		return sql.NullInt64{}, true
	}
	raw := b.Raw(k)
	if n, ok := jacksonScalar(raw, (*httpx.Body).Int); ok {
		return sql.NullInt64{Int64: n, Valid: true}, true
	}
	if t, ok := parseTime(unquote(raw)); ok && raw[0] == '"' {
		return sql.NullInt64{Int64: ms(t), Valid: true}, true
	}
	b.Fail(k, "a time in milliseconds, or null")
	return sql.NullInt64{}, false
}

// updateGroupMember serves PATCH /v3/groups/{group}/members/{member}: the
// permission or the expiry of a membership. Member managers may grant at
// most their own permission.
func (s *Service) updateGroupMember(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, u, m, err := s.groupMemberFromPath(r, c, permMemberManager)
	b, err := bodyAfter(w, r, err)
	if err != nil {
		return err
	}
	hasPerm := b.Raw("permission") != nil
	perm := permissionField(b, "permission", m.permission)
	exp, hasExp := readExpiration(b, "expirationDate")
	if err := b.Err(); err != nil {
		return err
	}
	if hasPerm && (perm > ga.perm || m.permission > ga.perm) {
		return httpx.Forbidden("You cannot grant or change a permission above your own")
	}
	m.permission = perm
	if hasExp {
		m.expirationDate = exp
	}
	ctx := r.Context()
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE clinked_group_members SET permission = $4, expiration_date = $5
			WHERE ns = $1 AND group_id = $2 AND user_id = $3`, c.ns.ID, m.groupID, m.userID,
			m.permission, m.expirationDate); err != nil {
			return err
		}
		if !hasPerm && !hasExp {
			return nil
		}
		return outbox.Send(ctx, tx, c.ns.ID, memberMail(c, u, ga.group,
			"Your membership of "+ga.group.friendlyName+" changed",
			"your permission in "+ga.group.friendlyName+" is now "+permName(m.permission)+
				expiryText(m.expirationDate)))
	})
	if err != nil {
		return err
	}
	return s.writeGroupMember(w, r, c, ga, u, m)
}

// deleteGroupMember serves DELETE /v3/groups/{group}/members/{member}:
// member managers remove anyone at or below their permission, and every
// member may leave.
func (s *Service) deleteGroupMember(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, u, m, err := s.groupMemberFromPath(r, c, 0)
	if err != nil {
		return err
	}
	if u.id != c.user.id && (ga.perm < permMemberManager || m.permission > ga.perm) {
		return httpx.Forbidden("Member manager permission is required to remove members")
	}
	ctx := r.Context()
	return s.tx(w, r, func(tx *sql.Tx) error {
		if err := deleteGroupMember(ctx, tx, c.ns.ID, ga.group.id, u.id); err != nil {
			return err
		}
		if u.id == c.user.id {
			return nil
		}
		return outbox.Send(ctx, tx, c.ns.ID, memberMail(c, u, ga.group,
			"You were removed from "+ga.group.friendlyName,
			"you are no longer a member of "+ga.group.friendlyName))
	})
}

// memberMail is the notification Clinked sends a member about a change to
// their group membership.
func memberMail(c *caller, to *user, g *group, subject, what string) outbox.Message {
	return outbox.Message{Vendor: vendorName, To: to.email, Subject: subject, Time: c.ns.Now(),
		Body: "Hello " + to.name + ",\n\n" + c.user.name + " updated your membership: " + what + ".\n\n" +
			strings.TrimRight(c.ns.BaseURL, "/") + "/groups/" + g.name + "\n"}
}

// permName names a group permission for mails.
func permName(p int64) string {
	switch p {
	case permBasic:
		return "basic"
	case permGroupCreator:
		return "group creator"
	case permMemberManager:
		return "member manager"
	case permAdmin:
		return "administrator"
	}
	return strconv.FormatInt(p, 10)
}

func expiryText(exp sql.NullInt64) string {
	if !exp.Valid {
		return ""
	}
	return ", until " + zoned(msTime(exp.Int64))
}

// addGroupMember makes a membership when an invite is accepted. An
// existing, unexpired membership never loses by it: it keeps the higher
// permission and the later expiry (none beats any).
func addGroupMember(ctx context.Context, tx *sql.Tx, ns string, groupID, userID, perm int64, exp sql.NullInt64, now int64) error {
	cur, err := groupMemberOf(ctx, tx, ns, groupID, userID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return err
	case !cur.expirationDate.Valid || cur.expirationDate.Int64 > now:
		perm = max(perm, cur.permission)
		if !cur.expirationDate.Valid || (exp.Valid && cur.expirationDate.Int64 > exp.Int64) {
			exp = cur.expirationDate
		}
	}
	return upsertGroupMember(ctx, tx, ns, &groupMember{groupID: groupID, userID: userID, permission: perm,
		dateCreated: now, expirationDate: exp})
}
