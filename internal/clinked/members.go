package clinked

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/standin-dev/standin/internal/auth"
	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/outbox"
	"github.com/standin-dev/standin/internal/store"
)

// memberJSON is an account Member. Optional member-level fields are left
// out when unset, as in the examples; user fields are null when unset.
type memberJSON struct {
	User                        memberUserJSON `json:"user"`
	Permission                  int64          `json:"permission"`
	DateCreated                 int64          `json:"dateCreated"`
	MemberOfMultipleAccounts    *bool          `json:"memberOfMultipleAccounts,omitempty"`
	Tags                        *[]string      `json:"tags,omitempty"`
	AssignToNewGroupsPermission *int64         `json:"assignToNewGroupsPermission,omitempty"`
	PendingUnlock               *bool          `json:"pendingUnlock,omitempty"`
	ActivationType              *string        `json:"activationType,omitempty"`
	ActivationDate              *int64         `json:"activationDate,omitempty"`
}

// memberItem is a member as lists show it: no tags, no multi-account flag.
func memberItem(m *member, u *user) memberJSON {
	out := memberJSON{User: u.withRealName(), Permission: m.permission, DateCreated: m.dateCreated,
		AssignToNewGroupsPermission: num(m.assignToNewGroups), ActivationType: str(m.activationType),
		ActivationDate: num(m.activationDate)}
	if m.pendingUnlock.Valid {
		out.PendingUnlock = &m.pendingUnlock.Bool
	}
	return out
}

// memberDetail is a member with its tags and whether the user belongs to
// other accounts too (get, create, update).
func memberDetail(ctx context.Context, q store.Querier, ns string, m *member, u *user) (memberJSON, error) {
	out := memberItem(m, u)
	tags, err := tagsOf(ctx, q, ns, m.accountID, u.id)
	if err != nil {
		return out, err
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM clinked_members WHERE ns = $1 AND user_id = $2`,
		ns, u.id).Scan(&n); err != nil {
		return out, err
	}
	multi := n > 1
	out.Tags, out.MemberOfMultipleAccounts = &tags, &multi
	return out, nil
}

// memberOrder is how member lists sort (orderBy); name by default.
var memberOrder = orderSpec{
	columns: map[string]string{
		"name": "m.sort_name", "username": "u.username", "email": "lower(u.email)",
		"dateCreated": "m.date_created", "permission": "m.permission", "lastModified": "u.last_modified",
		"lastActive": "u.last_active", "id": "m.user_id",
	},
	def: "name", tiebreak: "m.user_id",
}

// listMembers serves GET /v3/accounts/{account}/members: a page of the
// account's members, filtered by name (substring of name, username or
// e-mail) and startsWith (prefix of the same), case-insensitively.
func (s *Service) listMembers(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, _, err := s.account(r, c, false)
	if err != nil {
		return err
	}
	p := r.URL.Query()
	lq, err := parseList(p, 20, memberOrder)
	if err != nil {
		return err
	}
	// The page is kept until the namespace's next counted write, by
	// account and query (which names the filter, order and page).
	type membersPage struct {
		items []memberJSON
		total int
	}
	key := "clinked.members:" + strconv.FormatInt(a.id, 10) + "?" + r.URL.RawQuery
	pg, err := namespace.Remember(r.Context(), key, func() (membersPage, error) {
		items, total, err := s.membersPage(r, c, a, p, lq)
		return membersPage{items, total}, err
	})
	if err != nil {
		return err
	}
	return writePage(w, pg.items, lq, pg.total)
}

// membersPage reads a page of an account's members and their total.
func (s *Service) membersPage(r *http.Request, c *caller, a *account, p url.Values, lq listQuery) ([]memberJSON, int, error) {
	var args store.Args
	where := `m.ns = ` + args.Add(c.ns.ID) + ` AND m.account_id = ` + args.Add(a.id)
	filter := matchName(p, &args, "lower(u.name)", "lower(u.username)", "lower(u.email)")
	where += filter
	// Join the users only when a filter or the order needs them: the
	// default list (by name) runs on the members' own index.
	from := ` FROM clinked_members m WHERE ` + where
	if filter != "" || strings.Contains(lq.order, "u.") {
		from = ` FROM clinked_members m JOIN clinked_users u ON u.ns = m.ns AND u.id = m.user_id WHERE ` + where
	}
	total, err := s.count(r.Context(), `SELECT count(*)`+from, args)
	if err != nil {
		return nil, 0, err
	}
	// Two steps: the page's user ids on the narrow sort key (an index walk
	// for the default order), then the wide rows of that page only.
	tail, targs := lq.orderAndLimit(args)
	page, err := queryIDs(r, s.db, `SELECT m.user_id`+from+tail, targs...)
	if err != nil {
		return nil, 0, err
	}
	items, err := membersByIDs(r.Context(), s.db, c.ns.ID, a.id, page)
	return items, total, err
}

// membersByIDs returns list items of an account's members, in the order
// of ids.
func membersByIDs(ctx context.Context, q store.Querier, ns string, accountID int64, ids []int64) ([]memberJSON, error) {
	items := make([]memberJSON, 0, len(ids))
	if len(ids) == 0 {
		return items, nil
	}
	var args store.Args
	where := `m.ns = ` + args.Add(ns) + ` AND m.account_id = ` + args.Add(accountID)
	in := make([]string, len(ids))
	for i, id := range ids {
		in[i] = args.Add(id)
	}
	rows, err := q.QueryContext(ctx, `SELECT `+prefixed("m", memberColumns)+`, `+userColumnsAs("u")+`
		FROM clinked_members m JOIN clinked_users u ON u.ns = m.ns AND u.id = m.user_id
		WHERE `+where+` AND m.user_id IN (`+strings.Join(in, ", ")+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := make(map[int64]memberJSON, len(ids))
	for rows.Next() {
		var m member
		var u user
		if err := rows.Scan(append(m.dest(), u.dest()...)...); err != nil {
			return nil, err
		}
		byID[u.id] = memberItem(&m, &u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, id := range ids {
		if it, ok := byID[id]; ok {
			items = append(items, it)
		}
	}
	return items, nil
}

// queryIDs runs a query of one integer column.
func queryIDs(r *http.Request, q store.Querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(r.Context(), query, args...)
	return store.Collect(rows, err, func(row store.Scanner) (int64, error) {
		var id int64
		err := row.Scan(&id)
		return id, err
	})
}

// findMember resolves {username} in an account: by username, else by a
// numeric user id; 404 when neither is a member.
func findMember(r *http.Request, q store.Querier, c *caller, a *account) (*member, *user, error) {
	key := r.PathValue("username")
	u, err := userByUsername(r.Context(), q, c.ns.ID, key)
	if errors.Is(err, sql.ErrNoRows) {
		var id int64
		if _, serr := fmt.Sscan(key, &id); serr == nil && fmt.Sprint(id) == key {
			u, err = userByID(r.Context(), q, c.ns.ID, id)
		}
	}
	var m *member
	if err == nil {
		m, err = memberOf(r.Context(), q, c.ns.ID, a.id, u.id)
	}
	if err != nil {
		return nil, nil, notFoundIf(err, "Member not found")
	}
	return m, u, nil
}

// getMember serves GET /v3/accounts/{account}/members/{username}.
func (s *Service) getMember(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, _, err := s.account(r, c, false)
	if err != nil {
		return err
	}
	m, u, err := findMember(r, s.db, c, a)
	if err != nil {
		return err
	}
	out, err := memberDetail(r.Context(), s.db, c.ns.ID, m, u)
	return reply(w, out, err)
}

// usernameRE is what a username may be.
var usernameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$`)

// applyGroups gives a user the group permissions of assign (group id →
// permission) and takes them out of the groups in remove. Groups must be
// live groups of the account; removing from a group one is not in (or that
// does not exist) is a no-op. It returns the groups assigned, for the
// notification mail.
func applyGroups(ctx context.Context, tx *sql.Tx, ns string, accountID, userID int64, assign map[int64]int64, remove []int64, now int64) ([]*group, error) {
	var assigned []*group
	for _, gid := range slices.Sorted(maps.Keys(assign)) {
		g, err := liveGroup(ctx, tx, ns, accountID, gid)
		if err != nil {
			return nil, err
		}
		if g == nil {
			return nil, httpx.BadRequest("Group %d not found in this account", gid)
		}
		if err := upsertGroupMember(ctx, tx, ns, &groupMember{groupID: gid, userID: userID,
			permission: assign[gid], dateCreated: now}); err != nil {
			return nil, err
		}
		assigned = append(assigned, g)
	}
	for _, gid := range remove {
		if _, err := tx.ExecContext(ctx, `DELETE FROM clinked_group_members WHERE ns = $1 AND user_id = $2
			AND group_id = $3 AND group_id IN (SELECT id FROM clinked_groups WHERE ns = $1 AND account_id = $4)`,
			ns, userID, gid, accountID); err != nil {
			return nil, err
		}
	}
	return assigned, nil
}

// assignmentMail tells a member which groups they were added to.
func assignmentMail(a *account, u *user, groups []*group, now int64) outbox.Message {
	names := make([]string, 0, len(groups))
	for _, g := range groups {
		names = append(names, g.friendlyName)
	}
	return outbox.Message{Vendor: vendorName, To: u.email,
		Subject: "You have been added to groups in " + a.friendlyName,
		Body: fmt.Sprintf("Hello %s,\n\nYou now have access to these groups in %s: %s.\n",
			u.name, a.friendlyName, strings.Join(names, ", ")),
		Time: msTime(now)}
}

// createMember serves POST /v3/accounts/{account}/members (admins): a new
// user, a member of the account with the given permission, tags and group
// assignments. Usernames are unique (409).
func (s *Service) createMember(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, b, err := s.adminBody(w, r, c)
	if err != nil {
		return err
	}
	now := ms(c.ns.Now())
	in, err := readMemberCreate(b)
	if err != nil {
		return err
	}
	if in.password != "" {
		if err := checkPasswordPolicy(r.Context(), s.db, c.ns.ID, a.id, in.password); err != nil {
			return err
		}
	}
	u := &user{username: in.username, email: in.email, name: in.name, realName: nullStr(in.realName),
		telephone: nullStr(in.phone), enabled: in.enabled, dateCreated: now, lastModified: now}
	if in.password != "" {
		if u.passwordHash, err = auth.HashPassword(in.password); err != nil {
			return err
		}
	}
	m := &member{accountID: a.id, permission: in.permission, dateCreated: now, assignToNewGroups: in.assignToNew}
	var out memberJSON
	err = s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		if _, err := userByUsername(r.Context(), tx, c.ns.ID, u.username); err == nil {
			return errUsernameTaken
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err := insertUser(r.Context(), tx, c.ns.ID, u); err != nil {
			if store.IsUniqueViolation(err) {
				return errUsernameTaken
			}
			return err
		}
		m.userID = u.id
		if err := insertMember(r.Context(), tx, c.ns.ID, m); err != nil {
			return err
		}
		if err := setTags(r.Context(), tx, c.ns.ID, a.id, u.id, in.tags); err != nil {
			return err
		}
		if _, err := applyGroups(r.Context(), tx, c.ns.ID, a.id, u.id, in.assignGroups, nil, now); err != nil {
			return err
		}
		if err := outbox.Send(r.Context(), tx, c.ns.ID, outbox.Message{Vendor: vendorName, To: u.email,
			Subject: "You have been added to " + a.friendlyName + " on Clinked",
			Body: fmt.Sprintf("Hello %s,\n\n%s added you to %s. Your username is %s.\n",
				u.name, c.user.name, a.friendlyName, u.username),
			Time: c.ns.Now()}); err != nil {
			return err
		}
		out, err = memberDetail(r.Context(), tx, c.ns.ID, m, u)
		return err
	})
	return reply(w, out, err)
}

var (
	errUsernameTaken = httpx.Conflict("Username already exists")
	errLastAdmin     = httpx.Conflict("An account must keep at least one administrator")
)

// memberCreate is a validated member create body.
type memberCreate struct {
	name, username, email, phone, password, realName string
	permission                                       int64
	assignToNew                                      sql.NullInt64
	enabled                                          bool
	assignGroups                                     map[int64]int64
	tags                                             []string
}

// readMemberCreate reads a member create body; every bad field is in the
// one 400.
func readMemberCreate(b *httpx.Body) (*memberCreate, error) {
	in := &memberCreate{permission: permBasic, enabled: true}
	in.name, in.username, in.email = b.Str("name"), b.Str("username"), b.Str("email")
	in.phone, in.password, in.realName = b.Str("phone"), b.Str("password"), b.Str("realName")
	checkPassword(b, "password", in.password)
	if err := b.Err(); err != nil {
		return nil, err
	}
	in.username, in.email, in.name = strings.TrimSpace(in.username), strings.TrimSpace(in.email), strings.TrimSpace(in.name)
	switch {
	case in.username == "":
		b.Fail("username", "given")
	case !usernameRE.MatchString(in.username):
		b.Fail("username", "letters, digits and . _ @ + - (at most 100)")
	case in.email == "" || !strings.Contains(in.email, "@"):
		b.Fail("email", "an e-mail address")
	}
	if in.name == "" {
		in.name = in.username
	}
	in.permission = permissionField(b, "permission", permBasic)
	if b.Raw("assignToNewGroupsPermission") != nil {
		in.assignToNew = sql.NullInt64{Int64: permissionField(b, "assignToNewGroupsPermission", 0), Valid: true}
	}
	if v, ok := boolField(b, "enabled"); ok {
		in.enabled = v
	}
	in.assignGroups, _ = permMap(b, "assignGroups")
	in.tags = readTags(b)
	return in, b.Err()
}

// readTags reads the tags array: trimmed, empty ones dropped; never nil.
func readTags(b *httpx.Body) []string {
	tags, _ := b.Strings("tags")
	out := []string{}
	for _, t := range tags {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// updateMember serves PATCH /v3/accounts/{account}/members/{username}
// (admins), both documented forms: tags, password, permission, enabled,
// lock, activation, and assignGroups/removeGroups/assignmentNotification.
// Only the fields present change; tags replace the whole set.
func (s *Service) updateMember(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, b, err := s.adminBody(w, r, c)
	if err != nil {
		return err
	}
	up, err := readMemberUpdate(b)
	if err != nil {
		return err
	}
	if up.password != nil {
		if err := checkPasswordPolicy(r.Context(), s.db, c.ns.ID, a.id, *up.password); err != nil {
			return err
		}
	}
	var newHash string
	if up.password != nil { // hashed before the transaction: bcrypt is slow
		if newHash, err = auth.HashPassword(*up.password); err != nil {
			return err
		}
	}
	now := c.ns.Now()
	var out memberJSON
	err = s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		m, u, err := findMember(r, tx, c, a)
		if err != nil {
			return err
		}
		userChanged := false
		if up.password != nil {
			u.passwordHash, userChanged = newHash, true
		}
		if up.enabled != nil {
			u.enabled, userChanged = *up.enabled, true
		}
		if up.lock != nil {
			if u.locked && !*up.lock {
				m.pendingUnlock = sql.NullBool{Bool: false, Valid: m.pendingUnlock.Valid}
			}
			u.locked, userChanged = *up.lock, true
		}
		for _, f := range []struct {
			v   *string
			dst *sql.NullString
		}{{up.phone, &u.telephone}, {up.realName, &u.realName}} {
			if f.v != nil {
				*f.dst, userChanged = nullStr(*f.v), true
			}
		}
		if up.name != nil {
			u.name, userChanged = *up.name, true
		}
		if up.email != nil {
			u.email, userChanged = *up.email, true
		}
		if userChanged {
			u.lastModified = ms(now)
			if err := updateUser(r.Context(), tx, c.ns.ID, u); err != nil {
				return err
			}
		}
		if up.permission != nil && *up.permission != m.permission {
			if isAdmin(m.permission) && !isAdmin(*up.permission) {
				if err := keepAnAdmin(r.Context(), tx, c.ns.ID, a.id); err != nil {
					return err
				}
			}
			m.permission = *up.permission
		}
		if up.assignToNew != nil {
			m.assignToNewGroups = *up.assignToNew
		}
		if up.activation {
			m.activationMessage = nullStr(up.activationMessage)
			if up.activationDate != nil && *up.activationDate > ms(now) {
				m.activationType = sql.NullString{String: "custom", Valid: true}
				m.activationDate = sql.NullInt64{Int64: *up.activationDate, Valid: true}
			} else {
				m.activationType = sql.NullString{String: "now", Valid: true}
				m.activationDate = sql.NullInt64{}
				if err := outbox.Send(r.Context(), tx, c.ns.ID, activationMail(a, u, up.activationMessage, now.UnixMilli())); err != nil {
					return err
				}
			}
		}
		if err := updateMember(r.Context(), tx, c.ns.ID, m); err != nil {
			return err
		}
		if up.tags != nil {
			if err := setTags(r.Context(), tx, c.ns.ID, a.id, u.id, up.tags); err != nil {
				return err
			}
		}
		assigned, err := applyGroups(r.Context(), tx, c.ns.ID, a.id, u.id, up.assignGroups, up.removeGroups, ms(now))
		if err != nil {
			return err
		}
		if up.notify && len(assigned) > 0 {
			if err := outbox.Send(r.Context(), tx, c.ns.ID, assignmentMail(a, u, assigned, ms(now))); err != nil {
				return err
			}
		}
		out, err = memberDetail(r.Context(), tx, c.ns.ID, m, u)
		return err
	})
	return reply(w, out, err)
}

// activationMail is the account activation e-mail.
func activationMail(a *account, u *user, message string, now int64) outbox.Message {
	body := fmt.Sprintf("Hello %s,\n\nYour account on %s is ready. Sign in with the username %s.\n",
		u.name, a.friendlyName, u.username)
	if message != "" {
		body += "\n" + message + "\n"
	}
	return outbox.Message{Vendor: vendorName, To: u.email, Subject: "Activate your " + a.friendlyName + " account",
		Body: body, Time: msTime(now)}
}

// keepAnAdmin fails with errLastAdmin when the account has only one
// administrator (who is about to lose that role or leave).
func keepAnAdmin(ctx context.Context, q store.Querier, ns string, accountID int64) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM clinked_members
		WHERE ns = $1 AND account_id = $2 AND permission >= 16`, ns, accountID).Scan(&n); err != nil {
		return err
	}
	if n <= 1 {
		return errLastAdmin
	}
	return nil
}

// memberUpdate is a validated member PATCH body; nil means absent.
type memberUpdate struct {
	password, name, email, phone, realName *string
	permission                             *int64
	assignToNew                            *sql.NullInt64
	enabled, lock                          *bool
	tags                                   []string
	assignGroups                           map[int64]int64
	removeGroups                           []int64
	notify                                 bool
	activation                             bool
	activationMessage                      string
	activationDate                         *int64
}

// readMemberUpdate reads a member PATCH body; every bad field is in the
// one 400.
func readMemberUpdate(b *httpx.Body) (*memberUpdate, error) {
	up := &memberUpdate{}
	up.password, up.name, up.email = optString(b, "password"), optString(b, "name"), optString(b, "email")
	up.phone, up.realName = optString(b, "phone"), optString(b, "realName")
	if up.password != nil {
		if *up.password == "" {
			b.Fail("password", "a non-empty string")
		}
		checkPassword(b, "password", *up.password)
	}
	if up.email != nil && !strings.Contains(*up.email, "@") {
		b.Fail("email", "an e-mail address")
	}
	if b.Raw("permission") != nil {
		p := permissionField(b, "permission", 0)
		up.permission = &p
	}
	if b.Null("assignToNewGroupsPermission") {
		up.assignToNew = &sql.NullInt64{}
	} else if b.Raw("assignToNewGroupsPermission") != nil {
		up.assignToNew = &sql.NullInt64{Int64: permissionField(b, "assignToNewGroupsPermission", 0), Valid: true}
	}
	for k, dst := range map[string]**bool{"enabled": &up.enabled, "lock": &up.lock} {
		if v, ok := boolField(b, k); ok {
			*dst = &v
		}
	}
	if b.Raw("tags") != nil {
		up.tags = readTags(b)
	}
	up.assignGroups, _ = permMap(b, "assignGroups")
	up.removeGroups, _ = idsField(b, "removeGroups")
	up.notify, _ = boolField(b, "assignmentNotification")
	if act, ok := b.Object("activation"); ok {
		up.activation = true
		up.activationMessage = act.Str("message")
		if raw := act.Raw("date"); raw != nil {
			if t, ok := parseTime(unquote(raw)); ok {
				d := t.UnixMilli()
				up.activationDate = &d
			} else {
				act.Fail("date", "a time (milliseconds or ISO 8601)")
			}
		}
	}
	return up, b.Err()
}

// deleteMember serves DELETE /v3/accounts/{account}/members/{username}
// (admins): the account membership, its tags and its group memberships in
// the account's groups go; the user stays (other accounts). 200, no body.
func (s *Service) deleteMember(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, _, err := s.account(r, c, true)
	if err != nil {
		return err
	}
	return s.tx(w, r, func(tx *sql.Tx) error {
		m, u, err := findMember(r, tx, c, a)
		if err != nil {
			return err
		}
		if isAdmin(m.permission) {
			if err := keepAnAdmin(r.Context(), tx, c.ns.ID, a.id); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(r.Context(), `DELETE FROM clinked_group_members WHERE ns = $1 AND user_id = $2
			AND group_id IN (SELECT id FROM clinked_groups WHERE ns = $1 AND account_id = $3)`,
			c.ns.ID, u.id, a.id); err != nil {
			return err
		}
		if err := setTags(r.Context(), tx, c.ns.ID, a.id, u.id, nil); err != nil {
			return err
		}
		_, err = tx.ExecContext(r.Context(), `DELETE FROM clinked_members WHERE ns = $1 AND account_id = $2
			AND user_id = $3`, c.ns.ID, a.id, u.id)
		return err
	})
}
